// CSV tables for spreadsheets (issue 15 item 7): BOM, codes kept as text, numbers rounded for
// reading, headers in Chinese or English. The other formats keep full precision.
#include <string>

#include <catch2/catch.hpp>

#include "output/schema.hpp"
#include "output/write.hpp"
#include "output/writers_detail.hpp"

using namespace gridplan;

namespace {

output::Layer grid_table() {
    output::Layer grids = output::make_layer("grids");
    grids.geometry_type = output::GeometryType::none;
    auto row = output::blank_row(grids);
    output::set_value(grids, row, "code", std::string{"410202001009001"});
    output::set_value(grids, row, "comm_code", std::string{"410202001009"});
    output::set_value(grids, row, "st_code", std::string{"ST-7"});  // not all digits: as is
    output::set_value(grids, row, "comm_name", std::string{"南京巷社区"});
    output::set_value(grids, row, "households", 381.4027077344453);
    output::set_value(grids, row, "population", 1000.5);
    output::set_value(grids, row, "area_m2", 52345.678);
    output::set_value(grids, row, "deviation", -0.04);
    output::set_value(grids, row, "polsby_pp", 0.123456);
    output::set_value(grids, row, "buildings", std::int64_t{7});
    grids.add({}, row);
    return grids;
}

/// The cell of `column` (0-based) in the data row of a one-row CSV without quoted commas.
std::string cell(const std::string& csv, std::size_t column) {
    std::size_t at = csv.find("\r\n") + 2;
    for (std::size_t c = 0; c < column; ++c) {
        at = csv.find(',', at) + 1;
    }
    return csv.substr(at, csv.find_first_of(",\r", at) - at);
}

std::size_t column(const output::Layer& layer, std::string_view field) {
    return output::field_index(layer, field);
}

}  // namespace

TEST_CASE("CSV starts with a UTF-8 BOM and has Chinese or English headers", "[output][csv]") {
    const output::Layer grids = grid_table();
    const std::string zh = output::detail::csv_text(grids, output::Language::zh);
    const std::string en = output::detail::csv_text(grids, output::Language::en);
    CHECK(zh.rfind("\xEF\xBB\xBF网格编码,社区代码,社区名称,", 0) == 0);
    CHECK(en.rfind("\xEF\xBB\xBFgrid code (15 digits),community code,community name,", 0) == 0);
    CHECK(zh.substr(zh.find("\r\n")) == en.substr(en.find("\r\n")));  // same rows
}

TEST_CASE("CSV writes digit-only codes as text formulas Excel keeps", "[output][csv]") {
    const output::Layer grids = grid_table();
    const std::string csv = output::detail::csv_text(grids, output::Language::zh);
    CHECK(cell(csv, column(grids, "code")) == "\"=\"\"410202001009001\"\"\"");
    CHECK(cell(csv, column(grids, "comm_code")) == "\"=\"\"410202001009\"\"\"");
    CHECK(cell(csv, column(grids, "st_code")) == "ST-7");
    CHECK(cell(csv, column(grids, "comm_name")) == "南京巷社区");
}

TEST_CASE("CSV rounds numbers for reading, by what they count", "[output][csv]") {
    const output::Layer grids = grid_table();
    const std::string csv = output::detail::csv_text(grids, output::Language::zh);
    CHECK(cell(csv, column(grids, "households")) == "381");
    CHECK(cell(csv, column(grids, "population")) == "1001");
    CHECK(cell(csv, column(grids, "area_m2")) == "52346");
    CHECK(cell(csv, column(grids, "deviation")) == "0");  // -0.04 % -> 0, never "-0"
    CHECK(cell(csv, column(grids, "polsby_pp")) == "0.12");
    CHECK(cell(csv, column(grids, "buildings")) == "7");

    const output::Layer stats = output::make_layer("coverage_stats");
    CHECK(output::csv_decimals(stats.fields[output::field_index(stats, "hh_cov")]) == 0);
    CHECK(output::csv_decimals(stats.fields[output::field_index(stats, "pop_pct")]) == 1);
    CHECK(output::csv_decimals(stats.fields[output::field_index(stats, "street_km")]) == 2);
    const output::Layer buildings = output::make_layer("buildings");
    CHECK(output::csv_decimals(buildings.fields[output::field_index(buildings, "sc_min")]) == 1);
}
