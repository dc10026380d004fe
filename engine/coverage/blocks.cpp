/// \file
/// Blocks (docs/coverage.md, "Service circles", step 2): tracing the faces of the walking network
/// and keeping those a circle may fill.

#include "coverage/detail/blocks.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/parallel.hpp"
#include "geom/area_union.hpp"
#include "geom/prepared.hpp"

namespace gridplan::coverage::detail {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using core::Point;
using graph::kNone;

/// A cheap sufficient test that `line` has no part of positive length in the simple polygon
/// `poly` (no holes): every segment of the line has an end strictly outside, and meets the ring
/// nowhere except at an end that is exactly a ring vertex (a street leaving a block corner), where
/// it is not collinear with the ring segments there. Then every segment is outside but for that
/// vertex. False means "not shown": the caller falls back to the exact intersection.
bool outside_but_for_shared_vertices(const core::LineString& line, const core::Polygon& poly) {
    using Segment = bg::model::segment<Point>;
    const auto& ring = poly.outer();
    if (!poly.inners().empty() || ring.size() < 4 || line.size() < 2) {
        return false;
    }
    const auto same = [](const Point& p, const Point& q) {
        return p.x() == q.x() && p.y() == q.y();
    };
    const auto ring_vertex = [&](const Point& p) -> std::optional<std::size_t> {
        for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
            if (same(ring[k], p)) {
                return k;
            }
        }
        return std::nullopt;
    };
    const std::size_t n = ring.size() - 1;  // closed ring: ring[n] == ring[0]
    for (std::size_t j = 0; j + 1 < line.size(); ++j) {
        const Point& p = line[j];
        const Point& q = line[j + 1];
        const auto vp = ring_vertex(p);
        const auto vq = ring_vertex(q);
        if (vp && vq) {
            return false;  // a chord between two ring vertices: inside or outside, not shown
        }
        if ((!vp && bg::covered_by(p, poly)) || (!vq && bg::covered_by(q, poly))) {
            return false;
        }
        const std::optional<std::size_t> shared = vp ? vp : vq;
        const Point& v = vp ? p : q;  // the shared end (when there is one)
        const Point& w = vp ? q : p;  // the other end
        const Segment s(p, q);
        for (std::size_t k = 0; k < n; ++k) {
            const Point& r0 = ring[k];
            const Point& r1 = ring[k + 1];
            if (shared && (k == *shared || (k + 1) % n == *shared)) {
                // A ring segment at the shared vertex: they meet only there unless collinear.
                const Point& r = k == *shared ? r1 : r0;
                const double cross =
                    (w.x() - v.x()) * (r.y() - v.y()) - (w.y() - v.y()) * (r.x() - v.x());
                const double scale = std::hypot(w.x() - v.x(), w.y() - v.y()) *
                                     std::hypot(r.x() - v.x(), r.y() - v.y());
                if (!(std::abs(cross) > 1e-9 * scale)) {
                    return false;
                }
                continue;
            }
            if (bg::intersects(s, Segment(r0, r1))) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace

/// Traces the faces of the (planar part of the) network and keeps the blocks that can be filled:
/// a simple ring, area <= max_area, no other street inside, every street of it in `reachable`
/// (a face with a street no circle fully reaches is never filled, so it is not traced).
std::vector<Block> trace_blocks(const graph::WalkGraph& g,
                                const graph::EdgeIndex& index,
                                const PointTree& bld_tree,
                                double max_area,
                                int threads,
                                const Faces& faces,
                                std::span<const char> reachable) {
    using PEntry = std::pair<Point, std::uint32_t>;
    const auto& tail = faces.tail;
    // Candidate blocks, built in parallel, kept in face order.
    std::vector<std::optional<Block>> built(faces.face_count());
    core::parallel_chunks(
        faces.face_count(), threads, 256, [&](std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t f = begin; f < end; ++f) {
                const std::span<const std::uint32_t> cycle(faces.arcs.data() + faces.first[f],
                                                           faces.first[f + 1] - faces.first[f]);
                if (std::any_of(cycle.begin(), cycle.end(), [&](std::uint32_t a) {
                        return reachable[g.arc_edge[a]] == 0;
                    })) {
                    continue;
                }
                // Edges traversed on both sides are dangles: part of the block, not of its ring.
                std::vector<std::uint32_t> edges;
                edges.reserve(cycle.size());
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
                // A strictly convex ring is valid; only other rings need the full test.
                if (!geom::strictly_convex_clockwise(poly) && !bg::is_valid(poly)) {
                    continue;
                }
                Block block;
                block.face = static_cast<std::uint32_t>(f);
                block.box = bg::return_envelope<core::Box>(poly);
                sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
                block.edges = sorted;
                // No other street inside the block (bridges over it, islands of other components).
                bool clean = true;
                for (const auto e : index.edges_in(block.box)) {
                    if (std::binary_search(block.edges.begin(), block.edges.end(), e)) {
                        continue;
                    }
                    if (outside_but_for_shared_vertices(g.edge_geometry[e], poly)) {
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

}  // namespace gridplan::coverage::detail
