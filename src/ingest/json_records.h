// Internal machinery of the readers of platform API JSON (Bluesky, Mastodon,
// Reddit, YouTube, Telegram, TikTok, Meta Content Library): a stream that
// cuts a file into JSON records, a parser base that collects one record's
// accounts and events with FORMAT's error rules, and the load loop that
// commits them to a data set.
//
// Records: in a file named *.json (after .gz/.zst), every top-level JSON
// value is a record, pretty-printed or not, and a top-level array is cut
// into its elements (a saved page of statuses is `[{...}, {...}]`); any
// other name is JSON Lines, one record per line. Memory: the largest record
// plus a 1 MiB read buffer; a file is never held whole unless it is one
// record.
//
// Not part of the public API; nothing outside src/ingest includes it.
#ifndef LOCKSTEP_SRC_INGEST_JSON_RECORDS_H_
#define LOCKSTEP_SRC_INGEST_JSON_RECORDS_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "ingest/reader_support.h"
#include "lockstep/ingest/byte_source.h"
#include "lockstep/ingest/load.h"

namespace lockstep::internal {

using simdjson::dom::element;

// One JSON record of a file.
struct JsonRecord {
  std::string_view text;     // valid until the next call to Next()
  uint64_t line = 0;         // 1-based line of its first byte
  uint64_t byte_offset = 0;  // of its first byte, in the decompressed stream
  std::string where;         // "[3]." for the 4th element of a top-level array, else ""
  // With set_unwrap(key): for an element of the top-level object's array
  // `key`, the object's members before that array as one JSON object
  // ("{\"name\":\"x\",\"id\":1}"); else "". Valid until the next Next().
  std::string_view context;
};

class JsonRecordStream {
 public:
  enum class Mode : uint8_t { kLines, kDocuments };
  enum class Step : uint8_t { kRecord, kError, kEnd };

  // Mode by name: *.json (after stripping .gz/.zst) documents, else lines.
  static Mode ModeFromName(const std::string& path);
  JsonRecordStream(std::unique_ptr<ByteSource> source, Mode mode) : source_(std::move(source)), mode_(mode) {}

  // The next record; kError fills *error (file and raw left to the caller)
  // for input that cannot be cut into records (a value that never ends, an
  // unreadable file); after kError the stream ends.
  Step Next(JsonRecord* record, InputError* error);
  uint64_t bytes_read() const { return offset_; }
  // Documents mode only: a top-level object whose member `key` is an array
  // (Telegram Desktop's {"name":..,"id":..,"messages":[...]}) is cut into
  // that array's elements, each a record with where "key[i]." and the
  // members before the array as its context, so the file is never held
  // whole. Members after the array are skipped. A top-level object without
  // such a member is one record, as without set_unwrap.
  void set_unwrap(std::string key) { unwrap_ = std::move(key); }
  const ByteSource& source() const { return *source_; }

 private:
  bool Fill();  // appends input to buf_; false at end of input or on a read error (failed_)
  Step IoFailure(InputError* error);
  Step NextLine(JsonRecord* record, InputError* error);
  Step NextDocument(JsonRecord* record, InputError* error);
  // Advances past whitespace (and, inside a top-level array, commas); false at end of input.
  bool SkipSpace(bool commas);
  void Consume(size_t n);  // drops buf_[pos_, pos_ + n), counting lines and bytes
  // Scans the JSON value at pos_ (a string, an object or array to its
  // matching close, or a bare token), reading more input as needed; sets
  // *end past it. false if the file ends inside it (or a read fails).
  bool ScanValue(size_t* end);
  Step BadJson(InputError* error, uint64_t line, std::string problem, std::string fix);

  std::unique_ptr<ByteSource> source_;
  Mode mode_;
  std::string buf_;
  size_t chunk_ = 64u << 10;  // bytes asked of the source per Fill: doubles up to 1 MiB
  size_t pos_ = 0;
  bool eof_ = false;
  bool failed_ = false;  // a read failed: io_error_ says why
  bool ended_ = false;   // an error was returned; the stream is over
  std::string io_error_;
  bool in_array_ = false;
  size_t array_index_ = 0;
  std::string unwrap_;       // set_unwrap's key; "" for none
  bool in_object_ = false;   // inside a top-level object being unwrapped
  bool unwrapped_ = false;   // its array `unwrap_` was met
  std::string header_;       // the object's members so far, as "{...": the context, or the whole record
  std::string context_;      // header_ closed when the array began
  uint64_t object_line_ = 0, object_offset_ = 0;  // where that object starts
  uint64_t line_ = 1;
  uint64_t offset_ = 0;
};

// simdjson helpers: a field that is present and not null; a string field
// ("" if absent or not a string); an array's elements by value.
bool Field(element e, std::string_view key, element* out);
std::string_view Text(element e, std::string_view key);
simdjson::dom::array Array(element e);
// The field at a dotted path ("snippet.authorChannelId.value"), or null.
bool Path(element e, std::string_view dotted, element* out);
std::string_view PathText(element e, std::string_view dotted);

struct ParsedUser {
  std::string_view id;
  AccountFields fields;
  int64_t as_of = kNoTime;
};
struct ParsedEvent {
  EventFields event;
  std::string_view author_id;
};

// One record's parse. The first defect is kept (later ones are ignored);
// strings the DOM does not hold live in the parser until the record is
// committed. Field names in errors are where() + the path inside the record.
class RecordParser {
 public:
  explicit RecordParser(std::string where, std::string_view context = {})
      : where_(std::move(where)), context_(context) {}

  std::vector<ParsedUser> users;
  std::vector<ParsedEvent> events;

  bool ok() const { return !failed_; }
  const std::string& where() const { return where_; }
  // JsonRecord::context of the record: the enclosing object's members.
  std::string_view context() const { return context_; }
  // Records a defect of field `field` (a path inside the record).
  void Fail(InputErrorKind kind, std::string_view field, std::string problem, std::string fix);
  InputError TakeError() { return std::move(error_); }

  std::string_view Keep(std::string s) { return store_.emplace_back(std::move(s)); }
  // An id given as a string or as an integer; "" if absent.
  std::string_view Id(element e, std::string_view key);
  // A JSON number or numeric string as a count; -1 if absent; a defect if
  // negative or not an integer. `at` is the path of e.
  int64_t Count(element e, std::string_view key, std::string_view at);
  // A scalar kept as text, an object or array as its minified JSON; "" if absent.
  std::string_view Raw(element e, std::string_view key);
  // A time: ISO 8601 text, or epoch seconds as a number or numeric string
  // (fractions dropped). kNoTime if absent and not required.
  int64_t Time(element e, std::string_view key, std::string_view at, bool required, std::string_view fix);

  ParsedUser& AddUser(std::string_view id, std::string_view platform, int64_t as_of);
  ParsedEvent& AddEvent(std::string_view id, std::string_view author_id, EventType type, int64_t time);

 private:
  std::string where_;
  std::string_view context_;
  bool failed_ = false;
  InputError error_;
  std::deque<std::string> store_;
};

struct JsonReaderSpec {
  std::string_view format;    // the reader's name, for LoadReport::format
  std::string_view platform;  // every actor's platform when its user record names none
  std::string_view what;      // "Bluesky JSON", for messages
  std::string_view unwrap = {};  // JsonRecordStream::set_unwrap's key for *.json files; "" for none
};

// Parses one record into p; false (or !p.ok()) rejects it.
using JsonRecordHandler = std::function<bool(element doc, RecordParser& p)>;

// Streams every record of `files` through `handle` and commits what it
// collects: each user's profile (the copy observed latest wins), then each
// event by its author. An event id met again is the same item seen twice
// (overlapping pages, pinned posts, a thread saved twice): the first copy
// is kept and the record still counts as loaded. rows_read counts records.
Result<Dataset> LoadJsonRecords(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                                LoadReport* report, const JsonReaderSpec& spec, const JsonRecordHandler& handle);

// The first `bytes` decompressed bytes of a file, for format detection; "" if unreadable.
std::string FilePrefix(const std::string& path, size_t bytes);
// Whether `prefix` (see FilePrefix) holds the JSON key `key` ("\"kind\"" followed by ':').
bool HasJsonKey(std::string_view prefix, std::string_view key);

}  // namespace lockstep::internal

#endif  // LOCKSTEP_SRC_INGEST_JSON_RECORDS_H_
