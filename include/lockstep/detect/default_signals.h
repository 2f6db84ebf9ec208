// The signals `lockstep detect` adds to its co-action layers by default.
// (The co-text layer clusters its near-duplicate texts itself.)
#ifndef LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_
#define LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_

#include <memory>
#include <vector>

#include "lockstep/detect/detector.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

// Every behavioural and technical signal, configured with its defaults and
// the signal thresholds of `options` (claim_contradiction_min).
std::vector<std::unique_ptr<Signal>> DefaultSignals(const Dataset& ds, const DetectorOptions& options = {});

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_
