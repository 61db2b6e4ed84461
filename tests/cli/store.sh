#!/bin/sh
# `dyad code --store` and `dyad query` end to end, on SQLite and on a throwaway PostgreSQL
# cluster (scripts/pg-test-cluster.sh): the sample news coded into the store give as many
# events as `dyad code` prints; coding them again adds none; the filters, the series, the
# formats and the usage errors of `dyad query`.
DYAD="$1"
SRC="${2:-$(cd "$(dirname "$0")/../.." && pwd)}"
fail() { echo "FAIL: $*"; exit 1; }
for f in models/en-ewt.dyadm data/dict/phoenix.dyadd data/samples/news.jsonl; do
  [ -f "$SRC/$f" ] || { echo "$f missing: skipping"; exit 77; }
done
tmp=$(mktemp -d) || exit 1
trap 'sh "$SRC/scripts/pg-test-cluster.sh" stop "$tmp/pg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
cd "$SRC" || exit 1

"$DYAD" query --help | grep -q "^usage: dyad query" || fail "query --help"
"$DYAD" code --quiet data/samples/news.jsonl >"$tmp/events.jsonl" || fail "dyad code exited $?"
n=$(wc -l <"$tmp/events.jsonl")
[ "$n" -gt 0 ] || fail "no events in the sample news"
irn=$(grep -c '"source":"IRN\|"target":"IRN' "$tmp/events.jsonl")

pg=$(sh scripts/pg-test-cluster.sh start "$tmp/pg") || fail "could not start PostgreSQL"
for url in "sqlite:$tmp/events.db" "$pg"; do
  # --store alone: nothing on stdout.
  "$DYAD" code --quiet --store "$url" data/samples/news.jsonl >"$tmp/out" || fail "code --store $url"
  [ -s "$tmp/out" ] && fail "--store alone wrote events to stdout"
  # --store with -o: both.
  "$DYAD" code --quiet --store "$url" -o "$tmp/again.jsonl" data/samples/news.jsonl ||
    fail "code --store -o $url"
  cmp -s "$tmp/again.jsonl" "$tmp/events.jsonl" || fail "-o with --store differs from plain -o"
  got=$("$DYAD" query --store "$url" --count --format csv | tail -n 1)
  [ "$got" = "$n" ] || fail "$url: $got events stored after coding twice, $n coded"
  runs=$("$DYAD" query --store "$url" --stats --format csv | tail -n 1 | cut -d, -f3)
  [ "$runs" = 2 ] || fail "$url: $runs runs recorded, not 2"
  got=$("$DYAD" query --store "$url" --actor IRN --count --format csv | tail -n 1)
  [ "$got" = "$irn" ] || fail "$url: --actor IRN gives $got, the output has $irn"
  # Events: csv by default when not on a terminal, a header and one line per event.
  lines=$("$DYAD" query --store "$url" --limit 10000 | wc -l)
  [ "$lines" = $((n + 1)) ] || fail "$url: $lines csv lines for $n events"
  "$DYAD" query --store "$url" --format jsonl --limit 1 | grep -q '^{"id":[0-9]*,"date":"' ||
    fail "$url: jsonl"
  "$DYAD" query --store "$url" --format table --limit 3 2>/dev/null | sed -n 2p | grep -q '^--' ||
    fail "$url: table"
  # Series: the weekly counts add up to the events.
  sum=$("$DYAD" query --store "$url" --by week --format csv | awk -F, 'NR > 1 { s += $2 } END { print s }')
  [ "$sum" = "$n" ] || fail "$url: weekly series sums to $sum, not $n"
  "$DYAD" query --store "$url" --by month --by-quad-class --format csv | head -n 1 |
    grep -q '^month,quad_class,events,reports,goldstein_sum,goldstein_mean$' || fail "$url: quad series"
  "$DYAD" query --store "$url" --by day --by-dyad --top 3 --one-a-day --format csv | head -n 1 |
    grep -q '^day,source,target,events,reports' || fail "$url: dyad series"
  "$DYAD" query --store "$url" --countries --format csv | head -n 1 |
    grep -q '^country,events,as_source,as_target$' || fail "$url: countries"
  id=$("$DYAD" query --store "$url" --limit 1 --format csv | sed -n 2p | cut -d, -f1)
  "$DYAD" query --store "$url" --event "$id" --format jsonl | grep -q "\"id\":$id," ||
    fail "$url: --event $id"
  # Hostile values are values.
  got=$("$DYAD" query --store "$url" --actor "IRN' OR '1'='1" --count --format csv | tail -n 1)
  [ "$got" = 0 ] || fail "$url: injection through --actor matched $got events"
  got=$("$DYAD" query --store "$url" --count --format csv | tail -n 1)
  [ "$got" = "$n" ] || fail "$url: the store changed"
done

# Usage errors: exit 2.
for args in "--count" "--store sqlite:$tmp/events.db --from 2013-9-1" \
  "--store sqlite:$tmp/events.db --quad-class 7" "--store sqlite:$tmp/events.db --by year" \
  "--store sqlite:$tmp/events.db --by-dyad" "--store sqlite:$tmp/events.db --format xml" \
  "--store sqlite:$tmp/events.db --limit 20000" "--store sqlite:$tmp/no/such/dir/x.db --count"; do
  # shellcheck disable=SC2086
  "$DYAD" query $args >/dev/null 2>&1
  [ $? -eq 2 ] || fail "dyad query $args: not a usage error"
done
echo ok
