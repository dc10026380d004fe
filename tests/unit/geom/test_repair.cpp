#include <catch2/catch.hpp>

#include "geom/repair.hpp"

namespace geom = gridplan::geom;
using gridplan::core::MultiPolygon;
using gridplan::core::Point;
using gridplan::core::Polygon;

namespace {

MultiPolygon from_wkt(const std::string& wkt) {
    MultiPolygon mp;
    gridplan::core::bg::read_wkt(wkt, mp);
    return mp;
}

}  // namespace

TEST_CASE("a bowtie is invalid and MakeValid(structure) keeps both triangles", "[geom]") {
    const auto bowtie = from_wkt("MULTIPOLYGON(((0 0,10 10,10 0,0 10,0 0)))");
    const auto issue = geom::polygon_validity(bowtie);
    REQUIRE(issue);
    CHECK(issue->reason.find("Self-intersection") != std::string::npos);
    REQUIRE(issue->location);
    CHECK(issue->location->x() == Approx(5.0));
    const auto fixed = geom::make_valid_polygons(bowtie);
    CHECK_FALSE(geom::polygon_validity(fixed));
    CHECK(geom::area(fixed) == Approx(50.0));
}

TEST_CASE("overlapping parts are unioned by the structure method", "[geom]") {
    const auto parts =
        from_wkt("MULTIPOLYGON(((0 0,0 10,10 10,10 0,0 0)),((5 5,5 15,15 15,15 5,5 5)))");
    REQUIRE(geom::polygon_validity(parts));
    CHECK(geom::area(geom::make_valid_polygons(parts)) == Approx(175.0));
}

TEST_CASE("point on surface, intersection area and prepared containment", "[geom]") {
    const auto square = from_wkt("MULTIPOLYGON(((0 0,0 10,10 10,10 0,0 0)))");
    const auto half = from_wkt("MULTIPOLYGON(((5 0,5 10,20 10,20 0,5 0)))");
    const auto p = geom::point_on_surface(square);
    REQUIRE(p);
    CHECK(p->x() > 0.0);
    CHECK(p->x() < 10.0);
    CHECK(geom::intersection_area(square, half) == Approx(50.0));
    const geom::PreparedArea prepared{square};
    CHECK(prepared.contains(from_wkt("MULTIPOLYGON(((1 1,1 2,2 2,2 1,1 1)))")));
    CHECK_FALSE(prepared.contains(half));
    CHECK(prepared.intersection_area(half) == Approx(50.0));
    CHECK(prepared.covers(Point{10.0, 5.0}));
    CHECK_FALSE(prepared.covers(Point{11.0, 5.0}));
    const auto u = geom::union_all({&square, &half});
    CHECK(geom::area(u) == Approx(200.0));
}
