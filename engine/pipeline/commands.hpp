#pragma once
/// \file
/// The engine's facade: one function per CLI command. Each reads the run configuration, runs the
/// stages it needs, writes its outputs through `output` and returns a plain-text report.
/// The CLI prints the report; nothing here prints or exits.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/progress.hpp"
#include "io/config.hpp"
#include "output/write.hpp"

namespace gridplan::pipeline {

/// What every command takes from the command line (flags override the configuration file).
struct CommandOptions {
    std::filesystem::path config;                     ///< the run configuration (JSON)
    std::optional<std::filesystem::path> output_dir;  ///< --output DIR (commands that write)
    bool force = false;                               ///< --force: replace existing outputs
    bool strict = false;                              ///< --strict: first data problem is an error
    /// --allow-partial: read on past a corrupt or cut-short input (a ledger row per read error)
    bool allow_partial = false;
    int threads = 0;                                  ///< --threads: 0 = all cores
    std::optional<std::string> encoding;              ///< --encoding: Shapefile attribute encoding
    std::optional<std::vector<std::string>> formats;  ///< --formats gpkg,shp,geojson,qgis
    output::Language lang = output::Language::zh;     ///< --lang: printed report and CSV headers
    core::ProgressFn progress;                        ///< optional progress callback
    /// Optional stage events: where each stage starts and ends, with counts where known and
    /// its cost at the end (read, validate, hierarchy, partition, redraw, walk_graph, coverage,
    /// siting, coverage_after, layers, write_gpkg, write_shp_geojson (or write_shp,
    /// write_geojson when only one is asked for), write_csv, write_qgs). The CLI prints them as
    /// progress and with --timings.
    core::StageFn stages;
};

/// What a command returns: the report to show and the files it wrote.
struct CommandResult {
    std::string report;
    std::vector<std::filesystem::path> written;
};

/// `gridplan inspect`: read and validate every layer; report counts, CRS and data issues.
[[nodiscard]] CommandResult inspect(const CommandOptions& options);
/// `gridplan partition`: balanced grids per community; writes grids, buildings, ledger.
[[nodiscard]] CommandResult partition(const CommandOptions& options);
/// `gridplan coverage`: 15-minute walking coverage; writes coverage layers and the area table.
[[nodiscard]] CommandResult coverage(const CommandOptions& options);
/// `gridplan site`: propose new stations with a proven gap; writes proposed sites.
[[nodiscard]] CommandResult site(const CommandOptions& options);
/// `gridplan redraw`: start from today's grids (input role `grids` or the buildings' grid codes),
/// apply the "redraw" section's locks and edits, rebalance with the fewest moves; writes the
/// new grids, the diff layers (redraw_diff, redraw_grids), styles and the QGIS project.
[[nodiscard]] CommandResult redraw(const CommandOptions& options);
/// `gridplan run`: the whole pipeline; writes every layer, styles, the QGIS project and the
/// report page.
[[nodiscard]] CommandResult run(const CommandOptions& options);
/// What `gridplan locate` locates: a point layer read like any input (CSV with lon/lat columns
/// too), and the fields holding each point's id and name ("" = detected).
struct LocateInput {
    io::LayerSource points;
    std::string id_field;
    std::string name_field;
};
/// `gridplan locate CONFIG POINTS`: for every point, the street, community, grid (today's grids
/// when inputs.grids is configured, else those `run` draws) and building it falls in, the grid's
/// staff slots and the walking minutes to the nearest station of each kind by the coverage
/// rule; writes the `located` layer (GeoPackage and CSV) and the ledger (docs/locate.md).
[[nodiscard]] CommandResult locate(const CommandOptions& options, const LocateInput& input);
/// For an interrupted process that must end before the command unwinds (the CLI's signal thread):
/// removes the output staging folder (core::remove_scratch_for_exit) and GDAL's private
/// temporary folder (gridplan-gdal-*, CPL_TMPDIR).
void remove_temporary_folders() noexcept;

/// `gridplan report DIR` (DIR in `output_dir`; no configuration): rebuilds DIR/report.html from
/// the run's GeoPackage in DIR, keeping the description of the run the previous page held
/// (docs/report.md). Refuses to replace report.html without `force`.
[[nodiscard]] CommandResult report(const CommandOptions& options);

}  // namespace gridplan::pipeline
