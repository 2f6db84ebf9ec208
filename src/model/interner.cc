#include "lockstep/model/interner.h"

#include <bit>
#include <cstring>

#include <xxhash.h>

namespace lockstep {

namespace {
constexpr size_t kMinBlock = 64 * 1024;
constexpr size_t kInitialSlots = 1024;

inline uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }
inline uint32_t SlotTag(uint64_t slot) { return static_cast<uint32_t>(slot >> 32); }
inline uint32_t SlotId(uint64_t slot) { return static_cast<uint32_t>(slot) - 1; }
}  // namespace

Interner::Interner() : slots_(kInitialSlots, 0) {}

uint64_t Interner::Hash(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }

std::string_view Interner::Store(std::string_view text) {
  if (text.empty()) return std::string_view();
  if (blocks_.empty() || block_used_ + text.size() > block_size_) {
    // Blocks double up to 16 MiB; an oversized string gets a block of its own.
    size_t next = blocks_.empty() ? kMinBlock : std::min<size_t>(block_size_ * 2, 16u << 20);
    block_size_ = std::max(next, text.size());
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    arena_bytes_ += block_size_;
    block_used_ = 0;
  }
  char* dst = blocks_.back().get() + block_used_;
  std::memcpy(dst, text.data(), text.size());
  block_used_ += text.size();
  return std::string_view(dst, text.size());
}

void Interner::Grow() {
  std::vector<uint64_t> slots(slots_.size() * 2, 0);
  const size_t mask = slots.size() - 1;
  for (uint64_t slot : slots_) {
    if (slot == 0) continue;
    size_t pos = SlotTag(slot) & mask;
    while (slots[pos] != 0) pos = (pos + 1) & mask;
    slots[pos] = slot;
  }
  slots_.swap(slots);
}

void Interner::Prefetch(std::string_view text) const {
  const uint32_t tag = Tag(Hash(text));
  __builtin_prefetch(&slots_[tag & (slots_.size() - 1)]);
}

void Interner::Reserve(size_t n) {
  strings_.reserve(n);
  while (n * 2 > slots_.size()) Grow();
}

StringId Interner::Find(std::string_view text) const {
  const uint32_t tag = Tag(Hash(text));
  const size_t mask = slots_.size() - 1;
  size_t pos = tag & mask;
  while (uint64_t slot = slots_[pos]) {
    if (SlotTag(slot) == tag && strings_[SlotId(slot)] == text) return SlotId(slot);
    pos = (pos + 1) & mask;
  }
  return kNoString;
}

StringId Interner::Intern(std::string_view text) {
  const uint32_t tag = Tag(Hash(text));
  const size_t mask = slots_.size() - 1;
  size_t pos = tag & mask;
  while (uint64_t slot = slots_[pos]) {
    if (SlotTag(slot) == tag && strings_[SlotId(slot)] == text) return SlotId(slot);
    pos = (pos + 1) & mask;
  }
  const StringId id = static_cast<StringId>(strings_.size());
  strings_.push_back(Store(text));
  slots_[pos] = (static_cast<uint64_t>(tag) << 32) | (id + 1);
  if (strings_.size() * 2 > slots_.size()) Grow();
  return id;
}

bool Interner::Restore(std::string_view concatenated, const std::vector<uint64_t>& lengths, std::vector<uint64_t> table) {
  auto block = std::make_unique_for_overwrite<char[]>(concatenated.size());
  if (!concatenated.empty()) std::memcpy(block.get(), concatenated.data(), concatenated.size());
  return Restore(std::move(block), concatenated.size(), lengths, std::move(table));
}

bool Interner::Restore(std::unique_ptr<char[]> block, size_t size, const std::vector<uint64_t>& lengths,
                       std::vector<uint64_t> table) {
  *this = Interner();
  if (table.size() < kInitialSlots || !std::has_single_bit(table.size()) || lengths.size() * 2 > table.size())
    return false;
  size_t used = 0;
  for (uint64_t slot : table) {
    if (slot == 0) continue;
    if (static_cast<uint32_t>(slot) == 0 || SlotId(slot) >= lengths.size()) return false;
    ++used;
  }
  if (used != lengths.size()) return false;
  const char* base = block.get();
  strings_.reserve(lengths.size());
  size_t offset = 0;
  for (uint64_t len : lengths) {
    if (len > size - offset) {
      *this = Interner();
      return false;
    }
    strings_.emplace_back(len == 0 ? nullptr : base + offset, len);
    offset += len;
  }
  if (offset != size) {
    *this = Interner();
    return false;
  }
  if (size > 0) {
    blocks_.push_back(std::move(block));
    block_size_ = block_used_ = arena_bytes_ = size;
  }
  slots_ = std::move(table);
  return true;
}

size_t Interner::MemoryBytes() const {
  return arena_bytes_ + strings_.capacity() * sizeof(std::string_view) + slots_.capacity() * sizeof(uint64_t);
}

}  // namespace lockstep
