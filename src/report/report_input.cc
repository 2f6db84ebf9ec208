#include "lockstep/report/report_input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

#include "lockstep/ingest/load.h"
#include "lockstep/model/json_writer.h"

namespace lockstep {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

std::string Str(element e, std::string_view key) {
  std::string_view v;
  if (e[key].get_string().get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

double Num(element e, std::string_view key, double missing = 0) {
  double v;
  if (e[key].get_double().get(v) == simdjson::SUCCESS) return v;
  int64_t i;
  if (e[key].get_int64().get(i) == simdjson::SUCCESS) return static_cast<double>(i);
  uint64_t u;
  if (e[key].get_uint64().get(u) == simdjson::SUCCESS) return static_cast<double>(u);
  return missing;
}

std::optional<double> OptNum(element e, std::string_view key) {
  element v;
  if (e[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  return Num(e, key);
}

bool Bool(element e, std::string_view key) {
  bool b = false;
  return e[key].get_bool().get(b) == simdjson::SUCCESS && b;
}

std::vector<std::string> Strings(element e, std::string_view key) {
  std::vector<std::string> out;
  array a;
  if (e[key].get_array().get(a) != simdjson::SUCCESS) return out;
  for (element x : a) {
    std::string_view s;
    if (x.get_string().get(s) == simdjson::SUCCESS) out.emplace_back(s);
  }
  return out;
}

std::vector<CountShare> Counts(element e, std::string_view key) {
  std::vector<CountShare> out;
  array a;
  if (e[key].get_array().get(a) != simdjson::SUCCESS) return out;
  for (element x : a) out.push_back({Str(x, "name"), static_cast<uint64_t>(Num(x, "count"))});
  return out;
}

int64_t Time(element e, std::string_view key) {
  int64_t t = kNoTime;
  const std::string s = Str(e, key);
  if (s.empty() || !ParseTime(s, &t)) return kNoTime;
  return t;
}

// Splits one CSV line of assignments.csv (ids may be quoted).
std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace

Status WriteRunManifest(const std::string& dir, const std::string& data_path, const std::string& data_format,
                        const std::vector<std::pair<std::string, std::string>>& column_map) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(data_path, ec);
  if (ec) abs = data_path;
  JsonWriter w;
  w.BeginObject();
  w.Field("format", "lockstep-run-1");
  w.Field("data", abs.lexically_normal().string());
  w.Field("data_format", data_format);
  w.Key("column_map").BeginArray();
  for (const auto& [field, column] : column_map) w.BeginArray().String(field).String(column).EndArray();
  w.EndArray();
  w.Field("lockstep_version", "0.1.0");
  w.EndObject();
  const std::string path = dir + "/run.json";
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  const std::string text = w.Take() + "\n";
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) return Status::IoError(fmt::format("{}: write failed", path));
  return Status::Ok();
}

Result<RunManifest> ReadRunManifest(const std::string& dir) {
  const std::string path = dir + "/run.json";
  if (!std::filesystem::exists(path))
    return Status::IoError(fmt::format("{}: no run manifest; run lockstep detect with --out {} first, or pass --data DATA",
                                       path, dir));
  simdjson::dom::parser parser;
  element doc;
  if (auto err = parser.load(path).get(doc); err)
    return Status::InputError(fmt::format("{}: not JSON: {}", path, simdjson::error_message(err)));
  RunManifest m;
  m.data_path = Str(doc, "data");
  m.data_format = Str(doc, "data_format");
  if (m.data_path.empty())
    return Status::InputError(fmt::format("{}: field 'data' missing; expected the data set's path", path));
  if (m.data_format.empty()) m.data_format = "auto";
  array map;
  if (doc["column_map"].get_array().get(map) == simdjson::SUCCESS)
    for (element pair : map) {
      std::vector<std::string> fc;
      array a;
      if (pair.get_array().get(a) == simdjson::SUCCESS)
        for (element x : a) {
          std::string_view v;
          if (x.get_string().get(v) == simdjson::SUCCESS) fc.emplace_back(v);
        }
      if (fc.size() == 2) m.column_map.emplace_back(fc[0], fc[1]);
    }
  return m;
}

Result<Detection> LoadDetection(const std::string& dir, const Dataset& ds) {
  const std::string path = dir + "/networks.json";
  if (!std::filesystem::exists(path))
    return Status::IoError(fmt::format("{}: missing; expected the output directory of lockstep detect", path));
  simdjson::dom::parser parser;
  element doc;
  if (auto err = parser.load(path).get(doc); err)
    return Status::InputError(fmt::format("{}: not JSON: {}", path, simdjson::error_message(err)));
  Detection d;
  element summary;
  if (doc["summary"].get(summary) == simdjson::SUCCESS) {
    d.fdr = Num(summary, "significance_fdr");
    d.significant_edges = static_cast<uint64_t>(Num(summary, "significant_coaction_edges"));
    d.expected_false_edges = Num(summary, "expected_false_edges");
    d.signals_run = Strings(summary, "signals_run");
    array skipped;
    if (summary["signals_skipped"].get_array().get(skipped) == simdjson::SUCCESS)
      for (element s : skipped) d.skipped.push_back({Str(s, "signal"), Str(s, "reason")});
  }
  array networks;
  if (doc["networks"].get_array().get(networks) != simdjson::SUCCESS)
    return Status::InputError(fmt::format("{}: no 'networks' array; expected lockstep-networks-1", path));
  std::unordered_map<std::string, size_t> network_of;
  for (element e : networks) {
    Network n;
    n.network_id = Str(e, "network_id");
    n.confidence = Num(e, "confidence");
    n.utc_offset = OptNum(e, "utc_offset");
    n.utc_offset_confidence = Num(e, "utc_offset_confidence");
    n.tier = Str(e, "tier");
    array indicators;
    if (e["indicators"].get_array().get(indicators) == simdjson::SUCCESS)
      for (element x : indicators) {
        Indicator ind;
        ind.signal = Str(x, "signal");
        ind.strength = Num(x, "strength");
        ind.p_value = OptNum(x, "p_value");
        ind.evidence = Str(x, "evidence");
        ind.examples = Strings(x, "examples");
        n.indicators.push_back(std::move(ind));
      }
    element shift;
    if (e["shift_profile"].get(shift) == simdjson::SUCCESS) {
      n.shift.morning_peak = Bool(shift, "morning_peak");
      n.shift.evening_peak = Bool(shift, "evening_peak");
      n.shift.lunch_dip = Bool(shift, "lunch_dip");
      n.shift.night_pause = Bool(shift, "night_pause");
      n.shift.automated = Bool(shift, "automated");
      n.shift.summary = Str(shift, "summary");
      array a;
      size_t i = 0;
      if (shift["hour_share"].get_array().get(a) == simdjson::SUCCESS)
        for (element v : a) {
          double x = 0;
          if (i < 24 && v.get_double().get(x) == simdjson::SUCCESS) n.shift.hour_share[i] = x;
          ++i;
        }
      i = 0;
      if (shift["weekday_share"].get_array().get(a) == simdjson::SUCCESS)
        for (element v : a) {
          double x = 0;
          if (i < 7 && v.get_double().get(x) == simdjson::SUCCESS) n.shift.weekday_share[i] = x;
          ++i;
        }
    }
    n.origin_countries = Strings(e, "origin_countries");
    n.target_countries = Strings(e, "target_countries");
    n.top_domains = Counts(e, "top_domains");
    n.top_hashtags = Counts(e, "top_hashtags");
    n.languages = Counts(e, "languages");
    n.events = static_cast<uint64_t>(Num(e, "events"));
    n.first_activity = Time(e, "first_activity");
    n.last_activity = Time(e, "last_activity");
    auto lookup = [&](const std::string& id, AccountIndex* out) -> Status {
      const StringId a = ds.account_ids.Find(id);
      if (a == kNoString || !ds.IsAccount(a))
        return Status::InputError(fmt::format("{}: network {} names account '{}', which the data set does not have; "
                                              "is --data the data set detect read?",
                                              path, n.network_id, id));
      *out = a;
      return Status::Ok();
    };
    for (const std::string& id : Strings(e, "members")) {
      AccountIndex a{};
      if (Status s = lookup(id, &a); !s.ok()) return s;
      n.members.push_back(a);
    }
    for (const std::string& id : Strings(e, "attached")) {
      AccountIndex a{};
      if (Status s = lookup(id, &a); !s.ok()) return s;
      n.attached.push_back(a);
    }
    n.member_scores.assign(n.members.size(), 0.0);
    network_of[n.network_id] = d.networks.size();
    d.networks.push_back(std::move(n));
  }
  // Member scores from assignments.csv.
  std::map<std::pair<size_t, AccountIndex>, size_t> position;  // (network, account) -> index in members
  for (size_t k = 0; k < d.networks.size(); ++k)
    for (size_t i = 0; i < d.networks[k].members.size(); ++i) position[{k, d.networks[k].members[i]}] = i;
  std::ifstream in(dir + "/assignments.csv");
  std::string line;
  if (in && std::getline(in, line)) {
    uint64_t line_no = 1;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty() || line == "\r") continue;
      const std::vector<std::string> f = SplitCsvLine(line);
      if (f.size() < 3)
        return Status::InputError(fmt::format("{}/assignments.csv:{}: {} fields; expected account_id,network_id,score",
                                              dir, line_no, f.size()));
      auto it = network_of.find(f[1]);
      if (it == network_of.end()) continue;
      auto pos = position.find({it->second, ds.account_ids.Find(f[0])});
      if (pos != position.end()) d.networks[it->second].member_scores[pos->second] = std::strtod(f[2].c_str(), nullptr);
    }
  }
  return d;
}

Result<StoredRun> LoadStoredRun(const std::string& dir, const std::string& data_path, const std::string& data_format) {
  StoredRun run;
  if (data_path.empty()) {
    auto manifest = ReadRunManifest(dir);
    if (!manifest.ok()) return manifest.status();
    run.manifest = std::move(*manifest);
  } else {
    run.manifest.data_path = data_path;
    run.manifest.data_format = data_format;
  }
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadOptions options;
  options.column_map = run.manifest.column_map;
  LoadReport report;
  auto ds = LoadDataset(run.manifest.data_path, run.manifest.data_format, options, &sink, &report);
  if (!ds.ok()) return ds.status();
  run.dataset = std::move(*ds);
  auto detection = LoadDetection(dir, run.dataset);
  if (!detection.ok()) return detection.status();
  run.detection = std::move(*detection);
  return run;
}

}  // namespace lockstep
