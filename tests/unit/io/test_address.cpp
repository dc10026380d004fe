// Addresses of sites (issue 15 item 6): OSM addr:* tags composed in Chinese order, and the
// `address` field role of file inputs.
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "io/text.hpp"
#include "test_io_support.hpp"

using namespace gridplan;

namespace {

using Tags = std::map<std::string, std::string>;

}  // namespace

TEST_CASE("osm_address composes addr:* tags from province down to the house number",
          "[io][address]") {
    CHECK(io::osm_address({{"addr:province", "湖北省"},
                           {"addr:city", "武汉市"},
                           {"addr:district", "洪山区"},
                           {"addr:street", "珞喻路"},
                           {"addr:housenumber", "1037"}}) == "湖北省武汉市洪山区珞喻路1037号");
    // Order comes from the rule, not from the tags (a std::map sorts them by key).
    CHECK(io::osm_address({{"addr:housenumber", "10号"},
                           {"addr:street", "西土城路"},
                           {"addr:district", "海淀区"}}) == "海淀区西土城路10号");
}

TEST_CASE("osm_address: a municipality named twice is written once, missing parts are skipped",
          "[io][address]") {
    CHECK(io::osm_address({{"addr:province", "北京市"},
                           {"addr:city", "北京市"},
                           {"addr:district", "海淀区"},
                           {"addr:street", "新街口外大街"},
                           {"addr:housenumber", "19"}}) == "北京市海淀区新街口外大街19号");
    CHECK(io::osm_address({{"addr:city", "北京市"}, {"addr:street", "学院路"}}) == "北京市学院路");
    CHECK(io::osm_address({{"addr:street", "学院路"}}) == "学院路");
    CHECK(io::osm_address({{"addr:place", "北太平庄"}, {"addr:housenumber", "3-2"}}) ==
          "北太平庄3-2号");
    CHECK(io::osm_address({{"addr:street", "  学院路 "}, {"addr:housenumber", " 37 "}}) ==
          "学院路37号");
}

TEST_CASE("osm_address: addr:full wins, the address tag is the last resort, a bare number is none",
          "[io][address]") {
    CHECK(io::osm_address({{"addr:full", "海淀区学院路37号院"}, {"addr:street", "学院路"}}) ==
          "海淀区学院路37号院");
    CHECK(io::osm_address({{"address", "蓟门桥南"}}) == "蓟门桥南");
    CHECK(io::osm_address({{"address", "蓟门桥南"}, {"addr:street", "学院路"}}) == "学院路");
    CHECK(io::osm_address({{"addr:housenumber", "25"}}).empty());  // 25 of which street?
    CHECK(io::osm_address({{"addr:housenumber", "北邮10号楼"}}) == "北邮10号楼");
    CHECK(io::osm_address({{"addr:country", "CN"}, {"addr:postcode", "100876"}}).empty());
    CHECK(io::osm_address(Tags{}).empty());
}

TEST_CASE("osm_address: Latin-script parts keep a space between them and get no 号",
          "[io][address]") {
    CHECK(io::osm_address({{"addr:street", "Avenue Albert II"}, {"addr:housenumber", "25"}}) ==
          "Avenue Albert II 25");
    CHECK(io::osm_address({{"addr:city", "Monaco"}, {"addr:street", "Rue Grimaldi"}}) ==
          "Monaco Rue Grimaldi");
    CHECK(io::osm_address({{"addr:city", "北京市"}, {"addr:street", "Zhongguancun St"}}) ==
          "北京市Zhongguancun St");
}

TEST_CASE("OSM candidates, facilities and buildings carry their composed address",
          "[io][address]") {
    const auto dir = test::scratch_dir("osm_address");
    test::write_text(dir / "addr.osm", R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <node id="1" lat="39.9000" lon="116.3900"/>
  <node id="2" lat="39.9000" lon="116.3903"/>
  <node id="3" lat="39.9003" lon="116.3903"/>
  <node id="4" lat="39.9003" lon="116.3900"/>
  <node id="10" lat="39.9001" lon="116.3901"><tag k="amenity" v="pharmacy"/><tag k="name" v="金象大药房"/>
    <tag k="addr:district" v="海淀区"/><tag k="addr:street" v="学院路"/><tag k="addr:housenumber" v="37"/></node>
  <node id="11" lat="39.9002" lon="116.3902"><tag k="amenity" v="pharmacy"/></node>
  <node id="12" lat="39.9002" lon="116.3901"><tag k="amenity" v="community_centre"/><tag k="name" v="北太平庄社区服务中心"/>
    <tag k="addr:full" v="北京市海淀区北太平庄路1号"/></node>
  <way id="100"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
    <tag k="building" v="retail"/><tag k="addr:street" v="西土城路"/><tag k="addr:housenumber" v="10"/></way>
</osm>
)");
    const auto s = io::read_scene(io::parse_input_config(R"({"inputs":{
        "buildings":{"path":"addr.osm"},
        "facilities":{"path":"addr.osm","where":{"amenity":"community_centre"}},
        "candidates":{"path":"addr.osm","where":{"amenity":"pharmacy"}}}})",
                                                         dir));
    REQUIRE(s.candidates.size() == 2);
    CHECK(s.candidates[0].name == "金象大药房");
    CHECK(s.candidates[0].type == "pharmacy");
    CHECK(s.candidates[0].address == "海淀区学院路37号");
    CHECK(s.candidates[1].name.empty());  // no name tag: the type is not a name
    CHECK(s.candidates[1].address.empty());
    REQUIRE(s.facilities.size() == 1);
    CHECK(s.facilities[0].address == "北京市海淀区北太平庄路1号");
    REQUIRE(s.buildings.size() == 1);
    CHECK(s.buildings[0].address == "西土城路10号");
    CHECK(test::layer_report(s, "candidates").fields_used.at("address") == "addr:*");
}

TEST_CASE("file inputs: the address field role, configured or found by name", "[io][address]") {
    const auto point = [](const std::string& props) {
        return R"({"type":"Feature","properties":)" + props +
               R"(,"geometry":{"type":"Point","coordinates":[116.39,39.90]}})";
    };
    const auto found = test::read_one(
        "address_auto",
        "candidates",
        test::collection({point(R"({"id":"k1","名称":"便利店","地址":"学院路37号"})")}));
    REQUIRE(found.candidates.size() == 1);
    CHECK(found.candidates[0].address == "学院路37号");
    CHECK(test::layer_report(found, "candidates").fields_used.at("address") == "地址");

    const auto configured = test::read_one(
        "address_cfg",
        "facilities",
        test::collection(
            {point(R"({"id":"f1","type":"党群服务中心","DZ":"北太平庄路1号","地址":"旧址"})")}),
        R"(,"fields":{"address":"DZ"})");
    REQUIRE(configured.facilities.size() == 1);
    CHECK(configured.facilities[0].address == "北太平庄路1号");
}

TEST_CASE("config: 'address' is a field role, an unknown role is still refused", "[io][address]") {
    const auto dir = test::scratch_dir("address_config");
    CHECK_NOTHROW(io::parse_input_config(
        R"({"inputs":{"candidates":{"path":"c.geojson","fields":{"address":"ADDR"}}}})", dir));
    CHECK_THROWS_WITH(
        io::parse_input_config(
            R"({"inputs":{"candidates":{"path":"c.geojson","fields":{"adress":"ADDR"}}}})", dir),
        Catch::Contains("unknown field role 'inputs.candidates.fields.adress'"));
}
