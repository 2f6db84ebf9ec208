#include "lockstep/signals/near_duplicate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/signals/co_action.h"
#include "lockstep/signals/object_keys.h"
#include "lockstep/sim/eval.h"
#include "lockstep/sim/simulator.h"
#include "dataset_builder.h"
#include "test_util.h"

namespace lockstep {
namespace {

// A hand-made data set of posts: (account, time, text), in any order.
Dataset MakePosts(const std::vector<std::tuple<std::string, int64_t, std::string>>& posts) {
  testing::DatasetBuilder builder;
  for (const auto& [account, t, text] : posts)
    builder.Add(account, t, EventType::kPost, {}, text);
  return builder.Build();
}

std::vector<uint32_t> Clusters(const Dataset& ds, NearDuplicateOptions options = {}) {
  NearDuplicateText nd(ds, options);
  EXPECT_TRUE(nd.Run().ok());
  return nd.cluster_of_event();
}

// The cluster of the event whose text is `text`.
uint32_t ClusterOf(const Dataset& ds, const std::vector<uint32_t>& clusters, std::string_view text) {
  for (size_t e = 0; e < ds.events.size(); ++e)
    if (ds.events.Text(e) == text) return clusters[e];
  ADD_FAILURE() << "no event with text " << text;
  return kNoTextCluster;
}

TEST(Jaccard, CountsCommonElementsOfSortedSets) {
  const std::vector<uint32_t> a{1, 2, 3, 4}, b{3, 4, 5, 6}, none{};
  EXPECT_DOUBLE_EQ(internal::Jaccard(a, b), 2.0 / 6.0) << "|{3,4}| / |{1..6}|";
  EXPECT_DOUBLE_EQ(internal::Jaccard(a, a), 1.0) << "a set is identical to itself";
  EXPECT_DOUBLE_EQ(internal::Jaccard(a, none), 0.0) << "nothing in common with the empty set";
  EXPECT_DOUBLE_EQ(internal::Jaccard(none, none), 0.0) << "two empty sets are not evidence of copying";
}

TEST(NearDuplicateText, LightlyEditedCopiesClusterButSameTopicTextsDoNot) {
  const std::string base =
      "The election commission confirmed today that the new voting machines failed in three districts and "
      "thousands of ballots must be counted again by hand";
  const std::vector<std::string> copies = {
      base,
      // a word changed
      "The election commission confirmed today that the new voting machines failed in four districts and "
      "thousands of ballots must be counted again by hand",
      // punctuation and case
      "the ELECTION commission confirmed today: the new voting machines FAILED in three districts, and "
      "thousands of ballots must be counted again by hand!!!",
      // a URL and a mention added
      "@newsdesk The election commission confirmed today that the new voting machines failed in three "
      "districts and thousands of ballots must be counted again by hand https://t.co/x9Yz",
      // a retweet of it, hashtag and emoji added
      "RT @someone: The election commission confirmed today that the new voting machines failed in three "
      "districts and thousands of ballots must be counted again by hand #recount 🔥",
  };
  const std::vector<std::string> same_topic = {
      "The election commission said the new voting machines worked well in every district and the count is "
      "finished",
      "Thousands of volunteers counted ballots by hand today in three districts after the election, the "
      "commission said",
      "New voting machines are coming to our district before the next election, the commission confirmed",
  };
  std::vector<std::tuple<std::string, int64_t, std::string>> posts;
  int64_t t = 1000;
  for (size_t i = 0; i < copies.size(); ++i) posts.emplace_back("copier" + std::to_string(i), t += 7, copies[i]);
  for (size_t i = 0; i < same_topic.size(); ++i) posts.emplace_back("other" + std::to_string(i), t += 7, same_topic[i]);
  const Dataset ds = MakePosts(posts);
  const std::vector<uint32_t> clusters = Clusters(ds);
  const uint32_t c = ClusterOf(ds, clusters, base);
  ASSERT_NE(c, kNoTextCluster) << "the copied text forms a cluster";
  for (const std::string& copy : copies)
    EXPECT_EQ(ClusterOf(ds, clusters, copy), c) << "a light edit stays in the cluster: " << copy;
  for (const std::string& other : same_topic)
    EXPECT_EQ(ClusterOf(ds, clusters, other), kNoTextCluster) << "same topic, own words, no cluster: " << other;
}

TEST(NearDuplicateText, EveryScriptFindsItsEditedCopies) {
  // Per script: an original, a copy with one word changed and punctuation
  // or diacritics varied, and an unrelated text.
  struct Case {
    std::string name, original, edited, unrelated;
  };
  const std::vector<Case> cases = {
      {"Persian", "دولت امروز اعلام کرد که قیمت بنزین از هفته آینده در همه شهرهای کشور دو برابر می‌شود",
       "دولت امروز اعلام كرد كه قيمت بنزين از هفته آينده در تمام شهرهاي كشور دو برابر ميشود!",
       "تیم ملی فوتبال ایران دیشب در یک بازی دوستانه مقابل ژاپن با دو گل پیروز شد و هواداران جشن گرفتند"},
      {"Arabic", "أعلنت الحكومة اليوم أن أسعار الوقود سترتفع في جميع المدن ابتداء من الأسبوع المقبل",
       "اعلنت الحكومة اليوم ان اسعار الوقود سترتفع في كل المدن ابتداء من الاسبوع المقبل !!",
       "فاز الفريق الوطني مساء أمس في مباراة ودية واحتفل المشجعون في الشوارع حتى الصباح"},
      {"Hebrew", "הממשלה הודיעה היום שמחירי הדלק יעלו בכל הערים החל מהשבוע הבא בגלל המשבר",
       "הַמֶּמְשָׁלָה הודיעה היום שמחירי הדלק יעלו בכל הערים החל מהשבוע הבא בגלל המצב",
       "הקבוצה ניצחה אתמול במשחק ידידות והאוהדים חגגו ברחובות עד הבוקר עם דגלים ושירים"},
      {"Russian", "Правительство сегодня объявило, что цены на бензин вырастут во всех городах со следующей недели",
       "ПРАВИТЕЛЬСТВО сегодня объявило что цены на бензин вырастут во всех регионах со следующей недели!!",
       "Наша команда вчера выиграла товарищеский матч, и болельщики праздновали на улицах до утра"},
      {"Chinese", "政府今天宣布从下周开始全国所有城市的汽油价格将上涨一倍请大家提前做好准备",
       "政府今天宣布，从下周开始全国所有城市的汽油价格将上涨两倍！请大家提前做好准备。",
       "国家队昨晚在友谊赛中以二比零战胜对手球迷们在街头庆祝到天亮"},
      {"Japanese", "政府は本日来週から全国のすべての都市でガソリン価格が二倍になると発表しました",
       "政府は本日、来週から全国の全ての都市でガソリン価格が二倍になると発表しました！",
       "昨夜の親善試合で代表チームが勝利しファンは朝まで街で祝いました"},
  };
  for (const Case& c : cases) {
    const Dataset ds =
        MakePosts({{"a", 100, c.original}, {"b", 130, c.edited}, {"c", 160, c.unrelated}});
    const std::vector<uint32_t> clusters = Clusters(ds);
    EXPECT_NE(ClusterOf(ds, clusters, c.original), kNoTextCluster) << c.name << ": the copy pair forms a cluster";
    EXPECT_EQ(ClusterOf(ds, clusters, c.original), ClusterOf(ds, clusters, c.edited))
        << c.name << ": an edited copy is a near-duplicate";
    EXPECT_EQ(ClusterOf(ds, clusters, c.unrelated), kNoTextCluster) << c.name << ": an unrelated text is not";
  }
}

TEST(NearDuplicateText, ShortTextsAndSingletonsGetNoCluster) {
  const Dataset ds = MakePosts({{"a", 1, "good morning"},
                                {"b", 2, "good morning"},
                                {"c", 3, "a text long enough to count but posted only once"},
                                {"d", 4, "🔥🔥🔥"},
                                {"e", 5, "🔥🔥🔥"}});
  const std::vector<uint32_t> clusters = Clusters(ds);
  for (size_t e = 0; e < ds.events.size(); ++e)
    EXPECT_EQ(clusters[e], kNoTextCluster)
        << "'" << ds.events.Text(e) << "': too short (min_tokens 5) or posted once, so no key";
  NearDuplicateOptions loose;
  loose.min_tokens = 2;
  EXPECT_EQ(ClusterOf(ds, Clusters(ds, loose), "good morning"), 0u) << "with min_tokens 2 the greeting counts";
}

TEST(NearDuplicateText, SpamPostedAHundredThousandTimesIsOneClusterWithoutPairwiseWork) {
  std::mt19937_64 rng(42);
  std::vector<std::tuple<std::string, int64_t, std::string>> posts;
  const std::string spam = "Click here to claim your free prize before midnight, only ten winners left today";
  for (int i = 0; i < 100000; ++i) {
    std::string text = spam;
    if (i % 3 == 1) text = "RT @bot" + std::to_string(i % 97) + ": " + spam;
    if (i % 3 == 2) text += " https://spam.example/" + std::to_string(rng() % 100000);
    posts.emplace_back("bot" + std::to_string(rng() % 5000), static_cast<int64_t>(i), text);
  }
  for (int i = 0; i < 200; ++i) {
    std::string own;
    for (int w = 0; w < 8; ++w) own += "word" + std::to_string(rng() % 1000) + " ";
    posts.emplace_back("person" + std::to_string(i), 5000 + i, own);
  }
  const Dataset ds = MakePosts(posts);
  NearDuplicateText nd(ds, {});
  ASSERT_TRUE(nd.Run().ok());
  ASSERT_EQ(nd.clusters().size(), 1u) << "every spam copy is one text after normalisation; the rest are unique";
  EXPECT_EQ(nd.clusters()[0].events, 100000u) << "all copies are in it";
  EXPECT_EQ(nd.clusters()[0].texts, 1u) << "one distinct normalised text";
  EXPECT_EQ(nd.stats().unique_texts, 201u) << "exact duplicates collapse before hashing pairs";
  EXPECT_LT(nd.stats().comparisons, 1000u) << "no pairwise work grows with the number of copies";
  EXPECT_NE(nd.Explain(0).find("100000 posts by"), std::string::npos) << nd.Explain(0);
  EXPECT_NE(nd.Explain(0).find("identical after normalisation"), std::string::npos) << nd.Explain(0);
}

// Random multilingual-ish posts with planted near-duplicate families.
Dataset RandomPosts(uint64_t seed, int families, int copies, int noise) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> vocab = {"vote", "today", "city", "price", "fuel", "school", "rain", "news",
                                          "голос", "город", "цена", "школа", "الحكومة", "الناس", "مدرسة",
                                          "שלום", "עיר", "政府", "城市", "价格", "学校", "新闻", "morning",
                                          "night", "team", "win", "love", "music", "health", "police"};
  auto text = [&](int words) {
    std::string s;
    for (int i = 0; i < words; ++i) {
      s += vocab[rng() % vocab.size()];
      s += std::to_string(rng() % 50);
      s += ' ';
    }
    return s;
  };
  std::vector<std::tuple<std::string, int64_t, std::string>> posts;
  for (int f = 0; f < families; ++f) {
    const std::string original = text(12 + static_cast<int>(rng() % 10));
    for (int c = 0; c < copies; ++c) {
      std::string copy = original;
      if (rng() % 2) copy += vocab[rng() % vocab.size()];
      posts.emplace_back("acct" + std::to_string(rng() % 300), static_cast<int64_t>(rng() % 100000), copy);
    }
  }
  for (int i = 0; i < noise; ++i)
    posts.emplace_back("acct" + std::to_string(rng() % 300), static_cast<int64_t>(rng() % 100000),
                       text(5 + static_cast<int>(rng() % 15)));
  return MakePosts(posts);
}

TEST(NearDuplicateText, DeterministicAndIndependentOfThreads) {
  const Dataset ds = RandomPosts(7, 50, 6, 3000);
  NearDuplicateOptions one;
  one.threads = 1;
  NearDuplicateOptions two;
  two.threads = 2;
  const std::vector<uint32_t> a = Clusters(ds, two), b = Clusters(ds, two), c = Clusters(ds, one);
  EXPECT_EQ(a, b) << "the same input and options give the same clusters";
  EXPECT_EQ(a, c) << "the thread count does not change the result";
  std::set<uint32_t> ids(a.begin(), a.end());
  ids.erase(kNoTextCluster);
  EXPECT_GE(ids.size(), 50u) << "each planted family is found";
  EXPECT_LE(ids.size(), 60u) << "random noise rarely forms clusters";
}

TEST(NearDuplicateText, RefusesBadOptionsAndReadsNothingBeforeRun) {
  const Dataset ds = MakePosts({{"a", 1, "one two three four five six"}});
  NearDuplicateOptions bad;
  bad.threshold = 0;
  EXPECT_EQ(NearDuplicateText(ds, bad).Run().code(), StatusCode::kInvalidArgument) << "threshold must be > 0";
  bad = {};
  bad.bands = 200;
  bad.rows = 10;
  EXPECT_EQ(NearDuplicateText(ds, bad).Run().code(), StatusCode::kInvalidArgument) << "at most 1024 bins";
  bad = {};
  bad.min_tokens = 0;
  EXPECT_EQ(NearDuplicateText(ds, bad).Run().code(), StatusCode::kInvalidArgument) << "min_tokens >= 1";
  NearDuplicateText nd(ds, {});
  EXPECT_TRUE(nd.cluster_of_event().empty()) << "no results before Run()";
  EXPECT_TRUE(nd.clusters().empty()) << "no results before Run()";
  EXPECT_EQ(nd.Explain(0), "") << "nothing to explain before Run()";
}

TEST(NearDuplicateText, CoTextEndToEndThroughObjectKeysAndCoAction) {
  const std::string narrative =
      "They are hiding the truth about the water supply in our city and nobody in the council will answer";
  const Dataset ds = MakePosts({
      {"troll1", 1000, narrative},
      {"troll2", 1020, "They are hiding the truth about the water supply in our town and nobody in the council "
                       "will answer!!"},
      {"troll3", 1045, "RT @troll1: " + narrative + " 👇"},
      {"late", 5000, narrative + "..."},  // same text, hours later: no co-action within the window
      {"bystander", 1030, "Lovely weather at the lake today, we had a picnic with the whole family"},
  });
  NearDuplicateText nd(ds, {});
  ASSERT_TRUE(nd.Run().ok());
  ASSERT_EQ(nd.clusters().size(), 1u) << "one narrative";
  EXPECT_EQ(nd.clusters()[0].events, 4u) << "three trolls and the late poster";
  EXPECT_EQ(nd.clusters()[0].accounts, 4u);
  EXPECT_NE(nd.Explain(0).find("4 posts by 4 accounts"), std::string::npos) << nd.Explain(0);
  auto keys = ExtractObjectKeys(ds, ObjectKeyKind::kText, &nd.cluster_of_event());
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  EXPECT_EQ(keys->num_keys(), 1u) << "the cluster is the one key";
  CoActionOptions options;
  options.window_seconds = 60;
  CoActionSignal signal(*keys, options);
  ASSERT_TRUE(signal.Run().ok());
  std::set<std::pair<std::string, std::string>> edges;
  for (const CoActionEdge& e : signal.edges()) {
    std::string a(ds.AccountId(e.a)), b(ds.AccountId(e.b));
    if (b < a) std::swap(a, b);
    edges.insert({a, b});
  }
  const std::set<std::pair<std::string, std::string>> expected = {
      {"troll1", "troll2"}, {"troll1", "troll3"}, {"troll2", "troll3"}};
  EXPECT_EQ(edges, expected) << "the three trolls co-post the narrative within 60 s; the late poster and the "
                                "bystander do not";
}

// The troll farm of the simulator copies narratives with light edits across
// its accounts; the authentic population mostly writes its own texts.
TEST(NearDuplicateText, SimulatedTrollFarmCopiesClusterAcrossAccounts) {
  testing::TempDir dir;
  auto spec = DrawScenario("troll_farm", 3, 0.1);
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  SimulationOptions sim_options;
  sim_options.out_dir = dir.path();
  Simulator sim(std::move(spec).value(), sim_options);
  ASSERT_TRUE(sim.Run().ok());
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadLockstepDirectory(dir.path(), {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  auto labels = ReadLabelsCsv(dir / "labels.csv");
  ASSERT_TRUE(labels.ok());
  std::unordered_map<std::string_view, bool> planted;
  for (const LabelRow& l : *labels) planted[l.account_id] = !l.network_id.empty();

  NearDuplicateText nd(*ds, {});
  ASSERT_TRUE(nd.Run().ok());
  const auto& cluster_of = nd.cluster_of_event();
  // Per cluster: planted and authentic accounts in it.
  std::vector<std::set<AccountIndex>> planted_in(nd.clusters().size()), authentic_in(nd.clusters().size());
  for (uint32_t c = 0; c < nd.clusters().size(); ++c)
    for (uint32_t e : nd.ClusterEvents(c))
      (planted[ds->AccountId(ds->events.account[e])] ? planted_in : authentic_in)[c].insert(ds->events.account[e]);
  uint64_t planted_posts = 0, planted_in_multi = 0, authentic_posts = 0, authentic_in_multi = 0;
  for (size_t e = 0; e < ds->events.size(); ++e) {
    if (ds->events.type[e] == EventType::kShare || ds->events.Text(e).empty()) continue;
    const bool is_planted = planted[ds->AccountId(ds->events.account[e])];
    const uint32_t c = cluster_of[e];
    const bool multi = c != kNoTextCluster && nd.clusters()[c].accounts >= 2;
    (is_planted ? planted_posts : authentic_posts)++;
    if (multi) (is_planted ? planted_in_multi : authentic_in_multi)++;
  }
  size_t farm_clusters = 0, authentic_only_clusters = 0, authentic_largest = 0;
  for (uint32_t c = 0; c < nd.clusters().size(); ++c) {
    if (planted_in[c].size() >= 2) ++farm_clusters;
    if (planted_in[c].empty()) {
      ++authentic_only_clusters;
      authentic_largest = std::max(authentic_largest, authentic_in[c].size());
    }
  }
  std::printf("troll_farm: %lu/%lu planted posts and %lu/%lu authentic posts in multi-account clusters; "
              "%zu farm clusters, %zu authentic-only clusters (largest %zu accounts)\n",
              planted_in_multi, planted_posts, authentic_in_multi, authentic_posts, farm_clusters,
              authentic_only_clusters, authentic_largest);
  ASSERT_GT(planted_posts, 1000u) << "the farm posts";
  EXPECT_GT(planted_in_multi, planted_posts / 2) << "most farm posts are copies found across accounts";
  EXPECT_LT(authentic_in_multi, authentic_posts / 50) << "authentic people rarely share a text";
}

}  // namespace
}  // namespace lockstep
