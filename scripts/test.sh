#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the whole suite.
#   scripts/test.sh              # RelWithDebInfo build in build/
#   scripts/test.sh --sanitize   # AddressSanitizer + UBSan build in build-asan/
# With LOCKSTEP_PG=1 (always when CI=true) the case-store tests also run
# against PostgreSQL: a private server from scripts/pg-test-server.sh, unless
# LOCKSTEP_TEST_PG already names one. Without either they skip, saying so.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${LOCKSTEP_TEST_PG:-}" ] && { [ "${LOCKSTEP_PG:-}" = 1 ] || [ "${CI:-}" = true ]; }; then
  LOCKSTEP_TEST_PG=$(bash scripts/pg-test-server.sh)
  export LOCKSTEP_TEST_PG
  echo "test: case store tests against $LOCKSTEP_TEST_PG" >&2
fi
if [ "${1:-}" = "--sanitize" ]; then
  export BUILD_DIR=build-asan LOCKSTEP_SANITIZE=ON
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
BUILD_DIR=${BUILD_DIR:-build}
targets="lockstep_cli lockstep_tests"
# The Python module for python/tests (CMake builds it when pybind11 is found, not under --sanitize).
[ "${LOCKSTEP_SANITIZE:-OFF}" = ON ] || targets+=" _lockstep"
NINJA_TARGETS="$targets" bash scripts/build.sh
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 900
