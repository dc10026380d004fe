#pragma once
/// \file
/// Voronoi cells of sites clipped to a polygon (GEOS), shared-boundary detection between the
/// pieces of a polygon coverage, unions, and coverage checks by areas.

#include <cstdint>
#include <vector>

#include "core/geometry.hpp"

namespace gridplan::geom {

/// Voronoi cells of distinct `sites`, clipped to `clip`; cell i is the part of `clip` closer to
/// sites[i] than to any other site (it may have several pieces in a concave clip). The cells
/// tile `clip`. One site gets the whole clip; sites closer than 1e-9 m are not allowed.
[[nodiscard]] std::vector<core::MultiPolygon> voronoi_cells(const std::vector<core::Point>& sites,
                                                            const core::Polygon& clip);

/// A pair of polygons (by index) whose boundaries overlap along a positive length.
struct SharedBoundary {
    std::uint32_t a = 0;  ///< a < b
    std::uint32_t b = 0;
    double length_m = 0.0;
};

/// Pairs of `parts` whose boundaries share segments (collinear overlaps within `tolerance_m`),
/// with the shared length; sorted by (a, b). Works across differently split boundaries (e.g. the
/// cells on both sides of a road centre line). O(S log S) in the number of segments.
[[nodiscard]] std::vector<SharedBoundary> shared_boundaries(
    const std::vector<const core::MultiPolygon*>& parts, double tolerance_m = 1e-3);

/// Perimeter (all rings) of a multipolygon.
[[nodiscard]] double perimeter_m(const core::MultiPolygon& polygons);

/// Union of polygons (GEOS unary union), in bg orientation.
[[nodiscard]] core::MultiPolygon union_polygons(const std::vector<const core::MultiPolygon*>& parts);

/// Union of polygons on a fixed-precision grid of `grid_m` (GEOS OverlayNG snap-rounding):
/// pieces whose shared edges differ in the last bits (cells clipped to a block, beside the block
/// itself) are noded together, so the zero-width slits and specks such differences leave in a
/// floating-point union collapse and disappear. Also for a single part (it is cleaned the same).
/// The parts are joined by a floating-point union and the result is snap-rounded once
/// (GEOSGeom_setPrecision): GEOS 3.11's snap-rounding seeds a std::random_device and an mt19937
/// for every edge string it nodes, so rounding inside every binary union of the cascade
/// (GEOSUnaryUnionPrec) cost half the partition's CPU on a city; once on the result it is the
/// same grid, and draws fewer grids in parts (1/4 city: 4 instead of 12).
[[nodiscard]] core::MultiPolygon union_polygons_snapped(
    const std::vector<const core::MultiPolygon*>& parts, double grid_m);

/// Union of polygons that form a clean coverage (shared edges with identical vertices, e.g. the
/// Voronoi cells of one block): GEOS CoverageUnion, falling back to unary union when the
/// result is not valid.
[[nodiscard]] core::MultiPolygon coverage_union(
    const std::vector<const core::MultiPolygon*>& parts);

/// How well `parts` tile `whole`, measured by areas: gaps and overlaps in m².
struct CoverageCheck {
    double whole_m2 = 0.0;
    double parts_m2 = 0.0;    ///< sum of the parts' areas
    double union_m2 = 0.0;    ///< area of the union of the parts
    double overlap_m2 = 0.0;  ///< parts_m2 - union_m2 (area covered twice or more)
    double gap_m2 = 0.0;      ///< area of whole not covered by the union
    double outside_m2 = 0.0;  ///< area of the union outside whole
};

/// Checks a coverage by areas (GEOSCoverageIsValid needs GEOS 3.12).
[[nodiscard]] CoverageCheck check_coverage(const std::vector<const core::MultiPolygon*>& parts,
                                           const core::MultiPolygon& whole);

}  // namespace gridplan::geom
