#include "lockstep/signals/content_targeting.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>

#include <fmt/format.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/sim/simulator.h"
#include "signals/sim_fixture.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::Network;
using testing::SimData;
using testing::Simulated;

TEST(ContentTargeting, WordSetsCompareNormalisedWords) {
  const auto a = WordSet("The Election, the VOTE!  and-the election");
  const auto b = WordSet("vote election");
  EXPECT_EQ(a.size(), 4u) << "the, election, vote, and: lower-cased, unique, 3+ bytes";
  EXPECT_DOUBLE_EQ(Jaccard(a, b), 0.5) << "2 shared of 4";
  EXPECT_DOUBLE_EQ(Jaccard(WordSet("x y"), WordSet("")), 1.0) << "two empty sets are equal";
}

TEST(ContentTargeting, JaccardAtLeastHalfFlipsAtOneHalf) {
  using internal::JaccardAtLeastHalf;
  using W = std::vector<uint64_t>;
  EXPECT_TRUE(JaccardAtLeastHalf(W{1, 2, 3}, W{1, 2, 4})) << "2 shared of 4: exactly 1/2 counts";
  EXPECT_FALSE(JaccardAtLeastHalf(W{1, 2, 3}, W{1, 4, 5})) << "1 shared of 5";
  EXPECT_TRUE(JaccardAtLeastHalf(W{1, 2, 3}, W{1, 2, 3, 4, 5, 6})) << "a subset of half the size: 3 of 6";
  EXPECT_FALSE(JaccardAtLeastHalf(W{1, 2, 3}, W{1, 2, 3, 4, 5, 6, 7})) << "a subset of less than half: 3 of 7";
  EXPECT_TRUE(JaccardAtLeastHalf(W{5, 6, 7, 8}, W{1, 6, 7, 8})) << "3 of 5, the shared words last";
  EXPECT_FALSE(JaccardAtLeastHalf(W{5, 6, 7, 8}, W{1, 2, 7, 8})) << "2 of 6, the shared words last";
  EXPECT_TRUE(JaccardAtLeastHalf(W{1, 2, 3, 10}, W{1, 2, 3, 4})) << "3 of 5, the unshared words last";
  EXPECT_FALSE(JaccardAtLeastHalf(W{1, 2, 9, 10}, W{1, 2, 3, 4})) << "2 of 6, the unshared words last";
  EXPECT_TRUE(JaccardAtLeastHalf(W{}, W{})) << "two empty sets are equal";
  EXPECT_FALSE(JaccardAtLeastHalf(W{}, W{1})) << "nothing shared with a non-empty set";
  // Against the double comparison it stands for, on seeded random sets of a
  // small vocabulary (so that both answers are common).
  std::mt19937_64 rng(16);
  int at_least_half = 0;
  for (int trial = 0; trial < 5000; ++trial) {
    W a, b;
    const uint64_t vocabulary = 4 + rng() % 12;
    for (uint64_t w = 0; w < vocabulary; ++w) {
      if (rng() % 2) a.push_back(w);
      if (rng() % 2) b.push_back(w);
    }
    const bool expected = Jaccard(a, b) >= 0.5;
    at_least_half += expected;
    ASSERT_EQ(JaccardAtLeastHalf(a, b), expected) << "trial " << trial << ": |a| " << a.size() << ", |b| " << b.size();
  }
  EXPECT_GT(at_least_half, 500) << "the random sets reach 1/2 often enough to test both answers";
  EXPECT_LT(at_least_half, 4500);
}

TEST(ContentTargeting, WordSignaturePrecheckBoundsTheWordsInCommon) {
  using internal::SignatureMatches;
  using internal::WordSignature;
  using W = std::vector<uint64_t>;
  EXPECT_EQ(WordSignature(W{0, 5, 63}), (uint64_t{1} << 0) | (uint64_t{1} << 5) | (uint64_t{1} << 63))
      << "one bit per word, the word's low six bits";
  EXPECT_EQ(WordSignature(W{7, 64 + 7}), uint64_t{1} << 7) << "words equal in their low six bits share a bit";
  // The precheck rules a pair out when 3 x matches < |a| + |b|; at the
  // boundary it must let the pair through (Jaccard exactly 1/2).
  const W a{1, 2, 3};
  EXPECT_EQ(SignatureMatches(a, WordSignature(W{1, 2, 4})), 2u) << "words 1 and 2 are in both";
  EXPECT_GE(3 * SignatureMatches(a, WordSignature(W{1, 2, 4})), a.size() + 3) << "2 of 4 shared: not ruled out";
  EXPECT_LT(3 * SignatureMatches(a, WordSignature(W{1, 4, 5})), a.size() + 3) << "1 shared: ruled out";
  // A colliding bit makes it a bound, not a count: 2 + 64 sets word 2's bit.
  EXPECT_EQ(SignatureMatches(a, WordSignature(W{1, 2 + 64, 4})), 2u) << "only word 1 is shared, word 2 collides";
  EXPECT_FALSE(internal::JaccardAtLeastHalf(a, W{1, 4, 2 + 64})) << "so the merge has the last word";
  // Never below the true count (else a near-copy would be missed), on seeded
  // random words; and it does rule pairs out, or it would be worth nothing.
  std::mt19937_64 rng(1016);
  int ruled_out = 0;
  for (int trial = 0; trial < 5000; ++trial) {
    W x, y;
    const size_t nx = 1 + rng() % 12, ny = 1 + rng() % 12;
    for (size_t i = 0; i < nx; ++i) x.push_back(rng() % 200);
    for (size_t i = 0; i < ny; ++i) y.push_back(rng() % 200);
    for (W* v : {&x, &y}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    W both;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(both));
    const size_t matches = SignatureMatches(x, WordSignature(y));
    ASSERT_GE(matches, both.size()) << "trial " << trial << ": an upper bound of the words in common";
    if (3 * matches < x.size() + y.size()) {
      ++ruled_out;
      ASSERT_FALSE(internal::JaccardAtLeastHalf(x, y)) << "trial " << trial << ": ruled out but a near-copy";
    }
  }
  EXPECT_GT(ruled_out, 1000) << "the precheck spares the merge for most unrelated pairs";
}

// The lockstep-format data set written to `dir`.
Dataset LoadDir(const testing::TempDir& dir) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadLockstepDirectory(dir.path(), {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return ds.ok() ? std::move(ds).value() : Dataset();
}

TEST(ContentTargeting, FlagsCannedCommentsUnrelatedToTheirPosts) {
  testing::TempDir dir;
  testing::WriteFile(dir / "accounts.csv", "account_id\noutlet\ntroll1\ntroll2\ntroll3\nreader\n");
  std::string events = "event_id,account_id,time,type,target_id,text\n";
  const char* posts[] = {"parliament passes budget after long night of debate",
                         "storm floods coastal towns as rivers burst banks",
                         "football club appoints new coach after losing season"};
  for (int p = 0; p < 3; ++p) events += fmt::format("p{},outlet,{},post,,\"{}\"\n", p, 1600000000 + p * 1000, posts[p]);
  for (int p = 0; p < 3; ++p)
    events += fmt::format("c{},troll{},{},comment,p{},\"wake up people the vaccine is poison share this now\"\n", p, p + 1,
                          1600000100 + p * 1000, p);
  events += "r1,reader,1600002200,comment,p2,\"new coach again after such a losing season\"\n";
  testing::WriteFile(dir / "events.csv", events);
  const Dataset ds = LoadDir(dir);
  ASSERT_GT(ds.num_accounts(), 0u);
  ContentTargetingSignal signal(ds);
  EXPECT_DEATH((void)signal.comment_stats(), "read before a successful Run") << "no results before Run()";
  ASSERT_TRUE(signal.Run().ok());
  const auto& st = signal.comment_stats();
  for (int t = 1; t <= 3; ++t) {
    const AccountIndex a = ds.account_ids.Find(fmt::format("troll{}", t));
    EXPECT_EQ(st[a].off_topic, 1u) << "the same text under three unrelated posts";
  }
  const AccountIndex reader = ds.account_ids.Find("reader");
  EXPECT_EQ(st[reader].unrelated, 0u) << "the reader talks about the post";
  EXPECT_EQ(st[reader].off_topic, 0u);
}

TEST(ContentTargeting, APlatformsLinkWrapperIsNoDomain) {
  // Twitter puts t.co in front of every link, and some exports keep only the
  // wrapped link: an account whose links are all t.co sends people nowhere
  // in particular. One whose links all go to one site does.
  testing::TempDir dir;
  testing::WriteFile(dir / "accounts.csv", "account_id\ntweeter\nfeeder\n");
  std::string events = "event_id,account_id,time,type,urls\n";
  for (int i = 0; i < 10; ++i) {
    events += fmt::format("t{},tweeter,{},post,https://t.co/a{}x\n", i, 1600000000 + i * 600, i);
    events += fmt::format("f{},feeder,{},post,https://news-site.example/story{}\n", i, 1600000000 + i * 600, i);
  }
  testing::WriteFile(dir / "events.csv", events);
  const Dataset ds = LoadDir(dir);
  ASSERT_GT(ds.num_accounts(), 0u);
  ContentTargetingSignal signal(ds);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_EQ(signal.account_scores()[ds.account_ids.Find("tweeter")], 0.0f) << "t.co is no domain";
  EXPECT_GT(signal.account_scores()[ds.account_ids.Find("feeder")], 0.0f) << "one site for every link";
  EXPECT_TRUE(IsPlatformLinkWrapper("t.co"));
  EXPECT_TRUE(IsPlatformLinkWrapper(UrlHost("https://L.Facebook.com/l.php?u=x")));
  EXPECT_FALSE(IsPlatformLinkWrapper("bit.ly")) << "a shortener the user picks is a choice";
}

TEST(ContentTargeting, RefusesBadOptions) {
  Dataset ds;
  ContentTargetingOptions o;
  o.core_share = 1.5;
  ContentTargetingSignal signal(ds, o);
  const Status st = signal.Run();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << "a share above 1";
  EXPECT_NE(st.message().find("1.5"), std::string::npos) << st.message();
}

TEST(ContentTargeting, FindsTheTrollFarmsDomainsTargetsAndOffTopicComments) {
  for (uint64_t seed : {1, 2}) {
    const SimData& d = Simulated("troll_farm", seed, 0.05);
    const NetworkTruth& farm = Network(d, "troll_farm");
    const auto& members = d.members.at(farm.network_id);
    ContentTargetingSignal signal(d.ds);
    ASSERT_TRUE(signal.Run().ok());

    // Affiliated domains come out as concentrated, with farm accounts as the core.
    std::set<std::string> concentrated;
    for (const DomainCluster& c : signal.concentrated_domains()) {
      size_t farm_core = 0;
      for (AccountIndex a : c.core) farm_core += d.planted[a];
      if (farm_core * 10 < c.core.size() * 8) continue;
      for (StringId dom : c.domains) concentrated.insert(std::string(d.ds.domains.Get(dom)));
    }
    for (const std::string& dom : farm.affiliated_domains)
      EXPECT_TRUE(concentrated.count(dom)) << "seed " << seed << ": affiliated domain " << dom << " not found";
    ASSERT_FALSE(signal.groups().empty()) << "concentrated domains are groups";

    // Off-topic comments: the farm's canned comments on news posts against people's comments.
    uint64_t farm_comments = 0, farm_flagged = 0, people_comments = 0, people_flagged = 0;
    uint64_t farm_unrelated = 0, people_unrelated = 0;
    const auto& st = signal.comment_stats();
    for (AccountIndex a = 0; a < d.ds.num_accounts(); ++a) {
      if (d.planted[a]) {
        farm_comments += st[a].with_parent, farm_flagged += st[a].off_topic, farm_unrelated += st[a].unrelated;
      } else {
        people_comments += st[a].with_parent, people_flagged += st[a].off_topic, people_unrelated += st[a].unrelated;
      }
    }
    ASSERT_GT(farm_comments, 20u) << "the farm comments on news posts";
    ASSERT_GT(people_comments, 20u) << "people comment too";
    const double farm_rate = static_cast<double>(farm_flagged) / static_cast<double>(farm_comments);
    const double people_rate = static_cast<double>(people_flagged) / static_cast<double>(people_comments);
    EXPECT_GT(farm_rate, 0.5) << "seed " << seed << ": most farm comments are canned and unrelated";
    EXPECT_LT(people_rate, 0.05) << "seed " << seed << ": people's comments are their own";
    std::cout << "seed " << seed << ": unrelated by similarity alone: farm "
              << static_cast<double>(farm_unrelated) / static_cast<double>(farm_comments) << ", people "
              << static_cast<double>(people_unrelated) / static_cast<double>(people_comments) << "; flagged farm "
              << farm_rate << ", people " << people_rate << "\n";

    // Languages and target countries of the farm.
    const Targeting t = TargetingOf(d.ds, members);
    ASSERT_FALSE(t.target_countries.empty()) << t.Describe();
    EXPECT_EQ(CountryName(t.target_countries[0].first), farm.target_country) << t.Describe();
    ASSERT_FALSE(t.domains.empty());
    EXPECT_TRUE(std::count(farm.affiliated_domains.begin(), farm.affiliated_domains.end(), t.domains[0].first))
        << "the farm links mostly to its own domains: " << t.Describe();
    // Account explanations name the evidence.
    for (AccountIndex a : members)
      if (signal.comment_stats()[a].off_topic > 0) {
        const std::string why = signal.ExplainAccount(a);
        EXPECT_NE(why.find("unrelated to the post"), std::string::npos) << why;
        break;
      }
  }
}

}  // namespace
}  // namespace lockstep
