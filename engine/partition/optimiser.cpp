// The graph-level grid optimiser (docs/partition.md, "Optimiser").
//
// Per connected component: multi-start construction (recursive bisection of random maximum
// spanning trees; household-balanced region growth from k-means++ seeds; the existing plan),
// then local search whose moves keep every part connected (boundary moves with an
// articulation test; merge-and-re-split of adjacent part pairs, exhaustive for small pairs and by
// random spanning-tree cuts otherwise). Objective, compared lexicographically:
//   tier 1  band violation: sum over parts of households outside [min,max] / T
//           (+ population above the cap / cap)
//   tier 2  w_bal * mean((h-T)/T)^2 + w_cut * cut / C_norm + w_cmp * mean(2*pi*I/A^2)
//           + w_churn * households moved / H

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <random>
#include <utility>
#include <vector>

#include "core/disjoint_sets.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "partition/exact.hpp"
#include "partition/graph.hpp"

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
    return static_cast<std::uint32_t>(violation(below) <= violation(lo) ? std::min(below, lo)
                                                                        : lo);
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

constexpr double kEps = 1e-9;

/// Lexicographic score: tier 1a (number of parts outside the band or over the population cap),
/// tier 1b (amount of band violation), tier 2 (weighted quality).
struct Score {
    double c = 0.0;
    double v = 0.0;
    double f = 0.0;
};

bool better(const Score& a, const Score& b) {
    if (a.c < b.c - 0.5) {
        return true;
    }
    if (a.c > b.c + 0.5) {
        return false;
    }
    if (a.v < b.v - kEps) {
        return true;
    }
    if (a.v > b.v + kEps) {
        return false;
    }
    return a.f < b.f - 1e-12;
}

/// One connected component with local indices and centred coordinates.
struct Local {
    std::uint32_t n = 0;
    std::vector<double> h, pop, mass, x, y;
    std::vector<std::int32_t> fixed;    ///< local part or -1
    std::vector<std::int32_t> initial;  ///< local part or -1
    std::vector<std::uint32_t> off, tgt;
    std::vector<double> cost;
    bool has_pop = false;
};

/// Per-part running sums.
struct PartStats {
    double h = 0, pop = 0, m = 0, sx = 0, sy = 0, sq = 0;
    std::uint32_t n = 0;
    void add(const Local& g, std::uint32_t u, double sign) {
        h += sign * g.h[u];
        pop += sign * g.pop[u];
        m += sign * g.mass[u];
        sx += sign * g.mass[u] * g.x[u];
        sy += sign * g.mass[u] * g.y[u];
        sq += sign * g.mass[u] * (g.x[u] * g.x[u] + g.y[u] * g.y[u]);
        n = sign > 0 ? n + 1 : n - 1;
    }
};

class Solver {
public:
    Solver(const Local& g, std::uint32_t k, const Band& band, const OptimiserOptions& opt,
           double target, double total_h)
        : g_(g), k_(k), band_(band), opt_(opt), t_(target), total_h_(total_h) {
        double c = 0;
        for (const double v : g_.cost) {
            c += v;
        }
        const double mean_cost = g_.cost.empty() ? 1.0 : c / static_cast<double>(g_.cost.size());
        c_norm_ = std::max(1e-9, mean_cost * std::max(1.0, static_cast<double>(k_) *
                                                               std::sqrt(static_cast<double>(g_.n) /
                                                                         std::max(1U, k_))));
        mark_.assign(g_.n, 0);
    }

    std::vector<std::uint32_t> solve(std::uint64_t seed) {
        std::mt19937_64 rng(seed);
        std::vector<std::uint32_t> best;
        Score best_score;
        std::uint32_t best_broken = 0;
        auto consider = [&](std::vector<std::uint32_t> start) {
            if (start.empty()) {
                return;
            }
            load(std::move(start));
            local_search(rng);
            const Score s = score();
            const std::uint32_t broken = disconnected_parts();
            if (best.empty() || broken < best_broken ||
                (broken == best_broken && better(s, best_score))) {
                best = part_;
                best_score = s;
                best_broken = broken;
            }
        };
        if (k_ <= 1) {
            return std::vector<std::uint32_t>(g_.n, 0);
        }
        std::vector<std::vector<std::uint32_t>> initial_results;  // local optima of the old plan
        bool has_initial = false;
        for (const auto p : g_.initial) {
            has_initial = has_initial || p >= 0;
        }
        if (has_initial) {
            for (int s = 0; s < std::max(1, opt_.initial_starts); ++s) {
                consider(from_initial());
                initial_results.push_back(part_);
            }
        }
        bool has_fixed = false;
        for (const auto p : g_.fixed) {
            has_fixed = has_fixed || p >= 0;
        }
        for (int i = 0; i < opt_.tree_starts && !has_fixed; ++i) {
            consider(tree_bisection(rng));
        }
        for (int i = 0; i < opt_.growth_starts || (best.empty() && i < 1); ++i) {
            consider(growth(rng));
        }
        // Redraw: grids still outside the band after every start (other than grids holding a
        // unit above the band maximum, which no plan can fix). Band-first passes: a local search
        // on the band violation and balance alone (no grid count tier, no churn) lets households
        // flow through chains of grids, but only among the grids within 1, 2, 3 adjacency
        // steps of the out-of-band grids (then all grids), so that the churn stays local; then
        // from plans whose neighbourhood of one out-of-band grid is regrown. The normal
        // objective polishes each result, which wins only with fewer grids out of band; the
        // undo pass below cuts its churn.
        if (has_initial && !best.empty() && best_score.c > 0.5 && opt_.band_first_rounds > 0) {
            initial_results.insert(initial_results.begin(), best);
            band_first_passes(initial_results, best, best_score, best_broken, rng);
        }
        // Small component with grids still outside the band: exact search for a connected
        // in-band partition (found: polish it like any start; none: a certificate).
        if (!best.empty() && best_score.c > 0.5 && !has_fixed &&
            g_.n <= static_cast<std::uint32_t>(std::max(0, opt_.exact_max_units)) &&
            g_.n <= detail::kExactMaxUnits) {
            detail::ExactProblem problem;
            problem.households = g_.h;
            if (g_.has_pop && opt_.max_population) {
                problem.population = g_.pop;
                problem.max_population = opt_.max_population;
            }
            problem.adj_offset = g_.off;
            problem.adj_target = g_.tgt;
            problem.k = k_;
            problem.min_households = band_.min_households;
            problem.max_households = band_.max_households;
            problem.max_nodes = opt_.exact_max_nodes;
            auto exact = detail::exact_band_partition(problem);
            exact_status_ = exact.status;
            exact_nodes_ = exact.nodes;
            if (exact.status == detail::ExactStatus::found) {
                consider(std::move(exact.part));
            }
        }
        // Redraw: undo moves that the band does not need (lexicographic: band, then churn).
        if (has_initial && opt_.undo_moves && opt_.churn_weight > 0.0 && !best.empty()) {
            load(best);
            undo_moves();
            best = part_;
        }
        return best;
    }

    /// Outcome of the exact search (too_large when it did not run).
    [[nodiscard]] detail::ExactStatus exact_status() const noexcept { return exact_status_; }

private:
    // ---------------------------------------------------------------- objective
    [[nodiscard]] double violation(const PartStats& s) const {
        double v = 0.0;
        if (s.h < band_.min_households - kEps) {
            v += (band_.min_households - s.h) / t_;
        } else if (s.h > band_.max_households + kEps) {
            v += (s.h - band_.max_households) / t_;
        }
        if (g_.has_pop && opt_.max_population && s.pop > *opt_.max_population + kEps) {
            v += (s.pop - *opt_.max_population) / *opt_.max_population;
        }
        return v;
    }
    [[nodiscard]] double quality(const PartStats& s) const {
        const double dev = (s.h - t_) / t_;
        double f = (band_first_ ? std::max(1.0, opt_.balance_weight) : opt_.balance_weight) *
                   dev * dev;
        if (s.m > 0 && s.n > 1) {
            const double inertia = s.sq - (s.sx * s.sx + s.sy * s.sy) / s.m;
            f += opt_.compactness_weight * (2.0 * M_PI * std::max(0.0, inertia) / (s.m * s.m));
        }
        return f / static_cast<double>(k_);
    }
    [[nodiscard]] Score part_score(const PartStats& s) const {
        const double v = violation(s);
        return {v > 0.0 && !band_first_ ? 1.0 : 0.0, v, quality(s)};
    }
    [[nodiscard]] Score score() const {
        Score s;
        for (const auto& p : stats_) {
            const Score ps = part_score(p);
            s.c += ps.c;
            s.v += ps.v;
            s.f += ps.f;
        }
        s.f += opt_.cut_weight * cut_ / c_norm_;
        s.f += churn_term(moved_);
        return s;
    }
    [[nodiscard]] double churn_term(double moved) const {
        return total_h_ > 0 && !band_first_ ? opt_.churn_weight * moved / total_h_ : 0.0;
    }
    [[nodiscard]] double moved_delta(std::uint32_t u, std::uint32_t from, std::uint32_t to) const {
        if (g_.initial.empty() || g_.initial[u] < 0) {
            return 0.0;
        }
        const auto ini = static_cast<std::uint32_t>(g_.initial[u]);
        return (ini != to ? g_.h[u] : 0.0) - (ini != from ? g_.h[u] : 0.0);
    }

    // ---------------------------------------------------------------- state
    void load(std::vector<std::uint32_t> part) {
        part_ = std::move(part);
        stats_.assign(k_, PartStats{});
        version_.assign(k_, 0);
        tried_.clear();
        for (std::uint32_t u = 0; u < g_.n; ++u) {
            stats_[part_[u]].add(g_, u, 1.0);
        }
        cut_ = 0.0;
        moved_ = 0.0;
        for (std::uint32_t u = 0; u < g_.n; ++u) {
            for (auto j = g_.off[u]; j < g_.off[u + 1]; ++j) {
                if (g_.tgt[j] > u && part_[g_.tgt[j]] != part_[u]) {
                    cut_ += g_.cost[j];
                }
            }
            if (!g_.initial.empty() && g_.initial[u] >= 0 &&
                static_cast<std::uint32_t>(g_.initial[u]) != part_[u]) {
                moved_ += g_.h[u];
            }
        }
    }

    void apply_move(std::uint32_t u, std::uint32_t to) {
        const std::uint32_t from = part_[u];
        for (auto j = g_.off[u]; j < g_.off[u + 1]; ++j) {
            const auto p = part_[g_.tgt[j]];
            if (p == from) {
                cut_ += g_.cost[j];
            } else if (p == to) {
                cut_ -= g_.cost[j];
            }
        }
        moved_ += moved_delta(u, from, to);
        ++version_[from];
        ++version_[to];
        stats_[from].add(g_, u, -1.0);
        stats_[to].add(g_, u, 1.0);
        part_[u] = to;
    }

    /// True when removing u keeps its part connected.
    bool removable(std::uint32_t u) {
        const std::uint32_t a = part_[u];
        std::vector<std::uint32_t>& targets = scratch_;
        targets.clear();
        for (auto j = g_.off[u]; j < g_.off[u + 1]; ++j) {
            if (part_[g_.tgt[j]] == a) {
                targets.push_back(g_.tgt[j]);
            }
        }
        if (targets.size() <= 1) {
            return true;
        }
        // Local test first: the same-part neighbours of u are connected among themselves
        // (planar-like graphs: usually true for a non-articulation unit), so no search needed.
        {
            std::uint64_t reached = 1;  // bit i: targets[i] reached (targets are few)
            const std::size_t t_n = std::min<std::size_t>(targets.size(), 64);
            bool grew = true;
            while (grew) {
                grew = false;
                for (std::size_t i = 0; i < t_n; ++i) {
                    if (((reached >> i) & 1U) == 0) {
                        continue;
                    }
                    const auto v = targets[i];
                    for (auto j = g_.off[v]; j < g_.off[v + 1]; ++j) {
                        const auto w = g_.tgt[j];
                        for (std::size_t q = 0; q < t_n; ++q) {
                            if (targets[q] == w && ((reached >> q) & 1U) == 0) {
                                reached |= std::uint64_t{1} << q;
                                grew = true;
                            }
                        }
                    }
                }
            }
            if (t_n == targets.size() &&
                reached == (t_n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << t_n) - 1)) {
                return true;
            }
        }
        next_stamp();
        mark_[u] = stamp_;
        std::size_t found = 1;
        queue_.clear();
        queue_.push_back(targets[0]);
        mark_[targets[0]] = stamp_;
        std::size_t head = 0;
        auto is_target = [&](std::uint32_t v) {
            return std::find(targets.begin(), targets.end(), v) != targets.end();
        };
        while (head < queue_.size() && found < targets.size()) {
            const auto v = queue_[head++];
            for (auto j = g_.off[v]; j < g_.off[v + 1]; ++j) {
                const auto w = g_.tgt[j];
                if (mark_[w] != stamp_ && part_[w] == a) {
                    mark_[w] = stamp_;
                    if (is_target(w)) {
                        ++found;
                    }
                    queue_.push_back(w);
                }
            }
        }
        return found == targets.size();
    }

    /// Parts of the current assignment that are not connected (possible only when fixed units
    /// of one part lie apart).
    std::uint32_t disconnected_parts() {
        std::vector<std::uint32_t> pieces(k_, 0);
        next_stamp();
        for (std::uint32_t s = 0; s < g_.n; ++s) {
            if (mark_[s] == stamp_) {
                continue;
            }
            ++pieces[part_[s]];
            queue_.assign(1, s);
            mark_[s] = stamp_;
            for (std::size_t head = 0; head < queue_.size(); ++head) {
                const auto v = queue_[head];
                for (auto j = g_.off[v]; j < g_.off[v + 1]; ++j) {
                    const auto w = g_.tgt[j];
                    if (mark_[w] != stamp_ && part_[w] == part_[v]) {
                        mark_[w] = stamp_;
                        queue_.push_back(w);
                    }
                }
            }
        }
        std::uint32_t broken = 0;
        for (const auto p : pieces) {
            broken += p > 1 ? 1U : 0U;
        }
        return broken;
    }

    void next_stamp() {
        if (++stamp_ == 0) {
            std::fill(mark_.begin(), mark_.end(), 0);
            stamp_ = 1;
        }
    }

    // ---------------------------------------------------------------- local search
    void local_search(std::mt19937_64& rng) {
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

    bool boundary_moves(std::mt19937_64& rng) {
        std::vector<std::uint32_t> order(g_.n);
        std::iota(order.begin(), order.end(), 0U);
        std::shuffle(order.begin(), order.end(), rng);
        bool any = false;
        std::vector<std::pair<std::uint32_t, double>> link;  // (part, cost to it)
        for (const auto u : order) {
            if (g_.fixed[u] >= 0) {
                continue;
            }
            const std::uint32_t a = part_[u];
            if (stats_[a].n <= 1) {
                continue;
            }
            link.clear();
            double cost_a = 0.0;
            for (auto j = g_.off[u]; j < g_.off[u + 1]; ++j) {
                const auto p = part_[g_.tgt[j]];
                if (p == a) {
                    cost_a += g_.cost[j];
                    continue;
                }
                auto it = std::find_if(link.begin(), link.end(),
                                       [p](const auto& e) { return e.first == p; });
                if (it == link.end()) {
                    link.push_back({p, g_.cost[j]});
                } else {
                    it->second += g_.cost[j];
                }
            }
            if (link.empty()) {
                continue;
            }
            std::sort(link.begin(), link.end());
            const Score before_a = part_score(stats_[a]);
            PartStats a_after = stats_[a];
            a_after.add(g_, u, -1.0);
            const Score after_a = part_score(a_after);
            Score best_delta{0.0, 0.0, 0.0};
            std::int64_t best_b = -1;
            for (const auto& [b, cost_b] : link) {
                if (band_first_ && (active_[a] == 0 || active_[b] == 0)) {
                    continue;
                }
                PartStats b_after = stats_[b];
                b_after.add(g_, u, 1.0);
                const Score before_b = part_score(stats_[b]);
                const Score after_b = part_score(b_after);
                Score d;
                d.c = after_a.c + after_b.c - before_a.c - before_b.c;
                d.v = after_a.v + after_b.v - before_a.v - before_b.v;
                d.f = after_a.f + after_b.f - before_a.f - before_b.f +
                      opt_.cut_weight * (cost_a - cost_b) / c_norm_ +
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

    bool pair_resplits(std::mt19937_64& rng) {
        // Adjacent pairs, worst first.
        std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
        for (std::uint32_t u = 0; u < g_.n; ++u) {
            for (auto j = g_.off[u]; j < g_.off[u + 1]; ++j) {
                const auto a = part_[u];
                const auto b = part_[g_.tgt[j]];
                if (a < b) {
                    pairs.emplace_back(a, b);
                }
            }
        }
        std::sort(pairs.begin(), pairs.end());
        pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
        auto badness = [&](std::uint32_t p) {
            const Score s = part_score(stats_[p]);
            return s.v * 1e6 + std::abs(stats_[p].h - t_);
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

    /// Sums over one side of a pair bipartition.
    struct Side {
        PartStats st;
        double ini_h = 0.0;  ///< households of units with an initial part
        double ini_a = 0.0;  ///< … whose initial part is a
        double ini_b = 0.0;  ///< … whose initial part is b
        std::uint32_t fix_a = 0;
        std::uint32_t fix_b = 0;
        void add(const Local& g, std::uint32_t u, std::uint32_t a, std::uint32_t b) {
            st.add(g, u, 1.0);
            if (!g.initial.empty() && g.initial[u] >= 0) {
                ini_h += g.h[u];
                ini_a += static_cast<std::uint32_t>(g.initial[u]) == a ? g.h[u] : 0.0;
                ini_b += static_cast<std::uint32_t>(g.initial[u]) == b ? g.h[u] : 0.0;
            }
            fix_a += g.fixed[u] >= 0 && static_cast<std::uint32_t>(g.fixed[u]) == a ? 1U : 0U;
            fix_b += g.fixed[u] >= 0 && static_cast<std::uint32_t>(g.fixed[u]) == b ? 1U : 0U;
        }
        void accumulate(const Side& o) {
            st.h += o.st.h;
            st.pop += o.st.pop;
            st.m += o.st.m;
            st.sx += o.st.sx;
            st.sy += o.st.sy;
            st.sq += o.st.sq;
            st.n += o.st.n;
            ini_h += o.ini_h;
            ini_a += o.ini_a;
            ini_b += o.ini_b;
            fix_a += o.fix_a;
            fix_b += o.fix_b;
        }
        [[nodiscard]] Side minus_from(const Side& total) const {
            Side r;
            r.st.h = total.st.h - st.h;
            r.st.pop = total.st.pop - st.pop;
            r.st.m = total.st.m - st.m;
            r.st.sx = total.st.sx - st.sx;
            r.st.sy = total.st.sy - st.sy;
            r.st.sq = total.st.sq - st.sq;
            r.st.n = total.st.n - st.n;
            r.ini_h = total.ini_h - ini_h;
            r.ini_a = total.ini_a - ini_a;
            r.ini_b = total.ini_b - ini_b;
            r.fix_a = total.fix_a - fix_a;
            r.fix_b = total.fix_b - fix_b;
            return r;
        }
    };

    /// Best orientation of side S (rest = total - S); returns orientation 0 (S -> a),
    /// 1 (S -> b) or -1 when fixed units forbid both, and its score.
    int score_split(const Side& s, const Side& total, double cut_sides, Score& out) const {
        const Side r = s.minus_from(total);
        const Score p1 = part_score(s.st);
        const Score p2 = part_score(r.st);
        const Score base{p1.c + p2.c, p1.v + p2.v,
                         p1.f + p2.f + opt_.cut_weight * cut_sides / c_norm_};
        int best = -1;
        if (s.fix_b == 0 && r.fix_a == 0) {
            out = base;
            out.f += churn_term((s.ini_h - s.ini_a) + (r.ini_h - r.ini_b));
            best = 0;
        }
        if (s.fix_a == 0 && r.fix_b == 0) {
            Score o = base;
            o.f += churn_term((s.ini_h - s.ini_b) + (r.ini_h - r.ini_a));
            if (best < 0 || better(o, out)) {
                out = o;
                best = 1;
            }
        }
        return best;
    }

    bool resplit(std::uint32_t a, std::uint32_t b, std::mt19937_64& rng) {
        // Gather units and check adjacency still holds (earlier re-splits may have changed it).
        std::vector<std::uint32_t>& units = pair_units_;
        units.clear();
        for (std::uint32_t u = 0; u < g_.n; ++u) {
            if (part_[u] == a || part_[u] == b) {
                units.push_back(u);
            }
        }
        const auto m = static_cast<std::uint32_t>(units.size());
        if (m < 2) {
            return false;
        }
        local_of_.resize(g_.n);
        for (std::uint32_t i = 0; i < m; ++i) {
            local_of_[units[i]] = i;
        }
        struct E {
            std::uint32_t i, j;
            double c;
        };
        std::vector<E> edges;
        double cut_ab = 0.0;
        for (std::uint32_t i = 0; i < m; ++i) {
            const auto u = units[i];
            for (auto q = g_.off[u]; q < g_.off[u + 1]; ++q) {
                const auto v = g_.tgt[q];
                if ((part_[v] == a || part_[v] == b) && v > u) {
                    edges.push_back({i, local_of_[v], g_.cost[q]});
                    if (part_[v] != part_[u]) {
                        cut_ab += g_.cost[q];
                    }
                }
            }
        }
        if (cut_ab <= 0.0) {
            return false;  // not adjacent any more
        }
        Side total;
        Side side_a;  // the current split: S = units of a
        for (std::uint32_t i = 0; i < m; ++i) {
            total.add(g_, units[i], a, b);
            if (part_[units[i]] == a) {
                side_a.add(g_, units[i], a, b);
            }
        }
        Score best;
        {
            const Side r = side_a.minus_from(total);
            const Score p1 = part_score(side_a.st);
            const Score p2 = part_score(r.st);
            best = {p1.c + p2.c, p1.v + p2.v, p1.f + p2.f + opt_.cut_weight * cut_ab / c_norm_ +
                                     churn_term((side_a.ini_h - side_a.ini_a) +
                                                (r.ini_h - r.ini_b))};
        }
        // Require a real improvement so rounds terminate.
        best.f -= 1e-9;
        std::vector<char> best_to_a;  // per local unit: goes to a
        bool found = false;

        if (static_cast<int>(m) <= opt_.exhaustive_pair_units && m <= 24) {
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
                Side s;
                for (std::uint32_t r = set; r != 0; r &= r - 1) {
                    s.add(g_, units[static_cast<std::uint32_t>(__builtin_ctz(r))], a, b);
                }
                double c = 0.0;
                for (const auto& e : edges) {
                    if (((set >> e.i) & 1U) != ((set >> e.j) & 1U)) {
                        c += e.c;
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

    /// Calls on_lca(edge index, LCA of its ends) for every edge of a tree-rooted graph (root 0,
    /// `parent` from the BFS): Tarjan's offline LCA with an iterative DFS and path compression.
    template <class Edges, class F>
    void tarjan_lca(std::uint32_t m, const std::vector<std::vector<std::uint32_t>>& tree,
                    const std::vector<std::uint32_t>& parent, const Edges& edges, F&& on_lca) {
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
    template <class Edges>
    bool tree_cuts(const std::vector<std::uint32_t>& units, const Edges& edges, const Side& total,
                   std::uint32_t a, std::uint32_t b, std::mt19937_64& rng, Score& best,
                   std::vector<char>& best_to_a) {
        const auto m = static_cast<std::uint32_t>(units.size());
        std::uniform_real_distribution<double> unif(0.5, 1.5);
        std::vector<std::pair<double, std::size_t>> keyed(edges.size());
        core::DisjointSets dsu(m);
        std::vector<std::vector<std::uint32_t>> tree(m);
        std::vector<std::uint32_t> parent(m), depth(m), order;
        std::vector<double> cross(m);
        std::vector<Side> sub(m);
        std::vector<char> seen(m);
        bool found = false;
        for (int t = 0; t < opt_.pair_trees; ++t) {
            for (std::size_t q = 0; q < edges.size(); ++q) {
                keyed[q] = {-edges[q].c * unif(rng), q};
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
                cross[e.i] += e.c;
                cross[e.j] += e.c;
            }
            tarjan_lca(m, tree, parent, edges, [&](std::size_t q, std::uint32_t lca) {
                cross[lca] -= 2.0 * edges[q].c;
            });
            for (std::uint32_t i = 0; i < m; ++i) {
                sub[i] = Side{};
                sub[i].add(g_, units[i], a, b);
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

    // ---------------------------------------------------------------- constructions
    /// Recursive bisection of a random maximum spanning tree (cost-biased), cutting pieces whose
    /// households are closest to a whole number of targets.
    std::vector<std::uint32_t> tree_bisection(std::mt19937_64& rng) {
        const std::uint32_t n = g_.n;
        if (n < k_) {
            return {};
        }
        std::uniform_real_distribution<double> unif(0.5, 1.5);
        struct TE {
            double key;
            std::uint32_t u, v;
        };
        std::vector<TE> all;
        for (std::uint32_t u = 0; u < n; ++u) {
            for (auto j = g_.off[u]; j < g_.off[u + 1]; ++j) {
                if (g_.tgt[j] > u) {
                    all.push_back({-g_.cost[j] * unif(rng), u, g_.tgt[j]});
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
            return std::binary_search(cut_edges.begin(), cut_edges.end(),
                                      std::make_pair(key.first, key.second));
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
                sub_h[v] = g_.h[v];
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
                const double err = std::abs(s - static_cast<double>(j) * tp) /
                                   std::max(tp, 1e-9) /
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

    /// k-means++ seeds (household-weighted), then growth where the lightest part claims its
    /// nearest frontier unit. Fixed units seed their parts.
    std::vector<std::uint32_t> growth(std::mt19937_64& rng) {
        const std::uint32_t n = g_.n;
        if (n < k_) {
            return {};
        }
        std::vector<std::int64_t> part(n, -1);
        std::vector<double> seed_x(k_), seed_y(k_);
        std::vector<char> seeded(k_, 0);
        // Fixed units.
        std::vector<double> fx(k_, 0), fy(k_, 0), fc(k_, 0);
        for (std::uint32_t u = 0; u < n; ++u) {
            if (g_.fixed[u] >= 0) {
                const auto p = static_cast<std::uint32_t>(g_.fixed[u]);
                part[u] = p;
                fx[p] += g_.x[u];
                fy[p] += g_.y[u];
                fc[p] += 1;
            }
        }
        std::vector<double> d2(n, std::numeric_limits<double>::infinity());
        auto update_d2 = [&](double sx, double sy) {
            for (std::uint32_t u = 0; u < n; ++u) {
                const double dx = g_.x[u] - sx;
                const double dy = g_.y[u] - sy;
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
        std::vector<std::uint32_t> seed_unit(k_, n);
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
                w[u] = (g_.h[u] + 1.0) * (any_seed ? d2[u] : 1.0);
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
                return {};
            }
            part[pick] = p;
            seed_unit[p] = pick;
            seed_x[p] = g_.x[pick];
            seed_y[p] = g_.y[pick];
            seeded[p] = 1;
            update_d2(seed_x[p], seed_y[p]);
        }
        // Growth.
        using Item = std::pair<double, std::uint32_t>;
        std::vector<std::priority_queue<Item, std::vector<Item>, std::greater<>>> frontier(k_);
        std::vector<double> load(k_, 0.0);
        auto push_neighbours = [&](std::uint32_t u, std::uint32_t p) {
            for (auto j = g_.off[u]; j < g_.off[u + 1]; ++j) {
                const auto v = g_.tgt[j];
                if (part[v] < 0) {
                    const double dx = g_.x[v] - seed_x[p];
                    const double dy = g_.y[v] - seed_y[p];
                    frontier[p].push({dx * dx + dy * dy, v});
                }
            }
        };
        std::uint32_t left = n;
        for (std::uint32_t u = 0; u < n; ++u) {
            if (part[u] >= 0) {
                load[static_cast<std::uint32_t>(part[u])] += g_.h[u];
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
            load[p] += g_.h[u];
            --left;
            push_neighbours(u, p);
        }
        std::vector<std::uint32_t> out(n);
        for (std::uint32_t u = 0; u < n; ++u) {
            out[u] = static_cast<std::uint32_t>(part[u]);
        }
        return repair(std::move(out));
    }

    /// The band-first passes of solve() (see there) from each plan of `bases` in turn; updates
    /// the best plan, its score and its count of disconnected parts.
    void band_first_passes(const std::vector<std::vector<std::uint32_t>>& bases,
                           std::vector<std::uint32_t>& best, Score& best_score,
                           std::uint32_t& best_broken, std::mt19937_64& rng) {
        int since_success = -1;  // attempts since the first success (-1: none yet)
        for (std::size_t b = 0; b < bases.size(); ++b) {
            const auto& base = bases[b];
            if (std::find(bases.begin(), bases.begin() + static_cast<std::ptrdiff_t>(b), base) !=
                bases.begin() + static_cast<std::ptrdiff_t>(b)) {
                continue;  // the same plan as an earlier base
            }
            for (int it = 0; it < opt_.band_first_rounds && since_success < 4; ++it) {
                since_success += since_success >= 0 ? 1 : 0;
                load(base);
                std::vector<char> oversize(k_, 0);
                for (std::uint32_t u = 0; u < g_.n; ++u) {
                    if (g_.h[u] > band_.max_households + kEps) {
                        oversize[part_[u]] = 1;
                    }
                }
                std::vector<std::uint32_t> out;
                for (std::uint32_t p = 0; p < k_; ++p) {
                    if (part_score(stats_[p]).c > 0.5 && oversize[p] == 0) {
                        out.push_back(p);
                    }
                }
                if (out.empty()) {
                    break;
                }
                // Attempts 0-3: band-first within 1, 2, 3 steps, then everywhere; later ones
                // alternate a repeat of those (other move orders) with a regrown region.
                const int r = it < 4 ? it : it - 4;
                if (it < 4 || r % 2 == 0) {
                    const int step = it < 4 ? it : (r / 2) % 4;
                    active_ = neighbourhood(base, out, step < 3 ? step + 1 : static_cast<int>(k_));
                } else {
                    const auto q = static_cast<std::size_t>(r / 2);
                    const std::uint32_t p = out[q % out.size()];
                    const int hops = 1 + static_cast<int>((q / out.size()) % 3);
                    active_ = neighbourhood(base, {p}, hops);
                    auto start = regrow_region(base, active_, rng);
                    if (start.empty()) {
                        continue;
                    }
                    load(std::move(start));
                }
                band_first_ = true;
                tried_.clear();
                local_search(rng);
                band_first_ = false;
                tried_.clear();
                local_search(rng);
                const Score s = score();
                const std::uint32_t broken = disconnected_parts();
                // Fewer grids out of band wins; once some attempt has reduced them, later ones
                // compete on the whole score (churn included) for a few more attempts.
                if (broken <= best_broken &&
                    (s.c < best_score.c - 0.5 || (since_success >= 0 && better(s, best_score)))) {
                    if (s.c < best_score.c - 0.5) {
                        since_success = 0;
                    }
                    best = part_;
                    best_score = s;
                    best_broken = broken;
                }
            }
        }
    }

    /// Parts within `hops` grid adjacencies of the `seeds` parts in plan `base` (mask per part).
    std::vector<char> neighbourhood(const std::vector<std::uint32_t>& base,
                                    const std::vector<std::uint32_t>& seeds, int hops) const {
        std::vector<char> in_region(k_, 0);
        for (const auto p : seeds) {
            in_region[p] = 1;
        }
        for (int h = 0; h < hops; ++h) {
            std::vector<char> next = in_region;
            for (std::uint32_t u = 0; u < g_.n; ++u) {
                if (in_region[base[u]] == 0) {
                    continue;
                }
                for (auto j = g_.off[u]; j < g_.off[u + 1]; ++j) {
                    next[base[g_.tgt[j]]] = 1;
                }
            }
            if (next == in_region) {
                break;
            }
            in_region = std::move(next);
        }
        return in_region;
    }

    /// `base` with the parts of `in_region` redrawn: their free units are released and regrown
    /// household-balanced (the lightest part claims its nearest frontier unit) from one seed
    /// per part (its fixed units, else a random unit it had), then repaired. Other parts keep
    /// their units.
    std::vector<std::uint32_t> regrow_region(const std::vector<std::uint32_t>& base,
                                             const std::vector<char>& in_region,
                                             std::mt19937_64& rng) {
        const std::uint32_t n = g_.n;
        std::vector<std::uint32_t> part = base;
        std::vector<std::vector<std::uint32_t>> had(k_);
        std::vector<char> has_fixed(k_, 0);
        for (std::uint32_t u = 0; u < n; ++u) {
            if (in_region[base[u]] == 0) {
                continue;
            }
            if (g_.fixed[u] >= 0) {
                has_fixed[base[u]] = 1;
            } else {
                had[base[u]].push_back(u);
                part[u] = k_;  // released
            }
        }
        std::vector<double> seed_x(k_, 0.0), seed_y(k_, 0.0), load(k_, 0.0), cnt(k_, 0.0);
        for (std::uint32_t u = 0; u < n; ++u) {
            if (part[u] < k_ && in_region[part[u]] != 0) {
                seed_x[part[u]] += g_.x[u];
                seed_y[part[u]] += g_.y[u];
                cnt[part[u]] += 1.0;
                load[part[u]] += g_.h[u];
            }
        }
        for (std::uint32_t q = 0; q < k_; ++q) {
            if (in_region[q] == 0 || has_fixed[q] != 0 || had[q].empty()) {
                continue;
            }
            std::uniform_int_distribution<std::size_t> pick(0, had[q].size() - 1);
            const auto s = had[q][pick(rng)];
            part[s] = q;
            seed_x[q] = g_.x[s];
            seed_y[q] = g_.y[s];
            cnt[q] = 1.0;
            load[q] = g_.h[s];
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
            for (auto j = g_.off[u]; j < g_.off[u + 1]; ++j) {
                const auto v = g_.tgt[j];
                if (part[v] == k_) {
                    const double dx = g_.x[v] - seed_x[q];
                    const double dy = g_.y[v] - seed_y[q];
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
            load[q] += g_.h[u];
            push_neighbours(u, q);
        }
        return repair(std::move(part));
    }

    /// Moves units back to their initial part while that keeps the band tiers (grids out of
    /// band, violation) no worse and every part connected: churn before balance quality.
    /// Largest households first (ties: unit index); repeats until nothing moves back.
    void undo_moves() {
        std::vector<std::uint32_t> order;
        for (std::uint32_t u = 0; u < g_.n; ++u) {
            if (g_.fixed[u] < 0 && g_.initial[u] >= 0 &&
                static_cast<std::uint32_t>(g_.initial[u]) < k_ &&
                static_cast<std::uint32_t>(g_.initial[u]) != part_[u]) {
                order.push_back(u);
            }
        }
        std::stable_sort(order.begin(), order.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return g_.h[a] > g_.h[b]; });
        bool any = true;
        while (any) {
            any = false;
            for (const auto u : order) {
                const std::uint32_t a = part_[u];
                const auto b = static_cast<std::uint32_t>(g_.initial[u]);
                if (a == b || stats_[a].n <= 1) {
                    continue;
                }
                bool adjacent = false;
                for (auto j = g_.off[u]; j < g_.off[u + 1] && !adjacent; ++j) {
                    adjacent = part_[g_.tgt[j]] == b;
                }
                if (!adjacent) {
                    continue;
                }
                PartStats a_after = stats_[a];
                a_after.add(g_, u, -1.0);
                PartStats b_after = stats_[b];
                b_after.add(g_, u, 1.0);
                const Score a0 = part_score(stats_[a]);
                const Score b0 = part_score(stats_[b]);
                const Score a1 = part_score(a_after);
                const Score b1 = part_score(b_after);
                if (a1.c + b1.c > a0.c + b0.c + 0.5 || a1.v + b1.v > a0.v + b0.v + kEps) {
                    continue;
                }
                if (!removable(u)) {
                    continue;
                }
                apply_move(u, b);
                any = true;
            }
        }
    }

    /// The existing plan with connectivity repaired.
    std::vector<std::uint32_t> from_initial() {
        std::vector<std::uint32_t> out(g_.n, k_);
        for (std::uint32_t u = 0; u < g_.n; ++u) {
            if (g_.fixed[u] >= 0) {
                out[u] = static_cast<std::uint32_t>(g_.fixed[u]);
            } else if (g_.initial[u] >= 0 && static_cast<std::uint32_t>(g_.initial[u]) < k_) {
                out[u] = static_cast<std::uint32_t>(g_.initial[u]);
            }
        }
        return repair(std::move(out));
    }

    /// Makes every part connected and non-empty: keeps each part's main component (the one
    /// with fixed units, else the heaviest), releases the rest (labels >= k are free) and
    /// lets the lightest adjacent part absorb released units.
    std::vector<std::uint32_t> repair(std::vector<std::uint32_t> part) {
        const std::uint32_t n = g_.n;
        std::vector<std::uint32_t> comp(n, std::numeric_limits<std::uint32_t>::max());
        std::vector<char> keep(n, 0);
        for (std::uint32_t p = 0; p < k_; ++p) {
            // Components of part p.
            std::uint32_t best_c = 0;
            double best_w = -1.0;
            std::uint32_t c_id = 0;
            std::vector<std::pair<std::uint32_t, double>> comps;  // (id, weight)
            for (std::uint32_t s = 0; s < n; ++s) {
                if (part[s] != p || comp[s] != std::numeric_limits<std::uint32_t>::max()) {
                    continue;
                }
                double w = 0.0;
                std::vector<std::uint32_t> q{s};
                comp[s] = c_id;
                for (std::size_t head = 0; head < q.size(); ++head) {
                    const auto v = q[head];
                    w += g_.h[v] + 1e-6 + (g_.fixed[v] >= 0 ? 1e12 : 0.0);
                    for (auto j = g_.off[v]; j < g_.off[v + 1]; ++j) {
                        const auto x = g_.tgt[j];
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
                if (part[u] == p && (comp[u] == best_c || g_.fixed[u] >= 0)) {
                    keep[u] = 1;
                }
            }
            for (std::uint32_t u = 0; u < n; ++u) {
                if (part[u] == p) {
                    comp[u] = std::numeric_limits<std::uint32_t>::max() - 1;  // done
                }
            }
        }
        std::vector<double> load(k_, 0.0);
        std::vector<std::uint32_t> count(k_, 0);
        for (std::uint32_t u = 0; u < n; ++u) {
            if (keep[u] == 0) {
                part[u] = k_;
            } else {
                load[part[u]] += g_.h[u];
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
                    if (part[u] == heavy && g_.fixed[u] < 0 && removable(u)) {
                        pick = u;
                    }
                }
                if (pick == n) {
                    return {};
                }
                load[heavy] -= g_.h[pick];
                --count[heavy];
            }
            part[pick] = p;
            load[p] += g_.h[pick];
            ++count[p];
        }
        // Absorb free units by BFS layers into the lightest adjacent part.
        bool progress = true;
        while (progress) {
            progress = false;
            for (std::uint32_t u = 0; u < n; ++u) {
                if (part[u] != k_) {
                    continue;
                }
                std::uint32_t best = k_;
                for (auto j = g_.off[u]; j < g_.off[u + 1]; ++j) {
                    const auto p = part[g_.tgt[j]];
                    if (p < k_ && (best == k_ || load[p] < load[best])) {
                        best = p;
                    }
                }
                if (best < k_) {
                    part[u] = best;
                    load[best] += g_.h[u];
                    progress = true;
                }
            }
        }
        for (const auto p : part) {
            if (p >= k_) {
                return {};
            }
        }
        return part;
    }

    void load_into_state(const std::vector<std::uint32_t>& part) {
        part_ = part;
        stats_.assign(k_ + 1, PartStats{});
        for (std::uint32_t u = 0; u < g_.n; ++u) {
            stats_[part_[u]].add(g_, u, 1.0);
        }
    }

    const Local& g_;
    std::uint32_t k_;
    Band band_;
    OptimiserOptions opt_;
    double t_;
    double total_h_;
    double c_norm_ = 1.0;
    std::vector<std::uint32_t> part_;
    std::vector<PartStats> stats_;
    std::vector<std::uint64_t> version_;  ///< bumped whenever a part changes
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::uint64_t, std::uint64_t>>
        tried_;  ///< pair -> part versions at the last failed re-split
    double cut_ = 0.0;
    double moved_ = 0.0;
    std::vector<std::uint32_t> mark_;
    std::uint32_t stamp_ = 0;
    std::vector<std::uint32_t> queue_, scratch_, pair_units_, local_of_;
    std::vector<std::uint32_t> inc_off_, inc_, inc_fill_, uf_;  ///< tarjan_lca buffers
    std::vector<char> done_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> dfs_;
    detail::ExactStatus exact_status_ = detail::ExactStatus::too_large;
    std::uint64_t exact_nodes_ = 0;
    /// Band-first objective (redraw passes): tier 1 is the violation alone (no count of grids
    /// out of band), tier 2 balance (weight at least 1), cut and compactness, no churn.
    bool band_first_ = false;
    std::vector<char> active_;  ///< band-first: parts whose units may move (per part)
};

}  // namespace

PartitionMetrics evaluate(const UnitGraph& graph, const std::vector<std::uint32_t>& part,
                          std::uint32_t k, const Band& band, std::optional<double> max_population) {
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
    // Connectivity per part.
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
            ++m.disconnected;
        }
    }
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
                ++m.blocks_split;
            }
            i = j;
        }
    }
    return m;
}

GraphPartition partition_graph(const UnitGraph& graph, std::uint32_t k, const Band& band,
                               const OptimiserOptions& options) {
    graph.validate();
    if (!(band.min_households >= 0.0) || !(band.max_households >= band.min_households) ||
        !(band.max_households > 0.0)) {
        throw core::Error{core::Errc::usage, "partitioning: invalid household band [" +
                                                 std::to_string(band.min_households) + ", " +
                                                 std::to_string(band.max_households) + "]"};
    }
    const auto n = static_cast<std::uint32_t>(graph.size());
    GraphPartition result;
    if (n == 0) {
        result.k = 0;
        return result;
    }
    k = std::max(1U, k);
    for (const auto f : graph.fixed_part) {
        if (f >= static_cast<std::int32_t>(k)) {
            throw core::Error{core::Errc::invalid_input,
                              "partitioning: fixed part " + std::to_string(f) +
                                  " is not below k=" + std::to_string(k)};
        }
    }
    // Components.
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
    const auto n_comp = static_cast<std::uint32_t>(members.size());
    result.components = n_comp;
    // Shares of k: at least one per component (and one per fixed label present), then the
    // component with the largest households per part gets the next one.
    std::vector<double> comp_h(n_comp, 0.0);
    std::vector<std::vector<std::int32_t>> comp_fixed(n_comp);
    for (std::uint32_t c = 0; c < n_comp; ++c) {
        for (const auto u : members[c]) {
            comp_h[c] += graph.households[u];
            if (!graph.fixed_part.empty() && graph.fixed_part[u] >= 0) {
                comp_fixed[c].push_back(graph.fixed_part[u]);
            }
        }
        std::sort(comp_fixed[c].begin(), comp_fixed[c].end());
        comp_fixed[c].erase(std::unique(comp_fixed[c].begin(), comp_fixed[c].end()),
                            comp_fixed[c].end());
    }
    std::vector<std::uint32_t> comp_k(n_comp);
    std::uint32_t used = 0;
    for (std::uint32_t c = 0; c < n_comp; ++c) {
        comp_k[c] = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(comp_fixed[c].size()));
        used += comp_k[c];
    }
    while (used < k) {
        std::int64_t best = -1;
        for (std::uint32_t c = 0; c < n_comp; ++c) {
            if (comp_k[c] >= members[c].size()) {
                continue;
            }
            if (best < 0 || comp_h[c] / comp_k[c] > comp_h[best] / comp_k[best] + 1e-9) {
                best = c;
            }
        }
        if (best < 0) {
            break;
        }
        ++comp_k[best];
        ++used;
    }
    const std::uint32_t k_total = std::max(k, used);
    double total_h = 0.0;
    for (const double v : comp_h) {
        total_h += v;
    }
    const double target = total_h / k_total;

    // Solve each component; remember where each local label came from.
    std::vector<std::vector<std::uint32_t>> local_parts(n_comp);
    std::vector<std::vector<std::int64_t>> origin(n_comp);  // wanted global label or -1
    std::vector<detail::ExactStatus> exact(n_comp, detail::ExactStatus::too_large);
    double ax = 0.0;
    double ay = 0.0;
    for (std::uint32_t u = 0; u < n; ++u) {
        ax += graph.position[u].x();
        ay += graph.position[u].y();
    }
    ax /= n;
    ay /= n;
    for (std::uint32_t c = 0; c < n_comp; ++c) {
        const auto& mem = members[c];
        Local g;
        g.n = static_cast<std::uint32_t>(mem.size());
        std::vector<std::uint32_t> local(n, 0);
        for (std::uint32_t i = 0; i < g.n; ++i) {
            local[mem[i]] = i;
        }
        // Local labels: fixed labels first, then initial labels by households (heaviest first).
        std::vector<std::int64_t> label_origin;
        for (const auto f : comp_fixed[c]) {
            label_origin.push_back(f);
        }
        std::vector<std::pair<double, std::int32_t>> ini_weight;
        if (!graph.initial_part.empty()) {
            std::vector<std::pair<std::int32_t, double>> acc;
            for (const auto u : mem) {
                const auto p = graph.initial_part[u];
                if (p >= 0 && !std::binary_search(comp_fixed[c].begin(), comp_fixed[c].end(), p)) {
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
            if (label_origin.size() < comp_k[c]) {
                label_origin.push_back(p);
            }
        }
        while (label_origin.size() < comp_k[c]) {
            label_origin.push_back(-1);
        }
        auto to_local_label = [&](std::int32_t p) -> std::int32_t {
            for (std::size_t i = 0; i < label_origin.size(); ++i) {
                if (label_origin[i] == p) {
                    return static_cast<std::int32_t>(i);
                }
            }
            return -1;
        };
        double area_sum = 0.0;
        bool has_area = !graph.area_m2.empty();
        double min_x = 1e300, max_x = -1e300, min_y = 1e300, max_y = -1e300;
        for (const auto u : mem) {
            min_x = std::min(min_x, graph.position[u].x());
            max_x = std::max(max_x, graph.position[u].x());
            min_y = std::min(min_y, graph.position[u].y());
            max_y = std::max(max_y, graph.position[u].y());
            if (has_area) {
                area_sum += graph.area_m2[u];
            }
        }
        const double mean_mass =
            std::max(1.0, (max_x - min_x) * (max_y - min_y) / static_cast<double>(g.n));
        g.has_pop = !graph.population.empty();
        for (const auto u : mem) {
            g.h.push_back(graph.households[u]);
            g.pop.push_back(g.has_pop ? graph.population[u] : 0.0);
            g.mass.push_back(has_area && graph.area_m2[u] > 0 ? graph.area_m2[u] : mean_mass);
            g.x.push_back(graph.position[u].x() - ax);
            g.y.push_back(graph.position[u].y() - ay);
            g.fixed.push_back(graph.fixed_part.empty() || graph.fixed_part[u] < 0
                                  ? -1
                                  : to_local_label(graph.fixed_part[u]));
            g.initial.push_back(graph.initial_part.empty() || graph.initial_part[u] < 0
                                    ? -1
                                    : to_local_label(graph.initial_part[u]));
        }
        g.off.push_back(0);
        for (const auto u : mem) {
            for (auto j = graph.adj_offset[u]; j < graph.adj_offset[u + 1]; ++j) {
                g.tgt.push_back(local[graph.adj_target[j]]);
                g.cost.push_back(graph.adj_cost[j]);
            }
            g.off.push_back(static_cast<std::uint32_t>(g.tgt.size()));
        }
        Solver solver(g, comp_k[c], band, options, target, comp_h[c]);
        auto parts = solver.solve(core::mix(options.seed ^ core::mix(mem.front() + 1)));
        exact[c] = solver.exact_status();
        core::require_invariant(parts.size() == g.n, "component partition has wrong size");
        local_parts[c] = std::move(parts);
        origin[c] = std::move(label_origin);
    }
    // Global labels: wanted labels first (fixed, then initial, in component order), then fresh.
    std::vector<std::vector<std::uint32_t>> global_of(n_comp);
    std::vector<char> taken(k_total, 0);
    for (std::uint32_t c = 0; c < n_comp; ++c) {
        global_of[c].assign(comp_k[c], k_total);
        for (std::uint32_t l = 0; l < comp_k[c]; ++l) {
            const auto want = origin[c][l];
            if (want >= 0 && want < static_cast<std::int64_t>(k_total) && taken[want] == 0) {
                global_of[c][l] = static_cast<std::uint32_t>(want);
                taken[want] = 1;
            }
        }
    }
    std::uint32_t next_free = 0;
    for (std::uint32_t c = 0; c < n_comp; ++c) {
        for (std::uint32_t l = 0; l < comp_k[c]; ++l) {
            if (global_of[c][l] == k_total) {
                while (taken[next_free] != 0) {
                    ++next_free;
                }
                global_of[c][l] = next_free;
                taken[next_free] = 1;
            }
        }
    }
    result.part.assign(n, 0);
    result.k = k_total;
    for (std::uint32_t c = 0; c < n_comp; ++c) {
        for (std::size_t i = 0; i < members[c].size(); ++i) {
            result.part[members[c][i]] = global_of[c][local_parts[c][i]];
        }
    }
    result.metrics = evaluate(graph, result.part, k_total, band, options.max_population);

    // Certificate: per component, combined.
    Certificate cert;
    cert.total_households = total_h;
    cert.target_households = target;
    std::string reasons;
    for (std::uint32_t c = 0; c < n_comp; ++c) {
        std::vector<double> hh;
        hh.reserve(members[c].size());
        for (const auto u : members[c]) {
            hh.push_back(graph.households[u]);
        }
        // Achieved max deviation of this component's parts (relative to its own target).
        std::vector<double> ph(comp_k[c], 0.0);
        for (std::size_t i = 0; i < members[c].size(); ++i) {
            ph[local_parts[c][i]] += hh[i];
        }
        const double tc = comp_h[c] / comp_k[c];
        double achieved = 0.0;
        for (const double v : ph) {
            achieved = std::max(achieved, tc > 0 ? std::abs(v - tc) / tc : 0.0);
        }
        Certificate cc = certify(hh, comp_k[c], band, achieved + 1e-9);
        if (n_comp == 1 && cc.band_feasible && exact[c] == detail::ExactStatus::none) {
            // Contiguity-aware: the exhaustive search found no connected in-band split.
            cc.band_feasible = false;
            cc.connected_proof = true;
            cc.min_out_of_band = std::max<std::uint32_t>(cc.min_out_of_band, 1);
            cc.reason += std::string{cc.reason.empty() ? "" : "; "} + "no connected split of the " +
                         std::to_string(hh.size()) + " units into " + std::to_string(comp_k[c]) +
                         " grids puts every grid in the band" +
                         (options.max_population ? " under the population cap" : "") +
                         " (exhaustive enumeration)";
        }
        cert.k_in_range = cert.k_in_range && cc.k_in_range;
        cert.band_feasible = cert.band_feasible && cc.band_feasible;
        cert.connected_proof = cert.connected_proof || cc.connected_proof;
        cert.min_out_of_band += cc.min_out_of_band;
        // Convert the component's bound (relative to its target) to the global target: the
        // part of the component farthest from T is at least as far as the bound allows.
        double d_global = 0.0;
        if (target > 0 && tc > 0) {
            const double lo = tc * (1.0 - cc.deviation_lower_bound);
            const double hi = tc * (1.0 + cc.deviation_lower_bound);
            // Some part lies outside (lo, hi) around tc unless the bound is 0; at least one part
            // has households <= lo or >= hi. Its distance to T is at least min over both.
            if (cc.deviation_lower_bound > 0) {
                d_global = std::min(std::abs(lo - target), std::abs(hi - target)) / target;
                if (lo <= target && target <= hi) {
                    d_global = std::min(target - lo, hi - target) / target;
                }
            }
            // Averages: the component's parts average tc, so some part is at least |tc - T|.
            d_global = std::max(d_global, std::abs(tc - target) / target);
        }
        cert.deviation_lower_bound = std::max(cert.deviation_lower_bound, d_global);
        if (!cc.reason.empty()) {
            if (!reasons.empty()) {
                reasons += " | ";
            }
            reasons += (n_comp > 1 ? "component " + std::to_string(c) + ": " : std::string{}) +
                       cc.reason;
        }
    }
    cert.reason = reasons;
    result.certificate = cert;
    return result;
}

}  // namespace gridplan::partition
