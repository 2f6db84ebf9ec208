// lockstep eval --labels FILE --detected FILE [--json]: score a detection
// against ground truth (definitions in lockstep/sim/eval.h).
#include <cstdio>

#include <fmt/format.h>

#include "command.h"
#include "lockstep/sim/eval.h"

namespace lockstep::cli {
namespace {

struct EvalFlags {
  std::string labels, detected;
  bool json = false;
};

std::function<int()> Setup(CLI::App& app) {
  auto f = std::make_shared<EvalFlags>();
  app.add_option("--labels", f->labels, "ground truth CSV: account_id,network_id (empty = authentic)")->required();
  app.add_option("--detected", f->detected, "detection CSV: account_id,network_id,score")->required();
  app.add_flag("--json", f->json, "print one JSON object instead of the table");
  return [f]() {
    auto labels = ReadLabelsCsv(f->labels);
    if (!labels.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", labels.status().message().c_str());
      return kExitBadInput;
    }
    auto detected = ReadDetectionCsv(f->detected);
    if (!detected.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", detected.status().message().c_str());
      return kExitBadInput;
    }
    const EvalMetrics m = Evaluate(*labels, *detected);
    if (f->json) fmt::print("{}\n", EvalMetricsJson(m));
    else fmt::print("{}", EvalMetricsTable(m));
    return kExitOk;
  };
}

const bool kRegistered = Register({"eval", "Score a detection against ground truth labels", Setup});

}  // namespace
}  // namespace lockstep::cli
