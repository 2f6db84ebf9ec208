#include "lockstep/store/watch.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "model/ascii.h"

namespace lockstep {
namespace {

double InfraWeight(std::string_view kind) {
  if (kind == "device" || kind == "phone" || kind == "payment" || kind == "cookie") return 0.9;
  if (kind == "ip") return 0.5;
  if (kind == "email_domain") return 0.3;
  return 0.2;
}

// What one account shows of one removed network.
struct Evidence {
  std::map<std::string, double> infra;  // "device:x" -> weight
  uint32_t domain_links = 0;
  std::string domain_example;
  bool image = false;
  bool handle = false, display_name = false;
  uint32_t text_samples = 0, text_hits = 0;
};

}  // namespace

Watch::Watch(const Dataset& ds, std::vector<RemovedNetwork> removed, WatchOptions options)
    : ds_(ds), removed_(std::move(removed)), options_(options) {}

Status Watch::Run() {
  if (!(options_.min_score > 0 && options_.min_score <= 1))
    return Status::InvalidArgument(fmt::format("min_score is {}, expected in (0, 1]", options_.min_score));
  if (!(options_.min_domain_share > 0 && options_.min_domain_share <= 1))
    return Status::InvalidArgument(
        fmt::format("min_domain_share is {}, expected in (0, 1]", options_.min_domain_share));
  matches_.clear();
  const size_t nets = removed_.size();
  const size_t accounts = ds_.account_ids.size();
  if (nets == 0 || accounts == 0) return Status::Ok();

  std::vector<std::unordered_set<std::string>> infra(nets), domains(nets), names(nets);
  std::vector<std::unordered_set<uint64_t>> images(nets), shingles(nets);
  uint64_t max_threshold = 0;
  for (size_t n = 0; n < nets; ++n) {
    const Fingerprint& fp = removed_[n].fingerprint;
    infra[n].insert(fp.infra.begin(), fp.infra.end());
    domains[n].insert(fp.domains.begin(), fp.domains.end());
    names[n].insert(fp.names.begin(), fp.names.end());
    images[n].insert(fp.images.begin(), fp.images.end());
    shingles[n].insert(fp.shingles.begin(), fp.shingles.end());
    max_threshold = std::max(max_threshold, fp.shingle_threshold);
  }
  std::unordered_map<uint64_t, Evidence> evidence;  // account * nets + n
  auto at = [&](AccountIndex a, size_t n) -> Evidence& { return evidence[uint64_t{a} * nets + n]; };

  std::string key;
  for (const InfraObservation& o : ds_.infra) {
    key = fmt::format("{}:{}", Name(o.kind), ds_.infra_values.Get(o.value));
    for (size_t n = 0; n < nets; ++n)
      if (infra[n].contains(key)) at(o.account, n).infra.emplace(key, InfraWeight(Name(o.kind)));
  }
  for (AccountIndex a = 0; a < ds_.num_accounts(); ++a) {
    const Account& acc = ds_.accounts[a];
    const std::string handle = FoldName(ds_.String(acc.handle)), display = FoldName(ds_.String(acc.display_name));
    for (size_t n = 0; n < nets; ++n) {
      const bool h = handle.size() >= 3 && names[n].contains(handle);
      const bool d = display.size() >= 3 && names[n].contains(display);
      const bool i = acc.has_profile_image_hash && images[n].contains(acc.profile_image_hash);
      if (h || d || i) {
        Evidence& e = at(a, n);
        e.handle = h;
        e.display_name = d;
        e.image = i;
      }
    }
  }
  const Events& ev = ds_.events;
  std::vector<uint32_t> links(accounts, 0);
  std::vector<std::array<double, 24>> hours(accounts);
  std::vector<uint64_t> scratch;
  for (size_t i = 0; i < ev.size(); ++i) {
    const AccountIndex a = ev.account[i];
    const int64_t day_seconds = ((ev.time[i] % 86400) + 86400) % 86400;
    hours[a][day_seconds / 3600] += 1;
    for (uint32_t url : ev.urls.Row(i)) {
      ++links[a];
      const StringId d = ds_.url_domain[url];
      if (d == kNoString) continue;
      const std::string domain(ds_.domains.Get(d));
      for (size_t n = 0; n < nets; ++n)
        if (domains[n].contains(domain)) {
          Evidence& e = at(a, n);
          ++e.domain_links;
          if (e.domain_example.empty()) e.domain_example = domain;
        }
    }
    if ((ev.type[i] == EventType::kPost || ev.type[i] == EventType::kComment) && !ev.Text(i).empty()) {
      scratch.clear();
      TextShingles(ev.Text(i), &scratch);
      for (uint64_t h : scratch) {
        if (h > max_threshold) continue;
        for (size_t n = 0; n < nets; ++n) {
          if (h > removed_[n].fingerprint.shingle_threshold || removed_[n].fingerprint.shingles.empty()) continue;
          Evidence& e = at(a, n);
          ++e.text_samples;
          if (shingles[n].contains(h)) ++e.text_hits;
        }
      }
    }
  }

  std::vector<WatchMatch> best(accounts);
  for (auto& m : best) m.score = -1;
  for (const auto& [slot, e] : evidence) {
    const AccountIndex a = static_cast<AccountIndex>(slot / nets);
    const size_t n = slot % nets;
    const Fingerprint& fp = removed_[n].fingerprint;
    WatchMatch m{a, removed_[n].case_id, 0, {}};
    double keep = 1;
    int parts = 0;
    auto add = [&](double strength, std::string reason) {
      if (strength <= 0) return;
      keep *= 1 - std::min(strength, 0.99);
      ++parts;
      m.reasons.push_back(fmt::format("{} ({:.2f})", reason, strength));
    };
    if (!e.infra.empty()) {
      double keep_infra = 1;
      for (const auto& [value, w] : e.infra) keep_infra *= 1 - w;
      add(1 - keep_infra, fmt::format("infrastructure reused: {}{}", e.infra.begin()->first,
                                      e.infra.size() > 1 ? fmt::format(" and {} more", e.infra.size() - 1) : ""));
    }
    if (e.domain_links > 0 && links[a] > 0 && e.domain_links >= options_.min_domain_share * links[a])
      add(0.6, fmt::format("links to the network's domains: {} ({} of {} links)", e.domain_example, e.domain_links,
                           links[a]));
    if (e.image) add(0.8, "same profile image as the network");
    if (e.handle) add(0.5, fmt::format("handle reused: {}", FoldName(ds_.String(ds_.accounts[a].handle))));
    if (e.display_name)
      add(0.4, fmt::format("display name reused: {}", FoldName(ds_.String(ds_.accounts[a].display_name))));
    if (e.text_samples >= options_.min_text_samples) {
      const double containment = double(e.text_hits) / e.text_samples;
      if (containment >= 0.2)
        add(0.7 * containment, fmt::format("posts the network's texts: {:.0f}% of sampled 3-grams", 100 * containment));
    }
    double total = 0;
    for (double h : hours[a]) total += h;
    if (parts > 0 && total >= options_.min_rhythm_events && total > 0) {
      const int shift = fp.utc_offset ? static_cast<int>(std::lround(*fp.utc_offset)) : 0;
      double dot = 0, na = 0, nb = 0;
      for (int h = 0; h < 24; ++h) {
        const double x = hours[a][((h - shift) % 24 + 24) % 24] / total, y = fp.hour_share[h];
        dot += x * y;
        na += x * x;
        nb += y * y;
      }
      const double cosine = na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0;
      if (cosine >= 0.8)
        add(0.3 * (cosine - 0.8) / 0.2, fmt::format("works the network's shift pattern (cosine {:.2f} at UTC{:+})",
                                                    cosine, fp.utc_offset.value_or(0)));
    }
    m.score = 1 - keep;
    if (m.score >= options_.min_score && m.score > best[a].score) best[a] = std::move(m);
  }
  for (WatchMatch& m : best)
    if (m.score >= 0) matches_.push_back(std::move(m));
  std::sort(matches_.begin(), matches_.end(), [](const WatchMatch& x, const WatchMatch& y) {
    return x.score != y.score ? x.score > y.score : x.account < y.account;
  });
  return Status::Ok();
}

std::string DescribeSource(const PublishedIndicator& p) {
  std::string detail;
  for (const std::string* part : {&p.network, &p.date})
    if (!part->empty()) detail += (detail.empty() ? "" : ", ") + *part;
  return detail.empty() ? p.source : fmt::format("{} ({})", p.source, detail);
}

namespace {

// A link's identity for matching listed URLs: host (UrlHost) + path, no
// scheme, no trailing '/'.
std::string UrlKey(std::string_view url) {
  std::string key = UrlHost(url);
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  const size_t slash = url.find('/', start);
  if (slash != std::string_view::npos) {
    std::string_view path = url.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    key += path;
  }
  return key;
}

std::string LowerAscii(std::string_view s) {
  std::string out = internal::AsciiLower(s);
  if (!out.empty() && out[0] == '@') out.erase(0, 1);
  return out;
}

}  // namespace

KnownIndicatorWatch::KnownIndicatorWatch(const Dataset& ds, std::vector<PublishedIndicator> known)
    : ds_(ds), known_(std::move(known)) {}

Status KnownIndicatorWatch::Run() {
  matches_.clear();
  std::unordered_map<std::string, size_t> by_domain, by_url;
  std::unordered_multimap<std::string, size_t> by_handle;
  for (size_t i = 0; i < known_.size(); ++i) {
    const PublishedIndicator& p = known_[i];
    if (p.kind == IndicatorKind::kDomain && !p.host.empty()) by_domain.emplace(p.host, i);
    if (p.kind == IndicatorKind::kUrl || p.kind == IndicatorKind::kAccount) by_url.emplace(UrlKey(p.value), i);
    if (p.kind == IndicatorKind::kAccount && !p.handle.empty()) by_handle.emplace(p.handle, i);
  }
  const size_t accounts = ds_.num_accounts();
  // Per account that touches any: indicator -> links to it (most accounts touch none).
  std::unordered_map<AccountIndex, std::map<size_t, size_t>> hits;
  std::vector<bool> listed(accounts, false);
  // Per distinct URL of the data: the indicator it hits, found once.
  std::vector<int64_t> url_hit(ds_.urls.size(), -2);
  auto lookup = [&](uint32_t url) -> int64_t {
    if (url_hit[url] != -2) return url_hit[url];
    int64_t hit = -1;
    const std::string_view text = ds_.urls.Get(url);
    if (auto u = by_url.find(UrlKey(text)); u != by_url.end()) {
      hit = static_cast<int64_t>(u->second);
    } else if (const StringId d = ds_.url_domain[url]; d != kNoString && !by_domain.empty()) {
      // The host or any parent domain of it: news.site.com is site.com's.
      std::string_view host = ds_.domains.Get(d);
      while (hit < 0 && host.find('.') != std::string_view::npos) {
        if (auto it = by_domain.find(std::string(host)); it != by_domain.end()) hit = static_cast<int64_t>(it->second);
        host.remove_prefix(host.find('.') + 1);
      }
    }
    return url_hit[url] = hit;
  };
  const Events& ev = ds_.events;
  if (!by_domain.empty() || !by_url.empty())
    for (size_t i = 0; i < ev.size(); ++i)
      for (uint32_t url : ev.urls.Row(i))
        if (const int64_t hit = lookup(url); hit >= 0) ++hits[ev.account[i]][static_cast<size_t>(hit)];
  if (!by_handle.empty())
    for (AccountIndex a = 0; a < accounts; ++a) {
      const Account& acc = ds_.accounts[a];
      const std::string platform = LowerAscii(ds_.String(acc.platform));
      for (const std::string& name : {LowerAscii(ds_.String(acc.handle)), LowerAscii(ds_.AccountId(a))}) {
        if (name.empty()) continue;
        auto [begin, end] = by_handle.equal_range(name);
        for (auto it = begin; it != end; ++it) {
          const std::string_view listed_platform = SocialPlatform(known_[it->second].host);
          if (!platform.empty() && !listed_platform.empty() && platform != listed_platform) continue;
          listed[a] = true;
          hits[a].emplace(it->second, 0);
        }
      }
    }
  for (const auto& [a, touched] : hits) {
    KnownIndicatorMatch m{a, 0, listed[a], {}, {}};
    std::vector<std::pair<size_t, size_t>> order(touched.begin(), touched.end());  // (indicator, links)
    std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
    for (const auto& [i, links] : order) {
      const PublishedIndicator& p = known_[i];
      m.links += links;
      m.sources.push_back(DescribeSource(p));
      const std::string what = p.kind == IndicatorKind::kDomain ? p.host : p.value;
      if (links == 0)
        m.reasons.push_back(fmt::format("is the listed account {}, listed in {}", what, DescribeSource(p)));
      else
        m.reasons.push_back(fmt::format("links to {} ({} link{}), listed in {}", what, links, links == 1 ? "" : "s",
                                        DescribeSource(p)));
    }
    std::sort(m.sources.begin(), m.sources.end());
    m.sources.erase(std::unique(m.sources.begin(), m.sources.end()), m.sources.end());
    if (m.listed_account) std::stable_partition(m.reasons.begin(), m.reasons.end(), [](const std::string& r) {
      return r.starts_with("is the listed account");
    });
    matches_.push_back(std::move(m));
  }
  std::sort(matches_.begin(), matches_.end(), [](const KnownIndicatorMatch& x, const KnownIndicatorMatch& y) {
    if (x.listed_account != y.listed_account) return x.listed_account;
    return x.links != y.links ? x.links > y.links : x.account < y.account;
  });
  return Status::Ok();
}

std::vector<WatchAlert> MakeWatchAlerts(const Dataset& ds, const std::vector<WatchMatch>& returning,
                                        const std::vector<KnownIndicatorMatch>& listed, std::string_view data_path,
                                        int64_t at) {
  // First and last event of each matched account.
  std::unordered_map<AccountIndex, std::pair<int64_t, int64_t>> span;
  for (const WatchMatch& m : returning) span.emplace(m.account, std::pair{kNoTime, kNoTime});
  for (const KnownIndicatorMatch& m : listed) span.emplace(m.account, std::pair{kNoTime, kNoTime});
  if (!span.empty())
    for (size_t i = 0; i < ds.events.size(); ++i) {
      auto it = span.find(ds.events.account[i]);
      if (it == span.end()) continue;
      const int64_t t = ds.events.time[i];
      auto& [first, last] = it->second;
      if (first == kNoTime || t < first) first = t;
      if (last == kNoTime || t > last) last = t;
    }
  auto join = [](const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
  };
  std::vector<WatchAlert> out;
  auto add = [&](AccountIndex a, WatchAlert alert) {
    alert.recorded_at = at;
    alert.data_path = std::string(data_path);
    alert.account_id = std::string(ds.AccountId(a));
    if (const auto& [first, last] = span[a]; first != kNoTime) {
      alert.first_activity = first;
      alert.last_activity = last;
    }
    out.push_back(std::move(alert));
  };
  for (const WatchMatch& m : returning) {
    WatchAlert alert;
    alert.kind = WatchAlertKind::kReturning;
    alert.case_id = m.case_id;
    alert.score = m.score;
    alert.matched = join(m.reasons);
    add(m.account, std::move(alert));
  }
  for (const KnownIndicatorMatch& m : listed) {
    WatchAlert alert;
    alert.kind = WatchAlertKind::kKnownIndicator;
    alert.score = 1;
    alert.matched = join(m.reasons);
    alert.source = join(m.sources);
    add(m.account, std::move(alert));
  }
  return out;
}

std::vector<EarlyStageNetwork> FindEarlyStage(const Dataset& ds, const Detection& detection,
                                              const EarlyStageOptions& options) {
  std::vector<EarlyStageNetwork> out;
  if (ds.events.size() == 0) return out;
  const int64_t last = *std::max_element(ds.events.time.begin(), ds.events.time.end());
  const int64_t since = last - static_cast<int64_t>(options.early_days * 86400);
  for (const Network& n : detection.networks) {
    if (n.members.empty() || n.members.size() > options.max_members) continue;
    size_t fresh = 0;
    for (AccountIndex a : n.members)
      if (ds.IsAccount(a) && ds.accounts[a].created_at != kNoTime && ds.accounts[a].created_at >= since) ++fresh;
    if (fresh < options.min_new_share * n.members.size()) continue;
    out.push_back({n.network_id, n.members.size(), fresh,
                   fmt::format("{} of {} members created in the last {:g} days of the data", fresh, n.members.size(),
                               options.early_days)});
  }
  return out;
}

}  // namespace lockstep
