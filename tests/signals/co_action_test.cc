#include "lockstep/signals/co_action.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "lockstep/ingest/load.h"
#include "lockstep/signals/object_keys.h"
#include "dataset_builder.h"
#include "test_util.h"

namespace lockstep {
namespace {

using EdgeWeights = std::map<std::pair<std::string, std::string>, double>;

// An oracle CSV from tests/data/oracles: first two columns are the accounts,
// `weight_column` the weight. Undirected oracles are stored with a < b.
EdgeWeights LoadOracle(const std::string& name, size_t weight_column, bool undirected) {
  std::ifstream in(std::string(LOCKSTEP_SOURCE_DIR) + "/tests/data/oracles/" + name);
  EXPECT_TRUE(in.good()) << "oracle " << name << " is missing";
  EdgeWeights out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    std::string a = cells[0], b = cells[1];
    if (undirected && b < a) std::swap(a, b);
    out[{a, b}] = std::stod(cells[weight_column]);
  }
  return out;
}

EdgeWeights Ours(const Dataset& ds, ObjectKeyKind kind, int64_t window, CoActionWeight weight) {
  auto keys = ExtractObjectKeys(ds, kind);
  EXPECT_TRUE(keys.ok());
  CoActionOptions options;
  options.window_seconds = window;
  options.weight = weight;
  CoActionSignal signal(*keys, options);
  EXPECT_TRUE(signal.Run().ok());
  EdgeWeights out;
  for (const CoActionEdge& e : signal.edges()) {
    std::string a(ds.AccountId(e.a)), b(ds.AccountId(e.b));
    if (weight != CoActionWeight::kMessages && b < a) std::swap(a, b);
    out[{a, b}] = e.weight;
  }
  return out;
}

size_t CountDifferences(const EdgeWeights& ours, const EdgeWeights& peer, std::string* example) {
  size_t diff = 0;
  for (const auto& [edge, w] : peer) {
    auto it = ours.find(edge);
    if (it == ours.end() || it->second != w) {
      if (diff++ == 0)
        *example = edge.first + "," + edge.second + " peer " + std::to_string(w) + " ours " +
                   (it == ours.end() ? "missing" : std::to_string(it->second));
    }
  }
  for (const auto& [edge, w] : ours)
    if (!peer.count(edge) && diff++ == 0) *example = edge.first + "," + edge.second + " only in ours";
  return diff;
}

Dataset LoadShared(const std::string& relative) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(testing::SharedData(relative), "auto", {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return std::move(ds).value();
}

TEST(CoActionExactness, RussianCoShareMatchesQutCoRetweet) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is not beside the checkout";
  const Dataset ds = LoadShared("coortweet/russian_coord_tweets.csv");
  const EdgeWeights qut = LoadOracle("qut_russian_coretweet_w60.csv", 2, false);
  const EdgeWeights ours = Ours(ds, ObjectKeyKind::kShare, 60, CoActionWeight::kMessages);
  std::string example;
  EXPECT_EQ(qut.size(), 12412u) << "the oracle as the QUT toolkit wrote it";
  EXPECT_EQ(CountDifferences(ours, qut, &example), 0u)
      << "directed edges and weights equal the QUT toolkit's co_retweet (window 60 s); e.g. " << example;
}

TEST(CoActionExactness, RussianCoShareMatchesCooRTweet) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is not beside the checkout";
  const Dataset ds = LoadShared("coortweet/russian_coord_tweets.csv");
  const EdgeWeights coor = LoadOracle("coortweet_russian_coshare_w60.csv", 2, true);
  const EdgeWeights pairs = Ours(ds, ObjectKeyKind::kShare, 60, CoActionWeight::kPairs);
  std::string example;
  EXPECT_EQ(coor.size(), 6206u);
  EXPECT_EQ(CountDifferences(pairs, coor, &example), 0u)
      << "account pairs and weights equal CooRTweet's detect_groups + generate_coordinated_network "
         "(time_window 60, min_participation 1); e.g. "
      << example;
  const EdgeWeights keys = Ours(ds, ObjectKeyKind::kShare, 60, CoActionWeight::kKeys);
  EXPECT_EQ(keys.size(), coor.size()) << "the distinct-keys weighting finds the same pairs";
}

TEST(CoActionExactness, GermanCoLinkMatchesBothPeers) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is not beside the checkout";
  const Dataset ds = LoadShared("coortweet/german_elections.csv");
  std::string example;
  const EdgeWeights qut = LoadOracle("qut_german_colink_w30.csv", 2, false);
  EXPECT_EQ(CountDifferences(Ours(ds, ObjectKeyKind::kLink, 30, CoActionWeight::kMessages), qut, &example), 0u)
      << "QUT co_link, window 30 s; e.g. " << example;
  const EdgeWeights coor = LoadOracle("coortweet_german_colink_w30.csv", 2, true);
  EXPECT_EQ(CountDifferences(Ours(ds, ObjectKeyKind::kLink, 30, CoActionWeight::kPairs), coor, &example), 0u)
      << "CooRTweet on url_id, window 30 s; e.g. " << example;
}

// A hand-made data set: events as (account, time, target post).
Dataset MakeShares(const std::vector<std::tuple<std::string, int64_t, std::string>>& shares) {
  testing::DatasetBuilder builder;
  for (const auto& [account, t, post] : shares)
    builder.Add(account, t, EventType::kShare, post);
  return builder.Build();
}

TEST(CoAction, WindowIsInclusiveAndSelfPairsNeverCount) {
  const Dataset ds = MakeShares({{"a", 100, "p"}, {"b", 160, "p"}, {"c", 161, "p"}, {"a", 130, "p"}, {"d", 100, "q"}});
  const EdgeWeights w = Ours(ds, ObjectKeyKind::kShare, 60, CoActionWeight::kKeys);
  EXPECT_TRUE(w.count({"a", "b"})) << "|Δt| = 60 is within a 60 s window";
  EXPECT_TRUE(w.count({"a", "c"})) << "a's second share at 130 is 31 s from c";
  EXPECT_TRUE(w.count({"b", "c"}));
  EXPECT_FALSE(w.count({"a", "a"})) << "an account never co-acts with itself";
  EXPECT_FALSE(w.count({"a", "d"})) << "different posts never co-act";
  EXPECT_EQ(w.size(), 3u);
  const EdgeWeights pairs = Ours(ds, ObjectKeyKind::kShare, 60, CoActionWeight::kPairs);
  EXPECT_EQ((pairs.at({"a", "b"})), 2) << "two share pairs: (a@100,b@160) and (a@130,b@160)";
  EXPECT_EQ((w.at({"a", "b"})), 1) << "but one distinct key";
}

TEST(CoAction, FixedBinsFollowCooRnet) {
  const Dataset ds = MakeShares({{"a", 119, "p"}, {"b", 121, "p"}, {"c", 179, "p"}});
  auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kShare);
  CoActionOptions options;
  options.window_seconds = 60;
  options.fixed_bins = true;
  CoActionSignal signal(*keys, options);
  ASSERT_TRUE(signal.Run().ok());
  ASSERT_EQ(signal.edges().size(), 1u) << "119 and 121 fall in different 60 s bins; 121 and 179 share [120,180)";
  EXPECT_EQ(ds.AccountId(signal.edges()[0].a), "b");
  EXPECT_EQ(ds.AccountId(signal.edges()[0].b), "c");
}

TEST(CoAction, ViralKeyIsBoundedAndReported) {
  std::vector<std::tuple<std::string, int64_t, std::string>> shares;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 50000; ++i) shares.emplace_back("u" + std::to_string(i), rng() % 3600, "viral");
  for (int i = 0; i < 5; ++i) shares.emplace_back("bot" + std::to_string(i), 5000 + i, "small");
  const Dataset ds = MakeShares(shares);
  auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kShare);
  CoActionOptions options;
  options.window_seconds = 60;
  options.max_pairs_per_key = 1'000'000;
  CoActionSignal signal(*keys, options);
  ASSERT_TRUE(signal.Run().ok());
  ASSERT_EQ(signal.saturated_keys().size(), 1u) << "the viral post is skipped, not expanded into ~4e7 pairs";
  EXPECT_EQ(keys->KeyName(signal.saturated_keys()[0].key), "viral");
  EXPECT_EQ(signal.saturated_keys()[0].accounts, 50000u) << "its popularity is kept";
  EXPECT_GT(signal.saturated_keys()[0].pair_work, 1'000'000u);
  EXPECT_EQ(signal.edges().size(), 10u) << "the five bots still form their 10 pairs";
  EXPECT_EQ(signal.key_accounts()[signal.saturated_keys()[0].key], 50000u);
}

TEST(CoAction, ThreadsDoNotChangeTheResult) {
  std::vector<std::tuple<std::string, int64_t, std::string>> shares;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i)
    shares.emplace_back("u" + std::to_string(rng() % 500), rng() % 100000, "p" + std::to_string(rng() % 300));
  const Dataset ds = MakeShares(shares);
  auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kShare);
  for (CoActionWeight weight : {CoActionWeight::kKeys, CoActionWeight::kPairs, CoActionWeight::kMessages}) {
    std::vector<std::vector<CoActionEdge>> results;
    for (int threads : {1, 2, 3}) {
      CoActionOptions options;
      options.weight = weight;
      options.threads = threads;
      CoActionSignal signal(*keys, options);
      ASSERT_TRUE(signal.Run().ok());
      results.push_back(signal.edges());
    }
    for (size_t r = 1; r < results.size(); ++r) {
      ASSERT_EQ(results[r].size(), results[0].size()) << "weight mode " << static_cast<int>(weight);
      for (size_t i = 0; i < results[0].size(); ++i) {
        EXPECT_EQ(results[r][i].a, results[0][i].a);
        EXPECT_EQ(results[r][i].weight, results[0][i].weight);
        EXPECT_EQ(results[r][i].sum_delta, results[0][i].sum_delta);
      }
    }
  }
}

TEST(CoAction, RefusesBadParametersWithValues) {
  const Dataset ds = MakeShares({{"a", 1, "p"}});
  auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kShare);
  CoActionOptions options;
  options.window_seconds = -5;
  CoActionSignal signal(*keys, options);
  Status s = signal.Run();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("-5"), std::string::npos) << "the message carries the actual value: " << s.message();
  EXPECT_TRUE(signal.edges().empty()) << "no results before a successful Run()";
}

TEST(CoAction, ExplainsAnEdge) {
  const Dataset ds = MakeShares({{"a", 100, "p"}, {"b", 112, "p"}, {"a", 500, "q"}, {"b", 502, "q"}});
  auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kShare);
  CoActionSignal signal(*keys, {});
  ASSERT_TRUE(signal.Run().ok());
  ASSERT_EQ(signal.edges().size(), 1u);
  const std::string text = signal.Explain(signal.edges()[0]);
  EXPECT_NE(text.find("a and b acted on the same share key 2 times within 60 s (2 distinct)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("7 s apart on average, closest 2 s"), std::string::npos) << text;
}

TEST(NormalizeUrl, StripsWhatDoesNotIdentifyTheObject) {
  EXPECT_EQ(NormalizeUrl("https://www.Example.com/news/story/?utm_source=fb&id=7&fbclid=abc#top"),
            "example.com/news/story?id=7");
  EXPECT_EQ(NormalizeUrl("http://example.com/news/story"), "example.com/news/story") << "scheme does not matter";
  EXPECT_EQ(NormalizeUrl("https://bit.ly/3xYz"), "bit.ly/3xYz") << "shortener paths are kept, case included";
  EXPECT_EQ(NormalizeUrl("https://example.com/"), "example.com") << "trailing slash";
  EXPECT_EQ(NormalizeUrl("https://example.com:443/a"), "example.com/a") << "default port";
}

}  // namespace
}  // namespace lockstep
