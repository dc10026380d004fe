// The workspace's per-community replay (docs/workspace.md, issue 19): after any sequence of
// moves, locks, splits, refused edits, undo and redo on the Monaco sample, the session's plan,
// figures, scenario and every refusal are exactly those of a whole redraw_scene replay.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "io/read.hpp"
#include "partition/redraw.hpp"
#include "partition/workspace.hpp"
#include "pipeline/config.hpp"
#include "support/paths.hpp"

using namespace gridplan;
using namespace gridplan::partition;

namespace {

namespace bg = boost::geometry;

std::string hex(double v) {
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%a", v);
    return buf;
}

std::string vertices(const core::MultiPolygon& area) {
    std::string s;
    auto ring = [&](const auto& r) {
        s += '(';
        for (const auto& p : r) {
            s += hex(p.x()) + ' ' + hex(p.y()) + ',';
        }
        s += ')';
    };
    for (const auto& poly : area) {
        ring(poly.outer());
        for (const auto& inner : poly.inners()) {
            ring(inner);
        }
        s += ';';
    }
    return s;
}

/// One line per grid, building, community, street, ledger row, move and grid change of a redraw,
/// doubles to the last bit and polygons vertex by vertex.
std::vector<std::string> lines(const RedrawResult& r) {
    std::vector<std::string> out;
    for (const auto& g : r.plan.grids) {
        std::string b;
        for (const auto i : g.buildings) {
            b += std::to_string(i) + ' ';
        }
        out.push_back("grid " + g.code + ' ' + std::to_string(g.sequence) + ' ' +
                      to_string(g.kind) + ' ' + std::to_string(g.community) + " h " +
                      hex(g.households) + " p " + hex(g.population) + " a " + hex(g.area_m2) +
                      " pp " + hex(g.polsby_popper) + " split " + std::to_string(g.blocks_split) +
                      " band " + std::to_string(g.in_band) + " dev " + hex(g.deviation) +
                      " buildings " + b + " area " + vertices(g.area));
    }
    for (std::size_t i = 0; i < r.plan.grid_of_building.size(); ++i) {
        const auto& g = r.plan.grid_of_building[i];
        out.push_back("building " + std::to_string(i) + ' ' + r.code_before[i] + " -> " +
                      (g ? std::to_string(*g) : "-"));
    }
    for (const auto& c : r.plan.communities) {
        out.push_back("community " + c.id + " k " + std::to_string(c.k) + ' ' + c.k_reason +
                      " grids " + std::to_string(c.grids) + " in band " +
                      std::to_string(c.in_band) + " h " + hex(c.households) + " t " +
                      hex(c.target) + " worst " + hex(c.worst_deviation) + " mean " +
                      hex(c.mean_deviation) + " lb " + hex(c.lower_bound) + " gap " +
                      hex(c.gap_m2) + " overlap " + hex(c.overlap_m2) + ' ' + c.certificate +
                      " blocks " + std::to_string(c.blocks) + '/' + std::to_string(c.blocks_split) +
                      " apart " + std::to_string(c.locked_apart));
    }
    for (const auto& s : r.plan.streets) {
        out.push_back("street " + s.name + ' ' + std::to_string(s.grids) + ' ' +
                      std::to_string(s.in_band) + ' ' + hex(s.mean_deviation));
    }
    for (const auto& e : r.ledger.entries()) {
        out.push_back("ledger " + e.layer + ' ' + e.source_id + ' ' + e.reason + ' ' + e.detail);
    }
    for (const auto& m : r.moves) {
        out.push_back("move " + std::to_string(m.building) + ' ' + m.from + " -> " + m.to);
    }
    for (const auto& g : r.grids) {
        out.push_back("change " + g.code + ' ' + g.status + ' ' + hex(g.households_before) + ' ' +
                      hex(g.households_after) + ' ' + std::to_string(g.moved_in) + '/' +
                      std::to_string(g.moved_out));
    }
    for (const auto& c : r.communities) {
        out.push_back("diff " + c.summary);
    }
    return out;
}

void require_same_plan(const RedrawResult& fast, const RedrawResult& whole) {
    const auto a = lines(fast);
    const auto b = lines(whole);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i]) {
            CHECK(a[i] == b[i]);  // the first difference only
            return;
        }
    }
}

std::string edits_text(const RedrawOptions& o) {
    std::string s;
    for (const auto& e : o.edits) {
        s += std::string{to_string(e.kind)} + ' ' + e.grid + ' ' + std::to_string(e.parts);
        for (const auto& x : e.buildings) {
            s += ' ' + x;
        }
        for (const auto& x : e.grids) {
            s += ' ' + x;
        }
        s += ';';
    }
    return s;
}

/// The same session twice: replayed per community, and replayed whole.
struct Sessions {
    Workspace fast;
    Workspace whole;

    void require_same() const {
        CHECK(fast.revision() == whole.revision());
        CHECK(fast.can_undo() == whole.can_undo());
        CHECK(fast.can_redo() == whole.can_redo());
        CHECK(fast.figures() == whole.figures());
        CHECK(edits_text(fast.scenario()) == edits_text(whole.scenario()));
        require_same_plan(fast.plan(), whole.plan());
    }
    ChangeOutcome same(const ChangeOutcome& a, const ChangeOutcome& b) const {
        CHECK(a.accepted == b.accepted);
        CHECK(a.refusal == b.refusal);
        CHECK(a.touched == b.touched);
        CHECK(a.revision == b.revision);
        require_same();
        return a;
    }
    ChangeOutcome apply(const Edit& e) { return same(fast.apply(e), whole.apply(e)); }
    ChangeOutcome lock(const std::string& code, bool on) {
        return same(fast.lock_grid(code, on), whole.lock_grid(code, on));
    }
    ChangeOutcome undo() { return same(fast.undo(), whole.undo()); }
    ChangeOutcome redo() { return same(fast.redo(), whole.redo()); }
};

/// Moves of one building of grid g into a neighbouring regular grid h of its community (polygons
/// within 1 m), for every such pair in grid order: the building of g nearest to h (`nearest`) or
/// the farthest from it.
std::vector<Edit> moves(const core::Scene& scene, const Result& plan, bool nearest) {
    std::vector<Edit> out;
    for (const auto& g : plan.grids) {
        for (const auto& h : plan.grids) {
            if (g.community != h.community || g.code == h.code || g.kind != GridKind::regular ||
                h.kind != GridKind::regular || g.buildings.size() < 2 ||
                bg::distance(g.area, h.area) > 1.0) {
                continue;
            }
            core::Index pick = g.buildings.front();
            double best = nearest ? 1e300 : -1.0;
            for (const auto b : g.buildings) {
                const double d = bg::distance(scene.buildings[b].anchor, h.area);
                if (nearest ? d < best : d > best) {
                    best = d;
                    pick = b;
                }
            }
            Edit e;
            e.buildings = {scene.buildings[pick].id};
            e.grid = h.code;
            out.push_back(e);
        }
    }
    return out;
}

/// Whether the session's edits leave `code` locked.
bool locked_in(const RedrawOptions& o, const std::string& code) {
    bool locked = false;
    for (const auto& e : o.edits) {
        if ((e.kind == EditKind::lock || e.kind == EditKind::unlock) &&
            std::find(e.grids.begin(), e.grids.end(), code) != e.grids.end()) {
            locked = e.kind == EditKind::lock;
        }
    }
    return locked;
}

core::Index building(const core::Scene& scene, const std::string& id) {
    for (core::Index b = 0; b < scene.buildings.size(); ++b) {
        if (scene.buildings[b].id == id) {
            return b;
        }
    }
    FAIL("no building " << id);
    return 0;
}

}  // namespace

TEST_CASE("workspace: the per-community replay gives exactly the whole replay's plans and refusals",
          "[partition][workspace]") {
    const auto config_file = test::sample_dir() / "monaco_redraw.json";
    if (!std::filesystem::exists(config_file)) {
        WARN("data/monaco_redraw.json not present");
        return;
    }
    const auto config = pipeline::load_run_config(config_file);
    const core::Scene scene = io::read_scene(config.inputs);
    RedrawOptions options = config.redraw;
    options.partition.threads = 2;
    REQUIRE_FALSE(options.locked_grids.empty());
    REQUIRE_FALSE(options.edits.empty());
    Sessions s{Workspace(scene, options), Workspace(scene, options, ReplayMode::whole_scene)};
    s.require_same();
    CHECK(s.fast.last_replayed().size() == scene.communities.size());

    // A boundary building moved to the neighbouring grid: accepted, one community solved again.
    const auto near = moves(scene, s.fast.plan().plan, true);
    ChangeOutcome first;
    Edit accepted;
    for (std::size_t i = 0; i < near.size() && !first.accepted; ++i) {
        first = s.apply(near[i]);
        accepted = near[i];
    }
    REQUIRE(first.accepted);
    CHECK(s.fast.last_replayed().size() == 1);
    const core::Index moved = building(scene, accepted.buildings.front());

    // Refused edits: a grid left in pieces (refused after the replay), a locked grid, a move
    // across communities (refused before it).
    std::size_t refused_after_replay = 0;
    for (const auto& far : moves(scene, s.fast.plan().plan, false)) {
        const ChangeOutcome o = s.apply(far);
        if (!o.accepted && o.refusal.find("one connected piece") != std::string::npos) {
            ++refused_after_replay;
            break;
        }
    }
    CHECK(refused_after_replay == 1);
    Edit into_locked = accepted;
    into_locked.grid = options.locked_grids.front();
    CHECK_FALSE(s.apply(into_locked).accepted);
    CHECK(s.lock(accepted.grid, true).accepted);
    Edit back = accepted;
    back.grid = s.fast.plan().code_before[moved];
    const ChangeOutcome locked = s.apply(back);
    CHECK_FALSE(locked.accepted);
    CHECK(locked.refusal.find(accepted.grid) != std::string::npos);

    // A move in another community, a split, then undo and redo across all of them.
    const core::Index first_community = *scene.buildings[moved].community;
    for (const auto& e : near) {
        const auto& to = s.fast.plan().plan.grids;
        const auto it =
            std::find_if(to.begin(), to.end(), [&](const Grid& g) { return g.code == e.grid; });
        if (it != to.end() && it->community != first_community && s.apply(e).accepted) {
            break;
        }
    }
    for (const auto& g : s.fast.plan().plan.grids) {
        if (g.kind == GridKind::regular &&
            g.households >= 2 * options.partition.band.min_households && g.buildings.size() >= 4) {
            Edit split;
            split.kind = EditKind::split;
            split.grid = g.code;
            split.parts = 2;
            s.apply(split);
            break;
        }
    }
    const std::uint64_t revision = s.fast.revision();
    CHECK(revision >= 4);
    for (int i = 0; i < 3; ++i) {
        CHECK(s.undo().accepted);
    }
    CHECK(s.redo().accepted);
    CHECK(s.lock(accepted.grid, !locked_in(s.fast.scenario(), accepted.grid)).accepted);
    CHECK(s.undo().accepted);
    CHECK(s.redo().accepted);

    // The scenario replays to the session's plan through redraw_scene itself.
    require_same_plan(s.fast.plan(), redraw_scene(scene, s.fast.scenario()));
}
