// `gridplan report DIR`: the report page rebuilt from a run's GeoPackage (docs/report.md).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "output/read_back.hpp"
#include "output/write.hpp"
#include "pipeline/commands.hpp"
#include "pipeline/report.hpp"

namespace gridplan::pipeline {
namespace {

namespace fs = std::filesystem;

/// The run's GeoPackage in `dir`: gridplan.gpkg, else the only *.gpkg there.
fs::path find_gpkg(const fs::path& dir) {
    if (fs::is_regular_file(dir / "gridplan.gpkg")) {
        return dir / "gridplan.gpkg";
    }
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".gpkg") {
            found.push_back(entry.path());
        }
    }
    if (ec) {
        throw core::Error{core::Errc::io, "reading '" + dir.string() + "': " + ec.message()};
    }
    if (found.size() != 1) {
        throw core::Error{core::Errc::io,
                          "reading '" + dir.string() + "': " +
                              (found.empty() ? "no GeoPackage (.gpkg) of a run is there"
                                             : "several GeoPackages are there; keep one")};
    }
    return found.front();
}

/// The description of the run kept in the previous page's data slot, when there is one.
std::optional<nlohmann::json> previous_page_data(const fs::path& page) {
    std::ifstream in(page, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string html = text.str();
    static constexpr std::string_view kOpen =
        R"(<script id="gridplan-data" type="application/json">)";
    const auto begin = html.find(kOpen);
    const auto end = begin == std::string::npos ? begin : html.find("</script>", begin);
    if (end == std::string::npos) {
        return std::nullopt;
    }
    const std::string_view json{html.data() + begin + kOpen.size(), end - begin - kOpen.size()};
    nlohmann::json data = nlohmann::json::parse(json, nullptr, false);
    return data.is_object() ? std::optional{std::move(data)} : std::nullopt;
}

std::string text_of(const nlohmann::json& data, const char* key) {
    const auto it = data.find(key);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

/// The page's description of the run: from the previous page where it has one.
output::ReportPage page_from(const std::optional<nlohmann::json>& previous,
                             const fs::path& gpkg,
                             const Say& say) {
    output::ReportPage page{.command = "report", .config = gpkg.string()};
    page.summary = std::string{say("rebuilt from ", "重建自 ")} + gpkg.string() + "\n";
    if (!previous) {
        return page;
    }
    const nlohmann::json& data = *previous;
    page.command = text_of(data, "command");
    page.config = text_of(data, "config");
    page.summary += text_of(data, "summary");
    if (const auto band = data.find("band"); band != data.end() && band->is_object() &&
                                             band->value("min", nlohmann::json()).is_number() &&
                                             band->value("max", nlohmann::json()).is_number()) {
        page.band = output::ReportBand{(*band)["min"].get<double>(), (*band)["max"].get<double>()};
    }
    if (const auto inputs = data.find("inputs"); inputs != data.end() && inputs->is_array()) {
        for (const auto& in : *inputs) {
            if (!in.is_object()) {
                continue;
            }
            page.inputs.push_back({.role = text_of(in, "role"),
                                   .path = text_of(in, "path"),
                                   .layer = text_of(in, "layer"),
                                   .n_in = in.value("n_in", std::size_t{0}),
                                   .used = in.value("used", std::size_t{0}),
                                   .repaired = in.value("repaired", std::size_t{0}),
                                   .skipped = in.value("skipped", std::size_t{0})});
        }
    }
    return page;
}

}  // namespace

CommandResult report(const CommandOptions& options) {
    const Say say(options.lang);
    if (!options.output_dir) {
        throw core::Error{core::Errc::usage, "gridplan report: no run output directory given"};
    }
    const fs::path& dir = *options.output_dir;
    const std::vector<std::string> recovered = output::recover_interrupted_outputs(dir);
    const fs::path gpkg = find_gpkg(dir);
    const auto previous = previous_page_data(dir / "report.html");
    output::ReadBack run;
    {
        const core::StageScope stage(options.stages, "read");
        run = output::read_gpkg_layers(gpkg);
    }
    output::OutputOptions o;
    o.dir = dir;
    o.force = options.force;
    o.gpkg = o.shapefile = o.geojson = o.csv = o.qgis_project = false;
    o.report = true;
    o.lang = options.lang;
    o.stages = options.stages;
    o.page = page_from(previous, gpkg, say);
    if (previous) {
        o.project_title = text_of(*previous, "title");
        o.attribution = text_of(*previous, "attribution");
    }
    const output::Written written = output::write_layers(run.crs, run.layers, o);
    CommandResult result;
    result.report = std::string{"gridplan report "} + dir.string() + "\n";
    for (const std::string& note : recovered) {
        result.report += note + "\n";
    }
    result.report += say("layers read from ", "读取图层，来自 ") + gpkg.string() + ": " +
                     std::to_string(run.layers.size()) + "\n" + say("wrote ", "已写出 ") +
                     (dir / "report.html").string() + "\n";
    result.written = written.files;
    return result;
}

}  // namespace gridplan::pipeline
