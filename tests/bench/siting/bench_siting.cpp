// gridplan side of the siting benchmark (issue 7; driver: tests/bench/siting/run.py).
//
// Reads the shared coverage benchmark inputs (mk_grid.py / mk_bld.py GeoPackages: street lines,
// existing stations, buildings with `pop`, candidate points) with GDAL, then times the engine path:
//   graph   graph::build_walk_graph over the lines (noding + CSR)
//   snap    every building centroid onto its single nearest edge (the same point and rule as the PuLP
//           peer; a uniform-grid nearest-segment search in this file), or with --snap engine the
//           engine's multi-snap graph::snap_points
//   cover   coverage::cover_sets for the existing stations (-> existing_count) and for the candidates
//           (stations and candidates snapped the same way)
//   solve   siting::solve (presolve, greedy, swap search, LP bound, CBC)
// Each rep repeats graph..solve; medians are printed as one JSON line on stdout.
//
// Usage:
//   bench_siting --lines grid200.gpkg --stations st200_20.gpkg --buildings bld200.gpkg
//                --candidates cand200.gpkg [--p 60] [--minutes 15] [--speed-kmh 4] [--threads 2]
//                [--reps 3] [--time-limit 30] [--gap 0] [--snap nearest|engine] [--dump FILE]
//
// --street 1 also times the street-length objective (outdoor workers): siting::build_street_instance
// (engine snapping of stations and candidates, one search per station, street pieces) + solve.
// --dump FILE writes the instance of the last rep (weights, existing counts, cover sets, p) as
// plain text for pulp_same.py, the PuLP + CBC model on exactly the same cover sets.

#include <gdal.h>
#include <ogr_api.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

#include "coverage/coverage.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"
#include "siting/candidates.hpp"
#include "siting/siting.hpp"

namespace {

using namespace gridplan;
using Clock = std::chrono::steady_clock;

struct Args {
    std::string lines, stations, buildings, candidates;
    std::uint32_t p = 60;
    double minutes = 15, speed_kmh = 4, time_limit_s = 600, gap = 0;
    std::uint64_t max_nodes = siting::Options{}.max_nodes;
    int threads = 2, reps = 3;
    bool engine_snap = false;
    std::string dump;
    bool street = false;
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
        else if (k == "--max-nodes") a.max_nodes = std::stoull(v);
        else if (k == "--gap") a.gap = std::stod(v);
        else if (k == "--snap") a.engine_snap = v == "engine";
        else if (k == "--dump") a.dump = v;
        else if (k == "--street") a.street = v == "1" || v == "yes";
        else throw std::runtime_error("unknown argument " + k);
    }
    if (a.lines.empty() || a.stations.empty() || a.buildings.empty() || a.candidates.empty()) {
        throw std::runtime_error("need --lines --stations --buildings --candidates");
    }
    return a;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// CPU seconds of the whole process (all threads): on a loaded machine this shows the work done.
double cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

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

/// Single nearest-edge snapping through a uniform grid of segment boxes (the peer's rule).
class NearestEdge {
public:
    explicit NearestEdge(const graph::WalkGraph& g, double cell_m = 100.0) : g_(g), cell_(cell_m) {
        double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0;
        for (const core::Point& p : g.nodes) {
            x0 = std::min(x0, p.x()), y0 = std::min(y0, p.y()), x1 = std::max(x1, p.x()), y1 = std::max(y1, p.y());
        }
        for (const auto& line : g.edge_geometry) {
            for (const core::Point& p : line) {
                x0 = std::min(x0, p.x()), y0 = std::min(y0, p.y()), x1 = std::max(x1, p.x()), y1 = std::max(y1, p.y());
            }
        }
        ox_ = x0, oy_ = y0;
        nx_ = static_cast<long>((x1 - x0) / cell_) + 1, ny_ = static_cast<long>((y1 - y0) / cell_) + 1;
        std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> cells(static_cast<std::size_t>(nx_ * ny_));
        for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
            const auto& line = g.edge_geometry[e];
            for (std::uint32_t s = 0; s + 1 < line.size(); ++s) {
                const long cx0 = cx(std::min(line[s].x(), line[s + 1].x())), cx1 = cx(std::max(line[s].x(), line[s + 1].x()));
                const long cy0 = cy(std::min(line[s].y(), line[s + 1].y())), cy1 = cy(std::max(line[s].y(), line[s + 1].y()));
                for (long i = cx0; i <= cx1; ++i) {
                    for (long j = cy0; j <= cy1; ++j) cells[static_cast<std::size_t>(j * nx_ + i)].emplace_back(e, s);
                }
            }
        }
        first_.push_back(0);
        for (auto& c : cells) {
            items_.insert(items_.end(), c.begin(), c.end());
            first_.push_back(static_cast<std::uint32_t>(items_.size()));
        }
    }

    graph::SnapTable snap(const std::vector<core::Point>& points, double max_m) const {
        graph::SnapTable table;
        for (const core::Point& p : points) {
            graph::Snap best;
            double best_d = std::numeric_limits<double>::max();
            const long pcx = cx(p.x()), pcy = cy(p.y());
            for (long ring = 0;; ++ring) {
                for (long i = pcx - ring; i <= pcx + ring; ++i) {
                    for (long j = pcy - ring; j <= pcy + ring; ++j) {
                        if (std::max(std::abs(i - pcx), std::abs(j - pcy)) != ring) continue;
                        if (i < 0 || j < 0 || i >= nx_ || j >= ny_) continue;
                        const auto c = static_cast<std::size_t>(j * nx_ + i);
                        for (std::uint32_t k = first_[c]; k < first_[c + 1]; ++k) {
                            const auto [e, s] = items_[k];
                            const auto& line = g_.edge_geometry[e];
                            const core::Point& a = line[s];
                            const core::Point& b = line[s + 1];
                            const double dx = b.x() - a.x(), dy = b.y() - a.y(), len2 = dx * dx + dy * dy;
                            double t = len2 > 0 ? ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / len2 : 0.0;
                            t = std::clamp(t, 0.0, 1.0);
                            const double qx = a.x() + t * dx, qy = a.y() + t * dy;
                            const double d = std::hypot(p.x() - qx, p.y() - qy);
                            if (d < best_d || (d == best_d && e < best.edge)) {
                                double offset = t * std::sqrt(len2);
                                for (std::uint32_t q = 0; q < s; ++q) offset += boost::geometry::distance(line[q], line[q + 1]);
                                best_d = d;
                                best = graph::Snap{.edge = e, .offset_m = std::min(offset, g_.edge_length_m[e]), .access_m = d};
                            }
                        }
                    }
                }
                // every segment not yet seen lies at least ring * cell away
                if (best_d <= static_cast<double>(ring) * cell_ || static_cast<double>(ring) * cell_ > max_m ||
                    ring > std::max(nx_, ny_)) {
                    break;
                }
            }
            if (best_d <= max_m) {
                table.push(std::span<const graph::Snap>(&best, 1));
            } else {
                table.push({});
            }
        }
        return table;
    }

private:
    long cx(double x) const { return std::clamp(static_cast<long>((x - ox_) / cell_), 0L, nx_ - 1); }
    long cy(double y) const { return std::clamp(static_cast<long>((y - oy_) / cell_), 0L, ny_ - 1); }
    const graph::WalkGraph& g_;
    double cell_, ox_ = 0, oy_ = 0;
    long nx_ = 1, ny_ = 1;
    std::vector<std::uint32_t> first_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> items_;
};

}  // namespace

int main(int argc, char** argv) try {
    const Args a = parse(argc, argv);
    GDALAllRegister();
    const auto t_read = Clock::now();
    const Input in = load(a);
    const double read_s = seconds_since(t_read);

    std::vector<double> cpu_cover_solve_s, graph_s, snap_s, cover_s, solve_s, total_s, greedy_s, lp_s, mip_s, ls_s, presolve_s;
    siting::Result last;
    siting::Instance last_instance;
    std::size_t nodes = 0, edges = 0;
    for (int rep = 0; rep < a.reps; ++rep) {
        const auto t0 = Clock::now();
        const graph::WalkGraph g = graph::build_walk_graph(in.lines, graph::GraphOptions{});
        graph_s.push_back(seconds_since(t0));
        nodes = g.node_count();
        edges = g.edge_count();

        const auto t1 = Clock::now();
        const graph::SnapOptions snap;
        graph::SnapTable bsnaps, ssnaps, csnaps;
        if (a.engine_snap) {
            const graph::EdgeIndex index(g);
            bsnaps = graph::snap_points(index, in.buildings, snap, a.threads);
            ssnaps = graph::snap_points(index, in.stations, snap, a.threads);
            csnaps = graph::snap_points(index, in.candidates, snap, a.threads);
        } else {
            const NearestEdge index(g);
            bsnaps = index.snap(in.buildings, snap.max_snap_m);
            ssnaps = index.snap(in.stations, snap.max_snap_m);
            csnaps = index.snap(in.candidates, snap.max_snap_m);
        }
        snap_s.push_back(seconds_since(t1));

        const auto t2 = Clock::now();
        const double cpu2 = cpu_s();
        const coverage::CoverSets existing = coverage::cover_sets(g, bsnaps, ssnaps, a.minutes, a.speed_kmh, a.threads);
        const coverage::CoverSets cand = coverage::cover_sets(g, bsnaps, csnaps, a.minutes, a.speed_kmh, a.threads);
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
        last = siting::solve(inst, siting::Options{.p = a.p, .max_nodes = a.max_nodes, .time_limit_s = a.time_limit_s, .gap_tolerance = a.gap});
        solve_s.push_back(seconds_since(t3));
        cpu_cover_solve_s.push_back(cpu_s() - cpu2);
        total_s.push_back(seconds_since(t0));
        if (rep + 1 == a.reps) last_instance = std::move(inst);
        greedy_s.push_back(last.timings.presolve_s + last.timings.greedy_s);
        lp_s.push_back(last.timings.lp_s);
        mip_s.push_back(last.timings.mip_s);
        ls_s.push_back(last.timings.local_search_s);
        presolve_s.push_back(last.timings.presolve_s);
    }
    if (!a.dump.empty()) {
        // text: "n m p", weights, existing counts, then per candidate "size d1 d2 ..."
        std::FILE* f = std::fopen(a.dump.c_str(), "w");
        if (f == nullptr) throw std::runtime_error("cannot write '" + a.dump + "'");
        const siting::Instance& d = last_instance;
        std::fprintf(f, "%zu %zu %u\n", d.weight.size(), d.candidate_count(), a.p);
        for (const double w : d.weight) std::fprintf(f, "%.17g\n", w);
        for (const std::uint32_t c : d.existing_count) std::fprintf(f, "%u\n", c);
        for (std::size_t j = 0; j < d.candidate_count(); ++j) {
            std::fprintf(f, "%u", d.cover_offsets[j + 1] - d.cover_offsets[j]);
            for (std::uint32_t e = d.cover_offsets[j]; e < d.cover_offsets[j + 1]; ++e) std::fprintf(f, " %u", d.cover_demand[e]);
            std::fprintf(f, "\n");
        }
        std::fclose(f);
    }
    // street length within reach as the objective (one run)
    double street_build_s = 0, street_solve_s = 0;
    siting::Result street;
    std::size_t street_pieces = 0;
    if (a.street) {
        const graph::WalkGraph g = graph::build_walk_graph(in.lines, graph::GraphOptions{});
        const graph::EdgeIndex index(g);
        core::Scene scene;
        for (std::size_t i = 0; i < in.stations.size(); ++i) {
            core::Facility f;
            f.id = "s" + std::to_string(i);
            f.kind = core::FacilityKind::warm_station;
            f.location = in.stations[i];
            scene.facilities.push_back(f);
        }
        std::vector<siting::Candidate> cands;
        for (std::size_t j = 0; j < in.candidates.size(); ++j) {
            cands.push_back(siting::Candidate{.id = "c" + std::to_string(j), .position = in.candidates[j]});
        }
        siting::InstanceOptions io;
        io.weight = siting::InstanceOptions::Weight::street_m;
        io.threshold_min = a.minutes;
        io.speed_kmh = a.speed_kmh;
        io.threads = a.threads;
        const auto t0 = Clock::now();
        const siting::StreetInstance si = siting::build_street_instance(scene, index, cands, io);
        street_build_s = seconds_since(t0);
        street_pieces = si.pieces.size();
        const auto t1 = Clock::now();
        street = siting::solve(si.instance, siting::Options{.p = a.p, .max_nodes = a.max_nodes, .time_limit_s = a.time_limit_s, .gap_tolerance = a.gap});
        street_solve_s = seconds_since(t1);
    }
    std::printf("{\"street\": %s, \"street_pieces\": %zu, \"street_build_s\": %.4f, \"street_solve_s\": %.4f, "
                "\"street_objective\": %.3f, \"street_bound\": %.3f, \"street_gap\": %.8f, \"street_status\": \"%s\", "
                "\"street_greedy\": %.3f, \"street_greedy_s\": %.4f, \"street_total_m\": %.3f, \"street_already_m\": %.3f, "
                "\"street_groups\": %zu}\n",
                a.street ? "true" : "false", street_pieces, street_build_s, street_solve_s, street.incumbent, street.bound,
                street.gap, street.status.c_str(), street.greedy_value,
                street.timings.presolve_s + street.timings.greedy_s, street.total_weight, street.already_covered_weight,
                street.presolve.demand_groups);
    const auto& ps = last.presolve;
    std::printf(
        "{\"nodes\": %zu, \"edges\": %zu, \"buildings\": %zu, \"candidates\": %zu, \"stations\": %zu, \"p\": %u, "
        "\"reps\": %d, \"read_s\": %.4f, \"graph_s\": %.4f, \"snap_s\": %.4f, \"cover_s\": %.4f, \"solve_s\": %.4f, "
        "\"total_s\": %.4f, \"cpu_cover_solve_s\": %.4f, \"presolve_s\": %.4f, \"greedy_s\": %.4f, \"local_search_s\": %.4f, \"lp_s\": %.4f, "
        "\"mip_s\": %.4f, \"objective\": %.3f, \"bound\": %.3f, \"gap\": %.8f, \"optimal\": %s, \"status\": \"%s\", "
        "\"greedy\": %.3f, \"lp_bound\": %.3f, \"sites\": %zu, \"already_covered\": %.3f, \"total_weight\": %.3f, "
        "\"demand_groups\": %zu, \"demand_satisfied\": %zu, \"demand_uncoverable\": %zu, "
        "\"candidates_kept\": %zu, \"candidates_dominated\": %zu, \"candidates_empty\": %zu}\n",
        nodes, edges, in.buildings.size(), in.candidates.size(), in.stations.size(), a.p, a.reps, read_s,
        median(graph_s), median(snap_s), median(cover_s), median(solve_s), median(total_s), median(cpu_cover_solve_s), median(presolve_s),
        median(greedy_s), median(ls_s), median(lp_s), median(mip_s), last.incumbent, last.bound, last.gap,
        last.optimal ? "true" : "false", last.status.c_str(), last.greedy_value, last.lp_bound, last.sites.size(),
        last.already_covered_weight, last.total_weight, ps.demand_groups, ps.demand_satisfied, ps.demand_uncoverable,
        ps.candidates_kept, ps.candidates_dominated, ps.candidates_empty);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench_siting: %s\n", e.what());
    return 1;
}
