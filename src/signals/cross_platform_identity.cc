#include "lockstep/signals/cross_platform_identity.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

#include "lockstep/signals/shared_infrastructure.h"

namespace lockstep {

double IdentityNameSpecificity(std::string_view normalized_name, uint32_t min_specific_chars,
                               uint32_t full_specific_chars) {
  uint32_t chars = 0;
  for (unsigned char c : normalized_name) chars += (c & 0xC0) != 0x80;  // UTF-8 lead bytes: code points
  if (chars <= min_specific_chars) return 0;
  if (chars >= full_specific_chars) return 1;
  return static_cast<double>(chars - min_specific_chars) /
         static_cast<double>(full_specific_chars - min_specific_chars);
}

CrossPlatformIdentitySignal::CrossPlatformIdentitySignal(const Dataset& ds, CrossPlatformIdentityOptions options)
    : ds_(ds), options_(options) {}

bool CrossPlatformIdentitySignal::Applicable(std::string* why_not) const {
  StringId first = kNoString;
  for (const Account& a : ds_.accounts) {
    if (a.platform == kNoString) continue;
    if (first == kNoString) first = a.platform;
    if (a.platform != first) return true;
  }
  if (why_not != nullptr)
    *why_not = first == kNoString ? "no account has a platform"
                                  : fmt::format("every account is on one platform ({})", ds_.String(first));
  return false;
}

const CrossPlatformResult& CrossPlatformIdentitySignal::matches() const {
  AssureFinished();
  return matches_;
}

double CrossPlatformIdentitySignal::MatchStrength(const CrossPlatformMatch& m) const {
  const CrossPlatformIdentityOptions& o = options_;
  const Account& a = ds_.accounts[m.a];
  auto specificity = [&](StringId name) {
    return IdentityNameSpecificity(NormalizeIdentityName(ds_.String(name)), o.min_specific_chars,
                                   o.full_specific_chars);
  };
  switch (m.evidence) {
    case IdentityEvidence::kHandle:
      return o.handle_weight * InfrastructureRarity(m.key_accounts, o.name_saturation) * specificity(a.handle);
    case IdentityEvidence::kDisplayName:
      return o.name_weight * InfrastructureRarity(m.key_accounts, o.name_saturation) * specificity(a.display_name);
    case IdentityEvidence::kProfileImage:
      return o.image_weight * InfrastructureRarity(m.key_accounts, o.image_saturation);
    case IdentityEvidence::kSameLinks:
      return 1 - std::exp(-m.link_rarity / o.link_rarity_scale);
  }
  return 0;
}

Status CrossPlatformIdentitySignal::Compute() {
  const CrossPlatformIdentityOptions& o = options_;
  auto unit = [](double v) { return v >= 0 && v <= 1; };
  if (!unit(o.handle_weight) || !unit(o.name_weight) || !unit(o.image_weight) || !unit(o.min_edge_strength))
    return Status::InvalidArgument(fmt::format(
        "cross-platform-identity: handle_weight {}, name_weight {}, image_weight {}, min_edge_strength {}; expected "
        "each in [0, 1]",
        o.handle_weight, o.name_weight, o.image_weight, o.min_edge_strength));
  if (!(o.name_saturation > 2) || !(o.image_saturation > 2))
    return Status::InvalidArgument(
        fmt::format("cross-platform-identity: name_saturation {}, image_saturation {}; expected each > 2",
                    o.name_saturation, o.image_saturation));
  if (o.min_evidence_kinds < 1 || o.min_evidence_kinds > 3)
    return Status::InvalidArgument(
        fmt::format("cross-platform-identity: min_evidence_kinds {}; expected 1..3", o.min_evidence_kinds));
  if (o.full_specific_chars <= o.min_specific_chars)
    return Status::InvalidArgument(
        fmt::format("cross-platform-identity: full_specific_chars {} must exceed min_specific_chars {}",
                    o.full_specific_chars, o.min_specific_chars));
  if (!(o.link_rarity_scale > 0))
    return Status::InvalidArgument(
        fmt::format("cross-platform-identity: link_rarity_scale {}; expected > 0", o.link_rarity_scale));
  if (o.matches.link_window_seconds < 0 || o.matches.min_link_matches < 1 || o.matches.max_bucket < 2)
    return Status::InvalidArgument(fmt::format(
        "cross-platform-identity: link_window_seconds {} (expected >= 0), min_link_matches {} (>= 1), max_bucket {} "
        "(>= 2)",
        o.matches.link_window_seconds, o.matches.min_link_matches, o.matches.max_bucket));

  matches_ = CrossPlatformMatches(ds_, o.matches);
  // Matches come sorted by (a, b, evidence): one run per pair.
  const std::vector<CrossPlatformMatch>& m = matches_.matches;
  for (size_t lo = 0; lo < m.size();) {
    size_t hi = lo;
    double absent = 1;  // prod (1 - s)
    std::string reason;
    uint32_t kinds = 0;  // bits: name (handle or display name), picture, links
    while (hi < m.size() && m[hi].a == m[lo].a && m[hi].b == m[lo].b) {
      const double s = std::clamp(MatchStrength(m[hi]), 0.0, 1.0);
      absent *= 1 - s;
      if (s > 0)
        kinds |= m[hi].evidence == IdentityEvidence::kProfileImage ? 2u
                 : m[hi].evidence == IdentityEvidence::kSameLinks  ? 4u
                                                                   : 1u;
      reason += fmt::format(
          "{}{} ({}: {}, strength {:.2f})", reason.empty() ? "" : "; ", m[hi].reason,
          m[hi].evidence == IdentityEvidence::kSameLinks ? "accounts on its busiest link" : "accounts sharing it",
          m[hi].key_accounts, s);
      ++hi;
    }
    const double strength = 1 - absent;
    if (strength >= o.min_edge_strength && strength > 0 &&
        static_cast<uint32_t>(std::popcount(kinds)) >= o.min_evidence_kinds) {
      edges_.push_back({m[lo].a, m[lo].b, static_cast<float>(hi - lo), static_cast<float>(strength)});
      reasons_.push_back(fmt::format("{}; strength {:.2f}", reason, strength));
    }
    lo = hi;
  }
  return Status::Ok();
}

std::string CrossPlatformIdentitySignal::DoExplainEdge(const SignalEdge& edge) const {
  const AccountIndex a = std::min(edge.a, edge.b), b = std::max(edge.a, edge.b);
  auto it = std::lower_bound(edges_.begin(), edges_.end(), std::make_pair(a, b),
                             [](const SignalEdge& e, const std::pair<AccountIndex, AccountIndex>& k) {
                               return std::tie(e.a, e.b) < std::tie(k.first, k.second);
                             });
  const std::string who = fmt::format("{} and {}", ds_.AccountId(a), ds_.AccountId(b));
  if (it == edges_.end() || it->a != a || it->b != b) return who + ": no cross-platform match";
  return fmt::format("{}: {}", who, reasons_[static_cast<size_t>(it - edges_.begin())]);
}

}  // namespace lockstep
