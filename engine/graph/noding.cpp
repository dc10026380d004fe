/// \file
/// Noding the walking network's lines (docs/coverage.md, "Walking network"): the cuts (line ends,
/// same-grade crossings, line ends touching any line) and the merging of cut points closer than
/// the tolerance into nodes.

#include "graph/detail/noding.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include <boost/geometry/index/rtree.hpp>

#include "core/disjoint_sets.hpp"

namespace gridplan::graph::detail {
namespace {

namespace bgi = boost::geometry::index;

using core::Point;

double cross(double ax, double ay, double bx, double by) {
    return ax * by - ay * bx;
}

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
void intersect_segments(const Point& a1,
                        const Point& a2,
                        const Point& b1,
                        const Point& b2,
                        std::uint32_t la,
                        double ka,
                        std::uint32_t lb,
                        double kb,
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

/// Every segment of every line, boxed in an R-tree; a tree entry's id indexes `segments`.
struct SegmentIndex {
    struct Segment {
        std::uint32_t line;
        std::uint32_t k;  ///< from vertex k to k + 1
    };
    using Entry = std::pair<core::Box, std::uint32_t>;

    std::vector<Segment> segments;
    std::vector<Entry> boxes;
    bgi::rtree<Entry, bgi::rstar<16>> tree;

    explicit SegmentIndex(const std::vector<InLine>& lines) {
        for (std::uint32_t l = 0; l < lines.size(); ++l) {
            const auto& pts = lines[l].pts;
            for (std::uint32_t k = 0; k + 1 < pts.size(); ++k) {
                const Point& a = pts[k];
                const Point& b = pts[k + 1];
                boxes.emplace_back(core::Box{{std::min(a.x(), b.x()), std::min(a.y(), b.y())},
                                             {std::max(a.x(), b.x()), std::max(a.y(), b.y())}},
                                   static_cast<std::uint32_t>(segments.size()));
                segments.push_back({l, k});
            }
        }
        tree = bgi::rtree<Entry, bgi::rstar<16>>(boxes.begin(), boxes.end());
    }

    /// The entries whose boxes meet `box`, by segment index.
    void query(const core::Box& box, std::vector<Entry>& found) const {
        found.clear();
        tree.query(bgi::intersects(box), std::back_inserter(found));
        std::sort(found.begin(), found.end(), [](const Entry& x, const Entry& y) {
            return x.second < y.second;
        });
    }
};

/// Crossings and touches of two segments on the same grade (any grade without respect_layers).
void add_crossings(const std::vector<InLine>& lines,
                   const SegmentIndex& index,
                   const GraphOptions& options,
                   std::vector<Cut>& cuts) {
    std::vector<SegmentIndex::Entry> found;
    for (std::uint32_t s = 0; s < index.segments.size(); ++s) {
        const auto& [la, ka] = index.segments[s];
        const Point& a1 = lines[la].pts[ka];
        const Point& a2 = lines[la].pts[ka + 1];
        index.query(index.boxes[s].first, found);
        for (const auto& [box, t] : found) {
            if (t <= s) {
                continue;
            }
            const auto& [lb, kb] = index.segments[t];
            if (lb == la && (kb == ka + 1 || ka == kb + 1)) {
                continue;  // neighbours on one line share a vertex, not a junction
            }
            if (options.respect_layers && !(lines[la].grade == lines[lb].grade)) {
                continue;
            }
            intersect_segments(
                a1, a2, lines[lb].pts[kb], lines[lb].pts[kb + 1], la, ka, lb, kb, cuts);
        }
    }
}

/// Line ends within the tolerance of any line (any grade): T-junctions and bridge ends.
void add_end_touches(const std::vector<InLine>& lines,
                     const SegmentIndex& index,
                     double tol,
                     std::vector<Cut>& cuts) {
    std::vector<SegmentIndex::Entry> found;
    for (std::uint32_t l = 0; l < lines.size(); ++l) {
        const auto& pts = lines[l].pts;
        for (const bool at_start : {true, false}) {
            const Point& p = at_start ? pts.front() : pts.back();
            const std::uint32_t own_k = at_start ? 0U : static_cast<std::uint32_t>(pts.size() - 2);
            index.query(core::Box{{p.x() - tol, p.y() - tol}, {p.x() + tol, p.y() + tol}}, found);
            for (const auto& [box, t] : found) {
                const auto& [lb, kb] = index.segments[t];
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
}

/// A cut point keyed by its tolerance-sized grid cell.
struct CellKeyed {
    std::int64_t cx;
    std::int64_t cy;
    double x;
    double y;
    std::uint32_t cut;
};

/// The cut points sorted by (cell, x, y, cut index).
std::vector<CellKeyed> sorted_by_cell(const std::vector<Cut>& cuts, double cell) {
    std::vector<CellKeyed> keyed(cuts.size());
    for (std::uint32_t i = 0; i < cuts.size(); ++i) {
        const auto& p = cuts[i].p;
        keyed[i] = {static_cast<std::int64_t>(std::floor(p.x() / cell)),
                    static_cast<std::int64_t>(std::floor(p.y() / cell)),
                    p.x(),
                    p.y(),
                    i};
    }
    std::sort(keyed.begin(), keyed.end(), [](const CellKeyed& a, const CellKeyed& b) {
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
        return a.cut < b.cut;
    });
    return keyed;
}

/// Unites the distinct points `reps` closer than `tol`: each cell's points with each other and
/// with the points of the following neighbour cells.
void unite_close_points(const std::vector<CellKeyed>& reps, double tol, core::DisjointSets& sets) {
    const auto cell_less = [](const CellKeyed& e, const std::pair<std::int64_t, std::int64_t>& k) {
        return e.cx != k.first ? e.cx < k.first : e.cy < k.second;
    };
    const auto close = [&](const CellKeyed& a, const CellKeyed& b) {
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
                    unite_lower(sets, reps[a].cut, reps[b].cut);
                }
            }
        }
        // The neighbour cells after this one in sort order: (0,1), (1,-1), (1,0), (1,1).
        const std::int64_t cx = reps[gb].cx;
        const std::int64_t cy = reps[gb].cy;
        for (const auto& [dx, dy] :
             {std::pair<std::int64_t, std::int64_t>{0, 1}, {1, -1}, {1, 0}, {1, 1}}) {
            const std::pair<std::int64_t, std::int64_t> key{cx + dx, cy + dy};
            auto it = std::lower_bound(
                reps.begin() + static_cast<std::ptrdiff_t>(ge), reps.end(), key, cell_less);
            for (; it != reps.end() && it->cx == key.first && it->cy == key.second; ++it) {
                for (std::size_t a = gb; a < ge; ++a) {
                    if (close(reps[a], *it)) {
                        unite_lower(sets, reps[a].cut, it->cut);
                    }
                }
            }
        }
        gb = ge;
    }
}

}  // namespace

double dist(const Point& a, const Point& b) {
    return std::hypot(a.x() - b.x(), a.y() - b.y());
}

void unite_lower(core::DisjointSets& sets, std::uint32_t a, std::uint32_t b) {
    a = sets.find(a);
    b = sets.find(b);
    if (a == b) {
        return;
    }
    if (a < b) {
        sets.attach(b, a);
    } else {
        sets.attach(a, b);
    }
}

std::vector<Cut> find_cuts(const std::vector<InLine>& lines,
                           const GraphOptions& options,
                           double tol) {
    const SegmentIndex index(lines);
    std::vector<Cut> cuts;
    for (std::uint32_t l = 0; l < lines.size(); ++l) {
        const auto& pts = lines[l].pts;
        cuts.push_back({l, 0.0, pts.front()});
        cuts.push_back({l, static_cast<double>(pts.size() - 1), pts.back()});
    }
    add_crossings(lines, index, options, cuts);
    add_end_touches(lines, index, tol, cuts);
    return cuts;
}

// Cuts at one point are many (every junction is found from each pair of its segments): identical
// points are united first, then only distinct points are compared with their own and the
// following neighbour cells (grid of tolerance-sized cells, sorted). The root of a cluster is its
// lowest cut index, so the result does not depend on the order of the unions.
CutNodes merge_cut_points(const std::vector<Cut>& cuts, double tol) {
    const std::size_t n_cuts = cuts.size();
    core::DisjointSets sets(n_cuts);
    {
        const auto keyed = sorted_by_cell(cuts, std::max(tol, 1e-3));
        std::vector<CellKeyed> reps;  // one per distinct point, in the same order
        for (const auto& k : keyed) {
            if (!reps.empty() && reps.back().x == k.x && reps.back().y == k.y) {
                unite_lower(sets, reps.back().cut, k.cut);
            } else {
                reps.push_back(k);
            }
        }
        unite_close_points(reps, tol, sets);
    }
    // Provisional node per cluster root, in cut order.
    CutNodes nodes;
    nodes.node_of_cut.assign(n_cuts, kNone);
    std::vector<std::uint32_t> node_of_root(n_cuts, kNone);
    for (std::uint32_t i = 0; i < n_cuts; ++i) {
        const std::uint32_t r = sets.find(i);
        if (node_of_root[r] == kNone) {
            node_of_root[r] = static_cast<std::uint32_t>(nodes.points.size());
            nodes.points.push_back(cuts[r].p);
        }
        nodes.node_of_cut[i] = node_of_root[r];
    }
    return nodes;
}

}  // namespace gridplan::graph::detail
