// Print layouts of the QGIS project (A3 landscape): title, map, legend, scale bar, north arrow,
// date, data source and attribution (docs/qgis.md, "Print layouts").
#include <algorithm>
#include <string>
#include <vector>

#include "output/write.hpp"
#include "output/writers_detail.hpp"

namespace gridplan::output::detail {
namespace {

// A3 landscape, millimetres.
constexpr double kPageWidth = 420.0;
constexpr double kPageHeight = 297.0;
constexpr double kMargin = 10.0;
constexpr double kMapTop = 26.0;
constexpr double kMapWidth = 305.0;
constexpr double kMapHeight = 245.0;
constexpr double kPanelLeft = kMargin + kMapWidth + 6.0;
constexpr double kPanelWidth = kPageWidth - kPanelLeft - kMargin;

constexpr const char* kFont = "Noto Sans CJK SC";

std::string mm(double x, double y) {
    return format_real(x) + "," + format_real(y) + ",mm";
}

/// Deterministic item uuid: layout number and item number.
std::string uuid(std::size_t layout, int item) {
    std::string n = std::to_string(layout * 100 + static_cast<std::size_t>(item));
    n.insert(0, 12 - std::min<std::size_t>(12, n.size()), '0');
    return "{9f1d5a00-6c1e-4e2a-9b1a-" + n + "}";
}

/// The attributes every layout item carries; `type` is QgsLayoutItemRegistry's id.
std::string item_open(int type,
                      const std::string& id,
                      const std::string& item_uuid,
                      double x,
                      double y,
                      double w,
                      double h,
                      int z,
                      bool frame,
                      bool background) {
    return "      <LayoutItem type=\"" + std::to_string(type) + "\" id=\"" + xml_escape(id) +
           "\" uuid=\"" + item_uuid + "\" templateUuid=\"" + item_uuid + "\" position=\"" +
           mm(x, y) + "\" positionOnPage=\"" + mm(x, y) + "\" size=\"" + mm(w, h) + "\" zValue=\"" +
           std::to_string(z) + "\" frame=\"" + (frame ? "true" : "false") + "\" background=\"" +
           (background ? "true" : "false") +
           "\" visibility=\"1\" opacity=\"1\" itemRotation=\"0\" referencePoint=\"0\" "
           "outlineWidthM=\"0.3,mm\" frameJoinStyle=\"miter\" positionLock=\"false\" "
           "excludeFromExports=\"0\" blendMode=\"0\" groupUuid=\"\"";
}

constexpr const char* kItemColours =
    "        <FrameColor red=\"60\" green=\"60\" blue=\"60\" alpha=\"255\"/>\n"
    "        <BackgroundColor red=\"255\" green=\"255\" blue=\"255\" alpha=\"255\"/>\n";

std::string font_description(double points, bool bold) {
    return std::string{kFont} + "," + format_real(points) + ",-1,5," + (bold ? "75" : "50") +
           ",0,0,0,0,0";
}

std::string label_item(std::size_t layout,
                       int item,
                       const std::string& id,
                       const std::string& text,
                       double y,
                       double h,
                       double points,
                       bool bold) {
    std::string out = item_open(
        65641, id, uuid(layout, item), kMargin, y, kPageWidth - 2 * kMargin, h, 10, false, false);
    out += " labelText=\"" + xml_escape(text) +
           "\" htmlState=\"0\" marginX=\"0\" marginY=\"0\" halign=\"1\" valign=\"128\">\n";
    out += kItemColours;
    out +=
        "        <LabelFont description=\"" + font_description(points, bold) + "\" style=\"\"/>\n";
    out += "        <FontColor red=\"20\" green=\"20\" blue=\"20\" alpha=\"255\"/>\n";
    out += "      </LayoutItem>\n";
    return out;
}

std::string layer_ref(const ProjectLayer& layer) {
    return "<Layer source=\"" + xml_escape(layer.source) + "\" name=\"" + xml_escape(layer.name) +
           "\" provider=\"ogr\">" + xml_escape(layer.id) + "</Layer>";
}

/// `extent` widened to the map frame's aspect ratio, so the whole data extent shows.
MapExtent fitted(const MapExtent& extent) {
    MapExtent out = extent;
    const double w = extent.xmax - extent.xmin;
    const double h = extent.ymax - extent.ymin;
    const double ratio = kMapWidth / kMapHeight;
    if (w / h < ratio) {
        const double grow = (h * ratio - w) / 2.0;
        out.xmin -= grow;
        out.xmax += grow;
    } else {
        const double grow = (w / ratio - h) / 2.0;
        out.ymin -= grow;
        out.ymax += grow;
    }
    return out;
}

std::string map_item(std::size_t layout, const PrintLayout& spec, const MapExtent& extent) {
    const MapExtent e = fitted(extent);
    std::string out = item_open(
        65639, "地图 map", uuid(layout, 1), kMargin, kMapTop, kMapWidth, kMapHeight, 1, true, true);
    out +=
        " keepLayerSet=\"true\" followPreset=\"false\" followPresetName=\"\" mapRotation=\"0\" "
        "drawCanvasItems=\"true\" isTemporal=\"0\" mapFlags=\"0\" labelMargin=\"0,mm\">\n";
    out += kItemColours;
    out += "        <Extent xmin=\"" + format_real(e.xmin) + "\" ymin=\"" + format_real(e.ymin) +
           "\" xmax=\"" + format_real(e.xmax) + "\" ymax=\"" + format_real(e.ymax) + "\"/>\n";
    out += "        <LayerSet>\n";
    for (const ProjectLayer* layer : spec.layers) {
        out += "          " + layer_ref(*layer) + "\n";
    }
    out += "        </LayerSet>\n";
    out += "        <AtlasMap atlasDriven=\"0\" scalingMode=\"2\" margin=\"0.1\"/>\n";
    out += "      </LayoutItem>\n";
    return out;
}

std::string legend_styles() {
    std::string out = "        <styles>\n";
    const struct {
        const char* name;
        double points;
        bool bold;
        const char* margins;
    } styles[] = {{"title", 13, true, "marginBottom=\"3\""},
                  {"group", 10, true, "marginTop=\"3\""},
                  {"subgroup", 9, true, "marginTop=\"2.5\""},
                  {"symbol", 8, false, "marginTop=\"1.8\""},
                  {"symbolLabel", 8, false, "marginTop=\"1.8\" marginLeft=\"2\""}};
    for (const auto& s : styles) {
        out += std::string{"          <style name=\""} + s.name + "\" " + s.margins +
               " indent=\"0\" alignment=\"1\">\n            <styleFont description=\"" +
               font_description(s.points, s.bold) + "\" style=\"\"/>\n          </style>\n";
    }
    out += "        </styles>\n";
    return out;
}

/// The legend: the layout's layers only (a custom tree), items filtered by the map's content.
std::string legend_item(std::size_t layout, const PrintLayout& spec) {
    std::string out = item_open(65642,
                                "图例 legend",
                                uuid(layout, 2),
                                kPanelLeft,
                                kMapTop,
                                kPanelWidth,
                                150,
                                3,
                                false,
                                true);
    out +=
        " title=\"图例 Legend\" map_uuid=\"" + uuid(layout, 1) +
        "\" legendFilterByMap=\"1\" resizeToContents=\"1\" columnCount=\"1\" "
        "splitLayer=\"0\" equalColumnWidth=\"0\" symbolWidth=\"7\" symbolHeight=\"4\" "
        "boxSpace=\"2\" columnSpace=\"2\" lineSpacing=\"1\" wrapChar=\"\" "
        "fontColor=\"#000000\" titleAlignment=\"1\" symbolAlignment=\"1\" rasterBorder=\"1\" "
        "wmsLegendWidth=\"50\" wmsLegendHeight=\"25\" minSymbolSize=\"0\" maxSymbolSize=\"0\">\n";
    out += kItemColours;
    out += legend_styles();
    out += "        <layer-tree-group>\n";
    for (const ProjectLayer* layer : spec.layers) {
        out += "          <layer-tree-layer id=\"" + xml_escape(layer->id) + "\" name=\"" +
               xml_escape(layer->name) + "\" source=\"" + xml_escape(layer->source) +
               "\" providerKey=\"ogr\" checked=\"Qt::Checked\" expanded=\"1\" legend_exp=\"\" "
               "patch_size=\"-1,-1\" legend_split_behavior=\"0\">\n";
        if (!layer->legend_name.empty()) {
            out +=
                "            <customproperties><Option type=\"Map\"><Option type=\"QString\" "
                "name=\"legend/title-label\" value=\"" +
                xml_escape(layer->legend_name) + "\"/></Option></customproperties>\n";
        }
        out += "          </layer-tree-layer>\n";
    }
    out += "        </layer-tree-group>\n";
    out += "      </LayoutItem>\n";
    return out;
}

std::string scale_bar_item(std::size_t layout) {
    std::string out = item_open(65646,
                                "比例尺 scale bar",
                                uuid(layout, 3),
                                kPanelLeft,
                                kMapTop + kMapHeight - 32,
                                kPanelWidth,
                                12,
                                4,
                                false,
                                false);
    out += " mapUuid=\"" + uuid(layout, 1) +
           "\" style=\"Single Box\" unitType=\"meters\" unitLabel=\"m\" "
           "numMapUnitsPerScaleBarUnit=\"1\" numSegments=\"2\" numSegmentsLeft=\"0\" "
           "numSubdivisions=\"1\" subdivisionsHeight=\"1.5\" segmentSizeMode=\"1\" "
           "numUnitsPerSegment=\"100\" segmentMillimeters=\"0\" minBarWidth=\"25\" "
           "maxBarWidth=\"" +
           format_real(kPanelWidth - 15) +
           "\" height=\"3\" labelBarSpace=\"2\" boxContentSpace=\"1\" alignment=\"0\" "
           "labelVerticalPlacement=\"0\" labelHorizontalPlacement=\"0\" outlineWidth=\"0.3\" "
           "lineJoinStyle=\"miter\" lineCapStyle=\"square\">\n";
    out += kItemColours;
    out += std::string{"        <text-style fontFamily=\""} + kFont +
           "\" fontSize=\"8\" fontSizeUnit=\"Point\" textColor=\"0,0,0,255\" "
           "textOpacity=\"1\" fontWeight=\"50\" namedStyle=\"\"/>\n";
    out += "        <fillColor red=\"0\" green=\"0\" blue=\"0\" alpha=\"255\"/>\n";
    out += "        <fillColor2 red=\"255\" green=\"255\" blue=\"255\" alpha=\"255\"/>\n";
    out += "        <strokeColor red=\"0\" green=\"0\" blue=\"0\" alpha=\"255\"/>\n";
    out += "      </LayoutItem>\n";
    return out;
}

std::string north_arrow_item(std::size_t layout) {
    std::string out = item_open(65640,
                                "指北针 north arrow",
                                uuid(layout, 4),
                                kPanelLeft,
                                kMapTop + kMapHeight - 58,
                                14,
                                20,
                                5,
                                false,
                                false);
    out +=
        " file=\":/images/north_arrows/layout_default_north_arrow.svg\" mode=\"0\" "
        "mapUuid=\"" +
        uuid(layout, 1) +
        "\" northMode=\"0\" northOffset=\"0\" resizeMode=\"0\" anchorPoint=\"0\" "
        "pictureRotation=\"0\" pictureWidth=\"14\" pictureHeight=\"20\" "
        "svgFillColor=\"255,255,255,255\" svgBorderColor=\"0,0,0,255\" "
        "svgBorderWidth=\"0.2\">\n";
    out += kItemColours;
    out += "      </LayoutItem>\n";
    return out;
}

std::string page_collection() {
    std::string out = "      <PageCollection>\n";
    out += item_open(65638,
                     "",
                     "{9f1d5a00-6c1e-4e2a-9b1a-000000000000}",
                     0,
                     0,
                     kPageWidth,
                     kPageHeight,
                     0,
                     false,
                     true);
    out += ">\n";
    out += kItemColours;
    out += "      </LayoutItem>\n";
    out += "      <GuideCollection visible=\"1\"/>\n";
    out += "      </PageCollection>\n";
    return out;
}

std::string one_layout(std::size_t index,
                       const PrintLayout& spec,
                       const MapExtent& extent,
                       const std::string& footer) {
    std::string out = "    <Layout name=\"" + xml_escape(spec.name) +
                      "\" units=\"mm\" printResolution=\"300\" worldFileMap=\"\">\n";
    out += page_collection();
    out += label_item(index, 5, "标题 title", spec.title, 8, 14, 20, true);
    out += map_item(index, spec, extent);
    out += legend_item(index, spec);
    out += north_arrow_item(index);
    out += scale_bar_item(index);
    out += label_item(index, 6, "说明 notes", footer, kMapTop + kMapHeight + 3, 14, 8, false);
    out += "    </Layout>\n";
    return out;
}

}  // namespace

std::string print_layouts_xml(std::span<const PrintLayout> layouts,
                              const MapExtent& extent,
                              const std::string& footer) {
    std::string out = "  <Layouts>\n";
    for (std::size_t i = 0; i < layouts.size(); ++i) {
        out += one_layout(i + 1, layouts[i], extent, footer);
    }
    out += "  </Layouts>\n";
    return out;
}

}  // namespace gridplan::output::detail
