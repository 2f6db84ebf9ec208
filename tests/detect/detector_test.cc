// Detection end to end on simulated data with ground truth, the output
// contract, and partial real data.
#include "lockstep/detect/detector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <set>

#include <fmt/format.h>
#include <simdjson.h>

#include "dataset_builder.h"
#include "lockstep/detect/default_signals.h"
#include "lockstep/detect/output.h"
#include "lockstep/ingest/load.h"
#include "lockstep/signals/audience.h"
#include "lockstep/signals/shared_infrastructure.h"
#include "lockstep/sim/eval.h"
#include "lockstep/sim/simulator.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::TempDir;

struct DetectionRun {
  Dataset ds;
  Detection detection;
  std::vector<LabelRow> labels;
  std::string truth_json;
};

// A scenario simulated into dir/data and loaded back.
Dataset SimulateAndLoad(const std::string& scenario, uint64_t seed, double scale, const TempDir& dir) {
  auto spec = DrawScenario(scenario, seed, scale);
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  SimulationOptions sim_options;
  sim_options.out_dir = dir / "data";
  Simulator sim(std::move(spec).value(), sim_options);
  EXPECT_TRUE(sim.Run().ok());
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(dir / "data", "auto", {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return ds.ok() ? std::move(ds).value() : Dataset();
}

DetectionRun SimulateAndDetect(const std::string& scenario, uint64_t seed, double scale, const TempDir& dir) {
  DetectionRun run;
  run.ds = SimulateAndLoad(scenario, seed, scale, dir);
  DetectorOptions options;
  Detector detector(run.ds, options);
  for (auto& s : DefaultSignals(run.ds)) detector.AddSignal(std::move(s));
  Status status = detector.Run();
  EXPECT_TRUE(status.ok()) << status.message();
  run.detection = detector.result();
  run.labels = ReadLabelsCsv(dir / "data/labels.csv").value();
  run.truth_json = testing::ReadFile(dir / "data/truth.json");
  return run;
}

EvalMetrics Score(const DetectionRun& run) {
  std::vector<DetectionRow> rows;
  for (const Network& n : run.detection.networks)
    for (size_t i = 0; i < n.members.size(); ++i)
      rows.push_back({std::string(run.ds.AccountId(n.members[i])), n.network_id, n.member_scores[i]});
  return Evaluate(run.labels, rows);
}

// Tuning seed 7 of the mix at a small scale: every family, nothing authentic.
TEST(Detector, FindsEveryPlantedFamilyAndNoAuthenticNetwork) {
  TempDir dir;
  const DetectionRun run = SimulateAndDetect("mix", 7, 0.3, dir);
  const EvalMetrics m = Score(run);
  for (const TrueNetworkScore& n : m.networks)
    EXPECT_TRUE(n.recovered) << n.network_id << " is found (best Jaccard " << n.jaccard << ")";
  EXPECT_LE(m.false_networks, 1u) << "at most one network of mostly authentic accounts";
  EXPECT_GE(m.precision, 0.95) << "accounts flagged are planted";
  EXPECT_GE(m.recall, 0.9) << "planted accounts are flagged";
  EXPECT_LE(run.detection.expected_false_edges, 0.011 * run.detection.significant_edges)
      << "the stated false-edge expectation follows the FDR";
}

TEST(Detector, AuthenticPopulationAloneGivesNoNetworks) {
  // Viral cascades, trending hashtags, newsrooms, activist campaigns, NATs
  // and family devices coordinate or share, but are not operations.
  TempDir dir;
  const DetectionRun run = SimulateAndDetect("authentic", 3, 0.3, dir);
  EXPECT_LE(run.detection.networks.size(), 1u) << "an authentic population is not a set of networks";
  for (const Network& n : run.detection.networks) ADD_FAILURE() << "unexpected network of " << n.members.size();
}

TEST(Detector, TrollFarmGetsItsOperatorsClockAndForeignTier) {
  TempDir dir;
  const DetectionRun run = SimulateAndDetect("troll_farm", 2, 0.2, dir);
  simdjson::dom::parser parser;
  simdjson::dom::element truth = parser.parse(run.truth_json);
  simdjson::dom::element farm = truth["networks"].at(0);
  const double offset = farm["operator_utc_offset_hours"].get_double();
  const std::string origin{std::string_view(farm["origin_country"].get_string())};
  const std::string target{std::string_view(farm["target_country"].get_string())};
  ASSERT_FALSE(run.detection.networks.empty()) << "the farm is found";
  const Network& net = run.detection.networks.front();
  ASSERT_TRUE(net.utc_offset.has_value()) << "a human farm has a clock";
  EXPECT_EQ(*net.utc_offset, offset) << "the operators' UTC offset is recovered exactly";
  EXPECT_TRUE(net.shift.lunch_dip || net.shift.night_pause) << net.shift.summary;
  if (origin != target) {
    EXPECT_EQ(net.tier, "FGI") << "operators in " << origin << " aiming at " << target;
  }
  bool has_infra = false;
  for (const Indicator& i : net.indicators) has_infra |= i.signal == "shared-infrastructure" && i.strength > 0.5;
  EXPECT_TRUE(has_infra) << "the farm's shared devices are part of the evidence";
}

TEST(DetectorOutput, NetworksJsonAndAssignmentsKeepTheirContract) {
  TempDir dir;
  const DetectionRun run = SimulateAndDetect("automated", 4, 0.1, dir);
  ASSERT_FALSE(run.detection.networks.empty());
  ASSERT_TRUE(WriteAssignments(run.ds, run.detection, dir / "assignments.csv").ok());
  ASSERT_TRUE(WriteNetworksJson(run.ds, run.detection, dir / "networks.json").ok());
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(dir / "networks.json");
  simdjson::dom::array networks;
  ASSERT_EQ(doc["networks"].get(networks), simdjson::SUCCESS) << "a JSON object with a networks array";
  std::map<std::string, uint64_t> sizes;
  for (simdjson::dom::element n : networks) {
    std::string_view id;
    ASSERT_EQ(n["network_id"].get(id), simdjson::SUCCESS);
    double confidence = -1;
    ASSERT_EQ(n["confidence"].get(confidence), simdjson::SUCCESS);
    EXPECT_TRUE(confidence >= 0 && confidence <= 1) << "confidence in 0..1";
    uint64_t size = 0;
    ASSERT_EQ(n["size"].get(size), simdjson::SUCCESS);
    sizes[std::string(id)] = size;
    simdjson::dom::element offset;
    ASSERT_EQ(n["utc_offset"].get(offset), simdjson::SUCCESS) << "utc_offset is present (number or null)";
    EXPECT_TRUE(offset.is_null() || offset.is_number());
    std::string_view tier;
    ASSERT_EQ(n["tier"].get(tier), simdjson::SUCCESS);
    EXPECT_TRUE(tier == "CIB" || tier == "FGI") << tier;
    simdjson::dom::array indicators;
    ASSERT_EQ(n["indicators"].get(indicators), simdjson::SUCCESS);
    EXPECT_GT(indicators.size(), 0u) << "every network carries its evidence";
    for (simdjson::dom::element i : indicators) {
      EXPECT_TRUE(i["signal"].is_string());
      EXPECT_TRUE(i["strength"].is_number());
      EXPECT_TRUE(i["evidence"].is_string());
    }
  }
  // assignments.csv: exactly the members, with the network ids of networks.json.
  std::ifstream in(dir / "assignments.csv");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "account_id,network_id,score") << "the header other tools read";
  std::map<std::string, uint64_t> counted;
  while (std::getline(in, line)) {
    const size_t c1 = line.find(','), c2 = line.rfind(',');
    ASSERT_NE(c1, c2) << line;
    counted[line.substr(c1 + 1, c2 - c1 - 1)]++;
    const double score = std::stod(line.substr(c2 + 1));
    EXPECT_TRUE(score >= 0 && score <= 1) << line;
  }
  EXPECT_EQ(counted, sizes) << "one row per member of each network, nothing else";
  // The automated network runs around the clock: no clock to infer.
  EXPECT_FALSE(run.detection.networks.front().utc_offset.has_value()) << "24/7 automation has no operators' clock";
  EXPECT_TRUE(run.detection.networks.front().shift.automated);
}

TEST(Detector, PartialDataSkipsWhatItCannotComputeAndSaysWhy) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is not beside the checkout";
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadDataset(testing::SharedData("twitter_io_sample/io_archive_russia_2019_first1000lines.csv"), "auto", {},
                        &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  DetectorOptions options;
  Detector detector(*ds, options);
  for (auto& s : DefaultSignals(*ds)) detector.AddSignal(std::move(s));
  ASSERT_TRUE(detector.Run().ok());
  bool infra_skipped = false;
  for (const SkippedSignal& s : detector.result().skipped) {
    EXPECT_FALSE(s.reason.empty()) << s.signal << " says why it was skipped";
    infra_skipped |= s.signal == "shared-infrastructure";
  }
  EXPECT_TRUE(infra_skipped) << "an IO archive has no infrastructure; the output says so";
}

// A ring of 12 accounts that repost a hub's 30 posts within 20 s, among 200
// ordinary accounts sharing at random over 30 days (seeded).
Dataset RingAmongCrowd() {
  constexpr int64_t kStart = 1'600'000'000, kDay = 86400;
  testing::DatasetBuilder b;
  std::mt19937 rng(5);
  std::uniform_int_distribution<int64_t> when(0, 30 * kDay);
  std::uniform_int_distribution<int> post(0, 9999);
  for (int a = 0; a < 200; ++a)
    for (int i = 0; i < 30; ++i)
      b.Add("p" + std::to_string(a), kStart + when(rng), EventType::kShare, "pool" + std::to_string(post(rng)));
  for (int k = 0; k < 30; ++k) {
    const int64_t t = kStart + k * kDay + 7200;
    for (int r = 0; r < 12; ++r)
      b.Add("ring" + std::to_string(r), t + 1 + (r * 7 + k) % 20, EventType::kShare, "hub" + std::to_string(k));
  }
  return b.Build();
}

std::vector<AccountIndex> Ring(const Dataset& ds) {
  std::vector<AccountIndex> ring;
  for (int r = 0; r < 12; ++r) ring.push_back(ds.account_ids.Find("ring" + std::to_string(r)));
  return ring;
}

size_t RingMembersFound(const Detection& d, const Dataset& ds) {
  size_t found = 0;
  for (const Network& n : d.networks)
    for (AccountIndex a : Ring(ds)) found += std::binary_search(n.members.begin(), n.members.end(), a) ? 1 : 0;
  return found;
}

TEST(Detector, DeclaredBotServiceIsNotReported) {
  Dataset ds = RingAmongCrowd();
  {
    Detector detector(ds, DetectorOptions());
    ASSERT_TRUE(detector.Run().ok());
    ASSERT_EQ(RingMembersFound(detector.result(), ds), 12u) << "an undeclared ring is a network";
  }
  const StringId says = ds.strings.Intern("Automated account. Weather alerts, posted by a bot.");
  for (AccountIndex a : Ring(ds)) ds.accounts[a].description = says;
  Detector declared(ds, DetectorOptions());
  ASSERT_TRUE(declared.Run().ok());
  EXPECT_EQ(RingMembersFound(declared.result(), ds), 0u) << "bots that say they are bots deceive nobody";
  DetectorOptions no_discount;
  no_discount.declared_automation_discount = 0;
  Detector counted(ds, no_discount);
  ASSERT_TRUE(counted.Run().ok());
  EXPECT_EQ(RingMembersFound(counted.result(), ds), 12u) << "the discount is what removes them";
}

TEST(Detector, AgencyPagesOnOneOfficeNeedPersonaEvidence) {
  // The ring shares one office IP and device: as accounts, that is
  // evidence of one operator; as Pages, it is how an agency runs its clients.
  Dataset ds = RingAmongCrowd();
  const StringId ip = ds.infra_values.Intern("10.1.2.3"), device = ds.infra_values.Intern("office-tablet");
  for (AccountIndex a : Ring(ds)) {
    ds.infra.push_back({a, 1'600'000'000, InfraKind::kIp, ip});
    ds.infra.push_back({a, 1'600'000'000, InfraKind::kDevice, device});
  }
  auto detect = [&ds](const DetectorOptions& options) {
    Detector detector(ds, options);
    detector.AddSignal(std::make_unique<SharedInfrastructureSignal>(ds));
    EXPECT_TRUE(detector.Run().ok());
    return RingMembersFound(detector.result(), ds);
  };
  EXPECT_EQ(detect(DetectorOptions()), 12u) << "accounts on one device and address, in lockstep: a network";
  for (AccountIndex a : Ring(ds)) ds.accounts[a].kind = AccountKind::kPage;
  EXPECT_EQ(detect(DetectorOptions()), 0u) << "Pages managed from one office, with no fake persona, are not CIB";
  DetectorOptions rule_off;
  rule_off.managed_pages_share = 2;
  EXPECT_EQ(detect(rule_off), 12u) << "the managed-Pages rule is what removes them";
}

TEST(Detector, EstablishedAccountsNeedEvidenceOfTheirOwn) {
  // The ring shares one device and address (a household, a fan club's
  // meeting place) and reposts in lockstep. Registered in one batch, it is
  // an operation; created years apart and old when they act, its members
  // are a community, and relations between them prove nothing.
  constexpr int64_t kStart = 1'600'000'000, kDay = 86400;
  Dataset ds = RingAmongCrowd();
  const StringId ip = ds.infra_values.Intern("10.1.2.3"), device = ds.infra_values.Intern("home-tablet");
  for (AccountIndex a : Ring(ds)) {
    ds.infra.push_back({a, kStart, InfraKind::kIp, ip});
    ds.infra.push_back({a, kStart, InfraKind::kDevice, device});
  }
  auto detect = [&ds](const DetectorOptions& options) {
    Detector detector(ds, options);
    detector.AddSignal(std::make_unique<SharedInfrastructureSignal>(ds));
    EXPECT_TRUE(detector.Run().ok());
    return RingMembersFound(detector.result(), ds);
  };
  const std::vector<AccountIndex> ring = Ring(ds);
  for (size_t r = 0; r < ring.size(); ++r)
    ds.accounts[ring[r]].created_at = kStart - 2 * 365 * kDay + static_cast<int64_t>(r) * 3600;
  EXPECT_EQ(detect(DetectorOptions()), 12u) << "aged accounts registered in one batch are still an operation's";
  for (size_t r = 0; r < ring.size(); ++r)
    ds.accounts[ring[r]].created_at = kStart - (400 + 200 * static_cast<int64_t>(r)) * kDay;
  EXPECT_EQ(detect(DetectorOptions()), 0u)
      << "old accounts created years apart, with nothing fake about each, are not CIB";
  DetectorOptions rule_off;
  rule_off.established_min_age_days = 1e9;
  EXPECT_EQ(detect(rule_off), 12u) << "the established-accounts rule is what removes them";
}

namespace tenure {

constexpr int64_t kStart = 1'600'000'000, kDay = 86400, kYears2 = 2 * 365 * kDay;

// A crowd sharing a pool of posts over two years, and a ring of 12 on one
// device and address that reposts 30 hubs within seconds in the middle. The
// ring's own actions start at `ring_from` (seconds after the data's start)
// and run to the end. No account has a creation date.
Dataset RingOverYears(int64_t ring_from) {
  testing::DatasetBuilder b;
  std::mt19937 rng(11);
  std::uniform_int_distribution<int64_t> when(0, kYears2);
  std::uniform_int_distribution<int> post(0, 99999);
  b.Add("p0", kStart, EventType::kShare, "pool-first");  // the data begins here
  for (int a = 0; a < 200; ++a)
    for (int i = 0; i < 40; ++i)
      b.Add("p" + std::to_string(a), kStart + when(rng), EventType::kShare, "pool" + std::to_string(post(rng)));
  for (int r = 0; r < 12; ++r) {
    const std::string id = "ring" + std::to_string(r);
    std::uniform_int_distribution<int64_t> own(ring_from, kYears2);
    b.Add(id, kStart + ring_from + r * 600, EventType::kShare, "pool" + std::to_string(post(rng)));
    for (int i = 0; i < 60; ++i) b.Add(id, kStart + own(rng), EventType::kShare, "pool" + std::to_string(post(rng)));
  }
  for (int k = 0; k < 30; ++k) {
    const int64_t t = kStart + 400 * kDay + k * 7 * kDay + 7200;
    for (int r = 0; r < 12; ++r)
      b.Add("ring" + std::to_string(r), t + 1 + (r * 7 + k) % 20, EventType::kShare, "hub" + std::to_string(k));
  }
  Dataset ds = b.Build();
  const StringId ip = ds.infra_values.Intern("10.1.2.3"), device = ds.infra_values.Intern("home-tablet");
  for (AccountIndex a : Ring(ds)) {
    ds.infra.push_back({a, kStart + 400 * kDay, InfraKind::kIp, ip});
    ds.infra.push_back({a, kStart + 400 * kDay, InfraKind::kDevice, device});
  }
  return ds;
}

size_t Detect(const Dataset& ds, const DetectorOptions& options) {
  Detector detector(ds, options);
  detector.AddSignal(std::make_unique<SharedInfrastructureSignal>(ds));
  EXPECT_TRUE(detector.Run().ok());
  return RingMembersFound(detector.result(), ds);
}

}  // namespace tenure

TEST(Detector, EstablishedAccountsWithoutCreationDatesByObservedTenure) {
  // Fans acting from the start of the collection for two years, who also
  // share a household's device: without creation dates, their first
  // actions show they were on the platform before the coordination.
  const Dataset fans = tenure::RingOverYears(0);
  DetectorOptions off;
  off.established_by_tenure = false;
  ASSERT_EQ(tenure::Detect(fans, off), 12u) << "without the fallback a missing creation date proves nothing, and the "
                                               "shared device makes the community a network (the false network)";
  EXPECT_EQ(tenure::Detect(fans, DetectorOptions()), 0u)
      << "accounts acting at their own rate since the data began, for two years, are a community";
  // Personas that appear together 300 days into the data, then run as long:
  // registered for the operation, whatever their tenure since.
  const Dataset personas = tenure::RingOverYears(300 * tenure::kDay);
  EXPECT_EQ(tenure::Detect(personas, DetectorOptions()), 12u)
      << "accounts whose first actions come together after the collection began are not established";
}

namespace cohort {

constexpr int64_t kStart = 1'600'000'000, kDay = 86400;

// A crowd of 300 accounts sharing a pool of posts at random over 60 days and
// a ring of 20 reposting 30 hub posts within 20 s (seeded), with no
// infrastructure, names or images: coordination is all the data shows. The
// crowd was registered over nine years; the ring over [ring_from, ring_to]
// days before the data begin, or, when ring_from is 0, over the same nine
// years as the crowd (people drawn from the population).
Dataset RingWithCreation(double ring_from, double ring_to) {
  testing::DatasetBuilder b;
  std::mt19937_64 rng(21);
  std::uniform_int_distribution<int64_t> when(0, 60 * kDay);
  std::uniform_int_distribution<int> post(0, 9999);
  for (int a = 0; a < 300; ++a)
    for (int i = 0; i < 30; ++i)
      b.Add("p" + std::to_string(a), kStart + when(rng), EventType::kShare, "pool" + std::to_string(post(rng)));
  for (int k = 0; k < 30; ++k)
    for (int r = 0; r < 20; ++r)
      b.Add("ring" + std::to_string(r), kStart + k * 2 * kDay + 7200 + 1 + (r * 7 + k) % 20, EventType::kShare,
            "hub" + std::to_string(k));
  Dataset ds = b.Build();
  std::uniform_real_distribution<double> years(-9 * 365, 0);
  for (int a = 0; a < 300; ++a)
    ds.accounts[ds.account_ids.Find("p" + std::to_string(a))].created_at =
        kStart + static_cast<int64_t>(years(rng) * kDay);
  std::uniform_real_distribution<double> batch(-ring_from, -ring_to);
  for (int r = 0; r < 20; ++r)
    ds.accounts[ds.account_ids.Find("ring" + std::to_string(r))].created_at =
        kStart + static_cast<int64_t>((ring_from > 0 ? batch(rng) : years(rng)) * kDay);
  return ds;
}

// The options under test: the ring keeps one operator's days off (it acts
// every other day), so the shared-idle-days test is turned off to leave the
// creation cohort the only relational evidence.
DetectorOptions Options(double creation_cohort_proof) {
  DetectorOptions o;
  o.idle_days_proof = 0;
  o.creation_cohort_proof = creation_cohort_proof;
  return o;
}

// The options of the tests below: the creation cohort on, and, since their
// teams have no creation dates, no judging of established accounts by
// their actions either.
DetectorOptions OptionsWithoutTenure() {
  DetectorOptions o = Options(DetectorOptions().creation_cohort_proof);
  o.established_by_tenure = false;
  return o;
}

// Detection with the audience signal (which knows nothing of creation
// dates) as the scoring signal beside the coordination.
Detection RunWithAudience(const Dataset& ds, const DetectorOptions& options) {
  Detector detector(ds, options);
  detector.AddSignal(std::make_unique<AudienceSignal>(ds));
  EXPECT_TRUE(detector.Run().ok());
  return detector.result();
}

// The ring of RingWithCreation(105, 60) with the events `add` writes, and
// every creation date kept (the builder owns its data set: it is rebuilt).
template <typename Add>
Dataset RingWith(Add add) {
  const Dataset ds = RingWithCreation(105, 60);
  testing::DatasetBuilder b;
  for (size_t i = 0; i < ds.events.size(); ++i)
    b.Add(ds.AccountId(ds.events.account[i]), ds.events.time[i], ds.events.type[i],
          ds.objects.Get(ds.events.target_id[i]));
  add(b);
  Dataset out = b.Build();
  for (size_t a = 0; a < ds.num_accounts(); ++a)
    out.accounts[out.account_ids.Find(ds.AccountId(a))].created_at = ds.accounts[a].created_at;
  return out;
}

// Ring members in a reported network.
size_t Detect(const Dataset& ds, const DetectorOptions& options, std::string* evidence = nullptr) {
  const Detection result = RunWithAudience(ds, options);
  size_t found = 0;
  for (const Network& n : result.networks)
    for (int r = 0; r < 20; ++r) {
      const AccountIndex ring = ds.account_ids.Find("ring" + std::to_string(r));
      const bool in = std::binary_search(n.members.begin(), n.members.end(), ring);
      found += in ? 1 : 0;
      if (in && evidence != nullptr)
        for (const Indicator& i : n.indicators)
          if (i.signal == "creation-cohort") *evidence = i.evidence;
    }
  return found;
}

}  // namespace cohort

TEST(Detector, PersonasRegisteredTogetherAreReportedWithoutInfrastructure) {
  // A camouflaged operation whose export has no infrastructure: its
  // personas' only trace is that they were registered together, over 45
  // days two months before they act, where the population registered over
  // years.
  const DetectorOptions on = cohort::Options(DetectorOptions().creation_cohort_proof);
  const Dataset personas = cohort::RingWithCreation(105, 60);
  std::string evidence;
  EXPECT_EQ(cohort::Detect(personas, on, &evidence), 20u)
      << "coordination and personas registered in one batch: a network";
  EXPECT_NE(evidence.find("registered within"), std::string::npos) << "the network says why: " << evidence;
  EXPECT_EQ(cohort::Detect(personas, cohort::Options(0)), 0u)
      << "the creation cohort is what reports them; coordination alone does not";
  // Look-alikes coordinating just as tightly: volunteers drawn from the
  // population, registered over nine years (established accounts), and
  // volunteers who joined over the two years before the campaign, too
  // recent and too close together to be established, yet no cohort.
  EXPECT_EQ(cohort::Detect(cohort::RingWithCreation(0, 0), on), 0u)
      << "real people who joined the platform over years are no cohort, and coordination alone never suffices";
  EXPECT_EQ(cohort::Detect(cohort::RingWithCreation(760, 60), on), 0u)
      << "joining over two years, where the population took nine, is no cohort";
}

namespace linked {

using cohort::kDay;
using cohort::kStart;

// The cohort ring (20 personas registered in a batch, reported on that) and a
// second team of 12 without creation dates reposting 30 hubs of its own
// within 20 s; `joiners` of the team also repost 4 of the ring's hubs with
// it. Each team is a cluster of its own; the team alone is coordination
// without persona evidence.
Dataset TwoTeams(int joiners, bool team_established) {
  Dataset out = cohort::RingWith([&](testing::DatasetBuilder& b) {
    for (int k = 0; k < 30; ++k)
      for (int t = 0; t < 12; ++t)
        b.Add("team" + std::to_string(t), kStart + k * 2 * kDay + kDay + 3600 + (t * 5 + k) % 20, EventType::kShare,
              "own" + std::to_string(k));
    for (int k = 0; k < 4; ++k)
      for (int t = 0; t < joiners; ++t)
        b.Add("team" + std::to_string(t), kStart + k * 2 * kDay + 7200 + 1 + (t * 3 + k) % 20, EventType::kShare,
              "hub" + std::to_string(k));
    // Friends reposting together: 40 pairs, links between clusters as real
    // data has them (the coordination of a group is measured against them).
    for (int d = 0; d < 40; ++d)
      for (int k = 0; k < 5; ++k)
        for (const char* side : {"a", "b"})
          b.Add("duo" + std::to_string(d) + side, kStart + d * kDay + k * 3 * kDay + 600 + (side[0] == 'b') * 5,
                EventType::kShare, "duo" + std::to_string(d) + "-" + std::to_string(k));
  });
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> years(-9 * 365, 0);
  for (int t = 0; t < 12; ++t)
    out.accounts[out.account_ids.Find("team" + std::to_string(t))].created_at =
        team_established ? kStart + static_cast<int64_t>(years(rng) * kDay) : kNoTime;
  return out;
}

struct Found {
  size_t ring = 0, team = 0, team_attached = 0, networks = 0;
  bool linked = false;  // a "linked-cluster" indicator on the ring's network
};

Found Detect(const Dataset& ds, double linked_min_density) {
  DetectorOptions o = cohort::OptionsWithoutTenure();
  o.linked_min_density = linked_min_density;
  const Detection result = cohort::RunWithAudience(ds, o);
  Found f;
  f.networks = result.networks.size();
  std::set<AccountIndex> seen;
  for (const Network& n : result.networks) {
    EXPECT_TRUE(std::is_sorted(n.members.begin(), n.members.end()));
    EXPECT_EQ(n.member_scores.size(), n.members.size());
    EXPECT_TRUE(std::includes(n.members.begin(), n.members.end(), n.attached.begin(), n.attached.end()))
        << "attached (and linked) accounts are members";
    for (AccountIndex a : n.members) EXPECT_TRUE(seen.insert(a).second) << "an account in two networks";
    auto count = [&](std::string_view prefix, int size) {
      size_t in = 0;
      for (int i = 0; i < size; ++i)
        in += std::binary_search(n.members.begin(), n.members.end(),
                                 ds.account_ids.Find(std::string(prefix) + std::to_string(i)));
      return in;
    };
    f.ring += count("ring", 20);
    f.team += count("team", 12);
    for (int i = 0; i < 12; ++i)
      f.team_attached +=
          std::binary_search(n.attached.begin(), n.attached.end(), ds.account_ids.Find("team" + std::to_string(i)));
    for (const Indicator& i : n.indicators) f.linked |= i.signal == "linked-cluster";
  }
  return f;
}

}  // namespace linked

TEST(Detector, AClusterLinkedToAReportedNetworkIsPartOfIt) {
  // One operation in two teams: Leiden keeps them apart (each is denser
  // inside), and only the ring shows persona evidence.
  const Dataset ds = linked::TwoTeams(/*joiners=*/6, /*team_established=*/false);
  const linked::Found off = linked::Detect(ds, 0);
  ASSERT_EQ(off.ring, 20u) << "the ring is reported on its creation cohort";
  ASSERT_EQ(off.team, 0u) << "the team alone is coordination without persona evidence";
  const linked::Found on = linked::Detect(ds, DetectorOptions().linked_min_density);
  EXPECT_EQ(on.ring, 20u);
  EXPECT_EQ(on.team, 12u) << "linked to the ring by co-action: the same operation";
  EXPECT_EQ(on.networks, off.networks) << "reported with the ring's network, not as one of its own";
  EXPECT_TRUE(on.linked) << "the network says why";
  EXPECT_EQ(on.team_attached, 12u) << "not core: they came in by association";
  // A team that never acts with the ring, and a team of accounts registered
  // over nine years (a community repeating the ring), stay out.
  EXPECT_EQ(linked::Detect(linked::TwoTeams(0, false), DetectorOptions().linked_min_density).team, 0u);
  EXPECT_EQ(linked::Detect(linked::TwoTeams(6, true), DetectorOptions().linked_min_density).team, 0u)
      << "established accounts are never joined by association";
}

namespace pendant {

// The cohort ring plus a fan from the crowd who reposts `hubs` of the ring's
// hub posts with it, or, with hubs 0, three posts seconds after one ring
// member (a friend's): then one link to the ring, and the only cluster the
// fan touches.
Dataset RingAndFan(int hubs) {
  Dataset out = cohort::RingWith([&](testing::DatasetBuilder& b) {
    for (int k = 0; k < hubs; ++k)
      b.Add("fan", cohort::kStart + k * 2 * cohort::kDay + 7200 + 1 + (k * 3) % 20, EventType::kShare,
            "hub" + std::to_string(k));
    for (int k = 0; hubs == 0 && k < 3; ++k)
      for (const char* who : {"ring0", "fan"})
        b.Add(who, cohort::kStart + (2 * k + 1) * cohort::kDay + 40000 + (who[0] == 'f') * 4, EventType::kShare,
              "friend" + std::to_string(k));
    for (int i = 0; i < 30; ++i)
      b.Add("fan", cohort::kStart + 40 * cohort::kDay + i * 5000, EventType::kShare, "pool" + std::to_string(i * 37));
  });
  out.accounts[out.account_ids.Find("fan")].created_at = cohort::kStart - 5 * 365 * cohort::kDay;
  return out;
}

struct Membership {
  size_t ring = 0;
  bool fan = false, noted = false;
  double confidence = 0;
};

Membership Detect(const Dataset& ds, double member_min_degree_share) {
  DetectorOptions o = cohort::OptionsWithoutTenure();
  o.member_min_degree_share = member_min_degree_share;
  const Detection result = cohort::RunWithAudience(ds, o);
  Membership m;
  const AccountIndex fan = ds.account_ids.Find("fan");
  for (const Network& n : result.networks) {
    EXPECT_EQ(n.member_scores.size(), n.members.size());
    size_t ring = 0;
    for (int r = 0; r < 20; ++r)
      ring += std::binary_search(n.members.begin(), n.members.end(), ds.account_ids.Find("ring" + std::to_string(r)));
    if (ring == 0) continue;
    m.ring += ring;
    m.confidence = n.confidence;
    m.fan |= std::binary_search(n.members.begin(), n.members.end(), fan);
    for (const Indicator& i : n.indicators) m.noted |= i.signal == "pendant-members";
  }
  return m;
}

}  // namespace pendant

TEST(Detector, AnAccountWithOneWeakLinkToANetworkIsNotItsMember) {
  // Modularity puts an account in the only cluster it touches: a friend of
  // one ring member, reposting three posts seconds after it, is in the
  // ring's co-action cluster, where each member reposts with 19 others 30
  // times. In a ring of 20 one link is a far larger share of a member's
  // co-action than in the wide simulator's networks, where the default
  // (0.001) was set (their median member has 80-175 in fused weight), so
  // the test leaves out below 0.2.
  const Dataset ds = pendant::RingAndFan(0);
  const pendant::Membership kept = pendant::Detect(ds, 0);
  ASSERT_EQ(kept.ring, 20u) << "the ring is reported on its creation cohort";
  ASSERT_TRUE(kept.fan) << "with every member kept, the friend is one of the ring's members";
  const pendant::Membership left = pendant::Detect(ds, 0.2);
  EXPECT_EQ(left.ring, 20u);
  EXPECT_FALSE(left.fan) << "a negligible share of the ring's co-action: left out";
  EXPECT_TRUE(left.noted) << "the network says an account was left out, and why";
  EXPECT_DOUBLE_EQ(left.confidence, kept.confidence) << "the group is judged as before";
  // A fan who joined every one of the ring's pushes is a member like the others.
  EXPECT_TRUE(pendant::Detect(pendant::RingAndFan(30), 0.2).fan);
}

// The same networks, in the same order, with the same members, confidences
// and evidence.
void ExpectSameNetworks(const Detection& got, const Detection& want) {
  ASSERT_EQ(got.networks.size(), want.networks.size());
  for (size_t i = 0; i < want.networks.size(); ++i) {
    EXPECT_EQ(got.networks[i].members, want.networks[i].members);
    EXPECT_DOUBLE_EQ(got.networks[i].confidence, want.networks[i].confidence);
    ASSERT_EQ(got.networks[i].indicators.size(), want.networks[i].indicators.size());
    for (size_t j = 0; j < want.networks[i].indicators.size(); ++j)
      EXPECT_EQ(got.networks[i].indicators[j].evidence, want.networks[i].indicators[j].evidence);
  }
}

TEST(Detector, SharedTextClustersChangeNothingButAreComputedOnce) {
  // `lockstep detect` shares co-text's near-duplicate clusters with the
  // repeated-text-pushes signal: the same networks, members, confidences and
  // evidence as when each clusters on its own, with the texts clustered once.
  TempDir dir;
  const Dataset ds = SimulateAndLoad("mix", 11, 0.15, dir);
  ASSERT_GT(ds.num_accounts(), 0u);
  auto detect = [&](bool share, std::shared_ptr<SharedTextClusters>* shared) {
    DetectorOptions options;
    if (share) *shared = options.text_clusters = ShareTextClusters(ds, options);
    Detector detector(ds, options);
    for (auto& s : DefaultSignals(ds, options)) detector.AddSignal(std::move(s));
    EXPECT_TRUE(detector.Run().ok());
    return detector.result();
  };
  std::shared_ptr<SharedTextClusters> shared;
  const Detection alone = detect(false, nullptr);
  const Detection together = detect(true, &shared);
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared->computed(), 1) << "the texts are clustered once";
  EXPECT_EQ(shared->served(), 2) << "for co-text and the text pushes both";
  ASSERT_FALSE(alone.networks.empty());
  ExpectSameNetworks(together, alone);
  // Clusters made for other options are not taken.
  NearDuplicateOptions other;
  other.threshold = 0.9;
  EXPECT_FALSE(shared->Serves(ds, other));
  EXPECT_TRUE(shared->Serves(ds, DetectorOptions().text));
}

TEST(Detector, SignalsSideBySideGiveTheSameResultOnAnyNumberOfThreads) {
  // The layers, the group tests (idle days, claimed clock, tenure, cohorts)
  // and the added signals run side by side on `threads` workers and finish
  // in any order: the networks, their evidence, the signals run and
  // skipped, and the order of the stages are those of one thread.
  TempDir dir;
  Dataset ds = SimulateAndLoad("mix", 12, 0.15, dir);
  ASSERT_GT(ds.num_accounts(), 0u);
  ds.infra.clear();  // a signal that is skipped, to see it listed
  auto detect = [&](int threads) {
    DetectorOptions options;
    options.threads = threads;
    options.text_clusters = ShareTextClusters(ds, options);
    Detector detector(ds, options);
    for (auto& s : DefaultSignals(ds, options)) detector.AddSignal(std::move(s));
    EXPECT_TRUE(detector.Run().ok());
    return detector.result();
  };
  const Detection one = detect(1);
  ASSERT_FALSE(one.networks.empty());
  ASSERT_FALSE(one.skipped.empty());
  for (int threads : {2, 4}) {
    SCOPED_TRACE(threads);
    const Detection many = detect(threads);
    EXPECT_EQ(many.signals_run, one.signals_run);
    ASSERT_EQ(many.skipped.size(), one.skipped.size());
    for (size_t i = 0; i < one.skipped.size(); ++i) {
      EXPECT_EQ(many.skipped[i].signal, one.skipped[i].signal);
      EXPECT_EQ(many.skipped[i].reason, one.skipped[i].reason);
    }
    EXPECT_EQ(many.significant_edges, one.significant_edges);
    ASSERT_EQ(many.stage_seconds.size(), one.stage_seconds.size());
    for (size_t i = 0; i < one.stage_seconds.size(); ++i)
      EXPECT_EQ(many.stage_seconds[i].first, one.stage_seconds[i].first);
    ExpectSameNetworks(many, one);
  }
  DetectorOptions none;
  none.threads = 0;
  Detector refused(ds, none);
  EXPECT_EQ(refused.Run().code(), StatusCode::kInvalidArgument) << "no workers is a parameter error";
}

TEST(Detector, AProofOutsideZeroToOneIsRefusedByNameBeforeAnyWork) {
  testing::DatasetBuilder builder;
  for (int r = 0; r < 5; ++r) builder.Add("ring" + std::to_string(r), 1000 + r, EventType::kShare, "post");
  const Dataset ds = builder.Build();
  for (double DetectorOptions::*proof : {&DetectorOptions::idle_days_proof, &DetectorOptions::claimed_clock_proof,
                                         &DetectorOptions::creation_cohort_proof,
                                         &DetectorOptions::first_action_cohort_proof})
    for (double bad : {-0.1, 1.5}) {
      DetectorOptions o;
      o.*proof = bad;
      Detector detector(ds, o);
      const Status s = detector.Run();
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
      EXPECT_NE(s.message().find("_proof is " + fmt::format("{}", bad)), std::string::npos) << s.message();
      EXPECT_TRUE(detector.result().stage_seconds.empty()) << "refused before the first stage: " << s.message();
    }
}

}  // namespace
}  // namespace lockstep
