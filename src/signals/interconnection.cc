#include "lockstep/signals/interconnection.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "lockstep/signals/object_keys.h"
#include "lockstep/signals/shared_infrastructure.h"

namespace lockstep {
namespace {

bool IsEngagement(const Events& ev, size_t i) {
  const EventType t = ev.type[i];
  return (t == EventType::kShare || t == EventType::kComment || t == EventType::kLike) &&
         ev.target_account[i] != kNoString && ev.target_account[i] != ev.account[i];
}

std::string FormatP(double p) { return p < 1e-300 ? "p < 1e-300" : fmt::format("p = {:.2g}", p); }

}  // namespace

double PoissonUpperTail(uint64_t k, double lambda) {
  if (k == 0) return 1;
  if (lambda <= 0) return 0;
  const double kd = static_cast<double>(k);
  if (kd > lambda) {
    // Sum the pmf from k upwards; terms fall at least geometrically past lambda.
    double log_term = kd * std::log(lambda) - lambda - std::lgamma(kd + 1);
    double term = std::exp(log_term);
    double sum = 0;
    for (uint64_t i = k; i < k + 100000 && term > sum * 1e-17; ++i) {
      sum += term;
      term *= lambda / static_cast<double>(i + 1);
    }
    return std::min(1.0, sum);
  }
  // k <= lambda: the answer is not small; 1 - lower tail is accurate.
  double term = std::exp(-lambda), lower = 0;
  for (uint64_t i = 0; i < k; ++i) {
    lower += term;
    term *= lambda / static_cast<double>(i + 1);
  }
  return std::clamp(1 - lower, 0.0, 1.0);
}

Interconnection InterconnectionOf(const Dataset& ds, std::span<const AccountIndex> members) {
  Interconnection out;
  const size_t pool = ds.account_ids.size();
  std::vector<bool> in(pool, false);
  for (AccountIndex m : members) {
    if (m < pool && !in[m]) {
      in[m] = true;
      ++out.members;
    }
  }
  const Events& ev = ds.events;
  uint64_t total = 0, received = 0;
  for (size_t i = 0; i < ev.size(); ++i) {
    if (!IsEngagement(ev, i)) continue;
    ++total;
    const bool to_member = ev.target_account[i] < pool && in[ev.target_account[i]];
    received += to_member;
    if (in[ev.account[i]]) {
      ++out.member_engagement;
      out.observed += to_member;
    }
  }
  out.expected =
      total ? static_cast<double>(out.member_engagement) * static_cast<double>(received) / static_cast<double>(total)
            : 0;
  out.ratio = out.expected > 0 ? static_cast<double>(out.observed) / out.expected
              : out.observed   ? std::numeric_limits<double>::infinity()
                               : 0;
  out.p_value = PoissonUpperTail(out.observed, out.expected);
  out.explanation = fmt::format(
      "{} accounts: {} of their {} engagements (shares, comments, likes) target each other, {:.1f} expected from the "
      "{} of {} engagements the group receives overall ({:.1f}x, {})",
      out.members, out.observed, out.member_engagement, out.expected, received, total, out.ratio, FormatP(out.p_value));
  return out;
}

std::string_view Name(IdentityEvidence v) {
  switch (v) {
    case IdentityEvidence::kHandle:
      return "handle";
    case IdentityEvidence::kDisplayName:
      return "display_name";
    case IdentityEvidence::kProfileImage:
      return "profile_image";
    case IdentityEvidence::kSameLinks:
      return "same_links";
  }
  return "";
}

std::string NormalizeIdentityName(std::string_view name) {
  std::string s;
  for (unsigned char c : name) {
    if (c >= 'A' && c <= 'Z') {
      s += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      s += static_cast<char>(c);
    }
  }
  while (!s.empty() && s.back() >= '0' && s.back() <= '9') s.pop_back();
  return s.size() >= 3 ? s : std::string();
}

CrossPlatformResult CrossPlatformMatches(const Dataset& ds, const CrossPlatformOptions& options) {
  CrossPlatformResult out;
  const size_t n = ds.num_accounts();
  auto platform = [&](AccountIndex a) { return ds.accounts[a].platform; };
  auto emit_buckets = [&](std::map<std::string, std::vector<AccountIndex>>& buckets, IdentityEvidence evidence,
                          auto describe) {
    for (auto& [key, accounts] : buckets) {
      if (accounts.size() < 2) continue;
      if (accounts.size() > options.max_bucket) {
        ++out.skipped_keys;
        continue;
      }
      for (size_t i = 0; i < accounts.size(); ++i) {
        for (size_t j = i + 1; j < accounts.size(); ++j) {
          const AccountIndex a = std::min(accounts[i], accounts[j]), b = std::max(accounts[i], accounts[j]);
          if (platform(a) == platform(b)) continue;
          out.matches.push_back({a, b, evidence, 1, static_cast<uint32_t>(accounts.size()), 0.0, describe(a, b, key)});
        }
      }
    }
  };
  auto platform_name = [&](AccountIndex a) { return ds.String(platform(a)); };

  std::map<std::string, std::vector<AccountIndex>> handles, names, images;
  for (AccountIndex a = 0; a < n; ++a) {
    const Account& acc = ds.accounts[a];
    if (acc.platform == kNoString) continue;
    if (std::string k = NormalizeIdentityName(ds.String(acc.handle)); !k.empty()) handles[k].push_back(a);
    if (std::string k = NormalizeIdentityName(ds.String(acc.display_name)); !k.empty()) names[k].push_back(a);
    if (acc.has_profile_image_hash) images[fmt::format("{:016x}", acc.profile_image_hash)].push_back(a);
  }
  emit_buckets(handles, IdentityEvidence::kHandle, [&](AccountIndex a, AccountIndex b, const std::string& key) {
    return fmt::format("handles '{}' ({}) and '{}' ({}) both normalise to '{}'", ds.String(ds.accounts[a].handle),
                       platform_name(a), ds.String(ds.accounts[b].handle), platform_name(b), key);
  });
  emit_buckets(names, IdentityEvidence::kDisplayName, [&](AccountIndex a, AccountIndex b, const std::string& key) {
    return fmt::format("display names '{}' ({}) and '{}' ({}) both normalise to '{}'",
                       ds.String(ds.accounts[a].display_name), platform_name(a), ds.String(ds.accounts[b].display_name),
                       platform_name(b), key);
  });
  emit_buckets(images, IdentityEvidence::kProfileImage, [&](AccountIndex a, AccountIndex b, const std::string& key) {
    return fmt::format("the same profile image hash {} on {} and {}", key, platform_name(a), platform_name(b));
  });

  // Same links at the same times: (normalised url, time, account) of account events with a platform.
  std::vector<uint32_t> norm_of_url(ds.urls.size(), kNoString);
  Interner normalized;
  struct Post {
    uint32_t url;
    int64_t time;
    AccountIndex account;
  };
  std::vector<Post> posts;
  const Events& ev = ds.events;
  for (size_t i = 0; i < ev.size(); ++i) {
    const AccountIndex a = ev.account[i];
    if (a >= n || platform(a) == kNoString) continue;
    for (uint32_t u : ev.urls.Row(i)) {
      if (norm_of_url[u] == kNoString) norm_of_url[u] = normalized.Intern(NormalizeUrl(ds.urls.Get(u)));
      posts.push_back({norm_of_url[u], ev.time[i], a});
    }
  }
  std::sort(posts.begin(), posts.end(), [](const Post& x, const Post& y) {
    return std::tie(x.url, x.time, x.account) < std::tie(y.url, y.time, y.account);
  });
  struct LinkPair {
    uint32_t count = 0;
    uint32_t example_url = 0;
    int64_t delta = 0;
    uint32_t last_url = kNoString;  // the last link counted in rarity
    uint32_t key_accounts = 0;
    double rarity = 0;
  };
  std::map<std::pair<AccountIndex, AccountIndex>, LinkPair> link_pairs;
  for (size_t lo = 0; lo < posts.size();) {
    size_t hi = lo;
    while (hi < posts.size() && posts[hi].url == posts[lo].url) ++hi;
    std::vector<AccountIndex> distinct;
    for (size_t i = lo; i < hi; ++i) distinct.push_back(posts[i].account);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (distinct.size() > options.max_bucket) {
      ++out.skipped_keys;
    } else {
      for (size_t i = lo; i < hi; ++i) {
        for (size_t j = i + 1; j < hi && posts[j].time - posts[i].time <= options.link_window_seconds; ++j) {
          const AccountIndex a = std::min(posts[i].account, posts[j].account);
          const AccountIndex b = std::max(posts[i].account, posts[j].account);
          if (platform(a) == platform(b)) continue;
          LinkPair& p = link_pairs[{a, b}];
          if (p.count++ == 0) {
            p.example_url = posts[i].url;
            p.delta = posts[j].time - posts[i].time;
          }
          if (p.last_url != posts[i].url) {
            p.last_url = posts[i].url;
            p.key_accounts = std::max(p.key_accounts, static_cast<uint32_t>(distinct.size()));
            p.rarity += InfrastructureRarity(static_cast<double>(distinct.size()), options.max_bucket);
          }
        }
      }
    }
    lo = hi;
  }
  for (const auto& [pair, p] : link_pairs) {
    if (p.count < options.min_link_matches) continue;
    out.matches.push_back({pair.first, pair.second, IdentityEvidence::kSameLinks, p.count, p.key_accounts, p.rarity,
                           fmt::format("{} times the same link within {} s on {} and {}, e.g. {} {} s apart", p.count,
                                       options.link_window_seconds, platform_name(pair.first),
                                       platform_name(pair.second), normalized.Get(p.example_url), p.delta)});
  }
  std::sort(out.matches.begin(), out.matches.end(), [](const CrossPlatformMatch& x, const CrossPlatformMatch& y) {
    return std::tie(x.a, x.b, x.evidence) < std::tie(y.a, y.b, y.evidence);
  });
  return out;
}

}  // namespace lockstep
