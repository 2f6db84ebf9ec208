#include "lockstep/signals/signal.h"

#include <gtest/gtest.h>

namespace lockstep {
namespace {

// A signal whose computation is scripted: it yields one edge, or fails.
class ScriptedSignal final : public Signal {
 public:
  explicit ScriptedSignal(bool fail) : fail_(fail) {}
  std::string_view Name() const override { return "scripted"; }
  bool Applicable(std::string*) const override { return true; }
  int computed() const { return computed_; }

 protected:
  Status Compute() override {
    ++computed_;
    if (fail_) return Status::InvalidArgument("bad option");
    edges_.push_back({0, 1, 1.0f, 0.5f});
    return Status::Ok();
  }
  const std::vector<SignalEdge>& DoEdges() const override { return edges_; }
  std::string DoExplainEdge(const SignalEdge& e) const override { return "linked"; }

 private:
  bool fail_;
  int computed_ = 0;
  std::vector<SignalEdge> edges_;
};

TEST(Signal, RunsOnceAndRefusesASecondRun) {
  ScriptedSignal s(false);
  EXPECT_FALSE(s.has_run()) << "nothing has run yet";
  ASSERT_TRUE(s.Run().ok());
  EXPECT_TRUE(s.has_run()) << "a successful Run() makes results readable";
  ASSERT_EQ(s.edges().size(), 1u) << "the computed edge";
  EXPECT_EQ(s.ExplainEdge(s.edges()[0]), "linked") << "explanations come from the subclass";
  EXPECT_TRUE(s.account_scores().empty() && s.groups().empty()) << "kinds the signal does not yield are empty";
  EXPECT_EQ(s.EdgeLog10P(0), 0) << "a signal without a null model gives p = 1";
  const Status again = s.Run();
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition) << "a second Run() is refused";
  EXPECT_NE(again.message().find("already run"), std::string::npos) << again.message();
  EXPECT_EQ(s.computed(), 1) << "Compute() ran once";
}

TEST(Signal, ReadingBeforeASuccessfulRunAborts) {
  ScriptedSignal fresh(false);
  EXPECT_DEATH((void)fresh.edges(), "scripted read before a successful Run") << "edges before Run()";
  EXPECT_DEATH((void)fresh.ExplainAccount(0), "read before a successful Run") << "explanations before Run()";
  ScriptedSignal failing(true);
  EXPECT_EQ(failing.Run().code(), StatusCode::kInvalidArgument) << "Compute()'s error is Run()'s";
  EXPECT_FALSE(failing.has_run()) << "a failed run leaves no results";
  EXPECT_DEATH((void)failing.groups(), "read before a successful Run") << "results of a failed Run()";
  EXPECT_EQ(failing.Run().code(), StatusCode::kFailedPrecondition) << "no second try on the same object";
}

TEST(Signal, DefaultsScoreGroupsWithStrongProof) {
  ScriptedSignal s(false);
  EXPECT_EQ(s.Role(), SignalRole::kScoresGroups) << "a signal only scores unless it says otherwise";
  EXPECT_DOUBLE_EQ(s.EvidenceWeight(), 0.9) << "a scoring indicator alone goes most of the way to proof";
  EXPECT_EQ(s.EdgeMeaning(), "are linked by scripted") << "default wording names the signal";
}

}  // namespace
}  // namespace lockstep
