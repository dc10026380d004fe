#!/usr/bin/python3
"""Confusion matrices against the oracle and the results table of the coverage benchmark.

Usage: compare.py OUTDIR INSTANCE_LABEL
Reads OUTDIR/oracle.csv (bid,dist_m,covered), OUTDIR/cov_*.csv (bid,covered[,dist_m]) and the stage-time
JSON files written by run.sh (gridplan.json, nx.json, pgr.json, qgis.json, *.peak_kb); writes
OUTDIR/table.md and prints it.
"""
import csv, json, os, sys

out, label = sys.argv[1], sys.argv[2]


def load_cov(path):
    with open(path) as f:
        return {int(r['bid']): (int(r['covered']), float(r['dist_m']) if r.get('dist_m') not in (None, '') else None)
                for r in csv.DictReader(f)}


def jload(name):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        txt = f.read().strip().splitlines()
    return json.loads(txt[-1]) if txt else None


def peak(name):
    """peak RSS (kB) and CPU seconds (user + system) from a `/usr/bin/time -f "%M %U %S"` file"""
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return None, None
    w = open(p).read().split()
    return int(w[0]), (float(w[1]) + float(w[2]) if len(w) >= 3 else None)


oracle = load_cov(os.path.join(out, 'oracle.csv'))
n_cov = sum(c for c, _ in oracle.values())
meta = jload('meta.json') or {}


def confusion(name):
    p = os.path.join(out, f'cov_{name}.csv')
    if not os.path.exists(p):
        return None
    peer = load_cov(p)
    tp = fp = fn = tn = 0
    diffs = []
    for bid, (oc, od) in oracle.items():
        pc, pd = peer.get(bid, (0, None))
        if oc and pc: tp += 1
        elif pc: fp += 1
        elif oc: fn += 1
        else: tn += 1
        if oc != pc:
            diffs.append((bid, od, pd, pc))
    return dict(tp=tp, fp=fp, fn=fn, tn=tn, agree=100.0 * (tp + tn) / len(oracle), diffs=diffs)


def f(x, nd=3):
    return '—' if x is None else (f'{x:.{nd}f}' if isinstance(x, float) else str(x))


rows = []   # (workflow, load, snap, search, stats, polygons, peak_mb, cov_key, note)
g = jload('gridplan.json')
gp = jload('gridplan_polygons.json')   # M: polygons measured in a separate single run
if g and gp:
    g['polygons'] = gp['polygons']
    g['selfcheck_ok'] = gp['selfcheck_ok']
    g['peak_rss_kb'] = max(g['peak_rss_kb'], gp['peak_rss_kb'])
elif g and g.get('polygons', 0) == 0 and os.path.exists(os.path.join(out, 'gridplan.json')):
    g['polygons'] = None
variant = open(os.path.join(out, 'gridplan.variant')).read().strip() if os.path.exists(os.path.join(out, 'gridplan.variant')) else ''
if g:
    # compute_coverage split by its progress messages: snap, search (multi-source + per facility), stats
    srch, stats = g.get('search'), g.get('stats')
    if srch is None:
        stats = g['coverage'] - g['snap']
    poly_note = ''
    src = gp or g
    if 'poly_circles' in src:
        poly_note = (f"; polygons = blocks {src['poly_blocks']:.3f} + circles (per facility and dissolved, one pool) "
                     f"{src['poly_circles']:.3f} + gaps {src['poly_gaps']:.3f}; CPU of the run with polygons "
                     f"{src['poly_run_cpu_s']:.2f} s")
    elif 'poly_facility' in src:
        poly_note = (f"; polygons = blocks {src['poly_blocks']:.3f} + per-facility circles {src['poly_facility']:.3f} + "
                     f"dissolved {src['poly_dissolved']:.3f} + gaps {src['poly_gaps']:.3f}")
    rows.append(('gridplan (engine, %d threads)' % g['threads'], g['load'] + g['graph'], g['snap'], srch, stats,
                 g['polygons'], g['peak_rss_kb'] / 1024, 'gridplan',
                 f"load {g['load']:.3f} + graph {g['graph']:.3f}; compute_coverage without polygons {g['coverage']:.3f}; "
                 f"median of {g['reps']}; polygon self-check {'ok' if g['selfcheck_ok'] else 'FAILED'}{poly_note}; "
                 f"process CPU {g.get('process_cpu_s', '?')} s" + (f"; binary {variant}" if variant else '')))
nx_ = jload('nx.json')
if nx_:
    t = nx_['times']
    rows.append(('networkx 2.8 (exact rule, virtual nodes)', t['load'], t['snap'], t['search'], t['stats'], t.get('polygons'),
                 (peak('nx.time')[0] or 0) / 1024, 'nx', 'polygons: 25 m buffer of reached edges, unary_union; '
                 f"process CPU {peak('nx.time')[1]} s"))
p = jload('pgr.json')
if p:
    load = p['ogr2ogr_load_s'] + p.get('load', 0)
    mb = p.get('backend_peak_kb', 0) / 1024 or None
    rows.append(('pgRouting withPointsDD (+offset SQL)', load, p['snap'], p['search_points'], p['stats_points'], None, mb,
                 'pgr_points', 'load = ogr2ogr + index; peak = backend VmHWM'))
    rows.append(('pgRouting drivingDistance (node-based)', load, p['snap'], p['search_node'], p['stats_node'], None, mb,
                 'pgr_node', 'stations moved to the nearer edge end'))
    rows.append(('pgRouting concave hull of dd nodes', None, None, None, p['stats_hull'], p['polygons'], mb,
                 'pgr_hull', 'building covered iff its point is inside ST_ConcaveHull(reached nodes, 0.2)'))
q = jload('qgis.json')
if q:
    qpk = max(v for k, v in q.items() if k.endswith('_peak_kb')) / 1024
    rows.append(('QGIS 3.22 serviceareafromlayer + buffer', None, None, q['service_area'], q['extract'], q['buffer_dissolve'], qpk,
                 'qgis', 'search = whole SA process (load+snap+search); stats = extractbylocation; polygons = 25 m buffer, dissolved'))

lines = []
lines.append(f"### {label}: {meta.get('nodes', '?')} nodes, {meta.get('edges', '?')} edges, {len(oracle)} buildings, "
             f"{meta.get('stations', '?')} stations, budget {meta.get('budget_m', '?')} m; oracle: {n_cov} covered "
             f"({100.0 * n_cov / len(oracle):.2f} %)")
lines.append('')
lines.append('| peer / workflow | load s | snap s | search s | stats s | polygons s | peak MB | agreement % | TP | FP | FN | TN |')
lines.append('|---|---|---|---|---|---|---|---|---|---|---|---|')
notes = []
for (name, load, snap, search, stats, poly, mb, key, note) in rows:
    c = confusion(key)
    cs = [f(c['agree'], 3), c['tp'], c['fp'], c['fn'], c['tn']] if c else ['—'] * 5
    srch = f(search) if search is not None or key != 'gridplan' else '(in stats)'
    lines.append(f"| {name} | {f(load)} | {f(snap)} | {srch} | {f(stats)} | {f(poly)} | {f(mb, 0)} | " +
                 ' | '.join(str(x) for x in cs) + ' |')
    notes.append(f'- {name}: {note}')
    if c and c['diffs'] and key in ('gridplan', 'nx'):
        ex = ', '.join(f"bid {b}: oracle {od:.4f} m vs {pd if pd is None else round(pd, 4)} m" for b, od, pd, _ in c['diffs'][:5])
        notes.append(f'  - {len(c["diffs"])} disagreements, e.g. {ex}')
lines.append('')
lines.extend(notes)

# speed ratios (defined explicitly; stages as in the table)
if g:
    gcov = g['coverage']                      # snap + search + stats, excl. load/graph
    gall = g['load'] + g['graph'] + g['coverage'] + (g['polygons'] or 0.0)
    lines.append('')
    if nx_:
        t = nx_['times']
        gss = g['coverage'] - g['snap'] if g.get('search') is None else g['search'] + g['stats']
        ss_txt = (f"{t['search'] + t['stats']:.3f} / {gss:.4f} = **{(t['search'] + t['stats']) / gss:.0f}×**" if gss > 1e-3
                  else 'n/a (snap dominates compute_coverage)')
        lines.append(f"- gridplan vs networkx, snap+search+stats: {t['snap'] + t['search'] + t['stats']:.3f} s / {gcov:.4f} s = "
                     f"**{(t['snap'] + t['search'] + t['stats']) / gcov:.1f}×**; search+stats only: {ss_txt}; end to end incl. load and polygons: "
                     f"{sum(t.values()):.2f} / {gall:.3f} = **{sum(t.values()) / gall:.1f}×**")
    if q:
        # QGIS's service-area process reads the layers, builds its graph, snaps the stations and
        # searches; extractbylocation then picks the buildings. Like for like, gridplan does the same
        # work in load + graph + compute_coverage without polygons (snap + search + stats).
        qlike = q['service_area'] + q['extract']
        glike = g['load'] + g['graph'] + gcov
        qall = qlike + q['buffer_dissolve']
        lines.append(f"- gridplan vs QGIS, like for like (QGIS service area + extract by location {qlike:.2f} s vs gridplan "
                     f"load + graph + snap + search + stats {glike:.3f} s): **{qlike / glike:.1f}×**")
        lines.append(f"- gridplan vs QGIS, whole workflow incl. polygons (QGIS SA + 25 m buffer/dissolve + extract {qall:.2f} s vs "
                     f"gridplan load + graph + coverage + service circles {gall:.3f} s): **{qall / gall:.1f}×**")
        lines.append(f"- for reference only (not like for like: QGIS figure includes reading and graph building): QGIS SA + extract "
                     f"vs gridplan snap + search + stats {qlike:.2f} / {gcov:.4f} = **{qlike / gcov:.0f}×**")
    lines.append(f"- gridplan snap+search+stats (compute_coverage, polygons off) {gcov:.3f} s; polygons "
                 f"{'not measured' if g['polygons'] is None else format(g['polygons'], '.3f') + ' s'}")

txt = '\n'.join(lines) + '\n'
open(os.path.join(out, 'table.md'), 'w').write(txt)
print(txt)
