#!/bin/sh
# `make bench`: whole-pipeline throughput, model load time and peak memory on the BBC news
# corpus in ../shared (skipped without it), then the micro-benchmarks. Results go to stdout;
# docs/benchmarks.md records them with the machine they came from.
DYAD="$1"
SHARED="${2:-../shared}"
BUILD="$(dirname "$DYAD")"
CORPUS="$SHARED/data/news/bbc-news-2004-2005.jsonl"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "dyad: $("$DYAD" --version | tr '\n' ' ')"
measure() {  # label, then the command
  label="$1"; shift
  /usr/bin/time -f '%e %M' -o /tmp/dyad-bench.time "$@" >/dev/null 2>/tmp/dyad-bench.err
  rc=$?
  read -r secs kb < /tmp/dyad-bench.time
  echo "$label: wall ${secs}s, peak RSS $((kb / 1024)) MB, exit $rc; $(tail -1 /tmp/dyad-bench.err)"
}
echo "== model load (parse of an empty input, 3 runs)"
for i in 1 2 3; do measure "load" sh -c "printf '' | \"$DYAD\" parse -"; done
if [ -f "$CORPUS" ]; then
  echo "== dyad parse, BBC corpus ($(wc -l < "$CORPUS") documents), text -> CoNLL-U"
  for t in 1 2; do
    for i in 1 2 3; do measure "threads=$t run $i" "$DYAD" parse --threads $t "$CORPUS"; done
  done
  "$DYAD" parse --threads 1 --quiet "$CORPUS" | md5sum > /tmp/dyad-bench.t1
  "$DYAD" parse --threads 2 --quiet "$CORPUS" | md5sum > /tmp/dyad-bench.t2
  cmp -s /tmp/dyad-bench.t1 /tmp/dyad-bench.t2 && echo "output identical for 1 and 2 threads" \
    || echo "OUTPUT DIFFERS between 1 and 2 threads"
  echo "== dyad code, BBC corpus, text -> events (pre-pass on; --parse-all off)"
  for t in 1 2; do
    for i in 1 2 3; do measure "threads=$t run $i" "$DYAD" code --threads $t --date 2005-01-01 "$CORPUS"; done
  done
  for i in 1 2 3; do
    measure "--parse-all threads=1 run $i" "$DYAD" code --parse-all --date 2005-01-01 "$CORPUS"
  done
  # Memory must not grow with the input: the corpus and 20 copies of it (each its own ids).
  echo "== dyad code, peak RSS on 1x and 20x the corpus (2 threads)"
  big=$(mktemp --suffix=.jsonl /tmp/dyad-bench-20x.XXXXXX)
  i=0
  while [ $i -lt 20 ]; do
    sed "s/\"id\": *\"/\"id\": \"$i-/" "$CORPUS"
    i=$((i + 1))
  done >"$big"
  measure "1x" "$DYAD" code --threads 2 --date 2005-01-01 "$CORPUS"
  measure "20x" "$DYAD" code --threads 2 --date 2005-01-01 "$big"
  rm -f "$big"
else
  echo "($CORPUS not found: skipping corpus throughput)"
fi
for b in "$BUILD"/bench/*_bench; do
  [ -x "$b" ] && "$b" --benchmark_min_time=0.5
done
exit 0
