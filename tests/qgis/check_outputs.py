#!/usr/bin/python3
"""Headless QGIS acceptance check for gridplan outputs (ctest label `qgis`).

Usage: /usr/bin/python3 check_outputs.py SPEC.json [--render OUT.png]
SPEC (paths relative to the spec's directory):
  {"layers": [{"uri": "gridplan.gpkg|layername=grids", "count": 4, "crs": "EPSG:4547",
               "allow_null_geom": false, "style_qml": "/abs/styles/grids.qml", "aliases": true}],
   "projects": ["gridplan.qgs"], "project_crs": "EPSG:4547", "project_layers": 12}
Checks: every layer valid, feature count, CRS, every geometry GEOS-valid, the default style
applied on load (renderer type / attribute / labels as in style_qml), aliases present; every
project reads, its CRS, layer count, every layer valid. Exit 0 = pass, 1 = fail,
77 = QGIS not installed (ctest SKIP_RETURN_CODE).
QGIS 3.22 traps handled: Debian's /usr/bin/python3, QT_QPA_PLATFORM=offscreen, XDG_RUNTIME_DIR,
QGIS objects deleted before exitQgis(), QgsError.summary() never called on an empty error."""
import json
import os
import sys
import time
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-" + str(os.getuid()))
os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
try:
    from qgis.core import (QgsApplication, QgsProject, QgsVectorLayer, QgsMapSettings,
                           QgsMapRendererCustomPainterJob, QgsRectangle)
except ImportError:
    print("SKIP: python3-qgis is not installed")
    sys.exit(77)

RENDERER_TYPES = {"singleSymbol", "categorizedSymbol", "graduatedSymbol", "RuleRenderer"}


def expected_style(path):
    """Renderer type, class attribute, labels flag and category count declared in a QML."""
    root = ET.parse(path).getroot()
    renderer = root.find("renderer-v2")
    out = {"labels": root.get("labelsEnabled") == "1"}
    if renderer is not None:
        out["type"] = renderer.get("type")
        out["attr"] = renderer.get("attr")
        cats = renderer.find("categories")
        ranges = renderer.find("ranges")
        rules = renderer.find("rules")
        out["classes"] = len(list(cats if cats is not None else ranges if ranges is not None
                                  else rules if rules is not None else []))
    return out


def classes_of(renderer):
    t = renderer.type()
    if t == "categorizedSymbol":
        return len(renderer.categories())
    if t == "graduatedSymbol":
        return len(renderer.ranges())
    if t == "RuleRenderer":
        return len(renderer.rootRule().children())
    return 0


def check_layer(s, base, fails):
    uri = s["uri"] if os.path.isabs(s["uri"].split("|")[0]) else os.path.join(base, s["uri"])
    lyr = QgsVectorLayer(uri, "t", "ogr")
    if not lyr.isValid():
        err = lyr.error()
        why = "" if err.isEmpty() else err.summary()
        fails.append(f"{uri}: not valid {why}")
        del err, lyr
        return
    n = lyr.featureCount()
    if "count" in s and n != s["count"]:
        fails.append(f"{uri}: count {n} != {s['count']}")
    if "crs" in s and lyr.crs().authid() != s["crs"]:
        fails.append(f"{uri}: crs {lyr.crs().authid()!r} != {s['crs']}")
    bad, nogeom = [], []
    for f in lyr.getFeatures():
        if not f.hasGeometry():
            nogeom.append(f.id())
        elif not f.geometry().isGeosValid():
            bad.append(f.id())
    if bad:
        fails.append(f"{uri}: invalid geometries fids={bad[:10]}")
    if nogeom and not s.get("allow_null_geom"):
        fails.append(f"{uri}: null geometries fids={nogeom[:10]}")
    if "style_qml" in s:
        want = expected_style(s["style_qml"])
        r = lyr.renderer()
        if "type" in want:
            got_type = r.type() if r else None
            if got_type != want["type"]:
                fails.append(f"{uri}: default style not applied: renderer {got_type} != {want['type']}")
            elif want.get("attr") and r.classAttribute() != want["attr"]:
                fails.append(f"{uri}: renderer attribute {r.classAttribute()!r} != {want['attr']!r}")
            elif classes_of(r) != want.get("classes", 0):
                fails.append(f"{uri}: renderer classes {classes_of(r)} != {want.get('classes')}")
        if lyr.labelsEnabled() != want["labels"]:
            fails.append(f"{uri}: labels enabled {lyr.labelsEnabled()} != {want['labels']}")
    if s.get("aliases"):
        missing = [f.name() for f in lyr.fields() if lyr.attributeAlias(lyr.fields().indexOf(f.name())) == ""
                   and f.name() not in ("fid",)]
        if missing:
            fails.append(f"{uri}: fields without alias: {missing[:5]}")
    print(f"  {s['uri']}: valid count={n} crs={lyr.crs().authid() or '-'} "
          f"renderer={lyr.renderer().type() if lyr.renderer() else '-'}")
    del lyr


def check_project(path, spec, fails, render):
    prj = QgsProject.instance()
    prj.clear()
    if not prj.read(path):
        fails.append(f"{path}: project read failed")
        prj.clear()
        return
    layers = list(prj.mapLayers().values())
    if "project_crs" in spec and prj.crs().authid() != spec["project_crs"]:
        fails.append(f"{path}: project crs {prj.crs().authid()!r} != {spec['project_crs']}")
    if "project_layers" in spec and len(layers) != spec["project_layers"]:
        fails.append(f"{path}: {len(layers)} layers != {spec['project_layers']}")
    for lyr in layers:
        if not lyr.isValid():
            fails.append(f"{path}: layer {lyr.name()} invalid ({lyr.source()})")
    groups = [g.name() for g in prj.layerTreeRoot().findGroups()]
    print(f"  {os.path.basename(path)}: {len(layers)} layers, crs={prj.crs().authid()}, groups={groups}")
    if render:
        render_project(prj, render)
    del layers, lyr
    prj.clear()


def render_project(prj, out_png):
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QImage, QPainter, QColor
    root = prj.layerTreeRoot()
    visible = [l.layer() for l in root.findLayers() if l.isVisible() and l.layer().isSpatial()]
    extent = QgsRectangle()
    for l in visible:
        if l.name().endswith("grids") or l.name().endswith("streets"):
            extent.combineExtentWith(l.extent())
    extent.scale(1.08)
    settings = QgsMapSettings()
    settings.setLayers(visible)
    settings.setDestinationCrs(prj.crs())
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(1200, 560))
    settings.setExtent(extent)
    image = QImage(settings.outputSize(), QImage.Format_ARGB32)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    job = QgsMapRendererCustomPainterJob(settings, painter)
    job.start()
    job.waitForFinished()
    painter.end()
    image.save(out_png)
    print(f"  rendered {out_png}")
    del job, painter, settings, visible


def main():
    args = sys.argv[1:]
    render = None
    if "--render" in args:
        i = args.index("--render")
        render = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__)
        return 2
    t0 = time.time()
    app = QgsApplication([], False)
    app.initQgis()
    spec = json.load(open(args[0], encoding="utf-8"))
    base = os.path.dirname(os.path.abspath(args[0]))
    fails = []
    for s in spec.get("layers", []):
        check_layer(s, base, fails)
    for p in spec.get("projects", []):
        path = p if os.path.isabs(p) else os.path.join(base, p)
        check_project(path, spec, fails, render)
    print("checked %d layers, %d projects in %.2fs" % (len(spec.get("layers", [])),
                                                      len(spec.get("projects", [])), time.time() - t0))
    for f in fails:
        print("FAIL:", f)
    app.exitQgis()  # every QGIS object was deleted above; otherwise exit may segfault
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
