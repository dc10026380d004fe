// Local search of the per-component solver (docs/partition.md, "Local search"): rounds of
// boundary moves (each unit to the adjacent part that improves the score most, never cutting its
// part) and merge-and-re-split of adjacent part pairs, exhaustive for small pairs and by the cuts
// of random maximum spanning trees otherwise (subtree sums, crossing costs by Tarjan's offline
// LCA).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "core/disjoint_sets.hpp"
#include "partition/detail/solver.hpp"

namespace gridplan::partition::detail {

void Solver::local_search(std::mt19937_64& rng) {
    for (int round = 0; round < opt_.max_rounds; ++round) {
        int passes = 0;
        while (passes < 50 && boundary_moves(rng)) {
            ++passes;
        }
        const bool split = (round < opt_.pair_rounds || band_first_) && pair_resplits(rng);
        if (!split && passes == 0) {
            break;
        }
    }
}

bool Solver::boundary_moves(std::mt19937_64& rng) {
    std::vector<std::uint32_t> order(graph_.unit_count);
    std::iota(order.begin(), order.end(), 0U);
    std::shuffle(order.begin(), order.end(), rng);
    bool any = false;
    std::vector<std::pair<std::uint32_t, double>> link;  // (part, cost to it)
    for (const auto u : order) {
        if (graph_.fixed_part[u] >= 0) {
            continue;
        }
        const std::uint32_t a = part_[u];
        if (stats_[a].units <= 1) {
            continue;
        }
        link.clear();
        double cost_a = 0.0;
        for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1]; ++j) {
            const auto p = part_[graph_.adj_target[j]];
            if (p == a) {
                cost_a += graph_.adj_cost[j];
                continue;
            }
            auto it =
                std::find_if(link.begin(), link.end(), [p](const auto& e) { return e.first == p; });
            if (it == link.end()) {
                link.push_back({p, graph_.adj_cost[j]});
            } else {
                it->second += graph_.adj_cost[j];
            }
        }
        if (link.empty()) {
            continue;
        }
        std::sort(link.begin(), link.end());
        const Score before_a = part_score(stats_[a]);
        PartStats a_after = stats_[a];
        a_after.add(graph_, u, -1.0);
        const Score after_a = part_score(a_after);
        Score best_delta{0.0, 0.0, 0.0};
        std::int64_t best_b = -1;
        for (const auto& [b, cost_b] : link) {
            if (band_first_ && (active_[a] == 0 || active_[b] == 0)) {
                continue;
            }
            PartStats b_after = stats_[b];
            b_after.add(graph_, u, 1.0);
            const Score before_b = part_score(stats_[b]);
            const Score after_b = part_score(b_after);
            Score d;
            d.out_of_band = after_a.out_of_band + after_b.out_of_band - before_a.out_of_band -
                            before_b.out_of_band;
            d.band_violation = after_a.band_violation + after_b.band_violation -
                               before_a.band_violation - before_b.band_violation;
            d.quality = after_a.quality + after_b.quality - before_a.quality - before_b.quality +
                        opt_.cut_weight * (cost_a - cost_b) / cut_norm_ +
                        churn_term(moved_delta(u, a, b));
            if (better(d, best_delta)) {
                best_delta = d;
                best_b = b;
            }
        }
        if (best_b >= 0 && removable(u)) {
            apply_move(u, static_cast<std::uint32_t>(best_b));
            any = true;
        }
    }
    return any;
}

bool Solver::pair_resplits(std::mt19937_64& rng) {
    // Adjacent pairs, worst first.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (std::uint32_t u = 0; u < graph_.unit_count; ++u) {
        for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1]; ++j) {
            const auto a = part_[u];
            const auto b = part_[graph_.adj_target[j]];
            if (a < b) {
                pairs.emplace_back(a, b);
            }
        }
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    auto badness = [&](std::uint32_t p) {
        const Score s = part_score(stats_[p]);
        return s.band_violation * 1e6 + std::abs(stats_[p].households - target_);
    };
    std::stable_sort(pairs.begin(), pairs.end(), [&](const auto& x, const auto& y) {
        return std::max(badness(x.first), badness(x.second)) >
               std::max(badness(y.first), badness(y.second));
    });
    bool any = false;
    for (const auto& [a, b] : pairs) {
        if (band_first_ && (active_[a] == 0 || active_[b] == 0)) {
            continue;
        }
        // Skip pairs tried without success since neither part changed.
        const auto stamp = std::make_pair(version_[a], version_[b]);
        auto it = tried_.find({a, b});
        if (it != tried_.end() && it->second == stamp) {
            continue;
        }
        if (resplit(a, b, rng)) {
            any = true;
        } else {
            tried_[{a, b}] = std::make_pair(version_[a], version_[b]);
        }
    }
    return any;
}

/// Best orientation of side S (rest = total - S); returns orientation 0 (S -> a),
/// 1 (S -> b) or -1 when fixed units forbid both, and its score.
int Solver::score_split(const PairSide& s,
                        const PairSide& total,
                        double cut_sides,
                        Score& out) const {
    const PairSide r = s.minus_from(total);
    const Score p1 = part_score(s.stats);
    const Score p2 = part_score(r.stats);
    const Score base{p1.out_of_band + p2.out_of_band,
                     p1.band_violation + p2.band_violation,
                     p1.quality + p2.quality + opt_.cut_weight * cut_sides / cut_norm_};
    int best = -1;
    if (s.fixed_to_b == 0 && r.fixed_to_a == 0) {
        out = base;
        out.quality += churn_term((s.initial_households - s.initial_in_a) +
                                  (r.initial_households - r.initial_in_b));
        best = 0;
    }
    if (s.fixed_to_a == 0 && r.fixed_to_b == 0) {
        Score o = base;
        o.quality += churn_term((s.initial_households - s.initial_in_b) +
                                (r.initial_households - r.initial_in_a));
        if (best < 0 || better(o, out)) {
            out = o;
            best = 1;
        }
    }
    return best;
}

bool Solver::resplit(std::uint32_t a, std::uint32_t b, std::mt19937_64& rng) {
    // Gather units and check adjacency still holds (earlier re-splits may have changed it).
    std::vector<std::uint32_t>& units = pair_units_;
    units.clear();
    for (std::uint32_t u = 0; u < graph_.unit_count; ++u) {
        if (part_[u] == a || part_[u] == b) {
            units.push_back(u);
        }
    }
    const auto m = static_cast<std::uint32_t>(units.size());
    if (m < 2) {
        return false;
    }
    local_of_.resize(graph_.unit_count);
    for (std::uint32_t i = 0; i < m; ++i) {
        local_of_[units[i]] = i;
    }
    std::vector<PairEdge> edges;
    double cut_ab = 0.0;
    for (std::uint32_t i = 0; i < m; ++i) {
        const auto u = units[i];
        for (auto q = graph_.adj_offset[u]; q < graph_.adj_offset[u + 1]; ++q) {
            const auto v = graph_.adj_target[q];
            if ((part_[v] == a || part_[v] == b) && v > u) {
                edges.push_back({i, local_of_[v], graph_.adj_cost[q]});
                if (part_[v] != part_[u]) {
                    cut_ab += graph_.adj_cost[q];
                }
            }
        }
    }
    if (cut_ab <= 0.0) {
        return false;  // not adjacent any more
    }
    PairSide total;
    PairSide side_a;  // the current split: S = units of a
    for (std::uint32_t i = 0; i < m; ++i) {
        total.add(graph_, units[i], a, b);
        if (part_[units[i]] == a) {
            side_a.add(graph_, units[i], a, b);
        }
    }
    Score best;
    {
        const PairSide r = side_a.minus_from(total);
        const Score p1 = part_score(side_a.stats);
        const Score p2 = part_score(r.stats);
        best = {p1.out_of_band + p2.out_of_band,
                p1.band_violation + p2.band_violation,
                p1.quality + p2.quality + opt_.cut_weight * cut_ab / cut_norm_ +
                    churn_term((side_a.initial_households - side_a.initial_in_a) +
                               (r.initial_households - r.initial_in_b))};
    }
    // Require a real improvement so rounds terminate.
    best.quality -= 1e-9;
    std::vector<char> best_to_a;  // per local unit: goes to a
    bool found = false;

    if (static_cast<int>(m) <= opt_.exhaustive_pair_units && m <= 24) {
        found = exhaustive_split(units, edges, total, a, b, best, best_to_a);
    } else {
        found = tree_cuts(units, edges, total, a, b, rng, best, best_to_a);
    }
    if (!found) {
        return false;
    }
    for (std::uint32_t i = 0; i < m; ++i) {
        const auto u = units[i];
        const std::uint32_t to = best_to_a[i] != 0 ? a : b;
        if (part_[u] != to) {
            apply_move(u, to);
        }
    }
    return true;
}

/// Every connected bipartition of a small pair (bitmask BFS; unit 0 always on side S) scored;
/// updates `best` and `best_to_a` on an improvement and says whether there was one.
bool Solver::exhaustive_split(const std::vector<std::uint32_t>& units,
                              const std::vector<PairEdge>& edges,
                              const PairSide& total,
                              std::uint32_t a,
                              std::uint32_t b,
                              Score& best,
                              std::vector<char>& best_to_a) {
    const auto m = static_cast<std::uint32_t>(units.size());
    bool found = false;
    std::vector<std::uint32_t> nb(m, 0);
    for (const auto& e : edges) {
        nb[e.i] |= 1U << e.j;
        nb[e.j] |= 1U << e.i;
    }
    const std::uint32_t full = (1U << m) - 1U;
    auto connected = [&](std::uint32_t set) {
        std::uint32_t reach = set & (~set + 1U);
        while (true) {
            std::uint32_t grow = reach;
            for (std::uint32_t r = reach; r != 0; r &= r - 1) {
                grow |= nb[static_cast<std::uint32_t>(__builtin_ctz(r))];
            }
            grow &= set;
            if (grow == reach) {
                return reach == set;
            }
            reach = grow;
        }
    };
    for (std::uint32_t rest = 0; rest + 1 < (1U << (m - 1)); ++rest) {
        const std::uint32_t set = 1U | (rest << 1);
        if (!connected(set) || !connected(full & ~set)) {
            continue;
        }
        PairSide s;
        for (std::uint32_t r = set; r != 0; r &= r - 1) {
            s.add(graph_, units[static_cast<std::uint32_t>(__builtin_ctz(r))], a, b);
        }
        double c = 0.0;
        for (const auto& e : edges) {
            if (((set >> e.i) & 1U) != ((set >> e.j) & 1U)) {
                c += e.cost;
            }
        }
        Score sc;
        const int orient = score_split(s, total, c, sc);
        if (orient >= 0 && better(sc, best)) {
            best = sc;
            found = true;
            best_to_a.assign(m, 0);
            for (std::uint32_t i = 0; i < m; ++i) {
                const bool in_s = ((set >> i) & 1U) != 0;
                best_to_a[i] = static_cast<char>(in_s == (orient == 0));
            }
        }
    }
    return found;
}

/// Calls on_lca(edge index, LCA of its ends) for every edge of a tree-rooted graph (root 0,
/// `parent` from the BFS): Tarjan's offline LCA with an iterative DFS and path compression.
template <class F>
void Solver::tarjan_lca(std::uint32_t m,
                        const std::vector<std::vector<std::uint32_t>>& tree,
                        const std::vector<std::uint32_t>& parent,
                        const std::vector<PairEdge>& edges,
                        F&& on_lca) {
    inc_off_.assign(m + 1, 0);
    for (const auto& e : edges) {
        ++inc_off_[e.i + 1];
        ++inc_off_[e.j + 1];
    }
    for (std::uint32_t v = 0; v < m; ++v) {
        inc_off_[v + 1] += inc_off_[v];
    }
    inc_.resize(inc_off_[m]);
    inc_fill_.assign(inc_off_.begin(), inc_off_.end() - 1);
    for (std::size_t q = 0; q < edges.size(); ++q) {
        inc_[inc_fill_[edges[q].i]++] = static_cast<std::uint32_t>(q);
        inc_[inc_fill_[edges[q].j]++] = static_cast<std::uint32_t>(q);
    }
    uf_.resize(m);
    std::iota(uf_.begin(), uf_.end(), 0U);
    done_.assign(m, 0);
    auto find = [&](std::uint32_t x) {
        std::uint32_t r = x;
        while (uf_[r] != r) {
            r = uf_[r];
        }
        while (uf_[x] != r) {
            const auto nx = uf_[x];
            uf_[x] = r;
            x = nx;
        }
        return r;
    };
    dfs_.clear();
    dfs_.emplace_back(0U, 0U);
    while (!dfs_.empty()) {
        auto& [v, next] = dfs_.back();
        if (next < tree[v].size()) {
            const auto w = tree[v][next++];
            if (v == 0 || w != parent[v]) {
                dfs_.emplace_back(w, 0U);
            }
            continue;
        }
        const auto fin = v;
        dfs_.pop_back();
        done_[fin] = 1;
        for (auto j = inc_off_[fin]; j < inc_off_[fin + 1]; ++j) {
            const auto q = inc_[j];
            const auto other = edges[q].i == fin ? edges[q].j : edges[q].i;
            if (done_[other] != 0) {
                on_lca(q, find(other));
            }
        }
        if (fin != 0) {
            uf_[fin] = parent[fin];
        }
    }
}

/// Samples random maximum spanning trees of the pair's induced graph (cost-biased) and
/// evaluates every tree-edge cut in O(1) from subtree sums; each side is connected.
bool Solver::tree_cuts(const std::vector<std::uint32_t>& units,
                       const std::vector<PairEdge>& edges,
                       const PairSide& total,
                       std::uint32_t a,
                       std::uint32_t b,
                       std::mt19937_64& rng,
                       Score& best,
                       std::vector<char>& best_to_a) {
    const auto m = static_cast<std::uint32_t>(units.size());
    std::uniform_real_distribution<double> unif(0.5, 1.5);
    std::vector<std::pair<double, std::size_t>> keyed(edges.size());
    core::DisjointSets dsu(m);
    std::vector<std::vector<std::uint32_t>> tree(m);
    std::vector<std::uint32_t> parent(m), depth(m), order;
    std::vector<double> cross(m);
    std::vector<PairSide> sub(m);
    std::vector<char> seen(m);
    bool found = false;
    for (int t = 0; t < opt_.pair_trees; ++t) {
        for (std::size_t q = 0; q < edges.size(); ++q) {
            keyed[q] = {-edges[q].cost * unif(rng), q};
        }
        std::sort(keyed.begin(), keyed.end());
        dsu.reset();
        for (auto& row : tree) {
            row.clear();
        }
        for (const auto& [key, q] : keyed) {
            const auto ri = dsu.find(edges[q].i);
            const auto rj = dsu.find(edges[q].j);
            if (ri != rj) {
                dsu.attach(ri, rj);
                tree[edges[q].i].push_back(edges[q].j);
                tree[edges[q].j].push_back(edges[q].i);
            }
        }
        order.assign(1, 0);
        parent[0] = 0;
        depth[0] = 0;
        std::fill(seen.begin(), seen.end(), 0);
        seen[0] = 1;
        for (std::size_t head = 0; head < order.size(); ++head) {
            const auto v = order[head];
            for (const auto w : tree[v]) {
                if (seen[w] == 0) {
                    seen[w] = 1;
                    parent[w] = v;
                    depth[w] = depth[v] + 1;
                    order.push_back(w);
                }
            }
        }
        if (order.size() != m) {
            return found;  // pair not connected (should not happen)
        }
        // Crossing cost of each subtree: +c at both ends, -2c at the LCA. LCAs by Tarjan's
        // offline algorithm (one DFS with a union-find), O(m alpha) instead of walking up
        // the tree per edge (deep random trees made that the optimiser's hot spot).
        std::fill(cross.begin(), cross.end(), 0.0);
        for (const auto& e : edges) {
            cross[e.i] += e.cost;
            cross[e.j] += e.cost;
        }
        tarjan_lca(m, tree, parent, edges, [&](std::size_t q, std::uint32_t lca) {
            cross[lca] -= 2.0 * edges[q].cost;
        });
        for (std::uint32_t i = 0; i < m; ++i) {
            sub[i] = PairSide{};
            sub[i].add(graph_, units[i], a, b);
        }
        for (std::size_t idx = order.size(); idx-- > 1;) {
            const auto v = order[idx];
            cross[parent[v]] += cross[v];
            sub[parent[v]].accumulate(sub[v]);
        }
        std::int64_t best_v = -1;
        int best_orient = 0;
        for (std::size_t idx = 1; idx < order.size(); ++idx) {
            const auto v = order[idx];
            Score sc;
            const int orient = score_split(sub[v], total, cross[v], sc);
            if (orient >= 0 && better(sc, best)) {
                best = sc;
                best_v = v;
                best_orient = orient;
            }
        }
        if (best_v >= 0) {
            found = true;
            // Mark the subtree of best_v.
            std::vector<char> in_s(m, 0);
            in_s[static_cast<std::size_t>(best_v)] = 1;
            for (std::size_t idx = 1; idx < order.size(); ++idx) {
                const auto v = order[idx];
                if (in_s[parent[v]] != 0) {
                    in_s[v] = 1;
                }
            }
            best_to_a.assign(m, 0);
            for (std::uint32_t i = 0; i < m; ++i) {
                best_to_a[i] = static_cast<char>((in_s[i] != 0) == (best_orient == 0));
            }
        }
    }
    return found;
}

}  // namespace gridplan::partition::detail
