// EdgeFusion: the account graph detection clusters, fused from the edges of
// every signal that has run, according to each signal's Role():
//   kFormsGroups  an edge adds EvidenceWeight() x strength to the pair's weight;
//   kJoinsGroups  an edge at least join_min_strength strong adds
//                 EvidenceWeight() x strength to the pair's join strength
//                 (used to merge clusters and attach accounts, never to cluster);
//   kScoresGroups ignored.
// The forming signals stay the per-layer evidence (forming()): detection
// reads their edges, p-values and explanations when it scores a group.
//
// Pairs come out in the order they were first seen (signals in the order
// added, each signal's edges in its order), so the graph, and hence
// clustering with a fixed seed, is deterministic.
//
// Shape: construct with the signals (each must have run; not owned, must
// outlive the fusion), Run(), read. O(total edges) time and memory.
#ifndef LOCKSTEP_GRAPH_EDGE_FUSION_H_
#define LOCKSTEP_GRAPH_EDGE_FUSION_H_

#include <vector>

#include "lockstep/graph/igraph_adapter.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct FusionOptions {
  // Weaker joining links (strength 0..1) neither merge nor attach: a
  // household's shared tablet is weak evidence of one operator.
  double join_min_strength = 0.3;
};

struct FusedPair {
  AccountIndex a;  // a < b
  AccountIndex b;
  double weight;  // sum over forming signals of weight x strength; 0 if only joined
  double join;    // sum over joining signals of weight x strength
};

class EdgeFusion {
 public:
  EdgeFusion(size_t num_accounts, std::vector<const Signal*> signals, FusionOptions options = {});

  // kFailedPrecondition if a signal has not run; kInvalidArgument for an
  // account index out of range.
  [[nodiscard]] Status Run();

  // Every fused pair, in first-seen order. Valid after Run().
  const std::vector<FusedPair>& pairs() const { return pairs_; }
  // The forming signals, in the order given: the per-layer evidence.
  const std::vector<const Signal*>& forming() const { return forming_; }
  // The graph to cluster: nodes are the accounts with a positive weight
  // (account_of(node)), in first-seen order; node_of(account) is UINT32_MAX
  // for the others. One edge per pair with a positive weight.
  const std::vector<WeightedEdge>& graph_edges() const { return graph_edges_; }
  const std::vector<AccountIndex>& account_of() const { return account_of_; }
  const std::vector<uint32_t>& node_of() const { return node_of_; }

 private:
  size_t num_accounts_;
  std::vector<const Signal*> signals_;
  FusionOptions options_;
  std::vector<const Signal*> forming_;
  std::vector<FusedPair> pairs_;
  std::vector<WeightedEdge> graph_edges_;
  std::vector<AccountIndex> account_of_;
  std::vector<uint32_t> node_of_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_GRAPH_EDGE_FUSION_H_
