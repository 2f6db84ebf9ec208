#include "lockstep/detect/claimed_zones_clock.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>

#include <fmt/format.h>

#include "lockstep/model/time.h"
#include "lockstep/signals/posting_rhythm.h"

namespace lockstep {

namespace {

constexpr int kHours = 24;
using Day = std::array<double, kHours>;

int Mod24(int64_t x) { return static_cast<int>(((x % kHours) + kHours) % kHours); }
// A lag in hours as -11..12.
int Signed(int lag) {
  lag = Mod24(lag);
  return lag > 12 ? lag - kHours : lag;
}

// The representative offset of a country, whole hours: the middle of its
// offsets (the US: -7; a one-zone country: its standard time).
int RepresentativeOffset(CountryCode country) {
  const auto offsets = CountryUtcOffsets(country);
  const auto [lo, hi] = std::minmax_element(offsets.begin(), offsets.end());
  return static_cast<int>(std::floor((*lo + *hi) / 2));
}

// Pearson correlation over the day of a(h) with b(h + lag); 0 if either is flat.
double Correlation(const Day& a, const Day& b, int lag) {
  double ma = 0, mb = 0;
  for (int h = 0; h < kHours; ++h) ma += a[h], mb += b[h];
  ma /= kHours, mb /= kHours;
  double sab = 0, saa = 0, sbb = 0;
  for (int h = 0; h < kHours; ++h) {
    const double x = a[h] - ma, y = b[Mod24(h + lag)] - mb;
    sab += x * y, saa += x * x, sbb += y * y;
  }
  return saa <= 0 || sbb <= 0 ? 0.0 : sab / std::sqrt(saa * sbb);
}

struct Pair {
  size_t a, b;              // zone indices
  std::vector<int> claimed; // claimed lags, hours (mod 24)
  double weight;            // members of the smaller zone
};

struct PairFit {
  double same = -2, claimed = -2;
};

PairFit Fit(const Day& a, const Day& b, const Pair& p, int same_clock_hours) {
  PairFit f;
  for (int lag = -same_clock_hours; lag <= same_clock_hours; ++lag) f.same = std::max(f.same, Correlation(a, b, lag));
  for (int lag : p.claimed) f.claimed = std::max(f.claimed, Correlation(a, b, lag));
  return f;
}

double Effect(const std::vector<Day>& zones, const std::vector<Pair>& pairs, int same_clock_hours) {
  double sum = 0, weights = 0;
  for (const Pair& p : pairs) {
    const PairFit f = Fit(zones[p.a], zones[p.b], p, same_clock_hours);
    sum += p.weight * (f.same - f.claimed);
    weights += p.weight;
  }
  return weights > 0 ? sum / weights : 0.0;
}

}  // namespace

ClaimedZonesClock::ClaimedZonesClock(const Dataset& ds, ClaimedZonesClockOptions options) : ds_(ds), options_(options) {}

Status ClaimedZonesClock::Run() {
  if (called_) return Status::FailedPrecondition("claimed zones clock: already run");
  called_ = true;
  const ClaimedZonesClockOptions& o = options_;
  if (o.reaction_seconds < 0)
    return Status::InvalidArgument(
        fmt::format("claimed zones clock: reaction_seconds is {}, expected >= 0", o.reaction_seconds));
  if (o.min_zone_members < 1)
    return Status::InvalidArgument("claimed zones clock: min_zone_members is 0, expected at least 1");
  if (!(o.min_zone_gap_hours >= 0 && o.min_zone_gap_hours <= 12))
    return Status::InvalidArgument(
        fmt::format("claimed zones clock: min_zone_gap_hours is {}, expected 0..12", o.min_zone_gap_hours));
  if (!(o.same_clock_hours >= 0 && o.same_clock_hours < o.min_zone_gap_hours))
    return Status::InvalidArgument(fmt::format(
        "claimed zones clock: same_clock_hours is {}, expected 0 and less than min_zone_gap_hours ({})",
        o.same_clock_hours, o.min_zone_gap_hours));
  if (!(o.max_p > 0 && o.max_p <= 1) || !(o.full_effect > 0) || !(o.min_effect > -2 && o.min_effect <= 2))
    return Status::InvalidArgument(
        fmt::format("claimed zones clock: max_p {} (expected (0, 1]), full_effect {} (> 0), min_effect {} (-2..2)",
                    o.max_p, o.full_effect, o.min_effect));
  if (o.permutations == 0 || static_cast<double>(o.permutations) + 1 < 1 / o.max_p)
    return Status::InvalidArgument(fmt::format(
        "claimed zones clock: permutations is {}, expected at least 1 / max_p - 1 = {:.0f} to resolve max_p",
        o.permutations, std::ceil(1 / o.max_p - 1)));
  const size_t num_accounts = ds_.accounts.size();
  slot_.assign(num_accounts, UINT32_MAX);
  std::unordered_map<StringId, CountryCode> country_of;  // one match per distinct claim
  for (size_t a = 0; a < num_accounts; ++a) {
    const StringId claim = ds_.accounts[a].claimed_location;
    if (claim == kNoString) continue;
    auto [it, fresh] = country_of.try_emplace(claim, kNoCountry);
    if (fresh) {
      const CountryCode c = CountryFromLocation(ds_.String(claim));
      it->second = c != kNoCountry && !CountryUtcOffsets(c).empty() ? c : kNoCountry;
    }
    if (it->second == kNoCountry) continue;
    slot_[a] = static_cast<uint32_t>(zone_.size());
    zone_.push_back(it->second);
  }
  cells_.assign(zone_.size(), 0);
  profiles_.assign(zone_.size(), {});
  const Events& ev = ds_.events;
  // Reactions keep the clock of what they react to: the times of the posts
  // the claimants share, like or answer, when those posts are in the data.
  auto reacts = [&](size_t i) {
    return ev.type[i] != EventType::kPost && ev.type[i] != EventType::kFollow && ev.type[i] != EventType::kJoin &&
           ev.target_id[i] != kNoString;
  };
  std::unordered_map<StringId, int64_t> target_time;
  for (size_t i = 0; i < ev.size(); ++i)
    if (ev.account[i] < num_accounts && slot_[ev.account[i]] != UINT32_MAX && reacts(i))
      target_time.emplace(ev.target_id[i], kNoTime);
  if (!target_time.empty())
    for (size_t i = 0; i < ev.size(); ++i)
      if (ev.event_id[i] != kNoString)
        if (auto it = target_time.find(ev.event_id[i]); it != target_time.end() && it->second == kNoTime)
          it->second = ev.time[i];
  // Distinct active hours: events are sorted by time, so an account's hour
  // cells come in order and a new one differs from its last.
  std::vector<int64_t> last(zone_.size(), std::numeric_limits<int64_t>::min());
  for (size_t i = 0; i < ev.size(); ++i) {
    if (ev.time[i] == kNoTime || ev.account[i] >= num_accounts) continue;
    const uint32_t s = slot_[ev.account[i]];
    if (s == UINT32_MAX) continue;
    if (reacts(i)) {
      const int64_t t = target_time.at(ev.target_id[i]);
      if (t != kNoTime && std::abs(ev.time[i] - t) <= o.reaction_seconds) continue;
    }
    const int64_t cell = FloorDiv(ev.time[i], 3600);
    if (cell == last[s]) continue;
    last[s] = cell;
    ++cells_[s];
    profiles_[s][static_cast<size_t>(Mod24(cell))] += 1;
  }
  for (size_t s = 0; s < profiles_.size(); ++s)
    if (cells_[s] > 0)
      for (float& v : profiles_[s]) v /= static_cast<float>(cells_[s]);
  has_run_ = true;
  return Status::Ok();
}

ClaimedZonesClockResult ClaimedZonesClock::Test(const std::vector<AccountIndex>& group) const {
  if (!has_run_) {
    std::fprintf(stderr, "lockstep: ClaimedZonesClock::Test called before a successful Run()\n");
    std::abort();
  }
  const ClaimedZonesClockOptions& o = options_;
  ClaimedZonesClockResult r;
  // Members with a placeable claim and enough active hours, by zone.
  std::vector<AccountIndex> members;
  for (AccountIndex a : group)
    if (a < slot_.size() && slot_[a] != UINT32_MAX && cells_[slot_[a]] >= o.min_member_active_hours) members.push_back(a);
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  std::vector<CountryCode> zones;
  for (AccountIndex a : members) zones.push_back(zone_[slot_[a]]);
  std::sort(zones.begin(), zones.end());
  std::vector<std::pair<CountryCode, size_t>> counts;
  for (CountryCode c : zones) {
    if (counts.empty() || counts.back().first != c) counts.emplace_back(c, 0);
    ++counts.back().second;
  }
  std::erase_if(counts, [&](const auto& c) { return c.second < o.min_zone_members; });
  r.zones = counts.size();
  // Pairs of zones far enough apart.
  std::vector<Pair> pairs;
  std::vector<bool> in_pair(counts.size(), false);
  for (size_t i = 0; i < counts.size(); ++i)
    for (size_t j = i + 1; j < counts.size(); ++j) {
      Pair p{i, j, {}, static_cast<double>(std::min(counts[i].second, counts[j].second))};
      double gap = 12;
      for (double oa : CountryUtcOffsets(counts[i].first))
        for (double ob : CountryUtcOffsets(counts[j].first)) {
          const double d = std::fmod(std::fabs(oa - ob), 24.0);
          gap = std::min(gap, std::min(d, 24 - d));
          const int lag = Mod24(std::lround(oa - ob));
          if (std::find(p.claimed.begin(), p.claimed.end(), lag) == p.claimed.end()) p.claimed.push_back(lag);
        }
      if (gap + 1e-9 < o.min_zone_gap_hours) continue;
      in_pair[i] = in_pair[j] = true;
      pairs.push_back(std::move(p));
    }
  r.pairs = pairs.size();
  if (pairs.empty()) {
    r.explanation = "no two claimed countries far enough apart, each with enough active members";
    return r;
  }
  // The members that take part, their zone index and representative offset.
  std::vector<uint32_t> who;  // slots
  std::vector<size_t> zone_index;
  std::vector<int> offset;
  std::vector<size_t> zone_of_count(counts.size());
  for (AccountIndex a : members) {
    const uint32_t s = slot_[a];
    const auto it = std::lower_bound(counts.begin(), counts.end(), zone_[s],
                                     [](const auto& c, CountryCode z) { return c.first < z; });
    if (it == counts.end() || it->first != zone_[s]) continue;
    const auto z = static_cast<size_t>(it - counts.begin());
    if (!in_pair[z]) continue;
    who.push_back(s);
    zone_index.push_back(z);
    offset.push_back(RepresentativeOffset(zone_[s]));
  }
  r.claimants = who.size();
  const int same_hours = static_cast<int>(std::floor(o.same_clock_hours + 1e-9));
  std::vector<Day> sums(counts.size());
  auto pool = [&](const std::vector<size_t>& dealt) {  // dealt[j]: whose day member j receives
    for (Day& d : sums) d.fill(0);
    for (size_t j = 0; j < who.size(); ++j) {
      const auto& day = profiles_[who[dealt[j]]];
      const int shift = offset[j] - offset[dealt[j]];
      Day& sum = sums[zone_index[j]];
      for (int h = 0; h < kHours; ++h) sum[h] += day[static_cast<size_t>(Mod24(h + shift))];
    }
  };
  std::vector<size_t> dealt(who.size());
  std::iota(dealt.begin(), dealt.end(), 0);
  pool(dealt);
  r.effect = Effect(sums, pairs, same_hours);
  // The heaviest pair, in words.
  const Pair& heavy = *std::max_element(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) { return x.weight < y.weight; });
  {
    const PairFit f = Fit(sums[heavy.a], sums[heavy.b], heavy, same_hours);
    r.same_clock = f.same;
    r.claimed_clock = f.claimed;
    double best = -2;
    for (int lag = 0; lag < kHours; ++lag) {
      const double c = Correlation(sums[heavy.a], sums[heavy.b], lag);
      if (c > best + 1e-12) best = c, r.peak_lag_hours = Signed(lag);
    }
    r.zone_a = counts[heavy.a].first, r.zone_b = counts[heavy.b].first;
    r.members_a = counts[heavy.a].second, r.members_b = counts[heavy.b].second;
    r.peak_hour_a = static_cast<int>(std::max_element(sums[heavy.a].begin(), sums[heavy.a].end()) - sums[heavy.a].begin());
    r.peak_hour_b = static_cast<int>(std::max_element(sums[heavy.b].begin(), sums[heavy.b].end()) - sums[heavy.b].begin());
  }
  // The permutation null, drawn only when the observed effect could hold.
  size_t draws = 0;
  if (r.effect >= o.min_effect && std::abs(r.peak_lag_hours) <= same_hours) {
    std::mt19937_64 rng(o.seed ^ (0x9e3779b97f4a7c15ull * (static_cast<uint64_t>(members.front()) + 1)));
    size_t at_least = 0;
    const double limit = o.max_p * (static_cast<double>(o.permutations) + 1);
    for (; draws < o.permutations; ++draws) {
      std::shuffle(dealt.begin(), dealt.end(), rng);
      pool(dealt);
      if (Effect(sums, pairs, same_hours) >= r.effect - 1e-12) ++at_least;
      if (static_cast<double>(at_least + 1) > limit) {  // p can no longer reach max_p
        ++draws;
        break;
      }
    }
    r.p = static_cast<double>(at_least + 1) / (static_cast<double>(o.permutations) + 1);  // > max_p if stopped early
  }
  r.holds = draws > 0 && r.effect >= o.min_effect && r.p <= o.max_p && std::abs(r.peak_lag_hours) <= same_hours;
  r.strength = r.holds ? std::min(1.0, r.effect / o.full_effect) : 0.0;
  std::vector<int> signed_lags;
  for (int lag : heavy.claimed) signed_lags.push_back(Signed(lag));
  std::sort(signed_lags.begin(), signed_lags.end());
  std::string lags;
  for (int lag : signed_lags) lags += (lags.empty() ? "" : ", ") + fmt::format("{:+d}", lag);
  r.explanation = fmt::format(
      "{} members claiming {} and {} claiming {} are busiest at {:02d}:00 and {:02d}:00 UTC; their days line up at a "
      "lag of {:+d} h (correlation {:.2f} within {} h of one clock) where the claims put them {} h apart "
      "(best {:.2f}); over {} pair(s) of {} claimed countries ({} members), one clock fits better than the claims "
      "by {:.2f}, p = {:.4f} ({} draws dealing the members' days to the claimed zones){}",
      r.members_a, CountryName(r.zone_a), r.members_b, CountryName(r.zone_b), r.peak_hour_a, r.peak_hour_b,
      r.peak_lag_hours, r.same_clock, same_hours, lags, r.claimed_clock, r.pairs, r.zones, r.claimants, r.effect, r.p,
      draws, r.holds ? ": one clock behind the claimed time zones" : "");
  return r;
}

}  // namespace lockstep
