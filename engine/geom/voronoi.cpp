#include "geom/voronoi.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/error.hpp"
#include "geom/geos.hpp"

namespace gridplan::geom {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

struct PreparedDeleter {
    void operator()(const GEOSPreparedGeometry* p) const noexcept {
        GEOSPreparedGeom_destroy_r(geos_context(), p);
    }
};

GeosPtr collection_of(const std::vector<const core::MultiPolygon*>& parts) {
    auto* h = geos_context();
    std::vector<GEOSGeometry*> geoms;
    for (const auto* mp : parts) {
        for (const auto& poly : *mp) {
            geoms.push_back(to_geos(poly).release());
        }
    }
    return checked(GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, geoms.data(),
                                               static_cast<unsigned>(geoms.size())),
                   "collecting polygons");
}

/// The clip ring (closed, no repeated closing point) when it is convex, with its orientation
/// sign (+1 counter-clockwise, -1 clockwise); empty when not convex.
std::vector<core::Point> convex_ring(const core::Polygon& clip, double& sign) {
    if (!clip.inners().empty()) {
        return {};
    }
    std::vector<core::Point> ring(clip.outer().begin(), clip.outer().end());
    if (ring.size() >= 2 && bg::equals(ring.front(), ring.back())) {
        ring.pop_back();
    }
    if (ring.size() < 3) {
        return {};
    }
    double area2 = 0.0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        area2 += a.x() * b.y() - b.x() * a.y();
    }
    sign = area2 > 0 ? 1.0 : -1.0;
    const double scale = std::abs(area2);
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        const auto& c = ring[(i + 2) % ring.size()];
        const double cross =
            (b.x() - a.x()) * (c.y() - b.y()) - (b.y() - a.y()) * (c.x() - b.x());
        if (sign * cross < -1e-12 * scale) {
            return {};
        }
    }
    return ring;
}

/// Intersection of segment p-q with the line a-b, computed from the lexicographically ordered
/// segment so that two cells sharing the edge get bit-identical points.
core::Point cut_point(core::Point p, core::Point q, const core::Point& a, const core::Point& b) {
    if (q.x() < p.x() || (q.x() == p.x() && q.y() < p.y())) {
        std::swap(p, q);
    }
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    const double sp = dx * (p.y() - a.y()) - dy * (p.x() - a.x());
    const double sq = dx * (q.y() - a.y()) - dy * (q.x() - a.x());
    const double t = sp / (sp - sq);
    return core::Point(p.x() + t * (q.x() - p.x()), p.y() + t * (q.y() - p.y()));
}

/// Sutherland-Hodgman clip of a convex polygon by a convex ring.
core::MultiPolygon clip_convex(const core::MultiPolygon& cell, const std::vector<core::Point>& clip,
                               double sign) {
    core::MultiPolygon out;
    if (cell.empty()) {
        return out;
    }
    std::vector<core::Point> poly(cell.front().outer().begin(), cell.front().outer().end());
    if (poly.size() >= 2 && bg::equals(poly.front(), poly.back())) {
        poly.pop_back();
    }
    std::vector<core::Point> next;
    for (std::size_t i = 0; i < clip.size() && !poly.empty(); ++i) {
        const auto& a = clip[i];
        const auto& b = clip[(i + 1) % clip.size()];
        auto side = [&](const core::Point& p) {
            return sign * ((b.x() - a.x()) * (p.y() - a.y()) - (b.y() - a.y()) * (p.x() - a.x()));
        };
        next.clear();
        for (std::size_t j = 0; j < poly.size(); ++j) {
            const auto& p = poly[j];
            const auto& q = poly[(j + 1) % poly.size()];
            const double sp = side(p);
            const double sq = side(q);
            if (sp >= 0) {
                next.push_back(p);
            }
            if ((sp >= 0) != (sq >= 0) && sp != sq) {
                next.push_back(cut_point(p, q, a, b));
            }
        }
        poly.swap(next);
    }
    if (poly.size() < 3) {
        return out;
    }
    core::Polygon result;
    result.outer().assign(poly.begin(), poly.end());
    result.outer().push_back(poly.front());
    bg::correct(result);
    if (bg::area(result) > 0) {
        out.push_back(std::move(result));
    }
    return out;
}

}  // namespace

std::vector<core::MultiPolygon> voronoi_cells(const std::vector<core::Point>& sites,
                                              const core::Polygon& clip) {
    std::vector<core::MultiPolygon> cells(sites.size());
    if (sites.empty()) {
        return cells;
    }
    if (sites.size() == 1) {
        cells[0].push_back(clip);
        return cells;
    }
    auto* h = geos_context();
    GeosPtr clip_g = to_geos(clip);
    std::vector<GEOSGeometry*> points;
    points.reserve(sites.size());
    for (const auto& s : sites) {
        points.push_back(to_geos(s).release());
    }
    GeosPtr multipoint = checked(GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, points.data(),
                                                             static_cast<unsigned>(points.size())),
                                 "collecting Voronoi sites");
    // A far envelope keeps GEOS from clipping cells itself (an overlay per cell); the cells
    // are clipped to the block below (exactly and cheaply when the block is convex).
    core::Box env_box;
    bg::envelope(clip, env_box);
    const double span = std::max({env_box.max_corner().x() - env_box.min_corner().x(),
                                  env_box.max_corner().y() - env_box.min_corner().y(), 1.0});
    core::Polygon far_env;
    bg::convert(core::Box(core::Point(env_box.min_corner().x() - 100 * span,
                                      env_box.min_corner().y() - 100 * span),
                          core::Point(env_box.max_corner().x() + 100 * span,
                                      env_box.max_corner().y() + 100 * span)),
                far_env);
    GeosPtr env_g = to_geos(far_env);
    GeosPtr diagram = checked(GEOSVoronoiDiagram_r(h, multipoint.get(), env_g.get(), 0.0, 0),
                              "Voronoi diagram");
    double sign = 1.0;
    const std::vector<core::Point> convex = convex_ring(clip, sign);
    std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter> prepared(
        convex.empty() ? GEOSPrepare_r(h, clip_g.get()) : nullptr);
    using Entry = std::pair<core::Point, std::size_t>;
    std::vector<Entry> entries;
    for (std::size_t i = 0; i < sites.size(); ++i) {
        entries.emplace_back(sites[i], i);
    }
    bgi::rtree<Entry, bgi::quadratic<16>> tree(entries.begin(), entries.end());
    const int n = GEOSGetNumGeometries_r(h, diagram.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* cell = GEOSGetGeometryN_r(h, diagram.get(), i);
        core::MultiPolygon cell_bg = polygons_from_geos(cell);
        if (cell_bg.empty()) {
            continue;
        }
        core::Box box;
        bg::envelope(cell_bg, box);
        std::vector<Entry> hits;
        tree.query(bgi::intersects(box), std::back_inserter(hits));
        std::size_t owner = sites.size();
        double best = 1e300;
        for (const auto& [p, idx] : hits) {
            // Voronoi cells are convex: the owner is inside; break ties by distance to the
            // cell's centroid when a neighbour lies on the boundary.
            if (bg::covered_by(p, cell_bg)) {
                core::Point c(0.0, 0.0);
                bg::centroid(cell_bg, c);
                const double d = bg::distance(p, c);
                if (d < best) {
                    best = d;
                    owner = idx;
                }
            }
        }
        if (owner == sites.size()) {
            continue;
        }
        if (!convex.empty()) {
            cells[owner] = clip_convex(cell_bg, convex, sign);
        } else if (GEOSPreparedContains_r(h, prepared.get(), cell) == 1) {
            cells[owner] = std::move(cell_bg);
        } else {
            GeosPtr clipped = checked(GEOSIntersection_r(h, cell, clip_g.get()), "clipping cell");
            cells[owner] = polygons_from_geos(clipped.get());
        }
    }
    return cells;
}

std::vector<SharedBoundary> shared_boundaries(const std::vector<const core::MultiPolygon*>& parts,
                                              double tolerance_m) {
    struct Seg {
        core::Point a, b;
        std::uint32_t owner;
    };
    std::vector<Seg> segs;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        for (const auto& poly : *parts[i]) {
            auto add_ring = [&](const core::Ring& ring) {
                for (std::size_t j = 1; j < ring.size(); ++j) {
                    if (bg::distance(ring[j - 1], ring[j]) > tolerance_m) {
                        segs.push_back({ring[j - 1], ring[j], static_cast<std::uint32_t>(i)});
                    }
                }
            };
            add_ring(poly.outer());
            for (const auto& inner : poly.inners()) {
                add_ring(inner);
            }
        }
    }
    using Entry = std::pair<core::Box, std::size_t>;
    std::vector<Entry> boxes;
    boxes.reserve(segs.size());
    for (std::size_t i = 0; i < segs.size(); ++i) {
        core::Box b(core::Point(std::min(segs[i].a.x(), segs[i].b.x()) - tolerance_m,
                                std::min(segs[i].a.y(), segs[i].b.y()) - tolerance_m),
                    core::Point(std::max(segs[i].a.x(), segs[i].b.x()) + tolerance_m,
                                std::max(segs[i].a.y(), segs[i].b.y()) + tolerance_m));
        boxes.emplace_back(b, i);
    }
    bgi::rtree<Entry, bgi::quadratic<16>> tree(boxes.begin(), boxes.end());
    std::vector<SharedBoundary> pairs;
    std::vector<Entry> hits;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const auto& s = segs[i];
        const double dx = s.b.x() - s.a.x();
        const double dy = s.b.y() - s.a.y();
        const double len = std::hypot(dx, dy);
        const double ux = dx / len;
        const double uy = dy / len;
        hits.clear();
        tree.query(bgi::intersects(boxes[i].first), std::back_inserter(hits));
        for (const auto& [box, j] : hits) {
            if (j <= i || segs[j].owner == s.owner) {
                continue;
            }
            const auto& t = segs[j];
            // Both ends of t within tolerance of s's supporting line.
            const double da = (t.a.x() - s.a.x()) * uy - (t.a.y() - s.a.y()) * ux;
            const double db = (t.b.x() - s.a.x()) * uy - (t.b.y() - s.a.y()) * ux;
            if (std::abs(da) > tolerance_m || std::abs(db) > tolerance_m) {
                continue;
            }
            const double ta = (t.a.x() - s.a.x()) * ux + (t.a.y() - s.a.y()) * uy;
            const double tb = (t.b.x() - s.a.x()) * ux + (t.b.y() - s.a.y()) * uy;
            const double lo = std::max(0.0, std::min(ta, tb));
            const double hi = std::min(len, std::max(ta, tb));
            if (hi - lo > tolerance_m) {
                const auto a = std::min(s.owner, t.owner);
                const auto b = std::max(s.owner, t.owner);
                pairs.push_back({a, b, hi - lo});
            }
        }
    }
    std::sort(pairs.begin(), pairs.end(), [](const SharedBoundary& x, const SharedBoundary& y) {
        return x.a != y.a ? x.a < y.a : x.b < y.b;
    });
    std::vector<SharedBoundary> merged;
    for (const auto& p : pairs) {
        if (!merged.empty() && merged.back().a == p.a && merged.back().b == p.b) {
            merged.back().length_m += p.length_m;
        } else {
            merged.push_back(p);
        }
    }
    return merged;
}

double perimeter_m(const core::MultiPolygon& polygons) { return bg::perimeter(polygons); }

core::MultiPolygon union_polygons(const std::vector<const core::MultiPolygon*>& parts) {
    if (parts.empty()) {
        return {};
    }
    if (parts.size() == 1) {
        return *parts[0];
    }
    GeosPtr all = collection_of(parts);
    GeosPtr u = checked(GEOSUnaryUnion_r(geos_context(), all.get()), "union of polygons");
    return polygons_from_geos(u.get());
}

core::MultiPolygon union_polygons_snapped(const std::vector<const core::MultiPolygon*>& parts,
                                          double grid_m) {
    if (parts.empty()) {
        return {};
    }
    GeosPtr all = collection_of(parts);
    if (parts.size() == 1) {  // nothing to join: one snap-rounding of the part
        GeosPtr r = checked(GEOSGeom_setPrecision_r(geos_context(), all.get(), grid_m, 0),
                            "polygon on a precision grid");
        return polygons_from_geos(r.get());
    }
    GeosPtr u = checked(GEOSUnaryUnion_r(geos_context(), all.get()), "union of polygons");
    GeosPtr r = checked(GEOSGeom_setPrecision_r(geos_context(), u.get(), grid_m, 0),
                        "union of polygons on a precision grid");
    return polygons_from_geos(r.get());
}

core::MultiPolygon coverage_union(const std::vector<const core::MultiPolygon*>& parts) {
    if (parts.empty()) {
        return {};
    }
    if (parts.size() == 1) {
        return *parts[0];
    }
    GeosPtr all = collection_of(parts);
    GEOSGeometry* u = GEOSCoverageUnion_r(geos_context(), all.get());
    if (u == nullptr || GEOSisValid_r(geos_context(), u) != 1) {
        if (u != nullptr) {
            GEOSGeom_destroy_r(geos_context(), u);
        }
        return union_polygons(parts);
    }
    GeosPtr owned(u);
    return polygons_from_geos(owned.get());
}

CoverageCheck check_coverage(const std::vector<const core::MultiPolygon*>& parts,
                             const core::MultiPolygon& whole) {
    CoverageCheck c;
    c.whole_m2 = bg::area(whole);
    for (const auto* p : parts) {
        c.parts_m2 += bg::area(*p);
    }
    auto* h = geos_context();
    GeosPtr all = collection_of(parts);
    GeosPtr u = checked(GEOSUnaryUnion_r(h, all.get()), "union of coverage");
    double ua = 0;
    GEOSArea_r(h, u.get(), &ua);
    c.union_m2 = ua;
    c.overlap_m2 = std::max(0.0, c.parts_m2 - c.union_m2);
    GeosPtr whole_g = to_geos(whole);
    GeosPtr gap = checked(GEOSDifference_r(h, whole_g.get(), u.get()), "coverage gaps");
    GeosPtr outside = checked(GEOSDifference_r(h, u.get(), whole_g.get()), "coverage outside");
    GEOSArea_r(h, gap.get(), &c.gap_m2);
    GEOSArea_r(h, outside.get(), &c.outside_m2);
    return c;
}

}  // namespace gridplan::geom
