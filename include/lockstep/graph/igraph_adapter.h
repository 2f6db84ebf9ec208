// The one place lockstep talks to igraph (Debian's 0.10): a RAII graph and
// the clusterings detection needs. igraph's error handler is replaced by a
// non-aborting one, so an igraph failure becomes a Status, never an abort.
//
// Not thread-safe: igraph keeps global state (RNG, error handler); call from
// one thread at a time.
#ifndef LOCKSTEP_GRAPH_IGRAPH_ADAPTER_H_
#define LOCKSTEP_GRAPH_IGRAPH_ADAPTER_H_

#include <cstdint>
#include <vector>

#include "lockstep/model/status.h"

namespace lockstep {

struct WeightedEdge {
  uint32_t a;       // node index < num_nodes
  uint32_t b;
  double weight;    // > 0
};

struct LeidenOptions {
  // Modularity resolution γ (1 = classic modularity). Higher gives smaller clusters.
  double resolution = 1.0;
  double beta = 0.01;     // randomness of the refinement step (Traag et al. 2019)
  int iterations = -1;    // -1: until the partition is stable
  uint64_t seed = 42;     // igraph's RNG is seeded with this before each run
};

// Leiden clustering (Traag, Waltman & van Eck, Sci. Rep. 2019) of an
// undirected weighted graph, optimising modularity with resolution γ.
// Returns one cluster id per node, 0..k-1; isolated nodes get their own.
// Validates that every edge's ends are < num_nodes and weights are > 0.
Result<std::vector<int64_t>> LeidenClusters(size_t num_nodes, const std::vector<WeightedEdge>& edges,
                                            const LeidenOptions& options);

// Connected components: one id per node.
Result<std::vector<int64_t>> ConnectedComponents(size_t num_nodes, const std::vector<WeightedEdge>& edges);

}  // namespace lockstep

#endif  // LOCKSTEP_GRAPH_IGRAPH_ADAPTER_H_
