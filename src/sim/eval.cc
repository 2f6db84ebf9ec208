#include "lockstep/sim/eval.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

namespace lockstep {

namespace {

// Splits RFC 4180 CSV into records; calls on_row(fields, line) for each.
// Returns an error message ("" when fine).
template <typename OnRow>
std::string SplitCsv(std::string_view text, OnRow on_row) {
  std::vector<std::string> fields;
  std::string field;
  size_t i = 0;
  uint64_t line = 1;
  while (i < text.size()) {
    const uint64_t row_line = line;
    fields.clear();
    bool end_of_row = false;
    while (!end_of_row) {
      field.clear();
      if (i < text.size() && text[i] == '"') {
        ++i;
        for (;;) {
          if (i >= text.size()) return fmt::format("line {}: a quoted field never closes", row_line);
          const char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') {
              field.push_back('"');
              ++i;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line;
            field.push_back(c);
          }
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          return fmt::format("line {}: text after a closing quote", row_line);
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field.push_back(text[i++]);
      }
      fields.push_back(field);
      if (i < text.size() && text[i] == ',') {
        ++i;
      } else {
        if (i < text.size() && text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        end_of_row = true;
      }
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    std::string err = on_row(fields, row_line);
    if (!err.empty()) return err;
  }
  return "";
}

struct Columns {
  int account = -1, network = -1, score = -1;
  size_t count = 0;
};

template <typename Row, typename Make>
Result<std::vector<Row>> ParseTable(std::string_view text, std::string_view name, bool with_score, Make make) {
  std::vector<Row> rows;
  Columns cols;
  bool header = true;
  std::unordered_set<std::string> seen;
  std::string err = SplitCsv(text, [&](const std::vector<std::string>& f, uint64_t line) -> std::string {
    if (header) {
      header = false;
      for (size_t k = 0; k < f.size(); ++k) {
        std::string_view h = f[k];
        if (k == 0 && h.starts_with("\xEF\xBB\xBF")) h.remove_prefix(3);
        if (h == "account_id") cols.account = static_cast<int>(k);
        if (h == "network_id") cols.network = static_cast<int>(k);
        if (with_score && h == "score") cols.score = static_cast<int>(k);
      }
      cols.count = f.size();
      if (cols.account < 0 || cols.network < 0)
        return fmt::format("line {}: the header needs columns account_id and network_id{}; got '{}'", line,
                           with_score ? " (score optional)" : "", fmt::join(f, ","));
      return "";
    }
    if (f.size() != cols.count)
      return fmt::format("line {}: {} fields, the header has {}", line, f.size(), cols.count);
    const std::string& id = f[static_cast<size_t>(cols.account)];
    if (id.empty()) return fmt::format("line {}, field 'account_id': empty; every row needs an account", line);
    if (!seen.insert(id).second)
      return fmt::format("line {}, field 'account_id': '{}' appears twice; keep one row per account", line, id);
    double score = 0;
    if (cols.score >= 0) {
      const std::string& s = f[static_cast<size_t>(cols.score)];
      if (!s.empty()) {
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), score);
        if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(score))
          return fmt::format("line {}, field 'score': '{}' is not a number", line, s);
      }
    }
    rows.push_back(make(id, f[static_cast<size_t>(cols.network)], score));
    return "";
  });
  if (err.empty() && header) err = "the file is empty; expected a header row";
  if (!err.empty()) return Status::InputError(fmt::format("{}: {}", name, err));
  return rows;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("cannot read {}", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double Comb2(double n) { return n * (n - 1) / 2; }

// A CSV with a header naming at least `required`; on_row(fields by required
// column, line) for each data row, returning "" or an error.
template <typename OnRow>
Status ParseColumns(std::string_view text, std::string_view name, std::span<const std::string_view> required,
                    OnRow on_row) {
  bool header = true;
  std::vector<int> index(required.size(), -1);
  size_t count = 0;
  std::vector<std::string_view> picked(required.size());
  std::string err = SplitCsv(text, [&](const std::vector<std::string>& f, uint64_t line) -> std::string {
    if (header) {
      header = false;
      for (size_t k = 0; k < f.size(); ++k) {
        std::string_view h = f[k];
        if (k == 0 && h.starts_with("\xEF\xBB\xBF")) h.remove_prefix(3);
        for (size_t c = 0; c < required.size(); ++c)
          if (h == required[c]) index[c] = static_cast<int>(k);
      }
      count = f.size();
      for (size_t c = 0; c < required.size(); ++c)
        if (index[c] < 0)
          return fmt::format("line {}: the header needs column '{}' (needs {}); got '{}'", line, required[c],
                             fmt::join(required, ","), fmt::join(f, ","));
      return "";
    }
    if (f.size() != count) return fmt::format("line {}: {} fields, the header has {}", line, f.size(), count);
    for (size_t c = 0; c < required.size(); ++c) picked[c] = f[static_cast<size_t>(index[c])];
    return on_row(picked, line);
  });
  if (err.empty() && header) err = "the file is empty; expected a header row";
  if (!err.empty()) return Status::InputError(fmt::format("{}: {}", name, err));
  return Status::Ok();
}

std::string ParseNumber(std::string_view s, uint64_t line, std::string_view field, double* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(*out) || *out < 0)
    return fmt::format("line {}, field '{}': '{}' is not a number >= 0", line, field, s);
  return "";
}

}  // namespace

Result<std::vector<NetworkParamsRow>> ParseNetworkParamsCsv(std::string_view text, std::string_view name) {
  static constexpr std::string_view kCols[] = {"network_id",       "family", "size",          "lag_seconds",
                                               "organic_share",    "paraphrase_share", "infra", "missing_fields"};
  std::vector<NetworkParamsRow> rows;
  Status st = ParseColumns(text, name, kCols, [&](const std::vector<std::string_view>& f, uint64_t line) -> std::string {
    NetworkParamsRow r;
    r.network_id = std::string(f[0]);
    r.family = std::string(f[1]);
    if (r.network_id.empty()) return fmt::format("line {}, field 'network_id': empty", line);
    double size = 0;
    if (auto e = ParseNumber(f[2], line, "size", &size); !e.empty()) return e;
    r.size = static_cast<uint64_t>(size);
    if (auto e = ParseNumber(f[3], line, "lag_seconds", &r.lag_seconds); !e.empty()) return e;
    if (auto e = ParseNumber(f[4], line, "organic_share", &r.organic_share); !e.empty()) return e;
    if (auto e = ParseNumber(f[5], line, "paraphrase_share", &r.paraphrase_share); !e.empty()) return e;
    r.infra = std::string(f[6]);
    std::string_view m = f[7];
    while (!m.empty()) {
      const size_t sp = m.find(' ');
      if (sp != 0) r.missing.emplace_back(m.substr(0, sp));
      if (sp == std::string_view::npos) break;
      m.remove_prefix(sp + 1);
    }
    rows.push_back(std::move(r));
    return "";
  });
  if (!st.ok()) return st;
  return rows;
}

Result<std::vector<LookAlikeRow>> ParseLookAlikesCsv(std::string_view text, std::string_view name) {
  static constexpr std::string_view kCols[] = {"account_id", "kind", "group_id"};
  std::vector<LookAlikeRow> rows;
  Status st = ParseColumns(text, name, kCols, [&](const std::vector<std::string_view>& f, uint64_t line) -> std::string {
    if (f[0].empty() || f[1].empty())
      return fmt::format("line {}, field '{}': empty", line, f[0].empty() ? "account_id" : "kind");
    rows.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2])});
    return "";
  });
  if (!st.ok()) return st;
  return rows;
}

Result<std::vector<LabelRow>> ParseLabelsCsv(std::string_view text, std::string_view name) {
  return ParseTable<LabelRow>(text, name, false, [](const std::string& a, const std::string& n, double) {
    return LabelRow{a, n};
  });
}

Result<std::vector<DetectionRow>> ParseDetectionCsv(std::string_view text, std::string_view name) {
  return ParseTable<DetectionRow>(text, name, true, [](const std::string& a, const std::string& n, double s) {
    return DetectionRow{a, n, s};
  });
}

Result<std::vector<LabelRow>> ReadLabelsCsv(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseLabelsCsv(*text, path);
}

Result<std::vector<DetectionRow>> ReadDetectionCsv(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseDetectionCsv(*text, path);
}

EvalMetrics Evaluate(std::span<const LabelRow> labels, std::span<const DetectionRow> detection) {
  EvalMetrics m;
  std::unordered_map<std::string_view, std::string_view> truth;  // account -> network ("" authentic)
  std::map<std::string_view, uint64_t> true_size;
  for (const LabelRow& l : labels) {
    truth[l.account_id] = l.network_id;
    if (!l.network_id.empty()) {
      ++true_size[l.network_id];
      ++m.planted;
    }
  }
  m.accounts = truth.size();
  std::map<std::string_view, DetectedNetworkScore> detected;
  std::map<std::pair<std::string_view, std::string_view>, uint64_t> overlap;  // (true, detected) -> count
  for (const DetectionRow& d : detection) {
    ++m.detected;
    auto it = truth.find(d.account_id);
    const std::string_view t = it == truth.end() ? std::string_view() : it->second;
    if (it == truth.end()) ++m.accounts;
    if (!t.empty()) ++m.true_positives;
    if (d.network_id.empty()) continue;
    DetectedNetworkScore& s = detected[d.network_id];
    ++s.size;
    if (t.empty()) ++s.authentic;
    else ++overlap[{t, d.network_id}];
  }
  m.precision = m.detected == 0 ? 1.0 : static_cast<double>(m.true_positives) / static_cast<double>(m.detected);
  m.recall = m.planted == 0 ? 1.0 : static_cast<double>(m.true_positives) / static_cast<double>(m.planted);
  m.f1 = m.precision + m.recall == 0 ? 0 : 2 * m.precision * m.recall / (m.precision + m.recall);

  for (auto& [id, s] : detected) {
    s.network_id = std::string(id);
    s.is_false = 2 * s.authentic > s.size;
    if (s.is_false) ++m.false_networks;
    m.detected_networks.push_back(s);
  }
  for (const auto& [id, size] : true_size) {
    TrueNetworkScore n;
    n.network_id = std::string(id);
    n.size = size;
    for (auto it = overlap.lower_bound({id, std::string_view()}); it != overlap.end() && it->first.first == id; ++it) {
      const double inter = static_cast<double>(it->second);
      const double uni = static_cast<double>(size + detected[it->first.second].size) - inter;
      const double j = inter / uni;
      if (j > n.jaccard || (j == n.jaccard && n.best_match.empty())) {
        n.jaccard = j;
        n.best_match = std::string(it->first.second);
      }
    }
    n.recovered = n.jaccard >= 0.5;
    if (n.recovered) ++m.networks_recovered;
    m.networks.push_back(std::move(n));
  }

  // Adjusted Rand index; singleton clusters contribute no pairs.
  double index = 0, sum_a = 0, sum_b = 0;
  for (const auto& [key, c] : overlap) index += Comb2(static_cast<double>(c));
  for (const auto& [id, size] : true_size) sum_a += Comb2(static_cast<double>(size));
  for (const auto& [id, s] : detected) sum_b += Comb2(static_cast<double>(s.size));
  const double pairs = Comb2(static_cast<double>(m.accounts));
  const double expected = pairs > 0 ? sum_a * sum_b / pairs : 0;
  const double max_index = (sum_a + sum_b) / 2;
  m.adjusted_rand_index = max_index == expected ? 1.0 : (index - expected) / (max_index - expected);
  return m;
}

std::string EvalMetricsJson(const EvalMetrics& m) {
  std::string j = fmt::format(
      "{{\"accounts\": {}, \"planted\": {}, \"detected\": {}, \"true_positives\": {}, \"precision\": {:.6f}, "
      "\"recall\": {:.6f}, \"f1\": {:.6f}, \"networks_total\": {}, \"networks_recovered\": {}, "
      "\"detected_networks_total\": {}, \"false_networks\": {}, \"adjusted_rand_index\": {:.6f}, \"networks\": [",
      m.accounts, m.planted, m.detected, m.true_positives, m.precision, m.recall, m.f1, m.networks.size(),
      m.networks_recovered, m.detected_networks.size(), m.false_networks, m.adjusted_rand_index);
  auto q = [](std::string_view s) {
    std::string o = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') o += '\\';
      if (static_cast<unsigned char>(c) < 0x20) o += fmt::format("\\u{:04x}", c);
      else o += c;
    }
    return o + "\"";
  };
  for (size_t k = 0; k < m.networks.size(); ++k) {
    const TrueNetworkScore& n = m.networks[k];
    j += fmt::format("{}{{\"network_id\": {}, \"size\": {}, \"best_match\": {}, \"jaccard\": {:.6f}, \"recovered\": {}}}",
                     k ? ", " : "", q(n.network_id), n.size, q(n.best_match), n.jaccard, n.recovered);
  }
  j += "], \"detected_networks\": [";
  for (size_t k = 0; k < m.detected_networks.size(); ++k) {
    const DetectedNetworkScore& d = m.detected_networks[k];
    j += fmt::format("{}{{\"network_id\": {}, \"size\": {}, \"authentic\": {}, \"false\": {}}}", k ? ", " : "",
                     q(d.network_id), d.size, d.authentic, d.is_false);
  }
  return j + "]}";
}

std::string EvalMetricsTable(const EvalMetrics& m) {
  std::string s;
  auto out = std::back_inserter(s);
  fmt::format_to(out, "accounts: {} ({} planted), detected: {} ({} planted)\n", m.accounts, m.planted, m.detected,
                 m.true_positives);
  fmt::format_to(out, "account precision {:.4f}  recall {:.4f}  F1 {:.4f}\n", m.precision, m.recall, m.f1);
  fmt::format_to(out, "networks recovered (Jaccard >= 0.5): {} of {}\n", m.networks_recovered, m.networks.size());
  fmt::format_to(out, "false networks (more than half authentic): {} of {} detected\n", m.false_networks,
                 m.detected_networks.size());
  fmt::format_to(out, "adjusted Rand index: {:.4f}\n", m.adjusted_rand_index);
  if (!m.networks.empty()) {
    fmt::format_to(out, "\n{:<28} {:>7}  {:<28} {:>8}  {}\n", "true network", "size", "best detected", "Jaccard",
                   "recovered");
    for (const TrueNetworkScore& n : m.networks)
      fmt::format_to(out, "{:<28} {:>7}  {:<28} {:>8.4f}  {}\n", n.network_id, n.size,
                     n.best_match.empty() ? "-" : n.best_match, n.jaccard, n.recovered ? "yes" : "no");
  }
  return s;
}

// ------------------------------------------------------------------ curves

Result<CurveRun> ReadCurveRun(const std::string& data_dir, const std::string& detected) {
  CurveRun run;
  auto labels = ReadLabelsCsv(data_dir + "/labels.csv");
  if (!labels.ok()) return labels.status();
  run.labels = std::move(labels).value();
  std::error_code ec;
  const std::string det = std::filesystem::is_directory(detected, ec) ? detected + "/assignments.csv" : detected;
  auto detection = ReadDetectionCsv(det);
  if (!detection.ok()) return detection.status();
  run.detection = std::move(detection).value();
  const std::string params_path = data_dir + "/truth_networks.csv";
  auto params_text = ReadFile(params_path);
  if (!params_text.ok()) return params_text.status();
  auto params = ParseNetworkParamsCsv(*params_text, params_path);
  if (!params.ok()) return params.status();
  run.networks = std::move(params).value();
  const std::string look_path = data_dir + "/lookalikes.csv";
  auto look_text = ReadFile(look_path);
  if (!look_text.ok()) return look_text.status();
  auto look = ParseLookAlikesCsv(*look_text, look_path);
  if (!look.ok()) return look.status();
  run.lookalikes = std::move(look).value();
  return run;
}

namespace {

struct Binning {
  const char* parameter;
  std::vector<std::string> bins;
};

const std::vector<Binning>& Binnings() {
  static const std::vector<Binning> kBinnings = {
      {"size", {"10-19", "20-49", "50-99", "100-199", "200+"}},
      {"lag", {"< 1 min", "1-10 min", "10-60 min", "1-4 h", ">= 4 h"}},
      {"organic_share", {"0-20%", "20-40%", "40-60%", "60-85%"}},
      {"paraphrase_share", {"0-33%", "33-67%", "67-100%"}},
      {"infra", {"exact", "subnet", "none"}},
      {"missing_fields", {"complete", "share_target_ids", "infrastructure", "creation_dates", "seconds"}},
  };
  return kBinnings;
}

// The bins (indices into Binnings()[p].bins) a network falls in; several
// only for missing fields.
std::vector<size_t> BinsOf(size_t p, const NetworkParamsRow& n) {
  auto edge = [](double v, std::initializer_list<double> edges) {
    size_t b = 0;
    for (double e : edges)
      if (v >= e) ++b;
    return std::vector<size_t>{b};
  };
  switch (p) {
    case 0: return edge(static_cast<double>(n.size), {20, 50, 100, 200});
    case 1: return edge(n.lag_seconds, {60, 600, 3600, 14400});
    case 2: return edge(n.organic_share, {0.2, 0.4, 0.6});
    case 3: return edge(n.paraphrase_share, {1.0 / 3, 2.0 / 3});
    case 4: {
      const auto& b = Binnings()[4].bins;
      for (size_t k = 0; k < b.size(); ++k)
        if (b[k] == n.infra) return {k};
      return {};
    }
    default: {
      if (n.missing.empty()) return {0};
      std::vector<size_t> out;
      const auto& b = Binnings()[5].bins;
      for (const std::string& m : n.missing)
        for (size_t k = 1; k < b.size(); ++k)
          if (b[k] == m) out.push_back(k);
      return out;
    }
  }
}

void Add(CurveCell& c, const CurveCell& x) {
  c.networks += x.networks;
  c.recovered += x.recovered;
  c.planted_accounts += x.planted_accounts;
  c.detected_accounts += x.detected_accounts;
}

std::string Cell(const CurveCell& c) {
  if (c.networks == 0) return "-";
  return fmt::format("{}/{} ({:.0f}%)", c.recovered, c.networks,
                     c.planted_accounts == 0 ? 0.0 : 100.0 * static_cast<double>(c.detected_accounts) /
                                                         static_cast<double>(c.planted_accounts));
}

}  // namespace

CurveReport EvaluateCurves(std::span<const CurveRun> runs) {
  CurveReport r;
  r.runs = runs.size();
  for (const Binning& b : Binnings()) {
    Curve c;
    c.parameter = b.parameter;
    c.bins = b.bins;
    r.curves.push_back(std::move(c));
  }
  std::map<std::string, LookAlikeScore> kinds;
  for (const CurveRun& run : runs) {
    const EvalMetrics m = Evaluate(run.labels, run.detection);
    r.false_networks += m.false_networks;
    std::unordered_map<std::string_view, const TrueNetworkScore*> score_of;
    for (const TrueNetworkScore& t : m.networks) score_of[t.network_id] = &t;
    // Detected planted accounts per true network.
    std::unordered_map<std::string_view, std::string_view> truth;
    for (const LabelRow& l : run.labels) truth[l.account_id] = l.network_id;
    std::unordered_map<std::string_view, uint64_t> detected_in;
    std::unordered_set<std::string_view> flagged;
    for (const DetectionRow& d : run.detection) {
      flagged.insert(d.account_id);
      auto it = truth.find(d.account_id);
      if (it != truth.end() && !it->second.empty()) ++detected_in[it->second];
    }
    for (const NetworkParamsRow& n : run.networks) {
      CurveCell x;
      x.networks = 1;
      auto s = score_of.find(n.network_id);
      x.recovered = s != score_of.end() && s->second->recovered ? 1 : 0;
      x.planted_accounts = s != score_of.end() ? s->second->size : n.size;
      auto d = detected_in.find(n.network_id);
      x.detected_accounts = d != detected_in.end() ? d->second : 0;
      ++r.networks;
      r.recovered += x.recovered;
      Add(r.families[n.family], x);
      for (size_t p = 0; p < r.curves.size(); ++p) {
        Curve& c = r.curves[p];
        for (const char* fam : {n.family.c_str(), "all"}) {
          auto& cells = c.cells[fam];
          cells.resize(c.bins.size());
          for (size_t b : BinsOf(p, n)) Add(cells[b], x);
        }
      }
    }
    // Look-alikes: kinds of each account; accounts per kind and flagged.
    std::unordered_map<std::string_view, std::vector<std::string_view>> kinds_of;
    std::map<std::string_view, std::set<std::string_view>> members;
    for (const LookAlikeRow& l : run.lookalikes) {
      auto& v = kinds_of[l.account_id];
      if (std::find(v.begin(), v.end(), l.kind) == v.end()) v.push_back(l.kind);
      members[l.kind].insert(l.account_id);
    }
    for (const auto& [kind, accounts] : members) {
      LookAlikeScore& k = kinds[std::string(kind)];
      k.accounts += accounts.size();
      for (std::string_view a : accounts)
        if (flagged.contains(a)) ++k.flagged;
    }
    // False networks: attribute each to the kind holding most of its authentic members.
    std::map<std::string_view, std::vector<std::string_view>> authentic_members;
    for (const DetectionRow& d : run.detection) {
      if (d.network_id.empty()) continue;
      auto it = truth.find(d.account_id);
      if (it == truth.end() || it->second.empty()) authentic_members[d.network_id].push_back(d.account_id);
    }
    for (const DetectedNetworkScore& dn : m.detected_networks) {
      if (!dn.is_false) continue;
      const auto& auth = authentic_members[dn.network_id];
      std::map<std::string_view, uint64_t> count;
      for (std::string_view a : auth)
        if (auto it = kinds_of.find(a); it != kinds_of.end())
          for (std::string_view k : it->second) ++count[k];
      std::string kind = "ordinary";
      uint64_t best = 0;
      for (const auto& [k, c] : count)
        if (c > best) {
          best = c;
          kind = std::string(k);
        }
      if (3 * best < auth.size()) kind = "ordinary";
      LookAlikeScore& k = kinds[kind];
      ++k.false_networks;
      k.accounts_in_false_networks += dn.size;
    }
  }
  for (auto& [kind, k] : kinds) {
    k.kind = kind;
    if (kind != "ordinary") r.lookalikes.push_back(k);
  }
  if (auto it = kinds.find("ordinary"); it != kinds.end()) r.lookalikes.push_back(it->second);
  return r;
}

std::string CurveReportMarkdown(const CurveReport& r) {
  std::string s;
  auto out = std::back_inserter(s);
  fmt::format_to(out, "{} data sets, {} planted networks, {} recovered (Jaccard >= 0.5), {} false networks ({:.2f} per data set)\n\n",
                 r.runs, r.networks, r.recovered, r.false_networks,
                 r.runs == 0 ? 0.0 : static_cast<double>(r.false_networks) / static_cast<double>(r.runs));
  fmt::format_to(out, "Cells: networks recovered / networks (account recall).\n\n");
  fmt::format_to(out, "| family | networks |\n|---|---|\n");
  CurveCell all;
  for (const auto& [fam, c] : r.families) {
    fmt::format_to(out, "| {} | {} |\n", fam, Cell(c));
    Add(all, c);
  }
  fmt::format_to(out, "| all | {} |\n", Cell(all));
  for (const Curve& c : r.curves) {
    std::vector<std::string> fams;
    for (const auto& [fam, cells] : c.cells)
      if (fam != "all") fams.push_back(fam);
    fams.push_back("all");
    fmt::format_to(out, "\n### recall against {}\n\n| {} | {} |\n|---|", c.parameter, c.parameter, fmt::join(fams, " | "));
    for (size_t k = 0; k < fams.size(); ++k) fmt::format_to(out, "---|");
    fmt::format_to(out, "\n");
    for (size_t b = 0; b < c.bins.size(); ++b) {
      fmt::format_to(out, "| {} |", c.bins[b]);
      for (const std::string& f : fams) {
        auto it = c.cells.find(f);
        fmt::format_to(out, " {} |", it == c.cells.end() || b >= it->second.size() ? "-" : Cell(it->second[b]));
      }
      fmt::format_to(out, "\n");
    }
  }
  fmt::format_to(out, "\n### false networks per kind of look-alike\n\n"
                      "| kind | false networks | accounts in them | accounts flagged / labelled |\n|---|---|---|---|\n");
  for (const LookAlikeScore& k : r.lookalikes) {
    if (k.kind == "ordinary")
      fmt::format_to(out, "| ordinary (no look-alike) | {} | {} | - |\n", k.false_networks, k.accounts_in_false_networks);
    else
      fmt::format_to(out, "| {} | {} | {} | {}/{} |\n", k.kind, k.false_networks, k.accounts_in_false_networks,
                     k.flagged, k.accounts);
  }
  return s;
}

}  // namespace lockstep
