// A Pushshift / Arctic Shift dump read in bounded memory (issue 18).
//
//   lockstep_reddit_dump_bench generate OUT/RC_2024-01.zst MEGABYTES [WINDOW_LOG]
//       writes an RC-shaped file (one comment object per line, as the dumps
//       have them, ~1.1 KB of fields besides the body) of MEGABYTES
//       decompressed, zstd level 3 with long-distance matching and a window
//       of 2^WINDOW_LOG bytes (default 27, zstd --long's; the real dumps use
//       up to 31). Seeded and streamed: nothing but one 1 MiB block is held.
//   lockstep_reddit_dump_bench read PATH
//       decompresses PATH once alone (the peer: zstd's own speed), then loads
//       it with the Reddit reader, and prints MB/s and events/s of both, CPU
//       seconds, peak RSS (getrusage) and what the data set holds.
//
// Peak RSS is a process's, so each read is a process of its own: see
// bench/reddit_dump_bench.sh, which compares 250 MB with 1 GB. Not part of
// the unit tests (a gigabyte does not belong there).
#include <sys/resource.h>
#include <time.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <zstd.h>

#include "lockstep/ingest/byte_source.h"
#include "lockstep/ingest/load.h"

namespace lockstep {
namespace {

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double WallSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double PeakRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // KiB on Linux
}

constexpr const char* kWords[] = {
    "the", "I", "think", "this", "is", "just", "a", "really", "good", "point", "but", "you", "have", "to",
    "consider", "that", "people", "don't", "actually", "read", "the", "article", "before", "commenting", "lol",
    "source?", "exactly", "what", "I", "was", "going", "to", "say", "Edit:", "thanks", "for", "the", "gold",
    "kind", "stranger", "Это", "правда", "über", "naïve", "café", "😂", "👍", "🤔"};
constexpr const char* kSubreddits[] = {"AskReddit", "worldnews", "politics", "news", "europe", "ukraine",
                                       "unpopularopinion", "conspiracy", "technology", "Showerthoughts"};

// Base-36 ids, as Reddit writes them.
std::string Base36(uint64_t v) {
  std::string s;
  do {
    s.insert(s.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36]);
    v /= 36;
  } while (v != 0);
  return s;
}

int Generate(const std::string& path, uint64_t megabytes, int window_log) {
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) {
    std::perror(path.c_str());
    return 1;
  }
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_enableLongDistanceMatching, 1);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, window_log);
  std::vector<char> zbuf(ZSTD_CStreamOutSize());
  auto emit = [&](std::string_view data, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    for (;;) {
      ZSTD_outBuffer o{zbuf.data(), zbuf.size(), 0};
      const size_t left = ZSTD_compressStream2(cctx, &o, &in, mode);
      if (ZSTD_isError(left)) {
        std::fprintf(stderr, "zstd: %s\n", ZSTD_getErrorName(left));
        std::exit(1);
      }
      std::fwrite(zbuf.data(), 1, o.pos, out);
      if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size) break;
    }
  };
  std::mt19937_64 rng(20261206);
  const uint64_t target = megabytes * 1000000;
  // Authors: a heavy-tailed pool, as on Reddit: most comments come from a
  // few hundred thousand accounts, and some are [deleted].
  const uint64_t kAuthors = 300000;
  uint64_t written = 0, n = 0;
  int64_t t = 1704067200;  // 2024-01-01, the month of an RC_2024-01 file
  std::string buf, body;
  while (written < target) {
    t += static_cast<int64_t>(rng() % 2);
    const uint64_t r = rng();
    const uint64_t author = (r % 7 == 0) ? UINT64_MAX : static_cast<uint64_t>(std::pow(rng() % 1000000 / 1e6, 3) * kAuthors);
    const std::string link = Base36(2000000000ULL + rng() % 3000000);
    const std::string id = Base36(3000000000ULL + n);
    const bool top = rng() % 3 == 0;
    const std::string parent = top ? "t3_" + link : "t1_" + Base36(3000000000ULL + n - 1 - rng() % std::min<uint64_t>(n + 1, 5000));
    const char* sub = kSubreddits[rng() % 10];
    body.clear();
    const size_t words = 3 + rng() % 40 + (rng() % 10 == 0 ? rng() % 200 : 0);
    for (size_t w = 0; w < words; ++w) {
      if (w > 0) body += rng() % 12 == 0 ? "\\n\\n" : " ";
      body += kWords[rng() % (sizeof kWords / sizeof kWords[0])];
      if (rng() % 40 == 0) body += fmt::format(" https://www.example{}.com/path/{}", rng() % 500, rng() % 100000);
      if (rng() % 60 == 0) body += " \\\"quoted\\\"";
    }
    const std::string name = author == UINT64_MAX ? "[deleted]" : fmt::format("user_{}", Base36(author * 7919 + 17));
    fmt::format_to(
        std::back_inserter(buf),
        R"({{"all_awardings":[],"archived":false,"associated_award":null,"author":"{}","author_flair_background_color":null,"author_flair_css_class":null,"author_flair_richtext":[],"author_flair_template_id":null,"author_flair_text":null,"author_flair_text_color":null,"author_flair_type":"text","author_fullname":"{}","author_patreon_flair":false,"author_premium":false,"awarders":[],"body":"{}","can_gild":true,"can_mod_post":false,"collapsed":false,"collapsed_because_crowd_control":null,"collapsed_reason":null,"collapsed_reason_code":null,"comment_type":null,"controversiality":0,"created_utc":{},"distinguished":null,"edited":false,"gilded":0,"gildings":{{}},"id":"{}","is_submitter":{},"link_id":"t3_{}","locked":false,"name":"t1_{}","no_follow":true,"parent_id":"{}","permalink":"/r/{}/comments/{}/comment/{}/","retrieved_on":{},"score":{},"score_hidden":false,"send_replies":true,"stickied":false,"subreddit":"{}","subreddit_id":"t5_{}","subreddit_name_prefixed":"r/{}","subreddit_type":"public","top_awarded_type":null,"total_awards_received":0,"treatment_tags":[],"unrepliable_reason":null}})"
        "\n",
        name, author == UINT64_MAX ? "" : "t2_" + Base36(author * 104729 + 3), body, t, id,
        rng() % 10 == 0 ? "true" : "false", link, id, parent, sub, link, id, t + 86400 * 30,
        static_cast<int64_t>(rng() % 200) - 20, sub, Base36(rng() % 100000), sub);
    ++n;
    if (buf.size() >= (1u << 20)) {
      written += buf.size();
      emit(buf, ZSTD_e_continue);
      buf.clear();
    }
  }
  written += buf.size();
  emit(buf, ZSTD_e_end);
  ZSTD_freeCCtx(cctx);
  std::fclose(out);
  std::printf("wrote %s: %.1f MB decompressed, %llu comments, window 2^%d\n", path.c_str(), written / 1e6,
              static_cast<unsigned long long>(n), window_log);
  return 0;
}

int Read(const std::string& path) {
  // The peer: decompression alone, through the reader's own ByteSource.
  double start_cpu = CpuSeconds();
  uint64_t bytes = 0;
  {
    auto source = OpenByteSource(path);
    if (!source.ok()) {
      std::fprintf(stderr, "%s\n", source.status().message().c_str());
      return 1;
    }
    std::vector<char> buf(1u << 20);
    for (;;) {
      auto n = (*source)->Read(buf.data(), buf.size());
      if (!n.ok() || *n == 0) break;
      bytes += *n;
    }
  }
  const double zstd_cpu = CpuSeconds() - start_cpu;
  const double rss_after_peer = PeakRssMb();

  ErrorSink sink(ErrorPolicy::kFail);
  LoadReport report;
  start_cpu = CpuSeconds();
  const double start_wall = WallSeconds();
  auto ds = LoadDataset(path, "reddit", {}, &sink, &report);
  const double load_cpu = CpuSeconds() - start_cpu, load_wall = WallSeconds() - start_wall;
  if (!ds.ok()) {
    std::fprintf(stderr, "%s\n", ds.status().message().c_str());
    return 1;
  }
  const Events& ev = ds->events;
  auto pool = [](const Interner& p) { return p.MemoryBytes() / 1e6; };
  const double columns = ds->EventBytesWithoutText() / 1e6, text = ev.text_arena.capacity() / 1e6,
               extras = ds->event_extras.capacity() * sizeof(ExtraAttribute) / 1e6;
  std::printf("file %s\n", path.c_str());
  std::printf("  decompressed        %.1f MB, %llu lines\n", bytes / 1e6,
              static_cast<unsigned long long>(report.rows_read()));
  std::printf("  zstd alone          %.1f MB/s (CPU)\n", bytes / 1e6 / zstd_cpu);
  std::printf("  reddit reader       %.1f MB/s, %.0f events/s (CPU %.2f s, wall %.2f s)\n", bytes / 1e6 / load_cpu,
              ev.size() / load_cpu, load_cpu, load_wall);
  std::printf("  reader / zstd       %.3f\n", zstd_cpu / load_cpu);
  std::printf("  events %zu, accounts %zu (with targets %zu)\n", ev.size(), ds->accounts.size(),
              ds->account_ids.size());
  std::printf("  peak RSS            %.1f MB (after decompressing alone: %.1f MB)\n", PeakRssMb(), rss_after_peer);
  std::printf("  data set            %.1f MB = columns %.1f + text %.1f + extras %.1f + pools: objects %.1f, "
              "account_ids %.1f, strings %.1f, urls %.1f, domains %.1f\n",
              ds->MemoryBytes() / 1e6, columns, text, extras, pool(ds->objects), pool(ds->account_ids),
              pool(ds->strings), pool(ds->urls), pool(ds->domains));
  std::printf("  data set per event  %.0f bytes (text %.0f)\n", ds->MemoryBytes() / static_cast<double>(ev.size()),
              ev.text_arena.size() / static_cast<double>(ev.size()));
  return 0;
}

}  // namespace
}  // namespace lockstep

int main(int argc, char** argv) {
  if (argc >= 4 && std::strcmp(argv[1], "generate") == 0)
    return lockstep::Generate(argv[2], std::strtoull(argv[3], nullptr, 10), argc >= 5 ? std::atoi(argv[4]) : 27);
  if (argc == 3 && std::strcmp(argv[1], "read") == 0) return lockstep::Read(argv[2]);
  std::fprintf(stderr,
               "usage: %s generate OUT/RC_YYYY-MM.zst MEGABYTES [WINDOW_LOG]\n"
               "       %s read PATH\n",
               argv[0], argv[0]);
  return 2;
}
