#include "geom/area_union.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "geom/boxes.hpp"
#include "geom/geos.hpp"

namespace gridplan::geom {
namespace {

GeosPtr empty_polygon() {
    return checked(GEOSGeom_createEmptyPolygon_r(geos_context()), "create empty polygon");
}

/// Appends the buffers of `lines` (those with at least two points), one GEOS buffer per line: the
/// cascaded union afterwards is much cheaper than buffering a MultiLineString in one call (GEOS
/// then nodes every offset curve against every other: minutes instead of seconds on Monaco).
void buffer_lines(const core::MultiLineString& lines, double width_m, int qs, bool round,
                  std::vector<GEOSGeometry*>& parts) {
    if (width_m <= 0) {
        return;
    }
    for (const auto& line : lines) {
        if (line.size() < 2) {
            continue;
        }
        const auto g = to_geos(line);
        parts.push_back(checked(GEOSBufferWithStyle_r(geos_context(), g.get(), width_m, qs,
                                                      round ? GEOSBUF_CAP_ROUND : GEOSBUF_CAP_FLAT,
                                                      GEOSBUF_JOIN_ROUND, 5.0),
                                "buffer line")
                            .release());
    }
}

/// Appends the GEOS geometries of all pieces to `parts` (owned raw pointers).
void piece_geometries(const AreaPieces& pieces, int qs, std::vector<GEOSGeometry*>& parts) {
    auto* h = geos_context();
    if (pieces.round_line_widths.empty()) {
        buffer_lines(pieces.round_lines, pieces.width_m, qs, true, parts);
    } else {
        core::require_invariant(pieces.round_line_widths.size() == pieces.round_lines.size(),
                                "one width per round line");
        for (std::size_t i = 0; i < pieces.round_lines.size(); ++i) {
            buffer_lines(core::MultiLineString{pieces.round_lines[i]}, pieces.round_line_widths[i],
                         qs, true, parts);
        }
    }
    buffer_lines(pieces.flat_lines, pieces.width_m, qs, false, parts);
    for (std::size_t i = 0; i < pieces.disk_centres.size(); ++i) {
        if (pieces.disk_radii[i] <= 0) {
            continue;
        }
        const auto p = to_geos(pieces.disk_centres[i]);
        parts.push_back(
            checked(GEOSBuffer_r(h, p.get(), pieces.disk_radii[i], qs), "buffer point").release());
    }
    for (const auto& poly : pieces.polygons) {
        parts.push_back(to_geos(poly).release());
    }
}

}  // namespace

bool strictly_convex_clockwise(const core::Polygon& polygon) {
    const auto& ring = polygon.outer();
    if (!polygon.inners().empty() || ring.size() < 4 || ring.front().x() != ring.back().x() ||
        ring.front().y() != ring.back().y()) {
        return false;
    }
    const std::size_t n = ring.size() - 1;
    double turning = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& p0 = ring[i];
        const auto& p1 = ring[(i + 1) % n];
        const auto& p2 = ring[(i + 2) % n];
        const double ax = p1.x() - p0.x();
        const double ay = p1.y() - p0.y();
        const double bx = p2.x() - p1.x();
        const double by = p2.y() - p1.y();
        const double c = ax * by - ay * bx;
        if (!(c < 0)) {  // also false for NaN
            return false;
        }
        turning += std::atan2(c, ax * bx + ay * by);
    }
    // -2 pi for a simple ring; a ring wound twice (a star) turns -4 pi or more.
    return turning > -3.0 * 3.14159265358979323846;
}

namespace {

GeosPtr union_of(std::vector<GEOSGeometry*>& parts) {
    auto* h = geos_context();
    if (parts.empty()) {
        return empty_polygon();
    }
    const auto coll =
        checked(GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts.data(),
                                            static_cast<unsigned>(parts.size())),
                "create collection");
    parts.clear();
    return checked(GEOSUnaryUnion_r(h, coll.get()), "union");
}

}  // namespace

core::MultiPolygon union_pieces(const AreaPieces& pieces, int quadrant_segments) {
    std::vector<GEOSGeometry*> parts;
    piece_geometries(pieces, quadrant_segments, parts);
    const auto u = union_of(parts);
    return polygons_from_geos(u.get());
}

core::MultiPolygon union_with(const core::MultiPolygon& base, const AreaPieces& pieces,
                              int quadrant_segments) {
    std::vector<GEOSGeometry*> parts;
    if (!base.empty()) {
        parts.push_back(to_geos(base).release());
    }
    piece_geometries(pieces, quadrant_segments, parts);
    const auto u = union_of(parts);
    return polygons_from_geos(u.get());
}

core::MultiPolygon subtract(const core::MultiPolygon& area, const AreaPieces& holes,
                            int quadrant_segments) {
    if (area.empty() || holes.empty()) {
        return area;
    }
    std::vector<GEOSGeometry*> parts;
    piece_geometries(holes, quadrant_segments, parts);
    const auto hole = union_of(parts);
    const auto a = to_geos(area);
    const auto d = checked(GEOSDifference_r(geos_context(), a.get(), hole.get()), "difference");
    return polygons_from_geos(d.get());
}

core::MultiPolygon subtract(const core::MultiPolygon& area, const core::MultiPolygon& hole) {
    if (area.empty() || hole.empty()) {
        return area;
    }
    const auto a = to_geos(area);
    const auto b = to_geos(hole);
    const auto d = checked(GEOSDifference_r(geos_context(), a.get(), b.get()), "difference");
    return polygons_from_geos(d.get());
}

core::MultiPolygon union_pair(const core::MultiPolygon& a, const core::MultiPolygon& b) {
    if (a.empty()) {
        return b;
    }
    if (b.empty()) {
        return a;
    }
    const auto ga = to_geos(a);
    const auto gb = to_geos(b);
    const auto u = checked(GEOSUnion_r(geos_context(), ga.get(), gb.get()), "union");
    return polygons_from_geos(u.get());
}

core::MultiPolygon union_areas(std::span<const core::MultiPolygon> areas) {
    std::vector<GEOSGeometry*> parts;
    for (const auto& a : areas) {
        if (!a.empty()) {
            parts.push_back(to_geos(a).release());
        }
    }
    const auto u = union_of(parts);
    return polygons_from_geos(u.get());
}

core::MultiPolygon grow(const core::MultiPolygon& area, double distance_m, int quadrant_segments) {
    if (area.empty()) {
        return area;
    }
    const auto a = to_geos(area);
    const auto b =
        checked(GEOSBuffer_r(geos_context(), a.get(), distance_m, quadrant_segments), "buffer");
    return polygons_from_geos(b.get());
}

namespace {

using XY = std::pair<double, double>;

/// A counter-clockwise ring of points (first not repeated) as a closed clockwise bg polygon.
core::Polygon clockwise_polygon(const std::vector<XY>& ccw) {
    core::Polygon out;
    out.outer().reserve(ccw.size() + 1);
    for (auto it = ccw.rbegin(); it != ccw.rend(); ++it) {
        out.outer().emplace_back(it->first, it->second);
    }
    out.outer().push_back(out.outer().front());
    return out;
}

/// The Minkowski sum of a convex ring (closed, every turn of sign `sign` or collinear) and a
/// convex counter-clockwise polygon `disk`, as the convex hull of every vertex moved by every
/// disk vertex (Andrew's monotone chain): O(n k log(n k)), robust.
std::optional<core::Polygon> minkowski_hull(const core::Ring& ring, const std::vector<XY>& disk) {
    const std::size_t n = ring.size() - 1;
    std::vector<XY> pts;
    pts.reserve(n * disk.size());
    for (std::size_t i = 0; i < n; ++i) {
        for (const auto& [dx, dy] : disk) {
            pts.emplace_back(ring[i].x() + dx, ring[i].y() + dy);
        }
    }
    std::sort(pts.begin(), pts.end());
    pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
    if (pts.size() < 3) {
        return std::nullopt;
    }
    const auto cross = [](const XY& o, const XY& a, const XY& b) {
        return (a.first - o.first) * (b.second - o.second) - (a.second - o.second) * (b.first - o.first);
    };
    std::vector<XY> hull(2 * pts.size());
    std::size_t m = 0;
    for (const auto& p : pts) {
        while (m >= 2 && cross(hull[m - 2], hull[m - 1], p) <= 0) {
            --m;
        }
        hull[m++] = p;
    }
    for (std::size_t i = pts.size() - 1, lower = m + 1; i-- > 0;) {
        while (m >= lower && cross(hull[m - 2], hull[m - 1], pts[i]) <= 0) {
            --m;
        }
        hull[m++] = pts[i];
    }
    hull.resize(m - 1);  // the last point repeats the first
    return clockwise_polygon(hull);
}

/// The same sum by merging the two polygons' edges in angular order, O(n + k): each vertex of
/// the sum is a ring vertex plus a disk vertex. The result is accepted only when it is strictly
/// convex (nearly collinear input edges may break the merge); otherwise nullopt.
std::optional<core::Polygon> minkowski_merge(const core::Ring& ring, int sign,
                                             const std::vector<XY>& disk) {
    const std::size_t n = ring.size() - 1;
    if (disk.size() < 3) {
        return std::nullopt;
    }
    std::vector<XY> p;  // the ring counter-clockwise, collinear vertices dropped
    p.reserve(n);
    for (std::size_t s = 0; s < n; ++s) {
        const std::size_t i = sign > 0 ? s : n - 1 - s;  // sign > 0: already counter-clockwise
        p.emplace_back(ring[i].x(), ring[i].y());
    }
    const auto cross = [](const XY& o, const XY& a, const XY& b) {
        return (a.first - o.first) * (b.second - o.second) - (a.second - o.second) * (b.first - o.first);
    };
    std::vector<XY> q;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const auto& prev = p[(i + p.size() - 1) % p.size()];
        const auto& next = p[(i + 1) % p.size()];
        if (cross(prev, p[i], next) > 0) {
            q.push_back(p[i]);
        }
    }
    const std::size_t nq = q.size();
    const std::size_t nd = disk.size();
    if (nq < 3 || nd < 3) {
        return std::nullopt;
    }
    // Start both at their lowest vertex (then leftmost).
    const auto lowest = [](const std::vector<XY>& v) {
        std::size_t best = 0;
        for (std::size_t i = 1; i < v.size(); ++i) {
            if (v[i].second < v[best].second ||
                (v[i].second == v[best].second && v[i].first < v[best].first)) {
                best = i;
            }
        }
        return best;
    };
    const std::size_t i0 = lowest(q);
    const std::size_t j0 = lowest(disk);
    std::vector<XY> out;
    out.reserve(nq + nd);
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < nq || j < nd) {
        const auto& a = q[(i0 + i) % nq];
        const auto& b = disk[(j0 + j) % nd];
        out.emplace_back(a.first + b.first, a.second + b.second);
        // The edge with the smaller angle goes first; parallel edges go together.
        double c = 0.0;
        if (i == nq) {
            c = -1.0;
        } else if (j == nd) {
            c = 1.0;
        } else {
            const auto& a1 = q[(i0 + i + 1) % nq];
            const auto& b1 = disk[(j0 + j + 1) % nd];
            c = (a1.first - a.first) * (b1.second - b.second) -
                (a1.second - a.second) * (b1.first - b.first);
        }
        if (c >= 0) {
            ++i;
        }
        if (c <= 0) {
            ++j;
        }
    }
    // Rounding can leave a vertex where a ring edge and a disk edge are nearly parallel with a
    // turn of zero or the wrong sign: drop such vertices (a Graham scan from the lowest point,
    // which the sum starts at and which is a vertex of the hull).
    std::vector<XY> kept;
    kept.reserve(out.size());
    for (const auto& v : out) {
        while (kept.size() >= 2 && cross(kept[kept.size() - 2], kept.back(), v) <= 0) {
            kept.pop_back();
        }
        kept.push_back(v);
    }
    while (kept.size() >= 3 && cross(kept[kept.size() - 2], kept.back(), kept.front()) <= 0) {
        kept.pop_back();
    }
    if (kept.size() < 3) {
        return std::nullopt;
    }
    auto poly = clockwise_polygon(kept);
    if (!strictly_convex_clockwise(poly)) {
        return std::nullopt;
    }
    return poly;
}

}  // namespace

std::optional<core::Polygon> grow_convex(const core::Polygon& polygon, double distance_m,
                                        int quadrant_segments) {
    const auto& ring = polygon.outer();
    if (!polygon.inners().empty() || ring.size() < 4 || distance_m <= 0) {
        return std::nullopt;
    }
    // Convex: every turn of the closed ring has the same sign (collinear turns allowed).
    const std::size_t n = ring.size() - 1;
    int sign = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& p0 = ring[i];
        const auto& p1 = ring[(i + 1) % n];
        const auto& p2 = ring[(i + 2) % n];
        const double c = (p1.x() - p0.x()) * (p2.y() - p1.y()) - (p1.y() - p0.y()) * (p2.x() - p1.x());
        const int sc = c > 0 ? 1 : (c < 0 ? -1 : 0);
        if (sc != 0) {
            if (sign != 0 && sc != sign) {
                return std::nullopt;
            }
            sign = sc;
        }
    }
    if (sign == 0) {
        return std::nullopt;
    }
    // Minkowski sum with the disk polygon (4 * quadrant_segments vertices on the circle).
    const int k = 4 * std::max(1, quadrant_segments);
    std::vector<std::pair<double, double>> disk;  // the disk's offsets, counter-clockwise
    disk.reserve(static_cast<std::size_t>(k));
    for (int j = 0; j < k; ++j) {
        const double t = 2.0 * 3.14159265358979323846 * j / k;
        disk.emplace_back(distance_m * std::cos(t), distance_m * std::sin(t));
    }
    if (auto merged = minkowski_merge(ring, sign, disk)) {
        return merged;
    }
    return minkowski_hull(ring, disk);
}

core::MultiPolygon grown_union(std::span<const core::MultiPolygon> areas, double simplify_m,
                               double distance_m, int quadrant_segments) {
    auto* h = geos_context();
    // Areas whose boxes, grown by distance_m, do not meet grow into disjoint shapes: group the
    // areas by overlapping grown boxes (union-find over a sweep in x) and run the GEOS union and
    // buffer per group only; the groups' results are disjoint and are simply collected.
    std::vector<std::size_t> present;  // areas that are not empty
    std::vector<core::Box> boxes;
    const double d = std::max(0.0, distance_m) + 1e-6;
    for (std::size_t i = 0; i < areas.size(); ++i) {
        if (areas[i].empty()) {
            continue;
        }
        auto b = core::bg::return_envelope<core::Box>(areas[i]);
        b.min_corner() = {b.min_corner().x() - d, b.min_corner().y() - d};
        b.max_corner() = {b.max_corner().x() + d, b.max_corner().y() + d};
        boxes.push_back(b);
        present.push_back(i);
    }
    auto groups = meeting_groups(boxes);
    for (auto& group : groups) {
        for (auto& m : group) {
            m = present[m];
        }
    }
    core::MultiPolygon out;
    for (const auto& group : groups) {
        // A lone convex footprint grows as a Minkowski sum with the disk polygon (no GEOS
        // buffer); so does every member of a group of convex footprints, whose grown shapes are
        // then unioned; any other group is unioned first and grown once with a GEOS buffer.
        std::vector<core::MultiPolygon> simple(group.size());
        for (std::size_t m = 0; m < group.size(); ++m) {
            const auto& a = areas[group[m]];
            // Douglas-Peucker per polygon (cheap for small footprints); kept when still valid.
            if (simplify_m > 0) {
                core::bg::simplify(a, simple[m], simplify_m);
                const bool convex =
                    simple[m].size() == 1 && strictly_convex_clockwise(simple[m].front());
                if (simple[m].empty() || (!convex && !core::bg::is_valid(simple[m]))) {
                    simple[m] = a;
                }
            } else {
                simple[m] = a;
            }
        }
        if (group.size() == 1 && simple.front().size() == 1) {
            if (auto grown = grow_convex(simple.front().front(), distance_m, quadrant_segments)) {
                out.push_back(std::move(*grown));
                continue;
            }
        }
        // A group of convex footprints: each grows as a Minkowski sum and the grown shapes are
        // unioned (the growth of a union is the union of the growths; a union of a few small
        // convex polygons is far cheaper than a GEOS buffer of their union).
        if (group.size() > 1 && distance_m > 0) {
            std::vector<GEOSGeometry*> grown_parts;
            bool all_convex = true;
            for (const auto& a : simple) {
                std::optional<core::Polygon> grown;
                if (a.size() == 1) {
                    grown = grow_convex(a.front(), distance_m, quadrant_segments);
                }
                if (!grown) {
                    all_convex = false;
                    break;
                }
                grown_parts.push_back(to_geos(*grown).release());
            }
            if (all_convex) {
                const auto u = union_of(grown_parts);
                auto polys = polygons_from_geos(u.get());
                for (auto& p : polys) {
                    out.push_back(std::move(p));
                }
                continue;
            }
            for (auto* part : grown_parts) {
                GEOSGeom_destroy_r(h, part);
            }
        }
        // Members whose own boxes do not meet are disjoint: they form a valid multipolygon as
        // they are, and the buffer unites what grows together (no union first).
        bool disjoint = true;
        std::vector<core::Box> own;
        own.reserve(simple.size());
        for (const auto& a : simple) {
            own.push_back(core::bg::return_envelope<core::Box>(a));
        }
        for (std::size_t x = 0; x < own.size() && disjoint; ++x) {
            for (std::size_t y = x + 1; y < own.size() && disjoint; ++y) {
                disjoint = !core::bg::intersects(own[x], own[y]);
            }
        }
        GeosPtr u;
        if (disjoint) {
            core::MultiPolygon all;
            for (auto& a : simple) {
                for (auto& p : a) {
                    all.push_back(std::move(p));
                }
            }
            u = to_geos(all);
        } else {
            std::vector<GEOSGeometry*> parts;
            parts.reserve(simple.size());
            for (const auto& a : simple) {
                parts.push_back(to_geos(a).release());
            }
            u = parts.size() == 1 ? GeosPtr(parts.front()) : union_of(parts);
        }
        const auto b = checked(GEOSBuffer_r(h, u.get(), distance_m, quadrant_segments), "buffer");
        auto polys = polygons_from_geos(b.get());
        for (auto& p : polys) {
            out.push_back(std::move(p));
        }
    }
    return out;
}

namespace {

/// Cuts g (inside box) into tiles of at most max_vertices vertices.
void cut_tiles(const GEOSGeometry* g, const core::Box& box, std::size_t max_vertices, int depth,
               std::vector<core::MultiPolygon>& out) {
    auto* h = geos_context();
    if (GEOSisEmpty_r(h, g) == 1) {
        return;
    }
    const int n = GEOSGetNumCoordinates_r(h, g);
    if (n >= 0 && (static_cast<std::size_t>(n) <= max_vertices || depth >= 24)) {
        auto polys = polygons_from_geos(g);
        if (!polys.empty()) {
            out.push_back(std::move(polys));
        }
        return;
    }
    const double mx = 0.5 * (box.min_corner().x() + box.max_corner().x());
    const double my = 0.5 * (box.min_corner().y() + box.max_corner().y());
    const core::Box quads[4] = {
        {{box.min_corner().x(), box.min_corner().y()}, {mx, my}},
        {{mx, box.min_corner().y()}, {box.max_corner().x(), my}},
        {{box.min_corner().x(), my}, {mx, box.max_corner().y()}},
        {{mx, my}, {box.max_corner().x(), box.max_corner().y()}}};
    for (const auto& q : quads) {
        const auto c = checked(GEOSClipByRect_r(h, g, q.min_corner().x(), q.min_corner().y(),
                                                q.max_corner().x(), q.max_corner().y()),
                               "clip");
        cut_tiles(c.get(), q, max_vertices, depth + 1, out);
    }
}

}  // namespace

TiledSubtractor::TiledSubtractor(const core::MultiPolygon& hole, std::size_t max_vertices) {
    if (hole.empty()) {
        return;
    }
    const auto g = to_geos(hole);
    auto box = core::bg::return_envelope<core::Box>(hole);
    box.min_corner() = {box.min_corner().x() - 1.0, box.min_corner().y() - 1.0};
    box.max_corner() = {box.max_corner().x() + 1.0, box.max_corner().y() + 1.0};
    cut_tiles(g.get(), box, std::max<std::size_t>(64, max_vertices), 0, tiles_);
    for (const auto& t : tiles_) {
        boxes_.push_back(core::bg::return_envelope<core::Box>(t));
    }
}

core::MultiPolygon TiledSubtractor::apply(const core::MultiPolygon& area) const {
    if (area.empty() || tiles_.empty()) {
        return area;
    }
    // Polygons of the area whose boxes meet no tile stay as they are.
    core::MultiPolygon near;
    core::MultiPolygon out;
    for (const auto& poly : area) {
        const auto pb = core::bg::return_envelope<core::Box>(poly);
        bool meets = false;
        for (std::size_t i = 0; i < tiles_.size() && !meets; ++i) {
            meets = core::bg::intersects(boxes_[i], pb);
        }
        (meets ? near : out).push_back(poly);
    }
    if (!near.empty()) {
        auto cut = apply_near(near);
        for (auto& p : cut) {
            out.push_back(std::move(p));
        }
    }
    return out;
}

core::MultiPolygon TiledSubtractor::apply_near(const core::MultiPolygon& area) const {
    auto* h = geos_context();
    const auto box = core::bg::return_envelope<core::Box>(area);
    std::vector<GEOSGeometry*> parts;
    for (std::size_t i = 0; i < tiles_.size(); ++i) {
        if (core::bg::intersects(boxes_[i], box)) {
            const auto t = to_geos(tiles_[i]);
            parts.push_back(checked(GEOSClipByRect_r(h, t.get(), box.min_corner().x() - 1,
                                                     box.min_corner().y() - 1,
                                                     box.max_corner().x() + 1,
                                                     box.max_corner().y() + 1),
                                    "clip")
                                .release());
        }
    }
    if (parts.empty()) {
        return area;
    }
    const auto hole = union_of(parts);
    if (GEOSisEmpty_r(h, hole.get()) == 1) {
        return area;
    }
    const auto a = to_geos(area);
    const auto d = checked(GEOSDifference_r(h, a.get(), hole.get()), "difference");
    return polygons_from_geos(d.get());
}

bool is_valid_area(const core::MultiPolygon& area) {
    if (area.empty()) {
        return true;
    }
    const auto a = to_geos(area);
    return GEOSisValid_r(geos_context(), a.get()) == 1;
}

struct Subtractor::Impl {
    GeosPtr hole;
    const GEOSPreparedGeometry* prepared = nullptr;
    ~Impl() {
        if (prepared != nullptr) {
            GEOSPreparedGeom_destroy_r(geos_context(), prepared);
        }
    }
    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    Impl(Impl&&) = delete;
    Impl& operator=(Impl&&) = delete;
};

Subtractor::Subtractor(const core::MultiPolygon& hole) : impl_(std::make_unique<Impl>()) {
    if (!hole.empty()) {
        impl_->hole = to_geos(hole);
        impl_->prepared = GEOSPrepare_r(geos_context(), impl_->hole.get());
        core::require_invariant(impl_->prepared != nullptr, "GEOSPrepare_r failed");
    }
}

Subtractor::~Subtractor() = default;

core::MultiPolygon Subtractor::apply(const core::MultiPolygon& area) const {
    if (area.empty() || impl_->prepared == nullptr) {
        return area;
    }
    auto* h = geos_context();
    const auto a = to_geos(area);
    if (GEOSPreparedIntersects_r(h, impl_->prepared, a.get()) != 1) {
        return area;
    }
    const auto box = core::bg::return_envelope<core::Box>(area);
    const auto clipped = checked(
        GEOSClipByRect_r(h, impl_->hole.get(), box.min_corner().x() - 1, box.min_corner().y() - 1,
                         box.max_corner().x() + 1, box.max_corner().y() + 1),
        "clip");
    const auto d = checked(GEOSDifference_r(h, a.get(), clipped.get()), "difference");
    return polygons_from_geos(d.get());
}

}  // namespace gridplan::geom
