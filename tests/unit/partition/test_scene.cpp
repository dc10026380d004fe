// Scene-level partitioning: invariants on synthetic cities, codes, dedicated and oversized
// buildings, infeasible communities, determinism across thread counts.

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "geom/voronoi.hpp"
#include "partition/partition.hpp"
#include "unit/partition/synthetic.hpp"

using namespace gridplan;
using namespace gridplan::partition;
namespace bg = boost::geometry;

namespace {

void check_invariants(const core::Scene& scene, const Result& r) {
    // Every building in exactly one grid.
    std::vector<int> seen(scene.buildings.size(), 0);
    for (std::size_t gi = 0; gi < r.grids.size(); ++gi) {
        for (const auto b : r.grids[gi].buildings) {
            ++seen[b];
            REQUIRE(r.grid_of_building[b].has_value());
            REQUIRE(*r.grid_of_building[b] == gi);
        }
    }
    for (std::size_t b = 0; b < scene.buildings.size(); ++b) {
        REQUIRE(seen[b] == (scene.buildings[b].community ? 1 : 0));
    }
    // Households per community are conserved; codes are 15 digits and unique.
    std::map<core::Index, double> comm_h;
    for (const auto& b : scene.buildings) {
        if (b.community) {
            comm_h[*b.community] += b.households;
        }
    }
    std::map<core::Index, double> grid_h;
    std::set<std::string> codes;
    for (const auto& g : r.grids) {
        grid_h[g.community] += g.households;
        REQUIRE(g.code.size() == 15);
        REQUIRE(codes.insert(g.code).second);
        REQUIRE(g.code.substr(0, 12) == g.community_code);
        REQUIRE(g.area_m2 > 0);
    }
    for (const auto& [c, h] : comm_h) {
        REQUIRE(grid_h[c] == Approx(h));
    }
    // Grids drawn in several parts are counted and explained (test_whole_grids.cpp asserts
    // there are none on the sample, the BUPT extract and a synthetic city without locks).
    // Each row names its grid by code (it joins the grids layer), in the grids' order.
    std::vector<std::string> multipart_rows;
    for (const auto& e : r.ledger.entries()) {
        if (e.reason == "grid_multipart") multipart_rows.push_back(e.source_id);
    }
    std::vector<std::string> multipart;
    for (const auto& g : r.grids) {
        if (g.area.size() > 1) multipart.push_back(g.code);
    }
    std::uint32_t reported = 0;
    for (const auto& rep : r.communities) {
        reported += rep.disconnected;
    }
    REQUIRE(reported == multipart.size());
    CHECK(multipart_rows == multipart);
    for (const auto& rep : r.communities) {
        REQUIRE(rep.locked_apart == 0);
        if (rep.buildings > 0) {
            // Grids tile the community.
            CHECK(rep.grids_area_m2 == Approx(rep.area_m2).epsilon(1e-6));
            CHECK(rep.overlap_m2 < 1e-3 * rep.area_m2 + 1.0);
            CHECK(rep.gap_m2 < 1e-3 * rep.area_m2 + 1.0);
        }
    }
}

std::string fingerprint(const Result& r) {
    std::ostringstream out;
    out.precision(17);
    for (const auto& g : r.grids) {
        out << g.code << ' ' << g.households << ' ' << g.area_m2 << ' ' << g.polsby_popper;
        for (const auto b : g.buildings) {
            out << ' ' << b;
        }
        out << bg::wkt(g.area) << '\n';
    }
    return out.str();
}

}  // namespace

TEST_CASE("synthetic city: invariants and quality", "[partition]") {
    test::CityShape shape;
    shape.communities_x = 2;
    shape.communities_y = 2;
    const core::Scene scene = test::synthetic_city(shape);
    Options opt;
    opt.threads = 2;
    const Result r = partition_scene(scene, opt);
    check_invariants(scene, r);
    REQUIRE(r.communities.size() == 4);
    std::uint32_t regular = 0;
    std::uint32_t in_band = 0;
    for (const auto& rep : r.communities) {
        regular += rep.k;
        in_band += rep.in_band;
        CHECK_FALSE(rep.code_derived);
        CHECK(rep.worst_deviation >= rep.lower_bound - 1e-9);
    }
    CHECK(regular > 10);
    CHECK(in_band >= regular - 1);
    REQUIRE(r.streets.size() == 1);
    CHECK(r.streets[0].communities == 4);
    CHECK(r.streets[0].regular_grids == regular);
}

TEST_CASE("same output for 1 and 3 threads", "[partition]") {
    test::CityShape shape;
    shape.communities_x = 3;
    shape.communities_y = 1;
    shape.seed = 7;
    const core::Scene scene = test::synthetic_city(shape);
    Options one;
    one.threads = 1;
    Options three;
    three.threads = 3;
    CHECK(fingerprint(partition_scene(scene, one)) == fingerprint(partition_scene(scene, three)));
}

TEST_CASE("dedicated and oversized buildings get their own grids", "[partition]") {
    core::Scene scene;
    core::Community c;
    c.id = "C-no-code";
    c.name = "无编码社区";
    c.area = test::box_area(0, 0, 200, 200);
    scene.communities.push_back(c);
    core::Road road;
    road.id = "R1";
    road.road_class = "secondary";
    road.line = {core::Point(100, -10), core::Point(100, 210)};
    scene.roads.push_back(road);
    int id = 0;
    for (int i = 0; i < 5; ++i) {
        for (int j = 0; j < 4; ++j) {
            scene.buildings.push_back(
                test::make_building("B" + std::to_string(id++), 10 + i * 18, 20 + j * 45, 40, 0));
        }
    }
    auto school = test::make_building("school", 150, 50, 0, 0);
    school.dedicated = true;
    school.type = "school";
    scene.buildings.push_back(school);
    scene.buildings.push_back(test::make_building("tower", 150, 150, 620, 0));
    scene.buildings.push_back(test::make_building("orphan", 500, 500, 10, std::nullopt));
    const Result r = partition_scene(scene, Options{});
    check_invariants(scene, r);
    std::map<GridKind, int> kinds;
    for (const auto& g : r.grids) {
        ++kinds[g.kind];
        if (g.kind != GridKind::regular) {
            CHECK(g.buildings.size() == 1);
        }
    }
    CHECK(kinds[GridKind::dedicated] == 1);
    CHECK(kinds[GridKind::oversized] == 1);
    CHECK(kinds[GridKind::regular] == 2);  // 800 households -> k = 2
    REQUIRE(r.communities.size() == 1);
    CHECK(r.communities[0].code_derived);
    CHECK(r.communities[0].code.size() == 12);
    CHECK(r.communities[0].code[0] == '9');
    const auto counts = r.ledger.counts_by_reason();
    CHECK(counts.count("grids/community_code_derived") == 1);
    CHECK(counts.count("grids/oversized_building") == 1);
    CHECK(counts.count("grids/dedicated_grid") == 1);
    CHECK(counts.count("buildings/building_outside_communities") +
              counts.count("grids/building_outside_communities") ==
          1);
    CHECK_FALSE(r.grid_of_building.back().has_value());
}

TEST_CASE("infeasible community is certified and minimised", "[partition]") {
    core::Scene scene;
    core::Community c;
    c.id = "C1";
    c.code = "410102001001";
    c.area = test::box_area(0, 0, 100, 100);
    scene.communities.push_back(c);
    scene.buildings.push_back(test::make_building("A", 20, 50, 260, 0));
    scene.buildings.push_back(test::make_building("B", 50, 50, 260, 0));
    scene.buildings.push_back(test::make_building("C", 80, 50, 260, 0));
    Options opt;
    opt.overrides["C1"].k = 2;
    const Result r = partition_scene(scene, opt);
    check_invariants(scene, r);
    REQUIRE(r.communities.size() == 1);
    const auto& rep = r.communities[0];
    CHECK(rep.k == 2);
    CHECK(rep.infeasible);
    CHECK(rep.min_out_of_band >= 1);
    CHECK(rep.lower_bound == Approx(1.0 / 3.0));
    CHECK(rep.lower_bound_gap == Approx(0.0).margin(1e-9));
    CHECK(r.ledger.counts_by_reason().count("grids/band_infeasible") == 1);
    CHECK(rep.k_reason.find("override") != std::string::npos);
}

TEST_CASE("codes are numbered west to east, then north to south", "[partition]") {
    // Two rows of two points.
    const std::vector<core::Point> c = {
        core::Point(150, 50), core::Point(50, 50), core::Point(150, 150), core::Point(50, 150)};
    const auto order = reading_order(c, 200, 100);
    CHECK(order == std::vector<std::uint32_t>{3, 2, 1, 0});
    bool derived = false;
    core::Community with;
    with.code = "410102001001";
    CHECK(community_code12(with, derived) == "410102001001");
    CHECK_FALSE(derived);
    core::Community without;
    without.id = "abc";
    const auto code = community_code12(without, derived);
    CHECK(derived);
    CHECK(code.size() == 12);
    CHECK(code == community_code12(without, derived));  // stable
}

TEST_CASE("locked buildings keep their grid", "[partition]") {
    test::CityShape shape;
    shape.communities_x = 1;
    shape.communities_y = 1;
    shape.seed = 3;
    core::Scene scene = test::synthetic_city(shape);
    // Today's plan: west half "W", east half "E"; lock two buildings on each side.
    std::vector<std::size_t> west;
    std::vector<std::size_t> east;
    for (std::size_t b = 0; b < scene.buildings.size(); ++b) {
        auto& bd = scene.buildings[b];
        bd.grid_code = bd.anchor.x() < 300 ? "W" : "E";
        (bd.anchor.x() < 300 ? west : east).push_back(b);
    }
    REQUIRE(west.size() >= 2);
    REQUIRE(east.size() >= 2);
    for (const auto b : {west.front(), west.back(), east.front(), east.back()}) {
        scene.buildings[b].locked = true;
    }
    const Result r = partition_scene(scene, Options{});
    check_invariants(scene, r);
    const auto gw = r.grid_of_building[west.front()];
    const auto ge = r.grid_of_building[east.front()];
    REQUIRE(gw.has_value());
    REQUIRE(ge.has_value());
    CHECK(r.grid_of_building[west.back()] == gw);
    CHECK(r.grid_of_building[east.back()] == ge);
    CHECK(*gw != *ge);
}

TEST_CASE("road ranks", "[partition]") {
    // Rank of a road class (English OSM classes and Chinese road grades), 4 = does not split.
    const auto [road_class, rank] = GENERATE(table<std::string, int>({
        {"primary", 0},
        {"主干路", 0},
        {"secondary_link", 1},
        {"支路", 2},
        {"residential", 3},
        {"footway", 4},
    }));
    INFO("road class " << road_class);
    CHECK(road_rank(road_class) == rank);
}

TEST_CASE("a major road is cheaper to cut along than a residential one", "[partition]") {
    CHECK(road_cut_cost(0) < road_cut_cost(3));
}
