#include "lockstep/model/interner.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

#include "lockstep/model/dataset.h"

namespace lockstep {
namespace {

TEST(Interner, DenseIdsInFirstSeenOrderAndStableViews) {
  Interner pool;
  EXPECT_EQ(pool.Intern("b"), 0u);
  EXPECT_EQ(pool.Intern("a"), 1u);
  EXPECT_EQ(pool.Intern("b"), 0u) << "the same string gets the same id";
  EXPECT_EQ(pool.Intern(""), 2u) << "the empty string is a string too";
  EXPECT_EQ(pool.Find("zzz"), kNoString);
  std::string_view first = pool.Get(0);
  std::mt19937_64 rng(1);
  std::unordered_map<std::string, StringId> expected;
  for (int i = 0; i < 200000; ++i) {
    std::string s = "s" + std::to_string(rng() % 100000);
    const StringId id = pool.Intern(s);
    auto [it, fresh] = expected.emplace(s, id);
    ASSERT_EQ(it->second, id) << "re-interning " << s << " after table growth";
  }
  EXPECT_EQ(pool.size(), expected.size() + 3);
  EXPECT_EQ(first, "b") << "views stay valid while the pool grows";
  for (const auto& [s, id] : expected) ASSERT_EQ(pool.Get(id), s);
  Interner moved = std::move(pool);
  EXPECT_EQ(moved.Find("a"), 1u) << "moves keep contents";
}

// The compact form a version 3 snapshot stores: the slot of each id instead
// of the whole table. Restoring from it finds every string again, and a slot
// outside the table or named twice is refused whole.
TEST(Interner, RestoresFromSlotsByIdAndRefusesAClash) {
  Interner pool;
  for (int i = 0; i < 5000; ++i) pool.Intern("id" + std::to_string(i * 7));
  std::string block;
  for (std::string_view part : pool.Arena()) block += part;
  auto copy = [&] {
    auto b = std::make_unique<char[]>(block.size());
    std::memcpy(b.get(), block.data(), block.size());
    return b;
  };
  const std::vector<uint64_t> slots = pool.SlotsById();
  ASSERT_EQ(slots.size(), pool.size());
  const size_t table_size = Interner::CompactTableSize(pool.size());
  Interner restored;
  ASSERT_TRUE(restored.Restore(copy(), block.size(), pool.size(), table_size, slots.data()));
  ASSERT_EQ(restored.size(), pool.size());
  for (StringId id = 0; id < pool.size(); ++id) ASSERT_EQ(restored.Find(pool.Get(id)), id) << pool.Get(id);
  EXPECT_EQ(restored.Intern("new"), pool.size()) << "a restored pool keeps growing";
  EXPECT_EQ(restored.Intern("id7"), 1u) << "and does not add what it has";

  std::vector<uint64_t> clash = slots;
  clash[1] = clash[0];
  Interner refused;
  EXPECT_FALSE(refused.Restore(copy(), block.size(), pool.size(), table_size, clash.data()))
      << "two strings in one slot";
  EXPECT_EQ(refused.size(), 0u) << "nothing is half-restored";
  std::vector<uint64_t> outside = slots;
  outside[2] = (outside[2] >> 48 << 48) | table_size;
  EXPECT_FALSE(refused.Restore(copy(), block.size(), pool.size(), table_size, outside.data()))
      << "a slot past the end of the table";
  EXPECT_FALSE(refused.Restore(copy(), block.size(), pool.size(), table_size / 2, slots.data()))
      << "a table too small for its strings";
  EXPECT_FALSE(refused.Restore(copy(), block.size(), pool.size(), size_t{1} << 40, slots.data()))
      << "a table out of proportion to its strings is refused, not allocated";
  EXPECT_FALSE(refused.Restore(copy(), block.size() - 1, pool.size(), table_size, slots.data()))
      << "an arena cut short";
}

TEST(UrlHost, NormalisesHosts) {
  EXPECT_EQ(UrlHost("https://www.Example.COM/path?q=1"), "example.com");
  EXPECT_EQ(UrlHost("http://user@news.example.org:8080/x"), "news.example.org");
  EXPECT_EQ(UrlHost("bit.ly/abc"), "bit.ly") << "no scheme";
  EXPECT_EQ(UrlHost("https://t.co"), "t.co");
}

TEST(Country, PacksTwoLetters) {
  CountryCode c;
  ASSERT_TRUE(ParseCountry("de", &c));
  EXPECT_EQ(CountryName(c), "DE");
  EXPECT_FALSE(ParseCountry("DEU", &c)) << "alpha-3 is not alpha-2";
  EXPECT_FALSE(ParseCountry("D1", &c));
}

}  // namespace
}  // namespace lockstep
