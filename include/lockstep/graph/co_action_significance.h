// Which co-action edges are unlikely by chance.
//
// Null model, conditioned on when each account was active at the scale of
// an hour: every account keeps its activity in each hour (so its level, its
// daily rhythm and its bursts, e.g. joining a viral cascade, are preserved)
// but acts at random moments within it, and each action falls on a key
// chosen in proportion to that key's current popularity pi_k(t), the key's
// share of all actions within +/- horizon_seconds of t. The expected number
// of a's actions that b matches on the same key within the window w is
//     lambda_ab = sum over a's actions i of
//                 pi_{k_i}(t_i) * (2w / 2s) * #{b's actions within s of t_i}
// with s = rate_smoothing_seconds (>= w), averaged with the same sum from b's
// side. Thousands sharing a viral post in the same minutes have pi near 1 and
// co-act as expected; accounts that keep landing on the same obscure posts
// within seconds of each other do not. The observed
// number of distinct keys they co-acted on, X_ab, is tested against
// Poisson(lambda_ab).
//
// Multiple testing: Benjamini-Hochberg at false-discovery rate `fdr` over
// all N(N-1)/2 pairs of active accounts (untested pairs have p = 1), so the
// expected number of false edges among those kept is at most fdr x kept.
#ifndef LOCKSTEP_GRAPH_CO_ACTION_SIGNIFICANCE_H_
#define LOCKSTEP_GRAPH_CO_ACTION_SIGNIFICANCE_H_

#include <limits>
#include <string>
#include <vector>

#include "lockstep/model/status.h"
#include "lockstep/signals/co_action.h"
#include "lockstep/signals/object_keys.h"

namespace lockstep {

struct SignificantEdge {
  AccountIndex a;
  AccountIndex b;
  uint32_t observed;   // distinct keys co-acted on
  double expected;     // λ under the null
  double log10_p;      // log10 of the Poisson upper tail P(X >= observed)
  size_t edge_index;   // into the CoActionSignal's edges()
};

struct SignificanceOptions {
  double fdr = 0.01;              // Benjamini-Hochberg level, in (0, 1)
  int64_t window_seconds = 60;    // the co-action window w the signal used
  int64_t horizon_seconds = 3600; // popularity is measured within +/- this, > 0
  int64_t rate_smoothing_seconds = 1800;  // s: activity is kept per +/- s, >= window
  uint32_t min_keys = 2;          // fewer distinct co-acted keys is never significant
  // scored() keeps only edges with log10 p at most this (0: every edge), for
  // a caller that reads no weaker edge: on the scale-1 mix two layers score
  // 6-7M candidate edges, of which a few percent reach p <= 0.03, and
  // sorting the rest only to drop them cost a tenth of co-action's time.
  // edges() (Benjamini-Hochberg) is the same either way: an edge above the
  // cutoff could be kept only if the cutoff were below fdr x n / tests for n
  // scored edges, and then every edge is kept in scored().
  double max_scored_log10_p = 0;
};

// The null of one layer, kept after the test: every active account's action
// times with each action's key share pi, so that any pair's lambda can be
// asked for, also after the test (e.g. for pairs that are not edges).
class CoActionNull {
 public:
  // lambda_ab: the expected number of keys a and b co-act on by chance.
  // O(min(n_a log n_b, n_a + n_b)) for n_a <= n_b, their action counts.
  // With `stop_above`, a caller that only asks whether lambda_ab is at most
  // that much gets, once the sum passes it, a value above it (not lambda_ab).
  double Expected(AccountIndex a, AccountIndex b,
                  double stop_above = std::numeric_limits<double>::infinity()) const;
  bool empty() const { return time_.empty(); }

 private:
  friend class CoActionSignificance;
  std::vector<uint64_t> begin_;     // account a's actions: [begin_[a], begin_[a + 1])
  std::vector<int64_t> time_;       // in time order per account
  std::vector<double> share_sum_;   // prefix sums of the key shares, restarting per account
  int64_t smooth_ = 0;
  double fraction_ = 0;             // (2w + 1) / (2s + 1)
};

class CoActionSignificance {
 public:
  // `signal` must have been Run() with CoActionWeight::kKeys or kPairs on `keys`.
  CoActionSignificance(const ObjectKeys& keys, const CoActionSignal& signal, SignificanceOptions options);

  Status Run();

  // Edges kept by Benjamini-Hochberg, strongest first. Empty before Run().
  const std::vector<SignificantEdge>& edges() const { return kept_; }
  // Every edge with at least min_keys co-acted keys (and log10 p at most
  // max_scored_log10_p) and its p-value, strongest first: weak edges are
  // still evidence when many of them join the same group of accounts
  // (detection tests groups for density).
  const std::vector<SignificantEdge>& scored() const { return scored_; }
  uint64_t tests() const { return tests_; }            // N(N-1)/2
  double expected_false_edges() const { return options_.fdr * static_cast<double>(kept_.size()); }

  // "co-acted on 12 keys where 0.003 were expected by chance (p = 1e-40)".
  std::string Explain(const SignificantEdge& edge) const;

  // The layer's null, valid after Run(); may be moved out to outlive the test.
  CoActionNull& null() { return null_; }

 private:
  const ObjectKeys& keys_;
  const CoActionSignal& signal_;
  SignificanceOptions options_;
  std::vector<SignificantEdge> kept_;
  std::vector<SignificantEdge> scored_;
  uint64_t tests_ = 0;
  CoActionNull null_;
};

// log10 P(X >= x) for X ~ Poisson(lambda), accurate far into the tail.
double Log10PoissonTail(uint64_t x, double lambda);

// Benjamini-Hochberg step-up (1995): how many of the smallest p-values to
// keep at false-discovery rate `fdr` among `tests` tests (pairs not listed
// have p = 1). `sorted_log10_p` holds log10 p ascending; the answer is the
// largest rank i (1-based) with p_(i) <= fdr x i / tests, 0 if none.
size_t BenjaminiHochbergKept(const std::vector<double>& sorted_log10_p, uint64_t tests, double fdr);

}  // namespace lockstep

#endif  // LOCKSTEP_GRAPH_CO_ACTION_SIGNIFICANCE_H_
