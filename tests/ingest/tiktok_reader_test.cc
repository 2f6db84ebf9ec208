#include "lockstep/ingest/tiktok_reader.h"

#include <gtest/gtest.h>

#include "ingest/cassette.h"
#include "lockstep/ingest/load.h"

namespace lockstep {
namespace {

using testing_cassette::AccountById;
using testing_cassette::CountByType;
using testing_cassette::EventExtra;
using testing_cassette::EventRow;
using testing_cassette::WriteTemp;

// Fixtures written from the Research API's documented fields
// (developers.tiktok.com, Query Videos and Query Video Comments).
const std::string kDir = std::string(LOCKSTEP_SOURCE_DIR) + "/tests/data/ingest/tiktok";

TEST(TikTokReader, VideoPagesAndCommentLists) {
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadDataset(kDir, "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(report.format, "tiktok");
  // Counted from the fixtures: videos.json holds two pages (3 + 2 videos,
  // video ...002 on both); comments.jsonl one comment list (3 comments) and
  // one bare comment.
  EXPECT_EQ(report.rows_read(), 4u) << "2 pages + 1 comment list + 1 comment";
  const Dataset& ds = *loaded;
  const auto n = CountByType(ds);
  EXPECT_EQ(n[static_cast<size_t>(EventType::kPost)], 4u) << "4 distinct videos: a video on two pages is kept once";
  EXPECT_EQ(n[static_cast<size_t>(EventType::kComment)], 4u);
  EXPECT_EQ(ds.events.size(), 8u);
  EXPECT_EQ(ds.accounts.size(), 7u) << "3 creators and one account per comment (the API names no comment author)";

  const size_t v1 = EventRow(ds, "7350000000000000001");
  ASSERT_NE(v1, SIZE_MAX) << "int64 ids are kept as their decimal text";
  EXPECT_EQ(ds.AccountId(ds.events.account[v1]), "alpha_news") << "the creator's username is the account";
  EXPECT_EQ(FormatTime(ds.events.time[v1]), "2024-06-01T07:00:00Z") << "create_time in epoch seconds";
  EXPECT_EQ(ds.events.hashtags.Row(v1).size(), 2u) << "hashtag_names";
  ASSERT_EQ(ds.events.mentions.Row(v1).size(), 1u);
  EXPECT_EQ(ds.mentions.Get(ds.events.mentions.Row(v1)[0]), "beta") << "video_mention_list";
  EXPECT_EQ(EventExtra(ds, v1, "share_count"), "12");
  EXPECT_EQ(ds.String(AccountById(ds, "alpha_news")->platform), "tiktok");

  const size_t top = EventRow(ds, "7360000000000000001");
  ASSERT_NE(top, SIZE_MAX);
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[top]), "7350000000000000001")
      << "parent_comment_id equal to video_id: a comment on the video";
  EXPECT_EQ(ds.AccountId(ds.events.account[top]), "comment:7360000000000000001");
  const size_t reply = EventRow(ds, "7360000000000000002");
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[reply]), "7360000000000000001") << "a reply targets its parent";
  const size_t bare = EventRow(ds, "7360000000000000003");
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[bare]), "7350000000000000001") << "no parent_comment_id: the video";
  EXPECT_EQ(EventExtra(ds, bare, "video_id"), "7350000000000000001");
}

TEST(TikTokReader, ErrorResponsesAndMissingFields) {
  ErrorSink fail;
  LoadReport report;
  auto bad = LoadTikTok({WriteTemp("tt_err.jsonl",
                                   R"({"error":{"code":"rate_limit_exceeded","message":"daily quota","log_id":"x"}})"
                                   "\n")},
                        {}, &fail, &report);
  ASSERT_FALSE(bad.ok()) << "a failed page is reported, not read as an empty one";
  EXPECT_EQ(fail.first()->field, "error.code");
  EXPECT_NE(fail.first()->problem.find("rate_limit_exceeded"), std::string::npos) << "the API's code is quoted";

  ErrorSink fail2;
  LoadReport r2;
  auto no_user = LoadTikTok(
      {WriteTemp("tt_nouser.json", R"({"data":{"videos":[{"id":1,"create_time":1717225200,"video_description":"x"}]}})")},
      {}, &fail2, &r2);
  ASSERT_FALSE(no_user.ok()) << "a video without username cannot be attributed";
  EXPECT_EQ(fail2.first()->field, "data.videos[0].username");
  EXPECT_EQ(fail2.first()->line, 1u);

  ErrorSink fail3;
  LoadReport r3;
  auto ms = LoadTikTok(
      {WriteTemp("tt_ms.jsonl", R"({"id":1,"username":"a","create_time":1717225200000})" "\n")}, {}, &fail3, &r3);
  ASSERT_FALSE(ms.ok()) << "epoch milliseconds are out of the time window";
  EXPECT_EQ(fail3.first()->kind, InputErrorKind::kBadTime);
}

}  // namespace
}  // namespace lockstep
