#!/usr/bin/python3
"""Regenerates styles/<layer>.sld (SLD 1.1) from styles/<layer>.qml with QGIS's own exporter,
so the SLD says what the QML says (for GeoServer and other OGC tools).
Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis/make_sld.py styles/"""
import glob
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_HASH_SEED"] = "0"  # stable XML attribute order, so the SLDs are reproducible
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-" + str(os.getuid()))
os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402

GEOMETRY = {"SimpleMarker": "Point", "SimpleLine": "MultiLineString", "SimpleFill": "MultiPolygon"}


def main(styles_dir):
    app = QgsApplication([], False)
    app.initQgis()
    for qml in sorted(glob.glob(os.path.join(styles_dir, "*.qml"))):
        text = open(qml, encoding="utf-8").read()
        kind = next((g for c, g in GEOMETRY.items() if f'class="{c}"' in text), None)
        if kind is None:
            continue  # attribute table: nothing to draw
        name = os.path.basename(qml)[:-4]
        layer = QgsVectorLayer(f"{kind}?crs=EPSG:4547", name, "memory")
        message, ok = layer.loadNamedStyle(qml)
        if not ok:
            print(f"{qml}: {message}")
            return 1
        sld = qml[:-4] + ".sld"
        layer.saveSldStyle(sld)
        print("wrote", sld)
        del layer
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "styles"))
