#include "geom/area_union.hpp"

#include <geos_c.h>

#include <vector>

#include "core/error.hpp"
#include "geom/geos.hpp"

namespace gridplan::geom {
namespace {

GeosPtr empty_polygon() {
    return checked(GEOSGeom_createEmptyPolygon_r(geos_context()), "create empty polygon");
}

/// Appends the GEOS geometries of all pieces to `parts` (owned raw pointers).
void piece_geometries(const AreaPieces& pieces, int qs, std::vector<GEOSGeometry*>& parts) {
    auto* h = geos_context();
    if (!pieces.round_lines.empty() && pieces.width_m > 0) {
        const auto lines = to_geos(pieces.round_lines);
        parts.push_back(checked(GEOSBufferWithStyle_r(h, lines.get(), pieces.width_m, qs,
                                                      GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_ROUND, 5.0),
                                "buffer lines")
                            .release());
    }
    if (!pieces.flat_lines.empty() && pieces.width_m > 0) {
        const auto lines = to_geos(pieces.flat_lines);
        parts.push_back(checked(GEOSBufferWithStyle_r(h, lines.get(), pieces.width_m, qs,
                                                      GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_ROUND, 5.0),
                                "buffer lines")
                            .release());
    }
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

bool is_valid_area(const core::MultiPolygon& area) {
    if (area.empty()) {
        return true;
    }
    const auto a = to_geos(area);
    return GEOSisValid_r(geos_context(), a.get()) == 1;
}

}  // namespace gridplan::geom
