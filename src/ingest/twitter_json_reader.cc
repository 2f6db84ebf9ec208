#include "lockstep/ingest/twitter_json_reader.h"

#include <cstring>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include <simdjson.h>

#include "ingest/json_records.h"
#include "ingest/reader_support.h"
#include "lockstep/ingest/field_parsers.h"

namespace lockstep {

namespace {

using internal::AccountFields;
using internal::Clip;
using internal::DatasetBuilder;
using internal::EventFields;
using internal::FieldReader;
using simdjson::dom::element;
using internal::Array;
using internal::Field;
using internal::Text;

// "<a href=\"...\" rel=\"nofollow\">Twitter for iPhone</a>" -> "Twitter for iPhone".
std::string_view StripTags(std::string_view s) {
  if (s.empty() || s.front() != '<') return s;
  const size_t open_end = s.find('>');
  const size_t close = s.rfind("</");
  if (open_end == std::string_view::npos || close == std::string_view::npos || close < open_end) return s;
  return s.substr(open_end + 1, close - open_end - 1);
}

// One line's parse: strings the DOM does not hold (numbers turned to text)
// live in `store` until the line is committed.
class LineParser {
 public:
  struct User {
    std::string_view id;
    AccountFields fields;
    int64_t as_of = kNoTime;
  };
  struct Tweet {
    EventFields event;
    std::string_view author_id;
  };

  explicit LineParser(FieldReader& p) : p_(p) {}

  std::vector<Tweet> tweets;
  std::vector<User> users;

  // Returns false with the error recorded in the FieldReader.
  bool ParseLine(element doc);

 private:
  void Fail(InputErrorKind kind, const std::string& field, std::string problem, std::string fix) {
    p_.Fail(kind, SIZE_MAX, std::move(problem), std::move(fix), field);
  }
  std::string_view Keep(std::string s) { return store_.emplace_back(std::move(s)); }
  // An id given as a string (`key`) or, in v1.1, as a number (`number_key`).
  std::string_view Id(element e, std::string_view key, std::string_view number_key = {});
  // A JSON number or numeric string as a count; -1 if absent.
  int64_t Count(element e, std::string_view key, const std::string& where);
  // A scalar or object kept as an attribute's text.
  std::string_view Raw(element e, std::string_view key);
  int64_t Time(element e, const std::string& where, bool required);

  // The names an API version gives the keys of a tweet's entities object.
  struct EntityKeys {
    std::string_view hashtag_text, mentions, mention_id, mention_number_id, mention_name;
  };
  // Appends the urls, hashtags and mentions of an entities object to *e.
  void Entities(element entities, const EntityKeys& keys, EventFields* e);
  bool ParseV1(element t, const std::string& where);
  bool ParseV2(element t, const std::string& where, const std::unordered_map<std::string_view, element>& included);
  void UserV1(element u, int64_t as_of, const std::string& where);
  void UserV2(element u, int64_t as_of, const std::string& where);

  FieldReader& p_;
  std::deque<std::string> store_;
};

void LineParser::Entities(element entities, const EntityKeys& keys, EventFields* e) {
  element list;
  if (Field(entities, "urls", &list) && list.is_array())
    for (element u : Array(list)) {
      std::string_view url = Text(u, "expanded_url");
      if (url.empty()) url = Text(u, "url");
      if (!url.empty()) e->urls.push_back(url);
    }
  if (Field(entities, "hashtags", &list) && list.is_array())
    for (element h : Array(list)) e->hashtags.push_back(Text(h, keys.hashtag_text));
  if (Field(entities, keys.mentions, &list) && list.is_array())
    for (element m : Array(list)) {
      std::string_view id = Id(m, keys.mention_id, keys.mention_number_id);
      e->mentions.push_back(id.empty() ? Text(m, keys.mention_name) : id);
    }
}

std::string_view LineParser::Id(element e, std::string_view key, std::string_view number_key) {
  element v;
  if (Field(e, key, &v)) {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) return s;
    uint64_t u;
    if (v.get_uint64().get(u) == simdjson::SUCCESS) return Keep(std::to_string(u));
  }
  if (!number_key.empty() && Field(e, number_key, &v)) {
    uint64_t u;
    if (v.get_uint64().get(u) == simdjson::SUCCESS) return Keep(std::to_string(u));
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) return s;
  }
  return {};
}

int64_t LineParser::Count(element e, std::string_view key, const std::string& where) {
  element v;
  if (!Field(e, key, &v)) return -1;
  int64_t n = 0;
  std::string_view s;
  if (v.get_int64().get(n) == simdjson::SUCCESS || (v.get_string().get(s) == simdjson::SUCCESS && ParseInt64(s, &n))) {
    if (n >= 0) return n;
    Fail(InputErrorKind::kNegativeValue, where + std::string(key), fmt::format("{} is negative; a count is 0 or more", n),
         "leave the count out if it is unknown");
    return -1;
  }
  Fail(InputErrorKind::kBadValue, where + std::string(key), fmt::format("'{}' is not an integer", Clip(simdjson::minify(v))),
       "write a whole number");
  return -1;
}

std::string_view LineParser::Raw(element e, std::string_view key) {
  element v;
  if (!Field(e, key, &v)) return {};
  std::string_view s;
  if (v.get_string().get(s) == simdjson::SUCCESS) return s;
  return Keep(simdjson::minify(v));
}

int64_t LineParser::Time(element e, const std::string& where, bool required) {
  const std::string_view s = Text(e, "created_at");
  if (s.empty()) {
    if (required)
      Fail(InputErrorKind::kMissingValue, where + "created_at", "the tweet has no created_at",
           "keep created_at in the collection; every tweet needs a time");
    return kNoTime;
  }
  int64_t t = 0;
  std::string problem, fix;
  if (!internal::ReadInputTime(s, &t, &problem, &fix,
                               "v1.1 writes 'Wed Oct 10 20:19:24 +0000 2018', v2 '2018-10-10T20:19:24.000Z'")) {
    Fail(InputErrorKind::kBadTime, where + "created_at", std::move(problem), std::move(fix));
    return kNoTime;
  }
  return t;
}

void LineParser::UserV1(element u, int64_t as_of, const std::string& where) {
  User user;
  user.id = Id(u, "id_str", "id");
  if (user.id.empty()) {
    Fail(InputErrorKind::kMissingValue, where + "id_str", "the user object has no id_str or id",
         "keep the user's id in the collection");
    return;
  }
  AccountFields& a = user.fields;
  a.platform = "twitter";
  a.handle = Text(u, "screen_name");
  a.display_name = Text(u, "name");
  a.claimed_location = Text(u, "location");
  a.description = Text(u, "description");
  a.language = Text(u, "lang");
  a.followers = Count(u, "followers_count", where);
  a.following = Count(u, "friends_count", where);
  a.created_at = Time(u, where, false);
  a.extras = {{"profile_image_url", Text(u, "profile_image_url_https")},
              {"verified", Raw(u, "verified")},
              {"statuses_count", Raw(u, "statuses_count")},
              {"favourites_count", Raw(u, "favourites_count")},
              {"listed_count", Raw(u, "listed_count")},
              {"protected", Raw(u, "protected")},
              {"url", Text(u, "url")}};
  user.as_of = as_of;
  users.push_back(std::move(user));
}

void LineParser::UserV2(element u, int64_t as_of, const std::string& where) {
  User user;
  user.id = Id(u, "id");
  if (user.id.empty()) {
    Fail(InputErrorKind::kMissingValue, where + "id", "the user object has no id", "keep the user's id in the collection");
    return;
  }
  AccountFields& a = user.fields;
  a.platform = "twitter";
  a.handle = Text(u, "username");
  a.display_name = Text(u, "name");
  a.claimed_location = Text(u, "location");
  a.description = Text(u, "description");
  element metrics;
  if (Field(u, "public_metrics", &metrics)) {
    a.followers = Count(metrics, "followers_count", where + "public_metrics.");
    a.following = Count(metrics, "following_count", where + "public_metrics.");
    a.extras.emplace_back("tweet_count", Raw(metrics, "tweet_count"));
    a.extras.emplace_back("listed_count", Raw(metrics, "listed_count"));
  }
  a.created_at = Time(u, where, false);
  a.extras.emplace_back("profile_image_url", Text(u, "profile_image_url"));
  a.extras.emplace_back("verified", Raw(u, "verified"));
  a.extras.emplace_back("protected", Raw(u, "protected"));
  a.extras.emplace_back("url", Text(u, "url"));
  user.as_of = as_of;
  users.push_back(std::move(user));
}

bool LineParser::ParseV1(element t, const std::string& where) {
  Tweet tweet;
  EventFields& e = tweet.event;
  e.event_id = Id(t, "id_str", "id");
  if (e.event_id.empty()) {
    Fail(InputErrorKind::kMissingValue, where + "id_str", "the tweet has no id_str or id", "keep the tweet ids");
    return false;
  }
  e.time = Time(t, where, true);
  element user;
  if (!Field(t, "user", &user)) {
    Fail(InputErrorKind::kMissingValue, where + "user", "the tweet has no user object",
         "collect tweets with their user objects (the API's default)");
    return false;
  }
  UserV1(user, e.time, where + "user.");
  if (!p_.ok()) return false;
  tweet.author_id = users.back().id;

  element extended, entities, rt, quoted;
  const bool has_extended = Field(t, "extended_tweet", &extended);
  e.text = has_extended ? Text(extended, "full_text") : std::string_view();
  if (e.text.empty()) e.text = Text(t, "full_text");
  if (e.text.empty()) e.text = Text(t, "text");
  if ((has_extended && Field(extended, "entities", &entities)) || Field(t, "entities", &entities))
    Entities(entities, {"text", "user_mentions", "id_str", "id", "screen_name"}, &e);
  e.language = Text(t, "lang");
  e.client = StripTags(Text(t, "source"));
  const std::string_view reply_to = Id(t, "in_reply_to_status_id_str", "in_reply_to_status_id");
  const std::string_view quoted_id = Id(t, "quoted_status_id_str", "quoted_status_id");
  if (Field(t, "retweeted_status", &rt)) {
    e.type = EventType::kShare;
    e.target_id = Id(rt, "id_str", "id");
    element rt_user;
    if (Field(rt, "user", &rt_user)) {
      UserV1(rt_user, e.time, where + "retweeted_status.user.");
      if (!p_.ok()) return false;
      e.target_account_id = users.back().id;
    }
  } else if (!reply_to.empty()) {
    e.type = EventType::kComment;
    e.target_id = reply_to;
    e.target_account_id = Id(t, "in_reply_to_user_id_str", "in_reply_to_user_id");
  } else {
    e.type = EventType::kPost;
    e.target_id = quoted_id;
  }
  if (Field(t, "quoted_status", &quoted)) {
    element q_user;
    if (Field(quoted, "user", &q_user)) {
      UserV1(q_user, e.time, where + "quoted_status.user.");
      if (!p_.ok()) return false;
      if (e.type == EventType::kPost) e.target_account_id = users.back().id;
    }
  }
  if (e.type != EventType::kPost) e.extras.emplace_back("quoted_tweet_id", quoted_id);
  e.extras.emplace_back("retweet_count", Raw(t, "retweet_count"));
  e.extras.emplace_back("favorite_count", Raw(t, "favorite_count"));
  e.extras.emplace_back("reply_count", Raw(t, "reply_count"));
  e.extras.emplace_back("quote_count", Raw(t, "quote_count"));
  e.extras.emplace_back("coordinates", Raw(t, "coordinates"));
  e.extras.emplace_back("possibly_sensitive", Raw(t, "possibly_sensitive"));
  element place;
  if (Field(t, "place", &place)) {
    e.extras.emplace_back("place_full_name", Text(place, "full_name"));
    e.extras.emplace_back("place_country_code", Text(place, "country_code"));
  }
  tweets.push_back(std::move(tweet));
  return p_.ok();
}

bool LineParser::ParseV2(element t, const std::string& where,
                         const std::unordered_map<std::string_view, element>& included) {
  Tweet tweet;
  EventFields& e = tweet.event;
  e.event_id = Id(t, "id");
  if (e.event_id.empty()) {
    Fail(InputErrorKind::kMissingValue, where + "id", "the tweet has no id", "keep the tweet ids");
    return false;
  }
  e.time = Time(t, where, true);
  element author;
  if (Field(t, "author", &author)) {  // twarc2 flatten
    UserV2(author, e.time, where + "author.");
    if (!p_.ok()) return false;
  }
  tweet.author_id = Id(t, "author_id");
  if (tweet.author_id.empty() && Field(t, "author", &author)) tweet.author_id = Id(author, "id");
  if (tweet.author_id.empty()) {
    Fail(InputErrorKind::kMissingValue, where + "author_id", "the tweet has no author_id",
         "request the author_id tweet field (twarc2 does by default)");
    return false;
  }
  element note;
  if (Field(t, "note_tweet", &note)) e.text = Text(note, "text");
  if (e.text.empty()) e.text = Text(t, "text");
  element entities, list;
  if (Field(t, "entities", &entities)) Entities(entities, {"tag", "mentions", "id", {}, "username"}, &e);
  e.language = Text(t, "lang");
  e.client = Text(t, "source");
  // referenced_tweets: [{type, id}] in pages; flattened lines embed the whole tweet.
  std::string_view retweeted, replied, quoted;
  element retweeted_tweet, quoted_tweet;
  bool have_retweeted = false, have_quoted = false;
  if (Field(t, "referenced_tweets", &list) && list.is_array()) {
    for (element r : Array(list)) {
      const std::string_view type = Text(r, "type");
      const std::string_view id = Id(r, "id");
      element full = r;
      auto it = included.find(id);
      if (it != included.end()) full = it->second;
      if (type == "retweeted") {
        retweeted = id;
        retweeted_tweet = full;
        have_retweeted = true;
      } else if (type == "replied_to") {
        replied = id;
      } else if (type == "quoted") {
        quoted = id;
        quoted_tweet = full;
        have_quoted = true;
      }
    }
  }
  auto author_of = [&](element ref, const std::string& at) -> std::string_view {
    element embedded;
    if (Field(ref, "author", &embedded)) {
      UserV2(embedded, e.time, at + "author.");
      if (!p_.ok()) return {};
    }
    return Id(ref, "author_id");
  };
  if (have_retweeted) {
    e.type = EventType::kShare;
    e.target_id = retweeted;
    e.target_account_id = author_of(retweeted_tweet, where + "referenced_tweets.");
  } else if (!replied.empty()) {
    e.type = EventType::kComment;
    e.target_id = replied;
    e.target_account_id = Id(t, "in_reply_to_user_id");
  } else {
    e.type = EventType::kPost;
    e.target_id = quoted;
    if (have_quoted) e.target_account_id = author_of(quoted_tweet, where + "referenced_tweets.");
  }
  if (!p_.ok()) return false;
  if (e.type != EventType::kPost) e.extras.emplace_back("quoted_tweet_id", quoted);
  if (e.type == EventType::kComment) e.extras.emplace_back("conversation_id", Text(t, "conversation_id"));
  element metrics;
  if (Field(t, "public_metrics", &metrics)) {
    for (std::string_view key : {"retweet_count", "reply_count", "like_count", "quote_count"}) {
      if (Count(metrics, key, where + "public_metrics.") >= 0) e.extras.emplace_back(key, Raw(metrics, key));
    }
  }
  e.extras.emplace_back("possibly_sensitive", Raw(t, "possibly_sensitive"));
  e.extras.emplace_back("geo", Raw(t, "geo"));
  tweets.push_back(std::move(tweet));
  return p_.ok();
}

bool LineParser::ParseLine(element doc) {
  element data;
  if (Field(doc, "data", &data)) {  // a v2 response page
    std::unordered_map<std::string_view, element> included;
    element includes, list;
    if (Field(doc, "includes", &includes) && Field(includes, "tweets", &list) && list.is_array())
      for (element t : Array(list)) included.emplace(Id(t, "id"), t);
    if (data.is_array()) {
      size_t i = 0;
      for (element t : Array(data))
        if (!ParseV2(t, fmt::format("data[{}].", i++), included)) return false;
    } else if (!ParseV2(data, "data.", included)) {
      return false;
    }
    // includes.users: authors and referenced authors; each as of its latest tweet in the page.
    std::unordered_map<std::string_view, int64_t> latest;
    for (const Tweet& t : tweets) {
      int64_t& l = latest.emplace(t.author_id, kNoTime).first->second;
      l = std::max(l, t.event.time);
    }
    if (Field(doc, "includes", &includes) && Field(includes, "users", &list) && list.is_array()) {
      size_t i = 0;
      for (element u : Array(list)) {
        auto it = latest.find(Id(u, "id"));
        UserV2(u, it == latest.end() ? kNoTime : it->second, fmt::format("includes.users[{}].", i++));
        if (!p_.ok()) return false;
      }
    }
    return true;
  }
  if (Field(doc, "author_id", &data) || Field(doc, "author", &data)) return ParseV2(doc, "", {});
  if (Field(doc, "user", &data)) return ParseV1(doc, "");
  for (std::string_view control : {"delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect",
                                   "warning", "meta"})
    if (Field(doc, control, &data)) return true;  // a control message: no tweet
  Fail(InputErrorKind::kBadValue, "", "the line is not a tweet (no user, author_id or data)",
       "give Twitter API v1.1 tweets, v2 pages or flattened v2 tweets, one per line; for other JSON use --map");
  return false;
}

}  // namespace

bool IsTwitterJsonLine(std::string_view line) {
  if (line.empty() || line.front() != '{') return false;
  auto has = [&](std::string_view key) { return line.find(key) != std::string_view::npos; };
  if (has("\"data\"") && (has("\"author_id\"") || has("\"includes\"") || has("\"edit_history_tweet_ids\"")))
    return true;
  if (has("\"id_str\"") && has("\"user\"") && has("\"created_at\"")) return true;
  if (has("\"author_id\"") && has("\"created_at\"")) return true;
  return has("\"delete\"") && has("\"status\"");
}

Result<Dataset> LoadTwitterJson(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                                LoadReport* report) {
  const auto start = std::chrono::steady_clock::now();
  report->format = "twitter_json";
  Dataset ds;
  DatasetBuilder builder(&ds);
  internal::TableLoop loop(options, sink, report, files);
  simdjson::dom::parser parser;
  simdjson::padded_string line;
  std::unordered_set<std::string_view> page_ids;
  for (const std::string& path : files) {
    auto handle = [&](FieldReader& p) {
      const std::string_view raw = p.row().raw;
      if (line.size() < raw.size() || line.size() > 2 * raw.size() + 4096) line = simdjson::padded_string(raw.size());
      std::memcpy(line.data(), raw.data(), raw.size());
      element doc;
      if (auto err = parser.parse(line.data(), raw.size(), false).get(doc)) {
        p.Fail(InputErrorKind::kBadJson, SIZE_MAX, fmt::format("the line is not JSON: {}", simdjson::error_message(err)),
               "write exactly one JSON value per line (JSON Lines)");
        return false;
      }
      LineParser lp(p);
      if (!lp.ParseLine(doc) || !p.ok()) return false;
      // A line is loaded whole or not at all: check ids before adding anything.
      page_ids.clear();
      for (size_t i = 0; i < lp.tweets.size(); ++i) {
        const std::string_view id = lp.tweets[i].event.event_id;
        if (!page_ids.insert(id).second || builder.EventIdClaimed(id)) {
          p.Fail(InputErrorKind::kDuplicateId, SIZE_MAX, fmt::format("tweet id '{}' appears twice", Clip(id)),
                 "deduplicate the collection (collectors often store a tweet twice), or load with --on-error=skip",
                 lp.tweets.size() > 1 ? fmt::format("data[{}].id", i) : std::string("id"));
          return false;
        }
      }
      for (const LineParser::User& u : lp.users) builder.Profile(u.id, u.fields, u.as_of);
      for (LineParser::Tweet& t : lp.tweets) {
        builder.ClaimEventId(t.event.event_id);
        t.event.account = builder.Actor(t.author_id, "twitter");
        builder.AddEvent(t.event);
      }
      return true;
    };
    if (!loop.Run(path, {}, std::vector<size_t>{}, "Twitter API JSON", handle))
      return internal::FinishLoad(Status::InputError("stopped"), Dataset(), sink, report, start);
  }
  builder.Finish();
  return internal::FinishLoad(Status::Ok(), std::move(ds), sink, report, start);
}

}  // namespace lockstep
