#include "lockstep/ingest/coortweet_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <numeric>
#include <optional>
#include <thread>

#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ingest/reader_support.h"
#include "lockstep/ingest/byte_source.h"

namespace lockstep {

namespace {

using internal::DatasetBuilder;
using internal::EventFields;
using internal::FieldReader;

// Both forms' columns; a file has one form's.
enum Column : size_t {
  kObject, kAccount, kContent, kTimestampShare, kPost, kUrl, kHashtag, kDomain, kPhash, kTimestamp
};

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> kNames = {"object_id", "account_id", "content_id", "timestamp_share",
                                                  "post_id",   "url_id",     "hashtag_id", "domain_id",
                                                  "phash_id",  "timestamp"};
  return kNames;
}

std::string_view PlatformOf(std::string_view account_id) {
  if (account_id.rfind("fb_", 0) == 0) return "facebook";
  if (account_id.rfind("tw_", 0) == 0) return "twitter";
  return {};
}

// ---- Plain share tables ----------------------------------------------------
//
// Share tables are usually machine-written: a header of exactly object_id,
// account_id, content_id and timestamp_share, then rows of four unquoted
// cells with epoch-second times. For those, the general path (TableReader's
// quote handling and a Row per line, DatasetBuilder's pending accounts, then
// a stable sort permuting every event column) does several times the work
// needed. PlainShareLoader reads them in large blocks, splits lines with
// memchr, interns the ids straight into the data set's pools in the order
// the general path interns them (accounts on a second thread, content and
// object ids on the calling one, each fetching the hash-table lines of the
// rows ahead so that their cache misses overlap), and sorts the four
// columns that vary by time with a radix sort while the second thread
// writes the constant ones.
//
// Anything the general path would treat otherwise (no such header, a quote,
// a CR not followed by LF, invalid UTF-8, a wrong number of cells, an empty
// account, a time it rejects, a read error) makes AddFile return false; the
// caller then reads every file again with the general path, which reports
// the defects as usual. So the fast path builds exactly the data set and
// report of the general path, or nothing.

constexpr size_t kBlockBytes = 16u << 20;

// The positions of object_id, account_id, content_id and timestamp_share in
// a header line, or false if it is not exactly those four unquoted names.
bool PlainShareHeader(std::string_view line, std::array<size_t, 4>* cell_of) {
  if (line.find('"') != std::string_view::npos) return false;
  std::array<bool, 4> seen{};
  size_t cell = 0;
  for (;; ++cell) {
    const size_t comma = line.find(',');
    const std::string_view name = line.substr(0, comma);
    size_t f = 0;
    while (f < 4 && Columns()[f] != name) ++f;
    if (f == 4 || seen[f] || cell == 4) return false;
    seen[f] = true;
    (*cell_of)[f] = cell;
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  return cell == 3;
}

// A time as the general path reads it (internal::ReadInputTime): digits
// directly, other forms through ParseAnyTime; false for a time the general
// path would refuse (malformed, or outside the accepted window), so that the
// row goes to the general path and its error.
bool ShareTime(std::string_view text, int64_t* out) {
  int64_t v = 0;
  if (text.empty() || text.size() > 18) {
    if (!internal::ParseAnyTime(text, &v)) return false;
  } else {
    for (char c : text) {
      const unsigned d = static_cast<unsigned char>(c) - '0';
      if (d > 9) {
        if (!internal::ParseAnyTime(text, &v)) return false;
        break;
      }
      v = v * 10 + d;
    }
  }
  if (!InInputTimeWindow(v)) return false;
  *out = v;
  return true;
}

// The event columns of a large file are hundreds of MiB written once in
// order: on huge pages that is a page fault per 2 MiB instead of per 4 KiB.
using internal::AdviseHugePages;

// Room for `n` elements in an empty vector, on huge pages where possible.
template <typename T>
void ReserveHuge(std::vector<T>& v, size_t n) {
  v.reserve(n);
  AdviseHugePages(v.data(), v.capacity() * sizeof(T));
}

// `n` copies of `value` in an empty vector, on huge pages where possible.
template <typename T>
void FillHuge(std::vector<T>& v, size_t n, T value) {
  ReserveHuge(v, n);
  v.assign(n, value);
}

// Scratch memory for n elements, left uninitialised, on huge pages where possible.
template <typename T>
std::unique_ptr<T[]> HugeScratch(size_t n) {
  auto p = std::make_unique_for_overwrite<T[]>(n);
  AdviseHugePages(p.get(), n * sizeof(T));
  return p;
}

// Buffers of uint32_t already in memory (their pages faulted in and
// zeroed) that the sort and the permutation are done with. The constant
// uint32_t columns take them before fresh memory, which would cost the
// same page faults again.
using SpareBuffers = std::vector<std::vector<uint32_t>>;

// `n` elements (room for n + 1, an offsets column's size), on huge pages
// where possible.
std::vector<uint32_t> SortBuffer(size_t n) {
  std::vector<uint32_t> v;
  ReserveHuge(v, n + 1);
  v.resize(n);
  return v;
}

// Sorts `time` in place, ties in row order, and returns the order: row i of
// the result was row order[i]. An LSD radix sort of (time - min, row) on
// the time bits only; its scratch goes to `spare`.
std::vector<uint32_t> SortByTime(std::vector<int64_t>& time, SpareBuffers* spare) {
  const size_t n = time.size();
  const auto [lo_it, hi_it] = std::minmax_element(time.begin(), time.end());
  const int64_t lo = *lo_it;
  const uint64_t range = static_cast<uint64_t>(*hi_it) - static_cast<uint64_t>(lo);
  if (range >> 32 != 0 || n >> 32 != 0) {  // over 136 years apart: a comparison sort
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return time[a] < time[b]; });
    std::vector<int64_t> sorted(n);
    for (size_t i = 0; i < n; ++i) sorted[i] = time[order[i]];
    time.swap(sorted);
    return order;
  }
  std::vector<uint32_t> key = SortBuffer(n), row = SortBuffer(n), key_out = SortBuffer(n), row_out = SortBuffer(n);
  for (size_t i = 0; i < n; ++i) {
    key[i] = static_cast<uint32_t>(static_cast<uint64_t>(time[i]) - static_cast<uint64_t>(lo));
    row[i] = static_cast<uint32_t>(i);
  }
  constexpr int kDigitBits = 11;
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  for (int shift = 0; shift < static_cast<int>(std::bit_width(range)); shift += kDigitBits) {
    std::array<size_t, kBuckets> start{};
    for (size_t i = 0; i < n; ++i) ++start[(key[i] >> shift) & (kBuckets - 1)];
    size_t sum = 0;
    for (size_t& s : start) sum += std::exchange(s, sum);
    for (size_t i = 0; i < n; ++i) {
      const size_t to = start[(key[i] >> shift) & (kBuckets - 1)]++;
      key_out[to] = key[i];
      row_out[to] = row[i];
    }
    key.swap(key_out);
    row.swap(row_out);
  }
  for (size_t i = 0; i < n; ++i) time[i] = static_cast<int64_t>(static_cast<uint64_t>(lo) + key[i]);
  for (std::vector<uint32_t>* v : {&key, &key_out, &row_out}) spare->push_back(std::move(*v));
  return row;
}

// Permutes each of `columns` (of order.size() rows) by `order`. Each
// column's old buffer takes the next column, so the permutation needs one
// buffer more than the columns, from `spare` if it has one; the last old
// buffer goes to `spare`.
void PermuteColumns(std::initializer_list<std::vector<uint32_t>*> columns, const std::vector<uint32_t>& order,
                    SpareBuffers* spare) {
  std::vector<uint32_t> out;
  if (!spare->empty() && spare->back().capacity() >= order.size()) {
    out.swap(spare->back());
    spare->pop_back();
  } else {
    ReserveHuge(out, order.size());
  }
  for (std::vector<uint32_t>* column : columns) {
    out.clear();  // push_back into reserved room: no zero fill before the writes
    for (uint32_t i : order) out.push_back((*column)[i]);
    column->swap(out);
  }
  spare->push_back(std::move(out));
}

// Whether two events share account, target and time; `time` sorted. Those
// are the events whose event ids lockstep network's repeat rule compares.
bool SharesAccountTargetTime(const Events& ev) {
  std::vector<uint64_t> run;  // (account, target) of a long run of one time
  for (size_t b = 0, e; b < ev.time.size(); b = e) {
    for (e = b + 1; e < ev.time.size() && ev.time[e] == ev.time[b]; ++e) {
    }
    if (e - b <= 16) {  // most times: a few events, compared pairwise
      for (size_t i = b; i < e; ++i)
        for (size_t j = i + 1; j < e; ++j)
          if (ev.account[i] == ev.account[j] && ev.target_id[i] == ev.target_id[j]) return true;
      continue;
    }
    run.clear();
    for (size_t i = b; i < e; ++i) run.push_back(uint64_t{ev.account[i]} << 32 | ev.target_id[i]);
    std::sort(run.begin(), run.end());
    if (std::adjacent_find(run.begin(), run.end()) != run.end()) return true;
  }
  return false;
}

// How many strings ahead of the one being interned its hash-table slot, and
// then the entry that slot points at, are fetched. A lookup in a pool of
// millions of ids is a cache miss or two; fetched this far ahead, the misses
// of consecutive rows overlap instead of following one another.
constexpr size_t kSlotAhead = 16, kEntryAhead = 8;

// Calls emit(i, id) with id = pool.Intern(texts[i]) (kNoString for an empty
// text) for each i in order; `hashes` is scratch.
template <typename Emit>
void InternAhead(Interner& pool, const std::vector<std::string_view>& texts, std::vector<uint64_t>& hashes,
                 Emit emit) {
  const size_t n = texts.size();
  hashes.resize(n);
  for (size_t i = 0; i < n; ++i) hashes[i] = Interner::HashOf(texts[i]);
  for (size_t i = 0; i < n; ++i) {
    if (i + kSlotAhead < n) pool.Prefetch(hashes[i + kSlotAhead]);
    if (i + kEntryAhead < n) pool.PrefetchEntry(hashes[i + kEntryAhead]);
    emit(i, texts[i].empty() ? kNoString : pool.Intern(texts[i], hashes[i]));
  }
}

class PlainShareLoader {
 public:
  // `event_ids` false: content ids are not interned (LoadOptions::event_ids).
  PlainShareLoader(const LoadOptions& options, bool event_ids, LoadReport* report, uint64_t bytes_total)
      : options_(options), event_ids_(event_ids), report_(report), bytes_total_(bytes_total) {}

  // Appends the rows of `path`; false if the file is not a plain share table.
  bool AddFile(const std::string& path);
  // The data set: constant columns filled in, events sorted by time. Without
  // event ids, nullopt if two events share account, target and time: only
  // their ids tell whether they repeat one message.
  std::optional<Dataset> Finish();

 private:
  // Of part of a block, in row order: times; account ids; content and object
  // ids alternating, as the general path interns them into `objects`
  // (object ids only without event ids).
  struct Rows {
    std::vector<int64_t> time;
    std::vector<std::string_view> account_text, object_text;
  };
  // Parses the whole lines of `block`; false at the first row that is not plain.
  bool AddRows(std::string_view block);
  // Splits the lines of `text` into `rows`; false at the first row that is not plain.
  bool SplitRows(std::string_view text, Rows* rows) const;

  const LoadOptions& options_;
  bool event_ids_;
  LoadReport* report_;
  uint64_t bytes_total_;
  uint64_t bytes_before_ = 0;  // on disk, of the files done
  Dataset ds_;
  StringId platform_ = kNoString;
  std::array<size_t, 4> cell_of_{};  // by Column kObject..kTimestampShare
  uint64_t rows_ = 0;               // of the current file
  uint64_t rows_all_ = 0;           // of all files so far
  bool reserved_ = false;           // whether the columns and pools have been sized from an estimate
  size_t estimate_ = 0;             // rows in all files, estimated from the first block; 0 = none yet
  std::array<Rows, 2> halves_;      // of the current block, split on two threads
  std::vector<uint64_t> account_hash_, object_hash_;  // scratch of InternAhead
};

bool PlainShareLoader::AddFile(const std::string& path) {
  if (TableFormatFromName(path) != TableFormat::kCsv) return false;
  auto opened = OpenByteSource(path);
  if (!opened.ok()) return false;
  ByteSource& source = **opened;
  // Blocks of 16 MiB, or less for a smaller file (the buffer is zero-filled
  // once per file); a block read full doubles the buffer, up to 16 MiB, so a
  // compressed file, whose size on disk understates it, still gets there.
  const uint64_t on_disk = source.file_size();
  std::vector<char> buffer(on_disk == 0 ? kBlockBytes : std::min<uint64_t>(kBlockBytes, on_disk + 1));
  size_t carried = 0;  // bytes of an unfinished line at the start of buffer
  uint64_t bytes = 0;
  bool header = true;
  rows_ = 0;
  for (;;) {
    if (carried == buffer.size()) buffer.resize(buffer.size() * 2);  // a line longer than the block
    auto got = source.Read(buffer.data() + carried, buffer.size() - carried);
    if (!got.ok()) return false;
    const size_t n = *got, filled = carried + n;
    const bool end = n == 0;
    const bool full = filled == buffer.size();
    bytes += n;
    std::string_view block(buffer.data(), filled);
    if (!end) {
      const size_t last = block.rfind('\n');
      if (last == std::string_view::npos) {
        carried = filled;
        continue;
      }
      block = block.substr(0, last + 1);
    }
    if (header) {
      if (block.starts_with("\xEF\xBB\xBF")) block.remove_prefix(3);
      const size_t nl = block.find('\n');
      std::string_view line = block.substr(0, nl);
      if (line.ends_with('\r')) line.remove_suffix(1);
      if (!PlainShareHeader(line, &cell_of_)) return false;
      block.remove_prefix(nl == std::string_view::npos ? block.size() : nl + 1);
      header = false;
    }
    if (!AddRows(block)) return false;
    if (end) break;
    const size_t used = static_cast<size_t>(block.data() + block.size() - buffer.data());
    carried = filled - used;
    std::memmove(buffer.data(), buffer.data() + used, carried);
    if (full && buffer.size() < kBlockBytes) buffer.resize(std::min(buffer.size() * 2, kBlockBytes));
    if (options_.progress) options_.progress(LoadProgress{path, bytes_before_ + source.file_bytes_consumed(), bytes_total_});
  }
  if (header) return false;  // an empty file
  FileStats stats;
  stats.path = path;
  stats.rows_read = stats.rows_loaded = rows_;
  stats.bytes = bytes;
  report_->bytes += bytes;
  report_->files.push_back(stats);
  bytes_before_ += source.file_size();
  if (options_.progress) options_.progress(LoadProgress{path, bytes_before_, bytes_total_});
  return true;
}

bool PlainShareLoader::SplitRows(std::string_view text, Rows* rows) const {
  const char* const base = text.data();
  const size_t size = text.size();
  std::array<std::string_view, 4> cells;
  size_t cell = 0;   // cells of the current line so far
  size_t start = 0;  // where the current cell starts
  // Ends the current cell at `at`, a ',' or (line_end) a '\n' or the end of
  // the text; at a line end, takes the row. False if the row is not plain.
  auto separator = [&](size_t at, bool line_end) {
    if (!line_end) {
      if (cell == 3) return false;  // a fifth cell
      cells[cell++] = std::string_view(base + start, at - start);
      start = at + 1;
      return true;
    }
    size_t end = at;
    if (end > start && base[end - 1] == '\r') --end;
    const bool blank = cell == 0 && end == start;  // a blank line is not a row
    cells[cell++] = std::string_view(base + start, end - start);
    start = at + 1;
    if (blank) {
      cell = 0;
      return true;
    }
    if (cell != 4) return false;
    cell = 0;
    int64_t time = 0;
    if (cells[cell_of_[kAccount]].empty() || !ShareTime(cells[cell_of_[kTimestampShare]], &time)) return false;
    rows->time.push_back(time);
    rows->account_text.push_back(cells[cell_of_[kAccount]]);
    if (event_ids_) rows->object_text.push_back(cells[cell_of_[kContent]]);
    rows->object_text.push_back(cells[cell_of_[kObject]]);
    return true;
  };
  // Separators found 16 bytes at a time: a row is four short cells, and
  // looking at them byte by byte was a tenth of a co-share run.
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n');
  for (; i + 16 <= size; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
    for (unsigned hits = static_cast<unsigned>(
             _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, newline))));
         hits != 0; hits &= hits - 1) {
      const size_t at = i + static_cast<size_t>(std::countr_zero(hits));
      if (!separator(at, base[at] == '\n')) return false;
    }
  }
#endif
  for (; i < size; ++i)
    if ((base[i] == ',' || base[i] == '\n') && !separator(i, base[i] == '\n')) return false;
  return (start >= size && cell == 0) || separator(size, true);  // a last line without its line end
}

bool PlainShareLoader::AddRows(std::string_view block) {
  // Whole-block checks first: they are cheap, and a block that passes them
  // needs no per-character care below.
  if (block.find('"') != std::string_view::npos || block.find('\0') != std::string_view::npos) return false;
  for (size_t r = block.find('\r'); r != std::string_view::npos; r = block.find('\r', r + 1))
    if (r + 1 == block.size() || block[r + 1] != '\n') return false;
  if (!simdjson::validate_utf8(block.data(), block.size())) return false;
  Events& ev = ds_.events;
  // A large block's lines are split on two threads, a half each (cut at a
  // line end); the halves are then taken in order.
  size_t cut = block.size();
  if (block.size() >= (size_t{1} << 20)) {
    cut = block.find('\n', block.size() / 2);
    cut = cut == std::string_view::npos ? block.size() : cut + 1;
  }
  bool second_ok = true;
  std::thread second;
  if (cut < block.size()) second = std::thread([&] { second_ok = SplitRows(block.substr(cut), &halves_[1]); });
  const bool first_ok = SplitRows(block.substr(0, cut), &halves_[0]);
  if (second.joinable()) second.join();
  if (!first_ok || !second_ok) return false;
  const size_t rows = halves_[0].time.size() + halves_[1].time.size();
  if (!reserved_ && rows > 0) {
    // The first block tells how long a row is, and so about how many rows
    // the files hold: room for them up front saves copying the columns as
    // they grow (and a second page fault per page). The pools grow less
    // than in proportion (ids repeat), so the first block's count scaled up
    // bounds them from above; sized so, they are never rehashed.
    reserved_ = true;
    const double scale = static_cast<double>(bytes_total_) / static_cast<double>(block.size());
    estimate_ = rows_all_ + static_cast<size_t>(static_cast<double>(rows) * scale * 1.02) + 1;
    for (auto* column : {&ev.account, &ev.event_id, &ev.target_id})
      if (column != &ev.event_id || event_ids_) ReserveHuge(*column, estimate_);
    ReserveHuge(ev.time, estimate_);
  }
  for (const Rows& half : halves_) ev.time.insert(ev.time.end(), half.time.begin(), half.time.end());
  // The block is plain: intern. The account and object pools are
  // independent, so one thread interns accounts while this one interns
  // content and object ids, each in row order as the general path does.
  if (platform_ == kNoString && rows > 0) platform_ = ds_.strings.Intern("twitter");
  std::thread accounts([&] {
    for (const Rows& half : halves_)
      InternAhead(ds_.account_ids, half.account_text, account_hash_, [&](size_t, AccountIndex a) {
        if (a == ds_.accounts.size()) {
          ds_.accounts.emplace_back();
          ds_.accounts.back().platform = platform_;
        }
        ev.account.push_back(a);
      });
  });
  // With event ids, each half's list alternates content and object id from
  // an even index.
  for (const Rows& half : halves_)
    if (event_ids_)
      InternAhead(ds_.objects, half.object_text, object_hash_,
                  [&](size_t i, StringId id) { (i % 2 == 0 ? ev.event_id : ev.target_id).push_back(id); });
    else
      InternAhead(ds_.objects, half.object_text, object_hash_,
                  [&](size_t, StringId id) { ev.target_id.push_back(id); });
  accounts.join();
  if (event_ids_ && estimate_ != 0 && rows_all_ == 0 &&
      (block.size() >= kBlockBytes / 2 || block.size() * 2 >= bytes_total_)) {
    // The object pool with event ids, scaled up from a first block that is a
    // fair sample: an upper bound, tight when most ids are new (content ids
    // are usually unique per row), and at most two ids a row. Sized so, its
    // table of hundreds of MiB is built once instead of rehashed at every
    // doubling. Not the pools of ids that repeat (accounts, objects alone):
    // there the bound is loose, and a table several times too large no
    // longer fits the cache that the probes of the active ids hit.
    const double scale = static_cast<double>(estimate_) / static_cast<double>(rows);
    ds_.objects.Reserve(std::min(static_cast<size_t>(static_cast<double>(ds_.objects.size()) * scale), 2 * estimate_));
  }
  rows_ += rows;
  rows_all_ += rows;
  for (Rows& half : halves_) {
    half.time.clear();
    half.account_text.clear();
    half.object_text.clear();
  }
  return true;
}

std::optional<Dataset> PlainShareLoader::Finish() {
  Events& ev = ds_.events;
  const size_t n = ev.time.size();
  // What DatasetBuilder gives a share row: no target account, text, lists,
  // language, client or country (left out altogether for a caller that
  // reads only the action columns). Nothing else reads the columns of other
  // types, so a second thread writes them (memory and page faults, mostly)
  // while this one sorts; the uint32_t ones come after, in what the sort
  // leaves behind.
  const bool all_columns = !options_.action_columns_only;
  std::thread constants([&] {
    FillHuge(ev.type, n, EventType::kShare);
    if (!all_columns) return;
    ev.text_offsets.clear();
    FillHuge(ev.text_offsets, n + 1, uint64_t{0});
    FillHuge(ev.target_country, n, kNoCountry);
  });
  SpareBuffers spare;
  if (!std::is_sorted(ev.time.begin(), ev.time.end())) {
    std::vector<uint32_t> order = SortByTime(ev.time, &spare);
    if (event_ids_)
      PermuteColumns({&ev.account, &ev.event_id, &ev.target_id}, order, &spare);
    else
      PermuteColumns({&ev.account, &ev.target_id}, order, &spare);
    spare.push_back(std::move(order));
  }
  const bool ok = event_ids_ || !SharesAccountTargetTime(ev);
  auto fill = [&](std::vector<uint32_t>& column, size_t size, uint32_t value) {
    column.clear();
    if (!spare.empty() && spare.back().capacity() >= size) {
      column.swap(spare.back());
      spare.pop_back();
      column.assign(size, value);
    } else {
      FillHuge(column, size, value);
    }
  };
  if (ok && all_columns) {
    fill(ev.target_account, n, kNoString);
    for (ListColumn* list : {&ev.urls, &ev.hashtags, &ev.mentions}) fill(list->offsets, n + 1, 0);
    fill(ev.language, n, kNoString);
    fill(ev.client, n, kNoString);
  }
  if (ok && !event_ids_) fill(ev.event_id, n, kNoString);
  constants.join();
  if (!ok) return std::nullopt;
  return std::move(ds_);
}

Result<Dataset> LoadGeneral(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                            LoadReport* report, std::chrono::steady_clock::time_point start) {
  Dataset ds;
  DatasetBuilder builder(&ds);
  internal::TableLoop loop(options, sink, report, files);
  EventFields e;
  std::string url, hashtag, domain;
  for (const std::string& path : files) {
    int form = 0;  // 0: one object per row, 1: several objects per post; set from the header
    auto handle = [&](FieldReader& p) {
      e.Clear();
      const std::string_view account = p.Required(kAccount);
      if (form == 0) {
        e.time = p.Time(kTimestampShare, true);
        if (!p.ok()) return false;
        e.account = builder.Actor(account, "twitter");
        e.type = EventType::kShare;
        e.event_id = p.Get(kContent);
        e.target_id = p.Get(kObject);
      } else {
        e.time = p.Time(kTimestamp, true);
        if (!p.ok()) return false;
        e.account = builder.Actor(account, PlatformOf(account));
        e.type = EventType::kPost;
        e.event_id = p.Get(kPost);
        if (!p.Get(kUrl).empty()) {
          url = fmt::format("url:{}", p.Get(kUrl));
          e.urls.push_back(url);
          if (!p.Get(kDomain).empty()) {
            domain = fmt::format("domain:{}", p.Get(kDomain));
            e.url_domain = domain;
          }
        }
        if (!p.Get(kHashtag).empty()) {
          hashtag = fmt::format("hashtag:{}", p.Get(kHashtag));
          e.hashtags.push_back(hashtag);
        }
        e.extras.emplace_back("domain_id", p.Get(kDomain));
        e.extras.emplace_back("phash_id", p.Get(kPhash));
      }
      for (const auto& extra : p.row().extras) e.extras.push_back(extra);
      builder.AddEvent(e);
      return true;
    };
    // The header tells the form, and so the required columns.
    auto required = [&](const TableReader& reader) {
      // Any column of the one-object form picks it, so that a table of that
      // form missing object_id is told so (not that it lacks `timestamp`).
      form = reader.HasField(kObject) || reader.HasField(kTimestampShare) || reader.HasField(kContent) ? 0 : 1;
      return form == 0 ? std::vector<size_t>{kAccount, kObject, kTimestampShare}
                       : std::vector<size_t>{kAccount, kTimestamp};
    };
    if (!loop.Run(path, Columns(), required, "a CooRTweet table", handle))
      return internal::FinishLoad(Status::InputError("stopped"), Dataset(), sink, report, start);
  }
  builder.Finish();
  return internal::FinishLoad(Status::Ok(), std::move(ds), sink, report, start);
}

}  // namespace

bool IsCoorTweetHeader(const std::vector<std::string>& header) {
  auto has = [&](std::string_view c) { return std::find(header.begin(), header.end(), c) != header.end(); };
  return has("account_id") && ((has("object_id") && has("timestamp_share")) ||
                               (has("post_id") && has("timestamp") && (has("url_id") || has("hashtag_id"))));
}

Result<Dataset> LoadCoorTweet(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                              LoadReport* report, bool fast_path) {
  const auto start = std::chrono::steady_clock::now();
  report->format = "coortweet";
  if (fast_path) {
    uint64_t bytes_total = 0;
    for (const std::string& p : files) {
      struct stat st {};
      if (::stat(p.c_str(), &st) == 0) bytes_total += static_cast<uint64_t>(st.st_size);
    }
    for (bool event_ids = options.event_ids;; event_ids = true) {
      PlainShareLoader plain(options, event_ids, report, bytes_total);
      bool all_plain = true;
      for (const std::string& path : files) all_plain = all_plain && plain.AddFile(path);
      std::optional<Dataset> ds;
      if (all_plain) ds = plain.Finish();
      if (ds) return internal::FinishLoad(Status::Ok(), std::move(*ds), sink, report, start);
      report->files.clear();
      report->bytes = 0;
      // Not plain: the general path. Plain, but without event ids two events
      // could be one message repeated: read again with them.
      if (!all_plain || event_ids) break;
    }
  }
  return LoadGeneral(files, options, sink, report, start);
}

}  // namespace lockstep
