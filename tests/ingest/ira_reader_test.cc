#include "lockstep/ingest/ira_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "lockstep/ingest/load.h"

namespace lockstep {
namespace {

const std::string kDev = std::string(LOCKSTEP_SHARED_DATA) + "/ira_dev";

std::string WriteTemp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "lockstep_ira_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

std::string Extra(const Dataset& ds, const std::vector<ExtraAttribute>& extras, uint32_t row, std::string_view column) {
  for (const ExtraAttribute& x : extras)
    if (x.row == row && ds.strings.Get(x.column) == column) return std::string(ds.strings.Get(x.value));
  return "";
}

std::vector<std::string> Items(const ListColumn& list, const Interner& pool, size_t row) {
  std::vector<std::string> out;
  for (uint32_t id : list.Row(row)) out.emplace_back(pool.Get(id));
  return out;
}

const char* kFiveThirtyEightHeader =
    "external_author_id,author,content,region,language,publish_date,harvested_date,following,followers,updates,"
    "post_type,account_type,retweet,account_category,new_june_2018,alt_external_id,tweet_id,article_url,tco1_step1,"
    "tco2_step1,tco3_step1\n";

TEST(IraReader, LoadsTheDevelopmentHalfWithCountsOfTheFiles) {
  if (!std::filesystem::exists(kDev)) GTEST_SKIP() << kDev << " is absent (a fresh clone has no ../shared/data)";
  ErrorSink sink(ErrorPolicy::kFail);
  LoadReport report;
  auto ds = LoadDataset(kDev, "auto", {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(report.format, "ira") << "the directory's headers name the IRA reader";
  EXPECT_EQ(report.rows_read(), 591509u + 693u) << "tweets.csv.zst has 591,509 rows, authors.csv 693";
  EXPECT_EQ(report.rows_rejected(), 0u) << "the release's rows are all well-formed";
  // 693 authors in authors.csv plus 6 tweet authors the by-author copy split
  // by external id (e.g. MeggieONeil1625965398), which authors.csv lacks.
  EXPECT_EQ(ds->num_accounts(), 699u) << "699 distinct author_id values in tweets.csv.zst";
  ASSERT_EQ(ds->events.size(), 591509u) << "one event per tweet";
  size_t posts = 0, shares = 0, shares_without_target = 0, quotes = 0, off_minute = 0;
  for (size_t i = 0; i < ds->events.size(); ++i) {
    if (ds->events.type[i] == EventType::kPost) ++posts;
    if (ds->events.type[i] == EventType::kShare) {
      ++shares;
      if (ds->events.target_id[i] == kNoString && !ds->events.Text(i).empty()) ++shares_without_target;
    }
    if (ds->events.time[i] % 60 != 0) ++off_minute;
  }
  for (const ExtraAttribute& x : ds->event_extras)
    if (ds->strings.Get(x.column) == "post_type") ++quotes;
  EXPECT_EQ(posts, 315543u + 8077u) << "originals (post_type empty) and quotes (Q) are posts";
  EXPECT_EQ(shares, 267889u) << "retweets (post_type R) are shares";
  EXPECT_EQ(shares_without_target, shares) << "a retweet has no target id but keeps the retweeted text";
  EXPECT_EQ(quotes, 8077u) << "quotes keep post_type as an extra";
  EXPECT_EQ(off_minute, 0u) << "the release's times have minute resolution";
  EXPECT_EQ(FormatTime(ds->events.time.front()), "2012-07-09T12:16:00Z") << "the earliest publish_date";
  EXPECT_EQ(FormatTime(ds->events.time.back()), "2018-04-25T09:45:00Z") << "the latest publish_date";
  for (std::string_view label : {"RightTroll", "LeftTroll", "NonEnglish", "HashtagGamer", "Hashtager", "Koch"})
    EXPECT_EQ(ds->strings.Find(label), kNoString) << label << ": ground truth must never reach the data set";
  for (const ExtraAttribute& x : ds->account_extras)
    EXPECT_NE(ds->strings.Get(x.column), "account_category") << "the labels are withheld";
}

TEST(IraReader, MapsFiveThirtyEightRowsOntoTheModelWithoutTheLabels) {
  const std::string path = WriteTemp(
      "IRAhandle_tweets_1.csv",
      std::string(kFiveThirtyEightHeader) +
          "906000000000000000,10_GOP,\"\"\"We have\"\" #BoycottNFL @nedryun https://t.co/gh6g0D1oiC\",Unknown,English,"
          "10/1/2017 19:58,10/1/2017 19:59,1052,9636,253,,Right,0,RightTroll,0,905874659358453760,914580356430536707,"
          "http://twitter.com/905874659358453760/statuses/914580356430536707,https://e.example/video/1,,\n"
          "906000000000000000,10_GOP,Daughter of fallen sailor #BoycottNFL https://t.co/qDlFBGMeag,United States,"
          "English,10/1/2017 22:50,10/1/2017 22:50,1054,9637,255,RETWEET,Right,1,RightTroll,0,905874659358453760,"
          "914623490375979008,,,,\n");
  ErrorSink sink(ErrorPolicy::kFail);
  LoadReport report;
  auto ds = LoadDataset(path, "auto", {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(report.format, "ira") << "FiveThirtyEight's header is recognised";
  ASSERT_EQ(ds->events.size(), 2u);
  ASSERT_EQ(ds->num_accounts(), 1u) << "both rows are 10_GOP's";
  EXPECT_EQ(ds->AccountId(0), "10_GOP") << "the author's handle is the account id";
  EXPECT_EQ(ds->accounts[0].followers, 9637) << "the profile of the latest tweet";
  EXPECT_EQ(ds->String(ds->accounts[0].claimed_location), "United States") << "region of the latest tweet";
  EXPECT_EQ(Extra(*ds, ds->account_extras, 0, "external_author_id"), "906000000000000000");
  EXPECT_EQ(FormatTime(ds->events.time[0]), "2017-10-01T19:58:00Z") << "month-first date, UTC";
  EXPECT_EQ(ds->events.type[0], EventType::kPost);
  EXPECT_EQ(ds->objects.Get(ds->events.event_id[0]), "914580356430536707") << "tweet_id is the event id";
  EXPECT_EQ(Items(ds->events.hashtags, ds->hashtags, 0), std::vector<std::string>{"BoycottNFL"});
  EXPECT_EQ(Items(ds->events.mentions, ds->mentions, 0), std::vector<std::string>{"nedryun"});
  EXPECT_EQ(Items(ds->events.urls, ds->urls, 0),
            (std::vector<std::string>{"https://t.co/gh6g0D1oiC", "https://e.example/video/1"}))
      << "the text's link, then the expanded tco1_step1";
  EXPECT_EQ(Extra(*ds, ds->event_extras, 0, "harvested_date"), "10/1/2017 19:59") << "kept where it differs";
  EXPECT_EQ(ds->events.type[1], EventType::kShare) << "a RETWEET is a share";
  EXPECT_EQ(ds->events.target_id[1], kNoString) << "the release has no id of the retweeted tweet";
  EXPECT_EQ(ds->events.Text(1), "Daughter of fallen sailor #BoycottNFL https://t.co/qDlFBGMeag")
      << "the retweeted text, for keying the share by content";
  EXPECT_EQ(ds->strings.Find("RightTroll"), kNoString) << "account_category is withheld";
  EXPECT_EQ(ds->strings.Find("Right"), kNoString) << "account_type is withheld";
}

TEST(IraReader, ByAuthorLayoutReadsOnlyHandlesFromTheAuthorsFile) {
  const auto dir = std::filesystem::temp_directory_path() / "lockstep_ira_test" / "by_author";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "authors.csv")
      << "author_id,author,external_author_id,account_type,account_category,new_june_2018,congress_2017_id,"
         "in_congress_2017,in_congress_2018\nAnna,Anna,123,Russian,NonEnglish,0,123,1,1\n";
  std::ofstream(dir / "tweets.csv")
      << "author_id,content,region,language,publish_date,harvested_date,following,followers,updates,post_type,retweet\n"
         "Anna,#Россия важно…,Unknown,Russian,2016-05-01 10:00:00,2016-05-01 10:00:00,5,7,1,,0\n"
         "Anna,my comment https://t.co/x,Unknown,Russian,2016-05-01 10:01:00,2016-05-01 10:01:00,5,7,2,Q,1\n";
  ErrorSink sink(ErrorPolicy::kFail);
  LoadReport report;
  auto ds = LoadDataset(dir.string(), "ira", {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  ASSERT_EQ(ds->events.size(), 2u);
  EXPECT_EQ(Items(ds->events.hashtags, ds->hashtags, 0), std::vector<std::string>{"Россия"})
      << "a Cyrillic tag ends at the ellipsis";
  EXPECT_EQ(ds->events.type[1], EventType::kPost) << "a quote (Q) is a post, though retweet is 1";
  EXPECT_EQ(Extra(*ds, ds->event_extras, 1, "post_type"), "Q");
  EXPECT_EQ(ds->String(ds->accounts[0].handle), "Anna");
  EXPECT_EQ(Extra(*ds, ds->account_extras, 0, "external_author_id"), "123") << "from the authors file";
  EXPECT_EQ(ds->strings.Find("NonEnglish"), kNoString) << "account_category is withheld";
  EXPECT_EQ(ds->strings.Find("Russian"), ds->events.language[0]) << "only the tweets' language says Russian";
}

TEST(IraReader, BadRowsNameFileLineAndField) {
  struct Case {
    std::string row, field;
  };
  const std::vector<Case> cases = {
      {"1,a,text,Unknown,English,2017-13-45 10:00,,1,1,1,,Right,0,RightTroll,0,1,5,,,,", "publish_date"},
      {"1,a,text,Unknown,English,10/1/2017 19:58,,1,1,1,REPLY,Right,0,RightTroll,0,1,5,,,,", "post_type"},
      {"1,a,text,Unknown,English,10/1/2017 19:58,,1,many,1,,Right,0,RightTroll,0,1,5,,,,", "followers"},
      {"1,a,text,Unknown,English,10/1/2017 19:58,,1,1,1,,Right,maybe,RightTroll,0,1,5,,,,", "retweet"},
      {"1,a,text,Unknown,English,10/1/2017 19:58,,1,1,1,,Right,0,RightTroll,0,1,4,,,,", "tweet_id"},
  };
  for (const Case& c : cases) {
    const std::string path = WriteTemp(
        "bad.csv", fmt::format("{}1,a,text,Unknown,English,10/1/2017 19:58,,1,1,1,,Right,0,RightTroll,0,1,4,,,,\n{}\n",
                               kFiveThirtyEightHeader, c.row));
    ErrorSink sink(ErrorPolicy::kFail);
    LoadReport report;
    auto ds = LoadIraTweets({path}, "", {}, &sink, &report);
    ASSERT_FALSE(ds.ok()) << c.field << ": the default policy stops at a bad row";
    ASSERT_NE(sink.first(), nullptr);
    EXPECT_EQ(sink.first()->file, path) << c.field;
    EXPECT_EQ(sink.first()->line, 3u) << c.field << ": the second data row is line 3";
    EXPECT_EQ(sink.first()->field, c.field) << "the message names the bad field";
    EXPECT_FALSE(sink.first()->fix.empty()) << c.field << ": every error says how to fix it";
  }
}

}  // namespace
}  // namespace lockstep
