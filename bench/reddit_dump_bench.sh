#!/bin/sh
# A Reddit dump read in bounded memory (issue 18): writes RC-shaped zstd
# files of 250 MB and 1 GB decompressed (seeded, streamed; window 2^27
# unless WINDOW_LOG says otherwise) and reads each with the Reddit reader in
# a process of its own, printing MB/s, events/s and peak RSS. Peak RSS
# should grow with the data set the reader keeps (events, their text and
# attributes, accounts), not with the file: compare the two "data set" and
# "peak RSS" lines.
#
#   bench/reddit_dump_bench.sh [BUILD_DIR] [WORK_DIR]
#
# WORK_DIR (default /tmp/lockstep_reddit_dump) needs ~110 MB of disk; the
# files are kept for the next run; delete the directory when done.
set -eu
build=${1:-build}
work=${2:-/tmp/lockstep_reddit_dump}
window=${WINDOW_LOG:-27}
bin=$build/bench/lockstep_reddit_dump_bench
[ -x "$bin" ] || { echo "build it first: ninja -C $build lockstep_reddit_dump_bench" >&2; exit 2; }
mkdir -p "$work"
for mb in 250 1000; do
  f=$work/RC_2024-01_${mb}MB_w$window.zst
  [ -s "$f" ] || "$bin" generate "$f" "$mb" "$window"
done
for mb in 250 1000; do
  "$bin" read "$work/RC_2024-01_${mb}MB_w$window.zst"
done
