#include "server/member_graph.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

namespace lockstep::internal {
namespace {

// Keys an event acts on: its target object, and each URL (offset so the two
// id spaces do not collide).
constexpr uint64_t kUrlKey = uint64_t{1} << 40;

template <typename F>
void ForEachKey(const Dataset& ds, size_t e, F&& f) {
  const Events& ev = ds.events;
  if (ev.target_id[e] != kNoString) f(uint64_t{ev.target_id[e]});
  if (ev.complete())
    for (uint32_t u : ev.urls.Row(e)) f(kUrlKey + u);
}

std::string KeyLabel(const Dataset& ds, uint64_t key) {
  if (key >= kUrlKey) return std::string(ds.urls.Get(static_cast<StringId>(key - kUrlKey)));
  return std::string(ds.objects.Get(static_cast<StringId>(key)));
}

void AddPairs(std::vector<uint32_t>& who, const char* layer, std::map<std::pair<uint32_t, uint32_t>, double>* w) {
  std::sort(who.begin(), who.end());
  who.erase(std::unique(who.begin(), who.end()), who.end());
  if (who.size() < 2 || who.size() > kMaxMembersPerKey) return;
  for (size_t i = 0; i < who.size(); ++i)
    for (size_t j = i + 1; j < who.size(); ++j) (*w)[{who[i], who[j]}] += 1;
}

}  // namespace

std::vector<MemberEdgeLayer> BuildMemberEdges(const Dataset& ds, const std::vector<AccountIndex>& members) {
  std::unordered_map<AccountIndex, uint32_t> position;
  for (uint32_t i = 0; i < members.size(); ++i) position.emplace(members[i], i);
  std::unordered_map<uint64_t, std::vector<uint32_t>> by_key;
  const Events& ev = ds.events;
  for (size_t e = 0; e < ev.size(); ++e) {
    auto it = position.find(ev.account[e]);
    if (it == position.end()) continue;
    ForEachKey(ds, e, [&](uint64_t k) { by_key[k].push_back(it->second); });
  }
  std::map<std::pair<uint32_t, uint32_t>, double> co_share, infra;
  for (auto& [key, who] : by_key) AddPairs(who, "co_share", &co_share);
  std::unordered_map<uint64_t, std::vector<uint32_t>> by_value;
  for (const InfraObservation& o : ds.infra) {
    auto it = position.find(o.account);
    if (it != position.end()) by_value[(uint64_t{static_cast<uint8_t>(o.kind)} << 32) | o.value].push_back(it->second);
  }
  for (auto& [key, who] : by_value) AddPairs(who, "infrastructure", &infra);
  std::vector<MemberEdgeLayer> out;
  for (const auto& [ab, weight] : co_share) out.push_back({ab.first, ab.second, "co_share", weight});
  for (const auto& [ab, weight] : infra) out.push_back({ab.first, ab.second, "infrastructure", weight});
  return out;
}

EdgeEvidence BuildEdgeEvidence(const Dataset& ds, AccountIndex a, AccountIndex b, size_t limit) {
  std::unordered_map<AccountIndex, std::vector<size_t>> events = EventsOf(ds, {a, b});
  return BuildEdgeEvidence(ds, a, events[a], b, events[b], limit);
}

std::unordered_map<AccountIndex, std::vector<size_t>> EventsOf(const Dataset& ds,
                                                               const std::vector<AccountIndex>& accounts) {
  std::unordered_map<AccountIndex, std::vector<size_t>> out;
  for (AccountIndex a : accounts) out[a];
  const Events& ev = ds.events;
  for (size_t e = 0; e < ev.size(); ++e)
    if (auto it = out.find(ev.account[e]); it != out.end()) it->second.push_back(e);
  return out;
}

EdgeEvidence BuildEdgeEvidence(const Dataset& ds, AccountIndex a, const std::vector<size_t>& a_list, AccountIndex b,
                               const std::vector<size_t>& b_list, size_t limit) {
  EdgeEvidence out;
  const Events& ev = ds.events;
  std::unordered_map<uint64_t, std::vector<size_t>> a_events, b_events;
  for (size_t e : a_list) ForEachKey(ds, e, [&](uint64_t k) { a_events[k].push_back(e); });
  for (size_t e : b_list) ForEachKey(ds, e, [&](uint64_t k) { b_events[k].push_back(e); });
  for (const auto& [key, as] : a_events) {
    auto it = b_events.find(key);
    if (it == b_events.end()) continue;
    const std::string label = KeyLabel(ds, key);
    for (size_t ea : as) {
      size_t best = it->second.front();
      for (size_t eb : it->second)
        if (std::llabs(ev.time[eb] - ev.time[ea]) < std::llabs(ev.time[best] - ev.time[ea])) best = eb;
      CoSharedPair p;
      p.object = label;
      p.a_time = ev.time[ea];
      p.b_time = ev.time[best];
      p.a_type = std::string(Name(ev.type[ea]));
      p.b_type = std::string(Name(ev.type[best]));
      if (ev.complete()) {
        p.a_text = std::string(ev.Text(ea));
        p.b_text = std::string(ev.Text(best));
      }
      p.gap_seconds = std::llabs(p.a_time - p.b_time);
      out.co_shared.push_back(std::move(p));
    }
  }
  std::sort(out.co_shared.begin(), out.co_shared.end(), [](const CoSharedPair& x, const CoSharedPair& y) {
    return std::tie(x.gap_seconds, x.a_time, x.object) < std::tie(y.gap_seconds, y.a_time, y.object);
  });
  out.co_shared_total = out.co_shared.size();
  if (out.co_shared.size() > limit) out.co_shared.resize(limit);
  std::map<std::pair<InfraKind, StringId>, int> seen;
  for (const InfraObservation& o : ds.infra)
    if (o.account == a || o.account == b) seen[{o.kind, o.value}] |= o.account == a ? 1 : 2;
  for (const auto& [kv, mask] : seen)
    if (mask == 3) out.shared_infrastructure.push_back(fmt::format("{} {}", Name(kv.first), ds.infra_values.Get(kv.second)));
  std::sort(out.shared_infrastructure.begin(), out.shared_infrastructure.end());
  return out;
}

}  // namespace lockstep::internal
