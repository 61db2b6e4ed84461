#!/bin/sh
# dyad dict: importing PETRARCH-format files of our own, reporting malformed lines with file
# and line, and reading the compiled result back.
DYAD="$1"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
cat > "$T/verbs.txt" <<'V'
--- SEND [---] ---
SEND
- * TROOPS TO + [150]
--- PRAISE [051] ---
PRAISE
LAUD
- * + FOR (HELP [0311]
V
cat > "$T/actors.txt" <<'A'
ARNOR [ARN]
GONDOR [GON]
MINAS_TIRITH [GONGOV 20010101-20201231]
BROKEN_ENTRY [GON
A
printf 'SOLDIERS [~MIL]\n' > "$T/agents.txt"
printf 'FOOTBALL\n' > "$T/discards.txt"
cat > "$T/dyad.ini" <<'C'
[Dictionaries]
verbfile_name = verbs.txt
actorfile_list = actors.txt
agentfile_name = agents.txt
discardfile_name = discards.txt
C
"$DYAD" dict import "$T/dyad.ini" -o "$T/d.dyadd" > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 1 ] || { echo "import with malformed lines must exit 1, got $rc"; cat "$T/err"; exit 1; }
grep -q "actors.txt:4" "$T/out" "$T/err" || { echo "no file:line for the broken actor"; cat "$T/out" "$T/err"; exit 1; }
grep -q "verbs.txt:7" "$T/out" "$T/err" || { echo "no file:line for the broken pattern"; cat "$T/out" "$T/err"; exit 1; }
[ -s "$T/d.dyadd" ] || { echo "compiled file not written"; exit 1; }
"$DYAD" dict stats "$T/d.dyadd" > "$T/stats" || { echo "stats failed"; exit 1; }
grep -q "^actors *3$" "$T/stats" || { echo "expected 3 actors"; cat "$T/stats"; exit 1; }
# A truncated compiled dictionary is a clear error (exit 2), never a crash.
head -c 100 "$T/d.dyadd" > "$T/cut.dyadd"
"$DYAD" dict stats "$T/cut.dyadd" > /dev/null 2> "$T/err2"
rc=$?
[ $rc -eq 2 ] || { echo "truncated dictionary must exit 2, got $rc"; exit 1; }
grep -q "cut.dyadd" "$T/err2" || { echo "error must name the file"; cat "$T/err2"; exit 1; }
echo ok
