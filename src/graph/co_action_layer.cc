#include "lockstep/graph/co_action_layer.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "lockstep/signals/co_action.h"

namespace lockstep {

namespace {

// "45 s", "10 min", "6 h", "2 d": a window as a reader says it.
std::string WindowWords(int64_t seconds) {
  if (seconds >= 86400 && seconds % 86400 == 0) return fmt::format("{} d", seconds / 86400);
  if (seconds >= 3600 && seconds % 3600 == 0) return fmt::format("{} h", seconds / 3600);
  if (seconds >= 60 && seconds % 60 == 0) return fmt::format("{} min", seconds / 60);
  return fmt::format("{} s", seconds);
}

}  // namespace

CoActionLayerSignal::CoActionLayerSignal(const Dataset& ds, CoActionLayerOptions options)
    : ds_(ds), options_(std::move(options)) {}
CoActionLayerSignal::~CoActionLayerSignal() = default;

Status CoActionLayerSignal::Prepare() const {
  if (prepared_) return prepare_status_;
  prepared_ = true;
  std::vector<uint32_t> text_clusters;
  if (options_.kind == ObjectKeyKind::kText) {
    if (Status s = ClusterTexts(ds_, options_.text, options_.threads, options_.shared_text.get(), &text_clusters);
        !s.ok())
      return prepare_status_ = s;
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
  if (options_.key_per_day) {
    // Split each key's actions (in time order) into runs of one UTC day.
    ObjectKeys& k = *keys_;
    std::vector<uint64_t> offsets{0};
    std::vector<uint32_t> source;
    auto day = [](int64_t t) { return t >= 0 ? t / 86400 : (t - 86399) / 86400; };
    for (size_t key = 0; key < k.num_keys(); ++key) {
      for (uint64_t i = k.key_offsets[key]; i < k.key_offsets[key + 1]; ++i) {
        if (i > k.key_offsets[key] && day(k.actions[i].time) == day(k.actions[i - 1].time)) continue;
        if (i > k.key_offsets[key]) offsets.push_back(i);
        source.push_back(k.key_source[key]);
      }
      offsets.push_back(k.key_offsets[key + 1]);
    }
    for (size_t key = 0; key + 1 < offsets.size(); ++key)
      for (uint64_t i = offsets[key]; i < offsets[key + 1]; ++i) k.actions[i].key = static_cast<uint32_t>(key);
    k.key_offsets = std::move(offsets);
    k.key_source = std::move(source);
  }
  return prepare_status_;
}

bool CoActionLayerSignal::Applicable(std::string* why_not) const {
  if (!Prepare().ok()) return true;  // Run() reports the error
  if (!keys_->actions.empty()) return true;
  if (why_not != nullptr) *why_not = fmt::format("no {} actions in the data", Name().substr(3));
  return false;
}

std::string CoActionLayerSignal::EdgeMeaning() const {
  std::string windows;
  const auto& w = options_.windows_seconds;
  for (size_t i = 0; i < w.size(); ++i)
    windows += (i == 0 ? "" : i + 1 == w.size() ? " or " : ", ") + WindowWords(w[i]);
  return fmt::format("co-acted within {} far more than chance allows", windows);
}

size_t CoActionLayerSignal::significant_edges() const {
  AssureFinished();
  return significant_;
}
double CoActionLayerSignal::expected_false_edges() const {
  AssureFinished();
  return expected_false_;
}
const std::vector<size_t>& CoActionLayerSignal::edges_per_window() const {
  AssureFinished();
  return edges_per_window_;
}

Status CoActionLayerSignal::Compute() {
  const std::vector<int64_t>& windows = options_.windows_seconds;
  if (windows.empty()) return Status::InvalidArgument(fmt::format("{} needs at least one co-action window", Name()));
  for (int64_t w : windows)
    if (w < 0) return Status::InvalidArgument(fmt::format("{} window must be >= 0 seconds, got {}", Name(), w));
  if (options_.popularity_horizon_seconds <= 0)
    return Status::InvalidArgument(
        fmt::format("popularity horizon must be > 0 seconds, got {}", options_.popularity_horizon_seconds));
  if (Status s = Prepare(); !s.ok()) return s;
  const ObjectKeys& keys = *keys_;
  // Bonferroni over the windows: the best of k p-values is k times likelier.
  const double log10_windows = std::log10(static_cast<double>(windows.size()));
  // Each window's candidate edges; per pair the best window wins.
  struct Candidate {
    AccountIndex a, b;
    uint32_t observed;
    double log10_p;  // corrected for the number of windows
    uint32_t window;
    std::string explanation;
  };
  std::vector<Candidate> candidates;
  uint64_t tests = 0;
  for (size_t wi = 0; wi < windows.size(); ++wi) {
    const int64_t w = windows[wi];
    SignificanceOptions sig;
    sig.fdr = options_.fdr;
    sig.window_seconds = w;
    sig.horizon_seconds = std::max(options_.popularity_horizon_seconds, w);
    sig.max_scored_log10_p = std::min(0.0, options_.edge_log10_p - log10_windows);  // weaker edges are dropped below
    CoActionOptions co;
    co.window_seconds = w;
    co.weight = CoActionWeight::kKeys;
    co.min_weight = sig.min_keys;  // pairs on fewer keys are never tested: not made at all
    co.max_pairs_per_key = w > options_.long_window_seconds
                               ? std::min(options_.max_pairs_per_key, options_.long_window_max_pairs_per_key)
                               : options_.max_pairs_per_key;
    co.threads = options_.threads;
    CoActionSignal signal(keys, co);
    if (Status s = signal.Run(); !s.ok()) return s;
    CoActionSignificance significance(keys, signal, sig);
    if (Status s = significance.Run(); !s.ok()) return s;
    tests = std::max(tests, significance.tests());
    for (const SignificantEdge& e : significance.scored()) {
      const double log10_p = std::min(0.0, e.log10_p + log10_windows);
      if (log10_p > options_.edge_log10_p) continue;
      candidates.push_back({e.a, e.b, e.observed, log10_p, static_cast<uint32_t>(wi),
                            signal.Explain(signal.edges()[e.edge_index]) + "; " + significance.Explain(e)});
    }
  }
  // One edge per pair: its best window (ties: the shorter window, the tighter claim).
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
    if (x.a != y.a) return x.a < y.a;
    if (x.b != y.b) return x.b < y.b;
    if (x.log10_p != y.log10_p) return x.log10_p < y.log10_p;
    return x.window < y.window;
  });
  std::vector<size_t> best;
  for (size_t i = 0; i < candidates.size(); ++i)
    if (i == 0 || candidates[i].a != candidates[i - 1].a || candidates[i].b != candidates[i - 1].b) best.push_back(i);
  std::stable_sort(best.begin(), best.end(),
                   [&](size_t x, size_t y) { return candidates[x].log10_p < candidates[y].log10_p; });
  edges_per_window_.assign(windows.size(), 0);
  for (size_t i : best) {
    Candidate& c = candidates[i];
    const double strength = std::min(1.0, -c.log10_p / options_.log10_p_full);
    edges_.push_back({c.a, c.b, static_cast<float>(c.observed), static_cast<float>(strength)});
    log10_p_.push_back(c.log10_p);
    explanations_.push_back(windows.size() == 1 ? std::move(c.explanation)
                                                : fmt::format("within {}: {} (p x {} windows)", WindowWords(windows[c.window]),
                                                              c.explanation, windows.size()));
    ++edges_per_window_[c.window];
  }
  // Benjamini-Hochberg over the pairs' best windows (ascending already);
  // pairs above edge_log10_p are far above any BH line of a real data set.
  significant_ = BenjaminiHochbergKept(log10_p_, tests, options_.fdr);
  expected_false_ = options_.fdr * static_cast<double>(significant_);
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
