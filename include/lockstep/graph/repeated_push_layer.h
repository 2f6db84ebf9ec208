// RepeatedPushSignal: the same accounts in several pushes of the same
// content, hours long each, on different occasions. An operation pushes a
// narrative by having its members post (near-)copies one after another,
// each a while after the previous one, so that one push spans hours; any
// two members are then rarely within a fixed co-action window of each
// other (pairwise windows link few of its pairs), but they keep turning up
// in the same pushes. Co-action with a popularity null cannot see it
// either: while the operation pushes, the key's popularity is the
// operation's own, so its co-action looks expected.
//
// Pushes. The actions on each key of `kind` (for kText, a cluster of
// near-duplicate texts, NearDuplicateText with `text`) are taken in time
// order and chained: an action within chain_gap_seconds of the previous
// action on the key continues the current push, a longer gap starts a new
// one (A within the gap of B within the gap of C ...: a push is as long as
// its members keep it going). A push's participants are its distinct
// accounts.
//
// Null (as RepeatedBurstSignal's): account a took part in u_a pushes (of
// any size, on any key of the kind; for kText a text in no cluster is a
// push of one, as a tag-day is for RepeatedBurstSignal: without them, in
// data where only an operation repeats texts, its pushes would be the whole
// universe and its members' meetings would look expected),
// U = sum_a u_a = sum_j s_j, push j has s_j participants. If accounts joined pushes independently, in proportion
// to how many pushes they join at all (P(a in j) = u_a s_j / U), pair
// (a, b) would share lambda_ab = u_a u_b sum_j s_j^2 / U^2 pushes; it
// shares k. p = P(X >= k; Poisson(lambda_ab)) (Log10PoissonTail). Pairs need k >=
// min_shared_pushes (a viral text's copiers share one push; two could be a
// text and its reply) and p <= 10^edge_log10_p; strength = min(1, -log10 p
// / log10_p_full). Pushes with more than max_push_accounts participants
// count in the null but make no pairs (a key in constant use chains into one
// long push; a trending text's thousands of copiers say nothing about any
// two of them).
//
// Role: kFormsGroups with weight `weight`. Authentic groups that repeat
// one another's texts (campaign volunteers' suggested posts, activists'
// tweetstorms, fan streaming parties) are coordinated and are linked too;
// detection's inauthenticity test (established accounts, profiles,
// creation bursts, infrastructure) is what keeps them out, as it does for
// repeated hashtag bursts.
//
// Shape: configure, Run(), read (signal.h). O(actions + sum over pushes of
// min(s_j, max_push_accounts)^2) after the key extraction (for kText, the
// near-duplicate clustering). Memory after Run(): O(edges + pushes).
// The Dataset must outlive the signal.
#ifndef LOCKSTEP_GRAPH_REPEATED_PUSH_LAYER_H_
#define LOCKSTEP_GRAPH_REPEATED_PUSH_LAYER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/near_duplicate.h"
#include "lockstep/signals/object_keys.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct RepeatedPushOptions {
  ObjectKeyKind kind = ObjectKeyKind::kText;  // what a push is of (kText: near-duplicate text clusters)
  // Seconds: an action within this of the key's previous action continues the push.
  // 3 h: an operation's members follow each other at lags of up to a few hours
  // (hours-long pushes); a longer silence on the key is another occasion.
  int64_t chain_gap_seconds = 3 * 3600;
  uint32_t min_shared_pushes = 3;     // pushes a pair must share (two could be a text and its reply)
  // Participants above which a push makes no pairs (it still counts in the
  // null): bounds the work at 500k pairs a push; a storm of a few hundred
  // personas stays below it.
  uint32_t max_push_accounts = 1000;
  double edge_log10_p = -4;           // pairs with p <= 10^this are edges
  double log10_p_full = 10;           // -log10 p at which an edge's strength reaches 1
  double weight = 1.0;                // weight of its edges (x strength) in the fused graph
  int threads = 2;                    // worker threads of the near-duplicate step and key extraction, >= 1
  NearDuplicateOptions text;          // kText: how texts are clustered
  // kText: clusters shared with co-text (SharedTextClusters); used when it serves `text`.
  std::shared_ptr<SharedTextClusters> shared_text;
};

class RepeatedPushSignal final : public Signal {
 public:
  RepeatedPushSignal(const Dataset& ds, RepeatedPushOptions options = {});

  // "repeated-text-pushes", "repeated-link-pushes", ...
  std::string_view Name() const override { return name_; }
  // False when nobody acted on the kind's keys (no text, no links).
  bool Applicable(std::string* why_not) const override;
  SignalRole Role() const override { return SignalRole::kFormsGroups; }
  double EvidenceWeight() const override { return options_.weight; }
  std::string EdgeMeaning() const override;

  // Pushes found (of any size), valid after Run().
  size_t pushes() const;

 protected:
  Status Compute() override;
  // Strongest first; weight = pushes shared.
  const std::vector<SignalEdge>& DoEdges() const override { return edges_; }
  double DoEdgeLog10P(size_t i) const override { return log10_p_[i]; }
  // "a and b were both in 6 pushes of the same content (text cluster 12 from 2021-05-24 10:00, ...) where 0.02 were expected"
  std::string DoExplainEdge(const SignalEdge& edge) const override;

 private:
  Status Prepare() const;  // extracts the keys (and text clusters) once

  const Dataset& ds_;
  RepeatedPushOptions options_;
  std::string name_;
  mutable bool prepared_ = false;
  mutable Status prepare_status_ = Status::Ok();
  mutable std::unique_ptr<ObjectKeys> keys_;  // released by Run()
  mutable std::vector<uint32_t> solo_texts_;  // kText: account -> its texts in no cluster (pushes of one)
  struct Push {
    uint32_t key;   // index into key_names_
    int64_t start;  // first action, Unix seconds
  };
  std::vector<Push> pushes_;                       // pushes that made pairs
  std::vector<std::string> key_names_;             // keys of those pushes
  std::vector<std::vector<uint32_t>> pushes_of_;   // account -> its pairing pushes, ascending
  std::vector<uint32_t> push_count_;               // account -> u_a, pushes of any size
  double concentration_ = 0;                       // sum s_j^2 / U^2
  size_t all_pushes_ = 0;
  std::vector<SignalEdge> edges_;
  std::vector<double> log10_p_;  // parallel to edges_
};

}  // namespace lockstep

#endif  // LOCKSTEP_GRAPH_REPEATED_PUSH_LAYER_H_
