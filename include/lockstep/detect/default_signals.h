// The signals `lockstep detect` adds to its co-action layers by default.
// (The co-text layer clusters its near-duplicate texts itself.)
#ifndef LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_
#define LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_

#include <memory>
#include <vector>

#include "lockstep/detect/detector.h"
#include "lockstep/graph/repeated_push_layer.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

// Signals a caller may switch or weigh (the CLI's flags), beyond DetectorOptions.
struct DefaultSignalsOptions {
  // Weight of fixed-lag repetition's edges in the fused graph
  // (FixedLagOptions::weight); 0, the default, leaves the signal out: on the
  // IRA blend it found no account that co-action had not grouped already
  // (docs/detect.md, "seventh pass").
  double fixed_lag_weight = 0;
  // Weight of repeated pushes of one near-duplicate text
  // (RepeatedPushOptions::weight, graph/repeated_push_layer.h); 0 leaves the
  // signal out.
  double repeated_push_weight = 1;
  // Seconds within which one action on a text follows the previous one and
  // continues its push (RepeatedPushOptions::chain_gap_seconds).
  int64_t repeated_push_gap_seconds = RepeatedPushOptions{}.chain_gap_seconds;
  // Weight of repeated pushes of one hashtag (the same signal on hashtags,
  // RepeatedPushOptions::kind = kHashtag, chained with the same gap); 0
  // leaves it out. 0.25: on wide tuning seeds 1001-1012 it recovers the
  // early-stage networks of 1002, 1004 and 1006 at any weight from 0.25 to
  // 1; on the IRA blend's half a, weight 0.5 or 1 merges categories and
  // loses NonEnglish accounts, 0.25 does not (docs/detect.md, "ninth pass").
  double repeated_hashtag_push_weight = 0.25;
};

// Every behavioural and technical signal, configured with its defaults and
// the signal thresholds of `options` (claim_contradiction_min).
std::vector<std::unique_ptr<Signal>> DefaultSignals(const Dataset& ds, const DetectorOptions& options = {},
                                                    const DefaultSignalsOptions& extra = {});

// The near-duplicate text clusters co-text and the repeated-text-pushes
// signal share: set DetectorOptions::text_clusters to it before building the
// Detector and DefaultSignals, and one detect clusters its texts once instead
// of twice (the outputs are the same either way).
std::shared_ptr<SharedTextClusters> ShareTextClusters(const Dataset& ds, const DetectorOptions& options);

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_DEFAULT_SIGNALS_H_
