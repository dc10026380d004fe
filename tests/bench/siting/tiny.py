#!/usr/bin/python3
"""A tiny siting benchmark input (for the `bench` ctest label: keeps bench_siting and pulp_same.py
working; no timing meaning). Writes DIR/{lines,stations,buildings,candidates}.gpkg in the schema of
the shared coverage generators (mk_grid.py / mk_bld.py): a street grid of N x N blocks of 100 m
(EPSG:32650), buildings as 10 m squares with a `pop` field, station and candidate points.

    /usr/bin/python3 tests/bench/siting/tiny.py DIR [N]
"""
import os, random, sys

from osgeo import ogr, osr


def layer(path, geom_type, fields=()):
    drv = ogr.GetDriverByName('GPKG')
    if os.path.exists(path):
        drv.DeleteDataSource(path)
    ds = drv.CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32650)
    lyr = ds.CreateLayer(os.path.splitext(os.path.basename(path))[0], srs, geom_type)
    for name, kind in fields:
        lyr.CreateField(ogr.FieldDefn(name, kind))
    return ds, lyr


def add(lyr, wkt, **values):
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
    for k, v in values.items():
        f.SetField(k, v)
    lyr.CreateFeature(f)


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    os.makedirs(out, exist_ok=True)
    rng = random.Random(7)
    size = 100.0 * n
    ds, lyr = layer(os.path.join(out, 'lines.gpkg'), ogr.wkbLineString)
    for i in range(n + 1):
        for k in range(n):
            add(lyr, f'LINESTRING ({k * 100} {i * 100}, {(k + 1) * 100} {i * 100})')
            add(lyr, f'LINESTRING ({i * 100} {k * 100}, {i * 100} {(k + 1) * 100})')
    ds = None
    ds, lyr = layer(os.path.join(out, 'buildings.gpkg'), ogr.wkbPolygon, [('pop', ogr.OFTReal)])
    for _ in range(40 * n):
        x, y = rng.uniform(0, size - 10), rng.uniform(0, size - 10)
        add(lyr, f'POLYGON (({x} {y}, {x + 10} {y}, {x + 10} {y + 10}, {x} {y + 10}, {x} {y}))',
            pop=float(rng.randint(5, 120)))
    ds = None
    for name, count in (('stations', 2), ('candidates', 3 * n)):
        ds, lyr = layer(os.path.join(out, name + '.gpkg'), ogr.wkbPoint)
        for _ in range(count):
            add(lyr, f'POINT ({rng.uniform(0, size)} {rng.uniform(0, size)})')
        ds = None


if __name__ == '__main__':
    main()
