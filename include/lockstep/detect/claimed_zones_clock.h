// ClaimedZonesClock: whether a group's members who claim countries several
// hours apart keep one daily clock, which people living where they say cannot
// do: an office in one city whose personas claim the United States and the
// United Arab Emirates (the IRA's Russian-language accounts of the dev blend:
// those claiming the UAE and those claiming the US both peak at 13-14 UTC,
// where people nine hours apart peak nine hours apart).
//
// The test, for a group of accounts. A member takes part when its
// claimed_location names a country of the table CountryFromLocation reads
// (posting_rhythm.h; its offsets CountryUtcOffsets) and it was active in at
// least min_member_active_hours distinct UTC hours (hour-long cells of the
// timeline). Reactions within reaction_seconds of a post in the data (a
// share, like or comment) are not its own clock but the post's, and are left
// out. Its profile is the share of those cells that fall in each hour
// of the UTC day, so a member counts once whatever its volume, and a
// broadcast it joins once a week (a stream, a match) is one cell among
// hundreds. Members are pooled by claimed country (a zone) and zones with
// fewer than min_zone_members are left out. Two zones are tested against
// each other when every difference between an offset of one and an offset
// of the other is at least min_zone_gap_hours from 0 (circularly): the US
// (UTC-10..-4) and the UAE (+4) are 8 hours apart at least; the US and
// Russia (+2..+12) overlap and are not tested. For a tested pair, with
// C(L) the Pearson correlation over the 24 hours of zone A's profile with
// zone B's shifted by L hours, the pair's effect is
//   max over |L| <= same_clock_hours of C(L)  (one clock)
//   - max over the claimed lags (every offset difference) of C(L)  (the claims),
// and the group's effect T is the mean of the pairs' effects weighted by the
// smaller zone's members. People keeping their local clocks give T < 0 (their
// profiles line up at the claimed lag); one clock gives T up to 2.
//
// Significance, a permutation null of the claims: if every member lived in
// the zone it claims, its local day (its profile shifted by its zone's
// representative offset, the middle of the country's offsets) could have
// been anyone's among the members whatever zone it claims. Each of
// `permutations` draws (seeded: `seed` and the group's smallest account
// index) deals the members' local days out at random, puts each back on the
// clock of the zone of the member that receives it, and recomputes T; p =
// (1 + draws with T' >= T) / (1 + draws). A group of people who live where
// they say is one such draw; an office's personas are not, whatever
// their habits. The group keeps one clock behind its claimed zones when T >=
// min_effect, p <= max_p and the heaviest pair's correlation peaks within
// same_clock_hours of lag 0. Strength min(1, T / full_effect).
//
// What it assumes about real data: that people who live where they claim keep
// that place's day (sleep at its night), whoever they follow abroad;
// communities spread over zones (diaspora, fans, newsrooms with bureaus,
// activists) line up at the claimed lag and do not fire. A member who writes
// a country other than where it lives (an expatriate naming home) is on the
// other zone's clock: relational evidence about the group, so detection does
// not count it for managed Pages or established accounts (a community of real
// people), as with shared idle days. It says nothing about a group whose
// claimants are in one zone or in zones less than min_zone_gap_hours apart.
//
// Shape: configure, Run() once (each claimant's hourly profile, O(events +
// accounts x countries)), then Test() any number of groups (O(members x 24 x
// permutations) when the observed effect is large enough to be tested; a
// draw loop stops as soon as p cannot reach max_p). Reading before Run()
// aborts. The Dataset must outlive the object. Not thread-safe.
#ifndef LOCKSTEP_DETECT_CLAIMED_ZONES_CLOCK_H_
#define LOCKSTEP_DETECT_CLAIMED_ZONES_CLOCK_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"

namespace lockstep {

struct ClaimedZonesClockOptions {
  // A member's profile needs at least this many distinct active UTC hours
  // (hour cells): 20, fewer make a day's shape noise (the posting rhythm's
  // offset needs 30 events).
  uint32_t min_member_active_hours = 20;
  // A share, like or comment within this many seconds of the post it reacts
  // to, when that post is in the data, is left out (seconds): 3600. It keeps
  // the clock of the post, not of the member: fans abroad who reshare their
  // artist within minutes (the simulator's fan community of wide 1001: 13
  // claimed countries, lined up at lag 0 on their reactions alone).
  int64_t reaction_seconds = 3600;
  // A claimed country enters the test with at least this many such members
  // (accounts): 3, so that no single persona's schedule is a zone's clock.
  size_t min_zone_members = 3;
  // Two zones are tested when all their offset differences are at least this
  // far from 0 (hours): 5, beyond a shift worker's or a night owl's drift and
  // beyond daylight time, so the two clocks cannot be told apart by accident.
  double min_zone_gap_hours = 5;
  // Lags within this of 0 (hours) count as one clock: 1, the hour bins.
  double same_clock_hours = 1;
  // Evidence needs T >= min_effect (correlation units, -2..2): 0.5, the one
  // clock fitting clearly better than the claims.
  double min_effect = 0.5;
  // ... and p <= max_p from the permutation null (0..1): 0.001.
  double max_p = 0.001;
  // Draws of the permutation null: 1999 resolve p = 0.001 with one draw to
  // spare.
  uint32_t permutations = 1999;
  // Strength 1 at T >= full_effect (correlation units): 1.
  double full_effect = 1.0;
  // Seed of the draws (mixed with the group's smallest account index).
  uint64_t seed = 42;
};

struct ClaimedZonesClockResult {
  size_t claimants = 0;        // members that took part (zones tested)
  size_t zones = 0;            // claimed countries with min_zone_members
  size_t pairs = 0;            // pairs of zones at least min_zone_gap_hours apart
  double effect = 0;           // T: one clock minus the claims, weighted over pairs
  double same_clock = 0;       // heaviest pair: best correlation within same_clock_hours of lag 0
  double claimed_clock = 0;    // heaviest pair: best correlation at a claimed lag
  int peak_lag_hours = 0;      // heaviest pair: lag of the best correlation, -11..12
  CountryCode zone_a = kNoCountry, zone_b = kNoCountry;  // heaviest pair
  size_t members_a = 0, members_b = 0;
  int peak_hour_a = 0, peak_hour_b = 0;  // UTC hour of each zone's busiest hour
  double p = 1;                // permutation p-value; 1 when not drawn
  bool holds = false;          // all thresholds met
  double strength = 0;         // 0..1 when it holds, else 0
  std::string explanation;     // in words, for the network's indicator
};

class ClaimedZonesClock {
 public:
  ClaimedZonesClock(const Dataset& ds, ClaimedZonesClockOptions options);

  // Each claimant's profile. kInvalidArgument for bad options;
  // kFailedPrecondition on a second call.
  [[nodiscard]] Status Run();
  // The test for one group (account indices into the data set; accounts
  // without a placeable claim or with too little activity are ignored).
  // Aborts unless Run() has succeeded.
  ClaimedZonesClockResult Test(const std::vector<AccountIndex>& group) const;

 private:
  const Dataset& ds_;
  ClaimedZonesClockOptions options_;
  bool called_ = false, has_run_ = false;
  std::vector<uint32_t> slot_;                       // account -> profiles_ index, UINT32_MAX = none
  std::vector<CountryCode> zone_;                    // per slot: claimed country
  std::vector<uint32_t> cells_;                      // per slot: distinct active hours
  std::vector<std::array<float, 24>> profiles_;      // per slot: share of active hours per UTC hour
};

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_CLAIMED_ZONES_CLOCK_H_
