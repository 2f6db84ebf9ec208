// The planted operations, one Component per family. Each carries the signals
// a detector uses (co-posting within seconds to minutes, near-duplicate texts,
// shared devices and IPs, creation bursts, the operators' rhythm, renames,
// reused profile images, low audiences, affiliated domains) in its own mix.
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include <fmt/format.h>

#include "lockstep/sim/scenario.h"
#include "lockstep/sim/world.h"

namespace lockstep {
namespace {

// Troll farm operators: morning spike, lunch dip, evening spike, night pause.
const std::array<double, 24> kShift = {0, 0, 0, 0, 0, 0, 0, 0.3, 1.5, 3.5, 4.0, 3.2,
                                       0.9, 0.9, 2.5, 2.5, 2.3, 2.6, 3.6, 4.2, 3.8, 2.0, 0.5, 0.05};
// Office hours, for operators who keep them.
const std::array<double, 24> kOffice = {0, 0, 0, 0, 0, 0, 0, 0, 0.5, 3, 3.5, 3.5, 2, 3, 3.5, 3.5, 3, 1.5, 0.3, 0, 0, 0, 0, 0};
const std::array<double, 24> kFlat = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

int64_t WrapDay(int64_t s) { return ((s % 86400) + 86400) % 86400; }

// Shared machinery of a planted network: members, truth, infrastructure pools.
class Operation : public Component {
 public:
  void SetCoordination(const CoordinationParams& c) { coord_ = c; }

  // The family's day, then ordinary activity of the members in proportion to
  // what the family emitted, so that organic_share of the events are ordinary.
  void Day(World& w, int day) final {
    const uint64_t before = w.events_emitted();
    FamilyDay(w, day);
    const double s = std::clamp(coord_.organic_share, 0.0, 0.85);
    if (organic_in_family_ || s <= 0) return;
    const uint64_t coordinated = w.events_emitted() - before;
    if (coordinated == 0) return;
    const uint64_t n = rng_.Poisson(static_cast<double>(coordinated) * s / (1 - s));
    for (uint64_t k = 0; k < n; ++k) OrganicEvent(w, day);
  }

 protected:
  virtual void FamilyDay(World& w, int day) = 0;

  // One ordinary event by a random member: in the claimed country's daily
  // rhythm, its own text, or a like, share or comment of a popular post.
  void OrganicEvent(World& w, int day) {
    Rng& r = rng_;
    const uint32_t a = RandomMember();
    const SimAccount& acc = w.account(a);
    const double offset = Countries()[acc.claimed_country].utc_offset_hours;
    const double sec = World::DrawSecondOfDay(r, World::HumanRhythm()) + acc.rhythm_shift_minutes * 60.0;
    const int64_t t = w.DayStart(day) + WrapDay(static_cast<int64_t>(sec - offset * 3600));
    if (t < acc.created_at) return;
    const char* lang = Countries()[acc.claimed_country].language;
    const PostRef* p = r.Chance(0.15) ? w.OutletPost(r) : w.PopularPost(r);
    if (p == nullptr || r.Chance(0.4)) {
      SimEvent& e = w.Emit(t, a, EventType::kPost);
      e.text = w.Text(r, lang, 4, 20);
      e.language = lang;
      return;
    }
    const double u = r.Uniform();
    SimEvent& e = w.Emit(std::max(t, p->time + 30), a, u < 0.45 ? EventType::kLike : u < 0.8 ? EventType::kShare : EventType::kComment);
    e.target_post = p->id;
    e.target_account = p->author;
    if (e.type == EventType::kShare) e.urls = p->urls;
    if (e.type == EventType::kComment) {
      e.text = w.Text(r, lang, 3, 14);
      e.language = lang;
    }
  }

  // The text of one coordinated copy: paraphrased for paraphrase_share of
  // the copies, else lightly edited.
  std::string CopyText(World& w, std::string_view text, std::string_view lang) {
    if (coord_.paraphrase_share > 0 && rng_.Chance(coord_.paraphrase_share))
      return w.Paraphrase(rng_, text, lang, rng_.Between(0.25, 0.5));
    return w.LightEdit(rng_, text, lang);
  }

  Operation(std::string network_id, Family family) : rng_(0) {
    truth_.network_id = std::move(network_id);
    truth_.family = std::string(Name(family));
  }

  void Begin(World& w, uint64_t stream) {
    uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a of the network id: two networks of one family differ
    for (char c : truth_.network_id) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
    rng_ = Rng(w.seed()).Fork(stream ^ h);
    network_ = w.AddNetwork(truth_.network_id);
  }

  // A member account: placed in `origin` by the platform, claiming `claimed`,
  // created at `created`, with a small audience.
  uint32_t AddMember(World& w, int origin, int claimed, int64_t created, Platform platform,
                     AccountKind kind = AccountKind::kAccount) {
    SimAccount a;
    a.country = static_cast<uint16_t>(origin);
    a.claimed_country = static_cast<uint16_t>(claimed);
    a.created_at = created;
    a.platform = platform;
    a.kind = kind;
    a.persona = kind == AccountKind::kPage ? Persona::kBusiness : kind == AccountKind::kGroup ? Persona::kGroup : Persona::kPerson;
    a.name_seed = rng_.Next();
    a.followers = static_cast<int64_t>(rng_.LogNormal(kind == AccountKind::kAccount ? 3.3 : 4.5, 0.9));
    a.following = static_cast<int64_t>(rng_.LogNormal(5.3, 0.8));
    a.image_hash = rng_.Next();
    a.rhythm_shift_minutes = static_cast<int16_t>(std::clamp(rng_.Normal() * 60, -180.0, 180.0));
    a.network = network_;
    a.tracked = a.followers >= 2000 || rng_.Chance(0.1);
    const uint32_t i = w.AddAccount(a);
    members_.push_back(i);
    truth_.members.push_back(i);
    truth_.created_from = truth_.created_from == kNoTime ? created : std::min(truth_.created_from, created);
    truth_.created_to = truth_.created_to == kNoTime ? created : std::max(truth_.created_to, created);
    return i;
  }

  uint32_t RandomMember() { return members_[rng_.Below(members_.size())]; }

  std::vector<uint32_t> DistinctMembers(size_t k, const std::vector<uint32_t>& from) {
    k = std::min(k, from.size());
    std::vector<uint32_t> out;
    while (out.size() < k) {
      const uint32_t a = from[rng_.Below(from.size())];
      if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    }
    return out;
  }

  std::string Url(const std::string& domain) { return fmt::format("https://{}/{:x}", domain, rng_.Next() & 0xffffffffULL); }

  // An infrastructure observation of `account` from one of the pools.
  // The first observation of an account also records its email domain and
  // user agent, as for authentic accounts; some networks register with one
  // throwaway mail domain.
  void ObserveFrom(World& w, uint32_t account, int64_t t, const std::string& ip_in, const std::string& device_in,
                   int country) {
    std::string ip = ip_in, device = device_in;
    if (coord_.drawn && coord_.infra != InfraMode::kExact) {
      // Each account its own device; its IP either its own residential line
      // or a host in one of the network's hosting /24s.
      const uint64_t h = Mix64(subnet_salt() ^ account);
      device = World::HexString(h);
      if (coord_.infra == InfraMode::kSubnet) {
        const uint32_t net = subnets_[(h >> 8) % subnets_.size()];
        ip = World::IpString(net | static_cast<uint32_t>(2 + (h >> 16) % 252));
      } else {
        ip = World::IpString(static_cast<uint32_t>(Mix64(h) & 0xdfffffffu) | 0x01000000u);
      }
    }
    if (observed_.insert(account).second) {
      if (mail_domain_.empty()) mail_domain_ = fmt::format("inbox{}.xyz", rng_.Below(1000));
      const auto mails = CommonEmailDomains();
      // Networks without shared infrastructure do not share a mail domain either.
      const double throwaway = !coord_.drawn || coord_.infra == InfraMode::kExact ? 0.3
                               : coord_.infra == InfraMode::kSubnet            ? 0.1
                                                                               : 0.0;
      w.Infra(t, account, InfraKind::kEmailDomain, rng_.Chance(throwaway) ? mail_domain_ : mails[rng_.Below(mails.size())], -1);
      const auto agents = CommonUserAgents();
      w.Infra(t, account, InfraKind::kUserAgent, agents[rng_.Below(agents.size())], -1);
    }
    w.Infra(t, account, InfraKind::kIp, ip, country);
    if (!device.empty()) w.Infra(t, account, InfraKind::kDevice, device, -1);
  }

  void Truth(const World& w, GroundTruth* truth) const override { truth->networks.push_back(truth_); }

  uint64_t subnet_salt() {
    if (subnets_.empty()) {
      salt_ = rng_.Next();
      const int n = static_cast<int>(rng_.Range(1, 3));
      for (int i = 0; i < n; ++i) subnets_.push_back(static_cast<uint32_t>(Mix64(salt_ + static_cast<uint64_t>(i)) & 0x7fffff00u) | 0x05000000u);
    }
    return salt_;
  }

  CoordinationParams coord_;
  bool organic_in_family_ = false;  // the family draws its own organic share (camouflaged)
  uint64_t salt_ = 0;
  std::vector<uint32_t> subnets_;
  Rng rng_;
  uint32_t network_ = 0;
  std::vector<uint32_t> members_;
  NetworkTruth truth_;
  std::unordered_set<uint32_t> observed_;
  std::string mail_domain_;
};

// ---------------------------------------------------------------- troll farm

class TrollFarm final : public Operation {
 public:
  TrollFarm(std::string id, TrollFarmParams p) : Operation(std::move(id), Family::kTrollFarm), p_(std::move(p)) {}

  void Setup(World& w) override {
    Begin(w, 101);
    Rng& r = rng_;
    const int64_t burst_start = w.DayStart(std::max(0, p_.start_day - p_.created_burst_days - 3)) -
                                static_cast<int64_t>(p_.start_day < p_.created_burst_days + 3 ? 20 * 86400 : 0);
    const int regular = std::max(1, p_.accounts - p_.pages - p_.groups - p_.real_members);
    for (int i = 0; i < regular + p_.pages + p_.groups; ++i) {
      const AccountKind kind = i < regular ? AccountKind::kAccount : i < regular + p_.pages ? AccountKind::kPage : AccountKind::kGroup;
      const Platform pl = kind != AccountKind::kAccount || r.Chance(0.7) ? Platform::kFacebook : Platform::kInstagram;
      const int64_t created = burst_start + static_cast<int64_t>(r.Uniform() * p_.created_burst_days * 86400);
      const uint32_t a = AddMember(w, p_.origin, p_.target, created, pl, kind);
      (kind == AccountKind::kAccount ? accounts_ : kind == AccountKind::kPage ? pages_ : groups_).push_back(a);
    }
    for (int i = 0; i < p_.real_members; ++i) {
      const int64_t created = w.start() - static_cast<int64_t>(r.Between(400, 3000) * 86400);
      const uint32_t a = AddMember(w, p_.origin, p_.origin, created, Platform::kFacebook);
      w.account(a).followers = static_cast<int64_t>(r.LogNormal(5, 1));
      real_.push_back(a);
      truth_.real_members.push_back(a);
    }
    // Many-to-many: every account is run from 1 to 3 of the farm's devices.
    for (int d = 0; d < p_.devices; ++d) devices_.push_back(World::HexString(r.Next()));
    for (int i = 0; i < p_.ips; ++i)
      ips_.push_back(World::IpString(static_cast<uint32_t>(r.Next() & 0xffffff00u) | static_cast<uint32_t>(r.Range(2, 250))));
    for (size_t i = 0; i < members_.size(); ++i) {
      std::vector<uint16_t> devs;
      const int n = static_cast<int>(r.Range(1, 3));
      for (int k = 0; k < n; ++k) devs.push_back(static_cast<uint16_t>(r.Below(devices_.size())));
      member_devices_.push_back(std::move(devs));
    }
    for (int i = 0; i < 30; ++i) narratives_.push_back(w.Text(r, Countries()[p_.target].language, 10, 22));
    for (int i = 0; i < 12; ++i) comments_.push_back(w.Text(r, Countries()[p_.target].language, 6, 14));
    for (uint32_t a : accounts_) {
      const int renames = static_cast<int>(r.Range(1, p_.max_renames));
      for (int k = 0; k < renames; ++k) renames_.push_back({static_cast<int>(r.Range(p_.start_day, w.days() - 1)), a});
    }
    std::sort(renames_.begin(), renames_.end());
    truth_.operators = p_.operators;
    truth_.operator_utc_offset_hours = Countries()[p_.origin].utc_offset_hours;
    truth_.origin_country = Countries()[p_.origin].code;
    truth_.target_country = Countries()[p_.target].code;
    truth_.affiliated_domains = p_.domains;
    truth_.active_from = w.DayStart(p_.start_day);
    truth_.active_to = w.end();
    truth_.notes.push_back(fmt::format("\"peak_days\": [{}, {}]", p_.start_day, p_.start_day + p_.peak_days));
    truth_.notes.push_back(fmt::format("\"lull_days\": [{}, {}]", p_.start_day + p_.peak_days,
                                       p_.start_day + p_.peak_days + p_.lull_days));
    truth_.notes.push_back(fmt::format("\"devices\": {}, \"ips\": {}", p_.devices, p_.ips));
  }

  double Level(int day) const {
    if (day < p_.start_day) return 0;
    const int d = day - p_.start_day;
    if (d < p_.peak_days) return std::min(1.0, 0.3 + d / 40.0);
    if (d < p_.peak_days + p_.lull_days) return p_.lull_level;
    return p_.resurgence_level;
  }

  int64_t ShiftTime(World& w, int day) {
    const double sec = World::DrawSecondOfDay(rng_, kShift);
    return w.DayStart(day) + WrapDay(static_cast<int64_t>(sec - truth_.operator_utc_offset_hours * 3600));
  }

  void Touch(World& w, uint32_t a, int64_t t) {
    if (!rng_.Chance(0.12)) return;
    const size_t m = static_cast<size_t>(std::find(members_.begin(), members_.end(), a) - members_.begin());
    const auto& devs = member_devices_[m];
    const bool vpn = rng_.Chance(0.2);
    ObserveFrom(w, a, t, vpn ? World::IpString(static_cast<uint32_t>(rng_.Next())) : ips_[rng_.Below(ips_.size())],
                devices_[devs[rng_.Below(devs.size())]], vpn ? p_.target : p_.origin);
  }

  void FamilyDay(World& w, int day) override {
    Rng& r = rng_;
    if (day == p_.start_day)
      for (uint32_t g : groups_)
        for (uint32_t a : DistinctMembers(accounts_.size() / 2, accounts_)) {
          SimEvent& e = w.Emit(ShiftTime(w, day), a, EventType::kJoin);
          e.target_account = g;
        }
    while (next_rename_ < renames_.size() && renames_[next_rename_].first == day)
      w.Rename(ShiftTime(w, day), renames_[next_rename_++].second);
    for (uint32_t a : real_) RealMemberDay(w, a, day);
    const double level = Level(day);
    if (level <= 0) return;
    const char* lang = Countries()[p_.target].language;
    const char* tc = Countries()[p_.target].code;
    const int64_t budget = static_cast<int64_t>(r.Poisson(level * p_.events_per_account_day * static_cast<double>(members_.size())));
    int64_t spent = 0;
    while (spent < budget) {
      const double u = r.Uniform();
      const int64_t t0 = ShiftTime(w, day);
      const size_t k = static_cast<size_t>(r.Range(p_.push_accounts_min, p_.push_accounts_max));
      if (u < 0.45) {
        // A push: one narrative copied with light edits by several accounts and Pages within minutes.
        const std::string& text = narratives_[r.Below(narratives_.size())];
        const std::string url = r.Chance(0.8) ? Url(p_.domains[r.Below(p_.domains.size())]) : std::string();
        int64_t t = t0;
        std::vector<uint32_t> pool = accounts_;
        pool.insert(pool.end(), pages_.begin(), pages_.end());
        for (uint32_t a : DistinctMembers(k, pool)) {
          t += static_cast<int64_t>(r.Exponential(p_.push_spread_minutes * 60));
          SimEvent& e = w.Emit(t, a, EventType::kPost);
          e.text = CopyText(w, text, lang);
          e.urls = url;
          e.target_country = tc;
          if (r.Chance(0.3)) e.hashtags = "news";
          Touch(w, a, t);
          ++spent;
        }
      } else if (u < 0.65) {
        // Off-topic comments on a news outlet's post.
        const PostRef* p = w.OutletPost(r);
        if (p == nullptr) p = w.PopularPost(r);
        if (p == nullptr) { ++spent; continue; }
        int64_t t = std::max(t0, p->time + 60);
        const std::string& text = comments_[r.Below(comments_.size())];
        for (uint32_t a : DistinctMembers(k, accounts_)) {
          t += static_cast<int64_t>(r.Exponential(p_.push_spread_minutes * 90));
          SimEvent& e = w.Emit(t, a, EventType::kComment);
          e.target_post = p->id;
          e.target_account = p->author;
          e.text = CopyText(w, text, lang);
          if (r.Chance(0.3)) e.urls = Url(p_.domains[r.Below(p_.domains.size())]);
          Touch(w, a, t);
          ++spent;
        }
      } else if (u < 0.85) {
        // A Page posts; accounts amplify it within minutes.
        const uint32_t page = pages_.empty() ? RandomMember() : pages_[r.Below(pages_.size())];
        SimEvent& post = w.Emit(t0, page, EventType::kPost);
        post.text = CopyText(w, narratives_[r.Below(narratives_.size())], lang);
        post.urls = Url(p_.domains[r.Below(p_.domains.size())]);
        post.target_country = tc;
        const uint64_t pid = post.id;
        const std::string urls = post.urls;
        ++spent;
        int64_t t = t0;
        for (uint32_t a : DistinctMembers(k, accounts_)) {
          t += static_cast<int64_t>(r.Exponential(p_.push_spread_minutes * 60));
          SimEvent& e = w.Emit(t, a, r.Chance(0.7) ? EventType::kShare : EventType::kLike);
          e.target_post = pid;
          e.target_account = page;
          if (e.type == EventType::kShare) e.urls = urls;
          Touch(w, a, t);
          ++spent;
        }
      } else if (!groups_.empty()) {
        // A post in one of the farm's Groups.
        const uint32_t g = groups_[r.Below(groups_.size())];
        SimEvent& e = w.Emit(t0, g, EventType::kPost);
        e.text = CopyText(w, narratives_[r.Below(narratives_.size())], lang);
        e.target_country = tc;
        ++spent;
      } else {
        ++spent;
      }
    }
  }

  // Real employees: their own lives, now and then sharing the farm's content.
  void RealMemberDay(World& w, uint32_t a, int day) {
    Rng& r = rng_;
    const uint64_t n = r.Poisson(0.6);
    for (uint64_t k = 0; k < n; ++k) {
      const double sec = World::DrawSecondOfDay(r, World::HumanRhythm());
      const int64_t t = w.DayStart(day) + WrapDay(static_cast<int64_t>(sec - truth_.operator_utc_offset_hours * 3600));
      SimEvent& e = w.Emit(t, a, EventType::kPost);
      e.text = w.Text(r, Countries()[p_.origin].language, 4, 18);
      if (Level(day) > 0 && r.Chance(0.15)) e.urls = Url(p_.domains[0]);
      if (r.Chance(0.2)) ObserveFrom(w, a, t, ips_[r.Below(ips_.size())], devices_[r.Below(devices_.size())], p_.origin);
    }
  }

 private:
  TrollFarmParams p_;
  std::vector<uint32_t> accounts_, pages_, groups_, real_;
  std::vector<std::string> devices_, ips_, narratives_, comments_;
  std::vector<std::vector<uint16_t>> member_devices_;
  std::vector<std::pair<int, uint32_t>> renames_;
  size_t next_rename_ = 0;
};

// ---------------------------------------------------------------- automated

class Automated final : public Operation {
 public:
  Automated(std::string id, AutomatedParams p) : Operation(std::move(id), Family::kAutomated), p_(std::move(p)) {}

  void Setup(World& w) override {
    Begin(w, 202);
    Rng& r = rng_;
    std::vector<uint64_t> images;
    for (int i = 0; i < p_.images; ++i) images.push_back(r.Next());
    const int64_t window_start = w.DayStart(p_.start_day) - static_cast<int64_t>(p_.created_window_days + 4) * 86400;
    for (int i = 0; i < p_.accounts; ++i) {
      const int64_t created = window_start + static_cast<int64_t>(r.Uniform() * p_.created_window_days * 86400);
      const uint32_t a = AddMember(w, p_.origin, p_.target, created, Platform::kTwitter);
      SimAccount& acc = w.account(a);
      acc.image_hash = images[r.Below(images.size())] ^ (r.Chance(0.5) ? (uint64_t{1} << r.Below(8)) : 0);  // re-encoded copies differ in a low bit
      acc.following = static_cast<int64_t>(r.Between(500, 4000));
      if (r.Chance(0.7)) {
        acc.spike_followers = static_cast<int64_t>(r.Between(1500, 20000));
        acc.spike_time = w.DayStart(p_.start_day + static_cast<int>(r.Below(static_cast<uint64_t>(std::max(1, p_.active_days))))) +
                         static_cast<int64_t>(r.Below(86400));
        acc.followers += acc.spike_followers;
        acc.tracked = true;
      }
    }
    const uint32_t net = static_cast<uint32_t>(r.Next() & 0xffffff00u);
    for (int i = 0; i < 12; ++i) ips_.push_back(World::IpString(net + static_cast<uint32_t>(r.Range(2, 254))));
    for (int i = 0; i < std::max(2, p_.accounts / 20); ++i) devices_.push_back(World::HexString(r.Next()));
    for (int i = 0; i < 20; ++i) templates_.push_back(w.Text(r, Countries()[p_.target].language, 6, 14));
    static constexpr const char* kClients[] = {"autopost.io", "TweetBotPro", "IFTTT", "Twitter Web App"};
    client_ = kClients[r.Below(std::size(kClients))];
    truth_.operator_utc_offset_hours = Countries()[p_.origin].utc_offset_hours;
    truth_.origin_country = Countries()[p_.origin].code;
    truth_.target_country = Countries()[p_.target].code;
    truth_.affiliated_domains = p_.domains;
    truth_.hashtags = p_.hashtags;
    truth_.active_from = w.DayStart(p_.start_day);
    truth_.active_to = w.DayStart(std::min(w.days(), p_.start_day + p_.active_days));
    truth_.notes.push_back(fmt::format("\"client\": \"{}\", \"images\": {}", client_, p_.images));
  }

  void FamilyDay(World& w, int day) override {
    Rng& r = rng_;
    if (day < p_.start_day || day >= p_.start_day + p_.active_days) return;
    const char* lang = Countries()[p_.target].language;
    const double mean_k = (p_.retweeters_min + p_.retweeters_max) / 2.0;
    const double posts = p_.events_per_account_day * static_cast<double>(members_.size()) / (1.15 + mean_k);
    const uint64_t n = r.Poisson(posts);
    for (uint64_t i = 0; i < n; ++i) {
      const uint32_t author = RandomMember();
      const int64_t t = w.DayStart(day) + static_cast<int64_t>(World::DrawSecondOfDay(r, kFlat));
      SimEvent& post = w.Emit(t, author, EventType::kPost);
      post.text = CopyText(w, templates_[r.Below(templates_.size())], lang);
      if (r.Chance(0.7)) post.urls = Url(p_.domains[r.Below(p_.domains.size())]);
      post.hashtags = p_.hashtags[r.Below(p_.hashtags.size())];
      post.client = client_;
      const uint64_t pid = post.id;
      const std::string urls = post.urls;
      if (r.Chance(0.05)) Observe(w, author, t);
      const size_t k = static_cast<size_t>(r.Range(p_.retweeters_min, p_.retweeters_max));
      for (uint32_t a : DistinctMembers(k + 1, members_)) {
        if (a == author) continue;
        const int64_t ts = t + 1 + static_cast<int64_t>(r.Exponential(p_.retweet_delay_seconds));
        SimEvent& e = w.Emit(ts, a, r.Chance(0.85) ? EventType::kShare : EventType::kLike);
        e.target_post = pid;
        e.target_account = author;
        if (e.type == EventType::kShare) e.urls = urls;
        e.client = client_;
        if (r.Chance(0.01)) Observe(w, a, ts);
      }
    }
  }

  void Observe(World& w, uint32_t a, int64_t t) {
    ObserveFrom(w, a, t, ips_[rng_.Below(ips_.size())], devices_[rng_.Below(devices_.size())], p_.origin);
  }

 private:
  AutomatedParams p_;
  std::vector<std::string> ips_, devices_, templates_;
  const char* client_ = nullptr;
};

// ---------------------------------------------------------------- hashtag storm

class HashtagStorm final : public Operation {
 public:
  HashtagStorm(std::string id, HashtagStormParams p) : Operation(std::move(id), Family::kHashtagStorm), p_(std::move(p)) {}

  void Setup(World& w) override {
    Begin(w, 303);
    Rng& r = rng_;
    const int64_t burst1 = w.DayStart(std::max(0, p_.first_day - 20));
    const int64_t burst2 = w.DayStart(std::max(0, p_.first_day - 90));
    for (int i = 0; i < p_.accounts; ++i) {
      const int64_t created = (r.Chance(0.6) ? burst1 : burst2) + static_cast<int64_t>(r.Uniform() * 8 * 86400);
      AddMember(w, p_.origin, p_.target, created, Platform::kTwitter);
    }
    for (int i = 0; i < 6; ++i) ips_.push_back(World::IpString(static_cast<uint32_t>(r.Next())));
    for (int i = 0; i < std::max(2, p_.accounts / 5); ++i) devices_.push_back(World::HexString(r.Next()));
    const double offset = Countries()[p_.target].utc_offset_hours;
    for (int s = 0; s < p_.storms; ++s) {
      Storm st;
      st.day = p_.gap_days > 0 ? std::min(w.days() - 1, p_.first_day + s * p_.gap_days + static_cast<int>(r.Below(3)))
                               : p_.first_day + static_cast<int>(r.Below(static_cast<uint64_t>(std::max(1, p_.span_days))));
      st.time = w.LocalToUtc(st.day, (r.Chance(0.5) ? 20 : 9) * 3600.0, offset);
      st.hashtag = p_.hashtags[static_cast<size_t>(s) % p_.hashtags.size()];
      st.text = w.Text(r, Countries()[p_.target].language, 8, 14);
      storms_.push_back(std::move(st));
    }
    truth_.operator_utc_offset_hours = Countries()[p_.origin].utc_offset_hours;
    truth_.origin_country = Countries()[p_.origin].code;
    truth_.target_country = Countries()[p_.target].code;
    truth_.hashtags = p_.hashtags;
    truth_.active_from = w.DayStart(p_.first_day);
    truth_.active_to = w.DayStart(std::min(w.days(), p_.first_day + p_.span_days + 1));
    std::string times;
    for (const Storm& st : storms_) times += fmt::format("{}\"{}\"", times.empty() ? "" : ", ", FormatTime(st.time));
    truth_.notes.push_back(fmt::format("\"storm_times\": [{}]", times));
  }

  void FamilyDay(World& w, int day) override {
    Rng& r = rng_;
    const char* lang = Countries()[p_.target].language;
    const char* tc = Countries()[p_.target].code;
    for (const Storm& st : storms_) {
      if (st.day != day) continue;
      std::vector<std::pair<uint64_t, uint32_t>> seeds;
      for (uint32_t a : members_) {
        if (!r.Chance(0.9)) continue;
        const int64_t t = st.time + static_cast<int64_t>(r.Uniform() * p_.seed_window_seconds);
        SimEvent& e = w.Emit(t, a, EventType::kPost);
        e.text = CopyText(w, st.text, lang);
        e.hashtags = st.hashtag;
        e.target_country = tc;
        seeds.push_back({e.id, a});
        if (r.Chance(0.2))
          ObserveFrom(w, a, t, ips_[r.Below(ips_.size())], devices_[r.Below(devices_.size())], p_.origin);
      }
      for (uint32_t a : members_) {
        if (seeds.empty() || !r.Chance(0.4)) continue;
        const auto& s = seeds[r.Below(seeds.size())];
        if (s.second == a) continue;
        SimEvent& e = w.Emit(st.time + static_cast<int64_t>(p_.seed_window_seconds + r.Exponential(400)), a, EventType::kShare);
        e.target_post = s.first;
        e.target_account = s.second;
      }
      // Real users pick the hashtag up over the following hours.
      const size_t pickup = static_cast<size_t>(p_.pickup_fraction * static_cast<double>(w.people().size()));
      for (size_t k = 0; k < pickup; ++k) {
        const int64_t t = st.time + 300 + static_cast<int64_t>(r.Exponential(2.5 * 3600));
        const uint32_t a = w.RandomPerson(r, t);
        if (a == kNoAccountIndex) continue;
        SimEvent& e = w.Emit(t, a, EventType::kPost);
        e.text = w.Text(r, World::LanguageOf(w.account(a)), 3, 16);
        e.hashtags = st.hashtag;
      }
    }
    // Background: a little organic-looking activity between storms.
    if (day < p_.first_day - 10 || day > p_.first_day + p_.span_days + 30) return;
    const uint64_t n = r.Poisson(0.4 * static_cast<double>(members_.size()));
    for (uint64_t k = 0; k < n; ++k) {
      const uint32_t a = RandomMember();
      const double sec = World::DrawSecondOfDay(r, World::HumanRhythm());
      const int64_t t = w.DayStart(day) + WrapDay(static_cast<int64_t>(sec - truth_.operator_utc_offset_hours * 3600));
      if (t < w.account(a).created_at) continue;
      const PostRef* p = w.PopularPost(r);
      if (p == nullptr || r.Chance(0.3)) {
        SimEvent& e = w.Emit(t, a, EventType::kPost);
        e.text = w.Text(r, lang, 4, 14);
      } else {
        SimEvent& e = w.Emit(t, a, r.Chance(0.5) ? EventType::kShare : EventType::kLike);
        e.target_post = p->id;
        e.target_account = p->author;
        if (e.type == EventType::kShare) e.urls = p->urls;
      }
    }
  }

 private:
  struct Storm {
    int day;
    int64_t time;
    std::string hashtag, text;
  };
  HashtagStormParams p_;
  std::vector<std::string> ips_, devices_;
  std::vector<Storm> storms_;
};

// ---------------------------------------------------------------- like farm

class LikeFarm final : public Operation {
 public:
  LikeFarm(std::string id, LikeFarmParams p) : Operation(std::move(id), Family::kLikeFarm), p_(std::move(p)) {}

  void Setup(World& w) override {
    Begin(w, 404);
    Rng& r = rng_;
    // The customer: a real business Page in the target country (authentic).
    SimAccount page;
    page.country = page.claimed_country = static_cast<uint16_t>(p_.target);
    page.kind = AccountKind::kPage;
    page.persona = Persona::kBusiness;
    page.platform = Platform::kFacebook;
    page.name_seed = r.Next();
    page.followers = static_cast<int64_t>(r.Between(300, 3000));
    page.created_at = w.start() - static_cast<int64_t>(r.Between(100, 1500) * 86400);
    page.image_hash = r.Next();
    page.tracked = true;
    page_ = w.AddAccount(page);
    for (int i = 0; i < p_.accounts; ++i) {
      // Farms buy or raise accounts over months before selling their engagement.
      const int64_t created = w.DayStart(std::max(0, p_.start_day - 200)) + static_cast<int64_t>(r.Uniform() * 150 * 86400);
      AddMember(w, p_.origin, p_.origin, created, r.Chance(0.7) ? Platform::kFacebook : Platform::kInstagram);
    }
    for (int i = 0; i < std::max(1, p_.accounts / std::max(1, p_.accounts_per_device)); ++i)
      devices_.push_back(World::HexString(r.Next()));
    for (int i = 0; i < static_cast<int>(r.Range(3, 8)); ++i) ips_.push_back(World::IpString(static_cast<uint32_t>(r.Next())));
    for (size_t i = 0; i < members_.size(); ++i) device_of_.push_back(static_cast<uint32_t>(i % devices_.size()));
    truth_.operator_utc_offset_hours = Countries()[p_.origin].utc_offset_hours;
    truth_.origin_country = Countries()[p_.origin].code;
    truth_.target_country = Countries()[p_.target].code;
    truth_.active_from = w.DayStart(p_.start_day);
    truth_.active_to = w.DayStart(std::min(w.days(), p_.start_day + p_.days));
    truth_.notes.push_back(fmt::format("\"customer_page\": \"{}\"", w.AccountIdString(page_)));
  }

  void FamilyDay(World& w, int day) override {
    Rng& r = rng_;
    const SimAccount& page = w.account(page_);
    const double offset = Countries()[p_.target].utc_offset_hours;
    const bool active = day >= p_.start_day && day < p_.start_day + p_.days;
    const uint64_t posts = r.Poisson(1.3);
    for (uint64_t k = 0; k < posts; ++k) {
      const int64_t t = w.LocalToUtc(day, r.Between(8, 21) * 3600, offset);
      if (t < w.DayStart(day)) continue;
      SimEvent& post = w.Emit(t, page_, EventType::kPost);
      post.text = w.Text(r, World::LanguageOf(page), 6, 18);
      const uint64_t pid = post.id;
      if (!active) continue;
      for (size_t m = 0; m < members_.size(); ++m) {
        if (!r.Chance(p_.like_fraction)) continue;
        const int64_t tl = t + 30 + static_cast<int64_t>(r.Exponential(p_.like_delay_minutes * 60));
        SimEvent& e = w.Emit(tl, members_[m], EventType::kLike);
        e.target_post = pid;
        e.target_account = page_;
        e.client = "Facebook for Android";
        if (r.Chance(0.05))
          ObserveFrom(w, members_[m], tl, ips_[r.Below(ips_.size())], devices_[device_of_[m]], p_.origin);
      }
    }
    if (day == p_.start_day) {
      const int64_t t0 = w.DayStart(day) + static_cast<int64_t>(r.Below(43200));
      for (size_t m = 0; m < members_.size(); ++m) {
        SimEvent& e = w.Emit(t0 + static_cast<int64_t>(r.Exponential(3600)), members_[m], EventType::kFollow);
        e.target_account = page_;
        ObserveFrom(w, members_[m], e.time, ips_[r.Below(ips_.size())], devices_[device_of_[m]], p_.origin);
      }
    }
    // A little noise: likes of popular posts, in the farm's own time zone.
    if (day < p_.start_day - 60 || day > p_.start_day + p_.days + 60) return;
    const uint64_t n = r.Poisson(0.05 * static_cast<double>(members_.size()));
    for (uint64_t k = 0; k < n; ++k) {
      const uint32_t a = RandomMember();
      const PostRef* p = w.PopularPost(r);
      const int64_t t = w.DayStart(day) + WrapDay(static_cast<int64_t>(World::DrawSecondOfDay(r, World::HumanRhythm()) -
                                                                       truth_.operator_utc_offset_hours * 3600));
      if (p == nullptr || t < w.account(a).created_at) continue;
      SimEvent& e = w.Emit(t, a, EventType::kLike);
      e.target_post = p->id;
      e.target_account = p->author;
    }
  }

 private:
  LikeFarmParams p_;
  uint32_t page_ = 0;
  std::vector<std::string> devices_, ips_;
  std::vector<uint32_t> device_of_;
};

// ---------------------------------------------------------------- early stage

class EarlyStage final : public Operation {
 public:
  EarlyStage(std::string id, EarlyStageParams p) : Operation(std::move(id), Family::kEarlyStage), p_(std::move(p)) {}

  void Setup(World& w) override {
    Begin(w, 505);
    Rng& r = rng_;
    live_day_ = std::max(1, p_.election_day - p_.live_days);
    const int64_t created0 = w.DayStart(std::max(0, live_day_ - p_.age_days));
    for (int i = 0; i < p_.accounts; ++i) {
      const bool advertiser = i < p_.advertisers;
      const int64_t created = created0 + static_cast<int64_t>(r.Uniform() * 2 * 86400);
      const uint32_t a = AddMember(w, p_.origin, p_.target, created, Platform::kFacebook,
                                   advertiser ? AccountKind::kPage : AccountKind::kAccount);
      if (advertiser) advertisers_.push_back(a);
    }
    for (int i = 0; i < std::max(2, p_.accounts / 4); ++i) devices_.push_back(World::HexString(r.Next()));
    for (int i = 0; i < static_cast<int>(r.Range(2, 4)); ++i) ips_.push_back(World::IpString(static_cast<uint32_t>(r.Next())));
    payment_ = fmt::format("card-{:012x}", r.Next() & 0xffffffffffffULL);
    for (int i = 0; i < 10; ++i) narratives_.push_back(w.Text(r, Countries()[p_.target].language, 10, 20));
    truth_.operator_utc_offset_hours = Countries()[p_.origin].utc_offset_hours;
    truth_.origin_country = Countries()[p_.origin].code;
    truth_.target_country = Countries()[p_.target].code;
    truth_.affiliated_domains = p_.domains;
    truth_.hashtags = p_.hashtags;
    truth_.active_from = w.DayStart(live_day_);
    truth_.active_to = w.DayStart(std::min(w.days(), p_.election_day + 1));
    truth_.notes.push_back(fmt::format("\"election_date\": \"{}\"", FormatTime(w.DayStart(p_.election_day))));
  }

  void FamilyDay(World& w, int day) override {
    Rng& r = rng_;
    if (day == live_day_ - 1 || day == live_day_)
      for (size_t m = 0; m < members_.size(); ++m)
        if (w.account(members_[m]).created_at < w.DayStart(day + 1) && r.Chance(0.5))
          ObserveFrom(w, members_[m], std::max(w.account(members_[m]).created_at, w.DayStart(day)) + 600,
                      ips_[r.Below(ips_.size())], devices_[m % devices_.size()], p_.origin);
    if (day < live_day_ || day > p_.election_day) return;
    const char* lang = Countries()[p_.target].language;
    const char* tc = Countries()[p_.target].code;
    const double offset = Countries()[p_.origin].utc_offset_hours;
    for (uint32_t a : advertisers_) {
      const int64_t t = w.LocalToUtc(day, r.Between(9, 17) * 3600, offset);
      w.Ad(std::max(t, w.DayStart(day)), a, std::round(p_.ad_spend_per_day * r.Between(0.5, 1.5) * 100) / 100,
           Countries()[p_.target].currency);
      if (day == live_day_) w.Infra(std::max(t, w.DayStart(day)), a, InfraKind::kPayment, payment_, p_.origin);
    }
    const uint64_t budget = r.Poisson(p_.events_per_account_day * static_cast<double>(members_.size()));
    uint64_t spent = 0;
    while (spent < budget) {
      const int64_t t0 = w.DayStart(day) + WrapDay(static_cast<int64_t>(World::DrawSecondOfDay(r, World::HumanRhythm()) - offset * 3600));
      const std::string& text = narratives_[r.Below(narratives_.size())];
      const std::string url = Url(p_.domains[r.Below(p_.domains.size())]);
      const std::string& tag = p_.hashtags[r.Below(p_.hashtags.size())];
      int64_t t = t0;
      if (p_.outlet_comment_share > 0 && r.Chance(p_.outlet_comment_share)) {
        // Comments on a local outlet's post, one text paraphrased or lightly edited.
        const PostRef* p = w.OutletPost(r);
        if (p != nullptr) {
          t = std::max(t0, p->time + 60);
          for (uint32_t a : DistinctMembers(static_cast<size_t>(r.Range(3, 10)), members_)) {
            t += static_cast<int64_t>(r.Exponential(p_.spread_seconds));
            SimEvent& e = w.Emit(std::max(t, w.account(a).created_at + 60), a, EventType::kComment);
            e.target_post = p->id;
            e.target_account = p->author;
            e.text = CopyText(w, text, lang);
            e.hashtags = tag;
            e.target_country = tc;
            ++spent;
          }
          continue;
        }
      }
      for (uint32_t a : DistinctMembers(static_cast<size_t>(r.Range(3, 10)), members_)) {
        t += static_cast<int64_t>(r.Exponential(p_.spread_seconds));
        SimEvent& e = w.Emit(std::max(t, w.account(a).created_at + 60), a, r.Chance(0.8) ? EventType::kPost : EventType::kShare);
        if (e.type == EventType::kPost) {
          e.text = CopyText(w, text, lang);
          e.hashtags = tag;
        } else if (const PostRef* p = w.PopularPost(r); p != nullptr) {
          e.target_post = p->id;
          e.target_account = p->author;
        } else {
          e.type = EventType::kPost;
          e.text = text;
        }
        e.urls = url;
        e.target_country = tc;
        ++spent;
      }
    }
  }

 private:
  EarlyStageParams p_;
  int live_day_ = 0;
  std::vector<uint32_t> advertisers_;
  std::vector<std::string> devices_, ips_, narratives_;
  std::string payment_;
};

// ---------------------------------------------------------------- camouflaged

class Camouflaged final : public Operation {
 public:
  Camouflaged(std::string id, CamouflagedParams p) : Operation(std::move(id), Family::kCamouflaged), p_(std::move(p)) {}

  void Setup(World& w) override {
    Begin(w, 606);
    organic_in_family_ = true;
    Rng& r = rng_;
    const int64_t from = w.DayStart(std::max(0, p_.start_day - 120));
    for (int i = 0; i < p_.accounts; ++i) {
      const int64_t created = from + static_cast<int64_t>(r.Uniform() * 100 * 86400);
      const uint32_t a = AddMember(w, p_.origin, p_.target, created, r.Chance(0.6) ? Platform::kTwitter : Platform::kFacebook);
      w.account(a).followers = static_cast<int64_t>(r.LogNormal(4.0, 1.2));
    }
    // Devices shared by pairs and triples; residential proxies, a few shared.
    for (size_t i = 0; i < members_.size(); ++i)
      device_of_.push_back(r.Chance(0.35) ? static_cast<uint32_t>(r.Below(std::max<size_t>(1, members_.size() / 3)))
                                          : static_cast<uint32_t>(1000000 + i));
    for (int i = 0; i < 3; ++i) vpn_.push_back(World::IpString(static_cast<uint32_t>(r.Next())));
    device_salt_ = r.Next();
    for (int i = 0; i < 25; ++i) narratives_.push_back(w.Text(r, Countries()[p_.target].language, 10, 20));
    truth_.operator_utc_offset_hours = p_.operator_utc_offset_hours;
    truth_.origin_country = Countries()[p_.origin].code;
    truth_.target_country = Countries()[p_.target].code;
    truth_.affiliated_domains = p_.domains;
    truth_.active_from = w.DayStart(p_.start_day);
    truth_.active_to = w.DayStart(std::min(w.days(), p_.start_day + p_.days));
    truth_.notes.push_back(fmt::format("\"organic_fraction\": {}, \"jitter_minutes\": {}", p_.organic_fraction, p_.jitter_minutes));
  }

  void Observe(World& w, size_t m, int64_t t) {
    const bool vpn = rng_.Chance(0.15);
    const std::string ip = vpn ? vpn_[rng_.Below(vpn_.size())]
                               : World::IpString(static_cast<uint32_t>(Mix64(device_salt_ + m) & 0xdfffffffu) | 0x01000000u);
    ObserveFrom(w, members_[m], t, ip, World::HexString(Mix64(device_salt_ ^ device_of_[m])), vpn ? p_.target : p_.origin);
  }

  void FamilyDay(World& w, int day) override {
    Rng& r = rng_;
    if (day < p_.start_day || day >= p_.start_day + p_.days) return;
    const char* lang = Countries()[p_.target].language;
    const double claimed_offset = Countries()[p_.target].utc_offset_hours;
    const double mean = p_.events_per_account_day * static_cast<double>(members_.size());
    const uint64_t organic = r.Poisson(mean * p_.organic_fraction);
    const uint64_t budget = organic + r.Poisson(mean * (1 - p_.organic_fraction));
    uint64_t spent = 0;
    while (spent < budget) {
      if (spent < organic) {
        // Organic-looking: the claimed country's rhythm, own texts, popular posts.
        const size_t m = r.Below(members_.size());
        const uint32_t a = members_[m];
        const int64_t t = w.DayStart(day) + WrapDay(static_cast<int64_t>(World::DrawSecondOfDay(r, World::HumanRhythm()) -
                                                                         claimed_offset * 3600));
        ++spent;
        if (t < w.account(a).created_at) continue;
        const PostRef* p = w.PopularPost(r);
        if (p == nullptr || r.Chance(0.4)) {
          SimEvent& e = w.Emit(t, a, EventType::kPost);
          e.text = w.Text(r, lang, 4, 20);
        } else {
          SimEvent& e = w.Emit(t, a, r.Chance(0.5) ? EventType::kLike : EventType::kShare);
          e.target_post = p->id;
          e.target_account = p->author;
          if (e.type == EventType::kShare) e.urls = p->urls;
        }
        if (r.Chance(0.03)) Observe(w, m, t);
        continue;
      }
      // Coordinated: a push in the operators' office hours, jittered by minutes, paraphrased.
      const int64_t t0 = w.DayStart(day) + WrapDay(static_cast<int64_t>(World::DrawSecondOfDay(r, kOffice) -
                                                                        p_.operator_utc_offset_hours * 3600));
      const std::string& text = narratives_[r.Below(narratives_.size())];
      const std::string url = Url(p_.domains[r.Below(p_.domains.size())]);
      const size_t k = static_cast<size_t>(r.Range(p_.push_accounts_min, p_.push_accounts_max));
      for (size_t j = 0; j < k; ++j) {
        const size_t m = r.Below(members_.size());
        const uint32_t a = members_[m];
        const int64_t t = t0 + static_cast<int64_t>(std::abs(r.Normal()) * p_.jitter_minutes * 60);
        ++spent;
        if (t < w.account(a).created_at) continue;
        SimEvent& e = w.Emit(t, a, EventType::kPost);
        e.text = w.Paraphrase(r, text, lang, p_.paraphrase);
        if (r.Chance(0.85)) e.urls = url;
        if (r.Chance(0.08)) Observe(w, m, t);
      }
    }
  }

 private:
  CamouflagedParams p_;
  std::vector<uint32_t> device_of_;
  std::vector<std::string> vpn_, narratives_;
  uint64_t device_salt_ = 0;
};

}  // namespace

std::unique_ptr<Component> MakeOperation(const OperationSpec& spec) {
  return std::visit(
      [&](const auto& p) -> std::unique_ptr<Component> {
        using T = std::decay_t<decltype(p)>;
        std::unique_ptr<Operation> op;
        if constexpr (std::is_same_v<T, TrollFarmParams>) op = std::make_unique<TrollFarm>(spec.network_id, p);
        if constexpr (std::is_same_v<T, AutomatedParams>) op = std::make_unique<Automated>(spec.network_id, p);
        if constexpr (std::is_same_v<T, HashtagStormParams>) op = std::make_unique<HashtagStorm>(spec.network_id, p);
        if constexpr (std::is_same_v<T, LikeFarmParams>) op = std::make_unique<LikeFarm>(spec.network_id, p);
        if constexpr (std::is_same_v<T, EarlyStageParams>) op = std::make_unique<EarlyStage>(spec.network_id, p);
        if constexpr (std::is_same_v<T, CamouflagedParams>) op = std::make_unique<Camouflaged>(spec.network_id, p);
        op->SetCoordination(spec.coordination);
        return op;
      },
      spec.params);
}

}  // namespace lockstep
