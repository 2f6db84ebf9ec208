// The PostgreSQL backend of the case store (sql.h) over Debian's libpqxx 6,
// for teams that share one store on a server.
//
// Open() takes a libpq connection URI (postgresql://user[:password]@host
// [:port]/database[?param=value...]); the store's tables go to the first
// schema of the session's search_path (`?options=-csearch_path%3Dteam_a`
// picks another). Each session runs with synchronous_commit = on, so a
// statement or transaction whose commit returned survives a crash of the
// client or the server. Outside a Transaction every statement is its own
// transaction (autocommit); Begin() opens a READ COMMITTED transaction.
// Readers never wait for writers (MVCC): they see the last committed state.
// LockSchema() takes a transaction-scoped advisory lock named after the
// schema, so concurrent Open()s migrate one after the other.
//
// `?` placeholders are rewritten to $1, $2, ... and each distinct statement
// is prepared on the server once per connection. libpqxx's exceptions stop
// here and come back as Status (kIoError with the server's message).
//
// Not thread-safe: one connection per thread or process.
#ifndef LOCKSTEP_STORE_POSTGRES_H_
#define LOCKSTEP_STORE_POSTGRES_H_

#include <memory>
#include <string>
#include <string_view>

#include "lockstep/model/status.h"
#include "lockstep/store/sql.h"

namespace lockstep {

class PostgresConnection final : public SqlConnection {
 public:
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  // Connects to `uri`; kIoError (without the password) when the server
  // cannot be reached or refuses the login. `read_only` makes every
  // transaction of the session read-only.
  static Result<std::unique_ptr<PostgresConnection>> Open(const std::string& uri, bool read_only = false);

  Status Exec(std::string_view sql) override;
  Result<std::unique_ptr<SqlStatement>> Prepare(std::string_view sql) override;
  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  Status LockSchema() override;
  std::string_view TypeName(SqlType type) const override;
  // Reads every row of every table in the store's schema (heap pages are
  // verified by the server when the cluster has data checksums on).
  Status IntegrityCheck() override;
  Result<std::vector<std::string>> TableNames() override;
  std::string Describe() const override;

  struct Impl;  // libpqxx state, kept out of this header

 private:
  explicit PostgresConnection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `uri` with any password replaced by "***".
std::string RedactPassword(std::string_view uri);

// `sql` with `?` placeholders outside string literals numbered $1, $2, ...
std::string NumberPlaceholders(std::string_view sql);

}  // namespace lockstep

#endif  // LOCKSTEP_STORE_POSTGRES_H_
