#pragma once
/// \file
/// Siting new stations (暖心驿站, 党群服务中心) on sparse cover sets with a proven optimality gap.
///
/// The solver works on an abstract Instance: demand units with weights (residents, households or
/// street metres), candidate sites, and for each candidate the demand units it covers under the
/// walking-time rule (one bounded search per candidate, see coverage::cover_sets). Existing stations
/// are fixed and enter as `existing_count` (how many of them already cover each demand unit) and
/// `existing_position` (for the spacing rules).
///
/// Pipeline of solve(): presolve (drop satisfied/uncoverable demand, merge demand with identical cover
/// signatures, drop dominated candidates where that is valid) -> greedy -> 1-swap local search ->
/// LP relaxation bound (CLP) -> branch-and-cut (CBC) warm-started with the incumbent, until optimal or
/// the node limit. Every Result carries incumbent, bound and gap. docs/siting.md explains the models.

#include <cstdint>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace gridplan::siting {

/// A siting instance on sparse cover sets (CSR by candidate).
struct Instance {
    /// Weight of each demand unit (residents, households, or street metres); must be >= 0.
    std::vector<double> weight;
    /// CSR: candidate j covers demand units cover_demand[cover_offsets[j] .. cover_offsets[j+1]).
    /// cover_offsets has one entry per candidate plus one.
    std::vector<std::uint32_t> cover_offsets;
    std::vector<std::uint32_t> cover_demand;
    /// Per demand unit: how many existing (fixed) stations already cover it. Empty = none.
    std::vector<std::uint32_t> existing_count;
    /// Positions of the existing stations (working CRS, metres): used by the spacing rules only.
    std::vector<core::Point> existing_position;
    /// Per candidate: position (metres). Required when a spacing rule is active.
    std::vector<core::Point> candidate_position;
    /// Per candidate: most weight one station may serve; 0 = unlimited. Empty = all unlimited.
    std::vector<double> candidate_capacity;
    /// Per candidate: cost (reported only; not part of any objective). Empty = none.
    std::vector<double> candidate_cost;

    /// Number of candidates (cover_offsets.size() - 1, or 0).
    [[nodiscard]] std::size_t candidate_count() const noexcept {
        return cover_offsets.empty() ? 0 : cover_offsets.size() - 1;
    }
};

/// Which question is asked.
enum class Problem {
    max_coverage,             ///< MCLP: at most p new stations, maximise newly covered weight
    min_stations_for_target,  ///< fewest new stations so that covered weight >= target_share of all
    double_coverage,          ///< max_coverage with required_cover raised to at least 2 (交叉覆盖)
};

/// How to solve.
struct Options {
    Problem problem = Problem::max_coverage;
    std::uint32_t p = 10;              ///< max new stations (max_coverage, double_coverage)
    double target_share = 0.85;        ///< min_stations_for_target: share of total weight (0..1]
    std::uint32_t required_cover = 1;  ///< a demand counts as covered when >= this many stations
                                       ///< (new + existing) reach it; 2 = 交叉覆盖
    double min_spacing_m = 0;          ///< > 0: no two stations (new or existing) closer than this
    double max_spacing_m = 0;          ///< > 0: every new station has another station within this
    bool capacitated = false;          ///< honour candidate_capacity (single coverage only)
    /// Branch-and-cut work limit in search-tree nodes: the deterministic limit that decides how
    /// far the exact search goes (same answer on a busy and an idle machine). 0 = heuristics and
    /// the LP bound only, no branch-and-cut.
    std::uint64_t max_nodes = 2000;
    /// Wall-clock safety stop for the whole solve, seconds (0 = none). It never chooses the
    /// answer: reaching it before the work limit stops the solve with Errc::usage (a machine's
    /// speed must not decide which sites are proposed).
    double time_limit_s = 600;
    double gap_tolerance = 0;          ///< stop CBC when the relative gap is at most this
    int threads = 0;                   ///< reserved for callers building cover sets; CBC runs on
                                       ///< one thread so answers are reproducible
};

/// One proposed site.
struct Site {
    std::uint32_t candidate = 0;  ///< index into the Instance's candidates
    double marginal_gain = 0;     ///< weight newly covered by this site given the sites above it
    double cumulative = 0;        ///< weight newly covered by this site and all above it
    double cumulative_share = 0;  ///< (already covered + cumulative) / total weight
};

/// Wall-clock seconds per phase.
struct Timings {
    double presolve_s = 0, greedy_s = 0, local_search_s = 0, lp_s = 0, mip_s = 0, total_s = 0;
};

/// What presolve did.
struct PresolveStats {
    std::size_t demand_units = 0;          ///< demand units in the instance
    std::size_t demand_satisfied = 0;      ///< already covered by existing stations (dropped)
    std::size_t demand_uncoverable = 0;    ///< no (or too few) candidates reach them (dropped)
    std::size_t demand_groups = 0;         ///< groups after merging identical cover signatures
    std::size_t candidates = 0;            ///< candidates in the instance
    std::size_t candidates_forbidden = 0;  ///< closer than min_spacing_m to an existing station
    std::size_t candidates_dominated = 0;  ///< cover set inside another candidate's (dropped)
    std::size_t candidates_empty = 0;      ///< cover nothing that is still needed (dropped)
    std::size_t candidates_kept = 0;       ///< candidates the models see
};

/// Why a best-p answer (max_coverage, double_coverage) proposes fewer than p sites: the solver's
/// own reason, found on the presolved model (docs/siting.md, "Fewer sites than asked").
enum class Shortfall {
    none,              ///< p sites proposed, or the target question (its count is the answer)
    no_candidates,     ///< there was no candidate to choose from
    nothing_to_cover,  ///< no demand is both still uncovered and within reach of a candidate
    all_covered,       ///< no other candidate adds coverage: the sites cover all that candidates
                       ///< can still reach (or, double coverage, the rest needs more sites than p)
    spacing,           ///< every candidate that would add coverage breaks a spacing rule
    solver_stopped,    ///< the solver stopped (time limit) with candidates that would add
                       ///< coverage unused: a longer time limit may propose more
};

/// "none", "no_candidates", "nothing_to_cover", "all_covered", "spacing", "solver_stopped".
[[nodiscard]] const char* to_string(Shortfall shortfall) noexcept;

/// The answer. For max_coverage/double_coverage the objective is newly covered weight (maximised);
/// for min_stations_for_target it is the number of new stations (minimised).
struct Result {
    std::vector<Site> sites;  ///< chosen sites, ranked by marginal gain (greedy order on the set)
    double incumbent = 0;     ///< objective of the best answer found
    double bound = 0;         ///< proven bound: no answer is better than this
    double gap = 0;           ///< |bound - incumbent| / |bound| (max) or / |incumbent| (min); >= 0
    bool optimal = false;     ///< true: proven optimal within gap_tolerance (gap 0 when exact)
    double greedy_value = 0;  ///< objective of the plain greedy answer
    double lp_bound = 0;      ///< LP relaxation bound
    double total_weight = 0;             ///< sum of all demand weight
    double already_covered_weight = 0;   ///< weight covered by existing stations alone
    double uncoverable_weight = 0;       ///< weight no set of candidates can cover
    double covered_weight = 0;           ///< already covered + newly covered by the sites
    std::vector<std::uint8_t> demand_covered;  ///< per demand unit after siting (1 = covered,
                                               ///< required_cover rule; capacity not applied)
    PresolveStats presolve;
    Timings timings;
    std::string status;  ///< "optimal", "work limit", "heuristic", "infeasible"
    std::uint32_t asked = 0;                ///< p (best-p questions), else 0
    Shortfall shortfall = Shortfall::none;  ///< why sites.size() < asked
    /// Shortfall::spacing: candidates that would add coverage but are closer than min_spacing_m
    /// to a proposed site (or cannot meet max_spacing_m).
    std::size_t spacing_blocked = 0;
};

/// Solves the siting problem. Throws core::Error(usage) on inconsistent options or instance
/// (sizes, capacity together with required_cover > 1, unreachable target share).
[[nodiscard]] Result solve(const Instance& instance, const Options& options);

/// Objective of a given set of candidates under the options (for checks and brute force):
/// newly covered weight (uncapacitated rule). Ignores spacing and capacity.
[[nodiscard]] double covered_weight(const Instance& instance, const Options& options,
                                    const std::vector<std::uint32_t>& chosen);

}  // namespace gridplan::siting
