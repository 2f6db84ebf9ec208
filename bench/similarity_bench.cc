// Top-k TF-IDF similarity (TargetSimilaritySignal) on generated data:
// 100,000 accounts with log-normal activity (median ~12 actions), targets
// drawn from a heavy-tailed popularity curve over all accounts, event times
// over 30 days with a daily cycle, and 200 planted groups of 25 accounts that
// share a private pool of targets. The target: under a minute on 2
// cores for 100,000 accounts.
//
//   ninja -C build lockstep_bench && build/bench/lockstep_bench --benchmark_filter=Similarity
#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "lockstep/signals/target_similarity.h"

namespace lockstep {
namespace {

std::unique_ptr<Dataset> Generate(uint32_t accounts, uint64_t seed) {
  auto ds = std::make_unique<Dataset>();
  std::mt19937_64 rng(seed);
  for (uint32_t a = 0; a < accounts; ++a) ds->account_ids.Intern(fmt::format("acct{}", a));
  ds->accounts.resize(accounts);
  std::vector<StringId> tags;
  for (int h = 0; h < 5000; ++h) tags.push_back(ds->hashtags.Intern(fmt::format("tag{}", h)));
  std::lognormal_distribution<double> activity(2.5, 1.0);
  std::uniform_real_distribution<double> u(0, 1);
  const int64_t start = 1600000000, days = 30;
  struct Row {
    int64_t time;
    AccountIndex account;
    AccountIndex target;
    StringId tag;
  };
  std::vector<Row> rows;
  const uint32_t group_size = 25, groups = 200;
  for (AccountIndex a = 0; a < accounts; ++a) {
    const bool planted = a < group_size * groups;
    const uint32_t group = a / group_size;
    const int n = std::min(2000, static_cast<int>(activity(rng)) + 1);
    for (int i = 0; i < n; ++i) {
      const double day = std::floor(u(rng) * days);
      const double hour = std::fmod(18 + 6 * std::sqrt(-2 * std::log(u(rng) + 1e-12)) * std::cos(6.283 * u(rng)), 24);
      AccountIndex target;
      if (planted && u(rng) < 0.7) {
        target = group * group_size + static_cast<AccountIndex>(u(rng) * group_size);  // the group's own pool
      } else {
        target = static_cast<AccountIndex>(accounts * std::pow(u(rng), 3));  // heavy-tailed popularity
      }
      rows.push_back({start + static_cast<int64_t>((day * 24 + (hour < 0 ? hour + 24 : hour)) * 3600), a, target,
                      tags[static_cast<size_t>(tags.size() * std::pow(u(rng), 2))]});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.time < y.time; });
  Events& ev = ds->events;
  for (const Row& r : rows) {
    ev.time.push_back(r.time);
    ev.account.push_back(r.account);
    ev.type.push_back(EventType::kShare);
    ev.event_id.push_back(kNoString);
    ev.target_id.push_back(kNoString);
    ev.target_account.push_back(r.target);
    ev.text_offsets.push_back(0);
    ev.urls.offsets.push_back(0);
    ev.hashtags.items.push_back(r.tag);
    ev.hashtags.offsets.push_back(static_cast<uint32_t>(ev.hashtags.items.size()));
    ev.mentions.offsets.push_back(0);
    ev.language.push_back(kNoString);
    ev.client.push_back(kNoString);
    ev.target_country.push_back(kNoCountry);
  }
  return ds;
}

void BM_SimilarityTopK(benchmark::State& state) {
  static std::unique_ptr<Dataset> ds = Generate(100000, 42);
  const auto trace = static_cast<SimilarityTrace>(state.range(0));
  TargetSimilarityStats stats;
  size_t edges = 0, skipped = 0;
  for (auto _ : state) {
    TargetSimilarityOptions o;
    o.trace = trace;
    o.top_k = 10;
    o.min_cosine = 0.3;
    o.threads = 2;
    TargetSimilaritySignal signal(*ds, o);
    if (!signal.Run().ok()) state.SkipWithError("Run() failed");
    stats = signal.stats();
    edges = signal.edges().size();
    skipped = signal.skipped_tokens().size();
  }
  state.SetLabel(std::string(Name(trace)));
  state.counters["accounts"] = stats.accounts;
  state.counters["actions"] = static_cast<double>(stats.actions);
  state.counters["postings_walked"] = static_cast<double>(stats.postings_walked);
  state.counters["edges"] = static_cast<double>(edges);
  state.counters["skipped_tokens"] = static_cast<double>(skipped);
  state.counters["accounts/s"] = benchmark::Counter(stats.accounts, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SimilarityTopK)
    ->Arg(static_cast<int>(SimilarityTrace::kRetweetTargets))
    ->Arg(static_cast<int>(SimilarityTrace::kHashtags))
    ->Arg(static_cast<int>(SimilarityTrace::kActivityBins))
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace lockstep
