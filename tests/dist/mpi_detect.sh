#!/usr/bin/env bash
# mpirun -np N lockstep detect DATA --out DIR gives the single-process run's
# outputs (issue 22): every file of the detect directory, byte for byte after
# sorting its lines, the run's own timings (networks.json's stage_seconds and
# the report's copies of them) left out. Also lockstep network (co-share).
#   mpi_detect.sh CLI MPIRUN WORKDIR SCALE 0   simulate and run the single-process reference
#   mpi_detect.sh CLI MPIRUN WORKDIR SCALE N   mpirun -np N, compared with the reference
set -euo pipefail
cli=$1 mpirun=$2 work=$3 scale=$4 np=$5
data=$work/data ref=$work/ref
if [[ $np == 0 ]]; then
  rm -rf "$work" && mkdir -p "$work"
  "$cli" simulate --scenario mix --seed 101 --scale "$scale" --out "$data" > "$work/simulate.log"
  "$cli" detect "$data" --out "$ref" > "$work/ref.log"
  "$cli" network "$data" --signal co-share --window 60 --out "$ref/co-share.csv" >> "$work/ref.log"
  exit 0
fi
[[ -d $ref ]] || { echo "no reference run in $ref (the dist_mpi_reference test makes it)"; exit 1; }
out=$work/np$np
rm -rf "$out"
# Open MPI refuses root unless told; 4 ranks on 2 cores need --oversubscribe.
run=("$mpirun" --allow-run-as-root --oversubscribe -np "$np" -x LSAN_OPTIONS)
"${run[@]}" "$cli" detect "$data" --out "$out" > "$work/np$np.log" 2> "$work/np$np.err" ||
  { cat "$work/np$np.err"; exit 1; }
"${run[@]}" "$cli" network "$data" --signal co-share --window 60 --out "$out/co-share.csv" >> "$work/np$np.log" 2>> "$work/np$np.err" ||
  { cat "$work/np$np.err"; exit 1; }
grep '^dist:' "$work/np$np.err" || { echo "np $np: no 'dist:' line, the load was not split across ranks"; cat "$work/np$np.err"; exit 1; }
# The run's timings differ from run to run; everything else must not.
normalise() {
  case $1 in
    *.json) python3 -c 'import json,sys
def drop(o):
    if isinstance(o, dict): return {k: drop(v) for k, v in o.items() if k not in ("stage_seconds", "seconds")}
    if isinstance(o, list): return [drop(v) for v in o]
    return o
print(json.dumps(drop(json.load(open(sys.argv[1]))), sort_keys=True, indent=0))' "$1" | sort ;;
    *) grep -v -E 'stage|seconds|[0-9]\.[0-9]+ s\b' "$1" | sort ;;
  esac
}
failed=0 compared=0
for f in $(cd "$ref" && find . -type f | sort); do
  if [[ ! -f $out/$f ]]; then echo "np $np: $f missing"; failed=1; continue; fi
  if ! cmp -s <(normalise "$ref/$f") <(normalise "$out/$f"); then
    echo "np $np: $f differs from the single-process run:"; diff <(normalise "$ref/$f") <(normalise "$out/$f") | head -20
    failed=1
  fi
  compared=$((compared + 1))
done
extra=$(cd "$out" && find . -type f | sort | comm -13 <(cd "$ref" && find . -type f | sort) -)
[[ -z $extra ]] || { echo "np $np: files the single-process run does not write: $extra"; failed=1; }
echo "np $np: compared $compared files with the single-process run: $([[ $failed == 0 ]] && echo identical || echo DIFFERENT)"
exit $failed
