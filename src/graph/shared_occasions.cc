#include "graph/shared_occasions.h"

#include <algorithm>
#include <utility>

#include "lockstep/graph/co_action_significance.h"
#include "signals/pair_map.h"

namespace lockstep::internal {

void ScoreSharedOccasions(const std::vector<std::vector<AccountIndex>>& participants, size_t max_participants,
                          uint32_t min_shared, const std::vector<uint32_t>& occasions_of_account, double concentration,
                          double edge_log10_p, double log10_p_full, std::vector<SignalEdge>* edges,
                          std::vector<double>* log10_p) {
  PairMap<uint32_t> shared;
  for (const auto& p : participants) {
    if (p.size() > max_participants) continue;
    for (size_t x = 0; x < p.size(); ++x)
      for (size_t y = x + 1; y < p.size(); ++y) ++shared.Get(PairKey(p[x], p[y]));
  }
  struct Scored {
    SignalEdge edge;
    double log10_p;
  };
  std::vector<Scored> scored;
  for (const auto& [key, k] : shared.entries()) {
    if (k < min_shared) continue;
    const AccountIndex a = PairFirst(key), b = PairSecond(key);
    const double lambda =
        static_cast<double>(occasions_of_account[a]) * static_cast<double>(occasions_of_account[b]) * concentration;
    const double lp = Log10PoissonTail(k, lambda);
    if (lp > edge_log10_p) continue;
    const float strength = static_cast<float>(std::min(1.0, -lp / log10_p_full));
    scored.push_back({{a, b, static_cast<float>(k), strength}, lp});
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
