#pragma once
/// \file
/// Stage results → output layers (schemas in output/schema.cpp, documented in docs/layers.md).

#include <cstdint>
#include <vector>

#include "coverage/coverage.hpp"
#include "output/layer.hpp"
#include "output/write.hpp"
#include "partition/partition.hpp"
#include "partition/redraw.hpp"
#include "siting/candidates.hpp"
#include "siting/siting.hpp"

namespace gridplan::pipeline {

/// What `gridplan site` produced.
struct SitingOutcome {
    core::FacilityKind kind = core::FacilityKind::warm_station;
    std::vector<siting::Candidate> candidates;
    siting::InstanceOptions::Weight weight =
        siting::InstanceOptions::Weight::residents;  ///< demand unit
    siting::Result result;
};

/// Everything a command computed; absent stages are null.
struct RunResults {
    const core::Scene* scene = nullptr;
    const partition::Result* partition = nullptr;
    const coverage::Result* coverage = nullptr;
    const SitingOutcome* siting = nullptr;
    const partition::RedrawResult* redraw = nullptr;  ///< with `partition` = &redraw->plan
    /// Coverage with the proposed sites open (same rule, no polygons): its rows for the sited
    /// kind join `coverage_stats` as scenario "after_siting".
    const coverage::Result* coverage_after_siting = nullptr;
    /// Suggested N of 1+1+1+N staffing = ceil(households / this) (partition option).
    double households_per_part_timer = 100.0;
};

/// Suggested staffing of one grid (docs/partition.md, "Staffing"): a regular grid with
/// households gets 1 网格长 + 1 网格指导员 + 1 专职网格员 + N part-timers, N = ceil(h / per); a
/// grid without households gets none. A dedicated grid (专属网格) is staffed by its institution:
/// its 网格长 comes from the institution, the community names the 网格指导员, there is no
/// 专职网格员, and N = ceil(h / per) but at least 1 (the institution's own 专属网格员).
struct Staffing {
    std::int64_t leader = 0;      ///< 网格长
    std::int64_t instructor = 0;  ///< 网格指导员
    std::int64_t worker = 0;      ///< 专职网格员
    std::int64_t part_time = 0;   ///< N 兼职网格员/志愿者
};
[[nodiscard]] Staffing grid_staffing(partition::GridKind kind,
                                     std::int64_t households,
                                     double households_per_part_timer);

/// Whole households for people (docs/layers.md, "Households"): rounds every building's
/// households and population to integers, community by community (the buildings outside every
/// community as one more group), by largest remainder (core::largest_remainder), so each
/// community's total is kept and whole source values stay; the estimate flags are unchanged.
/// Updates the buildings layers' totals in `scene.layers`. The commands call it once, after
/// the optimiser (partition, redraw) and before coverage, siting, layers and reports.
void round_households(core::Scene& scene);

/// The `grids` layer of a partition (`results.partition`, with `results.scene`): one row per
/// grid, totals in whole households, band status and staffing (docs/layers.md).
[[nodiscard]] output::Layer grids_layer(const RunResults& results);

/// The `building_groups` layer of a partition: one row per group (docs/layers.md), totals in
/// whole households, an empty 楼栋长 slot.
[[nodiscard]] output::Layer building_groups_layer(const RunResults& results);

/// The layers to write for these results: admin layers and buildings always; grids and grid
/// boundaries with a partition; facilities, circles, gaps and statistics with coverage; proposed
/// sites with siting; the redraw diff (moved buildings, grids before/after) with a redraw; the
/// ledger (scene + stage issues) last. `lang` names the total rows of `coverage_stats` ("全部" /
/// "all") and the grids' names there.
[[nodiscard]] std::vector<output::Layer> make_layers(const RunResults& results,
                                                     const core::Ledger& ledger,
                                                     output::Language lang = output::Language::zh);

}  // namespace gridplan::pipeline
