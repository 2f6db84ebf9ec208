// The scenario simulator: writes a data set in the lockstep format
// (../shared/FORMAT.md) with its ground truth.
//
// Output in `out_dir` (created if missing, files replaced): accounts.csv,
// events.csv, infra.csv, profile_changes.csv, follower_counts.csv, ads.csv,
// labels.csv (account_id,network_id; empty network_id = authentic) and
// truth.json (each planted network: network_id, family, members,
// operator_utc_offset_hours, origin and target country, affiliated domains,
// hashtags, creation-burst and activity windows; and each authentic
// coordinated group or shared infrastructure with its ids).
//
// Deterministic: the same spec gives byte-identical files. Account ids are a
// bijective hash of an internal index and accounts.csv is ordered by id, so
// neither ids nor row order reveal labels. Events are generated day by day
// and streamed, so memory is O(accounts + events of one day), never O(events);
// time is linear in the scale.
#ifndef LOCKSTEP_SIM_SIMULATOR_H_
#define LOCKSTEP_SIM_SIMULATOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "lockstep/model/status.h"
#include "lockstep/sim/scenario.h"

namespace lockstep {

struct SimulationProgress {
  int days_done = 0;
  int days_total = 0;
  uint64_t events = 0;  // events written so far
  uint64_t bytes = 0;   // bytes written so far, all files
};

struct SimulationOptions {
  std::string out_dir;
  // Called after every simulated day, from the thread running Run().
  std::function<void(const SimulationProgress&)> progress;
};

// Row counts and bytes of one run.
struct SimulationSummary {
  uint64_t accounts = 0, planted_accounts = 0, networks = 0;
  uint64_t events = 0, infra = 0, profile_changes = 0, follower_counts = 0, ads = 0;
  uint64_t bytes = 0;      // all files
  double seconds = 0;      // wall time of Run()
};

class Simulator {
 public:
  Simulator(ScenarioSpec spec, SimulationOptions options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Simulates and writes every file. kIoError if a file cannot be written.
  // Call once.
  Status Run();

  // Results; kFailedPrecondition before a successful Run().
  Result<SimulationSummary> summary() const;
  Result<GroundTruth> truth() const;
  // The id of an account index used in GroundTruth (after Run()).
  std::string AccountId(uint32_t index) const;

 private:
  ScenarioSpec spec_;
  SimulationOptions options_;
  std::unique_ptr<World> world_;
  GroundTruth truth_;
  SimulationSummary summary_;
  bool done_ = false;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIM_SIMULATOR_H_
