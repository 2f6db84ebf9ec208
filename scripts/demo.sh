#!/usr/bin/env bash
# The main job end to end on data lockstep makes itself: installs what is
# missing, builds, simulates a scenario with planted networks, detects them,
# writes the report, and scores the detection against the ground truth.
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
"$LOCKSTEP" detect "$OUT/data" --out "$OUT/detect"
"$LOCKSTEP" eval --labels "$OUT/data/labels.csv" --detected "$OUT/detect/assignments.csv"
echo "demo: data in $OUT/data, networks in $OUT/detect (assignments.csv, networks.json)"
