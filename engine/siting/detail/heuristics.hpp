#pragma once
/// \file
/// Siting heuristics (heuristics.cpp, docs/siting.md "Heuristics"): greedy, swap local search,
/// dropping redundant stations, the capacitated greedy and the final ranking. Private to the
/// siting module.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "siting/detail/reduced.hpp"

namespace gridplan::siting::detail {

using Clock = std::chrono::steady_clock;

/// A selection of kept candidates with its bookkeeping.
class Selection {
public:
    explicit Selection(const Reduced& r)
        : r_(r),
          count_(r.groups(), 0),
          in_(r.candidates(), 0),
          blocked_(r.candidates(), 0),
          near_chosen_(r.candidates(), 0) {}

    void add(std::uint32_t j) {
        in_[j] = 1;
        chosen_.push_back(j);
        for (std::uint32_t e = r_.cand_off[j]; e < r_.cand_off[j + 1]; ++e) {
            const std::uint32_t k = r_.cand_grp[e];
            if (++count_[k] == r_.need[k])
                value_ += r_.weight[k];
        }
        for (std::uint32_t e = r_.conflict_off[j]; e < r_.conflict_off[j + 1]; ++e)
            ++blocked_[r_.conflict[e]];
        for (std::uint32_t e = r_.near_off[j]; e < r_.near_off[j + 1]; ++e)
            ++near_chosen_[r_.near[e]];
    }
    void remove(std::uint32_t j) {
        in_[j] = 0;
        chosen_.erase(std::find(chosen_.begin(), chosen_.end(), j));
        for (std::uint32_t e = r_.cand_off[j]; e < r_.cand_off[j + 1]; ++e) {
            const std::uint32_t k = r_.cand_grp[e];
            if (count_[k]-- == r_.need[k])
                value_ -= r_.weight[k];
        }
        for (std::uint32_t e = r_.conflict_off[j]; e < r_.conflict_off[j + 1]; ++e)
            --blocked_[r_.conflict[e]];
        for (std::uint32_t e = r_.near_off[j]; e < r_.near_off[j + 1]; ++e)
            --near_chosen_[r_.near[e]];
    }
    /// Candidate j may join: not chosen, not in conflict with a chosen one, and (with a maximum
    /// spacing, once a station is chosen) within that spacing of an existing or chosen station.
    [[nodiscard]] bool can_add(std::size_t j) const {
        if (in_[j] != 0 || blocked_[j] != 0)
            return false;
        return !(r_.max_spacing && !chosen_.empty() && r_.near_existing[j] == 0 &&
                 near_chosen_[j] == 0);
    }
    /// Every chosen station has a station (chosen or existing) within max spacing.
    [[nodiscard]] bool max_spacing_ok() const {
        if (!r_.max_spacing)
            return true;
        for (const std::uint32_t j : chosen_) {
            if (r_.near_existing[j] == 0 && near_chosen_[j] == 0)
                return false;
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
[[nodiscard]] Selection greedy(const Reduced& r, std::uint32_t limit, std::optional<double> target);

/// Best-improvement 1-swap (and add) local search on the true objective, max problems. Stops
/// when no move gains more than `eps` or after 50 p + 100 rounds: a work limit, never a clock.
/// `each_round` (optional) runs before every round and may throw to stop: the wall-clock safety
/// stop and Ctrl-C (it never changes how far the search goes when it does not throw).
void local_search(Selection& s,
                  std::uint32_t p,
                  double eps,
                  const std::function<void()>& each_round = {});

/// Min stations: drop stations the target does not need (smallest loss first).
void drop_redundant(Selection& s, double target);

/// Capacitated greedy: gain = min(capacity, unserved weight in reach); serve the groups with the
/// fewest alternatives first. Returns the selection and the flow share per (group, candidate) pair.
struct CapGreedy {
    std::vector<std::uint32_t> chosen;
    std::vector<double> served;  ///< per chosen
    std::vector<double> flow;    ///< per grp_cand entry: share of the group's weight
    double value = 0;
    bool feasible = true;
};

[[nodiscard]] CapGreedy capacitated_greedy(const Reduced& r,
                                           std::uint32_t limit,
                                           std::optional<double> target);

/// Orders a final selection by marginal gain (greedy on the set, true objective; ties by the
/// surrogate gain, then candidate index); `gains` gets each one's marginal gain.
[[nodiscard]] std::vector<std::uint32_t> rank(const Reduced& r,
                                              const std::vector<std::uint32_t>& chosen,
                                              std::vector<double>& gains);

}  // namespace gridplan::siting::detail
