#pragma once
/// \file
/// Boundaries between neighbouring areas of a tiling (grid boundaries): for each pair of areas
/// in the same group that share an edge, the shared lines; for each area, its outer edge (the
/// part of its boundary shared with no other area of its group).

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/geometry.hpp"

namespace gridplan::geom {

struct BoundaryOptions {
    double road_tolerance_m = 2.0;     ///< a boundary within this of a road line follows it
    double follows_road_share = 0.8;   ///< share of its length that must be near roads
    double min_length_m = 0.01;        ///< shorter pieces (touching corners) are dropped
};

/// One boundary piece: between `left` and `right`, or `left`'s outer edge (no right).
struct BoundaryPiece {
    std::uint32_t left = 0;
    std::optional<std::uint32_t> right;
    core::MultiLineString lines;
    double length_m = 0.0;
    bool follows_road = false;
};

/// Pieces ordered by (left, right), outer edges after shared ones for the same left.
/// `group[i]` is the group (community) of area i: only areas of one group are paired.
[[nodiscard]] std::vector<BoundaryPiece> grid_boundaries(std::span<const core::MultiPolygon> areas,
                                                         std::span<const std::uint32_t> group,
                                                         std::span<const core::LineString> roads,
                                                         const BoundaryOptions& options);

}  // namespace gridplan::geom
