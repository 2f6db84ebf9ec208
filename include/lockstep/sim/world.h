// The simulated world the scenario simulator runs: a seeded random source,
// the country table, the account registry, the day buffer every actor writes
// its events into, and the pools of earlier posts actors react to.
//
// A scenario is a composition of Components (the authentic population, each
// planted operation). The Simulator calls, in order: Setup() on every
// component (they add accounts), then for every day Day() on every component
// (they emit that day's events, infrastructure observations, profile changes
// and ads through the World), then Truth(). A new family of operation is a new
// Component; nothing else changes.
//
// Memory: O(accounts) for the registry plus O(events of one day) for the day
// buffer; no structure grows with the total number of events.
// Not thread-safe: one World is driven by one thread.
#ifndef LOCKSTEP_SIM_WORLD_H_
#define LOCKSTEP_SIM_WORLD_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/time.h"

namespace lockstep {

// splitmix64's finalizer (Steele, Lea & Flood 2014): a bijection on 64 bits,
// so distinct inputs give distinct ids.
constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number
// generators", 2018), seeded through splitmix64. Every distribution is
// implemented here, so a seed gives the same stream on every platform and
// standard library. Not thread-safe; fork one per component.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();
  double Uniform();                            // [0, 1)
  uint64_t Below(uint64_t n);                  // [0, n); n > 0
  int64_t Range(int64_t lo, int64_t hi);       // [lo, hi], lo <= hi
  double Between(double lo, double hi);        // [lo, hi)
  bool Chance(double p);                       // true with probability p
  double Normal();                             // mean 0, sd 1
  double Exponential(double mean);             // mean > 0
  uint64_t Poisson(double mean);               // mean >= 0
  double LogNormal(double mu, double sigma);
  // An independent generator derived from this one's seed and `stream`.
  Rng Fork(uint64_t stream) const;
  template <typename T>
  const T& Pick(std::span<const T> items) { return items[Below(items.size())]; }

 private:
  uint64_t seed_;
  uint64_t s_[4];
};

// A country with its operators' and users' clock: UTC offset in hours (no
// daylight saving), main language (BCP 47), a city people name as their
// location, currency (ISO 4217), and a weight for drawing the population.
struct CountryInfo {
  const char* code;
  double utc_offset_hours;
  const char* language;
  const char* city;
  const char* currency;
  double weight;
};
std::span<const CountryInfo> Countries();
// The index of `code` in Countries(); -1 if absent.
int CountryIndex(std::string_view code);

// Email domains and browser user agents shared by millions of people.
std::span<const char* const> CommonEmailDomains();
std::span<const char* const> CommonUserAgents();

enum class Platform : uint8_t { kFacebook = 0, kInstagram, kTwitter };
std::string_view Name(Platform p);

// What an account is, for naming and texts. Never written out.
enum class Persona : uint8_t { kPerson = 0, kJournalist, kOutlet, kBusiness, kGroup, kCelebrity, kDeclaredBot };

inline constexpr uint32_t kNoAccountIndex = 0xffffffffu;

// One account, page or group. `network` is the ground truth: 0 authentic,
// k > 0 the k-th planted network (World::networks()).
struct SimAccount {
  uint64_t id = 0;                  // written as a decimal number
  int64_t created_at = 0;           // seconds
  int64_t followers = 0;            // at the end of the run, spike included
  int64_t following = 0;
  uint64_t image_hash = 0;          // 64-bit perceptual hash
  uint64_t name_seed = 0;           // names derive from it and name_version
  int64_t spike_time = kNoTime;     // bought followers arrive at this time
  int64_t spike_followers = 0;
  uint32_t network = 0;
  uint32_t ip_group = 0;            // authentic: index into World::ip_groups(); 0 = own home line
  uint32_t device_group = 0;        // authentic: family device index + 1; 0 = own device
  uint16_t country = 0;             // index into Countries(): where the platform places it
  uint16_t claimed_country = 0;     // index into Countries(): what the profile claims
  int16_t rhythm_shift_minutes = 0; // the person's chronotype, added to local time
  Platform platform = Platform::kTwitter;
  AccountKind kind = AccountKind::kAccount;
  Persona persona = Persona::kPerson;
  uint8_t name_version = 0;         // number of renames so far
  bool tracked = false;             // follower counts are observed
  bool has_image = true;
};

// One event in the day buffer; lists are space-separated as FORMAT.md allows.
struct SimEvent {
  int64_t time = 0;
  uint64_t id = 0;                  // written as 16 hex digits
  uint32_t account = 0;
  EventType type = EventType::kPost;
  uint64_t target_post = 0;         // event id of the post acted on; 0 = none
  uint32_t target_account = kNoAccountIndex;
  std::string text, urls, hashtags;
  const char* language = nullptr;   // nullptr = the account's language
  const char* client = nullptr;     // nullptr = the account's usual client
  const char* target_country = nullptr;
};

// A post earlier actors may share, like or comment on.
struct PostRef {
  uint64_t id = 0;
  uint32_t author = 0;
  int64_t time = 0;
  std::string urls;
};

// A shared network path of authentic users: a university or office NAT, or a
// mobile carrier's CGNAT pool.
enum class IpGroupKind : uint8_t { kHome = 0, kUniversity, kOffice, kCarrier };
struct IpGroup {
  IpGroupKind kind = IpGroupKind::kHome;
  uint16_t country = 0;
  uint32_t first_ip = 0;            // IPv4 as a number
  uint32_t ip_count = 1;            // pool size
  std::string name;                 // ground-truth id, e.g. "university_nat_2"
};

// Where the simulator writes; implemented by the Simulator.
class SimOutput {
 public:
  virtual ~SimOutput() = default;
  virtual void WriteEvent(const SimEvent& e) = 0;
  virtual void WriteInfra(int64_t time, uint32_t account, InfraKind kind, std::string_view value, int country) = 0;
  virtual void WriteProfileChange(int64_t time, uint32_t account, ProfileField field, std::string_view old_value,
                                  std::string_view new_value) = 0;
  virtual void WriteFollowers(int64_t time, uint32_t account, int64_t followers) = 0;
  virtual void WriteAd(int64_t time, uint32_t account, double spend, std::string_view currency) = 0;
};

class World {
 public:
  // start: first second of day 0 (UTC midnight); days: length of the run;
  // scale: 1 = about 20,000 authentic accounts and 1M events.
  World(uint64_t seed, int64_t start, int days, double scale);

  uint64_t seed() const { return seed_; }
  double scale() const { return scale_; }
  int days() const { return days_; }
  int64_t start() const { return start_; }
  int64_t end() const { return start_ + int64_t{days_} * 86400; }
  int64_t DayStart(int day) const { return start_ + int64_t{day} * 86400; }
  int today() const { return today_; }

  // Accounts. The id is assigned here from a bijective hash, so ids never
  // tell authentic from planted accounts or reveal creation order.
  uint32_t AddAccount(SimAccount account);
  SimAccount& account(uint32_t i) { return accounts_[i]; }
  const SimAccount& account(uint32_t i) const { return accounts_[i]; }
  size_t num_accounts() const { return accounts_.size(); }
  std::span<const SimAccount> accounts() const { return accounts_; }
  // Authentic people (persona kPerson or kJournalist), for components that
  // need real users to react (hashtag pick-up, likes of a customer page).
  void AddAuthenticPerson(uint32_t i) { people_.push_back(i); }
  std::span<const uint32_t> people() const { return people_; }
  // A person who exists at `time`; kNoAccountIndex after 8 failed draws.
  uint32_t RandomPerson(Rng& rng, int64_t time) const;

  // Planted networks: network k (1-based) is network_names()[k - 1].
  uint32_t AddNetwork(std::string name);
  std::span<const std::string> network_names() const { return network_names_; }

  std::vector<IpGroup>& ip_groups() { return ip_groups_; }
  const std::vector<IpGroup>& ip_groups() const { return ip_groups_; }

  // Ids for events, unique within the run.
  uint64_t NewEventId() { return Mix64(seed_ ^ 0x5bd1e995ULL) + Mix64(++event_counter_); }

  // Names derived from name_seed and name_version.
  std::string Handle(uint32_t account, int version) const;
  std::string DisplayName(uint32_t account, int version) const;
  std::string Handle(uint32_t account) const { return Handle(account, accounts_[account].name_version); }
  std::string DisplayName(uint32_t account) const { return DisplayName(account, accounts_[account].name_version); }
  std::string AccountIdString(uint32_t account) const;
  static std::string EventIdString(uint64_t id);
  static std::string IpString(uint32_t ip);
  static std::string HexString(uint64_t v);

  // The UTC time of `local_seconds` after local midnight of `day`, for a clock
  // `offset_hours` ahead of UTC.
  int64_t LocalToUtc(int day, double local_seconds, double offset_hours) const;
  // A local second of the day drawn from 24 hourly weights.
  static double DrawSecondOfDay(Rng& rng, const std::array<double, 24>& weights);
  // The diurnal rhythm of people (low at night, rising through the day,
  // highest in the evening).
  static const std::array<double, 24>& HumanRhythm();

  // Output, valid inside Component::Day(). Events may lie later than today
  // (they are held back until their day); never earlier.
  SimEvent& Emit(int64_t time, uint32_t account, EventType type);
  void Infra(int64_t time, uint32_t account, InfraKind kind, std::string_view value, int country);
  void ProfileChange(int64_t time, uint32_t account, ProfileField field, std::string_view old_value,
                     std::string_view new_value);
  // Renames the account (display name and, every other time, handle) at `time`.
  void Rename(int64_t time, uint32_t account);
  void Ad(int64_t time, uint32_t account, double spend, std::string_view currency);

  // Posts from earlier days: any recent post, a post by a popular account, a
  // post by a news outlet. nullptr when the pool is empty.
  const PostRef* RecentPost(Rng& rng) const;
  const PostRef* PopularPost(Rng& rng) const;
  const PostRef* OutletPost(Rng& rng) const;

  // Texts. A sentence of `min_words`..`max_words` words in `language`
  // (falls back to English), sometimes with commas, quotes or a line break.
  std::string Text(Rng& rng, std::string_view language, int min_words, int max_words) const;
  // A light edit of a copied text: a word swapped, replaced or dropped, a suffix added.
  std::string LightEdit(Rng& rng, std::string_view text, std::string_view language) const;
  // A heavier paraphrase: about `fraction` of the words replaced, some reordered.
  std::string Paraphrase(Rng& rng, std::string_view text, std::string_view language, double fraction) const;
  static const char* DefaultClient(const SimAccount& a);
  static const char* LanguageOf(const SimAccount& a);

  // Driven by the Simulator.
  void BeginDay(int day) { today_ = day; }
  // Writes the events before the end of today in time order, everything else
  // as it came; keeps later events; moves today's posts into the pools.
  void FlushDay(SimOutput& out, bool last);
  uint64_t events_emitted() const { return event_counter_; }

 private:
  void Remember(const SimEvent& e);

  uint64_t seed_;
  int64_t start_;
  int days_;
  double scale_;
  int today_ = 0;
  uint64_t event_counter_ = 0;
  std::vector<SimAccount> accounts_;
  std::vector<uint32_t> people_;
  std::vector<std::string> network_names_;
  std::vector<IpGroup> ip_groups_;

  std::vector<SimEvent> events_;
  struct InfraRow { int64_t time; uint32_t account; InfraKind kind; std::string value; int country; };
  struct ProfileRow { int64_t time; uint32_t account; ProfileField field; std::string old_value, new_value; };
  struct AdRow { int64_t time; uint32_t account; double spend; std::string currency; };
  std::vector<InfraRow> infra_;
  std::vector<ProfileRow> profile_;
  std::vector<AdRow> ads_;

  // Ring buffers of earlier posts.
  struct Pool {
    std::vector<PostRef> items;
    size_t capacity = 0, next = 0;
    void Add(PostRef p);
  };
  Pool recent_, popular_, outlet_;
};

// Ground truth of one planted network, written to truth.json.
struct NetworkTruth {
  std::string network_id;
  std::string family;
  std::vector<uint32_t> members;          // account indices
  std::vector<uint32_t> real_members;     // members that are real people's accounts on the farm's infrastructure
  int operators = 0;
  double operator_utc_offset_hours = 0;
  std::string origin_country, target_country;
  std::vector<std::string> affiliated_domains;
  std::vector<std::string> hashtags;
  int64_t created_from = kNoTime, created_to = kNoTime;   // creation burst window
  int64_t active_from = kNoTime, active_to = kNoTime;
  std::vector<std::string> notes;          // "key": value pairs pre-rendered as JSON members
};

// Ground truth of an authentic coordinated group or shared infrastructure:
// kind is newsroom, activist_campaign, viral_cascade, trending_hashtag,
// university_nat, office_nat, cgnat, family_device.
struct GroupTruth {
  std::string id;
  std::string kind;
  std::vector<uint32_t> accounts;          // account indices, where the group has a fixed membership
  std::vector<std::string> values;         // ips, device ids, post ids, hashtags, domains
  int64_t time = kNoTime;                  // scheduled or start time, where one exists
  int64_t count = 0;                       // participants (e.g. a cascade's sharers)
};

struct GroundTruth {
  std::vector<NetworkTruth> networks;
  std::vector<GroupTruth> groups;
};

class Component {
 public:
  virtual ~Component() = default;
  virtual void Setup(World& world) = 0;
  virtual void Day(World& world, int day) = 0;
  virtual void Truth(const World& world, GroundTruth* truth) const = 0;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIM_WORLD_H_
