#pragma once
/// \file
/// Quality measures of a partition of the benchmark city, computed identically for every method,
/// and the granularity certificate (does the household band admit any k-way split of a
/// community's units at all, ignoring contiguity?).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "city.hpp"

namespace gridplan::bench {

/// The household band and target used by the measures.
struct BandSpec {
    double min_households = 300;
    double max_households = 500;
};

/// One community's measures for one method.
struct CommunityScore {
    std::int64_t community_id = 0;
    std::uint32_t k_requested = 0;
    std::uint32_t grids = 0;  ///< distinct labels actually used
    std::vector<double> grid_households;
    std::vector<double> deviations;  ///< |h - T| / T with T = H / k_requested
    std::vector<double> polsby_popper;
    std::uint32_t in_band = 0;
    std::uint32_t below_band = 0;
    std::uint32_t above_band = 0;
    std::uint32_t disconnected = 0;  ///< grids made of > 1 connected piece of the unit graph
    std::uint32_t blocks_split = 0;  ///< road blocks whose units lie in >= 2 grids
    std::int64_t cut_cost = 0;
};

/// Voronoi cells of a community's units clipped to its bbox, kept as convex polygons whose every
/// edge remembers the neighbouring unit it borders (-1: the bbox). The grid polygon of the
/// Python harness (union of the cells of the grid's units) then has area = sum of cell areas and
/// perimeter = the cell edges not shared with a unit of the same grid, so its Polsby-Popper is
/// computed exactly without a polygon union. Requires the unit graph to contain every Delaunay
/// edge (true for both generators: the graph IS the Delaunay triangulation).
struct VoronoiCells {
    struct Edge {
        double length_m;
        std::int32_t neighbour;
    };
    std::vector<double> area_m2;                 ///< per unit
    std::vector<std::vector<Edge>> edges;        ///< per unit
};

[[nodiscard]] VoronoiCells voronoi_cells(const Community& cm);

/// Measures one community's partition (`part[v]` = grid label of local unit v).
[[nodiscard]] CommunityScore score_community(const Community& cm, const VoronoiCells& cells,
                                             const std::vector<std::int32_t>& part,
                                             std::uint32_t k_requested, const BandSpec& band);

/// Granularity certificate of one community for a given k.
struct Certificate {
    enum class Status { feasible, infeasible, unknown };
    Status status = Status::unknown;
    /// Lower bound on the number of out-of-band grids of ANY k-way split of the units (0 when
    /// the band may be feasible). Proven by a relaxation: the largest units are placed exactly,
    /// the rest is treated as divisible.
    std::uint32_t min_out_of_band = 0;
};

[[nodiscard]] Certificate certify_band(const std::vector<std::int32_t>& households,
                                       std::uint32_t k, const BandSpec& band);

/// Exact bound WITH contiguity for tiny communities (at most `max_units` units): enumerates every
/// split of the units into k connected, non-empty grids and returns the fewest out-of-band grids
/// any of them has (k + 1 when no connected k-split exists), or nothing when the community is
/// too large to enumerate.
[[nodiscard]] std::optional<std::uint32_t> exact_min_out_of_band(const Community& cm,
                                                                 std::uint32_t k,
                                                                 const BandSpec& band,
                                                                 std::size_t max_units = 12);

/// The harness's k rule: round(H / 400) clamped to [ceil(H/max), floor(H/min)].
[[nodiscard]] std::uint32_t harness_k(std::int64_t total_households, const BandSpec& band);

/// City-wide summary row of one method.
struct Summary {
    std::string method;
    std::uint64_t grids = 0;
    std::uint64_t k_requested = 0;
    std::uint64_t in_band = 0;
    std::uint64_t below = 0;
    std::uint64_t above = 0;
    double max_deviation = 0;
    double mean_deviation = 0;
    std::uint64_t disconnected = 0;
    std::uint64_t blocks_split = 0;
    std::int64_t cut_cost = 0;
    double mean_pp = 0;
    double wall_s = 0;
    double cpu_s = 0;  ///< CPU time (user + system) of the partitioning, median of the runs
    std::uint64_t out_of_band = 0;
    std::uint64_t out_of_band_certified = 0;  ///< explained by the granularity lower bound
    std::int64_t worst_community = -1;        ///< community of the worst-deviation grid
};

[[nodiscard]] Summary summarize(const std::string& method,
                                const std::vector<CommunityScore>& scores,
                                const std::vector<Certificate>& certificates, double wall_s);

}  // namespace gridplan::bench
