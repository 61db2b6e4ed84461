#!/bin/sh
# A throwaway PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg-test-cluster.sh start [DIR]   initdb + start; prints the connection URL
#   scripts/pg-test-cluster.sh url   [DIR]   prints the URL of the running cluster
#   scripts/pg-test-cluster.sh stop  [DIR]   stops it and deletes its data
#
# DIR (default ${TMPDIR:-/tmp}/dyad-pg-test-$(id -u)) keeps the URL (DIR/url) and where the
# cluster lives (DIR/home). The cluster itself lives in a fresh /tmp/dyad-pg.XXXXXX: its data
# directory and its unix socket (no TCP: listen_addresses is empty), trust authentication, a
# superuser named "dyad", fsync off (it is thrown away). PostgreSQL refuses to run as root: when
# run by root, the server runs as the "postgres" user (runuser) and root connects through the
# socket as the role "dyad". `start` on a running cluster only prints its URL.
set -eu
cmd=${1:-}
dir=${2:-${TMPDIR:-/tmp}/dyad-pg-test-$(id -u)}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-test-cluster: PostgreSQL server binaries not found (install postgresql: make deps)" >&2
  exit 1
fi
as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
running() {
  [ -f "$dir/home" ] && [ -f "$dir/url" ] && as_server "$bin/pg_ctl" -D "$(cat "$dir/home")/data" status >/dev/null 2>&1
}
case "$cmd" in
start)
  mkdir -p "$dir"
  if running; then cat "$dir/url"; exit 0; fi
  home=$(mktemp -d /tmp/dyad-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres "$home"
  as_server "$bin/initdb" -D "$home/data" -U dyad --auth=trust --encoding=UTF8 --locale=C \
    --no-sync >"$home/initdb.log" 2>&1 || { cat "$home/initdb.log" >&2; exit 1; }
  as_server "$bin/pg_ctl" -D "$home/data" -l "$home/server.log" -w -t 60 \
    -o "-k $home -c listen_addresses= -p 5432 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
    start >/dev/null || { cat "$home/server.log" >&2; exit 1; }
  url="postgresql://dyad@/postgres?host=$home&port=5432"
  echo "$home" >"$dir/home"
  echo "$url" >"$dir/url"
  echo "$url"
  ;;
url)
  running || { echo "pg-test-cluster: no cluster running for $dir" >&2; exit 1; }
  cat "$dir/url"
  ;;
stop)
  if [ -f "$dir/home" ]; then
    home=$(cat "$dir/home")
    as_server "$bin/pg_ctl" -D "$home/data" -m fast -w stop >/dev/null 2>&1 || true
    case "$home" in /tmp/dyad-pg.*) rm -rf "$home" ;; esac
  fi
  rm -f "$dir/home" "$dir/url"
  ;;
*)
  echo "usage: $0 start|url|stop [DIR]" >&2
  exit 2
  ;;
esac
