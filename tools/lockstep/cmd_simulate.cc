// lockstep simulate --scenario NAME --seed N --scale S --out DIR: write a
// synthetic data set in the lockstep format with its ground truth.
#include <cstdio>

#include <fmt/format.h>

#include "command.h"
#include "data_flags.h"
#include "lockstep/sim/simulator.h"

namespace lockstep::cli {
namespace {

struct SimulateFlags {
  std::string scenario = "mix";
  uint64_t seed = 1;
  double scale = 1;
  std::string out;
};

std::function<int()> Setup(CLI::App& app) {
  auto f = std::make_shared<SimulateFlags>();
  app.add_option("--scenario", f->scenario,
                 fmt::format("what to plant: {}", fmt::join(ScenarioNames(), ", ")))
      ->check(CLI::IsMember(ScenarioNames()))
      ->capture_default_str();
  app.add_option("--seed", f->seed, "random seed; the same seed gives byte-identical files")->capture_default_str();
  app.add_option("--scale", f->scale,
                 "1 = about 20,000 authentic accounts and 1M events over three years; linear, fractions allowed")
      ->check(CLI::Range(1e-6, 1000.0))
      ->capture_default_str();
  app.add_option("--out", f->out, "output directory (created; files replaced)")->required();
  return [f]() {
    if (int code = CheckOutputDir("--out", f->out); code != kExitOk) return code;
    auto spec = DrawScenario(f->scenario, f->seed, f->scale);
    if (!spec.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", spec.status().message().c_str());
      return kExitUsage;
    }
    ProgressLine progress("simulating");
    SimulationOptions options;
    options.out_dir = f->out;
    options.progress = [&](const SimulationProgress& p) { progress.Update(p.days_done, p.days_total); };
    Simulator sim(std::move(spec).value(), options);
    Status s = sim.Run();
    progress.Finish();
    if (!s.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
      return kExitBadInput;
    }
    const SimulationSummary sum = sim.summary().value();
    fmt::print("scenario {} seed {} scale {} -> {}\n", f->scenario, f->seed, f->scale, f->out);
    fmt::print("accounts {} ({} planted in {} networks), events {}, infra {}, profile changes {}, follower counts {}, ads {}\n",
               sum.accounts, sum.planted_accounts, sum.networks, sum.events, sum.infra, sum.profile_changes,
               sum.follower_counts, sum.ads);
    fmt::print("wrote {:.1f} MB in {:.2f} s ({:.0f} events/s)\n", sum.bytes / 1e6, sum.seconds,
               sum.seconds > 0 ? sum.events / sum.seconds : 0.0);
    return kExitOk;
  };
}

const bool kRegistered =
    Register({"simulate", "Write a synthetic data set with planted operations and its ground truth", Setup});

}  // namespace
}  // namespace lockstep::cli
