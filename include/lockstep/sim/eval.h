// Evaluation of a detection against ground truth labels.
//
// Inputs: labels (account_id,network_id; empty network_id = authentic) and a
// detection (account_id,network_id,score). Definitions:
//   - Universe U: every account in the labels or in the detection. An account
//     in the detection but not in the labels counts as authentic.
//   - Account level: an account is detected if it has a row in the detection
//     (with or without a network_id). precision = |detected ∩ planted| /
//     |detected|, 1 when nothing is detected; recall = |detected ∩ planted| /
//     |planted|, 1 when nothing is planted; F1 = 2PR / (P + R), 0 when P + R = 0.
//   - Detected networks: the groups of detection rows sharing a non-empty
//     network_id. A detected account with an empty network_id belongs to no
//     detected network.
//   - Best Jaccard of a true network T: max over detected networks D of
//     |T ∩ D| / |T ∪ D|, 0 if no detected network touches T. T is recovered
//     when its best Jaccard is >= 0.5.
//   - A detected network is false when more than half of its members are
//     authentic (strictly more than |D| / 2).
//   - Adjusted Rand index (Hubert & Arabie 1985) over U between two
//     partitions: truth = one cluster per planted network, every authentic
//     account its own singleton; detection = one cluster per detected
//     network, every other account its own singleton. When both partitions
//     consist only of singletons the index is 1.
// Complexity O(|labels| + |detection|) expected. Pure functions; thread-safe.
#ifndef LOCKSTEP_SIM_EVAL_H_
#define LOCKSTEP_SIM_EVAL_H_

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/status.h"

namespace lockstep {

struct LabelRow {
  std::string account_id;
  std::string network_id;  // "" = authentic
};

struct DetectionRow {
  std::string account_id;
  std::string network_id;  // "" = flagged without a network
  double score = 0;        // as given; 0 when the column or cell is empty
};

// Parse CSV (RFC 4180, header row). Labels need columns account_id and
// network_id; a detection needs account_id and network_id, score optional.
// Other columns are ignored. Errors are kInputError naming `name`, the line
// and what was wrong: a missing column, an unterminated quote, an empty
// account_id, a score that is not a number, an account listed twice.
Result<std::vector<LabelRow>> ParseLabelsCsv(std::string_view text, std::string_view name);
Result<std::vector<DetectionRow>> ParseDetectionCsv(std::string_view text, std::string_view name);
// The same from a file; kIoError if it cannot be read.
Result<std::vector<LabelRow>> ReadLabelsCsv(const std::string& path);
Result<std::vector<DetectionRow>> ReadDetectionCsv(const std::string& path);

struct TrueNetworkScore {
  std::string network_id;
  uint64_t size = 0;
  std::string best_match;  // detected network with the best Jaccard; "" if none
  double jaccard = 0;
  bool recovered = false;  // jaccard >= 0.5
};

struct DetectedNetworkScore {
  std::string network_id;
  uint64_t size = 0;
  uint64_t authentic = 0;  // members labelled authentic or absent from the labels
  bool is_false = false;   // authentic > size / 2
};

struct EvalMetrics {
  uint64_t accounts = 0;          // |U|
  uint64_t planted = 0;           // accounts labelled with a network
  uint64_t detected = 0;          // accounts in the detection
  uint64_t true_positives = 0;    // detected and planted
  double precision = 1, recall = 1, f1 = 0;
  std::vector<TrueNetworkScore> networks;           // ordered by network_id
  uint64_t networks_recovered = 0;
  std::vector<DetectedNetworkScore> detected_networks;  // ordered by network_id
  uint64_t false_networks = 0;
  double adjusted_rand_index = 1;
};

EvalMetrics Evaluate(std::span<const LabelRow> labels, std::span<const DetectionRow> detection);

// The metrics as one JSON object (keys as the struct's fields).
std::string EvalMetricsJson(const EvalMetrics& m);
// A readable table.
std::string EvalMetricsTable(const EvalMetrics& m);

// ------------------------------------------------------------------ curves
// Recall per family as a curve against each drawn parameter, and false
// networks per kind of authentic look-alike, over several simulated data
// sets (`lockstep eval-curves`). A data set's truth is the simulator's
// labels.csv, truth_networks.csv and lookalikes.csv.

// One row of truth_networks.csv: a planted network's drawn parameters.
struct NetworkParamsRow {
  std::string network_id, family;
  uint64_t size = 0;
  double lag_seconds = 0, organic_share = 0, paraphrase_share = 0;
  std::string infra;                  // exact, subnet, none
  std::vector<std::string> missing;   // fields the export lacks (space-separated in the file)
};
// One row of lookalikes.csv: an authentic account in a look-alike group.
struct LookAlikeRow {
  std::string account_id, kind, group_id;
};
// Errors are kInputError naming `name`, the line and the field.
Result<std::vector<NetworkParamsRow>> ParseNetworkParamsCsv(std::string_view text, std::string_view name);
Result<std::vector<LookAlikeRow>> ParseLookAlikesCsv(std::string_view text, std::string_view name);

// One simulated data set and its detection.
struct CurveRun {
  std::vector<LabelRow> labels;
  std::vector<DetectionRow> detection;
  std::vector<NetworkParamsRow> networks;
  std::vector<LookAlikeRow> lookalikes;
};
// Reads `data_dir`/{labels,truth_networks,lookalikes}.csv and the detection
// CSV `detected` (a file, or a directory holding assignments.csv).
Result<CurveRun> ReadCurveRun(const std::string& data_dir, const std::string& detected);

// Networks of one family in one bin of a parameter.
struct CurveCell {
  uint64_t networks = 0, recovered = 0;        // recovered: best Jaccard >= 0.5 (as Evaluate)
  uint64_t planted_accounts = 0, detected_accounts = 0;  // account recall = detected / planted
};
// A parameter's bins (in order) and, per family and for "all", one cell per bin.
struct Curve {
  std::string parameter;              // size, lag, organic_share, paraphrase_share, infra, missing_fields
  std::vector<std::string> bins;
  std::map<std::string, std::vector<CurveCell>> cells;  // family -> cells; "all" included
};
// False networks attributed to a kind of look-alike: the kind holding the
// most of the network's authentic members, if it holds at least a third of
// them; else "ordinary". `flagged` counts the kind's accounts in the
// detection at all (with or without a network) of `accounts` labelled.
struct LookAlikeScore {
  std::string kind;
  uint64_t false_networks = 0, accounts_in_false_networks = 0;
  uint64_t accounts = 0, flagged = 0;
};
struct CurveReport {
  uint64_t runs = 0, networks = 0, recovered = 0, false_networks = 0;
  std::map<std::string, CurveCell> families;  // per family over all bins
  std::vector<Curve> curves;
  std::vector<LookAlikeScore> lookalikes;     // ordered by kind; "ordinary" last
};
// Bin edges: size 10-19, 20-49, 50-99, 100-199, 200+; lag < 1 min, 1-10 min,
// 10-60 min, 1-4 h, >= 4 h; organic and paraphrase share in thirds or
// quarters as CurveBins says; infra by mode; missing fields one row per
// missing field, "complete" when none is missing.
CurveReport EvaluateCurves(std::span<const CurveRun> runs);
// Markdown: a summary, a per-family table, one table per parameter (rows
// bins, columns families, cells "recovered/networks (account recall %)"),
// and the look-alike table.
std::string CurveReportMarkdown(const CurveReport& r);

}  // namespace lockstep

#endif  // LOCKSTEP_SIM_EVAL_H_
