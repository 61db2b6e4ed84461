#!/bin/sh
# The command line contract: help, version, and exit status 2 on usage errors.
DYAD="$1"
set -e
"$DYAD" --help | grep -q "usage: dyad <command>"
"$DYAD" --version | grep -q "^dyad [0-9]"
for c in $("$DYAD" --help | awk '/^commands:/{f=1;next} f&&/^  [a-z]/{print $1}'); do
  "$DYAD" "$c" --help | grep -q "^usage: dyad $c" || { echo "no --help for $c"; exit 1; }
done
set +e
"$DYAD" no-such-command 2>/dev/null; [ $? -eq 2 ] || { echo "unknown command must exit 2"; exit 1; }
"$DYAD" version --no-such-flag 2>/dev/null; [ $? -eq 2 ] || { echo "unknown flag must exit 2"; exit 1; }
echo ok
