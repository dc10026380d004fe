// io::read_points, the input of `gridplan locate`: a CSV of longitudes and latitudes (WGS 84
// unless told), GCJ-02 undone like any input, ids and names found by their usual names, every
// row accounted for, and a CSV without coordinates refused naming the columns it looked for.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "geom/crs.hpp"
#include "geom/gcj02.hpp"
#include "test_io_support.hpp"

namespace gridplan {
namespace {

/// Kaifeng's working CRS (CGCS2000 3-degree Gauss-Kruger CM 114E).
core::WorkingCrs kaifeng() {
    const geom::Crs crs = geom::Crs::from_epsg(4547);
    return {.epsg = 4547, .name = crs.name(), .wkt = crs.wkt2(), .how = "test"};
}

std::string lonlat_row(const std::string& id, const std::string& name, core::Point p) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s,%s,%.9f,%.9f\n", id.c_str(), name.c_str(), p.x(), p.y());
    return buf;
}

io::PointsRead read_csv(const std::string& scratch,
                        const std::string& text,
                        const std::string& datum = "auto") {
    const auto dir = test::scratch_dir(scratch);
    test::write_text(dir / "events.csv", text);
    io::LayerSource source;
    source.path = dir / "events.csv";
    source.input_datum = datum;
    return io::read_points(source, kaifeng(), io::InputConfig{});
}

}  // namespace

TEST_CASE("read_points: a lon/lat CSV is WGS 84, in the working CRS, ids and names kept",
          "[io][locate]") {
    const core::Point drum_tower{114.3486, 34.7972};  // 开封鼓楼
    const core::Point iron_pagoda{114.3577, 34.8117};
    const auto read = read_csv("read_points_wgs84",
                               "编号,名称,经度,纬度\n" + lonlat_row("b", "铁塔", iron_pagoda) +
                                   lonlat_row("a", "鼓楼", drum_tower));
    REQUIRE(read.points.size() == 2);
    CHECK(read.points[0].id == "a");  // sorted by id
    CHECK(read.points[0].name == "鼓楼");
    std::vector<core::Point> expected{drum_tower, iron_pagoda};
    REQUIRE(geom::Transformer(geom::Crs::from_epsg(4326), geom::Crs::from_epsg(4547))
                .transform(expected));
    CHECK(read.points[0].location.x() == Approx(expected[0].x()).margin(1e-3));
    CHECK(read.points[0].location.y() == Approx(expected[0].y()).margin(1e-3));
    CHECK(read.points[1].location.y() == Approx(expected[1].y()).margin(1e-3));
    CHECK(read.report.role == "events");
    CHECK(read.report.counts.n_in == 2);
    CHECK(read.report.counts.conserved());
}

TEST_CASE("read_points: GCJ-02 coordinates (Amap, Tencent) land where the WGS 84 ones do",
          "[io][locate]") {
    const core::Point wgs{114.3486, 34.7972};
    const auto plain =
        read_csv("read_points_plain", "id,name,lon,lat\n" + lonlat_row("p", "", wgs));
    const std::string row = lonlat_row("p", "", geom::wgs84_to_gcj02(wgs));
    const auto shifted = read_csv("read_points_gcj02", "id,name,lng,lat\n" + row, "gcj02");
    REQUIRE(plain.points.size() == 1);
    REQUIRE(shifted.points.size() == 1);
    // The GCJ-02 offset here is several hundred metres; undone, it is gone to within 1 m.
    const auto apart = [](core::Point a, core::Point b) {
        return std::hypot(a.x() - b.x(), a.y() - b.y());
    };
    CHECK(apart(plain.points[0].location, shifted.points[0].location) < 1.0);
    const auto raw = read_csv("read_points_gcj02_as_wgs", "id,name,lng,lat\n" + row);
    CHECK(apart(plain.points[0].location, raw.points[0].location) > 100.0);
}

TEST_CASE("read_points: rows without coordinates are ledger rows, the layer conserved",
          "[io][locate]") {
    const auto read =
        read_csv("read_points_missing", "id,lon,lat\n1,114.35,34.80\n2,,\n3,114.36,34.81\n");
    CHECK(read.points.size() == 2);
    CHECK(read.report.counts.n_in == 3);
    CHECK(read.report.counts.skipped == 1);
    CHECK(read.report.counts.conserved());
    CHECK(read.ledger.entries().size() >= 1);
}

TEST_CASE("read_points: a CSV without coordinate columns is refused, naming what was tried",
          "[io][locate]") {
    try {
        (void)read_csv("read_points_nocoords", "id,address\n1,鼓楼街 1 号\n");
        FAIL("expected an error");
    } catch (const core::Error& e) {
        CHECK(e.code() == core::Errc::io);
        const std::string what = e.what();
        CHECK_THAT(what, Catch::Contains("events.csv"));
        CHECK_THAT(what, Catch::Contains("no coordinate columns"));
        CHECK_THAT(what, Catch::Contains("经度"));
    }
}

}  // namespace gridplan
