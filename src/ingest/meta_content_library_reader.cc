#include "lockstep/ingest/meta_content_library_reader.h"

#include <algorithm>

#include "ingest/json_records.h"
#include "ingest/reader_support.h"
#include "lockstep/ingest/byte_source.h"

namespace lockstep {

namespace {

using internal::AccountFields;
using internal::Array;
using internal::DatasetBuilder;
using internal::EventFields;
using internal::element;
using internal::Field;
using internal::FieldReader;
using internal::ParsedEvent;
using internal::RecordParser;
using internal::Text;

constexpr std::string_view kTimeFix =
    "the Content Library writes creation_time as ISO 8601 (2024-06-01T07:00:00+0000) or Unix epoch seconds";

// What both forms say about one post.
struct Post {
  std::string_view id, text, lang, owner_id, owner_name, owner_type, owner_username, surface_id, surface_name,
      surface_type, shared_post_id, link, platform;
  bool has_reaction_count = false, has_like_count = false;
};

bool Mentions(std::string_view type, std::string_view word) {
  return internal::AsciiLower(type).find(word) != std::string::npos;
}

std::string_view PlatformOf(const Post& post) {
  if (!post.platform.empty()) return Mentions(post.platform, "instagram") ? "instagram" : "facebook";
  if (Mentions(post.owner_type, "instagram") || Mentions(post.surface_type, "instagram")) return "instagram";
  if (post.has_like_count && !post.has_reaction_count) return "instagram";
  return "facebook";
}

AccountKind KindOf(std::string_view type) {
  const std::string t = internal::AsciiLower(type);
  if (t == "page") return AccountKind::kPage;
  if (t == "group") return AccountKind::kGroup;
  return AccountKind::kAccount;
}

// The account and event of a post; `platform` must outlive both.
void Fill(const Post& post, std::string_view platform, AccountFields* a, EventFields* e) {
  a->platform = platform;
  a->kind = KindOf(post.owner_type);
  a->display_name = post.owner_name;
  a->handle = post.owner_username;
  a->extras = {{"owner_type", post.owner_type}};
  e->event_id = post.id;
  e->text = post.text;
  e->language = post.lang;
  if (!post.link.empty()) e->urls.push_back(post.link);
  if (!post.shared_post_id.empty()) {
    e->type = EventType::kShare;
    e->target_id = post.shared_post_id;
  }
  if (!post.surface_id.empty() && post.surface_id != post.owner_id)
    e->extras = {{"surface_id", post.surface_id}, {"surface_type", post.surface_type}, {"surface_name", post.surface_name}};
}

class JsonParser {
 public:
  explicit JsonParser(RecordParser& p) : p_(p) {}
  bool Parse(element doc) {
    element data;
    if (Field(doc, "data", &data) && data.is_array()) {
      size_t i = 0;
      for (element post : Array(data))
        if (!PostOf(post, fmt::format("data[{}].", i++))) return false;
      return true;
    }
    element probe;
    if (!Field(doc, "post_owner", &probe) && !Field(doc, "creation_time", &probe)) return false;
    return PostOf(doc, "");
  }

 private:
  bool PostOf(element v, const std::string& at) {
    Post post;
    post.id = p_.Id(v, "id");
    element owner, surface, link, stats;
    if (Field(v, "post_owner", &owner)) {
      post.owner_id = p_.Id(owner, "id");
      post.owner_name = Text(owner, "name");
      post.owner_type = Text(owner, "type");
      post.owner_username = Text(owner, "username");
    }
    if (post.id.empty() || post.owner_id.empty()) {
      p_.Fail(InputErrorKind::kMissingValue, at + (post.id.empty() ? "id" : "post_owner.id"),
              "the post has no id or post_owner.id", "request the fields id and post_owner (or post_owner.id)");
      return false;
    }
    const int64_t time = p_.Time(v, "creation_time", at, true, kTimeFix);
    if (!p_.ok()) return false;
    if (Field(v, "surface", &surface)) {
      post.surface_id = p_.Id(surface, "id");
      post.surface_name = Text(surface, "name");
      post.surface_type = Text(surface, "type");
    }
    post.text = Text(v, "text");
    post.lang = Text(v, "lang");
    post.shared_post_id = p_.Id(v, "shared_post_id");
    if (Field(v, "link_attachment", &link)) post.link = Text(link, "link");
    post.platform = Text(v, "platform");
    const bool has_stats = Field(v, "statistics", &stats) && stats.is_object();
    if (has_stats) {
      post.has_reaction_count = !stats.at_key("reaction_count").error();
      post.has_like_count = !stats.at_key("like_count").error();
    }
    const std::string_view platform = PlatformOf(post);
    auto& user = p_.AddUser(post.owner_id, platform, time);
    ParsedEvent& pe = p_.AddEvent(post.id, post.owner_id, EventType::kPost, time);
    Fill(post, platform, &user.fields, &pe.event);
    if (has_stats) {
      simdjson::dom::object members;
      if (stats.get_object().get(members) == simdjson::SUCCESS)
        for (auto [key, value] : members) {
          if (value.is_object() || value.is_array()) continue;  // reaction breakdowns stay in the raw record
          const std::string_view k = key;
          if (p_.Count(stats, k, at + "statistics.") >= 0)
            pe.event.extras.emplace_back(p_.Keep(fmt::format("statistics.{}", k)), p_.Raw(stats, k));
        }
    }
    pe.event.extras.emplace_back("modified_time", p_.Raw(v, "modified_time"));
    return p_.ok();
  }

  RecordParser& p_;
};

enum Column : size_t {
  kId, kCreationTime, kText, kLang, kOwnerId, kOwnerName, kOwnerType, kOwnerUsername, kSurfaceId, kSurfaceName,
  kSurfaceType, kSharedPostId, kLink, kPlatformColumn, kReactionCount, kLikeCount
};

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> kNames = {
      "id",           "creation_time", "text",         "lang",         "post_owner.id",  "post_owner.name",
      "post_owner.type", "post_owner.username", "surface.id", "surface.name", "surface.type", "shared_post_id",
      "link_attachment.link", "platform", "statistics.reaction_count", "statistics.like_count"};
  return kNames;
}

bool IsCsv(const std::string& path) {
  const std::string name = StripCompressionSuffix(path);
  return name.size() >= 4 && name.compare(name.size() - 4, 4, ".csv") == 0;
}

Result<Dataset> LoadCsv(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                        LoadReport* report) {
  const auto start = std::chrono::steady_clock::now();
  report->format = "meta_content_library";
  Dataset ds;
  DatasetBuilder builder(&ds);
  internal::TableLoop loop(options, sink, report, files);
  EventFields e;
  for (const std::string& path : files) {
    auto handle = [&](FieldReader& p) {
      e.Clear();
      Post post;
      post.id = p.Required(kId);
      post.owner_id = p.Required(kOwnerId);
      e.time = p.Time(kCreationTime, true);
      p.Count(kReactionCount, -1);
      p.Count(kLikeCount, -1);
      if (!p.ok()) return false;
      post.text = p.Get(kText);
      post.lang = p.Get(kLang);
      post.owner_name = p.Get(kOwnerName);
      post.owner_type = p.Get(kOwnerType);
      post.owner_username = p.Get(kOwnerUsername);
      post.surface_id = p.Get(kSurfaceId);
      post.surface_name = p.Get(kSurfaceName);
      post.surface_type = p.Get(kSurfaceType);
      post.shared_post_id = p.Get(kSharedPostId);
      post.link = p.Get(kLink);
      post.platform = p.Get(kPlatformColumn);
      post.has_reaction_count = !p.Get(kReactionCount).empty();
      post.has_like_count = !p.Get(kLikeCount).empty();
      if (!builder.ClaimEventId(post.id)) return true;  // the same post exported twice: keep the first
      AccountFields a;
      Fill(post, PlatformOf(post), &a, &e);
      e.account = builder.Profile(post.owner_id, a, e.time);
      for (size_t f : {kReactionCount, kLikeCount})
        if (!p.Get(f).empty()) e.extras.emplace_back(Columns()[f], p.Get(f));
      for (const auto& extra : p.row().extras)
        if (!extra.second.empty()) e.extras.push_back(extra);
      builder.AddEvent(e);
      return true;
    };
    if (!loop.Run(path, Columns(), std::vector<size_t>{kId, kCreationTime, kOwnerId}, "a Meta Content Library CSV export",
                  handle))
      return internal::FinishLoad(Status::InputError("stopped"), Dataset(), sink, report, start);
  }
  builder.Finish();
  return internal::FinishLoad(Status::Ok(), std::move(ds), sink, report, start);
}

}  // namespace

bool IsMetaContentLibraryJson(std::string_view prefix) {
  using internal::HasJsonKey;
  return HasJsonKey(prefix, "post_owner") && (HasJsonKey(prefix, "creation_time") || HasJsonKey(prefix, "surface"));
}

bool IsMetaContentLibraryHeader(const std::vector<std::string>& header) {
  auto has = [&](std::string_view c) { return std::find(header.begin(), header.end(), c) != header.end(); };
  return has("post_owner.id") && has("creation_time");
}

Result<Dataset> LoadMetaContentLibrary(const std::vector<std::string>& files, const LoadOptions& options,
                                       ErrorSink* sink, LoadReport* report) {
  const size_t csv = static_cast<size_t>(std::count_if(files.begin(), files.end(), IsCsv));
  if (csv > 0 && csv < files.size())
    return Status::InvalidArgument(fmt::format(
        "{} and {}: a Meta Content Library load is all CSV or all JSON; load the CSV and the JSON exports separately",
        *std::find_if(files.begin(), files.end(), IsCsv),
        *std::find_if(files.begin(), files.end(), [](const std::string& f) { return !IsCsv(f); })));
  if (csv > 0) return LoadCsv(files, options, sink, report);
  return internal::LoadJsonRecords(
      files, options, sink, report,
      {"meta_content_library", "facebook", "Meta Content Library posts (Facebook or Instagram)"},
      [](element doc, RecordParser& p) { return JsonParser(p).Parse(doc); });
}

}  // namespace lockstep
