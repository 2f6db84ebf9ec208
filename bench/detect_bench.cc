// Detection end to end: time per stage, and the ratio of total time to
// parse-only time on the same input (a simulated mix at scale 1, generated
// once into a temp dir and reused). Issue 16's target: a full detect within
// 3x the time of parsing (total_over_parse <= 4: parse itself included).
// Wall times suffer from other processes on a shared machine, so CPU times
// of the whole process (every thread) are reported next to them.
#include <benchmark/benchmark.h>

#include <time.h>

#include <chrono>
#include <filesystem>

#include "lockstep/detect/default_signals.h"
#include "lockstep/detect/detector.h"
#include "lockstep/ingest/load.h"
#include "lockstep/sim/simulator.h"

namespace lockstep {
namespace {

const std::string& DetectBenchDir() {
  static const std::string dir = [] {
    const std::string d = (std::filesystem::temp_directory_path() / "lockstep_detect_bench_mix_s1_seed1").string();
    if (!std::filesystem::exists(d + "/labels.csv")) {
      SimulationOptions options;
      options.out_dir = d;
      Simulator sim(DrawScenario("mix", 1, 1.0).value(), options);
      if (!sim.Run().ok()) return std::string();
    }
    return d;
  }();
  return dir;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// CPU seconds used so far by `clock` (CLOCK_PROCESS_CPUTIME_ID: all threads;
// CLOCK_THREAD_CPUTIME_ID: the calling thread).
double CpuSeconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

void BM_DetectMixScale1(benchmark::State& state) {
  const std::string& dir = DetectBenchDir();
  if (dir.empty()) {
    state.SkipWithError("could not simulate the input");
    return;
  }
  double parse = 0, total = 0, parse_cpu = 0, total_cpu = 0;
  std::vector<std::pair<std::string, double>> stages;
  uint64_t events = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const double start_cpu = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
    ErrorSink sink;
    LoadReport report;
    auto ds = LoadDataset(dir, "auto", {}, &sink, &report);
    if (!ds.ok()) {
      state.SkipWithError(ds.status().message().c_str());
      return;
    }
    parse += Seconds(start);
    parse_cpu += CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - start_cpu;
    events += ds->events.size();
    DetectorOptions options;  // the co-text layer's text clusters are timed in its co-action stage
    options.text_clusters = ShareTextClusters(*ds, options);  // as `lockstep detect` does
    Detector detector(*ds, options);
    for (auto& s : DefaultSignals(*ds, options)) detector.AddSignal(std::move(s));
    if (!detector.Run().ok()) state.SkipWithError("detection failed");
    total += Seconds(start);
    total_cpu += CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - start_cpu;
    stages = detector.result().stage_seconds;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["parse_s"] = parse / n;
  for (const auto& [stage, seconds] : stages) state.counters[stage + "_s"] = seconds;
  state.counters["total_s"] = total / n;
  state.counters["total_over_parse"] = total / parse;
  state.counters["parse_cpu_s"] = parse_cpu / n;
  state.counters["total_cpu_s"] = total_cpu / n;
  state.counters["total_over_parse_cpu"] = total_cpu / parse_cpu;
}
BENCHMARK(BM_DetectMixScale1)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

// The default signals alone on the same input, each run once: CPU seconds of
// each (its thread's), to find which of them the "signals" stage spends on.
void BM_DefaultSignalsMixScale1(benchmark::State& state) {
  const std::string& dir = DetectBenchDir();
  if (dir.empty()) {
    state.SkipWithError("could not simulate the input");
    return;
  }
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadDataset(dir, "auto", {}, &sink, &report);
  if (!ds.ok()) {
    state.SkipWithError(ds.status().message().c_str());
    return;
  }
  std::vector<std::pair<std::string, double>> cpu;
  double all = 0;
  for (auto _ : state) {
    cpu.clear();
    for (auto& s : DefaultSignals(*ds)) {
      const double start = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
      if (s->Applicable(nullptr) && !s->Run().ok()) state.SkipWithError("a signal failed");
      cpu.emplace_back(std::string(s->Name()), CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - start);
      all += cpu.back().second;
    }
  }
  for (const auto& [name, seconds] : cpu) state.counters[name + "_cpu_s"] = seconds;
  state.counters["signals_cpu_s"] = all / static_cast<double>(state.iterations());
}
BENCHMARK(BM_DefaultSignalsMixScale1)->Unit(benchmark::kSecond)->Iterations(3);

}  // namespace
}  // namespace lockstep
