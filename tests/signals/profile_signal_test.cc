#include "lockstep/signals/profile_signal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
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

constexpr int64_t kT0 = 1'600'000'000;
constexpr int64_t kDay = 86400;

class Builder {
 public:
  AccountIndex Add(const std::string& handle = "", const std::string& display = "", uint64_t image = 0,
                   bool has_image = false) {
    const AccountIndex a = ds_.account_ids.Intern("a" + std::to_string(ds_.accounts.size()));
    Account acc;
    if (!handle.empty()) acc.handle = ds_.strings.Intern(handle);
    if (!display.empty()) acc.display_name = ds_.strings.Intern(display);
    acc.profile_image_hash = image;
    acc.has_profile_image_hash = has_image;
    acc.created_at = kT0;
    ds_.accounts.push_back(acc);
    return a;
  }
  void Change(AccountIndex a, int64_t t, ProfileField f, const std::string& old_value, const std::string& new_value) {
    ds_.profile_changes.push_back({a, t, f, ds_.strings.Intern(old_value), ds_.strings.Intern(new_value)});
  }
  Dataset& ds() { return ds_; }

 private:
  Dataset ds_;
};

float Strength(const ProfileSignal& s, AccountIndex a, AccountIndex b) {
  for (const SignalEdge& e : s.edges())
    if (e.a == std::min(a, b) && e.b == std::max(a, b)) return e.strength;
  return 0;
}

uint64_t FlipBits(uint64_t h, std::initializer_list<int> bits) {
  for (int b : bits) h ^= uint64_t{1} << b;
  return h;
}

TEST(ProfileHashes, DistanceSixIsNearSevenIsNot) {
  const uint64_t h = 0x0123456789abcdefULL;
  // Radius 6 uses 7 chunks starting at bits 0, 9, 18, 27, 36, 45, 54. One
  // flipped bit in each of six chunks leaves one chunk equal; one in each of
  // the seven leaves none, and seven bits in one chunk leave six equal.
  const uint64_t six = FlipBits(h, {0, 9, 18, 27, 36, 45});
  const uint64_t seven_spread = FlipBits(h, {0, 9, 18, 27, 36, 45, 54});
  const uint64_t seven_packed = FlipBits(h, {1, 2, 3, 4, 5, 6, 7});
  ASSERT_EQ(HammingDistance(h, six), 6);
  ASSERT_EQ(HammingDistance(h, seven_spread), 7);
  ASSERT_EQ(HammingDistance(h, seven_packed), 7);
  const auto pairs = NearHashPairs({h, six, seven_spread, seven_packed}, 6);
  EXPECT_NE(std::find(pairs.begin(), pairs.end(), std::pair<uint32_t, uint32_t>(0, 1)), pairs.end())
      << "distance exactly 6 is within the radius";
  EXPECT_EQ(std::find(pairs.begin(), pairs.end(), std::pair<uint32_t, uint32_t>(0, 2)), pairs.end())
      << "distance 7 spread over every chunk is not";
  EXPECT_EQ(std::find(pairs.begin(), pairs.end(), std::pair<uint32_t, uint32_t>(0, 3)), pairs.end())
      << "distance 7 inside one chunk is not";
}

TEST(ProfileHashes, MultiIndexFindsExactlyWhatBruteForceFinds) {
  std::mt19937_64 rng(2024);
  std::vector<uint64_t> hashes;
  std::set<uint64_t> seen;
  while (hashes.size() < 600) {
    uint64_t h = rng();
    if (!hashes.empty() && rng() % 2 == 0) {  // a near copy of an earlier hash
      h = hashes[rng() % hashes.size()];
      for (int k = static_cast<int>(rng() % 10); k > 0; --k) h ^= uint64_t{1} << (rng() % 64);
    }
    if (seen.insert(h).second) hashes.push_back(h);
  }
  for (int radius : {0, 1, 3, 6, 8}) {
    std::vector<std::pair<uint32_t, uint32_t>> brute;
    for (uint32_t i = 0; i < hashes.size(); ++i)
      for (uint32_t j = i + 1; j < hashes.size(); ++j)
        if (HammingDistance(hashes[i], hashes[j]) <= radius) brute.emplace_back(i, j);
    EXPECT_EQ(NearHashPairs(hashes, radius), brute) << "radius " << radius << ": same pairs, each once";
  }
}

TEST(ProfileNames, KeysFoldCaseAndStripTrailingDigits) {
  EXPECT_EQ(NameKey(" Anna.K2 ", true), "anna.k2") << "case folded, blanks trimmed";
  EXPECT_EQ(NameKey("@Anna.K", true), "anna.k") << "a handle's '@' is dropped";
  EXPECT_EQ(NearNameKey("anna.k2"), "anna.k") << "trailing digits stripped";
  EXPECT_EQ(NearNameKey("anna_k__2024!"), "anna_k") << "trailing punctuation too";
  EXPECT_EQ(NameKey("ÄNNA", false), "änna") << "Unicode case folding";
}

TEST(ProfileSignalHand, SharedAndNearImagesLinkedCommonImageIgnored) {
  Builder b;
  const uint64_t img = 0x5a5a00ff12345678ULL, def = 0x8000c3c3c3c30001ULL;
  const AccountIndex x = b.Add("", "", img, true);
  const AccountIndex y = b.Add("", "", img, true);
  const AccountIndex z = b.Add("", "", img ^ 1, true);                        // a re-encoded copy
  const AccountIndex far = b.Add("", "", FlipBits(img, {0, 9, 18, 27, 36, 45, 54}), true);  // distance 7
  std::vector<AccountIndex> defaults;
  for (int i = 0; i < 30; ++i) defaults.push_back(b.Add("", "", i % 2 ? def : def ^ 4, true));
  ProfileOptions o;
  o.max_image_accounts = 20;
  ProfileSignal s(b.ds(), o);
  ASSERT_TRUE(s.Run().ok());
  EXPECT_GT(Strength(s, x, y), 0.5) << "the same uncommon image";
  EXPECT_GT(Strength(s, x, z), 0.5) << "a copy one bit away";
  EXPECT_LT(Strength(s, x, z), Strength(s, x, y)) << "a near copy counts a little less than the same hash";
  EXPECT_EQ(Strength(s, x, far), 0) << "distance 7 is outside the radius";
  EXPECT_EQ(Strength(s, defaults[0], defaults[1]), 0) << "30 > 20 accounts use the default image: ignored";
  EXPECT_EQ(Strength(s, defaults[0], defaults[2]), 0) << "its near copies too";
  EXPECT_EQ(s.common_image_accounts(), 30u) << "all 30 uses of the default image are discounted";
  EXPECT_NE(s.ExplainEdge({x, z, 1, Strength(s, x, z)}).find("Hamming distance 1"), std::string::npos)
      << s.ExplainEdge({x, z, 1, Strength(s, x, z)});
  EXPECT_NE(s.ExplainAccount(defaults[0]).find("common"), std::string::npos) << s.ExplainAccount(defaults[0]);
}

TEST(ProfileSignalHand, ReusedNamesExactBeatsNear) {
  Builder b;
  const AccountIndex a = b.Add("anna.k", "Anna K");
  const AccountIndex a2 = b.Add("Anna.K2", "Someone Else");
  const AccountIndex c = b.Add("bob_smith", "Bob");
  const AccountIndex c2 = b.Add("ben", "Bob");  // display name "bob" is shorter than... 3 chars: kept
  const AccountIndex d = b.Add("zed_x", "Zed");
  const AccountIndex d2 = b.Add("carl", "Carl");
  b.Change(d2, kT0 + kDay, ProfileField::kHandle, "carl", "zed_x");  // takes over zed_x's handle
  ProfileSignal s(b.ds());
  ASSERT_TRUE(s.Run().ok());
  EXPECT_GT(Strength(s, a, a2), 0) << "'anna.k' and 'Anna.K2' are near-identical handles";
  EXPECT_GT(Strength(s, d, d2), Strength(s, a, a2)) << "a handle reused exactly says more than a near one";
  EXPECT_GT(Strength(s, c, c2), 0) << "the same display name";
  EXPECT_LT(Strength(s, c, c2), Strength(s, d, d2)) << "a display name says less than a handle";
  EXPECT_NE(s.ExplainEdge({a, a2, 1, Strength(s, a, a2)}).find("near-identical handle 'anna.k'"), std::string::npos)
      << s.ExplainEdge({a, a2, 1, Strength(s, a, a2)});
}

TEST(ProfileSignalHand, RepeatedRenamesScoreHigh) {
  Builder b;
  const AccountIndex once = b.Add("p", "Person");
  const AccountIndex often = b.Add("q", "Patriot One");
  b.ds().events.time.push_back(kT0 + 3 * 365 * kDay);  // the data end: three years after creation
  b.ds().events.account.push_back(once);
  b.Change(once, kT0 + 100 * kDay, ProfileField::kDisplayName, "Person", "Person Two");
  const char* names[] = {"Patriot One", "Free Voice", "Truth Now", "Real News", "Our Land", "Voice Two"};
  for (int k = 0; k < 5; ++k) {
    b.Change(often, kT0 + (k + 1) * 120 * kDay, ProfileField::kDisplayName, names[k], names[k + 1]);
    if (k % 2) b.Change(often, kT0 + (k + 1) * 120 * kDay + 5, ProfileField::kHandle, "q" + std::to_string(k), "q" + std::to_string(k + 1));
  }
  ProfileSignal s(b.ds());
  ASSERT_TRUE(s.Run().ok());
  EXPECT_EQ(s.renames()[often].renames, 5u) << "a display name and handle change 5 s apart are one rename";
  EXPECT_EQ(s.account_scores()[once], 0) << "one rename is ordinary";
  EXPECT_NEAR(s.account_scores()[often], 1 - std::exp(-4.0 / 3.0), 1e-3) << "4 repeats in 3 years at 1/year";
  EXPECT_NEAR(s.renames()[often].per_month, 5.0 / 36.0, 0.01) << "five renames in 36 months";
  EXPECT_NE(s.ExplainAccount(often).find("'Patriot One' -> 'Free Voice'"), std::string::npos) << s.ExplainAccount(often);
}

TEST(ProfileSignalHand, NoResultsBeforeRunAndBadOptionsRefused) {
  Builder b;
  b.Add("x");
  ProfileSignal s(b.ds());
  EXPECT_DEATH((void)s.account_scores(), "read before a successful Run") << "nothing before Run()";
  EXPECT_TRUE(s.Applicable(nullptr)) << "it has a handle";
  ProfileOptions o;
  o.image_radius = 20;
  Status st = ProfileSignal(b.ds(), o).Run();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << "the multi-index needs chunks of >= 4 bits";
  EXPECT_NE(st.message().find("got 20"), std::string::npos) << st.message();
  Dataset empty;
  std::string why;
  EXPECT_FALSE(ProfileSignal(empty).Applicable(&why)) << "nothing to look at";
}

// The automated network uses few images (re-encoded copies differ in a low
// bit); 5% of people keep the platform's default picture.
TEST(ProfileSignalSim, AutomatedNetworkSharesImagesDefaultImageDiscounted) {
  testing::TempDir dir;
  auto spec = DrawScenario("automated", 4, 0.2);
  ASSERT_TRUE(spec.ok());
  SimulationOptions so;
  so.out_dir = dir.path();
  Simulator sim(std::move(spec).value(), so);
  ASSERT_TRUE(sim.Run().ok());
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(dir.path(), "auto", {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  const auto labels = ReadLabelsCsv(dir / "labels.csv").value();
  std::set<AccountIndex> net;
  for (const LabelRow& l : labels)
    if (!l.network_id.empty()) net.insert(ds->account_ids.Find(l.account_id));

  constexpr uint64_t kDefault = 0x8000c3c3c3c30001ULL;  // the simulator's default avatar
  size_t default_users = 0;
  std::map<uint64_t, size_t> net_images;
  for (AccountIndex a = 0; a < ds->num_accounts(); ++a) {
    default_users += ds->accounts[a].profile_image_hash == kDefault;
    if (net.count(a)) ++net_images[ds->accounts[a].profile_image_hash & ~uint64_t{0xff}];
  }
  ProfileOptions o;
  o.max_image_accounts = 120;  // stated: between the network's clusters and the default picture's users
  size_t biggest = 0;
  for (const auto& [img, count] : net_images) biggest = std::max(biggest, count);
  ASSERT_GT(default_users, o.max_image_accounts) << "precondition: the default picture is common at scale 0.2";
  ASSERT_LT(biggest, o.max_image_accounts) << "precondition: no bot image is that common";
  ASSERT_LE(net_images.size(), 5u) << "the network uses few distinct images";

  ProfileSignal s(*ds, o);
  ASSERT_TRUE(s.Run().ok());
  std::vector<uint8_t> linked(ds->num_accounts(), 0);
  size_t default_links = 0;
  for (const SignalEdge& e : s.edges()) {
    if (net.count(e.a) && net.count(e.b) && e.strength >= 0.3) linked[e.a] = linked[e.b] = 1;
    if (ds->accounts[e.a].profile_image_hash == kDefault && ds->accounts[e.b].profile_image_hash == kDefault &&
        s.ExplainEdge(e).find("profile image") != std::string::npos)
      ++default_links;
  }
  size_t members_linked = 0;
  for (AccountIndex a : net) members_linked += linked[a];
  EXPECT_GE(members_linked * 10, net.size() * 9)
      << "at least 90% of the bots share an image with another bot: " << members_linked << " of " << net.size();
  EXPECT_EQ(default_links, 0u) << "the default picture links nobody";
  EXPECT_GE(s.common_image_accounts(), default_users) << "its users are counted as discounted";
  size_t false_image_links = 0;
  for (const SignalEdge& e : s.edges())
    if ((net.count(e.a) != net.count(e.b)) && s.ExplainEdge(e).find("profile image") != std::string::npos)
      ++false_image_links;
  EXPECT_EQ(false_image_links, 0u) << "no bot shares its image with an authentic account";
}

TEST(ProfileSignalSim, TrollFarmRenamesScoreAboveAuthenticOnes) {
  testing::TempDir dir;
  auto spec = DrawScenario("troll_farm", 5, 0.1);
  ASSERT_TRUE(spec.ok());
  SimulationOptions so;
  so.out_dir = dir.path();
  Simulator sim(std::move(spec).value(), so);
  ASSERT_TRUE(sim.Run().ok());
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(dir.path(), "auto", {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  std::set<AccountIndex> farm;
  const auto labels = ReadLabelsCsv(dir / "labels.csv").value();
  for (const LabelRow& l : labels)
    if (!l.network_id.empty()) farm.insert(ds->account_ids.Find(l.account_id));
  ProfileSignal s(*ds);
  ASSERT_TRUE(s.Run().ok());
  size_t farm_high = 0, authentic_high = 0, authentic_renamed = 0;
  for (AccountIndex a = 0; a < ds->num_accounts(); ++a) {
    const bool high = s.account_scores()[a] >= 0.3;
    if (farm.count(a)) {
      farm_high += high;
    } else {
      authentic_high += high;
      authentic_renamed += s.renames()[a].renames > 0;
    }
  }
  EXPECT_GT(authentic_renamed, 10u) << "some people rename once";
  EXPECT_EQ(authentic_high, 0u) << "people rename once at most in the simulator: no high score";
  EXPECT_GE(farm_high * 2, farm.size()) << "most farm accounts rename repeatedly: " << farm_high << " of " << farm.size();
}

TEST(ProfileSignalReal, TwitterIoSample) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is absent";
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadDataset(testing::SharedData("twitter_io_sample/io_archive_russia_2019_first1000lines.csv"), "auto", {},
                        &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  ProfileSignal s(*ds);
  ASSERT_TRUE(s.Applicable(nullptr)) << "the archive has handles and display names";
  ASSERT_TRUE(s.Run().ok());
  ASSERT_EQ(s.account_scores().size(), ds->num_accounts());
  for (const SignalEdge& e : s.edges()) {
    EXPECT_LT(e.a, e.b);
    EXPECT_TRUE(e.strength > 0 && e.strength <= 1);
    EXPECT_NE(s.ExplainEdge(e).find("share"), std::string::npos) << s.ExplainEdge(e);
  }
  for (AccountIndex a = 0; a < ds->num_accounts(); ++a) EXPECT_FALSE(s.ExplainAccount(a).empty());
  ::testing::Test::RecordProperty("edges", static_cast<int>(s.edges().size()));
}

}  // namespace
}  // namespace lockstep

namespace lockstep {
namespace {

TEST(DeclaresAutomation, OpenBotsSayWhatTheyAre) {
  EXPECT_TRUE(DeclaresAutomation("Automated account. Alerts posted by a bot; run by its operator"));
  EXPECT_TRUE(DeclaresAutomation("Earthquake alerts. Automated by @usgs_ops")) << "Twitter's automated-account label";
  EXPECT_TRUE(DeclaresAutomation("I'M A BOT that tweets the weather")) << "case-folded";
  EXPECT_TRUE(DeclaresAutomation("Train delays \xF0\x9F\xA4\x96")) << "the robot face emoji";
  EXPECT_FALSE(DeclaresAutomation("Proud mom, patriot. Not a bot!")) << "a denial declares nothing";
  EXPECT_FALSE(DeclaresAutomation("I write about bots and AI")) << "talking about bots is not being one";
  EXPECT_FALSE(DeclaresAutomation(""));
}

}  // namespace
}  // namespace lockstep
