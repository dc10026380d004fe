#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <limits>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <unistd.h>

#include "core/error.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"
#include "siting/candidates.hpp"
#include "siting/siting.hpp"
#include "support/areas.hpp"
#include "support/paths.hpp"

using namespace gridplan;
using siting::Instance;
using siting::Options;
using siting::Problem;

namespace {

/// Random planar instance: demand points and candidates in a 1 km square, a candidate covers the
/// demand within `radius_m` (straight line stands in for the walking rule here).
struct Planar {
    Instance instance;
    std::vector<core::Point> demand;
};

Planar random_instance(std::uint64_t seed,
                       std::size_t n,
                       std::size_t m,
                       std::size_t existing,
                       double radius_m,
                       bool capacities) {
    std::mt19937_64 rng(seed);
    auto coord = [&] { return static_cast<double>(rng() % 1000000) / 1000.0; };
    Planar out;
    Instance& in = out.instance;
    for (std::size_t i = 0; i < n; ++i) {
        out.demand.emplace_back(coord(), coord());
        in.weight.push_back(static_cast<double>(1 + rng() % 100));
    }
    for (std::size_t j = 0; j < m; ++j)
        in.candidate_position.emplace_back(coord(), coord());
    for (std::size_t e = 0; e < existing; ++e)
        in.existing_position.emplace_back(coord(), coord());
    in.cover_offsets.push_back(0);
    for (std::size_t j = 0; j < m; ++j) {
        for (std::size_t i = 0; i < n; ++i) {
            if (boost::geometry::distance(in.candidate_position[j], out.demand[i]) <= radius_m) {
                in.cover_demand.push_back(static_cast<std::uint32_t>(i));
            }
        }
        in.cover_offsets.push_back(static_cast<std::uint32_t>(in.cover_demand.size()));
        if (capacities)
            in.candidate_capacity.push_back(j % 3 == 0 ? 0.0
                                                       : static_cast<double>(150 + rng() % 400));
    }
    in.existing_count.assign(n, 0);
    for (const auto& e : in.existing_position) {
        for (std::size_t i = 0; i < n; ++i) {
            if (boost::geometry::distance(e, out.demand[i]) <= radius_m)
                ++in.existing_count[i];
        }
    }
    return out;
}

std::uint32_t required_of(const Options& o) {
    const std::uint32_t r = std::max<std::uint32_t>(1, o.required_cover);
    return o.problem == Problem::double_coverage ? std::max<std::uint32_t>(2, r) : r;
}

bool spacing_ok(const Instance& in, const Options& o, const std::vector<std::uint32_t>& s) {
    auto dist = [](const core::Point& a, const core::Point& b) {
        return boost::geometry::distance(a, b);
    };
    for (std::size_t a = 0; a < s.size(); ++a) {
        const auto& pa = in.candidate_position[s[a]];
        if (o.min_spacing_m > 0) {
            for (std::size_t b = a + 1; b < s.size(); ++b) {
                if (dist(pa, in.candidate_position[s[b]]) < o.min_spacing_m)
                    return false;
            }
            for (const auto& e : in.existing_position) {
                if (dist(pa, e) < o.min_spacing_m)
                    return false;
            }
        }
        if (o.max_spacing_m > 0) {
            bool near = false;
            for (std::size_t b = 0; b < s.size(); ++b) {
                near = near || (b != a && dist(pa, in.candidate_position[s[b]]) <= o.max_spacing_m);
            }
            for (const auto& e : in.existing_position)
                near = near || dist(pa, e) <= o.max_spacing_m;
            if (!near)
                return false;
        }
    }
    return true;
}

/// Capacitated value of a selection: max flow from demand not yet covered by existing stations to
/// the chosen candidates (Edmonds-Karp on a small dense graph).
double capacitated_value(const Instance& in, const std::vector<std::uint32_t>& s) {
    const std::size_t n = in.weight.size();
    const std::size_t nodes = 2 + n + s.size();
    const std::size_t src = 0, sink = 1;
    std::vector<std::vector<double>> cap(nodes, std::vector<double>(nodes, 0.0));
    const double inf = 1e18;
    for (std::size_t i = 0; i < n; ++i) {
        if (in.existing_count[i] == 0)
            cap[src][2 + i] = in.weight[i];
    }
    for (std::size_t t = 0; t < s.size(); ++t) {
        const std::uint32_t j = s[t];
        for (std::uint32_t e = in.cover_offsets[j]; e < in.cover_offsets[j + 1]; ++e) {
            cap[2 + in.cover_demand[e]][2 + n + t] = inf;
        }
        const double c = in.candidate_capacity.empty() ? 0.0 : in.candidate_capacity[j];
        cap[2 + n + t][sink] = c > 0 ? c : inf;
    }
    double flow = 0;
    while (true) {
        std::vector<std::int64_t> parent(nodes, -1);
        parent[src] = static_cast<std::int64_t>(src);
        std::vector<std::size_t> queue{src};
        for (std::size_t q = 0; q < queue.size() && parent[sink] < 0; ++q) {
            const std::size_t u = queue[q];
            for (std::size_t v = 0; v < nodes; ++v) {
                if (parent[v] < 0 && cap[u][v] > 1e-9) {
                    parent[v] = static_cast<std::int64_t>(u);
                    queue.push_back(v);
                }
            }
        }
        if (parent[sink] < 0)
            break;
        double push = inf;
        for (std::size_t v = sink; v != src; v = static_cast<std::size_t>(parent[v])) {
            push = std::min(push, cap[static_cast<std::size_t>(parent[v])][v]);
        }
        for (std::size_t v = sink; v != src; v = static_cast<std::size_t>(parent[v])) {
            const auto u = static_cast<std::size_t>(parent[v]);
            cap[u][v] -= push;
            cap[v][u] += push;
        }
        flow += push;
    }
    return flow;
}

double value_of(const Instance& in, const Options& o, const std::vector<std::uint32_t>& s) {
    return o.capacitated ? capacitated_value(in, s) : siting::covered_weight(in, o, s);
}

/// Enumerates every subset of at most `p` candidates (spacing-feasible) and returns the best value.
double brute_force_max(const Instance& in, const Options& o) {
    const std::size_t m = in.candidate_count();
    double best = 0;
    std::vector<std::uint32_t> s;
    std::function<void(std::uint32_t)> walk = [&](std::uint32_t from) {
        if (spacing_ok(in, o, s))
            best = std::max(best, value_of(in, o, s));
        if (s.size() == o.p)
            return;
        for (std::uint32_t j = from; j < m; ++j) {
            s.push_back(j);
            walk(j + 1);
            s.pop_back();
        }
    };
    walk(0);
    return best;
}

/// Smallest number of candidates reaching the target share (or -1).
int brute_force_min(const Instance& in, const Options& o) {
    const std::size_t m = in.candidate_count();
    double total = 0, already = 0;
    const std::uint32_t r = required_of(o);
    for (std::size_t i = 0; i < in.weight.size(); ++i) {
        total += in.weight[i];
        if (in.existing_count[i] >= r)
            already += in.weight[i];
    }
    const double goal = o.target_share * total - already - 1e-9 * total;
    for (std::uint32_t k = 0; k <= m; ++k) {
        bool found = false;
        std::vector<std::uint32_t> s;
        std::function<void(std::uint32_t)> walk = [&](std::uint32_t from) {
            if (found)
                return;
            if (s.size() == k) {
                found = spacing_ok(in, o, s) && value_of(in, o, s) >= goal;
                return;
            }
            for (std::uint32_t j = from; j < m; ++j) {
                s.push_back(j);
                walk(j + 1);
                s.pop_back();
            }
        };
        walk(0);
        if (found)
            return static_cast<int>(k);
    }
    return -1;
}

std::vector<std::uint32_t> chosen_of(const siting::Result& r) {
    std::vector<std::uint32_t> s;
    for (const auto& site : r.sites)
        s.push_back(site.candidate);
    std::sort(s.begin(), s.end());
    return s;
}

struct Case {
    const char* name;
    Problem problem;
    std::uint32_t p;
    std::uint32_t required;
    bool capacitated;
    double min_spacing_m, max_spacing_m;
    std::size_t existing;
};

}  // namespace

TEST_CASE("siting agrees with brute force on small random instances", "[siting]") {
    const std::vector<Case> cases = {
        {"max coverage", Problem::max_coverage, 3, 1, false, 0, 0, 0},
        {"max coverage with existing stations", Problem::max_coverage, 3, 1, false, 0, 0, 2},
        {"double coverage", Problem::double_coverage, 3, 2, false, 0, 0, 1},
        {"double coverage p=4", Problem::max_coverage, 4, 2, false, 0, 0, 2},
        {"capacitated", Problem::max_coverage, 3, 1, true, 0, 0, 1},
        {"min spacing", Problem::max_coverage, 3, 1, false, 250, 0, 1},
        {"max spacing", Problem::max_coverage, 3, 1, false, 0, 400, 1},
        {"min and max spacing", Problem::max_coverage, 4, 1, false, 200, 450, 0},
        {"double coverage with spacing", Problem::double_coverage, 4, 2, false, 150, 0, 2},
        {"capacitated with spacing", Problem::max_coverage, 3, 1, true, 200, 0, 0},
    };
    for (const Case& c : cases) {
        for (std::uint64_t seed = 1; seed <= 4; ++seed) {
            DYNAMIC_SECTION(c.name << " seed " << seed) {
                const Planar planar =
                    random_instance(seed * 7919 + 13, 40, 11, c.existing, 260, c.capacitated);
                const Instance& in = planar.instance;
                Options o{.problem = c.problem,
                          .p = c.p,
                          .required_cover = c.required,
                          .min_spacing_m = c.min_spacing_m,
                          .max_spacing_m = c.max_spacing_m,
                          .capacitated = c.capacitated,
                          .time_limit_s = 20};
                const siting::Result r = siting::solve(in, o);
                const double expected = brute_force_max(in, o);
                const auto chosen = chosen_of(r);
                CHECK(r.optimal);
                CHECK(r.status == "optimal");
                CHECK(r.incumbent == Approx(expected).margin(1e-6));
                CHECK(r.gap == 0.0);
                CHECK(r.bound == Approx(r.incumbent).margin(1e-9));
                CHECK(r.lp_bound >= r.incumbent - 1e-6);
                CHECK(chosen.size() <= c.p);
                CHECK(spacing_ok(in, o, chosen));
                CHECK(value_of(in, o, chosen) == Approx(r.incumbent).margin(1e-6));
                CHECK(r.greedy_value <= r.incumbent + 1e-6);
            }
        }
    }
}

TEST_CASE("minimum stations for a coverage target agree with brute force", "[siting]") {
    const std::vector<Case> cases = {
        {"single", Problem::min_stations_for_target, 0, 1, false, 0, 0, 1},
        {"double", Problem::min_stations_for_target, 0, 2, false, 0, 0, 2},
        {"spacing", Problem::min_stations_for_target, 0, 1, false, 180, 0, 0},
        {"capacitated", Problem::min_stations_for_target, 0, 1, true, 0, 0, 0},
    };
    for (const Case& c : cases) {
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            DYNAMIC_SECTION(c.name << " seed " << seed) {
                const Planar planar =
                    random_instance(seed * 104729 + 5, 30, 10, c.existing, 300, c.capacitated);
                const Instance& in = planar.instance;
                Options o{.problem = c.problem,
                          .required_cover = c.required,
                          .min_spacing_m = c.min_spacing_m,
                          .capacitated = c.capacitated,
                          .time_limit_s = 20};
                // the target: a share every candidate together can reach
                siting::Options all = o;
                all.problem = Problem::max_coverage;
                all.p = 10;
                all.min_spacing_m = 0;
                all.capacitated = false;
                const siting::Result full = siting::solve(in, all);
                o.target_share = 0.8 * full.covered_weight / full.total_weight;
                if (c.capacitated || c.min_spacing_m > 0)
                    o.target_share *= 0.8;
                const int expected = brute_force_min(in, o);
                REQUIRE(expected >= 0);
                const siting::Result r = siting::solve(in, o);
                const auto chosen = chosen_of(r);
                CHECK(r.optimal);
                CHECK(r.incumbent == Approx(expected));
                CHECK(chosen.size() == static_cast<std::size_t>(expected));
                CHECK(r.gap == 0.0);
                CHECK(spacing_ok(in, o, chosen));
                CHECK(value_of(in, o, chosen) >=
                      o.target_share * r.total_weight - r.already_covered_weight - 1e-6);
            }
        }
    }
}

TEST_CASE("an unreachable target share is an error naming the reachable share", "[siting]") {
    const Planar planar = random_instance(3, 30, 4, 0, 150, false);
    const Options o{.problem = Problem::min_stations_for_target, .target_share = 1.0};
    CHECK_THROWS_WITH(siting::solve(planar.instance, o), Catch::Matchers::Contains("unreachable"));
}

TEST_CASE("greedy marginal gains do not increase and the cumulative curve adds up", "[siting]") {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const Planar planar = random_instance(seed, 300, 40, 2, 180, false);
        const Options o{.p = 8, .time_limit_s = 10};
        const siting::Result r = siting::solve(planar.instance, o);
        REQUIRE(!r.sites.empty());
        double cumulative = 0;
        for (std::size_t i = 0; i < r.sites.size(); ++i) {
            cumulative += r.sites[i].marginal_gain;
            CHECK(r.sites[i].cumulative == Approx(cumulative));
            if (i > 0)
                CHECK(r.sites[i].marginal_gain <= r.sites[i - 1].marginal_gain + 1e-9);
        }
        CHECK(cumulative == Approx(r.incumbent));
        CHECK(r.sites.back().cumulative_share ==
              Approx((r.already_covered_weight + r.incumbent) / r.total_weight));
        CHECK(r.covered_weight == Approx(r.already_covered_weight + r.incumbent));
        CHECK(r.gap >= 0.0);
    }
}

TEST_CASE("existing stations are fixed: demand they cover needs no new station", "[siting]") {
    // 3 demand units; candidate 0 covers {0,1}, candidate 1 covers {2}; an existing station covers
    // 0 and 1
    Instance in;
    in.weight = {100, 100, 10};
    in.cover_offsets = {0, 2, 3};
    in.cover_demand = {0, 1, 2};
    in.existing_count = {1, 1, 0};
    const siting::Result r = siting::solve(in, Options{.p = 1});
    REQUIRE(r.sites.size() == 1);
    CHECK(r.sites[0].candidate == 1);
    CHECK(r.incumbent == 10);
    CHECK(r.already_covered_weight == 200);
    CHECK(r.covered_weight == 210);
    CHECK(r.demand_covered == std::vector<std::uint8_t>{1, 1, 1});
    CHECK(r.presolve.demand_satisfied == 2);
    // double coverage: the existing station counts as one of the two
    const siting::Result d =
        siting::solve(in, Options{.problem = Problem::double_coverage, .p = 1});
    REQUIRE(d.sites.size() == 1);
    CHECK(d.sites[0].candidate == 0);
    CHECK(d.incumbent == 200);
}

TEST_CASE("max_nodes 0 gives heuristics with an LP bound and a non-negative gap", "[siting]") {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const Planar planar = random_instance(seed + 100, 400, 60, 1, 170, false);
        const siting::Result r = siting::solve(planar.instance, Options{.p = 12, .max_nodes = 0});
        CHECK(r.gap >= 0.0);
        CHECK(r.bound >= r.incumbent - 1e-6);
        CHECK(r.bound <= r.lp_bound + 1e-6);
        CHECK(r.incumbent >= r.greedy_value - 1e-6);
        if (r.optimal)
            CHECK(r.gap == 0.0);
        if (!r.optimal)
            CHECK(r.status == "heuristic");
    }
}

TEST_CASE("siting is deterministic and CBC prints nothing", "[siting]") {
    // find an instance where the LP bound is not met by the heuristic, so CBC really runs
    bool ran_cbc = false;
    for (std::uint64_t seed = 1; seed <= 40 && !ran_cbc; ++seed) {
        const Planar planar = random_instance(seed * 31, 120, 25, 2, 220, false);
        const Options o{.problem = Problem::double_coverage, .p = 5, .time_limit_s = 20};
        std::fflush(stdout);
        std::cout.flush();
        const auto capture = test::scratch_dir("siting_silence") / "stdout.txt";
        const int saved = dup(1);
        const int fd = open(capture.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        REQUIRE(fd >= 0);
        dup2(fd, 1);
        const siting::Result a = siting::solve(planar.instance, o);
        std::fflush(stdout);
        std::cout.flush();
        dup2(saved, 1);
        close(fd);
        close(saved);
        if (a.timings.mip_s <= 0)
            continue;
        ran_cbc = true;
        std::FILE* f = std::fopen(capture.c_str(), "rb");
        REQUIRE(f != nullptr);
        std::fseek(f, 0, SEEK_END);
        const long size = std::ftell(f);
        std::fclose(f);
        CHECK(size == 0);
        const siting::Result b = siting::solve(planar.instance, o);
        CHECK(chosen_of(a) == chosen_of(b));
        CHECK(a.incumbent == b.incumbent);
        CHECK(a.bound == b.bound);
        CHECK(a.status == b.status);
        for (std::size_t i = 0; i < a.sites.size() && i < b.sites.size(); ++i) {
            CHECK(a.sites[i].candidate == b.sites[i].candidate);
        }
    }
    CHECK(ran_cbc);
}

TEST_CASE("the node limit decides the answer, not the machine's load", "[siting]") {
    // an instance where branch-and-cut stops at its node limit rather than proving optimality
    const auto busy_loop = [](const std::atomic<bool>& stop) {
        volatile std::uint64_t spin = 0;
        while (!stop.load())
            spin = spin + 1;
    };
    bool stopped_by_nodes = false;
    for (std::uint64_t seed = 1; seed <= 40 && !stopped_by_nodes; ++seed) {
        const Planar planar = random_instance(seed * 17, 300, 40, 1, 170, false);
        const Options o{.problem = Problem::double_coverage, .p = 6, .max_nodes = 5};
        const siting::Result quiet = siting::solve(planar.instance, o);
        if (quiet.status != "work limit")
            continue;
        stopped_by_nodes = true;
        std::atomic<bool> stop{false};
        std::vector<std::thread> load;
        for (int t = 0; t < 4; ++t)
            load.emplace_back(busy_loop, std::cref(stop));
        const siting::Result busy = siting::solve(planar.instance, o);
        stop = true;
        for (auto& t : load)
            t.join();
        CHECK(busy.status == "work limit");
        CHECK(chosen_of(busy) == chosen_of(quiet));
        CHECK(busy.incumbent == quiet.incumbent);
        CHECK(busy.bound == quiet.bound);
        CHECK(quiet.gap > 0.0);
    }
    CHECK(stopped_by_nodes);
}

TEST_CASE("the wall-clock limit stops the solve with an error, never with a different answer",
          "[siting]") {
    const Planar planar = random_instance(7, 300, 40, 1, 170, false);
    CHECK_THROWS_WITH(
        siting::solve(planar.instance, Options{.p = 6, .time_limit_s = 1e-12}),
        Catch::Matchers::Contains("max_nodes") && Catch::Matchers::Contains("safety stop"));
    try {
        (void)siting::solve(planar.instance, Options{.p = 6, .time_limit_s = 1e-12});
    } catch (const core::Error& e) {
        CHECK(e.code() == core::Errc::usage);
    }
    CHECK_NOTHROW(siting::solve(planar.instance, Options{.p = 6, .time_limit_s = 0}));
}

TEST_CASE("presolve merges identical demand and drops dominated candidates", "[siting]") {
    // candidate 0 covers {0,1,2}, candidate 1 covers {1,2} (dominated), candidate 2 covers {3}
    Instance in;
    in.weight = {5, 7, 7, 1};
    in.cover_offsets = {0, 3, 5, 6};
    in.cover_demand = {0, 1, 2, 1, 2, 3};
    const siting::Result r = siting::solve(in, Options{.p = 2});
    CHECK(r.presolve.candidates_dominated == 1);
    CHECK(r.presolve.demand_groups == 2);  // {0,1,2} all covered by candidate 0 only; {3}
    CHECK(r.incumbent == 20);
    CHECK(chosen_of(r) == std::vector<std::uint32_t>{0, 2});
}

TEST_CASE("inconsistent instances and options are usage errors", "[siting]") {
    Instance in;
    in.weight = {1, 2};
    in.cover_offsets = {0, 1};
    in.cover_demand = {5};
    CHECK_THROWS_AS(siting::solve(in, Options{}), core::Error);
    in.cover_demand = {1};
    CHECK_THROWS_WITH(siting::solve(in, Options{.required_cover = 2, .capacitated = true}),
                      Catch::Matchers::Contains("capacity"));
    CHECK_THROWS_WITH(siting::solve(in, Options{.min_spacing_m = 100}),
                      Catch::Matchers::Contains("position"));
}

namespace {

using test::square;

core::Building building(
    const std::string& id, const std::string& type, double x, double y, double pop) {
    core::Building b;
    b.id = id;
    b.type = type;
    b.footprint = square(x - 5, y - 5, 10);
    b.anchor = core::Point(x, y);
    b.population = pop;
    b.households = pop / 2.5;
    return b;
}

}  // namespace

TEST_CASE("candidates: intersections and host buildings, minus exclusion zones", "[siting]") {
    // a plus-shaped street network: one 4-way intersection at (0,0) and four dead ends
    const std::vector<core::LineString> lines = {
        {{-500, 0}, {0, 0}}, {{0, 0}, {500, 0}}, {{0, -500}, {0, 0}}, {{0, 0}, {0, 500}}};
    const graph::WalkGraph g = graph::build_walk_graph(lines, graph::GraphOptions{});
    core::Scene scene;
    scene.buildings = {building("b1", "residential", 100, 20, 100),
                       building("b2", "commercial", -200, 20, 10),
                       building("b3", "商业", 20, 300, 10),
                       building("b4", "Retail;shop", 20, -300, 10)};
    siting::CandidateOptions opt;
    auto c = siting::generate_candidates(scene, g, opt);
    REQUIRE(c.size() == 4);
    CHECK(c[0].type == "intersection");
    CHECK(boost::geometry::distance(c[0].position, core::Point(0, 0)) < 1e-9);
    CHECK(c[1].id == "building:b2");
    CHECK(c[2].id == "building:b3");
    CHECK(c[3].id == "building:b4");
    opt.exclusion.push_back(square(-250, -50, 100));  // holds b2's anchor
    c = siting::generate_candidates(scene, g, opt);
    CHECK(c.size() == 3);
    opt.given = {siting::Candidate{
        .id = "L1", .type = "bank", .position = core::Point(400, 0), .capacity = 50}};
    c = siting::generate_candidates(scene, g, opt);
    REQUIRE(c.size() == 1);  // a layer is given: nothing generated by default
    CHECK(c[0].id == "L1");
}

TEST_CASE("candidates: siting.candidate_types keeps only the run's host-site types", "[siting]") {
    // Table: type, wanted list, match?
    struct Row {
        std::string type;
        std::vector<std::string> wanted;
        bool match;
    };
    const std::vector<Row> rows = {
        {"post_office", {"post_office"}, true},
        {"Post_Office", {"post_office"}, true},
        {"toilets", {"post_office", "pharmacy"}, false},
        {"社区服务中心", {"服务中心"}, true},
        {"", {"post_office"}, false},
        {"bank", {""}, false},
        {"community_centre", {"COMMUNITY"}, true},
    };
    for (const Row& r : rows) {
        INFO(r.type);
        CHECK(siting::type_matches(r.type, r.wanted) == r.match);
    }
    const std::vector<core::LineString> lines = {
        {{-500, 0}, {0, 0}}, {{0, 0}, {500, 0}}, {{0, -500}, {0, 0}}};
    const graph::WalkGraph g = graph::build_walk_graph(lines, graph::GraphOptions{});
    core::Scene scene;
    scene.buildings = {building("b1", "commercial", -200, 20, 10)};
    siting::CandidateOptions opt;
    opt.given = {
        siting::Candidate{.id = "P", .type = "post_office", .position = core::Point(400, 0)},
        siting::Candidate{.id = "T", .type = "toilets", .position = core::Point(-400, 0)}};
    opt.generate = siting::CandidateOptions::Generate::always;
    opt.types = {"post_office", "intersection"};
    const auto c = siting::generate_candidates(scene, g, opt);
    REQUIRE(c.size() == 2);  // P and the 3-way intersection; T and the commercial host left out
    CHECK(c[0].id == "P");
    CHECK(c[1].type == "intersection");
}

TEST_CASE("regress_17_candidates_bounded: generated candidates are thinned to max_generated, one per cell",
          "[siting]") {
    // 10 x 10 intersections 60 m apart (x, y in 0..540), one host building at (130, 130) and a
    // layer candidate L far off; layer candidates are never thinned.
    std::vector<siting::Candidate> all{{.id = "L", .type = "bank", .position = core::Point(5000, 5000),
                                        .from_layer = true}};
    for (int i = 0; i < 10; ++i) {
        for (int j = 0; j < 10; ++j) {
            all.push_back({.id = "node:" + std::to_string(i * 10 + j), .type = "intersection",
                           .position = core::Point(60.0 * i, 60.0 * j)});
        }
    }
    all.push_back({.id = "building:B", .type = "commercial", .position = core::Point(130, 130)});
    struct Row {
        std::size_t max;
        std::size_t kept;  // generated kept
        double cell_m;
    };
    // 25 m cells hold one candidate each (101); 50 m: the building shares node (120, 120)'s cell
    // and wins it (100); 100 m: 36 cells; 200 m: 9; 400 m: 4; 800 m: 1.
    const Row row = GENERATE(Row{200, 101, 0}, Row{101, 101, 0}, Row{100, 100, 50}, Row{99, 36, 100},
                             Row{36, 36, 100},
                             Row{35, 9, 200}, Row{5, 4, 400}, Row{1, 1, 800}, Row{0, 0, 0});
    INFO("max_generated = " << row.max);
    std::vector<siting::Candidate> c = all;
    const siting::Thinning t = siting::thin_generated(c, row.max);
    CHECK(t.generated == 101);
    CHECK(t.kept == row.kept);
    CHECK(t.cell_m == row.cell_m);
    REQUIRE(c.size() == row.kept + 1);
    CHECK(c[0].id == "L");
    if (row.cell_m == 200) {  // the building wins the cell (0..200)^2 over the nodes before it
        CHECK(std::any_of(c.begin(), c.end(), [](const auto& x) { return x.id == "building:B"; }));
        CHECK(std::none_of(c.begin(), c.end(), [](const auto& x) { return x.id == "node:0"; }));
    }
    std::vector<siting::Candidate> again = all;
    siting::thin_generated(again, row.max);
    REQUIRE(again.size() == c.size());
    for (std::size_t i = 0; i < c.size(); ++i) CHECK(again[i].id == c[i].id);
}

TEST_CASE("build_instance uses the walking rule and counts existing facilities", "[siting]") {
    const std::vector<core::LineString> lines = {{{0, 0}, {3000, 0}}};
    const graph::WalkGraph g = graph::build_walk_graph(lines, graph::GraphOptions{});
    const graph::EdgeIndex index(g);
    core::Scene scene;
    scene.buildings = {building("near", "residential", 200, 10, 100),
                       building("mid", "residential", 1600, 10, 50),
                       building("far", "residential", 2900, 10, 70)};
    core::Facility existing;
    existing.id = "w1";
    existing.kind = core::FacilityKind::warm_station;
    existing.location = core::Point(0, 10);
    scene.facilities.push_back(existing);
    std::vector<core::Point> access;
    for (const auto& b : scene.buildings)
        access.push_back(b.anchor);
    const graph::SnapTable snaps = graph::snap_points(index, access, graph::SnapOptions{}, 1);
    const std::vector<siting::Candidate> candidates = {
        siting::Candidate{.id = "a", .position = core::Point(1000, 10)},
        siting::Candidate{.id = "b", .position = core::Point(2500, 10)}};
    const siting::Instance in =
        siting::build_instance(scene, index, snaps, candidates, siting::InstanceOptions{});
    REQUIRE(in.candidate_count() == 2);
    // 15 min at 4 km/h = 1,000 m including both access legs (10 m each)
    CHECK(in.existing_count == std::vector<std::uint32_t>{1, 0, 0});
    const std::vector<std::uint32_t> a(in.cover_demand.begin() + in.cover_offsets[0],
                                       in.cover_demand.begin() + in.cover_offsets[1]);
    const std::vector<std::uint32_t> b(in.cover_demand.begin() + in.cover_offsets[1],
                                       in.cover_demand.begin() + in.cover_offsets[2]);
    CHECK(a == std::vector<std::uint32_t>{0, 1});
    CHECK(b == std::vector<std::uint32_t>{1, 2});
    CHECK(in.weight == std::vector<double>{100, 50, 70});
    const siting::Result r = siting::solve(in, Options{.p = 1});
    REQUIRE(r.sites.size() == 1);
    CHECK(r.sites[0].candidate == 1);  // b newly covers mid + far (120) vs a: mid (50)
    CHECK(r.incumbent == 120);
}
