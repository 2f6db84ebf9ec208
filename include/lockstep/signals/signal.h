// The shape every signal shares (NetworKit's Algorithm): configure in the
// constructor, Run(), then read results. A signal yields per-pair edges,
// per-account scores, whole groups, or several of these, and explains each
// value in words an investigator can check. Detection fuses whatever signals
// apply, each according to its Role().
//
// Lifecycle, owned by this base class: Run() calls the subclass's Compute()
// once. A second Run() returns kFailedPrecondition ("already run"), whether
// or not the first succeeded. Reading results (edges(), account_scores(),
// groups(), ExplainEdge(), ExplainAccount(), and a subclass's own result
// accessors, which call AssureFinished()) before a successful Run() is a
// programming error: it aborts with a message naming the signal, as
// NetworKit's assureFinished() throws. No user input can reach it; callers
// check Run()'s status.
//
// A signal that needs data the set does not have (e.g. infrastructure in a
// Twitter archive) says so through Applicable() and is skipped, and the
// detection output lists it with the reason.
//
// Writing a signal: override Name(), Applicable(), Compute() and the hooks
// for the results it has (DoEdges(), DoAccountScores(), DoGroups(),
// DoExplainEdge(), DoExplainAccount()); say its Role() and EvidenceWeight().
//
// Thread safety: a signal is used by one thread; Run() may use workers.
// Lifetime: the Dataset passed to a signal's constructor must outlive it.
#ifndef LOCKSTEP_SIGNALS_SIGNAL_H_
#define LOCKSTEP_SIGNALS_SIGNAL_H_

#include <cstdint>
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

// What detection does with a signal's results.
enum class SignalRole : uint8_t {
  // Its edges are fused into the account graph that clustering partitions
  // (co-action layers, ...); its evidence for a group is one indicator of
  // coordination.
  kFormsGroups,
  // Its edges merge clusters and attach accounts, never make a group alone
  // (shared infrastructure: families share devices). Its evidence for a
  // group is read off the core members only: what attached a member cannot
  // also prove that the group is an operation.
  kJoinsGroups,
  // Only evidence about groups other signals made (profile, rhythm,
  // creation bursts, ...).
  kScoresGroups,
};

class Signal {
 public:
  virtual ~Signal() = default;

  // "co-share", "shared-infrastructure", "posting-rhythm", ...
  virtual std::string_view Name() const = 0;
  // Whether the data set has what the signal needs; if not, *why_not says
  // what is missing ("no infrastructure observations").
  virtual bool Applicable(std::string* why_not) const = 0;

  // Computes the results once (Compute()). Errors are kInvalidArgument for
  // bad options, as Compute() returns them, and kFailedPrecondition for a
  // second call.
  [[nodiscard]] Status Run();
  // Whether Run() has succeeded: results may be read.
  bool has_run() const { return has_run_; }

  virtual SignalRole Role() const { return SignalRole::kScoresGroups; }
  // kFormsGroups / kJoinsGroups: the weight of its edges in the fused graph
  // (an edge adds weight x strength). kScoresGroups: how far its indicator
  // alone proves inauthenticity, 0..1 (a group scoring s on it is authentic
  // with odds multiplied by 1 - weight x s).
  virtual double EvidenceWeight() const;
  // What one of its edges means, completing "N member pairs ...": "are
  // linked by posting-rhythm" unless the signal says better.
  virtual std::string EdgeMeaning() const;
  // kJoinsGroups: whether its links inside a group are also evidence that
  // the group is inauthentic (personas run from one handset are; one
  // operator's accounts on two platforms under one name are not: a brand's
  // are too). When false, its indicator is reported but proves nothing.
  virtual bool JoiningProvesInauthenticity() const { return true; }

  // Results; a signal yields the kinds it has, the others are empty.
  // Reading before a successful Run() aborts (see above).
  const std::vector<SignalEdge>& edges() const;
  // One score per account (0..1), or empty.
  const std::vector<float>& account_scores() const;
  const std::vector<SignalGroup>& groups() const;
  // log10 of edges()[i]'s p-value under the signal's null; 0 (p = 1) if it has none.
  double EdgeLog10P(size_t i) const;
  // Evidence in words for an edge or an account score.
  std::string ExplainEdge(const SignalEdge& edge) const;
  std::string ExplainAccount(AccountIndex account) const;

 protected:
  // The computation; called once by Run().
  virtual Status Compute() = 0;
  // Aborts with a message unless Run() has succeeded. Subclasses call it
  // first in their own result accessors.
  void AssureFinished() const;

  // Hooks behind the result accessors, called only after a successful Run().
  virtual const std::vector<SignalEdge>& DoEdges() const { return kNoEdges; }
  virtual const std::vector<float>& DoAccountScores() const { return kNoScores; }
  virtual const std::vector<SignalGroup>& DoGroups() const { return kNoGroups; }
  virtual double DoEdgeLog10P(size_t i) const { return 0; }
  virtual std::string DoExplainEdge(const SignalEdge& edge) const { return ""; }
  virtual std::string DoExplainAccount(AccountIndex account) const { return ""; }

  static inline const std::vector<SignalEdge> kNoEdges{};
  static inline const std::vector<float> kNoScores{};
  static inline const std::vector<SignalGroup> kNoGroups{};

 private:
  bool called_ = false;
  bool has_run_ = false;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_SIGNAL_H_
