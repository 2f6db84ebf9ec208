// NearDuplicateText on generated multilingual posts with planted
// near-duplicates: posts per second and MB/s of text, two threads.
//
//   lockstep_bench --benchmark_filter=NearDuplicate1M     (part of the default run)
//   lockstep_bench --benchmark_filter=NearDuplicate10M    (manual: registered only when named
//                                                          on the command line; ~3.5 GB RAM)
//
// The corpus: posts of 6 to 30 words in five scripts (Latin, Cyrillic, Arabic,
// Hebrew and CJK, the last without spaces), words drawn from a Zipf(1.0)
// vocabulary of 30,000 words per script, so function words are as common as
// in real text (the hard case for LSH: unrelated posts share them). 8% of
// posts are lightly edited copies (a word changed, dropped or swapped, a
// suffix, URL or mention added) of 0.5% originals, and 2% are one spam text
// repeated with URLs. Peers for scale: the QUT coordination toolkit's
// co-similar-text was still running after 5 hours on 9M tweets; CooRTweet
// dropped text similarity as too slow.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lockstep/signals/near_duplicate.h"

namespace lockstep {
namespace {

struct SplitMix {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>((Next() >> 32) * n >> 32); }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
};

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

struct Script {
  char32_t first;  // letters are first .. first + letters - 1
  int letters;
  bool spaces;     // CJK: no spaces, one character per word
};
constexpr Script kScripts[] = {{U'a', 26, true}, {0x0430, 32, true}, {0x0628, 24, true}, {0x05D0, 27, true},
                               {0x4E00, 20000, false}};

class Corpus {
 public:
  explicit Corpus(uint64_t seed) : rng_{seed} {
    constexpr int kWords = 30000;
    for (const Script& s : kScripts) {
      std::vector<std::string> words;
      for (int w = 0; w < kWords; ++w) {
        std::string word;
        const int len = s.spaces ? 2 + static_cast<int>(rng_.Below(8)) : 1;
        for (int i = 0; i < len; ++i) AppendUtf8(s.first + static_cast<char32_t>(rng_.Below(s.letters)), &word);
        words.push_back(std::move(word));
      }
      vocab_.push_back(std::move(words));
    }
    double sum = 0;
    for (int w = 0; w < kWords; ++w) zipf_cdf_.push_back(sum += 1.0 / (w + 1));
    for (double& c : zipf_cdf_) c /= sum;
  }

  std::string Post(size_t script) {
    const int words = 6 + static_cast<int>(rng_.Below(25));
    std::string s;
    for (int i = 0; i < words; ++i) {
      if (i > 0 && kScripts[script].spaces) s += rng_.Below(20) == 0 ? ", " : " ";
      s += Word(script);
    }
    s += rng_.Below(2) ? "." : "!";
    return s;
  }
  std::string Word(size_t script) {
    const double u = rng_.Uniform();
    const size_t w = static_cast<size_t>(std::lower_bound(zipf_cdf_.begin(), zipf_cdf_.end(), u) - zipf_cdf_.begin());
    return vocab_[script][std::min(w, zipf_cdf_.size() - 1)];
  }
  std::string LightEdit(const std::string& text, size_t script) {
    std::string s = text;
    switch (rng_.Below(5)) {
      case 0: s += " " + Word(script); break;
      case 1: s = "@user" + std::to_string(rng_.Below(1000)) + " " + s; break;
      case 2: s += " https://t.co/" + std::to_string(rng_.Next() % 1000000); break;
      case 3: {  // replace the first word
        const size_t sp = s.find(' ');
        if (sp != std::string::npos) s = Word(script) + s.substr(sp);
        else s += Word(script);
        break;
      }
      default: s += " 🔥🔥"; break;
    }
    return s;
  }

  SplitMix rng_;
  std::vector<std::vector<std::string>> vocab_;
  std::vector<double> zipf_cdf_;
};

// A Dataset of n posts (only the columns NearDuplicateText reads).
std::unique_ptr<Dataset> MakeDataset(size_t n) {
  auto ds = std::make_unique<Dataset>();
  Corpus corpus(20240611);
  Events& ev = ds->events;
  ev.time.reserve(n);
  ev.account.reserve(n);
  ev.type.reserve(n);
  ev.text_offsets.reserve(n + 1);
  ev.text_arena.reserve(n * 110);
  std::vector<std::pair<std::string, size_t>> originals;
  const std::string spam = "Claim your free crypto bonus now, only a few winners left today";
  for (size_t i = 0; i < n; ++i) {
    const double r = corpus.rng_.Uniform();
    std::string text;
    if (r < 0.005 || originals.empty()) {
      const size_t script = corpus.rng_.Below(std::size(kScripts));
      text = corpus.Post(script);
      originals.emplace_back(text, script);
      if (originals.size() > 20000) originals.erase(originals.begin(), originals.begin() + 10000);
    } else if (r < 0.085) {
      const auto& [original, script] = originals[corpus.rng_.Below(originals.size())];
      text = corpus.LightEdit(original, script);
    } else if (r < 0.105) {
      text = spam + " https://spam.example/" + std::to_string(corpus.rng_.Below(100000));
    } else {
      text = corpus.Post(corpus.rng_.Below(std::size(kScripts)));
    }
    ev.time.push_back(static_cast<int64_t>(i));
    ev.account.push_back(static_cast<AccountIndex>(corpus.rng_.Below(n / 20 + 1)));
    ev.type.push_back(EventType::kPost);
    ev.text_arena += text;
    ev.text_offsets.push_back(ev.text_arena.size());
  }
  return ds;
}

const Dataset& CachedDataset(size_t n) {
  static std::map<size_t, std::unique_ptr<Dataset>> cache;
  auto& slot = cache[n];
  if (!slot) {
    cache.clear();  // keep one corpus in memory at a time
    auto& fresh = cache[n];
    fresh = MakeDataset(n);
    return *fresh;
  }
  return *slot;
}

void BM_NearDuplicate(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const Dataset& ds = CachedDataset(n);
  NearDuplicateOptions options;
  options.threads = 2;
  NearDuplicateStats stats;
  size_t clusters = 0;
  const std::clock_t cpu_start = std::clock();
  for (auto _ : state) {
    NearDuplicateText nd(ds, options);
    if (Status s = nd.Run(); !s.ok()) {
      state.SkipWithError(s.message().c_str());
      return;
    }
    stats = nd.stats();
    clusters = nd.clusters().size();
  }
  const double iterations = static_cast<double>(state.iterations());
  // CPU seconds of all threads per run: on a loaded machine, wall time
  // overstates the cost; n / cpu_s is posts per core-second.
  state.counters["cpu_s"] = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC / iterations;
  state.SetBytesProcessed(static_cast<int64_t>(stats.text_bytes * state.iterations()));
  state.counters["posts/s"] = benchmark::Counter(static_cast<double>(n) * iterations, benchmark::Counter::kIsRate);
  state.counters["clusters"] = static_cast<double>(clusters);
  state.counters["clustered"] = static_cast<double>(stats.clustered_events);
  state.counters["unique"] = static_cast<double>(stats.unique_texts);
  state.counters["compares"] = static_cast<double>(stats.comparisons);
  state.counters["max_bucket"] = static_cast<double>(stats.largest_bucket);
  state.counters["s_shingle"] = stats.seconds_shingle;
  state.counters["s_lsh"] = stats.seconds_lsh;
  double load[3] = {0, 0, 0};
  if (std::ifstream in("/proc/loadavg"); in) in >> load[0];
  state.counters["loadavg"] = load[0];
}

BENCHMARK(BM_NearDuplicate)->Name("NearDuplicate1M")->Arg(1'000'000)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(2);

// The 10M run is registered only when its name is on the command line.
bool NamedOnCommandLine(const std::string& name) {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string cmdline((std::istreambuf_iterator<char>(in)), {});
  return cmdline.find(name) != std::string::npos;
}
const bool kRegistered10M = [] {
  if (NamedOnCommandLine("NearDuplicate10M"))
    benchmark::RegisterBenchmark("NearDuplicate10M", BM_NearDuplicate)
        ->Arg(10'000'000)
        ->Unit(benchmark::kSecond)
        ->UseRealTime()
        ->Iterations(1);
  return true;
}();

}  // namespace
}  // namespace lockstep
