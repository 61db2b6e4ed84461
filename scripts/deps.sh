#!/bin/sh
# Installs the Debian packages dyad needs to build, test and run, and nothing when
# they are all present. Works from a minimal Debian 12 (no compiler, no CMake).
set -e
PKGS="build-essential cmake make pkg-config git ca-certificates \
  libgtest-dev libgmock-dev libbenchmark-dev \
  libutf8proc-dev libzstd-dev zlib1g-dev libsqlite3-dev libexpat1-dev time \
  postgresql libpq-dev libgumbo-dev \
  libcpp-httplib-dev chromium wrk \
  python3-dev pybind11-dev python3-dask python3-distributed"
# The dashboard's build and browser tests need node and npm; keep a node that is already
# there (e.g. a newer one from elsewhere), else take Debian's.
command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
# `make fuzz` (scripts/deps.sh fuzz) also needs clang and its libFuzzer runtime.
[ "${1:-}" = fuzz ] && PKGS="$PKGS clang-14 libclang-rt-14-dev"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "dyad: installing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
