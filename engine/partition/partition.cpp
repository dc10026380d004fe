// Scene-level grid partitioning (docs/partition.md, "Pipeline per community"): the driver per
// community (`start_community`: steps 1-5, `finish_community`: steps 6-9), steps 6-7
// (balancing graph, existing plan and locks, k, the optimiser) and the scene driver
// (`partition_scene`: index, communities in parallel, merge). Steps 1-5 are in units.cpp,
// steps 8-9 in grids.cpp.

#include "partition/partition.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "core/disjoint_sets.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "partition/detail/community.hpp"

namespace gridplan::partition {

namespace bg = boost::geometry;

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

namespace detail {

void warn(core::Ledger& ledger,
          std::string source_id,
          std::string reason,
          std::string detail,
          const core::Point* at,
          core::Action action) {
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

namespace {

/// The band and k of one community: the global ones unless an override (keyed by community id
/// or code) replaces them.
struct CommunitySettings {
    Band band;
    std::optional<std::uint32_t> fixed_k;
};

CommunitySettings community_settings(const core::Community& comm, const Options& opt) {
    CommunitySettings settings{opt.band, std::nullopt};
    for (const auto* key : {&comm.id, &comm.code}) {
        if (key->empty()) {
            continue;
        }
        auto it = opt.overrides.find(*key);
        if (it != opt.overrides.end()) {
            if (it->second.band) {
                settings.band = *it->second.band;
            }
            if (it->second.k) {
                settings.fixed_k = it->second.k;
            }
        }
    }
    return settings;
}

/// Units outside balancing: closed (kept) grids in redraw, dedicated institutions, and units
/// above the band's maximum.
struct StandaloneUnits {
    std::vector<char> standalone;          ///< per unit
    std::vector<GridKind> kind;            ///< per unit: dedicated, oversized or regular
    std::vector<std::string> closed_code;  ///< redraw: grid kept exactly as it is
};

/// One `dedicated_grid` row per institution site (at its first unit), with its buildings.
void dedicated_site_rows(const core::Scene& scene,
                         const CommunityUnits& cu,
                         const StandaloneUnits& s,
                         core::Ledger& ledger) {
    std::map<std::int32_t, std::pair<std::uint32_t, std::size_t>> first_and_buildings;
    for (std::uint32_t u = 0; u < cu.unit_count(); ++u) {
        if (s.kind[u] == GridKind::dedicated && s.closed_code[u].empty()) {
            auto [it, added] = first_and_buildings.emplace(
                cu.site_of_unit[u], std::pair<std::uint32_t, std::size_t>{u, 0});
            it->second.second += cu.units[u].buildings.size();
        }
    }
    std::vector<std::pair<std::uint32_t, std::size_t>> rows;
    for (const auto& [site, row] : first_and_buildings) {
        rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end());
    for (const auto& [u, n] : rows) {
        warn(ledger,
             scene.buildings[cu.units[u].buildings.front()].id,
             "dedicated_grid",
             "institution site of " + std::to_string(n) + (n == 1 ? " building" : " buildings") +
                 " forms its own grid (专属网格), excluded from balancing",
             &cu.units[u].anchor);
    }
}

StandaloneUnits standalone_units(const core::Scene& scene,
                                 const CommunityUnits& cu,
                                 const Band& band,
                                 const Options& opt,
                                 core::Ledger& ledger) {
    const auto n_units = cu.unit_count();
    const auto& units = cu.units;
    StandaloneUnits s;
    s.standalone.assign(n_units, 0);
    s.kind.assign(n_units, GridKind::regular);
    s.closed_code.resize(n_units);
    for (std::uint32_t u = 0; u < n_units; ++u) {
        if (!opt.closed_grids.empty()) {
            for (const auto b : units[u].buildings) {
                const auto& code = scene.buildings[b].grid_code;
                if (!code.empty() && opt.closed_grids.count(code) != 0) {
                    s.closed_code[u] = code;
                    break;
                }
            }
        }
        if (!s.closed_code[u].empty()) {
            s.standalone[u] = 1;  // a closed grid's unit: kept in its grid, outside balancing
        } else if (units[u].dedicated) {
            s.standalone[u] = 1;
            s.kind[u] = GridKind::dedicated;
        } else if (units[u].households > band.max_households) {
            s.standalone[u] = 1;
            s.kind[u] = GridKind::oversized;
            warn(ledger,
                 scene.buildings[units[u].buildings.front()].id,
                 "oversized_building",
                 core::fixed(units[u].households, 0) + " households exceed the band maximum " +
                     core::fixed(band.max_households, 0) +
                     "; no entrance/unit (单元) data to split it, so it forms its own grid",
                 &units[u].anchor);
        }
    }
    dedicated_site_rows(scene, cu, s, ledger);
    return s;
}

/// The graph the optimiser balances: the free (not standalone) units; a standalone unit's
/// neighbours become pairwise adjacent (pass-through edges), except around a kept grid.
struct BalancingGraph {
    StandaloneUnits standalone;
    std::vector<std::uint32_t> free_units;  ///< graph node -> unit
    UnitGraph graph;
    std::uint32_t locked_labels = 0;  ///< locked grid codes (labels 0..locked_labels-1)
};

/// Edges of the free units, plus pass-through edges around standalone units only where the
/// free units would otherwise fall apart: a grid joined past an institution cannot be drawn in
/// one piece (the institution's grid lies between), so the optimiser gets such an edge only
/// when removing the institution cuts the compound around it (regress_15_multipart_grids).
std::vector<GraphEdge> balancing_edges(const CommunityUnits& cu,
                                       const StandaloneUnits& s,
                                       const std::vector<std::int64_t>& gidx,
                                       std::uint32_t n_free) {
    const auto n_units = cu.unit_count();
    const auto& standalone = s.standalone;
    std::vector<GraphEdge> edges;
    core::DisjointSets joined(n_free);
    std::vector<std::vector<std::pair<std::uint32_t, double>>> via(n_units);
    for (const auto& e : cu.unit_edges) {
        if (standalone[e.u] == 0 && standalone[e.v] == 0) {
            edges.push_back({static_cast<std::uint32_t>(gidx[e.u]),
                             static_cast<std::uint32_t>(gidx[e.v]),
                             e.cost,
                             e.shared_m});
            joined.join_under_smaller(edges.back().u, edges.back().v);
        } else if (standalone[e.u] != 0 && standalone[e.v] == 0) {
            via[e.u].emplace_back(static_cast<std::uint32_t>(gidx[e.v]), e.cost);
        } else if (standalone[e.v] != 0 && standalone[e.u] == 0) {
            via[e.v].emplace_back(static_cast<std::uint32_t>(gidx[e.u]), e.cost);
        }
    }
    for (std::uint32_t su = 0; su < n_units; ++su) {
        auto& around = via[su];
        if (!s.closed_code[su].empty() || around.empty()) {
            continue;  // a kept grid is a wall: no pass-through edges across it
        }
        std::sort(around.begin(), around.end());
        for (std::size_t i = 1; i < around.size(); ++i) {
            if (joined.find(around[0].first) != joined.find(around[i].first)) {
                edges.push_back({around[0].first,
                                 around[i].first,
                                 std::min(around[0].second, around[i].second),
                                 0.0});
                joined.join_under_smaller(around[0].first, around[i].first);
            }
        }
    }
    return edges;
}

/// Step 6: standalone units removed from the balancing graph, with pass-through edges.
BalancingGraph balancing_graph(const core::Scene& scene,
                               const CommunityUnits& cu,
                               const Band& band,
                               const Options& opt,
                               core::Ledger& ledger) {
    const auto n_units = cu.unit_count();
    BalancingGraph bal;
    bal.standalone = standalone_units(scene, cu, band, opt, ledger);
    std::vector<std::int64_t> gidx(n_units, -1);
    for (std::uint32_t u = 0; u < n_units; ++u) {
        if (bal.standalone.standalone[u] == 0) {
            gidx[u] = static_cast<std::int64_t>(bal.free_units.size());
            bal.free_units.push_back(u);
        }
    }
    UnitGraph& g = bal.graph;
    for (const auto u : bal.free_units) {
        const Unit& unit = cu.units[u];
        g.households.push_back(unit.households);
        g.population.push_back(unit.population);
        g.position.push_back(unit.anchor);
        g.block.push_back(unit.face);
        g.area_m2.push_back(bg::area(unit.cell));
        g.perimeter_m.push_back(static_cast<double>(bg::perimeter(unit.cell)));
        g.fixed_part.push_back(-1);
    }
    g.set_edges(balancing_edges(
        cu, bal.standalone, gidx, static_cast<std::uint32_t>(bal.free_units.size())));
    return bal;
}

/// Existing plan and planner locks: today's grid codes are the initial plan, locked buildings
/// keep their grid (locked codes get the labels 0..L-1).
void existing_plan_and_locks(const core::Scene& scene,
                             const CommunityUnits& cu,
                             BalancingGraph& bal,
                             core::Ledger& ledger) {
    UnitGraph& g = bal.graph;
    std::set<std::string> locked_codes;
    std::set<std::string> all_codes;
    for (const auto u : bal.free_units) {
        for (const auto b : cu.units[u].buildings) {
            const auto& bd = scene.buildings[b];
            if (!bd.grid_code.empty()) {
                all_codes.insert(bd.grid_code);
                if (bd.locked) {
                    locked_codes.insert(bd.grid_code);
                }
            } else if (bd.locked) {
                warn(ledger,
                     bd.id,
                     "locked_without_grid",
                     "building is locked but has no grid code; lock ignored",
                     &bd.anchor);
            }
        }
    }
    if (all_codes.empty()) {
        return;
    }
    std::map<std::string, std::int32_t> label_of;
    for (const auto& c : locked_codes) {
        label_of.emplace(c, static_cast<std::int32_t>(label_of.size()));
    }
    for (const auto& c : all_codes) {
        label_of.emplace(c, static_cast<std::int32_t>(label_of.size()));
    }
    bal.locked_labels = static_cast<std::uint32_t>(locked_codes.size());
    g.initial_part.assign(bal.free_units.size(), -1);
    for (std::size_t i = 0; i < bal.free_units.size(); ++i) {
        for (const auto b : cu.units[bal.free_units[i]].buildings) {
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

/// Step 7a: k by the planner's override or the policy, capped by the number of units and
/// raised to the number of locked grids; records the households and the reason in the report.
std::uint32_t community_k(const BalancingGraph& bal,
                          const CommunitySettings& settings,
                          const Options& opt,
                          CommunityReport& rep) {
    const Band& band = settings.band;
    double total_h = 0.0;
    for (const double h : bal.graph.households) {
        total_h += h;
    }
    rep.households = total_h;
    if (bal.free_units.empty()) {
        return 0;
    }
    std::uint32_t k = 0;
    const auto lo = static_cast<std::int64_t>(std::ceil(total_h / band.max_households - 1e-9));
    const auto hi = static_cast<std::int64_t>(std::floor(total_h / band.min_households + 1e-9));
    if (settings.fixed_k) {
        k = std::max(1U, *settings.fixed_k);
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
    k = std::min<std::uint32_t>(k, static_cast<std::uint32_t>(bal.free_units.size()));
    if (k < bal.locked_labels) {
        k = bal.locked_labels;
        rep.k_reason += "; raised to " + std::to_string(k) + " locked grids";
    }
    return k;
}

/// Step 7b: the optimiser with seed = mix(seed, FNV-1a(community id)); its k, target,
/// certificate and connectivity go into the report.
GraphPartition optimise(const BalancingGraph& bal,
                        std::uint32_t k,
                        const Band& band,
                        const Options& opt,
                        CommunityReport& rep) {
    OptimiserOptions oo = opt.optimiser;
    oo.max_population = opt.max_population;
    oo.seed = core::mix(opt.seed ^ core::fnv1a(rep.id));
    GraphPartition gp;
    if (k > 0) {
        gp = partition_graph(bal.graph, k, band, oo);
    }
    rep.k = gp.k;
    rep.target = gp.k > 0 ? rep.households / gp.k : 0.0;
    rep.locked_apart = gp.metrics.disconnected;
    rep.lower_bound = gp.certificate.deviation_lower_bound;
    rep.infeasible = !gp.certificate.band_feasible;
    rep.min_out_of_band = gp.certificate.min_out_of_band;
    rep.certificate = gp.certificate.reason;
    return gp;
}

/// Grids: regular 0..k-1 from the optimiser, then one per kept (closed) grid code and one per
/// other standalone unit. Kept grids count as regular grids of the community.
GridAssignment assign_grids(const CommunityUnits& cu,
                            const BalancingGraph& bal,
                            const GraphPartition& gp,
                            CommunityReport& rep) {
    const auto n_units = cu.unit_count();
    const auto& s = bal.standalone;
    GridAssignment a;
    a.grid_of_unit.assign(n_units, 0);
    a.kinds.assign(gp.k, GridKind::regular);
    for (std::uint32_t i = 0; i < bal.free_units.size(); ++i) {
        a.grid_of_unit[bal.free_units[i]] = gp.part[i];
    }
    std::map<std::string, std::uint32_t> closed_grid_index;
    std::map<std::int32_t, std::uint32_t> site_grid_index;  ///< institution site -> grid
    double closed_h = 0.0;
    for (std::uint32_t u = 0; u < n_units; ++u) {
        if (s.standalone[u] != 0 && !s.closed_code[u].empty()) {
            auto [it, added] = closed_grid_index.emplace(
                s.closed_code[u], static_cast<std::uint32_t>(a.kinds.size()));
            if (added) {
                a.kinds.push_back(GridKind::regular);
            }
            a.grid_of_unit[u] = it->second;
            closed_h += cu.units[u].households;
        } else if (s.standalone[u] != 0 && s.kind[u] == GridKind::dedicated) {
            // one dedicated grid per institution site, not per building
            auto [it, added] = site_grid_index.emplace(cu.site_of_unit[u],
                                                       static_cast<std::uint32_t>(a.kinds.size()));
            if (added) {
                a.kinds.push_back(GridKind::dedicated);
            }
            a.grid_of_unit[u] = it->second;
        } else if (s.standalone[u] != 0) {
            a.grid_of_unit[u] = static_cast<std::uint32_t>(a.kinds.size());
            a.kinds.push_back(s.kind[u]);
        }
    }
    if (!closed_grid_index.empty()) {
        // Kept grids count as regular grids of the community (target over all of them).
        rep.k += static_cast<std::uint32_t>(closed_grid_index.size());
        rep.households += closed_h;
        rep.target = rep.k > 0 ? rep.households / rep.k : 0.0;
    }
    return a;
}

/// The report's identity fields (names, code, band, area, buildings); a derived code is noted
/// in the ledger.
void start_report(const core::Scene& scene,
                  core::Index ci,
                  std::size_t buildings,
                  const Band& band,
                  CommunityOut& out) {
    const core::Community& comm = scene.communities[ci];
    CommunityReport& rep = out.report;
    rep.community = ci;
    rep.id = comm.id;
    rep.name = comm.name;
    rep.street = comm.street;
    rep.code = community_code12(comm, rep.code_derived);
    if (rep.code_derived) {
        warn(out.ledger,
             comm.id,
             "community_code_derived",
             "community has no 12-digit code" +
                 (comm.code_derived ? std::string{} : " ('" + comm.code + "')") +
                 "; grid codes use derived " + rep.code + " ('9' + 11 digits of a hash of the id)");
    }
    rep.band = band;
    rep.area_m2 = bg::area(comm.area);
    rep.buildings = static_cast<std::uint32_t>(buildings);
}

}  // namespace

CommunityStart start_community(const core::Scene& scene,
                               core::Index ci,
                               const std::vector<core::Index>& bldgs,
                               const SceneIndex& index,
                               const Options& opt) {
    CommunityStart start;
    CommunityOut& out = start.out;
    const core::Community& comm = scene.communities[ci];
    const CommunitySettings settings = community_settings(comm, opt);
    start_report(scene, ci, bldgs.size(), settings.band, out);
    if (bldgs.empty()) {
        warn(out.ledger,
             comm.id,
             "community_without_buildings",
             "no buildings: no grids drawn, community area not covered");
        out.report.gap_m2 = out.report.area_m2;
        return start;
    }
    start.units = community_units(scene, comm, bldgs, index, opt, out.ledger);
    out.report.blocks = start.units->face_count();
    return start;
}

CommunityOut finish_community(const core::Scene& scene,
                              core::Index ci,
                              const CommunityStart& start,
                              const Options& opt) {
    CommunityOut out = start.out;
    if (!start.units) {
        return out;
    }
    const CommunityUnits& cu = *start.units;
    const CommunitySettings settings = community_settings(scene.communities[ci], opt);
    out.report.band = settings.band;
    BalancingGraph bal = balancing_graph(scene, cu, settings.band, opt, out.ledger);
    existing_plan_and_locks(scene, cu, bal, out.ledger);
    const std::uint32_t k = community_k(bal, settings, opt, out.report);
    const GraphPartition gp = optimise(bal, k, settings.band, opt, out.report);
    const GridAssignment assignment = assign_grids(cu, bal, gp, out.report);
    assemble_grids(scene, ci, cu, assignment, settings.band, opt, out);
    return out;
}

/// Roads that split blocks (rank ≤ block_road_max_rank) and all barriers, in R-trees.
SceneIndex scene_index(const core::Scene& scene, const Options& options) {
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
    return index;
}

/// Buildings per community; a building without a community is skipped (ledger).
std::vector<std::vector<core::Index>> buildings_by_community(const core::Scene& scene,
                                                             core::Ledger& ledger) {
    const auto n_comm = static_cast<std::uint32_t>(scene.communities.size());
    std::vector<std::vector<core::Index>> members(n_comm);
    for (core::Index b = 0; b < scene.buildings.size(); ++b) {
        const auto& c = scene.buildings[b].community;
        if (c && *c < n_comm) {
            members[*c].push_back(b);
        } else {
            warn(ledger,
                 scene.buildings[b].id,
                 "building_outside_communities",
                 "building is in no community; not assigned to a grid",
                 &scene.buildings[b].anchor,
                 core::Action::skipped);
        }
    }
    return members;
}

void solve_in_parallel(const core::Scene& scene,
                       const std::vector<core::Index>& which,
                       int threads,
                       const std::function<void(core::Index)>& solve) {
    std::vector<std::exception_ptr> errors(which.size());
    core::parallel_items(which.size(), threads, [&](std::size_t i, unsigned /*worker*/) {
        try {
            solve(which[i]);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    });
    for (std::size_t i = 0; i < which.size(); ++i) {
        if (errors[i]) {
            try {
                std::rethrow_exception(errors[i]);
            } catch (const core::Error& e) {
                throw core::Error{
                    e.code(),
                    "partitioning community '" + scene.communities[which[i]].id + "': " + e.what()};
            }
        }
    }
}

namespace {

/// Adds one community's report to its street's.
void add_to_street(const core::Scene& scene, const CommunityReport& rep, StreetReport& s) {
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
}

}  // namespace

/// Merges the communities in community order: grids, building -> grid, ledgers, community and
/// street reports.
void merge_communities(const core::Scene& scene, std::vector<CommunityOut>& outs, Result& result) {
    std::map<std::int64_t, StreetReport> streets;
    result.group_of_building.assign(scene.buildings.size(), std::nullopt);
    for (auto& o : outs) {
        const auto base = static_cast<std::uint32_t>(result.grids.size());
        for (const auto& [b, gi] : o.building_grid) {
            result.grid_of_building[b] = base + gi;
        }
        for (auto& grid : o.grids) {
            result.grids.push_back(std::move(grid));
        }
        const auto group_base = static_cast<std::uint32_t>(result.groups.size());
        for (const auto& [b, gi] : o.building_group) {
            result.group_of_building[b] = group_base + gi;
        }
        for (auto& group : o.groups) {
            group.grid += base;
            result.groups.push_back(std::move(group));
        }
        result.ledger.append(o.ledger);
        const auto& rep = o.report;
        const std::int64_t key = rep.street ? static_cast<std::int64_t>(*rep.street) : -1;
        add_to_street(scene, rep, streets[key]);
        result.communities.push_back(rep);
    }
    for (auto& [key, s] : streets) {
        s.band_share = s.regular_grids > 0 ? static_cast<double>(s.in_band) / s.regular_grids : 0;
        s.mean_deviation = s.regular_grids > 0 ? s.mean_deviation / s.regular_grids : 0.0;
        result.streets.push_back(s);
    }
}

}  // namespace detail

namespace {

bool contains_any(const std::string& s, std::initializer_list<const char*> needles) {
    for (const char* n : needles) {
        if (s.find(n) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

int road_rank(std::string_view road_class) {
    const std::string c = core::ascii_lower(road_class);
    if (contains_any(c, {"motorway", "trunk", "primary", "快速", "高速", "主干"})) {
        return 0;
    }
    if (contains_any(c, {"secondary", "次干"})) {
        return 1;
    }
    if (contains_any(c, {"tertiary", "支路"})) {
        return 2;
    }
    if (contains_any(c, {"residential", "unclassified", "living_street", "街巷"}) || c == "road") {
        return 3;
    }
    return 4;
}

double road_cut_cost(int rank) {
    static constexpr double kCost[] = {1.0, 1.5, 2.0, 2.5, 4.0};
    return kCost[std::clamp(rank, 0, 4)];
}

std::string community_code12(const core::Community& community, bool& derived) {
    if (!community.code_derived &&
        core::is_statistical_code(community.code, core::kCommunityCodeDigits)) {
        derived = false;
        return community.code;
    }
    derived = true;
    if (community.code_derived) {
        return community.code;  // derived when read (core::assign_codes)
    }
    return core::derived_code(community.id.empty() ? community.name : community.id,
                              core::kCommunityCodeDigits);
}

std::vector<std::uint32_t> reading_order(const std::vector<core::Point>& centroids,
                                         double north_y,
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

Result partition_scene(const core::Scene& scene,
                       const Options& options,
                       const core::ProgressFn& progress) {
    Result result;
    const auto n_comm = static_cast<std::uint32_t>(scene.communities.size());
    result.grid_of_building.assign(scene.buildings.size(), std::nullopt);
    const detail::SceneIndex index = detail::scene_index(scene, options);
    const auto members = detail::buildings_by_community(scene, result.ledger);
    core::report(progress, "partition", "partitioning " + std::to_string(n_comm) + " communities");
    std::vector<detail::CommunityOut> outs(n_comm);
    std::vector<core::Index> all(n_comm);
    std::iota(all.begin(), all.end(), 0U);
    detail::solve_in_parallel(scene, all, options.threads, [&](core::Index c) {
        outs[c] = detail::finish_community(
            scene, c, detail::start_community(scene, c, members[c], index, options), options);
    });
    detail::merge_communities(scene, outs, result);
    core::report(progress,
                 "partition",
                 std::to_string(result.grids.size()) + " grids in " + std::to_string(n_comm) +
                     " communities");
    return result;
}

}  // namespace gridplan::partition
