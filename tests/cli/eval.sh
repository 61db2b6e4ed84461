#!/bin/sh
# `dyad eval parse --system`: the CoNLL 2018 table for a small gold/system pair of our own.
# The system file has a wrong head ("the"), a wrong tag ("road"), a label subtype that LAS
# ignores ("nsubj:pass"), an unsplit multiword token ("didn't"), a token glued to its period
# ("ended.") and a missed sentence boundary; the expected figures were worked out by hand.
DYAD="$1"
"$DYAD" eval --help >/dev/null 2>&1 || { echo "dyad eval not available: skipping"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Rows are written with spaces for tabs (no form contains a space).
tr ' ' '\t' >"$tmp/gold.conllu" <<'EOF'
1 Protesters protester NOUN NNS Number=Plur 2 nsubj _ _
2 blocked block VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ _
3 the the DET DT Definite=Def|PronType=Art 4 det _ _
4 road road NOUN NN Number=Sing 2 obj _ SpaceAfter=No
5 . . PUNCT . _ 2 punct _ _

1 Police police NOUN NNS Number=Plur 4 nsubj _ _
2-3 didn't _ _ _ _ _ _ _ _
2 did do AUX VBD Mood=Ind|Tense=Past|VerbForm=Fin 4 aux _ _
3 n't not PART RB _ 4 advmod _ _
4 intervene intervene VERB VB VerbForm=Inf 0 root _ SpaceAfter=No
5 . . PUNCT . _ 4 punct _ _

1 Talks talk NOUN NNS Number=Plur 2 nsubj _ _
2 ended end VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ SpaceAfter=No
3 . . PUNCT . _ 2 punct _ _

1 Nobody nobody PRON NN Number=Sing|PronType=Neg 2 nsubj _ _
2 spoke speak VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ SpaceAfter=No
3 . . PUNCT . _ 2 punct _ _

EOF
tr ' ' '\t' >"$tmp/system.conllu" <<'EOF'
1 Protesters protester NOUN NNS Number=Plur 2 nsubj _ _
2 blocked block VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ _
3 the the DET DT Definite=Def|PronType=Art 2 det _ _
4 road road PROPN NNP Number=Sing 2 obj _ SpaceAfter=No
5 . . PUNCT . _ 2 punct _ _

1 Police police NOUN NNS Number=Plur 3 nsubj:pass _ _
2 didn't do AUX VBD Mood=Ind|Tense=Past|VerbForm=Fin 3 aux _ _
3 intervene intervene VERB VB VerbForm=Inf 0 root _ SpaceAfter=No
4 . . PUNCT . _ 3 punct _ _

1 Talks talk NOUN NNS Number=Plur 2 nsubj _ _
2 ended. end VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 0 root _ _
3 Nobody nobody PRON NN Number=Sing|PronType=Neg 4 nsubj _ _
4 spoke speak VERB VBD Mood=Ind|Tense=Past|VerbForm=Fin 2 parataxis _ SpaceAfter=No
5 . . PUNCT . _ 4 punct _ _

EOF

cat >"$tmp/expected" <<'EOF'
Metric     | Precision |    Recall |  F1 Score | AligndAcc
-----------+-----------+-----------+-----------+-----------
Tokens     |     92.86 |     86.67 |     89.66 |
Sentences  |     66.67 |     50.00 |     57.14 |
Words      |     85.71 |     75.00 |     80.00 |
UPOS       |     78.57 |     68.75 |     73.33 |     91.67
XPOS       |     78.57 |     68.75 |     73.33 |     91.67
UFeats     |     85.71 |     75.00 |     80.00 |    100.00
AllTags    |     78.57 |     68.75 |     73.33 |     91.67
Lemmas     |     85.71 |     75.00 |     80.00 |    100.00
UAS        |     64.29 |     56.25 |     60.00 |     75.00
LAS        |     64.29 |     56.25 |     60.00 |     75.00
CLAS       |     66.67 |     60.00 |     63.16 |     75.00
MLAS       |     33.33 |     30.00 |     31.58 |     37.50
BLEX       |     66.67 |     60.00 |     63.16 |     75.00
EOF

"$DYAD" eval --help | grep -q "^usage: dyad eval" || fail "dyad eval --help"
"$DYAD" eval parse --help | grep -q "^usage: dyad eval parse" || fail "dyad eval parse --help"

"$DYAD" eval parse --gold "$tmp/gold.conllu" --system "$tmp/system.conllu" >"$tmp/out" ||
  fail "eval parse exited $?"
diff "$tmp/expected" "$tmp/out" || fail "table differs (expected, got)"

# Gold against itself: 100 everywhere.
"$DYAD" eval parse --gold "$tmp/gold.conllu" --system "$tmp/gold.conllu" >"$tmp/self" ||
  fail "self eval exited $?"
[ "$(grep -c '|    100.00 |    100.00 |    100.00 |' "$tmp/self")" -eq 13 ] || fail "gold vs gold"

"$DYAD" eval parse --gold "$tmp/gold.conllu" --system "$tmp/system.conllu" --counts >"$tmp/counts"
grep -q "^UAS        |         9 |        16 |        14 |        12$" "$tmp/counts" ||
  fail "--counts: $(cat "$tmp/counts")"

# Texts that differ cannot be scored: exit 1 and say where.
sed 's/Nobody/Noone/' "$tmp/system.conllu" >"$tmp/other.conllu"
"$DYAD" eval parse --gold "$tmp/gold.conllu" --system "$tmp/other.conllu" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "differing texts must exit 1"
grep -q "at character 60" "$tmp/err" || fail "mismatch message: $(cat "$tmp/err")"

# Usage errors exit 2.
"$DYAD" eval parse --system "$tmp/system.conllu" >/dev/null 2>&1
[ $? -eq 2 ] || fail "missing --gold must exit 2"
"$DYAD" eval parse --gold "$tmp/no-such-file.conllu" --system "$tmp/system.conllu" >/dev/null 2>&1
[ $? -eq 2 ] || fail "unreadable gold must exit 2"
"$DYAD" eval frobnicate >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown verb must exit 2"
echo ok
