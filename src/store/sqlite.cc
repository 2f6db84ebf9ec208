#include "lockstep/store/sqlite.h"

#include <sqlite3.h>

#include <utility>

#include <fmt/format.h>

namespace lockstep {

SqliteConnection::~SqliteConnection() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (db != nullptr) sqlite3_close_v2(db);
    return Status::IoError(fmt::format("cannot open case store {}: {}", path, message));
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db, path));
  // busy_timeout first: another connection may hold the write lock.
  if (Status s = conn->Exec("PRAGMA busy_timeout = 10000"); !s.ok()) return s;
  {
    Result<std::unique_ptr<SqlStatement>> wal = conn->Prepare("PRAGMA journal_mode = WAL");
    if (!wal.ok()) return wal.status();
    Result<bool> row = (*wal)->Step();
    if (!row.ok()) return Status::Corrupt(fmt::format("{} is not a case store: {}", path, row.status().message()));
    if (!row.value() || (*wal)->Text(0) != "wal")
      return Status::IoError(fmt::format("{}: cannot switch the case store to WAL mode", path));
  }
  if (Status s = conn->Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON"); !s.ok()) return s;
  return conn;
}

Status SqliteConnection::Exec(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  if (const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error); rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    message = fmt::format("case store: {} (in: {})", message, text.substr(0, 120));
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
      return Status::Corrupt(fmt::format("{} is not a case store: {}", path_, message));
    return Status::IoError(std::move(message));
  }
  return Status::Ok();
}

Result<std::unique_ptr<SqlStatement>> SqliteConnection::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
    return Status::Internal(fmt::format("case store: cannot prepare {}: {}", sql, sqlite3_errmsg(db_)));
  return std::unique_ptr<SqlStatement>(new SqliteStatement(db_, stmt));
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

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Status SqliteStatement::Check(int rc, const char* what) const {
  if (rc == SQLITE_OK) return Status::Ok();
  return Status::IoError(fmt::format("case store: {} failed: {} (in: {})", what, sqlite3_errmsg(db_),
                                     sqlite3_sql(stmt_) != nullptr ? sqlite3_sql(stmt_) : ""));
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
