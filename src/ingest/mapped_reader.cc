#include "lockstep/ingest/mapped_reader.h"

#include <algorithm>
#include <cstring>
#include <deque>

#include <simdjson.h>

#include "ingest/reader_support.h"
#include "lockstep/ingest/field_parsers.h"

namespace lockstep {

namespace {

using internal::AccountFields;
using internal::Clip;
using internal::DatasetBuilder;
using internal::EventFields;
using internal::FieldReader;

enum Field : size_t {
  kEventId, kAccountId, kTime, kType, kTargetId, kTargetAccountId, kText, kUrls, kHashtags, kMentions, kLanguage,
  kClient, kTargetCountry, kPlatform, kKind, kHandle, kDisplayName, kAccountCreatedAt, kClaimedLocation, kCountry,
  kAccountLanguage, kFollowers, kFollowing, kProfileImageHash, kDescription, kFields
};
constexpr size_t kFirstAccountField = kPlatform;

// Where a field's value comes from.
struct Source {
  enum class Kind { kNone, kColumn, kConstant, kPath } kind = Kind::kNone;
  size_t column = 0;      // index in the reader's fields (kColumn: the column; kPath: its top-level key)
  size_t literal_column = 0;  // kPath: the dotted name as one key, which wins if present
  std::string constant;   // kConstant
  std::string pointer;    // kPath: JSON pointer below the top-level key, e.g. "/id_str"
  std::string name;       // the column as the user wrote it, for messages
};

class MappedRow {
 public:
  // parser: reused across rows for dotted JSON paths.
  MappedRow(FieldReader& p, const std::vector<Source>& sources, simdjson::dom::parser* parser)
      : p_(p), sources_(sources), parser_(*parser) {}

  std::string_view Get(size_t f) {
    const Source& s = sources_[f];
    switch (s.kind) {
      case Source::Kind::kNone: return {};
      case Source::Kind::kConstant: return s.constant;
      case Source::Kind::kColumn: {
        const std::string_view v = p_.Get(s.column);
        return v;
      }
      case Source::Kind::kPath: {
        if (!p_.Get(s.literal_column).empty()) return p_.Get(s.literal_column);  // a literal dotted key wins
        const std::string_view object = p_.Get(s.column);
        if (object.empty()) return {};
        padded_ = simdjson::padded_string(object);
        simdjson::dom::element root, v;
        if (parser_.parse(padded_).get(root) || root.at_pointer(s.pointer).get(v) || v.is_null()) return {};
        std::string_view text;
        if (v.get_string().get(text) == simdjson::SUCCESS) return store_.emplace_back(text);
        return store_.emplace_back(simdjson::minify(v));
      }
    }
    return {};
  }

  void Fail(InputErrorKind kind, size_t f, std::string problem, std::string fix) {
    p_.Fail(kind, SIZE_MAX, std::move(problem), std::move(fix), FieldName(f));
  }
  std::string FieldName(size_t f) const {
    return sources_[f].name.empty() ? MappableFields()[f] : fmt::format("{} (mapped to {})", sources_[f].name,
                                                                         MappableFields()[f]);
  }
  bool ok() const { return p_.ok(); }

  int64_t Time(size_t f, bool required) {
    const std::string_view v = Get(f);
    if (v.empty()) {
      if (required) Fail(InputErrorKind::kMissingValue, f, "the field is required and is empty", "fill it in, or drop the row");
      return kNoTime;
    }
    int64_t t = 0;
    std::string problem, fix;
    if (!internal::ReadInputTime(v, &t, &problem, &fix, internal::kTimeFormsFix)) {
      Fail(InputErrorKind::kBadTime, f, std::move(problem), std::move(fix));
      return kNoTime;
    }
    return t;
  }
  int64_t Count(size_t f) {
    const std::string_view v = Get(f);
    if (v.empty()) return -1;
    int64_t n = 0;
    if (!ParseInt64(v, &n)) {
      Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not an integer", Clip(v)), "write a whole number");
      return -1;
    }
    if (n < 0) {
      Fail(InputErrorKind::kNegativeValue, f, fmt::format("{} is negative; a count is 0 or more", n),
           "leave the cell empty if the count is unknown");
      return -1;
    }
    return n;
  }
  CountryCode Country(size_t f) {
    const std::string_view v = Get(f);
    CountryCode c = kNoCountry;
    if (!v.empty() && !ParseCountry(v, &c))
      Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not an ISO 3166-1 alpha-2 country code", Clip(v)),
           "write two letters, e.g. DE");
    return c;
  }
  template <typename E>
  E Enum(size_t f, E fallback, std::string_view choices) {
    const std::string_view v = Get(f);
    E e = fallback;
    if (!v.empty() && !Parse(v, &e))
      Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not one of {}", Clip(v), choices),
           "map the column's values onto these, or map a constant (--map type==share)");
    return e;
  }
  void List(size_t f, std::vector<std::string_view>* items) {
    const std::string_view v = Get(f);
    if (v.empty()) return;
    list_scratch_.emplace_back();
    if (!ParseList(v, &list_scratch_.back(), items))
      Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not a list", Clip(v)),
           "write a JSON array, a Python list or space-separated values");
  }

 private:
  FieldReader& p_;
  const std::vector<Source>& sources_;
  std::deque<std::string> store_;
  std::deque<std::string> list_scratch_;
  simdjson::dom::parser& parser_;
  simdjson::padded_string padded_;
};

}  // namespace

const std::vector<std::string>& MappableFields() {
  static const std::vector<std::string> kNames = {
      "event_id",         "account_id", "time",       "type",        "target_id",     "target_account_id",
      "text",             "urls",       "hashtags",   "mentions",    "language",      "client",
      "target_country",   "platform",   "kind",       "handle",      "display_name",  "account_created_at",
      "claimed_location", "country",    "account_language", "followers", "following", "profile_image_hash",
      "description"};
  return kNames;
}

Result<Dataset> LoadMapped(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                           LoadReport* report) {
  const auto start = std::chrono::steady_clock::now();
  report->format = "map";
  const std::vector<std::string>& names = MappableFields();
  std::vector<std::string> mapped(kFields);  // field -> column as written ("" = not mapped)
  for (const auto& [field, column] : options.column_map) {
    const auto it = std::find(names.begin(), names.end(), field);
    if (it == names.end())
      return Status::InvalidArgument(
          fmt::format("--map: unknown field '{}'; the fields are {}", field, fmt::join(names, ", ")));
    const size_t f = static_cast<size_t>(it - names.begin());
    if (!mapped[f].empty())
      return Status::InvalidArgument(fmt::format("--map: field '{}' is mapped twice ({} and {})", field, mapped[f], column));
    if (column.empty()) return Status::InvalidArgument(fmt::format("--map: field '{}' is mapped to nothing", field));
    mapped[f] = column;
  }

  Dataset ds;
  DatasetBuilder builder(&ds);
  internal::TableLoop loop(options, sink, report, files);
  EventFields e;
  simdjson::dom::parser parser;
  for (const std::string& path : files) {
    const bool json = TableFormatFromName(path) == TableFormat::kJsonLines;
    // The reader's fields: each distinct column once; a dotted JSON path asks
    // for its top-level key and for the literal dotted key after it.
    std::vector<std::string> columns;
    auto column_index = [&](const std::string& c) {
      const auto it = std::find(columns.begin(), columns.end(), c);
      if (it != columns.end()) return static_cast<size_t>(it - columns.begin());
      columns.push_back(c);
      return columns.size() - 1;
    };
    std::vector<Source> sources(kFields);
    for (size_t f = 0; f < kFields; ++f) {
      Source& s = sources[f];
      const std::string& m = mapped[f];
      if (!m.empty() && m.front() == '=') {
        s.kind = Source::Kind::kConstant;
        s.constant = m.substr(1);
        continue;
      }
      const std::string column = m.empty() ? names[f] : m;
      s.name = m;
      const size_t dot = column.find('.');
      if (json && dot != std::string::npos && dot > 0 && dot + 1 < column.size()) {
        s.kind = Source::Kind::kPath;
        const std::string top = column.substr(0, dot);
        s.column = column_index(top);
        s.literal_column = column_index(column);
        s.pointer = "/" + column.substr(dot + 1);
        for (char& c : s.pointer)
          if (c == '.') c = '/';
        continue;
      }
      s.kind = Source::Kind::kColumn;
      s.column = column_index(column);
    }
    // account_id and time must come from somewhere: a mapped or same-named column, or a constant.
    auto required = [&](const TableReader& reader) {
      std::vector<size_t> out;
      for (size_t f : {kAccountId, kTime}) {
        const Source& s = sources[f];
        if (s.kind == Source::Kind::kColumn) out.push_back(s.column);
      }
      // A column the user named in --map must exist: a misspelt one would
      // otherwise leave its field empty without a word.
      for (const Source& s : sources)
        if (s.kind == Source::Kind::kColumn && !s.name.empty() &&
            std::find(out.begin(), out.end(), s.column) == out.end())
          out.push_back(s.column);
      // Fields that name no column of a CSV file are not there at all.
      for (Source& s : sources)
        if (s.kind == Source::Kind::kColumn && !reader.HasField(s.column)) s.kind = Source::Kind::kNone;
      return out;
    };
    bool has_account_fields = false;
    // JSON Lines have no header: a key the user named in --map must hold a
    // value in at least one record, or it is taken as misspelt (item 12 of
    // issue 17: text=nosuchcol once loaded every row without its text).
    std::vector<size_t> unseen;
    if (json)
      for (size_t f = 0; f < kFields; ++f)
        if (!sources[f].name.empty() && sources[f].kind != Source::Kind::kConstant) unseen.push_back(f);
    auto handle = [&](FieldReader& p) {
      MappedRow r(p, sources, &parser);
      e.Clear();
      const std::string_view account = r.Get(kAccountId);
      if (account.empty())
        r.Fail(InputErrorKind::kMissingValue, kAccountId, "the field is required and is empty", "fill it in, or drop the row");
      e.time = r.Time(kTime, true);
      e.type = r.Enum(kType, EventType::kPost, "post, share, comment, like, follow, join");
      e.target_country = r.Country(kTargetCountry);
      r.List(kUrls, &e.urls);
      r.List(kHashtags, &e.hashtags);
      r.List(kMentions, &e.mentions);
      AccountFields a;
      a.kind = r.Enum(kKind, AccountKind::kAccount, "account, page, group, channel");
      a.created_at = r.Time(kAccountCreatedAt, false);
      a.country = r.Country(kCountry);
      a.followers = r.Count(kFollowers);
      a.following = r.Count(kFollowing);
      const std::string_view hash = r.Get(kProfileImageHash);
      if (!hash.empty()) {
        a.has_profile_image_hash = ParseHash64(hash, &a.profile_image_hash);
        if (!a.has_profile_image_hash)
          r.Fail(InputErrorKind::kBadValue, kProfileImageHash, fmt::format("'{}' is not 16 hex digits", Clip(hash)),
                 "write the 64-bit perceptual hash as 16 hex digits");
      }
      if (!r.ok()) return false;
      e.event_id = r.Get(kEventId);
      if (!e.event_id.empty() && !builder.ClaimEventId(e.event_id)) {
        r.Fail(InputErrorKind::kDuplicateId, kEventId, fmt::format("event_id '{}' appears twice", Clip(e.event_id)),
               "keep one row per event, or map event_id to a unique column");
        return false;
      }
      a.platform = r.Get(kPlatform);
      a.handle = r.Get(kHandle);
      a.display_name = r.Get(kDisplayName);
      a.claimed_location = r.Get(kClaimedLocation);
      a.language = r.Get(kAccountLanguage);
      a.description = r.Get(kDescription);
      if (!has_account_fields)
        for (size_t f = kFirstAccountField; f < kFields; ++f)
          if (sources[f].kind != Source::Kind::kNone) has_account_fields = true;
      e.account = has_account_fields ? builder.Profile(account, a, e.time) : builder.Actor(account, "");
      e.target_id = r.Get(kTargetId);
      e.target_account_id = r.Get(kTargetAccountId);
      e.text = r.Get(kText);
      e.language = r.Get(kLanguage);
      e.client = r.Get(kClient);
      e.extras = p.row().extras;
      builder.AddEvent(e);
      std::erase_if(unseen, [&](size_t f) { return !r.Get(f).empty(); });
      return true;
    };
    if (!loop.Run(path, columns, required, "--map", handle))
      return internal::FinishLoad(Status::InputError("stopped"), Dataset(), sink, report, start);
    if (!unseen.empty() && report->files.back().rows_loaded > 0) {
      InputError error;
      error.kind = InputErrorKind::kMissingColumn;
      error.file = path;
      error.field = mapped[unseen.front()];
      error.problem = fmt::format("no record of the file has a value for '{}', which --map {}={} names",
                                  mapped[unseen.front()], names[unseen.front()], mapped[unseen.front()]);
      error.fix = "check the key's spelling (a nested key as user.id), or drop the mapping";
      sink->Report(error);
      report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return Status::InputError(error.ToString());
    }
  }
  builder.Finish();
  return internal::FinishLoad(Status::Ok(), std::move(ds), sink, report, start);
}

}  // namespace lockstep
