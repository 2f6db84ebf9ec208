#include "lockstep/signals/signal.h"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace lockstep {

Status Signal::Run() {
  if (called_) return Status::FailedPrecondition(fmt::format("signal {}: already run", Name()));
  called_ = true;
  Status s = Compute();
  has_run_ = s.ok();
  return s;
}

double Signal::EvidenceWeight() const { return Role() == SignalRole::kScoresGroups ? 0.9 : 1.0; }

std::string Signal::EdgeMeaning() const { return fmt::format("are linked by {}", Name()); }

void Signal::AssureFinished() const {
  if (has_run_) return;
  std::fprintf(stderr, "lockstep: results of signal %.*s read before a successful Run()\n",
               static_cast<int>(Name().size()), Name().data());
  std::abort();
}

const std::vector<SignalEdge>& Signal::edges() const {
  AssureFinished();
  return DoEdges();
}
const std::vector<float>& Signal::account_scores() const {
  AssureFinished();
  return DoAccountScores();
}
const std::vector<SignalGroup>& Signal::groups() const {
  AssureFinished();
  return DoGroups();
}
double Signal::EdgeLog10P(size_t i) const {
  AssureFinished();
  return DoEdgeLog10P(i);
}
std::string Signal::ExplainEdge(const SignalEdge& edge) const {
  AssureFinished();
  return DoExplainEdge(edge);
}
std::string Signal::ExplainAccount(AccountIndex account) const {
  AssureFinished();
  return DoExplainAccount(account);
}

}  // namespace lockstep
