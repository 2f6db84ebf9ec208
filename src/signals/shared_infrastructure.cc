#include "lockstep/signals/shared_infrastructure.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <arpa/inet.h>

#include <fmt/format.h>

#include "signals/pair_map.h"

namespace lockstep {

namespace {

using internal::PairFirst;
using internal::PairKey;
using internal::PairMap;
using internal::PairSecond;

struct PairAccumulator {
  double neg_log_miss = 0;  // -sum ln(1 - s_v * time factor): the noisy-OR in log space
  uint32_t values = 0;
};

// The three strongest values of one kind a pair shares, strongest first.
struct KindAccumulator {
  float top[3] = {0, 0, 0};
  uint32_t values = 0;
  void Add(float s) {
    ++values;
    for (float& t : top)
      if (s > t) std::swap(s, t);
  }
  // -ln(1 - noisy-OR of top[i] * 2^-i); a fourth value would add < 1/8 of its strength.
  double NegLogMiss() const {
    double miss = 0;
    for (int i = 0; i < 3; ++i) miss += -std::log1p(-static_cast<double>(top[i]) / (1 << i));
    return miss;
  }
};

struct Observation {
  uint64_t key;  // kind << 32 | value
  AccountIndex account;
  int64_t time;
};

std::string_view KindWord(InfraKind kind, bool plural) {
  switch (kind) {
    case InfraKind::kIp: return plural ? "IP addresses" : "IP address";
    case InfraKind::kDevice: return plural ? "devices" : "device";
    case InfraKind::kCookie: return plural ? "cookies" : "cookie";
    case InfraKind::kPhone: return plural ? "phone numbers" : "phone number";
    case InfraKind::kEmailDomain: return plural ? "email domains" : "email domain";
    case InfraKind::kUserAgent: return plural ? "user agents" : "user agent";
    case InfraKind::kPayment: return plural ? "payment instruments" : "payment instrument";
  }
  return "values";
}

std::string Day(int64_t t) { return t == kNoTime ? std::string("at an unknown time") : FormatTime(t).substr(0, 10); }

std::string Span(int64_t first, int64_t last) {
  if (first == kNoTime) return "at an unknown time";
  if (Day(first) == Day(last)) return Day(first);
  return Day(first) + ".." + Day(last);
}

// Union-find with path halving.
uint32_t Find(std::vector<uint32_t>& parent, uint32_t x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

// The key kind of subnet observations, after every InfraKind.
constexpr uint64_t kSubnetKey = kInfraKinds;

}  // namespace

std::string IpSubnet(std::string_view ip) {
  if (ip.empty() || ip.size() > 45) return "";
  const std::string text(ip);
  if (ip.find(':') == std::string_view::npos) {
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) != 1) return "";
    const auto* b = reinterpret_cast<const unsigned char*>(&v4.s_addr);
    return fmt::format("{}.{}.{}.0/24", b[0], b[1], b[2]);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return "";
  for (int i = 6; i < 16; ++i) v6.s6_addr[i] = 0;
  char out[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, &v6, out, sizeof out) == nullptr) return "";
  return std::string(out) + "/48";
}

double InfrastructureRarity(double accounts, double saturation_accounts) {
  if (accounts <= 2) return 1;
  if (accounts >= saturation_accounts) return 0;
  return std::clamp(std::log(saturation_accounts / accounts) / std::log(saturation_accounts / 2), 0.0, 1.0);
}

SharedInfrastructureSignal::SharedInfrastructureSignal(const Dataset& ds, SharedInfrastructureOptions options)
    : ds_(ds), options_(options) {}

bool SharedInfrastructureSignal::Applicable(std::string* why_not) const {
  for (const InfraObservation& o : ds_.infra)
    if (ds_.IsAccount(o.account)) return true;
  if (why_not != nullptr) *why_not = "no infrastructure observations of accounts";
  return false;
}

double SharedInfrastructureSignal::TimeFactor(const Use& x, const Use& y) const {
  if (x.first == kNoTime || y.first == kNoTime) return 1;
  const int64_t gap = std::max<int64_t>(0, std::max(x.first, y.first) - std::min(x.last, y.last));
  if (gap <= options_.overlap_window_seconds) return 1;
  return std::max(options_.min_time_factor,
                  static_cast<double>(options_.overlap_window_seconds) / static_cast<double>(gap));
}

Status SharedInfrastructureSignal::Compute() {
  const SharedInfrastructureOptions& o = options_;
  for (int k = 0; k < kInfraKinds; ++k) {
    const std::string_view kind = lockstep::Name(static_cast<InfraKind>(k));
    if (!(o.kind_weight[k] >= 0 && o.kind_weight[k] <= 1))
      return Status::InvalidArgument(fmt::format("kind_weight of {} must be in [0, 1], got {}", kind, o.kind_weight[k]));
    if (!(o.saturation_accounts[k] > 2))
      return Status::InvalidArgument(
          fmt::format("saturation_accounts of {} must be > 2, got {}", kind, o.saturation_accounts[k]));
  }
  if (o.max_value_accounts < 2)
    return Status::InvalidArgument(fmt::format("max_value_accounts must be >= 2, got {}", o.max_value_accounts));
  if (o.overlap_window_seconds < 0)
    return Status::InvalidArgument(
        fmt::format("overlap_window_seconds must be >= 0, got {}", o.overlap_window_seconds));
  for (const auto& [name, v] : {std::pair{"min_time_factor", o.min_time_factor},
                                std::pair{"max_value_strength", o.max_value_strength},
                                std::pair{"min_edge_strength", o.min_edge_strength},
                                std::pair{"pool_edge_strength", o.pool_edge_strength}})
    if (!(v >= 0 && v <= 1)) return Status::InvalidArgument(fmt::format("{} must be in [0, 1], got {}", name, v));
  if (o.pool_min_degree < 1)
    return Status::InvalidArgument(fmt::format("pool_min_degree must be >= 1, got {}", o.pool_min_degree));
  if (o.min_pool_accounts < 2)
    return Status::InvalidArgument(fmt::format("min_pool_accounts must be >= 2, got {}", o.min_pool_accounts));
  if (!(o.subnet_weight >= 0 && o.subnet_weight <= 1))
    return Status::InvalidArgument(fmt::format("subnet_weight must be in [0, 1], got {}", o.subnet_weight));
  if (!(o.subnet_saturation_accounts > 2))
    return Status::InvalidArgument(
        fmt::format("subnet_saturation_accounts must be > 2, got {}", o.subnet_saturation_accounts));
  if (o.max_subnet_accounts < 2)
    return Status::InvalidArgument(fmt::format("max_subnet_accounts must be >= 2, got {}", o.max_subnet_accounts));
  if (!(o.address_group_strength >= 0 && o.address_group_strength <= 1))
    return Status::InvalidArgument(
        fmt::format("address_group_strength must be in [0, 1], got {}", o.address_group_strength));

  // A second Run() starts afresh.
  values_.clear(), value_offsets_.clear(), value_uses_.clear(), account_offsets_.clear(), account_uses_.clear();
  common_.clear(), edges_.clear(), scores_.clear(), pools_.clear(), groups_.clear(), pool_of_.clear();
  pair_work_ = 0;
  subnet_names_ = Interner();
  const size_t num_accounts = ds_.num_accounts();

  // Observations grouped by value, then account, then time.
  std::vector<Observation> obs;
  obs.reserve(ds_.infra.size());
  // Each address's subnet, once per distinct address.
  std::vector<uint32_t> subnet_of;  // per infra value id; UINT32_MAX = none, UINT32_MAX - 1 = not yet
  {
    if (o.subnets) subnet_of.assign(ds_.infra_values.size(), UINT32_MAX - 1);
    for (const InfraObservation& x : ds_.infra) {
      if (!ds_.IsAccount(x.account) || x.value == kNoString) continue;
      obs.push_back({(static_cast<uint64_t>(x.kind) << 32) | x.value, x.account, x.time});
      if (!o.subnets || x.kind != InfraKind::kIp || x.value >= subnet_of.size()) continue;
      uint32_t& net = subnet_of[x.value];
      if (net == UINT32_MAX - 1) {
        const std::string name = IpSubnet(ds_.infra_values.Get(x.value));
        net = name.empty() ? UINT32_MAX : subnet_names_.Intern(name);
      }
      if (net != UINT32_MAX) obs.push_back({(kSubnetKey << 32) | net, x.account, x.time});
    }
  }
  std::sort(obs.begin(), obs.end(), [](const Observation& x, const Observation& y) {
    if (x.key != y.key) return x.key < y.key;
    if (x.account != y.account) return x.account < y.account;
    return x.time < y.time;  // kNoTime sorts first
  });

  // Values and their uses (CSR).
  value_offsets_.push_back(0);
  for (size_t i = 0; i < obs.size();) {
    const bool subnet = (obs[i].key >> 32) == kSubnetKey;
    InfrastructureValue v{subnet ? InfraKind::kIp : static_cast<InfraKind>(obs[i].key >> 32),
                          static_cast<StringId>(obs[i].key)};
    v.subnet = subnet;
    size_t j = i;
    while (j < obs.size() && obs[j].key == obs[i].key) {
      Use use{obs[j].account, kNoTime, kNoTime};
      for (; j < obs.size() && obs[j].key == obs[i].key && obs[j].account == use.id; ++j) {
        if (obs[j].time == kNoTime) continue;
        if (use.first == kNoTime) use.first = obs[j].time;
        use.last = obs[j].time;
      }
      value_uses_.push_back(use);
    }
    v.accounts = static_cast<uint32_t>(value_uses_.size() - value_offsets_.back());
    const int kind = static_cast<int>(v.kind);
    if (v.accounts > (subnet ? o.max_subnet_accounts : o.max_value_accounts)) {
      v.common = true;
      common_.push_back(static_cast<uint32_t>(values_.size()));
    } else if (subnet && v.accounts >= 2) {
      v.strength = static_cast<float>(std::min(
          o.max_value_strength, o.subnet_weight * InfrastructureRarity(v.accounts, o.subnet_saturation_accounts)));
    } else if (v.accounts >= 2) {
      v.strength = static_cast<float>(std::min(
          o.max_value_strength, o.kind_weight[kind] * InfrastructureRarity(v.accounts, o.saturation_accounts[kind])));
    }
    values_.push_back(v);
    value_offsets_.push_back(static_cast<uint32_t>(value_uses_.size()));
    i = j;
  }
  std::stable_sort(common_.begin(), common_.end(),
                   [this](uint32_t x, uint32_t y) { return values_[x].accounts > values_[y].accounts; });

  // The same uses by account.
  account_offsets_.assign(num_accounts + 1, 0);
  for (const Use& u : value_uses_) ++account_offsets_[u.id + 1];
  for (size_t a = 0; a < num_accounts; ++a) account_offsets_[a + 1] += account_offsets_[a];
  account_uses_.resize(value_uses_.size());
  {
    std::vector<uint32_t> fill(account_offsets_.begin(), account_offsets_.end() - 1);
    for (uint32_t v = 0; v < values_.size(); ++v)
      for (uint32_t u = value_offsets_[v]; u < value_offsets_[v + 1]; ++u)
        account_uses_[fill[value_uses_[u].id]++] = {v, value_uses_[u].first, value_uses_[u].last};
  }

  // Projection onto account pairs, one kind at a time (uses of a value are
  // sorted by account, so a < b). Within a kind the i-th strongest shared
  // value counts at 2^-(i-1) of its strength: the addresses of one NAT pool
  // or the handsets of one rack are not independent evidence.
  PairMap<PairAccumulator> pairs;
  // Subnets are a kind of their own, after the InfraKinds.
  auto kind_of = [this](uint32_t v) {
    return values_[v].subnet ? static_cast<int>(kSubnetKey) : static_cast<int>(values_[v].kind);
  };
  // Pairs that share an address: their subnet is no further evidence.
  std::vector<uint64_t> share_address;
  for (int kind = 0; kind <= static_cast<int>(kSubnetKey); ++kind) {
    PairMap<KindAccumulator> kind_pairs;
    const bool subnet_kind = kind == static_cast<int>(kSubnetKey);
    for (uint32_t v = 0; v < values_.size(); ++v) {
      if (values_[v].strength <= 0 || kind_of(v) != kind) continue;
      const double s = values_[v].strength;
      for (uint32_t i = value_offsets_[v]; i < value_offsets_[v + 1]; ++i)
        for (uint32_t j = i + 1; j < value_offsets_[v + 1]; ++j) {
          const uint64_t key = PairKey(value_uses_[i].id, value_uses_[j].id);
          if (subnet_kind && std::binary_search(share_address.begin(), share_address.end(), key)) continue;
          kind_pairs.Get(key)
              .Add(static_cast<float>(s * TimeFactor(value_uses_[i], value_uses_[j])));
          ++pair_work_;
        }
    }
    if (kind == static_cast<int>(InfraKind::kIp)) {
      for (const auto& [key, k] : kind_pairs.entries()) share_address.push_back(key);
      std::sort(share_address.begin(), share_address.end());
    }
    for (const auto& [key, k] : kind_pairs.entries()) {
      PairAccumulator& acc = pairs.Get(key);
      acc.neg_log_miss += k.NegLogMiss();
      acc.values += k.values;
    }
  }
  auto& entries = pairs.entries();
  std::sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  scores_.assign(num_accounts, 0);
  for (const auto& [key, acc] : entries) {
    const float strength = static_cast<float>(-std::expm1(-acc.neg_log_miss));
    if (strength < o.min_edge_strength || strength <= 0) continue;
    const AccountIndex a = PairFirst(key), b = PairSecond(key);
    edges_.push_back({a, b, static_cast<float>(acc.values), strength});
    scores_[a] = std::max(scores_[a], strength);
    scores_[b] = std::max(scores_[b], strength);
  }
  pairs = PairMap<PairAccumulator>();

  // Operator pools: the k-core of the strong projection, by components.
  std::vector<uint32_t> strong;  // indices into edges_
  std::vector<uint32_t> degree(num_accounts, 0);
  for (uint32_t e = 0; e < edges_.size(); ++e)
    if (edges_[e].strength >= o.pool_edge_strength) {
      strong.push_back(e);
      ++degree[edges_[e].a];
      ++degree[edges_[e].b];
    }
  {
    std::vector<uint32_t> adj_offsets(num_accounts + 1, 0), adj(2 * strong.size());
    for (uint32_t e : strong) ++adj_offsets[edges_[e].a + 1], ++adj_offsets[edges_[e].b + 1];
    for (size_t a = 0; a < num_accounts; ++a) adj_offsets[a + 1] += adj_offsets[a];
    std::vector<uint32_t> fill(adj_offsets.begin(), adj_offsets.end() - 1);
    for (uint32_t e : strong) adj[fill[edges_[e].a]++] = edges_[e].b, adj[fill[edges_[e].b]++] = edges_[e].a;
    std::vector<uint8_t> removed(num_accounts, 0);
    std::vector<uint32_t> queue;
    for (uint32_t a = 0; a < num_accounts; ++a)
      if (degree[a] < o.pool_min_degree) removed[a] = 1, queue.push_back(a);
    while (!queue.empty()) {
      const uint32_t a = queue.back();
      queue.pop_back();
      for (uint32_t k = adj_offsets[a]; k < adj_offsets[a + 1]; ++k) {
        const uint32_t b = adj[k];
        if (removed[b]) continue;
        if (--degree[b] < o.pool_min_degree) removed[b] = 1, queue.push_back(b);
      }
    }
    std::vector<uint32_t> parent(num_accounts);
    std::iota(parent.begin(), parent.end(), 0u);
    for (uint32_t e : strong)
      if (!removed[edges_[e].a] && !removed[edges_[e].b])
        parent[Find(parent, edges_[e].a)] = Find(parent, edges_[e].b);
    std::vector<std::vector<AccountIndex>> components(num_accounts);
    for (uint32_t a = 0; a < num_accounts; ++a)
      if (!removed[a]) components[Find(parent, a)].push_back(a);
    pool_of_.assign(num_accounts, 0);
    for (auto& members : components) {
      if (members.size() < o.min_pool_accounts) continue;
      OperatorPool pool;
      pool.accounts = std::move(members);
      pools_.push_back(std::move(pool));
    }
    std::stable_sort(pools_.begin(), pools_.end(),
                     [](const OperatorPool& x, const OperatorPool& y) { return x.accounts.size() > y.accounts.size(); });
    for (uint32_t p = 0; p < pools_.size(); ++p)
      for (AccountIndex a : pools_[p].accounts) pool_of_[a] = p + 1;
  }
  for (uint32_t e : strong) {
    const uint32_t p = pool_of_[edges_[e].a];
    if (p == 0 || p != pool_of_[edges_[e].b]) continue;
    ++pools_[p - 1].strong_edges;
    pools_[p - 1].strength += edges_[e].strength;
  }
  for (uint32_t p = 0; p < pools_.size(); ++p) {
    OperatorPool& pool = pools_[p];
    const double n = static_cast<double>(pool.accounts.size());
    pool.strength = pool.strong_edges ? pool.strength / static_cast<float>(pool.strong_edges) : 0;
    pool.edge_density = static_cast<double>(pool.strong_edges) / (n * (n - 1) / 2);
    // The pool's values: non-common values of at least two of its accounts.
    std::vector<uint32_t> uses_in_pool;
    for (AccountIndex a : pool.accounts)
      for (uint32_t k = account_offsets_[a]; k < account_offsets_[a + 1]; ++k)
        if (values_[account_uses_[k].id].strength > 0) uses_in_pool.push_back(account_uses_[k].id);
    std::sort(uses_in_pool.begin(), uses_in_pool.end());
    uint64_t incidences = 0;
    for (size_t i = 0; i < uses_in_pool.size();) {
      size_t j = i;
      while (j < uses_in_pool.size() && uses_in_pool[j] == uses_in_pool[i]) ++j;
      if (j - i >= 2) {
        pool.values.push_back(uses_in_pool[i]);
        incidences += j - i;
      }
      i = j;
    }
    for (AccountIndex a : pool.accounts) {
      uint32_t used = 0;
      for (uint32_t k = account_offsets_[a]; k < account_offsets_[a + 1]; ++k)
        used += std::binary_search(pool.values.begin(), pool.values.end(), account_uses_[k].id) ? 1 : 0;
      pool.multi_value_accounts += used >= 2 ? 1 : 0;
    }
    pool.incidence_density =
        pool.values.empty() ? 0 : static_cast<double>(incidences) / (n * static_cast<double>(pool.values.size()));

    uint32_t per_kind[kInfraKinds] = {};
    uint32_t max_accounts = 0, subnets = 0;
    for (uint32_t v : pool.values) {
      max_accounts = std::max(max_accounts, values_[v].accounts);
      if (values_[v].subnet) {
        ++subnets;
        continue;
      }
      ++per_kind[static_cast<int>(values_[v].kind)];
    }
    std::string what;
    for (int k : {1, 3, 6, 2, 0, 4, 5}) {  // strongest kinds first
      if (per_kind[k] == 0) continue;
      if (!what.empty()) what += ", ";
      what += fmt::format("{} {}", per_kind[k], KindWord(static_cast<InfraKind>(k), per_kind[k] != 1));
    }
    if (subnets > 0) what += fmt::format("{}{} subnet{}", what.empty() ? "" : ", ", subnets, subnets == 1 ? "" : "s");
    SignalGroup g;
    g.accounts = pool.accounts;
    g.strength = pool.strength;
    g.p_value = 1;
    g.explanation = fmt::format(
        "operator pool of {} accounts run from {} (each used by at most {} accounts); {} of the accounts used two or "
        "more of these, {} strongly linked pairs (density {:.2f}), mean link strength {:.2f}",
        pool.accounts.size(), what.empty() ? std::string("no shared values") : what, max_accounts,
        pool.multi_value_accounts, pool.strong_edges, pool.edge_density, pool.strength);
    groups_.push_back(std::move(g));
  }
  // Busy addresses and subnets, most accounts first.
  std::vector<uint32_t> busy;
  for (uint32_t v = 0; v < values_.size(); ++v)
    if (values_[v].kind == InfraKind::kIp && values_[v].common && values_[v].accounts <= o.address_group_max_accounts)
      busy.push_back(v);
  std::stable_sort(busy.begin(), busy.end(),
                   [this](uint32_t x, uint32_t y) { return values_[x].accounts > values_[y].accounts; });
  for (uint32_t v : busy) {
    SignalGroup g;
    for (uint32_t u = value_offsets_[v]; u < value_offsets_[v + 1]; ++u) g.accounts.push_back(value_uses_[u].id);
    g.strength = static_cast<float>(o.address_group_strength);
    g.p_value = 1;
    g.explanation = fmt::format("{} accounts observed from {} (too busy for pair links: a NAT, a VPN exit or a rented "
                                "block)",
                                g.accounts.size(), DescribeValue(v));
    groups_.push_back(std::move(g));
  }
  return Status::Ok();
}

const std::vector<SignalEdge>& SharedInfrastructureSignal::DoEdges() const { return edges_; }
const std::vector<float>& SharedInfrastructureSignal::DoAccountScores() const { return scores_; }
const std::vector<SignalGroup>& SharedInfrastructureSignal::DoGroups() const { return groups_; }
const std::vector<InfrastructureValue>& SharedInfrastructureSignal::values() const {
  AssureFinished();
  return values_;
}
const std::vector<uint32_t>& SharedInfrastructureSignal::common_values() const {
  AssureFinished();
  return common_;
}
const std::vector<OperatorPool>& SharedInfrastructureSignal::pools() const {
  AssureFinished();
  return pools_;
}

std::string SharedInfrastructureSignal::DescribeValue(uint32_t value) const {
  if (value >= values_.size()) return "";
  const InfrastructureValue& v = values_[value];
  if (v.subnet) return fmt::format("subnet {}", subnet_names_.Get(v.value));
  std::string s(ds_.infra_values.Get(v.value));
  if (s.size() > 24) s = s.substr(0, 21) + "...";
  return fmt::format("{} {}", KindWord(v.kind, false), s);
}

std::string SharedInfrastructureSignal::DoExplainEdge(const SignalEdge& edge) const {
  if (!ds_.IsAccount(edge.a) || !ds_.IsAccount(edge.b)) return "";
  struct Shared {
    uint32_t value;
    double strength;
    Use x, y;
  };
  std::vector<Shared> shared;
  uint32_t i = account_offsets_[edge.a], j = account_offsets_[edge.b];
  while (i < account_offsets_[edge.a + 1] && j < account_offsets_[edge.b + 1]) {
    const Use &x = account_uses_[i], &y = account_uses_[j];
    if (x.id < y.id) {
      ++i;
    } else if (y.id < x.id) {
      ++j;
    } else {
      if (values_[x.id].strength > 0) shared.push_back({x.id, values_[x.id].strength * TimeFactor(x, y), x, y});
      ++i, ++j;
    }
  }
  if (shared.empty()) return fmt::format("{} and {} share no uncommon infrastructure", ds_.AccountId(edge.a), ds_.AccountId(edge.b));
  std::stable_sort(shared.begin(), shared.end(), [](const Shared& p, const Shared& q) { return p.strength > q.strength; });
  std::string out = fmt::format("{} and {} share ", ds_.AccountId(edge.a), ds_.AccountId(edge.b));
  const size_t shown = std::min<size_t>(shared.size(), 3);
  for (size_t k = 0; k < shown; ++k) {
    const Shared& s = shared[k];
    if (k > 0) out += k + 1 == shown && shared.size() == shown ? " and " : ", ";
    const double tf = TimeFactor(s.x, s.y);
    out += fmt::format("{} (used by {} accounts; seen {} and {}{})", DescribeValue(s.value), values_[s.value].accounts,
                       Span(s.x.first, s.x.last), Span(s.y.first, s.y.last),
                       tf < 1 ? fmt::format(", far apart in time: x{:.2f}", tf) : std::string());
  }
  if (shared.size() > shown) out += fmt::format(" and {} more", shared.size() - shown);
  out += fmt::format("; strength {:.2f}", edge.strength);
  return out;
}

std::string SharedInfrastructureSignal::DoExplainAccount(AccountIndex account) const {
  if (!ds_.IsAccount(account)) return "";
  uint32_t per_kind[kInfraKinds] = {}, shared_values = 0, common = 0;
  for (uint32_t k = account_offsets_[account]; k < account_offsets_[account + 1]; ++k) {
    const InfrastructureValue& v = values_[account_uses_[k].id];
    ++per_kind[static_cast<int>(v.kind)];
    shared_values += v.strength > 0 ? 1 : 0;
    common += v.common ? 1 : 0;
  }
  std::string uses;
  for (int k = 0; k < kInfraKinds; ++k) {
    if (per_kind[k] == 0) continue;
    if (!uses.empty()) uses += ", ";
    uses += fmt::format("{} {}", per_kind[k], KindWord(static_cast<InfraKind>(k), per_kind[k] != 1));
  }
  if (uses.empty()) return fmt::format("{} has no infrastructure observations", ds_.AccountId(account));
  std::string out = fmt::format("{} was observed with {}; {} of them shared with other accounts, {} common (used by more "
                                "than {} accounts, discounted)",
                                ds_.AccountId(account), uses, shared_values, common, options_.max_value_accounts);
  uint32_t linked = 0;
  const SignalEdge* best = nullptr;
  for (const SignalEdge& e : edges_)
    if (e.a == account || e.b == account) {
      ++linked;
      if (best == nullptr || e.strength > best->strength) best = &e;
    }
  if (best != nullptr)
    out += fmt::format("; linked to {} account{}, strongest: {}", linked, linked == 1 ? "" : "s", ExplainEdge(*best));
  if (pool_of_[account] != 0)
    out += fmt::format("; member of operator pool {} ({} accounts)", pool_of_[account],
                       pools_[pool_of_[account] - 1].accounts.size());
  return out;
}

}  // namespace lockstep
