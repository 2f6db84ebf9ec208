// Regression tests of issue 17 (hostile and careless input) for the model:
// the input time window, escaped messages, and snapshots whose checksum is
// valid but whose contents break what the rest of lockstep assumes.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstring>
#include <filesystem>

#include <sys/stat.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/model/input_error.h"
#include "lockstep/model/snapshot.h"
#include "lockstep/model/time.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::TempDir;

TEST(InputTimeWindow, AcceptsPlatformTimesAndRefusesTheRest) {
  EXPECT_TRUE(InInputTimeWindow(1599030000)) << "2020-09-02";
  EXPECT_TRUE(InInputTimeWindow(kEarliestInputTime)) << "2000-01-01 itself";
  EXPECT_FALSE(InInputTimeWindow(kEarliestInputTime - 1)) << "1999";
  EXPECT_FALSE(InInputTimeWindow(INT64_MIN)) << "issue 17 item 1: the smallest int64 (kNoTime)";
  EXPECT_FALSE(InInputTimeWindow(INT64_MAX)) << "issue 17 item 4";
  EXPECT_FALSE(InInputTimeWindow(1599030000000)) << "issue 17 item 5: epoch milliseconds";
  EXPECT_TRUE(InInputTimeWindow(LatestInputTime())) << "a year from now is still accepted";
  EXPECT_FALSE(InInputTimeWindow(LatestInputTime() + 1));
}

// Issue 17 item 16: an id holding an escape sequence or a NUL is shown, not obeyed or cut.
TEST(InputErrorMessage, EscapesControlCharacters) {
  EXPECT_EQ(EscapeControl(std::string("a\x1b[31mred\0b\n\t\x7f", 14)), "a\\x1b[31mred\\0b\\n\\t\\x7f");
  EXPECT_EQ(EscapeControl("\xc2\x9b" "2J"), "\\u009b2J") << "the one-character CSI (U+009B)";
  EXPECT_EQ(EscapeControl("caf\xc3\xa9 \xe2\x80\x94 ok"), "caf\xc3\xa9 \xe2\x80\x94 ok") << "printable UTF-8 is kept";
  InputError e;
  e.file = "events.csv";
  e.line = 2;
  e.field = "account_id";
  e.problem = std::string("account_id 'x\x1b]0;pwned\x07\0tail' is not in the accounts file", 51);
  const std::string s = e.ToString();
  EXPECT_EQ(s.find('\x1b'), std::string::npos) << s;
  EXPECT_EQ(s.find('\0'), std::string::npos) << "a NUL would cut the message where it is printed";
  EXPECT_NE(s.find("\\0tail"), std::string::npos) << "the text after the NUL is shown: " << s;
}

Dataset LoadTiny() {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadLockstepDirectory(fmt::format("{}/examples/tiny", LOCKSTEP_SOURCE_DIR), {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return std::move(ds).value();
}

std::string WithChecksum(std::string file) {
  const uint64_t sum = XXH3_64bits(file.data() + 32, file.size() - 32);
  std::memcpy(file.data() + 24, &sum, sizeof sum);
  return file;
}

// Issue 17 item 2: a valid checksum over events out of time order (or
// times outside the window) loaded, and detect crashed in
// PostingRhythmSignal. The loader refuses them and says why.
TEST(SnapshotInvariants, RefusesEventsOutOfOrderOrOutOfTheWindow) {
  TempDir dir;
  const Dataset ds = LoadTiny();
  ASSERT_GE(ds.events.size(), 2u);
  ASSERT_LT(ds.events.time.front(), ds.events.time.back()) << "the example spans more than one instant";
  const std::string path = dir / "s.snap";
  ASSERT_TRUE(SaveSnapshot(ds, path).ok());
  const std::string good = testing::ReadFile(path);
  // The time column as it stands in the file: its element count, then the values.
  std::string column(sizeof(uint64_t), '\0');
  const uint64_t n = ds.events.size();
  std::memcpy(column.data(), &n, sizeof n);
  column.append(reinterpret_cast<const char*>(ds.events.time.data()), n * sizeof(int64_t));
  const size_t at = good.find(column);
  ASSERT_NE(at, std::string::npos) << "the time column is in the file";
  const size_t first = at + sizeof(uint64_t);

  std::string swapped = good;
  const int64_t last = ds.events.time.back();
  std::memcpy(swapped.data() + first, &last, sizeof last);  // the first event now comes last in time
  testing::WriteFile(path, WithChecksum(swapped));
  auto r = LoadSnapshot(path);
  ASSERT_FALSE(r.ok()) << "events out of time order";
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(r.status().message().find("not in time order"), std::string::npos) << r.status().message();

  std::string ancient = good;
  const int64_t min = INT64_MIN;
  std::memcpy(ancient.data() + first, &min, sizeof min);  // still sorted, but no platform's time
  testing::WriteFile(path, WithChecksum(ancient));
  auto w = LoadSnapshot(path);
  ASSERT_FALSE(w.ok()) << "a time outside the window";
  EXPECT_NE(w.status().message().find("outside the accepted times"), std::string::npos) << w.status().message();
}

// Issue 17 item 21: a snapshot cut to 0 or 4 bytes is a truncated snapshot.
TEST(SnapshotInvariants, ACutHeaderIsATruncatedSnapshot) {
  TempDir dir;
  const std::string path = dir / "s.snap";
  ASSERT_TRUE(SaveSnapshot(LoadTiny(), path).ok());
  const std::string good = testing::ReadFile(path);
  for (size_t size : {0, 4, 20}) {
    testing::WriteFile(path, good.substr(0, size));
    EXPECT_TRUE(IsTruncatedSnapshotHeader(path)) << size;
    auto r = LoadSnapshot(path);
    ASSERT_FALSE(r.ok()) << size;
    EXPECT_EQ(r.status().code(), StatusCode::kCorrupt) << size;
    EXPECT_NE(r.status().message().find("truncated snapshot"), std::string::npos) << r.status().message();
  }
  testing::WriteFile(path, "account_id,time\n");
  EXPECT_FALSE(IsTruncatedSnapshotHeader(path)) << "a CSV is no cut snapshot";
}

// Issue 17 item 14: saving never replaces a device (or FIFO, or directory).
TEST(SnapshotInvariants, SaveWritesOnlyRegularFilesOrNewPaths) {
  const Dataset ds = LoadTiny();
  Status s = SaveSnapshot(ds, "/dev/null");
  EXPECT_FALSE(s.ok()) << "/dev/null is a device";
  EXPECT_NE(s.message().find("not a regular file"), std::string::npos) << s.message();
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "the device is still a device";
  TempDir dir;
  EXPECT_FALSE(SaveSnapshot(ds, dir.path()).ok()) << "a directory";
  EXPECT_FALSE(SaveSnapshot(ds, "").ok()) << "no path";
  EXPECT_TRUE(SaveSnapshot(ds, dir / "new.snap").ok()) << "a new path";
  EXPECT_TRUE(SaveSnapshot(ds, dir / "new.snap").ok()) << "an existing regular file";
}

}  // namespace
}  // namespace lockstep
