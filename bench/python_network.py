"""lockstep.network from Python against `lockstep network` (the CLI) on the
same co-share input: wall time of each, the Python overhead ratio, and that
the edges are the same. Prints a Markdown table.

usage (from the repository root, after building lockstep_cli and _lockstep):
    /usr/bin/python3 bench/python_network.py [ROWS] [--repeat 3] [--threads 2]

Environment: LOCKSTEP (default build/tools/lockstep/lockstep), PYTHONPATH
(default build/python is added), WORKDIR (default a new temp dir, kept),
SEED=42, WINDOW=60.

Data: bench/peers/generate_coshare.py (the table compare.sh times the peers
on). Each side runs as a fresh process, REPEAT times alternating, median
wall time reported:
  cli      lockstep network DATA --format coortweet --signal co-share
           --weight messages --out edges.csv   (load, network, write CSV)
  python   import lockstep; load(DATA, format="coortweet", the CLI's load
           hints); network(...) -> DataFrame with account ids   (the same
           work, with a DataFrame in place of the CSV file)
  numpy    the same with as_="numpy": the edge columns as views of the C++
           result, no account ids decoded: the binding's own overhead
The interpreter start and `import lockstep` (numpy) are counted in python's
and numpy's wall time, as a notebook user pays them once; "in-process"
columns show the calls' time alone.
"""
import argparse
import os
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


def run(cmd, env=None):
    start = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    return wall, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", nargs="?", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    cli = os.environ.get("LOCKSTEP", os.path.join(ROOT, "build", "tools", "lockstep", "lockstep"))
    seed, window = os.environ.get("SEED", "42"), os.environ.get("WINDOW", "60")
    work = os.environ.get("WORKDIR") or tempfile.mkdtemp(prefix="lockstep_pybench.")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, f"synth_{args.rows}_seed{seed}.csv")
    if not os.path.exists(data):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "peers", "generate_coshare.py"),
                        str(args.rows), seed, data], check=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.path.join(ROOT, "build", "python"),
                                                      env.get("PYTHONPATH")]))
    cli_csv, py_csv = os.path.join(work, "cli.csv"), os.path.join(work, "python.csv")
    walls = {"cli": [], "python": [], "numpy": []}
    inproc = {"python": [], "numpy": []}
    imports = {"python": [], "numpy": []}
    edges = {}
    for i in range(args.repeat):
        wall, r = run([cli, "network", data, "--format", "coortweet", "--signal", "co-share", "--window", window,
                       "--weight", "messages", "--threads", str(args.threads), "--out", cli_csv])
        walls["cli"].append(wall)
        for mode in ("python", "numpy"):
            cmd = [sys.executable, "-c", PYTHON_RUN, data, window, str(args.threads),
                   "pandas" if mode == "python" else "numpy"]
            if mode == "python" and i == 0:
                cmd.append(py_csv)  # written once, outside the timed runs, to compare
                run(cmd, env)
                cmd.pop()
            wall, r = run(cmd, env)
            import json
            t = json.loads(r.stdout.strip().splitlines()[-1])
            walls[mode].append(wall)
            inproc[mode].append(t["load"] + t["network"])
            imports[mode].append(t["import"])
            edges[mode] = t["edges"]
        print(f"run {i + 1}: cli {walls['cli'][-1]:.2f} s, python {walls['python'][-1]:.2f} s, "
              f"numpy {walls['numpy'][-1]:.2f} s (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    with open(cli_csv) as a, open(py_csv) as b:
        same = sorted(a.read().splitlines()[1:]) == sorted(b.read().splitlines()[1:])
    med = {k: statistics.median(v) for k, v in walls.items()}
    print(f"\n{args.rows} rows, co-share, window {window} s, weight messages, threads {args.threads}, "
          f"median of {args.repeat} (work dir {work})\n")
    print("| run | wall s | in-process s (load + network) | import lockstep s | edges | vs CLI wall |")
    print("|---|---|---|---|---|---|")
    print(f"| `lockstep network` (CLI, writes CSV) | {med['cli']:.2f} | | | {edges.get('python', '')} | 1.00 |")
    for mode, label in (("python", "`lockstep.network` -> DataFrame"), ("numpy", "`lockstep.network(as_='numpy')`")):
        print(f"| {label} | {med[mode]:.2f} | {statistics.median(inproc[mode]):.2f} | "
              f"{statistics.median(imports[mode]):.2f} | {edges[mode]} | "
              f"{med[mode] / med['cli']:.3f} |")
    print(f"\nsame edges as the CLI: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
