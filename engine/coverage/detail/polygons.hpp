#pragma once
/// \file
/// Step 9 of compute_coverage (docs/coverage.md, "Service circles" and "Gaps"): the service-circle
/// polygons, the filled blocks, the polygon self-check and the gaps. Private to the coverage
/// module.

#include <cstdint>
#include <span>
#include <vector>

#include "core/progress.hpp"
#include "coverage/coverage.hpp"
#include "coverage/detail/reach.hpp"
#include "coverage/nearest.hpp"
#include "coverage/search.hpp"
#include "graph/snap.hpp"

namespace gridplan::coverage::detail {

/// One circle to build: a kind (index into Result::kinds), a facility (graph::kNone for the
/// dissolved circle of the kind), a profile and a threshold (indices into Options).
struct CircleTask {
    std::size_t kind = 0;
    std::uint32_t facility = graph::kNone;
    std::size_t profile = 0;
    std::size_t threshold = 0;
};

/// Builds the service circles, blocks and gaps into `result` (coverage already filled).
/// `reach[f]` is facility f's search (empty for facilities of kinds not covered);
/// `kind_seeds[k]` and `kind_node_distance[k]` are the multi-source search of result.kinds[k].
void build_polygons(const core::Scene& scene,
                    const graph::WalkGraph& graph,
                    const graph::EdgeIndex& index,
                    std::span<const Reach> reach,
                    std::span<const NearestField> kinds,
                    Result& result,
                    const core::ProgressFn& progress);

}  // namespace gridplan::coverage::detail
