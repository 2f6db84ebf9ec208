#include "lockstep/signals/object_keys.h"

#include <algorithm>
#include <array>
#include <bit>
#include <memory>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <utf8proc.h>

#include "lockstep/model/threads.h"
#include "lockstep/signals/case_fold.h"
#include "lockstep/signals/text_normalize.h"

namespace lockstep {

namespace {

constexpr std::array<std::string_view, 8> kSignalNames = {"co-share", "co-link",    "co-domain", "co-hashtag",
                                                          "co-reply", "co-mention", "co-text",   "co-like"};

bool IsTrackingParameter(std::string_view name) {
  static constexpr std::string_view kExact[] = {"fbclid", "gclid",  "dclid", "igshid", "mc_cid", "mc_eid",
                                                "yclid",  "msclkid", "_ga",  "ref_src", "ref_url", "s",
                                                "si",     "feature", "cmpid", "ocid",  "smid",   "spm"};
  if (name.rfind("utm_", 0) == 0) return true;
  for (std::string_view t : kExact)
    if (name == t) return true;
  return false;
}

}  // namespace

std::string_view SignalName(ObjectKeyKind kind) { return kSignalNames[static_cast<size_t>(kind)]; }

bool ParseSignalName(std::string_view name, ObjectKeyKind* out) {
  for (size_t i = 0; i < kSignalNames.size(); ++i)
    if (kSignalNames[i] == name) {
      *out = static_cast<ObjectKeyKind>(i);
      return true;
    }
  return false;
}

std::string NormalizeUrl(std::string_view url) {
  while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) url.remove_prefix(1);
  while (!url.empty() && (url.back() == ' ' || url.back() == '\t')) url.remove_suffix(1);
  if (size_t scheme = url.find("://"); scheme != std::string_view::npos && scheme < 10) url.remove_prefix(scheme + 3);
  if (size_t hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  const size_t host_end = std::min(url.find_first_of("/?"), url.size());
  std::string out(url.substr(0, host_end));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (out.rfind("www.", 0) == 0) out.erase(0, 4);
  if (out.size() > 3 && out.compare(out.size() - 3, 3, ":80") == 0) out.resize(out.size() - 3);
  if (out.size() > 4 && out.compare(out.size() - 4, 4, ":443") == 0) out.resize(out.size() - 4);
  std::string_view rest = url.substr(host_end);
  const size_t q = rest.find('?');
  std::string_view path = rest.substr(0, q);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  out += path;
  if (q != std::string_view::npos) {
    std::string_view query = rest.substr(q + 1);
    std::string kept;
    while (!query.empty()) {
      const size_t amp = query.find('&');
      std::string_view param = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (param.empty()) continue;
      std::string_view name = param.substr(0, param.find('='));
      if (IsTrackingParameter(name)) continue;
      kept += kept.empty() ? "?" : "&";
      kept += param;
    }
    out += kept;
  }
  return out;
}

std::string ObjectKeys::KeyName(size_t k) const {
  const uint32_t src = key_source[k];
  switch (kind) {
    case ObjectKeyKind::kShare:
      if (src >= dataset->objects.size()) return fmt::format("shared text \"{}\"", normalized.Get(src - dataset->objects.size()));
      return std::string(dataset->objects.Get(src));
    case ObjectKeyKind::kReply:
    case ObjectKeyKind::kLike:
      return std::string(dataset->objects.Get(src));
    case ObjectKeyKind::kLink:
      return std::string(normalized.Get(src));
    case ObjectKeyKind::kDomain:
      return std::string(dataset->domains.Get(src));
    case ObjectKeyKind::kHashtag:
      return "#" + std::string(normalized.Get(src));
    case ObjectKeyKind::kMention:
      return "@" + std::string(dataset->mentions.Get(src));
    case ObjectKeyKind::kText:
      return fmt::format("text cluster {}", src);
  }
  return "";
}

Result<ObjectKeys> ExtractObjectKeys(const Dataset& ds, ObjectKeyKind kind, const std::vector<uint32_t>* text_cluster,
                                     int threads) {
  const Events& ev = ds.events;
  const size_t n = ev.size();
  if (Status s = CheckThreads(threads); !s.ok()) return s;
  if (kind == ObjectKeyKind::kText && (text_cluster == nullptr || text_cluster->size() != n))
    return Status::InvalidArgument(fmt::format("co-text needs one text cluster per event: got {} for {} events",
                                               text_cluster ? text_cluster->size() : 0, n));
  if (!KeyedOnTarget(kind) && kind != ObjectKeyKind::kText && !ev.complete())
    return Status::InvalidArgument("these events were loaded without their URL, hashtag and mention lists");
  ObjectKeys out;
  out.kind = kind;
  out.dataset = &ds;
  // Per source id, its key id in the grouping space (which is the pool for
  // direct keys, or `normalized` for links and hashtags).
  std::vector<uint32_t> source_to_norm;
  size_t space = 0;
  // kShare: a share without a target id (exports that keep only a retweet
  // flag and the retweeted text) is keyed by its normalised text, after the
  // pool's ids: key objects.size() + the text's id in `normalized`.
  std::vector<uint32_t> untargeted_text;  // per event; UINT32_MAX = none
  switch (kind) {
    case ObjectKeyKind::kShare:
      for (size_t e = 0; e < n; ++e) {
        if (ev.type[e] != EventType::kShare || ev.target_id[e] != kNoString) continue;
        const std::string_view text = ev.Text(e);
        if (text.empty()) continue;
        const std::string normal = NormalizeText(text);
        if (normal.empty()) continue;
        if (untargeted_text.empty()) untargeted_text.assign(n, UINT32_MAX);
        untargeted_text[e] = static_cast<uint32_t>(ds.objects.size()) + out.normalized.Intern(normal);
      }
      space = ds.objects.size() + out.normalized.size();
      break;
    case ObjectKeyKind::kReply:
    case ObjectKeyKind::kLike:
      space = ds.objects.size();
      break;
    case ObjectKeyKind::kDomain:
      space = ds.domains.size();
      break;
    case ObjectKeyKind::kMention:
      space = ds.mentions.size();
      break;
    case ObjectKeyKind::kText:
      for (uint32_t c : *text_cluster)
        if (c != UINT32_MAX) space = std::max<size_t>(space, size_t{c} + 1);
      break;
    case ObjectKeyKind::kLink:
      source_to_norm.resize(ds.urls.size());
      for (size_t u = 0; u < ds.urls.size(); ++u) source_to_norm[u] = out.normalized.Intern(NormalizeUrl(ds.urls.Get(u)));
      space = out.normalized.size();
      break;
    case ObjectKeyKind::kHashtag:
      source_to_norm.resize(ds.hashtags.size());
      for (size_t h = 0; h < ds.hashtags.size(); ++h) source_to_norm[h] = out.normalized.Intern(CaseFold(ds.hashtags.Get(h)));
      space = out.normalized.size();
      break;
  }
  // The events whose target the direct kinds group by.
  const EventType target_type = kind == ObjectKeyKind::kReply  ? EventType::kComment
                                : kind == ObjectKeyKind::kLike ? EventType::kLike
                                                               : EventType::kShare;
  // The actions of events [begin, end), in order, as emit(key, event); an
  // event acts on a key once.
  auto for_each_action = [&](uint32_t begin, uint32_t end, auto&& emit) {
    std::vector<uint32_t> in_event;
    auto list = [&](const ListColumn& column, uint32_t e, bool via_norm, bool via_domain) {
      auto row = column.Row(e);
      if (row.empty()) return;
      in_event.clear();
      for (uint32_t item : row) {
        uint32_t key = via_domain ? ds.url_domain[item] : via_norm ? source_to_norm[item] : item;
        if (key == kNoString) continue;  // a link wrapper has no domain
        if (std::find(in_event.begin(), in_event.end(), key) != in_event.end()) continue;
        in_event.push_back(key);
        emit(key, e);
      }
    };
    for (uint32_t e = begin; e < end; ++e) {
      switch (kind) {
        case ObjectKeyKind::kShare:
          if (ev.type[e] != EventType::kShare) break;
          if (ev.target_id[e] != kNoString) {
            emit(ev.target_id[e], e);
          } else if (!untargeted_text.empty() && untargeted_text[e] != UINT32_MAX) {
            emit(untargeted_text[e], e);
          }
          break;
        case ObjectKeyKind::kReply:
        case ObjectKeyKind::kLike:
          if (ev.type[e] == target_type && ev.target_id[e] != kNoString) emit(ev.target_id[e], e);
          break;
        case ObjectKeyKind::kLink:
          list(ev.urls, e, true, false);
          break;
        case ObjectKeyKind::kDomain:
          list(ev.urls, e, false, true);
          break;
        case ObjectKeyKind::kHashtag:
          list(ev.hashtags, e, true, false);
          break;
        case ObjectKeyKind::kMention:
          list(ev.mentions, e, false, false);
          break;
        case ObjectKeyKind::kText:
          if ((*text_cluster)[e] != UINT32_MAX) emit((*text_cluster)[e], e);
          break;
      }
    }
  };

  // Grouping is a stable LSD radix sort by key, digits of at most 12 bits.
  // A counting sort over the whole key space would scatter into one stream
  // per key (500k on the 10M-share benchmark, far more cache lines than
  // fit) and need counters for every id of the pool (10.5M there, object
  // and content ids share it); 4096 streams stay in cache. Stability keeps
  // each key's actions in event order, which is time order. Each thread
  // takes a contiguous slice, and slices are placed in order, so threads do
  // not change the result.
  const int bits = space > 1 ? std::bit_width(space - 1) : 0;
  const int passes = (bits + 11) / 12;
  const int digit = passes > 0 ? (bits + passes - 1) / passes : 0;
  const uint32_t mask = (1u << digit) - 1;
  const size_t buckets = size_t{1} << digit;
  const int parts = n < 65536 ? 1 : threads;
  std::vector<size_t> slice(parts + 1, 0);  // event ranges, then action ranges

  // Pass 1: count each slice's actions, then write them in event order.
  std::vector<uint32_t> event_bounds(parts + 1);
  for (int t = 0; t <= parts; ++t) event_bounds[t] = static_cast<uint32_t>(n * t / parts);
  RunWorkers(parts, [&](int t) {
    size_t c = 0;
    for_each_action(event_bounds[t], event_bounds[t + 1], [&c](uint32_t, uint32_t) { ++c; });
    slice[t + 1] = c;
  });
  for (int t = 0; t < parts; ++t) slice[t + 1] += slice[t];
  const size_t total = slice[parts];
  // Passes alternate between two buffers and the last one must land in
  // out.actions. The scratch buffer is left uninitialised: it is written
  // before it is read.
  out.actions.resize(total);
  std::unique_ptr<Action[]> scratch(passes > 0 ? new Action[total] : nullptr);
  Action* from = passes % 2 == 0 ? out.actions.data() : scratch.get();
  Action* to = passes % 2 == 0 ? scratch.get() : out.actions.data();
  RunWorkers(parts, [&](int t) {
    Action* w = from + slice[t];
    for_each_action(event_bounds[t], event_bounds[t + 1],
                    [&](uint32_t key, uint32_t e) { *w++ = Action{key, e, ev.time[e], ev.account[e]}; });
  });

  // Pass 2: the radix sort.
  std::vector<std::vector<uint64_t>> hist(parts, std::vector<uint64_t>(buckets));
  for (int pass = 0, shift = 0; pass < passes; ++pass, shift += digit) {
    RunWorkers(parts, [&](int t) {
      std::fill(hist[t].begin(), hist[t].end(), 0);
      for (size_t i = slice[t]; i < slice[t + 1]; ++i) ++hist[t][(from[i].key >> shift) & mask];
    });
    uint64_t sum = 0;
    for (size_t b = 0; b < buckets; ++b)
      for (int t = 0; t < parts; ++t) sum += std::exchange(hist[t][b], sum);
    RunWorkers(parts, [&](int t) {
      uint64_t* place = hist[t].data();
      for (size_t i = slice[t]; i < slice[t + 1]; ++i) to[place[(from[i].key >> shift) & mask]++] = from[i];
    });
    std::swap(from, to);
  }
  scratch.reset();

  // Pass 3: dense key ids in key order, and rows that repeat one message
  // (same event id, account and time on the same key, as exports that list
  // a post once per object do) become one action. Only an action with the
  // time of the one before can repeat, so the event ids (a random read) are
  // looked at only then.
  size_t write = 0;
  for (size_t i = 0; i < out.actions.size();) {
    const uint32_t source = out.actions[i].key;
    const auto dense = static_cast<uint32_t>(out.key_source.size());
    const size_t key_begin = write;
    for (; i < out.actions.size() && out.actions[i].key == source; ++i) {
      Action a = out.actions[i];
      a.key = dense;
      bool repeat = false;
      if (write > key_begin && out.actions[write - 1].time == a.time) {
        const StringId id = ev.event_id[a.event];
        if (id != kNoString)
          for (size_t j = write; j-- > key_begin && out.actions[j].time == a.time;)
            if (out.actions[j].account == a.account && ev.event_id[out.actions[j].event] == id) {
              repeat = true;
              break;
            }
      }
      if (!repeat) out.actions[write++] = a;
    }
    out.key_source.push_back(source);
    out.key_offsets.push_back(write);
  }
  out.actions.resize(write);
  return out;
}

}  // namespace lockstep
