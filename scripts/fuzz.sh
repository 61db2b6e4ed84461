#!/bin/sh
# Builds the libFuzzer targets (fuzz/) with clang, ASan and UBSan into build/fuzz, then runs
# each for N seconds (default 600), one at a time, niced. Seeds: fuzz/corpus/<target>/ (in the
# repository); the growing corpus: build/fuzz/corpus/<target>/; crashes, leaks, timeouts and
# out-of-memory inputs: build/fuzz/findings/<target>/. Exit status 1 when any target found
# something.
#   scripts/fuzz.sh [seconds] [target...]      e.g. scripts/fuzz.sh 60 reader_html dict
set -u
SECS=${1:-600}
[ $# -gt 0 ] && shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FUZZ_BUILD:-$ROOT/build/fuzz}
JOBS=${JOBS:-1}
CXX_BIN=${FUZZ_CXX:-clang++-14}
command -v "$CXX_BIN" >/dev/null || CXX_BIN=clang++
command -v "$CXX_BIN" >/dev/null || { echo "fuzz: clang++ not found (apt-get install clang-14 libclang-rt-14-dev)"; exit 2; }
FLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_CXX_COMPILER="$CXX_BIN" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="$FLAGS" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DDYAD_FUZZ=ON >/dev/null || exit 2
ALL="reader_jsonl reader_xml reader_html reader_conllu reader_text reader_compressed text dict model"
TARGETS=${*:-$ALL}
for t in $TARGETS; do
  nice cmake --build "$BUILD" -j "$JOBS" --target "fuzz_$t" >"$BUILD/build-$t.log" 2>&1 ||
    { echo "fuzz: building fuzz_$t failed (see $BUILD/build-$t.log)"; exit 2; }
done
status=0
for t in $TARGETS; do
  mkdir -p "$BUILD/corpus/$t" "$BUILD/findings/$t"
  seeds="$ROOT/fuzz/corpus/$t"
  [ -d "$seeds" ] || seeds=""
  start=$(date +%s)
  # -rss_limit_mb: the readers promise bounded memory; -timeout: no input may take 10 s.
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    nice "$BUILD/fuzz/fuzz_$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
    -max_len=262144 -print_final_stats=1 -artifact_prefix="$BUILD/findings/$t/" \
    "$BUILD/corpus/$t" $seeds >"$BUILD/run-$t.log" 2>&1 &
  pid=$!
  wait $pid
  rc=$?
  rm -f /dev/shm/dyad-fuzz-$pid.* /tmp/dyad-fuzz-$pid.*  # the targets' scratch files
  secs=$(( $(date +%s) - start ))
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$BUILD/run-$t.log" | grep -o '[0-9]*$')
  n=$(ls "$BUILD/findings/$t" | wc -l)
  if [ "$rc" -ne 0 ] || [ "$n" -ne 0 ]; then
    status=1
    echo "fuzz_$t: FINDING after ${secs}s (exit $rc): $(ls "$BUILD/findings/$t" | tr '\n' ' ')"
    grep -m3 -E 'ERROR|SUMMARY|runtime error' "$BUILD/run-$t.log" | sed 's/^/  /'
  else
    echo "fuzz_$t: ok, ${secs}s, ${runs:-?} runs, no findings"
  fi
done
exit $status
