// Detection end to end: time per stage, and the ratio of total time to
// parse-only time on the same input (a simulated mix at scale 1, generated
// once into a temp dir and reused).
#include <benchmark/benchmark.h>

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

void BM_DetectMixScale1(benchmark::State& state) {
  const std::string& dir = DetectBenchDir();
  if (dir.empty()) {
    state.SkipWithError("could not simulate the input");
    return;
  }
  double parse = 0, total = 0;
  std::vector<std::pair<std::string, double>> stages;
  uint64_t events = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    ErrorSink sink;
    LoadReport report;
    auto ds = LoadDataset(dir, "auto", {}, &sink, &report);
    if (!ds.ok()) {
      state.SkipWithError(ds.status().message().c_str());
      return;
    }
    parse += Seconds(start);
    events += ds->events.size();
    DetectorOptions options;  // the co-text layer's text clusters are timed in its co-action stage
    Detector detector(*ds, options);
    for (auto& s : DefaultSignals(*ds)) detector.AddSignal(std::move(s));
    if (!detector.Run().ok()) state.SkipWithError("detection failed");
    total += Seconds(start);
    stages = detector.result().stage_seconds;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["parse_s"] = parse / n;
  for (const auto& [stage, seconds] : stages) state.counters[stage + "_s"] = seconds;
  state.counters["total_over_parse"] = total / parse;
}
BENCHMARK(BM_DetectMixScale1)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace lockstep
