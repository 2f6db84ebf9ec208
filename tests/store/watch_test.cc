#include "lockstep/store/watch.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "lockstep/detect/default_signals.h"
#include "lockstep/detect/detector.h"
#include "lockstep/ingest/load.h"
#include "lockstep/sim/simulator.h"
#include "lockstep/store/case_store.h"
#include "test_util.h"

namespace lockstep {
namespace {

TEST(Fingerprint, FoldNameCaseFoldsAndStripsTrailingDigits) {
  EXPECT_EQ(FoldName("Maria_Lopez1987"), "maria_lopez") << "case and trailing digits go";
  EXPECT_EQ(FoldName("R2D2x"), "r2d2x") << "inner digits stay";
  EXPECT_EQ(FoldName("ＮＥＷＳ24"), "news") << "full-width letters fold too";
  std::vector<uint64_t> a, b;
  TextShingles("The PRICE of bread, again!", &a);
  TextShingles("the price of  bread again https://x.example/1", &b);
  EXPECT_EQ(a, b) << "shingles see through case, punctuation and URLs";
  EXPECT_EQ(a.size(), 3u) << "five words, three 3-grams";
}

Dataset Load(const std::string& dir) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(dir, "auto", {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return ds.ok() ? std::move(ds).value() : Dataset();
}

std::map<std::string, std::string> Labels(const std::string& dir) {
  std::map<std::string, std::string> labels;
  std::ifstream in(dir + "/labels.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const size_t comma = line.find(',');
    labels[line.substr(0, comma)] = line.substr(comma + 1);
  }
  return labels;
}

std::string Csv(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// Appends `accounts` of `ds` to a lockstep-format data set under new ids
// (prefix + old id), with times shifted by `shift` seconds and, when
// `rename`, handles given new trailing digits.
struct NewDataWriter {
  std::ostringstream accounts, events, infra;
  NewDataWriter() {
    accounts << "account_id,kind,handle,display_name,created_at,profile_image_hash\n";
    events << "event_id,account_id,time,type,target_id,text,urls,hashtags\n";
    infra << "account_id,time,kind,value\n";
  }
  void Add(const Dataset& ds, const std::set<AccountIndex>& chosen, const std::string& prefix, int64_t shift,
           int64_t created_at, bool rename, bool keep_infra = true, bool keep_text = true) {
    for (AccountIndex a : chosen) {
      const Account& acc = ds.accounts[a];
      std::string handle(ds.String(acc.handle));
      if (rename) handle = FoldName(handle) + "2031";
      accounts << Csv(prefix + std::string(ds.AccountId(a))) << ',' << Name(acc.kind) << ',' << Csv(handle) << ','
               << Csv(ds.String(acc.display_name)) << ',' << created_at << ','
               << (acc.has_profile_image_hash ? fmt::format("{:016x}", acc.profile_image_hash) : "") << '\n';
    }
    const Events& ev = ds.events;
    for (size_t i = 0; i < ev.size(); ++i) {
      if (!chosen.contains(ev.account[i])) continue;
      std::string urls, tags;
      for (uint32_t u : ev.urls.Row(i)) urls += (urls.empty() ? "" : " ") + std::string(ds.urls.Get(u));
      for (uint32_t h : ev.hashtags.Row(i)) tags += (tags.empty() ? "" : " ") + std::string(ds.hashtags.Get(h));
      events << Csv(fmt::format("{}e{}", prefix, i)) << ',' << Csv(prefix + std::string(ds.AccountId(ev.account[i])))
             << ',' << ev.time[i] + shift << ',' << Name(ev.type[i]) << ','
             << Csv(ev.target_id[i] == kNoString ? "" : ds.objects.Get(ev.target_id[i])) << ','
             << Csv(keep_text ? ev.Text(i) : "") << ',' << Csv(urls) << ',' << Csv(tags) << '\n';
    }
    for (const InfraObservation& o : ds.infra) {
      if (!keep_infra || !chosen.contains(o.account)) continue;
      infra << Csv(prefix + std::string(ds.AccountId(o.account))) << ','
            << (o.time == kNoTime ? created_at : o.time + shift) << ',' << Name(o.kind) << ','
            << Csv(ds.infra_values.Get(o.value)) << '\n';
    }
  }
  void Write(const std::string& dir) {
    std::filesystem::create_directories(dir);
    testing::WriteFile(dir + "/accounts.csv", accounts.str());
    testing::WriteFile(dir + "/events.csv", events.str());
    testing::WriteFile(dir + "/infra.csv", infra.str());
  }
};

Status Simulate(const std::string& scenario, uint64_t seed, double scale, const std::string& dir) {
  auto spec = DrawScenario(scenario, seed, scale);
  if (!spec.ok()) return spec.status();
  SimulationOptions options;
  options.out_dir = dir;
  Simulator sim(std::move(spec).value(), options);
  return sim.Run();
}

// A removed troll farm comes back under new ids on the same devices,
// domains, names and images; authentic newcomers (another population) must
// not be taken for it.
TEST(Watch, FindsReturningFarmAccountsAndSparesAuthenticNewcomers) {
  testing::TempDir dir;
  const std::string old_dir = dir / "old", other_dir = dir / "other", new_dir = dir / "new";
  ASSERT_TRUE(Simulate("troll_farm", 3, 0.05, old_dir).ok());
  ASSERT_TRUE(Simulate("authentic", 12, 0.05, other_dir).ok());
  Dataset old_ds = Load(old_dir);
  const auto labels = Labels(old_dir);
  auto is_farm = [&](AccountIndex a) {
    auto it = labels.find(std::string(old_ds.AccountId(a)));
    return it != labels.end() && !it->second.empty();
  };

  DetectorOptions options;
  Detector detector(old_ds, options);
  for (auto& s : DefaultSignals(old_ds)) detector.AddSignal(std::move(s));
  ASSERT_TRUE(detector.Run().ok());
  Detection detection = detector.result();
  // The detected network that holds most farm accounts (labels.csv).
  const Network* farm = nullptr;
  size_t best = 0;
  for (const Network& n : detection.networks) {
    size_t hits = 0;
    for (AccountIndex a : n.members) hits += is_farm(a);
    if (hits > best) best = hits, farm = &n;
  }
  if (farm == nullptr || 2 * best < farm->members.size()) {
    // Detection missed the farm (this test is about watch, not detection):
    // remove the labelled farm instead.
    std::printf("watch test: detection did not find the farm; removing the labelled farm\n");
    Network labelled;
    labelled.network_id = "farm";
    for (AccountIndex a = 0; a < old_ds.num_accounts(); ++a)
      if (is_farm(a)) labelled.members.push_back(a);
    labelled.member_scores.assign(labelled.members.size(), 1.0);
    detection.networks.push_back(labelled);
    farm = &detection.networks.back();
  }

  auto store = CaseStore::Open(dir / "cases.db");
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto run = store.value()->RecordRun(old_ds, detection, old_dir, "{}", 0);
  ASSERT_TRUE(run.ok()) << run.status().message();
  const std::string case_id = fmt::format("r{}.{}", run.value(), farm->network_id);
  const Fingerprint fp = BuildFingerprint(old_ds, farm->members);
  ASSERT_TRUE(store.value()->RecordRemoval(case_id, 0, fp, old_dir).ok());

  // New data 160 weeks later: new ids, handles with new digits.
  const int64_t shift = 160 * 7 * 86400;
  int64_t last = 0;
  for (int64_t t : old_ds.events.time) last = std::max(last, t);
  std::set<AccountIndex> returning;
  // Returning: every labelled farm account (not only the detected ones).
  for (AccountIndex a = 0; a < old_ds.num_accounts(); ++a)
    if (is_farm(a) && old_ds.accounts[a].kind == AccountKind::kAccount) returning.insert(a);
  ASSERT_GE(returning.size(), 10u) << "enough farm accounts to measure recall";
  Dataset other = Load(other_dir);
  std::set<AccountIndex> newcomers;
  for (AccountIndex a = 0; a < other.num_accounts(); ++a) newcomers.insert(a);
  NewDataWriter writer;
  writer.Add(old_ds, returning, "ret_", shift, last + shift - 3 * 86400, true);
  // Harder: the same people on new devices and new IPs, writing new texts;
  // only their names, pictures, sites and shifts give them away.
  writer.Add(old_ds, returning, "fresh_", shift, last + shift - 3 * 86400, true, false, false);
  writer.Add(other, newcomers, "new_", shift, last + shift - 3 * 86400, false);
  writer.Write(new_dir);

  auto removed = store.value()->RemovedNetworks();
  ASSERT_TRUE(removed.ok());
  Dataset new_ds = Load(new_dir);
  Watch watch(new_ds, removed.value());
  ASSERT_TRUE(watch.Run().ok());
  size_t found = 0, found_fresh = 0, false_alarms = 0;
  for (const WatchMatch& m : watch.matches()) {
    const std::string_view id = new_ds.AccountId(m.account);
    if (id.starts_with("ret_"))
      found += m.case_id == case_id;
    else if (id.starts_with("fresh_"))
      found_fresh += m.case_id == case_id;
    else
      ++false_alarms;
    EXPECT_FALSE(m.reasons.empty()) << "every match explains itself: " << id;
  }
  const double recall = double(found) / returning.size();
  const double recall_fresh = double(found_fresh) / returning.size();
  std::printf("watch: %zu of %zu returning on new devices with new texts matched (%.1f%%)\n", found_fresh,
              returning.size(), 100 * recall_fresh);
  EXPECT_GE(recall_fresh, 0.9) << "names, images, domains and rhythm find them without infrastructure";
  const double false_rate = double(false_alarms) / newcomers.size();
  std::printf(
      "watch: %zu of %zu returning farm accounts matched to %s (%.1f%%); %zu of %zu authentic newcomers "
      "flagged (%.2f%%)\n",
      found, returning.size(), case_id.c_str(), 100 * recall, false_alarms, newcomers.size(), 100 * false_rate);
  EXPECT_GE(recall, 0.9) << "at least 90% of returning accounts matched to the removed network";
  EXPECT_LE(false_rate, 0.01) << "at most 1% of authentic newcomers matched";
}

TEST(Watch, EarlyStageFlagsSmallFreshNetworksOnly) {
  Dataset ds;
  for (int i = 0; i < 6; ++i) {
    ds.account_ids.Intern(fmt::format("a{}", i));
    Account acc;
    acc.created_at = i < 3 ? 100 * 86400 : 86400;  // a0-a2 fresh, a3-a5 old
    ds.accounts.push_back(acc);
  }
  ds.events.time = {101 * 86400};
  Detection d;
  for (auto [id, members] : {std::pair{"N1", std::vector<AccountIndex>{0, 1, 2}}, std::pair{"N2", std::vector<AccountIndex>{3, 4, 5}}}) {
    Network n;
    n.network_id = id;
    n.members = members;
    d.networks.push_back(n);
  }
  auto early = FindEarlyStage(ds, d);
  ASSERT_EQ(early.size(), 1u) << "only the fresh network is early-stage";
  EXPECT_EQ(early[0].network_id, "N1");
  EXPECT_EQ(early[0].new_members, 3u) << early[0].reason;
}

}  // namespace
}  // namespace lockstep

namespace lockstep {
namespace {

// Issue 20: a simulated troll farm pushes its own sites. A published list
// (the old indicator_type/indicator_value layout, defanged) names the farm's
// favourite domain and one account by handle; after the import, watch flags
// exactly the accounts that link to that domain and the listed account,
// naming the list as the source.
TEST(KnownIndicatorWatch, FlagsLinksToListedDomainsAndListedAccountsWithTheirSource) {
  testing::TempDir dir;
  const std::string data_dir = dir / "data";
  ASSERT_TRUE(Simulate("troll_farm", 5, 0.05, data_dir).ok());
  Dataset ds = Load(data_dir);
  const auto labels = Labels(data_dir);
  auto is_farm = [&](AccountIndex a) {
    auto it = labels.find(std::string(ds.AccountId(a)));
    return it != labels.end() && !it->second.empty();
  };
  // The domain most farm accounts link to (authentic accounts share its
  // stories too: watch reports every account that links to it).
  std::map<std::string, std::set<AccountIndex>> linkers;
  for (size_t i = 0; i < ds.events.size(); ++i)
    for (uint32_t u : ds.events.urls.Row(i)) linkers[UrlHost(ds.urls.Get(u))].insert(ds.events.account[i]);
  std::string listed_domain;
  size_t most = 0;
  for (const auto& [domain, accounts] : linkers) {
    const size_t farm = static_cast<size_t>(std::count_if(accounts.begin(), accounts.end(), is_farm));
    if (farm > most) most = farm, listed_domain = domain;
  }
  ASSERT_FALSE(listed_domain.empty()) << "the farm pushes a domain of its own";
  ASSERT_GE(most, 3u);
  std::printf("listed %s: linked by %zu accounts, %zu of them the farm's\n", listed_domain.c_str(),
              linkers[listed_domain].size(), most);
  // An authentic account with a handle, listed by its profile URL.
  AccountIndex listed_account = 0;
  bool have_listed = false;
  for (AccountIndex a = 0; a < ds.num_accounts() && !have_listed; ++a)
    if (!is_farm(a) && ds.String(ds.accounts[a].handle).size() >= 3 && !linkers[listed_domain].contains(a) &&
        ds.String(ds.accounts[a].platform) == "twitter") {
      listed_account = a;
      have_listed = true;
    }
  ASSERT_TRUE(have_listed);
  const std::string handle(ds.String(ds.accounts[listed_account].handle));

  std::string defanged = listed_domain;
  defanged.replace(defanged.rfind('.'), 1, "[.]");
  const std::string list = dir / "2031_05_test_takedown.json";
  testing::WriteFile(list, fmt::format(R"([
  {{"indicator_type": "domain_name", "indicator_value": "{}", "comment": "farm domain", "ds": "2031-05-02"}},
  {{"indicator_type": "domain_name", "indicator_value": "unrelated-site[.]example", "comment": "", "ds": "2031-05-02"}},
  {{"indicator_type": "cib_url", "indicator_value": "hxxps://twitter[.]com/{}", "comment": "account", "ds": "2031-05-02"}}
])",
                                       defanged, handle));
  ErrorSink sink;
  auto file = ReadPublishedIndicators(list, &sink);
  ASSERT_TRUE(file.ok()) << file.status().message();
  auto store = CaseStore::Open(dir / "cases.db");
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto added = store.value()->AddKnownIndicators(file->indicators, 1);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(added.value(), 3);
  auto known = store.value()->KnownIndicators();
  ASSERT_TRUE(known.ok()) << known.status().message();
  ASSERT_EQ(known->size(), 3u);

  KnownIndicatorWatch watch(ds, known.value());
  ASSERT_TRUE(watch.Run().ok());
  std::set<AccountIndex> flagged;
  for (const KnownIndicatorMatch& m : watch.matches()) {
    flagged.insert(m.account);
    ASSERT_FALSE(m.reasons.empty());
    EXPECT_NE(m.reasons[0].find("listed in 2031_05_test_takedown.json"), std::string::npos) << m.reasons[0];
    EXPECT_NE(m.reasons[0].find("2031-05-02"), std::string::npos) << "the date of the list: " << m.reasons[0];
    if (m.account == listed_account) {
      EXPECT_TRUE(m.listed_account);
      EXPECT_NE(m.reasons[0].find("is the listed account"), std::string::npos) << m.reasons[0];
    } else {
      EXPECT_NE(m.reasons[0].find("links to " + listed_domain + " ("), std::string::npos) << m.reasons[0];
    }
  }
  std::set<AccountIndex> want = linkers[listed_domain];
  want.insert(listed_account);
  EXPECT_EQ(flagged, want) << "exactly the accounts linking to the listed domain, and the listed account";
}

}  // namespace
}  // namespace lockstep
