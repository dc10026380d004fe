#include "geom/repair.hpp"

#include <geos_c.h>

#include "core/error.hpp"
#include "geom/geos.hpp"

namespace gridplan::geom {

std::optional<ValidityIssue> polygon_validity(const core::MultiPolygon& polygons) {
    auto* h = geos_context();
    const GeosPtr g = to_geos(polygons);
    char* reason = nullptr;
    GEOSGeometry* location = nullptr;
    const char valid = GEOSisValidDetail_r(h, g.get(), 0, &reason, &location);
    if (valid == 2) {
        throw core::Error{core::Errc::internal, "GEOS isValidDetail failed: " + last_geos_error()};
    }
    std::optional<ValidityIssue> issue;
    if (valid == 0) {
        issue = ValidityIssue{reason != nullptr ? std::string{reason} : std::string{"invalid"}, {}};
        if (location != nullptr) {
            const auto pts = points_from_geos(location);
            if (!pts.empty()) {
                issue->location = pts.front();
            }
        }
    }
    if (reason != nullptr) {
        GEOSFree_r(h, reason);
    }
    if (location != nullptr) {
        GEOSGeom_destroy_r(h, location);
    }
    return issue;
}

core::MultiPolygon make_valid_polygons(const core::MultiPolygon& polygons) {
    auto* h = geos_context();
    const GeosPtr g = to_geos(polygons);
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(h);
    GEOSMakeValidParams_setMethod_r(h, params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(h, params, 0);
    GEOSGeometry* fixed = GEOSMakeValidWithParams_r(h, g.get(), params);
    GEOSMakeValidParams_destroy_r(h, params);
    const GeosPtr owned = checked(fixed, "MakeValid");
    return polygons_from_geos(owned.get());
}

std::optional<core::Point> point_on_surface(const core::MultiPolygon& polygons) {
    if (polygons.empty()) {
        return std::nullopt;
    }
    auto* h = geos_context();
    const GeosPtr g = to_geos(polygons);
    const GeosPtr p = checked(GEOSPointOnSurface_r(h, g.get()), "PointOnSurface");
    const auto pts = points_from_geos(p.get());
    if (pts.empty()) {
        return std::nullopt;
    }
    return pts.front();
}

double area(const core::MultiPolygon& polygons) { return core::bg::area(polygons); }

core::MultiPolygon intersection(const core::MultiPolygon& a, const core::MultiPolygon& b) {
    auto* h = geos_context();
    const GeosPtr ga = to_geos(a);
    const GeosPtr gb = to_geos(b);
    const GeosPtr gi = checked(GEOSIntersection_r(h, ga.get(), gb.get()), "Intersection");
    return polygons_from_geos(gi.get());
}

double intersection_area(const core::MultiPolygon& a, const core::MultiPolygon& b) {
    auto* h = geos_context();
    const GeosPtr ga = to_geos(a);
    const GeosPtr gb = to_geos(b);
    const GeosPtr gi = checked(GEOSIntersection_r(h, ga.get(), gb.get()), "Intersection");
    double result = 0.0;
    if (GEOSArea_r(h, gi.get(), &result) == 0) {
        throw core::Error{core::Errc::internal, "GEOS Area failed: " + last_geos_error()};
    }
    return result;
}

core::MultiPolygon union_all(const std::vector<const core::MultiPolygon*>& parts) {
    auto* h = geos_context();
    std::vector<GEOSGeometry*> geoms;
    geoms.reserve(parts.size());
    for (const auto* mp : parts) {
        for (const auto& poly : *mp) {
            geoms.push_back(to_geos(poly).release());
        }
    }
    const GeosPtr collection =
        checked(GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, geoms.data(),
                                            static_cast<unsigned>(geoms.size())),
                "create collection");
    const GeosPtr u = checked(GEOSUnaryUnion_r(h, collection.get()), "UnaryUnion");
    return polygons_from_geos(u.get());
}

}  // namespace gridplan::geom
