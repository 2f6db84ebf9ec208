// PairMap: an open-addressing hash map from an account pair to a value,
// for accumulating edges. Internal to lockstep::signals.
#ifndef LOCKSTEP_SRC_SIGNALS_PAIR_MAP_H_
#define LOCKSTEP_SRC_SIGNALS_PAIR_MAP_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace lockstep::internal {

inline uint64_t PairKey(uint32_t a, uint32_t b) { return (static_cast<uint64_t>(a) << 32) | b; }
inline uint32_t PairFirst(uint64_t key) { return static_cast<uint32_t>(key >> 32); }
inline uint32_t PairSecond(uint64_t key) { return static_cast<uint32_t>(key); }

template <typename Value>
class PairMap {
 public:
  PairMap() : slots_(1024, kEmpty) {}

  // The value of `key`, default-constructed on first use. The reference is
  // valid until the next Get of a new key.
  Value& Get(uint64_t key) {
    size_t mask = slots_.size() - 1;
    size_t pos = Mix(key) & mask;
    while (slots_[pos] != kEmpty) {
      if (entries_[slots_[pos]].first == key) return entries_[slots_[pos]].second;
      pos = (pos + 1) & mask;
    }
    slots_[pos] = static_cast<uint32_t>(entries_.size());
    entries_.emplace_back(key, Value{});
    if (entries_.size() * 2 > slots_.size()) {
      Grow();
    }
    return entries_.back().second;
  }

  // The value of `key`, or null if it was never got.
  const Value* Find(uint64_t key) const {
    const size_t mask = slots_.size() - 1;
    for (size_t pos = Mix(key) & mask; slots_[pos] != kEmpty; pos = (pos + 1) & mask)
      if (entries_[slots_[pos]].first == key) return &entries_[slots_[pos]].second;
    return nullptr;
  }

  std::vector<std::pair<uint64_t, Value>>& entries() { return entries_; }
  size_t size() const { return entries_.size(); }

 private:
  static constexpr uint32_t kEmpty = 0xffffffffu;
  static uint64_t Mix(uint64_t x) {  // splitmix64 finaliser
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
  }
  void Grow() {
    std::vector<uint32_t> slots(slots_.size() * 2, kEmpty);
    const size_t mask = slots.size() - 1;
    for (uint32_t i = 0; i < entries_.size(); ++i) {
      size_t pos = Mix(entries_[i].first) & mask;
      while (slots[pos] != kEmpty) pos = (pos + 1) & mask;
      slots[pos] = i;
    }
    slots_.swap(slots);
  }

  std::vector<uint32_t> slots_;
  std::vector<std::pair<uint64_t, Value>> entries_;
};

}  // namespace lockstep::internal

#endif  // LOCKSTEP_SRC_SIGNALS_PAIR_MAP_H_
