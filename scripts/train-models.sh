#!/bin/sh
# Retrains the shipped model from UD English EWT (see models/README.md). ~20 minutes.
set -e
DYAD="$1"
SHARED="${2:-../shared}"
UD="$SHARED/data/ud-english-ewt"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$UD/train.conllu" ] || { echo "needs $UD (the UD English EWT treebank)"; exit 2; }
/usr/bin/time -v "$DYAD" train all --train "$UD/train.conllu" --dev "$UD/dev.conllu" \
  --lang "$ROOT/data/lang/en" --seed 1 --name en-ewt -o "$ROOT/models/en-ewt.dyadm" 2>&1 |
  tee /tmp/dyad-train.log | grep -v -E '^\s+(Average|Socket|Page|File|Signals|Swaps|Exit|Minor|Major|Voluntary|Involuntary|Percent|System|User|Command|Elapsed|Maximum)' || true
grep -E 'Elapsed|Maximum resident' /tmp/dyad-train.log
echo "== dev"; "$DYAD" eval parse --gold "$UD/dev.conllu"
echo "== test (gold tokenisation)"; "$DYAD" eval parse --gold "$UD/test.conllu"
echo "== test (raw text)"; "$DYAD" eval parse --gold "$UD/test.conllu" --raw
