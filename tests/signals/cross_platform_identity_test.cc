#include "lockstep/signals/cross_platform_identity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "dataset_builder.h"

namespace lockstep {
namespace {

constexpr int64_t kStart = 1'600'000'000;

void SetProfile(testing::DatasetBuilder& b, std::string_view account, std::string_view platform,
                std::string_view handle, std::string_view name = {}, uint64_t image = 0) {
  Account& acc = b.Profile(account);
  acc.platform = b.String(platform);
  acc.handle = b.String(handle);
  if (!name.empty()) acc.display_name = b.String(name);
  if (image != 0) {
    acc.profile_image_hash = image;
    acc.has_profile_image_hash = true;
  }
}

// The edge between two accounts, or nullptr.
const SignalEdge* EdgeOf(const CrossPlatformIdentitySignal& s, const Dataset& ds, std::string_view x,
                         std::string_view y) {
  const AccountIndex a = std::min(ds.account_ids.Find(x), ds.account_ids.Find(y));
  const AccountIndex b = std::max(ds.account_ids.Find(x), ds.account_ids.Find(y));
  for (const SignalEdge& e : s.edges())
    if (e.a == a && e.b == b) return &e;
  return nullptr;
}

TEST(IdentityNameSpecificity, ShortNamesAreAnyonesLongOnesAreChosen) {
  EXPECT_EQ(IdentityNameSpecificity("john", 5, 12), 0) << "a first name is anyone's";
  EXPECT_EQ(IdentityNameSpecificity("maria", 5, 12), 0) << "five characters are still common";
  EXPECT_NEAR(IdentityNameSpecificity("newsdaily", 5, 12), 4.0 / 7, 1e-12) << "linear between the bounds";
  EXPECT_EQ(IdentityNameSpecificity("patriotvoiceua", 5, 12), 1) << "a long made-up handle is chosen";
  EXPECT_EQ(IdentityNameSpecificity("\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd", 5, 12), 0)
      << "'иван' is 4 code points, not 8 bytes";
}

TEST(CrossPlatformIdentity, OnePersonaOnTwoPlatformsIsOneOperator) {
  testing::DatasetBuilder b;
  b.Add("fb1", kStart, EventType::kPost);
  b.Add("ig1", kStart + 60, EventType::kPost);
  b.Add("fb2", kStart + 120, EventType::kPost);
  SetProfile(b, "fb1", "facebook", "patriotvoice.ua", "Patriot Voice", 0xfeed);
  SetProfile(b, "ig1", "instagram", "PatriotVoice_UA", "Patriot Voice UA", 0xfeed);
  SetProfile(b, "fb2", "facebook", "patriotvoiceua2", "", 0x1);  // same platform as fb1: never matched
  const Dataset ds = b.Build();
  CrossPlatformIdentitySignal s(ds);
  ASSERT_TRUE(s.Applicable(nullptr)) << "two platforms";
  ASSERT_TRUE(s.Run().ok());
  const SignalEdge* e = EdgeOf(s, ds, "fb1", "ig1");
  ASSERT_NE(e, nullptr) << "same long handle and same picture on Facebook and Instagram";
  EXPECT_GT(e->strength, 0.9) << "handle and picture together";
  EXPECT_EQ(e->weight, 2) << "two kinds of evidence (display names differ after normalisation)";
  const std::string why = s.ExplainEdge(*e);
  EXPECT_NE(why.find("patriotvoiceua"), std::string::npos) << why;
  EXPECT_NE(why.find("profile image"), std::string::npos) << why;
  EXPECT_EQ(EdgeOf(s, ds, "fb1", "fb2"), nullptr) << "two accounts of one platform are not a cross-platform match";
  EXPECT_EQ(EdgeOf(s, ds, "fb2", "ig1"), nullptr) << "a handle alone (patriotvoiceua2) is one kind of evidence";
  CrossPlatformIdentityOptions one_kind;
  one_kind.min_evidence_kinds = 1;
  CrossPlatformIdentitySignal loose(ds, one_kind);
  ASSERT_TRUE(loose.Run().ok());
  const SignalEdge* handle_only = EdgeOf(loose, ds, "fb2", "ig1");
  ASSERT_NE(handle_only, nullptr) << "patriotvoiceua2 normalises to the same handle";
  EXPECT_LT(handle_only->strength, e->strength) << "a handle alone, shared by three accounts, says less";
}

TEST(CrossPlatformIdentity, CommonNamesAndPopularPicturesDoNotJoin) {
  testing::DatasetBuilder b;
  for (int i = 0; i < 2; ++i) b.Add("x" + std::to_string(i), kStart + i, EventType::kPost);
  SetProfile(b, "x0", "facebook", "john", "Maria");
  SetProfile(b, "x1", "instagram", "John_1985", "maria");
  // A long name and a picture that 25 accounts on both platforms use (a
  // slogan, a flag): a bandwagon, not one operator.
  for (int i = 0; i < 25; ++i) {
    const std::string id = "fan" + std::to_string(i);
    b.Add(id, kStart + 100 + i, EventType::kPost);
    SetProfile(b, id, i % 2 ? "facebook" : "instagram", "standwithfreedom" + std::to_string(i), "", 0xf1a9);
  }
  const Dataset ds = b.Build();
  CrossPlatformIdentitySignal s(ds);
  ASSERT_TRUE(s.Run().ok());
  EXPECT_FALSE(s.matches().matches.empty()) << "the candidates exist: the strengths are what drop them";
  EXPECT_EQ(EdgeOf(s, ds, "x0", "x1"), nullptr) << "'john' and 'maria' on two platforms are two people";
  EXPECT_TRUE(s.edges().empty()) << "a name and a picture of 25 accounts join nobody";

  CrossPlatformIdentityOptions naive;  // every name counts, however short or common
  naive.min_specific_chars = 0;
  naive.full_specific_chars = 1;
  naive.name_saturation = 1000;
  naive.image_saturation = 1000;
  naive.min_evidence_kinds = 1;
  CrossPlatformIdentitySignal n(ds, naive);
  ASSERT_TRUE(n.Run().ok());
  EXPECT_NE(EdgeOf(n, ds, "x0", "x1"), nullptr) << "without the name's specificity 'john' would join";
  EXPECT_FALSE(n.edges().empty()) << "without rarity the crowd's picture would join";
}

TEST(CrossPlatformIdentity, RareLinksAtTheSameTimesJoinViralOnesDoNot) {
  testing::DatasetBuilder b;
  std::mt19937 rng(11);
  std::uniform_int_distribution<int64_t> jitter(0, 300);
  // The operator's two accounts post the same three obscure articles minutes apart.
  for (int k = 0; k < 3; ++k) {
    const std::string url = "https://obscure-news.example/story" + std::to_string(k);
    b.Add("op_fb", kStart + k * 86400, EventType::kPost).Url(url);
    b.Add("op_tg", kStart + k * 86400 + jitter(rng), EventType::kPost).Url(url);
  }
  // 40 accounts on both platforms post the same three viral links within minutes.
  for (int k = 0; k < 3; ++k)
    for (int i = 0; i < 40; ++i)
      b.Add("crowd" + std::to_string(i), kStart + 10 * 86400 + k * 86400 + jitter(rng), EventType::kPost)
          .Url("https://bignews.example/viral" + std::to_string(k));
  SetProfile(b, "op_fb", "facebook", "aaa", "", 0xbeef);  // and one picture: two kinds of evidence
  SetProfile(b, "op_tg", "telegram", "bbb", "", 0xbeef);
  for (int i = 0; i < 40; ++i)
    SetProfile(b, "crowd" + std::to_string(i), i % 2 ? "facebook" : "telegram", "c" + std::to_string(i));
  const Dataset ds = b.Build();
  CrossPlatformIdentitySignal s(ds);
  ASSERT_TRUE(s.Run().ok());
  const SignalEdge* op = EdgeOf(s, ds, "op_fb", "op_tg");
  ASSERT_NE(op, nullptr) << "three links that only the two posted, minutes apart";
  EXPECT_NEAR(op->strength, 1 - 0.1 * std::exp(-1.5), 1e-6) << "picture 0.9; three links of rarity 1, scale 2";
  for (const SignalEdge& e : s.edges())
    EXPECT_TRUE(e.a == op->a && e.b == op->b) << "a viral link of 40 accounts joins nobody: " << s.ExplainEdge(e);
}

TEST(CrossPlatformIdentity, OnePlatformIsNotApplicableAndBadOptionsAreRejected) {
  testing::DatasetBuilder b;
  b.Add("a", kStart, EventType::kPost);
  b.Add("b", kStart, EventType::kPost);
  SetProfile(b, "a", "facebook", "someone");
  SetProfile(b, "b", "facebook", "someone");
  const Dataset ds = b.Build();
  std::string why;
  EXPECT_FALSE(CrossPlatformIdentitySignal(ds).Applicable(&why));
  EXPECT_NE(why.find("facebook"), std::string::npos) << "says which platform: " << why;
  CrossPlatformIdentityOptions bad;
  bad.full_specific_chars = bad.min_specific_chars;
  CrossPlatformIdentitySignal s(ds, bad);
  const Status st = s.Run();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.message();
  EXPECT_NE(st.message().find("full_specific_chars"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace lockstep
