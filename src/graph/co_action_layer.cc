#include "lockstep/graph/co_action_layer.h"

#include <algorithm>

#include <fmt/format.h>

#include "lockstep/signals/co_action.h"

namespace lockstep {

CoActionLayerSignal::CoActionLayerSignal(const Dataset& ds, CoActionLayerOptions options)
    : ds_(ds), options_(std::move(options)) {}
CoActionLayerSignal::~CoActionLayerSignal() = default;

Status CoActionLayerSignal::Prepare() const {
  if (prepared_) return prepare_status_;
  prepared_ = true;
  std::vector<uint32_t> text_clusters;
  if (options_.kind == ObjectKeyKind::kText) {
    bool any_text = false;
    for (size_t i = 0; i < ds_.events.size() && !any_text; ++i) any_text = !ds_.events.Text(i).empty();
    if (any_text) {
      NearDuplicateOptions text = options_.text;
      text.threads = options_.threads;
      NearDuplicateText near(ds_, text);
      if (Status s = near.Run(); !s.ok()) return prepare_status_ = s;
      text_clusters = near.cluster_of_event();
    }
    if (text_clusters.empty()) {  // no text: no actions
      keys_ = std::make_unique<ObjectKeys>();
      keys_->kind = ObjectKeyKind::kText;
      keys_->dataset = &ds_;
      return prepare_status_;
    }
  }
  auto keys = ExtractObjectKeys(ds_, options_.kind, options_.kind == ObjectKeyKind::kText ? &text_clusters : nullptr);
  if (!keys.ok()) return prepare_status_ = keys.status();
  keys_ = std::make_unique<ObjectKeys>(std::move(*keys));
  return prepare_status_;
}

bool CoActionLayerSignal::Applicable(std::string* why_not) const {
  if (!Prepare().ok()) return true;  // Run() reports the error
  if (!keys_->actions.empty()) return true;
  if (why_not != nullptr) *why_not = fmt::format("no {} actions in the data", Name().substr(3));
  return false;
}

std::string CoActionLayerSignal::EdgeMeaning() const {
  return fmt::format("co-acted within {} s far more than chance allows", options_.window_seconds);
}

size_t CoActionLayerSignal::significant_edges() const {
  AssureFinished();
  return significant_;
}
double CoActionLayerSignal::expected_false_edges() const {
  AssureFinished();
  return expected_false_;
}

Status CoActionLayerSignal::Compute() {
  if (Status s = Prepare(); !s.ok()) return s;
  const ObjectKeys& keys = *keys_;
  CoActionOptions co;
  co.window_seconds = options_.window_seconds;
  co.weight = CoActionWeight::kKeys;
  co.max_pairs_per_key = options_.max_pairs_per_key;
  co.threads = options_.threads;
  CoActionSignal signal(keys, co);
  if (Status s = signal.Run(); !s.ok()) return s;
  SignificanceOptions sig;
  sig.fdr = options_.fdr;
  sig.window_seconds = options_.window_seconds;
  CoActionSignificance significance(keys, signal, sig);
  if (Status s = significance.Run(); !s.ok()) return s;
  significant_ = significance.edges().size();
  expected_false_ = significance.expected_false_edges();
  for (const SignificantEdge& e : significance.scored()) {
    if (e.log10_p > options_.edge_log10_p) continue;
    const double strength = std::min(1.0, -e.log10_p / options_.log10_p_full);
    edges_.push_back({e.a, e.b, static_cast<float>(e.observed), static_cast<float>(strength)});
    log10_p_.push_back(e.log10_p);
    explanations_.push_back(signal.Explain(signal.edges()[e.edge_index]) + "; " + significance.Explain(e));
  }
  keys_.reset();  // the explanations are kept; the actions are not needed any more
  return Status::Ok();
}

std::string CoActionLayerSignal::DoExplainEdge(const SignalEdge& edge) const {
  size_t i = edges_.size();
  if (&edge >= edges_.data() && &edge < edges_.data() + edges_.size()) {
    i = static_cast<size_t>(&edge - edges_.data());
  } else {
    for (size_t k = 0; k < edges_.size() && i == edges_.size(); ++k)
      if ((edges_[k].a == edge.a && edges_[k].b == edge.b) || (edges_[k].a == edge.b && edges_[k].b == edge.a)) i = k;
  }
  return i < explanations_.size() ? explanations_[i] : "";
}

}  // namespace lockstep
