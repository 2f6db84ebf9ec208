#include "lockstep/ingest/youtube_reader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/cassette.h"
#include "lockstep/ingest/load.h"

namespace lockstep {
namespace {

using testing_cassette::AccountById;
using testing_cassette::CountByType;
using testing_cassette::EventRow;
using testing_cassette::WriteTemp;

const std::string kDir = std::string(LOCKSTEP_SHARED_DATA) + "/platform_samples/youtube";

TEST(YouTubeReader, RealVideosCommentThreadsAndComments) {
  if (!std::filesystem::exists(kDir)) GTEST_SKIP() << kDir << " is absent (a fresh clone has no ../shared/data)";
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadDataset(kDir, "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(report.format, "youtube") << "the three .json responses are recognised by their youtube# kinds";
  EXPECT_EQ(report.files.size(), 3u) << "LICENSE and PROVENANCE.md are not data files";
  const Dataset& ds = *loaded;
  // Counted with python3: videos 1 item (D-lhorsDlUQ by channel
  // UC_x5XG1OV2P6uZZ5FSM9Ttw); commentThreads 5 threads with a top-level
  // comment each and no replies included; comments 2 replies to
  // Ugw5zYU6n9pmIgAZWvN4AaABAg by one author. 7 distinct channels in all.
  const auto n = CountByType(ds);
  EXPECT_EQ(ds.events.size(), 8u) << "1 video + 5 top-level comments + 2 replies";
  EXPECT_EQ(n[static_cast<size_t>(EventType::kPost)], 1u) << "the video is a post";
  EXPECT_EQ(n[static_cast<size_t>(EventType::kComment)], 7u) << "every comment is a comment";
  EXPECT_EQ(ds.accounts.size(), 7u) << "the video's channel and six commenters";
  const size_t video = EventRow(ds, "D-lhorsDlUQ");
  ASSERT_NE(video, SIZE_MAX);
  EXPECT_EQ(ds.AccountId(ds.events.account[video]), "UC_x5XG1OV2P6uZZ5FSM9Ttw") << "posted by snippet.channelId";
  EXPECT_EQ(FormatTime(ds.events.time[video]), "2019-03-21T20:37:49Z") << "publishedAt";
  EXPECT_EQ(ds.events.hashtags.Row(video).size(), 20u) << "the video's 20 tags";
  EXPECT_EQ(AccountById(ds, "UC_x5XG1OV2P6uZZ5FSM9Ttw")->kind, AccountKind::kChannel) << "a video's channel";
  const size_t top = EventRow(ds, "UgyZ1jqkHKYvi1-ruOZ4AaABAg");
  ASSERT_NE(top, SIZE_MAX);
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[top]), "F1UP7wRCPH8") << "a top-level comment targets its video";
  const size_t reply = EventRow(ds, "Ugw5zYU6n9pmIgAZWvN4AaABAg.91zT3cYb5B291za6voUoRh");
  ASSERT_NE(reply, SIZE_MAX);
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[reply]), "Ugw5zYU6n9pmIgAZWvN4AaABAg") << "a reply targets parentId";
  EXPECT_EQ(ds.String(AccountById(ds, ds.AccountId(ds.events.account[reply]))->display_name), "kun liu")
      << "authorDisplayName";
  for (size_t i = 0; i < ds.accounts.size(); ++i)
    EXPECT_EQ(ds.String(ds.accounts[i].platform), "youtube") << "every account keeps its platform";
}

TEST(YouTubeReader, ThreadRepliesAndMissingAuthor) {
  const std::string thread =
      R"({"kind":"youtube#commentThread","id":"T","snippet":{"videoId":"V","channelId":"C","topLevelComment":{"kind":"youtube#comment","id":"T","snippet":{"authorDisplayName":"@ann","authorChannelId":{"value":"A"},"textOriginal":"hi","publishedAt":"2024-01-01T00:00:00Z","likeCount":3}}},"replies":{"comments":[{"kind":"youtube#comment","id":"T.r","snippet":{"authorChannelId":{"value":"B"},"parentId":"T","textOriginal":"yo","publishedAt":"2024-01-01T00:01:00Z"}}]}})"
      "\n";
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadYouTube({WriteTemp("threads.jsonl", thread)}, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 2u) << "the top-level comment and its reply";
  EXPECT_EQ(ds->AccountId(ds->events.target_account[EventRow(*ds, "T")]), "C") << "the video's channel is the target account";
  EXPECT_EQ(ds->String(AccountById(*ds, "A")->handle), "ann") << "an @handle display name gives the handle";

  ErrorSink fail;
  LoadReport r2;
  auto bad = LoadYouTube({WriteTemp("bad.json", R"({"kind":"youtube#commentListResponse","items":[{"kind":"youtube#comment","id":"x","snippet":{"publishedAt":"2024-01-01T00:00:00Z","videoId":"V"}}]})")},
                         {}, &fail, &r2);
  ASSERT_FALSE(bad.ok()) << "a comment without its author cannot be attributed";
  EXPECT_EQ(fail.first()->field, "items[0].snippet.authorChannelId.value") << "the field's full path";
}

TEST(YouTubeReader, ItemsOrRepliesThatAreNotArraysAreSkippedNotACrash) {
  // fuzz_youtube's crash: "items" or "replies.comments" holding a number.
  ErrorSink sink;
  LoadReport report;
  const std::string body =
      R"({"kind":"youtube#commentThreadListResponse","items":7})"
      "\n"
      R"({"kind":"youtube#commentThread","id":"T","snippet":{"videoId":"V","channelId":"C","topLevelComment":{"kind":"youtube#comment","id":"T","snippet":{"authorChannelId":{"value":"A"},"textOriginal":"hi","publishedAt":"2024-01-01T00:00:00Z"}}},"replies":{"comments":"none"}})"
      "\n";
  auto ds = LoadYouTube({WriteTemp("not_arrays.jsonl", body)}, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 1u) << "only the thread's top-level comment is an event";
}

}  // namespace
}  // namespace lockstep
