#include "lockstep/graph/repeated_burst_layer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "dataset_builder.h"

namespace lockstep {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1'600'041'600;  // 2020-09-14 00:00 UTC

// 300 ordinary accounts, each tagging 20 posts with one of 400 everyday tags
// on random days over 120 days (seeded): the population's hashtag activity.
void AddPopulation(testing::DatasetBuilder& b, std::mt19937& rng) {
  std::uniform_int_distribution<int64_t> when(0, 120 * kDay);
  std::uniform_int_distribution<int> tag(0, 399);
  for (int a = 0; a < 300; ++a)
    for (int i = 0; i < 20; ++i) b.Add("p" + std::to_string(a), kStart + when(rng), EventType::kPost).Hashtag("t" + std::to_string(tag(rng)));
}

// Ordinary accounts p[15 s] .. p[15 s + 14] pick `tag` up in the hours
// after t, the storm number s: different users each time.
void AddPickup(testing::DatasetBuilder& b, std::mt19937& rng, const std::string& tag, int64_t t, int s) {
  std::uniform_int_distribution<int64_t> later(600, 5 * 3600);
  for (int k = 0; k < 15; ++k) b.Add("p" + std::to_string(15 * s + k), t + later(rng), EventType::kPost).Hashtag(tag);
}

size_t EdgesAmong(const Signal& s, const Dataset& ds, const std::string& prefix) {
  size_t n = 0;
  for (const SignalEdge& e : s.edges()) {
    const bool a = ds.AccountId(e.a).starts_with(prefix), b = ds.AccountId(e.b).starts_with(prefix);
    n += a && b ? 1 : 0;
  }
  return n;
}

TEST(RepeatedBurstSignal, StormAccountsThatReturnTogetherAreLinked) {
  // 20 storm accounts post #storm within 3 h on 5 days three weeks apart,
  // each joining 4 storms in 5 (seeded); real users pick the tag up after.
  testing::DatasetBuilder b;
  std::mt19937 rng(11);
  AddPopulation(b, rng);
  std::bernoulli_distribution joins(0.8);
  std::uniform_int_distribution<int64_t> within(0, 3 * 3600);
  for (int s = 0; s < 5; ++s) {
    const int64_t t = kStart + (5 + 21 * s) * kDay + 9 * 3600;
    for (int a = 0; a < 20; ++a)
      if (joins(rng)) b.Add("storm" + std::to_string(a), t + within(rng), EventType::kPost).Hashtag("Storm");
    AddPickup(b, rng, "storm", t, s);
  }
  const Dataset ds = b.Build();
  RepeatedBurstSignal signal(ds);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_EQ(signal.bursts(), 5u) << "five storm days, no everyday tag bursts";
  // A pair joins 3 or more of the 5 storms with probability 0.75 (each storm 0.8 x 0.8).
  EXPECT_GE(EdgesAmong(signal, ds, "storm"), 100u) << "most of the 190 storm pairs share 3 or more storms";
  EXPECT_EQ(signal.edges().size(), EdgesAmong(signal, ds, "storm")) << "pick-up users come once each: no edge";
  EXPECT_NE(signal.ExplainEdge(signal.edges().front()).find("#storm"), std::string::npos);
}

TEST(RepeatedBurstSignal, TrendingTagsEarlyAdoptersAreNotLinked) {
  // Five tags trend once each, each started by 30 accounts drawn afresh from
  // the population: the same people meet in a burst now and then by chance.
  testing::DatasetBuilder b;
  std::mt19937 rng(12);
  AddPopulation(b, rng);
  std::uniform_int_distribution<int> who(0, 299);
  std::uniform_int_distribution<int64_t> within(0, 3 * 3600);
  for (int s = 0; s < 5; ++s) {
    const int64_t t = kStart + (5 + 21 * s) * kDay + 9 * 3600;
    for (int k = 0; k < 30; ++k) b.Add("p" + std::to_string(who(rng)), t + within(rng), EventType::kPost).Hashtag("trend" + std::to_string(s));
  }
  const Dataset ds = b.Build();
  RepeatedBurstSignal signal(ds);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_EQ(signal.bursts(), 5u);
  EXPECT_TRUE(signal.edges().empty()) << "a trend's early adopters are not a network";
}

TEST(RepeatedBurstSignal, RejectsOptionsThatMakeEveryPairEvidence) {
  testing::DatasetBuilder b;
  b.Add("a", kStart, EventType::kPost).Hashtag("x");
  const Dataset ds = b.Build();
  RepeatedBurstOptions o;
  o.min_shared_bursts = 1;
  RepeatedBurstSignal signal(ds, o);
  const Status s = signal.Run();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("min_shared_bursts must be >= 2, got 1"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace lockstep
