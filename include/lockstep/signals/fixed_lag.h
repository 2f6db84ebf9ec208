// FixedLagRepetitionSignal: pairs of accounts that repeat one another at one
// fixed lag, the signature of a scheduler (one operator's amplifier accounts
// set to repost N minutes after the lead). Co-action (co_action.h) asks
// whether two accounts act on the same item within a window; it ignores how
// consistent their lag is. People react to the same post after spread-out
// delays; a scheduler's accounts hit the same delay again and again, hours
// from the first post, where co-action at minutes sees nothing and at hours
// expects much by chance.
//
// Items. An event's item is the target id of a share (the post shared),
// a post's own id when somebody shared it by that id, or else its text normalised with NormalizeText (text_normalize.h) when that
// has at least min_text_tokens tokens (retweets without a target id, as in
// FiveThirtyEight's IRA tweets, and identical posts). Grouping by item is
// ExtractObjectKeys(kText) over these ids. An item acted on by more than
// max_item_accounts accounts is skipped (a viral post: everyone's lag to
// everyone is noise, and the work grows with the square of its accounts).
//
// Lags. For accounts a < b and an item both acted on within max_lag_seconds
// of each other, the pair's lag on that item is t_b - t_a of its closest
// two actions (positive: a leads). A pair with at least min_common_items
// such items is tested: its best window is the largest set of its lags that
// lie within +/- tolerance_seconds of one lag L with |L| >= min_lag_seconds,
// all of one sign (the same account leads). It holds m of the n lags.
//
// Null. If the two accounts timed their actions independently, a lag falls
// in that window with probability q: the population's share of lags with
// |lag| within L +/- tolerance (every tested and untested pair's lags, all
// items), halved for the sign, and never below the window's share of the
// uniform lag range (2 tolerance + 1) / (2 max_lag + 1). The pair's
// chance per occasion is q_o = 1 - (1 - q)^k, k the pair's mean items per
// occasion (any of them may land in the window). Its p-value is the
// binomial tail P(X >= m; n, q_o) times the number of windows
// it could have picked (max_lag / tolerance: a scan over L), and
// Bonferroni over the tested pairs: an edge needs p x tests <= alpha (the
// co-action layers' Benjamini-Hochberg lives in graph/, which signals may
// not depend on; Bonferroni is the stricter of the two). It also needs m >=
// min_repeats and m >= min_share x n.
//
// Role: kFormsGroups with weight `weight` (moderate: one scheduler pair is
// coordination, not proof). A forming signal never enters detection's
// inauthenticity score: newsrooms and declared bot services cross-post on
// schedules too, and it is persona evidence (profiles, rhythm, creation
// bursts, ...) that separates them from an operation. With `joins` set it
// is a joining signal instead (merges clusters and attaches accounts) whose
// links prove nothing (JoiningProvesInauthenticity() is false).
//
// Shape: configure, Run(), read (signal.h). O(events x text bytes + sum
// over items of accounts^2), items above max_item_accounts excluded. The
// Dataset must outlive the signal.
#ifndef LOCKSTEP_SIGNALS_FIXED_LAG_H_
#define LOCKSTEP_SIGNALS_FIXED_LAG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct FixedLagOptions {
  // Occasions on which a pair must share items (within max_lag_seconds) to be
  // tested: five is the fewest at which a repeated lag can be told from two coincidences.
  uint32_t min_common_items = 5;
  // Seconds between the earlier actions of two common items above which they are two
  // occasions (30 min: a batch copied in one sitting is one occasion).
  int64_t occasion_gap_seconds = 1800;
  // Occasions a pair must repeat the lag on (>= 2), and as a share of its occasions, 0..1:
  // a scheduler repeats its lag on most items, not on three of fifty.
  uint32_t min_repeats = 4;
  double min_share = 0.5;
  // +/- seconds around the lag, >= 0. 60: times at minute resolution (the IRA
  // export) put a 20-minute schedule at 19, 20 or 21 minutes.
  int64_t tolerance_seconds = 60;
  // Smallest |lag| in seconds, > tolerance_seconds. Below 3 minutes people
  // retweeting the same post in its first minutes repeat lags near 0 by
  // habit, and co-action within 1-2 minutes already covers that range.
  int64_t min_lag_seconds = 180;
  // Largest lag in seconds between two actions on one item that pairs them (3 h:
  // the lags the IRA's schedulers were seen to use, 20-35 minutes, with room).
  int64_t max_lag_seconds = 3 * 3600;
  // Items acted on by more accounts than this are skipped (a viral post).
  uint32_t max_item_accounts = 50;
  // Texts with fewer normalised tokens are no item ("lol", "thank you").
  uint32_t min_text_tokens = 4;
  // Family-wise error rate of the Bonferroni test over tested pairs, (0, 1).
  double alpha = 0.01;
  // -log10 of the corrected p-value at which an edge's strength reaches 1.
  double log10_p_full = 10;
  // Weight of its edges (x strength) in the fused graph, > 0.
  double weight = 0.5;
  // Join instead of form groups (see above).
  bool joins = false;
};

// log10 P(X >= x) for X ~ Binomial(n, q), accurate far into the tail
// (summed in log space); 0 when x == 0, -infinity when x > n or q == 0 < x.
double Log10BinomialTail(uint64_t x, uint64_t n, double q);

class FixedLagRepetitionSignal final : public Signal {
 public:
  FixedLagRepetitionSignal(const Dataset& ds, FixedLagOptions options = {});

  std::string_view Name() const override { return "fixed-lag"; }
  // False with a reason when no event has a share target or a text.
  bool Applicable(std::string* why_not) const override;
  SignalRole Role() const override { return options_.joins ? SignalRole::kJoinsGroups : SignalRole::kFormsGroups; }
  double EvidenceWeight() const override { return options_.weight; }
  bool JoiningProvesInauthenticity() const override { return false; }
  std::string EdgeMeaning() const override;

  // Pairs tested (at least min_common_items occasions), valid after Run().
  uint64_t tests() const;

 protected:
  Status Compute() override;
  // Strongest first; weight = lags repeated (m).
  const std::vector<SignalEdge>& DoEdges() const override { return edges_; }
  double DoEdgeLog10P(size_t i) const override { return evidence_[i].log10_p; }
  // "b acted 20 min after a (+/- 60 s) on 7 of the 10 occasions they acted on the same items, where 0.2 were expected ..."
  std::string DoExplainEdge(const SignalEdge& edge) const override;

 private:
  struct Evidence {
    uint32_t common;  // n, occasions
    int64_t lag;      // L, seconds, t_b - t_a
    double expected;  // n x q
    double log10_p;   // corrected
  };
  const Dataset& ds_;
  FixedLagOptions options_;
  uint64_t tests_ = 0;
  std::vector<SignalEdge> edges_;
  std::vector<Evidence> evidence_;  // parallel to edges_
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_FIXED_LAG_H_
