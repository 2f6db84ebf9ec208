#include "lockstep/detect/shared_idle_days.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "lockstep/graph/co_action_significance.h"

namespace lockstep {

namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int kWeek = 7;
constexpr int kQuietHalfWindowDays = 14;  // the median of 29 days around a day

int64_t DayOf(int64_t seconds) {
  return seconds >= 0 ? seconds / kSecondsPerDay : -((-seconds + kSecondsPerDay - 1) / kSecondsPerDay);
}

// A day's class in the week (0..6; the same for days seven apart).
int WeekdayClass(int64_t day) { return static_cast<int>(((day % kWeek) + kWeek) % kWeek); }

}  // namespace

SharedIdleDays::SharedIdleDays(const Dataset& ds, SharedIdleDaysOptions options) : ds_(ds), options_(options) {}

Status SharedIdleDays::Run() {
  if (called_) return Status::FailedPrecondition("shared idle days: already run");
  called_ = true;
  const SharedIdleDaysOptions& o = options_;
  if (o.local_window_days == 0)
    return Status::InvalidArgument("shared idle days: local_window_days is 0, expected at least 1");
  if (!(o.min_expected_active > 0))
    return Status::InvalidArgument(fmt::format("shared idle days: min_expected_active is {}, expected > 0", o.min_expected_active));
  if (!(o.max_side_ratio >= 0 && o.max_side_ratio <= 1))
    return Status::InvalidArgument(fmt::format("shared idle days: max_side_ratio is {}, expected 0..1", o.max_side_ratio));
  if (!(o.population_quiet_share >= 0 && o.population_quiet_share <= 1))
    return Status::InvalidArgument(
        fmt::format("shared idle days: population_quiet_share is {}, expected 0..1", o.population_quiet_share));
  if (!(o.max_log10_p <= 0) || !(o.full_log10_p > 0) || !(o.min_excess_ratio >= 1) || !(o.min_excess_days >= 0) ||
      !(o.min_excess_share >= 0 && o.min_excess_share <= 1))
    return Status::InvalidArgument(fmt::format(
        "shared idle days: max_log10_p {} (expected <= 0), full_log10_p {} (> 0), min_excess_ratio {} (>= 1), "
        "min_excess_days {} (>= 0), min_excess_share {} (0..1)",
        o.max_log10_p, o.full_log10_p, o.min_excess_ratio, o.min_excess_days, o.min_excess_share));
  const Events& ev = ds_.events;
  const size_t num_accounts = ds_.accounts.size();
  // Each account's active days, in one pass: events are sorted by time
  // (dataset.h), so an account's days arrive in order and a new one differs
  // from its last. The distinct (account, day) pairs, far fewer than the
  // events, are then laid out by account with a counting sort.
  struct AccountDay {
    uint32_t account;
    int32_t day;  // from the first timed event's day
  };
  std::vector<AccountDay> pairs;
  std::vector<int64_t> last(num_accounts, std::numeric_limits<int64_t>::min());
  int64_t base = 0;
  for (size_t i = 0; i < ev.size(); ++i) {
    if (ev.time[i] == kNoTime || ev.account[i] >= num_accounts) continue;
    const int64_t d = DayOf(ev.time[i]);
    if (pairs.empty()) base = d;
    if (d == last[ev.account[i]]) continue;
    last[ev.account[i]] = d;
    pairs.push_back({ev.account[i], static_cast<int32_t>(d - base)});
  }
  day_offsets_.assign(num_accounts + 1, 0);
  if (pairs.empty()) {  // no timed events
    has_run_ = true;
    return Status::Ok();
  }
  int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
  for (const AccountDay& p : pairs) {
    lo = std::min(lo, p.day);
    hi = std::max(hi, p.day);
    ++day_offsets_[p.account + 1];
  }
  first_day_ = base + lo;
  for (size_t a = 0; a < num_accounts; ++a) day_offsets_[a + 1] += day_offsets_[a];
  const size_t num_days = static_cast<size_t>(hi - lo + 1);
  std::vector<uint32_t> active(num_days, 0);
  days_.resize(pairs.size());
  std::vector<uint32_t> fill(day_offsets_.begin(), day_offsets_.end() - 1);
  for (const AccountDay& p : pairs) {
    const int32_t day = p.day - lo;
    days_[fill[p.account]++] = day;
    ++active[static_cast<size_t>(day)];
  }
  // Quiet days of the data set: active accounts below a share of the median
  // of the 29 days around (days outside the data count as 0).
  quiet_.assign(num_days, false);
  std::vector<uint32_t> window;
  for (size_t d = 0; d < num_days; ++d) {
    window.clear();
    for (int k = -kQuietHalfWindowDays; k <= kQuietHalfWindowDays; ++k) {
      const int64_t e = static_cast<int64_t>(d) + k;
      window.push_back(e >= 0 && e < static_cast<int64_t>(num_days) ? active[static_cast<size_t>(e)] : 0);
    }
    std::nth_element(window.begin(), window.begin() + kQuietHalfWindowDays, window.end());
    quiet_[d] = static_cast<double>(active[d]) < o.population_quiet_share * window[kQuietHalfWindowDays];
  }
  has_run_ = true;
  return Status::Ok();
}

IdleDaysResult SharedIdleDays::Test(const std::vector<AccountIndex>& group) const {
  if (!has_run_) {
    std::fprintf(stderr, "lockstep: SharedIdleDays::Test called before a successful Run()\n");
    std::abort();
  }
  IdleDaysResult r;
  // The group's alive span.
  int32_t lo = std::numeric_limits<int32_t>::max(), hi = -1;
  for (AccountIndex a : group) {
    if (a + 1 >= day_offsets_.size() || day_offsets_[a] == day_offsets_[a + 1]) continue;
    ++r.members;
    lo = std::min(lo, days_[day_offsets_[a]]);
    hi = std::max(hi, days_[day_offsets_[a + 1] - 1]);
  }
  if (r.members == 0) return r;
  const size_t span = static_cast<size_t>(hi - lo + 1);
  std::vector<double> expected(span, 0), log_p0(span, 0);
  std::vector<uint32_t> acting(span, 0);
  std::vector<uint32_t> active, prefix;  // one member's days over its alive span, and their prefix sums
  for (AccountIndex a : group) {
    if (a + 1 >= day_offsets_.size() || day_offsets_[a] == day_offsets_[a + 1]) continue;
    const int32_t first = days_[day_offsets_[a]], last = days_[day_offsets_[a + 1] - 1];
    // p(a, d): the share of the other days within local_window_days of d on
    // which it acted (leave-one-out), times its weekday factor (its activity
    // on d's weekday class over its activity on all days), at most 1.
    const auto len = static_cast<size_t>(last - first + 1);
    active.assign(len, 0);
    double alive[kWeek] = {}, acted[kWeek] = {};
    for (int32_t d = first; d <= last; ++d) alive[WeekdayClass(first_day_ + d)] += 1;
    for (uint32_t i = day_offsets_[a]; i < day_offsets_[a + 1]; ++i) {
      acted[WeekdayClass(first_day_ + days_[i])] += 1;
      active[static_cast<size_t>(days_[i] - first)] = 1;
      ++acting[static_cast<size_t>(days_[i] - lo)];
    }
    const double overall = static_cast<double>(day_offsets_[a + 1] - day_offsets_[a]) / static_cast<double>(len);
    double weekday_factor[kWeek];
    for (int w = 0; w < kWeek; ++w) weekday_factor[w] = alive[w] > 0 ? acted[w] / alive[w] / overall : 0;
    prefix.assign(len + 1, 0);
    for (size_t i = 0; i < len; ++i) prefix[i + 1] = prefix[i] + active[i];
    const size_t window = options_.local_window_days;
    for (size_t i = 0; i < len; ++i) {
      const size_t from = i >= window ? i - window : 0, to = std::min(len - 1, i + window);
      const size_t others = to - from;  // days in the window but i
      if (others == 0) continue;
      const double local = static_cast<double>(prefix[to + 1] - prefix[from] - active[i]) / static_cast<double>(others);
      const double p = std::min(1.0, local * weekday_factor[WeekdayClass(first_day_ + first + static_cast<int64_t>(i))]);
      const size_t at = static_cast<size_t>(first - lo) + i;
      expected[at] += p;
      log_p0[at] += p >= 1 ? -std::numeric_limits<double>::infinity() : std::log1p(-p);
    }
  }
  // The group's actions (member-days) over the window before and after each
  // day, from prefix sums of `acting`.
  std::vector<uint64_t> acted_before(span + 1, 0);
  for (size_t i = 0; i < span; ++i) acted_before[i + 1] = acted_before[i] + acting[i];
  const size_t window = options_.local_window_days;
  // The group's actions a day over [from, to); -1 for fewer than a week of
  // days (at the ends of the span), too few to tell a start or a stop.
  auto group_rate = [&](size_t from, size_t to) {
    return to >= from + 7 ? static_cast<double>(acted_before[to] - acted_before[from]) / static_cast<double>(to - from)
                          : -1.0;
  };
  for (size_t i = 0; i < span; ++i) {
    if (expected[i] < options_.min_expected_active || quiet_[static_cast<size_t>(lo) + i]) continue;
    // Where the group's activity starts or stops (one side of the day far
    // quieter than the other: a campaign's start or end), a joint silence is
    // that shared cause, not a day off.
    const double before = group_rate(i >= window ? i - window : 0, i);
    const double after = group_rate(i + 1, std::min(span, i + 1 + window));
    if (before >= 0 && after >= 0 && std::min(before, after) < options_.max_side_ratio * std::max(before, after))
      continue;
    ++r.tested_days;
    r.expected_silent += std::exp(log_p0[i]);
    if (acting[i] == 0) ++r.silent_days;
  }
  const double s = static_cast<double>(r.silent_days);
  r.log10_p = r.silent_days == 0 ? 0.0 : std::max(-300.0, Log10PoissonTail(r.silent_days, r.expected_silent));
  r.holds = r.log10_p <= options_.max_log10_p && s >= options_.min_excess_ratio * r.expected_silent &&
            s - r.expected_silent >= std::max(options_.min_excess_days,
                                              options_.min_excess_share * static_cast<double>(r.tested_days));
  r.strength = r.holds ? std::min(1.0, -r.log10_p / options_.full_log10_p) : 0.0;
  r.explanation = fmt::format(
      "none of the {} members acted on {} of the {} days on which they were expected busy; independent "
      "accounts, each keeping its own activity of the time and its weekly rhythm, would be silent together on {:.1f} of them "
      "(p = 1e{:.0f}): one operator's days off",
      r.members, r.silent_days, r.tested_days, r.expected_silent, std::min(0.0, std::floor(r.log10_p)));
  return r;
}

}  // namespace lockstep
