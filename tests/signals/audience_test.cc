#include "lockstep/signals/audience.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include <fmt/format.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/model/time.h"
#include "lockstep/sim/simulator.h"
#include "signals/sim_fixture.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::Network;
using testing::SimData;
using testing::Simulated;

Dataset Load(const testing::TempDir& dir) { return testing::LoadLockstep(dir.path()); }

TEST(Audience, FindsAFollowerSpikeAboveTheAccountsOwnTrend) {
  testing::TempDir dir;
  testing::WriteFile(dir / "accounts.csv", "account_id,followers\nbought,4050\nsteady,300\n");
  testing::WriteFile(dir / "events.csv", "event_id,account_id,time,type\ne1,bought,2020-08-01T10:00:00Z,post\n");
  std::string fc = "account_id,time,followers\n";
  const int64_t day0 = DaysFromCivil(2020, 7, 1) * 86400;
  for (int d = 0; d < 40; ++d) {
    const int64_t bought = 100 + 2 * d + (d >= 32 ? 3930 : 0);  // +2 a day, then 3,930 at once on 2020-08-02
    fc += fmt::format("bought,{},{}\n", day0 + d * 86400, bought);
    fc += fmt::format("steady,{},{}\n", day0 + d * 86400, 100 + 5 * d + (d % 3));
  }
  testing::WriteFile(dir / "follower_counts.csv", fc);
  const Dataset ds = Load(dir);
  AudienceSignal signal(ds);
  EXPECT_DEATH((void)signal.spikes(), "read before a successful Run") << "no results before Run()";
  ASSERT_TRUE(signal.Run().ok());
  ASSERT_EQ(signal.spikes().size(), 1u) << "one jump, in one account";
  const FollowerSpike& s = signal.spikes()[0];
  EXPECT_EQ(ds.AccountId(s.account), "bought");
  EXPECT_EQ(s.before, 162) << "the count before the jump";
  EXPECT_EQ(s.after, 4094) << "the count after it";
  const std::string why = signal.Explain(s);
  EXPECT_NE(why.find("from 162 to 4,094"), std::string::npos) << why;
  EXPECT_NE(why.find("2020-08-02"), std::string::npos) << why;
  EXPECT_GT(s.ratio, 1000) << "3,932 in a day against a usual 2 a day";
  EXPECT_GT(signal.account_scores()[s.account], 0.5f) << "a spike scores";
  EXPECT_EQ(signal.account_scores()[ds.account_ids.Find("steady")], 0.0f) << "steady growth is no evidence";
}

TEST(Audience, GroupsForeignBurstsOnOnePageWithThePage) {
  testing::TempDir dir;
  std::string accounts = "account_id,kind,country,followers\npage,page,US,900\n";
  for (int i = 0; i < 8; ++i) accounts += fmt::format("farm{},account,BD,10\n", i);
  for (int i = 0; i < 20; ++i) accounts += fmt::format("local{},account,US,80\n", i);
  testing::WriteFile(dir / "accounts.csv", accounts);
  std::string events = "event_id,account_id,time,type,target_id,target_account_id\n";
  const int64_t t0 = DaysFromCivil(2021, 3, 1) * 86400 + 15 * 3600;
  for (int p = 0; p < 4; ++p) {
    const int64_t t = t0 + p * 86400;
    events += fmt::format("post{},page,{},post,,\n", p, t);
    for (int i = 0; i < 8; ++i) events += fmt::format("l{}_{},farm{},{},like,post{},page\n", p, i, i, t + 60 + i * 90, p);
    for (int i = 0; i < 5; ++i)
      events += fmt::format("u{}_{},local{},{},like,post{},page\n", p, i, (p * 5 + i) % 20, t + 3000 + i * 4000, p);
  }
  // Locals like each other too: the data set's usual foreign share is low.
  for (int i = 0; i < 60; ++i)
    events += fmt::format("x{},local{},{},like,lp{},local0\n", i, 1 + i % 19, t0 + 7 * 86400 + i * 600, i % 6);
  testing::WriteFile(dir / "events.csv", events);
  const Dataset ds = Load(dir);
  AudienceSignal signal(ds);
  ASSERT_TRUE(signal.Run().ok());
  ASSERT_EQ(signal.bought_engagement().size(), 1u) << "one Page with foreign bursts";
  const BoughtEngagement& b = signal.bought_engagement()[0];
  EXPECT_EQ(ds.AccountId(b.page), "page");
  EXPECT_EQ(b.engagers.size(), 8u) << "the eight BD accounts, not the locals";
  EXPECT_EQ(b.bursts, 4u) << "one burst per post";
  EXPECT_EQ(CountryName(b.top_country), "BD");
  EXPECT_LT(b.p_value, 0.05) << "foreign share far above the data set's";
  ASSERT_EQ(signal.groups().size(), 1u);
  EXPECT_EQ(signal.groups()[0].accounts.size(), 9u) << "the Page plus its engagers";
  EXPECT_NE(signal.groups()[0].explanation.find("mostly in BD"), std::string::npos) << signal.groups()[0].explanation;
}

TEST(Audience, RefusesBadOptions) {
  Dataset ds;
  AudienceOptions o;
  o.min_observations = 1;
  AudienceSignal signal(ds, o);
  const Status st = signal.Run();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << "two changes cannot give a trend";
  EXPECT_NE(st.message().find("got 1"), std::string::npos) << st.message();
  EXPECT_DEATH((void)signal.account_scores(), "read before a successful Run") << "a failed run yields nothing";
}

TEST(Audience, FindsFollowerSpikesOfTheAutomatedNetwork) {
  const SimData& d = Simulated("automated", 2, 0.05);
  const NetworkTruth& bots = Network(d, "automated");
  AudienceSignal signal(d.ds);
  ASSERT_TRUE(signal.Run().ok());
  std::vector<uint8_t> spiked(d.ds.num_accounts(), 0);
  for (const FollowerSpike& s : signal.spikes()) spiked[s.account] = 1;
  size_t bots_spiked = 0, authentic_spiked = 0, authentic = 0;
  for (AccountIndex a : d.members.at(bots.network_id)) bots_spiked += spiked[a];
  for (AccountIndex a = 0; a < d.ds.num_accounts(); ++a)
    if (!d.planted[a]) ++authentic, authentic_spiked += spiked[a];
  const size_t n = d.members.at(bots.network_id).size();
  // The simulator gives 70% of the bots a bought spike.
  EXPECT_GE(bots_spiked * 2, n) << bots_spiked << " of " << n << " bots with a spike";
  EXPECT_LE(authentic_spiked * 200, authentic) << authentic_spiked << " of " << authentic << " authentic accounts";
  // Volume against audience: bots shout to nobody.
  std::vector<uint8_t> loud(d.ds.num_accounts(), 0);
  for (const VolumeAudience& v : signal.volume_outliers()) loud[v.account] = 1;
  size_t bots_loud = 0, authentic_loud = 0;
  for (AccountIndex a : d.members.at(bots.network_id)) bots_loud += loud[a];
  for (AccountIndex a = 0; a < d.ds.num_accounts(); ++a) authentic_loud += !d.planted[a] && loud[a];
  EXPECT_GE(bots_loud * 2, n) << bots_loud << " of " << n << " bots post far above their audience";
  EXPECT_LT(authentic_loud * 50, authentic) << authentic_loud << " of " << authentic << " authentic accounts";
  for (const FollowerSpike& s : signal.spikes()) {
    const std::string why = signal.ExplainAccount(s.account);
    EXPECT_NE(why.find("followers jumped from"), std::string::npos) << why;
    break;
  }
}

TEST(Audience, FindsTheLikeFarmOnItsCustomerPage) {
  const SimData& d = Simulated("like_farm", 1, 0.05);
  const NetworkTruth& farm = Network(d, "like_farm");
  std::string customer;
  for (const std::string& note : farm.notes)
    if (note.find("customer_page") != std::string::npos) customer = note.substr(note.rfind(": \"") + 3, note.size() - note.rfind(": \"") - 4);
  const AccountIndex page = d.ds.account_ids.Find(customer);
  ASSERT_NE(page, kNoString) << "customer page " << customer;
  AudienceSignal signal(d.ds);
  ASSERT_TRUE(signal.Run().ok());
  bool found = false;
  for (const BoughtEngagement& b : signal.bought_engagement()) {
    if (b.page != page) continue;
    found = true;
    size_t farm_members = 0;
    for (AccountIndex a : b.engagers) farm_members += d.planted[a];
    EXPECT_EQ(farm_members, b.engagers.size()) << "only the farm engages in foreign bursts";
    EXPECT_GE(farm_members * 2, d.members.at(farm.network_id).size()) << "most of the farm is found";
  }
  EXPECT_TRUE(found) << "the customer Page's bought likes are found";
  for (const BoughtEngagement& b : signal.bought_engagement())
    EXPECT_EQ(b.page, page) << "no other Page looks bought: " << signal.Explain(b);
}

}  // namespace
}  // namespace lockstep
