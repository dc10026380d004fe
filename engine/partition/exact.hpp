#pragma once
/// \file
/// Exact search for small communities (internal to the partition module): pruned enumeration of
/// connected partitions into k parts whose households all lie in the band. It either finds one
/// (the optimiser then polishes it), proves that none exists (a contiguity-aware certificate:
/// the band is infeasible for every connected plan), or gives up when its node budget is spent.
/// See docs/partition.md, "Exact search for small communities".

#include <cstdint>
#include <optional>
#include <vector>

namespace gridplan::partition::detail {

/// One component's graph for the exact search (at most kExactMaxUnits units).
struct ExactProblem {
    std::vector<double> households;
    std::vector<double> population;  ///< empty = no population cap check
    std::vector<std::uint32_t> adj_offset;  ///< CSR adjacency, symmetric
    std::vector<std::uint32_t> adj_target;
    std::uint32_t k = 1;
    double min_households = 300.0;
    double max_households = 500.0;
    std::optional<double> max_population;
    std::uint64_t max_nodes = 2'000'000;  ///< search nodes before giving up (deterministic)
};

enum class ExactStatus {
    found,      ///< `part` holds a connected partition with every part in the band
    none,       ///< exhaustive: no connected partition puts every part in the band
    gave_up,    ///< node budget spent; nothing proven
    too_large,  ///< more units than kExactMaxUnits; not attempted
};

struct ExactResult {
    ExactStatus status = ExactStatus::gave_up;
    std::vector<std::uint32_t> part;  ///< part per unit in [0, k) when found
    std::uint64_t nodes = 0;          ///< search nodes used
};

/// Units the exact search accepts (bitmask width).
inline constexpr std::uint32_t kExactMaxUnits = 64;

/// Searches for a connected k-partition with every part in [min, max] households (and under the
/// population cap). Deterministic: the same problem gives the same result.
[[nodiscard]] ExactResult exact_band_partition(const ExactProblem& problem);

}  // namespace gridplan::partition::detail
