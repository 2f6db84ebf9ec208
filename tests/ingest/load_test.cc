#include "lockstep/ingest/load.h"

#include <gtest/gtest.h>

#include "ingest/cassette.h"

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

TEST(LoadSources, AFailingSourceFailsTheLoad) {
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadSources({kData + "telegram", kData + "no_such_source"}, "auto", {}, &sink, &report);
  EXPECT_FALSE(loaded.ok());
}

}  // namespace
}  // namespace lockstep
