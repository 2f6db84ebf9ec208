#include "lockstep/signals/near_duplicate.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <numeric>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <xxhash.h>

#include "lockstep/model/threads.h"
#include "signals/pair_map.h"

namespace lockstep {
namespace internal {

double Jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  if (a.empty() && b.empty()) return 0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) ++i;
    else if (b[j] < a[i]) ++j;
    else ++common, ++i, ++j;
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace internal

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

constexpr size_t kChunk = 8192;  // text rows per unit of work in the shingling phase
constexpr int kProbes = 32;       // precomputed densification probes per bin
static_assert(kProbes % 8 == 0, "the densification reads probes eight at a time");

inline uint64_t Mix64(uint64_t x) {  // murmur3's fmix64
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a < b) parent_[b] = a;
    else if (b < a) parent_[a] = b;
  }

 private:
  std::vector<uint32_t> parent_;
};

// Sorts by the high 32 bits, stably (LSD radix sort, three digits of 11,
// 11 and 10 bits, counted in one pass: 2048 buckets keep the scatter's
// write positions in cache), so entries with equal keys keep their order.
void SortByHigh32(std::vector<uint64_t>* v, std::vector<uint64_t>* tmp) {
  constexpr int kDigits = 3, kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  tmp->resize(v->size());
  std::vector<uint32_t> count(kDigits * kBuckets, 0);
  for (uint64_t x : *v)
    for (int d = 0; d < kDigits; ++d) ++count[d * kBuckets + ((x >> (32 + d * kBits)) & (kBuckets - 1))];
  for (int d = 0; d < kDigits; ++d) {
    uint32_t* c = &count[d * kBuckets];
    uint32_t sum = 0;
    for (size_t k = 0; k < kBuckets; ++k) sum += std::exchange(c[k], sum);
    const int shift = 32 + d * kBits;
    for (uint64_t x : *v) (*tmp)[c[(x >> shift) & (kBuckets - 1)]++] = x;
    v->swap(*tmp);
  }
}

// Normalises, shingles and signs texts; one per worker thread.
class Shingler {
 public:
  Shingler(const NearDuplicateOptions& options, const std::vector<uint16_t>& probes)
      : options_(options),
        probes_(probes),
        bins_(static_cast<size_t>(options.bands) * static_cast<size_t>(options.rows)),
        filled_(bins_.size(), false) {}

  // Returns false (and touches nothing) for a text with fewer than
  // min_tokens tokens. Otherwise sets *exact to the hash of the normalised
  // text (never 0), appends the sorted shingle set to *arena and writes the
  // key of band j to band_keys[j * stride].
  bool Process(std::string_view text, uint64_t* exact, std::vector<uint32_t>* arena, uint32_t* band_keys,
               size_t stride) {
    NormalizeText(text, options_.normalize, &norm_, &tokens_);
    if (tokens_.size() < static_cast<size_t>(options_.min_tokens)) return false;
    const uint64_t seed = options_.seed;
    *exact = XXH3_64bits_withSeed(norm_.data(), norm_.size(), seed) | 1;
    // Shingles: token unigrams and bigrams.
    const size_t k = bins_.size();
    std::fill(bins_.begin(), bins_.end(), UINT32_MAX);
    const size_t first = arena->size();
    uint64_t previous = 0;
    for (size_t i = 0; i < tokens_.size(); ++i) {
      const uint64_t h = XXH3_64bits_withSeed(norm_.data() + tokens_[i].begin, tokens_[i].length, seed);
      Add(h, k, arena);
      if (i > 0) Add(Mix64(previous * 0x9E3779B97F4A7C15ULL ^ h), k, arena);
      previous = h;
    }
    std::sort(arena->begin() + static_cast<std::ptrdiff_t>(first), arena->end());
    arena->erase(std::unique(arena->begin() + static_cast<std::ptrdiff_t>(first), arena->end()), arena->end());
    // Optimal densification: an empty bin copies the first non-empty bin of
    // its own probe sequence (then, rarely, the next non-empty bin after it).
    for (size_t j = 0; j < k; ++j) {
      if (filled_[j]) continue;
      const uint16_t* probe = &probes_[j * kProbes];
      size_t source = k;
      // Eight probes at a time: their loads do not wait on each other and one
      // branch decides the block (its first filled probe is the lowest bit).
      for (int p = 0; p < kProbes && source == k; p += 8) {
        unsigned filled = 0;
        for (int q = 0; q < 8; ++q) filled |= static_cast<unsigned>(filled_[probe[p + q]]) << q;
        if (filled != 0) source = probe[p + std::countr_zero(filled)];
      }
      for (size_t step = 1; source == k && step <= k; ++step)
        if (filled_[(probe[kProbes - 1] + step) % k]) source = (probe[kProbes - 1] + step) % k;
      bins_[j] = bins_[source];
    }
    const size_t rows = static_cast<size_t>(options_.rows);
    for (int b = 0; b < options_.bands; ++b)
      band_keys[static_cast<size_t>(b) * stride] = static_cast<uint32_t>(
          XXH3_64bits_withSeed(&bins_[static_cast<size_t>(b) * rows], rows * sizeof(uint32_t), seed + b));
    std::fill(filled_.begin(), filled_.end(), false);
    return true;
  }

 private:
  // One-permutation hashing: the high 32 bits pick the bin, the low 32 bits
  // are the value competing for the bin's minimum and the set element.
  void Add(uint64_t shingle, size_t k, std::vector<uint32_t>* arena) {
    const auto value = static_cast<uint32_t>(shingle);
    const size_t bin = static_cast<size_t>(((shingle >> 32) * k) >> 32);
    bins_[bin] = std::min(bins_[bin], value);
    filled_[bin] = true;
    arena->push_back(value);
  }

  const NearDuplicateOptions& options_;
  const std::vector<uint16_t>& probes_;
  std::vector<uint32_t> bins_;
  std::vector<char> filled_;
  std::string norm_;
  std::vector<TextToken> tokens_;
};

// Shrivastava's probe sequences: for bin j, kProbes pseudo-random other bins.
std::vector<uint16_t> MakeProbes(size_t k, uint64_t seed) {
  std::vector<uint16_t> probes(k * kProbes);
  for (size_t j = 0; j < k; ++j)
    for (int p = 0; p < kProbes; ++p)
      probes[j * kProbes + p] = static_cast<uint16_t>(((Mix64(seed ^ (j << 8) ^ (p + 1)) >> 32) * k) >> 32);
  return probes;
}

std::string Excerpt(std::string_view text, size_t max_bytes) {
  std::string out;
  for (char c : text.substr(0, std::min(text.size(), max_bytes))) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  if (text.size() > max_bytes) {
    while (!out.empty() && (static_cast<uint8_t>(out.back()) & 0xC0) == 0x80) out.pop_back();  // continuation bytes
    if (!out.empty() && static_cast<uint8_t>(out.back()) >= 0xC0) out.pop_back();              // a cut lead byte
    out += "...";
  }
  return out;
}

}  // namespace

NearDuplicateText::NearDuplicateText(const Dataset& ds, NearDuplicateOptions options)
    : ds_(ds), options_(std::move(options)) {}

Status NearDuplicateText::Run() {
  const NearDuplicateOptions& o = options_;
  if (!(o.threshold > 0 && o.threshold <= 1))
    return Status::InvalidArgument(fmt::format("threshold must be in (0, 1], got {}", o.threshold));
  if (o.min_tokens < 1) return Status::InvalidArgument(fmt::format("min_tokens must be >= 1, got {}", o.min_tokens));
  if (o.bands < 1 || o.rows < 1 || o.bands * o.rows > 1024)
    return Status::InvalidArgument(
        fmt::format("bands and rows must be >= 1 with bands * rows <= 1024, got {} x {}", o.bands, o.rows));
  if (o.max_leaders < 1)
    return Status::InvalidArgument(fmt::format("max_leaders must be >= 1, got {}", o.max_leaders));
  if (Status s = CheckThreads(o.threads); !s.ok()) return s;
  if (!ds_.events.complete()) return Status::InvalidArgument("these events were loaded without their text");
  stats_ = {};
  const Events& ev = ds_.events;
  const size_t num_events = ev.size();
  if (num_events >= UINT32_MAX) return Status::InvalidArgument(fmt::format("too many events: {}", num_events));
  cluster_of_event_.assign(num_events, kNoTextCluster);
  clusters_.clear();
  cluster_events_.clear();
  cluster_offsets_.assign(1, 0);

  // 1-2. Normalise, shingle and sign every text, in chunks over threads.
  auto start = Clock::now();
  std::vector<uint32_t> rows;  // text row -> event
  for (size_t e = 0; e < num_events; ++e)
    if (ev.text_offsets[e + 1] != ev.text_offsets[e] && (o.include_shares || ev.type[e] != EventType::kShare))
      rows.push_back(static_cast<uint32_t>(e));
  const size_t num_rows = rows.size();
  stats_.events_with_text = num_rows;
  const size_t bands = static_cast<size_t>(o.bands);
  const std::vector<uint16_t> probes = MakeProbes(bands * static_cast<size_t>(o.rows), o.seed);
  std::vector<uint64_t> exact(num_rows, 0);  // 0 = too short
  std::vector<uint32_t> shingle_begin(num_rows), shingle_count(num_rows);
  // Column-major, band b of row r at [b * num_rows + r]: each band's pass
  // below reads its keys in row order.
  std::vector<uint32_t> band_keys(bands * num_rows);
  const size_t num_chunks = (num_rows + kChunk - 1) / kChunk;
  std::vector<std::vector<uint32_t>> arenas(num_chunks);
  std::atomic<size_t> next_chunk{0};
  auto shingle_worker = [&] {
    Shingler shingler(o, probes);
    for (size_t c; (c = next_chunk.fetch_add(1)) < num_chunks;) {
      std::vector<uint32_t>& arena = arenas[c];
      for (size_t r = c * kChunk; r < std::min(num_rows, (c + 1) * kChunk); ++r) {
        const size_t before = arena.size();
        if (shingler.Process(ev.Text(rows[r]), &exact[r], &arena, &band_keys[r], num_rows)) {
          shingle_begin[r] = static_cast<uint32_t>(before);
          shingle_count[r] = static_cast<uint32_t>(arena.size() - before);
        }
      }
    }
  };
  RunWorkers(o.threads, [&](int) { shingle_worker(); });
  auto shingles_of_row = [&](size_t r) {
    return std::span<const uint32_t>(arenas[r / kChunk].data() + shingle_begin[r], shingle_count[r]);
  };
  stats_.text_bytes = 0;
  for (uint32_t e : rows) stats_.text_bytes += ev.text_offsets[e + 1] - ev.text_offsets[e];
  stats_.seconds_shingle = Since(start);

  // 3. Collapse exact duplicates: unique texts numbered by first occurrence.
  start = Clock::now();
  std::vector<uint32_t> unique_of(num_rows, UINT32_MAX);
  std::vector<uint32_t> rep;  // unique text -> its first text row
  {
    size_t capacity = 16;
    while (capacity < 2 * num_rows) capacity <<= 1;
    std::vector<uint32_t> table(capacity, UINT32_MAX);  // text row of the first occurrence
    const size_t mask = capacity - 1;
    for (size_t r = 0; r < num_rows; ++r) {
      if (exact[r] == 0) {
        ++stats_.too_short;
        continue;
      }
      for (size_t pos = Mix64(exact[r]) & mask;; pos = (pos + 1) & mask) {
        if (table[pos] == UINT32_MAX) {
          table[pos] = static_cast<uint32_t>(r);
          unique_of[r] = static_cast<uint32_t>(rep.size());
          rep.push_back(static_cast<uint32_t>(r));
          break;
        }
        if (exact[table[pos]] == exact[r]) {
          unique_of[r] = unique_of[table[pos]];
          break;
        }
      }
    }
  }
  const size_t num_unique = rep.size();
  stats_.unique_texts = num_unique;
  for (uint32_t r : rep) stats_.shingles += shingle_count[r];
  stats_.seconds_dedup = Since(start);

  // 4-5. LSH buckets per band; each thread takes every threads-th band and
  // keeps its own union-find.
  start = Clock::now();
  const int lsh_threads = std::max(1, std::min(o.threads, o.bands));
  struct LshState {
    explicit LshState(size_t n) : uf(n), min_jaccard(n, 1.0f) {}
    UnionFind uf;
    std::vector<float> min_jaccard;  // smallest Jaccard of a link of each unique text
    internal::PairMap<double> linked;  // the Jaccard of each pair linked so far
    uint64_t buckets = 0, largest = 0, comparisons = 0, links = 0;
  };
  std::vector<LshState> lsh;
  lsh.reserve(static_cast<size_t>(lsh_threads));
  for (int t = 0; t < lsh_threads; ++t) lsh.emplace_back(num_unique);
  auto lsh_worker = [&](int t) {
    LshState& st = lsh[static_cast<size_t>(t)];
    std::vector<uint64_t> keys(num_unique), tmp;
    std::vector<uint32_t> leaders;
    for (size_t b = static_cast<size_t>(t); b < bands; b += static_cast<size_t>(lsh_threads)) {
      for (size_t u = 0; u < num_unique; ++u)
        keys[u] = (static_cast<uint64_t>(band_keys[b * num_rows + rep[u]]) << 32) | u;
      SortByHigh32(&keys, &tmp);
      for (size_t i = 0; i < num_unique;) {
        size_t j = i + 1;
        while (j < num_unique && (keys[j] >> 32) == (keys[i] >> 32)) ++j;
        if (j - i >= 2) {
          ++st.buckets;
          st.largest = std::max<uint64_t>(st.largest, j - i);
          leaders.clear();
          for (size_t m = i; m < j; ++m) {
            const auto u = static_cast<uint32_t>(keys[m]);
            const auto set = shingles_of_row(rep[u]);
            bool linked = false;
            for (uint32_t l : leaders) {
              const auto other = shingles_of_row(rep[l]);
              const size_t lo = std::min(set.size(), other.size()), hi = std::max(set.size(), other.size());
              if (static_cast<double>(lo) < o.threshold * static_cast<double>(hi)) continue;  // J <= lo / hi
              // Near-copies meet in most bands: a pair already linked in
              // this thread's union-find may have its Jaccard remembered.
              const uint64_t pair = internal::PairKey(std::min(u, l), std::max(u, l));
              const double* known = st.uf.Find(u) == st.uf.Find(l) ? st.linked.Find(pair) : nullptr;
              const double jac = known != nullptr ? *known : internal::Jaccard(set, other);
              if (known == nullptr) ++st.comparisons;
              if (jac >= o.threshold) {
                if (known == nullptr) st.linked.Get(pair) = jac;
                ++st.links;
                st.uf.Union(u, l);
                st.min_jaccard[u] = std::min(st.min_jaccard[u], static_cast<float>(jac));
                st.min_jaccard[l] = std::min(st.min_jaccard[l], static_cast<float>(jac));
                linked = true;
                break;
              }
            }
            if (!linked && leaders.size() < static_cast<size_t>(o.max_leaders)) leaders.push_back(u);
          }
        }
        i = j;
      }
    }
  };
  RunWorkers(lsh_threads, lsh_worker);
  band_keys = {};
  UnionFind& uf = lsh[0].uf;
  std::vector<float>& min_jaccard = lsh[0].min_jaccard;
  for (size_t t = 0; t < lsh.size(); ++t) {
    stats_.buckets += lsh[t].buckets;
    stats_.largest_bucket = std::max(stats_.largest_bucket, lsh[t].largest);
    stats_.comparisons += lsh[t].comparisons;
    stats_.links += lsh[t].links;
    if (t == 0) continue;
    for (uint32_t u = 0; u < num_unique; ++u) {
      const uint32_t root = lsh[t].uf.Find(u);
      if (root != u) uf.Union(u, root);
      min_jaccard[u] = std::min(min_jaccard[u], lsh[t].min_jaccard[u]);
    }
  }
  stats_.seconds_lsh = Since(start);

  // 6. Clusters: components with at least two events, numbered by first event.
  start = Clock::now();
  std::vector<uint32_t> events_of_unique(num_unique, 0);
  for (size_t r = 0; r < num_rows; ++r)
    if (unique_of[r] != UINT32_MAX) ++events_of_unique[unique_of[r]];
  std::vector<uint32_t> root_events(num_unique, 0);
  for (uint32_t u = 0; u < num_unique; ++u) root_events[uf.Find(u)] += events_of_unique[u];
  std::vector<uint32_t> cluster_of_root(num_unique, kNoTextCluster);
  std::vector<uint32_t> best_unique;  // per cluster: its most posted unique text
  for (uint32_t u = 0; u < num_unique; ++u) {
    const uint32_t root = uf.Find(u);
    if (root_events[root] < 2) continue;
    uint32_t& c = cluster_of_root[root];
    if (c == kNoTextCluster) {
      c = static_cast<uint32_t>(clusters_.size());
      clusters_.emplace_back();
      best_unique.push_back(u);
    }
    TextCluster& cl = clusters_[c];
    ++cl.texts;
    cl.min_jaccard = std::min(cl.min_jaccard, min_jaccard[u]);
    if (events_of_unique[u] > events_of_unique[best_unique[c]]) best_unique[c] = u;
  }
  for (size_t r = 0; r < num_rows; ++r) {
    if (unique_of[r] == UINT32_MAX) continue;
    const uint32_t c = cluster_of_root[uf.Find(unique_of[r])];
    if (c == kNoTextCluster) continue;
    cluster_of_event_[rows[r]] = c;
    ++clusters_[c].events;
  }
  cluster_offsets_.assign(clusters_.size() + 1, 0);
  for (size_t c = 0; c < clusters_.size(); ++c) cluster_offsets_[c + 1] = cluster_offsets_[c] + clusters_[c].events;
  cluster_events_.resize(cluster_offsets_.back());
  {
    std::vector<uint32_t> fill(cluster_offsets_.begin(), cluster_offsets_.end() - 1);
    for (uint32_t e : rows)
      if (cluster_of_event_[e] != kNoTextCluster) cluster_events_[fill[cluster_of_event_[e]]++] = e;
  }
  std::vector<AccountIndex> accounts;
  for (size_t c = 0; c < clusters_.size(); ++c) {
    accounts.clear();
    for (uint32_t e : ClusterEvents(static_cast<uint32_t>(c))) accounts.push_back(ev.account[e]);
    std::sort(accounts.begin(), accounts.end());
    clusters_[c].accounts = static_cast<uint32_t>(std::unique(accounts.begin(), accounts.end()) - accounts.begin());
    clusters_[c].representative = rows[rep[best_unique[c]]];
  }
  stats_.clustered_events = cluster_events_.size();
  stats_.seconds_cluster = Since(start);
  ran_ = true;
  return Status::Ok();
}

const std::vector<uint32_t>& NearDuplicateText::cluster_of_event() const {
  static const std::vector<uint32_t> kNone;
  return ran_ ? cluster_of_event_ : kNone;
}

const std::vector<TextCluster>& NearDuplicateText::clusters() const {
  static const std::vector<TextCluster> kNone;
  return ran_ ? clusters_ : kNone;
}

std::span<const uint32_t> NearDuplicateText::ClusterEvents(uint32_t c) const {
  if (c + 1 >= cluster_offsets_.size()) return {};
  return {cluster_events_.data() + cluster_offsets_[c], cluster_events_.data() + cluster_offsets_[c + 1]};
}

std::string_view NearDuplicateText::RepresentativeText(uint32_t c) const {
  if (!ran_ || c >= clusters_.size()) return {};
  return ds_.events.Text(clusters_[c].representative);
}

std::string NearDuplicateText::Explain(uint32_t c) const {
  if (!ran_ || c >= clusters_.size()) return "";
  const TextCluster& cl = clusters_[c];
  const std::string excerpt = Excerpt(RepresentativeText(c), 160);
  if (cl.texts == 1)
    return fmt::format("{} posts by {} accounts share this text (identical after normalisation): '{}'", cl.events,
                       cl.accounts, excerpt);
  return fmt::format("{} posts by {} accounts share this text in {} variants (linked at Jaccard >= {:.2f}): '{}'",
                     cl.events, cl.accounts, cl.texts, cl.min_jaccard, excerpt);
}

bool SameClustering(const NearDuplicateOptions& a, const NearDuplicateOptions& b) {
  return a.threshold == b.threshold && a.min_tokens == b.min_tokens && a.bands == b.bands && a.rows == b.rows &&
         a.max_leaders == b.max_leaders && a.include_shares == b.include_shares && a.seed == b.seed &&
         a.normalize.strip_urls == b.normalize.strip_urls && a.normalize.strip_mentions == b.normalize.strip_mentions &&
         a.normalize.strip_retweet_prefix == b.normalize.strip_retweet_prefix &&
         a.normalize.fold_arabic_variants == b.normalize.fold_arabic_variants;
}

SharedTextClusters::SharedTextClusters(const Dataset& ds, NearDuplicateOptions options)
    : ds_(ds), options_(std::move(options)) {}

Result<const std::vector<uint32_t>*> SharedTextClusters::Get() {
  std::lock_guard lock(mutex_);
  ++served_;
  if (computed_ == 0) {
    computed_ = 1;
    NearDuplicateText near(ds_, options_);
    status_ = near.Run();
    if (status_.ok()) cluster_of_event_ = near.cluster_of_event();
  }
  if (!status_.ok()) return status_;
  return &cluster_of_event_;
}

int SharedTextClusters::computed() const {
  std::lock_guard lock(mutex_);
  return computed_;
}

int SharedTextClusters::served() const {
  std::lock_guard lock(mutex_);
  return served_;
}

bool SharedTextClusters::Serves(const Dataset& ds, const NearDuplicateOptions& options) const {
  return &ds == &ds_ && SameClustering(options, options_);
}

Status ClusterTexts(const Dataset& ds, const NearDuplicateOptions& options, int threads, SharedTextClusters* shared,
                    std::vector<uint32_t>* cluster_of_event) {
  cluster_of_event->clear();
  bool any_text = false;
  for (size_t i = 0; i < ds.events.size() && !any_text; ++i) any_text = !ds.events.Text(i).empty();
  if (!any_text) return Status::Ok();
  if (shared != nullptr && shared->Serves(ds, options)) {
    Result<const std::vector<uint32_t>*> got = shared->Get();
    if (!got.ok()) return got.status();
    *cluster_of_event = **got;
    return Status::Ok();
  }
  NearDuplicateOptions o = options;
  o.threads = threads;
  NearDuplicateText near(ds, o);
  if (Status s = near.Run(); !s.ok()) return s;
  *cluster_of_event = near.cluster_of_event();
  return Status::Ok();
}

}  // namespace lockstep
