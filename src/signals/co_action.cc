#include "lockstep/signals/co_action.h"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "signals/pair_map.h"

namespace lockstep {

namespace {

using internal::PairFirst;
using internal::PairKey;
using internal::PairMap;
using internal::PairSecond;

struct Accumulator {
  uint32_t weight = 0;
  uint32_t keys = 0;
  uint64_t pairs = 0;
  int64_t sum_delta = 0;
  int64_t min_delta = INT64_MAX;
  uint32_t last_key = UINT32_MAX;   // for distinct keys
  uint32_t last_event = UINT32_MAX; // for distinct messages
};

// Whether actions at times ti <= tj co-act.
struct WindowRule {
  int64_t window;
  bool bins;
  bool Within(int64_t ti, int64_t tj) const {
    if (!bins) return tj - ti <= window;
    if (window == 0) return ti == tj;
    auto bin = [this](int64_t t) { return t >= 0 ? t / window : (t - window + 1) / window; };
    return bin(ti) == bin(tj);
  }
};

// Action pairs within the window in one time-sorted group (two pointers).
uint64_t PairWork(std::span<const Action> group, const WindowRule& rule) {
  uint64_t work = 0;
  size_t j = 0;
  for (size_t i = 0; i < group.size(); ++i) {
    if (j < i + 1) j = i + 1;
    while (j < group.size() && rule.Within(group[i].time, group[j].time)) ++j;
    work += j - i - 1;
  }
  return work;
}

void AddPair(Accumulator& acc, int64_t delta) {
  ++acc.pairs;
  acc.sum_delta += delta;
  acc.min_delta = std::min(acc.min_delta, delta);
}

// Undirected weights (keys, pairs): each thread takes a contiguous range of keys.
void RunUndirected(const ObjectKeys& keys, const std::vector<uint8_t>& saturated, const WindowRule& rule,
                   size_t key_begin, size_t key_end, PairMap<Accumulator>* map) {
  for (size_t k = key_begin; k < key_end; ++k) {
    if (saturated[k]) continue;
    const auto group = keys.Key(k);
    for (size_t i = 0; i < group.size(); ++i) {
      for (size_t j = i + 1; j < group.size() && rule.Within(group[i].time, group[j].time); ++j) {
        const AccountIndex a = group[i].account, b = group[j].account;
        if (a == b) continue;
        Accumulator& acc = map->Get(a < b ? PairKey(a, b) : PairKey(b, a));
        AddPair(acc, group[j].time - group[i].time);
        if (acc.last_key != k) {
          acc.last_key = static_cast<uint32_t>(k);
          ++acc.keys;
        }
      }
    }
  }
}

// Directed message weights: each thread takes a range of events; for each
// event, the distinct other accounts acting on any of its keys within the
// window each gain one message.
void RunMessages(const ObjectKeys& keys, const std::vector<uint8_t>& saturated, const WindowRule& rule,
                 const std::vector<uint64_t>& event_offsets, const std::vector<uint64_t>& event_actions,
                 size_t event_begin, size_t event_end, PairMap<Accumulator>* map) {
  std::vector<std::pair<AccountIndex, int64_t>> partners;
  for (size_t e = event_begin; e < event_end; ++e) {
    if (event_offsets[e] == event_offsets[e + 1]) continue;
    partners.clear();
    AccountIndex self = 0;
    for (uint64_t x = event_offsets[e]; x < event_offsets[e + 1]; ++x) {
      const uint64_t p = event_actions[x];
      const Action& me = keys.actions[p];
      self = me.account;
      if (saturated[me.key]) continue;
      const uint64_t lo = keys.key_offsets[me.key], hi = keys.key_offsets[me.key + 1];
      for (uint64_t q = p; q-- > lo && rule.Within(keys.actions[q].time, me.time);)
        if (keys.actions[q].account != self) partners.emplace_back(keys.actions[q].account, me.time - keys.actions[q].time);
      for (uint64_t q = p + 1; q < hi && rule.Within(me.time, keys.actions[q].time); ++q)
        if (keys.actions[q].account != self) partners.emplace_back(keys.actions[q].account, keys.actions[q].time - me.time);
    }
    for (const auto& [other, delta] : partners) {
      Accumulator& acc = map->Get(PairKey(self, other));
      AddPair(acc, delta);
      if (acc.last_event != e) {
        acc.last_event = static_cast<uint32_t>(e);
        ++acc.weight;
      }
    }
  }
}

}  // namespace

CoActionSignal::CoActionSignal(const ObjectKeys& keys, CoActionOptions options) : keys_(keys), options_(options) {}

Status CoActionSignal::Run() {
  if (options_.window_seconds < 0)
    return Status::InvalidArgument(fmt::format("window must be >= 0 seconds, got {}", options_.window_seconds));
  if (options_.fixed_bins && options_.window_seconds == 0)
    return Status::InvalidArgument("fixed bins need a window of at least 1 second, got 0");
  if (options_.threads < 1) return Status::InvalidArgument(fmt::format("threads must be >= 1, got {}", options_.threads));
  if (options_.min_weight < 1) return Status::InvalidArgument("min_weight must be >= 1, got 0");
  const WindowRule rule{options_.window_seconds, options_.fixed_bins};
  const size_t num_keys = keys_.num_keys();

  // Popularity and the work bound.
  key_accounts_.assign(num_keys, 0);
  std::vector<uint8_t> saturated(num_keys, 0);
  std::vector<uint64_t> work(num_keys, 0);
  {
    std::vector<uint32_t> seen_at;
    for (size_t k = 0; k < num_keys; ++k) {
      const auto group = keys_.Key(k);
      for (const Action& a : group) {
        if (seen_at.size() <= a.account) seen_at.resize(a.account + 1, UINT32_MAX);
        if (seen_at[a.account] != k) {
          seen_at[a.account] = static_cast<uint32_t>(k);
          ++key_accounts_[k];
        }
      }
      work[k] = PairWork(group, rule);
      if (options_.max_pairs_per_key > 0 && work[k] > options_.max_pairs_per_key) {
        saturated[k] = 1;
        saturated_.push_back({static_cast<uint32_t>(k), static_cast<uint32_t>(group.size()), key_accounts_[k], work[k]});
      } else {
        pair_work_ += work[k];
      }
    }
    key_pair_work_ = work;
    std::sort(saturated_.begin(), saturated_.end(),
              [](const KeyPopularity& x, const KeyPopularity& y) { return x.pair_work > y.pair_work; });
  }

  const int threads = std::max(1, options_.threads);
  std::vector<PairMap<Accumulator>> maps(threads);
  std::vector<std::thread> workers;
  std::vector<uint64_t> offsets, positions;  // outlive the workers
  if (options_.weight == CoActionWeight::kMessages) {
    // Each event's action positions, so an event is handled by one thread.
    const size_t num_events = keys_.dataset->events.size();
    offsets.assign(num_events + 1, 0);
    for (const Action& a : keys_.actions) ++offsets[a.event + 1];
    for (size_t e = 0; e < num_events; ++e) offsets[e + 1] += offsets[e];
    positions.resize(keys_.actions.size());
    std::vector<uint64_t> fill(offsets.begin(), offsets.end() - 1);
    for (uint64_t p = 0; p < keys_.actions.size(); ++p) positions[fill[keys_.actions[p].event]++] = p;
    for (int t = 0; t < threads; ++t) {
      const size_t begin = num_events * t / threads, end = num_events * (t + 1) / threads;
      workers.emplace_back(RunMessages, std::cref(keys_), std::cref(saturated), rule, std::cref(offsets),
                           std::cref(positions), begin, end, &maps[t]);
    }
  } else {
    // Contiguous key ranges of roughly equal pair work.
    std::vector<size_t> bounds{0};
    uint64_t acc = 0;
    for (size_t k = 0; k < num_keys; ++k) {
      acc += saturated[k] ? 0 : work[k] + keys_.Key(k).size();
      if (bounds.size() < static_cast<size_t>(threads) &&
          acc >= (pair_work_ + keys_.actions.size()) * bounds.size() / threads)
        bounds.push_back(k + 1);
    }
    while (bounds.size() <= static_cast<size_t>(threads)) bounds.push_back(num_keys);
    for (int t = 0; t < threads; ++t)
      workers.emplace_back(RunUndirected, std::cref(keys_), std::cref(saturated), rule, bounds[t], bounds[t + 1],
                           &maps[t]);
  }
  for (std::thread& w : workers) w.join();

  // Merge: thread maps are disjoint in keys (undirected) or events
  // (messages), so weights add up exactly.
  std::vector<std::pair<uint64_t, Accumulator>> all;
  for (auto& m : maps) {
    all.insert(all.end(), m.entries().begin(), m.entries().end());
    m = PairMap<Accumulator>();
  }
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  edges_.clear();
  for (size_t i = 0; i < all.size();) {
    Accumulator merged = all[i].second;
    size_t j = i + 1;
    for (; j < all.size() && all[j].first == all[i].first; ++j) {
      const Accumulator& o = all[j].second;
      merged.weight += o.weight;
      merged.keys += o.keys;
      merged.pairs += o.pairs;
      merged.sum_delta += o.sum_delta;
      merged.min_delta = std::min(merged.min_delta, o.min_delta);
    }
    CoActionEdge edge{PairFirst(all[i].first), PairSecond(all[i].first), 0, merged.keys, merged.pairs, merged.sum_delta,
                      merged.min_delta};
    switch (options_.weight) {
      case CoActionWeight::kKeys: edge.weight = merged.keys; break;
      case CoActionWeight::kPairs: edge.weight = static_cast<uint32_t>(std::min<uint64_t>(merged.pairs, UINT32_MAX)); break;
      case CoActionWeight::kMessages: edge.weight = merged.weight; break;
    }
    if (edge.weight >= options_.min_weight) edges_.push_back(edge);
    i = j;
  }
  ran_ = true;
  return Status::Ok();
}

const std::vector<CoActionEdge>& CoActionSignal::edges() const {
  static const std::vector<CoActionEdge> kNone;
  return ran_ ? edges_ : kNone;
}
const std::vector<KeyPopularity>& CoActionSignal::saturated_keys() const { return saturated_; }
const std::vector<uint32_t>& CoActionSignal::key_accounts() const { return key_accounts_; }

std::string CoActionSignal::Explain(const CoActionEdge& edge) const {
  const Dataset& ds = *keys_.dataset;
  std::string how = options_.fixed_bins ? fmt::format("in the same {} s bin", options_.window_seconds)
                                        : fmt::format("within {} s", options_.window_seconds);
  std::string out = fmt::format("{} and {} acted on the same {} key {} time{} {}", ds.AccountId(edge.a),
                                ds.AccountId(edge.b), SignalName(keys_.kind).substr(3), edge.pairs,
                                edge.pairs == 1 ? "" : "s", how);
  if (options_.weight != CoActionWeight::kMessages) out += fmt::format(" ({} distinct)", edge.keys);
  out += fmt::format(", {:.0f} s apart on average, closest {} s", edge.mean_delta(), edge.min_delta);
  return out;
}

}  // namespace lockstep
