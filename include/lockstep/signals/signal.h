// The shape every signal shares (NetworKit's Algorithm): configure in the
// constructor, Run(), then read results. A signal yields per-pair edges,
// per-account scores, or both, and explains each value in words an
// investigator can check. Detection fuses whatever signals apply.
//
// A signal that needs data the set does not have (e.g. infrastructure in a
// Twitter archive) says so through Applicable() and is skipped, and the
// detection output lists it with the reason.
//
// Thread safety: a signal is used by one thread; Run() may use workers.
// Lifetime: the Dataset passed to a signal's constructor must outlive it.
#ifndef LOCKSTEP_SIGNALS_SIGNAL_H_
#define LOCKSTEP_SIGNALS_SIGNAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"

namespace lockstep {

// An account pair the signal links. Undirected unless the signal says
// otherwise: a < b.
struct SignalEdge {
  AccountIndex a;
  AccountIndex b;
  float weight;    // the signal's own measure (shared devices, co-shared keys, cosine, ...)
  float strength;  // 0..1: how strongly it suggests common control, after discounting what is common by chance
};

// A group the signal found as a whole (a creation burst, an operator pool).
struct SignalGroup {
  std::vector<AccountIndex> accounts;  // sorted
  float strength;                      // 0..1
  double p_value;                      // probability under the signal's null model; 1 if none
  std::string explanation;             // "41 accounts created 2020-06-01..06-03, 38x the baseline rate (p < 1e-12)"
};

class Signal {
 public:
  virtual ~Signal() = default;

  // "co-share", "shared-infrastructure", "posting-rhythm", ...
  virtual std::string_view Name() const = 0;
  // Whether the data set has what the signal needs; if not, *why_not says
  // what is missing ("no infrastructure observations").
  virtual bool Applicable(std::string* why_not) const = 0;
  // Computes the results. Errors are kInvalidArgument for bad options.
  virtual Status Run() = 0;
  // Whether detection lets this signal's edges join accounts into groups
  // (shared infrastructure extends a co-acting core with its operators'
  // other accounts). Such a signal's evidence for a group is then read off
  // the core members only: what attached a member cannot also prove that
  // the group is an operation. The other signals only score groups.
  virtual bool JoinsGroups() const { return false; }

  // Results; empty before Run() or when the signal yields none of the kind.
  virtual const std::vector<SignalEdge>& edges() const { return kNoEdges; }
  // One score per account (0..1), or empty.
  virtual const std::vector<float>& account_scores() const { return kNoScores; }
  virtual const std::vector<SignalGroup>& groups() const { return kNoGroups; }

  // Evidence in words for an edge or an account score.
  virtual std::string ExplainEdge(const SignalEdge& edge) const { return ""; }
  virtual std::string ExplainAccount(AccountIndex account) const { return ""; }

 protected:
  static inline const std::vector<SignalEdge> kNoEdges{};
  static inline const std::vector<float> kNoScores{};
  static inline const std::vector<SignalGroup> kNoGroups{};
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_SIGNAL_H_
