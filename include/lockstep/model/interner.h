// Interner: maps strings to dense ids 0, 1, 2, ... in first-seen order.
// Strings live in an arena owned by the interner; string_views it returns stay
// valid for its lifetime (moves included). Lookup is O(1) expected: open
// addressing on XXH3 whose slots point straight at the arena entry, so a
// lookup touches one slot and one arena line. The table is built at the
// first lookup, not before: a pool restored from a snapshot and only ever
// read by id (most are) never hashes a string. Not thread-safe for writes;
// concurrent reads (Find included) are fine.
#ifndef LOCKSTEP_MODEL_INTERNER_H_
#define LOCKSTEP_MODEL_INTERNER_H_

#include <atomic>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace lockstep {

namespace internal {
// Asks for transparent huge pages on the whole 2 MiB pages of [data, data +
// bytes), before anything touches them: memory written once in order (a
// column, an arena) then costs a page fault per 2 MiB instead of per 4 KiB.
// A hint; failure, or memory already touched, is harmless.
void AdviseHugePages(const void* data, size_t bytes);

// Whether the `size` bytes at a and b are equal. Ids are mostly 4 to 16
// bytes: two overlapping loads compare those without a call.
inline bool SameBytes(const char* a, const char* b, size_t size) {
  auto load64 = [](const char* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  auto load32 = [](const char* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  if (size >= 8 && size <= 16) return load64(a) == load64(b) && load64(a + size - 8) == load64(b + size - 8);
  if (size >= 4 && size < 8) return load32(a) == load32(b) && load32(a + size - 4) == load32(b + size - 4);
  return std::memcmp(a, b, size) == 0;
}

// `size` uint64_t, all zero, in memory the kernel hands out already zeroed:
// 2 MiB or more is mapped on 2 MiB boundaries with transparent huge pages
// asked for (a hash table probed at random then costs one TLB entry per
// 2 MiB instead of per 4 KiB), less comes from calloc. Nothing writes the
// zeros again, so each page is touched first by whoever fills the table:
// a value-initialised vector would zero every page twice, the kernel once
// and memset once.
class ZeroedTable {
 public:
  ZeroedTable() = default;
  explicit ZeroedTable(size_t size);  // throws std::bad_alloc
  ZeroedTable(ZeroedTable&& other) noexcept { swap(other); }
  ZeroedTable& operator=(ZeroedTable&& other) noexcept {
    swap(other);
    return *this;
  }
  ZeroedTable(const ZeroedTable&) = delete;
  ZeroedTable& operator=(const ZeroedTable&) = delete;
  ~ZeroedTable();

  void swap(ZeroedTable& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(mapped_bytes_, other.mapped_bytes_);
  }
  size_t size() const { return size_; }
  uint64_t& operator[](size_t i) { return data_[i]; }
  const uint64_t& operator[](size_t i) const { return data_[i]; }

 private:
  uint64_t* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_bytes_ = 0;  // 0: from calloc
};
}  // namespace internal

using StringId = uint32_t;
inline constexpr StringId kNoString = std::numeric_limits<StringId>::max();

class Interner {
 public:
  Interner() = default;
  // A moved-from pool is empty, or holds what the target held.
  Interner(Interner&& other) noexcept { swap(other); }
  Interner& operator=(Interner&& other) noexcept {
    swap(other);
    return *this;
  }
  void swap(Interner& other) noexcept;
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;

  // The hash the table uses for `text`. Callers that look one string up more
  // than once (Prefetch, then Intern) compute it once and pass it on.
  static uint64_t HashOf(std::string_view text);

  // The id of `text`, adding it if new. Throws std::length_error for a string
  // of 4 GiB or more, or past 64 GiB of strings in one pool.
  StringId Intern(std::string_view text) { return Intern(text, HashOf(text)); }
  // The same with hash == HashOf(text).
  StringId Intern(std::string_view text, uint64_t hash);
  // The id of `text`, or kNoString if it was never interned.
  StringId Find(std::string_view text) const { return Find(text, HashOf(text)); }
  StringId Find(std::string_view text, uint64_t hash) const;
  // The string of an id < size().
  std::string_view Get(StringId id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }
  // Hints that a string is about to be interned or found: starts loading its
  // hash-table slot so that several lookups of one row overlap their cache
  // misses. Has no effect on results.
  void Prefetch(std::string_view text) const { Prefetch(HashOf(text)); }
  void Prefetch(uint64_t hash) const {
    if (indexed_.load(std::memory_order_acquire)) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }
  // The second stage of Prefetch(hash), once its slot has had time to arrive:
  // starts loading the string that slot holds, which a hit compares.
  void PrefetchEntry(uint64_t hash) const;
  // Prepares for `n` strings in all without rehashing.
  void Reserve(size_t n);
  // Heap bytes held: arena, views and table.
  size_t MemoryBytes() const;

  // Snapshot support. The arena is a sequence of entries, one a string in id
  // order: 4 bytes id, 4 bytes length (both little-endian), the bytes.
  // Arena() is the used part of each arena block in order, concatenated by
  // the caller.
  std::vector<std::string_view> Arena() const;

  // Restores the pool from such an arena, adopting `block` (`size` bytes
  // holding `count` entries): one pass records where each string is; the
  // table waits for the first lookup. Returns false, leaving the pool empty,
  // unless every entry is well-formed and in id order and they fill `size`.
  bool Restore(std::unique_ptr<char[]> block, size_t size, size_t count);

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size = 0;
    size_t used = 0;
  };
  const char* Entry(uint64_t slot) const;
  // The id of `text`, or kNoString and the empty slot where it would go.
  StringId Probe(std::string_view text, uint64_t hash, size_t* empty_pos) const;
  uint64_t Store(std::string_view text, StringId id);
  // Builds the table if there is none yet. Safe to call from concurrent
  // readers: one builds it, the others wait.
  void EnsureTable() const;
  void Rebuild(size_t slots) const;

  std::vector<Block> blocks_;
  size_t arena_bytes_ = 0;
  std::vector<std::string_view> strings_;
  // Open addressing, linear probing from the hash's low bits; size a power of
  // two, load <= 1/2. A slot is (hash >> 48) << 48 | (ref + 1), 0 = empty,
  // where ref = block << 36 | offset of the entry in the block. Empty until
  // EnsureTable; indexed_ tells whether it has been built.
  mutable internal::ZeroedTable slots_;
  mutable std::atomic<bool> indexed_{false};
};

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_INTERNER_H_
