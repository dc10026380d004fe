#include "geom/boxes.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "core/disjoint_sets.hpp"

namespace gridplan::geom {

std::vector<std::vector<std::size_t>> meeting_groups(std::span<const core::Box> boxes) {
    const std::size_t n = boxes.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        const double ax = boxes[x].min_corner().x();
        const double bx = boxes[y].min_corner().x();
        return ax != bx ? ax < bx : x < y;
    });
    core::DisjointSets sets(n);
    for (std::size_t a = 0; a < n; ++a) {
        const auto& ba = boxes[order[a]];
        for (std::size_t b = a + 1; b < n; ++b) {
            const auto& bb = boxes[order[b]];
            if (bb.min_corner().x() > ba.max_corner().x()) {
                break;
            }
            if (core::bg::intersects(ba, bb)) {
                sets.join_under_smaller(static_cast<std::uint32_t>(order[a]),
                                        static_cast<std::uint32_t>(order[b]));
            }
        }
    }
    std::vector<std::vector<std::size_t>> by_root(n);
    for (std::size_t i = 0; i < n; ++i) {
        by_root[sets.find(static_cast<std::uint32_t>(i))].push_back(i);
    }
    std::vector<std::vector<std::size_t>> out;
    for (auto& g : by_root) {
        if (!g.empty()) {
            out.push_back(std::move(g));
        }
    }
    return out;
}

}  // namespace gridplan::geom
