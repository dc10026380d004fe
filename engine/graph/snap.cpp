#include "graph/snap.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/error.hpp"
#include "graph/parallel.hpp"

namespace gridplan::graph {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using core::Point;

double dist(const Point& a, const Point& b) { return std::hypot(a.x() - b.x(), a.y() - b.y()); }

}  // namespace

struct EdgeIndex::Impl {
    using Entry = std::pair<core::Box, std::uint32_t>;
    struct Seg {
        std::uint32_t edge;
        std::uint32_t k;
        double offset_m;  ///< distance along the edge to the segment start
    };
    std::vector<Seg> segs;
    bgi::rtree<Entry, bgi::rstar<16>> tree;
};

void SnapTable::push(std::span<const Snap> point_snaps) {
    snaps.insert(snaps.end(), point_snaps.begin(), point_snaps.end());
    first.push_back(static_cast<std::uint32_t>(snaps.size()));
}

EdgeIndex::EdgeIndex(const WalkGraph& graph) : graph_(&graph), impl_(std::make_unique<Impl>()) {
    std::vector<Impl::Entry> entries;
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
        const auto& line = graph.edge_geometry[e];
        double offset = 0.0;
        for (std::uint32_t k = 0; k + 1 < line.size(); ++k) {
            const Point& a = line[k];
            const Point& b = line[k + 1];
            entries.emplace_back(core::Box{{std::min(a.x(), b.x()), std::min(a.y(), b.y())},
                                           {std::max(a.x(), b.x()), std::max(a.y(), b.y())}},
                                 static_cast<std::uint32_t>(impl_->segs.size()));
            impl_->segs.push_back({e, k, offset});
            offset += dist(a, b);
        }
    }
    impl_->tree = bgi::rtree<Impl::Entry, bgi::rstar<16>>(entries.begin(), entries.end());
}

EdgeIndex::~EdgeIndex() = default;
EdgeIndex::EdgeIndex(EdgeIndex&&) noexcept = default;
EdgeIndex& EdgeIndex::operator=(EdgeIndex&&) noexcept = default;

std::vector<Snap> EdgeIndex::nearest(const Point& p, double max_m, int k,
                                     double slack_m) const {
    k = std::clamp(k, 1, 8);
    const WalkGraph& g = *graph_;
    std::vector<Snap> pool;  // best snap per edge seen so far
    // Distinct network positions among the pool: a snap at an edge end is its node.
    const auto position_key = [&](const Snap& s) -> std::uint64_t {
        constexpr double kEnd = 1e-9;
        if (s.offset_m <= kEnd) {
            return (std::uint64_t{1} << 32U) | g.edge_from[s.edge];
        }
        if (s.offset_m >= g.edge_length_m[s.edge] - kEnd) {
            return (std::uint64_t{1} << 32U) | g.edge_to[s.edge];
        }
        return s.edge;
    };
    const auto by_access = [](const Snap& a, const Snap& b) {
        return a.access_m != b.access_m ? a.access_m < b.access_m : a.edge < b.edge;
    };
    const auto select = [&](std::vector<Snap> candidates) {
        std::sort(candidates.begin(), candidates.end(), by_access);
        std::vector<Snap> out;
        std::vector<std::uint64_t> keys;
        for (const auto& s : candidates) {
            if (!out.empty() && s.access_m > out.front().access_m + slack_m) {
                break;
            }
            const auto key = position_key(s);
            if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
                continue;
            }
            keys.push_back(key);
            out.push_back(s);
            if (static_cast<int>(out.size()) == k) {
                break;
            }
        }
        return out;
    };
    // Box queries of growing radius R: every segment within R of p has its box within R of p,
    // so once R covers min(max_m, nearest + slack) the pool holds every candidate.
    std::vector<Impl::Entry> found;
    double radius = std::min(max_m, 32.0);
    while (true) {
        pool.clear();
        found.clear();
        impl_->tree.query(bgi::intersects(core::Box{{p.x() - radius, p.y() - radius},
                                                    {p.x() + radius, p.y() + radius}}),
                          std::back_inserter(found));
        for (const auto& [box, si] : found) {
            const auto& seg = impl_->segs[si];
            const auto& line = g.edge_geometry[seg.edge];
            const Point& a = line[seg.k];
            const Point& b = line[seg.k + 1];
            const double dx = b.x() - a.x();
            const double dy = b.y() - a.y();
            const double len2 = dx * dx + dy * dy;
            const double t = len2 > 0 ? std::clamp(((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) /
                                                       len2,
                                                   0.0, 1.0)
                                      : 0.0;
            const Point q{a.x() + t * dx, a.y() + t * dy};
            const double access = dist(p, q);
            if (access > max_m) {
                continue;
            }
            const double offset =
                std::min(g.edge_length_m[seg.edge], seg.offset_m + t * std::sqrt(len2));
            const Snap s{seg.edge, offset, access};
            auto it = std::find_if(pool.begin(), pool.end(),
                                   [&](const Snap& x) { return x.edge == seg.edge; });
            if (it == pool.end()) {
                pool.push_back(s);
            } else if (access < it->access_m ||
                       (access == it->access_m && offset < it->offset_m)) {
                *it = s;
            }
        }
        if (radius >= max_m) {
            break;
        }
        if (!pool.empty()) {
            double nearest_access = pool.front().access_m;
            for (const auto& x : pool) {
                nearest_access = std::min(nearest_access, x.access_m);
            }
            const double needed = std::min(max_m, nearest_access + slack_m);
            if (needed <= radius) {
                break;
            }
            radius = needed;
        } else {
            radius = std::min(max_m, radius * 4.0);
        }
    }
    return select(std::move(pool));
}

std::vector<std::uint32_t> EdgeIndex::edges_in(const core::Box& box) const {
    std::vector<Impl::Entry> found;
    impl_->tree.query(bgi::intersects(box), std::back_inserter(found));
    std::vector<std::uint32_t> edges;
    edges.reserve(found.size());
    for (const auto& [b, s] : found) {
        edges.push_back(impl_->segs[s].edge);
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    return edges;
}

SnapTable snap_points(const EdgeIndex& index, std::span<const Point> points,
                      const SnapOptions& options, int threads) {
    std::vector<std::vector<Snap>> per_point(points.size());
    parallel_chunks(points.size(), threads, 1024,
                    [&](std::size_t begin, std::size_t end, unsigned /*worker*/) {
                        for (std::size_t i = begin; i < end; ++i) {
                            per_point[i] =
                                index.nearest(points[i], options.max_snap_m,
                                              options.candidate_edges, options.candidate_slack_m);
                        }
                    });
    SnapTable table;
    table.first.reserve(points.size() + 1);
    for (const auto& s : per_point) {
        table.push(s);
    }
    return table;
}

SnapTable snap_points(const WalkGraph& graph, std::span<const Point> points,
                      const SnapOptions& options, int threads) {
    const EdgeIndex index(graph);
    return snap_points(index, points, options, threads);
}

Point point_along(const WalkGraph& graph, std::uint32_t edge, double offset_m) {
    const auto& line = graph.edge_geometry[edge];
    double acc = 0.0;
    for (std::size_t k = 0; k + 1 < line.size(); ++k) {
        const double len = dist(line[k], line[k + 1]);
        if (acc + len >= offset_m && len > 0) {
            const double t = std::clamp((offset_m - acc) / len, 0.0, 1.0);
            return {line[k].x() + t * (line[k + 1].x() - line[k].x()),
                    line[k].y() + t * (line[k + 1].y() - line[k].y())};
        }
        acc += len;
    }
    return offset_m <= 0 ? line.front() : line.back();
}

core::LineString sub_line(const WalkGraph& graph, std::uint32_t edge, double from_m,
                          double to_m) {
    const auto& line = graph.edge_geometry[edge];
    const double length = graph.edge_length_m[edge];
    from_m = std::clamp(from_m, 0.0, length);
    to_m = std::clamp(to_m, from_m, length);
    core::LineString out;
    out.push_back(point_along(graph, edge, from_m));
    double acc = 0.0;
    for (std::size_t k = 0; k + 1 < line.size(); ++k) {
        acc += dist(line[k], line[k + 1]);
        if (acc > from_m && acc < to_m && k + 1 < line.size() - 1) {
            out.push_back(line[k + 1]);
        }
    }
    out.push_back(point_along(graph, edge, to_m));
    return out;
}

}  // namespace gridplan::graph
