// Watch: scores new data against the fingerprints of removed networks and
// flags early-stage networks, so that returning operators are found without
// re-processing the history (only the new data set is read; the removed
// networks come from the case store).
//
// Returning accounts. For each account of the new data and each removed
// network, every fingerprint part gives a strength in 0..1 with a reason:
//   infra    a device, phone, payment or cookie the network used 0.9; an IP
//            0.5; an email domain 0.3; a user agent 0.2 (combined as below)
//   domains  0.6 when at least `min_domain_share` of the account's links go
//            to the network's distinctive domains
//   images   0.8 for the same profile image hash
//   names    0.5 for the same folded handle, 0.4 for the same display name
//   text     0.7 x containment of the account's sampled shingles in the
//            network's sketch (at least `min_text_samples` samples, >= 0.2)
//   rhythm   up to 0.3 for the same local hour profile (cosine >= 0.8 after
//            shifting by the network's UTC offset; at least
//            `min_rhythm_events` events); counted only with another part
// The score is 1 - prod(1 - strength); an account is reported with its
// best network when the score reaches `min_score`.
//
// Early-stage networks: detection networks whose members were mostly created
// within the last `early_days` days of the data and that are small.
//
// Complexity: O(events + infra + accounts x removed networks x parts).
// Shape: configure, Run(), then matches(). The Dataset must outlive Watch.
#ifndef LOCKSTEP_STORE_WATCH_H_
#define LOCKSTEP_STORE_WATCH_H_

#include <string>
#include <vector>

#include "lockstep/detect/network.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/store/case_store.h"

namespace lockstep {

struct WatchOptions {
  double min_score = 0.75;          // 0..1; names alone (0.7) are not enough
  double min_domain_share = 0.3;    // of the account's links
  size_t min_text_samples = 5;      // sampled shingles needed to judge text
  uint64_t min_rhythm_events = 20;  // events needed to judge rhythm
};

struct WatchMatch {
  AccountIndex account;
  std::string case_id;  // of the removed network
  double score = 0;
  std::vector<std::string> reasons;  // one per matched part: "device:x reused (0.90)"
};

class Watch {
 public:
  Watch(const Dataset& ds, std::vector<RemovedNetwork> removed, WatchOptions options = {});
  // kInvalidArgument for options out of range.
  Status Run();
  // Best match per matched account, by score descending; valid after Run().
  const std::vector<WatchMatch>& matches() const { return matches_; }

 private:
  const Dataset& ds_;
  std::vector<RemovedNetwork> removed_;
  WatchOptions options_;
  std::vector<WatchMatch> matches_;
};

// Known indicators: accounts of the new data whose events link to a domain
// (or a subdomain of it) or a URL that a published takedown lists, or whose
// handle or id is a listed account's (on the same platform when both are
// known). Each match names the indicator and where it was published:
// "links to avisindependent.eu (3 links), listed in <file> (<network>, <date>)".
// Counts and text indicators ("37 Pages") are not matchable and are ignored.
//
// Complexity: O(known + links + distinct URLs x labels per host + accounts);
// memory per account only for accounts that touch an indicator.
// Shape: configure, Run(), then matches(). The Dataset must outlive it.
struct KnownIndicatorMatch {
  AccountIndex account;
  size_t links = 0;                  // links to listed domains and URLs
  bool listed_account = false;       // the account itself is listed
  std::vector<std::string> reasons;  // one per indicator matched, strongest first
  std::vector<std::string> sources;  // where the matched indicators were published (DescribeSource), distinct, sorted
};

class KnownIndicatorWatch {
 public:
  KnownIndicatorWatch(const Dataset& ds, std::vector<PublishedIndicator> known);
  Status Run();
  // Matched accounts: listed accounts first, then by links descending; valid after Run().
  const std::vector<KnownIndicatorMatch>& matches() const { return matches_; }

 private:
  const Dataset& ds_;
  std::vector<PublishedIndicator> known_;
  std::vector<KnownIndicatorMatch> matches_;
};

// "<file> (<network>, <date>)": where a known indicator was published.
std::string DescribeSource(const PublishedIndicator& p);

// The alerts to keep in the case store (CaseStore::RecordWatchAlerts) for
// watch's matches in `ds`, the data set at `data_path`, watched at `at` (Unix
// seconds): one per returning account (with its removed network and score)
// and one per account touching known indicators (with their sources), each
// with the account's first and last event in `ds`. O(events + matches).
std::vector<WatchAlert> MakeWatchAlerts(const Dataset& ds, const std::vector<WatchMatch>& returning,
                                        const std::vector<KnownIndicatorMatch>& listed, std::string_view data_path,
                                        int64_t at);

struct EarlyStageOptions {
  double early_days = 7;       // created within this many days of the data's last event
  double min_new_share = 0.8;  // of members created then
  size_t max_members = 60;     // "few"
};

struct EarlyStageNetwork {
  std::string network_id;
  size_t members = 0, new_members = 0;
  std::string reason;
};

// Networks of `detection` that look early-stage in `ds`.
std::vector<EarlyStageNetwork> FindEarlyStage(const Dataset& ds, const Detection& detection,
                                              const EarlyStageOptions& options = {});

}  // namespace lockstep

#endif  // LOCKSTEP_STORE_WATCH_H_
