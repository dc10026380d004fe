// Scene-level grid partitioning: blocks, units, graph, optimiser, polygons, codes, reports.
// docs/partition.md describes every step.

#include "partition/partition.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

#include <boost/geometry/algorithms/point_on_surface.hpp>
#include <boost/geometry/index/rtree.hpp>

#include "core/disjoint_sets.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "geom/blocks.hpp"
#include "geom/voronoi.hpp"
#include "partition/redraw.hpp"

namespace gridplan::partition {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

const char* to_string(GridKind kind) noexcept {
    switch (kind) {
        case GridKind::regular:
            return "regular";
        case GridKind::dedicated:
            return "dedicated";
        case GridKind::oversized:
            return "oversized";
    }
    return "regular";
}

namespace {

constexpr double kBarrierCrossingCost = 2.0;
/// Rings of a grid union smaller than this are numerical debris of the union of cells that
/// meet at slightly different vertices (collinear slivers), not parts of the grid.
constexpr double kSliverRingM2 = 1e-4;

/// Removes sliver holes and sliver parts (< 1 cm²) from a grid's union, so writers get clean
/// polygons; the tiling check still measures gaps/overlaps after the removal.
void drop_sliver_rings(core::MultiPolygon& area) {
    auto tiny = [](const core::Ring& ring) { return std::abs(bg::area(ring)) < kSliverRingM2; };
    for (auto& polygon : area) {
        auto& inners = polygon.inners();
        inners.erase(std::remove_if(inners.begin(), inners.end(), tiny), inners.end());
    }
    area.erase(std::remove_if(area.begin(), area.end(),
                              [&](const core::Polygon& p) { return tiny(p.outer()); }),
               area.end());
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

bool contains_any(const std::string& s, std::initializer_list<const char*> needles) {
    for (const char* n : needles) {
        if (s.find(n) != std::string::npos) {
            return true;
        }
    }
    return false;
}

using BoxEntry = std::pair<core::Box, std::uint32_t>;
using BoxTree = bgi::rtree<BoxEntry, bgi::quadratic<16>>;

struct SceneIndex {
    BoxTree roads;     ///< roads that split blocks
    BoxTree barriers;  ///< all barriers
    std::vector<int> road_rank;
};

struct Unit {
    std::vector<core::Index> buildings;
    core::Point anchor{0.0, 0.0};
    std::int32_t face = -1;
    double households = 0.0;
    double population = 0.0;
    bool dedicated = false;
    bool estimated = false;
    core::MultiPolygon cell;
};

struct CommunityOut {
    std::vector<Grid> grids;
    std::vector<std::pair<core::Index, std::uint32_t>> building_grid;  ///< (building, local grid)
    CommunityReport report;
    core::Ledger ledger;
};

void warn(core::Ledger& ledger, std::string source_id, std::string reason, std::string detail,
          const core::Point* at = nullptr, core::Action action = core::Action::warned) {
    core::LedgerEntry e;
    e.layer = "grids";
    e.source_id = std::move(source_id);
    e.reason = std::move(reason);
    e.action = action;
    e.detail = std::move(detail);
    if (at != nullptr) {
        e.x = at->x();
        e.y = at->y();
    }
    ledger.add(std::move(e));
}

CommunityOut solve_community(const core::Scene& scene, core::Index ci,
                             const std::vector<core::Index>& bldgs, const SceneIndex& index,
                             const Options& opt) {
    CommunityOut out;
    const core::Community& comm = scene.communities[ci];
    CommunityReport& rep = out.report;
    rep.community = ci;
    rep.id = comm.id;
    rep.name = comm.name;
    rep.street = comm.street;
    rep.code = community_code12(comm, rep.code_derived);
    if (rep.code_derived) {
        warn(out.ledger, comm.id, "community_code_derived",
             "community has no 12-digit code ('" + comm.code + "'); grid codes use derived " +
                 rep.code + " ('9' + 11 digits of a hash of the id)");
    }
    Band band = opt.band;
    std::optional<std::uint32_t> fixed_k;
    for (const auto* key : {&comm.id, &comm.code}) {
        if (key->empty()) {
            continue;
        }
        auto it = opt.overrides.find(*key);
        if (it != opt.overrides.end()) {
            if (it->second.band) {
                band = *it->second.band;
            }
            if (it->second.k) {
                fixed_k = it->second.k;
            }
        }
    }
    rep.band = band;
    rep.area_m2 = bg::area(comm.area);
    rep.buildings = static_cast<std::uint32_t>(bldgs.size());
    if (bldgs.empty()) {
        warn(out.ledger, comm.id, "community_without_buildings",
             "no buildings: no grids drawn, community area not covered");
        rep.gap_m2 = rep.area_m2;
        return out;
    }

    // ---- blocks
    core::Box box;
    bg::envelope(comm.area, box);
    std::vector<geom::BlockLine> lines;
    std::vector<BoxEntry> hits;
    index.roads.query(bgi::intersects(box), std::back_inserter(hits));
    std::sort(hits.begin(), hits.end(),
              [](const BoxEntry& a, const BoxEntry& b) { return a.second < b.second; });
    for (const auto& [b, r] : hits) {
        lines.push_back({scene.roads[r].line, index.road_rank[r], false});
    }
    hits.clear();
    index.barriers.query(bgi::intersects(box), std::back_inserter(hits));
    std::sort(hits.begin(), hits.end(),
              [](const BoxEntry& a, const BoxEntry& b) { return a.second < b.second; });
    for (const auto& [b, r] : hits) {
        lines.push_back({scene.barriers[r].line, 0, true});
    }
    geom::BlockSet blocks = geom::road_blocks(comm.area, lines);
    if (blocks.faces.empty()) {
        for (const auto& poly : comm.area) {
            blocks.faces.push_back(poly);
            blocks.area_m2.push_back(bg::area(poly));
        }
    }
    const auto n_faces = static_cast<std::uint32_t>(blocks.faces.size());
    rep.blocks = n_faces;
    std::vector<BoxEntry> face_boxes;
    for (std::uint32_t f = 0; f < n_faces; ++f) {
        core::Box fb;
        bg::envelope(blocks.faces[f], fb);
        face_boxes.emplace_back(fb, f);
    }
    BoxTree face_tree(face_boxes.begin(), face_boxes.end());

    // ---- units: buildings grouped by block and anchor (co-located anchors share a cell)
    std::vector<Unit> units;
    std::map<std::tuple<std::int32_t, std::int64_t, std::int64_t>, std::uint32_t> unit_of_key;
    for (const auto b : bldgs) {
        const auto& bd = scene.buildings[b];
        std::vector<BoxEntry> cand;
        face_tree.query(bgi::intersects(bd.anchor), std::back_inserter(cand));
        std::sort(cand.begin(), cand.end(),
                  [](const BoxEntry& x, const BoxEntry& y) { return x.second < y.second; });
        std::int32_t face = -1;
        for (const auto& [fb, f] : cand) {
            if (bg::covered_by(bd.anchor, blocks.faces[f])) {
                face = static_cast<std::int32_t>(f);
                break;
            }
        }
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
            warn(out.ledger, bd.id, "building_anchor_outside_community",
                 "anchor lies outside its community polygon; joined to the nearest block (" +
                     core::fixed(best, 1) + " m)",
                 &bd.anchor);
        }
        const auto key = std::make_tuple(face, std::llround(anchor.x() * 1e3),
                                         std::llround(anchor.y() * 1e3));
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
        unit.dedicated = unit.dedicated || bd.dedicated;
        unit.estimated = unit.estimated || bd.households_estimated;
    }
    const auto n_units = static_cast<std::uint32_t>(units.size());

    // ---- Voronoi cells per block
    std::vector<std::vector<std::uint32_t>> units_of_face(n_faces);
    for (std::uint32_t u = 0; u < n_units; ++u) {
        units_of_face[static_cast<std::size_t>(units[u].face)].push_back(u);
    }
    for (std::uint32_t f = 0; f < n_faces; ++f) {
        const auto& us = units_of_face[f];
        if (us.empty()) {
            continue;
        }
        std::vector<core::Point> sites;
        for (const auto u : us) {
            sites.push_back(units[u].anchor);
        }
        auto cells = geom::voronoi_cells(sites, blocks.faces[f]);
        for (std::size_t i = 0; i < us.size(); ++i) {
            units[us[i]].cell = std::move(cells[i]);
            if (units[us[i]].cell.empty()) {
                warn(out.ledger, scene.buildings[units[us[i]].buildings.front()].id,
                     "unit_cell_empty", "no Voronoi cell could be built for this building",
                     &units[us[i]].anchor);
            }
        }
    }

    // ---- adjacency from shared boundaries of cells and empty blocks
    std::vector<std::uint32_t> empty_faces;
    for (std::uint32_t f = 0; f < n_faces; ++f) {
        if (units_of_face[f].empty()) {
            empty_faces.push_back(f);
        }
    }
    std::vector<core::MultiPolygon> empty_polys(empty_faces.size());
    std::vector<const core::MultiPolygon*> parts;
    for (const auto& u : units) {
        parts.push_back(&u.cell);
    }
    for (std::size_t e = 0; e < empty_faces.size(); ++e) {
        empty_polys[e].push_back(blocks.faces[empty_faces[e]]);
        parts.push_back(&empty_polys[e]);
    }
    const auto shared = geom::shared_boundaries(parts);
    struct FacePair {
        int rank = -1;
        bool road = false;
        bool crossing = false;
    };
    std::map<std::pair<std::int32_t, std::int32_t>, FacePair> face_pairs;
    for (const auto& e : blocks.edges) {
        if (e.face_b < 0 || e.face_a == e.face_b) {
            continue;
        }
        auto& fp = face_pairs[std::minmax(e.face_a, e.face_b)];
        if (e.rank >= 0) {
            fp.road = true;
            fp.rank = fp.rank < 0 ? e.rank : std::min(fp.rank, e.rank);
        } else if (!e.barrier) {
            fp.road = true;  // separated by nothing known (e.g. a road piece of a higher rank)
            fp.rank = fp.rank < 0 ? 4 : fp.rank;
        }
        fp.crossing = fp.crossing || e.crossing;
    }
    std::vector<GraphEdge> unit_edges;
    struct Touch {
        std::uint32_t empty;  ///< index into empty_faces
        std::uint32_t other;  ///< unit index, or n_units + empty index
        double length;
    };
    std::vector<Touch> touches;
    for (const auto& s : shared) {
        if (s.a < n_units && s.b < n_units) {
            const auto fa = units[s.a].face;
            const auto fb = units[s.b].face;
            double cost = opt.in_block_cut_cost;
            if (fa != fb) {
                auto it = face_pairs.find(std::minmax(fa, fb));
                if (it == face_pairs.end() || it->second.road) {
                    cost = road_cut_cost(it == face_pairs.end() ? 4 : it->second.rank);
                } else if (it->second.crossing) {
                    cost = kBarrierCrossingCost;
                } else {
                    continue;  // a barrier without a crossing: not adjacent
                }
            }
            unit_edges.push_back({s.a, s.b, cost, s.length_m});
        } else if (s.a < n_units) {
            touches.push_back({s.b - n_units, s.a, s.length_m});
        } else {
            touches.push_back({s.a - n_units, s.b, s.length_m});
            touches.push_back({s.b - n_units, s.a, s.length_m});
        }
    }
    // ---- connectivity through empty blocks (squares, parks, road islands): units that touch
    // the same cluster of empty blocks are adjacent across it. Without this, buildings on the
    // two sides of a square fall into separate components and each component gets its own grid
    // (regress_monaco_empty_blocks). Up to kEmptyCliqueUnits units: every pair of different
    // blocks; more: a ring in angular order around the cluster (sparse, planar-like).
    {
        auto crossing_cost = [&](std::int32_t fa, std::int32_t fb) -> std::optional<double> {
            if (fa == fb) {
                return opt.in_block_cut_cost;
            }
            auto it = face_pairs.find(std::minmax(fa, fb));
            if (it == face_pairs.end() || it->second.road) {
                return road_cut_cost(it == face_pairs.end() ? 4 : it->second.rank);
            }
            if (it->second.crossing) {
                return kBarrierCrossingCost;
            }
            return std::nullopt;
        };
        const auto n_empty = static_cast<std::uint32_t>(empty_faces.size());
        core::DisjointSets dsu(n_empty);
        std::vector<std::vector<std::pair<std::uint32_t, double>>> around(n_empty);
        for (const auto& t : touches) {
            const auto fe = static_cast<std::int32_t>(empty_faces[t.empty]);
            if (t.other >= n_units) {
                const auto other = t.other - n_units;
                if (crossing_cost(fe, static_cast<std::int32_t>(empty_faces[other]))) {
                    const auto ra = dsu.find(t.empty);
                    const auto rb = dsu.find(other);
                    if (ra != rb) {
                        dsu.attach(std::max(ra, rb), std::min(ra, rb));
                    }
                }
            } else if (const auto c = crossing_cost(units[t.other].face, fe)) {
                around[t.empty].emplace_back(t.other, *c);
            }
        }
        std::vector<std::vector<std::pair<std::uint32_t, double>>> cluster(n_empty);
        for (std::uint32_t e = 0; e < n_empty; ++e) {
            auto& dst = cluster[dsu.find(e)];
            dst.insert(dst.end(), around[e].begin(), around[e].end());
        }
        constexpr std::size_t kEmptyCliqueUnits = 12;
        for (std::uint32_t e = 0; e < n_empty; ++e) {
            auto& us = cluster[e];
            if (us.size() < 2) {
                continue;
            }
            // One entry per unit (its cheapest crossing), by unit index.
            std::sort(us.begin(), us.end());
            std::vector<std::pair<std::uint32_t, double>> uniq;
            for (const auto& x : us) {
                if (uniq.empty() || uniq.back().first != x.first) {
                    uniq.push_back(x);
                }
            }
            auto add = [&](const std::pair<std::uint32_t, double>& a,
                           const std::pair<std::uint32_t, double>& b) {
                if (units[a.first].face != units[b.first].face) {
                    unit_edges.push_back({a.first, b.first, std::min(a.second, b.second), 0.0});
                }
            };
            if (uniq.size() <= kEmptyCliqueUnits) {
                for (std::size_t i = 0; i < uniq.size(); ++i) {
                    for (std::size_t j = i + 1; j < uniq.size(); ++j) {
                        add(uniq[i], uniq[j]);
                    }
                }
                continue;
            }
            double cx = 0.0;
            double cy = 0.0;
            for (const auto& x : uniq) {
                cx += units[x.first].anchor.x();
                cy += units[x.first].anchor.y();
            }
            cx /= static_cast<double>(uniq.size());
            cy /= static_cast<double>(uniq.size());
            std::vector<std::pair<double, std::size_t>> by_angle;
            for (std::size_t i = 0; i < uniq.size(); ++i) {
                const auto& a = units[uniq[i].first].anchor;
                by_angle.emplace_back(std::atan2(a.y() - cy, a.x() - cx), i);
            }
            std::sort(by_angle.begin(), by_angle.end());
            for (std::size_t i = 0; i < by_angle.size(); ++i) {
                add(uniq[by_angle[i].second], uniq[by_angle[(i + 1) % by_angle.size()].second]);
            }
        }
    }

    // ---- balancing graph (standalone units removed, with pass-through edges)
    std::vector<char> standalone(n_units, 0);
    std::vector<GridKind> standalone_kind(n_units, GridKind::regular);
    std::vector<std::string> closed_code(n_units);  // redraw: grid kept exactly as it is
    for (std::uint32_t u = 0; u < n_units; ++u) {
        if (!opt.closed_grids.empty()) {
            for (const auto b : units[u].buildings) {
                const auto& code = scene.buildings[b].grid_code;
                if (!code.empty() && opt.closed_grids.count(code) != 0) {
                    closed_code[u] = code;
                    break;
                }
            }
        }
        if (!closed_code[u].empty()) {
            standalone[u] = 1;  // a closed grid's unit: kept in its grid, outside balancing
        } else if (units[u].dedicated) {
            standalone[u] = 1;
            standalone_kind[u] = GridKind::dedicated;
            warn(out.ledger, scene.buildings[units[u].buildings.front()].id, "dedicated_grid",
                 "institution forms its own grid (专属网格), excluded from balancing",
                 &units[u].anchor);
        } else if (units[u].households > band.max_households) {
            standalone[u] = 1;
            standalone_kind[u] = GridKind::oversized;
            warn(out.ledger, scene.buildings[units[u].buildings.front()].id, "oversized_building",
                 core::fixed(units[u].households, 0) + " households exceed the band maximum " +
                     core::fixed(band.max_households, 0) +
                     "; no entrance/unit (单元) data to split it, so it forms its own grid",
                 &units[u].anchor);
        }
    }
    std::vector<std::int64_t> gidx(n_units, -1);
    std::vector<std::uint32_t> free_units;
    for (std::uint32_t u = 0; u < n_units; ++u) {
        if (standalone[u] == 0) {
            gidx[u] = static_cast<std::int64_t>(free_units.size());
            free_units.push_back(u);
        }
    }
    UnitGraph g;
    for (const auto u : free_units) {
        g.households.push_back(units[u].households);
        g.population.push_back(units[u].population);
        g.position.push_back(units[u].anchor);
        g.block.push_back(units[u].face);
        g.area_m2.push_back(bg::area(units[u].cell));
        g.perimeter_m.push_back(static_cast<double>(bg::perimeter(units[u].cell)));
        std::int32_t fixed = -1;
        g.fixed_part.push_back(fixed);
    }
    {
        std::vector<GraphEdge> edges;
        std::vector<std::vector<std::pair<std::uint32_t, double>>> via(n_units);
        for (const auto& e : unit_edges) {
            if (standalone[e.u] == 0 && standalone[e.v] == 0) {
                edges.push_back({static_cast<std::uint32_t>(gidx[e.u]),
                                 static_cast<std::uint32_t>(gidx[e.v]), e.cost, e.shared_m});
            } else if (standalone[e.u] != 0 && standalone[e.v] == 0) {
                via[e.u].emplace_back(static_cast<std::uint32_t>(gidx[e.v]), e.cost);
            } else if (standalone[e.v] != 0 && standalone[e.u] == 0) {
                via[e.v].emplace_back(static_cast<std::uint32_t>(gidx[e.u]), e.cost);
            }
        }
        for (std::uint32_t su = 0; su < n_units; ++su) {
            const auto& around = via[su];
            if (!closed_code[su].empty()) {
                continue;  // a kept grid is a wall: no pass-through edges across it
            }
            for (std::size_t i = 0; i < around.size(); ++i) {
                for (std::size_t j = i + 1; j < around.size(); ++j) {
                    edges.push_back({around[i].first, around[j].first,
                                     std::min(around[i].second, around[j].second), 0.0});
                }
            }
        }
        g.set_edges(std::move(edges));
    }

    // ---- existing plan and planner locks: today's grid codes are the initial plan, locked
    // buildings keep their grid (locked codes get the labels 0..L-1)
    std::uint32_t n_locked_labels = 0;
    {
        std::set<std::string> locked_codes;
        std::set<std::string> all_codes;
        for (const auto u : free_units) {
            for (const auto b : units[u].buildings) {
                const auto& bd = scene.buildings[b];
                if (!bd.grid_code.empty()) {
                    all_codes.insert(bd.grid_code);
                    if (bd.locked) {
                        locked_codes.insert(bd.grid_code);
                    }
                } else if (bd.locked) {
                    warn(out.ledger, bd.id, "locked_without_grid",
                         "building is locked but has no grid code; lock ignored", &bd.anchor);
                }
            }
        }
        if (!all_codes.empty()) {
            std::map<std::string, std::int32_t> label_of;
            for (const auto& c : locked_codes) {
                label_of.emplace(c, static_cast<std::int32_t>(label_of.size()));
            }
            for (const auto& c : all_codes) {
                label_of.emplace(c, static_cast<std::int32_t>(label_of.size()));
            }
            n_locked_labels = static_cast<std::uint32_t>(locked_codes.size());
            g.initial_part.assign(free_units.size(), -1);
            for (std::size_t i = 0; i < free_units.size(); ++i) {
                for (const auto b : units[free_units[i]].buildings) {
                    const auto& bd = scene.buildings[b];
                    if (bd.grid_code.empty()) {
                        continue;
                    }
                    const auto label = label_of.at(bd.grid_code);
                    if (g.initial_part[i] < 0) {
                        g.initial_part[i] = label;
                    }
                    if (bd.locked) {
                        g.fixed_part[i] = label;
                    }
                }
            }
        }
    }

    // ---- k and the optimiser
    double total_h = 0.0;
    for (const double h : g.households) {
        total_h += h;
    }
    rep.households = total_h;
    std::uint32_t k = 0;
    if (!free_units.empty()) {
        const auto lo = static_cast<std::int64_t>(std::ceil(total_h / band.max_households - 1e-9));
        const auto hi = static_cast<std::int64_t>(std::floor(total_h / band.min_households + 1e-9));
        if (fixed_k) {
            k = std::max(1U, *fixed_k);
            rep.k_reason = "planner override k=" + std::to_string(k);
        } else {
            k = choose_k(total_h, band, opt.k_policy);
            if (std::max<std::int64_t>(lo, 1) <= hi) {
                rep.k_reason = std::string{"policy "} + to_string(opt.k_policy) + " in " +
                               std::to_string(std::max<std::int64_t>(lo, 1)) + ".." +
                               std::to_string(hi) + " (H=" + core::fixed(total_h, 0) + ")";
            } else {
                rep.k_reason = "no k meets the band on average (H=" + core::fixed(total_h, 0) +
                               "); smaller violation";
            }
        }
        k = std::min<std::uint32_t>(k, static_cast<std::uint32_t>(free_units.size()));
        if (k < n_locked_labels) {
            k = n_locked_labels;
            rep.k_reason += "; raised to " + std::to_string(k) + " locked grids";
        }
    }
    OptimiserOptions oo = opt.optimiser;
    oo.max_population = opt.max_population;
    oo.seed = core::mix(opt.seed ^ core::fnv1a(comm.id));
    GraphPartition gp;
    if (k > 0) {
        gp = partition_graph(g, k, band, oo);
    }
    rep.k = gp.k;
    rep.target = gp.k > 0 ? total_h / gp.k : 0.0;
    rep.disconnected = gp.metrics.disconnected;
    rep.lower_bound = gp.certificate.deviation_lower_bound;
    rep.infeasible = !gp.certificate.band_feasible;
    rep.min_out_of_band = gp.certificate.min_out_of_band;
    rep.certificate = gp.certificate.reason;

    // ---- grids: regular 0..k-1, then one per standalone unit
    std::vector<std::uint32_t> grid_of_unit(n_units, 0);
    std::vector<GridKind> kinds(gp.k, GridKind::regular);
    for (std::uint32_t i = 0; i < free_units.size(); ++i) {
        grid_of_unit[free_units[i]] = gp.part[i];
    }
    std::map<std::string, std::uint32_t> closed_grid_index;
    double closed_h = 0.0;
    for (std::uint32_t u = 0; u < n_units; ++u) {
        if (standalone[u] != 0 && !closed_code[u].empty()) {
            auto [it, added] = closed_grid_index.emplace(closed_code[u],
                                                         static_cast<std::uint32_t>(kinds.size()));
            if (added) {
                kinds.push_back(GridKind::regular);
            }
            grid_of_unit[u] = it->second;
            closed_h += units[u].households;
        } else if (standalone[u] != 0) {
            grid_of_unit[u] = static_cast<std::uint32_t>(kinds.size());
            kinds.push_back(standalone_kind[u]);
        }
    }
    if (!closed_grid_index.empty()) {
        // Kept grids count as regular grids of the community (target over all of them).
        rep.k += static_cast<std::uint32_t>(closed_grid_index.size());
        rep.households += closed_h;
        rep.target = rep.k > 0 ? rep.households / rep.k : 0.0;
    }
    const auto n_grids = static_cast<std::uint32_t>(kinds.size());

    // ---- empty blocks join the grid they share the longest boundary with
    std::vector<std::int64_t> empty_grid(empty_faces.size(), -1);
    for (bool changed = true; changed;) {
        changed = false;
        std::vector<std::map<std::uint32_t, double>> score(empty_faces.size());
        for (const auto& t : touches) {
            if (empty_grid[t.empty] >= 0) {
                continue;
            }
            if (t.other < n_units) {
                score[t.empty][grid_of_unit[t.other]] += t.length;
            } else if (empty_grid[t.other - n_units] >= 0) {
                score[t.empty][static_cast<std::uint32_t>(empty_grid[t.other - n_units])] +=
                    t.length;
            }
        }
        for (std::size_t e = 0; e < empty_faces.size(); ++e) {
            if (empty_grid[e] >= 0 || score[e].empty()) {
                continue;
            }
            std::uint32_t best = 0;
            double best_len = -1.0;
            for (const auto& [gi, len] : score[e]) {
                if (len > best_len + 1e-9) {
                    best_len = len;
                    best = gi;
                }
            }
            empty_grid[e] = best;
            changed = true;
        }
    }
    for (std::size_t e = 0; e < empty_faces.size(); ++e) {
        if (empty_grid[e] >= 0) {
            continue;
        }
        // Isolated empty block: nearest unit's grid.
        core::Point c(0.0, 0.0);
        bg::centroid(blocks.faces[empty_faces[e]], c);
        double best = 1e300;
        for (std::uint32_t u = 0; u < n_units; ++u) {
            const double d = bg::comparable_distance(c, units[u].anchor);
            if (d < best) {
                best = d;
                empty_grid[e] = grid_of_unit[u];
            }
        }
    }

    // ---- polygons: whole blocks where a grid owns the block, else the union of its cells there
    std::vector<std::vector<core::MultiPolygon>> pieces(n_grids);
    std::vector<std::vector<std::uint32_t>> grids_in_face(n_faces);
    for (std::uint32_t f = 0; f < n_faces; ++f) {
        for (const auto u : units_of_face[f]) {
            grids_in_face[f].push_back(grid_of_unit[u]);
        }
        std::sort(grids_in_face[f].begin(), grids_in_face[f].end());
        grids_in_face[f].erase(std::unique(grids_in_face[f].begin(), grids_in_face[f].end()),
                               grids_in_face[f].end());
        if (grids_in_face[f].size() == 1) {
            pieces[grids_in_face[f][0]].push_back(core::MultiPolygon{blocks.faces[f]});
        } else {
            for (const auto gi : grids_in_face[f]) {
                std::vector<const core::MultiPolygon*> cells;
                for (const auto u : units_of_face[f]) {
                    if (grid_of_unit[u] == gi) {
                        cells.push_back(&units[u].cell);
                    }
                }
                pieces[gi].push_back(geom::coverage_union(cells));
            }
            ++rep.blocks_split;
        }
    }
    for (std::size_t e = 0; e < empty_faces.size(); ++e) {
        if (empty_grid[e] >= 0) {
            pieces[static_cast<std::size_t>(empty_grid[e])].push_back(empty_polys[e]);
        }
    }

    // ---- grid attributes
    out.grids.resize(n_grids);
    std::vector<core::Point> centroids(n_grids, core::Point(0.0, 0.0));
    for (std::uint32_t gi = 0; gi < n_grids; ++gi) {
        Grid& grid = out.grids[gi];
        grid.kind = kinds[gi];
        grid.community = ci;
        grid.street = comm.street;
        grid.community_code = rep.code;
        grid.community_name = comm.name;
        if (comm.street && *comm.street < scene.streets.size()) {
            grid.street_code = scene.streets[*comm.street].code;
            grid.street_name = scene.streets[*comm.street].name;
        }
        std::vector<const core::MultiPolygon*> refs;
        for (const auto& piece : pieces[gi]) {
            refs.push_back(&piece);
        }
        grid.area = geom::union_polygons(refs);
        drop_sliver_rings(grid.area);
        grid.area_m2 = bg::area(grid.area);
        const auto perim = static_cast<double>(bg::perimeter(grid.area));
        grid.polsby_popper = perim > 0 ? 4.0 * M_PI * grid.area_m2 / (perim * perim) : 0.0;
        if (!grid.area.empty()) {
            bg::centroid(grid.area, centroids[gi]);
        }
    }
    for (std::uint32_t u = 0; u < n_units; ++u) {
        Grid& grid = out.grids[grid_of_unit[u]];
        for (const auto b : units[u].buildings) {
            grid.buildings.push_back(b);
        }
        grid.households += units[u].households;
        grid.population += units[u].population;
        grid.estimated = grid.estimated || units[u].estimated;
    }
    for (std::uint32_t f = 0; f < n_faces; ++f) {
        if (grids_in_face[f].size() > 1) {
            for (const auto gi : grids_in_face[f]) {
                ++out.grids[gi].blocks_split;
            }
        }
    }
    double sum_dev = 0.0;
    for (auto& grid : out.grids) {
        std::sort(grid.buildings.begin(), grid.buildings.end());
        grid.in_band = band.contains(grid.households);
        grid.deviation = rep.target > 0 ? (grid.households - rep.target) / rep.target : 0.0;
        grid.part_timers_suggested = static_cast<int>(
            std::ceil(grid.households / std::max(1.0, opt.households_per_part_timer) - 1e-9));
        if (grid.kind == GridKind::regular) {
            rep.in_band += grid.in_band ? 1U : 0U;
            rep.worst_deviation = std::max(rep.worst_deviation, std::abs(grid.deviation));
            sum_dev += std::abs(grid.deviation);
        } else {
            ++rep.dedicated_grids;
        }
    }
    rep.grids = n_grids;
    rep.band_share = rep.k > 0 ? static_cast<double>(rep.in_band) / rep.k : 0.0;
    rep.mean_deviation = rep.k > 0 ? sum_dev / rep.k : 0.0;
    rep.lower_bound_gap = std::max(0.0, rep.worst_deviation - rep.lower_bound);

    // ---- codes: reading order
    const double row_h = std::sqrt(rep.area_m2 / std::max(1U, n_grids));
    const auto order = reading_order(centroids, box.max_corner().y(), row_h);
    std::vector<std::uint32_t> renumber(n_grids);
    for (std::uint32_t i = 0; i < order.size(); ++i) {
        renumber[order[i]] = i;
    }
    std::vector<KeptCode> kept;
    if (opt.keep_codes) {
        // Redraw: each grid inherits the existing code it shares the most households with.
        std::vector<std::map<std::string, double>> overlap(n_grids);
        std::set<std::string> existing;
        for (std::uint32_t u = 0; u < n_units; ++u) {
            for (const auto b : units[u].buildings) {
                const auto& bd = scene.buildings[b];
                if (!bd.grid_code.empty()) {
                    overlap[grid_of_unit[u]][bd.grid_code] += bd.households + 1e-6;
                    existing.insert(bd.grid_code);
                }
            }
        }
        for (const auto& r : opt.retired_codes) {
            if (r.rfind(rep.code, 0) == 0) {
                existing.insert(r);
            }
        }
        kept = keep_grid_codes(overlap, order, rep.code, existing);
        std::vector<std::uint32_t> by(n_grids);
        std::iota(by.begin(), by.end(), 0U);
        std::stable_sort(by.begin(), by.end(), [&](std::uint32_t x, std::uint32_t y) {
            return std::tie(kept[x].sequence, kept[x].code) <
                   std::tie(kept[y].sequence, kept[y].code);
        });
        for (std::uint32_t i = 0; i < n_grids; ++i) {
            renumber[by[i]] = i;
        }
    }
    std::vector<Grid> sorted(n_grids);
    for (std::uint32_t gi = 0; gi < n_grids; ++gi) {
        Grid& grid = out.grids[gi];
        if (opt.keep_codes) {
            grid.sequence = kept[gi].sequence;
            grid.code = kept[gi].code;
        } else {
            grid.sequence = renumber[gi] + 1;
            char seq[8];
            std::snprintf(seq, sizeof(seq), "%03u", grid.sequence % 1000U);
            grid.code = rep.code + seq;
        }
        sorted[renumber[gi]] = std::move(grid);
    }
    if (n_grids > 999) {
        warn(out.ledger, comm.id, "grid_sequence_overflow",
             std::to_string(n_grids) + " grids exceed the 3-digit sequence; codes repeat");
    }
    out.grids = std::move(sorted);
    for (std::uint32_t u = 0; u < n_units; ++u) {
        for (const auto b : units[u].buildings) {
            out.building_grid.emplace_back(b, renumber[grid_of_unit[u]]);
        }
    }

    // ---- ledger rows for out-of-band grids and infeasible communities
    if (rep.infeasible) {
        warn(out.ledger, comm.id, "band_infeasible",
             "the band " + core::fixed(band.min_households, 0) + "-" + core::fixed(band.max_households, 0) +
                 " cannot be met with k=" + std::to_string(rep.k) + ": " + rep.certificate);
    }
    for (const auto& grid : out.grids) {
        if (grid.kind == GridKind::regular && !grid.in_band) {
            warn(out.ledger, grid.code, "grid_out_of_band",
                 core::fixed(grid.households, 0) + " households outside " + core::fixed(band.min_households, 0) +
                     "-" + core::fixed(band.max_households, 0) +
                     (rep.infeasible ? " (certified: band infeasible)" : " (not certified)"));
        }
    }
    if (rep.disconnected > 0) {
        warn(out.ledger, comm.id, "grid_disconnected",
             std::to_string(rep.disconnected) + " grids are not connected (fixed units apart)");
    }

    // ---- tiling check
    std::vector<const core::MultiPolygon*> grid_areas;
    for (const auto& grid : out.grids) {
        rep.grids_area_m2 += grid.area_m2;
        grid_areas.push_back(&grid.area);
    }
    if (opt.check_tiling) {
        const auto cov = geom::check_coverage(grid_areas, comm.area);
        rep.overlap_m2 = cov.overlap_m2;
        rep.gap_m2 = cov.gap_m2;
        const double tol = 1e-6 * rep.area_m2 + 0.01;
        if (cov.overlap_m2 > tol || cov.gap_m2 > tol) {
            warn(out.ledger, comm.id, "grid_tiling",
                 "grids do not tile the community: gaps " + core::fixed(cov.gap_m2, 2) +
                     " m2, overlaps " + core::fixed(cov.overlap_m2, 2) + " m2");
        }
    } else {
        rep.gap_m2 = std::max(0.0, rep.area_m2 - rep.grids_area_m2);
    }
    return out;
}

}  // namespace

int road_rank(std::string_view road_class) {
    const std::string c = lower_ascii(road_class);
    if (contains_any(c, {"motorway", "trunk", "primary", "快速", "高速", "主干"})) {
        return 0;
    }
    if (contains_any(c, {"secondary", "次干"})) {
        return 1;
    }
    if (contains_any(c, {"tertiary", "支路"})) {
        return 2;
    }
    if (contains_any(c, {"residential", "unclassified", "living_street", "街巷"}) ||
        c == "road") {
        return 3;
    }
    return 4;
}

double road_cut_cost(int rank) {
    static constexpr double kCost[] = {1.0, 1.5, 2.0, 2.5, 4.0};
    return kCost[std::clamp(rank, 0, 4)];
}

std::string community_code12(const core::Community& community, bool& derived) {
    const std::string& c = community.code;
    const bool digits = !c.empty() && std::all_of(c.begin(), c.end(), [](char ch) {
        return ch >= '0' && ch <= '9';
    });
    if (digits && c.size() == 12) {
        derived = false;
        return c;
    }
    derived = true;
    const std::uint64_t h = core::fnv1a(community.id.empty() ? community.name : community.id);
    char buf[16];
    std::snprintf(buf, sizeof(buf), "9%011llu",
                  static_cast<unsigned long long>(h % 100000000000ULL));
    return buf;
}

std::vector<std::uint32_t> reading_order(const std::vector<core::Point>& centroids, double north_y,
                                         double row_height_m) {
    std::vector<std::uint32_t> order(centroids.size());
    std::iota(order.begin(), order.end(), 0U);
    const double h = row_height_m > 0 ? row_height_m : 1.0;
    auto row = [&](std::uint32_t i) {
        return static_cast<std::int64_t>(std::floor((north_y - centroids[i].y()) / h));
    };
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const auto ra = row(a);
        const auto rb = row(b);
        if (ra != rb) {
            return ra < rb;
        }
        if (centroids[a].x() != centroids[b].x()) {
            return centroids[a].x() < centroids[b].x();
        }
        return a < b;
    });
    return order;
}

Result partition_scene(const core::Scene& scene, const Options& options,
                       const core::ProgressFn& progress) {
    Result result;
    const auto n_comm = static_cast<std::uint32_t>(scene.communities.size());
    result.grid_of_building.assign(scene.buildings.size(), std::nullopt);
    // Index roads and barriers.
    SceneIndex index;
    std::vector<BoxEntry> road_boxes;
    index.road_rank.resize(scene.roads.size());
    for (std::uint32_t r = 0; r < scene.roads.size(); ++r) {
        index.road_rank[r] = road_rank(scene.roads[r].road_class);
        if (index.road_rank[r] <= options.block_road_max_rank && scene.roads[r].line.size() >= 2) {
            core::Box b;
            bg::envelope(scene.roads[r].line, b);
            road_boxes.emplace_back(b, r);
        }
    }
    index.roads = BoxTree(road_boxes.begin(), road_boxes.end());
    std::vector<BoxEntry> barrier_boxes;
    for (std::uint32_t r = 0; r < scene.barriers.size(); ++r) {
        if (scene.barriers[r].line.size() >= 2) {
            core::Box b;
            bg::envelope(scene.barriers[r].line, b);
            barrier_boxes.emplace_back(b, r);
        }
    }
    index.barriers = BoxTree(barrier_boxes.begin(), barrier_boxes.end());
    // Buildings per community.
    std::vector<std::vector<core::Index>> members(n_comm);
    for (core::Index b = 0; b < scene.buildings.size(); ++b) {
        const auto& c = scene.buildings[b].community;
        if (c && *c < n_comm) {
            members[*c].push_back(b);
        } else {
            warn(result.ledger, scene.buildings[b].id, "building_outside_communities",
                 "building is in no community; not assigned to a grid", &scene.buildings[b].anchor,
                 core::Action::skipped);
        }
    }
    core::report(progress, "partition",
                 "partitioning " + std::to_string(n_comm) + " communities");
    // Communities in parallel; results stored by index and merged in order.
    std::vector<CommunityOut> outs(n_comm);
    std::vector<std::exception_ptr> errors(n_comm);
    // Communities one at a time to whichever worker is free; each failure is kept per community
    // so the error reported is the first community's, whatever the thread count.
    core::parallel_items(n_comm, options.threads, [&](std::size_t i, unsigned /*worker*/) {
        try {
            outs[i] = solve_community(scene, static_cast<std::uint32_t>(i), members[i], index, options);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    });
    for (std::uint32_t i = 0; i < n_comm; ++i) {
        if (errors[i]) {
            try {
                std::rethrow_exception(errors[i]);
            } catch (const core::Error& e) {
                throw core::Error{e.code(), "partitioning community '" +
                                                scene.communities[i].id + "': " + e.what()};
            }
        }
    }
    // Merge.
    std::map<std::int64_t, StreetReport> streets;
    for (std::uint32_t i = 0; i < n_comm; ++i) {
        auto& o = outs[i];
        const auto base = static_cast<std::uint32_t>(result.grids.size());
        for (const auto& [b, gi] : o.building_grid) {
            result.grid_of_building[b] = base + gi;
        }
        for (auto& grid : o.grids) {
            result.grids.push_back(std::move(grid));
        }
        result.ledger.append(o.ledger);
        const auto& rep = o.report;
        const std::int64_t key = rep.street ? static_cast<std::int64_t>(*rep.street) : -1;
        StreetReport& s = streets[key];
        s.street = rep.street;
        if (rep.street && *rep.street < scene.streets.size()) {
            s.name = scene.streets[*rep.street].name;
            s.code = scene.streets[*rep.street].code;
        }
        ++s.communities;
        s.grids += rep.grids;
        s.regular_grids += rep.k;
        s.in_band += rep.in_band;
        s.worst_deviation = std::max(s.worst_deviation, rep.worst_deviation);
        s.mean_deviation += rep.mean_deviation * rep.k;  // weighted sum, divided below
        s.worst_lower_bound_gap = std::max(s.worst_lower_bound_gap, rep.lower_bound_gap);
        s.disconnected += rep.disconnected;
        s.infeasible_communities += rep.infeasible ? 1U : 0U;
        result.communities.push_back(rep);
    }
    for (auto& [key, s] : streets) {
        s.band_share = s.regular_grids > 0 ? static_cast<double>(s.in_band) / s.regular_grids : 0;
        s.mean_deviation = s.regular_grids > 0 ? s.mean_deviation / s.regular_grids : 0.0;
        result.streets.push_back(s);
    }
    core::report(progress, "partition",
                 std::to_string(result.grids.size()) + " grids in " + std::to_string(n_comm) +
                     " communities");
    return result;
}

}  // namespace gridplan::partition
