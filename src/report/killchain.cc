#include "lockstep/report/killchain.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "ingest/reader_support.h"
#include "lockstep/indicators/published_indicators.h"
#include "lockstep/model/csv_field.h"
#include "lockstep/signals/case_fold.h"
#include "lockstep/signals/posting_rhythm.h"
#include "lockstep/signals/profile_signal.h"

namespace lockstep {
namespace {

// From Meta's Online Operations Kill Chain list of tactics, techniques and
// procedures (facebook/threat-research, Online_Operations_Killchain-TTPs.csv,
// MIT licence, Copyright (c) Meta Platforms, Inc. and its affiliates), the
// procedures this exporter can cite, spelled as published (trailing spaces
// trimmed).
constexpr KillChainProcedure kProcedures[] = {
    {"0.6.2", "0. Acquiring assets", "0.6 Acquiring domains", "0.6.2 Acquiring domains to support influence operations"},
    {"0.9.1", "0. Acquiring assets", "0.9 Acquiring social media accounts", "0.9.1 Acquiring Facebook assets"},
    {"0.9.2", "0. Acquiring assets", "0.9 Acquiring social media accounts", "0.9.2 Acquiring Instagram accounts"},
    {"0.9.3", "0. Acquiring assets", "0.9 Acquiring social media accounts", "0.9.3 Acquiring Threads accounts"},
    {"0.9.4", "0. Acquiring assets", "0.9 Acquiring social media accounts", "0.9.4 Acquiring X / Twitter accounts"},
    {"0.9.5", "0. Acquiring assets", "0.9 Acquiring social media accounts", "0.9.5 Acquiring YouTube channels"},
    {"0.9.6", "0. Acquiring assets", "0.9 Acquiring social media accounts", "0.9.6 Acquiring TikTok accounts"},
    {"0.9.7", "0. Acquiring assets", "0.9 Acquiring social media accounts", "0.9.7 Acquiring Telegram channels"},
    {"0.9.12", "0. Acquiring assets", "0.9 Acquiring social media accounts",
     "0.9.12 Acquiring other social media assets"},
    {"1.1.1", "1. Disguising assets", "1.1 Adopting visual disguise", "1.1.1 Copying profile pictures"},
    {"1.2.8", "1. Disguising assets", "1.2 Posing as non-existent person",
     "1.2.8 Posing as fictional person in target region"},
    {"3.1.1", "3. Coordinating and planning", "3.1 Coordinating shift patterns", "3.1.1 Working to a regular shift pattern"},
    {"6.2.1", "6. Indiscriminate engagement", "6.2 Amplifying with likely fake accounts on social media",
     "6.2.1 Amplifying with likely fake accounts on Facebook"},
    {"6.2.2", "6. Indiscriminate engagement", "6.2 Amplifying with likely fake accounts on social media",
     "6.2.2 Amplifying with likely fake accounts on Instagram"},
    {"6.2.3", "6. Indiscriminate engagement", "6.2 Amplifying with likely fake accounts on social media",
     "6.2.3 Amplifying with likely fake accounts on Threads"},
    {"6.2.4", "6. Indiscriminate engagement", "6.2 Amplifying with likely fake accounts on social media",
     "6.2.4 Amplifying with likely fake accounts on X/Twitter"},
    {"6.2.5", "6. Indiscriminate engagement", "6.2 Amplifying with likely fake accounts on social media",
     "6.2.5 Amplifying with likely fake accounts on YouTube"},
    {"6.2.6", "6. Indiscriminate engagement", "6.2 Amplifying with likely fake accounts on social media",
     "6.2.6 Amplifying with likely fake accounts on TikTok"},
    {"6.2.7", "6. Indiscriminate engagement", "6.2 Amplifying with likely fake accounts on social media",
     "6.2.7 Amplifying with likely fake accounts on Telegram"},
    {"7.1.1", "7. Targeted engagement", "7.1 Running ads", "7.1.1 Advertising to promote content"},
    {"7.2.2", "7. Targeted engagement", "7.2 Engaging with users outside the operation", "7.2.2 Acquiring Page followers"},
    {"7.2.4", "7. Targeted engagement", "7.2 Engaging with users outside the operation",
     "7.2.4 Acquiring Instagram followers"},
    {"7.2.5", "7. Targeted engagement", "7.2 Engaging with users outside the operation",
     "7.2.5 Acquiring Twitter followers"},
    {"7.3.1", "7. Targeted engagement", "7.3 Engaging with specific audience", "7.3.1 Using audience-specific hashtags"},
    {"7.3.3", "7. Targeted engagement", "7.3 Engaging with specific audience", "7.3.3 Commenting on specific posts"},
    {"9.1.1", "9. Enabling longevity", "9.1 Changing personas", "9.1.1 Creating new persona"},
};

// A platform's procedures: accounts acquired, amplification; and its name as Meta writes it.
struct PlatformProcedures {
  std::string_view platform, acquire, amplify, label;
};
constexpr PlatformProcedures kPlatformProcedures[] = {
    {"facebook", "0.9.1", "6.2.1", "Facebook"}, {"instagram", "0.9.2", "6.2.2", "Instagram"},
    {"threads", "0.9.3", "6.2.3", "Threads"},   {"twitter", "0.9.4", "6.2.4", "X"},
    {"x", "0.9.4", "6.2.4", "X"},               {"youtube", "0.9.5", "6.2.5", "YouTube"},
    {"tiktok", "0.9.6", "6.2.6", "TikTok"},     {"telegram", "0.9.7", "6.2.7", "Telegram"},
};

const PlatformProcedures* ForPlatform(std::string_view platform) {
  for (const PlatformProcedures& p : kPlatformProcedures)
    if (p.platform == platform) return &p;
  return nullptr;
}

// "site.com" -> "site[.]com", as published indicators are written.
std::string DefangHost(std::string_view host) {
  std::string out;
  for (char c : host) {
    if (c == '.')
      out += "[.]";
    else
      out.push_back(c);
  }
  return out;
}

std::string Thousands(double v) {
  const auto n = static_cast<uint64_t>(std::llround(v));
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Words that name news in an outlet's profile or domain (lower case).
constexpr std::string_view kNewsWords[] = {
    "news",    "daily",    "herald",      "times",  "gazette", "tribune",  "journal", "press",   "courier",
    "ledger",  "chronicle", "noticias",   "noticia", "nachrichten", "zeitung", "nieuws", "notizie", "actualit",
    "diario",  "jornal",   "giornale",    "haber",  "новост",  "вести",    "газет",   "wiadomo", "zpravy"};

bool NamesNews(std::string_view text) {
  const std::string lower = CaseFold(text);
  for (std::string_view w : kNewsWords)
    if (lower.find(w) != std::string::npos) return true;
  return false;
}

}  // namespace

std::span<const KillChainProcedure> KillChainProcedures() { return kProcedures; }

std::vector<NewsOutlet> FindNewsOutlets(const Dataset& ds, std::span<const AccountIndex> accounts,
                                        const KillChainOptions& options) {
  std::unordered_map<AccountIndex, size_t> slot;  // account -> index into found
  std::vector<NewsOutlet> found;
  for (AccountIndex a : accounts)
    if (ds.IsAccount(a) && !slot.contains(a)) {
      slot.emplace(a, found.size());
      NewsOutlet o;
      o.account = a;
      found.push_back(std::move(o));
    }
  // Declared: a category column naming news or media.
  for (const ExtraAttribute& x : ds.account_extras) {
    auto it = slot.find(x.row);
    if (it == slot.end()) continue;
    const std::string column = internal::AsciiLower(ds.String(x.column));
    const std::string value = internal::AsciiLower(ds.String(x.value));
    if ((column == "category" || column == "page_category" || column == "pagecategory" || column == "account.pagecategory") &&
        (value.find("news") != std::string::npos || value.find("media") != std::string::npos))
      found[it->second].category = std::string(ds.String(x.value));
  }
  // Publishing: links of the accounts' own posts, per domain.
  std::vector<std::unordered_map<StringId, uint64_t>> domains(found.size());
  const Events& ev = ds.events;
  for (size_t i = 0; i < ev.size(); ++i) {
    if (ev.type[i] != EventType::kPost) continue;
    auto it = slot.find(ev.account[i]);
    if (it == slot.end()) continue;
    for (uint32_t url : ev.urls.Row(i)) {
      ++found[it->second].links;
      if (const StringId d = ds.url_domain[url]; d != kNoString) ++domains[it->second][d];
    }
  }
  std::vector<NewsOutlet> out;
  for (size_t k = 0; k < found.size(); ++k) {
    NewsOutlet& o = found[k];
    for (const auto& [d, n] : domains[k])
      if (n > o.site_links && SocialPlatform(ds.domains.Get(d)).empty()) o.domain = d, o.site_links = n;
    const bool publishes = o.site_links >= options.min_outlet_posts && 2 * o.site_links >= o.links;
    const Account& acc = ds.accounts[o.account];
    const bool says_news = publishes && (NamesNews(ds.String(acc.description)) || NamesNews(ds.String(acc.display_name)) ||
                                         NamesNews(ds.String(acc.handle)) || NamesNews(ds.domains.Get(o.domain)));
    if (!publishes) o.domain = kNoString, o.site_links = 0;
    if (!o.category.empty() || says_news) out.push_back(std::move(o));
  }
  return out;
}

const KillChainProcedure* FindKillChainProcedure(std::string_view id) {
  for (const KillChainProcedure& p : kProcedures)
    if (p.id == id) return &p;
  return nullptr;
}

std::vector<PushedDomain> PushedDomains(const Dataset& ds, const Network& network, const KillChainOptions& options) {
  std::unordered_set<AccountIndex> member_set;
  for (AccountIndex a : network.members)
    if (ds.IsAccount(a)) member_set.insert(a);
  std::unordered_map<StringId, uint64_t> all_links, own_links;
  const Events& ev = ds.events;
  for (size_t i = 0; i < ev.size(); ++i)
    for (uint32_t url : ev.urls.Row(i)) {
      const StringId d = ds.url_domain[url];
      if (d == kNoString) continue;
      ++all_links[d];
      if (member_set.contains(ev.account[i])) ++own_links[d];
    }
  std::vector<PushedDomain> pushed;
  for (const auto& [d, n] : own_links) {
    const std::string_view host = ds.domains.Get(d);
    if (n < options.min_domain_links || !SocialPlatform(host).empty()) continue;
    if (double(n) >= options.min_domain_share * double(all_links[d])) pushed.push_back({d, n, all_links[d]});
  }
  std::sort(pushed.begin(), pushed.end(), [&](const PushedDomain& x, const PushedDomain& y) {
    return x.network_links != y.network_links ? x.network_links > y.network_links
                                              : ds.domains.Get(x.domain) < ds.domains.Get(y.domain);
  });
  if (pushed.size() > options.max_domains) pushed.resize(options.max_domains);
  return pushed;
}

KillChainBuilder::KillChainBuilder(const Dataset& ds, KillChainOptions options) : ds_(ds), options_(options) {}
KillChainBuilder::~KillChainBuilder() = default;

const PostingRhythmSignal* KillChainBuilder::Rhythm() {
  if (!rhythm_tried_) {
    rhythm_tried_ = true;
    ++signal_runs_;
    auto signal = std::make_unique<PostingRhythmSignal>(ds_);
    if (signal->Run().ok()) rhythm_ = std::move(signal);
  }
  return rhythm_.get();
}

const ProfileSignal* KillChainBuilder::Profile() {
  if (!profile_tried_) {
    profile_tried_ = true;
    ++signal_runs_;
    auto signal = std::make_unique<ProfileSignal>(ds_);
    if (signal->Run().ok()) profile_ = std::move(signal);
  }
  return profile_.get();
}

std::vector<KillChainRow> BuildKillChain(const Dataset& ds, const Network& network, const KillChainOptions& options) {
  return KillChainBuilder(ds, options).Build(network);
}

std::vector<KillChainRow> KillChainBuilder::Build(const Network& network) {
  const Dataset& ds = ds_;
  const KillChainOptions& options = options_;
  std::vector<KillChainRow> rows;
  auto add = [&](std::string_view id, std::string indicator, std::string evidence) {
    rows.push_back({FindKillChainProcedure(id), std::move(indicator), std::move(evidence)});
  };
  std::vector<AccountIndex> members;
  for (AccountIndex a : network.members)
    if (ds.IsAccount(a)) members.push_back(a);
  const std::unordered_set<AccountIndex> member_set(members.begin(), members.end());

  // 0.9: assets by platform and kind.
  std::map<std::string, std::map<AccountKind, uint64_t>> assets;  // platform -> kind -> count
  for (AccountIndex a : members)
    ++assets[internal::AsciiLower(ds.String(ds.accounts[a].platform))][ds.accounts[a].kind];
  for (const auto& [platform, kinds] : assets) {
    const PlatformProcedures* pp = ForPlatform(platform);
    for (const auto& [kind, n] : kinds) {
      const bool one = n == 1;
      std::string_view noun;
      switch (kind) {
        case AccountKind::kAccount:
          noun = one ? "account" : "accounts";
          break;
        case AccountKind::kPage:
          noun = one ? "Page" : "Pages";
          break;
        case AccountKind::kGroup:
          noun = one ? "Group" : "Groups";
          break;
        case AccountKind::kChannel:
          noun = one ? "channel" : "channels";
          break;
      }
      if (pp != nullptr)
        add(pp->acquire, fmt::format("{} {} {}", n, pp->label, noun), "members of the network on this platform");
      else
        add("0.9.12", fmt::format("{} {}{}", n, noun, platform.empty() ? "" : " on " + platform),
            "members of the network on a platform the kill chain does not name");
    }
  }

  // 0.6.2: domains the network pushes: most of the data's links to them come from it.
  for (const PushedDomain& d : PushedDomains(ds, network, options))
    add("0.6.2", DefangHost(ds.domains.Get(d.domain)),
        fmt::format("{} links from the network, {:.0f}% of all links to it in the data", d.network_links,
                    100.0 * double(d.network_links) / double(d.all_links)));

  // 1.1.1: profile pictures shared by several members.
  std::unordered_map<uint64_t, uint64_t> images;
  for (AccountIndex a : members)
    if (ds.accounts[a].has_profile_image_hash) ++images[ds.accounts[a].profile_image_hash];
  uint64_t shared_images = 0, sharing_accounts = 0;
  for (const auto& [hash, n] : images)
    if (n >= 2) ++shared_images, sharing_accounts += n;
  if (shared_images > 0)
    add("1.1.1", fmt::format("{} accounts use {} profile pictures between them", sharing_accounts, shared_images),
        "identical profile image hashes");

  // 1.2.8: claimed locations the posting rhythm, infrastructure or platform contradict.
  if (std::any_of(members.begin(), members.end(),
                  [&](AccountIndex a) { return ds.accounts[a].claimed_location != kNoString; })) {
    if (const PostingRhythmSignal* signal = Rhythm(); signal != nullptr) {
      const PostingRhythmSignal& rhythm = *signal;
      std::map<CountryCode, std::vector<const LocationMismatch*>> by_claim;
      for (const LocationMismatch& m : rhythm.mismatches())
        if (member_set.contains(m.account)) by_claim[m.claimed].push_back(&m);
      for (const auto& [claimed, ms] : by_claim) {
        if (ms.size() < options.min_mismatched_accounts) continue;
        uint64_t by_clock = 0, by_infra = 0, by_platform = 0;
        std::map<double, uint64_t> clocks;
        std::map<std::string, uint64_t> placed;
        for (const LocationMismatch* m : ms) {
          by_infra += m->infra_country != kNoCountry;
          by_platform += m->platform_country != kNoCountry;
          const CountryCode where = m->infra_country != kNoCountry ? m->infra_country : m->platform_country;
          if (where != kNoCountry) ++placed[CountryName(where)];
          if (m->offset_contradicts) {
            ++by_clock;
            if (const RhythmProfile* p = rhythm.profile(m->account); p != nullptr && p->utc_offset_hours)
              ++clocks[*p->utc_offset_hours];
          }
        }
        const std::string country = CountryName(claimed);
        std::vector<std::string> parts;
        if (!placed.empty()) {
          const auto top = std::max_element(placed.begin(), placed.end(),
                                            [](const auto& x, const auto& y) { return x.second < y.second; });
          parts.push_back(fmt::format("placed in {} by their infrastructure ({}) or the platform ({})", top->first,
                                      by_infra, by_platform));
        }
        if (by_clock > 0) {
          const auto top = std::max_element(clocks.begin(), clocks.end(),
                                            [](const auto& x, const auto& y) { return x.second < y.second; });
          parts.push_back(fmt::format("{} post on a clock implausible there (most on UTC{:+g})", by_clock, top->first));
        }
        std::string notes;
        for (const std::string& part : parts) notes += (notes.empty() ? "" : "; ") + part;
        const bool target = std::find(network.target_countries.begin(), network.target_countries.end(), country) !=
                            network.target_countries.end();
        if (target) notes += fmt::format("; {} is a country the network targets", country);
        add("1.2.8", fmt::format("{} accounts claim to be in {} but are not", ms.size(), country), notes);
      }
    }
  }

  // 3.1.1: a working-day rhythm in the operators' time zone.
  if (network.utc_offset && !network.shift.automated && !network.shift.summary.empty() &&
      (network.shift.morning_peak || network.shift.lunch_dip || network.shift.night_pause))
    add("3.1.1", fmt::format("Activity fits a working day at UTC{:+g}", *network.utc_offset), network.shift.summary);

  // 6.2: amplification, when a co-action signal is part of the evidence.
  const Indicator* co = nullptr;
  for (const Indicator& ind : network.indicators)
    if (ind.signal.starts_with("co-")) {
      co = &ind;
      break;
    }
  if (co != nullptr) {
    std::map<std::string_view, uint64_t> by_procedure;  // amplify id -> accounts
    std::map<std::string_view, std::string_view> label;
    for (const auto& [platform, kinds] : assets)
      if (const PlatformProcedures* pp = ForPlatform(platform)) {
        by_procedure[pp->amplify] += kinds.contains(AccountKind::kAccount) ? kinds.at(AccountKind::kAccount) : 0;
        label[pp->amplify] = pp->label;
      }
    for (const auto& [id, n] : by_procedure)
      if (n >= 2)
        add(id, fmt::format("{} accounts on {} amplified the same content in concert", n, label[id]),
            fmt::format("{}: {}", co->signal, co->evidence));
  }

  // 7.1.1: ad spend by currency.
  std::map<std::string, double> spend;
  for (const AdSpend& ad : ds.ads)
    if (member_set.contains(ad.account) && ad.spend > 0) spend[std::string(ds.String(ad.currency))] += ad.spend;
  for (const auto& [currency, total] : spend)
    add("7.1.1", fmt::format("About {} in spending for ads{}", Thousands(total),
                             currency.empty() ? "" : ", paid for in " + currency),
        "ad spend of the network's accounts in the data");

  // 7.2: audience acquired.
  uint64_t page_followers = 0, instagram_followers = 0, twitter_followers = 0;
  for (AccountIndex a : members) {
    const Account& acc = ds.accounts[a];
    if (acc.followers <= 0) continue;
    const std::string platform = internal::AsciiLower(ds.String(acc.platform));
    if (acc.kind == AccountKind::kPage) page_followers += static_cast<uint64_t>(acc.followers);
    if (platform == "instagram" && acc.kind == AccountKind::kAccount)
      instagram_followers += static_cast<uint64_t>(acc.followers);
    if ((platform == "twitter" || platform == "x") && acc.kind == AccountKind::kAccount)
      twitter_followers += static_cast<uint64_t>(acc.followers);
  }
  if (page_followers > 0)
    add("7.2.2", fmt::format("About {} accounts followed one or more of these Pages", Thousands(page_followers)),
        "sum of the Pages' follower counts");
  if (instagram_followers > 0)
    add("7.2.4",
        fmt::format("About {} accounts followed one or more of these Instagram accounts", Thousands(instagram_followers)),
        "sum of the accounts' follower counts");
  if (twitter_followers > 0)
    add("7.2.5", fmt::format("About {} accounts followed one or more of these X accounts", Thousands(twitter_followers)),
        "sum of the accounts' follower counts");

  // 7.3.1: hashtags the network uses.
  size_t tags = 0;
  for (const CountShare& h : network.top_hashtags) {
    if (h.count < options.min_hashtag_uses || tags >= options.max_hashtags) continue;
    ++tags;
    add("7.3.1", h.name.starts_with('#') ? h.name : "#" + h.name, fmt::format("used {} times by the network", h.count));
  }

  // 7.3.3: comment raids on news outlets' posts.
  std::unordered_map<AccountIndex, std::pair<uint64_t, std::unordered_set<AccountIndex>>> on_outlet;  // comments, commenters
  for (size_t i = 0; i < ds.events.size(); ++i) {
    if (ds.events.type[i] != EventType::kComment || !member_set.contains(ds.events.account[i])) continue;
    const AccountIndex target = ds.events.target_account[i];
    if (!ds.IsAccount(target) || member_set.contains(target)) continue;
    auto& [comments, commenters] = on_outlet[target];
    ++comments;
    commenters.insert(ds.events.account[i]);
  }
  std::vector<AccountIndex> targets;
  for (const auto& [target, c] : on_outlet)
    if (c.first >= options.min_outlet_comments && c.second.size() >= options.min_outlet_commenters) targets.push_back(target);
  std::sort(targets.begin(), targets.end());
  std::vector<NewsOutlet> outlets = FindNewsOutlets(ds, targets, options);
  std::sort(outlets.begin(), outlets.end(), [&](const NewsOutlet& x, const NewsOutlet& y) {
    const uint64_t cx = on_outlet[x.account].first, cy = on_outlet[y.account].first;
    return cx != cy ? cx > cy : x.account < y.account;
  });
  if (outlets.size() > options.max_outlets) outlets.resize(options.max_outlets);
  for (const NewsOutlet& o : outlets) {
    const Account& acc = ds.accounts[o.account];
    std::string name(ds.String(acc.display_name));
    if (name.empty()) name = std::string(ds.String(acc.handle));
    if (name.empty()) name = std::string(ds.AccountId(o.account));
    const std::string site = o.domain != kNoString ? fmt::format(" ({})", DefangHost(ds.domains.Get(o.domain))) : "";
    const auto& [comments, commenters] = on_outlet[o.account];
    std::string why = !o.category.empty()
                          ? fmt::format("the data's category for it is {}", o.category)
                          : fmt::format("it publishes {} ({} of its {} links) and its profile names news",
                                        ds.domains.Get(o.domain), o.site_links, o.links);
    add("7.3.3", fmt::format("Commented on posts of the news outlet {}{}", name, site),
        fmt::format("{} comments by {} accounts of the network; a news outlet: {}", comments, commenters.size(), why));
  }

  // 9.1.1: personas changed by renaming accounts again and again.
  if (std::any_of(ds.profile_changes.begin(), ds.profile_changes.end(), [&](const ProfileChange& c) {
        return (c.field == ProfileField::kDisplayName || c.field == ProfileField::kHandle) && member_set.contains(c.account);
      })) {
    if (const ProfileSignal* signal = Profile(); signal != nullptr) {
      const ProfileSignal& profile = *signal;
      uint64_t renamed = 0, renames = 0, most = 0;
      for (AccountIndex a : members) {
        const uint32_t n = profile.renames()[a].renames;
        if (n < options.min_renames) continue;
        ++renamed;
        renames += n;
        most = std::max<uint64_t>(most, n);
      }
      if (renamed >= options.min_renamed_accounts && renamed > 0)
        add("9.1.1", fmt::format("{} {} renamed {} times between them", renamed, renamed == 1 ? "account" : "accounts", renames),
            fmt::format("display name or handle changes in the profile history (changes a minute apart count once), "
                        "{} or more per account, up to {}",
                        options.min_renames, most));
    }
  }

  std::stable_sort(rows.begin(), rows.end(), [](const KillChainRow& x, const KillChainRow& y) {
    return x.procedure - kProcedures < y.procedure - kProcedures;
  });
  return rows;
}

Status WriteKillChainCsv(const std::vector<KillChainRow>& rows, const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "w"), [](std::FILE* p) {
    return p ? std::fclose(p) : 0;
  });
  if (f == nullptr) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  fmt::print(f.get(), "Tactic,Technique,Procedure,Indicator,Notes\n");
  for (const KillChainRow& r : rows)
    fmt::print(f.get(), "{},{},{},{},{}\n", CsvField(r.procedure->tactic), CsvField(r.procedure->technique),
               CsvField(r.procedure->procedure), CsvField(r.indicator), CsvField(r.evidence));
  if (std::fclose(f.release()) != 0) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  return Status::Ok();
}

}  // namespace lockstep
