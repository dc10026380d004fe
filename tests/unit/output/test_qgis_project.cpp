// The QGIS project opens ready: zoomed to the data, one coverage set on, the others off in a
// collapsed group, two A3 print layouts with date, data source and attribution (docs/qgis.md).
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "output/schema.hpp"
#include "output/styles.hpp"
#include "output/write.hpp"
#include "output/writers_detail.hpp"
#include "support/areas.hpp"

using namespace gridplan;
namespace fs = std::filesystem;

namespace {

const core::WorkingCrs crs4547{4547, "CGCS2000 / 3-degree Gauss-Kruger CM 114E", "", "test"};

using test::square;

/// Grids at x 531000…531800, y 3852000…3852400; dissolved circles for two kinds at 5 and 15
/// minutes (or `minutes`), one per-facility circle, gaps of the same sets; sites of `sited`.
std::vector<output::Layer> coverage_layers(const std::string& sited, std::vector<int> minutes) {
    auto grids = output::make_layer("grids");
    auto row = output::blank_row(grids);
    output::set_value(grids, row, "code", std::string{"410202001009001"});
    output::set_value(grids, row, "status", std::string{"in_band"});
    grids.add(square(531000, 3852000, 400), row);
    grids.add(square(531400, 3852000, 400), row);

    auto circles = output::make_layer("service_circles");
    auto gaps = output::make_layer("coverage_gaps");
    for (const char* kind : {"service_centre", "warm_station"}) {
        for (const int m : minutes) {
            auto c = output::blank_row(circles);
            output::set_value(circles, c, "fac_id", std::string{"all"});
            output::set_value(circles, c, "kind", std::string{kind});
            output::set_value(circles, c, "minutes", std::int64_t{m});
            output::set_value(circles, c, "profile", std::string{"adult"});
            circles.add(square(531100, 3852100, 100.0 * m), c);
            auto g = output::blank_row(gaps);
            output::set_value(gaps, g, "rank", std::int64_t{1});
            output::set_value(gaps, g, "kind", std::string{kind});
            output::set_value(gaps, g, "minutes", std::int64_t{m});
            gaps.add(square(531700, 3852300, 50), g);
        }
    }
    auto one = output::blank_row(circles);
    output::set_value(circles, one, "fac_id", std::string{"F1"});
    output::set_value(circles, one, "kind", std::string{"warm_station"});
    output::set_value(circles, one, "minutes", std::int64_t{5});
    circles.add(square(531100, 3852100, 50), one);

    auto sites = output::make_layer("proposed_sites");
    if (!sited.empty()) {
        auto s = output::blank_row(sites);
        output::set_value(sites, s, "rank", std::int64_t{1});
        output::set_value(sites, s, "kind", sited);
        sites.add(core::Point{531300, 3852200}, s);
    }
    return {sites, gaps, circles, grids};
}

std::string project(const std::vector<output::Layer>& layers,
                    std::vector<fs::path> inputs = {},
                    const std::string& attribution = {}) {
    return output::detail::qgis_project_xml(crs4547,
                                            layers,
                                            output::detail::ProjectSource::gpkg,
                                            "gridplan",
                                            "测试 test",
                                            inputs,
                                            attribution);
}

double number_in(const std::string& xml, const std::string& tag) {
    const std::regex re{"<" + tag + ">([-0-9.e]+)</" + tag + ">"};
    std::smatch m;
    REQUIRE(std::regex_search(xml, m, re));
    return std::stod(m[1].str());
}

/// The <layer-tree-layer …> element of layer id `id` (empty when absent).
std::string tree_entry(const std::string& xml, const std::string& id) {
    const auto at = xml.find("<layer-tree-layer id=\"" + id + "\"");
    return at == std::string::npos ? std::string{} : xml.substr(at, xml.find("/>", at) - at);
}

}  // namespace

TEST_CASE("the project opens zoomed to the data in the project CRS", "[output][qgis]") {
    const std::string qgs = project(coverage_layers("warm_station", {5, 15}));
    const auto canvas = qgs.find("<mapcanvas");
    REQUIRE(canvas != std::string::npos);
    const std::string c = qgs.substr(canvas, qgs.find("</mapcanvas>") - canvas);
    // Holds every grid (531000…531800, 3852000…3852400) and is not much larger.
    CHECK(number_in(c, "xmin") < 531000);
    CHECK(number_in(c, "xmin") > 530900);
    CHECK(number_in(c, "xmax") > 531800);
    CHECK(number_in(c, "ymin") < 3852000);
    CHECK(number_in(c, "ymax") > 3852400);
    CHECK(number_in(c, "ymax") < 3852500);
    CHECK(c.find("<destinationsrs><spatialrefsys><wkt>PROJCRS[") != std::string::npos);
    CHECK(qgs.find("<DefaultViewExtent xmin=\"") != std::string::npos);
    CHECK(qgs.find("<srs><spatialrefsys><wkt>PROJCRS[") != std::string::npos);
    // GeoJSON sources are WGS 84 (RFC 7946): the layers say so, the project stays in 4547.
    const std::string web = output::detail::qgis_project_xml(crs4547,
                                                             coverage_layers("", {15}),
                                                             output::detail::ProjectSource::geojson,
                                                             "gridplan",
                                                             "t",
                                                             {},
                                                             {});
    CHECK(web.find("<srs><spatialrefsys><wkt>GEOGCRS[") != std::string::npos);
    CHECK(web.find("<authid>EPSG:4326</authid>") != std::string::npos);
    CHECK(web.find("<projectCrs>\n    <spatialrefsys><wkt>PROJCRS[") != std::string::npos);
    // Grids is the top group.
    CHECK(qgs.find("<layer-tree-group name=\"Grids\"") <
          qgs.find("<layer-tree-group name=\"Coverage\""));
}

TEST_CASE("only the siting kind's 15-minute set is on, the others wait in a closed group",
          "[output][qgis]") {
    const std::string qgs = project(coverage_layers("warm_station", {5, 15}));
    const std::string on = tree_entry(qgs, "gridplan_service_circles_warm_station_15_adult");
    REQUIRE_FALSE(on.empty());
    CHECK(on.find("checked=\"Qt::Checked\"") != std::string::npos);
    CHECK(on.find("|subset=&quot;fac_id&quot; = &apos;all&apos; AND &quot;kind&quot; = "
                  "&apos;warm_station&apos; AND &quot;minutes&quot; = 15") != std::string::npos);
    CHECK(tree_entry(qgs, "gridplan_coverage_gaps_warm_station_15").find("Qt::Checked") !=
          std::string::npos);
    for (const char* off : {"gridplan_service_circles_warm_station_5_adult",
                            "gridplan_service_circles_service_centre_15_adult",
                            "gridplan_service_circles_per_facility",
                            "gridplan_coverage_gaps_service_centre_15"}) {
        INFO(off);
        CHECK(tree_entry(qgs, off).find("checked=\"Qt::Unchecked\"") != std::string::npos);
    }
    // The others sit in a sub-group that is collapsed and off, after the focus set.
    const auto others = qgs.find(
        "<layer-tree-group name=\"其他类型与时限 other kinds and times\" "
        "checked=\"Qt::Unchecked\" expanded=\"0\">");
    REQUIRE(others != std::string::npos);
    CHECK(qgs.find("gridplan_service_circles_warm_station_5_adult") > others);
    CHECK(qgs.find("<layer-tree-layer id=\"gridplan_service_circles_warm_station_15_adult\"") <
          others);
    // One <maplayer> per view; the unfiltered layer itself is not in the project twice.
    CHECK(qgs.find("<id>gridplan_service_circles</id>") == std::string::npos);
}

TEST_CASE("without sites the first kind is shown, at its longest time when 15 is not there",
          "[output][qgis]") {
    const std::string qgs = project(coverage_layers("", {5, 10}));
    CHECK(tree_entry(qgs, "gridplan_service_circles_service_centre_10_adult").find("Qt::Checked") !=
          std::string::npos);
    CHECK(
        tree_entry(qgs, "gridplan_service_circles_service_centre_5_adult").find("Qt::Unchecked") !=
        std::string::npos);
}

TEST_CASE("two A3 landscape layouts with date, data source and attribution", "[output][qgis]") {
    const auto layers = coverage_layers("warm_station", {5, 15});
    const std::string osm = project(layers, {"/data/city.osm.pbf", "/data/streets.geojson"});
    CHECK(osm.find("<Layout name=\"网格 grids (A3)\"") != std::string::npos);
    CHECK(osm.find("<Layout name=\"覆盖 coverage (A3)\"") != std::string::npos);
    CHECK(osm.find("size=\"420,297,mm\"") != std::string::npos);
    for (const char* item : {"type=\"65639\"",
                             "type=\"65642\"",
                             "type=\"65646\"",
                             "type=\"65640\"",
                             "type=\"65641\""}) {
        INFO(item);
        CHECK(osm.find(item) != std::string::npos);
    }
    CHECK(osm.find("format_date(now(), &apos;yyyy-MM-dd&apos;)") != std::string::npos);
    CHECK(osm.find("city.osm.pbf, streets.geojson") != std::string::npos);
    CHECK(osm.find("© OpenStreetMap contributors") != std::string::npos);
    CHECK(osm.find("Noto Sans CJK SC,") != std::string::npos);

    const std::string own = project(layers, {"/data/楼栋.shp"}, "© 某区规划局");
    CHECK(own.find("© 某区规划局") != std::string::npos);
    CHECK(own.find("OpenStreetMap") == std::string::npos);
    CHECK(project(layers, {"/data/楼栋.shp"}).find("OpenStreetMap") == std::string::npos);
    // Many inputs: four names, then the count (the footer is one line).
    const std::string many =
        project(layers, {"a.shp", "b.shp", "c.shp", "d.shp", "e.shp", "a.shp"});
    CHECK(many.find("a.shp, b.shp, c.shp, d.shp 等 5 个文件 (5 files)") != std::string::npos);
}

TEST_CASE("every label names a CJK font family with fallbacks", "[output][qgis][styles]") {
    for (const auto& style : output::embedded_styles()) {
        const std::string text{style.text};
        if (!style.file_name.ends_with(".qml") || text.find("<text-style") == std::string::npos) {
            continue;
        }
        INFO(style.file_name);
        CHECK(text.find("<text-style fontFamily=\"Noto Sans CJK SC\"") != std::string::npos);
        CHECK(text.find("<family name=\"WenQuanYi Micro Hei\"/>") != std::string::npos);
        CHECK(text.find("<family name=\"Microsoft YaHei\"/>") != std::string::npos);
    }
}
