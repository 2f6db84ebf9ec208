#include "lockstep/indicators/published_indicators.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_util.h"

namespace lockstep {
namespace {

namespace fs = std::filesystem;

TEST(Refang, RestoresDefangedValues) {
  EXPECT_EQ(Refang("site[.]com"), "site.com");
  EXPECT_EQ(Refang("hxxps://www[.]site[.]co[.]uk/a?b=c"), "https://www.site.co.uk/a?b=c");
  EXPECT_EQ(Refang("hXXp://x(.)org"), "http://x.org") << "any case, round brackets";
  EXPECT_EQ(Refang("  `news{.}example[dot]net`  "), "news.example.net") << "backticks and spaces go";
  EXPECT_EQ(Refang("user[@]mail[.]ru"), "user@mail.ru");
  EXPECT_EQ(Refang("https[:]//a[.]b/c"), "https://a.b/c");
  EXPECT_EQ(Refang("avisindependent.eu"), "avisindependent.eu") << "an undefanged value is left alone";
  EXPECT_EQ(Refang("Nothxxp here"), "Nothxxp here") << "hxxp inside a word is not a scheme";
}

TEST(ClassifyIndicator, TellsDomainsUrlsAccountsAndText) {
  std::string host, handle;
  EXPECT_EQ(ClassifyIndicator("la-sante.press", &host), IndicatorKind::kDomain);
  EXPECT_EQ(host, "la-sante.press");
  EXPECT_EQ(ClassifyIndicator("vozanoticias.medium.com", &host), IndicatorKind::kDomain);
  EXPECT_EQ(ClassifyIndicator("https://www.petice.com/poadavek", &host), IndicatorKind::kUrl);
  EXPECT_EQ(host, "petice.com");
  EXPECT_EQ(ClassifyIndicator("twitter.com/AishaHadi19", &host, &handle), IndicatorKind::kAccount);
  EXPECT_EQ(host, "twitter.com");
  EXPECT_EQ(handle, "aishahadi19");
  EXPECT_EQ(ClassifyIndicator("https://www.youtube.com/@studio.troops", nullptr, &handle), IndicatorKind::kAccount);
  EXPECT_EQ(handle, "studio.troops");
  EXPECT_EQ(ClassifyIndicator("https://t.me/milano_vs", nullptr, &handle), IndicatorKind::kAccount);
  EXPECT_EQ(handle, "milano_vs");
  EXPECT_EQ(ClassifyIndicator("https://twitter.com/someone/status/123"), IndicatorKind::kUrl) << "a post, not a profile";
  EXPECT_EQ(ClassifyIndicator("@rrn_world", nullptr, &handle), IndicatorKind::kAccount);
  EXPECT_EQ(handle, "rrn_world");
  EXPECT_EQ(ClassifyIndicator("#americathethief"), IndicatorKind::kHashtag);
  EXPECT_EQ(ClassifyIndicator("192.0.2.44"), IndicatorKind::kIp);
  EXPECT_EQ(ClassifyIndicator("7,704 Facebook accounts"), IndicatorKind::kCount);
  EXPECT_EQ(ClassifyIndicator("About 3,100 accounts followed one or more"), IndicatorKind::kCount);
  EXPECT_EQ(ClassifyIndicator("Posing as Sikh Activists"), IndicatorKind::kText);
  EXPECT_EQ(ClassifyIndicator("yerli-media"), IndicatorKind::kText) << "no dot: not a domain";
}

TEST(ParseSourceName, NamesNetworkAndPeriod) {
  SourceName s = ParseSourceName("/x/csv/Q2_2023/Q2_2023_Doppelganger_Russia_based_CIB_network_updated.csv");
  EXPECT_EQ(s.period, "Q2 2023");
  EXPECT_EQ(s.network, "Doppelganger Russia based CIB network updated");
  s = ParseSourceName("Q4-1_2026_GithubIOCs - H1_2026_IRAN_BASED_CIB_NETWORK_1.csv");
  EXPECT_EQ(s.period, "H1 2026") << "the last period named is the report's";
  EXPECT_EQ(s.network, "IRAN BASED CIB NETWORK 1");
  s = ParseSourceName("2022_09_removing_coordinated_inauthentic_behavior_from_china_and_russia.json");
  EXPECT_EQ(s.period, "2022-09");
  EXPECT_EQ(s.network, "removing coordinated inauthentic behavior from china and russia");
}

std::string Write(const std::string& path, const std::string& text) {
  testing::WriteFile(path, text);
  return path;
}

TEST(ReadPublishedIndicators, KillChainWithBomSpacesAndDefanging) {
  testing::TempDir dir;
  const std::string path = Write(dir / "Q1_2024_TEST_BASED_CIB_NETWORK.csv",
                                 "\xEF\xBB\xBFTactic ,Technique , Procedure,Indicator,Notes\r\n"
                                 "0. Acquiring assets,0.6 Acquiring domains,0.6.2 Acquiring domains,news[.]example,spoof\r\n"
                                 ",,,,\r\n"
                                 "0. Acquiring assets,0.9 Acquiring accounts,0.9.4 Acquiring X / Twitter accounts,"
                                 "hxxps://x[.]com/Someone_1,\r\n"
                                 "0. Acquiring assets,0.9 Acquiring accounts,0.9.1 Acquiring Facebook assets,37 accounts,\r\n");
  ErrorSink sink;
  Result<IndicatorFile> f = ReadPublishedIndicators(path, &sink);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->layout, IndicatorLayout::kKillChain);
  ASSERT_EQ(f->indicators.size(), 3u);
  EXPECT_EQ(f->rows_without_indicator, 1u);
  const PublishedIndicator& d = f->indicators[0];
  EXPECT_EQ(d.kind, IndicatorKind::kDomain);
  EXPECT_EQ(d.value, "news.example");
  EXPECT_EQ(d.procedure, "0.6.2 Acquiring domains");
  EXPECT_EQ(d.tactic, "0. Acquiring assets");
  EXPECT_EQ(d.comment, "spoof");
  EXPECT_EQ(d.network, "TEST BASED CIB NETWORK");
  EXPECT_EQ(d.date, "Q1 2024");
  EXPECT_EQ(d.line, 2u);
  EXPECT_EQ(f->indicators[1].kind, IndicatorKind::kAccount);
  EXPECT_EQ(f->indicators[1].value, "https://x.com/Someone_1");
  EXPECT_EQ(f->indicators[1].handle, "someone_1");
  EXPECT_EQ(f->indicators[2].kind, IndicatorKind::kCount);
}

TEST(ReadPublishedIndicators, ListAsTsvAndJsonLines) {
  testing::TempDir dir;
  const std::string tsv = Write(dir / "list.tsv",
                                "indicator_type\tindicator_value\tcomment\tds\n"
                                "domain_name\tbild[.]pics\tGermany-targeting\t2022-09-27\n"
                                "cib_url\thxxps://t[.]me/milano_vs\tTelegram\t2022-09-27\n");
  ErrorSink sink;
  Result<IndicatorFile> f = ReadPublishedIndicators(tsv, &sink);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->layout, IndicatorLayout::kList);
  ASSERT_EQ(f->indicators.size(), 2u);
  EXPECT_EQ(f->indicators[0].value, "bild.pics");
  EXPECT_EQ(f->indicators[0].published_type, "domain_name");
  EXPECT_EQ(f->indicators[0].date, "2022-09-27");
  EXPECT_EQ(f->indicators[0].line, 2u);
  EXPECT_EQ(f->indicators[1].kind, IndicatorKind::kAccount);
  const std::string jsonl = Write(dir / "list.jsonl",
                                  "{\"indicator_type\":\"domain_name\",\"indicator_value\":\"rrn[.]world\","
                                  "\"comment\":\"c\",\"ds\":\"2022-09-27\"}\n");
  ErrorSink sink2;
  f = ReadPublishedIndicators(jsonl, &sink2);
  ASSERT_TRUE(f.ok()) << f.status().message();
  ASSERT_EQ(f->indicators.size(), 1u);
  EXPECT_EQ(f->indicators[0].value, "rrn.world");
}

TEST(ReadPublishedIndicators, BadFilesNameFileLineFieldAndProblem) {
  testing::TempDir dir;
  {
    const std::string path = Write(dir / "bad.json",
                                   "[{\"indicator_type\":\"domain_name\",\"indicator_value\":\"ok[.]com\"},\n"
                                   " {\"indicator_type\":\"domain_name\",\"indicator_value\":\"not a domain\"}]\n");
    ErrorSink sink;
    Result<IndicatorFile> f = ReadPublishedIndicators(path, &sink);
    ASSERT_FALSE(f.ok());
    const InputError* e = sink.first();
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->file, path);
    EXPECT_EQ(e->line, 2u);
    EXPECT_EQ(e->field, "[1].indicator_value");
    EXPECT_NE(e->problem.find("not a domain"), std::string::npos) << e->problem;
    EXPECT_NE(f.status().message().find("bad.json:2"), std::string::npos) << f.status().message();
  }
  {
    const std::string path = Write(dir / "bad.csv", "name,value\na,b\n");
    ErrorSink sink;
    Result<IndicatorFile> f = ReadPublishedIndicators(path, &sink);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(sink.first()->kind, InputErrorKind::kMissingColumn);
    EXPECT_NE(sink.first()->problem.find("Indicator"), std::string::npos);
  }
  {
    const std::string path = Write(dir / "bad2.csv",
                                   "Tactic,Technique,Procedure,Indicator\n"
                                   "0. A,0.6 B,0.6.2 C,ok[.]com\n"
                                   "0. A,0.6 B,,kept[.]com\n"
                                   ",,,orphan[.]com\n");
    ErrorSink sink;
    Result<IndicatorFile> f = ReadPublishedIndicators(path, &sink);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(sink.first()->line, 4u) << "a row without procedure but with its technique is kept";
    EXPECT_EQ(sink.first()->field, "Procedure");
    ErrorSink skip(ErrorPolicy::kSkip);
    f = ReadPublishedIndicators(path, &skip);
    ASSERT_TRUE(f.ok()) << "skip policy keeps the good rows";
    EXPECT_EQ(f->indicators.size(), 2u);
    EXPECT_EQ(skip.total(), 1u);
  }
  {
    ErrorSink sink;
    Result<IndicatorFile> f = ReadPublishedIndicators(dir / "missing.csv", &sink);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.status().code(), StatusCode::kIoError);
  }
}

// --- the published files, against counts computed here independently -------

// Cells of a CSV text (RFC 4180), rows of cells: the test's own reader.
std::vector<std::vector<std::string>> SplitCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n') {
      rows.back().push_back(std::move(cell));
      cell.clear();
      rows.emplace_back();
    } else if (c != '\r') {
      cell.push_back(c);
    }
  }
  if (!cell.empty() || !rows.back().empty()) rows.back().push_back(cell);
  return rows;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// The oracle's classes: domain, link (URL or account), hashtag, ip, other.
std::string OracleClass(std::string v) {
  v = std::regex_replace(v, std::regex(R"(\[\.\])"), ".");
  v = std::regex_replace(v, std::regex(R"(\[:\])"), ":");
  v = std::regex_replace(v, std::regex("^hxxp", std::regex::icase), "http");
  static const std::regex domain(R"(^([A-Za-z0-9_\-]+\.)+[A-Za-z]{2,}/?$)");
  static const std::regex link(R"(^(https?://)?([A-Za-z0-9_\-]+\.)+[A-Za-z]{2,}(:\d+)?/\S+$)", std::regex::icase);
  static const std::regex scheme(R"(^https?://\S+$)", std::regex::icase);
  static const std::regex hashtag(R"(^#\S+$)");
  static const std::regex ip(R"(^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$)");
  if (std::regex_match(v, ip)) return "ip";
  if (std::regex_match(v, domain)) return "domain";
  if (std::regex_match(v, link) || std::regex_match(v, scheme)) return "link";
  if (std::regex_match(v, hashtag)) return "hashtag";
  return "other";
}

std::map<std::string, size_t> OracleCounts(const fs::path& p) {
  std::map<std::string, size_t> n;
  const std::string text = Slurp(p);
  const std::string ext = p.extension().string();
  // Lists and pages declare each value's type: count by the declaration.
  auto declared = [](std::string type) -> std::string {
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (type.find("domain") != std::string::npos) return "domain";
    if (type.find("url") != std::string::npos || type.find("account") != std::string::npos) return "link";
    if (type.find("ip") != std::string::npos) return "ip";
    return "other";
  };
  if (ext == ".json") {
    static const std::regex type(R"re("indicator_type"\s*:\s*"([^"]*)")re");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), type); it != std::sregex_iterator(); ++it)
      ++n[declared((*it)[1].str())];
    return n;
  }
  if (ext == ".md") {
    static const std::regex row(R"(^\|\s*([^|]+?)\s*\|\s*`?([^|`]+?)`?\s*\|\s*$)");
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_match(line, m, row) || m[1] == "Indicator Type" || m[1].str().starts_with(":--")) continue;
      ++n[declared(m[1].str())];
    }
    return n;
  }
  const auto rows = SplitCsv(text);
  size_t col = SIZE_MAX;
  for (size_t c = 0; c < rows[0].size(); ++c)
    if (Trimmed(rows[0][c]) == "Indicator") col = c;
  EXPECT_NE(col, SIZE_MAX) << p;
  for (size_t r = 1; r < rows.size(); ++r) {
    if (col >= rows[r].size()) continue;
    const std::string cell = Trimmed(rows[r][col]);
    if (cell.empty()) continue;
    // Several one-word lines are several indicators.
    std::vector<std::string> lines;
    std::istringstream in(cell);
    std::string l;
    bool words = true;
    while (std::getline(in, l))
      if (!Trimmed(l).empty()) {
        lines.push_back(Trimmed(l));
        words = words && lines.back().find(' ') == std::string::npos;
      }
    if (lines.size() > 1 && words)
      for (const std::string& one : lines) ++n[OracleClass(one)];
    else
      ++n[OracleClass(cell)];
  }
  return n;
}

TEST(ReadPublishedIndicators, EveryMetaFileImportsWithItsCounts) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is absent";
  const fs::path root = fs::path(LOCKSTEP_SHARED_DATA) / "meta_threat_research" / "indicators";
  ASSERT_TRUE(fs::exists(root));
  size_t files = 0, total = 0;
  std::map<std::string, size_t> all;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const fs::path& p = entry.path();
    ErrorSink sink;
    Result<IndicatorFile> f = ReadPublishedIndicators(p.string(), &sink);
    ASSERT_TRUE(f.ok()) << p << ": " << f.status().message();
    std::map<std::string, size_t> got;
    for (const PublishedIndicator& i : f->indicators) {
      std::string cls = i.kind == IndicatorKind::kUrl || i.kind == IndicatorKind::kAccount ? "link"
                        : i.kind == IndicatorKind::kCount || i.kind == IndicatorKind::kText
                            ? "other"
                            : std::string(Name(i.kind));
      ++got[cls];
      EXPECT_EQ(i.value.find("[.]"), std::string::npos) << p << ":" << i.line << " " << i.value;
      EXPECT_FALSE(i.value.starts_with("hxxp")) << p << ":" << i.line;
      EXPECT_EQ(i.source, p.filename().string());
      EXPECT_FALSE(i.network.empty()) << p;
      EXPECT_FALSE(i.date.empty()) << p;
      if (i.kind == IndicatorKind::kDomain || i.kind == IndicatorKind::kUrl || i.kind == IndicatorKind::kAccount) {
        EXPECT_FALSE(i.host.empty()) << p << ":" << i.line << " " << i.value;
      }
    }
    const std::map<std::string, size_t> want = OracleCounts(p);
    EXPECT_EQ(got, want) << p;
    for (const auto& [k, v] : got) all[k] += v, total += v;
  }
  EXPECT_GT(files, 50u) << "the published set holds some sixty files";
  EXPECT_GT(all["domain"], 6000u);
  EXPECT_GT(total, 8000u);
  std::printf("%zu files, %zu indicators: %zu domains, %zu links, %zu hashtags, %zu ips, %zu other\n", files, total,
              all["domain"], all["link"], all["hashtag"], all["ip"], all["other"]);
}

}  // namespace
}  // namespace lockstep
