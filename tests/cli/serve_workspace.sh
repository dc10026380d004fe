#!/bin/sh
# The planner's workspace end to end (issue 19): `gridplan serve` on the sample's redraw
# configuration (today's grids, one lock, one edit) on a free loopback port; the browser test
# (web/test/workspace.test.mjs: real Chromium through playwright-core) moves, is refused, locks,
# undoes, redoes and saves through the page; Ctrl-C stops the server; then `gridplan redraw`
# replays the saved scenario.json and writes the same bytes as the save (scenario.json aside).
#   serve_workspace.sh GRIDPLAN SOURCE_DIR SCRATCH_DIR
set -eu
gp=$1
src=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
"$gp" serve "$src/data/monaco_redraw.json" --port 0 --quiet -o "$out/save" > "$out/serve.log" 2> "$out/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
url=
for _ in $(seq 1 600); do
    url=$(grep -o 'http://[^ ]*' "$out/serve.log" || true)
    [ -n "$url" ] && break
    kill -0 $pid 2>/dev/null || { cat "$out/serve.err"; exit 1; }
    sleep 0.2
done
test -n "$url"
echo "serving at $url"
(cd "$src/web" && node test/workspace.test.mjs "$url" "$out/shots")
kill -INT $pid
wait $pid
grep -q '已停止' "$out/serve.log"
test -s "$out/save/scenario.json"
test -s "$out/save/report.html"
# The scenario replays from the command line to the same bytes.
"$gp" redraw "$out/save/scenario.json" --quiet -o "$out/replay" > "$out/replay.log"
diff -r -x scenario.json "$out/save" "$out/replay"
echo "serve_workspace: saved scenario replays byte for byte ($(ls "$out/replay" | wc -l) entries)"
