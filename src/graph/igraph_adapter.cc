#include "lockstep/graph/igraph_adapter.h"

#include <igraph.h>

#include <mutex>
#include <string>

#include <fmt/format.h>

namespace lockstep {

namespace {

thread_local std::string last_igraph_error;

void RecordError(const char* reason, const char* file, int line, igraph_error_t code) {
  last_igraph_error = fmt::format("igraph: {} ({}:{}, code {})", reason, file, line, static_cast<int>(code));
  IGRAPH_FINALLY_FREE();
}

void InstallHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    igraph_set_error_handler(RecordError);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
  });
}

Status FromIgraph(igraph_error_t code, const char* what) {
  if (code == IGRAPH_SUCCESS) return Status::Ok();
  return Status::Internal(fmt::format("{} failed: {}", what, last_igraph_error));
}

// RAII owners of igraph objects.
struct Graph {
  igraph_t g;
  bool live = false;
  ~Graph() {
    if (live) igraph_destroy(&g);
  }
};
struct IntVector {
  igraph_vector_int_t v;
  bool live = false;
  ~IntVector() {
    if (live) igraph_vector_int_destroy(&v);
  }
};
struct RealVector {
  igraph_vector_t v;
  bool live = false;
  ~RealVector() {
    if (live) igraph_vector_destroy(&v);
  }
};

Status Validate(size_t num_nodes, const std::vector<WeightedEdge>& edges, bool need_weights) {
  for (size_t i = 0; i < edges.size(); ++i) {
    const WeightedEdge& e = edges[i];
    if (e.a >= num_nodes || e.b >= num_nodes)
      return Status::InvalidArgument(
          fmt::format("edge {} joins nodes {} and {}, but there are only {} nodes", i, e.a, e.b, num_nodes));
    if (need_weights && !(e.weight > 0))
      return Status::InvalidArgument(fmt::format("edge {} has weight {}, expected > 0", i, e.weight));
  }
  return Status::Ok();
}

Status Build(size_t num_nodes, const std::vector<WeightedEdge>& edges, Graph* graph) {
  IntVector list;
  if (Status s = FromIgraph(igraph_vector_int_init(&list.v, static_cast<igraph_integer_t>(edges.size() * 2)),
                            "allocating the edge list");
      !s.ok())
    return s;
  list.live = true;
  for (size_t i = 0; i < edges.size(); ++i) {
    VECTOR(list.v)[2 * i] = edges[i].a;
    VECTOR(list.v)[2 * i + 1] = edges[i].b;
  }
  if (Status s = FromIgraph(igraph_create(&graph->g, &list.v, static_cast<igraph_integer_t>(num_nodes), IGRAPH_UNDIRECTED),
                            "building the graph");
      !s.ok())
    return s;
  graph->live = true;
  return Status::Ok();
}

std::vector<int64_t> ToVector(const igraph_vector_int_t& v) {
  std::vector<int64_t> out(igraph_vector_int_size(&v));
  for (size_t i = 0; i < out.size(); ++i) out[i] = VECTOR(v)[i];
  return out;
}

}  // namespace

Result<std::vector<int64_t>> LeidenClusters(size_t num_nodes, const std::vector<WeightedEdge>& edges,
                                            const LeidenOptions& options) {
  InstallHandlers();
  if (Status s = Validate(num_nodes, edges, true); !s.ok()) return s;
  if (!(options.resolution > 0))
    return Status::InvalidArgument(fmt::format("resolution must be > 0, got {}", options.resolution));
  if (num_nodes == 0) return std::vector<int64_t>();
  Graph graph;
  if (Status s = Build(num_nodes, edges, &graph); !s.ok()) return s;
  RealVector weights, strength;
  IntVector membership;
  if (igraph_vector_init(&weights.v, static_cast<igraph_integer_t>(edges.size())) != IGRAPH_SUCCESS)
    return Status::Internal("igraph: allocating weights failed");
  weights.live = true;
  double total = 0;
  for (size_t i = 0; i < edges.size(); ++i) {
    VECTOR(weights.v)[i] = edges[i].weight;
    total += edges[i].weight;
  }
  if (igraph_vector_init(&strength.v, 0) != IGRAPH_SUCCESS) return Status::Internal("igraph: allocating failed");
  strength.live = true;
  if (Status s = FromIgraph(igraph_strength(&graph.g, &strength.v, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS, &weights.v),
                            "computing strengths");
      !s.ok())
    return s;
  if (igraph_vector_int_init(&membership.v, 0) != IGRAPH_SUCCESS) return Status::Internal("igraph: allocating failed");
  membership.live = true;
  igraph_rng_seed(igraph_rng_default(), options.seed);
  igraph_integer_t clusters = 0;
  igraph_real_t quality = 0;
  // Modularity: node weights = strengths, resolution γ / 2m.
  const double resolution = total > 0 ? options.resolution / (2 * total) : options.resolution;
  if (Status s = FromIgraph(igraph_community_leiden(&graph.g, &weights.v, &strength.v, resolution, options.beta,
                                                    /*start=*/false, options.iterations, &membership.v, &clusters,
                                                    &quality),
                            "Leiden clustering");
      !s.ok())
    return s;
  return ToVector(membership.v);
}

Result<std::vector<int64_t>> ConnectedComponents(size_t num_nodes, const std::vector<WeightedEdge>& edges) {
  InstallHandlers();
  if (Status s = Validate(num_nodes, edges, false); !s.ok()) return s;
  if (num_nodes == 0) return std::vector<int64_t>();
  Graph graph;
  if (Status s = Build(num_nodes, edges, &graph); !s.ok()) return s;
  IntVector membership;
  if (igraph_vector_int_init(&membership.v, 0) != IGRAPH_SUCCESS) return Status::Internal("igraph: allocating failed");
  membership.live = true;
  igraph_integer_t count = 0;
  if (Status s = FromIgraph(igraph_connected_components(&graph.g, &membership.v, nullptr, &count, IGRAPH_WEAK),
                            "connected components");
      !s.ok())
    return s;
  return ToVector(membership.v);
}

}  // namespace lockstep
