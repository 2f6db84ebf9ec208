#include "lockstep/store/postgres.h"

#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <pqxx/pqxx>

namespace lockstep {

struct PostgresConnection::Impl {
  explicit Impl(const std::string& uri) : conn(uri), described(RedactPassword(uri)) {}

  // Runs `f(transaction)` in the open transaction, or in a statement-long
  // autocommit one; libpqxx's exceptions become Status.
  template <typename F>
  Status Run(std::string_view what, F&& f) {
    try {
      if (tx != nullptr) {
        f(*tx);
      } else {
        pqxx::nontransaction autocommit(conn);
        f(autocommit);
      }
      return Status::Ok();
    } catch (const pqxx::broken_connection& e) {
      return Status::IoError(fmt::format("case store {}: connection lost: {}", described, Trim(e.what())));
    } catch (const pqxx::insufficient_privilege& e) {
      return Status::IoError(fmt::format("case store {}: the database refuses this role: {}", described,
                                         Trim(e.what())));
    } catch (const pqxx::sql_error& e) {
      if (e.sqlstate() == "25006")  // read_only_sql_transaction
        return Status::IoError(fmt::format("case store {} is read-only here; this command writes to it", described));
      return Status::IoError(fmt::format("case store: {} (in: {})", Trim(e.what()), what.substr(0, 160)));
    } catch (const std::exception& e) {
      return Status::IoError(fmt::format("case store: {} (in: {})", Trim(e.what()), what.substr(0, 160)));
    }
  }

  static std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
    return s;
  }

  pqxx::connection conn;
  std::unique_ptr<pqxx::work> tx;
  std::unordered_map<std::string, std::string> prepared;  // numbered SQL -> statement name
  std::string described;
};

namespace {

class PostgresStatement final : public SqlStatement {
 public:
  PostgresStatement(PostgresConnection::Impl* db, std::string name, std::string sql)
      : db_(db), name_(std::move(name)), sql_(std::move(sql)) {}

  Status Bind(int index, int64_t value) override { return Set(index, fmt::format("{}", value)); }
  Status Bind(int index, double value) override { return Set(index, fmt::format("{}", value)); }
  Status Bind(int index, std::string_view value) override { return Set(index, std::string(value)); }
  Status BindNull(int index) override { return Set(index, std::nullopt); }
  using SqlStatement::Bind;

  Result<bool> Step() override {
    if (!result_) {
      std::vector<const char*> values;
      values.reserve(params_.size());
      for (const std::optional<std::string>& p : params_) values.push_back(p ? p->c_str() : nullptr);
      Status s = db_->Run(sql_, [&](pqxx::transaction_base& t) {
        result_ = t.exec_prepared(name_, pqxx::prepare::make_dynamic_params(values));
      });
      if (!s.ok()) return s;
      row_ = -1;
    }
    return ++row_ < static_cast<int64_t>(result_->size());
  }

  Status Reset() override {
    result_.reset();
    params_.clear();
    return Status::Ok();
  }

  int64_t Int(int column) const override { return Field(column).as<int64_t>(0); }
  double Double(int column) const override { return Field(column).as<double>(0.0); }
  std::string Text(int column) const override {
    const pqxx::field f = Field(column);
    return f.is_null() ? std::string() : std::string(f.c_str(), f.size());
  }
  bool IsNull(int column) const override { return Field(column).is_null(); }

 private:
  Status Set(int index, std::optional<std::string> value) {
    if (index < 1) return Status::Internal(fmt::format("case store: parameter {} of {}", index, sql_));
    if (params_.size() < static_cast<size_t>(index)) params_.resize(index);
    params_[index - 1] = std::move(value);
    return Status::Ok();
  }
  pqxx::field Field(int column) const {
    return (*result_)[static_cast<pqxx::result::size_type>(row_)][static_cast<pqxx::row::size_type>(column)];
  }

  PostgresConnection::Impl* db_;
  std::string name_, sql_;
  std::vector<std::optional<std::string>> params_;
  std::optional<pqxx::result> result_;
  int64_t row_ = -1;
};

}  // namespace

PostgresConnection::PostgresConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PostgresConnection::~PostgresConnection() {
  if (impl_ != nullptr && impl_->tx != nullptr) (void)Rollback();
}

Result<std::unique_ptr<PostgresConnection>> PostgresConnection::Open(const std::string& uri, bool read_only) {
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(uri);
    // Durable commits whatever the server's default; no NOTICE chatter on stderr.
    impl->conn.set_variable("synchronous_commit", "on");
    impl->conn.set_variable("client_min_messages", "warning");
    if (read_only) impl->conn.set_variable("default_transaction_read_only", "on");
  } catch (const std::exception& e) {
    return Status::IoError(fmt::format("cannot open case store {}: {}", RedactPassword(uri), Impl::Trim(e.what())));
  }
  return std::unique_ptr<PostgresConnection>(new PostgresConnection(std::move(impl)));
}

Status PostgresConnection::Exec(std::string_view sql) {
  return impl_->Run(sql, [&](pqxx::transaction_base& t) { t.exec(std::string(sql)); });
}

Result<std::unique_ptr<SqlStatement>> PostgresConnection::Prepare(std::string_view sql) {
  std::string numbered = NumberPlaceholders(sql);
  auto it = impl_->prepared.find(numbered);
  if (it == impl_->prepared.end()) {
    std::string name = fmt::format("lockstep_{}", impl_->prepared.size());
    try {
      impl_->conn.prepare(name, numbered);
    } catch (const std::exception& e) {
      return Status::Internal(fmt::format("case store: cannot prepare {}: {}", sql, Impl::Trim(e.what())));
    }
    it = impl_->prepared.emplace(numbered, std::move(name)).first;
  }
  return std::unique_ptr<SqlStatement>(new PostgresStatement(impl_.get(), it->second, std::move(numbered)));
}

Status PostgresConnection::Begin() {
  if (impl_->tx != nullptr) return Status::FailedPrecondition("case store: a transaction is already open");
  try {
    impl_->tx = std::make_unique<pqxx::work>(impl_->conn);
  } catch (const std::exception& e) {
    return Status::IoError(fmt::format("case store {}: cannot begin: {}", impl_->described, Impl::Trim(e.what())));
  }
  return Status::Ok();
}

Status PostgresConnection::Commit() {
  if (impl_->tx == nullptr) return Status::FailedPrecondition("case store: commit without a transaction");
  std::unique_ptr<pqxx::work> tx = std::move(impl_->tx);
  try {
    tx->commit();
  } catch (const std::exception& e) {
    return Status::IoError(fmt::format("case store {}: commit failed: {}", impl_->described, Impl::Trim(e.what())));
  }
  return Status::Ok();
}

Status PostgresConnection::Rollback() {
  if (impl_->tx == nullptr) return Status::Ok();
  std::unique_ptr<pqxx::work> tx = std::move(impl_->tx);
  try {
    tx->abort();
  } catch (const std::exception& e) {
    return Status::IoError(fmt::format("case store {}: rollback failed: {}", impl_->described, Impl::Trim(e.what())));
  }
  return Status::Ok();
}

Status PostgresConnection::LockSchema() {
  if (impl_->tx == nullptr) return Status::FailedPrecondition("case store: LockSchema outside a transaction");
  return Exec("SELECT pg_advisory_xact_lock(hashtext('lockstep case store ' || current_schema()))");
}

std::string_view PostgresConnection::TypeName(SqlType type) const {
  switch (type) {
    case SqlType::kId:
      return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    case SqlType::kInteger:
      return "BIGINT";
    case SqlType::kReal:
      return "DOUBLE PRECISION";
  }
  return "?";
}

Result<std::vector<std::string>> PostgresConnection::TableNames() {
  std::vector<std::string> tables;
  Status s = impl_->Run("list tables", [&](pqxx::transaction_base& t) {
    for (const pqxx::row& row :
         t.exec("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"))
      tables.push_back(row[0].c_str());
  });
  if (!s.ok()) return s;
  return tables;
}

Status PostgresConnection::IntegrityCheck() {
  Result<std::vector<std::string>> listed = TableNames();
  if (!listed.ok()) return listed.status();
  const std::vector<std::string>& tables = listed.value();
  Status s;
  for (const std::string& table : tables) {
    s = impl_->Run(table, [&](pqxx::transaction_base& t) { t.exec("SELECT count(*) FROM " + t.quote_name(table)); });
    if (!s.ok()) return Status::Corrupt(fmt::format("case store integrity check failed on {}: {}", table, s.message()));
  }
  if (tables.empty()) return Status::Corrupt("case store integrity check failed: no tables in the store's schema");
  return Status::Ok();
}

std::string PostgresConnection::Describe() const { return impl_->described; }

std::string RedactPassword(std::string_view uri) {
  std::string out(uri);
  // postgresql://user:password@host...
  if (const size_t scheme = out.find("://"); scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t at = out.find('@', start), slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ...?password=secret&...
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    if (p > 0 && out[p - 1] != '?' && out[p - 1] != '&') continue;
    const size_t begin = p + 9, end = std::min(out.find('&', begin), out.size());
    out.replace(begin, end - begin, "***");
  }
  return out;
}

std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_literal = false;
  for (char c : sql) {
    if (c == '\'') in_literal = !in_literal;
    if (c == '?' && !in_literal)
      out += fmt::format("${}", ++n);
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace lockstep
