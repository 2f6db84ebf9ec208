// A simulated data set loaded once per (scenario, seed, scale) and cached
// for the whole test binary, with its ground truth mapped onto the loaded
// accounts. Shared by the signal tests that check behaviour on simulator
// scenarios.
#ifndef LOCKSTEP_TESTS_SIGNALS_SIM_FIXTURE_H_
#define LOCKSTEP_TESTS_SIGNALS_SIM_FIXTURE_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/sim/simulator.h"
#include "test_util.h"

namespace lockstep::testing {

// A lockstep-format directory loaded with the default options; a load
// failure fails the calling test.
inline Dataset LoadLockstep(const std::string& dir) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadLockstepDirectory(dir, {}, &sink, &report);
  EXPECT_TRUE(ds.ok()) << dir << ": " << ds.status().message();
  return ds.ok() ? std::move(ds).value() : Dataset();
}

struct SimData {
  TempDir dir;
  Dataset ds;
  GroundTruth truth;
  std::map<std::string, std::vector<AccountIndex>> members;  // network_id -> accounts
  std::vector<uint8_t> planted;                               // per account
};

inline const SimData& Simulated(const std::string& scenario, uint64_t seed, double scale) {
  static std::map<std::string, std::unique_ptr<SimData>> cache;
  const std::string key = scenario + "/" + std::to_string(seed) + "/" + std::to_string(scale);
  auto& slot = cache[key];
  if (slot) return *slot;
  slot = std::make_unique<SimData>();
  auto spec = DrawScenario(scenario, seed, scale);
  EXPECT_TRUE(spec.ok());
  SimulationOptions options;
  options.out_dir = slot->dir.path();
  Simulator sim(std::move(spec).value(), options);
  EXPECT_TRUE(sim.Run().ok()) << "simulating " << key;
  slot->truth = sim.truth().value();
  slot->ds = LoadLockstep(slot->dir.path());
  slot->planted.assign(slot->ds.num_accounts(), 0);
  for (const NetworkTruth& n : slot->truth.networks)
    for (uint32_t i : n.members) {
      const StringId a = slot->ds.account_ids.Find(sim.AccountId(i));
      if (a == kNoString) continue;
      slot->members[n.network_id].push_back(a);
      slot->planted[a] = 1;
    }
  return *slot;
}

inline const NetworkTruth& Network(const SimData& d, std::string_view family) {
  for (const NetworkTruth& n : d.truth.networks)
    if (n.family == family) return n;
  ADD_FAILURE() << "no " << family << " network";
  return d.truth.networks.front();
}

}  // namespace lockstep::testing

#endif  // LOCKSTEP_TESTS_SIGNALS_SIM_FIXTURE_H_
