// TableReader: rows of a CSV (RFC 4180) or JSON Lines file, plain, .gz or
// .zst, mapped onto the fields a caller asks for. Every reader of every
// format builds on it.
//
// Structural defects (a row with too few or too many columns, an unterminated
// quote, invalid UTF-8, a NUL byte, a field over kMaxFieldBytes, a line that
// is not a JSON object, an empty file, a header naming a column twice or
// leaving one unnamed) are reported to the ErrorSink with file, line, byte offset and field; the row is
// skipped and Next() goes on unless the sink says stop. Values are handed out
// as text; the caller parses them (see field_parsers.h) and reports its own
// errors with MakeError().
//
// A row longer than kMaxRowBytes, and a .gz or .zst stream that is
// truncated or damaged, stop the file with a ReportFatal error (kTooLarge,
// kDamagedArchive) under either policy. A UTF-8 byte order mark is skipped
// (CSV and JSON Lines), and lines ended by CR alone are read as lines.
//
// Lifetime: Row's views are valid until the next call to Next().
// Not thread-safe. Memory: one buffer of at least 4 MiB plus the longest
// row, so at most kMaxRowBytes (64 MiB).
#ifndef LOCKSTEP_INGEST_TABLE_READER_H_
#define LOCKSTEP_INGEST_TABLE_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lockstep/ingest/byte_source.h"
#include "lockstep/model/input_error.h"
#include "lockstep/model/status.h"

namespace lockstep {

enum class TableFormat : uint8_t { kCsv, kJsonLines };

// By extension after stripping .gz/.zst: .jsonl, .ndjson, .json -> JSON Lines;
// everything else CSV.
TableFormat TableFormatFromName(const std::string& path);

struct Row {
  uint64_t line = 0;         // 1-based line where the row starts
  uint64_t byte_offset = 0;  // offset of its first byte in the decompressed stream
  std::string_view raw;      // the row as it stands in the file
  // One per requested field, in the order requested; empty = missing
  // (FORMAT.md: empty cells are missing values). JSON arrays and objects are
  // handed out as their raw JSON text, JSON null as missing.
  std::vector<std::string_view> values;
  // Columns the caller did not ask for: (column name, value).
  std::vector<std::pair<std::string_view, std::string_view>> extras;
};

class TableReader {
 public:
  // fields: the column names the caller knows. An IoError status if the file
  // cannot be opened; an empty file is reported to `sink` and reads no rows.
  static Result<std::unique_ptr<TableReader>> Open(const std::string& path, std::vector<std::string> fields,
                                                   ErrorSink* sink);
  // As Open, for bytes already in memory (tests, fuzzers). `name` is used in
  // messages and to choose the format.
  static std::unique_ptr<TableReader> FromString(std::string name, std::string data, std::vector<std::string> fields,
                                                 ErrorSink* sink);
  ~TableReader();

  // The next well-formed row; false at the end or when the sink says stop.
  bool Next(Row* row);

  // Whether the file has column `field` (CSV: in its header; JSON Lines: true,
  // each line is checked by the caller).
  bool HasField(size_t field) const;
  const std::string& path() const { return path_; }
  TableFormat format() const { return format_; }
  const std::vector<std::string>& fields() const { return fields_; }
  // The header row as written (CSV), for format detection.
  const std::vector<std::string>& header() const { return header_; }

  // Rows seen, well-formed or not (blank lines are not rows).
  uint64_t rows_read() const { return rows_read_; }
  // Rows the reader itself rejected.
  uint64_t rows_rejected() const { return rows_rejected_; }
  uint64_t bytes_read() const { return stream_offset_; }
  uint64_t file_bytes_consumed() const;
  uint64_t file_size() const;
  // Whether the sink said stop.
  bool stopped() const { return stopped_; }

  // An error about `row`, for the caller to report. field_index < fields().size()
  // names the field; pass SIZE_MAX for the whole row.
  InputError MakeError(const Row& row, InputErrorKind kind, size_t field_index, std::string problem,
                       std::string fix) const;
  // Reports an error through the sink; returns false if loading must stop.
  bool Reject(InputError error);

  struct Impl;

 private:
  TableReader(std::string path, TableFormat format, std::vector<std::string> fields, ErrorSink* sink);
  bool NextCsv(Row* row);
  bool NextJson(Row* row);
  bool ReadHeader();
  void SkipBomAndDetectLineEnds();
  bool Fill();  // reads more input; false at end of input

  std::string path_;
  TableFormat format_;
  std::vector<std::string> fields_;
  std::vector<std::string> header_;
  std::vector<int> column_to_field_;  // CSV column -> field index or -1 (extra)
  std::vector<bool> has_field_;
  ErrorSink* sink_;
  std::unique_ptr<ByteSource> source_;
  std::unique_ptr<Impl> impl_;
  std::string data_;           // in-memory input (FromString)
  std::vector<char> buffer_;   // [0, end_) holds unread input; slack for simdjson padding
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool stopped_ = false;
  bool cr_only_ = false;         // lines end in CR alone; every CR read becomes LF
  uint64_t line_ = 1;            // line of buffer_[pos_]
  uint64_t stream_offset_ = 0;   // stream offset of buffer_[pos_]
  uint64_t rows_read_ = 0;
  uint64_t rows_rejected_ = 0;
  std::string scratch_;          // unescaped CSV fields of the current row (its size only grows)
};

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_TABLE_READER_H_
