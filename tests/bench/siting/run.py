#!/usr/bin/python3
"""Siting benchmark driver (issue 7): gridplan vs PuLP + CBC vs greedy, side by side, one table.

    /usr/bin/python3 tests/bench/siting/run.py [--instances S,M] [--reps 3] [--build DIR] [--work DIR]
                                               [--peers pulp] [--peer-timeout 1200] [--time-limit 600]

Instances (the coverage benchmark's generators, /work/shared/bench/coverage):
  S: mk_grid.py 200 20, mk_bld.py 200 20000 300  -> 40k nodes, 20k buildings, 20 stations, 300 candidates
  M: mk_grid.py 500 200, mk_bld.py 500 200000 2000 -> 250k nodes, 200k buildings, 200 stations, 2,000 cand.
Both use p = 60, 15 min at 4 km/h (1,000 m), residents (`pop`) as weight.

gridplan: build DIR/tests/bench_siting (Release) first:
    cmake -S . -B build/siting-rel -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build/siting-rel --target bench_siting
PuLP peer: peer_networkx_lp.py (networkx bounded Dijkstra per candidate + PuLP model solved by /usr/bin/cbc via
COIN_CMD, then the LP relaxation and a Python greedy). Its end-to-end time is the sum of its own stage timings
read + build + snap + coverage + cover_sets + mclp (the isochrone polygon and the extra LP/greedy are excluded).
"""
import argparse, ast, json, os, re, statistics, subprocess, sys, time

SHARED = os.environ.get('SHARED_BENCH', '/work/shared/bench/coverage')
PY = '/usr/bin/python3'
INSTANCES = {
    'S': dict(n=200, k=20, nb=20000, nc=300),
    'M': dict(n=500, k=200, nb=200000, nc=2000),
}


def log(msg):
    print(f'[{time.strftime("%H:%M:%S")}] {msg}', file=sys.stderr, flush=True)


def prepare(work, name):
    spec = INSTANCES[name]
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    n, k, nb, nc = spec['n'], spec['k'], spec['nb'], spec['nc']
    files = dict(lines=f'grid{n}.gpkg', stations=f'st{n}_{k}.gpkg', buildings=f'bld{n}.gpkg',
                 candidates=f'cand{n}.gpkg')
    if not os.path.exists(os.path.join(d, files['lines'])) or not os.path.exists(os.path.join(d, files['stations'])):
        log(f'{name}: mk_grid.py {n} {k}')
        subprocess.run([PY, os.path.join(SHARED, 'mk_grid.py'), str(n), str(k)], cwd=d, check=True,
                       stdout=subprocess.DEVNULL)
    if not os.path.exists(os.path.join(d, files['candidates'])):
        log(f'{name}: mk_bld.py {n} {nb} {nc}')
        subprocess.run([PY, os.path.join(SHARED, 'mk_bld.py'), str(n), str(nb), str(nc)], cwd=d, check=True)
    return d, {key: os.path.join(d, f) for key, f in files.items()}


def run_gridplan(build, files, p, reps, time_limit, threads, exe=None, dump=None):
    exe = exe or os.path.join(build, 'tests', 'bench_siting')
    cmd = [exe, '--lines', files['lines'], '--stations', files['stations'], '--buildings', files['buildings'],
           '--candidates', files['candidates'], '--p', str(p), '--reps', str(reps), '--time-limit', str(time_limit),
           '--threads', str(threads), '--street', '1']
    if dump:
        cmd += ['--dump', dump]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    if out.stderr.strip():
        log('bench_siting stderr: ' + out.stderr.strip())
    lines = out.stdout.strip().splitlines()
    res = json.loads(lines[-1])
    res.update(json.loads(lines[-2]))  # the street-length run
    return res


def run_pulp(files, p, budget_m, timeout):
    cmd = [PY, os.path.join(SHARED, 'peer_networkx_lp.py'), files['lines'], files['stations'], files['buildings'],
           files['candidates'], str(budget_m), str(p)]
    t0 = time.time()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return dict(timeout=True, wall_s=time.time() - t0)
    wall = time.time() - t0
    text = out.stdout
    res = dict(timeout=False, wall_s=wall)
    m = re.search(r'MCLP status (\w+) new pop covered ([0-9.eE+-]+)', text)
    if m:
        res['status'] = m.group(1)
        res['objective'] = float(m.group(2))
    m = re.search(r"timings (\{.*\})", text)
    if m:
        res['timings'] = ast.literal_eval(m.group(1))
    m = re.search(r'LP bound ([0-9.]+) \(([0-9.]+)s\)\s+MIP ([0-9.]+)\s+greedy ([0-9.]+)', text)
    if m:
        res['lp_bound'] = float(m.group(1))
        res['lp_s'] = float(m.group(2))
        res['greedy'] = float(m.group(4))
    if 'timings' in res:
        t = res['timings']
        res['end_to_end_s'] = sum(t.get(key, 0.0) for key in ('read', 'build', 'snap_bld', 'snap_fac', 'coverage',
                                                              'cover_sets', 'mclp'))
    if out.returncode != 0:
        res['error'] = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f'exit {out.returncode}'
    return res


def run_pulp_same(dump, time_limit):
    here = os.path.dirname(os.path.abspath(__file__))
    t0 = time.time()
    out = subprocess.run([PY, os.path.join(here, 'pulp_same.py'), dump, '--time-limit', str(time_limit)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return dict(error=(out.stderr.strip().splitlines() or ['exit %d' % out.returncode])[-1], wall_s=time.time() - t0)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res['wall_s'] = time.time() - t0
    return res


def gap(bound, value):
    return max(0.0, (bound - value) / bound) if bound else 0.0


def table(name, g, peer, same=None):
    rows = []
    rows.append(('gridplan (cover sets + solve)', g['objective'], g['bound'], g['gap'], g['cover_s'] + g['solve_s'],
                 f"status {g['status']}; cover {g['cover_s']:.3f} s, solve {g['solve_s']:.3f} s "
                 f"(LP {g['lp_s']:.3f}, CBC {g['mip_s']:.3f}); CPU {g.get('cpu_cover_solve_s', 0):.3f} s"))
    rows.append(('gridplan end to end', g['objective'], g['bound'], g['gap'],
                 g['read_s'] + g['graph_s'] + g['snap_s'] + g['cover_s'] + g['solve_s'],
                 f"read {g['read_s']:.2f}, graph {g['graph_s']:.2f}, snap {g['snap_s']:.2f} s"))
    rows.append(('greedy (gridplan)', g['greedy'], g['bound'], gap(g['bound'], g['greedy']), g['greedy_s'],
                 'presolve + greedy; gap against gridplan bound'))
    if peer is not None:
        if peer.get('timeout'):
            rows.append(('PuLP + CBC end to end', None, None, None, peer['wall_s'], 'timeout'))
        elif 'objective' in peer:
            t = peer.get('timings', {})
            lp = peer.get('lp_bound')
            proven = peer.get('status') == 'Optimal'  # CBC proved optimality: bound = objective
            bound = peer['objective'] if proven else None
            rows.append(('PuLP + CBC end to end', peer['objective'], bound, 0.0 if proven else None,
                         peer.get('end_to_end_s', peer['wall_s']),
                         f"status {peer.get('status')}; cover sets {t.get('cover_sets', 0):.2f} s, "
                         f"MCLP {t.get('mclp', 0):.2f} s, process wall {peer['wall_s']:.1f} s; LP bound {lp or 0:,.0f}"))
            if 'greedy' in peer:
                rows.append(('greedy (peer, Python)', peer['greedy'], lp, gap(lp, peer['greedy']) if lp else None,
                             None, 'on the peer cover sets'))
        else:
            rows.append(('PuLP + CBC end to end', None, None, None, peer['wall_s'], peer.get('error', 'failed')))
    if g.get('street'):
        rows.append(('gridplan, street metres (outdoor workers)', g['street_objective'], g['street_bound'],
                     g['street_gap'], g['street_build_s'] + g['street_solve_s'],
                     f"status {g['street_status']}; street pieces {g['street_pieces']:,} ({g['street_groups']:,} groups), "
                     f"build {g['street_build_s']:.3f} s, solve {g['street_solve_s']:.3f} s; "
                     f"{g['street_total_m'] / 1000:,.0f} km of street, {g['street_already_m'] / 1000:,.0f} km already covered"))
        rows.append(('greedy, street metres', g['street_greedy'], g['street_bound'],
                     gap(g['street_bound'], g['street_greedy']), g['street_greedy_s'], 'presolve + greedy'))
    if same is not None:
        if 'objective' in same:
            proven = same.get('status') == 'Optimal'
            rows.append(('PuLP + CBC on gridplan\'s cover sets', same['objective'], same['objective'] if proven else None,
                         0.0 if proven else None, g['cover_s'] + same['model_s'],
                         f"status {same['status']}; gridplan cover sets {g['cover_s']:.3f} s + PuLP model "
                         f"{same['build_s']:.2f} s + CBC {same['solve_s']:.2f} s ({same['rows']:,} rows, "
                         f"{same['nonzeros']:,} nonzeros)"))
        else:
            rows.append(('PuLP + CBC on gridplan\'s cover sets', None, None, None, same.get('wall_s'), same.get('error')))
    lines = [f"### {name}: {g['nodes']} nodes, {g['edges']} edges, {g['buildings']} buildings, "
             f"{g['stations']} stations, {g['candidates']} candidates, p = {g['p']} "
             f"(gridplan medians of {g['reps']} runs; presolve: {g['demand_groups']} demand groups, "
             f"{g['candidates_kept']} candidates kept, {g['candidates_dominated']} dominated)",
             '', '| path | objective | bound | gap | time (s) | notes |', '|---|---|---|---|---|---|']
    fmt = lambda v, f: '—' if v is None else f.format(v)
    for r in rows:
        lines.append(f"| {r[0]} | {fmt(r[1], '{:,.0f}')} | {fmt(r[2], '{:,.1f}')} | {fmt(r[3], '{:.4%}')} | "
                     f"{fmt(r[4], '{:.3f}')} | {r[5]} |")
    if peer is not None and 'end_to_end_s' in peer:
        total = g['cover_s'] + g['solve_s']
        e2e = g['read_s'] + g['graph_s'] + g['snap_s'] + total
        lines.append('')
        lines.append(f"speed-up vs PuLP end to end: {peer['end_to_end_s'] / e2e:.1f}x (gridplan end to end), "
                     f"{(peer['timings'].get('cover_sets', 0) + peer['timings'].get('mclp', 0)) / total:.1f}x "
                     f"(cover sets + MCLP vs cover sets + solve)")
    if same is not None and 'model_s' in same:
        total = g['cover_s'] + g['solve_s']
        if peer is None or 'end_to_end_s' not in peer:
            lines.append('')
        lines.append(f"speed-up vs PuLP + CBC on the same cover sets: {(g['cover_s'] + same['model_s']) / total:.1f}x "
                     f"(cover sets + model + CBC vs cover sets + solve); objective difference "
                     f"{(g['objective'] - same['objective']) / max(g['objective'], 1e-9):+.4%}")
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, '..', '..', '..'))
    ap.add_argument('--instances', default='S')
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--build', default=os.path.join(root, 'build', 'siting-rel'))
    ap.add_argument('--work', default=None)
    ap.add_argument('--peers', default='pulp,pulp_same',
                    help='pulp: the networkx + PuLP end-to-end peer; pulp_same: PuLP + CBC on gridplan\'s cover sets')
    ap.add_argument('--full-peer-instances', default='S',
                    help='instances the networkx peer runs on (it needs ~8 min on S and hours on M)')
    ap.add_argument('--pulp-time-limit', type=float, default=600, help='CBC time limit of pulp_same')
    ap.add_argument('--peer-json', default=None, help='reuse a PuLP result logged by an earlier run (JSON)')
    ap.add_argument('--peer-timeout', type=float, default=1200)
    ap.add_argument('--time-limit', type=float, default=600, help='wall-clock safety stop of gridplan (s); the node limit decides the answer')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--p', type=int, default=60)
    ap.add_argument('--exe', default=None, help='bench_siting executable (default BUILD/tests/bench_siting)')
    a = ap.parse_args()
    work = a.work or os.path.join(a.build, 'siting_bench')
    os.makedirs(work, exist_ok=True)
    out = []
    for name in a.instances.split(','):
        d, files = prepare(work, name)
        log(f'{name}: gridplan x{a.reps}')
        dump = os.path.join(d, 'instance.txt') if 'pulp_same' in a.peers.split(',') else None
        g = run_gridplan(a.build, files, a.p, a.reps, a.time_limit, a.threads, a.exe, dump)
        log(f'{name}: gridplan {json.dumps(g)}')
        same = None
        if dump:
            log(f'{name}: PuLP + CBC on the same cover sets (CBC limit {a.pulp_time_limit:.0f} s)')
            same = run_pulp_same(dump, a.pulp_time_limit)
            log(f'{name}: pulp_same {json.dumps(same)}')
        peer = None
        if a.peer_json:
            peer = json.loads(open(a.peer_json).read())
        elif 'pulp' in a.peers.split(',') and name in a.full_peer_instances.split(','):
            log(f'{name}: PuLP peer (timeout {a.peer_timeout:.0f} s)')
            peer = run_pulp(files, a.p, 1000, a.peer_timeout)
            log(f'{name}: PuLP {json.dumps(peer)}')
        out.append(table(name, g, peer, same))
    print('\n\n'.join(out))


if __name__ == '__main__':
    main()
