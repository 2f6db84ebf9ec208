#include "lockstep/detect/detector.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "lockstep/graph/co_action_layer.h"
#include "lockstep/graph/co_action_significance.h"
#include "lockstep/graph/edge_fusion.h"
#include "lockstep/graph/igraph_adapter.h"
#include "lockstep/model/threads.h"
#include "lockstep/signals/posting_rhythm.h"
#include "lockstep/signals/profile_signal.h"
#include "signals/pair_map.h"

namespace lockstep {

namespace {

using internal::PairFirst;
using internal::PairKey;
using internal::PairSecond;

constexpr size_t kExamples = 3;  // examples kept per indicator

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

// What one stage hands to the next.
struct Detector::Impl {
  size_t num_accounts = 0;
  std::vector<std::unique_ptr<CoActionLayerSignal>> layers;  // owned co-action layers
  size_t text_layer = SIZE_MAX;                             // the co-text layer's index in `layers`, if any
  std::vector<const Signal*> ran;                           // every signal that ran, layers first
  std::vector<const Signal*> applied;                       // the joining and scoring signals among them
  std::unique_ptr<EdgeFusion> fusion;
  std::unique_ptr<SharedIdleDays> idle_days;               // the shared-idle-days test of groups; null when off
  std::unique_ptr<ClaimedZonesClock> claimed_clock;         // the one-clock test of claimed zones; null when off
  std::unique_ptr<CreationCohort> creation_cohort;         // the joint-registration test of groups; null when off
  std::unique_ptr<CreationCohort> first_action_cohort;     // the same on first actions; null when off
  std::unique_ptr<ObservedTenure> tenure;                   // first actions, and established accounts without dates
  std::vector<std::function<Status()>> group_tests;         // runs the five above (1b)
  std::vector<int64_t> membership;                          // Leiden cluster per graph node
  std::unique_ptr<UnionFind> merge;                         // clusters merged by joining links
  std::vector<std::vector<AccountIndex>> groups;            // core members per group
  std::vector<std::vector<AccountIndex>> attached;          // attached accounts per group
  std::vector<int32_t> group_of;                            // account -> group, -1 = none
  std::vector<Network> networks;
  std::vector<size_t> group_of_network;
  // Groups below min_confidence that could still be linked to a network (5b).
  struct Dropped {
    size_t group;
    double confidence;
    std::vector<AccountIndex> members;  // core and attached, sorted
  };
  std::vector<Dropped> dropped;
};

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
  if (Status s = CheckThreads(options_.threads); !s.ok()) return s;
  // Options checked before any work, not after an hour of it.
  if (!(options_.linked_min_density >= 0 && options_.linked_min_density <= 1) ||
      !(options_.linked_min_links_per_member >= 0))
    return Status::InvalidArgument(fmt::format("linked_min_density is {} (expected 0..1), linked_min_links_per_member {} "
                                               "(expected >= 0)",
                                               options_.linked_min_density, options_.linked_min_links_per_member));
  if (!(options_.member_min_degree_share >= 0 && options_.member_min_degree_share <= 1))
    return Status::InvalidArgument(
        fmt::format("member_min_degree_share is {}, expected 0..1", options_.member_min_degree_share));
  for (const auto& [name, proof] : {std::pair<const char*, double>{"idle_days_proof", options_.idle_days_proof},
                                    {"claimed_clock_proof", options_.claimed_clock_proof},
                                    {"creation_cohort_proof", options_.creation_cohort_proof},
                                    {"first_action_cohort_proof", options_.first_action_cohort_proof}})
    if (!(proof >= 0 && proof <= 1)) return Status::InvalidArgument(fmt::format("{} is {}, expected 0..1", name, proof));
  Impl run;
  run.num_accounts = ds_.num_accounts();
  stage("co-action");
  MakeLayers(run);
  MakeGroupTests(run);
  Clock::time_point layers_done = stage_start;
  if (Status s = RunSignals(run, &layers_done); !s.ok()) return s;
  // The layers and the added signals ran side by side: "co-action" until the
  // last layer was done, "signals" the rest.
  result_.stage_seconds.back().second = std::chrono::duration<double>(layers_done - stage_start).count();
  result_.stage_seconds.emplace_back("signals", 0.0);  // closed by the next stage
  stage_start = layers_done;
  if (options_.progress) options_.progress("signals");
  stage("clustering");
  if (Status s = Fuse(run); !s.ok()) return s;
  if (Status s = Cluster(run); !s.ok()) return s;
  stage("assembly");
  Assemble(run);
  stage("scoring");
  Score(run);
  Link(run);
  Describe(run);
  std::sort(run.networks.begin(), run.networks.end(), [](const Network& a, const Network& b) {
    return a.confidence != b.confidence ? a.confidence > b.confidence : a.members < b.members;
  });
  for (size_t i = 0; i < run.networks.size(); ++i) run.networks[i].network_id = fmt::format("N{}", i + 1);
  result_.networks = std::move(run.networks);
  stage("");
  return Status::Ok();
}

// 1a. The co-action layers, made (run in 1b).
void Detector::MakeLayers(Impl& run) {
  std::vector<CoActionLayer> specs = options_.layers;
  if (options_.co_text) specs.push_back({ObjectKeyKind::kText, options_.text_windows_seconds, options_.text_weight});
  for (const CoActionLayer& spec : specs) {
    CoActionLayerOptions o;
    o.kind = spec.kind;
    o.windows_seconds = spec.windows_seconds;
    o.key_per_day = spec.key_per_day;
    o.long_window_seconds = options_.long_window_seconds;
    o.long_window_max_pairs_per_key = options_.long_window_max_pairs_per_key;
    o.weight = spec.weight;
    o.fdr = options_.fdr;
    o.edge_log10_p = options_.edge_log10_p;
    o.log10_p_full = options_.co_action_log10_p_full;
    o.max_pairs_per_key = options_.max_pairs_per_key;
    o.threads = options_.threads;
    o.text = options_.text;
    o.shared_text = options_.text_clusters;
    if (spec.kind == ObjectKeyKind::kText && run.text_layer == SIZE_MAX) run.text_layer = run.layers.size();
    run.layers.push_back(std::make_unique<CoActionLayerSignal>(ds_, o));
  }
}

// 1a, also: the tests of groups that read the whole data set (run in 1b:
// they need no group to be found, and done in the scoring stage they were
// half a second alone on one core at scale 1).
void Detector::MakeGroupTests(Impl& run) {
  if (options_.idle_days_proof > 0) {
    run.idle_days = std::make_unique<SharedIdleDays>(ds_, options_.idle_days);
    run.group_tests.push_back([&run] { return run.idle_days->Run(); });
  }
  if (options_.claimed_clock_proof > 0) {
    ClaimedZonesClockOptions o = options_.claimed_clock;
    o.seed = options_.seed;
    run.claimed_clock = std::make_unique<ClaimedZonesClock>(ds_, o);
    run.group_tests.push_back([&run] { return run.claimed_clock->Run(); });
  }
  run.tenure = std::make_unique<ObservedTenure>(ds_, options_.tenure);
  if (options_.first_action_cohort_proof > 0)
    run.first_action_cohort = std::make_unique<CreationCohort>(ds_, options_.creation_cohort, run.tenure.get());
  run.group_tests.push_back([&run] {  // the first-action cohort asks the tenure
    if (Status s = run.tenure->Run(); !s.ok()) return s;
    return run.first_action_cohort != nullptr ? run.first_action_cohort->Run() : Status::Ok();
  });
  if (options_.creation_cohort_proof > 0) {
    run.creation_cohort = std::make_unique<CreationCohort>(ds_, options_.creation_cohort);
    run.group_tests.push_back([&run] { return run.creation_cohort->Run(); });
  }
}

// 1b. The layers and the added signals, side by side on `threads` workers,
// each taking the next signal not yet started. Longest first, as far as is
// known, so that what is left at the end is short: the layers (the text
// layer, with its text clustering, first of them), then the added signals from the last
// added (DefaultSignals adds content targeting, the longest, last). Signals
// only read the data set (and the shared text clusters, which lock). They are
// recorded in the order made and added, whatever the order they finish in;
// those not Applicable() are listed as skipped.
// `layers_done`: when the last layer was done (left as it is without layers).
Status Detector::RunSignals(Impl& run, std::chrono::steady_clock::time_point* layers_done) {
  using Clock = std::chrono::steady_clock;
  std::vector<Signal*> todo;  // layers first
  for (auto& layer : run.layers) todo.push_back(layer.get());
  const size_t num_layers = todo.size();
  for (auto& signal : signals_) todo.push_back(signal.get());
  std::vector<size_t> order(todo.size());
  std::iota(order.begin(), order.end(), 0);
  if (run.text_layer < num_layers) {
    const auto text = order.begin() + static_cast<ptrdiff_t>(run.text_layer);
    std::rotate(order.begin(), text, text + 1);
  }
  std::reverse(order.begin() + static_cast<ptrdiff_t>(num_layers), order.end());
  // The group tests (1a) after the layers, before the added signals: then
  // the short signals are what is left at the end. Numbered after todo.
  for (size_t t = 0; t < run.group_tests.size(); ++t)
    order.insert(order.begin() + static_cast<ptrdiff_t>(num_layers + t), todo.size() + t);
  // Whether each is applicable is asked on the workers too: a layer finds
  // out by extracting its keys (co-text: by clustering the texts).
  std::vector<std::string> why_not(todo.size());
  std::vector<char> applicable(todo.size(), 0);
  std::vector<Status> status(todo.size(), Status::Ok());
  std::vector<Clock::time_point> done_at(todo.size());
  std::vector<Status> test_status(run.group_tests.size(), Status::Ok());
  std::atomic<size_t> next{0};
  const int workers = static_cast<int>(std::clamp<size_t>(order.size(), 1, static_cast<size_t>(options_.threads)));
  RunWorkers(workers, [&](int) {
    for (size_t n; (n = next.fetch_add(1)) < order.size();) {
      const size_t i = order[n];
      if (i >= todo.size()) {
        test_status[i - todo.size()] = run.group_tests[i - todo.size()]();
        continue;
      }
      applicable[i] = todo[i]->Applicable(&why_not[i]);
      if (applicable[i]) status[i] = todo[i]->Run();
      done_at[i] = Clock::now();
    }
  });
  for (size_t i = 0; i < todo.size(); ++i) {
    if (!status[i].ok()) return status[i];
    if (i < num_layers) *layers_done = std::max(*layers_done, done_at[i]);
    if (!applicable[i]) result_.skipped.push_back({std::string(todo[i]->Name()), why_not[i]});
  }
  for (const Status& s : test_status)
    if (!s.ok()) return s;
  // Recorded in the order of the layers, then of the added signals.
  for (const auto& layer : run.layers) {
    if (!layer->has_run()) continue;
    run.ran.push_back(layer.get());
    result_.signals_run.emplace_back(layer->Name());
    result_.expected_false_edges += layer->expected_false_edges();
    result_.significant_edges += layer->significant_edges();
  }
  for (auto& signal : signals_) {
    if (!signal->has_run()) continue;
    run.ran.push_back(signal.get());
    result_.signals_run.emplace_back(signal->Name());
    if (signal->Role() != SignalRole::kFormsGroups) run.applied.push_back(signal.get());
  }
  return Status::Ok();
}

// 2. Fusion of every signal that ran, by role.
Status Detector::Fuse(Impl& run) {
  FusionOptions fusion;
  fusion.join_min_strength = options_.other_signal_min_strength;
  run.fusion = std::make_unique<EdgeFusion>(run.num_accounts, run.ran, fusion);
  return run.fusion->Run();
}

// 3. Leiden over the accounts with a forming edge.
Status Detector::Cluster(Impl& run) {
  LeidenOptions leiden;
  leiden.resolution = options_.leiden_resolution;
  leiden.seed = options_.seed;
  auto membership = LeidenClusters(run.fusion->account_of().size(), run.fusion->graph_edges(), leiden);
  if (!membership.ok()) return membership.status();
  run.membership = std::move(*membership);
  return Status::Ok();
}

// 4. Assembly: merge clusters joined by infrastructure, attach what they run.
void Detector::Assemble(Impl& run) {
  const size_t num_accounts = run.num_accounts;
  const std::vector<int64_t>& membership = run.membership;
  const std::vector<uint32_t>& node_of = run.fusion->node_of();
  const std::vector<AccountIndex>& account_of = run.fusion->account_of();
  const size_t num_clusters =
      membership.empty() ? 0 : static_cast<size_t>(*std::max_element(membership.begin(), membership.end()) + 1);
  run.merge = std::make_unique<UnionFind>(num_clusters);
  UnionFind& merge = *run.merge;
  {
    internal::PairMap<double> between;
    for (const FusedPair& p : run.fusion->pairs()) {
      if (p.join <= 0) continue;
      const uint32_t na = node_of[p.a], nb = node_of[p.b];
      if (na == UINT32_MAX || nb == UINT32_MAX) continue;
      const int64_t ca = membership[na], cb = membership[nb];
      if (ca != cb) between.Get(PairKey(std::min(ca, cb), std::max(ca, cb))) += p.join;
    }
    for (auto& [key, strength] : between.entries())
      if (strength >= options_.merge_min_join) merge.Union(PairFirst(key), PairSecond(key));
  }
  std::map<uint32_t, std::vector<AccountIndex>> clusters;
  for (size_t n = 0; n < account_of.size(); ++n)
    clusters[merge.Find(static_cast<uint32_t>(membership[n]))].push_back(account_of[n]);
  std::vector<std::vector<AccountIndex>>& groups = run.groups;
  for (auto& [id, members] : clusters)
    if (members.size() >= options_.min_network_size) groups.push_back(std::move(members));

  std::vector<int32_t>& group_of = run.group_of;
  group_of.assign(num_accounts, -1);
  for (size_t g = 0; g < groups.size(); ++g)
    for (AccountIndex a : groups[g]) group_of[a] = static_cast<int32_t>(g);
  std::vector<std::vector<AccountIndex>>& attached = run.attached;
  attached.assign(groups.size(), {});
  // Accounts on a group's infrastructure.
  for (const FusedPair& p : run.fusion->pairs()) {
    if (p.join < options_.attach_min_join) continue;
    if (group_of[p.a] >= 0 && group_of[p.b] < 0) attached[group_of[p.a]].push_back(p.b);
    if (group_of[p.b] >= 0 && group_of[p.a] < 0) attached[group_of[p.b]].push_back(p.a);
  }
  // Pages and Groups whose engagement comes mostly from one group's members.
  {
    const Events& ev = ds_.events;
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
        if (n >= options_.page_attach_min_engagements &&
            static_cast<double>(n) >= options_.page_attach_min_share * static_cast<double>(total[target]))
          attached[g].push_back(target);
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
}

Detector::EstablishedAccounts Detector::EstablishedAmong(const std::vector<AccountIndex>& core,
                                                         const ObservedTenure& tenure) const {
  EstablishedAccounts out;
  std::vector<double> created, age;
  for (AccountIndex a : core) {
    const int64_t c = ds_.accounts[a].created_at;
    if (c == kNoTime) continue;
    created.push_back(static_cast<double>(c));
    if (tenure.FirstAction(a) != kNoTime) age.push_back(static_cast<double>(tenure.FirstAction(a) - c) / 86400.0);
  }
  out.known = created.size();
  if (created.size() < 4 || static_cast<double>(created.size()) < options_.established_min_known_share * static_cast<double>(core.size()) ||
      age.empty()) {
    // Creation dates missing: what the actions show (observed_tenure.h).
    if (options_.established_by_tenure) {
      out.tenure = tenure.Test(core);
      out.holds = out.by_tenure = out.tenure.holds;
    }
    return out;
  }
  std::sort(created.begin(), created.end());
  std::sort(age.begin(), age.end());
  auto quantile = [](const std::vector<double>& v, double q) { return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))]; };
  out.creation_iqr_days = (quantile(created, 0.75) - quantile(created, 0.25)) / 86400.0;
  out.median_age_days = quantile(age, 0.5);
  out.holds = out.creation_iqr_days >= options_.established_min_creation_iqr_days &&
              out.median_age_days >= options_.established_min_age_days;
  return out;
}

// 5. Scoring, in passes over the edges shared by all groups (a group's
// evidence is bucketed by group_of, never searched for per group).
void Detector::Score(Impl& run) {
  const size_t num_accounts = run.num_accounts;
  const std::vector<std::vector<AccountIndex>>& groups = run.groups;
  const std::vector<int32_t>& group_of = run.group_of;
  const std::vector<const Signal*>& applied = run.applied;
  const std::vector<const Signal*>& forming = run.fusion->forming();
  const size_t num_groups = groups.size();
  std::vector<std::vector<AccountIndex>> members(num_groups);
  for (size_t g = 0; g < num_groups; ++g) {
    members[g] = groups[g];
    members[g].insert(members[g].end(), run.attached[g].begin(), run.attached[g].end());
    std::sort(members[g].begin(), members[g].end());
  }
  auto same_group = [&](AccountIndex a, AccountIndex b) {
    return a < num_accounts && b < num_accounts && group_of[a] >= 0 && group_of[a] == group_of[b] ? group_of[a] : -1;
  };
  // Forming links inside each group and each member's share of them.
  std::vector<uint64_t> linked_pairs(num_groups, 0);
  std::vector<double> degree(num_accounts, 0);
  for (const FusedPair& p : run.fusion->pairs()) {
    const int32_t g = same_group(p.a, p.b);
    if (g < 0 || p.weight <= 0) continue;
    ++linked_pairs[g];
    degree[p.a] += p.weight;
    degree[p.b] += p.weight;
  }
  // Pendants: core members whose forming links inside their group are a
  // negligible share of the median core member's. The group is judged with
  // them; the network reported leaves them out.
  std::vector<bool> pendant(num_accounts, false);
  std::vector<size_t> pendants(num_groups, 0);
  if (options_.member_min_degree_share > 0) {
    std::vector<double> sorted;
    for (size_t g = 0; g < num_groups; ++g) {
      sorted.clear();
      for (AccountIndex a : groups[g]) sorted.push_back(degree[a]);
      if (sorted.empty()) continue;
      const auto mid = sorted.begin() + static_cast<ptrdiff_t>(sorted.size() / 2);
      std::nth_element(sorted.begin(), mid, sorted.end());
      const double floor = options_.member_min_degree_share * *mid;
      for (AccountIndex a : groups[g])
        if (degree[a] < floor) {
          pendant[a] = true;
          ++pendants[g];
        }
    }
  }
  auto leave_out_pendants = [&](std::vector<AccountIndex>* list) {
    std::erase_if(*list, [&](AccountIndex a) { return pendant[a]; });
  };
  // Background: the density of links between accounts that Leiden put in
  // different clusters (links inside any cluster are left out, so one huge
  // bot network does not make every other group look ordinary).
  double between_links = 0, between_pairs = 0;
  {
    // Clusters as merged by shared infrastructure.
    auto merged = [&](uint32_t node) { return run.merge->Find(static_cast<uint32_t>(run.membership[node])); };
    const size_t num_nodes = run.fusion->account_of().size();
    std::map<uint32_t, double> cluster_size;
    for (size_t node = 0; node < num_nodes; ++node) cluster_size[merged(static_cast<uint32_t>(node))] += 1;
    const double n = static_cast<double>(num_nodes);
    between_pairs = n * (n - 1) / 2;
    for (const auto& [c, size] : cluster_size) between_pairs -= size * (size - 1) / 2;
    for (const WeightedEdge& e : run.fusion->graph_edges()) between_links += merged(e.a) != merged(e.b);
  }
  const double background = std::max(1e-12, between_links / std::max(1.0, between_pairs));
  // Evidence of each forming signal (co-action layer) per group.
  struct LayerInGroup {
    size_t count = 0;
    double best = 0;           // smallest log10 p
    double best_strength = 0;  // for signals without p-values
    std::vector<std::string> examples;
  };
  std::vector<std::vector<LayerInGroup>> layer_in_group(forming.size(), std::vector<LayerInGroup>(num_groups));
  for (size_t l = 0; l < forming.size(); ++l) {
    const std::vector<SignalEdge>& edges = forming[l]->edges();
    for (size_t i = 0; i < edges.size(); ++i) {
      const SignalEdge& e = edges[i];
      const int32_t g = same_group(e.a, e.b);
      if (g < 0) continue;
      LayerInGroup& in = layer_in_group[l][g];
      ++in.count;
      in.best = std::min(in.best, forming[l]->EdgeLog10P(i));
      in.best_strength = std::max(in.best_strength, static_cast<double>(e.strength));
      if (in.examples.size() < kExamples) in.examples.push_back(forming[l]->ExplainEdge(e));
    }
  }
  // Strong links of the other signals inside each group, and their groups' overlap.
  struct SignalInGroup {
    size_t linked = 0;
    std::vector<AccountIndex> touched;
    std::vector<std::string> examples;
  };
  // A joining signal attached some members to their group; it cannot also
  // be the evidence that the group is an operation (a chance triangle of
  // ordinary accounts plus one member's household on the family tablet is
  // not a troll farm). Its evidence is read off the core members only.
  std::vector<bool> core(num_accounts, false);
  for (const auto& g : groups)
    for (AccountIndex a : g) core[a] = true;
  auto core_only = [](const Signal* signal) { return signal->Role() == SignalRole::kJoinsGroups; };
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
      if (in.examples.size() < kExamples) in.examples.push_back(applied[s]->ExplainEdge(e));
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
  // Profiles that declare automation (an open bot service).
  std::vector<bool> declares_automation(num_accounts, false);
  for (size_t a = 0; a < num_accounts && a < ds_.accounts.size(); ++a) {
    const StringId d = ds_.accounts[a].description;
    declares_automation[a] = d != kNoString && DeclaresAutomation(ds_.String(d));
  }
  for (size_t g = 0; g < num_groups; ++g) {
    const EstablishedAccounts established = EstablishedAmong(groups[g], *run.tenure);
    Network net;
    net.members = std::move(members[g]);
    net.attached = run.attached[g];
    const double pairs_in = std::max(1.0, static_cast<double>(net.members.size()) * (net.members.size() - 1) / 2);
    const double density = static_cast<double>(linked_pairs[g]) / pairs_in;
    const double excess = density / background;
    const double log10_p_group = Log10PoissonTail(linked_pairs[g], pairs_in * background);
    const double coordination =
        log10_p_group <= options_.group_log10_p ? std::min(1.0, excess / options_.full_coordination_excess) : 0.0;
    // Evidence per forming signal.
    for (size_t l = 0; l < forming.size(); ++l) {
      LayerInGroup& in = layer_in_group[l][g];
      if (in.count == 0) continue;
      Indicator ind;
      ind.signal = std::string(forming[l]->Name());
      ind.strength = in.best < 0 ? std::min(1.0, -in.best / options_.co_action_log10_p_full) : in.best_strength;
      ind.p_value = std::pow(10.0, in.best);
      ind.evidence = fmt::format("{} member pairs ({:.0f}% of all pairs) {}", in.count,
                                 100.0 * static_cast<double>(in.count) / pairs_in, forming[l]->EdgeMeaning());
      ind.examples = std::move(in.examples);
      net.indicators.push_back(std::move(ind));
    }
    // Pages and Groups managed together: an agency runs its real clients'
    // Pages from one office (devices, IP, ad card). Shared infrastructure is
    // how such management looks, not a fake persona, so for a group mostly
    // of Pages it proves no inauthenticity; persona evidence (profiles,
    // creation bursts, rhythm) still does.
    size_t pages = 0;
    for (AccountIndex a : net.members) pages += ds_.accounts[a].kind != AccountKind::kAccount ? 1 : 0;
    const bool managed_pages = static_cast<double>(pages) >= options_.managed_pages_share * static_cast<double>(net.members.size());
    // Indicators of inauthenticity from the joining and scoring signals.
    // The best member's explanation is written only for a network reported:
    // at scale 10 most of 2,391 groups are dropped, and explaining their
    // members was most of the scoring stage.
    struct BestMember {
      size_t indicator;
      const Signal* signal;
      AccountIndex account;
    };
    std::vector<BestMember> best_members;
    double authentic_odds = 1;  // product of (1 - proof x strength) over inauthenticity indicators
    for (size_t s = 0; s < applied.size(); ++s) {
      const Signal* signal = applied[s];
      Indicator ind;
      ind.signal = std::string(signal->Name());
      double strength = 0;
      double own_strength = 0;  // from what each member shows on its own (account scores)
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
        strength = own_strength = std::max(0.0, (mean - baseline[s]) / std::max(1e-9, 1 - baseline[s]));
        if (strength > 0) {
          ind.examples.emplace_back();  // ExplainAccount(best_account), below
          best_members.push_back({net.indicators.size(), signal, best_account});
        }
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
          if (ind.examples.size() < kExamples) ind.examples.push_back(std::move(e));
        ind.evidence += (ind.evidence.empty() ? "" : "; ") + fmt::format("{} strong links join {} of {} members",
                                                                         in.linked, in.touched.size(), judged.size());
      }
      for (const auto& [k, overlap] : overlaps[s][g]) {
        const SignalGroup& group = signal->groups()[k];
        if (static_cast<double>(overlap) < options_.group_overlap_min_share * static_cast<double>(group.accounts.size()) ||
            overlap < options_.group_overlap_min_accounts)
          continue;
        const double s2 = group.strength * std::min(1.0, (1 / options_.group_overlap_full_share) * overlap /
                                                             static_cast<double>(judged.size()));
        if (s2 > strength) {
          strength = s2;
          ind.p_value = group.p_value;
        }
        if (ind.examples.size() < kExamples) ind.examples.push_back(group.explanation);
      }
      if (strength <= options_.min_indicator_strength) {
        if (!best_members.empty() && best_members.back().indicator == net.indicators.size()) best_members.pop_back();
        continue;
      }
      ind.strength = std::min(1.0, strength);
      // How far the signal alone proves inauthenticity (a joining signal's
      // EvidenceWeight() is the weight of its edges in the graph, not a proof).
      const double proof = signal->Role() == SignalRole::kScoresGroups ? signal->EvidenceWeight()
                           : managed_pages || established.holds || !signal->JoiningProvesInauthenticity()
                               ? 0.0
                               : options_.joining_signal_proof;
      // Established accounts: only what members show on their own counts.
      authentic_odds *= 1 - proof * (established.holds ? std::min(1.0, own_strength) : ind.strength);
      net.indicators.push_back(std::move(ind));
    }
    // Relational tests of the core members (shared idle days; one clock behind
    // the claimed zones; registered together). Like shared infrastructure they
    // prove nothing for managed Pages or established accounts: an agency's
    // staff share a working week, an expatriate naming home is on another
    // zone's clock.
    auto relational = [&](std::string signal, bool holds, double strength, double p_value, std::string evidence,
                          double proof) {
      if (!holds || strength <= options_.min_indicator_strength) return;
      Indicator ind;
      ind.signal = std::move(signal);
      ind.strength = strength;
      ind.p_value = p_value;
      ind.evidence = std::move(evidence);
      if (!managed_pages && !established.holds) authentic_odds *= 1 - proof * ind.strength;
      net.indicators.push_back(std::move(ind));
    };
    if (run.idle_days != nullptr) {
      IdleDaysResult idle = run.idle_days->Test(groups[g]);
      relational("shared-idle-days", idle.holds, idle.strength, std::pow(10.0, idle.log10_p),
                 std::move(idle.explanation), options_.idle_days_proof);
    }
    if (run.claimed_clock != nullptr) {
      ClaimedZonesClockResult clock = run.claimed_clock->Test(groups[g]);
      relational("one-clock-claimed-zones", clock.holds, clock.strength, clock.p, std::move(clock.explanation),
                 options_.claimed_clock_proof);
    }
    bool dated = false;  // the creation-date test applied
    if (run.creation_cohort != nullptr) {
      CohortResult cohort = run.creation_cohort->Test(groups[g]);
      dated = cohort.in_window > 0;
      relational("creation-cohort", cohort.holds, cohort.strength, std::pow(10.0, cohort.log10_p),
                 std::move(cohort.explanation), options_.creation_cohort_proof);
    }
    if (run.first_action_cohort != nullptr && !dated) {
      CohortResult cohort = run.first_action_cohort->Test(groups[g]);
      relational("first-action-cohort", cohort.holds, cohort.strength, std::pow(10.0, cohort.log10_p),
                 std::move(cohort.explanation), options_.first_action_cohort_proof);
    }
    const double inauthenticity = 1 - authentic_odds;
    net.confidence = applied.empty() ? coordination
                                     : coordination * (options_.coordination_floor +
                                                       (1 - options_.coordination_floor) * inauthenticity);
    // Members that say openly they are automated deceive nobody about what
    // they are: their share discounts the confidence.
    size_t declared = 0;
    for (AccountIndex a : net.members) declared += declares_automation[a] ? 1 : 0;
    const double declared_share = static_cast<double>(declared) / static_cast<double>(net.members.size());
    net.confidence *= 1 - options_.declared_automation_discount * declared_share;
    if (net.confidence < options_.min_confidence) {
      // Coordinated on its own, and not a community, an agency's Pages or a
      // declared bot service: it may be part of a network reported (5b).
      if (coordination > 0 && !established.holds && !managed_pages && declared == 0) {
        leave_out_pendants(&net.members);
        run.dropped.push_back({g, net.confidence, std::move(net.members)});
      }
      continue;
    }
    for (const BestMember& b : best_members)
      net.indicators[b.indicator].examples.front() = b.signal->ExplainAccount(b.account);
    if (declared > 0) {
      Indicator ind;
      ind.signal = "declared-automation";
      ind.strength = 0;  // evidence against, listed last
      ind.evidence = fmt::format(
          "{} of {} members declare in their profile that they are automated; confidence scaled by {:.2f}", declared,
          net.members.size(), 1 - options_.declared_automation_discount * declared_share);
      net.indicators.push_back(std::move(ind));
    }
    if (established.holds) {  // by creation dates, or by observed tenure (by_tenure)
      Indicator ind;
      ind.signal = "established-accounts";
      ind.strength = 0;  // evidence against, listed last
      ind.evidence =
          established.by_tenure
              ? fmt::format("{} of {} core members have no creation date; {} of them were acting at their usual rate "
                            "when the data begins and they have been seen acting for {:.1f} years (median)",
                            groups[g].size() - established.known, groups[g].size(), established.tenure.present,
                            established.tenure.median_tenure_days / 365.25)
              : fmt::format("{} of {} core members have a known creation date; they were created over {:.1f} years "
                            "(interquartile) and had been on the platform {:.1f} years (median) when they first acted "
                            "here",
                            established.known, groups[g].size(), established.creation_iqr_days / 365.25,
                            established.median_age_days / 365.25);
      ind.evidence +=
          ": a community, not registered personas, so only what members show on their own counts as inauthenticity";
      net.indicators.push_back(std::move(ind));
    }
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
    if (pendants[g] > 0) {
      leave_out_pendants(&net.members);
      Indicator ind;
      ind.signal = "pendant-members";
      ind.strength = 0;  // a note on membership, not evidence
      ind.evidence = fmt::format(
          "{} account{} of the co-action cluster left out: linked to the other members by less than {:g} of the "
          "median member's co-action, as by one weak link (an account that engaged once with the network's content)",
          pendants[g], pendants[g] == 1 ? "" : "s", options_.member_min_degree_share);
      net.indicators.push_back(std::move(ind));
    }
    // Member scores: confidence scaled by each member's share of the coordination.
    double max_degree = 0;
    for (AccountIndex a : net.members) max_degree = std::max(max_degree, degree[a]);
    for (AccountIndex a : net.members) {
      const double rel = max_degree <= 0 ? 0.0 : degree[a] / max_degree;
      net.member_scores.push_back(net.confidence * (options_.member_score_floor + (1 - options_.member_score_floor) * rel));
    }
    run.networks.push_back(std::move(net));
    run.group_of_network.push_back(g);
  }
}

// 5b. Linked clusters: a dropped group densely linked by co-action to a
// reported network's core is more of that network.
void Detector::Link(Impl& run) {
  if (options_.linked_min_density <= 0 || run.networks.empty() || run.dropped.empty()) return;
  const std::vector<std::vector<AccountIndex>>& groups = run.groups;
  // Core members only: an attached account's links are its group's.
  std::vector<int32_t> network_of_core(run.num_accounts, -1), dropped_of_core(run.num_accounts, -1);
  for (size_t k = 0; k < run.networks.size(); ++k)
    for (AccountIndex a : groups[run.group_of_network[k]]) network_of_core[a] = static_cast<int32_t>(k);
  for (size_t d = 0; d < run.dropped.size(); ++d)
    for (AccountIndex a : groups[run.dropped[d].group]) dropped_of_core[a] = static_cast<int32_t>(d);
  std::map<std::pair<int32_t, int32_t>, uint64_t> links;  // (dropped, network) -> forming links
  for (const FusedPair& p : run.fusion->pairs()) {
    if (p.weight <= 0) continue;
    if (dropped_of_core[p.a] >= 0 && network_of_core[p.b] >= 0) ++links[{dropped_of_core[p.a], network_of_core[p.b]}];
    if (dropped_of_core[p.b] >= 0 && network_of_core[p.a] >= 0) ++links[{dropped_of_core[p.b], network_of_core[p.a]}];
  }
  struct Best {
    int32_t network = -1;
    double density = 0;
    uint64_t links = 0;
  };
  std::vector<Best> best(run.dropped.size());
  for (const auto& [key, n] : links) {
    const auto [d, k] = key;
    const double core_d = static_cast<double>(groups[run.dropped[d].group].size());
    const double core_k = static_cast<double>(groups[run.group_of_network[k]].size());
    const double density = static_cast<double>(n) / (core_d * core_k);
    if (density < options_.linked_min_density ||
        static_cast<double>(n) < options_.linked_min_links_per_member * core_d || density <= best[d].density)
      continue;
    best[d] = {k, density, n};
  }
  for (size_t d = 0; d < run.dropped.size(); ++d) {
    if (best[d].network < 0) continue;
    Impl::Dropped& dropped = run.dropped[d];
    Network& net = run.networks[static_cast<size_t>(best[d].network)];
    const double core_k = static_cast<double>(groups[run.group_of_network[static_cast<size_t>(best[d].network)]].size());
    Indicator ind;
    ind.signal = "linked-cluster";
    ind.strength = 0;  // context: the network's confidence is its own evidence's
    ind.evidence = fmt::format(
        "{} accounts of a cluster that scored {:.2f} on its own are linked to this network's {:.0f} core members "
        "by {} co-action pairs ({:.1f}% of the pairs between the two): part of the same operation",
        dropped.members.size(), dropped.confidence, core_k, best[d].links, 100 * best[d].density);
    // Members and their scores, kept sorted together.
    std::vector<std::pair<AccountIndex, double>> scored;
    for (size_t i = 0; i < net.members.size(); ++i) scored.emplace_back(net.members[i], net.member_scores[i]);
    for (AccountIndex a : dropped.members) scored.emplace_back(a, net.confidence * options_.member_score_floor);
    std::sort(scored.begin(), scored.end());
    net.members.clear();
    net.member_scores.clear();
    for (const auto& [a, score] : scored) net.members.push_back(a), net.member_scores.push_back(score);
    // Not core: they came in by association, with no persona evidence of their own.
    std::vector<AccountIndex> attached;
    std::merge(net.attached.begin(), net.attached.end(), dropped.members.begin(), dropped.members.end(),
               std::back_inserter(attached));
    net.attached = std::move(attached);
    net.indicators.push_back(std::move(ind));
  }
}

// 6. Description of the networks reported: activity, domains, hashtags,
// languages, countries, in one pass over the events.
void Detector::Describe(Impl& run) {
  const size_t num_accounts = run.num_accounts;
  std::vector<Network>& networks = run.networks;
  const std::vector<std::vector<AccountIndex>>& groups = run.groups;
  const std::vector<size_t>& group_of_network = run.group_of_network;
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
      for (uint32_t u : ev.urls.Row(i))
        if (ds_.url_domain[u] != kNoString) ++c.domains[std::string(ds_.domains.Get(ds_.url_domain[u]))];
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
}

}  // namespace lockstep
