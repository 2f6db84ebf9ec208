// Fingerprints of removed networks: what a network leaves behind that its
// operators are likely to reuse when they come back (Meta: "we monitor for
// efforts to re-establish a presence by networks we previously removed").
//
// Parts, each taken from the members of the removed network in the data set
// it was detected in, and each kept only if it is distinctive there (at
// least `min_member_share` of the accounts using the value are members, or
// at most `max_outsiders` accounts outside the network use it (detection
// often finds part of an operation; the rest share its devices). So a
// carrier's CGNAT address, a popular news site or the platform's default
// avatar never becomes evidence):
//   infra      "kind:value" of the infrastructure the members used
//   domains    domains of the URLs the members posted, kept when members
//              posted at least `min_member_share` of all links to the domain
//   names      handles and display names, case-folded with trailing digits
//              stripped ("NewsBot_2021" -> "newsbot_")
//   images     profile image hashes
//   shingles   a bottom-k MinHash sketch (Broder, "On the resemblance and
//              containment of documents", 1997) of the hashes of word
//              3-grams of the members' normalised posts (NormalizeText)
//   rhythm     the group's UTC offset and 24-hour local activity share
//              (RhythmOf)
//
// Complexity: BuildFingerprint is O(events + infra + accounts + text bytes).
// Pure functions; thread-safe.
#ifndef LOCKSTEP_STORE_FINGERPRINT_H_
#define LOCKSTEP_STORE_FINGERPRINT_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"

namespace lockstep {

struct FingerprintOptions {
  double min_member_share = 0.5;  // keep a value if members / all accounts using it >= this (0..1]
  uint32_t max_outsiders = 5;     // ... or if at most this many non-members use it (not for names)
  size_t sketch_size = 4096;      // k of the bottom-k shingle sketch
};

struct Fingerprint {
  std::vector<std::string> infra;       // "device:ab12", sorted
  std::vector<std::string> domains;     // sorted
  std::vector<std::string> names;       // folded, sorted
  std::vector<uint64_t> images;         // sorted
  std::vector<uint64_t> shingles;       // the sketch, ascending
  uint64_t shingle_threshold = 0;       // largest hash in a full sketch; UINT64_MAX when the sketch holds every shingle
  std::optional<double> utc_offset;     // hours
  std::array<double, 24> hour_share{};  // local hours (UTC when no offset), sums to 1 (or all 0 without events)
};

Fingerprint BuildFingerprint(const Dataset& ds, std::span<const AccountIndex> members,
                             const FingerprintOptions& options = {});

// Case-folds (ASCII and, through NormalizeText, Unicode) and strips trailing
// digits: "Maria_Lopez1987" -> "maria_lopez". Empty for an empty name.
std::string FoldName(std::string_view name);

// Hashes of the word 3-grams of `text` after NormalizeText (texts of fewer
// than three tokens give one hash of the whole normalised text, if any).
// Appended to *out. Stable across platforms and runs.
void TextShingles(std::string_view text, std::vector<uint64_t>* out);

}  // namespace lockstep

#endif  // LOCKSTEP_STORE_FINGERPRINT_H_
