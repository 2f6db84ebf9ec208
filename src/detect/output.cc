#include "lockstep/detect/output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "lockstep/model/csv_field.h"
#include "lockstep/model/json_writer.h"

namespace lockstep {

namespace {

Status WriteText(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) return Status::IoError(fmt::format("{}: write failed", path));
  return Status::Ok();
}

void WriteCounts(JsonWriter& w, std::string_view key, const std::vector<CountShare>& counts) {
  w.Key(key).BeginArray();
  for (const CountShare& c : counts) w.BeginObject().Field("name", c.name).Field("count", c.count).EndObject();
  w.EndArray();
}

}  // namespace

void WriteSignalsRan(JsonWriter& w, const Detection& d) {
  w.Key("signals_run").BeginArray();
  for (const std::string& s : d.signals_run) w.String(s);
  w.EndArray();
  w.Key("signals_skipped").BeginArray();
  for (const SkippedSignal& s : d.skipped) w.BeginObject().Field("signal", s.signal).Field("reason", s.reason).EndObject();
  w.EndArray();
}

Status WriteAssignments(const Dataset& ds, const Detection& detection, const std::string& path) {
  std::string out = "account_id,network_id,score\n";
  for (const Network& n : detection.networks)
    for (size_t i = 0; i < n.members.size(); ++i)
      out += fmt::format("{},{},{:.4f}\n", CsvField(ds.AccountId(n.members[i])), n.network_id, n.member_scores[i]);
  return WriteText(path, out);
}

std::string NetworksJson(const Dataset& ds, const Detection& d) {
  JsonWriter w;
  w.BeginObject();
  w.Field("format", "lockstep-networks-1");
  w.Key("summary").BeginObject();
  w.Field("networks", static_cast<uint64_t>(d.networks.size()));
  w.Field("significance_fdr", d.fdr);
  w.Field("significant_coaction_edges", d.significant_edges);
  w.Field("expected_false_edges", d.expected_false_edges);
  WriteSignalsRan(w, d);
  w.Key("stage_seconds").BeginObject();
  for (const auto& [stage, seconds] : d.stage_seconds) w.Field(stage, seconds);
  w.EndObject();
  w.EndObject();
  w.Key("networks").BeginArray();
  for (const Network& n : d.networks) {
    w.BeginObject();
    w.Field("network_id", n.network_id);
    w.Field("confidence", n.confidence);
    w.Field("size", static_cast<uint64_t>(n.members.size()));
    w.Key("utc_offset").OptionalNumber(n.utc_offset);
    w.Field("utc_offset_confidence", n.utc_offset_confidence);
    w.Field("tier", n.tier);
    w.Key("indicators").BeginArray();
    for (const Indicator& ind : n.indicators) {
      w.BeginObject();
      w.Field("signal", ind.signal);
      w.Field("strength", ind.strength);
      w.Key("p_value").OptionalNumber(ind.p_value);
      w.Field("evidence", ind.evidence);
      w.Key("examples").BeginArray();
      for (const std::string& e : ind.examples) w.String(e);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    // Size by platform and kind.
    std::map<std::string, uint64_t> presence;
    for (AccountIndex a : n.members) {
      const Account& acc = ds.accounts[a];
      std::string platform(ds.String(acc.platform));
      presence[fmt::format("{}/{}", platform.empty() ? "unknown" : platform, Name(acc.kind))]++;
    }
    w.Key("size_by_platform_kind").BeginObject();
    for (const auto& [k, v] : presence) w.Field(k, v);
    w.EndObject();
    w.Key("shift_profile").BeginObject();
    w.Field("morning_peak", n.shift.morning_peak).Field("evening_peak", n.shift.evening_peak);
    w.Field("lunch_dip", n.shift.lunch_dip).Field("night_pause", n.shift.night_pause);
    w.Field("automated", n.shift.automated).Field("summary", n.shift.summary);
    w.Key("hour_share").BeginArray();
    for (double v : n.shift.hour_share) w.Number(v);
    w.EndArray();
    w.Key("weekday_share").BeginArray();
    for (double v : n.shift.weekday_share) w.Number(v);
    w.EndArray();
    w.EndObject();
    w.Key("origin_countries").BeginArray();
    for (const std::string& c : n.origin_countries) w.String(c);
    w.EndArray();
    w.Key("target_countries").BeginArray();
    for (const std::string& c : n.target_countries) w.String(c);
    w.EndArray();
    WriteCounts(w, "top_domains", n.top_domains);
    WriteCounts(w, "top_hashtags", n.top_hashtags);
    WriteCounts(w, "languages", n.languages);
    w.Field("events", n.events);
    w.Field("first_activity", FormatTime(n.first_activity));
    w.Field("last_activity", FormatTime(n.last_activity));
    w.Key("attached").BeginArray();
    for (AccountIndex a : n.attached) w.String(ds.AccountId(a));
    w.EndArray();
    w.Key("members").BeginArray();
    for (AccountIndex a : n.members) w.String(ds.AccountId(a));
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take() + "\n";
}

Status WriteNetworksJson(const Dataset& ds, const Detection& detection, const std::string& path) {
  return WriteText(path, NetworksJson(ds, detection));
}

}  // namespace lockstep
