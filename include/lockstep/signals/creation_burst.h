// CreationBurstSignal: sets of accounts created within days of each other,
// far more than the population's local creation rate explains. The method
// of Marc Owen Jones (Digital Authoritarianism in the Middle East, 2022;
// his account-creation-date histograms of Gulf sock-puppet networks), made
// a scan statistic (Kulldorff, "A spatial scan statistic", Communications
// in Statistics 1997; Naus, "The distribution of the size of the maximum
// cluster of points on a line", JASA 1965).
//
// Model. Creation times are binned (bin_seconds, UTC-aligned; days by
// default). Every window of window_bins[i] consecutive bins inside the data's
// range is tested: its count c against a local baseline rate taken from the
// baseline_bins bins on each side, excluding the window itself. The rate of
// a side is (count + 0.5) / bins; a side with fewer than baseline_bins / 4
// bins inside the data's range is not used; the baseline is the HIGHER of
// the usable sides. Taking the higher side keeps steps in the organic rate
// (platform growth, the start or end of a collection, a month without
// sign-ups) from looking like bursts: just before a drop-off the left side
// has the window's own rate. Under the null the count is Poisson with mean
// lambda = rate x window bins; the window is a burst candidate when
//   c >= min_accounts, c / lambda >= min_rate_ratio, and
//   P(X >= c | lambda) x windows_tested <= alpha
// (Bonferroni over every window tested: conservative, since overlapping
// windows are correlated). Candidates are taken greedily, most surprising
// first; a candidate overlapping one already taken is dropped.
//
// Results: groups() = one group per burst, accounts created in the window,
// strength = excess share (c - lambda) / c (the share of the window's
// accounts the baseline does not explain), p_value = the corrected tail
// probability (may underflow to 0; bursts() keeps log10). account_scores() =
// the strength of the burst an account belongs to, 0 otherwise.
// Every account row with a created_at takes part, pages and groups too.
//
// Complexity: O(n log n) for n accounts plus O(range bins x window lengths).
// Not thread-safe. The Dataset must outlive the signal. Results are empty
// before Run().
#ifndef LOCKSTEP_SIGNALS_CREATION_BURST_H_
#define LOCKSTEP_SIGNALS_CREATION_BURST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct CreationBurstOptions {
  int64_t bin_seconds = 86400;                                      // >= 1
  std::vector<int> window_bins = {1, 2, 3, 5, 7, 10, 14, 21, 28, 35, 42};  // window lengths tested, each >= 1
  int baseline_bins = 90;                                           // context on each side, >= 4
  uint32_t min_accounts = 10;                                       // smallest burst (>= 2)
  double min_rate_ratio = 2;                                        // count / expected at least this (>= 1)
  double alpha = 0.01;                                              // family-wise error rate (0, 1)
};

struct CreationBurst {
  int64_t window_start = 0, window_end = 0;    // seconds, [start, end), bin-aligned
  int64_t first_created = 0, last_created = 0; // of its accounts
  uint32_t count = 0;                          // accounts created in the window
  double expected = 0;                         // lambda
  double baseline_per_day = 0;                 // the local rate, accounts per day
  double rate_ratio = 0;                       // count / expected
  double log10_p = 0;                          // log10 P(X >= count | expected), uncorrected
  double log10_p_corrected = 0;                // + log10(windows tested), capped at 0
  std::vector<AccountIndex> accounts;          // sorted
};

// log P(X >= k) for X ~ Poisson(mean), natural log; 0 for k <= 0. Exact
// series in log space, accurate far into the tail (no underflow).
double PoissonLogTail(uint64_t k, double mean);

class CreationBurstSignal final : public Signal {
 public:
  CreationBurstSignal(const Dataset& ds, CreationBurstOptions options = {});

  std::string_view Name() const override { return "creation-burst"; }
  // Needs at least min_accounts accounts with created_at.
  bool Applicable(std::string* why_not) const override;

  // The bursts behind groups(), same order.
  const std::vector<CreationBurst>& bursts() const;
  uint64_t windows_tested() const { return windows_tested_; }
  // "41 accounts created 2020-06-01..2020-06-03 (3 days), 38.0x the local
  // baseline of 0.36/day (expected 1.1; p = 1e-52, 1e-47 after 12,034 windows)"
  std::string Describe(const CreationBurst& burst) const;

 protected:
  // kInvalidArgument for options out of range (actual and expected values).
  Status Compute() override;
  const std::vector<float>& DoAccountScores() const override;
  // One group per burst, most surprising first.
  const std::vector<SignalGroup>& DoGroups() const override;
  std::string DoExplainAccount(AccountIndex account) const override;

 private:
  const Dataset& ds_;
  CreationBurstOptions options_;
  std::vector<CreationBurst> bursts_;
  std::vector<SignalGroup> groups_;
  std::vector<float> scores_;
  std::vector<uint32_t> burst_of_;  // account -> burst index + 1; 0 = none
  uint64_t windows_tested_ = 0;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_CREATION_BURST_H_
