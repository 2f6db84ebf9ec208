// The investigator's report of a detection, modelled on Meta's monthly CIB
// reports: a summary of all networks (by origin country; totals of accounts,
// Pages, Groups and Instagram accounts), then one section per network with
// presence, followers, advertising, activity, creation dates, the operators'
// clock in the inferred time zone, shared infrastructure, content, sample
// posts, the evidence and a drawing of the network.
//
// One model (Report), several renderings: a self-contained HTML file (inline
// CSS, SVG charts drawn here, a Content-Security-Policy that forbids every
// script and every fetch), Markdown, JSON, CSV tables of accounts and edges,
// and GEXF/GraphML for Gephi. Everything taken from the data is escaped for
// its output (escape.h).
//
// Both ways to make a report give the same bytes: `lockstep detect` renders
// from its in-memory Detection, `lockstep report DIR` from networks.json and
// assignments.csv (report_input.h); BuildReport first rounds the detection's
// numbers the way those files store them (RoundLikeFiles).
//
// Thread safety: pure functions of their arguments. The Dataset must outlive
// the Report built from it.
#ifndef LOCKSTEP_REPORT_REPORT_H_
#define LOCKSTEP_REPORT_REPORT_H_

#include <string>
#include <vector>

#include "lockstep/detect/network.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/report/graph_writer.h"
#include "lockstep/report/network_stats.h"

namespace lockstep {

struct ReportOptions {
  std::string title = "Coordinated inauthentic behaviour report";
  std::string data_label;         // the data set's path or name, shown in the header
  size_t max_drawn_nodes = 250;   // highest-scored members drawn per network graph
  size_t max_drawn_edges = 2500;  // strongest edges among them
  NetworkStatsOptions stats;
};

struct Report {
  const Dataset* ds = nullptr;
  Detection detection;             // rounded like the files (RoundLikeFiles)
  std::vector<NetworkStats> stats; // parallel to detection.networks
  ReportOptions options;
};

// Builds the model: rounds `detection`, computes every network's statistics.
// O(events + infrastructure + members x targets).
Report BuildReport(const Dataset& ds, const Detection& detection, const ReportOptions& options = {});

// The detection's numbers as networks.json and assignments.csv store them:
// doubles to 6 significant digits, member scores to 4 decimals; stage timings
// dropped (the report does not show them).
Detection RoundLikeFiles(const Detection& detection);

std::string RenderHtml(const Report& report);
std::string RenderMarkdown(const Report& report);
std::string RenderJson(const Report& report);

// accounts.csv: network_id,account_id,platform,kind,handle,display_name,
// created_at,followers,country,language,score,attached,events.
std::string RenderAccountsCsv(const Report& report);

// Every member of every network as a node (attributes network, score,
// platform, kind, handle) and the member edges of NetworkStats.
GraphToWrite ReportGraph(const Report& report);

// The file names WriteReport writes into a directory.
inline constexpr const char* kReportFiles[] = {"report.html", "report.md",  "report.json", "accounts.csv",
                                               "edges.csv",   "graph.gexf", "graph.graphml"};

// Writes every rendering into `dir` (created if missing, files replaced).
Status WriteReport(const Report& report, const std::string& dir);

}  // namespace lockstep

#endif  // LOCKSTEP_REPORT_REPORT_H_
