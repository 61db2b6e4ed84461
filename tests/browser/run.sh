#!/bin/sh
# Browser test of the dashboard: a real `dyad serve` over a fresh SQLite store, driven in
# Debian's chromium by playwright-core (dashboard.mjs). Screenshots and the server's log go
# to ARTIFACTS.
#   usage: run.sh DYAD SOURCE_DIR ARTIFACTS
# Exit 77 (ctest: skipped) only when chromium or node is not installed; `make deps` installs
# both.
set -u
DYAD=$1
SRC=$2
ARTIFACTS=$3

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
  echo "SKIP: chromium is not installed (make deps installs it; or apt-get install chromium)"
  exit 77
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node/npm are not installed (make deps installs them; or apt-get install nodejs npm)"
  exit 77
fi

HERE="$SRC/tests/browser"
if [ ! -f "$HERE/node_modules/playwright-core/package.json" ]; then
  echo "installing playwright-core from package-lock.json (npm ci)"
  (cd "$HERE" && npm ci --prefer-offline --no-audit --no-fund >/dev/null) || {
    echo "FAIL: npm ci in tests/browser failed"
    exit 1
  }
fi

mkdir -p "$ARTIFACTS"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dyad-browser.XXXXXX")
PID=""
cleanup() {
  if [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
  fi
  cp "$TMP/serve.log" "$ARTIFACTS/serve.log" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

STORE="sqlite:$TMP/events.db"
# The sample news, coded into the store by `dyad code --store` when this dyad has it; the test
# then posts more documents through the API (and does it for the samples too otherwise).
SAMPLES_CODED=0
if "$DYAD" code --help 2>&1 | grep -q -- "--store"; then
  if "$DYAD" code --quiet --store "$STORE" "$SRC/data/samples/news.jsonl" >/dev/null 2>"$TMP/code.log"; then
    SAMPLES_CODED=1
  else
    echo "FAIL: dyad code --store failed:"
    cat "$TMP/code.log"
    exit 1
  fi
fi

# A random token, in a file only we can read.
umask 077
od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$TMP/token"
"$DYAD" serve --store "$STORE" --port 0 --token-file "$TMP/token" > "$TMP/serve.log" 2>&1 &
PID=$!
URL=""
i=0
while [ $i -lt 600 ]; do
  URL=$(sed -n 's#.*listening on \(http://[^ ]*/\).*#\1#p' "$TMP/serve.log" | head -n 1)
  [ -n "$URL" ] && break
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "FAIL: dyad serve exited:"
    cat "$TMP/serve.log"
    PID=""
    exit 1
  fi
  sleep 0.1
  i=$((i + 1))
done
if [ -z "$URL" ]; then
  echo "FAIL: dyad serve did not start within 60 s"
  cat "$TMP/serve.log"
  exit 1
fi
echo "dyad serve at $URL (pid $PID)"

DYAD_URL="$URL" DYAD_TOKEN_FILE="$TMP/token" CHROMIUM="$CHROME" ARTIFACTS="$ARTIFACTS" \
  SAMPLES="$SRC/data/samples/news.jsonl" SAMPLES_CODED=$SAMPLES_CODED \
  node "$HERE/dashboard.mjs"
