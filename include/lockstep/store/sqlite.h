// RAII wrappers over the SQLite C API for the case store. Every call is
// checked; failures come back as Status with SQLite's message and the SQL.
//
// A Database owns one connection (sqlite3*); a Statement owns one prepared
// statement and must not outlive its Database. Neither is thread-safe: use
// one connection per thread (SQLite's WAL mode lets readers work while one
// writer writes).
#ifndef LOCKSTEP_STORE_SQLITE_H_
#define LOCKSTEP_STORE_SQLITE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lockstep/model/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace lockstep {

class Statement;

class Database {
 public:
  Database() = default;
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Opens (creating if missing) the database file at `path`; kIoError if it
  // cannot be opened.
  static Result<Database> Open(const std::string& path);

  // Runs one or more statements without results.
  Status Exec(std::string_view sql);
  // Prepares one statement.
  Result<Statement> Prepare(std::string_view sql);
  int64_t LastInsertId() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters count from 1, as in SQLite.
  Status Bind(int index, int64_t value);
  Status Bind(int index, double value);
  Status Bind(int index, std::string_view value);
  Status BindNull(int index);
  Status Bind(int index, std::optional<double> value) { return value ? Bind(index, *value) : BindNull(index); }

  // Steps once: true with a row to read, false when done.
  Result<bool> Step();
  // Steps to completion, discarding rows.
  Status Run();
  // Resets for another execution with new bindings.
  Status Reset();

  // Columns of the current row, counting from 0.
  int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Status Check(int rc, const char* what) const;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Runs BEGIN IMMEDIATE; commits with Commit(), rolls back on destruction
// otherwise.
class Transaction {
 public:
  explicit Transaction(Database* db) : db_(db) {}
  ~Transaction();
  Status Begin();
  Status Commit();

 private:
  Database* db_;
  bool open_ = false;
};

}  // namespace lockstep

#endif  // LOCKSTEP_STORE_SQLITE_H_
