#include <algorithm>
#include <limits>
#include <queue>
#include <sstream>

#include <catch2/catch.hpp>

#include "coverage/coverage.hpp"
#include "coverage/search.hpp"
#include "fixtures.hpp"

using namespace gridplan;

namespace {

coverage::Options no_polygons() {
    coverage::Options o;
    o.polygons.enabled = false;
    return o;
}

/// Plain unbounded Dijkstra over the graph nodes (an oracle independent of the engine's kernel).
std::vector<double> node_dijkstra(const graph::WalkGraph& g, std::uint32_t from) {
    std::vector<double> d(g.node_count(), std::numeric_limits<double>::infinity());
    using Item = std::pair<double, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
    d[from] = 0.0;
    q.emplace(0.0, from);
    while (!q.empty()) {
        const auto [du, u] = q.top();
        q.pop();
        if (du > d[u]) {
            continue;
        }
        for (auto a = g.first_out[u]; a < g.first_out[u + 1]; ++a) {
            const double nd = du + g.edge_length_m[g.arc_edge[a]];
            if (nd < d[g.head[a]]) {
                d[g.head[a]] = nd;
                q.emplace(nd, g.head[a]);
            }
        }
    }
    return d;
}

/// Oracle: exact walking metres between two snapped points, by brute force over their snaps.
double oracle(const graph::WalkGraph& g,
              std::span<const graph::Snap> from,
              std::span<const graph::Snap> to) {
    double best = std::numeric_limits<double>::infinity();
    for (const auto& s : from) {
        const double ls = g.edge_length_m[s.edge];
        const auto du = node_dijkstra(g, g.edge_from[s.edge]);
        const auto dv = node_dijkstra(g, g.edge_to[s.edge]);
        for (const auto& t : to) {
            const double lt = g.edge_length_m[t.edge];
            const std::uint32_t tu = g.edge_from[t.edge];
            const std::uint32_t tv = g.edge_to[t.edge];
            double d = std::numeric_limits<double>::infinity();
            if (s.edge == t.edge) {
                d = std::abs(s.offset_m - t.offset_m);
            }
            d = std::min({d,
                          s.offset_m + du[tu] + t.offset_m,
                          s.offset_m + du[tv] + (lt - t.offset_m),
                          (ls - s.offset_m) + dv[tu] + t.offset_m,
                          (ls - s.offset_m) + dv[tv] + (lt - t.offset_m)});
            best = std::min(best, s.access_m + d + t.access_m);
        }
    }
    return best;
}

}  // namespace

TEST_CASE("walking distances match a brute-force oracle", "[coverage][property]") {
    for (const std::uint64_t seed : {1U, 2U, 3U}) {
        auto sb = test::jittered_grid(9, 40, 3, seed);
        const auto g = sb.graph();
        const auto r = coverage::compute_coverage(sb.scene, g, no_polygons());
        const auto& kc = r.kinds[0];
        for (std::size_t b = 0; b < sb.scene.buildings.size(); ++b) {
            double best = std::numeric_limits<double>::infinity();
            for (std::uint32_t f = 0; f < sb.scene.facilities.size(); ++f) {
                best = std::min(best, oracle(g, r.facility_snaps.of(f), r.building_snaps.of(b)));
            }
            CAPTURE(seed, b);
            if (best <= 1000.0) {
                CHECK(kc.distance_m[b] == Approx(best).margin(1e-6));
            } else {
                CHECK(kc.distance_m[b] == coverage::kUnreached);
            }
        }
    }
}

TEST_CASE("network time is never shorter than the straight line", "[coverage][property]") {
    auto sb = test::jittered_grid(14, 150, 4, 5);
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, no_polygons());
    const auto& kc = r.kinds[0];
    for (std::size_t b = 0; b < sb.scene.buildings.size(); ++b) {
        if (kc.nearest[b] == graph::kNone) {
            continue;
        }
        const auto& f = sb.scene.facilities[kc.nearest[b]].location;
        CHECK(kc.distance_m[b] >= core::bg::distance(r.access_points[b], f) - 1e-9);
        CHECK(kc.distance_m[b] >= kc.euclid_distance_m[b] - 1e-9);
    }
}

TEST_CASE("counts and covered flags tell the same story", "[coverage][property]") {
    auto sb = test::jittered_grid(14, 150, 6, 8);
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, no_polygons());
    for (std::size_t b = 0; b < sb.scene.buildings.size(); ++b) {
        for (std::size_t p = 0; p < 2; ++p) {
            for (std::size_t t = 0; t < 3; ++t) {
                CHECK(r.covered(0, b, p, t) == (r.count(0, b, p, t) >= 1));
                if (t > 0) {
                    CHECK(r.count(0, b, p, t) >= r.count(0, b, p, t - 1));
                }
            }
            CHECK(r.count(0, b, 0, 2) >= r.count(0, b, 1, 2));  // faster profile reaches more
        }
    }
}

TEST_CASE("coverage never shrinks when a station is added or the threshold grows",
          "[coverage][property]") {
    auto sb = test::jittered_grid(14, 150, 3, 21);
    const auto g = sb.graph();
    const auto before = coverage::compute_coverage(sb.scene, g, no_polygons());
    sb.facility({500.0, 500.0});
    const auto after = coverage::compute_coverage(sb.scene, g, no_polygons());
    auto grown_options = no_polygons();
    grown_options.thresholds_min = {6.0, 12.0, 20.0};
    const auto grown = coverage::compute_coverage(sb.scene, g, grown_options);
    std::size_t gained = 0;
    for (std::size_t b = 0; b < sb.scene.buildings.size(); ++b) {
        for (std::size_t t = 0; t < 3; ++t) {
            if (before.covered(0, b, 0, t)) {
                CHECK(after.covered(0, b, 0, t));
                CHECK(grown.covered(0, b, 0, t));
            }
            CHECK(after.count(0, b, 0, t) >= before.count(0, b, 0, t));
            gained += after.count(0, b, 0, t) - before.count(0, b, 0, t);
        }
        CHECK(after.kinds[0].distance_m[b] <= before.kinds[0].distance_m[b]);
    }
    CHECK(gained > 0);
    for (std::size_t i = 0; i < before.areas.size(); ++i) {
        CHECK(after.areas[i].covered.residents >= before.areas[i].covered.residents);
        CHECK(after.areas[i].covered.street_m >= before.areas[i].covered.street_m - 1e-6);
    }
}

TEST_CASE("results are identical with one or four threads", "[coverage][property]") {
    auto sb = test::jittered_grid(8, 60, 3, 33);
    sb.facility({300.0, 300.0}, core::FacilityKind::service_centre);
    const auto g = sb.graph();
    auto o1 = coverage::Options{};
    o1.threads = 1;
    auto o4 = o1;
    o4.threads = 4;
    const auto a = coverage::compute_coverage(sb.scene, g, o1);
    const auto b = coverage::compute_coverage(sb.scene, g, o4);
    REQUIRE(a.kinds.size() == 2);
    REQUIRE(a.kinds.size() == b.kinds.size());
    for (std::size_t k = 0; k < a.kinds.size(); ++k) {
        CHECK(a.kinds[k].nearest == b.kinds[k].nearest);
        CHECK(a.kinds[k].distance_m == b.kinds[k].distance_m);
        CHECK(a.kinds[k].count == b.kinds[k].count);
        CHECK(a.kinds[k].euclid_nearest == b.kinds[k].euclid_nearest);
    }
    REQUIRE(a.areas.size() == b.areas.size());
    for (std::size_t i = 0; i < a.areas.size(); ++i) {
        CHECK(a.areas[i].covered.street_m == b.areas[i].covered.street_m);
        CHECK(a.areas[i].doubled.residents == b.areas[i].doubled.residents);
    }
    REQUIRE(a.circles.size() == b.circles.size());
    for (std::size_t i = 0; i < a.circles.size(); ++i) {
        std::ostringstream wa;
        std::ostringstream wb;
        wa << core::bg::wkt(a.circles[i].area);
        wb << core::bg::wkt(b.circles[i].area);
        CHECK(wa.str() == wb.str());
    }
    REQUIRE(a.gaps.size() == b.gaps.size());
    for (std::size_t i = 0; i < a.gaps.size(); ++i) {
        CHECK(a.gaps[i].buildings == b.gaps[i].buildings);
    }
}
