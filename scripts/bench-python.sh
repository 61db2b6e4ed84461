#!/bin/sh
# Measures the Python binding against the CLI, and Dask backfills against one process, on the
# BBC corpus (the figures of python/README.md):
#   1. binding vs CLI, 1 thread each, whole job (load + code): `dyad code -o FILE` against
#      Coder.code_files (JSONL out, the CLI's bytes) and Coder.code_documents (event dicts).
#   2. `python3 -m dyad.dask` with 2 local workers on the corpus cut into 8 shards, against a
#      single process (`dyad code --threads 1` over the same documents).
# Runs alternate (A B A B ...) so that both sides see the same load; the medians of REPS runs
# are printed, with the load average. CPU time (user+sys) is the figure to compare on a busy
# machine; wall time is what a user waits for.
#
#   sh scripts/bench-python.sh [BUILD_DIR] [SHARED_DIR]      (REPS=3 by default)
set -e
BUILD=${1:-build/release}
SHARED=${2:-../shared}
REPS=${REPS:-3}
PY=/usr/bin/python3
BBC=$SHARED/data/news/bbc-news-2004-2005.jsonl
DYAD=$BUILD/dyad
[ -x "$DYAD" ] || { echo "bench-python: $DYAD not built (make)" >&2; exit 2; }
[ -f "$BBC" ] || { echo "bench-python: $BBC not found" >&2; exit 2; }
export PYTHONPATH=$BUILD/python
$PY -c 'import dyad' || { echo "bench-python: the dyad Python module is not built" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
T="/usr/bin/time -f %e\t%U\t%S -a -o"

# The Python jobs, as a user would write them.
cat > "$TMP/files.py" <<'EOF'
import sys, dyad
c = dyad.Coder(default_date="2005-01-01")
c.code_files([sys.argv[1]], output=sys.argv[2], threads=1)
EOF
cat > "$TMP/docs.py" <<'EOF'
import json, sys, dyad
c = dyad.Coder(default_date="2005-01-01")
with open(sys.argv[1], encoding="utf-8") as f:
    docs = [json.loads(l) for l in f if l.strip()]
events = c.code_documents(docs, threads=1)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for e in events:
        f.write(json.dumps(e, ensure_ascii=False) + "\n")
EOF

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== 1. binding vs CLI (BBC corpus, 1 thread, whole job incl. loading) =="
for i in $(seq "$REPS"); do
  $T "$TMP/cli.t" "$DYAD" code --quiet --threads 1 --date 2005-01-01 "$BBC" -o "$TMP/cli.jsonl"
  $T "$TMP/files.t" $PY "$TMP/files.py" "$BBC" "$TMP/files.jsonl"
  $T "$TMP/docs.t" $PY "$TMP/docs.py" "$BBC" "$TMP/docs.jsonl"
done
cmp -s "$TMP/cli.jsonl" "$TMP/files.jsonl" && echo "code_files output: identical to dyad code" \
  || echo "code_files output: DIFFERS from dyad code"
$PY - "$TMP/cli.jsonl" "$TMP/docs.jsonl" <<'EOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
print("code_documents events: %s (%d events)" % ("equal to dyad code" if a == b else "DIFFER", len(a)))
EOF

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
report() {  # report NAME FILE -> "median wall, median cpu"
  w=$(cut -f1 "$2" | median); c=$(awk -F'\t' '{print $2+$3}' "$2" | median)
  echo "$1: wall $w s, cpu $c s (medians of $(wc -l < "$2"))"
  echo "$w $c" > "$2.m"
}
report "dyad code                 " "$TMP/cli.t"
report "Coder.code_files          " "$TMP/files.t"
report "Coder.code_documents      " "$TMP/docs.t"
read -r _ cli_cpu < "$TMP/cli.t.m"; read -r _ f_cpu < "$TMP/files.t.m"; read -r _ d_cpu < "$TMP/docs.t.m"
awk -v a="$cli_cpu" -v b="$f_cpu" -v c="$d_cpu" 'BEGIN {
  printf "binding throughput / CLI (cpu): code_files %.3f, code_documents %.3f\n", a/b, a/c }'

echo "== 2. Dask, 2 local workers vs one process (BBC in 8 shards) =="
mkdir -p "$TMP/shards"
n=$(wc -l < "$BBC")
split -d -a 2 -l $(( (n + 7) / 8 )) --additional-suffix=.jsonl "$BBC" "$TMP/shards/part-"
for i in $(seq "$REPS"); do
  $T "$TMP/one.t" "$DYAD" code --quiet --threads 1 --date 2005-01-01 "$BBC" -o "$TMP/one.jsonl"
  rm -rf "$TMP/out"
  $T "$TMP/dask.t" $PY -m dyad.dask "$TMP/shards" --out "$TMP/out" --workers 2 \
    --date 2005-01-01 2>> "$TMP/dask.log"
done
grep "shards done" "$TMP/dask.log" | sed 's/^/  /'
cat "$TMP"/out/part-*.events.jsonl | cmp -s - "$TMP/one.jsonl" \
  && echo "dask events: identical to dyad code" || echo "dask events: DIFFER from dyad code"
report "single process (dyad code)" "$TMP/one.t"
report "dask, 2 workers           " "$TMP/dask.t"
read -r one_w one_c < "$TMP/one.t.m"; read -r dask_w dask_c < "$TMP/dask.t.m"
inner=$(grep -o 'shards in [0-9.]*' "$TMP/dask.log" | awk '{print $3}' | median)
awk -v a="$one_w" -v b="$dask_w" -v i="$inner" 'BEGIN {
  printf "dask speed-up (wall, whole job incl. cluster start): %.2fx; shards phase only (%s s): %.2fx\n", a/b, i, a/i }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
