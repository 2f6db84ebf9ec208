// The signals `lockstep detect` runs by default, and the preparation they
// need (near-duplicate text clusters for the co-text layer).
#ifndef LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_
#define LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_

#include <memory>
#include <vector>

#include "lockstep/detect/detector.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

// Every behavioural and technical signal, configured with its defaults.
std::vector<std::unique_ptr<Signal>> DefaultSignals(const Dataset& ds);

// Fills in options that depend on the data (e.g. text clusters).
Status PrepareDefaultDetection(const Dataset& ds, DetectorOptions* options);

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_
