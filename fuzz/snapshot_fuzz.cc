// The snapshot loader, structure-aware: the fuzz input is a snapshot's
// payload, written behind a header with the right magic, version, size and
// checksum, so that every mutation reaches the structural checks instead of
// stopping at the checksum. A snapshot that loads must hold what the rest of
// lockstep assumes (events in time order, times in the input window, every
// index inside its pool); the target walks it and traps if not.
//
// Seeds: LOCKSTEP_FUZZ_SEED_DIR=DIR fuzz_snapshot -runs=0 writes the payload
// of a small data set into DIR (scripts/fuzz.sh does this).
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include <xxhash.h>

#include "fuzz_input.h"
#include "lockstep/model/snapshot.h"

namespace {

using namespace lockstep;

constexpr size_t kHeaderSize = 32;

// A small data set with every table filled, times in the window.
Dataset SeedDataset() {
  Dataset ds;
  for (const char* id : {"a1", "a2", "a3"}) {
    ds.account_ids.Intern(id);
    Account a;
    a.platform = ds.strings.Intern("twitter");
    a.created_at = 1420070400;
    a.followers = 10;
    ds.accounts.push_back(a);
  }
  Events& e = ds.events;
  const int64_t times[] = {1577836800, 1577836860, 1577840400, 1577923200};
  for (int i = 0; i < 4; ++i) {
    e.time.push_back(times[i]);
    e.account.push_back(static_cast<AccountIndex>(i % 3));
    e.type.push_back(i == 0 ? EventType::kPost : EventType::kShare);
    e.event_id.push_back(ds.objects.Intern("e" + std::to_string(i)));
    e.target_id.push_back(i == 0 ? kNoString : ds.objects.Intern("e0"));
    e.target_account.push_back(i == 0 ? kNoString : 0);
    e.text_arena += i == 0 ? "hello #tag https://x.example/" : "RT hello";
    e.text_offsets.push_back(e.text_arena.size());
    e.urls.items.push_back(ds.InternUrl("https://x.example/"));
    e.urls.offsets.push_back(static_cast<uint32_t>(e.urls.items.size()));
    e.hashtags.items.push_back(ds.hashtags.Intern("tag"));
    e.hashtags.offsets.push_back(static_cast<uint32_t>(e.hashtags.items.size()));
    e.mentions.offsets.push_back(static_cast<uint32_t>(e.mentions.items.size()));
    e.language.push_back(ds.strings.Intern("en"));
    e.client.push_back(kNoString);
    e.target_country.push_back(kNoCountry);
  }
  ds.event_extras.push_back({1, ds.strings.Intern("colour"), ds.strings.Intern("red")});
  ds.infra.push_back({0, 1577836800, InfraKind::kIp, ds.infra_values.Intern("10.0.0.1"), kNoCountry});
  ds.profile_changes.push_back({1, 1577836800, ProfileField::kHandle, kNoString, ds.strings.Intern("new")});
  ds.follower_counts.push_back({2, 1577836800, 12});
  ds.ads.push_back({0, 1577836800, 9.5, ds.strings.Intern("USD")});
  return ds;
}

void WriteSeed(const char* dir) {
  const std::string path = fuzz::TempDir() + "/seed.snap";
  if (!SaveSnapshot(SeedDataset(), path).ok()) std::abort();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  std::string bytes;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
  std::fclose(f);
  fuzz::WriteInput("payload", std::string_view(bytes).substr(kHeaderSize));
  std::filesystem::copy_file(fuzz::TempDir() + "/payload", std::string(dir) + "/seed_small",
                             std::filesystem::copy_options::overwrite_existing);
}

// Traps unless the loaded data set holds what the loader promises.
void CheckInvariants(const Dataset& ds) {
  const Events& e = ds.events;
  for (size_t i = 0; i < e.size(); ++i) {
    if (!InInputTimeWindow(e.time[i]) || (i > 0 && e.time[i - 1] > e.time[i])) __builtin_trap();
    if (e.account[i] >= ds.accounts.size()) __builtin_trap();
    (void)ds.AccountId(e.account[i]);
    (void)e.Text(i);
    for (uint32_t u : e.urls.Row(i)) (void)ds.domains.Get(ds.url_domain[u]);
    for (uint32_t h : e.hashtags.Row(i)) (void)ds.hashtags.Get(h);
    for (uint32_t m : e.mentions.Row(i)) (void)ds.mentions.Get(m);
    if (e.target_account[i] != kNoString) (void)ds.AccountId(e.target_account[i]);
    (void)FormatTime(e.time[i]);
  }
  for (const Account& a : ds.accounts) {
    if (a.created_at != kNoTime && !InInputTimeWindow(a.created_at)) __builtin_trap();
    (void)ds.String(a.handle);
  }
  for (const ExtraAttribute& x : ds.event_extras) (void)ds.String(x.value);
  for (const InfraObservation& o : ds.infra) (void)ds.infra_values.Get(o.value);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("LOCKSTEP_FUZZ_SEED_DIR")) WriteSeed(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string file(kHeaderSize, '\0');
  std::memcpy(file.data(), "LKSTSNAP", 8);
  const uint32_t version = kSnapshotVersion;
  std::memcpy(file.data() + 8, &version, sizeof version);
  const uint64_t payload_size = size;
  std::memcpy(file.data() + 16, &payload_size, sizeof payload_size);
  const uint64_t checksum = XXH3_64bits(data, size);
  std::memcpy(file.data() + 24, &checksum, sizeof checksum);
  file.append(reinterpret_cast<const char*>(data), size);
  const std::string path = fuzz::WriteInput("in.snap", file);
  auto ds = LoadSnapshot(path);
  if (ds.ok()) CheckInvariants(*ds);
  return 0;
}
