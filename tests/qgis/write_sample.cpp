// Writes every output layer with a few realistic features (Kaifeng, 龙亭区, EPSG:4547) through
// output::write_layers and emits the JSON spec check_outputs.py verifies in real QGIS.
// Usage: write_sample OUTDIR SPEC.json STYLES_DIR [--force]
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numbers>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/ledger.hpp"
#include "output/schema.hpp"
#include "output/write.hpp"

namespace out = gridplan::output;
namespace core = gridplan::core;

namespace {

constexpr double x0 = 531000.0;  // about 114.35E, 34.80N in CGCS2000 / 3-degree GK CM 114E
constexpr double y0 = 3852000.0;

core::Point pt(double x, double y) {
    return {x0 + x, y0 + y};
}

core::Ring rect_ring(double xa, double ya, double xb, double yb) {
    // Boost.Geometry default: clockwise outer ring, closed.
    return core::Ring{pt(xa, ya), pt(xa, yb), pt(xb, yb), pt(xb, ya), pt(xa, ya)};
}

core::MultiPolygon rect(double xa, double ya, double xb, double yb) {
    core::Polygon polygon;
    polygon.outer() = rect_ring(xa, ya, xb, yb);
    return core::MultiPolygon{polygon};
}

core::Polygon circle(double cx, double cy, double r) {
    core::Polygon polygon;
    constexpr int n = 72;
    for (int i = 0; i <= n; ++i) {
        const double a = -2.0 * std::numbers::pi * (i % n) / n;  // clockwise
        polygon.outer().push_back(pt(cx + r * std::cos(a), cy + r * std::sin(a)));
    }
    return polygon;
}

core::MultiLineString line(std::initializer_list<std::pair<double, double>> points) {
    core::LineString ls;
    for (const auto& [x, y] : points) {
        ls.push_back(pt(x, y));
    }
    return core::MultiLineString{ls};
}

using V = out::Value;
V s(const char* text) {
    return std::string{text};
}
V i(std::int64_t value) {
    return value;
}
V r(double value) {
    return value;
}

std::vector<out::Layer> sample_layers() {
    std::vector<out::Layer> layers;

    auto streets = out::make_layer("streets");
    streets.add(
        rect(0, 0, 1200, 1000),
        {s("S1"), s("410202001"), s("北书店街道"), r(1.2e6), i(2), i(3), i(8), i(1210), i(3388)});
    streets.add(
        rect(1200, 0, 2400, 1000),
        {s("S2"), s("410202002"), s("午朝门街道"), r(1.2e6), i(1), i(1), i(4), i(455), i(1274)});
    layers.push_back(streets);

    auto communities = out::make_layer("communities");
    communities.add(rect(0, 0, 1200, 500),
                    {s("C1"),
                     s("410202001009"),
                     s("南京巷社区"),
                     s("410202001"),
                     s("北书店街道"),
                     r(6e5),
                     i(0),
                     i(2),
                     i(4),
                     i(790),
                     i(2212)});
    communities.add(rect(0, 500, 1200, 1000),
                    {s("C2"),
                     s("410202001011"),
                     s("县街社区"),
                     s("410202001"),
                     s("北书店街道"),
                     r(6e5),
                     i(0),
                     i(1),
                     i(4),
                     i(420),
                     i(1176)});
    communities.add(rect(1200, 0, 2400, 1000),
                    {s("C3"),
                     s("410202002011"),
                     s("午朝门社区"),
                     s("410202002"),
                     s("午朝门街道"),
                     r(1.2e6),
                     i(0),
                     i(1),
                     i(4),
                     i(455),
                     i(1274)});
    layers.push_back(communities);

    auto grids = out::make_layer("grids");
    struct G {
        double xa, ya, xb, yb;
        const char* code;
        const char* cc;
        const char* cn;
        const char* sc;
        const char* sn;
        double hh;
    };
    const G gs[] = {
        {0,
         0,
         600,
         500,
         "410202001009001",
         "410202001009",
         "南京巷社区",
         "410202001",
         "北书店街道",
         380},
        {600,
         0,
         1200,
         500,
         "410202001009002",
         "410202001009",
         "南京巷社区",
         "410202001",
         "北书店街道",
         410},
        {0,
         500,
         1200,
         1000,
         "410202001011001",
         "410202001011",
         "县街社区",
         "410202001",
         "北书店街道",
         420},
        {1200,
         0,
         2400,
         1000,
         "410202002011001",
         "410202002011",
         "午朝门社区",
         "410202002",
         "午朝门街道",
         515},
    };
    for (const G& g : gs) {
        const double area = (g.xb - g.xa) * (g.yb - g.ya);
        const double perimeter = 2 * ((g.xb - g.xa) + (g.yb - g.ya));
        const double pp = 4 * std::numbers::pi * area / (perimeter * perimeter);
        const double target = 400;
        const double deviation = 100.0 * (g.hh - target) / target;
        grids.add(rect(g.xa, g.ya, g.xb, g.yb),
                  {s(g.code),
                   s(g.cc),
                   s(g.cn),
                   s(g.sc),
                   s(g.sn),
                   i(std::llround(g.hh)),
                   i(std::llround(g.hh * 2.8)),
                   i(4),
                   r(area),
                   r(pp),
                   i(0),
                   i(g.hh >= 300 && g.hh <= 500 ? 1 : 0),
                   r(target),
                   r(deviation),
                   i(g.hh == 515 ? 1 : 0),
                   i(0),
                   s(g.hh < 300 ? "below" : g.hh > 500 ? "above" : "in_band"),
                   i(0),
                   i(1),
                   i(1),
                   i(1),
                   i(3)});
    }
    layers.push_back(grids);

    // Two building groups per grid: its western 300 m (buildings 1 and 2), and the rest.
    auto groups = out::make_layer("building_groups");
    for (const G& g : gs) {
        const auto hh = std::llround(g.hh);
        const std::int64_t first = 2 * (hh / 3);
        for (int k = 0; k < 2; ++k) {
            const std::int64_t h = k == 0 ? first : hh - first;
            groups.add(k == 0 ? rect(g.xa, g.ya, g.xa + 300, g.yb) : rect(g.xa + 300, g.ya, g.xb, g.yb),
                       {V{std::string{g.code} + (k == 0 ? "01" : "02")},
                        i(k + 1),
                        s(g.code),
                        s(g.cc),
                        s(g.cn),
                        s(g.sc),
                        s(g.sn),
                        i(h),
                        i(std::llround(static_cast<double>(h) * 2.8)),
                        i(k == 0 ? 2 : 1),
                        r(k == 0 ? 300.0 * (g.yb - g.ya) : (g.xb - g.xa - 300.0) * (g.yb - g.ya)),
                        i(h >= 60 && h <= 150 ? 1 : 0),
                        i(0),
                        s("")});
        }
    }
    layers.push_back(groups);

    auto boundaries = out::make_layer("grid_boundaries");
    boundaries.add(line({{600, 0}, {600, 500}}),
                   {s("410202001009001"), s("410202001009002"), i(1), r(500)});
    boundaries.add(line({{0, 500}, {600, 500}, {1200, 500}}),
                   {s("410202001011001"), s("410202001009001"), i(1), r(1200)});
    boundaries.add(line({{1200, 0}, {1200, 1000}}),
                   {s("410202001009002"), s("410202002011001"), i(0), r(1000)});
    layers.push_back(boundaries);

    auto facilities = out::make_layer("facilities");
    facilities.add(pt(300, 250),
                   {s("F1"),
                    s("南京巷社区党群服务中心"),
                    s("service_centre"),
                    s("党群服务中心"),
                    s("410202001009"),
                    s("南京巷社区"),
                    s("410202001009001"),
                    r(200),
                    i(1),
                    r(12.5)});
    facilities.add(pt(1500, 700),
                   {s("F2"),
                    s("午朝门暖心驿站"),
                    s("warm_station"),
                    s("暖心驿站"),
                    s("410202002011"),
                    s("午朝门社区"),
                    s("410202002011001"),
                    r(20),
                    i(1),
                    r(4.0)});
    facilities.add(pt(2200, 200),
                   {s("F3"),
                    s("环卫工人暖心驿站"),
                    s("warm_station"),
                    s("暖心驿站"),
                    s("410202002011"),
                    s("午朝门社区"),
                    s("410202002011001"),
                    V{},
                    i(1),
                    r(30.2)});
    facilities.add(pt(800, 800),
                   {s("F4"),
                    s("社区卫生服务站"),
                    s("other"),
                    s("卫生服务站"),
                    s("410202001011"),
                    s("县街社区"),
                    s("410202001011001"),
                    V{},
                    i(0),
                    V{}});
    layers.push_back(facilities);

    auto circles = out::make_layer("service_circles");
    const double speed_kmh = 4.0;
    for (const int minutes : {5, 10, 15}) {
        const double radius = speed_kmh * 1000.0 / 60.0 * minutes * 0.6;
        const auto c1 = circle(300, 250, radius);
        const double a1 = std::abs(boost::geometry::area(c1));
        circles.add(core::MultiPolygon{c1},
                    {s("F1"),
                     s("南京巷社区党群服务中心"),
                     s("service_centre"),
                     i(minutes),
                     s("adult"),
                     r(speed_kmh),
                     r(a1)});
        circles.add(
            core::MultiPolygon{c1},
            {s("all"), V{}, s("service_centre"), i(minutes), s("adult"), r(speed_kmh), r(a1)});
    }
    const auto w1 = circle(1500, 700, 280);
    const auto w2 = circle(2200, 200, 180);
    circles.add(core::MultiPolygon{w2},
                {s("F3"),
                 s("环卫工人暖心驿站"),
                 s("warm_station"),
                 i(5),
                 s("adult"),
                 r(speed_kmh),
                 r(std::abs(boost::geometry::area(w2)))});
    circles.add(core::MultiPolygon{w1, w2},
                {s("all"),
                 V{},
                 s("warm_station"),
                 i(5),
                 s("adult"),
                 r(speed_kmh),
                 r(std::abs(boost::geometry::area(w1)) + std::abs(boost::geometry::area(w2)))});
    layers.push_back(circles);

    auto gaps = out::make_layer("coverage_gaps");
    core::Polygon gap;
    gap.outer() = rect_ring(1300, 300, 1900, 600);
    core::Ring hole{pt(1500, 400),
                    pt(1600, 400),
                    pt(1600, 500),
                    pt(1500, 500),
                    pt(1500, 400)};  // counter-clockwise inner
    gap.inners().push_back(hole);
    gaps.add(core::MultiPolygon{gap},
             {i(1), s("warm_station"), i(15), i(640), i(230), i(3), r(170000)});
    gaps.add(rect(50, 850, 250, 980),
             {i(2), s("service_centre"), i(15), i(120), i(43), i(1), r(26000)});
    layers.push_back(gaps);

    auto stats = out::make_layer("coverage_stats");
    stats.add({},
              {s("grid"),
               s("410202001009001"),
               s("南京巷社区 1号网格"),
               i(0),
               s("service_centre"),
               i(15),
               s("adult"),
               i(4),
               i(4),
               r(100),
               i(380),
               i(380),
               r(100),
               i(1064),
               i(1064),
               r(100),
               r(3.2),
               r(3.2),
               r(100),
               r(0),
               r(100),
               s("today")});
    stats.add({},
              {s("community"),
               s("410202001009"),
               s("南京巷社区"),
               i(0),
               s("service_centre"),
               i(15),
               s("adult"),
               i(8),
               i(6),
               r(75),
               i(790),
               i(600),
               r(75.9),
               i(2212),
               i(1680),
               r(75.9),
               r(6.1),
               r(4.4),
               r(72.1),
               r(0),
               r(88.2),
               s("today")});
    stats.add({}, {s("street"), s("410202001"), s("北书店街道"), i(0), s("warm_station"),
                   i(15),       s("elderly"),   i(12),           i(5),
                   r(41.7),     i(1210),        i(500),          r(41.3),
                   i(3388),     i(1400),        r(41.3),         r(9.8),
                   r(3.1),      r(31.6),        r(5.2),          r(55.0),
                   s("today")});
    stats.add({}, {s("all"), s("all"), s("全部"), i(0), s("warm_station"), i(15),  s("adult"),
                   i(16),    i(9),     r(56.25),  i(1665),           i(900), r(54.05),
                   i(4662),  i(2520),  r(54.05),  r(14.2),           r(7.5), r(52.8),
                   r(8.1),   r(71.3),  s("today")});
    layers.push_back(stats);

    auto sites = out::make_layer("proposed_sites");
    sites.add(pt(1600, 450),
              {i(1),
               s("K17"),
               s("午朝门社区活动室"),
               s("community_centre"),
               s("河南省开封市龙亭区午朝门街道中山路北段12号"),
               s("中山路北段 / 午朝门街"),
               s("410202002011"),
               s("午朝门社区"),
               s("410202002011001"),
               r(114.349912),
               r(34.801234),
               s("warm_station"),
               r(640),
               r(3160),
               r(67.8),
               r(3280),
               r(3295),
               r(0.46),
               s("residents")});
    sites.add(pt(150, 900),
              {i(2),
               s("K03"),
               s("县街便利店"),
               s("convenience"),
               s("河南省开封市龙亭区县街8号"),
               s("县街"),
               s("410202001011"),
               s("县街社区"),
               s("410202001011001"),
               r(114.341876),
               r(34.805511),
               s("warm_station"),
               r(120),
               r(3280),
               r(70.4),
               r(3280),
               r(3295),
               r(0.46),
               s("residents")});
    layers.push_back(sites);

    auto diff = out::make_layer("redraw_diff");
    diff.add(
        rect(560, 200, 590, 230),
        {s("B0007"), s("南京巷3号楼"), s("410202001009001"), s("410202001009002"), i(36), i(101)});
    diff.add(
        rect(1150, 700, 1180, 740),
        {s("B0011"), s("县街12号院"), s("410202001011001"), s("410202002011001"), i(24), i(67)});
    layers.push_back(diff);

    auto buildings = out::make_layer("buildings");
    // Whole households: the grid's total split over its three buildings.
    const auto third = [](std::int64_t total, int k) {
        return k < 2 ? total / 3 : total - 2 * (total / 3);
    };
    int n = 0;
    for (const G& g : gs) {
        for (int k = 0; k < 3; ++k) {
            ++n;
            const double bx = g.xa + 60 + 150 * k;
            const double by = g.ya + 80 + 40 * k;
            char id[16];
            std::snprintf(id, sizeof id, "B%04d", n);
            const std::string name = std::string{g.cn} + std::to_string(k + 1) + "号楼";
            const bool near_sc = g.xb <= 1200 && g.yb <= 500;
            const double sc_min = near_sc ? 4.0 + 3.0 * k : 16.5 + k;
            const double ws_min = g.xa >= 1200 ? 3.0 + 2 * k : 18.0 + k;
            const bool estimated = k == 2;
            buildings.add(rect(bx, by, bx + 40, by + 18),
                          {s(id),
                           s(name.c_str()),
                           s("residential"),
                           s(g.cc),
                           s(g.cn),
                           s(g.sc),
                           s(g.sn),
                           s(g.code),
                           V{std::string{g.code} + (k < 2 ? "01" : "02")},
                           i(third(std::llround(g.hh), k)),
                           i(third(std::llround(g.hh * 2.8), k)),
                           i(estimated ? 1 : 0),
                           i(estimated ? 1 : 0),
                           estimated ? V{} : r(6),
                           r(720),
                           i(0),
                           i(0),
                           s("F1"),
                           s("南京巷社区党群服务中心"),
                           r(sc_min),
                           i(sc_min <= 15 ? 1 : 0),
                           i(sc_min <= 5),
                           i(sc_min <= 10),
                           i(sc_min <= 15),
                           ws_min < 60 ? s("F2") : V{},
                           s("午朝门暖心驿站"),
                           r(ws_min),
                           i(ws_min <= 15 ? 2 : 0),
                           i(ws_min <= 5),
                           i(ws_min <= 10),
                           i(ws_min <= 15)});
        }
    }
    layers.push_back(buildings);

    core::Ledger ledger;
    ledger.add({"buildings",
                "B0099",
                "self_intersection",
                core::Action::repaired,
                "bow-tie footprint repaired with MakeValid",
                x0 + 700,
                y0 + 300});
    ledger.add({"facilities",
                "F9",
                "outside_study_area",
                core::Action::skipped,
                "facility 2.3 km outside every street",
                x0 + 2600,
                y0 + 1200});
    std::string long_detail = "未找到社区编码：";
    for (int k = 0; k < 30; ++k) {
        long_detail += "名称过长的说明";
    }
    ledger.add({"hierarchy", "C9", "missing_code", core::Action::warned, long_detail});
    layers.push_back(out::ledger_layer(ledger));
    return layers;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: write_sample OUTDIR SPEC.json STYLES_DIR [--force]\n";
        return 2;
    }
    try {
        const std::filesystem::path dir = argv[1];
        const std::filesystem::path styles = argv[3];
        const bool force = argc > 4 && std::string{argv[4]} == "--force";
        const core::WorkingCrs crs{4547, "CGCS2000 / 3-degree Gauss-Kruger CM 114E", "", "sample"};
        const auto layers = sample_layers();
        const auto written = out::write_layers(crs, layers, {.dir = dir, .force = force});
        for (const auto& warning : written.warnings) {
            std::cerr << "warning: " << warning << '\n';
        }
        nlohmann::json spec;
        spec["projects"] = {"gridplan.qgs"};
        spec["project_crs"] = "EPSG:4547";
        spec["project_layers"] = layers.size();
        for (const auto& layer : layers) {
            const bool spatial = layer.geometry_type != out::GeometryType::none;
            const bool nulls = layer.name == "ledger";
            const auto style = styles / (layer.name + ".qml");
            nlohmann::json base{{"count", layer.rows.size()},
                                {"allow_null_geom", nulls || !spatial},
                                {"layer", layer.name}};
            auto gpkg = base;
            gpkg["uri"] = "gridplan.gpkg|layername=" + layer.name;
            gpkg["style_qml"] = style.string();
            gpkg["aliases"] = true;
            if (spatial) {
                gpkg["crs"] = "EPSG:4547";
            }
            spec["layers"].push_back(gpkg);
            auto shp = base;
            shp["uri"] = "shp/" + layer.name + (spatial ? ".shp" : ".dbf");
            shp["style_qml"] = style.string();
            shp["aliases"] = true;
            if (spatial) {
                shp["crs"] = "EPSG:4547";
            }
            spec["layers"].push_back(shp);
            auto geojson = base;
            geojson["uri"] = "geojson/" + layer.name + ".geojson";
            if (spatial) {
                geojson["crs"] = "EPSG:4326";
            }
            spec["layers"].push_back(geojson);
        }
        std::ofstream(argv[2]) << spec.dump(2) << '\n';
        std::cout << "wrote " << written.files.size() << " files, " << written.warnings.size()
                  << " warnings\n";
        return 0;
    } catch (const core::Error& e) {
        std::cerr << "write_sample: error: " << e.what() << '\n';
        return static_cast<int>(e.code());
    }
}
