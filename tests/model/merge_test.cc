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

TEST(MergeDatasets, AUrlKeepsTheDomainItsSourceGaveIt) {
  // A CooRTweet table names a url by an opaque id with its domain beside it;
  // a url read off a post keeps the domain read off it, a link wrapper none.
  auto source = [](std::string_view url, std::string_view domain) {
    Dataset ds = Source("twitter", "x");
    const size_t before = ds.urls.size();
    const StringId id = ds.urls.Intern(url);
    if (ds.urls.size() != before) ds.url_domain.push_back(domain.empty() ? kNoString : ds.InternDomain(domain));
    ds.events.urls.items.push_back(id);
    for (size_t e = 1; e < ds.events.urls.offsets.size(); ++e) ds.events.urls.offsets[e] = 1;  // on the first event
    return ds;
  };
  std::vector<MergeSource> sources;
  sources.push_back({source("url:123", "domain:9"), "a"});
  {
    Dataset ds = Source("twitter", "y");
    const StringId id = ds.InternUrl("https://www.Example.org/story");
    ds.events.urls.items.push_back(id);
    for (size_t e = 1; e < ds.events.urls.offsets.size(); ++e) ds.events.urls.offsets[e] = 1;
    sources.push_back({std::move(ds), "b"});
  }
  sources.push_back({source("https://t.co/abc", ""), "c"});
  const Dataset ds = MergeDatasets(std::move(sources));
  ASSERT_EQ(ds.urls.size(), ds.url_domain.size());
  auto domain_of = [&](std::string_view url) -> std::string {
    const StringId u = ds.urls.Find(url);
    if (u == kNoString) return "(no url)";
    return ds.url_domain[u] == kNoString ? "" : std::string(ds.domains.Get(ds.url_domain[u]));
  };
  EXPECT_EQ(domain_of("url:123"), "domain:9") << "the domain the table gave";
  EXPECT_EQ(domain_of("https://www.Example.org/story"), "example.org") << "read off the url";
  EXPECT_EQ(domain_of("https://t.co/abc"), "") << "a platform's link wrapper is no domain";
}

}  // namespace
}  // namespace lockstep
