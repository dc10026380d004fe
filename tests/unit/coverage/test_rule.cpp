#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "coverage/coverage.hpp"
#include "fixtures.hpp"

using namespace gridplan;
using coverage::Options;

namespace {

Options no_polygons() {
    Options o;
    o.polygons.enabled = false;
    return o;
}

const coverage::AreaStats& total_row(const coverage::Result& r,
                                     coverage::Method method,
                                     std::size_t profile = 0,
                                     double threshold = 15.0) {
    for (const auto& row : r.areas) {
        if (row.level == coverage::AreaLevel::total && row.method == method &&
            (method == coverage::Method::euclidean ||
             (row.profile == profile && row.threshold_min == threshold))) {
            return row;
        }
    }
    throw std::runtime_error("no total row");
}

}  // namespace

TEST_CASE("walking time counts both access legs and the partial edges", "[coverage]") {
    // A 1000 m street; a warm station 10 m off its west end, a building 20 m off it at x = 900.
    const auto map = test::parse_ascii_map("A-------------------B", 50.0);
    test::SceneBuilder sb(map);
    sb.facility({0.0, 10.0});
    const auto b = sb.building({900.0, -20.0});
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, no_polygons());
    REQUIRE(r.kinds.size() == 1);
    CHECK(r.kinds[0].distance_m[b] == Approx(10.0 + 900.0 + 20.0));
    CHECK(r.kinds[0].nearest[b] == 0);
    CHECK(r.minutes(0, b, 0) == Approx(930.0 / (4000.0 / 60.0)));  // 13.95 min at 4 km/h
    CHECK(r.covered(0, b, 0, 2));                                  // 15 min, adult
    CHECK_FALSE(r.covered(0, b, 0, 1));                            // 10 min, adult
    CHECK_FALSE(r.covered(0, b, 1, 2));                            // 15 min, elderly 3 km/h
    CHECK(r.count(0, b, 0, 2) == 1);
    CHECK(r.count(0, b, 1, 2) == 0);
    CHECK(r.reason(0, b, 0, 1) == coverage::Uncovered::beyond_threshold);
}

TEST_CASE("a source and a building on the same edge use the direct stretch", "[coverage]") {
    const auto map = test::parse_ascii_map("A-------------------B", 50.0);
    test::SceneBuilder sb(map);
    sb.facility({400.0, 10.0});
    const auto b = sb.building({600.0, -10.0});
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, no_polygons());
    CHECK(r.kinds[0].distance_m[b] == Approx(220.0));
    // The per-facility search agrees (it found exactly this building at this distance).
    CHECK(r.count(0, b, 0, 0) == 1);  // 220 m <= 333 m (5 min)
}

TEST_CASE("the street in front of the block beats the street behind it", "[coverage]") {
    const auto map = test::parse_ascii_map(R"(
F-------------G
|             |
|             |
|             |
A-------------B
       $
)",
                                           10.0);
    test::SceneBuilder sb(map);
    sb.facility({70.0, -40.0});  // on the front street A-B, above the '$' mark
    // 15 m from the back street F-G, 25 m from the front street.
    const auto b = sb.building({40.0, -15.0});
    const auto g = sb.graph();
    auto o = no_polygons();
    const auto r = coverage::compute_coverage(sb.scene, g, o);
    CHECK(r.kinds[0].distance_m[b] == Approx(25.0 + 30.0));

    SECTION("with a single snap the building would walk round the block") {
        o.snap.candidate_edges = 1;
        const auto r1 = coverage::compute_coverage(sb.scene, g, o);
        CHECK(r1.kinds[0].distance_m[b] == Approx(15.0 + 40.0 + 40.0 + 70.0));
    }
}

TEST_CASE("a bridge over a street gives no way down to it", "[coverage]") {
    const auto map = test::parse_ascii_map(R"(
    G
    |
    |
    |
    |
A===+===B
|   |   |
|   |   |
|   |   |
|   H   |
|       |
|       |
|       |
|       |
E-------F
)",
                                           10.0);
    test::SceneBuilder sb(map);
    sb.facility(map.node('G'));  // on the street G-H that passes under the bridge
    const auto e = map.node('E');
    const auto b = sb.building({20.0, e.y() - 3.0});  // by the street E-F
    const auto g = sb.graph();
    auto o = no_polygons();
    o.snap.max_snap_m = 30.0;
    auto r = coverage::compute_coverage(sb.scene, g, o);
    CHECK_FALSE(r.covered(0, b, 0, 2));
    CHECK(r.reason(0, b, 0, 2) == coverage::Uncovered::no_facility);

    SECTION("when layers are ignored, the crossing is a junction") {
        const auto g2 = graph::build_walk_graph(sb.scene.roads, {.respect_layers = false}).graph;
        r = coverage::compute_coverage(sb.scene, g2, o);
        CHECK(r.covered(0, b, 0, 2));
        // Down to the crossing, 40 m west to A, down to E, then straight to the building.
        const double down = map.node('A').y() - e.y();
        CHECK(r.kinds[0].distance_m[b] ==
              Approx(map.node('G').y() - map.node('A').y() + 40.0 + down + std::hypot(20.0, 3.0)));
    }
}

TEST_CASE("unsnappable buildings are reported, not dropped", "[coverage]") {
    const auto map = test::parse_ascii_map("A----------B", 10.0);
    test::SceneBuilder sb(map);
    sb.facility(map.node('A'));
    const auto near = sb.building({50.0, 10.0});
    const auto far = sb.building({50.0, 5000.0});
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, no_polygons());
    CHECK(r.covered(0, near, 0, 0));
    CHECK_FALSE(r.covered(0, far, 0, 2));
    CHECK(r.reason(0, far, 0, 2) == coverage::Uncovered::unsnappable);
    REQUIRE(r.ledger.entries().size() == 1);
    const auto& row = r.ledger.entries().front();
    CHECK(row.layer == "buildings");
    CHECK(row.source_id == "b1");
    CHECK(row.reason == "unsnappable");
    CHECK(row.action == core::Action::warned);
    CHECK(row.x == 50.0);
    CHECK(row.y == 5000.0);
    // Still counted in the totals.
    CHECK(total_row(r, coverage::Method::network).all.buildings == 2.0);
    CHECK(total_row(r, coverage::Method::network).covered.buildings == 1.0);
}

TEST_CASE("street metres within reach are exact", "[coverage]") {
    const auto map = test::parse_ascii_map("A-------------------B", 50.0);  // 1000 m
    test::SceneBuilder sb(map);
    sb.facility(map.node('A'));
    sb.building({10.0, 5.0});
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, no_polygons());
    // Profiles 0 (adult, 4 km/h) and 1 (elderly, 3 km/h); thresholds 5, 10, 15 min.
    struct Row {
        std::size_t profile;
        std::size_t threshold;
        double covered_m;  ///< walkable metres from A, at most the 1000 m street
    };
    const auto row = GENERATE(Row{0, 0, 5 * 4000.0 / 60.0},
                              Row{0, 1, 10 * 4000.0 / 60.0},
                              Row{0, 2, 1000.0},
                              Row{1, 0, 250.0},
                              Row{1, 1, 500.0},
                              Row{1, 2, 750.0});
    const double minutes = r.options.thresholds_min[row.threshold];
    CAPTURE(row.profile, minutes);
    const auto& total = total_row(r, coverage::Method::network, row.profile, minutes);
    CHECK(total.covered.street_m == Approx(row.covered_m));
    CHECK(total.all.street_m == Approx(1000.0));
    CHECK(r.facilities[0].within[r.slot(row.profile, row.threshold)].street_m ==
          Approx(row.covered_m));
    CHECK(total_row(r, coverage::Method::euclidean).covered.street_m == Approx(1000.0));
}

TEST_CASE("two stations in reach count as double coverage", "[coverage]") {
    const auto map = test::parse_ascii_map("A-------------------B", 50.0);
    test::SceneBuilder sb(map);
    sb.facility(map.node('A'));
    sb.facility(map.node('B'));
    const auto mid = sb.building({500.0, 5.0}, 30.0, 10.0);
    const auto west = sb.building({50.0, 5.0}, 7.0, 3.0);
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, no_polygons());
    CHECK(r.count(0, mid, 0, 2) == 2);
    CHECK(r.kinds[0].nearest[west] == 0);
    // 10 min at 4 km/h = 666.7 m: the middle building has both, the west one only station 0.
    CHECK(r.count(0, mid, 0, 1) == 2);
    CHECK(r.count(0, west, 0, 1) == 1);
    const auto& row = total_row(r, coverage::Method::network, 0, 10.0);
    CHECK(row.covered.residents == 37.0);
    CHECK(row.doubled.residents == 30.0);
    CHECK(row.doubled.street_m == Approx(1000.0 - 2 * (1000.0 - 2000.0 / 3.0)));
    // Equal distance: the lower facility index is the nearest.
    const auto tie = sb.building({500.0, -5.0});
    const auto g2 = sb.graph();
    const auto r2 = coverage::compute_coverage(sb.scene, g2, no_polygons());
    CHECK(r2.kinds[0].nearest[tie] == 0);
}

TEST_CASE("a straight-line radius overstates coverage across a river", "[coverage]") {
    // Two banks 100 m apart, joined by a bridge 1.2 km away.
    const auto map = test::parse_ascii_map(R"(
A-------------------------B
                          |
                          |
C-------------------------D
)",
                                           50.0);
    test::SceneBuilder sb(map);
    sb.facility({0.0, 5.0});
    const auto across = sb.building({0.0, -155.0});
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, no_polygons());
    CHECK_FALSE(r.covered(0, across, 0, 2));
    CHECK(r.kinds[0].euclid_distance_m[across] == Approx(160.0));
    CHECK(r.kinds[0].euclid_count[across] == 1);
    CHECK(total_row(r, coverage::Method::euclidean).covered.buildings == 1.0);
    CHECK(total_row(r, coverage::Method::network).covered.buildings == 0.0);
}

TEST_CASE("areas get their own rows", "[coverage]") {
    const auto map = test::parse_ascii_map("A-------------------B", 50.0);
    test::SceneBuilder sb(map);
    core::Community west;
    west.id = "c0";
    core::Polygon wp;
    wp.outer() = {{-100, -100}, {-100, 100}, {600, 100}, {600, -100}, {-100, -100}};
    west.area.push_back(wp);
    sb.scene.communities.push_back(west);
    sb.facility({0.0, 0.0});
    sb.building({100.0, 5.0}, 10, 4, 0);
    sb.building({900.0, 5.0}, 20, 8);
    const std::vector<std::optional<core::Index>> grids{0, 1};
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, no_polygons(), grids);
    int community_rows = 0;
    int grid_rows = 0;
    for (const auto& row : r.areas) {
        if (row.method != coverage::Method::network || row.profile != 0 ||
            row.threshold_min != 5.0) {
            continue;
        }
        if (row.level == coverage::AreaLevel::community) {
            ++community_rows;
            CHECK(row.all.residents == 10.0);
            CHECK(row.covered.residents == 10.0);
            CHECK(row.all.street_m == Approx(1000.0));  // the one edge's midpoint is inside
        }
        if (row.level == coverage::AreaLevel::grid) {
            ++grid_rows;
            CHECK(row.covered.residents == (row.area == 0 ? 10.0 : 0.0));
        }
    }
    CHECK(community_rows == 1);
    CHECK(grid_rows == 2);
}

TEST_CASE("cover sets agree with the per-building rule", "[coverage][siting]") {
    auto sb = test::jittered_grid(12, 80, 3, 11);
    const auto g = sb.graph();
    const auto r = coverage::compute_coverage(sb.scene, g, no_polygons());
    std::vector<core::Point> cands;
    for (const auto& f : sb.scene.facilities) {
        cands.push_back(f.location);
    }
    const graph::EdgeIndex index(g);
    const auto sets = coverage::cover_sets(index, r.building_snaps, cands, {}, 15.0, 4.0, 2);
    REQUIRE(sets.size() == cands.size());
    std::vector<int> count(sb.scene.buildings.size(), 0);
    for (std::size_t j = 0; j < sets.size(); ++j) {
        for (auto i = sets.first[j]; i < sets.first[j + 1]; ++i) {
            ++count[sets.demand[i]];
            CHECK(sets.minutes[i] <= 15.0f);
        }
    }
    for (std::size_t b = 0; b < count.size(); ++b) {
        CHECK(count[b] == r.count(0, b, 0, 2));
    }
}

TEST_CASE("bad options are usage errors", "[coverage]") {
    test::SceneBuilder sb(test::parse_ascii_map("A---B", 10.0));
    const auto g = sb.graph();
    Options o;
    o.profiles.clear();
    CHECK_THROWS_AS(coverage::compute_coverage(sb.scene, g, o), core::Error);
    o = Options{};
    o.profiles[0].speed_kmh = 0.0;
    try {
        (void)coverage::compute_coverage(sb.scene, g, o);
        FAIL("no error");
    } catch (const core::Error& e) {
        CHECK(e.code() == core::Errc::usage);
        CHECK_THAT(e.what(), Catch::Matchers::Contains("adult"));
    }
}
