// Pairs of accounts that keep turning up on the same occasions (a tag's
// bursts, a text's pushes), scored against the null the repeated-burst and
// repeated-push signals share: account a was on u_a occasions, occasion j
// had s_j participants, U = sum_j s_j, and if accounts joined occasions
// independently in proportion to u_a, pair (a, b) would share
// lambda_ab = u_a u_b sum_j s_j^2 / U^2 of them (`concentration` is
// sum_j s_j^2 / U^2); sharing k, p = P(X >= k; Poisson(lambda_ab)).
// Internal to lockstep::graph.
#ifndef LOCKSTEP_SRC_GRAPH_SHARED_OCCASIONS_H_
#define LOCKSTEP_SRC_GRAPH_SHARED_OCCASIONS_H_

#include <cstdint>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/signals/signal.h"

namespace lockstep::internal {

// Every pair in at least `min_shared` of the occasions in `participants`
// (each sorted and duplicate-free; occasions with more than
// `max_participants` make no pairs), with log10 p <= edge_log10_p: edges
// (weight = occasions shared, strength = min(1, -log10 p / log10_p_full))
// and their log10 p, strongest first, ties by account pair.
void ScoreSharedOccasions(const std::vector<std::vector<AccountIndex>>& participants, size_t max_participants,
                          uint32_t min_shared, const std::vector<uint32_t>& occasions_of_account, double concentration,
                          double edge_log10_p, double log10_p_full, std::vector<SignalEdge>* edges,
                          std::vector<double>* log10_p);

}  // namespace lockstep::internal

#endif  // LOCKSTEP_SRC_GRAPH_SHARED_OCCASIONS_H_
