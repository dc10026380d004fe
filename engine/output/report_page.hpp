#pragma once
/// \file
/// The planner's report: one self-contained HTML page (report.html) with an interactive map,
/// tables and charts, opened by double-click with no network. The page itself is the web/ front
/// end, built by its pinned npm toolchain and compiled into the library; this side only fills in
/// the data: every output layer in WGS 84 lon/lat plus what the run was (docs/report.md has the
/// data format and the size policy).

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/scene.hpp"
#include "output/layer.hpp"

namespace gridplan::output {

/// One input layer of the run, as the report's "inputs" table shows it.
struct ReportInput {
    std::string role;   ///< "buildings", "roads"…
    std::string path;   ///< file as given in the configuration
    std::string layer;  ///< layer inside the file
    std::size_t n_in = 0;
    std::size_t used = 0;
    std::size_t repaired = 0;
    std::size_t skipped = 0;
};

/// The household band of grids, when the run drew or redrew grids.
struct ReportBand {
    double min = 300.0;
    double max = 500.0;
};

/// What the report says about the run besides its layers.
struct ReportPage {
    std::string command;  ///< "run", "redraw"…
    std::string config;   ///< configuration file as given
    std::string summary;  ///< the command's printed report (in the page's language)
    std::optional<ReportBand> band;
    std::vector<ReportInput> inputs;
    /// Above this many vertices in all layers together, buildings and then per-facility service
    /// circles are left out of the page (with a note), so that a city's page stays light enough
    /// for a browser (docs/report.md, "Size").
    std::size_t max_vertices = 1'500'000;
};

/// The inputs table of a scene: one row per input layer.
[[nodiscard]] std::vector<ReportInput> report_inputs(const core::Scene& scene);

/// The page's data as JSON (format "gridplan-report/1", docs/report.md): the layers reprojected
/// from the working CRS `crs` to WGS 84 lon/lat, rounded to 6 decimals (about 0.1 m).
[[nodiscard]] std::string report_data_json(const core::WorkingCrs& crs,
                                           std::span<const Layer> layers,
                                           const ReportPage& page,
                                           std::string_view title,
                                           std::string_view attribution,
                                           Language lang);

/// The complete page: the built front end with `data_json` in its data slot (`</` escaped so
/// that no text in the data can end the script element).
[[nodiscard]] std::string report_html(std::string_view data_json);

/// The built front end (web/dist/report.html) compiled into the library: one placeholder,
/// __GRIDPLAN_REPORT_DATA__, where the data goes.
[[nodiscard]] std::string_view report_template();

}  // namespace gridplan::output
