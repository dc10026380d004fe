#!/usr/bin/python3
"""Markdown tables of the city benchmark from run.sh's runs.tsv (medians of the runs).

usage: table.py WORK/runs.tsv

Per-stage table: the logs of `gridplan run --timings` (stdout or stderr) are searched for
lines `timing STAGE WALL_S [CPU_S [PEAK_RSS_MB]]` (tokens separated by spaces or tabs, an
optional colon after `timing`, an optional unit suffix `s`/`MB` on each number); STAGE has no
spaces. Adjust parse_timings() if the CLI settles on another form.
"""
import csv
import math
import re
import statistics
import sys
from collections import OrderedDict, defaultdict


def fmt(x, nd=1):
    return "–" if x is None else f"{x:,.{nd}f}"


def exponent(t1, t2, s1, s2):
    if None in (t1, t2) or t1 <= 0 or t2 <= 0 or s1 == s2:
        return None
    return math.log(t2 / t1) / math.log(s2 / s1)


def label(s):
    return {0.25: "1/4 city", 0.5: "1/2 city", 1.0: "whole city"}.get(s, f"scale {s:g}")


TIMING = re.compile(r"^\s*timing:?\s+(\S+)\s+([0-9.]+)\s*s?(?:\s+([0-9.]+)\s*s?)?"
                    r"(?:\s+([0-9.]+)\s*(?:MB)?)?\s*$")


def parse_timings(path):
    out = OrderedDict()
    for p in (path, re.sub(r"\.log$", ".err", path)):
        try:
            with open(p, encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = TIMING.match(line)
                    if m:
                        out[m.group(1)] = tuple(None if g is None else float(g)
                                                for g in m.groups()[1:])
        except OSError:
            pass
    return out


def main():
    rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))
    scales = sorted({float(r["scale"]) for r in rows})
    commands = list(OrderedDict.fromkeys(r["command"] for r in rows))
    cell = defaultdict(list)
    for r in rows:
        cell[(float(r["scale"]), r["command"])].append(r)

    def med(s, c, key, ok_only=True):
        vals = [float(r[key]) for r in cell[(s, c)] if r[key] and (r["status"] == "0" or not ok_only)]
        return statistics.median(vals) if vals else None

    big = scales[-1]
    head = ["command"] + [label(s) for s in scales] + [f"CPU s ({label(big)})",
                                                       f"peak RSS ({label(big)})"]
    head += [f"exp {a:g}→{b:g}" for a, b in zip(scales, scales[1:])]
    print("Wall time, medians (exp = scaling exponent of the wall time, log(t2/t1)/log(s2/s1)):")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for c in commands:
        w = [med(s, c, "wall_s") for s in scales]
        line = [c] + [fmt(x) + " s" if x is not None else "failed" for x in w]
        line.append(fmt(med(big, c, "cpu_s")))
        rss = med(big, c, "rss_kb")
        line.append("–" if rss is None else f"{rss / 1048576:.2f} GB")
        line += [fmt(exponent(w[i], w[i + 1], scales[i], scales[i + 1]), 2)
                 for i in range(len(scales) - 1)]
        print("| " + " | ".join(line) + " |")
    print()
    print("Per command and scale (medians; load = 1-minute load average before each run):")
    print()
    print("| command | scale | wall s | CPU s | CPU/wall | peak RSS GB | runs ok | load before |")
    print("|---|---|---|---|---|---|---|---|")
    for c in commands:
        for s in scales:
            rs = cell[(s, c)]
            w, u, k = med(s, c, "wall_s"), med(s, c, "cpu_s"), med(s, c, "rss_kb")
            ok = sum(r["status"] == "0" for r in rs)
            ratio = None if not w or u is None else u / w
            print(f"| {c} | {s:g} | {fmt(w)} | {fmt(u)} | {fmt(ratio, 2)} | "
                  f"{'–' if k is None else f'{k / 1048576:.2f}'} | {ok}/{len(rs)} | "
                  f"{', '.join(r['load1'] for r in rs)} |")
    failed = [r for r in rows if r["status"] != "0"]
    for r in failed:
        print(f"\nFAILED: scale {r['scale']} {r['command']} run {r['run']} exit {r['status']} "
              f"(log {r['log']})")

    # per-stage table from `run --timings`
    stages = OrderedDict()
    per = defaultdict(list)      # (scale, stage) -> [(wall, cpu, mb)]
    for r in rows:
        if r["command"] != "run" or r["status"] != "0":
            continue
        for st, vals in parse_timings(r["log"]).items():
            stages.setdefault(st, None)
            per[(float(r["scale"]), st)].append(vals)
    if not stages:
        return
    print()
    print("Per stage of `gridplan run --timings` (medians; wall s / CPU s / peak MB; "
          "exp = scaling exponent of the stage's wall time):")
    print()
    head = ["stage"] + [label(s) for s in scales]
    head += [f"exp {a:g}→{b:g}" for a, b in zip(scales, scales[1:])]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))

    def mcol(s, st, i):
        vals = [v[i] for v in per[(s, st)] if v[i] is not None]
        return statistics.median(vals) if vals else None

    for st in stages:
        line = [st]
        walls = []
        for s in scales:
            w, u, mb = (mcol(s, st, i) for i in range(3))
            walls.append(w)
            line.append(" / ".join([fmt(w, 2), fmt(u, 2), fmt(mb, 0)]))
        line += [fmt(exponent(walls[i], walls[i + 1], scales[i], scales[i + 1]), 2)
                 for i in range(len(scales) - 1)]
        print("| " + " | ".join(line) + " |")


if __name__ == "__main__":
    main()
