#include "lockstep/signals/target_similarity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/sim/simulator.h"
#include "signals/sim_fixture.h"
#include "test_util.h"

namespace lockstep {
namespace {

Dataset Load(const std::string& dir) { return testing::LoadLockstep(dir); }

// Shares: (actor, target account) pairs, one event each, a minute apart.
Dataset Shares(const testing::TempDir& dir, const std::vector<std::string>& accounts,
               const std::vector<std::pair<std::string, std::string>>& shares) {
  std::string acc = "account_id,platform\n";
  for (const std::string& a : accounts) acc += a + ",twitter\n";
  std::string ev = "event_id,account_id,time,type,target_id,target_account_id\n";
  for (size_t i = 0; i < shares.size(); ++i)
    ev += fmt::format("e{},{},{},share,p{},{}\n", i, shares[i].first, 1600000000 + 60 * i, i, shares[i].second);
  testing::WriteFile(dir / "accounts.csv", acc);
  testing::WriteFile(dir / "events.csv", ev);
  return Load(dir.path());
}

AccountIndex Index(const Dataset& ds, std::string_view id) { return ds.account_ids.Find(id); }

float CosineOf(const TargetSimilaritySignal& s, AccountIndex a, AccountIndex b) {
  for (const auto& [n, c] : s.neighbours()[a])
    if (n == b) return c;
  return -1;
}

TEST(TargetSimilarity, HandMadeCosinesMatchTheTfIdfFormula) {
  testing::TempDir dir;
  const Dataset ds =
      Shares(dir, {"A", "B", "C", "D"},
             {{"A", "T1"}, {"A", "T2"}, {"B", "T1"}, {"B", "T2"}, {"C", "T3"}, {"D", "T1"}, {"D", "T3"}});
  TargetSimilarityOptions o;
  o.min_account_actions = 1;
  o.min_cosine = 0;
  TargetSimilaritySignal s(ds, o);
  EXPECT_DEATH((void)s.edges(), "read before a successful Run") << "no results before Run()";
  ASSERT_TRUE(s.Run().ok());
  EXPECT_EQ(s.Name(), "similarity-retweet-targets") << "the name carries the trace";
  const AccountIndex a = Index(ds, "A"), b = Index(ds, "B"), c = Index(ds, "C"), d = Index(ds, "D");
  const double idf1 = std::log(4.0 / 3), idf2 = std::log(2.0);
  EXPECT_NEAR(CosineOf(s, a, b), 1.0, 1e-5) << "identical target sets";
  EXPECT_EQ(CosineOf(s, a, c), -1) << "no shared target, no neighbour";
  EXPECT_NEAR(CosineOf(s, a, d), idf1 * idf1 / (idf1 * idf1 + idf2 * idf2), 1e-5) << "one shared, light target";
  EXPECT_NEAR(CosineOf(s, c, d), idf2 * idf2 / (idf2 * std::sqrt(idf1 * idf1 + idf2 * idf2)), 1e-5)
      << "shared rarer target";
  EXPECT_NEAR(CosineOf(s, d, c), CosineOf(s, c, d), 1e-6) << "cosine is symmetric";
  ASSERT_EQ(s.neighbours()[d].size(), 3u) << "D shares a target with A, B and C";
  EXPECT_EQ(s.neighbours()[d][0].first, c) << "best first: C shares D's rarer target";
  EXPECT_EQ(s.edges().size(), 4u) << "A-B, A-D, B-D, C-D, and no A-C/B-C";
  const std::string why = s.ExplainEdge(s.edges()[0]);
  EXPECT_NE(why.find("@T1"), std::string::npos) << "explanation names a shared target: " << why;
}

TEST(TargetSimilarity, TokenUsedByEveryoneWeighsNothingAndLongListsAreSkipped) {
  testing::TempDir dir;
  const Dataset ds =
      Shares(dir, {"A", "B", "C", "D"},
             {{"A", "T1"}, {"A", "T2"}, {"B", "T1"}, {"B", "T2"}, {"C", "T3"}, {"D", "T1"}, {"D", "T3"}});
  TargetSimilarityOptions o;
  o.min_account_actions = 1;
  o.min_cosine = 0;
  o.max_postings = 2;
  TargetSimilaritySignal s(ds, o);
  ASSERT_TRUE(s.Run().ok());
  ASSERT_EQ(s.skipped_tokens().size(), 1u) << "only T1 is used by more than 2 accounts";
  EXPECT_EQ(s.skipped_tokens()[0].name, "@T1") << "the skipped token is named";
  EXPECT_EQ(s.skipped_tokens()[0].accounts, 3u) << "with its document frequency";
  const double idf1 = std::log(4.0 / 3), idf2 = std::log(2.0);
  EXPECT_NEAR(CosineOf(s, Index(ds, "A"), Index(ds, "B")), idf2 * idf2 / (idf1 * idf1 + idf2 * idf2), 1e-5)
      << "without T1 the cosine is a lower bound: T1 still counts in the norms";

  testing::TempDir dir2;
  const Dataset all = Shares(dir2, {"A", "B", "C"}, {{"A", "V"}, {"B", "V"}, {"C", "V"}, {"A", "X"}, {"B", "X"}});
  TargetSimilarityOptions o2;
  o2.min_account_actions = 1;
  o2.min_cosine = 0;
  TargetSimilaritySignal s2(all, o2);
  ASSERT_TRUE(s2.Run().ok());
  EXPECT_TRUE(s2.neighbours()[Index(all, "C")].empty()) << "C only shares V, which everyone shares: idf 0";
  EXPECT_NEAR(CosineOf(s2, Index(all, "A"), Index(all, "B")), 1.0, 1e-5) << "A and B share X";
}

TEST(TargetSimilarity, HashtagsAreCaseFoldedAndSequencesKeepOrder) {
  testing::TempDir dir;
  testing::WriteFile(dir / "accounts.csv", "account_id\nA\nB\nC\nD\n");
  testing::WriteFile(dir / "events.csv",
                     "event_id,account_id,time,type,hashtags\n"
                     "e1,A,1600000000,post,News Vote\n"
                     "e2,B,1600000001,post,news vote\n"
                     "e3,C,1600000002,post,vote news\n"
                     "e4,D,1600000003,post,other\n");
  const Dataset ds = Load(dir.path());
  TargetSimilarityOptions o;
  o.trace = SimilarityTrace::kHashtags;
  o.min_account_actions = 1;
  o.min_cosine = 0;
  TargetSimilaritySignal tags(ds, o);
  ASSERT_TRUE(tags.Run().ok());
  EXPECT_NEAR(CosineOf(tags, Index(ds, "A"), Index(ds, "B")), 1.0, 1e-5) << "#News is #news";
  EXPECT_NEAR(CosineOf(tags, Index(ds, "A"), Index(ds, "C")), 1.0, 1e-5) << "the same hashtags in another order";
  o.trace = SimilarityTrace::kHashtagSequences;
  TargetSimilaritySignal sequences(ds, o);
  ASSERT_TRUE(sequences.Run().ok());
  EXPECT_NEAR(CosineOf(sequences, Index(ds, "A"), Index(ds, "B")), 1.0, 1e-5) << "the same sequence, case-folded";
  EXPECT_EQ(CosineOf(sequences, Index(ds, "A"), Index(ds, "C")), -1) << "another order is another sequence";
  ASSERT_FALSE(sequences.edges().empty()) << "A-B is an edge";
  const std::string why = sequences.ExplainEdge(sequences.edges()[0]);
  EXPECT_NE(why.find("#news #vote"), std::string::npos) << "the sequence is named in order: " << why;
}

TEST(TargetSimilarity, RefusesBadOptions) {
  testing::TempDir dir;
  const Dataset ds = Shares(dir, {"A", "B"}, {{"A", "T"}});
  TargetSimilarityOptions o;
  o.top_k = 0;
  EXPECT_EQ(TargetSimilaritySignal(ds, o).Run().code(), StatusCode::kInvalidArgument) << "top_k must be >= 1";
  o = {};
  o.min_cosine = 1.5;
  EXPECT_EQ(TargetSimilaritySignal(ds, o).Run().code(), StatusCode::kInvalidArgument) << "cosine is in [0, 1]";
  o = {};
  o.trace = SimilarityTrace::kFollowTargets;
  std::string why;
  EXPECT_FALSE(TargetSimilaritySignal(ds, o).Applicable(&why)) << "no follow events";
  EXPECT_NE(why.find("follow-targets"), std::string::npos) << why;
  SimilarityTrace t;
  EXPECT_TRUE(Parse("hashtag-sequences", &t) && t == SimilarityTrace::kHashtagSequences) << "names round-trip";
  EXPECT_FALSE(Parse("retweets", &t)) << "unknown trace name";
}

// Top-k from the inverted lists equals brute force over all pairs.
TEST(TargetSimilarity, TopKEqualsBruteForceOnRandomData) {
  std::mt19937 rng(20241122);
  testing::TempDir dir;
  std::vector<std::string> accounts;
  for (int i = 0; i < 80; ++i) accounts.push_back(fmt::format("u{}", i));
  std::vector<std::pair<std::string, std::string>> shares;
  std::geometric_distribution<int> target(0.08);
  std::uniform_int_distribution<int> actor(0, 79), count(0, 12);
  for (int i = 0; i < 80; ++i) {
    const int k = count(rng);
    for (int j = 0; j < k; ++j) shares.push_back({accounts[i], fmt::format("t{}", std::min(target(rng), 60))});
  }
  const Dataset ds = Shares(dir, accounts, shares);
  TargetSimilarityOptions o;
  o.top_k = 4;
  o.min_cosine = 0.05;
  o.min_account_actions = 2;
  o.max_postings = 0;
  o.threads = 2;
  TargetSimilaritySignal s(ds, o);
  ASSERT_TRUE(s.Run().ok());

  // Brute force: counts, df, tf-idf, all pairs.
  const size_t n = ds.num_accounts();
  std::vector<std::map<AccountIndex, int>> counts(n);
  for (size_t i = 0; i < ds.events.size(); ++i) ++counts[ds.events.account[i]][ds.events.target_account[i]];
  std::vector<bool> has(n);
  std::map<AccountIndex, int> df;
  int docs = 0;
  for (size_t a = 0; a < n; ++a) {
    int actions = 0;
    for (auto& [t, c] : counts[a]) actions += c;
    has[a] = actions >= 2;
    docs += has[a];
    if (has[a])
      for (auto& [t, c] : counts[a]) ++df[t];
  }
  std::vector<std::map<AccountIndex, double>> vec(n);
  for (size_t a = 0; a < n; ++a) {
    if (!has[a]) continue;
    double norm = 0;
    for (auto& [t, c] : counts[a]) norm += std::pow(vec[a][t] = (1 + std::log(c)) * std::log(double(docs) / df[t]), 2);
    for (auto& [t, w] : vec[a]) w /= std::sqrt(norm);
  }
  size_t compared = 0;
  for (AccountIndex a = 0; a < n; ++a) {
    std::vector<double> best;
    for (AccountIndex b = 0; b < n; ++b) {
      if (a == b || !has[a] || !has[b]) continue;
      double dot = 0;
      for (auto& [t, w] : vec[a])
        if (auto it = vec[b].find(t); it != vec[b].end()) dot += w * it->second;
      if (dot >= 0.05) best.push_back(dot);
    }
    std::sort(best.rbegin(), best.rend());
    if (best.size() > 4) best.resize(4);
    const auto& ours = s.neighbours()[a];
    ASSERT_EQ(ours.size(), best.size()) << "account " << ds.AccountId(a) << ": as many neighbours as brute force";
    for (size_t k = 0; k < best.size(); ++k) {
      EXPECT_NEAR(ours[k].second, best[k], 1e-4) << "account " << ds.AccountId(a) << " rank " << k;
      double dot = 0;
      for (auto& [t, w] : vec[a])
        if (auto it = vec[ours[k].first].find(t); it != vec[ours[k].first].end()) dot += w * it->second;
      EXPECT_NEAR(ours[k].second, dot, 1e-4) << "the neighbour's cosine is its true cosine";
      ++compared;
    }
  }
  EXPECT_GT(compared, 100u) << "the random data set must give many neighbours to compare";
}

// Members of planted networks find each other, not viral sharers.
struct Purity {
  size_t members = 0, members_with_neighbours = 0, neighbours = 0, same_network = 0;
};

Purity NeighbourPurity(const std::string& scenario, uint64_t seed, double scale, SimilarityTrace trace,
                       const std::string& family) {
  testing::TempDir dir;
  auto spec = DrawScenario(scenario, seed, scale);
  EXPECT_TRUE(spec.ok());
  SimulationOptions so;
  so.out_dir = dir.path();
  Simulator sim(std::move(spec).value(), so);
  EXPECT_TRUE(sim.Run().ok());
  const Dataset ds = Load(dir.path());
  std::unordered_map<AccountIndex, std::string> network;
  std::ifstream labels(dir / "labels.csv");
  std::string line;
  std::getline(labels, line);
  while (std::getline(labels, line)) {
    const size_t comma = line.find(',');
    if (comma + 1 < line.size()) network[Index(ds, line.substr(0, comma))] = line.substr(comma + 1);
  }
  TargetSimilarityOptions o;
  o.trace = trace;
  o.top_k = 5;
  o.min_cosine = 0.1;
  TargetSimilaritySignal s(ds, o);
  EXPECT_TRUE(s.Run().ok());
  Purity p;
  for (const auto& [a, net] : network) {
    if (net.rfind(family, 0) != 0) continue;
    ++p.members;
    p.members_with_neighbours += !s.neighbours()[a].empty();
    for (const auto& [b, c] : s.neighbours()[a]) {
      ++p.neighbours;
      auto it = network.find(b);
      p.same_network += it != network.end() && it->second == net;
    }
  }
  std::printf("%s %s: %zu of %zu members have neighbours; %zu of %zu top-5 neighbours in the same network\n",
              scenario.c_str(), std::string(Name(trace)).c_str(), p.members_with_neighbours, p.members, p.same_network,
              p.neighbours);
  return p;
}

TEST(TargetSimilarityQuality, AutomatedNetworkNeighboursAreMembers) {
  for (SimilarityTrace trace : {SimilarityTrace::kRetweetTargets, SimilarityTrace::kActivityBins}) {
    const Purity p = NeighbourPurity("automated", 7, 0.1, trace, "automated");
    ASSERT_GT(p.members, 0u) << "the scenario plants an automated network";
    EXPECT_GE(p.members_with_neighbours, p.members * 8 / 10) << Name(trace) << ": most members have neighbours";
    EXPECT_GE(p.same_network, p.neighbours * 8 / 10)
        << Name(trace) << ": at least 80% of members' top-5 neighbours are members (" << p.same_network << " of "
        << p.neighbours << ")";
  }
}

TEST(TargetSimilarityQuality, TrollFarmNeighboursAreMembers) {
  const Purity p = NeighbourPurity("troll_farm", 7, 0.1, SimilarityTrace::kRetweetTargets, "troll_farm");
  ASSERT_GT(p.members, 0u) << "the scenario plants a troll farm";
  EXPECT_GE(p.members_with_neighbours, p.members * 6 / 10) << "most members share something";
  EXPECT_GE(p.same_network, p.neighbours * 8 / 10)
      << "at least 80% of members' top-5 neighbours are members (" << p.same_network << " of " << p.neighbours << ")";
}

// All six families and the authentic population at once: the planted
// networks' neighbours are still their own, not viral sharers or storm
// pickers.
TEST(TargetSimilarityQuality, InTheMixTrollFarmAndAutomatedFindTheirOwn) {
  for (const char* family : {"troll_farm", "automated"}) {
    const Purity p = NeighbourPurity("mix", 3, 0.2, SimilarityTrace::kRetweetTargets, family);
    ASSERT_GT(p.members, 0u) << "the mix plants " << family;
    EXPECT_GE(p.members_with_neighbours, p.members * 6 / 10) << family << ": most members have neighbours";
    EXPECT_GE(p.same_network, p.neighbours * 8 / 10) << family << ": at least 80% of top-5 neighbours are members ("
                                                     << p.same_network << " of " << p.neighbours << ")";
  }
}

}  // namespace
}  // namespace lockstep
