#pragma once
/// \file
/// Graph-level grid partitioning (网格划分): split one community's unit graph into k connected
/// grids whose households lie in a band [min, max], with a certified lower bound on what any
/// partition could achieve. This is the optimiser the scene-level `partition_scene` calls for
/// every community, and the entry point the METIS benchmark calls on plain graphs.
///
/// The algorithm is described in docs/partition.md (multi-start construction, connectivity-safe
/// local search, pair merge-and-re-split, number-partitioning certificate).

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace gridplan::partition {

/// The household band every grid should meet: min_households <= h <= max_households.
struct Band {
    double min_households = 300.0;
    double max_households = 500.0;

    [[nodiscard]] double middle() const noexcept { return 0.5 * (min_households + max_households); }
    [[nodiscard]] bool contains(double households) const noexcept {
        return households >= min_households - 1e-9 && households <= max_households + 1e-9;
    }
    bool operator==(const Band&) const = default;
};

/// How the number of grids k is chosen inside ceil(H/max) <= k <= floor(H/min).
enum class KPolicy {
    closest_to_band_middle,  ///< default: the k whose target H/k is closest to (min+max)/2
    fewest_grids,            ///< ceil(H/max): fewest grids (fewest staff)
    most_grids,              ///< floor(H/min): most grids (smallest grids)
};

[[nodiscard]] const char* to_string(KPolicy policy) noexcept;

/// One undirected edge, used to build a UnitGraph's CSR adjacency.
struct GraphEdge {
    std::uint32_t u = 0;
    std::uint32_t v = 0;
    double cost = 1.0;      ///< cost of cutting this edge (high inside a block, low across roads)
    double shared_m = 0.0;  ///< shared boundary length of the two units' cells (0 if unknown)
};

/// One community's units (buildings or building parts) and their adjacency.
/// All per-unit vectors have size() entries, except the optional ones, which are empty or full.
struct UnitGraph {
    std::vector<double> households;
    std::vector<double> population;          ///< empty = no population data (cap not checked)
    std::vector<core::Point> position;       ///< unit anchor (metres); used for compactness
    std::vector<std::int32_t> block;         ///< road block id per unit; empty = unknown (-1)
    std::vector<std::int32_t> fixed_part;    ///< empty, or -1 (free) / the part the unit must keep
    std::vector<std::int32_t> initial_part;  ///< empty, or the existing plan's part (-1 = none)
    std::vector<double> area_m2;             ///< optional cell area, for compactness and PP
    std::vector<double> perimeter_m;         ///< optional cell perimeter, for Polsby-Popper
    /// CSR adjacency (symmetric): neighbours of u are adj_target[adj_offset[u]..adj_offset[u+1]).
    std::vector<std::uint32_t> adj_offset;
    std::vector<std::uint32_t> adj_target;
    std::vector<double> adj_cost;      ///< cut cost per adjacency entry (same both directions)
    std::vector<double> adj_shared_m;  ///< optional shared boundary length per entry

    [[nodiscard]] std::size_t size() const noexcept { return households.size(); }
    /// Replaces the adjacency by the given undirected edges (duplicates are merged by summing
    /// cost and shared length; self loops are dropped). Neighbour lists are sorted.
    void set_edges(std::vector<GraphEdge> edges);
    /// Throws core::Error{invalid_input} when sizes disagree or indices are out of range.
    void validate() const;
};

/// Options of the optimiser. Every budget is a count, not a time, so results are deterministic.
struct OptimiserOptions {
    std::optional<double> max_population = 2500.0;  ///< population cap per grid (hard, tier 1)
    std::uint64_t seed = 1;                         ///< RNG seed (results depend only on it)
    int tree_starts = 2;    ///< starts by recursive bisection of random spanning trees
    int growth_starts = 1;  ///< starts by seeded, household-balanced region growth
    int max_rounds = 30;    ///< local-search rounds per start (boundary moves + pair re-splits)
    int pair_rounds = 3;    ///< rounds (of max_rounds) that also try pair re-splits
    int pair_trees = 4;     ///< random spanning trees per pair re-split
    int exhaustive_pair_units = 12;     ///< pairs with at most this many units: enumerate exactly
    double balance_weight = 1.0;        ///< weight of mean squared relative deviation
    double cut_weight = 0.012;          ///< weight of normalised cut cost (road-following)
    double compactness_weight = 0.003;  ///< weight of mean normalised moment of inertia
    double churn_weight = 0.0;  ///< redraw: weight of the share of households moved from initial
    /// Redraw (an initial plan is given): when grids are still outside the band after every
    /// start (grids holding a unit above the band maximum aside), up to this many band-first
    /// local searches (violation and balance only, no churn) from the best plan and from each
    /// local optimum of the old plan: attempts 0-3 let only grids within 1, 2, 3 steps of the
    /// out-of-band grids (then all) exchange units; later ones alternate repeats of those with
    /// starts whose neighbourhood of one out-of-band grid is released and regrown. Each is
    /// polished by the normal objective; a result wins only with fewer grids out of band, then
    /// 4 more attempts compete on the full score (churn included). 0 = off.
    int band_first_rounds = 28;
    /// Redraw: local searches from the existing plan (each with its own move order); the
    /// best by the lexicographic score (band, then the weighted quality with churn) is kept.
    int initial_starts = 6;
    /// Redraw (churn_weight > 0): a final pass moves units back to their initial grid whenever
    /// that keeps every grid's band status and violation no worse and every grid connected
    /// (churn before balance quality).
    bool undo_moves = true;
    /// Components of at most this many units (and no fixed units) that still have grids out of
    /// band after the heuristic get an exact search for a connected in-band partition; when it
    /// is exhaustive and finds none, the certificate says so (contiguity-aware). 0 = never.
    int exact_max_units = 40;
    std::uint64_t exact_max_nodes = 1'000'000;  ///< search nodes of that exact search
    bool operator==(const OptimiserOptions&) const = default;
};

/// Lower bounds from number partitioning, which ignores contiguity, so they hold for any plan.
struct Certificate {
    double total_households = 0.0;
    double target_households = 0.0;  ///< T = H / k
    bool k_in_range = true;          ///< ceil(H/max) <= k <= floor(H/min)
    /// false proves that no assignment of these units to k grids (connected or not) puts every
    /// grid in the band: H is not a sum of k subset sums that each lie in the band.
    bool band_feasible = true;
    /// Lower bound on the number of grids outside the band in any plan with k grids.
    std::uint32_t min_out_of_band = 0;
    /// Lower bound on max |h - T| / T over grids, for any plan with k grids.
    double deviation_lower_bound = 0.0;
    /// true when band_feasible = false was proven by the exact enumeration of connected
    /// partitions (contiguity-aware), not by number partitioning alone.
    bool connected_proof = false;
    std::string reason;  ///< human-readable: why the band is infeasible / what bounds the deviation
};

/// Quality of a partition (the benchmark table columns).
struct PartitionMetrics {
    std::uint32_t parts = 0;
    std::uint32_t in_band = 0;
    std::uint32_t over_population_cap = 0;
    std::uint32_t disconnected = 0;  ///< parts whose units are not connected (must be 0)
    std::uint32_t empty = 0;         ///< parts without units (0 unless k > units)
    std::uint32_t blocks_split = 0;  ///< blocks whose units fall in more than one part
    double worst_deviation = 0.0;    ///< max |h - T| / T
    double mean_deviation = 0.0;     ///< mean |h - T| / T
    double cut_cost = 0.0;           ///< sum of costs of edges between parts
    double mean_polsby_popper = std::numeric_limits<double>::quiet_NaN();  ///< needs area+perimeter
    double households_moved = 0.0;  ///< households whose part differs from initial_part
};

/// A partition of a UnitGraph.
struct GraphPartition {
    std::vector<std::uint32_t> part;  ///< part per unit, in [0, k)
    std::uint32_t k = 0;              ///< parts used (>= requested k when components force it)
    PartitionMetrics metrics;
    Certificate certificate;
    std::uint32_t components = 0;  ///< connected components of the graph (each partitioned alone)
};

/// Chooses k for H households: inside ceil(H/max) <= k <= floor(H/min) by the policy. When that
/// range is empty (e.g. H = 550 with 300-500) returns whichever of floor(H/min) and ceil(H/max)
/// has the smaller relative violation of the band (ties: the smaller k). Returns >= 1.
[[nodiscard]] std::uint32_t choose_k(double total_households, const Band& band, KPolicy policy);

/// Partitions the graph into k connected parts. Every connected component of the graph is
/// partitioned on its own (k is shared out by largest-average rule, at least one part each),
/// so parts never straddle components. Fixed units keep their part; units are never left
/// unassigned. Deterministic for a given seed.
[[nodiscard]] GraphPartition partition_graph(const UnitGraph& graph,
                                             std::uint32_t k,
                                             const Band& band,
                                             const OptimiserOptions& options);

/// Number-partitioning certificate for k parts of these unit households. `achieved_max_dev`
/// (relative, e.g. from a heuristic) caps the search for the deviation bound.
[[nodiscard]] Certificate certify(const std::vector<double>& households,
                                  std::uint32_t k,
                                  const Band& band,
                                  double achieved_max_dev = 1.0);

/// Metrics of any assignment (parts in [0, k)).
[[nodiscard]] PartitionMetrics evaluate(const UnitGraph& graph,
                                        const std::vector<std::uint32_t>& part,
                                        std::uint32_t k,
                                        const Band& band,
                                        std::optional<double> max_population);

}  // namespace gridplan::partition
