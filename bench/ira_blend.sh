#!/usr/bin/env bash
# The IRA dev blend (issue 16, "real positives"): the development half of the
# IRA troll tweets (../shared/data/ira_dev) blended into a simulated authentic
# population, detected with `lockstep detect`, and scored per Clemson category.
# Prints Markdown tables: account precision and recall, recall per category,
# and whether the categories come out as separate networks.
#
#   bash bench/ira_blend.sh                      # scale 0.2, seed 1
#   SCALE=1 SEED=2 KEEP=/tmp/blend bash bench/ira_blend.sh
#   HALF=a bash bench/ira_blend.sh               # tune on half a; measure half b once, at the end
#   HALF=a KEEP=/tmp/blend DETECT_ARGS="--min-confidence 0" bash bench/ira_blend.sh
#   python3 bench/ira_blend.py --diagnose /tmp/blend/data /tmp/blend/detect 0.6   # why accounts are missed
#
# Environment: LOCKSTEP (the CLI, default build/tools/lockstep/lockstep),
# SCALE (of the authentic population; 1 = ~20,000 accounts), SEED (of the
# simulator), WORK (scratch directory, removed unless KEEP is set), KEEP, HALF
# (a, b or all, the default: the IRA authors of one half of the dev half, split
# by the MD5 of the author id; a is for tuning, b for evaluation), and
# DETECT_ARGS (extra flags for `lockstep detect`, e.g. --min-confidence 0).
#
# How the blend is made:
#   - `lockstep simulate --scenario authentic` writes the population (2019-2021).
#   - The IRA tweets (2015-2017 for 99.5% of them) are shifted by 209 weeks,
#     which keeps each tweet's weekday and time of day, so that they fall in
#     the simulator's years; the simulator has no start-date option.
#   - The IRA rows are appended to the simulated accounts.csv and events.csv
#     with the mapping of the `ira` reader (docs/formats.md): a retweet is a
#     share with no target_id and the retweeted text; a quote or an original
#     is a post; hashtags and mentions come from the text. The times keep
#     their minute resolution. The latest tweet's region is the account's
#     claimed_location ("Unknown" = none), as the ira reader maps it.
#     Categories never enter the data set.
#   - labels.csv gets one row per IRA author, network_id "ira_<category>"
#     (from authors.csv; an author id missing there takes the category of the
#     author whose id it extends, if any, else "Unlabelled": in the dev half,
#     six ids of the form handle+external id have no authors.csv row).
set -euo pipefail
cd "$(dirname "$0")/.."
LOCKSTEP=${LOCKSTEP:-build/tools/lockstep/lockstep}
SCALE=${SCALE:-0.2}
SEED=${SEED:-1}
HALF=${HALF:-all}
IRA=${IRA:-../shared/data/ira_dev}
WORK=${KEEP:-${WORK:-$(mktemp -d)}}
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
[ -f "$IRA/tweets.csv.zst" ] || { echo "ira_blend: $IRA/tweets.csv.zst is absent" >&2; exit 1; }
mkdir -p "$WORK"
say() { [ -t 2 ] && echo "ira_blend: $*" >&2 || true; }

say "simulating the authentic population (scale $SCALE, seed $SEED)"
t0=$(date +%s.%N)
"$LOCKSTEP" simulate --scenario authentic --seed "$SEED" --scale "$SCALE" --out "$WORK/data" >/dev/null
say "blending the IRA dev half"
zstd -dc "$IRA/tweets.csv.zst" | python3 bench/ira_blend.py "$IRA/authors.csv" "$WORK/data" "$HALF"
t1=$(date +%s.%N)
say "detecting"
# shellcheck disable=SC2086  # DETECT_ARGS is a list of flags
"$LOCKSTEP" detect "$WORK/data" --out "$WORK/detect" --no-report ${DETECT_ARGS:-} >/dev/null
t2=$(date +%s.%N)
"$LOCKSTEP" eval --labels "$WORK/data/labels.csv" --detected "$WORK/detect/assignments.csv" --json >"$WORK/eval.json"
python3 bench/ira_blend.py --score "$WORK/data/labels.csv" "$WORK/detect/assignments.csv" "$WORK/eval.json" \
  "scale $SCALE, seed $SEED, half $HALF; blend $(printf '%.0f' "$(echo "$t1 - $t0" | bc)") s, detect $(printf '%.0f' "$(echo "$t2 - $t1" | bc)") s"
