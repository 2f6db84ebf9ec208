// ObservedTenure: what the data itself says about how long a group's
// accounts have been on the platform, for exports without creation dates.
//
// An account's first action in the data bounds its creation date from
// above: by the time it acts again it is at least that old. The test, for
// a group of accounts, asks two things of its members:
//
//  - tenure: the member's observed tenure (its last action minus its first,
//    days), a lower bound on its age at its last action. The group's median
//    must be at least min_tenure_days;
//  - present when collection began: the member's first action came within
//    start_gaps of its own mean gaps between actions ((last - first) /
//    (events - 1)) after the data set's first event. An account that was
//    acting at its usual rate when the data starts shows its first action
//    that soon (probability 1 - e^-3 = 95% at 3 gaps, for Poisson activity);
//    an account registered later, as an operation's personas are, shows it
//    only after its registration. Members with fewer than min_events actions
//    have no usual rate: they count as unknown, never as present. At least
//    min_present_share of the members must be present.
//
// Such a group were people already on the platform, acting at their own
// rate when the collection began, and seen for years since: a community
// (fans, volunteers, activists) rather than personas registered in a batch
// for an operation, whose first actions come together, after the
// collection began, at the operation's start. It is what the creation-date
// rule (DetectorOptions::established_min_age_days) concludes from creation
// dates, drawn from the actions alone; detection uses it only when the
// creation dates are missing, and then, as for that rule, only what each
// member shows on its own counts as inauthenticity.
//
// What it cannot tell: an operation whose personas were registered before
// the collection began and stay active throughout looks the same (as aged
// accounts bought in a batch look old with creation dates too, but are then
// caught by their creation IQR). Its members' own evidence (automation, a
// clock that contradicts their claim, no audience) still counts.
//
// Shape: configure, Run() once (O(events): first and last action and count
// per account), then Test() any number of groups (O(members log members)).
// Reading before Run() aborts. The Dataset must outlive it. Not thread-safe.
#ifndef LOCKSTEP_DETECT_OBSERVED_TENURE_H_
#define LOCKSTEP_DETECT_OBSERVED_TENURE_H_

#include <cstdint>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"

namespace lockstep {

struct ObservedTenureOptions {
  // Median observed tenure (last action - first action, days) of the
  // members: 365, the creation-date rule's year of age, since a creation
  // burst spans weeks and a community's accounts years.
  double min_tenure_days = 365;
  // A member is present when collection began if its first action is within
  // this many of its own mean gaps between actions after the data set's
  // first event: 3 (an account acting at its rate from the start shows its
  // first action that soon with probability 95%).
  double start_gaps = 3;
  // Actions a member needs for a usual rate: 10 (fewer give a mean gap too
  // rough to place its first action).
  uint32_t min_events = 10;
  // Share of the members (0..1) that must be present when collection began:
  // 0.5, as the creation-date rule needs half its members with a date.
  double min_present_share = 0.5;
};

struct TenureResult {
  bool holds = false;
  size_t present = 0;             // members present when collection began
  size_t members = 0;             // members with at least one action
  double median_tenure_days = 0;  // median of last - first action, days
};

class ObservedTenure {
 public:
  ObservedTenure(const Dataset& ds, ObservedTenureOptions options);

  // First and last action and count per account. kInvalidArgument for bad
  // options; kFailedPrecondition on a second call.
  [[nodiscard]] Status Run();
  // An account's first action (seconds), kNoTime if it has none. Aborts
  // unless Run() has succeeded.
  int64_t FirstAction(AccountIndex a) const;
  // An account's first action if it is new to the data: enough actions for
  // a usual rate (min_events) and the first more than start_gaps of its
  // mean gaps after the data set's first event, the converse of "present
  // when collection began"; kNoTime otherwise (present, too few actions, or
  // none). Aborts unless Run() has succeeded.
  int64_t FirstActionIfNew(AccountIndex a) const;
  // The test for one group (account indices into the data set). Aborts
  // unless Run() has succeeded.
  TenureResult Test(const std::vector<AccountIndex>& group) const;

 private:
  const Dataset& ds_;
  ObservedTenureOptions options_;
  bool called_ = false, has_run_ = false;
  enum class Start { kUnknown, kPresent, kNew };
  Start StartOf(AccountIndex a) const;  // present when collection began, new, or unknown (too few actions)

  int64_t data_start_ = kNoTime;  // the data set's first timed event
  std::vector<int64_t> first_, last_;
  std::vector<uint32_t> count_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_OBSERVED_TENURE_H_
