// Record boundaries a rank's share of an events file starts at
// (lockstep/dist/partitioned_load.h). The MPI run itself is tested by
// tests/dist/mpi_detect.sh under mpirun (CTest dist_mpi_*).
#include "test_util.h"

#ifdef LOCKSTEP_HAVE_MPI
#include "lockstep/dist/partitioned_load.h"

namespace lockstep {
namespace {

using testing::TempDir;

std::string WriteFile(const TempDir& dir, const std::string& name, const std::string& bytes) {
  testing::WriteFile(dir / name, bytes);
  return dir / name;
}

TEST(RecordStartAfter, NewlinesInsideQuotesEndNoCsvRecord) {
  TempDir dir;
  //                          0         1          2
  const std::string csv = "id,text\n1,\"a\nb\"\n2,c\n";
  const std::string path = WriteFile(dir, "events.csv", csv);
  auto header = RecordStartAfter(path, 0, /*csv=*/true, /*inside_quotes=*/false);
  ASSERT_TRUE(header.ok()) << header.status().message();
  EXPECT_EQ(header.value(), 8u) << "the header ends at its newline";
  // From byte 10 (the opening quote) the quoted newline at 12 is no boundary.
  auto after = RecordStartAfter(path, 10, true, false);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.value(), 16u) << "the record with a quoted newline ends after its closing quote";
  // From inside the quotes (byte 12), the caller says so; the quoted newline is skipped.
  auto inside = RecordStartAfter(path, 12, true, true);
  ASSERT_TRUE(inside.ok());
  EXPECT_EQ(inside.value(), 16u) << "a range starting inside quotes finds the record after them";
  auto end = RecordStartAfter(path, 17, true, false);
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(end.value(), csv.size()) << "the last newline ends the last record";
}

TEST(RecordStartAfter, JsonLinesSplitAtEveryNewline) {
  TempDir dir;
  const std::string jsonl = "{\"t\":\"a\\\"\"}\n{\"t\":\"b\"}\n";
  const std::string path = WriteFile(dir, "events.jsonl", jsonl);
  auto first = RecordStartAfter(path, 1, /*csv=*/false, false);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value(), jsonl.find('\n') + 1) << "an escaped quote in JSON changes no boundary";
  auto none = RecordStartAfter(path, jsonl.size(), false, false);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.value(), jsonl.size()) << "no record starts after the end of the file";
}

TEST(CountQuotes, CountsEveryQuoteInTheRange) {
  TempDir dir;
  const std::string path = WriteFile(dir, "events.csv", "a,\"b\"\"c\"\n");
  auto all = CountQuotes(path, 0, 9);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all.value(), 4u) << "a doubled quote counts twice, keeping the parity of the field";
  auto part = CountQuotes(path, 3, 9);
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part.value(), 3u) << "only the quotes inside [begin, end)";
  EXPECT_FALSE(CountQuotes(dir.path() + "/missing.csv", 0, 1).ok()) << "a missing file is an error, not zero quotes";
}

TEST(RebaseShareError, NamesTheUsersFileLineAndByte) {
  // The file: a 2-line header (a quoted newline), then 100 lines before the
  // share, which starts at byte 5000; the copy holds the header (20 bytes),
  // then the share.
  ShareOrigin origin{.share_file = "/tmp/x/share/events.csv", .file = "data/events.csv", .header_bytes = 20,
                     .header_lines = 2, .start = 5000, .start_line = 102};
  EXPECT_EQ(RebaseShareError("/tmp/x/share/events.csv:3 (byte 20), field 'time': 'soon' is not a time", origin),
            "data/events.csv:102 (byte 5000), field 'time': 'soon' is not a time")
      << "the share's first record is the file's line 102, byte 5000";
  EXPECT_EQ(RebaseShareError("/tmp/x/share/events.csv:10 (byte 345): bad row", origin),
            "data/events.csv:109 (byte 5325): bad row");
  EXPECT_EQ(RebaseShareError("/tmp/x/share/events.csv:1 (byte 0): header", origin),
            "data/events.csv:1 (byte 0): header")
      << "the header is the file's own";
  EXPECT_EQ(RebaseShareError("accounts.csv:4 (byte 9): x", origin), "accounts.csv:4 (byte 9): x")
      << "errors about other files are left alone";
  EXPECT_EQ(RebaseShareError("/tmp/x/share/events.csv: cannot open", origin), "/tmp/x/share/events.csv: cannot open");
  EXPECT_EQ(RebaseShareError("/tmp/x/share/events.csv:99999999999999999999999 (byte 1): x", origin),
            "/tmp/x/share/events.csv:99999999999999999999999 (byte 1): x")
      << "a number too long to be a line is not parsed";
}

TEST(MpiJob, NotLaunchedWithoutALauncher) {
  if (MpiJob::Launched()) GTEST_SKIP() << "the test binary itself runs under an MPI launcher";
  EXPECT_FALSE(MpiJob::Launched()) << "a plain process must never initialise MPI";
}

}  // namespace
}  // namespace lockstep
#else
TEST(PartitionedLoad, Unavailable) { GTEST_SKIP() << "lockstep is built without MPI (LOCKSTEP_MPI)"; }
#endif
