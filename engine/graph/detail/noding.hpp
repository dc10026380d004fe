#pragma once
/// \file
/// Noding, the first half of building the walking network (docs/coverage.md, "Walking network"):
/// where the input lines are cut (line ends, same-grade crossings, line ends touching any line)
/// and which cut points merge into one node. walk_graph.cpp turns the result into edges, CSR
/// and components. Private to the graph module.

#include <cstdint>
#include <vector>

#include "core/disjoint_sets.hpp"
#include "core/geometry.hpp"
#include "graph/walk_graph.hpp"

namespace gridplan::graph::detail {

/// Grade of a line: lines meet away from their ends only on the same grade.
struct Grade {
    int layer = 0;
    bool bridge = false;
    bool tunnel = false;
    friend bool operator==(const Grade&, const Grade&) = default;
};

/// One input line after removing repeated vertices.
struct InLine {
    std::vector<core::Point> pts;
    Grade grade;
    std::uint32_t source = 0;  ///< road / line index
};

/// A place where a line is cut: at position pos = k + t on segment k (0 <= t <= 1).
struct Cut {
    std::uint32_t line = 0;
    double pos = 0.0;
    core::Point p;
};

/// The nodes the cuts merge into: cut i lies on node node_of_cut[i], at points[node_of_cut[i]].
/// Nodes are numbered by their first cut (provisional: walk_graph.cpp renumbers them).
struct CutNodes {
    std::vector<std::uint32_t> node_of_cut;
    std::vector<core::Point> points;
};

/// Euclidean distance.
[[nodiscard]] double dist(const core::Point& a, const core::Point& b);

/// Joins the sets of a and b; the lower root survives, so the root of a set is its lowest member
/// whatever the order of the unions.
void unite_lower(core::DisjointSets& sets, std::uint32_t a, std::uint32_t b);

/// Every cut of the lines: both ends of each line first (so merged node points sit on line ends
/// where possible), then crossings and touches on the same grade (any grade when
/// !options.respect_layers), then line ends within `tol` of any line.
[[nodiscard]] std::vector<Cut> find_cuts(const std::vector<InLine>& lines,
                                         const GraphOptions& options,
                                         double tol);

/// Merges cut points closer than `tol` into nodes.
[[nodiscard]] CutNodes merge_cut_points(const std::vector<Cut>& cuts, double tol);

}  // namespace gridplan::graph::detail
