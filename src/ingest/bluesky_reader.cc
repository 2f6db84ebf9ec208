#include "lockstep/ingest/bluesky_reader.h"

#include "ingest/json_records.h"

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

constexpr std::string_view kPlatform = "bluesky";
constexpr std::string_view kTimeFix = "Bluesky writes createdAt as ISO 8601, e.g. 2023-10-03T16:48:09.164Z";

// "at://did:plc:abc/app.bsky.feed.post/3k" -> "did:plc:abc"; "" if not an AT URI.
std::string_view Authority(std::string_view uri) {
  if (uri.substr(0, 5) != "at://") return {};
  uri.remove_prefix(5);
  return uri.substr(0, uri.find('/'));
}

class BlueskyParser {
 public:
  explicit BlueskyParser(RecordParser& p) : p_(p) {}

  bool Parse(element doc);

 private:
  // A profile view (author, reason.by): an account as of `as_of`.
  std::string_view Profile(element u, int64_t as_of, std::string_view at);
  // A post view (uri, cid, author, record, counts) as an event.
  void PostView(element post, std::string_view at);
  // The fields of an app.bsky.feed.post record onto *e.
  void PostRecord(element record, std::string_view at, ParsedEvent* e);
  void Thread(element node, std::string_view at, int depth);
  bool Jetstream(element doc);

  RecordParser& p_;
};

std::string_view BlueskyParser::Profile(element u, int64_t as_of, std::string_view at) {
  const std::string_view did = Text(u, "did");
  if (did.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, fmt::format("{}did", at), "the profile has no did",
            "keep the profile views whole as the API returns them");
    return {};
  }
  auto& user = p_.AddUser(did, kPlatform, as_of);
  user.fields.handle = Text(u, "handle");
  user.fields.display_name = Text(u, "displayName");
  user.fields.description = Text(u, "description");
  user.fields.created_at = p_.Time(u, "createdAt", at, false, kTimeFix);
  user.fields.followers = p_.Count(u, "followersCount", at);
  user.fields.following = p_.Count(u, "followsCount", at);
  user.fields.extras = {{"avatar", Text(u, "avatar")}, {"posts_count", p_.Raw(u, "postsCount")}};
  return did;
}

void BlueskyParser::PostRecord(element record, std::string_view at, ParsedEvent* pe) {
  EventFields& e = pe->event;
  e.text = Text(record, "text");
  element list, v;
  if (Field(record, "langs", &list))
    for (element l : Array(list)) {
      std::string_view s;
      if (e.language.empty() && l.get_string().get(s) == simdjson::SUCCESS) e.language = s;
    }
  if (Field(record, "facets", &list))
    for (element facet : Array(list)) {
      element features;
      if (!Field(facet, "features", &features)) continue;
      for (element f : Array(features)) {
        const std::string_view type = Text(f, "$type");
        if (type == "app.bsky.richtext.facet#link") e.urls.push_back(Text(f, "uri"));
        else if (type == "app.bsky.richtext.facet#tag") e.hashtags.push_back(Text(f, "tag"));
        else if (type == "app.bsky.richtext.facet#mention") e.mentions.push_back(Text(f, "did"));
      }
    }
  if (Field(record, "tags", &list))
    for (element t : Array(list)) {
      std::string_view s;
      if (t.get_string().get(s) == simdjson::SUCCESS) e.hashtags.push_back(s);
    }
  std::string_view quoted;
  element embed;
  if (Field(record, "embed", &embed)) {
    const std::string_view type = Text(embed, "$type");
    element inner;
    if (type == "app.bsky.embed.external" && Field(embed, "external", &inner)) {
      e.urls.push_back(Text(inner, "uri"));
    } else if (type == "app.bsky.embed.record" && Field(embed, "record", &inner)) {
      quoted = Text(inner, "uri");
    } else if (type == "app.bsky.embed.recordWithMedia" && Field(embed, "record", &inner) &&
               Field(inner, "record", &inner)) {
      quoted = Text(inner, "uri");
      element media;
      if (Field(embed, "media", &media) && Field(media, "external", &media)) e.urls.push_back(Text(media, "uri"));
    }
  }
  element reply;
  if (Field(record, "reply", &reply)) {
    element parent;
    if (!Field(reply, "parent", &parent) || Text(parent, "uri").empty()) {
      p_.Fail(InputErrorKind::kMissingValue, fmt::format("{}reply.parent.uri", at), "the reply names no parent post",
              "keep the record's reply field whole ({root: {uri, cid}, parent: {uri, cid}})");
      return;
    }
    e.type = EventType::kComment;
    e.target_id = Text(parent, "uri");
    element root;
    if (Field(reply, "root", &root)) e.extras.emplace_back("reply_root", Text(root, "uri"));
    e.extras.emplace_back("quoted_uri", quoted);
  } else if (!quoted.empty()) {
    e.type = EventType::kPost;
    e.target_id = quoted;
  }
  e.target_account_id = Authority(e.target_id);
}

void BlueskyParser::PostView(element post, std::string_view at) {
  const std::string_view uri = Text(post, "uri");
  element record, author;
  if (uri.empty() || !Field(post, "record", &record) || !Field(post, "author", &author)) {
    // notFoundPost / blockedPost nodes of a thread carry no post.
    if (post.is_object() && (Field(post, "notFound", &record) || Field(post, "blocked", &record))) return;
    p_.Fail(InputErrorKind::kMissingValue, fmt::format("{}{}", at, uri.empty() ? "uri" : "record"),
            "the post view has no uri, record or author", "keep the post views whole as the API returns them");
    return;
  }
  const std::string at_record = fmt::format("{}record.", at);
  int64_t time = p_.Time(record, "createdAt", at_record, false, kTimeFix);
  if (time == kNoTime && p_.ok()) time = p_.Time(post, "indexedAt", at, true, kTimeFix);
  const std::string_view did = Profile(author, time, fmt::format("{}author.", at));
  if (!p_.ok()) return;
  ParsedEvent& e = p_.AddEvent(uri, did, EventType::kPost, time);
  PostRecord(record, at_record, &e);
  e.event.extras.emplace_back("cid", Text(post, "cid"));
  for (std::string_view key : {"replyCount", "repostCount", "likeCount", "quoteCount"})
    if (p_.Count(post, key, at) >= 0) e.event.extras.emplace_back(key, p_.Raw(post, key));
}

void BlueskyParser::Thread(element node, std::string_view at, int depth) {
  if (depth > 1000) {
    p_.Fail(InputErrorKind::kBadValue, at, "the thread is nested more than 1000 deep", "save shallower threads (depth)");
    return;
  }
  element post, list;
  if (Field(node, "post", &post)) PostView(post, fmt::format("{}post.", at));
  if (Field(node, "parent", &post)) Thread(post, fmt::format("{}parent.", at), depth + 1);
  if (Field(node, "replies", &list)) {
    size_t i = 0;
    for (element r : Array(list)) Thread(r, fmt::format("{}replies[{}].", at, i++), depth + 1);
  }
}

bool BlueskyParser::Jetstream(element doc) {
  std::string_view kind = Text(doc, "kind");
  if (kind.empty()) kind = Text(doc, "type");
  if (kind == "identity" || kind == "account" || kind == "id" || kind == "acc") return true;  // no post
  element commit = doc;
  std::string commit_at;
  if (Field(doc, "commit", &commit)) commit_at = "commit.";
  else commit = doc;
  std::string_view did = Text(doc, "did");
  if (did.empty()) did = Text(doc, "repo");
  if (did.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, "did", "the event has no did", "keep the did of every Jetstream event");
    return false;
  }
  std::string_view op = Text(commit, "operation");
  if (op.empty()) op = Text(commit, "action");
  const std::string_view collection = Text(commit, "collection");
  const std::string_view rkey = Text(commit, "rkey");
  if (op.empty() || collection.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, fmt::format("{}{}", commit_at, op.empty() ? "operation" : "collection"),
            "the commit has no operation or collection", "keep Jetstream's commit fields whole");
    return false;
  }
  if (op != "create" && op != "update") return true;  // a delete: nothing to add
  element record;
  if (!Field(commit, "record", &record)) {
    p_.Fail(InputErrorKind::kMissingValue, fmt::format("{}record", commit_at), "a create commit without its record",
            "keep the records (Jetstream sends them unless compressed away)");
    return false;
  }
  const std::string record_at = commit_at + "record.";
  int64_t time = p_.Time(record, "createdAt", record_at, false, kTimeFix);
  element us;
  int64_t time_us = 0;
  const bool have_us = Field(doc, "time_us", &us) && us.get_int64().get(time_us) == simdjson::SUCCESS;
  if (time == kNoTime && p_.ok()) {
    if (have_us) {
      // Jetstream's cursor time, microseconds: the same window as every time.
      time = time_us / 1000000;
      if (!InInputTimeWindow(time)) {
        p_.Fail(InputErrorKind::kBadTime, "time_us",
                fmt::format("{} microseconds is {}, outside 2000-01-01 .. a year from now", time_us,
                            time > kEarliestInputTime ? "too late" : "too early"),
                "time_us counts microseconds since 1970 (Jetstream's cursor); keep the record's createdAt");
        return false;
      }
    } else {
      time = p_.Time(doc, "time", "", true, kTimeFix);
    }
  }
  if (!p_.ok()) return false;
  if (collection == "app.bsky.actor.profile") {
    auto& user = p_.AddUser(did, kPlatform, have_us ? time_us / 1000000 : time);
    user.fields.display_name = Text(record, "displayName");
    user.fields.description = Text(record, "description");
    return true;
  }
  if (op != "create") return true;
  const std::string_view uri = p_.Keep(fmt::format("at://{}/{}/{}", did, collection, rkey));
  EventType type;
  if (collection == "app.bsky.feed.post") type = EventType::kPost;
  else if (collection == "app.bsky.feed.repost") type = EventType::kShare;
  else if (collection == "app.bsky.feed.like") type = EventType::kLike;
  else if (collection == "app.bsky.graph.follow") type = EventType::kFollow;
  else return true;  // lists, blocks, generators, ...: not events of the model
  ParsedEvent& e = p_.AddEvent(uri, did, type, time);
  e.event.extras.emplace_back("cid", Text(commit, "cid"));
  if (have_us) e.event.extras.emplace_back("time_us", p_.Raw(doc, "time_us"));
  if (type == EventType::kPost) {
    PostRecord(record, record_at, &e);
  } else if (type == EventType::kFollow) {
    e.event.target_account_id = Text(record, "subject");
    if (e.event.target_account_id.empty())
      p_.Fail(InputErrorKind::kMissingValue, record_at + "subject", "the follow has no subject", "keep the record whole");
  } else {
    element subject;
    if (Field(record, "subject", &subject)) e.event.target_id = Text(subject, "uri");
    if (e.event.target_id.empty())
      p_.Fail(InputErrorKind::kMissingValue, record_at + "subject.uri", "the record has no subject uri",
              "keep the record whole");
    e.event.target_account_id = Authority(e.event.target_id);
  }
  return p_.ok();
}

bool BlueskyParser::Parse(element doc) {
  element list, v;
  if (Field(doc, "feed", &list)) {  // getAuthorFeed, getTimeline
    size_t i = 0;
    for (element item : Array(list)) {
      const std::string at = fmt::format("feed[{}].", i++);
      element post, reason;
      if (!Field(item, "post", &post)) {
        p_.Fail(InputErrorKind::kMissingValue, at + "post", "the feed item has no post", "keep the feed items whole");
        return false;
      }
      if (Field(item, "reason", &reason) && Text(reason, "$type") == "app.bsky.feed.defs#reasonRepost") {
        element by;
        const std::string_view target = Text(post, "uri");
        const int64_t time = p_.Time(reason, "indexedAt", at + "reason.", true, kTimeFix);
        if (!Field(reason, "by", &by)) {
          p_.Fail(InputErrorKind::kMissingValue, at + "reason.by", "the repost names no reposter", "keep reason.by");
          return false;
        }
        const std::string_view did = Profile(by, time, at + "reason.by.");
        element author;
        if (Field(post, "author", &author)) Profile(author, time, at + "post.author.");
        if (!p_.ok()) return false;
        std::string_view id = Text(reason, "uri");  // newer AppViews give the repost record's uri
        if (id.empty()) id = p_.Keep(fmt::format("at://{}/app.bsky.feed.repost/?subject={}", did, target));
        ParsedEvent& e = p_.AddEvent(id, did, EventType::kShare, time);
        e.event.target_id = target;
        e.event.target_account_id = Authority(target);
        continue;
      }
      PostView(post, at + "post.");
      if (!p_.ok()) return false;
    }
    return p_.ok();
  }
  if (Field(doc, "posts", &list)) {  // searchPosts
    size_t i = 0;
    for (element post : Array(list)) {
      PostView(post, fmt::format("posts[{}].", i++));
      if (!p_.ok()) return false;
    }
    return true;
  }
  if (Field(doc, "thread", &v)) {  // getPostThread
    Thread(v, "thread.", 0);
    return p_.ok();
  }
  if (Field(doc, "post", &v)) {  // one feed item or thread node per line
    Thread(doc, "", 0);
    return p_.ok();
  }
  if (Field(doc, "uri", &v) && Field(doc, "record", &v)) {  // one post view per line
    PostView(doc, "");
    return p_.ok();
  }
  if (Field(doc, "did", &v) || Field(doc, "repo", &v)) return Jetstream(doc);
  return false;
}

}  // namespace

bool IsBlueskyJson(std::string_view prefix) {
  using internal::HasJsonKey;
  if (HasJsonKey(prefix, "time_us") && (HasJsonKey(prefix, "did") || HasJsonKey(prefix, "repo"))) return true;
  return prefix.find("\"at://did:") != std::string_view::npos && prefix.find("app.bsky.") != std::string_view::npos &&
         (HasJsonKey(prefix, "feed") || HasJsonKey(prefix, "posts") || HasJsonKey(prefix, "thread") ||
          HasJsonKey(prefix, "post") || HasJsonKey(prefix, "record"));
}

Result<Dataset> LoadBluesky(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                            LoadReport* report) {
  return internal::LoadJsonRecords(files, options, sink, report, {"bluesky", kPlatform, "Bluesky JSON (Jetstream events or XRPC responses)"},
                                   [](element doc, RecordParser& p) { return BlueskyParser(p).Parse(doc); });
}

}  // namespace lockstep
