#include "lockstep/graph/co_action_layer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "dataset_builder.h"

namespace lockstep {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1'600'000'000;  // 2020-09-13

// A background of `n` accounts sharing random posts of a large pool at
// random times over 30 days (seeded), so that the null has a population.
void AddBackground(testing::DatasetBuilder& b, int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> when(0, 30 * kDay);
  std::uniform_int_distribution<int> post(0, 4999);
  for (int a = 0; a < n; ++a)
    for (int i = 0; i < 30; ++i)
      b.Add("bg" + std::to_string(a), kStart + when(rng), EventType::kShare, "pool" + std::to_string(post(rng)));
}

// x and y share the same 8 obscure posts, y always 90 minutes after x, on
// 8 different days: no co-action within minutes, lockstep at the hour scale.
Dataset HoursApartPair() {
  testing::DatasetBuilder b;
  AddBackground(b, 200, 7);
  for (int k = 0; k < 8; ++k) {
    const int64_t t = kStart + k * 3 * kDay + 3600;
    const std::string post = "obscure" + std::to_string(k);
    b.Add("x", t, EventType::kShare, post).Add("y", t + 90 * 60, EventType::kShare, post);
  }
  return b.Build();
}

// The index of edge a-b in s.edges(), or -1.
ptrdiff_t EdgeIndex(const Signal& s, AccountIndex a, AccountIndex b) {
  for (size_t i = 0; i < s.edges().size(); ++i) {
    const SignalEdge& e = s.edges()[i];
    if ((e.a == a && e.b == b) || (e.a == b && e.b == a)) return static_cast<ptrdiff_t>(i);
  }
  return -1;
}
bool HasEdge(const Signal& s, AccountIndex a, AccountIndex b) { return EdgeIndex(s, a, b) >= 0; }

TEST(CoActionLayerSignal, LongWindowFindsAPairHoursApart) {
  const Dataset ds = HoursApartPair();
  const AccountIndex x = ds.account_ids.Find("x"), y = ds.account_ids.Find("y");
  CoActionLayerOptions minutes;
  minutes.windows_seconds = {120};
  CoActionLayerSignal short_only(ds, minutes);
  ASSERT_TRUE(short_only.Run().ok());
  EXPECT_FALSE(HasEdge(short_only, x, y)) << "90 minutes apart never co-act within 2 minutes";

  CoActionLayerOptions scales = minutes;
  scales.windows_seconds = {120, 3 * 3600};
  CoActionLayerSignal layer(ds, scales);
  ASSERT_TRUE(layer.Run().ok());
  const ptrdiff_t xy = EdgeIndex(layer, x, y);
  ASSERT_GE(xy, 0) << "8 obscure posts shared 90 minutes apart is lockstep at the hour scale";
  EXPECT_LT(layer.EdgeLog10P(xy), -6) << "and far beyond chance";
  EXPECT_EQ(layer.edges_per_window()[1], layer.edges().size() - layer.edges_per_window()[0]);
  EXPECT_GE(layer.edges_per_window()[1], 1u) << "x-y's best window is the long one";
  const std::string why = layer.ExplainEdge(layer.edges()[xy]);
  EXPECT_NE(why.find("within 3 h"), std::string::npos) << why;
  EXPECT_EQ(layer.EdgeMeaning(), "co-acted within 2 min or 3 h far more than chance allows");
  EXPECT_GE(layer.significant_edges(), 1u);
}

TEST(CoActionLayerSignal, BestOfSeveralWindowsPaysForTheChoice) {
  // The same window twice: the same test twice, so the best p must be
  // exactly twice the single window's (Bonferroni), not the same.
  const Dataset ds = HoursApartPair();
  CoActionLayerOptions one;
  one.windows_seconds = {3 * 3600};
  CoActionLayerSignal single(ds, one);
  ASSERT_TRUE(single.Run().ok());
  CoActionLayerOptions two = one;
  two.windows_seconds = {3 * 3600, 3 * 3600};
  CoActionLayerSignal doubled(ds, two);
  ASSERT_TRUE(doubled.Run().ok());
  const AccountIndex x = ds.account_ids.Find("x"), y = ds.account_ids.Find("y");
  const ptrdiff_t i = EdgeIndex(single, x, y), j = EdgeIndex(doubled, x, y);
  ASSERT_GE(i, 0);
  ASSERT_GE(j, 0);
  EXPECT_NEAR(doubled.EdgeLog10P(j), single.EdgeLog10P(i) + std::log10(2.0), 1e-9);
  EXPECT_EQ(doubled.edges_per_window()[0], doubled.edges().size()) << "ties go to the first window";
}

TEST(CoActionLayerSignal, LongWindowsSkipBusyKeys) {
  // 40 accounts share each of 5 posts within 100 minutes, days apart:
  // 40 x 39 / 2 = 780 action pairs per post within the long window. A crowd
  // of 100 accounts is busy on other posts around each time, so that the
  // posts are not all that happens then (the null would expect it all).
  testing::DatasetBuilder b;
  AddBackground(b, 60, 11);
  std::mt19937 rng(13);
  std::uniform_int_distribution<int64_t> around(-3 * 3600, 3 * 3600);
  for (int k = 0; k < 5; ++k) {
    const int64_t t = kStart + k * 5 * kDay + 12 * 3600;
    for (int a = 0; a < 40; ++a)
      b.Add("fan" + std::to_string(a), t + a * 150, EventType::kShare, "viral" + std::to_string(k));
    for (int c = 0; c < 100; ++c)
      for (int i = 0; i < 5; ++i)
        b.Add("crowd" + std::to_string(c), t + around(rng), EventType::kShare,
              fmt::format("crowd{}-{}-{}", k, c, i));
  }
  const Dataset ds = b.Build();
  CoActionLayerOptions o;
  o.windows_seconds = {6 * 3600};
  o.long_window_max_pairs_per_key = 1000;
  CoActionLayerSignal counted(ds, o);
  ASSERT_TRUE(counted.Run().ok());
  const AccountIndex f0 = ds.account_ids.Find("fan0"), f1 = ds.account_ids.Find("fan1");
  EXPECT_TRUE(HasEdge(counted, f0, f1)) << "780 pairs per key are under the bound of 1000: counted";
  o.long_window_max_pairs_per_key = 500;
  CoActionLayerSignal skipped(ds, o);
  ASSERT_TRUE(skipped.Run().ok());
  EXPECT_FALSE(HasEdge(skipped, f0, f1)) << "780 pairs per key exceed the bound of 500 at a long window: skipped";
  o.long_window_seconds = 6 * 3600;  // the window is no longer "long": the ordinary bound applies
  CoActionLayerSignal ordinary(ds, o);
  ASSERT_TRUE(ordinary.Run().ok());
  EXPECT_TRUE(HasEdge(ordinary, f0, f1));
}

TEST(CoActionLayerSignal, RejectsBadWindows) {
  const Dataset ds = HoursApartPair();
  CoActionLayerOptions none;
  none.windows_seconds = {};
  CoActionLayerSignal empty(ds, none);
  const Status s = empty.Run();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("at least one"), std::string::npos) << s.message();
  CoActionLayerOptions negative;
  negative.windows_seconds = {60, -5};
  CoActionLayerSignal bad(ds, negative);
  const Status t = bad.Run();
  EXPECT_FALSE(t.ok());
  EXPECT_NE(t.message().find("-5"), std::string::npos) << t.message();
}

TEST(CoActionLayerSignal, KeyPerDayCountsRepeatedBurstsOnOneKey) {
  // x and y act on one key within 30 s on 4 days, a week apart; 200
  // background accounts act on it too, at random times (the tag's uptake).
  testing::DatasetBuilder b;
  AddBackground(b, 200, 17);
  std::mt19937 rng(19);
  std::uniform_int_distribution<int64_t> when(0, 30 * kDay);
  for (int a = 0; a < 200; a += 4) b.Add("bg" + std::to_string(a), kStart + when(rng), EventType::kShare, "tag");
  for (int k = 0; k < 4; ++k) {
    const int64_t t = kStart + k * 7 * kDay + 5 * 3600;
    b.Add("x", t, EventType::kShare, "tag").Add("y", t + 30, EventType::kShare, "tag");
  }
  const Dataset ds = b.Build();
  const AccountIndex x = ds.account_ids.Find("x"), y = ds.account_ids.Find("y");
  CoActionLayerOptions one_key;
  one_key.windows_seconds = {300};
  CoActionLayerSignal plain(ds, one_key);
  ASSERT_TRUE(plain.Run().ok());
  EXPECT_FALSE(HasEdge(plain, x, y)) << "one key co-acted on is never evidence (min 2 keys)";
  CoActionLayerOptions per_day = one_key;
  per_day.key_per_day = true;
  CoActionLayerSignal days(ds, per_day);
  ASSERT_TRUE(days.Run().ok());
  const ptrdiff_t xy = EdgeIndex(days, x, y);
  ASSERT_GE(xy, 0) << "four bursts on four days are four keys";
  EXPECT_EQ(days.edges()[xy].weight, 4.0f);
  EXPECT_LT(days.EdgeLog10P(xy), -4);
}

}  // namespace
}  // namespace lockstep
