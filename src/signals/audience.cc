#include "lockstep/signals/audience.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "lockstep/model/time.h"

namespace lockstep {

namespace internal {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  double m = v[mid];
  if (v.size() % 2 == 0) m = (m + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid))) / 2;
  return m;
}

// Median and 1.4826 x MAD.
std::pair<double, double> RobustCentreScale(const std::vector<double>& v) {
  const double med = Median(v);
  std::vector<double> dev(v.size());
  for (size_t i = 0; i < v.size(); ++i) dev[i] = std::fabs(v[i] - med);
  return {med, 1.4826 * Median(std::move(dev))};
}

// Kullback-Leibler divergence of Bernoulli(a) from Bernoulli(b).
double BernoulliKl(double a, double b) {
  auto term = [](double x, double y) { return x <= 0 ? 0.0 : x * std::log(x / y); };
  return term(a, b) + term(1 - a, 1 - b);
}

}  // namespace internal

namespace {

std::string Thousands(int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return v < 0 ? "-" + s : s;
}

std::string Day(int64_t t) { return FormatTime(t).substr(0, 10); }

}  // namespace

AudienceSignal::AudienceSignal(const Dataset& ds, AudienceOptions options) : ds_(ds), options_(options) {}

bool AudienceSignal::Applicable(std::string* why_not) const {
  if (!ds_.follower_counts.empty()) return true;
  for (const Account& a : ds_.accounts)
    if (a.followers >= 0) return true;
  for (EventType t : ds_.events.type)
    if (t == EventType::kLike || t == EventType::kShare) return true;
  if (why_not != nullptr) *why_not = "no follower counts and no likes or shares";
  return false;
}

Status AudienceSignal::Compute() {
  const AudienceOptions& o = options_;
  if (o.min_observations < 3)
    return Status::InvalidArgument(fmt::format("min_observations must be >= 3, got {}", o.min_observations));
  if (!(o.spike_scale_floor > 0))
    return Status::InvalidArgument(fmt::format("spike_scale_floor must be > 0 followers a day, got {}", o.spike_scale_floor));
  if (o.burst_window_seconds < 1)
    return Status::InvalidArgument(fmt::format("burst_window_seconds must be >= 1, got {}", o.burst_window_seconds));
  if (o.min_burst < 1 || o.min_bursts < 1)
    return Status::InvalidArgument(fmt::format("min_burst and min_bursts must be >= 1, got {} and {}", o.min_burst, o.min_bursts));
  if (!(o.max_p_value >= 0 && o.max_p_value <= 1))
    return Status::InvalidArgument(fmt::format("max_p_value must be in [0, 1], got {}", o.max_p_value));
  const size_t n = ds_.num_accounts();
  scores_.assign(n, 0.0f);
  spikes_.clear();
  volume_.clear();
  bought_.clear();
  groups_.clear();

  // 1. Follower spikes.
  std::vector<int64_t> spiked(n, 0);  // followers gained in spikes
  {
    std::vector<FollowerCount> fc;
    fc.reserve(ds_.follower_counts.size());
    for (const FollowerCount& f : ds_.follower_counts)
      if (f.account < n) fc.push_back(f);
    std::sort(fc.begin(), fc.end(), [](const FollowerCount& a, const FollowerCount& b) {
      return a.account != b.account ? a.account < b.account : a.time < b.time;
    });
    std::vector<double> per_day, abs_day;
    for (size_t i = 0; i < fc.size();) {
      size_t j = i;
      while (j < fc.size() && fc[j].account == fc[i].account) ++j;
      if (j - i >= o.min_observations) {
        per_day.clear();
        abs_day.clear();
        std::vector<size_t> at;
        for (size_t k = i + 1; k < j; ++k) {
          const double days = std::max(1.0 / 24, static_cast<double>(fc[k].time - fc[k - 1].time) / 86400.0);
          per_day.push_back(static_cast<double>(fc[k].followers - fc[k - 1].followers) / days);
          abs_day.push_back(std::fabs(per_day.back()));
          at.push_back(k);
        }
        const auto [med, scale] = internal::RobustCentreScale(per_day);
        const double usual = std::max(1.0, internal::Median(abs_day));
        const double s = std::max(scale, o.spike_scale_floor);
        for (size_t k = 0; k < per_day.size(); ++k) {
          const double z = (per_day[k] - med) / s;
          const FollowerCount& before = fc[at[k] - 1];
          const FollowerCount& after = fc[at[k]];
          const int64_t jump = after.followers - before.followers;
          const double ratio = per_day[k] / usual;
          if (z >= o.spike_min_z && jump >= o.spike_min_followers && ratio >= o.spike_min_ratio) {
            spikes_.push_back({after.account, after.time, before.followers, after.followers,
                               static_cast<double>(after.time - before.time) / 86400.0, z, ratio});
            spiked[after.account] += jump;
            scores_[after.account] = std::max(scores_[after.account], static_cast<float>(std::min(1.0, 0.5 + ratio / 200)));
          }
        }
      }
      i = j;
    }
  }

  // 2. Volume versus audience.
  {
    std::vector<uint64_t> events(n, 0);
    std::vector<int64_t> first(n, INT64_MAX), last(n, INT64_MIN);
    const Events& ev = ds_.events;
    for (size_t i = 0; i < ev.size(); ++i) {
      const AccountIndex a = ev.account[i];
      if (a >= n) continue;
      ++events[a];
      first[a] = std::min(first[a], ev.time[i]);
      last[a] = std::max(last[a], ev.time[i]);
    }
    // Latest observed follower count, else the account's own.
    std::vector<int64_t> followers(n);
    std::vector<int64_t> seen(n, INT64_MIN);
    for (size_t a = 0; a < n; ++a) followers[a] = ds_.accounts[a].followers;
    for (const FollowerCount& f : ds_.follower_counts)
      if (f.account < n && f.time >= seen[f.account]) seen[f.account] = f.time, followers[f.account] = f.followers;
    std::vector<AccountIndex> who;
    std::vector<double> x;
    for (size_t a = 0; a < n; ++a) {
      if (events[a] < o.min_events || followers[a] < 0) continue;
      const double days = std::max(1.0, static_cast<double>(last[a] - first[a]) / 86400.0);
      const int64_t organic = std::max<int64_t>(0, followers[a] - spiked[a]);
      who.push_back(static_cast<AccountIndex>(a));
      x.push_back(std::log10(static_cast<double>(events[a]) / days) - std::log10(1.0 + static_cast<double>(organic)));
    }
    const auto [med, scale] = internal::RobustCentreScale(x);
    const double s = std::max(scale, 0.05);
    for (size_t k = 0; k < who.size(); ++k) {
      const AccountIndex a = who[k];
      const double z = (x[k] - med) / s;
      const int64_t organic = std::max<int64_t>(0, followers[a] - spiked[a]);
      if (z < o.volume_min_z || organic > o.low_audience) continue;
      const double days = std::max(1.0, static_cast<double>(last[a] - first[a]) / 86400.0);
      volume_.push_back({a, events[a], static_cast<double>(events[a]) / days, organic, z});
      scores_[a] = std::max(scores_[a], static_cast<float>(std::min(1.0, 0.4 + (z - o.volume_min_z) / 10)));
    }
  }

  // 3. Bought engagement.
  {
    std::vector<CountryCode> country(n, kNoCountry);
    {
      std::vector<std::map<CountryCode, uint32_t>> counts(n);
      for (const InfraObservation& obs : ds_.infra)
        if (obs.account < n && obs.country != kNoCountry) ++counts[obs.account][obs.country];
      for (size_t a = 0; a < n; ++a) {
        uint32_t top = 0;
        for (const auto& [c, k] : counts[a])
          if (k > top) top = k, country[a] = c;
        if (country[a] == kNoCountry) country[a] = ds_.accounts[a].country;
      }
    }
    struct Engagement { AccountIndex page; StringId post; int64_t time; AccountIndex who; bool foreign; };
    std::vector<Engagement> eng;
    uint64_t located = 0, foreign_total = 0;
    const Events& ev = ds_.events;
    for (size_t i = 0; i < ev.size(); ++i) {
      if (ev.type[i] != EventType::kLike && ev.type[i] != EventType::kShare) continue;
      const AccountIndex page = ev.target_account[i], who = ev.account[i];
      if (page >= n || who >= n || page == who || country[page] == kNoCountry || country[who] == kNoCountry) continue;
      const bool foreign = country[who] != country[page];
      ++located;
      foreign_total += foreign;
      eng.push_back({page, ev.target_id[i], ev.time[i], who, foreign});
    }
    const double q = located ? std::clamp(static_cast<double>(foreign_total) / static_cast<double>(located), 1e-6, 1 - 1e-6) : 0.5;
    std::stable_sort(eng.begin(), eng.end(), [](const Engagement& a, const Engagement& b) {
      return a.page != b.page ? a.page < b.page : a.post != b.post ? a.post < b.post : a.time < b.time;
    });
    std::unordered_map<AccountIndex, uint32_t> joined;
    for (size_t i = 0; i < eng.size();) {
      size_t j = i;
      while (j < eng.size() && eng[j].page == eng[i].page) ++j;
      joined.clear();
      uint32_t bursts = 0;
      uint64_t foreign = 0;
      for (size_t k = i; k < j;) {
        size_t e = k;
        while (e < j && eng[e].post == eng[k].post) ++e;
        // Foreign engagements of one post, in time order; a burst per window.
        std::vector<const Engagement*> f;
        for (size_t m = k; m < e; ++m)
          if (eng[m].foreign) f.push_back(&eng[m]), ++foreign;
        for (size_t a = 0; a < f.size();) {
          size_t b = a;
          while (b < f.size() && f[b]->time - f[a]->time <= o.burst_window_seconds) ++b;
          if (b - a >= o.min_burst) {
            ++bursts;
            std::vector<AccountIndex> who;
            for (size_t m = a; m < b; ++m) who.push_back(f[m]->who);
            std::sort(who.begin(), who.end());
            who.erase(std::unique(who.begin(), who.end()), who.end());
            for (AccountIndex w : who) ++joined[w];
          }
          a = b;
        }
        k = e;
      }
      BoughtEngagement g;
      g.page = eng[i].page;
      g.page_country = country[g.page];
      g.bursts = bursts;
      g.engagements = j - i;
      g.foreign = foreign;
      for (const auto& [w, times] : joined)
        if (times >= o.min_bursts) g.engagers.push_back(w);
      const double share = g.engagements ? static_cast<double>(foreign) / static_cast<double>(g.engagements) : 0;
      g.p_value = share > q ? std::exp(-static_cast<double>(g.engagements) * internal::BernoulliKl(share, q)) : 1.0;
      if (g.engagers.size() >= o.min_group_size && g.p_value <= o.max_p_value) {
        std::sort(g.engagers.begin(), g.engagers.end());
        std::map<CountryCode, uint32_t> where;
        for (AccountIndex w : g.engagers) ++where[country[w]];
        g.top_country = std::max_element(where.begin(), where.end(), [](const auto& x, const auto& y) {
                          return x.second < y.second;
                        })->first;
        bought_.push_back(std::move(g));
      }
      i = j;
    }
    for (const BoughtEngagement& g : bought_) {
      SignalGroup group;
      group.accounts = g.engagers;
      group.accounts.insert(std::lower_bound(group.accounts.begin(), group.accounts.end(), g.page), g.page);
      group.strength = static_cast<float>(std::min(1.0, static_cast<double>(g.foreign) / static_cast<double>(g.engagements)));
      group.p_value = g.p_value;
      group.explanation = Explain(g);
      groups_.push_back(std::move(group));
    }
  }
  return Status::Ok();
}

const std::vector<float>& AudienceSignal::DoAccountScores() const { return scores_; }
const std::vector<SignalGroup>& AudienceSignal::DoGroups() const { return groups_; }
const std::vector<FollowerSpike>& AudienceSignal::spikes() const {
  AssureFinished();
  return spikes_;
}
const std::vector<VolumeAudience>& AudienceSignal::volume_outliers() const {
  AssureFinished();
  return volume_;
}
const std::vector<BoughtEngagement>& AudienceSignal::bought_engagement() const {
  AssureFinished();
  return bought_;
}

std::string AudienceSignal::Explain(const FollowerSpike& s) const {
  return fmt::format("followers jumped from {} to {} between {} and {} ({:.0f} days), {:.0f}x its usual daily change (robust z {:.0f})",
                     Thousands(s.before), Thousands(s.after), Day(s.time - static_cast<int64_t>(s.days * 86400)), Day(s.time),
                     s.days, s.ratio, s.z);
}

std::string AudienceSignal::Explain(const VolumeAudience& v) const {
  return fmt::format("{} events, {:.1f} a day, to {} organic followers (volume per follower {:.1f} robust SDs above the population)",
                     Thousands(static_cast<int64_t>(v.events)), v.events_per_day, Thousands(v.followers), v.z);
}

std::string AudienceSignal::Explain(const BoughtEngagement& b) const {
  return fmt::format(
      "{} ({}) got {} likes and shares, {} of them ({:.0f}%) from accounts placed in other countries; {} accounts, mostly in {}, "
      "took part in at least {} of its {} bursts of >= {} foreign engagements within {} min (p <= {:.2g})",
      ds_.AccountId(b.page), CountryName(b.page_country), Thousands(static_cast<int64_t>(b.engagements)),
      Thousands(static_cast<int64_t>(b.foreign)), 100.0 * static_cast<double>(b.foreign) / static_cast<double>(b.engagements),
      b.engagers.size(), CountryName(b.top_country), options_.min_bursts, b.bursts, options_.min_burst,
      options_.burst_window_seconds / 60, b.p_value);
}

std::string AudienceSignal::DoExplainAccount(AccountIndex account) const {
  std::string out;
  auto append = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  for (const FollowerSpike& s : spikes_)
    if (s.account == account) append(Explain(s));
  for (const VolumeAudience& v : volume_)
    if (v.account == account) append(Explain(v));
  for (const BoughtEngagement& b : bought_) {
    if (b.page == account) append("its engagement looks bought: " + Explain(b));
    else if (std::binary_search(b.engagers.begin(), b.engagers.end(), account))
      append(fmt::format("engages in foreign bursts on {}", ds_.AccountId(b.page)));
  }
  return out;
}

}  // namespace lockstep
