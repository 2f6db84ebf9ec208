// Simulator benchmarks: events generated per second and bytes written per
// second, for the authentic population alone and for the full mix.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>

#include "lockstep/sim/simulator.h"

namespace lockstep {
namespace {

void RunSimulation(benchmark::State& state, const char* scenario, double scale) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("lockstep_sim_bench_" + std::to_string(::getpid()))).string();
  uint64_t events = 0, bytes = 0;
  uint64_t seed = 1;
  for (auto _ : state) {
    SimulationOptions options;
    options.out_dir = dir;
    Simulator sim(DrawScenario(scenario, seed++, scale).value(), options);
    if (Status s = sim.Run(); !s.ok()) {
      state.SkipWithError(s.message().c_str());
      break;
    }
    events += sim.summary()->events;
    bytes += sim.summary()->bytes;
  }
  std::filesystem::remove_all(dir);
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["bytes/event"] = events > 0 ? static_cast<double>(bytes) / static_cast<double>(events) : 0;
}

void BM_SimulateAuthentic(benchmark::State& state) { RunSimulation(state, "authentic", 0.1); }
void BM_SimulateMix(benchmark::State& state) { RunSimulation(state, "mix", 0.05); }

BENCHMARK(BM_SimulateAuthentic)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();
BENCHMARK(BM_SimulateMix)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

}  // namespace
}  // namespace lockstep
