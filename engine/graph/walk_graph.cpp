#include "graph/walk_graph.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <boost/geometry/index/rtree.hpp>

#include "core/error.hpp"

namespace gridplan::graph {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using core::Point;

/// Grade of a line: lines meet away from their ends only on the same grade.
struct Grade {
    int layer = 0;
    bool bridge = false;
    bool tunnel = false;
    friend bool operator==(const Grade&, const Grade&) = default;
};

/// One input line after removing repeated vertices.
struct InLine {
    std::vector<Point> pts;
    Grade grade;
    std::uint32_t source = 0;  ///< road / line index
};

/// A place where a line is cut: at position pos = k + t on segment k (0 <= t <= 1).
struct Cut {
    std::uint32_t line = 0;
    double pos = 0.0;
    Point p;
};

struct UnionFind {
    std::vector<std::uint32_t> parent;
    explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0U); }
    std::uint32_t find(std::uint32_t x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }
    void unite(std::uint32_t a, std::uint32_t b) {
        a = find(a);
        b = find(b);
        if (a == b) {
            return;
        }
        if (a < b) {
            parent[b] = a;
        } else {
            parent[a] = b;
        }
    }
};

double dist(const Point& a, const Point& b) { return std::hypot(a.x() - b.x(), a.y() - b.y()); }

double cross(double ax, double ay, double bx, double by) { return ax * by - ay * bx; }

/// Parameter of the projection of p on segment ab, clamped to [0, 1].
double project(const Point& p, const Point& a, const Point& b) {
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    const double len2 = dx * dx + dy * dy;
    if (len2 <= 0.0) {
        return 0.0;
    }
    return std::clamp(((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / len2, 0.0, 1.0);
}

Point lerp(const Point& a, const Point& b, double t) {
    return {a.x() + t * (b.x() - a.x()), a.y() + t * (b.y() - a.y())};
}

/// Adds the cuts where segments (a1,a2) of line la and (b1,b2) of line lb meet.
void intersect_segments(const Point& a1, const Point& a2, const Point& b1, const Point& b2,
                        std::uint32_t la, double ka, std::uint32_t lb, double kb,
                        std::vector<Cut>& cuts) {
    const double rx = a2.x() - a1.x();
    const double ry = a2.y() - a1.y();
    const double sx = b2.x() - b1.x();
    const double sy = b2.y() - b1.y();
    const double qx = b1.x() - a1.x();
    const double qy = b1.y() - a1.y();
    const double denom = cross(rx, ry, sx, sy);
    const double scale = std::hypot(rx, ry) * std::hypot(sx, sy);
    if (scale <= 0.0) {
        return;
    }
    constexpr double kEps = 1e-12;
    if (std::abs(denom) > kEps * scale) {
        const double t = cross(qx, qy, sx, sy) / denom;
        const double u = cross(qx, qy, rx, ry) / denom;
        constexpr double kSlack = 1e-9;
        if (t < -kSlack || t > 1 + kSlack || u < -kSlack || u > 1 + kSlack) {
            return;
        }
        const double tc = std::clamp(t, 0.0, 1.0);
        const double uc = std::clamp(u, 0.0, 1.0);
        const Point p = lerp(a1, a2, tc);
        cuts.push_back({la, ka + tc, p});
        cuts.push_back({lb, kb + uc, p});
        return;
    }
    // Parallel: only collinear overlaps matter (duplicated lines); cut at the overlap ends.
    if (std::abs(cross(qx, qy, rx, ry)) > 1e-9 * std::hypot(rx, ry) * (1.0 + std::hypot(qx, qy))) {
        return;
    }
    const auto on_segment = [](const Point& p, const Point& s1, const Point& s2) {
        const double t = project(p, s1, s2);
        return std::pair{t, dist(lerp(s1, s2, t), p) <= 1e-9 * (1.0 + dist(s1, s2))};
    };
    for (const Point* p : {&b1, &b2}) {
        const auto [t, on] = on_segment(*p, a1, a2);
        if (on) {
            cuts.push_back({la, ka + t, *p});
            cuts.push_back({lb, kb + (p == &b1 ? 0.0 : 1.0), *p});
        }
    }
    for (const Point* p : {&a1, &a2}) {
        const auto [u, on] = on_segment(*p, b1, b2);
        if (on) {
            cuts.push_back({lb, kb + u, *p});
            cuts.push_back({la, ka + (p == &a1 ? 0.0 : 1.0), *p});
        }
    }
}

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

struct Dropped {
    std::uint32_t source = 0;
    Point at;
    double length_m = 0.0;
};

WalkGraph build(std::vector<InLine> lines, const GraphOptions& options,
                std::vector<Dropped>& dropped) {
    const double tol = std::max(0.0, options.snap_tolerance_m);
    WalkGraph g;

    // Segment index: every segment of every line, boxed.
    using Entry = std::pair<core::Box, std::uint32_t>;
    struct Seg {
        std::uint32_t line;
        std::uint32_t k;
    };
    std::vector<Seg> segs;
    std::vector<Entry> boxes;
    for (std::uint32_t l = 0; l < lines.size(); ++l) {
        const auto& pts = lines[l].pts;
        for (std::uint32_t k = 0; k + 1 < pts.size(); ++k) {
            const Point& a = pts[k];
            const Point& b = pts[k + 1];
            boxes.emplace_back(core::Box{{std::min(a.x(), b.x()), std::min(a.y(), b.y())},
                                         {std::max(a.x(), b.x()), std::max(a.y(), b.y())}},
                               static_cast<std::uint32_t>(segs.size()));
            segs.push_back({l, k});
        }
    }
    const bgi::rtree<Entry, bgi::rstar<16>> tree(boxes.begin(), boxes.end());

    // Cuts: line ends first (so merged node points sit on line ends where possible).
    std::vector<Cut> cuts;
    for (std::uint32_t l = 0; l < lines.size(); ++l) {
        const auto& pts = lines[l].pts;
        cuts.push_back({l, 0.0, pts.front()});
        cuts.push_back({l, static_cast<double>(pts.size() - 1), pts.back()});
    }
    std::vector<Entry> found;
    // Crossings and touches on the same grade.
    for (std::uint32_t s = 0; s < segs.size(); ++s) {
        const auto& [la, ka] = segs[s];
        const Point& a1 = lines[la].pts[ka];
        const Point& a2 = lines[la].pts[ka + 1];
        found.clear();
        tree.query(bgi::intersects(boxes[s].first), std::back_inserter(found));
        std::sort(found.begin(), found.end(),
                  [](const Entry& x, const Entry& y) { return x.second < y.second; });
        for (const auto& [box, t] : found) {
            if (t <= s) {
                continue;
            }
            const auto& [lb, kb] = segs[t];
            if (lb == la && (kb == ka + 1 || ka == kb + 1)) {
                continue;  // neighbours on one line share a vertex, not a junction
            }
            if (options.respect_layers && !(lines[la].grade == lines[lb].grade)) {
                continue;
            }
            intersect_segments(a1, a2, lines[lb].pts[kb], lines[lb].pts[kb + 1], la, ka, lb, kb,
                               cuts);
        }
    }
    // Line ends within the tolerance of any line (any grade): T-junctions and bridge ends.
    for (std::uint32_t l = 0; l < lines.size(); ++l) {
        const auto& pts = lines[l].pts;
        for (const bool at_start : {true, false}) {
            const Point& p = at_start ? pts.front() : pts.back();
            const std::uint32_t own_k =
                at_start ? 0U : static_cast<std::uint32_t>(pts.size() - 2);
            found.clear();
            const core::Box q{{p.x() - tol, p.y() - tol}, {p.x() + tol, p.y() + tol}};
            tree.query(bgi::intersects(q), std::back_inserter(found));
            std::sort(found.begin(), found.end(),
                      [](const Entry& x, const Entry& y) { return x.second < y.second; });
            for (const auto& [box, t] : found) {
                const auto& [lb, kb] = segs[t];
                if (lb == l && kb == own_k) {
                    continue;
                }
                const Point& b1 = lines[lb].pts[kb];
                const Point& b2 = lines[lb].pts[kb + 1];
                const double u = project(p, b1, b2);
                const Point q2 = lerp(b1, b2, u);
                if (dist(p, q2) <= tol) {
                    cuts.push_back({lb, kb + u, q2});
                }
            }
        }
    }

    // Merge cut points closer than the tolerance (grid of tolerance-sized cells, sorted). Cuts
    // at one point are many (every junction is found from each pair of its segments): identical
    // points are united first, then only distinct points are compared with their own and the
    // following neighbour cells. The union-find root of a cluster is its lowest cut index, so
    // the result does not depend on the order of the unions.
    const std::size_t n_cuts = cuts.size();
    UnionFind uf(n_cuts);
    {
        const double cell = std::max(tol, 1e-3);
        struct Keyed {
            std::int64_t cx;
            std::int64_t cy;
            double x;
            double y;
            std::uint32_t i;
        };
        std::vector<Keyed> keyed(n_cuts);
        for (std::uint32_t i = 0; i < n_cuts; ++i) {
            const auto& p = cuts[i].p;
            keyed[i] = {static_cast<std::int64_t>(std::floor(p.x() / cell)),
                        static_cast<std::int64_t>(std::floor(p.y() / cell)), p.x(), p.y(), i};
        }
        std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
            if (a.cx != b.cx) {
                return a.cx < b.cx;
            }
            if (a.cy != b.cy) {
                return a.cy < b.cy;
            }
            if (a.x != b.x) {
                return a.x < b.x;
            }
            if (a.y != b.y) {
                return a.y < b.y;
            }
            return a.i < b.i;
        });
        std::vector<Keyed> reps;  // one per distinct point, in the same order
        for (std::size_t a = 0; a < keyed.size(); ++a) {
            if (!reps.empty() && reps.back().x == keyed[a].x && reps.back().y == keyed[a].y) {
                uf.unite(reps.back().i, keyed[a].i);
            } else {
                reps.push_back(keyed[a]);
            }
        }
        const auto cell_less = [](const Keyed& e, const std::pair<std::int64_t, std::int64_t>& k) {
            return e.cx != k.first ? e.cx < k.first : e.cy < k.second;
        };
        const auto close = [&](const Keyed& a, const Keyed& b) {
            return std::hypot(a.x - b.x, a.y - b.y) <= tol;
        };
        for (std::size_t gb = 0; gb < reps.size();) {
            std::size_t ge = gb + 1;
            while (ge < reps.size() && reps[ge].cx == reps[gb].cx && reps[ge].cy == reps[gb].cy) {
                ++ge;
            }
            for (std::size_t a = gb; a < ge; ++a) {
                for (std::size_t b = a + 1; b < ge; ++b) {
                    if (close(reps[a], reps[b])) {
                        uf.unite(reps[a].i, reps[b].i);
                    }
                }
            }
            // The neighbour cells after this one in sort order: (0,1), (1,-1), (1,0), (1,1).
            const std::int64_t cx = reps[gb].cx;
            const std::int64_t cy = reps[gb].cy;
            for (const auto& [dx, dy] : {std::pair<std::int64_t, std::int64_t>{0, 1},
                                         {1, -1}, {1, 0}, {1, 1}}) {
                const std::pair<std::int64_t, std::int64_t> key{cx + dx, cy + dy};
                auto it = std::lower_bound(reps.begin() + static_cast<std::ptrdiff_t>(ge),
                                           reps.end(), key, cell_less);
                for (; it != reps.end() && it->cx == key.first && it->cy == key.second; ++it) {
                    for (std::size_t a = gb; a < ge; ++a) {
                        if (close(reps[a], *it)) {
                            uf.unite(reps[a].i, it->i);
                        }
                    }
                }
            }
            gb = ge;
        }
    }
    // Provisional node per cluster root, in cut order.
    std::vector<std::uint32_t> node_of_cut(n_cuts, kNone);
    std::vector<std::uint32_t> node_of_root(n_cuts, kNone);
    std::vector<Point> node_pts;
    for (std::uint32_t i = 0; i < n_cuts; ++i) {
        const std::uint32_t r = uf.find(i);
        if (node_of_root[r] == kNone) {
            node_of_root[r] = static_cast<std::uint32_t>(node_pts.size());
            node_pts.push_back(cuts[r].p);
        }
        node_of_cut[i] = node_of_root[r];
    }

    // Cut every line into edges.
    std::vector<std::uint32_t> order(n_cuts);
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
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
        const Cut& c0 = cuts[order[i]];
        const Cut& c1 = cuts[order[i + 1]];
        if (c0.line != c1.line || c1.pos <= c0.pos) {
            continue;
        }
        const auto& pts = lines[c0.line].pts;
        const std::uint32_t n0 = node_of_cut[order[i]];
        const std::uint32_t n1 = node_of_cut[order[i + 1]];
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

    // Keep only nodes that carry edges; number them along a Morton curve.
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

    // CSR, arcs of a node in edge order.
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

    // Components, numbered by their lowest node.
    UnionFind comp(n);
    for (std::size_t e = 0; e < m; ++e) {
        comp.unite(g.edge_from[e], g.edge_to[e]);
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

WalkGraph build_walk_graph(std::span<const core::Road> roads, const GraphOptions& options,
                           core::Ledger& ledger) {
    std::vector<InLine> lines;
    for (std::uint32_t r = 0; r < roads.size(); ++r) {
        const auto& road = roads[r];
        if (!road.walkable) {
            continue;
        }
        auto pts = clean_points(road.line);
        if (pts.size() < 2) {
            core::LedgerEntry row{"roads", road.id, "zero_length", core::Action::warned,
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
    WalkGraph g = build(std::move(lines), options, dropped);
    for (const auto& d : dropped) {
        core::LedgerEntry row{"roads", roads[d.source].id, "zero_length", core::Action::warned,
                              "piece of " + std::to_string(d.length_m) +
                                  " m between merged node points dropped from the walking network"};
        row.x = d.at.x();
        row.y = d.at.y();
        ledger.add(std::move(row));
    }
    return g;
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
    return build(std::move(lines), options, dropped);
}

}  // namespace gridplan::graph
