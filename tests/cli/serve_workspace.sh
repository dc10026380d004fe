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
# The warm station the page added: `gridplan coverage` with it as one more input reaches the
# same residents within 15 minutes as the workspace showed.
/usr/bin/python3 - "$out/shots/station.json" "$out/added_station.geojson" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
json.dump({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "new-1"},
           "geometry": {"type": "Point", "coordinates": [s["lon"], s["lat"]]}}]}, open(sys.argv[2], "w"))
PY
/usr/bin/python3 "$src/tests/cli/config_variant.py" "$src/data/monaco_redraw.json" "$out/with_station.json" \
    "inputs.facilities+={\"path\": \"$out/added_station.geojson\", \"kind\": \"warm_station\"}"
"$gp" coverage "$out/with_station.json" --quiet -o "$out/coverage" > "$out/coverage.log"
/usr/bin/python3 - "$out/coverage/gridplan.gpkg" "$out/shots/station.json" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
want = json.load(open(sys.argv[2]))
pop_cov, = db.execute("SELECT pop_cov FROM coverage_stats WHERE level = 'all' AND kind = 'warm_station' "
                      "AND minutes = 15 AND profile = 'adult' AND scenario = 'today'").fetchone()
assert pop_cov == want["pop_cov"], (pop_cov, want)
print("station: gridplan coverage agrees with the workspace:", pop_cov, "residents within 15 minutes")
PY
echo "serve_workspace: saved scenario replays byte for byte ($(ls "$out/replay" | wc -l) entries)"
