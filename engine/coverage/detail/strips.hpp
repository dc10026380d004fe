#pragma once
/// \file
/// Step 9a of compute_coverage (docs/coverage.md, "Service circles"): the strips along the streets
/// a circle reaches — node labels of a circle (View), the reached and unreached pieces of an edge,
/// the strip widths sampled along an edge, the squares the strips hold at the end nodes, and the
/// strips themselves. Private to the coverage module.

#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include <boost/geometry.hpp>

#include "core/geometry.hpp"
#include "coverage/detail/reach.hpp"
#include "coverage/search.hpp"
#include "geom/area_union.hpp"
#include "graph/walk_graph.hpp"

namespace gridplan::coverage::detail {

namespace bg = boost::geometry;

/// Lengths and widths below this many metres count as zero in the strips.
constexpr double kTiny = 1e-6;

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
                   std::vector<std::pair<double, double>>& iv);

/// Appends the unreached pieces of edge e (farther than budget + epsilon) as lines.
void unreached_pieces(const graph::WalkGraph& g,
                      std::uint32_t e,
                      const View::At& at,
                      double budget,
                      double epsilon,
                      std::vector<core::LineString>& out,
                      std::vector<std::pair<double, double>>& iv);

/// Cumulative vertex offsets of an edge geometry.
std::vector<double> vertex_offsets(const core::LineString& line);

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
bool disk_covered(std::span<const NodeCover> covers, double r);

/// Where the strip width of an edge is sampled: xs (metres along the edge, ascending) holds the
/// ends, seeds, the kinks of D (walking metres, piecewise linear), the points where D meets
/// budget - a and budget, and the vertices; w[m] = min(a, budget - D(xs[m])) clamped at 0.
struct StripSamples {
    std::vector<double> xs;
    std::vector<double> w;
    std::vector<double> offsets;  ///< cumulative vertex offsets of the edge geometry
};

/// The samples of edge e under `at`, for strips of at most `a` metres and a walk of `budget`.
StripSamples strip_samples(
    const graph::WalkGraph& g, std::uint32_t e, const View::At& at, double budget, double a);

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
    const core::Point& q0 = line[k];
    const core::Point& q1 = line[k + 1];
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
        return core::Point{q0.x() + t * dx, q0.y() + t * dy};
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
                const core::Point p = at_x(xs[m]);
                ring.push_back(w[m] > kTiny ? core::Point{p.x() + nx * w[m], p.y() + ny * w[m]}
                                            : p);
            }
            for (std::size_t m = r1 + 1; m-- > r0;) {
                if (w[m] > kTiny) {
                    const core::Point p = at_x(xs[m]);
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
                     std::vector<NodeCover>& node_covers);

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

}  // namespace gridplan::coverage::detail
