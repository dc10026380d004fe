// Road blocks (polygonize), Voronoi cells, shared boundaries and coverage checks.

#include <catch2/catch.hpp>

#include "geom/blocks.hpp"
#include "geom/voronoi.hpp"
#include "unit/partition/synthetic.hpp"

using namespace gridplan;
namespace bg = boost::geometry;

TEST_CASE("road blocks tile the community and carry road ranks", "[partition][geom]") {
    const auto area = test::box_area(0, 0, 300, 300);
    std::vector<geom::BlockLine> lines;
    lines.push_back({core::LineString{core::Point(150, -50), core::Point(150, 350)}, 0, false});
    lines.push_back({core::LineString{core::Point(-50, 100), core::Point(350, 100)}, 3, false});
    // A dead end does not split a block.
    lines.push_back({core::LineString{core::Point(50, 100), core::Point(50, 200)}, 3, false});
    const auto blocks = geom::road_blocks(area, lines);
    REQUIRE(blocks.faces.size() == 4);
    double sum = 0;
    for (const double a : blocks.area_m2) {
        sum += a;
    }
    CHECK(sum == Approx(90000.0));
    int arterial = 0;
    int local = 0;
    int outside = 0;
    for (const auto& e : blocks.edges) {
        if (e.face_b < 0) {
            ++outside;
            continue;
        }
        if (e.rank == 0) {
            ++arterial;
        } else if (e.rank == 3) {
            ++local;
        }
    }
    CHECK(arterial >= 2);
    CHECK(local >= 2);
    CHECK(outside >= 8);
}

TEST_CASE("barriers split blocks and roads crossing them are found", "[partition][geom]") {
    const auto area = test::box_area(0, 0, 200, 200);
    std::vector<geom::BlockLine> lines;
    lines.push_back({core::LineString{core::Point(-10, 100), core::Point(210, 100)}, 0, true});
    auto no_bridge = geom::road_blocks(area, lines);
    REQUIRE(no_bridge.faces.size() == 2);
    for (const auto& e : no_bridge.edges) {
        CHECK_FALSE(e.crossing);
    }
    lines.push_back({core::LineString{core::Point(100, -10), core::Point(100, 210)}, 2, false});
    auto bridge = geom::road_blocks(area, lines);
    REQUIRE(bridge.faces.size() == 4);
    int crossing = 0;
    for (const auto& e : bridge.edges) {
        crossing += e.crossing ? 1 : 0;
    }
    CHECK(crossing == 2);  // the two river segments meeting at the bridge
}

TEST_CASE("community with a hole keeps the hole out of the blocks", "[partition][geom]") {
    core::Polygon p = test::box_polygon(0, 0, 100, 100);
    core::Ring hole{core::Point(40, 40),
                    core::Point(60, 40),
                    core::Point(60, 60),
                    core::Point(40, 60),
                    core::Point(40, 40)};
    p.inners().push_back(hole);
    bg::correct(p);
    core::MultiPolygon area{p};
    const auto blocks = geom::road_blocks(area, {});
    REQUIRE(blocks.faces.size() == 1);
    CHECK(blocks.area_m2[0] == Approx(10000.0 - 400.0));
}

TEST_CASE("Voronoi cells tile a concave block and contain their sites", "[partition][geom]") {
    // L-shaped block.
    core::Polygon l;
    l.outer() = {core::Point(0, 0),
                 core::Point(0, 100),
                 core::Point(50, 100),
                 core::Point(50, 50),
                 core::Point(100, 50),
                 core::Point(100, 0),
                 core::Point(0, 0)};
    bg::correct(l);
    const std::vector<core::Point> sites = {
        core::Point(10, 10), core::Point(25, 90), core::Point(90, 25), core::Point(30, 30)};
    const auto cells = geom::voronoi_cells(sites, l);
    REQUIRE(cells.size() == sites.size());
    std::vector<const core::MultiPolygon*> parts;
    double sum = 0;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        CHECK(bg::covered_by(sites[i], cells[i]));
        sum += bg::area(cells[i]);
        parts.push_back(&cells[i]);
    }
    CHECK(sum == Approx(bg::area(l)));
    core::MultiPolygon whole{l};
    const auto cov = geom::check_coverage(parts, whole);
    CHECK(cov.overlap_m2 < 1e-6);
    CHECK(cov.gap_m2 < 1e-6);
    // Adjacent cells share boundaries.
    const auto shared = geom::shared_boundaries(parts);
    CHECK(shared.size() >= 3);
}

TEST_CASE("Voronoi cells of a convex block are clipped exactly", "[partition][geom]") {
    const core::Polygon rect = test::box_polygon(0, 0, 132, 132);
    std::vector<core::Point> sites;
    for (int i = 0; i < 25; ++i) {
        sites.emplace_back(7.0 + (i * 37) % 120, 5.0 + (i * 53) % 121);
    }
    const auto cells = geom::voronoi_cells(sites, rect);
    std::vector<const core::MultiPolygon*> parts;
    double sum = 0;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        REQUIRE_FALSE(cells[i].empty());
        CHECK(bg::covered_by(sites[i], cells[i]));
        sum += bg::area(cells[i]);
        parts.push_back(&cells[i]);
    }
    CHECK(sum == Approx(132.0 * 132.0));
    // Cells of one block form a clean coverage: their coverage union is the block.
    const auto whole = geom::coverage_union(parts);
    CHECK(bg::area(whole) == Approx(132.0 * 132.0));
    CHECK(whole.size() == 1);
}

TEST_CASE("shared boundaries match differently split edges", "[partition][geom]") {
    // Left square's right edge is one segment; the right side has two squares stacked.
    core::MultiPolygon left = test::box_area(0, 0, 10, 10);
    core::MultiPolygon right_low = test::box_area(10, 0, 20, 4);
    core::MultiPolygon right_high = test::box_area(10, 4, 20, 10);
    core::MultiPolygon far = test::box_area(30, 0, 40, 10);
    const auto shared = geom::shared_boundaries({&left, &right_low, &right_high, &far});
    REQUIRE(shared.size() == 3);
    // One entry per pair of parts that touch along a positive length, in pair order: the left
    // square meets each right square along its share of the edge; `far` touches nothing.
    const auto [i, a, b, length] =
        GENERATE(table<std::size_t, std::uint32_t, std::uint32_t, double>({
            {0, 0, 1, 4.0},   // left - right_low
            {1, 0, 2, 6.0},   // left - right_high
            {2, 1, 2, 10.0},  // right_low - right_high
        }));
    INFO("shared boundary " << i);
    CHECK(shared[i].a == a);
    CHECK(shared[i].b == b);
    CHECK(shared[i].length_m == Approx(length));
}
