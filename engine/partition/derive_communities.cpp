// Provisional communities for inputs without community polygons (docs/partition.md
// "Provisional communities"): arterial road blocks merged to a community's size, or residential
// landuse polygons.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/disjoint_sets.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "geom/blocks.hpp"
#include "geom/repair.hpp"
#include "geom/voronoi.hpp"
#include "partition/derive.hpp"

namespace gridplan::partition {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BoxEntry = std::pair<core::Box, std::uint32_t>;
using BoxTree = bgi::rtree<BoxEntry, bgi::quadratic<16>>;

/// Margin around the buildings' envelope when no street polygon bounds the area.
constexpr double kEnvelopeMarginM = 50.0;

/// One provisional community before numbering.
struct Piece {
    core::MultiPolygon area;
    double households = 0.0;
    std::size_t buildings = 0;
    std::size_t blocks = 0;
    std::optional<core::Index> street;
};

/// Households and buildings (by anchor) of each polygon.
void count_buildings(const core::Scene& scene,
                     const std::vector<core::MultiPolygon>& polys,
                     std::vector<double>& households,
                     std::vector<std::size_t>& buildings) {
    std::vector<BoxEntry> boxes;
    for (std::uint32_t i = 0; i < polys.size(); ++i) {
        if (!polys[i].empty()) {
            boxes.emplace_back(bg::return_envelope<core::Box>(polys[i]), i);
        }
    }
    const BoxTree tree(boxes.begin(), boxes.end());
    households.assign(polys.size(), 0.0);
    buildings.assign(polys.size(), 0);
    for (const auto& b : scene.buildings) {
        std::vector<BoxEntry> hits;
        tree.query(bgi::intersects(b.anchor), std::back_inserter(hits));
        std::uint32_t best = UINT32_MAX;
        for (const auto& [box, i] : hits) {
            if (i < best && bg::covered_by(b.anchor, polys[i])) {
                best = i;
            }
        }
        if (best != UINT32_MAX) {
            households[best] += b.households;
            ++buildings[best];
        }
    }
}

/// The areas the arterial blocks are cut from: the street polygons, else the buildings'
/// envelope grown by kEnvelopeMarginM.
std::vector<std::pair<core::MultiPolygon, std::optional<core::Index>>> block_areas(
    const core::Scene& scene) {
    std::vector<std::pair<core::MultiPolygon, std::optional<core::Index>>> areas;
    for (core::Index s = 0; s < scene.streets.size(); ++s) {
        areas.emplace_back(scene.streets[s].area, s);
    }
    if (!areas.empty()) {
        return areas;
    }
    core::Box box = bg::return_envelope<core::Box>(scene.buildings.front().footprint);
    for (const auto& b : scene.buildings) {
        bg::expand(box, bg::return_envelope<core::Box>(b.footprint));
    }
    const double x0 = box.min_corner().x() - kEnvelopeMarginM;
    const double y0 = box.min_corner().y() - kEnvelopeMarginM;
    const double x1 = box.max_corner().x() + kEnvelopeMarginM;
    const double y1 = box.max_corner().y() + kEnvelopeMarginM;
    core::Polygon rect;
    bg::append(rect.outer(), core::Point{x0, y0});
    bg::append(rect.outer(), core::Point{x0, y1});
    bg::append(rect.outer(), core::Point{x1, y1});
    bg::append(rect.outer(), core::Point{x1, y0});
    bg::append(rect.outer(), core::Point{x0, y0});
    bg::correct(rect);
    areas.emplace_back(core::MultiPolygon{rect}, std::nullopt);
    return areas;
}

/// Merges faces below `min_households` into their adjacent group of fewest households
/// (ties: longer shared boundary, then lower index), smallest group first, until none is below
/// the minimum or has no neighbour. Returns the group root of every face.
std::vector<std::uint32_t> merge_small_faces(const geom::BlockSet& blocks,
                                             const std::vector<double>& households,
                                             double min_households) {
    const auto n = static_cast<std::uint32_t>(blocks.faces.size());
    std::map<std::pair<std::uint32_t, std::uint32_t>, double> shared;
    for (const auto& e : blocks.edges) {
        if (e.face_b >= 0 && e.face_a != e.face_b) {
            const auto a = static_cast<std::uint32_t>(e.face_a);
            const auto b = static_cast<std::uint32_t>(e.face_b);
            shared[std::minmax(a, b)] += e.length_m();
        }
    }
    core::DisjointSets dsu(n);
    std::vector<double> h = households;  // per root
    for (;;) {
        // group adjacency: (root, root) -> shared length
        std::map<std::pair<std::uint32_t, std::uint32_t>, double> adj;
        for (const auto& [ab, len] : shared) {
            const auto ra = dsu.find(ab.first);
            const auto rb = dsu.find(ab.second);
            if (ra != rb) {
                adj[std::minmax(ra, rb)] += len;
            }
        }
        // the smallest group below the minimum that has a neighbour
        std::optional<std::uint32_t> small;
        for (std::uint32_t f = 0; f < n; ++f) {
            if (dsu.find(f) != f || h[f] >= min_households) {
                continue;
            }
            const bool has_neighbour = std::any_of(adj.begin(), adj.end(), [&](const auto& x) {
                return x.first.first == f || x.first.second == f;
            });
            if (has_neighbour && (!small || h[f] < h[*small])) {
                small = f;
            }
        }
        if (!small) {
            break;
        }
        std::optional<std::uint32_t> into;
        double into_len = 0.0;
        for (const auto& [ab, len] : adj) {
            if (ab.first != *small && ab.second != *small) {
                continue;
            }
            const auto other = ab.first == *small ? ab.second : ab.first;
            if (!into || h[other] < h[*into] || (h[other] == h[*into] && len > into_len)) {
                into = other;
                into_len = len;
            }
        }
        const auto to = std::min(*small, *into);
        const auto from = std::max(*small, *into);
        h[to] += h[from];
        dsu.attach(from, to);
    }
    std::vector<std::uint32_t> root(n);
    for (std::uint32_t f = 0; f < n; ++f) {
        root[f] = dsu.find(f);
    }
    return root;
}

/// Arterial road blocks of one area, merged to the minimum size; groups without buildings are
/// dropped.
void arterial_pieces(const core::Scene& scene,
                     const core::MultiPolygon& area,
                     std::optional<core::Index> street,
                     const Options& options,
                     std::vector<Piece>& out) {
    std::vector<geom::BlockLine> lines;
    for (const auto& r : scene.roads) {
        const int rank = road_rank(r.road_class);
        if (rank <= options.arterial_max_rank && r.line.size() >= 2) {
            lines.push_back({r.line, rank, false});
        }
    }
    for (const auto& b : scene.barriers) {
        if (b.line.size() >= 2) {
            lines.push_back({b.line, 0, true});
        }
    }
    geom::BlockSet blocks = geom::road_blocks(area, lines);
    if (blocks.faces.empty()) {
        for (const auto& poly : area) {
            blocks.faces.push_back(poly);
        }
    }
    std::vector<core::MultiPolygon> faces;
    for (const auto& f : blocks.faces) {
        faces.push_back(core::MultiPolygon{f});
    }
    std::vector<double> households;
    std::vector<std::size_t> buildings;
    count_buildings(scene, faces, households, buildings);
    const auto root = merge_small_faces(blocks, households, options.derived_min_households);
    std::map<std::uint32_t, std::vector<std::uint32_t>> groups;
    for (std::uint32_t f = 0; f < root.size(); ++f) {
        groups[root[f]].push_back(f);
    }
    for (const auto& [r, members] : groups) {
        Piece piece;
        std::vector<const core::MultiPolygon*> parts;
        for (const auto f : members) {
            piece.households += households[f];
            piece.buildings += buildings[f];
            parts.push_back(&faces[f]);
        }
        if (piece.buildings == 0) {
            continue;
        }
        piece.area = members.size() == 1 ? faces[members.front()] : geom::union_polygons(parts);
        piece.blocks = members.size();
        piece.street = street;
        out.push_back(std::move(piece));
    }
}

/// One piece per polygon of the union of the residential landuse areas that holds a building.
std::vector<Piece> landuse_pieces(const core::Scene& scene) {
    std::vector<const core::MultiPolygon*> residential;
    for (const auto& a : scene.land_areas) {
        if (is_residential_landuse(a.type)) {
            residential.push_back(&a.area);
        }
    }
    if (residential.empty()) {
        throw core::Error{core::Errc::invalid_input,
                          "deriving communities from landuse: no residential landuse polygon was "
                          "read (configure inputs.landuse, e.g. OSM landuse=residential)"};
    }
    std::vector<core::MultiPolygon> polys;
    for (const auto& poly : geom::union_all(residential)) {
        polys.push_back(core::MultiPolygon{poly});
    }
    std::vector<double> households;
    std::vector<std::size_t> buildings;
    count_buildings(scene, polys, households, buildings);
    std::vector<Piece> pieces;
    for (std::size_t i = 0; i < polys.size(); ++i) {
        if (buildings[i] > 0) {
            pieces.push_back({polys[i], households[i], buildings[i], 1, std::nullopt});
        }
    }
    return pieces;
}

/// Pieces in reading order (rows of height √(area / n) from the north, west→east in a row).
std::vector<std::uint32_t> pieces_in_reading_order(const std::vector<Piece>& pieces) {
    std::vector<core::Point> centroids;
    double north = -1e300;
    double area = 0.0;
    for (const auto& p : pieces) {
        core::Point c{0.0, 0.0};
        bg::centroid(p.area, c);
        centroids.push_back(c);
        north = std::max(north, bg::return_envelope<core::Box>(p.area).max_corner().y());
        area += bg::area(p.area);
    }
    const double row = pieces.empty() ? 1.0 : std::sqrt(area / static_cast<double>(pieces.size()));
    return reading_order(centroids, north, row);
}

}  // namespace

bool is_residential_landuse(const std::string& type) {
    const std::string t = core::ascii_lower(core::trim(type));
    return t == "residential" || t.find("居住") != std::string::npos ||
           t.find("住宅") != std::string::npos || t.find("小区") != std::string::npos;
}

DerivedCommunities derive_communities(const core::Scene& scene, const Options& options) {
    DerivedCommunities out;
    if (scene.buildings.empty()) {
        throw core::Error{core::Errc::invalid_input,
                          "deriving communities: no buildings were read"};
    }
    std::vector<Piece> pieces;
    const bool arterial = options.communities_from == "arterial_blocks";
    if (arterial) {
        for (const auto& [area, street] : block_areas(scene)) {
            arterial_pieces(scene, area, street, options, pieces);
        }
        out.how =
            "blocks of the arterial roads (rank <= " + std::to_string(options.arterial_max_rank) +
            ") and barriers, merged to >= " + core::fixed(options.derived_min_households, 0) +
            " households";
    } else {
        pieces = landuse_pieces(scene);
        out.how = "residential landuse polygons (inputs.landuse)";
    }
    const auto order = pieces_in_reading_order(pieces);
    const std::string prefix = arterial ? "derived:arterial:" : "derived:landuse:";
    for (std::size_t i = 0; i < order.size(); ++i) {
        Piece& p = pieces[order[i]];
        core::Community c;
        std::string seq = std::to_string(i + 1);
        seq.insert(0, seq.size() < 3 ? 3 - seq.size() : 0, '0');
        c.id = prefix + seq;
        c.name = std::string{"临时社区 "} + seq;
        c.street = p.street;
        c.derived = true;
        const auto at = geom::point_on_surface(p.area).value_or(core::Point{0.0, 0.0});
        c.area = std::move(p.area);
        out.ledger.add(
            {.layer = "communities",
             .source_id = c.id,
             .reason = "community_derived",
             .action = core::Action::warned,
             .detail = "provisional community from " +
                       std::string{arterial ? "arterial road blocks" : "residential landuse"} +
                       ": " + std::to_string(p.blocks) + " block(s), " +
                       std::to_string(p.buildings) + " buildings, " + core::fixed(p.households, 0) +
                       " households",
             .x = at.x(),
             .y = at.y()});
        out.communities.push_back(std::move(c));
    }
    return out;
}

}  // namespace gridplan::partition
