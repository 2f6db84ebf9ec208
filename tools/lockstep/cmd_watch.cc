// lockstep watch --store FILE|URI DATA...: new data against removed networks and known indicators;
// the matches are kept in the store as alerts for the workbench's queue.
#include <cerrno>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "command.h"
#include "data_flags.h"
#include "lockstep/detect/default_signals.h"
#include "lockstep/detect/detector.h"
#include "lockstep/model/csv_field.h"
#include "lockstep/store/case_store.h"
#include "lockstep/store/watch.h"

namespace lockstep::cli {
namespace {

struct WatchFlags {
  std::string store;
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string out;
  WatchOptions options;
  EarlyStageOptions early;
  bool detect = true;
  bool record = true;
};

std::function<int()> Setup(CLI::App& app) {
  auto f = std::make_shared<WatchFlags>();
  app.add_option("DATA", f->paths, "new data sets (only these are read; the history lives in the store)")->required();
  app.add_option("--store", f->store, "the case store holding removed networks (SQLite file or postgresql:// URI)")->required();
  app.add_option("--format", f->format, "format of DATA")->capture_default_str();
  app.add_option("--out", f->out, "write matches as CSV: account_id,matched_network,score,reasons");
  app.add_option("--min-score", f->options.min_score, "report accounts scoring at least this, [0, 1]")
      ->check(Within(0, 1))
      ->capture_default_str();
  app.add_option("--early-days", f->early.early_days,
                 "early-stage: members created within this many days of the data's end")
      ->check(Within(0, 3660))
      ->capture_default_str();
  app.add_option("--early-max-members", f->early.max_members, "early-stage: at most this many members")
      ->check(Within(1, 1e9))
      ->capture_default_str();
  app.add_flag("!--no-detect", f->detect, "skip detection of early-stage networks");
  app.add_flag("!--no-record", f->record,
               "do not record the matches in the store as alerts (then the store is only read)");
  return [f]() {
    Result<std::unique_ptr<CaseStore>> store = CaseStore::Open(f->store, StoreAccess::kReadOnly);
    if (!store.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", store.status().message().c_str());
      return store.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
    }
    Result<std::vector<RemovedNetwork>> removed = store.value()->RemovedNetworks();
    if (!removed.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", removed.status().message().c_str());
      return removed.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
    }
    Result<std::vector<PublishedIndicator>> known = store.value()->KnownIndicators();
    if (!known.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", known.status().message().c_str());
      return known.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
    }
    std::FILE* csv = nullptr;
    if (!f->out.empty()) {
      if (int code = CheckOutputFile("--out", f->out); code != kExitOk) return code;
      csv = std::fopen(f->out.c_str(), "w");
      if (csv == nullptr) {
        std::fprintf(stderr, "lockstep: --out %s: cannot write: %s\n", f->out.c_str(), std::strerror(errno));
        return kExitBadInput;
      }
      fmt::print(csv, "account_id,matched_network,score,reasons\n");
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(csv, [](std::FILE* p) { return p ? std::fclose(p) : 0; });
    store.value().reset();  // read what it needs; recording opens it for writing at the end
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    std::vector<WatchAlert> alerts;
    fmt::print("watching for {} removed networks and {} known indicators\n", removed->size(), known->size());
    for (const std::string& path : f->paths) {
      DataFlags data;
      data.path = path;
      data.format = f->format;
      Dataset ds;
      LoadReport report;
      if (int code = LoadData(data, &ds, &report); code != kExitOk) return code;
      Watch watch(ds, removed.value(), f->options);
      if (Status s = watch.Run(); !s.ok()) {
        std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
        return kExitUsage;
      }
      fmt::print("{}: {} accounts, {} returning\n", path, ds.num_accounts(), watch.matches().size());
      for (WatchAlert& a : MakeWatchAlerts(ds, watch.matches(), {}, path, now)) alerts.push_back(std::move(a));
      fmt::print("  {:<24} {:<10} {:>5}  {}\n", "account", "network", "score", "why");
      for (const WatchMatch& m : watch.matches()) {
        std::string reasons;
        for (const std::string& r : m.reasons) reasons += (reasons.empty() ? "" : "; ") + r;
        fmt::print("  {:<24} {:<10} {:>5.2f}  {}\n", ds.AccountId(m.account), m.case_id, m.score, reasons);
        if (csv != nullptr)
          fmt::print(csv, "{},{},{:.3f},{}\n", CsvField(ds.AccountId(m.account)), CsvField(m.case_id), m.score,
                     CsvField(reasons));
      }
      if (!known->empty()) {
        KnownIndicatorWatch listed(ds, known.value());
        if (Status s = listed.Run(); !s.ok()) {
          std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
          return kExitInternal;
        }
        fmt::print("{}: {} accounts touch known indicators\n", path, listed.matches().size());
        for (WatchAlert& a : MakeWatchAlerts(ds, {}, listed.matches(), path, now)) alerts.push_back(std::move(a));
        for (const KnownIndicatorMatch& m : listed.matches()) {
          std::string reasons;
          for (const std::string& r : m.reasons) reasons += (reasons.empty() ? "" : "; ") + r;
          fmt::print("  {:<24} {}\n", ds.AccountId(m.account), reasons);
          if (csv != nullptr)
            fmt::print(csv, "{},known-indicators,1.000,{}\n", CsvField(ds.AccountId(m.account)), CsvField(reasons));
        }
      }
      if (!f->detect) continue;
      DetectorOptions options;
      options.text_clusters = ShareTextClusters(ds, options);
      Detector detector(ds, options);
      for (auto& signal : DefaultSignals(ds, options)) detector.AddSignal(std::move(signal));
      Status s = detector.Run();
      if (!s.ok()) {
        std::fprintf(stderr, "lockstep: early-stage detection skipped for %s: %s\n", path.c_str(), s.message().c_str());
        continue;
      }
      for (const EarlyStageNetwork& e : FindEarlyStage(ds, detector.result(), f->early)) {
        fmt::print("  early-stage network {}: {}\n", e.network_id, e.reason);
        if (csv == nullptr) continue;
        for (const Network& n : detector.result().networks)
          if (n.network_id == e.network_id)
            for (AccountIndex a : n.members)
              fmt::print(csv, "{},{},{:.3f},{}\n", CsvField(ds.AccountId(a)), CsvField("early-stage:" + e.network_id),
                         n.confidence, CsvField(e.reason));
      }
    }
    if (f->record && !alerts.empty()) {
      Result<std::unique_ptr<CaseStore>> writable = CaseStore::Open(f->store);
      Result<int64_t> added = writable.status();
      if (writable.ok()) added = writable.value()->RecordWatchAlerts(alerts);
      if (!added.ok()) {
        std::fprintf(stderr, "lockstep: the matches could not be recorded as alerts in %s: %s (--no-record only reads it)\n",
                     f->store.c_str(), added.status().message().c_str());
        return added.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
      }
      fmt::print("recorded {} new alert{} in {} ({} already there); `lockstep serve` shows them at the top of the queue\n",
                 added.value(), added.value() == 1 ? "" : "s", f->store, alerts.size() - added.value());
    }
    return kExitOk;
  };
}

const bool kRegistered =
    Register({"watch", "Find returning accounts of removed networks and early-stage networks in new data", Setup});

}  // namespace
}  // namespace lockstep::cli
