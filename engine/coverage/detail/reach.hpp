#pragma once
/// \file
/// One bounded search per source set and what it reached (buildings, touched edges, seeds): the
/// per-facility searches of compute_coverage, the cover sets of siting and the service circles
/// share it. Private to the coverage module.

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "coverage/coverage.hpp"
#include "coverage/search.hpp"
#include "graph/snap.hpp"

namespace gridplan::coverage::detail {

/// Buildings attached to each edge (CSR by edge): entries are (building, snap index).
struct EdgeBuildings {
    std::vector<std::uint32_t> first;
    std::vector<std::uint32_t> building;
    std::vector<std::uint32_t> snap;
    EdgeBuildings(const graph::WalkGraph& graph, const graph::SnapTable& snaps);
};

/// Node labels at the two ends of a touched edge.
struct EdgeReach {
    std::uint32_t edge = 0;
    double du = kUnreached;
    double dv = kUnreached;
};

/// What one bounded search from one source set reached.
struct Reach {
    std::vector<std::pair<std::uint32_t, double>> buildings;  ///< (building, metres), ascending
    std::vector<EdgeReach> edges;                             ///< touched edges, ascending
    std::vector<Seed> seeds;                                  ///< sorted by edge
};

/// Per-thread evaluator: runs a search and evaluates the buildings on touched edges.
class Reacher {
public:
    Reacher(const graph::WalkGraph& graph,
            const EdgeBuildings& on_edge,
            const graph::SnapTable& building_snaps);
    /// Fills `out` (seeds must be sorted by edge). Buildings farther than bound_m are left out.
    void run(std::vector<Seed> seeds, double bound_m, bool keep_edges, Reach& out);

private:
    const graph::WalkGraph* graph_;
    const EdgeBuildings* on_edge_;
    const graph::SnapTable* snaps_;
    SearchSpace space_;
    std::vector<std::uint32_t> edge_stamp_;
    std::vector<std::uint32_t> building_stamp_;
    std::vector<double> building_best_;
    std::uint32_t now_ = 0;
    std::vector<std::uint32_t> touched_edges_;
    std::vector<std::uint32_t> touched_buildings_;
};

/// Seeds of one point's snaps, tagged with `source`.
void add_seeds(std::span<const graph::Snap> snaps, std::uint32_t source, std::vector<Seed>& out);

}  // namespace gridplan::coverage::detail
