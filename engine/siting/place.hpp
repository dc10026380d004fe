#pragma once
/// \file
/// Where a proposed site is, in the words a planner searches with (docs/siting.md, "Finding a
/// site"): the nearest named road (or the two roads of an intersection), the community and grid
/// it stands in, and its longitude/latitude.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/scene.hpp"

namespace gridplan::siting {

/// How far the place of a site is looked for.
struct PlaceOptions {
    /// The nearest named road within this distance names the site; a nearer road without a name
    /// is passed over (its missing name tells a planner nothing).
    double road_max_m = 100.0;
    /// "A / B" when a second named road is within this distance and meets the first one (same
    /// grade `layer`) at a point within this distance of the site: a corner or an intersection.
    double corner_m = 30.0;
    /// A site in no community (or grid) polygon takes the nearest one within this distance (a
    /// site on a boundary road); farther away it has none.
    double area_max_m = 50.0;
};

/// Names sites by the roads around them. Built once over the scene's named roads.
class RoadNamer {
public:
    RoadNamer(std::span<const core::Road> roads, const PlaceOptions& options);
    ~RoadNamer();
    RoadNamer(const RoadNamer&) = delete;
    RoadNamer& operator=(const RoadNamer&) = delete;

    /// The nearest named road within road_max_m, "A / B" at a corner (A the nearer, ties by
    /// name), or "" when no named road is near. Deterministic.
    [[nodiscard]] std::string name_at(const core::Point& p) const;

private:
    struct Index;
    std::span<const core::Road> roads_;
    PlaceOptions options_;
    std::unique_ptr<Index> index_;
};

/// The polygon of `areas` that covers `p` (lowest index), else the nearest within `max_m`
/// (ties by index); nullopt when none.
[[nodiscard]] std::optional<std::size_t> area_at(std::span<const core::MultiPolygon> areas,
                                                 const core::Point& p,
                                                 double max_m);

/// Longitude/latitude (WGS84 degrees, rounded to 6 decimals: about 0.1 m) of points in the
/// working CRS given as WKT; nullopt for a point that does not transform.
[[nodiscard]] std::vector<std::optional<core::Point>> lon_lat(const std::string& working_wkt,
                                                              std::span<const core::Point> points);

}  // namespace gridplan::siting
