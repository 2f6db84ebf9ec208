// Interconnection and cross-platform identity: two checks an investigator
// runs on a candidate network once found.
//
// InterconnectionOf: how much a group engages with itself (shares, comments
// on, likes posts of its own members) against what its activity predicts.
// Engagement = `share`, `comment` and `like` events whose target_account is
// set and is not the actor. With E the engagement events in the data set,
// R the ones whose target is a member, and e_m member m's engagement events:
//   observed = member engagement events whose target is another member,
//   expected = sum_m e_m x R / E   (members engage with the group as often as
//                                   everyone does),
//   ratio = observed / expected, p = P(X >= observed), X ~ Poisson(expected).
// A coordinated group amplifying itself has a ratio far above 1 (Pacheco et
// al., "Uncovering Coordinated Networks on Social Media", ICWSM 2021, show
// such networks retweeting each other; Meta's CIB reports describe the same).
// O(events + group size).
//
// CrossPlatformMatches: accounts on different platforms (Account::platform
// differs; accounts without a platform are never matched) that look like one
// operator's: the same handle or display name after normalisation (ASCII
// case-folded, characters other than letters and digits removed, trailing
// digits stripped; at least 3 characters left), the same profile image hash,
// or the same normalised URL (NormalizeUrl) posted within
// link_window_seconds at least min_link_matches times. Keys shared by more
// than max_bucket accounts (a default avatar, the name "news", a viral link)
// are skipped and counted: they say nothing about a pair. O(accounts +
// URL events x accounts per link window).
//
// Thread safety: pure functions of a Dataset; concurrent calls are safe.
#ifndef LOCKSTEP_SIGNALS_INTERCONNECTION_H_
#define LOCKSTEP_SIGNALS_INTERCONNECTION_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"

namespace lockstep {

struct Interconnection {
  uint32_t members = 0;            // distinct accounts in the group
  uint64_t member_engagement = 0;  // engagement events by members (sum of e_m)
  uint64_t observed = 0;           // of those, aimed at another member
  double expected = 0;             // under engagement proportional to what the group receives overall
  double ratio = 0;                // observed / expected; +inf if expected is 0 and observed > 0
  double p_value = 1;              // P(X >= observed), X ~ Poisson(expected)
  // "12 accounts: 240 of their 300 engagements (...) target each other, 3.1 expected (...) (77.4x, p < 1e-300)"
  std::string explanation;
};

// `members` may hold duplicates (ignored) and target-only accounts.
Interconnection InterconnectionOf(const Dataset& ds, std::span<const AccountIndex> members);

// P(X >= k) for X ~ Poisson(lambda), lambda >= 0; accurate in the far tail.
double PoissonUpperTail(uint64_t k, double lambda);

enum class IdentityEvidence : uint8_t { kHandle = 0, kDisplayName, kProfileImage, kSameLinks };
std::string_view Name(IdentityEvidence v);  // "handle", "display_name", "profile_image", "same_links"

struct CrossPlatformMatch {
  AccountIndex a;  // a < b, on different platforms
  AccountIndex b;
  IdentityEvidence evidence;
  uint32_t count = 1;  // same-links: link pairs within the window; otherwise 1
  // Handle, display name, image: accounts (of any platform) sharing the key,
  // >= 2. Same-links: the most accounts that posted one of the pair's links.
  uint32_t key_accounts = 2;
  // Same-links: how rare the pair's links are, summed over the distinct
  // links they posted within the window: InfrastructureRarity(accounts that
  // posted the link, max_bucket) each (1 for a link of the two alone, 0 for
  // one of max_bucket accounts). 0 for the other evidence.
  double link_rarity = 0;
  // "handles 'NewsDaily_24' (twitter) and 'newsdaily' (facebook) both normalise to 'newsdaily'"
  std::string reason;
};

struct CrossPlatformOptions {
  int64_t link_window_seconds = 600;  // same link within this many seconds, >= 0
  uint32_t min_link_matches = 2;      // link pairs needed for kSameLinks, >= 1
  uint32_t max_bucket = 50;           // keys shared by more accounts are skipped
};

struct CrossPlatformResult {
  std::vector<CrossPlatformMatch> matches;  // sorted by (a, b, evidence)
  uint64_t skipped_keys = 0;                // keys over max_bucket
};

// Handle and name normalisation as described above; "" if under 3 characters.
std::string NormalizeIdentityName(std::string_view name);

CrossPlatformResult CrossPlatformMatches(const Dataset& ds, const CrossPlatformOptions& options = {});

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_INTERCONNECTION_H_
