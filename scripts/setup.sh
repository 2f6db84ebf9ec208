#!/usr/bin/env bash
# Installs the Debian packages lockstep needs to build, test and run, if any
# is missing. Safe to run again: it does nothing when all are present.
# (The PostgreSQL server the store tests use comes from
# scripts/pg-test-server.sh, only when those tests run against it.)
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  libsimdjson-dev libfast-float-dev zlib1g-dev libzstd-dev
  libfmt-dev libcli11-dev libxxhash-dev libutf8proc-dev
  libigraph-dev libsqlite3-dev libpqxx-dev libssl-dev
  python3
  pybind11-dev python3-pybind11 python3-dev python3-numpy python3-pandas python3-pytest python3-networkx python3-matplotlib python3-nbconvert python3-ipykernel python3-pip python3-setuptools python3-jsonschema
  chromium
  libcpp-httplib-dev libsodium-dev
  libopenmpi-dev openmpi-bin  # optional for the build (LOCKSTEP_MPI): mpirun -np N lockstep detect, docs/scale.md
)
PACKAGES+=(${LOCKSTEP_EXTRA_PACKAGES:-})

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The workbench's web app (nodejs and npm from Debian if missing, npm ci, build).
bash "$(dirname "$0")/web.sh"
