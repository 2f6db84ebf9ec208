#include "lockstep/model/interner.h"

#include <cstring>

#include <xxhash.h>

namespace lockstep {

namespace {
constexpr size_t kMinBlock = 64 * 1024;
constexpr size_t kInitialSlots = 1024;
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
  std::vector<uint32_t> slots(slots_.size() * 2, 0);
  const size_t mask = slots.size() - 1;
  for (uint32_t id = 0; id < strings_.size(); ++id) {
    size_t pos = Hash(strings_[id]) & mask;
    while (slots[pos] != 0) pos = (pos + 1) & mask;
    slots[pos] = id + 1;
  }
  slots_.swap(slots);
}

StringId Interner::Find(std::string_view text) const {
  const uint64_t h = Hash(text);
  const size_t mask = slots_.size() - 1;
  size_t pos = h & mask;
  while (uint32_t slot = slots_[pos]) {
    const uint32_t id = slot - 1;
    if (hashes_[id] == static_cast<uint32_t>(h >> 32) && strings_[id] == text) return id;
    pos = (pos + 1) & mask;
  }
  return kNoString;
}

StringId Interner::Intern(std::string_view text) {
  const uint64_t h = Hash(text);
  const uint32_t tag = static_cast<uint32_t>(h >> 32);
  size_t mask = slots_.size() - 1;
  size_t pos = h & mask;
  while (uint32_t slot = slots_[pos]) {
    const uint32_t id = slot - 1;
    if (hashes_[id] == tag && strings_[id] == text) return id;
    pos = (pos + 1) & mask;
  }
  const StringId id = static_cast<StringId>(strings_.size());
  strings_.push_back(Store(text));
  hashes_.push_back(tag);
  slots_[pos] = id + 1;
  if (strings_.size() * 2 > slots_.size()) Grow();  // load factor <= 0.5
  return id;
}

size_t Interner::MemoryBytes() const {
  return arena_bytes_ + strings_.capacity() * sizeof(std::string_view) +
         hashes_.capacity() * sizeof(uint32_t) + slots_.capacity() * sizeof(uint32_t);
}

}  // namespace lockstep
