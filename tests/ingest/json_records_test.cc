#include "ingest/json_records.h"

#include <gtest/gtest.h>

#include <deque>

#include "ingest/cassette.h"
#include "lockstep/ingest/youtube_reader.h"

namespace lockstep::internal {
namespace {

using testing_cassette::WriteTemp;

std::vector<JsonRecord> Cut(const std::string& path, const std::string& unwrap, InputError* error) {
  auto source = OpenByteSource(path);
  EXPECT_TRUE(source.ok());
  JsonRecordStream stream(std::move(*source), JsonRecordStream::ModeFromName(path));
  if (!unwrap.empty()) stream.set_unwrap(unwrap);
  std::vector<JsonRecord> out;
  JsonRecord r;
  for (;;) {
    const auto step = stream.Next(&r, error);
    if (step != JsonRecordStream::Step::kRecord) break;
    out.push_back(r);
    // The views die with the next call: keep copies.
    static std::deque<std::string> keep;
    out.back().text = keep.emplace_back(r.text);
    out.back().context = keep.emplace_back(r.context);
  }
  return out;
}

TEST(JsonHelpers, ArrayOfANonArrayIteratesToNothing) {
  // Found by fuzz_youtube: "items": 5 gave a default dom::array, whose
  // iteration read through a null tape.
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(std::string_view(R"({"items":5,"list":[1,2]})")).get(doc), simdjson::SUCCESS);
  size_t n = 0;
  for (simdjson::dom::element e : Array(doc["items"].value())) n += e.is_null() ? 0 : 1;
  EXPECT_EQ(n, 0u) << "a number is not an array: no elements";
  for (simdjson::dom::element e : Array(doc["list"].value())) n += e.is_int64() ? 1 : 0;
  EXPECT_EQ(n, 2u) << "an array's elements are all met";
}

TEST(JsonRecordStream, UnwrapCutsTheNamedArrayAndGivesTheMembersBeforeIt) {
  const std::string path = WriteTemp(
      "unwrap.json", "{\"name\": \"N\",\n \"id\": 5,\n \"messages\": [\n  {\"id\": 1},\n  {\"id\": [2, \"]\"]}\n ],\n \"after\": 1}\n{\"x\": 2}");
  InputError error;
  const auto records = Cut(path, "messages", &error);
  ASSERT_EQ(records.size(), 3u) << "two messages, then the next top-level object whole";
  EXPECT_EQ(records[0].text, "{\"id\": 1}");
  EXPECT_EQ(records[0].where, "messages[0].");
  EXPECT_EQ(records[0].line, 4u) << "the line where the element starts";
  EXPECT_EQ(records[0].context, "{\"name\":\"N\",\"id\":5}") << "the members before the array";
  EXPECT_EQ(records[1].text, "{\"id\": [2, \"]\"]}") << "brackets inside strings do not end the element";
  EXPECT_EQ(records[2].text, "{\"x\":2}") << "an object without the array is one record";
  EXPECT_EQ(records[2].context, "");
}

TEST(JsonRecordStream, CutOffObjectIsAnErrorNotACrash) {
  InputError error;
  const auto records = Cut(WriteTemp("cut.json", "{\"id\": 5, \"messages\": [{\"id\": 1}, {\"id\""), "messages", &error);
  EXPECT_EQ(records.size(), 1u);
  EXPECT_EQ(error.kind, InputErrorKind::kBadJson) << "the element that never ends";
}

// Regression (found by fuzz_tiktok): a bare token at the end of a file, past
// half of the read buffer, made the cutter consume past the buffer's end.
TEST(JsonRecordStream, BareTokenAtTheEndOfTheFile) {
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadYouTube({WriteTemp("tail.json", "{\"kind\":\"youtube#videoListResponse\",\"items\":[]}   tail")}, {},
                        &sink, &report);
  ASSERT_TRUE(ds.ok());
  EXPECT_EQ(report.rows_read(), 2u) << "the response and the stray token";
  EXPECT_EQ(report.rows_rejected(), 1u);
  ASSERT_NE(sink.first(), nullptr);
  EXPECT_EQ(sink.first()->raw, "tail") << "the token itself, nothing past the file";
}

}  // namespace
}  // namespace lockstep::internal
