#!/bin/sh
# `dyad parse` end to end on a short sample of the project's own: the CoNLL-U must equal the
# reference in tests/cli/expected/parse-sample.conllu, and be byte-identical for 1 and 2
# threads and for stdin. After retraining the model, regenerate and review the diff:
#   sh tests/cli/parse.sh build/release/dyad . --update
DYAD="$1"
SRC="${2:-$(cd "$(dirname "$0")/../.." && pwd)}"
[ -f "$SRC/models/en-ewt.dyadm" ] || { echo "models/en-ewt.dyadm missing: skipping"; exit 77; }
cd "$SRC" || exit 1
IN="tests/cli/data/parse-sample.txt"  # relative: the document id is the path
EXP="$SRC/tests/cli/expected/parse-sample.conllu"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$DYAD" parse --quiet "$IN" > "$tmp/out" || fail "parse exited $?"
if [ "$3" = "--update" ]; then cp "$tmp/out" "$EXP"; echo "updated $EXP"; exit 0; fi
diff -u "$EXP" "$tmp/out" || fail "output differs from the reference"
"$DYAD" parse --quiet --threads 2 "$IN" | cmp -s - "$tmp/out" || fail "--threads 2 differs"
# stdin gets the document id "<stdin>"; everything else is the same.
"$DYAD" parse --quiet - < "$IN" | sed 's/<stdin>/X/g' > "$tmp/stdin"
sed "s#$IN#X#g" "$tmp/out" | cmp -s - "$tmp/stdin" || fail "stdin output differs"
# Every sentence has exactly one root and heads within the sentence.
awk -F'\t' '/^$/{ if (roots != 1) bad = 1; roots = 0; next }
  /^[0-9]+\t/ { if ($7 == 0) roots++; if ($7 > n) {} }
  END { exit bad }' "$tmp/out" || fail "a sentence without exactly one root"
# Hostile input: invalid UTF-8, NUL bytes and a long unpunctuated line still give CoNLL-U.
printf 'caf\351 \000 ok\n' > "$tmp/bad.txt"
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "word%d ", i; print "" }' >> "$tmp/bad.txt"
"$DYAD" parse --quiet "$tmp/bad.txt" > "$tmp/bad.conllu" 2>/dev/null || fail "hostile input exited $?"
grep -q "^# text = " "$tmp/bad.conllu" || fail "hostile input gave no sentences"
# A missing or corrupted model is a clear error with exit 2.
"$DYAD" parse --model /nonexistent.dyadm "$IN" > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "missing model must exit 2"
grep -q "/nonexistent.dyadm" "$tmp/err" || fail "the error must name the model file"
head -c 5000 "$SRC/models/en-ewt.dyadm" > "$tmp/cut.dyadm"
"$DYAD" parse --model "$tmp/cut.dyadm" "$IN" > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "truncated model must exit 2"
echo ok
