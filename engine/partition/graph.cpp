// The unit graph and the choice of k (docs/partition.md, "Number of grids k" and
// "Graph-level optimiser"): the policy for k, the CSR adjacency of a UnitGraph and its
// validation, and the metrics of a finished partition (`evaluate`).

#include "partition/graph.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace gridplan::partition {

const char* to_string(KPolicy policy) noexcept {
    switch (policy) {
        case KPolicy::closest_to_band_middle:
            return "closest_to_band_middle";
        case KPolicy::fewest_grids:
            return "fewest_grids";
        case KPolicy::most_grids:
            return "most_grids";
    }
    return "closest_to_band_middle";
}

std::uint32_t choose_k(double total_households, const Band& band, KPolicy policy) {
    if (!(total_households > 0.0)) {
        return 1;
    }
    const auto lo = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::ceil(total_households / band.max_households - 1e-9)));
    const auto hi =
        static_cast<std::int64_t>(std::floor(total_households / band.min_households + 1e-9));
    if (lo <= hi) {
        switch (policy) {
            case KPolicy::fewest_grids:
                return static_cast<std::uint32_t>(lo);
            case KPolicy::most_grids:
                return static_cast<std::uint32_t>(hi);
            case KPolicy::closest_to_band_middle:
                break;
        }
        std::int64_t best = lo;
        double best_gap = std::numeric_limits<double>::infinity();
        for (std::int64_t k = lo; k <= hi; ++k) {
            const double gap = std::abs(total_households / static_cast<double>(k) - band.middle());
            if (gap < best_gap - 1e-9) {
                best_gap = gap;
                best = k;
            }
        }
        return static_cast<std::uint32_t>(best);
    }
    // Empty range: the band cannot be met by the mean; pick the smaller relative violation.
    auto violation = [&](std::int64_t k) {
        const double t = total_households / static_cast<double>(k);
        if (t < band.min_households) {
            return (band.min_households - t) / band.min_households;
        }
        if (t > band.max_households) {
            return (t - band.max_households) / band.max_households;
        }
        return 0.0;
    };
    const std::int64_t below = std::max<std::int64_t>(1, hi);
    return static_cast<std::uint32_t>(violation(below) <= violation(lo) ? std::min(below, lo) : lo);
}

void UnitGraph::set_edges(std::vector<GraphEdge> edges) {
    const std::size_t n = size();
    for (auto& e : edges) {
        if (e.u > e.v) {
            std::swap(e.u, e.v);
        }
    }
    std::sort(edges.begin(), edges.end(), [](const GraphEdge& a, const GraphEdge& b) {
        return a.u != b.u ? a.u < b.u : a.v < b.v;
    });
    std::vector<GraphEdge> merged;
    for (const auto& e : edges) {
        if (e.u == e.v) {
            continue;
        }
        if (e.v >= n) {
            throw core::Error{core::Errc::invalid_input,
                              "building unit graph: edge to unit " + std::to_string(e.v) +
                                  " out of range " + std::to_string(n)};
        }
        if (!merged.empty() && merged.back().u == e.u && merged.back().v == e.v) {
            merged.back().cost += e.cost;
            merged.back().shared_m += e.shared_m;
        } else {
            merged.push_back(e);
        }
    }
    std::vector<std::uint32_t> degree(n, 0);
    for (const auto& e : merged) {
        ++degree[e.u];
        ++degree[e.v];
    }
    adj_offset.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        adj_offset[i + 1] = adj_offset[i] + degree[i];
    }
    adj_target.assign(adj_offset[n], 0);
    adj_cost.assign(adj_offset[n], 0.0);
    adj_shared_m.assign(adj_offset[n], 0.0);
    std::vector<std::uint32_t> fill(adj_offset.begin(), adj_offset.end() - 1);
    // Edges are sorted by (u, v), so each list comes out sorted: u's lower neighbours are
    // appended (as v) before its higher ones (as u).
    for (const auto& e : merged) {
        adj_target[fill[e.v]] = e.u;
        adj_cost[fill[e.v]] = e.cost;
        adj_shared_m[fill[e.v]] = e.shared_m;
        ++fill[e.v];
        adj_target[fill[e.u]] = e.v;
        adj_cost[fill[e.u]] = e.cost;
        adj_shared_m[fill[e.u]] = e.shared_m;
        ++fill[e.u];
    }
    for (std::size_t i = 0; i < n; ++i) {
        // Restore order where the two passes interleaved.
        std::vector<std::pair<std::uint32_t, std::pair<double, double>>> row;
        for (auto j = adj_offset[i]; j < adj_offset[i + 1]; ++j) {
            row.push_back({adj_target[j], {adj_cost[j], adj_shared_m[j]}});
        }
        std::sort(row.begin(), row.end());
        for (std::size_t j = 0; j < row.size(); ++j) {
            adj_target[adj_offset[i] + j] = row[j].first;
            adj_cost[adj_offset[i] + j] = row[j].second.first;
            adj_shared_m[adj_offset[i] + j] = row[j].second.second;
        }
    }
}

void UnitGraph::validate() const {
    const std::size_t n = size();
    auto fail = [](const std::string& what) {
        throw core::Error{core::Errc::invalid_input, "partitioning unit graph: " + what};
    };
    auto check = [&](std::size_t got, const char* name, bool optional) {
        if (got != n && !(optional && got == 0)) {
            fail(std::string{name} + " has " + std::to_string(got) + " entries, expected " +
                 std::to_string(n));
        }
    };
    check(position.size(), "position", false);
    check(population.size(), "population", true);
    check(block.size(), "block", true);
    check(fixed_part.size(), "fixed_part", true);
    check(initial_part.size(), "initial_part", true);
    check(area_m2.size(), "area_m2", true);
    check(perimeter_m.size(), "perimeter_m", true);
    if (adj_offset.size() != n + 1 && !(n == 0 && adj_offset.empty())) {
        fail("adj_offset must have size()+1 entries");
    }
    const std::size_t m = adj_offset.empty() ? 0 : adj_offset.back();
    if (adj_target.size() != m || adj_cost.size() != m ||
        !(adj_shared_m.empty() || adj_shared_m.size() == m)) {
        fail("adjacency arrays disagree with adj_offset");
    }
    for (const auto t : adj_target) {
        if (t >= n) {
            fail("adjacency target out of range");
        }
    }
    for (const double h : households) {
        if (!(h >= 0.0) || !std::isfinite(h)) {
            fail("households must be finite and >= 0");
        }
    }
}

namespace {

/// Parts whose units are not one connected piece.
std::uint32_t disconnected_parts(const UnitGraph& graph,
                                 const std::vector<std::uint32_t>& part,
                                 std::uint32_t k) {
    const std::size_t n = graph.size();
    std::uint32_t disconnected = 0;
    std::vector<char> seen(n, 0);
    std::vector<std::uint32_t> pieces(k, 0);
    for (std::size_t s = 0; s < n; ++s) {
        if (seen[s] != 0) {
            continue;
        }
        ++pieces[part[s]];
        std::vector<std::size_t> q{s};
        seen[s] = 1;
        for (std::size_t head = 0; head < q.size(); ++head) {
            const auto v = q[head];
            for (auto j = graph.adj_offset[v]; j < graph.adj_offset[v + 1]; ++j) {
                const auto w = graph.adj_target[j];
                if (seen[w] == 0 && part[w] == part[v]) {
                    seen[w] = 1;
                    q.push_back(w);
                }
            }
        }
    }
    for (std::uint32_t p = 0; p < k; ++p) {
        if (pieces[p] > 1) {
            ++disconnected;
        }
    }
    return disconnected;
}

/// Blocks whose units lie in more than one part.
std::uint32_t blocks_split(const UnitGraph& graph, const std::vector<std::uint32_t>& part) {
    const std::size_t n = graph.size();
    std::uint32_t split = 0;
    if (!graph.block.empty()) {
        std::vector<std::pair<std::int32_t, std::uint32_t>> bp;
        for (std::size_t u = 0; u < n; ++u) {
            if (graph.block[u] >= 0) {
                bp.emplace_back(graph.block[u], part[u]);
            }
        }
        std::sort(bp.begin(), bp.end());
        bp.erase(std::unique(bp.begin(), bp.end()), bp.end());
        for (std::size_t i = 0; i < bp.size();) {
            std::size_t j = i;
            while (j < bp.size() && bp[j].first == bp[i].first) {
                ++j;
            }
            if (j - i > 1) {
                ++split;
            }
            i = j;
        }
    }
    return split;
}

}  // namespace

PartitionMetrics evaluate(const UnitGraph& graph,
                          const std::vector<std::uint32_t>& part,
                          std::uint32_t k,
                          const Band& band,
                          std::optional<double> max_population) {
    PartitionMetrics m;
    const std::size_t n = graph.size();
    m.parts = k;
    if (k == 0) {
        return m;
    }
    std::vector<double> h(k, 0.0), pop(k, 0.0), area(k, 0.0), perim(k, 0.0);
    std::vector<std::uint32_t> count(k, 0);
    double total = 0.0;
    for (std::size_t u = 0; u < n; ++u) {
        const auto p = part[u];
        core::require_invariant(p < k, "partition label out of range");
        h[p] += graph.households[u];
        total += graph.households[u];
        if (!graph.population.empty()) {
            pop[p] += graph.population[u];
        }
        ++count[p];
        if (!graph.area_m2.empty() && !graph.perimeter_m.empty()) {
            area[p] += graph.area_m2[u];
            perim[p] += graph.perimeter_m[u];
        }
        if (!graph.initial_part.empty() && graph.initial_part[u] >= 0 &&
            static_cast<std::uint32_t>(graph.initial_part[u]) != p) {
            m.households_moved += graph.households[u];
        }
    }
    const double target = total / k;
    double sum_dev = 0.0;
    for (std::uint32_t p = 0; p < k; ++p) {
        if (count[p] == 0) {
            ++m.empty;
        }
        if (band.contains(h[p])) {
            ++m.in_band;
        }
        if (max_population && !graph.population.empty() && pop[p] > *max_population) {
            ++m.over_population_cap;
        }
        const double dev = target > 0 ? std::abs(h[p] - target) / target : 0.0;
        m.worst_deviation = std::max(m.worst_deviation, dev);
        sum_dev += dev;
    }
    m.mean_deviation = sum_dev / k;
    for (std::size_t u = 0; u < n; ++u) {
        for (auto j = graph.adj_offset[u]; j < graph.adj_offset[u + 1]; ++j) {
            const auto v = graph.adj_target[j];
            if (v <= u) {
                continue;
            }
            if (part[v] != part[u]) {
                m.cut_cost += graph.adj_cost[j];
            } else if (!graph.adj_shared_m.empty()) {
                perim[part[u]] -= 2.0 * graph.adj_shared_m[j];
            }
        }
    }
    if (!graph.area_m2.empty() && !graph.perimeter_m.empty()) {
        double sum_pp = 0.0;
        std::uint32_t n_pp = 0;
        for (std::uint32_t p = 0; p < k; ++p) {
            if (count[p] > 0 && perim[p] > 0) {
                sum_pp += 4.0 * M_PI * area[p] / (perim[p] * perim[p]);
                ++n_pp;
            }
        }
        m.mean_polsby_popper = n_pp > 0 ? sum_pp / n_pp : 0.0;
    }
    m.disconnected = disconnected_parts(graph, part, k);
    m.blocks_split = blocks_split(graph, part);
    return m;
}

}  // namespace gridplan::partition
