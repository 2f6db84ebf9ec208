// Joint registration (DetectorOptions::burst_group_min_share): groups of
// one creation burst are one operation, and the burst's accounts in no
// group belong to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "lockstep/detect/detector.h"
#include "lockstep/signals/creation_burst.h"
#include "dataset_builder.h"

namespace lockstep {
namespace {

constexpr int64_t kStart = 1'600'000'000, kDay = 86400;

// 200 ordinary accounts sharing at random over 30 days and registered at
// random over two years; two rings (8 and 6 accounts) each reposting their
// own hub's posts within 20 s, never each other's; 5 dormant accounts with
// one random share. The rings and the dormant accounts, 19 in all, were
// registered within one day a month before (seeded).
Dataset TwoRingsOfOneBurst() {
  testing::DatasetBuilder b;
  std::mt19937 rng(16);
  std::uniform_int_distribution<int64_t> when(0, 30 * kDay);
  std::uniform_int_distribution<int> post(0, 9999);
  for (int a = 0; a < 200; ++a)
    for (int i = 0; i < 30; ++i)
      b.Add("p" + std::to_string(a), kStart + when(rng), EventType::kShare, "pool" + std::to_string(post(rng)));
  for (int k = 0; k < 30; ++k) {
    const int64_t t = kStart + k * kDay + 7200;
    for (int r = 0; r < 8; ++r) b.Add("a" + std::to_string(r), t + 1 + (r * 7 + k) % 20, EventType::kShare, "hubA" + std::to_string(k));
    for (int r = 0; r < 6; ++r)
      b.Add("b" + std::to_string(r), t + 5 * 3600 + 1 + (r * 7 + k) % 20, EventType::kShare, "hubB" + std::to_string(k));
  }
  for (int d = 0; d < 5; ++d) b.Add("d" + std::to_string(d), kStart + when(rng), EventType::kShare, "pool" + std::to_string(post(rng)));
  Dataset ds = b.Build();
  std::uniform_int_distribution<int64_t> created(0, 730 * kDay);
  int k = 0;
  for (size_t a = 0; a < ds.accounts.size(); ++a) {
    const std::string_view id = ds.AccountId(static_cast<AccountIndex>(a));
    ds.accounts[a].created_at = id[0] == 'p' ? kStart - 730 * kDay + created(rng) : kStart - 30 * kDay + 3600 * k++;
  }
  return ds;
}

// Networks holding members of ring a, ring b and the dormant accounts.
struct Found {
  size_t networks_with_rings = 0, dormant = 0, ordinary = 0;
};

Found Detect(const Dataset& ds, const DetectorOptions& options) {
  Detector detector(ds, options);
  detector.AddSignal(std::make_unique<CreationBurstSignal>(ds));
  EXPECT_TRUE(detector.Run().ok());
  Found f;
  for (const Network& n : detector.result().networks) {
    bool ring = false;
    for (AccountIndex a : n.members) {
      const char c = ds.AccountId(a)[0];
      ring |= c == 'a' || c == 'b';
      f.dormant += c == 'd';
      f.ordinary += c == 'p';
    }
    f.networks_with_rings += ring;
  }
  return f;
}

TEST(JointRegistration, RingsOfOneCreationBurstAreOneNetworkWithItsDormantAccounts) {
  const Dataset ds = TwoRingsOfOneBurst();
  const Found joint = Detect(ds, DetectorOptions());
  EXPECT_EQ(joint.networks_with_rings, 1u) << "two rings registered in one burst are one operator's";
  EXPECT_EQ(joint.dormant, 5u) << "the burst's accounts in no group belong to its operation";
  EXPECT_EQ(joint.ordinary, 0u) << "nobody registered outside the burst is attached";
  DetectorOptions off;
  off.burst_group_min_share = 2;
  const Found apart = Detect(ds, off);
  EXPECT_EQ(apart.networks_with_rings, 2u) << "without the rule, the rings never co-act and stay two networks";
  EXPECT_EQ(apart.dormant, 0u) << "and the dormant accounts, with no co-action, are in none";
}

}  // namespace
}  // namespace lockstep
