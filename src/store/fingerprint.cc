#include "lockstep/store/fingerprint.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "lockstep/signals/posting_rhythm.h"
#include "model/ascii.h"
#include "lockstep/signals/text_normalize.h"

namespace lockstep {
namespace {

uint64_t Mix(uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t HashBytes(std::string_view s) {  // FNV-1a, then mixed
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return Mix(h);
}

// Values used by members and by anyone, per value: kept if distinctive.
template <typename Key, typename Hash = std::hash<Key>>
class UseCounter {
 public:
  void Add(const Key& key, AccountIndex account, bool member) {
    auto& [members, all] = counts_[key];
    if (seen_.insert({HashOf(key), account}).second) {
      ++all;
      if (member) ++members;
    }
  }
  std::vector<Key> Distinctive(double min_share, uint32_t max_outsiders) const {
    std::vector<Key> out;
    for (const auto& [key, c] : counts_)
      if (c.first > 0 && (c.first >= min_share * c.second || c.second - c.first <= max_outsiders)) out.push_back(key);
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  uint64_t HashOf(const Key& key) const { return Mix(Hash{}(key)); }
  struct PairHash {
    size_t operator()(const std::pair<uint64_t, AccountIndex>& p) const {
      return Mix(p.first ^ (uint64_t{p.second} << 32));
    }
  };
  std::unordered_map<Key, std::pair<uint32_t, uint32_t>, Hash> counts_;
  std::unordered_set<std::pair<uint64_t, AccountIndex>, PairHash> seen_;
};

}  // namespace

std::string FoldName(std::string_view name) {
  std::string folded;
  if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    folded = NormalizeText(name);  // non-ASCII: NormalizeText's case folding, spaces dropped
    std::erase(folded, ' ');
  } else {
    folded = internal::AsciiLower(name);
  }
  while (!folded.empty() && std::isdigit(static_cast<unsigned char>(folded.back()))) folded.pop_back();
  return folded;
}

void TextShingles(std::string_view text, std::vector<uint64_t>* out) {
  static const TextNormalizeOptions kOptions;
  std::string normal;
  std::vector<TextToken> tokens;
  NormalizeText(text, kOptions, &normal, &tokens);
  if (tokens.empty()) return;
  if (tokens.size() < 3) {
    out->push_back(HashBytes(normal));
    return;
  }
  for (size_t i = 0; i + 2 < tokens.size(); ++i) {
    const uint32_t begin = tokens[i].begin, end = tokens[i + 2].begin + tokens[i + 2].length;
    out->push_back(HashBytes(std::string_view(normal).substr(begin, end - begin)));
  }
}

Fingerprint BuildFingerprint(const Dataset& ds, std::span<const AccountIndex> members,
                             const FingerprintOptions& options) {
  std::vector<bool> is_member(ds.account_ids.size(), false);
  for (AccountIndex a : members)
    if (a < is_member.size()) is_member[a] = true;
  Fingerprint fp;

  UseCounter<std::string> infra;
  for (const InfraObservation& o : ds.infra)
    infra.Add(fmt::format("{}:{}", Name(o.kind), ds.infra_values.Get(o.value)), o.account, is_member[o.account]);
  fp.infra = infra.Distinctive(options.min_member_share, options.max_outsiders);

  UseCounter<std::string> names;
  UseCounter<uint64_t> images;
  for (AccountIndex a = 0; a < ds.num_accounts(); ++a) {
    const Account& acc = ds.accounts[a];
    for (StringId id : {acc.handle, acc.display_name}) {
      std::string folded = FoldName(ds.String(id));
      if (folded.size() >= 3) names.Add(folded, a, is_member[a]);
    }
    if (acc.has_profile_image_hash) images.Add(acc.profile_image_hash, a, is_member[a]);
  }
  fp.names = names.Distinctive(options.min_member_share, 0);  // names collide by chance: share only
  fp.images = images.Distinctive(options.min_member_share, options.max_outsiders);

  // Domains by link volume: an operation floods its own sites, while
  // ordinary people link to them now and then.
  std::vector<std::pair<uint64_t, uint64_t>> domain_links(ds.domains.size());  // member links, all links
  const Events& ev = ds.events;
  std::vector<uint64_t> member_shingles, scratch;
  for (size_t i = 0; i < ev.size(); ++i) {
    const AccountIndex a = ev.account[i];
    for (uint32_t url : ev.urls.Row(i)) {
      const StringId d = ds.url_domain[url];
      if (d == kNoString) continue;
      domain_links[d].first += is_member[a];
      ++domain_links[d].second;
    }
    if (is_member[a] && (ev.type[i] == EventType::kPost || ev.type[i] == EventType::kComment) && !ev.Text(i).empty())
      TextShingles(ev.Text(i), &member_shingles);
  }
  for (StringId d = 0; d < domain_links.size(); ++d)
    if (domain_links[d].first > 0 && domain_links[d].first >= options.min_member_share * domain_links[d].second)
      fp.domains.emplace_back(ds.domains.Get(d));
  std::sort(fp.domains.begin(), fp.domains.end());

  // Bottom-k sketch of the members' shingles, then drop shingles outsiders
  // also wrote (only those below the threshold need checking).
  std::sort(member_shingles.begin(), member_shingles.end());
  member_shingles.erase(std::unique(member_shingles.begin(), member_shingles.end()), member_shingles.end());
  if (member_shingles.size() > options.sketch_size) {
    member_shingles.resize(options.sketch_size);
    fp.shingle_threshold = member_shingles.back();
  } else {
    fp.shingle_threshold = std::numeric_limits<uint64_t>::max();
  }
  if (!member_shingles.empty()) {
    std::unordered_set<uint64_t> outside;
    for (size_t i = 0; i < ev.size(); ++i) {
      if (is_member[ev.account[i]] || ev.Text(i).empty()) continue;
      scratch.clear();
      TextShingles(ev.Text(i), &scratch);
      for (uint64_t h : scratch)
        if (h <= fp.shingle_threshold) outside.insert(h);
    }
    for (uint64_t h : member_shingles)
      if (!outside.contains(h)) fp.shingles.push_back(h);
  }

  const RhythmProfile rhythm = RhythmOf(ds, members);
  fp.utc_offset = rhythm.utc_offset_hours;
  if (rhythm.events > 0) fp.hour_share = rhythm.local_hour_share;
  return fp;
}

}  // namespace lockstep
