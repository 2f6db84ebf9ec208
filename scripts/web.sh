#!/usr/bin/env bash
# Builds the workbench's web app (web/ -> web/dist, which the lockstep binary
# embeds): installs Debian's nodejs and npm if node or npm is missing, runs
# `npm ci` from the committed lockfile when node_modules is older than it, and
# rebuilds when a source is newer than the bundle. Quick when nothing changed.
# npm's install scripts are not run (--ignore-scripts): nothing is downloaded
# but the locked packages; the browser tests use Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "web: installing nodejs npm" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
if [ ! -f dist/app.js ] || [ -n "$(find src build.mjs package-lock.json -newer dist/app.js -print -quit)" ]; then
  node build.mjs
  echo "web: built web/dist" >&2
fi
