// The SQL backend interface of the case store: one connection to a database
// (SQLite file or PostgreSQL server) and its statements. CaseStore writes its
// logic once against this interface; sqlite.h and postgres.h implement it.
//
// Statements use `?` placeholders (counted from 1) and the SQL both engines
// understand; the few type names that differ come from TypeName(). Every
// failure comes back as a Status naming the statement; nothing throws.
//
// Outside a Transaction every statement commits on its own (autocommit).
// Neither class is thread-safe: use one connection per thread or process.
#ifndef LOCKSTEP_STORE_SQL_H_
#define LOCKSTEP_STORE_SQL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/status.h"

namespace lockstep {

// A prepared statement. Must not outlive its connection.
class SqlStatement {
 public:
  virtual ~SqlStatement() = default;

  // Parameters count from 1.
  virtual Status Bind(int index, int64_t value) = 0;
  virtual Status Bind(int index, double value) = 0;
  virtual Status Bind(int index, std::string_view value) = 0;
  virtual Status BindNull(int index) = 0;
  Status Bind(int index, std::optional<double> value) { return value ? Bind(index, *value) : BindNull(index); }

  // Steps once: true with a row to read, false when done. The first Step()
  // after binding executes the statement.
  virtual Result<bool> Step() = 0;
  // Steps to completion, discarding rows.
  Status Run();
  // Resets for another execution with new bindings (all cleared).
  virtual Status Reset() = 0;

  // Columns of the current row, counting from 0.
  virtual int64_t Int(int column) const = 0;
  virtual double Double(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  virtual bool IsNull(int column) const = 0;
};

// Column types whose spelling differs between the engines.
enum class SqlType : uint8_t {
  kId,       // auto-assigned 64-bit primary key (read back with RETURNING id)
  kInteger,  // 64-bit integer
  kReal,     // 64-bit floating point
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  // Runs one or more statements without parameters or results.
  virtual Status Exec(std::string_view sql) = 0;
  virtual Result<std::unique_ptr<SqlStatement>> Prepare(std::string_view sql) = 0;

  // A write transaction: Begin() takes what the engine needs so that a
  // writer does not deadlock with another (SQLite: the write lock; PostgreSQL
  // leaves rows to MVCC). Not nested.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  // Inside a transaction, serialises schema migrations of this store against
  // other connections until the transaction ends.
  virtual Status LockSchema() = 0;

  virtual std::string_view TypeName(SqlType type) const = 0;
  // Engine-level consistency check of the store's tables; kCorrupt with the
  // engine's report when it fails.
  virtual Status IntegrityCheck() = 0;
  // The tables in the store's namespace (SQLite: the file, without its own
  // sqlite_* tables; PostgreSQL: the session's current schema), sorted.
  virtual Result<std::vector<std::string>> TableNames() = 0;
  // Where this connection points, without any password ("cases.db",
  // "postgresql://ana@db/cases").
  virtual std::string Describe() const = 0;
};

// A `postgresql://` or `postgres://` URI (libpq's connection URI syntax).
bool IsPostgresLocation(std::string_view location);

// Opens the database at `location`: a PostgreSQL URI connects to that server
// (postgres.h); anything else is an SQLite file path, created if missing
// unless `read_only` (sqlite.h). A `read_only` connection never writes (an
// SQLite file that is read-only on disk can be read; PostgreSQL sessions
// default to read-only transactions). kIoError if it cannot be opened or
// reached, with a sentence saying why (no such file, permission denied).
Result<std::unique_ptr<SqlConnection>> OpenSqlConnection(const std::string& location, bool read_only = false);

// Begin() now, Rollback() on destruction unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(SqlConnection* db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status Begin();
  Status Commit();

 private:
  SqlConnection* db_;
  bool open_ = false;
};

}  // namespace lockstep

#endif  // LOCKSTEP_STORE_SQL_H_
