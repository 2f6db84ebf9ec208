#include "lockstep/signals/co_action.h"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "lockstep/model/threads.h"

namespace lockstep {

namespace {

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

// One partner of the account being swept. `tag` is the key (undirected) or
// the event (messages) that last counted towards `distinct`; a source's
// actions are swept so that each key's (each event's) actions are
// consecutive, which makes the tag test a distinct count.
struct Partner {
  AccountIndex b;
  uint32_t tag;
  uint32_t distinct;
  uint64_t pairs;
  int64_t sum_delta;
  int64_t min_delta;
};

// An action with a partner, as its position in ObjectKeys::actions and the
// actions within the window around it on its key, [lo, hi) (itself
// included). Carrying the window saves the sweep two dependent random reads
// (the key's offsets and its saturation) per action.
struct SweepItem {
  uint32_t p;
  uint32_t lo;
  uint32_t hi;
};

// The active actions of each account.
struct ActionsByAccount {
  std::vector<uint64_t> offsets;    // account a: items [offsets[a], offsets[a+1])
  std::vector<SweepItem> items;
};

// Sweeps the accounts of [account_begin, account_end): for every action of
// account a, the actions of other accounts on the same key within the
// window. Undirected weights keep partners b > a, so each action pair is
// counted once, by its smaller account; messages keep every partner (a->b).
// `slot` (one entry per account, all kNoSlot) maps a partner to its Partner
// while a is swept and is left all kNoSlot again. Appends a's edges to
// `out` in (a, b) order.
class AccountSweep {
 public:
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  static constexpr size_t kPrefetch = 8;

  AccountSweep(const ObjectKeys& keys, const ActionsByAccount& by_account, const CoActionOptions& options,
               size_t num_accounts)
      : keys_(keys), by_account_(by_account), options_(options), slot_(num_accounts, kNoSlot) {}

  void Run(size_t account_begin, size_t account_end, std::vector<CoActionEdge>* out) {
    const bool messages = options_.weight == CoActionWeight::kMessages;
    for (size_t a = account_begin; a < account_end; ++a) {
      const uint64_t begin = by_account_.offsets[a], end = by_account_.offsets[a + 1];
      if (begin == end) continue;
      partners_.clear();
      for (uint64_t x = begin; x < end; ++x) {
        // The windows of the next accounts' actions are as scattered as
        // this one's; fetching them ahead hides most of the miss.
        if (x + kPrefetch < by_account_.items.size())
          __builtin_prefetch(&keys_.actions[by_account_.items[x + kPrefetch].lo]);
        const SweepItem item = by_account_.items[x];
        const Action& me = keys_.actions[item.p];
        const uint32_t tag = messages ? me.event : me.key;
        for (uint32_t q = item.lo; q < item.p; ++q)
          Visit(static_cast<AccountIndex>(a), keys_.actions[q].account, me.time - keys_.actions[q].time, tag, messages);
        for (uint32_t q = item.p + 1; q < item.hi; ++q)
          Visit(static_cast<AccountIndex>(a), keys_.actions[q].account, keys_.actions[q].time - me.time, tag, messages);
      }
      // Partners below min_weight are dropped before the sort: with a
      // minimum of 2 keys most partners (one key shared by chance) go here.
      size_t kept = 0;
      for (const Partner& m : partners_) {
        slot_[m.b] = kNoSlot;
        if (Weight(m) >= options_.min_weight) partners_[kept++] = m;
      }
      partners_.resize(kept);
      std::sort(partners_.begin(), partners_.end(), [](const Partner& x, const Partner& y) { return x.b < y.b; });
      for (const Partner& m : partners_)
        out->push_back({static_cast<AccountIndex>(a), m.b, Weight(m), messages ? 0 : m.distinct, m.pairs, m.sum_delta,
                        m.min_delta});
    }
  }

 private:
  uint32_t Weight(const Partner& m) const {
    switch (options_.weight) {
      case CoActionWeight::kKeys: return m.distinct;
      case CoActionWeight::kPairs: return static_cast<uint32_t>(std::min<uint64_t>(m.pairs, UINT32_MAX));
      case CoActionWeight::kMessages: return m.distinct;
    }
    return m.distinct;
  }

  void Visit(AccountIndex a, AccountIndex b, int64_t delta, uint32_t tag, bool messages) {
    if (b == a || (!messages && b < a)) return;
    uint32_t& s = slot_[b];
    if (s == kNoSlot) {
      s = static_cast<uint32_t>(partners_.size());
      partners_.push_back({b, tag, 1, 1, delta, delta});
      return;
    }
    Partner& m = partners_[s];
    ++m.pairs;
    m.sum_delta += delta;
    m.min_delta = std::min(m.min_delta, delta);
    if (m.tag != tag) {
      m.tag = tag;
      ++m.distinct;
    }
  }

  const ObjectKeys& keys_;
  const ActionsByAccount& by_account_;
  const CoActionOptions& options_;
  std::vector<uint32_t> slot_;
  std::vector<Partner> partners_;
};

// What one thread's scan of a key range found.
struct KeyScan {
  size_t num_accounts = 0;  // 1 + the largest account seen
  uint64_t pair_work = 0;   // of the keys not saturated
  std::vector<KeyPopularity> saturated;  // in key order
  std::vector<SweepItem> active;         // in key order
};

// Distinct accounts and pair work of keys [key_begin, key_end) into
// key_accounts[k] and key_work[k]; saturated keys and active actions into
// `scan`.
void ScanKeys(const ObjectKeys& keys, const WindowRule& rule, uint64_t max_pairs_per_key, size_t key_begin,
              size_t key_end, uint32_t* key_accounts, uint64_t* key_work, KeyScan* scan) {
  std::vector<uint32_t> seen_at;
  std::vector<uint8_t> has_partner;
  // seen_at is read at random (one slot per account); the accounts some
  // actions ahead are known, so their slots are fetched early.
  constexpr uint64_t kAhead = 16;
  const uint64_t range_end = keys.key_offsets[key_end];
  for (size_t k = key_begin; k < key_end; ++k) {
    const auto group = keys.Key(k);
    for (size_t i = 0; i < group.size(); ++i) {
      if (const uint64_t ahead = keys.key_offsets[k] + i + kAhead; ahead < range_end) {
        const AccountIndex next = keys.actions[ahead].account;
        if (next < seen_at.size()) __builtin_prefetch(&seen_at[next]);
      }
      const Action& a = group[i];
      if (seen_at.size() <= a.account) seen_at.resize(a.account + 1, UINT32_MAX);
      if (seen_at[a.account] != k) {
        seen_at[a.account] = static_cast<uint32_t>(k);
        ++key_accounts[k];
      }
    }
    const uint64_t work = key_work[k] = PairWork(group, rule);
    if (max_pairs_per_key > 0 && work > max_pairs_per_key) {
      scan->saturated.push_back({static_cast<uint32_t>(k), static_cast<uint32_t>(group.size()), key_accounts[k], work});
      continue;
    }
    scan->pair_work += work;
    if (work == 0) continue;
    has_partner.assign(group.size(), 0);
    for (size_t i = 0; i < group.size(); ++i)
      for (size_t j = i + 1; j < group.size() && rule.Within(group[i].time, group[j].time); ++j)
        if (group[i].account != group[j].account) has_partner[i] = has_partner[j] = 1;
    const auto base = static_cast<uint32_t>(keys.key_offsets[k]);
    for (size_t i = 0, lo = 0, hi = 0; i < group.size(); ++i) {
      while (!rule.Within(group[lo].time, group[i].time)) ++lo;
      if (hi < i + 1) hi = i + 1;
      while (hi < group.size() && rule.Within(group[i].time, group[hi].time)) ++hi;
      if (has_partner[i])
        scan->active.push_back({base + static_cast<uint32_t>(i), base + static_cast<uint32_t>(lo),
                                base + static_cast<uint32_t>(hi)});
    }
  }
  scan->num_accounts = seen_at.size();
}

}  // namespace

CoActionSignal::CoActionSignal(const ObjectKeys& keys, CoActionOptions options) : keys_(keys), options_(options) {}

Status CoActionSignal::Run() {
  if (options_.window_seconds < 0)
    return Status::InvalidArgument(fmt::format("window must be >= 0 seconds, got {}", options_.window_seconds));
  if (options_.fixed_bins && options_.window_seconds == 0)
    return Status::InvalidArgument("fixed bins need a window of at least 1 second, got 0");
  if (Status s = CheckThreads(options_.threads); !s.ok()) return s;
  if (options_.min_weight < 1) return Status::InvalidArgument("min_weight must be >= 1, got 0");
  if (keys_.actions.size() > UINT32_MAX)
    return Status::InvalidArgument(
        fmt::format("co-action handles at most {} actions, got {}", uint64_t{UINT32_MAX}, keys_.actions.size()));
  const WindowRule rule{options_.window_seconds, options_.fixed_bins};
  const size_t num_keys = keys_.num_keys();

  // Popularity and the work bound, in key order. The same pass lists the
  // active actions (those with an action of another account within the
  // window, on a key that is not saturated) in key order: on share data
  // most actions have none (2.8M of 10M on the 10M benchmark), and only
  // these need the random access of the sweep below. Threads take
  // contiguous key ranges of equal actions.
  const int threads = std::max(1, options_.threads);
  key_accounts_.assign(num_keys, 0);
  key_pair_work_.assign(num_keys, 0);
  std::vector<KeyScan> scans(threads);
  {
    std::vector<size_t> key_bounds{0};
    for (int t = 1; t < threads; ++t) {
      const uint64_t target = keys_.actions.size() * t / threads;
      key_bounds.push_back(std::max(key_bounds.back(),
                                    static_cast<size_t>(std::lower_bound(keys_.key_offsets.begin(),
                                                                         keys_.key_offsets.end() - 1, target) -
                                                        keys_.key_offsets.begin())));
    }
    key_bounds.push_back(num_keys);
    RunWorkers(threads, [&](int t) {
      ScanKeys(keys_, rule, options_.max_pairs_per_key, key_bounds[t], key_bounds[t + 1], key_accounts_.data(),
               key_pair_work_.data(), &scans[t]);
    });
  }
  size_t num_accounts = 0, num_active = 0;
  for (KeyScan& scan : scans) {
    num_accounts = std::max(num_accounts, scan.num_accounts);
    num_active += scan.active.size();
    pair_work_ += scan.pair_work;
    saturated_.insert(saturated_.end(), scan.saturated.begin(), scan.saturated.end());
  }
  std::sort(saturated_.begin(), saturated_.end(),
            [](const KeyPopularity& x, const KeyPopularity& y) { return x.pair_work > y.pair_work; });

  // Each account's active actions, by a stable counting sort over the
  // account: in key order, so one key's actions are consecutive (the
  // distinct-keys count needs that). Messages count distinct events
  // instead, so where an event has several actions (several URLs,
  // hashtags, ...) each account's actions are put in event order.
  ActionsByAccount by_account;
  by_account.offsets.assign(num_accounts + 1, 0);
  for (const KeyScan& scan : scans)
    for (const SweepItem& item : scan.active) ++by_account.offsets[keys_.actions[item.p].account + 1];
  for (size_t a = 0; a < num_accounts; ++a) by_account.offsets[a + 1] += by_account.offsets[a];
  bool several_per_event = false;
  if (options_.weight == CoActionWeight::kMessages) {
    std::vector<uint8_t> seen(keys_.dataset->events.size(), 0);
    for (const KeyScan& scan : scans)
      for (const SweepItem& item : scan.active) {
        uint8_t& s = seen[keys_.actions[item.p].event];
        several_per_event |= s;
        s = 1;
      }
  }
  by_account.items.resize(num_active);
  {
    std::vector<uint64_t> fill(by_account.offsets.begin(), by_account.offsets.end() - 1);
    for (KeyScan& scan : scans) {
      for (const SweepItem& item : scan.active) by_account.items[fill[keys_.actions[item.p].account]++] = item;
      scan.active = std::vector<SweepItem>();
    }
  }
  if (several_per_event)
    for (size_t a = 0; a < num_accounts; ++a)
      std::sort(by_account.items.begin() + by_account.offsets[a], by_account.items.begin() + by_account.offsets[a + 1],
                [this](const SweepItem& x, const SweepItem& y) {
                  return keys_.actions[x.p].event != keys_.actions[y.p].event
                             ? keys_.actions[x.p].event < keys_.actions[y.p].event
                             : x.p < y.p;
                });

  // Threads take contiguous account ranges of equal sweep work (window
  // sizes). Each range's edges come out in (a, b) order, so the ranges
  // concatenated in order are the sorted edge list with no merge. The first
  // range is written straight into edges_, so only the other ranges are
  // copied. Each output is reserved for the most edges its range can make
  // (one per action pair swept, and an undirected pair is swept from both
  // of its accounts, so all ranges together make at most half the work; a
  // message pair from one) when that is at most kFullReserveEdges: reserved
  // pages never written cost nothing, while a vector that outgrows its
  // reserve copies and faults in every edge again (on the scale-1 mix two
  // layers of 6-7M edges did so three times each: 7% of detect's CPU, and
  // 110 MB of peak memory). Above it the reserve is 8 edges per swept
  // action, and the vector grows: reserving the bound there (hundreds of
  // millions of edges at scale 10) made the run 6% slower, measured twice
  // and not understood.
  constexpr uint64_t kFullReserveEdges = uint64_t{1} << 24;  // 640 MB of address space
  std::vector<size_t> account_bounds{0};
  std::vector<uint64_t> account_work(num_accounts + 1, 0);
  for (size_t a = 0; a < num_accounts; ++a) {
    uint64_t w = 0;
    for (uint64_t x = by_account.offsets[a]; x < by_account.offsets[a + 1]; ++x)
      w += by_account.items[x].hi - by_account.items[x].lo;
    account_work[a + 1] = account_work[a] + w;
  }
  const uint64_t total_work = account_work[num_accounts];
  for (int t = 1; t < threads; ++t)
    account_bounds.push_back(std::max(
        account_bounds.back(),
        static_cast<size_t>(std::lower_bound(account_work.begin(), account_work.end() - 1, total_work * t / threads) -
                            account_work.begin())));
  account_bounds.push_back(num_accounts);
  const bool directed = options_.weight == CoActionWeight::kMessages;
  const uint64_t all_edges = directed ? total_work : total_work / 2;
  auto most_edges = [&](uint64_t work) {
    const uint64_t bound = std::min(work, all_edges) + 1024;
    const uint64_t growing = std::min<uint64_t>(bound, 8 * by_account.items.size() + 1024);
    return static_cast<size_t>(bound <= kFullReserveEdges ? bound : growing);
  };
  std::vector<std::vector<CoActionEdge>> range_edges(threads);
  edges_.clear();
  edges_.reserve(most_edges(total_work));
  {
    auto sweep = [&](int t) {
      std::vector<CoActionEdge>& out = t == 0 ? edges_ : range_edges[t];
      if (t > 0) out.reserve(most_edges(account_work[account_bounds[t + 1]] - account_work[account_bounds[t]]));
      AccountSweep(keys_, by_account, options_, num_accounts).Run(account_bounds[t], account_bounds[t + 1], &out);
    };
    RunWorkers(threads, sweep);
  }
  for (int t = 1; t < threads; ++t) {
    edges_.insert(edges_.end(), range_edges[t].begin(), range_edges[t].end());
    range_edges[t] = std::vector<CoActionEdge>();
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
