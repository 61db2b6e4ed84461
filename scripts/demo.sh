#!/bin/sh
# `make demo`: runs dyad's main job on the project's own sample text.
set -e
DYAD="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
echo "== dyad --version"
"$DYAD" --version
echo
echo "== dyad parse data/samples/news.txt (first two sentences of CoNLL-U)"
"$DYAD" parse "$ROOT/data/samples/news.txt" -o /tmp/dyad-demo.conllu
awk 'BEGIN{n=0} /^$/{n++; print; if (n==2) exit; next} {print}' /tmp/dyad-demo.conllu
echo "(full output: /tmp/dyad-demo.conllu)"
SEED="$ROOT/../shared/data/seed/ncri-2013-09-24-camp-liberty.txt"
if [ -f "$SEED" ]; then
  echo
  echo "== dyad parse on the press release in ../shared/data/seed"
  "$DYAD" parse "$SEED" -o /tmp/dyad-demo-seed.conllu
fi
