#!/usr/bin/python3
"""Input preparation for the coverage benchmark.

  prep.py points BUILDINGS.gpkg OUT.csv
      access point per building (GEOS PointOnSurface = the engine's default anchor) -> bid,x,y
  prep.py node LINES.gpkg OUT_EDGES.gpkg
      fallback noder used only when bench_coverage (the engine) is not built: nodes the lines at every
      shared vertex and crossing (shapely unary_union), writes the shared edges format
      (id, source, target, cost, reverse_cost, LineString).
"""
import sys

import geopandas as gpd


def points(src, out):
    b = gpd.read_file(src)
    p = b.geometry.representative_point()
    with open(out, 'w') as f:
        f.write('bid,x,y\n')
        for bid, q in zip(b.bid.values, p.values):
            f.write(f'{bid},{q.x!r},{q.y!r}\n')


def node(src, out):
    from shapely.geometry import LineString
    from shapely.ops import unary_union
    lines = gpd.read_file(src)
    merged = unary_union(list(lines.geometry.values))
    parts = list(getattr(merged, 'geoms', [merged]))
    ids = {}
    rows = []
    for g in parts:
        if g.length <= 0:
            continue
        a, z = g.coords[0], g.coords[-1]
        s = ids.setdefault(a, len(ids) + 1); t = ids.setdefault(z, len(ids) + 1)
        rows.append(dict(id=len(rows) + 1, source=s, target=t, cost=g.length, reverse_cost=g.length,
                         geometry=LineString(g.coords)))
    gpd.GeoDataFrame(rows, crs=lines.crs).to_file(out, layer='edges', driver='GPKG')
    print(f'{len(rows)} edges, {len(ids)} nodes')


if __name__ == '__main__':
    {'points': points, 'node': node}[sys.argv[1]](*sys.argv[2:])
