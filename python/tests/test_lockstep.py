"""What a notebook user relies on: the peers' edges from Python, errors with
their positions, numpy views that share the data set's memory, detection and
evaluation on a simulated scenario."""
import csv
import gc
import os

import numpy as np
import pandas as pd
import pytest

import lockstep
from conftest import ORACLES


def oracle(name, undirected):
    """{(a, b): weight} of a peer's edge list (first two columns, then weight)."""
    out = {}
    with open(ORACLES / name, newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            a, b = row[0], row[1]
            if undirected and b < a:
                a, b = b, a
            out[(a, b)] = float(row[2])
    return out


def ours(edges, undirected):
    out = {}
    for a, b, w in zip(edges["account_a"], edges["account_b"], edges["weight"]):
        if undirected and b < a:
            a, b = b, a
        out[(a, b)] = float(w)
    return out


def diff(x, y):
    """A few (edge, ours, theirs) that differ, for the failure message."""
    keys = set(x) | set(y)
    return [(k, x.get(k), y.get(k)) for k in sorted(keys) if x.get(k) != y.get(k)][:5]


@pytest.fixture(scope="module")
def russian():
    path = os.environ.get("LOCKSTEP_SHARED_DATA", "")
    path = os.path.join(path, "coortweet", "russian_coord_tweets.csv")
    if not os.path.exists(path):
        pytest.skip("../shared/data/coortweet is not beside the checkout")
    return lockstep.load(path, format="coortweet")


def test_co_share_edges_equal_the_qut_toolkits(russian):
    edges = lockstep.network(russian, signal="co-share", window=60, weight="messages")
    qut = oracle("qut_russian_coretweet_w60.csv", undirected=False)
    assert len(qut) == 12412, "the oracle as the QUT toolkit wrote it"
    mine = ours(edges, undirected=False)
    assert mine == qut, f"directed edges and weights equal QUT's co_retweet (window 60 s); e.g. {diff(mine, qut)}"
    assert edges.attrs["directed"] is True


def test_co_share_edges_equal_coortweets(russian):
    edges = lockstep.network(russian, signal="co-share", window=60, weight="pairs")
    coor = oracle("coortweet_russian_coshare_w60.csv", undirected=True)
    assert len(coor) == 6206
    mine = ours(edges, undirected=True)
    assert mine == coor, f"pairs and weights equal CooRTweet's (time_window 60); e.g. {diff(mine, coor)}"
    assert (edges["pairs"] >= edges["keys"]).all(), "every distinct key co-acted on gives at least one pair"
    assert (edges["min_delta"] <= 60).all() and (edges["mean_delta"] <= 60).all(), "no pair is outside the window"


def test_co_link_edges_equal_both_peers(shared_data):
    ds = lockstep.load(shared_data / "coortweet" / "german_elections.csv")
    qut = oracle("qut_german_colink_w30.csv", undirected=False)
    mine = ours(lockstep.network(ds, signal="co-link", window=30, weight="messages"), undirected=False)
    assert mine == qut, f"QUT co_link, window 30 s; e.g. {diff(mine, qut)}"
    coor = oracle("coortweet_german_colink_w30.csv", undirected=True)
    mine = ours(lockstep.network(ds, signal="co-link", window=30, weight="pairs"), undirected=True)
    assert mine == coor, f"CooRTweet on url_id, window 30 s; e.g. {diff(mine, coor)}"


def test_network_frame_holds_account_ids_as_categoricals_of_the_account_pool(russian):
    frame = lockstep.network(russian, window=60, weight="messages")
    raw = lockstep.network(russian, window=60, weight="messages", as_="numpy")
    for col, idx in (("account_a", "a"), ("account_b", "b")):
        assert isinstance(frame[col].dtype, pd.CategoricalDtype), f"{col}: ids as categories, no str per edge"
        assert np.array_equal(frame[col].cat.codes.to_numpy(), raw[idx]), f"{col}: codes are the account indices"
    ids = russian.account_ids()
    assert frame["account_a"].iloc[0] == ids[raw["a"][0]], "a cell reads as the account id string"
    assert frame["account_a"].cat.categories.equals(frame["account_b"].cat.categories), \
        "both ends share the categories, so the columns compare and merge with each other"
    some = frame["account_a"].iloc[0]
    assert len(frame[frame["account_a"] == some]) == sum(1 for x in frame["account_a"] if x == some), \
        "filtering by an id string works as on plain strings"
    assert frame.astype({"account_a": str})["account_a"].dtype == object, "plain strings on request"


def test_network_as_networkx_keeps_direction_and_weights(russian):
    nx = pytest.importorskip("networkx")
    frame = lockstep.network(russian, window=60, weight="messages")
    g = lockstep.network(russian, window=60, weight="messages", as_="networkx")
    assert isinstance(g, nx.DiGraph), "message weights are directed"
    assert g.number_of_edges() == len(frame)
    a, b, w = frame.iloc[0][["account_a", "account_b", "weight"]]
    assert g[a][b]["weight"] == w


def test_bad_options_name_the_actual_and_expected_value(russian):
    with pytest.raises(ValueError, match="unknown signal 'co-sharing'"):
        lockstep.network(russian, signal="co-sharing")
    with pytest.raises(ValueError, match="window must be in"):
        lockstep.network(russian, window=-1)
    with pytest.raises(ValueError, match="weight must be"):
        lockstep.network(russian, weight="heavy")
    with pytest.raises(TypeError, match="unknown option 'fdrr'"):
        lockstep.detect(russian, fdrr=0.1)
    with pytest.raises(ValueError, match="fdr must be in"):
        lockstep.detect(russian, fdr=0)


def write(path, text):
    path.write_text(text)
    return path


def test_bad_row_raises_input_error_with_file_line_field(tmp_path):
    write(tmp_path / "accounts.csv", "account_id,platform\na1,twitter\na2,twitter\n")
    write(tmp_path / "events.csv",
          "event_id,account_id,time,type,target_id\n"
          "e1,a1,2021-01-01T00:00:00Z,share,p1\n"
          "e2,a2,yesterday,share,p1\n")
    with pytest.raises(lockstep.InputError) as raised:
        lockstep.load(tmp_path)
    e = raised.value
    assert isinstance(e, ValueError), "an InputError is a ValueError"
    assert e.file.endswith("events.csv")
    assert e.line == 3, "the header is line 1, the bad row line 3"
    assert e.field == "time"
    assert "yesterday" in e.problem
    assert e.fix, "every error says how to fix it"
    assert "events.csv:3" in str(e)


def test_skip_loads_the_rest_and_counts(tmp_path):
    write(tmp_path / "accounts.csv", "account_id\na1\na2\n")
    write(tmp_path / "events.csv",
          "event_id,account_id,time,type,target_id\n"
          "e1,a1,2021-01-01T00:00:00Z,share,p1\n"
          "e2,a2,yesterday,share,p1\n"
          "e3,a2,2021-01-01T00:00:10Z,share,p1\n")
    ds = lockstep.load(tmp_path, on_error="skip")
    assert ds.num_events == 2
    assert ds.summary["rows_rejected"] == 1
    with pytest.raises(ValueError, match="on_error"):
        lockstep.load(tmp_path, on_error="ignore")


def test_missing_path_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        lockstep.load(tmp_path / "nothing-here", format="lockstep")


def test_from_pandas_errors_point_at_the_frame_row():
    accounts = pd.DataFrame({"account_id": ["a1", "a2", "a3"]})
    events = pd.DataFrame({
        "event_id": ["e1", "e2", "e3"],
        "account_id": ["a1", "a2", "a3"],
        "time": ["2021-01-01T00:00:00Z", "2021-01-01T00:00:05Z", "not a time"],
        "type": ["share"] * 3,
        "target_id": ["p1"] * 3,
    })
    with pytest.raises(lockstep.InputError) as raised:
        lockstep.from_pandas(accounts=accounts, events=events)
    e = raised.value
    assert (e.file, e.line, e.field) == ("events", 2, "time"), "events.iloc[2]'s time is the bad cell"
    assert "not a time" in e.problem and e.fix


def test_from_pandas_round_trips_and_builds_the_same_network():
    t0 = pd.Timestamp("2021-03-01T12:00:00Z")
    accounts = pd.DataFrame({"account_id": ["a", "b", "c", "d"], "platform": "twitter",
                             "followers": [10, None, 3, 4]})
    events = pd.DataFrame({
        "event_id": [f"e{i}" for i in range(6)],
        "account_id": ["a", "b", "c", "a", "b", "d"],
        "time": [t0, t0 + pd.Timedelta(seconds=10), t0 + pd.Timedelta(seconds=20),
                 t0 + pd.Timedelta(hours=1), t0 + pd.Timedelta(hours=1, seconds=5), t0 + pd.Timedelta(days=1)],
        "type": "share",
        "target_id": ["p1", "p1", "p1", "p2", "p2", "p1"],
        "hashtags": [["x"], [], ["x", "y"], [], [], []],
    })
    ds = lockstep.from_pandas(accounts=accounts, events=events)
    frames = ds.to_pandas()
    assert list(frames["accounts"]["account_id"]) == ["a", "b", "c", "d"]
    assert frames["accounts"]["followers"].isna().tolist() == [False, True, False, False], "empty = unknown, not 0"
    ev = frames["events"]
    assert list(ev["account_id"].astype(str)) == ["a", "b", "c", "a", "b", "d"], "sorted by time"
    assert ev["time"].iloc[0] == t0
    edges = lockstep.network(ds, signal="co-share", window=30, weight="keys")
    got = {(a, b): w for a, b, w in zip(edges.account_a, edges.account_b, edges.weight)}
    assert got == {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1}, "d shares p1 a day later: no edge"


def test_event_columns_are_views_of_the_data_sets_memory(russian):
    t1 = russian.events["time"]
    t2 = russian.events["time"]
    assert t1.dtype == np.int64 and len(t1) == russian.num_events
    assert np.shares_memory(t1, t2), "two reads of a column see the same memory: no copy"
    assert not t1.flags.writeable, "a Dataset is immutable"
    assert not t1.flags.owndata
    assert t1.base is russian.native, "the view's base is the C++ data set, kept alive by it"
    assert np.all(np.diff(t1) >= 0), "events are sorted by time"
    acc = russian.accounts
    followers = acc["followers"]
    assert np.shares_memory(followers, russian.accounts["followers"]) and followers.base is russian.native
    assert followers.strides[0] > followers.itemsize, "a strided view into the accounts array, not a packed copy"


def test_views_outlive_the_python_dataset(tmp_path):
    write(tmp_path / "accounts.csv", "account_id\na1\na2\n")
    write(tmp_path / "events.csv", "event_id,account_id,time,type,target_id\n"
          "e1,a1,2021-01-01T00:00:00Z,share,p1\ne2,a2,2021-01-01T00:00:30Z,share,p1\n")
    ds = lockstep.load(tmp_path)
    time = ds.events["time"]
    edges = lockstep.network(ds, as_="numpy")
    del ds
    gc.collect()
    assert time.tolist() == [1609459200, 1609459230], "the view keeps the data set alive"
    assert edges["weight"].tolist() == [1]


@pytest.fixture(scope="module")
def simulation(tmp_path_factory):
    return lockstep.simulate("mix", seed=7, scale=0.02, out=tmp_path_factory.mktemp("sim"))


def test_simulate_is_deterministic(simulation, tmp_path):
    again = lockstep.simulate("mix", seed=7, scale=0.02, out=tmp_path)
    assert again.summary["events"] == simulation.summary["events"]
    for name in ("accounts.csv", "labels.csv"):
        with open(os.path.join(simulation.path, name), "rb") as a, open(os.path.join(again.path, name), "rb") as b:
            assert a.read() == b.read(), f"the same seed gives byte-identical {name}"
    with pytest.raises(ValueError):
        lockstep.simulate("no-such-scenario", seed=1, scale=0.01, out=tmp_path / "x")


def test_detect_report_and_evaluate(simulation, tmp_path):
    ds = simulation.load()
    det = lockstep.detect(ds, seed=42, threads=2)
    assert len(det.networks) > 0, "the mix scenario plants networks that detection finds"
    a = det.assignments
    assert list(a.columns) == ["network_id", "account_id", "score", "attached"]
    assert a["score"].between(0, 1).all()
    assert set(det.evidence["network_id"]) <= set(a["network_id"])
    metrics = lockstep.evaluate(simulation.labels, det)
    assert metrics["precision"] > 0.5, metrics
    report = det.report(tmp_path / "out")
    assert os.path.exists(report)
    from_files = lockstep.evaluate(os.path.join(simulation.path, "labels.csv"), tmp_path / "out" / "assignments.csv")
    assert from_files["f1"] == pytest.approx(metrics["f1"], abs=1e-3), "the files say what the objects say"
    det.to_gexf(tmp_path / "g.gexf")
    assert "<gexf" in (tmp_path / "g.gexf").read_text()[:400]


def test_similarity_returns_cosines_in_range(simulation):
    ds = simulation.load()
    sims = lockstep.similarity(ds, trace="hashtags", top_k=5, min_cosine=0.3)
    assert list(sims.columns) == ["account_a", "account_b", "cosine"]
    assert sims["cosine"].between(0.3, 1.0001).all()
    with pytest.raises(ValueError, match="unknown trace"):
        lockstep.similarity(ds, trace="vibes")


def test_progress_callables_see_the_work_advance(tmp_path):
    days = []
    sim = lockstep.simulate("mix", seed=5, scale=0.005, out=tmp_path, progress=lambda d, t: days.append((d, t)))
    assert days and days[-1][0] == days[-1][1] > 1, "called after every simulated day, up to the last"
    read = []
    ds = sim.load(progress=lambda f, done, total: read.append((done, total)))
    assert ds.num_events == sim.summary["events"]
    assert all(done <= total for done, total in read)
    stages = []
    lockstep.detect(ds, progress=stages.append)
    assert stages and stages[0] == "co-action", f"stages in order, first the co-action layers: {stages}"
