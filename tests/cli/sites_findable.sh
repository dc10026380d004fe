#!/bin/sh
# Sites a planner can find (issue 15 item 6), on the embedded sample asked for more sites than it
# needs (p = 8): every proposed site has lon/lat inside the sample's bounding box, a road, a
# community and a grid whose codes exist in the communities and grids layers, a type, and the
# report says why fewer than 8 were proposed (in English with --lang en, in Chinese by default).
#   sites_findable.sh GRIDPLAN SOURCE_DIR SCRATCH_DIR
set -eu
gp=$1
src=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
/usr/bin/python3 "$src/tests/cli/config_variant.py" "$src/data/monaco.json" "$out/p8.json" siting.p=8
"$gp" run "$out/p8.json" -o "$out/en" --formats gpkg --lang en > "$out/en.log"
"$gp" site "$out/p8.json" -o "$out/zh" > "$out/zh.log"
grep -E '^p = 8 asked, [0-7] proposed: ' "$out/en.log"
grep -E '^要求选址 8 处，建议 [0-7] 处：' "$out/zh.log"
extent=$(ogrinfo -so "$src/data/monaco-2019-09-30.osm.pbf" points | sed -n 's/^Extent: (\(.*\), \(.*\)) - (\(.*\), \(.*\))$/\1 \2 \3 \4/p')
python3 - "$out/en/gridplan.gpkg" $extent <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
west, south, east, north = map(float, sys.argv[2:6])
grids = {r[0] for r in db.execute("SELECT code FROM grids")}
grid_comms = {r[0] for r in db.execute("SELECT comm_code FROM grids")}
comm_codes = {r[0] for r in db.execute("SELECT code FROM communities") if r[0]}
comm_names = {r[0] for r in db.execute("SELECT name FROM communities")}
rows = db.execute("SELECT rank, cand_id, type, road, comm_code, comm_name, grid_code, lon, lat "
                  "FROM proposed_sites ORDER BY rank").fetchall()
assert 0 < len(rows) < 8, rows
for rank, cand, kind, road, comm, comm_name, grid, lon, lat in rows:
    print(rank, cand, kind, road, comm, comm_name, grid, lon, lat)
    assert west <= lon <= east and south <= lat <= north, (cand, lon, lat)
    assert round(lon, 6) == lon and round(lat, 6) == lat, (cand, lon, lat)
    assert kind, cand
    assert road, cand
    if comm is None:  # outside every community by more than 50 m (checked below): no grid either
        assert grid is None and comm_name is None, cand
        print(rank, file=open(sys.argv[1] + ".outside", "a"))
        continue
    assert grid in grids, (cand, grid)
    # the code the grids carry; once communities carry codes, theirs too
    assert comm in grid_comms, (cand, comm)
    assert not comm_codes or comm in comm_codes, (cand, comm, comm_codes)
    assert comm_name in comm_names, (cand, comm_name)
PY
# A site without a community is farther than 50 m from every community polygon (the sample's
# communities do not cover all of Monaco).
if [ -f "$out/en/gridplan.gpkg.outside" ]; then
    for rank in $(cat "$out/en/gridplan.gpkg.outside"); do
        ogrinfo -q -dialect sqlite -sql "SELECT min(ST_Distance(c.geom, s.geom)) AS d FROM communities c, \
proposed_sites s WHERE s.rank = $rank" "$out/en/gridplan.gpkg" |
            awk '/d \(Real\)/ { found = 1; if ($4 + 0 <= 50) exit 1 } END { exit !found }'
    done
fi
