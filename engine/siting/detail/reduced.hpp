#pragma once
/// \file
/// Internal: the presolved siting model shared by the heuristics (heuristics.cpp) and the MIP
/// (mip.cpp). Not part of the public API.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "siting/siting.hpp"

namespace gridplan::siting::detail {

/// Presolved model: demand groups (merged units) x kept candidates.
struct Reduced {
    std::vector<double> weight;       ///< per group
    std::vector<std::uint32_t> need;  ///< per group: new stations still required (>= 1)
    std::vector<std::uint32_t> cand_off, cand_grp;  ///< CSR candidate -> groups (sorted)
    std::vector<std::uint32_t> grp_off, grp_cand;   ///< CSR group -> candidates (sorted)
    std::vector<std::uint32_t> original;            ///< kept candidate -> Instance candidate index
    std::vector<double> capacity;                   ///< per kept candidate, 0 = unlimited
    /// min spacing: CSR of conflicting kept candidates (closer than min_spacing_m)
    std::vector<std::uint32_t> conflict_off, conflict;
    /// max spacing: CSR of kept candidates within max_spacing_m, and whether an existing station is
    bool max_spacing = false;
    std::vector<std::uint32_t> near_off, near;
    std::vector<std::uint8_t> near_existing;
    double target = 0;  ///< min_stations: weight the groups must reach

    [[nodiscard]] std::size_t candidates() const noexcept { return original.size(); }
    [[nodiscard]] std::size_t groups() const noexcept { return weight.size(); }
};

/// What the LP/MIP stage returns (all in the problem's own sense: max coverage or min count).
struct MipAnswer {
    bool lp_solved = false;
    double lp_bound = 0;
    bool ran_mip = false;
    bool have_solution = false;
    std::vector<std::uint32_t> chosen;  ///< kept-candidate indices, sorted
    std::vector<double> served;         ///< capacitated: weight served per chosen (same order)
    double incumbent = 0;
    double bound = 0;
    bool optimal = false;
    bool infeasible = false;
    std::string status;
    double lp_s = 0, mip_s = 0;
};

/// Input to the LP/MIP stage.
struct MipInput {
    const Reduced* model = nullptr;
    Problem problem = Problem::max_coverage;  ///< max_coverage or min_stations_for_target
    std::uint32_t p = 0;
    bool capacitated = false;
    std::optional<std::vector<std::uint32_t>> start;  ///< heuristic incumbent (kept indices)
    std::vector<double> start_served_flow;  ///< capacitated start: flow per (group, cand) nnz
    double start_value = 0;
    std::uint64_t max_nodes = 0;  ///< branch-and-cut node limit; 0: LP bound only
    double time_limit_s =
        0;  ///< what is left of the safety stop for LP and branch-and-cut (0 = none)
    double configured_limit_s = 0;  ///< siting.time_limit_s itself, for the message
    double gap_tolerance = 0;
    /// Optional: called with the LP solution's x (per kept candidate) before CBC; may return a
    /// better start (selection, value), e.g. LP-guided rounding plus local search.
    std::function<std::optional<std::pair<std::vector<std::uint32_t>, double>>(
        const std::vector<double>&)>
        polish;
};

/// Throws Errc::usage: the wall-clock safety stop came before the deterministic work limit.
[[noreturn]] void throw_safety_stop(std::uint64_t max_nodes, double time_limit_s);

/// LP bound and, within the node limit, CBC branch-and-cut. Silent; single-threaded;
/// deterministic. Throws Errc::usage when the wall-clock safety stop is reached first.
[[nodiscard]] MipAnswer solve_mip(MipInput input);

}  // namespace gridplan::siting::detail
