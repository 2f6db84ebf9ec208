#include "lockstep/signals/creation_burst.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "lockstep/ingest/load.h"
#include "lockstep/sim/eval.h"
#include "lockstep/sim/simulator.h"
#include "test_util.h"

namespace lockstep {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1'500'000'000 / kDay * kDay;  // a UTC midnight in 2017

Dataset WithCreationTimes(const std::vector<int64_t>& times) {
  Dataset ds;
  for (size_t i = 0; i < times.size(); ++i) {
    ds.account_ids.Intern("a" + std::to_string(i));
    ds.accounts.emplace_back();
    ds.accounts.back().created_at = times[i];
  }
  return ds;
}

// Poisson arrivals at `per_day(day)` accounts a day over `days` days.
template <typename Rate>
std::vector<int64_t> Organic(std::mt19937_64& rng, int days, Rate per_day) {
  std::vector<int64_t> out;
  for (int d = 0; d < days; ++d) {
    std::poisson_distribution<int> n(per_day(d));
    for (int k = n(rng); k > 0; --k)
      out.push_back(kStart + d * kDay + static_cast<int64_t>(std::uniform_int_distribution<int>(0, kDay - 1)(rng)));
  }
  return out;
}

TEST(PoissonLogTail, MatchesDirectSums) {
  EXPECT_EQ(PoissonLogTail(0, 3), 0) << "P(X >= 0) = 1";
  EXPECT_NEAR(PoissonLogTail(1, 2.5), std::log1p(-std::exp(-2.5)), 1e-12) << "P(X >= 1) = 1 - e^-mean";
  for (double mean : {0.3, 4.0, 25.0}) {
    for (uint64_t k : {1, 3, 10, 40}) {
      double tail = 0;  // sum of pmf(i) for i >= k, far enough
      for (uint64_t i = k; i < k + 400; ++i)
        tail += std::exp(-mean + static_cast<double>(i) * std::log(mean) - std::lgamma(static_cast<double>(i) + 1));
      EXPECT_NEAR(PoissonLogTail(k, mean), std::log(tail), 1e-9) << "k " << k << " mean " << mean;
    }
  }
  // Far tail: P(X >= 200 | 1) ~ pmf(200) = e^-1 / 200!.
  EXPECT_NEAR(PoissonLogTail(200, 1), -1 - std::lgamma(201.0), 0.01) << "no underflow far in the tail";
}

TEST(CreationBurst, FindsAPlantedBurstInAFlatBackground) {
  std::mt19937_64 rng(42);
  std::vector<int64_t> times = Organic(rng, 730, [](int) { return 2.0; });
  const size_t organic = times.size();
  for (int i = 0; i < 60; ++i) times.push_back(kStart + 400 * kDay + i * (5 * kDay / 60));  // 60 in 5 days
  Dataset ds = WithCreationTimes(times);
  CreationBurstSignal s(ds);
  ASSERT_TRUE(s.Run().ok());
  ASSERT_EQ(s.bursts().size(), 1u) << "exactly the planted burst; a Poisson background of 2/day has none";
  const CreationBurst& b = s.bursts()[0];
  size_t planted = 0;
  for (AccountIndex a : b.accounts) planted += a >= organic ? 1 : 0;
  EXPECT_EQ(planted, 60u) << "every planted account is in the burst";
  EXPECT_LE(b.accounts.size(), 60u + 20u) << "with a few organic ones of the same days";
  EXPECT_GE(b.window_start, kStart + 398 * kDay) << "the window is where the burst is";
  EXPECT_LE(b.window_end, kStart + 407 * kDay);
  EXPECT_LT(b.log10_p_corrected, -20) << "70 accounts where ~10 are expected is far out in the tail";
  EXPECT_GT(s.groups()[0].strength, 0.75) << "most of the window's accounts are excess";
  EXPECT_EQ(s.account_scores()[organic], s.groups()[0].strength) << "members score the burst's strength";
  EXPECT_NE(s.groups()[0].explanation.find("the local baseline of 2."), std::string::npos) << s.groups()[0].explanation;
  EXPECT_NE(s.ExplainAccount(static_cast<AccountIndex>(organic)).find("in a burst"), std::string::npos);
}

TEST(CreationBurst, OrganicGrowthAndStepsAreNotBursts) {
  std::mt19937_64 rng(7);
  // Growth from 1 to 20 a day over three years, a step from 20 to 60 a day (a
  // platform launching in a new country), and a drop to 5 a day.
  std::vector<int64_t> times = Organic(rng, 1500, [](int d) {
    if (d < 1095) return 1.0 + 19.0 * d / 1095;
    if (d < 1300) return 60.0;
    return 5.0;
  });
  Dataset ds = WithCreationTimes(times);
  CreationBurstSignal s(ds);
  ASSERT_TRUE(s.Run().ok());
  for (const SignalGroup& g : s.groups()) ADD_FAILURE() << "false burst: " << g.explanation;
  EXPECT_TRUE(s.groups().empty()) << "a local baseline taken from the busier side absorbs growth and steps";
}

TEST(CreationBurst, NoResultsBeforeRunAndBadOptionsRefused) {
  Dataset ds = WithCreationTimes({kStart, kStart + 1});
  CreationBurstSignal s(ds);
  EXPECT_DEATH((void)s.groups(), "read before a successful Run") << "reading before Run() is a programming error";
  std::string why;
  EXPECT_FALSE(s.Applicable(&why)) << "two accounts cannot make a burst of 10";
  EXPECT_NE(why.find("2 accounts"), std::string::npos) << why;
  CreationBurstOptions o;
  o.alpha = 1.5;
  Status st = CreationBurstSignal(ds, o).Run();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << "alpha is a probability";
  EXPECT_NE(st.message().find("got 1.5"), std::string::npos) << st.message();
  o = {};
  o.window_bins = {7, 0};
  EXPECT_EQ(CreationBurstSignal(ds, o).Run().code(), StatusCode::kInvalidArgument) << "a window of 0 bins";
}

struct SimData {
  testing::TempDir dir;
  Dataset ds;
  std::vector<LabelRow> labels;
};

std::unique_ptr<SimData> Simulate(const std::string& scenario, uint64_t seed, double scale) {
  auto out = std::make_unique<SimData>();
  auto spec = DrawScenario(scenario, seed, scale);
  EXPECT_TRUE(spec.ok());
  SimulationOptions so;
  so.out_dir = out->dir.path();
  Simulator sim(std::move(spec).value(), so);
  EXPECT_TRUE(sim.Run().ok());
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(out->dir.path(), "auto", {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  out->ds = std::move(ds).value();
  out->labels = ReadLabelsCsv(out->dir / "labels.csv").value();
  return out;
}

TEST(CreationBurstSim, AutomatedNetworkIsABurst) {
  auto sim = Simulate("automated", 4, 0.1);
  std::set<AccountIndex> net;
  for (const LabelRow& l : sim->labels)
    if (!l.network_id.empty()) net.insert(sim->ds.account_ids.Find(l.account_id));
  ASSERT_GE(net.size(), 40u) << "seed 4 draws a network (76 accounts) big enough to stand out at scale 0.1";
  CreationBurstSignal s(sim->ds);
  ASSERT_TRUE(s.Run().ok());
  size_t in_bursts = 0, authentic_in_bursts = 0;
  for (AccountIndex a = 0; a < sim->ds.num_accounts(); ++a) {
    if (s.account_scores()[a] <= 0) continue;
    (net.count(a) ? in_bursts : authentic_in_bursts) += 1;
  }
  EXPECT_GE(in_bursts * 10, net.size() * 9) << "at least 90% of the bot network lies in a burst: " << in_bursts << " of "
                                            << net.size();
  EXPECT_LE(authentic_in_bursts * 4, in_bursts) << "bursts are mostly the network (authentic accounts created the same "
                                                   "days come along)";
  ASSERT_FALSE(s.groups().empty());
  EXPECT_LT(s.groups()[0].p_value, 1e-6) << s.groups()[0].explanation;
}

TEST(CreationBurstSim, AuthenticPopulationHasAtMostOneFalseBurst) {
  // The simulated population: 75% created uniformly over nine years before
  // the run, 25% during its first 90%, none in the 30 days before it starts.
  size_t bursts = 0;
  for (uint64_t seed : {1, 2, 3}) {
    auto sim = Simulate("authentic", seed, 0.2);
    CreationBurstSignal s(sim->ds);
    ASSERT_TRUE(s.Run().ok());
    for (const SignalGroup& g : s.groups()) ADD_FAILURE() << "seed " << seed << ": false burst " << g.explanation;
    bursts += s.groups().size();
  }
  EXPECT_LE(bursts, 1u) << "at most one false burst in three authentic populations of 4,000 accounts";
}

TEST(CreationBurstReal, TwitterIoSample) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is absent";
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadDataset(testing::SharedData("twitter_io_sample/io_archive_russia_2019_first1000lines.csv"), "auto", {},
                        &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  CreationBurstOptions o;
  o.min_accounts = 5;  // 86 accounts: a small sample
  CreationBurstSignal s(*ds, o);
  ASSERT_TRUE(s.Applicable(nullptr)) << "the archive has account_creation_date";
  ASSERT_TRUE(s.Run().ok());
  EXPECT_GT(s.windows_tested(), 0u) << "the creation dates span some days";
  for (const SignalGroup& g : s.groups()) {
    EXPECT_GE(g.accounts.size(), 5u) << g.explanation;
    EXPECT_TRUE(std::is_sorted(g.accounts.begin(), g.accounts.end())) << "groups are sorted";
    EXPECT_NE(g.explanation.find("accounts created"), std::string::npos) << g.explanation;
    EXPECT_LE(g.p_value, 0.01) << "only significant bursts are reported";
  }
  ::testing::Test::RecordProperty("bursts", static_cast<int>(s.groups().size()));
}

}  // namespace
}  // namespace lockstep
