#!/bin/sh
# The coder's rules as data: `dyad validate` on every tests/coder/*.xml (records written for
# dyad, with their own dictionaries) must pass every record. Skipped without the parser model.
DYAD="$1"
SRC="${2:-$(cd "$(dirname "$0")/../.." && pwd)}"
fail() { echo "FAIL: $*"; exit 1; }
[ -f "$SRC/models/en-ewt.dyadm" ] || { echo "models/en-ewt.dyadm missing: skipping"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
bad=0
for xml in "$SRC"/tests/coder/*.xml; do
  n=$((n + 1))
  "$DYAD" validate "$xml" --quiet >"$tmp/out" 2>"$tmp/err"
  rc=$?
  last=$(tail -n 1 "$tmp/out")
  if [ $rc -ne 0 ]; then
    echo "FAIL: $(basename "$xml"): validate exited $rc: $(cat "$tmp/err")"
    bad=$((bad + 1))
  elif ! echo "$last" | grep -Eq '^[0-9]+ passed, 0 failed$'; then
    echo "FAIL: $(basename "$xml"): $last"
    grep -A4 '^FAIL' "$tmp/out"
    bad=$((bad + 1))
  fi
done
[ "$n" -gt 0 ] || fail "no tests/coder/*.xml"
[ "$bad" -eq 0 ] || fail "$bad of $n coder record files failed"
echo "ok: $n coder record files pass"
