#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "output/schema.hpp"
#include "support/paths.hpp"

using namespace gridplan;

TEST_CASE("every output layer schema has short unique ASCII field names and both aliases",
          "[output]") {
    const std::set<std::string> groups{"Admin", "Grids", "Coverage", "Siting", "Data issues"};
    REQUIRE(output::schemas().size() == std::size(output::kLayerNames));
    std::set<std::string> names;
    for (const output::Layer& layer : output::schemas()) {
        INFO(layer.name);
        CHECK(names.insert(layer.name).second);
        CHECK_FALSE(layer.title_zh.empty());
        CHECK(groups.count(layer.group) == 1);
        CHECK(layer.rows.empty());
        std::set<std::string> fields;
        for (const output::FieldDef& field : layer.fields) {
            INFO(field.name);
            CHECK(field.name.size() <= 10);
            CHECK(field.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") ==
                  std::string::npos);
            CHECK(fields.insert(field.name).second);
            CHECK_FALSE(field.alias_en.empty());
            CHECK_FALSE(field.alias_zh.empty());
            CHECK(field.name != "fid");
            CHECK(field.name != "geom");
        }
    }
}

TEST_CASE("schemas carry the fields the pipeline and the styles rely on", "[output]") {
    const auto& grids = output::schema("grids");
    CHECK(grids.geometry_type == output::GeometryType::polygon);
    CHECK(grids.title_zh == "网格");
    for (const char* field : {"code",
                              "households",
                              "population",
                              "buildings",
                              "area_m2",
                              "polsby_pp",
                              "blk_split",
                              "in_band",
                              "deviation",
                              "target",
                              "hh_est",
                              "leader",
                              "instructor",
                              "worker",
                              "n_part"}) {
        CHECK_NOTHROW(output::field_index(grids, field));
    }
    CHECK(grids.fields[output::field_index(grids, "code")].alias_zh == "网格编码");
    CHECK(grids.fields[output::field_index(grids, "households")].alias_zh == "户数");

    const auto& buildings = output::schema("buildings");
    for (const auto& kind : output::kFacilityKinds) {
        for (const char* suffix : {"_id", "_name", "_min", "_n15", "_c5", "_c10", "_c15"}) {
            CHECK_NOTHROW(output::field_index(buildings, std::string{kind.prefix} + suffix));
        }
    }
    CHECK(buildings.fields[output::field_index(buildings, "sc_min")].alias_zh ==
          "到最近党群服务中心步行分钟");
    CHECK(output::schema("coverage_stats").geometry_type == output::GeometryType::none);
    CHECK(output::schema("grid_boundaries").geometry_type == output::GeometryType::line);
    CHECK(output::schema("ledger").group == "Data issues");
}

TEST_CASE("schema lookups fail loudly for unknown layers and fields", "[output]") {
    CHECK_THROWS_AS(output::schema("nope"), core::Error);
    try {
        (void)output::field_index(output::schema("grids"), "household");
        FAIL("no throw");
    } catch (const core::Error& e) {
        CHECK(e.code() == core::Errc::internal);
        CHECK(std::string{e.what()}.find("'household'") != std::string::npos);
    }
    auto layer = output::make_layer("facilities");
    auto row = output::blank_row(layer);
    output::set_value(layer, row, "name", std::string{"暖心驿站"});
    CHECK(std::get<std::string>(row[output::field_index(layer, "name")]) == "暖心驿站");
    CHECK_THROWS_AS(output::set_value(layer, row, "nom", std::int64_t{1}), core::Error);
    layer.add(core::Point{1, 2}, row);
    CHECK(layer.rows.size() == 1);
    CHECK(output::field_alias(layer.fields[1]) == "设施名称 facility name");
}

TEST_CASE("docs/layers.md documents every field of every output layer", "[output]") {
    std::ifstream in(test::source_dir() / "docs" / "layers.md", std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    for (const output::Layer& layer : output::schemas()) {
        INFO(layer.name);
        const auto begin = doc.find("\n## " + layer.name + "\n");
        REQUIRE(begin != std::string::npos);
        const auto end = doc.find("\n## ", begin + 1);
        const std::string section = doc.substr(begin, end == std::string::npos ? end : end - begin);
        for (const output::FieldDef& field : layer.fields) {
            INFO(field.name);
            CHECK(section.find("| `" + field.name + "` |") != std::string::npos);
            CHECK(section.find("| " + field.alias_zh + " |") != std::string::npos);
        }
    }
}
