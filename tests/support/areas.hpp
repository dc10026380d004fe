#pragma once
/// \file
/// Comparing areas in tests.

#include "core/geometry.hpp"

namespace gridplan::test {

/// Area of the symmetric difference of x and y (0 for the same set).
inline double symmetric_difference_area(const core::MultiPolygon& x, const core::MultiPolygon& y) {
    core::MultiPolygon d1;
    core::MultiPolygon d2;
    core::bg::difference(x, y, d1);
    core::bg::difference(y, x, d2);
    return core::bg::area(d1) + core::bg::area(d2);
}

}  // namespace gridplan::test
