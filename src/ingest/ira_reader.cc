#include "lockstep/ingest/ira_reader.h"

#include <algorithm>
#include <unordered_map>

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

// FiveThirtyEight's columns in the release's order, then the by-author
// layout's author_id. Every withheld column is asked for by name, so that it
// never turns up among a row's extras.
enum Column : size_t {
  kExternalAuthorId,
  kAuthor,
  kContent,
  kRegion,
  kLanguage,
  kPublishDate,
  kHarvestedDate,
  kFollowing,
  kFollowers,
  kUpdates,
  kPostType,
  kAccountType,
  kRetweet,
  kAccountCategory,
  kNewJune2018,
  kAltExternalId,
  kTweetId,
  kArticleUrl,
  kTco1,
  kTco2,
  kTco3,
  kAuthorId,
  kColumns
};

const std::vector<std::string>& TweetFields() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> v = IraTweetColumns();
    v.push_back("author_id");
    return v;
  }();
  return kNames;
}

// The authors file of the by-author layout.
enum AuthorColumn : size_t { kAuthorsId, kAuthorsHandle, kAuthorsExternalId, kAuthorsColumns };

const std::vector<std::string>& AuthorFields() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> v = {"author_id", "author", "external_author_id"};
    for (const std::string& c : IraWithheldColumns()) v.push_back(c);
    return v;
  }();
  return kNames;
}

// "1/23/2017 22:36" or "1/23/2017 22:36:05", FiveThirtyEight's form (month
// first, UTC). False on anything else.
bool ParseUsDateTime(std::string_view s, int64_t* out) {
  size_t i = 0;
  auto number = [&](int max_digits, int64_t* n) {
    const size_t begin = i;
    *n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - begin < static_cast<size_t>(max_digits))
      *n = *n * 10 + (s[i++] - '0');
    return i > begin;
  };
  auto expect = [&](char c) { return i < s.size() && s[i++] == c; };
  int64_t month, day, year, hour, minute, second = 0;
  if (!number(2, &month) || !expect('/') || !number(2, &day) || !expect('/') || !number(4, &year) || !expect(' ') ||
      !number(2, &hour) || !expect(':') || !number(2, &minute))
    return false;
  if (i < s.size() && (!expect(':') || !number(2, &second))) return false;
  if (i != s.size() || year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 59)
    return false;
  *out = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 + hour * 3600 +
         minute * 60 + second;
  return true;
}

int64_t IraTime(FieldReader& p, size_t f, bool required) {
  const std::string_view v = required ? p.Required(f) : p.Get(f);
  if (v.empty() || !p.ok()) return kNoTime;
  int64_t t = 0;
  if (ParseUsDateTime(v, &t) || internal::ParseAnyTime(v, &t)) return t;
  p.Fail(InputErrorKind::kBadTime, f, fmt::format("'{}' is not a time", Clip(v)),
         "write the release's forms, 1/23/2017 22:36 (month first) or 2017-01-23 22:36:00, in UTC");
  return kNoTime;
}

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

// The length of a hashtag's name at s[0]: ASCII letters, digits and '_', and
// any non-ASCII letter (Cyrillic tags are common here); the UTF-8 general
// punctuation block (U+2000..U+206F: '…', quotes, dashes) ends it.
size_t TagLength(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (IsWordByte(c)) {
      ++i;
    } else if (c >= 0xC0) {
      if (c == 0xE2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) break;
      if (c == 0xE2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x81) break;
      ++i;
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    } else {
      break;
    }
  }
  return i;
}

// Appends the #hashtags, @mentions and http(s) links of a tweet's text. A
// sign counts only at the start or after a character that is not part of a
// word (so "a#b" and "mail@host" are not tags or mentions). A link runs to
// the next blank or '…' (a truncated retweet), without trailing punctuation.
void ScanText(std::string_view text, EventFields* e) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool at_word_start = i == 0 || !IsWordByte(static_cast<unsigned char>(text[i - 1]));
    if ((c == '#' || c == '@') && at_word_start) {
      const std::string_view rest = text.substr(i + 1);
      size_t n = 0;
      if (c == '#') {
        n = TagLength(rest);
      } else {
        while (n < rest.size() && IsWordByte(static_cast<unsigned char>(rest[n]))) ++n;
      }
      if (n > 0) (c == '#' ? e->hashtags : e->mentions).push_back(rest.substr(0, n));
      i += n;
    } else if (c == 'h' && at_word_start &&
               (text.compare(i, 7, "http://") == 0 || text.compare(i, 8, "https://") == 0)) {
      size_t end = i;
      while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != '\t' && text[end] != '\r' &&
             text.compare(end, 3, "\xE2\x80\xA6") != 0)
        ++end;
      size_t stop = end;
      while (stop > i && std::string_view(".,;:!?)'\"").find(text[stop - 1]) != std::string_view::npos) --stop;
      const std::string_view url = text.substr(i, stop - i);
      if (url.size() > 8) e->urls.push_back(url);
      i = end;
    }
  }
}

// What a row's post_type and retweet say the tweet is.
enum class TweetKind { kPost, kRetweet, kQuote };

TweetKind KindOf(FieldReader& p) {
  const bool retweet = p.Bool(kRetweet, false);
  const std::string_view type = p.Get(kPostType);
  if (type == "Q" || type == "QUOTE_TWEET") return TweetKind::kQuote;
  if (type == "R" || type == "RETWEET") return TweetKind::kRetweet;
  if (!type.empty()) {
    p.Fail(InputErrorKind::kBadValue, kPostType, fmt::format("'{}' is not a post_type of the release", Clip(type)),
           "write RETWEET (or R), QUOTE_TWEET (or Q), or leave it empty for an original tweet");
    return TweetKind::kPost;
  }
  return retweet ? TweetKind::kRetweet : TweetKind::kPost;
}

// What the authors file says about an author, for the profile its tweets set.
struct AuthorInfo {
  std::string handle, external_id;
};

}  // namespace

const std::vector<std::string>& IraTweetColumns() {
  static const std::vector<std::string> kNames = {
      "external_author_id", "author",         "content",     "region",           "language",
      "publish_date",       "harvested_date", "following",   "followers",        "updates",
      "post_type",          "account_type",   "retweet",     "account_category", "new_june_2018",
      "alt_external_id",    "tweet_id",       "article_url", "tco1_step1",       "tco2_step1",
      "tco3_step1"};
  return kNames;
}

const std::vector<std::string>& IraWithheldColumns() {
  static const std::vector<std::string> kNames = {"account_type",     "account_category", "new_june_2018",
                                                  "congress_2017_id", "in_congress_2017", "in_congress_2018"};
  return kNames;
}

bool IsIraTweetsHeader(const std::vector<std::string>& header) {
  return Has(header, "content") && Has(header, "publish_date") && Has(header, "harvested_date") &&
         (Has(header, "author_id") || Has(header, "author"));
}

bool IsIraAuthorsHeader(const std::vector<std::string>& header) {
  return Has(header, "author_id") && Has(header, "account_category") && !Has(header, "content");
}

Result<Dataset> LoadIraTweets(const std::vector<std::string>& tweets_files, const std::string& authors_file,
                              const LoadOptions& options, ErrorSink* sink, LoadReport* report) {
  const auto start = std::chrono::steady_clock::now();
  report->format = "ira";
  Dataset ds;
  DatasetBuilder builder(&ds);
  std::vector<std::string> all = tweets_files;
  if (!authors_file.empty()) all.insert(all.begin(), authors_file);
  internal::TableLoop loop(options, sink, report, all);
  auto stopped = [&] { return internal::FinishLoad(Status::InputError("stopped"), Dataset(), sink, report, start); };

  std::unordered_map<std::string, AuthorInfo> authors;
  if (!authors_file.empty()) {
    auto handle = [&](FieldReader& p) {
      const std::string_view id = p.Required(kAuthorsId);
      if (!p.ok()) return false;
      AuthorInfo info{std::string(p.Get(kAuthorsHandle)), std::string(p.Get(kAuthorsExternalId))};
      if (info.handle.empty()) info.handle = std::string(id);
      if (!authors.emplace(std::string(id), info).second) {
        p.Fail(InputErrorKind::kDuplicateId, kAuthorsId, fmt::format("author_id '{}' appears twice", Clip(id)),
               "keep one row per author");
        return false;
      }
      AccountFields a;
      a.platform = "twitter";
      a.handle = info.handle;
      if (!info.external_id.empty()) a.extras.emplace_back("external_author_id", info.external_id);
      // Only the handle and external id are read; the other columns are withheld (see the header).
      builder.Profile(id, a, kNoTime);
      return true;
    };
    if (!loop.Run(authors_file, AuthorFields(), std::vector<size_t>{kAuthorsId}, "an IRA authors file", handle))
      return stopped();
  }

  EventFields e;
  for (const std::string& path : tweets_files) {
    auto required = [](const TableReader& r) {
      // The by-author layout names the author author_id; FiveThirtyEight's, author.
      return std::vector<size_t>{r.HasField(kAuthorId) ? kAuthorId : kAuthor, kContent, kPublishDate};
    };
    auto handle = [&](FieldReader& p) {
      e.Clear();
      const std::string_view id = p.reader().HasField(kAuthorId) ? p.Required(kAuthorId) : p.Required(kAuthor);
      e.time = IraTime(p, kPublishDate, true);
      const int64_t harvested = IraTime(p, kHarvestedDate, false);
      AccountFields a;
      a.platform = "twitter";
      a.followers = p.Count(kFollowers, -1);
      a.following = p.Count(kFollowing, -1);
      p.Count(kUpdates, -1);
      const TweetKind kind = KindOf(p);
      const std::string_view tweet_id = p.Get(kTweetId);
      if (!p.ok()) return false;
      if (!tweet_id.empty() && !builder.ClaimEventId(tweet_id)) {
        p.Fail(InputErrorKind::kDuplicateId, kTweetId, fmt::format("tweet_id '{}' appears twice", Clip(tweet_id)),
               "keep one row per tweet (check for a file given twice), or --on-error=skip to drop the repeats");
        return false;
      }
      const auto known = authors.find(std::string(id));
      a.handle = known != authors.end()   ? std::string_view(known->second.handle)
                 : p.Get(kAuthor).empty() ? id
                                          : p.Get(kAuthor);
      const std::string_view region = p.Get(kRegion);
      if (region != "Unknown") a.claimed_location = region;
      std::string_view external = p.Get(kExternalAuthorId);
      if (external.empty() && known != authors.end()) external = known->second.external_id;
      a.extras = {
          {"external_author_id", external}, {"alt_external_id", p.Get(kAltExternalId)}, {"updates", p.Get(kUpdates)}};
      e.account = builder.Profile(id, a, e.time);
      e.event_id = tweet_id;
      e.text = p.Get(kContent);
      e.language = p.Get(kLanguage);
      e.type = kind == TweetKind::kRetweet ? EventType::kShare : EventType::kPost;
      ScanText(e.text, &e);
      for (size_t c : {kTco1, kTco2, kTco3})
        if (!p.Get(c).empty()) e.urls.push_back(p.Get(c));
      if (kind == TweetKind::kQuote) e.extras.emplace_back("post_type", p.Get(kPostType));
      // harvested_date equals publish_date on most rows; it is kept where it says something more.
      if (harvested != kNoTime && harvested != e.time) e.extras.emplace_back("harvested_date", p.Get(kHarvestedDate));
      e.extras.emplace_back("article_url", p.Get(kArticleUrl));
      for (const auto& extra : p.row().extras) e.extras.push_back(extra);
      builder.AddEvent(e);
      return true;
    };
    if (!loop.Run(path, TweetFields(), required, "an IRA tweets file", handle)) return stopped();
  }
  builder.Finish();
  return internal::FinishLoad(Status::Ok(), std::move(ds), sink, report, start);
}

}  // namespace lockstep
