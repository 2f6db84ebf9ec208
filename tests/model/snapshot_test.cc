#include "lockstep/model/snapshot.h"

#include <gtest/gtest.h>
#include <fmt/format.h>
#include <xxhash.h>

#include <cstring>
#include <filesystem>

#include "lockstep/ingest/lockstep_reader.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::TempDir;

Dataset LoadTiny() {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadLockstepDirectory(std::string(LOCKSTEP_SOURCE_DIR) + "/examples/tiny", {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return std::move(ds).value();
}

TEST(Snapshot, RoundTripKeepsEverything) {
  TempDir dir;
  const Dataset ds = LoadTiny();
  ASSERT_TRUE(SaveSnapshot(ds, dir / "s.snap").ok());
  EXPECT_TRUE(IsSnapshotFile(dir / "s.snap"));
  auto back = LoadSnapshot(dir / "s.snap");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->accounts.size(), ds.accounts.size());
  EXPECT_EQ(back->events.time, ds.events.time);
  EXPECT_EQ(back->events.text_arena, ds.events.text_arena);
  EXPECT_EQ(back->events.urls.items, ds.events.urls.items);
  EXPECT_EQ(back->infra.size(), ds.infra.size());
  EXPECT_EQ(back->profile_changes.size(), ds.profile_changes.size());
  EXPECT_EQ(back->follower_counts.size(), ds.follower_counts.size());
  EXPECT_EQ(back->ads.size(), ds.ads.size());
  for (size_t a = 0; a < ds.accounts.size(); ++a) {
    EXPECT_EQ(back->AccountId(a), ds.AccountId(a)) << "account ids keep their dense index";
    EXPECT_EQ(back->String(back->accounts[a].handle), ds.String(ds.accounts[a].handle));
    EXPECT_EQ(back->accounts[a].profile_image_hash, ds.accounts[a].profile_image_hash);
  }
  EXPECT_EQ(back->domains.Get(back->url_domain[0]), ds.domains.Get(ds.url_domain[0]));
  EXPECT_EQ(back->account_ids.Find("u1004"), ds.account_ids.Find("u1004")) << "pools are searchable after reload";
}

TEST(Snapshot, RefusesDamage) {
  TempDir dir;
  const Dataset ds = LoadTiny();
  const std::string path = dir / "s.snap";
  ASSERT_TRUE(SaveSnapshot(ds, path).ok());
  const std::string good = testing::ReadFile(path);

  // A flipped byte anywhere in the payload fails the checksum.
  for (size_t at : {size_t{40}, good.size() / 2, good.size() - 1}) {
    std::string bad = good;
    bad[at] ^= 0x20;
    testing::WriteFile(path, bad);
    auto r = LoadSnapshot(path);
    ASSERT_FALSE(r.ok()) << "flip at " << at;
    EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
    EXPECT_NE(r.status().message().find("checksum"), std::string::npos) << r.status().message();
  }
  // Truncated.
  testing::WriteFile(path, good.substr(0, good.size() - 10));
  auto truncated = LoadSnapshot(path);
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("truncated"), std::string::npos) << truncated.status().message();
  // Older version.
  std::string old = good;
  old[8] = 0;  // version field, little-endian
  testing::WriteFile(path, old);
  auto versioned = LoadSnapshot(path);
  ASSERT_FALSE(versioned.ok());
  EXPECT_NE(versioned.status().message().find("version 0"), std::string::npos) << versioned.status().message();
  EXPECT_NE(versioned.status().message().find("re-create"), std::string::npos) << "says how to fix it";
  // The version before this one (pools with each string's slot): refused, not misread.
  std::string previous = good;
  previous[8] = static_cast<char>(kSnapshotVersion - 1);
  testing::WriteFile(path, previous);
  auto older = LoadSnapshot(path);
  ASSERT_FALSE(older.ok());
  EXPECT_NE(older.status().message().find(fmt::format("version {}", kSnapshotVersion - 1)), std::string::npos)
      << older.status().message();
  // Not a snapshot at all.
  testing::WriteFile(path, "account_id\n");
  EXPECT_FALSE(IsSnapshotFile(path));
  EXPECT_EQ(LoadSnapshot(path).status().code(), StatusCode::kCorrupt);
}

TEST(Snapshot, RefusesEventsLoadedWithTheirActionColumnsOnly) {
  TempDir dir;
  Dataset ds = LoadTiny();
  ds.events.text_offsets = {0};  // as LoadOptions::action_columns_only leaves it
  ASSERT_FALSE(ds.events.complete());
  const Status s = SaveSnapshot(ds, dir / "s.snap");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
  EXPECT_FALSE(std::filesystem::exists(dir / "s.snap")) << "nothing is written";
}

// A file whose checksum matches but whose contents were crafted to point
// outside the data set: refused by the structural checks, never handed out.
std::string WithChecksum(std::string file) {
  const uint64_t sum = XXH3_64bits(file.data() + 32, file.size() - 32);
  std::memcpy(file.data() + 24, &sum, sizeof sum);
  return file;
}

TEST(Snapshot, RefusesCraftedContentsWithAValidChecksum) {
  TempDir dir;
  const Dataset ds = LoadTiny();
  ASSERT_FALSE(ds.ads.empty()) << "the example has ads; the last bytes of a snapshot are its last ad";
  const std::string path = dir / "s.snap";
  ASSERT_TRUE(SaveSnapshot(ds, path).ok());
  const std::string good = testing::ReadFile(path);
  ASSERT_TRUE(LoadSnapshot(path).ok()) << "rewriting the checksum alone changes nothing";

  // The last ad's account index, past the accounts.
  std::string bad_account = good;
  const uint32_t past = static_cast<uint32_t>(ds.accounts.size()) + 5;
  std::memcpy(bad_account.data() + bad_account.size() - sizeof(AdSpend), &past, sizeof past);
  testing::WriteFile(path, WithChecksum(bad_account));
  auto r = LoadSnapshot(path);
  ASSERT_FALSE(r.ok()) << "an account index past the accounts";
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(r.status().message().find("inconsistent"), std::string::npos) << r.status().message();

  // The first pool (account ids) claims one string more than its arena holds.
  std::string bad_count = good;
  uint64_t count;
  std::memcpy(&count, bad_count.data() + 32, sizeof count);
  ++count;
  std::memcpy(bad_count.data() + 32, &count, sizeof count);
  testing::WriteFile(path, WithChecksum(bad_count));
  auto c = LoadSnapshot(path);
  ASSERT_FALSE(c.ok()) << "a pool count that does not match its arena";
  EXPECT_NE(c.status().message().find("inconsistent"), std::string::npos) << c.status().message();

  // Every length field that could overrun the file: huge sizes are refused, not allocated.
  std::string huge = good;
  const uint64_t enormous = uint64_t{1} << 60;
  std::memcpy(huge.data() + 40, &enormous, sizeof enormous);  // the first pool's arena size
  testing::WriteFile(path, WithChecksum(huge));
  EXPECT_EQ(LoadSnapshot(path).status().code(), StatusCode::kCorrupt);
}

}  // namespace
}  // namespace lockstep
