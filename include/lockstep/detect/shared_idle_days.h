// SharedIdleDays: whether a group's members are silent on the same days far
// beyond chance, the calendar of one operator (a shift schedule, an office's
// days off, its country's holidays) behind accounts that present themselves
// as independent people.
//
// The test, for a group of accounts: an account is alive from its first to
// its last active day in the data (UTC days) and is active on day d with
// probability p(a, d): the share of the other days within local_window_days
// of d on which it acted, times its weekday factor (its share of active days
// on d's day of the week over its share on all days), at most 1. On a day d,
// under the null of independent accounts (each keeping its own activity
// level at the time, its spells, and its weekly rhythm), all alive members
// are silent with probability P0(d) = prod over alive members of
// (1 - p(a, d)). Tested days are those on which the members are expected to
// be busy (E(d) = sum of p(a, d) >= min_expected_active) and the data set
// as a whole is not quiet (its active accounts at least
// population_quiet_share of their median over the surrounding 29 days: a
// collection outage silences everyone). S, the tested days on which no
// member acted, is compared with its expectation mu = sum of P0(d):
// log10 P(Poisson(mu) >= S). The group shares idle days when that is at most
// max_log10_p, S >= min_excess_ratio x mu and S - mu >= the larger of
// min_excess_days and min_excess_share of the tested days.
// The local rate keeps a shared cause of activity out of the evidence:
// campaign volunteers are busy together for the months of a campaign and
// quiet together after it (with a rate over their whole life in the data,
// the simulator's volunteers of wide 1001 were silent together on 85 days
// where 10 were expected; with the local rate, 8 where 2 were). Days where
// the group's own activity starts or stops are not tested either: the local
// rate spans both sides of a day, so just before a campaign's start and
// after its end the volunteers look busy and are all silent (wide 1016 and
// 1018: 17 and 13 such days where 0.2 were expected, which made networks of
// them). A day is skipped when the group's actions a day over the window on
// one side are below max_side_ratio of those on the other. Taking the
// smaller side's rate for each account instead was tried: it also drops the
// IRA groups' days off, whose members are expected busy just above
// min_expected_active (IRA half a recall 0.541 -> 0.415). The ratio and
// excess guard against what the Poisson tail ignores: real people's joint
// silences, although expected mu times, come clumped; and people of one
// country may all rest on its public holidays (about ten a year, 3% of days).
//
// What it assumes about real data: that independent people, however regular,
// do not all stop on the same days while each is otherwise active on most
// days. Weekly rhythms (weekend quiet) are in the null, so a newsroom's or a
// commuter's weekday schedule is not evidence. It needs no calendar and no
// claimed location: a St Petersburg office's shifts and holidays show as
// idle days whatever country the personas claim. It proves one operator, not
// fake personas: detection does not count it for managed Pages or
// established accounts (an agency's or a community's shared days off are
// open), as with shared infrastructure.
//
// Shape: configure, Run() once (each account's active days from one pass over
// the time-sorted events, and the population's quiet days: O(events + days)),
// then Test() any number of groups (O(sum of the members' alive days)).
// Reading before Run() aborts. The Dataset must outlive it. Not thread-safe.
#ifndef LOCKSTEP_DETECT_SHARED_IDLE_DAYS_H_
#define LOCKSTEP_DETECT_SHARED_IDLE_DAYS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"

namespace lockstep {

struct SharedIdleDaysOptions {
  // An account's activity rate on a day is measured over the days within
  // this many days (days) either side of it: 28, four weeks, long enough to hold each
  // weekday four times, short enough to follow a campaign's months.
  size_t local_window_days = 28;
  // A day is not tested when the group's actions a day over the window on
  // one side of it are below this share (0..1) of those on the other side
  // (each side of at least a week): its activity starts or stops there, a
  // campaign's start or end. 0.25: at the volunteers' edges the quiet side
  // had 5-10% of the busy side's actions, while IRA half a recall is
  // unchanged (0.541).
  double max_side_ratio = 0.25;
  // A day is tested when the alive members are expected to have at least
  // this many active accounts (accounts): a day on which one silence is
  // already improbable (P0 <= e^-3 ~ 0.05 for independent accounts).
  double min_expected_active = 3;
  // The data set is quiet on a day whose active accounts are below this share
  // (0..1) of their median over the 29 days around it (an outage).
  double population_quiet_share = 0.5;
  // Evidence needs log10 P(Poisson(mu) >= S) <= max_log10_p, S >=
  // min_excess_ratio x mu and S - mu >= max(min_excess_days (days),
  // min_excess_share (0..1) x tested days): more days off together than a
  // country's public holidays, about ten a year or 3% of days, even if every
  // member rested on every one of them. The IRA groups of the dev blend are
  // silent together on 20-31% of their tested days.
  double max_log10_p = -6;
  double min_excess_ratio = 4;
  double min_excess_days = 12;
  double min_excess_share = 0.05;
  // Strength 1 (0..1) at log10 p <= -full_log10_p; linear in between.
  double full_log10_p = 30;
};

struct IdleDaysResult {
  size_t members = 0;        // members with at least one action
  size_t tested_days = 0;    // days tested (busy for the group, not quiet for the data set)
  size_t silent_days = 0;    // S: tested days on which no alive member acted
  double expected_silent = 0;  // mu: expected S for independent accounts
  double log10_p = 0;        // log10 P(Poisson(mu) >= S)
  bool holds = false;        // all thresholds met
  double strength = 0;       // 0..1 when it holds, else 0
  std::string explanation;   // in words, for the network's indicator
};

class SharedIdleDays {
 public:
  SharedIdleDays(const Dataset& ds, SharedIdleDaysOptions options);

  // Each account's active days and the population's quiet days. kInvalidArgument
  // for bad options; kFailedPrecondition on a second call.
  [[nodiscard]] Status Run();
  // The test for one group (account indices into the data set; accounts
  // without actions are ignored). Aborts unless Run() has succeeded.
  IdleDaysResult Test(const std::vector<AccountIndex>& group) const;

 private:
  const Dataset& ds_;
  SharedIdleDaysOptions options_;
  bool called_ = false, has_run_ = false;
  int64_t first_day_ = 0;                        // UTC day number of day index 0
  std::vector<uint32_t> day_offsets_;            // account a's days: days_[day_offsets_[a] .. day_offsets_[a+1])
  std::vector<int32_t> days_;                    // sorted day indices
  std::vector<bool> quiet_;                      // per day index: the data set is quiet
};

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_SHARED_IDLE_DAYS_H_
