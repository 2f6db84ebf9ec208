#include "lockstep/store/sql.h"

#include "lockstep/store/postgres.h"
#include "lockstep/store/sqlite.h"

namespace lockstep {

Status SqlStatement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!row.value()) return Status::Ok();
  }
}

bool IsPostgresLocation(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

Result<std::unique_ptr<SqlConnection>> OpenSqlConnection(const std::string& location, bool read_only) {
  if (IsPostgresLocation(location)) {
    Result<std::unique_ptr<PostgresConnection>> pg = PostgresConnection::Open(location, read_only);
    if (!pg.ok()) return pg.status();
    return std::unique_ptr<SqlConnection>(std::move(pg).value());
  }
  Result<std::unique_ptr<SqliteConnection>> lite = SqliteConnection::Open(location, read_only);
  if (!lite.ok()) return lite.status();
  return std::unique_ptr<SqlConnection>(std::move(lite).value());
}

Transaction::~Transaction() {
  if (open_) (void)db_->Rollback();
}

Status Transaction::Begin() {
  Status s = db_->Begin();
  open_ = s.ok();
  return s;
}

Status Transaction::Commit() {
  Status s = db_->Commit();
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace lockstep
