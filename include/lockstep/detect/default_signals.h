// The signals `lockstep detect` adds to its co-action layers by default.
// (The co-text layer clusters its near-duplicate texts itself.)
#ifndef LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_
#define LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_

#include <memory>
#include <vector>

#include "lockstep/detect/detector.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

// Signals a caller may switch or weigh (the CLI's flags), beyond DetectorOptions.
struct DefaultSignalsOptions {
  // Weight of fixed-lag repetition's edges in the fused graph
  // (FixedLagOptions::weight); 0, the default, leaves the signal out: on the
  // IRA blend it found no account that co-action had not grouped already
  // (docs/detect.md, "seventh pass").
  double fixed_lag_weight = 0;
};

// Every behavioural and technical signal, configured with its defaults and
// the signal thresholds of `options` (claim_contradiction_min).
std::vector<std::unique_ptr<Signal>> DefaultSignals(const Dataset& ds, const DetectorOptions& options = {},
                                                    const DefaultSignalsOptions& extra = {});

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_
