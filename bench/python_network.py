"""lockstep.network from Python against `lockstep network` (the CLI) on the
same co-share input, and against the QUT coordination network toolkit, in one
run: wall time of each, the ratios, and that the edges are the same. Prints
Markdown tables.

usage (from the repository root, after building lockstep_cli and _lockstep):
    QUT_TOOLKIT=/path/to/coordination-network-toolkit \
    /usr/bin/python3 bench/python_network.py [ROWS] [--repeat 3] [--threads 2] [--qut-rows 1000000]

Environment: LOCKSTEP (default build/tools/lockstep/lockstep), PYTHONPATH
(build/python is added after it), WORKDIR (default a new temp dir, kept),
SEED=42, WINDOW=60, QUT_TOOLKIT (or PEER_QUT, as bench/peers/compare.sh):
a checkout of the QUT toolkit, run from source; without it the QUT part is
skipped and the script says so.

Data: bench/peers/generate_coshare.py (the table compare.sh times the peers
on). Each side runs as a fresh process, REPEAT times alternating, median
wall time reported:
  cli      lockstep network DATA --format coortweet --signal co-share
           --weight messages --out edges.csv   (load, network, write CSV)
  python   import lockstep; load(DATA, format="coortweet", the CLI's load
           hints); network(...) -> DataFrame with account ids as pandas
           Categoricals   (the same work, with a DataFrame in place of the
           CSV file)
  numpy    the same with as_="numpy": the edge columns as views of the C++
           result, no account ids decoded: the binding's own overhead
The interpreter start and the imports (lockstep, numpy, pandas) are counted
in python's and numpy's wall time, as a script pays them; "in-process"
columns show the calls' time alone (load + network, pandas' import inside).
CPU s is the process's user + system time (all its threads): on a shared
machine, where wall time stretches with the load, the steadier figure.

QUT (on --qut-rows rows of the same generator, default 1M: the toolkit takes
minutes at 10M): `python3 -m coordination_network_toolkit DB preprocess
--format csv` + `compute co_retweet --time_window W --min_edge_weight 1
--n_cpus T` + export through its graph.get_edge_rows, each a fresh process
(the conversion to its CSV columns is not timed), against python and cli on
those rows; QUT's directed (user_id, linked_user_id, weight) edges must
equal lockstep's weight="messages" edges. QUT imports twarc at module load
even for CSV input; an empty stub is written into the work dir (as
compare.sh does).
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PYTHON_RUN = r"""
import sys, time, json
t0 = time.perf_counter()
import lockstep
t1 = time.perf_counter()
ds = lockstep.load(sys.argv[1], format="coortweet", event_ids=False, action_columns_only=True)
t2 = time.perf_counter()
edges = lockstep.network(ds, signal="co-share", window=int(sys.argv[2]), weight="messages",
                         threads=int(sys.argv[3]), as_=sys.argv[4])
t3 = time.perf_counter()
n = len(edges) if sys.argv[4] == "pandas" else len(edges["a"])
if len(sys.argv) > 5:
    edges.to_csv(sys.argv[5], index=False, columns=["account_a", "account_b", "weight"])
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "network": t3 - t2, "edges": n}))
"""

QUT_EXPORT = r"""
import csv, sys
from coordination_network_toolkit.graph import get_edge_rows
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["user_id", "linked_user_id", "weight"])
    w.writerows(row[:3] for row in get_edge_rows(sys.argv[1], "co_retweet", loops=False))
"""


def edge_set(path):
    """The "a,b,weight" rows of an edge CSV (header skipped, integer weights), sorted."""
    import csv
    with open(path, newline="") as f:
        rows = csv.reader(f)
        next(rows)
        return sorted(f"{r[0]},{r[1]},{int(float(r[2]))}" for r in rows)


def run(cmd, env=None):
    """Runs cmd: (wall s, the CompletedProcess with .cpu = its user + system CPU s)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    r.cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    return wall, r


def generate(work, rows, seed):
    data = os.path.join(work, f"synth_{rows}_seed{seed}.csv")
    if not os.path.exists(data):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "peers", "generate_coshare.py"),
                        str(rows), seed, data], check=True)
    return data


def python_run(data, window, threads, mode, env, out_csv=None):
    """A fresh python3 running lockstep.load + lockstep.network: (wall s, its timings)."""
    import json
    cmd = [sys.executable, "-c", PYTHON_RUN, data, window, str(threads), mode] + ([out_csv] if out_csv else [])
    wall, r = run(cmd, env)
    t = json.loads(r.stdout.strip().splitlines()[-1])
    t["cpu"] = r.cpu
    return wall, t


def cli_run(cli, data, window, threads, out_csv):
    wall, r = run([cli, "network", data, "--format", "coortweet", "--signal", "co-share", "--window", window,
                   "--weight", "messages", "--threads", str(threads), "--out", out_csv])
    return wall, r.cpu


def qut_compare(qut, cli, work, rows, seed, window, threads, repeat, env):
    """QUT's co_retweet against lockstep (python and cli) on the same rows; prints a table."""
    data = generate(work, rows, seed)
    qut_in = os.path.join(work, f"qut_{rows}.csv")
    if not os.path.exists(qut_in):  # QUT's columns; not timed
        import csv
        with open(data, newline="") as f, open(qut_in + ".part", "w", newline="") as g:
            r, w = csv.reader(f), csv.writer(g)
            next(r)
            w.writerow(["message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls"])
            for o, a, c, t in r:
                w.writerow([c, a, a, o, "", "", t, ""])
        os.rename(qut_in + ".part", qut_in)
    stubs = os.path.join(work, "stubs", "twarc")
    os.makedirs(stubs, exist_ok=True)
    with open(os.path.join(stubs, "__init__.py"), "w") as f:
        f.write('def ensure_flattened(*a, **k):\n    raise NotImplementedError("twarc stub")\n')
    with open(os.path.join(stubs, "client2.py"), "w") as f:
        f.write("class Twarc2:\n    pass\n")
    qenv = dict(os.environ)
    qenv["PYTHONPATH"] = os.pathsep.join([qut, os.path.dirname(stubs)])
    db = os.path.join(work, f"qut_{rows}.db")
    py_csv, cli_csv, qut_csv = (os.path.join(work, f"{name}_edges_{rows}.csv") for name in ("python", "cli", "qut"))
    walls, cpus, inproc = {"cli": [], "python": []}, {"cli": [], "python": []}, []

    def lockstep_runs():
        for _ in range(repeat):
            wall, cpu = cli_run(cli, data, window, threads, cli_csv)
            walls["cli"].append(wall)
            cpus["cli"].append(cpu)
            wall, t = python_run(data, window, threads, "pandas", env)
            walls["python"].append(wall)
            cpus["python"].append(t["cpu"])
            inproc.append(t["load"] + t["network"])

    python_run(data, window, threads, "pandas", env, py_csv)  # the edges to compare, untimed
    lockstep_runs()  # before QUT and after it: the machine's speed drifts over QUT's minutes
    for path in (db, db + "-wal", db + "-shm"):
        if os.path.exists(path):
            os.remove(path)
    q = [sys.executable, "-m", "coordination_network_toolkit", db]
    steps, qut_cpu = {}, 0.0
    for name, cmd in (("preprocess", q + ["preprocess", "--format", "csv", qut_in]),
                      ("compute", q + ["compute", "co_retweet", "--time_window", window, "--min_edge_weight", "1",
                                       "--n_cpus", str(threads)]),
                      ("export", [sys.executable, "-c", QUT_EXPORT, db, qut_csv])):
        steps[name], r = run(cmd, qenv)
        qut_cpu += r.cpu
    qut_wall = sum(steps.values())
    print(f"QUT: preprocess {steps['preprocess']:.2f} s, compute {steps['compute']:.2f} s, "
          f"export {steps['export']:.2f} s, CPU {qut_cpu:.2f} s (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    lockstep_runs()
    theirs = edge_set(qut_csv)
    same_py, same_cli = edge_set(py_csv) == theirs, edge_set(cli_csv) == theirs
    med = {k: statistics.median(v) for k, v in walls.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    print(f"\n{rows} rows, co-share = QUT co_retweet, window {window} s, weight messages (directed), "
          f"threads {threads}; lockstep: median of {2 * repeat} runs, {repeat} before and {repeat} after QUT; "
          f"QUT: one run\n")
    print("| run | wall s | CPU s | in-process s | edges | same edges as QUT | QUT / this (wall) | QUT / this (CPU) |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| QUT toolkit (preprocess {steps['preprocess']:.1f} + compute {steps['compute']:.1f} + export "
          f"{steps['export']:.1f} s) | {qut_wall:.2f} | {qut_cpu:.2f} | | {len(theirs)} | - | 1 | 1 |")
    for mode, label, same_edges in (("python", "`lockstep.network` -> DataFrame (fresh python3)", same_py),
                                    ("cli", "`lockstep network` (CLI)", same_cli)):
        print(f"| {label} | {med[mode]:.2f} | {cpu[mode]:.2f} | "
              f"{f'{statistics.median(inproc):.2f}' if mode == 'python' else ''} | | {'yes' if same_edges else 'NO'} | "
              f"{qut_wall / med[mode]:.0f}x | {qut_cpu / cpu[mode]:.0f}x |")
    return same_py and same_cli


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", nargs="?", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--qut-rows", type=int, default=1_000_000, help="rows for the QUT comparison (0: skip it)")
    args = ap.parse_args()
    cli = os.environ.get("LOCKSTEP", os.path.join(ROOT, "build", "tools", "lockstep", "lockstep"))
    seed, window = os.environ.get("SEED", "42"), os.environ.get("WINDOW", "60")
    work = os.environ.get("WORKDIR") or tempfile.mkdtemp(prefix="lockstep_pybench.")
    os.makedirs(work, exist_ok=True)
    data = generate(work, args.rows, seed)
    qut = os.environ.get("QUT_TOOLKIT") or os.environ.get("PEER_QUT")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [env.get("PYTHONPATH"),  # a given one first
                                                      os.path.join(ROOT, "build", "python")]))
    if not qut:
        print("QUT toolkit: not set (QUT_TOOLKIT=/path/to/coordination-network-toolkit); "
              "its comparison is skipped", file=sys.stderr)
    cli_csv, py_csv = os.path.join(work, "cli.csv"), os.path.join(work, "python.csv")
    walls = {"cli": [], "python": [], "numpy": []}
    cpus = {"cli": [], "python": [], "numpy": []}
    inproc = {"python": [], "numpy": []}
    imports = {"python": [], "numpy": []}
    edges = {}
    for i in range(args.repeat):
        wall, cpu = cli_run(cli, data, window, args.threads, cli_csv)
        walls["cli"].append(wall)
        cpus["cli"].append(cpu)
        for mode in ("python", "numpy"):
            if mode == "python" and i == 0:  # written once, outside the timed runs, to compare
                python_run(data, window, args.threads, "pandas", env, py_csv)
            wall, t = python_run(data, window, args.threads, "pandas" if mode == "python" else "numpy", env)
            walls[mode].append(wall)
            cpus[mode].append(t["cpu"])
            inproc[mode].append(t["load"] + t["network"])
            imports[mode].append(t["import"])
            edges[mode] = t["edges"]
        print(f"run {i + 1}: " + ", ".join(f"{k} {walls[k][-1]:.2f} s ({cpus[k][-1]:.2f} s CPU)" for k in walls)
              + f" (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    with open(cli_csv) as a, open(py_csv) as b:
        same = sorted(a.read().splitlines()[1:]) == sorted(b.read().splitlines()[1:])
    med = {k: statistics.median(v) for k, v in walls.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    print(f"\n{args.rows} rows, co-share, window {window} s, weight messages, threads {args.threads}, "
          f"median of {args.repeat} alternating runs (work dir {work}, load {os.getloadavg()[0]:.1f} at the end)\n")
    print("| run | wall s | CPU s | in-process s (load + network) | import lockstep s | edges | vs CLI (wall) | "
          "vs CLI (CPU) |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| `lockstep network` (CLI, writes CSV) | {med['cli']:.2f} | {cpu['cli']:.2f} | | | "
          f"{edges.get('python', '')} | 1.000 | 1.000 |")
    for mode, label in (("python", "`lockstep.network` -> DataFrame"), ("numpy", "`lockstep.network(as_='numpy')`")):
        print(f"| {label} | {med[mode]:.2f} | {cpu[mode]:.2f} | {statistics.median(inproc[mode]):.2f} | "
              f"{statistics.median(imports[mode]):.2f} | {edges[mode]} | "
              f"{med[mode] / med['cli']:.3f} | {cpu[mode] / cpu['cli']:.3f} |")
    print(f"\nsame edges as the CLI: {'yes' if same else 'NO'}")
    if not qut:
        print("\nQUT toolkit: skipped (QUT_TOOLKIT is not set; point it at a checkout of "
              "QUT-Digital-Observatory/coordination-network-toolkit to compare in this run)")
    elif args.qut_rows > 0:
        if not os.path.isdir(os.path.join(qut, "coordination_network_toolkit")):
            sys.exit(f"QUT_TOOLKIT={qut} holds no coordination_network_toolkit/ package")
        same = qut_compare(qut, cli, work, args.qut_rows, seed, window, args.threads, args.repeat, env) and same
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
