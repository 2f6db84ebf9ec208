#include "lockstep/ingest/youtube_reader.h"

#include "ingest/json_records.h"

namespace lockstep {

namespace {

using internal::Array;
using internal::EventFields;
using internal::element;
using internal::Field;
using internal::ParsedEvent;
using internal::PathText;
using internal::RecordParser;
using internal::Text;

constexpr std::string_view kPlatform = "youtube";
constexpr std::string_view kTimeFix = "the Data API writes publishedAt as ISO 8601, e.g. 2019-03-28T11:33:46.000Z";

class YouTubeParser {
 public:
  explicit YouTubeParser(RecordParser& p) : p_(p) {}
  bool Parse(element doc);

 private:
  bool Item(element item, const std::string& at);
  bool Video(element v, const std::string& at);
  // A youtube#comment; `video_channel` the video's channel when known.
  bool Comment(element c, std::string_view video_id, std::string_view video_channel, const std::string& at);

  RecordParser& p_;
};

bool YouTubeParser::Video(element v, const std::string& at) {
  const std::string_view id = p_.Id(v, "id");
  element snippet;
  if (id.empty() || !Field(v, "snippet", &snippet)) {
    p_.Fail(InputErrorKind::kMissingValue, at + (id.empty() ? "id" : "snippet"), "the video has no id or snippet",
            "request part=snippet (and statistics) and keep the items whole");
    return false;
  }
  const std::string snippet_at = at + "snippet.";
  const int64_t time = p_.Time(snippet, "publishedAt", snippet_at, true, kTimeFix);
  const std::string_view channel = Text(snippet, "channelId");
  if (channel.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, snippet_at + "channelId", "the video names no channel",
            "keep snippet.channelId");
    return false;
  }
  auto& user = p_.AddUser(channel, kPlatform, time);
  user.fields.kind = AccountKind::kChannel;
  user.fields.display_name = Text(snippet, "channelTitle");
  ParsedEvent& pe = p_.AddEvent(id, channel, EventType::kPost, time);
  EventFields& e = pe.event;
  const std::string_view title = Text(snippet, "title"), description = Text(snippet, "description");
  e.text = description.empty() ? title : p_.Keep(fmt::format("{}\n\n{}", title, description));
  element tags;
  if (Field(snippet, "tags", &tags))
    for (element t : Array(tags)) {
      std::string_view s;
      if (t.get_string().get(s) == simdjson::SUCCESS) e.hashtags.push_back(s);
    }
  e.language = Text(snippet, "defaultLanguage");
  if (e.language.empty()) e.language = Text(snippet, "defaultAudioLanguage");
  e.extras = {{"category_id", Text(snippet, "categoryId")}};
  element stats;
  if (Field(v, "statistics", &stats))
    for (std::string_view key : {"viewCount", "likeCount", "commentCount", "favoriteCount"})
      if (p_.Count(stats, key, at + "statistics.") >= 0) e.extras.emplace_back(key, p_.Raw(stats, key));
  return p_.ok();
}

bool YouTubeParser::Comment(element c, std::string_view video_id, std::string_view video_channel, const std::string& at) {
  const std::string_view id = p_.Id(c, "id");
  element snippet;
  if (id.empty() || !Field(c, "snippet", &snippet)) {
    p_.Fail(InputErrorKind::kMissingValue, at + (id.empty() ? "id" : "snippet"), "the comment has no id or snippet",
            "request part=snippet and keep the items whole");
    return false;
  }
  const std::string snippet_at = at + "snippet.";
  const int64_t time = p_.Time(snippet, "publishedAt", snippet_at, true, kTimeFix);
  const std::string_view author = PathText(snippet, "authorChannelId.value");
  if (author.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, snippet_at + "authorChannelId.value", "the comment names no author channel",
            "keep snippet.authorChannelId");
    return false;
  }
  auto& user = p_.AddUser(author, kPlatform, time);
  user.fields.display_name = Text(snippet, "authorDisplayName");
  const std::string_view name = user.fields.display_name;
  if (!name.empty() && name.front() == '@') user.fields.handle = name.substr(1);  // the API now gives @handles
  user.fields.extras = {{"profile_image_url", Text(snippet, "authorProfileImageUrl")},
                        {"channel_url", Text(snippet, "authorChannelUrl")}};
  ParsedEvent& pe = p_.AddEvent(id, author, EventType::kComment, time);
  EventFields& e = pe.event;
  const std::string_view parent = Text(snippet, "parentId");
  std::string_view video = Text(snippet, "videoId");
  if (video.empty()) video = video_id;
  if (!parent.empty()) {
    e.target_id = parent;
  } else {
    e.target_id = video;
    e.target_account_id = video_channel;
  }
  if (e.target_id.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, snippet_at + "videoId", "the comment names neither a parent nor a video",
            "keep snippet.videoId and snippet.parentId");
    return false;
  }
  e.text = Text(snippet, "textOriginal");
  if (e.text.empty()) e.text = Text(snippet, "textDisplay");
  e.extras = {{"video_id", video}, {"updated_at", Text(snippet, "updatedAt")}};
  if (p_.Count(snippet, "likeCount", snippet_at) >= 0) e.extras.emplace_back("likeCount", p_.Raw(snippet, "likeCount"));
  return p_.ok();
}

bool YouTubeParser::Item(element item, const std::string& at) {
  const std::string_view kind = Text(item, "kind");
  if (kind == "youtube#video") return Video(item, at);
  if (kind == "youtube#comment") return Comment(item, {}, {}, at);
  if (kind == "youtube#commentThread") {
    element snippet, top, replies;
    if (!Field(item, "snippet", &snippet) || !Field(snippet, "topLevelComment", &top)) {
      p_.Fail(InputErrorKind::kMissingValue, at + "snippet.topLevelComment", "the thread has no top-level comment",
              "request part=snippet,replies");
      return false;
    }
    const std::string_view video = Text(snippet, "videoId");
    const std::string_view channel = Text(snippet, "channelId");
    if (!Comment(top, video, channel, at + "snippet.topLevelComment.")) return false;
    if (Field(item, "replies", &replies) && Field(replies, "comments", &replies)) {
      size_t i = 0;
      for (element r : Array(replies))
        if (!Comment(r, video, channel, fmt::format("{}replies.comments[{}].", at, i++))) return false;
    }
    return true;
  }
  return true;  // channels, playlists, search results: no event of the model
}

bool YouTubeParser::Parse(element doc) {
  element items;
  if (Field(doc, "items", &items)) {
    size_t i = 0;
    for (element item : Array(items))
      if (!Item(item, fmt::format("items[{}].", i++))) return false;
    return true;
  }
  const std::string_view kind = Text(doc, "kind");
  if (kind.substr(0, 8) != "youtube#") return false;
  return Item(doc, "");
}

}  // namespace

bool IsYouTubeJson(std::string_view prefix) { return prefix.find("\"youtube#") != std::string_view::npos; }

Result<Dataset> LoadYouTube(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                            LoadReport* report) {
  return internal::LoadJsonRecords(files, options, sink, report,
                                   {"youtube", kPlatform, "YouTube Data API v3 responses (videos, commentThreads, comments)"},
                                   [](element doc, RecordParser& p) { return YouTubeParser(p).Parse(doc); });
}

}  // namespace lockstep
