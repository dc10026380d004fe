// gridplan side of the siting benchmark (issue 7; driver: tests/bench/siting/run.py).
//
// Reads the shared coverage benchmark inputs (mk_grid.py / mk_bld.py GeoPackages: street lines,
// existing stations, buildings with `pop`, candidate points) with GDAL, then times the engine path:
//   graph   graph::build_walk_graph over the lines (noding + CSR)
//   snap    graph::snap_points of every building centroid (the same point the PuLP peer uses)
//   cover   coverage::cover_sets for the existing stations (-> existing_count) and for the candidates
//   solve   siting::solve (presolve, greedy, swap search, LP bound, CBC)
// Each rep repeats graph..solve; medians are printed as one JSON line on stdout.
//
// Usage:
//   bench_siting --lines grid200.gpkg --stations st200_20.gpkg --buildings bld200.gpkg
//                --candidates cand200.gpkg [--p 60] [--minutes 15] [--speed-kmh 4] [--threads 2]
//                [--reps 3] [--time-limit 30] [--gap 0]

#include <gdal.h>
#include <ogr_api.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "coverage/coverage.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"
#include "siting/siting.hpp"

namespace {

using namespace gridplan;
using Clock = std::chrono::steady_clock;

struct Args {
    std::string lines, stations, buildings, candidates;
    std::uint32_t p = 60;
    double minutes = 15, speed_kmh = 4, time_limit_s = 30, gap = 0;
    int threads = 2, reps = 3;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--lines") a.lines = v;
        else if (k == "--stations") a.stations = v;
        else if (k == "--buildings") a.buildings = v;
        else if (k == "--candidates") a.candidates = v;
        else if (k == "--p") a.p = static_cast<std::uint32_t>(std::stoul(v));
        else if (k == "--minutes") a.minutes = std::stod(v);
        else if (k == "--speed-kmh") a.speed_kmh = std::stod(v);
        else if (k == "--threads") a.threads = std::stoi(v);
        else if (k == "--reps") a.reps = std::max(1, std::stoi(v));
        else if (k == "--time-limit") a.time_limit_s = std::stod(v);
        else if (k == "--gap") a.gap = std::stod(v);
        else throw std::runtime_error("unknown argument " + k);
    }
    if (a.lines.empty() || a.stations.empty() || a.buildings.empty() || a.candidates.empty()) {
        throw std::runtime_error("need --lines --stations --buildings --candidates");
    }
    return a;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Calls `fn(feature, geometry)` for every feature of the first layer of `path`.
template <class Fn>
void each_feature(const std::string& path, Fn&& fn) {
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (ds == nullptr) throw std::runtime_error("open '" + path + "': GDAL cannot read it");
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        if (OGRGeometryH g = OGR_F_GetGeometryRef(f)) fn(f, g);
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
}

struct Input {
    std::vector<core::LineString> lines;
    std::vector<core::Point> stations, buildings, candidates;
    std::vector<double> pop;
};

Input load(const Args& a) {
    Input in;
    each_feature(a.lines, [&](OGRFeatureH, OGRGeometryH g) {
        core::LineString line;
        for (int i = 0; i < OGR_G_GetPointCount(g); ++i) line.emplace_back(OGR_G_GetX(g, i), OGR_G_GetY(g, i));
        in.lines.push_back(std::move(line));
    });
    auto points = [](const std::string& path, std::vector<core::Point>& out) {
        each_feature(path, [&](OGRFeatureH, OGRGeometryH g) { out.emplace_back(OGR_G_GetX(g, 0), OGR_G_GetY(g, 0)); });
    };
    points(a.stations, in.stations);
    points(a.candidates, in.candidates);
    each_feature(a.buildings, [&](OGRFeatureH f, OGRGeometryH g) {
        OGRGeometryH c = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_Centroid(g, c);
        in.buildings.emplace_back(OGR_G_GetX(c, 0), OGR_G_GetY(c, 0));
        OGR_G_DestroyGeometry(c);
        const int field = OGR_F_GetFieldIndex(f, "pop");
        in.pop.push_back(field >= 0 ? OGR_F_GetFieldAsDouble(f, field) : 1.0);
    });
    return in;
}

}  // namespace

int main(int argc, char** argv) try {
    const Args a = parse(argc, argv);
    GDALAllRegister();
    const auto t_read = Clock::now();
    const Input in = load(a);
    const double read_s = seconds_since(t_read);

    std::vector<double> graph_s, snap_s, cover_s, solve_s, total_s, greedy_s, lp_s, mip_s, ls_s, presolve_s;
    siting::Result last;
    std::size_t nodes = 0, edges = 0;
    for (int rep = 0; rep < a.reps; ++rep) {
        const auto t0 = Clock::now();
        const graph::WalkGraph g = graph::build_walk_graph(in.lines, graph::GraphOptions{});
        const graph::EdgeIndex index(g);
        graph_s.push_back(seconds_since(t0));
        nodes = g.node_count();
        edges = g.edge_count();

        const auto t1 = Clock::now();
        const graph::SnapOptions snap;
        const graph::SnapTable bsnaps = graph::snap_points(index, in.buildings, snap, a.threads);
        snap_s.push_back(seconds_since(t1));

        const auto t2 = Clock::now();
        const coverage::CoverSets existing =
            coverage::cover_sets(index, bsnaps, in.stations, snap, a.minutes, a.speed_kmh, a.threads);
        const coverage::CoverSets cand =
            coverage::cover_sets(index, bsnaps, in.candidates, snap, a.minutes, a.speed_kmh, a.threads);
        siting::Instance inst;
        inst.weight = in.pop;
        inst.cover_offsets = cand.first;
        inst.cover_demand = cand.demand;
        inst.existing_count.assign(in.buildings.size(), 0);
        for (const std::uint32_t b : existing.demand) ++inst.existing_count[b];
        inst.existing_position = in.stations;
        inst.candidate_position = in.candidates;
        cover_s.push_back(seconds_since(t2));

        const auto t3 = Clock::now();
        last = siting::solve(inst, siting::Options{.p = a.p, .time_limit_s = a.time_limit_s, .gap_tolerance = a.gap});
        solve_s.push_back(seconds_since(t3));
        total_s.push_back(seconds_since(t0));
        greedy_s.push_back(last.timings.presolve_s + last.timings.greedy_s);
        lp_s.push_back(last.timings.lp_s);
        mip_s.push_back(last.timings.mip_s);
        ls_s.push_back(last.timings.local_search_s);
        presolve_s.push_back(last.timings.presolve_s);
    }
    const auto& ps = last.presolve;
    std::printf(
        "{\"nodes\": %zu, \"edges\": %zu, \"buildings\": %zu, \"candidates\": %zu, \"stations\": %zu, \"p\": %u, "
        "\"reps\": %d, \"read_s\": %.4f, \"graph_s\": %.4f, \"snap_s\": %.4f, \"cover_s\": %.4f, \"solve_s\": %.4f, "
        "\"total_s\": %.4f, \"presolve_s\": %.4f, \"greedy_s\": %.4f, \"local_search_s\": %.4f, \"lp_s\": %.4f, "
        "\"mip_s\": %.4f, \"objective\": %.3f, \"bound\": %.3f, \"gap\": %.8f, \"optimal\": %s, \"status\": \"%s\", "
        "\"greedy\": %.3f, \"lp_bound\": %.3f, \"sites\": %zu, \"already_covered\": %.3f, \"total_weight\": %.3f, "
        "\"demand_groups\": %zu, \"demand_satisfied\": %zu, \"demand_uncoverable\": %zu, "
        "\"candidates_kept\": %zu, \"candidates_dominated\": %zu, \"candidates_empty\": %zu}\n",
        nodes, edges, in.buildings.size(), in.candidates.size(), in.stations.size(), a.p, a.reps, read_s,
        median(graph_s), median(snap_s), median(cover_s), median(solve_s), median(total_s), median(presolve_s),
        median(greedy_s), median(ls_s), median(lp_s), median(mip_s), last.incumbent, last.bound, last.gap,
        last.optimal ? "true" : "false", last.status.c_str(), last.greedy_value, last.lp_bound, last.sites.size(),
        last.already_covered_weight, last.total_weight, ps.demand_groups, ps.demand_satisfied, ps.demand_uncoverable,
        ps.candidates_kept, ps.candidates_dominated, ps.candidates_empty);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench_siting: %s\n", e.what());
    return 1;
}
