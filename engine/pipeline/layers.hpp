#pragma once
/// \file
/// Stage results → output layers (schemas in output/schema.cpp, documented in docs/layers.md).

#include <vector>

#include "coverage/coverage.hpp"
#include "output/layer.hpp"
#include "partition/partition.hpp"
#include "partition/redraw.hpp"
#include "siting/candidates.hpp"
#include "siting/siting.hpp"

namespace gridplan::pipeline {

/// What `gridplan site` produced.
struct SitingOutcome {
    core::FacilityKind kind = core::FacilityKind::warm_station;
    std::vector<siting::Candidate> candidates;
    siting::InstanceOptions::Weight weight = siting::InstanceOptions::Weight::residents;  ///< demand unit
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
};

/// The layers to write for these results: admin layers and buildings always; grids and grid
/// boundaries with a partition; facilities, circles, gaps and statistics with coverage; proposed
/// sites with siting; the redraw diff (moved buildings, grids before/after) with a redraw; the ledger (scene + stage issues) last.
[[nodiscard]] std::vector<output::Layer> make_layers(const RunResults& results,
                                                     const core::Ledger& ledger);

}  // namespace gridplan::pipeline
