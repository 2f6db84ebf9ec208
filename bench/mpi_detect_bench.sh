#!/usr/bin/env bash
# lockstep detect under mpirun -np 1, 2, 4 against a plain single process
# (issue 22, docs/scale.md): wall time, events per second, peak RSS and
# bytes per event of each rank, and the bytes exchanged (the shares gathered
# to rank 0). Every rank runs under /usr/bin/time.
#   bash bench/mpi_detect_bench.sh [SCALE (0.5)] [BUILD_DIR (build)] [NPS ("1 2 4")]
set -euo pipefail
scale=${1:-0.5} build=${2:-build} nps=${3:-"1 2 4"}
cli=$(realpath "$build/tools/lockstep/lockstep")
work=${LOCKSTEP_BENCH_DIR:-/tmp/lockstep-mpi-bench}
data=$work/data-$scale
mkdir -p "$work"
[[ -f $data/events.csv ]] || "$cli" simulate --scenario mix --seed 101 --scale "$scale" --out "$data" > /dev/null
events=$(($(python3 -c 'import csv,sys; csv.field_size_limit(1<<30); print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))))' "$data/events.csv") - 1))
bytes=$(stat -c %s "$data/events.csv")
echo "data: $data, $events events, events.csv $((bytes / 1000000)) MB; $(nproc) cores; $(mpirun --version | head -1)"
printf '%-8s %8s %10s %10s  %s\n' run wall_s events/s load_s "per rank: peak RSS MB (bytes/event of the whole data set)"
row() {  # name, time files...
  local name=$1 load=$2; shift 2
  local wall=0 ranks=""
  for f in "$@"; do
    read -r w rss < "$f"
    wall=$(python3 -c "print(max($wall, $w))")
    ranks+=$(printf ' %s:%.0f(%.0f)' "$(basename "$f" .time)" "$(python3 -c "print($rss/1024)")" "$(python3 -c "print($rss*1024/$events)")")
  done
  printf '%-8s %8.1f %10.0f %10s %s\n' "$name" "$wall" "$(python3 -c "print($events/$wall)")" "$load" "$ranks"
}
/usr/bin/time -o "$work/single.time" -f '%e %M' "$cli" detect "$data" --out "$work/out-single" --no-report > "$work/single.log"
row single "$(grep -o 'load [0-9.]* s' "$work/single.log" | head -1 | tr -dc '0-9.')" "$work/single.time"
for np in $nps; do
  rm -f "$work"/np"$np".rank*.time
  mpirun --allow-run-as-root --oversubscribe -np "$np" bash -c \
    "exec /usr/bin/time -o '$work/np$np.rank'\${OMPI_COMM_WORLD_RANK:-\${PMIX_RANK}}.time -f '%e %M' '$cli' detect '$data' --out '$work/out-np$np' --no-report" \
    > "$work/np$np.log" 2> "$work/np$np.err"
  row "np$np" "$(grep -o 'load [0-9.]* s' "$work/np$np.log" | head -1 | tr -dc '0-9.')" "$work"/np"$np".rank*.time
  grep '^dist:' "$work/np$np.err" | sed 's/^/         /'
  python3 - "$work/out-single" "$work/out-np$np" <<'PY' || echo "         WARNING: np$np's outputs differ from the single process's"
import json, sys
a, b = sys.argv[1:]
same = sorted(open(a + "/assignments.csv")) == sorted(open(b + "/assignments.csv"))
def strip(o):
    if isinstance(o, dict): return {k: strip(v) for k, v in o.items() if k != "stage_seconds"}
    if isinstance(o, list): return [strip(v) for v in o]
    return o
same &= strip(json.load(open(a + "/networks.json"))) == strip(json.load(open(b + "/networks.json")))
sys.exit(0 if same else 1)
PY
done
