// ContentTargetingSignal: what accounts push, where to, and in what
// language. Three findings:
//
//  1. Off-platform amplification. An account with at least min_links links
//     sends top_domains_share of them or more to its top_domains domains
//     (cf. the "affiliated domains" of Meta's CIB reports and Stanford IO's
//     domain analyses). Links through a platform's link wrapper
//     (IsPlatformLinkWrapper: t.co) have no domain (Dataset::InternDomain)
//     and count for neither finding: every link on that platform has it.
//  2. Concentrated domains: domains shared almost only by one group. For a
//     domain with at least min_domain_shares shares (posts, shares, comments
//     carrying a URL on it), its core is the smallest set of sharers making
//     core_share of its shares. Domains whose cores overlap (|A n B| /
//     min(|A|, |B|) >= 0.5) are merged into one cluster. A cluster is
//     concentrated when its core accounts share it at least min_repeat times
//     each on average and devote at least min_exclusivity of all their links
//     to it ("few accounts produce most of its shares and those accounts
//     share little else"). One group per cluster: the core accounts.
//  3. Off-topic comments. A comment whose parent (the event whose event_id is
//     the comment's target_id) has text is unrelated when the Jaccard
//     similarity of their word sets (lower-cased ASCII, split on
//     punctuation and spaces, words of 3+ bytes) is below
//     offtopic_max_similarity, both having at least min_words words. A
//     canned comment is one whose near-copies (MinHash, 4 bands x 3 rows,
//     verified Jaccard >= 0.5; Broder 1997) sit under at least
//     canned_min_parents distinct parents: a text that fits every post fits
//     none. A comment that is unrelated and canned is flagged off-topic.
//     (Texts from the simulator are bags of words without topics, so the
//     canned test is what separates a farm's copy-pasted comments from
//     people's; on real data the similarity test alone carries weight.)
//
// Plus languages and target countries per account and per group
// (TargetingOf).
//
// account_scores(): max(amplification share when flagged, share of flagged
// off-topic comments when the account has at least min_comments comments
// with a parent) in 0..1. groups(): concentrated-domain clusters.
// Complexity: O(events x words + comments x bucket work). Not thread-safe;
// the Dataset must outlive the signal.
#ifndef LOCKSTEP_SIGNALS_CONTENT_TARGETING_H_
#define LOCKSTEP_SIGNALS_CONTENT_TARGETING_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct ContentTargetingOptions {
  uint32_t min_links = 5;              // links an account needs for amplification
  uint32_t top_domains = 3;            // how many of its domains count
  double top_domains_share = 0.8;      // share of its links to them, 0..1
  uint32_t min_domain_shares = 20;     // shares a domain needs to be considered
  double core_share = 0.8;             // share of a domain's shares its core makes, 0..1
  double min_repeat = 3;               // mean shares per core account
  double min_exclusivity = 0.5;        // share of the core's links to the cluster, 0..1
  uint32_t min_group_size = 3;         // core accounts
  double offtopic_max_similarity = 0.1;  // Jaccard of comment and parent below this = unrelated
  uint32_t min_words = 3;              // words each text needs for a similarity
  uint32_t canned_min_parents = 3;     // distinct parents under near-copies of a comment
  uint32_t min_comments = 3;           // comments with a parent an account needs for a score
};

// Word set of a text as the signal compares texts: hashed lower-cased words
// of 3+ bytes, sorted and unique.
std::vector<uint64_t> WordSet(std::string_view text);
double Jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b);

namespace internal {
// Jaccard(a, b) >= 1/2 for two word sets (sorted, unique), exactly as the
// double comparison would decide it (3 x words in common >= |a| + |b|); true
// for two empty sets. Stops the merge once the words left cannot reach it.
bool JaccardAtLeastHalf(std::span<const uint64_t> a, std::span<const uint64_t> b);
// The canned test's precheck. A word set's signature has bit (w & 63) set
// for each word w; SignatureMatches(a, signature of b) counts a's words whose
// bit is set, an upper bound of |a n b| (a word in both has its bit in b's
// signature), so 3 x SignatureMatches(a, sig b) < |a| + |b| rules out
// Jaccard >= 1/2 without the merge.
uint64_t WordSignature(std::span<const uint64_t> words);
size_t SignatureMatches(std::span<const uint64_t> words, uint64_t signature);
}  // namespace internal

struct Targeting {
  uint64_t events = 0;
  uint64_t with_language = 0, with_target_country = 0, links = 0;
  std::vector<std::pair<std::string, uint64_t>> languages;              // top 5, most first
  std::vector<std::pair<CountryCode, uint64_t>> target_countries;       // top 5, most first
  std::vector<std::pair<std::string, uint64_t>> domains;                // top 5, most first
  // "62% de, 30% en; aimed at DE (71%), AT (9%); links to x.net (40%), ..."
  std::string Describe() const;
};

// Languages, target countries and domains of `accounts` together (an event's
// language, else its account's). O(events + accounts).
Targeting TargetingOf(const Dataset& ds, std::span<const AccountIndex> accounts);

struct CommentStats {
  uint32_t comments = 0;        // comments by the account
  uint32_t with_parent = 0;     // whose parent text is known (both texts long enough)
  uint32_t unrelated = 0;       // similarity below the threshold
  uint32_t off_topic = 0;       // unrelated and canned
  StringId example = kNoString; // an off-topic comment's event_id (objects)
};

struct DomainCluster {
  std::vector<StringId> domains;       // Dataset::domains, most shared first
  std::vector<AccountIndex> core;      // sorted
  uint64_t shares = 0;                 // all shares of the cluster's domains
  uint64_t core_shares = 0;            // of them by the core
  double repeat = 0;                   // core shares per core account
  double exclusivity = 0;              // core's links to the cluster / all its links
  uint32_t sharers = 0;                // distinct accounts sharing the cluster
};

class ContentTargetingSignal final : public Signal {
 public:
  ContentTargetingSignal(const Dataset& ds, ContentTargetingOptions options = {});

  std::string_view Name() const override { return "content-targeting"; }
  // Pushing one's own outlet's links is what newsrooms do, so this indicator
  // alone proves little inauthenticity.
  double EvidenceWeight() const override { return 0.3; }
  // Needs URLs, comments with text, languages or target countries.
  bool Applicable(std::string* why_not) const override;

  // Valid after Run(); empty before.
  const std::vector<DomainCluster>& concentrated_domains() const;
  // Per account (index = AccountIndex).
  const std::vector<CommentStats>& comment_stats() const;
  // Share of an account's links to its top domains, 0 with fewer than min_links links.
  const std::vector<float>& amplification() const;
  // Per event row: 1 if the comment was flagged off-topic.
  const std::vector<uint8_t>& off_topic_rows() const;
  // Per event row: 1 if the comment is unrelated to its parent.
  const std::vector<uint8_t>& unrelated_rows() const;

  std::string Explain(const DomainCluster& c) const;

 protected:
  Status Compute() override;
  const std::vector<float>& DoAccountScores() const override;
  const std::vector<SignalGroup>& DoGroups() const override;
  std::string DoExplainAccount(AccountIndex account) const override;

 private:
  const Dataset& ds_;
  ContentTargetingOptions options_;
  std::vector<float> scores_, amplification_;
  std::vector<CommentStats> comments_;
  std::vector<DomainCluster> clusters_;
  std::vector<SignalGroup> groups_;
  std::vector<uint8_t> off_topic_, unrelated_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_CONTENT_TARGETING_H_
