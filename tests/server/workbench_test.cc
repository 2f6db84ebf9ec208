// The workbench's JSON API against a server on a free loopback port, over a
// store that `lockstep detect --store` filled from a simulated troll farm.
#include "lockstep/server/workbench.h"

#include <httplib.h>

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "lockstep/server/workbench_store.h"
#include "lockstep/store/case_store.h"
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
  EXPECT_EQ(res->body.rfind("account_id,handle,platform,score,attached\n", 0), 0u) << res->body.substr(0, 80);
  EXPECT_NE(res->body.find(id), std::string::npos);
  res = c->Get("/api/cases/r1.N1/export/graph.gexf", With(s));
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("<gexf"), std::string::npos) << res->body.substr(0, 200);
  res = c->Get("/api/cases/r1.N1/export/graph.svg", With(s));
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("<svg"), std::string::npos) << "the report's drawing: " << res->body.substr(0, 200);
  EXPECT_NE(res->body.find(id), std::string::npos) << "with the members";
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

}  // namespace
}  // namespace lockstep
