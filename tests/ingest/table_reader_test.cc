#include "lockstep/ingest/table_reader.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace lockstep {
namespace {

std::vector<std::vector<std::string>> ReadAll(const std::string& name, std::string data, std::vector<std::string> fields,
                                              ErrorSink* sink) {
  auto reader = TableReader::FromString(name, std::move(data), std::move(fields), sink);
  std::vector<std::vector<std::string>> rows;
  Row row;
  while (reader->Next(&row)) rows.emplace_back(row.values.begin(), row.values.end());
  return rows;
}

TEST(TableReader, QuotedFieldsSpanBuffersAndLines) {
  ErrorSink sink(ErrorPolicy::kSkip);
  auto rows = ReadAll("t.csv", "a,b\n\"x\"\"y\",\"multi\nline\"\n,\"\"\nlast,row", {"b", "a"}, &sink);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][1], "x\"y") << "doubled quote";
  EXPECT_EQ(rows[0][0], "multi\nline") << "newline inside quotes";
  EXPECT_EQ(rows[1][0], "") << "empty quoted field";
  EXPECT_EQ(rows[2][1], "last") << "final row without newline";
  EXPECT_EQ(sink.total(), 0u);
}

TEST(TableReader, DoubledQuotesAnywhereInAFieldAreUndone) {
  // Doubled quotes are undone a run at a time: at the start and end of a
  // field, several in a row, and a JSON array written into CSV.
  ErrorSink sink;
  auto rows = ReadAll("t.csv",
                      "a,b,c\n"
                      "\"\"\"start\",\"end\"\"\"\"\",\"[\"\"https://x.example/1\"\",\"\"https://y.example/2\"\"]\"\n"
                      "\"\"\"\"\"\"\"\",\"\"\"\u043f\u0440\u0438\u0432\u0435\u0442\"\", \"\"\U0001F525\"\"\",x\n",
                      {"a", "b", "c"}, &sink);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "\"start") << "a doubled quote opening the field";
  EXPECT_EQ(rows[0][1], "end\"\"") << "two doubled quotes closing it";
  EXPECT_EQ(rows[0][2], R"(["https://x.example/1","https://y.example/2"])") << "a JSON array as CSV writes it";
  EXPECT_EQ(rows[1][0], "\"\"\"") << "nothing but doubled quotes";
  EXPECT_EQ(rows[1][1], "\"\u043f\u0440\u0438\u0432\u0435\u0442\", \"\U0001F525\"") << "multibyte text between them";
  EXPECT_EQ(sink.total(), 0u) << "all well-formed";
}

TEST(TableReader, DoubledQuotesAreUndoneAtEveryPositionOfA16ByteStep) {
  // Quotes are undone 16 bytes a step: a doubled quote at each position of
  // the first three steps, one straddling a step's end, and the field's end
  // falling anywhere in a step. Three escaped fields a row, so the values
  // of one row share the scratch memory and must not overwrite each other.
  for (size_t at = 0; at < 48; ++at) {
    for (size_t len : {at, at + 1, at + 15, at + 17}) {
      std::string plain(len, 'x');
      for (size_t i = 0; i < len; ++i) plain[i] = static_cast<char>('a' + i % 26);
      std::string want = plain;
      want.insert(at, "\"");
      std::string quoted = want;
      for (size_t i = quoted.find('"'); i != std::string::npos; i = quoted.find('"', i + 2)) quoted.insert(i, "\"");
      const std::string cell = "\"" + quoted + "\"";
      ErrorSink sink;
      auto rows =
          ReadAll("t.csv", "a,b,c\n" + cell + "," + cell + ",\"\"\"" + quoted + "\"\n", {"a", "b", "c"}, &sink);
      ASSERT_EQ(rows.size(), 1u) << "at " << at << " len " << len;
      EXPECT_EQ(rows[0][0], want) << "a quote at " << at << " of a field of " << want.size() << " bytes";
      EXPECT_EQ(rows[0][1], want) << "the second field undone after the first, at " << at;
      EXPECT_EQ(rows[0][2], "\"" + want) << "a third one, opening with a quote, at " << at;
    }
  }
}

TEST(TableReader, LargeFileThroughSmallReadsKeepsRecordsWhole) {
  // Records longer than the reader's first buffer exercise its refill path.
  testing::TempDir dir;
  std::string big(6u << 20, 'x');
  testing::WriteFile(dir / "big.csv", "id,text\n1,\"" + big + "\"\n2,short\n");
  ErrorSink sink;
  auto reader = TableReader::Open(dir / "big.csv", {"id", "text"}, &sink);
  ASSERT_TRUE(reader.ok());
  Row row;
  ASSERT_TRUE((*reader)->Next(&row));
  EXPECT_EQ(row.values[1].size(), big.size()) << "a 6 MiB field survives buffer growth";
  ASSERT_TRUE((*reader)->Next(&row));
  EXPECT_EQ(row.values[0], "2");
  EXPECT_EQ(row.line, 3u);
  EXPECT_FALSE((*reader)->Next(&row));
}

TEST(TableReader, LinesCountNewlinesInsideQuotedFieldsAtEveryPosition) {
  // The quoted-field scan counts newlines 16 bytes at a time up to the
  // closing quote: newlines on either side of a doubled quote, at a
  // chunk's first and last byte, and right before the closing quote must
  // all count, and none after it. Each row's line is checked.
  std::string data = "id,text\n";
  std::vector<uint64_t> lines;
  uint64_t line = 2;
  for (int pad = 0; pad < 40; ++pad) {
    std::string text = std::string(static_cast<size_t>(pad), 'a') + "\n" + std::string(15, 'b') + "\n\"\"q\"\"\n" +
                       std::string(static_cast<size_t>(pad % 17), 'c') + "\n";
    lines.push_back(line);
    data += std::to_string(pad) + ",\"" + text + "\"\n";
    line += 5;  // four newlines inside the field, one ending the row
  }
  data += "end,\"x\"\n";
  lines.push_back(line);
  ErrorSink sink;
  auto reader = TableReader::FromString("t.csv", data, {"id", "text"}, &sink);
  Row row;
  for (size_t i = 0; i < lines.size(); ++i) {
    ASSERT_TRUE(reader->Next(&row)) << "row " << i;
    EXPECT_EQ(row.line, lines[i]) << "row " << i << " starts after every newline of the rows before";
  }
  EXPECT_EQ(row.values[0], "end");
  EXPECT_FALSE(reader->Next(&row));
}

TEST(TableReader, ExtrasAndMissingFields) {
  ErrorSink sink;
  auto reader = TableReader::FromString("t.csv", "id,colour,size\n1,red,\n", {"id", "weight"}, &sink);
  EXPECT_TRUE(reader->HasField(0));
  EXPECT_FALSE(reader->HasField(1)) << "weight is not in the header";
  Row row;
  ASSERT_TRUE(reader->Next(&row));
  ASSERT_EQ(row.extras.size(), 1u) << "non-empty unknown columns are extras; empty cells are missing";
  EXPECT_EQ(row.extras[0].first, "colour");
  EXPECT_EQ(row.extras[0].second, "red");
}

TEST(TableReader, JsonValuesOfEveryType) {
  ErrorSink sink;
  auto rows = ReadAll("t.jsonl", R"({"s":"a\u00e9","n":12.5,"b":true,"z":null,"l":["x",1],"o":{"k":1}})" "\n",
                      {"s", "n", "b", "z", "l", "o"}, &sink);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "aé");
  EXPECT_EQ(rows[0][1], "12.5");
  EXPECT_EQ(rows[0][2], "true");
  EXPECT_EQ(rows[0][3], "") << "null is missing";
  EXPECT_EQ(rows[0][4], R"(["x",1])") << "arrays are handed out as raw JSON";
  EXPECT_EQ(rows[0][5], R"({"k":1})");
}

}  // namespace
}  // namespace lockstep
