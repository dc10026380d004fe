// Exact connected band partition of small communities (docs/partition.md, "Exact search for
// small communities").
//
// Parts are built one at a time; the next part always contains the lowest unassigned unit, so
// every partition is generated once. A part is a connected subset grown from that unit by the
// classic include/exclude enumeration over its frontier (each connected subset exactly once);
// a subset is tried as a part when its households lie in the band. Pruning:
//   * a subset above the band's maximum is never extended (households are >= 0);
//   * a subset whose reachable units cannot bring it up to the minimum is abandoned;
//   * after a part is chosen, every connected component of the unassigned units must be
//     splittable on its own: ceil(h/max) <= parts <= floor(h/min), and these ranges must
//     admit the number of parts left;
//   * failed (unassigned set, parts left) states are remembered.
// The search is exhaustive unless its node budget runs out, so "none" is a proof.

#include "partition/exact.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace gridplan::partition::detail {
namespace {

constexpr double kEps = 1e-9;
/// Remembered failed states at most (memory guard; the search stays exact without them).
constexpr std::size_t kMaxMemo = 1U << 21;

using Mask = std::uint64_t;

Mask bit(std::uint32_t i) { return Mask{1} << i; }

struct MemoKey {
    Mask set;
    std::uint32_t parts;
    bool operator==(const MemoKey& o) const { return set == o.set && parts == o.parts; }
};
struct MemoHash {
    std::size_t operator()(const MemoKey& k) const noexcept {
        std::uint64_t x = k.set ^ (std::uint64_t{k.parts} * 0x9e3779b97f4a7c15ULL);
        x = (x ^ (x >> 31)) * 0xbf58476d1ce4e5b9ULL;
        return static_cast<std::size_t>(x ^ (x >> 29));
    }
};

class Search {
public:
    explicit Search(const ExactProblem& p) : p_(p), n_(static_cast<std::uint32_t>(p.households.size())) {
        nb_.assign(n_, 0);
        for (std::uint32_t u = 0; u < n_; ++u) {
            for (auto j = p_.adj_offset[u]; j < p_.adj_offset[u + 1]; ++j) {
                if (p_.adj_target[j] != u) {
                    nb_[u] |= bit(p_.adj_target[j]);
                }
            }
        }
        has_pop_ = p_.max_population.has_value() && p_.population.size() == n_;
    }

    ExactResult run() {
        ExactResult r;
        label_.assign(n_, 0);
        const Mask full = n_ == 64 ? ~Mask{0} : bit(n_) - 1;
        const bool ok = p_.k >= 1 && p_.k <= n_ && place(full, p_.k, 0);
        r.nodes = nodes_;
        if (aborted_) {
            r.status = ExactStatus::gave_up;
        } else if (ok) {
            r.status = ExactStatus::found;
            r.part = label_;
        } else {
            r.status = ExactStatus::none;
        }
        return r;
    }

private:
    double sum_h(Mask s) const {
        double t = 0.0;
        for (Mask m = s; m != 0; m &= m - 1) {
            t += p_.households[static_cast<std::uint32_t>(__builtin_ctzll(m))];
        }
        return t;
    }
    double sum_pop(Mask s) const {
        double t = 0.0;
        for (Mask m = s; m != 0; m &= m - 1) {
            t += p_.population[static_cast<std::uint32_t>(__builtin_ctzll(m))];
        }
        return t;
    }
    bool in_band(double h) const {
        return h >= p_.min_households - kEps && h <= p_.max_households + kEps;
    }
    bool pop_ok(double pop) const { return !has_pop_ || pop <= *p_.max_population + kEps; }
    Mask neighbours(Mask s) const {
        Mask out = 0;
        for (Mask m = s; m != 0; m &= m - 1) {
            out |= nb_[static_cast<std::uint32_t>(__builtin_ctzll(m))];
        }
        return out;
    }
    /// The units of `within` reachable from `from` (from must be inside within).
    Mask reach(Mask from, Mask within) const {
        Mask r = from;
        while (true) {
            const Mask grow = (r | neighbours(r)) & within;
            if (grow == r) {
                return r;
            }
            r = grow;
        }
    }
    /// Every component of `rest` can be split into in-band parts by count, and the counts
    /// admit exactly `parts` parts in total.
    bool counts_ok(Mask rest, std::uint32_t parts) const {
        if (rest == 0) {
            return parts == 0;
        }
        if (parts == 0) {
            return false;
        }
        std::uint64_t lo_sum = 0;
        std::uint64_t hi_sum = 0;
        Mask left = rest;
        while (left != 0) {
            const Mask comp = reach(left & (~left + 1), rest);
            left &= ~comp;
            const double h = sum_h(comp);
            const auto size = static_cast<std::uint64_t>(__builtin_popcountll(comp));
            const auto lo = std::max<std::uint64_t>(
                1, static_cast<std::uint64_t>(std::ceil((h - kEps) / p_.max_households)));
            const std::uint64_t hi =
                p_.min_households > kEps
                    ? std::min<std::uint64_t>(
                          size, static_cast<std::uint64_t>(std::floor((h + kEps) / p_.min_households)))
                    : size;
            if (lo > hi) {
                return false;
            }
            lo_sum += lo;
            hi_sum += hi;
            if (lo_sum > parts) {
                return false;
            }
        }
        return parts <= hi_sum;
    }

    void assign(Mask s, std::uint32_t label) {
        for (Mask m = s; m != 0; m &= m - 1) {
            label_[static_cast<std::uint32_t>(__builtin_ctzll(m))] = label;
        }
    }

    bool place(Mask unassigned, std::uint32_t parts, std::uint32_t label) {
        if (aborted_) {
            return false;
        }
        if (parts == 1) {
            if (in_band(sum_h(unassigned)) && (!has_pop_ || pop_ok(sum_pop(unassigned))) &&
                reach(unassigned & (~unassigned + 1), unassigned) == unassigned) {
                assign(unassigned, label);
                return true;
            }
            return false;
        }
        const MemoKey key{unassigned, parts};
        if (failed_.count(key) != 0) {
            return false;
        }
        const auto r = static_cast<std::uint32_t>(__builtin_ctzll(unassigned));
        const bool ok = grow(unassigned, parts, label, bit(r), 0, p_.households[r],
                             has_pop_ ? p_.population[r] : 0.0);
        if (ok) {
            return true;
        }
        if (!aborted_ && failed_.size() < kMaxMemo) {
            failed_.insert(key);
        }
        return false;
    }

    bool grow(Mask unassigned, std::uint32_t parts, std::uint32_t label, Mask s, Mask excluded,
              double h, double pop) {
        if (++nodes_ > p_.max_nodes) {
            aborted_ = true;
        }
        if (aborted_) {
            return false;
        }
        if (h >= p_.min_households - kEps && pop_ok(pop)) {
            const Mask rest = unassigned & ~s;
            if (counts_ok(rest, parts - 1) && place(rest, parts - 1, label + 1)) {
                assign(s, label);
                return true;
            }
            if (aborted_) {
                return false;
            }
        } else if (h < p_.min_households - kEps) {
            // Can the reachable units still bring this part up to the minimum?
            const Mask can = reach(s, unassigned & ~excluded);
            if (sum_h(can) < p_.min_households - kEps) {
                return false;
            }
        }
        Mask frontier = neighbours(s) & unassigned & ~s & ~excluded;
        while (frontier != 0) {
            const auto v = static_cast<std::uint32_t>(__builtin_ctzll(frontier));
            frontier &= frontier - 1;
            const double hv = h + p_.households[v];
            const double pv = pop + (has_pop_ ? p_.population[v] : 0.0);
            if (hv <= p_.max_households + kEps && pop_ok(pv)) {
                if (grow(unassigned, parts, label, s | bit(v), excluded, hv, pv)) {
                    return true;
                }
                if (aborted_) {
                    return false;
                }
            }
            excluded |= bit(v);
        }
        return false;
    }

    const ExactProblem& p_;
    std::uint32_t n_;
    std::vector<Mask> nb_;
    bool has_pop_ = false;
    std::vector<std::uint32_t> label_;
    std::uint64_t nodes_ = 0;
    bool aborted_ = false;
    std::unordered_set<MemoKey, MemoHash> failed_;
};

}  // namespace

ExactResult exact_band_partition(const ExactProblem& problem) {
    const auto n = static_cast<std::uint32_t>(problem.households.size());
    if (n > kExactMaxUnits) {
        ExactResult r;
        r.status = ExactStatus::too_large;
        return r;
    }
    if (n == 0) {
        ExactResult r;
        r.status = ExactStatus::none;
        return r;
    }
    return Search{problem}.run();
}

}  // namespace gridplan::partition::detail
