#include "lockstep/graph/edge_fusion.h"

#include <gtest/gtest.h>

namespace lockstep {
namespace {

// A signal with given edges, role and weight.
class FixedSignal final : public Signal {
 public:
  FixedSignal(SignalRole role, double weight, std::vector<SignalEdge> edges)
      : role_(role), weight_(weight), edges_(std::move(edges)) {}
  std::string_view Name() const override { return "fixed"; }
  bool Applicable(std::string*) const override { return true; }
  SignalRole Role() const override { return role_; }
  double EvidenceWeight() const override { return weight_; }

 protected:
  Status Compute() override { return Status::Ok(); }
  const std::vector<SignalEdge>& DoEdges() const override { return edges_; }

 private:
  SignalRole role_;
  double weight_;
  std::vector<SignalEdge> edges_;
};

TEST(EdgeFusion, SumsWeightTimesStrengthByRole) {
  FixedSignal share(SignalRole::kFormsGroups, 1.0, {{0, 1, 3, 0.5f}, {1, 2, 2, 1.0f}});
  FixedSignal hashtag(SignalRole::kFormsGroups, 0.5, {{1, 0, 4, 1.0f}});  // reversed pair: same pair
  FixedSignal infra(SignalRole::kJoinsGroups, 1.0, {{2, 3, 1, 0.75f}, {0, 3, 1, 0.25f}});
  FixedSignal profile(SignalRole::kScoresGroups, 0.9, {{0, 2, 1, 1.0f}});
  for (FixedSignal* s : {&share, &hashtag, &infra, &profile}) ASSERT_TRUE(s->Run().ok());
  EdgeFusion fusion(4, {&share, &hashtag, &infra, &profile});
  ASSERT_TRUE(fusion.Run().ok());
  ASSERT_EQ(fusion.pairs().size(), 3u)
      << "0-1 and 1-2 formed, 2-3 joined; the weak join and the scoring edge are not fused";
  EXPECT_EQ(fusion.pairs()[0].a, 0u);
  EXPECT_EQ(fusion.pairs()[0].b, 1u);
  EXPECT_DOUBLE_EQ(fusion.pairs()[0].weight, 1.0 * 0.5 + 0.5 * 1.0) << "sum over forming signals of weight x strength";
  EXPECT_DOUBLE_EQ(fusion.pairs()[2].join, 0.75) << "a joining link adds to the join strength only";
  EXPECT_EQ(fusion.pairs()[2].weight, 0) << "a joining link never forms";
  EXPECT_EQ(fusion.forming().size(), 2u) << "the forming signals are the per-layer evidence";
  ASSERT_EQ(fusion.graph_edges().size(), 2u) << "only forming pairs enter the clustered graph";
  EXPECT_EQ(fusion.account_of().size(), 3u) << "account 3 has only a joining link";
  EXPECT_EQ(fusion.node_of()[3], UINT32_MAX) << "and is no node";
}

TEST(EdgeFusion, RefusesSignalsThatHaveNotRunAndAccountsOutOfRange) {
  FixedSignal fresh(SignalRole::kFormsGroups, 1.0, {{0, 1, 1, 1.0f}});
  EXPECT_EQ(EdgeFusion(2, {&fresh}).Run().code(), StatusCode::kFailedPrecondition) << "a signal must run first";
  FixedSignal wide(SignalRole::kFormsGroups, 1.0, {{0, 5, 1, 1.0f}});
  ASSERT_TRUE(wide.Run().ok());
  const Status s = EdgeFusion(2, {&wide}).Run();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << "account 5 of 2";
  EXPECT_NE(s.message().find("expected < 2"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace lockstep
