// What detection hands back: suspected networks with their evidence. The
// report and the case store read these; networks.json (see output.h) is
// their serialised form, and some of its keys are a contract.
#ifndef LOCKSTEP_DETECT_NETWORK_H_
#define LOCKSTEP_DETECT_NETWORK_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lockstep/model/dataset.h"

namespace lockstep {

// One piece of evidence: which signal, how strong, how unlikely by chance.
struct Indicator {
  std::string signal;        // "co-share", "shared-infrastructure", "creation-burst", ...
  double strength = 0;       // 0..1
  std::optional<double> p_value;  // probability under the signal's null model, when it has one
  std::string evidence;      // one sentence an investigator can check
  std::vector<std::string> examples;  // concrete instances (edges, values, dates)
};

// The operators' working pattern in their inferred time zone.
struct ShiftProfile {
  std::array<double, 24> hour_share{};   // share of activity by local hour
  std::array<double, 7> weekday_share{}; // Monday first
  bool morning_peak = false, evening_peak = false, lunch_dip = false, night_pause = false;
  bool automated = false;                // flat 24/7 or superhuman rates
  std::string summary;
};

struct CountShare {
  std::string name;
  uint64_t count = 0;
};

struct Network {
  std::string network_id;                // "N1", "N2", ... by confidence
  double confidence = 0;                 // 0..1
  std::vector<AccountIndex> members;     // sorted
  std::vector<double> member_scores;     // 0..1, parallel to members
  std::vector<AccountIndex> attached;    // sorted subset of members added for infrastructure or ownership, or
                                         // as a linked cluster (Detector::Link): members that are not core
  std::vector<Indicator> indicators;     // strongest first
  std::optional<double> utc_offset;      // hours; null when there is no evidence
  double utc_offset_confidence = 0;
  ShiftProfile shift;
  std::vector<std::string> origin_countries;  // where the operators are, best evidence first
  std::vector<std::string> target_countries;  // whom the content is aimed at
  std::string tier = "CIB";              // "CIB" (domestic) or "FGI" (foreign/government interference)
  std::vector<CountShare> top_domains, top_hashtags, languages;
  uint64_t events = 0;
  int64_t first_activity = kNoTime, last_activity = kNoTime;
};

struct SkippedSignal {
  std::string signal;
  std::string reason;
};

struct Detection {
  std::vector<Network> networks;         // by confidence, highest first
  std::vector<SkippedSignal> skipped;    // signals that did not apply to this data
  std::vector<std::string> signals_run;
  double fdr = 0;                        // the significance level used
  double expected_false_edges = 0;       // sum over co-action layers
  uint64_t significant_edges = 0;
  std::vector<std::pair<std::string, double>> stage_seconds;  // timing per stage
};

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_NETWORK_H_
