#pragma once
/// \file
/// Disjoint sets (union-find) over 0..n-1 with path halving. The caller decides which root
/// survives a union, because callers rely on a particular root (the smaller index, say) for
/// deterministic output.

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace gridplan::core {

class DisjointSets {
public:
    explicit DisjointSets(std::size_t n) : parent_(n) { reset(); }

    /// Every element its own set again.
    void reset() { std::iota(parent_.begin(), parent_.end(), 0U); }

    /// The root of x's set.
    [[nodiscard]] std::uint32_t find(std::uint32_t x) {
        while (parent_[x] != x) {
            parent_[x] = parent_[parent_[x]];
            x = parent_[x];
        }
        return x;
    }

    /// Joins the set of root `from` into the set of root `to` (both must be roots).
    void attach(std::uint32_t from, std::uint32_t to) { parent_[from] = to; }

    /// Joins the sets of a and b; the smaller root survives (deterministic roots).
    void join_under_smaller(std::uint32_t a, std::uint32_t b) {
        const std::uint32_t ra = find(a);
        const std::uint32_t rb = find(b);
        if (ra != rb) {
            attach(std::max(ra, rb), std::min(ra, rb));
        }
    }

private:
    std::vector<std::uint32_t> parent_;
};

}  // namespace gridplan::core
