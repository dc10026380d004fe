#!/usr/bin/python3
"""Synthetic Kaifeng-sized city in gridplan's real input form (benchmark input, issue 16).

    gen_city.py --seed S --scale F OUTDIR

writes OUTDIR/city.gpkg (EPSG:4547, layers streets, communities, buildings, roads, facilities,
candidates, landuse) and OUTDIR/city.json (the gridplan run configuration, paths relative to it).
Same seed and scale give a byte-identical GeoPackage.

The city is a jittered, gently warped lattice of road blocks (180 m x 150 m); each block is one
kind, drawn by distance from the centre: old town courtyards (平房院落), walk-up rows (多层住宅),
tower compounds (高层小区), urban villages (城中村), schools, hospitals, parks, industry.
Every kind has a local layout (buildings and internal service roads, footways and entrance paths
in block coordinates) mapped into its block bilinearly, so buildings never cross the lattice
roads and internal roads end on them (T-junctions on segments) or cross each other at shared
vertices. Streets (街道) are a household-balanced recursive bisection of the block lattice,
communities (社区) a bisection of each street to about 1,500 households, so every boundary runs
along road centre lines and communities nest exactly in streets. Scale F multiplies the area.
Figures at scale 1 (issue 16, /work/shared/data/README.md): ~100 streets, ~1,000 communities,
~400k buildings, ~1.5 M households, ~250k walking-network nodes, ~300 party service centres,
~100 warm stations, ~2,400 candidate sites. Names and codes: tests/bench/city/README.md.
"""
import argparse
import csv
import json
import math
import os
import struct
import sys
import time

import numpy as np
from osgeo import gdal, ogr, osr

PX, PY = 180.0, 150.0          # nominal block pitch (m), east-west and north-south
BLOCKS_AT_SCALE_1 = 5300       # road blocks of the whole city
HH_PER_COMMUNITY = 1500.0      # households per community the bisection aims at
STREETS_AT_SCALE_1 = 100
EPSG = 4547                    # CGCS2000 / 3-degree Gauss-Kruger CM 114E
CENTRE_LONLAT = (114.34, 34.79)  # Kaifeng
FIXED_DATE = "2026-01-01T00:00:00.000Z"
HERE = os.path.dirname(os.path.abspath(__file__))

# Building type codes -> the `type` value written (docs/config.md: gridplan reads the type to
# tell residential, non-residential and dedicated institutions apart).
TYPES = ["residential", "apartments", "house", "村民住宅", "kindergarten", "school", "hospital",
         "pavilion", "toilets", "industrial", "office", "commercial", "dormitory", "shed", "sports_hall"]
T = {name: i for i, name in enumerate(TYPES)}

KINDS = ["courtyard", "walkup", "tower", "village", "school", "hospital", "park", "industry"]
# kind probabilities by zone: centre (r < 0.3), middle (r < 0.7), outer
ZONE_P = np.array([
    # court walk  tower vill  school hosp park  ind
    [0.55, 0.20, 0.06, 0.04, 0.06, 0.03, 0.04, 0.02],
    [0.28, 0.20, 0.10, 0.26, 0.05, 0.02, 0.04, 0.05],
    [0.10, 0.08, 0.05, 0.50, 0.04, 0.01, 0.03, 0.19],
])

ROAD_NAMES = ["中山路", "自由路", "解放路", "大梁路", "魏都路", "汴京路", "金明大道", "宋城路",
              "东京大道", "五一路", "晋安路", "集英街", "开元路", "西环路", "东环路", "北门大街",
              "曹门大街", "宋门关街", "书店街", "鼓楼街", "寺后街", "包公湖路", "夷山大街",
              "龙亭大道", "苹果园路", "郑开大道", "复兴大道", "西湖路", "金耀路", "滨河路",
              "黄河大街", "劳动路", "汉兴路", "迎宾路", "土柏岗路", "九鼎路", "广场路", "新曹路"]
COMMUNITY_STEMS = ["新华", "和平", "建设", "文化", "光明", "幸福", "振兴", "民主", "团结",
                   "胜利", "朝阳", "向阳", "育才", "兴隆", "东苑", "西苑", "南苑", "北苑",
                   "花园", "翠园", "春晖", "锦绣", "金桥", "汴河", "铁塔", "繁塔", "龙湖",
                   "柳园", "杏花", "清明", "梁苑", "宋都", "大宋", "州桥", "汴梁", "夷山"]


# ---------------------------------------------------------------------------------------------
# Block layouts. Each returns, for nb blocks of the kind (rng draws vectorised over blocks):
#   rects  (nb, K, 4) local x0, y0, x1, y1 (NaN row = no building)
#   btype  (nb, K) type codes, floors (nb, K), hh (nb, K) float (NaN = estimate from floor area)
#   lines  list of (class, pts (nb or 1, S, P, 2), valid (nb or 1, S) or None)
# Local frame: x 0..PX east, y 0..PY north; the lattice roads run along the frame's edges.
# ---------------------------------------------------------------------------------------------

def _line(cls, pts):
    a = np.asarray(pts, dtype=float)[None, None]
    return (cls, a, None)


def walkup(rng, nb):
    rows = 14.0 + 28.0 * np.arange(5)             # slab south edges; depth 12, pitch 28
    cols = [(14.0, 84.0), (96.0, 166.0)]
    K = 10
    L = rng.uniform(40.0, 66.0, (nb, K))
    rects = np.full((nb, 2 * K, 4), np.nan)       # slabs, then a bicycle shed north of each
    stubs = np.empty((nb, K * 2, 2, 2))
    foot_y = 35.0 + 28.0 * np.arange(4)          # footways between rows
    for r in range(5):
        for c in range(2):
            k = r * 2 + c
            lo, hi = cols[c]
            x0 = lo + rng.uniform(0, 1, nb) * (hi - lo - L[:, k])
            rects[:, k] = np.stack([x0, np.full(nb, rows[r]), x0 + L[:, k],
                                    np.full(nb, rows[r] + 12.0)], axis=1)
            xc = x0 + 0.5 * L[:, k]
            if r < 4:
                rects[:, K + k] = np.stack([xc - 4.0, np.full(nb, rows[r] + 13.5), xc + 4.0,
                                            np.full(nb, rows[r] + 16.5)], axis=1)
            # two entrance paths per slab, from the footway north of it (south for the last row)
            for s, frac in enumerate((0.25, 0.75)):
                x = x0 + frac * L[:, k]
                if r < 4:
                    y_from, y_to = foot_y[r], rows[r] + 12.5
                else:
                    y_from, y_to = foot_y[3], rows[r] - 0.5
                stubs[:, k * 2 + s, 0] = np.stack([x, np.full(nb, y_from)], axis=1)
                stubs[:, k * 2 + s, 1] = np.stack([x, np.full(nb, y_to)], axis=1)
    floors = np.ones((nb, 2 * K), dtype=np.int64)
    floors[:, :K] = rng.choice([5, 6, 6, 6, 7], (nb, K))
    btype = np.full((nb, 2 * K), T["shed"])
    btype[:, :K] = T["residential"]
    units = np.maximum(2, np.round(L / 15.0))
    hh = np.full((nb, 2 * K), np.nan)
    hh[:, :K] = np.where(rng.random((nb, K)) < 0.5, floors[:, :K] * 2 * units, np.nan)
    kg = rng.random(nb) < 0.12                      # a kindergarten replaces the first slab
    rects[kg, 0, 2] = rects[kg, 0, 0] + 36.0
    btype[kg, 0] = T["kindergarten"]
    floors[kg, 0] = 3
    hh[kg, 0] = np.nan
    lines = [_line("service", [(90.0, 0.0)] + [(90.0, y) for y in foot_y] + [(90.0, PY)])]
    for y in foot_y:
        lines.append(_line("footway", [(12.0, y), (90.0, y), (168.0, y)]))
    lines.append(("footway", stubs, None))
    return rects, btype, floors, hh, lines


def tower(rng, nb):
    xs, ys = (42.0, 90.0, 138.0), (45.0, 105.0)
    K = 7
    rects = np.full((nb, K, 4), np.nan)
    stubs = np.full((nb, 6, 2, 2), np.nan)
    keep = rng.random((nb, 6)) < 0.9
    for a, y in enumerate(ys):
        for b, x in enumerate(xs):
            k = a * 3 + b
            rects[:, k] = (x - 14.0, y - 8.0, x + 14.0, y + 8.0)
            y_edge = y + 8.5 if y < 75 else y - 8.5
            stubs[:, k] = ((x, 75.0), (x, y_edge))
    rects[:, :6][~keep] = np.nan
    stubs[~keep] = np.nan
    rects[:, 6] = (100.0, 18.0, 120.0, 28.0)      # clubhouse / shops at the gate
    floors = rng.integers(18, 34, (nb, K))
    floors[:, 6] = 2
    btype = np.full((nb, K), T["apartments"])
    btype[:, 6] = T["commercial"]
    hh = np.full((nb, K), np.nan)
    ring = [(90.0, 14.0), (166.0, 14.0), (166.0, 75.0), (166.0, 136.0), (14.0, 136.0),
            (14.0, 14.0), (90.0, 14.0)]
    lines = [_line("service", ring), _line("service", [(90.0, 0.0), (90.0, 14.0)]),
             _line("service", [(166.0, 75.0), (PX, 75.0)]),
             _line("footway", [(14.0, 75.0), (166.0, 75.0)]),
             ("footway", stubs, ~np.isnan(stubs[:, :, 0, 0]))]
    return rects, btype, floors, hh, lines


def courtyard(rng, nb):
    bands = [(12.0, 36.0), (40.0, 73.0), (77.0, 110.0), (114.0, 138.0)]
    lanes = (35.0, 60.0, 90.0, 120.0, 145.0)
    edges = (12.0,) + tuple(v for x in lanes for v in (x - 2.5, x + 2.5)) + (168.0,)
    segs = [(edges[2 * i], edges[2 * i + 1], 2) for i in range(len(lanes) + 1)]
    lots = [(x0 + i * (x1 - x0) / n, x0 + (i + 1) * (x1 - x0) / n, y0, y1)
            for (y0, y1) in bands for (x0, x1, n) in segs for i in range(n)]
    nl = len(lots)
    lot = np.array(lots)                           # (nl, 4): x0, x1, y0, y1
    K = nl * 3
    rects = np.full((nb, nl, 3, 4), np.nan)
    lx0, lx1, ly0, ly1 = (lot[:, i][None, :] for i in range(4))
    north = np.stack(np.broadcast_arrays(lx0 + 0.5, ly1 - 5.0, lx1 - 0.5, ly1 - 0.5), -1)
    wing = np.stack(np.broadcast_arrays(lx1 - 4.0, ly0 + 5.5, lx1 - 0.5, ly1 - 6.0), -1)
    south = np.stack(np.broadcast_arrays(lx0 + 0.5, ly0 + 0.5, lx1 - 0.5, ly0 + 4.5), -1)
    rebuilt = np.stack(np.broadcast_arrays(lx0 + 0.8, ly0 + 2.0, lx1 - 0.8, ly1 - 2.0), -1)
    r = rng.random((nb, nl))
    is_new = r < 0.1
    has_wing = (rng.random((nb, nl)) < 0.85) & ~is_new
    has_south = (rng.random((nb, nl)) < 0.6) & ~is_new & ((lot[:, 3] - lot[:, 2]) > 28)[None]
    rects[:, :, 0] = np.where(is_new[..., None], rebuilt, north)
    rects[:, :, 1] = np.where(has_wing[..., None], wing, np.nan)
    rects[:, :, 2] = np.where(has_south[..., None], south, np.nan)
    rects = rects.reshape(nb, K, 4)
    floors = np.ones((nb, nl, 3), dtype=np.int64)
    floors[:, :, 0] = np.where(is_new, rng.integers(2, 4, (nb, nl)), 1)
    hh = np.zeros((nb, nl, 3))
    hh[:, :, 0] = np.where(is_new, rng.integers(2, 5, (nb, nl)), rng.integers(1, 4, (nb, nl)))
    hh[:, :, 1] = rng.integers(0, 2, (nb, nl))
    hh[:, :, 2] = 1
    btype = np.full((nb, K), T["house"])
    lines = []
    hutongs = (38.0, 75.0, 112.0)
    # gate paths from the hutong to half of the courtyards (the others are not surveyed)
    face = {12.0: (38.0, 36.0), 40.0: (38.0, 40.0), 77.0: (75.0, 77.0), 114.0: (112.0, 114.0)}
    hy = np.array([face[y0][0] for (_, _, y0, _) in lots])
    ey = np.array([face[y0][1] for (_, _, y0, _) in lots])
    xc = 0.5 * (lot[:, 0] + lot[:, 1]) + rng.uniform(-2.0, 2.0, (nb, nl))
    gates = np.stack([np.stack([xc, np.broadcast_to(hy, xc.shape)], -1),
                      np.stack([xc, np.broadcast_to(ey, xc.shape)], -1)], axis=2)
    for y in hutongs:
        lines.append(_line("service", [(0.0, y)] + [(x, y) for x in lanes] + [(PX, y)]))
    for x in lanes:
        lines.append(_line("footway", [(x, 0.0)] + [(x, y) for y in hutongs] + [(x, PY)]))
    lines.append(("footway", gates, rng.random((nb, nl)) < 0.5))
    return rects, btype, floors.reshape(nb, K), hh.reshape(nb, K), lines


def village(rng, nb):
    row_y = [13.0, 23.0, 36.0, 46.0, 59.0, 69.0, 82.0, 92.0, 105.0, 115.0, 128.0]
    alleys_x = (35.0, 57.5, 80.0, 102.5, 125.0, 147.5)
    edges = (12.0,) + tuple(v for x in alleys_x for v in (x - 1.5, x + 1.5)) + (168.0,)
    segs = [(edges[2 * i], edges[2 * i + 1], 2) for i in range(len(alleys_x) + 1)]
    lots = [(x0 + i * (x1 - x0) / n, y, x0 + (i + 1) * (x1 - x0) / n, y + 10.0)
            for y in row_y for (x0, x1, n) in segs for i in range(n)]
    base = np.array(lots)
    K = len(lots)
    shrink = rng.uniform(0.2, 0.8, (nb, K, 4))
    rects = base[None] + shrink * np.array([1.0, 0.5, -1.0, -0.5])
    rects[rng.random((nb, K)) >= 0.93] = np.nan
    floors = rng.choice([1, 2, 2, 3, 3, 3, 4, 5], (nb, K))
    hh = np.where(rng.random((nb, K)) < 0.6, floors * rng.choice([1, 1, 1, 2], (nb, K)), np.nan)
    btype = np.full((nb, K), T["村民住宅"])
    alleys_y = (34.5, 57.5, 80.5, 103.5, 126.5)
    lines = []
    for y in alleys_y:
        lines.append(_line("footway", [(0.0, y)] + [(x, y) for x in alleys_x] + [(PX, y)]))
    for x in alleys_x:
        lines.append(_line("footway", [(x, 0.0)] + [(x, y) for y in alleys_y] + [(x, PY)]))
    return rects, btype, floors, hh, lines


def school(rng, nb):
    base = np.array([(30.0, 100.0, 90.0, 114.0), (30.0, 70.0, 90.0, 84.0),
                     (100.0, 100.0, 130.0, 130.0), (140.0, 100.0, 168.0, 125.0)])
    rects = np.broadcast_to(base, (nb, 4, 4)).copy()
    rects[:, 3][rng.random(nb) < 0.3] = np.nan
    floors = np.broadcast_to(np.array([5, 4, 4, 2]), (nb, 4)).copy()
    btype = np.full((nb, 4), T["school"])
    btype[:, 3] = T["sports_hall"]
    hh = np.full((nb, 4), np.nan)
    lines = [_line("footway", [(90.0, 0.0), (90.0, 95.0)]),
             _line("footway", [(20.0, 95.0), (90.0, 95.0), (160.0, 95.0)])]
    return rects, btype, floors, hh, lines


def hospital(rng, nb):
    base = np.array([(40.0, 80.0, 90.0, 105.0), (95.0, 30.0, 165.0, 60.0),
                     (30.0, 25.0, 70.0, 45.0), (110.0, 90.0, 160.0, 102.0)])
    rects = np.broadcast_to(base, (nb, 4, 4)).copy()
    floors = np.stack([rng.integers(10, 19, nb), np.full(nb, 4), np.full(nb, 6),
                       np.full(nb, 6)], axis=1)
    btype = np.broadcast_to(np.array([T["hospital"]] * 3 + [T["residential"]]), (nb, 4)).copy()
    hh = np.full((nb, 4), np.nan)
    ring = [(90.0, 14.0), (166.0, 14.0), (166.0, 136.0), (14.0, 136.0), (14.0, 14.0),
            (90.0, 14.0)]
    lines = [_line("service", ring), _line("service", [(90.0, 0.0), (90.0, 14.0)]),
             _line("footway", [(90.0, 14.0), (90.0, 70.0)])]
    return rects, btype, floors, hh, lines


def park(rng, nb):
    spots = np.array([(50.0, 40.0), (130.0, 40.0), (50.0, 110.0), (130.0, 110.0),
                      (90.0, 75.0), (30.0, 75.0), (150.0, 75.0)])
    K = len(spots) + 1
    rects = np.full((nb, K, 4), np.nan)
    jit = rng.uniform(-8.0, 8.0, (nb, len(spots), 2))
    c = spots[None] + jit
    rects[:, :-1] = np.concatenate([c - 3.0, c + 3.0], axis=-1)
    rects[:, :-1][rng.random((nb, len(spots))) < 0.3] = np.nan
    rects[:, -1] = (84.0, 18.0, 96.0, 24.0)          # public toilet by the gate
    floors = np.ones((nb, K), dtype=np.int64)
    btype = np.full((nb, K), T["pavilion"])
    btype[:, -1] = T["toilets"]
    hh = np.full((nb, K), np.nan)
    loop = [(90.0, 28.0), (140.0, 55.0), (140.0, 95.0), (90.0, 122.0), (40.0, 95.0),
            (40.0, 55.0), (90.0, 28.0)]
    lines = [_line("footway", loop), _line("footway", [(90.0, 0.0), (90.0, 28.0)]),
             _line("footway", [(90.0, 122.0), (90.0, PY)]),
             _line("footway", [(0.0, 75.0), (40.0, 75.0)]),
             _line("footway", [(140.0, 75.0), (PX, 75.0)])]
    return rects, btype, floors, hh, lines


def industry(rng, nb):
    base = np.array([(15.0, 15.0, 80.0, 60.0), (100.0, 15.0, 165.0, 60.0),
                     (15.0, 90.0, 80.0, 135.0), (100.0, 90.0, 165.0, 120.0),
                     (100.0, 124.0, 140.0, 136.0)])
    K = len(base)
    shrink = rng.uniform(0.0, 10.0, (nb, K, 4)) * np.array([1.0, 1.0, -1.0, -1.0])
    rects = base[None] + shrink
    rects[:, 4] = base[4]
    floors = np.stack([rng.integers(1, 3, nb) for _ in range(4)] + [np.full(nb, 5)], axis=1)
    btype = np.broadcast_to(np.array([T["industrial"]] * 3 + [T["office"], T["dormitory"]]),
                            (nb, K)).copy()
    rects[:, 4][rng.random(nb) >= 0.4] = np.nan      # a workers' dormitory in 40% of plants
    hh = np.full((nb, K), np.nan)
    lines = [_line("service", [(90.0, 0.0), (90.0, 75.0), (90.0, PY)]),
             _line("service", [(0.0, 75.0), (90.0, 75.0), (PX, 75.0)])]
    return rects, btype, floors, hh, lines


LAYOUTS = [courtyard, walkup, tower, village, school, hospital, park, industry]


# ---------------------------------------------------------------------------------------------

def bilinear(C, xy):
    """C (nb, 4, 2) block corners P00, P10, P01, P11; xy (nb, ..., 2) local -> world."""
    shape = (C.shape[0],) + (1,) * (xy.ndim - 2) + (2,)
    u = (xy[..., 0] / PX)[..., None]
    v = (xy[..., 1] / PY)[..., None]
    P00, P10, P01, P11 = (C[:, i].reshape(shape) for i in range(4))
    return (1 - u) * (1 - v) * P00 + u * (1 - v) * P10 + (1 - u) * v * P01 + u * v * P11


def centre_xy():
    src = osr.SpatialReference()
    src.ImportFromEPSG(4490)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(EPSG)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x, y, _ = osr.CoordinateTransformation(src, dst).TransformPoint(*CENTRE_LONLAT)
    return round(x), round(y)


def make_lattice(rng, scale):
    n = max(4.0, BLOCKS_AT_SCALE_1 * scale)
    nx = max(2, int(round(math.sqrt(n * 1.25))))
    ny = max(2, int(round(n / nx)))
    cx, cy = centre_xy()
    x0, y0 = cx - nx * PX / 2, cy - ny * PY / 2
    I, J = np.meshgrid(np.arange(nx + 1), np.arange(ny + 1), indexing="ij")
    X = x0 + I * PX
    Y = y0 + J * PY
    # gentle warp (a few tens of metres over kilometres) and node jitter
    X = X + 25.0 * np.sin(Y / 2300.0) + np.clip(rng.normal(0, 4.0, X.shape), -10, 10)
    Y = Y + 20.0 * np.sin(X / 1900.0) + np.clip(rng.normal(0, 4.0, Y.shape), -10, 10)
    return nx, ny, np.stack([X, Y], axis=-1)


def block_kinds(rng, nx, ny):
    cx, cy = (nx - 1) / 2.0, (ny - 1) / 2.0
    I, J = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    r = np.hypot((I - cx) / max(cx, 1), (J - cy) / max(cy, 1)) / math.sqrt(2)
    zone = np.where(r < 0.3, 0, np.where(r < 0.7, 1, 2))
    u = rng.random((nx, ny))
    cum = np.cumsum(ZONE_P, axis=1)
    cum /= cum[:, -1:]
    kinds = (u[..., None] > cum[zone]).sum(axis=-1)
    if nx * ny >= 4:
        kinds[int(cx), int(cy)] = KINDS.index("walkup")   # a tiny city still has homes
    return kinds


def bisect(W, rect, n, out):
    """Split block rectangle rect = (i0, i1, j0, j1) into n parts of balanced weight W."""
    i0, i1, j0, j1 = rect
    n = min(n, (i1 - i0) * (j1 - j0))
    if n <= 1:
        out.append(rect)
        return
    n1 = n // 2
    sub = W[i0:i1, j0:j1]
    total = sub.sum()
    # cut across the longer side (in metres) unless it is one block wide
    axis = 0 if (i1 - i0) * PX >= (j1 - j0) * PY else 1
    if sub.shape[axis] < 2:
        axis = 1 - axis
    cum = np.cumsum(sub.sum(axis=1 - axis))[:-1]
    k = int(np.argmin(np.abs(cum - total * n1 / n))) + 1
    if axis == 0:
        a, b = (i0, i0 + k, j0, j1), (i0 + k, i1, j0, j1)
    else:
        a, b = (i0, i1, j0, j0 + k), (i0, i1, j0 + k, j1)
    wa = W[a[0]:a[1], a[2]:a[3]].sum()
    na = max(1, min(n - 1, int(round(n * wa / total)))) if total > 0 else n1
    bisect(W, a, na, out)
    bisect(W, b, n - na, out)


def ring_of(L, rect):
    i0, i1, j0, j1 = rect
    pts = [L[i, j0] for i in range(i0, i1 + 1)] + [L[i1, j] for j in range(j0 + 1, j1 + 1)]
    pts += [L[i, j1] for i in range(i1 - 1, i0 - 1, -1)]
    pts += [L[i0, j] for j in range(j1 - 1, j0 - 1, -1)]
    return np.array(pts)


def load_names():
    streets, comms = [], {}
    with open(os.path.join(HERE, "kaifeng_names.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if not streets or streets[-1][0] != row["street_code"]:
                streets.append((row["street_code"], row["street_name"]))
            if row["community_code"]:
                comms.setdefault(row["street_code"], []).append(
                    (row["community_code"], row["community_name"]))
    return streets, comms


LANDUSE_INSET = 4.0  # m inside the lattice road centre lines (OSM areas stop at the kerb)
LANDUSE_OF_KIND = {"courtyard": "residential", "walkup": "residential", "tower": "residential",
                   "village": "residential", "school": "school", "hospital": "hospital"}


def landuse_areas(kinds_flat, C_flat):
    """Landuse polygons as OSM maps them (no random draws: the rest of the city is unchanged):
    landuse=residential over each residential block, amenity=school|hospital grounds over each
    school and hospital block; (block, type, name, ring), by block."""
    d = LANDUSE_INSET
    local = np.array([(d, d), (PX - d, d), (PX - d, PY - d), (d, PY - d), (d, d)])
    out = []
    seq = {"school": 0, "hospital": 0}
    for blk in range(len(kinds_flat)):
        typ = LANDUSE_OF_KIND.get(KINDS[kinds_flat[blk]])
        if typ is None:
            continue
        ring = bilinear(C_flat[blk:blk + 1], local[None])[0]
        name = None
        if typ in seq:
            seq[typ] += 1
            name = ("开封市第%d中学" if typ == "school" else "开封市第%d人民医院") % seq[typ]
        out.append((blk, typ, name, ring))
    return out


# --- WKB --------------------------------------------------------------------------------------

def wkb_polygon(ring):
    ring = np.asarray(ring, dtype="<f8")
    if not np.array_equal(ring[0], ring[-1]):
        ring = np.vstack([ring, ring[:1]])
    return struct.pack("<BIII", 1, 3, 1, len(ring)) + ring.tobytes()


def wkb_line(pts):
    pts = np.asarray(pts, dtype="<f8")
    return struct.pack("<BII", 1, 2, len(pts)) + pts.tobytes()


def wkb_point(x, y):
    return struct.pack("<BIdd", 1, 1, x, y)


# --- main -------------------------------------------------------------------------------------

def generate(seed, scale):
    rng = np.random.default_rng([seed, 16])
    nx, ny, L = make_lattice(rng, scale)
    kinds = block_kinds(rng, nx, ny)
    C_all = np.stack([L[:-1, :-1], L[1:, :-1], L[:-1, 1:], L[1:, 1:]], axis=2)  # (nx, ny, 4, 2)
    blk_i, blk_j = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    blk_id = (blk_i * ny + blk_j).ravel()
    C_flat = C_all.reshape(-1, 4, 2)
    kinds_flat = kinds.ravel()

    # buildings and internal roads per kind, vectorised over the blocks of the kind
    B = {"ring": [], "block": [], "type": [], "floors": [], "hh": []}
    R = []     # (block, class, pts)
    for kind, layout in enumerate(LAYOUTS):
        sel = np.nonzero(kinds_flat == kind)[0]
        if len(sel) == 0:
            continue
        rects, btype, floors, hh, lines = layout(rng, len(sel))
        C = C_flat[sel]
        x0, y0, x1, y1 = (rects[..., i] for i in range(4))
        corners = np.stack([np.stack([x0, y0], -1), np.stack([x1, y0], -1),
                            np.stack([x1, y1], -1), np.stack([x0, y1], -1),
                            np.stack([x0, y0], -1)], axis=2)                   # (nb, K, 5, 2)
        world = bilinear(C, corners.reshape(len(sel), -1, 2)).reshape(corners.shape)
        valid = ~np.isnan(rects[..., 0])
        bi, ki = np.nonzero(valid)
        B["ring"].append(world[bi, ki])
        B["block"].append(blk_id[sel][bi] * 1000 + ki)
        B["type"].append(btype[bi, ki])
        B["floors"].append(floors[bi, ki])
        B["hh"].append(hh[bi, ki])
        for cls, pts, ok in lines:
            pts = np.broadcast_to(pts, (len(sel),) + pts.shape[1:])
            ok = np.ones(pts.shape[:2], bool) if ok is None else np.broadcast_to(ok, pts.shape[:2])
            w = bilinear(C, pts.reshape(len(sel), -1, 2)).reshape(pts.shape)
            for b, s in zip(*np.nonzero(ok)):
                R.append((int(blk_id[sel][b]), cls, w[b, s]))
    order = np.argsort(np.concatenate(B["block"]), kind="stable")
    rings = np.concatenate(B["ring"])[order]
    btype = np.concatenate(B["type"])[order]
    floors = np.concatenate(B["floors"])[order]
    hh = np.concatenate(B["hh"])[order]
    bblock = np.concatenate(B["block"])[order] // 1000
    R.sort(key=lambda r: r[0])

    # households as gridplan estimates them (docs/config.md), for the street/community split
    x, y = rings[:, :4, 0], rings[:, :4, 1]
    area = 0.5 * np.abs(np.sum(x * np.roll(y, -1, 1) - np.roll(x, -1, 1) * y, axis=1))
    nonres = np.isin(btype, [T[t] for t in ("kindergarten", "school", "hospital", "pavilion",
                                            "toilets", "industrial", "office", "commercial",
                                            "shed", "sports_hall")])
    est = np.where(nonres, 0.0, area * floors / 90.0)
    hh_eff = np.where(np.isnan(hh), est, hh)
    W = np.bincount(bblock, weights=hh_eff, minlength=nx * ny).reshape(nx, ny) + 30.0

    n_streets = max(1, int(round(STREETS_AT_SCALE_1 * scale)))
    streets = []
    bisect(W, (0, nx, 0, ny), n_streets, streets)
    ccx, ccy = nx / 2.0, ny / 2.0
    streets.sort(key=lambda r: (round(math.hypot((r[0] + r[1]) / 2 - ccx,
                                                 (r[2] + r[3]) / 2 - ccy), 6), r))
    names, real_comms = load_names()
    street_rows, comm_rows = [], []
    block_comm = np.full((nx, ny), -1)
    for s, rect in enumerate(streets):
        if s < len(names):
            scode, sname = names[s]
        else:
            scode, sname = "4102%02d%03d" % (90 + s // 1000, s % 1000), "新区%d街道" % (s + 1)
        street_rows.append((scode, sname, ring_of(L, rect)))
        i0, i1, j0, j1 = rect
        w = W[i0:i1, j0:j1].sum()
        parts = []
        w -= 30.0 * (i1 - i0) * (j1 - j0)                 # households only
        n_parts = int(round(w / HH_PER_COMMUNITY))
        if w >= 900.0:                                    # a tiny city still has a few
            n_parts = max(n_parts, min(3, (i1 - i0) * (j1 - j0)))
        bisect(W, rect, max(1, n_parts), parts)
        parts.sort(key=lambda r: (-r[3], r[0]))           # north to south, west to east
        real = real_comms.get(scode, [])
        next_seq = max([int(c[-3:]) for c, _ in real] + [0]) + 1
        short = sname.replace("街道", "").replace("办事处", "")
        for c, prect in enumerate(parts):
            if c < len(real):
                ccode, cname = real[c]
            else:
                ccode = scode + "%03d" % next_seq
                next_seq += 1
                cname = short + COMMUNITY_STEMS[(s * 7 + c) % len(COMMUNITY_STEMS)] + "社区"
            block_comm[prect[0]:prect[1], prect[2]:prect[3]] = len(comm_rows)
            comm_rows.append((ccode, cname, scode, ring_of(L, prect), prect))

    # facilities: one party service centre per street, ~0.2 per community more; warm stations
    # along the arterials; candidate host sites (shops, banks ...) spread over the blocks
    def edge_point(blocks, side_u):
        """A point 7 m inside the block's south edge at local x = side_u * PX."""
        xy = np.stack([side_u * PX, np.full(len(blocks), 7.0)], axis=1)[:, None]
        return bilinear(C_flat[blocks], xy)[:, 0]

    fac = []
    for s, (scode, sname, _) in enumerate(street_rows):
        i0, i1, j0, j1 = streets[s]
        b = (i0 + (i1 - i0) // 2) * ny + (j0 + (j1 - j0) // 2)
        p = edge_point(np.array([b]), np.array([0.35]))[0]
        fac.append((sname + "党群服务中心", "党群服务中心", p))
    n_extra = int(round(0.206 * len(comm_rows)))
    for c in np.sort(rng.choice(len(comm_rows), size=min(n_extra, len(comm_rows)), replace=False)):
        ccode, cname, _, _, (i0, i1, j0, j1) = comm_rows[c]
        b = int(rng.integers(i0, i1)) * ny + int(rng.integers(j0, j1))
        p = edge_point(np.array([b]), rng.uniform(0.2, 0.8, 1))[0]
        fac.append((cname + "党群服务中心", rng.choice(["党群服务中心", "社区党群服务中心"]), p))
    # warm stations just north of an east-west primary road (lattice line j % 6 == 0)
    arterial = np.nonzero((blk_j.ravel() % 6 == 0))[0]
    n_warm = max(1, int(round(100 * scale)))
    for k, b in enumerate(np.sort(rng.choice(arterial, size=min(n_warm, len(arterial)),
                                             replace=False))):
        p = edge_point(np.array([b]), rng.uniform(0.1, 0.9, 1))[0]
        fac.append(("暖心驿站%03d" % (k + 1), "暖心驿站", p))

    cand_types = ["convenience", "bank", "pharmacy", "supermarket", "post_office", "fuel",
                  "community_centre", "restaurant", "kiosk"]
    cand_names = {"convenience": "便利店", "bank": "银行网点", "pharmacy": "大药房",
                  "supermarket": "超市", "post_office": "邮政所", "fuel": "加油站",
                  "community_centre": "社区活动中心", "restaurant": "饭店", "kiosk": "报刊亭"}
    n_cand = max(4, int(round(2430 * scale)))
    cb = np.sort(rng.integers(0, nx * ny, n_cand))
    ct = rng.choice(len(cand_types), n_cand, p=[.25, .12, .15, .10, .03, .03, .02, .20, .10])
    cu = rng.uniform(0.05, 0.95, n_cand)
    cp = edge_point(cb, cu)
    cost = np.round(rng.uniform(5, 40, n_cand), 1)
    cands = [("%s%s%04d" % (ROAD_NAMES[int(cb[k]) % len(ROAD_NAMES)], cand_names[cand_types[t]],
                            k + 1), cand_types[t], cp[k], cost[k]) for k, t in enumerate(ct)]

    # lattice roads: arterials as long lines (a vertex at every crossing), the others per edge
    def cls_of(idx):
        if idx % 6 == 0:
            return "primary"
        if idx % 6 == 3:
            return "secondary"
        return "tertiary" if idx % 2 == 1 else "residential"

    lat = []
    for axis, n_lines, n_len in ((0, nx + 1, ny), (1, ny + 1, nx)):
        for a in range(n_lines):
            cls = cls_of(a)
            name = ROAD_NAMES[(a * 5 + axis * 17) % len(ROAD_NAMES)]
            pts = L[a, :] if axis == 0 else L[:, a]
            step = 6 if cls in ("primary", "secondary") else 1
            for k in range(0, n_len, step):
                lat.append((cls, name, pts[k:min(n_len, k + step) + 1]))

    return dict(nx=nx, ny=ny, kinds=kinds, rings=rings, btype=btype, floors=floors, hh=hh,
                hh_eff=hh_eff, streets=street_rows, comms=comm_rows, fac=fac, cands=cands,
                lat=lat, internal=R, landuse=landuse_areas(kinds_flat, C_flat))


def write_gpkg(path, city):
    gdal.SetConfigOption("OGR_CURRENT_DATE", FIXED_DATE)
    gdal.SetConfigOption("OGR_SQLITE_JOURNAL", "OFF")
    drv = ogr.GetDriverByName("GPKG")
    if os.path.exists(path):
        drv.DeleteDataSource(path)
    ds = drv.CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)

    def layer(name, gtype, fields):
        lyr = ds.CreateLayer(name, srs, gtype, options=["FID=fid", "SPATIAL_INDEX=YES"])
        for fname, ftype in fields:
            lyr.CreateField(ogr.FieldDefn(fname, ftype))
        return lyr

    def put(lyr, values, wkb):
        f = ogr.Feature(lyr.GetLayerDefn())
        for i, v in enumerate(values):
            if v is not None:
                f.SetField(i, v)
        f.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
        lyr.CreateFeature(f)

    S, I, R_ = ogr.OFTString, ogr.OFTInteger, ogr.OFTReal
    ds.StartTransaction()
    lyr = layer("streets", ogr.wkbPolygon, [("id", S), ("code", S), ("name", S)])
    for k, (code, name, ring) in enumerate(city["streets"]):
        put(lyr, ["s%03d" % (k + 1), code, name], wkb_polygon(ring))
    lyr = layer("communities", ogr.wkbPolygon,
                [("id", S), ("code", S), ("name", S), ("street_code", S)])
    for k, (code, name, scode, ring, _) in enumerate(city["comms"]):
        put(lyr, ["c%04d" % (k + 1), code, name, scode], wkb_polygon(ring))
    lyr = layer("buildings", ogr.wkbPolygon,
                [("id", S), ("type", S), ("floors", I), ("households", I)])
    rings = np.ascontiguousarray(city["rings"], dtype="<f8")
    head = struct.pack("<BIII", 1, 3, 1, 5)
    raw = rings.tobytes()
    stride = 80
    for k in range(len(rings)):
        hh = city["hh"][k]
        put(lyr, ["b%06d" % (k + 1), TYPES[city["btype"][k]], int(city["floors"][k]),
                  None if np.isnan(hh) else int(hh)], head + raw[k * stride:(k + 1) * stride])
    lyr = layer("roads", ogr.wkbLineString, [("id", S), ("name", S), ("class", S)])
    k = 0
    for cls, name, pts in city["lat"]:
        k += 1
        put(lyr, ["r%06d" % k, name, cls], wkb_line(pts))
    for _, cls, pts in city["internal"]:
        k += 1
        put(lyr, ["r%06d" % k, None, cls], wkb_line(pts))
    lyr = layer("landuse", ogr.wkbPolygon, [("id", S), ("name", S), ("type", S)])
    for k, (_, typ, name, ring) in enumerate(city["landuse"]):
        put(lyr, ["l%05d" % (k + 1), name, typ], wkb_polygon(ring))
    lyr = layer("facilities", ogr.wkbPoint, [("id", S), ("name", S), ("type", S)])
    for k, (name, typ, p) in enumerate(city["fac"]):
        put(lyr, ["f%04d" % (k + 1), name, str(typ)], wkb_point(*p))
    lyr = layer("candidates", ogr.wkbPoint, [("id", S), ("name", S), ("type", S), ("cost", R_)])
    for k, (name, typ, p, cost) in enumerate(city["cands"]):
        put(lyr, ["k%05d" % (k + 1), name, typ, float(cost)], wkb_point(*p))
    ds.CommitTransaction()
    ds = None


def write_config(path, n_cand):
    cfg = {
        "inputs": {
            "streets": {"path": "city.gpkg", "layer": "streets"},
            "communities": {"path": "city.gpkg", "layer": "communities"},
            "buildings": {"path": "city.gpkg", "layer": "buildings"},
            "roads": {"path": "city.gpkg", "layer": "roads"},
            "facilities": {"path": "city.gpkg", "layer": "facilities"},
            "candidates": {"path": "city.gpkg", "layer": "candidates"},
            "landuse": {"path": "city.gpkg", "layer": "landuse"},
        },
        "crs": {"working_epsg": EPSG},
        "households": {"floor_area_per_household_m2": 90.0, "persons_per_household": 2.62,
                       "residential_share": 1.0, "default_floors": 1.0},
        "siting": {"kind": "warm_station", "p": max(1, min(50, n_cand // 12)),
                   "candidate_types": ["convenience", "bank", "pharmacy", "supermarket",
                                       "post_office", "fuel", "community_centre"]},
        "output": {"project_title": "gridplan 合成城市 synthetic city"},
        "strict": False,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(cfg, f, ensure_ascii=False, indent=2)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("outdir")
    a = ap.parse_args()
    if not a.scale > 0:
        ap.error("--scale must be > 0")
    os.makedirs(a.outdir, exist_ok=True)
    t0 = time.time()
    city = generate(a.seed, a.scale)
    t1 = time.time()
    tmp = os.path.join(a.outdir, "city.tmp.gpkg")
    write_gpkg(tmp, city)
    os.replace(tmp, os.path.join(a.outdir, "city.gpkg"))
    write_config(os.path.join(a.outdir, "city.json"), len(city["cands"]))
    t2 = time.time()
    kinds = np.bincount(city["kinds"].ravel(), minlength=len(KINDS))
    n_road = len(city["lat"]) + len(city["internal"])
    n_sc = sum(1 for _, t, _ in city["fac"] if t != "暖心驿站")
    print("city seed %d scale %g: %dx%d blocks (%s)" % (
        a.seed, a.scale, city["nx"], city["ny"],
        ", ".join("%s %d" % (k, n) for k, n in zip(KINDS, kinds))))
    print("streets %d, communities %d, buildings %d (households %.0f, %d given), roads %d, "
          "service centres %d, warm stations %d, candidates %d" % (
              len(city["streets"]), len(city["comms"]), len(city["rings"]),
              city["hh_eff"].sum(), int((~np.isnan(city["hh"])).sum()), n_road, n_sc,
              len(city["fac"]) - n_sc, len(city["cands"])))
    print("generate %.1f s, write %.1f s, %s" % (
        t1 - t0, t2 - t1, os.path.join(a.outdir, "city.gpkg")))


if __name__ == "__main__":
    sys.exit(main())
