#include "lockstep/graph/repeated_push_layer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "dataset_builder.h"
#include "lockstep/graph/co_action_layer.h"

namespace lockstep {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1'600'041'600;  // 2020-09-14 00:00 UTC

// A text of 12 random words from a 5,000-word vocabulary (seeded).
std::vector<std::string> RandomText(std::mt19937& rng) {
  std::uniform_int_distribution<int> word(0, 4999);
  std::vector<std::string> t;
  for (int i = 0; i < 12; ++i) t.push_back("w" + std::to_string(word(rng)));
  return t;
}

// The text with one word replaced: a light paraphrase (Jaccard of shingles ~0.75).
std::string Copy(std::vector<std::string> t, std::mt19937& rng) {
  std::uniform_int_distribution<size_t> at(0, t.size() - 1);
  std::uniform_int_distribution<int> word(5000, 9999);
  t[at(rng)] = "w" + std::to_string(word(rng));
  std::string s;
  for (const std::string& w : t) s += (s.empty() ? "" : " ") + w;
  return s;
}

// 300 ordinary accounts p0..p299, each posting 20 texts of its own over 120 days.
void AddPopulation(testing::DatasetBuilder& b, std::mt19937& rng) {
  std::uniform_int_distribution<int64_t> when(0, 120 * kDay);
  for (int a = 0; a < 300; ++a)
    for (int i = 0; i < 20; ++i)
      b.Add("p" + std::to_string(a), kStart + when(rng), EventType::kPost, {}, Copy(RandomText(rng), rng));
}

size_t EdgesAmong(const Signal& s, const Dataset& ds, const std::string& prefix) {
  size_t n = 0;
  for (const SignalEdge& e : s.edges())
    n += ds.AccountId(e.a).starts_with(prefix) && ds.AccountId(e.b).starts_with(prefix) ? 1 : 0;
  return n;
}

// An operation of 12 personas pushes 10 narratives: on 20 days, 7 of its
// members post copies of one narrative one after another, each a mean hour
// after the previous one (exponential lags), so a push spans about 7 hours.
Dataset OperationWithLongLagPushes(uint32_t seed) {
  testing::DatasetBuilder b;
  std::mt19937 rng(seed);
  AddPopulation(b, rng);
  std::vector<std::vector<std::string>> narratives;
  for (int n = 0; n < 10; ++n) narratives.push_back(RandomText(rng));
  std::exponential_distribution<double> lag(1.0 / 3600);
  std::vector<int> members(12);
  for (int m = 0; m < 12; ++m) members[static_cast<size_t>(m)] = m;
  for (int d = 0; d < 20; ++d) {
    std::shuffle(members.begin(), members.end(), rng);
    const auto& text = narratives[static_cast<size_t>(d) % narratives.size()];
    double t = static_cast<double>(kStart + (3 + 5 * d) * kDay + 9 * 3600);
    for (int k = 0; k < 7; ++k) {
      t += lag(rng);
      b.Add("op" + std::to_string(members[static_cast<size_t>(k)]), static_cast<int64_t>(t), EventType::kPost, {},
            Copy(text, rng));
    }
  }
  return b.Build();
}

TEST(RepeatedPushSignal, OperationPushingOverHoursIsLinked) {
  const Dataset ds = OperationWithLongLagPushes(21);
  RepeatedPushSignal signal(ds);
  ASSERT_TRUE(signal.Run().ok());
  // A pair is in a push with probability 7/12 x 6/11 = 0.32: 6.4 of 20 on average.
  EXPECT_GE(EdgesAmong(signal, ds, "op"), 50u) << "most of the 66 pairs of personas share several pushes";
  EXPECT_EQ(signal.edges().size(), EdgesAmong(signal, ds, "op")) << "ordinary accounts post texts of their own: no edge";
  EXPECT_EQ(signal.Name(), "repeated-text-pushes");
  EXPECT_NE(signal.ExplainEdge(signal.edges().front()).find("pushes of the same text"), std::string::npos)
      << signal.ExplainEdge(signal.edges().front());
}

TEST(RepeatedPushSignal, FindsWhatSixHourCoTextMisses) {
  // The same operation through the co-text layer at 6 hours, the longest
  // window of detection's default co-text layer: its members are often
  // more than 6 hours apart within one push, and while they push, the
  // narrative's popularity is their own, so few pairs are significant.
  const Dataset ds = OperationWithLongLagPushes(21);
  CoActionLayerOptions o;
  o.kind = ObjectKeyKind::kText;
  o.windows_seconds = {6 * 3600};
  o.edge_log10_p = -4;  // the push layer's edge threshold
  CoActionLayerSignal co_text(ds, o);
  ASSERT_TRUE(co_text.Run().ok());
  RepeatedPushSignal pushes(ds);
  ASSERT_TRUE(pushes.Run().ok());
  EXPECT_GT(EdgesAmong(pushes, ds, "op"), EdgesAmong(co_text, ds, "op") + 10)
      << "chained pushes link pairs that a pairwise window at the same p does not";
}

TEST(RepeatedPushSignal, ViralTextsCopiersAreNotLinked) {
  // Eight texts go viral, each copied by 40 ordinary accounts drawn afresh
  // over the hours after it appears: one push each. People meet in a push
  // now and then by chance (some pairs share 2 or 3), never far more often
  // than their copying predicts.
  testing::DatasetBuilder b;
  std::mt19937 rng(22);
  AddPopulation(b, rng);
  std::uniform_int_distribution<int> who(0, 299);
  std::exponential_distribution<double> lag(1.0 / 600);
  for (int v = 0; v < 8; ++v) {
    const auto text = RandomText(rng);
    double t = static_cast<double>(kStart + (5 + 12 * v) * kDay + 14 * 3600);
    for (int k = 0; k < 40; ++k) {
      t += lag(rng);
      b.Add("p" + std::to_string(who(rng)), static_cast<int64_t>(t), EventType::kPost, {}, Copy(text, rng));
    }
  }
  const Dataset ds = b.Build();
  RepeatedPushSignal signal(ds);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_EQ(signal.pushes(), 8u) << "each viral text is one push; the population's own texts are in none";
  EXPECT_TRUE(signal.edges().empty()) << "copiers of viral texts are drawn afresh: no pair is linked";
}

TEST(RepeatedPushSignal, APushPastTheCapMakesNoPairs) {
  // 20 accounts post one slogan every day for 10 days, a copy every few
  // minutes all day long: it never pauses for chain_gap_seconds, so it is
  // one push of 20 and, with max_push_accounts 10, pairs nobody.
  testing::DatasetBuilder b;
  std::mt19937 rng(23);
  const auto slogan = RandomText(rng);
  for (int i = 0; i < 10 * 24 * 12; ++i)
    b.Add("s" + std::to_string(i % 20), kStart + i * 300, EventType::kPost, {}, Copy(slogan, rng));
  const Dataset ds = b.Build();
  RepeatedPushOptions o;
  o.max_push_accounts = 10;
  RepeatedPushSignal signal(ds, o);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_EQ(signal.pushes(), 1u) << "actions 5 minutes apart chain into one push";
  EXPECT_TRUE(signal.edges().empty()) << "one push is never evidence, and this one is past the cap";
}

TEST(RepeatedPushSignal, HashtagPushesOverHoursLinkTheOperation) {
  // The signal on hashtags: 12 personas push 5 campaign tags on 20 days,
  // 7 of them a day, each a mean hour after the previous one; 300 ordinary
  // accounts tag 20 posts each with one of 400 everyday tags over 120 days.
  testing::DatasetBuilder b;
  std::mt19937 rng(24);
  std::uniform_int_distribution<int64_t> when(0, 120 * kDay);
  std::uniform_int_distribution<int> tag(0, 399);
  for (int a = 0; a < 300; ++a)
    for (int i = 0; i < 20; ++i)
      b.Add("p" + std::to_string(a), kStart + when(rng), EventType::kPost).Hashtag("t" + std::to_string(tag(rng)));
  std::exponential_distribution<double> lag(1.0 / 3600);
  std::vector<int> members(12);
  for (int m = 0; m < 12; ++m) members[static_cast<size_t>(m)] = m;
  for (int d = 0; d < 20; ++d) {
    std::shuffle(members.begin(), members.end(), rng);
    double t = static_cast<double>(kStart + (3 + 5 * d) * kDay + 9 * 3600);
    for (int k = 0; k < 7; ++k) {
      t += lag(rng);
      b.Add("op" + std::to_string(members[static_cast<size_t>(k)]), static_cast<int64_t>(t), EventType::kPost)
          .Hashtag("Campaign" + std::to_string(d % 5));
    }
  }
  const Dataset ds = b.Build();
  RepeatedPushOptions o;
  o.kind = ObjectKeyKind::kHashtag;
  RepeatedPushSignal signal(ds, o);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_EQ(signal.Name(), "repeated-hashtag-pushes");
  EXPECT_GE(EdgesAmong(signal, ds, "op"), 50u) << "most of the 66 pairs of personas share several pushes";
  EXPECT_EQ(signal.edges().size(), EdgesAmong(signal, ds, "op")) << "everyday tags' users meet by chance only";
}

TEST(RepeatedPushSignal, RejectsBadOptions) {
  testing::DatasetBuilder b;
  b.Add("a", kStart, EventType::kPost, {}, "one two three four five six");
  const Dataset ds = b.Build();
  RepeatedPushOptions o;
  o.min_shared_pushes = 1;
  RepeatedPushSignal signal(ds, o);
  const Status s = signal.Run();
  EXPECT_FALSE(s.ok()) << "a single shared push is no repetition";
  EXPECT_NE(s.message().find("got 1"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace lockstep
