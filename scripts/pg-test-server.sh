#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster for the database tests (ctest fixture).
#   pg-test-server.sh start DIR PORT   initdb in DIR/data, Unix socket in DIR only (no TCP),
#                                      database "lotwright" with PostGIS, role "lotwright"
#   pg-test-server.sh stop DIR         stops the cluster and removes DIR
# As root, the cluster runs as the unprivileged user "nobody" (PostgreSQL refuses root).
# The tests connect with: PG:dbname=lotwright host=DIR port=PORT user=lotwright
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?usage: pg-test-server.sh start DIR PORT | stop DIR}
dir=${2:?usage: pg-test-server.sh start DIR PORT | stop DIR}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  port=${3:?usage: pg-test-server.sh start DIR PORT}
  if [ -f "$dir/data/postmaster.pid" ]; then  # a cluster left by an interrupted run
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [ "$(id -u)" = 0 ]; then chown nobody "$dir"; fi
  as_owner "$BIN/initdb" -D "$dir/data" -U lotwright --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; exit 1; }
  # Unix socket in DIR only; fsync off: a test cluster, thrown away after the run.
  as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses= -p $port -c fsync=off -c max_connections=40" start \
    >/dev/null || { cat "$dir/server.log"; exit 1; }
  as_owner "$BIN/psql" -h "$dir" -p "$port" -U lotwright -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE DATABASE lotwright" >/dev/null
  as_owner "$BIN/psql" -h "$dir" -p "$port" -U lotwright -d lotwright -v ON_ERROR_STOP=1 -q \
    -c "CREATE EXTENSION postgis" >/dev/null
  # Other processes (the tests, run as root or not) reach the socket folder.
  chmod 711 "$dir"
  echo "PostgreSQL test cluster: PG:dbname=lotwright host=$dir port=$port user=lotwright"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg-test-server.sh start DIR PORT | stop DIR" >&2
  exit 2
  ;;
esac
