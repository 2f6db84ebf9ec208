#include "lockstep/store/case_store.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "store/store_backends.h"
#include "test_util.h"

namespace lockstep {
namespace {

using CaseStoreTest = testing::StoreBackendTest;
LOCKSTEP_INSTANTIATE_STORE_BACKENDS(CaseStoreTest);

// A data set with three accounts and a detection with one network of two.
struct Fixture {
  Dataset ds;
  Detection detection;
  Fixture() {
    for (const char* id : {"a1", "a2", "a3"}) {
      ds.account_ids.Intern(id);
      ds.accounts.push_back({});
    }
    Network n;
    n.network_id = "N1";
    n.confidence = 0.9;
    n.members = {0, 1};
    n.member_scores = {0.8, 0.7};
    n.attached = {1};
    n.utc_offset = 3;
    n.indicators.push_back({"co-share", 0.9, 1e-9, "shared the same 40 posts within \"2 minutes\"", {"a1-a2"}});
    detection.networks.push_back(n);
  }
};

// Issue 20: published indicators are kept with their source; importing a
// file twice stores nothing new; a store of schema version 2 reads as having
// none and gains the table when opened for writing.
TEST_P(CaseStoreTest, KeepsKnownIndicatorsWithTheirSource) {
  PublishedIndicator d;
  d.kind = IndicatorKind::kDomain;
  d.value = d.host = "avisindependent.eu";
  d.published_type = "domain_name";
  d.comment = "France-targeting CIB domain";
  d.source = "2022_09_takedown.json";
  d.network = "China and Russia";
  d.date = "2022-09-27";
  d.line = 14;
  PublishedIndicator a = d;
  a.kind = IndicatorKind::kAccount;
  a.value = "https://x.com/someone";
  a.host = "x.com";
  a.handle = "someone";
  a.tactic = "0. Acquiring assets";
  a.technique = "0.9 Acquiring social media accounts";
  a.procedure = "0.9.4 Acquiring X / Twitter accounts";
  a.line = 20;
  {
    auto store = CaseStore::Open(location());
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto added = store.value()->AddKnownIndicators({d, a}, 100);
    ASSERT_TRUE(added.ok()) << added.status().message();
    EXPECT_EQ(added.value(), 2);
    added = store.value()->AddKnownIndicators({d, a}, 200);
    ASSERT_TRUE(added.ok()) << added.status().message();
    EXPECT_EQ(added.value(), 0) << "the same file imported again adds nothing";
  }
  auto store = CaseStore::Open(location(), StoreAccess::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto known = store.value()->KnownIndicators();
  ASSERT_TRUE(known.ok()) << known.status().message();
  ASSERT_EQ(known->size(), 2u);
  const PublishedIndicator& k = known.value()[1];
  EXPECT_EQ(k.kind, IndicatorKind::kAccount);
  EXPECT_EQ(k.value, "https://x.com/someone");
  EXPECT_EQ(k.handle, "someone");
  EXPECT_EQ(k.procedure, "0.9.4 Acquiring X / Twitter accounts");
  EXPECT_EQ(k.source, "2022_09_takedown.json");
  EXPECT_EQ(k.network, "China and Russia");
  EXPECT_EQ(k.date, "2022-09-27");
  EXPECT_EQ(k.line, 20u);
  EXPECT_EQ(known.value()[0].comment, "France-targeting CIB domain");
  store.value().reset();

  // Back to version 2, as a store written by an older build.
  {
    auto db = OpenSqlConnection(location());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("DROP TABLE known_indicators; UPDATE schema_version SET version = 2").ok());
  }
  auto old = CaseStore::Open(location(), StoreAccess::kReadOnly);
  ASSERT_TRUE(old.ok()) << "a version-2 store still opens: " << old.status().message();
  known = old.value()->KnownIndicators();
  ASSERT_TRUE(known.ok()) << known.status().message();
  EXPECT_TRUE(known->empty());
  old.value().reset();
  auto migrated = CaseStore::Open(location());
  ASSERT_TRUE(migrated.ok()) << migrated.status().message();
  EXPECT_EQ(migrated.value()->SchemaVersion().value(), kCaseStoreSchemaVersion);
  auto added = migrated.value()->AddKnownIndicators({d}, 300);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(added.value(), 1);
}

// Schema 5: where a network operates from and whom it targets, as detection
// described it, for the workbench's queue filters. A store of version 4 reads
// as undescribed and gains the table when opened for writing.
TEST_P(CaseStoreTest, KeepsOriginAndTargetOfEachNetwork) {
  Fixture fx;
  Network& n = fx.detection.networks[0];
  n.origin_countries = {"RU", "BY"};
  n.target_countries = {"DE"};
  n.languages = {{"de", 30}, {"ru", 4}};
  n.top_domains = {{"example.org", 9}};
  {
    auto store = CaseStore::Open(location());
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE(store.value()->RecordRun(fx.ds, fx.detection, "/data/x", "{}", 1000).ok());
    auto cases = store.value()->ListCases();
    ASSERT_TRUE(cases.ok()) << cases.status().message();
    ASSERT_EQ(cases->size(), 1u);
    const CaseSummary& c = cases->front();
    EXPECT_TRUE(c.described);
    EXPECT_EQ(c.origin_countries, (std::vector<std::string>{"RU", "BY"})) << "in detection's order, best first";
    EXPECT_EQ(c.target_countries, (std::vector<std::string>{"DE"}));
    EXPECT_EQ(c.languages, (std::vector<std::string>{"de", "ru"}));
    EXPECT_EQ(c.top_domains, (std::vector<std::string>{"example.org"}));
    auto d = store.value()->GetCase("r1.N1");
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(d->summary.origin_countries, c.origin_countries) << "GetCase reads them too";
    EXPECT_EQ(d->data_path, "/data/x") << "and still the data path after them";
  }
  // Back to version 4, as a store written by an older build.
  {
    auto db = OpenSqlConnection(location());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("DROP TABLE network_descriptions; UPDATE schema_version SET version = 4").ok());
  }
  {
    auto old = CaseStore::Open(location(), StoreAccess::kReadOnly);
    ASSERT_TRUE(old.ok()) << "a version-4 store still opens: " << old.status().message();
    auto cases = old.value()->ListCases();
    ASSERT_TRUE(cases.ok()) << cases.status().message();
    ASSERT_EQ(cases->size(), 1u);
    EXPECT_FALSE(cases->front().described) << "a run recorded before version 5 has no description";
    EXPECT_TRUE(cases->front().origin_countries.empty());
  }
  auto migrated = CaseStore::Open(location());
  ASSERT_TRUE(migrated.ok()) << migrated.status().message();
  EXPECT_EQ(migrated.value()->SchemaVersion().value(), kCaseStoreSchemaVersion);
  ASSERT_TRUE(migrated.value()->RecordRun(fx.ds, fx.detection, "/data/y", "{}", 2000).ok());
  auto cases = migrated.value()->ListCases();
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 2u);
  EXPECT_TRUE(cases->at(0).described) << "the new run, described";
  EXPECT_FALSE(cases->at(1).described) << "the old one, still not";
}

// Schema 6: what `lockstep watch` found, kept as alerts for the workbench's
// queue. Recording the same match again adds nothing; bad alerts are refused;
// a store of version 5 reads as having none and gains the table when opened
// for writing.
TEST_P(CaseStoreTest, KeepsWatchAlertsWithWhatMatchedAndTheSource) {
  WatchAlert returning;
  returning.recorded_at = 5000;
  returning.data_path = "/data/new";
  returning.account_id = "a7";
  returning.kind = WatchAlertKind::kReturning;
  returning.case_id = "r1.N1";
  returning.score = 0.93;
  returning.matched = "device:d1 reused (0.90); same handle newsbot (0.50)";
  returning.first_activity = 4000;
  returning.last_activity = 4600;
  WatchAlert listed;
  listed.recorded_at = 5000;
  listed.data_path = "/data/new";
  listed.account_id = "a8";
  listed.kind = WatchAlertKind::kKnownIndicator;
  listed.score = 1;
  listed.matched = "links to avisindependent.eu (2 links), listed in takedown.csv (Doppelganger, 2022-09-27)";
  listed.source = "takedown.csv (Doppelganger, 2022-09-27)";
  {
    auto store = CaseStore::Open(location());
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto added = store.value()->RecordWatchAlerts({returning, listed});
    ASSERT_TRUE(added.ok()) << added.status().message();
    EXPECT_EQ(added.value(), 2);
    added = store.value()->RecordWatchAlerts({listed});
    ASSERT_TRUE(added.ok()) << added.status().message();
    EXPECT_EQ(added.value(), 0) << "watching the same data again records nothing new";
    WatchAlert later = returning;
    later.recorded_at = 6000;
    later.data_path = "/data/newer";
    ASSERT_EQ(store.value()->RecordWatchAlerts({later}).value(), 1) << "the same account in other data is a new alert";
    WatchAlert bad = returning;
    bad.case_id = "";
    EXPECT_EQ(store.value()->RecordWatchAlerts({bad}).status().code(), StatusCode::kInvalidArgument)
        << "a returning account without the network it returns from";
    bad = listed;
    bad.matched = "";
    EXPECT_EQ(store.value()->RecordWatchAlerts({bad}).status().code(), StatusCode::kInvalidArgument)
        << "an alert says what matched";

    auto alerts = store.value()->WatchAlerts(10);
    ASSERT_TRUE(alerts.ok()) << alerts.status().message();
    ASSERT_EQ(alerts->size(), 3u);
    EXPECT_EQ(alerts->at(0).data_path, "/data/newer") << "newest first";
    EXPECT_EQ(alerts->at(2).kind, WatchAlertKind::kReturning) << "of one watch, the last recorded first";
    const WatchAlert* got_returning = nullptr;
    const WatchAlert* got_listed = nullptr;
    for (const WatchAlert& a : *alerts) {
      if (a.data_path != "/data/new") continue;
      (a.kind == WatchAlertKind::kReturning ? got_returning : got_listed) = &a;
    }
    ASSERT_NE(got_returning, nullptr);
    ASSERT_NE(got_listed, nullptr);
    EXPECT_EQ(got_returning->account_id, "a7");
    EXPECT_EQ(got_returning->case_id, "r1.N1") << "which network it returns from";
    EXPECT_DOUBLE_EQ(got_returning->score, 0.93);
    EXPECT_EQ(got_returning->matched, returning.matched) << "what matched";
    EXPECT_EQ(got_returning->recorded_at, 5000) << "when";
    EXPECT_EQ(got_returning->first_activity, std::optional<int64_t>(4000));
    EXPECT_EQ(got_returning->last_activity, std::optional<int64_t>(4600));
    EXPECT_EQ(got_listed->source, listed.source) << "where the indicator was published";
    EXPECT_EQ(got_listed->case_id, "");
    EXPECT_FALSE(got_listed->first_activity.has_value()) << "no events, no activity span";
    EXPECT_EQ(store.value()->WatchAlerts(1)->size(), 1u) << "at most `limit`";
  }
  // Back to version 5, as a store written by an older build.
  {
    auto db = OpenSqlConnection(location());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("DROP TABLE watch_alerts; UPDATE schema_version SET version = 5").ok());
  }
  {
    auto old = CaseStore::Open(location(), StoreAccess::kReadOnly);
    ASSERT_TRUE(old.ok()) << "a version-5 store still opens: " << old.status().message();
    auto alerts = old.value()->WatchAlerts(10);
    ASSERT_TRUE(alerts.ok()) << alerts.status().message();
    EXPECT_TRUE(alerts->empty()) << "a store older than version 6 has no alerts";
  }
  auto migrated = CaseStore::Open(location());
  ASSERT_TRUE(migrated.ok()) << migrated.status().message();
  EXPECT_EQ(migrated.value()->SchemaVersion().value(), kCaseStoreSchemaVersion);
  ASSERT_EQ(migrated.value()->RecordWatchAlerts({returning}).value(), 1) << "the migrated store records alerts";
}

TEST_P(CaseStoreTest, MigratesAndRecordsRunsVerdictsAndRemovals) {
  const std::string& path = location();
  Fixture fx;
  {
    auto store = CaseStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_EQ(store.value()->SchemaVersion().value(), kCaseStoreSchemaVersion) << "a new store is fully migrated";
    auto run = store.value()->RecordRun(fx.ds, fx.detection, "/data/x", "{}", 1000);
    ASSERT_TRUE(run.ok()) << run.status().message();
    EXPECT_EQ(run.value(), 1) << "first run";
    ASSERT_TRUE(store.value()->RecordRun(fx.ds, fx.detection, "/data/y", "{}", 2000).ok());
    EXPECT_EQ(store.value()->ResolveCase("N1").value(), "r2.N1") << "a bare network id means the newest run";
    EXPECT_EQ(store.value()->ResolveCase("r1.N1").value(), "r1.N1") << "an explicit run is kept";
    EXPECT_EQ(store.value()->ResolveCase("N9").status().code(), StatusCode::kInvalidArgument) << "unknown case";
    EXPECT_EQ(store.value()->AddVerdict("r1.N1", Verdict::kConfirmed, "", "x", 1).code(), StatusCode::kInvalidArgument)
        << "a verdict needs an analyst";
    ASSERT_TRUE(store.value()->AddVerdict("r1.N1", Verdict::kNeedsReview, "ana", "odd timing", 3000).ok());
    ASSERT_TRUE(store.value()->AddVerdict("r1.N1", Verdict::kConfirmed, "bo", "same devices", 3100).ok());
    Fingerprint fp;
    fp.infra = {"device:d1"};
    fp.names = {"newsbot_"};
    fp.images = {0xabcdef};
    fp.shingles = {5, 9};
    fp.shingle_threshold = 100;
    fp.utc_offset = 3;
    fp.hour_share[10] = 1;
    ASSERT_TRUE(store.value()->RecordRemoval("r1.N1", 4000, fp, "/data/x").ok());
  }
  // Reopening must not migrate again and must keep everything.
  auto store = CaseStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ(store.value()->SchemaVersion().value(), kCaseStoreSchemaVersion) << "reopen keeps the version";
  auto cases = store.value()->ListCases();
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 2u) << "one case per network per run";
  EXPECT_EQ(cases->at(0).case_id, "r2.N1") << "newest run first";
  auto detail = store.value()->GetCase("r1.N1");
  ASSERT_TRUE(detail.ok()) << detail.status().message();
  ASSERT_EQ(detail->members.size(), 2u) << "members kept";
  EXPECT_EQ(detail->members[0].account_id, "a1") << "highest score first";
  EXPECT_TRUE(detail->members[1].attached) << "attached flag kept";
  ASSERT_EQ(detail->indicators.size(), 1u);
  EXPECT_NE(detail->indicators[0].find("\\\"2 minutes\\\""), std::string::npos) << "quotes escaped in evidence JSON";
  ASSERT_EQ(detail->verdicts.size(), 2u) << "verdict history kept";
  EXPECT_EQ(detail->summary.latest_verdict->verdict, Verdict::kConfirmed) << "latest verdict wins";
  EXPECT_EQ(detail->summary.latest_verdict->analyst, "bo");
  EXPECT_EQ(detail->summary.removed_at.value_or(0), 4000) << "removal time kept";
  auto removed = store.value()->RemovedNetworks();
  ASSERT_TRUE(removed.ok());
  ASSERT_EQ(removed->size(), 1u) << "only r1.N1 was removed";
  const Fingerprint& back = removed->at(0).fingerprint;
  EXPECT_EQ(back.infra, std::vector<std::string>{"device:d1"}) << "infra round-trips";
  EXPECT_EQ(back.images, std::vector<uint64_t>{0xabcdef}) << "images round-trip";
  EXPECT_EQ(back.shingles, (std::vector<uint64_t>{5, 9})) << "sketch round-trips";
  EXPECT_EQ(back.shingle_threshold, 100u);
  EXPECT_EQ(back.utc_offset.value_or(-99), 3) << "offset round-trips";
  EXPECT_EQ(back.hour_share[10], 1) << "hour shares round-trip";
  EXPECT_EQ(removed->at(0).member_ids, (std::vector<std::string>{"a1", "a2"}));
  EXPECT_TRUE(store.value()->IntegrityCheck().ok());
}

TEST(CaseStoreSqlite, RefusesFilesThatAreNotCaseStores) {
  testing::TempDir dir;
  testing::WriteFile(dir / "junk.db", std::string(8192, 'x'));
  auto store = CaseStore::Open(dir / "junk.db");
  EXPECT_FALSE(store.ok()) << "random bytes are not a case store";
  EXPECT_EQ(CaseStore::Open(dir / "no/such/dir/cases.db").status().code(), StatusCode::kIoError)
      << "an unopenable path is an I/O error";
}

TEST_P(CaseStoreTest, RefusesAStoreFromANewerVersion) {
  {
    auto store = CaseStore::Open(location());
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE(store.value()->connection().Exec("UPDATE schema_version SET version = 99").ok());
  }
  auto store = CaseStore::Open(location());
  EXPECT_EQ(store.status().code(), StatusCode::kCorrupt)
      << "a store written by a newer build is refused, not downgraded: " << store.status().message();
}

// Issue 17, item 15: a database holding another application's tables is
// refused, for writing and for reading, and lockstep adds nothing to it.
TEST_P(CaseStoreTest, RefusesADatabaseThatIsNotACaseStore) {
  {
    auto db = OpenSqlConnection(location());
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec("CREATE TABLE runs (athlete TEXT, km REAL)").ok());
  }
  for (StoreAccess access : {StoreAccess::kReadWrite, StoreAccess::kReadOnly}) {
    auto store = CaseStore::Open(location(), access);
    ASSERT_FALSE(store.ok()) << "a table named runs does not make a case store";
    EXPECT_EQ(store.status().code(), StatusCode::kInputError) << store.status().message();
    EXPECT_NE(store.status().message().find("not a lockstep case store"), std::string::npos)
        << store.status().message();
  }
  auto db = OpenSqlConnection(location());
  ASSERT_TRUE(db.ok()) << db.status().message();
  auto tables = (*db)->TableNames();
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  EXPECT_EQ(tables.value(), std::vector<std::string>{"runs"}) << "no lockstep table was created beside it";
}

TEST_P(CaseStoreTest, ConcurrentOpensMigrateOnce) {
  // Two processes open a fresh store at once: one migrates, the other waits
  // and finds it migrated (no "table already exists").
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(CaseStore::Open(location()).ok() ? 0 : 1);
  auto store = CaseStore::Open(location());
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the other opener succeeded too";
  EXPECT_EQ(store.value()->SchemaVersion().value(), kCaseStoreSchemaVersion);
}

// kill -9 a writer mid-way: every verdict whose AddVerdict returned is there.
TEST_P(CaseStoreTest, KilledWriterLosesNoCommittedVerdict) {
  const std::string& path = location();
  const std::string log = store().dir() / "committed.log";
  Fixture fx;
  {
    auto store = CaseStore::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store.value()->RecordRun(fx.ds, fx.detection, "/d", "{}", 1).ok());
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = CaseStore::Open(path);
    if (!store.ok()) ::_exit(2);
    FILE* out = std::fopen(log.c_str(), "w");
    for (int i = 0;; ++i) {
      if (!store.value()->AddVerdict("r1.N1", Verdict::kNeedsReview, "writer", "reason " + std::to_string(i), i).ok())
        ::_exit(3);
      std::fprintf(out, "%d\n", i);  // after the commit returned
      std::fflush(out);
    }
  }
  // Kill once the writer has committed more than 10 verdicts (a fixed sleep
  // was too short on a loaded machine: 5 commits in 0.2 s), at a random
  // moment after that.
  auto committed = [&] {
    int n = -1;
    std::ifstream in(log);
    for (int i; in >> i;) n = i;
    return n;
  };
  for (int waited = 0; committed() <= 10 && waited < 3000; ++waited) ::usleep(10000);
  std::mt19937 rng(7);
  ::usleep(std::uniform_int_distribution<int>(0, 200000)(rng));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer was killed, not exited (status " << status << ")";
  const int last = committed();
  ASSERT_GT(last, 10) << "the writer committed some verdicts before the kill";
  auto store = CaseStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_TRUE(store.value()->IntegrityCheck().ok()) << "integrity check after kill -9";
  auto detail = store.value()->GetCase("r1.N1");
  ASSERT_TRUE(detail.ok());
  ASSERT_GE(static_cast<int>(detail->verdicts.size()), last + 1) << "every verdict whose commit returned is present";
  for (int i = 0; i <= last; ++i)
    ASSERT_EQ(detail->verdicts[i].reason, "reason " + std::to_string(i)) << "verdict " << i << " in order";
}

// WAL (SQLite) or MVCC (PostgreSQL): a reader sees the last committed state
// while a writer holds an open write transaction.
TEST_P(CaseStoreTest, ReadersWorkWhileAWriterWrites) {
  const std::string& path = location();
  Fixture fx;
  auto writer = CaseStore::Open(path);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer.value()->RecordRun(fx.ds, fx.detection, "/d", "{}", 1).ok());
  auto reader = CaseStore::Open(path);
  ASSERT_TRUE(reader.ok());
  Transaction tx(&writer.value()->connection());
  ASSERT_TRUE(tx.Begin().ok()) << "writer takes the write lock";
  ASSERT_TRUE(writer.value()->AddVerdict("r1.N1", Verdict::kDismissed, "w", "uncommitted", 5).ok());
  auto during = reader.value()->GetCase("r1.N1");
  ASSERT_TRUE(during.ok()) << "reading during a write must not block or fail: " << during.status().message();
  EXPECT_TRUE(during->verdicts.empty()) << "the reader does not see uncommitted verdicts";
  ASSERT_TRUE(tx.Commit().ok());
  auto after = reader.value()->GetCase("r1.N1");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->verdicts.size(), 1u) << "the reader sees the verdict once committed";
}

TEST(CaseStorePostgres, UnreachableServerIsAnIoErrorWithoutThePassword) {
  // Port 1 on localhost: nothing listens there.
  auto store = CaseStore::Open("postgresql://ana:s3cret@127.0.0.1:1/cases?connect_timeout=5");
  ASSERT_FALSE(store.ok()) << "nothing to connect to";
  EXPECT_EQ(store.status().code(), StatusCode::kIoError) << store.status().message();
  EXPECT_EQ(store.status().message().find("s3cret"), std::string::npos)
      << "the password never reaches messages: " << store.status().message();
  EXPECT_NE(store.status().message().find("postgresql://ana:***@127.0.0.1:1/cases"), std::string::npos)
      << "the message names the server: " << store.status().message();
}

}  // namespace
}  // namespace lockstep
