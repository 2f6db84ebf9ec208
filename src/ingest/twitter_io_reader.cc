#include "lockstep/ingest/twitter_io_reader.h"

#include <algorithm>
#include <unordered_set>

#include "ingest/reader_support.h"

namespace lockstep {

namespace {

using internal::AccountFields;
using internal::Clip;
using internal::DatasetBuilder;
using internal::EventFields;
using internal::FieldReader;

bool Has(const std::vector<std::string>& header, std::string_view column) {
  return std::find(header.begin(), header.end(), column) != header.end();
}

// The columns of the release, in its order. The users file has the first 10.
enum Column : size_t {
  kTweetId, kUserId, kDisplayName, kScreenName, kLocation, kDescription, kProfileUrl, kFollowers, kFollowing,
  kCreated, kAccountLanguage, kTweetLanguage, kText, kTime, kClient, kReplyUser, kReplyTweet, kQuoted, kIsRetweet,
  kRetweetUser, kRetweetTweet, kLatitude, kLongitude, kQuoteCount, kReplyCount, kLikeCount, kRetweetCount, kHashtags,
  kUrls, kMentions, kPollChoices, kColumns
};

// The profile columns of a row: the users file asks for a prefix of the
// tweets file's columns, so the indices are the same in both.
AccountFields ProfileOf(FieldReader& p) {
  AccountFields a;
  a.platform = "twitter";
  a.display_name = p.Get(kDisplayName);
  a.handle = p.Get(kScreenName);
  a.claimed_location = p.Get(kLocation);
  a.description = p.Get(kDescription);
  a.followers = p.Count(kFollowers, -1);
  a.following = p.Count(kFollowing, -1);
  a.created_at = p.Time(kCreated, false);
  a.language = p.Get(kAccountLanguage);
  a.extras.emplace_back("user_profile_url", p.Get(kProfileUrl));
  return a;
}

}  // namespace

const std::vector<std::string>& TwitterIoTweetColumns() {
  static const std::vector<std::string> kNames = {
      "tweetid", "userid", "user_display_name", "user_screen_name", "user_reported_location",
      "user_profile_description", "user_profile_url", "follower_count", "following_count", "account_creation_date",
      "account_language", "tweet_language", "tweet_text", "tweet_time", "tweet_client_name", "in_reply_to_userid",
      "in_reply_to_tweetid", "quoted_tweet_tweetid", "is_retweet", "retweet_userid", "retweet_tweetid", "latitude",
      "longitude", "quote_count", "reply_count", "like_count", "retweet_count", "hashtags", "urls", "user_mentions",
      "poll_choices"};
  return kNames;
}

bool IsTwitterIoTweetsHeader(const std::vector<std::string>& header) {
  return Has(header, "tweetid") && Has(header, "userid") && Has(header, "tweet_time");
}

bool IsTwitterIoUsersHeader(const std::vector<std::string>& header) {
  return !Has(header, "tweetid") && Has(header, "userid") && Has(header, "user_screen_name");
}

Result<Dataset> LoadTwitterIoArchive(const std::vector<std::string>& tweets_files, const std::string& users_file,
                                     const LoadOptions& options, ErrorSink* sink, LoadReport* report) {
  const auto start = std::chrono::steady_clock::now();
  report->format = "twitter_io";
  Dataset ds;
  DatasetBuilder builder(&ds);
  std::vector<std::string> all = tweets_files;
  if (!users_file.empty()) all.push_back(users_file);
  internal::TableLoop loop(options, sink, report, all);
  auto stopped = [&] { return internal::FinishLoad(Status::InputError("stopped"), Dataset(), sink, report, start); };

  if (!users_file.empty()) {
    std::unordered_set<std::string> user_ids;
    const std::vector<std::string>& all = TwitterIoTweetColumns();
    const std::vector<std::string> fields(all.begin(), all.begin() + kTweetLanguage);
    auto handle = [&](FieldReader& p) {
      const std::string_view id = p.Required(kUserId);
      AccountFields a = ProfileOf(p);
      for (const auto& extra : p.row().extras) a.extras.push_back(extra);
      if (!p.ok()) return false;
      if (!user_ids.insert(std::string(id)).second) {
        p.Fail(InputErrorKind::kDuplicateId, kUserId, fmt::format("userid '{}' appears twice", Clip(id)),
               "keep one row per user");
        return false;
      }
      builder.Profile(id, a, DatasetBuilder::kAuthoritative);
      return true;
    };
    // userid is required; the field indices match TwitterIoTweetColumns() because the users file asks for a prefix.
    if (!loop.Run(users_file, fields, std::vector<size_t>{kUserId}, "an IO-archive users file", handle)) return stopped();
  }

  EventFields e;
  for (const std::string& path : tweets_files) {
    auto handle = [&](FieldReader& p) {
      e.Clear();
      const std::string_view id = p.Required(kTweetId);
      const std::string_view user = p.Required(kUserId);
      e.time = p.Time(kTime, true);
      AccountFields profile = ProfileOf(p);
      const bool is_retweet = p.Bool(kIsRetweet, false);
      const std::string_view latitude = p.Decimal(kLatitude, "absent");
      const std::string_view longitude = p.Decimal(kLongitude, "absent");
      p.Count(kQuoteCount, -1);
      p.Count(kReplyCount, -1);
      p.Count(kLikeCount, -1);
      p.Count(kRetweetCount, -1);
      p.List(kHashtags, &e.hashtags);
      p.List(kUrls, &e.urls);
      p.List(kMentions, &e.mentions);
      if (!p.ok()) return false;
      if (!builder.ClaimEventId(id)) {
        p.Fail(InputErrorKind::kDuplicateId, kTweetId, fmt::format("tweetid '{}' appears twice", Clip(id)),
               "keep one row per tweet (the release's files do not overlap; check for a file given twice)");
        return false;
      }
      e.account = builder.Profile(user, profile, e.time);
      e.event_id = id;
      e.text = p.Get(kText);
      e.language = p.Get(kTweetLanguage);
      e.client = p.Get(kClient);
      const std::string_view quoted = p.Get(kQuoted);
      if (is_retweet) {
        e.type = EventType::kShare;
        e.target_id = p.Get(kRetweetTweet);
        e.target_account_id = p.Get(kRetweetUser);
      } else if (!p.Get(kReplyTweet).empty() || !p.Get(kReplyUser).empty()) {
        e.type = EventType::kComment;
        e.target_id = p.Get(kReplyTweet);
        e.target_account_id = p.Get(kReplyUser);
      } else {
        e.type = EventType::kPost;
        e.target_id = quoted;
      }
      // Whatever is not a field of the model stays an attribute; nothing is dropped.
      if (e.type != EventType::kPost) e.extras.emplace_back("quoted_tweet_tweetid", quoted);
      if (is_retweet) {
        e.extras.emplace_back("in_reply_to_tweetid", p.Get(kReplyTweet));
        e.extras.emplace_back("in_reply_to_userid", p.Get(kReplyUser));
      }
      e.extras.emplace_back("latitude", latitude);
      e.extras.emplace_back("longitude", longitude);
      for (size_t c : {kQuoteCount, kReplyCount, kLikeCount, kRetweetCount, kPollChoices})
        e.extras.emplace_back(TwitterIoTweetColumns()[c], p.Get(c));
      for (const auto& extra : p.row().extras) e.extras.push_back(extra);
      builder.AddEvent(e);
      return true;
    };
    if (!loop.Run(path, TwitterIoTweetColumns(), std::vector<size_t>{kTweetId, kUserId, kTime},
                  "an IO-archive tweets file", handle))
      return stopped();
  }
  builder.Finish();
  return internal::FinishLoad(Status::Ok(), std::move(ds), sink, report, start);
}

}  // namespace lockstep
