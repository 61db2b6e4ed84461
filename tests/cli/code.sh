#!/bin/sh
# `dyad code` end to end: the project's sample news (data/samples/) coded with the shipped
# model and dictionary must give the reference events in tests/cli/expected/ (the model and
# dictionary fingerprints are left out of the comparison, the events are not). Also: output
# identical for 1 and 2 threads, the tsv/phoenix layouts, PETRARCH XML input, rejections
# (exit 1), usage errors (exit 2), --explain.
#
# After a deliberate change to the model, the dictionaries or the coder, regenerate the
# references and review the diff:  sh tests/cli/code.sh build/release/dyad . --update
DYAD="$1"
SRC="${2:-$(cd "$(dirname "$0")/../.." && pwd)}"
UPDATE="$3"
EXP="$SRC/tests/cli/expected"
fail() { echo "FAIL: $*"; exit 1; }
for f in models/en-ewt.dyadm data/dict/phoenix.dyadd; do
  [ -f "$SRC/$f" ] || { echo "$f missing: skipping"; exit 77; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# The fingerprints change with every retraining; the events are what the references pin.
strip() { sed -e 's/,"model":"[0-9a-f]*","dict":"[0-9a-f]*"}$/}/' -e '/^# dyad /d' "$1"; }

"$DYAD" code --help | grep -q "^usage: dyad code" || fail "code --help"

# The references.
cd "$SRC" || exit 1
"$DYAD" code --quiet --date 2026-03-02 data/samples/news.txt >"$tmp/news.txt.jsonl" ||
  fail "coding news.txt exited $?"
"$DYAD" code --quiet data/samples/news.jsonl >"$tmp/news.jsonl.jsonl" ||
  fail "coding news.jsonl exited $?"
"$DYAD" code --quiet --format phoenix data/samples/news.jsonl >"$tmp/news.jsonl.phoenix" ||
  fail "coding news.jsonl (phoenix) exited $?"
if [ "$UPDATE" = "--update" ]; then
  mkdir -p "$EXP"
  for f in news.txt.jsonl news.jsonl.jsonl news.jsonl.phoenix; do
    strip "$tmp/$f" >"$EXP/$f"
  done
  echo "references updated in $EXP"
  exit 0
fi
for f in news.txt.jsonl news.jsonl.jsonl news.jsonl.phoenix; do
  [ -f "$EXP/$f" ] || fail "no reference tests/cli/expected/$f: generate the references with
  sh tests/cli/code.sh <dyad> <source dir> --update, review and commit them"
  strip "$tmp/$f" >"$tmp/$f.stripped"
  diff "$EXP/$f" "$tmp/$f.stripped" >"$tmp/diff" || {
    head -40 "$tmp/diff"
    fail "$f differs from tests/cli/expected/$f (see above; --update to regenerate)"
  }
done
[ -s "$tmp/news.jsonl.jsonl" ] || fail "no events at all from news.jsonl"

# Every JSON line names the model and the dictionary.
grep -vc '"model":"[0-9a-f]\{16\}","dict":"[0-9a-f]\{16\}"}$' "$tmp/news.jsonl.jsonl" |
  grep -qx 0 || fail "a JSON line without model/dict fingerprints"

# Byte-identical whatever the number of threads.
"$DYAD" code --quiet --threads 2 --date 2026-03-02 data/samples/news.txt >"$tmp/t2.jsonl" ||
  fail "--threads 2 exited $?"
cmp -s "$tmp/news.txt.jsonl" "$tmp/t2.jsonl" || fail "--threads 2 output differs from --threads 1"
cat data/samples/news.jsonl data/samples/news.jsonl >"$tmp/twice.jsonl"
"$DYAD" code --quiet --threads 1 "$tmp/twice.jsonl" >"$tmp/a" || fail "twice.jsonl exited $?"
"$DYAD" code --quiet --threads 3 "$tmp/twice.jsonl" >"$tmp/b" || fail "twice.jsonl t3 exited $?"
cmp -s "$tmp/a" "$tmp/b" || fail "--threads 3 output differs from --threads 1"

# stdin is text.
"$DYAD" code --quiet --date 2026-03-02 - <data/samples/news.txt >"$tmp/stdin.jsonl" ||
  fail "stdin exited $?"
sed 's/"doc_id":"[^"]*"/"doc_id":""/' "$tmp/stdin.jsonl" >"$tmp/s1"
sed 's/"doc_id":"[^"]*"/"doc_id":""/' "$tmp/news.txt.jsonl" >"$tmp/s2"
cmp -s "$tmp/s1" "$tmp/s2" || fail "stdin gives other events than the file"

# tsv and phoenix: a "# dyad" line, a line of column names, then fixed column counts.
"$DYAD" code --quiet --format tsv data/samples/news.jsonl >"$tmp/tsv" || fail "tsv exited $?"
head -n 1 "$tmp/tsv" | grep -Eq '^# dyad [0-9.]+ tsv model [0-9a-f]{16} dict [0-9a-f]{16}$' ||
  fail "tsv header: $(head -n 1 "$tmp/tsv")"
awk -F '\t' 'NR > 1 && NF != 19 { exit 1 }' "$tmp/tsv" || fail "a tsv line without 19 columns"
head -n 1 "$tmp/news.jsonl.phoenix" | grep -q '^# dyad [0-9.]* phoenix model ' ||
  fail "phoenix header"
sed -n 2p "$tmp/news.jsonl.phoenix" | grep -q '^EventID	Date	Year	Month	Day	SourceActorFull' ||
  fail "phoenix column names"
awk -F '\t' 'NR > 1 && NF != 26 { exit 1 }' "$tmp/news.jsonl.phoenix" ||
  fail "a phoenix line without 26 columns"
[ $(($(wc -l <"$tmp/news.jsonl.phoenix") - 2)) -eq "$(wc -l <"$tmp/news.jsonl.jsonl")" ] ||
  fail "phoenix and jsonl give different numbers of events"

# PETRARCH XML input (records of our own), with a record that cannot be coded.
cat >"$tmp/in.xml" <<'XML'
<Sentences>
<!-- two sentences of our own -->
<Sentence date="20260302" id="OWN-1" source="test" sentence="True">
<Text>
Iraqi police arrested 12 men near Basra.
</Text>
</Sentence>
<Sentence date="2026030" id="OWN-2" source="test" sentence="True">
<Text>A bad date.</Text>
</Sentence>
</Sentences>
XML
"$DYAD" code --quiet --rejects "$tmp/rejects" "$tmp/in.xml" >"$tmp/xml.jsonl"
[ $? -eq 1 ] || fail "a rejected XML record must exit 1"
grep -q '"origin":".*in.xml:8","error":"date' "$tmp/rejects" ||
  fail "rejects file: $(cat "$tmp/rejects")"
grep -q '"doc_id":"OWN-2"' "$tmp/xml.jsonl" && fail "a rejected record gave events"

# Bad JSON lines are rejected, reported on stderr with file and line; the rest is coded.
printf '{"id":"x1","text":"Iraqi police arrested 12 men."}\n{"id":"x2",\n{"id":"x3","date":"03/02/2026","text":"Talks."}\n' >"$tmp/bad.jsonl"
"$DYAD" code --quiet "$tmp/bad.jsonl" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "bad JSON lines must exit 1"
grep -q "bad.jsonl:2: rejected" "$tmp/err" || fail "bad line not reported: $(cat "$tmp/err")"
grep -q "bad.jsonl:3: rejected: date" "$tmp/err" || fail "bad date not reported: $(cat "$tmp/err")"

# --explain: per sentence the coder's trace; the events still go to -o FILE.
"$DYAD" code --quiet --explain -o "$tmp/ev.jsonl" data/samples/news.jsonl >"$tmp/explain" ||
  fail "--explain exited $?"
grep -q "^=== document sample-001" "$tmp/explain" || fail "--explain: no document header"
grep -q "sentence 0: Foreign ministers" "$tmp/explain" || fail "--explain: no sentence trace"
cmp -s "$tmp/ev.jsonl" "$tmp/news.jsonl.jsonl" || fail "--explain -o changed the events"

# Saved web pages: the article body is coded, the menus and the footer are not; a gzipped
# JSONL file and a folder are read like the plain files.
cat >"$tmp/page.html" <<'HTML'
<!DOCTYPE html><html><head><title>Border talks</title>
<meta property="article:published_time" content="2026-03-05T09:00:00Z"></head>
<body><nav><a href="/">Home</a> Iran criticized Iraq in the menu.</nav>
<article><h1>Border talks</h1><p>Iraqi police arrested 12 men near Basra on Tuesday.</p></article>
<footer>Kenya praised Uganda in the footer.</footer></body></html>
HTML
"$DYAD" code --quiet "$tmp/page.html" >"$tmp/html.jsonl" || fail "coding HTML exited $?"
grep -q '"source":"IRQCOP","target":"---PPL","code":"173"' "$tmp/html.jsonl" ||
  fail "HTML article not coded: $(cat "$tmp/html.jsonl")"
grep -q '"date":"2026-03-05"' "$tmp/html.jsonl" || fail "HTML date not read"
grep -q 'KEN\|IRNGOV\|"source":"IRN"' "$tmp/html.jsonl" && fail "HTML boilerplate was coded"
mkdir -p "$tmp/folder/sub"
gzip -c data/samples/news.jsonl >"$tmp/folder/sub/news.jsonl.gz"
"$DYAD" code --quiet "$tmp/folder" >"$tmp/folder.jsonl" || fail "coding a folder exited $?"
cmp -s "$tmp/folder.jsonl" "$tmp/news.jsonl.jsonl" || fail "a gzipped JSONL in a folder coded differently"

# Usage and configuration errors exit 2.
for args in "--format csv" "--threads 0" "--input rtf" "--date 2026-13-01" \
            "--dict $tmp/no-such-dict" "--model $tmp/no-such-model" "$tmp/no-such-file.txt"; do
  # shellcheck disable=SC2086
  "$DYAD" code $args data/samples/news.txt >/dev/null 2>&1
  [ $? -eq 2 ] || fail "dyad code $args must exit 2"
done
echo ok
