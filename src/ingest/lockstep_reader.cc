#include "lockstep/ingest/lockstep_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "lockstep/ingest/field_parsers.h"
#include "lockstep/ingest/table_reader.h"
#include "ingest/reader_support.h"

namespace lockstep {

namespace {

// Whether a directory entry of this name exists, whatever it is (a
// dangling link too).
bool EntryExists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

// Why the entry at `path` cannot be read as a table file ("" if it can).
std::string WhyNotAFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ELOOP) return fmt::format("{}: a loop of symbolic links; point it at the file", path);
    if (err == ENOENT) return fmt::format("{}: a symbolic link to nothing (dangling); point it at the file", path);
    return fmt::format("{}: cannot be read: {}", path, std::strerror(err));
  }
  if (S_ISREG(st.st_mode)) return "";
  if (S_ISDIR(st.st_mode)) return fmt::format("{}: a directory, not a file", path);
  if (S_ISFIFO(st.st_mode)) return fmt::format("{}: a FIFO (named pipe), not a regular file", path);
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return fmt::format("{}: a device, not a regular file", path);
  if (S_ISSOCK(st.st_mode)) return fmt::format("{}: a socket, not a regular file", path);
  return fmt::format("{}: not a regular file", path);
}

using internal::FieldReader;

class DirectoryLoader {
 public:
  DirectoryLoader(const std::string& dir, const LoadOptions& options, ErrorSink* sink, LoadReport* report)
      : dir_(dir), options_(options), sink_(sink), report_(report) {}

  Status Run(Dataset* ds);

 private:
  std::string dir_;
  const LoadOptions& options_;
  ErrorSink* sink_;
  LoadReport* report_;
};

// Sizes the event columns and the id and url pools for the whole events file
// once its first rows show how long a row is, so that they do not regrow
// (and rehash) along the way. `stream_offset` is where the current row
// starts in the (decompressed) stream; for a compressed file the estimate is
// low by the compression ratio, which only means less is reserved.
void ReserveForEvents(const TableReader& reader, uint64_t stream_offset, Dataset* ds) {
  if (stream_offset == 0) return;
  const double scale = static_cast<double>(reader.file_size()) / static_cast<double>(stream_offset) * 1.05;
  const size_t rows = static_cast<size_t>(static_cast<double>(reader.rows_read()) * scale);
  Events& ev = ds->events;
  // The text arena and the list items grow by doubling otherwise, copying
  // everything so far each time: the arena alone is half of a typical file.
  auto scaled = [scale](size_t so_far) { return static_cast<size_t>(static_cast<double>(so_far) * scale); };
  ev.text_arena.reserve(scaled(ev.text_arena.size()));
  for (ListColumn* l : {&ev.urls, &ev.hashtags, &ev.mentions}) l->items.reserve(scaled(l->items.size()));
  for (auto* v : {&ev.account, &ev.event_id, &ev.target_id, &ev.target_account, &ev.language, &ev.client})
    v->reserve(rows);
  ev.time.reserve(rows);
  ev.type.reserve(rows);
  ev.target_country.reserve(rows);
  ev.text_offsets.reserve(rows + 1);
  for (ListColumn* l : {&ev.urls, &ev.hashtags, &ev.mentions}) l->offsets.reserve(rows + 1);
  // Event ids and target ids share the objects pool: up to two new ids a
  // row, so the pools are sized by what the first rows added, not by rows
  // (a table sized for one id a row was rebuilt, all of it, half-way).
  ds->objects.Reserve(std::max(rows, scaled(ds->objects.size())));
  ds->urls.Reserve(scaled(ds->urls.size()));
}

Status DirectoryLoader::Run(Dataset* ds) {
  struct stat st {};
  if (::stat(dir_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Status::IoError(fmt::format("{}: not a directory (a lockstep data set is a directory, see FORMAT.md)", dir_));
  static const char* kTables[] = {"accounts", "events", "infra", "profile_changes", "follower_counts", "ads"};
  std::string paths[6];
  for (int t = 0; t < 6; ++t) {
    std::string error;
    paths[t] = FindTableFile(dir_, kTables[t], &error);
    if (!error.empty()) return Status::InputError(error);
    if (t < 2 && paths[t].empty())
      return Status::IoError(fmt::format("{0}: no {1} file ({0}/{1}.csv or .jsonl, optionally .gz or .zst); it is required",
                                         dir_, kTables[t]));
  }
  internal::TableLoop loop(options_, sink_, report_, std::vector<std::string>(std::begin(paths), std::end(paths)));

  // accounts
  {
    enum { kId, kPlatform, kKind, kHandle, kName, kCreated, kLocation, kCountry, kLanguage, kFollowers, kFollowing, kImage, kDescription };
    const std::vector<std::string> fields{"account_id", "platform", "kind", "handle", "display_name", "created_at", "claimed_location",
                          "country", "language", "followers", "following", "profile_image_hash", "description"};
    const std::vector<size_t> required{kId};
    const char* table = "accounts";
    auto handle = [&](FieldReader& p) {
      Account a;
      std::string_view id = p.Required(kId);
      a.kind = p.Enum(kKind, AccountKind::kAccount, false, "account, page, group, channel");
      a.created_at = p.Time(kCreated, false);
      a.country = p.Country(kCountry);
      a.followers = p.Count(kFollowers, -1);
      a.following = p.Count(kFollowing, -1);
      a.has_profile_image_hash = p.Hash64(kImage, &a.profile_image_hash);
      if (!p.ok()) return false;
      if (ds->account_ids.Find(id) != kNoString) {
        p.Fail(InputErrorKind::kDuplicateId, kId, fmt::format("account_id '{}' appears twice", id.substr(0, 80)),
               "keep one row per account");
        return false;
      }
      ds->account_ids.Intern(id);
      auto str = [&](size_t f) { return p.Get(f).empty() ? kNoString : ds->strings.Intern(p.Get(f)); };
      a.platform = str(kPlatform);
      a.handle = str(kHandle);
      a.display_name = str(kName);
      a.claimed_location = str(kLocation);
      a.language = str(kLanguage);
      a.description = str(kDescription);
      const uint32_t index = static_cast<uint32_t>(ds->accounts.size());
      ds->accounts.push_back(a);
      for (const auto& [column, value] : p.row().extras)
        ds->account_extras.push_back({index, ds->strings.Intern(column), ds->strings.Intern(value)});
      return true;
    };
    if (!loop.Run(paths[0], fields, required, table, handle)) return Status::InputError("stopped");
  }

  // events
  {
    enum { kEventId, kAccount, kTime, kType, kTarget, kTargetAccount, kText, kUrls, kHashtags, kMentions, kLanguage, kClient, kTargetCountry };
    const std::vector<std::string> fields{"event_id", "account_id", "time", "type", "target_id", "target_account_id", "text", "urls",
                          "hashtags", "mentions", "language", "client", "target_country"};
    const std::vector<size_t> required{kAccount, kTime, kType};
    const char* table = "events";
    constexpr size_t kReserveAfter = 4096;
    bool reserved = false;
    std::vector<uint8_t> is_event_id;
    std::vector<std::string_view> urls, hashtags, mentions;
    std::vector<uint64_t> url_hashes, hashtag_hashes, mention_hashes;
    Events& ev = ds->events;
    // Hashes a list's items (without a hashtag's '#') and starts loading
    // their slots; `items` keeps the stripped views.
    auto hash_list = [](std::vector<std::string_view>& items, std::vector<uint64_t>& hashes, const Interner& pool,
                        bool strip_hash) {
      hashes.clear();
      for (std::string_view& item : items) {
        if (strip_hash && !item.empty() && item.front() == '#') item.remove_prefix(1);
        hashes.push_back(Interner::HashOf(item));
        pool.Prefetch(hashes.back());
      }
    };
    auto push_list = [](ListColumn& col, const std::vector<std::string_view>& items,
                        const std::vector<uint64_t>& hashes, Interner& pool) {
      for (size_t i = 0; i < items.size(); ++i) col.items.push_back(pool.Intern(items[i], hashes[i]));
      col.offsets.push_back(static_cast<uint32_t>(col.items.size()));
    };
    auto handle = [&](FieldReader& p) {
      if (!reserved && ev.size() == kReserveAfter) {
        ReserveForEvents(p.reader(), p.row().byte_offset, ds);
        reserved = true;
      }
      // Every string of the row is looked up in a hash table, and the tables
      // of ids and urls are far larger than the caches: hash every one first
      // and start loading its slot, so that the misses overlap each other
      // and the parsing below instead of following one another.
      const std::string_view event_id_text = p.Get(kEventId), target_text = p.Get(kTarget);
      const std::string_view target_account_text = p.Get(kTargetAccount);
      const std::string_view language_text = p.Get(kLanguage), client_text = p.Get(kClient);
      const uint64_t account_hash = Interner::HashOf(p.Get(kAccount));
      const uint64_t event_id_hash = Interner::HashOf(event_id_text);
      const uint64_t target_hash = Interner::HashOf(target_text);
      const uint64_t target_account_hash = Interner::HashOf(target_account_text);
      ds->account_ids.Prefetch(account_hash);
      if (!event_id_text.empty()) ds->objects.Prefetch(event_id_hash);
      if (!target_text.empty()) ds->objects.Prefetch(target_hash);
      if (!target_account_text.empty()) ds->account_ids.Prefetch(target_account_hash);
      const uint64_t language_hash = language_text.empty() ? 0 : Interner::HashOf(language_text);
      const uint64_t client_hash = client_text.empty() ? 0 : Interner::HashOf(client_text);
      urls.clear();
      hashtags.clear();
      mentions.clear();
      p.List(kUrls, &urls);
      hash_list(urls, url_hashes, ds->urls, false);
      // The slots above have had time to arrive: start loading the strings
      // they point at, which a hit compares (an account always hits).
      ds->account_ids.PrefetchEntry(account_hash);
      if (!target_text.empty()) ds->objects.PrefetchEntry(target_hash);
      if (!target_account_text.empty()) ds->account_ids.PrefetchEntry(target_account_hash);
      const AccountIndex account = p.Account(kAccount, *ds, account_hash);
      const int64_t time = p.Time(kTime, true);
      const EventType type = p.Enum(kType, EventType::kPost, true, "post, share, comment, like, follow, join");
      const CountryCode target_country = p.Country(kTargetCountry);
      p.List(kHashtags, &hashtags);
      p.List(kMentions, &mentions);
      if (!p.ok()) return false;
      hash_list(hashtags, hashtag_hashes, ds->hashtags, true);
      hash_list(mentions, mention_hashes, ds->mentions, false);
      StringId event_id = kNoString;
      if (!event_id_text.empty()) {
        event_id = ds->objects.Intern(event_id_text, event_id_hash);
        if (is_event_id.size() <= event_id) is_event_id.resize(ds->objects.size() * 2, 0);
        if (is_event_id[event_id]) {
          p.Fail(InputErrorKind::kDuplicateId, kEventId,
                 fmt::format("event_id '{}' appears twice", p.Get(kEventId).substr(0, 80)), "keep one row per event");
          return false;
        }
        is_event_id[event_id] = 1;
      }
      ev.time.push_back(time);
      ev.account.push_back(account);
      ev.type.push_back(type);
      ev.event_id.push_back(event_id);
      ev.target_id.push_back(target_text.empty() ? kNoString : ds->objects.Intern(target_text, target_hash));
      ev.target_account.push_back(target_account_text.empty()
                                      ? kNoString
                                      : ds->account_ids.Intern(target_account_text, target_account_hash));
      ev.text_arena += p.Get(kText);
      ev.text_offsets.push_back(ev.text_arena.size());
      for (size_t i = 0; i < urls.size(); ++i) ev.urls.items.push_back(ds->InternUrl(urls[i], url_hashes[i]));
      ev.urls.offsets.push_back(static_cast<uint32_t>(ev.urls.items.size()));
      push_list(ev.hashtags, hashtags, hashtag_hashes, ds->hashtags);
      push_list(ev.mentions, mentions, mention_hashes, ds->mentions);
      ev.language.push_back(language_text.empty() ? kNoString : ds->strings.Intern(language_text, language_hash));
      ev.client.push_back(client_text.empty() ? kNoString : ds->strings.Intern(client_text, client_hash));
      ev.target_country.push_back(target_country);
      const uint32_t row = static_cast<uint32_t>(ev.size() - 1);
      for (const auto& [column, value] : p.row().extras)
        ds->event_extras.push_back({row, ds->strings.Intern(column), ds->strings.Intern(value)});
      return true;
    };
    if (!loop.Run(paths[1], fields, required, table, handle)) return Status::InputError("stopped");
  }

  // infra
  if (!paths[2].empty()) {
    enum { kAccount, kTime, kKind, kValue, kCountry };
    const std::vector<std::string> fields{"account_id", "time", "kind", "value", "country"};
    const std::vector<size_t> required{kAccount, kKind, kValue};
    const char* table = "infra";
    auto handle = [&](FieldReader& p) {
      InfraObservation o;
      o.account = p.Account(kAccount, *ds);
      o.time = p.Time(kTime, false);
      o.kind = p.Enum(kKind, InfraKind::kIp, true, "ip, device, cookie, phone, email_domain, user_agent, payment");
      std::string_view value = p.Required(kValue);
      o.country = p.Country(kCountry);
      if (!p.ok()) return false;
      o.value = ds->infra_values.Intern(value);
      ds->infra.push_back(o);
      return true;
    };
    if (!loop.Run(paths[2], fields, required, table, handle)) return Status::InputError("stopped");
  }

  // profile_changes
  if (!paths[3].empty()) {
    enum { kAccount, kTime, kField, kOld, kNew };
    const std::vector<std::string> fields{"account_id", "time", "field", "old", "new"};
    const std::vector<size_t> required{kAccount, kTime, kField};
    const char* table = "profile_changes";
    auto handle = [&](FieldReader& p) {
      ProfileChange c;
      c.account = p.Account(kAccount, *ds);
      c.time = p.Time(kTime, true);
      c.field = p.Enum(kField, ProfileField::kDisplayName, true,
                       "display_name, handle, profile_image_hash, claimed_location");
      if (!p.ok()) return false;
      c.old_value = p.Get(kOld).empty() ? kNoString : ds->strings.Intern(p.Get(kOld));
      c.new_value = p.Get(kNew).empty() ? kNoString : ds->strings.Intern(p.Get(kNew));
      ds->profile_changes.push_back(c);
      return true;
    };
    if (!loop.Run(paths[3], fields, required, table, handle)) return Status::InputError("stopped");
  }

  // follower_counts
  if (!paths[4].empty()) {
    enum { kAccount, kTime, kFollowers };
    const std::vector<std::string> fields{"account_id", "time", "followers"};
    const std::vector<size_t> required{kAccount, kTime, kFollowers};
    const char* table = "follower_counts";
    auto handle = [&](FieldReader& p) {
      FollowerCount c;
      c.account = p.Account(kAccount, *ds);
      c.time = p.Time(kTime, true);
      p.Required(kFollowers);
      c.followers = p.Count(kFollowers, 0);
      if (!p.ok()) return false;
      ds->follower_counts.push_back(c);
      return true;
    };
    if (!loop.Run(paths[4], fields, required, table, handle)) return Status::InputError("stopped");
  }

  // ads
  if (!paths[5].empty()) {
    enum { kAccount, kTime, kSpend, kCurrency };
    const std::vector<std::string> fields{"account_id", "time", "spend", "currency"};
    const std::vector<size_t> required{kAccount, kSpend, kCurrency};
    const char* table = "ads";
    auto handle = [&](FieldReader& p) {
      AdSpend a;
      a.account = p.Account(kAccount, *ds);
      a.time = p.Time(kTime, false);
      a.spend = p.Amount(kSpend);
      std::string_view currency = p.Required(kCurrency);
      if (p.ok() && (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(), [](char c) {
                       return c >= 'A' && c <= 'Z';
                     })))
        p.Fail(InputErrorKind::kBadValue, kCurrency, fmt::format("'{}' is not an ISO 4217 code", currency.substr(0, 20)),
               "write three upper-case letters, e.g. USD");
      if (p.ok() && a.spend < 0)
        p.Fail(InputErrorKind::kNegativeValue, kSpend, fmt::format("spend {} is negative", a.spend), "write 0 or more");
      if (!p.ok()) return false;
      a.currency = ds->strings.Intern(currency);
      ds->ads.push_back(a);
      return true;
    };
    if (!loop.Run(paths[5], fields, required, table, handle)) return Status::InputError("stopped");
  }
  ds->SortEventsByTime();
  return Status::Ok();
}

}  // namespace

std::string FindTableFile(const std::string& dir, const std::string& table, std::string* error) {
  static const char* kExtensions[] = {".csv", ".jsonl", ".ndjson", ".json"};
  static const char* kCompression[] = {"", ".gz", ".zst"};
  std::string found;
  for (const char* ext : kExtensions) {
    for (const char* comp : kCompression) {
      std::string path = dir + "/" + table + ext + comp;
      if (!EntryExists(path)) continue;
      if (!found.empty()) {
        *error = fmt::format("{}: two {} files, {} and {}; keep one", dir, table, found, path);
        return "";
      }
      found = path;
    }
  }
  if (!found.empty()) {
    if (std::string why = WhyNotAFile(found); !why.empty()) {
      *error = fmt::format("the {} file {}", table, why);
      return "";
    }
  }
  return found;
}

bool IsLockstepDirectory(const std::string& dir) {
  // A broken or doubled events or accounts file still makes the directory
  // one of this format, so that its reader names what is wrong with it.
  std::string error;
  const bool accounts = !FindTableFile(dir, "accounts", &error).empty() || !error.empty();
  error.clear();
  const bool events = !FindTableFile(dir, "events", &error).empty() || !error.empty();
  return accounts && events;
}

Result<Dataset> LoadLockstepDirectory(const std::string& dir, const LoadOptions& options, ErrorSink* sink,
                                      LoadReport* report) {
  const auto start = std::chrono::steady_clock::now();
  report->format = "lockstep";
  Dataset ds;
  DirectoryLoader loader(dir, options, sink, report);
  Status status = loader.Run(&ds);
  return internal::FinishLoad(std::move(status), std::move(ds), sink, report, start);
}

}  // namespace lockstep
