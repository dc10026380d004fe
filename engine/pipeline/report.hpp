#pragma once
/// \file
/// Plain-text reports the commands return (the CLI prints them). Fixed-width tables, stable order.

#include <string>
#include <vector>

#include "core/scene.hpp"

namespace gridplan::pipeline {

/// A fixed-width text table: header row, then rows; numeric-looking cells are right-aligned.
[[nodiscard]] std::string format_table(const std::vector<std::string>& header,
                                       const std::vector<std::vector<std::string>>& rows);

/// Thousands-separated integer ("14,532") of a rounded value.
[[nodiscard]] std::string format_count(double value);
/// Fixed-point number with `decimals` digits.
[[nodiscard]] std::string format_fixed(double value, int decimals);

/// What `inspect` prints: the working CRS, one row per layer, household totals, ledger summary.
[[nodiscard]] std::string scene_report(const core::Scene& scene);

}  // namespace gridplan::pipeline
