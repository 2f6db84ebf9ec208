#include "lockstep/signals/interconnection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <fmt/format.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "signals/sim_fixture.h"
#include "test_util.h"

namespace lockstep {
namespace {

Dataset Load(const std::string& dir) { return testing::LoadLockstep(dir); }

TEST(PoissonUpperTail, KnownValues) {
  EXPECT_DOUBLE_EQ(PoissonUpperTail(0, 3), 1) << "P(X >= 0) = 1";
  EXPECT_NEAR(PoissonUpperTail(1, 2), 1 - std::exp(-2), 1e-12) << "P(X >= 1) = 1 - e^-lambda";
  EXPECT_NEAR(PoissonUpperTail(3, 1), 1 - std::exp(-1) * 2.5, 1e-12) << "1 - P(0) - P(1) - P(2)";
  const double far = PoissonUpperTail(200, 2);
  EXPECT_GT(far, 0) << "the far tail stays positive";
  EXPECT_LT(far, 1e-200) << "and tiny";
}

// 10 ring members engage only each other; 60 others engage at random among
// everyone (ring members included).
TEST(Interconnection, RingIsDenseRandomGroupIsNot) {
  std::mt19937 rng(7);
  testing::TempDir dir;
  std::string acc = "account_id\n", ev = "event_id,account_id,time,type,target_account_id\n";
  for (int i = 0; i < 70; ++i) acc += fmt::format("a{}\n", i);
  std::uniform_int_distribution<int> anyone(0, 69), ring(0, 9);
  const char* kinds[] = {"share", "comment", "like"};
  int e = 0;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 20; ++j) {
      ev += fmt::format("e{},a{},{},{},a{}\n", e, i, 1600000000 + e, kinds[e % 3], (i + 1 + ring(rng) % 9) % 10);
      ++e;
    }
  for (int i = 10; i < 70; ++i)
    for (int j = 0; j < 20; ++j) {
      int t = anyone(rng);
      if (t == i) t = (t + 1) % 70;
      ev += fmt::format("e{},a{},{},{},a{}\n", e, i, 1600000000 + e, kinds[e % 3], t);
      ++e;
    }
  testing::WriteFile(dir / "accounts.csv", acc);
  testing::WriteFile(dir / "events.csv", ev);
  const Dataset ds = Load(dir.path());
  std::vector<AccountIndex> ring_members, random_members;
  for (int i = 0; i < 10; ++i) ring_members.push_back(ds.account_ids.Find(fmt::format("a{}", i)));
  for (int i = 30; i < 40; ++i) random_members.push_back(ds.account_ids.Find(fmt::format("a{}", i)));

  const Interconnection r = InterconnectionOf(ds, ring_members);
  EXPECT_EQ(r.members, 10u) << "ten members";
  EXPECT_EQ(r.member_engagement, 200u) << "20 engagements each";
  EXPECT_EQ(r.observed, 200u) << "every ring engagement targets the ring";
  EXPECT_GT(r.ratio, 3) << "far denser than the ring's share of engagement predicts: " << r.explanation;
  EXPECT_LT(r.p_value, 1e-20) << r.explanation;
  EXPECT_NE(r.explanation.find("200 of their 200"), std::string::npos) << r.explanation;

  const Interconnection q = InterconnectionOf(ds, random_members);
  EXPECT_LT(q.ratio, 3) << "a random group engages with itself about as expected: " << q.explanation;
  EXPECT_GT(q.p_value, 1e-3) << q.explanation;
  EXPECT_EQ(q.member_engagement, 200u) << "20 engagements each";
  EXPECT_GT(q.expected, 5) << "the group receives its share of random engagement: " << q.explanation;
}

TEST(CrossPlatform, NormalisesNames) {
  EXPECT_EQ(NormalizeIdentityName("NewsDaily_24"), "newsdaily") << "case, punctuation and trailing digits";
  EXPECT_EQ(NormalizeIdentityName("news.daily!!"), "newsdaily") << "punctuation anywhere";
  EXPECT_EQ(NormalizeIdentityName("ab12"), "") << "too short after stripping";
}

TEST(CrossPlatform, MatchesAHandMadePairAndNotSamePlatform) {
  testing::TempDir dir;
  testing::WriteFile(dir / "accounts.csv",
                     "account_id,platform,handle,display_name,profile_image_hash\n"
                     "tw1,twitter,NewsDaily_24,Daily News Now,00000000deadbeef\n"
                     "fb1,facebook,newsdaily,Daily News Now!,00000000deadbeef\n"
                     "tw2,twitter,newsdaily99,Someone Else,0000000000000001\n"
                     "fb2,facebook,gardenlover,Garden Lover,0000000000000002\n"
                     "tw3,twitter,birdwatch,Bird Watch,0000000000000003\n");
  testing::WriteFile(dir / "events.csv",
                     "event_id,account_id,time,type,urls\n"
                     "e1,fb2,2021-01-01T10:00:00Z,post,https://ex.com/a?utm_source=x\n"
                     "e2,tw3,2021-01-01T10:05:00Z,post,https://ex.com/a\n"
                     "e3,fb2,2021-01-02T10:00:00Z,post,https://ex.com/b\n"
                     "e4,tw3,2021-01-02T10:09:00Z,post,https://ex.com/b\n"
                     "e5,fb2,2021-01-03T10:00:00Z,post,https://ex.com/c\n"
                     "e6,tw3,2021-01-03T11:00:00Z,post,https://ex.com/c\n");
  const Dataset ds = Load(dir.path());
  auto id = [&](const char* s) { return ds.account_ids.Find(s); };
  const CrossPlatformResult r = CrossPlatformMatches(ds);
  auto has = [&](const char* x, const char* y, IdentityEvidence ev) {
    const AccountIndex a = std::min(id(x), id(y)), b = std::max(id(x), id(y));
    for (const CrossPlatformMatch& m : r.matches)
      if (m.a == a && m.b == b && m.evidence == ev) return &m;
    return static_cast<const CrossPlatformMatch*>(nullptr);
  };
  EXPECT_NE(has("tw1", "fb1", IdentityEvidence::kHandle), nullptr) << "NewsDaily_24 ~ newsdaily across platforms";
  EXPECT_NE(has("tw1", "fb1", IdentityEvidence::kDisplayName), nullptr) << "display names equal after folding";
  EXPECT_NE(has("tw1", "fb1", IdentityEvidence::kProfileImage), nullptr) << "same image hash";
  EXPECT_NE(has("tw2", "fb1", IdentityEvidence::kHandle), nullptr) << "newsdaily99 ~ newsdaily";
  EXPECT_EQ(has("tw1", "tw2", IdentityEvidence::kHandle), nullptr) << "same platform is never a cross-platform match";
  const CrossPlatformMatch* links = has("fb2", "tw3", IdentityEvidence::kSameLinks);
  ASSERT_NE(links, nullptr) << "two links within 10 minutes, tracking parameters removed";
  EXPECT_EQ(links->count, 2u) << "the third link was an hour apart";
  EXPECT_NE(links->reason.find("ex.com"), std::string::npos) << links->reason;
  CrossPlatformOptions strict;
  strict.min_link_matches = 3;
  const CrossPlatformResult s = CrossPlatformMatches(ds, strict);
  for (const CrossPlatformMatch& m : s.matches)
    EXPECT_NE(m.evidence, IdentityEvidence::kSameLinks) << "two link pairs are under a bound of three";
}

}  // namespace
}  // namespace lockstep
