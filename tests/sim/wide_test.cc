// Scenario wide (issue 16, item 5): parameters over the realistic range,
// look-alikes labelled, fields missing as in real exports, determinism; and
// the curves of `lockstep eval-curves` on a handmade case.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include <gtest/gtest.h>
#include <xxhash.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/sim/eval.h"
#include "lockstep/sim/simulator.h"

namespace lockstep {
namespace {

namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("lockstep_wide_" + std::to_string(::getpid()) + "_" + name)).string();
}

Status SimulateSpec(ScenarioSpec spec, const std::string& dir) {
  SimulationOptions options;
  options.out_dir = dir;
  Simulator sim(std::move(spec), options);
  return sim.Run();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

int Size(const OperationSpec& op) {
  return std::visit([](const auto& p) { return p.accounts; }, op.params);
}

TEST(WideScenario, DrawsEveryParameterOverItsWholeRange) {
  std::set<InfraMode> modes;
  int small = 0, large = 0, fast = 0, slow = 0, organic_low = 0, organic_high = 0;
  int missing[4] = {};
  std::set<Family> families;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    auto spec = DrawScenario("wide", seed, 1);
    ASSERT_TRUE(spec.ok());
    EXPECT_GE(spec->operations.size(), 6u) << "wide plants every family at least once";
    EXPECT_GT(spec->lookalikes.agencies, 0) << "wide adds marketing agencies";
    EXPECT_GT(spec->lookalikes.bot_services, 0) << "wide adds declared bot services";
    missing[0] += !spec->export_fields.share_target_ids;
    missing[1] += !spec->export_fields.infrastructure;
    missing[2] += !spec->export_fields.creation_dates;
    missing[3] += !spec->export_fields.seconds;
    for (const OperationSpec& op : spec->operations) {
      families.insert(op.family);
      const CoordinationParams& c = op.coordination;
      EXPECT_TRUE(c.drawn) << op.network_id;
      const int size = Size(op);
      EXPECT_GE(size, 10) << op.network_id << ": sizes start at 10";
      EXPECT_LE(size, 500) << op.network_id << ": sizes end at 500";
      EXPECT_GE(c.lag_seconds, 2) << op.network_id;
      EXPECT_LE(c.lag_seconds, 43200) << op.network_id << ": lags end at 12 hours";
      EXPECT_GE(c.organic_share, 0) << op.network_id;
      EXPECT_LE(c.organic_share, 0.85) << op.network_id << ": organic share ends at 85%";
      EXPECT_GE(c.paraphrase_share, 0) << op.network_id;
      EXPECT_LE(c.paraphrase_share, 1) << op.network_id;
      EXPECT_NEAR(CoordinationLagSeconds(op), op.family == Family::kHashtagStorm ? c.lag_seconds / 2 : c.lag_seconds,
                  1e-6)
          << op.network_id << ": the drawn lag is what the family uses";
      modes.insert(c.infra);
      small += size < 20;
      large += size >= 200;
      fast += c.lag_seconds < 60;
      slow += c.lag_seconds >= 4 * 3600;
      organic_low += c.organic_share < 0.2;
      organic_high += c.organic_share >= 0.6;
      if (const auto* e = std::get_if<EarlyStageParams>(&op.params)) {
        EXPECT_LE(size, 60) << "early-stage networks have 10 to 60 accounts";
        EXPECT_GE(e->advertisers, 1) << "1 to 3 Pages buy ads";
        EXPECT_LE(e->advertisers, 3) << "1 to 3 Pages buy ads";
        EXPECT_GE(e->live_days, 2) << "active 2 to 6 days";
        EXPECT_LE(e->live_days, 6) << "active 2 to 6 days";
        EXPECT_GT(e->outlet_comment_share, 0) << "they comment on local outlets";
      }
      if (const auto* h = std::get_if<HashtagStormParams>(&op.params)) {
        EXPECT_EQ(h->hashtags.size(), 1u) << "a storm repeats one tag";
        EXPECT_GE(h->gap_days, 7) << "storms weeks apart";
      }
      if (const auto* cm = std::get_if<CamouflagedParams>(&op.params)) {
        EXPECT_GE(cm->organic_fraction, 0.5) << "camouflaged: most activity ordinary";
        EXPECT_GE(c.lag_seconds, 600) << "camouflaged: lags of minutes to hours";
      }
    }
  }
  EXPECT_EQ(families.size(), static_cast<size_t>(kFamilies)) << "every family is drawn";
  EXPECT_EQ(modes.size(), 3u) << "exact, subnet and none all occur";
  EXPECT_GT(small, 5) << "many small networks (log-uniform size)";
  EXPECT_GT(large, 5) << "some large networks";
  EXPECT_GT(fast, 5) << "lags of seconds occur";
  EXPECT_GT(slow, 5) << "lags of hours occur";
  EXPECT_GT(organic_low, 5) << "nearly pure networks occur";
  EXPECT_GT(organic_high, 5) << "mostly organic networks occur";
  for (int k = 0; k < 4; ++k) EXPECT_GT(missing[k], 2) << "missing field " << k << " occurs in some seeds";
  EXPECT_GT(40 - missing[0], 20) << "most data sets keep share target ids";
}

// One small wide data set shared by the tests below.
class WideTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TempPath("wide"));
    auto spec = DrawScenario("wide", 3, 0.03);
    ASSERT_TRUE(spec.ok());
    spec->export_fields = {};  // every field kept; the missing-fields test drops them
    ASSERT_TRUE(SimulateSpec(*spec, *dir_).ok());
    labels_ = new std::vector<LabelRow>(ReadLabelsCsv(*dir_ + "/labels.csv").value());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete labels_;
  }
  static std::string* dir_;
  static std::vector<LabelRow>* labels_;
};
std::string* WideTest::dir_ = nullptr;
std::vector<LabelRow>* WideTest::labels_ = nullptr;

TEST_F(WideTest, LoadsCleanlyAndTruthFilesAgreeWithLabels) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadLockstepDirectory(*dir_, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(report.rows_rejected() + sink.total(), 0u) << "the simulator writes valid lockstep data";
  std::map<std::string, uint64_t> size;
  for (const LabelRow& l : *labels_)
    if (!l.network_id.empty()) ++size[l.network_id];
  auto params = ParseNetworkParamsCsv(ReadAll(*dir_ + "/truth_networks.csv"), "truth_networks.csv");
  ASSERT_TRUE(params.ok()) << params.status().message();
  ASSERT_EQ(params->size(), size.size()) << "one row of drawn parameters per planted network";
  for (const NetworkParamsRow& n : *params) {
    EXPECT_EQ(n.size, size[n.network_id]) << n.network_id << ": size is the number of labelled members";
    EXPECT_TRUE(n.missing.empty()) << "this data set keeps every field";
  }
  EXPECT_NE(ReadAll(*dir_ + "/truth.json").find("\"drawn\": {\"widened\": true"), std::string::npos)
      << "truth.json records each network's drawn parameters";
}

TEST_F(WideTest, LookAlikesAreLabelledAuthenticWithTheirKind) {
  auto look = ParseLookAlikesCsv(ReadAll(*dir_ + "/lookalikes.csv"), "lookalikes.csv");
  ASSERT_TRUE(look.ok()) << look.status().message();
  std::unordered_map<std::string, std::string> network;
  for (const LabelRow& l : *labels_) network[l.account_id] = l.network_id;
  std::set<std::string> kinds;
  for (const LookAlikeRow& l : *look) {
    kinds.insert(l.kind);
    auto it = network.find(l.account_id);
    ASSERT_NE(it, network.end()) << l.account_id << " of " << l.group_id << " is in labels.csv";
    EXPECT_TRUE(it->second.empty()) << l.group_id << ": a look-alike is authentic, never a planted network";
  }
  for (const char* k : {"marketing_agency", "newsroom", "campaign_volunteers", "activist_campaign", "fan_community",
                        "family_device", "university_nat", "declared_bot_service"})
    EXPECT_TRUE(kinds.contains(k)) << "look-alike kind " << k << " is planted and labelled";
}

TEST(WideScenario, SameSeedGivesIdenticalFiles) {
  const std::string a = TempPath("det_a"), b = TempPath("det_b");
  ASSERT_TRUE(SimulateSpec(DrawScenario("wide", 9, 0.02).value(), a).ok());
  ASSERT_TRUE(SimulateSpec(DrawScenario("wide", 9, 0.02).value(), b).ok());
  for (const char* f : {"accounts.csv", "events.csv", "infra.csv", "ads.csv", "labels.csv", "truth.json",
                        "truth_networks.csv", "lookalikes.csv"}) {
    const std::string x = ReadAll(a + "/" + f), y = ReadAll(b + "/" + f);
    EXPECT_EQ(XXH3_64bits(x.data(), x.size()), XXH3_64bits(y.data(), y.size())) << f << " must be byte-identical";
  }
  for (const auto& d : {a, b}) fs::remove_all(d);
}

TEST(WideScenario, MissingFieldsAreMissingAsInRealExports) {
  auto spec = DrawScenario("wide", 4, 0.02).value();
  spec.export_fields = {false, false, false, false};
  const std::string dir = TempPath("missing");
  ASSERT_TRUE(SimulateSpec(spec, dir).ok());
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadLockstepDirectory(dir, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(report.rows_rejected() + sink.total(), 0u) << "data with fields missing is still valid";
  EXPECT_TRUE(ds->infra.empty()) << "no infrastructure at all";
  for (const Account& a : ds->accounts) EXPECT_EQ(a.created_at, kNoTime) << "no creation dates";
  size_t shares = 0, with_text = 0;
  for (size_t i = 0; i < ds->events.size(); ++i) {
    EXPECT_EQ(ds->events.time[i] % 60, 0) << "times truncated to the minute";
    if (ds->events.type[i] != EventType::kShare) continue;
    ++shares;
    EXPECT_EQ(ds->events.target_id[i], kNoString) << "a share keeps no target id";
    with_text += ds->events.Text(i).starts_with("RT @") && ds->events.Text(i).size() > 12;
  }
  ASSERT_GT(shares, 100u);
  EXPECT_GT(with_text, shares * 9 / 10) << "a share keeps the retweeted text, as FiveThirtyEight's release does";
  EXPECT_NE(ReadAll(dir + "/truth_networks.csv").find("share_target_ids infrastructure creation_dates seconds"),
            std::string::npos)
      << "the missing fields are recorded per network";
  fs::remove_all(dir);
}

TEST(WideScenario, SubnetInfrastructureGivesOwnDevicesInFewSlash24s) {
  auto spec = DrawScenario("wide", 5, 0.02).value();
  spec.export_fields = {};
  for (OperationSpec& op : spec.operations) op.coordination.infra = InfraMode::kSubnet;
  const std::string dir = TempPath("subnet");
  ASSERT_TRUE(SimulateSpec(spec, dir).ok());
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadLockstepDirectory(dir, {}, &sink, &report);
  ASSERT_TRUE(ds.ok());
  std::unordered_map<std::string, std::string> network;
  const std::vector<LabelRow> labels = ReadLabelsCsv(dir + "/labels.csv").value();  // not a temporary's value()
  for (const LabelRow& l : labels) network[l.account_id] = l.network_id;
  std::map<std::string, std::set<std::string>> subnets;                 // network -> /24s
  std::map<std::string, std::map<std::string, std::set<AccountIndex>>> device_users;  // network -> device -> accounts
  for (const InfraObservation& o : ds->infra) {
    const std::string& n = network[std::string(ds->AccountId(o.account))];
    if (n.empty() || n.starts_with("like_farm")) continue;  // the like farm's customer Page is authentic
    const std::string v(ds->infra_values.Get(o.value));
    if (o.kind == InfraKind::kIp) subnets[n].insert(v.substr(0, v.rfind('.')));
    if (o.kind == InfraKind::kDevice) device_users[n][v].insert(o.account);
  }
  ASSERT_FALSE(subnets.empty());
  for (const auto& [n, s] : subnets) EXPECT_LE(s.size(), 3u) << n << ": IPs from at most three hosting /24s";
  for (const auto& [n, devices] : device_users)
    for (const auto& [d, users] : devices) EXPECT_EQ(users.size(), 1u) << n << ": each account its own device";
  fs::remove_all(dir);
}

TEST(WideScenario, OrganicShareAddsOrdinaryActivityInProportion) {
  // The same troll farm with organic share 0 and 0.6: 0.6 of the events are
  // ordinary, so the total is 1 / (1 - 0.6) = 2.5 times the coordinated part.
  auto count = [](double organic) {
    auto spec = DrawScenario("troll_farm", 2, 0.01).value();
    spec.operations[0].coordination.drawn = true;
    spec.operations[0].coordination.organic_share = organic;
    const std::string dir = TempPath(fmt::format("organic{}", organic));
    EXPECT_TRUE(SimulateSpec(spec, dir).ok());
    std::set<std::string> members;
    const std::vector<LabelRow> labels = ReadLabelsCsv(dir + "/labels.csv").value();  // not a temporary's value()
    for (const LabelRow& l : labels)
      if (!l.network_id.empty()) members.insert(l.account_id);
    std::ifstream in(dir + "/events.csv");
    std::string line;
    uint64_t n = 0;
    while (std::getline(in, line)) {
      const size_t a = line.find(',') + 1;
      n += members.contains(line.substr(a, line.find(',', a) - a));
    }
    fs::remove_all(dir);
    return static_cast<double>(n);
  };
  const double pure = count(0), mixed = count(0.6);
  ASSERT_GT(pure, 1000);
  EXPECT_GT(mixed / pure, 2.0) << "organic share 0.6 multiplies a network's events by about 2.5";
  EXPECT_LT(mixed / pure, 3.0) << "organic share 0.6 multiplies a network's events by about 2.5";
}

// ------------------------------------------------------------- eval-curves

TEST(EvalCurves, HandmadeCaseGivesTheKnownCurves) {
  // Run 1: troll_farm_1 (a1-a3) found exactly; camouflaged_1 (b1, b2) lost in
  // a network with three fans (false, a fan community's); c5 flagged alone.
  CurveRun r1;
  r1.labels = {{"a1", "troll_farm_1"}, {"a2", "troll_farm_1"}, {"a3", "troll_farm_1"}, {"b1", "camouflaged_1"},
               {"b2", "camouflaged_1"}, {"c1", ""}, {"c2", ""}, {"c3", ""}, {"c4", ""}, {"c5", ""}};
  r1.detection = {{"a1", "N1", 1}, {"a2", "N1", 1}, {"a3", "N1", 1}, {"b1", "N2", 1},
                  {"c1", "N2", 1}, {"c2", "N2", 1}, {"c3", "N2", 1}, {"c5", "", 1}};
  r1.networks = {{"troll_farm_1", "troll_farm", 3, 30, 0.1, 0, "exact", {}},
                 {"camouflaged_1", "camouflaged", 2, 7200, 0.7, 0.9, "subnet", {"seconds"}}};
  r1.lookalikes = {{"c1", "fan_community", "fan_community_1"}, {"c2", "fan_community", "fan_community_1"},
                   {"c3", "fan_community", "fan_community_1"}, {"c4", "family_device", "family_device_1"}};
  // Run 2: troll_farm_1 of 20 accounts, none found; an ordinary false network.
  CurveRun r2;
  for (int k = 0; k < 20; ++k) r2.labels.push_back({fmt::format("t{}", k), "troll_farm_1"});
  for (int k = 0; k < 4; ++k) r2.labels.push_back({fmt::format("o{}", k), ""});
  for (int k = 0; k < 4; ++k) r2.detection.push_back({fmt::format("o{}", k), "N1", 1});
  r2.networks = {{"troll_farm_1", "troll_farm", 20, 3600 * 5, 0.5, 0.5, "none", {"share_target_ids"}}};
  const CurveRun runs[] = {r1, r2};
  const CurveReport r = EvaluateCurves(runs);
  EXPECT_EQ(r.runs, 2u);
  EXPECT_EQ(r.networks, 3u);
  EXPECT_EQ(r.recovered, 1u) << "only run 1's troll farm has Jaccard >= 0.5";
  EXPECT_EQ(r.false_networks, 2u) << "N2 of run 1 (3 of 4 authentic) and N1 of run 2";
  EXPECT_EQ(r.families.at("troll_farm").networks, 2u);
  EXPECT_EQ(r.families.at("troll_farm").recovered, 1u);
  EXPECT_EQ(r.families.at("troll_farm").detected_accounts, 3u) << "3 of 23 troll accounts flagged";
  EXPECT_EQ(r.families.at("camouflaged").detected_accounts, 1u) << "b1 is flagged, in the wrong network";
  auto curve = [&](std::string_view p) -> const Curve& {
    for (const Curve& c : r.curves)
      if (c.parameter == p) return c;
    ADD_FAILURE() << "no curve " << p;
    return r.curves[0];
  };
  const Curve& size = curve("size");
  EXPECT_EQ(size.cells.at("troll_farm")[0].recovered, 1u) << "size 3 goes to the first bin";
  EXPECT_EQ(size.cells.at("troll_farm")[1].networks, 1u) << "size 20 goes to 20-49";
  EXPECT_EQ(size.cells.at("troll_farm")[1].recovered, 0u);
  const Curve& lag = curve("lag");
  EXPECT_EQ(lag.cells.at("all")[0].recovered, 1u) << "30 s is under a minute";
  EXPECT_EQ(lag.cells.at("camouflaged")[3].networks, 1u) << "2 h is in 1-4 h";
  EXPECT_EQ(lag.cells.at("troll_farm")[4].networks, 1u) << "5 h is in >= 4 h";
  const Curve& infra = curve("infra");
  EXPECT_EQ(infra.cells.at("all")[0].recovered, 1u) << "exact";
  EXPECT_EQ(infra.cells.at("all")[1].networks, 1u) << "subnet";
  EXPECT_EQ(infra.cells.at("all")[2].networks, 1u) << "none";
  const Curve& missing = curve("missing_fields");
  EXPECT_EQ(missing.cells.at("all")[0].recovered, 1u) << "complete";
  EXPECT_EQ(missing.cells.at("all")[1].networks, 1u) << "share_target_ids";
  EXPECT_EQ(missing.cells.at("all")[4].networks, 1u) << "seconds";
  std::map<std::string, LookAlikeScore> kinds;
  for (const LookAlikeScore& k : r.lookalikes) kinds[k.kind] = k;
  EXPECT_EQ(kinds["fan_community"].false_networks, 1u) << "N2's authentic members are all fans";
  EXPECT_EQ(kinds["fan_community"].accounts_in_false_networks, 4u);
  EXPECT_EQ(kinds["fan_community"].flagged, 3u);
  EXPECT_EQ(kinds["fan_community"].accounts, 3u);
  EXPECT_EQ(kinds["family_device"].flagged, 0u) << "c4 is not flagged";
  EXPECT_EQ(kinds["ordinary"].false_networks, 1u) << "run 2's false network has no look-alike member";
  EXPECT_EQ(r.lookalikes.back().kind, "ordinary") << "ordinary comes last";
  const std::string md = CurveReportMarkdown(r);
  EXPECT_NE(md.find("| troll_farm | 1/2 (13%) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| fan_community | 1 | 4 | 3/3 |"), std::string::npos) << md;
}

TEST(EvalCurves, BadParameterFileNamesLineAndField) {
  auto r = ParseNetworkParamsCsv(
      "network_id,family,size,lag_seconds,organic_share,paraphrase_share,infra,missing_fields\n"
      "n1,troll_farm,12,fast,0,0,exact,\n",
      "truth_networks.csv");
  ASSERT_EQ(r.status().code(), StatusCode::kInputError);
  EXPECT_NE(r.status().message().find("line 2, field 'lag_seconds'"), std::string::npos) << r.status().message();
  auto l = ParseLookAlikesCsv("account_id,group_id\nx,g\n", "lookalikes.csv");
  ASSERT_EQ(l.status().code(), StatusCode::kInputError);
  EXPECT_NE(l.status().message().find("'kind'"), std::string::npos) << l.status().message();
}

}  // namespace
}  // namespace lockstep
