#include "lockstep/ingest/field_parsers.h"

#include <gtest/gtest.h>

namespace lockstep {
namespace {

std::vector<std::string> List(std::string_view text, bool expect_ok = true) {
  std::string scratch;
  std::vector<std::string_view> items;
  EXPECT_EQ(ParseList(text, &scratch, &items), expect_ok) << text;
  return std::vector<std::string>(items.begin(), items.end());
}

TEST(ParseList, JsonPythonAndSpaceSeparated) {
  using V = std::vector<std::string>;
  EXPECT_EQ(List(R"(["a","b c"])"), (V{"a", "b c"})) << "JSON array";
  EXPECT_EQ(List("['SyrianArmy', 'Hama']"), (V{"SyrianArmy", "Hama"})) << "Python list as in the Twitter archive";
  EXPECT_EQ(List("a  b\tc"), (V{"a", "b", "c"})) << "space separated";
  EXPECT_EQ(List("[]"), V{}) << "empty list";
  EXPECT_EQ(List(R"(["q\"x", "\u00e9\ud83c\udf45", "a\\b"])"), (V{"q\"x", "é🍅", "a\\b"})) << "JSON escapes";
  EXPECT_EQ(List("[1, 2,3]"), (V{"1", "2", "3"})) << "numbers";
  EXPECT_EQ(List(R"(["it's"])"), (V{"it's"})) << "the other quote inside";
  List("[\"a\"", false);
  List("[\"a\" \"b\"]", false);
  List("[\"unterminated]", false);
}

TEST(FieldParsers, NumbersHashesBools) {
  int64_t i = 0;
  EXPECT_TRUE(ParseInt64(" 42 ", &i));
  EXPECT_EQ(i, 42);
  EXPECT_TRUE(ParseInt64("12.0", &i)) << "exports write counts as floats";
  EXPECT_EQ(i, 12);
  EXPECT_FALSE(ParseInt64("12.5", &i));
  EXPECT_FALSE(ParseInt64("1e3", &i));
  EXPECT_FALSE(ParseInt64("", &i));
  double d = 0;
  EXPECT_TRUE(ParseDecimal("1200.50", &d));
  EXPECT_DOUBLE_EQ(d, 1200.5);
  EXPECT_FALSE(ParseDecimal("12,50", &d));
  uint64_t h = 0;
  EXPECT_TRUE(ParseHash64("8F3A0C1D2E4B5A69", &h));
  EXPECT_EQ(h, 0x8f3a0c1d2e4b5a69u);
  EXPECT_TRUE(ParseHash64("0x0000000000000001", &h));
  EXPECT_EQ(h, 1u);
  EXPECT_FALSE(ParseHash64("8f3a", &h)) << "must be 16 digits";
  EXPECT_FALSE(ParseHash64("8f3a0c1d2e4b5a6g", &h));
  bool b = false;
  EXPECT_TRUE(ParseBool("TRUE", &b));
  EXPECT_TRUE(b);
  EXPECT_TRUE(ParseBool("false", &b));
  EXPECT_FALSE(b);
  EXPECT_FALSE(ParseBool("yes", &b));
}

}  // namespace
}  // namespace lockstep
