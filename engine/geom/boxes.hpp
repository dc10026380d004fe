#pragma once
// Grouping of boxes that meet.

#include <cstddef>
#include <span>
#include <vector>

#include "core/geometry.hpp"

namespace gridplan::geom {

/// Groups of boxes that meet (touching counts), transitively, by a sweep in x: each group's
/// indices ascending, groups in the order of their first member. Shapes inside boxes of
/// different groups are disjoint.
[[nodiscard]] std::vector<std::vector<std::size_t>> meeting_groups(
    std::span<const core::Box> boxes);

}  // namespace gridplan::geom
