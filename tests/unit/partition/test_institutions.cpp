// Dedicated grids per institution site, not per building (issue 15 item 10): the buildings of
// one school, hospital… site form one dedicated grid (专属网格) — the site polygon (input role
// `landuse`, e.g. OSM amenity=school) when there is one, else touching footprints of the same type.
// Provisional communities (item 9): arterial road blocks merged to a community's size.

#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "geom/repair.hpp"
#include "io/read.hpp"
#include "partition/derive.hpp"
#include "partition/partition.hpp"

using namespace gridplan;
using namespace gridplan::partition;
namespace bg = boost::geometry;

namespace {

core::MultiPolygon from_wkt(const std::string& wkt) {
    core::MultiPolygon mp;
    if (wkt.rfind("MULTIPOLYGON", 0) == 0) {
        bg::read_wkt(wkt, mp);
    } else {
        core::Polygon p;
        bg::read_wkt(wkt, p);
        mp.push_back(p);
    }
    bg::correct(mp);
    return mp;
}

core::Building building(const std::string& id,
                        const std::string& type,
                        const std::string& wkt,
                        double households) {
    core::Building b;
    b.id = id;
    b.type = type;
    b.footprint = from_wkt(wkt);
    b.anchor = *geom::point_on_surface(b.footprint);
    b.area_m2 = bg::area(b.footprint);
    b.households = households;
    b.population = households * 2.62;
    b.dedicated = type != "residential";
    return b;
}

/// A 300 m x 300 m community without roads, four residential buildings in its east, and the
/// given buildings; hierarchy as the reader assigns it (communities, institution sites).
core::Scene scene_with(std::vector<core::Building> extra, std::vector<core::LandArea> sites = {}) {
    core::Scene scene;
    scene.communities.push_back({.id = "C1",
                                 .name = "社区",
                                 .code = "410102001001",
                                 .area = from_wkt("POLYGON((0 0,0 300,300 300,300 0,0 0))"),
                                 .street = std::nullopt});
    for (int i = 0; i < 4; ++i) {
        const double y = 40.0 + 60.0 * i;
        const std::string wkt = "POLYGON((280 " + std::to_string(y) + ",290 " + std::to_string(y) +
                                ",290 " + std::to_string(y + 20) + ",280 " +
                                std::to_string(y + 20) + ",280 " + std::to_string(y) + "))";
        scene.buildings.push_back(building("R" + std::to_string(i), "residential", wkt, 100));
    }
    for (auto& b : extra) {
        scene.buildings.push_back(std::move(b));
    }
    scene.land_areas = std::move(sites);
    io::assign_hierarchy(scene, io::ValidationOptions{});
    return scene;
}

/// Dedicated grids: number of buildings of each.
std::vector<std::size_t> dedicated_grids(const Result& r) {
    std::vector<std::size_t> sizes;
    for (const auto& g : r.grids) {
        if (g.kind == GridKind::dedicated) {
            sizes.push_back(g.buildings.size());
        }
    }
    return sizes;
}

}  // namespace

TEST_CASE("three touching school footprints form one dedicated grid", "[partition][institution]") {
    const core::Scene scene = scene_with({
        building("S1", "school", "POLYGON((10 10,40 10,40 30,10 30,10 10))", 0),
        building("S2", "school", "POLYGON((40 10,70 10,70 30,40 30,40 10))", 0),
        building("S3", "school", "POLYGON((70 10,100 10,100 40,70 40,70 10))", 0),
    });
    const Result r = partition_scene(scene, Options{});
    CHECK(dedicated_grids(r) == std::vector<std::size_t>{3});
    CHECK(r.ledger.counts_by_reason().at("grids/dedicated_grid") == 1);
}

TEST_CASE("touching footprints of different types stay apart", "[partition][institution]") {
    const core::Scene scene = scene_with({
        building("S1", "school", "POLYGON((10 10,40 10,40 30,10 30,10 10))", 0),
        building("H1", "hospital", "POLYGON((40 10,70 10,70 30,40 30,40 10))", 0),
    });
    CHECK(dedicated_grids(partition_scene(scene, Options{})) == std::vector<std::size_t>{1, 1});
}

TEST_CASE("two schools 200 m apart form two dedicated grids", "[partition][institution]") {
    const core::Scene scene = scene_with({
        building("S1", "school", "POLYGON((10 10,40 10,40 30,10 30,10 10))", 0),
        building("S2", "school", "POLYGON((10 230,40 230,40 250,10 250,10 230))", 0),
    });
    CHECK(dedicated_grids(partition_scene(scene, Options{})) == std::vector<std::size_t>{1, 1});
}

TEST_CASE("a campus polygon holding four buildings forms one dedicated grid",
          "[partition][institution]") {
    // four teaching buildings 30 m apart: too far to touch, one campus
    std::vector<core::Building> campus{
        building("S1", "school", "POLYGON((10 110,30 110,30 130,10 130,10 110))", 0),
        building("S2", "school", "POLYGON((60 110,80 110,80 130,60 130,60 110))", 0),
        building("S3", "school", "POLYGON((10 160,30 160,30 180,10 180,10 160))", 0),
        building("S4", "school", "POLYGON((60 160,80 160,80 180,60 180,60 160))", 0),
    };
    SECTION("with the campus polygon (amenity=school)") {
        const core::Scene scene =
            scene_with(campus,
                       {{.id = "campus",
                         .name = "第一中学",
                         .type = "school",
                         .area = from_wkt("POLYGON((0 100,120 100,120 200,0 200,0 100))")}});
        for (std::size_t b = 4; b < 8; ++b) {
            REQUIRE(scene.buildings[b].site == core::Index{0});
        }
        CHECK(dedicated_grids(partition_scene(scene, Options{})) == std::vector<std::size_t>{4});
    }
    SECTION("without it: four buildings, four grids") {
        const core::Scene scene = scene_with(campus);
        CHECK(dedicated_grids(partition_scene(scene, Options{})) ==
              std::vector<std::size_t>{1, 1, 1, 1});
    }
    SECTION("a residential landuse polygon is no institution site") {
        const core::Scene scene =
            scene_with(campus,
                       {{.id = "r",
                         .name = "",
                         .type = "residential",
                         .area = from_wkt("POLYGON((0 100,120 100,120 200,0 200,0 100))")}});
        CHECK(dedicated_grids(partition_scene(scene, Options{})).size() == 4);
    }
}

TEST_CASE("arterial blocks are merged to the minimum households", "[partition][derive]") {
    // Primary roads at x = 100, 200, 300 cut a row of buildings into four blocks of 1,000
    // households (ten buildings of 100 each); a residential street at x = 50 does not count.
    core::Scene scene;
    for (const double x : {100.0, 200.0, 300.0}) {
        core::Road r;
        r.id = "r" + std::to_string(static_cast<int>(x));
        r.road_class = "primary";
        r.line = {core::Point(x, -100), core::Point(x, 200)};
        scene.roads.push_back(r);
    }
    core::Road minor;
    minor.id = "minor";
    minor.road_class = "residential";
    minor.line = {core::Point(50, -100), core::Point(50, 200)};
    scene.roads.push_back(minor);
    for (int i = 0; i < 40; ++i) {
        const double x = 5.0 + 10.0 * i - (i % 10 == 9 ? 2.0 : 0.0);
        const std::string wkt = "POLYGON((" + std::to_string(x) + " 40," + std::to_string(x + 6) +
                                " 40," + std::to_string(x + 6) + " 60," + std::to_string(x) +
                                " 60," + std::to_string(x) + " 40))";
        scene.buildings.push_back(building("B" + std::to_string(i), "residential", wkt, 100));
    }
    Options opt;
    opt.communities_from = "arterial_blocks";
    auto households_per_community = [&](const DerivedCommunities& d) {
        core::Scene derived = scene;
        derived.communities = d.communities;
        io::assign_communities(derived, io::ValidationOptions{});
        std::vector<double> h(d.communities.size(), 0.0);
        for (const auto& b : derived.buildings) {
            REQUIRE(b.community.has_value());
            h[*b.community] += b.households;
        }
        return h;
    };
    SECTION("every block is big enough: four communities") {
        opt.derived_min_households = 800;
        const DerivedCommunities d = derive_communities(scene, opt);
        REQUIRE(d.communities.size() == 4);
        for (const auto& c : d.communities) {
            CHECK(c.derived);
            CHECK(c.code.empty());
        }
        CHECK(d.communities[0].id == "derived:arterial:001");
        CHECK(d.ledger.entries().size() == 4);
        CHECK(households_per_community(d) == std::vector<double>{1000, 1000, 1000, 1000});
    }
    SECTION("minimum 1,500: neighbours merged pairwise, two communities of 2,000") {
        opt.derived_min_households = 1500;
        const DerivedCommunities d = derive_communities(scene, opt);
        CHECK(households_per_community(d) == std::vector<double>{2000, 2000});
    }
    SECTION("secondary roads left out (arterial_max_rank 0): still the primary blocks") {
        opt.derived_min_households = 800;
        opt.arterial_max_rank = 0;
        CHECK(derive_communities(scene, opt).communities.size() == 4);
    }
}

TEST_CASE("landuse communities: one per residential polygon with buildings",
          "[partition][derive]") {
    core::Scene scene;
    scene.buildings.push_back(
        building("B1", "residential", "POLYGON((10 10,20 10,20 20,10 20,10 10))", 50));
    scene.buildings.push_back(
        building("B2", "residential", "POLYGON((210 10,220 10,220 20,210 20,210 10))", 50));
    scene.land_areas = {
        {.id = "a",
         .name = "",
         .type = "residential",
         .area = from_wkt("POLYGON((0 0,100 0,100 100,0 100,0 0))")},
        {.id = "b",
         .name = "",
         .type = "residential",
         .area = from_wkt("POLYGON((200 0,300 0,300 100,200 100,200 0))")},
        {.id = "c",
         .name = "",
         .type = "residential",  // no building: no community
         .area = from_wkt("POLYGON((400 0,500 0,500 100,400 100,400 0))")},
        {.id = "s",
         .name = "",
         .type = "school",  // not residential
         .area = from_wkt("POLYGON((0 200,100 200,100 300,0 300,0 200))")},
    };
    Options opt;
    opt.communities_from = "landuse";
    CHECK(derive_communities(scene, opt).communities.size() == 2);
    scene.land_areas.resize(0);
    CHECK_THROWS_AS(derive_communities(scene, opt), core::Error);
}
