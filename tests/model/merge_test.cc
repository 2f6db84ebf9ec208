#include "lockstep/model/merge.h"

#include <gtest/gtest.h>

#include "dataset_builder.h"

namespace lockstep {
namespace {

Dataset Source(std::string_view platform, std::string_view text) {
  testing::DatasetBuilder b;
  b.Add("a1", 1717225200, EventType::kPost, {}, text).Add("a2", 1717225260, EventType::kShare, "p1", text);
  Dataset ds = b.Build();
  for (Account& a : ds.accounts) a.platform = ds.strings.Intern(platform);
  return ds;
}

TEST(MergeDatasets, NamespacesKeepEqualIdsOfTwoPlatformsApart) {
  std::vector<MergeSource> sources;
  sources.push_back({Source("telegram", "same words"), "telegram"});
  sources.push_back({Source("tiktok", "same words"), "tiktok"});
  const Dataset ds = MergeDatasets(std::move(sources));
  EXPECT_EQ(ds.accounts.size(), 4u) << "a1 and a2 of each platform are four accounts";
  ASSERT_NE(ds.account_ids.Find("telegram:a1"), kNoString);
  ASSERT_NE(ds.account_ids.Find("tiktok:a1"), kNoString);
  EXPECT_EQ(ds.String(ds.accounts[ds.account_ids.Find("tiktok:a1")].platform), "tiktok") << "each keeps its platform";
  EXPECT_NE(ds.objects.Find("telegram:p1"), kNoString) << "target ids are namespaced too";
  EXPECT_NE(ds.objects.Find("tiktok:p1"), kNoString);
  ASSERT_EQ(ds.events.size(), 4u);
  EXPECT_TRUE(std::is_sorted(ds.events.time.begin(), ds.events.time.end())) << "events in time order";
  for (size_t i = 0; i < ds.events.size(); ++i)
    EXPECT_EQ(ds.events.Text(i), "same words") << "texts are not namespaced: content stays one key";
}

TEST(MergeDatasets, OneNamespaceJoinsTheSameAccount) {
  std::vector<MergeSource> sources;
  sources.push_back({Source("telegram", "x"), ""});
  sources.push_back({Source("telegram", "y"), ""});
  const Dataset ds = MergeDatasets(std::move(sources));
  EXPECT_EQ(ds.accounts.size(), 2u) << "a1 and a2 seen in both sources";
  EXPECT_EQ(ds.events.size(), 4u);
  EXPECT_EQ(ds.objects.size(), 1u) << "both shares target the one post p1";
}

}  // namespace
}  // namespace lockstep
