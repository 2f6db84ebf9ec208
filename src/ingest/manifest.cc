#include "lockstep/ingest/manifest.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <simdjson.h>

#include "ingest/reader_support.h"
#include "lockstep/ingest/load.h"

namespace lockstep {

namespace {

namespace od = simdjson::ondemand;

constexpr std::string_view kVersionKey = "lockstep_manifest";
constexpr uint64_t kVersion = 1;

// Walks one manifest's JSON, keeping the first error with its line.
class ManifestParser {
 public:
  ManifestParser(const std::string& path, const simdjson::padded_string& text) : path_(path), text_(text) {}

  bool Parse(Manifest* out);
  const InputError& error() const { return error_; }

 private:
  uint64_t LineAt(const char* at) const {
    if (at == nullptr || at < text_.data()) return 0;
    return internal::LineAtOffset({text_.data(), text_.size()}, static_cast<size_t>(at - text_.data()));
  }
  bool Fail(const char* at, InputErrorKind kind, std::string field, std::string problem, std::string fix) {
    error_.kind = kind;
    error_.file = path_;
    error_.line = LineAt(at);
    error_.byte_offset = at != nullptr && error_.line > 0 ? static_cast<uint64_t>(at - text_.data()) : 0;
    error_.field = std::move(field);
    error_.problem = std::move(problem);
    error_.fix = std::move(fix);
    return false;
  }
  // A simdjson error while walking: the wrong type where `expected` was due,
  // or JSON that is not well formed.
  bool FailJson(simdjson::error_code code, const char* at, std::string field, std::string_view expected) {
    if (code == simdjson::INCORRECT_TYPE || code == simdjson::NUMBER_ERROR || code == simdjson::NUMBER_OUT_OF_RANGE)
      return Fail(at, InputErrorKind::kBadValue, std::move(field), fmt::format("expected {}", expected),
                  fmt::format("write {} here (see docs/formats.md, \"Manifest\")", expected));
    return Fail(at, InputErrorKind::kBadJson, std::move(field),
                fmt::format("not well-formed JSON ({})", simdjson::error_message(code)),
                "check the commas, quotes and brackets around this line");
  }
  // Where the iteration of `doc` stands, or nullptr past its end.
  static const char* Here(od::document& doc) {
    const char* at = nullptr;
    if (doc.current_location().get(at)) return nullptr;
    return at;
  }
  bool ParseSource(od::value value, size_t index, const char* at, ManifestSource* out);
  bool String(od::value value, const char* at, const std::string& field, std::string* out) {
    std::string_view s;
    if (auto code = value.get_string().get(s)) return FailJson(code, at, field, "a string");
    *out = std::string(s);
    return true;
  }

  const std::string& path_;
  const simdjson::padded_string& text_;
  InputError error_;
};

bool ManifestParser::Parse(Manifest* out) {
  od::parser parser;
  od::document doc;
  if (auto code = parser.iterate(text_).get(doc)) return FailJson(code, nullptr, "", "");
  od::object root;
  if (auto code = doc.get_object().get(root))
    return code == simdjson::INCORRECT_TYPE
               ? Fail(text_.data(), InputErrorKind::kBadValue, "", "a manifest is a JSON object",
                      "write {\"lockstep_manifest\": 1, \"sources\": [...]}")
               : FailJson(code, text_.data(), "", "");
  bool version = false, sources = false;
  const char* root_at = text_.data();
  for (auto member : root) {
    od::field field;
    if (auto code = std::move(member).get(field)) return FailJson(code, Here(doc), "", "");
    const char* key_at = field.key().raw();
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return FailJson(code, key_at, "", "");
    std::string name(key);
    od::value value = field.value();
    const char* at = value.raw_json_token().data();
    if ((name == kVersionKey && version) || (name == "sources" && sources))
      return Fail(key_at, InputErrorKind::kBadValue, name, fmt::format("'{}' appears twice", name), "keep one of them");
    if (name == kVersionKey) {
      uint64_t v = 0;
      if (auto code = value.get_uint64().get(v)) return FailJson(code, at, name, "the version number 1");
      if (v != kVersion)
        return Fail(at, InputErrorKind::kBadValue, name,
                    fmt::format("version {}; this lockstep reads version {}", v, kVersion),
                    "write \"lockstep_manifest\": 1, or use the lockstep that wrote the manifest");
      version = true;
    } else if (name == "sources") {
      od::array array;
      if (auto code = value.get_array().get(array))
        return FailJson(code, at, name, "an array of sources, [{\"path\": ...}, ...]");
      size_t index = 0;
      for (auto element : array) {
        od::value item;
        if (auto code = std::move(element).get(item))
          return FailJson(code, Here(doc), fmt::format("sources[{}]", index), "");
        ManifestSource source;
        if (!ParseSource(item, index, item.raw_json_token().data(), &source)) return false;
        out->sources.push_back(std::move(source));
        ++index;
      }
      if (index == 0)
        return Fail(at, InputErrorKind::kMissingValue, name, "no sources listed",
                    "list at least one source: \"sources\": [{\"path\": \"data\"}]");
      sources = true;
    } else {
      return Fail(key_at, InputErrorKind::kBadValue, name, fmt::format("unknown key '{}'", name),
                  "the keys of a manifest are lockstep_manifest and sources; correct or remove this one");
    }
  }
  {
    // Text after the root object (simdjson 3.0's On Demand does not check).
    od::parser again;
    od::document whole;
    std::string_view root_json;
    if (!again.iterate(text_).get(whole) && !whole.raw_json().get(root_json)) {
      const char* end = text_.data() + text_.size();
      const char* p = root_json.data() + root_json.size();
      while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
      if (p < end)
        return Fail(p, InputErrorKind::kBadJson, "", "more text after the manifest's closing brace",
                    "remove it, or merge it into the one object");
    }
  }
  if (!version)
    return Fail(root_at, InputErrorKind::kMissingValue, std::string(kVersionKey),
                "not a lockstep manifest: the key lockstep_manifest is missing",
                "begin the object with \"lockstep_manifest\": 1");
  if (!sources)
    return Fail(root_at, InputErrorKind::kMissingValue, "sources", "no sources listed",
                "add \"sources\": [{\"path\": \"data\", \"format\": \"auto\"}]");
  return true;
}

bool ManifestParser::ParseSource(od::value value, size_t index, const char* at, ManifestSource* out) {
  const std::string where = fmt::format("sources[{}]", index);
  od::object object;
  if (auto code = value.get_object().get(object))
    return FailJson(code, at, where, "an object such as {\"path\": \"data\", \"format\": \"auto\"}");
  out->line = LineAt(at);
  const char* path_at = nullptr;
  const char* format_at = nullptr;
  const char* platform_at = nullptr;
  const char* map_at = nullptr;
  for (auto member : object) {
    od::field field;
    if (auto code = std::move(member).get(field)) return FailJson(code, at, where, "");
    const char* key_at = field.key().raw();
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return FailJson(code, key_at, where, "");
    const std::string name = fmt::format("{}.{}", where, key);
    od::value v = field.value();
    const char* v_at = v.raw_json_token().data();
    if (key == "path") {
      if (!String(v, v_at, name, &out->path)) return false;
      path_at = v_at;
    } else if (key == "format") {
      if (!String(v, v_at, name, &out->format)) return false;
      format_at = v_at;
    } else if (key == "platform") {
      if (!String(v, v_at, name, &out->platform)) return false;
      platform_at = v_at;
    } else if (key == "map") {
      od::object map;
      if (auto code = v.get_object().get(map))
        return FailJson(code, v_at, name, "an object of lockstep field to column, {\"account_id\": \"user\"}");
      for (auto pair : map) {
        od::field f;
        if (auto code = std::move(pair).get(f)) return FailJson(code, v_at, name, "");
        const char* f_at = f.key().raw();
        std::string_view lockstep_field;
        if (auto code = f.unescaped_key().get(lockstep_field)) return FailJson(code, f_at, name, "");
        std::string column;
        od::value c = f.value();
        if (!String(c, c.raw_json_token().data(), fmt::format("{}.{}", name, lockstep_field), &column)) return false;
        if (lockstep_field.empty() || column.empty())
          return Fail(f_at, InputErrorKind::kMissingValue, name, "an empty field or column name",
                      "map each lockstep field to the column that holds it: \"account_id\": \"user\"");
        out->column_map.emplace_back(std::string(lockstep_field), std::move(column));
      }
      map_at = v_at;
    } else {
      return Fail(key_at, InputErrorKind::kBadValue, name, fmt::format("unknown key '{}'", key),
                  "the keys of a source are path, format, map and platform; correct or remove this one");
    }
  }
  if (path_at == nullptr || out->path.empty())
    return Fail(path_at != nullptr ? path_at : at, InputErrorKind::kMissingValue, where + ".path",
                "the source has no path", "name its file or directory: \"path\": \"telegram/result.json\"");
  const std::vector<std::string> names = ReaderNames();
  if (out->format != "auto" && std::find(names.begin(), names.end(), out->format) == names.end())
    return Fail(format_at, InputErrorKind::kBadValue, where + ".format",
                fmt::format("unknown format '{}'", out->format),
                fmt::format("write auto or one of: {}", fmt::join(names, ", ")));
  if (!out->column_map.empty() && out->format != "auto" && out->format != "map")
    return Fail(map_at, InputErrorKind::kBadValue, where + ".map",
                fmt::format("a map applies to the map reader only, not to format '{}'", out->format),
                "drop the map, or write \"format\": \"map\"");
  if (platform_at != nullptr) {
    const bool lower = !out->platform.empty() && std::all_of(out->platform.begin(), out->platform.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!lower)
      return Fail(platform_at, InputErrorKind::kBadValue, where + ".platform",
                  fmt::format("platform '{}' is not a lower-case name", out->platform),
                  "write the platform as the readers do: facebook, instagram, telegram, twitter, ...");
  }
  // Relative to the manifest's directory.
  std::filesystem::path resolved(out->path);
  if (resolved.is_relative()) resolved = std::filesystem::path(path_).parent_path() / resolved;
  out->path = resolved.lexically_normal().string();
  struct stat st {};
  if (::stat(out->path.c_str(), &st) != 0)
    return Fail(path_at, InputErrorKind::kIo, where + ".path", fmt::format("{}: no such file or directory", out->path),
                "relative paths are taken from the manifest's directory; correct the path or move the manifest");
  if (S_ISREG(st.st_mode) && IsManifestFile(out->path))
    return Fail(path_at, InputErrorKind::kBadValue, where + ".path", fmt::format("{} is a manifest itself", out->path),
                "list that manifest's sources here instead; manifests do not nest");
  return true;
}

}  // namespace

bool IsManifestFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char buf[4096];
  const size_t n = std::fread(buf, 1, sizeof buf, f);
  std::fclose(f);
  std::string_view s(buf, n);
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  auto skip_space = [&s] {
    while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')) s.remove_prefix(1);
  };
  skip_space();
  if (s.empty() || s[0] != '{') return false;
  s.remove_prefix(1);
  skip_space();
  return s.substr(0, kVersionKey.size() + 2) == fmt::format("\"{}\"", kVersionKey);
}

Result<Manifest> ReadManifest(const std::string& path, ErrorSink* sink) {
  simdjson::padded_string text;
  if (auto code = simdjson::padded_string::load(path).get(text))
    return Status::IoError(fmt::format("{}: cannot read the manifest: {}", path, simdjson::error_message(code)));
  Manifest manifest;
  manifest.path = path;
  ManifestParser parser(path, text);
  if (!parser.Parse(&manifest)) {
    InputError error = parser.error();
    const std::string message = error.ToString();
    if (sink != nullptr) sink->ReportFatal(std::move(error));
    return Status::InputError(message);
  }
  return manifest;
}

}  // namespace lockstep
