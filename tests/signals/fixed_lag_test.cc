#include "lockstep/signals/fixed_lag.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <fmt/format.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "test_util.h"

namespace lockstep {
namespace {

constexpr int64_t kT0 = 1600000000;

// An outlet posts `posts` items a day apart; `scheduled` shares 80% of them
// exactly `lag` seconds later (+/- 30 s); two fans share every post after a
// spread-out human delay (3 min + exponential, mean 40 min); 30 readers
// share each post with probability 0.2 at such delays.
std::string Events(uint32_t seed, int posts, int64_t lag) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> hour(0, 40000);
  std::uniform_int_distribution<int64_t> jitter(-30, 30);
  std::exponential_distribution<double> human(1.0 / 2400);
  std::bernoulli_distribution keep(0.8), read(0.2);
  std::string ev = "event_id,account_id,time,type,target_id,text\n";
  int id = 0;
  for (int p = 0; p < posts; ++p) {
    const int64_t t = kT0 + p * 86400 + hour(rng);
    ev += fmt::format("p{},outlet,{},post,,\"story number {} of the outlet today\"\n", p, t, p);
    if (keep(rng)) ev += fmt::format("e{},scheduled,{},share,p{},\n", id++, t + lag + jitter(rng), p);
    for (int f = 0; f < 2; ++f)
      ev += fmt::format("e{},fan{},{},share,p{},\n", id++, f, t + 180 + static_cast<int64_t>(human(rng)), p);
    for (int r = 0; r < 30; ++r)
      if (read(rng)) ev += fmt::format("e{},reader{},{},share,p{},\n", id++, r, t + 60 + static_cast<int64_t>(human(rng)), p);
  }
  return ev;
}

Dataset Load(const std::string& events) {
  testing::TempDir dir;
  std::string accounts = "account_id\noutlet\nscheduled\nfan0\nfan1\n";
  for (int r = 0; r < 30; ++r) accounts += fmt::format("reader{}\n", r);
  testing::WriteFile(dir / "accounts.csv", accounts);
  testing::WriteFile(dir / "events.csv", events);
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadLockstepDirectory(dir.path(), {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return ds.ok() ? std::move(*ds) : Dataset{};
}

bool Linked(const FixedLagRepetitionSignal& s, const Dataset& ds, std::string_view x, std::string_view y) {
  const AccountIndex a = ds.account_ids.Find(x), b = ds.account_ids.Find(y);
  for (const SignalEdge& e : s.edges())
    if ((e.a == a && e.b == b) || (e.a == b && e.b == a)) return true;
  return false;
}

TEST(FixedLag, BinomialTailMatchesTheSum) {
  EXPECT_NEAR(Log10BinomialTail(1, 1, 0.5), std::log10(0.5), 1e-12) << "one trial, one success";
  EXPECT_NEAR(Log10BinomialTail(3, 3, 0.1), -3, 1e-12) << "all three at 0.1";
  double sum = 0;  // P(X >= 4; 10, 0.2), term by term
  for (int k = 4; k <= 10; ++k) sum += std::tgamma(11) / std::tgamma(k + 1) / std::tgamma(11 - k) * std::pow(0.2, k) * std::pow(0.8, 10 - k);
  EXPECT_NEAR(Log10BinomialTail(4, 10, 0.2), std::log10(sum), 1e-9) << "the tail summed directly";
  EXPECT_EQ(Log10BinomialTail(0, 10, 0.2), 0) << "x = 0 is certain";
  EXPECT_TRUE(std::isinf(Log10BinomialTail(11, 10, 0.2))) << "more successes than trials are impossible";
  EXPECT_LT(Log10BinomialTail(200, 200, 0.01), -300) << "far tails stay finite in log space";
}

TEST(FixedLag, FindsAScheduledAmplifierAtTwentyMinutes) {
  const Dataset ds = Load(Events(/*seed=*/7, /*posts=*/30, /*lag=*/1200));
  FixedLagRepetitionSignal signal(ds);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_TRUE(Linked(signal, ds, "outlet", "scheduled")) << "24 shares exactly 20 min after the post";
  EXPECT_FALSE(Linked(signal, ds, "outlet", "fan0")) << "a fan's delays are spread";
  EXPECT_FALSE(Linked(signal, ds, "fan0", "fan1")) << "two fans share everything, but at spread lags";
  EXPECT_FALSE(Linked(signal, ds, "scheduled", "fan0")) << "a fixed lag against a spread one is spread";
  EXPECT_EQ(signal.edges().size(), 1u) << "only the scheduler's pair";
  ASSERT_FALSE(signal.edges().empty());
  const std::string why = signal.ExplainEdge(signal.edges()[0]);
  EXPECT_NE(why.find("scheduled acted 20 min after outlet (+/- 60 s) on "), std::string::npos) << why;
  EXPECT_LT(signal.EdgeLog10P(0), -2) << "corrected p below alpha";
  EXPECT_FALSE(signal.JoiningProvesInauthenticity()) << "a newsroom's scheduler repeats lags too";
}

TEST(FixedLag, LeavesLagsUnderThreeMinutesToCoAction) {
  const Dataset ds = Load(Events(/*seed=*/8, /*posts=*/30, /*lag=*/60));
  FixedLagRepetitionSignal signal(ds);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_FALSE(Linked(signal, ds, "outlet", "scheduled")) << "1 min is below min_lag_seconds";
}

TEST(FixedLag, ASingleLagCoincidenceIsNoEdge) {
  // Two accounts share 10 posts; two of them happen to be 20 min apart, the rest spread from 5 to 120 min.
  std::mt19937 rng(11);
  std::uniform_int_distribution<int64_t> spread(300, 7200);
  std::string ev = "event_id,account_id,time,type,target_id,text\n";
  for (int p = 0; p < 10; ++p) {
    const int64_t t = kT0 + p * 86400;
    ev += fmt::format("p{},outlet,{},post,,\"story number {} of the outlet today\"\n", p, t, p);
    ev += fmt::format("a{},fan0,{},share,p{},\n", p, t + 60, p);
    ev += fmt::format("b{},fan1,{},share,p{},\n", p, t + 60 + (p < 2 ? 1200 : spread(rng)), p);
  }
  const Dataset ds = Load(ev);
  FixedLagOptions relaxed;  // let the null alone decide
  relaxed.min_repeats = 2;
  relaxed.min_share = 0;
  FixedLagRepetitionSignal signal(ds, relaxed);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_FALSE(Linked(signal, ds, "fan0", "fan1")) << "2 of 10 at one lag is what 180 possible lags allow";
  EXPECT_EQ(signal.tests(), 3u) << "outlet-fan0, outlet-fan1, fan0-fan1 share 10 items each";
}

TEST(FixedLag, ABatchCopiedOnceIsOneOccasion) {
  // reader1 copies a batch of 7 of reader0's texts, posted within 2 minutes, 20 min later, once; on 5
  // other days they post a text 5 to 120 min apart. Seven repeats of one sitting are one repetition.
  // (The outlet's audience around them is the null's population of lags.)
  std::mt19937 rng(13);
  std::uniform_int_distribution<int64_t> spread(300, 7200);
  std::string ev = Events(/*seed=*/9, /*posts=*/30, /*lag=*/1200);
  for (int p = 0; p < 7; ++p) {
    ev += fmt::format("a{},reader0,{},post,,\"batch news item number {} about the weather\"\n", p, kT0 + p * 15, p);
    ev += fmt::format("b{},reader1,{},post,,\"batch news item number {} about the weather\"\n", p, kT0 + 1200 + p * 15, p);
  }
  for (int d = 1; d <= 5; ++d) {
    const int64_t t = kT0 + d * 86400 + 50000;
    ev += fmt::format("c{},reader0,{},post,,\"another day another story number {}\"\n", d, t, d);
    ev += fmt::format("d{},reader1,{},post,,\"another day another story number {}\"\n", d, t + spread(rng), d);
  }
  const Dataset ds = Load(ev);
  FixedLagRepetitionSignal signal(ds);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_FALSE(Linked(signal, ds, "reader0", "reader1")) << "the batch is one occasion of 6, not 7 repeats of 12";
  FixedLagOptions per_item;
  per_item.occasion_gap_seconds = 0;  // every item its own occasion
  FixedLagRepetitionSignal counted(ds, per_item);
  ASSERT_TRUE(counted.Run().ok());
  EXPECT_TRUE(Linked(counted, ds, "reader0", "reader1")) << "counted per item, 7 of 12 at 20 min look scheduled";
}

TEST(FixedLag, RejectsBadOptions) {
  const Dataset ds = Load(Events(1, 5, 1200));
  FixedLagOptions bad;
  bad.min_lag_seconds = 30;  // below the 60 s tolerance
  FixedLagRepetitionSignal signal(ds, bad);
  const Status s = signal.Run();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("got 30"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace lockstep
