// PostingRhythmSignal: when accounts act, and what that says about who runs
// them. Three findings, per account and for any group of accounts:
//
//  1. The operators' clock. Activity is binned by time of day (15-minute
//     bins, UTC) and the operators' UTC offset is the offset whose local
//     night, 00:00-07:00, holds the least activity. Mid-sleep of people on
//     workdays lies near 03:30 local (Roenneberg et al., "Epidemiology of the
//     human circadian clock", Sleep Medicine Reviews 2007), so the quietest
//     seven hours of a human-run account are its night whatever its shifts.
//     Only offsets in civil use are fitted (UtcOffsetsInUse(): whole hours
//     -12..+14 and the half and quarter hours of India, Iran, Nepal, ...), so
//     the estimate is a real zone; a prior favours whole hours (the score is
//     (n + 2) x 1 for whole hours and India's +5:30, 1.25 for other half
//     hours, 1.5 for quarter hours, n = events in
//     the night window), as few people keep the others. Confidence compares the best offset's
//     night with the best offset more than one hour away:
//     1 - (n_best + 2) / (n_rival + 2), n = events in that night window.
//     The offset is null when there is no evidence: automation, fewer than
//     min_events events, or a night no quieter than night_trough_max of a
//     uniform day. Cf. the time-zone inference of Twitter IO analyses
//     (e.g. the IRA's Moscow office hours, DiResta et al. 2018) and of
//     hidden services (Murdoch, "Hot or not", CCS 2006).
//  2. The shift profile, in the inferred local time: overnight pause (less
//     than night_pause_share of activity 00:00-06:00), morning and evening
//     peaks, a lunch dip (12:00-14:00 below lunch_dip_ratio of both morning
//     and afternoon), the weekday/weekend ratio, and the 24-hour and 7-day
//     shares. Work shifts = overnight pause plus a lunch dip or both peaks.
//  3. Automation: activity flat across the day (normalised entropy of the
//     hour-of-day histogram >= flat_entropy with at least min_flat_events
//     events, and no night trough), or superhuman volume (more than
//     superhuman_per_day events a day on average over superhuman_days
//     consecutive days). Automated profiles get a null offset.
//
// And location mismatch: an account whose claimed location (free text,
// matched against a built-in table of about 60 countries' names and main
// cities, see CountryFromLocation) names a country that its clock, its
// infrastructure observations' country (majority of located observations)
// or the platform's country contradicts. The clock contradicts a claim when
// its offset (confidence >= mismatch_min_confidence) lies more than an hour
// from every offset of the country, or when the claimed country's nights are busy: ClaimContradiction() >=
// claim_contradiction_min, i.e. the quietest local night (00:00-07:00) of any
// offset within an hour of the country's holds at least twice the events
// (plus 2) of the quietest night of any offset in use. This tests the claim
// itself, not the point estimate of the offset: an account silent for twelve
// hours has many equally quiet offsets (low confidence in any one of them),
// yet none of them lies in the claimed country. The IRA's HashtagGamers
// claimed the United States and tweeted 10:00-20:00 St Petersburg time (26 of
// 27 such accounts with 30 tweets or more in the dev half contradict their
// claim at >= 0.5; the confident-offset test alone caught 4: their long
// silent night left every offset unsure).
//
// Results: account_scores() = max(automation, shift strength, clock
// contradiction of the claim) per account in 0..1: a persona whose nights
// are busy where it says it lives misrepresents where it is, on its own,
// whoever else it acts with; groups() = one group per inferred offset of accounts with a location
// mismatch ("38 accounts claiming GB post on a UTC+6 clock"). Per-account
// profiles are kept for ExplainAccount.
//
// Complexity: Run() is O(events + accounts x 96 x offsets); RhythmOf() is
// O(events + accounts) per call (one pass over the event columns with a
// membership bitmap). Not thread-safe; the Dataset must outlive the signal.
#ifndef LOCKSTEP_SIGNALS_POSTING_RHYTHM_H_
#define LOCKSTEP_SIGNALS_POSTING_RHYTHM_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct RhythmOptions {
  uint32_t min_events = 30;            // fewer events: no offset (too little evidence)
  double night_trough_max = 0.6;       // night share / uniform share above this: no night, no offset
  uint32_t min_flat_events = 300;      // fewest events to call a day "flat"
  double flat_entropy = 0.975;         // normalised hour-of-day entropy at or above this = flat (0..1)
  double superhuman_per_day = 100;     // events per day ...
  int superhuman_days = 5;             // ... averaged over this many consecutive UTC days
  double night_pause_share = 0.03;     // share of activity 00:00-06:00 local below this = overnight pause
  double lunch_dip_ratio = 0.75;       // 12:00-14:00 rate below this x morning and afternoon rates = lunch dip
  double peak_ratio = 1.3;             // peak hour above this x the midday/afternoon trough = a peak
  double weekend_drop_ratio = 1.5;     // weekday / weekend daily rate at or above this = weekend drop
  double mismatch_min_confidence = 0.5;  // a confident offset (at least this) more than an hour from the claim contradicts it
  // ClaimContradiction() at or above this (0..1) = the clock contradicts the
  // claimed country: its quietest night holds at least 2x (+2) the events of
  // the quietest night anywhere. 0.5 because people who live where they say
  // score about 0 (their own night is among the claimed offsets) and a
  // persona working a day shift eight hours away scores above 0.8. Above 1
  // turns the clock off as evidence against a claim (both tests).
  double claim_contradiction_min = 0.5;
  uint32_t min_group_size = 2;         // smallest mismatch group reported
};

// The UTC offsets in civil use, in hours, ascending.
std::span<const double> UtcOffsetsInUse();

// One account's or one group's rhythm. Hours of week count from Monday 00:00.
struct RhythmProfile {
  uint64_t events = 0;
  uint32_t active_days = 0;                    // distinct UTC days with activity
  std::array<double, 96> quarter_hour_utc{};   // event counts per 15 minutes of the UTC day
  std::array<double, 168> hour_of_week_utc{};  // event counts
  double hour_entropy = 0;                     // normalised entropy of the UTC hour-of-day histogram, 0..1
  double night_share_ratio = 1;                // best night window share / (7/24); 0 = silent nights
  double accounts = 1;                         // accounts with events behind the profile
  double max_events_per_day = 0;               // per account
  double busiest_run_per_day = 0;              // mean events a day per account over the busiest run of days
  int run_days = 0;                            // length of that run (superhuman_days)
  bool flat_24h = false;
  bool superhuman = false;
  bool automated = false;                      // flat_24h || superhuman
  std::optional<double> utc_offset_hours;      // null when automated or without evidence
  double confidence = 0;                       // 0..1
  std::optional<double> rival_offset_hours;    // best offset more than an hour from the chosen one
  // In the inferred local time (UTC when no offset).
  std::array<double, 24> local_hour_share{};   // sums to 1
  std::array<double, 7> local_weekday_share{}; // Monday first, sums to 1
  bool night_pause = false, morning_peak = false, lunch_dip = false, evening_peak = false;
  double weekday_weekend_ratio = 1;            // mean daily events Mon-Fri / Sat-Sun
  bool weekend_drop = false;
  bool shift_work = false;                     // night_pause && (lunch_dip || (morning_peak && evening_peak))
  double automation_score = 0;                 // 0..1
  double shift_score = 0;                      // 0..1

  // "posts 142 times a day on 12 days; activity flat across all 24 hours
  // (entropy 0.99 of max)" / "UTC+6 (confidence 0.93): pause 00-07, ..."
  std::string Describe() const;
};

// The rhythm of `accounts` together (duplicates count once); volumes are
// per account with events. Accounts outside the data set are ignored.
// O(events + accounts).
RhythmProfile RhythmOf(const Dataset& ds, std::span<const AccountIndex> accounts, const RhythmOptions& options = {});

// Builds a profile from ready-made histograms (what RhythmOf does after
// counting). `daily` = events per consecutive UTC day, used for the
// superhuman test after dividing by `accounts` (the number of accounts
// behind the counts, >= 1), so a group's rate is a rate per account.
RhythmProfile ProfileFromCounts(const std::array<double, 96>& quarter_hour_utc,
                                const std::array<double, 168>& hour_of_week_utc, std::span<const uint32_t> daily,
                                const RhythmOptions& options = {}, double accounts = 1);

// Country of a free-text location: a country name, ISO code or main city
// from a built-in table of about 60 countries ("London, UK" -> GB,
// "Lagos" -> NG); kNoCountry if nothing matches.
CountryCode CountryFromLocation(std::string_view text);
// The UTC offsets (standard and daylight time) of a country in the table;
// empty if the country is not in it.
std::span<const double> CountryUtcOffsets(CountryCode country);
// Whether `offset_hours` lies more than one hour from every offset of
// `country`; false for a country not in the table.
bool OffsetContradicts(CountryCode country, double offset_hours);
// How far a clock contradicts a claimed country, 0..1, from quarter-hour
// counts of activity (UTC): 1 - (n_any + 2) / (n_claim + 2), where n_any is
// the fewest events in a local night (00:00-07:00) over UtcOffsetsInUse() and
// n_claim the fewest over those offsets within one hour of an offset of
// `claimed`. 0 for a country not in the table (no evidence either way).
double ClaimContradiction(const std::array<double, 96>& quarter_hour_utc, CountryCode claimed);

// Why an account's location claim is contradicted.
struct LocationMismatch {
  AccountIndex account;
  CountryCode claimed = kNoCountry;        // from claimed_location
  bool offset_contradicts = false;         // clock contradicts the claim (ClaimContradiction >= claim_contradiction_min)
  double clock_contradiction = 0;          // ClaimContradiction() of the account's activity, 0..1
  CountryCode infra_country = kNoCountry;  // majority of located infra observations, if it contradicts
  CountryCode platform_country = kNoCountry;  // Account::country, if it contradicts
};

class PostingRhythmSignal final : public Signal {
 public:
  PostingRhythmSignal(const Dataset& ds, RhythmOptions options = {});

  std::string_view Name() const override { return "posting-rhythm"; }
  bool Applicable(std::string* why_not) const override;

  // The profile of an account with at least min_events events; nullptr
  // otherwise and before Run(). Profiles are kept only for such accounts, so
  // memory is O(active accounts x 2.5 KB).
  const RhythmProfile* profile(AccountIndex account) const;
  // Accounts whose location claim is contradicted, ascending; empty before Run().
  const std::vector<LocationMismatch>& mismatches() const;
  std::string ExplainMismatch(const LocationMismatch& m) const;

 protected:
  // kInvalidArgument for options out of range (actual and expected values).
  Status Compute() override;
  const std::vector<float>& DoAccountScores() const override;
  const std::vector<SignalGroup>& DoGroups() const override;
  std::string DoExplainAccount(AccountIndex account) const override;

 private:
  // The profile of `account` whatever the run state (Compute() reads them).
  const RhythmProfile* ProfileOf(AccountIndex account) const;

  const Dataset& ds_;
  RhythmOptions options_;
  std::vector<uint32_t> slot_;  // account -> index into profiles_, UINT32_MAX = none
  std::vector<RhythmProfile> profiles_;
  std::vector<float> scores_;
  std::vector<SignalGroup> groups_;
  std::vector<LocationMismatch> mismatches_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_POSTING_RHYTHM_H_
