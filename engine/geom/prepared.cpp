#include "geom/prepared.hpp"

#include <geos_c.h>

#include "core/error.hpp"
#include "geom/geos.hpp"

namespace gridplan::geom {

struct PreparedArea::Impl {
    GeosPtr geometry;
    const GEOSPreparedGeometry* prepared = nullptr;
    Impl() = default;
    ~Impl() {
        if (prepared != nullptr) {
            GEOSPreparedGeom_destroy_r(geos_context(), prepared);
        }
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    Impl(Impl&&) = delete;
    Impl& operator=(Impl&&) = delete;
};

namespace {
bool answer(char r, const char* operation) {
    if (r == 2) {
        throw core::Error{core::Errc::internal,
                          std::string{"GEOS "} + operation + " failed: " + last_geos_error()};
    }
    return r == 1;
}
}  // namespace

PreparedArea::PreparedArea(const core::MultiPolygon& area) : impl_(std::make_unique<Impl>()) {
    if (!area.empty()) {
        impl_->geometry = to_geos(area);
        impl_->prepared = GEOSPrepare_r(geos_context(), impl_->geometry.get());
        if (impl_->prepared == nullptr) {
            throw core::Error{core::Errc::internal, "GEOS Prepare failed: " + last_geos_error()};
        }
    }
}

PreparedArea::~PreparedArea() = default;
PreparedArea::PreparedArea(PreparedArea&&) noexcept = default;
PreparedArea& PreparedArea::operator=(PreparedArea&&) noexcept = default;

bool PreparedArea::covers(const core::Point& p) const {
    if (impl_->prepared == nullptr) {
        return false;
    }
    const GeosPtr g = to_geos(p);
    return answer(GEOSPreparedIntersects_r(geos_context(), impl_->prepared, g.get()),
                  "PreparedIntersects");
}

bool PreparedArea::intersects(const core::LineString& line) const {
    if (impl_->prepared == nullptr || line.size() < 2) {
        return false;
    }
    const GeosPtr g = to_geos(line);
    return answer(GEOSPreparedIntersects_r(geos_context(), impl_->prepared, g.get()),
                  "PreparedIntersects");
}

bool PreparedArea::contains(const core::MultiPolygon& polygons) const {
    if (impl_->prepared == nullptr) {
        return false;
    }
    const GeosPtr g = to_geos(polygons);
    return answer(GEOSPreparedContains_r(geos_context(), impl_->prepared, g.get()),
                  "PreparedContains");
}

double PreparedArea::intersection_area(const core::MultiPolygon& polygons) const {
    if (impl_->prepared == nullptr) {
        return 0.0;
    }
    auto* h = geos_context();
    const GeosPtr g = to_geos(polygons);
    if (!answer(GEOSPreparedIntersects_r(h, impl_->prepared, g.get()), "PreparedIntersects")) {
        return 0.0;
    }
    const GeosPtr gi = checked(GEOSIntersection_r(h, impl_->geometry.get(), g.get()), "Intersection");
    double result = 0.0;
    if (GEOSArea_r(h, gi.get(), &result) == 0) {
        throw core::Error{core::Errc::internal, "GEOS Area failed: " + last_geos_error()};
    }
    return result;
}

}  // namespace gridplan::geom
