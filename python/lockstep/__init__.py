"""lockstep in Python: detect coordinated inauthentic behaviour at C++ speed.

A thin layer over the C++ library (the ``_lockstep`` pybind11 module): every
call here makes the same library calls as the command-line front end
(``lockstep load/network/similarity/detect/simulate/eval``), so results are
the CLI's, byte for byte where the CLI writes them.

    >>> import lockstep
    >>> ds = lockstep.load("data/")                      # lockstep format, or format="coortweet", ...
    >>> edges = lockstep.network(ds, signal="co-share", window=60)
    >>> det = lockstep.detect(ds, fdr=0.01)
    >>> det.assignments.head()

Long calls release the GIL. Bad input raises :class:`InputError`, a
:class:`ValueError` naming the file, line, field, the problem and its fix.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile
from typing import Any, Iterator, Mapping, Optional, Sequence, Union

import numpy as np

from . import _lockstep
from ._lockstep import DetectorOptions, InputError

__all__ = [
    "Dataset", "Detection", "InputError", "Simulation", "Table",
    "load", "from_pandas", "network", "similarity", "detect", "simulate", "evaluate",
    "SIGNALS", "TRACES", "EVENT_TYPES", "ACCOUNT_KINDS", "reader_names", "scenario_names",
]
__version__ = "0.1.0"

SIGNALS: list[str] = list(_lockstep.SIGNALS)
TRACES: list[str] = list(_lockstep.TRACES)
EVENT_TYPES: list[str] = list(_lockstep.EVENT_TYPES)
ACCOUNT_KINDS: list[str] = list(_lockstep.ACCOUNT_KINDS)
NO_STRING: int = _lockstep.NO_STRING
NO_TIME: int = _lockstep.NO_TIME

PathLike = Union[str, "os.PathLike[str]"]


def reader_names() -> list[str]:
    """The ``format`` names :func:`load` accepts besides ``"auto"``."""
    return list(_lockstep.reader_names())


def scenario_names() -> list[str]:
    """The scenarios :func:`simulate` can draw."""
    return list(_lockstep.scenario_names())


def _pandas():
    import pandas as pd  # imported lazily: numpy alone suffices for the views
    return pd


def _unique_categories(strings: np.ndarray):
    """A CategoricalDtype whose categories are ``strings``, known to be unique.

    Interner pools hold each string once, so pandas' checks of new categories
    (a hash of every string for uniqueness, a scan for missing values: 0.3 s
    for a million account ids) are skipped where this pandas offers the way
    to (CategoricalDtype._from_fastpath, pandas 1.x and 2.x); otherwise the
    public constructor checks.
    """
    pd = _pandas()
    categories = pd.Index(strings, dtype=object, copy=False)
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if fast is not None:
        try:
            return fast(categories, False)
        except TypeError:
            pass
    return pd.CategoricalDtype(categories)


def _categorical(codes: np.ndarray, dtype) -> Any:
    """A pandas Categorical of interned ids (uint32 codes into dtype's categories);
    NO_STRING -> missing. One copy of the codes into pandas' code type; no
    per-row Python string.

    Categorical.from_codes re-validates the categories on every call (pandas
    1.5 rebuilds the dtype), so where pandas has it the array is made with
    Categorical._simple_new from the codes, range-checked here."""
    pd = _pandas()
    n = len(dtype.categories)
    # pandas' code type for n categories (pandas.core.dtypes.cast.coerce_indexer_dtype).
    code_type = np.int8 if n < 127 else np.int16 if n < 32767 else np.int32 if n < 2**31 - 1 else np.int64
    missing = codes == NO_STRING
    any_missing = bool(missing.any())
    present = codes[~missing] if any_missing else codes
    if len(present) and int(present.max()) >= n:
        raise ValueError(f"interned id {int(present.max())} out of range for a pool of {n} strings")
    signed = codes.astype(code_type)
    if any_missing:
        signed[missing] = -1
    simple = getattr(pd.Categorical, "_simple_new", None)
    if simple is not None:
        try:
            return simple(signed, dtype)
        except TypeError:
            pass
    return pd.Categorical.from_codes(signed, dtype=dtype)


class Table(Mapping[str, np.ndarray]):
    """Columns of one table as read-only numpy arrays that share the data set's memory.

    ``table["time"]`` is a view, not a copy (``np.shares_memory`` holds between
    two reads; ``.base`` leads to the owner, which stays alive while any view
    does). Interned string columns (``account``, ``event_id``, ``handle``, ...)
    are uint32 ids into a pool of :meth:`Dataset.pool`; :meth:`to_pandas`
    decodes them.
    """

    def __init__(self, columns: dict, decode):
        self._columns = columns
        self._decode = decode

    def __getitem__(self, name: str) -> np.ndarray:
        return self._columns[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    @property
    def num_rows(self) -> int:
        first = next(iter(self._columns.values()), None)
        return 0 if first is None else len(first)

    def __repr__(self) -> str:
        return f"<lockstep.Table {self.num_rows} rows: {', '.join(self._columns)}>"

    def to_pandas(self):
        """A pandas DataFrame: strings decoded (as categoricals), times as UTC timestamps."""
        return self._decode(self._columns)


class Dataset:
    """An immutable in-memory data set (lockstep/model/dataset.h).

    Events are sorted by time (stable: file order breaks ties). Account
    indices below ``num_accounts`` are rows of the accounts file; those at
    or above it are accounts seen only as targets. Safe to read from several
    threads.
    """

    def __init__(self, native: "_lockstep.Dataset", summary: Optional[dict] = None, path: str = ""):
        self._native = native
        self.summary: dict = summary or {}
        self.path = path
        self._pools: dict = {}
        self._dtypes: dict = {}

    @property
    def native(self) -> "_lockstep.Dataset":
        return self._native

    @property
    def num_accounts(self) -> int:
        return self._native.num_accounts

    @property
    def num_events(self) -> int:
        return self._native.num_events

    def __repr__(self) -> str:
        return f"<lockstep.Dataset {self.num_accounts} accounts, {self.num_events} events>"

    def pool(self, name: str) -> list:
        """The strings of an interner pool, indexed by id (decoded once and cached; a new list each call)."""
        return self._pool_array(name).tolist()

    def _pool_array(self, name: str) -> np.ndarray:
        if name not in self._pools:
            self._pools[name] = self._native.pool_array(name)
        return self._pools[name]

    def pool_dtype(self, name: str):
        """A pandas CategoricalDtype over a pool's strings (built once, then cached):
        the dtype of every column of interned strings this data set decodes."""
        if name not in self._dtypes:
            self._dtypes[name] = _unique_categories(self._pool_array(name))
        return self._dtypes[name]

    def account_ids(self) -> list:
        """Every account id, indexed by account index (accounts first, then targets only)."""
        return self.pool("account_ids")

    @property
    def events(self) -> Table:
        """Event columns: time (int64 epoch seconds), account (uint32 account index),
        type (uint8, index into EVENT_TYPES), event_id and target_id (uint32 ids
        into pool "objects"), and when loaded: target_account, language, client
        (pool "strings"), target_country (uint16 packed code)."""
        return Table(self._native.event_columns(), self._events_frame)

    @property
    def accounts(self) -> Table:
        """Account columns as strided views of the accounts array: platform, handle,
        display_name, language (pool "strings"), kind (uint8, index into
        ACCOUNT_KINDS), created_at (int64; NO_TIME if unknown), country (uint16),
        followers and following (int64; -1 if unknown)."""
        return Table(self._native.account_columns(), self._accounts_frame)

    def to_pandas(self) -> dict:
        """{"accounts": DataFrame, "events": DataFrame} (decoded copies)."""
        return {"accounts": self.accounts.to_pandas(), "events": self.events.to_pandas()}

    def _time(self, seconds: np.ndarray):
        pd = _pandas()
        t = pd.to_datetime(np.where(seconds == NO_TIME, 0, seconds), unit="s", utc=True)
        return pd.Series(t).mask(seconds == NO_TIME)

    def _events_frame(self, c: dict):
        pd = _pandas()
        ids = self.pool_dtype("account_ids")
        objects = self.pool_dtype("objects")
        out = {
            "time": self._time(c["time"]),
            "account_id": _categorical(c["account"], ids),
            "type": pd.Categorical.from_codes(c["type"].astype(np.int8), categories=EVENT_TYPES),
            "event_id": _categorical(c["event_id"], objects),
            "target_id": _categorical(c["target_id"], objects),
        }
        if "target_account" in c:
            out["target_account_id"] = _categorical(c["target_account"], ids)
            out["text"] = self._native.event_text()
            strings = self.pool_dtype("strings")
            out["language"] = _categorical(c["language"], strings)
            out["client"] = _categorical(c["client"], strings)
        return pd.DataFrame(out)

    def _accounts_frame(self, c: dict):
        pd = _pandas()
        n = len(c["kind"])
        strings = self.pool_dtype("strings")
        countries = {int(v): self._native.country_name(int(v)) for v in np.unique(c["country"])}
        return pd.DataFrame({
            "account_id": self.pool("account_ids")[:n],
            "platform": _categorical(c["platform"], strings),
            "kind": pd.Categorical.from_codes(c["kind"].astype(np.int8), categories=ACCOUNT_KINDS),
            "handle": _categorical(c["handle"], strings),
            "display_name": _categorical(c["display_name"], strings),
            "created_at": self._time(c["created_at"]),
            "country": [countries[int(v)] or None for v in c["country"]],
            "language": _categorical(c["language"], strings),
            "followers": pd.Series(c["followers"], dtype="Int64").mask(c["followers"] < 0),
            "following": pd.Series(c["following"], dtype="Int64").mask(c["following"] < 0),
        })


class _Progress:
    """progress=True: a tqdm bar when tqdm is installed (silently nothing
    otherwise); a callable: called with the library's progress arguments."""

    def __init__(self, progress, desc: str, unit: str):
        self.bar = None
        self.callback = None
        if progress is None or progress is False:
            return
        if callable(progress):
            self.callback = progress
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return
        self.bar = tqdm(desc=desc, unit=unit, unit_scale=unit == "B", leave=False)
        self.callback = self._update

    def _update(self, *args):
        if isinstance(args[-1], str):  # a stage name
            self.bar.set_description(f"detect: {args[-1]}")
            self.bar.update(1)
            return
        done, total = args[-2], args[-1]
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def __enter__(self):
        return self.callback

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


def _as_paths(path) -> list:
    if isinstance(path, (list, tuple)):
        return [os.fspath(p) for p in path]
    return [os.fspath(path)]


def load(path: Union[PathLike, Sequence[PathLike]], format: str = "auto", on_error: str = "fail",
         rejects: Optional[PathLike] = None, column_map: Optional[Mapping[str, str]] = None, *,
         event_ids: bool = True, action_columns_only: bool = False, progress=None) -> Dataset:
    """Loads a data set, as ``lockstep DATA --format F --on-error P`` does (LoadSources).

    path: a lockstep-format directory, a snapshot file, or another reader's
        input; a list loads several sources into one data set (ids of
        different platforms kept apart by a platform prefix).
    format: a reader name (:func:`reader_names`) or "auto" to detect it.
    on_error: "fail" raises :class:`InputError` at the first bad row;
        "skip" loads the rest and counts (``ds.summary["rows_rejected"]``,
        samples in ``ds.summary["errors"]``).
    rejects: with on_error="skip", a CSV file receiving every rejected row.
    column_map: {lockstep field: your column}, e.g. {"account_id": "user"}.
    event_ids, action_columns_only: LoadOptions' hints (ingest/load.h) for a
        data set used only for co-share/co-reply/co-like networks, as
        ``lockstep network`` loads: event ids may be left out where no two
        rows could be one message, and only time, account, type, event_id
        and target_id filled in (the CooRTweet plain-share fast path takes
        them; other readers load everything).
    progress: True for a tqdm bar (when tqdm is installed), or a callable
        (file, bytes_done, bytes_total) called at most every 4 MiB of input.

    Raises InputError (bad rows, corrupt snapshots), OSError (unreadable or
    missing files), ValueError (unknown format, bad options). Never returns a
    half-loaded data set.
    """
    paths = _as_paths(path)
    with _Progress(progress, "loading", "B") as callback:
        native, summary = _lockstep.load(paths, format=format, on_error=on_error,
                                         rejects=os.fspath(rejects) if rejects else "",
                                         column_map=list((column_map or {}).items()), event_ids=event_ids,
                                         action_columns_only=action_columns_only, progress=callback)
    return Dataset(native, summary, paths[0])


_FRAME_FILES = {"accounts": "accounts.csv", "events": "events.csv", "infra": "infra.csv",
                "profile_changes": "profile_changes.csv", "follower_counts": "follower_counts.csv",
                "ads": "ads.csv"}


def _frame_to_csv(df, path: str) -> None:
    pd = _pandas()
    out = df.copy()
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            if getattr(col.dt, "tz", None) is not None:
                col = col.dt.tz_convert("UTC")
            out[name] = col.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        elif col.dtype == object and len(col) and any(isinstance(v, (list, tuple)) for v in col):
            out[name] = [json.dumps(list(v)) if isinstance(v, (list, tuple)) else v for v in col]
        elif pd.api.types.is_float_dtype(col) and name in ("followers", "following"):
            out[name] = col.astype("Int64")
    out.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")


def from_pandas(accounts, events, *, on_error: str = "fail", **tables) -> Dataset:
    """A data set from DataFrames with the columns of the lockstep format (FORMAT.md).

    accounts and events are required; infra, profile_changes, follower_counts
    and ads may be given as keyword arguments. Times may be datetime columns
    (naive = UTC), ISO 8601 strings or epoch seconds; lists (urls, hashtags,
    mentions) Python lists or space-separated strings.

    The frames go through the lockstep-format reader (written as CSV to a
    temporary directory), so they are checked exactly as files are: a bad row
    raises :class:`InputError` whose ``file`` is the frame's name
    ("accounts", "events", ...) and whose ``line`` is the frame's row position
    (0-based, as ``df.iloc``), with ``field``, ``problem`` and ``fix``.
    """
    frames = {"accounts": accounts, "events": events, **tables}
    unknown = set(frames) - set(_FRAME_FILES)
    if unknown:
        raise TypeError(f"unknown tables {sorted(unknown)}; expected {sorted(_FRAME_FILES)}")
    with tempfile.TemporaryDirectory(prefix="lockstep-") as tmp:
        files = {}
        for name, df in frames.items():
            if df is None:
                continue
            files[name] = os.path.join(tmp, _FRAME_FILES[name])
            _frame_to_csv(df, files[name])
        try:
            return load(tmp, format="lockstep", on_error=on_error)
        except InputError as e:
            for name, path in files.items():
                if e.file == path:
                    e.file = name
                    # Line 1 is the header; rows hold no line breaks unless a
                    # cell does, in which case the line is that of the CSV.
                    if e.line >= 2:
                        e.row = e.line - 2
                        e.line = e.row
                    e.args = (str(e.args[0]).replace(path, name),)
            raise


def _edge_frame(ds: Dataset, cols: dict, weight_name: str, extra: Sequence[str]):
    """The edge columns as a DataFrame; account_a and account_b are Categoricals
    over the data set's account ids (codes = account indices), not a Python
    string per edge end."""
    pd = _pandas()
    ids = ds.pool_dtype("account_ids")
    out = {"account_a": _categorical(cols["a"], ids), "account_b": _categorical(cols["b"], ids),
           weight_name: cols[weight_name]}
    for name in extra:
        out[name] = cols[name]
    return pd.DataFrame(out, copy=False)


def network(ds: Dataset, signal: str = "co-share", window: int = 60, weight: str = "keys", *,
            min_weight: int = 1, directed: bool = False, fixed_bins: bool = False,
            max_pairs_per_key: int = 50_000_000, threads: int = 2, text_threshold: Optional[float] = None,
            min_tokens: Optional[int] = None, as_: str = "pandas"):
    """One co-action network, as ``lockstep network`` builds it.

    Accounts are linked when they act on the same key (``signal``: one of
    SIGNALS, e.g. "co-share", "co-link", "co-hashtag", "co-text") within
    ``window`` seconds (|Δt| <= window, 0..366 days; with fixed_bins, the
    same CooRnet bin of ``window`` seconds).

    weight: "keys" distinct keys co-acted on (CooRTweet's pairs),
        "pairs" co-action pairs (CooRTweet's weight), "messages" directed:
        an account's distinct actions with a partner in the window (the QUT
        toolkit's); directed=True implies "messages".
    min_weight: keep edges of at least this weight.
    max_pairs_per_key: skip keys whose action pairs in the window exceed
        this (viral content); 0 = no bound.
    text_threshold, min_tokens: co-text only (near-duplicate Jaccard, (0, 1];
        posts with fewer words get no key).
    as_: "pandas" (default): DataFrame account_a, account_b, weight, keys,
        pairs, mean_delta (seconds), min_delta (seconds), undirected a < b in
        account-index order, or a -> b with "messages". account_a and
        account_b are pandas Categoricals (dtype "category") of account id
        strings: they compare, group, filter and print as the ids, and
        ``.cat.codes`` are the account indices; the categories are every
        account of the data set (shared by both columns and cached on
        ``ds``), so no Python string is made per edge
        (``.astype(str)`` gives plain object columns). "numpy": the raw
        columns (views of the result, no copy: a, b account indices);
        "networkx": a (Di)Graph with the same edge attributes; "igraph" when
        python-igraph is installed.

    Releases the GIL. O(actions log actions + co-action pairs) time.
    """
    kwargs = {}
    if text_threshold is not None:
        kwargs["text_threshold"] = text_threshold
    if min_tokens is not None:
        kwargs["min_tokens"] = min_tokens
    cols = _lockstep.network(_native(ds), signal=signal, window=window, weight=weight, min_weight=min_weight,
                             directed=directed, fixed_bins=fixed_bins, max_pairs_per_key=max_pairs_per_key,
                             threads=threads, **kwargs)
    if as_ == "numpy":
        return cols
    frame = _edge_frame(ds, cols, "weight", ["keys", "pairs", "mean_delta", "min_delta"])
    frame.attrs["directed"] = bool(cols["directed"])
    frame.attrs["signal"] = signal
    frame.attrs["saturated_keys"] = int(cols["saturated_keys"])
    return _convert(frame, as_, bool(cols["directed"]), "weight")


def _convert(frame, as_: str, directed: bool, weight: str):
    if as_ == "pandas":
        return frame
    attrs = [c for c in frame.columns if c not in ("account_a", "account_b")]
    if as_ == "networkx":
        import networkx as nx
        return nx.from_pandas_edgelist(frame, "account_a", "account_b", edge_attr=attrs,
                                       create_using=nx.DiGraph if directed else nx.Graph)
    if as_ == "igraph":
        import igraph  # python3-igraph, optional
        return igraph.Graph.DataFrame(frame, directed=directed, use_vids=False)
    raise ValueError(f"as_ must be 'pandas', 'numpy', 'networkx' or 'igraph', got {as_!r}")


def similarity(ds: Dataset, trace: str = "retweet-targets", *, top_k: int = 10, min_cosine: float = 0.5,
               min_actions: int = 3, max_postings: int = 2000, bin_seconds: int = 1800, threads: int = 2,
               as_: str = "pandas"):
    """Each account's most similar accounts by TF-IDF cosine over one behaviour
    trace (TRACES), as ``lockstep similarity`` computes them.

    top_k: neighbours kept per account (>= 1); min_cosine: drop pairs below,
    [0, 1]; min_actions: accounts with fewer actions in the trace are left
    out; max_postings: tokens used by more accounts are not searched (0 = no
    bound); bin_seconds: activity-bins bin width. Returns account_a,
    account_b (Categoricals of account ids, as :func:`network`'s), cosine
    (or a networkx graph with as_="networkx").
    Releases the GIL.
    """
    cols = _lockstep.similarity(_native(ds), trace=trace, top_k=top_k, min_cosine=min_cosine,
                                min_actions=min_actions, max_postings=max_postings, bin_seconds=bin_seconds,
                                threads=threads)
    if as_ == "numpy":
        return cols
    return _convert(_edge_frame(ds, cols, "cosine", []), as_, False, "cosine")


def _native(ds) -> "_lockstep.Dataset":
    if isinstance(ds, Dataset):
        return ds.native
    if isinstance(ds, _lockstep.Dataset):
        return ds
    raise TypeError(f"expected a lockstep.Dataset, got {type(ds).__name__}")


class Detection:
    """Suspected networks with their evidence (lockstep/detect/network.h).

    networks: list of dicts (network_id "N1".. by confidence, confidence 0..1,
    tier "CIB"/"FGI", members, member_scores, attached, indicators, ...);
    assignments: DataFrame network_id, account_id, score, attached (as
    assignments.csv); evidence: DataFrame of every network's indicators
    (signal, strength 0..1, p_value, evidence sentence, examples).
    The data set stays alive as long as the detection does.
    """

    def __init__(self, ds: Dataset, native):
        self.dataset = ds
        self._native = native
        self.networks: list = native.networks

    def __repr__(self) -> str:
        return f"<lockstep.Detection {len(self.networks)} networks, {self.significant_edges} significant edges>"

    @property
    def assignments(self):
        pd = _pandas()
        rows = []
        for n in self.networks:
            attached = set(n["attached"])
            for account, score in zip(n["members"], n["member_scores"]):
                rows.append((n["network_id"], account, score, account in attached))
        return pd.DataFrame(rows, columns=["network_id", "account_id", "score", "attached"])

    @property
    def evidence(self):
        pd = _pandas()
        rows = [(n["network_id"], i["signal"], i["strength"], i["p_value"], i["evidence"], i["examples"])
                for n in self.networks for i in n["indicators"]]
        return pd.DataFrame(rows, columns=["network_id", "signal", "strength", "p_value", "evidence", "examples"])

    @property
    def skipped(self) -> list:
        """(signal, reason) of signals that did not apply to this data."""
        return self._native.skipped

    @property
    def signals_run(self) -> list:
        return self._native.signals_run

    @property
    def significant_edges(self) -> int:
        return self._native.significant_edges

    @property
    def expected_false_edges(self) -> float:
        return self._native.expected_false_edges

    @property
    def stage_seconds(self) -> list:
        return self._native.stage_seconds

    def networks_json(self) -> dict:
        """networks.json as ``lockstep detect`` writes it, parsed."""
        return json.loads(self._native.networks_json())

    def report(self, dir: PathLike, data_label: str = "") -> str:
        """Writes what ``lockstep detect --out DIR`` writes: assignments.csv,
        networks.json and the report (report.html, .md, .json, accounts.csv,
        edges.csv, graph.gexf, graph.graphml). Returns the report.html path."""
        d = os.fspath(dir)
        os.makedirs(d, exist_ok=True)
        self._native.write_assignments(os.path.join(d, "assignments.csv"))
        self._native.write_networks_json(os.path.join(d, "networks.json"))
        self._native.write_report(d, data_label or self.dataset.path)
        return os.path.join(d, "report.html")

    def to_gexf(self, path: PathLike) -> None:
        """The networks' members and member edges as GEXF 1.3 (for Gephi)."""
        self._native.write_gexf(os.fspath(path))


def detect(ds: Dataset, progress=None, **options) -> Detection:
    """Finds coordinated networks, as ``lockstep detect`` does (Detector with
    the default signals). Options are DetectorOptions fields (detector.h):
    fdr (0, 1], min_confidence [0, 1], leiden_resolution (alias resolution),
    seed, threads, min_network_size, ...; an unknown name is a TypeError.
    progress: True for a tqdm bar of the stages, or a callable(stage).
    Releases the GIL; O(events log events) plus the co-action pairs.
    """
    opts = DetectorOptions()
    if "resolution" in options:
        options["leiden_resolution"] = options.pop("resolution")
    for name, value in options.items():
        if name.startswith("_") or not hasattr(opts, name):
            raise TypeError(f"detect() got an unknown option {name!r}")
        setattr(opts, name, value)
    if not 0 < opts.fdr <= 1:
        raise ValueError(f"fdr must be in (0, 1], got {opts.fdr}")
    if not 0 <= opts.min_confidence <= 1:
        raise ValueError(f"min_confidence must be in [0, 1], got {opts.min_confidence}")
    if opts.threads < 1:
        raise ValueError(f"threads must be >= 1, got {opts.threads}")
    with _Progress(progress, "detect", "stage") as callback:
        return Detection(ds, _lockstep.detect(_native(ds), opts, progress=callback))


class Simulation:
    """A simulated data set on disk: path, summary (row counts), labels."""

    def __init__(self, path: str, summary: dict, tmp=None):
        self.path = path
        self.summary = summary
        self._tmp = tmp  # a TemporaryDirectory removed with this object

    def __repr__(self) -> str:
        return f"<lockstep.Simulation {self.path}: {self.summary['accounts']} accounts, {self.summary['events']} events>"

    def load(self, **kwargs) -> Dataset:
        return load(self.path, **kwargs)

    @property
    def labels(self):
        """Ground truth: account_id, network_id ("" = authentic)."""
        pd = _pandas()
        return pd.read_csv(os.path.join(self.path, "labels.csv"), dtype=str, keep_default_na=False)


def simulate(scenario: str = "mix", seed: int = 1, scale: float = 0.05, out: Optional[PathLike] = None,
             progress=None) -> Simulation:
    """Writes a synthetic data set with planted operations and its ground truth,
    as ``lockstep simulate`` does; the same seed gives byte-identical files.

    scenario: one of :func:`scenario_names`; scale: 1 = about 20,000
    authentic accounts and 1M events over three years, linear, in [1e-6,
    1000]; out: directory (created; files replaced), a temporary one kept
    while the returned Simulation lives if None; progress: True for a tqdm
    bar, or a callable(days_done, days_total). Releases the GIL.
    """
    tmp = None
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="lockstep-sim-")
        out = tmp.name
    out = os.fspath(out)
    os.makedirs(out, exist_ok=True)
    with _Progress(progress, "simulating", "day") as callback:
        summary = _lockstep.simulate(scenario, seed, scale, out, progress=callback)
    return Simulation(out, summary, tmp)


def _rows(frame, columns: Sequence[str]):
    if isinstance(frame, (str, os.PathLike)):
        return None
    pd = _pandas()
    if isinstance(frame, Detection):
        frame = frame.assignments
    if not isinstance(frame, pd.DataFrame):
        frame = pd.DataFrame(frame)
    missing = [c for c in columns[:2] if c not in frame.columns]
    if missing:
        raise ValueError(f"missing columns {missing}; expected {list(columns)}")
    out = []
    for row in frame.itertuples(index=False):
        d = row._asdict()
        network_id = d.get("network_id")
        network_id = "" if network_id is None or (isinstance(network_id, float) and np.isnan(network_id)) else str(network_id)
        if len(columns) == 2:
            out.append((str(d["account_id"]), network_id))
        else:
            score = d.get("score", 0.0)
            out.append((str(d["account_id"]), network_id, float(score) if score == score else 0.0))
    return out


def evaluate(labels, detected) -> dict:
    """Scores a detection against ground truth (lockstep/sim/eval.h), as
    ``lockstep eval --json``: precision, recall, f1, adjusted_rand_index,
    networks recovered (best Jaccard >= 0.5), false networks, ...

    labels: DataFrame (account_id, network_id; "" or NaN = authentic), a
    Simulation, or a labels.csv path. detected: a Detection, a DataFrame
    (account_id, network_id, score) or an assignments.csv path.
    """
    if isinstance(labels, Simulation):
        labels = os.path.join(labels.path, "labels.csv")
    if isinstance(labels, (str, os.PathLike)) and isinstance(detected, (str, os.PathLike)):
        return json.loads(_lockstep.evaluate_files(os.fspath(labels), os.fspath(detected)))
    if isinstance(labels, (str, os.PathLike)):
        labels = _pandas().read_csv(labels, dtype=str, keep_default_na=False)
    if isinstance(detected, (str, os.PathLike)):
        detected = _pandas().read_csv(detected, dtype={"account_id": str, "network_id": str}, keep_default_na=False)
    return json.loads(_lockstep.evaluate(_rows(labels, ["account_id", "network_id"]),
                                         _rows(detected, ["account_id", "network_id", "score"])))
