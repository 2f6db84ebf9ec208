#!/bin/bash
# Co-share against the two peer tools, same data, same run: wall time, max
# RSS and output equality of `lockstep network --signal co-share` versus the
# QUT coordination network toolkit (co_retweet) and CooRTweet
# (detect_groups + generate_coordinated_network). Prints a Markdown table.
#
# usage:
#   LOCKSTEP=build/tools/lockstep/lockstep \
#   PEER_QUT=/path/to/coordination-network-toolkit \
#   PEER_COORTWEET=/path/to/CooRTweet \
#   bench/peers/compare.sh [N_ROWS [COORTWEET_ROWS]]
#
#   N_ROWS          rows of the main data set, lockstep and QUT (default 10000000)
#   COORTWEET_ROWS  rows of the CooRTweet data set (default 100000); lockstep is
#                   timed again on the same rows so the ratio is like for like
# Environment (all optional but LOCKSTEP):
#   PEER_QUT, PEER_COORTWEET  peer checkouts; a peer whose path is unset is skipped
#   SEED=42 WINDOW=60 THREADS=2 (lockstep --threads, QUT --n_cpus)
#   COORTWEET_TIMEOUT=600     seconds before the Rscript run is killed
#   REPEAT=3                  lockstep runs per row of the table; the median wall time is
#                             reported (one run takes seconds, so one noisy second on a
#                             shared 2-core machine moves the ratio by 10 %); peers run once.
#                             Against QUT, lockstep runs REPEAT times before and REPEAT
#                             times after it, and the median is over both: the machine's
#                             speed drifts over QUT's minutes, and this samples both ends.
#   WORKDIR                   where data and outputs go (default: a new temp dir, kept)
#   PYTHON=/usr/bin/python3 RSCRIPT=Rscript
#
# The peers are only run from the paths given, never installed. QUT imports
# `twarc` at module load even for CSV input; an empty stub module is written
# into WORKDIR at run time. QUT's `compute --output_file X --output_format csv`
# crashes (output_gephi_csv() got an unexpected keyword argument
# 'n_messages'), so the network is exported with the toolkit's own
# graph.get_edge_rows(db, "co_retweet", loops=False), as docs/peers.md describes.
#
# Data: a seeded synthetic co-share set in CooRTweet's column layout
# object_id,account_id,content_id,timestamp_share, generated as in
# docs/peers.md ("Generating a large co-share input"): N/10 accounts with
# Zipf-like activity (1/rank^0.7), N/20 objects launched over 30 days with
# organic shares at launch + Exp(mean 1 h), and the last 2 % of rows from
# fixed groups of 25 accounts sharing one object within 0..10 s. For QUT the
# rows become message_id=content_id, user_id=account_id, repost_id=object_id.
#
# Equality: lockstep --weight messages must equal QUT's directed
# (user_id, linked_user_id, weight) edge set; lockstep --weight pairs must
# equal CooRTweet's undirected (account_id, account_id_y, weight) set.
set -euo pipefail
export LC_ALL=C

: "${LOCKSTEP:?set LOCKSTEP to the lockstep binary}"
N=${1:-10000000}
CT_N=${2:-100000}
SEED=${SEED:-42}
WINDOW=${WINDOW:-60}
THREADS=${THREADS:-2}
COORTWEET_TIMEOUT=${COORTWEET_TIMEOUT:-600}
REPEAT=${REPEAT:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
RSCRIPT=${RSCRIPT:-Rscript}
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/lockstep_peers.XXXXXX)}
mkdir -p "$WORKDIR"
LOCKSTEP=$(readlink -f "$LOCKSTEP")
echo "work dir: $WORKDIR" >&2

generate() {  # generate ROWS OUT.csv
  [ -s "$2" ] && return 0
  "$PYTHON" "$(dirname "$0")/generate_coshare.py" "$1" "$SEED" "$2"
}

RESULTS=()  # "tool|rows|wall|cpu|rss_kb|base_wall|base_cpu|equal|load"
loadavg() { cut -d' ' -f1 /proc/loadavg; }
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/{print $2}' "$1"; }
cpu_of() { awk -F': ' '/(User|System) time \(seconds\)/{s+=$2} END{print s}' "$1"; }

# timed NAME CMD...: runs CMD under /usr/bin/time -v; sets T_WALL, T_CPU (user+sys), T_RSS, T_LOAD, T_RC.
timed() {
  local name=$1; shift
  T_LOAD=$(loadavg)
  T_RC=0
  /usr/bin/time -v -o "$WORKDIR/time_$name.txt" "$@" >"$WORKDIR/log_$name.txt" 2>&1 || T_RC=$?
  T_WALL=$(wall_of "$WORKDIR/time_$name.txt")
  T_RSS=$(rss_of "$WORKDIR/time_$name.txt")
  T_CPU=$(cpu_of "$WORKDIR/time_$name.txt")
  echo "$name: rc=$T_RC wall=${T_WALL}s cpu=${T_CPU}s maxrss=${T_RSS}kB load=$T_LOAD" >&2
}

# canonical IN OUT [undirected]: "a,b,weight" lines, no header, integer weights, sorted.
canonical() {
  tail -n +2 "$1" | awk -F, -v u="${3:-}" 'BEGIN{OFS=","} {a=$1; b=$2; if (u && a > b) {t=a; a=b; b=t} print a, b, $3 + 0}' |
    sort -S 25% -T "$WORKDIR" >"$2"
}
same() { cmp -s "$1" "$2" && echo yes || echo "no ($(wc -l <"$1") vs $(wc -l <"$2") edges)"; }

declare -A RUNS RUN_RC  # by NAME: "wall cpu rss load" lines of its runs so far; nonzero exit code if any
lockstep_runs() {  # lockstep_runs NAME DATA WEIGHT OUT: REPEAT more runs of NAME
  local i k=$(($(printf '%s' "${RUNS[$1]:-}" | grep -c .) + 1))
  for ((i = 0; i < REPEAT; i++, k++)); do
    timed "$1_run$k" "$LOCKSTEP" network "$2" --format coortweet --signal co-share --window "$WINDOW" \
      --weight "$3" --threads "$THREADS" --out "$4"
    RUNS[$1]+="$T_WALL $T_CPU $T_RSS $T_LOAD"$'\n'
    [ "$T_RC" = 0 ] || RUN_RC[$1]=$T_RC
  done
}
lockstep_median() {  # lockstep_median NAME: T_* of the run of NAME with the median wall time
  local n
  n=$(printf '%s' "${RUNS[$1]}" | grep -c .)
  read -r T_WALL T_CPU T_RSS T_LOAD <<<"$(printf '%s' "${RUNS[$1]}" | sort -n | sed -n "$(((n + 1) / 2))p")"
  T_RC=${RUN_RC[$1]:-0}
  echo "$1: median of $n runs: wall=${T_WALL}s cpu=${T_CPU}s" >&2
}
lockstep_run() { lockstep_runs "$@" && lockstep_median "$1"; }  # REPEAT runs, then their median

# ---- main data set: lockstep and QUT --------------------------------------
DATA="$WORKDIR/synth_${N}_seed${SEED}.csv"
generate "$N" "$DATA"

lockstep_runs lockstep_messages_$N "$DATA" messages "$WORKDIR/lockstep_messages_$N.csv"
lockstep_run lockstep_pairs_$N "$DATA" pairs "$WORKDIR/lockstep_pairs_$N.csv"
PAIRS_ROW="lockstep --weight pairs|$N|$T_WALL|$T_CPU|$T_RSS|$T_WALL|$T_CPU|(base)|$T_LOAD"
QUT_ROW=""

if [ -n "${PEER_QUT:-}" ]; then
  STUBS="$WORKDIR/stubs"
  mkdir -p "$STUBS/twarc"
  printf 'def ensure_flattened(*a, **k):\n    raise NotImplementedError("twarc stub")\n' >"$STUBS/twarc/__init__.py"
  printf 'class Twarc2:\n    pass\n' >"$STUBS/twarc/client2.py"
  QUT_IN="$WORKDIR/qut_${N}.csv"
  [ -s "$QUT_IN" ] || "$PYTHON" - "$DATA" "$QUT_IN" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w", newline="") as g:
    r = csv.reader(f); w = csv.writer(g)
    next(r)
    w.writerow(["message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls"])
    for o, a, c, t in r:
        w.writerow([c, a, a, o, "", "", t, ""])
EOF
  DB="$WORKDIR/qut_${N}.db"
  rm -f "$DB" "$DB"-*
  export PYTHONPATH="$PEER_QUT:$STUBS"
  Q=("$PYTHON" -m coordination_network_toolkit "$DB")
  timed qut_preprocess "${Q[@]}" preprocess --format csv "$QUT_IN"
  Q_WALL=$T_WALL Q_CPU=$T_CPU Q_RSS=$T_RSS Q_LOAD=$T_LOAD Q_RC=$T_RC
  timed qut_compute "${Q[@]}" compute co_retweet --time_window "$WINDOW" --min_edge_weight 1 --n_cpus "$THREADS"
  Q_WALL=$(echo "$Q_WALL + $T_WALL" | bc) Q_CPU=$(echo "$Q_CPU + $T_CPU" | bc) Q_RSS=$((T_RSS > Q_RSS ? T_RSS : Q_RSS)) Q_RC=$((Q_RC + T_RC))
  timed qut_export "$PYTHON" -c '
import csv, sys
from coordination_network_toolkit.graph import get_edge_rows
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["user_id", "linked_user_id", "weight"])
    w.writerows(row[:3] for row in get_edge_rows(sys.argv[1], "co_retweet", loops=False))
' "$DB" "$WORKDIR/qut_$N.csv.out"
  Q_WALL=$(echo "$Q_WALL + $T_WALL" | bc) Q_CPU=$(echo "$Q_CPU + $T_CPU" | bc) Q_RSS=$((T_RSS > Q_RSS ? T_RSS : Q_RSS)) Q_RC=$((Q_RC + T_RC))
  unset PYTHONPATH
  lockstep_runs lockstep_messages_$N "$DATA" messages "$WORKDIR/lockstep_messages_$N.csv"  # after QUT too
  if [ "$Q_RC" = 0 ]; then
    canonical "$WORKDIR/lockstep_messages_$N.csv" "$WORKDIR/cmp_lockstep_messages_$N"
    canonical "$WORKDIR/qut_$N.csv.out" "$WORKDIR/cmp_qut_$N"
    EQ=$(same "$WORKDIR/cmp_lockstep_messages_$N" "$WORKDIR/cmp_qut_$N")
  else
    EQ="no (failed, see $WORKDIR/log_qut_*)"
  fi
  QUT_ROW="QUT co_retweet (preprocess+compute+export)|$N|$Q_WALL|$Q_CPU|$Q_RSS|$EQ|$Q_LOAD"
fi
lockstep_median lockstep_messages_$N
RESULTS+=("lockstep --weight messages|$N|$T_WALL|$T_CPU|$T_RSS|$T_WALL|$T_CPU|(base)|$T_LOAD" "$PAIRS_ROW")
if [ -n "$QUT_ROW" ]; then
  IFS='|' read -r q_name q_n q_wall q_cpu q_rss q_eq q_load <<<"$QUT_ROW"
  RESULTS+=("$q_name|$q_n|$q_wall|$q_cpu|$q_rss|$T_WALL|$T_CPU|$q_eq|$q_load")
fi

# ---- CooRTweet data set: lockstep again on the same rows, then CooRTweet ----
if [ -n "${PEER_COORTWEET:-}" ]; then
  CT_DATA="$WORKDIR/synth_${CT_N}_seed${SEED}.csv"
  generate "$CT_N" "$CT_DATA"
  lockstep_run lockstep_pairs_$CT_N "$CT_DATA" pairs "$WORKDIR/lockstep_pairs_$CT_N.csv"
  L_CT_WALL=$T_WALL L_CT_CPU=$T_CPU
  RESULTS+=("lockstep --weight pairs|$CT_N|$T_WALL|$T_CPU|$T_RSS|$T_WALL|$T_CPU|(base)|$T_LOAD")
  cat >"$WORKDIR/run_coortweet.R" <<'EOF'
suppressPackageStartupMessages({library(data.table); library(igraph)})
args <- commandArgs(trailingOnly = TRUE)
for (f in c("detect_groups.R", "calc_group_combinations.R", "generate_coordinated_network.R"))
  source(file.path(args[1], "R", f))
t0 <- proc.time()
x <- fread(args[2], colClasses = "character")
x[, timestamp_share := as.numeric(timestamp_share)]
t1 <- proc.time()
res <- detect_groups(x, time_window = as.integer(args[3]), min_participation = 1)
t2 <- proc.time()
g <- generate_coordinated_network(res, edge_weight = 0.5, subgraph = 0)
t3 <- proc.time()
e <- as.data.table(igraph::as_data_frame(g, what = "edges"))[, .(from, to, weight)]
fwrite(e, args[4])
message(sprintf("edges=%d load=%.2fs detect_groups=%.2fs network=%.2fs", nrow(e),
  (t1 - t0)[["elapsed"]], (t2 - t1)[["elapsed"]], (t3 - t2)[["elapsed"]]))
EOF
  timed coortweet_$CT_N timeout "$COORTWEET_TIMEOUT" "$RSCRIPT" "$WORKDIR/run_coortweet.R" "$PEER_COORTWEET" \
    "$CT_DATA" "$WINDOW" "$WORKDIR/coortweet_$CT_N.csv"
  if [ "$T_RC" = 0 ]; then
    canonical "$WORKDIR/lockstep_pairs_$CT_N.csv" "$WORKDIR/cmp_lockstep_pairs_$CT_N" undirected
    canonical "$WORKDIR/coortweet_$CT_N.csv" "$WORKDIR/cmp_coortweet_$CT_N" undirected
    EQ=$(same "$WORKDIR/cmp_lockstep_pairs_$CT_N" "$WORKDIR/cmp_coortweet_$CT_N")
    NAME="CooRTweet detect_groups+generate_coordinated_network"
  else
    EQ="no (exit $T_RC; 124 = killed after ${COORTWEET_TIMEOUT} s)"
    NAME="CooRTweet (did not finish)"
  fi
  RESULTS+=("$NAME|$CT_N|$T_WALL|$T_CPU|$T_RSS|$L_CT_WALL|$L_CT_CPU|$EQ|$T_LOAD")
fi

# ---- table ------------------------------------------------------------------
echo
echo "Co-share, window ${WINDOW} s, seed ${SEED}, $(nproc) cores. Wall, CPU (user+sys) and max RSS from /usr/bin/time -v;"
echo "lockstep includes reading the CSV and writing the edges; median of ${REPEAT} runs, or of $((2 * REPEAT)) (before and after QUT) for --weight messages."
echo "Speed-up = peer / lockstep on the same rows."
echo
echo "| tool | rows | wall s | CPU s | max RSS MB | events/s (wall) | speed-up (wall) | speed-up (CPU) | outputs equal | load avg (1 min) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"
for r in "${RESULTS[@]}"; do
  IFS='|' read -r tool rows wall cpu rss base_wall base_cpu eq load <<<"$r"
  awk -v tool="$tool" -v rows="$rows" -v wall="$wall" -v cpu="$cpu" -v rss="$rss" -v bw="$base_wall" -v bc="$base_cpu" \
    -v eq="$eq" -v load="$load" 'BEGIN{
    base = (eq == "(base)")
    sw = base ? "-" : (bw > 0 ? sprintf("%.0fx", wall / bw) : "-")
    sc = base ? "-" : (bc > 0 ? sprintf("%.0fx", cpu / bc) : "-")
    if (base) eq = "-"
    if (eq ~ /^no \(exit/) { sw = ">" sw; sc = ">" sc }  # killed: a lower bound
    printf "| %s | %d | %.2f | %.2f | %.0f | %.0f | %s | %s | %s | %s |\n", tool, rows, wall, cpu, rss / 1024,
      (wall > 0 ? rows / wall : 0), sw, sc, eq, load }'
done
