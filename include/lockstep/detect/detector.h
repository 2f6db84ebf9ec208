// Detector: from a Dataset to suspected networks with evidence.
//
// Stages (timed in Detection::stage_seconds):
//  1. Co-action layers: for each object-key kind, CoActionSignal with a
//     per-layer window, then CoActionSignificance gives each edge a p-value
//     under a null that keeps every account's hourly activity and every
//     key's momentary popularity (Benjamini–Hochberg over all pairs at `fdr`
//     gives the edges significant on their own, reported with the expected
//     false-edge count; weaker edges below edge_log10_p still enter the graph).
//  2. Other signals added with AddSignal() (shared infrastructure, profile,
//     similarity, ...) run if Applicable(); the rest are listed as skipped.
//  3. Fusion: one account graph; an edge's weight is the sum over layers of
//     layer weight x strength (0..1).
//  4. Clustering: Leiden (modularity) through the igraph adapter; clusters
//     smaller than min_network_size are dropped; a cluster's coordination is
//     its internal link density against the density of links between
//     clusters (Poisson tail below 10^group_log10_p, strength by the excess).
//  5. Assembly: clusters joined by shared infrastructure are merged (Meta's
//     "three separate clusters ... one sprawling network"); Pages and Groups
//     the members run, and accounts on the operation's infrastructure, are
//     attached.
//  6. Scoring: confidence = coordination x inauthenticity, from the
//     indicators each signal gives for the network's members compared with
//     the whole population; networks below min_confidence are dropped (a
//     newsroom coordinates but shows no inauthenticity).
//
// Shape: configure, AddSignal()s, Run(), result(). The Dataset must outlive
// the detector. Run() uses `threads` workers in the co-action stage.
#ifndef LOCKSTEP_DETECT_DETECTOR_H_
#define LOCKSTEP_DETECT_DETECTOR_H_

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "lockstep/detect/network.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/object_keys.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct CoActionLayer {
  ObjectKeyKind kind;
  int64_t window_seconds;
  double weight = 1.0;
};

struct DetectorOptions {
  std::vector<CoActionLayer> layers = {{ObjectKeyKind::kShare, 120, 1.0},
                                       {ObjectKeyKind::kLink, 600, 1.0},
                                       {ObjectKeyKind::kReply, 600, 1.0},
                                       {ObjectKeyKind::kLike, 600, 1.0},
                                       {ObjectKeyKind::kHashtag, 300, 0.7}};
  // Per event near-duplicate text cluster (UINT32_MAX = none), enabling the
  // co-text layer; empty = no co-text.
  std::vector<uint32_t> text_clusters;
  int64_t text_window_seconds = 3600;
  double fdr = 0.01;
  // Co-action edges with p <= 10^edge_log10_p enter the graph as evidence;
  // one alone proves little, many joining one group of accounts do, and
  // groups are tested for density (see Run()).
  double edge_log10_p = -1.5;
  // A group counts as coordinated only if its internal co-action links are
  // this unlikely (log10 of the Poisson tail) at the density of links
  // between different clusters.
  double group_log10_p = -12.0;
  // Internal density at this multiple of the between-cluster density gives
  // full coordination strength; less scales it down.
  double full_coordination_excess = 10.0;
  uint64_t max_pairs_per_key = 2'000'000;
  double other_signal_min_strength = 0.3;  // weaker infrastructure links neither merge nor attach
  double indicator_edge_strength = 0.5;    // links at least this strong count as evidence against a group
  double leiden_resolution = 1.0;
  size_t min_network_size = 3;
  double min_confidence = 0.6;
  int threads = 2;
  uint64_t seed = 42;
  // Called at the start of each stage with its name.
  std::function<void(std::string_view)> progress;
};

class Detector {
 public:
  Detector(const Dataset& ds, DetectorOptions options);
  ~Detector();

  // A signal to fuse and to score networks with. Takes ownership.
  void AddSignal(std::unique_ptr<Signal> signal);

  Status Run();
  // Valid after a successful Run().
  const Detection& result() const { return result_; }

 private:
  struct Impl;
  const Dataset& ds_;
  DetectorOptions options_;
  std::vector<std::unique_ptr<Signal>> signals_;
  Detection result_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_DETECTOR_H_
