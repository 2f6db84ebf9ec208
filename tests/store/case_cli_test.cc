// lockstep detect --store, case and watch, end to end through the binary.
#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "lockstep/store/case_store.h"
#include "store/store_backends.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::RunCommand;
using CaseCli = testing::StoreBackendTest;
LOCKSTEP_INSTANTIATE_STORE_BACKENDS(CaseCli);

TEST_P(CaseCli, DetectRecordsCasesAnalystsDecideRemovalsAreWatched) {
  const testing::TempDir& dir = store().dir();
  // --store takes a file path or a postgresql:// URI; quoted for the shell.
  const std::string cli = LOCKSTEP_CLI, data = dir / "data", db = "'" + location() + "'";
  auto r = RunCommand(cli + " simulate --scenario troll_farm --seed 3 --scale 0.05 --out " + data);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = RunCommand(cli + " detect " + data + " --out " + (dir / "out") + " --store " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("recorded run 1"), std::string::npos) << "detect --store records the run: " << r.output;

  r = RunCommand(cli + " case list --store " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("r1.N1"), std::string::npos) << "the network is a case: " << r.output;

  r = RunCommand(cli + " case confirm --store " + db + " --network N1 --analyst ana --reason 'same devices'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = RunCommand(cli + " case dismiss --store " + db + " --network N1");
  EXPECT_NE(r.exit_code, 0) << "a verdict without analyst and reason is refused: " << r.output;
  r = RunCommand(cli + " case show --store " + db + " --network N99");
  EXPECT_EQ(r.exit_code, 1) << "an unknown case is a usage error: " << r.output;
  r = RunCommand(cli + " case show --store " + db + " --network r1.N1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("confirmed by ana: same devices"), std::string::npos) << "verdict shown: " << r.output;

  r = RunCommand(cli + " case remove --store " + db + " --network N1 --data " + data + " --at 2022-01-02");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("removed r1.N1 at 2022-01-02"), std::string::npos) << r.output;

  // Watching the same data: the removed members are found again, nobody else.
  r = RunCommand(cli + " watch --no-detect --store " + db + " " + data + " --out " + (dir / "watch.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string csv = testing::ReadFile(dir / "watch.csv");
  EXPECT_EQ(csv.rfind("account_id,matched_network,score,reasons\n", 0), 0u) << "CSV header: " << csv.substr(0, 80);
  std::set<std::string> members, matched;
  std::istringstream assignments(testing::ReadFile(dir / "out/assignments.csv")), rows(csv);
  std::string line;
  while (std::getline(assignments, line))
    if (line.find(",N1,") != std::string::npos) members.insert(line.substr(0, line.find(',')));
  std::getline(rows, line);
  while (std::getline(rows, line)) matched.insert(line.substr(0, line.find(',')));
  ASSERT_FALSE(members.empty()) << "N1 has members in assignments.csv";
  EXPECT_EQ(matched, members) << "the removed accounts and no authentic account match: " << r.output;

  // The matches are in the store as alerts, each with the network it returns from.
  EXPECT_NE(r.output.find("recorded " + std::to_string(members.size()) + " new alert"), std::string::npos) << r.output;
  {
    auto store = CaseStore::Open(location(), StoreAccess::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto alerts = (*store)->WatchAlerts(100000);
    ASSERT_TRUE(alerts.ok()) << alerts.status().message();
    std::set<std::string> alerted;
    for (const WatchAlert& a : *alerts) {
      alerted.insert(a.account_id);
      EXPECT_EQ(a.kind, WatchAlertKind::kReturning);
      EXPECT_EQ(a.case_id, "r1.N1") << "which network " << a.account_id << " returns from";
      EXPECT_EQ(a.data_path, data);
      EXPECT_FALSE(a.matched.empty()) << "what matched";
      EXPECT_GE(a.score, 0.75);
      EXPECT_TRUE(a.first_activity && a.last_activity && *a.first_activity <= *a.last_activity)
          << "when the account was active in the watched data";
    }
    EXPECT_EQ(alerted, members) << "one alert per matched account";
  }
  r = RunCommand(cli + " watch --no-detect --store " + db + " " + data);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("recorded 0 new alerts"), std::string::npos) << "watching again adds nothing: " << r.output;
  r = RunCommand(cli + " case alerts --store " + db + " --limit 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(" r1.N1 "), std::string::npos) << "case alerts lists them: " << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 2) << "a header and --limit 1 alert: " << r.output;
}

// Issue 20: published indicators imported through the CLI; watch names the
// accounts that link to a listed domain or are listed, with the source; a
// bad file is refused with file, line and field, and stores nothing.
TEST_P(CaseCli, ImportedIndicatorsAreWatched) {
  const testing::TempDir& dir = store().dir();
  const std::string cli = LOCKSTEP_CLI, data = dir / "data", db = "'" + location() + "'";
  std::filesystem::create_directories(data);
  testing::WriteFile(data + "/accounts.csv",
                     "account_id,kind,handle\n"
                     "a1,account,reader_one\n"
                     "a2,account,reader_two\n"
                     "a3,account,rrn_world\n");
  testing::WriteFile(data + "/events.csv",
                     "event_id,account_id,time,type,urls\n"
                     "e1,a1,2026-06-01T10:00:00Z,post,https://news.avisindependent.eu/a\n"
                     "e2,a1,2026-06-01T11:00:00Z,post,https://avisindependent.eu/b\n"
                     "e3,a2,2026-06-01T12:00:00Z,post,https://example.org/c\n"
                     "e4,a3,2026-06-01T13:00:00Z,post,\n");
  const std::string list = dir / "Q3_2026_TEST_BASED_CIB_NETWORK.csv";
  testing::WriteFile(list,
                     "Tactic ,Technique,Procedure,Indicator\r\n"
                     "0. Acquiring assets,0.6 Acquiring domains,0.6.2 Acquiring domains to support influence "
                     "operations,avisindependent[.]eu\r\n"
                     ",,,\r\n"
                     "0. Acquiring assets,0.9 Acquiring social media accounts,0.9.4 Acquiring X / Twitter accounts,"
                     "hxxps://twitter[.]com/rrn_world\r\n"
                     "0. Acquiring assets,0.9 Acquiring social media accounts,0.9.1 Acquiring Facebook assets,"
                     "37 accounts\r\n");
  auto r = RunCommand(cli + " case import-indicators --store " + db + " '" + list + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3 indicators (kill_chain; 1 domain, 1 account, 1 count)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("3 known indicators stored"), std::string::npos) << r.output;
  r = RunCommand(cli + " case import-indicators --store " + db + " '" + list + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("0 known indicators stored (3 already in the store)"), std::string::npos) << r.output;

  const std::string bad = dir / "bad.csv";
  testing::WriteFile(bad,
                     "indicator_type,indicator_value,comment,ds\n"
                     "domain_name,fine[.]example,,2026-01-01\n"
                     "domain_name,not a domain,,2026-01-01\n");
  r = RunCommand(cli + " case import-indicators --store " + db + " '" + bad + "'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("bad.csv:3"), std::string::npos) << "file and line: " << r.output;
  EXPECT_NE(r.output.find("indicator_value"), std::string::npos) << "the field: " << r.output;
  EXPECT_NE(r.output.find("not a domain"), std::string::npos) << "the value: " << r.output;

  r = RunCommand(cli + " watch --no-detect --store " + db + " " + data);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3 known indicators"), std::string::npos) << "the bad file added nothing: " << r.output;
  EXPECT_NE(r.output.find("2 accounts touch known indicators"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("links to avisindependent.eu (2 links), listed in Q3_2026_TEST_BASED_CIB_NETWORK.csv "
                          "(TEST BASED CIB NETWORK, Q3 2026)"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("is the listed account https://twitter.com/rrn_world"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("a2 "), std::string::npos) << "a2 links elsewhere: " << r.output;

  // Recorded as alerts with the indicator's source; --no-record leaves the store alone.
  auto store = CaseStore::Open(location(), StoreAccess::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto alerts = (*store)->WatchAlerts(100);
  ASSERT_TRUE(alerts.ok()) << alerts.status().message();
  ASSERT_EQ(alerts->size(), 2u) << "a1 and a3";
  for (const WatchAlert& a : *alerts) {
    EXPECT_EQ(a.kind, WatchAlertKind::kKnownIndicator);
    EXPECT_EQ(a.source, "Q3_2026_TEST_BASED_CIB_NETWORK.csv (TEST BASED CIB NETWORK, Q3 2026)") << a.account_id;
    if (a.account_id == "a1") {
      EXPECT_NE(a.matched.find("links to avisindependent.eu (2 links)"), std::string::npos) << a.matched;
      ASSERT_TRUE(a.first_activity && a.last_activity);
      EXPECT_EQ(*a.last_activity - *a.first_activity, 3600) << "a1 was active from 10:00 to 11:00";
    } else {
      EXPECT_EQ(a.account_id, "a3");
      EXPECT_NE(a.matched.find("is the listed account"), std::string::npos) << a.matched;
    }
  }
  r = RunCommand(cli + " watch --no-detect --no-record --store " + db + " " + data);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("recorded"), std::string::npos) << "--no-record: " << r.output;
}

}  // namespace
}  // namespace lockstep
