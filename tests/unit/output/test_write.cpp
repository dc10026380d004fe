// Writers: formats, safety (no overwrite, no input clobbering, temp dir), determinism.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "output/schema.hpp"
#include "output/write.hpp"
#include "output/writers_detail.hpp"
#include "support/areas.hpp"
#include "support/paths.hpp"

using namespace gridplan;
namespace fs = std::filesystem;

namespace {

const core::WorkingCrs crs4547{4547, "CGCS2000 / 3-degree Gauss-Kruger CM 114E", "", "test"};

using test::square;

std::string long_chinese(std::size_t chars) {
    std::string out;
    for (std::size_t i = 0; i < chars; ++i) {
        out += "网";  // 3 bytes
    }
    return out;
}

std::vector<output::Layer> small_layers() {
    using V = output::Value;
    auto grids = output::make_layer("grids");
    auto row = output::blank_row(grids);
    output::set_value(grids, row, "code", std::string{"410202001009001"});
    output::set_value(grids, row, "comm_name", std::string{"南京巷社区"});
    output::set_value(grids, row, "households", std::int64_t{412});
    output::set_value(grids, row, "buildings", std::int64_t{7});
    output::set_value(grids, row, "deviation", 3.0);
    grids.add(square(531000, 3852000, 400), row);
    output::set_value(grids, row, "code", std::string{"410202001009002"});
    grids.add(square(531400, 3852000, 400), row);

    auto facilities = output::make_layer("facilities");
    facilities.add(core::Point{531200, 3852200},
                   {V{std::string{"F1"}},
                    V{std::string{"暖心驿站, \"北门\""}},
                    V{std::string{"warm_station"}},
                    V{},
                    V{std::string{"410202001009"}},
                    V{std::string{"南京巷社区"}},
                    V{std::string{"410202001009001"}},
                    V{20.0},
                    V{std::int64_t{1}},
                    V{3.5}});

    auto stats = output::make_layer("coverage_stats");
    auto srow = output::blank_row(stats);
    output::set_value(stats, srow, "level", std::string{"community"});
    output::set_value(stats, srow, "name", std::string{"南京巷社区"});
    output::set_value(stats, srow, "pop_pct", 87.5);
    stats.add({}, srow);

    core::Ledger ledger;
    ledger.add(
        {"buildings", "B1", "self_intersection", core::Action::repaired, "fixed", 531100, 3852100});
    ledger.add({"hierarchy", "C9", "missing_code", core::Action::warned, long_chinese(100)});
    return {grids, facilities, stats, output::ledger_layer(ledger)};
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<fs::path> tree(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        out.push_back(fs::relative(entry.path(), dir));
    }
    std::sort(out.begin(), out.end());
    return out;
}

GDALDatasetUniquePtr open_vector(const fs::path& path) {
    GDALAllRegister();
    return GDALDatasetUniquePtr(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
}

core::Errc code_of(const std::function<void()>& fn, std::string* message = nullptr) {
    try {
        fn();
    } catch (const core::Error& e) {
        if (message != nullptr) {
            *message = e.what();
        }
        return e.code();
    }
    return core::Errc{};
}

}  // namespace

TEST_CASE("write_layers writes every format and the same input gives the same bytes",
          "[output][write]") {
    const auto layers = small_layers();
    const fs::path a = test::scratch_dir("output_det_a");
    const fs::path b = test::scratch_dir("output_det_b");
    // One thread, then Shapefiles beside GeoJSON and GeoJSON geometries on three workers.
    const auto written = output::write_layers(crs4547, layers, {.dir = a, .threads = 1});
    const auto written_b = output::write_layers(crs4547, layers, {.dir = b, .threads = 3});

    const auto files = tree(a);
    REQUIRE(files == tree(b));
    for (const char* expected : {"gridplan.gpkg",
                                 "gridplan.qgs",
                                 "shp/grids.shp",
                                 "shp/grids.shx",
                                 "shp/grids.dbf",
                                 "shp/grids.prj",
                                 "shp/grids.cpg",
                                 "shp/grids.qml",
                                 "shp/coverage_stats.dbf",
                                 "geojson/grids.geojson",
                                 "geojson/coverage_stats.geojson",
                                 "csv/coverage_stats.csv",
                                 "csv/ledger.csv"}) {
        INFO(expected);
        CHECK(std::find(files.begin(), files.end(), fs::path{expected}) != files.end());
    }
    CHECK(std::find(files.begin(), files.end(), fs::path{"shp/coverage_stats.shp"}) == files.end());
    for (const fs::path& file : files) {
        INFO(file.string());
        CHECK(file.string().find(".gridplan-") == std::string::npos);
        if (fs::is_regular_file(a / file)) {
            CHECK(read_file(a / file) == read_file(b / file));
        }
    }
    CHECK(written.files.size() == static_cast<std::size_t>(std::count_if(
                                      files.begin(), files.end(), [&](const fs::path& f) {
                                          return fs::is_regular_file(a / f);
                                      })));
    // The ledger's 300-byte detail was cut for the DBF, with a warning naming the final file.
    REQUIRE(written.warnings.size() == 1);
    CHECK(written.warnings[0].find((a / "shp" / "ledger.shp").string()) != std::string::npos);
    CHECK(written.warnings[0].find("'detail'") != std::string::npos);
    REQUIRE(written_b.warnings.size() == 1);
}

TEST_CASE("the GeoPackage holds every layer in the working CRS with QGIS default styles",
          "[output][write]") {
    const fs::path dir = test::scratch_dir("output_gpkg");
    (void)output::write_layers(
        crs4547, small_layers(), {.dir = dir, .shapefile = false, .geojson = false});
    auto ds = open_vector(dir / "gridplan.gpkg");
    REQUIRE(ds != nullptr);
    OGRLayer* grids = ds->GetLayerByName("grids");
    REQUIRE(grids != nullptr);
    CHECK(grids->GetFeatureCount() == 2);
    CHECK(wkbFlatten(grids->GetGeomType()) == wkbMultiPolygon);
    CHECK(std::string{grids->GetGeometryColumn()} == "geom");
    REQUIRE(grids->GetSpatialRef() != nullptr);
    CHECK(std::string{grids->GetSpatialRef()->GetAuthorityCode(nullptr)} == "4547");
    OGRFeatureUniquePtr first(grids->GetFeature(1));
    REQUIRE(first != nullptr);
    CHECK(std::string{first->GetFieldAsString("comm_name")} == "南京巷社区");
    CHECK(first->GetFieldAsInteger64("households") == 412);
    CHECK(first->IsFieldNull(first->GetFieldIndex("population")));
    CHECK(wkbFlatten(ds->GetLayerByName("coverage_stats")->GetGeomType()) == wkbNone);

    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    REQUIRE(styles != nullptr);
    CHECK(styles->GetFeatureCount() == 4);
    styles->SetAttributeFilter("f_table_name = 'grids'");
    OGRFeatureUniquePtr style(styles->GetNextFeature());
    REQUIRE(style != nullptr);
    CHECK_FALSE(style->IsFieldNull(style->GetFieldIndex("f_table_schema")));
    CHECK(std::string{style->GetFieldAsString("f_table_schema")}.empty());
    CHECK(std::string{style->GetFieldAsString("f_table_catalog")}.empty());
    CHECK(std::string{style->GetFieldAsString("f_geometry_column")} == "geom");
    CHECK(style->GetFieldAsInteger("useAsDefault") == 1);
    CHECK(std::string{style->GetFieldAsString("styleQML")}.find("categorizedSymbol") !=
          std::string::npos);
    CHECK(std::string{style->GetFieldAsString("styleSLD")}.find("StyledLayerDescriptor") !=
          std::string::npos);

    OGRLayer* contents = ds->ExecuteSQL(
        "SELECT data_type, last_change FROM gpkg_contents WHERE table_name = 'layer_styles'",
        nullptr,
        nullptr);
    REQUIRE(contents != nullptr);
    OGRFeatureUniquePtr registered(contents->GetNextFeature());
    REQUIRE(registered != nullptr);
    CHECK(std::string{registered->GetFieldAsString(0)} == "attributes");
    CHECK(std::string{registered->GetFieldAsString(1)}.rfind("2000/01/01", 0) == 0);
    registered.reset();
    ds->ReleaseResultSet(contents);
}

TEST_CASE("Shapefiles are UTF-8 with .cpg, .prj, QML aliases and strings cut on a character",
          "[output][write]") {
    const fs::path dir = test::scratch_dir("output_shp");
    (void)output::write_layers(
        crs4547,
        small_layers(),
        {.dir = dir, .gpkg = false, .geojson = false, .qgis_project = false});
    CHECK(read_file(dir / "shp" / "grids.cpg") == "UTF-8");
    CHECK(read_file(dir / "shp" / "grids.prj").find("CGCS2000_3_Degree_GK_CM_114E") !=
          std::string::npos);
    CHECK(read_file(dir / "shp" / "grids.qml").find("name=\"户数 households\"") !=
          std::string::npos);
    // DBF header: last update pinned to 2000-01-01 (YY-1900, MM, DD at bytes 1..3).
    const std::string dbf = read_file(dir / "shp" / "grids.dbf");
    REQUIRE(dbf.size() > 4);
    CHECK(static_cast<int>(dbf[1]) == 100);
    CHECK(static_cast<int>(dbf[2]) == 1);
    CHECK(static_cast<int>(dbf[3]) == 1);

    auto ds = open_vector(dir / "shp" / "ledger.shp");
    REQUIRE(ds != nullptr);
    OGRLayer* ledger = ds->GetLayer(0);
    CHECK(ledger->GetFeatureCount() == 2);
    OGRFeatureUniquePtr second(ledger->GetFeature(1));
    REQUIRE(second != nullptr);
    const std::string detail = second->GetFieldAsString("detail");
    CHECK(detail == long_chinese(84));  // 84 * 3 = 252 bytes <= 254
    CHECK(second->GetGeometryRef() == nullptr);
    auto facilities = open_vector(dir / "shp" / "facilities.shp");
    OGRFeatureUniquePtr f(facilities->GetLayer(0)->GetFeature(0));
    CHECK(std::string{f->GetFieldAsString("name")} == "暖心驿站, \"北门\"");
}

TEST_CASE("regress_16_shapefile_area_false_alarm: city-wide areas are written without a warning",
          "[output][write]") {
    // A dissolved circle over a whole city: 10 integer digits do not fit N(24,15); the field
    // gets fewer decimals instead of the driver cutting the value and warning.
    auto circles = output::make_layer("service_circles");
    auto row = output::blank_row(circles);
    const double city_m2 = 1234567890.123456;
    const double block_m2 = 5123.4567890123;
    output::set_value(circles, row, "area_m2", city_m2);
    circles.add(square(531000, 3852000, 400), row);
    output::set_value(circles, row, "area_m2", block_m2);
    circles.add(square(531400, 3852000, 400), row);
    const fs::path dir = test::scratch_dir("output_shp_city_area");
    const auto written = output::write_layers(
        crs4547,
        std::vector<output::Layer>{circles},
        {.dir = dir, .gpkg = false, .geojson = false, .csv = false, .qgis_project = false});
    for (const auto& warning : written.warnings) {
        CHECK(warning.find("not successfully written") == std::string::npos);
    }
    auto ds = open_vector(dir / "shp" / "service_circles.shp");
    REQUIRE(ds != nullptr);
    OGRLayer* layer = ds->GetLayer(0);
    const OGRFieldDefn* field =
        layer->GetLayerDefn()->GetFieldDefn(layer->GetLayerDefn()->GetFieldIndex("area_m2"));
    CHECK(field->GetWidth() == 24);
    CHECK(field->GetPrecision() == 13);  // 10 digits, the point, 13 decimals
    OGRFeatureUniquePtr first(layer->GetFeature(0));
    OGRFeatureUniquePtr second(layer->GetFeature(1));
    CHECK(first->GetFieldAsDouble("area_m2") == Approx(city_m2).epsilon(1e-15));
    CHECK(second->GetFieldAsDouble("area_m2") == Approx(block_m2).epsilon(1e-15));
}

TEST_CASE("GeoJSON is RFC 7946: WGS 84, no crs member, 7 decimals, explicit ids",
          "[output][write]") {
    const fs::path dir = test::scratch_dir("output_geojson");
    (void)output::write_layers(
        crs4547,
        small_layers(),
        {.dir = dir, .gpkg = false, .shapefile = false, .csv = false, .qgis_project = false});
    const std::string text = read_file(dir / "geojson" / "grids.geojson");
    CHECK(text.find("\"crs\"") == std::string::npos);
    CHECK(text.find("\"id\": 1") != std::string::npos);
    CHECK(text.find("114.3") != std::string::npos);  // longitude, not easting
    CHECK(text.find("531000") == std::string::npos);
    auto ds = open_vector(dir / "geojson" / "grids.geojson");
    REQUIRE(ds != nullptr);
    OGRFeatureUniquePtr feature(ds->GetLayer(0)->GetNextFeature());
    REQUIRE(feature != nullptr);
    OGREnvelope box;
    feature->GetGeometryRef()->getEnvelope(&box);
    CHECK(box.MinX > 114.0);
    CHECK(box.MaxX < 115.0);
    CHECK(box.MinY > 34.0);
    CHECK(box.MaxY < 35.5);
    CHECK_FALSE(fs::exists(dir / "csv"));
}

namespace {

/// Twice the signed area of a GeoJSON ring, exact: the 7-decimal coordinates as integers of
/// 1e-7 degree relative to the first vertex (products < 2^63 for rings under 10 degrees).
/// > 0: counter-clockwise.
std::int64_t signed_area2_exact(const nlohmann::json& ring) {
    const auto fixed = [](const nlohmann::json& v) {
        return static_cast<std::int64_t>(std::llround(v.get<double>() * 1e7));
    };
    const std::int64_t x0 = fixed(ring[0][0]);
    const std::int64_t y0 = fixed(ring[0][1]);
    std::int64_t sum = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        sum += (fixed(ring[i][0]) - x0) * (fixed(ring[i + 1][1]) - y0) -
               (fixed(ring[i + 1][0]) - x0) * (fixed(ring[i][1]) - y0);
    }
    return sum;
}

/// Every polygon ring of a GeoJSON file: {exterior rings wound counter-clockwise, holes wound
/// clockwise, rings}.
std::array<std::size_t, 3> ring_winding(const fs::path& file) {
    const auto json = nlohmann::json::parse(read_file(file));
    std::array<std::size_t, 3> out{};
    for (const auto& feature : json.at("features")) {
        const auto& geometry = feature.at("geometry");
        if (geometry.is_null()) {
            continue;
        }
        std::vector<nlohmann::json> polygons;
        if (geometry.at("type") == "Polygon") {
            polygons.push_back(geometry.at("coordinates"));
        } else if (geometry.at("type") == "MultiPolygon") {
            for (const auto& polygon : geometry.at("coordinates")) {
                polygons.push_back(polygon);
            }
        }
        for (const auto& polygon : polygons) {
            for (std::size_t k = 0; k < polygon.size(); ++k) {
                const auto a = signed_area2_exact(polygon[k]);
                out[0] += (k == 0 && a > 0) ? 1 : 0;
                out[1] += (k > 0 && a < 0) ? 1 : 0;
                ++out[2];
            }
        }
    }
    return out;
}

core::Ring ring_of(std::vector<core::Point> points) {
    core::Ring ring;
    ring.assign(points.begin(), points.end());
    return ring;
}

}  // namespace

TEST_CASE("GeoJSON rings read back counter-clockwise outside and clockwise in holes",
          "[output][write]") {
    // Rings given both ways round (the writer must not trust the input's winding), a hole in
    // each, a thin part, and a ring with a collinear run.
    const double x = 531000;
    const double y = 3852000;
    core::Polygon cw;  // exterior clockwise, hole counter-clockwise
    cw.outer() = ring_of({{x, y}, {x, y + 100}, {x + 100, y + 100}, {x + 100, y}, {x, y}});
    cw.inners().push_back(ring_of({{x + 10, y + 10},
                                   {x + 20, y + 10},
                                   {x + 20, y + 20},
                                   {x + 10, y + 20},
                                   {x + 10, y + 10}}));
    core::Polygon ccw;  // exterior counter-clockwise, hole clockwise
    ccw.outer() =
        ring_of({{x + 200, y}, {x + 300, y}, {x + 300, y + 100}, {x + 200, y + 100}, {x + 200, y}});
    ccw.inners().push_back(ring_of({{x + 210, y + 10},
                                    {x + 210, y + 20},
                                    {x + 220, y + 20},
                                    {x + 220, y + 10},
                                    {x + 210, y + 10}}));
    core::Polygon thin;  // 50 m x 0.2 m, clockwise
    thin.outer() = ring_of(
        {{x, y + 200}, {x, y + 200.2}, {x + 50, y + 200.2}, {x + 50, y + 200}, {x, y + 200}});
    core::Polygon collinear;  // counter-clockwise with three points on its bottom edge
    collinear.outer() = ring_of({{x + 400, y},
                                 {x + 410, y},
                                 {x + 420, y},
                                 {x + 430, y},
                                 {x + 430, y + 30},
                                 {x + 400, y + 30},
                                 {x + 400, y}});
    auto layer = output::make_layer("service_circles");
    auto row = output::blank_row(layer);
    layer.add(core::MultiPolygon{cw, ccw}, row);
    layer.add(core::MultiPolygon{thin}, row);
    layer.add(core::MultiPolygon{collinear}, row);
    const fs::path dir = test::scratch_dir("output_geojson_winding");
    (void)output::write_layers(
        crs4547,
        std::vector<output::Layer>{layer},
        {.dir = dir, .gpkg = false, .shapefile = false, .csv = false, .qgis_project = false});
    const auto [outer_ok, holes_ok, rings] =
        ring_winding(dir / "geojson" / "service_circles.geojson");
    CHECK(rings == 6);
    CHECK(outer_ok + holes_ok == rings);
    CHECK(holes_ok == 2);
}

TEST_CASE("GeoJSON polygons that rounding to 7 decimals breaks are snap-rounded, valid and whole",
          "[output][write]") {
    // Two squares 0.1 mm apart (rounded to about 1 cm their facing edges coincide: the
    // MultiPolygon is invalid) and a square with a slit-like hole 0.2 mm wide (rounded, the hole
    // collapses to a line). Each is repaired to a valid geometry of about the same area (no part
    // lost, no hole filled that was more than a slit); a third feature, squares 1 m apart, is
    // left as it is.
    const double x = 531000.3;
    const double y = 3852000.7;
    const auto square = [](double x0, double y0, double side) {
        core::Polygon p;
        p.outer() =
            ring_of({{x0, y0}, {x0, y0 + side}, {x0 + side, y0 + side}, {x0 + side, y0}, {x0, y0}});
        return p;
    };
    core::Polygon holed = square(x, y + 100, 20);
    holed.inners().push_back(ring_of({{x + 5, y + 105},
                                      {x + 5.0002, y + 105},
                                      {x + 5.0002, y + 115},
                                      {x + 5, y + 115},
                                      {x + 5, y + 105}}));
    auto layer = output::make_layer("service_circles");
    auto row = output::blank_row(layer);
    layer.add(core::MultiPolygon{square(x, y, 10), square(x + 10.0001, y, 10)}, row);
    layer.add(core::MultiPolygon{holed}, row);
    layer.add(core::MultiPolygon{square(x, y + 200, 10), square(x + 11, y + 200, 10)}, row);
    const fs::path dir = test::scratch_dir("output_geojson_rounding_repair");
    const auto written = output::write_layers(
        crs4547,
        std::vector<output::Layer>{layer},
        {.dir = dir, .gpkg = false, .shapefile = false, .csv = false, .qgis_project = false});
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "geojson" / "service_circles.geojson").c_str(),
                                              GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds != nullptr);
    OGRLayer* read = ds->GetLayer(0);
    REQUIRE(read->GetFeatureCount() == 3);
    std::vector<double> areas;
    for (auto& feature : *read) {
        const OGRGeometry* g = feature->GetGeometryRef();
        REQUIRE(g != nullptr);
        CHECK(g->IsValid());
        areas.push_back(g->toMultiPolygon()->get_Area());
    }
    // Areas in degrees²: 200 m², 400 m² and 200 m² (within the scale change of lon/lat over
    // 200 m; a lost square would be off by half).
    CHECK(areas[0] == Approx(areas[2]).epsilon(1e-2));
    CHECK(areas[1] == Approx(2 * areas[2]).epsilon(1e-2));
    const auto repaired =
        std::count_if(written.warnings.begin(), written.warnings.end(), [](const std::string& w) {
            return w.find("2 polygon(s) became invalid when rounded") != std::string::npos;
        });
    CHECK(repaired == 1);
}

TEST_CASE("the QGIS project groups layers, uses relative sources and sets the CRS with WKT",
          "[output][write]") {
    const fs::path dir = test::scratch_dir("output_qgs");
    (void)output::write_layers(
        crs4547, small_layers(), {.dir = dir, .shapefile = false, .geojson = false, .csv = false});
    const std::string qgs = read_file(dir / "gridplan.qgs");
    CHECK(qgs.find("<ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>") != std::string::npos);
    CHECK(qgs.find("<projectCrs>\n    <spatialrefsys><wkt>PROJCRS[") != std::string::npos);
    CHECK(qgs.find("<authid>EPSG:4547</authid>") != std::string::npos);
    CHECK(qgs.find("<datasource>./gridplan.gpkg|layername=grids</datasource>") !=
          std::string::npos);
    CHECK(qgs.find("<Absolute type=\"bool\">false</Absolute>") != std::string::npos);
    // Groups in legend order: Grids on top, then Coverage (facilities), Data issues.
    const auto issues = qgs.find("<layer-tree-group name=\"Data issues\"");
    const auto coverage = qgs.find("<layer-tree-group name=\"Coverage\"");
    const auto grids = qgs.find("<layer-tree-group name=\"Grids\"");
    CHECK(grids < coverage);
    CHECK(coverage < issues);
    CHECK(issues != std::string::npos);
    CHECK(qgs.find("geometry=\"No geometry\"") != std::string::npos);
    CHECK(qgs.find("type=\"categorizedSymbol\" attr=\"status\"") != std::string::npos);
    // Grids are on when the project opens; the ledger (one row per data issue) starts switched off.
    CHECK(qgs.find("layername=grids\" providerKey=\"ogr\" checked=\"Qt::Checked\"") !=
          std::string::npos);
    CHECK(qgs.find("layername=ledger\" providerKey=\"ogr\" checked=\"Qt::Unchecked\"") !=
          std::string::npos);
}

TEST_CASE("outputs are never overwritten without force, and never over an input",
          "[output][write]") {
    const auto layers = small_layers();
    const fs::path dir = test::scratch_dir("output_safety");
    (void)output::write_layers(crs4547, layers, {.dir = dir});
    const std::string before = read_file(dir / "gridplan.gpkg");

    std::string message;
    CHECK(code_of([&] { (void)output::write_layers(crs4547, layers, {.dir = dir}); }, &message) ==
          core::Errc::io);
    CHECK(message.find("file exists") != std::string::npos);
    // The engine names no command-line flag; the CLI adds "--force" for this fault.
    CHECK(message.find("--force") == std::string::npos);
    try {
        (void)output::write_layers(crs4547, layers, {.dir = dir});
    } catch (const core::Error& e) {
        CHECK(e.fault() == core::Fault::exists);
    }

    // A stale side-car alone blocks too, and --force removes it.
    const fs::path other = test::scratch_dir("output_sidecar");
    std::ofstream(other / "gridplan.gpkg-wal") << "stale";
    CHECK(code_of([&] { (void)output::write_layers(crs4547, layers, {.dir = other}); }, &message) ==
          core::Errc::io);
    CHECK(message.find("gridplan.gpkg-wal") != std::string::npos);
    (void)output::write_layers(crs4547, layers, {.dir = other, .force = true});
    CHECK_FALSE(fs::exists(other / "gridplan.gpkg-wal"));
    CHECK(read_file(other / "gridplan.gpkg") == before);

    // An output path that is an input of the run is refused even with force.
    output::OutputOptions clobber{.dir = dir, .force = true};
    clobber.inputs = {dir / "geojson" / ".." / "geojson" / "grids.geojson"};
    CHECK(code_of([&] { (void)output::write_layers(crs4547, layers, clobber); }, &message) ==
          core::Errc::io);
    CHECK(message.find("input") != std::string::npos);

    // With force the files are replaced; no staging folder is left beside or in DIR.
    (void)output::write_layers(crs4547, layers, {.dir = dir, .force = true});
    CHECK(read_file(dir / "gridplan.gpkg") == before);
    for (const fs::path& folder : {dir, dir.parent_path()}) {
        for (const auto& entry : fs::directory_iterator(folder)) {
            CHECK(entry.path().filename().string().find(".gridplan-") == std::string::npos);
        }
    }
}

TEST_CASE("regress_17_outputs_swap_whole: the set replaces DIR in one step, keeping other files",
          "[output][write]") {
    const fs::path dir = test::scratch_dir("output_swap_whole");
    const auto layers = small_layers();
    (void)output::write_layers(crs4547, layers, {.dir = dir});
    const std::string gpkg = read_file(dir / "gridplan.gpkg");
    // The user's own files and folders, an input kept in DIR, a link, and a stale side-car.
    fs::create_directories(dir / "mine" / "deep");
    std::ofstream(dir / "mine" / "deep" / "notes.txt") << "keep";
    std::ofstream(dir / "shp" / "readme.txt") << "keep too";
    fs::create_symlink("mine/deep/notes.txt", dir / "link");
    std::ofstream(dir / "gridplan.gpkg-wal") << "stale";
    (void)output::write_layers(crs4547, layers, {.dir = dir, .force = true});
    CHECK(read_file(dir / "mine" / "deep" / "notes.txt") == "keep");
    CHECK(read_file(dir / "shp" / "readme.txt") == "keep too");
    CHECK(fs::is_symlink(dir / "link"));
    CHECK(fs::read_symlink(dir / "link") == "mine/deep/notes.txt");
    CHECK_FALSE(fs::exists(dir / "gridplan.gpkg-wal"));
    CHECK(read_file(dir / "gridplan.gpkg") == gpkg);
    for (const auto& entry : fs::directory_iterator(dir.parent_path())) {
        CHECK(entry.path().filename().string().find(".output_swap_whole.gridplan-") ==
              std::string::npos);
    }
}

TEST_CASE("regress_17_symlink_in_output_folder: a link where an output folder goes is refused",
          "[output][write]") {
    const fs::path dir = test::scratch_dir("output_symlink");
    const fs::path elsewhere = test::scratch_dir("output_symlink_target");
    fs::create_symlink(elsewhere, dir / "csv");
    std::string message;
    CHECK(code_of(
              [&] {
                  (void)output::write_layers(crs4547, small_layers(), {.dir = dir, .force = true});
              },
              &message) == core::Errc::io);
    CHECK(message.find("symbolic link is in the way") != std::string::npos);
    CHECK(fs::is_empty(elsewhere));
    // Only the link is there, still a link (tree() would resolve it).
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    CHECK(names == std::vector<std::string>{"csv"});
    CHECK(fs::is_symlink(dir / "csv"));
}

TEST_CASE("regress_17_interrupted_swap: the old set put aside is restored, stale staging removed",
          "[output][write]") {
    const fs::path dir = test::scratch_dir("output_recover");
    (void)output::write_layers(crs4547, small_layers(), {.dir = dir});
    const std::vector<fs::path> files = tree(dir);
    // As a kill between the fallback's two renames leaves it (pid 999999999 never runs).
    const fs::path old = dir.parent_path() / ".output_recover.gridplan-old-999999999";
    const fs::path staging = dir.parent_path() / ".output_recover.gridplan-staging-999999999";
    fs::remove_all(old);
    fs::rename(dir, old);
    fs::create_directories(staging / "csv");
    const std::vector<std::string> notes = output::recover_interrupted_outputs(dir);
    REQUIRE(notes.size() == 2);
    CHECK(notes[0].find("restored '") != std::string::npos);
    CHECK(notes[1].find("removed '") != std::string::npos);
    CHECK(tree(dir) == files);
    CHECK_FALSE(fs::exists(old));
    CHECK_FALSE(fs::exists(staging));
    CHECK(output::recover_interrupted_outputs(dir).empty());
}

TEST_CASE("a failure while placing outputs leaves no temporary directory and no partial set",
          "[output][write]") {
    const fs::path dir = test::scratch_dir("output_fail");
    std::ofstream(dir / "geojson") << "a file where a directory must go";
    CHECK(code_of([&] { (void)output::write_layers(crs4547, small_layers(), {.dir = dir}); }) ==
          core::Errc::io);
    std::vector<fs::path> left = tree(dir);
    CHECK(left == std::vector<fs::path>{"geojson"});
}

TEST_CASE("invalid layer contents are internal errors naming the layer and row",
          "[output][write]") {
    const fs::path dir = test::scratch_dir("output_invalid");
    auto layers = small_layers();
    std::string message;

    auto bad_coordinate = layers;
    bad_coordinate[1].geometries[0] = core::Point{std::numeric_limits<double>::infinity(), 1.0};
    CHECK(code_of([&] { (void)output::write_layers(crs4547, bad_coordinate, {.dir = dir}); },
                  &message) == core::Errc::internal);
    CHECK(message.find("'facilities'") != std::string::npos);
    CHECK(message.find("row 1") != std::string::npos);
    CHECK(message.find("non-finite coordinate") != std::string::npos);

    auto bad_text = layers;
    bad_text[0].rows[1][1] = std::string{"\xe7\xbd"};  // truncated 3-byte sequence
    CHECK(code_of([&] { (void)output::write_layers(crs4547, bad_text, {.dir = dir}); }, &message) ==
          core::Errc::internal);
    CHECK(message.find("'grids': row 2") != std::string::npos);
    CHECK(message.find("UTF-8") != std::string::npos);

    auto bad_type = layers;
    bad_type[0].rows[0][0] = std::int64_t{7};  // integer in the text field "code"
    CHECK(code_of([&] { (void)output::write_layers(crs4547, bad_type, {.dir = dir}); }) ==
          core::Errc::internal);

    auto bad_nan = layers;
    bad_nan[2].rows[0][output::field_index(bad_nan[2], "pop_pct")] =
        std::numeric_limits<double>::quiet_NaN();
    CHECK(code_of([&] { (void)output::write_layers(crs4547, bad_nan, {.dir = dir}); }) ==
          core::Errc::internal);
    CHECK(fs::is_empty(dir));
}

TEST_CASE("CSV tables follow RFC 4180 and the ledger CSV keeps every row", "[output][write]") {
    const fs::path dir = test::scratch_dir("output_csv");
    const auto layers = small_layers();
    output::write_csv(layers[1], dir / "facilities.csv", false, output::Language::en);
    const std::string csv = read_file(dir / "facilities.csv");
    CHECK(
        csv.rfind(
            "\xEF\xBB\xBF"
            "facility id,facility name,facility kind,source type,"
            "community code (where it stands),community name,grid code (where it stands),capacity,"
            "reached from the walking network (1 = yes),"
            "distance to the walking network (m)\r\n",
            0) == 0);
    CHECK(csv.find("F1,\"暖心驿站, "
                   "\"\"北门\"\"\",warm_station,,\"=\"\"410202001009\"\"\",南京巷社区,\"="
                   "\"\"410202001009001\"\"\",20,1,3.5\r\n") != std::string::npos);
    CHECK(code_of([&] { output::write_csv(layers[1], dir / "facilities.csv"); }) == core::Errc::io);
    output::write_csv(layers[1], dir / "facilities.csv", true);

    core::Ledger ledger;
    ledger.add({"roads", "R1", "zero_length", core::Action::skipped, "line, 0 m", 1.5, 2.25});
    ledger.add({"roads", "R2", "no_id", core::Action::warned, "", NAN, NAN});
    ledger.add({"roads", "0042", "no_id", core::Action::warned, "", 531000.123456, 3852000.5});
    output::write_ledger_csv(ledger, dir / "ledger.csv");
    CHECK(read_file(dir / "ledger.csv") ==
          "\xEF\xBB\xBF"
          "图层,源要素编号,原因代码,处理方式,详情,横坐标,纵坐标\r\n"
          "roads,R1,zero_length,skipped,\"line, 0 m\",1.5,2.25\r\n"
          "roads,R2,no_id,warned,,,\r\n"
          "roads,\"=\"\"0042\"\"\",no_id,warned,,531000.12,3852000.5\r\n");
}

TEST_CASE("numbers and XML text are written exactly", "[output][write]") {
    CHECK(output::detail::format_real(412.0) == "412");
    CHECK(output::detail::format_real(0.1) == "0.1");
    CHECK(output::detail::xml_escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;");
}

TEST_CASE("without a GeoPackage the project reads the Shapefiles", "[output][write]") {
    const fs::path dir = test::scratch_dir("output_qgs_shp");
    (void)output::write_layers(
        crs4547,
        small_layers(),
        {.dir = dir, .basename = "城区 plan", .gpkg = false, .geojson = false, .csv = false});
    const std::string qgs = read_file(dir / "城区 plan.qgs");
    CHECK(qgs.find("<datasource>./shp/grids.shp</datasource>") != std::string::npos);
    CHECK(qgs.find("<datasource>./shp/coverage_stats.dbf</datasource>") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "城区 plan.gpkg"));
}

TEST_CASE("output options are checked before anything is written", "[output][write]") {
    const fs::path dir = test::scratch_dir("output_options");
    CHECK(code_of([&] { (void)output::write_layers(crs4547, small_layers(), {.dir = ""}); }) ==
          core::Errc::usage);
    CHECK(code_of([&] {
              (void)output::write_layers(
                  crs4547, small_layers(), {.dir = dir, .basename = "../escape"});
          }) == core::Errc::usage);
    CHECK(fs::is_empty(dir));
}

TEST_CASE("zero-area rings are dropped with a warning, so Shapefile readers see valid polygons",
          "[output][write]") {
    auto layers = small_layers();
    auto& grid = std::get<core::MultiPolygon>(layers[0].geometries[0]);
    // A collinear sliver hole (zero area) and a second part that is a degenerate triangle.
    grid[0].inners().push_back(
        {{531100, 3852100}, {531200, 3852200}, {531150, 3852150}, {531100, 3852100}});
    core::Polygon sliver;
    sliver.outer() = {
        {531500, 3852500}, {531500.001, 3852500.001}, {531500.002, 3852500}, {531500, 3852500}};
    grid.push_back(sliver);
    const fs::path dir = test::scratch_dir("output_degenerate");
    const auto written = output::write_layers(
        crs4547, layers, {.dir = dir, .geojson = false, .csv = false, .qgis_project = false});
    REQUIRE_FALSE(written.warnings.empty());
    CHECK(written.warnings[0] ==
          "writing output layer 'grids': 2 ring(s) of (almost) zero area "
          "(< 1 cm²) dropped from 1 feature(s)");
    for (const fs::path& file : {dir / "gridplan.gpkg", dir / "shp" / "grids.shp"}) {
        INFO(file.string());
        auto ds = open_vector(file);
        REQUIRE(ds != nullptr);
        OGRLayer* layer =
            file.extension() == ".gpkg" ? ds->GetLayerByName("grids") : ds->GetLayer(0);
        OGRFeatureUniquePtr first(layer->GetNextFeature());
        REQUIRE(first != nullptr);
        const OGRGeometry* geometry = first->GetGeometryRef();
        REQUIRE(geometry != nullptr);
        CHECK(geometry->IsValid());
        // Shapefile readers give a Polygon for a one-part feature, GeoPackage a MultiPolygon
        // (regress_asan_polygon_downcast: toMultiPolygon() on a Polygon is undefined behaviour).
        const double area = wkbFlatten(geometry->getGeometryType()) == wkbPolygon
                                ? geometry->toPolygon()->get_Area()
                                : geometry->toMultiPolygon()->get_Area();
        CHECK(std::abs(area - 400.0 * 400.0) < 1e-6);
    }
    // The caller's layers are untouched.
    CHECK(std::get<core::MultiPolygon>(layers[0].geometries[0]).size() == 2);
}
