// lockstep eval-curves --data DIR --detected PATH [--data DIR --detected PATH ...]:
// recall per family as a curve against each drawn parameter of the planted
// networks, and false networks per kind of authentic look-alike, over several
// simulated data sets (definitions in lockstep/sim/eval.h). Prints Markdown.
#include <cstdio>

#include <fmt/format.h>

#include "command.h"
#include "lockstep/sim/eval.h"

namespace lockstep::cli {
namespace {

struct EvalCurvesFlags {
  std::vector<std::string> data, detected;
};

std::function<int()> Setup(CLI::App& app) {
  auto f = std::make_shared<EvalCurvesFlags>();
  app.add_option("--data", f->data,
                 "a simulated data set (lockstep simulate --out): labels.csv, truth_networks.csv, lookalikes.csv; "
                 "repeat once per data set")
      ->required();
  app.add_option("--detected", f->detected,
                 "its detection: a CSV account_id,network_id,score or a detect --out directory (assignments.csv); "
                 "repeat in the same order as --data")
      ->required();
  return [f]() {
    if (f->data.size() != f->detected.size()) {
      std::fprintf(stderr, "lockstep: %zu --data but %zu --detected; give one --detected per --data, in order\n",
                   f->data.size(), f->detected.size());
      return kExitUsage;
    }
    std::vector<CurveRun> runs;
    for (size_t k = 0; k < f->data.size(); ++k) {
      auto run = ReadCurveRun(f->data[k], f->detected[k]);
      if (!run.ok()) {
        std::fprintf(stderr, "lockstep: %s\n", run.status().message().c_str());
        return kExitBadInput;
      }
      runs.push_back(std::move(run).value());
    }
    fmt::print("{}", CurveReportMarkdown(EvaluateCurves(runs)));
    return kExitOk;
  };
}

const bool kRegistered =
    Register({"eval-curves", "Recall per family against each simulated parameter, false networks per look-alike", Setup});

}  // namespace
}  // namespace lockstep::cli
