#pragma once
/// \file
/// Step 9b of compute_coverage (docs/coverage.md, "Service circles", fix-ups and self-check): what
/// a circle's fix-ups share (covered buildings, the scene's indexes), the edges and buildings near
/// an area, and finish_circle (access-leg corridors, notches, slits, specks, self-check). Private
/// to the coverage module.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/geometry.hpp"
#include "core/scene.hpp"
#include "coverage/coverage.hpp"
#include "coverage/detail/blocks.hpp"
#include "coverage/detail/faces.hpp"
#include "coverage/detail/strips.hpp"
#include "graph/snap.hpp"

namespace gridplan::coverage::detail {

/// Everything a circle needs to know about which buildings are covered.
struct Coverage {
    std::function<bool(std::uint32_t)> covered;  ///< building covered in this circle
    std::vector<std::uint32_t> covered_list;     ///< ascending
};

/// The scene, graph, result so far and indexes every circle of one build reads.
struct Shared {
    const core::Scene& scene;
    const graph::WalkGraph& g;
    const graph::EdgeIndex& index;
    const Result& result;
    const PolygonOptions& po;
    const Faces& faces;
    const std::vector<Block>& blocks;
    const BlockTree& block_tree;
    const PointTree& bld_tree;
};

/// The speck rule (docs/coverage.md, "Specks"): `part` is a speck when its area is below
/// `min_area_m2`, it covers none of `points` (inside or on its boundary) and no line of `lines`
/// has a point in its interior. Circles pass the access points of their covered buildings and
/// the reached street pieces near the part; gaps the access points of their own buildings.
[[nodiscard]] bool is_speck(const core::Polygon& part,
                            double min_area_m2,
                            std::span<const core::Point> points,
                            std::span<const core::LineString> lines);

/// The best snap position of building b under a view (for its access-leg corridor).
std::optional<core::Point> best_snap_point(const Shared& sh, const View& view, std::uint32_t b);

/// Edges and buildings near an area: those meeting the box of one of its polygons (a dissolved
/// circle is many polygons spread over the city; its overall box would hold everything).
struct Near {
    std::vector<std::uint32_t> edges;                              ///< ascending
    std::vector<std::pair<core::Point, std::uint32_t>> buildings;  ///< ascending by building
};
Near near_area(const Shared& sh, const core::MultiPolygon& area);

/// Fix-ups and self-check: add access-leg corridors for covered buildings left outside, cut
/// notches around uncovered access points and slits along unreached streets inside, leave out
/// specks (parts under PolygonOptions::min_part_area_m2 holding no covered access point and no
/// reached street piece), check.
void finish_circle(const Shared& sh,
                   const View& view,
                   double budget,
                   const Coverage& cov,
                   core::MultiPolygon area,
                   ServiceCircle& out);

}  // namespace gridplan::coverage::detail
