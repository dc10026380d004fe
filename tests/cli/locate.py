#!/usr/bin/python3
"""`gridplan locate` on the embedded sample (issue 21 item 3), as a specification:

1. a point on each building (GEOS PointOnSurface of its footprint, in the working CRS: the
   building's own access point, as the sample has no entrances) is located in that building's
   grid, community and street, names the building, and gets the building's walking minutes to the
   nearest service centre and warm station exactly, by the same rule;
2. the same points as WGS 84 lon/lat in a CSV land in the same grids;
3. points far outside (at sea, in Nice) are `outside`, with no grid and no code: never a guess;
4. a CSV without coordinate columns is refused (exit 3) naming the columns it looked for, and
   existing outputs are not replaced without --force (exit 3).

    locate.py GRIDPLAN SOURCE_DIR SCRATCH_DIR
"""
import csv
import os
import shutil
import sqlite3
import subprocess
import sys

from osgeo import ogr, osr

gp, src, out = sys.argv[1:4]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
config = os.path.join(src, "data", "monaco.json")


def run(*args, expect=0):
    p = subprocess.run([gp, *args], capture_output=True, text=True)
    assert p.returncode == expect, (args, p.returncode, p.stdout[-2000:], p.stderr[-2000:])
    return p


run("run", config, "-o", f"{out}/run", "--formats", "gpkg", "-q")
ds = ogr.Open(f"{out}/run/gridplan.gpkg")
layer = ds.GetLayerByName("buildings")
working = layer.GetSpatialRef()
epsg = int(working.GetAuthorityCode(None))
wgs84 = osr.SpatialReference()
wgs84.ImportFromEPSG(4326)
wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
to_wgs84 = osr.CoordinateTransformation(working, wgs84)
buildings = {}
footprints = {}
for f in layer:
    footprints[f["id"]] = f.GetGeometryRef().Clone()
    p = f.GetGeometryRef().PointOnSurface()
    lon, lat, _ = to_wgs84.TransformPoint(p.GetX(), p.GetY())
    buildings[f["id"]] = dict(x=p.GetX(), y=p.GetY(), lon=lon, lat=lat, grid=f["grid_code"],
                              group=f["group_code"], comm=f["comm_code"], st=f["st_code"], sc=f["sc_min"],
                              ws=f["ws_min"], sc_id=f["sc_id"], ws_id=f["ws_id"])
assert len(buildings) > 1000, len(buildings)

with open(f"{out}/xy.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["编号", "x", "y"])
    for bid, b in buildings.items():
        w.writerow([bid, repr(b["x"]), repr(b["y"])])
with open(f"{out}/lonlat.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["id", "name", "longitude", "latitude"])
    for bid, b in buildings.items():
        w.writerow([bid, "", f"{b['lon']:.9f}", f"{b['lat']:.9f}"])
    w.writerow(["sea", "at sea", "7.44", "43.73"])
    w.writerow(["nice", "Nice", "7.262", "43.703"])

# 1. Points on the buildings, in the working CRS: the building's grid, codes and minutes.
log = run("locate", config, f"{out}/xy.csv", "-o", f"{out}/xy", "--points-epsg", str(epsg),
          "--lang", "en").stdout
print(log[log.find("located "):][:900])
db = sqlite3.connect(f"{out}/xy/located.gpkg")
rows = db.execute("SELECT id, status, grid_code, comm_code, st_code, bldg_id, sc_id, sc_min, "
                  "ws_id, ws_min, leader, n_part, group_code FROM located").fetchall()
assert len(rows) == len(buildings), (len(rows), len(buildings))
in_grid = 0
overlaps = 0
for pid, status, grid, comm, st, bldg, sc_id, sc, ws_id, ws, leader, n_part, group in rows:
    b = buildings[pid]
    if bldg != pid:  # overlapping footprints (ledger: building_overlap): the first one holding it
        point = ogr.CreateGeometryFromWkt(f"POINT ({b['x']!r} {b['y']!r})")
        assert footprints[bldg].Intersects(point), (pid, bldg)
        overlaps += 1
    on = buildings[bldg]
    assert grid == on["grid"] and comm == on["comm"] and st == on["st"], (pid, grid, on)
    assert group == on["group"] and (group is None or group.startswith(grid)), (pid, group, on)
    assert status == ("grid" if grid else "community" if comm else "street" if st else "outside")
    assert (sc_id, sc) == (b["sc_id"], b["sc"]) and (ws_id, ws) == (b["ws_id"], b["ws"]), \
        (pid, sc_id, sc, ws_id, ws, b)
    if grid:
        in_grid += 1
        assert leader == 1 and n_part >= 1, (pid, leader, n_part)
assert in_grid > 700 and overlaps < 5, (in_grid, overlaps)
grids_db = sqlite3.connect(f"{out}/run/gridplan.gpkg")
n_part_of = dict(grids_db.execute("SELECT code, n_part FROM grids").fetchall())
for grid, n_part in db.execute("SELECT grid_code, n_part FROM located WHERE grid_code IS NOT NULL"):
    assert n_part_of[grid] == n_part, (grid, n_part, n_part_of[grid])
assert os.path.getsize(f"{out}/xy/csv/located.csv") > 0

# 1b. A point inside each building group's polygon, on no building: that group and its grid.
run_ds = ogr.Open(f"{out}/run/gridplan.gpkg")  # the layer lives as long as its dataset
groups = run_ds.GetLayerByName("building_groups")
inside = {}
for f in groups:
    p = f.GetGeometryRef().PointOnSurface()
    if not any(fp.Intersects(p) for fp in footprints.values()):
        inside[f"g{len(inside)}"] = (p.GetX(), p.GetY(), f["code"], f["grid_code"])
assert len(inside) > 20, len(inside)
with open(f"{out}/groups.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["id", "x", "y"])
    for gid, (x, y, _, _) in inside.items():
        w.writerow([gid, repr(x), repr(y)])
run("locate", config, f"{out}/groups.csv", "-o", f"{out}/groups", "--points-epsg", str(epsg), "-q")
db = sqlite3.connect(f"{out}/groups/located.gpkg")
for gid, group, grid, bldg in db.execute("SELECT id, group_code, grid_code, bldg_id FROM located"):
    assert (group, grid, bldg) == (inside[gid][2], inside[gid][3], None), (gid, group, grid)

# 2. The same points as lon/lat (CSV, WGS 84 by default), plus two points far outside.
log = run("locate", config, f"{out}/lonlat.csv", "-o", f"{out}/lonlat").stdout
assert "定位 " in log and "落在网格内：" in log, log[-1500:]
db = sqlite3.connect(f"{out}/lonlat/located.gpkg")
got = {r[0]: r[1:] for r in db.execute("SELECT id, status, grid_code, comm_code, lon, lat, "
                                       "bldg_id FROM located")}
assert len(got) == len(buildings) + 2
for bid, b in buildings.items():
    status, grid, comm, lon, lat, bldg = got[bid]
    assert bldg in buildings and grid == buildings[bldg]["grid"], (bid, bldg, grid)
    assert abs(lon - b["lon"]) <= 6e-7 and abs(lat - b["lat"]) <= 6e-7, (bid, lon, lat, b)

# 3. Far outside: status outside, nothing else.
for pid in ("sea", "nice"):
    status, grid, comm, lon, lat, bldg = got[pid]
    assert (status, grid, comm, bldg) == ("outside", None, None, None), (pid, got[pid])
with open(f"{out}/lonlat/csv/located.csv", encoding="utf-8-sig") as fh:
    table = list(csv.reader(fh))
assert table[0][:3] == ["点位编号", "点位名称", "落点状态"], table[0]
assert len(table) == len(buildings) + 3

# 4. Refusals: no coordinate columns; outputs not replaced without --force.
with open(f"{out}/nocoords.csv", "w") as fh:
    fh.write("id,address\n1,somewhere\n")
p = run("locate", config, f"{out}/nocoords.csv", "-o", f"{out}/nocoords", expect=3)
assert "no coordinate columns" in p.stderr and "nocoords.csv" in p.stderr, p.stderr
assert not os.path.exists(f"{out}/nocoords")
p = run("locate", config, f"{out}/lonlat.csv", "-o", f"{out}/lonlat", expect=3)
assert "--force" in p.stderr, p.stderr
run("locate", config, f"{out}/lonlat.csv", "-o", f"{out}/lonlat", "--force", "-q")
print("locate: ok,", len(buildings), "buildings,", in_grid, "in a grid")
