#include "lockstep/ingest/reddit_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <zstd.h>

#include "ingest/cassette.h"
#include "lockstep/ingest/load.h"

namespace lockstep {
namespace {

using testing_cassette::AccountById;
using testing_cassette::CountByType;
using testing_cassette::EventRow;
using testing_cassette::WriteTemp;

const std::string kCassette =
    std::string(LOCKSTEP_SHARED_DATA) + "/platform_samples/reddit/TestRedditorListings.test_overview__new.json";

size_t N(const std::array<size_t, kEventTypes>& n, EventType t) { return n[static_cast<size_t>(t)]; }

TEST(RedditReader, RealUserOverviewFromAPrawRecording) {
  if (!std::filesystem::exists(kCassette)) GTEST_SKIP() << kCassette << " is absent (a fresh clone has no ../shared/data)";
  const std::vector<std::string> bodies = testing_cassette::BetamaxBodies(kCassette);
  ASSERT_EQ(bodies.size(), 2u) << "an access token and the overview listing";
  const std::string file = WriteTemp("overview.json", bodies[1]);
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadDataset(file, "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(report.format, "reddit") << "a Listing is recognised";
  const Dataset& ds = *loaded;
  // Counted with python3 over data.children: 90 t1 comments (81 replying to a
  // t1, 9 to a t3), 10 t3 submissions of which 6 have crosspost_parent; all
  // by u/spez.
  const auto n = CountByType(ds);
  EXPECT_EQ(ds.events.size(), 100u) << "one event per thing";
  EXPECT_EQ(N(n, EventType::kComment), 90u) << "t1 things are comments";
  EXPECT_EQ(N(n, EventType::kShare), 6u) << "crossposts are shares";
  EXPECT_EQ(N(n, EventType::kPost), 4u) << "the other submissions are posts";
  EXPECT_EQ(ds.accounts.size(), 1u) << "one author, spez; crossposted authors are targets only";
  const Account* spez = AccountById(ds, "spez");
  ASSERT_NE(spez, nullptr);
  EXPECT_EQ(ds.String(spez->platform), "reddit") << "every account keeps its platform";
  const size_t xpost = EventRow(ds, "t3_1s3ezrc");
  size_t crosspost_of_own = SIZE_MAX;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.type[i] == EventType::kShare && ds.objects.Get(ds.events.target_id[i]) == "t3_1s3ezrc")
      crosspost_of_own = i;
  ASSERT_NE(crosspost_of_own, SIZE_MAX) << "one crosspost of spez's own submission t3_1s3ezrc";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[crosspost_of_own]), "spez")
      << "the target account is crosspost_parent_list's author";
  (void)xpost;
  size_t on_submission = 0;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.type[i] == EventType::kComment && ds.objects.Get(ds.events.target_id[i]).substr(0, 3) == "t3_")
      ++on_submission;
  EXPECT_EQ(on_submission, 9u) << "nine comments reply to the submission itself (parent_id t3_)";
}

std::string Zstd(const std::string& data, int window_log) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, window_log);
  ZSTD_CCtx_setParameter(c, ZSTD_c_enableLongDistanceMatching, 1);
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const size_t n = ZSTD_compress2(c, out.data(), out.size(), data.data(), data.size());
  ZSTD_freeCCtx(c);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

TEST(RedditReader, DumpLinesZstdCompressed) {
  // Arctic Shift / Pushshift dump lines: bare objects, created_utc as a
  // number (or a string in old dumps), [deleted] authors.
  std::string lines =
      R"({"id":"abc","name":"t3_abc","author":"alice","author_fullname":"t2_a","created_utc":1704067200,"subreddit":"news","title":"T","selftext":"","url":"https://site.example/x","is_self":false,"score":5})"
      "\n"
      R"({"id":"c1","author":"bob","created_utc":"1704067260","subreddit":"news","body":"see https://other.example/y).","parent_id":"t3_abc","link_id":"t3_abc"})"
      "\n"
      R"({"id":"c2","author":"[deleted]","created_utc":1704067320.0,"subreddit":"news","body":"[removed]","parent_id":"t1_c1","link_id":"t3_abc"})"
      "\n";
  const std::string path = WriteTemp("RC_2024-01.zst", Zstd(lines, 28));
  ASSERT_FALSE(Zstd(lines, 28).empty());
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(path, "auto", {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(report.format, "reddit") << "RC_*.zst names a Reddit dump";
  EXPECT_EQ(report.rows_loaded(), 3u) << "three lines, the [deleted] one loaded and adding nothing";
  EXPECT_EQ(ds->events.size(), 2u) << "a submission and a comment";
  const size_t post = EventRow(*ds, "t3_abc");
  ASSERT_NE(post, SIZE_MAX);
  EXPECT_EQ(ds->urls.Get(ds->events.urls.Row(post)[0]), "https://site.example/x") << "a link post's url";
  const size_t c1 = EventRow(*ds, "t1_c1");
  ASSERT_NE(c1, SIZE_MAX) << "a dump line without name gets its fullname from the kind and id";
  EXPECT_EQ(ds->events.type[c1], EventType::kComment) << "a body and link_id make a comment";
  EXPECT_EQ(FormatTime(ds->events.time[c1]), "2024-01-01T00:01:00Z") << "created_utc given as a string";
  ASSERT_EQ(ds->events.urls.Row(c1).size(), 1u) << "the link in the body";
  EXPECT_EQ(ds->urls.Get(ds->events.urls.Row(c1)[0]), "https://other.example/y") << "up to the closing bracket";
}

// Dumps come as a directory of monthly files named as Arctic Shift names
// them; such a directory reads as one data set.
TEST(RedditReader, ADirectoryOfDumpsReadsWhole) {
  const std::string lines =
      R"({"id":"s1","name":"t3_s1","author":"alice","created_utc":1704067200,"subreddit":"news","title":"T","selftext":"x"})"
      "\n"
      R"({"id":"c1","author":"bob","created_utc":1704067260,"subreddit":"news","body":"y","parent_id":"t3_s1","link_id":"t3_s1"})"
      "\n";
  const auto dir = std::filesystem::path(::testing::TempDir()) / "reddit_dumps";
  std::filesystem::create_directories(dir);
  std::ofstream((dir / "RS_2024-01.zst").string(), std::ios::binary) << Zstd(lines.substr(0, lines.find('\n') + 1), 27);
  std::ofstream((dir / "RC_2024-01.zst").string(), std::ios::binary) << Zstd(lines.substr(lines.find('\n') + 1), 27);
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(dir.string(), "auto", {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(report.format, "reddit");
  EXPECT_EQ(report.files.size(), 2u) << "both monthly files";
  EXPECT_EQ(ds->events.size(), 2u) << "the submission and the comment on it";
}

TEST(RedditReader, NegativeScoreIsKept) {
  // Regression: a downvoted comment (score -3) was rejected as a negative
  // count, and with it every downvoted item of a dump.
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadReddit({WriteTemp("RC_neg.jsonl", R"({"id":"c","author":"a","created_utc":1717225200,"subreddit":"s","body":"x","parent_id":"t3_x","link_id":"t3_x","score":-3})"
                                                  "\n")},
                       {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  ASSERT_EQ(ds->events.size(), 1u) << "the downvoted comment is an event";
  bool found = false;
  for (const ExtraAttribute& x : ds->event_extras)
    if (ds->strings.Get(x.column) == "score") found = ds->strings.Get(x.value) == "-3";
  EXPECT_TRUE(found) << "its score is kept as given";
  ErrorSink sink2;
  auto bad = LoadReddit({WriteTemp("RC_badscore.jsonl", R"({"id":"c","author":"a","created_utc":1717225200,"subreddit":"s","body":"x","parent_id":"t3_x","link_id":"t3_x","score":"many"})"
                                                        "\n")},
                        {}, &sink2, &report);
  ASSERT_FALSE(bad.ok()) << "a score that is no integer is still an error";
  EXPECT_EQ(sink2.first()->field, "score") << "naming the field";
}

// A comment on a submission names the submission's author in link_author;
// when that author deleted the account it is "[deleted]", no account.
TEST(RedditReader, ADeletedSubmissionAuthorIsNoTargetAccount) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadReddit(
      {WriteTemp("RC_linkauthor.jsonl",
                 R"({"id":"c1","author":"a","created_utc":1717225200,"subreddit":"s","body":"x","parent_id":"t3_x","link_id":"t3_x","link_author":"[deleted]"})"
                 "\n"
                 R"({"id":"c2","author":"b","created_utc":1717225260,"subreddit":"s","body":"y","parent_id":"t3_y","link_id":"t3_y","link_author":"carol"})"
                 "\n")},
      {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  const size_t c1 = EventRow(*ds, "t1_c1"), c2 = EventRow(*ds, "t1_c2");
  ASSERT_NE(c1, SIZE_MAX);
  ASSERT_NE(c2, SIZE_MAX);
  EXPECT_EQ(ds->events.target_account[c1], kNoString) << "[deleted] is no account";
  EXPECT_EQ(ds->account_ids.Find("[deleted]"), kNoString);
  EXPECT_EQ(ds->AccountId(ds->events.target_account[c2]), "carol") << "a living author is the target account";
}

TEST(RedditReader, CommentWithoutParentIsAnError) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadReddit({WriteTemp("RC_bad.jsonl", R"({"id":"c","author":"a","created_utc":1717225200,"subreddit":"s","body":"x","link_id":"t3_x"})"
                                                  "\n")},
                       {}, &sink, &report);
  ASSERT_FALSE(ds.ok());
  EXPECT_EQ(sink.first()->field, "parent_id") << "names the field";
  EXPECT_EQ(sink.first()->line, 1u) << "and the line";
}

}  // namespace
}  // namespace lockstep
