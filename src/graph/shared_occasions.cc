#include "graph/shared_occasions.h"

#include <algorithm>
#include <utility>

#include "lockstep/graph/co_action_significance.h"

namespace lockstep::internal {

void ScoreSharedOccasions(const std::vector<std::vector<AccountIndex>>& participants, size_t max_participants,
                          uint32_t min_shared, const std::vector<uint32_t>& occasions_of_account, double concentration,
                          double edge_log10_p, double log10_p_full, std::vector<SignalEdge>* edges,
                          std::vector<double>* log10_p) {
  // Each account's occasions (those small enough to make pairs), then per
  // account a the occasions' later participants counted in a dense array:
  // the pairs' counts without a hash map.
  const size_t num_accounts = occasions_of_account.size();
  std::vector<uint64_t> begin(num_accounts + 1, 0);
  for (const auto& p : participants)
    if (p.size() <= max_participants)
      for (AccountIndex a : p) ++begin[a + 1];
  for (size_t a = 0; a < num_accounts; ++a) begin[a + 1] += begin[a];
  std::vector<uint32_t> occasions(begin.back());
  {
    std::vector<uint64_t> next(begin.begin(), begin.end() - 1);
    for (size_t j = 0; j < participants.size(); ++j)
      if (participants[j].size() <= max_participants)
        for (AccountIndex a : participants[j]) occasions[next[a]++] = static_cast<uint32_t>(j);
  }
  struct Scored {
    SignalEdge edge;
    double log10_p;
  };
  std::vector<Scored> scored;
  std::vector<uint32_t> shared(num_accounts, 0);
  std::vector<AccountIndex> partners;
  for (size_t a = 0; a < num_accounts; ++a) {
    partners.clear();
    for (uint64_t i = begin[a]; i < begin[a + 1]; ++i) {
      const auto& p = participants[occasions[i]];
      for (auto b = std::upper_bound(p.begin(), p.end(), static_cast<AccountIndex>(a)); b != p.end(); ++b)
        if (shared[*b]++ == 0) partners.push_back(*b);
    }
    for (AccountIndex b : partners) {
      const uint32_t k = std::exchange(shared[b], 0);
      if (k < min_shared) continue;
      const double lambda =
          static_cast<double>(occasions_of_account[a]) * static_cast<double>(occasions_of_account[b]) * concentration;
      const double lp = Log10PoissonTail(k, lambda);
      if (lp > edge_log10_p) continue;
      const float strength = static_cast<float>(std::min(1.0, -lp / log10_p_full));
      scored.push_back({{static_cast<AccountIndex>(a), b, static_cast<float>(k), strength}, lp});
    }
  }
  std::sort(scored.begin(), scored.end(), [](const Scored& x, const Scored& y) {
    return x.log10_p != y.log10_p ? x.log10_p < y.log10_p
                                  : std::make_pair(x.edge.a, x.edge.b) < std::make_pair(y.edge.a, y.edge.b);
  });
  for (const Scored& s : scored) {
    edges->push_back(s.edge);
    log10_p->push_back(s.log10_p);
  }
}

}  // namespace lockstep::internal
