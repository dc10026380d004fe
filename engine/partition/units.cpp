// Steps 1-5 of the pipeline per community (docs/partition.md): road blocks, units, Voronoi
// cells, adjacency from shared boundaries, and adjacency relayed through empty blocks.
// The result is one CommunityUnits value that the balancing graph and the grids are built from.

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include <boost/geometry/algorithms/point_on_surface.hpp>

#include "core/disjoint_sets.hpp"
#include "core/text.hpp"
#include "geom/voronoi.hpp"
#include "partition/detail/community.hpp"

namespace gridplan::partition::detail {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

constexpr double kBarrierCrossingCost = 2.0;
/// Cells sharing less boundary than this touch at a corner (diagonal blocks at a crossing whose
/// centre lines miss each other by millimetres): a grid joined there is drawn in two parts
/// (regress_15_multipart_grids), so they are not adjacent.
constexpr double kMinSharedM = 1.0;
/// Up to this many units around a cluster of empty blocks: every pair of different blocks is
/// adjacent; more: a ring in angular order around the cluster.
constexpr std::size_t kEmptyCliqueUnits = 12;

/// What separates two blocks: the smallest road rank on their shared boundary, or a barrier
/// (with a crossing where a road crosses it).
struct FacePair {
    int rank = -1;
    bool road = false;
    bool crossing = false;
};
using FacePairs = std::map<std::pair<std::int32_t, std::int32_t>, FacePair>;

/// (unit, cheapest crossing cost to the empty-block cluster)
using UnitCrossing = std::pair<std::uint32_t, double>;

std::vector<BoxEntry> sorted_hits(const BoxTree& tree, const core::Box& box) {
    std::vector<BoxEntry> hits;
    tree.query(bgi::intersects(box), std::back_inserter(hits));
    std::sort(hits.begin(), hits.end(), [](const BoxEntry& a, const BoxEntry& b) {
        return a.second < b.second;
    });
    return hits;
}

/// Step 1: the block-splitting roads and all barriers near the community, polygonised with its
/// boundary. A community the lines do not split is its own block(s).
geom::BlockSet community_blocks(const core::Scene& scene,
                                const core::Community& community,
                                const core::Box& envelope,
                                const SceneIndex& index) {
    std::vector<geom::BlockLine> lines;
    for (const auto& [b, r] : sorted_hits(index.roads, envelope)) {
        lines.push_back({scene.roads[r].line, index.road_rank[r], false});
    }
    for (const auto& [b, r] : sorted_hits(index.barriers, envelope)) {
        lines.push_back({scene.barriers[r].line, 0, true});
    }
    geom::BlockSet blocks = geom::road_blocks(community.area, lines);
    if (blocks.faces.empty()) {
        for (const auto& poly : community.area) {
            blocks.faces.push_back(poly);
            blocks.area_m2.push_back(bg::area(poly));
        }
    }
    return blocks;
}

/// The block containing `anchor`, or -1.
std::int32_t block_containing(const core::Point& anchor,
                              const geom::BlockSet& blocks,
                              const BoxTree& face_tree) {
    std::vector<BoxEntry> cand;
    face_tree.query(bgi::intersects(anchor), std::back_inserter(cand));
    std::sort(cand.begin(), cand.end(), [](const BoxEntry& x, const BoxEntry& y) {
        return x.second < y.second;
    });
    for (const auto& [fb, f] : cand) {
        if (bg::covered_by(anchor, blocks.faces[f])) {
            return static_cast<std::int32_t>(f);
        }
    }
    return -1;
}

/// Step 2: buildings grouped by block and anchor (co-located anchors share a cell). A building
/// whose anchor is outside every block joins the nearest block, at a point inside it.
std::vector<Unit> group_units(const core::Scene& scene,
                              const std::vector<core::Index>& buildings,
                              const geom::BlockSet& blocks,
                              core::Ledger& ledger) {
    const auto n_faces = static_cast<std::uint32_t>(blocks.faces.size());
    std::vector<BoxEntry> face_boxes;
    for (std::uint32_t f = 0; f < n_faces; ++f) {
        core::Box fb;
        bg::envelope(blocks.faces[f], fb);
        face_boxes.emplace_back(fb, f);
    }
    const BoxTree face_tree(face_boxes.begin(), face_boxes.end());

    std::vector<Unit> units;
    std::map<std::tuple<std::int32_t, std::int64_t, std::int64_t>, std::uint32_t> unit_of_key;
    for (const auto b : buildings) {
        const auto& bd = scene.buildings[b];
        std::int32_t face = block_containing(bd.anchor, blocks, face_tree);
        core::Point anchor = bd.anchor;
        if (face < 0) {
            double best = 1e300;
            for (std::uint32_t f = 0; f < n_faces; ++f) {
                const double d = bg::distance(bd.anchor, blocks.faces[f]);
                if (d < best) {
                    best = d;
                    face = static_cast<std::int32_t>(f);
                }
            }
            // Use a point inside the block as the Voronoi site.
            bg::point_on_surface(blocks.faces[static_cast<std::size_t>(face)], anchor);
            warn(ledger,
                 bd.id,
                 "building_anchor_outside_community",
                 "anchor lies outside its community polygon; joined to the nearest block (" +
                     core::fixed(best, 1) + " m)",
                 &bd.anchor);
        }
        const auto key =
            std::make_tuple(face, std::llround(anchor.x() * 1e3), std::llround(anchor.y() * 1e3));
        auto it = unit_of_key.find(key);
        std::uint32_t u = 0;
        if (it == unit_of_key.end()) {
            u = static_cast<std::uint32_t>(units.size());
            unit_of_key.emplace(key, u);
            units.emplace_back();
            units.back().anchor = anchor;
            units.back().face = face;
        } else {
            u = it->second;
        }
        Unit& unit = units[u];
        unit.buildings.push_back(b);
        unit.households += bd.households;
        unit.population += bd.population;
        unit.dedicated = unit.dedicated || bd.dedicated || bd.site.has_value();
        unit.estimated = unit.estimated || bd.households_estimated;
    }
    return units;
}

/// Step 3: Voronoi cells of the unit anchors in each block.
void build_cells(const core::Scene& scene, CommunityUnits& cu, core::Ledger& ledger) {
    cu.units_of_face.assign(cu.face_count(), {});
    for (std::uint32_t u = 0; u < cu.unit_count(); ++u) {
        cu.units_of_face[static_cast<std::size_t>(cu.units[u].face)].push_back(u);
    }
    for (std::uint32_t f = 0; f < cu.face_count(); ++f) {
        const auto& us = cu.units_of_face[f];
        if (us.empty()) {
            continue;
        }
        std::vector<core::Point> sites;
        for (const auto u : us) {
            sites.push_back(cu.units[u].anchor);
        }
        auto cells = geom::voronoi_cells(sites, cu.blocks.faces[f]);
        for (std::size_t i = 0; i < us.size(); ++i) {
            Unit& unit = cu.units[us[i]];
            unit.cell = std::move(cells[i]);
            if (unit.cell.empty()) {
                warn(ledger,
                     scene.buildings[unit.buildings.front()].id,
                     "unit_cell_empty",
                     "no Voronoi cell could be built for this building",
                     &unit.anchor);
            }
        }
    }
}

FacePairs face_pairs(const geom::BlockSet& blocks) {
    FacePairs pairs;
    for (const auto& e : blocks.edges) {
        if (e.face_b < 0 || e.face_a == e.face_b) {
            continue;
        }
        auto& fp = pairs[std::minmax(e.face_a, e.face_b)];
        if (e.rank >= 0) {
            fp.road = true;
            fp.rank = fp.rank < 0 ? e.rank : std::min(fp.rank, e.rank);
        } else if (!e.barrier) {
            fp.road = true;  // separated by nothing known (e.g. a road piece of a higher rank)
            fp.rank = fp.rank < 0 ? 4 : fp.rank;
        }
        fp.crossing = fp.crossing || e.crossing;
    }
    return pairs;
}

/// Cut cost between blocks fa and fb: in-block cost, road cost by rank, barrier crossing cost;
/// nullopt for a barrier without a crossing (not adjacent).
std::optional<double> crossing_cost(const FacePairs& pairs,
                                    std::int32_t fa,
                                    std::int32_t fb,
                                    const Options& options) {
    if (fa == fb) {
        return options.in_block_cut_cost;
    }
    auto it = pairs.find(std::minmax(fa, fb));
    if (it == pairs.end() || it->second.road) {
        return road_cut_cost(it == pairs.end() ? 4 : it->second.rank);
    }
    if (it->second.crossing) {
        return kBarrierCrossingCost;
    }
    return std::nullopt;
}

/// Step 4: adjacency from shared boundaries of cells and empty blocks. Unit pairs become edges;
/// boundaries with empty blocks become touches (for step 5 and for the empty blocks' grids).
void shared_boundary_adjacency(CommunityUnits& cu, const FacePairs& pairs, const Options& options) {
    const auto n_units = cu.unit_count();
    for (std::uint32_t f = 0; f < cu.face_count(); ++f) {
        if (cu.units_of_face[f].empty()) {
            cu.empty_faces.push_back(f);
        }
    }
    cu.empty_polygons.resize(cu.empty_faces.size());
    std::vector<const core::MultiPolygon*> parts;
    for (const auto& u : cu.units) {
        parts.push_back(&u.cell);
    }
    for (std::size_t e = 0; e < cu.empty_faces.size(); ++e) {
        cu.empty_polygons[e].push_back(cu.blocks.faces[cu.empty_faces[e]]);
        parts.push_back(&cu.empty_polygons[e]);
    }
    for (const auto& s : geom::shared_boundaries(parts)) {
        if (s.a < n_units && s.b < n_units) {
            if (s.length_m < kMinSharedM) {
                continue;
            }
            const auto cost = crossing_cost(pairs, cu.units[s.a].face, cu.units[s.b].face, options);
            if (!cost) {
                continue;  // a barrier without a crossing: not adjacent
            }
            cu.unit_edges.push_back({s.a, s.b, *cost, s.length_m});
        } else if (s.a < n_units) {
            cu.touches.push_back({s.b - n_units, s.a, s.length_m});
        } else {
            cu.touches.push_back({s.a - n_units, s.b, s.length_m});
            cu.touches.push_back({s.b - n_units, s.a, s.length_m});
        }
    }
}

/// Per cluster of crossable empty blocks (indexed by its root empty block): the units touching
/// it with their crossing costs.
std::vector<std::vector<UnitCrossing>> units_around_empty_clusters(const CommunityUnits& cu,
                                                                   const FacePairs& pairs,
                                                                   const Options& options) {
    const auto n_units = cu.unit_count();
    const auto n_empty = static_cast<std::uint32_t>(cu.empty_faces.size());
    core::DisjointSets dsu(n_empty);
    std::vector<std::vector<UnitCrossing>> around(n_empty);
    for (const auto& t : cu.touches) {
        const auto fe = static_cast<std::int32_t>(cu.empty_faces[t.empty]);
        if (t.other >= n_units) {
            const auto other = t.other - n_units;
            if (crossing_cost(
                    pairs, fe, static_cast<std::int32_t>(cu.empty_faces[other]), options)) {
                dsu.join_under_smaller(t.empty, other);
            }
        } else if (const auto c = crossing_cost(pairs, cu.units[t.other].face, fe, options)) {
            around[t.empty].emplace_back(t.other, *c);
        }
    }
    std::vector<std::vector<UnitCrossing>> cluster(n_empty);
    for (std::uint32_t e = 0; e < n_empty; ++e) {
        auto& dst = cluster[dsu.find(e)];
        dst.insert(dst.end(), around[e].begin(), around[e].end());
    }
    return cluster;
}

/// Edges between the units around one cluster (`around`, at least 2 entries): every pair from
/// different blocks for a few units, else a ring in angular order around their mean anchor.
void relay_around_cluster(CommunityUnits& cu, std::vector<UnitCrossing>& around) {
    // One entry per unit (its cheapest crossing), by unit index.
    std::sort(around.begin(), around.end());
    std::vector<UnitCrossing> uniq;
    for (const auto& x : around) {
        if (uniq.empty() || uniq.back().first != x.first) {
            uniq.push_back(x);
        }
    }
    auto add = [&](const UnitCrossing& a, const UnitCrossing& b) {
        if (cu.units[a.first].face != cu.units[b.first].face) {
            cu.unit_edges.push_back({a.first, b.first, std::min(a.second, b.second), 0.0});
        }
    };
    if (uniq.size() <= kEmptyCliqueUnits) {
        for (std::size_t i = 0; i < uniq.size(); ++i) {
            for (std::size_t j = i + 1; j < uniq.size(); ++j) {
                add(uniq[i], uniq[j]);
            }
        }
        return;
    }
    double cx = 0.0;
    double cy = 0.0;
    for (const auto& x : uniq) {
        cx += cu.units[x.first].anchor.x();
        cy += cu.units[x.first].anchor.y();
    }
    cx /= static_cast<double>(uniq.size());
    cy /= static_cast<double>(uniq.size());
    std::vector<std::pair<double, std::size_t>> by_angle;
    for (std::size_t i = 0; i < uniq.size(); ++i) {
        const auto& a = cu.units[uniq[i].first].anchor;
        by_angle.emplace_back(std::atan2(a.y() - cy, a.x() - cx), i);
    }
    std::sort(by_angle.begin(), by_angle.end());
    for (std::size_t i = 0; i < by_angle.size(); ++i) {
        add(uniq[by_angle[i].second], uniq[by_angle[(i + 1) % by_angle.size()].second]);
    }
}

/// Step 5: connectivity through empty blocks (squares, parks, road islands): units that touch
/// the same cluster of empty blocks are adjacent across it. Without this, buildings on the two
/// sides of a square fall into separate components and each component gets its own grid
/// (regress_monaco_empty_blocks).
void relay_through_empty_blocks(CommunityUnits& cu,
                                const FacePairs& pairs,
                                const Options& options) {
    auto clusters = units_around_empty_clusters(cu, pairs, options);
    for (auto& around : clusters) {
        if (around.size() >= 2) {
            relay_around_cluster(cu, around);
        }
    }
}

/// The type that decides whether two touching institution buildings are one site.
std::string institution_type(const core::Building& b) {
    return core::ascii_lower(core::trim(b.type));
}

/// True when some building of unit a and some of unit b have the same type and footprints at most
/// `gap_m` apart.
bool near_same_type(const core::Scene& scene, const Unit& a, const Unit& b, double gap_m) {
    for (const auto i : a.buildings) {
        const auto& bi = scene.buildings[i];
        for (const auto j : b.buildings) {
            const auto& bj = scene.buildings[j];
            if (!bi.dedicated || !bj.dedicated || institution_type(bi) != institution_type(bj)) {
                continue;
            }
            auto boxes_near = [&] {
                auto box_a = bg::return_envelope<core::Box>(bi.footprint);
                const auto box_b = bg::return_envelope<core::Box>(bj.footprint);
                bg::expand(
                    box_a,
                    core::Point{box_a.min_corner().x() - gap_m, box_a.min_corner().y() - gap_m});
                bg::expand(
                    box_a,
                    core::Point{box_a.max_corner().x() + gap_m, box_a.max_corner().y() + gap_m});
                return bg::intersects(box_a, box_b);
            };
            if (boxes_near() && bg::distance(bi.footprint, bj.footprint) <= gap_m) {
                return true;
            }
        }
    }
    return false;
}

/// The institution site polygon of a unit (Building::site of any of its buildings), or -1.
std::int64_t site_polygon(const core::Scene& scene, const Unit& unit) {
    for (const auto b : unit.buildings) {
        if (scene.buildings[b].site) {
            return static_cast<std::int64_t>(*scene.buildings[b].site);
        }
    }
    return -1;
}

}  // namespace

/// Dedicated units of one institution site (docs/partition.md "Dedicated grids"): adjacent units
/// (a unit edge between them) in the same site polygon, or, where neither has one, adjacent units
/// with footprints of the same type at most `institution_gap_m` apart; joined transitively.
void institution_sites(const core::Scene& scene, const Options& options, CommunityUnits& cu) {
    const auto n = cu.unit_count();
    core::DisjointSets dsu(n);
    std::vector<std::int64_t> polygon(n, -1);
    std::vector<std::uint32_t> dedicated;
    for (std::uint32_t u = 0; u < n; ++u) {
        if (cu.units[u].dedicated) {
            polygon[u] = site_polygon(scene, cu.units[u]);
            dedicated.push_back(u);
        }
    }
    // Units of one site are joined along the unit edges between them (so a site's grid is
    // connected): same site polygon, else footprints of the same type within the gap.
    for (const auto& e : cu.unit_edges) {
        const auto a = e.u;
        const auto b = e.v;
        if (!cu.units[a].dedicated || !cu.units[b].dedicated) {
            continue;
        }
        const bool same =
            polygon[a] >= 0 || polygon[b] >= 0
                ? polygon[a] == polygon[b]
                : near_same_type(scene, cu.units[a], cu.units[b], options.institution_gap_m);
        if (same) {
            dsu.join_under_smaller(a, b);
        }
    }
    cu.site_of_unit.assign(n, -1);
    std::map<std::uint32_t, std::int32_t> site_of_root;
    for (const auto u : dedicated) {
        const auto [it, added] =
            site_of_root.emplace(dsu.find(u), static_cast<std::int32_t>(site_of_root.size()));
        cu.site_of_unit[u] = it->second;
    }
}

CommunityUnits community_units(const core::Scene& scene,
                               const core::Community& community,
                               const std::vector<core::Index>& buildings,
                               const SceneIndex& index,
                               const Options& options,
                               core::Ledger& ledger) {
    CommunityUnits cu;
    bg::envelope(community.area, cu.envelope);
    cu.blocks = community_blocks(scene, community, cu.envelope, index);
    cu.units = group_units(scene, buildings, cu.blocks, ledger);
    build_cells(scene, cu, ledger);
    const FacePairs pairs = face_pairs(cu.blocks);
    shared_boundary_adjacency(cu, pairs, options);
    relay_through_empty_blocks(cu, pairs, options);
    institution_sites(scene, options, cu);
    return cu;
}

}  // namespace gridplan::partition::detail
