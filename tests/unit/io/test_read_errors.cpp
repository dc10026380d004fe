// Read errors are errors, and the input guards hold (issue 17 items 1 and 4): a GDAL failure
// while features are read stops the run naming file, layer and place unless a partial read is
// allowed, which leaves one read_error row per error; past an input guard the run stops.
#include <catch2/catch.hpp>

#include "test_io_support.hpp"

namespace gridplan {

using Catch::Matchers::Contains;
using core::Action;
using core::Errc;

namespace {

/// Two hand-drawn buildings as OSM XML whose last <way> is not well-formed (damaged in transfer),
/// and a clean GeoJSON community beside it.
io::InputConfig damaged_osm(const std::filesystem::path& dir) {
    test::write_text(dir / "damaged.osm", R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <node id="1" lat="34.7900" lon="114.3500"/>
  <node id="2" lat="34.7900" lon="114.3502"/>
  <node id="3" lat="34.7902" lon="114.3502"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="building" v="yes"/></way>
  <way id="11"><nd ref=1/></way>
</osm>
)");
    test::write_text(dir / "community.geojson",
                     test::collection({test::polygon_feature(R"({"id":"c1","name":"C"})",
                                                             test::square(114.35, 34.79, 0.01))}));
    return io::parse_input_config(
        R"({"inputs":{"buildings":{"path":"damaged.osm"},"communities":{"path":"community.geojson"}}})",
        dir);
}

}  // namespace

TEST_CASE("a malformed OSM file stops the read naming file, layer and GDAL's place", "[io]") {
    const auto dir = test::scratch_dir("read_error_osm");
    const auto config = damaged_osm(dir);
    try {
        (void)io::read_scene(config);
        FAIL("no error");
    } catch (const core::Error& e) {
        CHECK(e.code() == Errc::io);
        CHECK(e.fault() == core::Fault::partial_read);
        CHECK_THAT(e.what(), Contains("reading layer 'multipolygons' of '"));
        CHECK_THAT(e.what(),
                   Contains("damaged.osm': the file is corrupt or cut short: GDAL: XML "
                            "parsing of OSM file failed : not well-formed"));
        CHECK_THAT(e.what(), Contains("at line 7, column 23 (after 0 feature(s)"));
    }
}

TEST_CASE("with a partial read allowed, each read error is one read_error row", "[io]") {
    const auto dir = test::scratch_dir("read_error_allowed");
    io::ReadOptions options;
    options.allow_partial = true;
    const auto s = io::read_scene(damaged_osm(dir), options);
    std::size_t rows = 0;
    for (const auto& e : s.ledger.entries()) {
        if (e.reason == "read_error") {
            ++rows;
            CHECK(e.layer == "buildings");
            CHECK(e.action == Action::warned);
            CHECK_THAT(e.detail, Contains("damaged.osm' is corrupt or cut short: GDAL: "));
        }
    }
    CHECK(rows >= 1);
    CHECK(s.communities.size() == 1);  // the clean layer is read in full
}

TEST_CASE("input guards: features per layer, vertices per feature, vertices in all", "[io]") {
    const auto dir = test::scratch_dir("input_guards");
    test::write_text(dir / "b.geojson",
                     test::collection({
                         test::polygon_feature(R"({"id":"a"})", test::square(114.350, 34.79)),
                         test::polygon_feature(R"({"id":"b"})", test::square(114.352, 34.79)),
                         test::polygon_feature(R"({"id":"c"})", test::square(114.354, 34.79)),
                     }));
    const auto config =
        io::parse_input_config(R"({"inputs":{"buildings":{"path":"b.geojson"}}})", dir);
    const auto refusal = [&](io::InputLimits limits) {
        io::ReadOptions options;
        options.limits = limits;
        try {
            (void)io::read_scene(config, options);
        } catch (const core::Error& e) {
            CHECK(e.code() == Errc::invalid_input);
            return std::string{e.what()};
        }
        FAIL("no error");
        return std::string{};
    };
    CHECK_THAT(refusal({.features_per_layer = 2}),
               Contains("b.geojson': more than 2 features (an input guard"));
    CHECK_THAT(refusal({.vertices_per_feature = 4}),
               Contains("feature 'a' has 5 vertices, more than the 4 a feature may have"));
    CHECK_THAT(refusal({.vertices_total = 12}),
               Contains("the inputs hold more than 12 vertices in all"));
    CHECK(
        io::read_scene(
            config,
            {.limits = {.features_per_layer = 3, .vertices_per_feature = 5, .vertices_total = 15}})
            .buildings.size() == 3);
}

TEST_CASE("a GeoPackage layer that is an SQL view is refused before it runs", "[io]") {
    const auto file = test::source_dir() / "tests/cli/data/tiny/gpkg_view.gpkg";
    const auto dir = test::scratch_dir("gpkg_view");
    const auto config = io::parse_input_config(
        R"({"inputs":{"buildings":{"path":")" + file.string() + R"(","layer":"endless"}}})", dir);
    try {
        (void)io::read_scene(config);
        FAIL("no error");
    } catch (const core::Error& e) {
        CHECK(e.code() == Errc::io);
        CHECK_THAT(e.what(), Contains("reading layer 'endless' of '"));
        CHECK_THAT(e.what(), Contains("it is an SQL view, not a table"));
    }
    // The table beside it is read as usual.
    const auto table = io::parse_input_config(
        R"({"inputs":{"buildings":{"path":")" + file.string() + R"(","layer":"buildings"}}})", dir);
    CHECK(io::read_scene(table).buildings.size() == 4);
}

}  // namespace gridplan
