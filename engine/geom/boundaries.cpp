#include "geom/boundaries.hpp"

#include <geos_c.h>

#include <boost/geometry/index/rtree.hpp>

#include "core/error.hpp"
#include "geom/geos.hpp"

namespace gridplan::geom {
namespace {

namespace bgi = boost::geometry::index;
using BoxValue = std::pair<core::Box, std::uint32_t>;

double line_length(const GEOSGeometry* g) {
    double length = 0.0;
    GEOSLength_r(geos_context(), g, &length);
    return length;
}

/// Linear part of g, merged into as few lines as possible.
GeosPtr merged_lines(GeosPtr g) {
    auto* h = geos_context();
    const auto lines = lines_from_geos(g.get());
    if (lines.empty()) {
        return checked(GEOSGeom_createEmptyCollection_r(h, GEOS_MULTILINESTRING), "empty lines");
    }
    auto multi = to_geos(lines);
    return checked(GEOSLineMerge_r(h, multi.get()), "line merge");
}

}  // namespace

std::vector<BoundaryPiece> grid_boundaries(std::span<const core::MultiPolygon> areas,
                                           std::span<const std::uint32_t> group,
                                           std::span<const core::LineString> roads,
                                           const BoundaryOptions& options) {
    core::require_invariant(areas.size() == group.size(), "grid_boundaries: group size");
    auto* h = geos_context();

    std::vector<GeosPtr> outlines;
    std::vector<BoxValue> boxes;
    outlines.reserve(areas.size());
    for (std::uint32_t i = 0; i < areas.size(); ++i) {
        auto poly = to_geos(areas[i]);
        outlines.push_back(checked(GEOSBoundary_r(h, poly.get()), "boundary"));
        core::Box box;
        core::bg::envelope(areas[i], box);
        boxes.emplace_back(box, i);
    }
    const bgi::rtree<BoxValue, bgi::rstar<16>> area_index(boxes.begin(), boxes.end());

    std::vector<BoxValue> road_boxes;
    for (std::uint32_t i = 0; i < roads.size(); ++i) {
        core::Box box;
        core::bg::envelope(roads[i], box);
        road_boxes.emplace_back(box, i);
    }
    const bgi::rtree<BoxValue, bgi::rstar<16>> road_index(road_boxes.begin(), road_boxes.end());

    auto make_piece = [&](std::uint32_t left, std::optional<std::uint32_t> right,
                          GeosPtr lines) -> std::optional<BoundaryPiece> {
        const double length = line_length(lines.get());
        if (length < options.min_length_m) {
            return std::nullopt;
        }
        BoundaryPiece piece{left, right, lines_from_geos(lines.get()), length, false};
        // Follows a road when most of its length lies within the tolerance of road lines.
        core::Box box;
        core::bg::envelope(piece.lines, box);
        box.min_corner().x(box.min_corner().x() - options.road_tolerance_m);
        box.min_corner().y(box.min_corner().y() - options.road_tolerance_m);
        box.max_corner().x(box.max_corner().x() + options.road_tolerance_m);
        box.max_corner().y(box.max_corner().y() + options.road_tolerance_m);
        std::vector<BoxValue> near;
        road_index.query(bgi::intersects(box), std::back_inserter(near));
        if (!near.empty()) {
            std::sort(near.begin(), near.end(),
                      [](const BoxValue& a, const BoxValue& b) { return a.second < b.second; });
            core::MultiLineString near_roads;
            for (const auto& [b, r] : near) {
                near_roads.push_back(roads[r]);
            }
            auto road_geom = to_geos(near_roads);
            auto corridor =
                checked(GEOSBuffer_r(h, road_geom.get(), options.road_tolerance_m, 2), "buffer");
            auto inside = checked(GEOSIntersection_r(h, lines.get(), corridor.get()), "intersection");
            piece.follows_road = line_length(inside.get()) >= options.follows_road_share * length;
        }
        return piece;
    };

    std::vector<BoundaryPiece> pieces;
    for (std::uint32_t a = 0; a < areas.size(); ++a) {
        std::vector<BoxValue> candidates;
        area_index.query(bgi::intersects(boxes[a].first), std::back_inserter(candidates));
        std::sort(candidates.begin(), candidates.end(),
                  [](const BoxValue& x, const BoxValue& y) { return x.second < y.second; });
        std::vector<GEOSGeometry*> shared_parts;
        for (const auto& [box, b] : candidates) {
            if (b == a || group[b] != group[a]) {
                continue;
            }
            auto shared = merged_lines(
                checked(GEOSIntersection_r(h, outlines[a].get(), outlines[b].get()), "intersection"));
            if (line_length(shared.get()) < options.min_length_m) {
                continue;
            }
            shared_parts.push_back(GEOSGeom_clone_r(h, shared.get()));
            if (a < b) {
                if (auto piece = make_piece(a, b, std::move(shared))) {
                    pieces.push_back(std::move(*piece));
                }
            }
        }
        GeosPtr outer;
        if (shared_parts.empty()) {
            outer = checked(GEOSGeom_clone_r(h, outlines[a].get()), "clone");
        } else {
            auto all_shared = checked(
                GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, shared_parts.data(),
                                            static_cast<unsigned>(shared_parts.size())),
                "collection");
            auto shared_union = checked(GEOSUnaryUnion_r(h, all_shared.get()), "union");
            outer = checked(GEOSDifference_r(h, outlines[a].get(), shared_union.get()), "difference");
        }
        if (auto piece = make_piece(a, std::nullopt, merged_lines(std::move(outer)))) {
            pieces.push_back(std::move(*piece));
        }
    }
    std::stable_sort(pieces.begin(), pieces.end(), [](const BoundaryPiece& x, const BoundaryPiece& y) {
        if (x.left != y.left) {
            return x.left < y.left;
        }
        const auto xr = x.right.value_or(UINT32_MAX);
        const auto yr = y.right.value_or(UINT32_MAX);
        return xr < yr;
    });
    return pieces;
}

}  // namespace gridplan::geom
