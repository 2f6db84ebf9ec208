#include "lockstep/detect/creation_cohort.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>

#include <fmt/format.h>

#include "lockstep/detect/observed_tenure.h"
#include "lockstep/model/time.h"
#include "lockstep/signals/fixed_lag.h"

namespace lockstep {

namespace {

constexpr double kSecondsPerDay = 86400;

std::string Day(int64_t t) { return FormatTime(t).substr(0, 10); }

}  // namespace

CreationCohort::CreationCohort(const Dataset& ds, CreationCohortOptions options) : ds_(ds), options_(options) {}

CreationCohort::CreationCohort(const Dataset& ds, CreationCohortOptions options, const ObservedTenure* first_actions)
    : ds_(ds), options_(options), first_actions_(first_actions) {}

int64_t CreationCohort::DateOf(AccountIndex a) const {
  if (first_actions_ != nullptr) return first_actions_->FirstActionIfNew(a);
  return a < ds_.accounts.size() ? ds_.accounts[a].created_at : kNoTime;
}

Status CreationCohort::Run() {
  if (called_) return Status::FailedPrecondition("creation cohort: already run");
  called_ = true;
  const CreationCohortOptions& o = options_;
  if (!(o.cohort_share > 0 && o.cohort_share <= 1) || !(o.min_known_share >= 0 && o.min_known_share <= 1) ||
      !(o.min_window_days > 0) || !(o.max_log10_p <= 0) || !(o.full_log10_p > 0))
    return Status::InvalidArgument(fmt::format(
        "creation cohort: cohort_share {} (expected 0 < x <= 1), min_known_share {} (0..1), min_window_days {} "
        "(> 0), max_log10_p {} (<= 0), full_log10_p {} (> 0)",
        o.cohort_share, o.min_known_share, o.min_window_days, o.max_log10_p, o.full_log10_p));
  for (size_t a = 0; a < ds_.num_accounts(); ++a)
    if (const int64_t d = DateOf(static_cast<AccountIndex>(a)); d != kNoTime) created_.push_back(d);
  std::sort(created_.begin(), created_.end());
  has_run_ = true;
  return Status::Ok();
}

CohortResult CreationCohort::Test(const std::vector<AccountIndex>& group) const {
  if (!has_run_) {
    std::fprintf(stderr, "lockstep: CreationCohort::Test called before a successful Run()\n");
    std::abort();
  }
  const CreationCohortOptions& o = options_;
  CohortResult r;
  std::vector<int64_t> c;
  for (AccountIndex a : group)
    if (const int64_t d = DateOf(a); d != kNoTime) c.push_back(d);
  r.known = c.size();
  if (c.size() < std::max<size_t>(2, o.min_known) ||
      static_cast<double>(c.size()) < o.min_known_share * static_cast<double>(group.size()))
    return r;
  std::sort(c.begin(), c.end());
  const size_t n = c.size();
  const size_t m = std::clamp<size_t>(static_cast<size_t>(std::ceil(o.cohort_share * static_cast<double>(n))), 2, n);
  // The shortest span holding m members.
  size_t best = 0;
  for (size_t i = 1; i + m <= n; ++i)
    if (c[i + m - 1] - c[i] < c[best + m - 1] - c[best]) best = i;
  const int64_t min_window = static_cast<int64_t>(std::ceil(o.min_window_days * kSecondsPerDay));
  const int64_t width = std::max(c[best + m - 1] - c[best], min_window);
  r.in_window = m;
  r.from = c[best];
  r.to = c[best] + width;
  // The population registered no later than the group's last member, the
  // members left out (they are what is tested), and its largest share in any
  // window of width 2 x width.
  const auto end = std::upper_bound(created_.begin(), created_.end(), c.back());
  std::vector<int64_t> others;
  others.reserve(static_cast<size_t>(end - created_.begin()));
  std::set_difference(created_.begin(), end, c.begin(), c.end(), std::back_inserter(others));
  const size_t pop = others.size();
  if (pop == 0) return r;
  size_t most = 0;
  for (size_t lo = 0, hi = 0; lo < pop; ++lo) {
    while (hi < pop && others[hi] - others[lo] < 2 * width) ++hi;
    most = std::max(most, hi - lo);
  }
  // One pseudo-account (add-one): a window empty in a small population is
  // not proof that no one registers then.
  r.population_share = static_cast<double>(most + 1) / static_cast<double>(pop + 1);
  r.windows =
      std::floor(static_cast<double>(c.back() - std::min(others.front(), c.front())) / static_cast<double>(width)) + 2;
  r.log10_p = std::min(0.0, std::log10(r.windows) + Log10BinomialTail(m, n, r.population_share));
  r.holds = r.log10_p <= o.max_log10_p;
  r.strength = r.holds ? std::min(1.0, -r.log10_p / o.full_log10_p) : 0.0;
  r.explanation = fmt::format(
      fmt::runtime(first_actions_ != nullptr
          ? "{} of the {} members new to the data (no creation dates in it) first acted within {:.0f} days "
            "({}..{}); the data set's accounts new to it by then first act in any {:.0f} days at most {:.1f}% of "
            "the time (p = {:.2g} over {:.0f} windows)"
          : "{} of the {} members with a creation date were registered within {:.0f} days ({}..{}); the data set's "
            "accounts registered by then fall in any {:.0f} days at most {:.1f}% of the time (p = {:.2g} over {:.0f} "
            "windows)"),
      m, n, static_cast<double>(width) / kSecondsPerDay, Day(r.from), Day(c[best + m - 1]),
      2 * static_cast<double>(width) / kSecondsPerDay, 100 * r.population_share, std::pow(10.0, r.log10_p),
      r.windows);
  return r;
}

}  // namespace lockstep
