// AudienceSignal: who is listening, and whether that audience was bought.
// Three findings:
//
//  1. Follower spikes. For each account with at least min_observations
//     follower counts, the per-day changes between consecutive observations
//     are scored with a robust z-score, (d - median) / (1.4826 MAD), the MAD
//     floored at spike_scale_floor followers a day (Iglewicz & Hoaglin, "How
//     to detect and handle outliers", 1993). A change is a spike when its z
//     is at least spike_min_z, it adds at least spike_min_followers, and it
//     is at least spike_min_ratio times the account's usual daily change
//     (median |d|, floored at one follower a day). Bought followers arrive
//     like this (Cresci et al., "Fame for sale", Decision Support Systems
//     2015).
//  2. Volume versus audience. For accounts with at least min_events events
//     and a known follower count, x = log10(events per day of its active
//     span) - log10(1 + organic followers), organic = followers minus the
//     spikes found above. x is scored against the population with a robust
//     z-score; z >= volume_min_z with at most low_audience followers flags a
//     megaphone without an audience (bots and farm accounts post a lot to
//     nobody).
//  3. Bought engagement. Likes and shares on one Page (any account another
//     account acts on) from accounts placed in another country than the
//     Page's (an account's country: the majority of its located
//     infrastructure observations, else Account::country). A burst is at
//     least min_burst such foreign engagements with one post within
//     burst_window_seconds of the first; the engagers that take part in at
//     least min_bursts bursts of the same Page form a group with the Page.
//     p_value: Chernoff bound exp(-n KL(k/n || q)) on k foreign engagements
//     among the Page's n, with q the foreign share of all engagements in the
//     data set; groups need p_value <= max_p_value (popular accounts draw
//     foreign bursts too, but not above the data set's foreign share).
//
// account_scores(): max(spike, volume) in 0..1. groups(): bought-engagement
// groups, Page first in the explanation, accounts sorted.
// Complexity: O(events + follower counts log + infra). Not thread-safe; the
// Dataset must outlive the signal.
#ifndef LOCKSTEP_SIGNALS_AUDIENCE_H_
#define LOCKSTEP_SIGNALS_AUDIENCE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct AudienceOptions {
  uint32_t min_observations = 5;       // follower counts an account needs for spike detection
  double spike_min_z = 6;              // robust z of the per-day change
  int64_t spike_min_followers = 200;   // followers gained in the jump
  double spike_min_ratio = 10;         // jump per day / usual per-day change
  double spike_scale_floor = 1;        // followers a day; floor of the MAD
  uint32_t min_events = 20;            // events an account needs for volume vs audience
  double volume_min_z = 2.5;           // robust z of log volume / audience
  int64_t low_audience = 1000;         // followers at most this to flag volume vs audience
  int64_t burst_window_seconds = 3600; // foreign engagements with one post within this of the first
  uint32_t min_burst = 5;              // foreign engagements making a burst
  uint32_t min_bursts = 3;             // bursts an engager must join to be in a Page's group
  uint32_t min_group_size = 5;         // engagers
  double max_p_value = 1e-3;           // a Page's foreign share must beat the data set's at this level
};

struct FollowerSpike {
  AccountIndex account;
  int64_t time;            // observation after the jump, seconds
  int64_t before, after;   // followers
  double days;             // between the two observations
  double z;                // robust z of the per-day change
  double ratio;            // per-day change / usual per-day change
};

struct VolumeAudience {
  AccountIndex account;
  uint64_t events;
  double events_per_day;
  int64_t followers;       // organic: spikes removed
  double z;
};

struct BoughtEngagement {
  AccountIndex page;
  CountryCode page_country;
  std::vector<AccountIndex> engagers;  // sorted
  uint32_t bursts = 0;                 // bursts on the Page's posts
  uint64_t foreign = 0, engagements = 0;  // on the Page, all engagers
  CountryCode top_country = kNoCountry;   // most common engager country
  double p_value = 1;
};

class AudienceSignal final : public Signal {
 public:
  AudienceSignal(const Dataset& ds, AudienceOptions options = {});

  std::string_view Name() const override { return "audience"; }
  // Needs follower counts (observed or Account::followers) or likes/shares.
  bool Applicable(std::string* why_not) const override;

  // Sorted by account; empty before Run().
  const std::vector<FollowerSpike>& spikes() const;
  const std::vector<VolumeAudience>& volume_outliers() const;
  const std::vector<BoughtEngagement>& bought_engagement() const;

  // "followers jumped from 120 to 4,050 between 2020-07-19 and 2020-08-02, 40x its usual daily change (z 55)"
  std::string Explain(const FollowerSpike& s) const;
  std::string Explain(const VolumeAudience& v) const;
  std::string Explain(const BoughtEngagement& b) const;

 protected:
  Status Compute() override;
  const std::vector<float>& DoAccountScores() const override;
  const std::vector<SignalGroup>& DoGroups() const override;
  std::string DoExplainAccount(AccountIndex account) const override;

 private:
  const Dataset& ds_;
  AudienceOptions options_;
  std::vector<float> scores_;
  std::vector<FollowerSpike> spikes_;
  std::vector<VolumeAudience> volume_;
  std::vector<BoughtEngagement> bought_;
  std::vector<SignalGroup> groups_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_AUDIENCE_H_
