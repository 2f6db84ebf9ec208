// Issue 17, items 3, 8 and 20: flag values are checked when the command line
// is parsed. A bad value is a usage error (exit 1) naming the flag, the value
// and what is allowed, before any data is read; an unwritable output is bad
// input (exit 2) naming the flag.
#include <gtest/gtest.h>

#include <string>

#include "lockstep/model/threads.h"
#include "lockstep/signals/object_keys.h"
#include "lockstep/signals/target_similarity.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::RunCommand;
using testing::TempDir;

const std::string kCli = LOCKSTEP_CLI;
const std::string kTiny = std::string(LOCKSTEP_SOURCE_DIR) + "/examples/tiny";

void ExpectUsageError(const std::string& args, const std::vector<std::string>& said) {
  auto r = RunCommand(kCli + " " + args);
  EXPECT_EQ(r.exit_code, 1) << "a usage error: lockstep " << args << "\n" << r.output;
  for (const std::string& s : said)
    EXPECT_NE(r.output.find(s), std::string::npos) << "the message says '" << s << "': " << r.output;
  EXPECT_EQ(r.output.find("terminate"), std::string::npos) << "no abort: " << r.output;
}

TEST(FlagsCli, ThreadsOutOfRangeIsAUsageErrorInEveryCommand) {
  for (const char* command : {"detect", "network", "similarity"}) {
    ExpectUsageError(std::string(command) + " " + kTiny + " --threads 100000", {"--threads", "100000", "[1, 256]"});
    ExpectUsageError(std::string(command) + " " + kTiny + " --threads 0", {"--threads", "0", "[1, 256]"});
  }
}

TEST(FlagsCli, LibraryRefusesSillyThreadCountsInsteadOfAborting) {
  // Creating 100,000 std::threads fails part-way and aborts: the library
  // checks the count first, whoever calls it.
  Dataset ds;
  for (int threads : {0, kMaxThreads + 1, 100000}) {
    auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kShare, nullptr, threads);
    EXPECT_EQ(keys.status().code(), StatusCode::kInvalidArgument) << threads << " threads";
    TargetSimilarityOptions options;
    options.threads = threads;
    TargetSimilaritySignal similarity(ds, options);
    EXPECT_EQ(similarity.Run().code(), StatusCode::kInvalidArgument) << threads << " threads";
  }
  EXPECT_TRUE(CheckThreads(kMaxThreads).ok()) << "the bound itself is allowed";
}

TEST(FlagsCli, NumbersOutOfRangeOrNanAreUsageErrors) {
  ExpectUsageError("detect " + kTiny + " --min-confidence 5", {"--min-confidence", "5", "[0, 1]"});
  ExpectUsageError("detect " + kTiny + " --min-confidence nan", {"--min-confidence", "nan", "[0, 1]"});
  ExpectUsageError("detect " + kTiny + " --fdr 0", {"--fdr", "(0, 1]"});
  ExpectUsageError("network " + kTiny + " --window 99999999999999999999",
                   {"--window", "99999999999999999999", "[0, 31622400]"});
  ExpectUsageError("similarity " + kTiny + " --min-cosine -0.5", {"--min-cosine", "-0.5", "[0, 1]"});
  ExpectUsageError("watch --store x.db " + kTiny + " --min-score 2", {"--min-score", "2", "[0, 1]"});
}

TEST(FlagsCli, NegativePublicFollowersIsRefused) {
  // Issue 17, item 8: -1 used to publish every account's id.
  ExpectUsageError("export somewhere --salt s --public-followers -1", {"--public-followers", "-1", "[0, 10000000000]"});
}

TEST(FlagsCli, UnknownNamesListTheAllowedOnes) {
  ExpectUsageError("network " + kTiny + " --signal co-nothing", {"--signal", "co-nothing", "co-share", "co-like"});
  ExpectUsageError("similarity " + kTiny + " --trace nope", {"--trace", "nope", "retweet-targets", "activity-bins"});
  ExpectUsageError("frobnicate", {"'frobnicate' is not a lockstep command", "detect", "watch"});
  ExpectUsageError("case frob --store x.db", {"'frob' is not a lockstep case command", "list", "remove"});
}

TEST(FlagsCli, UnwritableOutputNamesTheFlag) {
  TempDir dir;
  testing::WriteFile(dir / "file", "x");
  for (const std::string& args :
       {"detect " + kTiny + " --out " + (dir / "file") + "/out", "network " + kTiny + " --out " + (dir / "no/e.csv"),
        "similarity " + kTiny + " --out " + dir.path(), "simulate --out " + (dir / "file")}) {
    auto r = RunCommand(kCli + " " + args);
    EXPECT_EQ(r.exit_code, 2) << "an output that cannot be written is bad input: " << args << "\n" << r.output;
    EXPECT_NE(r.output.find("--out"), std::string::npos) << "the message names the flag: " << r.output;
  }
}

}  // namespace
}  // namespace lockstep
