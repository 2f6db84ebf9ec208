#include "lockstep/graph/co_action_significance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "dataset_builder.h"
#include "lockstep/signals/co_action.h"
#include "lockstep/signals/object_keys.h"

namespace lockstep {
namespace {

// The share keys of a data set and their co-action within a window, run.
class ShareCoAction {
 public:
  ShareCoAction(const Dataset& ds, int64_t window_seconds) : keys_(Keys(ds)), signal_(keys_, Options(window_seconds)) {
    EXPECT_TRUE(signal_.Run().ok());
  }
  const ObjectKeys& keys() const { return keys_; }
  const CoActionSignal& signal() const { return signal_; }

 private:
  static ObjectKeys Keys(const Dataset& ds) {
    auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kShare);
    EXPECT_TRUE(keys.ok());
    return keys.ok() ? std::move(*keys) : ObjectKeys();
  }
  static CoActionOptions Options(int64_t window_seconds) {
    CoActionOptions co;
    co.window_seconds = window_seconds;
    return co;
  }
  ObjectKeys keys_;
  CoActionSignal signal_;
};

TEST(Log10PoissonTail, MatchesKnownValues) {
  EXPECT_EQ(Log10PoissonTail(0, 3.0), 0) << "P(X >= 0) = 1";
  EXPECT_NEAR(Log10PoissonTail(1, 1.0), std::log10(1 - std::exp(-1.0)), 1e-12) << "P(X >= 1) = 1 - e^-lambda";
  // P(X >= 3 | lambda = 2) = 1 - e^-2 (1 + 2 + 2) = 0.32332358...
  EXPECT_NEAR(Log10PoissonTail(3, 2.0), std::log10(0.3233235838169366), 1e-12) << "tail above the mean";
  // P(X >= 10 | lambda = 1) = 1.1142547833872e-07 (sum of e^-1 / k!, k >= 10).
  EXPECT_NEAR(Log10PoissonTail(10, 1.0), std::log10(1.1142547833872e-07), 1e-9) << "deep tail below the mean";
  EXPECT_TRUE(std::isinf(Log10PoissonTail(1, 0.0))) << "no chance at all: log10 0";
}

TEST(Log10PoissonTail, StaysFiniteAtExtremes) {
  // x = 200, lambda = 1e-6: log10 P ~ log10(lambda^x / x!) = -1200 - log10(200!) = -1200 - 374.896...
  const double tiny = Log10PoissonTail(200, 1e-6);
  EXPECT_NEAR(tiny, -1200 - std::lgamma(201.0) / std::log(10.0), 1e-6) << "far beyond double's range, in logs";
  EXPECT_NEAR(Log10PoissonTail(5, 1e6), 0, 1e-12) << "a huge mean makes 5 certain";
  EXPECT_LT(Log10PoissonTail(1'000'000, 1000.0), -100000) << "a million events at mean 1000 is impossible, and finite";
  // P(X >= 11 | lambda = 10) = 0.41696024980701...
  EXPECT_NEAR(Log10PoissonTail(11, 10.0), std::log10(0.4169602498070144), 1e-10) << "just above the mean";
}

TEST(BenjaminiHochberg, KeepsTheLargestRankUnderTheLine) {
  // m = 5, q = 0.05: the line is 0.01, 0.02, 0.03, 0.04, 0.05. p_(2) = 0.025
  // is above its 0.02, but p_(3) = 0.028 is under 0.03, so the step-up keeps 3.
  std::vector<double> p;
  for (double v : {0.005, 0.025, 0.028, 0.2, 0.3}) p.push_back(std::log10(v));
  EXPECT_EQ(BenjaminiHochbergKept(p, 5, 0.05), 3u) << "step-up: everything up to the last rank under the line";
  EXPECT_EQ(BenjaminiHochbergKept(p, 50, 0.05), 0u)
      << "45 more tests with p = 1 raise the bar to 0.001 x i: none is under it";
}

TEST(BenjaminiHochberg, UntestedPairsCountAsTests) {
  std::vector<double> p = {std::log10(0.0009)};
  EXPECT_EQ(BenjaminiHochbergKept(p, 10, 0.01), 1u) << "0.0009 <= 0.01 x 1 / 10";
  EXPECT_EQ(BenjaminiHochbergKept(p, 100, 0.01), 0u) << "0.0009 > 0.01 x 1 / 100";
  EXPECT_EQ(BenjaminiHochbergKept({}, 100, 0.01), 0u) << "nothing to keep";
}

// Three accounts, two keys, all within the popularity horizon: x and y act
// on key p (10 s apart), z on key q. Key p has 2 of the 3 actions around
// each of its actions (share 2/3), key q 1 of 3.
TEST(CoActionNull, ExpectedCountsOnAHandComputableCase) {
  testing::DatasetBuilder builder;
  builder.Add("x", 1000, EventType::kShare, "p")
      .Add("y", 1010, EventType::kShare, "p")
      .Add("z", 1005, EventType::kShare, "q");
  const Dataset ds = builder.Build();
  const ShareCoAction co(ds, 60);
  SignificanceOptions so;
  so.window_seconds = 60;
  so.rate_smoothing_seconds = 1800;
  so.horizon_seconds = 3600;
  so.min_keys = 1;
  CoActionSignificance sig(co.keys(), co.signal(), so);
  ASSERT_TRUE(sig.Run().ok());
  const AccountIndex x = ds.account_ids.Find("x"), y = ds.account_ids.Find("y"), z = ds.account_ids.Find("z");
  // lambda_ab = (2w+1)/(2s+1) x (sum over a's actions of pi x #b's actions within s
  //             + the same from b's side) / 2.
  const double fraction = 121.0 / 3601.0;
  EXPECT_NEAR(sig.null().Expected(x, y), fraction * (2.0 / 3 + 2.0 / 3) / 2, 1e-12) << "both sides see share 2/3";
  EXPECT_NEAR(sig.null().Expected(x, z), fraction * (2.0 / 3 + 1.0 / 3) / 2, 1e-12) << "x's key 2/3, z's key 1/3";
  EXPECT_NEAR(sig.null().Expected(x, y), sig.null().Expected(y, x), 1e-15) << "symmetric";
  const double lambda = sig.null().Expected(x, y);
  EXPECT_EQ(sig.null().Expected(x, y, 2 * lambda), lambda) << "under the stop: lambda itself";
  EXPECT_GT(sig.null().Expected(x, y, lambda / 2), lambda / 2) << "past the stop: above it";
  EXPECT_EQ(sig.tests(), 3u) << "3 active accounts: 3 pairs tested";
  ASSERT_EQ(sig.scored().size(), 1u) << "only x and y co-acted";
  EXPECT_NEAR(sig.scored()[0].log10_p, std::log10(1 - std::exp(-fraction * 2.0 / 3)), 1e-12)
      << "one key co-acted on: P(X >= 1) = 1 - e^-lambda";
}

TEST(CoActionSignificance, AScoredCutoffDropsOnlyWeakerEdgesAndKeepsTheTest) {
  // A crowd of 200 sharing 300 posts at random over a day (seeded), and a
  // ring of 5 sharing 10 posts within seconds.
  testing::DatasetBuilder builder;
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> when(0, 86400);
  std::uniform_int_distribution<int> post(0, 299);
  for (int a = 0; a < 200; ++a)
    for (int i = 0; i < 40; ++i)
      builder.Add("p" + std::to_string(a), 1'000'000 + when(rng), EventType::kShare,
                  "post" + std::to_string(post(rng)));
  for (int k = 0; k < 10; ++k)
    for (int r = 0; r < 5; ++r)
      builder.Add("ring" + std::to_string(r), 1'000'000 + k * 7000 + r, EventType::kShare, "hub" + std::to_string(k));
  const Dataset ds = builder.Build();
  const ShareCoAction co(ds, 600);
  auto run = [&](double cutoff) {
    SignificanceOptions so;
    so.window_seconds = 600;
    so.max_scored_log10_p = cutoff;
    CoActionSignificance sig(co.keys(), co.signal(), so);
    EXPECT_TRUE(sig.Run().ok());
    return std::make_pair(sig.scored(), sig.edges());
  };
  {
    // Two of the crowd, 40 actions each: a stop below their lambda ends the
    // walk early, so what comes back is above the stop and below lambda.
    SignificanceOptions so;
    so.window_seconds = 600;
    CoActionSignificance sig(co.keys(), co.signal(), so);
    ASSERT_TRUE(sig.Run().ok());
    const AccountIndex p0 = ds.account_ids.Find("p0"), p1 = ds.account_ids.Find("p1");
    const double lambda = sig.null().Expected(p0, p1);
    ASSERT_GT(lambda, 0);
    const double partial = sig.null().Expected(p0, p1, lambda / 10);
    EXPECT_GT(partial, lambda / 10);
    EXPECT_LT(partial, lambda) << "the walk stopped before the end";
  }
  const auto [all, kept] = run(0);
  ASSERT_GE(kept.size(), 10u) << "the ring's pairs are significant";
  const double cutoff = -3;
  std::vector<SignificantEdge> strong;
  for (const SignificantEdge& e : all)
    if (e.log10_p <= cutoff) strong.push_back(e);
  ASSERT_LT(strong.size(), all.size()) << "the crowd makes weaker edges for the cutoff to drop";
  const auto [cut, cut_kept] = run(cutoff);
  // Ties in p may come in either order.
  auto same = [](std::vector<SignificantEdge> x, std::vector<SignificantEdge> y) {
    if (x.size() != y.size()) return false;
    for (auto* v : {&x, &y})
      std::stable_sort(v->begin(), v->end(), [](const SignificantEdge& p, const SignificantEdge& q) {
        return p.log10_p != q.log10_p ? p.log10_p < q.log10_p : p.edge_index < q.edge_index;
      });
    for (size_t i = 0; i < x.size(); ++i)
      if (x[i].a != y[i].a || x[i].b != y[i].b || x[i].log10_p != y[i].log10_p || x[i].edge_index != y[i].edge_index)
        return false;
    return true;
  };
  EXPECT_TRUE(same(cut, strong)) << "exactly the edges at or below the cutoff, strongest first";
  EXPECT_TRUE(same(cut_kept, kept)) << "Benjamini-Hochberg keeps the same edges";
  // A cutoff below what Benjamini-Hochberg could keep is not applied: edges() must not change.
  const auto [low, low_kept] = run(-40);
  EXPECT_TRUE(same(low, all));
  EXPECT_TRUE(same(low_kept, kept));
}

}  // namespace
}  // namespace lockstep
