#include "lockstep/signals/shared_infrastructure.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "lockstep/ingest/load.h"
#include "lockstep/sim/eval.h"
#include "lockstep/sim/simulator.h"
#include "test_util.h"

namespace lockstep {
namespace {

// A hand-made data set: accounts "a0".."a{n-1}" and observations.
class Builder {
 public:
  explicit Builder(int accounts) {
    for (int i = 0; i < accounts; ++i) {
      ds_.account_ids.Intern("a" + std::to_string(i));
      ds_.accounts.emplace_back();
    }
  }
  Builder& Observe(int account, InfraKind kind, const std::string& value, int64_t time = 1'600'000'000) {
    ds_.infra.push_back({static_cast<AccountIndex>(account), time, kind, ds_.infra_values.Intern(value)});
    return *this;
  }
  Dataset& ds() { return ds_; }

 private:
  Dataset ds_;
};

float Strength(const SharedInfrastructureSignal& s, AccountIndex a, AccountIndex b) {
  for (const SignalEdge& e : s.edges())
    if (e.a == std::min(a, b) && e.b == std::max(a, b)) return e.strength;
  return 0;
}

TEST(SharedInfrastructure, RarityFallsFromOneToZero) {
  EXPECT_DOUBLE_EQ(InfrastructureRarity(2, 200), 1) << "a value of two accounts is as rare as it gets";
  EXPECT_DOUBLE_EQ(InfrastructureRarity(200, 200), 0) << "at saturation a value says nothing";
  EXPECT_GT(InfrastructureRarity(6, 2000), InfrastructureRarity(60, 2000)) << "rarer values weigh more";
  EXPECT_NEAR(InfrastructureRarity(20, 200), 0.5, 1e-12) << "ln(10)/ln(100): halfway on the log scale";
}

TEST(SharedInfrastructure, RareValuesAndStrongKindsWeighMore) {
  // a0,a1 share a device of 2; a2..a7 a device of 6; a8,a9 an IP of 2;
  // a10,a11 an email domain of 2.
  Builder b(12);
  b.Observe(0, InfraKind::kDevice, "d-pair").Observe(1, InfraKind::kDevice, "d-pair");
  for (int i = 2; i < 8; ++i) b.Observe(i, InfraKind::kDevice, "d-six");
  b.Observe(8, InfraKind::kIp, "10.0.0.1").Observe(9, InfraKind::kIp, "10.0.0.1");
  b.Observe(10, InfraKind::kEmailDomain, "myfarm.example").Observe(11, InfraKind::kEmailDomain, "myfarm.example");
  SharedInfrastructureOptions o;
  o.min_edge_strength = 0.01;
  SharedInfrastructureSignal s(b.ds(), o);
  ASSERT_TRUE(s.Run().ok());
  const float pair = Strength(s, 0, 1), six = Strength(s, 2, 3), ip = Strength(s, 8, 9), email = Strength(s, 10, 11);
  EXPECT_GT(pair, six) << "a device of 2 accounts says more than a device of 6";
  EXPECT_GT(six, ip) << "a device of 6 says more than an IP of 2 (kind weight 1.0 vs 0.4)";
  EXPECT_GT(ip, email) << "an IP says more than an email domain";
  EXPECT_GT(email, 0) << "an email domain of two accounts is weak but not nothing";
  EXPECT_NEAR(pair, 0.95, 1e-6) << "one value is capped at max_value_strength";
  EXPECT_EQ(Strength(s, 0, 2), 0) << "accounts sharing nothing are not linked";
  EXPECT_EQ(s.edges().size(), 1u + 15u + 1u + 1u) << "1 + C(6,2) + 1 + 1 pairs";
  EXPECT_NE(s.ExplainEdge(s.edges()[0]).find("device d-pair (used by 2 accounts"), std::string::npos)
      << s.ExplainEdge(s.edges()[0]);
}

TEST(SharedInfrastructure, SeveralSharedValuesAddUpWithDiminishingReturns) {
  Builder b(6);
  for (const char* ip : {"1.1.1.1", "2.2.2.2", "3.3.3.3"}) b.Observe(0, InfraKind::kIp, ip).Observe(1, InfraKind::kIp, ip);
  b.Observe(2, InfraKind::kIp, "4.4.4.4").Observe(3, InfraKind::kIp, "4.4.4.4");
  b.Observe(4, InfraKind::kIp, "9.9.9.9").Observe(5, InfraKind::kIp, "9.9.9.9");
  b.Observe(4, InfraKind::kDevice, "d").Observe(5, InfraKind::kDevice, "d");
  SharedInfrastructureSignal s(b.ds());
  ASSERT_TRUE(s.Run().ok());
  EXPECT_GT(Strength(s, 0, 1), Strength(s, 2, 3)) << "three shared IPs say more than one";
  EXPECT_NEAR(Strength(s, 0, 1), 1 - 0.6 * 0.8 * 0.9, 1e-5)
      << "but the second and third count half and a quarter: 1 - (1 - .4)(1 - .2)(1 - .1)";
  EXPECT_NEAR(Strength(s, 4, 5), 1 - 0.6 * 0.05, 1e-5) << "kinds are independent evidence: full noisy-OR";
}

TEST(SharedInfrastructure, ValuesUsedFarApartInTimeCountLess) {
  Builder b(6);
  const int64_t t = 1'600'000'000, year = 365 * 86400;
  b.Observe(0, InfraKind::kDevice, "d1", t).Observe(1, InfraKind::kDevice, "d1", t + 3600);
  b.Observe(2, InfraKind::kDevice, "d2", t).Observe(3, InfraKind::kDevice, "d2", t + year);
  b.Observe(4, InfraKind::kDevice, "d3", t).Observe(5, InfraKind::kDevice, "d3", t + 3 * year);
  SharedInfrastructureSignal s(b.ds());
  ASSERT_TRUE(s.Run().ok());
  EXPECT_NEAR(Strength(s, 0, 1), 0.95, 1e-6) << "used the same day: full strength";
  EXPECT_NEAR(Strength(s, 2, 3), 0.95 * 180.0 / 365, 1e-4) << "a year apart: overlap window / gap = 180 / 365";
  EXPECT_NEAR(Strength(s, 4, 5), 0.95 * 0.25, 1e-4) << "three years apart: the floor min_time_factor";
  EXPECT_NE(s.ExplainEdge({4, 5, 1, Strength(s, 4, 5)}).find("far apart in time"), std::string::npos)
      << "the explanation says why the link is weaker";
}

TEST(SharedInfrastructure, CommonValuesMakeNoPairsAndAreCounted) {
  SharedInfrastructureOptions o;
  o.max_value_accounts = 50;
  o.max_subnet_accounts = 50;
  Builder b(60);
  for (int i = 0; i < 51; ++i) b.Observe(i, InfraKind::kIp, "100.64.0.1");  // a CGNAT address
  b.Observe(51, InfraKind::kDevice, "d").Observe(52, InfraKind::kDevice, "d");
  SharedInfrastructureSignal s(b.ds(), o);
  ASSERT_TRUE(s.Run().ok());
  EXPECT_EQ(s.edges().size(), 1u) << "the CGNAT address of 51 > 50 accounts links nobody";
  ASSERT_EQ(s.common_values().size(), 2u) << "and is listed as common, with its subnet";
  EXPECT_EQ(s.values()[s.common_values()[0]].accounts, 51u);
  EXPECT_LE(s.pair_work(), 1u) << "no pair of a common value is ever materialised";
  EXPECT_NE(s.ExplainAccount(0).find("2 common"), std::string::npos) << s.ExplainAccount(0);
}

TEST(SharedInfrastructure, ManyToManyDevicesFormAPoolAFamilyDoesNot) {
  // Accounts 0..7 run from devices p0..p3, each account on two of them
  // (many-to-many); accounts 10..12 a family on one device; 13 and 14 share
  // one device (a pair, no pool).
  Builder b(15);
  for (int i = 0; i < 8; ++i) {
    b.Observe(i, InfraKind::kDevice, "p" + std::to_string(i % 4));
    b.Observe(i, InfraKind::kDevice, "p" + std::to_string((i + 1) % 4));
  }
  for (int i = 10; i < 13; ++i) b.Observe(i, InfraKind::kDevice, "family");
  b.Observe(13, InfraKind::kDevice, "q").Observe(14, InfraKind::kDevice, "q");
  SharedInfrastructureSignal s(b.ds());
  ASSERT_TRUE(s.Run().ok());
  ASSERT_EQ(s.groups().size(), 1u) << "one operator pool";
  EXPECT_EQ(s.groups()[0].accounts, (std::vector<AccountIndex>{0, 1, 2, 3, 4, 5, 6, 7})) << "exactly the pool's accounts";
  EXPECT_EQ(s.pools()[0].values.size(), 4u) << "run from four devices";
  EXPECT_EQ(s.pools()[0].multi_value_accounts, 8u) << "every account used two of them";
  EXPECT_NE(s.groups()[0].explanation.find("4 devices"), std::string::npos) << s.groups()[0].explanation;
  EXPECT_GT(Strength(s, 10, 11), 0.9) << "the family is linked, but 3 accounts are no pool";
  EXPECT_NE(s.ExplainAccount(0).find("operator pool 1"), std::string::npos) << s.ExplainAccount(0);
}

TEST(SharedInfrastructure, NoResultsBeforeRunAndBadOptionsRefused) {
  Builder b(2);
  b.Observe(0, InfraKind::kDevice, "d").Observe(1, InfraKind::kDevice, "d");
  SharedInfrastructureSignal s(b.ds());
  EXPECT_DEATH((void)s.edges(), "read before a successful Run") << "nothing before Run()";
  std::string why;
  EXPECT_TRUE(s.Applicable(&why)) << "it has observations";
  Builder empty(2);
  EXPECT_FALSE(SharedInfrastructureSignal(empty.ds()).Applicable(&why)) << "no observations";
  EXPECT_NE(why.find("no infrastructure"), std::string::npos) << why;

  SharedInfrastructureOptions o;
  o.max_value_accounts = 1;
  Status st = SharedInfrastructureSignal(b.ds(), o).Run();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << "a bound of 1 account cannot make pairs";
  EXPECT_NE(st.message().find("got 1"), std::string::npos) << st.message();
  o = {};
  o.kind_weight[1] = 1.5;
  st = SharedInfrastructureSignal(b.ds(), o).Run();
  EXPECT_NE(st.message().find("device must be in [0, 1], got 1.5"), std::string::npos) << st.message();
}

// A simulated "mix" data set (all six families) with its truth.
class SharedInfrastructureSim : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto spec = DrawScenario("mix", 7, 0.1);
    ASSERT_TRUE(spec.ok());
    SimulationOptions so;
    so.out_dir = dir_->path();
    Simulator sim(std::move(spec).value(), so);
    ASSERT_TRUE(sim.Run().ok());
    ErrorSink sink;
    LoadReport report;
    auto ds = LoadDataset(dir_->path(), "auto", {}, &sink, &report);
    ASSERT_TRUE(ds.ok()) << ds.status().message();
    ds_ = new Dataset(std::move(ds).value());
    truth_ = new std::string(testing::ReadFile(*dir_ / "truth.json"));
    labels_ = new std::vector<LabelRow>(ReadLabelsCsv(*dir_ / "labels.csv").value());
    signal_ = new SharedInfrastructureSignal(*ds_);
    ASSERT_TRUE(signal_->Run().ok());
  }
  static void TearDownTestSuite() {
    delete signal_;
    delete labels_;
    delete truth_;
    delete ds_;
    delete dir_;
  }
  // Accounts of each authentic group of `kind` in truth.json.
  static std::vector<std::vector<AccountIndex>> Groups(std::string_view kind) {
    simdjson::dom::parser parser;
    std::vector<std::vector<AccountIndex>> out;
    for (simdjson::dom::element g : parser.parse(*truth_)["authentic_groups"].get_array()) {
      if (std::string_view(g["kind"]) != kind) continue;
      out.emplace_back();
      for (simdjson::dom::element a : g["accounts"].get_array())
        out.back().push_back(ds_->account_ids.Find(std::string_view(a)));
    }
    return out;
  }
  static std::set<AccountIndex> Network(std::string_view prefix) {
    std::set<AccountIndex> out;
    for (const LabelRow& l : *labels_)
      if (l.network_id.rfind(prefix, 0) == 0) out.insert(ds_->account_ids.Find(l.account_id));
    return out;
  }
  static std::set<AccountIndex> Planted() {
    std::set<AccountIndex> out;
    for (const LabelRow& l : *labels_)
      if (!l.network_id.empty()) out.insert(ds_->account_ids.Find(l.account_id));
    return out;
  }

  static testing::TempDir* dir_;
  static Dataset* ds_;
  static std::string* truth_;
  static std::vector<LabelRow>* labels_;
  static SharedInfrastructureSignal* signal_;
};
testing::TempDir* SharedInfrastructureSim::dir_ = nullptr;
Dataset* SharedInfrastructureSim::ds_ = nullptr;
std::string* SharedInfrastructureSim::truth_ = nullptr;
std::vector<LabelRow>* SharedInfrastructureSim::labels_ = nullptr;
SharedInfrastructureSignal* SharedInfrastructureSim::signal_ = nullptr;

constexpr float kStrong = 0.5f;

TEST_F(SharedInfrastructureSim, UniversityNatDoesNotLinkItsStudents) {
  std::map<AccountIndex, size_t> family_of;
  const auto families = Groups("family_device");
  for (size_t f = 0; f < families.size(); ++f)
    for (AccountIndex a : families[f]) family_of[a] = f + 1;
  const auto universities = Groups("university_nat");
  ASSERT_FALSE(universities.empty()) << "the scenario has universities";
  size_t students = 0, strong = 0;
  for (const auto& u : universities) {
    const std::set<AccountIndex> members(u.begin(), u.end());
    students += members.size();
    for (const SignalEdge& e : signal_->edges()) {
      if (!members.count(e.a) || !members.count(e.b) || e.strength < kStrong) continue;
      if (family_of.count(e.a) && family_of[e.a] == family_of[e.b]) continue;  // siblings on one device
      ++strong;
      ADD_FAILURE() << signal_->ExplainEdge(e);
    }
  }
  EXPECT_GE(students, 30u) << "enough students to mean something";
  EXPECT_EQ(strong, 0u) << "a campus NAT shared by many students is no evidence of common control";
}

TEST_F(SharedInfrastructureSim, CgnatAddressesLinkNobodyStrongly) {
  // Carrier-grade NAT: every mobile user of a carrier behind one address.
  simdjson::dom::parser parser;
  std::set<std::string> cgnat;
  for (simdjson::dom::element g : parser.parse(*truth_)["authentic_groups"].get_array())
    if (std::string_view(g["kind"]) == "cgnat")
      for (simdjson::dom::element v : g["values"].get_array()) cgnat.insert(std::string(std::string_view(v)));
  ASSERT_FALSE(cgnat.empty()) << "the scenario has carriers";
  size_t checked = 0;
  for (uint32_t v = 0; v < signal_->values().size(); ++v) {
    const InfrastructureValue& iv = signal_->values()[v];
    if (iv.kind != InfraKind::kIp || !cgnat.count(std::string(ds_->infra_values.Get(iv.value)))) continue;
    ++checked;
    EXPECT_LT(iv.strength, kStrong) << signal_->DescribeValue(v) << " used by " << iv.accounts
                                    << " accounts is weak evidence on its own";
  }
  EXPECT_GT(checked, 10u) << "CGNAT addresses were observed";
}

TEST_F(SharedInfrastructureSim, FamilyDeviceLinksOnlyTheFamily) {
  const auto families = Groups("family_device");
  ASSERT_GE(families.size(), 5u) << "the scenario has families";
  const std::set<AccountIndex> planted = Planted();
  size_t linked_families = 0, outside = 0;
  for (const auto& fam : families) {
    const std::set<AccountIndex> members(fam.begin(), fam.end());
    bool linked = false;
    for (const SignalEdge& e : signal_->edges()) {
      const bool ina = members.count(e.a) > 0, inb = members.count(e.b) > 0;
      if (!ina && !inb) continue;
      if (ina && inb && e.strength >= kStrong) linked = true;
      if (ina != inb && e.strength >= kStrong) {
        ++outside;
        ADD_FAILURE() << "strong link out of a family: " << signal_->ExplainEdge(e);
      }
    }
    linked_families += linked ? 1 : 0;
  }
  EXPECT_GE(linked_families * 10, families.size() * 8)
      << "at least 80% of families are linked by their device (members observed without it are missed): "
      << linked_families << " of " << families.size();
  EXPECT_EQ(outside, 0u) << "a family device links its 2-4 accounts and nothing else";
}

TEST_F(SharedInfrastructureSim, TrollFarmIsLinkedByDevicesAndFormsAnOperatorPool) {
  const std::set<AccountIndex> farm = Network("troll_farm");
  ASSERT_GE(farm.size(), 15u);
  size_t linked = 0;
  std::vector<uint8_t> has(ds_->num_accounts(), 0);
  for (const SignalEdge& e : signal_->edges())
    if (e.strength >= kStrong && farm.count(e.a) && farm.count(e.b)) has[e.a] = has[e.b] = 1;
  for (AccountIndex a : farm) linked += has[a];
  EXPECT_GE(linked * 10, farm.size() * 7) << "most farm accounts share a device with another: " << linked << " of "
                                           << farm.size();
  double best = 0;
  const SignalGroup* best_group = nullptr;
  for (const SignalGroup& g : signal_->groups()) {
    size_t in = 0;
    for (AccountIndex a : g.accounts) in += farm.count(a);
    const double jaccard = static_cast<double>(in) / static_cast<double>(g.accounts.size() + farm.size() - in);
    if (jaccard > best) best = jaccard, best_group = &g;
  }
  EXPECT_GE(best, 0.5) << "one operator pool recovers the farm (Jaccard >= 0.5)";
  if (best_group != nullptr) {
    EXPECT_NE(best_group->explanation.find("devices"), std::string::npos) << best_group->explanation;
    EXPECT_GE(best_group->strength, kStrong) << "a pool is made of strong links";
  }
}

TEST_F(SharedInfrastructureSim, NoOperatorPoolIsMostlyAuthentic) {
  const std::set<AccountIndex> planted = Planted();
  ASSERT_FALSE(signal_->groups().empty());
  for (const SignalGroup& g : signal_->groups()) {
    size_t authentic = 0;
    for (AccountIndex a : g.accounts) authentic += planted.count(a) ? 0 : 1;
    EXPECT_LE(authentic * 2, g.accounts.size()) << "a false pool: " << g.explanation;
  }
}

TEST_F(SharedInfrastructureSim, ScoresAndExplanationsCoverEveryAccount) {
  ASSERT_EQ(signal_->account_scores().size(), ds_->num_accounts()) << "one score per account";
  for (float s : signal_->account_scores()) ASSERT_TRUE(s >= 0 && s <= 1) << "scores lie in 0..1";
  for (const SignalEdge& e : signal_->edges()) {
    ASSERT_LT(e.a, e.b) << "undirected edges have a < b";
    ASSERT_TRUE(e.strength >= 0.1f && e.strength <= 1) << "strength in min_edge_strength..1";
  }
  EXPECT_FALSE(signal_->ExplainAccount(0).empty()) << "every account can be explained";
}

}  // namespace
}  // namespace lockstep

namespace lockstep {
namespace {

TEST(IpSubnet, BlocksOfIpv4AndIpv6) {
  EXPECT_EQ(IpSubnet("5.6.7.8"), "5.6.7.0/24");
  EXPECT_EQ(IpSubnet("203.0.113.255"), "203.0.113.0/24");
  EXPECT_EQ(IpSubnet("2001:db8:1:2:3:4:5:6"), "2001:db8:1::/48") << "the first 48 bits";
  EXPECT_EQ(IpSubnet("2001:DB8:1::9"), "2001:db8:1::/48") << "IPv6 written any way gives one name";
  EXPECT_EQ(IpSubnet("not an address"), "");
  EXPECT_EQ(IpSubnet("300.1.1.1"), "");
  EXPECT_EQ(IpSubnet(""), "");
}

TEST(SharedInfrastructure, AccountsInOneRentedBlockAreLinkedWeakly) {
  // a0..a5: each its own address, all in 5.6.7.0/24; a6, a7 share one
  // address in another block; a8..a(8+159): 160 accounts in one carrier block.
  Builder b(8 + 160);
  for (int i = 0; i < 6; ++i) b.Observe(i, InfraKind::kIp, fmt::format("5.6.7.{}", 10 + i));
  b.Observe(6, InfraKind::kIp, "9.9.9.9").Observe(7, InfraKind::kIp, "9.9.9.9");
  for (int i = 0; i < 160; ++i) b.Observe(8 + i, InfraKind::kIp, fmt::format("77.1.{}.{}", 0, i));
  SharedInfrastructureOptions o;
  o.min_edge_strength = 0.01;
  SharedInfrastructureSignal s(b.ds(), o);
  ASSERT_TRUE(s.Run().ok());
  const double block = o.subnet_weight * InfrastructureRarity(6, o.subnet_saturation_accounts);
  EXPECT_NEAR(Strength(s, 0, 5), block, 1e-6) << "one block of 6 accounts, no shared address";
  EXPECT_LT(Strength(s, 0, 5), Strength(s, 6, 7)) << "a block says less than an address";
  EXPECT_NEAR(Strength(s, 6, 7), o.kind_weight[0], 1e-6) << "sharing an address, the block adds nothing more";
  EXPECT_EQ(Strength(s, 8, 9), 0) << "160 accounts in one block exceed max_subnet_accounts (150): a carrier's";
  bool described = false;
  for (uint32_t v = 0; v < s.values().size(); ++v)
    if (s.values()[v].subnet && s.values()[v].accounts == 6) described = s.DescribeValue(v) == "subnet 5.6.7.0/24";
  EXPECT_TRUE(described);

  SharedInfrastructureOptions off = o;
  off.subnets = false;
  SharedInfrastructureSignal exact(b.ds(), off);
  ASSERT_TRUE(exact.Run().ok());
  EXPECT_EQ(Strength(exact, 0, 5), 0) << "exact values only: no link";
}

}  // namespace
}  // namespace lockstep

namespace lockstep {
namespace {

TEST(SharedInfrastructure, BusyAddressesAreGroupsNotPairs) {
  // 8 accounts behind one address (a VPN exit, or a carrier's NAT); 3 on
  // another address of a different block. Pair limits lowered to 5 accounts.
  Builder b(11);
  for (int i = 0; i < 8; ++i) b.Observe(i, InfraKind::kIp, "5.6.7.8");
  for (int i = 8; i < 11; ++i) b.Observe(i, InfraKind::kIp, "8.8.8.8");
  SharedInfrastructureOptions o;
  o.max_value_accounts = 5;
  o.max_subnet_accounts = 5;
  SharedInfrastructureSignal s(b.ds(), o);
  ASSERT_TRUE(s.Run().ok());
  EXPECT_EQ(Strength(s, 0, 1), 0) << "too busy for pair links";
  EXPECT_GT(Strength(s, 8, 9), 0) << "3 accounts on one address are linked";
  ASSERT_EQ(s.groups().size(), 2u) << "the busy address and its busy subnet; the quiet address is no group";
  for (const SignalGroup& g : s.groups()) {
    EXPECT_EQ(g.accounts, (std::vector<AccountIndex>{0, 1, 2, 3, 4, 5, 6, 7}));
    EXPECT_FLOAT_EQ(g.strength, 0.7f);
  }
  EXPECT_NE(s.groups()[0].explanation.find("8 accounts observed from"), std::string::npos) << s.groups()[0].explanation;
  SharedInfrastructureOptions capped = o;
  capped.address_group_max_accounts = 7;
  SharedInfrastructureSignal carrier(b.ds(), capped);
  ASSERT_TRUE(carrier.Run().ok());
  EXPECT_TRUE(carrier.groups().empty()) << "8 accounts exceed the group cap of 7: a carrier's pool no network fills";
}

}  // namespace
}  // namespace lockstep
