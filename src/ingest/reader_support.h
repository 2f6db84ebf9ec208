// Internal machinery shared by the readers of other formats (Twitter IO
// archive, Twitter API JSON, CrowdTangle, CooRTweet, --map): a field parser
// with FORMAT.md's rules, a loop that streams one file through a row handler
// and keeps the per-file accounting, and a builder that derives accounts from
// the events for formats without an accounts table.
//
// Not part of the public API. Outside src/ingest only modules to its right
// include it, for AsciiLower and LineAtOffset (src/indicators, src/report).
#ifndef LOCKSTEP_SRC_INGEST_READER_SUPPORT_H_
#define LOCKSTEP_SRC_INGEST_READER_SUPPORT_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "lockstep/ingest/load.h"
#include "lockstep/ingest/table_reader.h"
#include "lockstep/model/dataset.h"
#include "model/ascii.h"  // AsciiLower, for the readers, src/indicators and src/report

namespace lockstep::internal {

using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

// "Wed Oct 10 20:19:24 +0000 2018", the date form of the Twitter v1.1 API.
bool ParseTwitterApiTime(std::string_view text, int64_t* out);
// ParseTime (FORMAT.md's forms), then the v1.1 form.
bool ParseAnyTime(std::string_view text, int64_t* out);
// Reads a time from input: any form of ParseAnyTime, inside the accepted
// window (kEarliestInputTime .. LatestInputTime(), model/time.h). Every
// reader reads its times through it. On failure returns false with *problem
// and *fix set: a malformed time gets `malformed_fix`; a time out of the
// window (or out of range of epoch seconds) says so, and says when the
// value reads as epoch milliseconds, microseconds or nanoseconds.
bool ReadInputTime(std::string_view text, int64_t* out, std::string* problem, std::string* fix,
                   std::string_view malformed_fix);
// The fix for a malformed time that lists every form ParseAnyTime reads.
inline constexpr std::string_view kTimeFormsFix =
    "use ISO 8601 (2017-03-14T08:15:00Z, 2017-03-14 08:15), the Twitter API form (Wed Oct 10 20:19:24 +0000 "
    "2018) or Unix epoch seconds";
// The 1-based line of byte `offset` of `text` when the text's first byte is
// on line `first_line`: first_line plus the '\n's before offset (an offset
// past the end counts every '\n' of the text). For error records that name
// the line of a place inside a file or record. O(offset).
uint64_t LineAtOffset(std::string_view text, size_t offset, uint64_t first_line = 1);

// The fields of one row. The first defect is kept; later calls then do
// nothing, so a handler can parse every field and check ok() once.
class FieldReader {
 public:
  // missing: a spelling of a missing value besides the empty cell ("NA"); "" for none.
  FieldReader(TableReader& reader, const Row& row, std::string* scratch, std::string_view missing = {})
      : reader_(reader), row_(row), scratch_(scratch), missing_(missing) {}

  bool ok() const { return !failed_; }
  InputError TakeError() { return std::move(error_); }
  const Row& row() const { return row_; }
  const TableReader& reader() const { return reader_; }
  // The value of field f; the missing spelling (e.g. "NA") reads as empty.
  std::string_view Get(size_t f) const {
    const std::string_view v = row_.values[f];
    return !missing_.empty() && v == missing_ ? std::string_view() : v;
  }

  // Records a defect of field f (SIZE_MAX: the row). `field_name`, when
  // given, replaces the reader's name of f (e.g. "data[2].created_at").
  void Fail(InputErrorKind kind, size_t f, std::string problem, std::string fix, std::string field_name = "");
  std::string_view Required(size_t f);
  // A time in any form of ParseAnyTime; kNoTime if empty and not required.
  int64_t Time(size_t f, bool required);
  // A non-negative integer; `missing` if empty.
  int64_t Count(size_t f, int64_t missing);
  // true/false/1/0; `missing` if empty.
  bool Bool(size_t f, bool missing);
  // A decimal number kept as text; "" if empty or equal to `absent`.
  std::string_view Decimal(size_t f, std::string_view absent);
  // A list cell (JSON or Python-style array, or space-separated), appended to *items.
  void List(size_t f, std::vector<std::string_view>* items);
  // A required decimal number.
  double Amount(size_t f);
  // An ISO 3166-1 alpha-2 code; kNoCountry if empty.
  CountryCode Country(size_t f);
  // A 64-bit perceptual hash written as 16 hex digits, into *out; false if
  // empty or bad.
  bool Hash64(size_t f, uint64_t* out);
  // One of an enum's names (see Parse in dataset.h); `fallback` if empty and
  // not required. `choices` lists the names for the message.
  template <typename E>
  E Enum(size_t f, E fallback, bool required, std::string_view choices) {
    std::string_view v = required ? Required(f) : Get(f);
    if (v.empty() || failed_) return fallback;
    E e{};
    if (!Parse(v, &e)) {
      Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not one of {}", v.substr(0, 80), choices),
           "use one of the listed values");
      return fallback;
    }
    return e;
  }
  // A required id of a row of ds.accounts; `hash` is Interner::HashOf of the
  // field's value (computed once by callers that prefetch it).
  AccountIndex Account(size_t f, const Dataset& ds) { return Account(f, ds, Interner::HashOf(Get(f))); }
  AccountIndex Account(size_t f, const Dataset& ds, uint64_t hash);

 private:
  TableReader& reader_;
  const Row& row_;
  std::string* scratch_;
  std::string_view missing_;
  bool failed_ = false;
  InputError error_;
};

std::string Clip(std::string_view v);

struct AccountFields {
  std::string_view platform, handle, display_name, claimed_location, language, description;
  AccountKind kind = AccountKind::kAccount;
  int64_t created_at = kNoTime;
  CountryCode country = kNoCountry;
  int64_t followers = -1, following = -1;
  bool has_profile_image_hash = false;
  uint64_t profile_image_hash = 0;
  Pairs extras;  // account attributes FORMAT.md does not define
};

struct EventFields {
  uint32_t account = 0;  // from DatasetBuilder::Actor or Profile
  int64_t time = kNoTime;
  EventType type = EventType::kPost;
  std::string_view event_id, target_id, target_account_id, text, language, client;
  CountryCode target_country = kNoCountry;
  std::vector<std::string_view> urls, hashtags, mentions;
  // When set, the domain of every url of this event that is new to the data
  // set (for formats that give opaque url and domain ids).
  std::string_view url_domain;
  Pairs extras;  // event attributes FORMAT.md does not define
  void Clear();
};

// Builds a Dataset whose accounts are derived from what the rows say about
// them. Accounts with a profile or events of their own come first in
// Dataset::account_ids (they are Dataset::accounts), in first-seen order;
// accounts seen only as targets follow. Call Finish() once at the end.
class DatasetBuilder {
 public:
  explicit DatasetBuilder(Dataset* ds) : ds_(ds) {}

  // The builder's index of an account seen only as a reference so far.
  uint32_t Ref(std::string_view id);
  // An account that acts: it becomes a Dataset::accounts row. Sets its
  // platform if it has none yet.
  uint32_t Actor(std::string_view id, std::string_view platform);
  // Sets the profile of account `id` as observed at `as_of` (seconds since
  // the epoch; kNoTime if unknown). A newer observation replaces an older
  // one; at equal times the later call wins. kAuthoritative never yields.
  static constexpr int64_t kAuthoritative = INT64_MAX;
  uint32_t Profile(std::string_view id, const AccountFields& fields, int64_t as_of);

  // Marks event id `id` as used; false if it already was.
  bool ClaimEventId(std::string_view id);
  // Whether ClaimEventId(id) was called.
  bool EventIdClaimed(std::string_view id) const;
  void AddEvent(const EventFields& e);
  size_t num_events() const { return ds_->events.size(); }

  // Orders and remaps accounts, sorts events by time.
  void Finish();

 private:
  struct Pending {
    Account account;
    int64_t as_of = kNoTime;
    bool has_profile = false;
    bool is_account = false;
    std::vector<std::pair<StringId, StringId>> extras;
  };
  StringId Str(std::string_view s) { return s.empty() ? kNoString : ds_->strings.Intern(s); }

  Dataset* ds_;
  Interner ids_;
  std::vector<Pending> pending_;
  std::vector<uint8_t> claimed_;  // by Dataset::objects id
};

// Streams files through row handlers with the foundation's accounting:
// rows_read == rows_loaded + rows_rejected per file, errors to the sink,
// progress every 4 MiB.
class TableLoop {
 public:
  TableLoop(const LoadOptions& options, ErrorSink* sink, LoadReport* report, const std::vector<std::string>& paths);

  // Opens `path` asking for `fields`; reports a missing required column
  // (then every row of the file is rejected). `required` is a list of field
  // indices, or a callable (const TableReader&) -> list for files whose
  // header decides. For each row calls handle(FieldReader&) -> bool
  // (loaded). Returns false if loading must stop.
  template <typename Required, typename Handler>
  bool Run(const std::string& path, const std::vector<std::string>& fields, Required&& required,
           std::string_view table, Handler&& handle);

  // A spelling of a missing value besides the empty cell, e.g. "NA".
  void set_missing_spelling(std::string spelling) { missing_ = std::move(spelling); }

  // Opens `path` for a caller that drives the rows itself (header sniffing).
  Result<std::unique_ptr<TableReader>> Open(const std::string& path, const std::vector<std::string>& fields);

 private:
  void Progress(const TableReader& reader, bool force);
  bool CheckColumns(TableReader& reader, const std::vector<size_t>& required, std::string_view table);

  const LoadOptions& options_;
  ErrorSink* sink_;
  LoadReport* report_;
  std::string scratch_;
  std::string missing_;
  uint64_t bytes_total_ = 0;
  uint64_t bytes_before_ = 0;
  uint64_t last_progress_ = 0;
};

template <typename Required, typename Handler>
bool TableLoop::Run(const std::string& path, const std::vector<std::string>& fields, Required&& required,
                    std::string_view table, Handler&& handle) {
  FileStats stats;
  stats.path = path;
  auto opened = Open(path, fields);
  if (!opened.ok()) {
    InputError e;
    e.kind = InputErrorKind::kIo;
    e.file = path;
    e.problem = opened.status().message();
    e.fix = "check the path and its permissions";
    report_->files.push_back(stats);
    return sink_->Report(std::move(e));
  }
  TableReader& reader = **opened;
  if (reader.stopped()) {
    report_->files.push_back(stats);
    return false;
  }
  bool columns_ok;
  if constexpr (std::is_invocable_v<Required, const TableReader&>) {
    columns_ok = CheckColumns(reader, required(static_cast<const TableReader&>(reader)), table);
  } else {
    columns_ok = CheckColumns(reader, std::vector<size_t>(required), table);
  }
  Row row;
  while (!reader.stopped() && reader.Next(&row)) {
    if (!columns_ok) continue;  // every row of a file missing a required column is rejected
    scratch_.clear();
    scratch_.reserve(row.raw.size() + 16);
    FieldReader parser(reader, row, &scratch_, missing_);
    if (handle(parser)) {
      ++stats.rows_loaded;
    } else {
      ++stats.rows_rejected;
      if (!reader.Reject(parser.TakeError())) break;
    }
    Progress(reader, false);
  }
  stats.rows_read = reader.rows_read();
  stats.rows_rejected += reader.rows_rejected();
  if (!columns_ok) stats.rows_rejected = stats.rows_read;
  stats.bytes = reader.bytes_read();
  report_->bytes += stats.bytes;
  report_->files.push_back(stats);
  Progress(reader, true);
  bytes_before_ += reader.file_size();
  return !reader.stopped() && !sink_->failed();
}

// Wraps up a load: wall time into the report; a stopped load becomes the
// first error's InputError status.
Result<Dataset> FinishLoad(Status status, Dataset ds, ErrorSink* sink, LoadReport* report,
                           std::chrono::steady_clock::time_point start);

}  // namespace lockstep::internal

#endif  // LOCKSTEP_SRC_INGEST_READER_SUPPORT_H_
