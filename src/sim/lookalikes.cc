// Authentic look-alikes of coordinated operations (issue 16, item 4): real
// organisations and communities that act together, share infrastructure or
// post on one schedule, and are not inauthentic. All their accounts are
// labelled authentic; their groups go into the ground truth with a kind
// (marketing_agency, campaign_volunteers, fan_community,
// declared_bot_service) so an evaluation can attribute a false network.
// Newsrooms, activists' tweetstorms, households (family devices) and campus
// networks (university NATs) come from the authentic population.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "lockstep/sim/scenario.h"
#include "lockstep/sim/world.h"

namespace lockstep {
namespace {

int64_t AtLeast(int64_t t, int64_t floor) { return std::max(t, floor); }

class LookAlikes final : public Component {
 public:
  explicit LookAlikes(LookAlikeParams p) : p_(p), rng_(0) {}

  void Setup(World& w) override {
    rng_ = Rng(w.seed()).Fork(0x100ca11e);
    for (int i = 0; i < p_.agencies; ++i) SetupAgency(w, i);
    for (int i = 0; i < p_.volunteer_teams; ++i) SetupVolunteers(w, i);
    for (int i = 0; i < p_.fan_communities; ++i) SetupFans(w, i);
    for (int i = 0; i < p_.bot_services; ++i) SetupBots(w, i);
  }

  void Day(World& w, int day) override {
    for (Agency& a : agencies_) AgencyDay(w, a, day);
    for (Volunteers& v : volunteers_) VolunteersDay(w, v, day);
    for (Fans& f : fans_) FansDay(w, f, day);
    for (Bots& b : bots_) BotsDay(w, b, day);
  }

  void Truth(const World&, GroundTruth* truth) const override {
    for (const GroupTruth& g : groups_) truth->groups.push_back(g);
  }

 private:
  // A country with people in it: the country of a random person.
  int PeopleCountry(World& w) {
    if (w.people().empty()) return 0;
    return w.account(w.people()[rng_.Below(w.people().size())]).country;
  }

  // `k` distinct existing people, preferring `country` (-1: any).
  std::vector<uint32_t> ExistingPeople(World& w, size_t k, int country) {
    std::vector<uint32_t> out;
    const auto people = w.people();
    if (people.empty()) return out;
    for (size_t tries = 0; out.size() < k && tries < 40 * k; ++tries) {
      const uint32_t a = people[rng_.Below(people.size())];
      if (country >= 0 && tries < 30 * k && w.account(a).country != country) continue;
      if (w.account(a).network != 0 || std::find(out.begin(), out.end(), a) != out.end()) continue;
      out.push_back(a);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  uint32_t NewAccount(World& w, int country, Persona persona, AccountKind kind, Platform platform, double followers_mu) {
    SimAccount a;
    a.country = a.claimed_country = static_cast<uint16_t>(country);
    a.created_at = w.start() - static_cast<int64_t>(rng_.Between(200, 3000) * 86400);
    a.platform = platform;
    a.kind = kind;
    a.persona = persona;
    a.name_seed = rng_.Next();
    a.followers = static_cast<int64_t>(rng_.LogNormal(followers_mu, 1));
    a.following = static_cast<int64_t>(rng_.LogNormal(5, 0.8));
    a.image_hash = rng_.Next();
    a.rhythm_shift_minutes = static_cast<int16_t>(std::clamp(rng_.Normal() * 60, -180.0, 180.0));
    a.tracked = a.followers >= 2000;
    return w.AddAccount(a);
  }

  std::string Ip() { return World::IpString(static_cast<uint32_t>(rng_.Next() & 0xdfffffffu) | 0x01000000u); }

  // Likes of a post by a few real people, as any real Page gets.
  void Audience(World& w, uint64_t post, uint32_t author, int64_t t, double mean) {
    const uint64_t n = rng_.Poisson(mean);
    for (uint64_t k = 0; k < n; ++k) {
      const int64_t tl = t + 60 + static_cast<int64_t>(rng_.Exponential(4 * 3600));
      const uint32_t a = w.RandomPerson(rng_, tl);
      if (a == kNoAccountIndex) continue;
      SimEvent& e = w.Emit(tl, a, EventType::kLike);
      e.target_post = post;
      e.target_account = author;
    }
  }

  // ------------------------------------------------------- marketing agency
  // An office runs 5 to 30 real clients' Pages on one posting schedule
  // (weekdays at two slots, through one scheduling tool), from the office IP
  // and a few shared devices, paying every client's ads with one card; on
  // holidays every client posts the same greeting.
  struct Agency {
    int country = 0;
    std::vector<uint32_t> staff, clients;
    std::vector<std::vector<std::string>> texts;  // per client
    std::string ip, card, greeting;
    std::vector<std::string> devices;
    double slot1 = 0, slot2 = 0;
    std::vector<bool> paid;
  };

  void SetupAgency(World& w, int i) {
    Agency a;
    a.country = PeopleCountry(w);
    const char* lang = Countries()[static_cast<size_t>(a.country)].language;
    const int staff = static_cast<int>(rng_.Range(3, 8)), clients = static_cast<int>(rng_.Range(5, 30));
    for (int k = 0; k < staff; ++k) {
      const uint32_t s = NewAccount(w, a.country, Persona::kPerson, AccountKind::kAccount, Platform::kFacebook, 5);
      w.AddAuthenticPerson(s);
      a.staff.push_back(s);
    }
    for (int k = 0; k < clients; ++k) {
      a.clients.push_back(NewAccount(w, a.country, Persona::kBusiness, AccountKind::kPage, Platform::kFacebook, 6.5));
      std::vector<std::string> t;
      for (int j = 0; j < 6; ++j) t.push_back(w.Text(rng_, lang, 8, 18));
      a.texts.push_back(std::move(t));
      a.paid.push_back(false);
    }
    a.ip = Ip();
    a.card = fmt::format("card-{:012x}", rng_.Next() & 0xffffffffffffULL);
    a.greeting = w.Text(rng_, lang, 6, 10);
    for (int k = 0; k < static_cast<int>(rng_.Range(2, 4)); ++k) a.devices.push_back(World::HexString(rng_.Next()));
    a.slot1 = rng_.Between(9, 11) * 3600;
    a.slot2 = rng_.Between(14, 17) * 3600;
    GroupTruth g;
    g.id = fmt::format("marketing_agency_{}", i + 1);
    g.kind = "marketing_agency";
    g.accounts = a.staff;
    g.accounts.insert(g.accounts.end(), a.clients.begin(), a.clients.end());
    g.values = {a.ip, a.card};
    g.values.insert(g.values.end(), a.devices.begin(), a.devices.end());
    g.count = static_cast<int64_t>(g.accounts.size());
    groups_.push_back(std::move(g));
    agencies_.push_back(std::move(a));
  }

  void AgencyDay(World& w, Agency& a, int day) {
    Rng& r = rng_;
    const CivilTime c = ToCivil(w.DayStart(day));
    const double offset = Countries()[static_cast<size_t>(a.country)].utc_offset_hours;
    const char* lang = Countries()[static_cast<size_t>(a.country)].language;
    const bool holiday = (c.month == 12 && (c.day == 24 || c.day == 31)) || (c.month == 1 && c.day == 1);
    if (c.weekday < 5 || holiday) {
      for (double slot : {a.slot1, a.slot2}) {
        const int64_t t0 = AtLeast(w.LocalToUtc(day, slot, offset), w.DayStart(day));
        for (size_t k = 0; k < a.clients.size(); ++k) {
          if (!holiday && !r.Chance(0.5)) continue;
          const int64_t t = t0 + static_cast<int64_t>(r.Below(holiday ? 120 : 600));
          SimEvent& e = w.Emit(t, a.clients[k], EventType::kPost);
          e.text = holiday ? w.LightEdit(r, a.greeting, lang) : w.LightEdit(r, a.texts[k][r.Below(a.texts[k].size())], lang);
          e.client = "Hootsuite";
          const uint64_t pid = e.id;
          if (r.Chance(0.15)) {
            w.Infra(t, a.clients[k], InfraKind::kIp, a.ip, a.country);
            w.Infra(t, a.clients[k], InfraKind::kDevice, a.devices[r.Below(a.devices.size())], -1);
          }
          Audience(w, pid, a.clients[k], t, 4);
        }
        if (holiday) break;  // one greeting slot
      }
    }
    // Weekly ads for some clients, all on the agency's card.
    if (c.weekday == 1)
      for (size_t k = 0; k < a.clients.size(); ++k) {
        if (!r.Chance(0.4)) continue;
        const int64_t t = AtLeast(w.LocalToUtc(day, r.Between(10, 16) * 3600, offset), w.DayStart(day));
        w.Ad(t, a.clients[k], std::round(r.LogNormal(4, 0.8) * 100) / 100, Countries()[static_cast<size_t>(a.country)].currency);
        if (!a.paid[k]) {
          w.Infra(t, a.clients[k], InfraKind::kPayment, a.card, a.country);
          a.paid[k] = true;
        }
      }
    // Staff: their own lives, from the office on weekdays.
    for (uint32_t s : a.staff) {
      if (!r.Chance(0.5)) continue;
      const int64_t t = AtLeast(w.LocalToUtc(day, World::DrawSecondOfDay(r, World::HumanRhythm()), offset), w.DayStart(day));
      if (t < w.account(s).created_at) continue;
      SimEvent& e = w.Emit(t, s, EventType::kPost);
      e.text = w.Text(r, lang, 4, 16);
      if (c.weekday < 5 && r.Chance(0.1)) w.Infra(t, s, InfraKind::kIp, a.ip, a.country);
    }
  }

  // ------------------------------------------------------ campaign volunteers
  // 20 to 80 real supporters of a candidate share the campaign Page's posts
  // within the hour and, on weekly action nights, post the campaign's
  // suggested text with its hashtag within minutes; some from the campaign
  // office's IP.
  struct Volunteers {
    int country = 0, from_day = 0, to_day = 0;
    uint32_t page = 0;
    std::vector<uint32_t> members;
    std::string hashtag, ip;
    std::vector<std::string> texts;
    int action_weekday = 0;
  };

  void SetupVolunteers(World& w, int i) {
    Volunteers v;
    v.country = PeopleCountry(w);
    const char* lang = Countries()[static_cast<size_t>(v.country)].language;
    v.page = NewAccount(w, v.country, Persona::kBusiness, AccountKind::kPage, Platform::kFacebook, 8);
    v.members = ExistingPeople(w, static_cast<size_t>(rng_.Range(20, 80)), v.country);
    v.from_day = static_cast<int>(rng_.Range(30, std::max(31, w.days() - 130)));
    v.to_day = v.from_day + static_cast<int>(rng_.Range(60, 120));
    v.hashtag = fmt::format("Vote{}{}", World::HexString(rng_.Next()).substr(0, 4), rng_.Below(100));
    v.ip = Ip();
    for (int k = 0; k < 8; ++k) v.texts.push_back(w.Text(rng_, lang, 8, 16));
    v.action_weekday = static_cast<int>(rng_.Below(7));
    GroupTruth g;
    g.id = fmt::format("campaign_volunteers_{}", i + 1);
    g.kind = "campaign_volunteers";
    g.accounts = v.members;
    g.accounts.insert(g.accounts.begin(), v.page);
    g.values = {v.hashtag, v.ip};
    g.time = w.DayStart(v.from_day);
    g.count = static_cast<int64_t>(g.accounts.size());
    groups_.push_back(std::move(g));
    volunteers_.push_back(std::move(v));
  }

  void VolunteersDay(World& w, Volunteers& v, int day) {
    if (day < v.from_day || day >= v.to_day || v.members.empty()) return;
    Rng& r = rng_;
    const double offset = Countries()[static_cast<size_t>(v.country)].utc_offset_hours;
    const char* lang = Countries()[static_cast<size_t>(v.country)].language;
    const uint64_t posts = 1 + r.Poisson(1);
    for (uint64_t k = 0; k < posts; ++k) {
      const int64_t t = AtLeast(w.LocalToUtc(day, r.Between(8, 20) * 3600, offset), w.DayStart(day));
      SimEvent& p = w.Emit(t, v.page, EventType::kPost);
      p.text = w.Text(r, lang, 8, 18);
      p.hashtags = v.hashtag;
      const uint64_t pid = p.id;
      for (uint32_t m : v.members) {
        if (!r.Chance(0.25)) continue;
        SimEvent& e = w.Emit(t + 30 + static_cast<int64_t>(r.Exponential(1800)), m, EventType::kShare);
        e.target_post = pid;
        e.target_account = v.page;
      }
      Audience(w, pid, v.page, t, 10);
    }
    if (static_cast<int>(ToCivil(w.DayStart(day)).weekday) != v.action_weekday) return;
    const int64_t t0 = AtLeast(w.LocalToUtc(day, 19 * 3600, offset), w.DayStart(day));
    const std::string& text = v.texts[r.Below(v.texts.size())];
    for (uint32_t m : v.members) {
      if (!r.Chance(0.6)) continue;
      const int64_t t = t0 + static_cast<int64_t>(r.Exponential(400));
      SimEvent& e = w.Emit(t, m, EventType::kPost);
      e.text = w.LightEdit(r, text, lang);
      e.hashtags = v.hashtag;
      if (r.Chance(0.15)) w.Infra(t, m, InfraKind::kIp, v.ip, v.country);
    }
  }

  // ---------------------------------------------------------- fan community
  // 30 to 200 fans of an artist retweet the artist within minutes and, on
  // weekly streaming parties during a release, post the fandom hashtag at
  // the agreed hour.
  struct Fans {
    uint32_t artist = 0;
    std::vector<uint32_t> fans;
    std::string hashtag, text;
    int from_day = 0, weeks = 0;
    double hour = 0;
  };

  void SetupFans(World& w, int i) {
    Fans f;
    const int country = PeopleCountry(w);
    f.artist = NewAccount(w, country, Persona::kCelebrity, AccountKind::kAccount, Platform::kTwitter, 12);
    f.fans = ExistingPeople(w, static_cast<size_t>(rng_.Range(30, 200)), -1);
    f.hashtag = fmt::format("Stream{}{}", World::HexString(rng_.Next()).substr(0, 5), rng_.Below(10));
    f.text = w.Text(rng_, "en", 5, 10);
    f.from_day = static_cast<int>(rng_.Range(20, std::max(21, w.days() - 100)));
    f.weeks = static_cast<int>(rng_.Range(4, 10));
    f.hour = rng_.Between(12, 22);
    GroupTruth g;
    g.id = fmt::format("fan_community_{}", i + 1);
    g.kind = "fan_community";
    g.accounts = f.fans;
    g.accounts.insert(g.accounts.begin(), f.artist);
    g.values = {f.hashtag};
    g.time = w.DayStart(f.from_day);
    g.count = static_cast<int64_t>(g.accounts.size());
    groups_.push_back(std::move(g));
    fans_.push_back(std::move(f));
  }

  void FansDay(World& w, Fans& f, int day) {
    if (f.fans.empty()) return;
    Rng& r = rng_;
    if (r.Chance(0.6)) {
      const int64_t t = w.DayStart(day) + static_cast<int64_t>(World::DrawSecondOfDay(r, World::HumanRhythm()));
      SimEvent& p = w.Emit(t, f.artist, EventType::kPost);
      p.text = w.Text(r, "en", 4, 14);
      const uint64_t pid = p.id;
      for (uint32_t m : f.fans) {
        if (!r.Chance(0.2)) continue;
        SimEvent& e = w.Emit(t + 5 + static_cast<int64_t>(r.Exponential(600)), m, r.Chance(0.6) ? EventType::kShare : EventType::kLike);
        e.target_post = pid;
        e.target_account = f.artist;
      }
    }
    const int since = day - f.from_day;
    if (since < 0 || since % 7 != 0 || since / 7 >= f.weeks) return;
    const int64_t t0 = w.DayStart(day) + static_cast<int64_t>(f.hour * 3600);
    for (uint32_t m : f.fans) {
      if (!r.Chance(0.7)) continue;
      SimEvent& e = w.Emit(t0 + static_cast<int64_t>(r.Exponential(300)), m, EventType::kPost);
      e.text = w.LightEdit(r, f.text, "en");
      e.hashtags = f.hashtag;
      e.language = "en";
    }
  }

  // --------------------------------------------------- declared bot service
  // An operator runs 5 to 25 bots that say they are bots (alerts, feeds)
  // from one server: a hub bot posts on a fixed cadence and the others
  // repost it within seconds, all through the service's own client.
  struct Bots {
    uint32_t owner = 0;
    std::vector<uint32_t> bots;
    std::string ip, device, topic;
    int from_day = 0, to_day = 0, per_day = 1;
  };

  void SetupBots(World& w, int i) {
    Bots b;
    const int country = PeopleCountry(w);
    b.owner = NewAccount(w, country, Persona::kPerson, AccountKind::kAccount, Platform::kTwitter, 6);
    const int n = static_cast<int>(rng_.Range(5, 25));
    for (int k = 0; k < n; ++k)
      b.bots.push_back(NewAccount(w, country, Persona::kDeclaredBot, AccountKind::kAccount, Platform::kTwitter, 7));
    b.ip = Ip();
    b.device = World::HexString(rng_.Next());
    static constexpr const char* kTopics[] = {"quake", "weather", "traffic", "prices", "flights", "air"};
    b.topic = kTopics[rng_.Below(std::size(kTopics))];
    b.from_day = static_cast<int>(rng_.Range(0, std::max(1, w.days() - 400)));
    b.to_day = b.from_day + static_cast<int>(rng_.Range(120, 365));
    b.per_day = static_cast<int>(rng_.Range(3, 8));
    GroupTruth g;
    g.id = fmt::format("declared_bot_service_{}", i + 1);
    g.kind = "declared_bot_service";
    g.accounts = b.bots;
    g.accounts.insert(g.accounts.begin(), b.owner);
    g.values = {b.ip, b.device};
    g.count = static_cast<int64_t>(g.accounts.size());
    groups_.push_back(std::move(g));
    bots_.push_back(std::move(b));
  }

  void BotsDay(World& w, Bots& b, int day) {
    if (day < b.from_day || day >= b.to_day) return;
    Rng& r = rng_;
    for (int k = 0; k < b.per_day; ++k) {
      const int64_t t = w.DayStart(day) + static_cast<int64_t>(k) * (86400 / b.per_day) + static_cast<int64_t>(r.Below(60));
      const uint32_t hub = b.bots[0];
      SimEvent& p = w.Emit(t, hub, EventType::kPost);
      p.text = fmt::format("{} alert {}: level {:.1f} at station {}", b.topic, day * 10 + k, r.Between(0, 9), r.Below(500));
      p.hashtags = b.topic;
      p.client = "alertbot-service";
      p.language = "en";
      const uint64_t pid = p.id;
      for (size_t j = 1; j < b.bots.size(); ++j) {
        if (!r.Chance(0.5)) continue;
        const int64_t ts = t + 2 + static_cast<int64_t>(r.Below(20));
        SimEvent& e = w.Emit(ts, b.bots[j], EventType::kShare);
        e.target_post = pid;
        e.target_account = hub;
        e.client = "alertbot-service";
        if (r.Chance(0.02)) {
          w.Infra(ts, b.bots[j], InfraKind::kIp, b.ip, -1);
          w.Infra(ts, b.bots[j], InfraKind::kDevice, b.device, -1);
        }
      }
    }
    if (r.Chance(0.3)) {
      const int64_t t = w.DayStart(day) + static_cast<int64_t>(World::DrawSecondOfDay(r, World::HumanRhythm()));
      if (t >= w.account(b.owner).created_at) {
        SimEvent& e = w.Emit(t, b.owner, EventType::kPost);
        e.text = w.Text(r, "en", 4, 14);
      }
    }
  }

  LookAlikeParams p_;
  Rng rng_;
  std::vector<Agency> agencies_;
  std::vector<Volunteers> volunteers_;
  std::vector<Fans> fans_;
  std::vector<Bots> bots_;
  std::vector<GroupTruth> groups_;
};

}  // namespace

std::unique_ptr<Component> MakeLookAlikes(const LookAlikeParams& params) { return std::make_unique<LookAlikes>(params); }

}  // namespace lockstep
