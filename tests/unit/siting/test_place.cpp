// Sites a planner can find (issue 15 item 6): the road that names a site, the community or grid
// it stands in, its longitude/latitude; and why fewer sites than p are proposed.
#include <cmath>
#include <string>
#include <vector>

#include <boost/geometry/io/wkt/read.hpp>
#include <catch2/catch.hpp>

#include "geom/crs.hpp"
#include "siting/place.hpp"
#include "siting/siting.hpp"

using namespace gridplan;

namespace {

core::Road road(const std::string& name,
                const std::string& wkt,
                int layer = 0,
                bool walkable = true) {
    core::Road r;
    r.id = name.empty() ? "unnamed" : name;
    r.name = name;
    boost::geometry::read_wkt(wkt, r.line);
    r.layer = layer;
    r.walkable = walkable;
    return r;
}

core::MultiPolygon area(const std::string& wkt) {
    core::MultiPolygon mp;
    boost::geometry::read_wkt(wkt, mp);
    return mp;
}

/// A street map (metres):
///
///            学院路 (x = 0, north-south)
///               |
///   ------------+------------  北土城西路 (y = 0, west-east)
///               |     :
///               |     : unnamed service road (x = 40)
///               |     :
///  ====== 京藏高速 bridge (layer 1), crossing 学院路 at y = -200
///
/// and a parallel 学院南路 at x = 25 from y = -100 to y = -300 that meets nothing.
std::vector<core::Road> street_map() {
    return {road("学院路", "LINESTRING(0 300, 0 -400)"),
            road("北土城西路", "LINESTRING(-300 0, 300 0)"),
            road("", "LINESTRING(40 -10, 40 -150)"),
            road("京藏高速", "LINESTRING(-300 -200, 300 -200)", 1),
            road("学院南路", "LINESTRING(25 -100, 25 -300)"),
            road("G6 辅路", "LINESTRING(-300 -500, 300 -500)", 0, false)};
}

}  // namespace

TEST_CASE("road names: an intersection is 'A / B', a point on a road is its name",
          "[siting][place]") {
    const auto roads = street_map();
    const siting::RoadNamer namer(roads, {});
    CHECK(namer.name_at(core::Point(0, 0)) == "北土城西路 / 学院路");   // tie at 0 m: by name
    CHECK(namer.name_at(core::Point(3, 12)) == "学院路 / 北土城西路");  // nearer first
    CHECK(namer.name_at(core::Point(0, 150)) == "学院路");
    CHECK(namer.name_at(core::Point(150, 5)) == "北土城西路");
}

TEST_CASE("road names: a named road beats a nearer unnamed one, nothing beyond road_max_m",
          "[siting][place]") {
    const auto roads = street_map();
    const siting::RoadNamer namer(roads, {});
    // 2 m from the unnamed service road, 42 m from 学院路, 44 m from 学院南路
    CHECK(namer.name_at(core::Point(42, -60)) == "学院路");
    CHECK(namer.name_at(core::Point(250, 150)) == "");  // 150 m from every named road
    const siting::RoadNamer wide(roads, {.road_max_m = 200.0});
    CHECK(wide.name_at(core::Point(250, 150)) == "北土城西路");
}

TEST_CASE("road names: two roads near a site must meet there, on the same grade",
          "[siting][place]") {
    const auto roads = street_map();
    const siting::RoadNamer namer(roads, {});
    // 学院路 and 学院南路 are 25 m apart but never meet: no corner
    CHECK(namer.name_at(core::Point(10, -150)) == "学院路");
    // the bridge crosses 学院路 on another layer: no intersection at grade
    CHECK(namer.name_at(core::Point(2, -205)) == "学院路");
    // a road that is not walkable does not name a site
    CHECK(namer.name_at(core::Point(0, -495)) == "学院路");
    // a corner farther than corner_m is no corner
    const siting::RoadNamer tight(roads, {.corner_m = 5.0});
    CHECK(tight.name_at(core::Point(3, 12)) == "学院路");
}

TEST_CASE("area_at: the covering polygon, else the nearest within the distance",
          "[siting][place]") {
    const std::vector<core::MultiPolygon> areas{
        area("MULTIPOLYGON(((0 0,0 100,100 100,100 0,0 0)))"),
        area("MULTIPOLYGON(((120 0,120 100,220 100,220 0,120 0)))")};
    CHECK(siting::area_at(areas, core::Point(50, 50), 50.0) == 0u);
    CHECK(siting::area_at(areas, core::Point(150, 50), 50.0) == 1u);
    CHECK(siting::area_at(areas, core::Point(100, 50), 50.0) == 0u);  // on the boundary
    CHECK(siting::area_at(areas, core::Point(108, 50), 50.0) ==
          0u);  // in the road between: nearer 0
    CHECK(siting::area_at(areas, core::Point(116, 50), 50.0) == 1u);
    CHECK_FALSE(siting::area_at(areas, core::Point(50, 200), 50.0));  // 100 m away
}

TEST_CASE("lon_lat: WGS84 degrees rounded to 6 decimals", "[siting][place]") {
    const geom::Crs gk = geom::Crs::from_epsg(4547);  // CGCS2000 3-degree GK CM 114E
    const geom::Transformer to_gk(geom::Crs::from_epsg(4326), gk);
    const auto p = to_gk.transform(core::Point(114.305678, 30.592345));
    REQUIRE(p);
    const auto ll = siting::lon_lat(gk.wkt2(), std::vector<core::Point>{*p});
    REQUIRE(ll.size() == 1);
    REQUIRE(ll[0]);
    CHECK(ll[0]->x() == Approx(114.305678).margin(1e-6));
    CHECK(ll[0]->y() == Approx(30.592345).margin(1e-6));
    CHECK(ll[0]->x() * 1e6 == Approx(std::round(ll[0]->x() * 1e6)).margin(1e-3));
}

// ---------------------------------------------------------------------------------- shortfall

namespace {

/// Candidates over 4 demand units of weight 10: candidate j covers the listed units.
siting::Instance instance_of(const std::vector<std::vector<std::uint32_t>>& covers,
                             const std::vector<core::Point>& positions = {}) {
    siting::Instance in;
    in.weight.assign(4, 10.0);
    in.cover_offsets.push_back(0);
    for (const auto& c : covers) {
        in.cover_demand.insert(in.cover_demand.end(), c.begin(), c.end());
        in.cover_offsets.push_back(static_cast<std::uint32_t>(in.cover_demand.size()));
    }
    in.candidate_position = positions;
    return in;
}

}  // namespace

TEST_CASE("shortfall: p sites proposed, or the target question, is no shortfall",
          "[siting][shortfall]") {
    const auto in = instance_of({{0}, {1}, {2}, {3}});
    const auto r = siting::solve(in, {.p = 2});
    CHECK(r.sites.size() == 2);
    CHECK(r.asked == 2);
    CHECK(r.shortfall == siting::Shortfall::none);
    const auto t = siting::solve(
        in, {.problem = siting::Problem::min_stations_for_target, .target_share = 0.5});
    CHECK(t.sites.size() == 2);
    CHECK(t.shortfall == siting::Shortfall::none);
}

TEST_CASE("shortfall: p = 5 asked, 2 proposed because no other candidate adds coverage",
          "[siting][shortfall]") {
    // unit 3 is beyond every candidate; candidates 1 and 3 cover nothing new after 0 and 2
    const auto r = siting::solve(instance_of({{0, 1}, {1}, {2}, {0, 2}, {}}), {.p = 5});
    CHECK(r.sites.size() == 2);
    CHECK(r.asked == 5);
    CHECK(r.shortfall == siting::Shortfall::all_covered);
    CHECK(std::string{siting::to_string(r.shortfall)} == "all_covered");
    CHECK(r.uncoverable_weight == 10.0);
}

TEST_CASE("shortfall: nothing to cover, no candidates", "[siting][shortfall]") {
    auto in = instance_of({{0}, {1}});
    in.existing_count = {1, 1, 0, 0};  // 2 and 3 beyond every candidate
    const auto nothing = siting::solve(in, {.p = 3});
    CHECK(nothing.sites.empty());
    CHECK(nothing.shortfall == siting::Shortfall::nothing_to_cover);
    const auto none = siting::solve(instance_of({}), {.p = 3});
    CHECK(none.sites.empty());
    CHECK(none.shortfall == siting::Shortfall::no_candidates);
}

TEST_CASE("shortfall: min spacing keeps out the candidates that would add coverage",
          "[siting][shortfall]") {
    // candidates 0 and 1 are 50 m apart; with 100 m spacing only one of them may open
    const auto in = instance_of({{0, 1}, {2, 3}}, {core::Point(0, 0), core::Point(50, 0)});
    const auto spaced = siting::solve(in, {.p = 2, .min_spacing_m = 100.0});
    CHECK(spaced.sites.size() == 1);
    CHECK(spaced.shortfall == siting::Shortfall::spacing);
    CHECK(spaced.spacing_blocked == 1);
    const auto free = siting::solve(in, {.p = 2});
    CHECK(free.sites.size() == 2);
    CHECK(free.shortfall == siting::Shortfall::none);
}

TEST_CASE("shortfall: double coverage with one slot left and no unit one site short",
          "[siting][shortfall]") {
    // every unit needs two new stations; p = 3: two sites cover units 0 and 1 twice; one more
    // site alone cannot complete units 2 and 3 (each needs two of candidates 2, 3)
    const auto r = siting::solve(instance_of({{0, 1}, {0, 1}, {2, 3}, {2, 3}}),
                                 {.problem = siting::Problem::double_coverage, .p = 3});
    CHECK(r.sites.size() == 2);
    CHECK(r.shortfall == siting::Shortfall::all_covered);
}
