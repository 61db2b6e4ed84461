#!/bin/sh
# `dyad train` end to end on a tiny treebank of our own: a whole model from the CLI, a second
# parser with another seed, the two combined into one model (`dyad train combine`) that still
# parses its treebank, and the errors a user can make on the way.
DYAD="$1"
ROOT="$2"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Rows are written with spaces for tabs (no form contains a space).
tr ' ' '\t' >"$tmp/tb.conllu" <<'EOF'
# text = Rebels attacked the village.
1 Rebels rebel NOUN NNS Number=Plur 2 nsubj _ _
2 attacked attack VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ _
3 the the DET DT Definite=Def|PronType=Art 4 det _ _
4 village village NOUN NN Number=Sing 2 obj _ SpaceAfter=No
5 . . PUNCT . _ 2 punct _ _

# text = The minister met two envoys.
1 The the DET DT Definite=Def|PronType=Art 2 det _ _
2 minister minister NOUN NN Number=Sing 3 nsubj _ _
3 met meet VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ _
4 two two NUM CD NumType=Card 5 nummod _ _
5 envoys envoy NOUN NNS Number=Plur 3 obj _ SpaceAfter=No
6 . . PUNCT . _ 3 punct _ _

# text = Police arrested the men in the city.
1 Police police NOUN NN Number=Sing 2 nsubj _ _
2 arrested arrest VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ _
3 the the DET DT Definite=Def|PronType=Art 4 det _ _
4 men man NOUN NNS Number=Plur 2 obj _ _
5 in in ADP IN _ 7 case _ _
6 the the DET DT Definite=Def|PronType=Art 7 det _ _
7 city city NOUN NN Number=Sing 2 obl _ SpaceAfter=No
8 . . PUNCT . _ 2 punct _ _

# text = She did not sign the deal.
1 She she PRON PRP Case=Nom|Number=Sing|Person=3 4 nsubj _ _
2 did do AUX VBD Mood=Ind|Tense=Past|VerbForm=Fin 4 aux _ _
3 not not PART RB _ 4 advmod _ _
4 sign sign VERB VB VerbForm=Inf 0 root _ _
5 the the DET DT Definite=Def|PronType=Art 6 det _ _
6 deal deal NOUN NN Number=Sing 4 obj _ SpaceAfter=No
7 . . PUNCT . _ 4 punct _ _

EOF
train() {
  "$DYAD" train "$@" --train "$tmp/tb.conllu" --dev "$tmp/tb.conllu" --lang "$ROOT/data/lang/en" \
    --epochs 20 --jackknife 0 2>"$tmp/err" || { cat "$tmp/err"; fail "dyad train $*"; }
}
train all --seed 1 -o "$tmp/a.dyadm"
train parser --model "$tmp/a.dyadm" --seed 2 -o "$tmp/b.dyadm"
"$DYAD" train combine "$tmp/a.dyadm" "$tmp/b.dyadm" --max-features 0 -o "$tmp/ab.dyadm" \
  2>"$tmp/err" || { cat "$tmp/err"; fail "train combine"; }
grep -q "2 parsers" "$tmp/err" || { cat "$tmp/err"; fail "train combine does not say what it did"; }

# The combined model is a model: it loads, parses its treebank back, and records what it is.
"$DYAD" eval parse --model "$tmp/ab.dyadm" --gold "$tmp/tb.conllu" >"$tmp/eval" 2>/dev/null ||
  fail "eval with the combined model"
grep -E '^UAS +\| +100\.00' "$tmp/eval" >/dev/null || { cat "$tmp/eval"; fail "combined UAS"; }
grep -E '^LAS +\| +100\.00' "$tmp/eval" >/dev/null || { cat "$tmp/eval"; fail "combined LAS"; }
"$DYAD" version --model "$tmp/ab.dyadm" >"$tmp/meta" || fail "version --model"
grep -q "parser.combined: 2 parsers, max_features=0: a.dyadm (.*seed=1.*) + b.dyadm (.*seed=2" \
  "$tmp/meta" || { cat "$tmp/meta"; fail "no parser.combined record"; }
cmp -s "$tmp/a.dyadm" "$tmp/ab.dyadm" && fail "the combined model is the first model"

# Deterministic: the same inputs give the same bytes.
"$DYAD" train combine "$tmp/a.dyadm" "$tmp/b.dyadm" --max-features 0 -o "$tmp/ab2.dyadm" \
  2>/dev/null || fail "second combine"
cmp -s "$tmp/ab.dyadm" "$tmp/ab2.dyadm" || fail "combine is not deterministic"

# Errors: one model, no output, a missing file, a model without a parser, other relations.
expect_usage() {
  "$DYAD" train combine "$@" >"$tmp/out" 2>&1
  [ $? -eq 2 ] || { cat "$tmp/out"; fail "train combine $*: expected exit 2"; }
}
expect_usage "$tmp/a.dyadm" -o "$tmp/x.dyadm"
grep -q "at least two" "$tmp/out" || fail "one model: $(cat "$tmp/out")"
expect_usage "$tmp/a.dyadm" "$tmp/b.dyadm"
grep -q -- "-o is required" "$tmp/out" || fail "no output: $(cat "$tmp/out")"
expect_usage "$tmp/a.dyadm" "$tmp/missing.dyadm" -o "$tmp/x.dyadm"
grep -q "missing.dyadm" "$tmp/out" || fail "missing file: $(cat "$tmp/out")"
"$DYAD" train tagger --train "$tmp/tb.conllu" --dev "$tmp/tb.conllu" --epochs 2 \
  -o "$tmp/tagger-only.dyadm" 2>/dev/null || fail "train tagger"
expect_usage "$tmp/a.dyadm" "$tmp/tagger-only.dyadm" -o "$tmp/x.dyadm"
grep -q "has no parser" "$tmp/out" || fail "no parser: $(cat "$tmp/out")"
sed 's/\tdet\t/\tdet:art\t/' "$tmp/tb.conllu" >"$tmp/other.conllu"
"$DYAD" train parser --model "$tmp/a.dyadm" --train "$tmp/other.conllu" --dev "$tmp/other.conllu" \
  --epochs 2 --jackknife 0 -o "$tmp/other.dyadm" 2>/dev/null || fail "train other parser"
expect_usage "$tmp/a.dyadm" "$tmp/other.dyadm" -o "$tmp/x.dyadm"
grep -q "different relations" "$tmp/out" || fail "other relations: $(cat "$tmp/out")"
expect_usage "$tmp/a.dyadm" "$tmp/b.dyadm" --train "$tmp/tb.conllu" -o "$tmp/x.dyadm"
grep -q "not --train" "$tmp/out" || fail "combine with --train: $(cat "$tmp/out")"
[ -e "$tmp/x.dyadm" ] && fail "a failed combine wrote its output"
echo "ok"
