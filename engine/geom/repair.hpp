#pragma once
/// \file
/// Polygon validity, repair and the area/overlap operations the reader and the hierarchy need,
/// on top of GEOS (MakeValid structure method, PointOnSurface, prepared predicates).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "geom/prepared.hpp"

namespace gridplan::geom {

/// Why GEOS considers a geometry invalid, and where.
struct ValidityIssue {
    std::string reason;  ///< GEOS's reason, e.g. "Self-intersection"
    std::optional<core::Point> location;
};

/// nullopt when the polygons are valid (GEOS isValid), else the reason and location.
/// Every ring must already be closed with at least 4 points.
[[nodiscard]] std::optional<ValidityIssue> polygon_validity(const core::MultiPolygon& polygons);

/// GEOS MakeValid with method=structure, keepCollapsed=false; returns only the polygonal part
/// (may be empty). Rings must be closed with at least 4 points.
[[nodiscard]] core::MultiPolygon make_valid_polygons(const core::MultiPolygon& polygons);

/// A point guaranteed to lie on the polygons (GEOS PointOnSurface); nullopt when empty.
[[nodiscard]] std::optional<core::Point> point_on_surface(const core::MultiPolygon& polygons);

/// Planar area in square units of the coordinates (valid input assumed).
[[nodiscard]] double area(const core::MultiPolygon& polygons);

/// The polygonal intersection of two polygon sets (GEOS overlay, robust).
[[nodiscard]] core::MultiPolygon intersection(const core::MultiPolygon& a, const core::MultiPolygon& b);

/// Area of the intersection of two polygon sets.
[[nodiscard]] double intersection_area(const core::MultiPolygon& a, const core::MultiPolygon& b);

/// Union of many polygon sets (GEOS UnaryUnion); valid inputs assumed.
[[nodiscard]] core::MultiPolygon union_all(const std::vector<const core::MultiPolygon*>& parts);


}  // namespace gridplan::geom
