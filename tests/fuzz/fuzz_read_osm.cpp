// libFuzzer target: read → validate → ledger of one OpenStreetMap file, XML (input starting
// with '<' or white space) or PBF (anything else), read as the sample reads data/monaco.json:
// communities and buildings from multipolygons, roads from lines, facilities from points, in
// one pass over the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gridplan;
    fuzz::clear_scratch();
    const bool xml = size > 0 && (data[0] == '<' || data[0] == ' ' || data[0] == '\n' ||
                                  data[0] == '\r' || data[0] == '\t');
    const auto path = fuzz::write_scratch(xml ? "input.osm" : "input.osm.pbf",
                                          {reinterpret_cast<const char*>(data), size});
    io::InputConfig config;
    config.communities = fuzz::source(path, "multipolygons", {{"boundary", {"administrative"}}});
    config.buildings = fuzz::source(path, "multipolygons", {{"building", {"*"}}});
    config.roads = fuzz::source(path, "lines", {{"highway", {"*"}}});
    config.facilities.push_back(fuzz::source(path, "points", {{"amenity", {"*"}}}));
    config.facilities.back().kind = core::FacilityKind::other;
    fuzz::read_validate_report(config);
    return 0;
}
