// The graph-level grid optimiser `partition_graph` (docs/partition.md, "Graph-level optimiser"):
// the connected components of the unit graph are solved separately (detail/solver.hpp), each
// with its share of the k parts; local labels become global ones (fixed and existing labels kept)
// and the per-component certificates are combined.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "partition/detail/solver.hpp"
#include "partition/graph.hpp"

namespace gridplan::partition {

namespace {

using detail::ComponentGraph;

void check_inputs(const UnitGraph& graph, const Band& band) {
    graph.validate();
    if (!(band.min_households >= 0.0) || !(band.max_households >= band.min_households) ||
        !(band.max_households > 0.0)) {
        throw core::Error{core::Errc::usage,
                          "partitioning: invalid household band [" +
                              std::to_string(band.min_households) + ", " +
                              std::to_string(band.max_households) + "]"};
    }
}

void check_fixed_parts(const UnitGraph& graph, std::uint32_t k) {
    for (const auto f : graph.fixed_part) {
        if (f >= static_cast<std::int32_t>(k)) {
            throw core::Error{core::Errc::invalid_input,
                              "partitioning: fixed part " + std::to_string(f) +
                                  " is not below k=" + std::to_string(k)};
        }
    }
}

/// The units of each connected component (sorted), components in order of their lowest unit.
std::vector<std::vector<std::uint32_t>> components(const UnitGraph& graph) {
    const auto n = static_cast<std::uint32_t>(graph.size());
    std::vector<std::uint32_t> comp(n, std::numeric_limits<std::uint32_t>::max());
    std::vector<std::vector<std::uint32_t>> members;
    for (std::uint32_t s = 0; s < n; ++s) {
        if (comp[s] != std::numeric_limits<std::uint32_t>::max()) {
            continue;
        }
        const auto c = static_cast<std::uint32_t>(members.size());
        members.emplace_back();
        std::vector<std::uint32_t> q{s};
        comp[s] = c;
        for (std::size_t head = 0; head < q.size(); ++head) {
            const auto v = q[head];
            for (auto j = graph.adj_offset[v]; j < graph.adj_offset[v + 1]; ++j) {
                const auto w = graph.adj_target[j];
                if (comp[w] == std::numeric_limits<std::uint32_t>::max()) {
                    comp[w] = c;
                    q.push_back(w);
                }
            }
        }
        std::sort(q.begin(), q.end());
        members.back() = std::move(q);
    }
    return members;
}

/// The components with their households, fixed labels and share of the parts.
struct Components {
    std::vector<std::vector<std::uint32_t>> members;  ///< units per component
    std::vector<double> households;
    std::vector<std::vector<std::int32_t>> fixed_labels;  ///< sorted, unique
    std::vector<std::uint32_t> parts;                     ///< share of k
    std::uint32_t total_parts = 0;  ///< k, or more when every component needs one
    [[nodiscard]] std::uint32_t count() const { return static_cast<std::uint32_t>(members.size()); }
};

/// Shares of k: at least one per component (and one per fixed label present), then the
/// component with the largest households per part gets the next one.
Components share_parts(const UnitGraph& graph, std::uint32_t k) {
    Components cs;
    cs.members = components(graph);
    const auto n_comp = cs.count();
    cs.households.assign(n_comp, 0.0);
    cs.fixed_labels.resize(n_comp);
    for (std::uint32_t c = 0; c < n_comp; ++c) {
        auto& fixed = cs.fixed_labels[c];
        for (const auto u : cs.members[c]) {
            cs.households[c] += graph.households[u];
            if (!graph.fixed_part.empty() && graph.fixed_part[u] >= 0) {
                fixed.push_back(graph.fixed_part[u]);
            }
        }
        std::sort(fixed.begin(), fixed.end());
        fixed.erase(std::unique(fixed.begin(), fixed.end()), fixed.end());
    }
    cs.parts.resize(n_comp);
    std::uint32_t used = 0;
    for (std::uint32_t c = 0; c < n_comp; ++c) {
        cs.parts[c] =
            std::max<std::uint32_t>(1, static_cast<std::uint32_t>(cs.fixed_labels[c].size()));
        used += cs.parts[c];
    }
    while (used < k) {
        std::int64_t best = -1;
        for (std::uint32_t c = 0; c < n_comp; ++c) {
            if (cs.parts[c] >= cs.members[c].size()) {
                continue;
            }
            if (best < 0 ||
                cs.households[c] / cs.parts[c] > cs.households[best] / cs.parts[best] + 1e-9) {
                best = c;
            }
        }
        if (best < 0) {
            break;
        }
        ++cs.parts[best];
        ++used;
    }
    cs.total_parts = std::max(k, used);
    return cs;
}

/// The global label each local label of component c would like to keep (-1: none): fixed
/// labels first, then initial labels by households (heaviest first).
std::vector<std::int64_t> wanted_labels(const UnitGraph& graph,
                                        const Components& cs,
                                        std::uint32_t c) {
    const auto& fixed = cs.fixed_labels[c];
    std::vector<std::int64_t> label_origin;
    for (const auto f : fixed) {
        label_origin.push_back(f);
    }
    std::vector<std::pair<double, std::int32_t>> ini_weight;
    if (!graph.initial_part.empty()) {
        std::vector<std::pair<std::int32_t, double>> acc;
        for (const auto u : cs.members[c]) {
            const auto p = graph.initial_part[u];
            if (p >= 0 && !std::binary_search(fixed.begin(), fixed.end(), p)) {
                acc.emplace_back(p, graph.households[u]);
            }
        }
        std::sort(acc.begin(), acc.end());
        for (std::size_t i = 0; i < acc.size();) {
            std::size_t j = i;
            double w = 0.0;
            while (j < acc.size() && acc[j].first == acc[i].first) {
                w += acc[j].second;
                ++j;
            }
            ini_weight.emplace_back(-w, acc[i].first);
            i = j;
        }
        std::sort(ini_weight.begin(), ini_weight.end());
    }
    for (const auto& [w, p] : ini_weight) {
        if (label_origin.size() < cs.parts[c]) {
            label_origin.push_back(p);
        }
    }
    while (label_origin.size() < cs.parts[c]) {
        label_origin.push_back(-1);
    }
    return label_origin;
}

/// Component `mem` with local indices and labels, coordinates centred on (ax, ay); a unit
/// without a cell area weighs the mean area per unit of the component's bounding box.
ComponentGraph component_graph(const UnitGraph& graph,
                               const std::vector<std::uint32_t>& mem,
                               const std::vector<std::int64_t>& label_origin,
                               double ax,
                               double ay) {
    const auto n = graph.size();
    ComponentGraph g;
    g.unit_count = static_cast<std::uint32_t>(mem.size());
    std::vector<std::uint32_t> local(n, 0);
    for (std::uint32_t i = 0; i < g.unit_count; ++i) {
        local[mem[i]] = i;
    }
    auto to_local_label = [&](std::int32_t p) -> std::int32_t {
        for (std::size_t i = 0; i < label_origin.size(); ++i) {
            if (label_origin[i] == p) {
                return static_cast<std::int32_t>(i);
            }
        }
        return -1;
    };
    const bool has_area = !graph.area_m2.empty();
    double min_x = 1e300, max_x = -1e300, min_y = 1e300, max_y = -1e300;
    for (const auto u : mem) {
        min_x = std::min(min_x, graph.position[u].x());
        max_x = std::max(max_x, graph.position[u].x());
        min_y = std::min(min_y, graph.position[u].y());
        max_y = std::max(max_y, graph.position[u].y());
    }
    const double mean_mass =
        std::max(1.0, (max_x - min_x) * (max_y - min_y) / static_cast<double>(g.unit_count));
    g.has_population = !graph.population.empty();
    for (const auto u : mem) {
        g.households.push_back(graph.households[u]);
        g.population.push_back(g.has_population ? graph.population[u] : 0.0);
        g.mass.push_back(has_area && graph.area_m2[u] > 0 ? graph.area_m2[u] : mean_mass);
        g.x.push_back(graph.position[u].x() - ax);
        g.y.push_back(graph.position[u].y() - ay);
        g.fixed_part.push_back(graph.fixed_part.empty() || graph.fixed_part[u] < 0
                                   ? -1
                                   : to_local_label(graph.fixed_part[u]));
        g.initial_part.push_back(graph.initial_part.empty() || graph.initial_part[u] < 0
                                     ? -1
                                     : to_local_label(graph.initial_part[u]));
    }
    g.adj_offset.push_back(0);
    for (const auto u : mem) {
        for (auto j = graph.adj_offset[u]; j < graph.adj_offset[u + 1]; ++j) {
            g.adj_target.push_back(local[graph.adj_target[j]]);
            g.adj_cost.push_back(graph.adj_cost[j]);
        }
        g.adj_offset.push_back(static_cast<std::uint32_t>(g.adj_target.size()));
    }
    return g;
}

/// The solution of one component: its plan in local labels, the global label each local label
/// wants, and the outcome of its exact search.
struct ComponentSolution {
    std::vector<std::uint32_t> plan;
    std::vector<std::int64_t> wanted;
    detail::ExactStatus exact = detail::ExactStatus::too_large;
};

std::vector<ComponentSolution> solve_components(const UnitGraph& graph,
                                                const Components& cs,
                                                const Band& band,
                                                const OptimiserOptions& options,
                                                double target) {
    const auto n = static_cast<std::uint32_t>(graph.size());
    double ax = 0.0;
    double ay = 0.0;
    for (std::uint32_t u = 0; u < n; ++u) {
        ax += graph.position[u].x();
        ay += graph.position[u].y();
    }
    ax /= n;
    ay /= n;
    std::vector<ComponentSolution> solutions(cs.count());
    for (std::uint32_t c = 0; c < cs.count(); ++c) {
        const auto& mem = cs.members[c];
        auto wanted = wanted_labels(graph, cs, c);
        const ComponentGraph g = component_graph(graph, mem, wanted, ax, ay);
        detail::Solver solver(g, cs.parts[c], band, options, target, cs.households[c]);
        auto parts = solver.solve(core::mix(options.seed ^ core::mix(mem.front() + 1)));
        core::require_invariant(parts.size() == g.unit_count, "component partition has wrong size");
        solutions[c].plan = std::move(parts);
        solutions[c].wanted = std::move(wanted);
        solutions[c].exact = solver.exact_status();
    }
    return solutions;
}

/// Global label of each local label: wanted labels first (fixed, then initial, in component
/// order), then the lowest free ones.
std::vector<std::vector<std::uint32_t>> global_labels(
    const Components& cs, const std::vector<ComponentSolution>& solutions) {
    const std::uint32_t k_total = cs.total_parts;
    std::vector<std::vector<std::uint32_t>> global_of(cs.count());
    std::vector<char> taken(k_total, 0);
    for (std::uint32_t c = 0; c < cs.count(); ++c) {
        global_of[c].assign(cs.parts[c], k_total);
        for (std::uint32_t l = 0; l < cs.parts[c]; ++l) {
            const auto want = solutions[c].wanted[l];
            if (want >= 0 && want < static_cast<std::int64_t>(k_total) && taken[want] == 0) {
                global_of[c][l] = static_cast<std::uint32_t>(want);
                taken[want] = 1;
            }
        }
    }
    std::uint32_t next_free = 0;
    for (std::uint32_t c = 0; c < cs.count(); ++c) {
        for (std::uint32_t l = 0; l < cs.parts[c]; ++l) {
            if (global_of[c][l] == k_total) {
                while (taken[next_free] != 0) {
                    ++next_free;
                }
                global_of[c][l] = next_free;
                taken[next_free] = 1;
            }
        }
    }
    return global_of;
}

/// The certificate of component c (relative to its own target); with one component, an
/// exhausted exact search proves that no connected split meets the band.
Certificate component_certificate(const UnitGraph& graph,
                                  const Components& cs,
                                  std::uint32_t c,
                                  const ComponentSolution& solution,
                                  const Band& band,
                                  const OptimiserOptions& options) {
    const auto& members = cs.members[c];
    std::vector<double> hh;
    hh.reserve(members.size());
    for (const auto u : members) {
        hh.push_back(graph.households[u]);
    }
    // Achieved max deviation of this component's parts (relative to its own target).
    std::vector<double> ph(cs.parts[c], 0.0);
    for (std::size_t i = 0; i < members.size(); ++i) {
        ph[solution.plan[i]] += hh[i];
    }
    const double tc = cs.households[c] / cs.parts[c];
    double achieved = 0.0;
    for (const double v : ph) {
        achieved = std::max(achieved, tc > 0 ? std::abs(v - tc) / tc : 0.0);
    }
    Certificate cc = certify(hh, cs.parts[c], band, achieved + 1e-9);
    if (cs.count() == 1 && cc.band_feasible && solution.exact == detail::ExactStatus::none) {
        // Contiguity-aware: the exhaustive search found no connected in-band split.
        cc.band_feasible = false;
        cc.connected_proof = true;
        cc.min_out_of_band = std::max<std::uint32_t>(cc.min_out_of_band, 1);
        cc.reason += std::string{cc.reason.empty() ? "" : "; "} + "no connected split of the " +
                     std::to_string(hh.size()) + " units into " + std::to_string(cs.parts[c]) +
                     " grids puts every grid in the band" +
                     (options.max_population ? " under the population cap" : "") +
                     " (exhaustive enumeration)";
    }
    return cc;
}

/// A component's bound on the worst deviation (relative to its target tc) converted to the
/// global target: the part of the component farthest from T is at least as far as the bound
/// allows.
double global_deviation_bound(double bound, double tc, double target) {
    double d_global = 0.0;
    if (target > 0 && tc > 0) {
        const double lo = tc * (1.0 - bound);
        const double hi = tc * (1.0 + bound);
        // Some part lies outside (lo, hi) around tc unless the bound is 0; at least one part
        // has households <= lo or >= hi. Its distance to T is at least min over both.
        if (bound > 0) {
            d_global = std::min(std::abs(lo - target), std::abs(hi - target)) / target;
            if (lo <= target && target <= hi) {
                d_global = std::min(target - lo, hi - target) / target;
            }
        }
        // Averages: the component's parts average tc, so some part is at least |tc - T|.
        d_global = std::max(d_global, std::abs(tc - target) / target);
    }
    return d_global;
}

/// Certificate: per component, combined (feasibility: all; bound: max at the common target).
Certificate combined_certificate(const UnitGraph& graph,
                                 const Components& cs,
                                 const std::vector<ComponentSolution>& solutions,
                                 const Band& band,
                                 const OptimiserOptions& options,
                                 double total_h,
                                 double target) {
    Certificate cert;
    cert.total_households = total_h;
    cert.target_households = target;
    std::string reasons;
    for (std::uint32_t c = 0; c < cs.count(); ++c) {
        const Certificate cc = component_certificate(graph, cs, c, solutions[c], band, options);
        cert.k_in_range = cert.k_in_range && cc.k_in_range;
        cert.band_feasible = cert.band_feasible && cc.band_feasible;
        cert.connected_proof = cert.connected_proof || cc.connected_proof;
        cert.min_out_of_band += cc.min_out_of_band;
        const double tc = cs.households[c] / cs.parts[c];
        cert.deviation_lower_bound =
            std::max(cert.deviation_lower_bound,
                     global_deviation_bound(cc.deviation_lower_bound, tc, target));
        if (!cc.reason.empty()) {
            if (!reasons.empty()) {
                reasons += " | ";
            }
            reasons += (cs.count() > 1 ? "component " + std::to_string(c) + ": " : std::string{}) +
                       cc.reason;
        }
    }
    cert.reason = reasons;
    return cert;
}

}  // namespace

GraphPartition partition_graph(const UnitGraph& graph,
                               std::uint32_t k,
                               const Band& band,
                               const OptimiserOptions& options) {
    check_inputs(graph, band);
    const auto n = static_cast<std::uint32_t>(graph.size());
    GraphPartition result;
    if (n == 0) {
        result.k = 0;
        return result;
    }
    k = std::max(1U, k);
    check_fixed_parts(graph, k);
    const Components cs = share_parts(graph, k);
    result.components = cs.count();
    double total_h = 0.0;
    for (const double v : cs.households) {
        total_h += v;
    }
    const double target = total_h / cs.total_parts;
    const auto solutions = solve_components(graph, cs, band, options, target);
    const auto global_of = global_labels(cs, solutions);
    result.part.assign(n, 0);
    result.k = cs.total_parts;
    for (std::uint32_t c = 0; c < cs.count(); ++c) {
        for (std::size_t i = 0; i < cs.members[c].size(); ++i) {
            result.part[cs.members[c][i]] = global_of[c][solutions[c].plan[i]];
        }
    }
    result.metrics = evaluate(graph, result.part, cs.total_parts, band, options.max_population);
    result.certificate = combined_certificate(graph, cs, solutions, band, options, total_h, target);
    return result;
}

}  // namespace gridplan::partition
