#include "ingest/reader_support.h"

#include <sys/stat.h>

#include <algorithm>

#include "lockstep/ingest/field_parsers.h"

namespace lockstep::internal {

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, unsigned* out) {
  if (pos + n > s.size()) return false;
  unsigned v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

}  // namespace

bool ParseTwitterApiTime(std::string_view s, int64_t* out) {
  // "Wed Oct 10 20:19:24 +0000 2018": weekday, month, day, time, offset, year.
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 30 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ' || s[25] != ' ') return false;
  unsigned month = 0;
  for (unsigned m = 0; m < 12; ++m)
    if (s.substr(4, 3) == kMonths[m]) month = m + 1;
  unsigned day, h, mi, sec, oh, om, year;
  if (month == 0 || !Digits(s, 8, 2, &day) || !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) ||
      s[16] != ':' || !Digits(s, 17, 2, &sec) || (s[20] != '+' && s[20] != '-') || !Digits(s, 21, 2, &oh) ||
      !Digits(s, 23, 2, &om) || !Digits(s, 26, 4, &year))
    return false;
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day < 1 || day > kDays[month - 1] || h > 23 || mi > 59 || sec > 60 || oh > 14 || om > 59) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return false;
  const int64_t offset = (s[20] == '+' ? 1 : -1) * static_cast<int64_t>(oh * 3600 + om * 60);
  *out = DaysFromCivil(year, month, day) * 86400 + h * 3600 + mi * 60 + sec - offset;
  return true;
}

bool ParseAnyTime(std::string_view text, int64_t* out) {
  return ParseTime(text, out) || ParseTwitterApiTime(text, out);
}

bool ReadInputTime(std::string_view text, int64_t* out, std::string* problem, std::string* fix,
                   std::string_view malformed_fix) {
  int64_t t = 0;
  std::string_view digits = text;
  while (!digits.empty() && (digits.front() == ' ' || digits.front() == '\t')) digits.remove_prefix(1);
  while (!digits.empty() && (digits.back() == ' ' || digits.back() == '\t')) digits.remove_suffix(1);
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  if (size_t dot = digits.find('.'); dot != std::string_view::npos) digits = digits.substr(0, dot);
  const bool epoch = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  // Built only for a message: FormatTime is costly next to a successful parse.
  auto window = [] {
    return fmt::format("lockstep reads times from {} to a year from now ({})", FormatTime(kEarliestInputTime),
                       FormatTime(LatestInputTime()));
  };
  if (!ParseAnyTime(text, &t)) {
    if (epoch) {  // digits that overflow int64 seconds
      *problem = fmt::format("'{}' is out of range of epoch seconds; {}", Clip(text), window());
      *fix = "write Unix epoch seconds (10 digits for today's dates) or ISO 8601";
      return false;
    }
    *problem = fmt::format("'{}' is not a time", Clip(text));
    *fix = std::string(malformed_fix);
    return false;
  }
  if (InInputTimeWindow(t)) {
    *out = t;
    return true;
  }
  *problem = fmt::format("'{}' is outside the times of any platform; {}", Clip(text), window());
  *fix = "correct the time, or drop the row";
  if (epoch && t > 0) {
    static constexpr struct {
      int64_t divisor;
      std::string_view unit;
    } kUnits[] = {{1000, "milliseconds"}, {1000000, "microseconds"}, {1000000000, "nanoseconds"}};
    for (const auto& u : kUnits) {
      if (!InInputTimeWindow(t / u.divisor)) continue;
      *problem = fmt::format("'{}' is far in the future as epoch seconds; as epoch {} it would be {}; {}", Clip(text),
                             u.unit, FormatTime(t / u.divisor), window());
      *fix = fmt::format("times are epoch seconds: convert epoch {} to seconds (divide by {}) or to ISO 8601", u.unit,
                         u.divisor);
      break;
    }
  }
  return false;
}

uint64_t LineAtOffset(std::string_view text, size_t offset, uint64_t first_line) {
  const std::string_view before = text.substr(0, std::min(offset, text.size()));
  return first_line + static_cast<uint64_t>(std::count(before.begin(), before.end(), '\n'));
}

std::string Clip(std::string_view v) { return std::string(v.substr(0, 80)); }

// --- FieldReader ---------------------------------------------------------

void FieldReader::Fail(InputErrorKind kind, size_t f, std::string problem, std::string fix, std::string field_name) {
  if (failed_) return;
  failed_ = true;
  error_ = reader_.MakeError(row_, kind, f, std::move(problem), std::move(fix));
  if (!field_name.empty()) error_.field = std::move(field_name);
}

std::string_view FieldReader::Required(size_t f) {
  std::string_view v = Get(f);
  if (v.empty()) Fail(InputErrorKind::kMissingValue, f, "the field is required and is empty", "fill it in, or drop the row");
  return v;
}

int64_t FieldReader::Time(size_t f, bool required) {
  std::string_view v = required ? Required(f) : Get(f);
  if (v.empty() || failed_) return kNoTime;
  int64_t t = 0;
  std::string problem, fix;
  if (!ReadInputTime(v, &t, &problem, &fix, kTimeFormsFix)) {
    Fail(InputErrorKind::kBadTime, f, std::move(problem), std::move(fix));
    return kNoTime;
  }
  return t;
}

int64_t FieldReader::Count(size_t f, int64_t missing) {
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

bool FieldReader::Bool(size_t f, bool missing) {
  std::string_view v = Get(f);
  if (v.empty() || failed_) return missing;
  bool b = false;
  if (!ParseBool(v, &b)) {
    Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not true or false", Clip(v)), "write true or false");
    return missing;
  }
  return b;
}

std::string_view FieldReader::Decimal(size_t f, std::string_view absent) {
  std::string_view v = Get(f);
  if (v.empty() || v == absent || failed_) return {};
  double d = 0;
  if (!ParseDecimal(v, &d)) {
    Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not a decimal number", Clip(v)),
         absent.empty() ? std::string("write e.g. 52.52") : fmt::format("write e.g. 52.52, or '{}' if unknown", absent));
    return {};
  }
  return v;
}

void FieldReader::List(size_t f, std::vector<std::string_view>* items) {
  std::string_view v = Get(f);
  if (v.empty() || failed_) return;
  if (!ParseList(v, scratch_, items))
    Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not a list", Clip(v)),
         "write a JSON array ([\"a\",\"b\"]), a Python list (['a', 'b']) or space-separated values");
}

double FieldReader::Amount(size_t f) {
  std::string_view v = Required(f);
  double d = 0;
  if (failed_) return 0;
  if (!ParseDecimal(v, &d))
    Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not a decimal number", Clip(v)), "write e.g. 1200.50");
  return d;
}

CountryCode FieldReader::Country(size_t f) {
  std::string_view v = Get(f);
  CountryCode c = kNoCountry;
  if (v.empty() || failed_) return c;
  if (!ParseCountry(v, &c))
    Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not an ISO 3166-1 alpha-2 country code", Clip(v)),
         "write two letters, e.g. DE");
  return c;
}

bool FieldReader::Hash64(size_t f, uint64_t* out) {
  std::string_view v = Get(f);
  if (v.empty() || failed_) return false;
  if (!ParseHash64(v, out)) {
    Fail(InputErrorKind::kBadValue, f, fmt::format("'{}' is not 16 hex digits", Clip(v)),
         "write the 64-bit perceptual hash as 16 hex digits, e.g. 8f3a0c1d2e4b5a69");
    return false;
  }
  return true;
}

AccountIndex FieldReader::Account(size_t f, const Dataset& ds, uint64_t hash) {
  std::string_view v = Required(f);
  if (failed_) return 0;
  const StringId id = ds.account_ids.Find(v, hash);
  if (id == kNoString || !ds.IsAccount(id)) {
    Fail(InputErrorKind::kUnknownAccount, f, fmt::format("account_id '{}' is not in the accounts file", Clip(v)),
         "add the account to accounts, or correct the id");
    return 0;
  }
  return id;
}

// --- DatasetBuilder --------------------------------------------------------

void EventFields::Clear() {
  *this = EventFields();
}

uint32_t DatasetBuilder::Ref(std::string_view id) {
  const uint32_t i = ids_.Intern(id);
  if (i == pending_.size()) pending_.emplace_back();
  return i;
}

uint32_t DatasetBuilder::Actor(std::string_view id, std::string_view platform) {
  const uint32_t i = Ref(id);
  Pending& p = pending_[i];
  p.is_account = true;
  if (p.account.platform == kNoString && !platform.empty()) p.account.platform = Str(platform);
  return i;
}

uint32_t DatasetBuilder::Profile(std::string_view id, const AccountFields& f, int64_t as_of) {
  const uint32_t i = Ref(id);
  Pending& p = pending_[i];
  p.is_account = true;
  if (p.has_profile && p.as_of != kNoTime && (as_of == kNoTime || as_of < p.as_of)) return i;
  if (p.as_of == kAuthoritative) return i;
  Account a;
  a.platform = f.platform.empty() ? p.account.platform : Str(f.platform);
  a.kind = f.kind;
  a.handle = Str(f.handle);
  a.display_name = Str(f.display_name);
  a.created_at = f.created_at;
  a.claimed_location = Str(f.claimed_location);
  a.country = f.country;
  a.language = Str(f.language);
  a.followers = f.followers;
  a.following = f.following;
  a.has_profile_image_hash = f.has_profile_image_hash;
  a.profile_image_hash = f.profile_image_hash;
  a.description = Str(f.description);
  p.account = a;
  p.as_of = as_of;
  p.has_profile = true;
  p.extras.clear();
  for (const auto& [column, value] : f.extras)
    if (!value.empty()) p.extras.emplace_back(ds_->strings.Intern(column), ds_->strings.Intern(value));
  return i;
}

bool DatasetBuilder::ClaimEventId(std::string_view id) {
  const StringId o = ds_->objects.Intern(id);
  if (claimed_.size() <= o) claimed_.resize(std::max<size_t>(ds_->objects.size() * 2, 1024), 0);
  if (claimed_[o]) return false;
  claimed_[o] = 1;
  return true;
}

bool DatasetBuilder::EventIdClaimed(std::string_view id) const {
  const StringId o = ds_->objects.Find(id);
  return o != kNoString && o < claimed_.size() && claimed_[o];
}

void DatasetBuilder::AddEvent(const EventFields& e) {
  Events& ev = ds_->events;
  pending_[e.account].is_account = true;
  ev.time.push_back(e.time);
  ev.account.push_back(e.account);
  ev.type.push_back(e.type);
  ev.event_id.push_back(e.event_id.empty() ? kNoString : ds_->objects.Intern(e.event_id));
  ev.target_id.push_back(e.target_id.empty() ? kNoString : ds_->objects.Intern(e.target_id));
  ev.target_account.push_back(e.target_account_id.empty() ? kNoString : Ref(e.target_account_id));
  ev.text_arena += e.text;
  ev.text_offsets.push_back(ev.text_arena.size());
  for (std::string_view u : e.urls)
    ev.urls.items.push_back(e.url_domain.empty() ? ds_->InternUrl(u) : ds_->InternUrlOfDomain(u, e.url_domain));
  ev.urls.offsets.push_back(static_cast<uint32_t>(ev.urls.items.size()));
  for (std::string_view h : e.hashtags) {
    if (!h.empty() && h.front() == '#') h.remove_prefix(1);
    if (!h.empty()) ev.hashtags.items.push_back(ds_->hashtags.Intern(h));
  }
  ev.hashtags.offsets.push_back(static_cast<uint32_t>(ev.hashtags.items.size()));
  for (std::string_view m : e.mentions)
    if (!m.empty()) ev.mentions.items.push_back(ds_->mentions.Intern(m));
  ev.mentions.offsets.push_back(static_cast<uint32_t>(ev.mentions.items.size()));
  ev.language.push_back(Str(e.language));
  ev.client.push_back(Str(e.client));
  ev.target_country.push_back(e.target_country);
  const uint32_t row = static_cast<uint32_t>(ev.size() - 1);
  for (const auto& [column, value] : e.extras)
    if (!value.empty()) ds_->event_extras.push_back({row, ds_->strings.Intern(column), ds_->strings.Intern(value)});
}

void DatasetBuilder::Finish() {
  // Accounts first, then accounts seen only as targets; each group in first-seen order.
  std::vector<AccountIndex> remap(pending_.size());
  for (int pass = 0; pass < 2; ++pass) {
    for (uint32_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i].is_account != (pass == 0)) continue;
      remap[i] = ds_->account_ids.Intern(ids_.Get(i));
      if (pass == 1) continue;
      ds_->accounts.push_back(pending_[i].account);
      for (const auto& [column, value] : pending_[i].extras) ds_->account_extras.push_back({remap[i], column, value});
    }
  }
  for (AccountIndex& a : ds_->events.account) a = remap[a];
  for (AccountIndex& a : ds_->events.target_account)
    if (a != kNoString) a = remap[a];
  pending_.clear();
  ds_->SortEventsByTime();
}

// --- TableLoop -------------------------------------------------------------

TableLoop::TableLoop(const LoadOptions& options, ErrorSink* sink, LoadReport* report,
                     const std::vector<std::string>& paths)
    : options_(options), sink_(sink), report_(report) {
  for (const std::string& p : paths) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) bytes_total_ += static_cast<uint64_t>(st.st_size);
  }
}

Result<std::unique_ptr<TableReader>> TableLoop::Open(const std::string& path, const std::vector<std::string>& fields) {
  return TableReader::Open(path, fields, sink_);
}

bool TableLoop::CheckColumns(TableReader& reader, const std::vector<size_t>& required, std::string_view table) {
  bool ok = true;
  for (size_t f : required) {
    if (reader.HasField(f)) continue;
    InputError e;
    e.kind = InputErrorKind::kMissingColumn;
    e.file = reader.path();
    e.line = 1;
    e.field = reader.fields()[f];
    std::string columns = fmt::format("{}", fmt::join(reader.header(), ", "));
    if (columns.size() > 300) columns = columns.substr(0, 300) + "...";
    e.problem = fmt::format("the header has no column '{}', which {} requires (its columns: {})", reader.fields()[f],
                            table, columns);
    e.fix = fmt::format("add a '{}' column, or pick another reader with --format", reader.fields()[f]);
    ok = false;
    if (!reader.Reject(std::move(e))) break;
  }
  return ok;
}

void TableLoop::Progress(const TableReader& reader, bool force) {
  if (!options_.progress) return;
  const uint64_t done = bytes_before_ + reader.file_bytes_consumed();
  if (!force && done - last_progress_ < (4u << 20)) return;
  last_progress_ = done;
  options_.progress(LoadProgress{reader.path(), done, bytes_total_});
}

Result<Dataset> FinishLoad(Status status, Dataset ds, ErrorSink* sink, LoadReport* report,
                           std::chrono::steady_clock::time_point start) {
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!status.ok()) {
    if (status.code() == StatusCode::kInputError && sink->first() != nullptr)
      return Status::InputError(sink->first()->ToString());
    return status;
  }
  return ds;
}

}  // namespace lockstep::internal
