#!/bin/sh
# Stopping and resuming `dyad code`: Ctrl-C (SIGINT) ends the run at a document boundary with
# exit 130 and a checkpoint; --resume continues it and the output equals an uninterrupted
# run's, bytes for bytes. The same after kill -9 (the checkpoint lags; the output is cut back
# to it). Also: --resume without -o is a usage error, a finished run has nothing to resume, a
# changed input is refused, and the progress line appears on a terminal only.
DYAD="$1"
SRC="${2:-$(cd "$(dirname "$0")/../.." && pwd)}"
fail() { echo "FAIL: $*"; exit 1; }
for f in models/en-ewt.dyadm data/dict/phoenix.dyadd; do
  [ -f "$SRC/$f" ] || { echo "$f missing: skipping"; exit 77; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$SRC" || exit 1

# An input that takes some seconds: the sample news many times over, each copy its own ids.
i=0
while [ $i -lt 1500 ]; do
  sed "s/\"id\": *\"\([^\"]*\)\"/\"id\": \"\1-$i\"/" data/samples/news.jsonl
  i=$((i + 1))
done >"$tmp/in.jsonl"
# One malformed record, so that --rejects is resumed too.
echo '{"id": "broken", "text": ' >>"$tmp/in.jsonl"
sed -n 1,3p data/samples/news.jsonl >>"$tmp/in.jsonl"

"$DYAD" code --quiet "$tmp/in.jsonl" -o "$tmp/full.jsonl" --rejects "$tmp/full.rej"
[ $? -eq 1 ] || fail "the reference run should exit 1 (one rejection)"
[ -f "$tmp/full.jsonl.dyad-resume" ] && fail "a finished run left its checkpoint"

run_until() {  # $1: signal; starts a run in the background and stops it after some output
  rm -f "$tmp/part.jsonl" "$tmp/part.rej" "$tmp/part.jsonl.dyad-resume"
  "$DYAD" code --quiet "$tmp/in.jsonl" -o "$tmp/part.jsonl" --rejects "$tmp/part.rej" &
  pid=$!
  n=0
  while [ $n -lt 300 ]; do  # until the run has written events and saved a checkpoint
    if [ -s "$tmp/part.jsonl.dyad-resume" ] &&
      [ "$(sed -n 's/^records //p' "$tmp/part.jsonl.dyad-resume")" -gt 0 ] 2>/dev/null; then
      break
    fi
    sleep 0.1
    n=$((n + 1))
  done
  kill "-$1" "$pid"
  wait "$pid"
  status=$?
}

run_until INT
[ $status -eq 130 ] || fail "SIGINT: exit $status, expected 130"
[ -f "$tmp/part.jsonl.dyad-resume" ] || fail "SIGINT: no checkpoint"
cmp -s "$tmp/part.jsonl" "$tmp/full.jsonl" && fail "SIGINT came too late to test anything"
"$DYAD" code --quiet --resume "$tmp/in.jsonl" -o "$tmp/part.jsonl" --rejects "$tmp/part.rej"
[ $? -eq 1 ] || fail "resumed run: expected exit 1"
cmp "$tmp/part.jsonl" "$tmp/full.jsonl" || fail "after SIGINT and --resume the events differ"
cmp "$tmp/part.rej" "$tmp/full.rej" || fail "after SIGINT and --resume the rejects differ"
[ -f "$tmp/part.jsonl.dyad-resume" ] && fail "the resumed run left its checkpoint"

run_until KILL
"$DYAD" code --quiet --resume "$tmp/in.jsonl" -o "$tmp/part.jsonl" --rejects "$tmp/part.rej"
[ $? -eq 1 ] || fail "resumed after kill -9: expected exit 1"
cmp "$tmp/part.jsonl" "$tmp/full.jsonl" || fail "after kill -9 and --resume the events differ"
cmp "$tmp/part.rej" "$tmp/full.rej" || fail "after kill -9 and --resume the rejects differ"

out=$("$DYAD" code --resume "$tmp/in.jsonl" -o "$tmp/part.jsonl" 2>&1)
[ $? -eq 0 ] || fail "resuming a finished run should do nothing and exit 0"
echo "$out" | grep -q "nothing to resume" || fail "finished run: $out"
cmp -s "$tmp/part.jsonl" "$tmp/full.jsonl" || fail "resuming a finished run changed its output"

"$DYAD" code --resume "$tmp/in.jsonl" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] || fail "--resume without -o: expected exit 2"
grep -q "needs -o" "$tmp/err" || fail "--resume without -o: $(cat "$tmp/err")"

run_until INT
echo '{"id": "late", "text": "One more."}' >>"$tmp/in.jsonl"
"$DYAD" code --quiet --resume "$tmp/in.jsonl" -o "$tmp/part.jsonl" --rejects "$tmp/part.rej" \
  2>"$tmp/err"
[ $? -eq 2 ] || fail "resuming over a changed input: expected exit 2"
grep -q "other input files or options" "$tmp/err" || fail "changed input: $(cat "$tmp/err")"

# The progress line: on a terminal (script(1) gives the run a pseudo-terminal), not in a pipe.
if command -v script >/dev/null 2>&1; then
  script -qec "\"$DYAD\" code data/samples/news.jsonl -o $tmp/tty.jsonl" "$tmp/tty.log" >/dev/null
  grep -q "docs/s" "$tmp/tty.log" || fail "no progress line on a terminal"
  grep -q "dyad code: " "$tmp/tty.log" || fail "no summary on a terminal"
fi
"$DYAD" code data/samples/news.jsonl -o "$tmp/pipe.jsonl" 2>"$tmp/pipe.log"
grep -q "docs/s" "$tmp/pipe.log" && fail "a progress line went to a file"
echo ok
