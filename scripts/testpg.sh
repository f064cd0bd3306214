#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the test suite and the benchmarks.
#   scripts/testpg.sh start DIR PORT   initdb into DIR and start on 127.0.0.1:PORT
#   scripts/testpg.sh stop DIR         stop it and remove DIR
#   scripts/testpg.sh crash DIR        stop it at once (pg_ctl stop -m immediate), keep DIR
#   scripts/testpg.sh halt DIR         stop it cleanly (pg_ctl stop -m fast), keep DIR
#   scripts/testpg.sh resume DIR       start it again after crash or halt
#   scripts/testpg.sh restart DIR      pg_ctl restart -m immediate
# The settings live in DIR/data/postgresql.conf, so resume and restart keep the port.
# Durability is off for speed (fsync, synchronous_commit) unless TESTPG_DURABLE=1,
# which the crash-safety benchmark sets: a committed row must survive -m immediate.
# As root, the server runs as the "postgres" user (PostgreSQL refuses root).
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  as_pg "$PGBIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 start >/dev/null
}

case "${1:-}" in
  start)
    dir=$2 port=$3
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log"
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "port = $port"
      echo "unix_socket_directories = '$dir'"
      echo "max_connections = ${TESTPG_MAX_CONNECTIONS:-100}"
      if [ "${TESTPG_DURABLE:-0}" != 1 ]; then
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
      fi
    } >>"$dir/data/postgresql.conf"
    pg_start "$dir"
    ;;
  stop)
    dir=$2
    if [ -d "$dir/data" ]; then
      as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  crash)
    as_pg "$PGBIN/pg_ctl" -D "$2/data" -m immediate -w stop >/dev/null
    ;;
  halt)
    as_pg "$PGBIN/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null
    ;;
  resume)
    pg_start "$2"
    ;;
  restart)
    as_pg "$PGBIN/pg_ctl" -D "$2/data" -l "$2/server.log" -m immediate -w -t 60 restart >/dev/null
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR | crash DIR | halt DIR | resume DIR | restart DIR" >&2
    exit 2
    ;;
esac
