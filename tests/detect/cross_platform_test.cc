// One operator on two platforms, end to end: `lockstep detect`'s signals
// report its Facebook and Instagram accounts as one network, and a common
// name shared by chance joins nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include <fmt/format.h>
#include <simdjson.h>

#include "dataset_builder.h"
#include "lockstep/detect/default_signals.h"
#include "lockstep/detect/detector.h"
#include "lockstep/detect/output.h"
#include "lockstep/report/network_stats.h"
#include "lockstep/signals/cross_platform_identity.h"

namespace lockstep {
namespace {

constexpr int64_t kStart = 1'600'000'000, kDay = 86400;
constexpr int kPersonas = 10;

std::string Persona(int r) { return fmt::format("truthvoice{}ua", static_cast<char>('a' + r)); }

// 300 ordinary accounts, half on Facebook and half on Instagram, sharing at
// random over 30 days, created over five years; among them an Instagram
// user called "John". An operation runs ten personas, each with a Facebook
// account and an Instagram account of the same handle and picture, all
// registered in two days: the Facebook accounts reshare a hub's posts
// within 20 s, the Instagram accounts another hub's, at other hours. A
// Facebook account of the operation is called "John" too. Seeded.
Dataset OperatorOnTwoPlatforms() {
  testing::DatasetBuilder b;
  std::mt19937 rng(18);
  std::uniform_int_distribution<int64_t> when(0, 30 * kDay), created(0, 5 * 365 * kDay);
  std::uniform_int_distribution<int> post(0, 9999), letter(0, 25);
  for (int a = 0; a < 300; ++a) {
    const std::string id = "p" + std::to_string(a);
    for (int i = 0; i < 30; ++i) b.Add(id, kStart + when(rng), EventType::kShare, "pool" + std::to_string(post(rng)));
    Account& acc = b.Profile(id);
    std::string handle;
    for (int c = 0; c < 9; ++c) handle += static_cast<char>('a' + letter(rng));
    acc.platform = b.String(a % 2 ? "instagram" : "facebook");
    acc.handle = b.String(a == 1 ? "John_1990" : handle);
    acc.created_at = kStart - kDay - created(rng);
  }
  for (int k = 0; k < 30; ++k)
    for (int r = 0; r <= kPersonas; ++r) {
      b.Add("op_fb" + std::to_string(r), kStart + k * kDay + 7200 + (r * 7 + k) % 20, EventType::kShare,
            "fbhub" + std::to_string(k));
      if (r < kPersonas)
        b.Add("op_ig" + std::to_string(r), kStart + k * kDay + 50000 + (r * 5 + k) % 20, EventType::kShare,
              "ighub" + std::to_string(k));
    }
  for (int r = 0; r <= kPersonas; ++r) {
    Account& fb = b.Profile("op_fb" + std::to_string(r));
    fb.platform = b.String("facebook");
    fb.handle = b.String(r < kPersonas ? Persona(r) : "john");
    fb.created_at = kStart - 90 * kDay + r * 3600;
    fb.profile_image_hash = 0xabc000 + static_cast<uint64_t>(r);
    fb.has_profile_image_hash = true;
    if (r == kPersonas) continue;
    Account& ig = b.Profile("op_ig" + std::to_string(r));
    ig.platform = b.String("instagram");
    ig.handle = b.String(fmt::format("TruthVoice_{}_UA", static_cast<char>('A' + r)));
    ig.created_at = kStart - 89 * kDay + r * 3600;
    ig.profile_image_hash = 0xabc000 + static_cast<uint64_t>(r);
    ig.has_profile_image_hash = true;
  }
  return b.Build();
}

Detection Detect(const Dataset& ds, bool cross_platform) {
  Detector detector(ds, DetectorOptions());
  for (auto& s : DefaultSignals(ds))
    if (cross_platform || s->Name() != "cross-platform-identity") detector.AddSignal(std::move(s));
  EXPECT_TRUE(detector.Run().ok());
  return detector.result();
}

// The networks holding any of the accounts named prefix0..prefix{n-1}.
std::vector<const Network*> NetworksOf(const Detection& d, const Dataset& ds, const std::string& prefix, int n) {
  std::vector<const Network*> out;
  for (const Network& net : d.networks)
    for (int r = 0; r < n; ++r)
      if (std::binary_search(net.members.begin(), net.members.end(), ds.account_ids.Find(prefix + std::to_string(r)))) {
        out.push_back(&net);
        break;
      }
  return out;
}

TEST(CrossPlatformDetection, OneOperatorOnTwoPlatformsIsOneNetwork) {
  const Dataset ds = OperatorOnTwoPlatforms();
  {
    const Detection apart = Detect(ds, false);
    const auto fb = NetworksOf(apart, ds, "op_fb", kPersonas), ig = NetworksOf(apart, ds, "op_ig", kPersonas);
    ASSERT_EQ(fb.size(), 1u) << "the Facebook accounts act in lockstep";
    ASSERT_EQ(ig.size(), 1u) << "so do the Instagram accounts";
    EXPECT_NE(fb.front(), ig.front()) << "without cross-platform identity nothing ties the two rings";
  }
  const Detection d = Detect(ds, true);
  const auto fb = NetworksOf(d, ds, "op_fb", kPersonas), ig = NetworksOf(d, ds, "op_ig", kPersonas);
  ASSERT_EQ(fb.size(), 1u);
  ASSERT_EQ(ig.size(), 1u);
  ASSERT_EQ(fb.front(), ig.front()) << "one operator's personas on two platforms are one network";
  const Network& net = *fb.front();
  EXPECT_EQ(net.members.size(), 2u * kPersonas + 1) << "both rings and the operation's 'john', nobody else";
  EXPECT_FALSE(std::binary_search(net.members.begin(), net.members.end(), ds.account_ids.Find("p1")))
      << "an Instagram user called John is not the operation's 'john'";
  const auto indicator = std::find_if(net.indicators.begin(), net.indicators.end(),
                                      [](const Indicator& i) { return i.signal == "cross-platform-identity"; });
  ASSERT_NE(indicator, net.indicators.end()) << "the network says what joined it";
  EXPECT_NE(indicator->examples.front().find("truthvoice"), std::string::npos) << indicator->examples.front();

  // Presence per platform, as Meta's reports give it, in the report and in networks.json.
  const NetworkStats stats = ComputeNetworkStats(ds, net, {});
  EXPECT_EQ(stats.presence_sentence, "Presence on Facebook and Instagram: 11 accounts and 10 Instagram accounts");
  simdjson::dom::parser parser;
  const std::string json = NetworksJson(ds, d);
  simdjson::dom::element root = parser.parse(json);
  for (simdjson::dom::element n : root["networks"].get_array()) {
    if (std::string_view(n["network_id"].get_string().value()) != net.network_id) continue;
    EXPECT_EQ(int64_t(n["size_by_platform_kind"]["facebook/account"]), 11);
    EXPECT_EQ(int64_t(n["size_by_platform_kind"]["instagram/account"]), 10);
  }
}

}  // namespace
}  // namespace lockstep
