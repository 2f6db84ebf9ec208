#include "lockstep/model/interner.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>

#include <sys/mman.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lockstep {

namespace internal {
void AdviseHugePages(const void* data, size_t bytes) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

ZeroedTable::ZeroedTable(size_t size) : size_(size) {
  constexpr size_t kHuge = size_t{2} << 20;
  if (size > std::numeric_limits<size_t>::max() / sizeof(uint64_t) - kHuge) throw std::bad_alloc();
  const size_t bytes = size * sizeof(uint64_t);
  if (bytes < kHuge) {
    data_ = static_cast<uint64_t*>(std::calloc(size == 0 ? 1 : size, sizeof(uint64_t)));
    if (data_ == nullptr) throw std::bad_alloc();
    return;
  }
  // Map a huge page more than needed, then give back the ends outside the
  // 2 MiB-aligned part.
  const size_t mapped = (bytes + kHuge - 1) / kHuge * kHuge;
  void* p = ::mmap(nullptr, mapped + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t raw = reinterpret_cast<uintptr_t>(p), raw_end = raw + mapped + kHuge;
  const uintptr_t begin = (raw + kHuge - 1) & ~(kHuge - 1), end = begin + mapped;
  if (begin != raw) ::munmap(p, begin - raw);
  if (end != raw_end) ::munmap(reinterpret_cast<void*>(end), raw_end - end);
  ::madvise(reinterpret_cast<void*>(begin), mapped, MADV_HUGEPAGE);  // a hint; failure is harmless
  data_ = reinterpret_cast<uint64_t*>(begin);
  mapped_bytes_ = mapped;
}

ZeroedTable::~ZeroedTable() {
  if (mapped_bytes_ != 0)
    ::munmap(data_, mapped_bytes_);
  else
    std::free(data_);
}
}  // namespace internal

namespace {
constexpr size_t kMinBlock = 64 * 1024;
constexpr size_t kMaxBlock = 16u << 20;
constexpr size_t kInitialSlots = 1024;
constexpr size_t kEntryHeader = 8;  // id, length
constexpr int kOffsetBits = 36;
constexpr uint64_t kRefMask = (uint64_t{1} << 48) - 1;
constexpr uint64_t kOffsetMask = (uint64_t{1} << kOffsetBits) - 1;
constexpr size_t kMaxBlocks = size_t{1} << (48 - kOffsetBits);

using internal::AdviseHugePages;
using internal::SameBytes;
inline uint64_t Tag(uint64_t hash) { return hash >> 48; }
inline uint64_t SlotTag(uint64_t slot) { return slot >> 48; }
inline uint64_t SlotRef(uint64_t slot) { return (slot & kRefMask) - 1; }
inline uint64_t MakeSlot(uint64_t hash, uint64_t ref) { return (Tag(hash) << 48) | (ref + 1); }
inline uint32_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
// Slots for `count` strings at load <= 1/2.
size_t TableSizeFor(size_t count) { return std::bit_ceil(std::max(count * 2, kInitialSlots)); }
// Held while a table is built lazily. Rare and short-lived, so one for all pools.
std::mutex& TableMutex() {
  static std::mutex m;
  return m;
}
}  // namespace

void Interner::swap(Interner& other) noexcept {
  blocks_.swap(other.blocks_);
  std::swap(arena_bytes_, other.arena_bytes_);
  strings_.swap(other.strings_);
  slots_.swap(other.slots_);
  const bool indexed = indexed_.load(std::memory_order_relaxed);
  indexed_.store(other.indexed_.load(std::memory_order_relaxed), std::memory_order_relaxed);
  other.indexed_.store(indexed, std::memory_order_relaxed);
}

uint64_t Interner::HashOf(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }

// Inline at every probe: as a call it was 1% of loading text-heavy events.
[[gnu::always_inline]] inline const char* Interner::Entry(uint64_t slot) const {
  const uint64_t ref = SlotRef(slot);
  return blocks_[ref >> kOffsetBits].data.get() + (ref & kOffsetMask);
}

uint64_t Interner::Store(std::string_view text, StringId id) {
  if (text.size() > std::numeric_limits<uint32_t>::max())
    throw std::length_error("Interner: a string of 4 GiB or more");
  const size_t need = kEntryHeader + text.size();
  if (blocks_.empty() || blocks_.back().used + need > blocks_.back().size) {
    // Blocks double up to 16 MiB; an oversized string gets a block of its own.
    if (blocks_.size() == kMaxBlocks) throw std::length_error("Interner: more than 64 GiB of strings");
    const size_t next = blocks_.empty() ? kMinBlock : std::min(blocks_.back().size * 2, kMaxBlock);
    Block b;
    b.size = std::max(next, need);
    b.data = std::make_unique_for_overwrite<char[]>(b.size);
    // A hit compares the string in the arena, at a random place in blocks
    // of up to 16 MiB: huge pages spare that second miss a TLB walk.
    AdviseHugePages(b.data.get(), b.size);
    arena_bytes_ += b.size;
    blocks_.push_back(std::move(b));
  }
  Block& b = blocks_.back();
  char* dst = b.data.get() + b.used;
  const uint32_t len = static_cast<uint32_t>(text.size());
  std::memcpy(dst, &id, 4);
  std::memcpy(dst + 4, &len, 4);
  if (len != 0) std::memcpy(dst + kEntryHeader, text.data(), len);
  const uint64_t ref = (static_cast<uint64_t>(blocks_.size() - 1) << kOffsetBits) | b.used;
  b.used += need;
  strings_.emplace_back(dst + kEntryHeader, len);
  return ref;
}

void Interner::EnsureTable() const {
  if (indexed_.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lock(TableMutex());
  if (indexed_.load(std::memory_order_relaxed)) return;
  Rebuild(TableSizeFor(strings_.size()));
  indexed_.store(true, std::memory_order_release);
}

void Interner::Rebuild(size_t size) const {
  // Walks the arena in order (sequential reads) and hashes every string again:
  // the slots keep only 16 bits of the hash.
  internal::ZeroedTable slots(size);
  const size_t mask = size - 1;
  for (size_t b = 0; b < blocks_.size(); ++b) {
    const char* base = blocks_[b].data.get();
    for (size_t off = 0; off < blocks_[b].used;) {
      const uint32_t len = Load32(base + off + 4);
      const uint64_t hash = HashOf(std::string_view(base + off + kEntryHeader, len));
      size_t pos = hash & mask;
      while (slots[pos] != 0) pos = (pos + 1) & mask;
      slots[pos] = MakeSlot(hash, (static_cast<uint64_t>(b) << kOffsetBits) | off);
      off += kEntryHeader + len;
    }
  }
  slots_.swap(slots);
}

void Interner::PrefetchEntry(uint64_t hash) const {
  if (!indexed_.load(std::memory_order_acquire)) return;
  if (const uint64_t slot = slots_[hash & (slots_.size() - 1)]) __builtin_prefetch(Entry(slot));
}

void Interner::Reserve(size_t n) {
  strings_.reserve(n);
  const size_t size = TableSizeFor(std::max(n, strings_.size()));
  if (!indexed_.load(std::memory_order_acquire)) {  // a writer: no reader runs EnsureTable meanwhile
    Rebuild(size);
    indexed_.store(true, std::memory_order_release);
  } else if (size > slots_.size()) {
    Rebuild(size);
  }
}

StringId Interner::Probe(std::string_view text, uint64_t hash, size_t* empty_pos) const {
  const uint64_t tag = Tag(hash);
  const size_t mask = slots_.size() - 1;
  size_t pos = hash & mask;
  while (const uint64_t slot = slots_[pos]) {
    if (SlotTag(slot) == tag) {
      const char* e = Entry(slot);
      if (Load32(e + 4) == text.size() && SameBytes(e + kEntryHeader, text.data(), text.size())) return Load32(e);
    }
    pos = (pos + 1) & mask;
  }
  *empty_pos = pos;
  return kNoString;
}

StringId Interner::Find(std::string_view text, uint64_t hash) const {
  EnsureTable();
  size_t pos = 0;  // set by Probe when it returns kNoString
  return Probe(text, hash, &pos);
}

StringId Interner::Intern(std::string_view text, uint64_t hash) {
  EnsureTable();
  size_t pos = 0;  // set by Probe when it returns kNoString
  if (const StringId found = Probe(text, hash, &pos); found != kNoString) return found;
  const StringId id = static_cast<StringId>(strings_.size());
  slots_[pos] = MakeSlot(hash, Store(text, id));
  if (strings_.size() * 2 > slots_.size()) Rebuild(slots_.size() * 2);
  return id;
}

std::vector<std::string_view> Interner::Arena() const {
  std::vector<std::string_view> parts;
  for (const Block& b : blocks_) parts.emplace_back(b.data.get(), b.used);
  return parts;
}

bool Interner::Restore(std::unique_ptr<char[]> block, size_t size, size_t count) {
  *this = Interner();
  // Every entry takes at least its header: a count the size cannot hold is
  // refused before anything is allocated for it.
  if (count >= kNoString || count > size / kEntryHeader || size > kOffsetMask) return false;
  const char* base = block.get();
  std::vector<std::string_view> strings;
  strings.reserve(count);
  AdviseHugePages(strings.data(), count * sizeof(std::string_view));
  size_t off = 0;
  for (size_t id = 0; id < count; ++id) {
    if (size - off < kEntryHeader || Load32(base + off) != id) return false;
    const uint32_t len = Load32(base + off + 4);
    if (len > size - off - kEntryHeader) return false;
    strings.emplace_back(base + off + kEntryHeader, len);
    off += kEntryHeader + len;
  }
  if (off != size) return false;
  if (size > 0) {
    Block b;
    b.data = std::move(block);
    b.size = b.used = size;
    blocks_.push_back(std::move(b));
    arena_bytes_ = size;
  }
  strings_ = std::move(strings);
  return true;
}

size_t Interner::MemoryBytes() const {
  const size_t table = indexed_.load(std::memory_order_acquire) ? slots_.size() * sizeof(uint64_t) : 0;
  return arena_bytes_ + strings_.capacity() * sizeof(std::string_view) + table;
}

}  // namespace lockstep
