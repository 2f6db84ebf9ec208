#include "lockstep/signals/profile_signal.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <utf8proc.h>

#include "lockstep/signals/shared_infrastructure.h"
#include "lockstep/signals/case_fold.h"
#include "signals/pair_map.h"

namespace lockstep {

namespace {

using internal::PairFirst;
using internal::PairKey;
using internal::PairMap;
using internal::PairSecond;

constexpr double kSecondsPerYear = 365.25 * 86400;
constexpr double kSecondsPerMonth = kSecondsPerYear / 12;

struct PairAccumulator {
  float match[3] = {0, 0, 0};  // best strength per MatchKind
  uint32_t items = 0;
};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool ParseHash(std::string_view s, uint64_t* out) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty() || s.size() > 16) return false;
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

}  // namespace

int HammingDistance(uint64_t x, uint64_t y) { return std::popcount(x ^ y); }

std::string NameKey(std::string_view name, bool is_handle) {
  while (!name.empty() && IsBlank(name.front())) name.remove_prefix(1);
  while (!name.empty() && IsBlank(name.back())) name.remove_suffix(1);
  if (is_handle && !name.empty() && name.front() == '@') name.remove_prefix(1);
  return CaseFold(name);
}

bool DeclaresAutomation(std::string_view description) {
  if (description.empty()) return false;
  const std::string text = CaseFold(description);
  for (std::string_view denial : {"not a bot", "not bot", "no bot", "not automated", "human, not", "real person"})
    if (text.find(denial) != std::string::npos) return false;
  static constexpr std::string_view kDeclarations[] = {
      "automated account", "automated by", "i am a bot", "i'm a bot", "im a bot", "this is a bot",
      "this account is a bot", "bot account", "posted by a bot", "run by a bot", "unofficial bot",
      "a bot that", "a bot which", "a bot by", "\xF0\x9F\xA4\x96" /* U+1F916 robot face */};
  for (std::string_view phrase : kDeclarations)
    if (text.find(phrase) != std::string::npos) return true;
  return false;
}

std::string NearNameKey(std::string_view exact_key) {
  while (!exact_key.empty()) {
    const unsigned char c = static_cast<unsigned char>(exact_key.back());
    if (c < 0x80 && (std::isdigit(c) || std::ispunct(c) || IsBlank(static_cast<char>(c))))
      exact_key.remove_suffix(1);
    else
      break;
  }
  return std::string(exact_key);
}

std::vector<std::pair<uint32_t, uint32_t>> NearHashPairs(const std::vector<uint64_t>& hashes, int radius) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  if (radius < 0 || radius > 15 || hashes.size() < 2) return out;
  const int chunks = radius + 1;
  std::vector<int> lo(static_cast<size_t>(chunks) + 1);
  for (int c = 0; c <= chunks; ++c) lo[static_cast<size_t>(c)] = 64 * c / chunks;
  auto chunk = [&](uint64_t h, int c) {
    const int width = lo[static_cast<size_t>(c) + 1] - lo[static_cast<size_t>(c)];
    const uint64_t mask = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    return (h >> lo[static_cast<size_t>(c)]) & mask;
  };
  std::vector<std::pair<uint64_t, uint32_t>> bucket(hashes.size());
  for (int c = 0; c < chunks; ++c) {
    for (uint32_t i = 0; i < hashes.size(); ++i) bucket[i] = {chunk(hashes[i], c), i};
    std::sort(bucket.begin(), bucket.end());
    for (size_t b = 0; b < bucket.size();) {
      size_t e = b;
      while (e < bucket.size() && bucket[e].first == bucket[b].first) ++e;
      for (size_t x = b; x < e; ++x)
        for (size_t y = x + 1; y < e; ++y) {
          const uint64_t hx = hashes[bucket[x].second], hy = hashes[bucket[y].second];
          if (HammingDistance(hx, hy) > radius) continue;
          bool earlier = false;  // reported at the first chunk they agree on
          for (int d = 0; d < c && !earlier; ++d) earlier = chunk(hx, d) == chunk(hy, d);
          if (earlier) continue;
          out.emplace_back(std::min(bucket[x].second, bucket[y].second), std::max(bucket[x].second, bucket[y].second));
        }
      b = e;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

ProfileSignal::ProfileSignal(const Dataset& ds, ProfileOptions options) : ds_(ds), options_(options) {}

bool ProfileSignal::Applicable(std::string* why_not) const {
  if (!ds_.profile_changes.empty()) return true;
  for (const Account& a : ds_.accounts)
    if (a.handle != kNoString || a.display_name != kNoString || a.has_profile_image_hash) return true;
  if (why_not != nullptr) *why_not = "no profile changes, names or profile image hashes";
  return false;
}

Status ProfileSignal::Compute() {
  const ProfileOptions& o = options_;
  if (o.rename_merge_seconds < 0)
    return Status::InvalidArgument(fmt::format("rename_merge_seconds must be >= 0, got {}", o.rename_merge_seconds));
  if (!(o.rename_rate_ref_per_year > 0))
    return Status::InvalidArgument(fmt::format("rename_rate_ref_per_year must be > 0, got {}", o.rename_rate_ref_per_year));
  if (!(o.min_observed_years > 0))
    return Status::InvalidArgument(fmt::format("min_observed_years must be > 0, got {}", o.min_observed_years));
  if (o.max_name_accounts < 2)
    return Status::InvalidArgument(fmt::format("max_name_accounts must be >= 2, got {}", o.max_name_accounts));
  if (o.max_image_accounts < 2)
    return Status::InvalidArgument(fmt::format("max_image_accounts must be >= 2, got {}", o.max_image_accounts));
  if (!(o.name_saturation_accounts > 2))
    return Status::InvalidArgument(fmt::format("name_saturation_accounts must be > 2, got {}", o.name_saturation_accounts));
  if (!(o.image_saturation_accounts > 2))
    return Status::InvalidArgument(
        fmt::format("image_saturation_accounts must be > 2, got {}", o.image_saturation_accounts));
  if (o.min_name_chars < 1) return Status::InvalidArgument("min_name_chars must be >= 1, got 0");
  if (o.image_radius < 0 || o.image_radius > 15)
    return Status::InvalidArgument(fmt::format("image_radius must be in [0, 15] bits, got {}", o.image_radius));
  for (const auto& [name, v] :
       {std::pair{"handle_exact_weight", o.handle_exact_weight}, std::pair{"handle_near_weight", o.handle_near_weight},
        std::pair{"display_exact_weight", o.display_exact_weight},
        std::pair{"display_near_weight", o.display_near_weight}, std::pair{"image_weight", o.image_weight},
        std::pair{"min_edge_strength", o.min_edge_strength}})
    if (!(v >= 0 && v <= 1)) return Status::InvalidArgument(fmt::format("{} must be in [0, 1], got {}", name, v));
  edges_.clear(), images_.clear(), keys_.clear(), key_accounts_.clear();
  common_image_accounts_ = common_names_ = 0;
  const size_t n = ds_.num_accounts();
  renames_.assign(n, {});
  scores_.assign(n, 0);
  account_images_.assign(n, {});
  account_keys_.assign(n, {});
  name_trail_.assign(n, {});

  // 1. Renames.
  int64_t data_end = ds_.events.size() ? ds_.events.time.back() : kNoTime;
  std::vector<const ProfileChange*> name_changes;
  for (const ProfileChange& c : ds_.profile_changes) {
    data_end = std::max(data_end, c.time);
    if (!ds_.IsAccount(c.account)) continue;
    if (c.field != ProfileField::kDisplayName && c.field != ProfileField::kHandle) continue;
    if (c.old_value == c.new_value && c.old_value != kNoString) continue;
    name_changes.push_back(&c);
  }
  std::stable_sort(name_changes.begin(), name_changes.end(), [](const ProfileChange* x, const ProfileChange* y) {
    return x->account != y->account ? x->account < y->account : x->time < y->time;
  });
  std::vector<int64_t> first_seen;  // only if a renamed account has no created_at
  for (size_t i = 0; i < name_changes.size();) {
    const AccountIndex a = name_changes[i]->account;
    size_t j = i;
    int64_t last = kNoTime;
    uint32_t renames = 0;
    for (; j < name_changes.size() && name_changes[j]->account == a; ++j) {
      const ProfileChange& c = *name_changes[j];
      if (last == kNoTime || c.time - last > o.rename_merge_seconds) ++renames;
      last = c.time;
      if (c.field == ProfileField::kDisplayName) {
        auto& trail = name_trail_[a];
        if (trail.empty() && c.old_value != kNoString) trail.emplace_back(ds_.String(c.old_value));
        if (c.new_value != kNoString) trail.emplace_back(ds_.String(c.new_value));
      }
    }
    int64_t from = ds_.accounts[a].created_at;
    if (from == kNoTime) {
      if (first_seen.empty()) {
        first_seen.assign(n, kNoTime);
        for (size_t e = 0; e < ds_.events.size(); ++e) {
          const AccountIndex x = ds_.events.account[e];
          if (x < n && first_seen[x] == kNoTime) first_seen[x] = ds_.events.time[e];
        }
      }
      from = first_seen[a] != kNoTime ? std::min(first_seen[a], name_changes[i]->time) : name_changes[i]->time;
    }
    RenameStats& r = renames_[a];
    r.renames = renames;
    const double seconds = data_end != kNoTime ? static_cast<double>(std::max<int64_t>(0, data_end - from)) : 0;
    r.months_observed = std::max(1.0, seconds / kSecondsPerMonth);
    r.per_month = renames / r.months_observed;
    const double years = std::max(o.min_observed_years, seconds / kSecondsPerYear);
    r.score = static_cast<float>(-std::expm1(-(renames - 1.0) / years / o.rename_rate_ref_per_year));
    scores_[a] = r.score;
    i = j;
  }

  PairMap<PairAccumulator> pairs;

  // 2. Names: interned keys, the accounts of each key, then pairs.
  {
    std::unordered_map<std::string, uint32_t> key_ids;
    std::vector<NameUse> uses;
    auto add = [&](AccountIndex a, StringId name, bool handle) {
      if (name == kNoString) return;
      const std::string exact = NameKey(ds_.String(name), handle);
      const std::string near = NearNameKey(exact);
      if (near.size() < o.min_name_chars) return;
      for (std::string key : {std::string(handle ? "h=" : "d=") + exact, std::string(handle ? "h~" : "d~") + near}) {
        auto [it, fresh] = key_ids.try_emplace(std::move(key), static_cast<uint32_t>(keys_.size()));
        if (fresh) keys_.push_back(it->first);
        uses.push_back({it->second, a});
      }
    };
    for (AccountIndex a = 0; a < n; ++a) {
      add(a, ds_.accounts[a].handle, true);
      add(a, ds_.accounts[a].display_name, false);
    }
    for (const ProfileChange& c : ds_.profile_changes) {
      if (!ds_.IsAccount(c.account)) continue;
      if (c.field != ProfileField::kDisplayName && c.field != ProfileField::kHandle) continue;
      add(c.account, c.old_value, c.field == ProfileField::kHandle);
      add(c.account, c.new_value, c.field == ProfileField::kHandle);
    }
    std::sort(uses.begin(), uses.end(),
              [](const NameUse& x, const NameUse& y) { return x.key != y.key ? x.key < y.key : x.account < y.account; });
    uses.erase(std::unique(uses.begin(), uses.end(),
                           [](const NameUse& x, const NameUse& y) { return x.key == y.key && x.account == y.account; }),
               uses.end());
    key_accounts_.assign(keys_.size(), 0);
    for (const NameUse& u : uses) {
      ++key_accounts_[u.key];
      account_keys_[u.account].push_back(u.key);
    }
    for (auto& k : account_keys_) std::sort(k.begin(), k.end());
    for (size_t i = 0; i < uses.size();) {
      size_t j = i;
      while (j < uses.size() && uses[j].key == uses[i].key) ++j;
      const uint32_t k = static_cast<uint32_t>(j - i);
      if (k > o.max_name_accounts) {
        ++common_names_;
      } else if (k >= 2) {
        const std::string& key = keys_[uses[i].key];
        const bool handle = key[0] == 'h', exact = key[1] == '=';
        const double weight = handle ? (exact ? o.handle_exact_weight : o.handle_near_weight)
                                     : (exact ? o.display_exact_weight : o.display_near_weight);
        const float s = static_cast<float>(weight * InfrastructureRarity(k, o.name_saturation_accounts));
        const int kind = handle ? kHandle : kDisplay;
        if (s > 0)
          for (size_t x = i; x < j; ++x)
            for (size_t y = x + 1; y < j; ++y) {
              PairAccumulator& acc = pairs.Get(PairKey(uses[x].account, uses[y].account));
              acc.match[kind] = std::max(acc.match[kind], s);
              ++acc.items;
            }
      }
      i = j;
    }
  }

  // 3. Images.
  {
    std::vector<std::pair<uint64_t, AccountIndex>> uses;
    for (AccountIndex a = 0; a < n; ++a)
      if (ds_.accounts[a].has_profile_image_hash) uses.emplace_back(ds_.accounts[a].profile_image_hash, a);
    for (const ProfileChange& c : ds_.profile_changes) {
      if (!ds_.IsAccount(c.account) || c.field != ProfileField::kProfileImageHash) continue;
      uint64_t h;
      if (c.old_value != kNoString && ParseHash(ds_.String(c.old_value), &h)) uses.emplace_back(h, c.account);
      if (c.new_value != kNoString && ParseHash(ds_.String(c.new_value), &h)) uses.emplace_back(h, c.account);
    }
    std::sort(uses.begin(), uses.end());
    uses.erase(std::unique(uses.begin(), uses.end()), uses.end());
    std::vector<uint64_t> hashes;
    std::vector<uint32_t> offsets;  // CSR: accounts of hash i = uses[offsets[i] .. offsets[i + 1])
    for (size_t i = 0; i < uses.size(); ++i)
      if (i == 0 || uses[i].first != uses[i - 1].first) {
        hashes.push_back(uses[i].first);
        offsets.push_back(static_cast<uint32_t>(i));
      }
    offsets.push_back(static_cast<uint32_t>(uses.size()));
    const auto near = NearHashPairs(hashes, o.image_radius);
    std::vector<uint32_t> cluster(hashes.size());
    for (size_t i = 0; i < hashes.size(); ++i) cluster[i] = offsets[i + 1] - offsets[i];
    for (const auto& [i, j] : near) {
      cluster[i] += offsets[j + 1] - offsets[j];
      cluster[j] += offsets[i + 1] - offsets[i];
    }
    images_.resize(hashes.size());
    for (uint32_t i = 0; i < hashes.size(); ++i) {
      images_[i] = {hashes[i], cluster[i], cluster[i] > o.max_image_accounts};
      if (images_[i].common) common_image_accounts_ += offsets[i + 1] - offsets[i];
      for (uint32_t u = offsets[i]; u < offsets[i + 1]; ++u) account_images_[uses[u].second].push_back(i);
    }
    auto link = [&](AccountIndex a, AccountIndex b, float s) {
      if (a == b) return;
      PairAccumulator& acc = pairs.Get(a < b ? PairKey(a, b) : PairKey(b, a));
      acc.match[kImage] = std::max(acc.match[kImage], s);
      ++acc.items;
    };
    for (uint32_t i = 0; i < hashes.size(); ++i) {
      if (images_[i].common) continue;
      const float s = static_cast<float>(o.image_weight * InfrastructureRarity(cluster[i], o.image_saturation_accounts));
      for (uint32_t x = offsets[i]; x < offsets[i + 1]; ++x)
        for (uint32_t y = x + 1; y < offsets[i + 1]; ++y) link(uses[x].second, uses[y].second, s);
    }
    for (const auto& [i, j] : near) {
      if (images_[i].common || images_[j].common) continue;
      const double taper = o.image_radius == 0 ? 1 : 1 - 0.25 * HammingDistance(hashes[i], hashes[j]) / o.image_radius;
      const float s = static_cast<float>(o.image_weight * taper *
                                         InfrastructureRarity(std::max(cluster[i], cluster[j]), o.image_saturation_accounts));
      for (uint32_t x = offsets[i]; x < offsets[i + 1]; ++x)
        for (uint32_t y = offsets[j]; y < offsets[j + 1]; ++y) link(uses[x].second, uses[y].second, s);
    }
  }

  // Edges: noisy-OR over the kinds of match.
  auto& entries = pairs.entries();
  std::sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [key, acc] : entries) {
    const double miss = (1.0 - acc.match[0]) * (1.0 - acc.match[1]) * (1.0 - acc.match[2]);
    const float strength = static_cast<float>(1 - miss);
    if (strength <= 0 || strength < o.min_edge_strength) continue;
    edges_.push_back({PairFirst(key), PairSecond(key), static_cast<float>(acc.items), strength});
  }
  return Status::Ok();
}

const std::vector<SignalEdge>& ProfileSignal::DoEdges() const { return edges_; }
const std::vector<float>& ProfileSignal::DoAccountScores() const { return scores_; }
const std::vector<RenameStats>& ProfileSignal::renames() const {
  AssureFinished();
  return renames_;
}
const std::vector<ProfileImage>& ProfileSignal::images() const {
  AssureFinished();
  return images_;
}

std::string ProfileSignal::DoExplainEdge(const SignalEdge& edge) const {
  if (!ds_.IsAccount(edge.a) || !ds_.IsAccount(edge.b)) return "";
  std::vector<std::string> parts;
  for (uint32_t i : account_images_[edge.a])
    for (uint32_t j : account_images_[edge.b]) {
      if (images_[i].common || images_[j].common) continue;
      const int d = HammingDistance(images_[i].hash, images_[j].hash);
      if (d > options_.image_radius) continue;
      parts.push_back(d == 0 ? fmt::format("the same profile image {:016x} ({} accounts use it or a near copy)",
                                           images_[i].hash, std::max(images_[i].accounts, images_[j].accounts))
                             : fmt::format("near-identical profile images {:016x} and {:016x} (Hamming distance {}; {} "
                                           "accounts use them or a near copy)",
                                           images_[i].hash, images_[j].hash, d,
                                           std::max(images_[i].accounts, images_[j].accounts)));
    }
  const auto& ka = account_keys_[edge.a];
  const auto& kb = account_keys_[edge.b];
  std::vector<uint32_t> common;
  std::set_intersection(ka.begin(), ka.end(), kb.begin(), kb.end(), std::back_inserter(common));
  for (uint32_t k : common) {
    if (key_accounts_[k] > options_.max_name_accounts) continue;
    const std::string& key = keys_[k];
    const bool handle = key[0] == 'h', exact = key[1] == '=';
    if (!exact) {  // a near match is news only without the exact one
      bool has_exact = false;
      for (uint32_t e : common) has_exact = has_exact || (keys_[e][0] == key[0] && keys_[e][1] == '=' && NearNameKey(keys_[e].substr(2)) == key.substr(2));
      if (has_exact) continue;
    }
    parts.push_back(fmt::format("{} {} '{}' ({} accounts{})", exact ? "the same" : "near-identical",
                                handle ? "handle" : "display name", key.substr(2), key_accounts_[k],
                                exact ? "" : " after stripping trailing digits and punctuation"));
  }
  if (parts.empty()) return fmt::format("{} and {} share no profile features", ds_.AccountId(edge.a), ds_.AccountId(edge.b));
  return fmt::format("{} and {} share {}; strength {:.2f}", ds_.AccountId(edge.a), ds_.AccountId(edge.b),
                     fmt::join(parts, "; "), edge.strength);
}

std::string ProfileSignal::DoExplainAccount(AccountIndex account) const {
  if (!ds_.IsAccount(account)) return "";
  const RenameStats& r = renames_[account];
  std::string out;
  if (r.renames == 0) {
    out = fmt::format("{} was never renamed", ds_.AccountId(account));
  } else {
    out = fmt::format("{} was renamed {} time{} in {:.0f} months ({:.2f} per month)", ds_.AccountId(account), r.renames,
                      r.renames == 1 ? "" : "s", r.months_observed, r.per_month);
    const auto& trail = name_trail_[account];
    if (!trail.empty()) {
      std::vector<std::string> shown;
      for (size_t i = 0; i < trail.size() && i < 6; ++i) shown.push_back("'" + trail[i] + "'");
      if (trail.size() > 6) shown.push_back("...");
      out += ": " + fmt::format("{}", fmt::join(shown, " -> "));
    }
    out += fmt::format("; rename score {:.2f}", r.score);
  }
  for (uint32_t i : account_images_[account])
    if (images_[i].common)
      out += fmt::format("; profile image {:016x} is common ({} accounts, discounted)", images_[i].hash, images_[i].accounts);
    else if (images_[i].accounts > 1)
      out += fmt::format("; profile image {:016x} is shared by {} accounts", images_[i].hash, images_[i].accounts);
  return out;
}

}  // namespace lockstep
