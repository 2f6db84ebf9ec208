// SharedInfrastructureSignal: accounts run from the same machines and
// networks. The troll-farm hallmark of Meta's coordinated inauthentic
// behaviour reports ("the same operator was able to run multiple accounts;
// conversely, multiple operators were able to run the same account",
// e.g. Meta, "Coordinated Inauthentic Behavior Report", March 2021).
//
// Model. The bipartite graph accounts x infrastructure values (ip, device,
// cookie, phone, payment, email_domain, user_agent; a value is a (kind,
// string) pair, so the same string under two kinds is two values) is
// projected onto account pairs. A value v used by k_v distinct accounts
// (2 <= k_v <= max_value_accounts) has the strength
//
//   s_v = min(max_value_strength, kind_weight[kind] * Rarity(k_v, saturation_accounts[kind]))
//   Rarity(k, S) = clamp(ln(S / k) / ln(S / 2), 0, 1)
//
// an IDF (Sparck Jones 1972) normalised so that a value of two accounts has
// rarity 1 and a value of S accounts has rarity 0: a device shared by 6
// accounts says a lot, a university NAT address shared by 150 students says
// little. The default kind weights make device, phone and payment strong
// (1.0), cookie 0.9, ip medium (0.4), email_domain (0.1) and user_agent
// (0.05) weak; saturation is 2000 accounts for device-like kinds (a phone
// farm's handset used by a hundred accounts is still evidence) and 200 for
// ip, email_domain and user_agent.
//
// Time overlap: each account's use of a value spans [first, last]
// observation. For a pair, gap = the time between the two spans (0 if they
// overlap); the value counts fully when gap <= overlap_window_seconds and by
// max(min_time_factor, overlap_window_seconds / gap) otherwise (a device sold
// on, an address reassigned). Observations without a time count fully.
//
// A pair's strength is a noisy-OR, 1 - prod (1 - s * time_factor), in 0..1,
// over its shared values, where within one kind the values sorted by
// strength count s_1, s_2 / 2 and s_3 / 4 (further ones are dropped): the
// four addresses of one campus NAT or the handsets of one rack are not
// independent evidence. Its weight is the number of values it shares.
// Edges weaker than min_edge_strength are dropped.
//
// Subnets: an IP address also stands for its subnet, the /24 of an IPv4
// address and the /48 of an IPv6 one (the block a hosting provider rents
// out, or one site's allocation), as a platform sees it: operators that give
// each account its own address from a few rented blocks share no address but
// share the blocks. A subnet is a value of its own (InfrastructureValue::subnet,
// kind kIp) with weight subnet_weight and saturation subnet_saturation_accounts:
// a block holds unrelated customers, so it says less than one address. A
// subnet of more than max_subnet_accounts accounts (a carrier's, a campus',
// a cloud region's) makes no pairs. Subnets form their own kind in the
// noisy-OR, so three blocks of one operator count s_1, s_2 / 2, s_3 / 4; a
// pair that shares an address gets nothing more from its subnet.
// Busy addresses as groups (groups()): an address or subnet too common for
// pair links (more than max_value_accounts, max_subnet_accounts accounts;
// a carrier's NAT, a VPN exit, a rented block) but of at most
// address_group_max_accounts accounts is also a group of strength
// address_group_strength. Pair links rightly ignore it, since most such
// addresses serve unrelated people; what detection then tests is whether
// most of its accounts act as one network (at least half of the group's
// accounts must be members), which a carrier's customers never do and an
// operation behind its own VPN exit or block does.
//
// Common values: a value used by more than max_value_accounts accounts (a
// carrier's CGNAT address, a popular user agent) never makes pairs; it is
// counted in common_values() and discounted to nothing. Pair work is
// therefore at most sum_v k_v^2 / 2 <= max_value_accounts * observations.
//
// Operator pools (groups()): the strong projection (edges with strength >=
// pool_edge_strength) is peeled to its pool_min_degree-core (Seidman,
// "Network structure and minimum degree", Social Networks 1983), which
// drops chains and stars of coincidental links; each connected component
// of the core with at least min_pool_accounts accounts is a pool. Its values
// are the non-common values used by at least two of its accounts; its
// strength is the mean strength of its strong internal edges. A family's
// shared device (2 to 4 accounts) stays below the default min_pool_accounts
// of 5. No null model: p_value = 1.
//
// account_scores() = the strongest edge of each account (0 without one).
//
// Complexity: O(n log n) for n observations, plus the pair work above; memory
// O(n + edges). Not thread-safe; Run() is single-threaded. The Dataset must
// outlive the signal. Results are empty before Run().
#ifndef LOCKSTEP_SIGNALS_SHARED_INFRASTRUCTURE_H_
#define LOCKSTEP_SIGNALS_SHARED_INFRASTRUCTURE_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct SharedInfrastructureOptions {
  // Indexed by InfraKind: ip, device, cookie, phone, email_domain, user_agent, payment.
  std::array<double, kInfraKinds> kind_weight = {0.4, 1.0, 0.9, 1.0, 0.1, 0.05, 1.0};  // each 0..1
  std::array<double, kInfraKinds> saturation_accounts = {200, 2000, 2000, 2000, 200, 200, 2000};  // each > 2
  uint32_t max_value_accounts = 200;          // values of more accounts are common: no pairs (>= 2)
  int64_t overlap_window_seconds = 180 * 86400;  // spans closer than this overlap fully (>= 0)
  double min_time_factor = 0.25;              // floor of the time discount (0..1)
  double max_value_strength = 0.95;           // cap of one value's strength (0..1)
  double min_edge_strength = 0.1;             // weaker edges are dropped (0..1)
  double pool_edge_strength = 0.5;            // edges at least this strong form pools (0..1)
  uint32_t pool_min_degree = 2;               // k of the k-core peeling (>= 1)
  uint32_t min_pool_accounts = 5;             // smallest pool reported (>= 2)
  // Subnets (/24 IPv4, /48 IPv6): weight (0..1; a block holds unrelated
  // customers, less than an address's 0.4), saturation in accounts (> 2; a
  // block of this many accounts says nothing), and the most accounts a
  // subnet may have to make pairs (>= 2; above it, a carrier's or campus'
  // block: pair work would grow with its square for no evidence).
  bool subnets = true;
  double subnet_weight = 0.3;
  double subnet_saturation_accounts = 200;
  uint32_t max_subnet_accounts = 150;
  // Busy addresses as groups: the most accounts of one (> the pair limits
  // above; more is a carrier's pool that no network fills) and the group's
  // strength (0..1; below a device pool's, since an address is shared by
  // design).
  uint32_t address_group_max_accounts = 1000;
  double address_group_strength = 0.7;
};

// The subnet of an IP address as a value: "5.6.7.0/24" for IPv4,
// "2001:db8:1::/48" for IPv6; empty if `ip` is neither.
std::string IpSubnet(std::string_view ip);

// IDF-like rarity of a value shared by `accounts` accounts, 0..1 (see above).
double InfrastructureRarity(double accounts, double saturation_accounts);

// One infrastructure value and its use.
struct InfrastructureValue {
  InfraKind kind;
  StringId value;          // Dataset::infra_values
  uint32_t accounts = 0;   // distinct accounts observed with it
  float strength = 0;      // s_v; 0 for values of one account and common values
  bool common = false;     // accounts > max_value_accounts (max_subnet_accounts for a subnet)
  bool subnet = false;     // kind kIp; value is an id of SharedInfrastructureSignal::subnet_names()
};

// An operator pool: accounts run jointly from a set of values.
struct OperatorPool {
  std::vector<AccountIndex> accounts;  // sorted
  std::vector<uint32_t> values;        // indices into values(), sorted
  uint64_t strong_edges = 0;           // strong edges among the accounts
  double edge_density = 0;             // strong_edges / (n (n - 1) / 2)
  double incidence_density = 0;        // (account, value) uses / (accounts x values)
  uint32_t multi_value_accounts = 0;   // accounts using >= 2 of the pool's values
  float strength = 0;                  // mean strength of the strong internal edges
};

class SharedInfrastructureSignal final : public Signal {
 public:
  SharedInfrastructureSignal(const Dataset& ds, SharedInfrastructureOptions options = {});

  std::string_view Name() const override { return "shared-infrastructure"; }
  SignalRole Role() const override { return SignalRole::kJoinsGroups; }
  // Needs at least one infrastructure observation of an account.
  bool Applicable(std::string* why_not) const override;

  // Every value observed, in (kind, value) order; empty before Run().
  const std::vector<InfrastructureValue>& values() const;
  // Indices into values() of the common values, most accounts first.
  const std::vector<uint32_t>& common_values() const;
  // The pools behind groups(), in the same order; groups() then lists the
  // busy addresses and subnets, most accounts first.
  const std::vector<OperatorPool>& pools() const;
  // Account pairs the projection considered (before min_edge_strength).
  uint64_t pair_work() const { return pair_work_; }
  // "device 3fa2..." / "IP address 10.0.0.1" / "subnet 10.0.0.0/24"
  std::string DescribeValue(uint32_t value) const;
  // The subnets seen, by the ids InfrastructureValue::value has for subnet values.
  const Interner& subnet_names() const { return subnet_names_; }

 protected:
  // kInvalidArgument for options out of range (actual and expected values).
  Status Compute() override;
  // Edges sorted by (a, b), a < b.
  const std::vector<SignalEdge>& DoEdges() const override;
  const std::vector<float>& DoAccountScores() const override;
  // One group per operator pool, largest first.
  const std::vector<SignalGroup>& DoGroups() const override;
  // "a and b share device 3fa2... (used by 5 accounts; seen 2021-03-02 and
  // 2021-03-04) and 2 IP addresses; strength 0.93"
  std::string DoExplainEdge(const SignalEdge& edge) const override;
  std::string DoExplainAccount(AccountIndex account) const override;

 private:
  struct Use {            // one account's use of one value
    uint32_t id;          // value index (in account_uses_) or account (in value_uses_)
    int64_t first, last;  // observation span; kNoTime if no observation had a time
  };
  double TimeFactor(const Use& x, const Use& y) const;

  const Dataset& ds_;
  SharedInfrastructureOptions options_;
  std::vector<InfrastructureValue> values_;
  std::vector<uint32_t> value_offsets_;    // CSR: uses of value v
  std::vector<Use> value_uses_;            // id = account
  std::vector<uint32_t> account_offsets_;  // CSR: uses of account a
  std::vector<Use> account_uses_;          // id = value
  std::vector<uint32_t> common_;
  std::vector<SignalEdge> edges_;
  std::vector<float> scores_;
  std::vector<OperatorPool> pools_;
  std::vector<SignalGroup> groups_;
  std::vector<uint32_t> pool_of_;          // account -> pool index + 1; 0 = none
  uint64_t pair_work_ = 0;
  Interner subnet_names_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_SHARED_INFRASTRUCTURE_H_
