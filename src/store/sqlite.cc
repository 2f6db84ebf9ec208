#include "lockstep/store/sqlite.h"

#include <sqlite3.h>

#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include <fmt/format.h>

namespace lockstep {
namespace {

// SQLite's result code `rc` on the store at `path` as a sentence for the
// user. Only an error that is lockstep's own (kInternal) names the SQL.
Status Classify(sqlite3* db, int rc, const std::string& path, std::string_view sql) {
  const std::string engine = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const int system_errno = db != nullptr ? sqlite3_system_errno(db) : 0;
  const std::string why = system_errno != 0 ? std::strerror(system_errno) : engine;
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
      return Status::Corrupt(fmt::format("{} is not a case store: it is not an SQLite database", path));
    case SQLITE_CORRUPT:
      return Status::Corrupt(
          fmt::format("case store {} is damaged (SQLite: {}); restore it from a backup", path, engine));
    case SQLITE_READONLY:
      return Status::IoError(fmt::format(
          "case store {} is read-only and this command writes to it; check the permissions of the file and its "
          "directory",
          path));
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Status::IoError(fmt::format("cannot open case store {}: {}", path, why));
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return Status::IoError(fmt::format("cannot read or write case store {}: {}", path, why));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::IoError(
          fmt::format("case store {} stayed locked by another process for 10 s; try again when it is done", path));
    default:
      return Status::Internal(fmt::format("case store {}: {} (in: {})", path, engine, sql.substr(0, 160)));
  }
}

// `path` as an SQLite URI that opens it read-only and immutable.
std::string ImmutableUri(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#')
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    else
      uri += c;
  }
  return uri + "?immutable=1";
}

}  // namespace

SqliteConnection::~SqliteConnection() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::OpenFile(const std::string& path, const std::string& name,
                                                                    int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = Classify(db, rc, path, "open");
    if (db != nullptr) sqlite3_close_v2(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db, path));
  // busy_timeout first: another connection may hold the write lock.
  if (Status s = conn->Exec("PRAGMA busy_timeout = 10000"); !s.ok()) return s;
  return conn;
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path, bool read_only) {
  if (read_only) {
    Result<std::unique_ptr<SqliteConnection>> conn = OpenFile(path, path, SQLITE_OPEN_READONLY);
    if (!conn.ok()) return conn;
    // The first read opens the WAL index; without write access to the
    // directory and no -shm file left behind (so no writer is active), the
    // file can only be read as immutable.
    Status s = (*conn)->Exec("SELECT count(*) FROM sqlite_master");
    if (s.ok()) return conn;
    if (s.code() != StatusCode::kIoError) return s;
    conn = OpenFile(path, ImmutableUri(path), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    if (!conn.ok()) return conn;
    if (Status again = (*conn)->Exec("SELECT count(*) FROM sqlite_master"); !again.ok()) return again;
    return conn;
  }
  Result<std::unique_ptr<SqliteConnection>> opened =
      OpenFile(path, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!opened.ok()) return opened;
  std::unique_ptr<SqliteConnection> conn = std::move(opened).value();
  if (sqlite3_db_readonly(conn->db_, "main") == 1) return Classify(nullptr, SQLITE_READONLY, path, "open");
  // Switching a new file to WAL needs an exclusive lock. When two processes
  // create the store at once, both hold a shared lock while they ask for it,
  // and SQLite answers one of them SQLITE_BUSY at once rather than call the
  // busy handler (it would deadlock). So that case is retried here, within
  // the same 10 s the busy handler waits elsewhere.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    Result<std::unique_ptr<SqlStatement>> wal = conn->Prepare("PRAGMA journal_mode = WAL");
    Result<bool> row = wal.ok() ? (*wal)->Step() : Result<bool>(wal.status());
    if (row.ok()) {
      if (!row.value() || (*wal)->Text(0) != "wal")
        return Status::IoError(fmt::format("{}: cannot switch the case store to WAL mode", path));
      break;
    }
    const bool busy = (sqlite3_extended_errcode(conn->db_) & 0xff) == SQLITE_BUSY;
    if (!busy || std::chrono::steady_clock::now() >= deadline) return row.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (Status s = conn->Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON"); !s.ok()) return s;
  return conn;
}

Status SqliteConnection::Exec(std::string_view sql) {
  const std::string text(sql);
  if (const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr); rc != SQLITE_OK)
    return Classify(db_, rc, path_, text);
  return Status::Ok();
}

Result<std::unique_ptr<SqlStatement>> SqliteConnection::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr); rc != SQLITE_OK)
    return Classify(db_, rc, path_, sql);
  return std::unique_ptr<SqlStatement>(new SqliteStatement(db_, stmt, &path_));
}

std::string_view SqliteConnection::TypeName(SqlType type) const {
  switch (type) {
    case SqlType::kId:
      return "INTEGER PRIMARY KEY";
    case SqlType::kInteger:
      return "INTEGER";
    case SqlType::kReal:
      return "REAL";
  }
  return "?";
}

Status SqliteConnection::IntegrityCheck() {
  Result<std::unique_ptr<SqlStatement>> st = Prepare("PRAGMA integrity_check");
  if (!st.ok()) return st.status();
  std::string report;
  for (;;) {
    Result<bool> row = (*st)->Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    if (!report.empty()) report += "; ";
    report += (*st)->Text(0);
  }
  if (report != "ok") return Status::Corrupt("case store integrity check failed: " + report);
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteConnection::TableNames() {
  Result<std::unique_ptr<SqlStatement>> st =
      Prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
              "ORDER BY name");
  if (!st.ok()) return st.status();
  std::vector<std::string> names;
  for (;;) {
    Result<bool> row = (*st)->Step();
    if (!row.ok()) return row.status();
    if (!row.value()) return names;
    names.push_back((*st)->Text(0));
  }
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Status SqliteStatement::Check(int rc, const char* what) const {
  if (rc == SQLITE_OK) return Status::Ok();
  return Classify(db_, rc, *path_, fmt::format("{} of {}", what, sqlite3_sql(stmt_) != nullptr ? sqlite3_sql(stmt_) : ""));
}

Status SqliteStatement::Bind(int index, int64_t value) {
  return Check(sqlite3_bind_int64(stmt_, index, value), "bind");
}
Status SqliteStatement::Bind(int index, double value) {
  return Check(sqlite3_bind_double(stmt_, index, value), "bind");
}
Status SqliteStatement::Bind(int index, std::string_view value) {
  return Check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8), "bind");
}
Status SqliteStatement::BindNull(int index) { return Check(sqlite3_bind_null(stmt_, index), "bind"); }

Result<bool> SqliteStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Check(rc, "step");
}

Status SqliteStatement::Reset() {
  sqlite3_reset(stmt_);  // returns the last step's error, already reported
  return Check(sqlite3_clear_bindings(stmt_), "clear bindings");
}

int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
double SqliteStatement::Double(int column) const { return sqlite3_column_double(stmt_, column); }
std::string SqliteStatement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  return text == nullptr ? std::string()
                         : std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
}
bool SqliteStatement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

}  // namespace lockstep
