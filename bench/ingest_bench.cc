// Ingest benchmarks: lockstep-format CSV parse speed (MB/s, events/s),
// memory per event, and snapshot reload speed against parsing the same data.
// Rates are per CPU second of the (single) loading thread, Google Benchmark's
// default, so that a busy machine does not count its other work against the
// reader; the reload ratio compares CPU time with CPU time likewise.
#include <benchmark/benchmark.h>

#include <time.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include <fmt/format.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/model/snapshot.h"

namespace lockstep {
namespace {

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// A seeded synthetic data set shaped like real exports: 1M events by 20k
// accounts with texts, urls and hashtags. Written once per process.
const std::string& BenchDir() {
  static const std::string dir = [] {
    const std::string d = (std::filesystem::temp_directory_path() / "lockstep_ingest_bench").string();
    std::filesystem::create_directories(d);
    if (std::filesystem::exists(d + "/events.csv")) return d;
    std::mt19937_64 rng(20261122);
    const int kAccounts = 20000, kEvents = 1000000;
    std::ofstream a(d + "/accounts.csv");
    a << "account_id,platform,kind,handle,display_name,created_at,country,followers\n";
    for (int i = 0; i < kAccounts; ++i)
      a << fmt::format("acc{},twitter,account,h{},Name {},2015-01-{:02}T00:00:00Z,DE,{}\n", i, i, i, 1 + i % 28,
                       rng() % 5000);
    std::ofstream e(d + "/events.csv");
    e << "event_id,account_id,time,type,target_id,text,urls,hashtags\n";
    static const char* kTypes[] = {"post", "share", "comment", "like"};
    int64_t t = 1600000000;
    for (int i = 0; i < kEvents; ++i) {
      t += rng() % 30;
      const int type = static_cast<int>(rng() % 4);
      e << fmt::format("e{},acc{},{},{},{},\"A post, number {} about things \"\"quoted\"\"\",https://news{}.example/a/{} ,tag{} tag{}\n", i,
                       rng() % kAccounts, t, kTypes[type], type == 0 ? "" : fmt::format("p{}", rng() % 200000), i,
                       rng() % 300, rng() % 100000, rng() % 2000, rng() % 50);
    }
    return d;
  }();
  return dir;
}

void BM_ParseLockstepCsv(benchmark::State& state) {
  const std::string& dir = BenchDir();
  uint64_t bytes = 0, events = 0, event_bytes = 0;
  for (auto _ : state) {
    ErrorSink sink;
    LoadReport report;
    auto ds = LoadLockstepDirectory(dir, {}, &sink, &report);
    if (!ds.ok()) state.SkipWithError(ds.status().message().c_str());
    bytes += report.bytes;
    events += ds->events.size();
    event_bytes = ds->EventBytesWithoutText();
    benchmark::DoNotOptimize(ds->events.time.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["bytes/event"] = static_cast<double>(event_bytes) / (events / state.iterations());
}
BENCHMARK(BM_ParseLockstepCsv)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ReloadSnapshot(benchmark::State& state) {
  const std::string& dir = BenchDir();
  const std::string snap = dir + "/bench.snapshot";
  // Parse CPU time: the fastest of three loads, like the reloads below.
  double parse_seconds = 1e30;
  for (int i = 0; i < 3; ++i) {
    ErrorSink sink;
    LoadReport report;
    const double start = ThreadCpuSeconds();
    auto ds = LoadLockstepDirectory(dir, {}, &sink, &report);
    parse_seconds = std::min(parse_seconds, ThreadCpuSeconds() - start);
    if (i == 0 && !SaveSnapshot(*ds, snap).ok()) state.SkipWithError("cannot save snapshot");
  }
  uint64_t events = 0;
  double seconds = 1e30;
  for (auto _ : state) {
    const double start = ThreadCpuSeconds();
    auto ds = LoadSnapshot(snap);
    seconds = std::min(seconds, ThreadCpuSeconds() - start);
    if (!ds.ok()) state.SkipWithError(ds.status().message().c_str());
    events += ds->events.size();
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["parse_cpu_ms"] = parse_seconds * 1e3;
  state.counters["reload_cpu_ms"] = seconds * 1e3;
  state.counters["speedup_vs_csv"] = parse_seconds / seconds;
}
BENCHMARK(BM_ReloadSnapshot)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
}  // namespace lockstep
