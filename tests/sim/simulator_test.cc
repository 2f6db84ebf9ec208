#include "lockstep/sim/simulator.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <gtest/gtest.h>
#include <simdjson.h>
#include <xxhash.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/sim/eval.h"

namespace lockstep {
namespace {

namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("lockstep_sim_" + std::to_string(::getpid()) + "_" + name)).string();
}

Status Simulate(const std::string& scenario, uint64_t seed, double scale, const std::string& dir) {
  auto spec = DrawScenario(scenario, seed, scale);
  if (!spec.ok()) return spec.status();
  SimulationOptions options;
  options.out_dir = dir;
  Simulator sim(std::move(spec).value(), options);
  return sim.Run();
}

uint64_t FileHash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), {});
  return XXH3_64bits(s.data(), s.size());
}

constexpr const char* kFiles[] = {"accounts.csv", "events.csv", "infra.csv", "profile_changes.csv",
                                  "follower_counts.csv", "ads.csv", "labels.csv", "truth.json"};

TEST(Simulator, SameSeedGivesIdenticalFilesOtherSeedDoesNot) {
  const std::string a = TempPath("det_a"), b = TempPath("det_b"), c = TempPath("det_c");
  ASSERT_TRUE(Simulate("hashtag_storm", 5, 0.02, a).ok());
  ASSERT_TRUE(Simulate("hashtag_storm", 5, 0.02, b).ok());
  ASSERT_TRUE(Simulate("hashtag_storm", 6, 0.02, c).ok());
  for (const char* f : kFiles)
    EXPECT_EQ(FileHash(a + "/" + f), FileHash(b + "/" + f)) << f << " must be byte-identical for the same seed";
  EXPECT_NE(FileHash(a + "/events.csv"), FileHash(c + "/events.csv")) << "another seed, other events";
  for (const auto& d : {a, b, c}) fs::remove_all(d);
}

TEST(Simulator, RefusesUnknownScenarioAndBadScale) {
  EXPECT_EQ(DrawScenario("nonsense", 1, 1).status().code(), StatusCode::kInvalidArgument) << "unknown name";
  EXPECT_EQ(DrawScenario("mix", 1, 0).status().code(), StatusCode::kInvalidArgument) << "scale must be > 0";
  Simulator sim(DrawScenario("authentic", 1, 0.01).value(), {});
  EXPECT_EQ(sim.summary().status().code(), StatusCode::kFailedPrecondition) << "results before Run()";
}

TEST(Simulator, EveryFamilyDrawsSizesInRange) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    auto spec = DrawScenario("mix", seed, 1);
    ASSERT_TRUE(spec.ok());
    ASSERT_EQ(spec->operations.size(), 6u) << "mix plants all six families";
    for (const OperationSpec& op : spec->operations) {
      const int size = std::visit([](const auto& p) { return p.accounts; }, op.params);
      EXPECT_GE(size, 15) << op.network_id;
      EXPECT_LE(size, 400) << op.network_id;
    }
  }
}

// One mix data set shared by the tests below.
class MixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TempPath("mix"));
    ASSERT_TRUE(Simulate("mix", 11, 0.05, *dir_).ok());
    ErrorSink sink;
    LoadReport report;
    auto ds = LoadLockstepDirectory(*dir_, {}, &sink, &report);
    ASSERT_TRUE(ds.ok()) << ds.status().message();
    rejected_ = report.rows_rejected() + sink.total();
    ds_ = new Dataset(std::move(ds).value());
    labels_ = new std::vector<LabelRow>(ReadLabelsCsv(*dir_ + "/labels.csv").value());
    std::ifstream in(*dir_ + "/truth.json");
    truth_text_ = new std::string((std::istreambuf_iterator<char>(in)), {});
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete ds_;
    delete labels_;
    delete truth_text_;
  }

  // The JSON object of the network of `family` in truth.json.
  static simdjson::dom::element Network(simdjson::dom::parser& parser, std::string_view family) {
    simdjson::dom::element root = parser.parse(*truth_text_);
    for (simdjson::dom::element n : root["networks"].get_array())
      if (std::string_view(n["family"]) == family) return n;
    ADD_FAILURE() << "no network of family " << family;
    return root;
  }
  static std::vector<AccountIndex> Members(std::string_view network_id) {
    std::vector<AccountIndex> out;
    for (const LabelRow& l : *labels_)
      if (l.network_id == network_id) out.push_back(ds_->account_ids.Find(l.account_id));
    return out;
  }
  static std::set<AccountIndex> Ids(simdjson::dom::array a) {
    std::set<AccountIndex> out;
    for (simdjson::dom::element e : a) out.insert(ds_->account_ids.Find(std::string_view(e)));
    return out;
  }
  static bool IsAuthentic(AccountIndex a) {
    static const auto* authentic = [] {
      auto* s = new std::unordered_set<std::string_view>;
      for (const LabelRow& l : *labels_)
        if (l.network_id.empty()) s->insert(l.account_id);
      return s;
    }();
    return authentic->count(ds_->AccountId(a)) > 0;
  }

  static std::string* dir_;
  static Dataset* ds_;
  static std::vector<LabelRow>* labels_;
  static std::string* truth_text_;
  static uint64_t rejected_;
};
std::string* MixTest::dir_ = nullptr;
Dataset* MixTest::ds_ = nullptr;
std::vector<LabelRow>* MixTest::labels_ = nullptr;
std::string* MixTest::truth_text_ = nullptr;
uint64_t MixTest::rejected_ = 0;

TEST_F(MixTest, LoadsWithoutRejectsAndLabelsCoverEveryAccount) {
  EXPECT_EQ(rejected_, 0u) << "the simulator writes the lockstep format exactly";
  EXPECT_GT(ds_->events.size(), 100000u) << "a real amount of activity at scale 0.05";
  EXPECT_EQ(labels_->size(), ds_->num_accounts()) << "one label per account";
  for (const LabelRow& l : *labels_) ASSERT_NE(ds_->account_ids.Find(l.account_id), kNoString) << l.account_id;
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(*truth_text_);
  std::map<std::string, uint64_t> planted;
  for (const LabelRow& l : *labels_)
    if (!l.network_id.empty()) planted[l.network_id]++;
  size_t networks = 0;
  for (simdjson::dom::element n : root["networks"].get_array()) {
    ++networks;
    EXPECT_EQ(planted[std::string(std::string_view(n["network_id"]))], uint64_t(n["members"]))
        << "labels carry exactly the truth's members of " << std::string_view(n["network_id"]);
  }
  EXPECT_EQ(networks, 6u) << "mix plants six networks";
  EXPECT_EQ(planted.size(), 6u) << "network ids are non-empty exactly for planted members";
}

TEST_F(MixTest, RowOrderDoesNotGroupNetworks) {
  std::unordered_map<std::string_view, std::string_view> label;
  for (const LabelRow& l : *labels_) label[l.account_id] = l.network_id;
  size_t run = 0, longest = 0;
  for (AccountIndex a = 0; a < ds_->num_accounts(); ++a) {
    run = label[ds_->AccountId(a)].empty() ? 0 : run + 1;
    longest = std::max(longest, run);
  }
  EXPECT_LT(longest, 30u) << "planted accounts are interleaved with authentic ones in accounts.csv";
}

TEST_F(MixTest, TrollFarmWorksShiftsWithLunchDipAndNightPause) {
  simdjson::dom::parser parser;
  auto n = Network(parser, "troll_farm");
  const double offset = double(n["operator_utc_offset_hours"]);
  const std::set<AccountIndex> real = Ids(n["real_member_accounts"].get_array());
  std::set<AccountIndex> members;
  for (AccountIndex a : Members(std::string_view(n["network_id"])))
    if (!real.count(a)) members.insert(a);
  std::array<double, 24> hist{};
  double total = 0;
  for (size_t i = 0; i < ds_->events.size(); ++i) {
    if (!members.count(ds_->events.account[i])) continue;
    const int64_t local = ds_->events.time[i] + static_cast<int64_t>(offset * 3600);
    hist[static_cast<size_t>(((local % 86400) + 86400) % 86400 / 3600)]++;
    ++total;
  }
  ASSERT_GT(total, 1000) << "the farm is active";
  const double morning = std::max(hist[10], hist[11]), lunch = std::min(hist[12], hist[13]);
  const double evening = std::max({hist[18], hist[19], hist[20]});
  EXPECT_GT(morning, 1.5 * lunch) << "a lunch dip after the morning spike";
  EXPECT_GT(evening, 1.5 * lunch) << "an evening spike after the lunch dip";
  double night = 0;
  for (int h = 1; h <= 5; ++h) night += hist[h];
  EXPECT_LT(night, 0.02 * total) << "operators sleep: a night pause in their own time zone";
  // Claims another country and changes names.
  std::unordered_set<AccountIndex> renamed;
  for (const ProfileChange& c : ds_->profile_changes)
    if (members.count(c.account)) renamed.insert(c.account);
  size_t accounts = 0, foreign = 0;
  for (AccountIndex a : members) {
    if (ds_->accounts[a].kind != AccountKind::kAccount) continue;
    ++accounts;
    foreign += CountryName(ds_->accounts[a].country) != std::string_view(n["target_country"]);
  }
  EXPECT_GT(renamed.size(), accounts / 2) << "troll accounts change their names";
  EXPECT_EQ(foreign, accounts) << "placed in the origin country while claiming the target";
}

TEST_F(MixTest, AutomatedNetworkPostsAroundTheClockAtSuperhumanRates) {
  simdjson::dom::parser parser;
  auto n = Network(parser, "automated");
  const auto members_v = Members(std::string_view(n["network_id"]));
  const std::set<AccountIndex> members(members_v.begin(), members_v.end());
  std::array<double, 24> hist{};
  std::set<int64_t> days;
  double total = 0;
  for (size_t i = 0; i < ds_->events.size(); ++i) {
    if (!members.count(ds_->events.account[i])) continue;
    hist[static_cast<size_t>(ds_->events.time[i] % 86400 / 3600)]++;
    days.insert(ds_->events.time[i] / 86400);
    ++total;
  }
  ASSERT_GT(total, 0);
  for (int h = 0; h < 24; ++h) EXPECT_GT(hist[h], total / 24 * 0.6) << "active at hour " << h << " UTC too";
  EXPECT_GT(total / members.size() / days.size(), 50) << "more actions per account per day than a person makes";
  std::set<uint64_t> images;
  int64_t first = INT64_MAX, last = INT64_MIN;
  for (AccountIndex a : members) {
    images.insert(ds_->accounts[a].profile_image_hash >> 8);
    first = std::min(first, ds_->accounts[a].created_at);
    last = std::max(last, ds_->accounts[a].created_at);
  }
  EXPECT_LE(images.size(), 6u) << "few distinct profile images (up to a flipped low bit)";
  EXPECT_LE(last - first, 40 * 86400) << "accounts created within weeks";
}

TEST_F(MixTest, HashtagStormIsSeededTogetherAndPickedUpByRealUsers) {
  simdjson::dom::parser parser;
  auto n = Network(parser, "hashtag_storm");
  const auto members_v = Members(std::string_view(n["network_id"]));
  const std::set<AccountIndex> members(members_v.begin(), members_v.end());
  int64_t storm = 0;
  ParseTime(std::string_view(n["storm_times"].at(0)), &storm);
  const std::string_view tag = n["hashtags"].at(0);
  const StringId tag_id = ds_->hashtags.Find(tag);
  ASSERT_NE(tag_id, kNoString);
  std::set<AccountIndex> seeders, pickers;
  for (size_t i = 0; i < ds_->events.size(); ++i) {
    auto tags = ds_->events.hashtags.Row(i);
    if (std::find(tags.begin(), tags.end(), tag_id) == tags.end()) continue;
    const AccountIndex a = ds_->events.account[i];
    if (members.count(a) && ds_->events.time[i] - storm >= 0 && ds_->events.time[i] - storm <= 300) seeders.insert(a);
    if (IsAuthentic(a)) pickers.insert(a);
  }
  EXPECT_GT(seeders.size(), members.size() * 7 / 10) << "most fakes post the hashtag within 5 minutes of the schedule";
  EXPECT_GT(pickers.size(), 0u) << "real users pick the hashtag up";
}

TEST_F(MixTest, ViralCascadeIsSharedByManyUnrelatedUsersWithinMinutes) {
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(*truth_text_);
  int64_t best = 0;
  StringId post = kNoString;
  int64_t t0 = 0;
  for (simdjson::dom::element g : root["authentic_groups"].get_array()) {
    if (std::string_view(g["kind"]) != "viral_cascade" || int64_t(g["count"]) <= best) continue;
    best = int64_t(g["count"]);
    post = ds_->objects.Find(std::string_view(g["values"].at(0)));
    ParseTime(std::string_view(g["time"]), &t0);
  }
  ASSERT_NE(post, kNoString);
  std::set<AccountIndex> sharers;
  for (size_t i = 0; i < ds_->events.size(); ++i)
    if (ds_->events.type[i] == EventType::kShare && ds_->events.target_id[i] == post && ds_->events.time[i] - t0 <= 600) {
      sharers.insert(ds_->events.account[i]);
      EXPECT_TRUE(IsAuthentic(ds_->events.account[i])) << "cascade sharers are authentic";
    }
  // Scale 0.05: about 1,000 people; at scale 1 this is over 1,000 sharers.
  EXPECT_GT(sharers.size(), 50u) << "more than 5% of all people share within 10 minutes";
}

TEST_F(MixTest, InnocentSharedInfrastructureIsAuthentic) {
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(*truth_text_);
  std::map<StringId, std::set<AccountIndex>> users;  // infra value -> accounts
  for (const InfraObservation& o : ds_->infra) users[o.value].insert(o.account);
  int families = 0, universities = 0, newsrooms = 0, campaigns = 0;
  for (simdjson::dom::element g : root["authentic_groups"].get_array()) {
    const std::string_view kind = g["kind"];
    const std::set<AccountIndex> accounts = Ids(g["accounts"].get_array());
    for (AccountIndex a : accounts) EXPECT_TRUE(IsAuthentic(a)) << kind << " members are authentic";
    if (kind == "family_device") {
      ++families;
      const StringId dev = ds_->infra_values.Find(std::string_view(g["values"].at(0)));
      if (dev == kNoString) continue;  // not observed yet
      for (AccountIndex a : users[dev])
        EXPECT_TRUE(accounts.count(a)) << "a family device links only its own family's accounts";
    } else if (kind == "university_nat") {
      ++universities;
      std::set<AccountIndex> seen;
      for (simdjson::dom::element ip : g["values"].get_array()) {
        const StringId v = ds_->infra_values.Find(std::string_view(ip));
        if (v != kNoString) seen.insert(users[v].begin(), users[v].end());
      }
      EXPECT_GT(seen.size(), 20u) << "a campus NAT is shared by many students";
      for (AccountIndex a : seen) EXPECT_TRUE(IsAuthentic(a)) << "students are authentic";
    } else if (kind == "newsroom") {
      ++newsrooms;
    } else if (kind == "activist_campaign") {
      ++campaigns;
      EXPECT_GE(accounts.size(), 30u) << "a campaign has many participants";
    }
  }
  EXPECT_GT(families, 0) << "some families share a device";
  EXPECT_GT(universities, 0);
  EXPECT_GT(newsrooms, 0);
  EXPECT_GT(campaigns, 0);
}

TEST_F(MixTest, LikeFarmEarlyStageAndCamouflagedCarryTheirSignatures) {
  simdjson::dom::parser parser;
  // Like farm: its likes go to one customer Page.
  auto lf = Network(parser, "like_farm");
  const AccountIndex page = ds_->account_ids.Find(std::string_view(lf["customer_page"]));
  ASSERT_NE(page, kNoString);
  const auto lf_v = Members(std::string_view(lf["network_id"]));
  const std::set<AccountIndex> farm(lf_v.begin(), lf_v.end());
  size_t likes = 0, to_page = 0;
  for (size_t i = 0; i < ds_->events.size(); ++i)
    if (farm.count(ds_->events.account[i]) && ds_->events.type[i] == EventType::kLike) {
      ++likes;
      to_page += ds_->events.target_account[i] == page;
    }
  EXPECT_GT(to_page, likes / 2) << "a like farm sells engagement to one Page";
  EXPECT_TRUE(IsAuthentic(page)) << "the customer is a real business";

  // Early stage: a few days old, with ad spend.
  auto es = Network(parser, "early_stage");
  const auto es_v = Members(std::string_view(es["network_id"]));
  int64_t first = INT64_MAX, last = INT64_MIN, last_event = INT64_MIN;
  for (AccountIndex a : es_v) {
    first = std::min(first, ds_->accounts[a].created_at);
    last = std::max(last, ds_->accounts[a].created_at);
  }
  const std::set<AccountIndex> early(es_v.begin(), es_v.end());
  for (size_t i = 0; i < ds_->events.size(); ++i)
    if (early.count(ds_->events.account[i])) last_event = std::max(last_event, ds_->events.time[i]);
  EXPECT_LE(last - first, 3 * 86400) << "created within days";
  EXPECT_LE(last_event - first, 14 * 86400) << "the network is only days old when the data ends for it";
  size_t ads = 0;
  for (const AdSpend& ad : ds_->ads) ads += early.count(ad.account);
  EXPECT_GT(ads, 0u) << "ad spend before the election";

  // Camouflaged: links to its domains posted by several accounts within an hour, mixed with organic posts.
  auto cf = Network(parser, "camouflaged");
  const auto cf_v = Members(std::string_view(cf["network_id"]));
  const std::set<AccountIndex> camo(cf_v.begin(), cf_v.end());
  std::set<StringId> domains;
  for (simdjson::dom::element d : cf["affiliated_domains"].get_array()) domains.insert(ds_->domains.Find(std::string_view(d)));
  std::map<StringId, std::vector<std::pair<int64_t, AccountIndex>>> by_url;
  size_t organic = 0, posts = 0;
  for (size_t i = 0; i < ds_->events.size(); ++i) {
    if (!camo.count(ds_->events.account[i])) continue;
    ++posts;
    auto urls = ds_->events.urls.Row(i);
    if (urls.empty() || !domains.count(ds_->url_domain[urls[0]])) {
      ++organic;
      continue;
    }
    by_url[urls[0]].push_back({ds_->events.time[i], ds_->events.account[i]});
  }
  size_t coordinated = 0;
  for (auto& [url, v] : by_url) {
    std::set<AccountIndex> accounts;
    for (auto& [t, a] : v) accounts.insert(a);
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (auto& [t, a] : v) lo = std::min(lo, t), hi = std::max(hi, t);
    if (accounts.size() >= 2 && hi - lo <= 3 * 3600) ++coordinated;
  }
  EXPECT_GT(coordinated, 10u) << "the same link posted by several accounts within hours";
  EXPECT_GT(organic, posts / 3) << "camouflage: much of the activity looks organic";
}

}  // namespace
}  // namespace lockstep
