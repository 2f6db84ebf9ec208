// The case store: a database that keeps what detection found and what
// analysts decided about it, so that removed networks can be watched for
// (see docs/store.md). An embedded SQLite file by default, or a PostgreSQL
// server for teams; the logic here is written once over sql.h.
//
// Contents: runs (when, data path, parameters), networks with their members
// (account ids, scores) and evidence (indicators as JSON text), analyst
// verdicts (confirmed / dismissed / needs_review: who, when, why),
// enforcement actions (removed at a time) and the fingerprints of removed
// networks (fingerprint.h), and known indicators imported from other
// investigations' published files (published_indicators.h) with their source,
// and the alerts `lockstep watch` raised (accounts of new data matching a
// removed network or a known indicator).
//
// Durability: every write is one transaction (SQLite in WAL mode with
// synchronous=FULL, sqlite.h; PostgreSQL with synchronous_commit=on,
// postgres.h), so a call that returned Ok survives a kill of the process at
// any later moment. Readers on other connections see the last committed
// state while a writer writes. The schema is versioned: Open() applies every
// migration the store lacks, in order, in one transaction that also bumps
// schema_version.
//
// A case id names one network of one run: "r<run>.<network_id>" ("r3.N1");
// "N1" alone means the newest run that has an N1.
//
// Thread safety: one CaseStore = one connection; use one per thread.
#ifndef LOCKSTEP_STORE_CASE_STORE_H_
#define LOCKSTEP_STORE_CASE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/detect/network.h"
#include "lockstep/indicators/published_indicators.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/store/fingerprint.h"
#include "lockstep/store/sql.h"

namespace lockstep {

enum class Verdict : uint8_t { kConfirmed = 0, kDismissed, kNeedsReview };
std::string_view Name(Verdict v);  // "confirmed", "dismissed", "needs_review"
bool Parse(std::string_view s, Verdict* out);

// The schema version this build writes.
inline constexpr int kCaseStoreSchemaVersion = 6;
// The schema version that added the workbench's tables (users, sessions,
// notes, member_removals, audit_log; see lockstep/server/workbench_store.h).
inline constexpr int kWorkbenchSchemaVersion = 4;

// How a command uses the store: kReadWrite creates and migrates it;
// kReadOnly only reads (a store that is read-only on disk can be listed).
enum class StoreAccess : uint8_t { kReadWrite = 0, kReadOnly };

struct VerdictRecord {
  Verdict verdict = Verdict::kNeedsReview;
  std::string analyst, reason;
  int64_t decided_at = 0;  // Unix seconds
};

struct CaseSummary {
  std::string case_id;  // "r3.N1"
  int64_t run_id = 0;
  std::string network_id;  // "N1"
  double confidence = 0;
  std::string tier;
  int64_t size = 0;
  std::optional<double> utc_offset;
  std::optional<VerdictRecord> latest_verdict;
  std::optional<int64_t> removed_at;  // Unix seconds
  // Where the network operates from and whom it targets, as detection
  // described it (Network's fields of the same names; languages and
  // top_domains by name only). described is false for runs recorded before
  // schema version 5, which kept none of this.
  bool described = false;
  std::vector<std::string> origin_countries, target_countries, languages, top_domains;
};

struct CaseMember {
  std::string account_id;
  double score = 0;
  bool attached = false;
};

struct CaseDetail {
  CaseSummary summary;
  std::string data_path;  // of the run
  std::vector<CaseMember> members;
  std::vector<std::string> indicators;  // JSON objects, strongest first
  std::vector<VerdictRecord> verdicts;  // oldest first
};

// What a watch alert matched: a removed network's fingerprint or a known indicator.
enum class WatchAlertKind : uint8_t { kReturning = 0, kKnownIndicator };
std::string_view Name(WatchAlertKind k);  // "returning", "known_indicator"
bool Parse(std::string_view s, WatchAlertKind* out);

// One match of `lockstep watch` kept in the store (schema version 6): an
// account of newly watched data that scores as a removed network's returning
// member (watch.h's Watch), or whose activity touches a known indicator
// (KnownIndicatorWatch).
struct WatchAlert {
  int64_t id = 0;           // assigned by the store
  int64_t recorded_at = 0;  // Unix seconds: when watch ran
  std::string data_path;    // the watched data set, as given to watch
  std::string account_id;   // the matching account of that data
  WatchAlertKind kind = WatchAlertKind::kReturning;
  std::string case_id;      // kReturning: the removed network ("r1.N1"); "" otherwise
  double score = 0;         // kReturning: watch's score in [0, 1]; kKnownIndicator: 1
  std::string matched;      // what matched: watch's reasons, "; "-separated
  std::string source;       // kKnownIndicator: where the indicators were published, "; "-separated
  // The account's first and last event in the watched data (Unix seconds);
  // none when it has no events there.
  std::optional<int64_t> first_activity, last_activity;
};

// A removed network and what it left behind.
struct RemovedNetwork {
  std::string case_id;
  int64_t removed_at = 0;
  std::vector<std::string> member_ids;
  Fingerprint fingerprint;
};

class CaseStore {
 public:
  // Opens the store at `location`: a `postgresql://` (or `postgres://`)
  // URI means that PostgreSQL database, anything else an SQLite file path.
  //
  // Only an empty database (a new or empty SQLite file, a PostgreSQL schema
  // without tables) or a lockstep case store (all of lockstep's tables) is
  // used: anything else is refused with kInputError and never written to.
  // kReadWrite creates the store if missing and applies the migrations it
  // lacks; kReadOnly needs an existing store of this or an older version
  // (every version has the tables reading needs), never writes, and reads a
  // file that is read-only on disk.
  //
  // kIoError if it cannot be opened, reached or (kReadWrite) written;
  // kCorrupt if it is not an SQLite file, is damaged or was written by a
  // newer version. Messages are sentences for the user, without SQL.
  static Result<std::unique_ptr<CaseStore>> Open(const std::string& location,
                                                 StoreAccess access = StoreAccess::kReadWrite);

  Result<int> SchemaVersion();

  // Records a detection run and its networks. `parameters` is free text
  // (JSON by convention); `at` Unix seconds. Returns the run id.
  Result<int64_t> RecordRun(const Dataset& ds, const Detection& detection, std::string_view data_path,
                            std::string_view parameters, int64_t at);

  // Every case, newest run first, then by network id.
  Result<std::vector<CaseSummary>> ListCases();
  // kInvalidArgument for an unknown case id.
  Result<CaseDetail> GetCase(std::string_view case_id);
  // Resolves "N1" or "r3.N1" to the canonical case id.
  Result<std::string> ResolveCase(std::string_view case_id);

  // Records a verdict; analyst and reason must not be empty.
  Status AddVerdict(std::string_view case_id, Verdict verdict, std::string_view analyst, std::string_view reason,
                    int64_t at);
  // Records the removal of a network at `at` with its fingerprint.
  Status RecordRemoval(std::string_view case_id, int64_t at, const Fingerprint& fingerprint,
                       std::string_view data_path);
  Result<std::vector<RemovedNetwork>> RemovedNetworks();
  // Stores published indicators with their source (file, network, date),
  // stamped `at` (Unix seconds), in one transaction. A row already imported
  // (same source file, line and value) is not stored twice: importing a file
  // again adds nothing. Returns how many were new.
  Result<int64_t> AddKnownIndicators(const std::vector<PublishedIndicator>& indicators, int64_t at);
  // Every known indicator, in import order; none in a store older than
  // schema version 3.
  Result<std::vector<PublishedIndicator>> KnownIndicators();

  // Stores watch's alerts in one transaction (their id is ignored). An alert
  // already stored (same data path, account, kind, case and matched text) is
  // not stored twice: watching the same data again adds nothing. Returns how
  // many were new. kInvalidArgument for an alert without an account id, data
  // path or matched text, or a kReturning one without a case id.
  Result<int64_t> RecordWatchAlerts(const std::vector<WatchAlert>& alerts);
  // The newest `limit` alerts, newest first (by recorded_at, then as
  // recorded); none in a store older than schema version 6.
  Result<std::vector<WatchAlert>> WatchAlerts(int64_t limit);

  // The engine's consistency check (SqlConnection::IntegrityCheck);
  // kCorrupt with its report.
  Status IntegrityCheck() { return db_->IntegrityCheck(); }

  // The underlying connection, e.g. to hold a Transaction across calls.
  SqlConnection& connection() { return *db_; }

 private:
  explicit CaseStore(std::unique_ptr<SqlConnection> db) : db_(std::move(db)) {}
  int version_ = 0;  // the store's schema version, read at Open()
  Status Migrate();
  // kInputError unless `tables` (the database's) are none or lockstep's.
  Status CheckOwnTables(const std::vector<std::string>& tables) const;
  Result<int64_t> NetworkKey(std::string_view case_id, std::string* canonical);
  std::unique_ptr<SqlConnection> db_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_STORE_CASE_STORE_H_
