#include "ingest/json_records.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <unordered_set>

#include "lockstep/ingest/field_parsers.h"

namespace lockstep::internal {

namespace {

constexpr size_t kChunk = 1u << 20;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

// --- JsonRecordStream ------------------------------------------------------

JsonRecordStream::Mode JsonRecordStream::ModeFromName(const std::string& path) {
  return EndsWith(StripCompressionSuffix(path), ".json") ? Mode::kDocuments : Mode::kLines;
}

bool JsonRecordStream::Fill() {
  if (eof_ || failed_) return false;
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  // Reads start small and double: a small file (most API pages, every
  // fuzz input) is not zero-filled a whole megabyte at a time.
  const size_t old = buf_.size();
  const size_t chunk = chunk_;
  chunk_ = std::min(2 * chunk_, kChunk);
  buf_.resize(old + chunk);
  auto n = source_->Read(buf_.data() + old, chunk);
  if (!n.ok()) {
    buf_.resize(old);
    failed_ = true;
    io_error_ = n.status().message();
    return false;
  }
  buf_.resize(old + *n);
  if (*n == 0) eof_ = true;
  return *n > 0;
}

void JsonRecordStream::Consume(size_t n) {
  const char* begin = buf_.data() + pos_;
  for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', begin + n - p))) != nullptr; ++p)
    ++line_;
  pos_ += n;
  offset_ += n;
}

bool JsonRecordStream::SkipSpace(bool commas) {
  for (;;) {
    while (pos_ < buf_.size() && (IsSpace(buf_[pos_]) || (commas && buf_[pos_] == ','))) Consume(1);
    if (pos_ < buf_.size()) return true;
    if (!Fill()) return false;
  }
}

JsonRecordStream::Step JsonRecordStream::IoFailure(InputError* error) {
  error->kind = InputErrorKind::kIo;
  error->line = line_;
  error->byte_offset = offset_;
  error->problem = io_error_;
  error->fix = "check that the file is complete and not corrupt";
  return Step::kError;
}

JsonRecordStream::Step JsonRecordStream::NextLine(JsonRecord* record, InputError* error) {
  for (;;) {
    if (!SkipSpace(false)) return failed_ ? IoFailure(error) : Step::kEnd;
    size_t scanned = pos_;
    size_t nl;
    while ((nl = buf_.find('\n', scanned)) == std::string::npos) {
      scanned = buf_.size();
      const size_t keep = pos_;
      if (!Fill()) break;
      scanned -= keep - pos_;  // Fill may have moved the data to the front
    }
    if (failed_) return IoFailure(error);
    const size_t end = nl == std::string::npos ? buf_.size() : nl;
    size_t stop = end;
    while (stop > pos_ && IsSpace(buf_[stop - 1])) --stop;
    record->line = line_;
    record->byte_offset = offset_;
    record->where.clear();
    record->context = {};
    record->text = std::string_view(buf_.data() + pos_, stop - pos_);
    // The view stays valid: Consume moves pos_, never the buffer.
    pos_ = end;
    offset_ += end - (record->text.data() - buf_.data());
    return Step::kRecord;
  }
}

bool JsonRecordStream::ScanValue(size_t* end) {
  const char c = buf_[pos_];
  size_t p = pos_;
  int depth = 0;
  bool in_string = false, escape = false, done = false;
  const bool bare = c != '{' && c != '[' && c != '"';
  for (;;) {
    for (; p < buf_.size(); ++p) {
      const char b = buf_[p];
      if (bare) {
        if (IsSpace(b) || b == ',' || b == ']' || b == '}' || b == '{' || b == '[' || b == ':') {
          if (p == pos_) ++p;  // a stray delimiter is a token of its own
          done = true;
          break;
        }
        continue;
      }
      if (in_string) {
        if (escape) escape = false;
        else if (b == '\\') escape = true;
        else if (b == '"') {
          in_string = false;
          if (depth == 0) {
            ++p;
            done = true;
            break;
          }
        }
        continue;
      }
      if (b == '"') in_string = true;
      else if (b == '{' || b == '[') ++depth;
      else if ((b == '}' || b == ']') && --depth == 0) {
        ++p;
        done = true;
        break;
      }
    }
    if (done) break;
    // Fill may move the data to the front even when it reads nothing more.
    const size_t before = pos_;
    const bool more = Fill();
    p -= before - pos_;
    if (!more) break;
  }
  *end = p;
  return done || (bare && !failed_);  // a bare token may end with the file
}

JsonRecordStream::Step JsonRecordStream::BadJson(InputError* error, uint64_t line, std::string problem, std::string fix) {
  error->kind = InputErrorKind::kBadJson;
  error->line = line;
  error->byte_offset = offset_;
  error->problem = std::move(problem);
  error->fix = std::move(fix);
  error->raw = buf_.substr(pos_, 4096);
  in_array_ = in_object_ = false;
  return Step::kError;
}

JsonRecordStream::Step JsonRecordStream::NextDocument(JsonRecord* record, InputError* error) {
  for (;;) {
    if (!SkipSpace(in_array_ || in_object_)) {
      if (failed_) return IoFailure(error);
      if (in_array_ || in_object_)
        return BadJson(error, line_,
                       in_object_ && !in_array_ ? "the file ends inside its top-level object (no closing '}')"
                                                : "the file ends inside its top-level array (no closing ']')",
                       "the file is cut off: save the response again, or close the array");
      return Step::kEnd;
    }
    const char c = buf_[pos_];
    if (!in_array_ && !in_object_ && c == '[') {
      in_array_ = true;
      array_index_ = 0;
      Consume(1);
      continue;
    }
    if (in_array_ && c == ']') {
      in_array_ = false;
      Consume(1);
      continue;
    }
    if (!in_array_ && !in_object_ && c == '{' && !unwrap_.empty()) {
      in_object_ = true;
      unwrapped_ = false;
      header_ = "{";
      object_line_ = line_;
      object_offset_ = offset_;
      Consume(1);
      continue;
    }
    if (in_object_ && !in_array_) {  // a member of the object being unwrapped, or its end
      const uint64_t start_line = line_;
      if (c == '}') {
        in_object_ = false;
        Consume(1);
        if (unwrapped_) continue;
        header_ += '}';
        record->line = object_line_;
        record->byte_offset = object_offset_;
        record->where.clear();
        record->context = {};
        record->text = header_;
        return Step::kRecord;
      }
      size_t end = 0;
      if (c != '"' || !ScanValue(&end))
        return failed_ ? IoFailure(error)
                       : BadJson(error, start_line, "expected a member name (a quoted string) in the top-level object",
                                 "repair the JSON, or save the export again");
      const std::string key = buf_.substr(pos_, end - pos_);
      Consume(end - pos_);
      if (!SkipSpace(false) || buf_[pos_] != ':')
        return failed_ ? IoFailure(error)
                       : BadJson(error, line_, fmt::format("expected ':' after the member name {}", Clip(key)),
                                 "repair the JSON, or save the export again");
      Consume(1);
      if (!SkipSpace(false))
        return failed_ ? IoFailure(error)
                       : BadJson(error, line_, fmt::format("the file ends before the value of {}", Clip(key)),
                                 "the file is cut off: save the export again");
      if (!unwrapped_ && buf_[pos_] == '[' && key.size() == unwrap_.size() + 2 &&
          key.compare(1, unwrap_.size(), unwrap_) == 0) {
        unwrapped_ = true;
        in_array_ = true;
        array_index_ = 0;
        context_ = header_ + "}";
        Consume(1);
        continue;
      }
      const uint64_t value_line = line_;
      if (!ScanValue(&end))
        return failed_ ? IoFailure(error)
                       : BadJson(error, value_line,
                                 fmt::format("the value of {} never ends (the file is cut off, or a bracket or quote "
                                             "is missing)",
                                             Clip(key)),
                                 "save the export again, or repair the JSON");
      if (!unwrapped_) {  // members after the array are not context of any record
        if (header_.size() > 1) header_ += ',';
        header_.append(key).append(":").append(buf_, pos_, end - pos_);
      }
      Consume(end - pos_);
      continue;
    }
    const uint64_t start_line = line_;
    size_t end = 0;
    if (!ScanValue(&end)) {
      if (failed_) return IoFailure(error);
      return BadJson(error, start_line,
                     "the JSON value that starts here never ends (the file is cut off, or a bracket or quote is missing)",
                     "save the response again, or repair the JSON");
    }
    record->line = start_line;
    record->byte_offset = offset_;
    record->context = {};
    if (in_array_ && unwrapped_ && in_object_) {
      record->where = fmt::format("{}[{}].", unwrap_, array_index_++);
      record->context = context_;
    } else {
      record->where = in_array_ ? fmt::format("[{}].", array_index_++) : std::string();
    }
    const size_t begin = pos_;
    Consume(end - pos_);
    record->text = std::string_view(buf_.data() + begin, end - begin);
    return Step::kRecord;
  }
}

JsonRecordStream::Step JsonRecordStream::Next(JsonRecord* record, InputError* error) {
  if (ended_) return Step::kEnd;
  const Step step = mode_ == Mode::kLines ? NextLine(record, error) : NextDocument(record, error);
  if (step == Step::kError) ended_ = true;
  return step;
}

// --- simdjson helpers --------------------------------------------------------

bool Field(element e, std::string_view key, element* out) {
  return e.is_object() && e.at_key(key).get(*out) == simdjson::SUCCESS && !out->is_null();
}

std::string_view Text(element e, std::string_view key) {
  element v;
  std::string_view s;
  if (Field(e, key, &v) && v.get_string().get(s) == simdjson::SUCCESS) return s;
  return {};
}

simdjson::dom::array Array(element e) {
  simdjson::dom::array a;
  if (e.get_array().get(a) == simdjson::SUCCESS) return a;
  // A default dom::array has no tape: iterating it reads a null pointer. An
  // empty array parsed once (and never written again) iterates to nothing.
  static const simdjson::dom::array kEmpty = [] {
    static simdjson::dom::parser parser;
    simdjson::dom::array empty;
    if (parser.parse(std::string_view("[]")).get_array().get(empty) != simdjson::SUCCESS) std::abort();
    return empty;
  }();
  return kEmpty;
}

bool Path(element e, std::string_view dotted, element* out) {
  element cur = e;
  while (!dotted.empty()) {
    const size_t dot = dotted.find('.');
    if (!Field(cur, dotted.substr(0, dot), &cur)) return false;
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  *out = cur;
  return true;
}

std::string_view PathText(element e, std::string_view dotted) {
  element v;
  std::string_view s;
  if (Path(e, dotted, &v) && v.get_string().get(s) == simdjson::SUCCESS) return s;
  return {};
}

// --- RecordParser ------------------------------------------------------------

void RecordParser::Fail(InputErrorKind kind, std::string_view field, std::string problem, std::string fix) {
  if (failed_) return;
  failed_ = true;
  error_.kind = kind;
  error_.field = where_ + std::string(field);
  error_.problem = std::move(problem);
  error_.fix = std::move(fix);
}

std::string_view RecordParser::Id(element e, std::string_view key) {
  element v;
  if (!Field(e, key, &v)) return {};
  std::string_view s;
  if (v.get_string().get(s) == simdjson::SUCCESS) return s;
  uint64_t u;
  if (v.get_uint64().get(u) == simdjson::SUCCESS) return Keep(std::to_string(u));
  int64_t i;
  if (v.get_int64().get(i) == simdjson::SUCCESS) return Keep(std::to_string(i));
  return {};
}

int64_t RecordParser::Count(element e, std::string_view key, std::string_view at) {
  element v;
  if (!Field(e, key, &v)) return -1;
  int64_t n = 0;
  std::string_view s;
  double d = 0;
  const bool integral = v.get_int64().get(n) == simdjson::SUCCESS ||
                        (v.get_string().get(s) == simdjson::SUCCESS && ParseInt64(s, &n)) ||
                        (v.get_double().get(d) == simdjson::SUCCESS && d == static_cast<double>(static_cast<int64_t>(d)) &&
                         (n = static_cast<int64_t>(d), true));
  if (integral) {
    if (n >= 0) return n;
    Fail(InputErrorKind::kNegativeValue, fmt::format("{}{}", at, key),
         fmt::format("{} is negative; a count is 0 or more", n), "leave the count out if it is unknown");
    return -1;
  }
  Fail(InputErrorKind::kBadValue, fmt::format("{}{}", at, key),
       fmt::format("'{}' is not an integer", Clip(simdjson::minify(v))), "write a whole number");
  return -1;
}

std::string_view RecordParser::Raw(element e, std::string_view key) {
  element v;
  if (!Field(e, key, &v)) return {};
  std::string_view s;
  if (v.get_string().get(s) == simdjson::SUCCESS) return s;
  return Keep(simdjson::minify(v));
}

int64_t RecordParser::Time(element e, std::string_view key, std::string_view at, bool required, std::string_view fix) {
  element v;
  if (!Field(e, key, &v)) {
    if (required)
      Fail(InputErrorKind::kMissingValue, fmt::format("{}{}", at, key), fmt::format("the record has no {}", key),
           fmt::format("keep {} in the collection; every event needs a time", key));
    return kNoTime;
  }
  // Text or a number, read as every reader reads times (ReadInputTime): the
  // accepted window applies, and epoch milliseconds are named as such.
  std::string_view s;
  std::string number;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  if (v.get_string().get(s) == simdjson::SUCCESS) {
  } else if (v.get_int64().get(i) == simdjson::SUCCESS) {
    number = std::to_string(i);
  } else if (v.get_uint64().get(u) == simdjson::SUCCESS) {
    number = std::to_string(u);
  } else if (v.get_double().get(d) == simdjson::SUCCESS && d > -1e18 && d < 1e18) {
    number = std::to_string(static_cast<int64_t>(d));
  } else {
    number = simdjson::minify(v);
    Fail(InputErrorKind::kBadTime, fmt::format("{}{}", at, key), fmt::format("'{}' is not a time", Clip(number)),
         std::string(fix));
    return kNoTime;
  }
  if (!number.empty()) s = number;
  int64_t t = 0;
  std::string problem, time_fix;
  if (ReadInputTime(s, &t, &problem, &time_fix, fix)) return t;
  Fail(InputErrorKind::kBadTime, fmt::format("{}{}", at, key), std::move(problem), std::move(time_fix));
  return kNoTime;
}

ParsedUser& RecordParser::AddUser(std::string_view id, std::string_view platform, int64_t as_of) {
  ParsedUser& u = users.emplace_back();
  u.id = id;
  u.fields.platform = platform;
  u.as_of = as_of;
  return u;
}

ParsedEvent& RecordParser::AddEvent(std::string_view id, std::string_view author_id, EventType type, int64_t time) {
  ParsedEvent& e = events.emplace_back();
  e.event.event_id = id;
  e.event.type = type;
  e.event.time = time;
  e.author_id = author_id;
  return e;
}

// --- the load loop -------------------------------------------------------------

Result<Dataset> LoadJsonRecords(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                                LoadReport* report, const JsonReaderSpec& spec, const JsonRecordHandler& handle) {
  const auto start = std::chrono::steady_clock::now();
  report->format = std::string(spec.format);
  Dataset ds;
  DatasetBuilder builder(&ds);
  simdjson::dom::parser parser;
  simdjson::padded_string padded;
  std::unordered_set<std::string> seen_in_record;
  uint64_t bytes_total = 0, bytes_before = 0, last_progress = 0;
  for (const std::string& f : files) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(f, ec);
    if (!ec) bytes_total += size;
  }
  auto stop = [&]() { return internal::FinishLoad(Status::InputError("stopped"), Dataset(), sink, report, start); };
  for (const std::string& path : files) {
    FileStats stats;
    stats.path = path;
    auto source = OpenByteSource(path);
    if (!source.ok()) {
      InputError e;
      e.kind = InputErrorKind::kIo;
      e.file = path;
      e.problem = source.status().message();
      e.fix = "check the path and its permissions";
      report->files.push_back(stats);
      if (!sink->Report(std::move(e))) return stop();
      continue;
    }
    JsonRecordStream stream(std::move(*source), JsonRecordStream::ModeFromName(path));
    if (!spec.unwrap.empty()) stream.set_unwrap(std::string(spec.unwrap));
    JsonRecord record;
    bool stopped = false;
    for (;;) {
      InputError error;
      const JsonRecordStream::Step step = stream.Next(&record, &error);
      if (step == JsonRecordStream::Step::kEnd) break;
      ++stats.rows_read;
      if (step == JsonRecordStream::Step::kError) {
        ++stats.rows_rejected;
        error.file = path;
        if (!sink->Report(std::move(error))) stopped = true;
        break;
      }
      auto reject = [&](InputError e) {
        ++stats.rows_rejected;
        e.file = path;
        e.line = record.line;
        e.byte_offset = record.byte_offset;
        e.raw = std::string(record.text.substr(0, 4096));
        if (!sink->Report(std::move(e))) stopped = true;
      };
      if (padded.size() < record.text.size() || padded.size() > 2 * record.text.size() + 4096)
        padded = simdjson::padded_string(record.text.size());
      std::memcpy(padded.data(), record.text.data(), record.text.size());
      element doc;
      if (auto err = parser.parse(padded.data(), record.text.size(), false).get(doc)) {
        InputError e;
        e.kind = err == simdjson::UTF8_ERROR ? InputErrorKind::kInvalidUtf8 : InputErrorKind::kBadJson;
        e.problem = fmt::format("the record is not JSON: {}", simdjson::error_message(err));
        e.fix = stream.source().file_size() > 0 && JsonRecordStream::ModeFromName(path) == JsonRecordStream::Mode::kLines
                    ? "write exactly one JSON value per line (JSON Lines), or name the file *.json for pretty-printed JSON"
                    : "repair the JSON, or save the response again";
        e.field = record.where;
        reject(std::move(e));
        if (stopped) break;
        continue;
      }
      RecordParser p(record.where, record.context);
      if (!doc.is_object()) {
        p.Fail(InputErrorKind::kBadJson, "", "the record is not a JSON object",
               fmt::format("give {} objects, one per line or in a top-level array", spec.what));
      } else if (!handle(doc, p)) {
        p.Fail(InputErrorKind::kBadValue, "", fmt::format("the record is not {}", spec.what),
               fmt::format("give {}; for other JSON name the reader with --format, or map it with --map", spec.what));
      }
      if (!p.ok()) {
        reject(p.TakeError());
        if (stopped) break;
        continue;
      }
      for (const ParsedUser& u : p.users) builder.Profile(u.id, u.fields, u.as_of);
      seen_in_record.clear();
      for (ParsedEvent& e : p.events) {
        if (!e.event.event_id.empty() && !builder.ClaimEventId(e.event.event_id)) continue;  // seen before: keep the first
        e.event.account = builder.Actor(e.author_id, spec.platform);
        builder.AddEvent(e.event);
      }
      ++stats.rows_loaded;
      if (options.progress && bytes_before + stream.source().file_bytes_consumed() - last_progress >= (4u << 20)) {
        last_progress = bytes_before + stream.source().file_bytes_consumed();
        options.progress(LoadProgress{path, last_progress, bytes_total});
      }
    }
    stats.bytes = stream.bytes_read();
    report->bytes += stats.bytes;
    report->files.push_back(stats);
    bytes_before += stream.source().file_size();
    if (options.progress) options.progress(LoadProgress{path, bytes_before, bytes_total});
    if (stopped || sink->failed()) return stop();
  }
  builder.Finish();
  return internal::FinishLoad(Status::Ok(), std::move(ds), sink, report, start);
}

std::string FilePrefix(const std::string& path, size_t bytes) {
  auto source = OpenByteSource(path);
  if (!source.ok()) return "";
  std::string out(bytes, '\0');
  size_t have = 0;
  while (have < bytes) {
    auto n = (*source)->Read(out.data() + have, bytes - have);
    if (!n.ok() || *n == 0) break;
    have += *n;
  }
  out.resize(have);
  return out;
}

bool HasJsonKey(std::string_view prefix, std::string_view key) {
  const std::string quoted = fmt::format("\"{}\"", key);
  for (size_t at = prefix.find(quoted); at != std::string_view::npos; at = prefix.find(quoted, at + 1)) {
    size_t p = at + quoted.size();
    while (p < prefix.size() && IsSpace(prefix[p])) ++p;
    if (p < prefix.size() && prefix[p] == ':') return true;
  }
  return false;
}

}  // namespace lockstep::internal
