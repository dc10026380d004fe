"""`gridplan serve` as a careless or hostile client sees it (issue 19, "Robust serving"): a real
server on a free loopback port, then oversized bodies, malformed JSON, unknown ops and ids,
a foreign Host header, a wrong Content-Type, unknown addresses, a client that hangs up
mid-request, concurrent edits (serialised: the revision counts every accepted one), suggested
sites named by their roads as `gridplan site` names them, a bind off 127.0.0.1 that refuses
every request without the printed token, and Ctrl-C (exit 0, "stopped").
    serve_api.py GRIDPLAN CONFIG SCRATCH_DIR
"""
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

gp, config, scratch = sys.argv[1:4]
os.makedirs(scratch, exist_ok=True)
failures = []


def check(ok, what, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(what)


def start(*extra):
    """Starts gridplan serve; returns (process, url) once it prints its address."""
    proc = subprocess.Popen([gp, "serve", config, "--port", "0", "--quiet", "--lang", "en",
                             "-o", os.path.join(scratch, "save"), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    for line in proc.stdout:
        m = re.search(r"(http://\S+)", line)
        if m:
            return proc, m.group(1)
        if time.time() > deadline:
            break
    proc.kill()
    raise SystemExit("gridplan serve printed no address: " + proc.stderr.read())


def request(url, method, path, body=None, headers=None):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    h = {"Content-Type": "application/json"} if body is not None else {}
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    try:
        return r.status, json.loads(data) if data else None, r.getheader("Content-Type")
    except ValueError:
        return r.status, data.decode("utf-8", "replace"), r.getheader("Content-Type")


proc, url = start()
check(url.startswith("http://127.0.0.1:"), "binds 127.0.0.1 by default", url)
check("token" not in url, "no token on loopback", url)

status, page, ctype = request(url, "GET", "/")
check(status == 200 and "text/html" in ctype and "gridplan workspace" in page,
      "GET / serves the workspace page", f"{status} {ctype}")
status, state, _ = request(url, "GET", "/api/state")
check(status == 200 and state["format"] == "gridplan-workspace/1", "GET /api/state", status)
grids = next(l for l in state["data"]["layers"] if l["name"] == "grids")["features"]
buildings = next(l for l in state["data"]["layers"] if l["name"] == "buildings")["features"]
check(len(grids) > 0 and len(buildings) > 0, "state holds grids and buildings")
revision = state["workspace"]["revision"]
free = [g["properties"]["code"] for g in grids
        if g["properties"]["code"] not in state["workspace"]["locked"]]

status, body, _ = request(url, "POST", "/api/edit", body="x" * (2 << 20))
check(status == 413 and "too large" in body["error"], "a 2 MiB body is refused (413)", status)
status, body, _ = request(url, "POST", "/api/edit", body='{"op": "move", ')
check(status == 400 and "request" in body["error"], "malformed JSON: 400 naming the request",
      body)
status, body, _ = request(url, "POST", "/api/edit", body='{"op": "paint"}')
check(status == 400 and "paint" in body["error"], "an unknown op: 400 naming it", body)
status, body, _ = request(url, "POST", "/api/edit", body='{"op": "move", "to": "x"}')
check(status == 400 and "buildings" in body["error"], "a move without buildings: 400", body)
status, body, _ = request(url, "POST", "/api/edit", body='[1, 2]')
check(status == 400 and "object" in body["error"], "a body that is not an object: 400", body)
status, body, _ = request(url, "POST", "/api/edit", body='{"op": "move", "buildings": '
                          '["no-such-building"], "to": "%s"}' % free[0])
check(status == 200 and body["accepted"] is False and "no-such-building" in body["refusal"],
      "an unknown building id is a refusal naming it", body)
status, body, _ = request(url, "POST", "/api/edit",
                          body='{"op": "lock", "grids": ["no-such-grid"]}')
check(status == 200 and body["accepted"] is False and "no-such-grid" in body["refusal"],
      "an unknown grid code is a refusal naming it", body)
status, body, _ = request(url, "POST", "/api/edit", body="{}",
                          headers={"Content-Type": "text/plain"})
check(status == 415, "a body that is not JSON by Content-Type: 415", status)
status, body, _ = request(url, "GET", "/api/state", headers={"Host": "evil.example:80"})
check(status == 403, "a foreign Host header (DNS rebinding) is refused: 403", status)
status, body, _ = request(url, "GET", "/etc/passwd")
check(status == 404 and isinstance(body, dict), "unknown addresses: 404 as JSON", status)
status, body, _ = request(url, "POST", "/api/save", body='{"force": "yes"}')
check(status == 400 and "force" in body["error"], "save with a non-boolean force: 400", body)
status, body, _ = request(url, "POST", "/api/save", body='{"dir": "/tmp/elsewhere"}')
check(status == 400 and "dir" in body["error"],
      "save cannot be pointed at another folder by the browser: 400", body)

# A client that hangs up half-way through a request: the server goes on.
u = urllib.parse.urlsplit(url)
s = socket.create_connection((u.hostname, u.port))
s.sendall(b"POST /api/edit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          b"Content-Length: 1000\r\n\r\n{\"op\": ")
s.close()
status, _, _ = request(url, "GET", "/api/state")
check(status == 200, "the server answers after a client hung up mid-request", status)

# Concurrent clients: lock/unlock of one grid from 8 threads, 5 times each. Every change is
# serialised: the revision grows by exactly the number of accepted changes.
code = free[0]
results = []


def worker(k):
    for i in range(5):
        op = "lock" if (k + i) % 2 == 0 else "unlock"
        st, b, _ = request(url, "POST", "/api/edit", body=json.dumps({"op": op, "grids": [code]}))
        results.append((st, b))


threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
accepted = sum(1 for st, b in results if st == 200 and b["accepted"])
check(all(st == 200 for st, _ in results), "40 concurrent edits all answered 200")
status, state2, _ = request(url, "GET", "/api/state")
check(state2["workspace"]["revision"] == revision + accepted,
      "the revision counts every accepted concurrent edit (none torn)",
      f"{revision} + {accepted} != {state2['workspace']['revision']}")

# Suggested sites carry where they are in a planner's words: `road` (the nearest named road,
# "A / B" at an intersection) as `gridplan site` writes it for the same candidate. The sample's
# proposal is generated intersections ("node:…"), some with a named road within reach.
status, body, _ = request(url, "POST", "/api/suggest", body='{"p": 3}')
rows = [f["properties"] for f in (body or {}).get("proposed_sites", {}).get("features", [])] \
    if status == 200 else []
check(status == 200 and rows and all("road" in r for r in rows)
      and any(str(r["cand_id"]).startswith("node:") and r["road"] for r in rows),
      "suggested sites carry their road; an intersection site names its roads", body)
site_out = os.path.join(scratch, "site")
subprocess.run([gp, "site", config, "--quiet", "--force", "-o", site_out], check=True,
               stdout=subprocess.DEVNULL)
db = sqlite3.connect(os.path.join(site_out, "gridplan.gpkg"))
site_roads = dict(db.execute("SELECT cand_id, road FROM proposed_sites").fetchall())
db.close()
differ = [(r["cand_id"], r["road"], site_roads.get(r["cand_id"])) for r in rows
          if r["cand_id"] in site_roads and r["road"] != site_roads[r["cand_id"]]]
check(any(r["cand_id"] in site_roads for r in rows) and not differ,
      "a suggested site's road is the one `gridplan site` writes for it", differ)

proc.send_signal(signal.SIGINT)
try:
    out, err = proc.communicate(timeout=10)
    check(proc.returncode == 0 and "stopped" in out, "Ctrl-C stops the server cleanly (exit 0)",
          f"rc {proc.returncode} out {out!r} err {err!r}")
except subprocess.TimeoutExpired:
    proc.kill()
    check(False, "Ctrl-C stops the server within 10 s")

# Off 127.0.0.1 (127.0.0.2 still stays on this machine): every request needs the token.
proc, url = start("--bind", "127.0.0.2")
m = re.search(r"\?token=([0-9a-f]{32})$", url)
check(m is not None, "a bind off 127.0.0.1 prints a token", url)
if m:
    token = m.group(1)
    bare = url.split("?")[0]
    status, _, _ = request(bare, "GET", "/api/state")
    check(status == 401, "no token: 401", status)
    status, _, _ = request(bare, "GET", "/api/state", headers={"X-Gridplan-Token": "0" * 32})
    check(status == 401, "a wrong token: 401", status)
    status, _, _ = request(bare, "GET", "/api/state", headers={"X-Gridplan-Token": token})
    check(status == 200, "the token in the header: 200", status)
    status, _, _ = request(bare, "GET", "/?token=" + token)
    check(status == 200, "the token in the page's address: 200", status)
proc.send_signal(signal.SIGTERM)
proc.communicate(timeout=10)

print(f"serve_api: {len(failures)} failed")
sys.exit(1 if failures else 0)
