// Observed tenure: accounts acting from the start of the collection for
// years are established; personas appearing together later, and accounts
// too sparse to place, are not.
#include "lockstep/detect/observed_tenure.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "dataset_builder.h"

namespace lockstep {
namespace {

using testing::DatasetBuilder;

constexpr int64_t kStart = 1'600'000'000, kDay = 86400;

// `n` accounts named prefix0.. with `events` posts each, uniform over
// [from_day, to_day) days after kStart.
void AddAccounts(DatasetBuilder& b, const std::string& prefix, int n, int events, int from_day, int to_day,
                 std::mt19937_64& rng) {
  std::uniform_int_distribution<int64_t> when(from_day * kDay, to_day * kDay - 1);
  for (int a = 0; a < n; ++a)
    for (int i = 0; i < events; ++i) b.Add(prefix + std::to_string(a), kStart + when(rng), EventType::kPost);
}

std::vector<AccountIndex> Group(const Dataset& ds, const std::string& prefix, int n) {
  std::vector<AccountIndex> g;
  for (int a = 0; a < n; ++a) g.push_back(ds.account_ids.Find(prefix + std::to_string(a)));
  return g;
}

TEST(ObservedTenure, TellsAccountsPresentSinceTheStartFromPersonasAppearingTogether) {
  std::mt19937_64 rng(3);
  DatasetBuilder b;
  b.Add("first", kStart, EventType::kPost);
  AddAccounts(b, "fan", 20, 100, 0, 900, rng);        // acting since the data began, for years
  AddAccounts(b, "persona", 20, 300, 200, 900, rng);  // a batch appearing on day 200, then as long
  AddAccounts(b, "recent", 20, 100, 0, 200, rng);     // since the start, but for 200 days only
  AddAccounts(b, "sparse", 20, 3, 0, 900, rng);       // too few actions to place
  Dataset ds = b.Build();
  ObservedTenure tenure(ds, ObservedTenureOptions());
  ASSERT_TRUE(tenure.Run().ok());
  const TenureResult fans = tenure.Test(Group(ds, "fan", 20));
  EXPECT_TRUE(fans.holds) << "present at the start (" << fans.present << " of 20) and seen for "
                          << fans.median_tenure_days << " days";
  const TenureResult personas = tenure.Test(Group(ds, "persona", 20));
  EXPECT_FALSE(personas.holds) << "first actions 200 days in, at a usual gap of 2 days: registered later";
  EXPECT_EQ(personas.present, 0u) << "no persona was acting when the data began";
  EXPECT_FALSE(tenure.Test(Group(ds, "recent", 20)).holds) << "200 days seen are not a year of age";
  const TenureResult sparse = tenure.Test(Group(ds, "sparse", 20));
  EXPECT_EQ(sparse.present, 0u) << "three actions give no usual rate: unknown, not present";
  EXPECT_FALSE(sparse.holds);
}

TEST(ObservedTenure, RunsOnceAndChecksOptions) {
  DatasetBuilder b;
  b.Add("a", kStart, EventType::kPost);
  Dataset ds = b.Build();
  ObservedTenure tenure(ds, ObservedTenureOptions());
  ASSERT_TRUE(tenure.Run().ok());
  EXPECT_FALSE(tenure.Run().ok()) << "a second Run() is refused";
  ObservedTenureOptions bad;
  bad.min_present_share = 2;
  ObservedTenure refused(ds, bad);
  EXPECT_FALSE(refused.Run().ok()) << "a share above 1 is refused";
}

}  // namespace
}  // namespace lockstep
