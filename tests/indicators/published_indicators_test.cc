#include "lockstep/indicators/published_indicators.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ingest/reader_support.h"
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

TEST(ReadStixPattern, OneComparisonOrWhyNot) {
  StixComparison c;
  std::string why;
  ASSERT_EQ(ReadStixPattern("[domain-name:value = 'site.com']", &c, &why), StixPatternShape::kComparison) << why;
  EXPECT_EQ(c.object_type, "domain-name");
  EXPECT_EQ(c.property, "value");
  EXPECT_EQ(c.value, "site.com");
  ASSERT_EQ(ReadStixPattern(R"([url:value='https://x.com/it\'s\\a'])", &c, &why), StixPatternShape::kComparison) << why;
  EXPECT_EQ(c.value, R"(https://x.com/it's\a)") << "\\' and \\\\ are unescaped";
  ASSERT_EQ(ReadStixPattern("([user-account:account_login = 'Troll_1'])", &c, &why), StixPatternShape::kComparison)
      << "outer parentheses change nothing: " << why;
  EXPECT_EQ(c.property, "account_login");
  struct Case {
    std::string pattern, why;
  };
  for (const Case& u : std::vector<Case>{
           {"[domain-name:value = 'a.com' OR domain-name:value = 'b.com']", "AND/OR of several comparisons"},
           {"[domain-name:value = 'a.com'] AND [url:value = 'http://b.com/x']", "several observations"},
           {"[domain-name:value LIKE '%.ru']", "operator LIKE"},
           {"[domain-name:value != 'a.com']", "operator !="},
           {"[ipv4-addr:value ISSUBSET '198.51.100.0/24']", "operator ISSUBSET"},
           {"[domain-name:value = 'a.com'] WITHIN 300 SECONDS", "a qualifier"},
           {"[file:hashes.'SHA-256' = 'aa'] REPEATS 5 TIMES", "a qualifier"},
           {"[network-traffic:dst_port = 443]", "not a string"},
           {"[domain-name:value NOT = 'a.com']", "NOT"},
           {"[email-message:to_refs[*].value IN ('a@b.c', 'd@e.f')]", "operator IN"}}) {
    why.clear();
    EXPECT_EQ(ReadStixPattern(u.pattern, &c, &why), StixPatternShape::kUnsupported) << u.pattern;
    EXPECT_NE(why.find(u.why), std::string::npos) << u.pattern << ": " << why;
  }
  for (std::string_view bad : {"domain-name:value = 'a.com'", "[domain-name:value = 'a.com'", "[domain-name:value = 'a.com]",
                                 "[domain-name:value = ]", "[domain-name:value]", "[url:value = 'a\\b']", "", "[a = 'b' ~]"}) {
    why.clear();
    EXPECT_EQ(ReadStixPattern(bad, &c, &why), StixPatternShape::kInvalid) << bad;
    EXPECT_FALSE(why.empty()) << "an invalid pattern says why: " << bad;
  }
}

// A STIX 2.1 bundle as a partner would publish it: the producer, the
// intrusion-set, a report, indicators of every shape, SCOs and relationships
// (the relationships after the indicators, as STIX allows).
constexpr const char* kBundle = R"({
  "type": "bundle",
  "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
  "objects": [
    {
      "type": "identity", "spec_version": "2.1", "id": "identity--11111111-1111-4111-8111-111111111111",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
      "name": "Example Threat Team", "identity_class": "organization"
    },
    {
      "type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--22222222-2222-4222-8222-222222222222",
      "created_by_ref": "identity--11111111-1111-4111-8111-111111111111",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "Operation Lookalike"
    },
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--33333333-3333-4333-8333-333333333331",
      "created_by_ref": "identity--11111111-1111-4111-8111-111111111111",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
      "name": "spoofed outlet", "description": "a cloned news site",
      "pattern": "[domain-name:value = 'avisindependent.eu']",
      "pattern_type": "stix", "valid_from": "2025-11-02T00:00:00.000Z"
    },
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--33333333-3333-4333-8333-333333333332",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
      "pattern": "[url:value = 'https://lookalike.example/it\\'s']", "pattern_type": "stix",
      "valid_from": "2025-11-02T00:00:00.000Z"
    },
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--33333333-3333-4333-8333-333333333333",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
      "pattern": "[ipv4-addr:value = '192.0.2.44']", "pattern_type": "stix", "valid_from": "2025-11-02T00:00:00.000Z"
    },
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--33333333-3333-4333-8333-333333333334",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
      "pattern": "[user-account:account_login = 'RRN_World']", "pattern_type": "stix",
      "valid_from": "2025-11-02T00:00:00.000Z"
    },
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--33333333-3333-4333-8333-333333333335",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
      "pattern": "[domain-name:value = 'a.example' OR domain-name:value = 'b.example']", "pattern_type": "stix",
      "valid_from": "2025-11-02T00:00:00.000Z"
    },
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--33333333-3333-4333-8333-333333333336",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
      "pattern": "[domain-name:value LIKE '%.example']", "pattern_type": "stix", "valid_from": "2025-11-02T00:00:00.000Z"
    },
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--33333333-3333-4333-8333-333333333337",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
      "pattern": "rule x { condition: true }", "pattern_type": "yara", "valid_from": "2025-11-02T00:00:00.000Z"
    },
    {"type": "domain-name", "spec_version": "2.1", "id": "domain-name--44444444-4444-5444-8444-444444444441", "value": "bild.pics"},
    {"type": "user-account", "spec_version": "2.1", "id": "user-account--44444444-4444-5444-8444-444444444442",
     "user_id": "1234", "account_login": "AishaHadi19", "account_type": "twitter"},
    {"type": "user-account", "spec_version": "2.1", "id": "user-account--44444444-4444-5444-8444-444444444443",
     "user_id": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "account_type": "twitter"},
    {"type": "email-addr", "spec_version": "2.1", "id": "email-addr--44444444-4444-5444-8444-444444444444", "value": "x@y.example"},
    {
      "type": "observed-data", "spec_version": "2.1", "id": "observed-data--55555555-5555-4555-8555-555555555555",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
      "first_observed": "2025-10-01T00:00:00.000Z", "last_observed": "2025-12-01T00:00:00.000Z", "number_observed": 1,
      "object_refs": ["domain-name--44444444-4444-5444-8444-444444444441", "user-account--44444444-4444-5444-8444-444444444442",
                      "user-account--44444444-4444-5444-8444-444444444443"]
    },
    {
      "type": "relationship", "spec_version": "2.1", "id": "relationship--66666666-6666-4666-8666-666666666661",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "relationship_type": "indicates",
      "source_ref": "indicator--33333333-3333-4333-8333-333333333331",
      "target_ref": "intrusion-set--22222222-2222-4222-8222-222222222222"
    },
    {
      "type": "relationship", "spec_version": "2.1", "id": "relationship--66666666-6666-4666-8666-666666666662",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "relationship_type": "related-to",
      "source_ref": "observed-data--55555555-5555-4555-8555-555555555555",
      "target_ref": "intrusion-set--22222222-2222-4222-8222-222222222222"
    },
    {
      "type": "report", "spec_version": "2.1", "id": "report--77777777-7777-4777-8777-777777777777",
      "created_by_ref": "identity--11111111-1111-4111-8111-111111111111",
      "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "Lookalike takedown",
      "published": "2026-01-15T00:00:00.000Z", "report_types": ["threat-actor"],
      "object_refs": ["intrusion-set--22222222-2222-4222-8222-222222222222", "indicator--33333333-3333-4333-8333-333333333331",
                      "indicator--33333333-3333-4333-8333-333333333332"]
    }
  ]
}
)";

// The line of the first occurrence of `needle` in `text`, 1-based.
uint64_t LineOf(const std::string& text, const std::string& needle) {
  const size_t at = text.find(needle);
  return at == std::string::npos ? 0 : 1 + static_cast<uint64_t>(std::count(text.begin(), text.begin() + at, '\n'));
}

// The one helper behind the line of a manifest's error and of a STIX
// object's member (the pattern's line in a pretty-printed bundle).
TEST(LineAtOffset, CountsLineEndsBeforeTheOffset) {
  const std::string text = "{\n  \"type\": \"indicator\",\n  \"pattern\": \"[x]\"\n}";
  EXPECT_EQ(internal::LineAtOffset(text, 0), 1u) << "the first byte is on the first line";
  EXPECT_EQ(internal::LineAtOffset(text, 1), 1u) << "the line end itself is still on its line";
  EXPECT_EQ(internal::LineAtOffset(text, 2), 2u) << "the byte after a line end starts the next line";
  EXPECT_EQ(internal::LineAtOffset(text, text.find("\"pattern\"")), 3u);
  EXPECT_EQ(internal::LineAtOffset(text, text.find("\"pattern\""), 40), 42u)
      << "a record starting on line 40 has its third line on 42";
  EXPECT_EQ(internal::LineAtOffset(text, std::string::npos), 4u) << "past the end: the last line";
  EXPECT_EQ(internal::LineAtOffset("", 5, 7), 7u) << "an empty text is its first line";
}

TEST(ReadPublishedIndicators, StixBundle) {
  testing::TempDir dir;
  const std::string path = Write(dir / "partner.json", kBundle);
  ErrorSink sink;
  Result<IndicatorFile> f = ReadPublishedIndicators(path, &sink);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->layout, IndicatorLayout::kStix);
  std::map<std::string, const PublishedIndicator*> by_value;
  for (const PublishedIndicator& p : f->indicators) by_value[p.value] = &p;
  ASSERT_EQ(f->indicators.size(), 6u) << "4 representable patterns, a domain-name and a user-account with a login";
  const PublishedIndicator* d = by_value["avisindependent.eu"];
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->kind, IndicatorKind::kDomain);
  EXPECT_EQ(d->host, "avisindependent.eu");
  EXPECT_EQ(d->network, "Operation Lookalike, published by Example Threat Team") << "indicates -> intrusion-set";
  EXPECT_EQ(d->date, "2026-01-15") << "the report's publication date";
  EXPECT_EQ(d->comment, "a cloned news site");
  EXPECT_EQ(d->published_type, "domain-name:value");
  EXPECT_EQ(d->source, "partner.json");
  EXPECT_EQ(d->line, LineOf(kBundle, "[domain-name:value = 'avisindependent.eu']")) << "the line of the pattern";
  const PublishedIndicator* u = by_value["https://lookalike.example/it's"];
  ASSERT_NE(u, nullptr) << "the quote is unescaped";
  EXPECT_EQ(u->kind, IndicatorKind::kUrl);
  EXPECT_EQ(u->network, "Operation Lookalike, published by Example Threat Team")
      << "no relationship: the report's intrusion-set";
  ASSERT_NE(by_value["192.0.2.44"], nullptr);
  EXPECT_EQ(by_value["192.0.2.44"]->kind, IndicatorKind::kIp);
  const PublishedIndicator* login = by_value["@RRN_World"];
  ASSERT_NE(login, nullptr);
  EXPECT_EQ(login->kind, IndicatorKind::kAccount);
  EXPECT_EQ(login->handle, "rrn_world");
  const PublishedIndicator* scod = by_value["bild.pics"];
  ASSERT_NE(scod, nullptr);
  EXPECT_EQ(scod->kind, IndicatorKind::kDomain);
  EXPECT_EQ(scod->date, "2025-10-01") << "the observed-data's first observation";
  EXPECT_EQ(scod->network, "Operation Lookalike, published by Example Threat Team")
      << "observed-data related-to the intrusion-set";
  const PublishedIndicator* sco = by_value["https://twitter.com/AishaHadi19"];
  ASSERT_NE(sco, nullptr) << "a user-account SCO with its platform becomes the profile URL";
  EXPECT_EQ(sco->kind, IndicatorKind::kAccount);
  EXPECT_EQ(sco->handle, "aishahadi19");
  EXPECT_EQ(SocialPlatform(sco->host), "twitter");
  // Nothing dropped silently.
  EXPECT_EQ(f->skipped.at("AND/OR of several comparisons"), 1u);
  EXPECT_EQ(f->skipped.at("operator LIKE"), 1u);
  EXPECT_EQ(f->skipped.at("pattern_type yara"), 1u);
  EXPECT_EQ(f->skipped.at("user-account with a hashed user_id only"), 1u);
  EXPECT_EQ(f->skipped.at("object email-addr"), 1u);
  EXPECT_EQ(sink.total(), 0u);

  // The same bundle on one line reads the same.
  std::string flat = kBundle;
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  ErrorSink sink2;
  f = ReadPublishedIndicators(Write(dir / "flat.json", flat), &sink2);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->indicators.size(), 6u);
}

TEST(ReadPublishedIndicators, BadStixBundlesNameFileLineFieldAndFix) {
  testing::TempDir dir;
  struct Case {
    std::string object, field, problem;
    uint64_t line;  // of the object (line 4) or of its member at fault
  };
  const std::string head = "{\"type\": \"bundle\", \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\n\"objects\": [\n"
                           "{\"type\": \"indicator\", \"id\": \"indicator--1\", \"pattern\": \"[domain-name:value = 'ok.example']\"},\n";
  for (const Case& c : std::vector<Case>{
           {"{\"type\": \"indicator\", \"id\": \"indicator--2\",\n \"name\": \"x\"}", "objects[1].pattern", "no pattern", 4},
           {"{\"type\": \"indicator\", \"id\": \"indicator--2\",\n \"pattern\": \"[domain-name:value = 'x.com'\"}",
            "objects[1].pattern", "not closed", 5},
           {"{\"type\": \"indicator\", \"id\": \"indicator--2\",\n \"pattern\": \"[domain-name:value = 'not a domain']\"}",
            "objects[1].pattern", "reads as text", 5},
           {"{\"type\": \"domain-name\", \"id\": \"domain-name--2\",\n \"value\": \"https://site.example/page\"}", "objects[1].value",
            "reads as url", 5},
           {"{\"id\": \"indicator--2\",\n \"pattern\": \"[domain-name:value = 'x.com']\"}", "objects[1].type", "no type", 4}}) {
    const std::string path = Write(dir / "bad.json", head + c.object + "\n]}\n");
    ErrorSink sink;
    Result<IndicatorFile> f = ReadPublishedIndicators(path, &sink);
    ASSERT_FALSE(f.ok()) << c.object;
    const InputError* e = sink.first();
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->file, path);
    EXPECT_EQ(e->field, c.field) << c.object;
    EXPECT_NE(e->problem.find(c.problem), std::string::npos) << e->problem;
    EXPECT_FALSE(e->fix.empty()) << "every error says how to fix it";
    EXPECT_EQ(e->line, c.line) << "the object's line, or its member's: " << e->ToString();
    // Skipped under --on-error skip: the good indicator stays.
    ErrorSink skip(ErrorPolicy::kSkip);
    f = ReadPublishedIndicators(path, &skip);
    ASSERT_TRUE(f.ok()) << f.status().message();
    ASSERT_EQ(f->indicators.size(), 1u);
    EXPECT_EQ(f->indicators[0].value, "ok.example");
    EXPECT_EQ(skip.total(), 1u);
  }
  // Cut off inside the objects array.
  ErrorSink sink;
  Result<IndicatorFile> f = ReadPublishedIndicators(Write(dir / "cut.json", head), &sink);
  EXPECT_FALSE(f.ok()) << "a bundle cut off is an error";
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
