#pragma once
// Synthetic scenes for partition tests: a city of square road blocks, communities of
// cb x cb blocks bounded by arterials, local roads between blocks, buildings with households
// drawn like ../shared/bench/partition/gen_city.py (low-rise, mid-rise, tower compounds).

#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "core/scene.hpp"

namespace gridplan::test {

struct CityShape {
    int communities_x = 2;
    int communities_y = 1;
    int blocks_per_community = 4;  ///< cb: community = cb x cb blocks
    double block_m = 150.0;
    std::uint64_t seed = 1;
    bool split_towers = true;  ///< towers above 450 households become two entrances (单元)
};

inline core::Polygon box_polygon(double x0, double y0, double x1, double y1) {
    core::Polygon p;
    p.outer() = {core::Point(x0, y0), core::Point(x0, y1), core::Point(x1, y1),
                 core::Point(x1, y0), core::Point(x0, y0)};
    return p;
}

inline core::MultiPolygon box_area(double x0, double y0, double x1, double y1) {
    core::MultiPolygon mp;
    mp.push_back(box_polygon(x0, y0, x1, y1));
    return mp;
}

inline core::Building make_building(const std::string& id, double x, double y, double households,
                                    std::optional<core::Index> community) {
    core::Building b;
    b.id = id;
    b.type = "residential";
    b.footprint = box_area(x - 4, y - 4, x + 4, y + 4);
    b.anchor = core::Point(x, y);
    b.area_m2 = 64;
    b.households = households;
    b.population = households * 2.6;
    b.community = community;
    return b;
}

inline core::Scene synthetic_city(const CityShape& shape) {
    core::Scene scene;
    std::mt19937_64 rng(shape.seed);
    std::uniform_real_distribution<double> unif(0.0, 1.0);
    std::lognormal_distribution<double> tower(std::log(180.0), 0.45);
    std::lognormal_distribution<double> low(std::log(28.0), 0.5);
    std::lognormal_distribution<double> mid(std::log(70.0), 0.4);
    const int cb = shape.blocks_per_community;
    const double blk = shape.block_m;
    const int bx_n = shape.communities_x * cb;
    const int by_n = shape.communities_y * cb;
    core::Street street;
    street.id = "S1";
    street.name = "测试街道";
    street.code = "410102001";
    street.area = box_area(0, 0, bx_n * blk, by_n * blk);
    scene.streets.push_back(street);
    for (int cx = 0; cx < shape.communities_x; ++cx) {
        for (int cy = 0; cy < shape.communities_y; ++cy) {
            core::Community c;
            const int idx = cx * shape.communities_y + cy;
            c.id = "C" + std::to_string(idx);
            c.name = "社区" + std::to_string(idx);
            char code[32];
            std::snprintf(code, sizeof(code), "410102001%03d", idx + 1);
            c.code = code;
            c.area = box_area(cx * cb * blk, cy * cb * blk, (cx + 1) * cb * blk,
                              (cy + 1) * cb * blk);
            c.street = 0;
            scene.communities.push_back(c);
        }
    }
    // Roads on every block line; arterials on community lines.
    int road_id = 0;
    for (int i = 0; i <= bx_n; ++i) {
        core::Road r;
        r.id = "R" + std::to_string(road_id++);
        r.road_class = (i % cb == 0) ? "primary" : "residential";
        r.line = {core::Point(i * blk, 0), core::Point(i * blk, by_n * blk)};
        scene.roads.push_back(r);
    }
    for (int j = 0; j <= by_n; ++j) {
        core::Road r;
        r.id = "R" + std::to_string(road_id++);
        r.road_class = (j % cb == 0) ? "primary" : "residential";
        r.line = {core::Point(0, j * blk), core::Point(bx_n * blk, j * blk)};
        scene.roads.push_back(r);
    }
    int bid = 0;
    const double road = 18.0;
    for (int bx = 0; bx < bx_n; ++bx) {
        for (int by = 0; by < by_n; ++by) {
            const double x0 = bx * blk + road / 2;
            const double y0 = by * blk + road / 2;
            const double w = blk - road;
            const double kind = unif(rng);
            int nb = 0;
            if (kind < 0.15) {
                nb = 0;
            } else if (kind < 0.65) {
                nb = 4 + static_cast<int>(unif(rng) * 7);
            } else {
                nb = 2 + static_cast<int>(unif(rng) * 5);
            }
            const auto community = static_cast<core::Index>((bx / cb) * shape.communities_y +
                                                            (by / cb));
            for (int n = 0; n < nb; ++n) {
                const double r = unif(rng);
                int hh = 0;
                if (kind >= 0.65 && r < 0.5) {
                    hh = static_cast<int>(std::min(620.0, tower(rng)));
                } else if (r < 0.75) {
                    hh = static_cast<int>(low(rng)) + 4;
                } else {
                    hh = static_cast<int>(mid(rng)) + 10;
                }
                const double x = x0 + (0.08 + 0.84 * unif(rng)) * w;
                const double y = y0 + (0.08 + 0.84 * unif(rng)) * w;
                if (shape.split_towers && hh > 450) {
                    scene.buildings.push_back(make_building("B" + std::to_string(bid++), x, y,
                                                            hh / 2, community));
                    scene.buildings.push_back(make_building("B" + std::to_string(bid++), x + 6,
                                                            y, hh - hh / 2, community));
                } else {
                    scene.buildings.push_back(
                        make_building("B" + std::to_string(bid++), x, y, hh, community));
                }
            }
        }
    }
    return scene;
}

}  // namespace gridplan::test
