/// \file
/// Siting solver: validation, presolve, greedy, swap local search and the orchestration around the
/// LP/MIP stage (mip.cpp).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

#include <boost/geometry/algorithms/distance.hpp>

#include "core/error.hpp"
#include "siting/reduced.hpp"
#include "siting/siting.hpp"

namespace gridplan::siting {
namespace {

using detail::MipAnswer;
using detail::MipInput;
using detail::Reduced;
using Clock = std::chrono::steady_clock;
using Lists = std::vector<std::vector<std::uint32_t>>;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

[[noreturn]] void usage(const std::string& what) {
    throw core::Error{core::Errc::usage, "siting '" + what};
}

std::uint32_t required_of(const Options& options) {
    const std::uint32_t r = std::max<std::uint32_t>(1, options.required_cover);
    return options.problem == Problem::double_coverage ? std::max<std::uint32_t>(2, r) : r;
}

bool is_max(const Options& options) { return options.problem != Problem::min_stations_for_target; }

void validate(const Instance& in, const Options& options) {
    const std::size_t n = in.weight.size();
    const std::size_t m = in.candidate_count();
    if (!in.cover_offsets.empty()) {
        if (in.cover_offsets.front() != 0 || in.cover_offsets.back() != in.cover_demand.size()) {
            usage("instance': cover_offsets must start at 0 and end at cover_demand.size()");
        }
        for (std::size_t j = 0; j < m; ++j) {
            if (in.cover_offsets[j] > in.cover_offsets[j + 1]) {
                usage("instance': cover_offsets must not decrease (candidate " + std::to_string(j) + ")");
            }
        }
    } else if (!in.cover_demand.empty()) {
        usage("instance': cover_demand without cover_offsets");
    }
    for (const std::uint32_t d : in.cover_demand) {
        if (d >= n) usage("instance': cover set names demand unit " + std::to_string(d) + " of " + std::to_string(n));
    }
    for (const double w : in.weight) {
        if (!(w >= 0) || !std::isfinite(w)) usage("instance': demand weights must be finite and >= 0");
    }
    if (!in.existing_count.empty() && in.existing_count.size() != n) {
        usage("instance': existing_count needs one entry per demand unit");
    }
    if (!in.candidate_capacity.empty() && in.candidate_capacity.size() != m) {
        usage("instance': candidate_capacity needs one entry per candidate");
    }
    for (const double c : in.candidate_capacity) {
        if (!(c >= 0) || !std::isfinite(c)) usage("instance': capacities must be finite and >= 0 (0 = unlimited)");
    }
    if (!in.candidate_cost.empty() && in.candidate_cost.size() != m) {
        usage("instance': candidate_cost needs one entry per candidate");
    }
    const bool spacing = options.min_spacing_m > 0 || options.max_spacing_m > 0;
    if (spacing && in.candidate_position.size() != m) {
        usage("instance': spacing rules need one candidate_position per candidate");
    }
    if (options.min_spacing_m < 0 || options.max_spacing_m < 0) usage("options': spacing must be >= 0");
    if (options.max_spacing_m > 0 && options.min_spacing_m > options.max_spacing_m) {
        usage("options': min_spacing_m exceeds max_spacing_m");
    }
    if (options.capacitated && required_of(options) > 1) {
        usage("options': capacity with required_cover > 1 is not supported (use single coverage)");
    }
    if (options.problem == Problem::min_stations_for_target &&
        !(options.target_share > 0 && options.target_share <= 1)) {
        usage("options': target_share must be in (0, 1]");
    }
    if (options.time_limit_s < 0 || options.gap_tolerance < 0) {
        usage("options': time_limit_s and gap_tolerance must be >= 0");
    }
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

/// Demand units merged by identical (need, candidate list): returns the groups' weights, needs and
/// candidate lists, in order of first appearance after sorting (deterministic).
struct Groups {
    std::vector<double> weight;
    std::vector<std::uint32_t> need;
    Lists cands;
};

Groups aggregate(const std::vector<double>& weight, const std::vector<std::uint32_t>& need, Lists&& cands) {
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
        for (const std::uint32_t t : lists[i]) out[t].push_back(static_cast<std::uint32_t>(i));
    }
    return out;
}

void to_csr(const Lists& lists, std::vector<std::uint32_t>& offsets, std::vector<std::uint32_t>& values) {
    offsets.assign(1, 0);
    values.clear();
    for (const auto& l : lists) {
        values.insert(values.end(), l.begin(), l.end());
        offsets.push_back(static_cast<std::uint32_t>(values.size()));
    }
}

struct Prepared {
    Reduced model;
    PresolveStats stats;
    double total = 0, already = 0, uncoverable = 0, coverable = 0;
};

Prepared presolve(const Instance& in, const Options& options, const Lists& cover) {
    const std::size_t n = in.weight.size();
    const std::size_t m = cover.size();
    const std::uint32_t required = required_of(options);
    Prepared out;
    out.stats.demand_units = n;
    out.stats.candidates = m;

    // candidates forbidden by min spacing to an existing station
    std::vector<std::uint8_t> allowed(m, 1);
    if (options.min_spacing_m > 0) {
        for (std::size_t j = 0; j < m; ++j) {
            for (const core::Point& e : in.existing_position) {
                if (boost::geometry::distance(in.candidate_position[j], e) < options.min_spacing_m) {
                    allowed[j] = 0;
                    ++out.stats.candidates_forbidden;
                    break;
                }
            }
        }
    }
    Lists demand_cands(n);
    for (std::size_t j = 0; j < m; ++j) {
        if (allowed[j] == 0) continue;
        for (const std::uint32_t d : cover[j]) demand_cands[d].push_back(static_cast<std::uint32_t>(j));
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

    // dominance: valid for single coverage without spacing or capacity (any answer using a dominated
    // candidate is matched by one using its dominator instead, or simply without it)
    std::vector<std::uint8_t> keep = allowed;
    const bool dominance_ok = required == 1 && options.min_spacing_m <= 0 && options.max_spacing_m <= 0 &&
                              !options.capacitated;
    Lists cand_groups = transpose(g.cands, m);
    if (dominance_ok) {
        for (std::size_t j = 0; j < m; ++j) {
            const auto& nj = cand_groups[j];
            if (keep[j] == 0 || nj.empty()) continue;
            // the group of j with the fewest candidates bounds who can dominate j
            std::uint32_t rare = nj.front();
            for (const std::uint32_t k : nj) {
                if (g.cands[k].size() < g.cands[rare].size()) rare = k;
            }
            for (const std::uint32_t c : g.cands[rare]) {
                if (c == j || allowed[c] == 0) continue;
                const auto& nc = cand_groups[c];
                if (nc.size() < nj.size() || (nc.size() == nj.size() && c > j)) continue;
                if (std::includes(nc.begin(), nc.end(), nj.begin(), nj.end())) {
                    keep[j] = 0;
                    ++out.stats.candidates_dominated;
                    break;
                }
            }
        }
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
        if (keep[j] == 0) continue;
        renumber[j] = static_cast<std::uint32_t>(r.original.size());
        r.original.push_back(static_cast<std::uint32_t>(j));
        r.capacity.push_back(options.capacitated && !in.candidate_capacity.empty() ? in.candidate_capacity[j] : 0.0);
    }
    for (auto& l : g.cands) {
        std::vector<std::uint32_t> kept;
        for (const std::uint32_t c : l) {
            if (renumber[c] != std::numeric_limits<std::uint32_t>::max()) kept.push_back(renumber[c]);
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

    // spacing structures over kept candidates (straight-line distance)
    const std::size_t kept = r.original.size();
    Lists conflicts(kept), near(kept);
    r.near_existing.assign(kept, 0);
    r.max_spacing = options.max_spacing_m > 0;
    if (options.min_spacing_m > 0 || r.max_spacing) {
        for (std::size_t a = 0; a < kept; ++a) {
            const core::Point& pa = in.candidate_position[r.original[a]];
            for (std::size_t b = a + 1; b < kept; ++b) {
                const double d = boost::geometry::distance(pa, in.candidate_position[r.original[b]]);
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
        for (auto& l : conflicts) std::sort(l.begin(), l.end());
        for (auto& l : near) std::sort(l.begin(), l.end());
    }
    to_csr(conflicts, r.conflict_off, r.conflict);
    to_csr(near, r.near_off, r.near);
    return out;
}

/// A selection of kept candidates with its bookkeeping.
class Selection {
public:
    explicit Selection(const Reduced& r)
        : r_(r), count_(r.groups(), 0), in_(r.candidates(), 0), blocked_(r.candidates(), 0),
          near_chosen_(r.candidates(), 0) {}

    void add(std::uint32_t j) {
        in_[j] = 1;
        chosen_.push_back(j);
        for (std::uint32_t e = r_.cand_off[j]; e < r_.cand_off[j + 1]; ++e) {
            const std::uint32_t k = r_.cand_grp[e];
            if (++count_[k] == r_.need[k]) value_ += r_.weight[k];
        }
        for (std::uint32_t e = r_.conflict_off[j]; e < r_.conflict_off[j + 1]; ++e) ++blocked_[r_.conflict[e]];
        for (std::uint32_t e = r_.near_off[j]; e < r_.near_off[j + 1]; ++e) ++near_chosen_[r_.near[e]];
    }
    void remove(std::uint32_t j) {
        in_[j] = 0;
        chosen_.erase(std::find(chosen_.begin(), chosen_.end(), j));
        for (std::uint32_t e = r_.cand_off[j]; e < r_.cand_off[j + 1]; ++e) {
            const std::uint32_t k = r_.cand_grp[e];
            if (count_[k]-- == r_.need[k]) value_ -= r_.weight[k];
        }
        for (std::uint32_t e = r_.conflict_off[j]; e < r_.conflict_off[j + 1]; ++e) --blocked_[r_.conflict[e]];
        for (std::uint32_t e = r_.near_off[j]; e < r_.near_off[j + 1]; ++e) --near_chosen_[r_.near[e]];
    }
    /// Every chosen station has a station (chosen or existing) within max spacing.
    [[nodiscard]] bool max_spacing_ok() const {
        if (!r_.max_spacing) return true;
        for (const std::uint32_t j : chosen_) {
            if (r_.near_existing[j] == 0 && near_chosen_[j] == 0) return false;
        }
        return true;
    }
    [[nodiscard]] std::vector<std::uint32_t> sorted() const {
        std::vector<std::uint32_t> s = chosen_;
        std::sort(s.begin(), s.end());
        return s;
    }

    const Reduced& r_;
    std::vector<std::uint32_t> count_;
    std::vector<std::uint8_t> in_;
    std::vector<std::uint32_t> blocked_, near_chosen_;
    std::vector<std::uint32_t> chosen_;
    double value_ = 0;
};

/// Greedy on the surrogate sum_k W_k min(count_k, need_k) / need_k (the true objective when every
/// need is 1): exact gains kept up to date incrementally, best gain first, ties by lower index.
/// Stops at `limit` stations, when nothing gains, or (min stations) when the target is reached.
Selection greedy(const Reduced& r, std::uint32_t limit, std::optional<double> target) {
    Selection s(r);
    std::vector<double> gain(r.candidates(), 0.0);
    for (std::size_t k = 0; k < r.groups(); ++k) {
        for (std::uint32_t e = r.grp_off[k]; e < r.grp_off[k + 1]; ++e) {
            gain[r.grp_cand[e]] += r.weight[k] / r.need[k];
        }
    }
    while (s.chosen_.size() < limit) {
        if (target && s.value_ >= *target) break;
        std::int64_t best = -1;
        for (std::size_t j = 0; j < r.candidates(); ++j) {
            if (s.in_[j] != 0 || s.blocked_[j] != 0) continue;
            if (r.max_spacing && !s.chosen_.empty() && r.near_existing[j] == 0 && s.near_chosen_[j] == 0) continue;
            if (best < 0 || gain[j] > gain[static_cast<std::size_t>(best)]) best = static_cast<std::int64_t>(j);
        }
        if (best < 0 || gain[static_cast<std::size_t>(best)] <= 0) break;
        const auto j = static_cast<std::uint32_t>(best);
        s.add(j);
        for (std::uint32_t e = r.cand_off[j]; e < r.cand_off[j + 1]; ++e) {
            const std::uint32_t k = r.cand_grp[e];
            if (s.count_[k] != r.need[k]) continue;
            for (std::uint32_t f = r.grp_off[k]; f < r.grp_off[k + 1]; ++f) {
                gain[r.grp_cand[f]] -= r.weight[k] / r.need[k];
            }
        }
    }
    return s;
}

/// Best-improvement 1-swap (and add) local search on the true objective, max problems.
void local_search(Selection& s, std::uint32_t p, double eps, Clock::time_point deadline) {
    const Reduced& r = s.r_;
    const std::size_t m = r.candidates();
    std::vector<double> corr(m, 0.0), loss(m, 0.0);
    std::vector<std::uint8_t> mark(m, 0);
    std::vector<std::uint32_t> touched;
    const std::size_t max_rounds = 50 * static_cast<std::size_t>(p) + 100;
    for (std::size_t round = 0; round < max_rounds && Clock::now() < deadline; ++round) {
        // loss of removing each chosen station
        for (const std::uint32_t c : s.chosen_) {
            double l = 0;
            for (std::uint32_t e = r.cand_off[c]; e < r.cand_off[c + 1]; ++e) {
                const std::uint32_t k = r.cand_grp[e];
                if (s.count_[k] == r.need[k]) l += r.weight[k];
            }
            loss[c] = l;
        }
        double best_delta = eps;
        std::int64_t best_in = -1, best_out = -1;  // best_out < 0: pure add
        const std::vector<std::uint32_t> chosen = s.sorted();
        for (std::size_t j = 0; j < m; ++j) {
            if (s.in_[j] != 0 || s.blocked_[j] > 1) continue;
            double gain_in = 0;
            for (std::uint32_t e = r.cand_off[j]; e < r.cand_off[j + 1]; ++e) {
                const std::uint32_t k = r.cand_grp[e];
                const std::uint32_t c = s.count_[k];
                if (c == r.need[k] - 1) gain_in += r.weight[k];
                if (c == r.need[k] || (c + 1 == r.need[k] && c > 0)) {
                    const double w = c == r.need[k] ? r.weight[k] : -r.weight[k];
                    for (std::uint32_t f = r.grp_off[k]; f < r.grp_off[k + 1]; ++f) {
                        const std::uint32_t t = r.grp_cand[f];
                        if (s.in_[t] == 0) continue;
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
                if (!r.max_spacing) return true;
                if (out >= 0) s.remove(static_cast<std::uint32_t>(out));
                s.add(uj);
                const bool ok = s.max_spacing_ok();
                s.remove(uj);
                if (out >= 0) s.add(static_cast<std::uint32_t>(out));
                return ok;
            };
            if (s.chosen_.size() < p && s.blocked_[j] == 0 && gain_in > best_delta && feasible_with(-1)) {
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
                    if (!conflicts) continue;
                }
                const double delta = gain_in - loss[t] + corr[t];
                if (delta > best_delta) moves.emplace_back(-delta, t);
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
        if (best_in < 0) break;
        if (best_out >= 0) s.remove(static_cast<std::uint32_t>(best_out));
        s.add(static_cast<std::uint32_t>(best_in));
    }
}

/// Min stations: drop stations the target does not need (smallest loss first).
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
                if (s.count_[k] == r.need[k]) l += r.weight[k];
            }
            order.emplace_back(l, c);
        }
        std::sort(order.begin(), order.end());
        for (const auto& [l, c] : order) {
            if (s.value_ - l < target) break;
            s.remove(c);
            if (s.max_spacing_ok()) {
                changed = true;
                break;
            }
            s.add(c);
        }
    }
}

/// Capacitated greedy: gain = min(capacity, unserved weight in reach); serve the groups with the
/// fewest alternatives first. Returns the selection and the flow share per (group, candidate) pair.
struct CapGreedy {
    std::vector<std::uint32_t> chosen;
    std::vector<double> served;  ///< per chosen
    std::vector<double> flow;    ///< per grp_cand entry: share of the group's weight
    double value = 0;
    bool feasible = true;
};

CapGreedy capacitated_greedy(const Reduced& r, std::uint32_t limit, std::optional<double> target) {
    CapGreedy out;
    Selection s(r);
    std::vector<double> residual = r.weight;
    out.flow.assign(r.grp_cand.size(), 0.0);
    // position of (k, j) in grp_cand, looked up through the candidate's group list
    while (s.chosen_.size() < limit) {
        if (target && out.value >= *target) break;
        std::int64_t best = -1;
        double best_gain = 0;
        for (std::size_t j = 0; j < r.candidates(); ++j) {
            if (s.in_[j] != 0 || s.blocked_[j] != 0) continue;
            if (r.max_spacing && !s.chosen_.empty() && r.near_existing[j] == 0 && s.near_chosen_[j] == 0) continue;
            double reach = 0;
            for (std::uint32_t e = r.cand_off[j]; e < r.cand_off[j + 1]; ++e) reach += residual[r.cand_grp[e]];
            const double g = r.capacity[j] > 0 ? std::min(r.capacity[j], reach) : reach;
            if (g > best_gain) {
                best_gain = g;
                best = static_cast<std::int64_t>(j);
            }
        }
        if (best < 0) break;
        const auto j = static_cast<std::uint32_t>(best);
        s.add(j);
        std::vector<std::uint32_t> groups(r.cand_grp.begin() + r.cand_off[j], r.cand_grp.begin() + r.cand_off[j + 1]);
        std::stable_sort(groups.begin(), groups.end(), [&](std::uint32_t a, std::uint32_t b) {
            return r.grp_off[a + 1] - r.grp_off[a] < r.grp_off[b + 1] - r.grp_off[b];
        });
        double room = r.capacity[j] > 0 ? r.capacity[j] : std::numeric_limits<double>::infinity();
        double served = 0;
        for (const std::uint32_t k : groups) {
            if (room <= 0) break;
            const double take = std::min(room, residual[k]);
            if (take <= 0) continue;
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
    for (double& f : out.flow) f = std::clamp(f, 0.0, 1.0);
    return out;
}

/// Orders a final selection by marginal gain (greedy on the set, true objective; ties by the
/// surrogate gain, then candidate index).
std::vector<std::uint32_t> rank(const Reduced& r, const std::vector<std::uint32_t>& chosen,
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
                if (s.count_[k] + 1 == r.need[k]) g += r.weight[k];
                if (s.count_[k] < r.need[k]) sur += r.weight[k] / r.need[k];
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

}  // namespace

double covered_weight(const Instance& instance, const Options& options, const std::vector<std::uint32_t>& chosen) {
    validate(instance, options);
    const Lists cover = normalised_cover(instance);
    const std::uint32_t required = required_of(options);
    std::vector<std::uint32_t> count(instance.weight.size(), 0);
    for (const std::uint32_t j : chosen) {
        if (j >= cover.size()) usage("selection': candidate " + std::to_string(j) + " out of range");
        for (const std::uint32_t d : cover[j]) ++count[d];
    }
    double value = 0;
    for (std::size_t i = 0; i < count.size(); ++i) {
        const std::uint32_t existing = instance.existing_count.empty() ? 0 : instance.existing_count[i];
        if (existing < required && existing + count[i] >= required) value += instance.weight[i];
    }
    return value;
}

Result solve(const Instance& instance, const Options& options) {
    const auto start = Clock::now();
    validate(instance, options);
    const bool maximise = is_max(options);
    const std::uint32_t required = required_of(options);
    const Lists cover = normalised_cover(instance);
    Result result;

    Prepared prep = presolve(instance, options, cover);
    Reduced& r = prep.model;
    result.presolve = prep.stats;
    result.total_weight = prep.total;
    result.already_covered_weight = prep.already;
    result.uncoverable_weight = prep.uncoverable;
    std::optional<double> target;
    if (!maximise) {
        const double goal = options.target_share * prep.total - prep.already;
        const double slack = 1e-9 * std::max(1.0, prep.total);
        if (goal > prep.coverable + slack) {
            throw core::Error{core::Errc::usage,
                              "siting 'target share " + std::to_string(options.target_share) +
                                  "': unreachable, every candidate together covers at most " +
                                  std::to_string((prep.already + prep.coverable) / std::max(prep.total, 1e-300)) +
                                  " of the weight (lower the target or add candidates)"};
        }
        r.target = std::max(0.0, goal - slack);
        target = r.target;
    }
    result.timings.presolve_s = seconds_since(start);

    // heuristics
    const auto greedy_start = Clock::now();
    const std::uint32_t limit = maximise ? options.p : static_cast<std::uint32_t>(r.candidates());
    const double eps = 1e-9 * std::max(1.0, prep.total);
    std::vector<std::uint32_t> heuristic;
    std::vector<double> heuristic_served;
    std::vector<double> start_flow;
    double heuristic_value = 0;
    bool have_heuristic = false;
    if (options.capacitated) {
        CapGreedy g = capacitated_greedy(r, limit, target);
        if (g.feasible) {
            have_heuristic = true;
            heuristic = g.chosen;
            heuristic_served = g.served;
            start_flow = g.flow;
            heuristic_value = maximise ? g.value : static_cast<double>(g.chosen.size());
        }
        result.timings.greedy_s = seconds_since(greedy_start);
    } else {
        Selection s = greedy(r, limit, target);
        const bool feasible = s.max_spacing_ok() && (!target || s.value_ >= *target);
        result.timings.greedy_s = seconds_since(greedy_start);
        if (feasible) {
            result.greedy_value = maximise ? s.value_ : static_cast<double>(s.chosen_.size());
            const auto ls_start = Clock::now();
            if (maximise) {
                const double budget = options.time_limit_s > 0 ? options.time_limit_s / 4 : 3600.0;
                local_search(s, options.p, eps,
                             ls_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget)));
            } else {
                drop_redundant(s, *target);
            }
            result.timings.local_search_s = seconds_since(ls_start);
            if (s.max_spacing_ok()) {
                have_heuristic = true;
                heuristic = s.sorted();
                heuristic_value = maximise ? s.value_ : static_cast<double>(s.chosen_.size());
            }
        }
    }
    if (options.capacitated && have_heuristic) result.greedy_value = heuristic_value;

    // LP bound and branch-and-cut
    MipAnswer mip;
    const bool trivial = maximise ? (r.groups() == 0 || options.p == 0 || r.candidates() == 0)
                                  : r.target <= 0;
    if (trivial) {
        mip.have_solution = true;
        mip.optimal = true;
        mip.status = "optimal";
        mip.incumbent = 0;
        mip.bound = 0;
        mip.lp_solved = true;
    } else {
        MipInput input;
        input.model = &r;
        input.problem = maximise ? Problem::max_coverage : Problem::min_stations_for_target;
        input.p = options.p;
        input.capacitated = options.capacitated;
        if (have_heuristic) {
            input.start = heuristic;
            input.start_value = heuristic_value;
            input.start_served_flow = start_flow;
        }
        input.time_limit_s = options.time_limit_s > 0 ? std::max(0.05, options.time_limit_s - seconds_since(start)) : 0.0;
        input.gap_tolerance = options.gap_tolerance;
        if (maximise && !options.capacitated && options.p > 0) {
            // LP-guided start: candidates by LP value (ties by index), then swap search
            input.polish = [&](const std::vector<double>& x) -> std::optional<std::pair<std::vector<std::uint32_t>, double>> {
                const auto polish_start = Clock::now();
                std::vector<std::uint32_t> order(x.size());
                std::iota(order.begin(), order.end(), 0U);
                std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return x[a] > x[b]; });
                Selection s(r);
                for (const std::uint32_t j : order) {
                    if (s.chosen_.size() >= options.p || x[j] <= 1e-6) break;
                    if (s.blocked_[j] != 0) continue;
                    if (r.max_spacing && !s.chosen_.empty() && r.near_existing[j] == 0 && s.near_chosen_[j] == 0) continue;
                    s.add(j);
                }
                const double budget = options.time_limit_s > 0 ? options.time_limit_s / 4 : 3600.0;
                local_search(s, options.p, eps,
                             polish_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget)));
                result.timings.local_search_s += seconds_since(polish_start);
                if (!s.max_spacing_ok()) return std::nullopt;
                return std::make_pair(s.sorted(), s.value_);
            };
        }
        mip = detail::solve_mip(input);
    }
    result.timings.lp_s = mip.lp_s;
    result.timings.mip_s = mip.mip_s;
    result.lp_bound = mip.lp_solved ? mip.lp_bound : (maximise ? prep.coverable : 0.0);
    if (trivial) result.lp_bound = 0;
    result.status = mip.status;
    result.optimal = mip.optimal;
    result.bound = mip.lp_solved || mip.ran_mip ? mip.bound : result.lp_bound;

    // the answer and its ranking
    std::vector<std::uint32_t> chosen;
    std::vector<double> served;
    if (mip.have_solution) {
        chosen = mip.chosen;
        result.incumbent = mip.incumbent;
        if (!options.capacitated) {  // exact value of the selection (CBC works to a tolerance)
            Selection exact(r);
            for (const std::uint32_t j : chosen) exact.add(j);
            result.incumbent = maximise ? exact.value_ : static_cast<double>(chosen.size());
            if (have_heuristic && (maximise ? heuristic_value > result.incumbent : heuristic_value < result.incumbent)) {
                chosen = heuristic;
                result.incumbent = heuristic_value;
            }
        }
        if (options.capacitated) {
            const bool is_start = have_heuristic && chosen == heuristic && mip.served.empty();
            served = is_start ? heuristic_served : mip.served;
        }
    } else if (mip.infeasible) {
        result.status = "infeasible";
    } else {
        result.status = "no solution";
    }
    std::vector<std::uint32_t> order;
    std::vector<double> gains;
    if (options.capacitated) {
        std::vector<std::size_t> idx(chosen.size());
        std::iota(idx.begin(), idx.end(), std::size_t{0});
        std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return served[a] > served[b]; });
        for (const std::size_t i : idx) {
            order.push_back(chosen[i]);
            gains.push_back(served[i]);
        }
    } else {
        order = rank(r, chosen, gains);
    }
    // a station that adds nothing is not proposed: trailing sites whose gain (given all sites above)
    // is zero change no objective (each removal leaves the gains above it unchanged); kept only
    // under max spacing, where they may be another station's neighbour
    if (maximise && options.max_spacing_m <= 0) {
        while (!order.empty() && gains.back() <= eps) {
            order.pop_back();
            gains.pop_back();
        }
    }
    double cumulative = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        cumulative += gains[i];
        Site site;
        site.candidate = r.original[order[i]];
        site.marginal_gain = gains[i];
        site.cumulative = cumulative;
        site.cumulative_share = prep.total > 0 ? (prep.already + cumulative) / prep.total : 0.0;
        result.sites.push_back(site);
    }

    // per demand unit after siting, on the original instance
    std::vector<std::uint32_t> count(instance.weight.size(), 0);
    for (const Site& site : result.sites) {
        for (const std::uint32_t d : cover[site.candidate]) ++count[d];
    }
    result.demand_covered.assign(instance.weight.size(), 0);
    result.covered_weight = 0;
    for (std::size_t i = 0; i < count.size(); ++i) {
        const std::uint32_t existing = instance.existing_count.empty() ? 0 : instance.existing_count[i];
        if (existing + count[i] >= required) {
            result.demand_covered[i] = 1;
            result.covered_weight += instance.weight[i];
        }
    }
    if (!options.capacitated && maximise && mip.have_solution) {
        core::require_invariant(std::abs(result.covered_weight - prep.already - result.incumbent) <= 1e-6 * std::max(1.0, prep.total),
                                "siting objective disagrees with the covered weight");
    }

    // gap: never negative, zero when proven optimal
    if (result.optimal && options.gap_tolerance <= 0) result.bound = result.incumbent;
    if (mip.have_solution) {
        if (maximise) {
            result.bound = std::max(result.bound, result.incumbent);
            result.gap = result.bound > 0 ? (result.bound - result.incumbent) / result.bound : 0.0;
        } else {
            result.bound = std::min(result.bound, result.incumbent);
            result.gap = result.incumbent > 0 ? (result.incumbent - result.bound) / result.incumbent : 0.0;
        }
    } else {
        result.gap = 1.0;
    }
    result.gap = std::max(0.0, result.gap);
    result.timings.total_s = seconds_since(start);
    return result;
}

}  // namespace gridplan::siting
