#include "lockstep/graph/edge_fusion.h"

#include <fmt/format.h>

#include "signals/pair_map.h"

namespace lockstep {

EdgeFusion::EdgeFusion(size_t num_accounts, std::vector<const Signal*> signals, FusionOptions options)
    : num_accounts_(num_accounts), signals_(std::move(signals)), options_(options) {}

Status EdgeFusion::Run() {
  using internal::PairFirst;
  using internal::PairKey;
  using internal::PairSecond;
  struct Fused {
    double weight = 0;
    double join = 0;
  };
  internal::PairMap<Fused> fused;
  forming_.clear();
  for (const Signal* signal : signals_) {
    if (!signal->has_run())
      return Status::FailedPrecondition(fmt::format("fusion: signal {} has not run", signal->Name()));
    const SignalRole role = signal->Role();
    if (role == SignalRole::kScoresGroups) continue;
    const double weight = signal->EvidenceWeight();
    if (role == SignalRole::kFormsGroups) forming_.push_back(signal);
    for (const SignalEdge& e : signal->edges()) {
      if (e.a >= num_accounts_ || e.b >= num_accounts_)
        return Status::InvalidArgument(fmt::format("fusion: signal {} links account {} and {}, expected < {}",
                                                   signal->Name(), e.a, e.b, num_accounts_));
      if (role == SignalRole::kJoinsGroups && e.strength < options_.join_min_strength) continue;
      Fused& f = fused.Get(e.a < e.b ? PairKey(e.a, e.b) : PairKey(e.b, e.a));
      (role == SignalRole::kFormsGroups ? f.weight : f.join) += weight * e.strength;
    }
  }
  pairs_.clear();
  graph_edges_.clear();
  account_of_.clear();
  node_of_.assign(num_accounts_, UINT32_MAX);
  pairs_.reserve(fused.size());
  for (auto& [key, f] : fused.entries()) {
    const AccountIndex a = PairFirst(key), b = PairSecond(key);
    pairs_.push_back({a, b, f.weight, f.join});
    if (f.weight <= 0) continue;
    for (AccountIndex x : {a, b})
      if (node_of_[x] == UINT32_MAX) {
        node_of_[x] = static_cast<uint32_t>(account_of_.size());
        account_of_.push_back(x);
      }
    graph_edges_.push_back({node_of_[a], node_of_[b], f.weight});
  }
  return Status::Ok();
}

}  // namespace lockstep
