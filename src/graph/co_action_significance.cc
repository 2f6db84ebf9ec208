#include "lockstep/graph/co_action_significance.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

size_t BenjaminiHochbergKept(const std::vector<double>& sorted_log10_p, uint64_t tests, double fdr) {
  // The largest rank i with p_(i) <= q i / m, in log10.
  const double log_q_over_m = std::log10(fdr) - std::log10(std::max<double>(1, static_cast<double>(tests)));
  size_t keep = 0;
  for (size_t i = 0; i < sorted_log10_p.size(); ++i)
    if (sorted_log10_p[i] <= log_q_over_m + std::log10(static_cast<double>(i + 1))) keep = i + 1;
  return keep;
}

namespace {

// The first element of [first, last) not before `value` (by `before`), given
// that the answer is not before `first`: a galloping search from `first`,
// O(log d) for an answer d elements on, so a walk over ascending values costs
// O(min(n log m, n + m)) in all.
template <typename Before>
const int64_t* GallopTo(const int64_t* first, const int64_t* last, int64_t value, Before before) {
  if (first == last || !before(*first, value)) return first;
  ptrdiff_t step = 1;
  while (step < last - first && before(first[step], value)) {
    first += step;
    step *= 2;
  }
  // before(*first, value) holds; the answer is in (first, first + step].
  const int64_t* end = step < last - first ? first + step : last;
  return std::partition_point(first + 1, end, [&](int64_t t) { return before(t, value); });
}

// A lambda above which P(X >= k; Poisson(lambda)) > 10^log10_p, for
// log10_p < 0: the tail grows with lambda, so bisection finds the crossing;
// 1 % more keeps clear of rounding where the tail's two formulas meet.
double LambdaAbove(uint32_t k, double log10_p) {
  double lo = 0, hi = std::max(1.0, static_cast<double>(k));
  while (Log10PoissonTail(k, hi) <= log10_p) hi *= 2;
  for (int i = 0; i < 100 && lo < hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (Log10PoissonTail(k, mid) > log10_p ? hi : lo) = mid;
  }
  return 1.01 * hi;
}

}  // namespace

double CoActionNull::Expected(AccountIndex a, AccountIndex b, double stop_above) const {
  if (a + 1 >= begin_.size() || b + 1 >= begin_.size()) return 0;
  // lambda_ab = (w / s) x the sum, over pairs of a's and b's actions at most s
  // apart, of (pi_i + pi_j) / 2: each side's expected matches, averaged. Walk
  // the account with fewer actions; the other's actions in range, [lo, hi),
  // only move forward, so each bound gallops on from where it was.
  if (begin_[a + 1] - begin_[a] > begin_[b + 1] - begin_[b]) std::swap(a, b);
  const int64_t* y_begin = time_.data() + begin_[b];
  const int64_t* y_end = time_.data() + begin_[b + 1];
  const double* y_sum = share_sum_.data() + begin_[b];
  auto sum_before = [y_sum](ptrdiff_t i) { return i == 0 ? 0.0 : y_sum[i - 1]; };
  auto less = [](int64_t t, int64_t v) { return t < v; };
  auto not_after = [](int64_t t, int64_t v) { return t <= v; };
  const int64_t* lo_at = y_begin;
  const int64_t* hi_at = y_begin;
  double total = 0, before = 0;
  const double stop_total = stop_above / (0.5 * fraction_);  // inf when fraction_ is 0
  for (uint64_t i = begin_[a]; i < begin_[a + 1]; ++i) {
    const double share = share_sum_[i] - before;
    before = share_sum_[i];
    lo_at = GallopTo(lo_at, y_end, time_[i] - smooth_, less);
    hi_at = GallopTo(std::max(hi_at, lo_at), y_end, time_[i] + smooth_, not_after);
    const ptrdiff_t lo = lo_at - y_begin, hi = hi_at - y_begin;
    total += share * static_cast<double>(hi - lo) + sum_before(hi) - sum_before(lo);
    if (total > stop_total) break;  // the terms are >= 0: lambda_ab only grows
  }
  return 0.5 * fraction_ * total;
}

CoActionSignificance::CoActionSignificance(const ObjectKeys& keys, const CoActionSignal& signal,
                                           SignificanceOptions options)
    : keys_(keys), signal_(signal), options_(options) {}

Status CoActionSignificance::Run() {
  if (!(options_.fdr > 0 && options_.fdr < 1))
    return Status::InvalidArgument(fmt::format("fdr must be in (0, 1), got {}", options_.fdr));
  if (options_.horizon_seconds <= 0)
    return Status::InvalidArgument(fmt::format("horizon must be > 0 seconds, got {}", options_.horizon_seconds));
  if (options_.window_seconds < 0)
    return Status::InvalidArgument(fmt::format("window must be >= 0 seconds, got {}", options_.window_seconds));
  const int64_t h = options_.horizon_seconds;
  kept_.clear();
  scored_.clear();
  null_ = CoActionNull();
  const std::vector<Action>& actions = keys_.actions;
  if (actions.empty()) return Status::Ok();
  // N(t +/- h), the layer's actions within h of each action: all of them
  // sorted by time, two pointers.
  std::vector<uint32_t> near(actions.size());
  {
    std::vector<std::pair<int64_t, uint32_t>> by_time(actions.size());
    for (size_t i = 0; i < actions.size(); ++i) by_time[i] = {actions[i].time, static_cast<uint32_t>(i)};
    std::sort(by_time.begin(), by_time.end());
    size_t lo = 0, hi = 0;
    for (const auto& [t, i] : by_time) {
      while (by_time[lo].first < t - h) ++lo;
      while (hi < by_time.size() && by_time[hi].first <= t + h) ++hi;
      near[i] = static_cast<uint32_t>(hi - lo);
    }
  }
  // Per account, its actions' times and current key shares, in time order
  // (one array, each account's actions contiguous).
  struct Timed {
    int64_t time;
    double share;
  };
  std::vector<uint64_t> count;
  for (const Action& a : actions) {
    if (count.size() <= a.account) count.resize(a.account + 1, 0);
    ++count[a.account];
  }
  CoActionNull& null = null_;
  null.begin_.assign(count.size() + 1, 0);
  for (size_t a = 0; a < count.size(); ++a) null.begin_[a + 1] = null.begin_[a] + count[a];
  std::vector<Timed> timed(actions.size());
  {
    std::vector<uint64_t> next(null.begin_.begin(), null.begin_.end() - 1);
    for (size_t k = 0; k < keys_.num_keys(); ++k) {
      const auto group = keys_.Key(k);
      size_t lo = 0, hi = 0;
      for (size_t i = 0; i < group.size(); ++i) {
        const int64_t t = group[i].time;
        while (group[lo].time < t - h) ++lo;
        while (hi < group.size() && group[hi].time <= t + h) ++hi;
        const double all = near[static_cast<size_t>(&group[i] - actions.data())];
        timed[next[group[i].account]++] = {t, static_cast<double>(hi - lo) / std::max(1.0, all)};
      }
    }
  }
  uint64_t active = 0;
  null.time_.resize(timed.size());
  null.share_sum_.resize(timed.size());
  for (size_t a = 0; a + 1 < null.begin_.size(); ++a) {
    const uint64_t b = null.begin_[a], e = null.begin_[a + 1];
    active += b != e;
    std::sort(timed.begin() + static_cast<ptrdiff_t>(b), timed.begin() + static_cast<ptrdiff_t>(e),
              [](const Timed& x, const Timed& y) { return x.time < y.time; });
    double sum = 0;
    for (uint64_t i = b; i < e; ++i) {
      null.time_[i] = timed[i].time;
      null.share_sum_[i] = sum += timed[i].share;
    }
  }
  tests_ = active * (active - 1) / 2;
  null.smooth_ = std::max(options_.rate_smoothing_seconds, options_.window_seconds);
  null.fraction_ = (2.0 * static_cast<double>(options_.window_seconds) + 1) / (2.0 * static_cast<double>(null.smooth_) + 1);
  // p-values of the observed edges; every other pair has p = 1.
  const auto& edges = signal_.edges();
  size_t testable = 0;
  for (const CoActionEdge& e : edges) testable += e.keys >= options_.min_keys;
  // Benjamini-Hochberg keeps p_(i) <= fdr i / tests, so never an edge above
  // fdr x testable / tests: a cutoff at or above that leaves edges() as it is.
  const double cutoff =
      options_.max_scored_log10_p < 0 &&
              options_.max_scored_log10_p >= std::log10(options_.fdr * static_cast<double>(testable) /
                                                        std::max<double>(1, static_cast<double>(tests_)))
          ? options_.max_scored_log10_p
          : 0;
  std::vector<SignificantEdge> scored;
  scored.reserve(cutoff < 0 ? testable / 8 : testable);
  // An edge on k keys is scored only if its lambda is at most stop_above[k]:
  // the sum for lambda stops once past it (most chance pairs, early).
  std::vector<double> stop_above;
  auto stop_for = [&](uint32_t k) {
    if (cutoff >= 0) return std::numeric_limits<double>::infinity();
    if (k >= stop_above.size()) {
      if (k >= 4096) return LambdaAbove(k, cutoff);
      stop_above.resize(k + 1, -1);
    }
    if (stop_above[k] < 0) stop_above[k] = LambdaAbove(k, cutoff);
    return stop_above[k];
  };
  for (size_t i = 0; i < edges.size(); ++i) {
    const CoActionEdge& e = edges[i];
    if (e.keys < options_.min_keys) continue;
    const double lambda = null.Expected(e.a, e.b, stop_for(e.keys));
    const double log10_p = Log10PoissonTail(e.keys, lambda);
    if (log10_p <= cutoff) scored.push_back({e.a, e.b, e.keys, lambda, log10_p, i});
  }
  std::sort(scored.begin(), scored.end(),
            [](const SignificantEdge& x, const SignificantEdge& y) { return x.log10_p < y.log10_p; });
  std::vector<double> log10_p(scored.size());
  for (size_t i = 0; i < scored.size(); ++i) log10_p[i] = scored[i].log10_p;
  const size_t keep = BenjaminiHochbergKept(log10_p, tests_, options_.fdr);
  kept_.assign(scored.begin(), scored.begin() + keep);
  scored_ = std::move(scored);
  return Status::Ok();
}

std::string CoActionSignificance::Explain(const SignificantEdge& edge) const {
  return fmt::format("co-acted on {} {} key{} where {:.2g} would be expected by chance (p = 1e{:.0f})", edge.observed,
                     SignalName(keys_.kind).substr(3), edge.observed == 1 ? "" : "s", edge.expected, edge.log10_p);
}

}  // namespace lockstep
