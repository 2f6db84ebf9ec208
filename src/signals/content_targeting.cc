#include "lockstep/signals/content_targeting.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <unordered_map>

#include <fmt/format.h>
#define XXH_INLINE_ALL  // MinHash hashes every word of every comment 12 times
#include <xxhash.h>

namespace lockstep {

namespace internal {

// Union-find over domain indices.
struct DisjointSets {
  std::vector<uint32_t> parent;
  explicit DisjointSets(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Union(uint32_t a, uint32_t b) { parent[Find(a)] = Find(b); }
};

// Decided as both / (|a| + |b| - both) >= 0.5 would be, i.e. 3 both >=
// |a| + |b|, but without finishing the merge once the words left cannot reach
// it, and without starting it when the sizes alone rule it out.
bool JaccardAtLeastHalf(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  if (a.empty() && b.empty()) return true;
  const size_t need = a.size() + b.size();  // 3 x words in common needed
  if (3 * std::min(a.size(), b.size()) < need) return false;
  size_t i = 0, j = 0, both = 0;
  while (i < a.size() && j < b.size()) {
    if (3 * (both + std::min(a.size() - i, b.size() - j)) < need) return false;
    if (a[i] == b[j]) ++both, ++i, ++j;
    else if (a[i] < b[j]) ++i;
    else ++j;
  }
  return 3 * both >= need;
}

uint64_t WordSignature(std::span<const uint64_t> words) {
  uint64_t signature = 0;
  for (uint64_t w : words) signature |= uint64_t{1} << (w & 63);
  return signature;
}

size_t SignatureMatches(std::span<const uint64_t> words, uint64_t signature) {
  size_t matches = 0;
  for (uint64_t w : words) matches += (signature >> (w & 63)) & 1;
  return matches;
}

template <typename Key>
std::vector<std::pair<Key, uint64_t>> Top(const std::unordered_map<Key, uint64_t>& counts, size_t k) {
  std::vector<std::pair<Key, uint64_t>> v(counts.begin(), counts.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  if (v.size() > k) v.resize(k);
  return v;
}

}  // namespace internal

namespace {

constexpr int kBands = 4, kRows = 3;
constexpr size_t kMaxCandidatesPerBucket = 256;  // near-copy checks per bucket and comment

// ASCII letters and digits (std::isalnum's answer below 0x80 in the C and
// UTF-8 locales, without a call per byte), any byte >= 0x80 (part of a UTF-8
// character), and the apostrophe.
bool WordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '\'';
}

}  // namespace

std::vector<uint64_t> WordSet(std::string_view text) {
  std::vector<uint64_t> out;
  std::string word;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !WordByte(static_cast<unsigned char>(text[i]))) ++i;
    word.clear();
    while (i < text.size() && WordByte(static_cast<unsigned char>(text[i]))) {
      char c = text[i++];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      word += c;
    }
    if (word.size() >= 3) out.push_back(XXH3_64bits(word.data(), word.size()));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double Jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  if (a.empty() && b.empty()) return 1;
  size_t i = 0, j = 0, both = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) ++both, ++i, ++j;
    else if (a[i] < b[j]) ++i;
    else ++j;
  }
  return static_cast<double>(both) / static_cast<double>(a.size() + b.size() - both);
}

Targeting TargetingOf(const Dataset& ds, std::span<const AccountIndex> accounts) {
  std::vector<uint8_t> member(ds.num_accounts(), 0);
  for (AccountIndex a : accounts)
    if (a < member.size()) member[a] = 1;
  Targeting t;
  std::unordered_map<StringId, uint64_t> langs, domains;
  std::unordered_map<CountryCode, uint64_t> targets;
  const Events& ev = ds.events;
  for (size_t i = 0; i < ev.size(); ++i) {
    const AccountIndex a = ev.account[i];
    if (a >= member.size() || !member[a]) continue;
    ++t.events;
    const StringId lang = ev.language[i] != kNoString ? ev.language[i] : ds.accounts[a].language;
    if (lang != kNoString) ++t.with_language, ++langs[lang];
    if (ev.target_country[i] != kNoCountry) ++t.with_target_country, ++targets[ev.target_country[i]];
    for (uint32_t url : ev.urls.Row(i)) {
      ++t.links;
      if (url < ds.url_domain.size() && ds.url_domain[url] != kNoString) ++domains[ds.url_domain[url]];
    }
  }
  for (const auto& [id, n] : internal::Top(langs, 5)) t.languages.emplace_back(std::string(ds.String(id)), n);
  t.target_countries = internal::Top(targets, 5);
  for (const auto& [id, n] : internal::Top(domains, 5)) t.domains.emplace_back(std::string(ds.domains.Get(id)), n);
  return t;
}

std::string Targeting::Describe() const {
  std::string out;
  auto pct = [](uint64_t k, uint64_t n) { return n ? 100.0 * static_cast<double>(k) / static_cast<double>(n) : 0.0; };
  if (!languages.empty()) {
    out += "languages ";
    for (size_t i = 0; i < languages.size() && i < 3; ++i)
      out += fmt::format("{}{} {:.0f}%", i ? ", " : "", languages[i].first, pct(languages[i].second, with_language));
  }
  if (!target_countries.empty()) {
    out += out.empty() ? "aimed at " : "; aimed at ";
    for (size_t i = 0; i < target_countries.size() && i < 3; ++i)
      out += fmt::format("{}{} ({:.0f}% of {} targeted events)", i ? ", " : "", CountryName(target_countries[i].first),
                         pct(target_countries[i].second, with_target_country), with_target_country);
  }
  if (!domains.empty()) {
    out += out.empty() ? "links to " : "; links to ";
    for (size_t i = 0; i < domains.size() && i < 3; ++i)
      out += fmt::format("{}{} ({:.0f}%)", i ? ", " : "", domains[i].first, pct(domains[i].second, links));
  }
  return out.empty() ? fmt::format("{} events without language, target country or links", events) : out;
}

ContentTargetingSignal::ContentTargetingSignal(const Dataset& ds, ContentTargetingOptions options)
    : ds_(ds), options_(options) {}

bool ContentTargetingSignal::Applicable(std::string* why_not) const {
  const Events& ev = ds_.events;
  if (!ev.urls.items.empty() || !ev.text_arena.empty()) return true;
  for (size_t i = 0; i < ev.size(); ++i)
    if (ev.language[i] != kNoString || ev.target_country[i] != kNoCountry) return true;
  if (why_not != nullptr) *why_not = "no links, texts, languages or target countries";
  return false;
}

Status ContentTargetingSignal::Compute() {
  const ContentTargetingOptions& o = options_;
  for (auto [name, v] : {std::pair{"top_domains_share", o.top_domains_share}, {"core_share", o.core_share},
                         {"min_exclusivity", o.min_exclusivity}, {"offtopic_max_similarity", o.offtopic_max_similarity}})
    if (!(v >= 0 && v <= 1)) return Status::InvalidArgument(fmt::format("{} must be in [0, 1], got {}", name, v));
  if (o.top_domains < 1) return Status::InvalidArgument("top_domains must be >= 1, got 0");
  if (o.canned_min_parents < 2)
    return Status::InvalidArgument(fmt::format("canned_min_parents must be >= 2, got {}", o.canned_min_parents));
  const size_t n = ds_.num_accounts();
  const Events& ev = ds_.events;
  scores_.assign(n, 0.0f);
  amplification_.assign(n, 0.0f);
  comments_.assign(n, {});
  clusters_.clear();
  groups_.clear();
  off_topic_.assign(ev.size(), 0);
  unrelated_.assign(ev.size(), 0);

  // 1 and 2. Links: (account, domain) counts.
  const size_t num_domains = ds_.domains.size();
  std::vector<std::pair<uint64_t, uint32_t>> pairs;  // key = account << 32 | domain
  std::vector<uint64_t> links(n, 0);
  {
    std::unordered_map<uint64_t, uint32_t> counts;
    for (size_t i = 0; i < ev.size(); ++i) {
      const AccountIndex a = ev.account[i];
      if (a >= n) continue;
      for (uint32_t url : ev.urls.Row(i)) {
        if (url >= ds_.url_domain.size() || ds_.url_domain[url] == kNoString) continue;
        ++links[a];
        ++counts[(uint64_t{a} << 32) | ds_.url_domain[url]];
      }
    }
    pairs.assign(counts.begin(), counts.end());
    std::sort(pairs.begin(), pairs.end());
  }
  // Amplification: share of an account's links to its top domains.
  for (size_t i = 0; i < pairs.size();) {
    const AccountIndex a = static_cast<AccountIndex>(pairs[i].first >> 32);
    size_t j = i;
    std::vector<uint32_t> c;
    while (j < pairs.size() && (pairs[j].first >> 32) == a) c.push_back(pairs[j++].second);
    if (links[a] >= o.min_links) {
      std::sort(c.rbegin(), c.rend());
      uint64_t top = 0;
      for (size_t k = 0; k < c.size() && k < o.top_domains; ++k) top += c[k];
      const double share = static_cast<double>(top) / static_cast<double>(links[a]);
      amplification_[a] = static_cast<float>(share);
      if (share >= o.top_domains_share) scores_[a] = std::max(scores_[a], static_cast<float>(share) * 0.6f);
    }
    i = j;
  }
  // Domain cores.
  std::vector<std::vector<std::pair<uint32_t, AccountIndex>>> sharers(num_domains);  // (shares, account)
  for (const auto& [key, count] : pairs) sharers[key & 0xffffffffu].push_back({count, static_cast<AccountIndex>(key >> 32)});
  std::vector<std::vector<AccountIndex>> core(num_domains);
  std::vector<uint64_t> shares(num_domains, 0), core_shares(num_domains, 0);
  std::vector<uint32_t> candidates;
  for (uint32_t d = 0; d < num_domains; ++d) {
    auto& s = sharers[d];
    for (const auto& [k, a] : s) shares[d] += k;
    if (shares[d] < o.min_domain_shares) continue;
    std::sort(s.begin(), s.end(), [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
    for (const auto& [k, a] : s) {
      if (static_cast<double>(core_shares[d]) >= o.core_share * static_cast<double>(shares[d])) break;
      core_shares[d] += k;
      core[d].push_back(a);
    }
    std::sort(core[d].begin(), core[d].end());
    candidates.push_back(d);
  }
  // Merge domains whose cores overlap.
  internal::DisjointSets sets(num_domains);
  {
    std::unordered_map<AccountIndex, std::vector<uint32_t>> by_account;
    for (uint32_t d : candidates)
      for (AccountIndex a : core[d]) by_account[a].push_back(d);
    std::unordered_map<uint64_t, uint32_t> overlap;
    for (const auto& [a, ds] : by_account) {
      if (ds.size() > 50) continue;  // a heavy sharer of everything links nothing
      for (size_t x = 0; x < ds.size(); ++x)
        for (size_t y = x + 1; y < ds.size(); ++y) ++overlap[(uint64_t{std::min(ds[x], ds[y])} << 32) | std::max(ds[x], ds[y])];
    }
    for (const auto& [key, k] : overlap) {
      const uint32_t x = static_cast<uint32_t>(key >> 32), y = static_cast<uint32_t>(key & 0xffffffffu);
      if (2 * k >= std::min(core[x].size(), core[y].size())) sets.Union(x, y);
    }
  }
  std::unordered_map<uint32_t, std::vector<uint32_t>> clusters;
  for (uint32_t d : candidates) clusters[sets.Find(d)].push_back(d);
  std::vector<uint32_t> cluster_of(num_domains, UINT32_MAX);
  for (auto& [root, members] : clusters) {
    DomainCluster c;
    std::sort(members.begin(), members.end(), [&](uint32_t x, uint32_t y) { return shares[x] > shares[y]; });
    for (uint32_t d : members) {
      c.domains.push_back(d);
      c.shares += shares[d];
      c.core.insert(c.core.end(), core[d].begin(), core[d].end());
      cluster_of[d] = root;
    }
    std::sort(c.core.begin(), c.core.end());
    c.core.erase(std::unique(c.core.begin(), c.core.end()), c.core.end());
    uint64_t core_links = 0, core_to_cluster = 0;
    std::vector<AccountIndex> all;
    for (uint32_t d : members)
      for (const auto& [k, a] : sharers[d]) {
        all.push_back(a);
        if (std::binary_search(c.core.begin(), c.core.end(), a)) core_to_cluster += k;
      }
    std::sort(all.begin(), all.end());
    c.sharers = static_cast<uint32_t>(std::unique(all.begin(), all.end()) - all.begin());
    for (AccountIndex a : c.core) core_links += links[a];
    c.core_shares = core_to_cluster;
    c.repeat = c.core.empty() ? 0 : static_cast<double>(core_to_cluster) / static_cast<double>(c.core.size());
    c.exclusivity = core_links ? static_cast<double>(core_to_cluster) / static_cast<double>(core_links) : 0;
    if (c.core.size() >= o.min_group_size && c.repeat >= o.min_repeat && c.exclusivity >= o.min_exclusivity)
      clusters_.push_back(std::move(c));
  }
  std::sort(clusters_.begin(), clusters_.end(), [](const DomainCluster& x, const DomainCluster& y) { return x.shares > y.shares; });
  for (const DomainCluster& c : clusters_) {
    const double concentration = static_cast<double>(c.core_shares) / static_cast<double>(std::max<uint64_t>(1, c.shares));
    groups_.push_back({c.core, static_cast<float>(std::min(1.0, concentration * c.exclusivity)), 1.0, Explain(c)});
  }

  // 3. Off-topic comments. The row of each event id with text, the first
  // such row for an id seen twice, indexed by id (ids are dense in the pool).
  constexpr uint32_t kNoRow = UINT32_MAX;
  std::vector<uint32_t> row_of;
  {
    size_t ids = ds_.objects.size();
    for (size_t i = 0; i < ev.size(); ++i)
      if (ev.event_id[i] != kNoString) ids = std::max<size_t>(ids, size_t{ev.event_id[i]} + 1);
    row_of.assign(ids, kNoRow);
  }
  for (size_t i = 0; i < ev.size(); ++i)
    if (ev.event_id[i] != kNoString && ev.text_offsets[i + 1] > ev.text_offsets[i] && row_of[ev.event_id[i]] == kNoRow)
      row_of[ev.event_id[i]] = static_cast<uint32_t>(i);
  // The comments with a parent of enough words: row, parent, and their word
  // sets one after another in `words` (comment c's: words_begin[c] to
  // words_begin[c + 1]).
  struct Comment { uint32_t row; StringId parent; };
  std::vector<Comment> comments;
  std::vector<uint64_t> words;
  std::vector<size_t> words_begin(1, 0);
  auto words_of = [&](uint32_t c) {
    return std::span<const uint64_t>(words.data() + words_begin[c], words_begin[c + 1] - words_begin[c]);
  };
  // A post with many comments has its words taken once: its index into
  // parent_words per row, kNoRow until first needed.
  std::vector<uint32_t> parent_slot;
  std::vector<std::vector<uint64_t>> parent_words;
  for (size_t i = 0; i < ev.size(); ++i) {
    if (ev.type[i] != EventType::kComment || ev.account[i] >= n) continue;
    CommentStats& st = comments_[ev.account[i]];
    ++st.comments;
    const StringId target = ev.target_id[i];
    if (target == kNoString || target >= row_of.size()) continue;
    const uint32_t parent_row = row_of[target];
    if (parent_row == kNoRow) continue;
    const std::vector<uint64_t> own = WordSet(ev.Text(i));
    if (parent_slot.empty()) parent_slot.assign(ev.size(), kNoRow);
    if (parent_slot[parent_row] == kNoRow) {
      parent_slot[parent_row] = static_cast<uint32_t>(parent_words.size());
      parent_words.push_back(WordSet(ev.Text(parent_row)));
    }
    const std::vector<uint64_t>& parent = parent_words[parent_slot[parent_row]];
    if (own.size() < o.min_words || parent.size() < o.min_words) continue;
    ++st.with_parent;
    if (Jaccard(own, parent) < o.offtopic_max_similarity) {
      ++st.unrelated;
      unrelated_[i] = 1;
    }
    comments.push_back({static_cast<uint32_t>(i), target});
    words.insert(words.end(), own.begin(), own.end());
    words_begin.push_back(words.size());
  }
  parent_slot = {};
  parent_words = {};
  // Canned comments: near-copies under distinct parents (MinHash LSH). Each
  // band key's bucket is a run of the (key, comment)-sorted entries, comments
  // ascending; bucket_entries holds them without their keys, with each
  // comment's parent and number of words, so that candidates under a parent
  // already counted or of a size that rules out a near-copy are passed over
  // without touching their words.
  struct BandEntry {
    uint64_t key;
    uint32_t comment;
    StringId parent;
  };
  std::vector<BandEntry> entries;
  entries.reserve(comments.size() * kBands);
  std::vector<std::array<uint64_t, kBands>> keys(comments.size());
  for (uint32_t c = 0; c < comments.size(); ++c) {
    for (int b = 0; b < kBands; ++b) {
      uint64_t key = static_cast<uint64_t>(b);
      for (int r = 0; r < kRows; ++r) {
        uint64_t m = UINT64_MAX;
        const uint64_t seed = static_cast<uint64_t>(b * kRows + r) * 0x9e3779b97f4a7c15ULL + 1;
        for (uint64_t w : words_of(c)) m = std::min(m, XXH3_64bits_withSeed(&w, sizeof w, seed));
        key = XXH3_64bits_withSeed(&m, sizeof m, key);
      }
      keys[c][b] = key;
      entries.push_back({key, c, comments[c].parent});
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const BandEntry& x, const BandEntry& y) { return x.key != y.key ? x.key < y.key : x.comment < y.comment; });
  // signature: bit (w & 63) of each word w. Every word two comments share
  // has its bit in both signatures, so the words of one whose bit is in the
  // other's signature bound the words in common from above.
  struct Candidate {
    uint32_t comment;
    StringId parent;
    uint32_t words;
    uint64_t signature;
  };
  // Each (comment, band)'s bucket, [begin, end) in bucket_entries, found in
  // one pass over the runs of equal keys (a comment whose bands share a key
  // has the same bucket for both).
  std::vector<Candidate> bucket_entries(entries.size());
  std::vector<std::array<std::pair<uint32_t, uint32_t>, kBands>> bucket_of(comments.size());
  for (size_t lo = 0; lo < entries.size();) {
    size_t hi = lo;
    while (hi < entries.size() && entries[hi].key == entries[lo].key) ++hi;
    for (size_t k = lo; k < hi; ++k) {
      const uint32_t c = entries[k].comment;
      bucket_entries[k] = {c, entries[k].parent, static_cast<uint32_t>(words_begin[c + 1] - words_begin[c]),
                           internal::WordSignature(words_of(c))};
      for (int b = 0; b < kBands; ++b)
        if (keys[c][b] == entries[lo].key) bucket_of[c][b] = {static_cast<uint32_t>(lo), static_cast<uint32_t>(hi)};
    }
    lo = hi;
  }
  entries = {};
  keys = {};
  // Distinct parents of verified near-copies, stopping at canned_min_parents:
  // a farm's template fills buckets of thousands, but three parents settle it.
  std::vector<StringId> parents;
  for (uint32_t c = 0; c < comments.size(); ++c) {
    if (!unrelated_[comments[c].row]) continue;
    parents.assign(1, comments[c].parent);
    const std::span<const uint64_t> own = words_of(c);
    for (int b = 0; b < kBands && parents.size() < o.canned_min_parents; ++b) {
      const auto [lo, hi] = bucket_of[c][b];
      const std::span<const Candidate> bucket(bucket_entries.data() + lo, hi - lo);
      if (bucket.size() > 20000) continue;  // a degenerate key: too common to mean a copy
      // A template's copies fill its bucket, so a few hundred candidates
      // settle it; a bucket of unrelated short comments is not searched to the end.
      size_t checked = 0;
      for (const Candidate& e : bucket) {
        if (++checked > kMaxCandidatesPerBucket) break;
        if (std::find(parents.begin(), parents.end(), e.parent) != parents.end()) continue;
        // Jaccard >= 1/2 needs 2 min(|a|, |b|) >= max(|a|, |b|).
        if (2 * std::min<size_t>(own.size(), e.words) < std::max<size_t>(own.size(), e.words) && !(own.empty() && e.words == 0))
          continue;
        // Jaccard >= 1/2 needs 3 x words in common >= |a| + |b|.
        if (3 * internal::SignatureMatches(own, e.signature) < own.size() + e.words) continue;
        if (!internal::JaccardAtLeastHalf(own, words_of(e.comment))) continue;
        parents.push_back(e.parent);
        if (parents.size() >= o.canned_min_parents) break;
      }
    }
    const size_t distinct = parents.size();
    if (distinct >= o.canned_min_parents) {
      off_topic_[comments[c].row] = 1;
      CommentStats& st = comments_[ev.account[comments[c].row]];
      ++st.off_topic;
      if (st.example == kNoString) st.example = ev.event_id[comments[c].row];
    }
  }
  for (size_t a = 0; a < n; ++a) {
    const CommentStats& st = comments_[a];
    if (st.with_parent >= o.min_comments && st.off_topic > 0)
      scores_[a] = std::max(scores_[a], static_cast<float>(st.off_topic) / static_cast<float>(st.with_parent));
  }
  return Status::Ok();
}

const std::vector<float>& ContentTargetingSignal::DoAccountScores() const { return scores_; }
const std::vector<SignalGroup>& ContentTargetingSignal::DoGroups() const { return groups_; }
const std::vector<DomainCluster>& ContentTargetingSignal::concentrated_domains() const {
  AssureFinished();
  return clusters_;
}
const std::vector<CommentStats>& ContentTargetingSignal::comment_stats() const {
  AssureFinished();
  return comments_;
}
const std::vector<float>& ContentTargetingSignal::amplification() const {
  AssureFinished();
  return amplification_;
}
const std::vector<uint8_t>& ContentTargetingSignal::off_topic_rows() const {
  AssureFinished();
  return off_topic_;
}
const std::vector<uint8_t>& ContentTargetingSignal::unrelated_rows() const {
  AssureFinished();
  return unrelated_;
}

std::string ContentTargetingSignal::Explain(const DomainCluster& c) const {
  std::string names;
  for (size_t i = 0; i < c.domains.size() && i < 4; ++i) names += (i ? ", " : "") + std::string(ds_.domains.Get(c.domains[i]));
  if (c.domains.size() > 4) names += fmt::format(" and {} more", c.domains.size() - 4);
  return fmt::format("{}: {:.0f}% of {} shares come from {} of its {} sharers, {:.1f} shares each, who send {:.0f}% of all their links there",
                     names, 100.0 * static_cast<double>(c.core_shares) / static_cast<double>(std::max<uint64_t>(1, c.shares)),
                     c.shares, c.core.size(), c.sharers, c.repeat, 100 * c.exclusivity);
}

std::string ContentTargetingSignal::DoExplainAccount(AccountIndex account) const {
  if (account >= ds_.num_accounts()) return "";
  std::vector<std::string> parts;
  if (amplification_[account] >= options_.top_domains_share) {
    const Targeting t = TargetingOf(ds_, std::span<const AccountIndex>(&account, 1));
    parts.push_back(fmt::format("{:.0f}% of its {} links go to {} domain{}: {}", 100 * amplification_[account], t.links,
                                options_.top_domains, options_.top_domains == 1 ? "" : "s", t.Describe()));
  }
  for (const DomainCluster& c : clusters_)
    if (std::binary_search(c.core.begin(), c.core.end(), account))
      parts.push_back(fmt::format("core sharer of {}", ds_.domains.Get(c.domains[0])));
  const CommentStats& st = comments_[account];
  if (st.off_topic > 0)
    parts.push_back(fmt::format("{} of {} comments are unrelated to the post they answer and reappear under other posts (e.g. {}); "
                                "{} unrelated in all",
                                st.off_topic, st.with_parent, ds_.objects.Get(st.example), st.unrelated));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

}  // namespace lockstep
