// The QGIS project (.qgs): every layer grouped, relative sources, project CRS with WKT, the
// canvas zoomed to the data, one view per coverage set (the siting kind's 15-minute set on, the
// others in a collapsed group, off) and the print layouts (docs/qgis.md).
#include <algorithm>
#include <cctype>
#include <compare>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <boost/geometry.hpp>

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

std::string display_name(const Layer& layer) {
    return layer.title_zh.empty() ? layer.name : layer.title_zh + " " + layer.name;
}

std::size_t canonical_rank(const Layer& layer) {
    const auto* it = std::find(std::begin(kLayerNames), std::end(kLayerNames), layer.name);
    return static_cast<std::size_t>(it - std::begin(kLayerNames));
}

/// Groups top to bottom: the grids first (what the project is opened for), then what is drawn
/// over and around them; unknown groups keep their order after these.
std::size_t group_rank(const std::string& group) {
    static constexpr std::string_view kOrder[] = {
        "Grids", "Siting", "Coverage", "Admin", "Data issues"};
    const auto* it = std::find(std::begin(kOrder), std::end(kOrder), group);
    return static_cast<std::size_t>(it - std::begin(kOrder));
}

/// Layers that start switched off in the legend: one marker per input building or ledger row
/// would bury the grids and circles the project is opened for (both stay one click away).
bool shown_on_open(const Layer& layer) {
    return layer.name != "buildings" && layer.name != "ledger";
}

const Layer* find_layer(std::span<const Layer* const> layers, std::string_view name) {
    for (const Layer* layer : layers) {
        if (layer->name == name) {
            return layer;
        }
    }
    return nullptr;
}

// ----- Coverage sets: one view per facility kind, walking time (and profile) -----

/// One set of service circles or coverage gaps.
struct CoverageSet {
    std::string kind;
    std::int64_t minutes = 0;
    std::string profile;  ///< empty for gaps (they have no profile)
    auto operator<=>(const CoverageSet&) const = default;
};

std::string text_value(const Value& value) {
    const auto* text = std::get_if<std::string>(&value);
    return text == nullptr ? std::string{} : *text;
}

std::int64_t int_value(const Value& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        return *i;
    }
    if (const auto* d = std::get_if<double>(&value)) {
        return static_cast<std::int64_t>(*d);
    }
    return 0;
}

/// The distinct sets of a service_circles or coverage_gaps layer in row order (circles: the
/// dissolved rows, fac_id = all, only).
std::vector<CoverageSet> coverage_sets(const Layer& layer) {
    const bool circles = layer.name == "service_circles";
    const std::size_t kind = field_index(layer, "kind");
    const std::size_t minutes = field_index(layer, "minutes");
    std::vector<CoverageSet> sets;
    for (const auto& row : layer.rows) {
        if (circles && text_value(row[field_index(layer, "fac_id")]) != "all") {
            continue;
        }
        CoverageSet set{text_value(row[kind]), int_value(row[minutes]), {}};
        if (circles) {
            set.profile = text_value(row[field_index(layer, "profile")]);
        }
        if (std::find(sets.begin(), sets.end(), set) == sets.end()) {
            sets.push_back(std::move(set));
        }
    }
    return sets;
}

/// The set shown when the project opens: the siting kind (the proposed sites' kind, else the
/// first kind with circles, else with gaps) at 15 minutes (else its longest walking time).
std::optional<CoverageSet> focus_set(std::span<const Layer* const> layers,
                                     const std::vector<CoverageSet>& circles,
                                     const std::vector<CoverageSet>& gaps) {
    const std::vector<CoverageSet>& sets = circles.empty() ? gaps : circles;
    if (sets.empty()) {
        return std::nullopt;
    }
    std::string kind = sets.front().kind;
    const Layer* sites = find_layer(layers, "proposed_sites");
    if (sites != nullptr && !sites->rows.empty()) {
        const std::string sited = text_value(sites->rows.front()[field_index(*sites, "kind")]);
        if (std::any_of(sets.begin(), sets.end(), [&](const auto& s) { return s.kind == sited; })) {
            kind = sited;
        }
    }
    std::optional<CoverageSet> best;
    for (const CoverageSet& set : sets) {
        if (set.kind != kind || (best && best->minutes == 15)) {
            continue;
        }
        if (!best || set.minutes == 15 || set.minutes > best->minutes) {
            best = set;
        }
    }
    return best;
}

std::string kind_label(const std::string& kind) {
    for (const FacilityKindInfo& info : kFacilityKinds) {
        if (info.kind == kind) {
            return std::string{info.name_zh} + " " + std::string{info.name_en};
        }
    }
    return kind;
}

std::string set_label(const CoverageSet& set, bool with_profile) {
    std::string label = kind_label(set.kind) + " " + std::to_string(set.minutes) + " 分钟 min";
    return with_profile && !set.profile.empty() ? label + " · " + set.profile : label;
}

std::string sql_text(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        out += c == '\'' ? std::string{"''"} : std::string(1, c);
    }
    return out + "'";
}

std::string set_subset(const CoverageSet& set, bool circles) {
    std::string subset = circles ? "\"fac_id\" = 'all' AND " : "";
    subset +=
        "\"kind\" = " + sql_text(set.kind) + " AND \"minutes\" = " + std::to_string(set.minutes);
    if (circles && !set.profile.empty()) {
        subset += " AND \"profile\" = " + sql_text(set.profile);
    }
    return subset;
}

std::string id_part(const std::string& text) {
    std::string out;
    for (const char c : text) {
        const bool plain =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        out += plain ? c : '_';
    }
    return out;
}

// ----- The layer tree -----

struct TreeGroup {
    std::string name;
    bool checked = true;
    bool expanded = true;
    std::vector<std::size_t> layers;   ///< indices into Project::views, top to bottom
    std::vector<TreeGroup> subgroups;  ///< drawn below the group's own layers
};

struct Project {
    std::vector<ProjectLayer> views;
    std::vector<TreeGroup> groups;
    std::optional<CoverageSet> focus;
    std::size_t focus_circles = SIZE_MAX;  ///< index of the focus circles' view
    std::size_t focus_gaps = SIZE_MAX;
};

struct ProjectInput {
    ProjectSource source;
    const std::string& basename;
};

ProjectLayer plain_view(const Layer& layer, const ProjectInput& in) {
    return {&layer,
            "gridplan_" + layer.name,
            display_name(layer),
            source_of(layer, in.source, in.basename),
            shown_on_open(layer)};
}

ProjectLayer filtered_view(const Layer& layer,
                           const ProjectInput& in,
                           const std::string& suffix,
                           const std::string& label,
                           const std::string& subset,
                           bool checked) {
    return {&layer,
            "gridplan_" + layer.name + "_" + id_part(suffix),
            display_name(layer) + " · " + label,
            source_of(layer, in.source, in.basename) + "|subset=" + subset,
            checked};
}

/// A dissolved service area: a light fill and a strong outline, so that it reads under the
/// grids' status colours (the layer's own style fills each threshold for a map of its own).
std::string dissolved_renderer(std::int64_t minutes) {
    const char* rgb = minutes <= 5 ? "0,109,44" : minutes <= 10 ? "65,171,93" : "49,163,84";
    return std::string{
               "<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" "
               "enableorderby=\"0\">\n    <symbols>\n      <symbol type=\"fill\" name=\"0\" "
               "alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n        <layer "
               "class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n          "
               "<Option type=\"Map\">\n            <Option name=\"color\" type=\"QString\" "
               "value=\""} +
           rgb + ",55\"/>\n            <Option name=\"outline_color\" type=\"QString\" value=\"" +
           rgb +
           ",255\"/>\n            <Option name=\"outline_width\" type=\"QString\" "
           "value=\"0.8\"/>\n            <Option name=\"outline_width_unit\" type=\"QString\" "
           "value=\"MM\"/>\n            <Option name=\"style\" type=\"QString\" "
           "value=\"solid\"/>\n          </Option>\n        </layer>\n      </symbol>\n    "
           "</symbols>\n  </renderer-v2>";
}

/// The style body with its <renderer-v2> element replaced by `renderer`.
std::string with_renderer(std::string inner, const std::string& renderer) {
    const auto begin = inner.find("<renderer-v2");
    const auto end = inner.find("</renderer-v2>");
    core::require_invariant(begin != std::string::npos && end != std::string::npos,
                            "style has no <renderer-v2> to replace");
    return inner.replace(begin, end + std::string_view{"</renderer-v2>"}.size() - begin, renderer);
}

TreeGroup& group_of(Project& project, const std::string& name) {
    for (TreeGroup& group : project.groups) {
        if (group.name == name) {
            return group;
        }
    }
    project.groups.push_back(TreeGroup{name});
    return project.groups.back();
}

TreeGroup& others_of(TreeGroup& group) {
    if (group.subgroups.empty()) {
        group.subgroups.push_back(TreeGroup{"其他类型与时限 other kinds and times", false, false});
    }
    return group.subgroups.front();
}

std::size_t add_view(Project& project, std::vector<std::size_t>& where, ProjectLayer view) {
    where.push_back(project.views.size());
    project.views.push_back(std::move(view));
    return project.views.size() - 1;
}

/// service_circles / coverage_gaps: the focus set in the group, every other set (and the
/// per-facility circles) in the group's collapsed "other kinds and times" subgroup, off.
void add_coverage_views(Project& project, const Layer& layer, const ProjectInput& in) {
    const bool circles = layer.name == "service_circles";
    const std::vector<CoverageSet> sets = coverage_sets(layer);
    std::set<std::string> profiles;
    for (const CoverageSet& set : sets) {
        profiles.insert(set.profile);
    }
    TreeGroup& group = group_of(project, layer.group);
    for (const CoverageSet& set : sets) {
        const std::string suffix = set.kind + "_" + std::to_string(set.minutes) +
                                   (set.profile.empty() ? "" : "_" + set.profile);
        const bool focus = project.focus && project.focus->kind == set.kind &&
                           project.focus->minutes == set.minutes &&
                           (!circles || project.focus->profile == set.profile);
        ProjectLayer view = filtered_view(layer,
                                          in,
                                          suffix,
                                          set_label(set, profiles.size() > 1),
                                          set_subset(set, circles),
                                          focus);
        const std::string minutes = std::to_string(set.minutes);
        if (circles) {
            view.legend_name = minutes + " 分钟服务范围 " + minutes + "-minute service area";
            view.renderer = dissolved_renderer(set.minutes);
        } else {
            view.legend_name = "覆盖缺口 coverage gaps (" + minutes + " 分钟 min)";
        }
        const std::size_t at =
            add_view(project, focus ? group.layers : others_of(group).layers, std::move(view));
        if (focus) {
            (circles ? project.focus_circles : project.focus_gaps) = at;
        }
    }
    if (circles) {
        add_view(
            project,
            others_of(group).layers,
            filtered_view(
                layer, in, "per_facility", "各设施 per facility", "\"fac_id\" <> 'all'", false));
    }
    if (sets.empty()) {
        add_view(project, group.layers, plain_view(layer, in));
    }
}

Project build_project(std::span<const Layer* const> ordered, const ProjectInput& in) {
    Project project;
    const Layer* circles = find_layer(ordered, "service_circles");
    const Layer* gaps = find_layer(ordered, "coverage_gaps");
    project.focus = focus_set(ordered,
                              circles ? coverage_sets(*circles) : std::vector<CoverageSet>{},
                              gaps ? coverage_sets(*gaps) : std::vector<CoverageSet>{});
    for (const Layer* layer : ordered) {
        if (layer == circles || layer == gaps) {
            add_coverage_views(project, *layer, in);
        } else {
            add_view(project, group_of(project, layer->group).layers, plain_view(*layer, in));
        }
    }
    std::stable_sort(
        project.groups.begin(), project.groups.end(), [](const TreeGroup& a, const TreeGroup& b) {
            return group_rank(a.name) < group_rank(b.name);
        });
    return project;
}

// ----- XML -----

std::string tree_xml(const Project& project, const TreeGroup& group, const std::string& indent) {
    std::string out = indent + "<layer-tree-group name=\"" + xml_escape(group.name) +
                      "\" checked=\"" + (group.checked ? "Qt::Checked" : "Qt::Unchecked") +
                      "\" expanded=\"" + (group.expanded ? "1" : "0") + "\">\n";
    for (const std::size_t i : group.layers) {
        const ProjectLayer& view = project.views[i];
        out += indent + "  <layer-tree-layer id=\"" + xml_escape(view.id) + "\" name=\"" +
               xml_escape(view.name) + "\" source=\"" + xml_escape(view.source) +
               "\" providerKey=\"ogr\" checked=\"" +
               (view.checked ? "Qt::Checked" : "Qt::Unchecked") + "\" expanded=\"0\"/>\n";
    }
    for (const TreeGroup& sub : group.subgroups) {
        out += tree_xml(project, sub, indent + "  ");
    }
    return out + indent + "</layer-tree-group>\n";
}

std::string map_layer_xml(const ProjectLayer& view, const std::string& srs_xml) {
    const Layer& layer = *view.layer;
    const StyleBody style = style_body(layer_qml(layer));
    std::string out = std::string{"    <maplayer type=\"vector\" geometry=\""} +
                      geometry_attr(layer.geometry_type) + "\" wkbType=\"" +
                      wkb_attr(layer.geometry_type) + "\" labelsEnabled=\"" +
                      (style.labels ? "1" : "0") + "\">\n";
    out += "      <id>" + xml_escape(view.id) + "</id>\n";
    out += "      <datasource>" + xml_escape(view.source) + "</datasource>\n";
    out += "      <layername>" + xml_escape(view.name) + "</layername>\n";
    out += "      <provider encoding=\"UTF-8\">ogr</provider>\n";
    if (layer.geometry_type != GeometryType::none) {
        out += "      <srs>" + srs_xml + "</srs>\n";
    }
    out += view.renderer.empty() ? style.inner : with_renderer(style.inner, view.renderer);
    out += "\n    </maplayer>\n";
    return out;
}

// ----- Extent -----

void extend(core::Box& box, bool& any, const Geometry& geometry) {
    std::visit(
        [&](const auto& g) {
            using G = std::decay_t<decltype(g)>;
            if constexpr (!std::is_same_v<G, std::monostate>) {
                if (boost::geometry::is_empty(g)) {
                    return;
                }
                core::Box b{core::Point{0.0, 0.0}, core::Point{0.0, 0.0}};
                boost::geometry::envelope(g, b);
                if (any) {
                    boost::geometry::expand(box, b);
                } else {
                    box = b;
                    any = true;
                }
            }
        },
        geometry);
}

/// The data's extent with a margin: the grids, communities, buildings and streets, else every
/// layer but the ledger, else the ledger.
std::optional<MapExtent> data_extent(std::span<const Layer* const> layers) {
    static constexpr std::string_view kPrimary[] = {"grids", "communities", "buildings", "streets"};
    core::Box box{core::Point{0.0, 0.0}, core::Point{0.0, 0.0}};
    bool any = false;
    for (int pass = 0; pass < 3 && !any; ++pass) {
        for (const Layer* layer : layers) {
            const bool primary = std::find(std::begin(kPrimary), std::end(kPrimary), layer->name) !=
                                 std::end(kPrimary);
            if ((pass == 0 && !primary) || (pass == 1 && layer->name == "ledger")) {
                continue;
            }
            for (const Geometry& g : layer->geometries) {
                extend(box, any, g);
            }
        }
    }
    if (!any) {
        return std::nullopt;
    }
    const double w = box.max_corner().x() - box.min_corner().x();
    const double h = box.max_corner().y() - box.min_corner().y();
    const double pad = std::max(0.04 * std::max(w, h), 20.0);
    return MapExtent{box.min_corner().x() - pad,
                     box.min_corner().y() - pad,
                     box.max_corner().x() + pad,
                     box.max_corner().y() + pad};
}

std::string extent_xml(const MapExtent& e, const std::string& srs_xml) {
    std::string out = "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n";
    out += "    <units>meters</units>\n";
    out += "    <extent><xmin>" + format_real(e.xmin) + "</xmin><ymin>" + format_real(e.ymin) +
           "</ymin><xmax>" + format_real(e.xmax) + "</xmax><ymax>" + format_real(e.ymax) +
           "</ymax></extent>\n";
    out += "    <rotation>0</rotation>\n";
    out += "    <destinationsrs>" + srs_xml + "</destinationsrs>\n";
    out += "    <rendermaptile>0</rendermaptile>\n";
    out += "  </mapcanvas>\n";
    out += "  <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\">\n    <Scales/>\n";
    out += "    <DefaultViewExtent xmin=\"" + format_real(e.xmin) + "\" ymin=\"" +
           format_real(e.ymin) + "\" xmax=\"" + format_real(e.xmax) + "\" ymax=\"" +
           format_real(e.ymax) + "\">" + srs_xml + "</DefaultViewExtent>\n";
    out += "  </ProjectViewSettings>\n";
    return out;
}

std::string spatialrefsys_xml(const core::WorkingCrs& crs) {
    const std::string authid = crs.epsg > 0 ? "EPSG:" + std::to_string(crs.epsg) : std::string{};
    return "<spatialrefsys><wkt>" + xml_escape(crs_wkt2(crs)) + "</wkt><authid>" + authid +
           "</authid><description>" + xml_escape(crs.name) + "</description></spatialrefsys>";
}

// ----- Print layouts -----

/// Whether an input file is OpenStreetMap data (.osm, .pbf, or "osm" in its name).
bool is_osm(const std::filesystem::path& file) {
    std::string name = file.filename().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    const std::string ext = file.extension().string();
    return ext == ".osm" || ext == ".pbf" || name.find("osm") != std::string::npos;
}

/// The layouts' last line: print date (a QGIS expression), data source and attribution.
std::string footer_text(std::span<const std::filesystem::path> inputs,
                        const std::string& attribution) {
    constexpr std::size_t kNamed = 4;  // more file names would not fit on one line
    std::string files;
    std::vector<std::string> seen;
    for (const auto& input : inputs) {
        const std::string name = input.filename().string();
        if (std::find(seen.begin(), seen.end(), name) == seen.end()) {
            seen.push_back(name);
            if (seen.size() <= kNamed) {
                files += (files.empty() ? "" : ", ") + name;
            }
        }
    }
    if (seen.size() > kNamed) {
        files += " 等 " + std::to_string(seen.size()) + " 个文件 (" + std::to_string(seen.size()) +
                 " files)";
    }
    std::string out =
        "制图日期 Date: [% format_date(now(), 'yyyy-MM-dd') %]    数据来源 Data source: ";
    out += files.empty() ? std::string{"见运行配置 see the run's configuration"} : files;
    const std::string credit = data_attribution(inputs, attribution);
    if (!credit.empty()) {
        out += "    " + credit;
    }
    return out + "    制图 Made with gridplan";
}

const ProjectLayer* view_by_id(const Project& project, const std::string& id) {
    for (const ProjectLayer& view : project.views) {
        if (view.id == id) {
            return &view;
        }
    }
    return nullptr;
}

std::vector<PrintLayout> layouts_of(const Project& project, const std::string& title) {
    std::vector<PrintLayout> layouts;
    const auto pick = [&](std::initializer_list<const ProjectLayer*> candidates) {
        std::vector<const ProjectLayer*> out;
        for (const ProjectLayer* view : candidates) {
            if (view != nullptr) {
                out.push_back(view);
            }
        }
        return out;
    };
    const auto id = [&](const char* name) {
        return view_by_id(project, std::string{"gridplan_"} + name);
    };
    if (const ProjectLayer* grids = id("grids")) {
        layouts.push_back({"网格 grids (A3)",
                           title + " — 网格划分 grid plan",
                           pick({id("grid_boundaries"), grids, id("communities"), id("streets")})});
    }
    if (project.focus_circles != SIZE_MAX) {
        const ProjectLayer* gaps =
            project.focus_gaps == SIZE_MAX ? nullptr : &project.views[project.focus_gaps];
        layouts.push_back({"覆盖 coverage (A3)",
                           title + " — " + kind_label(project.focus->kind) + " " +
                               std::to_string(project.focus->minutes) + " 分钟步行覆盖 " +
                               std::to_string(project.focus->minutes) + "-minute walking coverage",
                           pick({id("proposed_sites"),
                                 id("facilities"),
                                 gaps,
                                 id("grid_boundaries"),
                                 &project.views[project.focus_circles],
                                 id("communities"),
                                 id("streets")})});
    }
    return layouts;
}

}  // namespace

std::string data_attribution(std::span<const std::filesystem::path> inputs,
                             const std::string& attribution) {
    if (!attribution.empty()) {
        return attribution;
    }
    const bool osm = std::any_of(inputs.begin(), inputs.end(), is_osm);
    return osm ? "© OpenStreetMap contributors (ODbL)" : "";
}

std::string qgis_project_xml(const core::WorkingCrs& crs,
                             std::span<const Layer> layers,
                             ProjectSource source,
                             const std::string& basename,
                             const std::string& title,
                             std::span<const std::filesystem::path> inputs,
                             const std::string& attribution) {
    // Canonical legend order (points above lines above polygons); unknown layers keep their order.
    std::vector<const Layer*> ordered;
    for (const Layer& layer : layers) {
        ordered.push_back(&layer);
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const Layer* a, const Layer* b) {
        return canonical_rank(*a) < canonical_rank(*b);
    });
    const Project project = build_project(ordered, ProjectInput{source, basename});

    const std::string srs_xml = spatialrefsys_xml(crs);
    // GeoJSON files are in WGS 84 (RFC 7946); QGIS draws them in the project CRS.
    const std::string layer_srs_xml =
        source == ProjectSource::geojson
            ? spatialrefsys_xml(core::WorkingCrs{4326, "WGS 84", {}, {}})
            : srs_xml;

    std::string out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    out += "<qgis version=\"3.22.0\" projectname=\"" + xml_escape(title) + "\">\n";
    out += "  <title>" + xml_escape(title) + "</title>\n";
    out += "  <projectCrs>\n    " + srs_xml + "\n  </projectCrs>\n";
    out += "  <layer-tree-group>\n";
    for (const TreeGroup& group : project.groups) {
        out += tree_xml(project, group, "    ");
    }
    out += "  </layer-tree-group>\n";
    const std::optional<MapExtent> extent = data_extent(ordered);
    if (extent) {
        out += extent_xml(*extent, srs_xml);
    }
    out += "  <projectlayers>\n";
    for (const ProjectLayer& view : project.views) {
        out += map_layer_xml(view, layer_srs_xml);
    }
    out += "  </projectlayers>\n";
    if (extent) {
        out += print_layouts_xml(
            layouts_of(project, title), *extent, footer_text(inputs, attribution));
    }
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
