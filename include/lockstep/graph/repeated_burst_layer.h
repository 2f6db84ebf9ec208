// RepeatedBurstSignal: the same accounts among the participants of several
// bursts of hashtags, days or weeks apart (a hashtag storm: fake accounts
// post a scheduled tag together, several times; real users pick it up
// afterwards, different ones each time). Co-action within minutes misses it
// when the storm's posts are spread over hours and each account joins only
// some storms; what gives the operation away is that its accounts keep
// turning up together at the start of the tag's bursts.
//
// Bursts. Each hashtag (case-folded) is counted per UTC day in distinct
// accounts. A day is a burst of the tag when at least min_burst_accounts
// accounts used it and that is at least burst_min_ratio times the tag's
// median daily count over its life (first to last day it was used, at
// least min_life_days, idle days counted as 0): a tag in steady use has no bursts, a scheduled storm
// or a trending moment has. A burst day right after another continues it
// (a storm past midnight) and is not a burst of its own. A burst's participants are the accounts whose
// first use of the tag that day falls within early_window_seconds of the
// burst's first use (the first hours: who started it, not who followed
// the trend hours later).
//
// Null. Account a used u_a (tag, day)s, U = sum_a u_a; burst j has s_j
// participants. If accounts joined bursts independently, in proportion to
// their hashtag activity (P(a in j) = u_a s_j / U), pair (a, b) would
// share lambda_ab = u_a u_b sum_j s_j^2 / U^2 bursts; it shares k. (Not in
// proportion to their burst participation: a storm's accounts are most of
// the bursts, and a null measured on them would expect them together.) Its
// p-value is the Poisson tail P(X >= k; lambda_ab). Pairs need k >=
// min_shared_bursts (one trending moment's early adopters share one burst,
// which is never evidence) and p <= 10^edge_log10_p; strength =
// min(1, -log10 p / log10_p_full). Bursts with more than
// max_burst_accounts participants count in the null but make no pairs (a
// national event's hashtag; work grows with the square of a burst).
//
// Role: kFormsGroups with weight `weight`: its edges join the account graph
// that clustering partitions. Fans who stream an artist's tag every week
// repeat bursts too: they are coordinated, and detection's inauthenticity
// test (established accounts, audience, profiles) is what keeps them out.
//
// Shape: configure, Run(), read (signal.h). O(hashtag uses + sum over
// bursts of participants^2). The Dataset must outlive the signal.
#ifndef LOCKSTEP_GRAPH_REPEATED_BURST_LAYER_H_
#define LOCKSTEP_GRAPH_REPEATED_BURST_LAYER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct RepeatedBurstOptions {
  uint32_t min_burst_accounts = 10;      // accounts a tag's day needs to be a burst
  double burst_min_ratio = 5;            // x the tag's median accounts per day over its life
  // A tag's life, for its median, is at least this many days (28: a tag born with its storm,
  // or a new tag per storm, still bursts against four weeks in which it was not used).
  int64_t min_life_days = 28;
  // Participants: first use within this many seconds of the burst's first use (6 h: a storm
  // scheduled over an afternoon, before the trend's followers arrive).
  int64_t early_window_seconds = 6 * 3600;
  uint32_t min_shared_bursts = 3;        // bursts a pair must share (two could be one trend and a reply to it)
  uint32_t max_burst_accounts = 2000;    // participants above which a burst makes no pairs
  double edge_log10_p = -3;              // pairs with p <= 10^this are edges
  double log10_p_full = 10;              // -log10 p at which an edge's strength reaches 1
  double weight = 1.0;                   // weight of its edges (x strength) in the fused graph
};

class RepeatedBurstSignal final : public Signal {
 public:
  RepeatedBurstSignal(const Dataset& ds, RepeatedBurstOptions options = {});

  std::string_view Name() const override { return "repeated-bursts"; }
  // False with "no hashtags in the data" when no event has a hashtag.
  bool Applicable(std::string* why_not) const override;
  SignalRole Role() const override { return SignalRole::kFormsGroups; }
  double EvidenceWeight() const override { return options_.weight; }
  std::string EdgeMeaning() const override;

  // Bursts found (tag, day), valid after Run().
  size_t bursts() const;

 protected:
  Status Compute() override;
  // Strongest first; weight = bursts shared.
  const std::vector<SignalEdge>& DoEdges() const override { return edges_; }
  double DoEdgeLog10P(size_t i) const override { return log10_p_[i]; }
  // "a and b were both among the first participants of 5 bursts of hashtags (#x 2021-05-24, ...) where 0.3 were expected"
  std::string DoExplainEdge(const SignalEdge& edge) const override;

 private:
  const Dataset& ds_;
  RepeatedBurstOptions options_;
  struct Burst {
    uint32_t tag;   // index into tag_names_
    int64_t day;    // UTC day number
  };
  std::vector<Burst> bursts_;
  std::vector<std::string> tag_names_;
  std::vector<std::vector<uint32_t>> bursts_of_;  // account -> its bursts, ascending
  std::vector<uint32_t> tag_days_;                // account -> (tag, day)s it used
  double burst_concentration_ = 0;               // sum s_j^2 / (sum of all tag-days)^2
  std::vector<SignalEdge> edges_;
  std::vector<double> log10_p_;  // parallel to edges_
};

}  // namespace lockstep

#endif  // LOCKSTEP_GRAPH_REPEATED_BURST_LAYER_H_
