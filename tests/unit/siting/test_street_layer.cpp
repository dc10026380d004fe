// Siting: street-length demand (outdoor workers), candidates and exclusion zones from the scene,
// and properties every answer must have (spacing, capacity, gap) on heuristic and exact paths.

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "coverage/coverage.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"
#include "siting/candidates.hpp"
#include "siting/siting.hpp"

using namespace gridplan;

namespace {

/// A street grid of n x n blocks of `block_m`, as lines (one per block side).
std::vector<core::LineString> street_grid(int n, double block_m) {
    std::vector<core::LineString> lines;
    for (int i = 0; i <= n; ++i) {
        for (int k = 0; k < n; ++k) {
            lines.push_back({{k * block_m, i * block_m}, {(k + 1) * block_m, i * block_m}});
            lines.push_back({{i * block_m, k * block_m}, {i * block_m, (k + 1) * block_m}});
        }
    }
    return lines;
}

core::Facility station(const std::string& id, double x, double y) {
    core::Facility f;
    f.id = id;
    f.kind = core::FacilityKind::warm_station;
    f.location = core::Point(x, y);
    return f;
}

/// Coverage's network street-metre statistic (total row, warm stations, 15 min at 4 km/h).
const coverage::AreaStats& street_row(const coverage::Result& cov) {
    for (const auto& a : cov.areas) {
        if (a.level == coverage::AreaLevel::total && a.kind == core::FacilityKind::warm_station &&
            a.method == coverage::Method::network && a.threshold_min == 15.0) {
            return a;
        }
    }
    FAIL("no total warm-station row");
    return cov.areas.front();
}

coverage::Options coverage_options() {
    coverage::Options o;
    o.profiles = {{"adult", 4.0}};
    o.thresholds_min = {15.0};
    o.polygons.enabled = false;
    o.threads = 1;
    return o;
}

}  // namespace

TEST_CASE("street demand: pieces cut at every reach end, weights are metres", "[siting]") {
    // one 3 km street; existing station at 0 (access 10 m), candidates at 1000 and 2500
    const std::vector<core::LineString> lines = {{{0, 0}, {3000, 0}}};
    const graph::WalkGraph g = graph::build_walk_graph(lines, graph::GraphOptions{});
    const graph::EdgeIndex index(g);
    core::Scene scene;
    scene.facilities.push_back(station("w1", 0, 10));
    const std::vector<siting::Candidate> candidates = {
        siting::Candidate{.id = "a", .position = core::Point(1000, 10)},
        siting::Candidate{.id = "b", .position = core::Point(2500, 10)}};
    siting::InstanceOptions io;
    io.weight = siting::InstanceOptions::Weight::street_m;
    io.threads = 1;
    const siting::StreetInstance si = siting::build_street_instance(scene, index, candidates, io);
    // 1,000 m budget minus the 10 m access leg: existing [0, 990], a [10, 1990], b [1510, 3000]
    double total = 0;
    for (std::size_t i = 0; i < si.pieces.size(); ++i) {
        CHECK(si.instance.weight[i] == Approx(si.pieces[i].to_m - si.pieces[i].from_m));
        total += si.instance.weight[i];
    }
    CHECK(total == Approx(3000));
    CHECK(si.pieces.size() == 5);  // cuts at 0, 10, 990, 1510, 1990, 3000
    siting::Result r = siting::solve(si.instance, siting::Options{.p = 1});
    REQUIRE(r.sites.size() == 1);
    CHECK(r.sites[0].candidate == 1);
    CHECK(r.incumbent == Approx(1490));
    CHECK(r.already_covered_weight == Approx(990));
    r = siting::solve(si.instance, siting::Options{.p = 2});
    CHECK(r.incumbent == Approx(2010));
    CHECK(r.covered_weight == Approx(3000));
    // build_instance with the street weight gives the same instance
    const siting::Instance same =
        siting::build_instance(scene, index, graph::SnapTable{}, candidates, io);
    CHECK(same.weight == si.instance.weight);
    CHECK(same.cover_demand == si.instance.cover_demand);
}

TEST_CASE("street demand agrees with coverage's street metres for the chosen stations",
          "[siting]") {
    const std::vector<core::LineString> lines = street_grid(8, 250);
    const graph::WalkGraph g = graph::build_walk_graph(lines, graph::GraphOptions{});
    const graph::EdgeIndex index(g);
    core::Scene scene;
    scene.facilities = {station("w1", 130, 260), station("w2", 1900, 1700)};
    std::mt19937_64 rng(7);
    std::vector<siting::Candidate> candidates;
    for (int j = 0; j < 25; ++j) {
        const double x = static_cast<double>(rng() % 2000);
        const double y = static_cast<double>(rng() % 2000);
        candidates.push_back(
            siting::Candidate{.id = "c" + std::to_string(j), .position = core::Point(x, y)});
    }
    siting::InstanceOptions io;
    io.weight = siting::InstanceOptions::Weight::street_m;
    io.threads = 2;
    const siting::StreetInstance si = siting::build_street_instance(scene, index, candidates, io);
    io.threads = 1;
    const siting::StreetInstance one = siting::build_street_instance(scene, index, candidates, io);
    CHECK(one.instance.cover_demand == si.instance.cover_demand);  // any thread count
    CHECK(one.instance.weight == si.instance.weight);

    for (const auto problem : {siting::Problem::max_coverage, siting::Problem::double_coverage}) {
        // the covered street length must match for any answer, proven optimal or not
        const siting::Result r = siting::solve(
            si.instance, siting::Options{.problem = problem, .p = 4, .max_nodes = 100});
        CHECK(r.gap >= 0.0);
        if (problem == siting::Problem::max_coverage)
            CHECK(r.status == "optimal");
        core::Scene after = scene;
        for (const auto& site : r.sites) {
            after.facilities.push_back(station("new" + std::to_string(site.candidate),
                                               candidates[site.candidate].position.x(),
                                               candidates[site.candidate].position.y()));
        }
        const coverage::Result before_cov =
            coverage::compute_coverage(scene, g, coverage_options());
        const coverage::Result after_cov = coverage::compute_coverage(after, g, coverage_options());
        const auto& before = street_row(before_cov);
        const auto& now = street_row(after_cov);
        CHECK(r.total_weight == Approx(now.all.street_m).epsilon(1e-9));
        if (problem == siting::Problem::max_coverage) {
            CHECK(r.already_covered_weight == Approx(before.covered.street_m).epsilon(1e-9));
            CHECK(r.covered_weight == Approx(now.covered.street_m).epsilon(1e-9));
        } else {
            CHECK(r.already_covered_weight == Approx(before.doubled.street_m).epsilon(1e-9));
            CHECK(r.covered_weight == Approx(now.doubled.street_m).epsilon(1e-9));
        }
    }
}

TEST_CASE("candidates and exclusion zones from the scene's layers", "[siting]") {
    const std::vector<core::LineString> lines = {{{0, 0}, {1000, 0}}};
    const graph::WalkGraph g = graph::build_walk_graph(lines, graph::GraphOptions{});
    const graph::EdgeIndex index(g);
    core::Scene scene;
    scene.candidates = {
        core::CandidateSite{.id = "k1",
                            .name = "Bank",
                            .type = "bank",
                            .location = core::Point(100, 5),
                            .capacity = 500.0,
                            .cost = 2.0},
        core::CandidateSite{
            .id = "k2", .name = "Shop", .type = "supermarket", .location = core::Point(600, 5)},
        core::CandidateSite{
            .id = "k3", .name = "Far", .type = "kiosk", .location = core::Point(500, 2000)}};
    core::Polygon zone;
    zone.outer() = {{550, -50}, {550, 50}, {650, 50}, {650, -50}, {550, -50}};
    scene.exclusions = {
        core::ExclusionZone{.id = "z1", .name = "pond", .area = core::MultiPolygon{zone}}};

    const std::vector<siting::Candidate> given = siting::layer_candidates(scene);
    REQUIRE(given.size() == 3);
    CHECK(given[0].capacity == 500.0);
    CHECK(given[0].cost == 2.0);
    CHECK(given[0].from_layer);
    CHECK(given[1].capacity == 0.0);  // none given: unlimited

    siting::CandidateOptions opt;
    opt.given = given;
    opt.exclusion = siting::exclusion_areas(scene);
    std::vector<siting::Candidate> c = siting::generate_candidates(scene, g, opt);
    REQUIRE(c.size() == 2);  // k2 is inside the zone
    CHECK(c[0].id == "k1");
    CHECK(c[1].id == "k3");
    opt.generate = siting::CandidateOptions::Generate::always;
    c = siting::generate_candidates(scene, g, opt);
    CHECK(c.size() == 2);  // a plain line has no 3-way intersection and there are no buildings
    CHECK(c[0].from_layer);

    const core::Ledger issues =
        siting::candidate_issues(scene, index, opt.exclusion, graph::SnapOptions{});
    REQUIRE(issues.entries().size() == 2);
    CHECK(issues.entries()[0].source_id == "k2");
    CHECK(issues.entries()[0].reason == "excluded");
    CHECK(issues.entries()[1].source_id == "k3");
    CHECK(issues.entries()[1].reason == "unsnappable");
}

TEST_CASE("every answer keeps spacing and capacity, and its gap is never negative", "[siting]") {
    std::mt19937_64 rng(99);
    for (int trial = 0; trial < 16; ++trial) {
        const std::size_t n = 60;
        const std::size_t m = 18;
        std::vector<core::Point> demand;
        siting::Instance in;
        for (std::size_t i = 0; i < n; ++i) {
            demand.emplace_back(static_cast<double>(rng() % 2000),
                                static_cast<double>(rng() % 2000));
            in.weight.push_back(static_cast<double>(1 + rng() % 50));
        }
        in.cover_offsets = {0};
        for (std::size_t j = 0; j < m; ++j) {
            in.candidate_position.emplace_back(static_cast<double>(rng() % 2000),
                                               static_cast<double>(rng() % 2000));
            for (std::size_t i = 0; i < n; ++i) {
                if (boost::geometry::distance(in.candidate_position[j], demand[i]) <= 500) {
                    in.cover_demand.push_back(static_cast<std::uint32_t>(i));
                }
            }
            in.cover_offsets.push_back(static_cast<std::uint32_t>(in.cover_demand.size()));
            in.candidate_capacity.push_back(static_cast<double>(100 + rng() % 300));
        }
        in.existing_position = {core::Point(1000, 1000)};
        in.existing_count.assign(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            if (boost::geometry::distance(in.existing_position[0], demand[i]) <= 500)
                in.existing_count[i] = 1;
        }
        const bool capacitated = trial % 3 == 0;
        siting::Options o{.problem = trial % 4 == 1 ? siting::Problem::double_coverage
                                                    : siting::Problem::max_coverage,
                          .p = static_cast<std::uint32_t>(2 + trial % 4),
                          .min_spacing_m = trial % 2 == 0 ? 300.0 : 0.0,
                          .max_spacing_m = trial % 5 == 0 ? 900.0 : 0.0,
                          .capacitated = capacitated,
                          .max_nodes = trial % 2 == 0 ? 0U : 20U};
        if (capacitated)
            o.problem = siting::Problem::max_coverage;
        const siting::Result r = siting::solve(in, o);
        DYNAMIC_SECTION("trial " << trial << " status " << r.status) {
            CHECK(r.gap >= 0.0);
            CHECK(r.sites.size() <= o.p);
            if (r.status == "optimal")
                CHECK(r.gap == 0.0);
            if (o.problem == siting::Problem::max_coverage ||
                o.problem == siting::Problem::double_coverage) {
                CHECK(r.bound >= r.incumbent - 1e-9);
            }
            for (std::size_t a = 0; a < r.sites.size(); ++a) {
                const auto& pa = in.candidate_position[r.sites[a].candidate];
                if (o.min_spacing_m > 0) {
                    CHECK(boost::geometry::distance(pa, in.existing_position[0]) >=
                          o.min_spacing_m);
                    for (std::size_t b = a + 1; b < r.sites.size(); ++b) {
                        CHECK(boost::geometry::distance(
                                  pa, in.candidate_position[r.sites[b].candidate]) >=
                              o.min_spacing_m);
                    }
                }
                if (o.max_spacing_m > 0) {
                    bool near =
                        boost::geometry::distance(pa, in.existing_position[0]) <= o.max_spacing_m;
                    for (std::size_t b = 0; b < r.sites.size(); ++b) {
                        near = near ||
                               (a != b && boost::geometry::distance(
                                              pa, in.candidate_position[r.sites[b].candidate]) <=
                                              o.max_spacing_m);
                    }
                    CHECK(near);
                }
                if (capacitated) {  // the weight a capacitated site serves never exceeds its
                                    // capacity
                    CHECK(r.sites[a].marginal_gain <=
                          in.candidate_capacity[r.sites[a].candidate] + 1e-6);
                }
            }
            if (o.max_spacing_m <= 0 &&
                !r.sites.empty()) {  // a station that adds nothing is not proposed
                CHECK(r.sites.back().marginal_gain > 0);
            }
            if (!capacitated && o.problem == siting::Problem::max_coverage) {
                for (std::size_t a = 1; a < r.sites.size(); ++a) {
                    CHECK(r.sites[a].marginal_gain <= r.sites[a - 1].marginal_gain + 1e-9);
                }
            }
        }
    }
}
