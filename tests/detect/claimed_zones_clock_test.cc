// One clock behind claimed time zones: an office's personas claiming
// countries hours apart share one day; people spread over the zones they
// claim (diaspora, fans, bureaus) keep their own and are not evidence.
#include "lockstep/detect/claimed_zones_clock.h"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "dataset_builder.h"

namespace lockstep {
namespace {

using testing::DatasetBuilder;

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1577836800;  // 2020-01-01T00:00:00Z

// How busy a person is in each hour of their local day: asleep 01-07, busiest
// in the evening.
constexpr std::array<double, 24> kPersonDay = {0.3, 0.1, 0.05, 0.03, 0.03, 0.05, 0.2, 0.5, 0.8, 1.0, 1.0, 1.0,
                                               1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.4, 1.3, 1.0, 0.6};
// An office's day shift, local time: 09-20 with a lunch dip, nothing at night.
constexpr std::array<double, 24> kOfficeDay = {0, 0, 0, 0, 0, 0, 0, 0, 0.1, 1.0, 1.0, 1.0,
                                               1.0, 0.6, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.3, 0, 0, 0};

// `n` accounts named prefix0.. claiming `claim`, living at UTC `offset`
// hours on `day` (each shifted by its own chronotype of -2..+2 hours), with
// 2-8 events on each of `days` days at hours drawn from that day.
void AddPeople(DatasetBuilder& b, const std::string& prefix, int n, const std::string& claim, int offset,
               const std::array<double, 24>& day, int days, std::mt19937_64& rng) {
  std::discrete_distribution<int> hour(day.begin(), day.end());
  std::uniform_int_distribution<int> chronotype(-2, 2), per_day(2, 8), second(0, 3599);
  for (int a = 0; a < n; ++a) {
    const std::string id = fmt::format("{}{}", prefix, a);
    b.Profile(id).claimed_location = b.String(claim);
    const int shift = chronotype(rng);
    for (int d = 0; d < days; ++d)
      for (int k = per_day(rng); k > 0; --k) {
        const int local = hour(rng) + shift;
        b.Add(id, kStart + d * kDay + (local - offset) * 3600 + second(rng), EventType::kPost);
      }
  }
}

std::vector<AccountIndex> Group(const Dataset& ds, const std::vector<std::pair<std::string, int>>& prefixes) {
  std::vector<AccountIndex> g;
  for (const auto& [prefix, n] : prefixes)
    for (int a = 0; a < n; ++a) g.push_back(ds.account_ids.Find(fmt::format("{}{}", prefix, a)));
  return g;
}

ClaimedZonesClockResult TestGroup(const Dataset& ds, const std::vector<AccountIndex>& group,
                                  ClaimedZonesClockOptions options = {}) {
  ClaimedZonesClock clock(ds, options);
  Status s = clock.Run();
  EXPECT_TRUE(s.ok()) << s.message();
  return clock.Test(group);
}

TEST(ClaimedZonesClock, AnOfficeWhosePersonasClaimTheUsAndTheUaeKeepsOneClock) {
  std::mt19937_64 rng(16);
  DatasetBuilder b;
  // One office in St Petersburg (UTC+3), personas claiming New York and Dubai.
  AddPeople(b, "us_persona", 10, "New York, USA", 3, kOfficeDay, 120, rng);
  AddPeople(b, "uae_persona", 8, "Dubai", 3, kOfficeDay, 120, rng);
  const Dataset ds = b.Build();
  const ClaimedZonesClockResult r = TestGroup(ds, Group(ds, {{"us_persona", 10}, {"uae_persona", 8}}));
  EXPECT_EQ(r.zones, 2u) << r.explanation;
  EXPECT_EQ(r.pairs, 1u) << "the US and the UAE are 8+ hours apart: " << r.explanation;
  EXPECT_EQ(r.claimants, 18u) << r.explanation;
  EXPECT_LE(std::abs(r.peak_lag_hours), 1) << "both zones peak at the same UTC hour: " << r.explanation;
  EXPECT_GT(r.effect, 1.0) << "one clock fits far better than the claims: " << r.explanation;
  EXPECT_LE(r.p, 0.001) << r.explanation;
  EXPECT_TRUE(r.holds) << r.explanation;
  EXPECT_GT(r.strength, 0.9) << r.explanation;
}

TEST(ClaimedZonesClock, OnePersonWithManyPersonasAroundTheClockStillKeepsOneClock) {
  // Staggered shifts around the clock, as the IRA's Russian-language group:
  // each persona busiest at its own hour, but US and UAE claimants drawn from
  // the same shifts.
  std::mt19937_64 rng(17);
  DatasetBuilder b;
  const std::array<double, 24> shifts = {0.4, 0.4, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0,
                                         2.0, 1.8, 1.6, 1.4, 1.2, 1.0, 0.8, 0.6, 0.5, 0.4, 0.4, 0.4};
  AddPeople(b, "us", 12, "United States", 0, shifts, 150, rng);
  AddPeople(b, "ae", 6, "United Arab Emirates", 0, shifts, 150, rng);
  const Dataset ds = b.Build();
  const ClaimedZonesClockResult r = TestGroup(ds, Group(ds, {{"us", 12}, {"ae", 6}}));
  EXPECT_TRUE(r.holds) << "no quiet night, but one daily cycle for both claims: " << r.explanation;
}

TEST(ClaimedZonesClock, AnInternationalCommunityLivingWhereItClaimsIsNot) {
  std::mt19937_64 rng(18);
  DatasetBuilder b;
  // Fans, a diaspora, a newsroom's bureaus: each where it says, on its own clock.
  AddPeople(b, "nyc", 10, "New York", -5, kPersonDay, 120, rng);
  AddPeople(b, "dubai", 8, "Dubai, UAE", 4, kPersonDay, 120, rng);
  AddPeople(b, "london", 8, "London", 0, kPersonDay, 120, rng);
  AddPeople(b, "mumbai", 6, "Mumbai", 5, kPersonDay, 120, rng);
  // ... who all join the same weekly live stream, Sundays 19:00-20:00 UTC.
  for (const auto& [prefix, n] : std::vector<std::pair<std::string, int>>{{"nyc", 10}, {"dubai", 8}, {"london", 8}, {"mumbai", 6}})
    for (int a = 0; a < n; ++a)
      for (int week = 0; week < 17; ++week)
        for (int k = 0; k < 6; ++k)
          b.Add(fmt::format("{}{}", prefix, a), kStart + (4 + 7 * week) * kDay + 19 * 3600 + k * 500, EventType::kPost);
  const Dataset ds = b.Build();
  const ClaimedZonesClockResult r =
      TestGroup(ds, Group(ds, {{"nyc", 10}, {"dubai", 8}, {"london", 8}, {"mumbai", 6}}));
  EXPECT_EQ(r.pairs, 2u) << "US-UAE and US-India are tested (Britain is within 5 hours of the UAE, India and "
                            "US daylight time): "
                         << r.explanation;
  EXPECT_LT(r.effect, 0) << "the claims fit better than one clock: " << r.explanation;
  EXPECT_FALSE(r.holds) << r.explanation;
  EXPECT_EQ(r.strength, 0) << r.explanation;
}

TEST(ClaimedZonesClock, FansAbroadResharingTheirArtistWithinMinutesAreNot) {
  std::mt19937_64 rng(23);
  DatasetBuilder b;
  // Fans in four countries, each posting a little on their own clock ...
  const std::vector<std::tuple<std::string, int, std::string, int>> fans = {
      {"fan_us", 10, "Los Angeles", -8}, {"fan_ae", 6, "Dubai", 4}, {"fan_in", 6, "Delhi", 5}, {"fan_gb", 6, "London", 0}};
  for (const auto& [prefix, n, claim, offset] : fans) AddPeople(b, prefix, n, claim, offset, kPersonDay, 120, rng);
  // ... and resharing their artist within minutes of most of its posts,
  // six a day at 16-20 UTC: most of their active hours.
  std::uniform_int_distribution<int> at(16 * 3600, 20 * 3600), lag(10, 900);
  std::uniform_real_distribution<double> u(0, 1);
  for (int d = 0; d < 120; ++d)
    for (int k = 0; k < 6; ++k) {
      const int64_t t = kStart + d * kDay + at(rng);
      b.Add("artist", t, EventType::kPost);
      for (const auto& [prefix, n, claim, offset] : fans)
        for (int a = 0; a < n; ++a)
          if (u(rng) < 0.9) b.Add(fmt::format("{}{}", prefix, a), t + lag(rng), EventType::kShare, fmt::format("p{}", t));
    }
  Dataset ds = b.Build();
  for (size_t i = 0; i < ds.events.size(); ++i)  // the artist's posts carry the ids the fans' shares name
    if (ds.events.account[i] == ds.account_ids.Find("artist"))
      ds.events.event_id[i] = ds.objects.Intern(fmt::format("p{}", ds.events.time[i]));
  const auto group = Group(ds, {{"fan_us", 10}, {"fan_ae", 6}, {"fan_in", 6}, {"fan_gb", 6}});
  const ClaimedZonesClockResult r = TestGroup(ds, group);
  EXPECT_EQ(r.pairs, 2u) << r.explanation;
  EXPECT_FALSE(r.holds) << "reactions keep the artist's clock, not the fans': " << r.explanation;
  ClaimedZonesClockOptions counted;
  counted.reaction_seconds = 0;  // count the reshares as the fans' own clock
  const ClaimedZonesClockResult wrong = TestGroup(ds, group, counted);
  EXPECT_TRUE(wrong.holds) << "with the reactions counted as their own, the fans would be one clock: "
                           << wrong.explanation;
}

TEST(ClaimedZonesClock, OneZoneClaimingOneZoneIsNot) {
  std::mt19937_64 rng(19);
  DatasetBuilder b;
  AddPeople(b, "us", 20, "Chicago", -6, kOfficeDay, 120, rng);
  const Dataset ds = b.Build();
  const ClaimedZonesClockResult r = TestGroup(ds, Group(ds, {{"us", 20}}));
  EXPECT_EQ(r.pairs, 0u) << "one claimed country: nothing to compare";
  EXPECT_FALSE(r.holds) << r.explanation;
}

TEST(ClaimedZonesClock, TooFewClaimantsOrTooLittleActivityIsNot) {
  std::mt19937_64 rng(20);
  DatasetBuilder b;
  AddPeople(b, "us", 10, "USA", 3, kOfficeDay, 120, rng);
  AddPeople(b, "ae", 2, "Abu Dhabi", 3, kOfficeDay, 120, rng);  // two UAE claimants: below min_zone_members
  AddPeople(b, "quiet_ae", 5, "Dubai", 3, kOfficeDay, 3, rng);  // five with a few active hours each
  const Dataset ds = b.Build();
  const ClaimedZonesClockResult r = TestGroup(ds, Group(ds, {{"us", 10}, {"ae", 2}, {"quiet_ae", 5}}));
  EXPECT_EQ(r.zones, 1u) << "only the US has 3 members with 20+ active hours: " << r.explanation;
  EXPECT_FALSE(r.holds) << r.explanation;
  // With two UAE claimants allowed, the permutation null itself refuses: 12
  // members deal two UAE days in 66 ways, so p cannot reach 0.001.
  ClaimedZonesClockOptions two;
  two.min_zone_members = 2;
  const ClaimedZonesClockResult few = TestGroup(ds, Group(ds, {{"us", 10}, {"ae", 2}}), two);
  EXPECT_EQ(few.pairs, 1u) << few.explanation;
  EXPECT_GT(few.p, 0.001) << few.explanation;
  EXPECT_FALSE(few.holds) << few.explanation;
}

TEST(ClaimedZonesClock, NeighbouringZonesAreNotTested) {
  std::mt19937_64 rng(21);
  DatasetBuilder b;
  // Claims of Germany (+1/+2) and Britain (0/+1) on one clock: within a few hours, not evidence.
  AddPeople(b, "de", 8, "Berlin", 1, kOfficeDay, 120, rng);
  AddPeople(b, "gb", 8, "London", 1, kOfficeDay, 120, rng);
  const Dataset ds = b.Build();
  const ClaimedZonesClockResult r = TestGroup(ds, Group(ds, {{"de", 8}, {"gb", 8}}));
  EXPECT_EQ(r.zones, 2u);
  EXPECT_EQ(r.pairs, 0u) << "Germany and Britain are less than 5 hours apart";
  EXPECT_FALSE(r.holds);
}

TEST(ClaimedZonesClock, SeededAndRunOnceWithValidOptions) {
  std::mt19937_64 rng(22);
  DatasetBuilder b;
  AddPeople(b, "us", 6, "USA", 3, kOfficeDay, 40, rng);
  AddPeople(b, "ae", 4, "UAE", 3, kOfficeDay, 40, rng);
  const Dataset ds = b.Build();
  const auto group = Group(ds, {{"us", 6}, {"ae", 4}});
  ClaimedZonesClock clock(ds, {});
  ASSERT_TRUE(clock.Run().ok());
  EXPECT_EQ(clock.Run().code(), StatusCode::kFailedPrecondition) << "a second Run() is refused";
  const ClaimedZonesClockResult first = clock.Test(group), second = clock.Test(group);
  EXPECT_EQ(first.p, second.p) << "the permutation null is seeded";
  EXPECT_EQ(first.explanation, second.explanation);
  ClaimedZonesClockOptions bad;
  bad.permutations = 99;  // cannot resolve max_p 0.001
  ClaimedZonesClock wrong(ds, bad);
  const Status s = wrong.Run();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("99"), std::string::npos) << "the message names the actual value: " << s.message();
  ClaimedZonesClockOptions gap;
  gap.same_clock_hours = 6;  // wider than the 5-hour gap
  ClaimedZonesClock wide(ds, gap);
  EXPECT_EQ(wide.Run().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lockstep
