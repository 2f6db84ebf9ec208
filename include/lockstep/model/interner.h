// Interner: maps strings to dense ids 0, 1, 2, ... in first-seen order.
// Strings live in an arena owned by the interner; string_views it returns stay
// valid for its lifetime (moves included). Lookup is O(1) expected: open
// addressing on XXH3 whose slots point straight at the arena entry, so a
// lookup touches one slot and one arena line. Not thread-safe for writes;
// concurrent reads are fine.
#ifndef LOCKSTEP_MODEL_INTERNER_H_
#define LOCKSTEP_MODEL_INTERNER_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <string_view>
#include <vector>

namespace lockstep {

namespace internal {
// Asks for transparent huge pages on the whole 2 MiB pages of [data, data +
// bytes), before anything touches them: memory written once in order (a
// column, an arena) then costs a page fault per 2 MiB instead of per 4 KiB.
// A hint; failure, or memory already touched, is harmless.
void AdviseHugePages(const void* data, size_t bytes);

// Allocates blocks of 2 MiB or more on 2 MiB boundaries and asks the kernel
// for transparent huge pages there: a hash table probed at random then costs
// one TLB entry per 2 MiB instead of one per 4 KiB.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n);
  void deallocate(T* p, size_t n) { ::operator delete(p, std::align_val_t(Alignment(n))); }
  static size_t Alignment(size_t n) { return n * sizeof(T) >= (size_t{2} << 20) ? size_t{2} << 20 : alignof(T); }
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};
}  // namespace internal

using StringId = uint32_t;
inline constexpr StringId kNoString = std::numeric_limits<StringId>::max();

class Interner {
 public:
  Interner();
  Interner(Interner&&) noexcept = default;
  Interner& operator=(Interner&&) noexcept = default;
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
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]); }
  // The second stage of Prefetch(hash), once its slot has had time to arrive:
  // starts loading the string that slot holds, which a hit compares.
  void PrefetchEntry(uint64_t hash) const;
  // Prepares for `n` strings in all without rehashing.
  void Reserve(size_t n);
  // Heap bytes held: arena, views and table.
  size_t MemoryBytes() const;

  using Table = std::vector<uint64_t, internal::HugePageAllocator<uint64_t>>;

  // Snapshot support. The arena is a sequence of entries, one a string in id
  // order: 4 bytes id, 4 bytes length (both little-endian), the bytes.
  // Arena() is the used part of each arena block in order, concatenated by
  // the caller.
  std::vector<std::string_view> Arena() const;

  // The compact form of the table that snapshot version 3 stores instead of
  // the table itself, which is at least half empty: for each id in order,
  // (hash >> 48) << 48 | its slot in a table of CompactTableSize(size())
  // slots filled in id order. That size follows from the count alone, so a
  // snapshot cannot ask for a table out of proportion to its strings.
  // Hashes every string: O(size()), for saving, not for lookups.
  std::vector<uint64_t> SlotsById() const;
  static size_t CompactTableSize(size_t count);
  // Restore from the arena as above and SlotsById(), adopting `block` (`size`
  // bytes holding `count` entries): `slots_by_id` points at
  // `count` such values (any alignment). One pass over the arena places
  // every slot; nothing is hashed. Returns false, leaving the pool empty,
  // unless table_size == CompactTableSize(count), every entry is well-formed
  // and in id order, and every slot is in the table and named once.
  bool Restore(std::unique_ptr<char[]> block, size_t size, size_t count, size_t table_size, const void* slots_by_id);

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
  void Rebuild(size_t slots);

  std::vector<Block> blocks_;
  size_t arena_bytes_ = 0;
  std::vector<std::string_view> strings_;
  // Open addressing, linear probing from the hash's low bits; size a power of
  // two, load <= 1/2. A slot is (hash >> 48) << 48 | (ref + 1), 0 = empty,
  // where ref = block << 36 | offset of the entry in the block.
  Table slots_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_INTERNER_H_
