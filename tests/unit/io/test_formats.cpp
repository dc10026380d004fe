// Readers (Shapefile encodings, GeoPackage layers, OSM XML), CRS refusals, the input policy and
// the configuration loader.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <utility>

#include "io/classify.hpp"
#include "io/text.hpp"
#include "pipeline/config.hpp"
#include "unit/io/test_io_support.hpp"

using namespace gridplan;
using core::Action;
using core::Errc;
using test::collection;
using test::has_row;
using test::polygon_feature;
using test::square;

namespace {

// Writes a one-polygon Shapefile with a Chinese name in GBK (ENCODING=CP936) and deletes its .cpg.
std::filesystem::path write_gbk_shapefile(const std::filesystem::path& dir, bool with_prj) {
    GDALAllRegister();
    auto* driver = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    REQUIRE(driver != nullptr);
    const auto path = dir / "gbk.shp";
    std::unique_ptr<GDALDataset> ds{driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr)};
    REQUIRE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(4490);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const char* lco[] = {"ENCODING=CP936", nullptr};
    OGRLayer* layer =
        ds->CreateLayer("gbk", with_prj ? &srs : nullptr, wkbPolygon, const_cast<char**>(lco));
    REQUIRE(layer != nullptr);
    OGRFieldDefn name("name", OFTString);
    layer->CreateField(&name);
    OGRFieldDefn hh("hh", OFTInteger);
    layer->CreateField(&hh);
    OGRFeature f{layer->GetLayerDefn()};
    f.SetField("name", "学生10号公寓");
    f.SetField("hh", 120);
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(
        "POLYGON((116.39 39.90,116.39 39.9002,116.3902 39.9002,116.3902 39.90,116.39 39.90))",
        nullptr,
        &g);
    f.SetGeometryDirectly(g);
    REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
    ds.reset();
    std::filesystem::remove(dir / "gbk.cpg");
    return path;
}

}  // namespace

TEST_CASE("F7 a GBK Shapefile without .cpg keeps its Chinese names (guessed CP936, warned)",
          "[io]") {
    const auto dir = test::scratch_dir("f7");
    write_gbk_shapefile(dir, true);
    REQUIRE_FALSE(std::filesystem::exists(dir / "gbk.cpg"));
    const auto s = io::read_scene(
        io::parse_input_config(R"({"inputs":{"buildings":{"path":"gbk.shp"}}})", dir));
    REQUIRE(s.buildings.size() == 1);
    CHECK(s.buildings[0].name == "学生10号公寓");
    CHECK(s.buildings[0].households == 120.0);
    CHECK(has_row(s, "buildings", "", "guessed_encoding", Action::warned));
    CHECK(test::layer_report(s, "buildings").encoding == "CP936 (guessed)");
    CHECK(test::layer_report(s, "buildings").fields_used.at("households") == "hh");
    // An explicit encoding is used as given, without a warning.
    const auto s2 = io::read_scene(io::parse_input_config(
        R"({"inputs":{"buildings":{"path":"gbk.shp","encoding":"CP936"}}})", dir));
    REQUIRE(s2.buildings.size() == 1);
    CHECK(s2.buildings[0].name == "学生10号公寓");
    CHECK_FALSE(has_row(s2, "buildings", "", "guessed_encoding", Action::warned));
    test::check_conserved(s);
}

TEST_CASE("the real GBK, GBK+cpg and UTF-8 BUPT Shapefiles give the same names", "[io]") {
    const auto real = test::data_dir() / "real";
    if (!std::filesystem::exists(real / "gbk_nocpg" / "bupt_buildings_gbk.shp")) {
        WARN("tests/data/real not present");
        return;
    }
    auto names = [](const std::filesystem::path& shp) {
        io::InputConfig c;
        c.buildings = io::LayerSource{.path = shp};
        const auto s = io::read_scene(c);
        std::vector<std::string> out;
        for (const auto& b : s.buildings) {
            out.push_back(b.id + "=" + b.name);
        }
        test::check_conserved(s);
        return out;
    };
    const auto gbk = names(real / "gbk_nocpg" / "bupt_buildings_gbk.shp");
    CHECK(gbk.size() == 111);
    CHECK(gbk == names(real / "gbk_cpg" / "bupt_buildings_gbk.shp"));
    CHECK(gbk == names(real / "utf8_cpg" / "bupt_buildings_utf8.shp"));
}

TEST_CASE("F6 a Shapefile without .prj is a CRS error naming the file unless assume_epsg is set",
          "[io]") {
    const auto dir = test::scratch_dir("f6");
    write_gbk_shapefile(dir, false);
    REQUIRE_FALSE(std::filesystem::exists(dir / "gbk.prj"));
    const auto e = test::error_of([&] {
        (void)io::read_scene(
            io::parse_input_config(R"({"inputs":{"buildings":{"path":"gbk.shp"}}})", dir));
    });
    CHECK(e.code() == Errc::crs);
    CHECK_THAT(e.what(),
               Catch::Matchers::Contains("gbk.shp") && Catch::Matchers::Contains("assume_epsg"));
    const auto s = io::read_scene(io::parse_input_config(
        R"({"inputs":{"buildings":{"path":"gbk.shp","assume_epsg":4490,"encoding":"CP936"}}})",
        dir));
    CHECK(s.buildings.size() == 1);
    CHECK(test::layer_report(s, "buildings").crs == "EPSG:4490 (assumed)");
    CHECK(s.crs.epsg == 4548);
}

TEST_CASE("F4 a GeoPackage layer is chosen by name, a wrong or missing name lists the layers",
          "[io]") {
    const auto dir = test::scratch_dir("f4");
    GDALAllRegister();
    auto* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    {
        std::unique_ptr<GDALDataset> ds{
            driver->Create((dir / "two.gpkg").c_str(), 0, 0, 0, GDT_Unknown, nullptr)};
        REQUIRE(ds);
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        // Each layer's one community carries its own 12-digit code (an invalid code would be
        // replaced by a derived one, which would not tell the layers apart).
        for (const auto& [name, code] : {std::pair{"towns", "110101001001"},
                                         std::pair{"villages", "110101002002"}}) {
            OGRLayer* layer = ds->CreateLayer(name, &srs, wkbPolygon, nullptr);
            OGRFieldDefn id("code", OFTString);
            layer->CreateField(&id);
            OGRFeature f{layer->GetLayerDefn()};
            f.SetField("code", code);
            OGRGeometry* g = nullptr;
            OGRGeometryFactory::createFromWkt(
                "POLYGON((121.4 25.0,121.4 25.01,121.41 25.01,121.41 25.0,121.4 25.0))",
                nullptr,
                &g);
            f.SetGeometryDirectly(g);
            REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
        }
    }
    const auto s = io::read_scene(io::parse_input_config(
        R"({"inputs":{"communities":{"path":"two.gpkg","layer":"villages"}}})", dir));
    REQUIRE(s.communities.size() == 1);
    CHECK(s.communities[0].code == "110101002002");
    CHECK(test::layer_report(s, "communities").driver == "GPKG");
    CHECK(s.crs.epsg == 4549);
    for (const char* cfg : {R"({"inputs":{"communities":{"path":"two.gpkg","layer":"vilages"}}})",
                            R"({"inputs":{"communities":{"path":"two.gpkg"}}})"}) {
        const auto e =
            test::error_of([&] { (void)io::read_scene(io::parse_input_config(cfg, dir)); });
        CHECK(e.code() == Errc::io);
        CHECK_THAT(e.what(), Catch::Matchers::Contains("towns, villages"));
    }
}

TEST_CASE("G10 curve geometries from a GeoPackage are linearised and recorded", "[io]") {
    const auto dir = test::scratch_dir("g10c");
    GDALAllRegister();
    auto* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    {
        std::unique_ptr<GDALDataset> ds{
            driver->Create((dir / "curve.gpkg").c_str(), 0, 0, 0, GDT_Unknown, nullptr)};
        OGRSpatialReference srs;
        srs.importFromEPSG(4547);
        OGRLayer* layer = ds->CreateLayer("b", &srs, wkbCurvePolygon, nullptr);
        OGRFieldDefn id("id", OFTString);
        layer->CreateField(&id);
        OGRFeature f{layer->GetLayerDefn()};
        f.SetField("id", "arc");
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkt(
            "CURVEPOLYGON(CIRCULARSTRING(500000 3400000,500010 3400010,500020 3400000,500010 "
            "3399990,500000 3400000))",
            nullptr,
            &g);
        f.SetGeometryDirectly(g);
        REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
    }
    const auto s = io::read_scene(
        io::parse_input_config(R"({"inputs":{"buildings":{"path":"curve.gpkg"}}})", dir));
    CHECK(has_row(s, "buildings", "arc", "curve_linearised", Action::repaired));
    REQUIRE(s.buildings.size() == 1);
    CHECK(s.buildings[0].area_m2 == Approx(314.159).epsilon(0.01));  // circle of radius 10 m
    CHECK(s.crs.epsg == 4547);
    test::check_conserved(s);
}

TEST_CASE("OSM XML: buildings, walkable ways, other_tags and admin boundaries", "[io]") {
    const auto dir = test::scratch_dir("osm");
    test::write_text(dir / "tiny.osm", R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <node id="1" lat="39.9000" lon="116.3900"/>
  <node id="2" lat="39.9000" lon="116.3903"/>
  <node id="3" lat="39.9003" lon="116.3903"/>
  <node id="4" lat="39.9003" lon="116.3900"/>
  <node id="5" lat="39.8990" lon="116.3890"/>
  <node id="6" lat="39.8990" lon="116.3920"/>
  <node id="7" lat="39.8980" lon="116.3890"/>
  <node id="8" lat="39.8980" lon="116.3920"/>
  <node id="9" lat="39.8970" lon="116.3890"/>
  <node id="10" lat="39.8970" lon="116.3920"/>
  <node id="11" lat="39.8950" lon="116.3850"/>
  <node id="12" lat="39.8950" lon="116.3950"/>
  <node id="13" lat="39.9050" lon="116.3950"/>
  <node id="14" lat="39.9050" lon="116.3850"/>
  <node id="15" lat="39.9001" lon="116.3901"><tag k="amenity" v="community_centre"/><tag k="name" v="北邮社区党群服务中心"/></node>
  <way id="100"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
    <tag k="building" v="residential"/><tag k="building:levels" v="6"/><tag k="name" v="学生10号公寓"/></way>
  <way id="101"><nd ref="5"/><nd ref="6"/><tag k="highway" v="footway"/></way>
  <way id="102"><nd ref="7"/><nd ref="8"/><tag k="highway" v="motorway"/></way>
  <way id="103"><nd ref="9"/><nd ref="10"/><tag k="highway" v="residential"/><tag k="foot" v="no"/><tag k="bridge" v="yes"/><tag k="layer" v="1"/></way>
  <node id="16" lat="39.9010" lon="116.3910"/>
  <node id="17" lat="39.9010" lon="116.3913"/>
  <node id="18" lat="39.9013" lon="116.3913"/>
  <way id="105"><nd ref="16"/><nd ref="17"/><nd ref="18"/><nd ref="16"/><tag k="building" v="no"/></way>
  <way id="104"><nd ref="11"/><nd ref="12"/><nd ref="13"/><nd ref="14"/><nd ref="11"/></way>
  <relation id="200"><member type="way" ref="104" role="outer"/>
    <tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="10"/><tag k="name" v="北太平庄社区"/></relation>
</osm>
)");
    const auto s = io::read_scene(io::parse_input_config(R"({"inputs":{
        "communities":{"path":"tiny.osm"},
        "buildings":{"path":"tiny.osm"},
        "roads":{"path":"tiny.osm"},
        "facilities":{"path":"tiny.osm","where":{"amenity":"community_centre"}}}})",
                                                         dir));
    test::check_conserved(s);
    REQUIRE(s.buildings.size() ==
            1);  // regress_building_no: way 105 (building=no) is not a building
    const auto& b = s.buildings[0];
    CHECK(b.id == "w100");
    CHECK(b.name == "学生10号公寓");
    CHECK(b.floors == 6.0);  // building:levels lives in other_tags
    CHECK(b.households_estimated);
    CHECK(b.households == Approx(b.area_m2 * 6.0 / 90.0));
    CHECK(b.population == Approx(b.households * 2.62));
    CHECK(test::layer_report(s, "buildings").fields_used.at("floors") == "building:levels");
    REQUIRE(s.roads.size() == 3);
    CHECK(s.roads[0].id == "w101");
    CHECK(s.roads[0].walkable);
    CHECK_FALSE(s.roads[1].walkable);  // motorway
    CHECK_FALSE(s.roads[2].walkable);  // foot=no
    CHECK(s.roads[2].bridge);
    CHECK(s.roads[2].layer == 1);
    REQUIRE(s.communities.size() == 1);
    CHECK(s.communities[0].name == "北太平庄社区");
    REQUIRE(b.community);
    CHECK(*b.community == 0);
    REQUIRE(s.facilities.size() == 1);
    CHECK(s.facilities[0].kind == core::FacilityKind::service_centre);
    CHECK(s.crs.epsg == 4548);
}

TEST_CASE("the real BUPT OSM extract reads with the documented counts", "[io]") {
    const auto osm = test::data_dir() / "real" / "beijing_bupt_haidian.osm";
    if (!std::filesystem::exists(osm)) {
        WARN("tests/data/real/beijing_bupt_haidian.osm not present");
        return;
    }
    io::InputConfig c;
    c.buildings = io::LayerSource{.path = osm};
    c.roads = io::LayerSource{.path = osm};
    const auto s = io::read_scene(c);
    test::check_conserved(s);
    CHECK(s.buildings.size() == 111);
    CHECK(s.roads.size() == 190);
    const auto walkable = std::count_if(
        s.roads.begin(), s.roads.end(), [](const core::Road& r) { return r.walkable; });
    CHECK(walkable == 186);
    CHECK(s.crs.epsg == 4548);
    CHECK(std::is_sorted(
        s.buildings.begin(),
        s.buildings.end(),
        [](const core::Building& a, const core::Building& b) { return a.id < b.id; }));
}

TEST_CASE("hierarchy: largest overlap, outside rows, overlaps and gaps with areas", "[io]") {
    const auto dir = test::scratch_dir("hier");
    // Two streets side by side; three communities: c1 and c2 overlap, c3 has a hole (a gap).
    test::write_text(
        dir / "streets.geojson",
        collection({polygon_feature(R"({"id":"s1"})", square(116.390, 39.900, 0.005)),
                    polygon_feature(R"({"id":"s2"})", square(116.400, 39.900, 0.005))}));
    const std::string with_hole =
        "[[[116.396,39.896],[116.404,39.896],[116.404,39.904],[116.396,39.904],[116.396,39.896]],"
        "[[116.399,39.899],[116.401,39.899],[116.401,39.901],[116.399,39.901],[116.399,39.899]]]";
    test::write_text(
        dir / "communities.geojson",
        collection({polygon_feature(R"({"id":"c1"})", square(116.389, 39.900, 0.002)),
                    polygon_feature(R"({"id":"c2"})", square(116.392, 39.900, 0.002)),
                    polygon_feature(R"({"id":"c3"})", with_hole),
                    polygon_feature(R"({"id":"c4"})", square(116.500, 39.900, 0.001))}));
    test::write_text(
        dir / "buildings.geojson",
        collection({polygon_feature(R"({"id":"b1"})", square(116.3885, 39.900, 0.0002)),
                    // straddles c1/c2 overlap: more area in c2
                    polygon_feature(R"({"id":"b2"})", square(116.3925, 39.900, 0.0002)),
                    polygon_feature(R"({"id":"b3"})", square(116.450, 39.950, 0.0002))}));
    const auto s = io::read_scene(io::parse_input_config(R"({"inputs":{
        "streets":{"path":"streets.geojson"},"communities":{"path":"communities.geojson"},
        "buildings":{"path":"buildings.geojson"}}})",
                                                         dir));
    test::check_conserved(s);
    REQUIRE(s.communities.size() == 4);
    CHECK(s.communities[0].street == 0u);
    CHECK(s.communities[2].street == 1u);
    CHECK_FALSE(s.communities[3].street);
    CHECK(has_row(s, "hierarchy", "c4", "community_outside_streets", Action::warned));
    REQUIRE(s.buildings.size() == 3);
    CHECK(s.buildings[0].community == 0u);
    CHECK(s.buildings[1].community == 1u);
    CHECK_FALSE(s.buildings[2].community);
    CHECK(has_row(s, "hierarchy", "b3", "building_outside_communities", Action::warned));
    CHECK(has_row(s, "hierarchy", "c1|c2", "community_overlap", Action::warned));
    CHECK(has_row(s, "hierarchy", "s2", "community_gap", Action::warned));
    for (const auto& e : s.ledger.entries()) {
        if (e.reason == "community_overlap" || e.reason == "community_gap") {
            CHECK_THAT(e.detail, Catch::Matchers::Contains("m2"));
            CHECK(std::isfinite(e.x));
        }
    }
}

TEST_CASE("non-residential buildings get no estimated households, institutions are dedicated",
          "[io]") {
    const auto s = test::read_one(
        "use",
        "buildings",
        collection({polygon_feature(R"({"id":"a","type":"school"})", square(116.39, 39.9)),
                    polygon_feature(R"({"id":"b","type":"医院"})", square(116.40, 39.9)),
                    polygon_feature(R"({"id":"c","type":"commercial"})", square(116.41, 39.9)),
                    polygon_feature(R"({"id":"d","type":"residential"})", square(116.42, 39.9))}));
    REQUIRE(s.buildings.size() == 4);
    CHECK(s.buildings[0].households == 0.0);
    CHECK(s.buildings[0].dedicated);
    CHECK(s.buildings[1].dedicated);
    CHECK(s.buildings[2].households == 0.0);
    CHECK_FALSE(s.buildings[2].dedicated);
    CHECK(s.buildings[3].households > 0.0);
    CHECK(s.buildings[3].households_estimated);
    const auto& r = test::layer_report(s, "buildings");
    CHECK(r.households == Approx(s.buildings[3].households));
    CHECK(r.households_estimated == 4);
}

TEST_CASE("the input policy refuses URLs, /vsi paths, inline JSON and driver prefixes", "[io]") {
    for (const char* bad : {"http://127.0.0.1:1/x.geojson",
                            "/vsicurl/http://x/y.geojson",
                            "/vsimem/a.geojson",
                            R"({"type":"Point","coordinates":[1,2]})",
                            "[1,2]",
                            "GPKG:/tmp/a.gpkg:layer",
                            "PG:dbname=x"}) {
        CAPTURE(bad);
        const auto e = test::error_of([&] { io::check_input_path(bad); });
        CHECK(e.code() == Errc::io);
    }
    CHECK_THAT(test::error_of([] { io::check_input_path("https://example.org/a.geojson"); }).what(),
               Catch::Matchers::Contains("URL"));
    // Through the configuration as well (the path string is kept as given).
    const auto dir = test::scratch_dir("policy");
    const auto e = test::error_of([&] {
        (void)io::read_scene(io::parse_input_config(
            R"({"inputs":{"buildings":{"path":"/vsimem/x.geojson"}}})", dir));
    });
    CHECK(e.code() == Errc::io);
}

TEST_CASE("configuration: unknown keys and bad values are usage errors naming the key", "[io]") {
    const auto dir = test::scratch_dir("cfg");
    auto e = test::error_of([&] {
        (void)io::parse_input_config(R"({"inputs":{"buildings":{"path":"a.geojson","feilds":{}}}})",
                                     dir);
    });
    CHECK(e.code() == Errc::usage);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("inputs.buildings.feilds"));
    e = test::error_of([&] { (void)io::parse_input_config(R"({"inputs":{},"colour":1})", dir); });
    CHECK_THAT(e.what(), Catch::Matchers::Contains("'colour'"));
    e = test::error_of([&] {
        (void)io::parse_input_config(R"({"inputs":{"buildings":{"path":"a","input_datum":"gcj"}}})",
                                     dir);
    });
    CHECK_THAT(e.what(), Catch::Matchers::Contains("input_datum"));
    e = test::error_of([&] { (void)io::load_input_config(dir / "missing.json"); });
    CHECK(e.code() == Errc::io);
    const auto c = io::parse_input_config(R"({"inputs":{
        "buildings":{"path":"b.geojson","fields":{"households":"HH"},"where":{"building":"*"}},
        "facilities":[{"path":"f.geojson","kind":"warm_station"},{"path":"g.geojson"}]},
        "crs":{"working_epsg":4547},"households":{"default_floors":6},
        "facility_types":{"社区服务站":"service_centre"},"strict":true})",
                                          dir);
    REQUIRE(c.buildings);
    CHECK(c.buildings->path == dir / "b.geojson");
    CHECK(c.buildings->fields.at("households") == "HH");
    CHECK(c.buildings->where.at("building") == std::vector<std::string>{"*"});
    REQUIRE(c.facilities.size() == 2);
    CHECK(c.facilities[0].kind == core::FacilityKind::warm_station);
    CHECK(c.working_epsg == 4547);
    CHECK(c.households.default_floors == 6.0);
    CHECK(c.facility_types.at("社区服务站") == core::FacilityKind::service_centre);
    CHECK(c.facility_types.at("暖心驿站") == core::FacilityKind::warm_station);
    CHECK(c.strict);
}

TEST_CASE("text helpers: numbers as text, OSM hstore", "[io]") {
    CHECK(io::parse_number(" 12 ") == 12.0);
    CHECK(io::parse_number("3.5") == 3.5);
    CHECK_FALSE(io::parse_number("3;4"));
    CHECK_FALSE(io::parse_number("abc"));
    const auto tags =
        io::parse_hstore(R"("building:levels"=>"6","name:en"=>"A \"quoted\" name","foot"=>"no")");
    CHECK(tags.at("building:levels") == "6");
    CHECK(tags.at("name:en") == "A \"quoted\" name");
    CHECK(tags.at("foot") == "no");
}

TEST_CASE("walkability rules for OSM highways and mapped classes", "[io]") {
    using io::RoadTags;
    CHECK(io::osm_walkable({"footway", "", "", ""}));
    CHECK(io::osm_walkable({"residential", "", "", ""}));
    CHECK_FALSE(io::osm_walkable({"motorway", "", "", ""}));
    CHECK_FALSE(io::osm_walkable({"trunk", "", "", ""}));
    CHECK(io::osm_walkable({"trunk", "", "", "both"}));
    CHECK(io::osm_walkable({"trunk", "yes", "", ""}));
    CHECK_FALSE(io::osm_walkable({"service", "", "private", ""}));
    CHECK(io::osm_walkable({"service", "permissive", "private", ""}));
    CHECK_FALSE(io::osm_walkable({"footway", "no", "", ""}));
    CHECK_FALSE(io::osm_walkable({"construction", "", "", ""}));
    const auto classes = io::default_road_classes();
    CHECK(io::mapped_walkable({"主干路", "", "", ""}, classes));
    CHECK_FALSE(io::mapped_walkable({"快速路", "", "", ""}, classes));
    CHECK_FALSE(io::mapped_walkable({"高速公路", "", "", ""}, classes));
}

TEST_CASE(
    "the embedded Monaco sample (OSM PBF, one pass for all roles) reads with the documented counts",
    "[io]") {
    const auto config_file = test::sample_dir() / "monaco.json";
    if (!std::filesystem::exists(config_file)) {
        WARN("data/monaco.json not present");
        return;
    }
    const auto s = io::read_scene(pipeline::load_run_config(config_file).inputs);
    test::check_conserved(s);
    CHECK(s.crs.epsg == 32632);
    CHECK(s.streets.size() == 1);
    CHECK(s.communities.size() == 6);
    CHECK(s.buildings.size() == 1158);  // 1,159 building=* minus way 94452801 (building=no)
    CHECK(s.roads.size() == 1884);
    CHECK(std::count_if(s.roads.begin(), s.roads.end(), [](const core::Road& r) {
              return r.walkable;
          }) == 1797);
    CHECK(s.facilities.size() == 29);
    // siting host sites: amenity post_office 7 + pharmacy 11 + toilets 27, shop supermarket 6 +
    // bakery 6 + kiosk 3 + newsagent 3 (GDAL Python count, data/README.md)
    CHECK(s.candidates.size() == 63);
    CHECK(test::layer_report(s, "candidates").counts.n_in == 45);
    CHECK(std::count_if(s.buildings.begin(), s.buildings.end(), [](const core::Building& b) {
              return b.community.has_value();
          }) == 766);  // way 94452801 (building=no) lay inside a quarter
    CHECK(s.ledger.counts_by_reason().at("hierarchy/building_outside_communities") == 392);
    CHECK(test::layer_report(s, "buildings").driver == "OSM");
    // F10: the 2019 extract is clipped at the border; GDAL drops the relations whose member ways
    // lie outside it (25, as `CPL_DEBUG=OSM ogrinfo -al` reports) and says so only in debug
    // messages. Each role read from the multipolygons layer gets one row with the count.
    for (const char* role : {"buildings", "communities"}) {
        CAPTURE(role);
        CHECK(has_row(s, role, "", "osm_incomplete", core::Action::warned));
    }
    for (const auto& e : s.ledger.entries()) {
        if (e.reason == "osm_incomplete") {
            CHECK_THAT(e.detail, Catch::Matchers::Contains("dropped 25 relation(s)"));
        }
        CHECK_FALSE((e.layer == "roads" && e.reason == "osm_incomplete"));  // no way was dropped
    }
}

TEST_CASE(
    "F10 a clipped OSM extract: what GDAL dropped at the edge is counted in one row per layer",
    "[io]") {
    // Way 301 has only node 3 of its nodes 3, 90, 91 in the file (cut by the extract's edge):
    // GDAL discards it. Relation 400 names way 302, which is not in the file: GDAL drops it.
    const auto dir = test::scratch_dir("f10");
    test::write_text(dir / "clipped.osm", R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <node id="1" lat="39.9000" lon="116.3900"/>
  <node id="2" lat="39.9000" lon="116.3910"/>
  <node id="3" lat="39.9010" lon="116.3910"/>
  <way id="300"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>
  <way id="301"><nd ref="3"/><nd ref="90"/><nd ref="91"/><tag k="highway" v="residential"/></way>
  <relation id="400"><member type="way" ref="302" role="outer"/>
    <tag k="type" v="multipolygon"/><tag k="building" v="yes"/></relation>
</osm>
)");
    const auto s = io::read_scene(io::parse_input_config(
        R"({"inputs":{"roads":{"path":"clipped.osm"},"buildings":{"path":"clipped.osm"}}})", dir));
    CHECK(s.roads.size() == 1);  // way 300 only
    CHECK(has_row(s, "roads", "", "osm_incomplete", Action::warned));
    CHECK(has_row(s, "buildings", "", "osm_incomplete", Action::warned));
    for (const auto& e : s.ledger.entries()) {
        if (e.reason == "osm_incomplete") {
            CAPTURE(e.layer, e.detail);
            CHECK_THAT(
                e.detail,
                Catch::Matchers::Contains(e.layer == "roads" ? "0 relation(s)" : "1 relation(s)"));
            CHECK_THAT(e.detail, Catch::Matchers::Contains("1 way(s)"));
        }
    }
    test::check_conserved(s);
}
