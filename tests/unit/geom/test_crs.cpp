#include <cmath>
#include <optional>

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "geom/crs.hpp"

namespace geom = gridplan::geom;
using gridplan::core::Errc;
using gridplan::core::Error;
using gridplan::core::Point;

namespace {
/// A place and the working CRS chosen for data centred there.
struct ZoneCase {
    const char* place;
    double lon;
    double lat;
    int epsg;
};
}  // namespace

TEST_CASE("the automatic working CRS is the CGCS2000 3-degree GK CM zone inside China", "[geom]") {
    const auto c = GENERATE(values<ZoneCase>({
        {"Wuhan", 114.2, 30.6, 4547},
        {"Beijing", 116.39, 39.9, 4548},
        {"Kaifeng", 114.35, 34.8, 4547},
        {"Taipei", 121.45, 25.05, 4549},
        {"Kashgar region", 75.0, 39.0, 4534},
        {"Fuyuan region", 134.9, 48.0, 4554},
    }));
    CAPTURE(c.place);
    CHECK(geom::auto_working_epsg(c.lon, c.lat) == c.epsg);
}

TEST_CASE("the automatic CM zone's central meridian is the 3-degree one nearest to the longitude",
          "[geom]") {
    // The chosen EPSG code's central meridian (from PROJ) is the 3-degree one nearest to λ.
    for (const double lon : {74.0, 88.6, 101.2, 114.2, 116.39, 119.9, 126.7, 133.0}) {
        const int epsg = geom::auto_working_epsg(lon, 35.0);
        const auto crs = geom::Crs::from_epsg(epsg);
        CAPTURE(lon, epsg, crs.name());
        CHECK(crs.is_projected());
        CHECK(crs.datum_family() == geom::DatumFamily::cgcs2000);
        const double cm = 3.0 * std::round(lon / 3.0);
        CHECK(crs.name().find("CM " + std::to_string(static_cast<int>(cm)) + "E") !=
              std::string::npos);
        // The central meridian maps to easting 500 000 m.
        const geom::Transformer to_gk{crs.geographic_base(), crs};
        const auto p = to_gk.transform(Point{cm, 35.0});
        REQUIRE(p);
        CHECK(p->x() == Approx(500000.0).margin(1e-3));
    }
}

TEST_CASE("outside China the working CRS is WGS84 UTM", "[geom]") {
    const auto c = GENERATE(values<ZoneCase>({
        {"Monaco", 7.42, 43.74, 32632},
        {"Buenos Aires", -58.4, -34.6, 32721},
    }));
    CAPTURE(c.place);
    CHECK(geom::auto_working_epsg(c.lon, c.lat) == c.epsg);
}

TEST_CASE("WGS84 UTM is a metric WGS84 CRS", "[geom]") {
    const auto crs = geom::Crs::from_epsg(32632);
    CHECK(crs.datum_family() == geom::DatumFamily::wgs84);
    CHECK(crs.linear_unit_m() == 1.0);
}

TEST_CASE("transformations use traditional GIS axis order and reproduce cs2cs", "[geom]") {
    // research §3.1: cs2cs EPSG:4490 EPSG:4547 gives 4421940.733 704464.053 (northing first)
    // for Tiananmen; in traditional order x = easting.
    const auto src = geom::Crs::from_epsg(4490);
    const auto dst = geom::Crs::from_epsg(4547);
    const geom::Transformer t{src, dst};
    const auto p = t.transform(Point{116.391, 39.907});
    REQUIRE(p);
    CHECK(p->x() == Approx(704464.053).margin(0.01));
    CHECK(p->y() == Approx(4421940.733).margin(0.01));
    CHECK_FALSE(t.is_ballpark());
}

TEST_CASE("WGS84 to CGCS2000 is allowed as the only ballpark transformation", "[geom]") {
    const geom::Transformer t{geom::Crs::from_epsg(4326), geom::Crs::from_epsg(4547)};
    CHECK(t.is_ballpark());
    const auto p = t.transform(Point{114.0, 30.0});
    REQUIRE(p);
    CHECK(p->x() == Approx(500000.0).margin(1e-3));
}

TEST_CASE("Beijing 1954 and Xian 1980 CRSs are recognised by their datum", "[geom]") {
    struct Case {
        int epsg;
        geom::DatumFamily family;
    };
    const auto c = GENERATE(values<Case>({
        {4214, geom::DatumFamily::beijing1954},
        {2435, geom::DatumFamily::beijing1954},  // 3-degree GK CM 114E
        {4610, geom::DatumFamily::xian1980},
        {2383, geom::DatumFamily::xian1980},
        {4490, geom::DatumFamily::cgcs2000},
    }));
    CAPTURE(c.epsg);
    CHECK(geom::Crs::from_epsg(c.epsg).datum_family() == c.family);
}

TEST_CASE(
    "without TOWGS84 there is no transformation of known accuracy from Beijing 1954 to CGCS2000",
    "[geom]") {
    CHECK_THROWS_AS(geom::Transformer(geom::Crs::from_epsg(4214), geom::Crs::from_epsg(4547)),
                    Error);
}

TEST_CASE("unknown EPSG codes are CRS errors", "[geom]") {
    try {
        (void)geom::Crs::from_epsg(999999);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::crs);
    }
}

TEST_CASE("zone-prefixed Gauss-Kruger eastings suggest the zone CRS", "[geom]") {
    struct Case {
        double easting;
        std::optional<int> epsg;  ///< nullopt: no zone number in the easting
    };
    const auto c = GENERATE(values<Case>({
        {38500000.0, 4526},        // 3-degree zone 38 (CM 114E)
        {20500000.0, 4498},        // 6-degree zone 20 (CM 117E)
        {500000.0, std::nullopt},  // a CM-zone easting
    }));
    CAPTURE(c.easting);
    CHECK(geom::zone_prefixed_epsg(c.easting) == c.epsg);
}
