#pragma once
/// \file
/// Road blocks (路块): the faces of the arrangement of road and barrier lines inside an area
/// (a community polygon), by GEOS polygonize of the noded union of the clipped lines and the
/// area's boundary. The faces tile the area; dangling lines (dead ends) do not split faces.

#include <cstdint>
#include <vector>

#include "core/geometry.hpp"

namespace gridplan::geom {

/// A line that may split the area into blocks.
struct BlockLine {
    core::LineString line;
    std::int32_t rank = 0;  ///< caller's road class rank (0 = arterial … higher = smaller road)
    bool barrier = false;   ///< river, railway, wall: separates blocks unless a road crosses it
};

/// One boundary segment of the arrangement, with the faces on either side.
struct BlockEdge {
    std::int32_t face_a = -1;  ///< a face index (always >= 0)
    std::int32_t face_b = -1;  ///< the face on the other side, or -1 outside the area
    core::Point p{0.0, 0.0};
    core::Point q{0.0, 0.0};
    std::int32_t rank = -1;  ///< smallest rank of the road lines on this segment, -1 = none
    bool barrier = false;    ///< lies on a barrier line
    bool crossing = false;   ///< barrier segment with a road crossing the barrier at one end
    [[nodiscard]] double length_m() const;
};

/// The blocks of an area.
struct BlockSet {
    std::vector<core::Polygon> faces;  ///< faces inside the area (GEOS order, deterministic)
    std::vector<double> area_m2;       ///< area of each face
    std::vector<BlockEdge> edges;      ///< every boundary segment once (face order)
};

/// Polygonises `lines` (clipped to `area`) together with the boundary of `area`.
/// Faces whose interior point is outside `area` (holes of the area) are dropped.
[[nodiscard]] BlockSet road_blocks(const core::MultiPolygon& area,
                                   const std::vector<BlockLine>& lines);

}  // namespace gridplan::geom
