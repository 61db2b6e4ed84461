#!/bin/sh
# The corrupted-input suite: generates broken inputs (at test time; nothing big is committed)
# and reads each with the document reader. Every file must be read to its end without a crash
# or a hang (60 s each), with bounded memory, every record accounted for (corrupt_check checks
# that), and the expected rejection naming the file and the line.
#   run.sh CORRUPT_CHECK
CHECK=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$CHECK" gen "$tmp" || fail "generating the inputs"
TIME=""
[ -x /usr/bin/time ] && TIME="/usr/bin/time -f %M -o $tmp/rss"

# expect FILE PATTERN...: reading FILE succeeds and its output matches every pattern (grep -E).
expect() {
  f=$1
  shift
  timeout 60 $TIME "$CHECK" read "$tmp/$f" >"$tmp/out" 2>&1
  rc=$?
  [ $rc -eq 124 ] && fail "$f: hung (over 60 s)"
  [ $rc -eq 0 ] || fail "$f: exit $rc: $(head -c 600 "$tmp/out")"
  if [ -n "$TIME" ]; then
    rss=$(tail -1 "$tmp/rss")
    # Default limits: lines of 4 MB, documents of 1 MB, HTML files of 16 MB.
    [ "$rss" -lt 200000 ] || fail "$f: peak RSS ${rss} KB"
  fi
  for p in "$@"; do
    grep -Eq -- "$p" "$tmp/out" || fail "$f: no line matching '$p' in: $(head -c 600 "$tmp/out")"
  done
}

T=$(echo "$tmp" | sed 's/[.]/[.]/g')
expect truncated.jsonl "^DOC $T/truncated.jsonl:1 a " "^REJ $T/truncated.jsonl:2: invalid JSON"
for e in txt jsonl xml html conllu; do
  expect garbage.$e "^(REJ|DOC) $T/garbage.$e" "^END [1-9]"
done
expect garbage.txt "^REJ $T/garbage.txt:1: not UTF-8 and not repairable"
expect garbage.jsonl.gz "^REJ $T/garbage.jsonl.gz:1: corrupt gzip stream"
expect garbage.jsonl.zst "^REJ $T/garbage.jsonl.zst:1: corrupt zstd stream"
expect invalid-utf8.jsonl "^DOC $T/invalid-utf8.jsonl:1 u "
expect invalid-utf8.txt "^DOC $T/invalid-utf8.txt:1 "
expect latin1.txt "^DOC $T/latin1.txt:1 .* windows-1252$"
expect latin1.jsonl "^DOC $T/latin1.jsonl:1 l .* windows-1252$"
expect utf16.txt "^REJ $T/utf16.txt: not UTF-8 and not repairable: UTF-16"
expect longline.jsonl "^REJ $T/longline.jsonl:1: line of 10.0 MB exceeds --max-line-bytes" \
  "^DOC $T/longline.jsonl:2 after "
expect longline.txt "^REJ $T/longline.txt:1: line of 10.0 MB exceeds --max-doc-bytes"
expect longline.conllu "^REJ $T/longline.conllu:1: line of 10.0 MB" "^DOC $T/longline.conllu:3 "
for f in empty.txt empty.jsonl empty.xml empty.html empty.conllu empty.jsonl.gz blank.jsonl; do
  expect $f "^REJ $T/$f: the file holds no documents" "^END 1 records"
done
expect deep.html "^REJ $T/deep.html: HTML nested deeper than"
expect deep-inline.html "^(REJ|DOC) $T/deep-inline.html"
expect deep-tables.html "^(REJ|DOC) $T/deep-tables.html"
expect bomb.xml "^REJ $T/bomb.xml:[0-9]+: .*(the rest of the file was not read)" "^END 1 records"
expect external.xml "^REJ $T/external.xml:[0-9]+: " "^END 1 records"
expect truncated.xml "^DOC $T/truncated.xml:2 t1 " "^REJ $T/truncated.xml:[0-9]+: .*rest of the file"
expect truncated.jsonl.gz "^DOC $T/truncated.jsonl.gz:1 n0 " \
  "^REJ $T/truncated.jsonl.gz:[0-9]+: truncated gzip stream"
expect truncated.jsonl.zst "^REJ $T/truncated.jsonl.zst:[0-9]+: truncated zstd stream"
expect corrupt.jsonl.gz "^DOC $T/corrupt.jsonl.gz:1 n0 " "^REJ $T/corrupt.jsonl.gz:[0-9]+: corrupt gzip stream"
expect nul.jsonl "^REJ $T/nul.jsonl:1: invalid JSON"
expect deep.jsonl "^REJ $T/deep.jsonl:1: invalid JSON"
expect bad.conllu "^REJ $T/bad.conllu:2: CoNLL-U: expected 10" "^REJ $T/bad.conllu:4: CoNLL-U: .*cycle" \
  "^DOC $T/bad.conllu:8 "
expect bad-dates.jsonl "^REJ $T/bad-dates.jsonl:1: date '03/04/2026' is ambiguous" \
  "^REJ $T/bad-dates.jsonl:2: date '2026-02-30' is not a calendar date" "^DOC $T/bad-dates.jsonl:3 d3 "
# A file that does not exist, and a whole directory of all of the above at once.
timeout 60 "$CHECK" read "$tmp/missing.txt" >"$tmp/out" || fail "missing file: exit $?"
grep -q "^REJ $tmp/missing.txt: cannot open: " "$tmp/out" || fail "missing file: $(cat "$tmp/out")"
timeout 300 "$CHECK" read "$tmp" >"$tmp/all" || fail "the whole directory: exit $?"
n=$(ls "$tmp" | grep -cv '^\(out\|all\|rss\)$')
[ "$(grep -c ' \(records\)$' "$tmp/all")" -eq 1 ] || fail "directory run did not end"
echo "ok ($n corrupted inputs)"
