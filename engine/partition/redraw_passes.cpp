// Redraw-only passes of the per-component solver (docs/redraw.md): band-first local searches
// around the grids still out of band (within 1, 2, 3 adjacency steps, then everywhere; or from a
// regrown neighbourhood), and undoing moves that the band does not need (churn before balance).

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "partition/detail/solver.hpp"

namespace gridplan::partition::detail {

/// The band-first passes of solve() (see there) from each plan of `bases` in turn; updates
/// the best plan, its score and its count of disconnected parts.
void Solver::band_first_passes(const std::vector<std::vector<std::uint32_t>>& bases,
                               std::vector<std::uint32_t>& best,
                               Score& best_score,
                               std::uint32_t& best_broken,
                               std::mt19937_64& rng) {
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
            for (std::uint32_t u = 0; u < graph_.unit_count; ++u) {
                if (graph_.households[u] > band_.max_households + kEps) {
                    oversize[part_[u]] = 1;
                }
            }
            std::vector<std::uint32_t> out;
            for (std::uint32_t p = 0; p < k_; ++p) {
                if (part_score(stats_[p]).out_of_band > 0.5 && oversize[p] == 0) {
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
            if (broken <= best_broken && (s.out_of_band < best_score.out_of_band - 0.5 ||
                                          (since_success >= 0 && better(s, best_score)))) {
                if (s.out_of_band < best_score.out_of_band - 0.5) {
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
std::vector<char> Solver::neighbourhood(const std::vector<std::uint32_t>& base,
                                        const std::vector<std::uint32_t>& seeds,
                                        int hops) const {
    std::vector<char> in_region(k_, 0);
    for (const auto p : seeds) {
        in_region[p] = 1;
    }
    for (int h = 0; h < hops; ++h) {
        std::vector<char> next = in_region;
        for (std::uint32_t u = 0; u < graph_.unit_count; ++u) {
            if (in_region[base[u]] == 0) {
                continue;
            }
            for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1]; ++j) {
                next[base[graph_.adj_target[j]]] = 1;
            }
        }
        if (next == in_region) {
            break;
        }
        in_region = std::move(next);
    }
    return in_region;
}

/// Moves units back to their initial part while that keeps the band tiers (grids out of
/// band, violation) no worse and every part connected: churn before balance quality.
/// Largest households first (ties: unit index); repeats until nothing moves back.
void Solver::undo_moves() {
    std::vector<std::uint32_t> order;
    for (std::uint32_t u = 0; u < graph_.unit_count; ++u) {
        if (graph_.fixed_part[u] < 0 && graph_.initial_part[u] >= 0 &&
            static_cast<std::uint32_t>(graph_.initial_part[u]) < k_ &&
            static_cast<std::uint32_t>(graph_.initial_part[u]) != part_[u]) {
            order.push_back(u);
        }
    }
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return graph_.households[a] > graph_.households[b];
    });
    bool any = true;
    while (any) {
        any = false;
        for (const auto u : order) {
            const std::uint32_t a = part_[u];
            const auto b = static_cast<std::uint32_t>(graph_.initial_part[u]);
            if (a == b || stats_[a].units <= 1) {
                continue;
            }
            bool adjacent = false;
            for (auto j = graph_.adj_offset[u]; j < graph_.adj_offset[u + 1] && !adjacent; ++j) {
                adjacent = part_[graph_.adj_target[j]] == b;
            }
            if (!adjacent) {
                continue;
            }
            PartStats a_after = stats_[a];
            a_after.add(graph_, u, -1.0);
            PartStats b_after = stats_[b];
            b_after.add(graph_, u, 1.0);
            const Score a0 = part_score(stats_[a]);
            const Score b0 = part_score(stats_[b]);
            const Score a1 = part_score(a_after);
            const Score b1 = part_score(b_after);
            if (a1.out_of_band + b1.out_of_band > a0.out_of_band + b0.out_of_band + 0.5 ||
                a1.band_violation + b1.band_violation >
                    a0.band_violation + b0.band_violation + kEps) {
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

}  // namespace gridplan::partition::detail
