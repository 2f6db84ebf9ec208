#include "lockstep/ingest/lockstep_reader.h"

#include <sys/stat.h>

#include <chrono>

#include <fmt/format.h>

#include "lockstep/ingest/field_parsers.h"
#include "lockstep/ingest/table_reader.h"

namespace lockstep {

namespace {

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

uint64_t FileBytes(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// The fields of one row, parsed with FORMAT.md's rules. The first defect is
// kept in error_; later calls then do nothing, so a row handler can parse
// every field and check ok() once.
class RowParser {
 public:
  RowParser(TableReader& reader, const Row& row, std::string* scratch) : reader_(reader), row_(row), scratch_(scratch) {}

  bool ok() const { return !failed_; }
  InputError TakeError() { return std::move(error_); }
  const Row& row() const { return row_; }
  std::string_view Get(size_t f) const { return row_.values[f]; }

  void Fail(InputErrorKind kind, size_t f, std::string problem, std::string fix) {
    if (failed_) return;
    failed_ = true;
    error_ = reader_.MakeError(row_, kind, f, std::move(problem), std::move(fix));
  }

  std::string_view Required(size_t f) {
    std::string_view v = Get(f);
    if (v.empty()) Fail(InputErrorKind::kMissingValue, f, "the field is required and is empty", "fill it in, or drop the row");
    return v;
  }

  int64_t Time(size_t f, bool required) {
    std::string_view v = required ? Required(f) : Get(f);
    if (v.empty() || failed_) return kNoTime;
    int64_t t = 0;
    if (!ParseTime(v, &t)) {
      Fail(InputErrorKind::kBadTime, f, fmt::format("'{}' is not a time", Clip(v)),
           "use ISO 8601 (2017-03-14T08:15:00Z, 2017-03-14 08:15:00, 2017-03-14T09:15:00+01:00, 2017-03-14) or Unix "
           "epoch seconds");
      return kNoTime;
    }
    return t;
  }

  // A non-negative integer; `missing` if empty.
  int64_t Count(size_t f, int64_t missing) {
    std::string_view v = Get(f);
    if (v.empty() || failed_) return missing;
    int64_t n = 0;
    if (!ParseInt64(v, &n)) {
      Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not an integer", Clip(v)), "write a whole number, e.g. 1200");
      return missing;
    }
    if (n < 0) {
      Fail(InputErrorKind::kNegativeValue, f, fmt::format("{} is negative; a count is 0 or more", n),
           "leave the cell empty if the count is unknown");
      return missing;
    }
    return n;
  }

  double Decimal(size_t f) {
    std::string_view v = Required(f);
    double d = 0;
    if (failed_) return 0;
    if (!ParseDecimal(v, &d)) Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not a decimal number", Clip(v)), "write e.g. 1200.50");
    return d;
  }

  CountryCode Country(size_t f) {
    std::string_view v = Get(f);
    CountryCode c = kNoCountry;
    if (v.empty() || failed_) return c;
    if (!ParseCountry(v, &c))
      Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not an ISO 3166-1 alpha-2 country code", Clip(v)),
           "write two letters, e.g. DE");
    return c;
  }

  bool Hash(size_t f, uint64_t* out) {
    std::string_view v = Get(f);
    if (v.empty() || failed_) return false;
    if (!ParseHash64(v, out)) {
      Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not 16 hex digits", Clip(v)),
           "write the 64-bit perceptual hash as 16 hex digits, e.g. 8f3a0c1d2e4b5a69");
      return false;
    }
    return true;
  }

  template <typename E>
  E Enum(size_t f, E fallback, bool required, std::string_view choices) {
    std::string_view v = required ? Required(f) : Get(f);
    if (v.empty() || failed_) return fallback;
    E e{};
    if (!Parse(v, &e)) {
      Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not one of {}", Clip(v), choices), "use one of the listed values");
      return fallback;
    }
    return e;
  }

  void List(size_t f, std::vector<std::string_view>* items) {
    items->clear();
    std::string_view v = Get(f);
    if (v.empty() || failed_) return;
    if (!ParseList(v, scratch_, items))
      Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not a list", Clip(v)),
           "write a JSON array ([\"a\",\"b\"]) or space-separated values");
  }

  // An account of the accounts file, by id.
  AccountIndex Account(size_t f, const Dataset& ds) {
    std::string_view v = Required(f);
    if (failed_) return 0;
    const StringId id = ds.account_ids.Find(v);
    if (id == kNoString || !ds.IsAccount(id)) {
      Fail(InputErrorKind::kUnknownAccount, f, fmt::format("account_id '{}' is not in the accounts file", Clip(v)),
           "add the account to accounts, or correct the id");
      return 0;
    }
    return id;
  }

 private:
  static std::string Clip(std::string_view v) { return std::string(v.substr(0, 80)); }

  TableReader& reader_;
  const Row& row_;
  std::string* scratch_;
  bool failed_ = false;
  InputError error_;
};

struct TableSpec {
  const char* name;
  bool required;
  std::vector<std::string> fields;
  std::vector<size_t> required_columns;
};

class DirectoryLoader {
 public:
  DirectoryLoader(const std::string& dir, const LoadOptions& options, ErrorSink* sink, LoadReport* report)
      : dir_(dir), options_(options), sink_(sink), report_(report) {}

  Status Run(Dataset* ds);

 private:
  // Streams one table through `handle(parser)`, which returns whether the row
  // was loaded. Returns false if the load must stop.
  template <typename Handler>
  bool LoadTable(const TableSpec& spec, const std::string& path, Handler&& handle);
  void Progress(const TableReader& reader, bool force);

  std::string dir_;
  const LoadOptions& options_;
  ErrorSink* sink_;
  LoadReport* report_;
  std::string scratch_;
  uint64_t bytes_total_ = 0;
  uint64_t bytes_before_ = 0;  // on-disk bytes of files already read
  uint64_t last_progress_ = 0;
};

template <typename Handler>
bool DirectoryLoader::LoadTable(const TableSpec& spec, const std::string& path, Handler&& handle) {
  FileStats stats;
  stats.path = path;
  auto opened = TableReader::Open(path, spec.fields, sink_);
  if (!opened.ok()) {
    InputError e;
    e.kind = InputErrorKind::kIo;
    e.file = path;
    e.problem = opened.status().message();
    e.fix = "check the path and its permissions";
    report_->files.push_back(stats);
    return sink_->Report(std::move(e));
  }
  TableReader& reader = **opened;
  if (reader.stopped()) return false;
  bool columns_ok = true;
  for (size_t f : spec.required_columns) {
    if (reader.HasField(f)) continue;
    InputError e;
    e.kind = InputErrorKind::kMissingColumn;
    e.file = path;
    e.line = 1;
    e.field = spec.fields[f];
    e.problem = fmt::format("the header has no column '{}', which {} requires", spec.fields[f], spec.name);
    e.fix = fmt::format("add a '{}' column (see FORMAT.md)", spec.fields[f]);
    columns_ok = false;
    if (!reader.Reject(std::move(e))) break;
  }
  Row row;
  std::vector<std::string_view> unused;
  while (!reader.stopped() && reader.Next(&row)) {
    if (!columns_ok) continue;  // every row of a file missing a required column is rejected
    scratch_.clear();
    scratch_.reserve(row.raw.size() + 16);
    RowParser parser(reader, row, &scratch_);
    const bool loaded = handle(parser);
    if (loaded) {
      ++stats.rows_loaded;
    } else {
      ++stats.rows_rejected;
      if (!reader.Reject(parser.TakeError())) break;
    }
    Progress(reader, false);
  }
  stats.rows_read = reader.rows_read();
  stats.rows_rejected += reader.rows_rejected();
  if (!columns_ok) stats.rows_rejected = stats.rows_read;
  stats.bytes = reader.bytes_read();
  report_->bytes += stats.bytes;
  report_->files.push_back(stats);
  Progress(reader, true);
  bytes_before_ += FileBytes(path);
  return !reader.stopped() && !sink_->failed();
}

void DirectoryLoader::Progress(const TableReader& reader, bool force) {
  if (!options_.progress) return;
  const uint64_t done = bytes_before_ + reader.file_bytes_consumed();
  if (!force && done - last_progress_ < (4u << 20)) return;
  last_progress_ = done;
  options_.progress(LoadProgress{reader.path(), done, bytes_total_});
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
    if (!error.empty()) return Status::InvalidArgument(error);
    if (t < 2 && paths[t].empty())
      return Status::IoError(fmt::format("{0}: no {1} file ({0}/{1}.csv or .jsonl, optionally .gz or .zst); it is required",
                                         dir_, kTables[t]));
    if (!paths[t].empty()) bytes_total_ += FileBytes(paths[t]);
  }

  // accounts
  {
    enum { kId, kPlatform, kKind, kHandle, kName, kCreated, kLocation, kCountry, kLanguage, kFollowers, kFollowing, kImage, kDescription };
    const TableSpec spec{"accounts", true,
                         {"account_id", "platform", "kind", "handle", "display_name", "created_at", "claimed_location",
                          "country", "language", "followers", "following", "profile_image_hash", "description"},
                         {kId}};
    auto handle = [&](RowParser& p) {
      Account a;
      std::string_view id = p.Required(kId);
      a.kind = p.Enum(kKind, AccountKind::kAccount, false, "account, page, group, channel");
      a.created_at = p.Time(kCreated, false);
      a.country = p.Country(kCountry);
      a.followers = p.Count(kFollowers, -1);
      a.following = p.Count(kFollowing, -1);
      a.has_profile_image_hash = p.Hash(kImage, &a.profile_image_hash);
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
    if (!LoadTable(spec, paths[0], handle)) return Status::InputError("stopped");
  }

  // events
  {
    enum { kEventId, kAccount, kTime, kType, kTarget, kTargetAccount, kText, kUrls, kHashtags, kMentions, kLanguage, kClient, kTargetCountry };
    const TableSpec spec{"events", true,
                         {"event_id", "account_id", "time", "type", "target_id", "target_account_id", "text", "urls",
                          "hashtags", "mentions", "language", "client", "target_country"},
                         {kAccount, kTime, kType}};
    std::vector<uint8_t> is_event_id;
    std::vector<std::string_view> urls, hashtags, mentions;
    Events& ev = ds->events;
    auto push_list = [](ListColumn& col, const std::vector<std::string_view>& items, Interner& pool, bool strip_hash) {
      for (std::string_view item : items) {
        if (strip_hash && !item.empty() && item.front() == '#') item.remove_prefix(1);
        col.items.push_back(pool.Intern(item));
      }
      col.offsets.push_back(static_cast<uint32_t>(col.items.size()));
    };
    auto handle = [&](RowParser& p) {
      // Start every hash-table lookup of the row at once; they are memory-bound.
      ds->account_ids.Prefetch(p.Get(kAccount));
      if (!p.Get(kEventId).empty()) ds->objects.Prefetch(p.Get(kEventId));
      if (!p.Get(kTarget).empty()) ds->objects.Prefetch(p.Get(kTarget));
      const AccountIndex account = p.Account(kAccount, *ds);
      const int64_t time = p.Time(kTime, true);
      const EventType type = p.Enum(kType, EventType::kPost, true, "post, share, comment, like, follow, join");
      const CountryCode target_country = p.Country(kTargetCountry);
      p.List(kUrls, &urls);
      p.List(kHashtags, &hashtags);
      p.List(kMentions, &mentions);
      if (!p.ok()) return false;
      StringId event_id = kNoString;
      if (!p.Get(kEventId).empty()) {
        event_id = ds->objects.Intern(p.Get(kEventId));
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
      ev.target_id.push_back(p.Get(kTarget).empty() ? kNoString : ds->objects.Intern(p.Get(kTarget)));
      ev.target_account.push_back(p.Get(kTargetAccount).empty() ? kNoString
                                                                : ds->account_ids.Intern(p.Get(kTargetAccount)));
      ev.text_arena += p.Get(kText);
      ev.text_offsets.push_back(ev.text_arena.size());
      for (std::string_view u : urls) ev.urls.items.push_back(ds->InternUrl(u));
      ev.urls.offsets.push_back(static_cast<uint32_t>(ev.urls.items.size()));
      push_list(ev.hashtags, hashtags, ds->hashtags, true);
      push_list(ev.mentions, mentions, ds->mentions, false);
      ev.language.push_back(p.Get(kLanguage).empty() ? kNoString : ds->strings.Intern(p.Get(kLanguage)));
      ev.client.push_back(p.Get(kClient).empty() ? kNoString : ds->strings.Intern(p.Get(kClient)));
      ev.target_country.push_back(target_country);
      const uint32_t row = static_cast<uint32_t>(ev.size() - 1);
      for (const auto& [column, value] : p.row().extras)
        ds->event_extras.push_back({row, ds->strings.Intern(column), ds->strings.Intern(value)});
      return true;
    };
    if (!LoadTable(spec, paths[1], handle)) return Status::InputError("stopped");
  }

  // infra
  if (!paths[2].empty()) {
    enum { kAccount, kTime, kKind, kValue, kCountry };
    const TableSpec spec{"infra", false, {"account_id", "time", "kind", "value", "country"}, {kAccount, kKind, kValue}};
    auto handle = [&](RowParser& p) {
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
    if (!LoadTable(spec, paths[2], handle)) return Status::InputError("stopped");
  }

  // profile_changes
  if (!paths[3].empty()) {
    enum { kAccount, kTime, kField, kOld, kNew };
    const TableSpec spec{"profile_changes", false, {"account_id", "time", "field", "old", "new"}, {kAccount, kTime, kField}};
    auto handle = [&](RowParser& p) {
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
    if (!LoadTable(spec, paths[3], handle)) return Status::InputError("stopped");
  }

  // follower_counts
  if (!paths[4].empty()) {
    enum { kAccount, kTime, kFollowers };
    const TableSpec spec{"follower_counts", false, {"account_id", "time", "followers"}, {kAccount, kTime, kFollowers}};
    auto handle = [&](RowParser& p) {
      FollowerCount c;
      c.account = p.Account(kAccount, *ds);
      c.time = p.Time(kTime, true);
      p.Required(kFollowers);
      c.followers = p.Count(kFollowers, 0);
      if (!p.ok()) return false;
      ds->follower_counts.push_back(c);
      return true;
    };
    if (!LoadTable(spec, paths[4], handle)) return Status::InputError("stopped");
  }

  // ads
  if (!paths[5].empty()) {
    enum { kAccount, kTime, kSpend, kCurrency };
    const TableSpec spec{"ads", false, {"account_id", "time", "spend", "currency"}, {kAccount, kSpend, kCurrency}};
    auto handle = [&](RowParser& p) {
      AdSpend a;
      a.account = p.Account(kAccount, *ds);
      a.time = p.Time(kTime, false);
      a.spend = p.Decimal(kSpend);
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
    if (!LoadTable(spec, paths[5], handle)) return Status::InputError("stopped");
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
      if (!FileExists(path)) continue;
      if (!found.empty()) {
        *error = fmt::format("{}: both {} and {} exist; keep one", dir, found, path);
        return "";
      }
      found = path;
    }
  }
  return found;
}

bool IsLockstepDirectory(const std::string& dir) {
  std::string error;
  return !FindTableFile(dir, "accounts", &error).empty() && !FindTableFile(dir, "events", &error).empty();
}

Result<Dataset> LoadLockstepDirectory(const std::string& dir, const LoadOptions& options, ErrorSink* sink,
                                      LoadReport* report) {
  const auto start = std::chrono::steady_clock::now();
  report->format = "lockstep";
  Dataset ds;
  DirectoryLoader loader(dir, options, sink, report);
  Status status = loader.Run(&ds);
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!status.ok()) {
    if (status.code() == StatusCode::kInputError && sink->first() != nullptr)
      return Status::InputError(sink->first()->ToString());
    return status;
  }
  return ds;
}

}  // namespace lockstep
