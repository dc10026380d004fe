// Service-circle polygons, filled blocks, the polygon self-check and gap polygons
// (docs/coverage.md, "Service circles"). Built from the exact reachable intervals on edges.

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <span>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/disjoint_sets.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "coverage/detail/blocks.hpp"
#include "coverage/detail/faces.hpp"
#include "coverage/detail/gaps.hpp"
#include "coverage/detail/polygons.hpp"
#include "coverage/detail/reach.hpp"
#include "geom/area_union.hpp"
#include "geom/boxes.hpp"
#include "geom/prepared.hpp"

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
            const auto it =
                std::lower_bound(reach->edges.begin(),
                                 reach->edges.end(),
                                 e,
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
bool fully_reached(const graph::WalkGraph& g,
                   std::uint32_t e,
                   const View::At& at,
                   double budget,
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
void unreached_pieces(const graph::WalkGraph& g,
                      std::uint32_t e,
                      const View::At& at,
                      double budget,
                      double epsilon,
                      std::vector<core::LineString>& out,
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

/// A street leaving a node whose strips hold the square of half-width `rho` on its side of the
/// node: along its first straight piece for at least rho, at least rho wide on either side.
struct NodeCover {
    std::uint32_t node = 0;
    double angle = 0.0;  ///< direction of the street's first straight piece from the node
    double rho = 0.0;
};

/// True when the disk of radius r at the node is inside the strips of the streets in `covers`
/// (those of this node): a point at angle t and distance <= r is in the square of a street whose
/// direction is within 90 degrees of t, so it suffices that the streets with rho >= r leave no
/// angular gap of 180 degrees (a margin of 1e-3 rad keeps rounding of the disk's vertices inside).
bool disk_covered(std::span<const NodeCover> covers, double r) {
    std::vector<double> angles;
    for (const auto& c : covers) {
        if (c.rho >= r) {
            angles.push_back(c.angle);
        }
    }
    if (angles.size() < 3) {
        return false;
    }
    std::sort(angles.begin(), angles.end());
    constexpr double kPi = 3.14159265358979323846;
    constexpr double kMaxGap = kPi - 1e-3;
    for (std::size_t i = 0; i + 1 < angles.size(); ++i) {
        if (angles[i + 1] - angles[i] > kMaxGap) {
            return false;
        }
    }
    return angles.front() + 2 * kPi - angles.back() <= kMaxGap;
}

/// Where the strip width of an edge is sampled: xs (metres along the edge, ascending) holds the
/// ends, seeds, the kinks of D (walking metres, piecewise linear), the points where D meets
/// budget - a and budget, and the vertices; w[m] = min(a, budget - D(xs[m])) clamped at 0.
struct StripSamples {
    std::vector<double> xs;
    std::vector<double> w;
    std::vector<double> offsets;  ///< cumulative vertex offsets of the edge geometry
};

StripSamples strip_samples(
    const graph::WalkGraph& g, std::uint32_t e, const View::At& at, double budget, double a) {
    const double length = g.edge_length_m[e];
    const auto walk_m = [&](double x) {
        return distance_on_edge(length, x, at.du, 0, at.dv, 0, at.seeds).distance_m;
    };
    StripSamples out;
    auto& xs = out.xs;
    xs = {0.0, length};
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
        const double d0 = walk_m(xs[i]);
        const double d1 = walk_m(xs[i + 1]);
        for (const double level : {budget - a, budget}) {
            if ((d0 - level) * (d1 - level) < 0) {
                more.push_back(xs[i] + (level - d0) / (d1 - d0) * (xs[i + 1] - xs[i]));
            }
        }
    }
    out.offsets = vertex_offsets(g.edge_geometry[e]);
    const auto& offsets = out.offsets;
    xs.insert(xs.end(), more.begin(), more.end());
    xs.insert(xs.end(), offsets.begin() + 1, offsets.end() - 1);
    for (auto& x : xs) {
        x = std::clamp(x, 0.0, length);
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(
                 xs.begin(), xs.end(), [](double p, double q) { return std::abs(p - q) <= 1e-9; }),
             xs.end());
    out.w.resize(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        out.w[i] = std::max(0.0, std::min(a, budget - walk_m(xs[i])));
    }
    return out;
}

/// The strip pieces of one straight piece k of the edge (from offsets s0 to s1, samples i..j):
/// one polygon per run of positive width not drawn by a buffered run (`done`), the left offsets
/// forward and the right offsets back (a point where the width is zero is a tip), flat ends.
template <class Inside>
void straight_piece_strips(const core::LineString& line,
                           std::size_t k,
                           double s0,
                           double s1,
                           std::size_t i,
                           std::size_t j,
                           const StripSamples& samples,
                           const std::vector<char>& done,
                           geom::AreaPieces& pieces,
                           const Inside& inside) {
    const auto& xs = samples.xs;
    const auto& w = samples.w;
    const Point& q0 = line[k];
    const Point& q1 = line[k + 1];
    const double dx = q1.x() - q0.x();
    const double dy = q1.y() - q0.y();
    const double len = std::hypot(dx, dy);
    if (!(len > kTiny && j > i)) {
        return;
    }
    const double nx = -dy / len;
    const double ny = dx / len;
    const auto at_x = [&](double x) {
        const double t = std::clamp((x - s0) / (s1 - s0), 0.0, 1.0);
        return Point{q0.x() + t * dx, q0.y() + t * dy};
    };
    std::size_t r0 = i;
    while (r0 < j) {
        if (done[r0] != 0) {
            ++r0;
            continue;
        }
        std::size_t r1 = r0 + 1;
        while (r1 < j && w[r1] > kTiny && done[r1] == 0) {
            ++r1;
        }
        double w_max = 0.0;
        for (std::size_t m = r0; m <= r1; ++m) {
            w_max = std::max(w_max, w[m]);
        }
        if (w_max > kTiny && !inside(core::LineString{at_x(xs[r0]), at_x(xs[r1])}, w_max)) {
            core::Polygon poly;
            auto& ring = poly.outer();
            for (std::size_t m = r0; m <= r1; ++m) {
                const Point p = at_x(xs[m]);
                ring.push_back(w[m] > kTiny ? Point{p.x() + nx * w[m], p.y() + ny * w[m]} : p);
            }
            for (std::size_t m = r1 + 1; m-- > r0;) {
                if (w[m] > kTiny) {
                    const Point p = at_x(xs[m]);
                    ring.push_back({p.x() - nx * w[m], p.y() - ny * w[m]});
                }
            }
            if (ring.size() >= 3) {
                ring.push_back(ring.front());
                bg::correct(poly);
                pieces.polygons.push_back(std::move(poly));
            }
        }
        r0 = r1;
    }
}

/// The squares this edge's strips hold at its end nodes (see disk_covered): the strips (or the
/// filled region, where a piece was left out as inside it) cover every point within rho + 1e-6
/// of the node along the first straight piece and within rho of the street, as the widths at the
/// samples up to there are >= rho and the strip is linear in between.
void end_node_covers(const graph::WalkGraph& g,
                     std::uint32_t e,
                     const StripSamples& samples,
                     std::vector<NodeCover>& node_covers) {
    const auto& xs = samples.xs;
    const auto& w = samples.w;
    const double length = g.edge_length_m[e];
    const auto& line = g.edge_geometry[e];
    const std::size_t nv = line.size();
    const auto cover =
        [&](std::uint32_t node, const Point& p0, const Point& p1, double rho, bool from_start) {
            const auto& np = g.nodes[node];
            if (!(rho > kTiny) || np.x() != p0.x() || np.y() != p0.y() ||
                std::hypot(p1.x() - p0.x(), p1.y() - p0.y()) < rho + 1e-6) {
                return;
            }
            const double reach = rho + 1e-6;
            bool far_enough = false;
            for (std::size_t q = 0; q < xs.size(); ++q) {
                const std::size_t m = from_start ? q : xs.size() - 1 - q;
                if (w[m] < rho) {
                    return;
                }
                if ((from_start ? xs[m] : length - xs[m]) >= reach) {
                    far_enough = true;
                    break;
                }
            }
            if (far_enough) {
                node_covers.push_back({node, std::atan2(p1.y() - p0.y(), p1.x() - p0.x()), rho});
            }
        };
    if (nv >= 2 && g.edge_from[e] != g.edge_to[e]) {
        cover(g.edge_from[e], line[0], line[1], w.front(), true);
        cover(g.edge_to[e], line[nv - 1], line[nv - 2], w.back(), false);
    }
}

/// The strips of one edge for one circle: width w(x) = min(a, budget - D(x)), D = walk_m.
/// `inside(core, w)` says that every point within w of the core geometry (a line, a segment or a
/// point of this edge) is already in the circle (a filled block): such pieces are left out, which
/// does not change the union.
template <class Inside>
void edge_strips(const graph::WalkGraph& g,
                 std::uint32_t e,
                 const View::At& at,
                 double budget,
                 double a,
                 geom::AreaPieces& pieces,
                 std::vector<std::pair<std::uint32_t, double>>& node_disks,
                 std::vector<NodeCover>& node_covers,
                 const Inside& inside) {
    const double length = g.edge_length_m[e];
    const auto walk_m = [&](double x) {
        return distance_on_edge(length, x, at.du, 0, at.dv, 0, at.seeds).distance_m;
    };
    const StripSamples samples = strip_samples(g, e, at, budget, a);
    const auto& xs = samples.xs;
    const auto& w = samples.w;
    const auto& offsets = samples.offsets;
    const auto& line = g.edge_geometry[e];
    // Full-width runs over several straight pieces (curved streets): one GEOS buffer with flat
    // caps and round joins, as a polyline buffer is far cheaper than a polygon and a disk per
    // vertex. done[m]: interval m (xs[m], xs[m+1]) is drawn by such a run.
    const auto full = [&](std::size_t m) { return w[m] >= a - 1e-9; };
    std::vector<char> done(xs.size(), 0);
    std::vector<std::pair<double, double>> joined;  // x ranges of those runs
    for (std::size_t m = 0; m + 1 < xs.size();) {
        if (!(full(m) && full(m + 1))) {
            ++m;
            continue;
        }
        std::size_t m1 = m + 1;
        while (m1 + 1 < xs.size() && full(m1 + 1)) {
            ++m1;
        }
        const double x0 = xs[m];
        const double x1 = xs[m1];
        const bool bends = std::any_of(offsets.begin() + 1, offsets.end() - 1, [&](double o) {
            return o > x0 + 1e-9 && o < x1 - 1e-9;
        });
        if (bends) {
            for (std::size_t q = m; q < m1; ++q) {
                done[q] = 1;
            }
            joined.emplace_back(x0, x1);
            auto sub = graph::sub_line(g, e, x0, x1);
            if (!inside(sub, a)) {
                pieces.flat_lines.push_back(std::move(sub));
            }
        }
        m = m1;
    }
    // Everything else, straight piece by straight piece; the round parts are the disks at bends
    // and nodes added below.
    std::size_t i = 0;
    for (std::size_t k = 0; k + 1 < offsets.size(); ++k) {
        const double s0 = k == 0 ? 0.0 : offsets[k];
        const double s1 = k + 2 == offsets.size() ? length : offsets[k + 1];
        while (i + 1 < xs.size() && xs[i + 1] <= s0 + 1e-9) {
            ++i;
        }
        std::size_t j = i;  // xs[i] ~ s0; collect i..j with xs[j] ~ s1
        while (j + 1 < xs.size() && xs[j + 1] <= s1 + 1e-9) {
            ++j;
        }
        straight_piece_strips(line, k, s0, s1, i, j, samples, done, pieces, inside);
        i = j;
    }
    // Round joins at bends (except inside the buffered runs, which have them), round ends at
    // nodes.
    for (std::size_t k = 1; k + 1 < offsets.size(); ++k) {
        const double o = offsets[k];
        if (std::any_of(joined.begin(), joined.end(), [&](const auto& r) {
                return o > r.first + 1e-9 && o < r.second - 1e-9;
            })) {
            continue;
        }
        const double wk = std::max(0.0, std::min(a, budget - walk_m(o)));
        if (wk > kTiny && !inside(core::LineString{line[k], line[k]}, wk)) {
            pieces.disk_centres.push_back(line[k]);
            pieces.disk_radii.push_back(wk);
        }
    }
    if (w.front() > kTiny) {
        node_disks.emplace_back(g.edge_from[e], w.front());
    }
    if (w.back() > kTiny) {
        node_disks.emplace_back(g.edge_to[e], w.back());
    }
    end_node_covers(g, e, samples, node_covers);
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
    const Faces& faces;
    const std::vector<Block>& blocks;
    const BlockTree& block_tree;
    const PointTree& bld_tree;
};

/// The best snap position of building b under a view (for its access-leg corridor).
std::optional<Point> best_snap_point(const Shared& sh, const View& view, std::uint32_t b) {
    double best = kUnreached;
    std::optional<Point> out;
    for (const auto& s : sh.result.building_snaps.of(b)) {
        const auto at = view.at(sh.g, s.edge);
        const double d =
            s.access_m +
            distance_on_edge(sh.g.edge_length_m[s.edge], s.offset_m, at.du, 0, at.dv, 0, at.seeds)
                .distance_m;
        if (d < best) {
            best = d;
            out = graph::point_along(sh.g, s.edge, s.offset_m);
        }
    }
    return out;
}

/// Edges and buildings near an area: those meeting the box of one of its polygons (a dissolved
/// circle is many polygons spread over the city; its overall box would hold everything).
struct Near {
    std::vector<std::uint32_t> edges;                        ///< ascending
    std::vector<std::pair<Point, std::uint32_t>> buildings;  ///< ascending by building
};
Near near_area(const Shared& sh, const core::MultiPolygon& area) {
    Near out;
    for (const auto& poly : area) {
        const auto box = bg::return_envelope<core::Box>(poly);
        const auto edges = sh.index.edges_in(box);
        out.edges.insert(out.edges.end(), edges.begin(), edges.end());
        sh.bld_tree.query(bgi::intersects(box), std::back_inserter(out.buildings));
    }
    std::sort(out.edges.begin(), out.edges.end());
    out.edges.erase(std::unique(out.edges.begin(), out.edges.end()), out.edges.end());
    std::sort(out.buildings.begin(), out.buildings.end(), [](const auto& x, const auto& y) {
        return x.second < y.second;
    });
    out.buildings.erase(
        std::unique(out.buildings.begin(),
                    out.buildings.end(),
                    [](const auto& x, const auto& y) { return x.second == y.second; }),
        out.buildings.end());
    return out;
}

/// Step 2 of finish_circle, notches: a hole around every uncovered access point inside the area,
/// at most half the distance to a covered access point nearby (else counted uncovered inside).
void cut_notches(const Shared& sh,
                 const Coverage& cov,
                 const Near& around,
                 const geom::PreparedArea& prepared,
                 geom::AreaPieces& holes,
                 SelfCheck& near_check,
                 ServiceCircle& out) {
    const auto& po = sh.po;
    for (const auto& [p, b] : around.buildings) {
        if (cov.covered(b)) {
            continue;
        }
        ++near_check.buildings_checked;
        if (!prepared.covers(p)) {
            continue;
        }
        double r = po.notch_radius_m;
        std::vector<std::pair<Point, std::uint32_t>> near;
        const double q = 2 * po.notch_radius_m;
        sh.bld_tree.query(
            bgi::intersects(core::Box{{p.x() - q, p.y() - q}, {p.x() + q, p.y() + q}}),
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
        } else {
            ++near_check.uncovered_inside;
        }
    }
}

/// Step 2 of finish_circle, slits along the unreached street pieces inside the area. A slit never
/// reaches a covered access point: its half width is at most half the distance from the piece to
/// the nearest covered access point (a building next to a tunnel or a passage that the walk does
/// not reach); else the piece counts as unreached inside.
void cut_slits(const Shared& sh,
               const View& view,
               double budget,
               const Coverage& cov,
               const Near& around,
               const geom::PreparedArea& prepared,
               geom::AreaPieces& holes,
               SelfCheck& near_check,
               ServiceCircle& out) {
    const auto& po = sh.po;
    std::vector<std::pair<double, double>> iv;
    std::vector<std::pair<Point, std::uint32_t>> found;
    holes.width_m = po.carve_width_m;
    std::vector<core::LineString> pieces;
    for (const auto e : around.edges) {
        pieces.clear();
        unreached_pieces(sh.g, e, view.at(sh.g, e), budget, po.unreached_epsilon_m, pieces, iv);
        for (auto& line : pieces) {
            ++near_check.pieces_checked;
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
            } else {
                ++near_check.unreached_inside;
            }
        }
    }
}

/// Fix-ups and self-check: add access-leg corridors for covered buildings left outside, cut
/// notches around uncovered access points and slits along unreached streets inside, check.
void finish_circle(const Shared& sh,
                   const View& view,
                   double budget,
                   const Coverage& cov,
                   core::MultiPolygon area,
                   ServiceCircle& out) {
    const auto& po = sh.po;
    const int qs = po.quadrant_segments;
    const auto& access = sh.result.access_points;
    std::vector<std::pair<double, double>> iv;
    // One prepared area (and one list of nearby buildings and streets) per version of the area:
    // rebuilt only when legs or holes changed it.
    auto prepared = std::make_unique<geom::PreparedArea>(area);
    std::optional<Near> around;
    // What steps 1 and 2 saw on the area as it is when they tested it. While the area is
    // unchanged afterwards, those tests are the self-check's own (same area, same points, same
    // pieces) and are not repeated.
    std::optional<std::size_t> seen_covered_outside;
    std::optional<SelfCheck> seen_near;
    // 1. Legs.
    {
        geom::AreaPieces legs;
        legs.width_m = po.leg_width_m;
        std::size_t outside = 0;
        for (const auto b : cov.covered_list) {
            if (!prepared->covers(access[b])) {
                ++outside;
                if (const auto q = best_snap_point(sh, view, b)) {
                    legs.round_lines.push_back(core::LineString{*q, access[b]});
                    ++out.legs;
                }
            }
        }
        if (!legs.empty()) {
            area = geom::union_with(area, legs, qs);
            prepared = std::make_unique<geom::PreparedArea>(area);
        } else {
            seen_covered_outside = outside;
        }
    }
    // 2. Notches and slits.
    if (!area.empty()) {
        around = near_area(sh, area);
        SelfCheck near_check;
        geom::AreaPieces holes;
        cut_notches(sh, cov, *around, *prepared, holes, near_check, out);
        cut_slits(sh, view, budget, cov, *around, *prepared, holes, near_check, out);
        if (!holes.empty()) {
            area = geom::subtract(area, holes, qs);
            prepared = std::make_unique<geom::PreparedArea>(area);
            around.reset();
            seen_covered_outside.reset();
        } else {
            seen_near = near_check;
        }
    }
    // 3. Self-check (on the final area; tests already made on it in steps 1-2 are reused).
    SelfCheck check;
    check.invalid = geom::is_valid_area(area) ? 0 : 1;
    if (seen_covered_outside) {
        check.buildings_checked += cov.covered_list.size();
        check.covered_outside = *seen_covered_outside;
    } else {
        for (const auto b : cov.covered_list) {
            ++check.buildings_checked;
            if (!prepared->covers(access[b])) {
                ++check.covered_outside;
            }
        }
    }
    if (seen_near) {
        check.buildings_checked += seen_near->buildings_checked;
        check.uncovered_inside = seen_near->uncovered_inside;
        check.pieces_checked = seen_near->pieces_checked;
        check.unreached_inside = seen_near->unreached_inside;
    } else if (!area.empty()) {
        if (!around) {
            around = near_area(sh, area);
        }
        for (const auto& [p, b] : around->buildings) {
            if (!cov.covered(b)) {
                ++check.buildings_checked;
                if (prepared->covers(p)) {
                    ++check.uncovered_inside;
                }
            }
        }
        std::vector<core::LineString> pieces;
        for (const auto e : around->edges) {
            pieces.clear();
            unreached_pieces(sh.g, e, view.at(sh.g, e), budget, po.unreached_epsilon_m, pieces, iv);
            for (const auto& line : pieces) {
                ++check.pieces_checked;
                if (prepared->intersects(line)) {
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
std::vector<std::uint32_t> fillable_blocks(
    const Shared& sh, const View& view, double budget, const Coverage& cov, const core::Box& box) {
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

/// Distance between segments ab and cd (0 when they meet).
double segment_distance(const Point& a, const Point& b, const Point& c, const Point& d) {
    const auto orient = [](const Point& p, const Point& q, const Point& r) {
        return (q.x() - p.x()) * (r.y() - p.y()) - (q.y() - p.y()) * (r.x() - p.x());
    };
    const double o1 = orient(a, b, c);
    const double o2 = orient(a, b, d);
    const double o3 = orient(c, d, a);
    const double o4 = orient(c, d, b);
    if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
        return 0.0;
    }
    const auto point_segment = [](const Point& p, const Point& s0, const Point& s1) {
        const double dx = s1.x() - s0.x();
        const double dy = s1.y() - s0.y();
        const double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? ((p.x() - s0.x()) * dx + (p.y() - s0.y()) * dy) / len2 : 0.0;
        t = std::clamp(t, 0.0, 1.0);
        return std::hypot(p.x() - (s0.x() + t * dx), p.y() - (s0.y() + t * dy));
    };
    return std::min({point_segment(a, c, d),
                     point_segment(b, c, d),
                     point_segment(c, a, b),
                     point_segment(d, a, b)});
}

/// The union of a circle's filled blocks (formed combinatorially) and its boundary segments, to
/// tell which strip pieces lie wholly inside it.
struct FilledRegion {
    core::MultiPolygon area;
    /// Edges with a filled block on at least one side, ascending: their points lie in the closure
    /// of the region.
    std::vector<std::uint32_t> touching_edges;
    using SegEntry = std::pair<core::Box, std::pair<Point, Point>>;
    bgi::rtree<SegEntry, bgi::quadratic<16>> boundary;

    /// True when every point within w of `core_line` (a line, or a point given as two equal
    /// points) is in the region: the core touches the closed region (a caller guarantee: it lies
    /// on a touching edge or node) and is at least w from the region's boundary, so the
    /// connected w-neighbourhood cannot leave the region.
    [[nodiscard]] bool contains_around(const core::LineString& core_line, double w) const {
        if (area.empty() || core_line.size() < 2) {
            return false;
        }
        auto box = bg::return_envelope<core::Box>(core_line);
        box.min_corner() = {box.min_corner().x() - w, box.min_corner().y() - w};
        box.max_corner() = {box.max_corner().x() + w, box.max_corner().y() + w};
        for (auto it = boundary.qbegin(bgi::intersects(box)); it != boundary.qend(); ++it) {
            const auto& [c, d] = it->second;
            for (std::size_t k = 0; k + 1 < core_line.size(); ++k) {
                if (segment_distance(core_line[k], core_line[k + 1], c, d) < w + 1e-9) {
                    return false;
                }
            }
        }
        return true;
    }
};

/// The filled region of a circle from its filled blocks.
FilledRegion filled_region(const Shared& sh, std::span<const std::uint32_t> filled_blocks) {
    FilledRegion out;
    if (filled_blocks.empty()) {
        return out;
    }
    const auto& faces = sh.faces;
    std::vector<char> included(faces.face_count(), 0);
    for (const auto i : filled_blocks) {
        included[sh.blocks[i].face] = 1;
    }
    out.area = face_union(sh.g, faces, included);
    std::vector<FilledRegion::SegEntry> segs;
    for (const auto i : filled_blocks) {
        const auto f = sh.blocks[i].face;
        for (std::uint32_t k = faces.first[f]; k < faces.first[f + 1]; ++k) {
            const std::uint32_t a = faces.arcs[k];
            const std::uint32_t e = sh.g.arc_edge[a];
            out.touching_edges.push_back(e);
            const std::uint32_t t = faces.twin[a];
            if (t != kNone && included[faces.arc_face[t]] == 0) {
                const auto& line = sh.g.edge_geometry[e];
                for (std::size_t j = 0; j + 1 < line.size(); ++j) {
                    core::Box b =
                        bg::return_envelope<core::Box>(core::LineString{line[j], line[j + 1]});
                    segs.emplace_back(b, std::make_pair(line[j], line[j + 1]));
                }
            }
        }
    }
    std::sort(out.touching_edges.begin(), out.touching_edges.end());
    out.touching_edges.erase(std::unique(out.touching_edges.begin(), out.touching_edges.end()),
                             out.touching_edges.end());
    out.boundary = decltype(out.boundary)(segs.begin(), segs.end());
    return out;
}

/// A circle at one budget from a view: strips along the reached parts of `edges` (ascending),
/// disks at junctions, filled blocks; then legs, notches, slits and the self-check.
void circle(const Shared& sh,
            const View& view,
            std::span<const std::uint32_t> edges,
            double budget,
            const Coverage& cov,
            ServiceCircle& out) {
    const auto& po = sh.po;
    const auto& g = sh.g;
    geom::AreaPieces pieces;
    pieces.width_m = po.ribbon_width_m;
    std::vector<std::pair<std::uint32_t, double>> node_disks;
    std::vector<NodeCover> node_covers;
    core::Box box{{0, 0}, {0, 0}};
    std::vector<std::uint32_t> reached;
    std::vector<std::pair<double, double>> iv;
    for (const auto e : edges) {
        const auto at = view.at(g, e);
        iv.clear();
        reach_intervals(g.edge_length_m[e], at.du, at.dv, at.seeds, budget, iv);
        if (iv.empty()) {
            continue;
        }
        const auto eb = bg::return_envelope<core::Box>(g.edge_geometry[e]);
        if (reached.empty()) {
            box = eb;
        } else {
            bg::expand(box, eb);
        }
        reached.push_back(e);
    }
    // Filled blocks first: their union is formed combinatorially (faces.hpp), and strip pieces
    // lying wholly inside it are left out of the polygon union (same union, far fewer pieces).
    FilledRegion region;
    if (!reached.empty()) {
        out.filled_blocks = fillable_blocks(sh, view, budget, cov, box);
        region = filled_region(sh, out.filled_blocks);
    }
    std::vector<std::uint32_t> touching_nodes;
    for (const auto e : region.touching_edges) {
        touching_nodes.push_back(g.edge_from[e]);
        touching_nodes.push_back(g.edge_to[e]);
    }
    std::sort(touching_nodes.begin(), touching_nodes.end());
    touching_nodes.erase(std::unique(touching_nodes.begin(), touching_nodes.end()),
                         touching_nodes.end());
    for (const auto e : reached) {
        const bool touching =
            std::binary_search(region.touching_edges.begin(), region.touching_edges.end(), e);
        const auto inside = [&](const core::LineString& core_line, double w) {
            return touching && region.contains_around(core_line, w);
        };
        edge_strips(g,
                    e,
                    view.at(g, e),
                    budget,
                    po.ribbon_width_m,
                    pieces,
                    node_disks,
                    node_covers,
                    inside);
    }
    std::sort(node_covers.begin(), node_covers.end(), [](const NodeCover& x, const NodeCover& y) {
        if (x.node != y.node) {
            return x.node < y.node;
        }
        return x.angle != y.angle ? x.angle < y.angle : x.rho < y.rho;
    });
    std::sort(node_disks.begin(), node_disks.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : x.second > y.second;
    });
    for (std::size_t i = 0; i < node_disks.size(); ++i) {
        if (i == 0 || node_disks[i].first != node_disks[i - 1].first) {
            const auto& p = g.nodes[node_disks[i].first];
            const bool touching = std::binary_search(
                touching_nodes.begin(), touching_nodes.end(), node_disks[i].first);
            // A disk inside the squares of its streets' strips adds nothing to the union.
            const auto covers = std::equal_range(
                node_covers.begin(),
                node_covers.end(),
                NodeCover{node_disks[i].first, 0.0, 0.0},
                [](const NodeCover& x, const NodeCover& y) { return x.node < y.node; });
            const std::span<const NodeCover> at_node(covers.first, covers.second);
            if (!(touching &&
                  region.contains_around(core::LineString{p, p}, node_disks[i].second)) &&
                !disk_covered(at_node, node_disks[i].second)) {
                pieces.disk_centres.push_back(p);
                pieces.disk_radii.push_back(node_disks[i].second);
            }
        }
    }
    // The strips first, then the filled region in one overlay: inside the cascade the large
    // region would be re-noded at every level.
    auto area = geom::union_pair(region.area, geom::union_pieces(pieces, po.quadrant_segments));
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

/// What a dissolved circle is built from besides its facility circles.
struct DissolveTask {
    View view;  ///< the kind's multi-source labels
    double budget = 0.0;
    const KindCoverage* kc = nullptr;
};

/// Dissolved circles as the unions of their facility circles (`members[d]`, each already built
/// with its fix-ups and self-check at the same budget), plus the blocks that only several
/// facilities' streets together enclose; then the fix-ups and the self-check of the union.
/// The strip width of the dissolved circle, min(a, B - min_f D_f), is the widest facility strip,
/// so this is the same area as a direct build, without a second union of all strip pieces.
/// Facility circles whose boxes meet, transitively, form one part; parts are disjoint and run in
/// parallel (largest first); `out[d]` gets the parts in order.
template <class TaskOf>
void dissolve(const Shared& sh,
              const std::vector<std::vector<const ServiceCircle*>>& members,
              const TaskOf& task_of,
              int threads,
              std::span<ServiceCircle> out) {
    struct Part {
        std::size_t task = 0;
        std::vector<const ServiceCircle*> circles;
        core::Box box{};
        std::size_t vertices = 0;
        std::vector<std::uint32_t> covered;  ///< ascending: covered buildings whose nearest
                                             ///< facility is one of this part's
    };
    std::vector<Part> parts;
    std::vector<std::size_t> first_part(members.size() + 1, 0);
    for (std::size_t d = 0; d < members.size(); ++d) {
        first_part[d] = parts.size();
        std::vector<const ServiceCircle*> nonempty;
        std::vector<core::Box> boxes;
        for (const auto* c : members[d]) {
            if (!c->area.empty()) {
                nonempty.push_back(c);
                boxes.push_back(bg::return_envelope<core::Box>(c->area));
            }
        }
        const std::size_t base = parts.size();
        std::map<std::uint32_t, std::size_t> part_of;  // facility -> part
        for (const auto& group : geom::meeting_groups(boxes)) {
            Part part;
            part.task = d;
            part.box = boxes[group.front()];
            for (const auto m : group) {
                part.circles.push_back(nonempty[m]);
                bg::expand(part.box, boxes[m]);
                for (const auto& poly : nonempty[m]->area) {
                    part.vertices += poly.outer().size();
                }
                part_of[nonempty[m]->facility] = parts.size();
            }
            parts.push_back(std::move(part));
        }
        const auto task = task_of(d);
        const auto& kc = *task.kc;
        for (std::uint32_t b = 0; b < kc.distance_m.size(); ++b) {
            if (kc.distance_m[b] <= task.budget) {
                const auto it = part_of.find(kc.nearest[b]);
                // A covered building always lies in its nearest facility's circle; should that
                // circle be empty, the first part takes it (its legs and self-check see it).
                if (it != part_of.end()) {
                    parts[it->second].covered.push_back(b);
                } else if (parts.size() > base) {
                    parts[base].covered.push_back(b);
                } else {
                    out[d].check.covered_outside += 1;
                    out[d].check.buildings_checked += 1;
                }
            }
        }
    }
    first_part[members.size()] = parts.size();
    std::vector<std::size_t> by_size(parts.size());
    std::iota(by_size.begin(), by_size.end(), std::size_t{0});
    std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t x, std::size_t y) {
        return parts[x].vertices > parts[y].vertices;
    });
    std::vector<ServiceCircle> built(parts.size());
    core::parallel_items(parts.size(), threads, [&](std::size_t item, unsigned) {
        const auto& part = parts[by_size[item]];
        auto& res = built[by_size[item]];
        const auto task = task_of(part.task);
        const auto& kc = *task.kc;
        const double budget = task.budget;
        std::vector<core::MultiPolygon> areas;
        std::vector<std::uint32_t> filled;
        for (const auto* c : part.circles) {
            areas.push_back(c->area);
            filled.insert(filled.end(), c->filled_blocks.begin(), c->filled_blocks.end());
        }
        std::sort(filled.begin(), filled.end());
        filled.erase(std::unique(filled.begin(), filled.end()), filled.end());
        auto area = areas.size() == 1 ? std::move(areas.front()) : geom::union_areas(areas);
        Coverage cov;
        cov.covered_list = part.covered;
        cov.covered = [&kc, budget](std::uint32_t b) { return kc.distance_m[b] <= budget; };
        // Blocks enclosed only by several facilities' streets together.
        std::vector<std::uint32_t> joint;
        for (const auto i : fillable_blocks(sh, task.view, budget, cov, part.box)) {
            if (!std::binary_search(filled.begin(), filled.end(), i)) {
                joint.push_back(i);
            }
        }
        if (!joint.empty()) {
            std::vector<char> included(sh.faces.face_count(), 0);
            for (const auto i : joint) {
                included[sh.blocks[i].face] = 1;
            }
            area = geom::union_pair(area, face_union(sh.g, sh.faces, included));
            filled.insert(filled.end(), joint.begin(), joint.end());
            std::sort(filled.begin(), filled.end());
        }
        finish_circle(sh, task.view, budget, cov, std::move(area), res);
        res.filled_blocks = std::move(filled);
    });
    for (std::size_t d = 0; d < members.size(); ++d) {
        auto& c = out[d];
        const std::span<ServiceCircle> mine(built.data() + first_part[d],
                                            first_part[d + 1] - first_part[d]);
        // Parts of disjoint boxes are disjoint; fix-ups may grow a part (legs), so parts whose
        // final boxes meet are united (their self-checks stay valid for the union: each keeps
        // its covered buildings inside and the uncovered ones and unreached streets outside).
        std::vector<std::size_t> nonempty;
        std::vector<core::Box> boxes;
        for (std::size_t m = 0; m < mine.size(); ++m) {
            if (!mine[m].area.empty()) {
                nonempty.push_back(m);
                boxes.push_back(bg::return_envelope<core::Box>(mine[m].area));
            }
        }
        for (const auto& group : geom::meeting_groups(boxes)) {
            if (group.size() == 1) {
                for (auto& poly : mine[nonempty[group.front()]].area) {
                    c.area.push_back(std::move(poly));
                }
                continue;
            }
            std::vector<core::MultiPolygon> areas;
            areas.reserve(group.size());
            for (const auto m : group) {
                areas.push_back(std::move(mine[nonempty[m]].area));
            }
            for (auto& poly : geom::union_areas(areas)) {
                c.area.push_back(std::move(poly));
            }
        }
        for (auto& p : mine) {
            c.filled_blocks.insert(
                c.filled_blocks.end(), p.filled_blocks.begin(), p.filled_blocks.end());
            c.notches += p.notches;
            c.carves += p.carves;
            c.legs += p.legs;
            c.check.add(p.check);
        }
        std::sort(c.filled_blocks.begin(), c.filled_blocks.end());
        c.filled_blocks.erase(std::unique(c.filled_blocks.begin(), c.filled_blocks.end()),
                              c.filled_blocks.end());
    }
}

/// The multi-source searches of the kinds: the view of result.kinds[k]'s dissolved circle.
struct KindSearches {
    std::span<const std::vector<Seed>> seeds;
    std::span<const std::vector<double>> node_distance;
    [[nodiscard]] View view(std::size_t k) const {
        return View{nullptr, &node_distance[k], seeds[k]};
    }
};

/// The access points of all buildings in an R-tree.
PointTree access_point_tree(const Result& result) {
    using PEntry = std::pair<Point, std::uint32_t>;
    std::vector<PEntry> pts;
    for (std::uint32_t b = 0; b < result.access_points.size(); ++b) {
        pts.emplace_back(result.access_points[b], b);
    }
    return PointTree(pts.begin(), pts.end());
}

/// Streets some circle may fully reach: fully reached by a kind's multi-source labels within the
/// largest polygon budget (a facility's distances are never shorter).
std::vector<char> reachable_streets(const graph::WalkGraph& graph,
                                    const Result& result,
                                    const KindSearches& kinds) {
    const auto& options = result.options;
    double max_budget = 0.0;
    for (const auto p : options.polygons.profiles) {
        for (const double minutes : options.thresholds_min) {
            max_budget = std::max(max_budget, budget_m(minutes, options.profiles[p].speed_kmh));
        }
    }
    std::vector<char> reachable(graph.edge_count(), 0);
    core::parallel_chunks(
        graph.edge_count(),
        options.threads,
        4096,
        [&](std::size_t begin, std::size_t end, unsigned) {
            std::vector<std::pair<double, double>> iv;
            for (std::size_t e = begin; e < end; ++e) {
                for (std::size_t k = 0; k < result.kinds.size() && reachable[e] == 0; ++k) {
                    const View view = kinds.view(k);
                    const auto edge = static_cast<std::uint32_t>(e);
                    reachable[e] =
                        fully_reached(graph, edge, view.at(graph, edge), max_budget, iv) ? 1 : 0;
                }
            }
        });
    return reachable;
}

/// The blocks that can be filled (none unless fill_blocks), with the faces they come from and an
/// R-tree of their boxes.
struct BlockSet {
    Faces faces;
    std::vector<Block> blocks;
    BlockTree tree;
};

BlockSet fillable_block_set(const graph::WalkGraph& graph,
                            const graph::EdgeIndex& index,
                            const PointTree& bld_tree,
                            const Result& result,
                            const KindSearches& kinds) {
    const auto& options = result.options;
    BlockSet set;
    if (options.polygons.fill_blocks) {
        const auto reachable = reachable_streets(graph, result, kinds);
        set.faces = trace_faces(graph);
        set.blocks = trace_blocks(graph,
                                  index,
                                  bld_tree,
                                  options.polygons.max_fill_area_m2,
                                  options.threads,
                                  set.faces,
                                  reachable);
    }
    using BEntry = std::pair<core::Box, std::uint32_t>;
    std::vector<BEntry> block_boxes;
    for (std::uint32_t i = 0; i < set.blocks.size(); ++i) {
        block_boxes.emplace_back(set.blocks[i].box, i);
    }
    set.tree = BlockTree(block_boxes.begin(), block_boxes.end());
    return set;
}

/// The circles to build: the dissolved ones per kind × profile × threshold, then (when asked)
/// per facility (kind order, facility, profile, threshold); `all` starts with `dissolved`.
struct CircleTasks {
    std::vector<CircleTask> dissolved;
    std::vector<CircleTask> all;
};

CircleTasks circle_tasks(const Result& result) {
    const auto& po = result.options.polygons;
    const std::size_t n_t = result.options.thresholds_min.size();
    CircleTasks tasks;
    for (std::size_t k = 0; k < result.kinds.size(); ++k) {
        for (const auto p : po.profiles) {
            for (std::size_t t = 0; t < n_t; ++t) {
                tasks.dissolved.push_back({k, kNone, p, t});
            }
        }
    }
    tasks.all = tasks.dissolved;
    for (std::size_t k = 0; po.per_facility && k < result.kinds.size(); ++k) {
        for (const auto f : result.kinds[k].facilities) {
            for (const auto p : po.profiles) {
                for (std::size_t t = 0; t < n_t; ++t) {
                    tasks.all.push_back({k, f, p, t});
                }
            }
        }
    }
    return tasks;
}

double task_budget(const Options& options, const CircleTask& task) {
    return budget_m(options.thresholds_min[task.threshold],
                    options.profiles[task.profile].speed_kmh);
}

/// A dissolved circle built like a facility circle from the kind's multi-source labels: the strip
/// width min(a, B - min_f D_f(x)) is the widest of the facilities' strips at x, so this is the
/// union of the facility circles without overlaying them.
void direct_dissolved_circle(
    const Shared& sh, const View& view, const KindCoverage& kc, double budget, ServiceCircle& c) {
    Coverage cov;
    for (std::uint32_t b = 0; b < sh.scene.buildings.size(); ++b) {
        if (kc.distance_m[b] <= budget) {
            cov.covered_list.push_back(b);
        }
    }
    cov.covered = [&kc, budget](std::uint32_t b) { return kc.distance_m[b] <= budget; };
    std::vector<std::uint32_t> edges;
    for (std::uint32_t e = 0; e < sh.g.edge_count(); ++e) {
        if (view.at(sh.g, e).touched) {
            edges.push_back(e);
        }
    }
    circle(sh, view, edges, budget, cov, c);
}

/// Labels circle c with its task.
void label_circle(const Result& result, const CircleTask& task, ServiceCircle& c) {
    c.kind = result.kinds[task.kind].kind;
    c.facility = task.facility;
    c.profile = task.profile;
    c.threshold_min = result.options.thresholds_min[task.threshold];
}

/// The circle pool: every circle of `tasks.all` (but the dissolved ones when they are built by
/// dissolving the facility circles) and, after them, the growth of every gap (largest first, so
/// it runs while the dissolved circles, the largest single items, are being built). Items are
/// handed out one at a time, each written to its own slot.
std::vector<ServiceCircle> build_circles(const Shared& sh,
                                         const CircleTasks& tasks,
                                         std::span<const Reach> reach,
                                         const KindSearches& kinds,
                                         bool dissolve_facilities,
                                         GapWork& gaps) {
    const auto& result = sh.result;
    const std::size_t first_item = dissolve_facilities ? tasks.dissolved.size() : 0;
    std::vector<ServiceCircle> circles(tasks.all.size());
    core::parallel_items(
        tasks.all.size() - first_item + gaps.jobs.size(),
        result.options.threads,
        [&](std::size_t item, unsigned) {
            const std::size_t i = item + first_item;
            if (i >= tasks.all.size()) {
                grow_gap(
                    sh.scene, result, tasks.dissolved, gaps, gaps.by_size[i - tasks.all.size()]);
                return;
            }
            const auto& task = tasks.all[i];
            const double budget = task_budget(result.options, task);
            auto& c = circles[i];
            label_circle(result, task, c);
            if (task.facility != kNone) {
                facility_circle(sh, reach[task.facility], budget, c);
                return;
            }
            direct_dissolved_circle(sh, kinds.view(task.kind), result.kinds[task.kind], budget, c);
        });
    return circles;
}

/// The dissolved circles (circles[0 .. tasks.dissolved.size())) as unions of their facility
/// circles (the rest of `circles`), see dissolve().
void dissolve_circles(const Shared& sh,
                      const CircleTasks& tasks,
                      const KindSearches& kinds,
                      std::vector<ServiceCircle>& circles) {
    const auto& result = sh.result;
    const auto& dtasks = tasks.dissolved;
    std::vector<std::vector<const ServiceCircle*>> members(dtasks.size());
    for (std::size_t i = dtasks.size(); i < tasks.all.size(); ++i) {
        for (std::size_t d = 0; d < dtasks.size(); ++d) {
            if (dtasks[d].kind == tasks.all[i].kind && dtasks[d].profile == tasks.all[i].profile &&
                dtasks[d].threshold == tasks.all[i].threshold) {
                members[d].push_back(&circles[i]);
            }
        }
    }
    for (std::size_t d = 0; d < dtasks.size(); ++d) {
        label_circle(result, dtasks[d], circles[d]);
    }
    dissolve(
        sh,
        members,
        [&](std::size_t d) {
            const auto& task = dtasks[d];
            return DissolveTask{
                kinds.view(task.kind), task_budget(result.options, task), &result.kinds[task.kind]};
        },
        result.options.threads,
        std::span<ServiceCircle>(circles.data(), dtasks.size()));
}

/// The blocks filled in at least one circle go to result.blocks (in block order); the circles'
/// filled_blocks are renumbered into that list.
void keep_filled_blocks(const std::vector<Block>& blocks,
                        std::span<ServiceCircle> per_facility,
                        std::span<ServiceCircle> dissolved,
                        Result& result) {
    std::vector<std::uint32_t> used;
    for (const auto list : {per_facility, dissolved}) {
        for (const auto& c : list) {
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
}

}  // namespace

void build_polygons(const core::Scene& scene,
                    const graph::WalkGraph& graph,
                    const graph::EdgeIndex& index,
                    std::span<const Reach> reach,
                    std::span<const std::vector<Seed>> kind_seeds,
                    std::span<const std::vector<double>> kind_node_distance,
                    Result& result,
                    const core::ProgressFn& progress) {
    const auto& options = result.options;
    const KindSearches kinds{kind_seeds, kind_node_distance};

    core::report(progress, "coverage", "tracing blocks");
    const PointTree bld_tree = access_point_tree(result);
    const BlockSet blocks = fillable_block_set(graph, index, bld_tree, result, kinds);
    const Shared sh{scene,
                    graph,
                    index,
                    result,
                    options.polygons,
                    blocks.faces,
                    blocks.blocks,
                    blocks.tree,
                    bld_tree};
    const CircleTasks tasks = circle_tasks(result);
    // Gaps need only the coverage: their clusters first, grown in the circle pool.
    GapWork gaps = cluster_gaps(scene, result, tasks.dissolved);

    core::report(progress, "coverage", "service circles");
    // With per-facility circles, the dissolved circle of a kind is their union (plus the blocks
    // only their streets together enclose), built after them; otherwise it is built directly from
    // the kind's multi-source labels.
    const bool dissolve_facilities = options.polygons.per_facility;
    std::vector<ServiceCircle> circles =
        build_circles(sh, tasks, reach, kinds, dissolve_facilities, gaps);
    if (dissolve_facilities) {
        core::report(progress, "coverage", "dissolving circles");
        dissolve_circles(sh, tasks, kinds, circles);
    }
    const auto n_dissolved = static_cast<std::ptrdiff_t>(tasks.dissolved.size());
    std::vector<ServiceCircle> dissolved(std::make_move_iterator(circles.begin()),
                                         std::make_move_iterator(circles.begin() + n_dissolved));
    std::vector<ServiceCircle> per_facility(std::make_move_iterator(circles.begin() + n_dissolved),
                                            std::make_move_iterator(circles.end()));
    circles.clear();
    keep_filled_blocks(blocks.blocks, per_facility, dissolved, result);

    core::report(progress, "coverage", "gaps");
    std::vector<Gap> gap_list = cut_gaps(dissolved, gaps, options.threads);

    if (options.polygons.per_facility) {
        for (auto& c : per_facility) {
            result.check.add(c.check);
            result.circles.push_back(std::move(c));
        }
    }
    for (auto& c : dissolved) {
        result.check.add(c.check);
        result.circles.push_back(std::move(c));
    }
    for (auto& gap : gap_list) {
        result.gaps.push_back(std::move(gap));
    }
}

}  // namespace gridplan::coverage::detail
