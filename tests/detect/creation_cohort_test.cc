// Creation cohort: members registered within weeks of one another, where the
// population registered over years, are a cohort; members drawn from the
// population are not, nor are accounts that joined in a platform-wide
// sign-up wave with everyone else.
#include "lockstep/detect/creation_cohort.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "dataset_builder.h"
#include "lockstep/detect/observed_tenure.h"

namespace lockstep {
namespace {

using testing::DatasetBuilder;

constexpr int64_t kStart = 1'600'000'000, kDay = 86400;

std::vector<AccountIndex> Group(const Dataset& ds, const std::string& prefix, int n) {
  std::vector<AccountIndex> g;
  for (int a = 0; a < n; ++a) g.push_back(ds.account_ids.Find(prefix + std::to_string(a)));
  return g;
}

// `n` accounts named prefix0.., one post each.
void AddCreated(DatasetBuilder& b, const std::string& prefix, int n) {
  for (int a = 0; a < n; ++a) b.Add(prefix + std::to_string(a), kStart + a * 60, EventType::kPost);
}
// Their creation dates, uniform in [from_day, to_day) days after kStart.
void SetCreated(Dataset& ds, const std::string& prefix, int n, double from_day, double to_day, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> day(from_day, to_day);
  for (AccountIndex a : Group(ds, prefix, n))
    ds.accounts[a].created_at = kStart + static_cast<int64_t>(day(rng) * kDay);
}

TEST(CreationCohort, TellsPersonasRegisteredTogetherFromPeopleWhoJoinedOverYears) {
  std::mt19937_64 rng(7);
  DatasetBuilder b;
  AddCreated(b, "crowd", 2000);
  AddCreated(b, "persona", 20);
  AddCreated(b, "volunteer", 20);
  AddCreated(b, "few", 4);
  Dataset ds = b.Build();
  SetCreated(ds, "crowd", 2000, -9 * 365, 0, rng);    // the population: nine years of sign-ups
  SetCreated(ds, "persona", 20, -150, -60, rng);      // registered over three months before acting
  SetCreated(ds, "volunteer", 20, -9 * 365, 0, rng);  // real people, drawn from the population
  SetCreated(ds, "few", 4, -100, -99, rng);
  CreationCohort cohort(ds, CreationCohortOptions());
  ASSERT_TRUE(cohort.Run().ok());
  const CohortResult personas = cohort.Test(Group(ds, "persona", 20));
  EXPECT_TRUE(personas.holds) << personas.explanation;
  EXPECT_GT(personas.strength, 0.6) << "20 accounts in three months, where 2000 took nine years: p = "
                                    << personas.log10_p;
  EXPECT_EQ(personas.in_window, 15u) << "three in four of the 20 members span the cohort";
  const CohortResult volunteers = cohort.Test(Group(ds, "volunteer", 20));
  EXPECT_FALSE(volunteers.holds) << "accounts drawn from the population are no cohort: " << volunteers.explanation;
  EXPECT_EQ(volunteers.strength, 0) << "and carry no strength";
  const CohortResult few = cohort.Test(Group(ds, "few", 4));
  EXPECT_FALSE(few.holds) << "four dates are too few to test (min_known 5)";
  EXPECT_EQ(few.known, 4u);
  // Half the group without a date: not enough to judge the group.
  for (AccountIndex a : Group(ds, "persona", 11)) ds.accounts[a].created_at = kNoTime;
  CreationCohort fewer(ds, CreationCohortOptions());
  ASSERT_TRUE(fewer.Run().ok());
  EXPECT_FALSE(fewer.Test(Group(ds, "persona", 20)).holds) << "9 of 20 with a date is under min_known_share";
}

TEST(CreationCohort, JoiningInAPlatformWideSignUpWaveIsNoCohort) {
  // A third of the population registered in the same three months (a
  // platform's launch, a migration): members of that wave crowd into it too.
  std::mt19937_64 rng(8);
  DatasetBuilder b;
  AddCreated(b, "crowd", 1400);
  AddCreated(b, "wave", 700);
  AddCreated(b, "migrant", 20);
  Dataset ds = b.Build();
  SetCreated(ds, "crowd", 1400, -9 * 365, 0, rng);
  SetCreated(ds, "wave", 700, -400, -310, rng);
  SetCreated(ds, "migrant", 20, -400, -310, rng);
  CreationCohort cohort(ds, CreationCohortOptions());
  ASSERT_TRUE(cohort.Run().ok());
  const CohortResult migrants = cohort.Test(Group(ds, "migrant", 20));
  EXPECT_FALSE(migrants.holds) << "the population crowds into the same months: " << migrants.explanation;
  EXPECT_GT(migrants.population_share, 0.2) << "the wave is in the null";
}

TEST(CreationCohort, WithoutCreationDatesTheFirstActionsTell) {
  // An export without creation dates: 2000 accounts active when collection
  // began, 500 newcomers first acting over 400 days, and 20 personas first
  // acting within five days, 200 days in.
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> early(0, 3), later(0, 400), after(0, 60);
  DatasetBuilder b;
  // 12 actions over the 60 days from the first (a mean gap of about 5 days).
  auto act = [&](const std::string& who, double first_day) {
    b.Add(who, kStart + static_cast<int64_t>(first_day * kDay), EventType::kPost);
    for (int i = 1; i < 12; ++i)
      b.Add(who, kStart + static_cast<int64_t>((first_day + after(rng)) * kDay), EventType::kPost);
  };
  for (int a = 0; a < 2000; ++a) act("crowd" + std::to_string(a), early(rng));
  for (int a = 0; a < 500; ++a) act("newcomer" + std::to_string(a), 20 + later(rng));
  std::uniform_real_distribution<double> batch(200, 205);
  for (int a = 0; a < 20; ++a) act("persona" + std::to_string(a), batch(rng));
  const Dataset ds = b.Build();
  CreationCohort dated(ds, CreationCohortOptions());
  ASSERT_TRUE(dated.Run().ok());
  EXPECT_EQ(dated.Test(Group(ds, "persona", 20)).in_window, 0u) << "no creation dates: the dated test does not apply";
  ObservedTenure tenure(ds, ObservedTenureOptions());
  ASSERT_TRUE(tenure.Run().ok());
  CreationCohort cohort(ds, CreationCohortOptions(), &tenure);
  ASSERT_TRUE(cohort.Run().ok());
  const CohortResult personas = cohort.Test(Group(ds, "persona", 20));
  EXPECT_TRUE(personas.holds) << personas.explanation;
  EXPECT_NE(personas.explanation.find("first acted within"), std::string::npos) << personas.explanation;
  const CohortResult crowd = cohort.Test(Group(ds, "crowd", 20));
  EXPECT_FALSE(crowd.holds) << "acting when collection began: no first action to test";
  EXPECT_EQ(crowd.known, 0u);
  const CohortResult newcomers = cohort.Test(Group(ds, "newcomer", 20));
  EXPECT_GE(newcomers.known, 15u) << "newcomers are new to the data";
  EXPECT_FALSE(newcomers.holds) << "drawn from the newcomers: no cohort. " << newcomers.explanation;
}

TEST(CreationCohort, RunsOnceAndChecksOptions) {
  DatasetBuilder b;
  b.Add("a", kStart, EventType::kPost);
  Dataset ds = b.Build();
  CreationCohort cohort(ds, CreationCohortOptions());
  ASSERT_TRUE(cohort.Run().ok());
  EXPECT_FALSE(cohort.Run().ok()) << "a second Run() is refused";
  EXPECT_FALSE(cohort.Test({0}).holds) << "one account with no creation date is no cohort";
  CreationCohortOptions bad;
  bad.cohort_share = 0;
  CreationCohort refused(ds, bad);
  EXPECT_FALSE(refused.Run().ok()) << "a cohort of no member is refused";
}

}  // namespace
}  // namespace lockstep
