#!/usr/bin/env bash
# Bad rows under mpirun name the user's file, line and byte, as a
# single-process run does, whichever rank's share holds them (issue 22 with
# issue 12): with --on-error=fail the run stops with exit 2 and the first bad
# row; with --on-error=skip the ranks' rejects files together list the rows
# the single-process run rejects, and the outputs are the same.
#   mpi_bad_input.sh CLI MPIRUN WORKDIR
set -euo pipefail
cli=$1 mpirun=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$cli" simulate --scenario mix --seed 7 --scale 0.02 --out data > simulate.log
# One bad time in the first tenth (rank 0's share) and one in the last tenth
# (the last rank's share at np 2 and 4).
rows=$(wc -l < data/events.csv)
early=$((rows / 10)) late=$((rows - rows / 10))
awk -F, -v a="$early" -v b="$late" 'BEGIN { OFS = "," } NR == a || NR == b { $3 = "yesterday" } 1' \
  data/events.csv > events.csv && mv events.csv data/events.csv
where() { grep -o "events.csv:[0-9]* (byte [0-9]*): bad_time, field 'time'" "$1" | head -1; }

set +e
"$cli" detect data --out ref > /dev/null 2> ref.err; rc=$?
set -e
[[ $rc == 2 ]] || { echo "single process: exit $rc, expected 2"; cat ref.err; exit 1; }
expected=$(where ref.err)
[[ $expected == "events.csv:$early "* ]] || { echo "single process names '$expected', expected line $early"; exit 1; }
"$cli" detect data --on-error skip --rejects ref-rejects.csv --out ref-skip > /dev/null 2>&1
failed=0
for np in 2 4; do
  run=("$mpirun" --allow-run-as-root --oversubscribe -np "$np" -x LSAN_OPTIONS)
  set +e
  timeout 300 "${run[@]}" "$cli" detect data --out "np$np" > /dev/null 2> "np$np.err"; rc=$?
  set -e
  got=$(where "np$np.err")
  if [[ $rc == 0 || $rc == 124 || $got != "$expected" ]]; then
    echo "np $np, fail: exit $rc (expected non-zero, not a timeout), names '$got', expected '$expected'"
    head -5 "np$np.err"; failed=1
  fi
  timeout 600 "${run[@]}" "$cli" detect data --on-error skip --rejects "np$np-rejects.csv" --out "np$np-skip" \
    > /dev/null 2> "np$np-skip.err" || { echo "np $np, skip: failed"; cat "np$np-skip.err"; failed=1; continue; }
  # file,line,byte_offset,kind,field of every rejected row, whichever rank wrote it.
  if ! diff <(tail -n +2 ref-rejects.csv | cut -d, -f1-5 | sort) \
            <(for f in "np$np-rejects.csv"*; do tail -n +2 "$f"; done | cut -d, -f1-5 | sort); then
    echo "np $np, skip: the rejects differ from the single-process run's"; failed=1
  fi
  cmp -s <(sort ref-skip/assignments.csv) <(sort "np$np-skip/assignments.csv") ||
    { echo "np $np, skip: assignments.csv differs from the single-process run's"; failed=1; }
  echo "np $np: fail names '$got'; skip rejects $(cat "np$np-rejects.csv"* | grep -c bad_time) rows as the single process does"
done
[[ $(tail -n +2 ref-rejects.csv | wc -l) == 2 ]] || { echo "the single-process run rejected $(tail -n +2 ref-rejects.csv | wc -l) rows, expected 2"; failed=1; }
exit $failed
