#include "lockstep/server/workbench.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lockstep/ingest/load.h"
#include "lockstep/model/csv_field.h"
#include "lockstep/model/input_error.h"
#include "lockstep/model/json_writer.h"
#include "lockstep/report/graph_writer.h"
#include "lockstep/report/network_stats.h"
#include "lockstep/report/svg_chart.h"
#include "lockstep/server/workbench_store.h"
#include "lockstep/store/case_store.h"
#include "lockstep/store/fingerprint.h"
#include "lockstep/model/time.h"
#include "lockstep/report/disclosure.h"
#include "server/member_graph.h"
#include "server/tar_writer.h"
#include "server/web_assets.h"
#include "model/ascii.h"

namespace lockstep {
namespace {

using internal::EdgeEvidence;
using internal::MemberEdgeLayer;

constexpr const char* kCookie = "lockstep_session";
constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

constexpr size_t kWorkerThreads = 64;
// evidence.csv of a whole network: its strongest co_share edges, and per edge
// at most kNetworkEvidenceRowsPerEdge co-shared actions (closest in time
// first); the file of one edge holds up to kEvidenceRowsPerEdge. A whole
// network's file of 200 edges with every action of busy accounts ran to
// minutes; each edge's link on the page gives all of its rows.
constexpr size_t kEvidenceEdges = 200;
constexpr size_t kEvidenceRowsPerEdge = 100000;
constexpr size_t kNetworkEvidenceRowsPerEdge = 1000;
// The queue shows the newest watch alerts, at most this many.
constexpr int64_t kQueueWatchAlerts = 500;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

void SendJson(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, int status, std::string_view message) {
  JsonWriter w(false);
  w.BeginObject().Field("error", message).EndObject();
  SendJson(res, status, w.Take());
}

int HttpStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kInputError:
      return 400;
    default:
      return 500;
  }
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const std::string header = req.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    std::string_view part = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
  }
  return "";
}

// Constant-time comparison of two tokens.
bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// A network that shares members with a removed one (the queue's alerts).
struct ReturningAlert {
  std::string case_id, removed_case_id;
  int64_t removed_at = 0, shared = 0, size = 0;
};

// What the queue calls a case's state.
std::string_view CaseStatus(const CaseSummary& c) {
  if (c.removed_at) return "removed";
  if (c.latest_verdict) return Name(c.latest_verdict->verdict);
  return "new";
}

// A data set loaded for the runs that name it.
struct LoadedData {
  Dataset ds;
  std::string error;  // why it could not be loaded ("" when loaded)
};

// One member's part in the network: its events and its links in the member graph by layer.
struct MemberActivity {
  int64_t events = 0, co_share_links = 0, infrastructure_links = 0;
  int64_t links() const { return co_share_links + infrastructure_links; }
  // The evidence that ties it to the others, for colouring the graph: "co_share and
  // infrastructure", "co_share", "infrastructure" or "none".
  std::string_view evidence() const {
    if (co_share_links > 0 && infrastructure_links > 0) return "co_share and infrastructure";
    if (co_share_links > 0) return "co_share";
    if (infrastructure_links > 0) return "infrastructure";
    return "none";
  }
};

// What the pages show about one case that depends only on the data set:
// computed once per case and kept (the data set does not change).
struct CaseView {
  std::shared_ptr<const LoadedData> data;
  std::vector<AccountIndex> members;  // in the store's member order, those the data set has
  NetworkStats stats;
  std::vector<MemberEdgeLayer> edges;  // indices into members
  std::unordered_map<AccountIndex, MemberActivity> activity;
  std::string platform;  // the members' most common
  // GET /api/cases/CASE/graph: {"layers": [...], "nodes": [{id, handle, role, score}],
  // "edges": [[node, node, layer, weight], ...]} (indices; compact: N1 of a
  // scale-1 detection has 70,000 edges).
  std::string graph_json;
};

std::vector<AccountIndex> MemberIndices(const Dataset& ds, const CaseDetail& d);
std::string MostCommonPlatform(const Dataset& ds, const std::vector<AccountIndex>& members);

}  // namespace

struct Workbench::State {
  WorkbenchOptions options;
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int port = 0;
  std::mutex stop_mutex;
  bool stopped = false;

  // Store connections, one per concurrent request.
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<CaseStore>> pool;

  // Data sets by the path a run recorded, loaded once.
  std::mutex data_mutex;
  std::map<std::string, std::shared_ptr<const LoadedData>> data;

  // Case views by canonical case id.
  std::mutex view_mutex;
  std::map<std::string, std::shared_ptr<const CaseView>> views;

  // The view of case `d`, computed on first use; nullptr data error in view->data->error.
  std::shared_ptr<const CaseView> View(const CaseDetail& d) {
    {
      std::lock_guard lock(view_mutex);
      auto it = views.find(d.summary.case_id);
      if (it != views.end()) return it->second;
    }
    auto v = std::make_shared<CaseView>();
    v->data = Data(d.data_path);
    if (v->data->error.empty()) {
      const Dataset& ds = v->data->ds;
      v->members = MemberIndices(ds, d);
      Network n;
      n.network_id = d.summary.network_id;
      n.members = v->members;
      std::sort(n.members.begin(), n.members.end());
      n.utc_offset = d.summary.utc_offset;
      v->stats = ComputeNetworkStats(ds, n);
      v->edges = internal::BuildMemberEdges(ds, v->members);
      v->platform = MostCommonPlatform(ds, v->members);
      for (AccountIndex a : v->members) v->activity[a] = {};
      for (size_t e = 0; e < ds.events.size(); ++e)
        if (auto it = v->activity.find(ds.events.account[e]); it != v->activity.end()) ++it->second.events;
      for (const MemberEdgeLayer& e : v->edges)
        for (uint32_t end : {e.a, e.b}) {
          MemberActivity& act = v->activity[v->members[end]];
          ++(e.layer == "co_share" ? act.co_share_links : act.infrastructure_links);
        }
      std::unordered_map<std::string_view, const CaseMember*> by_id;
      for (const CaseMember& m : d.members) by_id[m.account_id] = &m;
      JsonWriter w(false);
      w.BeginObject().Key("layers").BeginArray();
      for (std::string_view layer : internal::kMemberGraphLayers) w.String(layer);
      w.EndArray().Key("nodes").BeginArray();
      for (AccountIndex a : v->members) {
        const CaseMember* m = by_id[ds.AccountId(a)];
        w.BeginObject().Field("id", ds.AccountId(a));
        if (ds.IsAccount(a)) w.Field("handle", ds.String(ds.accounts[a].handle));
        w.Field("role", m->attached ? "attached" : "core").Field("score", m->score);
        w.Field("evidence", v->activity[a].evidence()).EndObject();
      }
      w.EndArray().Key("edges").BeginArray();
      for (const MemberEdgeLayer& e : v->edges) {
        const auto layer = std::find(std::begin(internal::kMemberGraphLayers), std::end(internal::kMemberGraphLayers),
                                     e.layer) - std::begin(internal::kMemberGraphLayers);
        w.BeginArray().Int(e.a).Int(e.b).Int(layer).Number(e.weight).EndArray();
      }
      v->graph_json = w.EndArray().EndObject().Take();
    }
    std::lock_guard lock(view_mutex);
    return views.emplace(d.summary.case_id, std::move(v)).first->second;
  }

  // Failed logins by name and by address: times within the window.
  std::mutex login_mutex;
  std::unordered_map<std::string, std::deque<int64_t>> failures;

  // A borrowed store connection, returned to the pool on destruction.
  class Lease {
   public:
    Lease(State* s, std::unique_ptr<CaseStore> store) : s_(s), store_(std::move(store)) {}
    ~Lease() {
      if (store_) {
        std::lock_guard lock(s_->pool_mutex);
        s_->pool.push_back(std::move(store_));
      }
    }
    Lease(Lease&&) = default;
    CaseStore& operator*() { return *store_; }
    CaseStore* operator->() { return store_.get(); }

   private:
    State* s_;
    std::unique_ptr<CaseStore> store_;
  };

  Result<Lease> Borrow() {
    {
      std::lock_guard lock(pool_mutex);
      if (!pool.empty()) {
        std::unique_ptr<CaseStore> s = std::move(pool.back());
        pool.pop_back();
        return Lease(this, std::move(s));
      }
    }
    Result<std::unique_ptr<CaseStore>> s = CaseStore::Open(options.store);
    if (!s.ok()) return s.status();
    return Lease(this, std::move(s).value());
  }

  std::shared_ptr<const LoadedData> Data(const std::string& path) {
    std::lock_guard lock(data_mutex);
    auto it = data.find(path);
    if (it != data.end()) return it->second;
    auto loaded = std::make_shared<LoadedData>();
    ErrorSink sink(ErrorPolicy::kSkip);
    LoadReport report;
    Result<Dataset> ds = LoadDataset(path, "auto", LoadOptions{}, &sink, &report);
    if (ds.ok())
      loaded->ds = std::move(ds).value();
    else
      loaded->error = fmt::format("the data set of this run ({}) cannot be loaded: {}", path,
                                  ds.status().message());
    data[path] = loaded;
    return loaded;
  }

  // Whether `key` (a name or an address) may try to log in now.
  bool LoginAllowed(const std::string& key, int64_t now) {
    std::lock_guard lock(login_mutex);
    auto& times = failures[key];
    while (!times.empty() && times.front() <= now - options.login_window_seconds) times.pop_front();
    return static_cast<int>(times.size()) < options.login_failures;
  }
  // Records a failed login; true when it is the one that reaches the limit.
  bool LoginFailed(const std::string& key, int64_t now) {
    std::lock_guard lock(login_mutex);
    auto& times = failures[key];
    times.push_back(now);
    return static_cast<int>(times.size()) == options.login_failures;
  }

  void Routes();
};

namespace {

using Handler = std::function<void(const httplib::Request&, httplib::Response&, CaseStore&, const WorkbenchSession&)>;

void WriteSummary(JsonWriter& w, const CaseSummary& c) {
  w.Field("case_id", c.case_id).Field("run_id", c.run_id).Field("network_id", c.network_id);
  w.Field("status", CaseStatus(c)).Field("tier", c.tier).Field("confidence", c.confidence).Field("size", c.size);
  w.Key("utc_offset").OptionalNumber(c.utc_offset);
  if (c.latest_verdict) {
    w.Key("verdict").BeginObject();
    w.Field("verdict", Name(c.latest_verdict->verdict)).Field("analyst", c.latest_verdict->analyst);
    w.Field("reason", c.latest_verdict->reason).Field("at", c.latest_verdict->decided_at);
    w.EndObject();
  }
  if (c.removed_at) w.Field("removed_at", *c.removed_at);
  // Origin and target, as detection described them (none for runs recorded before schema 5).
  w.Field("described", c.described);
  w.Field("origin_time_zone", c.utc_offset ? FormatUtcOffset(*c.utc_offset) : "");
  for (const auto& [key, names] : {std::pair{"origin_countries", &c.origin_countries},
                                   std::pair{"target_countries", &c.target_countries},
                                   std::pair{"languages", &c.languages}, std::pair{"top_domains", &c.top_domains}}) {
    w.Key(key).BeginArray();
    for (const std::string& n : *names) w.String(n);
    w.EndArray();
  }
}

// A user name as typed at the login, for the audit log: at most 64 bytes
// (no user's name is longer), control characters as '?'.
std::string AuditedName(std::string_view name) {
  std::string out(name.substr(0, 64));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  if (name.size() > 64) out += "...";
  return out.empty() ? "(no name)" : out;
}

using internal::AsciiLower;

bool HasName(const std::vector<std::string>& names, const std::string& lower) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return AsciiLower(n) == lower; });
}

// The queue's origin filter: a country the network operates from, or its
// inferred time zone ("UTC+03:00"); case-insensitive.
bool MatchesOrigin(const CaseSummary& c, const std::string& origin) {
  const std::string lower = AsciiLower(origin);
  return HasName(c.origin_countries, lower) || (c.utc_offset && AsciiLower(FormatUtcOffset(*c.utc_offset)) == lower);
}

// The queue's target filter: a country, language or outlet (domain) the
// network's content is aimed at; case-insensitive.
bool MatchesTarget(const CaseSummary& c, const std::string& target) {
  const std::string lower = AsciiLower(target);
  return HasName(c.target_countries, lower) || HasName(c.languages, lower) || HasName(c.top_domains, lower);
}

// A CSV field that a spreadsheet will not run as a formula: data from the
// data sets (post texts, handles) starting with =, +, -, @, tab or CR gets a
// leading apostrophe (OWASP's advice on CSV injection).
std::string SheetField(std::string_view s) {
  if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos)
    return CsvField("'" + std::string(s));
  return CsvField(s);
}

void WriteAudit(JsonWriter& w, const std::vector<AuditEntry>& log) {
  w.BeginArray();
  for (const AuditEntry& a : log) {
    w.BeginObject().Field("at", a.at).Field("user", a.user).Field("action", a.action).Field("case_id", a.case_id);
    w.Field("detail", a.detail).Field("reason", a.reason).EndObject();
  }
  w.EndArray();
}

// Member account indices of a case in `ds` (those the data set has).
std::vector<AccountIndex> MemberIndices(const Dataset& ds, const CaseDetail& d) {
  std::vector<AccountIndex> out;
  for (const CaseMember& m : d.members)
    if (StringId id = ds.account_ids.Find(m.account_id); id != kNoString) out.push_back(id);
  return out;
}

// One member of a case as the network page (JSON) and members.csv show it:
// the store's record, the account in the run's data set, what ties it to the
// others in the member graph, and its removal as a false member. Built once,
// by MemberRows, for both.
struct MemberRow {
  const CaseMember* member = nullptr;
  const Dataset* ds = nullptr;        // nullptr when the run's data set is not loaded
  const Account* account = nullptr;   // nullptr when the data set lacks the account
  MemberActivity activity;            // zero without the data set
  const MemberRemoval* removal = nullptr;  // nullptr unless removed as a false member
  std::string_view handle() const { return account ? ds->String(account->handle) : std::string_view(); }
  std::string_view platform() const { return account ? ds->String(account->platform) : std::string_view(); }
};

// The rows of `d`'s members, in the store's order; pointers into d, view and
// removed, which must outlive them.
std::vector<MemberRow> MemberRows(const CaseDetail& d, const CaseView& view, const std::vector<MemberRemoval>& removed) {
  std::unordered_map<std::string_view, const MemberRemoval*> removal;
  for (const MemberRemoval& m : removed) removal[m.account_id] = &m;
  const Dataset* ds = view.data->error.empty() ? &view.data->ds : nullptr;
  std::vector<MemberRow> rows;
  rows.reserve(d.members.size());
  for (const CaseMember& m : d.members) {
    MemberRow r;
    r.member = &m;
    r.ds = ds;
    if (ds != nullptr)
      if (StringId a = ds->account_ids.Find(m.account_id); a != kNoString) {
        if (ds->IsAccount(a)) r.account = &ds->accounts[a];
        if (auto it = view.activity.find(a); it != view.activity.end()) r.activity = it->second;
      }
    if (auto it = removal.find(m.account_id); it != removal.end()) r.removal = it->second;
    rows.push_back(r);
  }
  return rows;
}

std::string MostCommonPlatform(const Dataset& ds, const std::vector<AccountIndex>& members) {
  std::map<std::string, int> count;
  for (AccountIndex a : members)
    if (ds.IsAccount(a)) ++count[std::string(ds.String(ds.accounts[a].platform))];
  std::string best;
  int n = 0;
  for (const auto& [p, c] : count)
    if (c > n) best = p, n = c;
  return best;
}

}  // namespace

void Workbench::State::Routes() {
  httplib::Server& s = *server;
  s.set_default_headers({{"Content-Security-Policy", kCsp},
                         {"X-Content-Type-Options", "nosniff"},
                         {"Referrer-Policy", "no-referrer"},
                         {"X-Frame-Options", "DENY"},
                         {"Cache-Control", "no-store"}});
  s.set_payload_max_length(1 << 20);
  // A browser holds its keep-alive connection on a worker thread between
  // requests: with cpp-httplib's default of 8 workers, 50 investigators'
  // tabs queued behind each other for seconds (bench/workbench_load.mjs).
  // Workers mostly wait on sockets, so many are cheap.
  s.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  s.set_keep_alive_timeout(2);
  // cpp-httplib compresses text/* answers with brotli when the browser
  // accepts it, at brotli's slowest quality (11): well under 1 MB/s, so a
  // network's evidence.csv (tens of MB) took minutes and held a worker.
  // Striking br from Accept-Encoding leaves gzip, ~50 times faster. The
  // request is the server's own non-const object, passed here as const.
  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    for (auto& [name, value] : const_cast<httplib::Request&>(req).headers) {
      if (AsciiLower(name) != "accept-encoding") continue;
      std::string kept;
      std::string_view rest = value;
      while (!rest.empty()) {
        const size_t comma = rest.find(',');
        std::string_view token = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
        const std::string_view coding = token.substr(0, token.find(';'));
        if (coding.empty() || AsciiLower(coding).find("br") != std::string::npos) continue;
        kept += (kept.empty() ? "" : ", ") + std::string(token);
      }
      value = kept;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  const bool tls = !options.cert_file.empty();

  // Wraps a handler: session required; writes need `min_role` and the CSRF token.
  auto guard = [this](Role min_role, bool write, Handler h) {
    return [this, min_role, write, h](const httplib::Request& req, httplib::Response& res) {
      Result<Lease> lease = Borrow();
      if (!lease.ok()) return SendError(res, 503, lease.status().message());
      CaseStore& store = **lease;
      WorkbenchStore wb(&store);
      Result<std::optional<WorkbenchSession>> session = wb.FindSession(CookieValue(req, kCookie), Now());
      if (!session.ok()) return SendError(res, 500, session.status().message());
      if (!session->has_value()) return SendError(res, 401, "not logged in");
      const WorkbenchSession& sess = **session;
      if (write && !SameToken(req.get_header_value("X-CSRF-Token"), sess.csrf))
        return SendError(res, 403, "missing or wrong CSRF token (X-CSRF-Token)");
      if (static_cast<int>(sess.user.role) < static_cast<int>(min_role))
        return SendError(res, 403, fmt::format("a {} may not do this; it needs the {} role", Name(sess.user.role),
                                               Name(min_role)));
      h(req, res, store, sess);
    };
  };

  s.Post("/api/login", [this, tls](const httplib::Request& req, httplib::Response& res) {
    const std::string name = req.get_param_value("name"), password = req.get_param_value("password");
    const int64_t now = Now();
    const std::string by_name = "name:" + name, by_addr = "addr:" + req.remote_addr;
    if (!LoginAllowed(by_name, now) || !LoginAllowed(by_addr, now)) {
      res.set_header("Retry-After", std::to_string(options.login_window_seconds));
      return SendError(res, 429, "too many failed logins; wait a minute");
    }
    Result<Lease> lease = Borrow();
    if (!lease.ok()) return SendError(res, 503, lease.status().message());
    WorkbenchStore wb(&**lease);
    Result<std::optional<WorkbenchUser>> user = wb.CheckPassword(name, password);
    if (!user.ok()) return SendError(res, 500, user.status().message());
    if (!user->has_value()) {
      // Into the audit log: who tried (the name as typed), when, from which
      // address; never the password. The failure that reaches the limit says so.
      std::vector<std::string_view> locked;
      if (LoginFailed(by_name, now)) locked.push_back("with this name");
      if (LoginFailed(by_addr, now)) locked.push_back("from this address");
      std::string detail = fmt::format("from {}", req.remote_addr);
      if (!locked.empty())
        detail += fmt::format("; {} failed logins within {} s: logins {} refused for {} s", options.login_failures,
                              options.login_window_seconds, fmt::join(locked, " and "),
                              options.login_window_seconds);
      if (Status st = wb.Audit(now, AuditedName(name), "login_failed", "", detail, ""); !st.ok())
        return SendError(res, 500, st.message());
      return SendError(res, 401, "wrong name or password");
    }
    WorkbenchSession sess;
    Result<std::string> token = wb.CreateSession(**user, now, options.session_seconds, &sess);
    if (!token.ok()) return SendError(res, 500, token.status().message());
    res.set_header("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", kCookie,
                                             *token, options.session_seconds, tls ? "; Secure" : ""));
    (void)wb.Audit(now, sess.user.name, "login", "", "", "");
    JsonWriter w(false);
    w.BeginObject().Field("user", sess.user.name).Field("role", Name(sess.user.role)).Field("csrf", sess.csrf);
    SendJson(res, 200, w.EndObject().Take());
  });

  s.Post("/api/logout", guard(Role::kViewer, true, [](const httplib::Request& req, httplib::Response& res,
                                                      CaseStore& store, const WorkbenchSession&) {
           WorkbenchStore wb(&store);
           if (Status st = wb.DeleteSession(CookieValue(req, kCookie)); !st.ok())
             return SendError(res, 500, st.message());
           res.set_header("Set-Cookie", fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kCookie));
           SendJson(res, 200, "{}");
         }));

  s.Get("/api/me", guard(Role::kViewer, false, [](const httplib::Request&, httplib::Response& res, CaseStore&,
                                                 const WorkbenchSession& sess) {
          JsonWriter w(false);
          w.BeginObject().Field("user", sess.user.name).Field("role", Name(sess.user.role)).Field("csrf", sess.csrf);
          SendJson(res, 200, w.EndObject().Take());
        }));

  // The queue: every network of every run, filtered and sorted.
  s.Get("/api/queue", guard(Role::kViewer, false, [this](const httplib::Request& req, httplib::Response& res,
                                                         CaseStore& store, const WorkbenchSession&) {
          Result<std::vector<CaseSummary>> cases = store.ListCases();
          if (!cases.ok()) return SendError(res, 500, cases.status().message());
          const std::string status = req.get_param_value("status"), tier = req.get_param_value("tier"),
                            platform = req.get_param_value("platform"), sort = req.get_param_value("sort"),
                            origin = req.get_param_value("origin"), target = req.get_param_value("target");
          double min_conf = 0;
          if (req.has_param("min_confidence")) min_conf = std::strtod(req.get_param_value("min_confidence").c_str(), nullptr);
          // Returning networks: a network of a later run that shares members
          // with a removed one (at least 3, or half of the smaller network).
          Result<std::vector<RemovedNetwork>> removed = store.RemovedNetworks();
          if (!removed.ok()) return SendError(res, 500, removed.status().message());
          std::vector<ReturningAlert> alerts;
          if (!removed->empty())
            for (const CaseSummary& c : *cases) {
              if (c.removed_at) continue;
              Result<CaseDetail> d = store.GetCase(c.case_id);
              if (!d.ok()) continue;
              for (const RemovedNetwork& r : *removed) {
                if (r.case_id == c.case_id) continue;
                int64_t shared = 0;
                for (const CaseMember& m : d->members)
                  shared += std::binary_search(r.member_ids.begin(), r.member_ids.end(), m.account_id) ? 1 : 0;
                const int64_t smaller = std::min<int64_t>(d->members.size(), r.member_ids.size());
                if (shared >= 3 || (shared > 0 && 2 * shared >= smaller))
                  alerts.push_back({c.case_id, r.case_id, r.removed_at, shared, c.size});
              }
            }
          // What `lockstep watch` recorded: accounts of new data matching a
          // removed network or a known indicator, newest first.
          Result<std::vector<WatchAlert>> watch_alerts = store.WatchAlerts(kQueueWatchAlerts);
          if (!watch_alerts.ok()) return SendError(res, 500, watch_alerts.status().message());
          // The values the origin and target filters can take, over all networks.
          std::set<std::string> origin_countries, time_zones, target_countries, languages, outlets;
          for (const CaseSummary& c : *cases) {
            origin_countries.insert(c.origin_countries.begin(), c.origin_countries.end());
            if (c.utc_offset) time_zones.insert(FormatUtcOffset(*c.utc_offset));
            target_countries.insert(c.target_countries.begin(), c.target_countries.end());
            languages.insert(c.languages.begin(), c.languages.end());
            outlets.insert(c.top_domains.begin(), c.top_domains.end());
          }
          std::vector<std::pair<CaseSummary, std::string>> rows;
          for (const CaseSummary& c : *cases) {
            if (!origin.empty() && !MatchesOrigin(c, origin)) continue;
            if (!target.empty() && !MatchesTarget(c, target)) continue;
            if (!status.empty() && CaseStatus(c) != status) continue;
            if (!tier.empty() && c.tier != tier) continue;
            if (c.confidence < min_conf) continue;
            Result<CaseDetail> d = store.GetCase(c.case_id);
            std::string plat;
            if (d.ok()) plat = View(*d)->platform;
            if (!platform.empty() && plat != platform) continue;
            rows.emplace_back(c, plat);
          }
          auto key = [&](const std::pair<CaseSummary, std::string>& r) {
            if (sort == "size") return -static_cast<double>(r.first.size);
            if (sort == "run") return -static_cast<double>(r.first.run_id);
            return -r.first.confidence;
          };
          std::stable_sort(rows.begin(), rows.end(), [&](const auto& x, const auto& y) { return key(x) < key(y); });
          JsonWriter w(false);
          w.BeginObject().Key("facets").BeginObject();
          for (const auto& [key, names] :
               {std::pair{"origin_countries", &origin_countries}, std::pair{"time_zones", &time_zones},
                std::pair{"target_countries", &target_countries}, std::pair{"languages", &languages},
                std::pair{"outlets", &outlets}}) {
            w.Key(key).BeginArray();
            for (const std::string& n : *names) w.String(n);
            w.EndArray();
          }
          w.EndObject().Key("alerts").BeginArray();
          for (const ReturningAlert& al : alerts) {
            w.BeginObject().Field("case_id", al.case_id).Field("removed_case_id", al.removed_case_id);
            w.Field("removed_at", al.removed_at).Field("shared_members", al.shared).Field("size", al.size).EndObject();
          }
          w.EndArray().Key("watch_alerts").BeginArray();
          for (const WatchAlert& al : *watch_alerts) {
            w.BeginObject().Field("id", al.id).Field("kind", Name(al.kind)).Field("account_id", al.account_id);
            w.Field("case_id", al.case_id).Field("score", al.score).Field("matched", al.matched);
            w.Field("source", al.source).Field("data_path", al.data_path).Field("recorded_at", al.recorded_at);
            for (const auto& [key, t] : {std::pair{"first_activity", al.first_activity}, std::pair{"last_activity", al.last_activity}}) {
              w.Key(key);
              t ? w.Int(*t) : w.Null();
            }
            w.EndObject();
          }
          w.EndArray().Key("networks").BeginArray();
          for (const auto& [c, plat] : rows) {
            w.BeginObject();
            WriteSummary(w, c);
            w.Field("platform", plat);
            w.EndObject();
          }
          SendJson(res, 200, w.EndArray().EndObject().Take());
        }));

  // One network: summary, report statistics, members, evidence, verdicts, notes, audit.
  s.Get(R"(/api/cases/([A-Za-z0-9._-]+))", guard(Role::kViewer, false, [this](const httplib::Request& req,
                                                                                httplib::Response& res, CaseStore& store,
                                                                                const WorkbenchSession&) {
          Result<CaseDetail> d = store.GetCase(req.matches[1].str());
          if (!d.ok()) return SendError(res, d.status().code() == StatusCode::kInvalidArgument ? 404 : 500,
                                        d.status().message());
          const std::string& id = d->summary.case_id;
          WorkbenchStore wb(&store);
          auto notes = wb.Notes(id);
          auto removed = wb.RemovedMembers(id);
          auto audit = wb.AuditLog(id, 200);
          for (const Status& st : {notes.status(), removed.status(), audit.status()})
            if (!st.ok()) return SendError(res, 500, st.message());
          const std::shared_ptr<const CaseView> view = View(*d);
          const LoadedData* data = view->data.get();
          const Dataset* ds = data->error.empty() ? &data->ds : nullptr;
          JsonWriter w(false);
          w.BeginObject();
          WriteSummary(w, d->summary);
          w.Field("data_path", d->data_path).Field("data_error", data->error);
          if (ds != nullptr) {
            const NetworkStats& stats = view->stats;
            w.Field("platform", view->platform);
            w.Field("presence", stats.presence_sentence).Field("time_zone", stats.time_zone);
            w.Field("events", stats.events).Field("page_followers", stats.page_followers);
            w.Field("group_members", stats.group_members).Field("instagram_followers", stats.instagram_followers);
            w.Key("ad_spend").BeginArray();
            for (const auto& [cur, v] : stats.ad_spend) w.BeginObject().Field("currency", cur).Field("spend", v).EndObject();
            w.EndArray();
            w.Key("infrastructure").BeginArray();
            for (const SharedInfrastructure& si : stats.infrastructure) {
              w.BeginObject().Field("kind", si.kind).Field("shared_values", si.shared_values).Field("members", si.members);
              w.EndObject();
            }
            w.EndArray();
            // The charts' numbers, for a table beside each chart (readable without colour).
            w.Key("events_by_month").BeginArray();
            for (const auto& [month, n] : stats.events_by_month) w.BeginArray().String(month).Int(static_cast<int64_t>(n)).EndArray();
            w.EndArray().Key("weekday_hour").BeginArray();
            for (const auto& day : stats.weekday_hour) {
              w.BeginArray();
              for (uint64_t n : day) w.Int(static_cast<int64_t>(n));
              w.EndArray();
            }
            w.EndArray();
            w.Key("samples").BeginArray();
            for (const SamplePost& p : stats.samples) {
              w.BeginObject().Field("time", p.time).Field("account_id", p.account_id).Field("handle", p.handle);
              w.Field("text", p.text).Field("copies", p.copies).Field("accounts", p.accounts).EndObject();
            }
            w.EndArray();
          }
          w.Key("indicators").BeginArray();
          for (const std::string& ind : d->indicators) {
            w.BeginObject().Field("json", ind).EndObject();  // the stored JSON, parsed by the client
          }
          w.EndArray();
          w.Key("members").BeginArray();
          for (const MemberRow& r : MemberRows(*d, *view, *removed)) {
            const CaseMember& m = *r.member;
            w.BeginObject().Field("account_id", m.account_id).Field("score", m.score).Field("attached", m.attached);
            w.Field("removed", r.removal != nullptr);
            if (r.account != nullptr) {
              w.Field("handle", r.handle()).Field("platform", r.platform());
              w.Field("kind", Name(r.account->kind)).Field("followers", r.account->followers);
            }
            if (r.ds != nullptr) {
              const MemberActivity& act = r.activity;
              w.Field("events", act.events).Field("links", act.links());
              w.Field("co_share_links", act.co_share_links).Field("infrastructure_links", act.infrastructure_links);
              w.Field("evidence", act.evidence());
            }
            w.EndObject();
          }
          w.EndArray();
          w.Key("verdicts").BeginArray();
          for (const VerdictRecord& v : d->verdicts) {
            w.BeginObject().Field("verdict", Name(v.verdict)).Field("analyst", v.analyst).Field("reason", v.reason);
            w.Field("at", v.decided_at).EndObject();
          }
          w.EndArray();
          w.Key("notes").BeginArray();
          for (const NoteRecord& n : *notes) w.BeginObject().Field("at", n.at).Field("author", n.author).Field("text", n.text).EndObject();
          w.EndArray();
          w.Key("removed_members").BeginArray();
          for (const MemberRemoval& m : *removed) {
            w.BeginObject().Field("account_id", m.account_id).Field("by", m.by).Field("reason", m.reason);
            w.Field("at", m.at).EndObject();
          }
          w.EndArray();
          w.Key("audit");
          WriteAudit(w, *audit);
          SendJson(res, 200, w.EndObject().Take());
        }));

  // The report's charts for one network, as SVG images.
  s.Get(R"(/api/cases/([A-Za-z0-9._-]+)/charts/(timeline|hours)\.svg)",
        guard(Role::kViewer, false, [this](const httplib::Request& req, httplib::Response& res, CaseStore& store,
                                           const WorkbenchSession&) {
          Result<CaseDetail> d = store.GetCase(req.matches[1].str());
          if (!d.ok()) return SendError(res, 404, d.status().message());
          const std::shared_ptr<const CaseView> view = View(*d);
          if (!view->data->error.empty()) return SendError(res, 409, view->data->error);
          const NetworkStats& stats = view->stats;
          std::string svg;
          if (req.matches[2] == "timeline") {
            std::vector<ChartBar> months;
            for (const auto& [m, c] : stats.events_by_month) months.push_back({m, static_cast<double>(c), ""});
            svg = SvgColumnChart(months, "Events by month", 1000, 220);
          } else {
            svg = SvgWeekHourHeatmap(stats.weekday_hour, "Events by weekday and local hour", stats.time_zone);
          }
          res.set_content(svg, "image/svg+xml");
        }));

  // The member graph: nodes and edges by layer.
  s.Get(R"(/api/cases/([A-Za-z0-9._-]+)/graph)", guard(Role::kViewer, false, [this](const httplib::Request& req,
                                                                                      httplib::Response& res,
                                                                                      CaseStore& store,
                                                                                      const WorkbenchSession&) {
          Result<CaseDetail> d = store.GetCase(req.matches[1].str());
          if (!d.ok()) return SendError(res, 404, d.status().message());
          const std::shared_ptr<const CaseView> view = View(*d);
          if (!view->data->error.empty()) return SendError(res, 409, view->data->error);
          res.set_content(view->graph_json, "application/json; charset=utf-8");
        }));

  // The evidence behind one edge: posts both accounts acted on, with the gap.
  s.Get(R"(/api/cases/([A-Za-z0-9._-]+)/edge)", guard(Role::kViewer, false, [this](const httplib::Request& req,
                                                                                     httplib::Response& res,
                                                                                     CaseStore& store,
                                                                                     const WorkbenchSession&) {
          Result<CaseDetail> d = store.GetCase(req.matches[1].str());
          if (!d.ok()) return SendError(res, 404, d.status().message());
          const std::string a = req.get_param_value("a"), b = req.get_param_value("b");
          auto is_member = [&](const std::string& id) {
            return std::any_of(d->members.begin(), d->members.end(), [&](const CaseMember& m) { return m.account_id == id; });
          };
          if (!is_member(a) || !is_member(b))
            return SendError(res, 400, fmt::format("a={} and b={} must both be members of {}", a, b, d->summary.case_id));
          auto data = Data(d->data_path);
          if (!data->error.empty()) return SendError(res, 409, data->error);
          const Dataset& ds = data->ds;
          const EdgeEvidence ev =
              internal::BuildEdgeEvidence(ds, ds.account_ids.Find(a), ds.account_ids.Find(b), 500);
          JsonWriter w(false);
          w.BeginObject().Field("a", a).Field("b", b).Field("co_shared_total", ev.co_shared_total);
          w.Key("co_shared").BeginArray();
          for (const internal::CoSharedPair& p : ev.co_shared) {
            w.BeginObject().Field("object", p.object).Field("a_time", p.a_time).Field("b_time", p.b_time);
            w.Field("a_type", p.a_type).Field("b_type", p.b_type).Field("a_text", p.a_text).Field("b_text", p.b_text);
            w.Field("gap_seconds", p.gap_seconds).EndObject();
          }
          w.EndArray().Key("shared_infrastructure").BeginArray();
          for (const std::string& v : ev.shared_infrastructure) w.String(v);
          SendJson(res, 200, w.EndArray().EndObject().Take());
        }));

  // Verdicts: confirmed, dismissed, needs_review, removed; a reason is required.
  s.Post(R"(/api/cases/([A-Za-z0-9._-]+)/verdict)",
         guard(Role::kAnalyst, true, [this](const httplib::Request& req, httplib::Response& res, CaseStore& store,
                                            const WorkbenchSession& sess) {
           Result<std::string> id = store.ResolveCase(req.matches[1].str());
           if (!id.ok()) return SendError(res, 404, id.status().message());
           const std::string verdict = req.get_param_value("verdict"), reason = req.get_param_value("reason");
           if (reason.empty()) return SendError(res, 400, "a verdict needs a reason");
           const int64_t now = Now();
           WorkbenchStore wb(&store);
           if (verdict == "removed") {
             Result<CaseDetail> d = store.GetCase(*id);
             if (!d.ok()) return SendError(res, 500, d.status().message());
             auto data = Data(d->data_path);
             if (!data->error.empty()) return SendError(res, 409, data->error);
             std::vector<AccountIndex> members = MemberIndices(data->ds, *d);
             std::sort(members.begin(), members.end());
             if (Status st = store.RecordRemoval(*id, now, BuildFingerprint(data->ds, members), d->data_path); !st.ok())
               return SendError(res, HttpStatus(st), st.message());
           } else {
             Verdict v;
             if (!Parse(verdict, &v))
               return SendError(res, 400, fmt::format("verdict {} is not one of confirmed, dismissed, needs_review, removed",
                                                      verdict));
             if (Status st = store.AddVerdict(*id, v, sess.user.name, reason, now); !st.ok())
               return SendError(res, HttpStatus(st), st.message());
           }
           if (Status st = wb.Audit(now, sess.user.name, "verdict", *id, verdict, reason); !st.ok())
             return SendError(res, 500, st.message());
           SendJson(res, 200, "{}");
         }));

  s.Post(R"(/api/cases/([A-Za-z0-9._-]+)/notes)",
         guard(Role::kAnalyst, true, [](const httplib::Request& req, httplib::Response& res, CaseStore& store,
                                        const WorkbenchSession& sess) {
           Result<std::string> id = store.ResolveCase(req.matches[1].str());
           if (!id.ok()) return SendError(res, 404, id.status().message());
           const std::string text = req.get_param_value("text");
           WorkbenchStore wb(&store);
           const int64_t now = Now();
           if (Status st = wb.AddNote(*id, sess.user.name, text, now); !st.ok())
             return SendError(res, HttpStatus(st), st.message());
           if (Status st = wb.Audit(now, sess.user.name, "note", *id, text, ""); !st.ok())
             return SendError(res, 500, st.message());
           SendJson(res, 200, "{}");
         }));

  s.Post(R"(/api/cases/([A-Za-z0-9._-]+)/remove-member)",
         guard(Role::kAnalyst, true, [](const httplib::Request& req, httplib::Response& res, CaseStore& store,
                                        const WorkbenchSession& sess) {
           Result<std::string> id = store.ResolveCase(req.matches[1].str());
           if (!id.ok()) return SendError(res, 404, id.status().message());
           const std::string account = req.get_param_value("account"), reason = req.get_param_value("reason");
           WorkbenchStore wb(&store);
           const int64_t now = Now();
           if (Status st = wb.RemoveMember(*id, account, sess.user.name, reason, now); !st.ok())
             return SendError(res, HttpStatus(st), st.message());
           if (Status st = wb.Audit(now, sess.user.name, "remove_member", *id, account, reason); !st.ok())
             return SendError(res, 500, st.message());
           SendJson(res, 200, "{}");
         }));

  s.Get("/api/audit", guard(Role::kViewer, false, [](const httplib::Request& req, httplib::Response& res,
                                                     CaseStore& store, const WorkbenchSession&) {
          WorkbenchStore wb(&store);
          auto log = wb.AuditLog(req.get_param_value("case"), 500);
          if (!log.ok()) return SendError(res, 500, log.status().message());
          JsonWriter w(false);
          WriteAudit(w, *log);
          SendJson(res, 200, w.Take());
        }));

  // Account search by id or handle (exact, case-insensitive on handles): the networks it is in.
  s.Get("/api/search", guard(Role::kViewer, false, [this](const httplib::Request& req, httplib::Response& res,
                                                          CaseStore& store, const WorkbenchSession&) {
          const std::string q = req.get_param_value("q");
          if (q.empty()) return SendError(res, 400, "search needs q=ACCOUNT_ID_OR_HANDLE");
          std::string lq = AsciiLower(q);
          if (!lq.empty() && lq[0] == '@') lq.erase(0, 1);
          Result<std::vector<CaseSummary>> cases = store.ListCases();
          if (!cases.ok()) return SendError(res, 500, cases.status().message());
          JsonWriter w(false);
          w.BeginObject().Field("query", q).Key("results").BeginArray();
          for (const CaseSummary& c : *cases) {
            Result<CaseDetail> d = store.GetCase(c.case_id);
            if (!d.ok()) continue;
            auto data = Data(d->data_path);
            for (const CaseMember& m : d->members) {
              std::string handle;
              if (data->error.empty())
                if (StringId a = data->ds.account_ids.Find(m.account_id); a != kNoString && data->ds.IsAccount(a))
                  handle = std::string(data->ds.String(data->ds.accounts[a].handle));
              const std::string lh = AsciiLower(handle);
              if (m.account_id != q && (lh.empty() || lh != lq)) continue;
              w.BeginObject().Field("account_id", m.account_id).Field("handle", handle);
              WriteSummary(w, c);
              w.Field("score", m.score).Field("attached", m.attached);
              w.Key("why").BeginArray();
              for (size_t i = 0; i < d->indicators.size() && i < 3; ++i) w.String(d->indicators[i]);
              w.EndArray().EndObject();
            }
          }
          SendJson(res, 200, w.EndArray().EndObject().Take());
        }));

  // Exports: GEXF and SVG of the member graph, members and edge evidence as CSV.
  s.Get(R"(/api/cases/([A-Za-z0-9._-]+)/export/(graph\.gexf|graph\.svg|members\.csv|evidence\.csv))",
        guard(Role::kViewer, false, [this](const httplib::Request& req, httplib::Response& res, CaseStore& store,
                                           const WorkbenchSession&) {
          Result<CaseDetail> d = store.GetCase(req.matches[1].str());
          if (!d.ok()) return SendError(res, 404, d.status().message());
          const std::string what = req.matches[2].str();
          const std::string file = fmt::format("{}-{}", d->summary.case_id, what);
          auto data = Data(d->data_path);
          if (what == "members.csv") {
            // Each member with what ties it to the network: score, role, activity,
            // links by layer, and whether an analyst removed it as a false member.
            Result<std::vector<MemberRemoval>> removed = WorkbenchStore(&store).RemovedMembers(d->summary.case_id);
            if (!removed.ok()) return SendError(res, 500, removed.status().message());
            const std::shared_ptr<const CaseView> view = View(*d);
            std::string csv =
                "account_id,handle,platform,score,attached,kind,followers,events,co_share_links,"
                "infrastructure_links,evidence,removed_by,removed_reason\n";
            for (const MemberRow& r : MemberRows(*d, *view, *removed)) {
              const CaseMember& m = *r.member;
              const MemberActivity& act = r.activity;
              const bool followers = r.account != nullptr && r.account->followers >= 0;
              csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", SheetField(m.account_id),
                                 SheetField(r.handle()), SheetField(r.platform()), m.score, m.attached ? 1 : 0,
                                 r.account ? Name(r.account->kind) : "", followers ? std::to_string(r.account->followers) : "",
                                 act.events, act.co_share_links, act.infrastructure_links, act.evidence(),
                                 r.removal ? SheetField(r.removal->by) : "", r.removal ? SheetField(r.removal->reason) : "");
            }
            res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", file));
            return res.set_content(csv, "text/csv; charset=utf-8");
          }
          if (!data->error.empty()) return SendError(res, 409, data->error);
          const Dataset& ds = data->ds;
          const std::shared_ptr<const CaseView> view = View(*d);
          if (what == "evidence.csv") {
            // One edge (a=, b=) with all its evidence, or the kEvidenceEdges
            // strongest co_share edges: the posts both accounts acted on, each
            // account's action and time, the gap; and the shared infrastructure.
            std::vector<std::pair<AccountIndex, AccountIndex>> pairs;
            std::string name = file;
            size_t rows_per_edge = kNetworkEvidenceRowsPerEdge;
            if (req.has_param("a") || req.has_param("b")) {
              rows_per_edge = kEvidenceRowsPerEdge;
              const std::string a = req.get_param_value("a"), b = req.get_param_value("b");
              auto is_member = [&](const std::string& id) {
                return std::any_of(d->members.begin(), d->members.end(),
                                   [&](const CaseMember& m) { return m.account_id == id; });
              };
              if (!is_member(a) || !is_member(b) || a == b)
                return SendError(res, 400, fmt::format("a={} and b={} must be two members of {}", a, b, d->summary.case_id));
              pairs.emplace_back(ds.account_ids.Find(a), ds.account_ids.Find(b));
              name = fmt::format("{}-evidence-{}-{}.csv", d->summary.case_id, a, b);
              for (char& c : name)
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
            } else {
              std::vector<const MemberEdgeLayer*> strongest;
              for (const MemberEdgeLayer& e : view->edges)
                if (e.layer == "co_share") strongest.push_back(&e);
              std::stable_sort(strongest.begin(), strongest.end(),
                               [](const MemberEdgeLayer* x, const MemberEdgeLayer* y) { return x->weight > y->weight; });
              if (strongest.size() > kEvidenceEdges) strongest.resize(kEvidenceEdges);
              for (const MemberEdgeLayer* e : strongest) pairs.emplace_back(view->members[e->a], view->members[e->b]);
            }
            std::vector<AccountIndex> accounts;
            for (const auto& [a, b] : pairs) accounts.push_back(a), accounts.push_back(b);
            std::sort(accounts.begin(), accounts.end());
            accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
            const auto events = internal::EventsOf(ds, accounts);
            auto handle = [&](AccountIndex a) {
              return ds.IsAccount(a) ? std::string(ds.String(ds.accounts[a].handle)) : std::string();
            };
            std::string csv =
                "account_a,handle_a,account_b,handle_b,evidence,object,a_time,a_type,a_text,b_time,b_type,b_text,"
                "gap_seconds\n";
            for (const auto& [a, b] : pairs) {
              const EdgeEvidence ev =
                  internal::BuildEdgeEvidence(ds, a, events.at(a), b, events.at(b), rows_per_edge);
              const std::string ends = fmt::format("{},{},{},{}", SheetField(ds.AccountId(a)), SheetField(handle(a)),
                                                   SheetField(ds.AccountId(b)), SheetField(handle(b)));
              for (const internal::CoSharedPair& p : ev.co_shared)
                csv += fmt::format("{},co_share,{},{},{},{},{},{},{},{}\n", ends, SheetField(p.object),
                                   FormatTime(p.a_time), p.a_type, SheetField(p.a_text), FormatTime(p.b_time),
                                   p.b_type, SheetField(p.b_text), p.gap_seconds);
              for (const std::string& v : ev.shared_infrastructure)
                csv += fmt::format("{},infrastructure,{},,,,,,,\n", ends, SheetField(v));
            }
            res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
            return res.set_content(csv, "text/csv; charset=utf-8");
          }
          res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", file));
          const std::vector<AccountIndex>& members = view->members;
          if (what == "graph.svg") {  // the report's drawing of the member graph
            std::unordered_map<std::string, const CaseMember*> by_id;
            for (const CaseMember& m : d->members) by_id[m.account_id] = &m;
            std::vector<GraphDrawingNode> nodes;
            for (AccountIndex a : members) {
              const CaseMember* m = by_id[std::string(ds.AccountId(a))];
              std::string label(ds.AccountId(a));
              if (ds.IsAccount(a) && ds.accounts[a].handle != kNoString)
                label += fmt::format(" @{}", ds.String(ds.accounts[a].handle));
              nodes.push_back({label, m->attached ? "attached" : "core", m->score});
            }
            std::vector<GraphDrawingEdge> edges;
            for (const MemberEdgeLayer& e : view->edges) edges.push_back({e.a, e.b, e.weight});
            return res.set_content(SvgNetworkDrawing(nodes, edges, fmt::format("Members of {}", d->summary.case_id)),
                                   "image/svg+xml");
          }
          GraphToWrite g;
          for (AccountIndex a : members) {
            GraphNode n{std::string(ds.AccountId(a)), {{"network", d->summary.case_id}}};
            if (ds.IsAccount(a)) n.attributes["handle"] = std::string(ds.String(ds.accounts[a].handle));
            g.nodes.push_back(std::move(n));
          }
          for (const MemberEdgeLayer& e : view->edges) g.edges.push_back({e.a, e.b, e.weight});
          const std::filesystem::path tmp =
              std::filesystem::temp_directory_path() / fmt::format("lockstep-{}.gexf", RandomToken().substr(0, 16));
          if (Status st = WriteGraph(g, tmp.string()); !st.ok()) return SendError(res, 500, st.message());
          std::ifstream in(tmp, std::ios::binary);
          std::stringstream buf;
          buf << in.rdbuf();
          std::error_code ec;
          std::filesystem::remove(tmp, ec);
          res.set_content(buf.str(), "application/gexf+xml");
        }));

  // The disclosure archive (what `lockstep export` writes: Twitter's
  // information-operations layout, ids of small accounts hashed with the
  // salt) as one tar. A POST: the salt is a secret and stays out of URLs and
  // logs; an analyst's act, so it is audited (without the salt). Members
  // removed as false are left out: they are not to be published.
  s.Post(R"(/api/cases/([A-Za-z0-9._-]+)/export/disclosure\.tar)",
         guard(Role::kAnalyst, true, [this](const httplib::Request& req, httplib::Response& res, CaseStore& store,
                                            const WorkbenchSession& sess) {
           Result<CaseDetail> d = store.GetCase(req.matches[1].str());
           if (!d.ok()) return SendError(res, 404, d.status().message());
           DisclosureOptions options;
           options.salt = req.get_param_value("salt");
           if (options.salt.empty())
             return SendError(res, 400, "the disclosure archive needs a secret salt for the id hashes");
           if (req.has_param("threshold")) {
             const std::string t = req.get_param_value("threshold");
             char* end = nullptr;
             const long long v = std::strtoll(t.c_str(), &end, 10);
             if (t.empty() || *end != '\0' || v < 0)
               return SendError(res, 400, fmt::format("threshold {} is not a follower count >= 0", t));
             options.public_follower_threshold = v;
           }
           auto data = Data(d->data_path);
           if (!data->error.empty()) return SendError(res, 409, data->error);
           const Dataset& ds = data->ds;
           WorkbenchStore wb(&store);
           Result<std::vector<MemberRemoval>> removed = wb.RemovedMembers(d->summary.case_id);
           if (!removed.ok()) return SendError(res, 500, removed.status().message());
           std::unordered_set<std::string> false_members;
           for (const MemberRemoval& m : *removed) false_members.insert(m.account_id);
           Network n;
           n.network_id = d->summary.network_id;
           for (const CaseMember& m : d->members)
             if (!false_members.count(m.account_id))
               if (StringId a = ds.account_ids.Find(m.account_id); a != kNoString) n.members.push_back(a);
           std::sort(n.members.begin(), n.members.end());
           const std::filesystem::path tmp =
               std::filesystem::temp_directory_path() / fmt::format("lockstep-disclosure-{}", RandomToken().substr(0, 16));
           Result<DisclosureSummary> summary = WriteDisclosureArchive(ds, n, options, tmp.string());
           internal::TarWriter tar;
           const int64_t now = Now();
           const std::string folder = fmt::format("{}-disclosure", d->summary.case_id);
           if (summary.ok())
             for (const std::string& f : {summary->users_file, summary->tweets_file}) {
               std::ifstream in(f, std::ios::binary);
               std::stringstream buf;
               buf << in.rdbuf();
               tar.Add(folder + "/" + std::filesystem::path(f).filename().string(), buf.str(), now);
             }
           std::error_code ec;
           std::filesystem::remove_all(tmp, ec);
           if (!summary.ok()) return SendError(res, HttpStatus(summary.status()), summary.status().message());
           const std::string detail =
               fmt::format("disclosure archive: {} users ({} hashed below {} followers), {} tweets{}", summary->users,
                           summary->hashed_users, options.public_follower_threshold, summary->tweets,
                           false_members.empty() ? "" : fmt::format("; {} false members left out", false_members.size()));
           if (Status st = wb.Audit(now, sess.user.name, "export", d->summary.case_id, detail, ""); !st.ok())
             return SendError(res, 500, st.message());
           res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}.tar\"", folder));
           res.set_content(tar.Finish(), "application/x-tar");
         }));

  // The web app. Paths without a file are the app's routes: index.html.
  s.Get(R"(/.*)", [](const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/api/", 0) == 0) return SendError(res, 404, "no such API");
    const auto& assets = internal::WebAssets();
    auto find = [&](std::string_view p) -> const internal::WebAsset* {
      for (const internal::WebAsset& a : assets)
        if (a.path == p) return &a;
      return nullptr;
    };
    const internal::WebAsset* a = find(req.path);
    if (a == nullptr) a = find("/index.html");
    if (a == nullptr) return SendError(res, 404, "not found");
    res.set_content(std::string(a->bytes), std::string(a->content_type));
  });
}

Workbench::Workbench(WorkbenchOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
}

Workbench::~Workbench() { Stop(); }

Status Workbench::Start() {
  State& s = *state_;
  const WorkbenchOptions& o = s.options;
  if (o.store.empty()) return Status::InvalidArgument("serve needs --store FILE|URI");
  if (o.cert_file.empty() != o.key_file.empty())
    return Status::InvalidArgument("--cert and --key go together: give both for TLS or neither");
  if (o.port < 0 || o.port > 65535) return Status::InvalidArgument(fmt::format("port {} is not in [0, 65535]", o.port));
  {
    Result<State::Lease> lease = s.Borrow();  // opens and migrates the store, or says why not
    if (!lease.ok()) return lease.status();
  }
  if (!o.cert_file.empty()) {
    for (const std::string& f : {o.cert_file, o.key_file})
      if (!std::ifstream(f)) return Status::IoError(fmt::format("{}: cannot be read", f));
    auto ssl = std::make_unique<httplib::SSLServer>(o.cert_file.c_str(), o.key_file.c_str());
    if (!ssl->is_valid())
      return Status::IoError(fmt::format("{} and {}: not a usable PEM certificate and key", o.cert_file, o.key_file));
    s.server = std::move(ssl);
  } else {
    s.server = std::make_unique<httplib::Server>();
  }
  s.Routes();
  if (o.port == 0) {
    s.port = s.server->bind_to_any_port(o.host);
    if (s.port <= 0) return Status::IoError(fmt::format("cannot bind to {}", o.host));
  } else {
    if (!s.server->bind_to_port(o.host, o.port))
      return Status::IoError(fmt::format("cannot bind to {}:{} (in use, or not an address of this machine)", o.host, o.port));
    s.port = o.port;
  }
  s.thread = std::thread([&s] { s.server->listen_after_bind(); });
  return Status::Ok();
}

int Workbench::port() const { return state_->port; }

void Workbench::Stop() {
  State& s = *state_;
  std::lock_guard lock(s.stop_mutex);
  if (s.server) s.server->stop();
  if (s.thread.joinable()) s.thread.join();
}

}  // namespace lockstep
