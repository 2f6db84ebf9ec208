// lockstep detect --store, case and watch, end to end through the binary.
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

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
}

}  // namespace
}  // namespace lockstep
