/// \file
/// Siting heuristics (docs/siting.md, "Heuristics"): greedy on the surrogate gain, best-improvement
/// swap search, dropping redundant stations (min stations), the capacitated greedy, and the
/// ranking of the final selection by marginal gain.

#include "siting/detail/heuristics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace gridplan::siting::detail {

Selection greedy(const Reduced& r, std::uint32_t limit, std::optional<double> target) {
    Selection s(r);
    std::vector<double> gain(r.candidates(), 0.0);
    for (std::size_t k = 0; k < r.groups(); ++k) {
        for (std::uint32_t e = r.grp_off[k]; e < r.grp_off[k + 1]; ++e) {
            gain[r.grp_cand[e]] += r.weight[k] / r.need[k];
        }
    }
    while (s.chosen_.size() < limit) {
        if (target && s.value_ >= *target)
            break;
        std::int64_t best = -1;
        for (std::size_t j = 0; j < r.candidates(); ++j) {
            if (!s.can_add(j))
                continue;
            if (best < 0 || gain[j] > gain[static_cast<std::size_t>(best)])
                best = static_cast<std::int64_t>(j);
        }
        if (best < 0 || gain[static_cast<std::size_t>(best)] <= 0)
            break;
        const auto j = static_cast<std::uint32_t>(best);
        s.add(j);
        for (std::uint32_t e = r.cand_off[j]; e < r.cand_off[j + 1]; ++e) {
            const std::uint32_t k = r.cand_grp[e];
            if (s.count_[k] != r.need[k])
                continue;
            for (std::uint32_t f = r.grp_off[k]; f < r.grp_off[k + 1]; ++f) {
                gain[r.grp_cand[f]] -= r.weight[k] / r.need[k];
            }
        }
    }
    return s;
}

void local_search(Selection& s,
                  std::uint32_t p,
                  double eps,
                  const std::function<void()>& each_round) {
    const Reduced& r = s.r_;
    const std::size_t m = r.candidates();
    std::vector<double> corr(m, 0.0), loss(m, 0.0);
    std::vector<std::uint8_t> mark(m, 0);
    std::vector<std::uint32_t> touched;
    const std::size_t max_rounds = 50 * static_cast<std::size_t>(p) + 100;
    for (std::size_t round = 0; round < max_rounds; ++round) {
        if (each_round)
            each_round();
        // loss of removing each chosen station
        for (const std::uint32_t c : s.chosen_) {
            double l = 0;
            for (std::uint32_t e = r.cand_off[c]; e < r.cand_off[c + 1]; ++e) {
                const std::uint32_t k = r.cand_grp[e];
                if (s.count_[k] == r.need[k])
                    l += r.weight[k];
            }
            loss[c] = l;
        }
        double best_delta = eps;
        std::int64_t best_in = -1, best_out = -1;  // best_out < 0: pure add
        const std::vector<std::uint32_t> chosen = s.sorted();
        for (std::size_t j = 0; j < m; ++j) {
            if (s.in_[j] != 0 || s.blocked_[j] > 1)
                continue;
            double gain_in = 0;
            for (std::uint32_t e = r.cand_off[j]; e < r.cand_off[j + 1]; ++e) {
                const std::uint32_t k = r.cand_grp[e];
                const std::uint32_t c = s.count_[k];
                if (c == r.need[k] - 1)
                    gain_in += r.weight[k];
                if (c == r.need[k] || (c + 1 == r.need[k] && c > 0)) {
                    const double w = c == r.need[k] ? r.weight[k] : -r.weight[k];
                    for (std::uint32_t f = r.grp_off[k]; f < r.grp_off[k + 1]; ++f) {
                        const std::uint32_t t = r.grp_cand[f];
                        if (s.in_[t] == 0)
                            continue;
                        if (mark[t] == 0) {
                            mark[t] = 1;
                            touched.push_back(t);
                        }
                        corr[t] += w;
                    }
                }
            }
            const auto uj = static_cast<std::uint32_t>(j);
            auto feasible_with = [&](std::int64_t out) {
                if (!r.max_spacing)
                    return true;
                if (out >= 0)
                    s.remove(static_cast<std::uint32_t>(out));
                s.add(uj);
                const bool ok = s.max_spacing_ok();
                s.remove(uj);
                if (out >= 0)
                    s.add(static_cast<std::uint32_t>(out));
                return ok;
            };
            if (s.chosen_.size() < p && s.blocked_[j] == 0 && gain_in > best_delta &&
                feasible_with(-1)) {
                best_delta = gain_in;
                best_in = static_cast<std::int64_t>(j);
                best_out = -1;
            }
            // swap partners: all chosen, or the single conflicting one
            std::vector<std::pair<double, std::uint32_t>> moves;
            for (const std::uint32_t t : chosen) {
                if (s.blocked_[j] == 1) {
                    bool conflicts = false;
                    for (std::uint32_t e = r.conflict_off[j]; e < r.conflict_off[j + 1]; ++e) {
                        conflicts = conflicts || r.conflict[e] == t;
                    }
                    if (!conflicts)
                        continue;
                }
                const double delta = gain_in - loss[t] + corr[t];
                if (delta > best_delta)
                    moves.emplace_back(-delta, t);
            }
            std::sort(moves.begin(), moves.end());
            for (const auto& [neg, t] : moves) {
                if (feasible_with(t)) {
                    best_delta = -neg;
                    best_in = static_cast<std::int64_t>(j);
                    best_out = t;
                    break;
                }
            }
            for (const std::uint32_t t : touched) {
                corr[t] = 0;
                mark[t] = 0;
            }
            touched.clear();
        }
        if (best_in < 0)
            break;
        if (best_out >= 0)
            s.remove(static_cast<std::uint32_t>(best_out));
        s.add(static_cast<std::uint32_t>(best_in));
    }
}

void drop_redundant(Selection& s, double target) {
    const Reduced& r = s.r_;
    bool changed = true;
    while (changed) {
        changed = false;
        std::vector<std::pair<double, std::uint32_t>> order;
        for (const std::uint32_t c : s.sorted()) {
            double l = 0;
            for (std::uint32_t e = r.cand_off[c]; e < r.cand_off[c + 1]; ++e) {
                const std::uint32_t k = r.cand_grp[e];
                if (s.count_[k] == r.need[k])
                    l += r.weight[k];
            }
            order.emplace_back(l, c);
        }
        std::sort(order.begin(), order.end());
        for (const auto& [l, c] : order) {
            if (s.value_ - l < target)
                break;
            s.remove(c);
            if (s.max_spacing_ok()) {
                changed = true;
                break;
            }
            s.add(c);
        }
    }
}

CapGreedy capacitated_greedy(const Reduced& r, std::uint32_t limit, std::optional<double> target) {
    CapGreedy out;
    Selection s(r);
    std::vector<double> residual = r.weight;
    out.flow.assign(r.grp_cand.size(), 0.0);
    // position of (k, j) in grp_cand, looked up through the candidate's group list
    while (s.chosen_.size() < limit) {
        if (target && out.value >= *target)
            break;
        std::int64_t best = -1;
        double best_gain = 0;
        for (std::size_t j = 0; j < r.candidates(); ++j) {
            if (!s.can_add(j))
                continue;
            double reach = 0;
            for (std::uint32_t e = r.cand_off[j]; e < r.cand_off[j + 1]; ++e)
                reach += residual[r.cand_grp[e]];
            const double g = r.capacity[j] > 0 ? std::min(r.capacity[j], reach) : reach;
            if (g > best_gain) {
                best_gain = g;
                best = static_cast<std::int64_t>(j);
            }
        }
        if (best < 0)
            break;
        const auto j = static_cast<std::uint32_t>(best);
        s.add(j);
        std::vector<std::uint32_t> groups(r.cand_grp.begin() + r.cand_off[j],
                                          r.cand_grp.begin() + r.cand_off[j + 1]);
        std::stable_sort(groups.begin(), groups.end(), [&](std::uint32_t a, std::uint32_t b) {
            return r.grp_off[a + 1] - r.grp_off[a] < r.grp_off[b + 1] - r.grp_off[b];
        });
        double room = r.capacity[j] > 0 ? r.capacity[j] : std::numeric_limits<double>::infinity();
        double served = 0;
        for (const std::uint32_t k : groups) {
            if (room <= 0)
                break;
            const double take = std::min(room, residual[k]);
            if (take <= 0)
                continue;
            residual[k] -= take;
            room -= take;
            served += take;
            const auto first = r.grp_cand.begin() + r.grp_off[k];
            const auto pos = std::lower_bound(first, r.grp_cand.begin() + r.grp_off[k + 1], j);
            out.flow[static_cast<std::size_t>(pos - r.grp_cand.begin())] += take / r.weight[k];
        }
        out.chosen.push_back(j);
        out.served.push_back(served);
        out.value += served;
    }
    out.feasible = s.max_spacing_ok() && (!target || out.value >= *target);
    // keep flows within [0, 1] despite rounding
    for (double& f : out.flow)
        f = std::clamp(f, 0.0, 1.0);
    return out;
}

std::vector<std::uint32_t> rank(const Reduced& r,
                                const std::vector<std::uint32_t>& chosen,
                                std::vector<double>& gains) {
    Selection s(r);
    std::vector<std::uint32_t> left = chosen, order;
    gains.clear();
    while (!left.empty()) {
        std::size_t best = 0;
        double best_gain = -1, best_surrogate = -1;
        for (std::size_t i = 0; i < left.size(); ++i) {
            const std::uint32_t j = left[i];
            double g = 0, sur = 0;
            for (std::uint32_t e = r.cand_off[j]; e < r.cand_off[j + 1]; ++e) {
                const std::uint32_t k = r.cand_grp[e];
                if (s.count_[k] + 1 == r.need[k])
                    g += r.weight[k];
                if (s.count_[k] < r.need[k])
                    sur += r.weight[k] / r.need[k];
            }
            if (g > best_gain || (g == best_gain && sur > best_surrogate)) {
                best = i;
                best_gain = g;
                best_surrogate = sur;
            }
        }
        const double before = s.value_;
        s.add(left[best]);
        gains.push_back(s.value_ - before);
        order.push_back(left[best]);
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(best));
    }
    return order;
}

}  // namespace gridplan::siting::detail
