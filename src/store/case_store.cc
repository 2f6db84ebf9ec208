#include "lockstep/store/case_store.h"

#include <charconv>
#include <cmath>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace lockstep {
namespace {

// Migrations, applied in order; migration i brings the schema to version i + 1.
// {id}, {int} and {real} are the engine's spellings (SqlConnection::TypeName).
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE runs (
  id {id},
  started_at {int} NOT NULL,
  data_path TEXT NOT NULL,
  parameters TEXT NOT NULL,
  accounts {int} NOT NULL,
  events {int} NOT NULL);
CREATE TABLE networks (
  id {id},
  run_id {int} NOT NULL REFERENCES runs(id),
  network_id TEXT NOT NULL,
  confidence {real} NOT NULL,
  tier TEXT NOT NULL,
  size {int} NOT NULL,
  utc_offset {real},
  first_activity {int},
  last_activity {int},
  UNIQUE (run_id, network_id));
CREATE TABLE members (
  network {int} NOT NULL REFERENCES networks(id),
  account_id TEXT NOT NULL,
  score {real} NOT NULL,
  attached {int} NOT NULL,
  PRIMARY KEY (network, account_id));
CREATE TABLE evidence (
  network {int} NOT NULL REFERENCES networks(id),
  rank {int} NOT NULL,
  signal TEXT NOT NULL,
  strength {real} NOT NULL,
  indicator TEXT NOT NULL,
  PRIMARY KEY (network, rank));
CREATE TABLE verdicts (
  id {id},
  network {int} NOT NULL REFERENCES networks(id),
  verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed', 'needs_review')),
  analyst TEXT NOT NULL,
  reason TEXT NOT NULL,
  decided_at {int} NOT NULL);
CREATE TABLE actions (
  id {id},
  network {int} NOT NULL REFERENCES networks(id),
  action TEXT NOT NULL CHECK (action IN ('removed')),
  at {int} NOT NULL,
  data_path TEXT NOT NULL);
CREATE TABLE fingerprints (
  network {int} NOT NULL REFERENCES networks(id),
  part TEXT NOT NULL,
  value TEXT NOT NULL);
)sql",
    R"sql(
CREATE INDEX verdicts_by_network ON verdicts(network, id);
CREATE INDEX actions_by_network ON actions(network);
CREATE INDEX fingerprints_by_network ON fingerprints(network);
CREATE INDEX members_by_account ON members(account_id);
)sql",
    // Published indicators of other investigations (lockstep case import-indicators).
    R"sql(
CREATE TABLE known_indicators (
  id {id},
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  host TEXT NOT NULL,
  handle TEXT NOT NULL,
  published_type TEXT NOT NULL,
  tactic TEXT NOT NULL,
  technique TEXT NOT NULL,
  ttp_procedure TEXT NOT NULL,
  note TEXT NOT NULL,
  source TEXT NOT NULL,
  network TEXT NOT NULL,
  published TEXT NOT NULL,
  line {int} NOT NULL,
  imported_at {int} NOT NULL,
  UNIQUE (source, line, value));
CREATE INDEX known_indicators_by_host ON known_indicators(host);
)sql",
    // The investigator's workbench (lockstep serve, src/server): users with
    // roles, login sessions, notes, members removed as false, and the audit
    // log of every change. IF NOT EXISTS: a store rolled back to an older
    // version by hand may still hold them.
    R"sql(
CREATE TABLE IF NOT EXISTS users (
  id {id},
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
  password_hash TEXT NOT NULL,
  created_at {int} NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_id {int} NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  created_at {int} NOT NULL,
  expires_at {int} NOT NULL);
CREATE TABLE IF NOT EXISTS notes (
  id {id},
  network {int} NOT NULL REFERENCES networks(id),
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  at {int} NOT NULL);
CREATE TABLE IF NOT EXISTS member_removals (
  network {int} NOT NULL REFERENCES networks(id),
  account_id TEXT NOT NULL,
  by_user TEXT NOT NULL,
  reason TEXT NOT NULL,
  at {int} NOT NULL,
  PRIMARY KEY (network, account_id));
CREATE TABLE IF NOT EXISTS audit_log (
  id {id},
  at {int} NOT NULL,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  case_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notes_by_network ON notes(network, id);
CREATE INDEX IF NOT EXISTS audit_by_case ON audit_log(case_id, id);
)sql",
    // What detection says about where each network operates from and whom it
    // targets (Network's origin_countries, target_countries, languages and
    // top_domains, each list joined by newlines), for the workbench's queue.
    // A table of its own: IF NOT EXISTS keeps the migration repeatable.
    R"sql(
CREATE TABLE IF NOT EXISTS network_descriptions (
  network {int} PRIMARY KEY REFERENCES networks(id),
  origin_countries TEXT NOT NULL,
  target_countries TEXT NOT NULL,
  languages TEXT NOT NULL,
  top_domains TEXT NOT NULL);
)sql",
    // What `lockstep watch` found in new data (WatchAlert): accounts matching
    // a removed network's fingerprint or a known indicator, for the
    // workbench's queue. IF NOT EXISTS keeps the migration repeatable.
    R"sql(
CREATE TABLE IF NOT EXISTS watch_alerts (
  id {id},
  recorded_at {int} NOT NULL,
  data_path TEXT NOT NULL,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('returning', 'known_indicator')),
  case_id TEXT NOT NULL,
  score {real} NOT NULL,
  matched TEXT NOT NULL,
  source TEXT NOT NULL,
  first_activity {int},
  last_activity {int});
CREATE INDEX IF NOT EXISTS watch_alerts_by_account ON watch_alerts(account_id);
CREATE INDEX IF NOT EXISTS watch_alerts_by_time ON watch_alerts(recorded_at, id);
)sql",
};
static_assert(std::size(kMigrations) == kCaseStoreSchemaVersion);

// The tables of a case store (every version has them all).
constexpr std::string_view kStoreTables[] = {"actions",  "evidence", "fingerprints",   "members",
                                             "networks", "runs",     "schema_version", "verdicts"};
// Tables later migrations add: a store of an older version lacks them.
constexpr std::string_view kLaterTables[] = {"audit_log", "known_indicators", "member_removals", "network_descriptions",
                                              "notes", "sessions", "users", "watch_alerts"};
// The schema versions that added known_indicators, network_descriptions and watch_alerts.
constexpr int kKnownIndicatorsVersion = 3;
constexpr int kDescriptionsVersion = 5;
constexpr int kWatchAlertsVersion = 6;

// A list of names as one TEXT value: joined by newlines (a newline inside a
// name becomes a space).
std::string JoinLines(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out.push_back('\n');
    for (char c : n) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return out;
}
std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}
std::vector<std::string> Names(const std::vector<CountShare>& counts) {
  std::vector<std::string> out;
  for (const CountShare& c : counts) out.push_back(c.name);
  return out;
}

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20)
          *out += fmt::format("\\u{:04x}", c);
        else
          out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

std::string IndicatorJson(const Indicator& ind) {
  std::string out = "{\"signal\":";
  AppendJsonString(&out, ind.signal);
  out += fmt::format(",\"strength\":{}", std::isfinite(ind.strength) ? ind.strength : 0.0);
  if (ind.p_value && std::isfinite(*ind.p_value)) out += fmt::format(",\"p_value\":{}", *ind.p_value);
  out += ",\"evidence\":";
  AppendJsonString(&out, ind.evidence);
  out += ",\"examples\":[";
  for (size_t i = 0; i < ind.examples.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(&out, ind.examples[i]);
  }
  out += "]}";
  return out;
}

#define LOCKSTEP_RETURN_IF_ERROR(expr)           \
  do {                                           \
    if (Status s_ = (expr); !s_.ok()) return s_; \
  } while (0)

using Statement = std::unique_ptr<SqlStatement>;

// Runs `st`, an INSERT ... RETURNING id, and returns the new row's id.
Result<int64_t> InsertReturningId(SqlStatement& st) {
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!row.value()) return Status::Internal("case store: INSERT ... RETURNING id returned no row");
  const int64_t id = st.Int(0);
  LOCKSTEP_RETURN_IF_ERROR(st.Run());
  return id;
}

// Steps `st` to its end, calling read(st) on every row.
template <typename F>
Status ForEachRow(SqlStatement& st, F&& read) {
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!row.value()) return Status::Ok();
    read(st);
  }
}

}  // namespace

std::string_view Name(Verdict v) {
  switch (v) {
    case Verdict::kConfirmed:
      return "confirmed";
    case Verdict::kDismissed:
      return "dismissed";
    case Verdict::kNeedsReview:
      return "needs_review";
  }
  return "?";
}

bool Parse(std::string_view s, Verdict* out) {
  for (Verdict v : {Verdict::kConfirmed, Verdict::kDismissed, Verdict::kNeedsReview})
    if (s == Name(v)) {
      *out = v;
      return true;
    }
  return false;
}

std::string_view Name(WatchAlertKind k) {
  switch (k) {
    case WatchAlertKind::kReturning:
      return "returning";
    case WatchAlertKind::kKnownIndicator:
      return "known_indicator";
  }
  return "?";
}

bool Parse(std::string_view s, WatchAlertKind* out) {
  for (WatchAlertKind k : {WatchAlertKind::kReturning, WatchAlertKind::kKnownIndicator})
    if (s == Name(k)) {
      *out = k;
      return true;
    }
  return false;
}

Result<std::unique_ptr<CaseStore>> CaseStore::Open(const std::string& location, StoreAccess access) {
  Result<std::unique_ptr<SqlConnection>> db = OpenSqlConnection(location, access == StoreAccess::kReadOnly);
  if (!db.ok()) return db.status();
  std::unique_ptr<CaseStore> store(new CaseStore(std::move(db).value()));
  if (access == StoreAccess::kReadWrite) {
    LOCKSTEP_RETURN_IF_ERROR(store->Migrate());
    store->version_ = kCaseStoreSchemaVersion;
    return store;
  }
  Result<std::vector<std::string>> tables = store->db_->TableNames();
  if (!tables.ok()) return tables.status();
  if (tables->empty())
    return Status::InputError(fmt::format(
        "{} holds no case store yet; `lockstep detect DATA --store {}` records the first run", location, location));
  LOCKSTEP_RETURN_IF_ERROR(store->CheckOwnTables(tables.value()));
  Result<int> version = store->SchemaVersion();
  if (!version.ok()) return version.status();
  if (version.value() > kCaseStoreSchemaVersion)
    return Status::Corrupt(fmt::format("case store {} has schema version {}, newer than this build's {}; use a newer lockstep",
                                       store->db_->Describe(), version.value(), kCaseStoreSchemaVersion));
  store->version_ = version.value();
  return store;
}

Status CaseStore::CheckOwnTables(const std::vector<std::string>& tables) const {
  std::vector<std::string> foreign, missing;
  for (const std::string& t : tables)
    if (std::find(std::begin(kStoreTables), std::end(kStoreTables), t) == std::end(kStoreTables) &&
        std::find(std::begin(kLaterTables), std::end(kLaterTables), t) == std::end(kLaterTables))
      foreign.push_back(t);
  for (std::string_view t : kStoreTables)
    if (std::find(tables.begin(), tables.end(), t) == tables.end()) missing.emplace_back(t);
  if (tables.empty() || (foreign.empty() && missing.empty())) return Status::Ok();
  if (foreign.size() > 5) foreign.resize(5), foreign.push_back("...");
  return Status::InputError(fmt::format(
      "{} is not a lockstep case store{}{}; lockstep writes only into an empty database or its own store. Pass a new "
      "file name (for PostgreSQL, an empty schema: ?options=-csearch_path%3Dlockstep)",
      db_->Describe(), foreign.empty() ? "" : fmt::format(": it holds other tables ({})", fmt::join(foreign, ", ")),
      missing.empty() || !foreign.empty() ? "" : fmt::format(": it lacks the tables {}", fmt::join(missing, ", "))));
}

Status CaseStore::Migrate() {
  Transaction tx(db_.get());
  LOCKSTEP_RETURN_IF_ERROR(tx.Begin());
  LOCKSTEP_RETURN_IF_ERROR(db_->LockSchema());
  // Under the lock, so a concurrent opener's committed migration is seen.
  Result<std::vector<std::string>> tables = db_->TableNames();
  if (!tables.ok()) return tables.status();
  LOCKSTEP_RETURN_IF_ERROR(CheckOwnTables(tables.value()));
  LOCKSTEP_RETURN_IF_ERROR(db_->Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
  Result<int> version = SchemaVersion();
  if (!version.ok()) return version.status();
  if (version.value() > kCaseStoreSchemaVersion)
    return Status::Corrupt(fmt::format("case store schema version {} is newer than this build's {}", version.value(),
                                       kCaseStoreSchemaVersion));
  for (int v = version.value(); v < kCaseStoreSchemaVersion; ++v) {
    LOCKSTEP_RETURN_IF_ERROR(db_->Exec(fmt::format(
        fmt::runtime(kMigrations[v]), fmt::arg("id", db_->TypeName(SqlType::kId)),
        fmt::arg("int", db_->TypeName(SqlType::kInteger)), fmt::arg("real", db_->TypeName(SqlType::kReal)))));
    LOCKSTEP_RETURN_IF_ERROR(
        db_->Exec(fmt::format("DELETE FROM schema_version; INSERT INTO schema_version VALUES ({})", v + 1)));
  }
  return tx.Commit();
}

Result<int> CaseStore::SchemaVersion() {
  Result<Statement> st = db_->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!st.ok()) return st.status();
  Result<bool> row = (*st)->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>((*st)->Int(0));
}

Result<int64_t> CaseStore::RecordRun(const Dataset& ds, const Detection& detection, std::string_view data_path,
                                     std::string_view parameters, int64_t at) {
  Transaction tx(db_.get());
  LOCKSTEP_RETURN_IF_ERROR(tx.Begin());
  Result<Statement> run_st = db_->Prepare(
      "INSERT INTO runs (started_at, data_path, parameters, accounts, events) VALUES (?, ?, ?, ?, ?) RETURNING id");
  Result<Statement> net_st = db_->Prepare(
      "INSERT INTO networks (run_id, network_id, confidence, tier, size, utc_offset, first_activity, last_activity) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  Result<Statement> mem_st = db_->Prepare(
      "INSERT INTO members (network, account_id, score, attached) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (network, account_id) DO UPDATE SET score = excluded.score, attached = excluded.attached");
  Result<Statement> evi_st =
      db_->Prepare("INSERT INTO evidence (network, rank, signal, strength, indicator) VALUES (?, ?, ?, ?, ?)");
  Result<Statement> des_st = db_->Prepare(
      "INSERT INTO network_descriptions (network, origin_countries, target_countries, languages, top_domains) "
      "VALUES (?, ?, ?, ?, ?)");
  for (const Status& s : {run_st.status(), net_st.status(), mem_st.status(), evi_st.status(), des_st.status()})
    if (!s.ok()) return s;
  SqlStatement &run = **run_st, &net = **net_st, &mem = **mem_st, &evi = **evi_st, &des = **des_st;
  LOCKSTEP_RETURN_IF_ERROR(run.Bind(1, at));
  LOCKSTEP_RETURN_IF_ERROR(run.Bind(2, data_path));
  LOCKSTEP_RETURN_IF_ERROR(run.Bind(3, parameters));
  LOCKSTEP_RETURN_IF_ERROR(run.Bind(4, static_cast<int64_t>(ds.num_accounts())));
  LOCKSTEP_RETURN_IF_ERROR(run.Bind(5, static_cast<int64_t>(ds.events.size())));
  const Result<int64_t> run_id = InsertReturningId(run);
  if (!run_id.ok()) return run_id.status();
  for (const Network& n : detection.networks) {
    LOCKSTEP_RETURN_IF_ERROR(net.Reset());
    LOCKSTEP_RETURN_IF_ERROR(net.Bind(1, run_id.value()));
    LOCKSTEP_RETURN_IF_ERROR(net.Bind(2, n.network_id));
    LOCKSTEP_RETURN_IF_ERROR(net.Bind(3, n.confidence));
    LOCKSTEP_RETURN_IF_ERROR(net.Bind(4, n.tier));
    LOCKSTEP_RETURN_IF_ERROR(net.Bind(5, static_cast<int64_t>(n.members.size())));
    LOCKSTEP_RETURN_IF_ERROR(net.Bind(6, n.utc_offset));
    LOCKSTEP_RETURN_IF_ERROR(n.first_activity == kNoTime ? net.BindNull(7) : net.Bind(7, n.first_activity));
    LOCKSTEP_RETURN_IF_ERROR(n.last_activity == kNoTime ? net.BindNull(8) : net.Bind(8, n.last_activity));
    const Result<int64_t> key = InsertReturningId(net);
    if (!key.ok()) return key.status();
    LOCKSTEP_RETURN_IF_ERROR(des.Reset());
    LOCKSTEP_RETURN_IF_ERROR(des.Bind(1, key.value()));
    LOCKSTEP_RETURN_IF_ERROR(des.Bind(2, JoinLines(n.origin_countries)));
    LOCKSTEP_RETURN_IF_ERROR(des.Bind(3, JoinLines(n.target_countries)));
    LOCKSTEP_RETURN_IF_ERROR(des.Bind(4, JoinLines(Names(n.languages))));
    LOCKSTEP_RETURN_IF_ERROR(des.Bind(5, JoinLines(Names(n.top_domains))));
    LOCKSTEP_RETURN_IF_ERROR(des.Run());
    for (size_t i = 0; i < n.members.size(); ++i) {
      const AccountIndex a = n.members[i];
      LOCKSTEP_RETURN_IF_ERROR(mem.Reset());
      LOCKSTEP_RETURN_IF_ERROR(mem.Bind(1, key.value()));
      LOCKSTEP_RETURN_IF_ERROR(mem.Bind(2, ds.AccountId(a)));
      LOCKSTEP_RETURN_IF_ERROR(mem.Bind(3, i < n.member_scores.size() ? n.member_scores[i] : 0.0));
      const bool attached = std::find(n.attached.begin(), n.attached.end(), a) != n.attached.end();
      LOCKSTEP_RETURN_IF_ERROR(mem.Bind(4, int64_t{attached}));
      LOCKSTEP_RETURN_IF_ERROR(mem.Run());
    }
    for (size_t i = 0; i < n.indicators.size(); ++i) {
      LOCKSTEP_RETURN_IF_ERROR(evi.Reset());
      LOCKSTEP_RETURN_IF_ERROR(evi.Bind(1, key.value()));
      LOCKSTEP_RETURN_IF_ERROR(evi.Bind(2, static_cast<int64_t>(i)));
      LOCKSTEP_RETURN_IF_ERROR(evi.Bind(3, n.indicators[i].signal));
      LOCKSTEP_RETURN_IF_ERROR(evi.Bind(4, n.indicators[i].strength));
      LOCKSTEP_RETURN_IF_ERROR(evi.Bind(5, IndicatorJson(n.indicators[i])));
      LOCKSTEP_RETURN_IF_ERROR(evi.Run());
    }
  }
  LOCKSTEP_RETURN_IF_ERROR(tx.Commit());
  return run_id.value();
}

Result<int64_t> CaseStore::NetworkKey(std::string_view case_id, std::string* canonical) {
  int64_t run = -1;
  std::string_view network = case_id;
  if (case_id.size() > 1 && case_id[0] == 'r') {
    const size_t dot = case_id.find('.');
    if (dot != std::string_view::npos) {
      auto [ptr, ec] = std::from_chars(case_id.data() + 1, case_id.data() + dot, run);
      if (ec != std::errc() || ptr != case_id.data() + dot)
        run = -1;
      else
        network = case_id.substr(dot + 1);
    }
  }
  Result<Statement> st_or = db_->Prepare(
      "SELECT id, run_id, network_id FROM networks WHERE network_id = ? AND (CAST(? AS BIGINT) < 0 OR run_id = ?) "
      "ORDER BY run_id DESC LIMIT 1");
  if (!st_or.ok()) return st_or.status();
  SqlStatement& st = **st_or;
  LOCKSTEP_RETURN_IF_ERROR(st.Bind(1, network));
  LOCKSTEP_RETURN_IF_ERROR(st.Bind(2, run));
  LOCKSTEP_RETURN_IF_ERROR(st.Bind(3, run));
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!row.value())
    return Status::InvalidArgument(
        fmt::format("no case {} in the store (expected r<run>.<network> such as r1.N1, or N1 for the newest run; "
                    "see `lockstep case list`)",
                    case_id));
  if (canonical != nullptr) *canonical = fmt::format("r{}.{}", st.Int(1), st.Text(2));
  return st.Int(0);
}

Result<std::string> CaseStore::ResolveCase(std::string_view case_id) {
  std::string canonical;
  Result<int64_t> key = NetworkKey(case_id, &canonical);
  if (!key.ok()) return key.status();
  return canonical;
}

namespace {

// The columns ReadSummary reads (16 of them). A store older than
// kDescriptionsVersion has no network_descriptions: NULLs stand in.
std::string CaseColumns(bool descriptions) {
  return fmt::format(
      "n.id, n.run_id, n.network_id, n.confidence, n.tier, n.size, n.utc_offset, "
      "(SELECT verdict FROM verdicts v WHERE v.network = n.id ORDER BY v.id DESC LIMIT 1), "
      "(SELECT analyst FROM verdicts v WHERE v.network = n.id ORDER BY v.id DESC LIMIT 1), "
      "(SELECT reason FROM verdicts v WHERE v.network = n.id ORDER BY v.id DESC LIMIT 1), "
      "(SELECT decided_at FROM verdicts v WHERE v.network = n.id ORDER BY v.id DESC LIMIT 1), "
      "(SELECT MIN(at) FROM actions a WHERE a.network = n.id AND a.action = 'removed'), {}",
      descriptions ? "(SELECT origin_countries FROM network_descriptions d WHERE d.network = n.id), "
                     "(SELECT target_countries FROM network_descriptions d WHERE d.network = n.id), "
                     "(SELECT languages FROM network_descriptions d WHERE d.network = n.id), "
                     "(SELECT top_domains FROM network_descriptions d WHERE d.network = n.id)"
                   : "NULL, NULL, NULL, NULL");
}
constexpr int kCaseColumnCount = 16;

CaseSummary ReadSummary(const SqlStatement& st) {
  CaseSummary c;
  c.run_id = st.Int(1);
  c.network_id = st.Text(2);
  c.case_id = fmt::format("r{}.{}", c.run_id, c.network_id);
  c.confidence = st.Double(3);
  c.tier = st.Text(4);
  c.size = st.Int(5);
  if (!st.IsNull(6)) c.utc_offset = st.Double(6);
  if (!st.IsNull(7)) {
    VerdictRecord v;
    Parse(st.Text(7), &v.verdict);
    v.analyst = st.Text(8);
    v.reason = st.Text(9);
    v.decided_at = st.Int(10);
    c.latest_verdict = v;
  }
  if (!st.IsNull(11)) c.removed_at = st.Int(11);
  if (!st.IsNull(12)) {
    c.described = true;
    c.origin_countries = SplitLines(st.Text(12));
    c.target_countries = SplitLines(st.Text(13));
    c.languages = SplitLines(st.Text(14));
    c.top_domains = SplitLines(st.Text(15));
  }
  return c;
}

}  // namespace

Result<std::vector<CaseSummary>> CaseStore::ListCases() {
  Result<Statement> st = db_->Prepare(fmt::format(
      "SELECT {} FROM networks n ORDER BY n.run_id DESC, length(n.network_id), n.network_id", CaseColumns(version_ >= kDescriptionsVersion)));
  if (!st.ok()) return st.status();
  std::vector<CaseSummary> out;
  LOCKSTEP_RETURN_IF_ERROR(ForEachRow(**st, [&](const SqlStatement& row) { out.push_back(ReadSummary(row)); }));
  return out;
}

Result<CaseDetail> CaseStore::GetCase(std::string_view case_id) {
  Result<int64_t> key = NetworkKey(case_id, nullptr);
  if (!key.ok()) return key.status();
  CaseDetail d;
  {
    Result<Statement> st = db_->Prepare(fmt::format(
        "SELECT {}, r.data_path FROM networks n JOIN runs r ON r.id = n.run_id WHERE n.id = ?", CaseColumns(version_ >= kDescriptionsVersion)));
    if (!st.ok()) return st.status();
    LOCKSTEP_RETURN_IF_ERROR((*st)->Bind(1, key.value()));
    Result<bool> row = (*st)->Step();
    if (!row.ok()) return row.status();
    if (!row.value()) return Status::Internal("case vanished while reading it");
    d.summary = ReadSummary(**st);
    d.data_path = (*st)->Text(kCaseColumnCount);
  }
  auto each = [&](const char* sql, auto&& read) -> Status {
    Result<Statement> st = db_->Prepare(sql);
    if (!st.ok()) return st.status();
    LOCKSTEP_RETURN_IF_ERROR((*st)->Bind(1, key.value()));
    return ForEachRow(**st, read);
  };
  LOCKSTEP_RETURN_IF_ERROR(
      each("SELECT account_id, score, attached FROM members WHERE network = ? ORDER BY score DESC, account_id",
           [&](const SqlStatement& st) {
             d.members.push_back({st.Text(0), st.Double(1), st.Int(2) != 0});
           }));
  LOCKSTEP_RETURN_IF_ERROR(each("SELECT indicator FROM evidence WHERE network = ? ORDER BY rank",
                                [&](const SqlStatement& st) { d.indicators.push_back(st.Text(0)); }));
  LOCKSTEP_RETURN_IF_ERROR(
      each("SELECT verdict, analyst, reason, decided_at FROM verdicts WHERE network = ? ORDER BY id",
           [&](const SqlStatement& st) {
             VerdictRecord v;
             Parse(st.Text(0), &v.verdict);
             v.analyst = st.Text(1);
             v.reason = st.Text(2);
             v.decided_at = st.Int(3);
             d.verdicts.push_back(v);
           }));
  return d;
}

Status CaseStore::AddVerdict(std::string_view case_id, Verdict verdict, std::string_view analyst,
                             std::string_view reason, int64_t at) {
  if (analyst.empty()) return Status::InvalidArgument("a verdict needs the analyst's name (--analyst NAME)");
  if (reason.empty()) return Status::InvalidArgument("a verdict needs a reason (--reason TEXT)");
  Result<int64_t> key = NetworkKey(case_id, nullptr);
  if (!key.ok()) return key.status();
  Result<Statement> st_or =
      db_->Prepare("INSERT INTO verdicts (network, verdict, analyst, reason, decided_at) VALUES (?, ?, ?, ?, ?)");
  if (!st_or.ok()) return st_or.status();
  SqlStatement& st = **st_or;
  LOCKSTEP_RETURN_IF_ERROR(st.Bind(1, key.value()));
  LOCKSTEP_RETURN_IF_ERROR(st.Bind(2, Name(verdict)));
  LOCKSTEP_RETURN_IF_ERROR(st.Bind(3, analyst));
  LOCKSTEP_RETURN_IF_ERROR(st.Bind(4, reason));
  LOCKSTEP_RETURN_IF_ERROR(st.Bind(5, at));
  return st.Run();  // autocommit: one statement, one transaction
}

Status CaseStore::RecordRemoval(std::string_view case_id, int64_t at, const Fingerprint& fp,
                                std::string_view data_path) {
  Result<int64_t> key = NetworkKey(case_id, nullptr);
  if (!key.ok()) return key.status();
  Transaction tx(db_.get());
  LOCKSTEP_RETURN_IF_ERROR(tx.Begin());
  Result<Statement> act_st =
      db_->Prepare("INSERT INTO actions (network, action, at, data_path) VALUES (?, 'removed', ?, ?)");
  Result<Statement> del_st = db_->Prepare("DELETE FROM fingerprints WHERE network = ?");
  Result<Statement> ins_st = db_->Prepare("INSERT INTO fingerprints (network, part, value) VALUES (?, ?, ?)");
  for (const Status& s : {act_st.status(), del_st.status(), ins_st.status()})
    if (!s.ok()) return s;
  SqlStatement &act = **act_st, &del = **del_st, &ins = **ins_st;
  LOCKSTEP_RETURN_IF_ERROR(act.Bind(1, key.value()));
  LOCKSTEP_RETURN_IF_ERROR(act.Bind(2, at));
  LOCKSTEP_RETURN_IF_ERROR(act.Bind(3, data_path));
  LOCKSTEP_RETURN_IF_ERROR(act.Run());
  LOCKSTEP_RETURN_IF_ERROR(del.Bind(1, key.value()));
  LOCKSTEP_RETURN_IF_ERROR(del.Run());
  auto put = [&](std::string_view part, std::string_view value) -> Status {
    LOCKSTEP_RETURN_IF_ERROR(ins.Reset());
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(1, key.value()));
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(2, part));
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(3, value));
    return ins.Run();
  };
  for (const std::string& v : fp.infra) LOCKSTEP_RETURN_IF_ERROR(put("infra", v));
  for (const std::string& v : fp.domains) LOCKSTEP_RETURN_IF_ERROR(put("domain", v));
  for (const std::string& v : fp.names) LOCKSTEP_RETURN_IF_ERROR(put("name", v));
  for (uint64_t v : fp.images) LOCKSTEP_RETURN_IF_ERROR(put("image", fmt::format("{:016x}", v)));
  for (uint64_t v : fp.shingles) LOCKSTEP_RETURN_IF_ERROR(put("shingle", fmt::format("{:016x}", v)));
  LOCKSTEP_RETURN_IF_ERROR(put("shingle_threshold", fmt::format("{:016x}", fp.shingle_threshold)));
  if (fp.utc_offset) LOCKSTEP_RETURN_IF_ERROR(put("utc_offset", fmt::format("{}", *fp.utc_offset)));
  LOCKSTEP_RETURN_IF_ERROR(put("hour_share", fmt::format("{}", fmt::join(fp.hour_share, ","))));
  return tx.Commit();
}

Result<std::vector<RemovedNetwork>> CaseStore::RemovedNetworks() {
  Result<Statement> nets_st = db_->Prepare(
      "SELECT n.id, n.run_id, n.network_id, MIN(a.at) FROM networks n JOIN actions a ON a.network = n.id "
      "WHERE a.action = 'removed' GROUP BY n.id ORDER BY n.id");
  Result<Statement> parts_st = db_->Prepare("SELECT part, value FROM fingerprints WHERE network = ?");
  Result<Statement> members_st = db_->Prepare("SELECT account_id FROM members WHERE network = ?");
  for (const Status& s : {nets_st.status(), parts_st.status(), members_st.status()})
    if (!s.ok()) return s;
  SqlStatement &nets = **nets_st, &parts = **parts_st, &members = **members_st;
  std::vector<RemovedNetwork> out;
  std::vector<int64_t> keys;
  LOCKSTEP_RETURN_IF_ERROR(ForEachRow(nets, [&](const SqlStatement& row) {
    RemovedNetwork r;
    keys.push_back(row.Int(0));
    r.case_id = fmt::format("r{}.{}", row.Int(1), row.Text(2));
    r.removed_at = row.Int(3);
    out.push_back(std::move(r));
  }));
  auto hex = [](const std::string& s) {
    uint64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v, 16);
    return v;
  };
  for (size_t i = 0; i < out.size(); ++i) {
    RemovedNetwork& r = out[i];
    Fingerprint& fp = r.fingerprint;
    LOCKSTEP_RETURN_IF_ERROR(parts.Reset());
    LOCKSTEP_RETURN_IF_ERROR(parts.Bind(1, keys[i]));
    LOCKSTEP_RETURN_IF_ERROR(ForEachRow(parts, [&](const SqlStatement& row) {
      const std::string part = row.Text(0), value = row.Text(1);
      if (part == "infra")
        fp.infra.push_back(value);
      else if (part == "domain")
        fp.domains.push_back(value);
      else if (part == "name")
        fp.names.push_back(value);
      else if (part == "image")
        fp.images.push_back(hex(value));
      else if (part == "shingle")
        fp.shingles.push_back(hex(value));
      else if (part == "shingle_threshold")
        fp.shingle_threshold = hex(value);
      else if (part == "utc_offset")
        fp.utc_offset = std::stod(value);
      else if (part == "hour_share") {
        size_t h = 0, begin = 0;
        while (h < 24 && begin <= value.size()) {
          size_t end = value.find(',', begin);
          if (end == std::string::npos) end = value.size();
          fp.hour_share[h++] = std::strtod(value.substr(begin, end - begin).c_str(), nullptr);
          begin = end + 1;
        }
      }
    }));
    // Sorted here, not in SQL: text order must not depend on the database's collation.
    for (auto* v : {&fp.infra, &fp.domains, &fp.names}) std::sort(v->begin(), v->end());
    std::sort(fp.images.begin(), fp.images.end());
    std::sort(fp.shingles.begin(), fp.shingles.end());
    LOCKSTEP_RETURN_IF_ERROR(members.Reset());
    LOCKSTEP_RETURN_IF_ERROR(members.Bind(1, keys[i]));
    LOCKSTEP_RETURN_IF_ERROR(
        ForEachRow(members, [&](const SqlStatement& row) { r.member_ids.push_back(row.Text(0)); }));
    std::sort(r.member_ids.begin(), r.member_ids.end());
  }
  return out;
}

Result<int64_t> CaseStore::AddKnownIndicators(const std::vector<PublishedIndicator>& indicators, int64_t at) {
  Transaction tx(db_.get());
  LOCKSTEP_RETURN_IF_ERROR(tx.Begin());
  Result<Statement> st_or = db_->Prepare(
      "INSERT INTO known_indicators (kind, value, host, handle, published_type, tactic, technique, ttp_procedure, "
      "note, source, network, published, line, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (source, line, value) DO NOTHING RETURNING id");
  if (!st_or.ok()) return st_or.status();
  SqlStatement& st = **st_or;
  int64_t added = 0;
  for (const PublishedIndicator& p : indicators) {
    LOCKSTEP_RETURN_IF_ERROR(st.Reset());
    int i = 0;
    for (std::string_view v : {Name(p.kind), std::string_view(p.value), std::string_view(p.host),
                               std::string_view(p.handle), std::string_view(p.published_type),
                               std::string_view(p.tactic), std::string_view(p.technique),
                               std::string_view(p.procedure), std::string_view(p.comment),
                               std::string_view(p.source), std::string_view(p.network), std::string_view(p.date)})
      LOCKSTEP_RETURN_IF_ERROR(st.Bind(++i, v));
    LOCKSTEP_RETURN_IF_ERROR(st.Bind(++i, static_cast<int64_t>(p.line)));
    LOCKSTEP_RETURN_IF_ERROR(st.Bind(++i, at));
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (row.value()) ++added;  // a row came back: inserted, not a duplicate
    LOCKSTEP_RETURN_IF_ERROR(st.Run());
  }
  LOCKSTEP_RETURN_IF_ERROR(tx.Commit());
  return added;
}

Result<std::vector<PublishedIndicator>> CaseStore::KnownIndicators() {
  std::vector<PublishedIndicator> out;
  Result<int> version = SchemaVersion();
  if (!version.ok()) return version.status();
  if (version.value() < kKnownIndicatorsVersion) return out;  // an older store, read-only: none imported
  Result<Statement> st = db_->Prepare(
      "SELECT kind, value, host, handle, published_type, tactic, technique, ttp_procedure, note, source, network, "
      "published, line FROM known_indicators ORDER BY id");
  if (!st.ok()) return st.status();
  LOCKSTEP_RETURN_IF_ERROR(ForEachRow(**st, [&](const SqlStatement& row) {
    PublishedIndicator p;
    Parse(row.Text(0), &p.kind);
    p.value = row.Text(1);
    p.host = row.Text(2);
    p.handle = row.Text(3);
    p.published_type = row.Text(4);
    p.tactic = row.Text(5);
    p.technique = row.Text(6);
    p.procedure = row.Text(7);
    p.comment = row.Text(8);
    p.source = row.Text(9);
    p.network = row.Text(10);
    p.date = row.Text(11);
    p.line = static_cast<uint64_t>(row.Int(12));
    out.push_back(std::move(p));
  }));
  return out;
}

Result<int64_t> CaseStore::RecordWatchAlerts(const std::vector<WatchAlert>& alerts) {
  for (const WatchAlert& a : alerts) {
    if (a.account_id.empty() || a.data_path.empty() || a.matched.empty())
      return Status::InvalidArgument(fmt::format(
          "a watch alert needs an account id, the data path and what matched (got account '{}', data '{}', matched '{}')",
          a.account_id, a.data_path, a.matched));
    if (a.kind == WatchAlertKind::kReturning && a.case_id.empty())
      return Status::InvalidArgument(
          fmt::format("the returning-account alert for {} needs the removed network's case id", a.account_id));
  }
  Transaction tx(db_.get());
  LOCKSTEP_RETURN_IF_ERROR(tx.Begin());
  // Duplicates are found by a lookup, not a UNIQUE constraint: matched texts
  // can outgrow PostgreSQL's limit on an index entry.
  Result<Statement> seen_st = db_->Prepare(
      "SELECT 1 FROM watch_alerts WHERE account_id = ? AND data_path = ? AND kind = ? AND case_id = ? AND matched = ?");
  Result<Statement> ins_st = db_->Prepare(
      "INSERT INTO watch_alerts (recorded_at, data_path, account_id, kind, case_id, score, matched, source, "
      "first_activity, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const Status& s : {seen_st.status(), ins_st.status()})
    if (!s.ok()) return s;
  SqlStatement &seen = **seen_st, &ins = **ins_st;
  int64_t added = 0;
  for (const WatchAlert& a : alerts) {
    LOCKSTEP_RETURN_IF_ERROR(seen.Reset());
    int i = 0;
    for (std::string_view v : {std::string_view(a.account_id), std::string_view(a.data_path), Name(a.kind),
                               std::string_view(a.case_id), std::string_view(a.matched)})
      LOCKSTEP_RETURN_IF_ERROR(seen.Bind(++i, v));
    Result<bool> row = seen.Step();
    if (!row.ok()) return row.status();
    if (row.value()) continue;
    LOCKSTEP_RETURN_IF_ERROR(ins.Reset());
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(1, a.recorded_at));
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(2, a.data_path));
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(3, a.account_id));
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(4, Name(a.kind)));
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(5, a.case_id));
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(6, a.score));
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(7, a.matched));
    LOCKSTEP_RETURN_IF_ERROR(ins.Bind(8, a.source));
    LOCKSTEP_RETURN_IF_ERROR(a.first_activity ? ins.Bind(9, *a.first_activity) : ins.BindNull(9));
    LOCKSTEP_RETURN_IF_ERROR(a.last_activity ? ins.Bind(10, *a.last_activity) : ins.BindNull(10));
    LOCKSTEP_RETURN_IF_ERROR(ins.Run());
    ++added;
  }
  LOCKSTEP_RETURN_IF_ERROR(seen.Reset());  // no statement left open across the commit
  LOCKSTEP_RETURN_IF_ERROR(tx.Commit());
  return added;
}

Result<std::vector<WatchAlert>> CaseStore::WatchAlerts(int64_t limit) {
  std::vector<WatchAlert> out;
  if (version_ < kWatchAlertsVersion) return out;  // an older store, read-only: watch recorded none
  Result<Statement> st = db_->Prepare(
      "SELECT id, recorded_at, data_path, account_id, kind, case_id, score, matched, source, first_activity, "
      "last_activity FROM watch_alerts ORDER BY recorded_at DESC, id DESC LIMIT ?");
  if (!st.ok()) return st.status();
  LOCKSTEP_RETURN_IF_ERROR((*st)->Bind(1, limit));
  LOCKSTEP_RETURN_IF_ERROR(ForEachRow(**st, [&](const SqlStatement& row) {
    WatchAlert a;
    a.id = row.Int(0);
    a.recorded_at = row.Int(1);
    a.data_path = row.Text(2);
    a.account_id = row.Text(3);
    Parse(row.Text(4), &a.kind);
    a.case_id = row.Text(5);
    a.score = row.Double(6);
    a.matched = row.Text(7);
    a.source = row.Text(8);
    if (!row.IsNull(9)) a.first_activity = row.Int(9);
    if (!row.IsNull(10)) a.last_activity = row.Int(10);
    out.push_back(std::move(a));
  }));
  return out;
}

}  // namespace lockstep
