#!/usr/bin/env bash
# The main job end to end on data lockstep makes itself: installs what is
# missing, builds, simulates a scenario with planted networks, detects them,
# writes the report, records the run in a case store, scores the detection
# against the ground truth, and says how to open the workbench on it.
#   OUT=dir SCENARIO=mix SEED=7 SCALE=0.3 bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
NINJA_TARGETS=lockstep_cli bash scripts/build.sh
LOCKSTEP=build/tools/lockstep/lockstep
OUT=${OUT:-out/demo}
SCENARIO=${SCENARIO:-mix}
SEED=${SEED:-7}
SCALE=${SCALE:-0.3}
mkdir -p "$OUT"
"$LOCKSTEP" simulate --scenario "$SCENARIO" --seed "$SEED" --scale "$SCALE" --out "$OUT/data"
"$LOCKSTEP" detect "$OUT/data" --out "$OUT/detect" --store "$OUT/cases.db"
"$LOCKSTEP" eval --labels "$OUT/data/labels.csv" --detected "$OUT/detect/assignments.csv"
echo "demo: data in $OUT/data, networks in $OUT/detect (assignments.csv, networks.json), cases in $OUT/cases.db"
echo "demo: the investigator's workbench on these cases (docs/workbench.md):"
echo "  $LOCKSTEP serve --store $OUT/cases.db --add-user ana --role analyst   # asks for a password (8+ characters)"
echo "  $LOCKSTEP serve --store $OUT/cases.db                                  # then open http://127.0.0.1:8080/"
