// The case-store tests run once per backend: SQLite (a file in a temporary
// directory) and PostgreSQL (a fresh schema in the database named by the
// environment variable LOCKSTEP_TEST_PG, e.g.
// postgresql://lockstep@127.0.0.1:55432/lockstep_test; scripts/test.sh sets
// it from scripts/pg-test-server.sh when LOCKSTEP_PG=1 or CI=true). Without
// the variable the PostgreSQL cases skip, saying so.
//
// Every ScratchStore is its own SQLite file or PostgreSQL schema, so tests
// running in parallel (ctest -j) never share a store; it is removed when the
// ScratchStore goes.
#ifndef LOCKSTEP_TESTS_STORE_STORE_BACKENDS_H_
#define LOCKSTEP_TESTS_STORE_STORE_BACKENDS_H_

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "lockstep/store/sql.h"
#include "test_util.h"

namespace lockstep::testing {

enum class StoreBackend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param == StoreBackend::kSqlite ? "SQLite" : "PostgreSQL";
}

// The server under test, or empty when LOCKSTEP_TEST_PG is unset.
inline std::string TestPostgresUri() {
  const char* uri = std::getenv("LOCKSTEP_TEST_PG");
  return uri == nullptr ? "" : uri;
}

inline constexpr const char* kNoPostgres =
    "LOCKSTEP_TEST_PG is unset: no PostgreSQL server to test against "
    "(export LOCKSTEP_TEST_PG=$(bash scripts/pg-test-server.sh), or run scripts/test.sh with LOCKSTEP_PG=1)";

// A fresh, empty store location for one test.
class ScratchStore {
 public:
  explicit ScratchStore(StoreBackend backend) : backend_(backend) {
    if (backend == StoreBackend::kSqlite) {
      location_ = dir_ / "cases.db";
      return;
    }
    const std::string base = TestPostgresUri();
    if (base.empty()) return;
    static std::atomic<int> counter{0};
    schema_ = fmt::format("lockstep_test_{}_{}", ::getpid(), counter++);
    auto admin = OpenSqlConnection(base);
    if (!admin.ok()) {
      error_ = admin.status().message();
      return;
    }
    if (Status s = (*admin)->Exec(fmt::format("DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}", schema_));
        !s.ok()) {
      error_ = s.message();
      return;
    }
    admin_ = std::move(admin).value();
    // libpq's URI parameter `options` sets the session's search_path.
    location_ =
        fmt::format("{}{}options=-csearch_path%3D{}", base, base.find('?') == std::string::npos ? '?' : '&', schema_);
  }
  ~ScratchStore() {
    if (admin_ != nullptr) (void)admin_->Exec(fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", schema_));
  }
  ScratchStore(const ScratchStore&) = delete;
  ScratchStore& operator=(const ScratchStore&) = delete;

  // Empty when the backend is unavailable (then skip_reason() says why).
  const std::string& location() const { return location_; }
  std::string skip_reason() const { return error_.empty() ? kNoPostgres : "cannot set up PostgreSQL: " + error_; }
  StoreBackend backend() const { return backend_; }
  // A directory for the test's other files.
  const TempDir& dir() const { return dir_; }

 private:
  StoreBackend backend_;
  TempDir dir_;
  std::string location_, schema_, error_;
  std::unique_ptr<SqlConnection> admin_;
};

// Fixture for TEST_P over both backends: store() is this test's ScratchStore;
// SetUp skips the PostgreSQL case when no server is configured, and fails it
// when the configured server cannot be used.
class StoreBackendTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    store_ = std::make_unique<ScratchStore>(GetParam());
    if (store_->location().empty()) {
      if (!TestPostgresUri().empty()) FAIL() << store_->skip_reason();
      GTEST_SKIP() << store_->skip_reason();
    }
  }
  const ScratchStore& store() const { return *store_; }
  const std::string& location() const { return store_->location(); }

 private:
  std::unique_ptr<ScratchStore> store_;
};

#define LOCKSTEP_INSTANTIATE_STORE_BACKENDS(suite)                                                                 \
  INSTANTIATE_TEST_SUITE_P(                                                                                        \
      , suite,                                                                                                     \
      ::testing::Values(::lockstep::testing::StoreBackend::kSqlite, ::lockstep::testing::StoreBackend::kPostgres), \
      ::lockstep::testing::BackendName)

}  // namespace lockstep::testing

#endif  // LOCKSTEP_TESTS_STORE_STORE_BACKENDS_H_
