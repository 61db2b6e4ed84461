#!/bin/sh
# The dictionary maintainer's tools. `dyad dict diff OLD NEW`: entries added, removed and
# recoded, the validation records whose events change (and whether they now fail), the corpus
# events gained and lost. `dyad actors suggest`: frequent subjects and objects no entry covers.
# Uses the invented Middle-earth dictionaries of tests/coder.
DYAD="$1"
SRC="${2:-$(cd "$(dirname "$0")/../.." && pwd)}"
fail() { echo "FAIL: $*"; exit 1; }
[ -f "$SRC/models/en-ewt.dyadm" ] || { echo "models/en-ewt.dyadm missing: skipping"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$SRC" || exit 1
mkdir -p "$tmp/old" "$tmp/new"
for d in old new; do
  cp tests/coder/middle-earth.*.txt "$tmp/$d/"
  cat >"$tmp/$d/PETR_config.ini" <<'INI'
[Dictionaries]
verbfile_name = middle-earth.verbs.txt
actorfile_list = middle-earth.actors.txt
agentfile_name = middle-earth.agents.txt
discardfile_name = middle-earth.discards.txt
INI
done
# The new edition recodes Rohan and adds an actor.
sed -i 's/^ROHAN_ \[ROH\]/ROHAN_ [RHN]/' "$tmp/new/middle-earth.actors.txt"
printf 'LOTHLORIEN_ [LOR]\n' >>"$tmp/new/middle-earth.actors.txt"

"$DYAD" dict diff "$tmp/old/PETR_config.ini" "$tmp/old/PETR_config.ini" >"$tmp/same" ||
  fail "diff of a dictionary with itself: exit $?"
grep -q "^actors .* 0 added, 0 removed, 0 changed" "$tmp/same" || fail "self diff: $(cat "$tmp/same")"

cat >"$tmp/corpus.jsonl" <<'JSON'
{"id": "c1", "date": "2005-06-01", "text": "Gondor criticized Rohan over the border. Arnor praised Gondor."}
{"id": "c2", "date": "2005-06-01", "text": "The weather in Lothlorien was mild."}
JSON
"$DYAD" dict diff "$tmp/old/PETR_config.ini" "$tmp/new/PETR_config.ini" \
  --records tests/coder/agents.xml --corpus "$tmp/corpus.jsonl" >"$tmp/diff" 2>"$tmp/err"
[ $? -eq 1 ] || fail "diff of different dictionaries should exit 1: $(cat "$tmp/err")"
grep -q "^    + LOTHLORIEN  LOR" "$tmp/diff" || fail "added actor not listed: $(cat "$tmp/diff")"
grep -q "^    ~ ROHAN  ROH -> RHN" "$tmp/diff" || fail "recoded actor not listed: $(cat "$tmp/diff")"
grep -q "AGT-01 .*now FAILS" "$tmp/diff" || fail "record AGT-01 should now fail: $(cat "$tmp/diff")"
grep -q "^records .* passed [0-9]* -> [0-9]*" "$tmp/diff" || fail "no records summary"
grep -q "    - GON ROH 111" "$tmp/diff" || fail "lost corpus event not listed: $(cat "$tmp/diff")"
grep -q "    + GON RHN 111" "$tmp/diff" || fail "gained corpus event not listed: $(cat "$tmp/diff")"
grep -q "^corpus .* 2 documents .* 1 gained, 1 lost" "$tmp/diff" || fail "corpus summary: $(grep '^corpus' "$tmp/diff")"

"$DYAD" dict diff "$tmp/old/PETR_config.ini" 2>"$tmp/err"
[ $? -eq 2 ] || fail "diff with one dictionary: expected exit 2"

# actors suggest: "the Ents" and "Treebeard" act but no entry covers them; Gondor is covered.
cat >"$tmp/ents.jsonl" <<'JSON'
{"id": "e1", "text": "Treebeard warned Gondor about the orcs. The Ents attacked Isengard on Monday."}
{"id": "e2", "text": "Treebeard met the Ents in the forest. The Ents rejected the offer from Rohan."}
{"id": "e3", "text": "Gondor thanked Treebeard for his help. Saruman blamed the Ents for the flood."}
JSON
"$DYAD" actors suggest --dict "$tmp/old/PETR_config.ini" --min-count 2 --format tsv \
  "$tmp/ents.jsonl" >"$tmp/suggest" 2>"$tmp/err" || fail "actors suggest exited $?: $(cat "$tmp/err")"
grep -q "^Treebeard	3	" "$tmp/suggest" || fail "Treebeard not suggested 3 times: $(cat "$tmp/suggest")"
grep -qi "^Ents	" "$tmp/suggest" || fail "the Ents not suggested: $(cat "$tmp/suggest")"
grep -q "TREEBEARD_  \[???\]" "$tmp/suggest" || fail "no dictionary line skeleton"
grep -qi "^Gondor	" "$tmp/suggest" && fail "Gondor is in the dictionary but was suggested"
"$DYAD" actors suggest --dict "$tmp/old/PETR_config.ini" --format jsonl --min-count 2 \
  "$tmp/ents.jsonl" 2>/dev/null | grep -q '"phrase":"Treebeard","count":3' || fail "jsonl output"
echo ok
