#!/bin/sh
# Installs the Debian packages dyad needs to build, test and run, and nothing when
# they are all present. Works from a minimal Debian 12 (no compiler, no CMake).
set -e
PKGS="build-essential cmake make pkg-config git ca-certificates \
  libgtest-dev libgmock-dev libbenchmark-dev \
  libutf8proc-dev libzstd-dev zlib1g-dev libsqlite3-dev libexpat1-dev time"
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
