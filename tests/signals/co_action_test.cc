#include "lockstep/signals/co_action.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <set>
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

Dataset LoadShared(const std::string& relative, const LoadOptions& options = {}) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(testing::SharedData(relative), "auto", options, &sink, &report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return std::move(ds).value();
}

// What lockstep network asks of a load for co-share: no event ids where no
// two rows could be one message, and the action columns only.
LoadOptions CoShareLoad() {
  LoadOptions options;
  options.event_ids = false;
  options.action_columns_only = true;
  return options;
}

TEST(CoActionExactness, RussianCoShareMatchesQutCoRetweet) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is not beside the checkout";
  const Dataset ds = LoadShared("coortweet/russian_coord_tweets.csv", CoShareLoad());
  const EdgeWeights qut = LoadOracle("qut_russian_coretweet_w60.csv", 2, false);
  const EdgeWeights ours = Ours(ds, ObjectKeyKind::kShare, 60, CoActionWeight::kMessages);
  std::string example;
  EXPECT_EQ(qut.size(), 12412u) << "the oracle as the QUT toolkit wrote it";
  EXPECT_EQ(CountDifferences(ours, qut, &example), 0u)
      << "directed edges and weights equal the QUT toolkit's co_retweet (window 60 s); e.g. " << example;

  // The file quotes every cell (R's write.csv), so the general path read it.
  // Unquoted, as most share tables are, it takes the plain-share fast path
  // and its lean load: the same edges.
  std::string plain = testing::ReadFile(testing::SharedData("coortweet/russian_coord_tweets.csv"));
  std::erase(plain, '"');
  testing::TempDir dir;
  testing::WriteFile(dir / "plain.csv", plain);
  ErrorSink sink;
  LoadReport report;
  auto lean = LoadDataset(dir / "plain.csv", "coortweet", CoShareLoad(), &sink, &report);
  ASSERT_TRUE(lean.ok()) << lean.status().message();
  ASSERT_FALSE(lean->events.complete()) << "the fast path's lean load is what is checked";
  EXPECT_EQ(CountDifferences(Ours(*lean, ObjectKeyKind::kShare, 60, CoActionWeight::kMessages), qut, &example), 0u)
      << "plain and lean: " << example;
}

TEST(CoActionExactness, RussianCoShareMatchesCooRTweet) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is not beside the checkout";
  const Dataset ds = LoadShared("coortweet/russian_coord_tweets.csv", CoShareLoad());
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

// Every field of every edge, computed the slow way from the grouped
// actions: all action pairs of each key that is not saturated.
std::vector<CoActionEdge> ReferenceEdges(const ObjectKeys& keys, const CoActionOptions& options) {
  struct Acc {
    std::set<uint64_t> distinct;
    uint64_t pairs = 0;
    int64_t sum = 0, min = INT64_MAX;
  };
  auto within = [&](int64_t ti, int64_t tj) {
    const int64_t w = options.window_seconds;
    if (!options.fixed_bins) return tj - ti <= w;
    auto bin = [w](int64_t t) { return t >= 0 ? t / w : (t - w + 1) / w; };
    return bin(ti) == bin(tj);
  };
  const bool messages = options.weight == CoActionWeight::kMessages;
  std::map<std::pair<AccountIndex, AccountIndex>, Acc> acc;
  for (size_t k = 0; k < keys.num_keys(); ++k) {
    const auto group = keys.Key(k);
    uint64_t work = 0;
    for (size_t i = 0; i < group.size(); ++i)
      for (size_t j = i + 1; j < group.size(); ++j) work += within(group[i].time, group[j].time);
    if (options.max_pairs_per_key > 0 && work > options.max_pairs_per_key) continue;
    for (size_t i = 0; i < group.size(); ++i)
      for (size_t j = i + 1; j < group.size(); ++j) {
        const Action &x = group[i], &y = group[j];
        if (x.account == y.account || !within(x.time, y.time)) continue;
        const int64_t delta = y.time - x.time;
        auto add = [&](AccountIndex a, AccountIndex b, uint64_t tag) {
          Acc& e = acc[{a, b}];
          e.distinct.insert(tag);
          ++e.pairs;
          e.sum += delta;
          e.min = std::min(e.min, delta);
        };
        if (messages) {
          add(x.account, y.account, x.event);
          add(y.account, x.account, y.event);
        } else {
          add(std::min(x.account, y.account), std::max(x.account, y.account), k);
        }
      }
  }
  std::vector<CoActionEdge> out;
  for (const auto& [ab, e] : acc) {
    const auto distinct = static_cast<uint32_t>(e.distinct.size());
    const uint32_t weight = options.weight == CoActionWeight::kPairs ? static_cast<uint32_t>(e.pairs) : distinct;
    if (weight >= options.min_weight)
      out.push_back({ab.first, ab.second, weight, messages ? 0 : distinct, e.pairs, e.sum, e.min});
  }
  return out;
}

// Random posts with up to three hashtags each, so that one event can act on
// several keys and an account often acts twice on one key.
Dataset MakeTaggedPosts(uint64_t seed, size_t events, size_t accounts, size_t tags, int64_t span) {
  Dataset ds;
  std::mt19937_64 rng(seed);
  for (size_t a = 0; a < accounts; ++a) {
    ds.account_ids.Intern("u" + std::to_string(a));
    ds.accounts.push_back({});
  }
  Events& ev = ds.events;
  for (size_t i = 0; i < events; ++i) {
    ev.time.push_back(static_cast<int64_t>(rng() % span) - span / 4);  // some times before 0, for the bins
    ev.account.push_back(static_cast<AccountIndex>(rng() % accounts));
    ev.type.push_back(EventType::kPost);
    ev.event_id.push_back(kNoString);
    ev.target_id.push_back(kNoString);
    ev.target_account.push_back(kNoString);
    ev.text_offsets.push_back(0);
    for (size_t t = rng() % 4; t > 0; --t) ev.hashtags.items.push_back(ds.hashtags.Intern("t" + std::to_string(rng() % tags)));
    for (ListColumn* l : {&ev.urls, &ev.hashtags, &ev.mentions}) l->offsets.push_back(static_cast<uint32_t>(l->items.size()));
    ev.language.push_back(kNoString);
    ev.client.push_back(kNoString);
    ev.target_country.push_back(kNoCountry);
  }
  ds.SortEventsByTime();
  return ds;
}

TEST(CoAction, EveryEdgeFieldMatchesAllPairsReference) {
  const Dataset ds = MakeTaggedPosts(17, 3000, 60, 40, 5000);
  auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kHashtag);
  ASSERT_TRUE(keys.ok());
  size_t several = 0;
  for (size_t e = 0; e < ds.events.size(); ++e) several += ds.events.hashtags.Row(e).size() > 1;
  ASSERT_GT(several, 100u) << "the data must have events acting on several keys";
  for (CoActionWeight weight : {CoActionWeight::kKeys, CoActionWeight::kPairs, CoActionWeight::kMessages})
    for (bool bins : {false, true})
      for (int64_t window : {0, 7, 300})
        for (uint64_t max_pairs : {uint64_t{0}, uint64_t{700}})
          for (int threads : {1, 3}) {
            if (bins && window == 0) continue;
            CoActionOptions options;
            options.weight = weight;
            options.fixed_bins = bins;
            options.window_seconds = window;
            options.max_pairs_per_key = max_pairs;
            options.threads = threads;
            options.min_weight = window == 300 ? 2 : 1;
            CoActionSignal signal(*keys, options);
            ASSERT_TRUE(signal.Run().ok());
            const std::vector<CoActionEdge> want = ReferenceEdges(*keys, options);
            const std::string what = "weight " + std::to_string(static_cast<int>(weight)) + (bins ? " bins " : " window ") +
                                     std::to_string(window) + " max_pairs " + std::to_string(max_pairs) + " threads " +
                                     std::to_string(threads);
            ASSERT_GT(want.size(), 10u) << what << ": the case must have edges to compare";
            if (max_pairs > 0 && window == 300 && !bins) {
              EXPECT_FALSE(signal.saturated_keys().empty()) << what << ": the case must skip some keys";
            }
            ASSERT_EQ(signal.edges().size(), want.size()) << what;
            for (size_t i = 0; i < want.size(); ++i) {
              const CoActionEdge &got = signal.edges()[i], &w = want[i];
              ASSERT_TRUE(got.a == w.a && got.b == w.b && got.weight == w.weight && got.keys == w.keys &&
                          got.pairs == w.pairs && got.sum_delta == w.sum_delta && got.min_delta == w.min_delta)
                  << what << ": edge " << i << " got " << got.a << "->" << got.b << " w" << got.weight << " k"
                  << got.keys << " p" << got.pairs << " s" << got.sum_delta << " m" << got.min_delta << ", want "
                  << w.a << "->" << w.b << " w" << w.weight << " k" << w.keys << " p" << w.pairs << " s"
                  << w.sum_delta << " m" << w.min_delta;
            }
          }
}

TEST(ObjectKeys, ThreadsDoNotChangeTheGrouping) {
  // Above the 65536 events under which one thread does all the work, with
  // events acting on several keys.
  const Dataset ds = MakeTaggedPosts(23, 90000, 3000, 5000, 1'000'000);
  auto one = ExtractObjectKeys(ds, ObjectKeyKind::kHashtag, nullptr, 1);
  ASSERT_TRUE(one.ok());
  ASSERT_GT(one->actions.size(), ds.events.size()) << "events act on several keys";
  for (size_t k = 0; k < one->num_keys(); ++k)
    for (size_t i = one->key_offsets[k] + 1; i < one->key_offsets[k + 1]; ++i)
      ASSERT_LE(one->actions[i - 1].time, one->actions[i].time) << "each key's actions are in time order";
  for (int threads : {2, 3}) {
    auto many = ExtractObjectKeys(ds, ObjectKeyKind::kHashtag, nullptr, threads);
    ASSERT_TRUE(many.ok());
    EXPECT_EQ(many->key_offsets, one->key_offsets) << threads << " threads";
    EXPECT_EQ(many->key_source, one->key_source) << threads << " threads";
    ASSERT_EQ(many->actions.size(), one->actions.size()) << threads << " threads";
    for (size_t i = 0; i < one->actions.size(); ++i) {
      const Action &x = one->actions[i], &y = many->actions[i];
      ASSERT_TRUE(x.key == y.key && x.event == y.event && x.time == y.time && x.account == y.account)
          << threads << " threads, action " << i;
    }
  }
  EXPECT_EQ(ExtractObjectKeys(ds, ObjectKeyKind::kHashtag, nullptr, 0).status().code(), StatusCode::kInvalidArgument)
      << "threads must be >= 1";
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
