// lockstep detect writes the report and run.json; lockstep report DIR
// rebuilds the same report from them; lockstep export writes the archive.
#include <gtest/gtest.h>

#include "test_util.h"

namespace lockstep {
namespace {

using testing::ReadFile;
using testing::RunCommand;
using testing::TempDir;

const std::string kCli = LOCKSTEP_CLI;

TEST(ReportCli, DetectWritesTheReportAndReportRebuildsIt) {
  TempDir data, out, again, archive;
  auto sim = RunCommand(kCli + " simulate --scenario mix --seed 1 --scale 0.05 --out " + data.path());
  ASSERT_EQ(sim.exit_code, 0) << sim.output;
  auto detect = RunCommand(kCli + " detect " + data.path() + " --out " + out.path());
  ASSERT_EQ(detect.exit_code, 0) << detect.output;
  for (const char* name : {"run.json", "report.html", "report.md", "report.json", "accounts.csv", "edges.csv",
                           "graph.gexf", "graph.graphml"})
    EXPECT_TRUE(std::filesystem::exists(out / name)) << "detect writes " << name << "\n" << detect.output;
  auto report = RunCommand(kCli + " report " + out.path() + " --out " + again.path());
  ASSERT_EQ(report.exit_code, 0) << report.output;
  for (const char* name : {"report.html", "report.md", "report.json", "accounts.csv", "edges.csv"})
    EXPECT_EQ(ReadFile(out / name), ReadFile(again / name))
        << name << ": the report from networks.json equals the one detect rendered from memory";
  if (ReadFile(out / "report.json").find("\"network_id\": \"N1\"") == std::string::npos)
    GTEST_SKIP() << "no network found at this scale; export not exercised";
  auto exported = RunCommand(kCli + " export " + out.path() + " --network N1 --salt s3cret --out " + archive.path());
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_TRUE(std::filesystem::exists(archive / "N1_tweets_csv_hashed.csv")) << exported.output;
  auto ingest = RunCommand(kCli + " ingest " + archive.path() + " --format twitter_io");
  EXPECT_EQ(ingest.exit_code, 0) << "the archive loads as an IO archive:\n" << ingest.output;
}

TEST(ReportCli, ExportWithoutSaltIsAUsageError) {
  TempDir out;
  auto r = RunCommand("env -u LOCKSTEP_DISCLOSURE_SALT " + kCli + " export " + out.path() + " --network N1");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("salt"), std::string::npos) << "says what is missing: " << r.output;
}

TEST(ReportCli, ReportWithoutManifestSaysWhatToDo) {
  TempDir out;
  auto r = RunCommand(kCli + " report " + out.path());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--data"), std::string::npos) << "points at --data: " << r.output;
}

}  // namespace
}  // namespace lockstep
