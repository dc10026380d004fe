#!/bin/sh
# What the CLI shows on stderr (issue 15 item 8, issue 16 item 2):
#   terminal.sh GRIDPLAN CONFIG SCRATCH_DIR BENCH_CITY_DIR
# - progress lines, redrawn in place with \r, when stderr is a terminal (a pseudo-terminal made
#   by script(1) from bsdutils; stdout goes to a file so the typescript holds only stderr);
# - nothing at all when stderr is a file, and nothing with --quiet on a terminal;
# - --timings: one `timing STAGE WALL_S CPU_S PEAK_MB` line per stage, as
#   tests/bench/city/table.py's parse_timings() reads them.
set -eu
gp=$1
cfg=$2
out=$3
city=$4
rm -rf "$out"
mkdir -p "$out"

fail() {
    echo "terminal.sh: $*" >&2
    exit 1
}

script -q -e -c "'$gp' partition '$cfg' -o '$out/tty' > '$out/tty.stdout'" /dev/null \
    < /dev/null > "$out/tty.txt" || fail "partition on a terminal failed: $(cat "$out/tty.txt")"
grep -q "$(printf '\r')" "$out/tty.txt" || fail "no line redrawn with CR on a terminal"
grep -aq '\] read' "$out/tty.txt" || fail "no 'read' stage line: $(cat -v "$out/tty.txt")"
grep -aq 'write_csv [0-9]*/[0-9]* ' "$out/tty.txt" || fail "no counted stage: $(cat -v "$out/tty.txt")"
grep -q '^gridplan partition' "$out/tty.stdout" || fail "report missing on stdout"
if grep -q "$(printf '\r')" "$out/tty.stdout"; then fail "progress leaked to stdout"; fi

"$gp" partition "$cfg" -o "$out/file" > "$out/file.stdout" 2> "$out/file.stderr"
test ! -s "$out/file.stderr" || fail "stderr is a file but got: $(cat -v "$out/file.stderr")"

script -q -e -c "'$gp' partition '$cfg' -o '$out/quiet' --quiet > '$out/quiet.stdout'" /dev/null \
    < /dev/null > "$out/quiet.txt" || fail "partition --quiet on a terminal failed"
test ! -s "$out/quiet.txt" || fail "--quiet still printed: $(cat -v "$out/quiet.txt")"

"$gp" partition "$cfg" -o "$out/timed" --timings > "$out/timed.stdout" 2> "$out/timed.log"
grep -Evq '^timing [a-z_]+ [0-9]+\.[0-9]{3} [0-9]+\.[0-9]{3} [0-9]+\.[0-9]$' "$out/timed.log" &&
    fail "a --timings line is not 'timing STAGE WALL_S CPU_S PEAK_MB': $(cat "$out/timed.log")"
python3 - "$out/timed.log" "$city" <<'PY' || fail "parse_timings() disagrees: $(cat "$out/timed.log")"
import sys
sys.path.insert(0, sys.argv[2])
import table
t = table.parse_timings(sys.argv[1])
want = ["read", "validate", "hierarchy", "partition", "layers", "write_gpkg", "write_csv"]
assert list(t) == want, list(t)
assert all(len(v) == 3 and None not in v and v[2] > 0 for v in t.values()), t
PY
