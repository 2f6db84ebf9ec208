// CrossPlatformIdentitySignal: one operator's accounts on several platforms.
// Meta's reports count a network's Facebook accounts, Pages and Instagram
// accounts together, and Google's TAG bulletin names YouTube channels
// "consistent with similar findings reported by Facebook": an operation
// runs one persona or brand on each platform it uses, under the same name,
// with the same picture, posting the same links at the same times.
//
// Candidates are CrossPlatformMatches (interconnection.h): pairs of
// accounts on different platforms with the same normalised handle or
// display name, the same profile image hash, or the same links within
// link_window_seconds. Each piece of evidence gets a strength that discounts
// what is common by chance:
//
//   handle         handle_weight  x Rarity(k, name_saturation) x Specificity(key)
//   display name   name_weight    x Rarity(k, name_saturation) x Specificity(key)
//   profile image  image_weight   x Rarity(k, image_saturation)
//   same links     1 - exp(-link_rarity / link_rarity_scale)
//
// where k is the number of accounts (all platforms) sharing the key and
// Rarity is InfrastructureRarity (shared_infrastructure.h): 1 for a key of
// two accounts, 0 at the saturation. Specificity is the null model of a
// name that no data set shows: how likely two unrelated people pick it. A
// short name ("john", "maria", "news": at most min_specific_chars
// characters after normalisation) is anyone's and has specificity 0; it
// rises linearly to 1 at full_specific_chars characters ("newsdaily24x7",
// "patriotvoiceua"). link_rarity (interconnection.h) sums, over the
// distinct links a pair posted within the window, how rare each link is
// (a link of the two accounts alone 1, a viral one of max_bucket accounts
// 0), so two rare links give 1 - e^-1 = 0.63 and a viral link nothing.
// Same links need at least min_link_matches link pairs.
//
// A pair's strength is the noisy-OR 1 - prod(1 - s) over its evidence, its
// weight the number of matches; pairs weaker than min_edge_strength, or with
// fewer than min_evidence_kinds kinds of evidence (name, picture, links),
// are dropped. The signal joins groups (SignalRole::
// kJoinsGroups): co-action clusters of one operation on two platforms merge
// when enough of their accounts match (DetectorOptions::merge_min_join), and
// an account matching a member strongly (attach_min_join) is attached. It
// never forms a group, and it proves no inauthenticity: a brand runs the
// same name on every platform too (JoiningProvesInauthenticity() is false).
//
// Complexity: that of CrossPlatformMatches plus O(matches log matches).
// Not thread-safe; the Dataset must outlive the signal.
#ifndef LOCKSTEP_SIGNALS_CROSS_PLATFORM_IDENTITY_H_
#define LOCKSTEP_SIGNALS_CROSS_PLATFORM_IDENTITY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/interconnection.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct CrossPlatformIdentityOptions {
  CrossPlatformOptions matches;       // candidate pairs (window, link pairs, bucket limit)
  double handle_weight = 0.9;         // 0..1: a handle is chosen to be found
  double name_weight = 0.6;           // 0..1: display names imitate real people's
  double image_weight = 0.9;          // 0..1: the same picture file
  double name_saturation = 20;        // accounts (> 2) at which a shared name says nothing
  double image_saturation = 20;       // accounts (> 2) at which a shared picture says nothing
  uint32_t min_specific_chars = 5;    // names of at most this many characters have specificity 0
  uint32_t full_specific_chars = 12;  // characters (> min_specific_chars) for specificity 1
  double link_rarity_scale = 2;       // > 0: link_rarity at which same links reach 1 - 1/e
  double min_edge_strength = 0.3;     // 0..1: weaker pairs are dropped
  // Kinds of evidence a pair needs (1..3): a name (handle or display name),
  // a picture, links. Two by default: a name alone is a coincidence of
  // common first and last names ("mariapetrova") in any large population.
  uint32_t min_evidence_kinds = 2;
};

// Specificity of a normalised name (NormalizeIdentityName), 0..1, from its
// length in code points (see above).
double IdentityNameSpecificity(std::string_view normalized_name, uint32_t min_specific_chars,
                               uint32_t full_specific_chars);

class CrossPlatformIdentitySignal final : public Signal {
 public:
  CrossPlatformIdentitySignal(const Dataset& ds, CrossPlatformIdentityOptions options = {});

  std::string_view Name() const override { return "cross-platform-identity"; }
  SignalRole Role() const override { return SignalRole::kJoinsGroups; }
  bool JoiningProvesInauthenticity() const override { return false; }
  std::string EdgeMeaning() const override { return "are one operator's accounts on two platforms"; }
  // Needs accounts of at least two platforms.
  bool Applicable(std::string* why_not) const override;

  // The candidate matches behind the edges, as CrossPlatformMatches gave them.
  const CrossPlatformResult& matches() const;

 protected:
  // kInvalidArgument for options out of range (actual and expected values).
  Status Compute() override;
  // Sorted by (a, b), a < b.
  const std::vector<SignalEdge>& DoEdges() const override { return edges_; }
  // "handles 'NewsDaily_24' (twitter) and 'newsdaily' (facebook) both
  // normalise to 'newsdaily' (2 accounts, 0.50); ...; strength 0.81"
  std::string DoExplainEdge(const SignalEdge& edge) const override;

 private:
  // Strength of one match, 0..1.
  double MatchStrength(const CrossPlatformMatch& m) const;

  const Dataset& ds_;
  CrossPlatformIdentityOptions options_;
  CrossPlatformResult matches_;
  std::vector<SignalEdge> edges_;
  std::vector<std::string> reasons_;  // parallel to edges_
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_CROSS_PLATFORM_IDENTITY_H_
