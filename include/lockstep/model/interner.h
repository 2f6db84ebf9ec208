// Interner: maps strings to dense ids 0, 1, 2, ... in first-seen order.
// Strings live in an arena owned by the interner; string_views it returns stay
// valid for its lifetime (moves included). Lookup is O(1) expected (open
// addressing on XXH3). Not thread-safe for writes; concurrent reads are fine.
#ifndef LOCKSTEP_MODEL_INTERNER_H_
#define LOCKSTEP_MODEL_INTERNER_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace lockstep {

using StringId = uint32_t;
inline constexpr StringId kNoString = std::numeric_limits<StringId>::max();

class Interner {
 public:
  Interner();
  Interner(Interner&&) noexcept = default;
  Interner& operator=(Interner&&) noexcept = default;
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;

  // The id of `text`, adding it if new.
  StringId Intern(std::string_view text);
  // The id of `text`, or kNoString if it was never interned.
  StringId Find(std::string_view text) const;
  // The string of an id < size().
  std::string_view Get(StringId id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }
  // Hints that `text` is about to be interned or found: starts loading its
  // hash-table slot so that several lookups of one row overlap their
  // cache misses. Has no effect on results.
  void Prefetch(std::string_view text) const;
  // Prepares for `n` strings in all without rehashing.
  void Reserve(size_t n);
  // Heap bytes held: arena, views and table.
  size_t MemoryBytes() const;

  // Snapshot support: the hash table as it stands, and a pool rebuilt from
  // its strings (concatenated in id order, with their lengths) and that table
  // without hashing anything. Restore returns false, leaving the pool empty,
  // if the parts do not fit together.
  const std::vector<uint64_t>& table() const { return slots_; }
  bool Restore(std::string_view concatenated, const std::vector<uint64_t>& lengths, std::vector<uint64_t> table);
  // The same, taking ownership of the block holding the strings (no copy).
  bool Restore(std::unique_ptr<char[]> block, size_t size, const std::vector<uint64_t>& lengths,
               std::vector<uint64_t> table);

 private:
  static uint64_t Hash(std::string_view text);
  std::string_view Store(std::string_view text);
  void Grow();

  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  size_t arena_bytes_ = 0;
  std::vector<std::string_view> strings_;
  // Open addressing, linear probing; size a power of two, load <= 1/2.
  // A slot is (upper 32 bits of the hash << 32) | (id + 1); 0 = empty. The
  // probe starts at the hash's upper bits, so growing needs no rehashing.
  std::vector<uint64_t> slots_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_INTERNER_H_
