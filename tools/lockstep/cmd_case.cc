// lockstep case list|show|alerts|confirm|dismiss|needs-review|remove|import-indicators --store FILE|URI: the case store.
#include <ctime>
#include <memory>

#include <fmt/format.h>

#include "command.h"
#include "data_flags.h"
#include "lockstep/indicators/published_indicators.h"
#include "lockstep/model/time.h"
#include "lockstep/store/case_store.h"
#include "lockstep/store/fingerprint.h"

namespace lockstep::cli {
namespace {

struct CaseFlags {
  std::string store;
  std::string network;
  std::string analyst;
  std::string reason;
  std::string at;
  DataFlags data;
  std::vector<std::string> files;
  std::string on_error = "fail";
  int64_t limit = 100;
};

int Fail(const Status& s) {
  std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
  return ExitCodeFor(s);
}

std::string Offset(const std::optional<double>& o) { return o ? fmt::format("UTC{:+g}", *o) : "-"; }

int List(CaseStore& store) {
  Result<std::vector<CaseSummary>> cases = store.ListCases();
  if (!cases.ok()) return Fail(cases.status());
  fmt::print("{:<10} {:>6} {:>10}  {:<4} {:<8} {:<13} {}\n", "case", "size", "confidence", "tier", "offset", "verdict",
             "removed");
  for (const CaseSummary& c : cases.value())
    fmt::print("{:<10} {:>6} {:>10.2f}  {:<4} {:<8} {:<13} {}\n", c.case_id, c.size, c.confidence, c.tier,
               Offset(c.utc_offset), c.latest_verdict ? std::string(Name(c.latest_verdict->verdict)) : "-",
               c.removed_at ? FormatTime(*c.removed_at) : "-");
  return kExitOk;
}

int Show(CaseStore& store, const std::string& id) {
  Result<CaseDetail> d = store.GetCase(id);
  if (!d.ok()) return Fail(d.status());
  const CaseSummary& c = d->summary;
  fmt::print("case {} (run {}, data {})\n", c.case_id, c.run_id, d->data_path);
  fmt::print("  {} members, confidence {:.2f}, tier {}, operators' clock {}\n", c.size, c.confidence, c.tier,
             Offset(c.utc_offset));
  if (c.removed_at) fmt::print("  removed at {}\n", FormatTime(*c.removed_at));
  fmt::print("evidence:\n");
  for (const std::string& ind : d->indicators) fmt::print("  {}\n", ind);
  fmt::print("verdicts:\n");
  for (const VerdictRecord& v : d->verdicts)
    fmt::print("  {} {} by {}: {}\n", FormatTime(v.decided_at), Name(v.verdict), v.analyst, v.reason);
  fmt::print("members:\n");
  for (const CaseMember& m : d->members)
    fmt::print("  {:<24} {:.2f}{}\n", m.account_id, m.score, m.attached ? "  (attached)" : "");
  return kExitOk;
}

// What `lockstep watch` recorded, newest first.
int Alerts(CaseStore& store, int64_t limit) {
  Result<std::vector<WatchAlert>> alerts = store.WatchAlerts(limit);
  if (!alerts.ok()) return Fail(alerts.status());
  fmt::print("{:<20} {:<24} {:<16} {:>5}  {}\n", "found", "account", "matches", "score", "what matched (source; data)");
  for (const WatchAlert& a : alerts.value())
    fmt::print("{:<20} {:<24} {:<16} {:>5.2f}  {}{}; {}\n", FormatTime(a.recorded_at), a.account_id,
               a.kind == WatchAlertKind::kReturning ? a.case_id : "known indicator", a.score, a.matched,
               a.source.empty() ? "" : fmt::format(" (listed in {})", a.source), a.data_path);
  return kExitOk;
}

int Remove(CaseStore& store, const CaseFlags& f, int64_t at) {
  Result<CaseDetail> d = store.GetCase(f.network);
  if (!d.ok()) return Fail(d.status());
  Dataset ds;
  LoadReport report;
  if (int code = LoadData(f.data, &ds, &report); code != kExitOk) return code;
  std::vector<AccountIndex> members;
  for (const CaseMember& m : d->members)
    if (StringId id = ds.account_ids.Find(m.account_id); id != kNoString) members.push_back(id);
  if (members.empty())
    return Fail(Status::InvalidArgument(
        fmt::format("none of the {} members of {} is in {}; pass the data set the network was detected in ({})",
                    d->members.size(), d->summary.case_id, f.data.path, d->data_path)));
  std::sort(members.begin(), members.end());
  const Fingerprint fp = BuildFingerprint(ds, members);
  if (Status s = store.RecordRemoval(d->summary.case_id, at, fp, f.data.path); !s.ok()) return Fail(s);
  fmt::print(
      "removed {} at {}; fingerprint: {} infrastructure values, {} domains, {} names, {} images, "
      "{} text shingles, clock {}\n",
      d->summary.case_id, FormatTime(at), fp.infra.size(), fp.domains.size(), fp.names.size(), fp.images.size(),
      fp.shingles.size(), Offset(fp.utc_offset));
  return kExitOk;
}

// Reads every file first, then stores them all in one transaction: a bad
// file leaves the store as it was.
int ImportIndicators(CaseStore& store, const CaseFlags& f, int64_t now) {
  std::vector<PublishedIndicator> all;
  for (const std::string& path : f.files) {
    ErrorSink sink(f.on_error == "skip" ? ErrorPolicy::kSkip : ErrorPolicy::kFail);
    Result<IndicatorFile> file = ReadPublishedIndicators(path, &sink);
    if (!file.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", file.status().message().c_str());
      if (file.status().code() == StatusCode::kInputError && f.on_error != "skip")
        std::fprintf(stderr, "lockstep: nothing imported; fix the file or pass --on-error skip\n");
      return file.status().code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
    }
    size_t counts[std::size(kIndicatorKinds)] = {};
    for (const PublishedIndicator& p : file->indicators) ++counts[static_cast<size_t>(p.kind)];
    std::string by_kind;
    for (IndicatorKind k : kIndicatorKinds)
      if (counts[static_cast<size_t>(k)] > 0)
        by_kind += fmt::format("{}{} {}", by_kind.empty() ? "" : ", ", counts[static_cast<size_t>(k)], Name(k));
    const std::string network = file->indicators.empty() ? "" : file->indicators.front().network;
    const std::string date = file->indicators.empty() ? "" : file->indicators.front().date;
    fmt::print("{}: {} indicators ({}; {}){}{}\n", path, file->indicators.size(), Name(file->layout),
               by_kind.empty() ? "none" : by_kind, network.empty() ? "" : fmt::format(", network {}", network),
               date.empty() ? "" : fmt::format(", {}", date));
    if (!file->skipped.empty()) {
      // STIX objects lockstep cannot represent: counted, never dropped silently.
      uint64_t total = 0;
      std::string reasons;
      for (const auto& [why, n] : file->skipped) {
        total += n;
        reasons += fmt::format("{}{} {}", reasons.empty() ? "" : "; ", n, why);
      }
      fmt::print("  {} not representable as known indicators, skipped: {}\n", total, reasons);
    }
    if (sink.total() > 0) fmt::print("  {} rows skipped:\n{}", sink.total(), sink.Summary());
    for (PublishedIndicator& p : file->indicators) all.push_back(std::move(p));
  }
  Result<int64_t> added = store.AddKnownIndicators(all, now);
  if (!added.ok()) return Fail(added.status());
  fmt::print("{} known indicators stored ({} already in the store)\n", added.value(),
             static_cast<int64_t>(all.size()) - added.value());
  return kExitOk;
}

std::function<int()> Setup(CLI::App& app) {
  auto f = std::make_shared<CaseFlags>();
  app.require_subcommand(1);
  auto store_option = [&](CLI::App* sub) {
    sub->add_option("--store", f->store, "the case store: SQLite file or postgresql:// URI")->required();
  };
  CLI::App* list = app.add_subcommand("list", "List the cases: networks of every run with verdict and removal");
  store_option(list);
  CLI::App* show = app.add_subcommand("show", "Show a case: evidence, verdicts, members");
  store_option(show);
  show->add_option("--network", f->network, "case id: r<run>.<network> or <network> of the newest run")->required();
  CLI::App* alerts = app.add_subcommand("alerts", "List what lockstep watch found: returning accounts and known indicators");
  store_option(alerts);
  alerts->add_option("--limit", f->limit, "at most this many, newest first")->check(CLI::Range(int64_t{1}, int64_t{1} << 40))->capture_default_str();
  std::vector<std::pair<CLI::App*, Verdict>> verdicts;
  for (auto [name, verdict, what] : {std::tuple{"confirm", Verdict::kConfirmed, "Confirm a case as inauthentic"},
                                     std::tuple{"dismiss", Verdict::kDismissed, "Dismiss a case"},
                                     std::tuple{"needs-review", Verdict::kNeedsReview, "Mark a case for review"}}) {
    CLI::App* sub = app.add_subcommand(name, what);
    store_option(sub);
    sub->add_option("--network", f->network, "case id")->required();
    sub->add_option("--analyst", f->analyst, "who decides")->required();
    sub->add_option("--reason", f->reason, "why")->required();
    verdicts.emplace_back(sub, verdict);
  }
  CLI::App* remove = app.add_subcommand("remove", "Record a network's removal and store its fingerprint for watch");
  store_option(remove);
  remove->add_option("--network", f->network, "case id")->required();
  remove->add_option("--at", f->at, "removal time (ISO 8601 or Unix seconds; default now)");
  remove->add_option("--data", f->data.path, "the data set the network was detected in")->required();
  remove->add_option("--format", f->data.format, "format of --data")->capture_default_str();
  CLI::App* import = app.add_subcommand(
      "import-indicators",
      "Store published indicators (Meta's kill-chain tables and indicator lists: CSV, TSV, JSON, Markdown; STIX 2.1 "
      "bundles) as known indicators for watch");
  store_option(import);
  import->add_option("FILE", f->files, "indicator files")->required();
  import->add_option("--on-error", f->on_error, "fail: stop at the first bad row (exit 2); skip: import the rest")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();

  return [f, list, show, alerts, remove, import, verdicts]() {
    // list, show and alerts only read: a store that is read-only on disk can be listed.
    const bool reads = list->parsed() || show->parsed() || alerts->parsed();
    Result<std::unique_ptr<CaseStore>> store =
        CaseStore::Open(f->store, reads ? StoreAccess::kReadOnly : StoreAccess::kReadWrite);
    if (!store.ok()) return Fail(store.status());
    CaseStore& s = *store.value();
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    if (list->parsed()) return List(s);
    if (show->parsed()) return Show(s, f->network);
    if (alerts->parsed()) return Alerts(s, f->limit);
    for (const auto& [sub, verdict] : verdicts) {
      if (!sub->parsed()) continue;
      Result<std::string> id = s.ResolveCase(f->network);
      if (!id.ok()) return Fail(id.status());
      if (Status st = s.AddVerdict(id.value(), verdict, f->analyst, f->reason, now); !st.ok()) return Fail(st);
      fmt::print("{}: {} by {}\n", id.value(), Name(verdict), f->analyst);
      return kExitOk;
    }
    if (import->parsed()) return ImportIndicators(s, *f, now);
    if (remove->parsed()) {
      int64_t at = now;
      if (!f->at.empty() && !ParseTime(f->at, &at))
        return Fail(Status::InvalidArgument(fmt::format("--at {}: expected ISO 8601 or Unix seconds", f->at)));
      return Remove(s, *f, at);
    }
    return kExitUsage;
  };
}

const bool kRegistered = Register(
    {"case", "The case store: list, show, confirm, dismiss and remove networks; watch's alerts; import published indicators", Setup});

}  // namespace
}  // namespace lockstep::cli
