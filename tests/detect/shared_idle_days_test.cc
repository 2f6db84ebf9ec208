// Shared idle days: one operator's days off are evidence; people's own
// rhythms, spells, weekends, country holidays and collection outages are not.
#include "lockstep/detect/shared_idle_days.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dataset_builder.h"

namespace lockstep {
namespace {

using testing::DatasetBuilder;

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1577836800;  // 2020-01-01T00:00:00Z, a Wednesday

// `n` accounts named prefix0.. active on day d of `days` with probability
// `p(account, d)`, one post at a random time of that day.
template <typename P>
void AddAccounts(DatasetBuilder& b, const std::string& prefix, int n, int days, std::mt19937_64& rng, P p) {
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int64_t> second(0, kDay - 1);
  for (int a = 0; a < n; ++a) {
    const std::string id = fmt::format("{}{}", prefix, a);
    for (int d = 0; d < days; ++d)
      if (u(rng) < p(a, d)) b.Add(id, kStart + d * kDay + second(rng), EventType::kPost);
  }
}

std::vector<AccountIndex> Group(const Dataset& ds, const std::string& prefix, int n) {
  std::vector<AccountIndex> g;
  for (int a = 0; a < n; ++a) g.push_back(ds.account_ids.Find(fmt::format("{}{}", prefix, a)));
  return g;
}

// Independent people around the group, so that the data set is busy every day.
void AddCrowd(DatasetBuilder& b, int days, std::mt19937_64& rng) {
  AddAccounts(b, "crowd", 200, days, rng, [](int, int) { return 0.5; });
}

IdleDaysResult TestGroup(const Dataset& ds, const std::vector<AccountIndex>& group) {
  SharedIdleDays idle(ds, {});
  Status s = idle.Run();
  EXPECT_TRUE(s.ok()) << s.message();
  return idle.Test(group);
}

TEST(SharedIdleDays, AnOfficesDaysOffAreOneOperator) {
  std::mt19937_64 rng(16);
  DatasetBuilder b;
  AddCrowd(b, 400, rng);
  // 20 personas, each posting on 60% of days, all idle on the office's 40
  // days off (shifts, holidays), which fall on any weekday.
  std::set<int> off;
  std::uniform_int_distribution<int> day(1, 398);  // inside the personas' alive span
  while (off.size() < 40) off.insert(day(rng));
  AddAccounts(b, "persona", 20, 400, rng, [&](int, int d) { return off.count(d) ? 0.0 : 0.6; });
  const Dataset ds = b.Build();
  const IdleDaysResult r = TestGroup(ds, Group(ds, "persona", 20));
  EXPECT_TRUE(r.holds) << "20 accounts that each post on 60% of days should never all be silent on 40 days: "
                       << r.explanation;
  EXPECT_GE(r.silent_days, 40u) << "every office day off is a silent day";
  EXPECT_LT(r.expected_silent, 1.0) << "independent accounts at 60% are all silent on about 0.4^20 of days";
  EXPECT_GT(r.strength, 0.5);
}

TEST(SharedIdleDays, PeopleWithSpellsAndWeekendsAreNot) {
  std::mt19937_64 rng(17);
  DatasetBuilder b;
  AddCrowd(b, 400, rng);
  // 20 people of one office town: nobody posts on weekends (a newsroom's or a
  // commuter's schedule, in the null), and each has spells of activity and
  // dormancy of 1 to 60 days of his own.
  std::vector<std::vector<bool>> on(20, std::vector<bool>(400));
  std::uniform_int_distribution<int> spell(1, 60);
  for (auto& person : on) {
    bool active = rng() % 2 == 0;
    for (int d = 0; d < 400;) {
      const int len = spell(rng);
      for (int k = 0; k < len && d < 400; ++k, ++d) person[d] = active;
      active = !active;
    }
  }
  AddAccounts(b, "person", 20, 400, rng, [&](int a, int d) {
    const int weekday = (d + 2) % 7;  // 2020-01-01 is a Wednesday: 0 = Monday
    return weekday >= 5 ? 0.0 : on[a][d] ? 0.8 : 0.02;
  });
  const Dataset ds = b.Build();
  const IdleDaysResult r = TestGroup(ds, Group(ds, "person", 20));
  EXPECT_FALSE(r.holds) << "weekends are in the null and spells are each person's own: " << r.explanation;
  EXPECT_EQ(r.strength, 0.0);
}

TEST(SharedIdleDays, ACampaignsVolunteersQuietAfterItAreNot) {
  std::mt19937_64 rng(20);
  DatasetBuilder b;
  AddCrowd(b, 400, rng);
  // 40 supporters, busy together during a 90-day campaign (70% of days) and
  // ordinary (5% of days) before and after it: over their whole life in the
  // data they look busy enough that their joint silence after the campaign
  // would be improbable; the rate of the time says otherwise.
  AddAccounts(b, "volunteer", 40, 400, rng, [](int, int d) { return d >= 150 && d < 240 ? 0.7 : 0.05; });
  const Dataset ds = b.Build();
  const IdleDaysResult r = TestGroup(ds, Group(ds, "volunteer", 40));
  EXPECT_FALSE(r.holds) << "a campaign's months are a shared cause of activity, not an operator's calendar: "
                        << r.explanation;
}

TEST(SharedIdleDays, TheDaysAroundACampaignsStartAndEndAreNot) {
  std::mt19937_64 rng(21);
  DatasetBuilder b;
  AddCrowd(b, 400, rng);
  // 32 supporters who hardly post (1% of days) but for a 90-day campaign
  // (90% of days). Over four weeks either side, the days just after its end
  // and just before its start look busy, yet all are silent there together:
  // there the group's activity on one side of the day is a fraction of the
  // other's, a start or a stop, not a day off.
  // The simulator's volunteers of wide seeds 1016 and 1018 were reported on
  // 13 and 17 such days.
  AddAccounts(b, "volunteer", 32, 400, rng, [](int, int d) { return d >= 150 && d < 240 ? 0.9 : 0.01; });
  const Dataset ds = b.Build();
  const IdleDaysResult r = TestGroup(ds, Group(ds, "volunteer", 32));
  EXPECT_FALSE(r.holds) << "activity that starts or stops for everyone at once is a shared cause: " << r.explanation;
}

TEST(SharedIdleDays, PeopleRestingOnTheirCountrysHolidaysAreNot) {
  std::mt19937_64 rng(18);
  DatasetBuilder b;
  AddCrowd(b, 730, rng);
  // 30 people of one country, each posting on 70% of days, every one of them
  // silent on all of its 11 public holidays a year, for two years.
  const std::set<int> holidays{7, 19, 46, 146, 185, 249, 286, 315, 330, 358, 365, 384, 411, 511, 550, 614, 651, 680, 695, 723};
  AddAccounts(b, "citizen", 30, 730, rng, [&](int, int d) { return holidays.count(d) ? 0.0 : 0.7; });
  const Dataset ds = b.Build();
  const IdleDaysResult r = TestGroup(ds, Group(ds, "citizen", 30));
  EXPECT_GE(r.silent_days, holidays.size()) << "they are silent together on every holiday";
  EXPECT_FALSE(r.holds) << "a country's holidays (3% of days) are below min_excess_share: " << r.explanation;
}

TEST(SharedIdleDays, ACollectionOutageIsNotADayOff) {
  std::mt19937_64 rng(19);
  DatasetBuilder b;
  // The archive lost 40 days: nobody, crowd or group, has events on them.
  std::set<int> lost;
  std::uniform_int_distribution<int> day(0, 399);
  while (lost.size() < 40) lost.insert(day(rng));
  AddAccounts(b, "crowd", 200, 400, rng, [&](int, int d) { return lost.count(d) ? 0.0 : 0.5; });
  AddAccounts(b, "person", 20, 400, rng, [&](int, int d) { return lost.count(d) ? 0.0 : 0.6; });
  const Dataset ds = b.Build();
  const IdleDaysResult r = TestGroup(ds, Group(ds, "person", 20));
  EXPECT_EQ(r.silent_days, 0u) << "days on which the whole data set is quiet are not tested";
  EXPECT_FALSE(r.holds);
}

TEST(SharedIdleDays, RunOnceWithValidOptions) {
  DatasetBuilder b;
  b.Add("a", kStart, EventType::kPost);
  const Dataset ds = b.Build();
  SharedIdleDays idle(ds, {});
  ASSERT_TRUE(idle.Run().ok());
  EXPECT_EQ(idle.Run().code(), StatusCode::kFailedPrecondition) << "a second Run() is refused";
  SharedIdleDaysOptions bad;
  bad.population_quiet_share = 2;
  SharedIdleDays wrong(ds, bad);
  EXPECT_EQ(wrong.Run().code(), StatusCode::kInvalidArgument) << "a share above 1 is rejected up front";
  SharedIdleDaysOptions bad_ratio;
  bad_ratio.max_side_ratio = -0.5;
  SharedIdleDays wrong_ratio(ds, bad_ratio);
  EXPECT_EQ(wrong_ratio.Run().code(), StatusCode::kInvalidArgument) << "a negative side ratio is rejected";
  const IdleDaysResult r = idle.Test({0});
  EXPECT_EQ(r.members, 1u);
  EXPECT_FALSE(r.holds) << "one account with one post proves nothing";
}

}  // namespace
}  // namespace lockstep
