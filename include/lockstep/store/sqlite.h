// The SQLite backend of the case store (sql.h) over Debian's libsqlite3.
// Every call is checked; failures come back as Status with SQLite's message
// and the SQL.
//
// Open() sets the store's durability: WAL mode (readers on other connections
// see the last committed state while one writer writes), synchronous=FULL
// (a committed transaction survives a kill or power loss), busy_timeout 10 s
// and foreign keys on. Begin() is BEGIN IMMEDIATE: it takes the write lock
// up front, so two writers queue instead of deadlocking.
//
// A SqliteConnection owns one connection (sqlite3*); a SqliteStatement owns
// one prepared statement and must not outlive its connection. Neither is
// thread-safe.
#ifndef LOCKSTEP_STORE_SQLITE_H_
#define LOCKSTEP_STORE_SQLITE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "lockstep/model/status.h"
#include "lockstep/store/sql.h"

struct sqlite3;
struct sqlite3_stmt;

namespace lockstep {

class SqliteConnection final : public SqlConnection {
 public:
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Opens (creating if missing) the database file at `path`; kIoError if it
  // cannot be opened, kCorrupt if it is not an SQLite database. With
  // `read_only` the file must exist and is never written; a WAL file on
  // read-only media or in a directory without write permission is read as
  // immutable.
  //
  // Every failure of this connection and its statements is classified for
  // the user, without SQL: a file that is not SQLite or is damaged is
  // kCorrupt; a missing, unreadable, read-only, locked or full file is
  // kIoError; anything else (a bug in lockstep's SQL) is kInternal with the
  // statement.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, bool read_only = false);

  Status Exec(std::string_view sql) override;
  Result<std::unique_ptr<SqlStatement>> Prepare(std::string_view sql) override;
  Status Begin() override { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() override { return Exec("COMMIT"); }
  Status Rollback() override { return Exec("ROLLBACK"); }
  Status LockSchema() override { return Status::Ok(); }  // BEGIN IMMEDIATE holds the write lock
  std::string_view TypeName(SqlType type) const override;
  // PRAGMA integrity_check.
  Status IntegrityCheck() override;
  Result<std::vector<std::string>> TableNames() override;
  std::string Describe() const override { return path_; }

 private:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  static Result<std::unique_ptr<SqliteConnection>> OpenFile(const std::string& path, const std::string& name, int flags);
  sqlite3* db_ = nullptr;
  std::string path_;
};

class SqliteStatement final : public SqlStatement {
 public:
  ~SqliteStatement() override;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  Status Bind(int index, int64_t value) override;
  Status Bind(int index, double value) override;
  Status Bind(int index, std::string_view value) override;
  Status BindNull(int index) override;
  using SqlStatement::Bind;
  Result<bool> Step() override;
  Status Reset() override;
  int64_t Int(int column) const override;
  double Double(int column) const override;
  std::string Text(int column) const override;
  bool IsNull(int column) const override;

 private:
  friend class SqliteConnection;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, const std::string* path) : db_(db), stmt_(stmt), path_(path) {}
  Status Check(int rc, const char* what) const;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  const std::string* path_ = nullptr;  // the connection's
};

}  // namespace lockstep

#endif  // LOCKSTEP_STORE_SQLITE_H_
