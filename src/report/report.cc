#include "lockstep/report/report.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "lockstep/detect/output.h"
#include "lockstep/model/json_writer.h"
#include "lockstep/report/escape.h"
#include "lockstep/report/svg_chart.h"

namespace lockstep {

namespace {

constexpr std::array<const char*, 7> kWeekdays = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};

double Round6(double v) {
  if (!std::isfinite(v)) return v;
  return std::strtod(fmt::format("{:.6g}", v).c_str(), nullptr);
}

// 1234567 -> "1,234,567".
std::string Thousands(int64_t v) {
  std::string digits = fmt::format("{}", v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string Money(double v) {
  const double cents = std::round(v * 100);
  const int64_t whole = static_cast<int64_t>(cents / 100);
  return fmt::format("{}.{:02}", Thousands(whole), static_cast<int>(std::fabs(cents - static_cast<double>(whole) * 100)));
}

std::string Date(int64_t t) { return t == kNoTime ? "unknown" : FormatTime(t).substr(0, 10); }

std::string PValue(const std::optional<double>& p) {
  if (!p) return "n/a";
  if (*p == 0) return "< 1e-300";
  if (*p < 0.001) return fmt::format("{:.1e}", *p);
  return fmt::format("{:.3f}", *p);
}

std::string Origin(const Network& n) { return n.origin_countries.empty() ? "unknown" : n.origin_countries.front(); }

std::string JoinOr(const std::vector<std::string>& v, std::string_view none) {
  return v.empty() ? std::string(none) : fmt::format("{}", fmt::join(v, ", "));
}

// The Meta-style lines of a network: presence, followers, advertising.
std::string FollowersSentence(const NetworkStats& s) {
  std::vector<std::string> parts;
  if (s.pages > 0) parts.push_back(fmt::format("about {} accounts followed one or more of these Pages", Thousands(s.page_followers)));
  if (s.groups > 0) parts.push_back(fmt::format("about {} accounts joined one or more of these Groups", Thousands(s.group_members)));
  if (s.instagram_accounts > 0)
    parts.push_back(fmt::format("about {} accounts followed one or more of these Instagram accounts",
                                Thousands(s.instagram_followers)));
  if (parts.empty()) return "No Pages, Groups or Instagram accounts in this network.";
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : i + 1 == parts.size() ? ", and " : ", ") + parts[i];
  out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out + fmt::format(" (Page followers plus Group members: {}).", Thousands(s.page_followers + s.group_members));
}

std::string AdvertisingSentence(const NetworkStats& s) {
  if (s.ad_spend.empty()) return "No advertising by these assets in the data.";
  std::vector<std::string> amounts;
  for (const auto& [currency, total] : s.ad_spend) amounts.push_back(fmt::format("{} {}", Money(total), currency));
  return fmt::format("About {} in spending on {} ads, paid for primarily in {}.", fmt::join(amounts, " and "),
                     Thousands(static_cast<int64_t>(s.ads)), s.ad_spend.front().first);
}

std::string EventsSentence(const NetworkStats& s) {
  std::vector<std::string> by_type;
  for (int t = 0; t < kEventTypes; ++t)
    if (s.events_by_type[t] > 0)
      by_type.push_back(fmt::format("{} {}", Thousands(static_cast<int64_t>(s.events_by_type[t])), Name(static_cast<EventType>(t))));
  if (s.events == 0) return "No activity by these assets in the data.";
  return fmt::format("{} events ({}), active from {} to {}.", Thousands(static_cast<int64_t>(s.events)),
                     fmt::join(by_type, ", "), Date(s.first_activity), Date(s.last_activity));
}

struct Totals {
  uint64_t accounts = 0, pages = 0, groups = 0, instagram = 0, other = 0;
  std::vector<std::pair<std::string, std::vector<std::string>>> by_origin;  // country -> network ids, most first
};

Totals ComputeTotals(const Report& r) {
  Totals t;
  std::map<std::string, std::vector<std::string>> origin;
  for (size_t i = 0; i < r.stats.size(); ++i) {
    const NetworkStats& s = r.stats[i];
    t.accounts += s.accounts, t.pages += s.pages, t.groups += s.groups, t.instagram += s.instagram_accounts;
    t.other += s.other_assets;
    origin[Origin(r.detection.networks[i])].push_back(r.detection.networks[i].network_id);
  }
  for (auto& [country, ids] : origin) t.by_origin.emplace_back(country, std::move(ids));
  std::stable_sort(t.by_origin.begin(), t.by_origin.end(),
                   [](const auto& x, const auto& y) { return x.second.size() > y.second.size(); });
  return t;
}

// "In total: 12 accounts, 3 Pages, ..." with each count wrapped in open/close (bold markup of the target format).
std::string TotalsSentence(const Totals& t, std::string_view open, std::string_view close) {
  auto count = [&](uint64_t n, std::string_view one, std::string_view many) {
    return fmt::format("{}{}{} {}", open, Thousands(static_cast<int64_t>(n)), close, n == 1 ? one : many);
  };
  return fmt::format("In total: {}, {}, {} and {}{}.", count(t.accounts, "account", "accounts"),
                     count(t.pages, "Page", "Pages"), count(t.groups, "Group", "Groups"),
                     count(t.instagram, "Instagram account", "Instagram accounts"),
                     t.other ? fmt::format(", plus {} other assets (channels)", Thousands(static_cast<int64_t>(t.other))) : "");
}

// The members drawn and the edges among them (indices into the drawn list).
struct Drawing {
  std::vector<GraphDrawingNode> nodes;
  std::vector<GraphDrawingEdge> edges;
  size_t members = 0;
};

Drawing DrawingOf(const Report& r, size_t k) {
  const Network& n = r.detection.networks[k];
  const NetworkStats& s = r.stats[k];
  const Dataset& ds = *r.ds;
  std::vector<uint32_t> order(n.members.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto score = [&](uint32_t i) { return i < n.member_scores.size() ? n.member_scores[i] : 0.0; };
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return score(x) > score(y); });
  if (order.size() > r.options.max_drawn_nodes) order.resize(r.options.max_drawn_nodes);
  std::sort(order.begin(), order.end());
  std::vector<int64_t> drawn_as(n.members.size(), -1);
  Drawing d;
  d.members = n.members.size();
  for (uint32_t i : order) {
    drawn_as[i] = static_cast<int64_t>(d.nodes.size());
    const Account& acc = ds.accounts[n.members[i]];
    const std::string_view handle = ds.String(acc.handle);
    std::string platform(ds.String(acc.platform));
    d.nodes.push_back({fmt::format("{}{}{} (score {:.2f})", ds.AccountId(n.members[i]), handle.empty() ? "" : " @",
                                   handle, score(i)),
                       fmt::format("{} {}", platform.empty() ? "unknown" : platform, Name(acc.kind)), score(i)});
  }
  for (const MemberEdge& e : s.edges)
    if (drawn_as[e.a] >= 0 && drawn_as[e.b] >= 0)
      d.edges.push_back({static_cast<uint32_t>(drawn_as[e.a]), static_cast<uint32_t>(drawn_as[e.b]), e.weight});
  // The strongest edges only: a dense cluster drawn with every edge is a grey disc and megabytes of SVG.
  if (d.edges.size() > r.options.max_drawn_edges) {
    std::stable_sort(d.edges.begin(), d.edges.end(),
                     [](const GraphDrawingEdge& x, const GraphDrawingEdge& y) { return x.weight > y.weight; });
    d.edges.resize(r.options.max_drawn_edges);
    std::sort(d.edges.begin(), d.edges.end(), [](const GraphDrawingEdge& x, const GraphDrawingEdge& y) {
      return x.a != y.a ? x.a < y.a : x.b < y.b;
    });
  }
  return d;
}

// ---------------------------------------------------------------- HTML

constexpr const char* kCss = R"(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1b1f24; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 22px; margin: 48px 0 8px; padding-top: 16px; border-top: 2px solid #1b1f24; }
h3 { font-size: 16px; margin: 28px 0 8px; color: #2c3e50; }
p, dd, li, blockquote { overflow-wrap: anywhere; }
td { overflow-wrap: break-word; word-break: break-word; }
th { white-space: nowrap; }
td.key { white-space: nowrap; }
.meta { color: #5a6570; font-size: 13px; }
.tier { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; background: #e8eef5; color: #12355b; vertical-align: middle; }
.tier.FGI { background: #fbe9e7; color: #8c2a1c; }
dl.facts { display: grid; grid-template-columns: 140px 1fr; gap: 6px 16px; margin: 12px 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 14px; table-layout: auto; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #dde3e9; vertical-align: top; }
th { background: #f4f6f9; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(540px, 1fr)); gap: 8px 24px; }
svg.chart { display: block; max-width: 100%; height: auto; }
.post { border-left: 3px solid #c9d3dd; margin: 10px 0; padding: 4px 12px; background: #fafbfc; }
.post .text { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; unicode-bidi: isolate; }
.post .by { color: #5a6570; font-size: 13px; }
bdi, .data { unicode-bidi: isolate; }
ul.examples { margin: 4px 0 0; padding-left: 18px; font-size: 13px; color: #3d4852; }
nav ol { columns: 3; }
)";

// Data text: escaped and isolated so right-to-left text or an override cannot reorder the page.
std::string Bdi(std::string_view s) { return "<bdi>" + HtmlEscape(s) + "</bdi>"; }

void HtmlCounts(std::string& out, const std::vector<CountShare>& counts, const std::string& title) {
  std::vector<ChartBar> bars;
  for (const CountShare& c : counts) bars.push_back({c.name, static_cast<double>(c.count), ""});
  fmt::format_to(std::back_inserter(out), "<div><h4>{}</h4>{}</div>\n", HtmlEscape(title), SvgBarChart(bars, title, 560));
}

void HtmlNetwork(std::string& out, const Report& r, size_t k) {
  const Network& n = r.detection.networks[k];
  const NetworkStats& s = r.stats[k];
  fmt::format_to(std::back_inserter(out),
                 "<section class=\"network\" id=\"network-{}\">\n<h2>{} <span class=\"tier {}\">{}</span></h2>\n", k + 1,
                 Bdi(n.network_id), n.tier == "FGI" ? "FGI" : "CIB", HtmlEscape(n.tier));
  fmt::format_to(std::back_inserter(out),
                 "<p class=\"meta\">Confidence {:.2f} &middot; {} assets &middot; origin: {} &middot; targets: {}</p>\n",
                 n.confidence, Thousands(static_cast<int64_t>(n.members.size())), Bdi(JoinOr(n.origin_countries, "unknown")),
                 Bdi(JoinOr(n.target_countries, "unknown")));
  fmt::format_to(std::back_inserter(out),
                 "<dl class=\"facts\">\n<dt>Presence</dt><dd>{}.</dd>\n<dt>Followers</dt><dd>{}</dd>\n"
                 "<dt>Advertising</dt><dd>{}</dd>\n<dt>Activity</dt><dd>{}</dd>\n</dl>\n",
                 Bdi(s.presence_sentence), HtmlEscape(FollowersSentence(s)), Bdi(AdvertisingSentence(s)),
                 HtmlEscape(EventsSentence(s)));

  std::vector<ChartBar> presence;
  for (const PresenceCount& p : s.presence)
    presence.push_back({fmt::format("{} {}", PlatformDisplayName(p.platform), p.kind), static_cast<double>(p.count), ""});
  std::vector<ChartBar> spend;
  for (const auto& [currency, total] : s.ad_spend) spend.push_back({currency, total, Money(total)});
  out += "<div class=\"charts\">\n";
  fmt::format_to(std::back_inserter(out), "<div><h3>Presence by platform and kind</h3>{}</div>\n",
                 SvgBarChart(presence, "Assets by platform and kind", 560));
  fmt::format_to(std::back_inserter(out), "<div><h3>Ad spend by currency</h3>{}</div>\n",
                 SvgBarChart(spend, "Ad spend by currency", 560));
  out += "</div>\n";

  std::vector<ChartBar> months, years;
  for (const auto& [month, count] : s.events_by_month) months.push_back({month, static_cast<double>(count), ""});
  for (const auto& [year, count] : s.created_by_year) years.push_back({year, static_cast<double>(count), ""});
  fmt::format_to(std::back_inserter(out), "<h3>Activity by month (UTC)</h3>\n{}\n",
                 SvgColumnChart(months, "Events by month", 1100, 220));
  fmt::format_to(std::back_inserter(out), "<h3>Account creation by year</h3>\n{}\n",
                 SvgColumnChart(years, "Assets created per year", 1100, 200));
  if (s.created_unknown > 0)
    fmt::format_to(std::back_inserter(out), "<p class=\"meta\">Creation date unknown for {} {}.</p>\n",
                   Thousands(static_cast<int64_t>(s.created_unknown)), s.created_unknown == 1 ? "asset" : "assets");

  fmt::format_to(std::back_inserter(out), "<h3>Posting by hour of day and day of week</h3>\n<p>Local time: {}.{}</p>\n{}\n",
                 HtmlEscape(s.time_zone), n.shift.summary.empty() ? "" : " " + Bdi(n.shift.summary),
                 SvgWeekHourHeatmap(s.weekday_hour, "Events by weekday and local hour", s.time_zone));

  out += "<h3>Shared infrastructure</h3>\n";
  if (s.infrastructure.empty()) {
    out += "<p>No infrastructure value is shared by two or more members in the data.</p>\n";
  } else {
    out += "<table><thead><tr><th>kind</th><th class=\"num\">shared values</th><th class=\"num\">members using them</th>"
           "<th>most shared (members)</th></tr></thead><tbody>\n";
    for (const SharedInfrastructure& inf : s.infrastructure) {
      std::vector<std::string> top;
      for (const CountShare& c : inf.top) top.push_back(fmt::format("{} ({})", Bdi(Truncate(c.name, 60)), c.count));
      fmt::format_to(std::back_inserter(out), "<tr><td class=\"key\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                     HtmlEscape(inf.kind), Thousands(static_cast<int64_t>(inf.shared_values)),
                     Thousands(static_cast<int64_t>(inf.members)), fmt::join(top, ", "));
    }
    out += "</tbody></table>\n";
  }

  out += "<h3>Content</h3>\n<div class=\"charts\">\n";
  HtmlCounts(out, s.top_domains, "Top domains");
  HtmlCounts(out, s.top_hashtags, "Top hashtags");
  HtmlCounts(out, s.languages, "Languages");
  out += "</div>\n";

  out += "<h3>Sample posts</h3>\n";
  if (s.samples.empty()) out += "<p>No posts with text.</p>\n";
  for (const SamplePost& p : s.samples) {
    fmt::format_to(std::back_inserter(out),
                   "<blockquote class=\"post\"><div class=\"by\">{} by {}{} &middot; {} &middot; {} copies by {} accounts</div>"
                   "<div class=\"text\" dir=\"auto\">{}</div></blockquote>\n",
                   FormatTime(p.time), p.handle.empty() ? "" : "@", Bdi(p.handle.empty() ? p.account_id : p.handle),
                   HtmlEscape(p.type), p.copies, p.accounts, HtmlEscape(Truncate(p.text, 2000)));
  }

  fmt::format_to(std::back_inserter(out), "<h3>Evidence</h3>\n<p>Confidence <strong>{:.2f}</strong> (coordination x inauthenticity).</p>\n",
                 n.confidence);
  out += "<table><thead><tr><th>signal</th><th class=\"num\">strength</th><th class=\"num\">p-value</th>"
         "<th>evidence</th></tr></thead><tbody>\n";
  for (const Indicator& ind : n.indicators) {
    fmt::format_to(std::back_inserter(out), "<tr><td class=\"key\">{}</td><td class=\"num\">{:.2f}</td><td class=\"num\">{}</td><td>{}",
                   HtmlEscape(ind.signal), ind.strength, PValue(ind.p_value), Bdi(ind.evidence));
    if (!ind.examples.empty()) {
      out += "<ul class=\"examples\">";
      for (const std::string& e : ind.examples) out += "<li>" + Bdi(Truncate(e, 300)) + "</li>";
      out += "</ul>";
    }
    out += "</td></tr>\n";
  }
  out += "</tbody></table>\n";

  const Drawing d = DrawingOf(r, k);
  fmt::format_to(std::back_inserter(out), "<h3>Network graph</h3>\n<p class=\"meta\">{} of {} members drawn (highest scores), "
                 "{} edges: shared targets and shared infrastructure values between members.</p>\n{}\n",
                 d.nodes.size(), d.members, d.edges.size(),
                 SvgNetworkDrawing(d.nodes, d.edges, "Members and their links", 1100, 560));
  out += "</section>\n";
}

// ---------------------------------------------------------------- Markdown

void MdCounts(std::string& out, const std::vector<CountShare>& counts, const std::string& what) {
  fmt::format_to(std::back_inserter(out), "| {} | count |\n|---|---:|\n", what);
  for (const CountShare& c : counts) fmt::format_to(std::back_inserter(out), "| {} | {} |\n", MarkdownEscape(c.name), c.count);
  if (counts.empty()) out += "| (none) | |\n";
  out += "\n";
}

}  // namespace

Detection RoundLikeFiles(const Detection& d) {
  Detection r = d;
  r.stage_seconds.clear();
  r.fdr = Round6(r.fdr);
  r.expected_false_edges = Round6(r.expected_false_edges);
  for (Network& n : r.networks) {
    n.confidence = Round6(n.confidence);
    if (n.utc_offset) n.utc_offset = Round6(*n.utc_offset);
    n.utc_offset_confidence = Round6(n.utc_offset_confidence);
    for (double& v : n.member_scores) v = std::strtod(fmt::format("{:.4f}", v).c_str(), nullptr);
    for (double& v : n.shift.hour_share) v = Round6(v);
    for (double& v : n.shift.weekday_share) v = Round6(v);
    for (Indicator& ind : n.indicators) {
      ind.strength = Round6(ind.strength);
      if (ind.p_value) ind.p_value = Round6(*ind.p_value);
    }
  }
  return r;
}

Report BuildReport(const Dataset& ds, const Detection& detection, const ReportOptions& options) {
  Report r;
  r.ds = &ds;
  r.detection = RoundLikeFiles(detection);
  r.options = options;
  for (const Network& n : r.detection.networks) r.stats.push_back(ComputeNetworkStats(ds, n, options.stats));
  return r;
}

std::string RenderHtml(const Report& r) {
  std::string out;
  out.reserve(1 << 20);
  fmt::format_to(std::back_inserter(out),
                 "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                 "img-src data:; base-uri 'none'; form-action 'none'\">\n"
                 "<meta name=\"referrer\" content=\"no-referrer\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n"
                 "<style>{}</style>\n</head>\n<body>\n<main>\n",
                 HtmlEscape(r.options.title), kCss);
  const Totals t = ComputeTotals(r);
  const Detection& d = r.detection;
  fmt::format_to(std::back_inserter(out), "<header><h1>{}</h1>\n<p class=\"meta\">Data: {} &middot; made by lockstep</p></header>\n",
                 HtmlEscape(r.options.title), Bdi(r.options.data_label.empty() ? "(unnamed)" : r.options.data_label));
  out += "<section id=\"summary\">\n<h2>Summary</h2>\n";
  std::vector<std::string> origins;
  for (const auto& [country, ids] : t.by_origin) origins.push_back(fmt::format("{} ({})", Bdi(country), ids.size()));
  fmt::format_to(std::back_inserter(out),
                 "<p>We found <strong>{}</strong> suspected {} of coordinated inauthentic behaviour. "
                 "By origin country: {}.</p>\n",
                 d.networks.size(), d.networks.size() == 1 ? "network" : "networks", origins.empty() ? std::string("none") : fmt::format("{}", fmt::join(origins, ", ")));
  out += "<p>" + TotalsSentence(t, "<strong>", "</strong>") + "</p>\n";
  if (!t.by_origin.empty()) {
    out += "<table><thead><tr><th>origin country</th><th class=\"num\">networks</th><th>networks</th></tr></thead><tbody>\n";
    for (const auto& [country, ids] : t.by_origin) {
      std::vector<std::string> escaped;
      for (const std::string& id : ids) escaped.push_back(Bdi(id));
      fmt::format_to(std::back_inserter(out), "<tr><td class=\"key\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n", Bdi(country),
                     ids.size(), fmt::join(escaped, ", "));
    }
    out += "</tbody></table>\n";
  }
  out += "<table><thead><tr><th>network</th><th>tier</th><th class=\"num\">confidence</th><th class=\"num\">assets</th>"
         "<th>origin</th><th>presence</th></tr></thead><tbody>\n";
  for (size_t k = 0; k < d.networks.size(); ++k) {
    const Network& n = d.networks[k];
    fmt::format_to(std::back_inserter(out),
                   "<tr><td class=\"key\"><a href=\"#network-{}\">{}</a></td><td>{}</td><td class=\"num\">{:.2f}</td><td class=\"num\">{}</td>"
                   "<td>{}</td><td>{}</td></tr>\n",
                   k + 1, Bdi(n.network_id), HtmlEscape(n.tier), n.confidence, Thousands(static_cast<int64_t>(n.members.size())),
                   Bdi(Origin(n)), Bdi(r.stats[k].presence_sentence));
  }
  out += "</tbody></table>\n";
  fmt::format_to(std::back_inserter(out),
                 "<p class=\"meta\">Signals run: {}. Co-action edges significant at FDR {}: {} (expected false: {:.1f}).</p>\n",
                 HtmlEscape(JoinOr(d.signals_run, "none")), d.fdr, d.significant_edges, d.expected_false_edges);
  if (!d.skipped.empty()) {
    out += "<ul class=\"meta\">";
    for (const SkippedSignal& sk : d.skipped)
      fmt::format_to(std::back_inserter(out), "<li>skipped {}: {}</li>", HtmlEscape(sk.signal), Bdi(sk.reason));
    out += "</ul>\n";
  }
  out += "</section>\n";
  for (size_t k = 0; k < d.networks.size(); ++k) HtmlNetwork(out, r, k);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string RenderMarkdown(const Report& r) {
  std::string out;
  const Totals t = ComputeTotals(r);
  const Detection& d = r.detection;
  fmt::format_to(std::back_inserter(out), "# {}\n\nData: {}\n\n## Summary\n\n", MarkdownEscape(r.options.title),
                 MarkdownEscape(r.options.data_label.empty() ? "(unnamed)" : r.options.data_label));
  std::vector<std::string> origins;
  for (const auto& [country, ids] : t.by_origin) origins.push_back(fmt::format("{} ({})", MarkdownEscape(country), ids.size()));
  fmt::format_to(std::back_inserter(out),
                 "We found **{}** suspected {} of coordinated inauthentic behaviour. By origin country: {}.\n\n",
                 d.networks.size(), d.networks.size() == 1 ? "network" : "networks", origins.empty() ? std::string("none") : fmt::format("{}", fmt::join(origins, ", ")));
  out += TotalsSentence(t, "**", "**") + "\n\n";
  out += "| network | tier | confidence | assets | origin | presence |\n|---|---|---:|---:|---|---|\n";
  for (size_t k = 0; k < d.networks.size(); ++k) {
    const Network& n = d.networks[k];
    fmt::format_to(std::back_inserter(out), "| {} | {} | {:.2f} | {} | {} | {} |\n", MarkdownEscape(n.network_id),
                   MarkdownEscape(n.tier), n.confidence, n.members.size(), MarkdownEscape(Origin(n)),
                   MarkdownEscape(r.stats[k].presence_sentence));
  }
  fmt::format_to(std::back_inserter(out), "\nSignals run: {}. Co-action edges significant at FDR {}: {} (expected false: {:.1f}).\n",
                 MarkdownEscape(JoinOr(d.signals_run, "none")), d.fdr, d.significant_edges, d.expected_false_edges);
  for (const SkippedSignal& sk : d.skipped)
    fmt::format_to(std::back_inserter(out), "\n- skipped {}: {}", MarkdownEscape(sk.signal), MarkdownEscape(sk.reason));
  out += "\n";

  for (size_t k = 0; k < d.networks.size(); ++k) {
    const Network& n = d.networks[k];
    const NetworkStats& s = r.stats[k];
    fmt::format_to(std::back_inserter(out), "\n## {} ({})\n\nConfidence {:.2f}; {} assets; origin: {}; targets: {}.\n\n",
                   MarkdownEscape(n.network_id), MarkdownEscape(n.tier), n.confidence, n.members.size(),
                   MarkdownEscape(JoinOr(n.origin_countries, "unknown")), MarkdownEscape(JoinOr(n.target_countries, "unknown")));
    fmt::format_to(std::back_inserter(out), "- **Presence**: {}.\n- **Followers**: {}\n- **Advertising**: {}\n- **Activity**: {}\n\n",
                   MarkdownEscape(s.presence_sentence), MarkdownEscape(FollowersSentence(s)),
                   MarkdownEscape(AdvertisingSentence(s)), MarkdownEscape(EventsSentence(s)));
    out += "### Presence by platform and kind\n\n| platform | kind | assets |\n|---|---|---:|\n";
    for (const PresenceCount& p : s.presence)
      fmt::format_to(std::back_inserter(out), "| {} | {} | {} |\n", MarkdownEscape(p.platform), MarkdownEscape(p.kind), p.count);
    out += "\n### Ad spend by currency\n\n| currency | spend |\n|---|---:|\n";
    for (const auto& [currency, total] : s.ad_spend)
      fmt::format_to(std::back_inserter(out), "| {} | {} |\n", MarkdownEscape(currency), Money(total));
    out += "\n### Activity by month (UTC)\n\n| month | events |\n|---|---:|\n";
    for (const auto& [month, count] : s.events_by_month) fmt::format_to(std::back_inserter(out), "| {} | {} |\n", month, count);
    out += "\n### Account creation by year\n\n| year | assets |\n|---|---:|\n";
    for (const auto& [year, count] : s.created_by_year) fmt::format_to(std::back_inserter(out), "| {} | {} |\n", year, count);
    if (s.created_unknown) fmt::format_to(std::back_inserter(out), "| unknown | {} |\n", s.created_unknown);
    fmt::format_to(std::back_inserter(out), "\n### Posting by hour of day and day of week\n\nLocal time: {}.{}\n\n",
                   MarkdownEscape(s.time_zone), n.shift.summary.empty() ? "" : " " + MarkdownEscape(n.shift.summary));
    out += "| day |";
    for (int h = 0; h < 24; ++h) fmt::format_to(std::back_inserter(out), " {:02} |", h);
    out += "\n|---|";
    for (int h = 0; h < 24; ++h) out += "---:|";
    out += "\n";
    for (int day = 0; day < 7; ++day) {
      fmt::format_to(std::back_inserter(out), "| {} |", std::string_view(kWeekdays[day]).substr(0, 3));
      for (int h = 0; h < 24; ++h) fmt::format_to(std::back_inserter(out), " {} |", s.weekday_hour[day][h]);
      out += "\n";
    }
    out += "\n### Shared infrastructure\n\n";
    if (s.infrastructure.empty()) out += "No infrastructure value is shared by two or more members in the data.\n";
    else out += "| kind | shared values | members using them | most shared (members) |\n|---|---:|---:|---|\n";
    for (const SharedInfrastructure& inf : s.infrastructure) {
      std::vector<std::string> top;
      for (const CountShare& c : inf.top) top.push_back(fmt::format("{} ({})", MarkdownEscape(Truncate(c.name, 60)), c.count));
      fmt::format_to(std::back_inserter(out), "| {} | {} | {} | {} |\n", MarkdownEscape(inf.kind), inf.shared_values,
                     inf.members, fmt::join(top, ", "));
    }
    out += "\n### Content\n\n";
    MdCounts(out, s.top_domains, "domain");
    MdCounts(out, s.top_hashtags, "hashtag");
    MdCounts(out, s.languages, "language");
    out += "### Sample posts\n\n";
    for (const SamplePost& p : s.samples)
      fmt::format_to(std::back_inserter(out), "> {} by {} ({}, {} copies by {} accounts): {}\n\n", FormatTime(p.time),
                     MarkdownEscape(p.handle.empty() ? p.account_id : "@" + p.handle), MarkdownEscape(p.type), p.copies,
                     p.accounts, MarkdownEscape(Truncate(p.text, 500)));
    if (s.samples.empty()) out += "No posts with text.\n\n";
    fmt::format_to(std::back_inserter(out), "### Evidence\n\nConfidence **{:.2f}** (coordination x inauthenticity).\n\n",
                   n.confidence);
    out += "| signal | strength | p-value | evidence |\n|---|---:|---:|---|\n";
    for (const Indicator& ind : n.indicators) {
      std::string examples;
      for (const std::string& e : ind.examples) examples += "<br>" + MarkdownEscape(Truncate(e, 300));
      fmt::format_to(std::back_inserter(out), "| {} | {:.2f} | {} | {}{} |\n", MarkdownEscape(ind.signal), ind.strength,
                     PValue(ind.p_value), MarkdownEscape(ind.evidence), examples);
    }
    fmt::format_to(std::back_inserter(out), "\n### Network graph\n\n{} members, {} edges (shared targets and shared "
                   "infrastructure values); see graph.gexf / graph.graphml.\n",
                   n.members.size(), s.edges.size());
  }
  return out;
}

std::string RenderJson(const Report& r) {
  const Totals t = ComputeTotals(r);
  const Detection& d = r.detection;
  const Dataset& ds = *r.ds;
  JsonWriter w;
  w.BeginObject();
  w.Field("format", "lockstep-report-1");
  w.Field("title", r.options.title);
  w.Field("data", r.options.data_label);
  w.Key("summary").BeginObject();
  w.Field("networks", static_cast<uint64_t>(d.networks.size()));
  w.Key("totals").BeginObject();
  w.Field("accounts", t.accounts).Field("pages", t.pages).Field("groups", t.groups);
  w.Field("instagram_accounts", t.instagram).Field("other_assets", t.other);
  w.EndObject();
  w.Key("by_origin_country").BeginArray();
  for (const auto& [country, ids] : t.by_origin) {
    w.BeginObject().Field("country", country).Key("networks").BeginArray();
    for (const std::string& id : ids) w.String(id);
    w.EndArray().EndObject();
  }
  w.EndArray();
  WriteSignalsRan(w, d);
  w.Field("significance_fdr", d.fdr).Field("significant_coaction_edges", d.significant_edges);
  w.Field("expected_false_edges", d.expected_false_edges);
  w.EndObject();
  w.Key("networks").BeginArray();
  for (size_t k = 0; k < d.networks.size(); ++k) {
    const Network& n = d.networks[k];
    const NetworkStats& s = r.stats[k];
    w.BeginObject();
    w.Field("network_id", n.network_id).Field("tier", n.tier).Field("confidence", n.confidence);
    w.Field("size", static_cast<uint64_t>(n.members.size()));
    w.Key("origin_countries").BeginArray();
    for (const std::string& c : n.origin_countries) w.String(c);
    w.EndArray();
    w.Key("target_countries").BeginArray();
    for (const std::string& c : n.target_countries) w.String(c);
    w.EndArray();
    w.Field("presence_sentence", s.presence_sentence);
    w.Key("presence").BeginArray();
    for (const PresenceCount& p : s.presence)
      w.BeginObject().Field("platform", p.platform).Field("kind", p.kind).Field("count", p.count).EndObject();
    w.EndArray();
    w.Key("assets").BeginObject();
    w.Field("accounts", s.accounts).Field("pages", s.pages).Field("groups", s.groups);
    w.Field("instagram_accounts", s.instagram_accounts).Field("other_assets", s.other_assets);
    w.EndObject();
    w.Key("followers").BeginObject();
    w.Field("page_followers", s.page_followers).Field("group_members", s.group_members);
    w.Field("instagram_followers", s.instagram_followers);
    w.Field("pages_and_groups", s.page_followers + s.group_members);
    w.EndObject();
    w.Key("ad_spend").BeginArray();
    for (const auto& [currency, total] : s.ad_spend)
      w.BeginObject().Field("currency", currency).Field("spend", std::round(total * 100) / 100).EndObject();
    w.EndArray();
    w.Field("ads", s.ads);
    w.Field("events", s.events);
    w.Key("events_by_type").BeginObject();
    for (int ty = 0; ty < kEventTypes; ++ty) w.Field(Name(static_cast<EventType>(ty)), s.events_by_type[ty]);
    w.EndObject();
    w.Field("first_activity", FormatTime(s.first_activity)).Field("last_activity", FormatTime(s.last_activity));
    w.Key("events_by_month").BeginArray();
    for (const auto& [month, count] : s.events_by_month) w.BeginObject().Field("month", month).Field("events", count).EndObject();
    w.EndArray();
    w.Key("created_by_year").BeginArray();
    for (const auto& [year, count] : s.created_by_year) w.BeginObject().Field("year", year).Field("assets", count).EndObject();
    w.EndArray();
    w.Field("created_unknown", s.created_unknown);
    w.Key("time_zone").BeginObject();
    w.Field("inferred", s.inferred_time_zone);
    w.Key("utc_offset_hours");
    if (s.inferred_time_zone) w.Number(s.utc_offset_hours);
    else w.Null();
    w.Field("label", s.time_zone);
    w.Field("shift_summary", n.shift.summary);
    w.EndObject();
    w.Key("weekday_hour").BeginArray();
    for (int day = 0; day < 7; ++day) {
      w.BeginArray();
      for (int h = 0; h < 24; ++h) w.Int(static_cast<int64_t>(s.weekday_hour[day][h]));
      w.EndArray();
    }
    w.EndArray();
    w.Key("shared_infrastructure").BeginArray();
    for (const SharedInfrastructure& inf : s.infrastructure) {
      w.BeginObject().Field("kind", inf.kind).Field("shared_values", inf.shared_values).Field("members", inf.members);
      w.Key("top").BeginArray();
      for (const CountShare& c : inf.top) w.BeginObject().Field("value", c.name).Field("members", c.count).EndObject();
      w.EndArray().EndObject();
    }
    w.EndArray();
    for (auto [key, list] : {std::pair{"top_domains", &s.top_domains}, std::pair{"top_hashtags", &s.top_hashtags},
                             std::pair{"languages", &s.languages}}) {
      w.Key(key).BeginArray();
      for (const CountShare& c : *list) w.BeginObject().Field("name", c.name).Field("count", c.count).EndObject();
      w.EndArray();
    }
    w.Key("sample_posts").BeginArray();
    for (const SamplePost& p : s.samples) {
      w.BeginObject().Field("time", FormatTime(p.time)).Field("account_id", p.account_id).Field("handle", p.handle);
      w.Field("type", p.type).Field("text", p.text).Field("copies", p.copies).Field("accounts", p.accounts).EndObject();
    }
    w.EndArray();
    w.Key("indicators").BeginArray();
    for (const Indicator& ind : n.indicators) {
      w.BeginObject().Field("signal", ind.signal).Field("strength", ind.strength);
      w.Key("p_value").OptionalNumber(ind.p_value);
      w.Field("evidence", ind.evidence).Key("examples").BeginArray();
      for (const std::string& e : ind.examples) w.String(e);
      w.EndArray().EndObject();
    }
    w.EndArray();
    w.Key("graph").BeginObject();
    w.Field("nodes", static_cast<uint64_t>(n.members.size())).Field("edges", static_cast<uint64_t>(s.edges.size()));
    w.EndObject();
    w.Key("members").BeginArray();
    for (size_t i = 0; i < n.members.size(); ++i) {
      w.BeginObject().Field("account_id", ds.AccountId(n.members[i]));
      w.Field("score", i < n.member_scores.size() ? n.member_scores[i] : 0.0).EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take() + "\n";
}

std::string RenderAccountsCsv(const Report& r) {
  const Dataset& ds = *r.ds;
  std::string out = "network_id,account_id,platform,kind,handle,display_name,created_at,followers,country,language,score,"
                    "attached,events\n";
  std::unordered_map<AccountIndex, uint64_t> events;  // of every member, one pass over the events
  for (const Network& n : r.detection.networks)
    for (AccountIndex a : n.members) events[a] = 0;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (auto it = events.find(ds.events.account[i]); it != events.end()) it->second++;
  for (size_t k = 0; k < r.detection.networks.size(); ++k) {
    const Network& n = r.detection.networks[k];
    for (size_t i = 0; i < n.members.size(); ++i) {
      const AccountIndex a = n.members[i];
      const Account& acc = ds.accounts[a];
      const bool attached = std::binary_search(n.attached.begin(), n.attached.end(), a) ||
                            std::find(n.attached.begin(), n.attached.end(), a) != n.attached.end();
      fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{},{},{:.4f},{},{}\n", CsvField(n.network_id),
                     CsvField(ds.AccountId(a)), CsvField(ds.String(acc.platform)), Name(acc.kind),
                     CsvField(CleanText(ds.String(acc.handle))), CsvField(CleanText(ds.String(acc.display_name))),
                     FormatTime(acc.created_at), acc.followers >= 0 ? fmt::format("{}", acc.followers) : "",
                     CountryName(acc.country), CsvField(ds.String(acc.language)),
                     i < n.member_scores.size() ? n.member_scores[i] : 0.0, attached ? "true" : "false", events[a]);
    }
  }
  return out;
}

GraphToWrite ReportGraph(const Report& r) {
  const Dataset& ds = *r.ds;
  GraphToWrite g;
  for (size_t k = 0; k < r.detection.networks.size(); ++k) {
    const Network& n = r.detection.networks[k];
    const size_t base = g.nodes.size();
    for (size_t i = 0; i < n.members.size(); ++i) {
      const Account& acc = ds.accounts[n.members[i]];
      GraphNode node;
      node.id = std::string(ds.AccountId(n.members[i]));
      node.attributes["network"] = n.network_id;
      node.attributes["score"] = fmt::format("{:.4f}", i < n.member_scores.size() ? n.member_scores[i] : 0.0);
      node.attributes["platform"] = std::string(ds.String(acc.platform));
      node.attributes["kind"] = std::string(Name(acc.kind));
      node.attributes["handle"] = CleanText(ds.String(acc.handle));
      g.nodes.push_back(std::move(node));
    }
    for (const MemberEdge& e : r.stats[k].edges) g.edges.push_back({base + e.a, base + e.b, e.weight});
  }
  return g;
}

Status WriteReport(const Report& r, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError(fmt::format("{}: cannot create: {}", dir, ec.message()));
  auto write = [&](const std::string& name, const std::string& text) -> Status {
    const std::string path = dir + "/" + name;
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !ok) return Status::IoError(fmt::format("{}: write failed", path));
    return Status::Ok();
  };
  for (auto [name, text] : {std::pair{"report.html", RenderHtml(r)}, std::pair{"report.md", RenderMarkdown(r)},
                            std::pair{"report.json", RenderJson(r)}, std::pair{"accounts.csv", RenderAccountsCsv(r)}})
    if (Status s = write(name, text); !s.ok()) return s;
  const GraphToWrite g = ReportGraph(r);
  for (const char* name : {"edges.csv", "graph.gexf", "graph.graphml"})
    if (Status s = WriteGraph(g, dir + "/" + name); !s.ok()) return s;
  return Status::Ok();
}

}  // namespace lockstep
