// Detection end to end on simulated data with ground truth, the output
// contract, and partial real data.
#include "lockstep/detect/detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include <simdjson.h>

#include "lockstep/detect/default_signals.h"
#include "lockstep/detect/output.h"
#include "lockstep/ingest/load.h"
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

DetectionRun SimulateAndDetect(const std::string& scenario, uint64_t seed, double scale, const TempDir& dir) {
  DetectionRun run;
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
  run.ds = std::move(ds).value();
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

}  // namespace
}  // namespace lockstep
