// lockstep similarity DATA --trace retweet-targets --top-k 10 --min-cosine 0.5 --out edges.csv:
// each account's most similar accounts by TF-IDF cosine over one trace.
#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "command.h"
#include "data_flags.h"
#include "dist_load.h"
#include "lockstep/report/graph_writer.h"
#include "lockstep/signals/target_similarity.h"

namespace lockstep::cli {
namespace {

struct SimilarityFlags {
  std::string trace = "retweet-targets";
  TargetSimilarityOptions options;
  std::string out = "-";
};

std::function<int()> Setup(CLI::App& app) {
  auto data = std::make_shared<DataFlags>();
  auto f = std::make_shared<SimilarityFlags>();
  data->Add(app);
  std::vector<std::string> traces;
  for (int t = 0; t < kSimilarityTraces; ++t) traces.emplace_back(Name(static_cast<SimilarityTrace>(t)));
  app.add_option("--trace", f->trace, "the behaviour trace compared")->check(CLI::IsMember(traces))->capture_default_str();
  app.add_option("--top-k", f->options.top_k, "neighbours kept per account")
      ->check(Within(1, 10000))
      ->capture_default_str();
  app.add_option("--min-cosine", f->options.min_cosine, "drop pairs below this TF-IDF cosine, [0, 1]")
      ->check(Within(0, 1))
      ->capture_default_str();
  app.add_option("--min-actions", f->options.min_account_actions,
                 "accounts with fewer actions in the trace are left out")
      ->check(Within(1, UINT32_MAX))
      ->capture_default_str();
  app.add_option("--max-postings", f->options.max_postings,
                 "tokens used by more accounts than this are not searched (viral posts, busy hours); 0 = no bound")
      ->capture_default_str();
  app.add_option("--bin", f->options.bin_seconds, "activity-bins: bin width in seconds")
      ->check(Within(1, static_cast<double>(kMaxWindowSeconds)))
      ->capture_default_str();
  AddThreadsOption(app, &f->options.threads);
  app.add_option("--out", f->out, "edges.csv (account_a,account_b,cosine), x.gexf or x.graphml; - for stdout")
      ->capture_default_str();
  return [data, f]() {
    // MPI ranks > 0 parse their share of the data for rank 0, which does the rest (docs/scale.md).
    if (!IsOutputRank()) return LoadDataAcrossRanks(*data, nullptr, nullptr);
    if (int code = CheckOutputFile("--out", f->out); code != kExitOk) return code;
    if (!Parse(f->trace, &f->options.trace)) {
      std::fprintf(stderr, "lockstep: unknown trace '%s'\n", f->trace.c_str());
      return kExitUsage;
    }
    Dataset ds;
    LoadReport report;
    if (int code = LoadDataAcrossRanks(*data, &ds, &report); code != kExitOk) return code;
    const auto start = std::chrono::steady_clock::now();
    TargetSimilaritySignal signal(ds, f->options);
    if (Status s = signal.Run(); !s.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
      return kExitUsage;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    GraphToWrite graph;
    std::unordered_map<AccountIndex, size_t> node_of;
    auto node = [&](AccountIndex a) {
      auto [it, fresh] = node_of.emplace(a, graph.nodes.size());
      if (fresh) graph.nodes.push_back({std::string(ds.AccountId(a)), {}});
      return it->second;
    };
    for (const SignalEdge& e : signal.edges()) graph.edges.push_back({node(e.a), node(e.b), e.weight});
    if (Status s = WriteGraph(graph, f->out, "cosine"); !s.ok()) {
      std::fprintf(stderr, "lockstep: --out: %s\n", s.message().c_str());
      return kExitBadInput;
    }
    const TargetSimilarityStats& st = signal.stats();
    std::fprintf(stderr, "%s: %u accounts, %u tokens, %llu actions, %llu postings walked, %zu edges, %.3f s",
                 std::string(signal.Name()).c_str(), st.accounts, st.tokens,
                 static_cast<unsigned long long>(st.actions), static_cast<unsigned long long>(st.postings_walked),
                 signal.edges().size(), seconds);
    if (!signal.skipped_tokens().empty())
      std::fprintf(stderr, "; %zu tokens skipped as used by more than %u accounts (most: %s, %u accounts)",
                   signal.skipped_tokens().size(), f->options.max_postings, signal.skipped_tokens()[0].name.c_str(),
                   signal.skipped_tokens()[0].accounts);
    std::fprintf(stderr, "\n");
    return kExitOk;
  };
}

const bool kRegistered = Register(
    {"similarity", "Find each account's most similar accounts by TF-IDF cosine over one behaviour trace", Setup});

}  // namespace
}  // namespace lockstep::cli
