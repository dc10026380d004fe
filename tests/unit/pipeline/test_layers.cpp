// Results -> output layers (pipeline/layers.hpp): which layers a command writes, in which order,
// and the totals the admin layers carry (docs/layers.md).
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/scene.hpp"
#include "output/layer.hpp"
#include "partition/partition.hpp"
#include "pipeline/layers.hpp"
#include "support/areas.hpp"

namespace gridplan {
namespace {

using test::square;

/// One street holding two communities; three buildings, two in the first community, one in the
/// second.
core::Scene small_scene() {
    core::Scene scene;
    scene.streets.push_back(
        {.id = "S", .name = "Street", .code = "110101001", .area = square(0, 0, 200)});
    scene.communities.push_back({.id = "C1",
                                 .name = "One",
                                 .code = "110101001001",
                                 .area = square(0, 0, 100),
                                 .street = 0});
    scene.communities.push_back({.id = "C2",
                                 .name = "Two",
                                 .code = "110101001002",
                                 .area = square(100, 0, 100),
                                 .street = 0});
    auto building = [](std::string id, double x, double households, core::Index community) {
        core::Building b;
        b.id = std::move(id);
        b.footprint = square(x, 10, 10);
        b.anchor = {x + 5, 15};
        b.area_m2 = 100;
        b.households = households;
        b.population = 2 * households;
        b.community = community;
        return b;
    };
    scene.buildings.push_back(building("b1", 10, 30, 0));
    scene.buildings.push_back(building("b2", 40, 20, 0));
    scene.buildings.push_back(building("b3", 150, 50, 1));
    return scene;
}

std::vector<std::string> names(const std::vector<output::Layer>& layers) {
    std::vector<std::string> out;
    for (const auto& l : layers) {
        out.push_back(l.name);
    }
    return out;
}

const output::Layer& layer(const std::vector<output::Layer>& layers, const std::string& name) {
    for (const auto& l : layers) {
        if (l.name == name) {
            return l;
        }
    }
    FAIL("no layer " << name);
    return layers.front();
}

/// The value of `field` in row `row`.
const output::Value& value(const output::Layer& l, std::size_t row, const std::string& field) {
    for (std::size_t i = 0; i < l.fields.size(); ++i) {
        if (l.fields[i].name == field) {
            return l.rows.at(row).at(i);
        }
    }
    FAIL("no field " << field << " in " << l.name);
    return l.rows.at(row).at(0);
}

}  // namespace

TEST_CASE("a scene alone gives the admin layers, the buildings and the ledger last",
          "[pipeline][layers]") {
    const core::Scene scene = small_scene();
    const auto layers = pipeline::make_layers({.scene = &scene}, scene.ledger);
    CHECK(names(layers) ==
          std::vector<std::string>{"streets", "communities", "buildings", "ledger"});

    const auto& streets = layer(layers, "streets");
    REQUIRE(streets.rows.size() == 1);
    CHECK(std::get<std::int64_t>(value(streets, 0, "n_comm")) == 2);
    CHECK(std::get<std::int64_t>(value(streets, 0, "buildings")) == 3);
    CHECK(std::get<std::int64_t>(value(streets, 0, "households")) == 100);
    CHECK(std::get<std::int64_t>(value(streets, 0, "population")) == 200);
    CHECK(std::holds_alternative<std::monostate>(value(streets, 0, "n_grids")));  // no partition

    const auto& communities = layer(layers, "communities");
    REQUIRE(communities.rows.size() == 2);
    CHECK(std::get<std::string>(value(communities, 0, "st_code")) == "110101001");
    CHECK(std::get<std::int64_t>(value(communities, 0, "buildings")) == 2);
    CHECK(std::get<std::int64_t>(value(communities, 0, "households")) == 50);
    CHECK(std::get<std::int64_t>(value(communities, 1, "households")) == 50);

    const auto& buildings = layer(layers, "buildings");
    REQUIRE(buildings.rows.size() == 3);
    CHECK(std::get<std::string>(value(buildings, 2, "comm_code")) == "110101001002");
    CHECK(std::holds_alternative<std::monostate>(value(buildings, 0, "grid_code")));
}

TEST_CASE("a partition adds the grids and their boundaries, and grid counts and codes",
          "[pipeline][layers]") {
    const core::Scene scene = small_scene();
    partition::Result part;
    auto grid = [](std::string code,
                   core::Index community,
                   core::MultiPolygon area,
                   std::vector<core::Index> buildings) {
        partition::Grid g;
        g.code = std::move(code);
        g.community = community;
        g.street = 0;
        g.area = std::move(area);
        g.buildings = std::move(buildings);
        return g;
    };
    part.grids.push_back(grid("110101001001001", 0, square(0, 0, 100), {0, 1}));
    part.grids.push_back(grid("110101001002001", 1, square(100, 0, 100), {2}));
    part.grid_of_building = {0, 0, 1};
    part.communities.resize(2);
    partition::BuildingGroup group;
    group.code = "11010100100100101";
    group.sequence = 1;
    group.grid = 0;
    group.grid_code = "110101001001001";
    group.buildings = {0, 1};
    group.area = square(0, 0, 100);
    group.in_band = true;
    part.groups.push_back(group);
    part.group_of_building = {0, 0, std::nullopt};
    const auto layers = pipeline::make_layers({.scene = &scene, .partition = &part}, scene.ledger);
    CHECK(names(layers) == std::vector<std::string>{"streets",
                                                    "communities",
                                                    "buildings",
                                                    "grids",
                                                    "building_groups",
                                                    "grid_boundaries",
                                                    "ledger"});
    const auto& groups = layer(layers, "building_groups");
    REQUIRE(groups.rows.size() == 1);
    CHECK(std::get<std::string>(value(groups, 0, "code")) == "11010100100100101");
    CHECK(std::get<std::int64_t>(value(groups, 0, "seq")) == 1);
    CHECK(std::get<std::int64_t>(value(groups, 0, "buildings")) == 2);
    CHECK(std::get<std::string>(value(groups, 0, "bldg_head")).empty());  // a slot to fill in
    CHECK(std::get<std::string>(value(layer(layers, "buildings"), 0, "group_code")) ==
          "11010100100100101");
    CHECK(std::holds_alternative<std::monostate>(value(layer(layers, "buildings"), 2, "group_code")));
    CHECK(std::get<std::int64_t>(value(layer(layers, "streets"), 0, "n_grids")) == 2);
    CHECK(std::get<std::int64_t>(value(layer(layers, "communities"), 1, "n_grids")) == 1);
    CHECK(std::get<std::string>(value(layer(layers, "buildings"), 2, "grid_code")) ==
          "110101001002001");
    const auto& grids = layer(layers, "grids");
    REQUIRE(grids.rows.size() == 2);
    CHECK(std::get<std::int64_t>(value(grids, 0, "buildings")) == 2);
    CHECK_FALSE(layer(layers, "grid_boundaries").rows.empty());
}

TEST_CASE("whole households: estimates rounded per community keep each community's total",
          "[pipeline][layers][households]") {
    core::Scene scene = small_scene();
    // Community 0: 10.4 + 20.3 + 0.5 = 31.2 -> 31; community 1: 49.5 + 0.5 = 50 (a tie: the
    // lower index gets the unit); b6 stands outside every community (its own group).
    scene.buildings[0].households = 10.4;
    scene.buildings[1].households = 20.3;
    scene.buildings[2].households = 49.5;
    scene.buildings.push_back(scene.buildings[1]);
    scene.buildings.back().id = "b4";
    scene.buildings.back().households = 0.5;
    scene.buildings.push_back(scene.buildings[2]);
    scene.buildings.back().id = "b5";
    scene.buildings.back().households = 0.5;
    scene.buildings.push_back(scene.buildings[2]);
    scene.buildings.back().id = "b6";
    scene.buildings.back().households = 2.7;
    scene.buildings.back().community = std::nullopt;
    for (auto& b : scene.buildings) {
        b.households_estimated = true;
        b.population = 2.8 * b.households;
    }
    pipeline::round_households(scene);
    std::vector<double> hh;
    for (const auto& b : scene.buildings) {
        hh.push_back(b.households);
        CHECK(b.households_estimated);  // still flagged as an estimate
    }
    CHECK(hh == std::vector<double>{10, 20, 50, 1, 0, 3});
    CHECK(hh[0] + hh[1] + hh[3] == 31);  // llround(31.2)
    CHECK(hh[2] + hh[4] == 50);
    double population = 0.0;
    for (const auto& b : scene.buildings) {
        CHECK(b.population == std::floor(b.population));
        population += b.population;
    }
    CHECK(population == std::round(2.8 * 10.4 + 2.8 * 20.3 + 2.8 * 0.5) +
                            std::round(2.8 * 49.5 + 2.8 * 0.5) + std::round(2.8 * 2.7));

    const auto layers = pipeline::make_layers({.scene = &scene}, scene.ledger);
    const auto& communities = layer(layers, "communities");
    CHECK(std::get<std::int64_t>(value(communities, 0, "households")) == 31);
    CHECK(std::get<std::int64_t>(value(communities, 1, "households")) == 50);
    CHECK(std::get<std::int64_t>(value(layer(layers, "buildings"), 0, "hh_est")) == 1);
}

TEST_CASE(
    "staffing: 1+1+1+N for grids with households, the institution's rule for a dedicated grid",
    "[pipeline][layers][staffing]") {
    using partition::GridKind;
    struct Case {
        GridKind kind;
        std::int64_t households;
        std::int64_t leader, instructor, worker, part_time;
    };
    const auto c = GENERATE(values<Case>({
        {GridKind::regular, 381, 1, 1, 1, 4},
        {GridKind::regular, 400, 1, 1, 1, 4},
        {GridKind::regular, 401, 1, 1, 1, 5},
        {GridKind::regular, 0, 0, 0, 0, 0},  // no households: no staff
        {GridKind::oversized, 620, 1, 1, 1, 7},
        {GridKind::dedicated, 0, 1, 1, 0, 1},  // institution: its leader and 专属网格员
        {GridKind::dedicated, 35, 1, 1, 0, 1},
        {GridKind::dedicated, 250, 1, 1, 0, 3},
    }));
    CAPTURE(partition::to_string(c.kind), c.households);
    const auto s = pipeline::grid_staffing(c.kind, c.households, 100.0);
    CHECK(s.leader == c.leader);
    CHECK(s.instructor == c.instructor);
    CHECK(s.worker == c.worker);
    CHECK(s.part_time == c.part_time);
}

TEST_CASE("grid totals are the sums of their buildings' whole households",
          "[pipeline][layers][households]") {
    core::Scene scene = small_scene();
    scene.buildings[0].households = 30.7;
    scene.buildings[1].households = 19.5;  // community 0: 50.2 -> 31 + 19 (larger remainder first)
    pipeline::round_households(scene);
    partition::Result part;
    partition::Grid g;
    g.code = "110101001001001";
    g.area = square(0, 0, 100);
    g.buildings = {0, 1};
    g.households = 50.2;  // the optimiser's real value
    part.grids.push_back(g);
    part.grid_of_building = {0, 0, std::nullopt};
    part.communities.resize(2);
    const auto layers = pipeline::make_layers({.scene = &scene, .partition = &part}, scene.ledger);
    const auto& grids = layer(layers, "grids");
    CHECK(std::get<std::int64_t>(value(grids, 0, "households")) == 50);
    CHECK(std::get<std::int64_t>(value(layer(layers, "buildings"), 0, "households")) == 31);
    CHECK(std::get<std::int64_t>(value(layer(layers, "buildings"), 1, "households")) == 19);
    CHECK(std::get<std::int64_t>(value(grids, 0, "n_part")) == 1);
}

}  // namespace gridplan
