#include "lockstep/ingest/mapped_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace lockstep {
namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "lockstep_mapped_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(MappedReader, MapsOddCsvColumnsAndConstants) {
  const std::string path = WriteTemp("odd.csv",
                                     "user,created,body,links,kind_of,followers,extra_col\n"
                                     "alice,2020-01-01 10:00,hello,https://a.example/x https://b.example/y,post,10,keep me\n"
                                     "bob,2020-01-01 10:01,hi,,share,20,\n"
                                     "alice,2020-01-02 10:00,later,,post,11,\n");
  LoadOptions options;
  options.column_map = {{"account_id", "user"}, {"time", "created"},   {"text", "body"},        {"urls", "links"},
                        {"type", "kind_of"},    {"followers", "followers"}, {"platform", "=mastodon"}};
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadMapped({path}, options, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 3u) << "three rows";
  EXPECT_EQ(ds->accounts.size(), 2u) << "accounts derived from the rows";
  EXPECT_EQ(ds->events.urls.Row(0).size(), 2u) << "a space-separated list of urls";
  EXPECT_EQ(ds->events.type[1], EventType::kShare) << "type mapped from kind_of";
  EXPECT_EQ(ds->events.Text(0), "hello") << "text mapped from body";
  EXPECT_EQ(ds->accounts[0].followers, 11) << "alice's latest row gives her follower count";
  EXPECT_EQ(ds->String(ds->accounts[0].platform), "mastodon") << "=VALUE maps a constant";
  ASSERT_EQ(ds->event_extras.size(), 1u) << "an unmapped column is an extra attribute";
  EXPECT_EQ(ds->strings.Get(ds->event_extras[0].column), "extra_col") << "under its own name";
}

TEST(MappedReader, DottedPathsReachIntoJsonLines) {
  const std::string path = WriteTemp(
      "nested.jsonl",
      R"({"user":{"id_str":"7","screen_name":"seven"},"ts":"Wed Oct 10 20:19:24 +0000 2018","msg":"x","tags":["a","b"]})"
      "\n");
  LoadOptions options;
  options.column_map = {{"account_id", "user.id_str"}, {"handle", "user.screen_name"}, {"time", "ts"},
                        {"text", "msg"},               {"hashtags", "tags"}};
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadMapped({path}, options, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  ASSERT_EQ(ds->events.size(), 1u) << "one line";
  EXPECT_EQ(ds->AccountId(ds->events.account[0]), "7") << "user.id_str reached inside the user object";
  EXPECT_EQ(ds->String(ds->accounts[0].handle), "seven") << "account fields too";
  EXPECT_EQ(FormatTime(ds->events.time[0]), "2018-10-10T20:19:24Z") << "the Twitter API time form is accepted";
  EXPECT_EQ(ds->events.hashtags.Row(0).size(), 2u) << "a JSON array is a list";
}

TEST(MappedReader, ErrorsNameTheMappedColumn) {
  const std::string path = WriteTemp("bad.csv", "user,created\nalice,2020-01-01\nbob,never\n");
  LoadOptions options;
  options.column_map = {{"account_id", "user"}, {"time", "created"}};
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadMapped({path}, options, &sink, &report);
  ASSERT_FALSE(ds.ok()) << "'never' is not a time; fail is the default";
  ASSERT_NE(sink.first(), nullptr) << "recorded";
  EXPECT_EQ(sink.first()->field, "created (mapped to time)") << "the field names the user's column and ours";
  EXPECT_EQ(sink.first()->line, 3u) << "the line";

  options.column_map = {{"acount_id", "user"}};
  ErrorSink sink2;
  auto bad = LoadMapped({path}, options, &sink2, &report);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument) << "a misspelt field is a usage error";
}

}  // namespace
}  // namespace lockstep

namespace lockstep {
namespace {

// Regression (found by fuzz_table_reader): a header row with invalid UTF-8
// was rejected and the first data row silently became the header, so
// rows_read no longer equalled loaded + rejected.
TEST(MappedReader, MalformedHeaderRejectsTheFileWithoutMisreadingRows) {
  const std::string path = WriteTemp("bad_header.csv", "user,ti\xffme\nalice,2020-01-01\nbob,2020-01-02\n");
  LoadOptions options;
  options.column_map = {{"account_id", "user"}, {"time", "=2020-01-01"}};
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadMapped({path}, options, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 0u) << "no data row may be read against a header that was never understood";
  EXPECT_EQ(sink.count(InputErrorKind::kInvalidUtf8), 1u) << "the header's bad bytes are reported";
  ASSERT_EQ(report.files.size(), 1u) << "the file is accounted for";
  EXPECT_EQ(report.files[0].rows_read, report.files[0].rows_loaded + report.files[0].rows_rejected)
      << "rows read = loaded + rejected";
}

}  // namespace
}  // namespace lockstep
