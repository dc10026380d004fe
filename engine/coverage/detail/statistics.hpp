#pragma once
/// \file
/// Steps 6 to 8 of compute_coverage (docs/coverage.md, "Statistics"): street metres reached per
/// edge, the per-facility totals and the per-area table. Private to the coverage module.

#include <optional>
#include <span>
#include <vector>

#include "core/progress.hpp"
#include "coverage/coverage.hpp"
#include "coverage/detail/reach.hpp"
#include "graph/snap.hpp"

namespace gridplan::coverage::detail {

/// Street metres of every edge reached by >= 1 ("once") and >= 2 ("twice") facilities of each
/// kind: network [k][e * n_slots + slot], euclidean (within the radius) [k][e].
struct StreetMetres {
    std::vector<std::vector<double>> once;
    std::vector<std::vector<double>> twice;
    std::vector<std::vector<double>> euclid_once;
    std::vector<std::vector<double>> euclid_twice;
};

/// Step 6: per edge, the metres reached within each slot's budget (`budgets[slot]`), network and
/// euclidean, per kind. Stored per edge, so sums over edges run in edge order (deterministic).
[[nodiscard]] StreetMetres street_metres(const graph::WalkGraph& graph,
                                         const graph::EdgeIndex& index,
                                         const Result& result,
                                         std::span<const Reach> reach,
                                         std::span<const double> budgets,
                                         std::span<const core::Point> facility_points);

/// Step 7: what every facility reaches within each slot, appended to result.facilities.
void add_facility_totals(const core::Scene& scene,
                         const graph::WalkGraph& graph,
                         std::span<const Reach> reach,
                         std::span<const double> budgets,
                         Result& result);

/// Step 8: the per-area table (total, then streets, communities, grids; per kind, per slot then
/// euclidean), into result.areas.
void add_area_table(const core::Scene& scene,
                    const graph::WalkGraph& graph,
                    std::span<const std::optional<core::Index>> grid_of_building,
                    std::span<const core::MultiPolygon> grid_areas,
                    std::span<const double> budgets,
                    const StreetMetres& metres,
                    Result& result);

}  // namespace gridplan::coverage::detail
