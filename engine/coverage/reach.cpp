/// \file
/// One bounded search per source set and what it reached (detail/reach.hpp), and the siting cover
/// sets built from it.

#include "coverage/detail/reach.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace gridplan::coverage {

namespace detail {

EdgeBuildings::EdgeBuildings(const graph::WalkGraph& graph, const graph::SnapTable& snaps)
    : first(graph.edge_count() + 1, 0) {
    for (const auto& s : snaps.snaps) {
        ++first[s.edge + 1];
    }
    for (std::size_t e = 0; e < graph.edge_count(); ++e) {
        first[e + 1] += first[e];
    }
    building.resize(snaps.snaps.size());
    snap.resize(snaps.snaps.size());
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (std::uint32_t b = 0; b < snaps.size(); ++b) {
        for (std::uint32_t i = snaps.first[b]; i < snaps.first[b + 1]; ++i) {
            const std::uint32_t at = fill[snaps.snaps[i].edge]++;
            building[at] = b;
            snap[at] = i;
        }
    }
}

Reacher::Reacher(const graph::WalkGraph& graph,
                 const EdgeBuildings& on_edge,
                 const graph::SnapTable& building_snaps)
    : graph_(&graph),
      on_edge_(&on_edge),
      snaps_(&building_snaps),
      space_(graph.node_count()),
      edge_stamp_(graph.edge_count(), 0),
      building_stamp_(building_snaps.size(), 0),
      building_best_(building_snaps.size(), kUnreached) {}

void Reacher::run(std::vector<Seed> seeds, double bound_m, bool keep_edges, Reach& out) {
    const auto& g = *graph_;
    ++now_;
    sort_seeds(seeds);
    out.seeds = std::move(seeds);
    out.buildings.clear();
    out.edges.clear();
    space_.run(g, out.seeds, bound_m);
    touched_edges_.clear();
    touched_buildings_.clear();
    const auto touch = [&](std::uint32_t e) {
        if (edge_stamp_[e] != now_) {
            edge_stamp_[e] = now_;
            touched_edges_.push_back(e);
        }
    };
    for (const auto& s : out.seeds) {
        touch(s.edge);
    }
    for (const std::uint32_t n : space_.settled()) {
        for (std::uint32_t a = g.first_out[n]; a < g.first_out[n + 1]; ++a) {
            touch(g.arc_edge[a]);
        }
    }
    std::sort(touched_edges_.begin(), touched_edges_.end());
    for (const std::uint32_t e : touched_edges_) {
        const std::uint32_t u = g.edge_from[e];
        const std::uint32_t v = g.edge_to[e];
        const double du = space_.distance(u);
        const double dv = space_.distance(v);
        const auto edge_seeds = seeds_on_edge(out.seeds, e);
        if (keep_edges) {
            out.edges.push_back({e, du, dv});
        }
        for (std::uint32_t i = on_edge_->first[e]; i < on_edge_->first[e + 1]; ++i) {
            const auto& snap = snaps_->snaps[on_edge_->snap[i]];
            const auto pd =
                distance_on_edge(g.edge_length_m[e], snap.offset_m, du, 0, dv, 0, edge_seeds);
            const double d = snap.access_m + pd.distance_m;
            if (d > bound_m) {
                continue;
            }
            const std::uint32_t b = on_edge_->building[i];
            if (building_stamp_[b] != now_) {
                building_stamp_[b] = now_;
                building_best_[b] = d;
                touched_buildings_.push_back(b);
            } else if (d < building_best_[b]) {
                building_best_[b] = d;
            }
        }
    }
    std::sort(touched_buildings_.begin(), touched_buildings_.end());
    out.buildings.reserve(touched_buildings_.size());
    for (const std::uint32_t b : touched_buildings_) {
        out.buildings.emplace_back(b, building_best_[b]);
    }
}

void add_seeds(std::span<const graph::Snap> snaps, std::uint32_t source, std::vector<Seed>& out) {
    for (const auto& s : snaps) {
        out.push_back({s.edge, s.offset_m, s.access_m, source});
    }
}

}  // namespace detail

CoverSets cover_sets(const graph::WalkGraph& graph,
                     const graph::SnapTable& building_snaps,
                     const graph::SnapTable& candidate_snaps,
                     double threshold_min,
                     double speed_kmh,
                     int threads) {
    if (!(threshold_min > 0.0) || !(speed_kmh > 0.0)) {
        throw core::Error{core::Errc::usage,
                          "computing cover sets: threshold and speed must be positive"};
    }
    const double bound = budget_m(threshold_min, speed_kmh);
    const double per_min = budget_m(1.0, speed_kmh);
    const detail::EdgeBuildings on_edge(graph, building_snaps);
    const std::size_t n = candidate_snaps.size();
    std::vector<detail::Reach> reach(n);
    const unsigned workers = core::worker_count(threads);
    std::vector<std::unique_ptr<detail::Reacher>> reachers(workers);
    core::parallel_chunks(n, threads, 8, [&](std::size_t begin, std::size_t end, unsigned w) {
        if (!reachers[w]) {
            reachers[w] = std::make_unique<detail::Reacher>(graph, on_edge, building_snaps);
        }
        for (std::size_t j = begin; j < end; ++j) {
            std::vector<Seed> seeds;
            detail::add_seeds(candidate_snaps.of(j), static_cast<std::uint32_t>(j), seeds);
            reachers[w]->run(std::move(seeds), bound, false, reach[j]);
            reach[j].seeds.clear();
            reach[j].seeds.shrink_to_fit();
        }
    });
    CoverSets out;
    out.first.reserve(n + 1);
    for (const auto& r : reach) {
        for (const auto& [b, d] : r.buildings) {
            out.demand.push_back(b);
            out.minutes.push_back(static_cast<float>(d / per_min));
        }
        out.first.push_back(static_cast<std::uint32_t>(out.demand.size()));
    }
    return out;
}

CoverSets cover_sets(const graph::EdgeIndex& index,
                     const graph::SnapTable& building_snaps,
                     std::span<const core::Point> candidates,
                     const graph::SnapOptions& snap,
                     double threshold_min,
                     double speed_kmh,
                     int threads) {
    const auto snaps = graph::snap_points(index, candidates, snap, threads);
    return cover_sets(index.graph(), building_snaps, snaps, threshold_min, speed_kmh, threads);
}

}  // namespace gridplan::coverage
