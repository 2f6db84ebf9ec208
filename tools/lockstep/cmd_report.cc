// lockstep report DIR [--data DATA]: the investigator's report of a detection
// output directory (report.html, report.md, report.json, accounts.csv,
// edges.csv, graph.gexf, graph.graphml). The data set is the one named in
// DIR/run.json unless --data overrides it.
#include <fmt/format.h>

#include "command.h"
#include "lockstep/report/report.h"
#include "lockstep/report/report_input.h"

namespace lockstep::cli {
namespace {

struct ReportFlags {
  std::string dir;
  std::string data;
  std::string format = "auto";
  std::string out;
  std::string title = ReportOptions{}.title;
};

std::function<int()> Setup(CLI::App& app) {
  auto f = std::make_shared<ReportFlags>();
  app.add_option("DIR", f->dir, "output directory of lockstep detect (networks.json, assignments.csv, run.json)")->required();
  app.add_option("--data", f->data, "the data set detect read (default: the one named in DIR/run.json)");
  app.add_option("--format", f->format, "format of --data (auto, lockstep, snapshot, twitter_io, ...)")->capture_default_str();
  app.add_option("--out", f->out, "where to write the report (default: DIR)");
  app.add_option("--title", f->title, "the report's title")->capture_default_str();
  return [f]() {
    const std::string out = f->out.empty() ? f->dir : f->out;
    if (!f->out.empty())
      if (int code = CheckOutputDir("--out", f->out); code != kExitOk) return code;
    auto run = LoadStoredRun(f->dir, f->data, f->format);
    if (!run.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", run.status().message().c_str());
      return ExitCodeFor(run.status());
    }
    ReportOptions options;
    options.title = f->title;
    options.data_label = run->manifest.data_path;
    const Report report = BuildReport(run->dataset, run->detection, options);
    if (Status s = WriteReport(report, out); !s.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
      return ExitCodeFor(s);
    }
    fmt::print("{} networks; wrote {}/report.html, report.md, report.json, accounts.csv, edges.csv, graph.gexf, "
               "graph.graphml\n",
               report.detection.networks.size(), out);
    return kExitOk;
  };
}

const bool kRegistered =
    Register({"report", "Write the investigator's report (HTML, Markdown, JSON, CSV, GEXF, GraphML) of a detection", Setup});

}  // namespace
}  // namespace lockstep::cli
