// One fixture per row of the bad-input catalogue (research/reliability_ecosystem.md §1.6) that the
// readers cover: each asserts the ledger row (layer, id, reason, action) and conservation.
#include <cmath>

#include "geom/gcj02.hpp"
#include "unit/io/test_io_support.hpp"

using namespace gridplan;
using core::Action;
using core::Errc;
using test::collection;
using test::has_row;
using test::polygon_feature;
using test::square;

namespace {

const std::string kGood = polygon_feature(R"({"id":"ok","households":10})", square(116.39, 39.90));

}  // namespace

TEST_CASE("G1 null geometry is skipped", "[io]") {
    const auto s = test::read_one(
        "g1",
        "buildings",
        collection({kGood, R"({"type":"Feature","properties":{"id":"b1"},"geometry":null})"}));
    CHECK(has_row(s, "buildings", "b1", "null_geometry", Action::skipped));
    const auto& r = test::layer_report(s, "buildings");
    CHECK(r.counts.n_in == 2);
    CHECK(r.counts.used == 1);
    CHECK(r.counts.skipped == 1);
    test::check_conserved(s);
}

TEST_CASE("G2 empty geometry and NaN coordinates are skipped", "[io]") {
    const auto s = test::read_one(
        "g2",
        "buildings",
        collection(
            {kGood,
             R"({"type":"Feature","properties":{"id":"e1"},"geometry":{"type":"Polygon","coordinates":[]}})",
             R"({"type":"Feature","properties":{"id":"e2"},"geometry":{"type":"Point","coordinates":[NaN,10]}})"}));
    // GDAL reads "coordinates":[] as no geometry at all (research §1.5).
    CHECK(has_row(s, "buildings", "e1", "null_geometry", Action::skipped));
    CHECK(has_row(s, "buildings", "e2", "empty_geometry", Action::skipped));
    CHECK(test::layer_report(s, "buildings").counts.skipped == 2);
    test::check_conserved(s);
}

TEST_CASE("G3 infinite and out-of-range coordinates are skipped", "[io]") {
    const auto s = test::read_one(
        "g3",
        "buildings",
        collection(
            {kGood,
             polygon_feature(R"({"id":"inf"})",
                             "[[[116.39,39.9],[1e999,39.9],[116.391,39.901],[116.39,39.9]]]"),
             polygon_feature(R"({"id":"far"})", square(116.39, 95.0))}));
    CHECK(has_row(s, "buildings", "inf", "non_finite_coordinate", Action::skipped));
    CHECK(has_row(s, "buildings", "far", "coordinate_out_of_range", Action::skipped));
    CHECK(s.buildings.size() == 1);
    test::check_conserved(s);
}

TEST_CASE("G4 unclosed rings are closed and recorded", "[io]") {
    const auto s = test::read_one(
        "g4",
        "buildings",
        collection({polygon_feature(
            R"({"id":"u1"})",
            "[[[116.39,39.90],[116.3902,39.90],[116.3902,39.9002],[116.39,39.9002]]]")}));
    CHECK(has_row(s, "buildings", "u1", "unclosed_ring", Action::repaired));
    REQUIRE(s.buildings.size() == 1);
    CHECK(s.buildings[0].area_m2 > 300.0);  // ~17 m x 22 m
    CHECK(test::layer_report(s, "buildings").counts.repaired == 1);
    test::check_conserved(s);
}

TEST_CASE("G5 rings with too few points are skipped as collapsed", "[io]") {
    const auto s = test::read_one(
        "g5",
        "buildings",
        collection({kGood,
                    polygon_feature(R"({"id":"c1"})",
                                    "[[[116.39,39.90],[116.391,39.901],[116.39,39.90]]]")}));
    CHECK(has_row(s, "buildings", "c1", "collapsed", Action::skipped));
    test::check_conserved(s);
}

TEST_CASE("G6 a self-intersecting bowtie is repaired by MakeValid with its area recorded", "[io]") {
    const auto s =
        test::read_one("g6",
                       "buildings",
                       collection({polygon_feature(R"({"id":"bow"})",
                                                   "[[[116.39,39.90],[116.3902,39.9002],[116.3902,"
                                                   "39.90],[116.39,39.9002],[116.39,39.90]]]")}));
    REQUIRE(has_row(s, "buildings", "bow", "invalid_geometry", Action::repaired));
    REQUIRE(s.buildings.size() == 1);
    CHECK(s.buildings[0].footprint.size() == 2);  // both triangles kept
    CHECK(s.buildings[0].area_m2 > 100.0);
    for (const auto& e : s.ledger.entries()) {
        if (e.reason == "invalid_geometry") {
            CHECK(e.detail.find("Self-intersection") != std::string::npos);
            CHECK(std::isfinite(e.x));
        }
    }
    test::check_conserved(s);
}

TEST_CASE("G9 a point in a building layer is skipped as wrong geometry type", "[io]") {
    const auto s = test::read_one(
        "g9",
        "buildings",
        collection(
            {kGood,
             R"({"type":"Feature","properties":{"id":"p1"},"geometry":{"type":"Point","coordinates":[116.39,39.9]}})"}));
    CHECK(has_row(s, "buildings", "p1", "wrong_geometry_type", Action::skipped));
    test::check_conserved(s);
}

TEST_CASE("G10 Z coordinates are dropped with one warning per layer", "[io]") {
    const auto s = test::read_one(
        "g10",
        "buildings",
        collection(
            {polygon_feature(
                 R"({"id":"z1"})",
                 "[[[116.39,39.90,5],[116.3902,39.90,5],[116.3902,39.9002,5],[116.39,39.90,5]]]"),
             polygon_feature(R"({"id":"z2"})",
                             "[[[116.40,39.90,5],[116.4002,39.90,5],[116.4002,39.9002,5],[116.40,"
                             "39.90,5]]]")}));
    CHECK(has_row(s, "buildings", "", "z_dropped", Action::warned));
    CHECK(test::layer_report(s, "buildings").counts.used == 2);
    test::check_conserved(s);
}

TEST_CASE("G11 slivers below the area threshold are skipped", "[io]") {
    const auto s = test::read_one(
        "g11",
        "buildings",
        collection({kGood, polygon_feature(R"({"id":"tiny"})", square(116.40, 39.90, 0.000001))}));
    CHECK(has_row(s, "buildings", "tiny", "sliver", Action::skipped));
    test::check_conserved(s);
}

TEST_CASE("A1 duplicate ids are re-keyed", "[io]") {
    const auto s =
        test::read_one("a1",
                       "buildings",
                       collection({polygon_feature(R"({"id":"7"})", square(116.39, 39.90)),
                                   polygon_feature(R"({"id":"7"})", square(116.40, 39.90))}));
    CHECK(has_row(s, "buildings", "7#2", "duplicate_id", Action::repaired));
    REQUIRE(s.buildings.size() == 2);
    CHECK(s.buildings[0].id == "7");
    CHECK(s.buildings[1].id == "7#2");
    test::check_conserved(s);
}

TEST_CASE("A2 null ids are synthesised from role and index", "[io]") {
    const auto s = test::read_one(
        "a2", "buildings", collection({polygon_feature(R"({"name":"x"})", square(116.39, 39.90))}));
    CHECK(has_row(s, "buildings", "buildings:0", "null_id", Action::repaired));
    test::check_conserved(s);
}

TEST_CASE("A3 numbers stored as text are parsed, absurd or non-numeric values become null",
          "[io]") {
    const auto s = test::read_one(
        "a3",
        "buildings",
        collection(
            {polygon_feature(R"({"id":"t","户数":"12","层数":" 6 "})", square(116.39, 39.90)),
             polygon_feature(R"({"id":"neg","户数":-5})", square(116.40, 39.90)),
             polygon_feature(R"({"id":"abc","户数":"abc"})", square(116.41, 39.90)),
             polygon_feature(R"({"id":"high","层数":900})", square(116.42, 39.90))}));
    CHECK(has_row(s, "buildings", "neg", "absurd_value", Action::repaired));
    CHECK(has_row(s, "buildings", "abc", "not_a_number", Action::repaired));
    CHECK(has_row(s, "buildings", "high", "absurd_value", Action::repaired));
    REQUIRE(s.buildings.size() == 4);
    const auto& t = s.buildings[3];
    REQUIRE(t.id == "t");
    CHECK(t.households == 12.0);
    CHECK_FALSE(t.households_estimated);
    CHECK(t.floors == 6.0);
    const auto& r = test::layer_report(s, "buildings");
    CHECK(r.fields_used.at("households") == "户数");
    CHECK(r.fields_used.at("floors") == "层数");
    CHECK(r.counts.used == 1);
    CHECK(r.counts.repaired == 3);
    test::check_conserved(s);
}

TEST_CASE("F8 invalid UTF-8 is replaced by U+FFFD and recorded", "[io]") {
    const auto s =
        test::read_one("f8",
                       "buildings",
                       collection({polygon_feature("{\"id\":\"u\",\"name\":\"bad\xff\xfe name\"}",
                                                   square(116.39, 39.90))}));
    CHECK(has_row(s, "buildings", "u", "invalid_utf8", Action::repaired));
    REQUIRE(s.buildings.size() == 1);
    CHECK(s.buildings[0].name.find("\xEF\xBF\xBD") != std::string::npos);
    test::check_conserved(s);
}

TEST_CASE("F1 missing files and directories are I/O errors naming the path", "[io]") {
    const auto dir = test::scratch_dir("f1");
    auto e = test::error_of([&] {
        (void)io::read_scene(
            io::parse_input_config(R"({"inputs":{"buildings":{"path":"nope.geojson"}}})", dir));
    });
    CHECK(e.code() == Errc::io);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("nope.geojson"));
    std::filesystem::create_directories(dir / "adir");
    e = test::error_of([&] {
        (void)io::read_scene(
            io::parse_input_config(R"({"inputs":{"buildings":{"path":"adir"}}})", dir));
    });
    CHECK(e.code() == Errc::io);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("not a regular file"));
}

TEST_CASE("F2 truncated JSON and F3 a file no allowed driver reads are I/O errors", "[io]") {
    const auto dir = test::scratch_dir("f2");
    test::write_text(dir / "cut.geojson",
                     R"({"type":"FeatureCollection","features":[{"type":"Feature",)");
    auto e = test::error_of([&] {
        (void)io::read_scene(
            io::parse_input_config(R"({"inputs":{"buildings":{"path":"cut.geojson"}}})", dir));
    });
    CHECK(e.code() == Errc::io);
    test::write_text(dir / "table.csv", "id,name\n1,a\n");
    e = test::error_of([&] {
        (void)io::read_scene(
            io::parse_input_config(R"({"inputs":{"buildings":{"path":"table.csv"}}})", dir));
    });
    CHECK(e.code() == Errc::io);
}

TEST_CASE("C2 swapped latitude/longitude is refused with an axis-order hint", "[io]") {
    const auto e = test::error_of([] {
        (void)test::read_one(
            "c2",
            "buildings",
            collection({polygon_feature(R"({"id":"s"})", square(39.90, 116.39)),
                        polygon_feature(R"({"id":"s2"})", square(39.91, 116.40))}));
    });
    CHECK(e.code() == Errc::crs);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("axis order?"));
    // Also when the swap stays within ±90: Kaifeng (114.35E, 34.8N) written as (34.8, 114.35)
    // has y > 90; Urumqi (87.6E, 43.8N) written swapped has y = 87.6, caught by the China test.
    const auto e2 = test::error_of([] {
        (void)test::read_one(
            "c2b",
            "buildings",
            collection({polygon_feature(R"({"id":"u"})", square(43.8256, 87.6168))}));
    });
    CHECK(e2.code() == Errc::crs);
    CHECK_THAT(e2.what(), Catch::Matchers::Contains("axis order?"));
}

TEST_CASE("C3 zone-prefixed eastings declared as a CM zone are refused with the suggested EPSG",
          "[io]") {
    struct Case {
        const char* ring;     ///< a building's ring, eastings carrying a zone number
        const char* suggest;  ///< the EPSG code the message suggests
    };
    const auto c = GENERATE(values<Case>({
        {"[[[38500000,3850000],[38500020,3850000],[38500020,3850020],[38500000,3850000]]]",
         "4526"},  // 3-degree zone 38
        {"[[[20500000,3850000],[20500020,3850000],[20500020,3850020],[20500000,3850000]]]",
         "4498"},  // 6-degree zone 20
    }));
    CAPTURE(c.ring);
    const std::string crs =
        R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4547"}},)";
    const auto e = test::error_of([&] {
        (void)test::read_one(
            "c3", "buildings", collection({polygon_feature(R"({"id":"z"})", c.ring)}, crs));
    });
    CHECK(e.code() == Errc::crs);
    CHECK_THAT(e.what(), Catch::Matchers::Contains(std::string{"\"assume_epsg\": "} + c.suggest));
}

TEST_CASE("C4 Beijing 1954 and Xian 1980 inputs are refused with what to supply", "[io]") {
    for (const char* epsg : {"4214", "2435", "4610"}) {
        CAPTURE(epsg);
        const std::string crs =
            std::string{R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::)"} +
            epsg + R"("}},)";
        const bool projected = std::string{epsg} == "2435";
        const std::string coords =
            projected ? "[[[500000,4400000],[500020,4400000],[500020,4400020],[500000,4400000]]]"
                      : square(116.39, 39.90);
        const auto e = test::error_of([&] {
            (void)test::read_one(std::string{"c4_"} + epsg,
                                 "buildings",
                                 collection({polygon_feature(R"({"id":"b"})", coords)}, crs));
        });
        CHECK(e.code() == Errc::crs);
        CHECK_THAT(e.what(),
                   Catch::Matchers::Contains("TOWGS84") && Catch::Matchers::Contains("CGCS2000"));
    }
}

TEST_CASE("C5 GCJ-02 input is converted back to WGS84 before reprojection", "[io]") {
    // The same building once in WGS84 and once in GCJ-02 must land on the same metric position.
    const std::string wgs = square(116.39, 39.90);
    const auto s1 =
        test::read_one("c5a", "buildings", collection({polygon_feature(R"({"id":"b"})", wgs)}));
    // GCJ-02 of (116.39, 39.90) is about (116.3962, 39.9014); use the exact forward formula.
    char gcj[400];
    {
        const double lon = 116.39;
        const double lat = 39.90;
        const double d = 0.0001;
        std::string ring = "[[";
        const double xs[] = {lon - d, lon + d, lon + d, lon - d, lon - d};
        const double ys[] = {lat - d, lat - d, lat + d, lat + d, lat - d};
        for (int i = 0; i < 5; ++i) {
            const auto g = geom::wgs84_to_gcj02({xs[i], ys[i]});
            std::snprintf(gcj, sizeof gcj, "%s[%.10f,%.10f]", i == 0 ? "" : ",", g.x(), g.y());
            ring += gcj;
        }
        ring += "]]";
        const auto s2 = test::read_one("c5b",
                                       "buildings",
                                       collection({polygon_feature(R"({"id":"b"})", ring)}),
                                       R"(,"input_datum":"gcj02")");
        REQUIRE(s1.buildings.size() == 1);
        REQUIRE(s2.buildings.size() == 1);
        CHECK(s2.buildings[0].anchor.x() == Approx(s1.buildings[0].anchor.x()).margin(0.01));
        CHECK(s2.buildings[0].anchor.y() == Approx(s1.buildings[0].anchor.y()).margin(0.01));
        CHECK(test::layer_report(s2, "buildings").datum_shift == "gcj02");
        CHECK(has_row(s2, "buildings", "", "pseudo_datum_undone", Action::warned));
        // Without the flag the same file lands ~555 m away.
        const auto s3 = test::read_one(
            "c5c", "buildings", collection({polygon_feature(R"({"id":"b"})", ring)}));
        const double dx = s3.buildings[0].anchor.x() - s1.buildings[0].anchor.x();
        const double dy = s3.buildings[0].anchor.y() - s1.buildings[0].anchor.y();
        CHECK(std::hypot(dx, dy) == Approx(555.0).margin(15.0));
    }
}

TEST_CASE("strict mode turns the first repaired feature into an invalid-input error", "[io]") {
    const auto e = test::error_of([] {
        (void)test::read_one("strict",
                             "buildings",
                             collection({kGood,
                                         polygon_feature(R"({"id":"7"})", square(116.40, 39.90)),
                                         polygon_feature(R"({"id":"7"})", square(116.41, 39.90))}),
                             "",
                             true);
    });
    CHECK(e.code() == Errc::invalid_input);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("duplicate_id"));
}

TEST_CASE("T1 overlapping buildings are reported once per pair and both kept", "[io]") {
    const auto s = test::read_one(
        "t1",
        "buildings",
        collection({polygon_feature(R"({"id":"x","households":10})", square(116.39, 39.90)),
                    polygon_feature(R"({"id":"y","households":20})", square(116.39015, 39.90)),
                    polygon_feature(R"({"id":"z"})", square(116.3902, 39.90))}));
    CHECK(has_row(s, "hierarchy", "x|y", "building_overlap", Action::warned));
    CHECK_FALSE(
        has_row(s, "hierarchy", "x|z", "building_overlap", Action::warned));  // only touches
    REQUIRE(s.buildings.size() == 3);
    CHECK(test::layer_report(s, "buildings").counts.used == 3);
    test::check_conserved(s);
}

TEST_CASE(
    "regress_barrier_in_tunnel: a railway in a tunnel is skipped as a barrier, with a ledger row",
    "[io]") {
    const std::string line_a =
        R"({"type":"Feature","properties":{"id":"rail_open","railway":"rail"},)"
        R"("geometry":{"type":"LineString","coordinates":[[116.390,39.900],[116.395,39.900]]}})";
    const std::string line_b =
        R"({"type":"Feature","properties":{"id":"rail_tunnel","railway":"rail","tunnel":"yes"},)"
        R"("geometry":{"type":"LineString","coordinates":[[116.390,39.901],[116.395,39.901]]}})";
    const auto s = test::read_one("barrier_tunnel", "barriers", collection({line_a, line_b}));
    REQUIRE(s.barriers.size() == 1);
    CHECK(s.barriers.front().id == "rail_open");
    CHECK(has_row(s, "barriers", "rail_tunnel", "barrier_in_tunnel", Action::skipped));
    test::check_conserved(s);
}

TEST_CASE("entrances attach to their building by reference or to the nearest footprint", "[io]") {
    // Two 22 m x 22 m buildings 100 m apart (half-size 0.0001 degree) and four entrances:
    //   e1 names building b2 explicitly; e2 lies on b1's south wall (no reference);
    //   e3 is a second entrance of b1; e4 lies 60 m from any building; e5 names a missing building.
    const auto dir = test::scratch_dir("entrances");
    test::write_text(dir / "b.geojson",
                     collection({polygon_feature(R"({"id":"b1"})", square(116.3900, 39.9000)),
                                 polygon_feature(R"({"id":"b2"})", square(116.3912, 39.9000))}));
    auto point = [](const std::string& props, double lon, double lat) {
        char buf[200];
        std::snprintf(
            buf,
            sizeof buf,
            R"({"type":"Feature","properties":%s,"geometry":{"type":"Point","coordinates":[%.7f,%.7f]}})",
            props.c_str(),
            lon,
            lat);
        return std::string{buf};
    };
    test::write_text(dir / "e.geojson",
                     collection({point(R"({"id":"e1","building_id":"b2"})", 116.3912, 39.8999),
                                 point(R"({"id":"e2"})", 116.3900, 39.8999),
                                 point(R"({"id":"e3"})", 116.39005, 39.8999),
                                 point(R"({"id":"e4"})", 116.3906, 39.8994),
                                 point(R"({"id":"e5","building_id":"nope"})", 116.3900, 39.9001)}));
    const auto config = io::parse_input_config(
        R"({"inputs":{"buildings":{"path":"b.geojson"},"entrances":{"path":"e.geojson"}}})", dir);
    const auto s = io::read_scene(config, {});
    REQUIRE(s.buildings.size() == 2);
    REQUIRE(s.buildings[0].entrance);
    REQUIRE(s.buildings[1].entrance);
    // b1's entrance is e2 (the first in source order), on its south wall.
    CHECK(s.buildings[0].entrance->y() < s.buildings[0].anchor.y());
    CHECK(core::bg::distance(*s.buildings[0].entrance, s.buildings[0].footprint) < 0.5);
    CHECK(core::bg::distance(*s.buildings[1].entrance, s.buildings[1].footprint) < 0.5);
    CHECK(has_row(s, "entrances", "e3", "extra_entrance", Action::skipped));
    CHECK(has_row(s, "entrances", "e4", "entrance_without_building", Action::skipped));
    CHECK(has_row(s, "entrances", "e5", "entrance_without_building", Action::skipped));
    const auto& report = test::layer_report(s, "entrances");
    CHECK(report.counts.used == 2);
    CHECK(report.counts.skipped == 3);
    test::check_conserved(s);
}

TEST_CASE("siting candidates and exclusion zones are read like facilities, with ledger rows",
          "[io]") {
    const auto dir = test::scratch_dir("candidates_role");
    auto point = [](const std::string& props, double lon, double lat) {
        char buf[120];
        std::snprintf(buf, sizeof buf, R"({"type":"Point","coordinates":[%.6f,%.6f]})", lon, lat);
        return R"({"type":"Feature","properties":)" + props + R"(,"geometry":)" + buf + "}";
    };
    test::write_text(
        dir / "cand.geojson",
        collection(
            {point(R"({"id":"c1","名称":"农行网点","类型":"bank","容量":300,"费用":"2.5"})",
                   116.390,
                   39.90),
             point(R"({"id":"c2","名称":"商铺","类型":"shop","费用":"cheap"})", 116.391, 39.90),
             point(R"({"id":"c3","名称":"报亭","类型":"kiosk","容量":-4})", 116.392, 39.90),
             R"({"type":"Feature","properties":{"id":"c4"},"geometry":null})"}));
    test::write_text(dir / "zones.geojson",
                     collection({polygon_feature(R"({"id":"z1","name":"lake"})",
                                                 square(116.391, 39.90, 0.0002))}));
    const std::string cfg =
        R"({"inputs":{"candidates":{"path":"cand.geojson"},"exclusions":[{"path":"zones.geojson"}]}})";
    const auto s = io::read_scene(io::parse_input_config(cfg, dir), {});
    test::check_conserved(s);
    REQUIRE(s.candidates.size() == 3);
    CHECK(s.candidates[0].id == "c1");
    CHECK(s.candidates[0].name == "农行网点");
    CHECK(s.candidates[0].type == "bank");
    CHECK(s.candidates[0].capacity == 300.0);
    CHECK(s.candidates[0].cost == 2.5);
    CHECK_FALSE(s.candidates[1].cost.has_value());
    CHECK_FALSE(s.candidates[2].capacity.has_value());
    CHECK(has_row(s, "candidates", "c2", "not_a_number", Action::repaired));
    CHECK(has_row(s, "candidates", "c3", "absurd_value", Action::repaired));
    CHECK(has_row(s, "candidates", "c4", "null_geometry", Action::skipped));
    const auto& r = test::layer_report(s, "candidates");
    CHECK(r.fields_used.at("cost") == "费用");
    CHECK(r.fields_used.at("capacity") == "容量");
    CHECK(r.counts.n_in == 4);
    CHECK(r.counts.used == 1);
    CHECK(r.counts.repaired == 2);
    CHECK(r.counts.skipped == 1);
    REQUIRE(s.exclusions.size() == 1);
    CHECK(s.exclusions[0].name == "lake");
    CHECK(core::bg::area(s.exclusions[0].area) > 100.0);  // metres now
    CHECK_THROWS_WITH(
        io::parse_input_config(
            R"({"inputs":{"candidates":{"path":"cand.geojson","kind":"warm_station"}}})", dir),
        Catch::Matchers::Contains("kind"));
}

TEST_CASE("G7 repeated consecutive vertices are accepted without a ledger row", "[io]") {
    // The same 17 m x 22 m square as kGood's neighbour, once clean and once with every vertex
    // doubled.
    const auto s = test::read_one(
        "g7",
        "buildings",
        collection({polygon_feature(R"({"id":"clean"})",
                                    "[[[116.39,39.90],[116.3902,39.90],[116.3902,39.9002],[116.39,"
                                    "39.9002],[116.39,39.90]]]"),
                    polygon_feature(
                        R"({"id":"doubled"})",
                        "[[[116.40,39.90],[116.40,39.90],[116.4002,39.90],[116.4002,39.90],[116."
                        "4002,39.9002],"
                        "[116.4002,39.9002],[116.40,39.9002],[116.40,39.9002],[116.40,39.90]]]")}));
    REQUIRE(s.buildings.size() == 2);
    for (const auto& e : s.ledger.entries()) {
        CAPTURE(e.source_id, e.reason, e.detail);
        CHECK(e.source_id.empty());  // layer-level notes only (the datum note)
    }
    CHECK(test::layer_report(s, "buildings").counts.used == 2);
    CHECK(std::abs(s.buildings[0].area_m2 - s.buildings[1].area_m2) <
          0.01 * s.buildings[0].area_m2);
    CHECK(boost::geometry::is_valid(s.buildings[1].footprint));
    test::check_conserved(s);
}

TEST_CASE("G8 either winding is accepted and normalised: same area, valid, no ledger row", "[io]") {
    // RFC 7946 asks for counter-clockwise outer rings but parsers should not reject clockwise ones.
    const auto s =
        test::read_one("g8",
                       "buildings",
                       collection({polygon_feature(R"({"id":"ccw"})",
                                                   "[[[116.39,39.90],[116.3902,39.90],[116.3902,39."
                                                   "9002],[116.39,39.9002],[116.39,39.90]]]"),
                                   polygon_feature(R"({"id":"cw"})",
                                                   "[[[116.40,39.90],[116.40,39.9002],[116.4002,39."
                                                   "9002],[116.4002,39.90],[116.40,39.90]]]")}));
    REQUIRE(s.buildings.size() == 2);
    for (const auto& e : s.ledger.entries()) {
        CAPTURE(e.source_id, e.reason, e.detail);
        CHECK(e.source_id.empty());  // layer-level notes only (the datum note)
    }
    for (const auto& b : s.buildings) {
        CAPTURE(b.id);
        CHECK(b.area_m2 > 300.0);
        CHECK(boost::geometry::area(b.footprint) > 0.0);  // clockwise outer ring in the scene
        CHECK(boost::geometry::is_valid(b.footprint));
    }
    CHECK(std::abs(s.buildings[0].area_m2 - s.buildings[1].area_m2) <
          0.01 * s.buildings[0].area_m2);
}

TEST_CASE(
    "C1 layers in different CRSs are reprojected to one working CRS, each layer's CRS reported",
    "[io]") {
    // The same place twice: a building in WGS84 lon/lat and a road in CGCS2000 / 3-degree
    // Gauss-Kruger CM 117E (EPSG:4548), where (116.39E, 39.90N) is (447833.66, 4418603.79).
    const auto dir = test::scratch_dir("c1");
    test::write_text(dir / "b.geojson",
                     collection({polygon_feature(R"({"id":"b"})", square(116.39, 39.90))}));
    test::write_text(
        dir / "r.geojson",
        collection(
            {R"({"type":"Feature","properties":{"id":"r","highway":"footway"},"geometry":{"type":"LineString","coordinates":[[447833.66,4418603.79],[447933.66,4418603.79]]}})"},
            R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},)"));
    const auto s = io::read_scene(io::parse_input_config(
        R"({"inputs":{"buildings":{"path":"b.geojson"},"roads":{"path":"r.geojson"}}})", dir));
    CHECK_THAT(test::layer_report(s, "buildings").crs, Catch::Matchers::Contains("4326"));
    CHECK_THAT(test::layer_report(s, "roads").crs, Catch::Matchers::Contains("4548"));
    CHECK((has_row(s, "buildings", "", "reprojected", Action::warned) ||
           has_row(s, "roads", "", "reprojected", Action::warned)));
    REQUIRE(s.buildings.size() == 1);
    REQUIRE(s.roads.size() == 1);
    REQUIRE_FALSE(s.roads[0].line.empty());
    // The road starts at the building's centre (within a few centimetres of reprojection).
    const auto start = s.roads[0].line.front();
    CHECK(boost::geometry::distance(start, s.buildings[0].anchor) < 0.5);
    test::check_conserved(s);
}

TEST_CASE("F5 a Shapefile without its .shx or .dbf is an I/O error naming the file", "[io]") {
    const auto real = test::data_dir() / "real" / "utf8_cpg";
    for (const char* missing : {".shx", ".dbf"}) {
        CAPTURE(missing);
        const auto dir = test::scratch_dir(std::string("f5") + missing);
        for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg"}) {
            if (std::string(ext) != missing) {
                std::filesystem::copy_file(real / (std::string("bupt_buildings_utf8") + ext),
                                           dir / (std::string("b") + ext),
                                           std::filesystem::copy_options::overwrite_existing);
            }
        }
        std::filesystem::remove(dir / (std::string("b") + missing));
        const auto e = test::error_of([&] {
            (void)io::read_scene(
                io::parse_input_config(R"({"inputs":{"buildings":{"path":"b.shp"}}})", dir));
        });
        CHECK(e.code() == Errc::io);
        CHECK_THAT(e.what(),
                   Catch::Matchers::Contains("b.shp") && Catch::Matchers::Contains(missing));
    }
}
