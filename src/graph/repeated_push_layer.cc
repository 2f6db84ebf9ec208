#include "lockstep/graph/repeated_push_layer.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "lockstep/graph/co_action_significance.h"
#include "lockstep/model/time.h"
#include "graph/shared_occasions.h"

namespace lockstep {

RepeatedPushSignal::RepeatedPushSignal(const Dataset& ds, RepeatedPushOptions options)
    : ds_(ds), options_(std::move(options)) {
  // "co-text" -> "repeated-text-pushes"
  name_ = fmt::format("repeated-{}-pushes", SignalName(options_.kind).substr(3));
}

Status RepeatedPushSignal::Prepare() const {
  if (prepared_) return prepare_status_;
  prepared_ = true;
  std::vector<uint32_t> text_clusters;
  if (options_.kind == ObjectKeyKind::kText) {
    if (Status s = ClusterTexts(ds_, options_.text, options_.threads, options_.shared_text.get(), &text_clusters);
        !s.ok())
      return prepare_status_ = s;
    // A text in no cluster is an occasion of its own: a push of one.
    solo_texts_.assign(text_clusters.empty() ? 0 : ds_.num_accounts(), 0);
    const bool shares = options_.text.include_shares;
    for (size_t i = 0; i < text_clusters.size(); ++i)
      if (text_clusters[i] == kNoTextCluster && ds_.events.account[i] < ds_.num_accounts() &&
          !ds_.events.Text(i).empty() && (shares || ds_.events.type[i] != EventType::kShare))
        ++solo_texts_[ds_.events.account[i]];
    if (text_clusters.empty()) {
      keys_ = std::make_unique<ObjectKeys>();
      keys_->kind = ObjectKeyKind::kText;
      keys_->dataset = &ds_;
      return prepare_status_;
    }
  }
  auto keys = ExtractObjectKeys(ds_, options_.kind, options_.kind == ObjectKeyKind::kText ? &text_clusters : nullptr,
                                std::max(1, options_.threads));
  if (!keys.ok()) return prepare_status_ = keys.status();
  keys_ = std::make_unique<ObjectKeys>(std::move(*keys));
  return prepare_status_;
}

bool RepeatedPushSignal::Applicable(std::string* why_not) const {
  if (!Prepare().ok()) return true;  // Run() reports the error
  if (!keys_->actions.empty()) return true;
  if (why_not != nullptr) *why_not = fmt::format("no {} actions in the data", SignalName(options_.kind).substr(3));
  return false;
}

size_t RepeatedPushSignal::pushes() const {
  AssureFinished();
  return all_pushes_;
}

std::string RepeatedPushSignal::EdgeMeaning() const {
  return fmt::format("took part in at least {} of the same pushes of one {} (actions chained within {} min), far more "
                     "than chance allows",
                     options_.min_shared_pushes, SignalName(options_.kind).substr(3), options_.chain_gap_seconds / 60);
}

Status RepeatedPushSignal::Compute() {
  const RepeatedPushOptions& o = options_;
  if (o.chain_gap_seconds < 0)
    return Status::InvalidArgument(fmt::format("chain_gap_seconds must be >= 0, got {}", o.chain_gap_seconds));
  if (o.min_shared_pushes < 2)
    return Status::InvalidArgument(fmt::format("min_shared_pushes must be >= 2, got {}", o.min_shared_pushes));
  if (o.max_push_accounts < 2)
    return Status::InvalidArgument(fmt::format("max_push_accounts must be >= 2, got {}", o.max_push_accounts));
  if (!(o.log10_p_full > 0))
    return Status::InvalidArgument(fmt::format("log10_p_full must be > 0, got {}", o.log10_p_full));
  if (o.threads < 1) return Status::InvalidArgument(fmt::format("threads must be >= 1, got {}", o.threads));
  if (Status s = Prepare(); !s.ok()) return s;
  const ObjectKeys& keys = *keys_;
  const size_t num_accounts = ds_.num_accounts();

  // Chain each key's actions into pushes; count every account's pushes (u_a)
  // and every push's size (s_j); keep the participants of pushes that pair.
  pushes_of_.assign(num_accounts, {});
  push_count_.assign(num_accounts, 0);
  std::vector<std::vector<AccountIndex>> participants;
  std::vector<AccountIndex> who;
  double all_memberships = 0, sum_sq = 0;
  size_t named_key = SIZE_MAX;
  for (size_t k = 0; k < keys.num_keys(); ++k) {
    const auto actions = keys.Key(k);
    for (size_t i = 0; i < actions.size();) {
      size_t j = i + 1;
      while (j < actions.size() && actions[j].time - actions[j - 1].time <= o.chain_gap_seconds) ++j;
      who.clear();
      for (size_t m = i; m < j; ++m)
        if (actions[m].account < num_accounts) who.push_back(actions[m].account);
      std::sort(who.begin(), who.end());
      who.erase(std::unique(who.begin(), who.end()), who.end());
      if (!who.empty()) {
        ++all_pushes_;
        const double s = static_cast<double>(who.size());
        all_memberships += s;
        sum_sq += s * s;
        for (AccountIndex a : who) ++push_count_[a];
        if (who.size() >= 2 && who.size() <= o.max_push_accounts) {
          const uint32_t p = static_cast<uint32_t>(pushes_.size());
          if (named_key != k) {  // one name per key with pairing pushes
            key_names_.push_back(keys.KeyName(k));
            named_key = k;
          }
          pushes_.push_back({static_cast<uint32_t>(key_names_.size() - 1), actions[i].time});
          for (AccountIndex a : who) pushes_of_[a].push_back(p);
          participants.push_back(who);
        }
      }
      i = j;
    }
  }
  for (size_t a = 0; a < solo_texts_.size() && a < num_accounts; ++a) {
    push_count_[a] += solo_texts_[a];
    all_memberships += solo_texts_[a];
    sum_sq += solo_texts_[a];
  }
  concentration_ = all_memberships > 0 ? sum_sq / (all_memberships * all_memberships) : 0;

  // Pushes above max_push_accounts were left out of `participants` already.
  internal::ScoreSharedOccasions(participants, SIZE_MAX, o.min_shared_pushes, push_count_, concentration_,
                                 o.edge_log10_p, o.log10_p_full, &edges_, &log10_p_);
  keys_.reset();  // pushes and names are kept for the explanations
  return Status::Ok();
}

std::string RepeatedPushSignal::DoExplainEdge(const SignalEdge& edge) const {
  if (edge.a >= pushes_of_.size() || edge.b >= pushes_of_.size()) return "";
  const auto& x = pushes_of_[edge.a];
  const auto& y = pushes_of_[edge.b];
  std::vector<uint32_t> both;
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(both));
  std::sort(both.begin(), both.end(), [&](uint32_t p, uint32_t q) { return pushes_[p].start < pushes_[q].start; });
  std::string list;
  for (size_t i = 0; i < both.size() && i < 4; ++i) {
    const Push& p = pushes_[both[i]];
    list += fmt::format("{}{} from {}", list.empty() ? "" : ", ", key_names_[p.key], FormatTime(p.start).substr(0, 16));
  }
  if (both.size() > 4) list += ", ...";
  const double lambda =
      static_cast<double>(push_count_[edge.a]) * static_cast<double>(push_count_[edge.b]) * concentration_;
  return fmt::format("{} and {} both took part in {} pushes of the same {} ({}) where {:.2g} were expected",
                     ds_.AccountId(edge.a), ds_.AccountId(edge.b), both.size(), SignalName(options_.kind).substr(3),
                     list, lambda);
}

}  // namespace lockstep
