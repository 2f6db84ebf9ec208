// _lockstep: the pybind11 module under the Python package `lockstep`
// (python/lockstep/__init__.py). It wraps the library calls the command-line
// front end makes (tools/lockstep/cmd_*.cc), not a second implementation:
// LoadSources, ExtractObjectKeys + CoActionSignal (lockstep network),
// TargetSimilaritySignal (lockstep similarity), Detector with DefaultSignals
// (lockstep detect), Simulator (lockstep simulate) and Evaluate (lockstep eval).
//
// Columns are handed to numpy without copying where they are plain arrays:
// the array's base is the Python object that owns the memory (the Dataset,
// or a capsule holding a moved result vector), so the memory lives as long
// as any view does. Views are read-only: a Dataset is immutable.
//
// Every long call releases the GIL. Bad input raises _lockstep.InputError
// (subclass of ValueError) with file, line, byte_offset, field, problem, fix.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "lockstep/detect/default_signals.h"
#include "lockstep/detect/detector.h"
#include "lockstep/detect/output.h"
#include "lockstep/ingest/load.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/input_error.h"
#include "lockstep/report/graph_writer.h"
#include "lockstep/report/report.h"
#include "lockstep/signals/co_action.h"
#include "lockstep/signals/near_duplicate.h"
#include "lockstep/signals/object_keys.h"
#include "lockstep/signals/target_similarity.h"
#include "lockstep/sim/eval.h"
#include "lockstep/sim/scenario.h"
#include "lockstep/sim/simulator.h"
// cli::kMaxWindowSeconds: the same bound on window as `lockstep network --window`.
#include "command.h"

namespace py = pybind11;

namespace lockstep::python {
namespace {

// A load that stopped at bad input; translated to the Python InputError.
struct InputErrorThrown {
  InputError error;
  std::string message;
};

PyObject* g_input_error = nullptr;  // the Python class, owned by the module

// A non-ok Status as the matching Python exception.
[[noreturn]] void Throw(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kFailedPrecondition:
      throw py::value_error(s.message());
    case StatusCode::kIoError:
      PyErr_SetString(PyExc_OSError, s.message().c_str());
      throw py::error_already_set();
    case StatusCode::kInputError:
    case StatusCode::kCorrupt:
    {
      InputError error;
      error.problem = s.message();
      throw InputErrorThrown{std::move(error), s.message()};
    }
    default:
      throw std::runtime_error(s.message());
  }
}

// A read-only view of `count` elements of T, `stride` bytes apart from
// `data`, kept alive by `owner`.
template <typename T>
py::array View(const void* data, size_t count, size_t stride, py::handle owner) {
  py::array a(py::dtype::of<T>(), {static_cast<py::ssize_t>(count)}, {static_cast<py::ssize_t>(stride)},
              static_cast<const T*>(data), owner);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

template <typename T>
py::array VectorView(const std::vector<T>& v, py::handle owner) {
  return View<T>(v.data(), v.size(), sizeof(T), owner);
}

// A capsule owning `v` (moved), to be the base of views into it.
template <typename T>
py::capsule Own(std::vector<T>&& v, std::vector<T>** out) {
  auto* held = new std::vector<T>(std::move(v));
  *out = held;
  return py::capsule(held, [](void* p) { delete static_cast<std::vector<T>*>(p); });
}

py::list PoolStrings(const Interner& pool) {
  py::list out(pool.size());
  for (size_t i = 0; i < pool.size(); ++i) {
    const std::string_view s = pool.Get(static_cast<StringId>(i));
    out[i] = py::reinterpret_steal<py::object>(PyUnicode_DecodeUTF8(s.data(), static_cast<py::ssize_t>(s.size()), "replace"));
  }
  return out;
}

// The same strings as a numpy object array: pandas takes it as an Index's
// values without converting a list element by element.
py::array PoolArray(const Interner& pool) {
  py::array out = py::module_::import("numpy").attr("empty")(pool.size(), py::arg("dtype") = "object");  // Nones
  auto** cells = static_cast<PyObject**>(out.mutable_data());
  for (size_t i = 0; i < pool.size(); ++i) {
    const std::string_view s = pool.Get(static_cast<StringId>(i));
    PyObject* str = PyUnicode_DecodeUTF8(s.data(), static_cast<py::ssize_t>(s.size()), "replace");
    if (str == nullptr) throw py::error_already_set();
    std::swap(cells[i], str);
    Py_XDECREF(str);  // the None it replaced
  }
  return out;
}

// Calls a Python callable from a library progress callback, on whatever
// thread the library calls from: takes the GIL for the call. An exception in
// the callable is reported as unraisable (it cannot stop the C++ work).
// Callers capture a pointer to the callable, which outlives the call: the
// library copies its options (and so the std::function) without the GIL,
// where copying a py::object would touch its reference count.
template <typename... Args>
void CallProgress(const py::object* callback, Args&&... args) {
  py::gil_scoped_acquire acquire;
  try {
    (*callback)(std::forward<Args>(args)...);
  } catch (py::error_already_set& e) {
    e.discard_as_unraisable("lockstep progress callback");
  }
}

const Interner& PoolByName(const Dataset& ds, const std::string& name) {
  if (name == "account_ids") return ds.account_ids;
  if (name == "objects") return ds.objects;
  if (name == "urls") return ds.urls;
  if (name == "domains") return ds.domains;
  if (name == "hashtags") return ds.hashtags;
  if (name == "mentions") return ds.mentions;
  if (name == "infra_values") return ds.infra_values;
  if (name == "strings") return ds.strings;
  throw py::value_error("unknown pool '" + name +
                        "'; expected account_ids, objects, urls, domains, hashtags, mentions, infra_values or strings");
}

Dataset Load(const std::vector<std::string>& paths, const std::string& format, const std::string& on_error,
             const std::string& rejects, const std::vector<std::pair<std::string, std::string>>& column_map,
             bool event_ids, bool action_columns_only, const py::object& progress, py::dict* summary) {
  ErrorPolicy policy;
  if (on_error == "fail") policy = ErrorPolicy::kFail;
  else if (on_error == "skip") policy = ErrorPolicy::kSkip;
  else throw py::value_error("on_error must be 'fail' or 'skip', got '" + on_error + "'");
  if (!rejects.empty() && policy != ErrorPolicy::kSkip)
    throw py::value_error("rejects needs on_error='skip': with 'fail' the first bad row stops the load");
  if (paths.empty()) throw py::value_error("no path given");
  ErrorSink sink(policy, rejects);
  if (!sink.rejects_error().empty()) {
    PyErr_SetString(PyExc_OSError, ("rejects: " + sink.rejects_error()).c_str());
    throw py::error_already_set();
  }
  LoadOptions options;
  options.column_map = column_map;
  options.event_ids = event_ids;
  options.action_columns_only = action_columns_only;
  if (!progress.is_none())
    options.progress = [cb = &progress](const LoadProgress& p) { CallProgress(cb, p.file, p.bytes_done, p.bytes_total); };
  LoadReport report;
  std::optional<Result<Dataset>> loaded;
  {
    py::gil_scoped_release release;
    loaded.emplace(LoadSources(paths, format, options, &sink, &report));
  }
  if (!loaded->ok()) {
    const Status& s = loaded->status();
    if (s.code() == StatusCode::kInputError && sink.first() != nullptr)
      throw InputErrorThrown{*sink.first(), s.message()};
    Throw(s);
  }
  (*summary)["format"] = report.format;
  (*summary)["rows_read"] = report.rows_read();
  (*summary)["rows_loaded"] = report.rows_loaded();
  (*summary)["rows_rejected"] = report.rows_rejected();
  (*summary)["seconds"] = report.seconds;
  py::list samples;
  for (const InputError& e : sink.samples()) samples.append(e.ToString());
  (*summary)["errors"] = samples;
  (*summary)["error_summary"] = sink.total() > 0 ? sink.Summary() : std::string();
  return std::move(*loaded).value();
}

// Holds a co-action network's edges; views into it are the DataFrame's columns.
py::dict CoActionNetwork(const Dataset& ds, const std::string& signal_name, int64_t window, const std::string& weight,
                 uint32_t min_weight, bool directed, bool fixed_bins, uint64_t max_pairs_per_key, int threads,
                 double text_threshold, int min_tokens) {
  ObjectKeyKind kind;
  if (!ParseSignalName(signal_name, &kind)) {
    std::string names;
    for (int k = 0; k <= static_cast<int>(ObjectKeyKind::kLike); ++k)
      names += (k ? ", " : "") + std::string(SignalName(static_cast<ObjectKeyKind>(k)));
    throw py::value_error("unknown signal '" + signal_name + "'; expected one of " + names);
  }
  if (weight != "keys" && weight != "pairs" && weight != "messages")
    throw py::value_error("weight must be 'keys', 'pairs' or 'messages', got '" + weight + "'");
  if (window < 0 || window > cli::kMaxWindowSeconds)
    throw py::value_error("window must be in [0, " + std::to_string(cli::kMaxWindowSeconds) + "] seconds, got " +
                          std::to_string(window));
  if (min_weight < 1) throw py::value_error("min_weight must be >= 1");
  if (threads < 1) throw py::value_error("threads must be >= 1, got " + std::to_string(threads));
  CoActionOptions options;
  options.window_seconds = window;
  options.fixed_bins = fixed_bins;
  options.min_weight = min_weight;
  options.weight = directed || weight == "messages" ? CoActionWeight::kMessages
                   : weight == "pairs"              ? CoActionWeight::kPairs
                                                    : CoActionWeight::kKeys;
  options.max_pairs_per_key = max_pairs_per_key;
  options.threads = threads;
  std::vector<CoActionEdge> edges;
  std::vector<double> mean_delta;  // sum_delta / pairs, seconds (0 without pairs)
  size_t num_keys = 0, actions = 0, saturated = 0;
  {
    py::gil_scoped_release release;
    // The same calls as `lockstep network` (tools/lockstep/cmd_network.cc).
    std::vector<uint32_t> text_clusters;
    if (kind == ObjectKeyKind::kText) {
      NearDuplicateOptions text_options;
      text_options.threshold = text_threshold;
      text_options.min_tokens = min_tokens;
      text_options.threads = threads;
      NearDuplicateText near_duplicates(ds, text_options);
      if (Status s = near_duplicates.Run(); !s.ok()) {
        py::gil_scoped_acquire acquire;
        Throw(s);
      }
      text_clusters = near_duplicates.cluster_of_event();
    }
    auto keys = ExtractObjectKeys(ds, kind, kind == ObjectKeyKind::kText ? &text_clusters : nullptr, threads);
    if (!keys.ok()) {
      py::gil_scoped_acquire acquire;
      Throw(keys.status());
    }
    CoActionSignal co_action(*keys, options);
    if (Status s = co_action.Run(); !s.ok()) {
      py::gil_scoped_acquire acquire;
      Throw(s);
    }
    num_keys = keys->num_keys();
    actions = keys->actions.size();
    saturated = co_action.saturated_keys().size();
    edges = co_action.edges();
    mean_delta.resize(edges.size());  // here, without the GIL: numpy's divide over strided columns is 10x slower
    for (size_t i = 0; i < edges.size(); ++i)
      mean_delta[i] = edges[i].pairs > 0 ? static_cast<double>(edges[i].sum_delta) / static_cast<double>(edges[i].pairs)
                                         : 0.0;
  }
  std::vector<CoActionEdge>* held = nullptr;
  py::capsule owner = Own(std::move(edges), &held);
  const CoActionEdge* e = held->data();
  const size_t n = held->size(), stride = sizeof(CoActionEdge);
  py::dict out;
  out["a"] = View<uint32_t>(&e->a, n, stride, owner);
  out["b"] = View<uint32_t>(&e->b, n, stride, owner);
  out["weight"] = View<uint32_t>(&e->weight, n, stride, owner);
  out["keys"] = View<uint32_t>(&e->keys, n, stride, owner);
  out["pairs"] = View<uint64_t>(&e->pairs, n, stride, owner);
  out["sum_delta"] = View<int64_t>(&e->sum_delta, n, stride, owner);
  out["min_delta"] = View<int64_t>(&e->min_delta, n, stride, owner);
  std::vector<double>* held_mean = nullptr;
  py::capsule mean_owner = Own(std::move(mean_delta), &held_mean);
  out["mean_delta"] = VectorView(*held_mean, mean_owner);
  out["directed"] = options.weight == CoActionWeight::kMessages;
  out["num_keys"] = num_keys;
  out["actions"] = actions;
  out["saturated_keys"] = saturated;
  return out;
}

py::dict Similarity(const Dataset& ds, const std::string& trace, int top_k, double min_cosine, uint32_t min_actions,
                    uint32_t max_postings, int64_t bin_seconds, int threads) {
  TargetSimilarityOptions options;
  if (!Parse(trace, &options.trace)) {
    std::string names;
    for (int t = 0; t < kSimilarityTraces; ++t)
      names += (t ? ", " : "") + std::string(Name(static_cast<SimilarityTrace>(t)));
    throw py::value_error("unknown trace '" + trace + "'; expected one of " + names);
  }
  options.top_k = top_k;
  options.min_cosine = min_cosine;
  options.min_account_actions = min_actions;
  options.max_postings = max_postings;
  options.bin_seconds = bin_seconds;
  options.threads = threads;
  std::vector<SignalEdge> edges;
  {
    py::gil_scoped_release release;
    TargetSimilaritySignal signal(ds, options);
    if (Status s = signal.Run(); !s.ok()) {
      py::gil_scoped_acquire acquire;
      Throw(s);
    }
    edges = signal.edges();
  }
  std::vector<SignalEdge>* held = nullptr;
  py::capsule owner = Own(std::move(edges), &held);
  const SignalEdge* e = held->data();
  const size_t n = held->size(), stride = sizeof(SignalEdge);
  py::dict out;
  out["a"] = View<uint32_t>(&e->a, n, stride, owner);
  out["b"] = View<uint32_t>(&e->b, n, stride, owner);
  out["cosine"] = View<float>(&e->weight, n, stride, owner);
  return out;
}

// A detection and the data set it was made from (kept alive by the binding).
struct DetectionHandle {
  const Dataset* ds;
  Detection detection;
};

py::dict IndicatorDict(const Indicator& i) {
  py::dict d;
  d["signal"] = i.signal;
  d["strength"] = i.strength;
  d["p_value"] = i.p_value ? py::cast(*i.p_value) : py::none();
  d["evidence"] = i.evidence;
  d["examples"] = i.examples;
  return d;
}

py::list CountShares(const std::vector<CountShare>& v) {
  py::list out;
  for (const CountShare& c : v) out.append(py::make_tuple(c.name, c.count));
  return out;
}

py::list NetworksList(const DetectionHandle& h) {
  py::list out;
  for (const Network& n : h.detection.networks) {
    py::dict d;
    d["network_id"] = n.network_id;
    d["confidence"] = n.confidence;
    d["tier"] = n.tier;
    py::list members, attached;
    for (AccountIndex a : n.members) members.append(std::string(h.ds->AccountId(a)));
    for (AccountIndex a : n.attached) attached.append(std::string(h.ds->AccountId(a)));
    d["members"] = members;
    d["member_scores"] = n.member_scores;
    d["attached"] = attached;
    py::list indicators;
    for (const Indicator& i : n.indicators) indicators.append(IndicatorDict(i));
    d["indicators"] = indicators;
    d["utc_offset"] = n.utc_offset ? py::cast(*n.utc_offset) : py::none();
    d["utc_offset_confidence"] = n.utc_offset_confidence;
    d["shift_summary"] = n.shift.summary;
    d["hour_share"] = std::vector<double>(n.shift.hour_share.begin(), n.shift.hour_share.end());
    d["origin_countries"] = n.origin_countries;
    d["target_countries"] = n.target_countries;
    d["top_domains"] = CountShares(n.top_domains);
    d["top_hashtags"] = CountShares(n.top_hashtags);
    d["languages"] = CountShares(n.languages);
    d["events"] = n.events;
    d["first_activity"] = n.first_activity;
    d["last_activity"] = n.last_activity;
    out.append(d);
  }
  return out;
}

}  // namespace
}  // namespace lockstep::python

PYBIND11_MODULE(_lockstep, m) {
  using namespace lockstep;
  using namespace lockstep::python;
  m.doc() = "lockstep's C++ library; use the `lockstep` package, which wraps this module.";

  static py::exception<InputErrorThrown> input_error(m, "InputError", PyExc_ValueError);
  g_input_error = input_error.ptr();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputErrorThrown& e) {
      py::object cls = py::reinterpret_borrow<py::object>(g_input_error);
      py::object exc = cls(e.message);
      exc.attr("file") = e.error.file;
      exc.attr("line") = e.error.line;
      exc.attr("byte_offset") = e.error.byte_offset;
      exc.attr("field") = e.error.field;
      exc.attr("problem") = e.error.problem;
      exc.attr("fix") = e.error.fix;
      exc.attr("kind") = std::string(InputErrorKindName(e.error.kind));
      exc.attr("raw") = py::bytes(e.error.raw);
      PyErr_SetObject(g_input_error, exc.ptr());
    }
  });

  py::class_<Dataset>(m, "Dataset", "An immutable in-memory data set (lockstep/model/dataset.h).")
      .def_property_readonly("num_accounts", &Dataset::num_accounts,
                             "Rows of the accounts file; account indices at or above are targets only.")
      .def_property_readonly("num_account_ids", [](const Dataset& ds) { return ds.account_ids.size(); })
      .def_property_readonly("num_events", [](const Dataset& ds) { return ds.events.size(); })
      .def_property_readonly("complete", [](const Dataset& ds) { return ds.events.complete(); })
      .def("memory_bytes", &Dataset::MemoryBytes)
      .def("pool", [](const Dataset& ds, const std::string& name) { return PoolStrings(PoolByName(ds, name)); },
           py::arg("name"), "Every string of an interner pool, indexed by its id (copies).")
      .def("pool_array", [](const Dataset& ds, const std::string& name) { return PoolArray(PoolByName(ds, name)); },
           py::arg("name"), "pool(name) as a numpy object array (copies).")
      .def(
          "event_columns",
          [](py::object self) {
            const Dataset& ds = self.cast<const Dataset&>();
            const Events& e = ds.events;
            py::dict out;
            out["time"] = VectorView(e.time, self);
            out["account"] = VectorView(e.account, self);
            out["type"] = View<uint8_t>(e.type.data(), e.type.size(), 1, self);
            out["event_id"] = VectorView(e.event_id, self);
            out["target_id"] = VectorView(e.target_id, self);
            if (e.complete()) {
              out["target_account"] = VectorView(e.target_account, self);
              out["language"] = VectorView(e.language, self);
              out["client"] = VectorView(e.client, self);
              out["target_country"] = VectorView(e.target_country, self);
            }
            return out;
          },
          "Event columns as read-only numpy views of the data set's memory (no copy).")
      .def(
          "account_columns",
          [](py::object self) {
            const Dataset& ds = self.cast<const Dataset&>();
            const size_t n = ds.accounts.size(), stride = sizeof(Account);
            const Account* a = ds.accounts.data();
            py::dict out;
            out["platform"] = View<uint32_t>(&a->platform, n, stride, self);
            out["kind"] = View<uint8_t>(&a->kind, n, stride, self);
            out["handle"] = View<uint32_t>(&a->handle, n, stride, self);
            out["display_name"] = View<uint32_t>(&a->display_name, n, stride, self);
            out["created_at"] = View<int64_t>(&a->created_at, n, stride, self);
            out["country"] = View<uint16_t>(&a->country, n, stride, self);
            out["language"] = View<uint32_t>(&a->language, n, stride, self);
            out["followers"] = View<int64_t>(&a->followers, n, stride, self);
            out["following"] = View<int64_t>(&a->following, n, stride, self);
            return out;
          },
          "Account columns as read-only strided numpy views of the accounts array (no copy).")
      .def("event_text",
           [](const Dataset& ds) {
             py::list out;
             if (!ds.events.complete()) return out;
             for (size_t i = 0; i < ds.events.size(); ++i) {
               const std::string_view t = ds.events.Text(i);
               out.append(py::reinterpret_steal<py::object>(
                   PyUnicode_DecodeUTF8(t.data(), static_cast<py::ssize_t>(t.size()), "replace")));
             }
             return out;
           })
      .def("country_name", [](const Dataset&, uint16_t c) { return CountryName(c); });

  m.attr("NO_STRING") = py::int_(kNoString);
  m.attr("NO_TIME") = py::int_(kNoTime);
  {
    py::list types, kinds;
    for (int t = 0; t < kEventTypes; ++t) types.append(std::string(Name(static_cast<EventType>(t))));
    for (int k = 0; k <= static_cast<int>(AccountKind::kChannel); ++k)
      kinds.append(std::string(Name(static_cast<AccountKind>(k))));
    m.attr("EVENT_TYPES") = types;
    m.attr("ACCOUNT_KINDS") = kinds;
    py::list signals;
    for (int k = 0; k <= static_cast<int>(ObjectKeyKind::kLike); ++k)
      signals.append(std::string(SignalName(static_cast<ObjectKeyKind>(k))));
    m.attr("SIGNALS") = signals;
    py::list traces;
    for (int t = 0; t < kSimilarityTraces; ++t) traces.append(std::string(Name(static_cast<SimilarityTrace>(t))));
    m.attr("TRACES") = traces;
  }
  m.def("reader_names", &ReaderNames);
  m.def("scenario_names", &ScenarioNames);

  m.def(
      "load",
      [](const std::vector<std::string>& paths, const std::string& format, const std::string& on_error,
         const std::string& rejects, const std::vector<std::pair<std::string, std::string>>& column_map,
         bool event_ids, bool action_columns_only, const py::object& progress) {
        py::dict summary;
        Dataset ds =
            Load(paths, format, on_error, rejects, column_map, event_ids, action_columns_only, progress, &summary);
        return py::make_tuple(py::cast(std::move(ds)), summary);
      },
      py::arg("paths"), py::arg("format") = "auto", py::arg("on_error") = "fail", py::arg("rejects") = "",
      py::arg("column_map") = std::vector<std::pair<std::string, std::string>>{}, py::arg("event_ids") = true,
      py::arg("action_columns_only") = false, py::arg("progress") = py::none(),
      "progress: None or callable(file, bytes_done, bytes_total), called at most every 4 MiB of input.");

  m.def("network", &CoActionNetwork, py::arg("ds"), py::arg("signal") = "co-share", py::arg("window") = 60,
        py::arg("weight") = "keys", py::arg("min_weight") = 1, py::arg("directed") = false,
        py::arg("fixed_bins") = false, py::arg("max_pairs_per_key") = 50'000'000, py::arg("threads") = 2,
        py::arg("text_threshold") = NearDuplicateOptions{}.threshold,
        py::arg("min_tokens") = NearDuplicateOptions{}.min_tokens);

  m.def("similarity", &Similarity, py::arg("ds"), py::arg("trace") = "retweet-targets", py::arg("top_k") = 10,
        py::arg("min_cosine") = 0.5, py::arg("min_actions") = 3, py::arg("max_postings") = 2000,
        py::arg("bin_seconds") = 1800, py::arg("threads") = 2);

  py::class_<DetectorOptions>(m, "DetectorOptions", "lockstep/detect/detector.h's DetectorOptions")
      .def(py::init<>())
      .def_readwrite("co_text", &DetectorOptions::co_text)
      .def_readwrite("text_windows_seconds", &DetectorOptions::text_windows_seconds)
      .def_readwrite("text_weight", &DetectorOptions::text_weight)
      .def_readwrite("long_window_seconds", &DetectorOptions::long_window_seconds)
      .def_readwrite("long_window_max_pairs_per_key", &DetectorOptions::long_window_max_pairs_per_key)
      .def_readwrite("fdr", &DetectorOptions::fdr)
      .def_readwrite("edge_log10_p", &DetectorOptions::edge_log10_p)
      .def_readwrite("co_action_log10_p_full", &DetectorOptions::co_action_log10_p_full)
      .def_readwrite("group_log10_p", &DetectorOptions::group_log10_p)
      .def_readwrite("full_coordination_excess", &DetectorOptions::full_coordination_excess)
      .def_readwrite("max_pairs_per_key", &DetectorOptions::max_pairs_per_key)
      .def_readwrite("other_signal_min_strength", &DetectorOptions::other_signal_min_strength)
      .def_readwrite("merge_min_join", &DetectorOptions::merge_min_join)
      .def_readwrite("attach_min_join", &DetectorOptions::attach_min_join)
      .def_readwrite("page_attach_min_engagements", &DetectorOptions::page_attach_min_engagements)
      .def_readwrite("page_attach_min_share", &DetectorOptions::page_attach_min_share)
      .def_readwrite("indicator_edge_strength", &DetectorOptions::indicator_edge_strength)
      .def_readwrite("group_overlap_min_accounts", &DetectorOptions::group_overlap_min_accounts)
      .def_readwrite("group_overlap_min_share", &DetectorOptions::group_overlap_min_share)
      .def_readwrite("group_overlap_full_share", &DetectorOptions::group_overlap_full_share)
      .def_readwrite("min_indicator_strength", &DetectorOptions::min_indicator_strength)
      .def_readwrite("joining_signal_proof", &DetectorOptions::joining_signal_proof)
      .def_readwrite("coordination_floor", &DetectorOptions::coordination_floor)
      .def_readwrite("member_score_floor", &DetectorOptions::member_score_floor)
      .def_readwrite("declared_automation_discount", &DetectorOptions::declared_automation_discount)
      .def_readwrite("managed_pages_share", &DetectorOptions::managed_pages_share)
      .def_readwrite("linked_min_density", &DetectorOptions::linked_min_density)
      .def_readwrite("linked_min_links_per_member", &DetectorOptions::linked_min_links_per_member)
      .def_readwrite("member_min_degree_share", &DetectorOptions::member_min_degree_share)
      .def_readwrite("first_action_cohort_proof", &DetectorOptions::first_action_cohort_proof)
      .def_readwrite("leiden_resolution", &DetectorOptions::leiden_resolution)
      .def_readwrite("min_network_size", &DetectorOptions::min_network_size)
      .def_readwrite("min_confidence", &DetectorOptions::min_confidence)
      .def_readwrite("threads", &DetectorOptions::threads)
      .def_readwrite("seed", &DetectorOptions::seed);

  py::class_<DetectionHandle>(m, "Detection")
      .def_property_readonly("networks", [](const DetectionHandle& h) { return NetworksList(h); })
      .def_property_readonly("skipped",
                             [](const DetectionHandle& h) {
                               py::list out;
                               for (const SkippedSignal& s : h.detection.skipped)
                                 out.append(py::make_tuple(s.signal, s.reason));
                               return out;
                             })
      .def_property_readonly("signals_run", [](const DetectionHandle& h) { return h.detection.signals_run; })
      .def_property_readonly("fdr", [](const DetectionHandle& h) { return h.detection.fdr; })
      .def_property_readonly("expected_false_edges", [](const DetectionHandle& h) { return h.detection.expected_false_edges; })
      .def_property_readonly("significant_edges", [](const DetectionHandle& h) { return h.detection.significant_edges; })
      .def_property_readonly("stage_seconds", [](const DetectionHandle& h) { return h.detection.stage_seconds; })
      .def("networks_json", [](const DetectionHandle& h) { return NetworksJson(*h.ds, h.detection); })
      .def("write_assignments",
           [](const DetectionHandle& h, const std::string& path) {
             if (Status s = WriteAssignments(*h.ds, h.detection, path); !s.ok()) Throw(s);
           })
      .def("write_networks_json",
           [](const DetectionHandle& h, const std::string& path) {
             if (Status s = WriteNetworksJson(*h.ds, h.detection, path); !s.ok()) Throw(s);
           })
      .def(
          "write_report",
          [](const DetectionHandle& h, const std::string& dir, const std::string& data_label) {
            Status s;
            {
              py::gil_scoped_release release;
              ReportOptions options;
              options.data_label = data_label;
              s = WriteReport(BuildReport(*h.ds, h.detection, options), dir);
            }
            if (!s.ok()) Throw(s);
          },
          py::arg("dir"), py::arg("data_label") = "")
      .def("write_gexf", [](const DetectionHandle& h, const std::string& path) {
        Status s;
        {
          py::gil_scoped_release release;
          s = WriteGraph(ReportGraph(BuildReport(*h.ds, h.detection)), path);
        }
        if (!s.ok()) Throw(s);
      });

  m.def(
      "detect",
      [](const Dataset& ds, DetectorOptions options, const py::object& progress) {
        if (!progress.is_none())
          options.progress = [cb = &progress](std::string_view stage) { CallProgress(cb, std::string(stage)); };
        auto handle = std::make_unique<DetectionHandle>();
        handle->ds = &ds;
        Status s;
        {
          py::gil_scoped_release release;
          options.text_clusters = ShareTextClusters(ds, options);
          Detector detector(ds, options);
          for (auto& signal : DefaultSignals(ds, options)) detector.AddSignal(std::move(signal));
          s = detector.Run();
          if (s.ok()) handle->detection = detector.result();
        }
        if (!s.ok()) Throw(s);
        return handle;
      },
      py::arg("ds"), py::arg("options"), py::arg("progress") = py::none(), py::keep_alive<0, 1>(),
      "progress: None or callable(stage), called at the start of each stage.");

  m.def(
      "simulate",
      [](const std::string& scenario, uint64_t seed, double scale, const std::string& out_dir,
         const py::object& progress) {
        if (!(scale >= 1e-6 && scale <= 1000.0))
          throw py::value_error("scale must be in [1e-6, 1000], got " + std::to_string(scale));
        auto spec = DrawScenario(scenario, seed, scale);
        if (!spec.ok()) Throw(spec.status());
        SimulationOptions options;
        options.out_dir = out_dir;
        if (!progress.is_none())
          options.progress = [cb = &progress](const SimulationProgress& p) {
            CallProgress(cb, p.days_done, p.days_total);
          };
        Simulator sim(std::move(spec).value(), options);
        Status s;
        {
          py::gil_scoped_release release;
          s = sim.Run();
        }
        if (!s.ok()) Throw(s);
        const SimulationSummary sum = sim.summary().value();
        py::dict d;
        d["accounts"] = sum.accounts;
        d["planted_accounts"] = sum.planted_accounts;
        d["networks"] = sum.networks;
        d["events"] = sum.events;
        d["infra"] = sum.infra;
        d["profile_changes"] = sum.profile_changes;
        d["follower_counts"] = sum.follower_counts;
        d["ads"] = sum.ads;
        d["bytes"] = sum.bytes;
        d["seconds"] = sum.seconds;
        return d;
      },
      py::arg("scenario"), py::arg("seed"), py::arg("scale"), py::arg("out_dir"), py::arg("progress") = py::none(),
      "progress: None or callable(days_done, days_total), called after every simulated day.");

  m.def(
      "evaluate",
      [](const std::vector<std::pair<std::string, std::string>>& labels,
         const std::vector<std::tuple<std::string, std::string, double>>& detected) {
        std::vector<LabelRow> l;
        l.reserve(labels.size());
        for (const auto& [account, network] : labels) l.push_back({account, network});
        std::vector<DetectionRow> d;
        d.reserve(detected.size());
        for (const auto& [account, network, score] : detected) d.push_back({account, network, score});
        return EvalMetricsJson(Evaluate(l, d));
      },
      py::arg("labels"), py::arg("detected"),
      "Evaluate (lockstep/sim/eval.h) of (account_id, network_id) labels against (account_id, network_id, score) "
      "rows; the metrics as `lockstep eval --json` prints them.");
  m.def("evaluate_files", [](const std::string& labels_path, const std::string& detected_path) {
    auto labels = ReadLabelsCsv(labels_path);
    if (!labels.ok()) Throw(labels.status());
    auto detected = ReadDetectionCsv(detected_path);
    if (!detected.ok()) Throw(detected.status());
    return EvalMetricsJson(Evaluate(*labels, *detected));
  });
}
