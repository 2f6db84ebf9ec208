#include "lockstep/model/snapshot.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <type_traits>

#include <fmt/format.h>
#include <xxhash.h>

namespace lockstep {

namespace {

constexpr char kMagic[8] = {'L', 'K', 'S', 'T', 'S', 'N', 'A', 'P'};
constexpr size_t kHeaderSize = 32;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t reserved;
  uint64_t payload_size;
  uint64_t checksum;
};
static_assert(sizeof(Header) == kHeaderSize);

class SnapshotWriter {
 public:
  explicit SnapshotWriter(std::FILE* f) : file_(f), state_(XXH3_createState()) { XXH3_64bits_reset(state_); }
  ~SnapshotWriter() { XXH3_freeState(state_); }

  void Bytes(const void* data, size_t size) {
    if (size == 0) return;
    if (std::fwrite(data, 1, size, file_) != size) ok_ = false;
    XXH3_64bits_update(state_, data, size);
    size_ += size;
  }
  void U64(uint64_t v) { Bytes(&v, sizeof v); }
  template <typename T, typename A>
  void Vector(const std::vector<T, A>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    U64(v.size());
    Bytes(v.data(), v.size() * sizeof(T));
  }
  void String(const std::string& s) {
    U64(s.size());
    Bytes(s.data(), s.size());
  }
  void Pool(const Interner& pool) {
    U64(pool.size());
    const std::vector<std::string_view> parts = pool.Arena();
    uint64_t total = 0;
    for (std::string_view part : parts) total += part.size();
    U64(total);
    for (std::string_view part : parts) Bytes(part.data(), part.size());
    Vector(pool.PortableTable());
  }
  void List(const ListColumn& list) {
    Vector(list.offsets);
    Vector(list.items);
  }

  bool ok() const { return ok_; }
  uint64_t size() const { return size_; }
  uint64_t digest() const { return XXH3_64bits_digest(state_); }

 private:
  std::FILE* file_;
  XXH3_state_t* state_;
  uint64_t size_ = 0;
  bool ok_ = true;
};

// Reads the payload straight from the file into its final places, hashing
// as it goes; any overrun or short read sets failed(). The caller compares
// digest() with the header before handing anything out.
class SnapshotReader {
 public:
  SnapshotReader(std::FILE* f, uint64_t size) : file_(f), remaining_(size), state_(XXH3_createState()) {
    XXH3_64bits_reset(state_);
  }
  ~SnapshotReader() { XXH3_freeState(state_); }

  bool failed() const { return failed_; }
  bool Read(void* dst, uint64_t n) {
    if (failed_ || n > remaining_) return failed_ = true, false;
    if (n == 0) return true;
    if (std::fread(dst, 1, n, file_) != n) return failed_ = true, false;
    XXH3_64bits_update(state_, dst, n);
    remaining_ -= n;
    return true;
  }
  uint64_t U64() {
    uint64_t v = 0;
    Read(&v, sizeof v);
    return v;
  }
  template <typename T, typename A>
  void Vector(std::vector<T, A>* v) {
    const uint64_t n = U64();
    if (failed_ || n > remaining_ / sizeof(T)) {
      failed_ = true;
      return;
    }
    v->resize(n);
    Read(v->data(), n * sizeof(T));
  }
  void String(std::string* s) {
    const uint64_t n = U64();
    if (failed_ || n > remaining_) {
      failed_ = true;
      return;
    }
    s->resize(n);
    Read(s->data(), n);
  }
  void Pool(Interner* pool) {
    const uint64_t count = U64();
    const uint64_t total = U64();
    if (failed_ || total > remaining_) {
      failed_ = true;
      return;
    }
    auto block = std::make_unique_for_overwrite<char[]>(total);
    Read(block.get(), total);
    Interner::Table table;
    Vector(&table);
    if (failed_) return;
    if (!pool->Restore(std::move(block), total, count, std::move(table))) failed_ = true;
  }
  void List(ListColumn* list) {
    Vector(&list->offsets);
    Vector(&list->items);
  }
  bool at_end() const { return remaining_ == 0; }
  uint64_t digest() const { return XXH3_64bits_digest(state_); }

 private:
  std::FILE* file_;
  uint64_t remaining_;
  XXH3_state_t* state_;
  bool failed_ = false;
};

void WriteDataset(const Dataset& ds, SnapshotWriter& w) {
  for (const Interner* pool : {&ds.account_ids, &ds.objects, &ds.urls, &ds.domains, &ds.hashtags, &ds.mentions,
                               &ds.infra_values, &ds.strings})
    w.Pool(*pool);
  w.Vector(ds.url_domain);
  w.Vector(ds.accounts);
  w.Vector(ds.account_extras);
  const Events& e = ds.events;
  w.Vector(e.time);
  w.Vector(e.account);
  w.Vector(e.type);
  w.Vector(e.event_id);
  w.Vector(e.target_id);
  w.Vector(e.target_account);
  w.Vector(e.text_offsets);
  w.String(e.text_arena);
  w.List(e.urls);
  w.List(e.hashtags);
  w.List(e.mentions);
  w.Vector(e.language);
  w.Vector(e.client);
  w.Vector(e.target_country);
  w.Vector(ds.event_extras);
  w.Vector(ds.infra);
  w.Vector(ds.profile_changes);
  w.Vector(ds.follower_counts);
  w.Vector(ds.ads);
}

bool ReadDataset(SnapshotReader& r, Dataset* ds) {
  for (Interner* pool : {&ds->account_ids, &ds->objects, &ds->urls, &ds->domains, &ds->hashtags, &ds->mentions,
                         &ds->infra_values, &ds->strings})
    r.Pool(pool);
  r.Vector(&ds->url_domain);
  r.Vector(&ds->accounts);
  r.Vector(&ds->account_extras);
  Events& e = ds->events;
  r.Vector(&e.time);
  r.Vector(&e.account);
  r.Vector(&e.type);
  r.Vector(&e.event_id);
  r.Vector(&e.target_id);
  r.Vector(&e.target_account);
  r.Vector(&e.text_offsets);
  r.String(&e.text_arena);
  r.List(&e.urls);
  r.List(&e.hashtags);
  r.List(&e.mentions);
  r.Vector(&e.language);
  r.Vector(&e.client);
  r.Vector(&e.target_country);
  r.Vector(&ds->event_extras);
  r.Vector(&ds->infra);
  r.Vector(&ds->profile_changes);
  r.Vector(&ds->follower_counts);
  r.Vector(&ds->ads);
  return !r.failed() && r.at_end();
}

// Every index points inside its pool and every enum holds a defined value:
// a checksum guards against damage, this against a file that was crafted.
bool Consistent(const Dataset& ds) {
  const Events& e = ds.events;
  const size_t n = e.time.size();
  const size_t accounts = ds.accounts.size();
  auto sized = [n](const auto& v) { return v.size() == n; };
  if (!sized(e.account) || !sized(e.type) || !sized(e.event_id) || !sized(e.target_id) || !sized(e.target_account) ||
      !sized(e.language) || !sized(e.client) || !sized(e.target_country) || e.text_offsets.size() != n + 1)
    return false;
  if (ds.url_domain.size() != ds.urls.size() || accounts > ds.account_ids.size()) return false;
  auto opt = [](StringId id, const Interner& pool) { return id == kNoString || id < pool.size(); };
  for (StringId d : ds.url_domain)
    if (d >= ds.domains.size()) return false;
  for (const Account& a : ds.accounts)
    if (static_cast<int>(a.kind) > 3 || !opt(a.platform, ds.strings) || !opt(a.handle, ds.strings) ||
        !opt(a.display_name, ds.strings) || !opt(a.claimed_location, ds.strings) || !opt(a.language, ds.strings) ||
        !opt(a.description, ds.strings))
      return false;
  for (size_t i = 0; i < n; ++i) {
    if (e.account[i] >= accounts || static_cast<int>(e.type[i]) >= kEventTypes || !opt(e.event_id[i], ds.objects) ||
        !opt(e.target_id[i], ds.objects) || !opt(e.target_account[i], ds.account_ids) ||
        !opt(e.language[i], ds.strings) || !opt(e.client[i], ds.strings) || e.text_offsets[i] > e.text_offsets[i + 1])
      return false;
  }
  if (e.text_offsets.front() != 0 || e.text_offsets.back() != e.text_arena.size()) return false;
  auto list_ok = [n](const ListColumn& l, size_t pool) {
    if (l.offsets.size() != n + 1 || l.offsets.front() != 0 || l.offsets.back() != l.items.size()) return false;
    for (size_t i = 0; i < n; ++i)
      if (l.offsets[i] > l.offsets[i + 1]) return false;
    for (uint32_t item : l.items)
      if (item >= pool) return false;
    return true;
  };
  if (!list_ok(e.urls, ds.urls.size()) || !list_ok(e.hashtags, ds.hashtags.size()) ||
      !list_ok(e.mentions, ds.mentions.size()))
    return false;
  for (const ExtraAttribute& x : ds.account_extras)
    if (x.row >= accounts || x.column >= ds.strings.size() || x.value >= ds.strings.size()) return false;
  for (const ExtraAttribute& x : ds.event_extras)
    if (x.row >= n || x.column >= ds.strings.size() || x.value >= ds.strings.size()) return false;
  for (const InfraObservation& o : ds.infra)
    if (o.account >= accounts || static_cast<int>(o.kind) >= kInfraKinds || o.value >= ds.infra_values.size())
      return false;
  for (const ProfileChange& c : ds.profile_changes)
    if (c.account >= accounts || static_cast<int>(c.field) > 3 || !opt(c.old_value, ds.strings) ||
        !opt(c.new_value, ds.strings))
      return false;
  for (const FollowerCount& c : ds.follower_counts)
    if (c.account >= accounts) return false;
  for (const AdSpend& a : ds.ads)
    if (a.account >= accounts || a.currency >= ds.strings.size()) return false;
  return true;
}

}  // namespace

Status SaveSnapshot(const Dataset& ds, const std::string& path) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return Status::IoError(fmt::format("{}: cannot write: {}", tmp, std::strerror(errno)));
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kSnapshotVersion;
  bool ok = std::fwrite(&header, sizeof header, 1, f) == 1;
  SnapshotWriter w(f);
  WriteDataset(ds, w);
  header.payload_size = w.size();
  header.checksum = w.digest();
  ok = ok && w.ok() && std::fseek(f, 0, SEEK_SET) == 0 && std::fwrite(&header, sizeof header, 1, f) == 1;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::IoError(fmt::format("{}: writing the snapshot failed: {}", path, std::strerror(errno)));
  }
  return Status::Ok();
}

bool IsSnapshotFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char magic[8];
  const bool yes = std::fread(magic, 1, 8, f) == 8 && std::memcmp(magic, kMagic, 8) == 0;
  std::fclose(f);
  return yes;
}

Result<Dataset> LoadSnapshot(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  Header header{};
  const bool got_header = std::fread(&header, sizeof header, 1, f) == 1;
  if (!got_header || std::memcmp(header.magic, kMagic, 8) != 0) {
    std::fclose(f);
    return Status::Corrupt(fmt::format("{}: not a lockstep snapshot (no LKSTSNAP header)", path));
  }
  if (header.version != kSnapshotVersion) {
    std::fclose(f);
    return Status::Corrupt(fmt::format(
        "{}: snapshot format version {} but this lockstep reads version {}; re-create it with 'lockstep ingest DATA "
        "--save {}'",
        path, header.version, kSnapshotVersion, path));
  }
  std::fseek(f, 0, SEEK_END);
  const long file_size = std::ftell(f);
  const uint64_t expected = kHeaderSize + header.payload_size;
  if (file_size < 0 || static_cast<uint64_t>(file_size) != expected) {
    std::fclose(f);
    return Status::Corrupt(fmt::format("{}: snapshot is {} bytes but its header says {}: truncated or damaged", path,
                                       file_size, expected));
  }
  std::fseek(f, kHeaderSize, SEEK_SET);
  Dataset ds;
  SnapshotReader r(f, header.payload_size);
  const bool parsed = ReadDataset(r, &ds);
  std::fclose(f);
  // The checksum covers every byte read; parsing stops early only on damage.
  if (r.failed() || r.digest() != header.checksum)
    return Status::Corrupt(fmt::format("{}: snapshot checksum mismatch: the file is damaged", path));
  if (!parsed || !Consistent(ds)) return Status::Corrupt(fmt::format("{}: snapshot contents are inconsistent", path));
  return ds;
}

}  // namespace lockstep
