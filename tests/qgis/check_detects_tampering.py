#!/usr/bin/python3
"""Proves check_outputs.py can fail: copies a good output directory, breaks the GeoPackage's
default style key the way a careless writer would (f_table_schema NULL, which QGIS ignores) and
removes one GeoJSON feature, then expects check_outputs.py to report exactly those faults.
Usage: /usr/bin/python3 check_detects_tampering.py GOOD_OUTDIR SCRATCH_DIR   (exit 77: no QGIS)"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys

try:
    import qgis.core  # noqa: F401
except ImportError:
    sys.exit(77)

good, scratch = sys.argv[1], sys.argv[2]
shutil.rmtree(scratch, ignore_errors=True)
shutil.copytree(good, scratch)
con = sqlite3.connect(os.path.join(scratch, "gridplan.gpkg"))
con.execute("UPDATE layer_styles SET f_table_schema = NULL WHERE f_table_name = 'grids'")
con.commit()
con.close()
path = os.path.join(scratch, "geojson", "facilities.geojson")
doc = json.load(open(path, encoding="utf-8"))
doc["features"].pop()
json.dump(doc, open(path, "w", encoding="utf-8"))
run = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "check_outputs.py"),
                      os.path.join(scratch, "spec.json")], capture_output=True, text=True)
out = run.stdout
expected = ["gridplan.gpkg|layername=grids: default style not applied",
            "geojson/facilities.geojson: count"]
missing = [e for e in expected if e not in out]
unexpected = [l for l in out.splitlines() if l.startswith("FAIL:") and not any(e in l for e in expected)
              and "layername=grids" not in l]
print(out[-2000:])
if run.returncode != 1 or missing or unexpected:
    print(f"check_outputs.py rc={run.returncode}, missing={missing}, unexpected={unexpected}")
    sys.exit(1)
print("check_outputs.py caught both faults")
