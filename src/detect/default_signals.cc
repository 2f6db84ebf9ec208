#include "lockstep/detect/default_signals.h"

namespace lockstep {

std::vector<std::unique_ptr<Signal>> DefaultSignals(const Dataset& ds) {
  std::vector<std::unique_ptr<Signal>> signals;
  return signals;
}

Status PrepareDefaultDetection(const Dataset& ds, DetectorOptions* options) { return Status::Ok(); }

}  // namespace lockstep
