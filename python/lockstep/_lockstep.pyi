"""Type stubs of the pybind11 module _lockstep (python/_lockstep.cc).

Use the `lockstep` package rather than this module: it turns these raw
columns into DataFrames and graphs. Contracts are the C++ headers' (named
per item); every call that runs an algorithm releases the GIL.
"""
from typing import Any, Callable

import numpy as np
import numpy.typing as npt

NO_STRING: int  # kNoString: an interned id that is absent (uint32 max)
NO_TIME: int  # kNoTime: a time that is unknown
EVENT_TYPES: list[str]  # EventType names by code: post, share, comment, like, follow, join
ACCOUNT_KINDS: list[str]  # AccountKind names by code: account, page, group, channel
SIGNALS: list[str]  # co-action signals by ObjectKeyKind (signals/object_keys.h)
TRACES: list[str]  # similarity traces (signals/target_similarity.h)

class InputError(ValueError):
    """A rejected row (model/input_error.h): where it is and what to do."""

    file: str  # path as given by the user (from_pandas: the frame's name)
    line: int  # 1-based physical line where the row starts; 0 = whole file (from_pandas: 0-based row)
    byte_offset: int  # offset of the row's first byte in the (decompressed) file
    field: str  # column name; "" when the row as a whole is bad
    problem: str  # what was wrong, with the actual and the expected value
    fix: str  # how to fix it
    kind: str  # InputErrorKindName: bad_time, column_count, unknown_account, ...
    raw: bytes  # the offending row as read (at most 4 KiB)

class Dataset:
    """Immutable after loading; concurrent reads are safe (model/dataset.h)."""

    @property
    def num_accounts(self) -> int: ...
    @property
    def num_account_ids(self) -> int: ...
    @property
    def num_events(self) -> int: ...
    @property
    def complete(self) -> bool:
        """False for a load with action_columns_only: only time, account, type, event_id, target_id."""
    def memory_bytes(self) -> int: ...
    def pool(self, name: str) -> list[str]:
        """account_ids, objects, urls, domains, hashtags, mentions, infra_values or strings (copies)."""
    def pool_array(self, name: str) -> npt.NDArray[np.object_]:
        """pool(name) as a numpy object array (copies): what a pandas Index takes without conversion."""
    def event_columns(self) -> dict[str, npt.NDArray[Any]]:
        """Read-only views, no copy, base = this Dataset."""
    def account_columns(self) -> dict[str, npt.NDArray[Any]]:
        """Read-only strided views of the accounts array, no copy, base = this Dataset."""
    def event_text(self) -> list[str]: ...
    def country_name(self, code: int) -> str: ...

def reader_names() -> list[str]: ...
def scenario_names() -> list[str]: ...
def load(
    paths: list[str],
    format: str = "auto",
    on_error: str = "fail",
    rejects: str = "",
    column_map: list[tuple[str, str]] = ...,
    event_ids: bool = True,
    action_columns_only: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[Dataset, dict[str, Any]]:
    """LoadSources (ingest/load.h). Raises InputError, OSError (kIoError), ValueError."""

def network(
    ds: Dataset,
    signal: str = "co-share",
    window: int = 60,
    weight: str = "keys",
    min_weight: int = 1,
    directed: bool = False,
    fixed_bins: bool = False,
    max_pairs_per_key: int = 50000000,
    threads: int = 2,
    text_threshold: float = ...,
    min_tokens: int = ...,
) -> dict[str, Any]:
    """ExtractObjectKeys + CoActionSignal (signals/co_action.h): columns a, b (uint32
    account indices), weight, keys (uint32), pairs (uint64), sum_delta, min_delta
    (int64 seconds) as views of the result; mean_delta (float64 seconds, sum_delta /
    pairs, computed without the GIL); directed, num_keys, actions, saturated_keys.
    lockstep.network's DataFrame wraps a and b, without a string per edge, as
    pandas Categoricals account_a, account_b whose codes are these indices and
    whose categories are Dataset.pool("account_ids")."""

def similarity(
    ds: Dataset,
    trace: str = "retweet-targets",
    top_k: int = 10,
    min_cosine: float = 0.5,
    min_actions: int = 3,
    max_postings: int = 2000,
    bin_seconds: int = 1800,
    threads: int = 2,
) -> dict[str, np.ndarray]:
    """TargetSimilaritySignal: columns a, b (uint32), cosine (float32)."""

class DetectorOptions:
    """detect/detector.h's DetectorOptions; see its comments for units and ranges."""

    co_text: bool
    text_windows_seconds: list[int]
    text_weight: float
    long_window_seconds: int
    long_window_max_pairs_per_key: int
    fdr: float
    edge_log10_p: float
    co_action_log10_p_full: float
    group_log10_p: float
    full_coordination_excess: float
    max_pairs_per_key: int
    other_signal_min_strength: float
    merge_min_join: float
    attach_min_join: float
    page_attach_min_engagements: int
    page_attach_min_share: float
    indicator_edge_strength: float
    group_overlap_min_accounts: int
    group_overlap_min_share: float
    group_overlap_full_share: float
    min_indicator_strength: float
    joining_signal_proof: float
    coordination_floor: float
    member_score_floor: float
    declared_automation_discount: float
    managed_pages_share: float
    linked_min_density: float
    linked_min_links_per_member: float
    member_min_degree_share: float
    first_action_cohort_proof: float
    leiden_resolution: float
    min_network_size: int
    min_confidence: float
    threads: int
    seed: int
    def __init__(self) -> None: ...

class Detection:
    """detect/network.h's Detection; keeps its Dataset alive."""

    @property
    def networks(self) -> list[dict[str, Any]]: ...
    @property
    def skipped(self) -> list[tuple[str, str]]: ...
    @property
    def signals_run(self) -> list[str]: ...
    @property
    def fdr(self) -> float: ...
    @property
    def expected_false_edges(self) -> float: ...
    @property
    def significant_edges(self) -> int: ...
    @property
    def stage_seconds(self) -> list[tuple[str, float]]: ...
    def networks_json(self) -> str: ...
    def write_assignments(self, path: str) -> None: ...
    def write_networks_json(self, path: str) -> None: ...
    def write_report(self, dir: str, data_label: str = "") -> None: ...
    def write_gexf(self, path: str) -> None: ...

def detect(ds: Dataset, options: DetectorOptions, progress: Callable[[str], None] | None = None) -> Detection:
    """Detector + DefaultSignals, Run(). ValueError for out-of-range options."""

def simulate(
    scenario: str, seed: int, scale: float, out_dir: str, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """DrawScenario + Simulator (sim/simulator.h): writes out_dir, returns the SimulationSummary."""

def evaluate(labels: list[tuple[str, str]], detected: list[tuple[str, str, float]]) -> str:
    """Evaluate (sim/eval.h); EvalMetricsJson of the result."""

def evaluate_files(labels_path: str, detected_path: str) -> str: ...
