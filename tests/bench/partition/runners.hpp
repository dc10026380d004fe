#pragma once
/// \file
/// The partitioners compared by bench_partition, each run on the same per-community graphs with
/// the same k: METIS 5.1 through its C library, and gridplan's partition engine.

#include <cstdint>
#include <string>
#include <vector>

#include "city.hpp"
#include "metrics.hpp"
#include "partition/graph.hpp"

namespace gridplan::bench {

/// One method's labels: `parts[c][v]` = grid label of local unit v of community c.
using CityParts = std::vector<std::vector<std::int32_t>>;

/// METIS_PartGraphKway with the options `gpmetis -ptype=kway -contig -ufactor=30 -seed=1` uses
/// (harness.py's "metis_kway_contig_u30"): vertex weight = households, edge weight = cut cost.
/// Communities with k == 1 get one grid without calling METIS (as the harness does).
/// `fallbacks` counts communities where METIS refused `contig` and was rerun without it.
[[nodiscard]] CityParts run_metis(const City& city, const std::vector<std::uint32_t>& k,
                                  std::uint32_t& fallbacks);

/// The engine's unit graphs of the city: households, positions, road blocks and the same edges
/// and cut costs METIS gets. With `cells`, the Voronoi cell area, perimeter and shared edge
/// lengths are passed too (the production graph builder knows them from its own cells).
[[nodiscard]] std::vector<partition::UnitGraph> build_unit_graphs(
    const City& city, const std::vector<VoronoiCells>* cells);

/// gridplan's result for every community.
struct GridplanRun {
    CityParts parts;
    std::vector<partition::GraphPartition> results;
    std::vector<double> seconds;  ///< wall time of each community's partition_graph call
};

/// partition::partition_graph on every community, communities spread over `threads` threads
/// (each community's result depends only on its own graph, k and the options).
[[nodiscard]] GridplanRun run_gridplan(const std::vector<partition::UnitGraph>& graphs,
                                       const std::vector<std::uint32_t>& k, unsigned threads,
                                       const partition::OptimiserOptions& options);

}  // namespace gridplan::bench
