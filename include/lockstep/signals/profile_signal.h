// ProfileSignal: what accounts' profiles give away. Three findings:
//
//  1. Renames. Information operations rename accounts repeatedly to follow
//     the narrative of the day (Twitter's information-operations releases;
//     Meta's CIB reports, e.g. "Pages that changed names multiple times").
//     A rename is a display_name or handle change in profile_changes (old !=
//     new); changes of one account within rename_merge_seconds are one
//     rename. The first rename is ordinary (people do it once); the score
//     counts the repeats per year observed:
//       score = 1 - exp(-(renames - 1) / years / rename_rate_ref_per_year)
//     where years = max(min_observed_years, (data end - created_at) / 365.25 d)
//     and the data end is the latest event or profile change. With the
//     default reference of one repeat a year, 1 rename -> 0, 4 renames in 3
//     years -> 0.63, 6 in 3 years -> 0.81. account_scores() is this score.
//
//  2. Reused names. Each account's names are its current handle and display
//     name and every old/new value of its handle and display_name changes.
//     A name is keyed exactly (Unicode case folding, NFKC, surrounding
//     blanks and a leading '@' removed) and near-exactly (the exact key with
//     trailing ASCII digits, punctuation and blanks stripped: "anna.k2" and
//     "Anna.K" both give "anna.k"; near keys shorter than min_name_chars are
//     ignored). Handles and display names are keyed separately. A key of k
//     accounts, 2 <= k <= max_name_accounts, links every pair of them with
//     weight x Rarity(k, name_saturation_accounts) (Rarity as in
//     shared_infrastructure.h: 1 for two accounts, 0 at saturation);
//     weights: exact handle 0.6, near handle 0.35, exact display name 0.3,
//     near display name 0.2. Keys of more accounts are common and ignored.
//
//  3. Shared profile images. Each account's 64-bit perceptual hashes (the
//     current one and every profile_image_hash change) are compared within
//     Hamming distance image_radius. Near pairs are found by multi-index
//     hashing (Norouzi, Punjani & Fleet, "Fast search in Hamming space with
//     multi-index hashing", CVPR 2012): the 64 bits are cut into
//     image_radius + 1 chunks, and by the pigeonhole principle two hashes
//     within distance r agree exactly on at least one of r + 1 chunks, so
//     only hashes sharing a chunk value are compared (radius 6: 7 chunks of
//     9 or 10 bits). An image's cluster is every hash within the radius; a
//     cluster used by more than max_image_accounts accounts (counting an
//     account once per hash) is a common image, the platform's default
//     picture or a meme, and is ignored entirely: no pairs. Other pairs of
//     accounts whose hashes lie within the radius are linked with
//     image_weight x (1 - 0.25 d / radius) x Rarity(cluster accounts,
//     image_saturation_accounts) for distance d.
//
// edges(): the noisy-OR over the three kinds of match (image, handle,
// display name; per kind the best match), 0..1, dropped below
// min_edge_strength; weight = number of matching names and images.
//
// Complexity: names O(N log N) for N names plus pairs (at most
// max_name_accounts per name); images O(H x (r + 1) x bucket size) for H
// distinct hashes (bucket size about H / 2^(64 / (r + 1)) for well-spread
// hashes) plus pairs (at most max_image_accounts per hash). Not thread-safe.
// The Dataset must outlive the signal. Results are empty before Run().
#ifndef LOCKSTEP_SIGNALS_PROFILE_SIGNAL_H_
#define LOCKSTEP_SIGNALS_PROFILE_SIGNAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct ProfileOptions {
  int64_t rename_merge_seconds = 60;        // >= 0
  double rename_rate_ref_per_year = 1;      // > 0
  double min_observed_years = 1;            // > 0
  uint32_t max_name_accounts = 20;          // >= 2
  double name_saturation_accounts = 50;     // > 2
  uint32_t min_name_chars = 3;              // bytes of the near key, >= 1
  double handle_exact_weight = 0.6, handle_near_weight = 0.35;    // 0..1
  double display_exact_weight = 0.3, display_near_weight = 0.2;   // 0..1
  int image_radius = 6;                     // Hamming distance, 0..15
  uint32_t max_image_accounts = 200;        // >= 2
  double image_weight = 0.9;                // 0..1
  double image_saturation_accounts = 2000;  // > 2
  double min_edge_strength = 0.15;          // 0..1; drops lone display-name coincidences of > 10 accounts
};

int HammingDistance(uint64_t x, uint64_t y);

// "Anna.K2 " -> "anna.k2" (exact key); "anna.k" (near key).
std::string NameKey(std::string_view name, bool is_handle);
std::string NearNameKey(std::string_view exact_key);

// Whether a profile description declares the account automated: "Automated
// account", Twitter's "Automated by @owner" label, "I am a bot", "bot
// account", "posted by a bot", the robot emoji, ... (case-folded; a negation
// such as "not a bot" declares nothing). An openly declared bot service
// coordinates by design and deceives nobody about what it is.
bool DeclaresAutomation(std::string_view description);

// Pairs of distinct hashes within Hamming distance `radius`, each pair once
// as (i, j) with i < j, indices into `hashes` (which must hold distinct
// values). Multi-index hashing with radius + 1 chunks; radius 0..15.
std::vector<std::pair<uint32_t, uint32_t>> NearHashPairs(const std::vector<uint64_t>& hashes, int radius);

struct RenameStats {
  uint32_t renames = 0;           // merged display_name / handle changes
  double months_observed = 0;     // from creation (or first sight) to the data end, >= 1
  double per_month = 0;           // renames / months_observed
  float score = 0;
};

struct ProfileImage {
  uint64_t hash;
  uint32_t accounts;              // accounts within image_radius (once per hash)
  bool common;                    // accounts > max_image_accounts
};

class ProfileSignal final : public Signal {
 public:
  ProfileSignal(const Dataset& ds, ProfileOptions options = {});

  std::string_view Name() const override { return "profile"; }
  // Needs profile changes, names, or profile image hashes.
  bool Applicable(std::string* why_not) const override;

  const std::vector<RenameStats>& renames() const;                // per account
  // Distinct image hashes seen, ascending, with their cluster sizes.
  const std::vector<ProfileImage>& images() const;
  uint64_t common_image_accounts() const { return common_image_accounts_; }  // account uses of common images
  uint64_t common_names() const { return common_names_; }         // name keys over max_name_accounts

 protected:
  // kInvalidArgument for options out of range (actual and expected values).
  Status Compute() override;
  const std::vector<SignalEdge>& DoEdges() const override;          // sorted by (a, b), a < b
  const std::vector<float>& DoAccountScores() const override;      // rename score
  std::string DoExplainEdge(const SignalEdge& edge) const override;
  std::string DoExplainAccount(AccountIndex account) const override;

 private:
  struct NameUse {
    uint32_t key;      // index into keys_
    AccountIndex account;
  };
  enum MatchKind : uint8_t { kImage = 0, kHandle = 1, kDisplay = 2 };

  const Dataset& ds_;
  ProfileOptions options_;
  std::vector<RenameStats> renames_;
  std::vector<float> scores_;
  std::vector<SignalEdge> edges_;
  std::vector<ProfileImage> images_;
  std::vector<std::vector<uint32_t>> account_images_;   // account -> indices into images_
  std::vector<std::string> keys_;                        // name keys: "h=" / "H~" / "d=" / "D~" + key
  std::vector<uint32_t> key_accounts_;                   // accounts per key
  std::vector<std::vector<uint32_t>> account_keys_;      // account -> sorted key indices
  std::vector<std::vector<std::string>> name_trail_;     // account -> names in order of change
  uint64_t common_image_accounts_ = 0;
  uint64_t common_names_ = 0;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_PROFILE_SIGNAL_H_
