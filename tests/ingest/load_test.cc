#include "lockstep/ingest/load.h"

#include <gtest/gtest.h>

#include "ingest/cassette.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing_cassette::EventRow;

const std::string kData = std::string(LOCKSTEP_SOURCE_DIR) + "/tests/data/ingest/";

TEST(LoadSources, TwoPlatformsInOneDataSetWithPerSourceRows) {
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadSources({kData + "telegram", kData + "tiktok"}, "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Dataset& ds = *loaded;
  EXPECT_EQ(report.format, "telegram+tiktok");
  ASSERT_EQ(report.sources.size(), 2u);
  // The readers' own tests count these fixtures: 16 Telegram messages giving
  // 15 events by 7 accounts; 4 TikTok records giving 8 events by 7 accounts.
  EXPECT_EQ(report.sources[0].rows_read, 16u);
  EXPECT_EQ(report.sources[0].rows_read, report.sources[0].rows_loaded + report.sources[0].rows_rejected);
  EXPECT_EQ(report.sources[1].rows_read, 4u);
  EXPECT_EQ(report.sources[0].id_namespace, "telegram");
  EXPECT_EQ(report.sources[1].id_namespace, "tiktok");
  EXPECT_EQ(report.files.size(), 5u) << "every file of both sources";
  EXPECT_EQ(ds.accounts.size(), 14u) << "no account of one platform merged into another's";
  EXPECT_EQ(ds.events.size(), 23u);
  EXPECT_NE(EventRow(ds, "telegram:channel1500000001/2"), SIZE_MAX);
  const size_t fwd = EventRow(ds, "telegram:channel1700000003/101");
  ASSERT_NE(fwd, SIZE_MAX);
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[fwd]), "telegram:channel1500000001/2")
      << "targets move with their source's namespace";
  EXPECT_NE(EventRow(ds, "tiktok:7350000000000000001"), SIZE_MAX);
}

TEST(LoadSources, SourcesOfOnePlatformShareIds) {
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadSources({kData + "telegram/channel_result.json", kData + "telegram/telethon_messages.jsonl"}, "auto",
                            {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(report.sources[0].id_namespace, "") << "one platform: ids unprefixed";
  const Dataset& ds = *loaded;
  const size_t fwd = EventRow(ds, "channel1700000003/101");
  ASSERT_NE(fwd, SIZE_MAX);
  EXPECT_NE(EventRow(ds, ds.objects.Get(ds.events.target_id[fwd])), SIZE_MAX)
      << "the Telethon forward's target is the Desktop export's post";
}

// The same ids on two platforms, each read by its own reader: a Mastodon
// instance's account 7 and status 42, and an export in the lockstep format
// whose account 7 (on Twitter) posted event 42 and replied to it.
TEST(LoadSources, EqualIdsOfTwoPlatformsStayApartThroughTheirReaders) {
  testing::TempDir lockstep_dir, mastodon_dir;
  testing::WriteFile(lockstep_dir / "events.csv",
                     "event_id,account_id,time,type,target_id,text\n"
                     "42,7,2024-09-09T10:00:00Z,post,,on twitter\n"
                     "43,8,2024-09-09T10:01:00Z,comment,42,a reply on twitter\n");
  testing::WriteFile(lockstep_dir / "accounts.csv", "account_id,platform\n7,twitter\n8,twitter\n");
  const std::string dir = lockstep_dir.path();
  const std::string mastodon = mastodon_dir / "statuses.json";
  testing::WriteFile(mastodon,
      R"([{"id":"42","created_at":"2024-09-09T11:00:00.000Z","content":"<p>on mastodon</p>",)"
      R"("account":{"id":"7","username":"alice","acct":"alice"},"reblog":null,"tags":[],"mentions":[]},)"
      R"({"id":"43","created_at":"2024-09-09T11:02:00.000Z","content":"<p>a boost</p>",)"
      R"("account":{"id":"8","username":"bob","acct":"bob"},"tags":[],"mentions":[],)"
      R"("reblog":{"id":"42","created_at":"2024-09-09T11:00:00.000Z","content":"<p>on mastodon</p>",)"
      R"("account":{"id":"7","username":"alice","acct":"alice"},"tags":[],"mentions":[]}}])");
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadSources({dir, mastodon}, "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Dataset& ds = *loaded;
  ASSERT_EQ(report.sources.size(), 2u);
  EXPECT_EQ(report.sources[0].id_namespace, "twitter");
  EXPECT_EQ(report.sources[1].id_namespace, "mastodon");
  EXPECT_EQ(ds.accounts.size(), 4u) << "accounts 7 and 8 of each platform, none merged";
  EXPECT_EQ(ds.events.size(), 4u);
  const size_t reply = EventRow(ds, "twitter:43");
  const size_t boost = EventRow(ds, "mastodon:43");
  ASSERT_NE(reply, SIZE_MAX);
  ASSERT_NE(boost, SIZE_MAX);
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[reply]), "twitter:42") << "the reply stays on its platform";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[boost]), "mastodon:42") << "the boost stays on its platform";
  EXPECT_NE(ds.events.account[EventRow(ds, "twitter:42")], ds.events.account[EventRow(ds, "mastodon:42")])
      << "account 7 of one platform is not account 7 of the other";
  for (const SourceStats& s : report.sources) EXPECT_EQ(s.rows_read, s.rows_loaded + s.rows_rejected) << s.path;
}

TEST(LoadSources, AFailingSourceFailsTheLoad) {
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadSources({kData + "telegram", kData + "no_such_source"}, "auto", {}, &sink, &report);
  EXPECT_FALSE(loaded.ok());
}

}  // namespace
}  // namespace lockstep
