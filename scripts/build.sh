#!/usr/bin/env bash
# Configures and builds lockstep. BUILD_DIR (default build) and
# LOCKSTEP_SANITIZE=ON (AddressSanitizer + UBSan) choose the flavour.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
SANITIZE=${LOCKSTEP_SANITIZE:-OFF}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLOCKSTEP_SANITIZE="$SANITIZE" "${launcher[@]}" >/dev/null
ninja -C "$BUILD_DIR" ${NINJA_TARGETS:-}
