#pragma once
/// \file
/// Private helpers shared by the output writers (namespace output::detail). No GDAL here:
/// the GDAL-specific code lives in gdal_writers.cpp.

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/scene.hpp"
#include "output/layer.hpp"

namespace gridplan::output::detail {

/// Fixed timestamp written wherever a format stores one (determinism).
inline constexpr const char* kPinnedTimestamp = "2000-01-01T00:00:00.000Z";
/// Longest string a DBF field holds.
inline constexpr std::size_t kDbfMaxStringBytes = 254;

/// Writes every layer into one GeoPackage `file` (working CRS) with layer_styles rows.
void write_gpkg(const std::filesystem::path& file,
                const core::WorkingCrs& crs,
                std::span<const Layer> layers,
                std::vector<std::string>& warnings);

/// Writes one Shapefile (or a lone .dbf for attribute tables) per layer into `dir`, plus a
/// side-car .qml with aliases.
void write_shapefiles(const std::filesystem::path& dir,
                      const core::WorkingCrs& crs,
                      std::span<const Layer> layers,
                      std::vector<std::string>& warnings);

/// Writes one RFC 7946 GeoJSON file per layer into `dir`, plus a side-car .qml. Geometries are
/// checked and repaired on `threads` workers (0: one per core); the bytes do not depend on it.
void write_geojson(const std::filesystem::path& dir,
                   const core::WorkingCrs& crs,
                   std::span<const Layer> layers,
                   std::vector<std::string>& warnings,
                   int threads = 1);

/// Reprojects `points` from the working CRS to WGS 84 lon/lat in place; throws Errc::crs
/// naming `what` when a point does not transform.
void to_lonlat(const core::WorkingCrs& crs,
               std::vector<core::Point>& points,
               std::string_view what);

/// WKT2:2019 of the working CRS (from its EPSG code, else its stored WKT).
[[nodiscard]] std::string crs_wkt2(const core::WorkingCrs& crs);

/// Where the QGIS project finds each layer.
enum class ProjectSource { gpkg, shapefile, geojson };

/// The .qgs XML for `layers` read from `source` (paths relative to the project file): groups,
/// filtered views of the coverage layers, the canvas extent and the print layouts
/// (docs/qgis.md). `inputs` name the data source in the layouts; `attribution` is printed
/// under the maps (empty: "© OpenStreetMap contributors" when an input is OSM data).
[[nodiscard]] std::string qgis_project_xml(const core::WorkingCrs& crs,
                                           std::span<const Layer> layers,
                                           ProjectSource source,
                                           const std::string& basename,
                                           const std::string& title,
                                           std::span<const std::filesystem::path> inputs,
                                           const std::string& attribution);

/// The data attribution printed under maps: `attribution` when given, else "© OpenStreetMap
/// contributors (ODbL)" when an input file is OpenStreetMap data, else "".
[[nodiscard]] std::string data_attribution(std::span<const std::filesystem::path> inputs,
                                           const std::string& attribution);

/// One layer of the QGIS project: an output layer, optionally filtered (a provider subset).
struct ProjectLayer {
    const Layer* layer = nullptr;
    std::string id;       ///< unique layer id in the project
    std::string name;     ///< display name, Chinese and English
    std::string source;   ///< data source relative to the project (with "|subset=…" if filtered)
    bool checked = true;  ///< switched on when the project opens
    std::string legend_name;  ///< shorter name in the print layouts' legends ("" = `name`)
    std::string renderer;     ///< <renderer-v2> replacing the style's ("" = the layer's style)
};

/// A rectangle in the working CRS.
struct MapExtent {
    double xmin = 0.0;
    double ymin = 0.0;
    double xmax = 0.0;
    double ymax = 0.0;
};

/// One print layout: its name, title and the layers its map draws (top to bottom).
struct PrintLayout {
    std::string name;
    std::string title;
    std::vector<const ProjectLayer*> layers;
};

/// The <Layouts> element: one A3 landscape layout per entry, each map showing `extent`;
/// `footer` (date, data source, attribution) is a label text with QGIS [% %] expressions.
[[nodiscard]] std::string print_layouts_xml(std::span<const PrintLayout> layouts,
                                            const MapExtent& extent,
                                            const std::string& footer);

/// The layer's attribute table as CSV text for spreadsheets (docs/layers.md, "CSV tables").
[[nodiscard]] std::string csv_text(const Layer& layer, Language lang);

/// Escapes & < > " ' for XML text and attribute values.
[[nodiscard]] std::string xml_escape(std::string_view text);

/// Shortest round-trip decimal text of a finite double ("412", "0.25").
[[nodiscard]] std::string format_real(double value);

/// Writes `text` to a new file `path` (binary); throws Errc::io naming the file on failure.
void write_text_file(const std::filesystem::path& path, std::string_view text);

}  // namespace gridplan::output::detail

namespace gridplan::output::detail {

/// Writes `text` to `path` through a temporary file in the same directory renamed into place;
/// refuses (Errc::io) when `path` exists and `force` is false.
void write_file_atomically(const std::filesystem::path& path, std::string_view text, bool force);

}  // namespace gridplan::output::detail

namespace gridplan::output::detail {

/// Moves `from` to `to` (same file system); replaces an existing `to` only when `force`.
void move_into_place(const std::filesystem::path& from,
                     const std::filesystem::path& to,
                     bool force);

}  // namespace gridplan::output::detail
