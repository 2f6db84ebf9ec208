#include "lockstep/model/dataset.h"

#include <algorithm>
#include <numeric>

#include "model/ascii.h"

namespace lockstep {

namespace {

// The permuted copy is reserved, not zero-filled first: each of its pages
// is then touched once, by the copy.
template <typename T>
void Permute(std::vector<T>& v, const std::vector<uint32_t>& order) {
  std::vector<T> out;
  out.reserve(v.size());
  for (size_t i = 0; i < order.size(); ++i) out.push_back(v[order[i]]);
  v.swap(out);
}

void PermuteList(ListColumn& list, const std::vector<uint32_t>& order) {
  ListColumn out;
  out.offsets.resize(order.size() + 1);
  out.items.reserve(list.items.size());
  for (size_t i = 0; i < order.size(); ++i) {
    auto row = list.Row(order[i]);
    out.items.insert(out.items.end(), row.begin(), row.end());
    out.offsets[i + 1] = static_cast<uint32_t>(out.items.size());
  }
  list = std::move(out);
}

constexpr std::string_view kAccountKindNames[] = {"account", "page", "group", "channel"};
constexpr std::string_view kEventTypeNames[] = {"post", "share", "comment", "like", "follow", "join"};
constexpr std::string_view kInfraKindNames[] = {"ip",         "device",     "cookie", "phone",
                                                "email_domain", "user_agent", "payment"};
constexpr std::string_view kProfileFieldNames[] = {"display_name", "handle", "profile_image_hash",
                                                   "claimed_location"};

template <typename E, size_t N>
bool ParseEnum(std::string_view s, E* out, const std::string_view (&names)[N]) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) {
      *out = static_cast<E>(i);
      return true;
    }
  return false;
}

}  // namespace

std::string_view Name(AccountKind v) { return kAccountKindNames[static_cast<int>(v)]; }
std::string_view Name(EventType v) { return kEventTypeNames[static_cast<int>(v)]; }
std::string_view Name(InfraKind v) { return kInfraKindNames[static_cast<int>(v)]; }
std::string_view Name(ProfileField v) { return kProfileFieldNames[static_cast<int>(v)]; }
bool Parse(std::string_view s, AccountKind* out) { return ParseEnum(s, out, kAccountKindNames); }
bool Parse(std::string_view s, EventType* out) { return ParseEnum(s, out, kEventTypeNames); }
bool Parse(std::string_view s, InfraKind* out) { return ParseEnum(s, out, kInfraKindNames); }
bool Parse(std::string_view s, ProfileField* out) { return ParseEnum(s, out, kProfileFieldNames); }

bool ParseCountry(std::string_view s, CountryCode* out) {
  if (s.size() != 2) return false;
  char c[2];
  for (int i = 0; i < 2; ++i) {
    char ch = s[i];
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    if (ch < 'A' || ch > 'Z') return false;
    c[i] = ch;
  }
  *out = static_cast<CountryCode>((c[0] << 8) | c[1]);
  return true;
}

std::string CountryName(CountryCode c) {
  if (c == kNoCountry) return "";
  return std::string{static_cast<char>(c >> 8), static_cast<char>(c & 0xff)};
}

namespace {

// The host part of a URL as written: no scheme, user, port or path.
std::string_view RawHost(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string_view host = url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (size_t colon = host.rfind(':'); colon != std::string_view::npos && host.find(']') == std::string_view::npos)
    host = host.substr(0, colon);
  return host;
}

}  // namespace

std::string UrlHost(std::string_view url) {
  std::string out = internal::AsciiLower(RawHost(url));
  if (out.rfind("www.", 0) == 0) out.erase(0, 4);
  return out;
}

bool IsPlatformLinkWrapper(std::string_view host) {
  static constexpr std::string_view kWrappers[] = {"t.co", "lnkd.in", "l.facebook.com", "lm.facebook.com",
                                                   "l.instagram.com"};
  return std::find(std::begin(kWrappers), std::end(kWrappers), host) != std::end(kWrappers);
}

StringId Dataset::InternUrl(std::string_view url, uint64_t hash) {
  const size_t before = urls.size();
  const StringId id = urls.Intern(url, hash);
  if (urls.size() == before) return id;
  // Most hosts are lower-case already: intern them without a copy.
  std::string_view host = RawHost(url);
  if (std::any_of(host.begin(), host.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    url_domain.push_back(InternDomain(UrlHost(url)));
  } else {
    if (host.starts_with("www.")) host.remove_prefix(4);
    url_domain.push_back(InternDomain(host));
  }
  return id;
}

StringId Dataset::InternUrlOfDomain(std::string_view url, std::string_view domain) {
  const size_t before = urls.size();
  const StringId id = urls.Intern(url);
  if (urls.size() != before) url_domain.push_back(domain.empty() ? kNoString : InternDomain(domain));
  return id;
}

StringId Dataset::InternDomain(std::string_view host) {
  return IsPlatformLinkWrapper(host) ? kNoString : domains.Intern(host);
}

void Dataset::SortEventsByTime() {
  Events& e = events;
  const size_t n = e.size();
  if (std::is_sorted(e.time.begin(), e.time.end())) return;
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return e.time[a] < e.time[b]; });
  Permute(e.time, order);
  Permute(e.account, order);
  Permute(e.type, order);
  Permute(e.event_id, order);
  Permute(e.target_id, order);
  Permute(e.target_account, order);
  Permute(e.language, order);
  Permute(e.client, order);
  Permute(e.target_country, order);
  PermuteList(e.urls, order);
  PermuteList(e.hashtags, order);
  PermuteList(e.mentions, order);
  std::string arena;
  arena.reserve(e.text_arena.size());
  std::vector<uint64_t> offsets(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    arena += e.Text(order[i]);
    offsets[i + 1] = arena.size();
  }
  e.text_arena.swap(arena);
  e.text_offsets.swap(offsets);
  std::vector<uint32_t> new_row(n);
  for (size_t i = 0; i < n; ++i) new_row[order[i]] = static_cast<uint32_t>(i);
  for (ExtraAttribute& x : event_extras) x.row = new_row[x.row];
  std::sort(event_extras.begin(), event_extras.end(),
            [](const ExtraAttribute& a, const ExtraAttribute& b) { return a.row < b.row; });
}

size_t Dataset::EventBytesWithoutText() const {
  const Events& e = events;
  auto bytes = [](const auto& v) { return v.size() * sizeof(v[0]); };
  return bytes(e.time) + bytes(e.account) + bytes(e.type) + bytes(e.event_id) + bytes(e.target_id) +
         bytes(e.target_account) + bytes(e.text_offsets) + bytes(e.urls.offsets) + bytes(e.urls.items) +
         bytes(e.hashtags.offsets) + bytes(e.hashtags.items) + bytes(e.mentions.offsets) +
         bytes(e.mentions.items) + bytes(e.language) + bytes(e.client) + bytes(e.target_country);
}

size_t Dataset::MemoryBytes() const {
  size_t total = EventBytesWithoutText() + events.text_arena.size();
  for (const Interner* p : {&account_ids, &objects, &urls, &domains, &hashtags, &mentions, &infra_values, &strings})
    total += p->MemoryBytes();
  total += accounts.size() * sizeof(Account) + infra.size() * sizeof(InfraObservation) +
           profile_changes.size() * sizeof(ProfileChange) + follower_counts.size() * sizeof(FollowerCount) +
           ads.size() * sizeof(AdSpend) + (account_extras.size() + event_extras.size()) * sizeof(ExtraAttribute);
  return total;
}

}  // namespace lockstep
