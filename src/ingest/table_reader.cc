#include "lockstep/ingest/table_reader.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>
#include <simdjson.h>

namespace lockstep {

namespace {

constexpr size_t kInitialBuffer = 4u << 20;
constexpr size_t kPadding = 64;  // >= SIMDJSON_PADDING
static_assert(kPadding >= simdjson::SIMDJSON_PADDING);

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view TrimToken(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The first ',' or '\n' in buf[p, end), or end. Reads up to 15 bytes past
// end, which the buffer's padding makes safe; 16 bytes a step because most
// unquoted fields are ids, numbers and times of a few bytes each, and this
// scan was a fifth of parsing a row byte by byte.
size_t FindFieldEnd(const char* buf, size_t p, size_t end) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n');
  for (; p < end; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + p));
    const unsigned hits =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, newline))));
    if (hits != 0) return std::min<size_t>(end, p + std::countr_zero(hits));
  }
  return end;
#else
  while (p < end && buf[p] != ',' && buf[p] != '\n') ++p;
  return p;
#endif
}

// The first '"' of buf[p, end), or end, adding the '\n's before it to
// *newlines: one pass for both, without a call, since inside quoted fields
// (JSON arrays of urls and hashtags, where every quote is doubled) the next
// quote is mostly a few bytes away. May read 15 bytes past end, which the
// buffer's padding makes safe.
size_t FindQuote(const char* buf, size_t p, size_t end, uint64_t* newlines) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), newline = _mm_set1_epi8('\n');
  for (; p < end; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + p));
    const unsigned quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)));
    unsigned lines = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)));
    const size_t left = std::min<size_t>(end - p, 16);
    const size_t at = quotes != 0 ? static_cast<size_t>(std::countr_zero(quotes)) : 16;
    const size_t stop = std::min(at, left);
    if (stop < 16) lines &= (1u << stop) - 1;
    // Not std::popcount: without -mpopcnt that is a call into libgcc at
    // every quote, and a quoted field rarely holds a newline.
    for (; lines != 0; lines &= lines - 1) ++*newlines;
    if (at < left) return p + at;
  }
  return end;
#else
  for (; p < end && buf[p] != '"'; ++p) *newlines += buf[p] == '\n';
  return p;
#endif
}

// Copies the `size` bytes at src, a quoted field's content whose quotes all
// come doubled, to dst with each pair undone; returns the bytes written.
// 16 bytes a step, without a call: JSON arrays of urls and hashtags in CSV
// double a quote every few bytes, and a memchr call per quote was most of
// undoing them. Reads up to 15 bytes past src + size (the buffer's padding
// makes that safe) and writes up to 15 past the result (dst has room).
size_t UndoDoubledQuotes(const char* src, size_t size, char* dst) {
  size_t i = 0, o = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  while (i < size) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + o), v);
    const unsigned quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)));
    const size_t left = size - i;
    const size_t at = quotes != 0 ? static_cast<size_t>(std::countr_zero(quotes)) : 16;
    if (at >= left || at == 16) {
      const size_t step = std::min<size_t>(left, 16);
      i += step;
      o += step;
      continue;
    }
    o += at + 1;  // through the first quote of the pair, already stored
    i += at + 2;  // past its double
  }
#else
  while (i < size) {
    dst[o++] = src[i];
    i += src[i] == '"' ? 2 : 1;
  }
#endif
  return o;
}

// One CSV field as found in the buffer: [begin, begin + size), and whether
// it holds doubled quotes to undo.
struct FieldSpan {
  size_t begin;
  size_t size;
  bool escaped;
};

// The spans of one record, reused from row to row. push() stores member by
// member into the slot: a FieldSpan built whole on the stack and copied in
// with one 16-byte load right after its 8-byte stores stalled on store
// forwarding at every field, a quarter of NextCsv's time on text-heavy rows.
class SpanList {
 public:
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  const FieldSpan& operator[](size_t i) const { return spans_[i]; }
  void push(size_t begin, size_t size, bool escaped) {
    if (size_ == spans_.size()) spans_.resize(std::max<size_t>(16, 2 * size_));
    FieldSpan& s = spans_[size_++];
    s.begin = begin;
    s.size = size;
    s.escaped = escaped;
  }

 private:
  std::vector<FieldSpan> spans_;
  size_t size_ = 0;
};

}  // namespace

struct TableReader::Impl {
  simdjson::ondemand::parser parser;
  SpanList spans;
};

TableFormat TableFormatFromName(const std::string& path) {
  const std::string name = StripCompressionSuffix(path);
  if (EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson") || EndsWith(name, ".json")) return TableFormat::kJsonLines;
  return TableFormat::kCsv;
}

TableReader::TableReader(std::string path, TableFormat format, std::vector<std::string> fields, ErrorSink* sink)
    : path_(std::move(path)), format_(format), fields_(std::move(fields)), sink_(sink), impl_(new Impl) {
  has_field_.assign(fields_.size(), format_ == TableFormat::kJsonLines);
}

TableReader::~TableReader() = default;

Result<std::unique_ptr<TableReader>> TableReader::Open(const std::string& path, std::vector<std::string> fields,
                                                       ErrorSink* sink) {
  auto source = OpenByteSource(path);
  if (!source.ok()) return source.status();
  std::unique_ptr<TableReader> reader(new TableReader(path, TableFormatFromName(path), std::move(fields), sink));
  reader->source_ = std::move(source).value();
  // Small plain files get a small buffer (fuzzers open thousands); the
  // buffer grows on demand anyway.
  size_t initial = kInitialBuffer;
  if (StripCompressionSuffix(path) == path)
    initial = std::clamp<size_t>(reader->source_->file_size() + 1, 64u << 10, kInitialBuffer);
  reader->buffer_.resize(initial + kPadding);
  reader->ReadHeader();
  return reader;
}

std::unique_ptr<TableReader> TableReader::FromString(std::string name, std::string data, std::vector<std::string> fields,
                                                     ErrorSink* sink) {
  std::unique_ptr<TableReader> reader(new TableReader(name, TableFormatFromName(name), std::move(fields), sink));
  reader->buffer_.resize(data.size() + kPadding);
  std::memcpy(reader->buffer_.data(), data.data(), data.size());
  reader->end_ = data.size();
  reader->eof_ = true;
  reader->ReadHeader();
  return reader;
}

uint64_t TableReader::file_bytes_consumed() const {
  return source_ ? source_->file_bytes_consumed() : stream_offset_;
}
uint64_t TableReader::file_size() const { return source_ ? source_->file_size() : end_; }

bool TableReader::HasField(size_t field) const { return field < has_field_.size() && has_field_[field]; }

bool TableReader::Fill() {
  if (eof_ || !source_) {
    eof_ = true;
    return false;
  }
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  size_t capacity = buffer_.size() - kPadding;
  if (end_ == capacity) {
    // One row fills the buffer. Past kMaxRowBytes it is no row of a table
    // (a runaway quote, or a value meant to exhaust memory): stop here
    // rather than let the buffer follow it.
    if (end_ >= kMaxRowBytes) {
      InputError e;
      e.kind = InputErrorKind::kTooLarge;
      e.file = path_;
      e.line = line_;
      e.byte_offset = stream_offset_;
      e.problem = fmt::format("the row starting here is longer than {} MiB, the most lockstep reads in one row",
                              kMaxRowBytes >> 20);
      e.fix = format_ == TableFormat::kCsv ? "look for a quote that is never closed; split very long values"
                                            : "write one JSON object per line, each under the limit";
      e.raw = std::string(buffer_.data(), std::min<size_t>(end_, 4096));
      sink_->ReportFatal(std::move(e));
      stopped_ = true;
      eof_ = true;
      return false;
    }
    buffer_.resize(std::min<size_t>(capacity * 2, kMaxRowBytes) + kPadding);
    capacity = buffer_.size() - kPadding;
  }
  auto n = source_->Read(buffer_.data() + end_, capacity - end_);
  if (!n.ok()) {
    const bool damaged = n.status().code() == StatusCode::kCorrupt;
    InputError e;
    e.kind = damaged ? InputErrorKind::kDamagedArchive : InputErrorKind::kIo;
    e.file = path_;
    e.line = line_;
    e.byte_offset = stream_offset_;
    e.problem = n.status().message();
    e.fix = damaged ? "the archive is cut off or damaged: download or export it again, or test it with gzip -t / zstd -t"
                    : "check the file and its permissions";
    sink_->ReportFatal(std::move(e));  // a damaged stream cannot be resumed, and its rows are lost
    stopped_ = true;
    eof_ = true;
    return false;
  }
  if (*n == 0) {
    eof_ = true;
    return false;
  }
  if (cr_only_) std::replace(buffer_.data() + end_, buffer_.data() + end_ + *n, '\r', '\n');
  end_ += *n;
  return true;
}

InputError TableReader::MakeError(const Row& row, InputErrorKind kind, size_t field_index, std::string problem,
                                  std::string fix) const {
  InputError e;
  e.kind = kind;
  e.file = path_;
  e.line = row.line;
  e.byte_offset = row.byte_offset;
  if (field_index < fields_.size()) e.field = fields_[field_index];
  e.problem = std::move(problem);
  e.fix = std::move(fix);
  e.raw = std::string(row.raw.substr(0, 4096));
  return e;
}

bool TableReader::Reject(InputError error) {
  if (!sink_->Report(std::move(error))) stopped_ = true;
  return !stopped_;
}

// A UTF-8 byte order mark at the start of the input is skipped; lines
// ended by CR alone (classic Mac OS) are read as lines: when the first line
// break of the input is a lone CR, every CR is taken for a line break.
void TableReader::SkipBomAndDetectLineEnds() {
  if (end_ == 0) Fill();
  if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) {  // UTF-8 byte order mark
    pos_ = 3;
    stream_offset_ = 3;
  }
  const char* begin = buffer_.data() + pos_;
  const char* end = buffer_.data() + end_;
  const char* cr = static_cast<const char*>(std::memchr(begin, '\r', end - begin));
  if (cr == nullptr || cr + 1 == end) return;  // no CR, or cannot tell what follows it
  const char* lf = static_cast<const char*>(std::memchr(begin, '\n', cr - begin));
  if (lf != nullptr || cr[1] == '\n') return;
  cr_only_ = true;
  std::replace(buffer_.data() + pos_, buffer_.data() + end_, '\r', '\n');
}

bool TableReader::ReadHeader() {
  SkipBomAndDetectLineEnds();
  if (format_ == TableFormat::kJsonLines) {
    if (end_ == pos_ && !stopped_) {
      InputError e;
      e.kind = InputErrorKind::kEmptyFile;
      e.file = path_;
      e.problem = "the file is empty";
      e.fix = "write one JSON object per line, or remove the file";
      Reject(std::move(e));
      eof_ = true;
    }
    return true;
  }
  // CSV: parse the first record as the header, through the row machinery.
  std::vector<std::string> saved = std::move(fields_);
  fields_.clear();
  has_field_.clear();
  column_to_field_.clear();
  header_.clear();
  Row row;
  const bool got = NextCsv(&row);
  fields_ = std::move(saved);
  has_field_.assign(fields_.size(), false);
  if (rows_rejected_ > 0) {
    // The header itself was malformed (and reported): the record after it is
    // no header, so nothing of the file can be read as a table. The bad
    // header counts as the one rejected row: rows_read == rows_rejected.
    rows_read_ = rows_rejected_ = 1;
    eof_ = true;
    pos_ = end_;
    return false;
  }
  if (!got) {
    if (!stopped_) {
      InputError e;
      e.kind = InputErrorKind::kEmptyFile;
      e.file = path_;
      e.problem = "the file is empty: no header row";
      e.fix = "write a header row naming the columns, or remove the file";
      Reject(std::move(e));
    }
    eof_ = true;
    pos_ = end_;
    return false;
  }
  rows_read_ = 0;  // the header is not a row
  for (const auto& [name, value] : row.extras) header_.emplace_back(value);
  // Every column needs a name of its own: an empty name or one given twice
  // leaves a value that no field can be told apart by.
  for (size_t c = 0; c < header_.size(); ++c) {
    std::string problem;
    if (header_[c].empty() && header_.size() > 1) {
      problem = fmt::format("column {} of the header has no name", c + 1);
    } else {
      for (size_t d = 0; d < c; ++d)
        if (header_[d] == header_[c] && !header_[c].empty())
          problem = fmt::format("the header names column '{}' twice (columns {} and {})", header_[c].substr(0, 80),
                                d + 1, c + 1);
    }
    if (problem.empty()) continue;
    InputError e = MakeError(row, InputErrorKind::kBadValue, SIZE_MAX, std::move(problem),
                             "give every column of the header a name of its own");
    if (header_[c].empty() == false) e.field = header_[c];
    Reject(std::move(e));
    rows_read_ = rows_rejected_ = 1;  // the header stands for the file, as a malformed header does
    header_.clear();
    eof_ = true;
    pos_ = end_;
    return false;
  }
  column_to_field_.assign(header_.size(), -1);
  for (size_t c = 0; c < header_.size(); ++c) {
    for (size_t f = 0; f < fields_.size(); ++f) {
      if (header_[c] == fields_[f] && !has_field_[f]) {
        column_to_field_[c] = static_cast<int>(f);
        has_field_[f] = true;
        break;
      }
    }
  }
  return true;
}

bool TableReader::Next(Row* row) {
  if (stopped_) return false;
  return format_ == TableFormat::kCsv ? NextCsv(row) : NextJson(row);
}

// Parses one CSV record. While reading the header, fields_ is empty and
// every column is handed out through row->extras.
bool TableReader::NextCsv(Row* row) {
  auto& spans = impl_->spans;
  for (;;) {
    if (stopped_) return false;
    if (pos_ == end_ && !Fill()) return false;
    // Blank lines are not rows.
    char c0 = buffer_[pos_];
    if (c0 == '\n' || (c0 == '\r' && pos_ + 1 < end_ && buffer_[pos_ + 1] == '\n')) {
      const size_t len = c0 == '\n' ? 1 : 2;
      pos_ += len;
      stream_offset_ += len;
      ++line_;
      continue;
    }
    if (c0 == '\r' && pos_ + 1 == end_ && !eof_) {
      Fill();
      continue;
    }
    const char* buf = buffer_.data();
    size_t p = pos_;
    spans.clear();
    bool need_more = false;
    bool unterminated = false;
    bool bad_quote = false;
    size_t record_end = 0, next = 0;
    uint64_t quoted_newlines = 0;  // only quoted fields hold newlines besides the terminator
    for (;;) {
      if (p < end_ && buf[p] == '"') {
        size_t q = p + 1;
        bool escaped = false;
        for (;;) {
          const size_t k = FindQuote(buf, q, end_, &quoted_newlines);
          if (k == end_) {
            if (eof_) unterminated = true; else need_more = true;
            break;
          }
          if (k + 1 == end_ && !eof_) {
            need_more = true;
            break;
          }
          if (k + 1 < end_ && buf[k + 1] == '"') {
            escaped = true;
            q = k + 2;
            continue;
          }
          spans.push(p + 1, k - p - 1, escaped);
          p = k + 1;
          break;
        }
        if (need_more || unterminated) break;
        if (p == end_) {  // eof_ is true here
          record_end = next = p;
          break;
        }
        if (buf[p] == ',') {
          ++p;
          continue;
        }
        if (buf[p] == '\n' || buf[p] == '\r') {
          if (buf[p] == '\r') {
            if (p + 1 == end_ && !eof_) { need_more = true; break; }
            if (p + 1 < end_ && buf[p + 1] != '\n') { bad_quote = true; }
          }
          record_end = p;
          next = p + (buf[p] == '\r' && p + 1 < end_ ? 2 : 1);
          if (bad_quote) {
            const void* nl = std::memchr(buf + p, '\n', end_ - p);
            next = nl ? static_cast<const char*>(nl) - buf + 1 : end_;
            record_end = next - (nl ? 1 : 0);
          }
          break;
        }
        // Text after a closing quote: the field is malformed. Skip to the end of the line.
        bad_quote = true;
        const void* nl = std::memchr(buf + p, '\n', end_ - p);
        if (nl == nullptr && !eof_) { need_more = true; break; }
        next = nl ? static_cast<const char*>(nl) - buf + 1 : end_;
        record_end = nl ? next - 1 : end_;
        break;
      }
      // Unquoted field.
      const size_t q = FindFieldEnd(buf, p, end_);
      if (q == end_ && !eof_) {
        need_more = true;
        break;
      }
      size_t field_end = q;
      if (q < end_ && buf[q] == '\n' && field_end > p && buf[field_end - 1] == '\r') --field_end;
      else if (q == end_ && field_end > p && buf[field_end - 1] == '\r') --field_end;
      spans.push(p, field_end - p, false);
      if (q < end_ && buf[q] == ',') {
        p = q + 1;
        continue;
      }
      record_end = field_end;
      next = q < end_ ? q + 1 : q;
      break;
    }
    if (need_more) {
      if (!Fill()) {
        if (stopped_) return false;
        // eof_ is now true: re-parse with the knowledge that nothing follows.
      }
      continue;
    }
    if (unterminated) {
      record_end = next = end_;
    }
    // One record: [pos_, record_end), continuing at next.
    row->line = line_;
    row->byte_offset = stream_offset_;
    row->raw = std::string_view(buf + pos_, record_end - pos_);
    row->extras.clear();
    const uint64_t newlines = unterminated || bad_quote ? std::count(buf + pos_, buf + next, '\n')
                                                        : quoted_newlines + (next > pos_ && buf[next - 1] == '\n');
    stream_offset_ += next - pos_;
    pos_ = next;
    line_ += newlines;
    ++rows_read_;
    const bool header_mode = fields_.empty() && header_.empty();
    if (unterminated || bad_quote) {
      ++rows_rejected_;
      InputError e = MakeError(*row, unterminated ? InputErrorKind::kUnterminatedQuote : InputErrorKind::kBadValue,
                               SIZE_MAX,
                               unterminated ? "a quoted field opens here and is never closed before the end of the file"
                                            : "text follows a closing quote inside a field",
                               unterminated ? "close the quote; if the file was cut off, re-export it whole"
                                            : "double every quote inside a quoted field (\"\")");
      if (!Reject(std::move(e))) return false;
      continue;
    }
    if (!simdjson::validate_utf8(row->raw.data(), row->raw.size())) {
      ++rows_rejected_;
      size_t bad_column = 0;
      for (size_t c = 0; c < spans.size(); ++c)
        if (!simdjson::validate_utf8(buf + spans[c].begin, spans[c].size)) {
          bad_column = c;
          break;
        }
      InputError e = MakeError(*row, InputErrorKind::kInvalidUtf8, SIZE_MAX,
                               fmt::format("column {} holds bytes that are not valid UTF-8", bad_column + 1),
                               "re-encode the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)");
      if (bad_column < header_.size()) e.field = header_[bad_column];
      if (!Reject(std::move(e))) return false;
      continue;
    }
    // A NUL byte is no text (an id holding one reads as two different ids
    // to C and to C++), and a value or row past the caps is refused before
    // it is copied anywhere.
    size_t nul_column = SIZE_MAX, large_column = SIZE_MAX;
    if (std::memchr(row->raw.data(), '\0', row->raw.size()) != nullptr) {
      for (size_t c = 0; c < spans.size() && nul_column == SIZE_MAX; ++c)
        if (std::memchr(buf + spans[c].begin, '\0', spans[c].size) != nullptr) nul_column = c;
      if (nul_column == SIZE_MAX) nul_column = 0;
    }
    for (size_t c = 0; c < spans.size() && large_column == SIZE_MAX; ++c)
      if (spans[c].size > kMaxFieldBytes) large_column = c;
    if (nul_column != SIZE_MAX || large_column != SIZE_MAX || row->raw.size() > kMaxRowBytes) {
      ++rows_rejected_;
      const size_t c = nul_column != SIZE_MAX ? nul_column : large_column;
      InputError e =
          nul_column != SIZE_MAX
              ? MakeError(*row, InputErrorKind::kBadValue, SIZE_MAX,
                          fmt::format("column {} holds a NUL byte, which no text may hold", c + 1),
                          "remove the NUL bytes; a file full of them is binary, or UTF-16 (re-encode it as UTF-8)")
          : large_column != SIZE_MAX
              ? MakeError(*row, InputErrorKind::kTooLarge, SIZE_MAX,
                          fmt::format("column {} holds {} bytes; lockstep reads at most {} MiB in one field", c + 1,
                                      spans[c].size, kMaxFieldBytes >> 20),
                          "shorten the value, or drop the row")
              : MakeError(*row, InputErrorKind::kTooLarge, SIZE_MAX,
                          fmt::format("the row holds {} bytes; lockstep reads at most {} MiB in one row", row->raw.size(),
                                      kMaxRowBytes >> 20),
                          "look for a quote that is never closed; split very long values");
      if (c < header_.size()) e.field = header_[c];
      if (!Reject(std::move(e))) return false;
      continue;
    }
    if (!header_mode && spans.size() != header_.size()) {
      ++rows_rejected_;
      InputError e = MakeError(
          *row, InputErrorKind::kColumnCount, SIZE_MAX,
          fmt::format("the row has {} columns, the header has {}", spans.size(), header_.size()),
          spans.size() < header_.size() ? "add the missing cells (leave them empty for missing values)"
                                        : "quote cells that contain commas, or remove the extra cells");
      if (!Reject(std::move(e))) return false;
      continue;
    }
    // Hand out the values, undoing doubled quotes into scratch_.
    // Sized once for the whole row (undone fields are shorter than the row)
    // plus UndoDoubledQuotes' overrun, so the views stay put; it only grows.
    if (scratch_.size() < row->raw.size() + 16) scratch_.resize(row->raw.size() + 16);
    size_t scratch_used = 0;
    row->values.assign(fields_.size(), std::string_view());
    for (size_t c = 0; c < spans.size(); ++c) {
      std::string_view v(buf + spans[c].begin, spans[c].size);
      if (spans[c].escaped) {
        char* out = scratch_.data() + scratch_used;
        const size_t n = UndoDoubledQuotes(v.data(), v.size(), out);
        scratch_used += n;
        v = std::string_view(out, n);
      }
      if (header_mode) {
        row->extras.emplace_back(std::string_view(), v);
      } else if (column_to_field_[c] >= 0) {
        row->values[column_to_field_[c]] = v;
      } else if (!v.empty()) {
        row->extras.emplace_back(header_[c], v);
      }
    }
    return true;
  }
}

bool TableReader::NextJson(Row* row) {
  for (;;) {
    if (stopped_) return false;
    if (pos_ == end_ && !Fill()) return false;
    const char* buf = buffer_.data();
    const void* nl = std::memchr(buf + pos_, '\n', end_ - pos_);
    if (nl == nullptr && !eof_) {
      Fill();
      continue;
    }
    const size_t line_end = nl ? static_cast<const char*>(nl) - buf : end_;
    const size_t next = nl ? line_end + 1 : end_;
    std::string_view line(buf + pos_, line_end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    row->line = line_;
    row->byte_offset = stream_offset_;
    row->raw = line;
    row->extras.clear();
    const size_t start = pos_;
    stream_offset_ += next - pos_;
    pos_ = next;
    ++line_;
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++rows_read_;
    row->values.assign(fields_.size(), std::string_view());
    const size_t capacity = buffer_.size() - start;
    simdjson::padded_string_view view(line.data(), line.size(), capacity);
    auto fail = [&](simdjson::error_code code) {
      ++rows_rejected_;
      const bool utf8 = code == simdjson::UTF8_ERROR;
      InputError e = MakeError(*row, utf8 ? InputErrorKind::kInvalidUtf8 : InputErrorKind::kBadJson, SIZE_MAX,
                               utf8 ? std::string("the line holds bytes that are not valid UTF-8")
                                    : fmt::format("the line is not one JSON object: {}", simdjson::error_message(code)),
                               utf8 ? "re-encode the file as UTF-8"
                                    : "write exactly one JSON object per line (JSON Lines)");
      return Reject(std::move(e));
    };
    simdjson::ondemand::document doc;
    if (auto err = impl_->parser.iterate(view).get(doc)) {
      if (!fail(err)) return false;
      continue;
    }
    simdjson::ondemand::object obj;
    if (auto err = doc.get_object().get(obj)) {
      if (!fail(err)) return false;
      continue;
    }
    simdjson::error_code err = simdjson::SUCCESS;
    bool too_bad = false;  // a value refused (and reported) by the checks below
    for (auto field : obj) {
      std::string_view key;
      if ((err = field.unescaped_key().get(key))) break;
      simdjson::ondemand::value value;
      if ((err = field.value().get(value))) break;
      simdjson::ondemand::json_type type;
      if ((err = value.type().get(type))) break;
      std::string_view text;
      switch (type) {
        case simdjson::ondemand::json_type::string:
          err = value.get_string().get(text);
          break;
        case simdjson::ondemand::json_type::array: {
          simdjson::ondemand::array a;
          if (!(err = value.get_array().get(a))) err = a.raw_json().get(text);
          break;
        }
        case simdjson::ondemand::json_type::object: {
          simdjson::ondemand::object o;
          if (!(err = value.get_object().get(o))) err = o.raw_json().get(text);
          break;
        }
        case simdjson::ondemand::json_type::null: {
          bool is_null = false;
          err = value.is_null().get(is_null);
          break;
        }
        default:
          text = TrimToken(value.raw_json_token());
          break;
      }
      if (err) break;
      if (text.size() > kMaxFieldBytes || key.find('\0') != std::string_view::npos ||
          text.find('\0') != std::string_view::npos) {
        ++rows_rejected_;
        const bool nul = text.size() <= kMaxFieldBytes;
        InputError e = MakeError(
            *row, nul ? InputErrorKind::kBadValue : InputErrorKind::kTooLarge, SIZE_MAX,
            nul ? std::string("the key or value holds a NUL character (\\u0000), which no text may hold")
                : fmt::format("the value holds {} bytes; lockstep reads at most {} MiB in one field", text.size(),
                              kMaxFieldBytes >> 20),
            nul ? "remove the NUL characters" : "shorten the value, or drop the line");
        e.field = std::string(key.substr(0, 80));
        if (!Reject(std::move(e))) return false;
        too_bad = true;
        break;
      }
      size_t f = 0;
      while (f < fields_.size() && fields_[f] != key) ++f;
      if (f < fields_.size()) row->values[f] = text;
      else if (!text.empty()) row->extras.emplace_back(key, text);
    }
    if (too_bad) continue;
    if (!err && !doc.current_location().error()) err = simdjson::TRAILING_CONTENT;
    if (err) {
      if (!fail(err)) return false;
      continue;
    }
    return true;
  }
}

}  // namespace lockstep
