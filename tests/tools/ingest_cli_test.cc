// The lockstep binary as a user meets it: exit codes, messages, summaries.
#include <gtest/gtest.h>

#include "test_util.h"

namespace lockstep {
namespace {

using testing::RunCommand;
using testing::TempDir;
using testing::WriteFile;

const std::string kCli = LOCKSTEP_CLI;

void WriteBadSet(const TempDir& dir) {
  WriteFile(dir / "accounts.csv", "account_id,followers\na1,1\na2,-3\n");
  WriteFile(dir / "events.csv", "account_id,time,type\na1,2017-01-01,post\na1,soon,post\nghost,2017-01-01,post\n");
}

TEST(IngestCli, SummaryOfTheShippedExample) {
  auto r = RunCommand(kCli + " ingest " + LOCKSTEP_SOURCE_DIR + "/examples/tiny");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("facebook/page"), std::string::npos) << "accounts by platform and kind:\n" << r.output;
  EXPECT_NE(r.output.find("share"), std::string::npos) << "events by type";
  EXPECT_NE(r.output.find("time span: 2020-09-01T06:00:00Z .. 2020-09-02T08:01:00Z"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("device"), std::string::npos) << "infrastructure by kind";
  EXPECT_NE(r.output.find("MB/s"), std::string::npos) << "parse speed";
  EXPECT_NE(r.output.find("rows read         28 = loaded         28 + rejected        0"), std::string::npos)
      << r.output;
}

// ingest, detect and watch take several sources; each says what it read
// from each one (rows read = loaded + rejected), detect on stderr.
TEST(IngestCli, EachSourcesRowsArePrintedWhereverSeveralAreLoaded) {
  const std::string data = std::string(LOCKSTEP_SOURCE_DIR) + "/tests/data/ingest/";
  const std::string sources = data + "telegram " + data + "tiktok";
  TempDir out;
  auto detect = RunCommand(kCli + " detect " + sources + " --out " + out.path() + " --no-report");
  ASSERT_EQ(detect.exit_code, 0) << detect.output;
  auto ingest = RunCommand(kCli + " ingest " + sources);
  ASSERT_EQ(ingest.exit_code, 0) << ingest.output;
  for (const auto* r : {&detect, &ingest}) {
    EXPECT_NE(r->output.find("telegram (telegram): rows read 16 = loaded "), std::string::npos) << r->output;
    EXPECT_NE(r->output.find("tiktok (tiktok): rows read 4 = loaded "), std::string::npos) << r->output;
    EXPECT_NE(r->output.find("ids prefixed tiktok:"), std::string::npos) << r->output;
  }
}

TEST(IngestCli, FailIsTheDefaultAndExitsTwo) {
  TempDir dir;
  WriteBadSet(dir);
  auto r = RunCommand(kCli + " ingest " + dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("accounts.csv:3"), std::string::npos) << "names file and line:\n" << r.output;
  EXPECT_NE(r.output.find("followers"), std::string::npos) << "names the field";
}

TEST(IngestCli, SkipCountsKindsAndWritesRejects) {
  TempDir dir;
  WriteBadSet(dir);
  const std::string rejects = dir / "rejects.csv";
  auto r = RunCommand(kCli + " ingest " + dir.path() + " --on-error=skip --rejects " + rejects);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3 rows rejected"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("negative_value"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad_time"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unknown_account"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rows read          5 = loaded          2 + rejected        3"), std::string::npos)
      << r.output;
  EXPECT_NE(testing::ReadFile(rejects).find("ghost"), std::string::npos) << "the rejects file holds the rows";
}

TEST(IngestCli, SnapshotIsAcceptedWhereverDataIs) {
  TempDir dir;
  const std::string snap = dir / "tiny.snapshot";
  auto saved = RunCommand(kCli + " ingest " + LOCKSTEP_SOURCE_DIR + "/examples/tiny --save " + snap);
  ASSERT_EQ(saved.exit_code, 0) << saved.output;
  auto r = RunCommand(kCli + " ingest " + snap);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("format: snapshot"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("events: 9"), std::string::npos) << r.output;
  WriteFile(snap, testing::ReadFile(snap).substr(0, 100));
  auto corrupt = RunCommand(kCli + " ingest " + snap);
  EXPECT_EQ(corrupt.exit_code, 2) << "a damaged snapshot is bad input:\n" << corrupt.output;
}

TEST(IngestCli, UsageErrorsExitOneAndHelpExitsZero) {
  EXPECT_EQ(RunCommand(kCli + " ingest").exit_code, 1) << "DATA is required";
  EXPECT_EQ(RunCommand(kCli + " ingest x --on-error=maybe").exit_code, 1) << "unknown policy";
  EXPECT_EQ(RunCommand(kCli + " frobnicate").exit_code, 1) << "unknown command";
  auto help = RunCommand(kCli + " ingest --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--on-error"), std::string::npos) << help.output;
  auto top = RunCommand(kCli + " --help");
  EXPECT_NE(top.output.find("Exit codes"), std::string::npos) << "exit codes are documented:\n" << top.output;
}

TEST(IngestCli, QuietWhenPiped) {
  auto r = RunCommand(kCli + " ingest " + LOCKSTEP_SOURCE_DIR + "/examples/tiny | cat");
  EXPECT_EQ(r.output.find('\r'), std::string::npos) << "no progress line when stderr is not a terminal";
}

}  // namespace
}  // namespace lockstep
