// Object keys: what co-acting accounts act on. Each co-action signal groups
// actions by one kind of key (the shared post, the normalised URL, the
// domain, the hashtag, the reply target, the mentioned account, or a
// near-duplicate text cluster) and this file turns a Dataset's events into
// (key, time, account, event) actions for that kind.
#ifndef LOCKSTEP_SIGNALS_OBJECT_KEYS_H_
#define LOCKSTEP_SIGNALS_OBJECT_KEYS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"

namespace lockstep {

enum class ObjectKeyKind : uint8_t {
  kShare = 0,  // target_id of `share` events: the shared or retweeted post; a
               // share without target_id but with text: its normalised text
  kLink,       // each URL of an event, normalised (NormalizeUrl)
  kDomain,     // each URL's domain
  kHashtag,    // each hashtag, case-folded (ASCII)
  kReply,      // target_id of `comment` events: the post replied to
  kMention,    // each mentioned account or handle
  kText,       // the near-duplicate text cluster of the event's text
  kLike,       // target_id of `like` events: the post liked (bought engagement)
};

// "co-share", "co-link", ..., "co-like" as on the command line; Parse accepts the same.
std::string_view SignalName(ObjectKeyKind kind);
bool ParseSignalName(std::string_view name, ObjectKeyKind* out);
// Whether the kind's key is an event's target_id (co-share, co-reply,
// co-like): its keys read no event columns but the action columns of
// LoadOptions::action_columns_only.
inline bool KeyedOnTarget(ObjectKeyKind kind) {
  return kind == ObjectKeyKind::kShare || kind == ObjectKeyKind::kReply || kind == ObjectKeyKind::kLike;
}

// A URL as a key: scheme, "www.", tracking parameters (utm_*, fbclid,
// gclid, igshid, mc_cid, mc_eid, ...), the fragment and a trailing slash
// removed; the host lower-cased. Shortener links (bit.ly/x) keep their path,
// so two different short links stay two keys.
std::string NormalizeUrl(std::string_view url);

// One action on one key. Actions come out sorted by (key, time, event).
struct Action {
  uint32_t key;
  uint32_t event;        // row in Dataset::events
  int64_t time;
  AccountIndex account;
};

// Keys are numbered 0..num_keys()-1, only keys somebody acted on.
// Holds a pointer to the Dataset, which must outlive it.
struct ObjectKeys {
  ObjectKeyKind kind = ObjectKeyKind::kShare;
  const Dataset* dataset = nullptr;
  std::vector<Action> actions;       // grouped by key, each group sorted by time
  std::vector<uint64_t> key_offsets{0};  // actions of key k: [key_offsets[k], key_offsets[k+1])
  std::vector<uint32_t> key_source;  // per key: its id in the pool it came from
  Interner normalized;               // kLink, kHashtag, kShare by text: the normalised strings
  size_t num_keys() const { return key_offsets.size() - 1; }
  // A readable name: the post id, the normalised URL, "#tag", "cluster 12", ...
  std::string KeyName(size_t k) const;
  std::span<const Action> Key(size_t k) const {
    return {actions.data() + key_offsets[k], actions.data() + key_offsets[k + 1]};
  }
};

// Extracts the actions of `kind` from `ds`. For kShare, a share with no
// target_id (an export with a retweet flag but no retweeted id, as
// FiveThirtyEight's IRA tweets) is keyed by its text normalised with
// NormalizeText (text_normalize.h: "RT @x:", URLs, mentions, case and
// accents removed), so two retweets of one post still co-share; its key
// comes after every target id's, and KeyName() gives `shared text "..."`.
// A share with neither target nor text is no action. For kText, `text_cluster` gives
// each event's cluster id (UINT32_MAX = none) and must have one entry per
// event. An event contributes at most one action per key (a URL posted twice
// in one post counts once), and rows repeating one message (same event_id,
// account and time) are one action, as the CooRTweet and QUT peers count them.
// Grouping is a stable LSD radix sort on the key (digits of at most 12
// bits, so 2 passes for pools below 16.7M ids), O(events), which keeps each
// group in time order because the Dataset's events are. `threads` (>= 1)
// worker threads share each pass (data sets under 65536 events use one);
// the result does not depend on it. Memory: two arrays of 24-byte actions
// while sorting, one after.
Result<ObjectKeys> ExtractObjectKeys(const Dataset& ds, ObjectKeyKind kind,
                                     const std::vector<uint32_t>* text_cluster = nullptr, int threads = 2);

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_OBJECT_KEYS_H_
