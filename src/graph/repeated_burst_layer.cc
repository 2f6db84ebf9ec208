#include "lockstep/graph/repeated_burst_layer.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "lockstep/graph/co_action_significance.h"
#include "lockstep/model/time.h"
#include "lockstep/signals/case_fold.h"
#include "graph/shared_occasions.h"

namespace lockstep {

namespace {

constexpr int64_t kDaySeconds = 86400;

int64_t DayOf(int64_t t) { return t >= 0 ? t / kDaySeconds : (t - kDaySeconds + 1) / kDaySeconds; }

}  // namespace

RepeatedBurstSignal::RepeatedBurstSignal(const Dataset& ds, RepeatedBurstOptions options)
    : ds_(ds), options_(options) {}

bool RepeatedBurstSignal::Applicable(std::string* why_not) const {
  if (!ds_.events.hashtags.items.empty()) return true;
  if (why_not != nullptr) *why_not = "no hashtags in the data";
  return false;
}

size_t RepeatedBurstSignal::bursts() const {
  AssureFinished();
  return bursts_.size();
}

std::string RepeatedBurstSignal::EdgeMeaning() const {
  return fmt::format("started at least {} of the same hashtag bursts together, far more than chance allows",
                     options_.min_shared_bursts);
}

Status RepeatedBurstSignal::Compute() {
  const RepeatedBurstOptions& o = options_;
  if (o.min_burst_accounts < 2)
    return Status::InvalidArgument(fmt::format("min_burst_accounts must be >= 2, got {}", o.min_burst_accounts));
  if (!(o.burst_min_ratio >= 1))
    return Status::InvalidArgument(fmt::format("burst_min_ratio must be >= 1, got {}", o.burst_min_ratio));
  if (o.min_life_days < 1)
    return Status::InvalidArgument(fmt::format("min_life_days must be >= 1, got {}", o.min_life_days));
  if (o.early_window_seconds < 0)
    return Status::InvalidArgument(fmt::format("early_window_seconds must be >= 0, got {}", o.early_window_seconds));
  if (o.min_shared_bursts < 2)
    return Status::InvalidArgument(fmt::format("min_shared_bursts must be >= 2, got {}", o.min_shared_bursts));
  if (!(o.log10_p_full > 0))
    return Status::InvalidArgument(fmt::format("log10_p_full must be > 0, got {}", o.log10_p_full));
  const size_t num_accounts = ds_.num_accounts();
  const Events& ev = ds_.events;

  // Case-folded tags.
  std::vector<uint32_t> tag_of(ds_.hashtags.size());
  {
    std::unordered_map<std::string, uint32_t> index;
    for (size_t h = 0; h < ds_.hashtags.size(); ++h) {
      auto [it, added] = index.try_emplace(CaseFold(ds_.hashtags.Get(static_cast<uint32_t>(h))),
                                           static_cast<uint32_t>(tag_names_.size()));
      if (added) tag_names_.push_back(it->first);
      tag_of[h] = it->second;
    }
  }
  struct Use {
    uint32_t tag;
    int64_t time;
    AccountIndex account;
  };
  std::vector<Use> uses;
  for (size_t i = 0; i < ev.size(); ++i) {
    if (ev.account[i] >= num_accounts) continue;
    for (uint32_t h : ev.hashtags.Row(i)) uses.push_back({tag_of[h], ev.time[i], ev.account[i]});
  }
  std::sort(uses.begin(), uses.end(), [](const Use& a, const Use& b) {
    return a.tag != b.tag ? a.tag < b.tag : a.time != b.time ? a.time < b.time : a.account < b.account;
  });

  // Per tag: its days' distinct accounts, its median over its life, its bursts.
  bursts_of_.assign(num_accounts, {});
  tag_days_.assign(num_accounts, 0);
  std::vector<std::vector<AccountIndex>> participants;
  std::vector<int64_t> last_seen_day(num_accounts, INT64_MIN);
  for (size_t i = 0; i < uses.size();) {
    size_t j = i;
    while (j < uses.size() && uses[j].tag == uses[i].tag) ++j;
    struct Day {
      int64_t day;
      size_t from, to;  // uses
      uint32_t accounts;
    };
    std::vector<Day> days;
    for (size_t k = i; k < j;) {
      const int64_t d = DayOf(uses[k].time);
      size_t m = k;
      uint32_t distinct = 0;
      for (; m < j && DayOf(uses[m].time) == d; ++m)
        if (last_seen_day[uses[m].account] != d) {
          last_seen_day[uses[m].account] = d;
          ++distinct;
          ++tag_days_[uses[m].account];
        }
      days.push_back({d, k, m, distinct});
      k = m;
    }
    // Reset for the next tag (a tag's days are visited once each).
    for (size_t k = i; k < j; ++k) last_seen_day[uses[k].account] = INT64_MIN;
    const int64_t life = std::max(o.min_life_days, days.back().day - days.front().day + 1);
    std::vector<uint32_t> counts;
    for (const Day& d : days) counts.push_back(d.accounts);
    double median = 0;
    if (static_cast<int64_t>(counts.size()) * 2 > life) {
      counts.resize(static_cast<size_t>(life), 0);  // idle days count as 0
      std::nth_element(counts.begin(), counts.begin() + life / 2, counts.end());
      median = counts[static_cast<size_t>(life / 2)];
    }
    int64_t previous_burst_day = INT64_MIN;
    for (const Day& d : days) {
      if (d.accounts < o.min_burst_accounts || d.accounts < o.burst_min_ratio * median) continue;
      // A burst that runs past midnight is one burst: the day after a burst
      // day continues it and is not counted again.
      const bool continues = previous_burst_day != INT64_MIN && d.day == previous_burst_day + 1;
      previous_burst_day = d.day;
      if (continues) continue;
      const int64_t until = uses[d.from].time + o.early_window_seconds;
      std::vector<AccountIndex> who;
      for (size_t k = d.from; k < d.to && uses[k].time <= until; ++k) who.push_back(uses[k].account);
      std::sort(who.begin(), who.end());
      who.erase(std::unique(who.begin(), who.end()), who.end());
      const uint32_t b = static_cast<uint32_t>(bursts_.size());
      bursts_.push_back({uses[i].tag, d.day});
      for (AccountIndex a : who) bursts_of_[a].push_back(b);
      participants.push_back(std::move(who));
    }
    i = j;
  }
  double all_tag_days = 0, sum_sq = 0;
  for (uint32_t u : tag_days_) all_tag_days += u;
  for (const auto& p : participants) sum_sq += static_cast<double>(p.size()) * static_cast<double>(p.size());
  burst_concentration_ = all_tag_days > 0 ? sum_sq / (all_tag_days * all_tag_days) : 0;

  // Pairs sharing bursts.
  internal::ScoreSharedOccasions(participants, o.max_burst_accounts, o.min_shared_bursts, tag_days_,
                                 burst_concentration_, o.edge_log10_p, o.log10_p_full, &edges_, &log10_p_);
  return Status::Ok();
}

std::string RepeatedBurstSignal::DoExplainEdge(const SignalEdge& edge) const {
  if (edge.a >= bursts_of_.size() || edge.b >= bursts_of_.size()) return "";
  const auto& x = bursts_of_[edge.a];
  const auto& y = bursts_of_[edge.b];
  std::vector<uint32_t> both;
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(both));
  std::string list;
  for (size_t i = 0; i < both.size() && i < 4; ++i) {
    const Burst& b = bursts_[both[i]];
    list += fmt::format("{}#{} {}", list.empty() ? "" : ", ", tag_names_[b.tag], FormatTime(b.day * kDaySeconds).substr(0, 10));
  }
  if (both.size() > 4) list += ", ...";
  const double lambda =
      static_cast<double>(tag_days_[edge.a]) * static_cast<double>(tag_days_[edge.b]) * burst_concentration_;
  return fmt::format("{} and {} were both among the first participants of {} hashtag bursts ({}) where {:.2g} were expected",
                     ds_.AccountId(edge.a), ds_.AccountId(edge.b), both.size(), list, lambda);
}

}  // namespace lockstep
