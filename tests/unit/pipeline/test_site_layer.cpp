// The proposed_sites layer carries what a planner needs to find a site (issue 15 item 6): the
// input's name, type and address, the road, the community and grid it stands in, lon/lat.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/scene.hpp"
#include "geom/crs.hpp"
#include "output/layer.hpp"
#include "partition/partition.hpp"
#include "pipeline/layers.hpp"
#include "support/areas.hpp"

namespace gridplan {
namespace {

using test::square;

core::Road road(std::string name, core::LineString line) {
    core::Road r;
    r.id = name;
    r.name = std::move(name);
    r.line = std::move(line);
    return r;
}

/// The value of `field` in row `row` of `l`.
const output::Value& value(const output::Layer& l, std::size_t row, const std::string& field) {
    for (std::size_t i = 0; i < l.fields.size(); ++i) {
        if (l.fields[i].name == field) {
            return l.rows.at(row).at(i);
        }
    }
    FAIL("no field " << field << " in " << l.name);
    return l.rows.at(row).at(0);
}

std::string text(const output::Layer& l, std::size_t row, const std::string& field) {
    const auto& v = value(l, row, field);
    return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : "<null>";
}

}  // namespace

TEST_CASE("proposed sites carry name, type, address, road, community, grid and lon/lat",
          "[pipeline][layers][sites]") {
    // Two communities of 100 m side near Wuhan (CGCS2000 GK CM 114E), one grid each; 学院路 runs
    // north-south between them, 北土城西路 west-east through both.
    const double x0 = 500000.0;
    const double y0 = 3385000.0;
    core::Scene scene;
    scene.crs.wkt = geom::Crs::from_epsg(4547).wkt2();
    scene.communities.push_back(
        {.id = "C1", .name = "一社区", .code = "", .area = square(x0, y0, 100)});
    scene.communities.push_back(
        {.id = "C2", .name = "二社区", .code = "420111001002", .area = square(x0 + 110, y0, 100)});
    scene.roads.push_back(road("学院路", {{x0 + 105, y0 - 50}, {x0 + 105, y0 + 150}}));
    scene.roads.push_back(road("北土城西路", {{x0 - 50, y0 + 50}, {x0 + 250, y0 + 50}}));
    partition::Result part;
    partition::Grid g1;
    g1.code = "901234567890001";
    g1.community = 0;
    g1.area = square(x0, y0, 100);
    partition::Grid g2 = g1;
    g2.code = "420111001002001";
    g2.community = 1;
    g2.area = square(x0 + 110, y0, 100);
    part.grids = {g1, g2};
    part.communities.resize(2);
    part.communities[0].community = 0;
    part.communities[0].code = "901234567890";  // derived: the scene community has no code
    part.communities[1].community = 1;
    part.communities[1].code = "420111001002";

    pipeline::SitingOutcome sited;
    sited.candidates.push_back({.id = "n1",
                                .name = "",
                                .type = "pharmacy",
                                .address = "学院路37号",
                                .position = core::Point(x0 + 20, y0 + 90)});
    sited.candidates.push_back({.id = "node:7",
                                .name = "",
                                .type = "intersection",
                                .position = core::Point(x0 + 105, y0 + 50)});
    sited.candidates.push_back({.id = "k3",
                                .name = "金象大药房",
                                .type = "pharmacy",
                                .position = core::Point(x0 + 150, y0 + 10)});
    sited.result.sites = {{.candidate = 0}, {.candidate = 1}, {.candidate = 2}};
    const auto layers = pipeline::make_layers(
        {.scene = &scene, .partition = &part, .siting = &sited}, scene.ledger);
    const output::Layer* sites = nullptr;
    for (const auto& l : layers) {
        if (l.name == "proposed_sites")
            sites = &l;
    }
    REQUIRE(sites != nullptr);
    REQUIRE(sites->rows.size() == 3);

    CHECK(text(*sites, 0, "name") == "<null>");  // no name: the type is not used as one
    CHECK(text(*sites, 0, "type") == "pharmacy");
    CHECK(text(*sites, 0, "address") == "学院路37号");
    CHECK(text(*sites, 0, "road") == "北土城西路");         // 40 m from it, 85 m from 学院路
    CHECK(text(*sites, 0, "comm_code") == "901234567890");  // the grids' (derived) code
    CHECK(text(*sites, 0, "comm_name") == "一社区");
    CHECK(text(*sites, 0, "grid_code") == "901234567890001");

    // the intersection, on the road between the communities: the nearer one (5 m) by index
    CHECK(text(*sites, 1, "road") == "北土城西路 / 学院路");
    CHECK(text(*sites, 1, "comm_code") == "901234567890");
    CHECK(text(*sites, 1, "grid_code") == "901234567890001");

    CHECK(text(*sites, 2, "name") == "金象大药房");
    CHECK(text(*sites, 2, "comm_code") == "420111001002");
    CHECK(text(*sites, 2, "grid_code") == "420111001002001");

    for (std::size_t i = 0; i < 3; ++i) {
        const double lon = std::get<double>(value(*sites, i, "lon"));
        const double lat = std::get<double>(value(*sites, i, "lat"));
        CHECK(lon == Approx(114.0).margin(0.01));  // x = 500 km is the central meridian
        CHECK(lat == Approx(30.58).margin(0.05));
        CHECK(lon * 1e6 == Approx(std::round(lon * 1e6)).margin(1e-3));
    }
}

}  // namespace gridplan
