#pragma once
/// \file
/// A format-neutral output layer: a schema (fields with English and Chinese aliases) plus rows.
/// Stages' results are turned into Layers by the pipeline; output/ writes them as GeoPackage,
/// Shapefile and GeoJSON. Field names are ASCII, at most 10 bytes (the Shapefile limit), and
/// documented in docs/layers.md.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/geometry.hpp"

namespace gridplan::output {

/// Language of the CSV headers, the printed report and the report page.
enum class Language { zh, en };

enum class FieldType { integer, real, string };

struct FieldDef {
    std::string name;  ///< ASCII, <= 10 bytes
    FieldType type = FieldType::string;
    std::string alias_en;  ///< full English name (QGIS alias)
    std::string alias_zh;  ///< full Chinese name (QGIS alias)
};

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

enum class GeometryType { none, point, line, polygon };

/// None (attribute table), Point, MultiLineString (lines) or MultiPolygon (polygons).
using Geometry =
    std::variant<std::monostate, core::Point, core::MultiLineString, core::MultiPolygon>;

struct Layer {
    std::string name;      ///< layer / file base name, ASCII: "grids", "buildings"…
    std::string title_zh;  ///< display name in the QGIS project: "网格"
    std::string
        group;  ///< QGIS project group: "Admin", "Grids", "Coverage", "Siting", "Data issues"
    GeometryType geometry_type = GeometryType::none;
    std::vector<FieldDef> fields;
    std::vector<Geometry> geometries;      ///< one per row (monostate for attribute tables)
    std::vector<std::vector<Value>> rows;  ///< rows[i].size() == fields.size()

    /// Appends one feature; checks the row width.
    void add(Geometry geometry, std::vector<Value> values);
};

}  // namespace gridplan::output
