// The lockstep-format reader on text-heavy events shaped like real exports
// (issue 18): long multilingual UTF-8 texts (Latin, Cyrillic, Arabic, CJK,
// emoji) holding quotes, commas and newlines inside quoted fields, URL and
// hashtag columns as JSON arrays (so every one is a quoted field with
// doubled quotes), mentions, languages and clients; about 200 bytes of text
// an event, times nearly but not quite in order (so the load sorts).
//
// Each iteration times three passes over the same events file, each on the
// thread's CPU clock, so that the ratios hold on a busy machine:
//   read      read(2) of the file in 4 MiB blocks, nothing else (the floor);
//   tokenise  read + a minimal RFC 4180 tokeniser that finds every field's
//             bounds (memchr for quotes, SSE2 for separators) and keeps none;
//   load      LoadLockstepDirectory: tokenise, validate, parse, intern, sort.
// Reported: MB/s of each (decompressed bytes per CPU second), events/s,
// bytes of memory an event (Dataset::MemoryBytes / events), the load's user
// and system seconds and minor page faults (getrusage of the thread), and
// load_vs_tokenise = load MB/s / tokenise MB/s.
//
//   TMPDIR=/tmp/x build/bench/lockstep_ingest_bench --benchmark_filter=TextHeavy
//   LOCKSTEP_TEXT_HEAVY_EVENTS=2200000 ...   (default 1,000,000 events)
//
// The benchmark's arguments are the mean text bytes an event and whether
// links are t.co-length; three shapes are measured: 200 (389 B/event in the
// file), 60 (264 B/event) and 36 with short links (197 B/event, the issue's
// 433 MB, 2.2M-event export). The shorter the rows, the more of the time
// goes to the per-event work (ids, lists, interning).
// Each data set is written once per TMPDIR, size and shape, seeded, and reused.
#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>

#include "lockstep/ingest/lockstep_reader.h"

namespace lockstep {
namespace {

// Words of several scripts; texts mix them as multilingual timelines do.
constexpr const char* kWords[][16] = {
    {"the", "government", "announced", "today", "that", "election", "results", "will", "be", "delayed", "because",
     "of", "irregularities", "reported", "in", "several"},
    {"die", "Regierung", "hat", "heute", "angekündigt", "dass", "Wahlergebnisse", "später", "veröffentlicht",
     "werden", "wegen", "Unregelmäßigkeiten", "in", "mehreren", "Bezirken", "über"},
    {"правительство", "объявило", "сегодня", "что", "результаты", "выборов", "будут", "опубликованы", "позже",
     "из-за", "нарушений", "в", "нескольких", "регионах", "страны", "Москва"},
    {"أعلنت", "الحكومة", "اليوم", "أن", "نتائج", "الانتخابات", "سوف", "تتأخر", "بسبب", "مخالفات", "في", "عدة",
     "مناطق", "من", "البلاد", "الشعب"},
    {"政府", "今天", "宣布", "选举", "结果", "将", "推迟", "公布", "因为", "多个", "地区", "出现", "违规", "行为",
     "人民", "新闻"},
    {"🔥", "👉", "😡", "🇺🇸", "✅", "‼️", "🙏", "💯", "📢", "🤔", "👇", "😂", "❤️", "🚨", "🗳️", "⚠️"},
};
constexpr const char* kLanguages[] = {"en", "de", "ru", "ar", "zh", "en"};
constexpr const char* kClients[] = {"Twitter for Android", "Twitter for iPhone", "Twitter Web App", "TweetDeck",
                                    "Hootsuite Inc."};
constexpr const char* kTypes[] = {"post", "post", "share", "share", "comment", "like"};

// One event's text, CSV-quoted: sentences of one script with emoji, some
// "quoted" words (doubled in CSV), commas, and now and then a line break.
// `scale` stretches the lengths: 1 gives about 200 bytes on average.
void AppendText(std::mt19937_64& rng, int script, double scale, std::string* out) {
  // Lengths as real posts: mostly 60-260 bytes, a tail of long ones.
  size_t target = 60 + rng() % 200;
  if (rng() % 12 == 0) target += 300 + rng() % 700;
  target = static_cast<size_t>(static_cast<double>(target) * scale);
  out->push_back('"');
  const size_t start = out->size();
  while (out->size() - start < target) {
    const uint64_t r = rng();
    const int lang = (r & 7) == 0 ? 5 : script;  // an emoji one word in eight
    const char* w = kWords[lang][(r >> 3) & 15];
    if (((r >> 8) & 31) == 0) {
      out->append("\"\"").append(w).append("\"\"");  // a "quoted" word
    } else {
      out->append(w);
    }
    switch ((r >> 13) & 63) {
      case 0: case 1: case 2: out->append(", "); break;
      case 3: out->append(". "); break;
      case 4: out->append("\n"); break;
      case 5: out->append(" #").append(kWords[0][(r >> 20) & 15]).append(" "); break;
      default: out->push_back(' ');
    }
  }
  out->push_back('"');
}

// JSON array of `n` items in a CSV field: "[""a"",""b""]".
template <typename Item>
void AppendJsonArray(int n, Item item, std::string* out) {
  if (n == 0) return;
  out->append("\"[");
  for (int i = 0; i < n; ++i) {
    if (i > 0) out->push_back(',');
    out->append("\"\"");
    item(out);
    out->append("\"\"");
  }
  out->append("]\"");
}

int64_t EventCount() {
  const char* env = std::getenv("LOCKSTEP_TEXT_HEAVY_EVENTS");
  const int64_t n = env != nullptr ? std::atoll(env) : 1000000;
  return std::max<int64_t>(n, 10000);
}

// Writes the data set (streaming, 1 MiB at a time) unless it exists.
// `text_bytes`: the mean text bytes an event (10 or more); `short_urls`:
// links as t.co wraps them (23 bytes) instead of 60-70-byte article URLs.
std::string TextHeavyDir(int64_t text_bytes, bool short_urls) {
  const int64_t events = EventCount();
  text_bytes = std::max<int64_t>(text_bytes, 10);
  const double scale = static_cast<double>(text_bytes) / 200.0;
  const std::string dir = (std::filesystem::temp_directory_path() /
                           fmt::format("lockstep_text_heavy_{}_{}{}", events, text_bytes, short_urls ? "_tco" : ""))
                              .string();
  if (std::filesystem::exists(dir + "/events.csv")) return dir;
  std::filesystem::create_directories(dir);
  std::mt19937_64 rng(20261206);
  const int kAccounts = std::max<int>(1000, static_cast<int>(events / 50));
  std::string buf;
  auto flush = [&buf](std::FILE* f, bool force) {
    if (!force && buf.size() < (1u << 20)) return;
    std::fwrite(buf.data(), 1, buf.size(), f);
    buf.clear();
  };
  std::FILE* a = std::fopen((dir + "/accounts.csv").c_str(), "wb");
  buf = "account_id,platform,kind,handle,display_name,created_at,country,language,followers,description\n";
  for (int i = 0; i < kAccounts; ++i) {
    const int script = static_cast<int>(rng() % 5);
    fmt::format_to(std::back_inserter(buf), "{},twitter,account,user_{},{} {},2015-{:02}-{:02}T00:00:00Z,{},{},{},",
                   1000000000 + i * 7919, i, kWords[script][rng() % 16], i, 1 + i % 12, 1 + i % 28,
                   "USDERUAECN"[2 * script] + std::string(1, "USDERUAECN"[2 * script + 1]), kLanguages[script],
                   rng() % 50000);
    AppendText(rng, script, scale, &buf);
    buf.push_back('\n');
    flush(a, false);
  }
  flush(a, true);
  std::fclose(a);

  std::FILE* e = std::fopen((dir + "/events.csv.tmp").c_str(), "wb");
  buf =
      "event_id,account_id,time,type,target_id,target_account_id,text,urls,hashtags,mentions,language,client\n";
  int64_t t = 1704067200;  // 2024-01-01
  for (int64_t i = 0; i < events; ++i) {
    t += static_cast<int64_t>(rng() % 4);
    const int64_t jitter = static_cast<int64_t>(rng() % 120);  // collectors interleave: not quite in order
    const int account = static_cast<int>(rng() % kAccounts);
    const int script = account % 5;
    const char* type = kTypes[rng() % 6];
    const bool targeted = type[0] != 'p';
    fmt::format_to(std::back_inserter(buf), "{},{},", 1700000000000000000LL + i * 13, 1000000000 + account * 7919);
    char when[32];
    const time_t tt = static_cast<time_t>(t + jitter);
    tm parts{};
    gmtime_r(&tt, &parts);
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &parts);
    buf.append(when).push_back(',');
    buf.append(type).push_back(',');
    if (targeted)
      fmt::format_to(std::back_inserter(buf), "{},{}", 1690000000000000000LL + static_cast<int64_t>(rng() % 5000000),
                     1000000000 + static_cast<int>(rng() % kAccounts) * 7919);
    else
      buf.push_back(',');
    buf.push_back(',');
    if (type[0] != 'l') AppendText(rng, script, scale, &buf);
    buf.push_back(',');
    AppendJsonArray(static_cast<int>(rng() % 3), [&rng, short_urls](std::string* out) {
      if (short_urls) {  // as Twitter wraps links: https://t.co/ and 10 letters or digits
        static constexpr char kAlnum[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        out->append("https://t.co/");
        for (uint64_t r = rng(), i = 0; i < 10; ++i, r /= 62) out->push_back(kAlnum[r % 62]);
      } else {
        fmt::format_to(std::back_inserter(*out), "https://www.news{}.example.com/2024/{:02}/article-{}?utm_source=tw",
                       rng() % 2000, 1 + rng() % 12, rng() % 200000);
      }
    }, &buf);
    buf.push_back(',');
    AppendJsonArray(static_cast<int>(rng() % 4), [&rng](std::string* out) {
      out->append(kWords[rng() % 5][rng() % 16]);
    }, &buf);
    buf.push_back(',');
    if (rng() % 4 == 0) fmt::format_to(std::back_inserter(buf), "user_{} user_{}", rng() % kAccounts, rng() % kAccounts);
    fmt::format_to(std::back_inserter(buf), ",{},{}\n", kLanguages[script], kClients[rng() % 5]);
    flush(e, false);
  }
  flush(e, true);
  std::fclose(e);
  std::filesystem::rename(dir + "/events.csv.tmp", dir + "/events.csv");
  return dir;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Usage {
  double user = 0, system = 0;
  long minor_faults = 0;
};
Usage ThreadUsage() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return {static_cast<double>(ru.ru_utime.tv_sec) + ru.ru_utime.tv_usec * 1e-6,
          static_cast<double>(ru.ru_stime.tv_sec) + ru.ru_stime.tv_usec * 1e-6, ru.ru_minflt};
}

// The peers. Both read the file the way TableReader does (4 MiB blocks).
uint64_t ReadFile(const std::string& path, bool tokenise, uint64_t* fields) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return 0;
  constexpr size_t kBlock = 4u << 20;
  std::vector<char> buf(kBlock + 64);
  size_t have = 0;
  uint64_t total = 0, n_fields = 0;
  bool in_quotes = false;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data() + have, kBlock - have);
    if (n <= 0) break;
    total += static_cast<uint64_t>(n);
    if (!tokenise) continue;
    // A field boundary is a ',' or '\n' outside quotes; quotes toggle (a
    // doubled quote toggles twice). memchr jumps through quoted text, SSE2
    // finds the next separator or quote outside it.
    const char* p = buf.data();
    const char* end = p + n;
    while (p < end) {
      if (in_quotes) {
        const void* q = std::memchr(p, '"', static_cast<size_t>(end - p));
        if (q == nullptr) break;
        p = static_cast<const char*>(q) + 1;
        in_quotes = false;
        continue;
      }
#if defined(__SSE2__)
      const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
      unsigned hits = 0;
      while (p + 16 <= end) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, nl)), _mm_cmpeq_epi8(v, quote))));
        if (hits != 0) break;
        p += 16;
      }
      if (hits != 0) p += std::countr_zero(hits);
#endif
      while (p < end && *p != ',' && *p != '\n' && *p != '"') ++p;
      if (p == end) break;
      if (*p == '"') in_quotes = true; else ++n_fields;
      ++p;
    }
  }
  ::close(fd);
  *fields = n_fields;
  return total;
}

void BM_LockstepReader_TextHeavy(benchmark::State& state) {
  const std::string dir = TextHeavyDir(state.range(0), state.range(1) != 0);
  const std::string events_path = dir + "/events.csv";
  const double file_mb = static_cast<double>(std::filesystem::file_size(events_path)) / 1e6;
  double best_read = 1e30, best_tokenise = 1e30, best_load = 1e30;
  Usage best_usage;
  uint64_t n_events = 0, memory = 0, fields = 0, bytes = 0;
  for (auto _ : state) {
    double start = ThreadCpuSeconds();
    ReadFile(events_path, false, &fields);
    best_read = std::min(best_read, ThreadCpuSeconds() - start);
    start = ThreadCpuSeconds();
    benchmark::DoNotOptimize(ReadFile(events_path, true, &fields));
    best_tokenise = std::min(best_tokenise, ThreadCpuSeconds() - start);

    ErrorSink sink;
    LoadReport report;
    const Usage before = ThreadUsage();
    start = ThreadCpuSeconds();
    auto ds = LoadLockstepDirectory(dir, {}, &sink, &report);
    const double load = ThreadCpuSeconds() - start;
    const Usage after = ThreadUsage();
    if (!ds.ok()) {
      state.SkipWithError(ds.status().message().c_str());
      return;
    }
    if (load < best_load) {
      best_load = load;
      best_usage = {after.user - before.user, after.system - before.system, after.minor_faults - before.minor_faults};
    }
    n_events = ds->events.size();
    memory = ds->MemoryBytes();
    bytes = 0;
    for (const FileStats& f : report.files)
      if (f.path == events_path) bytes = f.bytes;
  }
  // Rates over the events file alone (the accounts file is 2% of the bytes
  // and the peers do not read it); the load's time includes it.
  state.counters["file_MB"] = file_mb;
  state.counters["events"] = static_cast<double>(n_events);
  state.counters["read_MB/s"] = file_mb / best_read;
  state.counters["tokenise_MB/s"] = file_mb / best_tokenise;
  state.counters["load_MB/s"] = static_cast<double>(bytes) / 1e6 / best_load;
  state.counters["load_events/s"] = static_cast<double>(n_events) / best_load;
  state.counters["load_vs_tokenise"] = best_tokenise / best_load;
  state.counters["load_user_s"] = best_usage.user;
  state.counters["load_sys_s"] = best_usage.system;
  state.counters["load_minflt"] = static_cast<double>(best_usage.minor_faults);
  state.counters["memory_bytes/event"] = static_cast<double>(memory) / static_cast<double>(std::max<uint64_t>(n_events, 1));
  state.counters["file_bytes/event"] = file_mb * 1e6 / static_cast<double>(std::max<uint64_t>(n_events, 1));
}
// The shapes, as (mean text bytes, short urls): 389, 264 and 197 bytes an
// event in the file. Each has the same ids, lists and urls an event; only
// the bytes around them shrink.
BENCHMARK(BM_LockstepReader_TextHeavy)
    ->ArgNames({"text_bytes", "short_urls"})
    ->Args({200, 0})
    ->Args({60, 0})
    ->Args({36, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace lockstep
