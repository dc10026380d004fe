/// \file
/// Siting solver (docs/siting.md): validation and the driver `solve` with its steps: presolve
/// (presolve.cpp), target, heuristics (heuristics.cpp), the LP/MIP stage (mip.cpp), the answer and
/// its ranking, coverage after siting, the gap and why fewer than p sites (shortfall.cpp).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "siting/detail/heuristics.hpp"
#include "siting/detail/presolve.hpp"
#include "siting/detail/reduced.hpp"
#include "siting/detail/shortfall.hpp"
#include "siting/siting.hpp"

namespace gridplan::siting {
namespace {

using detail::CapGreedy;
using detail::Clock;
using detail::Lists;
using detail::MipAnswer;
using detail::MipInput;
using detail::normalised_cover;
using detail::Prepared;
using detail::presolve;
using detail::Reduced;
using detail::required_of;
using detail::Selection;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

[[noreturn]] void usage(const std::string& what) {
    throw core::Error{core::Errc::usage, "siting '" + what};
}

bool is_max(const Options& options) {
    return options.problem != Problem::min_stations_for_target;
}

void validate(const Instance& in, const Options& options) {
    const std::size_t n = in.weight.size();
    const std::size_t m = in.candidate_count();
    if (!in.cover_offsets.empty()) {
        if (in.cover_offsets.front() != 0 || in.cover_offsets.back() != in.cover_demand.size()) {
            usage("instance': cover_offsets must start at 0 and end at cover_demand.size()");
        }
        for (std::size_t j = 0; j < m; ++j) {
            if (in.cover_offsets[j] > in.cover_offsets[j + 1]) {
                usage("instance': cover_offsets must not decrease (candidate " + std::to_string(j) +
                      ")");
            }
        }
    } else if (!in.cover_demand.empty()) {
        usage("instance': cover_demand without cover_offsets");
    }
    for (const std::uint32_t d : in.cover_demand) {
        if (d >= n)
            usage("instance': cover set names demand unit " + std::to_string(d) + " of " +
                  std::to_string(n));
    }
    for (const double w : in.weight) {
        if (!(w >= 0) || !std::isfinite(w))
            usage("instance': demand weights must be finite and >= 0");
    }
    if (!in.existing_count.empty() && in.existing_count.size() != n) {
        usage("instance': existing_count needs one entry per demand unit");
    }
    if (!in.candidate_capacity.empty() && in.candidate_capacity.size() != m) {
        usage("instance': candidate_capacity needs one entry per candidate");
    }
    for (const double c : in.candidate_capacity) {
        if (!(c >= 0) || !std::isfinite(c))
            usage("instance': capacities must be finite and >= 0 (0 = unlimited)");
    }
    if (!in.candidate_cost.empty() && in.candidate_cost.size() != m) {
        usage("instance': candidate_cost needs one entry per candidate");
    }
    const bool spacing = options.min_spacing_m > 0 || options.max_spacing_m > 0;
    if (spacing && in.candidate_position.size() != m) {
        usage("instance': spacing rules need one candidate_position per candidate");
    }
    if (options.min_spacing_m < 0 || options.max_spacing_m < 0)
        usage("options': spacing must be >= 0");
    if (options.max_spacing_m > 0 && options.min_spacing_m > options.max_spacing_m) {
        usage("options': min_spacing_m exceeds max_spacing_m");
    }
    if (options.capacitated && required_of(options) > 1) {
        usage("options': capacity with required_cover > 1 is not supported (use single coverage)");
    }
    if (options.problem == Problem::min_stations_for_target &&
        !(options.target_share > 0 && options.target_share <= 1)) {
        usage("options': target_share must be in (0, 1]");
    }
    if (options.time_limit_s < 0 || options.gap_tolerance < 0) {
        usage("options': time_limit_s and gap_tolerance must be >= 0");
    }
}

/// Min stations: sets the weight the new stations must cover (the target share of the total
/// weight, less what existing stations already cover) and returns it; throws when every candidate
/// together falls short. Max problems: no target.
std::optional<double> set_target(const Options& options, Prepared& prep) {
    if (is_max(options)) {
        return std::nullopt;
    }
    const double goal = options.target_share * prep.total - prep.already;
    const double slack = 1e-9 * std::max(1.0, prep.total);
    if (goal > prep.coverable + slack) {
        throw core::Error{
            core::Errc::usage,
            "siting 'target share " + std::to_string(options.target_share) +
                "': unreachable, every candidate together covers at most " +
                std::to_string((prep.already + prep.coverable) / std::max(prep.total, 1e-300)) +
                " of the weight (lower the target or add candidates)"};
    }
    prep.model.target = std::max(0.0, goal - slack);
    return prep.model.target;
}

/// The heuristics' answer, the MIP's start (found == false: none feasible).
struct Heuristic {
    bool found = false;
    std::vector<std::uint32_t> chosen;
    std::vector<double> served;      ///< capacitated: weight served per chosen
    std::vector<double> start_flow;  ///< capacitated: flow share per (group, candidate) entry
    double value = 0;                ///< objective: covered weight, or station count
};

/// Capacitated greedy.
Heuristic capacitated_heuristic(const Reduced& r,
                                const Options& options,
                                std::uint32_t limit,
                                std::optional<double> target,
                                Result& result) {
    const auto greedy_start = Clock::now();
    Heuristic h;
    CapGreedy g = capacitated_greedy(r, limit, target);
    if (g.feasible) {
        h.found = true;
        h.chosen = g.chosen;
        h.served = g.served;
        h.start_flow = g.flow;
        h.value = is_max(options) ? g.value : static_cast<double>(g.chosen.size());
    }
    result.timings.greedy_s = seconds_since(greedy_start);
    if (h.found)
        result.greedy_value = h.value;
    return h;
}

/// Run between rounds of the swap search: Ctrl-C, and the wall-clock safety stop counted from
/// `start`, the start of the whole solve (issue 17 item 4).
std::function<void()> safety_check(const Options& options, Clock::time_point start) {
    return [&options, start] {
        core::throw_if_interrupted();
        if (options.time_limit_s > 0 && seconds_since(start) > options.time_limit_s)
            detail::throw_safety_stop(options.max_nodes, options.time_limit_s);
    };
}

/// Greedy, then swap search (max problems) or dropping redundant stations (min stations).
Heuristic uncapacitated_heuristic(const Reduced& r,
                                  const Options& options,
                                  std::uint32_t limit,
                                  std::optional<double> target,
                                  double eps,
                                  Clock::time_point start,
                                  Result& result) {
    const bool maximise = is_max(options);
    const auto greedy_start = Clock::now();
    Heuristic h;
    Selection s = greedy(r, limit, target);
    const bool feasible = s.max_spacing_ok() && (!target || s.value_ >= *target);
    result.timings.greedy_s = seconds_since(greedy_start);
    if (!feasible)
        return h;
    result.greedy_value = maximise ? s.value_ : static_cast<double>(s.chosen_.size());
    const auto ls_start = Clock::now();
    if (maximise) {
        local_search(s, options.p, eps, safety_check(options, start));
    } else {
        drop_redundant(s, *target);
    }
    result.timings.local_search_s = seconds_since(ls_start);
    if (s.max_spacing_ok()) {
        h.found = true;
        h.chosen = s.sorted();
        h.value = maximise ? s.value_ : static_cast<double>(s.chosen_.size());
    }
    return h;
}

/// LP-guided start (max coverage, uncapacitated): candidates by LP value (ties by index), then
/// swap search.
std::function<
    std::optional<std::pair<std::vector<std::uint32_t>, double>>(const std::vector<double>&)>
lp_polish(
    const Reduced& r, const Options& options, double eps, Clock::time_point start, Result& result) {
    return [&r, &options, eps, start, &result](const std::vector<double>& x)
               -> std::optional<std::pair<std::vector<std::uint32_t>, double>> {
        const auto polish_start = Clock::now();
        std::vector<std::uint32_t> order(x.size());
        std::iota(order.begin(), order.end(), 0U);
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            return x[a] > x[b];
        });
        Selection s(r);
        for (const std::uint32_t j : order) {
            if (s.chosen_.size() >= options.p || x[j] <= 1e-6)
                break;
            if (!s.can_add(j))  // `order` lists each candidate once
                continue;
            s.add(j);
        }
        local_search(s, options.p, eps, safety_check(options, start));
        result.timings.local_search_s += seconds_since(polish_start);
        if (!s.max_spacing_ok())
            return std::nullopt;
        return std::make_pair(s.sorted(), s.value_);
    };
}

/// The LP bound and branch-and-cut from the heuristic start, within what is left of the time
/// limit; a trivial model (nothing to choose or no target) is solved at 0 without them.
MipAnswer run_mip(const Reduced& r,
                  const Options& options,
                  const Heuristic& h,
                  double eps,
                  bool trivial,
                  Clock::time_point start,
                  Result& result) {
    MipAnswer mip;
    if (trivial) {
        mip.have_solution = true;
        mip.optimal = true;
        mip.status = "optimal";
        mip.incumbent = 0;
        mip.bound = 0;
        mip.lp_solved = true;
        return mip;
    }
    const bool maximise = is_max(options);
    MipInput input;
    input.model = &r;
    input.problem = maximise ? Problem::max_coverage : Problem::min_stations_for_target;
    input.p = options.p;
    input.capacitated = options.capacitated;
    if (h.found) {
        input.start = h.chosen;
        input.start_value = h.value;
        input.start_served_flow = h.start_flow;
    }
    input.max_nodes = options.max_nodes;
    if (options.time_limit_s > 0) {  // the safety stop counts the whole solve
        const double left = options.time_limit_s - seconds_since(start);
        if (left <= 0)
            detail::throw_safety_stop(options.max_nodes, options.time_limit_s);
        input.time_limit_s = std::max(0.05, left);
        input.configured_limit_s = options.time_limit_s;
    }
    input.gap_tolerance = options.gap_tolerance;
    if (maximise && !options.capacitated && options.p > 0) {
        input.polish = lp_polish(r, options, eps, start, result);
    }
    return detail::solve_mip(input);
}

/// The selection to propose: the MIP's (valued exactly when uncapacitated, as CBC works to a
/// tolerance), or the heuristic's when it is better; with the weight each station serves
/// (capacitated).
struct Answer {
    std::vector<std::uint32_t> chosen;
    std::vector<double> served;
};

Answer choose_answer(const Reduced& r,
                     const Options& options,
                     const MipAnswer& mip,
                     const Heuristic& h,
                     Result& result) {
    const bool maximise = is_max(options);
    Answer answer;
    if (mip.have_solution) {
        answer.chosen = mip.chosen;
        result.incumbent = mip.incumbent;
        if (!options.capacitated) {  // exact value of the selection (CBC works to a tolerance)
            Selection exact(r);
            for (const std::uint32_t j : answer.chosen)
                exact.add(j);
            result.incumbent = maximise ? exact.value_ : static_cast<double>(answer.chosen.size());
            if (h.found && (maximise ? h.value > result.incumbent : h.value < result.incumbent)) {
                answer.chosen = h.chosen;
                result.incumbent = h.value;
            }
        }
        if (options.capacitated) {
            const bool is_start = h.found && answer.chosen == h.chosen && mip.served.empty();
            answer.served = is_start ? h.served : mip.served;
        }
    } else if (mip.infeasible) {
        result.status = "infeasible";
    } else {
        result.status = "no solution";
    }
    return answer;
}

/// The proposed sites, best first (by served weight when capacitated, else by marginal gain),
/// with their cumulative gains and shares.
void list_sites(const Reduced& r,
                const Options& options,
                const Prepared& prep,
                const Answer& answer,
                double eps,
                Result& result) {
    std::vector<std::uint32_t> order;
    std::vector<double> gains;
    if (options.capacitated) {
        std::vector<std::size_t> idx(answer.chosen.size());
        std::iota(idx.begin(), idx.end(), std::size_t{0});
        std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
            return answer.served[a] > answer.served[b];
        });
        for (const std::size_t i : idx) {
            order.push_back(answer.chosen[i]);
            gains.push_back(answer.served[i]);
        }
    } else {
        order = rank(r, answer.chosen, gains);
    }
    // a station that adds nothing is not proposed: trailing sites whose gain (given all sites
    // above) is zero change no objective (each removal leaves the gains above it unchanged); kept
    // only under max spacing, where they may be another station's neighbour
    if (is_max(options) && options.max_spacing_m <= 0) {
        while (!order.empty() && gains.back() <= eps) {
            order.pop_back();
            gains.pop_back();
        }
    }
    double cumulative = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        cumulative += gains[i];
        Site site;
        site.candidate = r.original[order[i]];
        site.marginal_gain = gains[i];
        site.cumulative = cumulative;
        site.cumulative_share = prep.total > 0 ? (prep.already + cumulative) / prep.total : 0.0;
        result.sites.push_back(site);
    }
}

/// Per demand unit after siting, on the original instance: covered or not, and the covered weight.
void mark_covered_demand(const Instance& instance,
                         const Lists& cover,
                         std::uint32_t required,
                         Result& result) {
    std::vector<std::uint32_t> count(instance.weight.size(), 0);
    for (const Site& site : result.sites) {
        for (const std::uint32_t d : cover[site.candidate])
            ++count[d];
    }
    result.demand_covered.assign(instance.weight.size(), 0);
    result.covered_weight = 0;
    for (std::size_t i = 0; i < count.size(); ++i) {
        const std::uint32_t existing =
            instance.existing_count.empty() ? 0 : instance.existing_count[i];
        if (existing + count[i] >= required) {
            result.demand_covered[i] = 1;
            result.covered_weight += instance.weight[i];
        }
    }
}

/// The bound and the gap: never negative, zero when proven optimal.
void set_gap(const Options& options, const MipAnswer& mip, Result& result) {
    if (result.optimal && options.gap_tolerance <= 0)
        result.bound = result.incumbent;
    if (mip.have_solution) {
        if (is_max(options)) {
            result.bound = std::max(result.bound, result.incumbent);
            result.gap = result.bound > 0 ? (result.bound - result.incumbent) / result.bound : 0.0;
        } else {
            result.bound = std::min(result.bound, result.incumbent);
            result.gap =
                result.incumbent > 0 ? (result.incumbent - result.bound) / result.incumbent : 0.0;
        }
    } else {
        result.gap = 1.0;
    }
    result.gap = std::max(0.0, result.gap);
}

}  // namespace

double covered_weight(const Instance& instance,
                      const Options& options,
                      const std::vector<std::uint32_t>& chosen) {
    validate(instance, options);
    const Lists cover = normalised_cover(instance);
    const std::uint32_t required = required_of(options);
    std::vector<std::uint32_t> count(instance.weight.size(), 0);
    for (const std::uint32_t j : chosen) {
        if (j >= cover.size())
            usage("selection': candidate " + std::to_string(j) + " out of range");
        for (const std::uint32_t d : cover[j])
            ++count[d];
    }
    double value = 0;
    for (std::size_t i = 0; i < count.size(); ++i) {
        const std::uint32_t existing =
            instance.existing_count.empty() ? 0 : instance.existing_count[i];
        if (existing < required && existing + count[i] >= required)
            value += instance.weight[i];
    }
    return value;
}

Result solve(const Instance& instance, const Options& options) {
    const auto start = Clock::now();
    validate(instance, options);
    const bool maximise = is_max(options);
    const std::uint32_t required = required_of(options);
    const Lists cover = normalised_cover(instance);
    Result result;

    Prepared prep = presolve(instance, options, cover);
    const Reduced& r = prep.model;
    result.presolve = prep.stats;
    result.total_weight = prep.total;
    result.already_covered_weight = prep.already;
    result.uncoverable_weight = prep.uncoverable;
    const std::optional<double> target = set_target(options, prep);
    result.timings.presolve_s = seconds_since(start);

    // heuristics
    const std::uint32_t limit = maximise ? options.p : static_cast<std::uint32_t>(r.candidates());
    const double eps = 1e-9 * std::max(1.0, prep.total);
    const Heuristic heuristic =
        options.capacitated
            ? capacitated_heuristic(r, options, limit, target, result)
            : uncapacitated_heuristic(r, options, limit, target, eps, start, result);

    // LP bound and branch-and-cut
    const bool trivial =
        maximise ? (r.groups() == 0 || options.p == 0 || r.candidates() == 0) : r.target <= 0;
    const MipAnswer mip = run_mip(r, options, heuristic, eps, trivial, start, result);
    result.timings.lp_s = mip.lp_s;
    result.timings.mip_s = mip.mip_s;
    result.lp_bound = mip.lp_solved ? mip.lp_bound : (maximise ? prep.coverable : 0.0);
    if (trivial)
        result.lp_bound = 0;
    result.status = mip.status;
    result.optimal = mip.optimal;
    result.bound = mip.lp_solved || mip.ran_mip ? mip.bound : result.lp_bound;

    // the answer, its ranking and what it covers
    const Answer answer = choose_answer(r, options, mip, heuristic, result);
    list_sites(r, options, prep, answer, eps, result);
    mark_covered_demand(instance, cover, required, result);
    if (!options.capacitated && maximise && mip.have_solution) {
        core::require_invariant(std::abs(result.covered_weight - prep.already - result.incumbent) <=
                                    1e-6 * std::max(1.0, prep.total),
                                "siting objective disagrees with the covered weight");
    }
    set_gap(options, mip, result);
    detail::explain_shortfall(r, instance, options, result);
    result.timings.total_s = seconds_since(start);
    return result;
}

}  // namespace gridplan::siting
