#include "lockstep/signals/posting_rhythm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <random>

#include "lockstep/ingest/load.h"
#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/sim/simulator.h"
#include "dataset_builder.h"
#include "signals/sim_fixture.h"
#include "test_util.h"

namespace lockstep {
namespace {

// A simulated data set with its ground truth, generated once per (scenario, seed).
using testing::Network;
using testing::SimData;
using testing::Simulated;

// Quarter-hour counts of a day template (24 hourly weights, local time) for
// a clock `offset` hours ahead of UTC, `total` events.
std::array<double, 96> Counts(const std::array<double, 24>& local, double offset, double total, std::mt19937_64& rng) {
  std::array<double, 96> q{};
  std::discrete_distribution<int> hour(local.begin(), local.end());
  std::uniform_int_distribution<int> quarter(0, 3);
  const int shift = static_cast<int>(std::lround(offset * 4));
  for (int i = 0; i < total; ++i) {
    const int local_bin = hour(rng) * 4 + quarter(rng);
    q[((local_bin - shift) % 96 + 96) % 96] += 1;
  }
  return q;
}

const std::array<double, 24> kPeopleDay = {1.5, 0.9, 0.5, 0.3, 0.25, 0.35, 0.8, 1.6, 2.5, 3.0, 3.2, 3.3,
                                           3.6, 3.5, 3.3, 3.3, 3.5, 3.8, 4.2, 4.6, 4.9, 4.8, 3.8, 2.6};
const std::array<double, 24> kShiftDay = {0, 0, 0, 0, 0, 0, 0, 0.3, 1.5, 3.5, 4.0, 3.2,
                                          0.9, 0.9, 2.5, 2.5, 2.3, 2.6, 3.6, 4.2, 3.8, 2.0, 0.5, 0.05};

TEST(PostingRhythm, RecoversHalfAndQuarterHourOffsetsFromSyntheticDays) {
  std::mt19937_64 rng(42);
  const std::array<double, 168> week{};
  for (double offset : {5.5, 5.75, -3.5, 9.0, 0.0, -8.0}) {
    // Work shifts with a silent night: the offset exactly.
    // Telling a quarter hour from the whole hour next to it takes more events.
    const double events = offset - std::floor(offset) == 0.75 ? 20000 : 3000;
    const RhythmProfile shift = ProfileFromCounts(Counts(kShiftDay, offset, events, rng), week, {});
    ASSERT_TRUE(shift.utc_offset_hours.has_value()) << "a silent night to anchor on (offset " << offset << ")";
    EXPECT_EQ(*shift.utc_offset_hours, offset) << events << " events of a shift day at UTC" << offset;
    EXPECT_GT(shift.confidence, 0.8) << "a silent night gives a confident estimate";
    EXPECT_FALSE(shift.automated) << "shifts are people";
    // People's days have a shallow, lopsided trough: within an hour, less sure.
    const RhythmProfile people = ProfileFromCounts(Counts(kPeopleDay, offset, 3000, rng), week, {});
    ASSERT_TRUE(people.utc_offset_hours.has_value()) << "people sleep too (offset " << offset << ")";
    EXPECT_LE(std::fabs(*people.utc_offset_hours - offset), 1.0) << "3,000 events of a people day at UTC" << offset;
    EXPECT_LT(people.confidence, shift.confidence) << "a trough is less telling than a silent night";
    EXPECT_FALSE(people.automated) << "human days are not automation";
  }
}

TEST(PostingRhythm, ShiftProfileShowsLunchDipNightPauseAndPeaks) {
  std::mt19937_64 rng(7);
  const RhythmProfile shift = ProfileFromCounts(Counts(kShiftDay, 5.5, 5000, rng), {}, {});
  EXPECT_TRUE(shift.night_pause) << "no activity 00-06 local";
  EXPECT_TRUE(shift.lunch_dip) << "12-14 local at a quarter of the morning rate";
  EXPECT_TRUE(shift.morning_peak && shift.evening_peak) << "two work-shift peaks";
  EXPECT_TRUE(shift.shift_work) << "the farm pattern";
  EXPECT_GT(shift.local_hour_share[10], 5 * shift.local_hour_share[3]) << "shares are in local time";
  const RhythmProfile people = ProfileFromCounts(Counts(kPeopleDay, 5.5, 5000, rng), {}, {});
  EXPECT_FALSE(people.lunch_dip) << "people keep posting over lunch";
  EXPECT_FALSE(people.night_pause) << "some people are up at night";
  EXPECT_FALSE(people.shift_work) << "an ordinary day is not shift work";
  EXPECT_NE(shift.Describe().find("UTC+5:30"), std::string::npos) << shift.Describe();
}

TEST(PostingRhythm, FlatAndSuperhumanActivityIsAutomatedWithNoOffset) {
  std::mt19937_64 rng(3);
  const std::array<double, 24> flat = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  const std::vector<uint32_t> daily(12, 142);
  const RhythmProfile p = ProfileFromCounts(Counts(flat, 0, 142 * 12, rng), {}, daily);
  EXPECT_TRUE(p.flat_24h) << "uniform over 24 hours, entropy " << p.hour_entropy;
  EXPECT_TRUE(p.superhuman) << "142 a day for 12 days";
  EXPECT_TRUE(p.automated);
  EXPECT_FALSE(p.utc_offset_hours.has_value()) << "a machine's schedule says nothing about a time zone";
  EXPECT_GT(p.automation_score, 0.5) << "strong automation evidence";
  const std::string text = p.Describe();
  EXPECT_NE(text.find("142 times a day"), std::string::npos) << text;
  EXPECT_NE(text.find("flat across all 24 hours"), std::string::npos) << text;
  // A human day with one busy stretch is not superhuman.
  std::vector<uint32_t> busy(30, 5);
  busy[10] = busy[11] = 120;
  const RhythmProfile j = ProfileFromCounts(Counts(kPeopleDay, 1, 400, rng), {}, busy);
  EXPECT_FALSE(j.superhuman) << "two busy news days are not a sustained superhuman rate";
}

TEST(PostingRhythm, TooFewEventsGiveNoOffset) {
  std::mt19937_64 rng(5);
  const RhythmProfile p = ProfileFromCounts(Counts(kShiftDay, 3, 10, rng), {}, {});
  EXPECT_FALSE(p.utc_offset_hours.has_value()) << "10 events are below min_events";
  EXPECT_EQ(p.confidence, 0) << "no estimate, no confidence";
}

TEST(PostingRhythm, LocationTableMatchesNamesAndCities) {
  CountryCode gb, us, ng, in;
  ASSERT_TRUE(ParseCountry("GB", &gb) && ParseCountry("US", &us) && ParseCountry("NG", &ng) && ParseCountry("IN", &in));
  EXPECT_EQ(CountryFromLocation("London, UK"), gb) << "city and country";
  EXPECT_EQ(CountryFromLocation("Paris, Texas"), us) << "the place named last wins";
  EXPECT_EQ(CountryFromLocation("Lagos"), ng) << "a main city";
  EXPECT_EQ(CountryFromLocation("MUMBAI"), in) << "case-insensitive";
  EXPECT_EQ(CountryFromLocation("somewhere over the rainbow"), kNoCountry) << "no place, no country";
  EXPECT_EQ(CountryFromLocation("Parisian"), kNoCountry) << "whole words only";
  EXPECT_TRUE(OffsetContradicts(gb, 6)) << "UTC+6 is five hours from British time";
  EXPECT_FALSE(OffsetContradicts(gb, 1)) << "BST";
  EXPECT_FALSE(OffsetContradicts(in, 6)) << "within an hour of IST";
}

TEST(PostingRhythm, RefusesBadOptionsAndHasNoResultsBeforeRun) {
  Dataset ds;
  RhythmOptions bad;
  bad.superhuman_days = 0;
  PostingRhythmSignal s(ds, bad);
  const Status st = s.Run();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << "a run of zero days";
  EXPECT_NE(st.message().find("got 0"), std::string::npos) << st.message();
  PostingRhythmSignal fresh(ds);
  EXPECT_DEATH((void)fresh.account_scores(), "read before a successful Run") << "no results before Run()";
  EXPECT_DEATH((void)s.groups(), "read before a successful Run") << "a failed Run() gives no results either";
  EXPECT_EQ(fresh.profile(0), nullptr) << "no results before Run()";
  std::string why;
  EXPECT_FALSE(fresh.Applicable(&why)) << "no events";
  EXPECT_FALSE(why.empty()) << "says what is missing";
}

TEST(PostingRhythm, RecoversTrollFarmOffsetAndShiftsOnSimulatedScenarios) {
  int recovered = 0;
  for (uint64_t seed : {1, 2, 3, 4}) {
    const SimData& d = Simulated("troll_farm", seed, 0.05);
    const NetworkTruth& farm = Network(d, "troll_farm");
    const RhythmProfile p = RhythmOf(d.ds, d.members.at(farm.network_id));
    ASSERT_TRUE(p.utc_offset_hours.has_value()) << "seed " << seed << ": " << p.Describe();
    EXPECT_EQ(*p.utc_offset_hours, farm.operator_utc_offset_hours)
        << "seed " << seed << ", farm in " << farm.origin_country << ": " << p.Describe();
    recovered += *p.utc_offset_hours == farm.operator_utc_offset_hours;
    EXPECT_GT(p.confidence, 0.5) << "seed " << seed << ": " << p.Describe();
    EXPECT_TRUE(p.lunch_dip) << "seed " << seed << ": " << p.Describe();
    EXPECT_TRUE(p.night_pause) << "seed " << seed << ": " << p.Describe();
    EXPECT_TRUE(p.shift_work) << "seed " << seed << ": " << p.Describe();
    EXPECT_FALSE(p.automated) << "operators are people";
  }
  EXPECT_GE(recovered, 3) << "the offset is recovered exactly for at least three seeds";
}

TEST(PostingRhythm, AutomatedNetworkIsFlaggedWithNullOffsetAndJournalistsAreNot) {
  const SimData& d = Simulated("automated", 1, 0.05);
  const NetworkTruth& bots = Network(d, "automated");
  const auto& members = d.members.at(bots.network_id);
  const RhythmProfile p = RhythmOf(d.ds, members);
  EXPECT_TRUE(p.automated) << p.Describe();
  EXPECT_TRUE(p.flat_24h) << "bots post around the clock: " << p.Describe();
  EXPECT_FALSE(p.utc_offset_hours.has_value()) << "automation hides the clock";

  PostingRhythmSignal signal(d.ds);
  ASSERT_TRUE(signal.Run().ok());
  size_t flagged = 0;
  for (AccountIndex a : members) {
    const RhythmProfile* q = signal.profile(a);
    flagged += q != nullptr && q->automated;
  }
  EXPECT_GE(flagged * 10, members.size() * 8) << flagged << " of " << members.size() << " bots flagged one by one";
  if (!members.empty()) {
    const std::string why = signal.ExplainAccount(members[0]);
    EXPECT_NE(why.find("flat across all 24 hours"), std::string::npos) << why;
  }
  // The simulator's journalists post 70-130 times on busy news days (12% of
  // days) in a human work day: high volume, but with nights and no sustained
  // superhuman run.
  size_t heavy = 0, heavy_automated = 0, heavy_with_clock = 0;
  for (AccountIndex a = 0; a < d.ds.num_accounts(); ++a) {
    const RhythmProfile* q = signal.profile(a);
    if (d.planted[a] || q == nullptr || q->max_events_per_day < 70) continue;
    ++heavy;
    heavy_automated += q->automated;
    heavy_with_clock += q->utc_offset_hours.has_value();
  }
  ASSERT_GT(heavy, 0u) << "the scenario has journalists with busy days";
  EXPECT_EQ(heavy_automated, 0u) << "busy journalists are people, not bots";
  EXPECT_EQ(heavy_with_clock, heavy) << "their rhythm gives a clock";
}

TEST(PostingRhythm, LocationMismatchFiresForFarmAccountsClaimingAnotherCountry) {
  for (uint64_t seed : {1, 2}) {
    const SimData& d = Simulated("troll_farm", seed, 0.05);
    const NetworkTruth& farm = Network(d, "troll_farm");
    PostingRhythmSignal signal(d.ds);
    ASSERT_TRUE(signal.Run().ok());
    std::vector<uint8_t> mismatched(d.ds.num_accounts(), 0);
    for (const LocationMismatch& m : signal.mismatches()) mismatched[m.account] = 1;
    CountryCode target;
    ASSERT_TRUE(ParseCountry(farm.target_country, &target));
    size_t claiming = 0, caught = 0, authentic_claims = 0, authentic_flagged = 0;
    for (AccountIndex a = 0; a < d.ds.num_accounts(); ++a) {
      const CountryCode claimed = CountryFromLocation(d.ds.String(d.ds.accounts[a].claimed_location));
      if (claimed == kNoCountry) continue;
      if (d.planted[a] && claimed == target) {
        ++claiming;
        caught += mismatched[a];
      } else if (!d.planted[a]) {
        ++authentic_claims;
        authentic_flagged += mismatched[a];
      }
    }
    ASSERT_GT(claiming, 0u) << "farm accounts claim the target country";
    EXPECT_GE(caught * 10, claiming * 9) << "seed " << seed << ": " << caught << " of " << claiming;
    EXPECT_LT(authentic_flagged * 20, authentic_claims) << "seed " << seed << ": " << authentic_flagged << " of "
                                                         << authentic_claims << " authentic claims contradicted";
    bool group = false;
    for (const SignalGroup& g : signal.groups()) {
      size_t farm_members = 0;
      for (AccountIndex a : g.accounts) farm_members += d.planted[a];
      if (farm_members * 2 > g.accounts.size() && g.accounts.size() >= 5) {
        group = true;
        EXPECT_NE(g.explanation.find(farm.target_country), std::string::npos) << g.explanation;
      }
    }
    EXPECT_TRUE(group) << "the farm's claims form a group";
  }
}

// An office day shift, 10:00-20:00 local, nothing else: twelve silent hours,
// as the IRA's HashtagGamers kept on St Petersburg time (UTC+3).
const std::array<double, 24> kOfficeDay = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 3, 2, 3, 4, 4, 3, 2, 1, 0, 0, 0, 0};

TEST(PostingRhythm, ClaimContradictionTellsAnOfficeAbroadFromPeopleAtHome) {
  std::mt19937_64 rng(11);
  CountryCode us, ru;
  ASSERT_TRUE(ParseCountry("US", &us) && ParseCountry("RU", &ru));
  const auto office = Counts(kOfficeDay, 3, 400, rng);
  EXPECT_GT(ClaimContradiction(office, us), 0.8) << "US nights (UTC-10..-4, +-1 h) fall in a UTC+3 office day";
  EXPECT_LT(ClaimContradiction(office, ru), 0.1) << "the same clock is at home in Russia";
  EXPECT_EQ(ClaimContradiction(office, kNoCountry), 0) << "no claim, no contradiction";
  for (double offset : {-5.0, -8.0, -10.0}) {
    const auto american = Counts(kPeopleDay, offset, 400, rng);
    EXPECT_LT(ClaimContradiction(american, us), 0.5) << "people at UTC" << offset << " live where they say";
  }
  // The point estimate alone misses the office: its twelve silent hours leave
  // several offsets almost equally quiet, so no single offset is confident.
  const RhythmProfile p = ProfileFromCounts(office, {}, {});
  ASSERT_TRUE(p.utc_offset_hours.has_value()) << "a silent night";
  EXPECT_LT(p.confidence, 0.5) << "many equally quiet nights: the old test (confidence >= 0.5) never looked";
}

// Builds accounts claiming the United States: `office` of them on a UTC+3
// office day, `home` on an American day (UTC-5), 200 events each.
Dataset ClaimedUsAccounts(int office, int home, std::mt19937_64& rng) {
  testing::DatasetBuilder b;
  const int64_t monday = 1577664000;  // 2019-12-30 00:00 UTC
  auto add = [&](const std::string& id, const std::array<double, 24>& day, double offset) {
    std::discrete_distribution<int> hour(day.begin(), day.end());
    std::uniform_int_distribution<int> minute(0, 59), date(0, 59);
    for (int i = 0; i < 200; ++i) {
      const int64_t local = monday + date(rng) * 86400 + hour(rng) * 3600 + minute(rng) * 60;
      b.Add(id, local - static_cast<int64_t>(offset * 3600), EventType::kPost);
    }
  };
  for (int i = 0; i < office; ++i) add("office" + std::to_string(i), kOfficeDay, 3);
  for (int i = 0; i < home; ++i) add("home" + std::to_string(i), kPeopleDay, -5);
  Dataset ds = b.Build();
  const StringId us = ds.strings.Intern("United States");
  for (Account& a : ds.accounts) a.claimed_location = us;
  return ds;
}

TEST(PostingRhythm, ClaimContradictedByTheClockIsAMismatchAndAnAccountScore) {
  std::mt19937_64 rng(23);
  const Dataset ds = ClaimedUsAccounts(6, 30, rng);
  PostingRhythmSignal signal(ds);
  ASSERT_TRUE(signal.Run().ok());
  std::vector<uint8_t> mismatched(ds.num_accounts(), 0);
  for (const LocationMismatch& m : signal.mismatches()) {
    mismatched[m.account] = m.offset_contradicts;
    EXPECT_GE(m.clock_contradiction, 0.5) << ds.AccountId(m.account) << ": only the clock can contradict here";
  }
  size_t office_caught = 0, home_flagged = 0;
  for (AccountIndex a = 0; a < ds.num_accounts(); ++a) {
    const bool office = ds.AccountId(a).starts_with("office");
    (office ? office_caught : home_flagged) += mismatched[a];
    if (office) {
      EXPECT_GT(signal.account_scores()[a], 0.8) << ds.AccountId(a) << ": a persona abroad scores on its own";
    }
  }
  EXPECT_EQ(office_caught, 6u) << "every account claiming the US on St Petersburg office hours";
  EXPECT_EQ(home_flagged, 0u) << "Americans on an American day are not contradicted";
  bool group = false;
  for (const SignalGroup& g : signal.groups()) group |= g.accounts.size() == 6;
  EXPECT_TRUE(group) << "the six claim one country on one clock: a group";
  // Regression (issue 16): the clock was read through profile(), which is
  // nullptr until Run() has finished, so it never contradicted a claim. With
  // the test turned off, nothing may be flagged either.
  RhythmOptions off;
  off.claim_contradiction_min = 2;
  PostingRhythmSignal without(ds, off);
  ASSERT_TRUE(without.Run().ok());
  EXPECT_TRUE(without.mismatches().empty()) << "no clock, no infrastructure, no platform country: no mismatch";
}

TEST(PostingRhythm, RunsOnTheTwitterIoSample) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "no ../shared/data";
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadDataset(testing::SharedData("twitter_io_sample/io_archive_russia_2019_first1000lines.csv"), "auto", {},
                        &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  std::vector<AccountIndex> all(ds->num_accounts());
  for (AccountIndex a = 0; a < all.size(); ++a) all[a] = a;
  const RhythmProfile p = RhythmOf(*ds, all);
  EXPECT_EQ(p.events, ds->events.size()) << "every tweet counted";
  EXPECT_GE(p.confidence, 0) << p.Describe();
  EXPECT_LE(p.confidence, 1) << p.Describe();
  EXPECT_FALSE(p.Describe().empty());
  PostingRhythmSignal signal(*ds);
  ASSERT_TRUE(signal.Run().ok());
  EXPECT_EQ(signal.account_scores().size(), ds->num_accounts()) << "a score per account";
  std::cout << "Twitter IO sample: " << p.Describe() << "\n";
}

}  // namespace
}  // namespace lockstep
