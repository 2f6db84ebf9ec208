#include "data_flags.h"

#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "command.h"

namespace lockstep::cli {

void DataFlags::Add(CLI::App& app) {
  app.add_option("DATA", path,
                 "a lockstep-format directory, a snapshot file, a manifest listing sources (docs/formats.md), or "
                 "another reader's input")
      ->required();
  app.add_option("MORE", more, "further sources, loaded into the same data set (ids kept apart by platform)");
  app.add_option("--format", format, "reader: auto (detect), " + fmt::format("{}", fmt::join(ReaderNames(), ", ")))
      ->capture_default_str();
  app.add_option("--on-error", on_error, "fail: stop at the first bad row (exit 2); skip: load the rest and count")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  app.add_option("--rejects", rejects, "with --on-error=skip, write every rejected row to this CSV file");
  app.add_option("--map", map,
                 "map lockstep fields to your columns for any CSV/JSONL: --map account_id=user,time=created_at")
      ->delimiter(',');
}

ProgressLine::ProgressLine(std::string label) : label_(std::move(label)), enabled_(StderrIsTerminal()) {}
ProgressLine::~ProgressLine() { Finish(); }

void ProgressLine::Update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  const double pct = total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 0;
  std::fprintf(stderr, "\r%s %5.1f%% (%.1f of %.1f MB)\x1b[K", label_.c_str(), pct, done / 1e6, total / 1e6);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::Finish() {
  if (shown_) std::fprintf(stderr, "\r\x1b[K");
  shown_ = false;
}

int LoadData(const DataFlags& flags, Dataset* ds, LoadReport* report, bool quiet_sources) {
  std::string rejects = flags.rejects;
  const ErrorPolicy policy = flags.on_error == "skip" ? ErrorPolicy::kSkip : ErrorPolicy::kFail;
  // With --on-error=fail there are no rejected rows to write: the first bad
  // row stops the load. Ignoring the flag would let a user wait for a file
  // that never comes.
  if (!rejects.empty() && policy != ErrorPolicy::kSkip) {
    std::fprintf(stderr,
                 "lockstep: --rejects %s needs --on-error=skip; with --on-error=%s the first bad row stops the load "
                 "and is named in the message\n",
                 EscapeControl(rejects).c_str(), flags.on_error.c_str());
    return kExitUsage;
  }
  ErrorSink sink(policy, rejects);
  if (!sink.rejects_error().empty()) {
    std::fprintf(stderr, "lockstep: --rejects: %s\n", EscapeControl(sink.rejects_error()).c_str());
    return kExitBadInput;
  }
  ProgressLine progress("loading");
  LoadOptions options;
  options.event_ids = flags.event_ids;
  options.action_columns_only = flags.action_columns_only;
  for (const std::string& m : flags.map) {
    const size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size()) {
      std::fprintf(stderr, "lockstep: --map takes field=column pairs, got '%s'\n", m.c_str());
      return kExitUsage;
    }
    options.column_map.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  options.progress = [&](const LoadProgress& p) { progress.Update(p.bytes_done, p.bytes_total); };
  std::vector<std::string> paths = {flags.path};
  paths.insert(paths.end(), flags.more.begin(), flags.more.end());
  auto loaded = LoadSources(paths, flags.format, options, &sink, report);
  progress.Finish();
  if (!loaded.ok()) {
    std::fprintf(stderr, "lockstep: %s\n", EscapeControl(loaded.status().message()).c_str());
    return ExitCodeFor(loaded.status());
  }
  if (sink.total() > 0) std::fprintf(stderr, "%s", sink.Summary().c_str());
  if (!quiet_sources && report->sources.size() > 1)
    for (const SourceStats& s : report->sources)
      std::fprintf(stderr, "%s\n", EscapeControl(FormatSourceStats(s)).c_str());
  *ds = std::move(loaded).value();
  return kExitOk;
}

}  // namespace lockstep::cli
