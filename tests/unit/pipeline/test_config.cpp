// The run configuration (pipeline/config.hpp): the stage sections are parsed once, into typed
// options, with the documented defaults (docs/config.md); unknown keys and bad values are usage
// errors naming the key, with the same message as in the input sections.
#include <string>

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "pipeline/config.hpp"

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
         "\"partition.overrides.C1.k\" must be at least 1"},
        {R"(,"redraw":{"edits":[{"op":"merge","grids":["G1"]}]})",
         "a merge needs \"grids\" with at least 2 codes"},
        {R"(,"coverage":{"euclid_radius_m":"far"})",
         "\"coverage.euclid_radius_m\" has the wrong type"},
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

}  // namespace gridplan
