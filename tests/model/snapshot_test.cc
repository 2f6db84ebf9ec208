#include "lockstep/model/snapshot.h"

#include <gtest/gtest.h>
#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
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
  Dataset ds = LoadTiny();
  ds.InternUrl("https://t.co/x1");  // a link wrapper: a url with no domain
  ASSERT_EQ(ds.url_domain.back(), kNoString);
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
  EXPECT_EQ(back->url_domain, ds.url_domain);
  EXPECT_EQ(back->account_ids.Find("u1004"), ds.account_ids.Find("u1004")) << "pools are searchable after reload";
}

// A snapshot saved before link wrappers lost their domain maps t.co links to
// a "t.co" domain id; loading it gives them none, as interning now does.
TEST(Snapshot, AnOlderSnapshotsLinkWrapperHasNoDomain) {
  TempDir dir;
  Dataset ds = LoadTiny();
  const StringId url = ds.urls.Intern("https://t.co/old1");
  ds.url_domain.push_back(ds.domains.Intern("t.co"));  // as InternUrl did before
  ASSERT_TRUE(SaveSnapshot(ds, dir / "old.snap").ok());
  auto back = LoadSnapshot(dir / "old.snap");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->url_domain[url], kNoString);
  EXPECT_EQ(back->url_domain[0], ds.url_domain[0]) << "other domains are kept";
}

// Each record's members copied over `pattern`: the same data with other
// bytes between the members.
template <typename T, typename Copy>
void Repad(std::vector<T>& v, unsigned char pattern, Copy copy) {
  for (T& record : v) {
    const T kept = record;
    std::memset(static_cast<void*>(&record), pattern, sizeof record);
    copy(kept, record);
  }
}

void RepadAll(Dataset& ds, unsigned char pattern) {
  Repad(ds.accounts, pattern, [](const Account& a, Account& z) {
    z.platform = a.platform, z.kind = a.kind, z.handle = a.handle, z.display_name = a.display_name;
    z.created_at = a.created_at, z.claimed_location = a.claimed_location, z.country = a.country;
    z.language = a.language, z.followers = a.followers, z.following = a.following;
    z.profile_image_hash = a.profile_image_hash, z.has_profile_image_hash = a.has_profile_image_hash;
    z.description = a.description;
  });
  Repad(ds.infra, pattern, [](const InfraObservation& a, InfraObservation& z) {
    z.account = a.account, z.time = a.time, z.kind = a.kind, z.value = a.value, z.country = a.country;
  });
  Repad(ds.profile_changes, pattern, [](const ProfileChange& a, ProfileChange& z) {
    z.account = a.account, z.time = a.time, z.field = a.field, z.old_value = a.old_value, z.new_value = a.new_value;
  });
  Repad(ds.follower_counts, pattern, [](const FollowerCount& a, FollowerCount& z) {
    z.account = a.account, z.time = a.time, z.followers = a.followers;
  });
  Repad(ds.ads, pattern, [](const AdSpend& a, AdSpend& z) {
    z.account = a.account, z.time = a.time, z.spend = a.spend, z.currency = a.currency;
  });
}

// The records have padding between members. Written as they lie in memory,
// the same data set gave snapshots that differed wherever the heap left
// other bytes (51k bytes between two runs at scale 1), and a snapshot handed
// on carried stray bytes of the process's memory.
TEST(Snapshot, SameDataSameBytesWhateverLiesBetweenTheMembers) {
  TempDir dir;
  Dataset a = LoadTiny(), b = LoadTiny();
  ASSERT_FALSE(a.infra.empty() || a.profile_changes.empty() || a.follower_counts.empty() || a.ads.empty())
      << "the example has every kind of record";
  RepadAll(a, 0xAB);
  RepadAll(b, 0xCD);
  ASSERT_TRUE(SaveSnapshot(a, dir / "a.snap").ok());
  ASSERT_TRUE(SaveSnapshot(b, dir / "b.snap").ok());
  const std::string bytes = testing::ReadFile(dir / "a.snap"), other = testing::ReadFile(dir / "b.snap");
  ASSERT_EQ(bytes.size(), other.size());
  const auto differ = std::mismatch(bytes.begin(), bytes.end(), other.begin());
  EXPECT_TRUE(differ.first == bytes.end()) << "the snapshots differ from byte " << (differ.first - bytes.begin())
                                           << " of " << bytes.size();
  // Every member survives the member-by-member write.
  auto back = LoadSnapshot(dir / "a.snap");
  ASSERT_TRUE(back.ok()) << back.status().message();
  for (size_t i = 0; i < a.accounts.size(); ++i) {
    const Account &x = a.accounts[i], &y = back->accounts[i];
    EXPECT_TRUE(x.platform == y.platform && x.kind == y.kind && x.handle == y.handle &&
                x.display_name == y.display_name && x.created_at == y.created_at &&
                x.claimed_location == y.claimed_location && x.country == y.country && x.language == y.language &&
                x.followers == y.followers && x.following == y.following &&
                x.profile_image_hash == y.profile_image_hash &&
                x.has_profile_image_hash == y.has_profile_image_hash && x.description == y.description)
        << "account " << i;
  }
  for (size_t i = 0; i < a.infra.size(); ++i) {
    const InfraObservation &x = a.infra[i], &y = back->infra[i];
    EXPECT_TRUE(x.account == y.account && x.time == y.time && x.kind == y.kind && x.value == y.value &&
                x.country == y.country) << "infra " << i;
  }
  for (size_t i = 0; i < a.profile_changes.size(); ++i) {
    const ProfileChange &x = a.profile_changes[i], &y = back->profile_changes[i];
    EXPECT_TRUE(x.account == y.account && x.time == y.time && x.field == y.field && x.old_value == y.old_value &&
                x.new_value == y.new_value) << "profile change " << i;
  }
  for (size_t i = 0; i < a.follower_counts.size(); ++i) {
    const FollowerCount &x = a.follower_counts[i], &y = back->follower_counts[i];
    EXPECT_TRUE(x.account == y.account && x.time == y.time && x.followers == y.followers) << "follower count " << i;
  }
  for (size_t i = 0; i < a.ads.size(); ++i) {
    const AdSpend &x = a.ads[i], &y = back->ads[i];
    EXPECT_TRUE(x.account == y.account && x.time == y.time && x.spend == y.spend && x.currency == y.currency)
        << "ad " << i;
  }
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
