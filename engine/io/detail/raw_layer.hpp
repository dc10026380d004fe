#pragma once
/// \file
/// A layer as read from its file (read_scene step 1): attributes as text, geometry in the source
/// CRS, nothing validated yet. Steps 2 (CRS checks) and 3 (features) work on these.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger.hpp"
#include "core/scene.hpp"
#include "geom/crs.hpp"
#include "io/config.hpp"
#include "io/detail/roles.hpp"

namespace gridplan::io::detail {

/// One feature in source coordinates.
struct RawFeature {
    std::int64_t index = 0;
    std::string id;                             ///< "" when null
    std::map<std::string, std::string> values;  ///< field role -> raw text (present values only)
    std::vector<std::string> invalid_utf8;      ///< field roles whose text was repaired
    bool null_geometry = false;
    bool empty_geometry = false;
    bool curve = false;
    bool z_or_m = false;
    std::string geometry_type;
    std::vector<std::vector<std::vector<core::Point>>> polygons;  ///< polygon -> rings -> points
    std::vector<std::vector<core::Point>> lines;
    std::vector<core::Point> points;
    std::vector<std::string> gdal_messages;
};

/// A failure GDAL reported while the features were read: the file is corrupt or cut short, and
/// what follows the place may be missing.
struct ReadFault {
    std::string message;             ///< GDAL's text (often with a byte, line or shape number)
    std::size_t after_features = 0;  ///< features GDAL delivered before it (OSM: of every layer)
    std::string last_fid;            ///< FID of the last feature delivered before it ("" none)
};

/// One configured input, read.
struct RawLayer {
    Role role = Role::streets;
    const LayerSource* source = nullptr;
    std::size_t source_number = 0;  ///< index among the role's sources (facilities)
    bool is_osm = false;
    std::size_t osm_dropped_relations = 0;  ///< relations GDAL dropped (missing member ways)
    std::size_t osm_dropped_ways = 0;       ///< ways GDAL dropped (fewer than 2 nodes present)
    core::LayerReport report;
    std::optional<geom::Crs> crs;
    std::vector<RawFeature> features;
    std::vector<std::string> layer_messages;
    std::vector<ReadFault> read_faults;  ///< read errors (only with ReadOptions::allow_partial)
    bool guessed_encoding = false;
    std::optional<geom::GeoBox> geo_box;
};

inline bool finite(const core::Point& p) {
    return std::isfinite(p.x()) && std::isfinite(p.y());
}

/// Calls fn(point&) on every point of `f`: polygons (ring by ring), then lines, then points.
template <typename Fn>
void for_each_point(RawFeature& f, Fn fn) {
    for (auto& poly : f.polygons) {
        for (auto& ring : poly) {
            for (auto& p : ring) {
                fn(p);
            }
        }
    }
    for (auto& line : f.lines) {
        for (auto& p : line) {
            fn(p);
        }
    }
    for (auto& p : f.points) {
        fn(p);
    }
}

}  // namespace gridplan::io::detail
