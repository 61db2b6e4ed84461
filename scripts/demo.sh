#!/bin/sh
# `make demo`: runs dyad's main job on the project's own sample news, and on the press
# release in ../shared when it is there.
set -e
DYAD="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
echo "== dyad --version"
"$DYAD" --version
echo
echo "== dyad parse data/samples/news.txt (the first sentence, CoNLL-U)"
"$DYAD" parse --quiet data/samples/news.txt -o /tmp/dyad-demo.conllu
awk '/^$/{ print; exit } { print }' /tmp/dyad-demo.conllu
echo "(all of it: /tmp/dyad-demo.conllu)"
echo
echo "== dyad code data/samples/news.txt: who did what to whom"
"$DYAD" code --format tsv --date 2026-03-02 data/samples/news.txt -o /tmp/dyad-demo.tsv
grep -v '^#' /tmp/dyad-demo.tsv | cut -f1-12 | column -t -s "$(printf '\t')" 2>/dev/null ||
  grep -v '^#' /tmp/dyad-demo.tsv
echo "(JSONL with provenance: dyad code data/samples/news.jsonl; why: dyad code --explain ...)"
SEED="$ROOT/../shared/data/seed/ncri-2013-09-24-camp-liberty.txt"
if [ -f "$SEED" ]; then
  echo
  echo "== dyad code on the press release in ../shared/data/seed"
  "$DYAD" code --format tsv --date 2013-09-24 "$SEED" -o /tmp/dyad-demo-seed.tsv
  grep -v '^#' /tmp/dyad-demo-seed.tsv | cut -f1-12 | column -t -s "$(printf '\t')" 2>/dev/null ||
    grep -v '^#' /tmp/dyad-demo-seed.tsv
fi
echo
echo "== dyad code --store: the sample news into an SQLite event store"
DB="$ROOT/build/demo-events.db"
rm -f "$DB"
"$DYAD" code --quiet --store "sqlite:$DB" data/samples/news.jsonl
"$DYAD" query --store "sqlite:$DB" --by month --format table
echo
echo "Explore the events in the dashboard (a world map, time series, the sentences behind them):"
echo "  $DYAD serve --store sqlite:$DB --port 8080"
echo "  then open http://127.0.0.1:8080/ in a browser"
