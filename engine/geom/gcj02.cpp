#include "geom/gcj02.hpp"

#include <cmath>
#include <numbers>

namespace gridplan::geom {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kKrasovskyA = 6378245.0;                    // semi-major axis used by GCJ-02
constexpr double kKrasovskyEe = 0.00669342162296594323;      // first eccentricity squared
constexpr double kBdFactor = kPi * 3000.0 / 180.0;
constexpr double kTolDeg = 1e-10;
constexpr int kMaxIterations = 60;

// The two published polynomial + sine series, evaluated at (lon - 105, lat - 35).
double series_lat(double x, double y) {
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
    return r;
}

double series_lon(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
    return r;
}

// Applies `forward` inverted by fixed-point iteration: find p with forward(p) == target.
template <typename Forward>
core::Point invert(core::Point target, Forward forward) {
    core::Point p = target;
    for (int i = 0; i < kMaxIterations; ++i) {
        const core::Point f = forward(p);
        const double ex = f.x() - target.x();
        const double ey = f.y() - target.y();
        p = core::Point{p.x() - ex, p.y() - ey};
        if (std::abs(ex) < kTolDeg && std::abs(ey) < kTolDeg) {
            break;
        }
    }
    return p;
}

}  // namespace

bool in_gcj02_area(double lon_deg, double lat_deg) noexcept {
    return lon_deg >= 72.004 && lon_deg <= 137.8347 && lat_deg >= 0.8293 && lat_deg <= 55.8271;
}

core::Point wgs84_to_gcj02(core::Point wgs) noexcept {
    const double lon = wgs.x();
    const double lat = wgs.y();
    if (!in_gcj02_area(lon, lat)) {
        return wgs;
    }
    double dlat = series_lat(lon - 105.0, lat - 35.0);
    double dlon = series_lon(lon - 105.0, lat - 35.0);
    const double phi = lat / 180.0 * kPi;
    const double w = 1.0 - kKrasovskyEe * std::sin(phi) * std::sin(phi);
    const double sqrt_w = std::sqrt(w);
    // Convert metres-like offsets to degrees with the meridian and prime-vertical radii.
    dlat = dlat * 180.0 / ((kKrasovskyA * (1.0 - kKrasovskyEe)) / (w * sqrt_w) * kPi);
    dlon = dlon * 180.0 / (kKrasovskyA / sqrt_w * std::cos(phi) * kPi);
    return core::Point{lon + dlon, lat + dlat};
}

core::Point gcj02_to_wgs84(core::Point gcj) noexcept {
    if (!in_gcj02_area(gcj.x(), gcj.y())) {
        return gcj;
    }
    return invert(gcj, [](core::Point p) { return wgs84_to_gcj02(p); });
}

core::Point gcj02_to_bd09(core::Point gcj) noexcept {
    const double x = gcj.x();
    const double y = gcj.y();
    const double z = std::sqrt(x * x + y * y) + 0.00002 * std::sin(y * kBdFactor);
    const double theta = std::atan2(y, x) + 0.000003 * std::cos(x * kBdFactor);
    return core::Point{z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

core::Point bd09_to_gcj02(core::Point bd) noexcept {
    return invert(bd, [](core::Point p) { return gcj02_to_bd09(p); });
}

core::Point wgs84_to_bd09(core::Point wgs) noexcept { return gcj02_to_bd09(wgs84_to_gcj02(wgs)); }

core::Point bd09_to_wgs84(core::Point bd) noexcept { return gcj02_to_wgs84(bd09_to_gcj02(bd)); }

}  // namespace gridplan::geom
