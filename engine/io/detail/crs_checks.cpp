// Step 2 of read_scene: per-layer CRS checks and the choice of the working CRS.
#include "io/detail/crs_checks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace gridplan::io::detail {
namespace {

using core::Errc;
using core::Error;

std::optional<core::Point> first_point(const RawFeature& f) {
    for (const auto& poly : f.polygons) {
        for (const auto& ring : poly) {
            for (const auto& p : ring) {
                if (finite(p)) {
                    return p;
                }
            }
        }
    }
    for (const auto& line : f.lines) {
        for (const auto& p : line) {
            if (finite(p)) {
                return p;
            }
        }
    }
    for (const auto& p : f.points) {
        if (finite(p)) {
            return p;
        }
    }
    return std::nullopt;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// A projected CRS whose sample is entirely within ±180 × ±90: longitude/latitude numbers read as
/// metres (every building a sliver near the false origin).
void refuse_degrees_as_metres(const RawLayer& raw,
                              const std::vector<core::Point>& sample,
                              double mx,
                              double my,
                              const std::string& what) {
    const auto degrees = [](const core::Point& p) {
        return std::abs(p.x()) <= 180.0 && std::abs(p.y()) <= 90.0;
    };
    if (!raw.crs->is_projected() || !std::all_of(sample.begin(), sample.end(), degrees)) {
        return;
    }
    const bool assumed = raw.report.crs.find("(assumed)") != std::string::npos;
    char buf[160];
    std::snprintf(buf,
                  sizeof buf,
                  "the coordinates look like longitude/latitude (median x=%.5f y=%.5f)",
                  mx,
                  my);
    throw Error{Errc::crs,
                "reading " + what + ": " + buf + " but its CRS '" + raw.crs->label() +
                    "' is projected (metres)" +
                    (assumed ? " (\"assume_epsg\" names a projected CRS: use 4326 (WGS84) or "
                               "4490 (CGCS2000) for longitude/latitude)"
                             : " (a .prj that does not match the data?)")};
}

/// Why a working CRS cannot measure lengths and areas ("" when it can).
std::string unfit_for_measurement(const geom::Crs& crs) {
    if (!crs.is_projected() || std::abs(crs.linear_unit_m() - 1.0) > 1e-9) {
        return "not a projected CRS in metres";
    }
    const std::string wkt = crs.wkt2();
    const auto method_at = wkt.find("METHOD[\"");
    const std::string method =
        method_at == std::string::npos
            ? ""
            : wkt.substr(method_at + 8, wkt.find('"', method_at + 8) - method_at - 8);
    if (method.find("Mercator") != std::string::npos &&
        method.find("Transverse") == std::string::npos) {
        return "a Mercator projection ('" + method +
               "') stretches lengths by 1/cos(latitude) and areas by its square (+48 % at 35N)";
    }
    if (crs.datum_family() == geom::DatumFamily::beijing1954 ||
        crs.datum_family() == geom::DatumFamily::xian1980) {
        return std::string{"on the "} + to_string(crs.datum_family()) +
               " datum, refused for the inputs too (its shift to CGCS2000 is only a ballpark)";
    }
    return {};
}

/// "buildings 'a.geojson' at -114.310..-114.290E 34.780..34.800N; communities …": where each
/// layer lies, for a message about the whole extent.
std::string where_layers_lie(const std::vector<RawLayer>& layers) {
    std::string out;
    for (const auto& raw : layers) {
        if (!raw.geo_box) {
            continue;
        }
        char buf[120];
        std::snprintf(buf,
                      sizeof buf,
                      " at %.3f..%.3fE, %.3f..%.3fN",
                      raw.geo_box->west,
                      raw.geo_box->east,
                      raw.geo_box->south,
                      raw.geo_box->north);
        out += (out.empty() ? "" : "; ") + raw.report.role + " '" + raw.report.source + "'" + buf;
    }
    return out;
}

}  // namespace

/// Refuses Beijing 1954 / Xian 1980 (C4), swapped axes (C2), data outside the CRS's area of use
/// (C3); computes the layer's geographic box.
void check_layer_crs(RawLayer& raw) {
    const auto& crs = *raw.crs;
    const std::string what = "layer '" + raw.report.layer + "' of '" + raw.report.source + "'";
    if ((crs.datum_family() == geom::DatumFamily::beijing1954 ||
         crs.datum_family() == geom::DatumFamily::xian1980) &&
        !crs.has_towgs84()) {
        throw Error{Errc::crs,
                    "reading " + what + ": CRS '" + crs.label() + "' is on the " +
                        to_string(crs.datum_family()) +
                        " datum, whose transformation to CGCS2000/WGS84 is only a ballpark "
                        "(errors of tens of metres) (supply the data in CGCS2000 or WGS84 "
                        "coordinates, or a .prj with explicit 7-parameter TOWGS84 values)"};
    }
    const std::string datum = raw.source->input_datum;
    if ((datum == "gcj02" || datum == "bd09") && !crs.is_geographic()) {
        throw Error{Errc::usage,
                    "reading " + what + ": input_datum '" + datum +
                        "' needs longitude/latitude coordinates, but the CRS is '" + crs.label() +
                        "'"};
    }
    std::vector<core::Point> sample;
    sample.reserve(raw.features.size());
    for (const auto& f : raw.features) {
        if (auto p = first_point(f)) {
            sample.push_back(*p);
        }
    }
    if (sample.empty()) {
        return;
    }
    std::vector<double> xs;
    std::vector<double> ys;
    for (const auto& p : sample) {
        xs.push_back(p.x());
        ys.push_back(p.y());
    }
    const double mx = median(xs);
    const double my = median(ys);
    refuse_degrees_as_metres(raw, sample, mx, my, what);
    if (crs.is_geographic()) {
        const bool lat_out = std::abs(my) > 90.0 && std::abs(mx) <= 90.0;
        const bool china_swapped = !geom::in_china_box(mx, my) && geom::in_china_box(my, mx);
        if (lat_out || china_swapped) {
            char buf[160];
            std::snprintf(buf,
                          sizeof buf,
                          "coordinates look like (latitude, longitude): median x=%.5f y=%.5f",
                          mx,
                          my);
            throw Error{
                Errc::crs,
                "reading " + what + ": " + buf +
                    " (axis order? GeoJSON, Shapefile and GeoPackage store longitude first; "
                    "fix the file, gridplan never swaps silently)"};
        }
    }
    // Geographic box from a sample that does not include out-of-range points (those are skipped
    // per feature later).
    std::vector<core::Point> in_range;
    for (const auto& p : sample) {
        if (!crs.is_geographic() || (std::abs(p.x()) <= 180.0 && std::abs(p.y()) <= 90.0)) {
            in_range.push_back(p);
        }
    }
    std::optional<geom::GeoBox> box;
    try {
        box = geom::geographic_bounds(crs, in_range);
    } catch (const Error&) {
        box.reset();
    }
    std::string suggestion;
    if (crs.is_projected()) {
        if (auto z = geom::zone_prefixed_epsg(mx)) {
            suggestion = " (the eastings carry a Gauss-Kruger zone number: try \"assume_epsg\": " +
                         std::to_string(*z) + " or fix the .prj)";
        }
    } else if (crs.is_geographic()) {
        suggestion = " (for longitude/latitude data outside China use EPSG:4326)";
    }
    if (!box) {
        throw Error{Errc::crs,
                    "reading " + what + ": the coordinates cannot be transformed from '" +
                        crs.label() + "' (wrong CRS?)" + suggestion};
    }
    if (crs.area_of_use() && !crs.area_of_use()->contains(*box, 1.0)) {
        char buf[200];
        std::snprintf(buf,
                      sizeof buf,
                      "data (%.3f..%.3fE, %.3f..%.3fN) lie outside the area of use of '%s'",
                      box->west,
                      box->east,
                      box->south,
                      box->north,
                      crs.label().c_str());
        throw Error{Errc::crs, "reading " + what + ": " + buf + suggestion};
    }
    raw.geo_box = box;
}

geom::Crs choose_working_crs(std::vector<RawLayer>& layers,
                             const InputConfig& config,
                             core::WorkingCrs& scene_crs,
                             const core::ProgressFn& progress) {
    std::optional<geom::GeoBox> all;
    for (auto& raw : layers) {
        check_layer_crs(raw);
        if (raw.geo_box) {
            if (!all) {
                all = raw.geo_box;
            } else {
                all->west = std::min(all->west, raw.geo_box->west);
                all->east = std::max(all->east, raw.geo_box->east);
                all->south = std::min(all->south, raw.geo_box->south);
                all->north = std::max(all->north, raw.geo_box->north);
            }
        }
    }
    if (!all) {
        for (const auto& raw : layers) {
            if (!raw.read_faults.empty()) {  // only with --allow-partial: the file is the cause
                throw Error{Errc::io,
                            "reading '" + raw.report.source +
                                "': no feature could be read: the file is corrupt or cut short "
                                "(GDAL: " +
                                raw.read_faults.front().message + ")"};
            }
        }
        throw Error{Errc::invalid_input,
                    "reading the inputs: no feature has a usable coordinate (the files were read "
                    "without error; their coordinates are missing, empty or not finite)"};
    }
    const int auto_epsg = geom::auto_working_epsg(all->centre_lon(), all->centre_lat());
    const int epsg = config.working_epsg.value_or(auto_epsg);
    const geom::Crs working = geom::Crs::from_epsg(epsg);
    if (const std::string why = unfit_for_measurement(working); !why.empty()) {
        throw Error{Errc::crs,
                    "using working CRS 'EPSG:" + std::to_string(epsg) + "': " + why +
                        " (try EPSG:" + std::to_string(auto_epsg) + ")"};
    }
    // The automatic zone is chosen by the centre of all inputs: inputs far apart (one layer in
    // the wrong place or CRS) would be measured in a zone that holds none of them.
    if (!config.working_epsg && working.area_of_use() &&
        !working.area_of_use()->contains(*all, 3.0)) {
        throw Error{
            Errc::crs,
            "choosing the working CRS: the inputs lie too far apart for one zone ('EPSG:" +
                std::to_string(epsg) + "' " + working.name() +
                ", chosen for their centre, holds none of them well): " + where_layers_lie(layers) +
                " (a layer in the wrong place or with the wrong CRS?)"};
    }
    // The automatic zone is right by construction (its EPSG area of use may stop short of the
    // coast, e.g. CM 123E south of 28N); a configured CRS must cover the data.
    if (config.working_epsg && working.area_of_use() &&
        !working.area_of_use()->contains(*all, 0.5)) {
        char buf[160];
        std::snprintf(buf,
                      sizeof buf,
                      "the data (%.3f..%.3fE, %.3f..%.3fN) lie outside its area of use",
                      all->west,
                      all->east,
                      all->south,
                      all->north);
        throw Error{Errc::crs,
                    "using working CRS 'EPSG:" + std::to_string(epsg) + "': " + buf +
                        " (suggested: EPSG:" + std::to_string(auto_epsg) + ")"};
    }
    scene_crs.epsg = epsg;
    scene_crs.name = working.name();
    scene_crs.wkt = working.wkt2();
    scene_crs.how = config.working_epsg
                        ? "configured (crs.working_epsg)"
                        : geom::explain_working_epsg(all->centre_lon(), all->centre_lat());
    core::report(
        progress, "crs", "working CRS EPSG:" + std::to_string(epsg) + " " + working.name());
    return working;
}

}  // namespace gridplan::io::detail
