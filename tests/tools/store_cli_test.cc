// Issue 17, items 15 and 19: the case store as a careless user meets it. A
// database that is not lockstep's is refused and left alone; damaged,
// foreign, missing and unreadable store files are bad input (exit 2) with a
// sentence and no SQL; a store that is read-only on disk can still be listed.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "lockstep/store/case_store.h"
#include "lockstep/store/sql.h"
#include "store/case_fixture.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::RunCommand;
using testing::TempDir;

const std::string kCli = LOCKSTEP_CLI;

// No statement of lockstep's reaches the user.
void ExpectNoSql(const std::string& output) {
  for (const char* sql : {"SELECT", "INSERT", "CREATE", "PRAGMA", "(in:"})
    EXPECT_EQ(output.find(sql), std::string::npos) << "no raw SQL (" << sql << ") in: " << output;
}

std::vector<std::string> Tables(const std::string& path) {
  auto db = OpenSqlConnection(path, /*read_only=*/true);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return {};
  auto names = (*db)->TableNames();
  EXPECT_TRUE(names.ok()) << names.status().message();
  return names.ok() ? names.value() : std::vector<std::string>{};
}

// A store at `path` with one run and network N1 of a1 and a2.
void WriteStore(const std::string& path) {
  auto store = CaseStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  Status s = testing::RecordNetworkN1(**store);
  ASSERT_TRUE(s.ok()) << s.message();
}

TEST(StoreCli, AnotherApplicationsDatabaseIsRefusedAndLeftAlone) {
  TempDir dir;
  const std::string path = dir / "contacts.db";
  {
    auto db = OpenSqlConnection(path);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ana')").ok());
  }
  for (const std::string& args :
       {"case list --store " + path, "case confirm --store " + path + " --network N1 --analyst a --reason r",
        "watch --no-detect --store " + path + " " + LOCKSTEP_SOURCE_DIR + "/examples/tiny"}) {
    auto r = RunCommand(kCli + " " + args);
    EXPECT_EQ(r.exit_code, 2) << "a foreign database is bad input: " << args << "\n" << r.output;
    EXPECT_NE(r.output.find("is not a lockstep case store"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("contacts"), std::string::npos) << "the message names what is there: " << r.output;
    ExpectNoSql(r.output);
  }
  EXPECT_EQ(Tables(path), std::vector<std::string>{"contacts"}) << "lockstep created none of its tables in it";
}

TEST(StoreCli, DamagedMissingAndForeignFilesAreBadInputWithASentence) {
  TempDir dir;
  testing::WriteFile(dir / "junk.db", std::string(8192, 'x'));
  const std::string damaged = dir / "damaged.db";
  WriteStore(damaged);
  {
    std::string bytes = testing::ReadFile(damaged);
    ASSERT_GT(bytes.size(), 4096u) << "a store of several pages";
    for (size_t i = 100; i < 4096; ++i) bytes[i] = static_cast<char>(0xA5);  // page 1: the schema
    testing::WriteFile(damaged, bytes);
  }
  std::filesystem::create_directories(dir / "a_directory.db");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {dir / "junk.db", "is not an SQLite database"},
      {damaged, "is damaged"},
      {dir / "missing.db", "No such file"},
      {dir / "a_directory.db", "Is a directory"},
  };
  for (const auto& [path, said] : cases)
    for (const char* command : {"list", "show --network N1"}) {
      auto r = RunCommand(kCli + " case " + command + " --store " + path);
      EXPECT_EQ(r.exit_code, 2) << "bad input, not an internal error: " << path << "\n" << r.output;
      EXPECT_NE(r.output.find(said), std::string::npos) << "says '" << said << "': " << r.output;
      EXPECT_NE(r.output.find(path), std::string::npos) << "names the file: " << r.output;
      ExpectNoSql(r.output);
    }
  EXPECT_FALSE(std::filesystem::exists(dir / "missing.db")) << "listing does not create a store";
}

TEST(StoreCli, ReadOnlyStoreIsListedAndRefusedForWriting) {
  TempDir dir;
  const std::string path = dir / "cases.db";
  WriteStore(path);
  // The store and its directory become read-only to the command: as root,
  // the command runs as nobody (who may read but not write the 0644 file in
  // a 0755 directory); otherwise both lose their write bits.
  std::string as_reader = kCli;
  if (::geteuid() == 0) {
    as_reader = "setpriv --reuid=65534 --regid=65534 --clear-groups " + kCli;
  } else {
    std::filesystem::permissions(path, std::filesystem::perms::owner_write, std::filesystem::perm_options::remove);
    std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::remove);
  }
  auto r = RunCommand(as_reader + " case list --store " + path);
  EXPECT_EQ(r.exit_code, 0) << "a read-only store can be listed: " << r.output;
  EXPECT_NE(r.output.find("r1.N1"), std::string::npos) << r.output;
  r = RunCommand(as_reader + " case show --store " + path + " --network N1");
  EXPECT_EQ(r.exit_code, 0) << "and shown: " << r.output;
  r = RunCommand(as_reader + " case confirm --store " + path + " --network N1 --analyst ana --reason same");
  EXPECT_EQ(r.exit_code, 2) << "writing to it is bad input: " << r.output;
  EXPECT_NE(r.output.find("read-only"), std::string::npos) << "says why: " << r.output;
  ExpectNoSql(r.output);
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all, std::filesystem::perm_options::add);
}

}  // namespace
}  // namespace lockstep
