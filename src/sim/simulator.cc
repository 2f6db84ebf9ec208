#include "lockstep/sim/simulator.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

namespace lockstep {

namespace {

// A buffered CSV file: fields are appended to a buffer that is written with
// fwrite once it holds 1 MiB. Quotes a field only when FORMAT.md (RFC 4180)
// requires it.
class CsvFile {
 public:
  CsvFile() = default;
  ~CsvFile() { Close(); }
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;

  bool Open(const std::string& path, std::string_view header) {
    path_ = path;
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) return false;
    buf_.reserve(kFlushAt + 4096);
    buf_.append(header);
    buf_.push_back('\n');
    return true;
  }

  void Text(std::string_view s) {
    Sep();
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) {
      buf_.append(s);
      return;
    }
    buf_.push_back('"');
    for (char c : s) {
      if (c == '"') buf_.push_back('"');
      buf_.push_back(c);
    }
    buf_.push_back('"');
  }
  void Int(int64_t v) {
    Sep();
    fmt::format_to(std::back_inserter(buf_), "{}", v);
  }
  void UInt(uint64_t v) {
    Sep();
    fmt::format_to(std::back_inserter(buf_), "{}", v);
  }
  void Hex16(uint64_t v) {
    Sep();
    fmt::format_to(std::back_inserter(buf_), "{:016x}", v);
  }
  void Time(int64_t t) {
    Sep();
    if (t == kNoTime) return;
    const int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    if (day != cached_day_) {
      const CivilTime c = ToCivil(day * 86400);
      cached_day_ = day;
      cached_date_ = fmt::format("{:04}-{:02}-{:02}T", c.year, c.month, c.day);
    }
    const int64_t s = t - day * 86400;
    buf_.append(cached_date_);
    fmt::format_to(std::back_inserter(buf_), "{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60);
  }
  void Empty() { Sep(); }
  void EndRow() {
    buf_.push_back('\n');
    first_ = true;
    ++rows_;
    if (buf_.size() >= kFlushAt) Flush();
  }

  bool Close() {
    if (file_ == nullptr) return ok_;
    Flush();
    ok_ = std::fclose(file_) == 0 && ok_;
    file_ = nullptr;
    return ok_;
  }
  bool ok() const { return ok_; }
  uint64_t rows() const { return rows_; }
  uint64_t bytes() const { return bytes_ + buf_.size(); }
  const std::string& path() const { return path_; }

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  void Sep() {
    if (!first_) buf_.push_back(',');
    first_ = false;
  }
  void Flush() {
    if (file_ != nullptr && !buf_.empty()) {
      if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size()) ok_ = false;
      bytes_ += buf_.size();
    }
    buf_.clear();
  }

  std::string path_;
  std::FILE* file_ = nullptr;
  std::string buf_;
  bool first_ = true;
  bool ok_ = true;
  uint64_t rows_ = 0, bytes_ = 0;
  int64_t cached_day_ = INT64_MIN;
  std::string cached_date_;
};

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += c;
    }
  }
  return out + "\"";
}

class FileOutput final : public SimOutput {
 public:
  FileOutput(const World& w, const ExportParams& fields) : w_(w), fields_(fields) {
    if (!fields_.share_target_ids) ring_.resize(kRing);
  }

  Status Open(const std::string& dir) {
    struct Spec {
      CsvFile* file;
      const char* name;
      const char* header;
    };
    const Spec specs[] = {
        {&events_, "events.csv",
         "event_id,account_id,time,type,target_id,target_account_id,text,urls,hashtags,language,client,target_country"},
        {&infra_, "infra.csv", "account_id,time,kind,value,country"},
        {&profile_, "profile_changes.csv", "account_id,time,field,old,new"},
        {&followers_, "follower_counts.csv", "account_id,time,followers"},
        {&ads_, "ads.csv", "account_id,time,spend,currency"},
    };
    for (const Spec& s : specs)
      if (!s.file->Open(dir + "/" + s.name, s.header))
        return Status::IoError(fmt::format("cannot write {}/{}: {}", dir, s.name, std::strerror(errno)));
    return Status::Ok();
  }

  void WriteEvent(const SimEvent& e) override {
    const SimAccount& a = w_.account(e.account);
    events_.Hex16(e.id);
    events_.UInt(a.id);
    events_.Time(fields_.seconds ? e.time : e.time - ((e.time % 60) + 60) % 60);
    events_.Text(Name(e.type));
    if (!fields_.share_target_ids) {
      if (e.type == EventType::kPost || e.type == EventType::kComment) RememberText(e.id, e.text);
      if (e.type == EventType::kShare) {
        // As in FiveThirtyEight's release: a retweet is its text, no ids.
        events_.Empty();
        events_.Empty();
        std::string text = e.text;
        if (text.empty() && e.target_account != kNoAccountIndex) {
          text = fmt::format("RT @{}: ", w_.Handle(e.target_account));
          auto it = index_.find(e.target_post);
          if (it != index_.end()) text += ring_[it->second].second;
        }
        events_.Text(text);
        WriteEventTail(e, a);
        return;
      }
    }
    if (e.target_post != 0) {
      events_.Hex16(e.target_post);
    } else if (e.target_account != kNoAccountIndex) {
      events_.UInt(w_.account(e.target_account).id);
    } else {
      events_.Empty();
    }
    if (e.target_account != kNoAccountIndex) events_.UInt(w_.account(e.target_account).id);
    else events_.Empty();
    events_.Text(e.text);
    WriteEventTail(e, a);
  }
  void WriteEventTail(const SimEvent& e, const SimAccount& a) {
    events_.Text(e.urls);
    events_.Text(e.hashtags);
    events_.Text(e.type == EventType::kLike || e.type == EventType::kFollow || e.type == EventType::kJoin
                     ? std::string_view()
                     : std::string_view(e.language != nullptr ? e.language : World::LanguageOf(a)));
    events_.Text(e.client != nullptr ? e.client : World::DefaultClient(a));
    events_.Text(e.target_country != nullptr ? e.target_country : "");
    events_.EndRow();
  }
  void WriteInfra(int64_t time, uint32_t account, InfraKind kind, std::string_view value, int country) override {
    if (!fields_.infrastructure) return;
    infra_.UInt(w_.account(account).id);
    infra_.Time(time);
    infra_.Text(Name(kind));
    infra_.Text(value);
    infra_.Text(country >= 0 ? Countries()[static_cast<size_t>(country)].code : "");
    infra_.EndRow();
  }
  void WriteProfileChange(int64_t time, uint32_t account, ProfileField field, std::string_view old_value,
                          std::string_view new_value) override {
    profile_.UInt(w_.account(account).id);
    profile_.Time(time);
    profile_.Text(Name(field));
    profile_.Text(old_value);
    profile_.Text(new_value);
    profile_.EndRow();
  }
  void WriteFollowers(int64_t time, uint32_t account, int64_t followers) override {
    followers_.UInt(w_.account(account).id);
    followers_.Time(time);
    followers_.Int(followers);
    followers_.EndRow();
  }
  void WriteAd(int64_t time, uint32_t account, double spend, std::string_view currency) override {
    ads_.UInt(w_.account(account).id);
    ads_.Time(time);
    fmt::format_to(std::back_inserter(scratch_), "{:.2f}", spend);
    ads_.Text(scratch_);
    scratch_.clear();
    ads_.Text(currency);
    ads_.EndRow();
  }

  Status Close() {
    for (CsvFile* f : {&events_, &infra_, &profile_, &followers_, &ads_})
      if (!f->Close()) return Status::IoError(fmt::format("cannot write {}", f->path()));
    return Status::Ok();
  }
  uint64_t bytes() const { return events_.bytes() + infra_.bytes() + profile_.bytes() + followers_.bytes() + ads_.bytes(); }

  CsvFile events_, infra_, profile_, followers_, ads_;

 private:
  // The texts of the last kRing posts and comments, for shares written
  // without their target id; a ring, so memory stays bounded.
  static constexpr size_t kRing = size_t{1} << 18;
  void RememberText(uint64_t id, const std::string& text) {
    auto& slot = ring_[next_];
    if (slot.first != 0) index_.erase(slot.first);
    slot = {id, text};
    index_[id] = static_cast<uint32_t>(next_);
    next_ = (next_ + 1) % kRing;
  }

  const World& w_;
  ExportParams fields_;
  std::vector<std::pair<uint64_t, std::string>> ring_;
  std::unordered_map<uint64_t, uint32_t> index_;
  size_t next_ = 0;
  std::string scratch_;
};

}  // namespace

Simulator::Simulator(ScenarioSpec spec, SimulationOptions options) : spec_(std::move(spec)), options_(std::move(options)) {}
Simulator::~Simulator() = default;

Status Simulator::Run() {
  if (done_) return Status::FailedPrecondition("Simulator::Run() called twice");
  const auto t0 = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(options_.out_dir, ec);
  if (ec) return Status::IoError(fmt::format("cannot create {}: {}", options_.out_dir, ec.message()));
  world_ = std::make_unique<World>(Mix64(spec_.seed), spec_.start, spec_.days, spec_.scale);
  World& w = *world_;
  auto components = BuildComponents(spec_);
  for (auto& c : components) c->Setup(w);

  FileOutput out(w, spec_.export_fields);
  if (Status s = out.Open(options_.out_dir); !s.ok()) return s;
  for (int day = 0; day < spec_.days; ++day) {
    w.BeginDay(day);
    for (auto& c : components) c->Day(w, day);
    w.FlushDay(out, day + 1 == spec_.days);
    if (options_.progress) options_.progress({day + 1, spec_.days, out.events_.rows(), out.bytes()});
  }
  truth_ = {};
  for (auto& c : components) c->Truth(w, &truth_);
  summary_.events = out.events_.rows();
  summary_.infra = out.infra_.rows();
  summary_.profile_changes = out.profile_.rows();
  summary_.follower_counts = out.followers_.rows();
  summary_.ads = out.ads_.rows();
  uint64_t bytes = out.bytes();
  if (Status s = out.Close(); !s.ok()) return s;

  // Accounts and labels, ordered by id (a hash), so neither order nor id gives labels away.
  std::vector<uint32_t> order(w.num_accounts());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return w.account(a).id < w.account(b).id; });
  CsvFile accounts, labels;
  if (!accounts.Open(options_.out_dir + "/accounts.csv",
                     "account_id,platform,kind,handle,display_name,created_at,claimed_location,country,language,"
                     "followers,following,profile_image_hash,description") ||
      !labels.Open(options_.out_dir + "/labels.csv", "account_id,network_id"))
    return Status::IoError(fmt::format("cannot write accounts.csv or labels.csv in {}: {}", options_.out_dir,
                                       std::strerror(errno)));
  for (uint32_t i : order) {
    const SimAccount& a = w.account(i);
    Rng r(Mix64(a.name_seed ^ 0xacc0u));
    accounts.UInt(a.id);
    accounts.Text(Name(a.platform));
    accounts.Text(Name(a.kind));
    accounts.Text(w.Handle(i));
    accounts.Text(w.DisplayName(i));
    if (spec_.export_fields.creation_dates) accounts.Time(a.created_at);
    else accounts.Empty();
    accounts.Text(r.Chance(0.7) ? Countries()[a.claimed_country].city : "");
    accounts.Text(Countries()[a.country].code);
    accounts.Text(World::LanguageOf(a));
    accounts.Int(a.followers);
    accounts.Int(a.following);
    accounts.Hex16(a.image_hash);
    switch (a.persona) {
      case Persona::kOutlet: accounts.Text(fmt::format("News and analysis from {}", Countries()[a.claimed_country].city)); break;
      case Persona::kJournalist: accounts.Text(fmt::format("Reporter. Views my own. {}", Countries()[a.claimed_country].city)); break;
      case Persona::kBusiness: accounts.Text("Official page"); break;
      case Persona::kDeclaredBot: accounts.Text("Automated account. Alerts posted by a bot; run by its operator, see link"); break;
      default: accounts.Text(r.Chance(0.4) ? w.Text(r, World::LanguageOf(a), 2, 9) : std::string());
    }
    accounts.EndRow();
    labels.UInt(a.id);
    labels.Text(a.network == 0 ? std::string_view() : std::string_view(w.network_names()[a.network - 1]));
    labels.EndRow();
    if (a.network != 0) ++summary_.planted_accounts;
  }
  bytes += accounts.bytes() + labels.bytes();
  if (!accounts.Close() || !labels.Close()) return Status::IoError("cannot write accounts.csv or labels.csv");

  // The drawn parameters of each planted network and the look-alikes'
  // members, for `lockstep eval-curves`.
  const ExportParams& ex = spec_.export_fields;
  std::vector<std::string> missing;
  if (!ex.share_target_ids) missing.push_back("share_target_ids");
  if (!ex.infrastructure) missing.push_back("infrastructure");
  if (!ex.creation_dates) missing.push_back("creation_dates");
  if (!ex.seconds) missing.push_back("seconds");
  const std::string missing_list = missing.empty() ? std::string() : fmt::format("{}", fmt::join(missing, " "));
  std::map<std::string, const OperationSpec*> op_of;
  for (const OperationSpec& op : spec_.operations) op_of[op.network_id] = &op;
  CsvFile params, lookalikes;
  if (!params.Open(options_.out_dir + "/truth_networks.csv",
                   "network_id,family,size,lag_seconds,organic_share,paraphrase_share,infra,missing_fields") ||
      !lookalikes.Open(options_.out_dir + "/lookalikes.csv", "account_id,kind,group_id"))
    return Status::IoError(fmt::format("cannot write truth_networks.csv or lookalikes.csv in {}: {}", options_.out_dir,
                                       std::strerror(errno)));
  std::string drawn_json;  // per network, appended to truth.json below
  std::map<std::string, std::string> drawn_of;
  for (const NetworkTruth& n : truth_.networks) {
    auto it = op_of.find(n.network_id);
    if (it == op_of.end()) continue;
    const CoordinationParams& c = it->second->coordination;
    params.Text(n.network_id);
    params.Text(n.family);
    params.UInt(n.members.size());
    params.Text(fmt::format("{:.1f}", c.lag_seconds));
    params.Text(fmt::format("{:.3f}", c.organic_share));
    params.Text(fmt::format("{:.3f}", c.paraphrase_share));
    params.Text(Name(c.infra));
    params.Text(missing_list);
    params.EndRow();
    drawn_of[n.network_id] = fmt::format(
        "\"drawn\": {{\"widened\": {}, \"size\": {}, \"lag_seconds\": {:.1f}, \"organic_share\": {:.3f}, "
        "\"paraphrase_share\": {:.3f}, \"infra\": \"{}\"}}",
        c.drawn, n.members.size(), c.lag_seconds, c.organic_share, c.paraphrase_share, Name(c.infra));
  }
  for (const GroupTruth& g : truth_.groups)
    for (uint32_t i : g.accounts) {
      lookalikes.UInt(w.account(i).id);
      lookalikes.Text(g.kind);
      lookalikes.Text(g.id);
      lookalikes.EndRow();
    }
  bytes += params.bytes() + lookalikes.bytes();
  if (!params.Close() || !lookalikes.Close()) return Status::IoError("cannot write truth_networks.csv or lookalikes.csv");
  summary_.accounts = w.num_accounts();
  summary_.networks = truth_.networks.size();

  // truth.json
  std::string j = fmt::format("{{\n  \"scenario\": {},\n  \"seed\": {},\n  \"scale\": {},\n  \"start\": \"{}\",\n  \"days\": {},\n",
                              JsonString(spec_.name), spec_.seed, spec_.scale, FormatTime(spec_.start), spec_.days);
  auto ids = [&](const std::vector<uint32_t>& v) {
    std::string s = "[";
    for (size_t k = 0; k < v.size(); ++k) s += fmt::format("{}\"{}\"", k ? ", " : "", w.account(v[k]).id);
    return s + "]";
  };
  auto strings = [&](const std::vector<std::string>& v) {
    std::string s = "[";
    for (size_t k = 0; k < v.size(); ++k) s += (k ? ", " : "") + JsonString(v[k]);
    return s + "]";
  };
  j += fmt::format("  \"export\": {{\"share_target_ids\": {}, \"infrastructure\": {}, \"creation_dates\": {}, "
                   "\"seconds\": {}}},\n",
                   ex.share_target_ids, ex.infrastructure, ex.creation_dates, ex.seconds);
  j += "  \"networks\": [";
  for (size_t k = 0; k < truth_.networks.size(); ++k) {
    const NetworkTruth& n = truth_.networks[k];
    j += fmt::format(
        "{}\n    {{\"network_id\": {}, \"family\": {}, \"members\": {}, \"operators\": {}, "
        "\"operator_utc_offset_hours\": {}, \"origin_country\": {}, \"target_country\": {}, "
        "\"affiliated_domains\": {}, \"hashtags\": {}, \"created_from\": {}, \"created_to\": {}, "
        "\"active_from\": {}, \"active_to\": {}, \"real_member_accounts\": {}",
        k ? "," : "", JsonString(n.network_id), JsonString(n.family), n.members.size(), n.operators,
        n.operator_utc_offset_hours, JsonString(n.origin_country), JsonString(n.target_country),
        strings(n.affiliated_domains), strings(n.hashtags), JsonString(FormatTime(n.created_from)),
        JsonString(FormatTime(n.created_to)), JsonString(FormatTime(n.active_from)), JsonString(FormatTime(n.active_to)),
        ids(n.real_members));
    for (const std::string& note : n.notes) j += ", " + note;
    if (auto d = drawn_of.find(n.network_id); d != drawn_of.end()) j += ", " + d->second;
    j += "}";
  }
  j += "\n  ],\n  \"authentic_groups\": [";
  for (size_t k = 0; k < truth_.groups.size(); ++k) {
    const GroupTruth& g = truth_.groups[k];
    j += fmt::format("{}\n    {{\"id\": {}, \"kind\": {}, \"time\": {}, \"count\": {}, \"values\": {}, \"accounts\": {}}}",
                     k ? "," : "", JsonString(g.id), JsonString(g.kind),
                     g.time == kNoTime ? std::string("null") : JsonString(FormatTime(g.time)), g.count,
                     strings(g.values), ids(g.accounts));
  }
  j += "\n  ]\n}\n";
  const std::string truth_path = options_.out_dir + "/truth.json";
  std::FILE* f = std::fopen(truth_path.c_str(), "wb");
  if (f == nullptr || std::fwrite(j.data(), 1, j.size(), f) != j.size() || std::fclose(f) != 0)
    return Status::IoError(fmt::format("cannot write {}", truth_path));
  bytes += j.size();
  summary_.bytes = bytes;
  summary_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  done_ = true;
  return Status::Ok();
}

Result<SimulationSummary> Simulator::summary() const {
  if (!done_) return Status::FailedPrecondition("Simulator::summary() before a successful Run()");
  return summary_;
}

Result<GroundTruth> Simulator::truth() const {
  if (!done_) return Status::FailedPrecondition("Simulator::truth() before a successful Run()");
  return truth_;
}

std::string Simulator::AccountId(uint32_t index) const {
  return world_ != nullptr && index < world_->num_accounts() ? world_->AccountIdString(index) : std::string();
}

}  // namespace lockstep
