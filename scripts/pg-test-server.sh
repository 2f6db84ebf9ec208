#!/usr/bin/env bash
# A private PostgreSQL cluster for the case-store tests; prints its URI.
#   export LOCKSTEP_TEST_PG=$(bash scripts/pg-test-server.sh)
#   bash scripts/pg-test-server.sh --stop
# Idempotent: installs Debian's postgresql if it is missing (tests only; the
# base setup stays light), reuses the cluster when it already runs. The
# cluster lives in LOCKSTEP_PG_DIR (default /tmp/lockstep-pg-<uid>), listens
# on 127.0.0.1 and a socket in that directory on the first free port from
# 55432, trusts local connections (a test server: never expose it), and has a
# role `lockstep` owning database `lockstep_test`. Run as root it runs the
# server as the `postgres` user; otherwise as the calling user.
set -euo pipefail

PG_DIR=${LOCKSTEP_PG_DIR:-/tmp/lockstep-pg-$(id -u)}
DATA="$PG_DIR/data"
log() { echo "pg-test-server: $*" >&2; }

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  log "installing postgresql"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
  [ -f "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
  exit 0
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ ! -f "$DATA/PG_VERSION" ]; then
  rm -rf "$PG_DIR"
  mkdir -p "$PG_DIR"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$PG_DIR"
  chmod 700 "$PG_DIR"
  log "initdb in $DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
fi

if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  port=55432
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port" | as_owner tee "$PG_DIR/port" >/dev/null
  log "starting on port $port"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_DIR -c max_connections=50" start >&2
fi
port=$(cat "$PG_DIR/port")

psql_admin() { as_owner "$BIN/psql" -h "$PG_DIR" -p "$port" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'lockstep'")" != 1 ]; then
  psql_admin -c "CREATE ROLE lockstep LOGIN"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'lockstep_test'")" != 1 ]; then
  psql_admin -c "CREATE DATABASE lockstep_test OWNER lockstep"
fi
echo "postgresql://lockstep@127.0.0.1:$port/lockstep_test"
