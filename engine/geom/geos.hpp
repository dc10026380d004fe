#pragma once
/// \file
/// The GEOS adapter: a per-thread GEOS context and conversions between the Boost.Geometry
/// vocabulary (core/geometry.hpp) and GEOS geometries. Only geom/*.cpp include <geos_c.h>;
/// other modules call the operations declared in geom/*.hpp.

#include <memory>
#include <string>

#include "core/geometry.hpp"

// Forward declarations of the GEOS C API handle types, so this header does not pull in geos_c.h.
struct GEOSContextHandle_HS;
struct GEOSGeom_t;

namespace gridplan::geom {

using GeosHandle = GEOSContextHandle_HS*;
using GeosGeometry = GEOSGeom_t;

/// Owns one GEOS geometry of the calling thread's context.
struct GeosDeleter {
    void operator()(GeosGeometry* g) const noexcept;
};
using GeosPtr = std::unique_ptr<GeosGeometry, GeosDeleter>;

/// The calling thread's GEOS context (created on first use, destroyed at thread exit).
/// Errors raised by GEOS are captured; see last_geos_error().
[[nodiscard]] GeosHandle geos_context();

/// The last error message GEOS reported on this thread ("" if none).
[[nodiscard]] const std::string& last_geos_error();

/// Throws core::Error{internal} with GEOS's message when `g` is null; returns it owned otherwise.
[[nodiscard]] GeosPtr checked(GeosGeometry* g, const char* operation);

// Conversions to GEOS (closed rings are required; bg polygons are closed by construction).
[[nodiscard]] GeosPtr to_geos(const core::Point& p);
[[nodiscard]] GeosPtr to_geos(const core::LineString& line);
[[nodiscard]] GeosPtr to_geos(const core::MultiLineString& lines);
[[nodiscard]] GeosPtr to_geos(const core::Polygon& polygon);
[[nodiscard]] GeosPtr to_geos(const core::MultiPolygon& polygons);

/// The polygonal parts of any GEOS geometry (collections are walked; points and lines are
/// dropped), as a bg multipolygon with bg orientation (clockwise outer rings) and closed rings.
[[nodiscard]] core::MultiPolygon polygons_from_geos(const GeosGeometry* g);
/// The linear parts of any GEOS geometry (polygon boundaries are not included).
[[nodiscard]] core::MultiLineString lines_from_geos(const GeosGeometry* g);
/// The point parts of any GEOS geometry.
[[nodiscard]] std::vector<core::Point> points_from_geos(const GeosGeometry* g);

}  // namespace gridplan::geom
