"""A copy of a run configuration with absolute input paths and some settings changed.

    config_variant.py IN.json OUT.json SECTION.KEY=JSON ...

e.g. `siting.p=8` or `redraw.rebalance=false`; `SECTION.KEY+=JSON` appends to a list
(`inputs.facilities+={"path": "/abs/x.geojson", "kind": "warm_station"}`). The copy can live anywhere (its inputs still
resolve); tests use it to vary the embedded sample's configuration.
"""
import json
import os
import sys

source, target, *settings = sys.argv[1:]
cfg = json.load(open(source))
base = os.path.dirname(os.path.abspath(source))
for value in cfg["inputs"].values():
    for layer in value if isinstance(value, list) else [value]:
        layer["path"] = os.path.join(base, layer["path"])
for setting in settings:
    key, text = setting.split("=", 1)
    append = key.endswith("+")
    section, name = key.rstrip("+").split(".", 1)
    if append:
        cfg.setdefault(section, {}).setdefault(name, []).append(json.loads(text))
    else:
        cfg.setdefault(section, {})[name] = json.loads(text)
json.dump(cfg, open(target, "w"), ensure_ascii=False)
