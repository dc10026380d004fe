#!/bin/bash
# QGIS peer of the coverage benchmark (coverage.md §5.4): qgis_process service area from the stations layer
# (reachable lines), 25 m buffer dissolved into a polygon, buildings selected by intersection.
#   peer_qgis.sh INST BUDGET OUT [MANY.gpkg]   reads INST/{edges,stations,buildings}.gpkg
# Writes OUT/cov_qgis.csv (bid,covered) and OUT/qgis.json (stage times, peak RSS per qgis_process call).
# With MANY.gpkg (a point layer, e.g. the instance's candidate sites) the service area is run a second
# time from those points (service_area_many, many_n starts) for the marginal cost per start.
set -euo pipefail
INST=$1; BUDGET=$2; OUT=$3; MANY=${4:-}
BUFFER_M=${QGIS_BUFFER_M:-25}
Q=/usr/bin/qgis_process.bin   # the /usr/bin/qgis_process wrapper adds --noversioncheck and fails (coverage.md §5.4)
mkdir -p "$OUT"
W=$(mktemp -d /tmp/covbench_qgis.XXXXXX)
trap 'rm -rf "$W"' EXIT
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$W/xdg
mkdir -p -m 700 "$XDG_RUNTIME_DIR"

# the algorithm refuses to run without a project: an empty one in the data's CRS
EPSG=$(ogrinfo -ro -so "$INST/edges.gpkg" edges 2>/dev/null | sed -n 's/.*ID\["EPSG",\([0-9]*\)\]\]$/\1/p' | tail -1)
/usr/bin/python3 - "$W/empty.qgs" "${EPSG:-32650}" <<'PY'
import sys
from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsProject
app = QgsApplication([], False); app.initQgis()
p = QgsProject.instance(); p.setCrs(QgsCoordinateReferenceSystem(f'EPSG:{sys.argv[2]}')); p.write(sys.argv[1])
PY

timed() {  # timed NAME cmd...  -> appends "NAME seconds peak_kb" to $W/times
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/t.$name" "$@" >"$W/log.$name" 2>&1 || { tail -20 "$W/log.$name"; exit 1; }
  echo "$name $(cat "$W/t.$name")" >>"$W/times"
}
timed service_area $Q run native:serviceareafromlayer --PROJECT_PATH="$W/empty.qgs" \
  --INPUT="$INST/edges.gpkg|layername=edges" --STRATEGY=0 --DEFAULT_DIRECTION=2 --TOLERANCE=0.5 \
  --START_POINTS="$INST/stations.gpkg|layername=stations" --TRAVEL_COST2="$BUDGET" --INCLUDE_BOUNDS=0 \
  --OUTPUT_LINES="$W/sa.gpkg"
timed buffer_dissolve $Q run native:buffer --PROJECT_PATH="$W/empty.qgs" --INPUT="$W/sa.gpkg" \
  --DISTANCE="$BUFFER_M" --SEGMENTS=5 --DISSOLVE=true --OUTPUT="$W/sa_poly.gpkg"
timed extract $Q run native:extractbylocation --PROJECT_PATH="$W/empty.qgs" \
  --INPUT="$INST/buildings.gpkg|layername=buildings" --PREDICATE=0 --INTERSECT="$W/sa_poly.gpkg" \
  --OUTPUT="$W/bld_cov.gpkg"

MANY_N=0
if [ -n "$MANY" ]; then
  MANY_LAYER=$(ogrinfo -ro -q "$MANY" | sed -n 's/^1: \([^ ]*\).*/\1/p')
  MANY_N=$(ogrinfo -ro -so "$MANY" "$MANY_LAYER" | sed -n 's/Feature Count: //p')
  timed service_area_many $Q run native:serviceareafromlayer --PROJECT_PATH="$W/empty.qgs" \
    --INPUT="$INST/edges.gpkg|layername=edges" --STRATEGY=0 --DEFAULT_DIRECTION=2 --TOLERANCE=0.5 \
    --START_POINTS="$MANY|layername=$MANY_LAYER" --TRAVEL_COST2="$BUDGET" --INCLUDE_BOUNDS=0 \
    --OUTPUT_LINES="$W/sa_many.gpkg"
fi

ogr2ogr -f CSV "$W/covered.csv" "$W/bld_cov.gpkg" -sql "SELECT bid FROM bld_cov" 2>/dev/null \
  || ogr2ogr -f CSV "$W/covered.csv" "$W/bld_cov.gpkg" -select bid
ogr2ogr -f CSV "$W/all.csv" "$INST/buildings.gpkg" buildings -select bid
/usr/bin/python3 - "$W/all.csv" "$W/covered.csv" "$OUT/cov_qgis.csv" <<'PY'
import csv, sys
cov = {r['bid'] for r in csv.DictReader(open(sys.argv[2]))}
with open(sys.argv[3], 'w') as f:
    f.write('bid,covered\n')
    for r in csv.DictReader(open(sys.argv[1])):
        f.write(f"{r['bid']},{int(r['bid'] in cov)}\n")
PY
awk -v many_n="$MANY_N" 'BEGIN {printf "{\"peer\":\"qgis\""; if (many_n > 0) printf ",\"many_n\":%s", many_n} {printf ",\"%s\":%s,\"%s_peak_kb\":%s", $1, $2, $1, $3}
     END {print "}"}' "$W/times" >"$OUT/qgis.json"
cat "$OUT/qgis.json"
