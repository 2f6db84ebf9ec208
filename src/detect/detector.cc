#include "lockstep/detect/detector.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "lockstep/graph/co_action_significance.h"
#include "lockstep/graph/igraph_adapter.h"
#include "lockstep/signals/posting_rhythm.h"
#include "lockstep/signals/co_action.h"
#include "signals/pair_map.h"

namespace lockstep {

namespace {

using internal::PairFirst;
using internal::PairKey;
using internal::PairSecond;

constexpr double kCoActionLog10PForFullStrength = 20;  // p = 1e-20 counts as strength 1

struct LayerEvidence {
  std::string name;                        // "co-share"
  std::string window;                      // "120 s"
  std::vector<SignificantEdge> edges;      // kept edges
  std::vector<std::string> explanations;   // parallel to edges (only the strongest few are kept)
  double expected_false_edges = 0;
};

struct FusedEdge {
  double weight = 0;
  double infra = 0;  // strength from shared infrastructure, for merging and attaching
};

struct UnionFind {
  std::vector<uint32_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  uint32_t Find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Union(uint32_t a, uint32_t b) { parent[Find(a)] = Find(b); }
};

template <typename Map>
std::vector<CountShare> Top(const Map& counts, size_t n) {
  std::vector<CountShare> out;
  for (const auto& [name, count] : counts) out.push_back({name, count});
  std::sort(out.begin(), out.end(), [](const CountShare& a, const CountShare& b) {
    return a.count != b.count ? a.count > b.count : a.name < b.name;
  });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace

struct Detector::Impl {};

Detector::Detector(const Dataset& ds, DetectorOptions options) : ds_(ds), options_(std::move(options)) {}
Detector::~Detector() = default;

void Detector::AddSignal(std::unique_ptr<Signal> signal) { signals_.push_back(std::move(signal)); }

Status Detector::Run() {
  using Clock = std::chrono::steady_clock;
  result_ = Detection();
  result_.fdr = options_.fdr;
  auto stage_start = Clock::now();
  auto stage = [&](std::string_view next) {
    const auto now = Clock::now();
    if (!result_.stage_seconds.empty())
      result_.stage_seconds.back().second = std::chrono::duration<double>(now - stage_start).count();
    stage_start = now;
    if (!next.empty()) {
      result_.stage_seconds.emplace_back(std::string(next), 0.0);
      if (options_.progress) options_.progress(next);
    }
  };
  const size_t num_accounts = ds_.num_accounts();
  internal::PairMap<FusedEdge> fused;
  std::vector<LayerEvidence> layers;

  // 1. Co-action layers.
  stage("co-action");
  std::vector<CoActionLayer> layer_specs = options_.layers;
  if (!options_.text_clusters.empty())
    layer_specs.push_back({ObjectKeyKind::kText, options_.text_window_seconds, 1.0});
  for (const CoActionLayer& spec : layer_specs) {
    auto keys = ExtractObjectKeys(ds_, spec.kind, spec.kind == ObjectKeyKind::kText ? &options_.text_clusters : nullptr);
    if (!keys.ok()) return keys.status();
    const std::string name(SignalName(spec.kind));
    if (keys->actions.empty()) {
      result_.skipped.push_back({name, fmt::format("no {} actions in the data", name.substr(3))});
      continue;
    }
    CoActionOptions co;
    co.window_seconds = spec.window_seconds;
    co.weight = CoActionWeight::kKeys;
    co.max_pairs_per_key = options_.max_pairs_per_key;
    co.threads = options_.threads;
    CoActionSignal signal(*keys, co);
    if (Status s = signal.Run(); !s.ok()) return s;
    SignificanceOptions sig;
    sig.fdr = options_.fdr;
    sig.window_seconds = spec.window_seconds;
    CoActionSignificance significance(*keys, signal, sig);
    if (Status s = significance.Run(); !s.ok()) return s;
    result_.signals_run.push_back(name);
    LayerEvidence ev{name, fmt::format("{} s", spec.window_seconds), {}, {}, significance.expected_false_edges()};
    result_.expected_false_edges += ev.expected_false_edges;
    result_.significant_edges += significance.edges().size();
    for (const SignificantEdge& e : significance.scored())
      if (e.log10_p <= options_.edge_log10_p) ev.edges.push_back(e);
    for (const SignificantEdge& e : ev.edges) {
      const double strength = std::min(1.0, -e.log10_p / kCoActionLog10PForFullStrength);
      fused.Get(PairKey(e.a, e.b)).weight += spec.weight * strength;
      ev.explanations.push_back(signal.Explain(signal.edges()[e.edge_index]) + "; " + significance.Explain(e));
    }
    layers.push_back(std::move(ev));
  }

  // 2. Other signals.
  stage("signals");
  std::vector<Signal*> applied;
  for (auto& signal : signals_) {
    std::string why;
    if (!signal->Applicable(&why)) {
      result_.skipped.push_back({std::string(signal->Name()), why});
      continue;
    }
    if (Status s = signal->Run(); !s.ok()) return s;
    applied.push_back(signal.get());
    result_.signals_run.emplace_back(signal->Name());
    // Shared infrastructure joins and extends groups; it does not make them
    // (families share devices). The other signals only score.
    if (!signal->JoinsGroups()) continue;
    for (const SignalEdge& e : signal->edges()) {
      if (e.strength < options_.other_signal_min_strength) continue;
      fused.Get(e.a < e.b ? PairKey(e.a, e.b) : PairKey(e.b, e.a)).infra += e.strength;
    }
  }

  // 3-4. Fusion and clustering over accounts that have any edge.
  stage("clustering");
  std::vector<uint32_t> node_of(num_accounts, UINT32_MAX);
  std::vector<AccountIndex> account_of;
  std::vector<WeightedEdge> graph_edges;
  for (auto& [key, edge] : fused.entries()) {
    const AccountIndex a = PairFirst(key), b = PairSecond(key);
    if (a >= num_accounts || b >= num_accounts || edge.weight <= 0) continue;
    for (AccountIndex x : {a, b})
      if (node_of[x] == UINT32_MAX) {
        node_of[x] = static_cast<uint32_t>(account_of.size());
        account_of.push_back(x);
      }
    graph_edges.push_back({node_of[a], node_of[b], edge.weight});
  }
  LeidenOptions leiden;
  leiden.resolution = options_.leiden_resolution;
  leiden.seed = options_.seed;
  auto membership = LeidenClusters(account_of.size(), graph_edges, leiden);
  if (!membership.ok()) return membership.status();

  // 5. Assembly: merge clusters joined by infrastructure, attach what they run.
  stage("assembly");
  const size_t num_clusters =
      membership->empty() ? 0 : static_cast<size_t>(*std::max_element(membership->begin(), membership->end()) + 1);
  UnionFind merge(num_clusters);
  {
    internal::PairMap<double> between;
    for (auto& [key, edge] : fused.entries()) {
      if (edge.infra <= 0) continue;
      const uint32_t na = node_of[PairFirst(key)], nb = node_of[PairSecond(key)];
      if (na == UINT32_MAX || nb == UINT32_MAX) continue;
      const int64_t ca = (*membership)[na], cb = (*membership)[nb];
      if (ca != cb) between.Get(PairKey(std::min(ca, cb), std::max(ca, cb))) += edge.infra;
    }
    for (auto& [key, strength] : between.entries())
      if (strength >= 2.0) merge.Union(PairFirst(key), PairSecond(key));
  }
  std::map<uint32_t, std::vector<AccountIndex>> clusters;
  for (size_t n = 0; n < account_of.size(); ++n)
    clusters[merge.Find(static_cast<uint32_t>((*membership)[n]))].push_back(account_of[n]);
  std::vector<std::vector<AccountIndex>> groups;
  for (auto& [id, members] : clusters)
    if (members.size() >= options_.min_network_size) groups.push_back(std::move(members));

  std::vector<int32_t> group_of(num_accounts, -1);
  for (size_t g = 0; g < groups.size(); ++g)
    for (AccountIndex a : groups[g]) group_of[a] = static_cast<int32_t>(g);
  std::vector<std::vector<AccountIndex>> attached(groups.size());
  // Accounts on a group's infrastructure.
  for (auto& [key, edge] : fused.entries()) {
    if (edge.infra < 0.6) continue;
    const AccountIndex a = PairFirst(key), b = PairSecond(key);
    if (a >= num_accounts || b >= num_accounts) continue;
    if (group_of[a] >= 0 && group_of[b] < 0) attached[group_of[a]].push_back(b);
    if (group_of[b] >= 0 && group_of[a] < 0) attached[group_of[b]].push_back(a);
  }
  // Pages and Groups whose engagement comes mostly from one group's members.
  {
    const Events& ev = ds_.events;
    std::vector<std::unordered_map<int32_t, uint32_t>> from_group(0);
    std::unordered_map<AccountIndex, std::unordered_map<int32_t, uint32_t>> engagement;
    std::unordered_map<AccountIndex, uint32_t> total;
    for (size_t i = 0; i < ev.size(); ++i) {
      const AccountIndex target = ev.target_account[i];
      if (target == kNoString || !ds_.IsAccount(target) || ds_.accounts[target].kind == AccountKind::kAccount) continue;
      ++total[target];
      if (group_of[ev.account[i]] >= 0) ++engagement[target][group_of[ev.account[i]]];
    }
    for (auto& [target, by_group] : engagement) {
      if (group_of[target] >= 0) continue;
      for (auto& [g, n] : by_group)
        if (n >= 5 && n * 2 >= total[target]) attached[g].push_back(target);
    }
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    std::sort(attached[g].begin(), attached[g].end());
    attached[g].erase(std::unique(attached[g].begin(), attached[g].end()), attached[g].end());
    std::vector<AccountIndex> kept;
    for (AccountIndex a : attached[g])
      if (group_of[a] < 0) {
        group_of[a] = static_cast<int32_t>(g);
        kept.push_back(a);
      }
    attached[g] = std::move(kept);
  }

  // 6. Scoring, in passes over the edges shared by all groups (a group's
  // evidence is bucketed by group_of, never searched for per group).
  stage("scoring");
  const size_t num_groups = groups.size();
  std::vector<std::vector<AccountIndex>> members(num_groups);
  for (size_t g = 0; g < num_groups; ++g) {
    members[g] = groups[g];
    members[g].insert(members[g].end(), attached[g].begin(), attached[g].end());
    std::sort(members[g].begin(), members[g].end());
  }
  auto same_group = [&](AccountIndex a, AccountIndex b) {
    return a < num_accounts && b < num_accounts && group_of[a] >= 0 && group_of[a] == group_of[b] ? group_of[a] : -1;
  };
  // Co-action links inside each group and each member's share of them.
  std::vector<uint64_t> linked_pairs(num_groups, 0);
  std::vector<double> degree(num_accounts, 0);
  for (auto& [key, edge] : fused.entries()) {
    const AccountIndex a = PairFirst(key), b = PairSecond(key);
    const int32_t g = same_group(a, b);
    if (g < 0 || edge.weight <= 0) continue;
    ++linked_pairs[g];
    degree[a] += edge.weight;
    degree[b] += edge.weight;
  }
  // Background: the density of co-action links between accounts that Leiden
  // put in different clusters (links inside any cluster are left out, so one
  // huge bot network does not make every other group look ordinary).
  double between_links = 0, between_pairs = 0;
  {
    // Clusters as merged by shared infrastructure.
    auto merged = [&](uint32_t node) { return merge.Find(static_cast<uint32_t>((*membership)[node])); };
    std::map<uint32_t, double> cluster_size;
    for (size_t node = 0; node < account_of.size(); ++node) cluster_size[merged(static_cast<uint32_t>(node))] += 1;
    const double n = static_cast<double>(account_of.size());
    between_pairs = n * (n - 1) / 2;
    for (const auto& [c, size] : cluster_size) between_pairs -= size * (size - 1) / 2;
    for (const WeightedEdge& e : graph_edges) between_links += merged(e.a) != merged(e.b);
  }
  const double background = std::max(1e-12, between_links / std::max(1.0, between_pairs));
  // Co-action evidence per layer and group.
  struct LayerInGroup {
    size_t count = 0;
    double best = 0;
    std::vector<std::string> examples;
  };
  std::vector<std::vector<LayerInGroup>> layer_in_group(layers.size(), std::vector<LayerInGroup>(num_groups));
  for (size_t l = 0; l < layers.size(); ++l)
    for (size_t i = 0; i < layers[l].edges.size(); ++i) {
      const SignificantEdge& e = layers[l].edges[i];
      const int32_t g = same_group(e.a, e.b);
      if (g < 0) continue;
      LayerInGroup& in = layer_in_group[l][g];
      ++in.count;
      in.best = std::min(in.best, e.log10_p);
      if (in.examples.size() < 3) in.examples.push_back(layers[l].explanations[i]);
    }
  // Strong links of the other signals inside each group, and their groups' overlap.
  struct SignalInGroup {
    size_t linked = 0;
    std::vector<AccountIndex> touched;
    std::vector<std::string> examples;
  };
  // Shared infrastructure attached some members to their group; it cannot
  // also be the evidence that the group is an operation (a chance triangle of
  // ordinary accounts plus one member's household on the family tablet is not
  // a troll farm). Its evidence is read off the core members only.
  std::vector<bool> core(num_accounts, false);
  for (const auto& g : groups)
    for (AccountIndex a : g) core[a] = true;
  auto core_only = [](const Signal* signal) { return signal->JoinsGroups(); };
  std::vector<std::vector<SignalInGroup>> signal_in_group(applied.size());
  std::vector<std::vector<std::vector<std::pair<size_t, size_t>>>> overlaps(applied.size());  // [s][g] = (signal group, overlap)
  for (size_t s = 0; s < applied.size(); ++s) {
    signal_in_group[s].resize(num_groups);
    for (const SignalEdge& e : applied[s]->edges()) {
      if (e.strength < options_.indicator_edge_strength) continue;
      const int32_t g = same_group(e.a, e.b);
      if (g < 0 || (core_only(applied[s]) && !(core[e.a] && core[e.b]))) continue;
      SignalInGroup& in = signal_in_group[s][g];
      ++in.linked;
      in.touched.push_back(e.a);
      in.touched.push_back(e.b);
      if (in.examples.size() < 3) in.examples.push_back(applied[s]->ExplainEdge(e));
    }
    overlaps[s].resize(num_groups);
    const auto& signal_groups = applied[s]->groups();
    for (size_t k = 0; k < signal_groups.size(); ++k) {
      std::unordered_map<int32_t, size_t> overlap;
      for (AccountIndex a : signal_groups[k].accounts)
        if (a < num_accounts && group_of[a] >= 0 && (core[a] || !core_only(applied[s]))) ++overlap[group_of[a]];
      for (const auto& [g, n] : overlap) overlaps[s][g].emplace_back(k, n);
    }
    for (auto& list : overlaps[s]) std::sort(list.begin(), list.end());
  }
  // Population baselines of account-level signals.
  std::vector<double> baseline(applied.size(), 0);
  for (size_t s = 0; s < applied.size(); ++s) {
    const auto& scores = applied[s]->account_scores();
    if (scores.empty()) continue;
    double sum = 0;
    for (float v : scores) sum += v;
    baseline[s] = sum / static_cast<double>(scores.size());
  }
  std::vector<Network> networks;
  std::vector<size_t> group_of_network;
  for (size_t g = 0; g < num_groups; ++g) {
    Network net;
    net.members = std::move(members[g]);
    net.attached = attached[g];
    const double pairs_in = std::max(1.0, static_cast<double>(net.members.size()) * (net.members.size() - 1) / 2);
    const double density = static_cast<double>(linked_pairs[g]) / pairs_in;
    const double excess = density / background;
    const double log10_p_group = Log10PoissonTail(linked_pairs[g], pairs_in * background);
    const double coordination =
        log10_p_group <= options_.group_log10_p ? std::min(1.0, excess / options_.full_coordination_excess) : 0.0;
    // Co-action evidence per layer.
    for (size_t l = 0; l < layers.size(); ++l) {
      LayerInGroup& in = layer_in_group[l][g];
      if (in.count == 0) continue;
      Indicator ind;
      ind.signal = layers[l].name;
      ind.strength = std::min(1.0, -in.best / kCoActionLog10PForFullStrength);
      ind.p_value = std::pow(10.0, in.best);
      ind.evidence = fmt::format("{} member pairs ({:.0f}% of all pairs) co-acted within {} far more than chance allows",
                                 in.count, 100.0 * static_cast<double>(in.count) / pairs_in, layers[l].window);
      ind.examples = std::move(in.examples);
      net.indicators.push_back(std::move(ind));
    }
    // Indicators of inauthenticity from the other signals.
    double authentic_odds = 1;  // product of (1 - proof x strength) over inauthenticity indicators
    for (size_t s = 0; s < applied.size(); ++s) {
      Signal* signal = applied[s];
      Indicator ind;
      ind.signal = std::string(signal->Name());
      double strength = 0;
      const std::vector<AccountIndex>& judged = core_only(signal) ? groups[g] : net.members;
      const auto& scores = signal->account_scores();
      if (!scores.empty()) {
        double sum = 0;
        AccountIndex best_account = judged.front();
        for (AccountIndex a : judged) {
          sum += scores[a];
          if (scores[a] > scores[best_account]) best_account = a;
        }
        const double mean = sum / static_cast<double>(judged.size());
        strength = std::max(0.0, (mean - baseline[s]) / std::max(1e-9, 1 - baseline[s]));
        if (strength > 0) ind.examples.push_back(signal->ExplainAccount(best_account));
        ind.evidence = fmt::format("members score {:.2f} on average against {:.2f} for all accounts", mean, baseline[s]);
      }
      // Strong links between members: the share of members they touch (a
      // family sharing a device inside a large group touches few).
      SignalInGroup& in = signal_in_group[s][g];
      if (in.linked > 0) {
        std::sort(in.touched.begin(), in.touched.end());
        in.touched.erase(std::unique(in.touched.begin(), in.touched.end()), in.touched.end());
        const double share = static_cast<double>(in.touched.size()) / static_cast<double>(judged.size());
        strength = std::max(strength, share);
        for (std::string& e : in.examples)
          if (ind.examples.size() < 3) ind.examples.push_back(std::move(e));
        ind.evidence += (ind.evidence.empty() ? "" : "; ") + fmt::format("{} strong links join {} of {} members",
                                                                         in.linked, in.touched.size(), judged.size());
      }
      for (const auto& [k, overlap] : overlaps[s][g]) {
        const SignalGroup& group = signal->groups()[k];
        if (overlap * 2 < group.accounts.size() || overlap < 3) continue;
        const double s2 = group.strength * std::min(1.0, 2.0 * overlap / static_cast<double>(judged.size()));
        if (s2 > strength) {
          strength = s2;
          ind.p_value = group.p_value;
        }
        if (ind.examples.size() < 3) ind.examples.push_back(group.explanation);
      }
      if (strength <= 0.05) continue;
      ind.strength = std::min(1.0, strength);
      // How far a signal alone proves inauthenticity: pushing one's own
      // outlet's links is what newsrooms do, so content counts for less.
      const double proof = ind.signal == "content-targeting" ? 0.3 : 0.9;
      authentic_odds *= 1 - proof * ind.strength;
      net.indicators.push_back(std::move(ind));
    }
    const double inauthenticity = 1 - authentic_odds;
    net.confidence = applied.empty() ? coordination : coordination * (0.25 + 0.75 * inauthenticity);
    if (net.confidence < options_.min_confidence) continue;
    {
      Indicator ind;
      ind.signal = "coordination";
      ind.strength = coordination;
      ind.p_value = std::pow(10.0, log10_p_group);
      ind.evidence = fmt::format(
          "{} of {:.0f} member pairs ({:.1f}%) are linked by co-action, {:.0f}x the density of links between "
          "clusters ({:.4f}%)",
          linked_pairs[g], pairs_in, 100 * density, excess, 100 * background);
      net.indicators.push_back(std::move(ind));
    }
    std::sort(net.indicators.begin(), net.indicators.end(),
              [](const Indicator& a, const Indicator& b) { return a.strength > b.strength; });
    // Member scores: confidence scaled by each member's share of the coordination.
    double max_degree = 0;
    for (AccountIndex a : net.members) max_degree = std::max(max_degree, degree[a]);
    for (AccountIndex a : net.members) {
      const double rel = max_degree <= 0 ? 0.0 : degree[a] / max_degree;
      net.member_scores.push_back(net.confidence * (0.5 + 0.5 * rel));
    }
    networks.push_back(std::move(net));
    group_of_network.push_back(g);
  }
  // Description of the networks reported: activity, domains, hashtags,
  // languages, countries, in one pass over the events.
  {
    struct Counts {
      std::map<std::string, uint64_t> domains, hashtags, languages, targets, origins;
    };
    std::vector<Counts> counts(networks.size());
    std::vector<int32_t> network_of(num_accounts, -1);
    for (size_t i = 0; i < networks.size(); ++i)
      for (AccountIndex a : networks[i].members) network_of[a] = static_cast<int32_t>(i);
    const Events& ev = ds_.events;
    for (size_t i = 0; i < ev.size(); ++i) {
      const int32_t k = network_of[ev.account[i]];
      if (k < 0) continue;
      Network& net = networks[k];
      Counts& c = counts[k];
      ++net.events;
      if (net.first_activity == kNoTime) net.first_activity = ev.time[i];
      net.last_activity = ev.time[i];
      for (uint32_t u : ev.urls.Row(i)) ++c.domains[std::string(ds_.domains.Get(ds_.url_domain[u]))];
      for (uint32_t h : ev.hashtags.Row(i)) ++c.hashtags[std::string(ds_.hashtags.Get(h))];
      if (ev.language[i] != kNoString) ++c.languages[std::string(ds_.String(ev.language[i]))];
      if (ev.target_country[i] != kNoCountry) ++c.targets[CountryName(ev.target_country[i])];
    }
    for (const InfraObservation& o : ds_.infra)
      if (network_of[o.account] >= 0 && o.country != kNoCountry) ++counts[network_of[o.account]].origins[CountryName(o.country)];
    for (size_t k = 0; k < networks.size(); ++k) {
      Network& net = networks[k];
      Counts& c = counts[k];
      if (c.origins.empty())
        for (AccountIndex a : net.members)
          if (ds_.accounts[a].country != kNoCountry) ++c.origins[CountryName(ds_.accounts[a].country)];
      net.top_domains = Top(c.domains, 10);
      net.top_hashtags = Top(c.hashtags, 10);
      net.languages = Top(c.languages, 5);
      for (const CountShare& t : Top(c.targets, 3)) net.target_countries.push_back(t.name);
      for (const CountShare& o : Top(c.origins, 3)) net.origin_countries.push_back(o.name);
      if (!net.origin_countries.empty() && !net.target_countries.empty() &&
          std::find(net.target_countries.begin(), net.target_countries.end(), net.origin_countries.front()) ==
              net.target_countries.end())
        net.tier = "FGI";
      // The operators' clock, from the core members' rhythm together.
      const RhythmProfile rhythm = RhythmOf(ds_, groups[group_of_network[k]]);
      net.utc_offset = rhythm.utc_offset_hours;
      net.utc_offset_confidence = rhythm.confidence;
      net.shift.hour_share = rhythm.local_hour_share;
      net.shift.weekday_share = rhythm.local_weekday_share;
      net.shift.morning_peak = rhythm.morning_peak;
      net.shift.evening_peak = rhythm.evening_peak;
      net.shift.lunch_dip = rhythm.lunch_dip;
      net.shift.night_pause = rhythm.night_pause;
      net.shift.automated = rhythm.automated;
      net.shift.summary = rhythm.Describe();
    }
  }
  std::sort(networks.begin(), networks.end(), [](const Network& a, const Network& b) {
    return a.confidence != b.confidence ? a.confidence > b.confidence : a.members < b.members;
  });
  for (size_t i = 0; i < networks.size(); ++i) networks[i].network_id = fmt::format("N{}", i + 1);
  result_.networks = std::move(networks);
  stage("");
  return Status::Ok();
}

}  // namespace lockstep
