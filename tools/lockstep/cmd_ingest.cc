// lockstep ingest DATA [--save FILE]: load a data set, print what is in it.
#include <chrono>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "command.h"
#include "data_flags.h"
#include "lockstep/model/input_error.h"
#include "lockstep/model/snapshot.h"

namespace lockstep::cli {
namespace {

void PrintSummary(const Dataset& ds, const LoadReport& report) {
  fmt::print("format: {}\n", report.format);
  if (!report.files.empty()) {
    fmt::print("files:\n");
    for (const FileStats& f : report.files)
      fmt::print("  {:<48} rows read {:>10} = loaded {:>10} + rejected {:>8}\n", f.path, f.rows_read, f.rows_loaded,
                 f.rows_rejected);
    fmt::print("  {:<48} rows read {:>10} = loaded {:>10} + rejected {:>8}\n", "total", report.rows_read(),
               report.rows_loaded(), report.rows_rejected());
  }
  if (!report.sources.empty()) fmt::print("sources:\n");
  for (const SourceStats& s : report.sources) fmt::print("  {}\n", FormatSourceStats(s));
  std::map<std::string, uint64_t> by_platform_kind;
  for (const Account& a : ds.accounts) {
    std::string platform(ds.String(a.platform));
    by_platform_kind[fmt::format("{}/{}", platform.empty() ? "(none)" : platform, Name(a.kind))]++;
  }
  fmt::print("accounts: {}\n", ds.accounts.size());
  for (const auto& [key, n] : by_platform_kind) fmt::print("  {:<32} {:>10}\n", key, n);
  uint64_t by_type[kEventTypes] = {};
  for (EventType t : ds.events.type) by_type[static_cast<int>(t)]++;
  fmt::print("events: {}\n", ds.events.size());
  for (int t = 0; t < kEventTypes; ++t)
    if (by_type[t] > 0) fmt::print("  {:<32} {:>10}\n", Name(static_cast<EventType>(t)), by_type[t]);
  if (ds.events.size() > 0)
    fmt::print("time span: {} .. {}\n", FormatTime(ds.events.time.front()), FormatTime(ds.events.time.back()));
  uint64_t by_kind[kInfraKinds] = {};
  for (const InfraObservation& o : ds.infra) by_kind[static_cast<int>(o.kind)]++;
  fmt::print("infrastructure observations: {}\n", ds.infra.size());
  for (int k = 0; k < kInfraKinds; ++k)
    if (by_kind[k] > 0) fmt::print("  {:<32} {:>10}\n", Name(static_cast<InfraKind>(k)), by_kind[k]);
  fmt::print("profile changes: {}, follower counts: {}, ads: {}\n", ds.profile_changes.size(),
             ds.follower_counts.size(), ds.ads.size());
  fmt::print("distinct: {} objects, {} urls, {} domains, {} hashtags\n", ds.objects.size(), ds.urls.size(),
             ds.domains.size(), ds.hashtags.size());
  const double mb = static_cast<double>(report.bytes) / 1e6;
  fmt::print("parsed {:.1f} MB in {:.2f} s ({:.0f} MB/s, {:.0f} events/s); {:.1f} bytes/event in memory without text\n",
             mb, report.seconds, report.seconds > 0 ? mb / report.seconds : 0,
             report.seconds > 0 ? static_cast<double>(ds.events.size()) / report.seconds : 0,
             ds.events.size() > 0 ? static_cast<double>(ds.EventBytesWithoutText()) / ds.events.size() : 0.0);
}

std::function<int()> Setup(CLI::App& app) {
  auto flags = std::make_shared<DataFlags>();
  auto save = std::make_shared<std::string>();
  flags->Add(app);
  CLI::Option* save_option =
      app.add_option("--save", *save, "write the parsed data set as a snapshot file, which every DATA argument accepts");
  return [flags, save, save_option]() {
    if (save_option->count() > 0 && save->empty()) {
      std::fprintf(stderr, "lockstep: --save '': the snapshot needs a file name\n");
      return kExitUsage;
    }
    // Checked before loading: an unwritable --save must not cost the load first.
    if (!save->empty())
      if (Status s = CheckSnapshotPath(*save); !s.ok()) {
        std::fprintf(stderr, "lockstep: --save: %s\n", EscapeControl(s.message()).c_str());
        return kExitBadInput;
      }
    Dataset ds;
    LoadReport report;
    if (int code = LoadData(*flags, &ds, &report, /*quiet_sources=*/true); code != kExitOk) return code;
    PrintSummary(ds, report);
    if (!save->empty()) {
      const auto start = std::chrono::steady_clock::now();
      Status s = SaveSnapshot(ds, *save);
      if (!s.ok()) {
        std::fprintf(stderr, "lockstep: --save: %s\n", EscapeControl(s.message()).c_str());
        return s.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
      }
      fmt::print("snapshot written to {} in {:.2f} s\n", *save,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return kExitOk;
  };
}

const bool kRegistered = Register({"ingest", "Load a data set and print what it holds; optionally save a snapshot", Setup});

}  // namespace
}  // namespace lockstep::cli
