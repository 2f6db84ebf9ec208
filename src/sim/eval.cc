#include "lockstep/sim/eval.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
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

}  // namespace

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

}  // namespace lockstep
