#!/bin/sh
# RFC 7946 winding in every GeoJSON file `gridplan run` writes (issue 15 item 5): each polygon
# ring read back from the text, its signed area computed exactly from the 7-decimal
# coordinates: exterior rings counter-clockwise, holes clockwise.
#   geojson_winding.sh GRIDPLAN CONFIG SCRATCH_DIR
set -eu
gp=$1
cfg=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
"$gp" run "$cfg" -o "$out/run" --formats geojson > "$out/run.log"
python3 - "$out/run/geojson" <<'PY'
import glob, json, os, sys
from decimal import Decimal

def area2(ring):
    # Exact: the coordinates as decimals (at most 7 places), relative to the first vertex.
    x0, y0 = ring[0]
    s = Decimal(0)
    for (ax, ay), (bx, by) in zip(ring, ring[1:]):
        s += (ax - x0) * (by - y0) - (bx - x0) * (ay - y0)
    return s

files = sorted(glob.glob(os.path.join(sys.argv[1], "*.geojson")))
assert files, "no GeoJSON written"
total = wrong = 0
for name in files:
    with open(name, encoding="utf-8") as f:
        doc = json.load(f, parse_float=Decimal, parse_int=Decimal)
    for feature in doc["features"]:
        g = feature["geometry"]
        if g is None or g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for polygon in polygons:
            for k, ring in enumerate(polygon):
                total += 1
                a = area2(ring)
                if (k == 0 and a <= 0) or (k > 0 and a >= 0):
                    wrong += 1
                    print(f"{os.path.basename(name)}: feature {feature.get('id')}: ring {k} "
                          f"wound the wrong way (twice the signed area {a})")
print(f"{len(files)} GeoJSON files, {total} polygon rings, {wrong} wound the wrong way")
sys.exit(1 if wrong or total == 0 else 0)
PY
