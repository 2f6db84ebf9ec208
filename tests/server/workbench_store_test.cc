// The workbench's tables (users, sessions, notes, member removals, audit log)
// on both store backends: SQLite and, with LOCKSTEP_TEST_PG, PostgreSQL.
#include "lockstep/server/workbench_store.h"

#include <gtest/gtest.h>

#include "store/case_fixture.h"
#include "store/store_backends.h"

namespace lockstep {
namespace {

using WorkbenchStoreTest = testing::StoreBackendTest;
LOCKSTEP_INSTANTIATE_STORE_BACKENDS(WorkbenchStoreTest);

// A store holding case r1.N1 of a1 and a2.
std::unique_ptr<CaseStore> StoreWithOneCase(const std::string& location) {
  auto store = CaseStore::Open(location);
  EXPECT_TRUE(store.ok()) << store.status().message();
  if (!store.ok()) return nullptr;
  Status s = testing::RecordNetworkN1(**store, "/data/x", 1000);
  EXPECT_TRUE(s.ok()) << s.message();
  return std::move(store).value();
}

TEST_P(WorkbenchStoreTest, UsersLogInWithTheirPasswordOnly) {
  auto store = StoreWithOneCase(location());
  ASSERT_NE(store, nullptr);
  WorkbenchStore wb(store.get());
  EXPECT_EQ(wb.AddUser("ana", Role::kAnalyst, "short", 1).code(), StatusCode::kInvalidArgument)
      << "passwords of fewer than 8 bytes are refused";
  EXPECT_EQ(wb.AddUser("a b", Role::kAnalyst, "long enough", 1).code(), StatusCode::kInvalidArgument)
      << "names without spaces";
  ASSERT_TRUE(wb.AddUser("ana", Role::kAnalyst, "correct horse", 1).ok());
  auto user = wb.CheckPassword("ana", "correct horse");
  ASSERT_TRUE(user.ok()) << user.status().message();
  ASSERT_TRUE(user->has_value());
  EXPECT_EQ((*user)->role, Role::kAnalyst);
  auto wrong = wb.CheckPassword("ana", "correct horsE");
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(wrong->has_value()) << "a wrong password is no login";
  auto nobody = wb.CheckPassword("bob", "correct horse");
  ASSERT_TRUE(nobody.ok());
  EXPECT_FALSE(nobody->has_value());
  // Adding again changes role and password.
  ASSERT_TRUE(wb.AddUser("ana", Role::kViewer, "battery staple", 2).ok());
  EXPECT_FALSE(wb.CheckPassword("ana", "correct horse")->has_value()) << "the old password no longer works";
  auto changed = wb.CheckPassword("ana", "battery staple");
  ASSERT_TRUE(changed.ok() && changed->has_value());
  EXPECT_EQ((*changed)->role, Role::kViewer);
}

TEST_P(WorkbenchStoreTest, SessionsExpireAndEndOnLogout) {
  auto store = StoreWithOneCase(location());
  ASSERT_NE(store, nullptr);
  WorkbenchStore wb(store.get());
  ASSERT_TRUE(wb.AddUser("ana", Role::kAdmin, "correct horse", 1).ok());
  auto user = wb.CheckPassword("ana", "correct horse");
  ASSERT_TRUE(user.ok() && user->has_value());
  WorkbenchSession s;
  auto token = wb.CreateSession(**user, 100, 60, &s);
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(token->size(), 64u);
  EXPECT_NE(*token, s.csrf) << "the CSRF token is not the session token";
  auto found = wb.FindSession(*token, 159);
  ASSERT_TRUE(found.ok() && found->has_value()) << "live within its lifetime";
  EXPECT_EQ((*found)->user.name, "ana");
  EXPECT_EQ((*found)->csrf, s.csrf);
  EXPECT_FALSE(wb.FindSession(*token, 160)->has_value()) << "expired after 60 s";
  EXPECT_FALSE(wb.FindSession(std::string(64, '0'), 100)->has_value()) << "an unknown token";
  ASSERT_TRUE(wb.DeleteSession(*token).ok());
  EXPECT_FALSE(wb.FindSession(*token, 110)->has_value()) << "logged out";
}

TEST_P(WorkbenchStoreTest, NotesRemovalsAndTheAuditLog) {
  auto store = StoreWithOneCase(location());
  ASSERT_NE(store, nullptr);
  WorkbenchStore wb(store.get());
  ASSERT_TRUE(wb.AddNote("N1", "ana", "look at the devices", 10).ok());
  EXPECT_EQ(wb.AddNote("N9", "ana", "x", 10).code(), StatusCode::kInvalidArgument) << "unknown case";
  auto notes = wb.Notes("r1.N1");
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ(notes->front().text, "look at the devices");
  EXPECT_EQ(wb.RemoveMember("r1.N1", "a9", "ana", "why", 11).code(), StatusCode::kInvalidArgument)
      << "only members can be removed";
  EXPECT_EQ(wb.RemoveMember("r1.N1", "a2", "ana", "", 11).code(), StatusCode::kInvalidArgument) << "reason required";
  ASSERT_TRUE(wb.RemoveMember("r1.N1", "a2", "ana", "a journalist", 11).ok());
  ASSERT_TRUE(wb.RemoveMember("r1.N1", "a2", "ana", "again", 12).ok()) << "removing twice is harmless";
  auto removed = wb.RemovedMembers("N1");
  ASSERT_TRUE(removed.ok());
  ASSERT_EQ(removed->size(), 1u);
  EXPECT_EQ(removed->front().reason, "a journalist") << "the first removal stands";
  ASSERT_TRUE(wb.Audit(20, "ana", "verdict", "r1.N1", "confirmed", "same devices").ok());
  ASSERT_TRUE(wb.Audit(21, "bob", "login", "", "", "").ok());
  auto all = wb.AuditLog("", 10);
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->front().user, "bob") << "newest first";
  auto one = wb.AuditLog("r1.N1", 10);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().reason, "same devices");
  EXPECT_EQ(one->front().at, 20);
}

}  // namespace
}  // namespace lockstep
