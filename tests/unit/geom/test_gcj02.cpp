#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "geom/gcj02.hpp"

using gridplan::core::Point;
namespace geom = gridplan::geom;

namespace {

// Great-circle-ish distance in metres for small offsets (equirectangular, mean Earth radius).
double metres(Point a, Point b) {
    constexpr double kR = 6371008.8;
    constexpr double kDeg = 3.14159265358979323846 / 180.0;
    const double x = (b.x() - a.x()) * kDeg * std::cos((a.y() + b.y()) / 2.0 * kDeg);
    const double y = (b.y() - a.y()) * kDeg;
    return kR * std::hypot(x, y);
}

}  // namespace

TEST_CASE("GCJ-02 and BD-09 inverses round-trip to under 1 mm over China", "[geom]") {
    std::mt19937_64 rng{20240601};
    std::uniform_real_distribution<double> lon{73.7, 134.7};
    std::uniform_real_distribution<double> lat{18.2, 53.5};
    double worst_gcj = 0.0;
    double worst_bd = 0.0;
    for (int i = 0; i < 2000; ++i) {
        const Point wgs{lon(rng), lat(rng)};
        worst_gcj =
            std::max(worst_gcj, metres(wgs, geom::gcj02_to_wgs84(geom::wgs84_to_gcj02(wgs))));
        worst_bd = std::max(worst_bd, metres(wgs, geom::bd09_to_wgs84(geom::wgs84_to_bd09(wgs))));
    }
    CHECK(worst_gcj < 1e-3);
    CHECK(worst_bd < 1e-3);
}

TEST_CASE("GCJ-02 offsets of known cities match the published magnitudes", "[geom]") {
    // research/reliability_ecosystem.md §3.2: Beijing 555 m, Shanghai 481 m, Guangzhou 621 m,
    // Chengdu 363 m, Urumqi 265 m, Harbin 511 m.
    struct City {
        Point wgs;
        double offset_m;
    };
    const City cities[] = {{{116.391, 39.907}, 555.0},
                           {{121.4737, 31.2304}, 481.0},
                           {{113.2644, 23.1291}, 621.0},
                           {{104.0665, 30.5723}, 363.0},
                           {{87.6168, 43.8256}, 265.0},
                           {{126.6424, 45.7567}, 511.0}};
    for (const auto& c : cities) {
        CAPTURE(c.wgs.x(), c.wgs.y());
        CHECK(metres(c.wgs, geom::wgs84_to_gcj02(c.wgs)) == Approx(c.offset_m).margin(2.0));
    }
    // GCJ -> BD adds roughly 0.8-1 km.
    const Point gcj = geom::wgs84_to_gcj02({116.391, 39.907});
    const double bd_extra = metres(gcj, geom::gcj02_to_bd09(gcj));
    CHECK(bd_extra > 700.0);
    CHECK(bd_extra < 1100.0);
}

TEST_CASE("GCJ-02 leaves points outside China unchanged", "[geom]") {
    const Point monaco{7.4246, 43.7384};
    const Point g = geom::wgs84_to_gcj02(monaco);
    CHECK(g.x() == monaco.x());
    CHECK(g.y() == monaco.y());
    const Point back = geom::gcj02_to_wgs84(monaco);
    CHECK(back.x() == monaco.x());
    CHECK(back.y() == monaco.y());
    CHECK_FALSE(geom::in_gcj02_area(7.42, 43.74));
    CHECK(geom::in_gcj02_area(116.39, 39.9));
}
