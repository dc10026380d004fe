// libFuzzer target: read → validate → ledger of one GeoJSON file, read as communities,
// buildings, roads and facilities (each role validates its own geometry types).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridplan;
    fuzz::clear_scratch();
    const auto path =
        fuzz::write_scratch("input.geojson", {reinterpret_cast<const char*>(data), size});
    io::InputConfig config;
    config.communities = fuzz::source(path);
    config.buildings = fuzz::source(path);
    config.roads = fuzz::source(path);
    config.facilities.push_back(fuzz::source(path));
    config.facilities.back().kind = core::FacilityKind::other;
    fuzz::read_validate_report(config);
    return 0;
}
