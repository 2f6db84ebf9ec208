// lockstep network DATA --signal co-share ... --out edges.csv: one co-action network.
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "command.h"
#include "data_flags.h"
#include "dist_load.h"
#include "lockstep/report/escape.h"
#include "lockstep/report/graph_writer.h"
#include "lockstep/signals/co_action.h"
#include "lockstep/signals/near_duplicate.h"
#include "lockstep/signals/object_keys.h"

namespace lockstep::cli {
namespace {

struct NetworkFlags {
  std::string signal = "co-share";
  int64_t window = 60;
  uint32_t min_weight = 1;
  std::string weight = "keys";
  bool directed = false;
  bool fixed_bins = false;
  uint64_t max_pairs_per_key = 50'000'000;
  int threads = 2;
  std::string out = "-";
  double text_threshold = NearDuplicateOptions{}.threshold;  // co-text only
  int min_tokens = NearDuplicateOptions{}.min_tokens;        // co-text only
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

size_t DecimalDigits(uint32_t v) {
  size_t digits = 1;
  for (; v >= 10; v /= 10) ++digits;
  return digits;
}

// The CSV edge list WriteGraph writes (account_a,account_b,weight; ids quoted
// as RFC 4180 needs), without building its node table: each id is escaped
// once, `threads` contiguous slices of the edges are formatted in parallel,
// and the slices are written in order. `path` "-" is stdout.
Status WriteEdgeCsv(const Dataset& ds, const std::vector<CoActionEdge>& edges, const std::string& path, int threads) {
  // Every account's field as written (CsvField quotes where it must) and a
  // comma, back to back, with 16 bytes of slack: a field of up to 16 bytes
  // is then copied with one fixed 16-byte move, the bytes past it to be
  // overwritten by what follows, instead of a call per field.
  constexpr size_t kShort = 16;
  std::string fields;
  std::vector<size_t> field_at(ds.account_ids.size() + 1, 0);
  for (AccountIndex a = 0; a < ds.account_ids.size(); ++a) {
    const std::string_view id = ds.AccountId(a);
    if (id.find_first_of(",\"\n\r") == std::string_view::npos)
      fields.append(id);
    else
      fields.append(CsvField(id));
    fields.push_back(',');
    field_at[a + 1] = fields.size();
  }
  fields.append(kShort, '\0');
  const char* const field_bytes = fields.data();
  // Threads format a slice of the edges each into a buffer of exactly its
  // size (counted first), plus the slack of the last 16-byte move.
  const size_t slices = static_cast<size_t>(std::max(1, threads));
  std::vector<std::unique_ptr<char[]>> text(slices);
  std::vector<size_t> text_size(slices, 0);
  auto format = [&](size_t s) {
    const size_t begin = edges.size() * s / slices, end = edges.size() * (s + 1) / slices;
    size_t bytes = 0;
    for (size_t i = begin; i < end; ++i) {
      const CoActionEdge& e = edges[i];
      bytes += field_at[e.a + 1] - field_at[e.a] + field_at[e.b + 1] - field_at[e.b] + DecimalDigits(e.weight) + 1;
    }
    text[s] = std::make_unique_for_overwrite<char[]>(bytes + kShort);
    text_size[s] = bytes;
    char* w = text[s].get();
    auto put = [&](AccountIndex a) {
      const size_t at = field_at[a], size = field_at[a + 1] - at;
      std::memcpy(w, field_bytes + at, size <= kShort ? kShort : size);
      w += size;
    };
    for (size_t i = begin; i < end; ++i) {
      const CoActionEdge& e = edges[i];
      put(e.a);
      put(e.b);
      w = std::to_chars(w, w + kShort, e.weight).ptr;
      *w++ = '\n';
    }
  };
  std::vector<std::thread> workers;
  for (size_t s = 1; s < slices; ++s) workers.emplace_back(format, s);
  format(0);
  for (std::thread& w : workers) w.join();
  std::FILE* f = path == "-" ? stdout : std::fopen(path.c_str(), "w");
  if (f == nullptr) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  bool ok = std::fputs("account_a,account_b,weight\n", f) >= 0;
  for (size_t s = 0; s < slices; ++s) ok = ok && std::fwrite(text[s].get(), 1, text_size[s], f) == text_size[s];
  ok = (f == stdout ? std::fflush(f) : std::fclose(f)) == 0 && ok;
  if (!ok) return Status::IoError(fmt::format("{}: write failed: {}", path, std::strerror(errno)));
  return Status::Ok();
}

// GEXF and GraphML through WriteGraph: the accounts on an edge become nodes.
Status WriteEdgeGraph(const Dataset& ds, const std::vector<CoActionEdge>& edges, bool directed,
                      const std::string& path) {
  GraphToWrite graph;
  graph.directed = directed;
  std::vector<size_t> node_of(ds.account_ids.size(), SIZE_MAX);
  auto node = [&](AccountIndex a) {
    if (node_of[a] == SIZE_MAX) {
      node_of[a] = graph.nodes.size();
      graph.nodes.push_back({std::string(ds.AccountId(a)), {}});
    }
    return node_of[a];
  };
  for (const CoActionEdge& e : edges) graph.edges.push_back({node(e.a), node(e.b), static_cast<double>(e.weight)});
  return WriteGraph(graph, path);
}

// Every signal's name, in ObjectKeyKind order (kLike is the last kind).
std::vector<std::string> SignalNames() {
  std::vector<std::string> names;
  for (int k = 0; k <= static_cast<int>(ObjectKeyKind::kLike); ++k)
    names.emplace_back(SignalName(static_cast<ObjectKeyKind>(k)));
  return names;
}

std::function<int()> Setup(CLI::App& app) {
  auto data = std::make_shared<DataFlags>();
  // Event ids serve here only to merge rows repeating one message (same id,
  // account, time and key), so loading may skip them where no two rows could
  // be one message.
  data->event_ids = false;
  auto f = std::make_shared<NetworkFlags>();
  data->Add(app);
  app.add_option("--signal", f->signal, "what accounts co-act on")
      ->check(CLI::IsMember(SignalNames()))
      ->capture_default_str();
  app.add_option("--window", f->window, "seconds: two actions co-act when |Δt| <= window")
      ->check(Within(0, static_cast<double>(kMaxWindowSeconds)))
      ->capture_default_str();
  app.add_option("--min-weight", f->min_weight, "keep edges with at least this weight")
      ->check(Within(1, UINT32_MAX))
      ->capture_default_str();
  app.add_option("--weight", f->weight,
                 "keys: distinct keys co-acted on (CooRTweet pairs); pairs: co-action pairs (CooRTweet's weight); "
                 "messages: directed, an account's distinct actions with a partner in the window (QUT toolkit)")
      ->check(CLI::IsMember({"keys", "pairs", "messages"}))
      ->capture_default_str();
  app.add_flag("--directed", f->directed, "directed edges a->b with message weights (implies --weight messages)");
  app.add_flag("--fixed-bins", f->fixed_bins, "co-act within the same fixed time bin of --window seconds (CooRnet)");
  app.add_option("--max-pairs-per-key", f->max_pairs_per_key,
                 "skip keys whose action pairs in the window exceed this (viral content); 0 = no bound")
      ->capture_default_str();
  AddThreadsOption(app, &f->threads);
  app.add_option("--text-threshold", f->text_threshold,
                 "co-text: Jaccard similarity of word uni+bigram sets for two posts to be near-duplicates, (0, 1]")
      ->check(Within(0, 1, /*exclude_lo=*/true))
      ->capture_default_str();
  app.add_option("--min-tokens", f->min_tokens, "co-text: posts with fewer words (CJK: characters) have no text key")
      ->check(Within(1, 10000))
      ->capture_default_str();
  app.add_option("--out", f->out, "edges.csv (account_a,account_b,weight), x.gexf or x.graphml; - for stdout")
      ->capture_default_str();
  return [data, f]() {
    // MPI ranks > 0 parse their share of the data for rank 0, which does the rest (docs/scale.md).
    if (!IsOutputRank()) return LoadDataAcrossRanks(*data, nullptr, nullptr);
    if (int code = CheckOutputFile("--out", f->out); code != kExitOk) return code;
    ObjectKeyKind kind;
    if (!ParseSignalName(f->signal, &kind)) {
      std::fprintf(stderr, "lockstep: unknown signal '%s'\n", f->signal.c_str());
      return kExitUsage;
    }
    // Keyed on target ids, the signal reads no other event columns.
    data->action_columns_only = KeyedOnTarget(kind);
    Dataset ds;
    LoadReport report;
    const auto load_start = std::chrono::steady_clock::now();
    if (int code = LoadDataAcrossRanks(*data, &ds, &report); code != kExitOk) return code;
    const double load_seconds = SecondsSince(load_start);
    const auto start = std::chrono::steady_clock::now();
    std::vector<uint32_t> text_clusters;  // co-text: the near-duplicate cluster of each event
    if (kind == ObjectKeyKind::kText) {
      NearDuplicateOptions text_options;
      text_options.threshold = f->text_threshold;
      text_options.min_tokens = f->min_tokens;
      text_options.threads = f->threads;
      NearDuplicateText near_duplicates(ds, text_options);
      if (Status s = near_duplicates.Run(); !s.ok()) {
        std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
        return kExitUsage;
      }
      text_clusters = near_duplicates.cluster_of_event();
      const NearDuplicateStats& st = near_duplicates.stats();
      std::fprintf(stderr, "co-text: %zu near-duplicate clusters of %llu posts (%llu texts, %llu unique)\n",
                   near_duplicates.clusters().size(), static_cast<unsigned long long>(st.clustered_events),
                   static_cast<unsigned long long>(st.events_with_text),
                   static_cast<unsigned long long>(st.unique_texts));
    }
    auto keys = ExtractObjectKeys(ds, kind, kind == ObjectKeyKind::kText ? &text_clusters : nullptr);
    if (!keys.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", keys.status().message().c_str());
      return kExitUsage;
    }
    CoActionOptions options;
    options.window_seconds = f->window;
    options.fixed_bins = f->fixed_bins;
    options.min_weight = f->min_weight;
    options.weight = f->directed || f->weight == "messages" ? CoActionWeight::kMessages
                     : f->weight == "pairs"                  ? CoActionWeight::kPairs
                                                             : CoActionWeight::kKeys;
    options.max_pairs_per_key = f->max_pairs_per_key;
    options.threads = f->threads;
    CoActionSignal signal(*keys, options);
    if (Status s = signal.Run(); !s.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
      return kExitUsage;
    }
    const double seconds = SecondsSince(start);
    const auto write_start = std::chrono::steady_clock::now();
    const bool directed = options.weight == CoActionWeight::kMessages;
    const Status written = GraphFormatFromPath(f->out) == GraphFormat::kCsv
                               ? WriteEdgeCsv(ds, signal.edges(), f->out, f->threads)
                               : WriteEdgeGraph(ds, signal.edges(), directed, f->out);
    if (!written.ok()) {
      std::fprintf(stderr, "lockstep: --out: %s\n", written.message().c_str());
      return kExitBadInput;
    }
    const double write_seconds = SecondsSince(write_start);
    std::fprintf(stderr, "%s: %zu keys, %zu actions, %zu edges (%s), %.3f s (load %.3f s, write %.3f s)",
                 f->signal.c_str(), keys->num_keys(), keys->actions.size(), signal.edges().size(),
                 directed ? "directed" : "undirected", seconds, load_seconds, write_seconds);
    if (!signal.saturated_keys().empty())
      std::fprintf(stderr, "; %zu keys skipped as too popular (most: %s, %u accounts)", signal.saturated_keys().size(),
                   keys->KeyName(signal.saturated_keys()[0].key).c_str(), signal.saturated_keys()[0].accounts);
    std::fprintf(stderr, "\n");
    return kExitOk;
  };
}

const bool kRegistered =
    Register({"network", "Build one co-action network: accounts acting on the same thing within a time window", Setup});

}  // namespace
}  // namespace lockstep::cli
