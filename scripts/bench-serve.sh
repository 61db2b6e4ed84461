#!/bin/sh
# Load benchmark of `dyad serve` (a benchmark, not a test): fills a SQLite store with
# synthetic events through the store's ingest API (dyad-fill-store), starts `dyad serve` on
# 127.0.0.1 and runs wrk (Debian's) against the events and series endpoints with 16 and 64
# connections. Prints requests/s, p50/p99 latency and errors for each.
#   usage: scripts/bench-serve.sh [BUILD_DIR] [EVENTS] [SECONDS]
#   (defaults: build/release 1000000 20; the store is kept in BUILD_DIR/bench-serve/ and
#   reused while it has EVENTS events)
# Every request goes to this machine's loopback address; each wrk run is bounded in time.
set -eu
BUILD=${1:-build/release}
EVENTS=${2:-1000000}
SECONDS_PER_RUN=${3:-20}
DYAD=$BUILD/dyad
FILL=$BUILD/dyad-fill-store
for f in "$DYAD" "$FILL"; do
  [ -x "$f" ] || { echo "bench-serve: $f is missing: build first (make build)"; exit 2; }
done
command -v wrk >/dev/null || { echo "bench-serve: wrk is missing (apt-get install wrk)"; exit 2; }

DIR=$BUILD/bench-serve
mkdir -p "$DIR"
DB=$DIR/events-$EVENTS.db
if [ ! -f "$DB" ]; then
  echo "== filling $DB with $EVENTS synthetic events"
  "$FILL" "sqlite:$DB.tmp" "$EVENTS" 1
  mv "$DB.tmp" "$DB"
  for x in -wal -shm; do [ -f "$DB.tmp$x" ] && mv "$DB.tmp$x" "$DB$x"; done
fi

PORT=$(( 20000 + $$ % 20000 ))
"$DYAD" serve --store "sqlite:$DB" --port "$PORT" --no-coding --quiet > "$DIR/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT INT TERM
i=0
until grep -q "listening on" "$DIR/serve.log" 2>/dev/null; do
  i=$((i + 1))
  [ $i -gt 300 ] && { echo "bench-serve: dyad serve did not start"; cat "$DIR/serve.log"; exit 1; }
  kill -0 $PID 2>/dev/null || { echo "bench-serve: dyad serve exited"; cat "$DIR/serve.log"; exit 1; }
  sleep 0.1
done
BASE=http://127.0.0.1:$PORT
head -n 1 "$DIR/serve.log"
echo "machine: $(nproc) cores; $(uname -sr)"

run() {  # name, connections, path
  out=$(wrk -t 2 -c "$2" -d "${SECONDS_PER_RUN}s" --timeout 10s --latency "$BASE$3")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  sock=$(echo "$out" | awk '/Socket errors/ {sub(/.*Socket errors: /, ""); print}')
  printf '%-34s %4s conn  %9s req/s  p50 %8s  p99 %8s  %8s requests  non-2xx %s  socket errors %s\n' \
    "$1" "$2" "$rps" "$p50" "$p99" "$reqs" "${non2xx:-0}" "${sock:-none}"
}

echo "== wrk, ${SECONDS_PER_RUN} s per run, 2 threads"
for c in 16 64; do
  run "events (page of 50)" $c "/api/events?limit=50"
  run "events actor=IRN, 2020" $c "/api/events?actor=IRN&from=2020-01-01&to=2020-12-31&limit=50"
  run "events newest, offset 5000" $c "/api/events?order=newest&offset=5000&limit=50"
  run "series week x quad_class" $c "/api/series?by=week&group=quad_class"
  run "series month, dyad IRN>IRQ" $c "/api/series?by=month&source=IRN&target=IRQ"
  run "countries" $c "/api/countries"
done
