// CoActionLayerSignal: one co-action layer of detection as a Signal. It
// extracts the object keys of one kind (object_keys.h), finds who co-acted on
// them within each of its windows (CoActionSignal) and keeps the pairs whose
// co-action is unlikely by chance (CoActionSignificance: a Poisson test
// under a null that keeps each account's hourly activity and each key's
// momentary popularity, applied per window). Its edges are every pair with
// p <= 10^edge_log10_p, strongest first; an edge's strength is
// min(1, -log10 p / log10_p_full) (p = 1e-20 counts as 1). One weak edge
// proves little; many joining one group do, which detection tests for density.
//
// Several time scales: a layer has a list of windows (co-text at 1 min, 1 h
// and 6 h; co-reply at 10 min and 6 h). A pair's evidence is its best window:
// the smallest p, times the number of windows (Bonferroni over the windows,
// so that picking the best of k tests does not make chance look k times
// rarer). Operators that paraphrase and post hours apart never co-act within
// seconds, and are found at the hour scale; the null at that scale expects
// far more chance co-action, so a viral topic is still no network.
// Cost: at windows longer than long_window_seconds, a key with more than
// long_window_max_pairs_per_key action pairs within the window is skipped
// (its popularity still enters the null): work grows with the window's
// square on busy keys, and on such keys co-action is expected by chance.
//
// Role: kFormsGroups; EvidenceWeight() = the layer's weight in the fused graph.
//
// Input of co-text: the kText layer clusters near-duplicate texts
// (NearDuplicateText with `text` options) itself and keys each event by its
// cluster; nobody has to prepare the clusters for it.
//
// Applicable() extracts the layer's actions (and for co-text, the text
// clusters) and keeps them for Run(): whether a layer applies is whether
// anybody acted on its keys. Run() releases them after computing the edges
// and their explanations, so memory after Run() is O(edges).
//
// Shape: configure, Run(), read (see signal.h). The Dataset must outlive it.
#ifndef LOCKSTEP_GRAPH_CO_ACTION_LAYER_H_
#define LOCKSTEP_GRAPH_CO_ACTION_LAYER_H_

#include <memory>
#include <string>
#include <vector>

#include "lockstep/graph/co_action_significance.h"
#include "lockstep/signals/near_duplicate.h"
#include "lockstep/signals/object_keys.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct CoActionLayerOptions {
  ObjectKeyKind kind = ObjectKeyKind::kShare;
  // Co-action windows, seconds, each >= 0, at least one; a pair's evidence is its best window.
  std::vector<int64_t> windows_seconds = {120};
  double weight = 1.0;                     // weight of the layer's edges (x strength) in the fused graph
  double fdr = 0.01;                       // Benjamini-Hochberg level of the significance test, in (0, 1)
  double edge_log10_p = -1.5;              // edges with p <= 10^this are kept as evidence
  double log10_p_full = 20;                // -log10 p at which an edge's strength reaches 1
  // Each key is one key per UTC day (key, floor(t / 86400)): the same
  // accounts in the first minutes of a tag's storms weeks apart co-act on
  // several keys, not once on one tag.
  bool key_per_day = false;
  uint64_t max_pairs_per_key = 2'000'000;  // co-action work bound per key (co_action.h)
  // Windows longer than this many seconds are "long": hours, where every
  // busy key is co-acted on by chance.
  int64_t long_window_seconds = 3600;
  // At long windows, keys with more action pairs within the window than this
  // are skipped (pairs; 50k pairs = a key ~300 accounts touch within the
  // window): bounds the work, which grows with the window on busy keys.
  uint64_t long_window_max_pairs_per_key = 50'000;
  // A key's popularity (the null's pi_k(t)) is its share of all actions
  // within +/- max(this, window) seconds: popularity at the window's scale.
  int64_t popularity_horizon_seconds = 3600;
  int threads = 2;                         // worker threads of the near-duplicate step
  NearDuplicateOptions text;               // kText: how texts are clustered
  // kText: clusters already computed (or to be computed once) for this data
  // set, shared with other text signals; used when it serves `text`.
  std::shared_ptr<SharedTextClusters> shared_text;
};

class CoActionLayerSignal final : public Signal {
 public:
  CoActionLayerSignal(const Dataset& ds, CoActionLayerOptions options);
  ~CoActionLayerSignal() override;

  // "co-share", "co-text", ...
  std::string_view Name() const override { return SignalName(options_.kind); }
  // False with "no share actions in the data" when nobody acted on the kind's keys.
  bool Applicable(std::string* why_not) const override;
  SignalRole Role() const override { return SignalRole::kFormsGroups; }
  double EvidenceWeight() const override { return options_.weight; }
  // "co-acted within 120 s far more than chance allows"; several windows: "within 1 min, 1 h or 6 h".
  std::string EdgeMeaning() const override;

  const CoActionLayerOptions& options() const { return options_; }
  // Edges kept by Benjamini-Hochberg at fdr on their own (best window, its
  // p corrected for the number of windows), and the expected number of false
  // ones among them. Valid after Run().
  size_t significant_edges() const;
  double expected_false_edges() const;
  // Per window (in options order), the edges whose best window it is. Valid after Run().
  const std::vector<size_t>& edges_per_window() const;

 protected:
  Status Compute() override;
  // Strongest first; weight = distinct keys co-acted on.
  const std::vector<SignalEdge>& DoEdges() const override { return edges_; }
  double DoEdgeLog10P(size_t i) const override { return log10_p_[i]; }
  // "a and b acted on the same co-share key ...; co-acted on 12 share keys where 0.003 ..."
  std::string DoExplainEdge(const SignalEdge& edge) const override;

 private:
  Status Prepare() const;  // extracts keys (and text clusters) once

  const Dataset& ds_;
  CoActionLayerOptions options_;
  mutable bool prepared_ = false;
  mutable Status prepare_status_ = Status::Ok();
  mutable std::unique_ptr<ObjectKeys> keys_;
  std::vector<SignalEdge> edges_;
  std::vector<double> log10_p_;            // parallel to edges_
  std::vector<std::string> explanations_;  // parallel to edges_
  std::vector<size_t> edges_per_window_;
  size_t significant_ = 0;
  double expected_false_ = 0;
};

}  // namespace lockstep

#endif  // LOCKSTEP_GRAPH_CO_ACTION_LAYER_H_
