#pragma once
/// \file
/// The walking network: road centre lines noded into an undirected graph stored as a compact CSR
/// (every edge appears as two arcs). Built once per run; immutable and safe to share between
/// threads afterwards.
///
/// Noding rules (docs/coverage.md, "Walking network"):
/// - a line end within `snap_tolerance_m` of another line (its end, a vertex or the inside of a
///   segment) is joined to it, whatever the grade: this is how bridges and tunnels meet the street;
/// - two lines that cross or touch away from their ends are joined only when they are on the same
///   grade, i.e. equal (layer, bridge, tunnel); a bridge crossing a street is not a junction;
/// - node points closer than `snap_tolerance_m` are merged; pieces shorter than the tolerance
///   between two merged points are dropped with a ledger row (reason `zero_length`).

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "core/geometry.hpp"
#include "core/ledger.hpp"
#include "core/scene.hpp"

namespace gridplan::graph {

/// How road lines become a graph.
struct GraphOptions {
    double snap_tolerance_m = 0.5;  ///< line ends and node points closer than this are merged
    bool respect_layers = true;  ///< false: join every crossing whatever layer/bridge/tunnel says
};

/// One connected component of the walking network.
struct ComponentInfo {
    std::uint32_t nodes = 0;
    std::uint32_t edges = 0;
    double length_m = 0.0;
};

/// Marker for "no such node / edge".
inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

/// The noded walking network. Edge e runs from edge_from[e] to edge_to[e] along
/// edge_geometry[e] (first point = node edge_from[e], last point = node edge_to[e]).
/// Arcs of node n are first_out[n] .. first_out[n+1]; arc a leads to head[a] over edge arc_edge[a]
/// with length arc_length_m[a]. Nodes are numbered along a Morton (Z-order) curve for locality.
struct WalkGraph {
    std::vector<core::Point> nodes;
    std::vector<std::uint32_t> first_out;  ///< size nodes.size() + 1
    std::vector<std::uint32_t> head;       ///< per arc
    std::vector<std::uint32_t> arc_edge;   ///< per arc
    std::vector<double> arc_length_m;      ///< per arc (copy of the edge length, for the search)

    std::vector<double> edge_length_m;
    std::vector<std::uint32_t> edge_from;
    std::vector<std::uint32_t> edge_to;
    std::vector<core::LineString> edge_geometry;
    std::vector<std::uint32_t> edge_road;  ///< source road (or line) index

    std::vector<std::uint32_t> component_of_node;
    std::vector<ComponentInfo> components;  ///< numbered by their lowest node

    [[nodiscard]] std::size_t node_count() const noexcept { return nodes.size(); }
    [[nodiscard]] std::size_t edge_count() const noexcept { return edge_length_m.size(); }
    [[nodiscard]] std::uint32_t component_of_edge(std::uint32_t edge) const {
        return component_of_node[edge_from[edge]];
    }
    /// Total length of all edges (metres).
    [[nodiscard]] double total_length_m() const noexcept;
};

/// The walking network and the ledger rows of building it.
struct Result {
    WalkGraph graph;
    core::Ledger ledger;  ///< zero-length roads and pieces dropped from the network
};

/// Builds the walking network from the walkable roads (roads with walkable == false are ignored).
/// Zero-length pieces are dropped with a ledger row (layer "roads", reason `zero_length`, action
/// warned, located at the piece). Never throws on data; throws core::Error{internal} on a bug.
[[nodiscard]] Result build_walk_graph(std::span<const core::Road> roads,
                                      const GraphOptions& options);

/// Builds the walking network from plain lines, all on one grade (benchmarks, synthetic grids).
/// edge_road holds the line index. Zero-length pieces are dropped without a ledger.
[[nodiscard]] WalkGraph build_walk_graph(std::span<const core::LineString> lines,
                                         const GraphOptions& options);

}  // namespace gridplan::graph
