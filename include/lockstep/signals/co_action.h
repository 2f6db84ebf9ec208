// CoActionSignal: who acts on the same thing at the same time. The lockstep
// signal of SynchroTrap (Cao et al., CCS 2014), CopyCatch (Beutel et al.,
// WWW 2013), CooRTweet (Righetti & Balluff) and the QUT coordination network
// toolkit (Graham et al.).
//
// Two accounts co-act when both act on the same object key (see
// object_keys.h) with |Δt| <= window_seconds (inclusive), or, in fixed-bin
// mode (CooRnet), in the same bin floor(t / window). An account never co-acts
// with itself. Weights:
//   kKeys      distinct keys the pair co-acted on (undirected);
//   kPairs     co-action pairs of actions (undirected; CooRTweet's `weight`
//              of generate_coordinated_network);
//   kMessages  directed a->b: a's distinct actions that have at least one
//              action of b within the window (the QUT toolkit's weight).
// Each edge keeps the number of co-action pairs and their time deltas (sum,
// min) for scoring.
//
// Popular keys: a key whose pair work (the number of action pairs within the
// window) exceeds max_pairs_per_key is skipped and listed in
// saturated_keys(); its popularity is kept for the significance step. Work
// is therefore bounded by keys x max_pairs_per_key; see docs/co_action.md.
//
// Shape: configure in the constructor, Run(), then read results. Not
// thread-safe; Run() itself uses `threads` worker threads. The Dataset and
// ObjectKeys must outlive the signal.
#ifndef LOCKSTEP_SIGNALS_CO_ACTION_H_
#define LOCKSTEP_SIGNALS_CO_ACTION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/object_keys.h"

namespace lockstep {

enum class CoActionWeight : uint8_t { kKeys = 0, kPairs, kMessages };

struct CoActionOptions {
  int64_t window_seconds = 60;     // >= 0
  bool fixed_bins = false;         // CooRnet-style bins instead of a sliding window
  CoActionWeight weight = CoActionWeight::kKeys;
  uint32_t min_weight = 1;         // drop edges below this weight
  uint64_t max_pairs_per_key = 50'000'000;  // work bound per key; 0 = no bound
  int threads = 2;                 // worker threads, >= 1
};

struct CoActionEdge {
  AccountIndex a;        // a < b unless the weight is kMessages (then a -> b)
  AccountIndex b;
  uint32_t weight;
  uint32_t keys;         // distinct keys co-acted on
  uint64_t pairs;        // co-action pairs of actions
  int64_t sum_delta;     // sum of |Δt| over the pairs, seconds
  int64_t min_delta;     // smallest |Δt|, seconds
  double mean_delta() const { return pairs ? static_cast<double>(sum_delta) / static_cast<double>(pairs) : 0; }
};

struct KeyPopularity {
  uint32_t key;
  uint32_t actions;
  uint32_t accounts;     // distinct accounts acting on it
  uint64_t pair_work;    // action pairs within the window
};

class CoActionSignal {
 public:
  CoActionSignal(const ObjectKeys& keys, CoActionOptions options);

  // Validates the options (kInvalidArgument with actual and expected values)
  // and computes the edges. O(actions + pair work).
  Status Run();

  // Edges sorted by (a, b). Valid after Run().
  const std::vector<CoActionEdge>& edges() const;
  // Keys skipped for exceeding max_pairs_per_key, most work first.
  const std::vector<KeyPopularity>& saturated_keys() const;
  // Distinct accounts per key (index = key id), the popularity the
  // significance step needs.
  const std::vector<uint32_t>& key_accounts() const;
  // Action pairs within the window per key (index = key id), saturated keys included.
  const std::vector<uint64_t>& key_pair_work() const { return key_pair_work_; }
  uint64_t pair_work() const { return pair_work_; }

  // "a and b acted on the same co-share key 4 times within 60 s (3 distinct
  // keys, mean 12 s apart, closest 2 s), e.g. post 123"
  std::string Explain(const CoActionEdge& edge) const;

 private:
  const ObjectKeys& keys_;
  CoActionOptions options_;
  bool ran_ = false;
  std::vector<CoActionEdge> edges_;
  std::vector<KeyPopularity> saturated_;
  std::vector<uint32_t> key_accounts_;
  std::vector<uint64_t> key_pair_work_;
  uint64_t pair_work_ = 0;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_CO_ACTION_H_
