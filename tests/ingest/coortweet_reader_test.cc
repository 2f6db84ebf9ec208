#include "lockstep/ingest/coortweet_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "lockstep/ingest/load.h"

namespace lockstep {
namespace {

const std::string kDir = std::string(LOCKSTEP_SHARED_DATA) + "/coortweet/";

std::string Extra(const Dataset& ds, uint32_t row, std::string_view column) {
  for (const ExtraAttribute& x : ds.event_extras)
    if (x.row == row && ds.strings.Get(x.column) == column) return std::string(ds.strings.Get(x.value));
  return "";
}

TEST(CoorTweetReader, RussianRetweetsAreSharesOfTheirObjects) {
  if (!std::filesystem::exists(kDir)) GTEST_SKIP() << kDir << " is absent (a fresh clone has no ../shared/data)";
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadDataset(kDir + "russian_coord_tweets.csv", "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Dataset& ds = *loaded;
  EXPECT_EQ(report.format, "coortweet") << "auto detects the table from its header";
  EXPECT_EQ(ds.events.size(), 35125u) << "35,125 retweets";
  EXPECT_EQ(ds.accounts.size(), 9509u) << "by 9,509 accounts";
  std::vector<StringId> targets(ds.events.target_id);
  std::sort(targets.begin(), targets.end());
  EXPECT_EQ(std::unique(targets.begin(), targets.end()) - targets.begin(), 7285) << "of 7,285 objects";
  const StringId content = ds.objects.Find("114e22f1b2b648528277b76f0b0224e7");
  size_t row = SIZE_MAX;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.event_id[i] == content) row = i;
  ASSERT_NE(row, SIZE_MAX) << "the first row's content_id is an event id";
  EXPECT_EQ(ds.events.type[row], EventType::kShare) << "a retweet is a share";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[row]), "85d2d12251a735ce05255061f7f231e2") << "of object_id";
  EXPECT_EQ(ds.AccountId(ds.events.account[row]), "0fb4232d1b7b37069c13ee17579bd10e") << "by account_id";
  EXPECT_EQ(ds.events.time[row], 1623881091) << "timestamp_share is epoch seconds";
  EXPECT_EQ(ds.String(ds.accounts[ds.events.account[row]].platform), "twitter") << "CooRTweet's example is Twitter";
}

TEST(CoorTweetReader, GermanPostsCarryUrlHashtagAndDomainIds) {
  if (!std::filesystem::exists(kDir)) GTEST_SKIP() << kDir << " is absent (a fresh clone has no ../shared/data)";
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadCoorTweet({kDir + "german_elections.csv"}, {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Dataset& ds = *loaded;
  EXPECT_EQ(ds.events.size(), 218971u) << "218,971 posts";
  EXPECT_EQ(ds.accounts.size(), 58317u) << "by 58,317 accounts";
  size_t facebook = 0;
  for (const Account& a : ds.accounts) facebook += ds.String(a.platform) == "facebook";
  EXPECT_EQ(facebook, 21655u) << "fb_ accounts are facebook";
  EXPECT_EQ(ds.urls.size(), 11960u) << "one url per distinct url_id";
  const StringId post = ds.objects.Find("129235");
  size_t row = SIZE_MAX;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.event_id[i] == post) row = i;
  ASSERT_NE(row, SIZE_MAX) << "post_id 129235 of the first row";
  EXPECT_EQ(ds.events.type[row], EventType::kPost) << "a post";
  EXPECT_EQ(ds.AccountId(ds.events.account[row]), "fb_12670") << "account_id";
  ASSERT_EQ(ds.events.urls.Row(row).size(), 1u) << "url_id 23678";
  const StringId url = ds.events.urls.Row(row)[0];
  EXPECT_EQ(ds.urls.Get(url), "url:23678") << "url ids become url keys so co-link works";
  EXPECT_EQ(ds.domains.Get(ds.url_domain[url]), "domain:3498") << "whose domain is the row's domain_id";
  EXPECT_EQ(Extra(ds, static_cast<uint32_t>(row), "domain_id"), "3498") << "domain_id also kept as given";
  EXPECT_TRUE(ds.events.hashtags.Row(row).empty()) << "no hashtag_id in the row";
}

TEST(CoorTweetReader, MissingTimeColumnRejectsTheFile) {
  const auto dir = std::filesystem::temp_directory_path() / "lockstep_coortweet_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "t.csv").string();
  std::ofstream(path) << "object_id,account_id,content_id,timestamp_share\no1,a1,c1,1623881091\no1,a2,c2,soon\n";
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadCoorTweet({path}, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 1u) << "the row with 'soon' is rejected";
  ASSERT_NE(sink.first(), nullptr) << "and recorded";
  EXPECT_EQ(sink.first()->field, "timestamp_share") << "the error names the field";
  EXPECT_EQ(sink.first()->line, 3u) << "and the line";
}

}  // namespace
}  // namespace lockstep
