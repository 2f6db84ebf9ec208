// Small case stores for tests that need a recorded run but no data set: the
// network N1 of the accounts a1 and a2, recorded directly through
// CaseStore::RecordRun (no simulation, no detection).
#ifndef LOCKSTEP_TESTS_STORE_CASE_FIXTURE_H_
#define LOCKSTEP_TESTS_STORE_CASE_FIXTURE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/detect/network.h"
#include "lockstep/model/dataset.h"
#include "lockstep/store/case_store.h"

namespace lockstep::testing {

// A data set of accounts with these ids, in this order, and nothing else.
inline Dataset AccountsOnly(const std::vector<std::string>& ids) {
  Dataset ds;
  for (const std::string& id : ids) {
    ds.account_ids.Intern(id);
    ds.accounts.push_back({});
  }
  return ds;
}

// Network N1 of accounts 0 and 1 (a1 and a2 of AccountsOnly({"a1", "a2"})):
// confidence 0.9, member scores 0.8 and 0.7.
inline Network NetworkN1() {
  Network n;
  n.network_id = "N1";
  n.confidence = 0.9;
  n.members = {0, 1};
  n.member_scores = {0.8, 0.7};
  return n;
}

// Records one run whose only network is N1 of a1 and a2, from `data_path`
// at `at` (Unix seconds): it becomes case r<run>.N1.
inline Status RecordNetworkN1(CaseStore& store, std::string_view data_path = "data", int64_t at = 1600000000) {
  Detection d;
  d.networks.push_back(NetworkN1());
  Result<int64_t> run = store.RecordRun(AccountsOnly({"a1", "a2"}), d, data_path, "{}", at);
  return run.ok() ? Status::Ok() : run.status();
}

}  // namespace lockstep::testing

#endif  // LOCKSTEP_TESTS_STORE_CASE_FIXTURE_H_
