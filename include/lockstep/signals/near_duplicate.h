// NearDuplicateText: clusters of posts whose texts are the same or nearly the
// same after normalisation, the keys of the co-text signal (object_keys.h,
// ObjectKeyKind::kText). See docs/near_duplicate.md.
//
// Pipeline (Run()):
//  1. Each event with text (shares only if include_shares) is normalised
//     (text_normalize.h) and split into tokens; texts with fewer than
//     min_tokens tokens get no cluster.
//  2. Shingles: every token (unigram) and every pair of adjacent tokens
//     (bigram), hashed with xxh3 to 64 bits. Spaceless scripts have one token
//     per character, so CJK texts get character unigrams and bigrams.
//  3. Exact duplicates (same normalised text, by 64-bit xxh3) collapse into
//     one unique text before anything pairwise happens: a spam text posted
//     100,000 times costs one unique text, never a candidate pair.
//  4. Each unique text gets a MinHash signature (Broder, "On the resemblance
//     and containment of documents", 1997) of bands x rows values computed by
//     one-permutation hashing (Li, Owen & Zhang, "One Permutation Hashing",
//     NIPS 2012): one hash per shingle, the shingle's high bits pick the bin,
//     the low bits compete for the bin's minimum. Empty bins are filled by
//     optimal densification (Shrivastava, "Optimal Densification for Fast and
//     Accurate Minwise Hashing", ICML 2017): bin j copies the first non-empty
//     bin in its own pseudo-random probe sequence.
//  5. LSH banding: texts whose `rows` values of one band agree share that
//     band's bucket. In each bucket, each text is compared with at most
//     max_leaders "leaders" (earlier texts of the bucket that matched no
//     earlier leader) and linked to the first whose exact Jaccard similarity
//     of shingle sets is >= threshold. A bucket of s texts therefore costs at
//     most s * max_leaders comparisons, whatever s is; the whole step at most
//     bands * unique_texts * max_leaders.
//  6. Clusters are the connected components (union-find) of the links, each
//     with all the events of its unique texts. A cluster of one event is no
//     cluster: such events get kNoTextCluster.
//
// Results are deterministic and do not depend on `threads`: each band's links
// are a function of that band alone.
//
// Complexity: O(text bytes + shingles + bands * unique texts) time plus the
// bounded comparisons; memory O(shingles + bands * texts), about
// (4 * shingles + 4 * bands + 24) bytes per text with text.
//
// Shape: configure in the constructor, Run(), then read results (empty before
// Run()). Not thread-safe; Run() uses `threads` worker threads. The Dataset
// must outlive the object.
#ifndef LOCKSTEP_SIGNALS_NEAR_DUPLICATE_H_
#define LOCKSTEP_SIGNALS_NEAR_DUPLICATE_H_

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/text_normalize.h"

namespace lockstep {

inline constexpr uint32_t kNoTextCluster = UINT32_MAX;

struct NearDuplicateOptions {
  double threshold = 0.6;     // Jaccard similarity of shingle sets to link two texts, in (0, 1]
  int min_tokens = 5;         // texts with fewer tokens (CJK: characters) get no cluster, >= 1
  int bands = 20;             // LSH bands, >= 1
  int rows = 5;               // signature values per band, >= 1; bands * rows <= 1024
  int max_leaders = 8;        // comparisons per text per bucket, >= 1
  bool include_shares = false;  // shares (retweets) are co-share's business; their text is the original's
  uint64_t seed = 0x6c6f636b73746570;  // hashing seed; another seed, other (equally good) signatures
  int threads = 2;            // worker threads, >= 1
  TextNormalizeOptions normalize;
};

// One cluster of near-duplicate posts.
struct TextCluster {
  uint32_t events = 0;          // posts in it
  uint32_t accounts = 0;        // distinct accounts posting them
  uint32_t texts = 0;           // distinct normalised texts
  uint32_t representative = 0;  // event row whose text is the cluster's most posted one
  float min_jaccard = 1;        // smallest Jaccard of a link; 1 if all copies are exact
};

// Counters of one Run(), for the benchmark and for explaining speed.
struct NearDuplicateStats {
  uint64_t events_with_text = 0;
  uint64_t too_short = 0;        // below min_tokens
  uint64_t unique_texts = 0;     // after collapsing exact duplicates
  uint64_t text_bytes = 0;
  uint64_t shingles = 0;         // over unique texts
  uint64_t buckets = 0;          // LSH buckets with >= 2 texts, all bands
  uint64_t largest_bucket = 0;
  uint64_t comparisons = 0;      // exact Jaccard computations
  uint64_t links = 0;            // comparisons >= threshold
  uint64_t clustered_events = 0;
  double seconds_shingle = 0, seconds_dedup = 0, seconds_lsh = 0, seconds_cluster = 0;
};

class NearDuplicateText {
 public:
  NearDuplicateText(const Dataset& ds, NearDuplicateOptions options);

  // Validates the options (kInvalidArgument with actual and expected values)
  // and computes the clusters.
  Status Run();

  // One entry per event: its cluster, or kNoTextCluster. This is the vector
  // ExtractObjectKeys(ds, ObjectKeyKind::kText, &v) expects.
  const std::vector<uint32_t>& cluster_of_event() const;
  // Clusters numbered by their first event (time order).
  const std::vector<TextCluster>& clusters() const;
  // Event rows of cluster c, in time order.
  std::span<const uint32_t> ClusterEvents(uint32_t c) const;
  // The original (not normalised) text of the cluster's representative event.
  std::string_view RepresentativeText(uint32_t c) const;
  // "312 posts by 57 accounts share this text (4 variants, Jaccard >= 0.71): '...'"
  std::string Explain(uint32_t c) const;
  const NearDuplicateStats& stats() const { return stats_; }

 private:
  const Dataset& ds_;
  NearDuplicateOptions options_;
  bool ran_ = false;
  std::vector<uint32_t> cluster_of_event_;
  std::vector<TextCluster> clusters_;
  std::vector<uint32_t> cluster_offsets_;  // events of c: cluster_events_[offsets[c] .. offsets[c+1])
  std::vector<uint32_t> cluster_events_;
  NearDuplicateStats stats_;
};

// Near-duplicate clusters of one data set's texts, computed on first use and
// then shared by every signal that keys events by text with the same options
// (co-text's layer, repeated text pushes), so that one detect clusters its
// texts once. A signal given one uses it only when it was made for the same
// Dataset object and equal options (SameClustering); otherwise it clusters
// on its own, as without one. Not thread-safe; the Dataset must outlive it.
class SharedTextClusters {
 public:
  SharedTextClusters(const Dataset& ds, NearDuplicateOptions options);

  // One entry per event, as NearDuplicateText::cluster_of_event(); computed
  // on the first call, the same vector (or error) after it. Safe to call from
  // several threads: the first computes, the others wait for it.
  Result<const std::vector<uint32_t>*> Get();
  // Whether clusters computed with `options` on `ds` are these (threads aside).
  bool Serves(const Dataset& ds, const NearDuplicateOptions& options) const;
  // How many times the clustering ran: 0 or 1.
  int computed() const;
  // How many times Get() was called: the signals it served.
  int served() const;

 private:
  const Dataset& ds_;
  NearDuplicateOptions options_;
  mutable std::mutex mutex_;  // guards the counts and the computation below
  int computed_ = 0, served_ = 0;
  Status status_ = Status::Ok();
  std::vector<uint32_t> cluster_of_event_;
};

// Whether two option sets cluster texts identically (threads aside).
bool SameClustering(const NearDuplicateOptions& a, const NearDuplicateOptions& b);

// One entry per event (NearDuplicateText::cluster_of_event()) for `ds`
// clustered with `options` on `threads` threads: taken from `shared` when it
// serves them (SharedTextClusters::Serves), else computed here. `shared` may
// be null. Left empty when no event has text.
Status ClusterTexts(const Dataset& ds, const NearDuplicateOptions& options, int threads, SharedTextClusters* shared,
                    std::vector<uint32_t>* cluster_of_event);

namespace internal {
// Exact Jaccard similarity of two sorted, duplicate-free sets of shingle
// hashes; 0 for two empty sets.
double Jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);
}  // namespace internal

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_NEAR_DUPLICATE_H_
