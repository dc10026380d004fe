// write_layers(): validation, overwrite safety, the staging folder and its swap; small helpers.
#include "output/write.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <set>
#include <system_error>
#include <thread>
#include <type_traits>

#include <fcntl.h>
#include <stdlib.h>  // mkdtemp, mkstemp (POSIX)
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "output/swap.hpp"
#include "output/writers_detail.hpp"

namespace gridplan::output {
namespace fs = std::filesystem;

namespace detail {

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string format_real(double value) {
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    core::require_invariant(result.ec == std::errc{}, "to_chars failed for a double");
    return std::string(buffer.data(), result.ptr);
}

void write_text_file(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
        throw core::Error{core::Errc::io,
                          "writing '" + path.string() + "': " + std::strerror(errno)};
    }
}

/// Moves `from` to `to`: replacing an existing `to` only when `force` (link + unlink refuses an
/// existing target atomically).
void move_into_place(const fs::path& from, const fs::path& to, bool force) {
    if (force) {
        if (::rename(from.c_str(), to.c_str()) != 0) {
            throw core::Error{
                core::Errc::io,
                "moving output into place '" + to.string() + "': " + std::strerror(errno)};
        }
        return;
    }
    if (::link(from.c_str(), to.c_str()) != 0) {
        const int err = errno;
        throw core::Error{core::Errc::io,
                          "moving output into place '" + to.string() + "': " + std::strerror(err),
                          err == EEXIST ? core::Fault::exists : core::Fault::unspecified};
    }
    ::unlink(from.c_str());
}

void write_file_atomically(const fs::path& path, std::string_view text, bool force) {
    std::error_code ec;
    if (!force && fs::exists(fs::symlink_status(path, ec))) {
        throw core::Error{
            core::Errc::io, "writing '" + path.string() + "': file exists", core::Fault::exists};
    }
    const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path{"."};
    fs::create_directories(parent, ec);
    std::string pattern = (parent / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
        throw core::Error{core::Errc::io,
                          "writing '" + path.string() +
                              "': cannot create a temporary file: " + std::strerror(errno)};
    }
    ::fchmod(fd, 0644);
    ::close(fd);
    try {
        write_text_file(pattern, text);
        move_into_place(pattern, path, force);
    } catch (...) {
        fs::remove(pattern, ec);
        throw;
    }
}

}  // namespace detail

namespace {

bool ascii_identifier(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

std::string lower(std::string_view text) {
    std::string out{text};
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    });
    return out;
}

[[noreturn]] void fail(const Layer& layer, std::size_t row, const std::string& fault) {
    throw core::Error{
        core::Errc::internal,
        "writing output layer '" + layer.name + "': row " + std::to_string(row + 1) + ": " + fault};
}

[[noreturn]] void fail(const Layer& layer, const std::string& fault) {
    throw core::Error{core::Errc::internal, "writing output layer '" + layer.name + "': " + fault};
}

bool finite(const core::Point& p) {
    return std::isfinite(p.x()) && std::isfinite(p.y());
}

template <typename Range>
void check_points(const Layer& layer, std::size_t row, const Range& points) {
    for (const core::Point& p : points) {
        if (!finite(p)) {
            fail(layer,
                 row,
                 "non-finite coordinate (" + detail::format_real(p.x()) + ", " +
                     detail::format_real(p.y()) + ")");
        }
    }
}

void check_ring(const Layer& layer, std::size_t row, const core::Ring& ring) {
    check_points(layer, row, ring);
    if (ring.size() < 4 || !boost::geometry::equals(ring.front(), ring.back())) {
        fail(layer,
             row,
             "polygon ring with " + std::to_string(ring.size()) +
                 " points is not closed or has fewer than 4 points");
    }
}

void check_geometry(const Layer& layer, std::size_t row) {
    const Geometry& geometry = layer.geometries[row];
    if (std::holds_alternative<std::monostate>(geometry)) {
        return;  // NULL geometry (e.g. a ledger row without a location)
    }
    switch (layer.geometry_type) {
        case GeometryType::none:
            fail(layer, row, "geometry on an attribute-only layer");
        case GeometryType::point: {
            const auto* p = std::get_if<core::Point>(&geometry);
            if (p == nullptr) {
                fail(layer, row, "geometry is not a point");
            }
            check_points(layer, row, std::array<core::Point, 1>{*p});
            return;
        }
        case GeometryType::line: {
            const auto* lines = std::get_if<core::MultiLineString>(&geometry);
            if (lines == nullptr) {
                fail(layer, row, "geometry is not a multi-line");
            }
            for (const auto& line : *lines) {
                check_points(layer, row, line);
                if (line.size() < 2) {
                    fail(layer, row, "line with fewer than 2 points");
                }
            }
            return;
        }
        case GeometryType::polygon: {
            const auto* polygons = std::get_if<core::MultiPolygon>(&geometry);
            if (polygons == nullptr) {
                fail(layer, row, "geometry is not a multi-polygon");
            }
            for (const auto& polygon : *polygons) {
                check_ring(layer, row, polygon.outer());
                for (const auto& inner : polygon.inners()) {
                    check_ring(layer, row, inner);
                }
            }
            return;
        }
    }
}

void check_value(const Layer& layer, std::size_t row, std::size_t column) {
    const FieldDef& field = layer.fields[column];
    const Value& value = layer.rows[row][column];
    const std::string where = "field '" + field.name + "': ";
    switch (value.index()) {
        case 0:
            return;  // NULL
        case 1:
            if (field.type == FieldType::string) {
                fail(layer, row, where + "integer value in a text field");
            }
            return;
        case 2:
            if (field.type != FieldType::real) {
                fail(layer, row, where + "real value in a non-real field");
            }
            if (!std::isfinite(std::get<double>(value))) {
                fail(layer, row, where + "non-finite number (use NULL for unknown)");
            }
            return;
        default: {
            if (field.type != FieldType::string) {
                fail(layer, row, where + "text value in a numeric field");
            }
            const auto& text = std::get<std::string>(value);
            if (!core::is_valid_utf8(text) || text.find('\0') != std::string::npos) {
                fail(layer, row, where + "text is not valid UTF-8");
            }
        }
    }
}

void validate(std::span<const Layer> layers) {
    std::set<std::string> names;
    for (const Layer& layer : layers) {
        if (!ascii_identifier(layer.name) || layer.name.size() > 63) {
            throw core::Error{
                core::Errc::internal,
                "writing output layer '" + layer.name + "': name is not an ASCII identifier"};
        }
        if (!names.insert(lower(layer.name)).second) {
            fail(layer, "two layers have this name");
        }
        if (!core::is_valid_utf8(layer.title_zh) || !core::is_valid_utf8(layer.group)) {
            fail(layer, "title or group is not valid UTF-8");
        }
        std::set<std::string> fields;
        for (const FieldDef& field : layer.fields) {
            if (!ascii_identifier(field.name) || field.name.size() > 10) {
                fail(layer, "field name '" + field.name + "' is not ASCII or longer than 10 bytes");
            }
            const std::string key = lower(field.name);
            if (key == "fid" || key == "geom" || !fields.insert(key).second) {
                fail(layer, "field name '" + field.name + "' is reserved or used twice");
            }
            if (!core::is_valid_utf8(field.alias_en) || !core::is_valid_utf8(field.alias_zh)) {
                fail(layer, "alias of field '" + field.name + "' is not valid UTF-8");
            }
        }
        if (layer.rows.size() != layer.geometries.size()) {
            fail(layer,
                 std::to_string(layer.rows.size()) + " rows but " +
                     std::to_string(layer.geometries.size()) + " geometries");
        }
        for (std::size_t r = 0; r < layer.rows.size(); ++r) {
            if (layer.rows[r].size() != layer.fields.size()) {
                fail(layer, r, "row width != field count");
            }
            for (std::size_t c = 0; c < layer.fields.size(); ++c) {
                check_value(layer, r, c);
            }
            check_geometry(layer, r);
        }
    }
}

/// Rings smaller than this are numerical debris (collinear slivers from unions), not features:
/// readers that rebuild polygons from rings (Shapefile) turn them into invalid "nested shells".
constexpr double kMinRingAreaM2 = 1e-4;

bool degenerate(const core::Ring& ring) {
    return std::abs(boost::geometry::area(ring)) < kMinRingAreaM2;
}

/// Removes degenerate holes and parts; returns how many rings were removed.
std::size_t drop_degenerate_rings(core::MultiPolygon& polygons) {
    std::size_t dropped = 0;
    for (auto& polygon : polygons) {
        auto& inners = polygon.inners();
        const auto before = inners.size();
        inners.erase(std::remove_if(inners.begin(), inners.end(), degenerate), inners.end());
        dropped += before - inners.size();
    }
    const auto before = polygons.size();
    polygons.erase(std::remove_if(polygons.begin(),
                                  polygons.end(),
                                  [](const core::Polygon& p) { return degenerate(p.outer()); }),
                   polygons.end());
    return dropped + (before - polygons.size());
}

bool has_degenerate_ring(const Geometry& geometry) {
    const auto* polygons = std::get_if<core::MultiPolygon>(&geometry);
    if (polygons == nullptr) {
        return false;
    }
    return std::any_of(polygons->begin(), polygons->end(), [](const core::Polygon& p) {
        return degenerate(p.outer()) ||
               std::any_of(p.inners().begin(), p.inners().end(), degenerate);
    });
}

/// The layers to write: `layers` itself, or a copy in `storage` with degenerate rings removed
/// (one warning per affected layer).
std::span<const Layer> without_degenerate_rings(std::span<const Layer> layers,
                                                std::vector<Layer>& storage,
                                                std::vector<std::string>& warnings) {
    const bool any = std::any_of(layers.begin(), layers.end(), [](const Layer& layer) {
        return std::any_of(layer.geometries.begin(), layer.geometries.end(), has_degenerate_ring);
    });
    if (!any) {
        return layers;
    }
    storage.assign(layers.begin(), layers.end());
    for (Layer& layer : storage) {
        std::size_t rings = 0;
        std::size_t features = 0;
        for (Geometry& geometry : layer.geometries) {
            if (auto* polygons = std::get_if<core::MultiPolygon>(&geometry);
                polygons != nullptr && has_degenerate_ring(geometry)) {
                rings += drop_degenerate_rings(*polygons);
                ++features;
            }
        }
        if (rings > 0) {
            warnings.push_back("writing output layer '" + layer.name + "': " +
                               std::to_string(rings) + " ring(s) of (almost) zero area (< 1 cm²) " +
                               "dropped from " + std::to_string(features) + " feature(s)");
        }
    }
    return storage;
}

/// Attribute tables, the ledger, and the located points (`gridplan locate`: the table an event
/// platform imports, with lon/lat columns).
bool wants_csv(const Layer& layer) {
    return layer.geometry_type == GeometryType::none || layer.name == "ledger" ||
           layer.name == "located";
}

/// Every path (relative to DIR) an enabled format may create or that would be stale next to it.
std::vector<fs::path> planned_targets(std::span<const Layer> layers, const OutputOptions& options) {
    std::vector<fs::path> out;
    if (options.gpkg) {
        for (const char* ext : {".gpkg", ".gpkg-wal", ".gpkg-shm", ".gpkg-journal"}) {
            out.emplace_back(options.basename + ext);
        }
    }
    for (const Layer& layer : layers) {
        if (options.shapefile) {
            for (const char* ext : {".shp",
                                    ".shx",
                                    ".dbf",
                                    ".prj",
                                    ".cpg",
                                    ".qml",
                                    ".qix",
                                    ".sbn",
                                    ".sbx",
                                    ".shp.xml"}) {
                out.push_back(fs::path{"shp"} / (layer.name + ext));
            }
        }
        if (options.geojson) {
            out.push_back(fs::path{"geojson"} / (layer.name + ".geojson"));
            out.push_back(fs::path{"geojson"} / (layer.name + ".qml"));
        }
        if (options.csv && wants_csv(layer)) {
            out.push_back(fs::path{"csv"} / (layer.name + ".csv"));
        }
    }
    if (options.qgis_project) {
        out.emplace_back(options.basename + ".qgs");
    }
    if (options.report) {
        out.emplace_back("report.html");
    }
    for (const ExtraFile& extra : options.extra_files) {
        out.emplace_back(extra.name);
    }
    return out;
}

/// The folders of `rel` inside DIR (shp/, csv/, geojson/) must be real folders or absent: a
/// symbolic link there is never followed (it could lead the outputs anywhere), a file is in the
/// way.
void check_folder_in_the_way(const fs::path& dir, const fs::path& rel) {
    fs::path folder = dir;
    for (auto part = rel.begin(); std::next(part) != rel.end(); ++part) {
        folder /= *part;
        std::error_code ec;
        const auto status = fs::symlink_status(folder, ec);
        if (fs::is_symlink(status)) {
            throw core::Error{core::Errc::io,
                              "writing '" + folder.string() +
                                  "': a symbolic link is in the way of the output folder "
                                  "(gridplan never follows links inside its output folder: "
                                  "remove it)"};
        }
        if (fs::exists(status) && !fs::is_directory(status)) {
            throw core::Error{
                core::Errc::io,
                "writing outputs to '" + folder.string() + "': a file is in the way of the folder"};
        }
    }
}

void check_targets(const std::vector<fs::path>& targets, const OutputOptions& options) {
    std::set<fs::path> inputs;
    std::error_code ec;
    for (const fs::path& input : options.inputs) {
        const fs::path resolved = fs::weakly_canonical(input, ec);
        inputs.insert(ec ? fs::absolute(input) : resolved);
    }
    for (const fs::path& rel : targets) {
        const fs::path target = options.dir / rel;
        check_folder_in_the_way(options.dir, rel);
        const fs::path resolved = fs::weakly_canonical(target, ec);
        if (!ec && inputs.count(resolved) > 0) {
            throw core::Error{core::Errc::io,
                              "writing '" + target.string() +
                                  "': it is an input file of this run "
                                  "(choose another output directory)"};
        }
        const auto status = fs::symlink_status(target, ec);
        if (fs::exists(status)) {
            if (fs::is_directory(status)) {
                throw core::Error{core::Errc::io,
                                  "writing '" + target.string() + "': a directory is in the way"};
            }
            if (!options.force) {
                throw core::Error{core::Errc::io,
                                  "writing '" + target.string() + "': file exists",
                                  core::Fault::exists};
            }
        }
    }
}

void check_options(const OutputOptions& options) {
    if (options.dir.empty()) {
        throw core::Error{core::Errc::usage, "writing outputs: no output directory given"};
    }
    const std::string& base = options.basename;
    if (base.empty() || base == "." || base == ".." ||
        base.find_first_of("/\\") != std::string::npos || !core::is_valid_utf8(base)) {
        throw core::Error{core::Errc::usage,
                          "writing outputs: basename '" + base + "' is not a plain file name"};
    }
    for (const ExtraFile& extra : options.extra_files) {
        const std::string& name = extra.name;
        core::require_invariant(!name.empty() && name != "." && name != ".." &&
                                    name.find_first_of("/\\") == std::string::npos,
                                "an extra output file name must be a plain file name");
    }
}

/// The Shapefiles and the GeoJSON files: the Shapefiles on a second thread (when
/// options.threads allows one) while this thread writes the GeoJSON; one stage, counting layers
/// of both formats. Warnings are kept per format and merged as if written one after the other.
void write_shp_geojson(const fs::path& tmp,
                       const core::WorkingCrs& crs,
                       std::span<const Layer> layers,
                       const OutputOptions& options,
                       std::vector<std::string>& warnings) {
    const std::size_t shp_total = options.shapefile ? layers.size() : 0;
    const std::size_t geojson_total = options.geojson ? layers.size() : 0;
    const char* stage = !options.geojson     ? "write_shp"
                        : !options.shapefile ? "write_geojson"
                                             : "write_shp_geojson";
    const core::StageScope scope(options.stages, stage, shp_total + geojson_total);
    const bool side_by_side =
        shp_total > 0 && geojson_total > 0 && core::worker_count(options.threads) > 1;
    std::atomic<std::size_t> shp_done{0};
    std::vector<std::string> shp_warnings;
    const auto write_shp = [&] {
        for (std::size_t i = 0; i < shp_total; ++i) {
            detail::write_shapefiles(tmp / "shp", crs, layers.subspan(i, 1), shp_warnings);
            ++shp_done;
            if (!side_by_side) {
                scope.step(shp_done);  // stage events only from the calling thread
            }
        }
    };
    const auto write_geojson = [&] {
        for (std::size_t i = 0; i < geojson_total; ++i) {
            detail::write_geojson(
                tmp / "geojson", crs, layers.subspan(i, 1), warnings, options.threads);
            scope.step(i + 1 + shp_done);
        }
    };
    std::vector<std::string> merged;  // the warnings of the formats before, then these
    merged.swap(warnings);
    if (side_by_side) {
        std::exception_ptr shp_error;
        std::thread shp_thread([&] {
            try {
                write_shp();
            } catch (...) {
                shp_error = std::current_exception();
            }
        });
        try {
            write_geojson();
        } catch (...) {
            shp_thread.join();
            throw;
        }
        shp_thread.join();
        if (shp_error) {
            std::rethrow_exception(shp_error);
        }
    } else {
        write_shp();
        write_geojson();
    }
    merged.insert(merged.end(), shp_warnings.begin(), shp_warnings.end());
    merged.insert(merged.end(), warnings.begin(), warnings.end());
    warnings.swap(merged);
    scope.step(shp_total + geojson_total);
}

void write_csv_tables(const fs::path& tmp,
                      std::span<const Layer> layers,
                      const OutputOptions& options) {
    const auto tables =
        static_cast<std::size_t>(std::count_if(layers.begin(), layers.end(), wants_csv));
    const core::StageScope scope(options.stages, "write_csv", tables);
    std::size_t done = 0;
    for (const Layer& layer : layers) {
        if (wants_csv(layer)) {
            fs::create_directories(tmp / "csv");
            detail::write_text_file(tmp / "csv" / (layer.name + ".csv"),
                                    detail::csv_text(layer, options.lang));
            scope.step(++done);
        }
    }
}

void write_project(const fs::path& tmp,
                   const core::WorkingCrs& crs,
                   std::span<const Layer> layers,
                   const OutputOptions& options,
                   std::vector<std::string>& warnings) {
    if (!(options.gpkg || options.shapefile || options.geojson)) {
        warnings.push_back(
            "no QGIS project written: no GeoPackage, Shapefile or "
            "GeoJSON output is enabled");
        return;
    }
    const core::StageScope scope(options.stages, "write_qgs");
    const detail::ProjectSource source = options.gpkg        ? detail::ProjectSource::gpkg
                                         : options.shapefile ? detail::ProjectSource::shapefile
                                                             : detail::ProjectSource::geojson;
    detail::write_text_file(tmp / (options.basename + ".qgs"),
                            detail::qgis_project_xml(crs,
                                                     layers,
                                                     source,
                                                     options.basename,
                                                     options.project_title,
                                                     options.inputs,
                                                     options.attribution));
}

void write_report(const fs::path& tmp,
                  const core::WorkingCrs& crs,
                  std::span<const Layer> layers,
                  const OutputOptions& options) {
    const core::StageScope scope(options.stages, "write_report");
    const std::string data =
        report_data_json(crs,
                         layers,
                         options.page,
                         options.project_title,
                         detail::data_attribution(options.inputs, options.attribution),
                         options.lang);
    detail::write_text_file(tmp / "report.html", report_html(data));
}

/// Every enabled format into the temporary directory `tmp`, one stage event each.
void write_formats(const fs::path& tmp,
                   const core::WorkingCrs& crs,
                   std::span<const Layer> layers,
                   const OutputOptions& options,
                   std::vector<std::string>& warnings) {
    if (options.gpkg) {
        const core::StageScope scope(options.stages, "write_gpkg");
        detail::write_gpkg(tmp / (options.basename + ".gpkg"), crs, layers, warnings);
    }
    if (options.shapefile || options.geojson) {
        write_shp_geojson(tmp, crs, layers, options, warnings);
    }
    if (options.csv) {
        write_csv_tables(tmp, layers, options);
    }
    if (options.qgis_project) {
        write_project(tmp, crs, layers, options, warnings);
    }
    if (options.report) {
        write_report(tmp, crs, layers, options);
    }
    for (const ExtraFile& extra : options.extra_files) {
        detail::write_text_file(tmp / extra.name, extra.text);
    }
}

/// The files written into the staging folder (relative, sorted); each one planned.
std::vector<fs::path> produced_files(const fs::path& tmp, const std::vector<fs::path>& targets) {
    std::vector<fs::path> produced;
    for (const auto& entry : fs::recursive_directory_iterator(tmp)) {
        if (entry.is_regular_file()) {
            produced.push_back(fs::relative(entry.path(), tmp));
        }
    }
    std::sort(produced.begin(), produced.end());
    for (const fs::path& produced_file : produced) {
        core::require_invariant(
            std::find(targets.begin(), targets.end(), produced_file) != targets.end(),
            "output writer produced an unplanned file");
    }
    return produced;
}

Written write_all(const core::WorkingCrs& crs,
                  std::span<const Layer> all_layers,
                  const OutputOptions& options) {
    check_options(options);
    validate(all_layers);
    Written written;
    written.warnings = detail::recover_output_dir(options.dir);
    std::vector<Layer> cleaned;
    const std::span<const Layer> layers =
        without_degenerate_rings(all_layers, cleaned, written.warnings);
    const std::vector<fs::path> targets = planned_targets(layers, options);
    check_targets(targets, options);

    detail::Staging staging(options.dir);
    const fs::path& tmp = staging.path();
    write_formats(tmp, crs, layers, options, written.warnings);

    // Warnings name the final files, not the staging folder.
    const std::string tmp_prefix = tmp.string() + "/";
    const std::string final_prefix = (options.dir / "").string();
    for (std::string& warning : written.warnings) {
        for (auto at = warning.find(tmp_prefix); at != std::string::npos;
             at = warning.find(tmp_prefix, at + final_prefix.size())) {
            warning.replace(at, tmp_prefix.size(), final_prefix);
        }
    }
    const std::vector<fs::path> produced = produced_files(tmp, targets);
    // Everything is complete: the whole set replaces DIR at once. Files of DIR that are not
    // planned outputs are carried over; planned ones not written now (stale side-cars: an old
    // .gpkg-wal would be replayed into the new GeoPackage) are left behind with the old set.
    staging.swap_in([&] { check_targets(targets, options); }, targets);
    for (const fs::path& rel : produced) {
        written.files.push_back(options.dir / rel);
    }
    return written;
}

}  // namespace

std::vector<std::string> recover_interrupted_outputs(const fs::path& dir) {
    return detail::recover_output_dir(dir);
}

Written write_layers(const core::WorkingCrs& crs,
                     std::span<const Layer> layers,
                     const OutputOptions& options) {
    try {
        return write_all(crs, layers, options);
    } catch (const fs::filesystem_error& e) {
        throw core::Error{core::Errc::io,
                          "writing outputs to '" + options.dir.string() +
                              "': " + e.path1().string() + ": " + e.code().message()};
    }
}

}  // namespace gridplan::output
