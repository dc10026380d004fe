// The report page's data (docs/report.md): every layer in WGS 84 lon/lat at 6 decimals, values
// typed, the size policy, and a data slot that no text in the data can break out of.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "output/report_page.hpp"
#include "output/schema.hpp"
#include "support/areas.hpp"

using namespace gridplan;
using test::square;
using Json = nlohmann::json;

namespace {

// Kaifeng, CGCS2000 3-degree Gauss-Krüger CM 114E.
const core::WorkingCrs crs4547{4547, "CGCS2000 / 3-degree Gauss-Kruger CM 114E", "", "test"};

output::Layer two_grids() {
    auto grids = output::make_layer("grids");
    auto row = output::blank_row(grids);
    output::set_value(grids, row, "code", std::string{"410202001009001"});
    output::set_value(grids, row, "comm_name", std::string{"南京巷社区 </script><!--"});
    output::set_value(grids, row, "households", std::int64_t{412});
    output::set_value(grids, row, "deviation", std::numeric_limits<double>::quiet_NaN());
    grids.add(square(531000, 3852000, 400), row);
    output::set_value(grids, row, "code", std::string{"410202001009002"});
    output::set_value(grids, row, "deviation", 3.25);
    grids.add(square(531400, 3852000, 400), row);
    return grids;
}

output::Layer one_building() {
    auto buildings = output::make_layer("buildings");
    auto row = output::blank_row(buildings);
    output::set_value(buildings, row, "id", std::string{"w1"});
    buildings.add(square(531100, 3852100, 20), row);
    return buildings;
}

Json data_of(const std::vector<output::Layer>& layers, output::ReportPage page = {}) {
    page.command = "run";
    return Json::parse(output::report_data_json(crs4547,
                                                layers,
                                                page,
                                                "gridplan 网格化管理",
                                                "© OpenStreetMap contributors",
                                                output::Language::zh));
}

const Json& layer_named(const Json& data, const std::string& name) {
    for (const Json& layer : data["layers"]) {
        if (layer["name"] == name) {
            return layer;
        }
    }
    FAIL("no layer " << name);
    return data;
}

}  // namespace

TEST_CASE("report data: every layer in WGS 84 lon/lat rounded to 6 decimals") {
    const Json data = data_of({two_grids()});
    CHECK(data["format"] == "gridplan-report/1");
    CHECK(data["lang"] == "zh");
    CHECK(data["crs"] == "EPSG:4547");
    const Json& grids = layer_named(data, "grids");
    CHECK(grids["geometry"] == "polygon");
    CHECK(grids["count"] == 2);
    REQUIRE(grids["features"].size() == 2);
    const Json& geometry = grids["features"][0]["geometry"];
    CHECK(geometry["type"] == "MultiPolygon");
    const Json& ring = geometry["coordinates"][0][0];
    REQUIRE(ring.size() == 5);
    for (const Json& point : ring) {
        const double lon = point[0];
        const double lat = point[1];
        CHECK(lon > 114.3);  // 31 km east of CM 114E at 34.8N
        CHECK(lon < 114.4);
        CHECK(lat > 34.7);
        CHECK(lat < 34.9);
        CHECK(std::abs(lon * 1e6 - std::round(lon * 1e6)) < 1e-3);
    }
}

TEST_CASE("report data: fields carry both aliases, values keep their types, NaN becomes null") {
    const Json data = data_of({two_grids()});
    const Json& grids = layer_named(data, "grids");
    bool found = false;
    for (const Json& field : grids["fields"]) {
        if (field["name"] == "households") {
            found = true;
            CHECK(field["type"] == "integer");
            CHECK(field["zh"] == "户数");
            CHECK(field["en"] == "households");
        }
    }
    CHECK(found);
    const Json& first = grids["features"][0]["properties"];
    CHECK(first["households"].is_number_integer());
    CHECK(first["households"] == 412);
    CHECK(first["deviation"].is_null());
    CHECK(grids["features"][1]["properties"]["deviation"] == 3.25);
    CHECK(first["code"] == "410202001009001");
}

TEST_CASE("report data: above the vertex budget buildings are left out, with a note") {
    output::ReportPage page;
    page.max_vertices = 12;  // the two grids (10 points) fit, the building (5 more) does not
    const Json data = data_of({two_grids(), one_building()}, page);
    const Json& buildings = layer_named(data, "buildings");
    CHECK(buildings["omitted"] == true);
    CHECK(buildings["count"] == 1);
    CHECK(buildings["features"].empty());
    CHECK(layer_named(data, "grids")["features"].size() == 2);
    REQUIRE(data["notes"].size() == 1);
    CHECK(data["notes"][0]["en"].get<std::string>().find("Building footprints") == 0);

    const Json all = data_of({two_grids(), one_building()});  // default budget
    CHECK(layer_named(all, "buildings")["features"].size() == 1);
    CHECK(all["notes"].empty());
}

TEST_CASE("report page: the data fills the one slot, and no text in it can end the script") {
    const std::string json = output::report_data_json(
        crs4547, std::vector{two_grids()}, {}, "t", "", output::Language::en);
    const std::string html = output::report_html(json);
    const std::string_view page = output::report_template();
    const auto slot = page.find("__GRIDPLAN_REPORT_DATA__");
    REQUIRE(slot != std::string_view::npos);
    CHECK(html.compare(0, slot, page.substr(0, slot)) == 0);
    CHECK(html.find("__GRIDPLAN_REPORT_DATA__") == std::string::npos);
    CHECK(html.find("</script><!--") == std::string::npos);
    // What the page reads back is the data as written.
    const std::string tail{page.substr(slot + 24)};
    const std::string inlined = html.substr(slot, html.size() - slot - tail.size());
    CHECK(Json::parse(inlined) == Json::parse(json));
}
