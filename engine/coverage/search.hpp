#pragma once
/// \file
/// The search kernel of the one coverage rule: bounded Dijkstra over the CSR walking graph from
/// sources that sit at exact positions along edges, with timestamped labels (no O(V) reset between
/// searches) and a binary heap. Distances are metres; minutes are derived by the caller.
///
/// Walking distance to a position x on edge e = (u, v, L):
///     D(e, x) = min( d(u) + x,  d(v) + L - x,  min over seeds s on e of a_s + |x - t_s| )
/// where d() are node labels and a seed s is a source attached to e at offset t_s with access
/// leg a_s. Seeds label the edge ends with d(u) = a_s + t_s and d(v) = a_s + L - t_s.

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"

namespace gridplan::coverage {

inline constexpr double kUnreached = std::numeric_limits<double>::infinity();

/// A source at an exact position on an edge. `source` is the caller's id (e.g. the facility slot);
/// ties between equally distant sources go to the lower id.
struct Seed {
    std::uint32_t edge = graph::kNone;
    double offset_m = 0.0;
    double access_m = 0.0;
    std::uint32_t source = 0;
};

/// Per-thread working memory of a bounded search. Reuse it for many searches: labels are
/// invalidated by bumping a timestamp, not by clearing.
class SearchSpace {
public:
    explicit SearchSpace(std::size_t node_count);

    /// Runs a bounded search from `seeds` (must be sorted by edge, see sort_seeds). Nodes farther
    /// than `bound_m` stay unlabelled. Afterwards distance()/source() and settled() describe it.
    void run(const graph::WalkGraph& graph, std::span<const Seed> seeds, double bound_m);

    /// Label of node n from the last run (kUnreached when farther than the bound).
    [[nodiscard]] double distance(std::uint32_t n) const {
        return stamp_[n] == now_ ? dist_[n] : kUnreached;
    }
    /// Nearest source of node n from the last run (only meaningful when reached).
    [[nodiscard]] std::uint32_t source(std::uint32_t n) const { return src_[n]; }
    /// Nodes settled by the last run, in settling order.
    [[nodiscard]] const std::vector<std::uint32_t>& settled() const noexcept { return settled_; }
    /// Seeds of the last run (sorted by edge).
    [[nodiscard]] std::span<const Seed> seeds() const noexcept { return seeds_; }

private:
    struct HeapItem {
        double d;
        std::uint32_t src;
        std::uint32_t node;
    };
    std::vector<std::uint32_t> stamp_;
    std::vector<double> dist_;
    std::vector<std::uint32_t> src_;
    std::uint32_t now_ = 0;
    std::vector<std::uint32_t> settled_;
    std::vector<HeapItem> heap_;
    std::span<const Seed> seeds_;
};

/// Sorts seeds by (edge, source, offset) so that seeds_on_edge() can find them.
void sort_seeds(std::vector<Seed>& seeds);

/// The seeds sitting on `edge` (seeds sorted by edge).
[[nodiscard]] std::span<const Seed> seeds_on_edge(std::span<const Seed> seeds, std::uint32_t edge);

/// Walking distance and nearest source at one position.
struct PointDistance {
    double distance_m = kUnreached;
    std::uint32_t source = graph::kNone;
};

/// D(e, x) with its source, from node labels du, dv (and their sources) and the seeds on e.
[[nodiscard]] PointDistance distance_on_edge(double length_m, double offset_m, double du,
                                             std::uint32_t su, double dv, std::uint32_t sv,
                                             std::span<const Seed> edge_seeds);

/// Appends to `out` the sub-intervals [a, b] of [0, length] where D(e, x) <= budget (unsorted,
/// possibly overlapping). Use merge_intervals() to normalise.
void reach_intervals(double length_m, double du, double dv, std::span<const Seed> edge_seeds,
                     double budget_m, std::vector<std::pair<double, double>>& out);

/// Sorts and merges overlapping intervals in place; returns their total length.
double merge_intervals(std::vector<std::pair<double, double>>& intervals);

}  // namespace gridplan::coverage
