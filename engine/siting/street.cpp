/// \file
/// Street length within reach as siting demand (outdoor workers, 户外劳动者): pieces of walking-graph
/// edges, cut at every reach-interval end of every station, weighted by their length.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "coverage/coverage.hpp"
#include "coverage/search.hpp"
#include "core/parallel.hpp"
#include "siting/candidates.hpp"

namespace gridplan::siting {
namespace {

/// One reached interval of one edge by one station (candidate j < m, existing station m + e).
struct Touch {
    std::uint32_t edge = 0;
    std::uint32_t station = 0;
    double from_m = 0;
    double to_m = 0;
};

/// Merged reach intervals of every station, one bounded search each (in parallel; the result per
/// station does not depend on the thread count), concatenated in station order.
std::vector<Touch> reach_of(const graph::WalkGraph& graph, const graph::SnapTable& snaps, double budget_m,
                            int threads) {
    const std::size_t n = snaps.size();
    std::vector<std::vector<Touch>> per(n);
    const unsigned workers = core::worker_count(threads);
    std::vector<std::unique_ptr<coverage::SearchSpace>> spaces(workers);
    core::parallel_chunks(n, threads, 8, [&](std::size_t begin, std::size_t end, unsigned w) {
        if (!spaces[w]) spaces[w] = std::make_unique<coverage::SearchSpace>(graph.node_count());
        coverage::SearchSpace& space = *spaces[w];
        std::vector<coverage::Seed> seeds;
        std::vector<std::uint32_t> edges;
        std::vector<std::pair<double, double>> iv;
        for (std::size_t j = begin; j < end; ++j) {
            seeds.clear();
            for (const graph::Snap& s : snaps.of(j)) {
                seeds.push_back({s.edge, s.offset_m, s.access_m, static_cast<std::uint32_t>(j)});
            }
            if (seeds.empty()) continue;  // unsnapped: reaches nothing
            coverage::sort_seeds(seeds);
            space.run(graph, seeds, budget_m);
            edges.clear();
            for (const coverage::Seed& s : seeds) edges.push_back(s.edge);
            for (const std::uint32_t node : space.settled()) {
                for (std::uint32_t a = graph.first_out[node]; a < graph.first_out[node + 1]; ++a) {
                    edges.push_back(graph.arc_edge[a]);
                }
            }
            std::sort(edges.begin(), edges.end());
            edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
            for (const std::uint32_t e : edges) {
                iv.clear();
                coverage::reach_intervals(graph.edge_length_m[e], space.distance(graph.edge_from[e]),
                                          space.distance(graph.edge_to[e]), coverage::seeds_on_edge(seeds, e),
                                          budget_m, iv);
                coverage::merge_intervals(iv);
                for (const auto& [a, b] : iv) {
                    if (b > a) per[j].push_back({e, static_cast<std::uint32_t>(j), a, b});
                }
            }
        }
    });
    std::vector<Touch> out;
    for (auto& p : per) out.insert(out.end(), p.begin(), p.end());
    return out;
}

}  // namespace

StreetInstance build_street_instance(const core::Scene& scene, const graph::EdgeIndex& index,
                                     std::span<const Candidate> candidates, const InstanceOptions& options) {
    if (!(options.threshold_min > 0) || !(options.speed_kmh > 0)) {
        throw core::Error{core::Errc::usage, "building street siting instance 'options': threshold and speed must be positive"};
    }
    const graph::WalkGraph& graph = index.graph();
    const std::size_t m = candidates.size();
    std::vector<core::Point> points;
    StreetInstance out;
    Instance& in = out.instance;
    for (const Candidate& c : candidates) {
        points.push_back(c.position);
        in.candidate_position.push_back(c.position);
        in.candidate_capacity.push_back(c.capacity);
        in.candidate_cost.push_back(c.cost);
    }
    for (const core::Facility& f : scene.facilities) {
        if (f.kind == options.kind) {
            points.push_back(f.location);
            in.existing_position.push_back(f.location);
        }
    }
    const graph::SnapTable snaps = graph::snap_points(index, points, options.snap, options.threads);
    std::vector<Touch> touches = reach_of(graph, snaps, coverage::budget_m(options.threshold_min, options.speed_kmh),
                                          options.threads);
    std::sort(touches.begin(), touches.end(), [](const Touch& a, const Touch& b) {
        return std::tie(a.edge, a.station, a.from_m) < std::tie(b.edge, b.station, b.from_m);
    });

    // pieces, edge by edge; the cover lists are gathered per piece and transposed at the end
    std::vector<std::vector<std::uint32_t>> covers;  // per piece: candidates holding it
    std::vector<double> cuts;
    std::vector<Touch> local, active;
    std::size_t t = 0;
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
        const double length = graph.edge_length_m[e];
        const std::size_t first = t;
        while (t < touches.size() && touches[t].edge == e) ++t;
        if (first == t) {  // no station reaches this edge
            out.pieces.push_back({e, 0.0, length});
            in.weight.push_back(length);
            in.existing_count.push_back(0);
            covers.emplace_back();
            continue;
        }
        cuts.assign({0.0, length});
        for (std::size_t k = first; k < t; ++k) {
            cuts.push_back(touches[k].from_m);
            cuts.push_back(touches[k].to_m);
        }
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        // sweep: every interval starts and ends at a cut, so it holds a piece entirely or not at all
        local.assign(touches.begin() + static_cast<std::ptrdiff_t>(first), touches.begin() + static_cast<std::ptrdiff_t>(t));
        std::sort(local.begin(), local.end(), [](const Touch& x, const Touch& y) {
            return std::tie(x.from_m, x.station) < std::tie(y.from_m, y.station);
        });
        active.clear();
        std::size_t next = 0;
        for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
            const double a = cuts[c];
            const double b = cuts[c + 1];
            while (next < local.size() && local[next].from_m <= a) active.push_back(local[next++]);
            std::erase_if(active, [&](const Touch& x) { return x.to_m < b; });
            std::vector<std::uint32_t> holders;
            std::uint32_t existing = 0;
            for (const Touch& x : active) {
                if (x.station < m) {
                    holders.push_back(x.station);
                } else {
                    ++existing;  // a station's merged intervals are disjoint: at most one holds the piece
                }
            }
            std::sort(holders.begin(), holders.end());
            holders.erase(std::unique(holders.begin(), holders.end()), holders.end());
            out.pieces.push_back({e, a, b});
            in.weight.push_back(b - a);
            in.existing_count.push_back(existing);
            covers.push_back(std::move(holders));
        }
    }
    // transpose piece -> candidates into the CSR candidate -> pieces
    std::vector<std::uint32_t> count(m + 1, 0);
    for (const auto& h : covers) {
        for (const std::uint32_t j : h) ++count[j + 1];
    }
    in.cover_offsets.assign(m + 1, 0);
    for (std::size_t j = 0; j < m; ++j) in.cover_offsets[j + 1] = in.cover_offsets[j] + count[j + 1];
    in.cover_demand.assign(in.cover_offsets.back(), 0);
    std::vector<std::uint32_t> fill(in.cover_offsets.begin(), in.cover_offsets.end() - 1);
    for (std::size_t i = 0; i < covers.size(); ++i) {
        for (const std::uint32_t j : covers[i]) in.cover_demand[fill[j]++] = static_cast<std::uint32_t>(i);
    }
    return out;
}

}  // namespace gridplan::siting
