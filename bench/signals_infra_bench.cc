// Benchmarks of the behavioural and technical signals: shared
// infrastructure (observations/s), creation bursts (accounts/s) and profile
// (accounts/s, with the names and image hashes they hold), on a simulated
// "mix" data set at scale 1 (about 20,000 accounts, 900,000 events, 150,000
// infrastructure observations), generated once into the temp dir and reused.
// Each benchmark also reports events/s, so the signals compare with the
// co-action signal's figures.
//
//   build/bench/lockstep_bench --benchmark_filter='SharedInfrastructure|CreationBurst|Profile'
#include <benchmark/benchmark.h>

#include <filesystem>

#include "lockstep/ingest/load.h"
#include "lockstep/signals/creation_burst.h"
#include "lockstep/signals/profile_signal.h"
#include "lockstep/signals/shared_infrastructure.h"
#include "lockstep/sim/simulator.h"

namespace lockstep {
namespace {

// The scale-1 mix data set, simulated on first use (about a minute) and kept
// in the temp dir across runs.
const Dataset& ScaleOneMix() {
  static const Dataset* ds = [] {
    const auto dir = std::filesystem::temp_directory_path() / "lockstep_signals_infra_bench_mix_s1_seed1";
    if (!std::filesystem::exists(dir / "truth.json")) {
      SimulationOptions so;
      so.out_dir = dir.string();
      Simulator sim(DrawScenario("mix", 1, 1).value(), so);
      if (!sim.Run().ok()) std::abort();
    }
    ErrorSink sink;
    LoadReport report;
    auto loaded = LoadDataset(dir.string(), "auto", {}, &sink, &report);
    if (!loaded.ok()) std::abort();
    return new Dataset(std::move(loaded).value());
  }();
  return *ds;
}

void Report(benchmark::State& state, const Dataset& ds, double items) {
  const double runs = static_cast<double>(state.iterations());
  state.counters["items/s"] = benchmark::Counter(items * runs, benchmark::Counter::kIsRate);
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(ds.events.size()) * runs, benchmark::Counter::kIsRate);
  state.counters["accounts"] = static_cast<double>(ds.num_accounts());
}

void BM_SharedInfrastructure(benchmark::State& state) {
  const Dataset& ds = ScaleOneMix();
  size_t edges = 0, pools = 0;
  for (auto _ : state) {
    SharedInfrastructureSignal s(ds);
    if (!s.Run().ok()) state.SkipWithError("Run failed");
    edges = s.edges().size();
    pools = s.groups().size();
  }
  Report(state, ds, static_cast<double>(ds.infra.size()));  // observations/s
  state.counters["observations"] = static_cast<double>(ds.infra.size());
  state.counters["edges"] = static_cast<double>(edges);
  state.counters["pools"] = static_cast<double>(pools);
}
BENCHMARK(BM_SharedInfrastructure)->Unit(benchmark::kMillisecond);

void BM_CreationBurst(benchmark::State& state) {
  const Dataset& ds = ScaleOneMix();
  size_t bursts = 0;
  for (auto _ : state) {
    CreationBurstSignal s(ds);
    if (!s.Run().ok()) state.SkipWithError("Run failed");
    bursts = s.groups().size();
  }
  Report(state, ds, static_cast<double>(ds.num_accounts()));  // accounts/s
  state.counters["bursts"] = static_cast<double>(bursts);
}
BENCHMARK(BM_CreationBurst)->Unit(benchmark::kMillisecond);

void BM_Profile(benchmark::State& state) {
  const Dataset& ds = ScaleOneMix();
  size_t edges = 0;
  for (auto _ : state) {
    ProfileSignal s(ds);
    if (!s.Run().ok()) state.SkipWithError("Run failed");
    edges = s.edges().size();
  }
  Report(state, ds, static_cast<double>(ds.num_accounts()));  // accounts/s
  state.counters["profile_changes"] = static_cast<double>(ds.profile_changes.size());
  state.counters["edges"] = static_cast<double>(edges);
}
BENCHMARK(BM_Profile)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lockstep
