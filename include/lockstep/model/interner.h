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
  // Heap bytes held: arena, views and table.
  size_t MemoryBytes() const;

 private:
  static uint64_t Hash(std::string_view text);
  std::string_view Store(std::string_view text);
  void Grow();

  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  size_t arena_bytes_ = 0;
  std::vector<std::string_view> strings_;
  std::vector<uint32_t> hashes_;  // low 32 bits of each string's hash
  std::vector<uint32_t> slots_;   // id + 1; 0 = empty. Size is a power of two.
};

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_INTERNER_H_
