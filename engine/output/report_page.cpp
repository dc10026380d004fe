#include "output/report_page.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <variant>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "output/writers_detail.hpp"

namespace gridplan::output {
namespace {

using Json = nlohmann::ordered_json;

/// 6 decimals of a degree: about 0.1 m, finer than any footprint the page draws.
constexpr double kScale = 1e6;

double rounded(double degrees) {
    return std::round(degrees * kScale) / kScale;
}

// ---- geometry -----------------------------------------------------------------------------

/// Every point of a geometry, in a fixed order, so that one PROJ call transforms a whole layer.
template <class Fn>
void for_each_point(Geometry& geometry, const Fn& fn) {
    std::visit(
        [&](auto& g) {
            using T = std::decay_t<decltype(g)>;
            if constexpr (std::is_same_v<T, core::Point>) {
                fn(g);
            } else if constexpr (std::is_same_v<T, core::MultiLineString>) {
                for (auto& line : g) {
                    std::for_each(line.begin(), line.end(), fn);
                }
            } else if constexpr (std::is_same_v<T, core::MultiPolygon>) {
                for (auto& polygon : g) {
                    std::for_each(polygon.outer().begin(), polygon.outer().end(), fn);
                    for (auto& inner : polygon.inners()) {
                        std::for_each(inner.begin(), inner.end(), fn);
                    }
                }
            }
        },
        geometry);
}

/// The layer's geometries in WGS 84 lon/lat (one transformation call for the whole layer).
std::vector<Geometry> lonlat_geometries(const core::WorkingCrs& crs, const Layer& layer) {
    std::vector<Geometry> out = layer.geometries;
    std::vector<core::Point> points;
    for (auto& g : out) {
        for_each_point(g, [&](const core::Point& p) { points.push_back(p); });
    }
    detail::to_lonlat(crs, points, "layer '" + layer.name + "' for the report page");
    std::size_t next = 0;
    for (auto& g : out) {
        for_each_point(g, [&](core::Point& p) {
            p = core::Point{rounded(points[next].x()), rounded(points[next].y())};
            ++next;
        });
    }
    return out;
}

/// Coordinates of a point sequence with the repeats that rounding made dropped.
template <class Range>
Json coordinates(const Range& points) {
    Json out = Json::array();
    const core::Point* last = nullptr;
    for (const auto& p : points) {
        if (last == nullptr || p.x() != last->x() || p.y() != last->y()) {
            out.push_back(Json::array({p.x(), p.y()}));
        }
        last = &p;
    }
    return out;
}

Json polygons_json(const core::MultiPolygon& multi) {
    Json polygons = Json::array();
    for (const auto& polygon : multi) {
        Json rings = Json::array();
        rings.push_back(coordinates(polygon.outer()));
        if (rings.back().size() < 4) {
            continue;  // collapsed to a line at 0.1 m: nothing to draw
        }
        for (const auto& inner : polygon.inners()) {
            Json ring = coordinates(inner);
            if (ring.size() >= 4) {
                rings.push_back(std::move(ring));
            }
        }
        polygons.push_back(std::move(rings));
    }
    return polygons;
}

Json geometry_json(const Geometry& geometry) {
    return std::visit(
        [](const auto& g) -> Json {
            using T = std::decay_t<decltype(g)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return nullptr;
            } else if constexpr (std::is_same_v<T, core::Point>) {
                return {{"type", "Point"}, {"coordinates", {g.x(), g.y()}}};
            } else if constexpr (std::is_same_v<T, core::MultiLineString>) {
                Json lines = Json::array();
                for (const auto& line : g) {
                    lines.push_back(coordinates(line));
                }
                return {{"type", "MultiLineString"}, {"coordinates", std::move(lines)}};
            } else {
                return {{"type", "MultiPolygon"}, {"coordinates", polygons_json(g)}};
            }
        },
        geometry);
}

std::size_t vertices(const Geometry& geometry) {
    std::size_t n = 0;
    Geometry copy = geometry;  // for_each_point wants a mutable geometry; counting is cheap
    for_each_point(copy, [&](const core::Point&) { ++n; });
    return n;
}

// ---- attributes ---------------------------------------------------------------------------

Json value_json(const Value& value) {
    return std::visit(
        [](const auto& v) -> Json {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return nullptr;
            } else if constexpr (std::is_same_v<T, double>) {
                return std::isfinite(v) ? Json(v) : Json(nullptr);
            } else {
                return v;
            }
        },
        value);
}

const char* type_name(FieldType type) {
    switch (type) {
        case FieldType::integer:
            return "integer";
        case FieldType::real:
            return "real";
        case FieldType::string:
            return "string";
    }
    return "string";
}

const char* geometry_name(GeometryType type) {
    switch (type) {
        case GeometryType::none:
            return "none";
        case GeometryType::point:
            return "point";
        case GeometryType::line:
            return "line";
        case GeometryType::polygon:
            return "polygon";
    }
    return "none";
}

/// "proposed_sites" -> "Proposed sites".
std::string english_title(const std::string& name) {
    std::string out = name;
    std::replace(out.begin(), out.end(), '_', ' ');
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') {
        out[0] = static_cast<char>(out[0] - 'a' + 'A');
    }
    return out;
}

std::optional<std::size_t> field_index(const Layer& layer, std::string_view name) {
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        if (layer.fields[i].name == name) {
            return i;
        }
    }
    return std::nullopt;
}

// ---- size policy --------------------------------------------------------------------------

/// What the page leaves out to stay under the vertex budget (docs/report.md, "Size").
struct Trim {
    bool omit_buildings = false;
    bool dissolved_circles_only = false;
    std::size_t total_vertices = 0;
};

bool per_facility_circle(const Layer& layer, std::size_t row) {
    const auto fac = field_index(layer, "fac_id");
    const auto* id = fac ? std::get_if<std::string>(&layer.rows[row][*fac]) : nullptr;
    return id != nullptr && *id != "all";
}

Trim plan_trim(std::span<const Layer> layers, std::size_t budget) {
    Trim trim;
    std::size_t buildings = 0;
    std::size_t per_facility = 0;
    for (const Layer& layer : layers) {
        for (std::size_t r = 0; r < layer.rows.size(); ++r) {
            const std::size_t n = vertices(layer.geometries[r]);
            trim.total_vertices += n;
            if (layer.name == "buildings") {
                buildings += n;
            } else if (layer.name == "service_circles" && per_facility_circle(layer, r)) {
                per_facility += n;
            }
        }
    }
    std::size_t kept = trim.total_vertices;
    if (kept > budget) {
        trim.omit_buildings = buildings > 0;
        kept -= buildings;
    }
    if (kept > budget) {
        trim.dissolved_circles_only = per_facility > 0;
    }
    return trim;
}

Json trim_notes(const Trim& trim, std::size_t budget) {
    Json notes = Json::array();
    const std::string total = core::format_count(static_cast<double>(trim.total_vertices));
    const std::string limit = core::format_count(static_cast<double>(budget));
    if (trim.omit_buildings) {
        notes.push_back({{"zh",
                          "建筑轮廓未放入本页（全部图层共 " + total + " 个顶点，超过 " + limit +
                              " 的上限）：请在 QGIS 中打开 GeoPackage 查看建筑。"},
                         {"en",
                          "Building footprints are left out of this page (" + total +
                              " vertices in all layers, above the limit of " + limit +
                              "): open the GeoPackage in QGIS to see them."}});
    }
    if (trim.dissolved_circles_only) {
        notes.push_back({{"zh", "本页只含各类设施合并后的服务圈，单个设施的服务圈见 GeoPackage。"},
                         {"en",
                          "This page holds only the merged service circles of each kind; "
                          "each facility's own circle is in the GeoPackage."}});
    }
    return notes;
}

// ---- layers -------------------------------------------------------------------------------

Json fields_json(const Layer& layer) {
    Json fields = Json::array();
    for (const FieldDef& f : layer.fields) {
        fields.push_back({{"name", f.name},
                          {"type", type_name(f.type)},
                          {"en", f.alias_en},
                          {"zh", f.alias_zh}});
    }
    return fields;
}

Json features_json(const core::WorkingCrs& crs, const Layer& layer, const Trim& trim) {
    Json features = Json::array();
    if (trim.omit_buildings && layer.name == "buildings") {
        return features;
    }
    const bool only_dissolved = trim.dissolved_circles_only && layer.name == "service_circles";
    const std::vector<Geometry> geometries = lonlat_geometries(crs, layer);
    for (std::size_t r = 0; r < layer.rows.size(); ++r) {
        if (only_dissolved && per_facility_circle(layer, r)) {
            continue;
        }
        Json properties = Json::object();
        for (std::size_t i = 0; i < layer.fields.size(); ++i) {
            properties[layer.fields[i].name] = value_json(layer.rows[r][i]);
        }
        features.push_back(
            {{"geometry", geometry_json(geometries[r])}, {"properties", std::move(properties)}});
    }
    return features;
}

Json layer_json(const core::WorkingCrs& crs, const Layer& layer, const Trim& trim) {
    Json out = {{"name", layer.name},
                {"title", {{"zh", layer.title_zh}, {"en", english_title(layer.name)}}},
                {"group", layer.group},
                {"geometry", geometry_name(layer.geometry_type)},
                {"fields", fields_json(layer)},
                {"count", layer.rows.size()},
                {"omitted", trim.omit_buildings && layer.name == "buildings"}};
    out["features"] = features_json(crs, layer, trim);
    return out;
}

Json inputs_json(const std::vector<ReportInput>& inputs) {
    Json out = Json::array();
    for (const ReportInput& in : inputs) {
        out.push_back({{"role", in.role},
                       {"path", in.path},
                       {"layer", in.layer},
                       {"n_in", in.n_in},
                       {"used", in.used},
                       {"repaired", in.repaired},
                       {"skipped", in.skipped}});
    }
    return out;
}

}  // namespace

std::vector<ReportInput> report_inputs(const core::Scene& scene) {
    std::vector<ReportInput> out;
    for (const core::LayerReport& layer : scene.layers) {
        out.push_back({.role = layer.role,
                       .path = layer.source,
                       .layer = layer.layer,
                       .n_in = layer.counts.n_in,
                       .used = layer.counts.used,
                       .repaired = layer.counts.repaired,
                       .skipped = layer.counts.skipped});
    }
    return out;
}

std::string report_data_json(const core::WorkingCrs& crs,
                             std::span<const Layer> layers,
                             const ReportPage& page,
                             std::string_view title,
                             std::string_view attribution,
                             Language lang) {
    const Trim trim = plan_trim(layers, page.max_vertices);
    Json data = {{"format", "gridplan-report/1"},
                 {"lang", lang == Language::zh ? "zh" : "en"},
                 {"title", title},
                 {"generated_by", "gridplan 0.1.0"},
                 {"command", page.command},
                 {"config", page.config},
                 {"crs", crs.epsg > 0 ? "EPSG:" + std::to_string(crs.epsg) : crs.name},
                 {"band", nullptr},
                 {"attribution", attribution},
                 {"summary", page.summary},
                 {"inputs", inputs_json(page.inputs)},
                 {"notes", trim_notes(trim, page.max_vertices)}};
    if (page.band) {
        data["band"] = {{"min", page.band->min}, {"max", page.band->max}};
    }
    Json out_layers = Json::array();
    for (const Layer& layer : layers) {
        out_layers.push_back(layer_json(crs, layer, trim));
    }
    data["layers"] = std::move(out_layers);
    return data.dump(-1, ' ', false, Json::error_handler_t::strict);
}

std::string report_html(std::string_view data_json) {
    static constexpr std::string_view kSlot = "__GRIDPLAN_REPORT_DATA__";
    const std::string_view page = report_template();
    const auto at = page.find(kSlot);
    core::require_invariant(at != std::string_view::npos && page.find(kSlot, at + 1) == page.npos,
                            "the report template has exactly one data slot");
    std::string out;
    out.reserve(page.size() + data_json.size() + data_json.size() / 64);
    out.append(page.substr(0, at));
    // '<' only occurs inside JSON strings, where \u003c means the same: no "</script>" and no
    // "<!--" can then end or confuse the script element that holds the data.
    for (const char c : data_json) {
        if (c == '<') {
            out += "\\u003c";
        } else {
            out += c;
        }
    }
    out.append(page.substr(at + kSlot.size()));
    return out;
}

}  // namespace gridplan::output
