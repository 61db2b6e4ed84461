#!/bin/sh
# The shipped model on UD English EWT dev, scored by `dyad eval parse`, with loose floors so
# that a broken tokenizer, tagger or parser fails here (the measured figures are in
# models/README.md). Skipped when ../shared is absent.
DYAD="$1"
SRC="${2:-$(cd "$(dirname "$0")/../.." && pwd)}"
SHARED="${DYAD_SHARED:-$SRC/../shared}"
DEV="$SHARED/data/ud-english-ewt/dev.conllu"
[ -f "$DEV" ] || { echo "$DEV not found: skipping the accuracy test (needs ../shared)"; exit 77; }
[ -f "$SRC/models/en-ewt.dyadm" ] || { echo "models/en-ewt.dyadm missing: skipping"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$DYAD" eval parse --gold "$DEV" --threads 2 > "$tmp/gold" || { echo "eval failed"; exit 1; }
"$DYAD" eval parse --gold "$DEV" --raw --threads 2 > "$tmp/raw" || { echo "eval --raw failed"; exit 1; }
cat "$tmp/gold" "$tmp/raw"
# metric file column floor
check() {
  v=$(awk -F'|' -v m="$2" '{ gsub(/ /, "", $1) } $1 == m { gsub(/ /, "", $'"$3"'); print $'"$3"' }' "$1")
  awk -v v="$v" -v f="$4" 'BEGIN { exit !(v + 0 >= f) }' ||
    { echo "FAIL: $2 = $v, below the floor $4 ($1)"; exit 1; }
}
check "$tmp/gold" UPOS 4 93.0
check "$tmp/gold" Lemmas 4 95.0
check "$tmp/gold" UAS 4 85.0
check "$tmp/gold" LAS 4 81.0
check "$tmp/raw" Tokens 4 98.5
check "$tmp/raw" Sentences 4 80.0
check "$tmp/raw" LAS 4 76.0
echo ok
