#pragma once
/// \file
/// Writers for output layers: one GeoPackage with a default QGIS style per layer, a UTF-8
/// Shapefile set with side-car QML aliases, RFC 7946 GeoJSON, CSV attribute tables and a QGIS
/// project. Everything is written into a staging folder beside the output folder and the whole
/// set replaces the folder in one step when complete (output/swap.hpp; other files in the folder
/// are kept); nothing is overwritten without `force`; the same input gives byte-identical files.
/// Conventions: docs/layers.md, docs/qgis.md.

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/ledger.hpp"
#include "core/progress.hpp"
#include "core/scene.hpp"
#include "output/layer.hpp"
#include "output/report_page.hpp"

namespace gridplan::output {

/// A text file written into the output folder with the layers, in the same swap (the
/// workspace's scenario.json): a plain file name, no folder.
struct ExtraFile {
    std::string name;
    std::string text;
};

/// What to write and where.
struct OutputOptions {
    std::filesystem::path dir;           ///< output directory (created when missing)
    std::string basename = "gridplan";   ///< <basename>.gpkg and <basename>.qgs
    bool force = false;                  ///< replace existing outputs (and their side-cars)
    bool gpkg = true;                    ///< DIR/<basename>.gpkg, every layer + layer_styles
    bool shapefile = true;               ///< DIR/shp/<layer>.shp|.dbf + .shx .prj .cpg .qml
    bool geojson = true;                 ///< DIR/geojson/<layer>.geojson (RFC 7946, WGS 84)
    bool csv = true;                     ///< DIR/csv/<layer>.csv for attribute tables + ledger
    bool qgis_project = true;            ///< DIR/<basename>.qgs (needs gpkg, shapefile or geojson)
    bool report = true;                  ///< DIR/report.html, the planner's page (docs/report.md)
    ReportPage page;                     ///< what report.html says about the run
    std::vector<ExtraFile> extra_files;  ///< more files of the set (DIR/<name>)
    std::string project_title = "gridplan 网格化管理";  ///< QGIS project title
    /// Data attribution printed on the QGIS print layouts ("" = "© OpenStreetMap contributors"
    /// when an input file is OpenStreetMap data, else none).
    std::string attribution;
    /// Input files of the run: refusing to write when an output path resolves to one of them.
    std::vector<std::filesystem::path> inputs;
    Language lang = Language::zh;  ///< CSV headers: Chinese (alias_zh) or English (alias_en)
    /// Worker threads (0: one per core): Shapefiles are written beside the GeoJSON files, whose
    /// geometries are checked on all of them. The bytes written do not depend on it.
    int threads = 0;
    /// Stage events: one stage per format (write_gpkg, write_shp, write_geojson, write_csv,
    /// write_qgs), counting layers where a format writes one file per layer; Shapefiles and
    /// GeoJSON together are one stage, write_shp_geojson, as they are written side by side.
    core::StageFn stages;
};

/// What was written.
struct Written {
    std::vector<std::filesystem::path> files;  ///< every file written (final paths), in order
    std::vector<std::string> warnings;         ///< data changed on the way out (cut strings…)
};

/// Writes `layers` in every format enabled in `options`, in the working CRS `crs` (GeoJSON in
/// WGS 84 lon/lat). Layer names must be unique ASCII identifiers; field names ASCII, unique,
/// at most 10 bytes. Throws core::Error: Errc::io naming the file (existing output without
/// `force`, output resolving to an input, write failure), Errc::internal naming the layer and row
/// for a non-finite coordinate or number, invalid UTF-8, or a value not matching its field type.
[[nodiscard]] Written write_layers(const core::WorkingCrs& crs,
                                   std::span<const Layer> layers,
                                   const OutputOptions& options);

/// Puts right what an interrupted output swap left beside `dir` (a run killed while replacing
/// its outputs): a missing DIR is restored from `.DIR.gridplan-old-PID`, staging folders of
/// processes that no longer run are removed. One note per repair. write_layers does this first.
[[nodiscard]] std::vector<std::string> recover_interrupted_outputs(
    const std::filesystem::path& dir);

/// Writes one layer's attribute table as CSV for spreadsheets (RFC 4180: UTF-8 with BOM,
/// header row of aliases in `lang`, CRLF, quoted when needed; digit-only codes as ="…" text
/// formulas; numbers rounded by csv_decimals; geometry omitted). Refuses to replace an
/// existing file unless `force`.
void write_csv(const Layer& layer,
               const std::filesystem::path& path,
               bool force = false,
               Language lang = Language::zh);

/// Writes the ledger as CSV: layer, source_id, reason, action, detail, x, y.
void write_ledger_csv(const core::Ledger& ledger,
                      const std::filesystem::path& path,
                      bool force = false,
                      Language lang = Language::zh);

/// Decimals of a real field in CSV (for reading, not for computing: the GeoPackage, Shapefile
/// and GeoJSON keep full precision): 1 for minutes and percentages (3 for the optimality gap),
/// 0 for households, residents and areas in m², 2 otherwise.
[[nodiscard]] int csv_decimals(const FieldDef& field);

/// The ledger as an output layer (point geometry where located, NULL geometry otherwise).
[[nodiscard]] Layer ledger_layer(const core::Ledger& ledger);

/// The QML style written for `layer`: the embedded style for its name (styles/<name>.qml) with
/// the `<aliases>` element regenerated from the layer's fields, or a plain single-symbol style
/// with aliases when no style is embedded for that name.
[[nodiscard]] std::string layer_qml(const Layer& layer);

}  // namespace gridplan::output
