#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

#include <catch2/catch.hpp>

#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"
#include "support/ascii_map.hpp"

using namespace gridplan;

TEST_CASE("a point snaps to the exact position along the nearest edge", "[graph][snap]") {
    const auto map = test::parse_ascii_map(R"(
A----------B
)",
                                           10.0);
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
)",
                                           4.0);
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
        const auto one = graph::snap_points(
            g, std::vector<core::Point>{p}, {.max_snap_m = 100.0, .candidate_edges = 1});
        CHECK(one.of(0).size() == 1);
    }
}

TEST_CASE("two snaps onto the same junction count as one position", "[graph][snap]") {
    // The point is beyond the shared node B of two edges going away from it.
    const auto map = test::parse_ascii_map(R"(
A-----B-----C
)",
                                           10.0);
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

namespace {

/// Reference snapping by brute force over every segment (the documented rule, no index): best
/// position per edge within max_m, nearest first (ties by edge), distinct positions within the
/// slack of the nearest. Same arithmetic as the engine, so results must be equal to the bit.
std::vector<graph::Snap> brute_snaps(const graph::WalkGraph& g,
                                     const core::Point& p,
                                     const graph::SnapOptions& o) {
    std::vector<graph::Snap> best;
    for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
        const auto& line = g.edge_geometry[e];
        double seg_offset = 0.0;
        std::optional<graph::Snap> edge_best;
        for (std::size_t k = 0; k + 1 < line.size(); ++k) {
            const auto& a = line[k];
            const auto& b = line[k + 1];
            const double dx = b.x() - a.x();
            const double dy = b.y() - a.y();
            const double len2 = dx * dx + dy * dy;
            const double t =
                len2 > 0
                    ? std::clamp(((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / len2, 0.0, 1.0)
                    : 0.0;
            const double access = std::hypot(p.x() - (a.x() + t * dx), p.y() - (a.y() + t * dy));
            const double offset = std::min(g.edge_length_m[e], seg_offset + t * std::sqrt(len2));
            seg_offset += std::hypot(dx, dy);
            if (access > o.max_snap_m) {
                continue;
            }
            if (!edge_best || access < edge_best->access_m ||
                (access == edge_best->access_m && offset < edge_best->offset_m)) {
                edge_best = graph::Snap{e, offset, access};
            }
        }
        if (edge_best) {
            best.push_back(*edge_best);
        }
    }
    std::sort(best.begin(), best.end(), [](const graph::Snap& a, const graph::Snap& b) {
        return a.access_m != b.access_m ? a.access_m < b.access_m : a.edge < b.edge;
    });
    std::vector<graph::Snap> out;
    std::vector<std::uint64_t> keys;
    for (const auto& s : best) {
        if (!out.empty() && s.access_m > out.front().access_m + o.candidate_slack_m) {
            break;
        }
        std::uint64_t key = s.edge;
        if (s.offset_m <= 1e-9) {
            key = (std::uint64_t{1} << 32U) | g.edge_from[s.edge];
        } else if (s.offset_m >= g.edge_length_m[s.edge] - 1e-9) {
            key = (std::uint64_t{1} << 32U) | g.edge_to[s.edge];
        }
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
            continue;
        }
        keys.push_back(key);
        out.push_back(s);
        if (static_cast<int>(out.size()) == o.candidate_edges) {
            break;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("the edge index gives the brute-force snaps and box queries", "[graph][snap]") {
    // A street grid with bent streets, plus long diagonal roads whose boxes span many grid cells
    // (they go to the index's separate tree) and a far-away hamlet (sparse extent).
    std::vector<core::LineString> lines;
    for (int i = 0; i <= 12; ++i) {
        lines.push_back({{0.0, i * 40.0}, {230.0, i * 40.0 + 3.0}, {480.0, i * 40.0}});
        lines.push_back({{i * 40.0, 0.0}, {i * 40.0 + 2.5, 250.0}, {i * 40.0, 480.0}});
    }
    lines.push_back({{-100.0, -80.0}, {600.0, 560.0}});
    lines.push_back({{-50.0, 500.0}, {520.0, -40.0}, {900.0, -600.0}});
    lines.push_back({{3000.0, 3000.0}, {3040.0, 3010.0}, {3050.0, 3060.0}});
    const auto g = graph::build_walk_graph(lines, {});
    const graph::EdgeIndex index(g);
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> coord(-400.0, 3300.0);
    std::uniform_real_distribution<double> near(-150.0, 650.0);
    std::vector<core::Point> pts;
    for (int i = 0; i < 3000; ++i) {
        pts.emplace_back(i % 3 == 0 ? coord(rng) : near(rng), i % 3 == 0 ? coord(rng) : near(rng));
    }
    pts.emplace_back(40.0, 40.0);      // on a junction
    pts.emplace_back(3040.0, 3010.0);  // on the hamlet's bend
    for (const auto& opt :
         {graph::SnapOptions{},
          graph::SnapOptions{
              .max_snap_m = 1000.0, .candidate_edges = 8, .candidate_slack_m = 200.0}}) {
        const auto table = graph::snap_points(index, pts, opt, 2);
        for (std::size_t i = 0; i < pts.size(); ++i) {
            const auto want = brute_snaps(g, pts[i], opt);
            const auto got = table.of(i);
            REQUIRE(std::vector<graph::Snap>(got.begin(), got.end()) == want);
        }
    }
    // Exact ties: a straight 50 m grid, points at block centres, on streets and on junctions.
    {
        std::vector<core::LineString> straight;
        for (int i = 0; i <= 8; ++i) {
            straight.push_back({{0.0, i * 50.0}, {400.0, i * 50.0}});
            straight.push_back({{i * 50.0, 0.0}, {i * 50.0, 400.0}});
        }
        const auto sg = graph::build_walk_graph(straight, {});
        std::vector<core::Point> tie_pts;
        for (int i = 0; i < 8; ++i) {
            for (int j = 0; j < 8; ++j) {
                tie_pts.emplace_back(25.0 + 50.0 * i, 25.0 + 50.0 * j);
                tie_pts.emplace_back(50.0 * i, 25.0 + 50.0 * j);
                tie_pts.emplace_back(50.0 * i, 50.0 * j);
                tie_pts.emplace_back(12.5 + 50.0 * i, 37.5 + 50.0 * j);
            }
        }
        for (const auto& opt : {graph::SnapOptions{}, graph::SnapOptions{.candidate_edges = 8}}) {
            const auto table = graph::snap_points(sg, tie_pts, opt, 2);
            for (std::size_t i = 0; i < tie_pts.size(); ++i) {
                const auto got = table.of(i);
                REQUIRE(std::vector<graph::Snap>(got.begin(), got.end()) ==
                        brute_snaps(sg, tie_pts[i], opt));
            }
        }
    }
    // Box queries: every edge with a segment box meeting the box, ascending.
    std::uniform_real_distribution<double> side(0.0, 900.0);
    for (int q = 0; q < 300; ++q) {
        const double x = coord(rng), y = coord(rng);
        const core::Box box{{x, y}, {x + side(rng), y + side(rng)}};
        std::vector<std::uint32_t> want;
        for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
            const auto& line = g.edge_geometry[e];
            for (std::size_t k = 0; k + 1 < line.size(); ++k) {
                const core::Box sb{{std::min(line[k].x(), line[k + 1].x()),
                                    std::min(line[k].y(), line[k + 1].y())},
                                   {std::max(line[k].x(), line[k + 1].x()),
                                    std::max(line[k].y(), line[k + 1].y())}};
                if (core::bg::intersects(sb, box)) {
                    want.push_back(e);
                    break;
                }
            }
        }
        REQUIRE(index.edges_in(box) == want);
    }
}
