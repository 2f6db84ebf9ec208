#include "lockstep/model/interner.h"

#include <algorithm>
#include <bit>
#include <cstring>
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

template <typename T>
T* HugePageAllocator<T>::allocate(size_t n) {
  const size_t align = Alignment(n);
  const size_t bytes = (n * sizeof(T) + align - 1) / align * align;
  void* p = ::operator new(bytes, std::align_val_t(align));
  if (align > alignof(T)) ::madvise(p, bytes, MADV_HUGEPAGE);  // a hint; failure is harmless
  return static_cast<T*>(p);
}
template struct HugePageAllocator<uint64_t>;
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
constexpr size_t kRestoreLookahead = 16;

using internal::AdviseHugePages;
inline uint64_t Tag(uint64_t hash) { return hash >> 48; }
inline uint64_t SlotTag(uint64_t slot) { return slot >> 48; }
inline uint64_t SlotRef(uint64_t slot) { return (slot & kRefMask) - 1; }
inline uint64_t MakeSlot(uint64_t hash, uint64_t ref) { return (Tag(hash) << 48) | (ref + 1); }
inline uint32_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
}  // namespace

Interner::Interner() : slots_(kInitialSlots, 0) {}

uint64_t Interner::HashOf(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }

const char* Interner::Entry(uint64_t slot) const {
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

void Interner::Rebuild(size_t size) {
  // Walks the arena in order (sequential reads) and hashes every string again:
  // the slots keep only 16 bits of the hash.
  Table slots(size, 0);
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
  if (const uint64_t slot = slots_[hash & (slots_.size() - 1)]) __builtin_prefetch(Entry(slot));
}

void Interner::Reserve(size_t n) {
  strings_.reserve(n);
  size_t size = slots_.size();
  while (n * 2 > size) size *= 2;
  if (size != slots_.size()) Rebuild(size);
}

StringId Interner::Probe(std::string_view text, uint64_t hash, size_t* empty_pos) const {
  const uint64_t tag = Tag(hash);
  const size_t mask = slots_.size() - 1;
  size_t pos = hash & mask;
  while (const uint64_t slot = slots_[pos]) {
    if (SlotTag(slot) == tag) {
      const char* e = Entry(slot);
      if (Load32(e + 4) == text.size() && std::memcmp(e + kEntryHeader, text.data(), text.size()) == 0)
        return Load32(e);
    }
    pos = (pos + 1) & mask;
  }
  *empty_pos = pos;
  return kNoString;
}

StringId Interner::Find(std::string_view text, uint64_t hash) const {
  size_t pos;
  return Probe(text, hash, &pos);
}

StringId Interner::Intern(std::string_view text, uint64_t hash) {
  size_t pos;
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

size_t Interner::CompactTableSize(size_t count) { return std::bit_ceil(std::max(count * 2, kInitialSlots)); }

std::vector<uint64_t> Interner::SlotsById() const {
  const size_t mask = CompactTableSize(strings_.size()) - 1;
  std::vector<uint8_t> taken(mask + 1, 0);
  std::vector<uint64_t> by_id(strings_.size());
  for (size_t id = 0; id < strings_.size(); ++id) {
    const uint64_t hash = HashOf(strings_[id]);
    size_t pos = hash & mask;
    while (taken[pos]) pos = (pos + 1) & mask;
    taken[pos] = 1;
    by_id[id] = (Tag(hash) << 48) | pos;
  }
  return by_id;
}

bool Interner::Restore(std::unique_ptr<char[]> block, size_t size, size_t count, size_t table_size,
                       const void* slots_by_id) {
  *this = Interner();
  if (count >= kNoString || table_size != CompactTableSize(count) || size > kOffsetMask) return false;
  const char* base = block.get();
  const char* by_id = static_cast<const char*>(slots_by_id);
  Table table(table_size, 0);
  std::vector<std::string_view> strings;
  strings.reserve(count);
  AdviseHugePages(strings.data(), count * sizeof(std::string_view));
  size_t off = 0;
  for (size_t id = 0; id < count; ++id) {
    if (size - off < kEntryHeader || Load32(base + off) != id) return false;
    const uint32_t len = Load32(base + off + 4);
    if (len > size - off - kEntryHeader) return false;
    uint64_t v;
    if (id + kRestoreLookahead < count) {
      // Slots are scattered over a table of tens of MiB: start loading the
      // one a few strings ahead so that the misses overlap.
      std::memcpy(&v, by_id + (id + kRestoreLookahead) * sizeof v, sizeof v);
      __builtin_prefetch(&table[v & (table_size - 1)], 1);
    }
    std::memcpy(&v, by_id + id * sizeof v, sizeof v);
    const uint64_t pos = v & kRefMask;
    if (pos >= table_size || table[pos] != 0) return false;  // outside the table, or a slot named twice
    table[pos] = (v & ~kRefMask) | (off + 1);
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
  slots_ = std::move(table);
  return true;
}

size_t Interner::MemoryBytes() const {
  return arena_bytes_ + strings_.capacity() * sizeof(std::string_view) + slots_.capacity() * sizeof(uint64_t);
}

}  // namespace lockstep
