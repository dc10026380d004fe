// Starts of the per-component solver (docs/partition.md, "Starts"): recursive bisection of
// random maximum spanning trees, household-balanced region growth from k-means++ seeds, a plan
// with a region regrown (redraw), the existing plan, and the repair that makes every part
// connected and non-empty.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <random>
#include <utility>
#include <vector>

#include "core/disjoint_sets.hpp"
#include "partition/detail/solver.hpp"

namespace gridplan::partition::detail {

/// A random maximum spanning tree (forest) of the component: edge keys are cost × U(0.5, 1.5),
/// so the tree follows expensive edges and its cuts fall on cheap ones (roads). Adjacency lists.
std::vector<std::vector<std::uint32_t>> Solver::random_spanning_tree(std::mt19937_64& rng) const {
    const std::uint32_t n = graph_.unit_count;
    std::uniform_real_distribution<double> unif(0.5, 1.5);
    struct TE {
        double key;
        std::uint32_t u, v;
    };
    std::vector<TE> all;
    for (std::uint32_t u = 0; u < n; ++u) {
        for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1]; ++j) {
            if (graph_.adj_target[j] > u) {
                all.push_back({-graph_.adj_cost[j] * unif(rng), u, graph_.adj_target[j]});
            }
        }
    }
    std::sort(all.begin(), all.end(), [](const TE& x, const TE& y) {
        return x.key != y.key ? x.key < y.key : (x.u != y.u ? x.u < y.u : x.v < y.v);
    });
    core::DisjointSets dsu(n);
    std::vector<std::vector<std::uint32_t>> tree(n);
    for (const auto& e : all) {
        const auto a = dsu.find(e.u);
        const auto b = dsu.find(e.v);
        if (a != b) {
            dsu.attach(a, b);
            tree[e.u].push_back(e.v);
            tree[e.v].push_back(e.u);
        }
    }
    return tree;
}

/// Recursive bisection of a random maximum spanning tree (cost-biased), cutting pieces whose
/// households are closest to a whole number of targets.
std::vector<std::uint32_t> Solver::tree_bisection(std::mt19937_64& rng) {
    const std::uint32_t n = graph_.unit_count;
    if (n < k_) {
        return {};
    }
    const auto tree = random_spanning_tree(rng);
    std::vector<std::uint32_t> part(n, 0);
    std::vector<std::uint32_t> parent(n, 0), order;
    std::vector<double> sub_h(n);
    std::vector<std::uint32_t> sub_n(n);
    struct Piece {
        std::uint32_t root, parts, label;
    };
    std::vector<Piece> stack{{0, k_, 0}};
    std::vector<std::pair<std::uint32_t, std::uint32_t>> cut_edges;  // removed tree edges
    auto is_removed = [&](std::uint32_t x, std::uint32_t y) {
        const auto key = std::minmax(x, y);
        return std::binary_search(
            cut_edges.begin(), cut_edges.end(), std::make_pair(key.first, key.second));
    };
    while (!stack.empty()) {
        const Piece piece = stack.back();
        stack.pop_back();
        order.clear();
        order.push_back(piece.root);
        parent[piece.root] = piece.root;
        next_stamp();
        mark_[piece.root] = stamp_;
        for (std::size_t head = 0; head < order.size(); ++head) {
            const auto v = order[head];
            for (const auto w : tree[v]) {
                if (mark_[w] != stamp_ && !is_removed(v, w)) {
                    mark_[w] = stamp_;
                    parent[w] = v;
                    order.push_back(w);
                }
            }
        }
        if (piece.parts <= 1) {
            for (const auto v : order) {
                part[v] = piece.label;
            }
            continue;
        }
        for (std::size_t idx = order.size(); idx-- > 0;) {
            const auto v = order[idx];
            sub_h[v] = graph_.households[v];
            sub_n[v] = 1;
        }
        for (std::size_t idx = order.size(); idx-- > 1;) {
            const auto v = order[idx];
            sub_h[parent[v]] += sub_h[v];
            sub_n[parent[v]] += sub_n[v];
        }
        const double total = sub_h[piece.root];
        const auto size = static_cast<std::uint32_t>(order.size());
        const double tp = total / piece.parts;
        double best_err = std::numeric_limits<double>::infinity();
        std::uint32_t best_v = piece.root;
        std::uint32_t best_j = 1;
        for (std::size_t idx = 1; idx < order.size(); ++idx) {
            const auto v = order[idx];
            const double s = sub_h[v];
            auto j = static_cast<std::int64_t>(std::llround(tp > 0 ? s / tp : 1.0));
            j = std::clamp<std::int64_t>(j, 1, piece.parts - 1);
            const auto ju = static_cast<std::uint32_t>(j);
            if (sub_n[v] < ju || size - sub_n[v] < piece.parts - ju) {
                continue;
            }
            const double err = std::abs(s - static_cast<double>(j) * tp) / std::max(tp, 1e-9) /
                               static_cast<double>(std::min(ju, piece.parts - ju));
            if (err < best_err - 1e-12) {
                best_err = err;
                best_v = v;
                best_j = ju;
            }
        }
        if (best_v == piece.root) {
            return {};  // cannot split (too few units)
        }
        const auto key = std::minmax(best_v, parent[best_v]);
        cut_edges.emplace_back(key.first, key.second);
        std::sort(cut_edges.begin(), cut_edges.end());
        stack.push_back({best_v, best_j, piece.label});
        stack.push_back({piece.root, piece.parts - best_j, piece.label + best_j});
    }
    return part;
}

/// k-means++ seeds (household-weighted; fixed units seed their parts at their mean position):
/// sets the seed unit's part and every part's seed position; false when there are too few units.
bool Solver::kmeans_seeds(std::mt19937_64& rng,
                          std::vector<std::int64_t>& part,
                          std::vector<double>& seed_x,
                          std::vector<double>& seed_y) {
    const std::uint32_t n = graph_.unit_count;
    std::vector<char> seeded(k_, 0);
    // Fixed units.
    std::vector<double> fx(k_, 0), fy(k_, 0), fc(k_, 0);
    for (std::uint32_t u = 0; u < n; ++u) {
        if (graph_.fixed_part[u] >= 0) {
            const auto p = static_cast<std::uint32_t>(graph_.fixed_part[u]);
            part[u] = p;
            fx[p] += graph_.x[u];
            fy[p] += graph_.y[u];
            fc[p] += 1;
        }
    }
    std::vector<double> d2(n, std::numeric_limits<double>::infinity());
    auto update_d2 = [&](double sx, double sy) {
        for (std::uint32_t u = 0; u < n; ++u) {
            const double dx = graph_.x[u] - sx;
            const double dy = graph_.y[u] - sy;
            d2[u] = std::min(d2[u], dx * dx + dy * dy);
        }
    };
    for (std::uint32_t p = 0; p < k_; ++p) {
        if (fc[p] > 0) {
            seed_x[p] = fx[p] / fc[p];
            seed_y[p] = fy[p] / fc[p];
            seeded[p] = 1;
            update_d2(seed_x[p], seed_y[p]);
        }
    }
    std::uniform_real_distribution<double> unif(0.0, 1.0);
    for (std::uint32_t p = 0; p < k_; ++p) {
        if (seeded[p] != 0) {
            continue;
        }
        double total = 0.0;
        bool any_seed = false;
        for (std::uint32_t q = 0; q < k_; ++q) {
            any_seed = any_seed || seeded[q] != 0;
        }
        std::vector<double> w(n, 0.0);
        for (std::uint32_t u = 0; u < n; ++u) {
            if (part[u] >= 0) {
                continue;
            }
            w[u] = (graph_.households[u] + 1.0) * (any_seed ? d2[u] : 1.0);
            total += w[u];
        }
        std::uint32_t pick = n;
        if (total > 0) {
            double r = unif(rng) * total;
            for (std::uint32_t u = 0; u < n; ++u) {
                if (w[u] <= 0) {
                    continue;
                }
                pick = u;
                r -= w[u];
                if (r <= 0) {
                    break;
                }
            }
        }
        if (pick == n) {
            for (std::uint32_t u = 0; u < n && pick == n; ++u) {
                if (part[u] < 0) {
                    pick = u;
                }
            }
        }
        if (pick == n) {
            return false;
        }
        part[pick] = p;
        seed_x[p] = graph_.x[pick];
        seed_y[p] = graph_.y[pick];
        seeded[p] = 1;
        update_d2(seed_x[p], seed_y[p]);
    }
    return true;
}

/// k-means++ seeds, then growth where the lightest part claims its nearest frontier unit.
std::vector<std::uint32_t> Solver::growth(std::mt19937_64& rng) {
    const std::uint32_t n = graph_.unit_count;
    if (n < k_) {
        return {};
    }
    std::vector<std::int64_t> part(n, -1);
    std::vector<double> seed_x(k_), seed_y(k_);
    if (!kmeans_seeds(rng, part, seed_x, seed_y)) {
        return {};
    }
    // Growth.
    using Item = std::pair<double, std::uint32_t>;
    std::vector<std::priority_queue<Item, std::vector<Item>, std::greater<>>> frontier(k_);
    std::vector<double> load(k_, 0.0);
    auto push_neighbours = [&](std::uint32_t u, std::uint32_t p) {
        for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1]; ++j) {
            const auto v = graph_.adj_target[j];
            if (part[v] < 0) {
                const double dx = graph_.x[v] - seed_x[p];
                const double dy = graph_.y[v] - seed_y[p];
                frontier[p].push({dx * dx + dy * dy, v});
            }
        }
    };
    std::uint32_t left = n;
    for (std::uint32_t u = 0; u < n; ++u) {
        if (part[u] >= 0) {
            load[static_cast<std::uint32_t>(part[u])] += graph_.households[u];
            push_neighbours(u, static_cast<std::uint32_t>(part[u]));
            --left;
        }
    }
    while (left > 0) {
        std::int64_t pick = -1;
        for (std::uint32_t p = 0; p < k_; ++p) {
            while (!frontier[p].empty() && part[frontier[p].top().second] >= 0) {
                frontier[p].pop();
            }
            if (!frontier[p].empty() && (pick < 0 || load[p] < load[pick])) {
                pick = p;
            }
        }
        if (pick < 0) {
            return {};  // disconnected input (not expected in a component)
        }
        const auto p = static_cast<std::uint32_t>(pick);
        const auto u = frontier[p].top().second;
        frontier[p].pop();
        part[u] = p;
        load[p] += graph_.households[u];
        --left;
        push_neighbours(u, p);
    }
    std::vector<std::uint32_t> out(n);
    for (std::uint32_t u = 0; u < n; ++u) {
        out[u] = static_cast<std::uint32_t>(part[u]);
    }
    return repair(std::move(out));
}

/// `base` with the parts of `in_region` redrawn: their free units are released and regrown
/// household-balanced (the lightest part claims its nearest frontier unit) from one seed
/// per part (its fixed units, else a random unit it had), then repaired. Other parts keep
/// their units.
std::vector<std::uint32_t> Solver::regrow_region(const std::vector<std::uint32_t>& base,
                                                 const std::vector<char>& in_region,
                                                 std::mt19937_64& rng) {
    const std::uint32_t n = graph_.unit_count;
    std::vector<std::uint32_t> part = base;
    std::vector<std::vector<std::uint32_t>> had(k_);
    std::vector<char> has_fixed(k_, 0);
    for (std::uint32_t u = 0; u < n; ++u) {
        if (in_region[base[u]] == 0) {
            continue;
        }
        if (graph_.fixed_part[u] >= 0) {
            has_fixed[base[u]] = 1;
        } else {
            had[base[u]].push_back(u);
            part[u] = k_;  // released
        }
    }
    std::vector<double> seed_x(k_, 0.0), seed_y(k_, 0.0), load(k_, 0.0), cnt(k_, 0.0);
    for (std::uint32_t u = 0; u < n; ++u) {
        if (part[u] < k_ && in_region[part[u]] != 0) {
            seed_x[part[u]] += graph_.x[u];
            seed_y[part[u]] += graph_.y[u];
            cnt[part[u]] += 1.0;
            load[part[u]] += graph_.households[u];
        }
    }
    for (std::uint32_t q = 0; q < k_; ++q) {
        if (in_region[q] == 0 || has_fixed[q] != 0 || had[q].empty()) {
            continue;
        }
        std::uniform_int_distribution<std::size_t> pick(0, had[q].size() - 1);
        const auto s = had[q][pick(rng)];
        part[s] = q;
        seed_x[q] = graph_.x[s];
        seed_y[q] = graph_.y[s];
        cnt[q] = 1.0;
        load[q] = graph_.households[s];
    }
    for (std::uint32_t q = 0; q < k_; ++q) {
        if (cnt[q] > 1.0) {
            seed_x[q] /= cnt[q];
            seed_y[q] /= cnt[q];
        }
    }
    using Item = std::pair<double, std::uint32_t>;
    std::vector<std::priority_queue<Item, std::vector<Item>, std::greater<>>> frontier(k_);
    auto push_neighbours = [&](std::uint32_t u, std::uint32_t q) {
        for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1]; ++j) {
            const auto v = graph_.adj_target[j];
            if (part[v] == k_) {
                const double dx = graph_.x[v] - seed_x[q];
                const double dy = graph_.y[v] - seed_y[q];
                frontier[q].push({dx * dx + dy * dy, v});
            }
        }
    };
    for (std::uint32_t u = 0; u < n; ++u) {
        if (part[u] < k_ && in_region[part[u]] != 0) {
            push_neighbours(u, part[u]);
        }
    }
    while (true) {
        std::int64_t pick = -1;
        for (std::uint32_t q = 0; q < k_; ++q) {
            while (!frontier[q].empty() && part[frontier[q].top().second] != k_) {
                frontier[q].pop();
            }
            if (!frontier[q].empty() && (pick < 0 || load[q] < load[pick])) {
                pick = q;
            }
        }
        if (pick < 0) {
            break;
        }
        const auto q = static_cast<std::uint32_t>(pick);
        const auto u = frontier[q].top().second;
        frontier[q].pop();
        part[u] = q;
        load[q] += graph_.households[u];
        push_neighbours(u, q);
    }
    return repair(std::move(part));
}

/// The existing plan with connectivity repaired.
std::vector<std::uint32_t> Solver::from_initial() {
    std::vector<std::uint32_t> out(graph_.unit_count, k_);
    for (std::uint32_t u = 0; u < graph_.unit_count; ++u) {
        if (graph_.fixed_part[u] >= 0) {
            out[u] = static_cast<std::uint32_t>(graph_.fixed_part[u]);
        } else if (graph_.initial_part[u] >= 0 &&
                   static_cast<std::uint32_t>(graph_.initial_part[u]) < k_) {
            out[u] = static_cast<std::uint32_t>(graph_.initial_part[u]);
        }
    }
    return repair(std::move(out));
}

/// Per unit: 1 when it is in the main component of its part (the one with fixed units, else the
/// heaviest) or fixed.
std::vector<char> Solver::main_components(const Plan& part) const {
    const std::uint32_t n = graph_.unit_count;
    std::vector<std::uint32_t> comp(n, std::numeric_limits<std::uint32_t>::max());
    std::vector<char> keep(n, 0);
    for (std::uint32_t p = 0; p < k_; ++p) {
        // Components of part p.
        std::uint32_t best_c = 0;
        double best_w = -1.0;
        std::uint32_t c_id = 0;
        for (std::uint32_t s = 0; s < n; ++s) {
            if (part[s] != p || comp[s] != std::numeric_limits<std::uint32_t>::max()) {
                continue;
            }
            double w = 0.0;
            std::vector<std::uint32_t> q{s};
            comp[s] = c_id;
            for (std::size_t head = 0; head < q.size(); ++head) {
                const auto v = q[head];
                w += graph_.households[v] + 1e-6 + (graph_.fixed_part[v] >= 0 ? 1e12 : 0.0);
                for (auto j = graph_.adj_offset[v]; j < graph_.adj_offset[v + 1]; ++j) {
                    const auto x = graph_.adj_target[j];
                    if (part[x] == p && comp[x] == std::numeric_limits<std::uint32_t>::max()) {
                        comp[x] = c_id;
                        q.push_back(x);
                    }
                }
            }
            if (w > best_w) {
                best_w = w;
                best_c = c_id;
            }
            ++c_id;
        }
        for (std::uint32_t u = 0; u < n; ++u) {
            if (part[u] == p && (comp[u] == best_c || graph_.fixed_part[u] >= 0)) {
                keep[u] = 1;
            }
        }
        for (std::uint32_t u = 0; u < n; ++u) {
            if (part[u] == p) {
                comp[u] = std::numeric_limits<std::uint32_t>::max() - 1;  // done
            }
        }
    }
    return keep;
}

/// Free units (label k) join the lightest adjacent part, in BFS layers, until none can.
void Solver::absorb_free_units(Plan& part, std::vector<double>& load) const {
    const std::uint32_t n = graph_.unit_count;
    bool progress = true;
    while (progress) {
        progress = false;
        for (std::uint32_t u = 0; u < n; ++u) {
            if (part[u] != k_) {
                continue;
            }
            std::uint32_t best = k_;
            for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1]; ++j) {
                const auto p = part[graph_.adj_target[j]];
                if (p < k_ && (best == k_ || load[p] < load[best])) {
                    best = p;
                }
            }
            if (best < k_) {
                part[u] = best;
                load[best] += graph_.households[u];
                progress = true;
            }
        }
    }
}

/// Makes every part connected and non-empty: keeps each part's main component (the one
/// with fixed units, else the heaviest), releases the rest (labels >= k are free) and
/// lets the lightest adjacent part absorb released units.
std::vector<std::uint32_t> Solver::repair(std::vector<std::uint32_t> part) {
    const std::uint32_t n = graph_.unit_count;
    const std::vector<char> keep = main_components(part);
    std::vector<double> load(k_, 0.0);
    std::vector<std::uint32_t> count(k_, 0);
    for (std::uint32_t u = 0; u < n; ++u) {
        if (keep[u] == 0) {
            part[u] = k_;
        } else {
            load[part[u]] += graph_.households[u];
            ++count[part[u]];
        }
    }
    // Empty parts take a free unit (or a removable unit of the heaviest part).
    for (std::uint32_t p = 0; p < k_; ++p) {
        if (count[p] > 0) {
            continue;
        }
        std::uint32_t pick = n;
        for (std::uint32_t u = 0; u < n && pick == n; ++u) {
            if (part[u] == k_) {
                pick = u;
            }
        }
        if (pick == n) {
            // Take a leaf of the heaviest part with more than one unit.
            load_into_state(part);
            std::uint32_t heavy = k_;
            for (std::uint32_t q = 0; q < k_; ++q) {
                if (count[q] > 1 && (heavy == k_ || load[q] > load[heavy])) {
                    heavy = q;
                }
            }
            for (std::uint32_t u = 0; u < n && heavy < k_ && pick == n; ++u) {
                if (part[u] == heavy && graph_.fixed_part[u] < 0 && removable(u)) {
                    pick = u;
                }
            }
            if (pick == n) {
                return {};
            }
            load[heavy] -= graph_.households[pick];
            --count[heavy];
        }
        part[pick] = p;
        load[p] += graph_.households[pick];
        ++count[p];
    }
    absorb_free_units(part, load);
    for (const auto p : part) {
        if (p >= k_) {
            return {};
        }
    }
    return part;
}

}  // namespace gridplan::partition::detail
