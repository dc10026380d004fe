// libFuzzer target: read → validate → ledger of one GeoPackage (its first layer), read as
// communities, buildings and facilities.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridplan;
    fuzz::clear_scratch();
    const auto path =
        fuzz::write_scratch("input.gpkg", {reinterpret_cast<const char*>(data), size});
    io::InputConfig config;
    config.communities = fuzz::source(path);
    config.buildings = fuzz::source(path);
    config.facilities.push_back(fuzz::source(path));
    config.facilities.back().kind = core::FacilityKind::other;
    fuzz::read_validate_report(config);
    return 0;
}
