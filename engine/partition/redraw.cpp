// Redraw mode: today's plan → locks and edits → minimal-change rebalance → diff.
// docs/redraw.md describes every step; `redraw_scene` (at the end) is the outline.

#include "partition/redraw.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <numeric>
#include <sstream>
#include <tuple>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "partition/detail/replay.hpp"

namespace gridplan::partition {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

const char* to_string(EditKind kind) noexcept {
    switch (kind) {
        case EditKind::move:
            return "move";
        case EditKind::split:
            return "split";
        case EditKind::merge:
            return "merge";
        case EditKind::lock:
            return "lock";
        case EditKind::unlock:
            return "unlock";
    }
    return "move";
}

namespace {

using BoxEntry = std::pair<core::Box, std::uint32_t>;
using BoxTree = bgi::rtree<BoxEntry, bgi::quadratic<16>>;

void note(core::Ledger& ledger,
          std::string source_id,
          std::string reason,
          std::string detail,
          const core::Point* at = nullptr) {
    core::LedgerEntry e;
    e.layer = "redraw";
    e.source_id = std::move(source_id);
    e.reason = std::move(reason);
    e.action = core::Action::warned;
    e.detail = std::move(detail);
    if (at != nullptr) {
        e.x = at->x();
        e.y = at->y();
    }
    ledger.add(std::move(e));
}

[[noreturn]] void refuse(const std::string& message) {
    throw core::Error{core::Errc::invalid_input, message};
}

[[noreturn]] void malformed(const std::string& message) {
    throw core::Error{core::Errc::usage, message};
}

/// The band of a community (global band or its override by id or code).
Band band_of(const core::Community& comm, const Options& opt) {
    Band band = opt.band;
    for (const auto* key : {&comm.id, &comm.code}) {
        if (key->empty()) {
            continue;
        }
        auto it = opt.overrides.find(*key);
        if (it != opt.overrides.end() && it->second.band) {
            band = *it->second.band;
        }
    }
    return band;
}

bool user_fixed_k(const core::Community& comm, const Options& opt) {
    for (const auto* key : {&comm.id, &comm.code}) {
        if (key->empty()) {
            continue;
        }
        auto it = opt.overrides.find(*key);
        if (it != opt.overrides.end() && it->second.k) {
            return true;
        }
    }
    return false;
}

std::string community_label(const core::Scene& scene, core::Index c) {
    const auto& comm = scene.communities[c];
    return "'" + (comm.name.empty() ? comm.id : comm.name) + "'";
}

/// Distance from p to the polyline and the side (+1 left, -1 right) of its nearest segment.
std::pair<double, int> distance_and_side(const core::Point& p, const core::LineString& line) {
    double best = 1e300;
    int side = 0;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        const double ax = line[i].x();
        const double ay = line[i].y();
        const double dx = line[i + 1].x() - ax;
        const double dy = line[i + 1].y() - ay;
        const double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? ((p.x() - ax) * dx + (p.y() - ay) * dy) / len2 : 0.0;
        t = std::clamp(t, 0.0, 1.0);
        const double qx = ax + t * dx - p.x();
        const double qy = ay + t * dy - p.y();
        const double d = std::sqrt(qx * qx + qy * qy);
        if (d < best) {
            best = d;
            const double cross = dx * (p.y() - ay) - dy * (p.x() - ax);
            side = cross >= 0 ? 1 : -1;
        }
    }
    return {best, side};
}

/// Locks the buildings that flank a grid boundary along the named road: buildings within
/// `distance_m` of the road whose grid differs from a building on the other side nearby.
std::size_t lock_along_road(const core::Scene& scene,
                            const std::string& road,
                            double distance_m,
                            const std::vector<std::string>& code,
                            std::vector<char>& locked) {
    struct Near {
        core::Index building;
        int side;
    };
    std::vector<const core::LineString*> lines;
    for (const auto& r : scene.roads) {
        if (r.name == road && r.line.size() >= 2) {
            lines.push_back(&r.line);
        }
    }
    if (lines.empty()) {
        refuse("locking the grid boundaries along road '" + road + "': no road has this name");
    }
    std::vector<Near> near;
    for (core::Index b = 0; b < scene.buildings.size(); ++b) {
        if (code[b].empty()) {
            continue;
        }
        double best = 1e300;
        int side = 0;
        for (const auto* line : lines) {
            const auto [d, s] = distance_and_side(scene.buildings[b].anchor, *line);
            if (d < best) {
                best = d;
                side = s;
            }
        }
        if (best <= distance_m) {
            near.push_back({b, side});
        }
    }
    std::size_t count = 0;
    const double reach2 = (4.0 * distance_m) * (4.0 * distance_m);
    for (std::size_t i = 0; i < near.size(); ++i) {
        for (std::size_t j = i + 1; j < near.size(); ++j) {
            const auto bi = near[i].building;
            const auto bj = near[j].building;
            if (near[i].side == near[j].side || code[bi] == code[bj] ||
                bg::comparable_distance(scene.buildings[bi].anchor, scene.buildings[bj].anchor) >
                    reach2) {
                continue;
            }
            for (const auto b : {bi, bj}) {
                if (locked[b] == 0) {
                    locked[b] = 1;
                    ++count;
                }
            }
        }
    }
    return count;
}

/// Number of pieces of a grid's polygon that hold at least one of its buildings' anchors.
std::size_t occupied_pieces(const core::Scene& scene, const Grid& grid) {
    std::size_t pieces = 0;
    for (const auto& poly : grid.area) {
        for (const auto b : grid.buildings) {
            if (bg::covered_by(scene.buildings[b].anchor, poly)) {
                ++pieces;
                break;
            }
        }
    }
    return pieces;
}

}  // namespace

std::optional<std::uint32_t> code_sequence(const std::string& code,
                                           const std::string& community_code12) {
    if (code.size() != community_code12.size() + 3 || code.rfind(community_code12, 0) != 0) {
        return std::nullopt;
    }
    std::uint32_t seq = 0;
    for (std::size_t i = community_code12.size(); i < code.size(); ++i) {
        if (code[i] < '0' || code[i] > '9') {
            return std::nullopt;
        }
        seq = seq * 10 + static_cast<std::uint32_t>(code[i] - '0');
    }
    return seq;
}

std::vector<KeptCode> keep_grid_codes(const std::vector<std::map<std::string, double>>& overlap,
                                      const std::vector<std::uint32_t>& reading_order,
                                      const std::string& community_code12,
                                      const std::set<std::string>& existing_codes) {
    const auto n = static_cast<std::uint32_t>(overlap.size());
    struct Pair {
        double shared;
        std::string code;
        std::uint32_t grid;
    };
    std::vector<Pair> pairs;
    for (std::uint32_t g = 0; g < n; ++g) {
        for (const auto& [code, h] : overlap[g]) {
            if (h > 0.0) {
                pairs.push_back({h, code, g});
            }
        }
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
        if (a.shared != b.shared) {
            return a.shared > b.shared;
        }
        return std::tie(a.code, a.grid) < std::tie(b.code, b.grid);
    });
    std::vector<KeptCode> out(n);
    std::set<std::string> used;
    for (const auto& p : pairs) {
        if (out[p.grid].kept || used.count(p.code) != 0) {
            continue;
        }
        out[p.grid].kept = true;
        out[p.grid].code = p.code;
        out[p.grid].sequence = code_sequence(p.code, community_code12).value_or(0);
        used.insert(p.code);
    }
    std::uint32_t next = 0;
    for (const auto& c : existing_codes) {
        next = std::max(next, code_sequence(c, community_code12).value_or(0));
    }
    for (const auto g : reading_order) {
        if (g >= n || out[g].kept) {
            continue;
        }
        ++next;
        char seq[16];
        std::snprintf(seq, sizeof(seq), "%03u", next % 1000U);
        out[g].code = community_code12 + seq;
        out[g].sequence = next;
    }
    return out;
}

std::vector<std::string> existing_grid_codes(const core::Scene& scene, core::Ledger& ledger) {
    std::vector<std::string> code(scene.buildings.size());
    std::vector<BoxEntry> boxes;
    for (std::uint32_t i = 0; i < scene.grids.size(); ++i) {
        const auto& g = scene.grids[i];
        if (g.code.empty()) {
            note(ledger,
                 g.id,
                 "grid_without_code",
                 "grid polygon has no grid code; its buildings are in no grid of today's plan");
            continue;
        }
        core::Box box;
        bg::envelope(g.area, box);
        boxes.emplace_back(box, i);
    }
    const BoxTree tree(boxes.begin(), boxes.end());
    auto by_index = [](const BoxEntry& a, const BoxEntry& b) { return a.second < b.second; };
    for (core::Index b = 0; b < scene.buildings.size(); ++b) {
        const auto& bd = scene.buildings[b];
        if (!bd.grid_code.empty()) {
            code[b] = bd.grid_code;  // the building's own field (a building→grid table) wins
            continue;
        }
        if (boxes.empty()) {
            continue;
        }
        std::vector<BoxEntry> hits;
        tree.query(bgi::intersects(bd.anchor), std::back_inserter(hits));
        std::sort(hits.begin(), hits.end(), by_index);
        for (const auto& [box, i] : hits) {
            if (bg::covered_by(bd.anchor, scene.grids[i].area)) {
                code[b] = scene.grids[i].code;
                break;
            }
        }
        if (!code[b].empty()) {
            continue;
        }
        // Anchor in no grid: the grid overlapping most of the footprint.
        core::Box fb;
        bg::envelope(bd.footprint, fb);
        hits.clear();
        tree.query(bgi::intersects(fb), std::back_inserter(hits));
        std::sort(hits.begin(), hits.end(), by_index);
        double best = 0.0;
        for (const auto& [box, i] : hits) {
            core::MultiPolygon common;
            try {
                bg::intersection(bd.footprint, scene.grids[i].area, common);
            } catch (const std::exception&) {
                continue;  // Boost.Geometry overlay failure on this pair: no overlap counted
            }
            const double a = bg::area(common);
            if (a > best + 1e-9) {
                best = a;
                code[b] = scene.grids[i].code;
            }
        }
        if (code[b].empty() && bd.community) {
            note(ledger,
                 bd.id,
                 "building_outside_grids",
                 "building lies in no grid of today's plan; the redraw assigns it",
                 &bd.anchor);
        }
    }
    return code;
}

std::uint32_t redraw_k(double households, std::uint32_t k_today, const Band& band) {
    const auto lo = std::max<std::int64_t>(
        static_cast<std::int64_t>(std::ceil(households / band.max_households - 1e-9)), 1);
    const auto hi = static_cast<std::int64_t>(std::floor(households / band.min_households + 1e-9));
    std::int64_t k = k_today;
    if (lo <= hi) {
        k = std::clamp(k, lo, hi);
        // A target in the outer tenth of the band leaves no room to balance.
        const double margin = 0.1 * (band.max_households - band.min_households);
        auto roomy = [&](std::int64_t kk) {
            const double t = households / static_cast<double>(kk);
            return t >= band.min_households + margin && t <= band.max_households - margin;
        };
        for (std::int64_t d = 1; !roomy(k) && d <= hi - lo; ++d) {
            if (k - d >= lo && roomy(k - d)) {
                k -= d;
            } else if (k + d <= hi && roomy(k + d)) {
                k += d;
            }
        }
    }
    return static_cast<std::uint32_t>(std::max<std::int64_t>(k, 1));
}

namespace {

/// An edit to check on the rebalanced plan (docs/redraw.md, "Edits").
struct EditCheck {
    EditKind kind;
    std::string doing;  ///< "edit 2 (merge grids …)": how refusals name the edit
    std::string grid;
    core::Index community;
};

/// Today's plan as it is being edited: each grid code's home community and buildings, the locks,
/// the closed (kept) grids, and the edits to check afterwards.
struct WorkingPlan {
    std::map<std::string, core::Index> home;  ///< code -> community of most of its buildings
    std::vector<std::string> code;            ///< per building: grid code in the working plan
    std::map<std::string, std::vector<core::Index>> members;  ///< code -> buildings
    std::map<std::string, core::Index> building_of_id;
    std::vector<char> locked;            ///< per building
    std::set<std::string> closed;        ///< grids kept exactly as they are
    std::set<std::string> locked_grids;  ///< closed by a lock (locked_grids or a lock edit)
    std::vector<EditCheck> checks;
    std::map<core::Index, std::uint32_t> split_k;  ///< community -> k asked by a split
    std::set<core::Index> reshaped;                ///< communities with a split or merge

    void need_grid(const std::string& grid, const std::string& doing) const {
        if (members.count(grid) == 0) {
            refuse(doing + ": no building of today's plan is in grid '" + grid + "'");
        }
    }
    double households_of(const core::Scene& scene, const std::string& grid) {
        double h = 0.0;
        for (const auto b : members[grid]) {
            h += scene.buildings[b].households;
        }
        return h;
    }
};

/// Home community of every code: the community of most of its buildings.
std::map<std::string, core::Index> home_communities(const core::Scene& scene,
                                                    const std::vector<std::string>& code_before) {
    const auto nb = static_cast<core::Index>(scene.buildings.size());
    std::map<std::string, std::map<core::Index, std::uint32_t>> votes;
    for (core::Index b = 0; b < nb; ++b) {
        const auto& c = scene.buildings[b].community;
        if (!code_before[b].empty() && c) {
            ++votes[code_before[b]][*c];
        }
    }
    std::map<std::string, core::Index> home;
    for (const auto& [code, v] : votes) {
        std::uint32_t best = 0;
        for (const auto& [c, n] : v) {
            if (n > best) {
                best = n;
                home[code] = c;
            }
        }
    }
    return home;
}

/// The working plan before locks and edits: today's codes, except that a building in a grid of
/// another community leaves it (ledger); the buildings of every code; building ids.
WorkingPlan todays_plan(const core::Scene& scene,
                        const std::vector<std::string>& code_before,
                        core::Ledger& ledger) {
    const auto nb = static_cast<core::Index>(scene.buildings.size());
    WorkingPlan plan;
    plan.home = home_communities(scene, code_before);
    plan.code = code_before;
    for (core::Index b = 0; b < nb; ++b) {
        const auto& bd = scene.buildings[b];
        if (plan.code[b].empty() || !bd.community) {
            plan.code[b].clear();
            continue;
        }
        const auto h = plan.home.at(plan.code[b]);
        if (h != *bd.community) {
            note(ledger,
                 bd.id,
                 "building_in_grid_of_other_community",
                 "today's grid " + plan.code[b] + " belongs to community " +
                     community_label(scene, h) + " but the building is in " +
                     community_label(scene, *bd.community) +
                     "; it joins a grid of its own community",
                 &bd.anchor);
            plan.code[b].clear();
        }
    }
    for (core::Index b = 0; b < nb; ++b) {
        if (!plan.code[b].empty()) {
            plan.members[plan.code[b]].push_back(b);
        }
    }
    for (core::Index b = 0; b < nb; ++b) {
        plan.building_of_id.emplace(scene.buildings[b].id, b);
    }
    return plan;
}

/// Locks: locked buildings of the scene and of the options, locked grids (closed), and the
/// buildings along locked roads.
void apply_locks(const core::Scene& scene,
                 const RedrawOptions& opt,
                 WorkingPlan& plan,
                 core::Ledger& ledger) {
    const auto nb = static_cast<core::Index>(scene.buildings.size());
    plan.locked.assign(nb, 0);
    for (core::Index b = 0; b < nb; ++b) {
        plan.locked[b] = scene.buildings[b].locked ? 1 : 0;
    }
    for (const auto& g : opt.locked_grids) {
        plan.need_grid(g, "locking grid '" + g + "'");
        plan.closed.insert(g);
        plan.locked_grids.insert(g);
    }
    for (const auto& id : opt.locked_buildings) {
        auto it = plan.building_of_id.find(id);
        if (it == plan.building_of_id.end()) {
            refuse("locking building '" + id + "': no building has this id");
        }
        if (plan.code[it->second].empty()) {
            refuse("locking building '" + id + "': it is in no grid of today's plan");
        }
        plan.locked[it->second] = 1;
    }
    for (const auto& road : opt.locked_roads) {
        const auto n =
            lock_along_road(scene, road, opt.road_lock_distance_m, plan.code, plan.locked);
        note(ledger,
             road,
             "road_boundary_locked",
             std::to_string(n) + " buildings along the road keep their grid");
    }
}

/// A move edit: the buildings join the grid and are locked there.
void apply_move_edit(const core::Scene& scene,
                     const RedrawOptions& opt,
                     const Edit& e,
                     const std::string& n_edit,
                     WorkingPlan& plan) {
    const std::string doing = n_edit + " (move to grid '" + e.grid + "')";
    if (e.buildings.empty()) {
        malformed(doing + ": no buildings given");
    }
    plan.need_grid(e.grid, doing);
    if (plan.closed.count(e.grid) != 0) {
        refuse(doing + ": grid '" + e.grid + "' is locked");
    }
    const auto comm = plan.home.at(e.grid);
    const Band band = band_of(scene.communities[comm], opt.partition);
    for (const auto& id : e.buildings) {
        auto it = plan.building_of_id.find(id);
        if (it == plan.building_of_id.end()) {
            refuse(doing + ": no building has id '" + id + "'");
        }
        const auto b = it->second;
        const auto& bd = scene.buildings[b];
        if (!bd.community || *bd.community != comm) {
            refuse(doing + ": building '" + id + "' is in community " +
                   (bd.community ? community_label(scene, *bd.community) : std::string{"(none)"}) +
                   " but grid '" + e.grid + "' is in " + community_label(scene, comm) +
                   " (grids never cross communities)");
        }
        if (bd.dedicated) {
            refuse(doing + ": building '" + id +
                   "' is an institution with its own grid (专属网格)");
        }
        if (!plan.code[b].empty() && plan.closed.count(plan.code[b]) != 0) {
            refuse(doing + ": building '" + id + "' is in locked grid '" + plan.code[b] + "'");
        }
        if (plan.code[b] != e.grid) {
            if (!plan.code[b].empty()) {
                auto& from = plan.members[plan.code[b]];
                from.erase(std::find(from.begin(), from.end(), b));
                if (from.empty()) {
                    plan.members.erase(plan.code[b]);
                }
            }
            plan.code[b] = e.grid;
            plan.members[e.grid].push_back(b);
        }
        plan.locked[b] = 1;
    }
    double fixed_h = 0.0;
    for (const auto b : plan.members[e.grid]) {
        fixed_h += plan.locked[b] != 0 ? scene.buildings[b].households : 0.0;
    }
    if (fixed_h > band.max_households + 1e-9) {
        refuse(doing + ": grid '" + e.grid + "' would hold at least " + core::fixed(fixed_h, 0) +
               " households of locked and moved buildings, above the band maximum " +
               core::fixed(band.max_households, 0));
    }
    plan.checks.push_back({e.kind, doing, e.grid, comm});
}

/// A split edit: the community gets k = parts for this grid's households; its other grids
/// are kept as they are.
void apply_split_edit(const core::Scene& scene,
                      const RedrawOptions& opt,
                      const Edit& e,
                      const std::string& n_edit,
                      WorkingPlan& plan) {
    const std::string doing =
        n_edit + " (split grid '" + e.grid + "' into " + std::to_string(e.parts) + ")";
    if (e.parts < 2) {
        malformed(doing + ": a split needs at least 2 parts");
    }
    plan.need_grid(e.grid, doing);
    const auto comm = plan.home.at(e.grid);
    if (!plan.reshaped.insert(comm).second) {
        refuse(doing + ": community " + community_label(scene, comm) +
               " already has a split or merge in this redraw (one per community)");
    }
    if (plan.closed.count(e.grid) != 0) {
        refuse(doing + ": grid '" + e.grid + "' is locked");
    }
    const Band band = band_of(scene.communities[comm], opt.partition);
    const auto& mem = plan.members[e.grid];
    if (mem.size() < e.parts) {
        refuse(doing + ": grid '" + e.grid + "' has only " + std::to_string(mem.size()) +
               " buildings");
    }
    const double h = plan.households_of(scene, e.grid);
    const double mean = h / e.parts;
    if (mean < band.min_households - 1e-9 || mean > band.max_households + 1e-9) {
        refuse(doing + ": its " + core::fixed(h, 0) + " households give grids of " +
               core::fixed(mean, 0) + " on average, outside the band " +
               core::fixed(band.min_households, 0) + "-" + core::fixed(band.max_households, 0));
    }
    for (const auto& [code, c] : plan.home) {
        if (c == comm && code != e.grid && plan.members.count(code) != 0) {
            plan.closed.insert(code);  // the community's other grids stay as they are
        }
    }
    plan.split_k[comm] = e.parts;
    plan.checks.push_back({e.kind, doing, e.grid, comm});
}

/// A merge edit: the grids become the first one, which is then kept as it is.
void apply_merge_edit(const core::Scene& scene,
                      const RedrawOptions& opt,
                      const Edit& e,
                      const std::string& n_edit,
                      WorkingPlan& plan) {
    std::string list;
    for (const auto& g : e.grids) {
        list += (list.empty() ? "'" : ", '") + g + "'";
    }
    const std::string doing = n_edit + " (merge grids " + list + ")";
    if (e.grids.size() < 2) {
        malformed(doing + ": a merge needs at least 2 grids");
    }
    std::set<std::string> seen;
    for (const auto& g : e.grids) {
        plan.need_grid(g, doing);
        if (!seen.insert(g).second) {
            malformed(doing + ": grid '" + g + "' is listed twice");
        }
        if (plan.closed.count(g) != 0) {
            refuse(doing + ": grid '" + g + "' is locked");
        }
    }
    const auto comm = plan.home.at(e.grids[0]);
    for (const auto& g : e.grids) {
        if (plan.home.at(g) != comm) {
            refuse(doing + ": grid '" + e.grids[0] + "' is in community " +
                   community_label(scene, comm) + " but '" + g + "' is in " +
                   community_label(scene, plan.home.at(g)) + " (grids never cross communities)");
        }
    }
    if (!plan.reshaped.insert(comm).second) {
        refuse(doing + ": community " + community_label(scene, comm) +
               " already has a split or merge in this redraw (one per community)");
    }
    const Band band = band_of(scene.communities[comm], opt.partition);
    double h = 0.0;
    for (const auto& g : e.grids) {
        h += plan.households_of(scene, g);
    }
    if (h > band.max_households + 1e-9) {
        refuse(doing + ": the merged grid would hold " + core::fixed(h, 0) +
               " households, above the band maximum " + core::fixed(band.max_households, 0));
    }
    for (std::size_t j = 1; j < e.grids.size(); ++j) {
        for (const auto b : plan.members[e.grids[j]]) {
            plan.code[b] = e.grids[0];
            plan.members[e.grids[0]].push_back(b);
        }
        plan.members.erase(e.grids[j]);
    }
    plan.closed.insert(e.grids[0]);
    plan.checks.push_back({e.kind, doing, e.grids[0], comm});
}

/// A lock or unlock edit: the grids are closed (opened) from this edit on. Unlocking opens only
/// what a lock closed; a grid closed by a merge or a split stays closed.
void apply_lock_edit(const Edit& e, const std::string& n_edit, WorkingPlan& plan) {
    const bool lock = e.kind == EditKind::lock;
    for (const auto& g : e.grids) {
        const std::string doing = n_edit + " (" + to_string(e.kind) + " grid '" + g + "')";
        plan.need_grid(g, doing);
        if (lock) {
            if (plan.closed.insert(g).second) {
                plan.locked_grids.insert(g);
            }
        } else if (plan.locked_grids.erase(g) != 0) {
            plan.closed.erase(g);
        } else {
            refuse(doing + ": grid '" + g + "' is not locked");
        }
    }
}

/// Edits in the order given (moves, splits, merges, locks).
void apply_edits(const core::Scene& scene, const RedrawOptions& opt, WorkingPlan& plan) {
    for (std::size_t i = 0; i < opt.edits.size(); ++i) {
        const Edit& e = opt.edits[i];
        const std::string n_edit = "edit " + std::to_string(i + 1);
        switch (e.kind) {
            case EditKind::move:
                apply_move_edit(scene, opt, e, n_edit, plan);
                break;
            case EditKind::split:
                apply_split_edit(scene, opt, e, n_edit, plan);
                break;
            case EditKind::merge:
                apply_merge_edit(scene, opt, e, n_edit, plan);
                break;
            case EditKind::lock:
            case EditKind::unlock:
                apply_lock_edit(e, n_edit, plan);
                break;
        }
    }
}

/// Replay (RedrawOptions::rebalance false): every grid of the edited plan is kept as drawn,
/// except the grid a split redraws (its community's other grids are closed by the split) and
/// the grids of dedicated and oversized buildings, which get their own grids as always.
void keep_as_drawn(const core::Scene& scene, const RedrawOptions& opt, WorkingPlan& plan) {
    for (const auto& [code, buildings] : plan.members) {
        const auto home = plan.home.find(code);
        if (buildings.empty() ||
            (home != plan.home.end() && plan.split_k.count(home->second) != 0)) {
            continue;
        }
        const bool own_grids = std::all_of(buildings.begin(), buildings.end(), [&](auto b) {
            const auto& bd = scene.buildings[b];
            return bd.dedicated ||
                   (bd.community &&
                    bd.households >
                        band_of(scene.communities[*bd.community], opt.partition).max_households);
        });
        if (!own_grids) {
            plan.closed.insert(code);
        }
    }
}

/// Today's (edited) codes as the working scene's grid codes, the locks as its locked flags.
void set_working_codes(const WorkingPlan& plan, core::Scene& work) {
    for (core::Index b = 0; b < work.buildings.size(); ++b) {
        work.buildings[b].grid_code = plan.code[b];
        work.buildings[b].locked = plan.locked[b] != 0;
    }
}

/// The scene to partition: the scene with the working plan's codes and locks.
core::Scene working_scene(const core::Scene& scene, const WorkingPlan& plan) {
    core::Scene work = scene;
    work.ledger = core::Ledger{};
    set_working_codes(plan, work);
    return work;
}

/// Partition options of the redraw: keep codes, closed grids, churn; k per community from a
/// split, the planner, or today's number of grids unless the band demands another.
Options working_options(const core::Scene& scene,
                        const RedrawOptions& opt,
                        const WorkingPlan& plan) {
    const auto nb = static_cast<core::Index>(scene.buildings.size());
    Options popts = opt.partition;
    popts.keep_codes = true;
    popts.closed_grids = plan.closed;
    popts.retired_codes.insert(opt.retired_codes.begin(), opt.retired_codes.end());
    popts.optimiser.churn_weight = opt.churn_weight;
    popts.optimiser.balance_weight = opt.balance_weight;
    // Households and grid codes of each community's balanced buildings, in one pass.
    const auto nc = static_cast<core::Index>(scene.communities.size());
    std::vector<Band> bands(nc);
    for (core::Index c = 0; c < nc; ++c) {
        bands[c] = band_of(scene.communities[c], opt.partition);
    }
    std::vector<double> households(nc, 0.0);
    std::vector<std::set<std::string>> codes(nc);
    for (core::Index b = 0; b < nb; ++b) {
        const auto& bd = scene.buildings[b];
        const auto& code = plan.code[b];
        if (!bd.community || *bd.community >= nc || bd.dedicated ||
            bd.households > bands[*bd.community].max_households ||
            (!code.empty() && plan.closed.count(code) != 0)) {
            continue;
        }
        households[*bd.community] += bd.households;
        if (!code.empty()) {
            codes[*bd.community].insert(code);
        }
    }
    for (core::Index c = 0; c < nc; ++c) {
        const auto& comm = scene.communities[c];
        if (auto it = plan.split_k.find(c); it != plan.split_k.end()) {
            popts.overrides[comm.id].k = it->second;
            continue;
        }
        if (user_fixed_k(comm, opt.partition) || codes[c].empty()) {
            continue;  // the planner's k, or no plan today: the k policy decides
        }
        // Keep today's number of grids unless the band demands another.
        popts.overrides[comm.id].k =
            redraw_k(households[c], static_cast<std::uint32_t>(codes[c].size()), bands[c]);
    }
    return popts;
}

/// Validates the edits on the rebalanced plan: every edited grid kept, connected and in band
/// (a split: every new regular grid of its community); no disconnected grid anywhere.
void check_edits(const core::Scene& scene,
                 const RedrawOptions& opt,
                 const WorkingPlan& plan,
                 const Result& result) {
    std::map<std::string, std::uint32_t> grid_of_code;
    for (std::uint32_t g = 0; g < result.grids.size(); ++g) {
        grid_of_code.emplace(result.grids[g].code, g);
    }
    auto check_grid = [&](const std::string& doing, const std::string& code, bool band_check) {
        auto it = grid_of_code.find(code);
        if (it == grid_of_code.end()) {
            refuse(doing + ": grid '" + code + "' could not be kept in the rebalanced plan");
        }
        const Grid& g = result.grids[it->second];
        if (occupied_pieces(scene, g) > 1) {
            refuse(doing + ": grid '" + code + "' would not be one connected piece");
        }
        const Band band = band_of(scene.communities[g.community], opt.partition);
        if (band_check && !band.contains(g.households)) {
            refuse(doing + ": grid '" + code + "' would hold " + core::fixed(g.households, 0) +
                   " households, outside the band " + core::fixed(band.min_households, 0) + "-" +
                   core::fixed(band.max_households, 0));
        }
    };
    for (const auto& chk : plan.checks) {
        if (chk.kind != EditKind::split) {
            check_grid(chk.doing, chk.grid, opt.rebalance);
            continue;
        }
        for (const auto& g : result.grids) {
            if (g.community == chk.community && g.kind == GridKind::regular &&
                plan.closed.count(g.code) == 0) {
                check_grid(chk.doing, g.code, true);
            }
        }
    }
    for (const auto& c : result.communities) {
        if (c.locked_apart > 0) {
            refuse("redrawing community " + community_label(scene, c.community) + ": " +
                   std::to_string(c.locked_apart) +
                   " grids would not be connected (locked buildings of one grid lie apart)");
        }
    }
}

/// Before/after sums of one grid code.
struct GridTally {
    core::Index community = 0;
    double h_before = 0.0;
    double h_after = 0.0;
    std::uint32_t n_before = 0;
    std::uint32_t n_after = 0;
    std::uint32_t in = 0;   ///< buildings moved in
    std::uint32_t out = 0;  ///< buildings moved out
    bool before = false;
    bool after = false;
    bool regular_before = false;
    bool regular_after = false;
};
using GridTallies = std::map<std::pair<core::Index, std::string>, GridTally>;

/// Diff, first part: the moves (buildings whose code changed) and the tally per grid code.
GridTallies tally_moves(const core::Scene& scene,
                        const RedrawOptions& opt,
                        const std::map<std::string, core::Index>& home,
                        RedrawResult& res) {
    const auto nb = static_cast<core::Index>(scene.buildings.size());
    std::vector<std::string> after(nb);
    for (core::Index b = 0; b < nb; ++b) {
        if (res.plan.grid_of_building[b]) {
            after[b] = res.plan.grids[*res.plan.grid_of_building[b]].code;
        }
    }
    GridTallies tally;
    for (core::Index b = 0; b < nb; ++b) {
        const auto& bd = scene.buildings[b];
        if (!bd.community) {
            continue;
        }
        const auto& before = res.code_before[b];
        if (!before.empty()) {
            auto& t = tally[{home.at(before), before}];
            t.community = home.at(before);
            t.before = true;
            t.h_before += bd.households;
            ++t.n_before;
            t.regular_before =
                t.regular_before ||
                (!bd.dedicated &&
                 bd.households <=
                     band_of(scene.communities[home.at(before)], opt.partition).max_households);
        }
        if (!after[b].empty()) {
            const Grid& g = res.plan.grids[*res.plan.grid_of_building[b]];
            auto& t = tally[{g.community, after[b]}];
            t.community = g.community;
            t.after = true;
            t.h_after += bd.households;
            ++t.n_after;
            t.regular_after = g.kind == GridKind::regular;
        }
        if (before != after[b] && !after[b].empty()) {
            res.moves.push_back({b, before, after[b], bd.households, bd.population});
            if (!before.empty()) {
                ++tally[{home.at(before), before}].out;
            }
            ++tally[{res.plan.grids[*res.plan.grid_of_building[b]].community, after[b]}].in;
        }
    }
    return tally;
}

/// Diff, second part: one GridChange per code (new, retired, kept, changed) and the counts per
/// community.
std::vector<CommunityDiff> grid_changes(const core::Scene& scene,
                                        const RedrawOptions& opt,
                                        const GridTallies& tally,
                                        RedrawResult& res) {
    std::vector<CommunityDiff> diffs(scene.communities.size());
    for (core::Index c = 0; c < scene.communities.size(); ++c) {
        diffs[c].community = c;
        diffs[c].id = scene.communities[c].id;
        diffs[c].name = scene.communities[c].name;
    }
    for (const auto& [key, t] : tally) {
        const Band band = band_of(scene.communities[t.community], opt.partition);
        GridChange gc;
        gc.code = key.second;
        gc.community = t.community;
        gc.households_before = t.h_before;
        gc.households_after = t.h_after;
        gc.buildings_before = t.n_before;
        gc.buildings_after = t.n_after;
        gc.moved_in = t.in;
        gc.moved_out = t.out;
        gc.in_band_before = t.before && band.contains(t.h_before);
        gc.in_band_after = t.after && band.contains(t.h_after);
        gc.status = !t.before                                              ? "new"
                    : !t.after                                             ? "retired"
                    : (t.in == 0 && t.out == 0 && t.n_before == t.n_after) ? "kept"
                                                                           : "changed";
        auto& d = diffs[t.community];
        if (t.before && t.regular_before) {
            ++d.grids_before;
            d.in_band_before += gc.in_band_before ? 1U : 0U;
        }
        if (gc.status == "new") {
            d.new_codes.push_back(gc.code);
        } else if (gc.status == "retired") {
            d.retired_codes.push_back(gc.code);
        }
        res.grids.push_back(std::move(gc));
    }
    return diffs;
}

/// Diff, third part: grids, households and moves per community after the redraw, and the
/// one-line summary of each community.
void summarise_communities(const RedrawResult& res, std::vector<CommunityDiff>& diffs) {
    for (const auto& g : res.plan.grids) {
        if (g.kind == GridKind::regular) {
            ++diffs[g.community].grids_after;
            diffs[g.community].in_band_after += g.in_band ? 1U : 0U;
        }
        diffs[g.community].households += g.households;
    }
    for (const auto& m : res.moves) {
        const Grid& g = res.plan.grids[*res.plan.grid_of_building[m.building]];
        ++diffs[g.community].buildings_moved;
        diffs[g.community].households_moved += m.households;
    }
    for (auto& d : diffs) {
        auto list = [](const std::vector<std::string>& v) {
            std::string s;
            for (const auto& x : v) {
                s += (s.empty() ? "" : " ") + x;
            }
            return s.empty() ? std::string{"-"} : s;
        };
        const double share = d.households > 0 ? 100.0 * d.households_moved / d.households : 0.0;
        d.summary = (d.name.empty() ? d.id : d.name) + ": grids " + std::to_string(d.grids_before) +
                    " -> " + std::to_string(d.grids_after) + ", in band " +
                    std::to_string(d.in_band_before) + "/" + std::to_string(d.grids_before) +
                    " -> " + std::to_string(d.in_band_after) + "/" + std::to_string(d.grids_after) +
                    ", moved " + std::to_string(d.buildings_moved) + " buildings, " +
                    core::fixed(d.households_moved, 0) + " households (" + core::fixed(share, 1) +
                    "%), new " + list(d.new_codes) + ", retired " + list(d.retired_codes);
    }
}

/// Steps 7-8 once the plan is drawn: the edits checked on it, the diff, the ledger.
void finish_redraw(const core::Scene& scene,
                   const RedrawOptions& opt,
                   const WorkingPlan& plan,
                   RedrawResult& res) {
    check_edits(scene, opt, plan, res.plan);
    const GridTallies tally = tally_moves(scene, opt, plan.home, res);
    auto diffs = grid_changes(scene, opt, tally, res);
    summarise_communities(res, diffs);
    res.communities = std::move(diffs);
    res.ledger.append(res.plan.ledger);
}

void check_weights(const RedrawOptions& opt) {
    if (!(opt.churn_weight >= 0.0) || !(opt.balance_weight >= 0.0)) {
        malformed("redrawing: churn_weight and balance_weight must be >= 0");
    }
}

}  // namespace

RedrawResult redraw_scene(const core::Scene& scene,
                          const RedrawOptions& opt,
                          const core::ProgressFn& progress) {
    RedrawResult res;
    res.code_before = existing_grid_codes(scene, res.ledger);
    check_weights(opt);
    WorkingPlan plan = todays_plan(scene, res.code_before, res.ledger);
    apply_locks(scene, opt, plan, res.ledger);
    apply_edits(scene, opt, plan);
    if (!opt.rebalance) {
        keep_as_drawn(scene, opt, plan);
    }
    const core::Scene work = working_scene(scene, plan);
    const Options popts = working_options(scene, opt, plan);
    core::report(progress,
                 "redraw",
                 std::to_string(plan.members.size()) + " grids in today's plan, " +
                     std::to_string(opt.edits.size()) + " edits, " +
                     std::to_string(plan.closed.size()) + " grids kept as they are");
    res.plan = partition_scene(work, popts, progress);
    finish_redraw(scene, opt, plan, res);
    return res;
}

namespace detail {

/// The session's constant part: options, today's plan with the session's locks (and their ledger
/// rows), the working copy of the scene, the partitions.
struct Replayer::State {
    RedrawOptions base;
    std::vector<std::string> code_before;
    core::Ledger ledger;
    WorkingPlan locked;
    core::Scene work;
    PartitionCache partitions;
};

Replayer::Replayer(const core::Scene& scene, RedrawOptions base)
    : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.base = std::move(base);
    s.base.edits.clear();
    s.code_before = existing_grid_codes(scene, s.ledger);
    check_weights(s.base);
    s.locked = todays_plan(scene, s.code_before, s.ledger);
    apply_locks(scene, s.base, s.locked, s.ledger);
    s.work = scene;
    s.work.ledger = core::Ledger{};
}

Replayer::~Replayer() = default;
Replayer::Replayer(const Replayer& other) : state_(std::make_unique<State>(*other.state_)) {}
Replayer& Replayer::operator=(const Replayer& other) {
    if (this != &other) {
        state_ = std::make_unique<State>(*other.state_);
    }
    return *this;
}
Replayer::Replayer(Replayer&&) noexcept = default;
Replayer& Replayer::operator=(Replayer&&) noexcept = default;

RedrawResult Replayer::replay(const core::Scene& scene, const std::vector<Edit>& edits) {
    State& s = *state_;
    RedrawOptions opt = s.base;
    opt.edits = edits;
    WorkingPlan plan = s.locked;
    apply_edits(scene, opt, plan);
    if (!opt.rebalance) {
        keep_as_drawn(scene, opt, plan);
    }
    set_working_codes(plan, s.work);
    const Options popts = working_options(scene, opt, plan);
    RedrawResult res;
    res.code_before = s.code_before;
    res.ledger = s.ledger;
    res.plan = s.partitions.partition(s.work, popts);
    finish_redraw(scene, opt, plan, res);
    return res;
}

const std::vector<core::Index>& Replayer::last_solved() const noexcept {
    return state_->partitions.last_solved();
}

}  // namespace detail

}  // namespace gridplan::partition
