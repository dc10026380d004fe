#pragma once
/// \file
/// Rounding counts for people to whole numbers without losing the total.

#include <cstdint>
#include <span>
#include <vector>

namespace gridplan::core {

/// Largest-remainder (Hamilton) rounding: non-negative integers, one per value, that sum to
/// llround(sum of the values). Every value is first rounded down; the units still missing go,
/// one each, to the values with the largest fractional parts, ties to the lower index. Whole
/// values stay exactly as they are. Negative and non-finite values count as 0.
[[nodiscard]] std::vector<std::int64_t> largest_remainder(std::span<const double> values);

}  // namespace gridplan::core
