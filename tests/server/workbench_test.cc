// The workbench's JSON API against a server on a free loopback port, over a
// store that `lockstep detect --store` filled from a simulated troll farm.
#include "lockstep/server/workbench.h"

#include <httplib.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "lockstep/report/disclosure.h"
#include "lockstep/server/workbench_store.h"
#include "lockstep/store/case_store.h"
#include "store/case_fixture.h"
#include "store/store_backends.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::RunCommand;

class WorkbenchApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::string cli = LOCKSTEP_CLI, data = *dir_ / "data";
    store_ = *dir_ / "cases.db";
    auto r = RunCommand(cli + " simulate --scenario troll_farm --seed 3 --scale 0.05 --out " + data);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    r = RunCommand(cli + " detect " + data + " --no-report --out " + (*dir_ / "out") + " --store " + store_);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    auto store = CaseStore::Open(store_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    WorkbenchStore wb(store->get());
    ASSERT_TRUE(wb.AddUser("ana", Role::kAnalyst, "analyst-password", 1).ok());
    ASSERT_TRUE(wb.AddUser("vic", Role::kViewer, "viewer-password", 1).ok());
    WorkbenchOptions o;
    o.store = store_;
    o.port = 0;
    server_ = new Workbench(o);
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.message();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static std::unique_ptr<httplib::Client> Client() {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    c->set_read_timeout(120);
    return c;
  }

  struct Session {
    std::string cookie, csrf;
  };
  // Logs in; the cookie and the CSRF token from the answer.
  static Session Login(const std::string& name, const std::string& password) {
    auto c = Client();
    auto res = c->Post("/api/login", httplib::Params{{"name", name}, {"password", password}});
    Session s;
    if (!res || res->status != 200) return s;
    const std::string set = res->get_header_value("Set-Cookie");
    s.cookie = set.substr(0, set.find(';'));
    const size_t at = res->body.find("\"csrf\":\"");
    if (at != std::string::npos) s.csrf = res->body.substr(at + 8, 64);
    return s;
  }
  static httplib::Headers With(const Session& s, bool csrf = true) {
    httplib::Headers h{{"Cookie", s.cookie}};
    if (csrf) h.emplace("X-CSRF-Token", s.csrf);
    return h;
  }

  static testing::TempDir* dir_;
  static std::string store_;
  static Workbench* server_;
};

testing::TempDir* WorkbenchApi::dir_ = nullptr;
std::string WorkbenchApi::store_;
Workbench* WorkbenchApi::server_ = nullptr;

TEST_F(WorkbenchApi, EveryApiButLoginNeedsASession) {
  auto c = Client();
  for (const char* path : {"/api/queue", "/api/me", "/api/cases/N1", "/api/cases/N1/graph", "/api/audit",
                           "/api/search?q=x", "/api/cases/N1/export/members.csv"}) {
    auto res = c->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 401) << path << " answers only with a session";
  }
  auto res = c->Get("/api/queue", httplib::Headers{{"Cookie", "lockstep_session=" + std::string(64, 'a')}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401) << "a made-up token is no session";
  res = c->Get("/");
  ASSERT_TRUE(res);
  EXPECT_NE(res->get_header_value("Content-Security-Policy").find("script-src 'self'"), std::string::npos)
      << "the CSP forbids inline script";
}

TEST_F(WorkbenchApi, LoginSetsAStrictHttpOnlyCookieAndWrongPasswordsAreLimited) {
  // A server of its own: its failed logins from 127.0.0.1 must not lock the other tests out.
  WorkbenchOptions o;
  o.store = store_;
  o.port = 0;
  o.login_failures = 3;
  Workbench limited_server(o);
  ASSERT_TRUE(limited_server.Start().ok());
  auto c = std::make_unique<httplib::Client>("127.0.0.1", limited_server.port());
  auto res = c->Post("/api/login", httplib::Params{{"name", "ana"}, {"password", "analyst-password"}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  int limited = 0;
  for (int i = 0; i < 5; ++i) {
    res = c->Post("/api/login", httplib::Params{{"name", "nobody"}, {"password", "wrong-password"}});
    ASSERT_TRUE(res);
    if (res->status == 429) ++limited;
    else EXPECT_EQ(res->status, 401) << res->body;
  }
  EXPECT_EQ(limited, 2) << "after 3 failures within the window, further attempts are refused";
  res = c->Post("/api/login", httplib::Params{{"name", "ana"}, {"password", "analyst-password"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429) << "even the right password, from an address that failed too often";

  // Each failure is in the audit log: who tried, when, from which address, and
  // the one that reached the limit says so; the password is not.
  auto store = CaseStore::Open(store_, StoreAccess::kReadOnly);
  ASSERT_TRUE(store.ok());
  auto log = WorkbenchStore(store->get()).AuditLog("", 1000);
  ASSERT_TRUE(log.ok()) << log.status().message();
  int failed = 0, locked = 0;
  for (const AuditEntry& a : *log) {
    EXPECT_EQ(a.detail.find("wrong-password"), std::string::npos) << "no password in the audit log: " << a.detail;
    if (a.action != "login_failed" || a.user != "nobody") continue;
    ++failed;
    EXPECT_EQ(a.detail.rfind("from 127.0.0.1", 0), 0u) << "the address: " << a.detail;
    EXPECT_GT(a.at, 1600000000) << "when";
    if (a.detail.find("3 failed logins within 60 s: logins with this name and from this address refused") !=
        std::string::npos)
      ++locked;
  }
  EXPECT_EQ(failed, 3) << "the 3 failed attempts; the refused ones never reached a password check";
  EXPECT_EQ(locked, 1) << "the failure that reached the limit says so";
}

TEST_F(WorkbenchApi, FailedLoginsAreAuditedWithTheAddressButNeverThePassword) {
  const Session s = Login("vic", "viewer-password");
  ASSERT_FALSE(s.cookie.empty());
  auto c = Client();
  auto res = c->Post("/api/login", httplib::Params{{"name", "ana\n<b>x</b>"}, {"password", "hunter2-secret"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  res = c->Get("/api/audit", With(s));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->body.find("\"user\":\"ana?\\u003cb\\u003ex\\u003c/b\\u003e\",\"action\":\"login_failed\""),
            std::string::npos)
      << "the name as typed, control characters replaced, JSON-escaped: " << res->body.substr(0, 400);
  EXPECT_NE(res->body.find("\"detail\":\"from 127.0.0.1\""), std::string::npos) << res->body.substr(0, 400);
  EXPECT_EQ(res->body.find("hunter2-secret"), std::string::npos) << "never the password";
}

TEST_F(WorkbenchApi, QueueAndNetworkShowWhatDetectionFound) {
  const Session s = Login("vic", "viewer-password");
  ASSERT_FALSE(s.cookie.empty());
  auto c = Client();
  auto res = c->Get("/api/queue", With(s));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->body.find("\"case_id\":\"r1.N1\""), std::string::npos) << res->body.substr(0, 400);
  EXPECT_NE(res->body.find("\"status\":\"new\""), std::string::npos) << "undecided networks are new";
  res = c->Get("/api/queue?status=confirmed&tier=nonesuch", With(s));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body.find("r1.N1"), std::string::npos) << "filters drop non-matching networks: " << res->body;

  res = c->Get("/api/cases/r1.N1", With(s));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->body.find("\"members\":[{"), std::string::npos) << res->body.substr(0, 400);
  EXPECT_NE(res->body.find("\"data_error\":\"\""), std::string::npos) << "the run's data set loads";
  res = c->Get("/api/cases/r1.N1/charts/hours.svg", With(s));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body.rfind("<svg", 0), 0u) << "the report's SVG: " << res->body.substr(0, 80);
  res = c->Get("/api/cases/r9.N9", With(s));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404) << "an unknown case";
}

TEST_F(WorkbenchApi, EdgeEvidenceListsThePostsBothAccountsActedOn) {
  const Session s = Login("vic", "viewer-password");
  auto c = Client();
  auto res = c->Get("/api/cases/r1.N1/graph", With(s));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  // The first co_share edge: [node, node, layer 0, weight], nodes in order.
  ASSERT_EQ(res->body.rfind("{\"layers\":[\"co_share\",\"infrastructure\"],\"nodes\":[", 0), 0u)
      << res->body.substr(0, 200);
  std::vector<std::string> ids;
  for (size_t at = res->body.find("{\"id\":\""); at != std::string::npos; at = res->body.find("{\"id\":\"", at + 1)) {
    const size_t begin = at + 7;
    ids.push_back(res->body.substr(begin, res->body.find('"', begin) - begin));
  }
  const size_t e = res->body.find(",0,", res->body.find("\"edges\":["));
  ASSERT_NE(e, std::string::npos) << "a troll farm's members co-share: " << res->body.substr(0, 300);
  const size_t start = res->body.rfind('[', e);
  size_t ai = 0, bi = 0;
  ASSERT_EQ(std::sscanf(res->body.c_str() + start, "[%zu,%zu,0,", &ai, &bi), 2) << res->body.substr(start, 40);
  ASSERT_LT(ai, ids.size());
  ASSERT_LT(bi, ids.size());
  const std::string a = ids[ai], b = ids[bi];
  res = c->Get(("/api/cases/r1.N1/edge?a=" + a + "&b=" + b).c_str(), With(s));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->body.find("\"gap_seconds\":"), std::string::npos) << "co-shared posts with their gap: "
                                                                   << res->body.substr(0, 400);
  EXPECT_EQ(res->body.find("\"co_shared_total\":0,"), std::string::npos) << "an edge has evidence";
  res = c->Get(("/api/cases/r1.N1/edge?a=" + a + "&b=not-a-member").c_str(), With(s));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << "only members' edges";
}

TEST_F(WorkbenchApi, ViewersReadAnalystsWriteWithTheCsrfToken) {
  const Session viewer = Login("vic", "viewer-password"), analyst = Login("ana", "analyst-password");
  ASSERT_FALSE(viewer.csrf.empty());
  ASSERT_FALSE(analyst.csrf.empty());
  auto c = Client();
  const httplib::Params verdict{{"verdict", "confirmed"}, {"reason", "same devices <script>alert(1)</script>"}};
  auto res = c->Post("/api/cases/r1.N1/verdict", With(viewer), verdict);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << "a viewer cannot write: " << res->body;
  res = c->Post("/api/cases/r1.N1/verdict", With(analyst, false), verdict);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << "no CSRF token, no write: " << res->body;
  res = c->Post("/api/cases/r1.N1/verdict", With(analyst), httplib::Params{{"verdict", "confirmed"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << "a verdict needs a reason: " << res->body;
  res = c->Post("/api/cases/r1.N1/verdict", With(analyst), verdict);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;

  // It persists: in the store, the queue and the audit log.
  auto store = CaseStore::Open(store_, StoreAccess::kReadOnly);
  ASSERT_TRUE(store.ok());
  auto d = (*store)->GetCase("r1.N1");
  ASSERT_TRUE(d.ok());
  ASSERT_FALSE(d->verdicts.empty());
  EXPECT_EQ(d->verdicts.back().analyst, "ana") << "the verdict is the session user's";
  res = c->Get("/api/queue?status=confirmed", With(viewer));
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("r1.N1"), std::string::npos) << "confirmed in the queue: " << res->body.substr(0, 300);
  res = c->Get("/api/audit?case=r1.N1", With(viewer));
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("\"user\":\"ana\",\"action\":\"verdict\",\"case_id\":\"r1.N1\",\"detail\":\"confirmed\""),
            std::string::npos)
      << "who, what and why in the audit log: " << res->body;
  EXPECT_NE(res->body.find("same devices \\u003cscript\\u003ealert(1)\\u003c/script\\u003e"), std::string::npos)
      << "the reason is kept verbatim, and JSON-escaped so that no HTML parser sees a tag in it: " << res->body;

  // Notes and removing one false member.
  res = c->Post("/api/cases/r1.N1/notes", With(analyst), httplib::Params{{"text", "check the devices"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  const size_t m = d->members.size() - 1;
  res = c->Post("/api/cases/r1.N1/remove-member", With(analyst),
                httplib::Params{{"account", d->members[m].account_id}, {"reason", "a journalist"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  res = c->Post("/api/cases/r1.N1/remove-member", With(analyst),
                httplib::Params{{"account", "nobody"}, {"reason", "x"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << "only a member can be removed";
  res = c->Get("/api/cases/r1.N1", With(viewer));
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("check the devices"), std::string::npos);
  EXPECT_NE(res->body.find("\"removed_members\":[{\"account_id\":\"" + d->members[m].account_id), std::string::npos)
      << res->body.substr(res->body.find("removed_members"), 200);
}

TEST_F(WorkbenchApi, SearchAndExports) {
  const Session s = Login("vic", "viewer-password");
  auto store = CaseStore::Open(store_, StoreAccess::kReadOnly);
  ASSERT_TRUE(store.ok());
  auto d = (*store)->GetCase("r1.N1");
  ASSERT_TRUE(d.ok());
  const std::string id = d->members.front().account_id;
  auto c = Client();
  auto res = c->Get(("/api/search?q=" + id).c_str(), With(s));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->body.find("\"case_id\":\"r1.N1\""), std::string::npos) << "the account's network: " << res->body;
  res = c->Get("/api/cases/r1.N1/export/members.csv", With(s));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body.rfind("account_id,handle,platform,score,attached,kind,followers,events,co_share_links,"
                            "infrastructure_links,evidence,removed_by,removed_reason\n",
                            0),
            0u)
      << "each member with its indicators: " << res->body.substr(0, 200);
  EXPECT_NE(res->body.find(id), std::string::npos);
  res = c->Get("/api/cases/r1.N1/export/graph.gexf", With(s));
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("<gexf"), std::string::npos) << res->body.substr(0, 200);
  res = c->Get("/api/cases/r1.N1/export/graph.svg", With(s));
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("<svg"), std::string::npos) << "the report's drawing: " << res->body.substr(0, 200);
  EXPECT_NE(res->body.find(id), std::string::npos) << "with the members";
}

// RFC 4180 rows of a CSV text (quoted fields, "" escapes, newlines inside quotes).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

TEST_F(WorkbenchApi, EvidenceCsvHasThePostsOfOneEdgeOrOfTheStrongestEdges) {
  const Session s = Login("vic", "viewer-password");
  auto c = Client();
  auto res = c->Get("/api/cases/r1.N1/export/evidence.csv", With(s));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
  const auto rows = ParseCsv(res->body);
  ASSERT_GT(rows.size(), 1u) << "a troll farm's co-shares: " << res->body.substr(0, 300);
  const std::vector<std::string> header = {"account_a", "handle_a", "account_b", "handle_b", "evidence",
                                           "object",    "a_time",   "a_type",    "a_text",   "b_time",
                                           "b_type",    "b_text",   "gap_seconds"};
  EXPECT_EQ(rows[0], header);
  const std::vector<std::string>* co = nullptr;
  for (const auto& r : rows) {
    ASSERT_EQ(r.size(), header.size()) << "every row has every column";
    if (co == nullptr && r[4] == "co_share") co = &r;
  }
  ASSERT_NE(co, nullptr) << "co-shared posts in the evidence";
  EXPECT_EQ((*co)[6].size(), 20u) << "times in ISO 8601 UTC: " << (*co)[6];
  EXPECT_FALSE((*co)[12].empty()) << "the gap";

  // One edge: the same rows as its evidence panel, with all of them.
  const std::string a = (*co)[0], b = (*co)[2];
  res = c->Get(("/api/cases/r1.N1/export/evidence.csv?a=" + a + "&b=" + b).c_str(), With(s));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
  const auto edge_rows = ParseCsv(res->body);
  auto panel = c->Get(("/api/cases/r1.N1/edge?a=" + a + "&b=" + b).c_str(), With(s));
  ASSERT_TRUE(panel);
  const size_t total_at = panel->body.find("\"co_shared_total\":");
  ASSERT_NE(total_at, std::string::npos);
  const long total = std::strtol(panel->body.c_str() + total_at + 18, nullptr, 10);
  long co_rows = 0;
  for (const auto& r : edge_rows) {
    if (r[4] != "co_share") continue;
    ++co_rows;
    EXPECT_EQ(r[0], a) << "only the asked edge";
    EXPECT_EQ(r[2], b);
    if (total <= 500) {  // the panel lists at most 500
      EXPECT_NE(panel->body.find(r[5]), std::string::npos) << "object " << r[5] << " is in the edge's evidence too";
    }
  }
  EXPECT_EQ(co_rows, total) << "every co-shared action of the edge";
  EXPECT_NE(res->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  res = c->Get(("/api/cases/r1.N1/export/evidence.csv?a=" + a + "&b=nobody").c_str(), With(s));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << "only members' edges";
}

// A tar archive's files: name -> contents (ustar, regular files).
std::map<std::string, std::string> ReadTar(const std::string& tar) {
  std::map<std::string, std::string> files;
  for (size_t at = 0; at + 512 <= tar.size();) {
    const std::string name(tar.c_str() + at);
    if (name.empty()) break;
    const size_t size = std::strtoul(tar.substr(at + 124, 12).c_str(), nullptr, 8);
    files[name] = tar.substr(at + 512, size);
    at += 512 + (size + 511) / 512 * 512;
  }
  return files;
}

TEST_F(WorkbenchApi, DisclosureArchiveNeedsAnAnalystAndASaltAndIsAudited) {
  const Session viewer = Login("vic", "viewer-password"), analyst = Login("ana", "analyst-password");
  auto c = Client();
  const httplib::Params form{{"salt", "s3cret-salt"}, {"threshold", "5000"}};
  auto res = c->Post("/api/cases/r1.N1/export/disclosure.tar", With(viewer), form);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << "a viewer does not publish";
  res = c->Post("/api/cases/r1.N1/export/disclosure.tar", With(analyst, false), form);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << "no CSRF token, no archive";
  res = c->Post("/api/cases/r1.N1/export/disclosure.tar", With(analyst), httplib::Params{{"salt", ""}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << "no salt, no hashes: " << res->body;
  res = c->Post("/api/cases/r1.N1/export/disclosure.tar", With(analyst), form);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/x-tar");
  const auto files = ReadTar(res->body);
  ASSERT_EQ(files.size(), 2u) << "users and tweets";
  const auto users = files.find("r1.N1-disclosure/N1_users_csv_hashed.csv");
  ASSERT_NE(users, files.end()) << files.begin()->first;
  ASSERT_TRUE(files.count("r1.N1-disclosure/N1_tweets_csv_hashed.csv"));
  EXPECT_EQ(users->second.rfind("userid,", 0), 0u) << users->second.substr(0, 100);

  // The same hashes as `lockstep export` would give with this salt; a small
  // account's id never appears in the clear.
  auto store = CaseStore::Open(store_, StoreAccess::kReadOnly);
  ASSERT_TRUE(store.ok());
  auto d = (*store)->GetCase("r1.N1");
  ASSERT_TRUE(d.ok());
  size_t hashed = 0;
  for (const CaseMember& m : d->members)
    if (users->second.find(HashedId("s3cret-salt", m.account_id)) != std::string::npos) ++hashed;
  EXPECT_GT(hashed, 0u) << "members under 5,000 followers appear as HMACs with the salt";
  EXPECT_EQ(users->second.find("s3cret-salt"), std::string::npos);

  res = c->Get("/api/audit?case=r1.N1", With(viewer));
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("\"user\":\"ana\",\"action\":\"export\",\"case_id\":\"r1.N1\",\"detail\":\"disclosure archive"),
            std::string::npos)
      << "who published what, in the audit log: " << res->body.substr(0, 400);
  EXPECT_EQ(res->body.find("s3cret-salt"), std::string::npos) << "the salt stays secret";
}

TEST_F(WorkbenchApi, QueueAlertsOnANetworkThatReturnsAfterRemoval) {
  // A store of its own: two runs over the same data, the first run's N1 removed.
  const std::string cli = LOCKSTEP_CLI, store = *dir_ / "returning.db", data = *dir_ / "data";
  for (int run = 0; run < 2; ++run) {
    auto r = RunCommand(cli + " detect " + data + " --no-report --out " + (*dir_ / "out2") + " --store " + store);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  auto r = RunCommand(cli + " case remove --store " + store + " --network r1.N1 --data " + data);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  {
    auto opened = CaseStore::Open(store);
    ASSERT_TRUE(opened.ok());
    ASSERT_TRUE(WorkbenchStore(opened->get()).AddUser("vic", Role::kViewer, "viewer-password", 1).ok());
  }
  WorkbenchOptions o;
  o.store = store;
  o.port = 0;
  Workbench server(o);
  ASSERT_TRUE(server.Start().ok());
  httplib::Client c("127.0.0.1", server.port());
  auto login = c.Post("/api/login", httplib::Params{{"name", "vic"}, {"password", "viewer-password"}});
  ASSERT_TRUE(login && login->status == 200);
  const std::string cookie = login->get_header_value("Set-Cookie").substr(0, login->get_header_value("Set-Cookie").find(';'));
  auto res = c.Get("/api/queue", httplib::Headers{{"Cookie", cookie}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->body.find("\"alerts\":[{\"case_id\":\"r2.N1\",\"removed_case_id\":\"r1.N1\""), std::string::npos)
      << "the same network in the next run is an alert: " << res->body.substr(0, 300);
  EXPECT_EQ(res->body.find("\"case_id\":\"r1.N1\",\"removed_case_id\""), std::string::npos)
      << "the removed network itself is no alert";
  EXPECT_NE(res->body.find("\"watch_alerts\":[]"), std::string::npos) << "watch has not run yet";

  // `lockstep watch` over the same data finds the removed members again and
  // records them; the queue lists them, with the network they return from.
  r = RunCommand(cli + " watch --no-detect --store " + store + " " + data);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  res = c.Get("/api/queue", httplib::Headers{{"Cookie", cookie}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const size_t alerts = res->body.find("\"watch_alerts\":[{\"id\":");
  ASSERT_NE(alerts, std::string::npos) << "watch's matches are alerts: " << res->body.substr(0, 500);
  EXPECT_LT(alerts, res->body.find("\"networks\":")) << "before the networks";
  EXPECT_NE(res->body.find("\"kind\":\"returning\"", alerts), std::string::npos);
  EXPECT_NE(res->body.find("\"case_id\":\"r1.N1\",\"score\":", alerts), std::string::npos)
      << "with the removed network it matches: " << res->body.substr(alerts, 400);
  EXPECT_NE(res->body.find("\"data_path\":\"" + data + "\"", alerts), std::string::npos) << "and the data watched";
}

TEST(WorkbenchTls, ServesHttpsWithSecureCookies) {
  testing::TempDir dir;
  auto r = RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " +
                      (dir / "key.pem") + " -out " + (dir / "cert.pem"));
  if (r.exit_code != 0) GTEST_SKIP() << "no openssl command to make a test certificate: " << r.output;
  {
    auto store = CaseStore::Open(dir / "cases.db");
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(WorkbenchStore(store->get()).AddUser("ana", Role::kAdmin, "admin-password", 1).ok());
  }
  WorkbenchOptions o;
  o.store = dir / "cases.db";
  o.port = 0;
  o.cert_file = dir / "cert.pem";
  o.key_file = dir / "key.pem";
  Workbench server(o);
  Status s = server.Start();
  ASSERT_TRUE(s.ok()) << s.message();
  httplib::SSLClient c("127.0.0.1", server.port());
  c.enable_server_certificate_verification(false);
  auto res = c.Post("/api/login", httplib::Params{{"name", "ana"}, {"password", "admin-password"}});
  ASSERT_TRUE(res) << "a TLS answer";
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->get_header_value("Set-Cookie").find("; Secure"), std::string::npos)
      << "under TLS the cookie is Secure: " << res->get_header_value("Set-Cookie");
  httplib::Client plain("127.0.0.1", server.port());
  auto refused = plain.Get("/api/me");
  EXPECT_FALSE(refused && refused->status == 200) << "no plain HTTP on a TLS port";
}

TEST(ServeCli, AddsUsersAndRefusesBadFlags) {
  testing::TempDir dir;
  const std::string cli = LOCKSTEP_CLI, store = dir / "cases.db";
  auto r = RunCommand("echo short | " + cli + " serve --store " + store + " --add-user ana --role analyst");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("at least 8"), std::string::npos) << "says why: " << r.output;
  r = RunCommand("echo long-enough | " + cli + " serve --store " + store + " --add-user ana --role boss");
  EXPECT_EQ(r.exit_code, 1) << "unknown role: " << r.output;
  r = RunCommand("echo long-enough | " + cli + " serve --store " + store + " --add-user ana --role viewer");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto opened = CaseStore::Open(store);
  ASSERT_TRUE(opened.ok());
  WorkbenchStore wb(opened->get());
  auto user = wb.CheckPassword("ana", "long-enough");
  ASSERT_TRUE(user.ok() && user->has_value()) << "the password from stdin is the user's";
  EXPECT_EQ((*user)->role, Role::kViewer);
  r = RunCommand(cli + " serve --store " + store + " --listen localhost");
  EXPECT_EQ(r.exit_code, 1) << "--listen needs HOST:PORT: " << r.output;
  r = RunCommand(cli + " serve --store " + store + " --listen 127.0.0.1:0 --cert only.pem");
  EXPECT_EQ(r.exit_code, 1) << "--cert without --key: " << r.output;
  r = RunCommand(cli + " serve --store " + store + " --listen 127.0.0.1:0 --cert " + (dir / "no.pem") + " --key " +
                 (dir / "no.key"));
  EXPECT_EQ(r.exit_code, 2) << "an unreadable certificate: " << r.output;
  EXPECT_NE(r.output.find("cannot be read"), std::string::npos) << r.output;
}

// Origin and target filters of the queue, on both store backends: two
// networks whose descriptions differ, recorded directly (no data set needed).
using WorkbenchQueueBackends = testing::StoreBackendTest;
LOCKSTEP_INSTANTIATE_STORE_BACKENDS(WorkbenchQueueBackends);

TEST_P(WorkbenchQueueBackends, QueueFiltersByOriginAndTarget) {
  {
    auto store = CaseStore::Open(location());
    ASSERT_TRUE(store.ok()) << store.status().message();
    const Dataset ds = testing::AccountsOnly({"a1", "a2", "b1", "b2"});
    Detection det;
    Network n1 = testing::NetworkN1();
    n1.utc_offset = 3;
    n1.origin_countries = {"RU"};
    n1.target_countries = {"US", "DE"};
    n1.languages = {{"en", 40}};
    n1.top_domains = {{"news-front.example", 12}};
    n1.tier = "FGI";
    Network n2 = n1;
    n2.network_id = "N2";
    n2.members = {2, 3};
    n2.utc_offset = 3.5;
    n2.origin_countries = {"IR"};
    n2.target_countries = {"IL"};
    n2.languages = {{"he", 9}};
    n2.top_domains = {};
    det.networks = {n1, n2};
    ASSERT_TRUE((*store)->RecordRun(ds, det, "/nonexistent/data", "{}", 1000).ok());
    ASSERT_TRUE(WorkbenchStore(store->get()).AddUser("vic", Role::kViewer, "viewer-password", 1).ok());
  }
  WorkbenchOptions o;
  o.store = location();
  o.port = 0;
  Workbench server(o);
  Status st = server.Start();
  ASSERT_TRUE(st.ok()) << st.message();
  httplib::Client c("127.0.0.1", server.port());
  c.set_read_timeout(60);
  auto login = c.Post("/api/login", httplib::Params{{"name", "vic"}, {"password", "viewer-password"}});
  ASSERT_TRUE(login && login->status == 200);
  const std::string set = login->get_header_value("Set-Cookie");
  const httplib::Headers h{{"Cookie", set.substr(0, set.find(';'))}};
  auto queue = [&](const std::string& query) {
    auto res = c.Get(("/api/queue" + query).c_str(), h);
    EXPECT_TRUE(res && res->status == 200) << query;
    std::string ids;
    if (!res) return ids;
    for (const char* id : {"r1.N1", "r1.N2"})
      if (res->body.find(std::string("\"case_id\":\"") + id + "\"") != std::string::npos) ids += ids.empty() ? id : std::string(" ") + id;
    return ids;
  };
  EXPECT_EQ(queue(""), "r1.N1 r1.N2");
  EXPECT_EQ(queue("?origin=RU"), "r1.N1") << "an origin country";
  EXPECT_EQ(queue("?origin=ir"), "r1.N2") << "case-insensitive";
  EXPECT_EQ(queue("?origin=UTC%2B03:30"), "r1.N2") << "the inferred time zone is an origin too";
  EXPECT_EQ(queue("?target=DE"), "r1.N1") << "a target country, not only the first";
  EXPECT_EQ(queue("?target=he"), "r1.N2") << "a language";
  EXPECT_EQ(queue("?target=news-front.example"), "r1.N1") << "an outlet";
  EXPECT_EQ(queue("?origin=RU&target=IL"), "") << "both filters apply";
  auto res = c.Get("/api/queue", h);
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("\"facets\":{\"origin_countries\":[\"IR\",\"RU\"],\"time_zones\":[\"UTC+03:00\",\"UTC+03:30\"],"
                           "\"target_countries\":[\"DE\",\"IL\",\"US\"],\"languages\":[\"en\",\"he\"],"
                           "\"outlets\":[\"news-front.example\"]}"),
            std::string::npos)
      << "the values the filters can take: " << res->body.substr(0, 400);
  res = c.Get("/api/cases/r1.N1", h);
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("\"origin_countries\":[\"RU\"],\"target_countries\":[\"US\",\"DE\"]"), std::string::npos)
      << "the network page shows origin and target: " << res->body.substr(0, 500);
}

}  // namespace
}  // namespace lockstep
