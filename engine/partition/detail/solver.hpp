// Private: the per-component solver of the graph-level optimiser (docs/partition.md,
// "Graph-level optimiser"). One Solver works on one connected component of the unit graph; its
// member functions are defined in the file of their step:
//   solver.cpp        the multi-start driver (`solve`), the objective and the search state
//   local_search.cpp  boundary moves and pair merge-and-re-split (exhaustive or tree cuts)
//   redraw_passes.cpp redraw only: band-first passes and undoing moves the band does not need
//   constructions.cpp starts: tree bisection, region growth, regrown regions, existing plan,
//                     connectivity repair
// The objective, compared lexicographically:
//   tier 1a number of parts outside the band or over the population cap
//   tier 1b band violation: sum over parts of households outside [min,max] / T
//           (+ population above the cap / cap)
//   tier 2  w_bal * mean((h-T)/T)^2 + w_cut * cut / C_norm + w_cmp * mean(2*pi*I/A^2)
//           + w_churn * households moved / H
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "partition/exact.hpp"
#include "partition/graph.hpp"

namespace gridplan::partition::detail {

/// Tolerance of the band tiers of the score.
constexpr double kEps = 1e-9;

/// Lexicographic score of a plan (or of one part, or of a change).
struct Score {
    double out_of_band = 0.0;     ///< tier 1a: parts outside the band or over the population cap
    double band_violation = 0.0;  ///< tier 1b: amount of band (and population cap) violation
    double quality = 0.0;         ///< tier 2: weighted balance, cut, compactness and churn
};

/// True when `a` is strictly better than `b`.
bool better(const Score& a, const Score& b);

/// One connected component of the unit graph, with local unit indices, local part labels and
/// coordinates centred on the mean position of the whole graph.
struct ComponentGraph {
    std::uint32_t unit_count = 0;
    std::vector<double> households, population;
    std::vector<double> mass;  ///< cell area (or a mean stand-in): weight of the moment of inertia
    std::vector<double> x, y;
    std::vector<std::int32_t> fixed_part;               ///< local part or -1
    std::vector<std::int32_t> initial_part;             ///< local part or -1
    std::vector<std::uint32_t> adj_offset, adj_target;  ///< CSR adjacency
    std::vector<double> adj_cost;
    bool has_population = false;
};

/// Running sums over the units of one part.
struct PartStats {
    double households = 0, population = 0;
    double mass = 0, mass_x = 0, mass_y = 0;  ///< Σm, Σm·x, Σm·y
    double mass_r2 = 0;                       ///< Σm·(x² + y²)
    std::uint32_t units = 0;
    /// Adds (sign +1) or removes (sign -1) unit u.
    void add(const ComponentGraph& g, std::uint32_t u, double sign) {
        households += sign * g.households[u];
        population += sign * g.population[u];
        mass += sign * g.mass[u];
        mass_x += sign * g.mass[u] * g.x[u];
        mass_y += sign * g.mass[u] * g.y[u];
        mass_r2 += sign * g.mass[u] * (g.x[u] * g.x[u] + g.y[u] * g.y[u]);
        units = sign > 0 ? units + 1 : units - 1;
    }
};

/// Sums over one side of a bipartition of the union of parts a and b.
struct PairSide {
    PartStats stats;
    double initial_households = 0.0;  ///< households of units with an initial part
    double initial_in_a = 0.0;        ///< … whose initial part is a
    double initial_in_b = 0.0;        ///< … whose initial part is b
    std::uint32_t fixed_to_a = 0;     ///< units fixed to part a
    std::uint32_t fixed_to_b = 0;     ///< units fixed to part b
    void add(const ComponentGraph& g, std::uint32_t u, std::uint32_t a, std::uint32_t b) {
        stats.add(g, u, 1.0);
        if (!g.initial_part.empty() && g.initial_part[u] >= 0) {
            initial_households += g.households[u];
            initial_in_a +=
                static_cast<std::uint32_t>(g.initial_part[u]) == a ? g.households[u] : 0.0;
            initial_in_b +=
                static_cast<std::uint32_t>(g.initial_part[u]) == b ? g.households[u] : 0.0;
        }
        fixed_to_a +=
            g.fixed_part[u] >= 0 && static_cast<std::uint32_t>(g.fixed_part[u]) == a ? 1U : 0U;
        fixed_to_b +=
            g.fixed_part[u] >= 0 && static_cast<std::uint32_t>(g.fixed_part[u]) == b ? 1U : 0U;
    }
    void accumulate(const PairSide& o) {
        stats.households += o.stats.households;
        stats.population += o.stats.population;
        stats.mass += o.stats.mass;
        stats.mass_x += o.stats.mass_x;
        stats.mass_y += o.stats.mass_y;
        stats.mass_r2 += o.stats.mass_r2;
        stats.units += o.stats.units;
        initial_households += o.initial_households;
        initial_in_a += o.initial_in_a;
        initial_in_b += o.initial_in_b;
        fixed_to_a += o.fixed_to_a;
        fixed_to_b += o.fixed_to_b;
    }
    /// The other side: `total` minus this side.
    [[nodiscard]] PairSide minus_from(const PairSide& total) const {
        PairSide r;
        r.stats.households = total.stats.households - stats.households;
        r.stats.population = total.stats.population - stats.population;
        r.stats.mass = total.stats.mass - stats.mass;
        r.stats.mass_x = total.stats.mass_x - stats.mass_x;
        r.stats.mass_y = total.stats.mass_y - stats.mass_y;
        r.stats.mass_r2 = total.stats.mass_r2 - stats.mass_r2;
        r.stats.units = total.stats.units - stats.units;
        r.initial_households = total.initial_households - initial_households;
        r.initial_in_a = total.initial_in_a - initial_in_a;
        r.initial_in_b = total.initial_in_b - initial_in_b;
        r.fixed_to_a = total.fixed_to_a - fixed_to_a;
        r.fixed_to_b = total.fixed_to_b - fixed_to_b;
        return r;
    }
};

/// An edge inside the union of two parts (pair-local unit indices i < j).
struct PairEdge {
    std::uint32_t i, j;
    double cost;
};

/// A plan: the part of every unit of the component.
using Plan = std::vector<std::uint32_t>;

class Solver {
public:
    Solver(const ComponentGraph& graph,
           std::uint32_t k,
           const Band& band,
           const OptimiserOptions& options,
           double target,
           double total_households);

    /// The best plan of the component over every start (seeded, deterministic).
    Plan solve(std::uint64_t seed);

    /// Outcome of the exact search (too_large when it did not run).
    [[nodiscard]] ExactStatus exact_status() const noexcept { return exact_status_; }

private:
    // ---- solver.cpp: the objective
    [[nodiscard]] double violation(const PartStats& s) const;
    [[nodiscard]] double quality(const PartStats& s) const;
    [[nodiscard]] Score part_score(const PartStats& s) const;
    [[nodiscard]] Score score() const;
    [[nodiscard]] double churn_term(double moved) const;
    [[nodiscard]] double moved_delta(std::uint32_t u, std::uint32_t from, std::uint32_t to) const;

    // ---- solver.cpp: the search state
    void load(Plan part);
    void apply_move(std::uint32_t u, std::uint32_t to);
    bool removable(std::uint32_t u);
    std::uint32_t disconnected_parts();
    void next_stamp();
    void load_into_state(const Plan& part);
    ExactResult exact_search();

    // ---- local_search.cpp
    void local_search(std::mt19937_64& rng);
    bool boundary_moves(std::mt19937_64& rng);
    bool pair_resplits(std::mt19937_64& rng);
    int score_split(const PairSide& s, const PairSide& total, double cut_sides, Score& out) const;
    bool resplit(std::uint32_t a, std::uint32_t b, std::mt19937_64& rng);
    bool exhaustive_split(const std::vector<std::uint32_t>& units,
                          const std::vector<PairEdge>& edges,
                          const PairSide& total,
                          std::uint32_t a,
                          std::uint32_t b,
                          Score& best,
                          std::vector<char>& best_to_a);
    template <class F>
    void tarjan_lca(std::uint32_t m,
                    const std::vector<std::vector<std::uint32_t>>& tree,
                    const std::vector<std::uint32_t>& parent,
                    const std::vector<PairEdge>& edges,
                    F&& on_lca);
    bool tree_cuts(const std::vector<std::uint32_t>& units,
                   const std::vector<PairEdge>& edges,
                   const PairSide& total,
                   std::uint32_t a,
                   std::uint32_t b,
                   std::mt19937_64& rng,
                   Score& best,
                   std::vector<char>& best_to_a);

    // ---- redraw_passes.cpp
    void band_first_passes(const std::vector<Plan>& bases,
                           Plan& best,
                           Score& best_score,
                           std::uint32_t& best_broken,
                           std::mt19937_64& rng);
    [[nodiscard]] std::vector<char> neighbourhood(const Plan& base,
                                                  const std::vector<std::uint32_t>& seeds,
                                                  int hops) const;
    void undo_moves();

    // ---- constructions.cpp
    [[nodiscard]] std::vector<std::vector<std::uint32_t>> random_spanning_tree(
        std::mt19937_64& rng) const;
    Plan tree_bisection(std::mt19937_64& rng);
    Plan growth(std::mt19937_64& rng);
    bool kmeans_seeds(std::mt19937_64& rng,
                      std::vector<std::int64_t>& part,
                      std::vector<double>& seed_x,
                      std::vector<double>& seed_y);
    Plan regrow_region(const Plan& base, const std::vector<char>& in_region, std::mt19937_64& rng);
    Plan from_initial();
    Plan repair(Plan part);
    [[nodiscard]] std::vector<char> main_components(const Plan& part) const;
    void absorb_free_units(Plan& part, std::vector<double>& load) const;

    const ComponentGraph& graph_;
    std::uint32_t k_;
    Band band_;
    OptimiserOptions opt_;
    double target_;          ///< T: households per part over the whole graph
    double total_h_;         ///< households of the component
    double cut_norm_ = 1.0;  ///< C: a typical cut (mean edge cost · k · √(n/k))
    Plan part_;
    std::vector<PartStats> stats_;
    std::vector<std::uint64_t> version_;  ///< bumped whenever a part changes
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::uint64_t, std::uint64_t>>
        tried_;                        ///< pair -> part versions at the last failed re-split
    double cut_ = 0.0;                 ///< cost of the edges between parts
    double moved_ = 0.0;               ///< households away from their initial part
    std::vector<std::uint32_t> mark_;  ///< visit marks (== stamp_: visited in this search)
    std::uint32_t stamp_ = 0;
    std::vector<std::uint32_t> queue_, scratch_, pair_units_, local_of_;
    std::vector<std::uint32_t> inc_off_, inc_, inc_fill_, uf_;  ///< tarjan_lca buffers
    std::vector<char> done_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> dfs_;
    ExactStatus exact_status_ = ExactStatus::too_large;
    std::uint64_t exact_nodes_ = 0;
    /// Band-first objective (redraw passes): tier 1 is the violation alone (no count of grids
    /// out of band), tier 2 balance (weight at least 1), cut and compactness, no churn.
    bool band_first_ = false;
    std::vector<char> active_;  ///< band-first: parts whose units may move (per part)
};

}  // namespace gridplan::partition::detail
