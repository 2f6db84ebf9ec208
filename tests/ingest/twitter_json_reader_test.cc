#include "lockstep/ingest/twitter_json_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace lockstep {
namespace {

const std::string kDir = std::string(LOCKSTEP_SOURCE_DIR) + "/tests/data/ingest/twitter_json/";

size_t EventRow(const Dataset& ds, std::string_view id) {
  const StringId o = ds.objects.Find(id);
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.event_id[i] == o) return i;
  return SIZE_MAX;
}

std::vector<std::string> Items(const ListColumn& list, const Interner& pool, size_t row) {
  std::vector<std::string> out;
  for (uint32_t id : list.Row(row)) out.emplace_back(pool.Get(id));
  return out;
}

std::string Extra(const Dataset& ds, const std::vector<ExtraAttribute>& extras, uint32_t row, std::string_view column) {
  for (const ExtraAttribute& x : extras)
    if (x.row == row && ds.strings.Get(x.column) == column) return std::string(ds.strings.Get(x.value));
  return "";
}

const Account& AccountById(const Dataset& ds, std::string_view id) {
  static const Account kNone;
  const StringId a = ds.account_ids.Find(id);
  return a != kNoString && ds.IsAccount(a) ? ds.accounts[a] : kNone;
}

Dataset Load(const std::vector<std::string>& files, ErrorSink* sink, LoadReport* report) {
  auto ds = LoadTwitterJson(files, {}, sink, report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return ds.ok() ? std::move(ds).value() : Dataset();
}

TEST(TwitterJsonReader, V1TweetsRetweetsRepliesAndQuotes) {
  ErrorSink sink;
  LoadReport report;
  const Dataset ds = Load({kDir + "v1.jsonl"}, &sink, &report);
  EXPECT_EQ(ds.events.size(), 4u) << "four tweets; the delete notice adds none";
  EXPECT_EQ(report.files.at(0).rows_read, 5u) << "five non-blank lines read";
  EXPECT_EQ(report.files.at(0).rows_loaded, 5u) << "the delete notice is a loaded line that carries no tweet";

  const size_t post = EventRow(ds, "1050118621198921728");
  ASSERT_NE(post, SIZE_MAX) << "the first tweet is an event";
  EXPECT_EQ(FormatTime(ds.events.time[post]), "2018-10-10T20:19:24Z") << "v1.1 created_at is parsed in the reader";
  EXPECT_EQ(ds.events.type[post], EventType::kPost) << "a plain tweet";
  EXPECT_EQ(Items(ds.events.urls, ds.urls, post), std::vector<std::string>{"https://example.org/story?id=1"})
      << "urls are the expanded URLs, not t.co";
  EXPECT_EQ(Items(ds.events.hashtags, ds.hashtags, post), std::vector<std::string>{"OpInfo"}) << "hashtag text";
  EXPECT_EQ(Items(ds.events.mentions, ds.mentions, post), std::vector<std::string>{"222"}) << "mentions are user ids";
  EXPECT_EQ(ds.String(ds.events.client[post]), "Twitter for iPhone") << "source without its HTML";
  EXPECT_EQ(Extra(ds, ds.event_extras, post, "place_country_code"), "DE") << "place is kept as attributes";
  EXPECT_EQ(Extra(ds, ds.event_extras, post, "favorite_count"), "5") << "counts are kept as attributes";

  const size_t rt = EventRow(ds, "1050120000000000001");
  ASSERT_NE(rt, SIZE_MAX) << "the retweet is an event";
  EXPECT_EQ(ds.events.type[rt], EventType::kShare) << "retweeted_status makes a share";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[rt]), "1050118621198921728") << "of the original tweet";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[rt]), "111") << "by its author";

  const size_t reply = EventRow(ds, "1050130000000000002");
  EXPECT_EQ(ds.events.type[reply], EventType::kComment) << "in_reply_to_status_id_str makes a comment";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[reply]), "111") << "on in_reply_to_user_id_str's tweet";

  const size_t quote = EventRow(ds, "1050140000000000003");
  EXPECT_EQ(ds.events.type[quote], EventType::kPost) << "a quote is a post";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[quote]), "999") << "whose target is the quoted tweet";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[quote]), "444") << "by the quoted author";
  EXPECT_EQ(ds.events.Text(quote), "Look at this, the whole long text #Longer https://t.co/x")
      << "extended_tweet.full_text replaces the truncated text";
  EXPECT_EQ(Items(ds.events.hashtags, ds.hashtags, quote), std::vector<std::string>{"Longer"})
      << "entities come from extended_tweet";

  EXPECT_EQ(ds.accounts.size(), 4u) << "authors and the authors of retweeted and quoted tweets are accounts";
  const Account& alice = AccountById(ds, "111");
  EXPECT_EQ(ds.String(alice.display_name), "Alice Again")
      << "the copy attached to the latest tweet (the retweet, 20:25) wins over the 20:19 one";
  EXPECT_EQ(alice.followers, 125) << "followers_count of that copy";
  EXPECT_EQ(FormatTime(AccountById(ds, "222").created_at), "2015-02-03T09:00:00Z") << "user created_at";
  EXPECT_EQ(ds.String(AccountById(ds, "333").handle), "carol_new") << "carol's latest tweet names her carol_new";
}

TEST(TwitterJsonReader, V2PagesAndFlattenedTweets) {
  ErrorSink sink;
  LoadReport report;
  const Dataset ds = Load({kDir + "v2_pages.jsonl", kDir + "v2_flat.jsonl"}, &sink, &report);
  EXPECT_EQ(ds.events.size(), 4u) << "three tweets in two pages, one flattened; included tweets are not events";
  const size_t rt = EventRow(ds, "1500000000000000001");
  ASSERT_NE(rt, SIZE_MAX) << "the retweet of the first page";
  EXPECT_EQ(ds.events.type[rt], EventType::kShare) << "referenced_tweets type retweeted";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[rt]), "600") << "author from includes.tweets";
  EXPECT_EQ(Items(ds.events.urls, ds.urls, rt), std::vector<std::string>{"https://peace.example.net/talks"})
      << "entities.urls expanded_url";
  EXPECT_EQ(Items(ds.events.hashtags, ds.hashtags, rt), std::vector<std::string>{"Peace"}) << "entities.hashtags tag";
  EXPECT_EQ(Extra(ds, ds.event_extras, rt, "retweet_count"), "7") << "public_metrics kept";
  const size_t reply = EventRow(ds, "1500000000000000002");
  EXPECT_EQ(ds.events.type[reply], EventType::kComment) << "replied_to";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[reply]), "600") << "in_reply_to_user_id";
  const size_t quote = EventRow(ds, "1500000000000000003");
  EXPECT_EQ(ds.events.type[quote], EventType::kPost) << "quoted is a post";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[quote]), "1499999999999999999") << "targeting the quoted tweet";
  const Account& u = AccountById(ds, "501");
  EXPECT_EQ(ds.String(u.handle), "rt_user_renamed") << "the second page's copy goes with a later tweet";
  EXPECT_EQ(u.followers, 4) << "public_metrics.followers_count of that copy";
  EXPECT_EQ(AccountById(ds, "600").followers, 100000) << "referenced authors in includes.users are accounts";
  const size_t flat = EventRow(ds, "1600000000000000001");
  ASSERT_NE(flat, SIZE_MAX) << "the flattened tweet";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[flat]), "702") << "author_id of the embedded referenced tweet";
  EXPECT_EQ(ds.String(AccountById(ds, "701").handle), "flat") << "the embedded author is an account";
  EXPECT_EQ(AccountById(ds, "701").following, 34) << "with its public_metrics";
}

TEST(TwitterJsonReader, BadTweetRejectsItsPageAndNamesTheTweet) {
  const auto dir = std::filesystem::temp_directory_path() / "lockstep_twitter_json_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "bad.jsonl").string();
  std::ofstream(path)
      << R"({"data":[{"id":"1","author_id":"9","created_at":"2022-01-01T00:00:00Z","text":"ok"},{"id":"2","author_id":"9","created_at":"last tuesday","text":"bad"}]})"
      << "\n"
      << R"({"id":"3","author_id":"9","created_at":"2022-01-02T00:00:00Z","text":"fine"})" << "\n"
      << R"({"id":"3","author_id":"9","created_at":"2022-01-02T00:00:00Z","text":"again"})" << "\n"
      << "{not json\n";
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadTwitterJson({path}, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(ds->events.size(), 1u) << "the page with a bad tweet is rejected whole; the duplicate and bad JSON too";
  EXPECT_EQ(report.files.at(0).rows_read, 4u) << "four lines";
  EXPECT_EQ(report.files.at(0).rows_rejected, 3u) << "three rejected";
  ASSERT_GE(sink.samples().size(), 3u) << "each rejection recorded";
  EXPECT_EQ(sink.samples()[0].kind, InputErrorKind::kBadTime) << "the bad created_at";
  EXPECT_EQ(sink.samples()[0].field, "data[1].created_at") << "named by its place in the page";
  EXPECT_EQ(sink.samples()[0].line, 1u) << "on line 1";
  EXPECT_EQ(sink.count(InputErrorKind::kDuplicateId), 1u) << "tweet 3 appears twice";
  EXPECT_EQ(sink.count(InputErrorKind::kBadJson), 1u) << "the last line is not JSON";
}

TEST(TwitterJsonReader, DetectsTheFormsFromTheFirstLine) {
  EXPECT_TRUE(IsTwitterJsonLine(R"({"created_at":"x","id_str":"1","user":{}})")) << "v1.1";
  EXPECT_TRUE(IsTwitterJsonLine(R"({"data":[{"author_id":"1"}],"includes":{}})")) << "v2 page";
  EXPECT_TRUE(IsTwitterJsonLine(R"({"id":"1","author_id":"2","created_at":"x"})")) << "flattened v2";
  EXPECT_FALSE(IsTwitterJsonLine(R"({"account_id":"1","time":"x"})")) << "lockstep JSONL is not Twitter JSON";
}

}  // namespace
}  // namespace lockstep
