#pragma once
/// \file
/// Area operations on GEOS for service circles and gaps: union of buffered lines, disks and
/// polygons, differences, and prepared point / line tests. Everything here runs in the calling
/// thread's GEOS context (see geom/prepared.hpp for prepared point and line tests).

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/geometry.hpp"
#include "geom/prepared.hpp"

namespace gridplan::geom {

/// Pieces of an area, unioned by union_pieces().
struct AreaPieces {
    core::MultiLineString round_lines;  ///< buffered by width_m, round caps and joins
    core::MultiLineString flat_lines;   ///< buffered by width_m, flat caps, round joins
    double width_m = 0.0;
    /// Optional half width per round line (same order as round_lines); width_m when empty.
    std::vector<double> round_line_widths;
    std::vector<core::Point> disk_centres;  ///< disks (inscribed polygons) …
    std::vector<double> disk_radii;         ///< … of these radii
    std::vector<core::Polygon> polygons;    ///< any valid polygons

    [[nodiscard]] bool empty() const noexcept {
        return round_lines.empty() && flat_lines.empty() && disk_centres.empty() &&
               polygons.empty();
    }
};

/// The union of all pieces (valid, possibly empty). Arcs use `quadrant_segments` per quarter circle.
[[nodiscard]] core::MultiPolygon union_pieces(const AreaPieces& pieces, int quadrant_segments);

/// The union of `base` and `pieces`.
[[nodiscard]] core::MultiPolygon union_with(const core::MultiPolygon& base,
                                            const AreaPieces& pieces, int quadrant_segments);

/// `area` minus the union of `holes`.
[[nodiscard]] core::MultiPolygon subtract(const core::MultiPolygon& area, const AreaPieces& holes,
                                          int quadrant_segments);

/// `area` minus `hole`.
[[nodiscard]] core::MultiPolygon subtract(const core::MultiPolygon& area,
                                          const core::MultiPolygon& hole);

/// The union of two areas in one overlay (no cascade: for a large area and a smaller one).
[[nodiscard]] core::MultiPolygon union_pair(const core::MultiPolygon& a, const core::MultiPolygon& b);

/// The union of many areas (cascaded).
[[nodiscard]] core::MultiPolygon union_areas(std::span<const core::MultiPolygon> areas);

/// `area` grown by `distance_m` (round joins).
[[nodiscard]] core::MultiPolygon grow(const core::MultiPolygon& area, double distance_m,
                                      int quadrant_segments);

/// A convex polygon (no holes) grown by `distance_m`: the Minkowski sum with the disk polygon of
/// 4 * quadrant_segments vertices (the convex hull of every vertex moved by every disk vertex);
/// nullopt when the polygon is not convex or has holes.
[[nodiscard]] std::optional<core::Polygon> grow_convex(const core::Polygon& polygon,
                                                       double distance_m, int quadrant_segments);

/// The union of `areas`, each first simplified within `simplify_m` (Douglas-Peucker, kept when
/// still valid; 0 = as
/// is), grown by `distance_m` (round joins): a shape that holds every input area when
/// simplify_m < distance_m.
[[nodiscard]] core::MultiPolygon grown_union(std::span<const core::MultiPolygon> areas,
                                             double simplify_m, double distance_m,
                                             int quadrant_segments);

/// True when `polygon` is one strictly convex ring without holes in bg's orientation (clockwise):
/// closed, every turn strictly to the right, one full turn in all. Such a polygon is valid
/// (bg::is_valid agrees), so this cheap test can stand in for it; false says nothing.
[[nodiscard]] bool strictly_convex_clockwise(const core::Polygon& polygon);

/// GEOS validity of an area.
[[nodiscard]] bool is_valid_area(const core::MultiPolygon& area);


/// Subtracts one fixed (large) area from many small ones: the hole is converted and prepared
/// once, and clipped to each small area's box before the difference.
class Subtractor {
public:
    explicit Subtractor(const core::MultiPolygon& hole);
    ~Subtractor();
    Subtractor(const Subtractor&) = delete;
    Subtractor& operator=(const Subtractor&) = delete;
    Subtractor(Subtractor&&) = delete;
    Subtractor& operator=(Subtractor&&) = delete;

    /// `area` minus the hole.
    [[nodiscard]] core::MultiPolygon apply(const core::MultiPolygon& area) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Subtracts one fixed large area from many small ones, from any thread: the hole is cut once
/// into tiles of at most `max_vertices` vertices (quadtree of GEOS rectangle clips), so each
/// difference only sees the tiles that meet the small area's box.
class TiledSubtractor {
public:
    explicit TiledSubtractor(const core::MultiPolygon& hole, std::size_t max_vertices = 2000);

    /// `area` minus the hole (thread-safe: uses the calling thread's GEOS context).
    [[nodiscard]] core::MultiPolygon apply(const core::MultiPolygon& area) const;
    /// Number of tiles the hole was cut into.
    [[nodiscard]] std::size_t tile_count() const noexcept { return tiles_.size(); }

private:
    [[nodiscard]] core::MultiPolygon apply_near(const core::MultiPolygon& area) const;
    std::vector<core::MultiPolygon> tiles_;
    std::vector<core::Box> boxes_;
};

}  // namespace gridplan::geom
