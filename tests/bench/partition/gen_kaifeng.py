#!/usr/bin/python3
"""Kaifeng-scale synthetic city for bench_partition (benchmark input, not product code).

Same file format and the same construction as ../shared/bench/partition/gen_city.py (road blocks
on a lattice, empty blocks, low-rise blocks, tower compounds whose towers above 450 households
are split into two entrance (单元) units, Delaunay adjacency inside each community with cut cost
10 inside a block and 1 across a road), scaled to a prefecture-level city like Kaifeng:
about 1,000 communities, 400k buildings, 1.5M households, 3,900 grids of 300-500 households.

Kaifeng's 400k buildings for 1.5M households means about 4 households per building, so most
buildings are small: the city mixes three kinds of community, by distance from the centre:
  * old town (老城区, centre):     dense courtyard houses of 1-6 households, a few walk-ups;
  * modern (新区, middle ring):     walk-up blocks and tower compounds as in gen_city.py;
  * urban village (城中村, outside): dense 1-3 household village houses.
Every community is CB x CB blocks of 150 m pitch with 18 m roads.
Deterministic for a given seed.

usage: gen_kaifeng.py SEED OUT.json [COMMUNITIES_X COMMUNITIES_Y]
"""
import json
import math
import random
import sys

import numpy as np
from scipy.spatial import Delaunay

BLK = 150.0   # block pitch (m)
ROAD = 18.0   # road width (m)
CB = 2        # blocks per community side


def community_kind(rng, cx, cy, CX, CY):
    # normalised distance from the city centre (0 centre .. ~1 corner)
    dx = (cx + 0.5) / CX - 0.5
    dy = (cy + 0.5) / CY - 0.5
    r = math.hypot(dx, dy) / math.hypot(0.5, 0.5)
    u = rng.random()
    if r < 0.22:
        return "old" if u < 0.8 else "modern"
    if r < 0.62:
        return "modern" if u < 0.70 else ("old" if u < 0.85 else "village")
    return "village" if u < 0.75 else "modern"


def block_units(rng, npr, kind):
    """List of (households, n_units) for one block; towers > 450 hh become two entrance units."""
    out = []
    k = rng.random()
    if kind == "modern":
        if k < 0.12:
            return out                          # park / school / empty block
        if k < 0.55:
            nb = rng.randint(5, 12)             # walk-up (多层) block
            tower_block = False
        else:
            nb = rng.randint(3, 7)              # tower compound (高层小区)
            tower_block = True
        for _ in range(nb):
            r = rng.random()
            if tower_block and r < 0.5:
                hh = int(min(620, npr.lognormal(math.log(180), 0.45)))
            elif r < 0.75:
                hh = int(npr.lognormal(math.log(28), 0.5)) + 4
            else:
                hh = int(npr.lognormal(math.log(70), 0.4)) + 10
            out.append(hh)
    elif kind == "old":
        if k < 0.10:
            return out                          # temple / school / market square
        nb = rng.randint(120, 200)               # courtyard houses (四合院 / 平房)
        for _ in range(nb):
            if rng.random() < 0.04:
                out.append(int(npr.lognormal(math.log(24), 0.4)) + 6)   # 3-4 storey walk-up
            else:
                out.append(min(6, int(npr.geometric(0.55)) + (rng.random() < 0.3)))
    else:  # village
        if k < 0.15:
            return out                          # fields / ponds
        nb = rng.randint(200, 285)              # village houses (自建房)
        for _ in range(nb):
            u = rng.random()
            out.append(1 if u < 0.72 else (2 if u < 0.95 else 3))
    return out


def main(seed, out, CX=40, CY=25):
    rng = random.Random(seed)
    npr = np.random.default_rng(seed)
    BY = CY * CB
    xs, ys, hhs, blocks, comms = [], [], [], [], []
    kinds = {}
    for cx in range(CX):
        for cy in range(CY):
            kinds[(cx, cy)] = community_kind(rng, cx, cy, CX, CY)
    for bx in range(CX * CB):
        for by in range(BY):
            cx, cy = bx // CB, by // CB
            kind = kinds[(cx, cy)]
            x0, y0 = bx * BLK + ROAD / 2, by * BLK + ROAD / 2
            w = BLK - ROAD
            for hh in block_units(rng, npr, kind):
                x = x0 + rng.uniform(0.04, 0.96) * w
                y = y0 + rng.uniform(0.04, 0.96) * w
                parts = [hh] if hh <= 450 else [hh // 2, hh - hh // 2]
                for j, p in enumerate(parts):
                    xs.append(x + 6.0 * j)
                    ys.append(y)
                    hhs.append(int(p))
                    blocks.append(bx * BY + by)
                    comms.append(cx * CY + cy)
    n = len(xs)
    comm_arr = np.array(comms)
    order = np.argsort(comm_arr, kind="stable")
    block_arr = np.array(blocks)
    pts_all = np.column_stack([np.array(xs), np.array(ys)])
    bounds = np.searchsorted(comm_arr[order], np.arange(CX * CY + 1))
    with open(out, "w") as f:
        f.write('{"seed": %d, "buildings": [' % seed)
        for i in range(n):
            if i:
                f.write(", ")
            f.write('{"x": %.3f, "y": %.3f, "hh": %d, "block": %d, "comm": %d}'
                    % (xs[i], ys[i], hhs[i], blocks[i], comms[i]))
        f.write('], "communities": [')
        first = True
        n_edges = 0
        for c in range(CX * CY):
            ids = order[bounds[c]:bounds[c + 1]]
            if len(ids) == 0:
                continue
            # coordinates as written (3 decimals) so that readers see the same points
            pts = np.round(pts_all[ids], 3)
            edges = set()
            if len(ids) >= 3:
                tri = Delaunay(pts)
                s = tri.simplices
                e = np.vstack([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
                e.sort(axis=1)
                e = np.unique(e, axis=0)
                edges = e
            elif len(ids) == 2:
                edges = np.array([[0, 1]])
            else:
                edges = np.zeros((0, 2), dtype=int)
            bl = block_arr[ids]
            cost = np.where(bl[edges[:, 0]] == bl[edges[:, 1]], 10, 1) if len(edges) else []
            n_edges += len(edges)
            cx, cy = divmod(c, CY)
            if not first:
                f.write(", ")
            first = False
            f.write('{"id": %d, "members": [%s], "edges": [%s], "bbox": [%.1f, %.1f, %.1f, %.1f]}'
                    % (c, ", ".join(str(int(i)) for i in ids),
                       ", ".join("[%d, %d, %d]" % (a, b, w) for (a, b), w in zip(edges, cost)),
                       cx * CB * BLK, cy * CB * BLK, (cx + 1) * CB * BLK, (cy + 1) * CB * BLK))
        f.write("]}\n")
    H = sum(hhs)
    kc = {k: sum(1 for v in kinds.values() if v == k) for k in ("old", "modern", "village")}
    hc = np.bincount(comm_arr, weights=np.array(hhs), minlength=CX * CY)
    grids = 0
    for h in hc:
        lo, hi = math.ceil(h / 500), math.floor(h / 300)
        k = max(1, round(h / 400))
        grids += (min(max(k, lo), hi) if lo <= hi else lo) if h > 0 else 0
    print(f"buildings={n} households={H} communities={CX * CY} edges={n_edges} "
          f"max_unit_hh={max(hhs)} grids(k)={grids} community_hh_min={int(hc.min())} "
          f"median={int(np.median(hc))} max={int(hc.max())} kinds={kc}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    args = [int(a) for a in sys.argv[3:5]]
    main(int(sys.argv[1]), sys.argv[2], *args)
