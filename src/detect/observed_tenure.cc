#include "lockstep/detect/observed_tenure.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace lockstep {

namespace {

constexpr double kSecondsPerDay = 86400;

}  // namespace

ObservedTenure::ObservedTenure(const Dataset& ds, ObservedTenureOptions options) : ds_(ds), options_(options) {}

Status ObservedTenure::Run() {
  if (called_) return Status::FailedPrecondition("observed tenure: already run");
  called_ = true;
  const ObservedTenureOptions& o = options_;
  if (!(o.min_tenure_days >= 0) || !(o.start_gaps > 0) || !(o.min_present_share >= 0 && o.min_present_share <= 1))
    return Status::InvalidArgument(fmt::format(
        "observed tenure: min_tenure_days {} (expected >= 0), start_gaps {} (> 0), min_present_share {} (0..1)",
        o.min_tenure_days, o.start_gaps, o.min_present_share));
  const size_t num_accounts = ds_.accounts.size();
  first_.assign(num_accounts, kNoTime);
  last_.assign(num_accounts, kNoTime);
  count_.assign(num_accounts, 0);
  const Events& ev = ds_.events;
  for (size_t i = 0; i < ev.size(); ++i) {
    const int64_t t = ev.time[i];
    const AccountIndex a = ev.account[i];
    if (t == kNoTime || a >= num_accounts) continue;
    if (data_start_ == kNoTime || t < data_start_) data_start_ = t;
    if (first_[a] == kNoTime || t < first_[a]) first_[a] = t;
    if (last_[a] == kNoTime || t > last_[a]) last_[a] = t;
    ++count_[a];
  }
  has_run_ = true;
  return Status::Ok();
}

int64_t ObservedTenure::FirstAction(AccountIndex a) const {
  if (!has_run_) {
    std::fprintf(stderr, "lockstep: ObservedTenure::FirstAction called before a successful Run()\n");
    std::abort();
  }
  return a < first_.size() ? first_[a] : kNoTime;
}

ObservedTenure::Start ObservedTenure::StartOf(AccountIndex a) const {
  if (a >= first_.size() || first_[a] == kNoTime || count_[a] < std::max<uint32_t>(2, options_.min_events))
    return Start::kUnknown;  // no usual rate
  const double mean_gap = static_cast<double>(last_[a] - first_[a]) / static_cast<double>(count_[a] - 1);
  return static_cast<double>(first_[a] - data_start_) <= options_.start_gaps * mean_gap ? Start::kPresent
                                                                                         : Start::kNew;
}

int64_t ObservedTenure::FirstActionIfNew(AccountIndex a) const {
  if (!has_run_) {
    std::fprintf(stderr, "lockstep: ObservedTenure::FirstActionIfNew called before a successful Run()\n");
    std::abort();
  }
  return StartOf(a) == Start::kNew ? first_[a] : kNoTime;
}

TenureResult ObservedTenure::Test(const std::vector<AccountIndex>& group) const {
  if (!has_run_) {
    std::fprintf(stderr, "lockstep: ObservedTenure::Test called before a successful Run()\n");
    std::abort();
  }
  TenureResult r;
  std::vector<double> tenure;
  for (AccountIndex a : group) {
    if (a >= first_.size() || first_[a] == kNoTime) continue;
    tenure.push_back(static_cast<double>(last_[a] - first_[a]) / kSecondsPerDay);
    if (StartOf(a) == Start::kPresent) ++r.present;
  }
  r.members = tenure.size();
  if (tenure.empty()) return r;
  std::nth_element(tenure.begin(), tenure.begin() + static_cast<std::ptrdiff_t>(tenure.size() / 2), tenure.end());
  r.median_tenure_days = tenure[tenure.size() / 2];
  r.holds = r.median_tenure_days >= options_.min_tenure_days &&
            static_cast<double>(r.present) >= options_.min_present_share * static_cast<double>(group.size());
  return r;
}

}  // namespace lockstep
