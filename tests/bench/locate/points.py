#!/usr/bin/python3
"""Writes N pseudo-random points (seeded) as a lon/lat CSV, uniform over the box of a layer's
features (the city's communities): the backlog of events `gridplan locate` is benchmarked on.

    points.py SOURCE LAYER N SEED OUT.csv
"""
import random
import sys

from osgeo import ogr, osr

source, layer_name, n, seed, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ds = ogr.Open(source)
layer = ds.GetLayerByName(layer_name) if layer_name else ds.GetLayer(0)
west, east, south, north = layer.GetExtent()
wgs84 = osr.SpatialReference()
wgs84.ImportFromEPSG(4326)
wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
src = layer.GetSpatialRef()
src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
to_wgs84 = osr.CoordinateTransformation(src, wgs84)
rng = random.Random(seed)
xy = [(rng.uniform(west, east), rng.uniform(south, north)) for _ in range(n)]
lonlat = to_wgs84.TransformPoints(xy)
with open(out, "w") as fh:
    fh.write("id,name,lon,lat\n")
    for i, (lon, lat, *_) in enumerate(lonlat):
        fh.write(f"e{i:07d},event {i},{lon:.7f},{lat:.7f}\n")
