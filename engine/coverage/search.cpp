#include "coverage/search.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace gridplan::coverage {

SearchSpace::SearchSpace(std::size_t node_count)
    : stamp_(node_count, 0), dist_(node_count, kUnreached), src_(node_count, graph::kNone) {
    settled_.reserve(1024);
    heap_.reserve(1024);
}

void SearchSpace::run(const graph::WalkGraph& g, std::span<const Seed> seeds, double bound_m) {
    core::require_invariant(stamp_.size() == g.node_count(), "search space sized for the graph");
    ++now_;
    if (now_ == 0) {  // wrapped: clear once every 2^32 searches
        std::fill(stamp_.begin(), stamp_.end(), 0U);
        now_ = 1;
    }
    seeds_ = seeds;
    settled_.clear();
    heap_.clear();
    const auto later = [](const HeapItem& a, const HeapItem& b) {
        if (a.d != b.d) {
            return a.d > b.d;
        }
        if (a.src != b.src) {
            return a.src > b.src;
        }
        return a.node > b.node;
    };
    const auto relax = [&](std::uint32_t n, double d, std::uint32_t s) {
        if (d > bound_m) {
            return;
        }
        if (stamp_[n] == now_ && (dist_[n] < d || (dist_[n] == d && src_[n] <= s))) {
            return;
        }
        stamp_[n] = now_;
        dist_[n] = d;
        src_[n] = s;
        heap_.push_back({d, s, n});
        std::push_heap(heap_.begin(), heap_.end(), later);
    };
    for (const auto& seed : seeds) {
        const double length = g.edge_length_m[seed.edge];
        relax(g.edge_from[seed.edge], seed.access_m + seed.offset_m, seed.source);
        relax(g.edge_to[seed.edge], seed.access_m + (length - seed.offset_m), seed.source);
    }
    while (!heap_.empty()) {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        const HeapItem top = heap_.back();
        heap_.pop_back();
        if (dist_[top.node] != top.d || src_[top.node] != top.src) {
            continue;  // stale entry
        }
        settled_.push_back(top.node);
        const std::uint32_t end = g.first_out[top.node + 1];
        for (std::uint32_t a = g.first_out[top.node]; a < end; ++a) {
            relax(g.head[a], top.d + g.arc_length_m[a], top.src);
        }
    }
}

void sort_seeds(std::vector<Seed>& seeds) {
    std::sort(seeds.begin(), seeds.end(), [](const Seed& a, const Seed& b) {
        if (a.edge != b.edge) {
            return a.edge < b.edge;
        }
        if (a.source != b.source) {
            return a.source < b.source;
        }
        return a.offset_m < b.offset_m;
    });
}

std::span<const Seed> seeds_on_edge(std::span<const Seed> seeds, std::uint32_t edge) {
    const auto lo = std::lower_bound(seeds.begin(), seeds.end(), edge,
                                     [](const Seed& s, std::uint32_t e) { return s.edge < e; });
    auto hi = lo;
    while (hi != seeds.end() && hi->edge == edge) {
        ++hi;
    }
    return {lo, hi};
}

PointDistance distance_on_edge(double length_m, double offset_m, double du, std::uint32_t su,
                               double dv, std::uint32_t sv, std::span<const Seed> edge_seeds) {
    PointDistance best;
    const auto offer = [&](double d, std::uint32_t s) {
        if (d < best.distance_m || (d == best.distance_m && s < best.source)) {
            best = {d, s};
        }
    };
    if (du != kUnreached) {
        offer(du + offset_m, su);
    }
    if (dv != kUnreached) {
        offer(dv + (length_m - offset_m), sv);
    }
    for (const auto& s : edge_seeds) {
        offer(s.access_m + std::abs(offset_m - s.offset_m), s.source);
    }
    return best;
}

void reach_intervals(double length_m, double du, double dv, std::span<const Seed> edge_seeds,
                     double budget_m, std::vector<std::pair<double, double>>& out) {
    if (du <= budget_m) {
        out.emplace_back(0.0, std::min(length_m, budget_m - du));
    }
    if (dv <= budget_m) {
        out.emplace_back(std::max(0.0, length_m - (budget_m - dv)), length_m);
    }
    for (const auto& s : edge_seeds) {
        if (s.access_m <= budget_m) {
            const double r = budget_m - s.access_m;
            out.emplace_back(std::max(0.0, s.offset_m - r), std::min(length_m, s.offset_m + r));
        }
    }
}

double merge_intervals(std::vector<std::pair<double, double>>& intervals) {
    if (intervals.empty()) {
        return 0.0;
    }
    std::sort(intervals.begin(), intervals.end());
    std::size_t w = 0;
    for (std::size_t i = 1; i < intervals.size(); ++i) {
        if (intervals[i].first <= intervals[w].second) {
            intervals[w].second = std::max(intervals[w].second, intervals[i].second);
        } else {
            intervals[++w] = intervals[i];
        }
    }
    intervals.resize(w + 1);
    double total = 0.0;
    for (const auto& [a, b] : intervals) {
        total += b - a;
    }
    return total;
}

}  // namespace gridplan::coverage
