#!/usr/bin/env bash
# The main job end to end on data lockstep makes itself: installs what is
# missing, builds, then loads the data set and prints its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
NINJA_TARGETS=lockstep_cli bash scripts/build.sh
LOCKSTEP=build/tools/lockstep/lockstep
OUT=${OUT:-out/demo}
mkdir -p "$OUT"
"$LOCKSTEP" ingest examples/tiny --save "$OUT/tiny.snapshot"
