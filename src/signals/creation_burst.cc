#include "lockstep/signals/creation_burst.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include "lockstep/model/time.h"

namespace lockstep {

namespace {

std::string Day(int64_t t) { return FormatTime(t).substr(0, 10); }

std::string PValue(double log10_p) {
  if (log10_p >= -3) return fmt::format("{:.3g}", std::pow(10.0, log10_p));
  return fmt::format("1e{:.0f}", std::floor(log10_p));
}

struct Candidate {
  int64_t start;  // bin
  int length;     // bins
  uint32_t count;
  double expected;
  double rate;    // per bin
  double log10_p;
};

}  // namespace

double PoissonLogTail(uint64_t k, double mean) {
  if (k == 0) return 0;
  if (!(mean > 0)) return -std::numeric_limits<double>::infinity();
  const double kd = static_cast<double>(k);
  if (kd > mean) {
    // P(X >= k) = pmf(k) * sum_{i >= 0} prod_{j=1..i} mean / (k + j).
    const double log_pmf = -mean + kd * std::log(mean) - std::lgamma(kd + 1);
    double term = 1, sum = 1;
    for (uint64_t i = 1; i < 10'000'000; ++i) {
      term *= mean / (kd + static_cast<double>(i));
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return log_pmf + std::log(sum);
  }
  // P(X >= k) = 1 - P(X <= k - 1), the lower tail summed downwards from k - 1.
  const double top = kd - 1;
  const double log_pmf_top = -mean + top * std::log(mean) - std::lgamma(top + 1);
  double term = 1, sum = 1;
  for (double i = top; i > 0; --i) {
    term *= i / mean;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const double cdf = std::exp(log_pmf_top + std::log(sum));
  return cdf >= 1 ? -std::numeric_limits<double>::infinity() : std::log1p(-cdf);
}

CreationBurstSignal::CreationBurstSignal(const Dataset& ds, CreationBurstOptions options)
    : ds_(ds), options_(std::move(options)) {}

bool CreationBurstSignal::Applicable(std::string* why_not) const {
  size_t with = 0;
  for (const Account& a : ds_.accounts) with += a.created_at != kNoTime ? 1 : 0;
  if (with >= std::max<uint32_t>(options_.min_accounts, 2)) return true;
  if (why_not != nullptr)
    *why_not = fmt::format("{} account{} with a creation time, fewer than the {} a burst needs", with,
                           with == 1 ? "" : "s", options_.min_accounts);
  return false;
}

Status CreationBurstSignal::Compute() {
  const CreationBurstOptions& o = options_;
  if (o.bin_seconds < 1) return Status::InvalidArgument(fmt::format("bin_seconds must be >= 1, got {}", o.bin_seconds));
  if (o.window_bins.empty()) return Status::InvalidArgument("window_bins must list at least one window length, got none");
  for (int w : o.window_bins)
    if (w < 1) return Status::InvalidArgument(fmt::format("every window_bins entry must be >= 1, got {}", w));
  if (o.baseline_bins < 4)
    return Status::InvalidArgument(fmt::format("baseline_bins must be >= 4, got {}", o.baseline_bins));
  if (o.min_accounts < 2) return Status::InvalidArgument(fmt::format("min_accounts must be >= 2, got {}", o.min_accounts));
  if (!(o.min_rate_ratio >= 1))
    return Status::InvalidArgument(fmt::format("min_rate_ratio must be >= 1, got {}", o.min_rate_ratio));
  if (!(o.alpha > 0 && o.alpha < 1)) return Status::InvalidArgument(fmt::format("alpha must be in (0, 1), got {}", o.alpha));
  bursts_.clear(), groups_.clear();
  windows_tested_ = 0;
  const size_t n = ds_.num_accounts();
  scores_.assign(n, 0);
  burst_of_.assign(n, 0);

  std::vector<std::pair<int64_t, AccountIndex>> created;  // (time, account), by time
  for (AccountIndex a = 0; a < n; ++a)
    if (ds_.accounts[a].created_at != kNoTime) created.emplace_back(ds_.accounts[a].created_at, a);
  std::sort(created.begin(), created.end());
  if (created.size() < o.min_accounts) {
    return Status::Ok();
  }
  const int64_t first_bin = FloorDiv(created.front().first, o.bin_seconds);
  const int64_t bins = FloorDiv(created.back().first, o.bin_seconds) - first_bin + 1;
  std::vector<uint64_t> prefix(static_cast<size_t>(bins) + 1, 0);  // prefix[b] = accounts in bins [0, b)
  for (const auto& [t, a] : created) ++prefix[static_cast<size_t>(FloorDiv(t, o.bin_seconds) - first_bin) + 1];
  for (int64_t b = 0; b < bins; ++b) prefix[b + 1] += prefix[b];
  auto count = [&](int64_t lo, int64_t hi) { return prefix[static_cast<size_t>(hi)] - prefix[static_cast<size_t>(lo)]; };

  std::vector<int> lengths = o.window_bins;
  std::sort(lengths.begin(), lengths.end());
  lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
  for (int len : lengths)
    if (len <= bins) windows_tested_ += static_cast<uint64_t>(bins - len + 1);
  const double log10_tests = std::log10(static_cast<double>(std::max<uint64_t>(windows_tested_, 1)));
  const int64_t min_side = std::max(1, o.baseline_bins / 4);

  std::vector<Candidate> candidates;
  for (int len : lengths) {
    for (int64_t s = 0; s + len <= bins; ++s) {
      const uint64_t c = count(s, s + len);
      if (c < o.min_accounts) continue;
      const int64_t left_lo = std::max<int64_t>(0, s - o.baseline_bins), right_hi = std::min(bins, s + len + o.baseline_bins);
      const int64_t left_bins = s - left_lo, right_bins = right_hi - (s + len);
      double rate = -1;
      if (left_bins >= min_side) rate = std::max(rate, (static_cast<double>(count(left_lo, s)) + 0.5) / static_cast<double>(left_bins));
      if (right_bins >= min_side)
        rate = std::max(rate, (static_cast<double>(count(s + len, right_hi)) + 0.5) / static_cast<double>(right_bins));
      if (rate < 0) {  // the data's range is barely longer than the window: the rest of it
        if (bins <= len) continue;
        rate = (static_cast<double>(prefix[bins] - c) + 0.5) / static_cast<double>(bins - len);
      }
      const double expected = rate * len;
      if (static_cast<double>(c) < o.min_rate_ratio * expected) continue;
      const double log10_p = PoissonLogTail(c, expected) / std::log(10.0);
      if (log10_p + log10_tests > std::log10(o.alpha)) continue;
      candidates.push_back({s, len, static_cast<uint32_t>(c), expected, rate, log10_p});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
    if (x.log10_p != y.log10_p) return x.log10_p < y.log10_p;
    if (x.length != y.length) return x.length < y.length;
    return x.start < y.start;
  });
  std::vector<std::pair<int64_t, int64_t>> taken;  // bin intervals [lo, hi)
  for (const Candidate& cand : candidates) {
    const int64_t lo = cand.start, hi = cand.start + cand.length;
    bool overlaps = false;
    for (const auto& [tlo, thi] : taken) overlaps = overlaps || (lo < thi && tlo < hi);
    if (overlaps) continue;
    taken.emplace_back(lo, hi);
    CreationBurst b;
    b.window_start = (first_bin + lo) * o.bin_seconds;
    b.window_end = (first_bin + hi) * o.bin_seconds;
    b.count = cand.count;
    b.expected = cand.expected;
    b.baseline_per_day = cand.rate * 86400.0 / static_cast<double>(o.bin_seconds);
    b.rate_ratio = cand.expected > 0 ? cand.count / cand.expected : std::numeric_limits<double>::infinity();
    b.log10_p = cand.log10_p;
    b.log10_p_corrected = std::min(0.0, cand.log10_p + log10_tests);
    auto it = std::lower_bound(created.begin(), created.end(), std::pair<int64_t, AccountIndex>(b.window_start, 0));
    for (; it != created.end() && it->first < b.window_end; ++it) b.accounts.push_back(it->second);
    b.first_created = created[static_cast<size_t>(std::lower_bound(created.begin(), created.end(),
                                                                   std::pair<int64_t, AccountIndex>(b.window_start, 0)) -
                                                  created.begin())].first;
    b.last_created = (it - 1)->first;
    std::sort(b.accounts.begin(), b.accounts.end());
    bursts_.push_back(std::move(b));
  }
  for (uint32_t i = 0; i < bursts_.size(); ++i) {
    const CreationBurst& b = bursts_[i];
    SignalGroup g;
    g.accounts = b.accounts;
    g.strength = static_cast<float>(std::clamp((b.count - b.expected) / b.count, 0.0, 1.0));
    g.p_value = std::pow(10.0, b.log10_p_corrected);
    g.explanation = Describe(b);
    for (AccountIndex a : b.accounts) {
      scores_[a] = g.strength;
      burst_of_[a] = i + 1;
    }
    groups_.push_back(std::move(g));
  }
  return Status::Ok();
}

const std::vector<float>& CreationBurstSignal::DoAccountScores() const { return scores_; }
const std::vector<SignalGroup>& CreationBurstSignal::DoGroups() const { return groups_; }
const std::vector<CreationBurst>& CreationBurstSignal::bursts() const {
  AssureFinished();
  return bursts_;
}

std::string CreationBurstSignal::Describe(const CreationBurst& b) const {
  const double days = static_cast<double>(b.window_end - b.window_start) / 86400.0;
  return fmt::format(
      "{} accounts created {}..{} (window of {:.3g} day{}), {:.1f}x the local baseline of {:.2f}/day (expected {:.1f}; "
      "Poisson p = {}, {} after correcting for {} windows)",
      b.count, Day(b.first_created), Day(b.last_created), days, days == 1 ? "" : "s", b.rate_ratio, b.baseline_per_day,
      b.expected, PValue(b.log10_p), PValue(b.log10_p_corrected), windows_tested_);
}

std::string CreationBurstSignal::DoExplainAccount(AccountIndex account) const {
  if (!ds_.IsAccount(account)) return "";
  const int64_t t = ds_.accounts[account].created_at;
  if (t == kNoTime) return fmt::format("{} has no creation time", ds_.AccountId(account));
  if (burst_of_[account] == 0) return fmt::format("{} was created {}, in no creation burst", ds_.AccountId(account), Day(t));
  return fmt::format("{} was created {}, in a burst: {}; strength {:.2f}", ds_.AccountId(account), Day(t),
                     Describe(bursts_[burst_of_[account] - 1]), scores_[account]);
}

}  // namespace lockstep
