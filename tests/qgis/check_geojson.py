#!/usr/bin/python3
"""RFC 7946 checks for GeoJSON files: a FeatureCollection, no `crs` member, lon/lat in range,
at most 7 decimals per coordinate, counter-clockwise exterior rings and clockwise holes, closed
rings, every feature with an explicit `id`.
Usage: /usr/bin/python3 check_geojson.py FILE.geojson...   Exit 0 = pass, 1 = fail."""
import json
import re
import sys

NUMBER = re.compile(r"-?\d+(?:\.(\d+))?(?:[eE][-+]?\d+)?")


def signed_area(ring):
    """Shoelace area relative to the first vertex (absolute lon/lat products lose tiny rings)."""
    ox, oy = ring[0][0], ring[0][1]
    return sum((x0 - ox) * (y1 - oy) - (x1 - ox) * (y0 - oy)
               for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:])) / 2.0


def positions(geometry):
    t, c = geometry["type"], geometry.get("coordinates")
    if t == "Point":
        yield c
    elif t in ("MultiPoint", "LineString"):
        yield from c
    elif t in ("MultiLineString", "Polygon"):
        for part in c:
            yield from part
    elif t == "MultiPolygon":
        for polygon in c:
            for ring in polygon:
                yield from ring
    elif t == "GeometryCollection":
        for g in geometry["geometries"]:
            yield from positions(g)


def polygons(geometry):
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        yield from geometry["coordinates"]


def check(path):
    fails = []
    text = open(path, encoding="utf-8").read()
    doc = json.loads(text)
    if doc.get("type") != "FeatureCollection":
        fails.append("not a FeatureCollection")
    if "crs" in doc:
        fails.append("has a 'crs' member (RFC 7946 §4 removed it)")
    coords_text = re.findall(r'"coordinates":\s*(\[[^"]*?\])\s*[},]', text)
    for chunk in coords_text:
        for m in NUMBER.finditer(chunk):
            if m.group(1) and len(m.group(1)) > 7:
                fails.append(f"coordinate {m.group(0)} has more than 7 decimals")
                break
    for i, feature in enumerate(doc.get("features", [])):
        if "id" not in feature:
            fails.append(f"feature {i}: no explicit id")
        g = feature.get("geometry")
        if g is None:
            continue
        for p in positions(g):
            if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90):
                fails.append(f"feature {i}: position {p} outside lon/lat range")
                break
        for polygon in polygons(g):
            for k, ring in enumerate(polygon):
                if ring[0] != ring[-1] or len(ring) < 4:
                    fails.append(f"feature {i}: ring {k} not closed or too short")
                area = signed_area(ring)
                if k == 0 and area <= 0:
                    fails.append(f"feature {i}: exterior ring is not counter-clockwise")
                if k > 0 and area >= 0:
                    fails.append(f"feature {i}: hole {k} is not clockwise")
    return fails


def main():
    bad = 0
    for path in sys.argv[1:]:
        fails = check(path)
        for f in fails[:10]:
            print(f"FAIL: {path}: {f}")
        bad += bool(fails)
    print(f"checked {len(sys.argv) - 1} GeoJSON files, {bad} failing")
    return 1 if bad or len(sys.argv) < 2 else 0


if __name__ == "__main__":
    sys.exit(main())
