#!/bin/sh
# The pre-pass (parse only the sentences that can hold an event) must not change a single
# event: the whole BBC news corpus coded with and without it gives the same bytes, while the
# pre-pass parses fewer sentences.
DYAD="$1"
SRC="${2:-$(cd "$(dirname "$0")/../.." && pwd)}"
SHARED="${DYAD_SHARED:-$SRC/../shared}"
CORPUS="$SHARED/data/news/bbc-news-2004-2005.jsonl"
fail() { echo "FAIL: $*"; exit 1; }
[ -f "$CORPUS" ] || { echo "$CORPUS not found: skipping (set DYAD_SHARED)"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$SRC" || exit 1
"$DYAD" code --threads 2 --date 2005-01-01 "$CORPUS" -o "$tmp/pre.jsonl" 2>"$tmp/pre.log" ||
  fail "coding with the pre-pass exited $?: $(cat "$tmp/pre.log")"
"$DYAD" code --threads 2 --parse-all --date 2005-01-01 "$CORPUS" -o "$tmp/all.jsonl" \
  2>"$tmp/all.log" || fail "coding with --parse-all exited $?: $(cat "$tmp/all.log")"
cat "$tmp/pre.log" "$tmp/all.log"
cmp -s "$tmp/pre.jsonl" "$tmp/all.jsonl" || {
  diff "$tmp/pre.jsonl" "$tmp/all.jsonl" | head -20
  fail "the pre-pass changed the events"
}
events=$(grep -c '^{' "$tmp/pre.jsonl")
[ "$events" -gt 1000 ] || fail "only $events events from the corpus"
parsed() { sed -n 's/.* sentences (\([0-9]*\) parsed).*/\1/p' "$1"; }
total() { sed -n 's/.* documents, \([0-9]*\) sentences.*/\1/p' "$1"; }
[ "$(parsed "$tmp/all.log")" = "$(total "$tmp/all.log")" ] || fail "--parse-all skipped sentences"
[ "$(parsed "$tmp/pre.log")" -lt "$(total "$tmp/pre.log")" ] || fail "the pre-pass parsed everything"
echo "ok: $events identical events; parsed $(parsed "$tmp/pre.log") of $(total "$tmp/pre.log") sentences"
