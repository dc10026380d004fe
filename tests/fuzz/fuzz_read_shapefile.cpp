// libFuzzer target: read → validate → ledger of one Shapefile. The input holds its files
// separated by kPartMarker, in the order .shp, .shx, .dbf, .prj, .cpg (a missing or empty part
// is a missing file); read as buildings and as roads, with assume_epsg 4326 for a missing .prj.
#include <array>
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridplan;
    static constexpr std::array<const char*, 5> kExtensions{".shp", ".shx", ".dbf", ".prj", ".cpg"};
    fuzz::clear_scratch();
    const auto parts = fuzz::split_parts({reinterpret_cast<const char*>(data), size});
    const auto shp = fuzz::write_scratch("input.shp", parts[0]);
    for (std::size_t i = 1; i < parts.size() && i < kExtensions.size(); ++i) {
        if (!parts[i].empty()) {
            (void)fuzz::write_scratch(std::string{"input"} + kExtensions[i], parts[i]);
        }
    }
    io::InputConfig config;
    config.buildings = fuzz::source(shp);
    config.buildings->assume_epsg = 4326;
    config.roads = config.buildings;
    fuzz::read_validate_report(config);
    return 0;
}
