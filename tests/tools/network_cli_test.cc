// lockstep network as a user meets it: the edge list written, read back.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "test_util.h"

namespace lockstep {
namespace {

using testing::RunCommand;
using testing::TempDir;
using testing::WriteFile;

const std::string kCli = LOCKSTEP_CLI;

// RFC 4180 lines of unquoted or quoted cells (no line breaks inside).
std::vector<std::string> CsvCells(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

using Edges = std::map<std::pair<std::string, std::string>, long>;

// account_a,account_b,weight as lockstep network writes it; `header` gets the first line.
Edges ReadEdges(const std::string& path, std::string* header) {
  std::ifstream in(path);
  Edges edges;
  std::getline(in, *header);
  for (std::string line; std::getline(in, line);) {
    const std::vector<std::string> cells = CsvCells(line);
    EXPECT_EQ(cells.size(), 3u) << line;
    if (cells.size() == 3) edges[{cells[0], cells[1]}] = std::stol(cells[2]);
  }
  return edges;
}

// Runs `lockstep network SHARES --format coortweet --signal co-share FLAGS`
// with SHARES holding `table`, into dir/e.csv; `output` gets what it printed.
int CoShare(const TempDir& dir, const std::string& table, const std::string& flags, std::string* output) {
  WriteFile(dir / "shares.csv", table);
  auto r = RunCommand(kCli + " network " + (dir / "shares.csv") + " --format coortweet --signal co-share " + flags +
                      " --out " + (dir / "e.csv"));
  *output = r.output;
  return r.exit_code;
}

TEST(NetworkCli, CoShareEdgesEqualTheQutToolkitsOnRealData) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is not beside the checkout";
  TempDir dir;
  // Unquoted, as most share tables are: the plain-share fast path.
  std::string plain = testing::ReadFile(testing::SharedData("coortweet/russian_coord_tweets.csv"));
  std::erase(plain, '"');
  std::string output;
  ASSERT_EQ(CoShare(dir, plain, "--window 60 --weight messages", &output), 0) << output;
  std::string header;
  const Edges ours = ReadEdges(dir / "e.csv", &header);
  EXPECT_EQ(header, "account_a,account_b,weight");
  std::string oracle_header;
  const Edges qut =
      ReadEdges(std::string(LOCKSTEP_SOURCE_DIR) + "/tests/data/oracles/qut_russian_coretweet_w60.csv", &oracle_header);
  ASSERT_EQ(qut.size(), 12412u);
  EXPECT_TRUE(ours == qut) << ours.size() << " edges written, " << qut.size() << " in the QUT toolkit's output";
  EXPECT_NE(output.find("12412 edges (directed)"), std::string::npos) << output;
}

TEST(NetworkCli, AccountIdsOfAnyLengthAndWithCommasReadBack) {
  TempDir dir;
  // Three accounts share one post within a second: ids short, exactly 16
  // bytes with the comma, long, and needing quotes (a comma, a quote).
  const std::string shortest = "a", sixteen = "abcdefghijklmno", long_id = std::string(40, 'x') + "1";
  std::string table = "object_id,account_id,content_id,timestamp_share\n";
  table += "p1," + shortest + ",c1,1623881000\n";
  table += "p1," + sixteen + ",c2,1623881000\n";
  table += "p1," + long_id + ",c3,1623881001\n";
  table += "p1,\"we, \"\"the people\"\"\",c4,1623881001\n";
  std::string output;
  ASSERT_EQ(CoShare(dir, table, "--window 5 --weight pairs", &output), 0) << output;
  std::string header;
  const Edges edges = ReadEdges(dir / "e.csv", &header);
  const std::vector<std::string> ids = {shortest, sixteen, long_id, "we, \"the people\""};
  Edges expected;
  for (size_t i = 0; i < ids.size(); ++i)
    for (size_t j = i + 1; j < ids.size(); ++j) expected[{ids[i], ids[j]}] = 1;
  EXPECT_TRUE(edges == expected) << testing::ReadFile(dir / "e.csv");
}

}  // namespace
}  // namespace lockstep
