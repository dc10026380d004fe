#!/usr/bin/python3
"""Headless QGIS acceptance check for gridplan outputs (ctest label `qgis`).

Usage: /usr/bin/python3 check_outputs.py SPEC.json [--render OUT.png]
       /usr/bin/python3 check_outputs.py --dir OUTDIR [--basename gridplan] [--counts COUNTS.json]
The --dir form derives the spec from the output directory itself: every layer registered in the
GeoPackage (feature count read with sqlite3, independently of QGIS, or taken from COUNTS.json =
{"layer": n, ...} written from the engine's own numbers), the same count for its Shapefile and
GeoJSON, the GeoPackage CRS for GeoPackage/Shapefile and EPSG:4326 for GeoJSON, and
"style": true everywhere (expected style = layer_styles row / side-car .qml).
SPEC (paths relative to the spec's directory):
  {"layers": [{"uri": "gridplan.gpkg|layername=grids", "count": 4, "crs": "EPSG:4547",
               "allow_null_geom": false, "style_qml": "/abs/styles/grids.qml", "aliases": true}],
   "projects": ["gridplan.qgs"], "project_crs": "EPSG:4547", "project_layers": 12}
Checks: every layer valid, feature count, CRS, every geometry GEOS-valid, the default style
applied on load (renderer type / attribute / labels as in style_qml), aliases present; every
project reads, its CRS, layer count (distinct sources), every layer valid. Exit 0 = pass, 1 = fail,
77 = QGIS not installed (ctest SKIP_RETURN_CODE).
QGIS 3.22 traps handled: Debian's /usr/bin/python3, QT_QPA_PLATFORM=offscreen, XDG_RUNTIME_DIR,
QGIS objects deleted before exitQgis(), QgsError.summary() never called on an empty error."""
import json
import os
import sqlite3
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


def expected_style(path=None, text=None):
    """Renderer type, class attribute, labels flag and category count declared in a QML."""
    root = ET.fromstring(text) if text is not None else ET.parse(path).getroot()
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


def stored_style(uri):
    """The style gridplan stored for a layer: the GeoPackage's layer_styles row or the .qml next
    to a Shapefile / GeoJSON file."""
    path, _, rest = uri.partition("|layername=")
    if path.endswith(".gpkg"):
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        row = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_schema = '' AND "
                          "f_table_name = ? AND useAsDefault", (rest,)).fetchone()
        con.close()
        return expected_style(text=row[0]) if row else None
    qml = os.path.splitext(path)[0] + ".qml"
    return expected_style(qml) if os.path.exists(qml) else None


def spec_from_dir(out_dir, basename, counts_path):
    """Expected layers derived from an output directory (see the module docstring)."""
    gpkg = os.path.join(out_dir, basename + ".gpkg")
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    layers = []
    rows = con.execute("SELECT c.table_name, c.data_type, s.organization, s.organization_coordsys_id "
                       "FROM gpkg_contents c LEFT JOIN gpkg_spatial_ref_sys s ON c.srs_id = s.srs_id "
                       "WHERE c.table_name != 'layer_styles' ORDER BY c.table_name").fetchall()
    counts = json.load(open(counts_path, encoding="utf-8")) if counts_path else {}
    for name, data_type, org, code in rows:
        n = counts.get(name, con.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])
        spatial = data_type == "features"
        base = {"layer": name, "count": n, "style": True, "aliases": True,
                "allow_null_geom": (not spatial) or name == "ledger"}
        for uri, crs in ((f"{basename}.gpkg|layername={name}", f"{org}:{code}"),
                         (f"shp/{name}.{'shp' if spatial else 'dbf'}", f"{org}:{code}"),
                         (f"geojson/{name}.geojson", "EPSG:4326")):
            if os.path.exists(os.path.join(out_dir, uri.split("|")[0])):
                entry = dict(base, uri=uri)
                if spatial:
                    entry["crs"] = crs
                if uri.startswith("geojson/"):
                    entry["aliases"] = True
                layers.append(entry)
    con.close()
    spec = {"layers": layers, "project_layers": len(rows)}
    if os.path.exists(os.path.join(out_dir, basename + ".qgs")):
        spec["projects"] = [basename + ".qgs"]
        crs = [l["crs"] for l in layers if "crs" in l and l["uri"].startswith(basename)]
        if crs:
            spec["project_crs"] = crs[0]
    return spec


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
    want = None
    if "style_qml" in s:
        want = expected_style(s["style_qml"])
    elif s.get("style"):
        want = stored_style(uri)
        if want is None:
            fails.append(f"{uri}: no stored style (layer_styles row or side-car .qml) found")
    if want is not None:
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
    # Filtered views of one layer (service circles and gaps per kind and time) count once.
    sources = {lyr.source().split("|subset=")[0] for lyr in layers}
    if "project_layers" in spec and len(sources) != spec["project_layers"]:
        fails.append(f"{path}: {len(sources)} layer sources != {spec['project_layers']}")
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
    options = {}
    for flag in ("--dir", "--basename", "--counts"):
        if flag in args:
            i = args.index(flag)
            options[flag] = args[i + 1]
            del args[i:i + 2]
    if "--dir" in options:
        if args:
            print(__doc__)
            return 2
        base = os.path.abspath(options["--dir"])
        spec = spec_from_dir(base, options.get("--basename", "gridplan"), options.get("--counts"))
    elif len(args) == 1:
        spec = json.load(open(args[0], encoding="utf-8"))
        base = os.path.dirname(os.path.abspath(args[0]))
    else:
        print(__doc__)
        return 2
    t0 = time.time()
    app = QgsApplication([], False)
    app.initQgis()
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
