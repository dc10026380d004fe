// Building groups (楼栋/楼院党小组, docs/partition.md "Building groups"): inside every grid, the
// grid's units are split into contiguous groups of the group band by the same optimiser that
// draws the grids (partition_graph on the grid's sub-graph), drawn from the grid's atoms and
// cells, and numbered in reading order: grid code + 2-digit sequence.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <set>
#include <string>
#include <utility>

#include "core/disjoint_sets.hpp"
#include "core/hash.hpp"
#include "geom/voronoi.hpp"
#include "partition/detail/community.hpp"

namespace gridplan::partition::detail {

namespace bg = boost::geometry;

namespace {

/// Group polygons are unions on the same precision grid as the grids (grids.cpp).
constexpr double kSnapGridM = 1e-6;

/// Pieces that share less than this touch at a corner: a group joined there is drawn in two
/// parts meeting at a point (the same rule as the grids' unit adjacency, docs/partition.md step 4).
constexpr double kMinSharedM = 1.0;

/// Search nodes of the exact search per grid (the grids' default is 10⁶ per community; a grid
/// has few units, and a city has thousands of grids).
constexpr std::uint64_t kGroupExactNodes = 100'000;

/// What a group is measured in: households in the group band, or buildings.
struct GroupRule {
    bool by_buildings = false;
    Band band;
};

GroupRule group_rule(const Options& opt) {
    GroupRule rule;
    if (opt.group_buildings > 0) {
        const double n = opt.group_buildings;
        rule.by_buildings = true;
        rule.band = Band{std::max(1.0, std::floor(n / 2.0)), std::ceil(1.5 * n)};
    } else {
        rule.band = opt.group_band;
    }
    return rule;
}

double weight(const GroupRule& rule, const Unit& unit) {
    return rule.by_buildings ? static_cast<double>(unit.buildings.size()) : unit.households;
}

/// The groups of one grid: a group index per unit of the grid (`units`, ascending), the number
/// of groups, and which groups are a single unit outside balancing.
struct GridGroups {
    std::vector<std::uint32_t> group_of;  ///< parallel to the grid's units
    std::uint32_t count = 0;
    std::vector<char> standalone;  ///< per group
};

/// Splits one grid's units into groups: a dedicated or oversized grid is one group; a unit above
/// the group maximum is its own group; the others are balanced by partition_graph on the grid's
/// sub-graph with k by choose_k (closest to the middle of the band), at least 1.
GridGroups split_grid(const CommunityUnits& cu,
                      const std::vector<std::uint32_t>& units,
                      const std::vector<GraphEdge>& edges,
                      GridKind kind,
                      const GroupRule& rule,
                      const Options& opt,
                      const std::string& grid_code) {
    GridGroups gg;
    gg.group_of.assign(units.size(), 0);
    if (kind != GridKind::regular || units.size() <= 1) {
        gg.count = 1;
        const bool over =
            units.size() == 1 && weight(rule, cu.units[units[0]]) > rule.band.max_households + 1e-9;
        gg.standalone.assign(1, kind != GridKind::regular || over ? 1 : 0);
        return gg;
    }
    std::map<std::uint32_t, std::uint32_t> local;  // unit -> node of the balanced sub-graph
    std::vector<std::uint32_t> nodes;
    for (std::size_t i = 0; i < units.size(); ++i) {
        if (weight(rule, cu.units[units[i]]) > rule.band.max_households + 1e-9) {
            gg.group_of[i] = gg.count++;
            gg.standalone.push_back(1);
        } else {
            local.emplace(units[i], static_cast<std::uint32_t>(nodes.size()));
            nodes.push_back(static_cast<std::uint32_t>(i));
        }
    }
    if (nodes.empty()) {
        return gg;
    }
    UnitGraph g;
    for (const auto i : nodes) {
        const Unit& unit = cu.units[units[i]];
        g.households.push_back(weight(rule, unit));
        g.position.push_back(unit.anchor);
        g.block.push_back(unit.face);
        g.area_m2.push_back(bg::area(unit.cell));
        g.perimeter_m.push_back(static_cast<double>(bg::perimeter(unit.cell)));
    }
    std::vector<GraphEdge> sub;
    for (const auto& e : edges) {
        const auto a = local.find(e.u);
        const auto b = local.find(e.v);
        if (a != local.end() && b != local.end()) {
            sub.push_back({a->second, b->second, e.cost, e.shared_m});
        }
    }
    const auto n = static_cast<std::uint32_t>(nodes.size());
    // k per connected piece of the sub-graph (partition_graph never lets a group straddle two),
    // so a piece is not left with one group too large or too small for the band.
    core::DisjointSets pieces(n);
    for (const auto& e : sub) {
        pieces.join_under_smaller(e.u, e.v);
    }
    std::map<std::uint32_t, double> piece_weight;
    for (std::uint32_t j = 0; j < n; ++j) {
        piece_weight[pieces.find(j)] += g.households[j];
    }
    std::uint32_t k = 0;
    for (const auto& [root, w] : piece_weight) {
        k += choose_k(w, rule.band, KPolicy::closest_to_band_middle);
    }
    k = std::min(n, k);
    g.set_edges(std::move(sub));
    OptimiserOptions oo = opt.optimiser;
    oo.max_population.reset();
    oo.churn_weight = 0.0;
    oo.seed = core::mix(opt.seed ^ core::fnv1a(grid_code));
    oo.exact_max_nodes = std::min(oo.exact_max_nodes, kGroupExactNodes);
    const GraphPartition gp = partition_graph(g, std::max(1U, k), rule.band, oo);
    const std::uint32_t base = gg.count;
    for (std::uint32_t j = 0; j < n; ++j) {
        gg.group_of[nodes[j]] = base + gp.part[j];
    }
    gg.count = base + gp.k;
    gg.standalone.resize(gg.count, 0);
    // Drop labels no unit got (a component with fewer units than parts leaves none empty, but
    // be safe): renumber the used ones densely in order.
    std::vector<std::int64_t> dense(gg.count, -1);
    std::vector<char> standalone;
    std::uint32_t used = 0;
    for (auto& grp : gg.group_of) {
        if (dense[grp] < 0) {
            dense[grp] = used++;
            standalone.push_back(gg.standalone[grp]);
        }
        grp = static_cast<std::uint32_t>(dense[grp]);
    }
    gg.count = used;
    gg.standalone = std::move(standalone);
    return gg;
}

/// One piece of a grid's polygon with the group it goes to (-1: free space, given out below).
struct Piece {
    const core::MultiPolygon* area = nullptr;
    std::int64_t group = -1;
};

using PieceNeighbours = std::vector<std::vector<std::pair<std::uint32_t, double>>>;

/// Groups whose pieces fall apart (units joined across space without buildings, step 5 of the
/// partition) first claim the cheapest chain of free pieces (by area, Dijkstra) from each other
/// part to the part with the most pieces, as whole_grids does for grids; groups in index order.
void join_apart_pieces(std::vector<Piece>& pieces,
                       const PieceNeighbours& nb,
                       std::uint32_t groups) {
    const auto n = static_cast<std::uint32_t>(pieces.size());
    std::vector<double> area(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        area[i] = bg::area(*pieces[i].area);
    }
    for (std::uint32_t grp = 0; grp < groups; ++grp) {
        const auto g = static_cast<std::int64_t>(grp);
        // components of the group's pieces
        std::vector<std::int64_t> comp(n, -1);
        std::vector<std::uint32_t> sizes;
        for (std::uint32_t i = 0; i < n; ++i) {
            if (pieces[i].group != g || comp[i] >= 0) {
                continue;
            }
            const auto c = static_cast<std::int64_t>(sizes.size());
            sizes.push_back(0);
            std::vector<std::uint32_t> stack{i};
            comp[i] = c;
            while (!stack.empty()) {
                const auto x = stack.back();
                stack.pop_back();
                ++sizes.back();
                for (const auto& [y, len] : nb[x]) {
                    if (pieces[y].group == g && comp[y] < 0) {
                        comp[y] = c;
                        stack.push_back(y);
                    }
                }
            }
        }
        if (sizes.size() <= 1) {
            continue;
        }
        const auto main =
            static_cast<std::int64_t>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
        for (std::int64_t c = 0; c < static_cast<std::int64_t>(sizes.size()); ++c) {
            if (c == main) {
                continue;
            }
            // Dijkstra from component c through free pieces to any piece of the group outside c.
            std::vector<double> dist(n, std::numeric_limits<double>::infinity());
            std::vector<std::int64_t> prev(n, -1);
            using Item = std::pair<double, std::uint32_t>;
            std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
            for (std::uint32_t i = 0; i < n; ++i) {
                if (comp[i] == c) {
                    dist[i] = 0.0;
                    queue.emplace(0.0, i);
                }
            }
            std::int64_t reached = -1;
            while (!queue.empty()) {
                const auto [d, x] = queue.top();
                queue.pop();
                if (d > dist[x]) {
                    continue;
                }
                if (pieces[x].group == g && comp[x] != c) {
                    reached = x;
                    break;
                }
                for (const auto& [y, len] : nb[x]) {
                    const bool free = pieces[y].group < 0;
                    const bool target = pieces[y].group == g && comp[y] != c;
                    if (!free && !target) {
                        continue;
                    }
                    const double nd = d + (free ? area[y] : 0.0);
                    if (nd < dist[y]) {
                        dist[y] = nd;
                        prev[y] = x;
                        queue.emplace(nd, y);
                    }
                }
            }
            for (std::int64_t x = reached; x >= 0 && comp[static_cast<std::size_t>(x)] != c;
                 x = prev[static_cast<std::size_t>(x)]) {
                if (pieces[static_cast<std::size_t>(x)].group < 0) {
                    pieces[static_cast<std::size_t>(x)].group = g;
                }
            }
            if (reached >= 0) {
                // c is now joined: merge it into the component it reached
                const auto into = comp[static_cast<std::size_t>(reached)];
                for (auto& k : comp) {
                    if (k == c) {
                        k = into;
                    }
                }
            }
        }
    }
}

/// The union of a group's pieces on the grids' precision grid (1 µm). Snap-rounding that fine
/// at city coordinates can leave a piece apart from the rest along an edge they share (seen on
/// the 1/20 synthetic city, where the plain union is one part); then 10 µm and 100 µm grids are
/// tried in turn, and the first that draws fewer parts is kept.
core::MultiPolygon group_union(const std::vector<const core::MultiPolygon*>& pieces) {
    core::MultiPolygon best = geom::union_polygons_snapped(pieces, kSnapGridM);
    drop_sliver_rings(best);
    for (const double coarser : {10 * kSnapGridM, 100 * kSnapGridM}) {
        if (best.size() <= 1) {
            break;
        }
        core::MultiPolygon area = geom::union_polygons_snapped(pieces, coarser);
        drop_sliver_rings(area);
        if (area.size() < best.size()) {
            best = std::move(area);
        }
    }
    return best;
}

/// A grid cut into pieces: each unit's cell inside the grid (the part holding its anchor), and
/// free space (blocks without buildings, parts of cells apart from their anchor), with the
/// pieces that share a boundary.
struct GridPieces {
    std::vector<const core::MultiPolygon*> areas;
    std::vector<std::int64_t> unit;  ///< per piece: unit index, or -1 for free space
    PieceNeighbours nb;
    std::deque<core::MultiPolygon> owned;  ///< cell parts cut out of a cell
};

GridPieces grid_pieces(const CommunityUnits& cu, const WholeGrids& wg, std::int64_t old_grid) {
    GridPieces gp;
    for (const auto& atom : wg.atoms) {
        if (atom.grid != old_grid) {
            continue;
        }
        if (atom.units.size() <= 1) {  // a block of one unit, a part of a cell, or free space
            gp.areas.push_back(&atom.area);
            gp.unit.push_back(atom.units.empty() ? -1 : std::int64_t{atom.units.front()});
            continue;
        }
        // A block of several units: its cells tile it; a part of a cell apart from its anchor
        // (a concave block) is free space, as for the grids (whole_grids.cpp).
        for (const auto u : atom.units) {
            const Unit& unit = cu.units[u];
            if (unit.cell.size() <= 1) {
                gp.areas.push_back(&unit.cell);
                gp.unit.push_back(u);
                continue;
            }
            const std::size_t own = anchor_part(unit);
            for (std::size_t i = 0; i < unit.cell.size(); ++i) {
                gp.owned.emplace_back();
                gp.owned.back().push_back(unit.cell[i]);
                gp.areas.push_back(&gp.owned.back());
                gp.unit.push_back(i == own ? std::int64_t{u} : std::int64_t{-1});
            }
        }
    }
    gp.nb.resize(gp.areas.size());
    for (const auto& sb : geom::shared_boundaries(gp.areas)) {
        gp.nb[sb.a].emplace_back(sb.b, sb.length_m);
        gp.nb[sb.b].emplace_back(sb.a, sb.length_m);
    }
    return gp;
}

/// The grid's unit edges a group may use: those whose units' pieces inside this grid share a
/// boundary of at least 1 m, or touch one cluster of the grid's free pieces (a relay across space
/// without buildings, partition step 5, where that space lies in this grid). An edge along a part
/// of a cell that went to another grid, or a relay across space another grid owns, would join a
/// group that cannot be drawn in one piece.
std::vector<GraphEdge> drawable_edges(const GridPieces& gp,
                                      const std::vector<GraphEdge>& edges,
                                      bool relays) {
    const auto n = static_cast<std::uint32_t>(gp.areas.size());
    std::vector<std::int64_t> cluster(n, -1);
    std::vector<std::set<std::int64_t>> units_of_cluster;
    std::set<std::pair<std::int64_t, std::int64_t>> touching;  // units whose pieces touch
    for (std::uint32_t i = 0; i < n; ++i) {
        if (gp.unit[i] >= 0) {
            for (const auto& [j, len] : gp.nb[i]) {
                if (gp.unit[j] >= 0 && len >= kMinSharedM) {
                    touching.emplace(std::min(gp.unit[i], gp.unit[j]),
                                     std::max(gp.unit[i], gp.unit[j]));
                }
            }
            continue;
        }
        if (cluster[i] >= 0) {
            continue;
        }
        const auto c = static_cast<std::int64_t>(units_of_cluster.size());
        units_of_cluster.emplace_back();
        std::vector<std::uint32_t> stack{i};
        cluster[i] = c;
        while (!stack.empty()) {
            const auto x = stack.back();
            stack.pop_back();
            for (const auto& [y, len] : gp.nb[x]) {
                if (len < kMinSharedM) {
                    continue;
                }
                if (gp.unit[y] >= 0) {
                    units_of_cluster[static_cast<std::size_t>(c)].insert(gp.unit[y]);
                } else if (cluster[y] < 0) {
                    cluster[y] = c;
                    stack.push_back(y);
                }
            }
        }
    }
    std::vector<GraphEdge> out;
    for (const auto& e : edges) {
        const std::int64_t a = std::min(e.u, e.v);
        const std::int64_t b = std::max(e.u, e.v);
        bool keep = touching.count({a, b}) != 0;
        for (std::size_t c = 0; !keep && relays && c < units_of_cluster.size(); ++c) {
            keep = units_of_cluster[c].count(a) != 0 && units_of_cluster[c].count(b) != 0;
        }
        if (keep) {
            out.push_back(e);
        }
    }
    return out;
}

/// The polygons of a grid's groups from its pieces: each unit's piece goes to its group; a
/// group whose pieces fall apart first claims the cheapest chain of free pieces joining them;
/// the other free pieces go in rounds to the group they share the longest boundary with, so a
/// group is one part wherever its units are contiguous; a free piece touching no group goes to
/// the group of the nearest unit.
std::vector<core::MultiPolygon> group_areas(const CommunityUnits& cu,
                                            const GridPieces& gp,
                                            const std::vector<std::uint32_t>& units,
                                            const GridGroups& gg) {
    std::map<std::uint32_t, std::uint32_t> group_of_unit;
    for (std::size_t i = 0; i < units.size(); ++i) {
        group_of_unit.emplace(units[i], gg.group_of[i]);
    }
    std::vector<Piece> pieces;
    for (std::size_t i = 0; i < gp.areas.size(); ++i) {
        pieces.push_back({gp.areas[i],
                          gp.unit[i] < 0 ? std::int64_t{-1}
                                         : std::int64_t{group_of_unit.at(
                                               static_cast<std::uint32_t>(gp.unit[i]))}});
    }
    const auto& nb = gp.nb;
    join_apart_pieces(pieces, nb, gg.count);
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            if (pieces[i].group >= 0) {
                continue;
            }
            std::map<std::int64_t, double> shared;
            for (const auto& [j, len] : nb[i]) {
                if (pieces[j].group >= 0) {
                    shared[pieces[j].group] += len;
                }
            }
            std::int64_t best = -1;
            double best_len = 0.0;
            for (const auto& [grp, len] : shared) {
                if (len > best_len) {
                    best = grp;
                    best_len = len;
                }
            }
            if (best >= 0) {
                pieces[i].group = best;
                changed = true;
            }
        }
    }
    for (auto& p : pieces) {
        if (p.group >= 0) {
            continue;
        }
        p.group = 0;
        double best_d = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < units.size() && !p.area->empty(); ++i) {
            const double d = bg::distance(cu.units[units[i]].anchor, *p.area);
            if (d < best_d) {
                best_d = d;
                p.group = gg.group_of[i];
            }
        }
    }
    std::vector<std::vector<const core::MultiPolygon*>> by_group(gg.count);
    for (const auto& p : pieces) {
        by_group[static_cast<std::size_t>(p.group)].push_back(p.area);
    }
    std::vector<core::MultiPolygon> areas(gg.count);
    for (std::uint32_t grp = 0; grp < gg.count; ++grp) {
        areas[grp] = group_union(by_group[grp]);
    }
    return areas;
}

/// A grid's groups and their polygons: split on every drawable edge, relays across the grid's
/// free space included; when that draws some group in parts (the free space it was joined
/// across went to another group first), split again on shared boundaries only and keep that
/// when it draws fewer groups in parts. A grid of one group is its own polygon.
struct DrawnGroups {
    GridGroups groups;
    std::vector<core::MultiPolygon> areas;
};

DrawnGroups draw_groups(const CommunityUnits& cu,
                        const WholeGrids& wg,
                        std::uint32_t old,
                        const std::vector<std::uint32_t>& units,
                        const std::vector<GraphEdge>& edges,
                        const GridAssignment& assignment,
                        const GroupRule& rule,
                        const Options& options,
                        const Grid& grid) {
    const GridKind kind = assignment.kinds[old];
    const bool balanced = kind == GridKind::regular && units.size() > 1;
    const GridPieces gp = balanced ? grid_pieces(cu, wg, old) : GridPieces{};
    const auto split = [&](bool relays) {
        return split_grid(cu,
                          units,
                          balanced ? drawable_edges(gp, edges, relays) : std::vector<GraphEdge>{},
                          kind,
                          rule,
                          options,
                          grid.code);
    };
    DrawnGroups d{split(true), {}};
    if (d.groups.count == 1) {
        d.areas.push_back(grid.area);
        return d;
    }
    d.areas = group_areas(cu, gp, units, d.groups);
    const auto multipart = [](const std::vector<core::MultiPolygon>& a) {
        return std::count_if(
            a.begin(), a.end(), [](const core::MultiPolygon& m) { return m.size() > 1; });
    };
    const auto apart = multipart(d.areas);
    if (apart > 0) {
        GridGroups direct = split(false);
        auto direct_areas = group_areas(cu, gp, units, direct);
        if (multipart(direct_areas) < apart) {
            d = DrawnGroups{std::move(direct), std::move(direct_areas)};
        }
    }
    return d;
}

/// The groups' figures (buildings, households, residents, band, codes of the grid above) and
/// each group's centroid (of its polygon, else of its units' anchors) for the numbering.
std::vector<BuildingGroup> group_figures(const CommunityUnits& cu,
                                         const std::vector<std::uint32_t>& units,
                                         DrawnGroups& drawn,
                                         const GroupRule& rule,
                                         const Grid& grid,
                                         std::uint32_t grid_index,
                                         std::vector<core::Point>& centroids) {
    const GridGroups& gg = drawn.groups;
    std::vector<BuildingGroup> groups(gg.count);
    std::vector<core::Point> anchor_sum(gg.count, core::Point(0.0, 0.0));
    std::vector<double> anchor_n(gg.count, 0.0);
    for (std::size_t i = 0; i < units.size(); ++i) {
        const Unit& unit = cu.units[units[i]];
        const auto k = gg.group_of[i];
        BuildingGroup& grp = groups[k];
        grp.buildings.insert(grp.buildings.end(), unit.buildings.begin(), unit.buildings.end());
        grp.households += unit.households;
        grp.population += unit.population;
        anchor_sum[k] =
            core::Point(anchor_sum[k].x() + unit.anchor.x(), anchor_sum[k].y() + unit.anchor.y());
        anchor_n[k] += 1.0;
    }
    centroids.assign(gg.count, core::Point(0.0, 0.0));
    for (std::uint32_t k = 0; k < gg.count; ++k) {
        BuildingGroup& grp = groups[k];
        grp.area = std::move(drawn.areas[k]);
        if (!grp.area.empty()) {
            bg::centroid(grp.area, centroids[k]);
        } else if (anchor_n[k] > 0) {
            centroids[k] =
                core::Point(anchor_sum[k].x() / anchor_n[k], anchor_sum[k].y() / anchor_n[k]);
        }
        std::sort(grp.buildings.begin(), grp.buildings.end());
        grp.standalone = gg.standalone[k] != 0;
        const double w =
            rule.by_buildings ? static_cast<double>(grp.buildings.size()) : grp.households;
        grp.in_band = !grp.standalone && rule.band.contains(w);
        grp.grid = grid_index;
        grp.community = grid.community;
        grp.street = grid.street;
        grp.grid_code = grid.code;
        grp.community_code = grid.community_code;
        grp.community_name = grid.community_name;
        grp.street_code = grid.street_code;
        grp.street_name = grid.street_name;
    }
    return groups;
}

/// Numbers a grid's groups in reading order (rows of height √(grid area / groups) from the
/// grid's northern edge), codes them grid code + 2 digits and appends them to `out`.
void number_groups(std::vector<BuildingGroup> groups,
                   const std::vector<core::Point>& centroids,
                   const Grid& grid,
                   CommunityOut& out) {
    const auto count = static_cast<std::uint32_t>(groups.size());
    double north = centroids.front().y();
    if (!grid.area.empty()) {
        core::Box env;
        bg::envelope(grid.area, env);
        north = env.max_corner().y();
    }
    const double row_h = std::sqrt(std::max(grid.area_m2, 1.0) / count);
    const auto order = reading_order(centroids, north, row_h);
    if (count > 99) {
        warn(out.ledger,
             grid.code,
             "group_sequence_overflow",
             std::to_string(count) + " building groups exceed the 2-digit sequence; codes repeat");
    }
    const auto base = static_cast<std::uint32_t>(out.groups.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
        BuildingGroup& grp = groups[order[i]];
        grp.sequence = i + 1;
        char seq[8];
        std::snprintf(seq, sizeof(seq), "%02u", grp.sequence % 100U);
        grp.code = grid.code + seq;
        for (const auto b : grp.buildings) {
            out.building_group.emplace_back(b, base + i);
        }
        out.groups.push_back(std::move(grp));
    }
}

}  // namespace

void building_groups(const core::Scene& /*scene*/,
                     const CommunityUnits& cu,
                     const GridAssignment& assignment,
                     const WholeGrids& wg,
                     const std::vector<std::uint32_t>& renumber,
                     const Options& options,
                     CommunityOut& out) {
    const GroupRule rule = group_rule(options);
    const auto n_grids = static_cast<std::uint32_t>(assignment.kinds.size());
    std::vector<std::vector<std::uint32_t>> units_of_grid(n_grids);
    for (std::uint32_t u = 0; u < cu.unit_count(); ++u) {
        units_of_grid[assignment.grid_of_unit[u]].push_back(u);
    }
    std::vector<std::vector<GraphEdge>> edges_of_grid(n_grids);
    for (const auto& e : cu.unit_edges) {
        const auto gu = assignment.grid_of_unit[e.u];
        if (gu == assignment.grid_of_unit[e.v]) {
            edges_of_grid[gu].push_back(e);
        }
    }
    // Grids in code order (renumber: old index -> index in out.grids).
    std::vector<std::uint32_t> old_of_new(n_grids);
    for (std::uint32_t g = 0; g < n_grids; ++g) {
        old_of_new[renumber[g]] = g;
    }
    for (std::uint32_t gi = 0; gi < n_grids; ++gi) {
        const std::uint32_t old = old_of_new[gi];
        const Grid& grid = out.grids[gi];
        const auto& units = units_of_grid[old];
        if (units.empty()) {
            continue;
        }
        DrawnGroups drawn =
            draw_groups(cu, wg, old, units, edges_of_grid[old], assignment, rule, options, grid);
        std::vector<core::Point> centroids;
        auto groups = group_figures(cu, units, drawn, rule, grid, gi, centroids);
        number_groups(std::move(groups), centroids, grid, out);
    }
}

}  // namespace gridplan::partition::detail
