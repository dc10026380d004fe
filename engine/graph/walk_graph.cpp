/// \file
/// The walking network from road lines (docs/coverage.md, "Walking network"): the driver `build`
/// runs the noding (graph/noding.cpp: cuts and merged node points), then cuts the lines into
/// edges, numbers the nodes along a Morton curve, lays out the CSR arcs and finds the components.

#include "graph/walk_graph.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <boost/geometry/algorithms/expand.hpp>

#include "core/disjoint_sets.hpp"
#include "core/error.hpp"
#include "graph/detail/noding.hpp"

namespace gridplan::graph {
namespace {

namespace bg = boost::geometry;

using core::Point;
using detail::Cut;
using detail::CutNodes;
using detail::dist;
using detail::Grade;
using detail::InLine;

std::uint32_t morton(std::uint32_t x, std::uint32_t y) {
    const auto spread = [](std::uint32_t v) {
        v &= 0xFFFFU;
        v = (v | (v << 8U)) & 0x00FF00FFU;
        v = (v | (v << 4U)) & 0x0F0F0F0FU;
        v = (v | (v << 2U)) & 0x33333333U;
        v = (v | (v << 1U)) & 0x55555555U;
        return v;
    };
    return spread(x) | (spread(y) << 1U);
}

/// A piece of line dropped from the network (too short between merged node points).
struct Dropped {
    std::uint32_t source = 0;
    Point at;
    double length_m = 0.0;
};

/// Cuts every line into edges between consecutive cuts (edge_from/edge_to hold provisional
/// nodes). Pieces that collapse (a loop no longer than 2 * tol, or no length) go to `dropped`.
void cut_lines_into_edges(const std::vector<InLine>& lines,
                          const std::vector<Cut>& cuts,
                          const CutNodes& nodes,
                          double tol,
                          WalkGraph& g,
                          std::vector<Dropped>& dropped) {
    std::vector<std::uint32_t> order(cuts.size());
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (cuts[a].line != cuts[b].line) {
            return cuts[a].line < cuts[b].line;
        }
        if (cuts[a].pos != cuts[b].pos) {
            return cuts[a].pos < cuts[b].pos;
        }
        return a < b;
    });
    const auto& node_pts = nodes.points;
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
        const Cut& c0 = cuts[order[i]];
        const Cut& c1 = cuts[order[i + 1]];
        if (c0.line != c1.line || c1.pos <= c0.pos) {
            continue;
        }
        const auto& pts = lines[c0.line].pts;
        const std::uint32_t n0 = nodes.node_of_cut[order[i]];
        const std::uint32_t n1 = nodes.node_of_cut[order[i + 1]];
        core::LineString geom;
        geom.push_back(node_pts[n0]);
        const auto first_k = static_cast<std::size_t>(std::floor(c0.pos)) + 1;
        for (std::size_t k = first_k; static_cast<double>(k) < c1.pos && k < pts.size(); ++k) {
            if (dist(pts[k], geom.back()) > 0.0) {
                geom.push_back(pts[k]);
            }
        }
        if (dist(node_pts[n1], geom.back()) > 0.0 || geom.size() == 1) {
            geom.push_back(node_pts[n1]);
        }
        double length = 0.0;
        for (std::size_t k = 0; k + 1 < geom.size(); ++k) {
            length += dist(geom[k], geom[k + 1]);
        }
        // The true length of the piece of line (the geometry may have moved by merged nodes).
        if (n0 == n1 && length <= 2.0 * tol) {
            dropped.push_back({lines[c0.line].source, c0.p, length});
            continue;
        }
        if (length <= 0.0) {
            dropped.push_back({lines[c0.line].source, c0.p, length});
            continue;
        }
        g.edge_from.push_back(n0);
        g.edge_to.push_back(n1);
        g.edge_length_m.push_back(length);
        g.edge_geometry.push_back(std::move(geom));
        g.edge_road.push_back(lines[c0.line].source);
    }
}

/// Keeps only the provisional nodes that carry edges, numbered along a Morton curve over their
/// bounding box, and renumbers the edge ends.
void number_nodes(const std::vector<Point>& node_pts, WalkGraph& g) {
    const std::size_t n_prov = node_pts.size();
    std::vector<char> used(n_prov, 0);
    for (std::size_t e = 0; e < g.edge_from.size(); ++e) {
        used[g.edge_from[e]] = 1;
        used[g.edge_to[e]] = 1;
    }
    core::Box bounds{{0, 0}, {0, 0}};
    bool first = true;
    for (std::size_t i = 0; i < n_prov; ++i) {
        if (used[i] == 0) {
            continue;
        }
        if (first) {
            bounds = core::Box{node_pts[i], node_pts[i]};
            first = false;
        } else {
            bg::expand(bounds, node_pts[i]);
        }
    }
    const double span_x = std::max(1e-9, bounds.max_corner().x() - bounds.min_corner().x());
    const double span_y = std::max(1e-9, bounds.max_corner().y() - bounds.min_corner().y());
    std::vector<std::pair<std::uint32_t, std::uint32_t>> keyed;
    for (std::uint32_t i = 0; i < n_prov; ++i) {
        if (used[i] == 0) {
            continue;
        }
        const auto qx = static_cast<std::uint32_t>(
            65535.0 * (node_pts[i].x() - bounds.min_corner().x()) / span_x);
        const auto qy = static_cast<std::uint32_t>(
            65535.0 * (node_pts[i].y() - bounds.min_corner().y()) / span_y);
        keyed.emplace_back(morton(qx, qy), i);
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::uint32_t> renum(n_prov, kNone);
    g.nodes.reserve(keyed.size());
    for (const auto& [key, old] : keyed) {
        renum[old] = static_cast<std::uint32_t>(g.nodes.size());
        g.nodes.push_back(node_pts[old]);
    }
    for (std::size_t e = 0; e < g.edge_from.size(); ++e) {
        g.edge_from[e] = renum[g.edge_from[e]];
        g.edge_to[e] = renum[g.edge_to[e]];
    }
}

/// The CSR arcs: two per edge, the arcs of a node in edge order.
void lay_out_arcs(WalkGraph& g) {
    const std::size_t n = g.nodes.size();
    const std::size_t m = g.edge_from.size();
    g.first_out.assign(n + 1, 0);
    for (std::size_t e = 0; e < m; ++e) {
        ++g.first_out[g.edge_from[e] + 1];
        ++g.first_out[g.edge_to[e] + 1];
    }
    for (std::size_t i = 0; i < n; ++i) {
        g.first_out[i + 1] += g.first_out[i];
    }
    g.head.resize(2 * m);
    g.arc_edge.resize(2 * m);
    g.arc_length_m.resize(2 * m);
    std::vector<std::uint32_t> fill(g.first_out.begin(), g.first_out.end() - 1);
    for (std::uint32_t e = 0; e < m; ++e) {
        const std::uint32_t u = g.edge_from[e];
        const std::uint32_t v = g.edge_to[e];
        const std::uint32_t a = fill[u]++;
        g.head[a] = v;
        g.arc_edge[a] = e;
        g.arc_length_m[a] = g.edge_length_m[e];
        const std::uint32_t b = fill[v]++;
        g.head[b] = u;
        g.arc_edge[b] = e;
        g.arc_length_m[b] = g.edge_length_m[e];
    }
}

/// The connected components, numbered by their lowest node, with their sizes and lengths.
void find_components(WalkGraph& g) {
    const std::size_t n = g.nodes.size();
    const std::size_t m = g.edge_from.size();
    core::DisjointSets comp(n);
    for (std::size_t e = 0; e < m; ++e) {
        detail::unite_lower(comp, g.edge_from[e], g.edge_to[e]);
    }
    g.component_of_node.assign(n, kNone);
    std::vector<std::uint32_t> id_of_root(n, kNone);
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint32_t r = comp.find(i);
        if (id_of_root[r] == kNone) {
            id_of_root[r] = static_cast<std::uint32_t>(g.components.size());
            g.components.emplace_back();
        }
        g.component_of_node[i] = id_of_root[r];
        ++g.components[id_of_root[r]].nodes;
    }
    for (std::size_t e = 0; e < m; ++e) {
        auto& c = g.components[g.component_of_node[g.edge_from[e]]];
        ++c.edges;
        c.length_m += g.edge_length_m[e];
    }
}

/// The walking network of cleaned lines, step by step.
WalkGraph build(const std::vector<InLine>& lines,
                const GraphOptions& options,
                std::vector<Dropped>& dropped) {
    const double tol = std::max(0.0, options.snap_tolerance_m);
    const std::vector<Cut> cuts = detail::find_cuts(lines, options, tol);
    const CutNodes nodes = detail::merge_cut_points(cuts, tol);
    WalkGraph g;
    cut_lines_into_edges(lines, cuts, nodes, tol, g, dropped);
    number_nodes(nodes.points, g);
    lay_out_arcs(g);
    find_components(g);
    return g;
}

std::vector<Point> clean_points(const core::LineString& line) {
    std::vector<Point> pts;
    pts.reserve(line.size());
    for (const auto& p : line) {
        if (!std::isfinite(p.x()) || !std::isfinite(p.y())) {
            continue;
        }
        if (pts.empty() || dist(pts.back(), p) > 0.0) {
            pts.push_back(p);
        }
    }
    return pts;
}

}  // namespace

double WalkGraph::total_length_m() const noexcept {
    double total = 0.0;
    for (const double l : edge_length_m) {
        total += l;
    }
    return total;
}

Result build_walk_graph(std::span<const core::Road> roads, const GraphOptions& options) {
    Result result;
    auto& ledger = result.ledger;
    std::vector<InLine> lines;
    for (std::uint32_t r = 0; r < roads.size(); ++r) {
        const auto& road = roads[r];
        if (!road.walkable) {
            continue;
        }
        auto pts = clean_points(road.line);
        if (pts.size() < 2) {
            core::LedgerEntry row{"roads",
                                  road.id,
                                  "zero_length",
                                  core::Action::warned,
                                  "walkable road has no length; not part of the walking network"};
            if (!road.line.empty()) {
                row.x = road.line.front().x();
                row.y = road.line.front().y();
            }
            ledger.add(std::move(row));
            continue;
        }
        lines.push_back({std::move(pts), Grade{road.layer, road.bridge, road.tunnel}, r});
    }
    std::vector<Dropped> dropped;
    result.graph = build(lines, options, dropped);
    for (const auto& d : dropped) {
        core::LedgerEntry row{"roads",
                              roads[d.source].id,
                              "zero_length",
                              core::Action::warned,
                              "piece of " + std::to_string(d.length_m) +
                                  " m between merged node points dropped from the walking network"};
        row.x = d.at.x();
        row.y = d.at.y();
        ledger.add(std::move(row));
    }
    return result;
}

WalkGraph build_walk_graph(std::span<const core::LineString> input, const GraphOptions& options) {
    std::vector<InLine> lines;
    for (std::uint32_t i = 0; i < input.size(); ++i) {
        auto pts = clean_points(input[i]);
        if (pts.size() >= 2) {
            lines.push_back({std::move(pts), Grade{}, i});
        }
    }
    std::vector<Dropped> dropped;
    return build(lines, options, dropped);
}

}  // namespace gridplan::graph
