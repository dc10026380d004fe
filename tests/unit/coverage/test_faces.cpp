// Faces of the walking network and the combinatorial face union (engine/coverage/detail/faces.hpp):
// the union formed from edges between included and excluded faces equals the GEOS union of the
// face polygons.

#include <random>

#include <catch2/catch.hpp>

#include "coverage/detail/faces.hpp"
#include "fixtures.hpp"
#include "geom/area_union.hpp"
#include "support/areas.hpp"
#include "support/ascii_map.hpp"

using namespace gridplan;
namespace bg = boost::geometry;

namespace {

/// Polygon of a bounded face without dangles (nullopt for the unbounded face).
std::optional<core::Polygon> face_polygon(const graph::WalkGraph& g,
                                          const coverage::detail::Faces& faces,
                                          std::uint32_t f) {
    core::Polygon poly;
    for (std::uint32_t k = faces.first[f]; k < faces.first[f + 1]; ++k) {
        const auto a = faces.arcs[k];
        if (faces.arc_face[faces.twin[a]] == f) {
            return std::nullopt;  // dangles: not used by these tests
        }
        const auto e = g.arc_edge[a];
        const auto& line = g.edge_geometry[e];
        if (faces.tail[a] == g.edge_from[e]) {
            poly.outer().insert(poly.outer().end(), line.begin(), line.end() - 1);
        } else {
            poly.outer().insert(poly.outer().end(), line.rbegin(), line.rend() - 1);
        }
    }
    poly.outer().push_back(poly.outer().front());
    if (bg::area(poly) >= 0) {
        return std::nullopt;  // clockwise: an unbounded face
    }
    bg::correct(poly);
    return poly;
}

}  // namespace

TEST_CASE("faces of a 3x2 block map", "[coverage][faces]") {
    // Six blocks of 100 m x 50 m and one outer face (rows go to negative y).
    const auto map = test::parse_ascii_map(R"(
A---B---C---D
|   |   |   |
E---F---G---H
|   |   |   |
I---J---K---L
)",
                                           25.0);
    const auto g = test::SceneBuilder(map).graph();
    const auto faces = coverage::detail::trace_faces(g);
    REQUIRE(faces.face_count() == 7);
    int bounded = 0;
    for (std::uint32_t f = 0; f < faces.face_count(); ++f) {
        if (const auto p = face_polygon(g, faces, f)) {
            ++bounded;
            CHECK(bg::area(*p) == Approx(100.0 * 50.0).epsilon(1e-9));
        }
    }
    CHECK(bounded == 6);

    std::vector<char> included(faces.face_count(), 0);
    SECTION("two faces meeting at one node stay two polygons touching at that node") {
        std::vector<std::uint32_t> bounded_faces;
        for (std::uint32_t f = 0; f < faces.face_count(); ++f) {
            if (face_polygon(g, faces, f)) {
                bounded_faces.push_back(f);
            }
        }
        // Pick the face containing (50, -25) (top-left; rows go to negative y) and the one at
        // (150, -75): they share only node F.
        std::vector<core::MultiPolygon> parts;
        for (const auto f : bounded_faces) {
            const auto p = *face_polygon(g, faces, f);
            if (bg::within(core::Point{50, -25}, p) || bg::within(core::Point{150, -75}, p)) {
                included[f] = 1;
                parts.push_back(core::MultiPolygon{p});
            }
        }
        REQUIRE(parts.size() == 2);
        const auto u = coverage::detail::face_union(g, faces, included);
        CHECK(u.size() == 2);
        CHECK(bg::is_valid(u));
        CHECK(test::symmetric_difference_area(u, geom::union_areas(parts)) < 1e-6);
    }
    SECTION("a ring of faces around an excluded one is a shell with a hole") {
        const auto map3 = test::parse_ascii_map(R"(
A---B---C---D
|   |   |   |
E---F---G---H
|   |   |   |
I---J---K---L
|   |   |   |
M---N---O---P
)",
                                                25.0);
        const auto g3 = test::SceneBuilder(map3).graph();
        const auto f3 = coverage::detail::trace_faces(g3);
        std::vector<char> inc(f3.face_count(), 0);
        std::vector<core::MultiPolygon> parts;
        for (std::uint32_t f = 0; f < f3.face_count(); ++f) {
            const auto p = face_polygon(g3, f3, f);
            if (p && !bg::within(core::Point{150, -75}, *p)) {  // all but the middle block
                inc[f] = 1;
                parts.push_back(core::MultiPolygon{*p});
            }
        }
        REQUIRE(parts.size() == 8);
        const auto u = coverage::detail::face_union(g3, f3, inc);
        REQUIRE(u.size() == 1);
        CHECK(u[0].inners().size() == 1);
        CHECK(bg::is_valid(u));
        CHECK(bg::area(u) == Approx(8 * 100.0 * 50.0).epsilon(1e-9));
        CHECK(test::symmetric_difference_area(u, geom::union_areas(parts)) < 1e-6);
    }
}

TEST_CASE("face union equals the GEOS union on a jittered grid", "[coverage][faces]") {
    const auto sb = test::jittered_grid(14, 0, 0, 42);
    const auto g = sb.graph();
    const auto faces = coverage::detail::trace_faces(g);
    std::mt19937_64 rng(7);
    for (int round = 0; round < 5; ++round) {
        std::vector<char> included(faces.face_count(), 0);
        std::vector<core::MultiPolygon> parts;
        for (std::uint32_t f = 0; f < faces.face_count(); ++f) {
            const auto p = face_polygon(g, faces, f);
            if (p && bg::is_valid(*p) && static_cast<int>(rng() % 100) < 30 + 15 * round) {
                included[f] = 1;
                parts.push_back(core::MultiPolygon{*p});
            }
        }
        const auto u = coverage::detail::face_union(g, faces, included);
        const auto expected = geom::union_areas(parts);
        CAPTURE(round, parts.size(), u.size(), expected.size());
        CHECK(bg::is_valid(u));
        CHECK(bg::area(u) == Approx(bg::area(expected)).epsilon(1e-9));
        CHECK(test::symmetric_difference_area(u, expected) < 1e-3);
        std::size_t holes = 0;
        for (const auto& p : u) {
            holes += p.inners().size();
        }
        std::size_t expected_holes = 0;
        for (const auto& p : expected) {
            expected_holes += p.inners().size();
        }
        CHECK(u.size() == expected.size());
        CHECK(holes == expected_holes);
    }
}
