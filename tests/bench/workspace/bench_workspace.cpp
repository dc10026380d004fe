// Workspace latency benchmark (issue 19, docs/workspace.md; figures in docs/performance.md,
// "Workspace latency"): how long a planner waits between an edit and the updated figures of the
// touched grids, replaying the whole scene (before) and only the touched communities (after).
//
// Loads a run configuration as `gridplan redraw` does (households rounded). Today's plan is the
// configuration's (input role `grids` or the buildings' grid codes) or, when it has none,
// gridplan's own partition of the scene. Two workspaces hold the same session, one replaying
// whole (ReplayMode::whole_scene), one per community; each change goes to both, and both must
// answer the same (the program stops with exit code 1 otherwise). Changes, deterministic for a
// seed, in rounds:
//   move      a boundary building of a grid (the one nearest to the neighbour) to a neighbouring
//             regular grid of the same community; neither grid locked
//   lock      every 5th round (from the 3rd): the grid the round's move went to; unlocked two
//             rounds later (unlock)
//   undo/redo every 4th round: one step back, one forward
// Prints, per kind of change, the count and the median and 95th percentile latency (ms) of both,
// the communities solved again, the load average before and after, and the scene's size.
//
// Usage: bench_workspace CONFIG [--edits N] [--seed S] [--threads T] [--no-whole]
//   --edits N    rounds (default 40)
//   --threads T  partition threads (default 0 = hardware concurrency, like the CLI)
//   --no-whole   time the per-community workspace only

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/read.hpp"
#include "partition/workspace.hpp"
#include "pipeline/config.hpp"
#include "pipeline/layers.hpp"

namespace {

using namespace gridplan;
using namespace gridplan::partition;
namespace bg = boost::geometry;
using Clock = std::chrono::steady_clock;

struct Args {
    std::string config;
    int edits = 40;
    std::uint64_t seed = 1;
    int threads = 0;
    bool whole = true;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_workspace: %s needs a value\n", s.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (s == "--edits") {
            a.edits = std::stoi(next());
        } else if (s == "--seed") {
            a.seed = std::stoull(next());
        } else if (s == "--threads") {
            a.threads = std::stoi(next());
        } else if (s == "--no-whole") {
            a.whole = false;
        } else if (a.config.empty() && !s.empty() && s[0] != '-') {
            a.config = s;
        } else {
            std::fprintf(stderr,
                         "usage: bench_workspace CONFIG [--edits N] [--seed S] "
                         "[--threads T] [--no-whole]\n");
            std::exit(2);
        }
    }
    if (a.config.empty()) {
        std::fprintf(stderr, "bench_workspace: no configuration given\n");
        std::exit(2);
    }
    return a;
}

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

/// Today's plan: the configuration's, or gridplan's partition written into the buildings.
std::string todays_plan(core::Scene& scene, const Options& popts) {
    const bool has = !scene.grids.empty() ||
                     std::any_of(scene.buildings.begin(),
                                 scene.buildings.end(),
                                 [](const core::Building& b) { return !b.grid_code.empty(); });
    if (has) {
        return "the configuration's";
    }
    const auto t0 = Clock::now();
    const Result plan = partition_scene(scene, popts);
    for (core::Index b = 0; b < scene.buildings.size(); ++b) {
        if (plan.grid_of_building[b]) {
            scene.buildings[b].grid_code = plan.grids[*plan.grid_of_building[b]].code;
        }
    }
    char buf[96];
    std::snprintf(buf, sizeof(buf), "gridplan's partition (%.1f s)", seconds_since(t0));
    return buf;
}

/// A boundary building of a random unlocked regular grid moved to a random neighbouring
/// unlocked regular grid of its community (polygons within 1 m).
std::optional<Edit> boundary_move(const core::Scene& scene,
                                  const Result& plan,
                                  const std::set<std::string>& locked,
                                  std::mt19937_64& rng) {
    auto open = [&](const Grid& g) {
        return g.kind == GridKind::regular && locked.count(g.code) == 0 && g.buildings.size() >= 2;
    };
    std::vector<std::uint32_t> order;
    for (std::uint32_t i = 0; i < plan.grids.size(); ++i) {
        if (open(plan.grids[i])) {
            order.push_back(i);
        }
    }
    std::shuffle(order.begin(), order.end(), rng);
    for (const auto gi : order) {
        const Grid& g = plan.grids[gi];
        std::vector<const Grid*> near;
        for (const auto& h : plan.grids) {
            if (h.community == g.community && h.code != g.code && open(h) &&
                bg::distance(g.area, h.area) < 1.0) {
                near.push_back(&h);
            }
        }
        if (near.empty()) {
            continue;
        }
        const Grid& h = *near[rng() % near.size()];
        core::Index pick = g.buildings.front();
        double best = 1e300;
        for (const auto b : g.buildings) {
            const double d = bg::distance(scene.buildings[b].anchor, h.area);
            if (d < best) {
                best = d;
                pick = b;
            }
        }
        Edit e;
        e.buildings = {scene.buildings[pick].id};
        e.grid = h.code;
        return e;
    }
    return std::nullopt;
}

struct Timings {
    std::vector<double> whole;
    std::vector<double> fast;
    std::vector<double> solved;
};

struct Bench {
    Workspace fast;
    std::optional<Workspace> whole;
    std::map<std::string, Timings> kinds;

    /// One change to both sessions; the answers must agree.
    ChangeOutcome change(const std::string& kind,
                         const std::function<ChangeOutcome(Workspace&)>& what) {
        std::optional<ChangeOutcome> reference;
        double t_whole = 0.0;
        if (whole) {
            const auto t0 = Clock::now();
            reference = what(*whole);
            t_whole = 1e3 * seconds_since(t0);
        }
        const auto t0 = Clock::now();
        ChangeOutcome out = what(fast);
        const double t_fast = 1e3 * seconds_since(t0);
        if (reference && (reference->accepted != out.accepted ||
                          reference->refusal != out.refusal || reference->touched != out.touched)) {
            std::fprintf(stderr,
                         "bench_workspace: %s: the per-community replay answered "
                         "otherwise than the whole replay\n",
                         kind.c_str());
            std::exit(1);
        }
        const std::string key = kind == "move" && !out.accepted ? "move (refused)" : kind;
        auto& t = kinds[key];
        if (whole) {
            t.whole.push_back(t_whole);
        }
        t.fast.push_back(t_fast);
        t.solved.push_back(static_cast<double>(fast.last_replayed().size()));
        return out;
    }
};

double quantile(std::vector<double> v, double q) {
    if (v.empty()) {
        return 0.0;
    }
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
    return v[std::min(i, v.size() - 1)];
}

std::string ms(const std::vector<double>& v) {
    if (v.empty()) {
        return "–";
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.1f / %.1f", quantile(v, 0.5), quantile(v, 0.95));
    return buf;
}

void rounds(Bench& bench, const core::Scene& scene, const RedrawOptions& ro, const Args& a) {
    std::mt19937_64 rng(a.seed);
    std::set<std::string> locked(ro.locked_grids.begin(), ro.locked_grids.end());
    std::map<int, std::string> unlock_at;  ///< round -> grid locked two rounds earlier
    for (int i = 0; i < a.edits; ++i) {
        const auto move = boundary_move(scene, bench.fast.plan().plan, locked, rng);
        if (!move) {
            std::fprintf(stderr, "bench_workspace: no grid with an unlocked neighbour left\n");
            break;
        }
        const ChangeOutcome moved =
            bench.change("move", [&](Workspace& w) { return w.apply(*move); });
        if (i % 5 == 2 && moved.accepted) {
            if (bench.change("lock", [&](Workspace& w) { return w.lock_grid(move->grid, true); })
                    .accepted) {
                locked.insert(move->grid);
                unlock_at[i + 2] = move->grid;
            }
        }
        if (auto it = unlock_at.find(i); it != unlock_at.end()) {
            (void)bench.change("unlock",
                               [&](Workspace& w) { return w.lock_grid(it->second, false); });
            locked.erase(it->second);
        }
        if (i % 4 == 3) {
            (void)bench.change("undo", [](Workspace& w) { return w.undo(); });
            (void)bench.change("redo", [](Workspace& w) { return w.redo(); });
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    try {
        const std::string load_before = load_average();
        const auto config = pipeline::load_run_config(a.config);
        core::Scene scene = io::read_scene(config.inputs);
        pipeline::round_households(scene);
        Options popts = config.partition;
        popts.threads = a.threads;
        const std::string today = todays_plan(scene, popts);
        RedrawOptions ro = config.redraw;
        ro.partition.threads = a.threads;

        auto t0 = Clock::now();
        Bench bench{Workspace(scene, ro), std::nullopt, {}};
        const double open_fast = seconds_since(t0);
        double open_whole = 0.0;
        if (a.whole) {
            t0 = Clock::now();
            bench.whole.emplace(scene, ro, ReplayMode::whole_scene);
            open_whole = seconds_since(t0);
        }
        rounds(bench, scene, ro, a);

        std::printf("## bench_workspace %s\n\n", a.config.c_str());
        std::printf(
            "%zu buildings, %zu communities, %zu grids (today's plan: %s); %d rounds, "
            "seed %llu, threads %d; opening the session %.2f s (whole: %.2f s)\n\n",
            scene.buildings.size(),
            scene.communities.size(),
            bench.fast.plan().plan.grids.size(),
            today.c_str(),
            a.edits,
            static_cast<unsigned long long>(a.seed),
            a.threads,
            open_fast,
            open_whole);
        std::printf(
            "| change | n | whole replay (before): median / p95 ms | per community "
            "(after): median / p95 ms | communities solved (mean) |\n");
        std::printf("|---|---|---|---|---|\n");
        for (const auto& [kind, t] : bench.kinds) {
            double solved = 0.0;
            for (const double s : t.solved) {
                solved += s / static_cast<double>(t.solved.size());
            }
            std::printf("| %s | %zu | %s | %s | %.1f |\n",
                        kind.c_str(),
                        t.fast.size(),
                        ms(t.whole).c_str(),
                        ms(t.fast).c_str(),
                        solved);
        }
        std::printf(
            "\nload average before: %s; after: %s\n", load_before.c_str(), load_average().c_str());
    } catch (const core::Error& e) {
        std::fprintf(stderr, "bench_workspace: %s\n", e.what());
        return 2;
    }
    return 0;
}
