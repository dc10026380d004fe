#include <catch2/catch.hpp>

#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"
#include "support/ascii_map.hpp"

using namespace gridplan;

TEST_CASE("a point snaps to the exact position along the nearest edge", "[graph][snap]") {
    const auto map = test::parse_ascii_map(R"(
A----------B
)", 10.0);
    const auto g = graph::build_walk_graph(map.lines(), {});
    REQUIRE(g.edge_count() == 1);
    const std::vector<core::Point> pts{{37.5, 12.0}, {-5.0, -3.0}, {500.0, 0.0}};
    const auto snaps = graph::snap_points(g, pts, {.max_snap_m = 50.0});
    REQUIRE(snaps.size() == 3);
    REQUIRE(snaps.snapped(0));
    const auto s = snaps.of(0).front();
    const bool forward = g.nodes[g.edge_from[0]].x() < g.nodes[g.edge_to[0]].x();
    CHECK(s.access_m == Approx(12.0));
    CHECK(s.offset_m == Approx(forward ? 37.5 : 100.0 - 37.5));
    // Beyond the end: the access leg goes to the end node.
    REQUIRE(snaps.snapped(1));
    CHECK(snaps.of(1).front().access_m == Approx(std::hypot(5.0, 3.0)));
    // Too far: unsnappable.
    CHECK_FALSE(snaps.snapped(2));
    const auto p = graph::point_along(g, 0, s.offset_m);
    CHECK(p.x() == Approx(37.5));
    CHECK(p.y() == Approx(0.0).margin(1e-9));
}

TEST_CASE("up to three distinct positions are kept, nearest first", "[graph][snap]") {
    // Building '1' sits in a block: north street 8 m away, south street 12 m, west 25 m.
    const auto map = test::parse_ascii_map(R"(
A-----------B
|
|
|
|
C-----------D
)", 4.0);
    const auto g = graph::build_walk_graph(map.lines(), {});
    const core::Point p{20.0, -8.0};
    const auto snaps = graph::snap_points(g, std::vector<core::Point>{p}, {.max_snap_m = 100.0});
    const auto list = snaps.of(0);
    REQUIRE(list.size() == 3);
    CHECK(list[0].access_m == Approx(8.0));
    CHECK(list[1].access_m == Approx(12.0));
    CHECK(list[2].access_m == Approx(20.0));
    CHECK(list[0].edge != list[1].edge);

    SECTION("the candidate count is honoured") {
        const auto one = graph::snap_points(g, std::vector<core::Point>{p},
                                            {.max_snap_m = 100.0, .candidate_edges = 1});
        CHECK(one.of(0).size() == 1);
    }
}

TEST_CASE("two snaps onto the same junction count as one position", "[graph][snap]") {
    // The point is beyond the shared node B of two edges going away from it.
    const auto map = test::parse_ascii_map(R"(
A-----B-----C
)", 10.0);
    const auto g = graph::build_walk_graph(map.lines(), {});
    REQUIRE(g.edge_count() == 2);
    const std::vector<core::Point> pts{{60.0, 30.0}};
    const auto snaps = graph::snap_points(g, pts, {.max_snap_m = 100.0});
    CHECK(snaps.of(0).size() == 1);
    CHECK(snaps.of(0)[0].access_m == Approx(30.0));
}

TEST_CASE("snapping gives the same answer with one or several threads", "[graph][snap]") {
    std::vector<core::LineString> lines;
    for (int i = 0; i <= 20; ++i) {
        lines.push_back({{0.0, i * 50.0}, {1000.0, i * 50.0}});
        lines.push_back({{i * 50.0, 0.0}, {i * 50.0, 1000.0}});
    }
    const auto g = graph::build_walk_graph(lines, {});
    std::vector<core::Point> pts;
    for (int i = 0; i < 500; ++i) {
        pts.emplace_back((i * 37) % 1000 + 0.25, (i * 53) % 1000 + 0.75);
    }
    const auto a = graph::snap_points(g, pts, {}, 1);
    const auto b = graph::snap_points(g, pts, {}, 4);
    CHECK(a.first == b.first);
    CHECK(a.snaps == b.snaps);
}
