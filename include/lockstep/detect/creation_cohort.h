// CreationCohort: whether a group's members were registered together, far
// closer in time than accounts drawn from the data set's population are,
// the trace of personas an operation registered for itself.
//
// The test, for a group of accounts: of its n members with a creation date,
// the shortest span of creation times holding m = ceil(cohort_share x n)
// of them has width W (at least min_window_days). Under the null, members
// are accounts of the population drawn independently of when they were
// registered: each falls in a given window of width 2W with probability at
// most q, the population's largest share of creation dates in any window of
// width 2W (with one pseudo-account added, (count + 1) / (accounts + 1),
// so an empty window in a small population proves nothing). Windows of
// width 2W laid every W from the population's first creation date to the
// members' last cover every span of width W, so
//
//   p <= K x P(Binomial(n, q) >= m),  K = the number of such windows,
//
// a union bound. The population is every other account with a creation
// date registered no later than the group's last member (members registered
// before they act; accounts registered after the group are no null for it,
// and leaving them out only raises q); the members themselves are left out,
// since they are what is tested. A platform-wide sign-up wave (a
// platform's launch, a migration from another) raises q in its weeks, so
// joining the platform with everyone else is not evidence. The group is a
// cohort when log10 p <= max_log10_p.
//
// What it shows: the members' accounts were created together, as an
// operation creates its personas in the weeks or months before it starts,
// while a community's members (fans, volunteers, activists, a newsroom's
// staff, a household) joined the platform over years, each for their own
// reasons. It complements CreationBurstSignal, which scans the whole
// population's timeline for windows of excess sign-ups and so misses an
// operation of 20 accounts registered over three months among thousands of
// ordinary sign-ups; here the group, found by coordination, is tested
// against the population's creation dates. It is the converse of the
// established-accounts rule (DetectorOptions::established_min_creation_iqr_days).
//
// What it cannot tell: accounts bought or hijacked (aged accounts) carry
// their first owners' creation dates and are no cohort; real people who
// registered together for one cause (a class, a team formed for a
// campaign) are one. It shows joint registration, not yet fake personas,
// so detection weighs it below shared infrastructure
// (DetectorOptions::creation_cohort_proof) and, as for other relations
// between members, not for managed Pages or established accounts.
// Needs creation dates; without them the test does not apply.
//
// Shape: configure, Run() once (the population's sorted creation dates:
// O(accounts log accounts)), then Test() any number of groups (O(members
// log members + log accounts + population registered before the group)).
// Reading before Run() aborts. The Dataset must outlive it. Not thread-safe.
#ifndef LOCKSTEP_DETECT_CREATION_COHORT_H_
#define LOCKSTEP_DETECT_CREATION_COHORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"

namespace lockstep {

struct CreationCohortOptions {
  // Share of the members with a creation date (0..1] the cohort's span must
  // hold: 0.75, so a quarter of the group (real members an operation
  // recruited, accounts it bought) may come from anywhere.
  double cohort_share = 0.75;
  // Members with a creation date the test needs: at least min_known
  // (accounts) and at least min_known_share (0..1) of the group, as the
  // established-accounts rule needs half its core members with a date.
  uint32_t min_known = 5;
  double min_known_share = 0.5;
  // Spans narrower than this (days) are widened to it: exports often give
  // creation dates to the day.
  double min_window_days = 1;
  // A cohort when log10 p <= max_log10_p: -6, as for shared idle days,
  // since thousands of groups may be tested.
  double max_log10_p = -6;
  // Strength 1 (0..1) at log10 p <= -full_log10_p, -log10 p / full_log10_p
  // below: 20, as for co-action edges.
  double full_log10_p = 20;
};

struct CohortResult {
  size_t known = 0;               // members with a creation date
  size_t in_window = 0;           // m: of them, in the cohort's span
  int64_t from = 0, to = 0;       // the span (seconds), to - from >= min_window_days
  double population_share = 0;    // q: the population's largest share in a window of width 2W
  double windows = 0;             // K
  double log10_p = 0;             // log10 of K x P(Binomial(n, q) >= m), at most 0
  bool holds = false;             // log10_p <= max_log10_p
  double strength = 0;            // 0..1 when it holds, else 0
  std::string explanation;        // in words, for the network's indicator
};

class ObservedTenure;

class CreationCohort {
 public:
  CreationCohort(const Dataset& ds, CreationCohortOptions options);
  // The same test on the accounts' first actions in the data instead of
  // their creation dates, for exports without creation dates: an account's
  // first action bounds its registration from above, and personas
  // registered for an operation first act together when it starts. Only
  // accounts new to the data count, on both sides of the test
  // (ObservedTenure::FirstActionIfNew): one already acting when collection
  // began shows when collection began, not when it was registered, and one
  // with few actions has no rate to tell. `first_actions` must have run and
  // outlive the test.
  CreationCohort(const Dataset& ds, CreationCohortOptions options, const ObservedTenure* first_actions);

  // The population's creation dates. kInvalidArgument for bad options;
  // kFailedPrecondition on a second call.
  [[nodiscard]] Status Run();
  // The test for one group (account indices into the data set; members
  // without a creation date are ignored). Aborts unless Run() has succeeded.
  CohortResult Test(const std::vector<AccountIndex>& group) const;

 private:
  const Dataset& ds_;
  CreationCohortOptions options_;
  bool called_ = false, has_run_ = false;
  const ObservedTenure* first_actions_ = nullptr;  // set: first actions of accounts new to the data, not creation
  std::vector<int64_t> created_;                    // every account's date (creation or first action), sorted
  // The date the test reads of an account, kNoTime if none.
  int64_t DateOf(AccountIndex a) const;
};

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_CREATION_COHORT_H_
