// What a report says about one network, computed from the data set and the
// network's member list the way Meta's monthly CIB reports present it:
// presence by platform and kind (Instagram accounts counted apart), followers
// (Page followers plus Group members), ad spend by currency, activity by
// month, account creation by year, posting by local hour and weekday in the
// inferred time zone, shared infrastructure, top domains, hashtags and
// languages, sample posts, and the member graph the drawing shows.
//
// Every statistic is a deterministic function of (Dataset, Network): the
// report written by `lockstep detect` and the one `lockstep report DIR`
// rebuilds from networks.json are the same.
#ifndef LOCKSTEP_REPORT_NETWORK_STATS_H_
#define LOCKSTEP_REPORT_NETWORK_STATS_H_

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lockstep/detect/network.h"
#include "lockstep/model/dataset.h"

namespace lockstep {

struct PresenceCount {
  std::string platform;  // as in the data ("facebook"); "unknown" when absent
  std::string kind;      // "account", "page", "group", "channel"
  uint64_t count = 0;
};

// Values of one infrastructure kind that 2 or more members share.
struct SharedInfrastructure {
  std::string kind;             // "ip", "device", ...
  uint64_t shared_values = 0;   // distinct values used by 2+ members
  uint64_t members = 0;         // members using at least one of them
  std::vector<CountShare> top;  // the most shared values, by members using them (at most 5)
};

struct SamplePost {
  int64_t time = kNoTime;
  std::string account_id, handle, type;  // type: "post", "comment", "share"
  std::string text;
  uint64_t copies = 1;     // member events carrying this exact text
  uint64_t accounts = 1;   // distinct members among them
};

// An edge of the member graph: indices into Network::members.
struct MemberEdge {
  uint32_t a, b;  // a < b
  double weight;  // shared acted-on targets + shared infrastructure values
};

struct NetworkStats {
  std::string network_id;
  std::vector<PresenceCount> presence;  // by platform, then kind
  std::string presence_sentence;        // "Presence on Facebook and Instagram: 3 accounts, 1 Page and 2 Instagram accounts"
  uint64_t accounts = 0, pages = 0, groups = 0, instagram_accounts = 0, other_assets = 0;
  // Followers: sums over members whose count is known.
  int64_t page_followers = 0, group_members = 0, instagram_followers = 0;
  std::vector<std::pair<std::string, double>> ad_spend;  // by currency, largest first
  uint64_t ads = 0;
  uint64_t events = 0;
  std::array<uint64_t, kEventTypes> events_by_type{};
  int64_t first_activity = kNoTime, last_activity = kNoTime;
  std::vector<std::pair<std::string, uint64_t>> events_by_month;  // "2020-09", every month from first to last
  std::vector<std::pair<std::string, uint64_t>> created_by_year;  // every year from first to last; unknown left out
  uint64_t created_unknown = 0;
  // Local time: UTC + utc_offset hours when the network has one, else UTC.
  bool inferred_time_zone = false;
  double utc_offset_hours = 0;
  std::string time_zone;  // "UTC+03:00 (inferred, confidence 0.82)" or "UTC (no time-zone evidence)"
  std::array<std::array<uint64_t, 24>, 7> weekday_hour{};  // [weekday Monday first][local hour]
  std::vector<SharedInfrastructure> infrastructure;         // kinds with shared values, in InfraKind order
  std::vector<CountShare> top_domains, top_hashtags, languages;
  std::vector<SamplePost> samples;  // most copied texts first
  std::vector<MemberEdge> edges;    // sorted by (a, b)
};

struct NetworkStatsOptions {
  size_t samples = 5;
  size_t top = 10;                  // entries in the top-domain/hashtag/language lists
  size_t max_members_per_key = 60;  // targets or values shared by more members add no edges (O(k^2) pairs)
};

// Statistics of `network` in `ds`; members must be valid account indices of ds.
NetworkStats ComputeNetworkStats(const Dataset& ds, const Network& network, const NetworkStatsOptions& options = {});

// "UTC+05:30", "UTC-03:00", "UTC".
std::string FormatUtcOffset(double hours);

// "Facebook", "Instagram", "Twitter", "YouTube", "TikTok", ...; other names capitalised.
std::string PlatformDisplayName(std::string_view platform);

}  // namespace lockstep

#endif  // LOCKSTEP_REPORT_NETWORK_STATS_H_
