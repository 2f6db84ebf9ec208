// TargetSimilaritySignal: accounts whose behaviour traces point at the same
// things. For each account, a TF-IDF-weighted vector over one trace (whom it
// retweets, follows or replies to, which hashtags, domains or hashtag
// sequences it uses, in which 30-minute bins it is active); each account's
// top-k most similar accounts by cosine. The five traces of Pacheco et al.,
// "Uncovering Coordinated Networks on Social Media: Methods and Case
// Studies", ICWSM 2021 (retweets, hashtag sequences, co-activity bins as in
// DeBot, Chavoshi et al. ICDM 2016), plus follow, reply and domain targets.
//
// Weights: tf = 1 + ln(count) of the token in the account's trace; idf =
// ln(N / df) with N the accounts that have at least min_account_actions
// actions in the trace and df the accounts using the token. A token every
// account uses (everyone active at 9pm, the one viral post) gets idf near 0
// and weighs nothing. Vectors are L2-normalised, so the dot product is the
// cosine.
//
// Search: inverted lists, one per token, holding (account, weight). Each
// account accumulates dot products over the lists of its tokens. A list
// longer than max_postings (a token used by more accounts than that) is not
// walked and is reported in skipped_tokens(); its weight still counts in the
// norms, so a similarity computed without it is a lower bound of the true
// cosine. Work is bounded by sum over walked tokens of df^2 <=
// tokens x max_postings^2, never N^2; memory is O(actions + N) plus one dense
// N-float accumulator per thread.
//
// Edges: the union of every account's top_k neighbours with cosine >=
// min_cosine, as undirected pairs a < b, weight = strength = cosine.
//
// Shape: configure in the constructor, Run(), then read results (empty
// before Run()). Not thread-safe; Run() uses `threads` worker threads. The
// Dataset must outlive the signal.
#ifndef LOCKSTEP_SIGNALS_TARGET_SIMILARITY_H_
#define LOCKSTEP_SIGNALS_TARGET_SIMILARITY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

enum class SimilarityTrace : uint8_t {
  kRetweetTargets = 0,  // target_account of `share` events
  kFollowTargets,       // target_account of `follow` events
  kReplyTargets,        // target_account of `comment` events (replies, comments)
  kHashtags,            // each hashtag of an event, ASCII case-folded
  kDomains,             // the domain of each URL of an event
  kHashtagSequences,    // the ordered, case-folded hashtags of one event as one token (>= 2 hashtags)
  kActivityBins,        // the time bin (bin_seconds) of every event
};
inline constexpr int kSimilarityTraces = 7;

// "retweet-targets", "follow-targets", "reply-targets", "hashtags",
// "domains", "hashtag-sequences", "activity-bins".
std::string_view Name(SimilarityTrace trace);
// False on an unknown name.
bool Parse(std::string_view s, SimilarityTrace* out);

struct TargetSimilarityOptions {
  SimilarityTrace trace = SimilarityTrace::kRetweetTargets;
  int top_k = 10;                    // neighbours kept per account, >= 1
  double min_cosine = 0.5;           // edges below this cosine are dropped, in [0, 1]
  uint32_t min_account_actions = 3;  // accounts with fewer actions in the trace get no vector, >= 1
  uint32_t max_postings = 2000;      // tokens used by more accounts are not walked; 0 = no bound
  int64_t bin_seconds = 1800;        // activity-bins: bin width in seconds, > 0
  int threads = 2;                   // worker threads, >= 1
};

// A token whose inverted list was too long to walk.
struct SkippedToken {
  uint32_t token;
  uint32_t accounts;  // its document frequency
  std::string name;   // "@acct_17", "#news", "example.com", "bin 2021-03-04T21:00:00Z", ...
};

struct TargetSimilarityStats {
  uint64_t actions = 0;          // trace actions of accounts with a vector
  uint32_t accounts = 0;         // accounts with a vector (N)
  uint32_t tokens = 0;           // distinct tokens
  uint64_t postings_walked = 0;  // accumulator updates, the work done
};

class TargetSimilaritySignal final : public Signal {
 public:
  TargetSimilaritySignal(const Dataset& ds, TargetSimilarityOptions options);

  // "similarity-retweet-targets", ...
  std::string_view Name() const override { return name_; }
  // False when no account has min_account_actions actions in the trace.
  bool Applicable(std::string* why_not) const override;

  // Each account's neighbours, best first: (account, cosine). Empty for
  // accounts without a vector. Index = AccountIndex < num_accounts().
  const std::vector<std::vector<std::pair<AccountIndex, float>>>& neighbours() const { return neighbours_; }
  // Tokens skipped for exceeding max_postings, most popular first.
  const std::vector<SkippedToken>& skipped_tokens() const { return skipped_; }
  const TargetSimilarityStats& stats() const { return stats_; }

 protected:
  // kInvalidArgument for options out of range (actual and expected in the message).
  Status Compute() override;
  // Sorted by (a, b); weight = strength = cosine.
  const std::vector<SignalEdge>& DoEdges() const override { return edges_; }
  // "a and b: cosine 0.91 over retweet-targets; both retweet @x (3 and 5
  // times), @y, ..."
  std::string DoExplainEdge(const SignalEdge& edge) const override;

 private:
  std::string TokenName(uint32_t token) const;

  const Dataset& ds_;
  TargetSimilarityOptions options_;
  std::string name_;
  // Sparse vectors: tokens and weights of account i in [offsets_[i], offsets_[i+1]), tokens ascending.
  std::vector<uint64_t> offsets_;
  std::vector<uint32_t> tokens_;
  std::vector<float> weights_;
  std::vector<uint32_t> counts_;
  std::vector<uint64_t> token_keys_;  // hashtag-sequences: key of each token; activity-bins: bin start time
  int64_t bin_origin_ = 0;
  Interner folded_hashtags_;  // hashtags, kHashtagSequences: case-folded hashtags
  std::vector<std::vector<std::pair<AccountIndex, float>>> neighbours_;
  std::vector<SignalEdge> edges_;
  std::vector<SkippedToken> skipped_;
  TargetSimilarityStats stats_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_TARGET_SIMILARITY_H_
