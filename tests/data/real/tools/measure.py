#!/usr/bin/python3
"""Independent expected counts for a gridplan run configuration (GDAL Python + shapely, not the engine).

Usage: /usr/bin/python3 measure.py CONFIG.json
For each role: features in the layer, features passing the role's `where` (OSM tags in
`other_tags` included), geometry types, null/empty and invalid (GEOS) geometries; then the
hierarchy: buildings per community by largest overlap (outside = no overlap with any community),
communities per street, pairwise community overlaps, and the OSM walkability rule of docs/config.md.
"""
import collections
import json
import os
import re
import sys

from osgeo import gdal, ogr, osr
from shapely import wkb

gdal.UseExceptions()
TAG = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')
OSM_DEFAULT = {
    "streets": ("multipolygons", {"boundary": ["administrative"], "admin_level": ["8"]}),
    "communities": ("multipolygons", {"boundary": ["administrative"], "admin_level": ["9", "10"]}),
    "buildings": ("multipolygons", {"building": "*"}),
    "roads": ("lines", {"highway": "*"}),
    "facilities": ("points", {}),
}
WALK = set("footway path pedestrian steps living_street residential service unclassified tertiary "
           "tertiary_link secondary secondary_link primary primary_link track corridor cycleway road".split())
NEVER = set("motorway motorway_link construction proposed abandoned raceway bus_guideway".split())
FOOT_OK = {"yes", "designated", "permissive"}


def walkable(t):
    h = t.get("highway")
    if h is None or h in NEVER or t.get("foot") == "no":
        return False
    if t.get("access") in ("private", "no") and t.get("foot") not in FOOT_OK:
        return False
    if h in WALK:
        return True
    if h in ("trunk", "trunk_link"):
        return t.get("sidewalk") not in (None, "no", "none") or t.get("foot") in FOOT_OK
    return False


def read(base, spec, role):
    path = os.path.normpath(os.path.join(base, spec["path"]))
    ds = gdal.OpenEx(path, gdal.OF_VECTOR)
    is_osm = ds.GetDriver().ShortName == "OSM"
    layer = spec.get("layer") or (OSM_DEFAULT[role][0] if is_osm else ds.GetLayer(0).GetName())
    where = spec.get("where", OSM_DEFAULT[role][1] if is_osm else {})
    lyr = ds.GetLayerByName(layer)
    srs = lyr.GetSpatialRef()
    d = lyr.GetLayerDefn()
    names = [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]
    n_layer = 0
    out = []
    for f in lyr:
        n_layer += 1
        t = {k: f.GetField(k) for k in names if k != "other_tags" and f.IsFieldSetAndNotNull(k)}
        if "other_tags" in names and f.IsFieldSetAndNotNull("other_tags"):
            for k, v in TAG.findall(f.GetField("other_tags")):
                t.setdefault(k, v)
        ok = True
        for k, vals in where.items():
            vals = [vals] if isinstance(vals, str) else vals
            v = t.get(k)
            if v is None or (vals != ["*"] and str(v) not in vals):
                ok = False
        if not ok:
            continue
        g = f.GetGeometryRef()
        out.append((t, None if g is None else g.Clone()))
    return path, layer, srs, n_layer, out


def main():
    cfg_path = sys.argv[1]
    base = os.path.dirname(os.path.abspath(cfg_path))
    cfg = json.load(open(cfg_path, encoding="utf-8"))
    wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    epsg = int(sys.argv[2]) if len(sys.argv) > 2 else None
    geoms = {}
    for role, spec in cfg["inputs"].items():
        specs = spec if isinstance(spec, list) else [spec]
        allf = []
        for s in specs:
            path, layer, srs, n_layer, feats = read(base, s, role)
            types = collections.Counter("NULL" if g is None else ("EMPTY" if g.IsEmpty() else g.GetGeometryName()) for _, g in feats)
            invalid = sum(1 for _, g in feats if g is not None and not g.IsEmpty() and not g.IsValid())
            extra = ""
            if role == "roads":
                extra = f", walkable {sum(1 for t, _ in feats if walkable(t))}"
            if role == "buildings":
                extra = f", with building:levels/floors {sum(1 for t, _ in feats if t.get('building:levels') or t.get('levels'))}"
            if s.get("kind"):
                extra += f", kind {s['kind']}"
            print(f"{role}: {os.path.relpath(path, base)} [{layer}] layer features {n_layer}, selected {len(feats)}, "
                  f"types {dict(types)}, invalid {invalid}{extra}")
            allf += feats
        if epsg:
            dst = osr.SpatialReference(); dst.ImportFromEPSG(epsg)
            dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            ct = osr.CoordinateTransformation(wgs, dst)
            gs = []
            for t, g in allf:
                g = g.Clone(); g.Transform(ct)
                nk = specs[0].get("fields", {}).get("name", "name")
                gs.append(({**t, "name": t.get(nk)}, wkb.loads(bytes(g.ExportToWkb()))))
            geoms[role] = gs
    if not epsg:
        return
    def fix(g):
        return g if g.is_valid else g.buffer(0)
    if "communities" in geoms:
        com = [(t.get("name"), fix(g)) for t, g in geoms["communities"]]
        if "buildings" in geoms:
            per = collections.Counter(); outside = 0
            for t, b in geoms["buildings"]:
                b = fix(b)
                cand = [i for i in range(len(com)) if com[i][1].intersects(b)]
                best = max(((com[i][1].intersection(b).area, com[i][0]) for i in cand), default=(0, None))
                if best[0] > 0: per[best[1]] += 1
                else: outside += 1
            print(f"buildings per community (largest overlap): {dict(sorted(per.items()))}; outside every community: {outside}")
        ov = []
        for i in range(len(com)):
            for j in range(i + 1, len(com)):
                if com[i][1].intersects(com[j][1]):
                    a = com[i][1].intersection(com[j][1]).area
                    if a > 0.01: ov.append((com[i][0], com[j][0], round(a, 2)))
        print(f"community pairs overlapping > 0.01 m2: {len(ov)} {ov[:10]}")
        print(f"community area sum m2: {sum(g.area for _, g in com):.0f}")
        if "streets" in geoms:
            st = [(t.get("name"), fix(g)) for t, g in geoms["streets"]]
            per = collections.Counter(); outside = 0
            for n, c in com:
                best = max(((s.intersection(c).area, sn) for sn, s in st), default=(0, None))
                if best[0] > 0: per[best[1]] += 1
                else: outside += 1
            print(f"communities per street: {dict(sorted(per.items()))}; outside every street: {outside}")
            print(f"street area sum m2: {sum(g.area for _, g in st):.0f}")


if __name__ == "__main__":
    main()
