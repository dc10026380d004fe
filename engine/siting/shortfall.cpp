/// \file
/// Why a best-p answer has fewer than p sites (docs/siting.md, "Fewer sites than asked"): on the
/// presolved model, which candidates would still add coverage, and what keeps them out.

#include "siting/detail/shortfall.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace gridplan::siting {

const char* to_string(Shortfall shortfall) noexcept {
    switch (shortfall) {
        case Shortfall::none:
            return "none";
        case Shortfall::no_candidates:
            return "no_candidates";
        case Shortfall::nothing_to_cover:
            return "nothing_to_cover";
        case Shortfall::all_covered:
            return "all_covered";
        case Shortfall::spacing:
            return "spacing";
        case Shortfall::solver_stopped:
            return "solver_stopped";
    }
    return "none";
}

namespace detail {
namespace {

/// Per kept candidate: 1 when proposed.
std::vector<std::uint8_t> proposed_kept(const Reduced& r, const Result& result) {
    std::vector<std::uint8_t> chosen(r.candidates(), 0);
    for (const Site& site : result.sites) {
        const auto it = std::find(r.original.begin(), r.original.end(), site.candidate);
        if (it != r.original.end())
            chosen[static_cast<std::size_t>(it - r.original.begin())] = 1;
    }
    return chosen;
}

/// Per kept candidate: 1 when, not proposed, it reaches a group whose remaining need the free
/// slots can still meet (adding it, with at most `slots - 1` others, covers more weight).
std::vector<std::uint8_t> useful_candidates(const Reduced& r,
                                            const std::vector<std::uint8_t>& chosen,
                                            std::uint32_t slots) {
    std::vector<std::uint32_t> count(r.groups(), 0);
    for (std::size_t j = 0; j < r.candidates(); ++j) {
        if (chosen[j] == 0)
            continue;
        for (std::uint32_t k = r.cand_off[j]; k < r.cand_off[j + 1]; ++k)
            ++count[r.cand_grp[k]];
    }
    std::vector<std::uint8_t> useful(r.candidates(), 0);
    for (std::size_t j = 0; j < r.candidates(); ++j) {
        if (chosen[j] != 0)
            continue;
        for (std::uint32_t k = r.cand_off[j]; k < r.cand_off[j + 1] && useful[j] == 0; ++k) {
            const std::uint32_t g = r.cand_grp[k];
            useful[j] = count[g] < r.need[g] && r.need[g] - count[g] <= slots ? 1 : 0;
        }
    }
    return useful;
}

/// True when kept candidate `j` is closer than min spacing to a proposed one.
bool conflicts_with_proposed(const Reduced& r,
                             std::size_t j,
                             const std::vector<std::uint8_t>& chosen) {
    for (std::uint32_t k = r.conflict_off[j]; k < r.conflict_off[j + 1]; ++k) {
        if (chosen[r.conflict[k]] != 0)
            return true;
    }
    return false;
}

}  // namespace

void explain_shortfall(const Reduced& r,
                       const Instance& instance,
                       const Options& options,
                       Result& result) {
    if (options.problem == Problem::min_stations_for_target)
        return;
    result.asked = options.p;
    if (result.sites.size() >= options.p)
        return;
    if (instance.candidate_count() == 0) {
        result.shortfall = Shortfall::no_candidates;
        return;
    }
    if (r.groups() == 0 || r.candidates() == 0) {
        result.shortfall = Shortfall::nothing_to_cover;
        return;
    }
    const std::vector<std::uint8_t> chosen = proposed_kept(r, result);
    const auto slots = static_cast<std::uint32_t>(options.p - result.sites.size());
    const std::vector<std::uint8_t> useful = useful_candidates(r, chosen, slots);
    std::size_t free = 0;
    for (std::size_t j = 0; j < useful.size(); ++j) {
        if (useful[j] == 0)
            continue;
        const bool blocked =
            r.max_spacing || (options.min_spacing_m > 0 && conflicts_with_proposed(r, j, chosen));
        (blocked ? result.spacing_blocked : free) += 1;
    }
    if (result.spacing_blocked == 0 && free == 0) {
        result.shortfall = Shortfall::all_covered;
    } else {
        result.shortfall = free == 0 ? Shortfall::spacing : Shortfall::solver_stopped;
    }
}

}  // namespace detail
}  // namespace gridplan::siting
