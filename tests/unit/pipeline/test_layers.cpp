// Results -> output layers (pipeline/layers.hpp): which layers a command writes, in which order,
// and the totals the admin layers carry (docs/layers.md).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/scene.hpp"
#include "output/layer.hpp"
#include "partition/partition.hpp"
#include "pipeline/layers.hpp"

namespace gridplan {
namespace {

core::MultiPolygon square(double x0, double y0, double size) {
    core::Polygon p;
    p.outer() = {{x0, y0}, {x0, y0 + size}, {x0 + size, y0 + size}, {x0 + size, y0}, {x0, y0}};
    return {p};
}

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
    CHECK(std::get<double>(value(streets, 0, "households")) == 100.0);
    CHECK(std::get<double>(value(streets, 0, "population")) == 200.0);
    CHECK(std::holds_alternative<std::monostate>(value(streets, 0, "n_grids")));  // no partition

    const auto& communities = layer(layers, "communities");
    REQUIRE(communities.rows.size() == 2);
    CHECK(std::get<std::string>(value(communities, 0, "st_code")) == "110101001");
    CHECK(std::get<std::int64_t>(value(communities, 0, "buildings")) == 2);
    CHECK(std::get<double>(value(communities, 0, "households")) == 50.0);
    CHECK(std::get<double>(value(communities, 1, "households")) == 50.0);

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
    const auto layers = pipeline::make_layers({.scene = &scene, .partition = &part}, scene.ledger);
    CHECK(names(layers) ==
          std::vector<std::string>{
              "streets", "communities", "buildings", "grids", "grid_boundaries", "ledger"});
    CHECK(std::get<std::int64_t>(value(layer(layers, "streets"), 0, "n_grids")) == 2);
    CHECK(std::get<std::int64_t>(value(layer(layers, "communities"), 1, "n_grids")) == 1);
    CHECK(std::get<std::string>(value(layer(layers, "buildings"), 2, "grid_code")) ==
          "110101001002001");
    const auto& grids = layer(layers, "grids");
    REQUIRE(grids.rows.size() == 2);
    CHECK(std::get<std::int64_t>(value(grids, 0, "buildings")) == 2);
    CHECK_FALSE(layer(layers, "grid_boundaries").rows.empty());
}

}  // namespace gridplan
