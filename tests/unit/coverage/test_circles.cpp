#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "coverage/coverage.hpp"
#include "fixtures.hpp"
#include "support/areas.hpp"

using namespace gridplan;

namespace {

const coverage::ServiceCircle& dissolved(const coverage::Result& r, double threshold) {
    for (const auto& c : r.circles) {
        if (c.facility == graph::kNone && c.threshold_min == threshold && c.profile == 0) {
            return c;
        }
    }
    throw std::runtime_error("no dissolved circle");
}

/// Buildings of the kind covered at the circle's profile and threshold.
std::size_t covered_buildings(const coverage::Result& r, const coverage::ServiceCircle& c) {
    const auto k = r.kind_slot(c.kind);
    REQUIRE(k);
    std::size_t t = 0;
    while (r.options.thresholds_min[t] != c.threshold_min) {
        ++t;
    }
    std::size_t n = 0;
    for (std::size_t b = 0; b < r.access_points.size(); ++b) {
        n += r.covered(*k, b, c.profile, t) ? 1 : 0;
    }
    return n;
}

/// Every circle passed its self-check, and the check did look: a dissolved circle tested at
/// least each building its kind covers (and the uncovered ones near it).
void require_self_check(const coverage::Result& r) {
    for (const auto& c : r.circles) {
        CAPTURE(c.facility, c.threshold_min, c.notches, c.carves, c.legs);
        CHECK(c.check.covered_outside == 0);
        CHECK(c.check.uncovered_inside == 0);
        CHECK(c.check.unreached_inside == 0);
        CHECK(c.check.invalid == 0);
        if (c.facility == graph::kNone) {
            CHECK(c.check.buildings_checked >= covered_buildings(r, c));
        }
    }
    CHECK(r.check.ok());
    if (!r.access_points.empty()) {
        CHECK(r.check.buildings_checked > 0);
    }
}

}  // namespace

TEST_CASE("a circle along one street stops where the walk stops", "[coverage][circles]") {
    const auto map = test::parse_ascii_map("A-------------------B", 50.0);  // 1000 m
    test::SceneBuilder sb(map);
    sb.facility(map.node('A'));
    const auto inside = sb.building({300.0, 20.0});   // 320 m: covered at 5 min (333 m)
    const auto outside = sb.building({330.0, 20.0});  // 350 m: not covered at 5 min
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, {});
    require_self_check(r);
    const auto& c5 = dissolved(r, 5.0);
    CHECK(c5.check.pieces_checked > 0);  // the street beyond the frontier was tested
    CHECK(core::bg::covered_by(r.access_points[inside], c5.area));
    CHECK_FALSE(core::bg::covered_by(r.access_points[outside], c5.area));
    // The street beyond the frontier (333 m) is outside; before it, inside.
    CHECK(core::bg::covered_by(core::Point{330.0, 0.0}, c5.area));
    CHECK_FALSE(core::bg::covered_by(core::Point{336.0, 0.0}, c5.area));
    // Width: 50 m strips where the slack allows it.
    CHECK(core::bg::covered_by(core::Point{100.0, 49.0}, c5.area));
    CHECK_FALSE(core::bg::covered_by(core::Point{100.0, 51.0}, c5.area));
    // Nested thresholds.
    CHECK(core::bg::area(dissolved(r, 10.0).area) > core::bg::area(c5.area));
}

TEST_CASE("a block is filled only when its streets and buildings are all covered",
          "[coverage][circles]") {
    const auto map = test::parse_ascii_map(R"(
A----------B
|          |
|          |
|          |
|          |
C----------D
)",
                                           40.0);  // a 440 m x 200 m block
    test::SceneBuilder sb(map);
    sb.facility(map.node('A'));
    const auto centre = sb.building({220.0, -100.0});  // 100 m from the long sides
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, {});
    require_self_check(r);
    // 15 min (1000 m) reaches the whole block: filled, so its middle is inside.
    const auto& c15 = dissolved(r, 15.0);
    CHECK_FALSE(c15.filled_blocks.empty());
    CHECK(core::bg::covered_by(core::Point{200.0, -100.0}, c15.area));
    CHECK(r.covered(0, centre, 0, 2));
    // 5 min (333 m) does not reach corner D (640 m away): not filled, the middle stays open.
    const auto& c5 = dissolved(r, 5.0);
    CHECK(c5.filled_blocks.empty());
    CHECK_FALSE(core::bg::covered_by(core::Point{200.0, -100.0}, c5.area));

    SECTION("an uncovered building keeps the block open") {
        auto o = coverage::Options{};
        o.snap.max_snap_m = 60.0;  // the centre building cannot reach any street
        const auto r2 = coverage::compute_coverage(sb.scene, g, o);
        require_self_check(r2);
        CHECK(dissolved(r2, 15.0).filled_blocks.empty());
        CHECK_FALSE(core::bg::covered_by(r2.access_points[centre], dissolved(r2, 15.0).area));
        REQUIRE_FALSE(r2.gaps.empty());
        CHECK(r2.gaps.front().buildings == std::vector<core::Index>{centre});
    }
}

TEST_CASE("circles agree with the buildings on a jittered grid", "[coverage][circles]") {
    for (const std::uint64_t seed : {4U, 9U}) {
        auto sb = test::jittered_grid(8, 100, 3, seed);
        const auto g = sb.graph();
        const auto r = coverage::compute_coverage(sb.scene, g, {});
        CAPTURE(seed);
        require_self_check(r);
        // Every dissolved circle contains every covered access point and no uncovered one.
        for (const auto& c : r.circles) {
            if (c.facility != graph::kNone) {
                continue;
            }
            std::size_t t = 0;
            while (r.options.thresholds_min[t] != c.threshold_min) {
                ++t;
            }
            for (std::size_t b = 0; b < sb.scene.buildings.size(); ++b) {
                CHECK(core::bg::covered_by(r.access_points[b], c.area) ==
                      r.covered(0, b, c.profile, t));
            }
        }
    }
}

TEST_CASE("gaps hold the uncovered populated buildings, most residents first",
          "[coverage][circles]") {
    // Buildings 50 m north of a 2000 m street, station at A: 0 is covered, 1 and 2 (50 m apart)
    // form one gap, 3 another (350 m on), 4 is empty.
    const auto map = test::parse_ascii_map(R"(
  0                           12      34
A----------------------------------------B
)",
                                           50.0);
    test::SceneBuilder sb(map);
    sb.facility(map.node('A'));
    sb.building(map.mark('0'), 10);
    sb.building(map.mark('1'), 5);
    sb.building(map.mark('2'), 5);
    sb.building(map.mark('3'), 40);
    sb.building(map.mark('4'), 0, 0);
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, {});
    std::vector<const coverage::Gap*> g15;
    for (const auto& gap : r.gaps) {
        if (gap.profile == 0 && gap.threshold_min == 15.0) {
            g15.push_back(&gap);
        }
    }
    REQUIRE(g15.size() == 2);
    CHECK(g15[0]->residents == 40.0);
    CHECK(g15[0]->buildings == std::vector<core::Index>{3});
    CHECK(g15[1]->residents == 10.0);
    CHECK(g15[1]->buildings == std::vector<core::Index>{1, 2});
    CHECK(core::bg::area(g15[1]->area) > 0.0);
    CHECK_FALSE(core::bg::intersects(g15[0]->area, dissolved(r, 15.0).area));
}

// Regression (issue 6): on the embedded Monaco sample 34 covered buildings lay outside their
// circles. Their access points were within 0.25 m of an unreached street (a tunnel or passage the
// walk does not reach) and the slit cut along that street took the access point with it.
TEST_CASE("regress_covered_building_outside_circle", "[coverage][circles]") {
    //  A-------------------B      main street (1000 m), station at A
    //       |  <- tunnel passage at x = 100.1, crossing under the street, not connected to it
    const auto map = test::parse_ascii_map("A-------------------B", 50.0);
    test::SceneBuilder sb(map);
    core::Road tunnel;
    tunnel.id = "passage";
    tunnel.line = {{100.1, -40.0}, {100.1, 40.0}};
    tunnel.layer = -1;
    tunnel.tunnel = true;
    sb.scene.roads.push_back(tunnel);
    sb.facility({0.0, 0.0});
    const auto next_to_tunnel = sb.building({100.0, 20.0});  // 0.1 m from the passage
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, {});
    // Covered over the main street (20 m leg + 100 m), though the passage is nearer.
    REQUIRE(r.covered(0, next_to_tunnel, 0, 0));
    require_self_check(r);
    for (const auto& c : r.circles) {
        CAPTURE(c.facility, c.threshold_min);
        CHECK(core::bg::covered_by(r.access_points[next_to_tunnel], c.area));
        if (c.facility != graph::kNone) {
            CHECK(c.carves > 0);  // the passage is still slit out of the circle
        } else {
            // The dissolved circle unites the facility circles, slit already: no cut of its own.
            CHECK(c.carves == 0);
        }
    }
    // The passage itself stays outside away from the building.
    CHECK_FALSE(core::bg::covered_by(core::Point{100.1, 30.0}, dissolved(r, 5.0).area));
}

namespace {

core::Road street(const std::string& id, core::LineString line) {
    core::Road r;
    r.id = id;
    r.line = std::move(line);
    return r;
}

/// Area of the disk polygon the circles use (16 vertices on the circle at 4 segments per
/// quarter).
double disk16_area(double r) {
    return 0.5 * 16 * r * r * std::sin(2 * M_PI / 16);
}

}  // namespace

TEST_CASE("junction disks left out only where the streets' strips hold them",
          "[coverage][circles]") {
    // All streets well within 15 min of the station: full 50 m strips everywhere.
    SECTION("a crossing: the junction disk lies inside the four strips") {
        test::SceneBuilder sb;
        sb.scene.roads = {street("we", {{-200, 0}, {200, 0}}), street("sn", {{0, -200}, {0, 200}})};
        sb.facility({100.0, 0.0});
        sb.building({100.0, 20.0});
        const auto g = sb.graph();
        const auto r = coverage::compute_coverage(sb.scene, g, {});
        require_self_check(r);
        // Two 400 x 100 strips crossing in a 100 x 100 square, four half disks at the ends.
        const double expected = 2 * 400.0 * 100.0 - 100.0 * 100.0 + 2 * disk16_area(50.0);
        for (const auto& c : r.circles) {
            if (c.threshold_min == 15.0) {
                CHECK(core::bg::area(c.area) == Approx(expected).epsilon(1e-9));
                CHECK(core::bg::covered_by(core::Point{35.0, -35.0}, c.area));
            }
        }
    }
    SECTION("a corner: the disk fills the outer corner and stays") {
        test::SceneBuilder sb;
        sb.scene.roads = {street("e", {{0, 0}, {200, 0}}), street("n", {{0, 0}, {0, 200}})};
        sb.facility({100.0, 0.0});
        sb.building({100.0, 20.0});
        const auto g = sb.graph();
        const auto r = coverage::compute_coverage(sb.scene, g, {});
        require_self_check(r);
        // Two 200 x 100 strips overlapping in a 50 x 50 square, a quarter disk at the outer
        // corner, two half disks at the ends.
        const double expected =
            2 * 200.0 * 100.0 - 50.0 * 50.0 + 0.25 * disk16_area(50.0) + disk16_area(50.0);
        for (const auto& c : r.circles) {
            if (c.threshold_min == 15.0) {
                CHECK(core::bg::area(c.area) == Approx(expected).epsilon(1e-9));
                CHECK(core::bg::covered_by(core::Point{-30.0, -30.0}, c.area));
                CHECK_FALSE(core::bg::covered_by(core::Point{-40.0, -40.0}, c.area));
            }
        }
    }
}

TEST_CASE("a block with a street inside is not filled, streets leaving its corners do not matter",
          "[coverage][circles]") {
    const auto map = test::parse_ascii_map(R"(
A----------B
|          |
|          |
|          |
|          |
C----------D
)",
                                           40.0);  // a 440 m x 200 m block, A at the origin
    test::SceneBuilder sb(map);
    // A street leaving corner B outwards, and one passing just outside corner D (an unreached
    // street of another component whose box overlaps the block's).
    sb.scene.roads.push_back(street("out_b", {map.node('B'), {540.0, 60.0}}));
    sb.scene.roads.push_back(street("near_d", {{430.0, -230.0}, {560.0, -150.0}}));
    sb.facility(map.node('A'));
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, {});
    require_self_check(r);
    CHECK_FALSE(dissolved(r, 15.0).filled_blocks.empty());

    // An unconnected street inside the block (another component): the block stays open.
    sb.scene.roads.push_back(street("island", {{150.0, -100.0}, {290.0, -100.0}}));
    const auto g2 = sb.graph();
    const auto r2 = coverage::compute_coverage(sb.scene, g2, {});
    require_self_check(r2);
    CHECK(dissolved(r2, 15.0).filled_blocks.empty());
    CHECK_FALSE(core::bg::covered_by(core::Point{220.0, -100.0}, dissolved(r2, 15.0).area));
}

TEST_CASE("the dissolved circle fills a block that only two stations together enclose",
          "[coverage][circles]") {
    //  A station at A and one at E: at 5 min (333 m) each reaches half of the block's 1,040 m
    //  ring, neither fills it alone; together they reach all of it.
    const auto map = test::parse_ascii_map(R"(
A----------B
|          |
|          |
D----------E
)",
                                           40.0);  // a 400 m x 120 m block
    test::SceneBuilder sb(map);
    sb.facility(map.node('A'));
    sb.facility(map.node('E'));
    const auto g = sb.graph();
    const core::Point middle{200.0, -60.0};
    double area_from_facilities = 0.0;
    for (const bool per_facility : {true, false}) {
        CAPTURE(per_facility);
        coverage::Options o;
        o.polygons.per_facility = per_facility;
        const auto r = coverage::compute_coverage(sb.scene, g, o);
        require_self_check(r);
        const auto& c5 = dissolved(r, 5.0);
        CHECK(c5.filled_blocks.size() == 1);
        CHECK(core::bg::covered_by(middle, c5.area));
        for (const auto& c : r.circles) {
            if (c.facility != graph::kNone && c.threshold_min == 5.0) {
                CHECK(c.filled_blocks.empty());
                CHECK_FALSE(core::bg::covered_by(middle, c.area));
            }
        }
        // The union of the facility circles and the direct build are the same area.
        if (per_facility) {
            area_from_facilities = core::bg::area(c5.area);
        } else {
            CHECK(core::bg::area(c5.area) == Approx(area_from_facilities).epsilon(1e-9));
        }
    }
}

TEST_CASE("dissolved circles built from facility circles or directly agree",
          "[coverage][circles]") {
    for (const std::uint64_t seed : {4U, 9U}) {
        auto sb = test::jittered_grid(8, 100, 3, seed);
        const auto g = sb.graph();
        coverage::Options direct;
        direct.polygons.per_facility = false;
        const auto r1 = coverage::compute_coverage(sb.scene, g, {});
        const auto r2 = coverage::compute_coverage(sb.scene, g, direct);
        CAPTURE(seed);
        require_self_check(r1);
        require_self_check(r2);
        for (const double t : {5.0, 10.0, 15.0}) {
            CAPTURE(t);
            const auto& a = dissolved(r1, t);
            const auto& b = dissolved(r2, t);
            // Block indices are numbered per result: compare the blocks themselves.
            const auto block_area = [](const coverage::Result& r, const auto& c) {
                double sum = 0.0;
                for (const auto i : c.filled_blocks) {
                    sum += core::bg::area(r.blocks[i]);
                }
                return sum;
            };
            CHECK(a.filled_blocks.size() == b.filled_blocks.size());
            CHECK(block_area(r1, a) == Approx(block_area(r2, b)).epsilon(1e-12));
            // Same area up to the notches (2 m disks) either build may cut differently.
            const double sym = test::symmetric_difference_area(a.area, b.area);
            CHECK(sym <= 1e-6 * core::bg::area(a.area) + 20.0 * (a.notches + b.notches));
        }
    }
}

TEST_CASE("the circle stage reports how many circles are built, from the calling thread",
          "[coverage][circles]") {
    auto sb = test::jittered_grid(8, 100, 3, 4U);
    const auto g = sb.graph();
    coverage::Options o;
    o.threads = 2;
    std::vector<std::string> counts;
    bool other_thread = false;
    const auto caller = std::this_thread::get_id();
    const core::ProgressFn progress = [&](std::string_view, std::string_view message) {
        other_thread = other_thread || std::this_thread::get_id() != caller;
        if (message.starts_with("service circles: ")) {
            counts.emplace_back(message);
        }
    };
    const auto r = coverage::compute_coverage(sb.scene, g, o, {}, {}, progress);
    CHECK_FALSE(other_thread);
    REQUIRE_FALSE(counts.empty());
    // Every facility circle and the growth of every distinct cluster of gap buildings is one
    // item; the last message counts them all.
    std::set<std::vector<core::Index>> clusters;
    for (const auto& gap : r.gaps) {
        clusters.insert(gap.buildings);
    }
    const auto facility_circles =
        std::count_if(r.circles.begin(), r.circles.end(), [](const coverage::ServiceCircle& c) {
            return c.facility != graph::kNone;
        });
    REQUIRE(facility_circles > 0);
    const std::string all =
        std::to_string(static_cast<std::size_t>(facility_circles) + clusters.size());
    CHECK(counts.back() == "service circles: " + all + " of " + all);
}
