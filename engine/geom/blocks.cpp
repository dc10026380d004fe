#include "geom/blocks.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/error.hpp"
#include "geom/geos.hpp"

namespace gridplan::geom {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using Segment = bg::model::segment<core::Point>;
using Key = std::pair<std::int64_t, std::int64_t>;

/// Coordinates rounded to 0.1 mm identify arrangement nodes.
Key key_of(const core::Point& p) {
    return {std::llround(p.x() * 1e4), std::llround(p.y() * 1e4)};
}

struct PreparedDeleter {
    void operator()(const GEOSPreparedGeometry* p) const noexcept {
        GEOSPreparedGeom_destroy_r(geos_context(), p);
    }
};

}  // namespace

double BlockEdge::length_m() const { return bg::distance(p, q); }

BlockSet road_blocks(const core::MultiPolygon& area, const std::vector<BlockLine>& lines) {
    BlockSet out;
    if (area.empty()) {
        return out;
    }
    auto* h = geos_context();
    GeosPtr area_g = to_geos(area);
    GeosPtr boundary = checked(GEOSBoundary_r(h, area_g.get()), "boundary of community");
    GeosPtr noded;
    core::MultiLineString all_lines;
    for (const auto& l : lines) {
        if (l.line.size() >= 2) {
            all_lines.push_back(l.line);
        }
    }
    if (!all_lines.empty()) {
        GeosPtr lines_g = to_geos(all_lines);
        GeosPtr clipped =
            checked(GEOSIntersection_r(h, lines_g.get(), area_g.get()), "clipping roads to area");
        noded = checked(GEOSUnion_r(h, clipped.get(), boundary.get()), "noding roads");
    } else {
        noded = checked(GEOSUnaryUnion_r(h, boundary.get()), "noding boundary");
    }
    const GEOSGeometry* inputs[] = {noded.get()};
    GeosPtr faces = checked(GEOSPolygonize_r(h, inputs, 1), "polygonizing road blocks");
    std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter> prepared(
        GEOSPrepare_r(h, area_g.get()));
    const int n_faces = GEOSGetNumGeometries_r(h, faces.get());
    for (int i = 0; i < n_faces; ++i) {
        const GEOSGeometry* face = GEOSGetGeometryN_r(h, faces.get(), i);
        GeosPtr inside = checked(GEOSPointOnSurface_r(h, face), "block interior point");
        if (GEOSPreparedContains_r(h, prepared.get(), inside.get()) != 1) {
            continue;
        }
        core::MultiPolygon mp = polygons_from_geos(face);
        for (auto& poly : mp) {
            const double a = bg::area(poly);
            if (a > 0) {
                out.area_m2.push_back(a);
                out.faces.push_back(std::move(poly));
            }
        }
    }

    // Source segments, for tagging arrangement segments.
    std::vector<std::pair<Segment, std::size_t>> sources;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& l = lines[i].line;
        for (std::size_t j = 1; j < l.size(); ++j) {
            sources.emplace_back(Segment{l[j - 1], l[j]}, i);
        }
    }
    struct Indexable {
        using result_type = core::Box;
        core::Box operator()(const std::pair<Segment, std::size_t>& s) const {
            core::Box b;
            bg::envelope(s.first, b);
            return b;
        }
    };
    bgi::rtree<std::pair<Segment, std::size_t>, bgi::quadratic<16>, Indexable> tree(
        sources.begin(), sources.end());

    // Arrangement segments keyed by rounded, ordered endpoints.
    std::map<std::pair<Key, Key>, std::size_t> index;
    auto visit_ring = [&](const core::Ring& ring, std::int32_t face) {
        for (std::size_t j = 1; j < ring.size(); ++j) {
            const core::Point& a = ring[j - 1];
            const core::Point& b = ring[j];
            Key ka = key_of(a);
            Key kb = key_of(b);
            if (ka == kb) {
                continue;
            }
            const bool swap = kb < ka;
            const auto key = swap ? std::make_pair(kb, ka) : std::make_pair(ka, kb);
            auto it = index.find(key);
            if (it == index.end()) {
                BlockEdge e;
                e.face_a = face;
                e.p = swap ? b : a;
                e.q = swap ? a : b;
                index.emplace(key, out.edges.size());
                out.edges.push_back(e);
            } else if (out.edges[it->second].face_a != face) {
                out.edges[it->second].face_b = face;
            }
        }
    };
    for (std::size_t f = 0; f < out.faces.size(); ++f) {
        visit_ring(out.faces[f].outer(), static_cast<std::int32_t>(f));
        for (const auto& inner : out.faces[f].inners()) {
            visit_ring(inner, static_cast<std::int32_t>(f));
        }
    }
    // Tag each segment with the lines it lies on.
    constexpr double kTol = 1e-3;
    std::map<Key, std::pair<int, int>> node_counts;  // (road edges, barrier edges)
    for (auto& e : out.edges) {
        const core::Point mid((e.p.x() + e.q.x()) / 2, (e.p.y() + e.q.y()) / 2);
        const core::Box box(core::Point(mid.x() - kTol, mid.y() - kTol),
                            core::Point(mid.x() + kTol, mid.y() + kTol));
        std::vector<std::pair<Segment, std::size_t>> hits;
        tree.query(bgi::intersects(box), std::back_inserter(hits));
        for (const auto& [seg, li] : hits) {
            if (bg::distance(mid, seg) > kTol) {
                continue;
            }
            if (lines[li].barrier) {
                e.barrier = true;
            } else if (e.rank < 0 || lines[li].rank < e.rank) {
                e.rank = lines[li].rank;
            }
        }
        for (const auto& node : {key_of(e.p), key_of(e.q)}) {
            auto& c = node_counts[node];
            c.first += e.rank >= 0 ? 1 : 0;
            c.second += e.barrier ? 1 : 0;
        }
    }
    for (auto& e : out.edges) {
        if (!e.barrier) {
            continue;
        }
        for (const auto& node : {key_of(e.p), key_of(e.q)}) {
            const auto& c = node_counts[node];
            if (c.first >= 2 && c.second >= 2) {
                e.crossing = true;
            }
        }
    }
    return out;
}

}  // namespace gridplan::geom
