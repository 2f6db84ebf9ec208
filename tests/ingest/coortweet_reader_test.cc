#include "lockstep/ingest/coortweet_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "lockstep/ingest/load.h"
#include "lockstep/signals/near_duplicate.h"
#include "lockstep/signals/object_keys.h"
#include "test_util.h"

namespace lockstep {
namespace {

const std::string kDir = std::string(LOCKSTEP_SHARED_DATA) + "/coortweet/";

std::string Extra(const Dataset& ds, uint32_t row, std::string_view column) {
  for (const ExtraAttribute& x : ds.event_extras)
    if (x.row == row && ds.strings.Get(x.column) == column) return std::string(ds.strings.Get(x.value));
  return "";
}

TEST(CoorTweetReader, RussianRetweetsAreSharesOfTheirObjects) {
  if (!std::filesystem::exists(kDir)) GTEST_SKIP() << kDir << " is absent (a fresh clone has no ../shared/data)";
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadDataset(kDir + "russian_coord_tweets.csv", "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Dataset& ds = *loaded;
  EXPECT_EQ(report.format, "coortweet") << "auto detects the table from its header";
  EXPECT_EQ(ds.events.size(), 35125u) << "35,125 retweets";
  EXPECT_EQ(ds.accounts.size(), 9509u) << "by 9,509 accounts";
  std::vector<StringId> targets(ds.events.target_id);
  std::sort(targets.begin(), targets.end());
  EXPECT_EQ(std::unique(targets.begin(), targets.end()) - targets.begin(), 7285) << "of 7,285 objects";
  const StringId content = ds.objects.Find("114e22f1b2b648528277b76f0b0224e7");
  size_t row = SIZE_MAX;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.event_id[i] == content) row = i;
  ASSERT_NE(row, SIZE_MAX) << "the first row's content_id is an event id";
  EXPECT_EQ(ds.events.type[row], EventType::kShare) << "a retweet is a share";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[row]), "85d2d12251a735ce05255061f7f231e2") << "of object_id";
  EXPECT_EQ(ds.AccountId(ds.events.account[row]), "0fb4232d1b7b37069c13ee17579bd10e") << "by account_id";
  EXPECT_EQ(ds.events.time[row], 1623881091) << "timestamp_share is epoch seconds";
  EXPECT_EQ(ds.String(ds.accounts[ds.events.account[row]].platform), "twitter") << "CooRTweet's example is Twitter";
}

TEST(CoorTweetReader, GermanPostsCarryUrlHashtagAndDomainIds) {
  if (!std::filesystem::exists(kDir)) GTEST_SKIP() << kDir << " is absent (a fresh clone has no ../shared/data)";
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadCoorTweet({kDir + "german_elections.csv"}, {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Dataset& ds = *loaded;
  EXPECT_EQ(ds.events.size(), 218971u) << "218,971 posts";
  EXPECT_EQ(ds.accounts.size(), 58317u) << "by 58,317 accounts";
  size_t facebook = 0;
  for (const Account& a : ds.accounts) facebook += ds.String(a.platform) == "facebook";
  EXPECT_EQ(facebook, 21655u) << "fb_ accounts are facebook";
  EXPECT_EQ(ds.urls.size(), 11960u) << "one url per distinct url_id";
  const StringId post = ds.objects.Find("129235");
  size_t row = SIZE_MAX;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.event_id[i] == post) row = i;
  ASSERT_NE(row, SIZE_MAX) << "post_id 129235 of the first row";
  EXPECT_EQ(ds.events.type[row], EventType::kPost) << "a post";
  EXPECT_EQ(ds.AccountId(ds.events.account[row]), "fb_12670") << "account_id";
  ASSERT_EQ(ds.events.urls.Row(row).size(), 1u) << "url_id 23678";
  const StringId url = ds.events.urls.Row(row)[0];
  EXPECT_EQ(ds.urls.Get(url), "url:23678") << "url ids become url keys so co-link works";
  EXPECT_EQ(ds.domains.Get(ds.url_domain[url]), "domain:3498") << "whose domain is the row's domain_id";
  EXPECT_EQ(Extra(ds, static_cast<uint32_t>(row), "domain_id"), "3498") << "domain_id also kept as given";
  EXPECT_TRUE(ds.events.hashtags.Row(row).empty()) << "no hashtag_id in the row";
}

TEST(CoorTweetReader, MissingTimeColumnRejectsTheFile) {
  const auto dir = std::filesystem::temp_directory_path() / "lockstep_coortweet_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "t.csv").string();
  std::ofstream(path) << "object_id,account_id,content_id,timestamp_share\no1,a1,c1,1623881091\no1,a2,c2,soon\n";
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadCoorTweet({path}, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 1u) << "the row with 'soon' is rejected";
  ASSERT_NE(sink.first(), nullptr) << "and recorded";
  EXPECT_EQ(sink.first()->field, "timestamp_share") << "the error names the field";
  EXPECT_EQ(sink.first()->line, 3u) << "and the line";
}

// Every pool in id order and every event column: the fast path must build
// exactly the data set of the general path.
void ExpectSameDataset(const Dataset& fast, const Dataset& general) {
  auto same_pool = [](const Interner& a, const Interner& b, const char* name) {
    ASSERT_EQ(a.size(), b.size()) << name << " pool size";
    for (StringId i = 0; i < a.size(); ++i) ASSERT_EQ(a.Get(i), b.Get(i)) << name << " id " << i;
  };
  same_pool(fast.account_ids, general.account_ids, "account_ids");
  same_pool(fast.objects, general.objects, "objects");
  same_pool(fast.strings, general.strings, "strings");
  ASSERT_EQ(fast.accounts.size(), general.accounts.size()) << "accounts";
  for (size_t a = 0; a < fast.accounts.size(); ++a)
    EXPECT_EQ(fast.accounts[a].platform, general.accounts[a].platform) << "platform of account " << a;
  const Events &x = fast.events, &y = general.events;
  EXPECT_EQ(x.time, y.time) << "times, sorted stably";
  EXPECT_EQ(x.account, y.account);
  EXPECT_EQ(x.type, y.type);
  EXPECT_EQ(x.event_id, y.event_id);
  EXPECT_EQ(x.target_id, y.target_id);
  EXPECT_EQ(x.target_account, y.target_account);
  EXPECT_EQ(x.text_offsets, y.text_offsets);
  EXPECT_EQ(x.urls.offsets, y.urls.offsets);
  EXPECT_EQ(x.hashtags.offsets, y.hashtags.offsets);
  EXPECT_EQ(x.mentions.offsets, y.mentions.offsets);
  EXPECT_EQ(x.language, y.language);
  EXPECT_EQ(x.client, y.client);
  EXPECT_EQ(x.target_country, y.target_country);
  EXPECT_EQ(fast.event_extras.size(), general.event_extras.size()) << "extra columns";
}

void ExpectSameReport(const LoadReport& fast, const LoadReport& general) {
  EXPECT_EQ(fast.format, general.format);
  EXPECT_EQ(fast.bytes, general.bytes) << "decompressed bytes parsed";
  ASSERT_EQ(fast.files.size(), general.files.size());
  for (size_t i = 0; i < fast.files.size(); ++i) {
    EXPECT_EQ(fast.files[i].path, general.files[i].path);
    EXPECT_EQ(fast.files[i].rows_read, general.files[i].rows_read) << fast.files[i].path;
    EXPECT_EQ(fast.files[i].rows_loaded, general.files[i].rows_loaded) << fast.files[i].path;
    EXPECT_EQ(fast.files[i].rows_rejected, general.files[i].rows_rejected) << fast.files[i].path;
    EXPECT_EQ(fast.files[i].bytes, general.files[i].bytes) << fast.files[i].path;
  }
}

void ExpectFastPathMatches(const std::vector<std::string>& files) {
  ErrorSink fast_sink, general_sink;
  LoadReport fast_report, general_report;
  auto fast = LoadCoorTweet(files, {}, &fast_sink, &fast_report, true);
  auto general = LoadCoorTweet(files, {}, &general_sink, &general_report, false);
  ASSERT_EQ(fast.ok(), general.ok()) << (fast.ok() ? general.status().message() : fast.status().message());
  if (!fast.ok()) {
    EXPECT_EQ(fast.status().message(), general.status().message()) << "the same first error";
    return;
  }
  ExpectSameDataset(*fast, *general);
  ExpectSameReport(fast_report, general_report);
}

TEST(CoorTweetReader, FastPathBuildsTheGeneralPathsDatasetOnTheRussianTable) {
  if (!std::filesystem::exists(kDir)) GTEST_SKIP() << kDir << " is absent (a fresh clone has no ../shared/data)";
  // As shipped every cell is quoted, which the fast path leaves to the
  // general path. Unquoted (3.5 MB, one block whose lines two threads split
  // between them) it takes the fast path, and must build the same data set.
  ExpectFastPathMatches({kDir + "russian_coord_tweets.csv"});
  std::string plain = testing::ReadFile(kDir + "russian_coord_tweets.csv");
  std::erase(plain, '"');
  ASSERT_GT(plain.size(), size_t{1} << 20);
  testing::TempDir dir;
  testing::WriteFile(dir / "plain.csv", plain);
  ExpectFastPathMatches({dir / "plain.csv"});
}

TEST(CoorTweetReader, FastPathHandlesWhatThePlainFormAllows) {
  testing::TempDir dir;
  // Byte-order mark, columns in another order, CRLF line ends, blank lines,
  // an empty content id, times out of order with ties, a fractional and an
  // ISO time, a repeated object and account, no final line end; and a second
  // file that continues the first file's accounts and objects.
  const std::string a = dir / "a.csv", b = dir / "b.csv";
  testing::WriteFile(a,
                     "\xEF\xBB\xBFtimestamp_share,account_id,object_id,content_id\r\n"
                     "1623881091,acc1,o1,c1\r\n\r\n"
                     "1623881000,acc2,o1,\r\n"
                     "1623881091,acc3,o2,c3\r\n"
                     "\n"
                     "1623881000.5,acc1,o2,c4\r\n"
                     "2021-06-16T22:00:00Z,acc2,o1,c5");
  testing::WriteFile(b, "object_id,account_id,content_id,timestamp_share\no2,acc4,c6,1623881050\no1,acc1,c1,1623880010\n");
  ExpectFastPathMatches({a});
  ExpectFastPathMatches({a, b});
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadCoorTweet({a, b}, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 7u) << "five rows and two; blank lines are not rows";
  EXPECT_EQ(ds->events.time.front(), 1623880010) << "events sorted by time across files";
}

// A plain share table of `rows` rows: row i shares object i % objects by
// account i % accounts, with content id c<i>, at a time scattered by
// (i * stride) % spread seconds, so that times are out of order and tie.
std::string ShareTable(int rows, int objects, int accounts, int stride, int spread) {
  std::string table = "object_id,account_id,content_id,timestamp_share\n";
  for (int i = 0; i < rows; ++i)
    table += "o" + std::to_string(i % objects) + ",acc" + std::to_string(i % accounts) + ",c" + std::to_string(i) +
             "," + std::to_string(1623881000 + (i * stride) % spread) + "\n";
  return table;
}

// A gzip file is several times smaller on disk than its rows: the fast path
// starts with a buffer the size of the file and grows it as blocks come in
// full, and must build the general path's data set all the same.
TEST(CoorTweetReader, FastPathReadsACompressedTableLargerThanItsFile) {
  testing::TempDir dir;
  const std::string table = ShareTable(40000, 97, 1009, 7919, 86400);
  testing::WriteGzip(dir / "shares.csv.gz", table);
  ASSERT_LT(std::filesystem::file_size(dir / "shares.csv.gz") * 2, table.size());
  ExpectFastPathMatches({dir / "shares.csv.gz"});
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadCoorTweet({dir / "shares.csv.gz"}, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 40000u);
}

TEST(CoorTweetReader, RowsThePlainFormDoesNotCoverGoToTheGeneralPath) {
  testing::TempDir dir;
  const std::string header = "object_id,account_id,content_id,timestamp_share\n";
  // Each file has one thing the fast path leaves to the general path; the
  // result (data set, or first error) must be the general path's.
  const std::vector<std::string> bodies = {
      "\"o,1\",a1,c1,1623881091\no2,a2,c2,1623881092\n",  // a quoted cell holding a comma
      "o1,a1,c1,1623881091\no2,,c2,1623881092\n",          // an empty account
      "o1,a1,c1,1623881091\no2,a2,c2,soon\n",              // a bad time
      "o1,a1,c1,1623881091\no2,a2,c2\n",                   // a missing cell
      "o1,a1,c1,1623881091,x\n",                           // an extra cell
      "o1,a\rb,c1,1623881091\n",                           // a CR inside a cell
      "o1,a\xff,c1,1623881091\n",                          // invalid UTF-8
      "o1,a1,c1,1623881091\r",                             // a CR at the very end
  };
  for (size_t i = 0; i < bodies.size(); ++i) {
    SCOPED_TRACE("body " + std::to_string(i));
    const std::string path = dir / ("t" + std::to_string(i) + ".csv");
    testing::WriteFile(path, header + bodies[i]);
    ExpectFastPathMatches({path});
  }
  testing::WriteFile(dir / "extra.csv", "object_id,account_id,content_id,timestamp_share,lang\no1,a1,c1,1,en\n");
  ExpectFastPathMatches({dir / "extra.csv"});
  testing::WriteFile(dir / "empty.csv", "");
  ExpectFastPathMatches({dir / "empty.csv"});
}

// Loads `files` through the fast path without event ids (what lockstep
// network asks for) and through the general path with them.
void LoadWithAndWithoutEventIds(const std::vector<std::string>& files, Dataset* without, Dataset* with) {
  LoadOptions options;
  options.event_ids = false;
  ErrorSink sink, general_sink;
  LoadReport report, general_report;
  auto fast = LoadCoorTweet(files, options, &sink, &report, true);
  auto general = LoadCoorTweet(files, {}, &general_sink, &general_report, false);
  ASSERT_TRUE(fast.ok()) << fast.status().message();
  ASSERT_TRUE(general.ok()) << general.status().message();
  ExpectSameReport(report, general_report);
  *without = std::move(fast).value();
  *with = std::move(general).value();
}

TEST(CoorTweetReader, WithoutEventIdsTheFastPathKeepsEverythingElse) {
  testing::TempDir dir;
  // Unsorted times, a repeated object, account and content id, an empty
  // content id, and a second of 20 shares (more than the pairwise check
  // covers) by 20 accounts: no two rows share account, object and time.
  std::string body = "object_id,account_id,content_id,timestamp_share\n"
                     "o1,acc1,c1,1623881091\no2,acc2,,1623881000\no1,acc3,c1,1623881091\no3,acc1,c4,1623881000\n";
  for (int i = 0; i < 20; ++i) body += "o9,burst" + std::to_string(i) + ",c" + std::to_string(100 + i) + ",1623881050\n";
  const std::string path = dir / "plain.csv";
  testing::WriteFile(path, body);
  Dataset fast, general;
  LoadWithAndWithoutEventIds({path}, &fast, &general);
  const Events &x = fast.events, &y = general.events;
  ASSERT_EQ(x.size(), y.size()) << "every row is an event";
  EXPECT_EQ(x.time, y.time) << "times, sorted stably";
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(fast.AccountId(x.account[i]), general.AccountId(y.account[i])) << "account of event " << i;
    EXPECT_EQ(fast.objects.Get(x.target_id[i]), general.objects.Get(y.target_id[i])) << "target of event " << i;
    EXPECT_EQ(x.event_id[i], kNoString) << "event ids are not loaded: no two rows could be one message";
  }
  EXPECT_EQ(fast.objects.size(), 4u) << "the objects pool holds the four objects and no content ids";
  EXPECT_EQ(x.type, y.type);
  EXPECT_EQ(x.target_account, y.target_account);
  EXPECT_EQ(x.text_offsets, y.text_offsets);
  EXPECT_EQ(x.urls.offsets, y.urls.offsets);
  EXPECT_EQ(x.language, y.language);
  EXPECT_EQ(x.target_country, y.target_country);
  ASSERT_EQ(fast.accounts.size(), general.accounts.size());
  for (size_t a = 0; a < fast.accounts.size(); ++a)
    EXPECT_EQ(fast.String(fast.accounts[a].platform), "twitter") << "platform of account " << a;
}

// lockstep network's co-share load: the action columns as the general path
// gives them, the others left out, and the signals that would read those
// refuse the events instead of reading past their end.
TEST(CoorTweetReader, ActionColumnsOnlyKeepsWhatCoShareReads) {
  testing::TempDir dir;
  const std::string body = ShareTable(50, 7, 11, 37, 101);
  const std::string path = dir / "plain.csv";
  testing::WriteFile(path, body);
  LoadOptions lean;
  lean.action_columns_only = true;
  ErrorSink sink, general_sink;
  LoadReport report, general_report;
  auto fast = LoadCoorTweet({path}, lean, &sink, &report, true);
  auto general = LoadCoorTweet({path}, {}, &general_sink, &general_report, false);
  ASSERT_TRUE(fast.ok()) << fast.status().message();
  ASSERT_TRUE(general.ok()) << general.status().message();
  ExpectSameReport(report, general_report);
  const Events &x = fast->events, &y = general->events;
  ASSERT_EQ(x.size(), 50u);
  EXPECT_EQ(x.time, y.time);
  EXPECT_EQ(x.account, y.account);
  EXPECT_EQ(x.type, y.type);
  EXPECT_EQ(x.event_id, y.event_id);
  EXPECT_EQ(x.target_id, y.target_id);
  EXPECT_FALSE(x.complete());
  EXPECT_TRUE(y.complete());
  EXPECT_TRUE(x.target_account.empty() && x.language.empty() && x.client.empty() && x.target_country.empty())
      << "columns co-share does not read are not written";

  auto shares = ExtractObjectKeys(*fast, ObjectKeyKind::kShare);
  auto general_shares = ExtractObjectKeys(*general, ObjectKeyKind::kShare);
  ASSERT_TRUE(shares.ok() && general_shares.ok());
  ASSERT_EQ(shares->actions.size(), general_shares->actions.size());
  for (size_t i = 0; i < shares->actions.size(); ++i) {
    EXPECT_EQ(shares->actions[i].event, general_shares->actions[i].event) << i;
    EXPECT_EQ(shares->actions[i].key, general_shares->actions[i].key) << i;
  }
  auto links = ExtractObjectKeys(*fast, ObjectKeyKind::kLink);
  ASSERT_FALSE(links.ok()) << "co-link needs the URL lists";
  EXPECT_EQ(links.status().code(), StatusCode::kInvalidArgument);
  NearDuplicateText texts(*fast, {});
  EXPECT_EQ(texts.Run().code(), StatusCode::kInvalidArgument) << "near-duplicate text needs the text";
}

TEST(CoorTweetReader, RowsThatMayRepeatAMessageKeepTheirEventIds) {
  testing::TempDir dir;
  // Two rows share account, object and time: only their content ids tell
  // whether they are one message listed twice, so the ids must be loaded,
  // and the data set is the general path's. Once among a few rows of one
  // second, once among 20.
  std::string burst = "object_id,account_id,content_id,timestamp_share\n";
  for (int i = 0; i < 20; ++i) burst += "o9,burst" + std::to_string(i % 19) + ",c" + std::to_string(i) + ",1623881050\n";
  const std::vector<std::string> bodies = {
      "object_id,account_id,content_id,timestamp_share\no1,acc1,c1,1623881091\no2,acc2,c2,1623881000\n"
      "o1,acc1,c1,1623881091\n",
      burst,
  };
  for (size_t i = 0; i < bodies.size(); ++i) {
    SCOPED_TRACE("body " + std::to_string(i));
    const std::string path = dir / ("t" + std::to_string(i) + ".csv");
    testing::WriteFile(path, bodies[i]);
    Dataset fast, general;
    LoadWithAndWithoutEventIds({path}, &fast, &general);
    ExpectSameDataset(fast, general);
  }
}

}  // namespace
}  // namespace lockstep
