// The per-component solver (detail/solver.hpp): the multi-start driver `solve`, the objective
// (lexicographic score of a plan, of one part and of a change) and the search state (plan, part
// sums, cut and churn, moves that keep every part connected).

#include "partition/detail/solver.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

namespace gridplan::partition::detail {

bool better(const Score& a, const Score& b) {
    if (a.out_of_band < b.out_of_band - 0.5) {
        return true;
    }
    if (a.out_of_band > b.out_of_band + 0.5) {
        return false;
    }
    if (a.band_violation < b.band_violation - kEps) {
        return true;
    }
    if (a.band_violation > b.band_violation + kEps) {
        return false;
    }
    return a.quality < b.quality - 1e-12;
}

Solver::Solver(const ComponentGraph& graph,
               std::uint32_t k,
               const Band& band,
               const OptimiserOptions& options,
               double target,
               double total_households)
    : graph_(graph),
      k_(k),
      band_(band),
      opt_(options),
      target_(target),
      total_h_(total_households) {
    double c = 0;
    for (const double v : graph_.adj_cost) {
        c += v;
    }
    const double mean_cost =
        graph_.adj_cost.empty() ? 1.0 : c / static_cast<double>(graph_.adj_cost.size());
    cut_norm_ = std::max(1e-9,
                         mean_cost * std::max(1.0,
                                              static_cast<double>(k_) *
                                                  std::sqrt(static_cast<double>(graph_.unit_count) /
                                                            std::max(1U, k_))));
    mark_.assign(graph_.unit_count, 0);
}

/// Multi-start: the existing plan (redraw), tree bisections, region growths; each start is
/// polished by the local search and the best plan kept (fewer disconnected parts always win).
/// Then the redraw passes and the exact search for small components.
Plan Solver::solve(std::uint64_t seed) {
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
        return std::vector<std::uint32_t>(graph_.unit_count, 0);
    }
    std::vector<std::vector<std::uint32_t>> initial_results;  // local optima of the old plan
    bool has_initial = false;
    for (const auto p : graph_.initial_part) {
        has_initial = has_initial || p >= 0;
    }
    if (has_initial) {
        for (int s = 0; s < std::max(1, opt_.initial_starts); ++s) {
            consider(from_initial());
            initial_results.push_back(part_);
        }
    }
    bool has_fixed = false;
    for (const auto p : graph_.fixed_part) {
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
    if (has_initial && !best.empty() && best_score.out_of_band > 0.5 &&
        opt_.band_first_rounds > 0) {
        initial_results.insert(initial_results.begin(), best);
        band_first_passes(initial_results, best, best_score, best_broken, rng);
    }
    // Small component with grids still outside the band: exact search for a connected
    // in-band partition (found: polish it like any start; none: a certificate).
    if (!best.empty() && best_score.out_of_band > 0.5 && !has_fixed &&
        graph_.unit_count <= static_cast<std::uint32_t>(std::max(0, opt_.exact_max_units)) &&
        graph_.unit_count <= kExactMaxUnits) {
        auto exact = exact_search();
        if (exact.status == ExactStatus::found) {
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

// ---------------------------------------------------------------- objective

double Solver::violation(const PartStats& s) const {
    double v = 0.0;
    if (s.households < band_.min_households - kEps) {
        v += (band_.min_households - s.households) / target_;
    } else if (s.households > band_.max_households + kEps) {
        v += (s.households - band_.max_households) / target_;
    }
    if (graph_.has_population && opt_.max_population &&
        s.population > *opt_.max_population + kEps) {
        v += (s.population - *opt_.max_population) / *opt_.max_population;
    }
    return v;
}

double Solver::quality(const PartStats& s) const {
    const double dev = (s.households - target_) / target_;
    double f = (band_first_ ? std::max(1.0, opt_.balance_weight) : opt_.balance_weight) * dev * dev;
    if (s.mass > 0 && s.units > 1) {
        const double inertia = s.mass_r2 - (s.mass_x * s.mass_x + s.mass_y * s.mass_y) / s.mass;
        f += opt_.compactness_weight * (2.0 * M_PI * std::max(0.0, inertia) / (s.mass * s.mass));
    }
    return f / static_cast<double>(k_);
}

Score Solver::part_score(const PartStats& s) const {
    const double v = violation(s);
    return {v > 0.0 && !band_first_ ? 1.0 : 0.0, v, quality(s)};
}

Score Solver::score() const {
    Score s;
    for (const auto& p : stats_) {
        const Score ps = part_score(p);
        s.out_of_band += ps.out_of_band;
        s.band_violation += ps.band_violation;
        s.quality += ps.quality;
    }
    s.quality += opt_.cut_weight * cut_ / cut_norm_;
    s.quality += churn_term(moved_);
    return s;
}

double Solver::churn_term(double moved) const {
    return total_h_ > 0 && !band_first_ ? opt_.churn_weight * moved / total_h_ : 0.0;
}

double Solver::moved_delta(std::uint32_t u, std::uint32_t from, std::uint32_t to) const {
    if (graph_.initial_part.empty() || graph_.initial_part[u] < 0) {
        return 0.0;
    }
    const auto ini = static_cast<std::uint32_t>(graph_.initial_part[u]);
    return (ini != to ? graph_.households[u] : 0.0) - (ini != from ? graph_.households[u] : 0.0);
}

// ---------------------------------------------------------------- state

void Solver::load(std::vector<std::uint32_t> part) {
    part_ = std::move(part);
    stats_.assign(k_, PartStats{});
    version_.assign(k_, 0);
    tried_.clear();
    for (std::uint32_t u = 0; u < graph_.unit_count; ++u) {
        stats_[part_[u]].add(graph_, u, 1.0);
    }
    cut_ = 0.0;
    moved_ = 0.0;
    for (std::uint32_t u = 0; u < graph_.unit_count; ++u) {
        for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1]; ++j) {
            if (graph_.adj_target[j] > u && part_[graph_.adj_target[j]] != part_[u]) {
                cut_ += graph_.adj_cost[j];
            }
        }
        if (!graph_.initial_part.empty() && graph_.initial_part[u] >= 0 &&
            static_cast<std::uint32_t>(graph_.initial_part[u]) != part_[u]) {
            moved_ += graph_.households[u];
        }
    }
}

void Solver::apply_move(std::uint32_t u, std::uint32_t to) {
    const std::uint32_t from = part_[u];
    for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1]; ++j) {
        const auto p = part_[graph_.adj_target[j]];
        if (p == from) {
            cut_ += graph_.adj_cost[j];
        } else if (p == to) {
            cut_ -= graph_.adj_cost[j];
        }
    }
    moved_ += moved_delta(u, from, to);
    ++version_[from];
    ++version_[to];
    stats_[from].add(graph_, u, -1.0);
    stats_[to].add(graph_, u, 1.0);
    part_[u] = to;
}

/// True when removing u keeps its part connected.
bool Solver::removable(std::uint32_t u) {
    const std::uint32_t a = part_[u];
    std::vector<std::uint32_t>& targets = scratch_;
    targets.clear();
    for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1]; ++j) {
        if (part_[graph_.adj_target[j]] == a) {
            targets.push_back(graph_.adj_target[j]);
        }
    }
    if (targets.size() <= 1) {
        return true;
    }
    // ComponentGraph test first: the same-part neighbours of u are connected among themselves
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
                for (auto j = graph_.adj_offset[v]; j < graph_.adj_offset[v + 1]; ++j) {
                    const auto w = graph_.adj_target[j];
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
        for (auto j = graph_.adj_offset[v]; j < graph_.adj_offset[v + 1]; ++j) {
            const auto w = graph_.adj_target[j];
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
std::uint32_t Solver::disconnected_parts() {
    std::vector<std::uint32_t> pieces(k_, 0);
    next_stamp();
    for (std::uint32_t s = 0; s < graph_.unit_count; ++s) {
        if (mark_[s] == stamp_) {
            continue;
        }
        ++pieces[part_[s]];
        queue_.assign(1, s);
        mark_[s] = stamp_;
        for (std::size_t head = 0; head < queue_.size(); ++head) {
            const auto v = queue_[head];
            for (auto j = graph_.adj_offset[v]; j < graph_.adj_offset[v + 1]; ++j) {
                const auto w = graph_.adj_target[j];
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

void Solver::next_stamp() {
    if (++stamp_ == 0) {
        std::fill(mark_.begin(), mark_.end(), 0);
        stamp_ = 1;
    }
}

void Solver::load_into_state(const std::vector<std::uint32_t>& part) {
    part_ = part;
    stats_.assign(k_ + 1, PartStats{});
    for (std::uint32_t u = 0; u < graph_.unit_count; ++u) {
        stats_[part_[u]].add(graph_, u, 1.0);
    }
}

/// The exact search for a connected in-band partition of the component (exact.cpp); records
/// its status.
ExactResult Solver::exact_search() {
    ExactProblem problem;
    problem.households = graph_.households;
    if (graph_.has_population && opt_.max_population) {
        problem.population = graph_.population;
        problem.max_population = opt_.max_population;
    }
    problem.adj_offset = graph_.adj_offset;
    problem.adj_target = graph_.adj_target;
    problem.k = k_;
    problem.min_households = band_.min_households;
    problem.max_households = band_.max_households;
    problem.max_nodes = opt_.exact_max_nodes;
    auto exact = exact_band_partition(problem);
    exact_status_ = exact.status;
    exact_nodes_ = exact.nodes;
    return exact;
}

}  // namespace gridplan::partition::detail
