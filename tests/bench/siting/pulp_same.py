#!/usr/bin/python3
"""PuLP + CBC (COIN_CMD) on exactly the cover sets gridplan used (bench_siting --dump FILE).

    /usr/bin/python3 tests/bench/siting/pulp_same.py FILE [--time-limit 600]

The textbook maximal-covering model (Church & ReVelle), as a PuLP user writes it: x_j binary
(build at candidate j), y_i in [0, 1] for every demand unit not yet covered by an existing station
and reached by at least one candidate; maximise sum w_i y_i subject to y_i <= sum_{j covers i} x_j
and sum x_j <= p. No aggregation, no presolve of our own: CBC's presolve does what it does.
Prints one JSON line: objective, status, model-build, CBC and total seconds.
"""
import argparse, json, time

import pulp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dump')
    ap.add_argument('--time-limit', type=float, default=600)
    a = ap.parse_args()
    t0 = time.time()
    with open(a.dump) as f:
        n, m, p = (int(v) for v in f.readline().split())
        w = [float(f.readline()) for _ in range(n)]
        existing = [int(f.readline()) for _ in range(n)]
        cover = []
        for _ in range(m):
            row = f.readline().split()
            cover.append([int(v) for v in row[1:]])
    read_s = time.time() - t0

    t1 = time.time()
    by = {}
    for j, c in enumerate(cover):
        for i in c:
            if existing[i] == 0 and w[i] > 0:
                by.setdefault(i, []).append(j)
    model = pulp.LpProblem('mclp', pulp.LpMaximize)
    x = [pulp.LpVariable(f'x{j}', cat='Binary') for j in range(m)]
    y = {i: pulp.LpVariable(f'y{i}', 0, 1) for i in by}
    model += pulp.lpSum(w[i] * y[i] for i in by)
    for i, js in by.items():
        model += y[i] <= pulp.lpSum(x[j] for j in js)
    model += pulp.lpSum(x) <= p
    build_s = time.time() - t1

    t2 = time.time()
    model.solve(pulp.COIN_CMD(path='/usr/bin/cbc', msg=False, timeLimit=a.time_limit))
    solve_s = time.time() - t2
    chosen = [j for j in range(m) if (x[j].value() or 0) > 0.5]
    # exact value of the chosen set (CBC reports to its tolerance)
    hit = set()
    for j in chosen:
        hit.update(i for i in cover[j] if i in by)
    value = sum(w[i] for i in hit)
    print(json.dumps(dict(status=pulp.LpStatus[model.status], objective=value, cbc_objective=pulp.value(model.objective),
                          sites=len(chosen), rows=len(by), nonzeros=sum(len(v) for v in by.values()),
                          read_s=read_s, build_s=build_s, solve_s=solve_s, model_s=build_s + solve_s)))


if __name__ == '__main__':
    main()
