#include <algorithm>

#include <catch2/catch.hpp>

#include "core/ledger.hpp"
#include "graph/walk_graph.hpp"
#include "support/ascii_map.hpp"

using namespace gridplan;

namespace {

/// The walking network of the map's roads and the ledger rows of building it.
graph::Result build(const test::AsciiMap& map, graph::GraphOptions options = {}) {
    const auto roads = map.roads();
    return graph::build_walk_graph(roads, options);
}

/// Every edge appears as exactly two arcs, each pointing at the other end.
void check_csr(const graph::WalkGraph& g) {
    REQUIRE(g.first_out.size() == g.node_count() + 1);
    REQUIRE(g.head.size() == 2 * g.edge_count());
    for (std::uint32_t n = 0; n < g.node_count(); ++n) {
        for (auto a = g.first_out[n]; a < g.first_out[n + 1]; ++a) {
            const auto e = g.arc_edge[a];
            const bool forward = g.edge_from[e] == n && g.edge_to[e] == g.head[a];
            const bool backward = g.edge_to[e] == n && g.edge_from[e] == g.head[a];
            CHECK((forward || backward));
            CHECK(g.arc_length_m[a] == g.edge_length_m[e]);
        }
    }
    for (std::size_t e = 0; e < g.edge_count(); ++e) {
        CHECK(core::bg::equals(g.edge_geometry[e].front(), g.nodes[g.edge_from[e]]));
        CHECK(core::bg::equals(g.edge_geometry[e].back(), g.nodes[g.edge_to[e]]));
        CHECK(g.edge_length_m[e] == Approx(core::bg::length(g.edge_geometry[e])));
    }
}

}  // namespace

TEST_CASE("two streets crossing on the same grade meet at a junction", "[graph]") {
    const auto map = test::parse_ascii_map(R"(
    C
    |
A---+---B
    |
    D
)",
                                           10.0);
    REQUIRE(map.edges.size() == 2);
    const auto [g, ledger] = build(map);
    check_csr(g);
    CHECK(g.node_count() == 5);
    CHECK(g.edge_count() == 4);
    CHECK(g.components.size() == 1);
    CHECK(g.components[0].length_m == Approx(80.0 + 40.0));
    CHECK(ledger.entries().empty());
}

TEST_CASE("a bridge over a street is not a junction", "[graph]") {
    const auto map = test::parse_ascii_map(R"(
    C
    |
A===+===B
    |
    D
)",
                                           10.0);
    const auto g = build(map).graph;
    check_csr(g);
    CHECK(g.node_count() == 4);
    CHECK(g.edge_count() == 2);
    REQUIRE(g.components.size() == 2);
    CHECK(g.components[0].edges == 1);
    CHECK(g.components[1].edges == 1);

    SECTION("unless layers are ignored") {
        const auto g2 = build(map, {.respect_layers = false}).graph;
        CHECK(g2.node_count() == 5);
        CHECK(g2.edge_count() == 4);
        CHECK(g2.components.size() == 1);
    }
}

TEST_CASE("a bridge meets the street at its ends", "[graph]") {
    const auto map = test::parse_ascii_map(R"(
A---B===C---D
)",
                                           10.0);
    const auto g = build(map).graph;
    check_csr(g);
    CHECK(g.node_count() == 4);
    CHECK(g.edge_count() == 3);
    CHECK(g.components.size() == 1);
    CHECK(g.total_length_m() == Approx(120.0));
}

TEST_CASE("a line end near another line is snapped onto it, not beyond the tolerance", "[graph]") {
    // A T-junction whose stem stops 0.3 m short of the through street.
    const std::vector<core::LineString> lines{
        {{0, 0}, {100, 0}},
        {{50, 50}, {50, 0.3}},
    };
    struct Row {
        double tolerance_m;
        std::size_t nodes;
        std::size_t edges;
        std::size_t components;
    };
    const auto row = GENERATE(Row{0.5, 4, 3, 1},   // snapped: the through street is cut in two
                              Row{0.3, 4, 3, 1},   // exactly at the tolerance: still snapped
                              Row{0.2, 4, 2, 2});  // beyond: two separate streets
    CAPTURE(row.tolerance_m);
    const auto g = graph::build_walk_graph(lines, {.snap_tolerance_m = row.tolerance_m});
    check_csr(g);
    CHECK(g.node_count() == row.nodes);
    CHECK(g.edge_count() == row.edges);
    CHECK(g.components.size() == row.components);
}

TEST_CASE(
    "regress_15_noding_artefacts_not_in_ledger: pieces collapsed by merging node points "
    "leave no row, a road with no length does",
    "[graph]") {
    std::vector<core::Road> roads(5);
    roads[0].id = "main";
    roads[0].line = {{0, 0}, {100, 0}};
    roads[1].id = "cross1";
    roads[1].line = {{50, -10}, {50, 10}};
    roads[2].id = "cross2";  // 0.2 m from cross1: the piece of "main" between them collapses
    roads[2].line = {{50.2, -10}, {50.2, 10}};
    roads[3].id = "tee";  // ends on main's segment: a T junction, cut on main where it ends
    roads[3].line = {{80, 30}, {80, 1e-9}};
    roads[4].id = "dot";  // no length at all
    roads[4].line = {{7, 7}, {7, 7}};
    const auto [g, ledger] = graph::build_walk_graph(roads, {.snap_tolerance_m = 0.5});
    check_csr(g);
    REQUIRE(ledger.entries().size() == 1);
    const auto& row = ledger.entries().front();
    CHECK(row.source_id == "dot");
    CHECK(row.reason == "zero_length");
    CHECK(row.action == core::Action::warned);
    // main is cut at 50 (both crosses merged into one node) and at 80 (the tee): 3 pieces
    std::size_t main_edges = 0;
    for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
        main_edges += g.edge_road[e] == 0 ? 1U : 0U;
    }
    CHECK(main_edges == 3);
}

TEST_CASE("disconnected parts are reported as components with their lengths", "[graph]") {
    const auto map = test::parse_ascii_map(R"(
A---B   E-----F
|   |
C---D   G
        |
        H
)",
                                           10.0);
    const auto g = build(map).graph;
    check_csr(g);
    REQUIRE(g.components.size() == 3);
    std::vector<double> lengths;
    for (const auto& c : g.components) {
        lengths.push_back(c.length_m);
    }
    std::sort(lengths.begin(), lengths.end());
    CHECK(lengths[0] == Approx(20.0));
    CHECK(lengths[1] == Approx(60.0));
    CHECK(lengths[2] == Approx(40.0 + 40.0 + 20.0 + 20.0));
}

TEST_CASE("roads that are not walkable are left out", "[graph]") {
    const auto map = test::parse_ascii_map("A---B---C", 10.0);
    auto roads = map.roads();
    roads[1].walkable = false;
    const auto g = graph::build_walk_graph(roads, {}).graph;
    CHECK(g.edge_count() == 1);
    CHECK(g.total_length_m() == Approx(40.0));
}

TEST_CASE("the graph does not depend on the order of the input lines", "[graph]") {
    const auto map = test::parse_ascii_map(R"(
A---+---B
    |
C---+---D
    |
    E
)",
                                           10.0);
    auto lines = map.lines();
    const auto g1 = graph::build_walk_graph(lines, {});
    std::reverse(lines.begin(), lines.end());
    const auto g2 = graph::build_walk_graph(lines, {});
    CHECK(g1.node_count() == g2.node_count());
    CHECK(g1.edge_count() == g2.edge_count());
    // Nodes are numbered by position, so the node lists are identical.
    for (std::size_t i = 0; i < g1.node_count(); ++i) {
        CHECK(core::bg::equals(g1.nodes[i], g2.nodes[i]));
    }
    CHECK(g1.total_length_m() == Approx(g2.total_length_m()));
}
