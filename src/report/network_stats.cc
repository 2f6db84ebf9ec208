#include "lockstep/report/network_stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

namespace lockstep {

namespace {

std::string Plural(uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// "1 Page", "3 Instagram accounts", "2 Twitter accounts", "1 YouTube channel".
std::string PresenceItem(const PresenceCount& p) {
  const std::string platform = PlatformDisplayName(p.platform);
  if (p.platform == "facebook") {
    if (p.kind == "account") return Plural(p.count, "account", "accounts");
    if (p.kind == "page") return Plural(p.count, "Page", "Pages");
    if (p.kind == "group") return Plural(p.count, "Group", "Groups");
  }
  const std::string kind = p.kind == "page" ? "Page" : p.kind == "group" ? "Group" : p.kind;
  return fmt::format("{} {} {}{}", p.count, platform, kind, p.count == 1 ? "" : "s");
}

std::string JoinWithAnd(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

int PlatformOrder(std::string_view p) {
  if (p == "facebook") return 0;
  if (p == "instagram") return 1;
  return 2;
}

// Meta's order: accounts, Pages, Groups; then channels.
int KindOrder(std::string_view k) { return k == "account" ? 0 : k == "page" ? 1 : k == "group" ? 2 : 3; }

std::vector<CountShare> TopCounts(const std::unordered_map<std::string, uint64_t>& counts, size_t top) {
  std::vector<CountShare> out;
  out.reserve(counts.size());
  for (const auto& [name, n] : counts) out.push_back({name, n});
  std::sort(out.begin(), out.end(), [](const CountShare& x, const CountShare& y) {
    return x.count != y.count ? x.count > y.count : x.name < y.name;
  });
  if (out.size() > top) out.resize(top);
  return out;
}

std::string MonthKey(int64_t year, unsigned month) { return fmt::format("{:04}-{:02}", year, month); }

}  // namespace

std::string FormatUtcOffset(double hours) {
  const long minutes = std::lround(hours * 60);
  if (minutes == 0) return "UTC";
  const long a = std::labs(minutes);
  return fmt::format("UTC{}{:02}:{:02}", minutes < 0 ? '-' : '+', a / 60, a % 60);
}

std::string PlatformDisplayName(std::string_view p) {
  static const std::map<std::string_view, std::string_view> kNames = {
      {"facebook", "Facebook"}, {"instagram", "Instagram"}, {"twitter", "Twitter"}, {"youtube", "YouTube"},
      {"tiktok", "TikTok"},     {"telegram", "Telegram"},   {"vk", "VK"},           {"reddit", "Reddit"},
      {"unknown", "an unknown platform"}};
  if (auto it = kNames.find(p); it != kNames.end()) return std::string(it->second);
  std::string out(p);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

NetworkStats ComputeNetworkStats(const Dataset& ds, const Network& n, const NetworkStatsOptions& options) {
  NetworkStats s;
  s.network_id = n.network_id;
  std::unordered_map<AccountIndex, uint32_t> member_pos;
  for (uint32_t i = 0; i < n.members.size(); ++i) member_pos.emplace(n.members[i], i);

  // Presence and followers.
  std::map<std::pair<std::string, std::string>, uint64_t> presence;
  int64_t min_year = INT64_MAX, max_year = INT64_MIN;
  std::map<int64_t, uint64_t> years;
  for (AccountIndex a : n.members) {
    const Account& acc = ds.accounts[a];
    std::string platform(ds.String(acc.platform));
    if (platform.empty()) platform = "unknown";
    const std::string kind(Name(acc.kind));
    presence[{platform, kind}]++;
    const int64_t followers = std::max<int64_t>(acc.followers, 0);
    if (platform == "instagram") {
      s.instagram_accounts++;
      s.instagram_followers += followers;
    } else if (acc.kind == AccountKind::kPage) {
      s.pages++;
      s.page_followers += followers;
    } else if (acc.kind == AccountKind::kGroup) {
      s.groups++;
      s.group_members += followers;
    } else if (acc.kind == AccountKind::kAccount) {
      s.accounts++;
    } else {
      s.other_assets++;
    }
    if (acc.created_at == kNoTime) {
      s.created_unknown++;
    } else {
      const int64_t y = ToCivil(acc.created_at).year;
      years[y]++;
      min_year = std::min(min_year, y);
      max_year = std::max(max_year, y);
    }
  }
  for (const auto& [key, count] : presence) s.presence.push_back({key.first, key.second, count});
  std::stable_sort(s.presence.begin(), s.presence.end(), [](const PresenceCount& x, const PresenceCount& y) {
    if (PlatformOrder(x.platform) != PlatformOrder(y.platform)) return PlatformOrder(x.platform) < PlatformOrder(y.platform);
    if (x.platform != y.platform) return x.platform < y.platform;
    return KindOrder(x.kind) < KindOrder(y.kind);
  });
  {
    std::vector<std::string> platforms, items;
    for (const PresenceCount& p : s.presence) {
      const std::string name = PlatformDisplayName(p.platform);
      if (std::find(platforms.begin(), platforms.end(), name) == platforms.end()) platforms.push_back(name);
      items.push_back(PresenceItem(p));
    }
    s.presence_sentence = fmt::format("Presence on {}: {}", JoinWithAnd(platforms), JoinWithAnd(items));
  }
  if (min_year <= max_year)
    for (int64_t y = min_year; y <= max_year; ++y) s.created_by_year.emplace_back(fmt::format("{}", y), years[y]);

  // Advertising.
  std::map<std::string, double> spend;
  for (const AdSpend& ad : ds.ads) {
    if (!member_pos.contains(ad.account)) continue;
    spend[std::string(ds.String(ad.currency))] += ad.spend;
    s.ads++;
  }
  for (const auto& [currency, total] : spend) s.ad_spend.emplace_back(currency, total);
  std::stable_sort(s.ad_spend.begin(), s.ad_spend.end(), [](const auto& x, const auto& y) { return x.second > y.second; });

  // Activity, local time, content, samples and shared targets.
  s.inferred_time_zone = n.utc_offset.has_value();
  s.utc_offset_hours = n.utc_offset.value_or(0);
  s.time_zone = s.inferred_time_zone ? fmt::format("{} (inferred, confidence {:.2f})", FormatUtcOffset(s.utc_offset_hours),
                                                   n.utc_offset_confidence)
                                     : "UTC (no time-zone evidence)";
  const int64_t shift = std::llround(s.utc_offset_hours * 3600);
  std::map<std::string, uint64_t> months;
  std::unordered_map<std::string, uint64_t> domains, hashtags, languages;
  struct TextUse {
    uint64_t copies = 0;
    size_t first_event = 0;
    std::unordered_set<AccountIndex> accounts;
  };
  std::unordered_map<std::string_view, TextUse> texts;
  std::unordered_map<StringId, std::vector<uint32_t>> target_members;  // target -> member positions (with repeats)
  const Events& ev = ds.events;
  for (size_t i = 0; i < ev.size(); ++i) {
    auto it = member_pos.find(ev.account[i]);
    if (it == member_pos.end()) continue;
    s.events++;
    s.events_by_type[static_cast<int>(ev.type[i])]++;
    const int64_t t = ev.time[i];
    if (s.first_activity == kNoTime || t < s.first_activity) s.first_activity = t;
    if (s.last_activity == kNoTime || t > s.last_activity) s.last_activity = t;
    const CivilTime utc = ToCivil(t);
    months[MonthKey(utc.year, utc.month)]++;
    const CivilTime local = ToCivil(t + shift);
    s.weekday_hour[local.weekday][local.hour]++;
    for (uint32_t u : ev.urls.Row(i))
      if (ds.url_domain[u] != kNoString) domains[std::string(ds.domains.Get(ds.url_domain[u]))]++;
    for (uint32_t h : ev.hashtags.Row(i)) hashtags[std::string(ds.hashtags.Get(h))]++;
    if (ev.language[i] != kNoString) languages[std::string(ds.String(ev.language[i]))]++;
    const std::string_view text = ev.Text(i);
    if (!text.empty() && ev.type[i] != EventType::kLike && ev.type[i] != EventType::kFollow &&
        ev.type[i] != EventType::kJoin) {
      auto [tu, fresh] = texts.try_emplace(text);
      if (fresh) tu->second.first_event = i;
      tu->second.copies++;
      tu->second.accounts.insert(ev.account[i]);
    }
    if (ev.target_id[i] != kNoString && ev.type[i] != EventType::kPost)
      target_members[ev.target_id[i]].push_back(it->second);
  }
  if (!months.empty()) {
    const CivilTime first = ToCivil(s.first_activity), last = ToCivil(s.last_activity);
    int64_t y = first.year;
    unsigned m = first.month;
    while (y < last.year || (y == last.year && m <= last.month)) {
      const std::string key = MonthKey(y, m);
      auto found = months.find(key);
      s.events_by_month.emplace_back(key, found == months.end() ? 0 : found->second);
      if (++m == 13) m = 1, ++y;
    }
  }
  s.top_domains = n.top_domains.empty() ? TopCounts(domains, options.top) : n.top_domains;
  s.top_hashtags = n.top_hashtags.empty() ? TopCounts(hashtags, options.top) : n.top_hashtags;
  s.languages = n.languages.empty() ? TopCounts(languages, options.top) : n.languages;
  for (auto* list : {&s.top_domains, &s.top_hashtags, &s.languages})
    if (list->size() > options.top) list->resize(options.top);

  std::vector<std::pair<std::string_view, const TextUse*>> ranked;
  for (const auto& [text, use] : texts) ranked.emplace_back(text, &use);
  std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    if (x.second->copies != y.second->copies) return x.second->copies > y.second->copies;
    return x.second->first_event < y.second->first_event;
  });
  for (size_t k = 0; k < ranked.size() && k < options.samples; ++k) {
    const size_t i = ranked[k].second->first_event;
    SamplePost p;
    p.time = ev.time[i];
    p.account_id = std::string(ds.AccountId(ev.account[i]));
    p.handle = std::string(ds.String(ds.accounts[ev.account[i]].handle));
    p.type = std::string(Name(ev.type[i]));
    p.text = std::string(ranked[k].first);
    p.copies = ranked[k].second->copies;
    p.accounts = ranked[k].second->accounts.size();
    s.samples.push_back(std::move(p));
  }

  // Shared infrastructure: value -> distinct members.
  std::map<std::pair<int, StringId>, std::vector<uint32_t>> infra_members;
  for (const InfraObservation& o : ds.infra) {
    auto it = member_pos.find(o.account);
    if (it != member_pos.end()) infra_members[{static_cast<int>(o.kind), o.value}].push_back(it->second);
  }
  std::map<uint64_t, double> pair_weight;
  auto add_pairs = [&](std::vector<uint32_t>& positions) {
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    if (positions.size() < 2 || positions.size() > options.max_members_per_key) return;
    for (size_t x = 0; x < positions.size(); ++x)
      for (size_t y = x + 1; y < positions.size(); ++y)
        pair_weight[(static_cast<uint64_t>(positions[x]) << 32) | positions[y]] += 1;
  };
  for (int kind = 0; kind < kInfraKinds; ++kind) {
    SharedInfrastructure shared;
    shared.kind = std::string(Name(static_cast<InfraKind>(kind)));
    std::unordered_set<uint32_t> users;
    std::vector<CountShare> values;
    for (auto it = infra_members.lower_bound({kind, 0}); it != infra_members.end() && it->first.first == kind; ++it) {
      std::vector<uint32_t>& positions = it->second;
      add_pairs(positions);  // also deduplicates
      if (positions.size() < 2) continue;
      shared.shared_values++;
      users.insert(positions.begin(), positions.end());
      values.push_back({std::string(ds.infra_values.Get(it->first.second)), positions.size()});
    }
    if (shared.shared_values == 0) continue;
    shared.members = users.size();
    std::sort(values.begin(), values.end(), [](const CountShare& x, const CountShare& y) {
      return x.count != y.count ? x.count > y.count : x.name < y.name;
    });
    if (values.size() > 5) values.resize(5);
    shared.top = std::move(values);
    s.infrastructure.push_back(std::move(shared));
  }
  std::vector<StringId> targets;
  for (const auto& [target, positions] : target_members) targets.push_back(target);
  std::sort(targets.begin(), targets.end());
  for (StringId t : targets) add_pairs(target_members[t]);
  for (const auto& [key, w] : pair_weight)
    s.edges.push_back({static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(key & 0xFFFFFFFFu), w});
  return s;
}

}  // namespace lockstep
