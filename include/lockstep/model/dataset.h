// The in-memory data set of ../shared/FORMAT.md: accounts, events,
// infrastructure, profile changes, follower counts and ads.
//
// Identifiers and repeated strings are interned to dense ids, one Interner per
// role. Account rows come first in the accounts pool, so an AccountIndex below
// accounts.size() is an account of the accounts file; ids at or above it are
// accounts seen only as targets. Events are stored column-wise, sorted by time
// (stable, so file order breaks ties), with text in one arena.
//
// A Dataset is built by a reader (lockstep::ingest) or a snapshot load and is
// immutable afterwards by convention; concurrent reads are safe.
#ifndef LOCKSTEP_MODEL_DATASET_H_
#define LOCKSTEP_MODEL_DATASET_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/interner.h"
#include "lockstep/model/time.h"

namespace lockstep {

using AccountIndex = uint32_t;  // id in Dataset::account_ids
using CountryCode = uint16_t;   // two upper-case letters packed as (c0 << 8) | c1; 0 = unknown
inline constexpr CountryCode kNoCountry = 0;

enum class AccountKind : uint8_t { kAccount = 0, kPage, kGroup, kChannel };
enum class EventType : uint8_t { kPost = 0, kShare, kComment, kLike, kFollow, kJoin };
enum class InfraKind : uint8_t { kIp = 0, kDevice, kCookie, kPhone, kEmailDomain, kUserAgent, kPayment };
enum class ProfileField : uint8_t { kDisplayName = 0, kHandle, kProfileImageHash, kClaimedLocation };

inline constexpr int kEventTypes = 6;
inline constexpr int kInfraKinds = 7;

// Names as FORMAT.md spells them ("post", "ip", "display_name", ...).
std::string_view Name(AccountKind v);
std::string_view Name(EventType v);
std::string_view Name(InfraKind v);
std::string_view Name(ProfileField v);
// Parsers; return false on an unknown name (case-sensitive, FORMAT.md spelling).
bool Parse(std::string_view s, AccountKind* out);
bool Parse(std::string_view s, EventType* out);
bool Parse(std::string_view s, InfraKind* out);
bool Parse(std::string_view s, ProfileField* out);

// "DE" -> packed code; false unless exactly two ASCII letters (case-insensitive).
bool ParseCountry(std::string_view s, CountryCode* out);
std::string CountryName(CountryCode c);  // "DE"; "" for kNoCountry

struct Account {
  StringId platform = kNoString;           // strings
  AccountKind kind = AccountKind::kAccount;
  StringId handle = kNoString;             // strings
  StringId display_name = kNoString;       // strings
  int64_t created_at = kNoTime;
  StringId claimed_location = kNoString;   // strings
  CountryCode country = kNoCountry;
  StringId language = kNoString;           // strings
  int64_t followers = -1;                  // -1 = unknown
  int64_t following = -1;                  // -1 = unknown
  uint64_t profile_image_hash = 0;
  bool has_profile_image_hash = false;
  StringId description = kNoString;        // strings
};

// A column that FORMAT.md does not define, kept as it was given.
struct ExtraAttribute {
  uint32_t row;      // account index or event row
  StringId column;   // strings
  StringId value;    // strings
};

// Compressed sparse rows: items of row i are items[offsets[i] .. offsets[i+1]).
struct ListColumn {
  std::vector<uint32_t> offsets{0};
  std::vector<uint32_t> items;
  std::span<const uint32_t> Row(size_t i) const {
    return {items.data() + offsets[i], items.data() + offsets[i + 1]};
  }
};

struct Events {
  std::vector<int64_t> time;
  std::vector<AccountIndex> account;
  std::vector<EventType> type;
  std::vector<StringId> event_id;        // objects; kNoString if absent
  std::vector<StringId> target_id;       // objects
  std::vector<AccountIndex> target_account;  // account_ids; kNoString if absent
  std::vector<uint64_t> text_offsets{0}; // text of row i: arena[offsets[i], offsets[i+1])
  std::string text_arena;
  ListColumn urls;                       // Dataset::urls
  ListColumn hashtags;                   // Dataset::hashtags
  ListColumn mentions;                   // Dataset::mentions
  std::vector<StringId> language;        // strings
  std::vector<StringId> client;          // strings
  std::vector<CountryCode> target_country;

  size_t size() const { return time.size(); }
  // False for events loaded with LoadOptions::action_columns_only: only
  // time, account, type, event_id and target_id are filled in.
  bool complete() const { return text_offsets.size() == time.size() + 1; }
  std::string_view Text(size_t i) const {
    return std::string_view(text_arena).substr(text_offsets[i], text_offsets[i + 1] - text_offsets[i]);
  }
};

struct InfraObservation {
  AccountIndex account;
  int64_t time = kNoTime;
  InfraKind kind;
  StringId value;             // infra_values
  CountryCode country = kNoCountry;
};

struct ProfileChange {
  AccountIndex account;
  int64_t time;
  ProfileField field;
  StringId old_value = kNoString;  // strings
  StringId new_value = kNoString;  // strings
};

struct FollowerCount {
  AccountIndex account;
  int64_t time;
  int64_t followers;
};

struct AdSpend {
  AccountIndex account;
  int64_t time = kNoTime;
  double spend;
  StringId currency;  // strings
};

class Dataset {
 public:
  // Pools. account_ids: accounts then target-only accounts; objects: event
  // and target ids; urls as posted; domains derived from urls (url_domain);
  // hashtags without '#'; mentions as given; infra_values; strings: the rest.
  Interner account_ids, objects, urls, domains, hashtags, mentions, infra_values, strings;
  std::vector<StringId> url_domain;  // domain of each url id, or kNoString

  std::vector<Account> accounts;
  std::vector<ExtraAttribute> account_extras;
  Events events;
  std::vector<ExtraAttribute> event_extras;
  std::vector<InfraObservation> infra;
  std::vector<ProfileChange> profile_changes;
  std::vector<FollowerCount> follower_counts;
  std::vector<AdSpend> ads;

  size_t num_accounts() const { return accounts.size(); }
  bool IsAccount(AccountIndex a) const { return a < accounts.size(); }
  std::string_view AccountId(AccountIndex a) const { return account_ids.Get(a); }
  std::string_view String(StringId id) const { return id == kNoString ? std::string_view() : strings.Get(id); }

  // Interns a URL and, the first time, its domain (host without "www.";
  // kNoString for a platform's link wrapper, see IsPlatformLinkWrapper).
  StringId InternUrl(std::string_view url) { return InternUrl(url, Interner::HashOf(url)); }
  // The same with hash == Interner::HashOf(url).
  StringId InternUrl(std::string_view url, uint64_t hash);
  // Interns a URL whose domain its source gives (a CooRTweet table names it
  // beside an opaque url id; a merged data set's source already has it):
  // the first time, that domain ("" = none) instead of one read off the url.
  StringId InternUrlOfDomain(std::string_view url, std::string_view domain);
  // A url's domain from its host as UrlHost gives it: kNoString for a
  // platform's link wrapper, which says where a link was posted, not where
  // it goes; every consumer of url_domain then skips it alike.
  StringId InternDomain(std::string_view host);

  // Sorts events by time, stably, permuting every column and event_extras.
  // Readers call it once after loading.
  void SortEventsByTime();

  // Heap bytes held by the events columns, excluding the text arena.
  size_t EventBytesWithoutText() const;
  size_t MemoryBytes() const;
};

// The host of a URL, lower-cased, without "www." and port; "" if none.
std::string UrlHost(std::string_view url);

// Whether `host` (as UrlHost gives it) is a platform's link wrapper, which
// the platform puts in front of every link its users post: t.co (Twitter/X;
// exports such as FiveThirtyEight's IRA tweets keep only the wrapped link),
// lnkd.in (LinkedIn), l.facebook.com and lm.facebook.com (Facebook's link
// shim), l.instagram.com. Such a host says where an account posts, not
// what it links to. A shortener the user picks (bit.ly) is not one.
bool IsPlatformLinkWrapper(std::string_view host);

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_DATASET_H_
