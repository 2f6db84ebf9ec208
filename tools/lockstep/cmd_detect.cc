// lockstep detect DATA --out DIR: everything, end to end.
#include <chrono>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>

#include "command.h"
#include "data_flags.h"
#include "dist_load.h"
#include "lockstep/detect/default_signals.h"
#include "lockstep/detect/detector.h"
#include "lockstep/detect/output.h"
#include "lockstep/report/report.h"
#include "lockstep/report/report_input.h"
#include "lockstep/store/case_store.h"

namespace lockstep::cli {
namespace {

std::function<int()> Setup(CLI::App& app) {
  auto data = std::make_shared<DataFlags>();
  auto out = std::make_shared<std::string>("out");
  auto options = std::make_shared<DetectorOptions>();
  auto store = std::make_shared<std::string>();
  auto no_report = std::make_shared<bool>(false);
  auto signals = std::make_shared<DefaultSignalsOptions>();
  data->Add(app);
  app.add_option("--out", *out, "output directory: assignments.csv, networks.json, the report")->capture_default_str();
  app.add_option("--fdr", options->fdr, "false-discovery rate of the co-action significance test, (0, 1]")
      ->check(Within(0, 1, /*exclude_lo=*/true))
      ->capture_default_str();
  app.add_option("--min-confidence", options->min_confidence, "report networks at or above this confidence, [0, 1]")
      ->check(Within(0, 1))
      ->capture_default_str();
  app.add_option("--resolution", options->leiden_resolution, "Leiden modularity resolution, (0, 1000]")
      ->check(Within(0, 1000, /*exclude_lo=*/true))
      ->capture_default_str();
  app.add_option("--seed", options->seed, "seed of the clustering's random choices")->capture_default_str();
  app.add_option("--claim-contradiction", options->claim_contradiction_min,
                 "a clock whose nights in the claimed country are this busy (0..1) contradicts the claim; 2: off")
      ->check(Within(0, 2))
      ->capture_default_str();
  app.add_option("--claimed-clock-proof", options->claimed_clock_proof,
                 "how far members claiming zones 5+ hours apart on one daily clock prove inauthenticity (0..1); 0: off")
      ->check(Within(0, 1))
      ->capture_default_str();
  app.add_option("--linked-min-density", options->linked_min_density,
                 "report a cluster that falls short on its own with a network whose core it is linked to by co-action "
                 "at this density of their pairs (0..1); 0: off")
      ->check(Within(0, 1))
      ->capture_default_str();
  app.add_option("--linked-min-links", options->linked_min_links_per_member,
                 "and by at least this many co-action links per member of the cluster (>= 0)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--first-action-cohort", options->first_action_cohort_proof,
                 "without creation dates, how far members who first acted together prove inauthenticity (0..1); 0: off")
      ->check(Within(0, 1))
      ->capture_default_str();
  app.add_option("--member-min-degree-share", options->member_min_degree_share,
                 "leave out of a network a member whose co-action links inside it sum to less than this share of its "
                 "median member's (0..1); 0: keep every member")
      ->check(Within(0, 1))
      ->capture_default_str();
  app.add_flag("--no-observed-tenure{false}", options->established_by_tenure,
               "without creation dates, do not judge established accounts by their actions (observed tenure)");
  app.add_option("--fixed-lag", signals->fixed_lag_weight,
                 "weight (0..4) of pairs that repeat one another at one fixed lag in the account graph; 0: off")
      ->check(Within(0, 4))
      ->capture_default_str();
  app.add_option("--repeated-pushes", signals->repeated_push_weight,
                 "weight (0..4) of pairs in several of the same hours-long pushes of one text; 0: off")
      ->check(Within(0, 4))
      ->capture_default_str();
  app.add_option("--repeated-hashtag-pushes", signals->repeated_hashtag_push_weight,
                 "weight (0..4) of pairs in several of the same hours-long pushes of one hashtag; 0: off")
      ->check(Within(0, 4))
      ->capture_default_str();
  app.add_option("--push-gap", signals->repeated_push_gap_seconds,
                 "seconds within which a copy of a text continues the previous one's push")
      ->check(CLI::Range(int64_t{0}, int64_t{7 * 86400}))
      ->capture_default_str();
  AddThreadsOption(app, &options->threads);
  app.add_option("--store", *store,
                 "record the run and its networks in this case store (SQLite file or postgresql:// URI)");
  app.add_flag("--no-report", *no_report, "write only assignments.csv, networks.json and run.json, not the report");
  return [data, out, options, store, no_report, signals]() {
    // MPI ranks > 0 parse their share of the data for rank 0, which does the rest (docs/scale.md).
    if (!IsOutputRank()) return LoadDataAcrossRanks(*data, nullptr, nullptr);
    if (int code = CheckOutputDir("--out", *out); code != kExitOk) return code;
    // The store is opened before the work, so a foreign or unwritable one is refused at once.
    std::unique_ptr<CaseStore> cases;
    if (!store->empty()) {
      auto opened = CaseStore::Open(*store);
      if (!opened.ok()) {
        std::fprintf(stderr, "lockstep: --store: %s\n", opened.status().message().c_str());
        return opened.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
      }
      cases = std::move(opened).value();
    }
    Dataset ds;
    LoadReport report;
    if (int code = LoadDataAcrossRanks(*data, &ds, &report); code != kExitOk) return code;
    const bool tty = StderrIsTerminal();
    options->progress = [tty](std::string_view stage) {
      if (tty) std::fprintf(stderr, "\r\x1b[Kdetect: %.*s", static_cast<int>(stage.size()), stage.data());
    };
    options->text_clusters = ShareTextClusters(ds, *options);
    const DetectorOptions& opts = *options;
    Detector detector(ds, opts);
    for (auto& signal : DefaultSignals(ds, opts, *signals)) detector.AddSignal(std::move(signal));
    Status s = detector.Run();
    if (tty) std::fprintf(stderr, "\r\x1b[K");
    if (!s.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
      return s.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitInternal;
    }
    const Detection& d = detector.result();
    for (Status w : {WriteAssignments(ds, d, *out + "/assignments.csv"), WriteNetworksJson(ds, d, *out + "/networks.json")})
      if (!w.ok()) {
        std::fprintf(stderr, "lockstep: --out: %s\n", w.message().c_str());
        return kExitBadInput;
      }
    if (cases != nullptr) {
      const auto store_start = std::chrono::steady_clock::now();
      auto run = cases->RecordRun(ds, d, data->path,
                                  fmt::format("{{\"fdr\":{},\"min_confidence\":{},\"seed\":{}}}", opts.fdr,
                                              opts.min_confidence, opts.seed),
                                  static_cast<int64_t>(std::time(nullptr)));
      if (!run.ok()) {
        std::fprintf(stderr, "lockstep: --store: %s\n", run.status().message().c_str());
        return run.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
      }
      fmt::print("recorded run {} in {} ({:.2f} s)\n", run.value(), cases->connection().Describe(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - store_start).count());
    }
    // The run manifest lets `lockstep report DIR` reload the same data; the report is rendered from memory.
    std::vector<std::pair<std::string, std::string>> column_map;
    for (const std::string& m : data->map)
      if (const size_t eq = m.find('='); eq != std::string::npos) column_map.emplace_back(m.substr(0, eq), m.substr(eq + 1));
    if (Status w = WriteRunManifest(*out, data->path, data->format, column_map); !w.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", w.message().c_str());
      return kExitBadInput;
    }
    if (!*no_report) {
      ReportOptions report_options;
      auto manifest = ReadRunManifest(*out);
      report_options.data_label = manifest.ok() ? manifest->data_path : data->path;
      if (Status w = WriteReport(BuildReport(ds, d, report_options), *out); !w.ok()) {
        std::fprintf(stderr, "lockstep: %s\n", w.message().c_str());
        return kExitBadInput;
      }
    }
    fmt::print("{} networks; {} significant co-action edges (expected false: {:.1f} at FDR {})\n", d.networks.size(),
               d.significant_edges, d.expected_false_edges, d.fdr);
    for (const Network& n : d.networks)
      fmt::print("  {:<4} {:>5} accounts  confidence {:.2f}  {}  {}\n", n.network_id, n.members.size(), n.confidence,
                 n.tier, n.indicators.empty() ? "" : n.indicators.front().signal);
    for (const SkippedSignal& sk : d.skipped) fmt::print("  skipped {}: {}\n", sk.signal, sk.reason);
    double total = 0;
    std::string stages;
    for (const auto& [stage, seconds] : d.stage_seconds) {
      total += seconds;
      stages += fmt::format("{}{} {:.2f} s", stages.empty() ? "" : ", ", stage, seconds);
    }
    fmt::print("stages: {}\n", stages);
    fmt::print("load {:.2f} s, detect {:.2f} s; wrote {}/assignments.csv and {}/networks.json{}\n", report.seconds, total,
               *out, *out, *no_report ? "" : fmt::format(" and the report ({}/report.html)", *out));
    return kExitOk;
  };
}

const bool kRegistered = Register({"detect", "Find coordinated networks and write assignments, networks and the report", Setup});

}  // namespace
}  // namespace lockstep::cli
