#pragma once
/// \file
/// The one place that defines every output layer: its ASCII field names (<= 10 bytes, the
/// Shapefile limit), field types, English and Chinese aliases, Chinese title, QGIS group and
/// geometry type. The pipeline fills rows in this field order; the writers, the styles in
/// styles/ and docs/layers.md all follow these definitions (a unit test checks the styles).

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "output/layer.hpp"

namespace gridplan::output {

/// The canonical output layer names, in QGIS project order (top of the legend first).
inline constexpr std::string_view kLayerNames[] = {
    "ledger",
    "located",
    "proposed_sites",
    "facilities",
    "coverage_gaps",
    "service_circles",
    "buildings",
    "redraw_diff",
    "grid_boundaries",
    "building_groups",
    "grids",
    "communities",
    "streets",
    "coverage_stats",
    "redraw_grids",
};

/// A facility kind as it appears in output field names ("sc_min") and values ("service_centre").
struct FacilityKindInfo {
    std::string_view kind;     ///< value of the `kind` fields: "service_centre", "warm_station"
    std::string_view prefix;   ///< field-name prefix in the buildings layer: "sc", "ws"
    std::string_view name_zh;  ///< "党群服务中心", "暖心驿站"
    std::string_view name_en;  ///< "party service centre", "warm station"
};

/// The facility kinds that get per-building coverage fields, in field order.
inline constexpr FacilityKindInfo kFacilityKinds[] = {
    {"service_centre", "sc", "党群服务中心", "party service centre"},
    {"warm_station", "ws", "暖心驿站", "warm station"},
};

/// Walking-time thresholds (minutes) that get a covered flag per building (`sc_c5`…).
inline constexpr int kCoverageThresholdsMin[] = {5, 10, 15};

/// Every layer schema (an empty Layer: name, title, group, geometry type, fields), in the
/// order of `kLayerNames`.
[[nodiscard]] std::span<const Layer> schemas();

/// The schema of one layer. Throws core::Error{Errc::internal} for an unknown layer name.
[[nodiscard]] const Layer& schema(std::string_view layer);

/// An empty layer (no rows) with the schema of `layer`, ready for Layer::add().
[[nodiscard]] Layer make_layer(std::string_view layer);

/// Index of `field` in `layer.fields`. Throws core::Error{Errc::internal} when absent.
[[nodiscard]] std::size_t field_index(const Layer& layer, std::string_view field);

/// A row of nulls, one per field of `layer`; fill it with set_value().
[[nodiscard]] std::vector<Value> blank_row(const Layer& layer);

/// Sets `row[field_index(layer, field)] = value`. Throws Errc::internal for an unknown field.
void set_value(const Layer& layer, std::vector<Value>& row, std::string_view field, Value value);

/// The alias QGIS shows for a field: "<Chinese> <English>", e.g. "户数 households".
[[nodiscard]] std::string field_alias(const FieldDef& field);

}  // namespace gridplan::output
