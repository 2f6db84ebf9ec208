#include "lockstep/signals/fixed_lag.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "lockstep/signals/object_keys.h"
#include "lockstep/signals/text_normalize.h"
#include "signals/pair_map.h"

namespace lockstep {

double Log10BinomialTail(uint64_t x, uint64_t n, double q) {
  if (x == 0) return 0;
  if (x > n || !(q > 0)) return -std::numeric_limits<double>::infinity();
  if (q >= 1) return 0;
  const double lq = std::log(q), l1q = std::log1p(-q);
  // log of each term C(n, k) q^k (1-q)^(n-k), k = x..n, summed from the largest.
  auto term = [&](uint64_t k) {
    const double kd = static_cast<double>(k), nd = static_cast<double>(n);
    return std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) + kd * lq + (nd - kd) * l1q;
  };
  double peak = -std::numeric_limits<double>::infinity();
  for (uint64_t k = x; k <= n; ++k) peak = std::max(peak, term(k));
  double sum = 0;
  for (uint64_t k = x; k <= n; ++k) sum += std::exp(term(k) - peak);
  return std::min(0.0, (peak + std::log(sum)) / std::log(10.0));
}

FixedLagRepetitionSignal::FixedLagRepetitionSignal(const Dataset& ds, FixedLagOptions options)
    : ds_(ds), options_(options) {}

bool FixedLagRepetitionSignal::Applicable(std::string* why_not) const {
  const Events& ev = ds_.events;
  for (size_t i = 0; i < ev.size(); ++i)
    if ((ev.type[i] == EventType::kShare && ev.target_id[i] != kNoString) ||
        (ev.complete() && !ev.Text(i).empty()))
      return true;
  if (why_not != nullptr) *why_not = "no shared post ids and no texts in the data";
  return false;
}

uint64_t FixedLagRepetitionSignal::tests() const {
  AssureFinished();
  return tests_;
}

std::string FixedLagRepetitionSignal::EdgeMeaning() const {
  return fmt::format("repeat one another at one fixed lag (>= {} min) on most of their common items",
                     options_.min_lag_seconds / 60);
}

Status FixedLagRepetitionSignal::Compute() {
  const FixedLagOptions& o = options_;
  if (o.min_common_items < 2)
    return Status::InvalidArgument(fmt::format("min_common_items must be >= 2, got {}", o.min_common_items));
  if (o.min_repeats < 2 || o.min_repeats > o.min_common_items)
    return Status::InvalidArgument(
        fmt::format("min_repeats must be in [2, min_common_items = {}], got {}", o.min_common_items, o.min_repeats));
  if (!(o.min_share >= 0 && o.min_share <= 1))
    return Status::InvalidArgument(fmt::format("min_share must be in [0, 1], got {}", o.min_share));
  if (o.tolerance_seconds < 0)
    return Status::InvalidArgument(fmt::format("tolerance_seconds must be >= 0, got {}", o.tolerance_seconds));
  if (o.min_lag_seconds <= o.tolerance_seconds)
    return Status::InvalidArgument(fmt::format("min_lag_seconds must be > tolerance_seconds = {}, got {}",
                                               o.tolerance_seconds, o.min_lag_seconds));
  if (o.max_lag_seconds < o.min_lag_seconds || o.max_lag_seconds > 7 * 86400)
    return Status::InvalidArgument(fmt::format("max_lag_seconds must be in [min_lag_seconds = {}, 604800], got {}",
                                               o.min_lag_seconds, o.max_lag_seconds));
  if (o.occasion_gap_seconds < 0)
    return Status::InvalidArgument(fmt::format("occasion_gap_seconds must be >= 0, got {}", o.occasion_gap_seconds));
  if (o.max_item_accounts < 2)
    return Status::InvalidArgument(fmt::format("max_item_accounts must be >= 2, got {}", o.max_item_accounts));
  if (!(o.alpha > 0 && o.alpha < 1))
    return Status::InvalidArgument(fmt::format("alpha must be in (0, 1), got {}", o.alpha));
  if (!(o.log10_p_full > 0))
    return Status::InvalidArgument(fmt::format("log10_p_full must be > 0, got {}", o.log10_p_full));
  if (!(o.weight > 0)) return Status::InvalidArgument(fmt::format("weight must be > 0, got {}", o.weight));

  // Items: a share's target id, else the normalised text.
  const Events& ev = ds_.events;
  std::vector<uint32_t> item(ev.size(), UINT32_MAX);
  {
    std::unordered_map<StringId, uint32_t> by_target;
    std::unordered_map<std::string, uint32_t> by_text;
    uint32_t next = 0;
    std::string norm;
    std::vector<TextToken> tokens;
    const TextNormalizeOptions text_options;
    // Posts that somebody shared by id are that id's item, as their shares are.
    for (size_t i = 0; i < ev.size(); ++i)
      if (ev.type[i] == EventType::kShare && ev.target_id[i] != kNoString) by_target.try_emplace(ev.target_id[i], 0);
    for (auto& [id, k] : by_target) k = next++;
    for (size_t i = 0; i < ev.size(); ++i) {
      if (ev.type[i] == EventType::kPost && ev.event_id[i] != kNoString) {
        if (auto it = by_target.find(ev.event_id[i]); it != by_target.end()) {
          item[i] = it->second;
          continue;
        }
      }
      if (ev.type[i] == EventType::kShare && ev.target_id[i] != kNoString) {
        auto [it, added] = by_target.try_emplace(ev.target_id[i], next);
        next += added;
        item[i] = it->second;
      } else if (ev.complete() && (ev.type[i] == EventType::kPost || ev.type[i] == EventType::kShare) &&
                 !ev.Text(i).empty()) {
        NormalizeText(ev.Text(i), text_options, &norm, &tokens);
        if (tokens.size() < o.min_text_tokens) continue;
        auto [it, added] = by_text.try_emplace(norm, next);
        next += added;
        item[i] = it->second;
      }
    }
  }
  auto keys = ExtractObjectKeys(ds_, ObjectKeyKind::kText, &item, /*threads=*/1);
  if (!keys.ok()) return keys.status();

  // Each pair's lags, one per common item (its closest two actions), and
  // every lag's magnitude for the population's null.
  const int64_t h = o.max_lag_seconds;
  std::vector<uint64_t> magnitude(static_cast<size_t>(h) + 1, 0);
  struct Lag {
    int64_t lag;   // t_b - t_a, seconds
    int64_t when;  // the earlier of the two actions
    bool operator<(const Lag& o) const { return lag != o.lag ? lag < o.lag : when < o.when; }
  };
  internal::PairMap<std::vector<Lag>> lags;
  std::vector<std::pair<uint64_t, Lag>> on_item;  // (pair, lag) on one item
  std::vector<AccountIndex> accounts;
  for (size_t k = 0; k < keys->num_keys(); ++k) {
    const std::span<const Action> acts = keys->Key(k);
    if (acts.size() < 2) continue;
    accounts.clear();
    for (const Action& a : acts) accounts.push_back(a.account);
    std::sort(accounts.begin(), accounts.end());
    accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
    if (accounts.size() < 2 || accounts.size() > o.max_item_accounts) continue;
    on_item.clear();
    for (size_t i = 0; i < acts.size(); ++i)
      for (size_t j = i + 1; j < acts.size() && acts[j].time - acts[i].time <= h; ++j) {
        if (acts[i].account == acts[j].account) continue;
        const bool i_first = acts[i].account < acts[j].account;
        const AccountIndex a = i_first ? acts[i].account : acts[j].account;
        const AccountIndex b = i_first ? acts[j].account : acts[i].account;
        const int64_t lag = i_first ? acts[j].time - acts[i].time : acts[i].time - acts[j].time;
        on_item.push_back({internal::PairKey(a, b), Lag{lag, acts[i].time}});
      }
    std::sort(on_item.begin(), on_item.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first < y.first : std::abs(x.second.lag) < std::abs(y.second.lag);
    });
    for (size_t i = 0; i < on_item.size(); ++i) {
      if (i > 0 && on_item[i].first == on_item[i - 1].first) continue;
      lags.Get(on_item[i].first).push_back(on_item[i].second);
      ++magnitude[static_cast<size_t>(std::abs(on_item[i].second.lag))];
    }
  }
  // Cumulative counts of |lag| <= s.
  std::vector<double> cumulative(magnitude.size());
  double total = 0;
  for (size_t s = 0; s < magnitude.size(); ++s) cumulative[s] = total += static_cast<double>(magnitude[s]);
  const int64_t tol = o.tolerance_seconds;
  const double uniform = static_cast<double>(2 * tol + 1) / static_cast<double>(2 * h + 1);
  // Probability that an independent lag lands within L +/- tol, L's sign included.
  auto window_share = [&](int64_t lag) {
    const int64_t mag = std::abs(lag);
    const int64_t hi = std::min(h, mag + tol), lo = mag - tol - 1;
    const double in = cumulative[static_cast<size_t>(hi)] - (lo >= 0 ? cumulative[static_cast<size_t>(lo)] : 0);
    return std::max(uniform, total > 0 ? in / total / 2 : 0.0);
  };
  const double log10_windows = std::log10(std::max(1.0, static_cast<double>(h) / std::max<int64_t>(1, tol)));

  struct Found {
    AccountIndex a, b;
    uint32_t repeats;
    Evidence evidence;
  };
  std::vector<Found> found;
  tests_ = 0;
  // Occasions among some lags: their `when`s, clustered with gaps > occasion_gap_seconds.
  std::vector<int64_t> whens;
  auto occasions = [&](auto begin, auto end) {
    whens.clear();
    for (auto it = begin; it != end; ++it) whens.push_back(it->when);
    std::sort(whens.begin(), whens.end());
    uint32_t count = 0;
    for (size_t i = 0; i < whens.size(); ++i) count += i == 0 || whens[i] - whens[i - 1] > o.occasion_gap_seconds;
    return count;
  };
  for (auto& [key, list] : lags.entries()) {
    if (list.size() < o.min_common_items) continue;
    const uint64_t n = occasions(list.begin(), list.end());
    if (n < o.min_common_items) continue;
    ++tests_;
    std::sort(list.begin(), list.end());
    // Probability that one of an occasion's items (list.size() / n on average) lands in the window.
    const double per_occasion = static_cast<double>(list.size()) / static_cast<double>(n);
    auto occasion_share = [&](int64_t lag) { return 1 - std::pow(1 - window_share(lag), per_occasion); };
    // The best window: most lags within 2 tol of each other, one sign, centre >= min_lag.
    uint32_t best_m = 0;
    double best_log10_p = 0;
    int64_t best_lag = 0;
    for (size_t i = 0, j = 0; i < list.size(); ++i) {
      j = std::max(j, i);
      while (j + 1 < list.size() && list[j + 1].lag - list[i].lag <= 2 * tol) ++j;
      if ((list[i].lag < 0) != (list[j].lag < 0) || list[i].lag == 0 || list[j].lag == 0) continue;
      const int64_t centre = (list[i].lag + list[j].lag) / 2;
      if (std::abs(centre) < o.min_lag_seconds) continue;
      if (static_cast<uint32_t>(j - i + 1) < o.min_repeats) continue;
      const uint32_t m = occasions(list.begin() + static_cast<ptrdiff_t>(i), list.begin() + static_cast<ptrdiff_t>(j + 1));
      if (m < o.min_repeats || static_cast<double>(m) < o.min_share * static_cast<double>(n)) continue;
      const double log10_p = Log10BinomialTail(m, n, occasion_share(centre));
      if (log10_p < best_log10_p) {
        best_log10_p = log10_p;
        best_m = m;
        best_lag = centre;
      }
    }
    if (best_m == 0) continue;
    found.push_back({internal::PairFirst(key), internal::PairSecond(key), best_m,
                     {static_cast<uint32_t>(n), best_lag, static_cast<double>(n) * occasion_share(best_lag),
                      best_log10_p + log10_windows}});
  }
  const double log10_tests = std::log10(std::max<double>(1, static_cast<double>(tests_)));
  const double threshold = std::log10(o.alpha);
  std::erase_if(found, [&](Found& f) {
    f.evidence.log10_p = std::min(0.0, f.evidence.log10_p + log10_tests);
    return f.evidence.log10_p > threshold;
  });
  std::sort(found.begin(), found.end(), [](const Found& x, const Found& y) {
    if (x.evidence.log10_p != y.evidence.log10_p) return x.evidence.log10_p < y.evidence.log10_p;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  edges_.clear();
  evidence_.clear();
  for (const Found& f : found) {
    const float strength = static_cast<float>(std::min(1.0, -f.evidence.log10_p / o.log10_p_full));
    edges_.push_back({f.a, f.b, static_cast<float>(f.repeats), strength});
    evidence_.push_back(f.evidence);
  }
  return Status::Ok();
}

std::string FixedLagRepetitionSignal::DoExplainEdge(const SignalEdge& edge) const {
  for (size_t i = 0; i < edges_.size(); ++i) {
    if (edges_[i].a != edge.a || edges_[i].b != edge.b) continue;
    const Evidence& e = evidence_[i];
    const bool a_leads = e.lag > 0;
    const AccountIndex later = a_leads ? edge.b : edge.a, earlier = a_leads ? edge.a : edge.b;
    return fmt::format("{} acted {:.0f} min after {} (+/- {} s) on {:.0f} of the {} occasions they acted on the same items, where "
                       "{:.2f} were expected under independent timing (p = {:.1e}, corrected)",
                       ds_.AccountId(later), static_cast<double>(std::abs(e.lag)) / 60.0, ds_.AccountId(earlier),
                       options_.tolerance_seconds, edges_[i].weight, e.common, e.expected,
                       std::pow(10.0, e.log10_p));
  }
  return "";
}

}  // namespace lockstep
