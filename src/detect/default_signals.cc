#include "lockstep/detect/default_signals.h"

#include "lockstep/graph/repeated_burst_layer.h"
#include "lockstep/signals/audience.h"
#include "lockstep/signals/content_targeting.h"
#include "lockstep/signals/creation_burst.h"
#include "lockstep/signals/cross_platform_identity.h"
#include "lockstep/signals/fixed_lag.h"
#include "lockstep/signals/posting_rhythm.h"
#include "lockstep/signals/profile_signal.h"
#include "lockstep/signals/shared_infrastructure.h"

namespace lockstep {

std::vector<std::unique_ptr<Signal>> DefaultSignals(const Dataset& ds, const DetectorOptions& options,
                                                    const DefaultSignalsOptions& extra) {
  std::vector<std::unique_ptr<Signal>> signals;
  signals.push_back(std::make_unique<RepeatedBurstSignal>(ds));
  if (extra.repeated_push_weight > 0 && options.co_text) {
    RepeatedPushOptions push;
    push.weight = extra.repeated_push_weight;
    push.chain_gap_seconds = extra.repeated_push_gap_seconds;
    push.threads = std::max(1, options.threads);
    push.text = options.text;  // the co-text layer's clusters, so both see the same texts as copies
    push.shared_text = options.text_clusters;  // and, when shared, computed once
    signals.push_back(std::make_unique<RepeatedPushSignal>(ds, push));
  }
  if (extra.repeated_hashtag_push_weight > 0) {
    RepeatedPushOptions push;
    push.kind = ObjectKeyKind::kHashtag;
    push.weight = extra.repeated_hashtag_push_weight;
    push.chain_gap_seconds = extra.repeated_push_gap_seconds;
    push.threads = std::max(1, options.threads);
    signals.push_back(std::make_unique<RepeatedPushSignal>(ds, push));
  }
  signals.push_back(std::make_unique<SharedInfrastructureSignal>(ds));
  signals.push_back(std::make_unique<CrossPlatformIdentitySignal>(ds));
  signals.push_back(std::make_unique<CreationBurstSignal>(ds));
  ProfileOptions profile;
  // A platform's default picture is common in any population: at least 1% of accounts.
  profile.max_image_accounts = std::max<uint32_t>(profile.max_image_accounts,
                                                     static_cast<uint32_t>(ds.num_accounts() / 100));
  signals.push_back(std::make_unique<ProfileSignal>(ds, profile));
  RhythmOptions rhythm;
  rhythm.claim_contradiction_min = options.claim_contradiction_min;
  signals.push_back(std::make_unique<PostingRhythmSignal>(ds, rhythm));
  signals.push_back(std::make_unique<AudienceSignal>(ds));
  signals.push_back(std::make_unique<ContentTargetingSignal>(ds));
  if (extra.fixed_lag_weight > 0) {
    FixedLagOptions fixed_lag;
    fixed_lag.weight = extra.fixed_lag_weight;
    signals.push_back(std::make_unique<FixedLagRepetitionSignal>(ds, fixed_lag));
  }
  return signals;
}

std::shared_ptr<SharedTextClusters> ShareTextClusters(const Dataset& ds, const DetectorOptions& options) {
  NearDuplicateOptions text = options.text;
  text.threads = std::max(1, options.threads);
  return std::make_shared<SharedTextClusters>(ds, std::move(text));
}

}  // namespace lockstep
