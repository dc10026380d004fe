// The run configuration (pipeline/config.hpp): the stage sections are parsed once, into typed
// options, with the documented defaults (docs/config.md); unknown keys and bad values are usage
// errors naming the key, with the same message as in the input sections.
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"
#include "io/json_keys.hpp"
#include "pipeline/config.hpp"
#include "support/paths.hpp"

namespace gridplan {
namespace {

using Catch::Matchers::Contains;
using core::Errc;

const std::string kInputs = R"("inputs":{"buildings":{"path":"b.geojson"}})";

pipeline::RunConfig parse(const std::string& sections) {
    return pipeline::parse_run_config("{" + kInputs + sections + "}", "/cfg/run.json");
}

/// The error a configuration raises (fails the test when it raises none).
core::Error error_of(const std::string& sections) {
    try {
        (void)parse(sections);
    } catch (const core::Error& e) {
        return e;
    }
    FAIL("no error for " << sections);
    return core::Error{Errc::internal, ""};
}

}  // namespace

TEST_CASE("a configuration without stage sections has every stage's defaults",
          "[pipeline][config]") {
    const auto config = parse("");
    CHECK(config.file == "/cfg/run.json");
    REQUIRE(config.inputs.buildings);
    CHECK(config.inputs.buildings->path == "/cfg/b.geojson");

    const partition::Options partition;
    CHECK(config.partition.band.min_households == partition.band.min_households);
    CHECK(config.partition.band.max_households == partition.band.max_households);
    CHECK(config.partition.seed == partition.seed);
    CHECK(config.partition.k_policy == partition.k_policy);
    CHECK(config.partition.overrides.empty());
    CHECK(config.redraw.partition.band.min_households == partition.band.min_households);
    CHECK(config.redraw.edits.empty());

    const coverage::Options coverage;
    CHECK(config.coverage.thresholds_min == coverage.thresholds_min);
    CHECK(config.coverage.profiles.size() == coverage.profiles.size());
    CHECK(config.coverage.euclid_radius_m == coverage.euclid_radius_m);

    CHECK(config.siting.instance.kind == core::FacilityKind::warm_station);
    CHECK(config.siting.solver.problem == siting::Problem::max_coverage);
    CHECK(config.siting.instance.weight == siting::InstanceOptions::Weight::residents);
    CHECK(config.siting.candidates.generate == siting::CandidateOptions::Generate::when_no_layer);

    const output::OutputOptions output;
    CHECK(config.output.gpkg == output.gpkg);
    CHECK(config.output.shapefile == output.shapefile);
    CHECK(config.output.geojson == output.geojson);
    CHECK(config.output.qgis_project == output.qgis_project);
    CHECK(config.output.basename == output.basename);
}

TEST_CASE("each stage section becomes its stage's typed options", "[pipeline][config]") {
    const auto config = parse(R"(,
        "partition": {"min_households": 100, "max_households": 250, "seed": 7, "k_policy": "fewest_grids",
                      "group_band": {"min_households": 40, "max_households": 90}, "group_buildings": 4,
                      "overrides": {"C1": {"k": 3}, "C2": {"min_households": 50, "max_households": 90}}},
        "redraw": {"churn_weight": 2.5, "locked_grids": ["G1"],
                   "edits": [{"op": "move", "buildings": ["b1"], "to": "G2"},
                             {"op": "split", "grid": "G3", "parts": 2},
                             {"op": "merge", "grids": ["G4", "G5"]}]},
        "coverage": {"thresholds_min": [5, 10], "profiles": [{"name": "slow", "speed_kmh": 3}],
                     "polygons": false},
        "siting": {"kind": "service_centre", "problem": "double_coverage", "p": 4, "weight": "households",
                   "generate_candidates": "never", "candidate_types": ["post_office"]},
        "output": {"formats": ["gpkg", "qgis"], "basename": "plan", "project_title": "T"})");

    CHECK(config.partition.band.min_households == 100.0);
    CHECK(config.partition.band.max_households == 250.0);
    CHECK(config.partition.seed == 7u);
    CHECK(config.partition.k_policy == partition::KPolicy::fewest_grids);
    CHECK(config.partition.group_band == partition::Band{40.0, 90.0});
    CHECK(config.partition.group_buildings == 4u);
    REQUIRE(config.partition.overrides.size() == 2);
    CHECK(config.partition.overrides.at("C1").k == 3u);
    CHECK_FALSE(config.partition.overrides.at("C1").band);
    REQUIRE(config.partition.overrides.at("C2").band);
    CHECK(config.partition.overrides.at("C2").band->max_households == 90.0);

    // The redraw section carries the partition section (band, seed, overrides).
    CHECK(config.redraw.partition.band.max_households == 250.0);
    CHECK(config.redraw.partition.seed == 7u);
    CHECK(config.redraw.churn_weight == 2.5);
    CHECK(config.redraw.locked_grids == std::vector<std::string>{"G1"});
    REQUIRE(config.redraw.edits.size() == 3);
    CHECK(config.redraw.edits[0].kind == partition::EditKind::move);
    CHECK(config.redraw.edits[0].grid == "G2");
    CHECK(config.redraw.edits[1].kind == partition::EditKind::split);
    CHECK(config.redraw.edits[1].parts == 2u);
    CHECK(config.redraw.edits[2].kind == partition::EditKind::merge);

    CHECK(config.coverage.thresholds_min == std::vector<double>{5.0, 10.0});
    REQUIRE(config.coverage.profiles.size() == 1);
    CHECK(config.coverage.profiles[0].name == "slow");
    CHECK(config.coverage.profiles[0].speed_kmh == 3.0);
    CHECK_FALSE(config.coverage.polygons.enabled);

    CHECK(config.siting.instance.kind == core::FacilityKind::service_centre);
    CHECK(config.siting.solver.problem == siting::Problem::double_coverage);
    CHECK(config.siting.solver.p == 4u);
    CHECK(config.siting.instance.weight == siting::InstanceOptions::Weight::households);
    CHECK(config.siting.candidates.generate == siting::CandidateOptions::Generate::never);
    CHECK(config.siting.candidates.types == std::vector<std::string>{"post_office"});

    CHECK(config.output.gpkg);
    CHECK(config.output.qgis_project);
    CHECK_FALSE(config.output.shapefile);
    CHECK_FALSE(config.output.geojson);
    CHECK(config.output.basename == "plan");
    CHECK(config.output.project_title == "T");
}

TEST_CASE("unknown keys are usage errors naming the key, as in the input sections",
          "[pipeline][config]") {
    struct Case {
        const char* sections;
        const char* message;
    };
    const auto c = GENERATE(values<Case>({
        {R"(,"bogus_key":1)", "unknown key 'bogus_key'"},
        {R"(,"inputs":{"buildings":{"path":"b","feilds":{}}})",
         "unknown key 'inputs.buildings.feilds'"},
        {R"(,"partition":{"min_household":1})", "unknown key 'partition.min_household' (allowed: "},
        {R"(,"partition":{"overrides":{"C1":{"kk":2}}})",
         "unknown key 'partition.overrides.C1.kk' (allowed: k, "},
        {R"(,"partition":{"overrides":{"C1":3}})", "'partition.overrides.C1' must be an object"},
        {R"(,"redraw":{"edits":[{"op":"move","oops":1}]})", "unknown key 'redraw.edits[0].oops'"},
        {R"(,"coverage":{"profiles":[{"name":"a","speed":3}]})",
         "unknown key 'coverage.profiles[].speed'"},
        {R"(,"siting":{"kinds":"warm_station"})", "unknown key 'siting.kinds'"},
        {R"(,"output":{"format":["gpkg"]})", "unknown key 'output.format'"},
    }));
    CAPTURE(c.sections);
    // Only one "inputs" key: a case that brings its own replaces the default one.
    const std::string text = std::string{c.sections}.rfind(R"(,"inputs")", 0) == 0
                                 ? "{" + std::string{c.sections + 1} + "}"
                                 : "{" + kInputs + c.sections + "}";
    try {
        (void)pipeline::parse_run_config(text, "/cfg/run.json");
        FAIL("no error");
    } catch (const core::Error& e) {
        CHECK(e.code() == Errc::usage);
        CHECK_THAT(e.what(), Contains(c.message));
    }
}

TEST_CASE("bad stage values are usage errors naming the key", "[pipeline][config]") {
    struct Case {
        const char* sections;
        const char* message;
    };
    const auto c = GENERATE(values<Case>({
        {R"(,"siting":[])", "reading configuration '/cfg/run.json': \"siting\" must be an object"},
        {R"(,"partition":{"min_households":600})", "need 0 < min_households <= max_households"},
        {R"(,"partition":{"k_policy":"most"})", "unknown partition.k_policy \"most\""},
        {R"(,"partition":{"overrides":{"C1":{"k":0}}})",
         "'partition.overrides.C1.k' must be a whole number from 1 to 10000 (got 0)"},
        {R"(,"redraw":{"edits":[{"op":"merge","grids":["G1"]}]})",
         "a merge needs \"grids\" with at least 2 codes"},
        {R"(,"coverage":{"euclid_radius_m":"far"})",
         "'coverage.euclid_radius_m' must be a number > 0 and <= 100000 (got \"far\")"},
        {R"(,"coverage":{"thresholds_min":[]})", "\"coverage.thresholds_min\" must not be empty"},
        {R"(,"siting":{"weight":"area"})",
         "\"siting.weight\" must be residents, households, buildings or street_m"},
        {R"(,"output":{"formats":["kml"]})", "unknown output format \"kml\""},
    }));
    CAPTURE(c.sections);
    const auto e = error_of(c.sections);
    CHECK(e.code() == Errc::usage);
    CHECK_THAT(e.what(), Contains(c.message));
}

TEST_CASE("every configuration number is range-checked, counts must be whole numbers",
          "[pipeline][config]") {
    struct Case {
        const char* sections;
        const char* message;
    };
    const auto c = GENERATE(values<Case>({
        // counts: negative (wrapped to 4294967295 before), huge (gave 0 sites), fractional (gave 2)
        {R"(,"siting":{"p":-1})", "'siting.p' must be a whole number from 0 to 100000 (got -1)"},
        {R"(,"siting":{"p":1e20})",
         "'siting.p' must be a whole number from 0 to 100000 (got 1e+20)"},
        {R"(,"siting":{"p":2.5})", "'siting.p' must be a whole number from 0 to 100000 (got 2.5)"},
        {R"(,"siting":{"p":"3"})",
         "'siting.p' must be a whole number from 0 to 100000 (got \"3\")"},
        {R"(,"siting":{"required_cover":0})",
         "'siting.required_cover' must be a whole number from 1"},
        {R"(,"siting":{"max_nodes":-5})", "'siting.max_nodes' must be a whole number from 0"},
        {R"(,"partition":{"seed":-1})", "'partition.seed' must be a whole number from 0"},
        {R"(,"partition":{"arterial_max_rank":5})",
         "'partition.arterial_max_rank' must be a whole number from 0 to 4 (got 5)"},
        {R"(,"partition":{"block_road_max_rank":1.5})",
         "'partition.block_road_max_rank' must be a whole"},
        {R"(,"redraw":{"edits":[{"op":"split","grid":"G","parts":2.5}]})",
         "'redraw.edits[0].parts' must be a whole number from 2 to 1000 (got 2.5)"},
        // quantities: zero where a positive value is meant (became 1 before), absurd sizes
        {R"(,"partition":{"households_per_part_timer":0})",
         "'partition.households_per_part_timer' must be a number > 0 and <= 10000000 (got 0)"},
        {R"(,"partition":{"min_households":-3})",
         "'partition.min_households' must be a number > 0"},
        {R"(,"partition":{"max_population":1e300})",
         "'partition.max_population' must be a number > 0"},
        {R"(,"partition":{"institution_gap_m":-1})",
         "'partition.institution_gap_m' must be a number >= 0"},
        {R"(,"partition":{"group_band":{"min_households":0}})",
         "'partition.group_band.min_households' must be a number > 0"},
        {R"(,"partition":{"group_buildings":2.5})",
         "'partition.group_buildings' must be a whole number from 0 to 10000"},
        {R"(,"redraw":{"churn_weight":-0.5})", "'redraw.churn_weight' must be a number >= 0"},
        {R"(,"coverage":{"thresholds_min":[5,-10]})",
         "'coverage.thresholds_min[1]' must be a number > 0 and <= 1440"},
        {R"(,"coverage":{"profiles":[{"name":"a","speed_kmh":1000}]})",
         "'coverage.profiles[].speed_kmh' must be a number > 0 and <= 200"},
        {R"(,"coverage":{"gap_link_m":-1})", "'coverage.gap_link_m' must be a number >= 0"},
        {R"(,"siting":{"target_share":1.5})",
         "'siting.target_share' must be a number > 0 and <= 1 (got 1.5)"},
        {R"(,"siting":{"time_limit_s":-1})",
         "'siting.time_limit_s' must be a number >= 0 and <= 604800"},
        {R"(,"siting":{"gap_tolerance":2})",
         "'siting.gap_tolerance' must be a number >= 0 and <= 1"},
        {R"(,"siting":{"speed_kmh":0})",
         "'siting.speed_kmh' must be a number > 0 and <= 200 (got 0)"},
        // the input side: households, validation, CRS codes
        {R"(,"households":{"default_floors":1e308})",
         "'households.default_floors' must be a number > 0 and <= 1000 (got 1e+308)"},
        {R"(,"households":{"residential_share":1.2})",
         "'households.residential_share' must be a number >= 0 and <= 1"},
        {R"(,"households":{"persons_per_household":0})",
         "'households.persons_per_household' must be a number > 0"},
        {R"(,"validation":{"max_households":-1})",
         "'validation.max_households' must be a number > 0"},
        {R"(,"validation":{"sliver_area_m2":-1})",
         "'validation.sliver_area_m2' must be a number >= 0"},
        {R"(,"crs":{"working_epsg":4547.5})",
         "'crs.working_epsg' must be a whole number from 1 to 999999"},
        {R"(,"inputs":{"buildings":{"path":"b","assume_epsg":-4326}})",
         "'inputs.buildings.assume_epsg' must be a whole number from 1 to 999999 (got -4326)"},
    }));
    CAPTURE(c.sections);
    const std::string text = std::string{c.sections}.rfind(R"(,"inputs")", 0) == 0
                                 ? "{" + std::string{c.sections + 1} + "}"
                                 : "{" + kInputs + c.sections + "}";
    try {
        (void)pipeline::parse_run_config(text, "/cfg/run.json");
        FAIL("no error");
    } catch (const core::Error& e) {
        CHECK(e.code() == Errc::usage);
        CHECK_THAT(e.what(),
                   Contains("reading configuration '/cfg/run.json': " + std::string{c.message}));
    }
}

TEST_CASE("the ends of each documented range are accepted", "[pipeline][config]") {
    const auto config = parse(R"(,
        "partition": {"households_per_part_timer": 1e7, "arterial_max_rank": 0, "seed": 0},
        "siting": {"p": 0, "target_share": 1, "time_limit_s": 0, "gap_tolerance": 1, "max_nodes": 0},
        "coverage": {"thresholds_min": [1440]},
        "households": {"residential_share": 0, "default_floors": 1000})");
    CHECK(config.partition.households_per_part_timer == 1e7);
    CHECK(config.siting.solver.p == 0u);
    CHECK(config.siting.solver.target_share == 1.0);
    CHECK(config.coverage.thresholds_min == std::vector<double>{1440.0});
    CHECK(config.inputs.households.default_floors == 1000.0);
}

TEST_CASE("the JSON itself: duplicate keys, deep nesting and NUL characters are refused",
          "[pipeline][config]") {
    struct Case {
        std::string text;
        const char* message;
    };
    const std::string deep = std::string(80000, '[') + std::string(80000, ']');
    const auto c = GENERATE_COPY(values<Case>({
        {R"({"inputs":{"buildings":{"path":"a"},"buildings":{"path":"b"}}})",
         "the key 'inputs.buildings' is given twice"},
        {R"({"inputs":{"facilities":[{"path":"a","path":"b"}]}})",
         "the key 'inputs.facilities[0].path' is given twice"},
        {R"({"inputs":{"buildings":{"path":"b"}},"output":{"basename":"a\u0000b"}})",
         "'output.basename' holds a NUL character"},
        {R"({"inputs":{"buildings":{"path":"b"}},"x":)" + deep + "}",
         "objects and arrays nest deeper than 64 levels at 'x"},
        {deep, "objects and arrays nest deeper than 64 levels at '[0][0]"},
    }));
    CAPTURE(c.message);
    try {
        (void)pipeline::parse_run_config(c.text, "/cfg/run.json");
        FAIL("no error");
    } catch (const core::Error& e) {
        CHECK(e.code() == Errc::usage);
        CHECK_THAT(e.what(), Contains(c.message));
    }
}

TEST_CASE("output.basename is one plain file name part", "[pipeline][config]") {
    const auto c = GENERATE(values<std::pair<const char*, const char*>>({
        {R"("")", "'output.basename' is empty"},
        {R"("../up")", "'output.basename' holds a path separator"},
        {R"("a/b")", "'output.basename' holds a path separator"},
        {R"("..")", "'output.basename' holds '..'"},
        {R"("a\tb")", "'output.basename' holds a control character"},
    }));
    CAPTURE(c.first);
    const auto e = error_of(std::string{R"(,"output":{"basename":)"} + c.first + "}");
    CHECK(e.code() == Errc::usage);
    CHECK_THAT(e.what(), Contains(c.second));
}

TEST_CASE("unknown encodings are refused naming the value", "[pipeline][config]") {
    const auto with_encoding = [](const std::string& encoding) {
        return pipeline::parse_run_config(
            R"({"inputs":{"buildings":{"path":"b.shp","encoding":")" + encoding + R"("}}})",
            "/cfg/run.json");
    };
    try {
        (void)with_encoding("BOGUS-ENC");
        FAIL("no error");
    } catch (const core::Error& e) {
        CHECK(e.code() == Errc::usage);
        CHECK_THAT(e.what(),
                   Contains("'inputs.buildings.encoding' names an encoding iconv does not "
                            "know (got 'BOGUS-ENC'"));
    }
    CHECK(with_encoding("CP936").inputs.buildings->encoding == "CP936");
    CHECK(io::is_known_encoding("GB18030"));
    CHECK_FALSE(io::is_known_encoding("BOGUS-ENC"));
}

TEST_CASE("the configuration file is read under the input policy", "[pipeline][config]") {
    const auto dir = test::scratch_dir("config_policy");
    const auto error_reading = [](const std::filesystem::path& file) {
        try {
            (void)pipeline::load_run_config(file);
        } catch (const core::Error& e) {
            return e;
        }
        FAIL("no error reading " << file);
        return core::Error{Errc::internal, ""};
    };
    SECTION("a FIFO is refused at once (it hung before)") {
        const auto fifo = dir / "run.json";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        const auto e = error_reading(fifo);
        CHECK(e.code() == Errc::io);
        CHECK_THAT(e.what(), Contains("run.json': not a regular file (a FIFO)"));
    }
    SECTION("a link to a device is refused (a link to /dev/zero grew without end)") {
        const auto link = dir / "zero.json";
        std::filesystem::create_symlink("/dev/zero", link);
        const auto e = error_reading(link);
        CHECK(e.code() == Errc::io);
        CHECK_THAT(e.what(), Contains("zero.json': not a regular file (a device)"));
    }
    SECTION("a file over 4 MiB is refused before it is read") {
        const auto big = dir / "big.json";
        std::ofstream{big} << std::string((4U << 20U) + 1, ' ');
        const auto e = error_reading(big);
        CHECK(e.code() == Errc::io);
        CHECK_THAT(e.what(), Contains("the file has 4194305 bytes, more than the 4 MiB"));
    }
    SECTION("a directory") {
        CHECK_THAT(error_reading(dir).what(), Contains("it is a directory"));
    }
}

}  // namespace gridplan
