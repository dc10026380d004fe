// Number-partitioning lower bounds for the grid band (docs/partition.md, "Certificate").
// All bounds ignore contiguity, so they hold for every plan with k grids.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <vector>

#include "core/error.hpp"
#include "partition/graph.hpp"

namespace gridplan::partition {
namespace {

/// A fixed-width bitset over [0, n_bits) stored in 64-bit words.
class Bits {
public:
    explicit Bits(std::size_t n_bits) : n_bits_(n_bits), words_((n_bits + 64) / 64, 0) {}
    void set(std::size_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }
    [[nodiscard]] bool test(std::size_t i) const {
        return i < n_bits_ && ((words_[i / 64] >> (i % 64)) & 1U) != 0;
    }
    /// this |= other << shift (bits at or above n_bits are dropped).
    void or_shifted(const Bits& other, std::size_t shift) {
        const std::size_t word_shift = shift / 64;
        const unsigned bit_shift = static_cast<unsigned>(shift % 64);
        const std::size_t n = words_.size();
        for (std::size_t i = n; i-- > word_shift;) {
            const std::size_t src = i - word_shift;
            std::uint64_t v = other.words_[src] << bit_shift;
            if (bit_shift != 0 && src > 0) {
                v |= other.words_[src - 1] >> (64 - bit_shift);
            }
            words_[i] |= v;
        }
        trim();
    }
    [[nodiscard]] std::vector<std::size_t> ones() const {
        std::vector<std::size_t> out;
        for (std::size_t w = 0; w < words_.size(); ++w) {
            std::uint64_t v = words_[w];
            while (v != 0) {
                const int b = __builtin_ctzll(v);
                out.push_back(w * 64 + static_cast<std::size_t>(b));
                v &= v - 1;
            }
        }
        return out;
    }

private:
    void trim() {
        const std::size_t tail = n_bits_ % 64;
        if (tail != 0) {
            words_.back() &= (std::uint64_t{1} << tail) - 1;
        } else {
            words_.back() = 0;
        }
    }
    std::size_t n_bits_;
    std::vector<std::uint64_t> words_;
};

/// Work guard: skip a DP whose bit operations would exceed this many word operations.
constexpr double kMaxWordOps = 4e7;

/// Sums of k values drawn (with repetition) from `values`; bit H set iff reachable.
Bits k_fold(const std::vector<std::size_t>& values, std::uint32_t k, std::size_t n_bits) {
    Bits reach(n_bits);
    reach.set(0);
    for (std::uint32_t i = 0; i < k; ++i) {
        Bits next(n_bits);
        for (const auto s : values) {
            next.or_shifted(reach, s);
        }
        reach = std::move(next);
    }
    return reach;
}

std::string percent(double x) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << 100.0 * x << '%';
    return out.str();
}

/// Integer unit weights (exact for counted households; rounded for estimates).
struct UnitWeights {
    std::vector<std::size_t> w;
    std::size_t sum = 0;
    std::size_t max = 0;
    bool has_zero = false;
};

UnitWeights integer_weights(const std::vector<double>& households) {
    UnitWeights uw;
    uw.w.reserve(households.size());
    for (const double h : households) {
        const auto v = static_cast<std::size_t>(std::llround(std::max(0.0, h)));
        uw.w.push_back(v);
        uw.sum += v;
        uw.max = std::max(uw.max, v);
        uw.has_zero = uw.has_zero || v == 0;
    }
    return uw;
}

/// The subset sums of the units and the size of the bitsets over [0, H].
struct SubsetSums {
    std::vector<std::size_t> all;  ///< non-empty subsets: 0 only if a zero unit exists
    std::size_t total = 0;         ///< H in integer households
    std::size_t n_bits = 0;
    double words = 0.0;  ///< 64-bit words per bitset (work estimate)
};

SubsetSums subset_sums(const UnitWeights& uw, std::size_t n_bits, double words) {
    Bits sums(n_bits);
    sums.set(0);
    for (const auto v : uw.w) {
        if (v > 0) {
            Bits shifted(n_bits);
            shifted.or_shifted(sums, v);
            sums.or_shifted(shifted, 0);
        }
    }
    SubsetSums ss;
    ss.all = sums.ones();
    if (!uw.has_zero && !ss.all.empty() && ss.all.front() == 0) {
        ss.all.erase(ss.all.begin());
    }
    ss.total = uw.sum;
    ss.n_bits = n_bits;
    ss.words = words;
    return ss;
}

/// Band feasibility: H must be a sum of k subset sums that lie in the band; if not, whether
/// one out-of-band grid can absorb the remainder.
void check_band_feasibility(const SubsetSums& ss,
                            std::uint32_t k,
                            const Band& band,
                            Certificate& cert,
                            std::ostringstream& reason) {
    std::vector<std::size_t> in_band;
    for (const auto s : ss.all) {
        if (band.contains(static_cast<double>(s))) {
            in_band.push_back(s);
        }
    }
    const double band_ops = static_cast<double>(k) * static_cast<double>(in_band.size()) * ss.words;
    if (!cert.k_in_range || band_ops > kMaxWordOps) {
        return;
    }
    const Bits reach_k = k_fold(in_band, k, ss.n_bits);
    if (reach_k.test(ss.total)) {
        return;
    }
    cert.band_feasible = false;
    reason << "no " << k << " subset sums in [" << band.min_households << ", "
           << band.max_households << "] add up to H=" << ss.total << " (unit granularity); ";
    // At least one grid is out of band; test whether one is enough.
    cert.min_out_of_band = 1;
    if (k >= 1) {
        const Bits reach_km1 = k_fold(in_band, k - 1, ss.n_bits);
        bool one_enough = false;
        for (const auto s : ss.all) {
            if (s <= ss.total && reach_km1.test(ss.total - s)) {
                one_enough = true;
                break;
            }
        }
        if (!one_enough) {
            cert.min_out_of_band = 2;
            reason << "no single out-of-band grid can absorb the remainder; ";
        }
    }
}

/// Bound 3: the smallest d such that H is a sum of k subset sums within T(1 +- d), by binary
/// search over the distinct deviations of the subset sums up to the achieved one.
void sumset_deviation_bound(const SubsetSums& ss,
                            std::uint32_t k,
                            double target,
                            double achieved_max_dev,
                            Certificate& cert,
                            std::ostringstream& reason) {
    std::vector<double> candidates;
    candidates.reserve(ss.all.size());
    for (const auto s : ss.all) {
        const double d = std::abs(static_cast<double>(s) - target) / target;
        if (d <= achieved_max_dev + 1e-9 && d > cert.deviation_lower_bound + 1e-12) {
            candidates.push_back(d);
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    auto feasible = [&](double d) -> std::optional<bool> {
        std::vector<std::size_t> values;
        for (const auto s : ss.all) {
            if (std::abs(static_cast<double>(s) - target) <= d * target + 1e-9) {
                values.push_back(s);
            }
        }
        if (static_cast<double>(k) * static_cast<double>(values.size()) * ss.words > kMaxWordOps) {
            return std::nullopt;
        }
        return k_fold(values, k, ss.n_bits).test(ss.total);
    };
    // Check first whether the current bound itself is feasible; if not, binary-search upward.
    const auto at_bound = feasible(cert.deviation_lower_bound);
    if (!at_bound.has_value() || *at_bound || candidates.empty()) {
        return;
    }
    std::size_t lo = 0;
    std::size_t hi = candidates.size();  // candidates[hi-1] assumed feasible (achieved)
    while (lo + 1 < hi) {
        const std::size_t mid = (lo + hi) / 2;
        const auto ok = feasible(candidates[mid - 1]);
        if (!ok.has_value()) {
            return;  // aborted: too large
        }
        if (*ok) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    // candidates[lo-1] (if lo > 0) is infeasible; the bound is the next candidate.
    const double d = candidates[std::min(lo, candidates.size() - 1)];
    if (d > cert.deviation_lower_bound) {
        cert.deviation_lower_bound = d;
        reason << "no " << k << " subset sums within " << percent(d)
               << " of the target add up to H; ";
    }
}

}  // namespace

Certificate certify(const std::vector<double>& households,
                    std::uint32_t k,
                    const Band& band,
                    double achieved_max_dev) {
    Certificate cert;
    double total = 0.0;
    for (const double h : households) {
        total += std::max(0.0, h);
    }
    cert.total_households = total;
    if (k == 0) {
        cert.reason = "no grids";
        return cert;
    }
    const double target = total / k;
    cert.target_households = target;
    const auto k_lo = static_cast<std::int64_t>(std::ceil(total / band.max_households - 1e-9));
    const auto k_hi = static_cast<std::int64_t>(std::floor(total / band.min_households + 1e-9));
    cert.k_in_range = static_cast<std::int64_t>(k) >= k_lo && static_cast<std::int64_t>(k) <= k_hi;
    std::ostringstream reason;
    if (!cert.k_in_range) {
        cert.band_feasible = false;
        cert.min_out_of_band = 1;
        reason << "k=" << k << " is outside ceil(H/max)=" << k_lo << " .. floor(H/min)=" << k_hi
               << " for H=" << total << "; ";
    }
    if (target <= 0.0) {
        cert.reason = "no households";
        return cert;
    }

    const UnitWeights uw = integer_weights(households);
    const std::size_t max_w = uw.max;
    const std::size_t n_bits = uw.sum + 1;
    const double words = static_cast<double>(n_bits) / 64.0 + 1.0;

    // Bound 1: the grid holding the largest unit has at least its households.
    if (static_cast<double>(max_w) > target) {
        const double d = (static_cast<double>(max_w) - target) / target;
        if (d > cert.deviation_lower_bound) {
            cert.deviation_lower_bound = d;
            reason << "largest unit has " << max_w << " households vs target " << target << "; ";
        }
    }
    // A unit above the band maximum puts its grid out of band in every plan (the subset-sum
    // test below would not see it: it draws k in-band sums with repetition).
    if (static_cast<double>(max_w) > band.max_households + 1e-9) {
        cert.band_feasible = false;
        cert.min_out_of_band = std::max<std::uint32_t>(cert.min_out_of_band, 1);
        reason << "a unit of " << max_w << " households is above the band maximum "
               << band.max_households << "; ";
    }
    if (static_cast<double>(uw.w.size()) * words > kMaxWordOps) {
        cert.reason = reason.str() + "subset-sum bound skipped (too large)";
        return cert;
    }
    const SubsetSums ss = subset_sums(uw, n_bits, words);
    // Bound 2: every grid's households is a subset sum, so some grid is at least as far from T
    // as the closest subset sum.
    double closest = 1e300;
    for (const auto s : ss.all) {
        closest = std::min(closest, std::abs(static_cast<double>(s) - target));
    }
    if (closest / target > cert.deviation_lower_bound + 1e-12) {
        cert.deviation_lower_bound = closest / target;
        reason << "no subset of units sums closer than " << closest << " to the target " << target
               << "; ";
    }

    check_band_feasibility(ss, k, band, cert, reason);
    sumset_deviation_bound(ss, k, target, achieved_max_dev, cert, reason);
    cert.reason = reason.str();
    if (!cert.reason.empty()) {
        cert.reason.erase(cert.reason.size() - 2);  // trailing "; "
    }
    return cert;
}

}  // namespace gridplan::partition
