#include "lockstep/model/snapshot.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <xxhash.h>

#include "lockstep/model/interner.h"

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

// The records below have padding between their members, which a raw write
// would copy from the heap into the file: the same data set would give
// different snapshots, and a file handed to someone else would carry stray
// bytes of this process's memory. Each is written member by member over
// zeros. The sizes pin the layouts: a new member fails to compile here
// until it is copied too.
static_assert(sizeof(Account) == 72 && sizeof(InfraObservation) == 32 && sizeof(ProfileChange) == 32 &&
              sizeof(FollowerCount) == 24 && sizeof(AdSpend) == 32);
void CopyMembers(const Account& a, Account* z) {
  z->platform = a.platform;
  z->kind = a.kind;
  z->handle = a.handle;
  z->display_name = a.display_name;
  z->created_at = a.created_at;
  z->claimed_location = a.claimed_location;
  z->country = a.country;
  z->language = a.language;
  z->followers = a.followers;
  z->following = a.following;
  z->profile_image_hash = a.profile_image_hash;
  z->has_profile_image_hash = a.has_profile_image_hash;
  z->description = a.description;
}
void CopyMembers(const InfraObservation& a, InfraObservation* z) {
  z->account = a.account;
  z->time = a.time;
  z->kind = a.kind;
  z->value = a.value;
  z->country = a.country;
}
void CopyMembers(const ProfileChange& a, ProfileChange* z) {
  z->account = a.account;
  z->time = a.time;
  z->field = a.field;
  z->old_value = a.old_value;
  z->new_value = a.new_value;
}
void CopyMembers(const FollowerCount& a, FollowerCount* z) {
  z->account = a.account;
  z->time = a.time;
  z->followers = a.followers;
}
void CopyMembers(const AdSpend& a, AdSpend* z) {
  z->account = a.account;
  z->time = a.time;
  z->spend = a.spend;
  z->currency = a.currency;
}

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
  // Zeros up to the next multiple of 8, so that every column starts aligned
  // in the file and the loader can copy it out of the mapping as it stands.
  void Pad() {
    static constexpr char kZeros[8] = {};
    if (size_ % 8 != 0) Bytes(kZeros, 8 - size_ % 8);
  }
  template <typename T>
  void Vector(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 8);
    U64(v.size());
    if constexpr (requires(const T& a, T* z) { CopyMembers(a, z); }) {
      // In blocks, each record's members copied over zeros (padding above).
      constexpr size_t kBlock = 4096;
      std::vector<T> block(std::min(v.size(), kBlock));
      for (size_t at = 0; at < v.size(); at += kBlock) {
        const size_t n = std::min(kBlock, v.size() - at);
        std::memset(static_cast<void*>(block.data()), 0, n * sizeof(T));
        for (size_t i = 0; i < n; ++i) CopyMembers(v[at + i], &block[i]);
        Bytes(block.data(), n * sizeof(T));
      }
    } else {
      static_assert(std::has_unique_object_representations_v<T> || std::is_floating_point_v<T>,
                    "a record with padding needs a CopyMembers overload");
      Bytes(v.data(), v.size() * sizeof(T));
    }
    Pad();
  }
  void String(const std::string& s) {
    U64(s.size());
    Bytes(s.data(), s.size());
    Pad();
  }
  // The arena alone: the table is rebuilt at the first lookup, which most
  // pools of a reloaded data set never see.
  void Pool(const Interner& pool) {
    U64(pool.size());
    const std::vector<std::string_view> parts = pool.Arena();
    uint64_t total = 0;
    for (std::string_view part : parts) total += part.size();
    U64(total);
    for (std::string_view part : parts) Bytes(part.data(), part.size());
    Pad();
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

// Big columns ask for transparent huge pages before they are first written
// (internal::AdviseHugePages): a reload then takes one page fault per 2 MiB
// instead of one per 4 KiB, which was most of its kernel time.
using internal::AdviseHugePages;

// Reads the payload out of the mapped file (already checksummed) into its
// final places: each column is copied once into storage that is never
// zero-filled first. Any overrun sets failed().
class SnapshotReader {
 public:
  SnapshotReader(const char* data, uint64_t size) : p_(data), remaining_(size) {}

  bool failed() const { return failed_; }
  const char* Take(uint64_t n) {
    if (failed_ || n > remaining_) {
      failed_ = true;
      return nullptr;
    }
    const char* at = p_;
    p_ += n;
    remaining_ -= n;
    return at;
  }
  uint64_t U64() {
    uint64_t v = 0;
    if (const char* at = Take(sizeof v)) std::memcpy(&v, at, sizeof v);
    return v;
  }
  void Pad() {
    const uint64_t misaligned = reinterpret_cast<uintptr_t>(p_) % 8;
    if (misaligned != 0) Take(8 - misaligned);
  }
  template <typename T>
  void Vector(std::vector<T>* v) {
    const uint64_t n = U64();
    if (failed_ || n > remaining_ / sizeof(T)) {
      failed_ = true;
      return;
    }
    // The writer aligned the column to 8 in the file and the mapping is
    // page-aligned, so the bytes can be read as T where they are.
    const T* src = reinterpret_cast<const T*>(Take(n * sizeof(T)));
    v->clear();
    v->reserve(n);
    AdviseHugePages(v->data(), n * sizeof(T));
    if (n > 0) v->assign(src, src + n);
    Pad();
  }
  void String(std::string* s) {
    const uint64_t n = U64();
    const char* src = Take(n);
    if (failed_) return;
    s->reserve(n);
    AdviseHugePages(s->data(), n);
    s->assign(src, n);
    Pad();
  }
  void Pool(Interner* pool) {
    const uint64_t count = U64();
    const uint64_t total = U64();
    const char* arena = Take(total);
    Pad();
    if (failed_) return;
    auto block = std::make_unique_for_overwrite<char[]>(total);
    AdviseHugePages(block.get(), total);
    if (total > 0) std::memcpy(block.get(), arena, total);
    if (!pool->Restore(std::move(block), total, count)) failed_ = true;
  }
  void List(ListColumn* list) {
    Vector(&list->offsets);
    Vector(&list->items);
  }
  bool at_end() const { return remaining_ == 0; }

 private:
  const char* p_;
  uint64_t remaining_;
  bool failed_ = false;
};

// The file, mapped read-only; unmapped on destruction.
class Mapping {
 public:
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (data_ != nullptr) ::munmap(data_, size_);
  }
  // Maps `size` bytes of `fd` with every page already in place (one
  // populate call rather than a fault per page); false if mmap fails.
  bool Map(int fd, size_t size) {
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) return false;
    data_ = p;
    size_ = size;
    return true;
  }
  const char* data() const { return static_cast<const char*>(data_); }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
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

// Whether every element of `v`, mapped by `key`, is below `bound`. A
// branch-free reduction the compiler vectorises: validating a million-row
// column costs a fraction of copying it.
template <typename V, typename Key>
bool AllBelow(const V& v, uint64_t bound, Key key) {
  uint64_t top = 0;
  for (const auto& x : v) top = std::max<uint64_t>(top, key(x));
  return v.empty() || top < bound;
}
template <typename V>
bool AllBelow(const V& v, uint64_t bound) {
  return AllBelow(v, bound, [](auto x) { return static_cast<uint64_t>(x); });
}
// Ids that may be kNoString: kNoString + 1 wraps to 0, every real id moves
// up by one, so one comparison covers both.
bool OptionalIdsBelow(const std::vector<StringId>& ids, uint64_t pool) {
  return AllBelow(ids, pool + 1, [](StringId id) { return static_cast<uint32_t>(id + 1); });
}
template <typename T>
bool NonDecreasing(const std::vector<T>& v) {
  bool bad = false;
  for (size_t i = 1; i < v.size(); ++i) bad |= v[i - 1] > v[i];
  return !bad;
}
bool ValidBool(const bool& b) {
  uint8_t byte;
  std::memcpy(&byte, &b, 1);
  return byte <= 1;
}

// Every index points inside its pool, every enum holds a defined value, and
// what the rest of lockstep assumes of a Dataset holds (events in time
// order, times in the input window): a checksum guards against damage, this
// against a file that was crafted or written by a bug. Returns "" or what is
// wrong.
std::string Inconsistency(const Dataset& ds) {
  const Events& e = ds.events;
  const size_t n = e.time.size();
  const size_t accounts = ds.accounts.size();
  auto sized = [n](const auto& v) { return v.size() == n; };
  if (!sized(e.account) || !sized(e.type) || !sized(e.event_id) || !sized(e.target_id) || !sized(e.target_account) ||
      !sized(e.language) || !sized(e.client) || !sized(e.target_country) || e.text_offsets.size() != n + 1)
    return "the event columns differ in length";
  if (ds.url_domain.size() != ds.urls.size() || accounts > ds.account_ids.size())
    return "a pool and its index differ in size";
  auto opt = [](StringId id, const Interner& pool) { return id == kNoString || id < pool.size(); };
  if (!OptionalIdsBelow(ds.url_domain, ds.domains.size())) return "a url's domain is out of range";
  // Times: kNoTime where the field is optional, else inside the window.
  const int64_t latest = LatestInputTime();
  auto in_window = [latest](int64_t t) { return t >= kEarliestInputTime && t <= latest; };
  auto optional_time = [&](int64_t t) { return t == kNoTime || in_window(t); };
  for (const Account& a : ds.accounts) {
    if (static_cast<int>(a.kind) > 3 || !ValidBool(a.has_profile_image_hash) || !opt(a.platform, ds.strings) ||
        !opt(a.handle, ds.strings) || !opt(a.display_name, ds.strings) || !opt(a.claimed_location, ds.strings) ||
        !opt(a.language, ds.strings) || !opt(a.description, ds.strings))
      return "an account's field is out of range";
    if (!optional_time(a.created_at)) return "an account's created_at is outside the accepted times";
    if (a.followers < -1 || a.following < -1) return "an account's follower or following count is negative";
  }
  if (!AllBelow(e.account, accounts) || !AllBelow(e.type, kEventTypes, [](EventType t) { return uint8_t(t); }) ||
      !OptionalIdsBelow(e.event_id, ds.objects.size()) || !OptionalIdsBelow(e.target_id, ds.objects.size()) ||
      !OptionalIdsBelow(e.target_account, ds.account_ids.size()) || !OptionalIdsBelow(e.language, ds.strings.size()) ||
      !OptionalIdsBelow(e.client, ds.strings.size()))
    return "an event's field is out of range";
  if (!NonDecreasing(e.time)) return "the events are not in time order";
  if (n > 0 && (!in_window(e.time.front()) || !in_window(e.time.back())))
    return "an event's time is outside the accepted times";
  if (!NonDecreasing(e.text_offsets) || e.text_offsets.front() != 0 || e.text_offsets.back() != e.text_arena.size())
    return "the text offsets are out of order or range";
  auto list_ok = [n](const ListColumn& l, size_t pool) {
    return l.offsets.size() == n + 1 && l.offsets.front() == 0 && l.offsets.back() == l.items.size() &&
           NonDecreasing(l.offsets) && AllBelow(l.items, pool);
  };
  if (!list_ok(e.urls, ds.urls.size()) || !list_ok(e.hashtags, ds.hashtags.size()) ||
      !list_ok(e.mentions, ds.mentions.size()))
    return "an event list (urls, hashtags, mentions) is out of order or range";
  for (const ExtraAttribute& x : ds.account_extras)
    if (x.row >= accounts || x.column >= ds.strings.size() || x.value >= ds.strings.size())
      return "an account attribute is out of range";
  for (const ExtraAttribute& x : ds.event_extras)
    if (x.row >= n || x.column >= ds.strings.size() || x.value >= ds.strings.size())
      return "an event attribute is out of range";
  for (const InfraObservation& o : ds.infra) {
    if (o.account >= accounts || static_cast<int>(o.kind) >= kInfraKinds || o.value >= ds.infra_values.size())
      return "an infrastructure observation is out of range";
    if (!optional_time(o.time)) return "an infrastructure observation's time is outside the accepted times";
  }
  for (const ProfileChange& c : ds.profile_changes) {
    if (c.account >= accounts || static_cast<int>(c.field) > 3 || !opt(c.old_value, ds.strings) ||
        !opt(c.new_value, ds.strings))
      return "a profile change is out of range";
    if (!in_window(c.time)) return "a profile change's time is outside the accepted times";
  }
  for (const FollowerCount& c : ds.follower_counts) {
    if (c.account >= accounts) return "a follower count is out of range";
    if (!in_window(c.time)) return "a follower count's time is outside the accepted times";
    if (c.followers < 0) return "a follower count is negative";
  }
  for (const AdSpend& a : ds.ads) {
    if (a.account >= accounts || a.currency >= ds.strings.size()) return "an ad is out of range";
    if (!optional_time(a.time)) return "an ad's time is outside the accepted times";
    if (!(a.spend >= 0) || !std::isfinite(a.spend)) return "an ad's spend is negative or not a number";
  }
  return "";
}

}  // namespace

Status CheckSnapshotPath(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("no snapshot path given");
  // The file is written beside `path` and renamed over it: that must never
  // replace a device, a FIFO or a directory (as root, /dev/full would
  // become a regular file), so only a regular file or a new name will do.
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode))
    return Status::IoError(
        fmt::format("{}: not a regular file (a device, FIFO or directory); a snapshot replaces only a regular file",
                    path));
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  struct stat parent {};
  if (::stat(dir.c_str(), &parent) != 0 || !S_ISDIR(parent.st_mode))
    return Status::IoError(fmt::format("{}: the directory {} does not exist", path, dir));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return Status::IoError(fmt::format("{}: cannot write into {}: {}", path, dir, std::strerror(errno)));
  return Status::Ok();
}

Status SaveSnapshot(const Dataset& ds, const std::string& path) {
  if (!ds.events.complete())
    return Status::InvalidArgument(
        fmt::format("{}: these events were loaded with their action columns only; load them whole to save", path));
  if (Status s = CheckSnapshotPath(path); !s.ok()) return s;
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

bool IsTruncatedSnapshotHeader(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char bytes[kHeaderSize];
  const size_t n = std::fread(bytes, 1, sizeof bytes, f);
  std::fclose(f);
  if (n >= kHeaderSize) return false;
  return std::memcmp(bytes, kMagic, std::min(n, sizeof kMagic)) == 0;
}

Result<Dataset> LoadSnapshot(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct stat st {};
  Header header{};
  const bool got_header = ::fstat(fd, &st) == 0 && ::pread(fd, &header, sizeof header, 0) == sizeof header;
  if (got_header == false && ::fstat(fd, &st) == 0 && static_cast<uint64_t>(st.st_size) < kHeaderSize &&
      IsTruncatedSnapshotHeader(path)) {
    ::close(fd);
    return Status::Corrupt(fmt::format("{}: truncated snapshot: {} bytes, shorter than a snapshot's {}-byte header",
                                       path, st.st_size, kHeaderSize));
  }
  if (!got_header || std::memcmp(header.magic, kMagic, 8) != 0) {
    ::close(fd);
    return Status::Corrupt(fmt::format("{}: not a lockstep snapshot (no LKSTSNAP header)", path));
  }
  if (header.version != kSnapshotVersion) {
    ::close(fd);
    return Status::Corrupt(fmt::format(
        "{}: snapshot format version {} but this lockstep reads version {}; re-create it with 'lockstep ingest DATA "
        "--save {}'",
        path, header.version, kSnapshotVersion, path));
  }
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);
  if (header.payload_size > file_size || file_size - header.payload_size != kHeaderSize) {
    ::close(fd);
    return Status::Corrupt(fmt::format("{}: snapshot is {} bytes but its header says {}: truncated or damaged", path,
                                       file_size, kHeaderSize + header.payload_size));
  }
  Mapping mapping;
  const bool mapped = mapping.Map(fd, file_size);
  const int map_errno = errno;
  ::close(fd);
  if (!mapped) return Status::IoError(fmt::format("{}: cannot map: {}", path, std::strerror(map_errno)));
  // The whole payload is checksummed before anything is built from it.
  const char* payload = mapping.data() + kHeaderSize;
  if (XXH3_64bits(payload, header.payload_size) != header.checksum)
    return Status::Corrupt(fmt::format("{}: snapshot checksum mismatch: the file is damaged", path));
  Dataset ds;
  SnapshotReader r(payload, header.payload_size);
  if (!ReadDataset(r, &ds))
    return Status::Corrupt(fmt::format("{}: snapshot contents are inconsistent: a column runs past the payload", path));
  if (std::string why = Inconsistency(ds); !why.empty())
    return Status::Corrupt(fmt::format("{}: snapshot contents are inconsistent: {}; re-create it with 'lockstep ingest "
                                       "DATA --save {}'",
                                       path, why, path));
  // Snapshots saved before link wrappers lost their domain (Dataset::
  // InternDomain) still map t.co links to a "t.co" domain: read them as the
  // data set is interned now.
  std::vector<char> wrapper(ds.domains.size(), 0);
  for (uint32_t d = 0; d < ds.domains.size(); ++d) wrapper[d] = IsPlatformLinkWrapper(ds.domains.Get(d));
  for (StringId& d : ds.url_domain)
    if (d != kNoString && wrapper[d]) d = kNoString;
  return ds;
}

}  // namespace lockstep
