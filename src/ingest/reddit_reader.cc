#include "lockstep/ingest/reddit_reader.h"

#include <filesystem>

#include "ingest/json_records.h"
#include "lockstep/ingest/field_parsers.h"

namespace lockstep {

namespace {

using internal::AccountFields;
using internal::Array;
using internal::EventFields;
using internal::element;
using internal::Field;
using internal::ParsedEvent;
using internal::RecordParser;
using internal::Text;

constexpr std::string_view kPlatform = "reddit";
constexpr std::string_view kTimeFix = "Reddit writes created_utc as Unix epoch seconds, e.g. 1717801234";

// The http(s) links of markdown text: from the scheme to the first space,
// bracket, quote or angle bracket (markdown's [text](url) ends at ')').
void Links(std::string_view text, std::vector<std::string_view>* out) {
  size_t at = 0;
  while ((at = text.find("http", at)) != std::string_view::npos) {
    const std::string_view rest = text.substr(at);
    const size_t scheme = rest.substr(0, 8) == "https://" ? 8 : rest.substr(0, 7) == "http://" ? 7 : 0;
    if (scheme == 0) {
      at += 4;
      continue;
    }
    size_t end = scheme;
    while (end < rest.size() && std::string_view(" \t\r\n()[]<>\"'|*").find(rest[end]) == std::string_view::npos) ++end;
    if (end > scheme) out->push_back(rest.substr(0, end));
    at += end;
  }
}

class RedditParser {
 public:
  explicit RedditParser(RecordParser& p) : p_(p) {}
  bool Parse(element doc);

 private:
  // A t1 or t3 thing's data; kind "" when a dump line does not say.
  bool Thing(element d, std::string_view kind, const std::string& at);
  bool Listing(element listing, const std::string& at);

  RecordParser& p_;
};

bool RedditParser::Thing(element d, std::string_view kind, const std::string& at) {
  std::string_view name = Text(d, "name");
  if (kind.empty()) {
    kind = name.substr(0, 2);
    element link;
    if (kind != "t1" && kind != "t3") kind = Field(d, "link_id", &link) || !Text(d, "body").empty() ? "t1" : "t3";
  }
  if (kind != "t1" && kind != "t3") return true;  // t2 accounts, t5 subreddits, more: not events
  if (name.empty()) {
    const std::string_view id = p_.Id(d, "id");
    if (id.empty()) {
      p_.Fail(InputErrorKind::kMissingValue, at + "id", "the item has no id or name", "keep the ids of the items");
      return false;
    }
    name = p_.Keep(fmt::format("{}_{}", kind, id));
  }
  const int64_t time = p_.Time(d, "created_utc", at, true, kTimeFix);
  const std::string_view author = Text(d, "author");
  if (author.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, at + "author", "the item has no author",
            "keep the author field (deleted authors are written [deleted])");
    return false;
  }
  if (!p_.ok()) return false;
  if (author == "[deleted]") return true;  // no account to attach it to
  auto& user = p_.AddUser(author, kPlatform, time);
  user.fields.handle = author;
  user.fields.extras = {{"author_fullname", Text(d, "author_fullname")},
                        {"author_flair_text", Text(d, "author_flair_text")}};
  ParsedEvent& pe = p_.AddEvent(name, author, kind == "t1" ? EventType::kComment : EventType::kPost, time);
  EventFields& e = pe.event;
  e.extras = {{"subreddit", Text(d, "subreddit")}, {"permalink", Text(d, "permalink")}};
  if (kind == "t1") {
    e.target_id = Text(d, "parent_id");
    if (e.target_id.empty()) {
      p_.Fail(InputErrorKind::kMissingValue, at + "parent_id", "the comment has no parent_id",
              "keep parent_id (the fullname of the comment or submission replied to)");
      return false;
    }
    const std::string_view link = Text(d, "link_id");
    // A deleted submission's author is "[deleted]": no account, as for items.
    if (e.target_id == link && Text(d, "link_author") != "[deleted]") e.target_account_id = Text(d, "link_author");
    e.extras.emplace_back("link_id", link);
    e.text = Text(d, "body");
    Links(e.text, &e.urls);
  } else {
    const std::string_view title = Text(d, "title"), self = Text(d, "selftext");
    e.text = self.empty() ? title : p_.Keep(fmt::format("{}\n\n{}", title, self));
    element is_self;
    const bool self_post = Field(d, "is_self", &is_self) && is_self.is_bool() && bool(is_self);
    std::string_view url = Text(d, "url_overridden_by_dest");
    if (url.empty()) url = Text(d, "url");
    if (!self_post && !url.empty()) e.urls.push_back(url);
    Links(self, &e.urls);
    e.extras.emplace_back("domain", Text(d, "domain"));
    const std::string_view parent = Text(d, "crosspost_parent");
    if (!parent.empty()) {
      e.type = EventType::kShare;
      e.target_id = parent;
      e.urls.clear();  // the url of a crosspost is the original's permalink
      element list;
      if (Field(d, "crosspost_parent_list", &list))
        for (element original : Array(list))
          if (Text(original, "name") == parent && Text(original, "author") != "[deleted]")
            e.target_account_id = Text(original, "author");
    }
  }
  // A score is upvotes minus downvotes: below zero for every downvoted
  // item (a dump holds thousands), so it is an integer of either sign.
  element score;
  int64_t score_value = 0;
  std::string_view score_text;
  if (Field(d, "score", &score)) {
    if (score.get_int64().get(score_value) != simdjson::SUCCESS &&
        !(score.get_string().get(score_text) == simdjson::SUCCESS && ParseInt64(score_text, &score_value))) {
      p_.Fail(InputErrorKind::kBadValue, at + "score",
              fmt::format("'{}' is not an integer", internal::Clip(simdjson::minify(score))), "write a whole number");
      return false;
    }
    e.extras.emplace_back("score", p_.Raw(d, "score"));
  }
  for (std::string_view key : {"num_comments", "num_crossposts"})
    if (p_.Count(d, key, at) >= 0) e.extras.emplace_back(key, p_.Raw(d, key));
  return p_.ok();
}

bool RedditParser::Listing(element listing, const std::string& at) {
  element data, children;
  if (!Field(listing, "data", &data) || !Field(data, "children", &children)) {
    p_.Fail(InputErrorKind::kMissingValue, at + "data.children", "the listing has no data.children",
            "keep the listing whole as the API returns it");
    return false;
  }
  size_t i = 0;
  for (element child : Array(children)) {
    const std::string child_at = fmt::format("{}data.children[{}].", at, i++);
    element d;
    if (!Field(child, "data", &d)) {
      p_.Fail(InputErrorKind::kMissingValue, child_at + "data", "the thing has no data", "keep the things whole");
      return false;
    }
    const std::string_view kind = Text(child, "kind");
    if (kind == "Listing") {
      if (!Listing(child, child_at)) return false;
      continue;
    }
    if (!Thing(d, kind, child_at + "data.")) return false;
    element replies;  // a comment tree (the comments endpoint) nests listings in replies
    if (kind == "t1" && Field(d, "replies", &replies) && replies.is_object() && !Listing(replies, child_at + "data.replies."))
      return false;
  }
  return true;
}

bool RedditParser::Parse(element doc) {
  const std::string_view kind = Text(doc, "kind");
  if (kind == "Listing") return Listing(doc, "");
  element d;
  if ((kind == "t1" || kind == "t3") && Field(doc, "data", &d)) return Thing(d, kind, "data.");
  if (Field(doc, "created_utc", &d) && (Field(doc, "subreddit", &d) || Field(doc, "author", &d))) return Thing(doc, "", "");
  return false;
}

}  // namespace

bool IsRedditDumpName(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  return (name.rfind("RC_", 0) == 0 || name.rfind("RS_", 0) == 0) && name.find(".zst") != std::string::npos;
}

bool IsRedditJson(const std::string& path, std::string_view prefix) {
  if (IsRedditDumpName(path)) return true;
  using internal::HasJsonKey;
  if (prefix.find("\"Listing\"") != std::string_view::npos && HasJsonKey(prefix, "children")) return true;
  return HasJsonKey(prefix, "created_utc") && HasJsonKey(prefix, "subreddit") && HasJsonKey(prefix, "author");
}

Result<Dataset> LoadReddit(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                           LoadReport* report) {
  return internal::LoadJsonRecords(files, options, sink, report,
                                   {"reddit", kPlatform, "Reddit listings or dump lines (comments and submissions)"},
                                   [](element doc, RecordParser& p) { return RedditParser(p).Parse(doc); });
}

}  // namespace lockstep
