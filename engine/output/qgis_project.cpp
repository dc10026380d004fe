// The QGIS project (.qgs): every layer grouped, relative sources, project CRS with WKT.
#include <algorithm>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "output/schema.hpp"
#include "output/write.hpp"
#include "output/writers_detail.hpp"

namespace gridplan::output::detail {
namespace {

std::string source_of(const Layer& layer, ProjectSource source, const std::string& basename) {
    switch (source) {
        case ProjectSource::gpkg:
            return "./" + basename + ".gpkg|layername=" + layer.name;
        case ProjectSource::shapefile:
            return "./shp/" + layer.name +
                   (layer.geometry_type == GeometryType::none ? ".dbf" : ".shp");
        case ProjectSource::geojson:
            return "./geojson/" + layer.name + ".geojson";
    }
    return {};
}

const char* geometry_attr(GeometryType type) {
    switch (type) {
        case GeometryType::none:
            return "No geometry";
        case GeometryType::point:
            return "Point";
        case GeometryType::line:
            return "Line";
        case GeometryType::polygon:
            return "Polygon";
    }
    return "Unknown geometry";
}

const char* wkb_attr(GeometryType type) {
    switch (type) {
        case GeometryType::none:
            return "NoGeometry";
        case GeometryType::point:
            return "Point";
        case GeometryType::line:
            return "MultiLineString";
        case GeometryType::polygon:
            return "MultiPolygon";
    }
    return "Unknown";
}

/// The children of the QML root element <qgis …>…</qgis>, and whether labels are enabled.
struct StyleBody {
    std::string inner;
    bool labels = false;
};

StyleBody style_body(const std::string& qml) {
    const auto root = qml.find("<qgis");
    const auto root_end = root == std::string::npos ? root : qml.find('>', root);
    const auto close = qml.rfind("</qgis>");
    core::require_invariant(
        root_end != std::string::npos && close != std::string::npos && close > root_end,
        "style is not a <qgis> document");
    const std::string root_tag = qml.substr(root, root_end - root);
    StyleBody body;
    body.inner = qml.substr(root_end + 1, close - root_end - 1);
    body.labels = root_tag.find("labelsEnabled=\"1\"") != std::string::npos;
    return body;
}

std::string layer_id(const Layer& layer) {
    return "gridplan_" + layer.name;
}

std::string display_name(const Layer& layer) {
    return layer.title_zh.empty() ? layer.name : layer.title_zh + " " + layer.name;
}

std::size_t canonical_rank(const Layer& layer) {
    const auto* it = std::find(std::begin(kLayerNames), std::end(kLayerNames), layer.name);
    return static_cast<std::size_t>(it - std::begin(kLayerNames));
}

/// Layers that start switched off in the legend: one marker per input building or ledger row
/// would bury the grids and circles the project is opened for (both stay one click away).
bool shown_on_open(const Layer& layer) {
    return layer.name != "buildings" && layer.name != "ledger";
}

}  // namespace

std::string qgis_project_xml(const core::WorkingCrs& crs,
                             std::span<const Layer> layers,
                             ProjectSource source,
                             const std::string& basename,
                             const std::string& title) {
    // Canonical legend order (points above lines above polygons); unknown layers keep their order.
    std::vector<const Layer*> ordered;
    for (const Layer& layer : layers) {
        ordered.push_back(&layer);
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const Layer* a, const Layer* b) {
        return canonical_rank(*a) < canonical_rank(*b);
    });
    std::vector<std::string> groups;
    for (const Layer* layer : ordered) {
        if (std::find(groups.begin(), groups.end(), layer->group) == groups.end()) {
            groups.push_back(layer->group);
        }
    }

    const std::string wkt = xml_escape(crs_wkt2(crs));
    const std::string authid = crs.epsg > 0 ? "EPSG:" + std::to_string(crs.epsg) : std::string{};
    const std::string srs_xml = "<spatialrefsys><wkt>" + wkt + "</wkt><authid>" + authid +
                                "</authid><description>" + xml_escape(crs.name) +
                                "</description></spatialrefsys>";

    std::string out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    out += "<qgis version=\"3.22.0\" projectname=\"" + xml_escape(title) + "\">\n";
    out += "  <title>" + xml_escape(title) + "</title>\n";
    out += "  <projectCrs>\n    " + srs_xml + "\n  </projectCrs>\n";
    out += "  <layer-tree-group>\n";
    for (const std::string& group : groups) {
        out += "    <layer-tree-group name=\"" + xml_escape(group) +
               "\" checked=\"Qt::Checked\" expanded=\"1\">\n";
        for (const Layer* layer : ordered) {
            if (layer->group != group) {
                continue;
            }
            out += "      <layer-tree-layer id=\"" + xml_escape(layer_id(*layer)) + "\" name=\"" +
                   xml_escape(display_name(*layer)) + "\" source=\"" +
                   xml_escape(source_of(*layer, source, basename)) +
                   "\" providerKey=\"ogr\" checked=\"" +
                   (shown_on_open(*layer) ? "Qt::Checked" : "Qt::Unchecked") + "\" expanded=\"0\"/>\n";
        }
        out += "    </layer-tree-group>\n";
    }
    out += "  </layer-tree-group>\n";
    out += "  <projectlayers>\n";
    for (const Layer* layer : ordered) {
        const StyleBody style = style_body(layer_qml(*layer));
        out += std::string{"    <maplayer type=\"vector\" geometry=\""} +
               geometry_attr(layer->geometry_type) + "\" wkbType=\"" +
               wkb_attr(layer->geometry_type) + "\" labelsEnabled=\"" + (style.labels ? "1" : "0") +
               "\">\n";
        out += "      <id>" + xml_escape(layer_id(*layer)) + "</id>\n";
        out += "      <datasource>" + xml_escape(source_of(*layer, source, basename)) +
               "</datasource>\n";
        out += "      <layername>" + xml_escape(display_name(*layer)) + "</layername>\n";
        out += "      <provider encoding=\"UTF-8\">ogr</provider>\n";
        if (layer->geometry_type != GeometryType::none) {
            out += "      <srs>" + srs_xml + "</srs>\n";
        }
        out += style.inner;
        out += "\n    </maplayer>\n";
    }
    out += "  </projectlayers>\n";
    out += "  <properties>\n";
    out += "    <Paths><Absolute type=\"bool\">false</Absolute></Paths>\n";
    out +=
        "    <SpatialRefSys><ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>"
        "</SpatialRefSys>\n";
    out += "  </properties>\n";
    out += "</qgis>\n";
    return out;
}

}  // namespace gridplan::output::detail
