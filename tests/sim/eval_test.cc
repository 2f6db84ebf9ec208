#include "lockstep/sim/eval.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace lockstep {
namespace {

std::vector<LabelRow> Labels(std::initializer_list<std::pair<const char*, const char*>> rows) {
  std::vector<LabelRow> v;
  for (auto [a, n] : rows) v.push_back({a, n});
  return v;
}
std::vector<DetectionRow> Detected(std::initializer_list<std::pair<const char*, const char*>> rows) {
  std::vector<DetectionRow> v;
  for (auto [a, n] : rows) v.push_back({a, n, 1.0});
  return v;
}

// Ten accounts: N1 = a1..a4, N2 = a5 a6, b1..b4 authentic.
const std::vector<LabelRow> kLabels = Labels({{"a1", "N1"}, {"a2", "N1"}, {"a3", "N1"}, {"a4", "N1"}, {"a5", "N2"},
                                              {"a6", "N2"}, {"b1", ""}, {"b2", ""}, {"b3", ""}, {"b4", ""}});

TEST(Evaluate, PerfectDetectionScoresOne) {
  const auto d = Detected({{"a1", "x"}, {"a2", "x"}, {"a3", "x"}, {"a4", "x"}, {"a5", "y"}, {"a6", "y"}});
  const EvalMetrics m = Evaluate(kLabels, d);
  EXPECT_DOUBLE_EQ(m.precision, 1) << "every detected account is planted";
  EXPECT_DOUBLE_EQ(m.recall, 1) << "every planted account is detected";
  EXPECT_DOUBLE_EQ(m.f1, 1);
  EXPECT_EQ(m.networks_recovered, 2u) << "both networks found exactly";
  EXPECT_EQ(m.false_networks, 0u);
  EXPECT_DOUBLE_EQ(m.adjusted_rand_index, 1) << "identical partitions";
}

TEST(Evaluate, HandComputedCase) {
  // D1 = a1 a2 a3 b1, D2 = b2 b3 a5.
  const auto d = Detected({{"a1", "D1"}, {"a2", "D1"}, {"a3", "D1"}, {"b1", "D1"}, {"b2", "D2"}, {"b3", "D2"}, {"a5", "D2"}});
  const EvalMetrics m = Evaluate(kLabels, d);
  EXPECT_EQ(m.accounts, 10u);
  EXPECT_EQ(m.true_positives, 4u) << "a1 a2 a3 a5";
  EXPECT_DOUBLE_EQ(m.precision, 4.0 / 7) << "4 of 7 detected are planted";
  EXPECT_DOUBLE_EQ(m.recall, 4.0 / 6) << "4 of 6 planted are detected";
  EXPECT_NEAR(m.f1, 2 * (4.0 / 7) * (4.0 / 6) / (4.0 / 7 + 4.0 / 6), 1e-12);
  ASSERT_EQ(m.networks.size(), 2u);
  EXPECT_EQ(m.networks[0].network_id, "N1");
  EXPECT_DOUBLE_EQ(m.networks[0].jaccard, 3.0 / 5) << "|N1 ∩ D1| = 3, |N1 ∪ D1| = 5";
  EXPECT_EQ(m.networks[0].best_match, "D1");
  EXPECT_TRUE(m.networks[0].recovered) << "0.6 >= 0.5";
  EXPECT_DOUBLE_EQ(m.networks[1].jaccard, 1.0 / 4) << "|N2 ∩ D2| = 1, |N2 ∪ D2| = 4";
  EXPECT_FALSE(m.networks[1].recovered);
  EXPECT_EQ(m.networks_recovered, 1u);
  ASSERT_EQ(m.detected_networks.size(), 2u);
  EXPECT_FALSE(m.detected_networks[0].is_false) << "D1 is 1 of 4 authentic";
  EXPECT_TRUE(m.detected_networks[1].is_false) << "D2 is 2 of 3 authentic";
  EXPECT_EQ(m.false_networks, 1u);
  // Pairs: index 3, sum_a 7, sum_b 9, C(10,2) = 45 -> expected 1.4, max 8.
  EXPECT_NEAR(m.adjusted_rand_index, (3 - 1.4) / (8 - 1.4), 1e-12) << "Hubert-Arabie ARI by hand";
}

TEST(Evaluate, HalfAuthenticIsNotFalse) {
  const EvalMetrics m = Evaluate(kLabels, Detected({{"a1", "D"}, {"b1", "D"}}));
  EXPECT_FALSE(m.detected_networks[0].is_false) << "exactly half is not more than half";
}

TEST(Evaluate, UnknownAccountsCountAsAuthentic) {
  const EvalMetrics m = Evaluate(kLabels, Detected({{"a1", "D"}, {"a2", "D"}, {"zz", "D"}}));
  EXPECT_EQ(m.accounts, 11u) << "the unknown account joins the universe";
  EXPECT_DOUBLE_EQ(m.precision, 2.0 / 3) << "the unknown account is a false positive";
  EXPECT_EQ(m.detected_networks[0].authentic, 1u);
}

TEST(Evaluate, EmptyDetection) {
  const EvalMetrics m = Evaluate(kLabels, {});
  EXPECT_DOUBLE_EQ(m.precision, 1) << "nothing claimed, nothing wrong";
  EXPECT_DOUBLE_EQ(m.recall, 0);
  EXPECT_DOUBLE_EQ(m.f1, 0);
  EXPECT_DOUBLE_EQ(m.adjusted_rand_index, 0) << "all singletons against two real networks";
  EXPECT_EQ(m.networks_recovered, 0u);
}

TEST(Evaluate, FlaggedWithoutNetworkCountsForAccountsOnly) {
  const EvalMetrics m = Evaluate(kLabels, Detected({{"a1", ""}, {"b1", ""}}));
  EXPECT_DOUBLE_EQ(m.precision, 0.5);
  EXPECT_TRUE(m.detected_networks.empty()) << "no network_id, no detected network";
  EXPECT_DOUBLE_EQ(m.networks[0].jaccard, 0);
}

TEST(ParseCsv, ReadsQuotedFieldsAndScores) {
  auto d = ParseDetectionCsv("account_id,network_id,score\r\n\"a,1\",\"net \"\"x\"\"\",0.75\nb,,\n", "d.csv");
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->size(), 2u);
  EXPECT_EQ((*d)[0].account_id, "a,1") << "comma inside quotes";
  EXPECT_EQ((*d)[0].network_id, "net \"x\"") << "doubled quote";
  EXPECT_DOUBLE_EQ((*d)[0].score, 0.75);
  EXPECT_EQ((*d)[1].network_id, "");
  auto l = ParseLabelsCsv("network_id,account_id\nN1,a\n,b\n", "l.csv");
  ASSERT_TRUE(l.ok()) << "columns in any order";
  EXPECT_EQ((*l)[0].account_id, "a");
  EXPECT_EQ((*l)[0].network_id, "N1");
}

TEST(ParseCsv, RefusesBadInputNamingFileAndLine) {
  struct Case {
    const char* text;
    const char* expect;
  };
  for (const Case& c : {Case{"account_id,score\na,1\n", "network_id"}, Case{"account_id,network_id,score\na,N,\"1\n", "line 2"},
                        Case{"account_id,network_id,score\na,N,1\na,N,2\n", "line 3"},
                        Case{"account_id,network_id,score\na,N,high\n", "score"},
                        Case{"account_id,network_id,score\na,N\n", "line 2"}, Case{"", "empty"}}) {
    auto d = ParseDetectionCsv(c.text, "det.csv");
    ASSERT_FALSE(d.ok()) << "should refuse: " << c.text;
    EXPECT_EQ(d.status().code(), StatusCode::kInputError);
    EXPECT_NE(d.status().message().find("det.csv"), std::string::npos) << d.status().message();
    EXPECT_NE(d.status().message().find(c.expect), std::string::npos) << d.status().message();
  }
}

TEST(EvalCli, PrintsJsonAndExitsTwoOnBadInput) {
  const auto dir = std::filesystem::temp_directory_path() / ("lockstep_eval_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "labels.csv") << "account_id,network_id\na,N\nb,N\nc,\n";
  std::ofstream(dir / "det.csv") << "account_id,network_id,score\na,X,0.9\nb,X,0.8\n";
  std::ofstream(dir / "bad.csv") << "account_id,network_id,score\na,X,\"0.9\n";
  const std::string cli = LOCKSTEP_CLI;
  const std::string base = cli + " eval --labels " + (dir / "labels.csv").string() + " --detected ";
  const std::string out = (dir / "out.json").string();
  EXPECT_EQ(std::system((base + (dir / "det.csv").string() + " --json > " + out).c_str()), 0) << "good input";
  std::ifstream in(out);
  std::string json((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(json.find("\"f1\": 1.000000"), std::string::npos) << json;
  EXPECT_NE(json.find("\"adjusted_rand_index\": 1.000000"), std::string::npos) << json;
  const int rc = std::system((base + (dir / "bad.csv").string() + " 2>/dev/null").c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 2) << "malformed CSV is bad input";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lockstep
