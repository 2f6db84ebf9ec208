#include "lockstep/ingest/twitter_io_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "lockstep/ingest/load.h"

namespace lockstep {
namespace {

const std::string kSample =
    std::string(LOCKSTEP_SHARED_DATA) + "/twitter_io_sample/io_archive_russia_2019_first1000lines.csv";

#define SKIP_WITHOUT_SHARED_DATA()                                                                   \
  if (!std::filesystem::exists(kSample))                                                             \
  GTEST_SKIP() << kSample << " is absent (a fresh clone has no ../shared/data); real-data test skipped"

size_t EventRow(const Dataset& ds, std::string_view id) {
  const StringId o = ds.objects.Find(id);
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.event_id[i] == o) return i;
  return SIZE_MAX;
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

const Account& AccountById(const Dataset& ds, std::string_view id) {
  static const Account kNone;
  const StringId a = ds.account_ids.Find(id);
  return a != kNoString && ds.IsAccount(a) ? ds.accounts[a] : kNone;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "lockstep_twitter_io_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

const char* kHeader =
    "tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,"
    "user_profile_url,follower_count,following_count,account_creation_date,account_language,tweet_language,"
    "tweet_text,tweet_time,tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,is_retweet,"
    "retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,retweet_count,hashtags,urls,"
    "user_mentions,poll_choices\n";

TEST(TwitterIoReader, SkipLoadsAllCompleteTweetsOfTheSample) {
  SKIP_WITHOUT_SHARED_DATA();
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadTwitterIoArchive({kSample}, "", {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 407u) << "the sample holds 407 complete tweets";
  EXPECT_EQ(ds->accounts.size(), 86u) << "by 86 users, derived from the tweets (no users file)";
  ASSERT_EQ(report.files.size(), 1u) << "one file read";
  EXPECT_EQ(report.files[0].rows_read, 408u) << "407 tweets and the truncated record";
  EXPECT_EQ(report.files[0].rows_rejected, 1u) << "the truncated record is rejected, not dropped silently";
  EXPECT_EQ(report.files[0].rows_loaded + report.files[0].rows_rejected, report.files[0].rows_read)
      << "rows read = loaded + rejected";
  EXPECT_EQ(sink.count(InputErrorKind::kUnterminatedQuote), 1u) << "the cut-off record is an unterminated quote";
}

TEST(TwitterIoReader, FailReportsTheTruncatedRecordAtItsLine) {
  SKIP_WITHOUT_SHARED_DATA();
  ErrorSink sink(ErrorPolicy::kFail);
  LoadReport report;
  auto ds = LoadDataset(kSample, "twitter_io", {}, &sink, &report);
  ASSERT_FALSE(ds.ok()) << "under fail, the truncated record stops the load";
  EXPECT_EQ(ds.status().code(), StatusCode::kInputError) << "bad input is an InputError status";
  ASSERT_NE(sink.first(), nullptr) << "the error is recorded";
  EXPECT_EQ(sink.first()->kind, InputErrorKind::kUnterminatedQuote) << "the file ends inside a quoted field";
  EXPECT_EQ(sink.first()->line, 998u) << "the last record starts on physical line 998 (of 1000)";
  EXPECT_EQ(sink.first()->byte_offset, 253017u) << "at byte 253017";
  EXPECT_EQ(sink.first()->file, kSample) << "the error names the file";
}

TEST(TwitterIoReader, MapsColumnsOntoTheModel) {
  SKIP_WITHOUT_SHARED_DATA();
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto loaded = LoadTwitterIoArchive({kSample}, "", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Dataset& ds = *loaded;

  const size_t post = EventRow(ds, "894109669869985793");
  ASSERT_NE(post, SIZE_MAX) << "the first tweet of the file is loaded";
  EXPECT_EQ(ds.events.type[post], EventType::kPost) << "not a retweet, reply or quote";
  EXPECT_EQ(ds.AccountId(ds.events.account[post]), "4125840934") << "userid is the actor";
  EXPECT_EQ(FormatTime(ds.events.time[post]), "2017-08-06T08:15:00Z") << "tweet_time 'YYYY-MM-DD HH:MM' is UTC";
  EXPECT_EQ(Items(ds.events.hashtags, ds.hashtags, post), (std::vector<std::string>{"SyrianArmy", "Hama", "InsideSyriaMC"}))
      << "hashtags is a Python-style list";
  EXPECT_EQ(Items(ds.events.urls, ds.urls, post),
            std::vector<std::string>{"http://en.insidesyriamc.com/2017/08/06/new-convoy-of-syrian-army-arrived-in-hama/"})
      << "urls is a Python-style list of expanded URLs";
  EXPECT_EQ(ds.String(ds.events.language[post]), "en") << "tweet_language";
  EXPECT_EQ(ds.String(ds.events.client[post]), "WordPress.com") << "tweet_client_name is the client";
  EXPECT_EQ(Extra(ds, ds.event_extras, post, "latitude"), "") << "'absent' coordinates are missing, not text";
  EXPECT_EQ(Extra(ds, ds.event_extras, post, "like_count"), "0") << "counts are kept as extra attributes";

  const Account& a = AccountById(ds, "4125840934");
  EXPECT_EQ(ds.String(a.handle), "Inside_Syria") << "user_screen_name is the handle";
  EXPECT_EQ(ds.String(a.display_name), "Inside Syria MC") << "user_display_name";
  EXPECT_EQ(ds.String(a.claimed_location), "Syria") << "user_reported_location is the claimed location";
  EXPECT_EQ(a.followers, 19816) << "follower_count";
  EXPECT_EQ(a.following, 808) << "following_count";
  EXPECT_EQ(FormatTime(a.created_at), "2015-11-06T00:00:00Z") << "account_creation_date is a date";
  EXPECT_EQ(ds.String(a.language), "en") << "account_language";
  EXPECT_EQ(ds.String(a.platform), "twitter") << "the archive is Twitter's";

  const size_t rt = EventRow(ds, "580819440469602304");
  ASSERT_NE(rt, SIZE_MAX) << "a retweet of the sample is loaded";
  EXPECT_EQ(ds.events.type[rt], EventType::kShare) << "is_retweet true is a share";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[rt]), "580819071475826688") << "target is retweet_tweetid";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[rt]), "16307778") << "target account is retweet_userid";
  EXPECT_FALSE(ds.IsAccount(ds.events.target_account[rt])) << "a retweeted user with no tweets is a target-only id";

  const size_t quote = EventRow(ds, "846188781770190848");
  ASSERT_NE(quote, SIZE_MAX) << "a quote of the sample is loaded";
  EXPECT_EQ(ds.events.type[quote], EventType::kPost) << "a quote is a post";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[quote]), "845289993622872064") << "whose target is the quoted tweet";

  const size_t mention = EventRow(ds, "820599201495187456");
  ASSERT_NE(mention, SIZE_MAX) << "a tweet with a mention is loaded";
  EXPECT_EQ(Items(ds.events.mentions, ds.mentions, mention), std::vector<std::string>{"2876420003"})
      << "user_mentions holds user ids";
}

TEST(TwitterIoReader, ReplyIsACommentAndLatestTweetGivesTheProfile) {
  const std::string path = WriteTemp(
      "tweets.csv",
      std::string(kHeader) +
          "1,u1,Old Name,old,Paris,d,,10,5,2015-01-01,fr,fr,hello,2018-01-01 10:00,Web,,,,false,,,absent,absent,0,0,0,0,[],[],[],\n"
          "2,u1,New Name,new,Lyon,d,,20,6,2015-01-01,fr,fr,@x hi,2019-01-01 10:00,Web,u9,99,,false,,,48.85,2.35,0,0,0,0,"
          "\"['a']\",[],\"['u9']\",\n"
          "3,u1,Middle,mid,Nice,d,,15,5,2015-01-01,fr,fr,mid,2018-06-01 10:00,Web,,,,false,,,absent,absent,0,0,0,0,[],[],[],\n");
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadTwitterIoArchive({path}, "", {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  ASSERT_EQ(ds->accounts.size(), 1u) << "one user";
  const Account& a = ds->accounts[0];
  EXPECT_EQ(ds->String(a.handle), "new") << "the latest tweet's (2019) screen name wins, not the last row's";
  EXPECT_EQ(a.followers, 20) << "and its follower count";
  const size_t reply = EventRow(*ds, "2");
  EXPECT_EQ(ds->events.type[reply], EventType::kComment) << "in_reply_to_tweetid makes a comment";
  EXPECT_EQ(ds->objects.Get(ds->events.target_id[reply]), "99") << "on the tweet replied to";
  EXPECT_EQ(ds->AccountId(ds->events.target_account[reply]), "u9") << "by in_reply_to_userid";
  EXPECT_EQ(Extra(*ds, ds->event_extras, reply, "latitude"), "48.85") << "given coordinates are kept";
}

TEST(TwitterIoReader, UsersFileIsAuthoritativeAndBadRowsNameTheirField) {
  const std::string users = WriteTemp(
      "users.csv",
      "userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,user_profile_url,"
      "follower_count,following_count,account_creation_date,account_language\n"
      "u1,From Users,fromusers,Rome,desc,https://t.co/x,100,50,2014-02-03,it\n"
      "u2,Silent,silent,,,,1,1,2014-02-03,it\n");
  const std::string tweets = WriteTemp(
      "tweets2.csv", std::string(kHeader) +
                         "1,u1,Tweet Name,tw,Paris,d,,10,5,2015-01-01,fr,fr,hello,2018-01-01 10:00,Web,,,,false,,,absent,"
                         "absent,0,0,0,0,[],[],[],\n"
                         "2,u1,Tweet Name,tw,Paris,d,,10,5,2015-01-01,fr,fr,hello,yesterday,Web,,,,false,,,absent,"
                         "absent,0,0,0,0,[],[],[],\n"
                         "3,u3,Only Tweets,only,,d,,-4,5,2015-01-01,fr,fr,hi,2018-01-02 10:00,Web,,,,false,,,absent,"
                         "absent,0,0,0,0,[],[],[],\n");
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadTwitterIoArchive({tweets}, users, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 1u) << "the tweets with a bad time and a negative count are rejected";
  EXPECT_EQ(ds->accounts.size(), 2u) << "both users of the users file are accounts, even one without tweets";
  EXPECT_EQ(ds->String(AccountById(*ds, "u1").handle), "fromusers") << "the users file wins over tweet columns";
  EXPECT_EQ(Extra(*ds, ds->account_extras, ds->account_ids.Find("u1"), "user_profile_url"), "https://t.co/x")
      << "user_profile_url is an account attribute";
  ASSERT_EQ(sink.samples().size(), 2u) << "two rows rejected";
  EXPECT_EQ(sink.samples()[0].kind, InputErrorKind::kBadTime) << "'yesterday' is not a time";
  EXPECT_EQ(sink.samples()[0].field, "tweet_time") << "the error names the field";
  EXPECT_EQ(sink.samples()[0].line, 3u) << "and the line";
  EXPECT_EQ(sink.samples()[1].kind, InputErrorKind::kNegativeValue) << "-4 followers";
  EXPECT_EQ(sink.samples()[1].field, "follower_count") << "named by its column";
  ASSERT_EQ(report.files.size(), 2u) << "users and tweets files are both accounted for";
  EXPECT_EQ(report.files[1].rows_read, 3u) << "three tweets read";
  EXPECT_EQ(report.files[1].rows_rejected, 2u) << "two rejected";
}

TEST(TwitterIoReader, CliIngestsTheSampleWithTheNamedFormat) {
  SKIP_WITHOUT_SHARED_DATA();
  auto run = [](const std::string& args, std::string* out) {
    std::FILE* pipe = ::popen((std::string(LOCKSTEP_CLI) + " ingest " + args + " 2>&1").c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out->append(buf, n);
    return WEXITSTATUS(::pclose(pipe));
  };
  std::string out;
  EXPECT_EQ(run("--format twitter_io " + kSample, &out), 2) << "bad input exits 2 under fail: " << out;
  EXPECT_NE(out.find(":998 (byte 253017): unterminated_quote"), std::string::npos)
      << "the message names line and byte of the truncated record: " << out;
  out.clear();
  EXPECT_EQ(run("--format twitter_io --on-error skip " + kSample, &out), 0) << "skip loads the rest: " << out;
  EXPECT_NE(out.find("events: 407"), std::string::npos) << "407 tweets: " << out;
  EXPECT_NE(out.find("accounts: 86"), std::string::npos) << "86 users: " << out;
  out.clear();
  EXPECT_EQ(run("--on-error skip " + std::filesystem::path(kSample).parent_path().string(), &out), 0)
      << "auto detects the archive in a directory from its header: " << out;
  EXPECT_NE(out.find("format: twitter_io"), std::string::npos) << out;
}

}  // namespace
}  // namespace lockstep
