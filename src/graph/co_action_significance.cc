#include "lockstep/graph/co_action_significance.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace lockstep {

double Log10PoissonTail(uint64_t x, double lambda) {
  if (x == 0) return 0;
  if (lambda <= 0) return -std::numeric_limits<double>::infinity();
  const double xd = static_cast<double>(x);
  if (lambda >= xd) {
    // The tail is large: 1 - CDF(x - 1), summed directly in linear space.
    double term = std::exp(-lambda), cdf = 0;
    for (uint64_t i = 0; i < x; ++i) {
      cdf += term;
      term *= lambda / static_cast<double>(i + 1);
    }
    return std::log10(std::max(1e-300, 1 - cdf));
  }
  // log P(X = x) + log Σ_j λ^j x! / (x + j)!; the series converges fast for λ < x.
  const double log_px = -lambda + xd * std::log(lambda) - std::lgamma(xd + 1);
  double sum = 1, term = 1;
  for (uint64_t j = 1; j < 10000; ++j) {
    term *= lambda / (xd + static_cast<double>(j));
    sum += term;
    if (term < 1e-16 * sum) break;
  }
  return (log_px + std::log(sum)) / std::log(10.0);
}

CoActionSignificance::CoActionSignificance(const ObjectKeys& keys, const CoActionSignal& signal,
                                           SignificanceOptions options)
    : keys_(keys), signal_(signal), options_(options) {}

Status CoActionSignificance::Run() {
  if (!(options_.fdr > 0 && options_.fdr < 1))
    return Status::InvalidArgument(fmt::format("fdr must be in (0, 1), got {}", options_.fdr));
  const auto& key_accounts = signal_.key_accounts();
  const auto& key_work = signal_.key_pair_work();
  if (key_accounts.size() != keys_.num_keys() || key_work.size() != keys_.num_keys())
    return Status::FailedPrecondition("the co-action signal has not been Run() on these keys");
  // Activity levels: distinct keys per account.
  std::vector<uint32_t> degree;
  std::vector<uint32_t> last_key;
  double total = 0, concentrated = 0;
  for (size_t k = 0; k < keys_.num_keys(); ++k) {
    for (const Action& a : keys_.Key(k)) {
      if (degree.size() <= a.account) {
        degree.resize(a.account + 1, 0);
        last_key.resize(a.account + 1, UINT32_MAX);
      }
      if (last_key[a.account] != k) {
        last_key[a.account] = static_cast<uint32_t>(k);
        ++degree[a.account];
      }
    }
    const double n = key_accounts[k];
    const double m = static_cast<double>(keys_.Key(k).size());
    total += n;
    if (m >= 2) concentrated += n * (n - 1) * std::min(1.0, static_cast<double>(key_work[k]) / (m * (m - 1) / 2));
  }
  uint64_t active = 0;
  for (uint32_t d : degree) active += d > 0;
  tests_ = active * (active - 1) / 2;
  scale_ = total > 0 ? concentrated / (total * total) : 0;
  // p-values of the observed edges; every other pair has p = 1.
  const auto& edges = signal_.edges();
  std::vector<SignificantEdge> scored;
  scored.reserve(edges.size());
  for (size_t i = 0; i < edges.size(); ++i) {
    const CoActionEdge& e = edges[i];
    const double lambda = static_cast<double>(degree[e.a]) * degree[e.b] * scale_;
    scored.push_back({e.a, e.b, e.keys, lambda, Log10PoissonTail(e.keys, lambda), i});
  }
  std::sort(scored.begin(), scored.end(),
            [](const SignificantEdge& x, const SignificantEdge& y) { return x.log10_p < y.log10_p; });
  // Benjamini–Hochberg: the largest rank i with p_(i) <= q i / m.
  const double log_q_over_m = std::log10(options_.fdr) - std::log10(std::max<double>(1, static_cast<double>(tests_)));
  size_t keep = 0;
  for (size_t i = 0; i < scored.size(); ++i)
    if (scored[i].log10_p <= log_q_over_m + std::log10(static_cast<double>(i + 1))) keep = i + 1;
  scored.resize(keep);
  kept_ = std::move(scored);
  return Status::Ok();
}

std::string CoActionSignificance::Explain(const SignificantEdge& edge) const {
  return fmt::format("co-acted on {} {} key{} where {:.2g} would be expected by chance (p = 1e{:.0f})", edge.observed,
                     SignalName(keys_.kind).substr(3), edge.observed == 1 ? "" : "s", edge.expected, edge.log10_p);
}

}  // namespace lockstep
