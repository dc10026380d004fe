#pragma once
/// \file
/// A polygon set prepared once (GEOS prepared geometry) for many point, line and polygon tests.
/// Bound to the GEOS context of the thread that built it: use it on that thread.

#include <memory>

#include "core/geometry.hpp"

namespace gridplan::geom {

class PreparedArea {
public:
    explicit PreparedArea(const core::MultiPolygon& area);
    ~PreparedArea();
    PreparedArea(const PreparedArea&) = delete;
    PreparedArea& operator=(const PreparedArea&) = delete;
    PreparedArea(PreparedArea&&) noexcept;
    PreparedArea& operator=(PreparedArea&&) noexcept;

    /// True when the point lies inside or on the boundary (false for an empty area).
    [[nodiscard]] bool covers(const core::Point& p) const;
    /// True when the line has any point in common with the area.
    [[nodiscard]] bool intersects(const core::LineString& line) const;
    /// True when `polygons` lies entirely inside (GEOS contains).
    [[nodiscard]] bool contains(const core::MultiPolygon& polygons) const;
    /// Area of the intersection with `polygons` (0 when disjoint).
    [[nodiscard]] double intersection_area(const core::MultiPolygon& polygons) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gridplan::geom
