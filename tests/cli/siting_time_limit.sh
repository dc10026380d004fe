#!/bin/sh
# siting.time_limit_s bounds the whole solve, the LP relaxation included (issue 17 item 4): on a
# generated 150 x 150 street grid (22,500 intersections, one building per block, generated
# intersection candidates) `gridplan site` with time_limit_s = 1 ends within 60 s — before the fix
# it was still in ClpSimplex::initialSolve at 900 s — either with an answer or with the
# safety-stop error (exit 2) that says the clock came before the work limit. Then: generated
# candidates are thinned, and Ctrl-C stops the solve promptly.
#   siting_time_limit.sh GRIDPLAN SCRATCH_DIR [N]
set -eu
gp=$1
work=$2
n=${3:-150}
rm -rf "$work"
mkdir -p "$work"
/usr/bin/python3 - "$n" "$work" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
lon0, lat0, dlon, dlat = 116.30, 39.90, 0.0007, 0.00054  # about 60 m apart, Beijing
def pt(i, j):
    return [round(lon0 + i * dlon, 7), round(lat0 + j * dlat, 7)]
def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}
roads = []
for j in range(n):
    for i in range(n - 1):
        roads.append(feature({"id": len(roads), "highway": "residential", "name": "East %d" % j},
                             {"type": "LineString", "coordinates": [pt(i, j), pt(i + 1, j)]}))
for i in range(n):
    for j in range(n - 1):
        roads.append(feature({"id": len(roads), "highway": "residential", "name": "North %d" % i},
                             {"type": "LineString", "coordinates": [pt(i, j), pt(i, j + 1)]}))
buildings = []
for i in range(n - 1):
    for j in range(n - 1):
        x0, y0 = lon0 + (i + 0.3) * dlon, lat0 + (j + 0.3) * dlat
        x1, y1 = lon0 + (i + 0.7) * dlon, lat0 + (j + 0.7) * dlat
        ring = [[round(x, 7), round(y, 7)] for x, y in [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]]
        buildings.append(feature({"id": len(buildings), "households": 20},
                                 {"type": "Polygon", "coordinates": [ring]}))
w, s = lon0 - 0.001, lat0 - 0.001
e, nn = pt(n - 1, n - 1)[0] + 0.001, pt(n - 1, n - 1)[1] + 0.001
community = feature({"id": "c1", "name": "Grid"},
                    {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, nn], [w, nn], [w, s]]]})
for name, features in (("roads", roads), ("buildings", buildings), ("communities", [community])):
    json.dump({"type": "FeatureCollection", "features": features}, open(f"{out}/{name}.geojson", "w"))
json.dump({"inputs": {"roads": {"path": "roads.geojson"}, "buildings": {"path": "buildings.geojson"},
                      "communities": {"path": "communities.geojson"}},
           "siting": {"kind": "warm_station", "p": 40, "time_limit_s": 1}},
          open(f"{out}/grid.json", "w"), indent=1)
PY
# p = 40, 1 s: stops in the swap search. p = 2, 10 s: the swap search ends quickly and the LP
# relaxation starts (ClpSimplex::initialSolve, which ran past 900 s before the fix).
failures=0
for case in "40 1" "2 10"; do
    set -- $case
    sed -e "s/\"p\": 40/\"p\": $1/" -e "s/\"time_limit_s\": 1\$/\"time_limit_s\": $2/" \
        "$work/grid.json" > "$work/grid_$1.json"
    grep -q "\"time_limit_s\": $2\$" "$work/grid_$1.json" || { echo "FAIL: config"; exit 1; }
    start=$(date +%s)
    rc=0
    "$gp" site "$work/grid_$1.json" -o "$work/out_$1" > "$work/site_$1.log" 2> "$work/site_$1.err" ||
        rc=$?
    took=$(($(date +%s) - start))
    echo "site on a $n x $n street grid, p = $1, time_limit_s = $2: exit $rc after $took s"
    tail -1 "$work/site_$1.err"
    if [ $took -ge 60 ]; then
        echo "FAIL: took $took s (limit 60 s)"
        failures=$((failures + 1))
    fi
    if [ $rc -eq 2 ]; then
        grep -q "wall-clock safety stop (time_limit_s = $2.000 s)" "$work/site_$1.err" ||
            { echo "FAIL: exit 2 without the safety-stop message"; failures=$((failures + 1)); }
    elif [ $rc -ne 0 ]; then
        echo "FAIL: exit $rc"
        failures=$((failures + 1))
    fi
done
# The generated candidates are bounded (siting.max_generated_candidates): at 500 the grid's first
# 40 x 40 corner (1,596 intersections, 60 m apart) keeps one per 200 m square (156 in the working
# CRS: 12 to 13 cells a side), and the first line
# of the answer says so (the 150 x 150 grid's 22,496 keep one per 100 m square under the default
# 20,000; its runs above stop before printing).
/usr/bin/python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
cfg = json.load(open(f"{work}/grid.json"))
roads = json.load(open(f"{work}/roads.geojson"))
keep = lambda f: all(abs(c[0] - 116.30) < 0.0007 * 39.5 and abs(c[1] - 39.90) < 0.00054 * 39.5
                     for c in f["geometry"]["coordinates"])
roads["features"] = [f for f in roads["features"] if keep(f)]
json.dump(roads, open(f"{work}/roads_40.geojson", "w"))
cfg["inputs"]["roads"]["path"] = "roads_40.geojson"
cfg["siting"].update({"p": 2, "time_limit_s": 600, "max_generated_candidates": 500})
json.dump(cfg, open(f"{work}/grid_thin.json", "w"))
PY
"$gp" site "$work/grid_thin.json" -o "$work/out_thin" --lang en > "$work/site_thin.log" 2>&1 ||
    { echo "FAIL: thinned run"; tail -3 "$work/site_thin.log"; failures=$((failures + 1)); }
grep -Eq "1596 generated candidates thinned to 1[0-9][0-9], one per 200 m square" "$work/site_thin.log" || {
    echo "FAIL: no thinning line:"; head -3 "$work/site_thin.log"; failures=$((failures + 1)); }
# Ctrl-C reaches the solvers (issue 17 item 4): SIGINT 8 s into p = 2 with no practical time limit
# (on this machine CLP's dual simplex is running by then; earlier, the cover-set searches) ends
# the command within 1.5 s through the engine's own unwinding (exit 130, "interrupted by
# SIGINT"), not the CLI's forced exit two seconds later ("stopped at once").
sed -e 's/"p": 40/"p": 2/' -e 's/"time_limit_s": 1$/"time_limit_s": 600/' "$work/grid.json" \
    > "$work/grid_int.json"
"$gp" site "$work/grid_int.json" -o "$work/out_int" > "$work/site_int.log" 2> "$work/site_int.err" &
pid=$!
sleep 8
kill -INT $pid
signalled=$(date +%s%N)
rc=0
wait $pid || rc=$?
ms=$((($(date +%s%N) - signalled) / 1000000))
echo "SIGINT 8 s into p = 2: exit $rc after $ms ms"
tail -1 "$work/site_int.err"
if [ $rc -ne 130 ] || [ $ms -ge 1500 ] || ! grep -q "interrupted by SIGINT" "$work/site_int.err" ||
    grep -q "stopped at once" "$work/site_int.err"; then
    echo "FAIL: not stopped promptly by the engine"
    failures=$((failures + 1))
fi
[ -e "$work/out_int" ] && { echo "FAIL: out_int written"; failures=$((failures + 1)); }
[ $failures -eq 0 ] && echo ok
