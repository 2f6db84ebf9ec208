#include "lockstep/ingest/tiktok_reader.h"

#include "ingest/json_records.h"

namespace lockstep {

namespace {

using internal::Array;
using internal::EventFields;
using internal::element;
using internal::Field;
using internal::ParsedEvent;
using internal::RecordParser;
using internal::Text;

constexpr std::string_view kPlatform = "tiktok";
constexpr std::string_view kTimeFix = "the Research API writes create_time as Unix epoch seconds (1675000000)";

class TikTokParser {
 public:
  explicit TikTokParser(RecordParser& p) : p_(p) {}
  bool Parse(element doc);

 private:
  bool Video(element v, const std::string& at);
  bool Comment(element c, const std::string& at);
  void Strings(element e, std::string_view key, std::vector<std::string_view>* out);

  RecordParser& p_;
};

void TikTokParser::Strings(element e, std::string_view key, std::vector<std::string_view>* out) {
  element list;
  if (!Field(e, key, &list)) return;
  for (element item : Array(list)) {
    std::string_view s;
    if (item.get_string().get(s) == simdjson::SUCCESS && !s.empty()) out->push_back(s);
  }
}

bool TikTokParser::Video(element v, const std::string& at) {
  const std::string_view id = p_.Id(v, "id");
  const std::string_view user = Text(v, "username");
  if (id.empty() || user.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, at + (id.empty() ? "id" : "username"), "the video has no id or username",
            "request fields=id,username,create_time (and the others) in the video query");
    return false;
  }
  const int64_t time = p_.Time(v, "create_time", at, true, kTimeFix);
  if (!p_.ok()) return false;
  auto& u = p_.AddUser(user, kPlatform, time);
  u.fields.handle = user;
  u.fields.extras = {{"region_code", Text(v, "region_code")}};
  ParsedEvent& pe = p_.AddEvent(id, user, EventType::kPost, time);
  EventFields& e = pe.event;
  e.text = Text(v, "video_description");
  Strings(v, "hashtag_names", &e.hashtags);
  Strings(v, "video_mention_list", &e.mentions);
  for (std::string_view key : {"like_count", "comment_count", "share_count", "view_count", "favorites_count",
                               "video_duration"})
    if (p_.Count(v, key, at) >= 0) e.extras.emplace_back(key, p_.Raw(v, key));
  for (std::string_view key : {"music_id", "playlist_id", "region_code", "is_stem_verified", "video_label"})
    e.extras.emplace_back(key, p_.Raw(v, key));
  return p_.ok();
}

bool TikTokParser::Comment(element c, const std::string& at) {
  const std::string_view id = p_.Id(c, "id");
  const std::string_view video = p_.Id(c, "video_id");
  if (id.empty() || video.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, at + (id.empty() ? "id" : "video_id"), "the comment has no id or video_id",
            "request fields=id,video_id,parent_comment_id,create_time,text in the comment query");
    return false;
  }
  const int64_t time = p_.Time(c, "create_time", at, true, kTimeFix);
  if (!p_.ok()) return false;
  // The API names no author: an account per comment (docs/formats.md).
  const std::string_view author = p_.Keep(fmt::format("comment:{}", id));
  p_.AddUser(author, kPlatform, time).fields.extras = {{"author_unknown", "true"}};
  ParsedEvent& pe = p_.AddEvent(id, author, EventType::kComment, time);
  EventFields& e = pe.event;
  const std::string_view parent = p_.Id(c, "parent_comment_id");
  e.target_id = parent.empty() || parent == video ? video : parent;
  e.text = Text(c, "text");
  e.extras = {{"video_id", video}};
  for (std::string_view key : {"like_count", "reply_count"})
    if (p_.Count(c, key, at) >= 0) e.extras.emplace_back(key, p_.Raw(c, key));
  return p_.ok();
}

bool TikTokParser::Parse(element doc) {
  element data, error;
  if (Field(doc, "data", &data) || Field(doc, "error", &error)) {
    const bool has_data = Field(doc, "data", &data);
    if (Field(doc, "error", &error)) {
      const std::string_view code = Text(error, "code");
      if (!code.empty() && code != "ok" && !has_data) {
        p_.Fail(InputErrorKind::kBadValue, "error.code",
                fmt::format("the API answered with error '{}': {}", internal::Clip(code),
                            internal::Clip(Text(error, "message"))),
                "save only successful responses (error.code \"ok\"); query the failed page again");
        return false;
      }
    }
    if (!has_data) return true;
    element list;
    size_t i = 0;
    if (Field(data, "videos", &list)) {
      for (element v : Array(list))
        if (!Video(v, fmt::format("data.videos[{}].", i++))) return false;
      return true;
    }
    if (Field(data, "comments", &list)) {
      for (element c : Array(list))
        if (!Comment(c, fmt::format("data.comments[{}].", i++))) return false;
      return true;
    }
    return true;  // a page without results
  }
  element probe;
  if (Field(doc, "video_id", &probe)) return Comment(doc, "");
  if (Field(doc, "username", &probe) || Field(doc, "video_description", &probe) ||
      Field(doc, "create_time", &probe))
    return Video(doc, "");
  return false;
}

}  // namespace

bool IsTikTokJson(std::string_view prefix) {
  using internal::HasJsonKey;
  return HasJsonKey(prefix, "video_description") || HasJsonKey(prefix, "hashtag_names") ||
         (HasJsonKey(prefix, "parent_comment_id") && HasJsonKey(prefix, "video_id")) ||
         (HasJsonKey(prefix, "search_id") && HasJsonKey(prefix, "videos"));
}

Result<Dataset> LoadTikTok(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                           LoadReport* report) {
  return internal::LoadJsonRecords(files, options, sink, report,
                                   {"tiktok", kPlatform, "TikTok Research API results (video query, comment list)"},
                                   [](element doc, RecordParser& p) { return TikTokParser(p).Parse(doc); });
}

}  // namespace lockstep
