// The authentic population: many countries and time zones with human daily
// rhythms, heavy-tailed activity and audiences, journalists, news outlets and
// their newsrooms, viral cascades, trending hashtags, activist campaigns, and
// innocent shared infrastructure (university and office NATs, carrier CGNAT,
// family devices). Everything here is labelled authentic.
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include <fmt/format.h>

#include "lockstep/sim/scenario.h"
#include "lockstep/sim/world.h"

namespace lockstep {
namespace {

// Vose's alias method: O(n) build, O(1) draws from a discrete distribution.
class AliasTable {
 public:
  explicit AliasTable(const std::vector<double>& weights) {
    const size_t n = weights.size();
    prob_.resize(n);
    alias_.resize(n);
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> scaled(n);
    std::vector<uint32_t> small, large;
    for (size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / total;
      (scaled[i] < 1 ? small : large).push_back(static_cast<uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const uint32_t s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (uint32_t i : large) prob_[i] = 1, alias_[i] = i;
    for (uint32_t i : small) prob_[i] = 1, alias_[i] = i;
  }
  uint32_t Sample(Rng& rng) const {
    const uint32_t i = static_cast<uint32_t>(rng.Below(prob_.size()));
    return rng.Uniform() < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<uint32_t> alias_;
};

constexpr const char* kNewsDomains[] = {
    "nytimes.com", "bbc.co.uk", "theguardian.com", "spiegel.de", "lemonde.fr", "elpais.com", "globo.com",
    "reuters.com", "apnews.com", "aljazeera.com", "ndtv.com", "dawn.com", "punchng.com", "hurriyet.com.tr",
    "kompas.com", "rappler.com", "abc.net.au", "nation.africa", "bloomberg.com", "cnn.com", "lenta.ru", "clarin.com"};
constexpr const char* kOtherDomains[] = {"youtube.com", "instagram.com", "wikipedia.org", "medium.com", "substack.com",
                                         "twitch.tv",   "spotify.com",   "imdb.com",      "espn.com",   "reddit.com",
                                         "tiktok.com",  "github.com",    "amazon.com",    "etsy.com"};
constexpr const char* kOutletDomains[] = {"metroherald.com", "civicledger.org", "thedailycourier.net", "riverside-post.com",
                                          "northstar-times.com", "capitalobserver.com", "harborgazette.com",
                                          "valleytribune.net"};
constexpr const char* kCommonHashtags[] = {"news", "love", "football", "music", "tbt", "photography", "food",
                                           "travel", "mondaymotivation", "weekend", "health", "climate", "tech",
                                           "election", "politics", "fitness", "art", "cricket", "movies", "family"};
constexpr const char* kTrendWords[] = {"Final", "Awards", "Strike", "Storm", "Launch", "Verdict", "Derby", "Budget",
                                       "Summit", "Premiere", "Protest", "Outage", "Debate", "Transfer", "Festival"};
std::string ArticleUrl(Rng& rng, std::string_view domain, int64_t time) {
  const CivilTime c = ToCivil(time);
  return fmt::format("https://{}/{}/{:02}/{:x}", domain, c.year, c.month, rng.Next() & 0xffffffffffULL);
}

class AuthenticPopulation final : public Component {
 public:
  explicit AuthenticPopulation(const AuthenticParams& p) : p_(p), rng_(0) {}

  void Setup(World& w) override {
    rng_ = Rng(w.seed()).Fork(1);
    Rng& r = rng_;
    const auto countries = Countries();
    std::vector<double> cw;
    for (const CountryInfo& c : countries) cw.push_back(c.weight);
    AliasTable country_table(cw);
    const int64_t start = w.start();
    const int n = std::max(p_.accounts, 50);
    std::vector<double> weights;
    weights.reserve(static_cast<size_t>(n));
    people_by_country_.assign(countries.size(), {});
    for (int i = 0; i < n; ++i) {
      SimAccount a;
      a.country = static_cast<uint16_t>(country_table.Sample(r));
      a.claimed_country = a.country;
      a.name_seed = r.Next();
      const double pu = r.Uniform();
      a.platform = pu < 0.45 ? Platform::kFacebook : pu < 0.65 ? Platform::kInstagram : Platform::kTwitter;
      const double kind = r.Uniform();
      double weight = r.LogNormal(0, p_.activity_sigma);
      if (kind < 0.03) {
        a.kind = AccountKind::kPage;
        a.persona = Persona::kBusiness;
        a.platform = Platform::kFacebook;
        a.followers = static_cast<int64_t>(r.LogNormal(6, 1.6));
      } else if (kind < 0.04) {
        a.kind = AccountKind::kGroup;
        a.persona = Persona::kGroup;
        a.platform = Platform::kFacebook;
        a.followers = static_cast<int64_t>(r.LogNormal(5, 1.5));
        weight *= 0.05;
      } else {
        a.followers = std::min<int64_t>(static_cast<int64_t>(r.LogNormal(4.2, 1.8)), 80'000'000);
        if (a.followers > 100000) a.persona = Persona::kCelebrity;
      }
      a.following = static_cast<int64_t>(r.LogNormal(5, 1.1));
      // Three in four accounts predate the run; the rest join during it.
      a.created_at = r.Chance(0.75) ? start - static_cast<int64_t>(r.Between(30, 9 * 365) * 86400)
                                    : start + static_cast<int64_t>(r.Uniform() * 0.9 * (w.end() - start));
      a.image_hash = r.Chance(p_.default_avatar_fraction) ? kDefaultAvatar : r.Next();
      a.rhythm_shift_minutes = static_cast<int16_t>(std::clamp(r.Normal() * 60, -180.0, 180.0));
      a.tracked = a.followers >= 2000 || r.Chance(0.1);
      const uint32_t idx = w.AddAccount(a);
      weights.push_back(weight);
      if (a.kind == AccountKind::kGroup) groups_.push_back(idx);
      if (a.kind == AccountKind::kAccount) {
        w.AddAuthenticPerson(idx);
        people_by_country_[a.country].push_back(idx);
      }
      if (a.persona == Persona::kBusiness && r.Chance(0.3)) advertisers_.push_back(idx);
      if (a.kind == AccountKind::kAccount && r.Chance(p_.rename_fraction))
        renames_.push_back({static_cast<int>(r.Below(static_cast<uint64_t>(w.days()))), idx});
    }
    first_ = 0;
    count_ = static_cast<uint32_t>(n);
    actors_ = std::make_unique<AliasTable>(weights);
    std::sort(renames_.begin(), renames_.end());

    SetupJournalistsAndNewsrooms(w);
    SetupInfrastructure(w);
    SetupEvents(w);
  }

  void Day(World& w, int day) override {
    Rng& r = rng_;
    const int64_t day_start = w.DayStart(day);
    const int64_t day_end = day_start + 86400;
    const CivilTime c = ToCivil(day_start);
    const double season = 1 + 0.12 * std::sin(2 * M_PI * (static_cast<double>(day) / 365.25 + 0.3));
    const double weekday = c.weekday >= 5 ? 0.88 : 1.04;
    // Accounts not yet created are drawn and skipped; scale up to compensate.
    const uint64_t n = r.Poisson(p_.events_per_day * season * weekday * 1.08);
    for (uint64_t k = 0; k < n; ++k) {
      const uint32_t a = actors_->Sample(r);
      const SimAccount& acc = w.account(a);
      if (acc.created_at >= day_end) continue;
      const double offset = Countries()[acc.country].utc_offset_hours;
      const double sec = World::DrawSecondOfDay(r, World::HumanRhythm()) + acc.rhythm_shift_minutes * 60.0;
      int64_t t = day_start + Wrap(static_cast<int64_t>(sec - offset * 3600));
      if (t < acc.created_at) t = acc.created_at + static_cast<int64_t>(r.Below(3600));
      OrdinaryEvent(w, a, t);
    }
    for (uint32_t j : journalists_) JournalistDay(w, j, day);
    for (const Newsroom& nr : newsrooms_) NewsroomDay(w, nr, day);
    for (Cascade& cs : cascades_)
      if (cs.day == day) CascadeDay(w, cs);
    for (Trend& tr : trends_)
      if (tr.day == day) TrendDay(w, tr);
    for (Campaign& cp : campaigns_)
      if (cp.day == day) CampaignDay(w, cp);
    while (next_rename_ < renames_.size() && renames_[next_rename_].first == day) {
      const uint32_t a = renames_[next_rename_++].second;
      if (w.account(a).created_at < day_start) w.Rename(day_start + static_cast<int64_t>(r.Below(86400)), a);
    }
    if (c.weekday == 0)
      for (uint32_t a : advertisers_) {
        if (w.account(a).created_at > day_start || !r.Chance(0.5)) continue;
        const CountryInfo& ci = Countries()[w.account(a).country];
        w.Ad(day_start + static_cast<int64_t>(r.Below(86400)), a, std::round(r.LogNormal(4, 1) * 100) / 100, ci.currency);
      }
    // Infrastructure: each account is observed about every 180 days.
    for (uint32_t a = first_ + static_cast<uint32_t>(day % 180); a < first_ + count_; a += 180) {
      if (w.account(a).created_at > day_end || !r.Chance(0.85)) continue;
      Observe(w, a, std::max(day_start + static_cast<int64_t>(r.Below(86400)), w.account(a).created_at), day < 180);
    }
  }

  void Truth(const World& w, GroundTruth* truth) const override {
    for (const Newsroom& nr : newsrooms_) {
      GroupTruth g{nr.id, "newsroom", nr.staff, {nr.domain}};
      g.accounts.insert(g.accounts.begin(), nr.outlet);
      g.values.push_back(w.IpString(w.ip_groups()[nr.ip_group].first_ip));
      g.count = static_cast<int64_t>(g.accounts.size());
      truth->groups.push_back(std::move(g));
    }
    for (const Campaign& cp : campaigns_) {
      GroupTruth g{cp.id, "activist_campaign", cp.participants, {cp.hashtag}, cp.time};
      g.count = static_cast<int64_t>(cp.participants.size());
      truth->groups.push_back(std::move(g));
    }
    for (const Cascade& cs : cascades_) {
      if (cs.post == 0) continue;
      GroupTruth g{cs.id, "viral_cascade", {cs.author}, {World::EventIdString(cs.post)}, cs.time};
      g.count = cs.sharers;
      truth->groups.push_back(std::move(g));
    }
    for (const Trend& tr : trends_) {
      GroupTruth g{tr.id, "trending_hashtag", {}, {tr.hashtag}, tr.time};
      g.count = tr.users;
      truth->groups.push_back(std::move(g));
    }
    for (size_t i = 1; i < w.ip_groups().size(); ++i) {
      const IpGroup& ig = w.ip_groups()[i];
      if (ig.name.empty()) continue;
      GroupTruth g;
      g.id = ig.name;
      g.kind = ig.kind == IpGroupKind::kUniversity ? "university_nat"
               : ig.kind == IpGroupKind::kOffice   ? "office_nat"
                                                   : "cgnat";
      for (uint32_t k = 0; k < ig.ip_count; ++k) g.values.push_back(World::IpString(ig.first_ip + k));
      if (ig.kind != IpGroupKind::kCarrier) g.accounts = ip_members_[i];
      g.count = ip_member_counts_[i];
      truth->groups.push_back(std::move(g));
    }
    for (size_t f = 0; f < families_.size(); ++f) {
      GroupTruth g{fmt::format("family_device_{}", f + 1), "family_device", families_[f], {FamilyDevice(w, f)}};
      g.count = static_cast<int64_t>(families_[f].size());
      truth->groups.push_back(std::move(g));
    }
  }

  static constexpr uint64_t kDefaultAvatar = 0x8000c3c3c3c30001ULL;

 private:
  struct Newsroom {
    std::string id;
    uint32_t outlet;
    std::vector<uint32_t> staff;
    std::string domain;
    uint32_t ip_group;
  };
  struct Cascade {
    std::string id;
    int day;
    double fraction;
    uint64_t post = 0;
    uint32_t author = 0;
    int64_t time = kNoTime;
    int64_t sharers = 0;
  };
  struct Trend {
    std::string id;
    int day;
    std::string hashtag;
    double fraction;
    int64_t time = kNoTime;
    int64_t users = 0;
  };
  struct Campaign {
    std::string id;
    int day;
    std::string hashtag;
    std::string suggested_text;
    uint16_t country;
    std::vector<uint32_t> participants;
    int64_t time = kNoTime;
  };

  static int64_t Wrap(int64_t s) { return ((s % 86400) + 86400) % 86400; }

  std::string FamilyDevice(const World& w, size_t f) const { return World::HexString(Mix64(w.seed() ^ (0xfa000000ULL + f))); }

  uint32_t PersonIn(int country) {
    auto& v = people_by_country_[static_cast<size_t>(country)];
    if (v.empty()) return w_people_fallback_;
    return v[rng_.Below(v.size())];
  }

  int BusyCountry() {
    // A country with enough people for a group drawn from it.
    size_t best = 0;
    for (size_t c = 0; c < people_by_country_.size(); ++c)
      if (rng_.Chance(0.5) && people_by_country_[c].size() > people_by_country_[best].size() / 3) best = c;
    return static_cast<int>(best);
  }

  void SetupJournalistsAndNewsrooms(World& w) {
    Rng& r = rng_;
    w_people_fallback_ = w.people().empty() ? 0 : w.people()[0];
    for (int j = 0; j < p_.journalists; ++j) {
      const uint32_t a = w.people()[r.Below(w.people().size())];
      SimAccount& acc = w.account(a);
      acc.persona = Persona::kJournalist;
      acc.followers = static_cast<int64_t>(r.Between(5000, 250000));
      acc.tracked = true;
      acc.platform = Platform::kTwitter;
      acc.created_at = std::min(acc.created_at, w.start() - 365 * 86400);
      journalists_.push_back(a);
    }
    for (int k = 0; k < p_.newsrooms; ++k) {
      Newsroom nr;
      nr.id = fmt::format("newsroom_{}", k + 1);
      nr.domain = k < static_cast<int>(std::size(kOutletDomains))
                      ? kOutletDomains[k]
                      : fmt::format("{}{}", kOutletDomains[k % std::size(kOutletDomains)], k);
      const int country = BusyCountry();
      SimAccount outlet;
      outlet.country = outlet.claimed_country = static_cast<uint16_t>(country);
      outlet.kind = AccountKind::kPage;
      outlet.persona = Persona::kOutlet;
      outlet.platform = r.Chance(0.5) ? Platform::kFacebook : Platform::kTwitter;
      outlet.name_seed = r.Next();
      outlet.followers = static_cast<int64_t>(r.Between(50000, 3000000));
      outlet.following = static_cast<int64_t>(r.Between(50, 900));
      outlet.created_at = w.start() - static_cast<int64_t>(r.Between(3, 10) * 365 * 86400);
      outlet.image_hash = r.Next();
      outlet.tracked = true;
      nr.outlet = w.AddAccount(outlet);
      IpGroup office;
      office.kind = IpGroupKind::kOffice;
      office.country = static_cast<uint16_t>(country);
      office.first_ip = static_cast<uint32_t>(r.Next() & 0xffffff00u) | 0x0aU;
      office.ip_count = 1;
      office.name = fmt::format("office_nat_{}_newsroom", k + 1);
      nr.ip_group = static_cast<uint32_t>(w.ip_groups().size());
      w.ip_groups().push_back(office);
      const int staff = static_cast<int>(r.Range(8, 25));
      for (int s = 0; s < staff; ++s) {
        const uint32_t a = PersonIn(country);
        if (std::find(nr.staff.begin(), nr.staff.end(), a) != nr.staff.end()) continue;
        w.account(a).ip_group = nr.ip_group;
        if (s < 3) w.account(a).persona = Persona::kJournalist;
        nr.staff.push_back(a);
      }
      newsrooms_.push_back(std::move(nr));
    }
  }

  void SetupInfrastructure(World& w) {
    Rng& r = rng_;
    auto new_group = [&](IpGroupKind kind, int country, uint32_t ips, std::string name) {
      IpGroup g;
      g.kind = kind;
      g.country = static_cast<uint16_t>(country);
      g.first_ip = static_cast<uint32_t>(r.Next() & 0xfffff000u) + 16;
      g.ip_count = ips;
      g.name = std::move(name);
      w.ip_groups().push_back(std::move(g));
      return static_cast<uint32_t>(w.ip_groups().size() - 1);
    };
    const size_t people = w.people().size();
    for (int u = 0; u < p_.universities; ++u) {
      const int country = BusyCountry();
      const uint32_t g = new_group(IpGroupKind::kUniversity, country, static_cast<uint32_t>(r.Range(2, 4)),
                                   fmt::format("university_nat_{}", u + 1));
      const int size = static_cast<int>(std::min<double>(r.Range(150, 600), people / 8.0));
      for (int s = 0; s < size; ++s) {
        const uint32_t a = PersonIn(country);
        if (w.account(a).ip_group == 0) w.account(a).ip_group = g;
      }
    }
    for (int o = 0; o < p_.offices; ++o) {
      const int country = BusyCountry();
      const uint32_t g =
          new_group(IpGroupKind::kOffice, country, static_cast<uint32_t>(r.Range(1, 2)), fmt::format("office_nat_{}", o + 1));
      const int size = static_cast<int>(std::min<double>(r.Range(20, 150), people / 20.0));
      for (int s = 0; s < size; ++s) {
        const uint32_t a = PersonIn(country);
        if (w.account(a).ip_group == 0) w.account(a).ip_group = g;
      }
    }
    // Mobile carriers: two per country, each a CGNAT pool shared by thousands.
    const size_t nc = Countries().size();
    std::vector<std::vector<uint32_t>> carrier_users(nc * 2);
    for (uint32_t a : w.people())
      if (w.account(a).ip_group == 0 && r.Chance(p_.mobile_fraction))
        carrier_users[w.account(a).country * 2 + r.Below(2)].push_back(a);
    for (size_t c = 0; c < carrier_users.size(); ++c) {
      if (carrier_users[c].empty()) continue;
      const uint32_t ips = static_cast<uint32_t>(
          std::max<size_t>(1, carrier_users[c].size() / static_cast<size_t>(std::max(1, p_.users_per_cgnat_ip))));
      const uint32_t g = new_group(IpGroupKind::kCarrier, static_cast<int>(c / 2), ips,
                                   fmt::format("cgnat_{}_{}", Countries()[c / 2].code, c % 2 + 1));
      for (uint32_t a : carrier_users[c]) w.account(a).ip_group = g;
    }
    ip_members_.assign(w.ip_groups().size(), {});
    ip_member_counts_.assign(w.ip_groups().size(), 0);
    for (uint32_t a : w.people()) {
      const uint32_t g = w.account(a).ip_group;
      ip_member_counts_[g]++;
      if (g != 0 && w.ip_groups()[g].kind != IpGroupKind::kCarrier) ip_members_[g].push_back(a);
    }
    for (const Newsroom& nr : newsrooms_) ip_members_[nr.ip_group] = nr.staff, ip_member_counts_[nr.ip_group] = static_cast<int64_t>(nr.staff.size());
    // Families of 2 to 4 share one device.
    for (size_t c = 0; c < nc; ++c) {
      auto& v = people_by_country_[c];
      size_t i = 0;
      while (i + 4 < v.size()) {
        if (!r.Chance(p_.family_fraction / 3)) {
          ++i;
          continue;
        }
        const size_t size = static_cast<size_t>(r.Range(2, 4));
        std::vector<uint32_t> fam;
        for (size_t k = 0; k < size; ++k) {
          const uint32_t a = v[i + k];
          if (w.account(a).device_group != 0 || w.account(a).persona != Persona::kPerson) continue;
          fam.push_back(a);
        }
        if (fam.size() >= 2) {
          for (uint32_t a : fam) w.account(a).device_group = static_cast<uint32_t>(families_.size() + 1);
          families_.push_back(std::move(fam));
        }
        i += size;
      }
    }
  }

  void SetupEvents(World& w) {
    Rng& r = rng_;
    const int days = w.days();
    for (int k = 0; k < p_.viral_cascades; ++k)
      cascades_.push_back({fmt::format("viral_cascade_{}", k + 1), static_cast<int>(r.Range(7, days - 2)),
                           k == 0 ? p_.cascade_fraction_max : r.Between(p_.cascade_fraction_min, p_.cascade_fraction_max)});
    for (int k = 0; k < p_.trending_hashtags; ++k) {
      const std::string tag = fmt::format("{}{}", kTrendWords[r.Below(std::size(kTrendWords))], 2019 + r.Below(6));
      trends_.push_back({fmt::format("trending_hashtag_{}", k + 1), static_cast<int>(r.Range(3, days - 3)),
                         fmt::format("{}{}", tag, k), r.Between(0.005, 0.03)});
    }
    for (int k = 0; k < p_.activist_campaigns; ++k) {
      Campaign cp;
      cp.id = fmt::format("activist_campaign_{}", k + 1);
      cp.day = static_cast<int>(r.Range(30, days - 5));
      cp.country = static_cast<uint16_t>(BusyCountry());
      static constexpr const char* kCauses[] = {"SaveOurRiver", "JusticeFor", "FreeThePress", "StopTheCuts",
                                                "ClimateStrike", "FundOurSchools", "NoToTheDam", "FairWagesNow"};
      cp.hashtag = fmt::format("{}{}", kCauses[r.Below(std::size(kCauses))], k + 1);
      cp.suggested_text = w.Text(r, Countries()[cp.country].language, 10, 16);
      const size_t size = std::clamp<size_t>(static_cast<size_t>(0.012 * w.people().size()), 30, 400);
      std::unordered_set<uint32_t> taken;
      for (size_t s = 0; s < 20 * size && cp.participants.size() < size; ++s) {
        const uint32_t a = r.Chance(0.8) ? PersonIn(cp.country) : w.people()[r.Below(w.people().size())];
        if (taken.insert(a).second) cp.participants.push_back(a);
      }
      campaigns_.push_back(std::move(cp));
    }
  }

  void Observe(World& w, uint32_t a, int64_t t, bool first) {
    Rng& r = rng_;
    const SimAccount& acc = w.account(a);
    const IpGroup& g = w.ip_groups()[acc.ip_group];
    uint32_t ip;
    int country = acc.country;
    if (acc.ip_group == 0) {
      // A home line: the account's own address, renumbered now and then.
      ip = static_cast<uint32_t>(Mix64(acc.name_seed + static_cast<uint64_t>(t / (400 * 86400))) & 0xdfffffffu) | 0x01000000u;
    } else {
      ip = g.first_ip + static_cast<uint32_t>(r.Below(g.ip_count));
      country = g.country;
    }
    w.Infra(t, a, InfraKind::kIp, World::IpString(ip), country);
    if (first || r.Chance(0.5)) {
      const uint64_t dev =
          acc.device_group != 0 ? Mix64(w.seed() ^ (0xfa000000ULL + acc.device_group - 1)) : Mix64(acc.name_seed ^ 0xde71ceULL);
      w.Infra(t, a, InfraKind::kDevice, World::HexString(dev), -1);
    }
    if (first) {
      const uint64_t h = Mix64(acc.name_seed ^ 0xe3a1ULL);
      std::string email = g.kind == IpGroupKind::kUniversity ? fmt::format("uni{}.edu", acc.ip_group)
                          : g.kind == IpGroupKind::kOffice   ? fmt::format("corp{}.com", acc.ip_group)
                                                             : CommonEmailDomains()[h % CommonEmailDomains().size()];
      w.Infra(t, a, InfraKind::kEmailDomain, email, -1);
      w.Infra(t, a, InfraKind::kUserAgent, CommonUserAgents()[(h >> 8) % CommonUserAgents().size()], -1);
    }
  }

  std::string Hashtags(World& w) {
    Rng& r = rng_;
    if (r.Chance(0.72)) return {};
    std::string s = kCommonHashtags[r.Below(std::size(kCommonHashtags))];
    if (r.Chance(0.25)) s.append(" ").append(kCommonHashtags[r.Below(std::size(kCommonHashtags))]);
    return s;
  }

  std::string RandomUrl(int64_t t) {
    Rng& r = rng_;
    if (r.Chance(0.6)) return ArticleUrl(r, kNewsDomains[r.Below(std::size(kNewsDomains))], t);
    return fmt::format("https://{}/{:x}", kOtherDomains[r.Below(std::size(kOtherDomains))], r.Next() & 0xffffffffULL);
  }

  void OrdinaryEvent(World& w, uint32_t a, int64_t t) {
    Rng& r = rng_;
    const SimAccount& acc = w.account(a);
    const char* lang = World::LanguageOf(acc);
    if (acc.kind == AccountKind::kGroup) {
      SimEvent& e = w.Emit(t, a, EventType::kPost);
      e.text = w.Text(r, lang, 6, 18);
      return;
    }
    double u = r.Uniform();
    if (acc.kind == AccountKind::kPage) u = u < 0.85 ? 0 : 0.3;
    const PostRef* target = nullptr;
    if (u >= 0.28 && u < 0.94) target = r.Chance(0.55) ? w.PopularPost(r) : w.RecentPost(r);
    if (u < 0.28 || (u < 0.94 && target == nullptr)) {
      SimEvent& e = w.Emit(t, a, EventType::kPost);
      e.text = w.Text(r, lang, 4, 24);
      if (r.Chance(0.25)) e.urls = RandomUrl(t);
      e.hashtags = Hashtags(w);
    } else if (u < 0.50) {
      SimEvent& e = w.Emit(t, a, EventType::kShare);
      e.target_post = target->id;
      e.target_account = target->author;
      e.urls = target->urls;
      if (r.Chance(0.15)) e.text = w.Text(r, lang, 2, 10);
    } else if (u < 0.64) {
      SimEvent& e = w.Emit(t, a, EventType::kComment);
      e.target_post = target->id;
      e.target_account = target->author;
      e.text = w.Text(r, lang, 2, 14);
    } else if (u < 0.94) {
      SimEvent& e = w.Emit(t, a, EventType::kLike);
      e.target_post = target->id;
      e.target_account = target->author;
    } else if (u < 0.99 || groups_.empty()) {
      const PostRef* p = w.PopularPost(r);
      const uint32_t followee = p != nullptr && r.Chance(0.6) ? p->author : w.people()[r.Below(w.people().size())];
      if (followee == a) return;
      SimEvent& e = w.Emit(t, a, EventType::kFollow);
      e.target_account = followee;
    } else {
      SimEvent& e = w.Emit(t, a, EventType::kJoin);
      e.target_account = groups_[r.Below(groups_.size())];
    }
  }

  void JournalistDay(World& w, uint32_t j, int day) {
    Rng& r = rng_;
    const SimAccount& acc = w.account(j);
    const double offset = Countries()[acc.country].utc_offset_hours;
    const bool busy = r.Chance(0.12);
    const uint64_t n = busy ? static_cast<uint64_t>(r.Range(70, 130)) : r.Poisson(5);
    static const std::array<double, 24> kWorkday = {0.2, 0.1, 0,   0,   0,   0.1, 0.5, 1.5, 3,   3.5, 3.5, 3.5,
                                                    3,   3.2, 3.5, 3.5, 3.3, 3,   2.8, 2.5, 2.2, 1.8, 1.2, 0.6};
    for (uint64_t k = 0; k < n; ++k) {
      const double sec = World::DrawSecondOfDay(r, kWorkday);
      const int64_t t = w.DayStart(day) + Wrap(static_cast<int64_t>(sec - offset * 3600));
      const PostRef* target = r.Chance(0.3) ? w.RecentPost(r) : nullptr;
      if (target != nullptr) {
        SimEvent& e = w.Emit(t, j, EventType::kShare);
        e.target_post = target->id;
        e.target_account = target->author;
        e.urls = target->urls;
      } else {
        SimEvent& e = w.Emit(t, j, EventType::kPost);
        e.text = w.Text(r, World::LanguageOf(acc), 8, 30);
        if (r.Chance(0.5)) e.urls = RandomUrl(t);
        if (busy && r.Chance(0.3)) e.hashtags = "breaking";
      }
    }
  }

  void NewsroomDay(World& w, const Newsroom& nr, int day) {
    Rng& r = rng_;
    const SimAccount& outlet = w.account(nr.outlet);
    const double offset = Countries()[outlet.country].utc_offset_hours;
    const bool workday = ToCivil(w.DayStart(day) + static_cast<int64_t>(12 * 3600 - offset * 3600)).weekday < 5;
    const uint64_t n = r.Poisson(12);
    for (uint64_t k = 0; k < n; ++k) {
      const double local = r.Between(6, 22) * 3600;
      const int64_t t = w.LocalToUtc(day, local, offset);
      SimEvent& post = w.Emit(t, nr.outlet, EventType::kPost);
      post.text = w.Text(r, World::LanguageOf(outlet), 8, 16);
      post.urls = ArticleUrl(r, nr.domain, t);
      const uint64_t pid = post.id;
      const std::string url = post.urls;
      // Staff share their outlet's links during office hours.
      if (!workday || local < 9 * 3600 || local > 18 * 3600) continue;
      for (uint32_t s : nr.staff) {
        if (!r.Chance(0.25) || w.account(s).created_at > t) continue;
        SimEvent& e = w.Emit(t + 20 + static_cast<int64_t>(r.Exponential(25 * 60)), s, EventType::kShare);
        e.target_post = pid;
        e.target_account = nr.outlet;
        e.urls = url;
        if (r.Chance(0.3)) e.text = w.Text(r, World::LanguageOf(w.account(s)), 2, 8);
      }
    }
  }

  void CascadeDay(World& w, Cascade& cs) {
    Rng& r = rng_;
    const int day = cs.day;
    const PostRef* popular = w.PopularPost(r);
    // The cascade is an authentic look-alike: its author is never a planted
    // network's member (a troll's popular post would make it one).
    const bool from_popular = popular != nullptr && r.Chance(0.7) && w.account(popular->author).network == 0;
    uint32_t author = from_popular ? popular->author : w.RandomPerson(r, w.DayStart(day));
    if (author == kNoAccountIndex) return;
    const SimAccount& acc = w.account(author);
    const int64_t t0 = w.DayStart(day) + static_cast<int64_t>(r.Between(0.1, 0.6) * 86400);
    SimEvent& post = w.Emit(t0, author, EventType::kPost);
    post.text = w.Text(r, World::LanguageOf(acc), 6, 20);
    if (r.Chance(0.6)) post.urls = RandomUrl(t0);
    cs.post = post.id;
    cs.author = author;
    cs.time = t0;
    const std::string urls = post.urls;
    const size_t n = static_cast<size_t>(cs.fraction * static_cast<double>(w.people().size()));
    for (size_t k = 0; k < n; ++k) {
      const int64_t delay = r.Chance(0.8) ? static_cast<int64_t>(3 + r.Exponential(180))
                                          : static_cast<int64_t>(r.Exponential(4 * 3600));
      const uint32_t a = w.RandomPerson(r, t0);
      if (a == kNoAccountIndex || a == author) continue;
      const double u = r.Uniform();
      SimEvent& e = w.Emit(t0 + delay, a, u < 0.75 ? EventType::kShare : u < 0.85 ? EventType::kComment : EventType::kLike);
      e.target_post = cs.post;
      e.target_account = author;
      if (e.type == EventType::kShare) e.urls = urls, ++cs.sharers;
      if (e.type == EventType::kComment) e.text = w.Text(r, World::LanguageOf(w.account(a)), 1, 8);
    }
  }

  void TrendDay(World& w, Trend& tr) {
    Rng& r = rng_;
    tr.time = w.DayStart(tr.day) + static_cast<int64_t>(r.Uniform() * 86400);
    const size_t n = static_cast<size_t>(tr.fraction * static_cast<double>(w.people().size()));
    for (size_t k = 0; k < n; ++k) {
      const int64_t t = tr.time + static_cast<int64_t>(r.Exponential(6 * 3600) + r.Uniform() * 3 * 3600);
      const uint32_t a = w.RandomPerson(r, t);
      if (a == kNoAccountIndex) continue;
      SimEvent& e = w.Emit(t, a, EventType::kPost);
      e.text = w.Text(r, World::LanguageOf(w.account(a)), 3, 18);
      e.hashtags = tr.hashtag;
      if (r.Chance(0.3)) e.hashtags.append(" ").append(kCommonHashtags[r.Below(std::size(kCommonHashtags))]);
      ++tr.users;
    }
  }

  void CampaignDay(World& w, Campaign& cp) {
    Rng& r = rng_;
    const double offset = Countries()[cp.country].utc_offset_hours;
    cp.time = w.LocalToUtc(cp.day, 19 * 3600, offset);
    for (uint32_t a : cp.participants) {
      if (w.account(a).created_at > cp.time || !r.Chance(0.9)) continue;
      const int64_t t = cp.time + static_cast<int64_t>(r.Chance(0.85) ? r.Exponential(240) : r.Exponential(3 * 3600));
      SimEvent& e = w.Emit(t, a, EventType::kPost);
      const char* lang = Countries()[cp.country].language;
      e.text = r.Chance(0.35) ? w.LightEdit(r, cp.suggested_text, lang) : w.Text(r, lang, 5, 20);
      e.language = lang;
      e.hashtags = cp.hashtag;
      if (r.Chance(0.3)) e.urls = ArticleUrl(r, kNewsDomains[r.Below(std::size(kNewsDomains))], t);
    }
  }

  AuthenticParams p_;
  Rng rng_;
  uint32_t first_ = 0, count_ = 0;
  uint32_t w_people_fallback_ = 0;
  std::unique_ptr<AliasTable> actors_;
  std::vector<uint32_t> groups_, journalists_, advertisers_;
  std::vector<std::vector<uint32_t>> people_by_country_;
  std::vector<std::pair<int, uint32_t>> renames_;
  size_t next_rename_ = 0;
  std::vector<Newsroom> newsrooms_;
  std::vector<Cascade> cascades_;
  std::vector<Trend> trends_;
  std::vector<Campaign> campaigns_;
  std::vector<std::vector<uint32_t>> ip_members_;
  std::vector<int64_t> ip_member_counts_;
  std::vector<std::vector<uint32_t>> families_;
};

}  // namespace

std::unique_ptr<Component> MakeAuthenticPopulation(const AuthenticParams& params) {
  return std::make_unique<AuthenticPopulation>(params);
}

}  // namespace lockstep
