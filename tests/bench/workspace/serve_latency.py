"""End-to-end latency of `gridplan serve` as the page sees it (issue 19): HTTP request → JSON
reply, for an accepted move, its undo, a refused move, and station add / move / remove with the
walking coverage recomputed. Prints median and p95 per request kind, and the load average.
Not a test: nothing here passes or fails on time.
    serve_latency.py GRIDPLAN CONFIG [ROUNDS]
"""
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

gp, config = sys.argv[1:3]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 20
scratch = tempfile.mkdtemp(prefix="gridplan-serve-bench-")
proc = subprocess.Popen([gp, "serve", config, "--port", "0", "--quiet", "-o",
                         os.path.join(scratch, "save")],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
started = time.perf_counter()
url = None
for line in proc.stdout:
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if m:
        port = int(m.group(1))
        break
else:
    raise SystemExit("no address printed: " + proc.stderr.read())
load_s = time.perf_counter() - started
def call(method, path, body=None):
    """One request on its own connection (the server closes idle keep-alive connections)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.perf_counter()
    conn.request(method, path, body=None if body is None else json.dumps(body),
                 headers={"Content-Type": "application/json"} if body is not None else {})
    r = conn.getresponse()
    data = json.loads(r.read())
    conn.close()
    return (time.perf_counter() - t0) * 1000.0, r.status, data


ms, _, state = call("GET", "/api/state")
times = {"GET /api/state": [ms]}
layers = {l["name"]: l["features"] for l in state["data"]["layers"]}
locked = set(state["workspace"]["locked"])
grids = [g["properties"] for g in layers["grids"]
         if g["properties"]["dedicated"] == 0 and g["properties"]["code"] not in locked]
by_comm = {}
for g in grids:
    by_comm.setdefault(g["comm_code"], []).append(g["code"])


def probe():
    """The first accepted move of a building to another grid of its community (then undone);
    and one refused move."""
    refused = None
    for b in layers["buildings"]:
        p = b["properties"]
        if p.get("grid_code") not in {g["code"] for g in grids}:
            continue
        for to in by_comm.get(p["comm_code"], []):
            if to == p["grid_code"]:
                continue
            edit = {"op": "move", "buildings": [p["id"]], "to": to}
            _, _, r = call("POST", "/api/edit", edit)
            if r["accepted"]:
                call("POST", "/api/undo", {})
                return edit, refused
            refused = refused or edit
    raise SystemExit("no accepted move found")


accepted, refused = probe()
for _ in range(rounds):
    for kind, path, body in (("move (accepted)", "/api/edit", accepted),
                             ("undo", "/api/undo", {}),
                             ("move (refused)", "/api/edit", refused)):
        ms, status, r = call("POST", path, body)
        assert status == 200, r
        times.setdefault(kind, []).append(ms)

anchor = layers["buildings"][0]["geometry"]["coordinates"][0][0]
ring = anchor if isinstance(anchor[0], list) else layers["buildings"][0]["geometry"]["coordinates"][0]
lon, lat = ring[0]
ms, _, _ = call("POST", "/api/station", {})
times["station: first coverage (walk graph built)"] = [ms]
for _ in range(max(3, rounds // 4)):
    ms, _, r = call("POST", "/api/station", {"op": "add", "kind": "warm_station",
                                             "lon": lon, "lat": lat})
    times.setdefault("station add", []).append(ms)
    new = r["facilities"]["features"][-1]["properties"]["id"]
    ms, _, _ = call("POST", "/api/station", {"op": "move", "id": new,
                                             "lon": lon + 0.001, "lat": lat})
    times.setdefault("station move", []).append(ms)
    ms, _, _ = call("POST", "/api/station", {"op": "remove", "id": new})
    times.setdefault("station remove", []).append(ms)

proc.send_signal(signal.SIGINT)
proc.communicate(timeout=30)


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


print(f"gridplan serve latency: {config}")
print(f"load average before the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
      f"server start (read, validate, today's plan) {load_s:.2f} s wall")
print(f"{'request':46} {'n':>4} {'median ms':>10} {'p95 ms':>10}")
for kind, xs in times.items():
    print(f"{kind:46} {len(xs):4d} {statistics.median(xs):10.1f} {p95(xs):10.1f}")
