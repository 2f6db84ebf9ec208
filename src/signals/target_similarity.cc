#include "lockstep/signals/target_similarity.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "lockstep/model/threads.h"
#include "lockstep/model/time.h"
#include "model/ascii.h"

namespace lockstep {
namespace {

constexpr std::string_view kTraceNames[kSimilarityTraces] = {
    "retweet-targets", "follow-targets", "reply-targets", "hashtags", "domains", "hashtag-sequences", "activity-bins"};

// One (account, token) occurrence.
struct Occurrence {
  AccountIndex account;
  uint32_t token;
  bool operator<(const Occurrence& o) const { return account != o.account ? account < o.account : token < o.token; }
  bool operator==(const Occurrence& o) const { return account == o.account && token == o.token; }
};

uint64_t MixSequence(uint64_t h, uint32_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 31);
}

using internal::AsciiLower;

// Better first: higher cosine, then lower account index.
bool Better(const std::pair<AccountIndex, float>& x, const std::pair<AccountIndex, float>& y) {
  return x.second != y.second ? x.second > y.second : x.first < y.first;
}

}  // namespace

std::string_view Name(SimilarityTrace trace) { return kTraceNames[static_cast<int>(trace)]; }

bool Parse(std::string_view s, SimilarityTrace* out) {
  for (int i = 0; i < kSimilarityTraces; ++i) {
    if (kTraceNames[i] == s) {
      *out = static_cast<SimilarityTrace>(i);
      return true;
    }
  }
  return false;
}

TargetSimilaritySignal::TargetSimilaritySignal(const Dataset& ds, TargetSimilarityOptions options)
    : ds_(ds), options_(options), name_("similarity-" + std::string(lockstep::Name(options.trace))) {}

bool TargetSimilaritySignal::Applicable(std::string* why_not) const {
  const Events& ev = ds_.events;
  bool any = false;
  for (size_t i = 0; i < ev.size() && !any; ++i) {
    switch (options_.trace) {
      case SimilarityTrace::kRetweetTargets:
        any = ev.type[i] == EventType::kShare && ev.target_account[i] != kNoString;
        break;
      case SimilarityTrace::kFollowTargets:
        any = ev.type[i] == EventType::kFollow && ev.target_account[i] != kNoString;
        break;
      case SimilarityTrace::kReplyTargets:
        any = ev.type[i] == EventType::kComment && ev.target_account[i] != kNoString;
        break;
      case SimilarityTrace::kHashtags:
        any = !ev.hashtags.Row(i).empty();
        break;
      case SimilarityTrace::kDomains:
        any = !ev.urls.Row(i).empty();
        break;
      case SimilarityTrace::kHashtagSequences:
        any = ev.hashtags.Row(i).size() >= 2;
        break;
      case SimilarityTrace::kActivityBins:
        any = true;
        break;
    }
  }
  if (!any && why_not != nullptr)
    *why_not = fmt::format("no events carry the {} trace", lockstep::Name(options_.trace));
  return any;
}

Status TargetSimilaritySignal::Compute() {
  if (options_.top_k < 1) return Status::InvalidArgument(fmt::format("top_k is {}, expected >= 1", options_.top_k));
  if (!(options_.min_cosine >= 0 && options_.min_cosine <= 1))
    return Status::InvalidArgument(fmt::format("min_cosine is {}, expected in [0, 1]", options_.min_cosine));
  if (options_.min_account_actions < 1) return Status::InvalidArgument("min_account_actions is 0, expected >= 1");
  if (options_.bin_seconds <= 0)
    return Status::InvalidArgument(fmt::format("bin_seconds is {}, expected > 0", options_.bin_seconds));
  if (Status s = CheckThreads(options_.threads); !s.ok()) return s;

  const Events& ev = ds_.events;
  const size_t n = ds_.num_accounts();
  std::vector<Occurrence> occ;
  occ.reserve(ev.size());
  std::unordered_map<uint64_t, uint32_t> sequence_token;
  token_keys_.clear();
  bin_origin_ = ev.size() ? ev.time[0] : 0;
  std::vector<uint32_t> folded;  // hashtag id -> case-folded hashtag id
  if (options_.trace == SimilarityTrace::kHashtags || options_.trace == SimilarityTrace::kHashtagSequences) {
    folded_hashtags_ = Interner();
    folded.resize(ds_.hashtags.size());
    for (size_t h = 0; h < folded.size(); ++h) {
      folded[h] = folded_hashtags_.Intern(AsciiLower(ds_.hashtags.Get(static_cast<StringId>(h))));
    }
  }
  for (size_t i = 0; i < ev.size(); ++i) {
    const AccountIndex a = ev.account[i];
    if (a >= n) continue;
    auto add_target = [&](EventType type) {
      if (ev.type[i] == type && ev.target_account[i] != kNoString && ev.target_account[i] != a)
        occ.push_back({a, ev.target_account[i]});
    };
    switch (options_.trace) {
      case SimilarityTrace::kRetweetTargets:
        add_target(EventType::kShare);
        break;
      case SimilarityTrace::kFollowTargets:
        add_target(EventType::kFollow);
        break;
      case SimilarityTrace::kReplyTargets:
        add_target(EventType::kComment);
        break;
      case SimilarityTrace::kHashtags:
        for (uint32_t h : ev.hashtags.Row(i)) occ.push_back({a, folded[h]});
        break;
      case SimilarityTrace::kDomains:
        for (uint32_t u : ev.urls.Row(i))
          if (ds_.url_domain[u] != kNoString) occ.push_back({a, ds_.url_domain[u]});
        break;
      case SimilarityTrace::kHashtagSequences: {
        auto tags = ev.hashtags.Row(i);
        if (tags.size() < 2) break;
        uint64_t h = tags.size();
        for (uint32_t t : tags) h = MixSequence(h, folded[t]);
        auto [it, fresh] = sequence_token.emplace(h, static_cast<uint32_t>(token_keys_.size()));
        if (fresh) token_keys_.push_back(i);  // an example row, for the token's name
        occ.push_back({a, it->second});
        break;
      }
      case SimilarityTrace::kActivityBins:
        occ.push_back({a, static_cast<uint32_t>((ev.time[i] - bin_origin_) / options_.bin_seconds)});
        break;
    }
  }
  std::sort(occ.begin(), occ.end());

  // Per-account counts; accounts below min_account_actions are dropped.
  offsets_.assign(n + 1, 0);
  tokens_.clear();
  counts_.clear();
  stats_ = {};
  uint32_t num_tokens = 0;
  {
    size_t i = 0;
    std::vector<uint32_t> acc_tokens, acc_counts;
    for (AccountIndex a = 0; a < n; ++a) {
      acc_tokens.clear();
      acc_counts.clear();
      uint64_t actions = 0;
      for (; i < occ.size() && occ[i].account == a; ++i) {
        if (!acc_tokens.empty() && acc_tokens.back() == occ[i].token) {
          ++acc_counts.back();
        } else {
          acc_tokens.push_back(occ[i].token);
          acc_counts.push_back(1);
        }
        ++actions;
      }
      if (actions >= options_.min_account_actions) {
        tokens_.insert(tokens_.end(), acc_tokens.begin(), acc_tokens.end());
        counts_.insert(counts_.end(), acc_counts.begin(), acc_counts.end());
        stats_.actions += actions;
        ++stats_.accounts;
        if (!acc_tokens.empty()) num_tokens = std::max(num_tokens, acc_tokens.back() + 1);
      }
      offsets_[a + 1] = tokens_.size();
    }
  }
  occ.clear();
  occ.shrink_to_fit();

  // Document frequencies, idf, weights.
  std::vector<uint32_t> df(num_tokens, 0);
  for (uint32_t t : tokens_) ++df[t];
  for (uint32_t d : df) stats_.tokens += d > 0;
  const double n_docs = std::max<double>(stats_.accounts, 1);
  weights_.assign(tokens_.size(), 0);
  for (AccountIndex a = 0; a < n; ++a) {
    double norm = 0;
    for (uint64_t j = offsets_[a]; j < offsets_[a + 1]; ++j) {
      const double w = (1 + std::log(static_cast<double>(counts_[j]))) * std::log(n_docs / df[tokens_[j]]);
      weights_[j] = static_cast<float>(w);
      norm += w * w;
    }
    if (norm > 0) {
      const float inv = static_cast<float>(1 / std::sqrt(norm));
      for (uint64_t j = offsets_[a]; j < offsets_[a + 1]; ++j) weights_[j] *= inv;
    }
  }

  // Inverted lists of walkable tokens.
  skipped_.clear();
  std::vector<uint64_t> list_offsets(num_tokens + 1, 0);
  std::vector<bool> walk(num_tokens, false);
  for (uint32_t t = 0; t < num_tokens; ++t) {
    walk[t] = df[t] >= 2 && (options_.max_postings == 0 || df[t] <= options_.max_postings);
    if (df[t] > 1 && !walk[t]) skipped_.push_back({t, df[t], ""});
    list_offsets[t + 1] = list_offsets[t] + (walk[t] ? df[t] : 0);
  }
  std::vector<std::pair<AccountIndex, float>> postings(list_offsets[num_tokens]);
  {
    std::vector<uint64_t> fill(list_offsets.begin(), list_offsets.end() - 1);
    for (AccountIndex a = 0; a < n; ++a)
      for (uint64_t j = offsets_[a]; j < offsets_[a + 1]; ++j)
        if (walk[tokens_[j]] && weights_[j] > 0) postings[fill[tokens_[j]]++] = {a, weights_[j]};
    // Lists hold only positive weights; shrink the tail left by zero-weight entries.
    for (uint32_t t = 0; t < num_tokens; ++t) df[t] = static_cast<uint32_t>(fill[t] - list_offsets[t]);
  }
  std::sort(skipped_.begin(), skipped_.end(),
            [](const SkippedToken& x, const SkippedToken& y) { return x.accounts > y.accounts; });
  for (SkippedToken& s : skipped_) s.name = TokenName(s.token);

  // Top-k per account, accounts strided over threads.
  neighbours_.assign(n, {});
  const int threads = options_.threads;
  std::vector<uint64_t> walked(threads, 0);
  const float min_cosine = static_cast<float>(options_.min_cosine);
  const size_t top_k = static_cast<size_t>(options_.top_k);
  auto work = [&](int thread) {
    std::vector<float> score(n, 0);
    std::vector<AccountIndex> touched;
    std::vector<std::pair<AccountIndex, float>> found;
    for (AccountIndex a = static_cast<AccountIndex>(thread); a < n; a += static_cast<AccountIndex>(threads)) {
      touched.clear();
      for (uint64_t j = offsets_[a]; j < offsets_[a + 1]; ++j) {
        const uint32_t t = tokens_[j];
        if (!walk[t] || weights_[j] <= 0) continue;
        const float w = weights_[j];
        const auto* p = postings.data() + list_offsets[t];
        const auto* end = p + df[t];
        walked[thread] += static_cast<uint64_t>(end - p);
        for (; p != end; ++p) {
          if (score[p->first] == 0) touched.push_back(p->first);
          score[p->first] += w * p->second;
        }
      }
      found.clear();
      for (AccountIndex b : touched) {
        // Rounding can push a self-similarity or a perfect match a hair above 1.
        const float c = std::min(score[b], 1.0f);
        score[b] = 0;
        if (b != a && c >= min_cosine) found.emplace_back(b, c);
      }
      if (found.size() > top_k) {
        std::nth_element(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(top_k), found.end(), Better);
        found.resize(top_k);
      }
      std::sort(found.begin(), found.end(), Better);
      neighbours_[a] = found;
    }
  };
  RunWorkers(threads, work);
  for (uint64_t w : walked) stats_.postings_walked += w;

  // Edges: union of the lists, a < b.
  edges_.clear();
  for (AccountIndex a = 0; a < n; ++a) {
    for (const auto& [b, c] : neighbours_[a]) edges_.push_back({std::min(a, b), std::max(a, b), c, c});
  }
  std::sort(edges_.begin(), edges_.end(),
            [](const SignalEdge& x, const SignalEdge& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  edges_.erase(std::unique(edges_.begin(), edges_.end(),
                           [](const SignalEdge& x, const SignalEdge& y) { return x.a == y.a && x.b == y.b; }),
               edges_.end());
  return Status::Ok();
}

std::string TargetSimilaritySignal::TokenName(uint32_t token) const {
  switch (options_.trace) {
    case SimilarityTrace::kRetweetTargets:
    case SimilarityTrace::kFollowTargets:
    case SimilarityTrace::kReplyTargets:
      return "@" + std::string(ds_.AccountId(token));
    case SimilarityTrace::kHashtags:
      return "#" + std::string(folded_hashtags_.Get(token));
    case SimilarityTrace::kDomains:
      return std::string(ds_.domains.Get(token));
    case SimilarityTrace::kHashtagSequences: {
      std::string s;
      for (uint32_t h : ds_.events.hashtags.Row(token_keys_[token]))
        s += (s.empty() ? "#" : " #") + AsciiLower(ds_.hashtags.Get(h));
      return s;
    }
    case SimilarityTrace::kActivityBins:
      return "bin " + FormatTime(bin_origin_ + static_cast<int64_t>(token) * options_.bin_seconds);
  }
  return "";
}

std::string TargetSimilaritySignal::DoExplainEdge(const SignalEdge& edge) const {
  if (edge.a >= ds_.num_accounts() || edge.b >= ds_.num_accounts()) return "";
  // Shared tokens, heaviest contribution first.
  struct Shared {
    uint32_t token;
    uint32_t count_a, count_b;
    float contribution;
  };
  std::vector<Shared> shared;
  uint64_t i = offsets_[edge.a], j = offsets_[edge.b];
  while (i < offsets_[edge.a + 1] && j < offsets_[edge.b + 1]) {
    if (tokens_[i] < tokens_[j]) {
      ++i;
    } else if (tokens_[j] < tokens_[i]) {
      ++j;
    } else {
      shared.push_back({tokens_[i], counts_[i], counts_[j], weights_[i] * weights_[j]});
      ++i;
      ++j;
    }
  }
  std::sort(shared.begin(), shared.end(),
            [](const Shared& x, const Shared& y) { return x.contribution > y.contribution; });
  std::string out =
      fmt::format("{} and {}: cosine {:.2f} over {} ({} shared of {} and {} distinct)", ds_.AccountId(edge.a),
                  ds_.AccountId(edge.b), edge.weight, lockstep::Name(options_.trace), shared.size(),
                  offsets_[edge.a + 1] - offsets_[edge.a], offsets_[edge.b + 1] - offsets_[edge.b]);
  for (size_t k = 0; k < shared.size() && k < 5; ++k)
    out += fmt::format("{} {} ({} and {} times)", k ? "," : "; e.g.", TokenName(shared[k].token), shared[k].count_a,
                       shared[k].count_b);
  return out;
}

}  // namespace lockstep
