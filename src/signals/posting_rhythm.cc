#include "lockstep/signals/posting_rhythm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>
#include "lockstep/model/time.h"

namespace lockstep {

namespace internal {

// UTC offsets in civil use (IANA tz database, 2024), standard and daylight.
constexpr double kOffsetsInUse[] = {-12, -11, -10, -9.5, -9, -8,  -7, -6,    -5, -4,   -3.5, -3, -2,
                                    -1,  0,   1,   2,    3,  3.5, 4,  4.5,   5,  5.5,  5.75, 6,  6.5,
                                    7,   8,   8.75, 9,   9.5, 10, 10.5, 11, 12, 12.75, 13, 13.75, 14};

// About 60 countries most present on the large platforms: ISO code, UTC
// offsets (standard and, where observed, daylight time; every zone for
// countries spanning several), lower-case names and main cities as people
// write them in a profile's location, '|'-separated. Kept small on purpose:
// a claim we cannot place is no evidence either way.
struct CountryPlace {
  const char* code;
  std::initializer_list<double> offsets;
  const char* names;
};
const CountryPlace kPlaces[] = {
    {"US", {-10, -9, -8, -7, -6, -5, -4}, "united states|usa|u.s.a|america|new york|nyc|los angeles|chicago|houston|washington|san francisco|miami|boston|seattle|atlanta|dallas|texas|california|florida|philadelphia|phoenix"},
    {"CA", {-8, -7, -6, -5, -4, -3.5, -3}, "canada|toronto|montreal|vancouver|ottawa|calgary"},
    {"MX", {-8, -7, -6, -5}, "mexico|méxico|ciudad de méxico|mexico city|guadalajara|monterrey|cdmx"},
    {"BR", {-5, -4, -3, -2}, "brazil|brasil|são paulo|sao paulo|rio de janeiro|brasília|brasilia|salvador|belo horizonte"},
    {"AR", {-3}, "argentina|buenos aires|córdoba|rosario"},
    {"CO", {-5}, "colombia|bogotá|bogota|medellín|medellin|cali"},
    {"CL", {-4, -3}, "chile|santiago"},
    {"PE", {-5}, "peru|perú|lima"},
    {"VE", {-4}, "venezuela|caracas"},
    {"EC", {-6, -5}, "ecuador|quito|guayaquil"},
    {"CU", {-5, -4}, "cuba|havana|la habana"},
    {"GB", {0, 1}, "united kingdom|uk|great britain|britain|england|scotland|wales|london|manchester|birmingham|glasgow|edinburgh|liverpool|leeds"},
    {"IE", {0, 1}, "ireland|dublin|cork"},
    {"FR", {1, 2}, "france|paris|marseille|lyon|toulouse|nice|bordeaux"},
    {"DE", {1, 2}, "germany|deutschland|berlin|munich|münchen|hamburg|frankfurt|köln|cologne|stuttgart"},
    {"ES", {0, 1, 2}, "spain|españa|madrid|barcelona|valencia|sevilla|seville"},
    {"PT", {-1, 0, 1}, "portugal|lisbon|lisboa|porto"},
    {"IT", {1, 2}, "italy|italia|rome|roma|milan|milano|naples|napoli|turin|torino"},
    {"NL", {1, 2}, "netherlands|nederland|holland|amsterdam|rotterdam|the hague"},
    {"BE", {1, 2}, "belgium|belgique|brussels|bruxelles|antwerp"},
    {"CH", {1, 2}, "switzerland|schweiz|suisse|zurich|zürich|geneva|genève"},
    {"AT", {1, 2}, "austria|österreich|vienna|wien"},
    {"SE", {1, 2}, "sweden|sverige|stockholm|gothenburg"},
    {"NO", {1, 2}, "norway|norge|oslo"},
    {"DK", {1, 2}, "denmark|danmark|copenhagen|københavn"},
    {"FI", {2, 3}, "finland|suomi|helsinki"},
    {"PL", {1, 2}, "poland|polska|warsaw|warszawa|kraków|krakow"},
    {"CZ", {1, 2}, "czech|czechia|prague|praha"},
    {"HU", {1, 2}, "hungary|budapest"},
    {"RO", {2, 3}, "romania|bucharest|bucurești"},
    {"GR", {2, 3}, "greece|athens|αθήνα"},
    {"UA", {2, 3}, "ukraine|україна|kyiv|kiev|київ|kharkiv|odesa|odessa|lviv"},
    {"BY", {3}, "belarus|minsk"},
    {"RU", {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, "russia|россия|moscow|москва|saint petersburg|st petersburg|санкт-петербург|novosibirsk"},
    {"TR", {3}, "turkey|türkiye|istanbul|İstanbul|ankara|izmir"},
    {"IL", {2, 3}, "israel|tel aviv|jerusalem"},
    {"SA", {3}, "saudi arabia|riyadh|jeddah|السعودية|الرياض"},
    {"AE", {4}, "united arab emirates|uae|dubai|abu dhabi"},
    {"QA", {3}, "qatar|doha"},
    {"IR", {3.5, 4.5}, "iran|tehran|تهران|ایران"},
    {"IQ", {3}, "iraq|baghdad|بغداد"},
    {"SY", {2, 3}, "syria|damascus|دمشق"},
    {"EG", {2, 3}, "egypt|cairo|القاهرة|مصر|alexandria"},
    {"MA", {0, 1}, "morocco|maroc|casablanca|rabat"},
    {"DZ", {1}, "algeria|algérie|algiers|alger"},
    {"TN", {1}, "tunisia|tunisie|tunis"},
    {"NG", {1}, "nigeria|lagos|abuja|kano|ibadan"},
    {"GH", {0}, "ghana|accra|kumasi"},
    {"KE", {3}, "kenya|nairobi|mombasa"},
    {"ET", {3}, "ethiopia|addis ababa"},
    {"ZA", {2}, "south africa|johannesburg|cape town|durban|pretoria"},
    {"PK", {5}, "pakistan|karachi|lahore|islamabad"},
    {"IN", {5.5}, "india|bharat|mumbai|delhi|new delhi|bangalore|bengaluru|chennai|kolkata|hyderabad|pune"},
    {"BD", {6}, "bangladesh|dhaka|chittagong"},
    {"NP", {5.75}, "nepal|kathmandu"},
    {"LK", {5.5}, "sri lanka|colombo"},
    {"AF", {4.5}, "afghanistan|kabul"},
    {"MM", {6.5}, "myanmar|burma|yangon|rangoon"},
    {"TH", {7}, "thailand|bangkok"},
    {"VN", {7}, "vietnam|viet nam|việt nam|hanoi|hà nội|ho chi minh|saigon"},
    {"ID", {7, 8, 9}, "indonesia|jakarta|surabaya|bandung|bali"},
    {"MY", {8}, "malaysia|kuala lumpur"},
    {"SG", {8}, "singapore"},
    {"PH", {8}, "philippines|manila|quezon city|cebu|davao"},
    {"CN", {8}, "china|beijing|shanghai|中国|北京|上海|shenzhen|guangzhou"},
    {"HK", {8}, "hong kong|香港"},
    {"TW", {8}, "taiwan|taipei|台灣|台北"},
    {"KR", {9}, "south korea|korea|seoul|busan|서울"},
    {"JP", {9}, "japan|tokyo|osaka|日本|東京|kyoto"},
    {"AU", {8, 9.5, 10, 10.5, 11}, "australia|sydney|melbourne|brisbane|perth|adelaide|canberra"},
    {"NZ", {12, 13}, "new zealand|auckland|wellington"},
};

bool IsWordChar(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

}  // namespace internal

namespace {

using internal::kOffsetsInUse;
using internal::kPlaces;

constexpr int kBins = 96;            // quarter hours of a day
constexpr int kNightBins = 28;       // 00:00-07:00 local
constexpr double kUniformNight = 7.0 / 24.0;

int Mod(int64_t x, int64_t m) { return static_cast<int>(((x % m) + m) % m); }

// Activity in the local window [from_hour, from_hour + hours) for a clock
// `offset` hours ahead of UTC.
double WindowMass(const std::array<double, kBins>& q, double offset, double from_hour, double hours) {
  const int start = Mod(static_cast<int64_t>(std::lround((from_hour - offset) * 4)), kBins);
  const int len = static_cast<int>(std::lround(hours * 4));
  double m = 0;
  for (int k = 0; k < len; ++k) m += q[(start + k) % kBins];
  return m;
}

double CircularHours(double a, double b) {
  const double d = std::fmod(std::fabs(a - b), 24.0);
  return std::min(d, 24.0 - d);
}

std::string OffsetName(double h) {
  const int sign = h < 0 ? -1 : 1;
  const double a = std::fabs(h);
  const int hours = static_cast<int>(a);
  const int minutes = static_cast<int>(std::lround((a - hours) * 60));
  if (minutes == 0) return fmt::format("UTC{}{}", sign < 0 ? "-" : "+", hours);
  return fmt::format("UTC{}{}:{:02}", sign < 0 ? "-" : "+", hours, minutes);
}

// Counts one entity's events (time-sorted or not) into histograms and a
// daily series.
struct Counter {
  std::array<double, kBins> quarter{};
  std::array<double, 168> week{};
  std::vector<uint32_t> daily;
  int64_t first_day = 0;
  uint64_t events = 0;

  void Reset(int64_t first, int64_t last) {
    quarter.fill(0);
    week.fill(0);
    first_day = first;
    daily.assign(static_cast<size_t>(last - first + 1), 0);
    events = 0;
  }
  void Add(int64_t t) {
    const int64_t day = FloorDiv(t, 86400);
    const int sod = static_cast<int>(t - day * 86400);
    quarter[sod / 900] += 1;
    const int weekday = Mod(day + 3, 7);  // 1970-01-01 was a Thursday; 0 = Monday
    week[weekday * 24 + sod / 3600] += 1;
    ++daily[static_cast<size_t>(day - first_day)];
    ++events;
  }
  int FirstWeekday() const { return Mod(first_day + 3, 7); }
};

}  // namespace

std::span<const double> UtcOffsetsInUse() { return kOffsetsInUse; }

RhythmProfile ProfileFromCounts(const std::array<double, 96>& q, const std::array<double, 168>& week,
                                std::span<const uint32_t> daily, const RhythmOptions& o, double accounts) {
  RhythmProfile p;
  p.accounts = std::max(1.0, accounts);
  p.quarter_hour_utc = q;
  p.hour_of_week_utc = week;
  double total = 0;
  for (double v : q) total += v;
  p.events = static_cast<uint64_t>(std::llround(total));
  for (uint32_t d : daily) {
    if (d > 0) ++p.active_days;
    p.max_events_per_day = std::max(p.max_events_per_day, static_cast<double>(d) / p.accounts);
  }
  // Busiest run of superhuman_days consecutive days (zeros included).
  {
    const size_t w = static_cast<size_t>(std::max(1, o.superhuman_days));
    uint64_t run = 0, best = 0;
    for (size_t i = 0; i < daily.size(); ++i) {
      run += daily[i];
      if (i >= w) run -= daily[i - w];
      best = std::max(best, run);
    }
    p.busiest_run_per_day = static_cast<double>(best) / static_cast<double>(w) / p.accounts;
    p.run_days = static_cast<int>(w);
  }
  if (total <= 0) return p;

  // Hour-of-day entropy, normalised by log 24.
  std::array<double, 24> hours{};
  for (int b = 0; b < kBins; ++b) hours[b / 4] += q[b];
  double h = 0;
  for (double c : hours)
    if (c > 0) h -= c / total * std::log(c / total);
  p.hour_entropy = h / std::log(24.0);

  // Night window per offset in use; ties broken by the 9- then 11-hour night
  // around it, which centres the estimate inside a long silent stretch.
  // A prior on zones: half and quarter hours are kept by few people (India,
  // Iran, Afghanistan, Myanmar, Newfoundland, central Australia; Nepal,
  // Chatham, Eucla), so they must beat the whole hour next to them clearly.
  struct Fit { double offset, night, score, wide, wider; };
  std::vector<Fit> fits;
  for (double off : kOffsetsInUse) {
    const double frac = off - std::floor(off);
    const double prior = frac == 0 || off == 5.5 ? 1.0 : frac == 0.5 ? 1.25 : 1.5;
    const double night = WindowMass(q, off, 0, 7);
    fits.push_back({off, night, (night + 2) * prior, WindowMass(q, off, -1, 9), WindowMass(q, off, -2, 11)});
  }
  auto better = [](const Fit& a, const Fit& b) {
    if (a.score != b.score) return a.score < b.score;
    if (a.wide != b.wide) return a.wide < b.wide;
    return a.wider < b.wider;
  };
  const Fit best = *std::min_element(fits.begin(), fits.end(), better);
  const Fit* rival = nullptr;
  for (const Fit& f : fits)
    if (CircularHours(f.offset, best.offset) > 1.0 + 1e-9 && (rival == nullptr || better(f, *rival))) rival = &f;
  p.night_share_ratio = best.night / total / kUniformNight;
  if (rival != nullptr) {
    p.rival_offset_hours = rival->offset;
    p.confidence = std::clamp(1.0 - (best.night + 2) / (rival->night + 2), 0.0, 1.0);
  }

  p.flat_24h = p.events >= o.min_flat_events && p.hour_entropy >= o.flat_entropy && p.night_share_ratio > o.night_trough_max;
  p.superhuman = p.busiest_run_per_day > o.superhuman_per_day;
  p.automated = p.flat_24h || p.superhuman;
  const bool evidence = !p.automated && p.events >= o.min_events && p.night_share_ratio <= o.night_trough_max;
  if (evidence) p.utc_offset_hours = best.offset;
  else p.confidence = 0;

  // Local shares.
  const double off = p.utc_offset_hours.value_or(0);
  const int shift_bins = static_cast<int>(std::lround(off * 4));
  p.local_hour_share.fill(0);
  for (int b = 0; b < kBins; ++b) p.local_hour_share[Mod(b + shift_bins, kBins) / 4] += q[b] / total;
  const int shift_hours = static_cast<int>(std::lround(off));
  p.local_weekday_share.fill(0);
  for (int k = 0; k < 168; ++k) p.local_weekday_share[Mod(k + shift_hours, 168) / 24] += week[k] / total;

  const auto& s = p.local_hour_share;
  auto mean = [&](int a, int b) {
    double m = 0;
    for (int i = a; i <= b; ++i) m += s[i];
    return m / (b - a + 1);
  };
  auto max_of = [&](int a, int b) { return *std::max_element(s.begin() + a, s.begin() + b + 1); };
  auto min_of = [&](int a, int b) { return *std::min_element(s.begin() + a, s.begin() + b + 1); };
  double night = 0;
  for (int i = 0; i < 6; ++i) night += s[i];
  p.night_pause = evidence && night < o.night_pause_share;
  const double lunch = std::min(s[12], s[13]);
  p.lunch_dip = evidence && lunch < o.lunch_dip_ratio * mean(9, 11) && lunch < o.lunch_dip_ratio * mean(14, 17);
  p.morning_peak = evidence && max_of(8, 11) >= o.peak_ratio * min_of(12, 16) && max_of(8, 11) > 1.0 / 24;
  p.evening_peak = evidence && max_of(17, 22) >= o.peak_ratio * min_of(13, 17) && max_of(17, 22) > 1.0 / 24;
  const double wd = (p.local_weekday_share[0] + p.local_weekday_share[1] + p.local_weekday_share[2] +
                     p.local_weekday_share[3] + p.local_weekday_share[4]) / 5;
  const double we = (p.local_weekday_share[5] + p.local_weekday_share[6]) / 2;
  p.weekday_weekend_ratio = we > 0 ? wd / we : 99;
  p.weekend_drop = evidence && p.weekday_weekend_ratio >= o.weekend_drop_ratio;
  p.shift_work = p.night_pause && (p.lunch_dip || (p.morning_peak && p.evening_peak));

  if (p.superhuman)
    p.automation_score = 0.5 + 0.5 * std::min(1.0, p.busiest_run_per_day / o.superhuman_per_day - 1);
  if (p.flat_24h)
    p.automation_score = std::max(p.automation_score, 0.5 + 0.5 * (p.hour_entropy - o.flat_entropy) / (1 - o.flat_entropy));
  if (p.shift_work)
    p.shift_score = p.confidence * (0.5 + 0.25 * p.lunch_dip + 0.25 * (p.morning_peak && p.evening_peak));
  return p;
}

RhythmProfile RhythmOf(const Dataset& ds, std::span<const AccountIndex> accounts, const RhythmOptions& options) {
  std::vector<uint8_t> member(ds.num_accounts(), 0);
  for (AccountIndex a : accounts)
    if (a < member.size()) member[a] = 1;
  const Events& ev = ds.events;
  int64_t first = std::numeric_limits<int64_t>::max(), last = std::numeric_limits<int64_t>::min();
  for (size_t i = 0; i < ev.size(); ++i)
    if (ev.account[i] < member.size() && member[ev.account[i]]) {
      first = std::min(first, FloorDiv(ev.time[i], 86400));
      last = std::max(last, FloorDiv(ev.time[i], 86400));
    }
  Counter c;
  if (first > last) return ProfileFromCounts(c.quarter, c.week, {}, options);
  c.Reset(first, last);
  double active = 0;
  for (size_t i = 0; i < ev.size(); ++i) {
    const AccountIndex a = ev.account[i];
    if (a >= member.size() || !member[a]) continue;
    c.Add(ev.time[i]);
    if (member[a] == 1) member[a] = 2, ++active;
  }
  return ProfileFromCounts(c.quarter, c.week, c.daily, options, active);
}

std::string RhythmProfile::Describe() const {
  std::string out;
  if (superhuman)
    out = fmt::format("posts {:.0f} times a day{} over its busiest {} days (at most {:.0f} in a day, {} active days)",
                      busiest_run_per_day, accounts > 1 ? " per account" : "", run_days, max_events_per_day, active_days);
  if (flat_24h) {
    if (!out.empty()) out += "; ";
    out += fmt::format("activity flat across all 24 hours (entropy {:.2f} of max, nights {:.0f}% of a uniform day)",
                       hour_entropy, 100 * night_share_ratio);
  }
  if (automated) return out + "; no time zone can be inferred from an automated schedule";
  if (!utc_offset_hours)
    return fmt::format("{} events; no night trough to infer a clock from (quietest 7 hours hold {:.0f}% of a uniform share)",
                       events, 100 * night_share_ratio);
  out = fmt::format("{} events on {} days follow a {} clock (confidence {:.2f}", events, active_days,
                    OffsetName(*utc_offset_hours), confidence);
  if (rival_offset_hours) out += fmt::format(", next best {}", OffsetName(*rival_offset_hours));
  out += ")";
  std::vector<std::string> traits;
  double night = 0;
  for (int i = 0; i < 6; ++i) night += local_hour_share[i];
  if (night_pause) traits.push_back(fmt::format("overnight pause ({:.1f}% of activity 00-06 local)", 100 * night));
  if (morning_peak) traits.push_back("morning peak");
  if (lunch_dip) traits.push_back(fmt::format("lunch dip ({:.1f}% at 12-14 vs {:.1f}% at 09-12 per hour)",
                                              100 * std::min(local_hour_share[12], local_hour_share[13]),
                                              100 * (local_hour_share[9] + local_hour_share[10] + local_hour_share[11]) / 3));
  if (evening_peak) traits.push_back("evening peak");
  traits.push_back(weekend_drop ? fmt::format("weekdays {:.1f}x weekends", weekday_weekend_ratio)
                                : fmt::format("active on weekends too (weekday/weekend {:.2f})", weekday_weekend_ratio));
  out += ": ";
  for (size_t i = 0; i < traits.size(); ++i) out += (i ? ", " : "") + traits[i];
  if (shift_work) out += "; looks like shift work";
  return out;
}

CountryCode CountryFromLocation(std::string_view text) {
  if (text.empty()) return kNoCountry;
  std::string lower(text);
  for (char& ch : lower)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  size_t best_pos = std::string::npos;
  CountryCode best = kNoCountry;
  for (const auto& place : kPlaces) {
    std::string_view names(place.names);
    while (!names.empty()) {
      const size_t bar = names.find('|');
      const std::string_view name = names.substr(0, bar);
      names = bar == std::string_view::npos ? std::string_view() : names.substr(bar + 1);
      for (size_t pos = lower.find(name); pos != std::string::npos; pos = lower.find(name, pos + 1)) {
        const bool left = pos == 0 || !internal::IsWordChar(static_cast<unsigned char>(lower[pos - 1]));
        const size_t end = pos + name.size();
        const bool right = end >= lower.size() || !internal::IsWordChar(static_cast<unsigned char>(lower[end]));
        // The place named last wins: "Paris, Texas" is in the US.
        if (left && right && (best_pos == std::string::npos || pos >= best_pos)) {
          best_pos = pos;
          ParseCountry(place.code, &best);
        }
      }
    }
  }
  return best;
}

std::span<const double> CountryUtcOffsets(CountryCode country) {
  for (const auto& place : kPlaces) {
    CountryCode c;
    if (ParseCountry(place.code, &c) && c == country) return {place.offsets.begin(), place.offsets.size()};
  }
  return {};
}

bool OffsetContradicts(CountryCode country, double offset_hours) {
  const auto offsets = CountryUtcOffsets(country);
  if (offsets.empty()) return false;
  for (double o : offsets)
    if (CircularHours(o, offset_hours) <= 1.0 + 1e-9) return false;
  return true;
}

double ClaimContradiction(const std::array<double, 96>& q, CountryCode claimed) {
  const auto claimed_offsets = CountryUtcOffsets(claimed);
  if (claimed_offsets.empty()) return 0;
  double n_any = std::numeric_limits<double>::infinity(), n_claim = n_any;
  for (double offset : kOffsetsInUse) {
    const double night = WindowMass(q, offset, 0, kNightBins / 4.0);
    n_any = std::min(n_any, night);
    for (double c : claimed_offsets)
      if (CircularHours(c, offset) <= 1.0 + 1e-9) n_claim = std::min(n_claim, night);
  }
  return std::max(0.0, 1 - (n_any + 2) / (n_claim + 2));
}

PostingRhythmSignal::PostingRhythmSignal(const Dataset& ds, RhythmOptions options) : ds_(ds), options_(options) {}

bool PostingRhythmSignal::Applicable(std::string* why_not) const {
  if (ds_.events.size() == 0) {
    if (why_not != nullptr) *why_not = "no events";
    return false;
  }
  return true;
}

Status PostingRhythmSignal::Compute() {
  const RhythmOptions& o = options_;
  if (o.superhuman_days < 1)
    return Status::InvalidArgument(fmt::format("superhuman_days must be >= 1, got {}", o.superhuman_days));
  if (!(o.superhuman_per_day > 0))
    return Status::InvalidArgument(fmt::format("superhuman_per_day must be > 0 events, got {}", o.superhuman_per_day));
  for (auto [name, v] : {std::pair{"flat_entropy", o.flat_entropy}, {"night_trough_max", o.night_trough_max},
                         {"night_pause_share", o.night_pause_share}, {"lunch_dip_ratio", o.lunch_dip_ratio},
                         {"mismatch_min_confidence", o.mismatch_min_confidence}})
    if (!(v >= 0 && v <= 1)) return Status::InvalidArgument(fmt::format("{} must be in [0, 1], got {}", name, v));
  if (!(o.claim_contradiction_min >= 0))
    return Status::InvalidArgument(
        fmt::format("claim_contradiction_min must be >= 0 (above 1 turns the test off), got {}", o.claim_contradiction_min));
  if (!(o.peak_ratio >= 1)) return Status::InvalidArgument(fmt::format("peak_ratio must be >= 1, got {}", o.peak_ratio));

  const size_t n = ds_.num_accounts();
  const Events& ev = ds_.events;
  // Events grouped by account (counting sort keeps time order).
  std::vector<uint64_t> offsets(n + 1, 0);
  for (size_t i = 0; i < ev.size(); ++i)
    if (ev.account[i] < n) ++offsets[ev.account[i] + 1];
  for (size_t a = 0; a < n; ++a) offsets[a + 1] += offsets[a];
  std::vector<uint64_t> fill(offsets.begin(), offsets.end() - 1);
  std::vector<uint32_t> rows(offsets[n]);
  for (size_t i = 0; i < ev.size(); ++i)
    if (ev.account[i] < n) rows[fill[ev.account[i]]++] = static_cast<uint32_t>(i);

  slot_.assign(n, UINT32_MAX);
  profiles_.clear();
  scores_.assign(n, 0.0f);
  mismatches_.clear();
  groups_.clear();
  Counter c;
  for (size_t a = 0; a < n; ++a) {
    const uint64_t lo = offsets[a], hi = offsets[a + 1];
    if (hi - lo < o.min_events && static_cast<double>(hi - lo) <= o.superhuman_per_day) continue;
    c.Reset(FloorDiv(ev.time[rows[lo]], 86400), FloorDiv(ev.time[rows[hi - 1]], 86400));
    for (uint64_t k = lo; k < hi; ++k) c.Add(ev.time[rows[k]]);
    RhythmProfile p = ProfileFromCounts(c.quarter, c.week, c.daily, o);
    scores_[a] = static_cast<float>(std::max(p.automation_score, p.shift_score));
    slot_[a] = static_cast<uint32_t>(profiles_.size());
    profiles_.push_back(std::move(p));
  }

  // Location claims against the clock, the infrastructure and the platform.
  std::vector<std::map<CountryCode, uint32_t>> infra_countries(n);
  for (const InfraObservation& obs : ds_.infra)
    if (obs.account < n && obs.country != kNoCountry) ++infra_countries[obs.account][obs.country];
  for (size_t a = 0; a < n; ++a) {
    const CountryCode claimed = CountryFromLocation(ds_.String(ds_.accounts[a].claimed_location));
    if (claimed == kNoCountry) continue;
    LocationMismatch m{static_cast<AccountIndex>(a), claimed};
    // The claim against the clock: only accounts with a night to read (an
    // offset; automation has none).
    if (const RhythmProfile* p = ProfileOf(static_cast<AccountIndex>(a));
        p != nullptr && p->utc_offset_hours && o.claim_contradiction_min <= 1) {
      m.clock_contradiction = ClaimContradiction(p->quarter_hour_utc, claimed);
      m.offset_contradicts = m.clock_contradiction >= o.claim_contradiction_min ||
                             (p->confidence >= o.mismatch_min_confidence && OffsetContradicts(claimed, *p->utc_offset_hours));
      // A persona whose nights are busy where it claims to live says so on its own.
      if (m.offset_contradicts) scores_[a] = std::max(scores_[a], static_cast<float>(m.clock_contradiction));
    }
    uint32_t located = 0, top = 0;
    CountryCode top_country = kNoCountry;
    for (const auto& [country, count] : infra_countries[a]) {
      located += count;
      if (count > top) top = count, top_country = country;
    }
    if (top_country != kNoCountry && top_country != claimed && 2 * top > located) m.infra_country = top_country;
    const CountryCode platform = ds_.accounts[a].country;
    if (platform != kNoCountry && platform != claimed) m.platform_country = platform;
    if (m.offset_contradicts || m.infra_country != kNoCountry || m.platform_country != kNoCountry) mismatches_.push_back(m);
  }

  // Groups: mismatched accounts claiming one country and placed in one other
  // (infrastructure first, then the platform, then the clock).
  std::map<std::tuple<CountryCode, CountryCode, double>, std::vector<AccountIndex>> buckets;
  for (const LocationMismatch& m : mismatches_) {
    const RhythmProfile* p = ProfileOf(m.account);
    const CountryCode where = m.infra_country != kNoCountry ? m.infra_country : m.platform_country;
    const double clock = where == kNoCountry && p != nullptr && p->utc_offset_hours ? *p->utc_offset_hours : 99;
    buckets[{m.claimed, where, clock}].push_back(m.account);
  }
  for (auto& [key, members] : buckets) {
    if (members.size() < o.min_group_size) continue;
    const auto& [claimed, where, clock] = key;
    uint32_t by_clock = 0, by_infra = 0, by_platform = 0;
    std::map<double, uint32_t> clocks;
    for (AccountIndex a : members) {
      const LocationMismatch& m = *std::lower_bound(
          mismatches_.begin(), mismatches_.end(), a, [](const LocationMismatch& x, AccountIndex v) { return x.account < v; });
      by_clock += m.offset_contradicts;
      by_infra += m.infra_country != kNoCountry;
      by_platform += m.platform_country != kNoCountry;
      if (m.offset_contradicts) ++clocks[*ProfileOf(a)->utc_offset_hours];
    }
    std::string text = fmt::format("{} accounts claim to be in {} ", members.size(), CountryName(claimed));
    std::vector<std::string> parts;
    if (where != kNoCountry) parts.push_back(fmt::format("are placed in {}", CountryName(where)));
    if (by_infra) parts.push_back(fmt::format("{} by their infrastructure", by_infra));
    if (by_platform) parts.push_back(fmt::format("{} by the platform", by_platform));
    if (by_clock) {
      const auto top = std::max_element(clocks.begin(), clocks.end(),
                                        [](const auto& x, const auto& y) { return x.second < y.second; });
      parts.push_back(fmt::format("{} post on a clock implausible there (most on {})", by_clock, OffsetName(top->first)));
    }
    for (size_t i = 0; i < parts.size(); ++i) text += (i ? ", " : "but ") + parts[i];
    const double evidence = static_cast<double>(by_clock + by_infra + by_platform) / static_cast<double>(members.size());
    std::sort(members.begin(), members.end());
    groups_.push_back({members, static_cast<float>(std::min(1.0, evidence / 2)), 1.0, std::move(text)});
  }
  return Status::Ok();
}

const RhythmProfile* PostingRhythmSignal::profile(AccountIndex account) const {
  return has_run() ? ProfileOf(account) : nullptr;
}

// Compute() reads profiles before the run has finished; profile() would give
// nullptr there, which kept the clock out of the location test until issue 16.
const RhythmProfile* PostingRhythmSignal::ProfileOf(AccountIndex account) const {
  if (account >= slot_.size() || slot_[account] == UINT32_MAX) return nullptr;
  return &profiles_[slot_[account]];
}

const std::vector<float>& PostingRhythmSignal::DoAccountScores() const { return scores_; }
const std::vector<SignalGroup>& PostingRhythmSignal::DoGroups() const { return groups_; }
const std::vector<LocationMismatch>& PostingRhythmSignal::mismatches() const {
  AssureFinished();
  return mismatches_;
}

std::string PostingRhythmSignal::DoExplainAccount(AccountIndex account) const {
  if (account >= ds_.num_accounts()) return "";
  const RhythmProfile* p = profile(account);
  std::string out = p != nullptr ? std::string(ds_.AccountId(account)) + " " + p->Describe()
                                 : fmt::format("{}: too few events for a rhythm", ds_.AccountId(account));
  const auto it = std::lower_bound(mismatches_.begin(), mismatches_.end(), account,
                                   [](const LocationMismatch& x, AccountIndex v) { return x.account < v; });
  if (it != mismatches_.end() && it->account == account) out += "; " + ExplainMismatch(*it);
  return out;
}

std::string PostingRhythmSignal::ExplainMismatch(const LocationMismatch& m) const {
  std::string out = fmt::format("claims \"{}\" ({})", ds_.String(ds_.accounts[m.account].claimed_location),
                                CountryName(m.claimed));
  std::vector<std::string> parts;
  if (m.offset_contradicts) {
    const RhythmProfile* p = profile(m.account);
    std::string zones;
    for (double z : CountryUtcOffsets(m.claimed)) zones += (zones.empty() ? "" : ", ") + OffsetName(z);
    parts.push_back(fmt::format("posts on a {} clock (confidence {:.2f}; its nights where {} keeps {} are busy: "
                                "contradiction {:.2f})",
                                OffsetName(*p->utc_offset_hours), p->confidence, CountryName(m.claimed), zones,
                                m.clock_contradiction));
  }
  if (m.infra_country != kNoCountry)
    parts.push_back(fmt::format("its infrastructure is mostly in {}", CountryName(m.infra_country)));
  if (m.platform_country != kNoCountry)
    parts.push_back(fmt::format("the platform places it in {}", CountryName(m.platform_country)));
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : " but ") + parts[i];
  return out;
}

}  // namespace lockstep
