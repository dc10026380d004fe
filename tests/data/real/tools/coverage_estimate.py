#!/usr/bin/python3
"""Rough, engine-independent 15-minute coverage of the Monaco sample (NOT an oracle).

Walking graph: walkable OSM `lines` (rule of docs/config.md), nodes at shared vertices (mm);
buildings by representative point, facilities by their point, each snapped to the nearest
segment with the access leg counted; multi-source Dijkstra at 4 km/h (5/10/15 min = 333/667/1000 m).
Buildings are counted per quarter (first quarter the footprint intersects). Shows that the
sample leaves real gaps; the coverage module's own oracle is the reference, not this.
Run: /usr/bin/python3 tests/data/real/tools/coverage_estimate.py
"""
import os
import re, collections, heapq
from osgeo import ogr, osr
from shapely import wkb
from shapely.geometry import Point, LineString
from shapely.strtree import STRtree
pat = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')
ds = ogr.Open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../../data/monaco-2019-09-30.osm.pbf'))
s = osr.SpatialReference(); s.ImportFromEPSG(4326); s.SetAxisMappingStrategy(0)
d = osr.SpatialReference(); d.ImportFromEPSG(32632); d.SetAxisMappingStrategy(0)
ct = osr.CoordinateTransformation(s, d)
def feats(n):
    l = ds.GetLayerByName(n); df = l.GetLayerDefn(); fn = [df.GetFieldDefn(i).GetName() for i in range(df.GetFieldCount())]
    for f in l:
        t = {k: f.GetField(k) for k in fn if k != 'other_tags' and f.GetField(k) is not None}; t.update(pat.findall(f.GetField('other_tags') or ''))
        g = f.GetGeometryRef().Clone(); g.Transform(ct); yield t, wkb.loads(bytes(g.ExportToWkb()))
WALK = set("footway path pedestrian steps living_street residential service unclassified tertiary tertiary_link secondary secondary_link primary primary_link track corridor cycleway road".split())
def walkable(t):
    h = t.get('highway')
    if h is None or t.get('foot') == 'no': return False
    if t.get('access') in ('private', 'no') and t.get('foot') not in ('yes','designated','permissive'): return False
    return h in WALK
adj = collections.defaultdict(list); segs = []
key = lambda c: (round(c[0], 3), round(c[1], 3))
for t, g in feats('lines'):
    if not walkable(t): continue
    cs = list(g.coords)
    for a, b in zip(cs, cs[1:]):
        ln = LineString([a, b]); 
        if ln.length == 0: continue
        segs.append((key(a), key(b), ln))
        adj[key(a)].append((key(b), ln.length)); adj[key(b)].append((key(a), ln.length))
tree = STRtree([x[2] for x in segs]); idx = {id(x[2]): i for i, x in enumerate(segs)}
def snap(p):
    best = None
    for ln in tree.query(p.buffer(300)):
        dd = ln.distance(p)
        if best is None or dd < best[0]: best = (dd, idx[id(ln)])
    dd, i = best; a, b, ln = segs[i]; pos = ln.project(p)
    return dd, a, b, pos, ln.length - pos
Q = {t['name']: g for t, g in feats('multipolygons') if t.get('admin_level') == '10'}
B = [(g.representative_point(), next((k for k in Q if Q[k].intersects(g)), None), t) for t, g in feats('multipolygons') if t.get('building') and t.get('building') != 'no']
fac = collections.defaultdict(list)
for t, g in feats('points'):
    a, sh, o = t.get('amenity'), t.get('shop'), t.get('office')
    if a in ('townhall','community_centre','social_facility','library') or o == 'government': fac['service_centre'].append(g)
    if a in ('bank','fuel') or sh == 'convenience': fac['warm_station'].append(g)
def dijkstra(srcs, limit):
    dist = {}; pq = []
    for n, d0 in srcs: heapq.heappush(pq, (d0, n))
    while pq:
        d0, n = heapq.heappop(pq)
        if n in dist or d0 > limit: continue
        dist[n] = d0
        for m, w in adj[n]:
            if m not in dist: heapq.heappush(pq, (d0 + w, m))
    return dist
for kind, pts in fac.items():
    for lim in (333.3, 666.7, 1000.0):
        per = []
        for p in pts:
            dd, a, b, pa, pb = snap(p); per.append(dijkstra([(a, dd + pa), (b, dd + pb)], lim))
        cov = collections.Counter(); tot = collections.Counter()
        for p, q, t in B:
            if q is None: continue
            dd, a, b, pa, pb = snap(p); tot[q] += 1
            n_in = sum(1 for D in per if min(D.get(a, 1e18) + pa, D.get(b, 1e18) + pb) + dd <= lim)
            if n_in: cov[q] += 1
        print(kind, f'{lim/1000*15:.0f} min: buildings covered {sum(cov.values())}/{sum(tot.values())}', {k: f'{cov[k]}/{tot[k]}' for k in sorted(tot)})
