// Service-circle polygons, filled blocks, the polygon self-check and gap polygons
// (docs/coverage.md, "Service circles"). Built from the exact reachable intervals on edges.

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <map>
#include <numeric>
#include <span>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/error.hpp"
#include "coverage/detail.hpp"
#include "geom/area_union.hpp"
#include "geom/prepared.hpp"
#include "graph/parallel.hpp"

namespace gridplan::coverage::detail {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using core::Point;
using graph::kNone;

constexpr double kTiny = 1e-6;
/// Narrowest slit cut along an unreached street (a covered access point lying on an unreached
/// street, e.g. above a tunnel, leaves that street uncut; the self-check then reports it).
constexpr double kMinSlit = 1e-4;

/// Node labels and seeds of one circle: one facility's search, or a kind's multi-source search.
struct View {
    const Reach* reach = nullptr;
    const std::vector<double>* node_distance = nullptr;
    std::span<const Seed> seeds;

    struct At {
        bool touched = false;
        double du = kUnreached;
        double dv = kUnreached;
        std::span<const Seed> seeds;
    };
    [[nodiscard]] At at(const graph::WalkGraph& g, std::uint32_t e) const {
        At out;
        out.seeds = seeds_on_edge(seeds, e);
        if (reach != nullptr) {
            const auto it = std::lower_bound(
                reach->edges.begin(), reach->edges.end(), e,
                [](const EdgeReach& r, std::uint32_t x) { return r.edge < x; });
            if (it != reach->edges.end() && it->edge == e) {
                out.du = it->du;
                out.dv = it->dv;
            }
        } else {
            out.du = (*node_distance)[g.edge_from[e]];
            out.dv = (*node_distance)[g.edge_to[e]];
        }
        out.touched = out.du != kUnreached || out.dv != kUnreached || !out.seeds.empty();
        return out;
    }
};

/// True when the whole edge is within `budget`.
bool fully_reached(const graph::WalkGraph& g, std::uint32_t e, const View::At& at, double budget,
                   std::vector<std::pair<double, double>>& iv) {
    if (!at.touched) {
        return false;
    }
    iv.clear();
    const double length = g.edge_length_m[e];
    reach_intervals(length, at.du, at.dv, at.seeds, budget, iv);
    merge_intervals(iv);
    return iv.size() == 1 && iv.front().first <= kTiny && iv.front().second >= length - kTiny;
}

/// Appends the unreached pieces of edge e (farther than budget + epsilon) as lines.
void unreached_pieces(const graph::WalkGraph& g, std::uint32_t e, const View::At& at,
                      double budget, double epsilon, std::vector<core::LineString>& out,
                      std::vector<std::pair<double, double>>& iv) {
    const double length = g.edge_length_m[e];
    iv.clear();
    if (at.touched) {
        reach_intervals(length, at.du, at.dv, at.seeds, budget + epsilon, iv);
        merge_intervals(iv);
    }
    double from = 0.0;
    for (const auto& [a, b] : iv) {
        if (a - from > kTiny) {
            out.push_back(graph::sub_line(g, e, from, a));
        }
        from = std::max(from, b);
    }
    if (length - from > kTiny) {
        out.push_back(graph::sub_line(g, e, from, length));
    }
}

/// Cumulative vertex offsets of an edge geometry.
std::vector<double> vertex_offsets(const core::LineString& line) {
    std::vector<double> out{0.0};
    for (std::size_t k = 0; k + 1 < line.size(); ++k) {
        out.push_back(out.back() + bg::distance(line[k], line[k + 1]));
    }
    return out;
}

/// The strips of one edge for one circle: width w(x) = min(a, budget - D(x)).
void edge_strips(const graph::WalkGraph& g, std::uint32_t e, const View::At& at, double budget,
                 double a, geom::AreaPieces& pieces,
                 std::vector<std::pair<std::uint32_t, double>>& node_disks) {
    const double length = g.edge_length_m[e];
    const auto D = [&](double x) {
        return distance_on_edge(length, x, at.du, 0, at.dv, 0, at.seeds).distance_m;
    };
    std::vector<double> xs{0.0, length};
    std::vector<double> up;
    std::vector<double> down;
    if (at.du != kUnreached) {
        up.push_back(at.du);
    }
    if (at.dv != kUnreached) {
        down.push_back(at.dv + length);
    }
    for (const auto& s : at.seeds) {
        xs.push_back(s.offset_m);
        up.push_back(s.access_m - s.offset_m);
        down.push_back(s.access_m + s.offset_m);
    }
    for (const double c1 : up) {
        for (const double c2 : down) {
            xs.push_back((c2 - c1) / 2);
        }
    }
    for (auto& x : xs) {
        x = std::clamp(x, 0.0, length);
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    // D is linear between consecutive xs; add the points where it meets budget - a and budget.
    std::vector<double> more;
    for (std::size_t i = 0; i + 1 < xs.size(); ++i) {
        const double d0 = D(xs[i]);
        const double d1 = D(xs[i + 1]);
        for (const double level : {budget - a, budget}) {
            if ((d0 - level) * (d1 - level) < 0) {
                more.push_back(xs[i] + (level - d0) / (d1 - d0) * (xs[i + 1] - xs[i]));
            }
        }
    }
    const auto& line = g.edge_geometry[e];
    const auto offsets = vertex_offsets(line);
    xs.insert(xs.end(), more.begin(), more.end());
    xs.insert(xs.end(), offsets.begin() + 1, offsets.end() - 1);
    for (auto& x : xs) {
        x = std::clamp(x, 0.0, length);
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end(),
                         [](double p, double q) { return std::abs(p - q) <= 1e-9; }),
             xs.end());
    std::vector<double> w(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        w[i] = std::min(a, budget - D(xs[i]));
    }
    const auto full = [&](double width) { return width >= a - 1e-9; };
    double run_start = -1.0;
    double run_end = -1.0;
    const auto close_run = [&] {
        if (run_start < 0) {
            return;
        }
        if (run_start <= kTiny && run_end >= length - kTiny) {
            pieces.round_lines.push_back(line);
        } else if (run_end - run_start > kTiny) {
            pieces.flat_lines.push_back(graph::sub_line(g, e, run_start, run_end));
        }
        run_start = -1.0;
    };
    for (std::size_t i = 0; i + 1 < xs.size(); ++i) {
        if (full(w[i]) && full(w[i + 1])) {
            if (run_start < 0) {
                run_start = xs[i];
            }
            run_end = xs[i + 1];
            continue;
        }
        close_run();
        const double w0 = std::max(0.0, w[i]);
        const double w1 = std::max(0.0, w[i + 1]);
        if (std::max(w0, w1) <= kTiny) {
            continue;
        }
        const Point p0 = graph::point_along(g, e, xs[i]);
        const Point p1 = graph::point_along(g, e, xs[i + 1]);
        const double dx = p1.x() - p0.x();
        const double dy = p1.y() - p0.y();
        const double len = std::hypot(dx, dy);
        if (len <= kTiny) {
            continue;
        }
        const double nx = -dy / len;
        const double ny = dx / len;
        core::Polygon poly;
        auto& ring = poly.outer();
        ring.push_back({p0.x() + nx * w0, p0.y() + ny * w0});
        if (w1 > kTiny) {
            ring.push_back({p1.x() + nx * w1, p1.y() + ny * w1});
            ring.push_back({p1.x() - nx * w1, p1.y() - ny * w1});
        } else {
            ring.push_back(p1);
        }
        if (w0 > kTiny) {
            ring.push_back({p0.x() - nx * w0, p0.y() - ny * w0});
        } else {
            ring.front() = p0;
        }
        ring.push_back(ring.front());
        bg::correct(poly);
        pieces.polygons.push_back(std::move(poly));
    }
    close_run();
    // Round joins at bends inside tapered parts, round ends at nodes.
    for (std::size_t k = 1; k + 1 < offsets.size(); ++k) {
        const double wk = std::min(a, budget - D(offsets[k]));
        if (wk > kTiny && wk < a - 1e-9) {
            pieces.disk_centres.push_back(line[k]);
            pieces.disk_radii.push_back(wk);
        }
    }
    const bool whole_run = std::all_of(w.begin(), w.end(), full);
    if (!whole_run && w.front() > kTiny) {
        node_disks.emplace_back(g.edge_from[e], w.front());
    }
    if (!whole_run && w.back() > kTiny) {
        node_disks.emplace_back(g.edge_to[e], w.back());
    }
}

/// A block: a bounded face of the walking network.
struct Block {
    core::Polygon polygon;
    core::Box box;
    std::vector<std::uint32_t> edges;      ///< ascending, unique (incl. dangles inside)
    std::vector<std::uint32_t> buildings;  ///< access point inside, ascending
};

/// Traces the faces of the (planar part of the) network and keeps the blocks that can be filled:
/// a simple ring, area <= max_area, no other street inside.
std::vector<Block> trace_blocks(const graph::WalkGraph& g, const graph::EdgeIndex& index,
                                std::span<const Point> access, double max_area, int threads) {
    const std::size_t n_arcs = g.head.size();
    // Direction of each arc as it leaves its node.
    std::vector<std::uint32_t> tail(n_arcs);
    for (std::uint32_t n = 0; n < g.node_count(); ++n) {
        for (std::uint32_t a = g.first_out[n]; a < g.first_out[n + 1]; ++a) {
            tail[a] = n;
        }
    }
    std::vector<double> angle(n_arcs, 0.0);
    std::vector<std::uint32_t> twin(n_arcs, kNone);
    {
        std::vector<std::uint32_t> arc_from(g.edge_count(), kNone);
        std::vector<std::uint32_t> arc_to(g.edge_count(), kNone);
        for (std::uint32_t a = 0; a < n_arcs; ++a) {
            const std::uint32_t e = g.arc_edge[a];
            if (g.edge_from[e] == g.edge_to[e]) {
                continue;  // loops are not traced
            }
            if (tail[a] == g.edge_from[e]) {
                arc_from[e] = a;
            } else {
                arc_to[e] = a;
            }
        }
        for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
            if (arc_from[e] == kNone || arc_to[e] == kNone) {
                continue;
            }
            twin[arc_from[e]] = arc_to[e];
            twin[arc_to[e]] = arc_from[e];
            const auto& line = g.edge_geometry[e];
            const auto& p0 = line[0];
            const auto& p1 = line[1];
            const auto& q0 = line[line.size() - 1];
            const auto& q1 = line[line.size() - 2];
            angle[arc_from[e]] = std::atan2(p1.y() - p0.y(), p1.x() - p0.x());
            angle[arc_to[e]] = std::atan2(q1.y() - q0.y(), q1.x() - q0.x());
        }
    }
    // Arcs of each node in counter-clockwise order; position of each arc in it.
    std::vector<std::uint32_t> ccw(n_arcs);
    std::vector<std::uint32_t> pos(n_arcs);
    for (std::uint32_t n = 0; n < g.node_count(); ++n) {
        const std::uint32_t b = g.first_out[n];
        const std::uint32_t e = g.first_out[n + 1];
        std::iota(ccw.begin() + b, ccw.begin() + e, b);
        std::sort(ccw.begin() + b, ccw.begin() + e, [&](std::uint32_t x, std::uint32_t y) {
            return angle[x] != angle[y] ? angle[x] < angle[y] : x < y;
        });
        for (std::uint32_t i = b; i < e; ++i) {
            pos[ccw[i]] = i;
        }
    }
    const auto next = [&](std::uint32_t a) -> std::uint32_t {
        const std::uint32_t t = twin[a];
        const std::uint32_t n = tail[t];
        const std::uint32_t b = g.first_out[n];
        const std::uint32_t deg = g.first_out[n + 1] - b;
        std::uint32_t p = pos[t] - b;
        // The arc just clockwise of the way back, skipping untraced loop arcs.
        for (std::uint32_t i = 0; i < deg; ++i) {
            p = (p + deg - 1) % deg;
            if (twin[ccw[b + p]] != kNone) {
                return ccw[b + p];
            }
        }
        return t;
    };
    std::vector<char> seen(n_arcs, 0);
    std::vector<std::vector<std::uint32_t>> faces;
    for (std::uint32_t a0 = 0; a0 < n_arcs; ++a0) {
        if (seen[a0] != 0 || twin[a0] == kNone) {
            continue;
        }
        std::vector<std::uint32_t> cycle;
        std::uint32_t a = a0;
        while (seen[a] == 0) {
            seen[a] = 1;
            cycle.push_back(a);
            a = next(a);
        }
        faces.push_back(std::move(cycle));
    }
    // Candidate blocks, built in parallel, kept in face order.
    std::vector<std::optional<Block>> built(faces.size());
    using PEntry = std::pair<Point, std::uint32_t>;
    std::vector<PEntry> pts;
    for (std::uint32_t b = 0; b < access.size(); ++b) {
        pts.emplace_back(access[b], b);
    }
    const bgi::rtree<PEntry, bgi::quadratic<16>> bld_tree(pts.begin(), pts.end());
    graph::parallel_chunks(faces.size(), threads, 256,
                           [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t f = begin; f < end; ++f) {
            const auto& cycle = faces[f];
            // Edges traversed on both sides are dangles: part of the block, not of its ring.
            std::vector<std::uint32_t> edges;
            for (const auto a : cycle) {
                edges.push_back(g.arc_edge[a]);
            }
            std::vector<std::uint32_t> sorted = edges;
            std::sort(sorted.begin(), sorted.end());
            core::Polygon poly;
            auto& ring = poly.outer();
            for (const auto a : cycle) {
                const std::uint32_t e = g.arc_edge[a];
                if (std::count(sorted.begin(), sorted.end(), e) > 1) {
                    continue;
                }
                const auto& line = g.edge_geometry[e];
                if (tail[a] == g.edge_from[e]) {
                    ring.insert(ring.end(), line.begin(), line.end() - 1);
                } else {
                    ring.insert(ring.end(), line.rbegin(), line.rend() - 1);
                }
            }
            if (ring.size() < 3) {
                continue;
            }
            ring.push_back(ring.front());
            const double signed_area = bg::area(poly);  // bg: clockwise positive
            // Bounded faces are traced counter-clockwise (negative for bg).
            if (signed_area >= 0 || -signed_area > max_area) {
                continue;
            }
            bg::correct(poly);
            if (!bg::is_valid(poly)) {
                continue;
            }
            Block block;
            block.box = bg::return_envelope<core::Box>(poly);
            sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
            block.edges = sorted;
            // No other street inside the block (bridges over it, islands of other components).
            bool clean = true;
            for (const auto e : index.edges_in(block.box)) {
                if (std::binary_search(block.edges.begin(), block.edges.end(), e)) {
                    continue;
                }
                core::MultiLineString inside;
                bg::intersection(g.edge_geometry[e], poly, inside);
                if (bg::length(inside) > 1e-6) {
                    clean = false;
                    break;
                }
            }
            if (!clean) {
                continue;
            }
            std::vector<PEntry> found;
            bld_tree.query(bgi::intersects(block.box), std::back_inserter(found));
            for (const auto& [p, b] : found) {
                if (bg::covered_by(p, poly)) {
                    block.buildings.push_back(b);
                }
            }
            std::sort(block.buildings.begin(), block.buildings.end());
            block.polygon = std::move(poly);
            built[f] = std::move(block);
        }
    });
    std::vector<Block> blocks;
    for (auto& b : built) {
        if (b) {
            blocks.push_back(std::move(*b));
        }
    }
    return blocks;
}

/// Everything a circle needs to know about which buildings are covered.
struct Coverage {
    std::function<bool(std::uint32_t)> covered;  ///< building covered in this circle
    std::vector<std::uint32_t> covered_list;     ///< ascending
};

struct Shared {
    const core::Scene& scene;
    const graph::WalkGraph& g;
    const graph::EdgeIndex& index;
    const Result& result;
    const PolygonOptions& po;
    const std::vector<Block>& blocks;
    const bgi::rtree<std::pair<core::Box, std::uint32_t>, bgi::quadratic<16>>& block_tree;
    const bgi::rtree<std::pair<Point, std::uint32_t>, bgi::quadratic<16>>& bld_tree;
};

/// The best snap position of building b under a view (for its access-leg corridor).
std::optional<Point> best_snap_point(const Shared& sh, const View& view, std::uint32_t b) {
    double best = kUnreached;
    std::optional<Point> out;
    for (const auto& s : sh.result.building_snaps.of(b)) {
        const auto at = view.at(sh.g, s.edge);
        const double d =
            s.access_m + distance_on_edge(sh.g.edge_length_m[s.edge], s.offset_m, at.du, 0, at.dv,
                                          0, at.seeds)
                             .distance_m;
        if (d < best) {
            best = d;
            out = graph::point_along(sh.g, s.edge, s.offset_m);
        }
    }
    return out;
}

/// Fix-ups and self-check: add access-leg corridors for covered buildings left outside, cut
/// notches around uncovered access points and slits along unreached streets inside, check.
void finish_circle(const Shared& sh, const View& view, double budget, const Coverage& cov,
                   core::MultiPolygon area, ServiceCircle& out) {
    const auto& po = sh.po;
    const int qs = po.quadrant_segments;
    const auto& access = sh.result.access_points;
    std::vector<std::pair<double, double>> iv;
    // 1. Legs.
    {
        const geom::PreparedArea prepared(area);
        geom::AreaPieces legs;
        legs.width_m = po.leg_width_m;
        for (const auto b : cov.covered_list) {
            if (!prepared.covers(access[b])) {
                if (const auto q = best_snap_point(sh, view, b)) {
                    legs.round_lines.push_back(core::LineString{*q, access[b]});
                    ++out.legs;
                }
            }
        }
        if (!legs.empty()) {
            area = geom::union_with(area, legs, qs);
        }
    }
    // 2. Notches and slits.
    if (!area.empty()) {
        const geom::PreparedArea prepared(area);
        const auto box = bg::return_envelope<core::Box>(area);
        geom::AreaPieces holes;
        std::vector<std::pair<Point, std::uint32_t>> found;
        sh.bld_tree.query(bgi::intersects(box), std::back_inserter(found));
        std::sort(found.begin(), found.end(),
                  [](const auto& x, const auto& y) { return x.second < y.second; });
        for (const auto& [p, b] : found) {
            if (cov.covered(b) || !prepared.covers(p)) {
                continue;
            }
            double r = po.notch_radius_m;
            std::vector<std::pair<Point, std::uint32_t>> near;
            const double q = 2 * po.notch_radius_m;
            sh.bld_tree.query(bgi::intersects(core::Box{{p.x() - q, p.y() - q}, {p.x() + q, p.y() + q}}),
                              std::back_inserter(near));
            for (const auto& [p2, b2] : near) {
                if (b2 != b && cov.covered(b2)) {
                    r = std::min(r, 0.5 * bg::distance(p, p2));
                }
            }
            if (r > 1e-3) {
                holes.disk_centres.push_back(p);
                holes.disk_radii.push_back(r);
                ++out.notches;
            }
        }
        // Slits along unreached street pieces. A slit never reaches a covered access point: its
        // half width is at most half the distance from the piece to the nearest covered access
        // point (a building next to a tunnel or a passage that the walk does not reach).
        holes.width_m = po.carve_width_m;
        std::vector<core::LineString> pieces;
        for (const auto e : sh.index.edges_in(box)) {
            pieces.clear();
            unreached_pieces(sh.g, e, view.at(sh.g, e), budget, po.unreached_epsilon_m, pieces, iv);
            for (auto& line : pieces) {
                if (!prepared.intersects(line)) {
                    continue;
                }
                double width = po.carve_width_m;
                auto near_box = bg::return_envelope<core::Box>(line);
                near_box.min_corner() = {near_box.min_corner().x() - 2 * width,
                                         near_box.min_corner().y() - 2 * width};
                near_box.max_corner() = {near_box.max_corner().x() + 2 * width,
                                         near_box.max_corner().y() + 2 * width};
                found.clear();
                sh.bld_tree.query(bgi::intersects(near_box), std::back_inserter(found));
                for (const auto& [p, b] : found) {
                    if (cov.covered(b)) {
                        width = std::min(width, 0.5 * bg::distance(p, line));
                    }
                }
                if (width > kMinSlit) {
                    holes.round_lines.push_back(std::move(line));
                    holes.round_line_widths.push_back(width);
                    ++out.carves;
                }
            }
        }
        if (!holes.empty()) {
            area = geom::subtract(area, holes, qs);
        }
    }
    // 3. Self-check.
    SelfCheck check;
    check.invalid = geom::is_valid_area(area) ? 0 : 1;
    const geom::PreparedArea prepared(area);
    for (const auto b : cov.covered_list) {
        ++check.buildings_checked;
        if (!prepared.covers(access[b])) {
            ++check.covered_outside;
        }
    }
    if (!area.empty()) {
        const auto box = bg::return_envelope<core::Box>(area);
        std::vector<std::pair<Point, std::uint32_t>> found;
        sh.bld_tree.query(bgi::intersects(box), std::back_inserter(found));
        for (const auto& [p, b] : found) {
            if (!cov.covered(b)) {
                ++check.buildings_checked;
                if (prepared.covers(p)) {
                    ++check.uncovered_inside;
                }
            }
        }
        std::vector<core::LineString> pieces;
        for (const auto e : sh.index.edges_in(box)) {
            pieces.clear();
            unreached_pieces(sh.g, e, view.at(sh.g, e), budget, po.unreached_epsilon_m, pieces, iv);
            for (const auto& line : pieces) {
                ++check.pieces_checked;
                if (prepared.intersects(line)) {
                    ++check.unreached_inside;
                }
            }
        }
    }
    out.area = std::move(area);
    out.check = check;
}

/// Blocks fillable in a circle: every street of the block fully reached and every building in it
/// covered. Candidates are blocks whose box meets `box`.
std::vector<std::uint32_t> fillable_blocks(const Shared& sh, const View& view, double budget,
                                           const Coverage& cov, const core::Box& box) {
    std::vector<std::uint32_t> out;
    if (!sh.po.fill_blocks) {
        return out;
    }
    std::vector<std::pair<core::Box, std::uint32_t>> found;
    sh.block_tree.query(bgi::intersects(box), std::back_inserter(found));
    std::vector<std::pair<double, double>> iv;
    for (const auto& [bx, i] : found) {
        const auto& block = sh.blocks[i];
        bool ok = true;
        for (const auto e : block.edges) {
            if (!fully_reached(sh.g, e, view.at(sh.g, e), budget, iv)) {
                ok = false;
                break;
            }
        }
        for (std::size_t j = 0; ok && j < block.buildings.size(); ++j) {
            ok = cov.covered(block.buildings[j]);
        }
        if (ok) {
            out.push_back(i);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// A circle at one budget from a view: strips along the reached parts of `edges` (ascending),
/// disks at junctions, filled blocks; then legs, notches, slits and the self-check.
void circle(const Shared& sh, const View& view, std::span<const std::uint32_t> edges,
            double budget, const Coverage& cov, ServiceCircle& out) {
    const auto& po = sh.po;
    geom::AreaPieces pieces;
    pieces.width_m = po.ribbon_width_m;
    std::vector<std::pair<std::uint32_t, double>> node_disks;
    core::Box box{{0, 0}, {0, 0}};
    bool any = false;
    std::vector<std::pair<double, double>> iv;
    for (const auto e : edges) {
        const auto at = view.at(sh.g, e);
        iv.clear();
        reach_intervals(sh.g.edge_length_m[e], at.du, at.dv, at.seeds, budget, iv);
        if (iv.empty()) {
            continue;
        }
        edge_strips(sh.g, e, at, budget, po.ribbon_width_m, pieces, node_disks);
        const auto eb = bg::return_envelope<core::Box>(sh.g.edge_geometry[e]);
        if (!any) {
            box = eb;
            any = true;
        } else {
            bg::expand(box, eb);
        }
    }
    std::sort(node_disks.begin(), node_disks.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : x.second > y.second;
    });
    for (std::size_t i = 0; i < node_disks.size(); ++i) {
        if (i == 0 || node_disks[i].first != node_disks[i - 1].first) {
            pieces.disk_centres.push_back(sh.g.nodes[node_disks[i].first]);
            pieces.disk_radii.push_back(node_disks[i].second);
        }
    }
    if (any) {
        out.filled_blocks = fillable_blocks(sh, view, budget, cov, box);
        for (const auto i : out.filled_blocks) {
            pieces.polygons.push_back(sh.blocks[i].polygon);
        }
    }
    auto area = geom::union_pieces(pieces, po.quadrant_segments);
    finish_circle(sh, view, budget, cov, std::move(area), out);
}

/// One facility's circle at one budget.
void facility_circle(const Shared& sh, const Reach& reach, double budget, ServiceCircle& out) {
    const View view{&reach, nullptr, reach.seeds};
    Coverage cov;
    for (const auto& [b, d] : reach.buildings) {
        if (d <= budget) {
            cov.covered_list.push_back(b);
        }
    }
    cov.covered = [&cov](std::uint32_t b) {
        return std::binary_search(cov.covered_list.begin(), cov.covered_list.end(), b);
    };
    std::vector<std::uint32_t> edges;
    edges.reserve(reach.edges.size());
    for (const auto& er : reach.edges) {
        edges.push_back(er.edge);
    }
    circle(sh, view, edges, budget, cov, out);
}

}  // namespace

void build_polygons(const core::Scene& scene, const graph::WalkGraph& graph,
                    const graph::EdgeIndex& index, std::span<const Reach> reach,
                    std::span<const std::vector<Seed>> kind_seeds,
                    std::span<const std::vector<double>> kind_node_distance, Result& result,
                    const core::ProgressFn& progress) {
    const auto& options = result.options;
    const auto& po = options.polygons;
    const std::size_t n_t = options.thresholds_min.size();
    const std::size_t n_b = scene.buildings.size();

    core::report(progress, "coverage", "tracing blocks");
    std::vector<Block> blocks;
    if (po.fill_blocks) {
        blocks = trace_blocks(graph, index, result.access_points, po.max_fill_area_m2,
                              options.threads);
    }
    using BEntry = std::pair<core::Box, std::uint32_t>;
    std::vector<BEntry> block_boxes;
    for (std::uint32_t i = 0; i < blocks.size(); ++i) {
        block_boxes.emplace_back(blocks[i].box, i);
    }
    const bgi::rtree<BEntry, bgi::quadratic<16>> block_tree(block_boxes.begin(), block_boxes.end());
    using PEntry = std::pair<Point, std::uint32_t>;
    std::vector<PEntry> pts;
    for (std::uint32_t b = 0; b < n_b; ++b) {
        pts.emplace_back(result.access_points[b], b);
    }
    const bgi::rtree<PEntry, bgi::quadratic<16>> bld_tree(pts.begin(), pts.end());
    const Shared sh{scene, graph, index, result, po, blocks, block_tree, bld_tree};

    // Per-facility circles: tasks (kind order, facility, profile, threshold).
    struct Task {
        std::size_t kind;
        std::uint32_t facility;
        std::size_t profile;
        std::size_t threshold;
    };
    std::vector<Task> tasks;
    for (std::size_t k = 0; po.per_facility && k < result.kinds.size(); ++k) {
        for (const auto f : result.kinds[k].facilities) {
            for (const auto p : po.profiles) {
                for (std::size_t t = 0; t < n_t; ++t) {
                    tasks.push_back({k, f, p, t});
                }
            }
        }
    }
    const auto budget_of = [&](std::size_t p, std::size_t t) {
        return budget_m(options.thresholds_min[t], options.profiles[p].speed_kmh);
    };
    core::report(progress, "coverage", "service circles per facility");
    std::vector<ServiceCircle> per_facility(tasks.size());
    graph::parallel_chunks(tasks.size(), options.threads, 1,
                           [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t i = begin; i < end; ++i) {
            const auto& task = tasks[i];
            auto& c = per_facility[i];
            c.kind = result.kinds[task.kind].kind;
            c.facility = task.facility;
            c.profile = task.profile;
            c.threshold_min = options.thresholds_min[task.threshold];
            facility_circle(sh, reach[task.facility], budget_of(task.profile, task.threshold), c);
        }
    });

    // Dissolved circles per kind × profile × threshold.
    core::report(progress, "coverage", "dissolved service circles");
    struct DTask {
        std::size_t kind;
        std::size_t profile;
        std::size_t threshold;
    };
    std::vector<DTask> dtasks;
    for (std::size_t k = 0; k < result.kinds.size(); ++k) {
        for (const auto p : po.profiles) {
            for (std::size_t t = 0; t < n_t; ++t) {
                dtasks.push_back({k, p, t});
            }
        }
    }
    std::vector<ServiceCircle> dissolved(dtasks.size());
    graph::parallel_chunks(dtasks.size(), options.threads, 1,
                           [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t i = begin; i < end; ++i) {
            const auto& task = dtasks[i];
            const auto& kc = result.kinds[task.kind];
            const double budget = budget_of(task.profile, task.threshold);
            auto& c = dissolved[i];
            c.kind = kc.kind;
            c.profile = task.profile;
            c.threshold_min = options.thresholds_min[task.threshold];
            const View view{nullptr, &kind_node_distance[task.kind], kind_seeds[task.kind]};
            Coverage cov;
            for (std::uint32_t b = 0; b < n_b; ++b) {
                if (kc.distance_m[b] <= budget) {
                    cov.covered_list.push_back(b);
                }
            }
            cov.covered = [&kc, budget](std::uint32_t b) { return kc.distance_m[b] <= budget; };
            // Built like a facility circle from the kind's multi-source labels: the strip width
            // min(a, B - min_f D_f(x)) is the widest of the facilities' strips at x, so this is
            // the union of the facility circles without overlaying them.
            std::vector<std::uint32_t> edges;
            for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
                if (view.at(graph, e).touched) {
                    edges.push_back(e);
                }
            }
            circle(sh, view, edges, budget, cov, c);
        }
    });

    // Blocks actually filled, renumbered in block order.
    std::vector<std::uint32_t> used;
    for (const auto* list : {&per_facility, &dissolved}) {
        for (const auto& c : *list) {
            used.insert(used.end(), c.filled_blocks.begin(), c.filled_blocks.end());
        }
    }
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    for (const auto i : used) {
        result.blocks.push_back(blocks[i].polygon);
    }
    const auto renumber = [&](ServiceCircle& c) {
        for (auto& i : c.filled_blocks) {
            i = static_cast<std::uint32_t>(std::lower_bound(used.begin(), used.end(), i) -
                                           used.begin());
        }
    };
    for (auto& c : per_facility) {
        renumber(c);
    }
    for (auto& c : dissolved) {
        renumber(c);
    }

    // Gaps: uncovered populated buildings, clustered, outside the dissolved circle.
    core::report(progress, "coverage", "gaps");
    std::vector<std::vector<Gap>> gaps(dtasks.size());
    graph::parallel_chunks(dtasks.size(), options.threads, 1,
                           [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t i = begin; i < end; ++i) {
            const auto& task = dtasks[i];
            const auto& kc = result.kinds[task.kind];
            const double budget = budget_of(task.profile, task.threshold);
            std::vector<std::uint32_t> open;
            for (std::uint32_t b = 0; b < n_b; ++b) {
                const auto& bl = scene.buildings[b];
                if (!(kc.distance_m[b] <= budget) && (bl.population > 0 || bl.households > 0)) {
                    open.push_back(b);
                }
            }
            // Single-linkage clusters within link_m (grid of link_m cells).
            const double link = std::max(1e-3, options.gaps.link_m);
            std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::uint32_t>> cells;
            for (std::uint32_t j = 0; j < open.size(); ++j) {
                const auto& p = result.access_points[open[j]];
                cells[{static_cast<std::int64_t>(std::floor(p.x() / link)),
                       static_cast<std::int64_t>(std::floor(p.y() / link))}]
                    .push_back(j);
            }
            std::vector<std::uint32_t> parent(open.size());
            std::iota(parent.begin(), parent.end(), 0U);
            const auto find = [&](std::uint32_t x) {
                while (parent[x] != x) {
                    parent[x] = parent[parent[x]];
                    x = parent[x];
                }
                return x;
            };
            for (const auto& [cell, members] : cells) {
                for (std::int64_t dx = -1; dx <= 1; ++dx) {
                    for (std::int64_t dy = -1; dy <= 1; ++dy) {
                        const auto it = cells.find({cell.first + dx, cell.second + dy});
                        if (it == cells.end()) {
                            continue;
                        }
                        for (const auto a : members) {
                            for (const auto b : it->second) {
                                if (a < b && bg::distance(result.access_points[open[a]],
                                                          result.access_points[open[b]]) <= link) {
                                    const auto ra = find(a);
                                    const auto rb = find(b);
                                    parent[std::max(ra, rb)] = std::min(ra, rb);
                                }
                            }
                        }
                    }
                }
            }
            std::map<std::uint32_t, std::vector<std::uint32_t>> clusters;
            for (std::uint32_t j = 0; j < open.size(); ++j) {
                clusters[find(j)].push_back(open[j]);
            }
            // The dissolved circle of this task, to keep gaps outside every circle.
            const geom::Subtractor circle(dissolved[i].area);
            for (const auto& [root, members] : clusters) {
                Gap gap;
                gap.kind = kc.kind;
                gap.profile = task.profile;
                gap.threshold_min = options.thresholds_min[task.threshold];
                gap.buildings = members;
                std::vector<core::MultiPolygon> shapes;
                for (const auto b : members) {
                    const auto& bl = scene.buildings[b];
                    gap.households += bl.households;
                    gap.residents += bl.population;
                    core::MultiPolygon shape = bl.footprint;
                    if (shape.empty()) {
                        core::Polygon dot;
                        const auto& p = result.access_points[b];
                        dot.outer() = {{p.x() - 0.5, p.y() - 0.5}, {p.x() - 0.5, p.y() + 0.5},
                                       {p.x() + 0.5, p.y() + 0.5}, {p.x() + 0.5, p.y() - 0.5},
                                       {p.x() - 0.5, p.y() - 0.5}};
                        shape.push_back(dot);
                    }
                    shapes.push_back(std::move(shape));
                }
                auto area = geom::grow(geom::union_areas(shapes), options.gaps.buffer_m,
                                       po.quadrant_segments);
                gap.area = circle.apply(area);
                gaps[i].push_back(std::move(gap));
            }
            std::stable_sort(gaps[i].begin(), gaps[i].end(), [](const Gap& x, const Gap& y) {
                if (x.residents != y.residents) {
                    return x.residents > y.residents;
                }
                if (x.households != y.households) {
                    return x.households > y.households;
                }
                return x.buildings.front() < y.buildings.front();
            });
        }
    });

    if (po.per_facility) {
        for (auto& c : per_facility) {
            result.check.add(c.check);
            result.circles.push_back(std::move(c));
        }
    }
    for (auto& c : dissolved) {
        result.check.add(c.check);
        result.circles.push_back(std::move(c));
    }
    for (auto& list : gaps) {
        for (auto& gap : list) {
            result.gaps.push_back(std::move(gap));
        }
    }
}

}  // namespace gridplan::coverage::detail
