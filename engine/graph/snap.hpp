#pragma once
/// \file
/// Attaching points (building entrances or anchors, facilities, candidate sites) to the walking
/// network at an exact position along an edge: no graph surgery, the position is (edge, offset).
/// Up to `candidate_edges` nearby edges are kept per point ("multi-snap") so that the walking-time
/// rule can pick the best one: the street in front of a block wins over the street behind it when
/// it gives the shorter walk, even if the street behind is a little nearer in a straight line.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/geometry.hpp"
#include "graph/walk_graph.hpp"

namespace gridplan::graph {

/// How points attach to the network.
struct SnapOptions {
    double max_snap_m = 300.0;  ///< longest access leg; farther points are unsnappable
    int candidate_edges = 3;    ///< distinct network positions kept per point (1..8)
    /// Extra candidates must be at most this much farther than the nearest one, so that a
    /// building does not reach across a river or a wide block to a far street.
    double candidate_slack_m = 60.0;
};

/// One attachment: the point reaches edge `edge` at `offset_m` metres from edge_from[edge]
/// (0 <= offset_m <= edge_length_m[edge]) by a straight access leg of `access_m` metres.
struct Snap {
    std::uint32_t edge = kNone;
    double offset_m = 0.0;
    double access_m = 0.0;
    friend bool operator==(const Snap&, const Snap&) = default;
};

/// Snaps of many points in CSR form: point i has snaps[first[i] .. first[i+1]), nearest first
/// (ties by edge index). An empty range means unsnappable (no edge within max_snap_m).
struct SnapTable {
    std::vector<std::uint32_t> first{0};
    std::vector<Snap> snaps;

    [[nodiscard]] std::size_t size() const noexcept { return first.size() - 1; }
    [[nodiscard]] std::span<const Snap> of(std::size_t i) const {
        return {snaps.data() + first[i], snaps.data() + first[i + 1]};
    }
    [[nodiscard]] bool snapped(std::size_t i) const { return first[i + 1] > first[i]; }
    /// Appends one point's snaps.
    void push(std::span<const Snap> point_snaps);
};

/// A spatial index over the segments of every edge (R-tree of segment boxes). Immutable after
/// construction; queries are thread-safe.
class EdgeIndex {
public:
    explicit EdgeIndex(const WalkGraph& graph);
    ~EdgeIndex();
    EdgeIndex(const EdgeIndex&) = delete;
    EdgeIndex& operator=(const EdgeIndex&) = delete;
    EdgeIndex(EdgeIndex&&) noexcept;
    EdgeIndex& operator=(EdgeIndex&&) noexcept;

    /// The nearest positions on up to `k` distinct network positions within `max_m` of `p` and
    /// within `slack_m` of the nearest one, nearest first. Two snaps onto the same node (an edge
    /// end) count as one position.
    [[nodiscard]] std::vector<Snap> nearest(const core::Point& p, double max_m, int k,
                                            double slack_m) const;
    /// A candidate position of nearest() (working memory).
    struct Candidate {
        std::uint32_t edge;
        double offset_m;
        double d2;        ///< squared access leg (dx^2 + dy^2), for ordering
        double dx, dy;    ///< access leg vector; access_m = hypot(dx, dy), computed when needed
        double access_m;  ///< < 0 until computed
    };
    /// As above, appending the snaps to `out`; `pool` is working memory reused between calls.
    void nearest(const core::Point& p, double max_m, int k, double slack_m,
                 std::vector<Candidate>& pool, std::vector<Snap>& out) const;

    /// Edges having a segment whose box intersects `box`, ascending, without duplicates.
    [[nodiscard]] std::vector<std::uint32_t> edges_in(const core::Box& box) const;

    [[nodiscard]] const WalkGraph& graph() const noexcept { return *graph_; }

private:
    struct Impl;
    const WalkGraph* graph_;
    std::unique_ptr<Impl> impl_;
};

/// Snaps every point (in parallel, deterministic). Never throws on data: points with no edge
/// within max_snap_m get an empty range.
[[nodiscard]] SnapTable snap_points(const EdgeIndex& index, std::span<const core::Point> points,
                                    const SnapOptions& options, int threads = 0);

/// Convenience: builds an EdgeIndex and snaps.
[[nodiscard]] SnapTable snap_points(const WalkGraph& graph, std::span<const core::Point> points,
                                    const SnapOptions& options, int threads = 0);

/// The point at `offset_m` along edge `edge` (clamped to the edge).
[[nodiscard]] core::Point point_along(const WalkGraph& graph, std::uint32_t edge, double offset_m);

/// The part of edge `edge` between offsets `from_m` <= `to_m` (clamped), as a line.
[[nodiscard]] core::LineString sub_line(const WalkGraph& graph, std::uint32_t edge, double from_m,
                                        double to_m);

}  // namespace gridplan::graph
