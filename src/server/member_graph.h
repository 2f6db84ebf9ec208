// The member graph the workbench draws, and the evidence behind each edge.
//
// Layers: "co_share" links two members that acted on the same object (a
// shared, replied-to or liked post) or posted the same URL; "infrastructure"
// links members seen with the same infrastructure value (IP, device, ...).
// A key used by more than kMaxMembersPerKey members adds no edges (its
// pairs would swamp the picture and cost O(k^2)).
#ifndef LOCKSTEP_SRC_SERVER_MEMBER_GRAPH_H_
#define LOCKSTEP_SRC_SERVER_MEMBER_GRAPH_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lockstep/model/dataset.h"

namespace lockstep::internal {

inline constexpr size_t kMaxMembersPerKey = 60;
inline constexpr std::string_view kMemberGraphLayers[] = {"co_share", "infrastructure"};

struct MemberEdgeLayer {
  uint32_t a, b;        // indices into the member list, a < b
  std::string layer;    // "co_share" or "infrastructure"
  double weight = 0;    // shared keys
};

// Edges among `members` (account indices of ds), sorted by (layer, a, b).
std::vector<MemberEdgeLayer> BuildMemberEdges(const Dataset& ds, const std::vector<AccountIndex>& members);

struct CoSharedPair {
  std::string object;        // the post id or URL both acted on
  int64_t a_time = 0, b_time = 0;
  std::string a_type, b_type;  // "post", "share", ...
  std::string a_text, b_text;
  int64_t gap_seconds = 0;   // |a_time - b_time|
};

struct EdgeEvidence {
  std::vector<CoSharedPair> co_shared;       // by gap, then time; at most `limit`
  uint64_t co_shared_total = 0;              // before the limit
  std::vector<std::string> shared_infrastructure;  // "ip 10.0.0.1", sorted
};

// The posts accounts a and b co-shared (for each object both acted on, each
// of a's actions paired with b's nearest in time) and the infrastructure
// values they share.
// O(events + infrastructure observations).
EdgeEvidence BuildEdgeEvidence(const Dataset& ds, AccountIndex a, AccountIndex b, size_t limit);

// The event indices of each of `accounts`, in time order, in one pass over
// the events: for the evidence of many edges at once.
std::unordered_map<AccountIndex, std::vector<size_t>> EventsOf(const Dataset& ds,
                                                               const std::vector<AccountIndex>& accounts);
// As above, from the two accounts' events (EventsOf) instead of a pass over
// all events; O(their events + infrastructure observations).
EdgeEvidence BuildEdgeEvidence(const Dataset& ds, AccountIndex a, const std::vector<size_t>& a_events, AccountIndex b,
                               const std::vector<size_t>& b_events, size_t limit);

}  // namespace lockstep::internal

#endif  // LOCKSTEP_SRC_SERVER_MEMBER_GRAPH_H_
