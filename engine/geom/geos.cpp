#include "geom/geos.hpp"

#include <geos_c.h>

#include <cstdarg>
#include <cstdio>
#include <vector>

#include "core/error.hpp"

namespace gridplan::geom {
namespace {

struct ThreadContext {
    GEOSContextHandle_t handle = nullptr;
    std::string last_error;

    ThreadContext() {
        handle = GEOS_init_r();
        GEOSContext_setErrorMessageHandler_r(handle, &ThreadContext::on_error, this);
        GEOSContext_setNoticeMessageHandler_r(handle, &ThreadContext::on_notice, this);
    }
    ~ThreadContext() { GEOS_finish_r(handle); }
    ThreadContext(const ThreadContext&) = delete;
    ThreadContext& operator=(const ThreadContext&) = delete;
    ThreadContext(ThreadContext&&) = delete;
    ThreadContext& operator=(ThreadContext&&) = delete;

    static void on_error(const char* message, void* user) {
        static_cast<ThreadContext*>(user)->last_error = message;
    }
    static void on_notice(const char* /*message*/, void* /*user*/) {}
};

ThreadContext& thread_context() {
    thread_local ThreadContext context;
    return context;
}

GEOSCoordSequence* make_sequence(const std::vector<core::Point>& points) {
    auto* h = geos_context();
    std::vector<double> xy;
    xy.reserve(points.size() * 2);
    for (const auto& p : points) {
        xy.push_back(p.x());
        xy.push_back(p.y());
    }
    auto* seq = GEOSCoordSeq_copyFromBuffer_r(h, xy.data(), static_cast<unsigned>(points.size()),
                                              0, 0);
    core::require_invariant(seq != nullptr, "GEOSCoordSeq_copyFromBuffer_r failed");
    return seq;
}

GEOSGeometry* make_ring(const core::Ring& ring) {
    std::vector<core::Point> pts(ring.begin(), ring.end());
    if (!pts.empty() && !core::bg::equals(pts.front(), pts.back())) {
        pts.push_back(pts.front());
    }
    return GEOSGeom_createLinearRing_r(geos_context(), make_sequence(pts));
}

GEOSGeometry* make_polygon(const core::Polygon& polygon) {
    auto* h = geos_context();
    GEOSGeometry* shell = make_ring(polygon.outer());
    std::vector<GEOSGeometry*> holes;
    holes.reserve(polygon.inners().size());
    for (const auto& inner : polygon.inners()) {
        holes.push_back(make_ring(inner));
    }
    return GEOSGeom_createPolygon_r(h, shell, holes.data(), static_cast<unsigned>(holes.size()));
}

std::vector<core::Point> read_sequence(const GEOSCoordSequence* seq) {
    auto* h = geos_context();
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(h, seq, &n);
    std::vector<double> xy(static_cast<std::size_t>(n) * 2);
    if (n > 0) {
        GEOSCoordSeq_copyToBuffer_r(h, seq, xy.data(), 0, 0);
    }
    std::vector<core::Point> pts;
    pts.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
        pts.emplace_back(xy[2 * std::size_t{i}], xy[2 * std::size_t{i} + 1]);
    }
    return pts;
}

core::Ring read_ring(const GEOSGeometry* ring) {
    const auto pts = read_sequence(GEOSGeom_getCoordSeq_r(geos_context(), ring));
    return core::Ring(pts.begin(), pts.end());
}

void collect_polygons(const GEOSGeometry* g, core::MultiPolygon& out) {
    auto* h = geos_context();
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g) != 0) {
            return;
        }
        core::Polygon poly;
        poly.outer() = read_ring(GEOSGetExteriorRing_r(h, g));
        const int n_holes = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < n_holes; ++i) {
            poly.inners().push_back(read_ring(GEOSGetInteriorRingN_r(h, g, i)));
        }
        core::bg::correct(poly);
        out.push_back(std::move(poly));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; ++i) {
            collect_polygons(GEOSGetGeometryN_r(h, g, i), out);
        }
    }
}

void collect_lines(const GEOSGeometry* g, core::MultiLineString& out) {
    auto* h = geos_context();
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
        const auto pts = read_sequence(GEOSGeom_getCoordSeq_r(h, g));
        if (!pts.empty()) {
            out.emplace_back(pts.begin(), pts.end());
        }
    } else if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; ++i) {
            collect_lines(GEOSGetGeometryN_r(h, g, i), out);
        }
    }
}

void collect_points(const GEOSGeometry* g, std::vector<core::Point>& out) {
    auto* h = geos_context();
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POINT) {
        if (GEOSisEmpty_r(h, g) == 0) {
            const auto pts = read_sequence(GEOSGeom_getCoordSeq_r(h, g));
            out.insert(out.end(), pts.begin(), pts.end());
        }
    } else if (type == GEOS_MULTIPOINT || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; ++i) {
            collect_points(GEOSGetGeometryN_r(h, g, i), out);
        }
    }
}

}  // namespace

void GeosDeleter::operator()(GeosGeometry* g) const noexcept {
    if (g != nullptr) {
        GEOSGeom_destroy_r(geos_context(), g);
    }
}

GeosHandle geos_context() { return thread_context().handle; }

const std::string& last_geos_error() { return thread_context().last_error; }

GeosPtr checked(GeosGeometry* g, const char* operation) {
    if (g == nullptr) {
        throw core::Error{core::Errc::internal,
                          std::string{"GEOS "} + operation + " failed: " + last_geos_error()};
    }
    return GeosPtr{g};
}

GeosPtr to_geos(const core::Point& p) {
    return checked(GEOSGeom_createPointFromXY_r(geos_context(), p.x(), p.y()), "create point");
}

GeosPtr to_geos(const core::LineString& line) {
    std::vector<core::Point> pts(line.begin(), line.end());
    return checked(GEOSGeom_createLineString_r(geos_context(), make_sequence(pts)),
                   "create linestring");
}

GeosPtr to_geos(const core::MultiLineString& lines) {
    std::vector<GEOSGeometry*> parts;
    parts.reserve(lines.size());
    for (const auto& l : lines) {
        parts.push_back(to_geos(l).release());
    }
    return checked(GEOSGeom_createCollection_r(geos_context(), GEOS_MULTILINESTRING, parts.data(),
                                               static_cast<unsigned>(parts.size())),
                   "create multilinestring");
}

GeosPtr to_geos(const core::Polygon& polygon) {
    return checked(make_polygon(polygon), "create polygon");
}

GeosPtr to_geos(const core::MultiPolygon& polygons) {
    std::vector<GEOSGeometry*> parts;
    parts.reserve(polygons.size());
    for (const auto& p : polygons) {
        parts.push_back(checked(make_polygon(p), "create polygon").release());
    }
    return checked(GEOSGeom_createCollection_r(geos_context(), GEOS_MULTIPOLYGON, parts.data(),
                                               static_cast<unsigned>(parts.size())),
                   "create multipolygon");
}

core::MultiPolygon polygons_from_geos(const GeosGeometry* g) {
    core::MultiPolygon out;
    if (g != nullptr) {
        collect_polygons(g, out);
    }
    return out;
}

core::MultiLineString lines_from_geos(const GeosGeometry* g) {
    core::MultiLineString out;
    if (g != nullptr) {
        collect_lines(g, out);
    }
    return out;
}

std::vector<core::Point> points_from_geos(const GeosGeometry* g) {
    std::vector<core::Point> out;
    if (g != nullptr) {
        collect_points(g, out);
    }
    return out;
}

}  // namespace gridplan::geom
