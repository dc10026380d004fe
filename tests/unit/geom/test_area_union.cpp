// Area operations used by service circles and gaps (engine/geom/area_union.hpp): the convex
// growth equals GEOS's buffer up to the arc approximation, the grouped grown union equals the
// buffer of the union, and the tiled subtractor equals a plain difference.

#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "geom/area_union.hpp"
#include "support/areas.hpp"

using namespace gridplan;
namespace bg = boost::geometry;

namespace {

core::Polygon square(double x, double y, double half) {
    core::Polygon p;
    p.outer() = {{x - half, y - half},
                 {x - half, y + half},
                 {x + half, y + half},
                 {x + half, y - half},
                 {x - half, y - half}};
    return p;
}

}  // namespace

TEST_CASE("a convex footprint grows like a buffer", "[geom][area_union]") {
    const auto sq = square(0, 0, 5);
    const auto grown = geom::grow_convex(sq, 15.0, 4);
    REQUIRE(grown.has_value());
    CHECK(bg::is_valid(*grown));
    CHECK(bg::within(sq, *grown));
    // Exact area of the rounded square: 10x10 + 4 sides x 10 x 15 + a disk of radius 15; the
    // 16-gon disk is inscribed, so the polygon is a little smaller.
    const double exact = 100.0 + 4 * 10 * 15 + M_PI * 15 * 15;
    CHECK(bg::area(*grown) < exact);
    CHECK(bg::area(*grown) > exact - 0.03 * M_PI * 15 * 15);  // a 16-gon has 2.6 % less
    const auto buffered = geom::grow(core::MultiPolygon{sq}, 15.0, 4);
    CHECK(std::abs(bg::area(*grown) - bg::area(buffered)) < 0.01 * bg::area(buffered));

    core::Polygon ell;  // an L is not convex
    ell.outer() = {{0, 0}, {0, 10}, {5, 10}, {5, 5}, {10, 5}, {10, 0}, {0, 0}};
    bg::correct(ell);
    CHECK_FALSE(geom::grow_convex(ell, 15.0, 4).has_value());
}

TEST_CASE("a convex footprint grows into the hull of its vertices moved by the disk's",
          "[geom][area_union]") {
    // Random convex polygons (hulls of random points, some with collinear vertices): the grown
    // polygon is strictly convex and equals the convex hull of every vertex + every disk offset.
    std::mt19937_64 rng(20261124);
    std::uniform_real_distribution<double> coord(-20.0, 20.0);
    for (int round = 0; round < 300; ++round) {
        CAPTURE(round);
        bg::model::multi_point<core::Point> pts;
        const int n = 3 + round % 12;
        for (int i = 0; i < n; ++i) {
            pts.emplace_back(1000.0 + std::round(coord(rng)),
                             2000.0 + std::round(coord(rng)));  // exact midpoints
        }
        core::Polygon hull;
        bg::convex_hull(pts, hull);
        if (round % 3 == 0 && hull.outer().size() > 3) {  // a collinear vertex mid-edge
            const auto& a = hull.outer()[0];
            const auto& b = hull.outer()[1];
            hull.outer().insert(hull.outer().begin() + 1,
                                core::Point{(a.x() + b.x()) / 2, (a.y() + b.y()) / 2});
        }
        if (bg::area(hull) < 1.0) {
            continue;
        }
        for (const int qs : {1, 2, 4}) {
            const auto grown = geom::grow_convex(hull, 15.0, qs);
            REQUIRE(grown.has_value());
            CHECK(geom::strictly_convex_clockwise(*grown));
            bg::model::multi_point<core::Point> moved;
            const int k = 4 * qs;
            for (std::size_t i = 0; i + 1 < hull.outer().size(); ++i) {
                for (int j = 0; j < k; ++j) {
                    const double t = 2.0 * M_PI * j / k;
                    moved.emplace_back(hull.outer()[i].x() + 15.0 * std::cos(t),
                                       hull.outer()[i].y() + 15.0 * std::sin(t));
                }
            }
            core::Polygon expected;
            bg::convex_hull(moved, expected);
            CHECK(bg::area(*grown) == Approx(bg::area(expected)).epsilon(1e-12));
            CHECK(test::symmetric_difference_area(core::MultiPolygon{*grown},
                                                  core::MultiPolygon{expected}) < 1e-6);
        }
    }
}

TEST_CASE("grown union per group equals the buffer of the union", "[geom][area_union]") {
    // Two footprints close enough to merge, one far away, one L-shaped (GEOS buffer path).
    core::Polygon ell;
    ell.outer() = {{200, 0}, {200, 10}, {205, 10}, {205, 5}, {210, 5}, {210, 0}, {200, 0}};
    bg::correct(ell);
    const std::vector<core::MultiPolygon> areas{core::MultiPolygon{square(0, 0, 5)},
                                                core::MultiPolygon{square(30, 0, 5)},
                                                core::MultiPolygon{square(500, 500, 3)},
                                                core::MultiPolygon{ell}};
    const auto got = geom::grown_union(areas, 0.0, 15.0, 4);
    const auto expected = geom::grow(geom::union_areas(areas), 15.0, 4);
    CHECK(bg::is_valid(got));
    CHECK(got.size() == 3);
    CHECK(got.size() == expected.size());
    CHECK(test::symmetric_difference_area(got, expected) < 0.01 * bg::area(expected));
    for (const auto& a : areas) {
        CHECK(bg::within(a, got));
    }
}

TEST_CASE("the tiled subtractor equals a plain difference", "[geom][area_union]") {
    // A hole with many vertices (a 4000-gon ring) cut into tiles of at most 200 vertices.
    core::Polygon disk;
    for (int i = 0; i < 4000; ++i) {
        const double t = -2 * M_PI * i / 4000;
        disk.outer().emplace_back(1000 * std::cos(t), 1000 * std::sin(t));
    }
    disk.outer().push_back(disk.outer().front());
    bg::correct(disk);
    const core::MultiPolygon hole{disk};
    const geom::TiledSubtractor sub(hole, 200);
    CHECK(sub.tile_count() > 4);
    for (const auto& [x, y] :
         {std::pair{990.0, 0.0}, {0.0, -995.0}, {700.0, 700.0}, {2000.0, 0.0}, {0.0, 0.0}}) {
        CAPTURE(x, y);
        const core::MultiPolygon area{square(x, y, 30)};
        const auto got = sub.apply(area);
        const auto expected = geom::subtract(area, hole);
        CHECK(test::symmetric_difference_area(got, expected) < 1e-6);
        CHECK(bg::area(got) == Approx(bg::area(expected)).margin(1e-6));
    }
}
