#!/usr/bin/python3
"""Opens a gridplan.qgs in headless QGIS the way a planner would and renders it (ctest label qgis).

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 render_project.py OUTDIR PNG_DIR
Writes PNG_DIR/default_view.png (the canvas as the project opens: its default view extent and
the layers switched on) and PNG_DIR/layout_<n>.png for each print layout, and checks:
- the project reads, every layer is valid, the project CRS is the GeoPackage's;
- the default view extent and the <mapcanvas> extent are non-empty and hold the grids;
- the grids layer draws: enough non-background pixels inside the grids' extent;
- the layouts are the A3 landscape "grids" and "coverage" layouts, each with a map, legend,
  scale bar, north arrow and labels; their Chinese text (title, legend, label fonts) is set in
  a font that QFontDatabase resolves to an installed family holding Chinese glyphs (no tofu);
- the coverage group shows only one service-circle set; the others are in a group switched off.
Exit 0 = pass, 1 = fail, 77 = QGIS not installed."""
import os
import sys
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-" + str(os.getuid()))
os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
try:
    from qgis.core import (QgsApplication, QgsProject, QgsMapSettings, QgsRectangle,
                           QgsMapRendererCustomPainterJob, QgsLayoutExporter, QgsLayoutItemMap,
                           QgsLayoutItemLegend, QgsLayoutItemScaleBar, QgsLayoutItemPicture,
                           QgsLayoutItemLabel, QgsLegendStyle, QgsCoordinateTransform)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QImage, QPainter, QColor, QFontInfo, QFontMetrics, QFontDatabase
except ImportError:
    print("SKIP: python3-qgis is not installed")
    sys.exit(77)

HAN = "网格覆盖图例"  # characters every layout shows


def has_cjk(text):
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def font_problem(font, what):
    """None when `font` resolves to an installed family that draws Chinese; else why not."""
    info = QFontInfo(font)
    family = info.family()
    metrics = QFontMetrics(font)
    missing = [c for c in HAN if not metrics.inFontUcs4(ord(c))]
    chinese = QFontDatabase.SimplifiedChinese in QFontDatabase().writingSystems(family)
    if missing or not chinese:
        why = f"lacks {''.join(missing)!r}" if missing else "has no Simplified Chinese"
        return (f"{what}: font {font.family()!r} resolves to {family!r}, which {why}; "
                f"install a CJK font (fonts-noto-cjk)")
    return None


def render_view(prj, layers, extent, size, path):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(prj.crs())
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(size)
    settings.setExtent(extent)
    settings.setTransformContext(prj.transformContext())
    image = QImage(size, QImage.Format_ARGB32)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    job = QgsMapRendererCustomPainterJob(settings, painter)
    job.start()
    job.waitForFinished()
    painter.end()
    if path:
        image.save(path)
    visible = settings.visibleExtent()
    del job, painter
    return image, visible


def inked_share(image, visible, rect):
    """Share of pixels that are not white inside `rect` (map units) of a rendered image."""
    w, h = image.width(), image.height()
    sx = w / visible.width()
    sy = h / visible.height()
    x0 = max(0, int((rect.xMinimum() - visible.xMinimum()) * sx))
    x1 = min(w, int((rect.xMaximum() - visible.xMinimum()) * sx))
    y0 = max(0, int((visible.yMaximum() - rect.yMaximum()) * sy))
    y1 = min(h, int((visible.yMaximum() - rect.yMinimum()) * sy))
    total = inked = 0
    for y in range(y0, y1, 2):
        for x in range(x0, x1, 2):
            total += 1
            if image.pixel(x, y) & 0xFFFFFF != 0xFFFFFF:
                inked += 1
    return inked / total if total else 0.0


def canvas_extent(path):
    e = ET.parse(path).getroot().find("mapcanvas/extent")
    if e is None:
        return QgsRectangle()
    return QgsRectangle(*(float(e.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")))


def check_view(prj, path, png_dir, fails):
    root = prj.layerTreeRoot()
    grids = next((l for l in prj.mapLayers().values() if l.id() == "gridplan_grids"), None)
    extent = prj.viewSettings().defaultViewExtent()
    canvas = canvas_extent(path)
    if extent.isEmpty() or canvas.isEmpty():
        fails.append(f"empty extent: default view {extent.toString()}, canvas {canvas.toString()}")
        return
    if grids is None:
        fails.append("no layer gridplan_grids in the project")
        return
    # GeoJSON layers are in WGS 84, drawn in the project CRS.
    to_project = QgsCoordinateTransform(grids.crs(), prj.crs(), prj)
    grids_extent = to_project.transformBoundingBox(grids.extent())
    if not extent.contains(grids_extent) or not canvas.contains(grids_extent):
        fails.append(f"the opening extent {extent.toString()} does not hold the grids "
                     f"{grids_extent.toString()}")
    visible = [n.layer() for n in root.findLayers() if n.isVisible() and n.layer().isSpatial()]
    if grids not in visible:
        fails.append("the grids layer is not switched on when the project opens")
    ratio = extent.width() / extent.height()
    size = QSize(1600, max(200, int(1600 / ratio)))
    render_view(prj, visible, QgsRectangle(extent), size, os.path.join(png_dir, "default_view.png"))
    alone, shown = render_view(prj, [grids], QgsRectangle(extent), size, None)
    share = inked_share(alone, shown, grids_extent)
    print(f"  default view: {len(visible)} layers on, grids ink {share:.0%} of their extent")
    if share < 0.15:
        fails.append(f"the grids layer draws only {share:.1%} of the pixels of its extent")


def check_coverage_groups(prj, fails):
    root = prj.layerTreeRoot()
    total = [n for n in root.findLayers() if n.layer().id().startswith("gridplan_service_circles")]
    on = [n.layer().name() for n in total if n.isVisible()]
    print(f"  service circle views: {len(total)}, switched on: {on}")
    if total and len(on) != 1:
        fails.append(f"expected one service-circle set on when the project opens, got {on}")


def check_layout(layout, png_dir, index, fails):
    name = layout.name()
    items = layout.items()
    kinds = {t: [i for i in items if isinstance(i, t)]
             for t in (QgsLayoutItemMap, QgsLayoutItemLegend, QgsLayoutItemScaleBar,
                       QgsLayoutItemPicture, QgsLayoutItemLabel)}
    for t, found in kinds.items():
        if not found:
            fails.append(f"layout {name}: no {t.__name__}")
    page = layout.pageCollection().page(0)
    size = page.pageSize()
    if (round(size.width()), round(size.height())) != (420, 297):
        fails.append(f"layout {name}: page {size.width()}x{size.height()} mm, not A3 landscape")
    texts = [i.currentText() for i in kinds[QgsLayoutItemLabel]]
    if not any(has_cjk(t) for t in texts):
        fails.append(f"layout {name}: no Chinese text in its labels {texts}")
    for label in kinds[QgsLayoutItemLabel]:
        problem = font_problem(label.font(), f"layout {name} label {label.id()!r}")
        if problem:
            fails.append(problem)
    for legend in kinds[QgsLayoutItemLegend]:
        for style in (QgsLegendStyle.Title, QgsLegendStyle.SymbolLabel):
            problem = font_problem(legend.style(style).font(), f"layout {name} legend")
            if problem:
                fails.append(problem)
    for m in kinds[QgsLayoutItemMap]:
        if m.extent().isEmpty() or not m.layers():
            fails.append(f"layout {name}: map with empty extent or no layers")
    png = os.path.join(png_dir, f"layout_{index}.png")
    # QGIS then tries to georeference the PNG through GDAL, which prints a harmless
    # "ERROR 6: The PNG driver does not support update access" (the PNG is complete).
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = 110
    result = QgsLayoutExporter(layout).exportToImage(png, settings)
    if result != QgsLayoutExporter.Success:
        fails.append(f"layout {name}: export to {png} failed ({result})")
    print(f"  layout {name!r}: {len(items)} items, texts {[t[:40] for t in texts]} -> {png}")


def check_labels_font(prj, fails):
    for lyr in prj.mapLayers().values():
        if lyr.isSpatial() and lyr.labelsEnabled() and lyr.labeling() is not None:
            font = lyr.labeling().settings().format().font()
            problem = font_problem(font, f"labels of {lyr.name()}")
            if problem:
                fails.append(problem)
                return


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    out_dir, png_dir = (os.path.abspath(a) for a in sys.argv[1:])
    os.makedirs(png_dir, exist_ok=True)
    path = os.path.join(out_dir, "gridplan.qgs")
    app = QgsApplication([], False)
    app.initQgis()
    fails = []
    prj = QgsProject.instance()
    if not prj.read(path):
        fails.append(f"{path}: project read failed")
    else:
        for lyr in prj.mapLayers().values():
            if not lyr.isValid():
                fails.append(f"layer {lyr.name()} invalid ({lyr.source()})")
        if not prj.crs().isValid():
            fails.append("project CRS is not valid")
        print(f"  {path}: {len(prj.mapLayers())} layers, crs {prj.crs().authid()}")
        check_view(prj, path, png_dir, fails)
        check_coverage_groups(prj, fails)
        check_labels_font(prj, fails)
        layouts = prj.layoutManager().printLayouts()
        names = [l.name() for l in layouts]
        if len(layouts) != 2:
            fails.append(f"expected the grids and coverage print layouts, got {names}")
        for i, layout in enumerate(layouts, 1):
            check_layout(layout, png_dir, i, fails)
        del layouts
    prj.clear()
    for f in fails:
        print("FAIL:", f)
    app.exitQgis()  # every QGIS object was released above; otherwise exit may segfault
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
