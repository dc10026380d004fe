// Faces of the walking network and combinatorial face unions (see detail/faces.hpp).

#include "coverage/detail/faces.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace gridplan::coverage::detail {

namespace bg = boost::geometry;
using graph::kNone;

Faces trace_faces(const graph::WalkGraph& g) {
    Faces out;
    const std::size_t n_arcs = g.head.size();
    out.tail.assign(n_arcs, 0);
    for (std::uint32_t n = 0; n < g.node_count(); ++n) {
        for (std::uint32_t a = g.first_out[n]; a < g.first_out[n + 1]; ++a) {
            out.tail[a] = n;
        }
    }
    auto& tail = out.tail;
    auto& twin = out.twin;
    twin.assign(n_arcs, kNone);
    std::vector<double> angle(n_arcs, 0.0);
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
    out.next.assign(n_arcs, kNone);
    for (std::uint32_t a = 0; a < n_arcs; ++a) {
        const std::uint32_t t = twin[a];
        if (t == kNone) {
            continue;
        }
        const std::uint32_t n = tail[t];
        const std::uint32_t b = g.first_out[n];
        const std::uint32_t deg = g.first_out[n + 1] - b;
        std::uint32_t p = pos[t] - b;
        std::uint32_t found = t;
        // The arc just clockwise of the way back, skipping untraced loop arcs.
        for (std::uint32_t i = 0; i < deg; ++i) {
            p = (p + deg - 1) % deg;
            if (twin[ccw[b + p]] != kNone) {
                found = ccw[b + p];
                break;
            }
        }
        out.next[a] = found;
    }
    out.arc_face.assign(n_arcs, kNone);
    out.first.assign(1, 0);
    for (std::uint32_t a0 = 0; a0 < n_arcs; ++a0) {
        if (out.arc_face[a0] != kNone || twin[a0] == kNone) {
            continue;
        }
        const auto f = static_cast<std::uint32_t>(out.first.size() - 1);
        for (std::uint32_t a = a0; out.arc_face[a] == kNone; a = out.next[a]) {
            out.arc_face[a] = f;
            out.arcs.push_back(a);
        }
        out.first.push_back(static_cast<std::uint32_t>(out.arcs.size()));
    }
    return out;
}

core::MultiPolygon face_union(const graph::WalkGraph& g,
                              const Faces& faces,
                              std::span<const char> included) {
    core::require_invariant(included.size() == faces.face_count(), "one flag per face");
    const auto in = [&](std::uint32_t f) { return f != kNone && included[f] != 0; };
    const auto boundary = [&](std::uint32_t a) {
        return faces.twin[a] != kNone && in(faces.arc_face[a]) &&
               !in(faces.arc_face[faces.twin[a]]);
    };
    // Boundary arcs in face order (deterministic), chained into rings: after arc a, turn
    // clockwise around its head through included faces to the next boundary arc (the tightest
    // turn, so rings touch at pinch nodes instead of crossing or self-touching).
    std::vector<char> used(g.head.size(), 0);
    std::vector<core::Ring> shells;
    std::vector<core::Ring> holes;
    // A walk may pass a node twice (a hole touching its shell there): it is split into simple
    // loops at repeated nodes; each loop's orientation says shell or hole.
    std::vector<std::uint32_t> at_pos(g.node_count(), kNone);
    std::vector<std::uint32_t> walk;
    std::vector<std::uint32_t> stack;
    const auto emit = [&](std::span<const std::uint32_t> loop) {
        core::Ring ring;
        for (const auto a : loop) {
            const std::uint32_t e = g.arc_edge[a];
            const auto& line = g.edge_geometry[e];
            if (faces.tail[a] == g.edge_from[e]) {
                ring.insert(ring.end(), line.begin(), line.end() - 1);
            } else {
                ring.insert(ring.end(), line.rbegin(), line.rend() - 1);
            }
        }
        ring.push_back(ring.front());
        // Counter-clockwise (negative for bg) rings bound included areas from outside.
        if (bg::area(ring) < 0) {
            shells.push_back(std::move(ring));
        } else {
            holes.push_back(std::move(ring));
        }
    };
    for (std::uint32_t f = 0; f < faces.face_count(); ++f) {
        if (!in(f)) {
            continue;
        }
        for (std::uint32_t i = faces.first[f]; i < faces.first[f + 1]; ++i) {
            const std::uint32_t a0 = faces.arcs[i];
            if (used[a0] != 0 || !boundary(a0)) {
                continue;
            }
            walk.clear();
            std::uint32_t a = a0;
            do {
                used[a] = 1;
                walk.push_back(a);
                std::uint32_t b = faces.next[a];
                const std::uint32_t head = g.head[a];
                const std::uint32_t degree = g.first_out[head + 1] - g.first_out[head];
                for (std::uint32_t k = 0; !boundary(b); ++k) {
                    core::require_invariant(k <= degree, "face union: no boundary arc at a node");
                    b = faces.next[faces.twin[b]];
                }
                a = b;
            } while (a != a0);
            stack.clear();
            for (const auto arc : walk) {
                const std::uint32_t u = faces.tail[arc];
                if (at_pos[u] != kNone) {
                    const std::uint32_t from = at_pos[u];
                    emit(std::span<const std::uint32_t>(stack).subspan(from));
                    for (std::size_t k = from; k < stack.size(); ++k) {
                        at_pos[faces.tail[stack[k]]] = kNone;
                    }
                    stack.resize(from);
                }
                at_pos[u] = static_cast<std::uint32_t>(stack.size());
                stack.push_back(arc);
            }
            for (const auto arc : stack) {
                at_pos[faces.tail[arc]] = kNone;
            }
            if (!stack.empty()) {
                emit(stack);
            }
        }
    }
    core::MultiPolygon out;
    std::vector<double> shell_area;
    std::vector<core::Box> shell_box;
    for (auto& ring : shells) {
        core::Polygon poly;
        poly.outer() = std::move(ring);
        bg::correct(poly);
        shell_area.push_back(bg::area(poly));
        shell_box.push_back(bg::return_envelope<core::Box>(poly));
        out.push_back(std::move(poly));
    }
    for (auto& ring : holes) {
        // The midpoint of the hole's first segment lies on one boundary edge only, so it is
        // strictly inside the shell that holds the hole (and inside no other ring).
        const core::Point mid{0.5 * (ring[0].x() + ring[1].x()), 0.5 * (ring[0].y() + ring[1].y())};
        std::size_t best = out.size();
        for (std::size_t s = 0; s < out.size(); ++s) {
            if (bg::covered_by(mid, shell_box[s]) && bg::within(mid, out[s].outer()) &&
                (best == out.size() || shell_area[s] < shell_area[best])) {
                best = s;
            }
        }
        core::require_invariant(best < out.size(), "face union: a hole outside every shell");
        bg::reverse(ring);  // counter-clockwise for bg holes
        out[best].inners().push_back(std::move(ring));
    }
    return out;
}

}  // namespace gridplan::coverage::detail
