// Which co-action edges are unlikely by chance.
//
// Null model (a configuration model with timing): each account keeps its
// activity level d_a (distinct keys it acted on in this layer), each key k
// keeps its popularity n_k (distinct accounts) and its temporal
// concentration c_k (the share of its action pairs that fall within the
// window, which is high for a viral cascade). Accounts choose keys in
// proportion to popularity, independently. The expected number of keys on
// which a and b co-act is then
//     λ_ab = d_a · d_b · Σ_k n_k (n_k − 1) c_k / (Σ_k n_k)²
// and the observed count X_ab (distinct co-acted keys) is tested against
// Poisson(λ_ab). Viral posts and trending hashtags raise Σ n_k² c_k, so
// sharing them together is expected; a handful of obscure posts shared
// within seconds is not.
//
// Multiple testing: Benjamini–Hochberg at false-discovery rate `fdr` over
// all N(N−1)/2 pairs of active accounts (untested pairs have p = 1), so the
// expected number of false edges among those kept is at most fdr × kept.
#ifndef LOCKSTEP_GRAPH_CO_ACTION_SIGNIFICANCE_H_
#define LOCKSTEP_GRAPH_CO_ACTION_SIGNIFICANCE_H_

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
  double fdr = 0.01;   // Benjamini–Hochberg level, in (0, 1)
};

class CoActionSignificance {
 public:
  // `signal` must have been Run() with CoActionWeight::kKeys or kPairs on `keys`.
  CoActionSignificance(const ObjectKeys& keys, const CoActionSignal& signal, SignificanceOptions options);

  Status Run();

  // Edges kept, strongest first. Empty before Run().
  const std::vector<SignificantEdge>& edges() const { return kept_; }
  uint64_t tests() const { return tests_; }            // N(N-1)/2
  double expected_false_edges() const { return options_.fdr * static_cast<double>(kept_.size()); }
  double chance_scale() const { return scale_; }       // Σ n_k(n_k−1)c_k / (Σ n_k)²

  // "co-acted on 12 keys where 0.003 were expected by chance (p = 1e-40)".
  std::string Explain(const SignificantEdge& edge) const;

 private:
  const ObjectKeys& keys_;
  const CoActionSignal& signal_;
  SignificanceOptions options_;
  std::vector<SignificantEdge> kept_;
  uint64_t tests_ = 0;
  double scale_ = 0;
};

// log10 P(X >= x) for X ~ Poisson(lambda), accurate far into the tail.
double Log10PoissonTail(uint64_t x, double lambda);

}  // namespace lockstep

#endif  // LOCKSTEP_GRAPH_CO_ACTION_SIGNIFICANCE_H_
