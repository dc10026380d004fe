#pragma once
/// \file
/// The synthetic benchmark city: buildings (units) with households, positions and road blocks,
/// grouped into communities (社区), each with its own unit graph. The file format is the JSON
/// written by ../shared/bench/partition/gen_city.py (and by gen_kaifeng.py in this folder):
///   {"seed": S, "buildings": [{"x","y","hh","block","comm"}...],
///    "communities": [{"id", "members": [building index...], "edges": [[a, b, cost]...],
///                     "bbox": [x0, y0, x1, y1]}...]}
/// Edge endpoints are indices into the community's `members`.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace gridplan::bench {

/// One community's unit graph. Adjacency is stored in CSR form in exactly the order the Python
/// harness writes its METIS graph files (edge-list order, both directions), so that METIS
/// called through its C library sees the same graph as `gpmetis` in harness.py.
struct Community {
    std::int64_t id = 0;
    std::vector<std::uint32_t> members;  ///< global building index of each local unit
    std::vector<std::int32_t> households;
    std::vector<double> x_m, y_m;
    std::vector<std::int64_t> block;
    std::array<double, 4> bbox_m{};  ///< x0, y0, x1, y1
    std::vector<std::int32_t> xadj;  ///< CSR offsets, size n + 1
    std::vector<std::int32_t> adjncy;
    std::vector<std::int32_t> adjcost;  ///< cut cost of each arc (10 in a block, 1 across a road)
    std::int64_t total_households = 0;

    [[nodiscard]] std::size_t size() const { return households.size(); }
};

/// The whole city.
struct City {
    std::int64_t seed = 0;
    std::size_t building_count = 0;
    std::int64_t total_households = 0;
    std::vector<Community> communities;  ///< in file order (sorted by id by the generators)
};

/// Reads a city JSON file; throws std::runtime_error on a malformed file.
[[nodiscard]] City read_city(const std::string& path);

}  // namespace gridplan::bench
