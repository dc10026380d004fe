/// \file
/// Siting presolve (docs/siting.md, "Presolve"): candidates forbidden by spacing, demand units
/// merged into groups by identical (need, candidate list), and the reduced model's CSR lists.

#include "siting/detail/presolve.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/geometry/algorithms/distance.hpp>

namespace gridplan::siting::detail {
namespace {

/// Demand units merged by identical (need, candidate list): returns the groups' weights, needs and
/// candidate lists, in order of first appearance after sorting (deterministic).
struct Groups {
    std::vector<double> weight;
    std::vector<std::uint32_t> need;
    Lists cands;
};

Groups aggregate(const std::vector<double>& weight,
                 const std::vector<std::uint32_t>& need,
                 Lists&& cands) {
    std::vector<std::uint32_t> order(weight.size());
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::tie(need[a], cands[a], a) < std::tie(need[b], cands[b], b);
    });
    Groups g;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const std::uint32_t u = order[i];
        if (i > 0) {
            if (g.need.back() == need[u] && g.cands.back() == cands[u]) {
                g.weight.back() += weight[u];
                continue;
            }
        }
        g.weight.push_back(weight[u]);
        g.need.push_back(need[u]);
        g.cands.push_back(std::move(cands[u]));
    }
    return g;
}

Lists transpose(const Lists& lists, std::size_t targets) {
    Lists out(targets);
    for (std::size_t i = 0; i < lists.size(); ++i) {
        for (const std::uint32_t t : lists[i])
            out[t].push_back(static_cast<std::uint32_t>(i));
    }
    return out;
}

void to_csr(const Lists& lists,
            std::vector<std::uint32_t>& offsets,
            std::vector<std::uint32_t>& values) {
    offsets.assign(1, 0);
    values.clear();
    for (const auto& l : lists) {
        values.insert(values.end(), l.begin(), l.end());
        offsets.push_back(static_cast<std::uint32_t>(values.size()));
    }
}

/// Candidates not forbidden by min spacing to an existing station (1 = allowed).
std::vector<std::uint8_t> allowed_candidates(const Instance& in,
                                             const Options& options,
                                             PresolveStats& stats) {
    const std::size_t m = in.candidate_count();
    std::vector<std::uint8_t> allowed(m, 1);
    if (options.min_spacing_m > 0) {
        for (std::size_t j = 0; j < m; ++j) {
            for (const core::Point& e : in.existing_position) {
                if (boost::geometry::distance(in.candidate_position[j], e) <
                    options.min_spacing_m) {
                    allowed[j] = 0;
                    ++stats.candidates_forbidden;
                    break;
                }
            }
        }
    }
    return allowed;
}

/// Clears keep[j] for every candidate whose groups another allowed candidate covers too
/// (identical sets keep the lower index).
void drop_dominated(const Groups& g,
                    const Lists& cand_groups,
                    const std::vector<std::uint8_t>& allowed,
                    std::vector<std::uint8_t>& keep,
                    PresolveStats& stats) {
    const std::size_t m = cand_groups.size();
    for (std::size_t j = 0; j < m; ++j) {
        const auto& nj = cand_groups[j];
        if (keep[j] == 0 || nj.empty())
            continue;
        // the group of j with the fewest candidates bounds who can dominate j
        std::uint32_t rare = nj.front();
        for (const std::uint32_t k : nj) {
            if (g.cands[k].size() < g.cands[rare].size())
                rare = k;
        }
        for (const std::uint32_t c : g.cands[rare]) {
            if (c == j || allowed[c] == 0)
                continue;
            const auto& nc = cand_groups[c];
            if (nc.size() < nj.size() || (nc.size() == nj.size() && c > j))
                continue;
            if (std::includes(nc.begin(), nc.end(), nj.begin(), nj.end())) {
                keep[j] = 0;
                ++stats.candidates_dominated;
                break;
            }
        }
    }
}

/// Spacing structures over the kept candidates (straight-line distance): conflicts closer than
/// min spacing, neighbours within max spacing, and which have an existing station within it.
void add_spacing_lists(const Instance& in, const Options& options, Reduced& r) {
    const std::size_t kept = r.original.size();
    Lists conflicts(kept), near(kept);
    r.near_existing.assign(kept, 0);
    r.max_spacing = options.max_spacing_m > 0;
    if (options.min_spacing_m > 0 || r.max_spacing) {
        for (std::size_t a = 0; a < kept; ++a) {
            const core::Point& pa = in.candidate_position[r.original[a]];
            for (std::size_t b = a + 1; b < kept; ++b) {
                const double d =
                    boost::geometry::distance(pa, in.candidate_position[r.original[b]]);
                if (d < options.min_spacing_m) {
                    conflicts[a].push_back(static_cast<std::uint32_t>(b));
                    conflicts[b].push_back(static_cast<std::uint32_t>(a));
                }
                if (r.max_spacing && d <= options.max_spacing_m) {
                    near[a].push_back(static_cast<std::uint32_t>(b));
                    near[b].push_back(static_cast<std::uint32_t>(a));
                }
            }
            if (r.max_spacing) {
                for (const core::Point& e : in.existing_position) {
                    if (boost::geometry::distance(pa, e) <= options.max_spacing_m) {
                        r.near_existing[a] = 1;
                        break;
                    }
                }
            }
        }
        for (auto& l : conflicts)
            std::sort(l.begin(), l.end());
        for (auto& l : near)
            std::sort(l.begin(), l.end());
    }
    to_csr(conflicts, r.conflict_off, r.conflict);
    to_csr(near, r.near_off, r.near);
}

}  // namespace

std::uint32_t required_of(const Options& options) {
    const std::uint32_t r = std::max<std::uint32_t>(1, options.required_cover);
    return options.problem == Problem::double_coverage ? std::max<std::uint32_t>(2, r) : r;
}

/// Sorted, de-duplicated cover list of every candidate.
Lists normalised_cover(const Instance& in) {
    Lists cover(in.candidate_count());
    for (std::size_t j = 0; j < cover.size(); ++j) {
        cover[j].assign(in.cover_demand.begin() + in.cover_offsets[j],
                        in.cover_demand.begin() + in.cover_offsets[j + 1]);
        std::sort(cover[j].begin(), cover[j].end());
        cover[j].erase(std::unique(cover[j].begin(), cover[j].end()), cover[j].end());
    }
    return cover;
}

Prepared presolve(const Instance& in, const Options& options, const Lists& cover) {
    const std::size_t n = in.weight.size();
    const std::size_t m = cover.size();
    const std::uint32_t required = required_of(options);
    Prepared out;
    out.stats.demand_units = n;
    out.stats.candidates = m;

    // candidates forbidden by min spacing to an existing station
    const std::vector<std::uint8_t> allowed = allowed_candidates(in, options, out.stats);
    Lists demand_cands(n);
    for (std::size_t j = 0; j < m; ++j) {
        if (allowed[j] == 0)
            continue;
        for (const std::uint32_t d : cover[j])
            demand_cands[d].push_back(static_cast<std::uint32_t>(j));
    }
    std::vector<double> weight;
    std::vector<std::uint32_t> need;
    Lists lists;
    for (std::size_t i = 0; i < n; ++i) {
        const double w = in.weight[i];
        out.total += w;
        const std::uint32_t existing = in.existing_count.empty() ? 0 : in.existing_count[i];
        const std::uint32_t still = required - std::min(required, existing);
        if (still == 0) {
            ++out.stats.demand_satisfied;
            out.already += w;
        } else if (demand_cands[i].size() < still) {
            ++out.stats.demand_uncoverable;
            out.uncoverable += w;
        } else if (w > 0) {
            weight.push_back(w);
            need.push_back(still);
            lists.push_back(std::move(demand_cands[i]));
        }
    }
    Groups g = aggregate(weight, need, std::move(lists));

    // dominance: valid for single coverage without spacing or capacity (any answer using a
    // dominated candidate is matched by one using its dominator instead, or simply without it)
    std::vector<std::uint8_t> keep = allowed;
    const bool dominance_ok = required == 1 && options.min_spacing_m <= 0 &&
                              options.max_spacing_m <= 0 && !options.capacitated;
    Lists cand_groups = transpose(g.cands, m);
    if (dominance_ok) {
        drop_dominated(g, cand_groups, allowed, keep, out.stats);
    }
    // empty candidates help nobody unless they can be a max-spacing neighbour
    for (std::size_t j = 0; j < m; ++j) {
        if (keep[j] != 0 && cand_groups[j].empty() && options.max_spacing_m <= 0) {
            keep[j] = 0;
            ++out.stats.candidates_empty;
        }
    }
    std::vector<std::uint32_t> renumber(m, std::numeric_limits<std::uint32_t>::max());
    Reduced& r = out.model;
    for (std::size_t j = 0; j < m; ++j) {
        if (keep[j] == 0)
            continue;
        renumber[j] = static_cast<std::uint32_t>(r.original.size());
        r.original.push_back(static_cast<std::uint32_t>(j));
        r.capacity.push_back(
            options.capacitated && !in.candidate_capacity.empty() ? in.candidate_capacity[j] : 0.0);
    }
    for (auto& l : g.cands) {
        std::vector<std::uint32_t> kept;
        for (const std::uint32_t c : l) {
            if (renumber[c] != std::numeric_limits<std::uint32_t>::max())
                kept.push_back(renumber[c]);
        }
        l = std::move(kept);
    }
    Groups final_groups = aggregate(g.weight, g.need, std::move(g.cands));
    r.weight = std::move(final_groups.weight);
    r.need = std::move(final_groups.need);
    to_csr(final_groups.cands, r.grp_off, r.grp_cand);
    to_csr(transpose(final_groups.cands, r.original.size()), r.cand_off, r.cand_grp);
    out.coverable = std::accumulate(r.weight.begin(), r.weight.end(), 0.0);
    out.stats.demand_groups = r.weight.size();
    out.stats.candidates_kept = r.original.size();

    add_spacing_lists(in, options, r);
    return out;
}

}  // namespace gridplan::siting::detail
