#pragma once
/// \file
/// Areas in tests: axis-aligned squares, and comparing areas.

#include "core/geometry.hpp"

namespace gridplan::test {

/// The square [x, x + size] × [y, y + size], clockwise (boost's default orientation).
inline core::MultiPolygon square(double x, double y, double size) {
    core::Polygon polygon;
    polygon.outer() = {{x, y}, {x, y + size}, {x + size, y + size}, {x + size, y}, {x, y}};
    return {polygon};
}

/// Area of the symmetric difference of x and y (0 for the same set).
inline double symmetric_difference_area(const core::MultiPolygon& x, const core::MultiPolygon& y) {
    core::MultiPolygon d1;
    core::MultiPolygon d2;
    core::bg::difference(x, y, d1);
    core::bg::difference(y, x, d2);
    return core::bg::area(d1) + core::bg::area(d2);
}

}  // namespace gridplan::test
