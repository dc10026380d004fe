#pragma once
// Small scene builders for coverage tests: ASCII street maps plus buildings and facilities, and a
// seeded jittered street grid for property tests.

#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/scene.hpp"
#include "graph/walk_graph.hpp"
#include "support/ascii_map.hpp"

namespace gridplan::test {

struct SceneBuilder {
    core::Scene scene;

    SceneBuilder() = default;
    explicit SceneBuilder(const AsciiMap& map) { scene.roads = map.roads(); }

    /// A 6 m square building centred on p.
    core::Index building(const core::Point& p, double residents = 10.0, double households = 4.0,
                         std::optional<core::Index> community = std::nullopt) {
        core::Building b;
        b.id = "b" + std::to_string(scene.buildings.size());
        core::Polygon poly;
        poly.outer() = {{p.x() - 3, p.y() - 3}, {p.x() - 3, p.y() + 3}, {p.x() + 3, p.y() + 3},
                        {p.x() + 3, p.y() - 3}, {p.x() - 3, p.y() - 3}};
        b.footprint.push_back(poly);
        b.anchor = p;
        b.area_m2 = 36.0;
        b.population = residents;
        b.households = households;
        b.community = community;
        scene.buildings.push_back(std::move(b));
        return static_cast<core::Index>(scene.buildings.size() - 1);
    }

    core::Index facility(const core::Point& p,
                         core::FacilityKind kind = core::FacilityKind::warm_station) {
        core::Facility f;
        f.id = "f" + std::to_string(scene.facilities.size());
        f.name = f.id;
        f.kind = kind;
        f.location = p;
        scene.facilities.push_back(std::move(f));
        return static_cast<core::Index>(scene.facilities.size() - 1);
    }

    [[nodiscard]] graph::WalkGraph graph() const {
        return graph::build_walk_graph(scene.roads, {}).graph;
    }
};

/// An n × n jittered street grid (spacing 80 m, jitter ±15 m, ~8 % of links missing, seeded),
/// with `n_buildings` buildings placed inside blocks and `n_facilities` warm stations.
inline SceneBuilder jittered_grid(int n, int n_buildings, int n_facilities, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> jitter(-15.0, 15.0);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const double s = 80.0;
    std::vector<core::Point> pts;
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            pts.emplace_back(i * s + jitter(rng), j * s + jitter(rng));
        }
    }
    SceneBuilder b;
    int id = 0;
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            for (const auto& [a, c] : {std::pair{i + 1, j}, std::pair{i, j + 1}}) {
                if (a < n && c < n && unit(rng) > 0.08) {
                    core::Road r;
                    r.id = "r" + std::to_string(id++);
                    r.line = {pts[i * n + j], pts[a * n + c]};
                    b.scene.roads.push_back(std::move(r));
                }
            }
        }
    }
    const double extent = (n - 1) * s;
    for (int k = 0; k < n_buildings; ++k) {
        b.building({unit(rng) * extent, unit(rng) * extent}, std::floor(unit(rng) * 50.0),
                   std::floor(unit(rng) * 20.0));
    }
    for (int k = 0; k < n_facilities; ++k) {
        b.facility({unit(rng) * extent, unit(rng) * extent});
    }
    return b;
}

}  // namespace gridplan::test
