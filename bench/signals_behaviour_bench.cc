// Events per second of the behavioural and technical signals (posting
// rhythm, audience, content and targeting) on a simulated scale-1 "mix" data
// set: generated once into the temp dir and reused while it exists.
//
//   ninja -C build lockstep_bench && build/bench/lockstep_bench --benchmark_filter=Behaviour
#include <filesystem>
#include <memory>

#include <benchmark/benchmark.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/signals/audience.h"
#include "lockstep/signals/content_targeting.h"
#include "lockstep/signals/posting_rhythm.h"
#include "lockstep/sim/simulator.h"

namespace lockstep {
namespace {

const Dataset* MixScale1() {
  static std::unique_ptr<Dataset> ds = [] {
    const std::string dir = (std::filesystem::temp_directory_path() / "lockstep_bench_behaviour_mix_seed1_scale1").string();
    if (!std::filesystem::exists(dir + "/truth.json")) {
      SimulationOptions options;
      options.out_dir = dir;
      Simulator sim(DrawScenario("mix", 1, 1).value(), options);
      if (!sim.Run().ok()) return std::unique_ptr<Dataset>();
    }
    ErrorSink sink;
    LoadReport report;
    auto loaded = LoadLockstepDirectory(dir, {}, &sink, &report);
    if (!loaded.ok()) return std::unique_ptr<Dataset>();
    return std::make_unique<Dataset>(std::move(loaded).value());
  }();
  return ds.get();
}

template <typename SignalType>
void RunSignal(benchmark::State& state) {
  const Dataset* ds = MixScale1();
  if (ds == nullptr) {
    state.SkipWithError("could not simulate or load the scale-1 mix");
    return;
  }
  for (auto _ : state) {
    SignalType signal(*ds);
    if (!signal.Run().ok()) state.SkipWithError("Run() failed");
    benchmark::DoNotOptimize(signal.account_scores().data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(ds->events.size()));
  state.counters["events"] = static_cast<double>(ds->events.size());
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(ds->events.size()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_BehaviourPostingRhythm(benchmark::State& state) { RunSignal<PostingRhythmSignal>(state); }
void BM_BehaviourAudience(benchmark::State& state) { RunSignal<AudienceSignal>(state); }
void BM_BehaviourContentTargeting(benchmark::State& state) { RunSignal<ContentTargetingSignal>(state); }

// RhythmOf for one group, as detection calls it per network: a pass over all
// events with a membership bitmap.
void BM_BehaviourRhythmOfGroup(benchmark::State& state) {
  const Dataset* ds = MixScale1();
  if (ds == nullptr) {
    state.SkipWithError("could not simulate or load the scale-1 mix");
    return;
  }
  std::vector<AccountIndex> group;
  for (AccountIndex a = 0; a < ds->num_accounts(); a += 97) group.push_back(a);
  for (auto _ : state) benchmark::DoNotOptimize(RhythmOf(*ds, group).events);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(ds->events.size()));
}

BENCHMARK(BM_BehaviourPostingRhythm)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BehaviourAudience)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BehaviourContentTargeting)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BehaviourRhythmOfGroup)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace lockstep
