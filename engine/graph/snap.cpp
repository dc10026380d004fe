#include "graph/snap.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include <boost/iterator/function_output_iterator.hpp>
#include <boost/geometry/index/rtree.hpp>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace gridplan::graph {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using core::Point;

double dist(const Point& a, const Point& b) { return std::hypot(a.x() - b.x(), a.y() - b.y()); }

constexpr double kUnreachedAccess = std::numeric_limits<double>::infinity();

}  // namespace

/// Segment boxes in a uniform grid of cells (CSR: cell -> segments whose box overlaps it), plus a
/// small R-tree for the few segments whose box spans many cells (long diagonal segments would
/// otherwise fill whole rectangles of cells). A query visits the cells under its box and keeps
/// each segment once (in the first visited cell of the overlap), so the result is exactly the set
/// of segments whose box intersects the query box, as with an R-tree of all segments.
struct EdgeIndex::Impl {
    using Entry = std::pair<core::Box, std::uint32_t>;
    struct Seg {
        std::uint32_t edge;
        std::uint32_t k;
        double offset_m;  ///< distance along the edge to the segment start
    };
    struct SegBox {
        double x0, y0, x1, y1;
        std::uint32_t c0, r0;  ///< first grid cell of the box (set with the grid)
    };
    std::vector<Seg> segs;
    std::vector<SegBox> boxes;  ///< per segment
    double gx0 = 0.0, gy0 = 0.0, cell = 1.0;
    std::uint32_t nx = 0, ny = 0;
    std::vector<std::uint32_t> cell_first;  ///< nx * ny + 1
    struct CellEntry {
        SegBox box;  ///< a copy, so that a query reads its cells front to back
        std::uint32_t seg;
    };
    std::vector<CellEntry> cell_seg;
    bgi::rtree<Entry, bgi::rstar<16>> big;  ///< segments spanning more than kBigCells cells

    static constexpr std::uint32_t kBigCells = 16;

    [[nodiscard]] std::uint32_t col(double x) const { return clamp_cell((x - gx0) / cell, nx); }
    [[nodiscard]] std::uint32_t row(double y) const { return clamp_cell((y - gy0) / cell, ny); }
    static std::uint32_t clamp_cell(double t, std::uint32_t n) {
        if (!(t > 0.0)) {
            return 0;
        }
        if (t >= static_cast<double>(n - 1)) {
            return n - 1;
        }
        return static_cast<std::uint32_t>(t);
    }

    /// Calls fn(segment) once for every segment whose box intersects [x0,x1] x [y0,y1].
    template <class Fn>
    void query(double x0, double y0, double x1, double y1, Fn&& fn) const {
        if (segs.empty()) {
            return;
        }
        const std::uint32_t c0 = col(x0);
        const std::uint32_t c1 = col(x1);
        const std::uint32_t r0 = row(y0);
        const std::uint32_t r1 = row(y1);
        for (std::uint32_t r = r0; r <= r1; ++r) {
            for (std::uint32_t c = c0; c <= c1; ++c) {
                const std::size_t id = std::size_t{r} * nx + c;
                for (std::uint32_t i = cell_first[id]; i < cell_first[id + 1]; ++i) {
                    const SegBox& b = cell_seg[i].box;
                    if (b.x1 < x0 || b.x0 > x1 || b.y1 < y0 || b.y0 > y1) {
                        continue;
                    }
                    // the first cell of the overlap of the segment's cells and the query's cells
                    if (std::max(b.c0, c0) != c || std::max(b.r0, r0) != r) {
                        continue;
                    }
                    fn(cell_seg[i].seg);
                }
            }
        }
        if (!big.empty()) {
            big.query(bgi::intersects(core::Box{{x0, y0}, {x1, y1}}),
                      boost::make_function_output_iterator([&](const Entry& e) { fn(e.second); }));
        }
    }
};

void SnapTable::push(std::span<const Snap> point_snaps) {
    snaps.insert(snaps.end(), point_snaps.begin(), point_snaps.end());
    first.push_back(static_cast<std::uint32_t>(snaps.size()));
}

EdgeIndex::EdgeIndex(const WalkGraph& graph) : graph_(&graph), impl_(std::make_unique<Impl>()) {
    Impl& ix = *impl_;
    ix.boxes.reserve(graph.edge_count());
    ix.segs.reserve(graph.edge_count());
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
        const auto& line = graph.edge_geometry[e];
        double offset = 0.0;
        for (std::uint32_t k = 0; k + 1 < line.size(); ++k) {
            const Point& a = line[k];
            const Point& b = line[k + 1];
            ix.boxes.push_back({std::min(a.x(), b.x()), std::min(a.y(), b.y()),
                                std::max(a.x(), b.x()), std::max(a.y(), b.y()), 0, 0});
            ix.segs.push_back({e, k, offset});
            offset += dist(a, b);
        }
    }
    const std::size_t n = ix.segs.size();
    if (n == 0) {
        return;
    }
    // Cell size: the median segment box side, but at least large enough that the grid has about
    // 4 cells per segment over the whole extent (sparse extents, e.g. two distant towns).
    double x0 = ix.boxes[0].x0, y0 = ix.boxes[0].y0, x1 = ix.boxes[0].x1, y1 = ix.boxes[0].y1;
    std::vector<double> sides(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& b = ix.boxes[i];
        x0 = std::min(x0, b.x0);
        y0 = std::min(y0, b.y0);
        x1 = std::max(x1, b.x1);
        y1 = std::max(y1, b.y1);
        sides[i] = std::max(b.x1 - b.x0, b.y1 - b.y0);
    }
    std::nth_element(sides.begin(), sides.begin() + static_cast<std::ptrdiff_t>(n / 2), sides.end());
    const double w = x1 - x0;
    const double h = y1 - y0;
    const double max_cells = 4.0 * static_cast<double>(n) + 1024.0;
    double cell = std::max({sides[n / 2], std::sqrt(w * h / max_cells), 1e-6 * std::max(w, h), 1e-9});
    while ((w / cell + 1.0) * (h / cell + 1.0) > max_cells) {
        cell *= 1.5;
    }
    ix.gx0 = x0;
    ix.gy0 = y0;
    ix.cell = cell;
    ix.nx = static_cast<std::uint32_t>(w / cell) + 1;
    ix.ny = static_cast<std::uint32_t>(h / cell) + 1;
    const std::size_t n_cells = std::size_t{ix.nx} * ix.ny;
    ix.cell_first.assign(n_cells + 1, 0);
    std::vector<Impl::Entry> big;
    std::vector<char> is_big(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        auto& b = ix.boxes[i];
        const std::uint32_t c0 = ix.col(b.x0), c1 = ix.col(b.x1), r0 = ix.row(b.y0), r1 = ix.row(b.y1);
        b.c0 = c0;
        b.r0 = r0;
        if (std::size_t{c1 - c0 + 1} * (r1 - r0 + 1) > Impl::kBigCells) {
            is_big[i] = 1;
            big.emplace_back(core::Box{{b.x0, b.y0}, {b.x1, b.y1}}, static_cast<std::uint32_t>(i));
            continue;
        }
        for (std::uint32_t r = r0; r <= r1; ++r) {
            for (std::uint32_t c = c0; c <= c1; ++c) {
                ++ix.cell_first[std::size_t{r} * ix.nx + c + 1];
            }
        }
    }
    for (std::size_t c = 0; c < n_cells; ++c) {
        ix.cell_first[c + 1] += ix.cell_first[c];
    }
    ix.cell_seg.resize(ix.cell_first[n_cells]);
    std::vector<std::uint32_t> fill(ix.cell_first.begin(), ix.cell_first.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
        if (is_big[i] != 0) {
            continue;
        }
        const auto& b = ix.boxes[i];
        const std::uint32_t c1 = ix.col(b.x1), r1 = ix.row(b.y1);
        for (std::uint32_t r = b.r0; r <= r1; ++r) {
            for (std::uint32_t c = b.c0; c <= c1; ++c) {
                ix.cell_seg[fill[std::size_t{r} * ix.nx + c]++] = {b, static_cast<std::uint32_t>(i)};
            }
        }
    }
    if (!big.empty()) {
        ix.big = bgi::rtree<Impl::Entry, bgi::rstar<16>>(big.begin(), big.end());
    }
}

EdgeIndex::~EdgeIndex() = default;
EdgeIndex::EdgeIndex(EdgeIndex&&) noexcept = default;
EdgeIndex& EdgeIndex::operator=(EdgeIndex&&) noexcept = default;

std::vector<Snap> EdgeIndex::nearest(const Point& p, double max_m, int k,
                                     double slack_m) const {
    std::vector<Candidate> pool;
    std::vector<Snap> out;
    nearest(p, max_m, k, slack_m, pool, out);
    return out;
}

void EdgeIndex::nearest(const Point& p, double max_m, int k, double slack_m,
                        std::vector<Candidate>& pool, std::vector<Snap>& out) const {
    k = std::clamp(k, 1, 8);
    const WalkGraph& g = *graph_;
    const Impl& ix = *impl_;
    // Distinct network positions among the pool: a snap at an edge end is its node.
    const auto position_key = [&](const Candidate& s) -> std::uint64_t {
        constexpr double kEnd = 1e-9;
        if (s.offset_m <= kEnd) {
            return (std::uint64_t{1} << 32U) | g.edge_from[s.edge];
        }
        if (s.offset_m >= g.edge_length_m[s.edge] - kEnd) {
            return (std::uint64_t{1} << 32U) | g.edge_to[s.edge];
        }
        return s.edge;
    };
    // The access leg is hypot(dx, dy) (the exact value kept in the snap). Candidates are ordered
    // by the cheap squared length d2; hypot is computed only where the order or a threshold is
    // in doubt: two squared lengths within a relative 1e-9 (plus 1e-200 for underflow) of each
    // other, far above the rounding of d2 and hypot, may be in either order, any farther apart
    // are in the same order as their hypot values.
    const auto access = [](Candidate& c) {
        if (c.access_m < 0.0) {
            c.access_m = std::hypot(c.dx, c.dy);
        }
        return c.access_m;
    };
    const auto near_above = [](double d2) { return d2 * (1.0 + 1e-9) + 1e-200; };
    // Box queries of growing radius R: every segment within R of p has its box within R of p,
    // so once R covers min(max_m, nearest + slack) the pool holds every candidate.
    // A segment farther than the radius is left out of the pool: if the nearest one is within
    // the radius, such a segment is farther than nearest + slack whenever the loop stops (the
    // radius then covers nearest + slack) and cannot be selected; if none is within the radius
    // the pool is empty and the radius grows. Either way the selection is the same as with every
    // segment in the box.
    double radius = std::min(max_m, 32.0);
    while (true) {
        pool.clear();
        const double reach = std::min(radius, max_m);
        const double reach2_lo = reach * reach * (1.0 - 1e-9) - 1e-200;
        const double reach2_hi = near_above(reach * reach);
        ix.query(p.x() - radius, p.y() - radius, p.x() + radius, p.y() + radius,
                 [&](std::uint32_t si) {
            const auto& seg = ix.segs[si];
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
            Candidate c{seg.edge, 0.0, 0.0, p.x() - q.x(), p.y() - q.y(), -1.0};
            c.d2 = c.dx * c.dx + c.dy * c.dy;
            if (c.d2 > reach2_hi || (c.d2 > reach2_lo && access(c) > reach)) {
                return;
            }
            c.offset_m = std::min(g.edge_length_m[seg.edge], seg.offset_m + t * std::sqrt(len2));
            pool.push_back(c);  // best per edge picked below
        });
        if (radius >= max_m) {
            break;
        }
        if (!pool.empty()) {
            double d2_min = pool.front().d2;
            for (const auto& x : pool) {
                d2_min = std::min(d2_min, x.d2);
            }
            double nearest_access = kUnreachedAccess;
            for (auto& x : pool) {
                if (x.d2 <= near_above(d2_min)) {
                    nearest_access = std::min(nearest_access, access(x));
                }
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
    // The best snap of each edge: least access leg, then least offset.
    std::sort(pool.begin(), pool.end(), [](const Candidate& a, const Candidate& b) {
        return a.edge != b.edge ? a.edge < b.edge : a.d2 < b.d2;
    });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < pool.size();) {
        std::size_t j = i + 1;
        while (j < pool.size() && pool[j].edge == pool[i].edge) {
            ++j;
        }
        std::size_t best = i;
        for (std::size_t m = i + 1; m < j && pool[m].d2 <= near_above(pool[i].d2); ++m) {
            const double am = access(pool[m]);
            const double ab = access(pool[best]);
            if (am < ab || (am == ab && pool[m].offset_m < pool[best].offset_m)) {
                best = m;
            }
        }
        pool[kept++] = pool[best];
        i = j;
    }
    pool.resize(kept);
    // Nearest first, ties by edge index: by d2, then runs of close d2 re-sorted by hypot.
    const auto by_access = [&](Candidate& a, Candidate& b) {
        const double aa = access(a);
        const double ab = access(b);
        return aa != ab ? aa < ab : a.edge < b.edge;
    };
    std::sort(pool.begin(), pool.end(), [](const Candidate& a, const Candidate& b) {
        return a.d2 != b.d2 ? a.d2 < b.d2 : a.edge < b.edge;
    });
    for (std::size_t i = 0; i < pool.size();) {
        std::size_t j = i + 1;
        while (j < pool.size() && pool[j].d2 <= near_above(pool[j - 1].d2)) {
            ++j;
        }
        if (j - i > 1) {
            std::sort(pool.begin() + static_cast<std::ptrdiff_t>(i),
                      pool.begin() + static_cast<std::ptrdiff_t>(j), by_access);
        }
        i = j;
    }
    // The k nearest distinct positions within the slack of the nearest.
    std::array<std::uint64_t, 8> keys{};
    int n_out = 0;
    for (auto& s : pool) {
        if (n_out > 0 && access(s) > pool.front().access_m + slack_m) {
            break;
        }
        const auto key = position_key(s);
        if (std::find(keys.begin(), keys.begin() + n_out, key) != keys.begin() + n_out) {
            continue;
        }
        keys[static_cast<std::size_t>(n_out++)] = key;
        out.push_back({s.edge, s.offset_m, access(s)});
        if (n_out == k) {
            break;
        }
    }
}

std::vector<std::uint32_t> EdgeIndex::edges_in(const core::Box& box) const {
    std::vector<std::uint32_t> edges;
    impl_->query(box.min_corner().x(), box.min_corner().y(), box.max_corner().x(),
                 box.max_corner().y(), [&](std::uint32_t s) { edges.push_back(impl_->segs[s].edge); });
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    return edges;
}

SnapTable snap_points(const EdgeIndex& index, std::span<const Point> points,
                      const SnapOptions& options, int threads) {
    // Chunks of points in parallel, each into its own slot, concatenated in chunk order.
    constexpr std::size_t kChunk = 256;
    const std::size_t n_chunks = (points.size() + kChunk - 1) / kChunk;
    std::vector<std::vector<Snap>> chunk_snaps(n_chunks);
    std::vector<std::uint8_t> count(points.size(), 0);
    core::parallel_chunks(points.size(), threads, kChunk,
                    [&](std::size_t begin, std::size_t end, unsigned /*worker*/) {
                        std::vector<EdgeIndex::Candidate> pool;
                        auto& out = chunk_snaps[begin / kChunk];
                        for (std::size_t i = begin; i < end; ++i) {
                            const std::size_t before = out.size();
                            index.nearest(points[i], options.max_snap_m, options.candidate_edges,
                                          options.candidate_slack_m, pool, out);
                            count[i] = static_cast<std::uint8_t>(out.size() - before);
                        }
                    });
    SnapTable table;
    table.first.resize(points.size() + 1);
    std::size_t total = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        total += count[i];
        table.first[i + 1] = static_cast<std::uint32_t>(total);
    }
    table.snaps.reserve(total);
    for (const auto& c : chunk_snaps) {
        table.snaps.insert(table.snaps.end(), c.begin(), c.end());
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
