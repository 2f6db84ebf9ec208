// The report: statistics of a hand-made network, golden Markdown and JSON,
// the same report from memory and from a detection directory, and escaping
// of a hostile post.
#include "lockstep/report/report.h"

#include <cstdlib>
#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "lockstep/detect/output.h"
#include "lockstep/report/escape.h"
#include "lockstep/report/report_input.h"
#include "report/report_fixture.h"

namespace lockstep {
namespace {

using testing::HostileText;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

const std::string kGoldenDir = std::string(LOCKSTEP_SOURCE_DIR) + "/tests/golden/report";

// Rounds every decimal number in `text` to 2 decimals, so golden files do not
// break on the last digit of a floating-point sum.
std::string RoundNumbers(const std::string& text) {
  static const std::regex kDecimal(R"((-?\d+)\.(\d+)(e[-+]?\d+)?)");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), kDecimal);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out.append(text, last, it->position() - last);
    const double v = std::strtod(it->str().c_str(), nullptr);
    out += it->str(3).empty() ? fmt::format("{:.2f}", v) : fmt::format("{:.2e}", v);
    last = it->position() + it->length();
  }
  out.append(text, last, std::string::npos);
  return out;
}

void CompareWithGolden(const std::string& name, const std::string& actual) {
  const std::string path = kGoldenDir + "/" + name;
  if (const char* update = std::getenv("LOCKSTEP_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
    WriteFile(path, actual);
    GTEST_SKIP() << "rewrote " << path;
  }
  const std::string expected = ReadFile(path);
  ASSERT_FALSE(expected.empty()) << path << " is missing; run with LOCKSTEP_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(RoundNumbers(actual), RoundNumbers(expected))
      << name << " differs from the golden file; if the change is intended, rerun with LOCKSTEP_UPDATE_GOLDEN=1 "
      << "and review the diff of " << path;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteReportDataset(data_.path());
    ds_ = testing::LoadReportDataset(data_.path());
    detection_ = testing::HandMadeDetection(ds_);
    options_.data_label = "hand-made test set";
  }
  TempDir data_;
  Dataset ds_;
  Detection detection_;
  ReportOptions options_;
};

TEST_F(ReportTest, StatisticsOfTheNetwork) {
  const NetworkStats s = ComputeNetworkStats(ds_, detection_.networks[0]);
  EXPECT_EQ(s.presence_sentence,
            "Presence on Facebook, Instagram and Twitter: 3 accounts, 1 Page, 1 Group, 2 Instagram accounts and "
            "1 Twitter account")
      << "Meta's wording: Facebook first, Instagram accounts counted apart";
  EXPECT_EQ(s.accounts, 4u) << "fb1..fb3 and the Twitter account";
  EXPECT_EQ(s.pages, 1u) << "pg1";
  EXPECT_EQ(s.groups, 1u) << "gr1";
  EXPECT_EQ(s.instagram_accounts, 2u) << "ig1, ig2";
  EXPECT_EQ(s.page_followers, 15000) << "followers of the one Page";
  EXPECT_EQ(s.group_members, 2300) << "members of the one Group";
  EXPECT_EQ(s.instagram_followers, 2000) << "800 + 1200";
  ASSERT_EQ(s.ad_spend.size(), 2u) << "USD and RUB; the authentic account's EUR is not the network's";
  EXPECT_EQ(s.ad_spend[0].first, "RUB") << "largest amount first";
  EXPECT_DOUBLE_EQ(s.ad_spend[1].second, 150.0) << "100.50 + 49.50 USD";
  EXPECT_EQ(s.ads, 3u) << "three ads by members";
  EXPECT_EQ(s.events, 13u) << "every event but the authentic account's";
  ASSERT_EQ(s.events_by_month.size(), 3u) << "September to November";
  EXPECT_EQ(s.events_by_month[0], (std::pair<std::string, uint64_t>{"2020-09", 9})) << "nine events in September";
  EXPECT_EQ(s.events_by_month[2].second, 2u) << "two shares in November";
  ASSERT_EQ(s.created_by_year.size(), 3u) << "2018 to 2020, every year";
  EXPECT_EQ(s.created_by_year[1], (std::pair<std::string, uint64_t>{"2019", 4})) << "fb1, fb2, gr1, tw1";
  EXPECT_EQ(s.created_unknown, 1u) << "ig2 has no creation date";
  EXPECT_TRUE(s.inferred_time_zone) << "the network has an offset";
  EXPECT_EQ(s.time_zone, "UTC+03:00 (inferred, confidence 0.78)") << "says which zone and that it is inferred";
  // 2020-09-01 was a Tuesday; 06:00Z is 09:00 at UTC+3.
  EXPECT_EQ(s.weekday_hour[1][9], 3u) << "the three copied posts at 09:00 local on Tuesday";
  EXPECT_EQ(s.weekday_hour[1][6], 0u) << "not at the UTC hour";
  ASSERT_EQ(s.infrastructure.size(), 2u) << "a shared IP and a shared device; device-B is used by one member only";
  EXPECT_EQ(s.infrastructure[0].kind, "ip") << "InfraKind order";
  EXPECT_EQ(s.infrastructure[0].members, 3u) << "fb1..fb3 on 203.0.113.7";
  EXPECT_EQ(s.infrastructure[1].top[0].name, "device-A") << "the shared device";
  ASSERT_FALSE(s.top_domains.empty()) << "recomputed when the network has none";
  EXPECT_EQ(s.top_domains[0].name, "truth-news.example") << "www. folded into the domain";
  EXPECT_EQ(s.top_domains[0].count, 4u) << "three copies and the Page's link";
  EXPECT_EQ(s.top_hashtags[0].name, "stopthelaw") << "the campaign hashtag";
  ASSERT_FALSE(s.samples.empty()) << "posts with text exist";
  EXPECT_EQ(s.samples[0].text, "Vote against the new law") << "the most copied text first";
  EXPECT_EQ(s.samples[0].copies, 3u) << "three copies";
  EXPECT_EQ(s.samples[0].accounts, 3u) << "by three accounts";
  EXPECT_EQ(s.samples[0].handle, "anna_k") << "the first poster";
  // Edges: fb1-fb2 share e1, e10; IP; device.
  bool fb1_fb2 = false;
  for (const MemberEdge& e : s.edges) {
    const std::string a(ds_.AccountId(detection_.networks[0].members[e.a]));
    const std::string b(ds_.AccountId(detection_.networks[0].members[e.b]));
    if ((a == "fb1" && b == "fb2") || (a == "fb2" && b == "fb1")) {
      fb1_fb2 = true;
      EXPECT_DOUBLE_EQ(e.weight, 4.0) << "two shared targets, one IP, one device";
    }
  }
  EXPECT_TRUE(fb1_fb2) << "fb1 and fb2 are linked";
}

TEST_F(ReportTest, NoTimeZoneEvidenceMeansUtcAndSaysSo) {
  detection_.networks[0].utc_offset.reset();
  const NetworkStats s = ComputeNetworkStats(ds_, detection_.networks[0]);
  EXPECT_EQ(s.time_zone, "UTC (no time-zone evidence)") << "the reader must know the clock is not the operators'";
  EXPECT_EQ(s.weekday_hour[1][6], 3u) << "the copies at 06:00 UTC";
}

TEST_F(ReportTest, GoldenMarkdown) {
  CompareWithGolden("report.md", RenderMarkdown(BuildReport(ds_, detection_, options_)));
}

TEST_F(ReportTest, GoldenJson) {
  CompareWithGolden("report.json", RenderJson(BuildReport(ds_, detection_, options_)));
}

TEST_F(ReportTest, SameReportFromMemoryAndFromTheDetectionDirectory) {
  TempDir out;
  ASSERT_TRUE(WriteNetworksJson(ds_, detection_, out / "networks.json").ok()) << "detect's writer";
  ASSERT_TRUE(WriteAssignments(ds_, detection_, out / "assignments.csv").ok()) << "detect's writer";
  ASSERT_TRUE(WriteRunManifest(out.path(), data_.path(), "auto").ok()) << "the manifest";
  auto run = LoadStoredRun(out.path());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->manifest.data_path, std::filesystem::path(data_.path()).lexically_normal().string())
      << "run.json names the data";
  const Report from_memory = BuildReport(ds_, detection_, options_);
  const Report from_dir = BuildReport(run->dataset, run->detection, options_);
  EXPECT_EQ(RenderHtml(from_memory), RenderHtml(from_dir)) << "HTML: both paths give the same bytes";
  EXPECT_EQ(RenderMarkdown(from_memory), RenderMarkdown(from_dir)) << "Markdown: same bytes";
  EXPECT_EQ(RenderJson(from_memory), RenderJson(from_dir)) << "JSON: same bytes";
  EXPECT_EQ(RenderAccountsCsv(from_memory), RenderAccountsCsv(from_dir)) << "accounts.csv: same bytes";
}

TEST_F(ReportTest, LoadingWithTheWrongDataNamesTheMissingAccount) {
  TempDir out, other;
  ASSERT_TRUE(WriteNetworksJson(ds_, detection_, out / "networks.json").ok()) << "detect's writer";
  WriteFile(other / "accounts.csv", "account_id\nzz\n");
  WriteFile(other / "events.csv", "account_id,time,type\nzz,2020-01-01,post\n");
  auto run = LoadStoredRun(out.path(), other.path(), "auto");
  ASSERT_FALSE(run.ok()) << "members are not in that data set";
  EXPECT_NE(run.status().message().find("fb1"), std::string::npos) << run.status().message();
}

TEST_F(ReportTest, MissingManifestSaysWhatToDo) {
  TempDir out;
  auto run = LoadStoredRun(out.path());
  ASSERT_FALSE(run.ok()) << "no run.json";
  EXPECT_NE(run.status().message().find("--data"), std::string::npos) << run.status().message();
}

TEST_F(ReportTest, WritesEveryFormat) {
  TempDir out;
  ASSERT_TRUE(WriteReport(BuildReport(ds_, detection_, options_), out.path()).ok()) << "writes";
  for (const char* name : kReportFiles)
    EXPECT_TRUE(std::filesystem::file_size(out / name) > 0) << name << " written and not empty";
  const std::string gexf = ReadFile(out / "graph.gexf");
  for (const char* attribute : {"network", "score", "platform", "kind"})
    EXPECT_NE(gexf.find(fmt::format("title=\"{}\"", attribute)), std::string::npos) << "GEXF declares " << attribute;
  EXPECT_NE(ReadFile(out / "graph.graphml").find("attr.name=\"platform\""), std::string::npos) << "GraphML attributes";
  const std::string accounts = ReadFile(out / "accounts.csv");
  EXPECT_NE(accounts.find("N1,pg1,facebook,page,daily_truth,Daily Truth,2018-11-05T00:00:00Z,15000,,en,"),
            std::string::npos)
      << accounts;
  EXPECT_EQ(std::count(accounts.begin(), accounts.end(), '\n'), 9) << "header and eight members";
}

class HostileReportTest : public ReportTest {
 protected:
  void SetUp() override {
    testing::WriteReportDataset(data_.path(), HostileText());
    ds_ = testing::LoadReportDataset(data_.path());
    detection_ = testing::HandMadeDetection(ds_);
    detection_.networks[0].indicators[0].evidence = "<script>alert('evidence')</script>";
    detection_.networks[0].network_id = "N1<img src=x>";
    options_.data_label = "/data/<script>x</script>";
  }
};

TEST_F(HostileReportTest, HtmlEscapesEverything) {
  const std::string html = RenderHtml(BuildReport(ds_, detection_, options_));
  EXPECT_EQ(html.find("<script"), std::string::npos) << "no script element, however the data spells it";
  EXPECT_EQ(html.find("<img"), std::string::npos) << "no image element from the data";
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << "the script shown as text";
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos)
      << "the attribute break-out shown as text";
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos) << "a CSP forbids scripts even if escaping failed";
  EXPECT_NE(html.find("overflow-wrap: anywhere"), std::string::npos) << "long words wrap";
  EXPECT_NE(html.find("dir=\"auto\""), std::string::npos) << "posts take their own direction";
  EXPECT_EQ(html.find("\xE2\x80\xAE"), std::string::npos) << "no live right-to-left override";
  // The override is shown, inside the post's isolated block.
  const size_t rlo = html.find("[U+202E]gnp.exe");
  ASSERT_NE(rlo, std::string::npos) << "the override is visible as data";
  const size_t open = html.rfind("<div class=\"text\" dir=\"auto\">", rlo);
  const size_t close = html.find("</div>", rlo);
  ASSERT_NE(open, std::string::npos) << "the override sits in a post body";
  EXPECT_EQ(html.find('<', open + 1), close) << "no element between the post body's start and end";
  EXPECT_NE(html.find("\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7"), std::string::npos) << "Arabic kept";
  EXPECT_NE(html.find("\xF0\x9F\x98\x80"), std::string::npos) << "emoji kept";
}

TEST_F(HostileReportTest, MarkdownAndJsonEscapeEverything) {
  const Report r = BuildReport(ds_, detection_, options_);
  const std::string md = RenderMarkdown(r);
  EXPECT_EQ(md.find("<script"), std::string::npos) << "Markdown renderers pass raw HTML through";
  EXPECT_EQ(md.find("<img"), std::string::npos) << "no raw image tag";
  const std::string json = RenderJson(r);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << "the JSON report parses";
  bool found = false;
  for (simdjson::dom::element p : doc["networks"].at(0)["sample_posts"].get_array()) {
    std::string_view text;
    if (p["text"].get_string().get(text) == simdjson::SUCCESS && text == HostileText()) found = true;
  }
  EXPECT_TRUE(found) << "the hostile post round-trips exactly through the JSON";
}

TEST(Escape, InvalidUtf8AndControlsAreNeutralised) {
  EXPECT_EQ(HtmlEscape("a\xFF" "b"), "a\xEF\xBF\xBD" "b") << "invalid byte becomes U+FFFD";
  EXPECT_EQ(HtmlEscape("a\x01" "b"), "a b") << "control characters become spaces";
  EXPECT_EQ(HtmlEscape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "overlong encodings are invalid";
  EXPECT_EQ(MarkdownEscape("a|b*c\nd"), "a\\|b\\*c d") << "cannot close a table cell or start a line";
  EXPECT_EQ(Truncate("h\xC3\xA9llo", 2), "h\xC3\xA9\xE2\x80\xA6") << "cuts by code point, not byte";
  EXPECT_EQ(HtmlEscape("a\xE2\x80\xAE" "cba"), "a[U+202E]cba") << "an override cannot reverse what follows";
}

}  // namespace
}  // namespace lockstep
