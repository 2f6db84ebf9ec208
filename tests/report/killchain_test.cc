#include "lockstep/report/killchain.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "lockstep/detect/default_signals.h"
#include "lockstep/detect/detector.h"
#include "lockstep/indicators/published_indicators.h"
#include "lockstep/ingest/load.h"
#include "lockstep/ingest/table_reader.h"
#include "lockstep/signals/posting_rhythm.h"
#include "lockstep/sim/simulator.h"
#include "test_util.h"

namespace lockstep {
namespace {

std::string TrimCell(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  return s;
}

// Every procedure the exporter cites is in Meta's published list, with the
// same tactic and technique.
TEST(KillChain, CitesOnlyPublishedProcedures) {
  for (const KillChainProcedure& p : KillChainProcedures()) {
    EXPECT_TRUE(p.procedure.starts_with(std::string(p.id) + " ")) << p.procedure;
    EXPECT_EQ(FindKillChainProcedure(p.id), &p);
  }
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is absent";
  const std::string path = testing::SharedData("meta_threat_research/Online_Operations_Killchain-TTPs.csv");
  ErrorSink sink;
  auto reader = TableReader::Open(path, {"Tactic", "Technique", "Procedure"}, &sink);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  std::set<std::tuple<std::string, std::string, std::string>> published;
  Row row;
  while ((*reader)->Next(&row)) {
    std::string procedure = TrimCell(std::string(row.values[2]));
    for (char& c : procedure)
      if (c == '\n') c = ' ';
    published.emplace(TrimCell(std::string(row.values[0])), TrimCell(std::string(row.values[1])), procedure);
  }
  ASSERT_GT(published.size(), 100u);
  for (const KillChainProcedure& p : KillChainProcedures())
    EXPECT_TRUE(published.contains({std::string(p.tactic), std::string(p.technique), std::string(p.procedure)}))
        << p.procedure << " is not in " << path;
}

Dataset LoadDir(const std::string& dir) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(dir, "auto", {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return ds.ok() ? std::move(ds).value() : Dataset();
}

// A small simulated troll farm (seed 3, scale 0.05) written into dir/data
// and loaded; an empty data set, with the failure reported, if that fails.
Dataset SimulateTrollFarm(const testing::TempDir& dir) {
  auto spec = DrawScenario("troll_farm", 3, 0.05);
  EXPECT_TRUE(spec.ok()) << spec.status().message();
  if (!spec.ok()) return Dataset();
  SimulationOptions sim_options;
  sim_options.out_dir = dir / "data";
  Simulator sim(std::move(spec).value(), sim_options);
  const Status s = sim.Run();
  EXPECT_TRUE(s.ok()) << s.message();
  return s.ok() ? LoadDir(dir / "data") : Dataset();
}

uint64_t LeadingCount(const std::string& s) { return std::stoull(s.substr(0, s.find(' '))); }

// A simulated troll farm's kill chain has the rows its evidence supports,
// each checked here against the data, and no row without evidence.
TEST(KillChain, SimulatedTrollFarmGetsTheRowsItsEvidenceSupports) {
  testing::TempDir dir;
  Dataset ds = SimulateTrollFarm(dir);  // not const: the evidence is taken away at the end
  ASSERT_GT(ds.num_accounts(), 0u);
  Detector detector(ds, DetectorOptions{});
  for (auto& s : DefaultSignals(ds)) detector.AddSignal(std::move(s));
  ASSERT_TRUE(detector.Run().ok());
  ASSERT_FALSE(detector.result().networks.empty());
  const Network& n = detector.result().networks.front();
  const std::vector<KillChainRow> rows = BuildKillChain(ds, n);
  ASSERT_FALSE(rows.empty());

  const std::set<AccountIndex> members(n.members.begin(), n.members.end());
  uint64_t assets = 0;
  std::map<std::string, uint64_t> by_id;
  for (const KillChainRow& r : rows) {
    ASSERT_NE(r.procedure, nullptr);
    ++by_id[std::string(r.procedure->id)];
    EXPECT_FALSE(r.indicator.empty());
    EXPECT_FALSE(r.evidence.empty()) << "every row says what supports it: " << r.indicator;
    if (r.procedure->id.starts_with("0.9.")) assets += LeadingCount(r.indicator);
    if (r.procedure->id == "0.6.2") {
      // The domain, restored, is linked by members at least twice and by them mostly.
      const std::string domain = Refang(r.indicator);
      uint64_t own = 0, all = 0;
      for (size_t i = 0; i < ds.events.size(); ++i)
        for (uint32_t u : ds.events.urls.Row(i))
          if (UrlHost(ds.urls.Get(u)) == domain) ++all, own += members.contains(ds.events.account[i]);
      EXPECT_GE(own, 2u) << domain;
      EXPECT_GE(2 * own, all) << domain << ": most links to it come from the network";
      EXPECT_NE(r.indicator.find("[.]"), std::string::npos) << "defanged as Meta publishes: " << r.indicator;
    }
  }
  EXPECT_EQ(assets, members.size()) << "the asset rows count every member once";
  // Ads and audience rows exactly when the data has them.
  bool member_ads = false;
  for (const AdSpend& ad : ds.ads) member_ads = member_ads || (members.contains(ad.account) && ad.spend > 0);
  EXPECT_EQ(by_id.contains("7.1.1"), member_ads);
  bool page_followers = false;
  for (AccountIndex a : n.members)
    page_followers = page_followers || (ds.accounts[a].kind == AccountKind::kPage && ds.accounts[a].followers > 0);
  EXPECT_EQ(by_id.contains("7.2.2"), page_followers);
  bool co = false;
  for (const Indicator& ind : n.indicators) co = co || ind.signal.starts_with("co-");
  if (!co) {
    for (const auto& [id, count] : by_id) EXPECT_FALSE(id.starts_with("6.2.")) << "no amplification without co-action";
  }
  for (const auto& [id, count] : by_id) std::printf("  %s: %llu rows\n", id.c_str(), static_cast<unsigned long long>(count));

  // 9.1.1 renamed personas: members renamed twice or more, counted here
  // from the profile history (name changes a minute apart are one rename).
  std::map<AccountIndex, std::vector<int64_t>> name_changes;
  for (const ProfileChange& c : ds.profile_changes)
    if ((c.field == ProfileField::kDisplayName || c.field == ProfileField::kHandle) && members.contains(c.account) &&
        c.old_value != c.new_value)
      name_changes[c.account].push_back(c.time);
  uint64_t renamed = 0;
  for (auto& [a, times] : name_changes) {
    std::sort(times.begin(), times.end());
    uint64_t renames = 0;
    for (size_t i = 0; i < times.size(); ++i) renames += i == 0 || times[i] - times[i - 1] > 60;
    renamed += renames >= 2;
  }
  EXPECT_EQ(by_id.contains("9.1.1"), renamed > 0) << renamed << " members renamed twice or more";
  EXPECT_GT(renamed, 0u) << "the simulated troll farm renames accounts again and again";
  // 1.2.8 claimed locations: each row's members claim that country.
  std::map<std::string, uint64_t> claims;
  for (AccountIndex a : members) {
    const CountryCode c = CountryFromLocation(ds.String(ds.accounts[a].claimed_location));
    if (c != kNoCountry) ++claims[CountryName(c)];
  }
  // 7.3.3 comment raids: each outlet is one in the simulation (its profile
  // is the simulated newsroom's), not a member, and got the comments the row says.
  std::map<std::string, AccountIndex> by_name;
  for (AccountIndex a = 0; a < ds.num_accounts(); ++a) by_name[std::string(ds.String(ds.accounts[a].display_name))] = a;
  for (const KillChainRow& r : rows) {
    if (r.procedure->id == "1.2.8") {
      std::smatch m;
      ASSERT_TRUE(std::regex_search(r.indicator, m, std::regex(R"(^(\d+) accounts claim to be in ([A-Z]{2}) but are not$)")))
          << r.indicator;
      EXPECT_GE(std::stoull(m[1]), 2u);
      EXPECT_GE(claims[m[2]], std::stoull(m[1])) << "members claiming " << m[2];
    }
    if (r.procedure->id == "7.3.3") {
      std::smatch m;
      ASSERT_TRUE(std::regex_search(r.indicator, m, std::regex(R"(^Commented on posts of the news outlet (.+) \(\S+\)$)")))
          << r.indicator;
      ASSERT_TRUE(by_name.contains(m[1])) << m[1];
      const AccountIndex outlet = by_name[m[1]];
      EXPECT_FALSE(members.contains(outlet));
      EXPECT_TRUE(ds.String(ds.accounts[outlet].description).starts_with("News and analysis"))
          << "the simulator's newsroom: " << ds.String(ds.accounts[outlet].description);
      uint64_t comments = 0;
      for (size_t i = 0; i < ds.events.size(); ++i)
        comments += ds.events.type[i] == EventType::kComment && members.contains(ds.events.account[i]) &&
                    ds.events.target_account[i] == outlet;
      EXPECT_EQ(r.evidence.rfind(std::to_string(comments) + " comments by ", 0), 0u) << r.evidence;
    }
  }
  EXPECT_TRUE(by_id.contains("7.3.3")) << "the troll farm comments on newsrooms' posts";
  EXPECT_TRUE(by_id.contains("1.2.8")) << "the troll farm's accounts claim the target country they are not in";

  // The same network without that evidence in the data: no such rows.
  ds.profile_changes.clear();
  for (Account& acc : ds.accounts) acc.claimed_location = kNoString;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.type[i] == EventType::kComment) ds.events.target_account[i] = kNoString;
  for (const KillChainRow& r : BuildKillChain(ds, n))
    for (std::string_view id : {"1.2.8", "7.3.3", "9.1.1"})
      EXPECT_NE(r.procedure->id, id) << "no evidence, no row: " << r.indicator;

  // A network with no evidence beyond its one member has only the asset row.
  Network bare;
  bare.network_id = "N0";
  Dataset empty;
  empty.account_ids.Intern("lonely");
  empty.accounts.push_back({});
  bare.members = {0};
  const auto bare_rows = BuildKillChain(empty, bare);
  ASSERT_EQ(bare_rows.size(), 1u);
  EXPECT_EQ(bare_rows[0].procedure->id, "0.9.12");
  EXPECT_EQ(bare_rows[0].indicator, "1 account");
}

bool SameRows(const std::vector<KillChainRow>& x, const std::vector<KillChainRow>& y) {
  return std::equal(x.begin(), x.end(), y.begin(), y.end(), [](const KillChainRow& a, const KillChainRow& b) {
    return a.procedure == b.procedure && a.indicator == b.indicator && a.evidence == b.evidence;
  });
}

// Exporting several networks of one data set runs the rhythm and profile
// signals once, not once per network, and each network's rows are those it
// gets on its own.
TEST(KillChain, BuilderRunsTheSignalsOnceForManyNetworks) {
  testing::TempDir dir;
  const Dataset ds = SimulateTrollFarm(dir);
  ASSERT_GT(ds.num_accounts(), 0u);
  Detector detector(ds, DetectorOptions{});
  for (auto& s : DefaultSignals(ds)) detector.AddSignal(std::move(s));
  ASSERT_TRUE(detector.Run().ok());
  ASSERT_FALSE(detector.result().networks.empty());
  // The network found, and two halves of it: three networks of one data set.
  const Network& whole = detector.result().networks.front();
  Network first = whole, second = whole;
  first.network_id = "N_first";
  second.network_id = "N_second";
  first.members.assign(whole.members.begin(), whole.members.begin() + whole.members.size() / 2);
  second.members.assign(whole.members.begin() + whole.members.size() / 2, whole.members.end());

  KillChainBuilder kill_chain(ds);
  EXPECT_EQ(kill_chain.signal_runs(), 0) << "nothing runs before a network needs it";
  for (const Network* n : std::initializer_list<const Network*>{&whole, &first, &second}) {
    const std::vector<KillChainRow> shared = kill_chain.Build(*n);
    const std::vector<KillChainRow> alone = BuildKillChain(ds, *n);
    ASSERT_FALSE(shared.empty());
    EXPECT_TRUE(SameRows(shared, alone)) << n->network_id << ": the shared builder's rows differ from its own";
  }
  bool locations = false, renames = false;
  for (const KillChainRow& r : kill_chain.Build(whole)) {
    locations = locations || r.procedure->id == "1.2.8";
    renames = renames || r.procedure->id == "9.1.1";
  }
  ASSERT_TRUE(locations && renames) << "the troll farm needs both signals";
  EXPECT_EQ(kill_chain.signal_runs(), 2) << "rhythm and profile, once each for four builds";
}

// News outlets: publishing one site and saying news, or declared so by a
// category column; a shop publishing its own site is not one, nor a news
// fan who links to many sites.
TEST(KillChain, FindsNewsOutletsByTheirSiteAndProfileOrCategory) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "data");
  testing::WriteFile(dir / "data/accounts.csv",
                     "account_id,kind,handle,display_name,description,category\n"
                     "herald,page,metroherald,Metro Herald,Local reporting since 1901,\n"
                     "shop,page,bestshoes,Best Shoes,Shoes for everyone,\n"
                     "fan,account,newsfan,News Fan,I read the news,\n"
                     "tv,page,chan5,Channel 5,,NEWS_SITE\n");
  std::string events = "event_id,account_id,time,type,urls\n";
  for (int i = 0; i < 6; ++i) {
    events += fmt::format("h{},herald,2026-06-01T1{}:00:00Z,post,https://metroherald.com/a{}\n", i, i, i);
    events += fmt::format("s{},shop,2026-06-01T1{}:00:00Z,post,https://bestshoes.com/p{}\n", i, i, i);
    events += fmt::format("f{},fan,2026-06-01T1{}:00:00Z,post,https://site{}.example/x\n", i, i, i);
  }
  testing::WriteFile(dir / "data/events.csv", events);
  Dataset ds = LoadDir(dir / "data");
  std::vector<AccountIndex> all;
  for (AccountIndex a = 0; a < ds.num_accounts(); ++a) all.push_back(a);
  std::set<std::string> outlets;
  for (const NewsOutlet& o : FindNewsOutlets(ds, all)) {
    outlets.insert(std::string(ds.AccountId(o.account)));
    if (ds.AccountId(o.account) == "herald") {
      EXPECT_EQ(ds.domains.Get(o.domain), "metroherald.com");
      EXPECT_EQ(o.site_links, 6u);
    }
    if (ds.AccountId(o.account) == "tv") {
      EXPECT_EQ(o.category, "NEWS_SITE");
    }
  }
  EXPECT_EQ(outlets, (std::set<std::string>{"herald", "tv"}))
      << "the herald publishes its site and its domain names news; the channel is declared news";
}

TEST(KillChain, ExportWritesTheTableThroughTheCli) {
  testing::TempDir dir;
  const std::string cli = LOCKSTEP_CLI;
  auto r = testing::RunCommand(cli + " simulate --scenario troll_farm --seed 3 --scale 0.05 --out " + (dir / "data"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = testing::RunCommand(cli + " detect " + (dir / "data") + " --out " + (dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = testing::RunCommand(cli + " export " + (dir / "out") + " --network N1 --format killchain --out " + (dir / "kc"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string table = testing::ReadFile(dir / "kc/N1_killchain.csv");
  std::istringstream in(table);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "Tactic,Technique,Procedure,Indicator,Notes");
  size_t rows = 0;
  static const std::regex procedure(R"(^\d\. [^,]+,\d\.\d+ [^,]+,\d\.\d+\.\d+ .+)");
  while (std::getline(in, line)) {
    ++rows;
    EXPECT_TRUE(std::regex_search(line, procedure)) << line;
  }
  EXPECT_GT(rows, 0u);
  r = testing::RunCommand(cli + " export " + (dir / "out") + " --network N99 --format killchain --out " + (dir / "kc"));
  EXPECT_EQ(r.exit_code, 1) << "an unknown network is a usage error: " << r.output;
}

}  // namespace
}  // namespace lockstep
