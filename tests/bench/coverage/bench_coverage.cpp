// gridplan side of the coverage benchmark (issue 6; driver: tests/bench/coverage/run.sh).
//
// Reads the shared inputs (road lines, stations, buildings as GeoPackage), builds the engine's walking
// graph, exports it as the shared noded graph edges.gpkg (id, source, target, cost, reverse_cost,
// LineString; coverage.md §5.1) so every peer and the oracle use identical topology, writes the access
// point of every building (bld_points.csv), then times the engine's coverage stages:
//   load      GDAL read of the three layers into a core::Scene (the bench's own reader)
//   graph     graph::build_walk_graph (noding + CSR)
//   snap      graph::snap_points of every building access point (stand-alone call, for the split)
//   coverage  coverage::compute_coverage with polygons off  = snap + search + stats
//   polygons  compute_coverage with polygons on, minus the run with polygons off
// Each timed stage is repeated --reps times; medians are printed as one JSON line.
// Peak memory: getrusage(RUSAGE_SELF).ru_maxrss; process_cpu_s = user + system CPU of the whole run.
//
// Usage:
//   bench_coverage --lines L.gpkg --stations S.gpkg --buildings B.gpkg --minutes 15 --speed-kmh 4
//                  [--threads 2] [--reps 3] [--per-facility 1] [--export-edges edges.gpkg]
//                  [--points-out bld_points.csv] [--out cov_gridplan.csv] [--no-polygons]
//                  [--many-stations cand.gpkg] [--dump result.txt]
// --dump: every number of the last compute_coverage result (snaps, per-kind arrays, per-facility
// totals, per-area table) as %.17g text, to check that a change of the engine keeps the results.
// --many-stations: also times compute_coverage (polygons off) with that point layer as the stations
// instead of --stations (marginal cost per start; JSON keys many_*).
// Lines: any line layer; fields layer/bridge/tunnel (OSM) are honoured when present.
// Stations: point layer with integer `sid`. Buildings: polygon layer with integer `bid`, optional `pop`.

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/scene.hpp"
#include "coverage/coverage.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"

namespace {

using namespace gridplan;
using Clock = std::chrono::steady_clock;

struct Args {
    std::string lines, stations, buildings, export_edges, points_out, out, many_stations, dump;
    double minutes = 15.0;
    double speed_kmh = 4.0;
    int threads = 2;
    int reps = 3;
    bool per_facility = true;
    bool polygons = true;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string key = argv[i];
        if (key == "--no-polygons") {
            a.polygons = false;
            continue;
        }
        if (i + 1 >= argc) {
            throw std::runtime_error("missing value after " + key);
        }
        const std::string val = argv[++i];
        if (key == "--lines") a.lines = val;
        else if (key == "--stations") a.stations = val;
        else if (key == "--buildings") a.buildings = val;
        else if (key == "--export-edges") a.export_edges = val;
        else if (key == "--points-out") a.points_out = val;
        else if (key == "--out") a.out = val;
        else if (key == "--many-stations") a.many_stations = val;
        else if (key == "--dump") a.dump = val;
        else if (key == "--minutes") a.minutes = std::stod(val);
        else if (key == "--speed-kmh") a.speed_kmh = std::stod(val);
        else if (key == "--threads") a.threads = std::stoi(val);
        else if (key == "--reps") a.reps = std::max(1, std::stoi(val));
        else if (key == "--per-facility") a.per_facility = val != "0";
        else throw std::runtime_error("unknown argument " + key);
    }
    if (a.lines.empty() || a.stations.empty() || a.buildings.empty()) {
        throw std::runtime_error("need --lines --stations --buildings");
    }
    return a;
}

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

long peak_rss_kb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

/// User + system CPU seconds of the whole process so far (the machine is shared: wall >> CPU).
double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

/// An open vector dataset's first layer; closes the dataset on destruction.
class Source {
public:
    explicit Source(const std::string& path)
        : ds_(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)) {
        if (ds_ == nullptr) throw std::runtime_error("open '" + path + "': GDAL cannot read it");
        layer_ = GDALDatasetGetLayer(ds_, 0);
        if (layer_ == nullptr) throw std::runtime_error("open '" + path + "': no layer");
    }
    ~Source() { GDALClose(ds_); }
    Source(const Source&) = delete;
    Source& operator=(const Source&) = delete;
    OGRLayerH layer() const { return layer_; }
    int field(const char* name) const { return OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer_), name); }
    int epsg() const {
        OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer_);
        if (srs == nullptr) return 0;
        const char* code = OSRGetAuthorityCode(srs, nullptr);
        return code != nullptr ? std::atoi(code) : 0;
    }

private:
    GDALDatasetH ds_;
    OGRLayerH layer_ = nullptr;
};

void append_line(OGRGeometryH g, std::vector<core::LineString>& out) {
    const auto type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type == wkbMultiLineString) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i) append_line(OGR_G_GetGeometryRef(g, i), out);
        return;
    }
    if (type != wkbLineString) return;
    core::LineString line;
    for (int i = 0; i < OGR_G_GetPointCount(g); ++i) line.emplace_back(OGR_G_GetX(g, i), OGR_G_GetY(g, i));
    out.push_back(std::move(line));
}

core::Ring ring_of(OGRGeometryH r) {
    core::Ring ring;
    for (int i = 0; i < OGR_G_GetPointCount(r); ++i) ring.emplace_back(OGR_G_GetX(r, i), OGR_G_GetY(r, i));
    return ring;
}

void append_polygon(OGRGeometryH g, core::MultiPolygon& out) {
    const auto type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type == wkbMultiPolygon) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i) append_polygon(OGR_G_GetGeometryRef(g, i), out);
        return;
    }
    if (type != wkbPolygon || OGR_G_GetGeometryCount(g) == 0) return;
    core::Polygon poly;
    poly.outer() = ring_of(OGR_G_GetGeometryRef(g, 0));
    for (int i = 1; i < OGR_G_GetGeometryCount(g); ++i) poly.inners().push_back(ring_of(OGR_G_GetGeometryRef(g, i)));
    out.push_back(std::move(poly));
}

/// Station points (integer `sid`, else `cid`, else the FID) as service-centre facilities.
std::vector<core::Facility> load_stations(const std::string& path) {
    std::vector<core::Facility> out;
    Source src(path);
    int f_id = src.field("sid");
    if (f_id < 0) f_id = src.field("cid");
    while (OGRFeatureH f = OGR_L_GetNextFeature(src.layer())) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g != nullptr && !OGR_G_IsEmpty(g)) {
            core::Facility fac;
            fac.id = std::to_string(f_id >= 0 ? OGR_F_GetFieldAsInteger64(f, f_id) : OGR_F_GetFID(f));
            fac.name = "station " + fac.id;
            fac.kind = core::FacilityKind::service_centre;
            fac.type = "service_centre";
            fac.location = core::Point(OGR_G_GetX(g, 0), OGR_G_GetY(g, 0));
            out.push_back(std::move(fac));
        }
        OGR_F_Destroy(f);
    }
    return out;
}

struct Input {
    core::Scene scene;
    std::vector<long long> bid;           // per scene building
    std::vector<core::LineString> lines;  // when the line layer has no grade fields
    bool has_grades = false;
};

Input load(const Args& a) {
    Input in;
    {
        Source src(a.lines);
        in.scene.crs.epsg = src.epsg();
        const int f_layer = src.field("layer");
        const int f_bridge = src.field("bridge");
        const int f_tunnel = src.field("tunnel");
        in.has_grades = f_layer >= 0 || f_bridge >= 0 || f_tunnel >= 0;
        const auto yes = [](OGRFeatureH f, int i) {
            if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i)) return false;
            const std::string v = OGR_F_GetFieldAsString(f, i);
            return !v.empty() && v != "no" && v != "0";
        };
        OGR_L_ResetReading(src.layer());
        while (OGRFeatureH f = OGR_L_GetNextFeature(src.layer())) {
            std::vector<core::LineString> parts;
            if (OGRGeometryH g = OGR_F_GetGeometryRef(f)) append_line(g, parts);
            for (auto& line : parts) {
                if (in.has_grades) {
                    core::Road road;
                    road.id = std::to_string(OGR_F_GetFID(f));
                    road.line = std::move(line);
                    road.layer = f_layer >= 0 && OGR_F_IsFieldSetAndNotNull(f, f_layer) ? OGR_F_GetFieldAsInteger(f, f_layer) : 0;
                    road.bridge = yes(f, f_bridge);
                    road.tunnel = yes(f, f_tunnel);
                    in.scene.roads.push_back(std::move(road));
                } else {
                    in.lines.push_back(std::move(line));
                }
            }
            OGR_F_Destroy(f);
        }
    }
    in.scene.facilities = load_stations(a.stations);
    {
        Source src(a.buildings);
        const int f_bid = src.field("bid");
        const int f_pop = src.field("pop");
        while (OGRFeatureH f = OGR_L_GetNextFeature(src.layer())) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            if (g != nullptr && !OGR_G_IsEmpty(g)) {
                core::Building b;
                const long long bid = f_bid >= 0 ? OGR_F_GetFieldAsInteger64(f, f_bid) : OGR_F_GetFID(f);
                b.id = std::to_string(bid);
                append_polygon(g, b.footprint);
                core::bg::correct(b.footprint);
                OGRGeometryH pos = OGR_G_PointOnSurface(g);  // GEOS PointOnSurface, as io/ does
                b.anchor = core::Point(OGR_G_GetX(pos, 0), OGR_G_GetY(pos, 0));
                OGR_G_DestroyGeometry(pos);
                b.area_m2 = core::bg::area(b.footprint);
                b.population = f_pop >= 0 ? OGR_F_GetFieldAsDouble(f, f_pop) : 0.0;
                b.households = b.population / 2.62;
                b.population_estimated = f_pop < 0;
                in.scene.buildings.push_back(std::move(b));
                in.bid.push_back(bid);
            }
            OGR_F_Destroy(f);
        }
    }
    return in;
}

graph::WalkGraph build_graph(Input& in) {
    const graph::GraphOptions options;
    if (in.has_grades) {
        auto built = graph::build_walk_graph(in.scene.roads, options);
        in.scene.ledger.append(built.ledger);
        return std::move(built.graph);
    }
    return graph::build_walk_graph(in.lines, options);
}

/// The shared noded graph (coverage.md §5.1): id = edge index + 1, source/target = node index + 1.
void export_edges(const graph::WalkGraph& g, int epsg, const std::string& path) {
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    VSIUnlink(path.c_str());
    GDALDatasetH ds = GDALCreate(drv, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (ds == nullptr) throw std::runtime_error("write '" + path + "': GDAL cannot create it");
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    if (epsg > 0) OSRImportFromEPSG(srs, epsg);
    OGRLayerH layer = GDALDatasetCreateLayer(ds, "edges", epsg > 0 ? srs : nullptr, wkbLineString, nullptr);
    const char* int_fields[] = {"id", "source", "target"};
    for (const char* name : int_fields) {
        OGRFieldDefnH fd = OGR_Fld_Create(name, OFTInteger64);
        OGR_L_CreateField(layer, fd, TRUE);
        OGR_Fld_Destroy(fd);
    }
    for (const char* name : {"cost", "reverse_cost"}) {
        OGRFieldDefnH fd = OGR_Fld_Create(name, OFTReal);
        OGR_L_CreateField(layer, fd, TRUE);
        OGR_Fld_Destroy(fd);
    }
    GDALDatasetStartTransaction(ds, FALSE);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    for (std::size_t e = 0; e < g.edge_count(); ++e) {
        OGRFeatureH f = OGR_F_Create(defn);
        OGR_F_SetFieldInteger64(f, 0, static_cast<GIntBig>(e + 1));
        OGR_F_SetFieldInteger64(f, 1, static_cast<GIntBig>(g.edge_from[e]) + 1);
        OGR_F_SetFieldInteger64(f, 2, static_cast<GIntBig>(g.edge_to[e]) + 1);
        OGR_F_SetFieldDouble(f, 3, g.edge_length_m[e]);
        OGR_F_SetFieldDouble(f, 4, g.edge_length_m[e]);
        OGRGeometryH line = OGR_G_CreateGeometry(wkbLineString);
        for (const auto& p : g.edge_geometry[e]) OGR_G_AddPoint_2D(line, p.x(), p.y());
        OGR_F_SetGeometryDirectly(f, line);
        OGR_F_SetFID(f, static_cast<GIntBig>(e + 1));
        if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) throw std::runtime_error("write '" + path + "': feature");
        OGR_F_Destroy(f);
    }
    GDALDatasetCommitTransaction(ds);
    OSRDestroySpatialReference(srs);
    GDALClose(ds);
}

coverage::Options coverage_options(const Args& a, bool polygons) {
    coverage::Options o;
    o.profiles = {{"adult", a.speed_kmh}};
    o.thresholds_min = {a.minutes};
    o.threads = a.threads;
    o.polygons.enabled = polygons;
    o.polygons.per_facility = a.per_facility;
    return o;
}

/// Writes every number of a coverage result (see --dump).
void dump_result(const coverage::Result& r, const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr) throw std::runtime_error("write '" + path + "'");
    const auto snaps = [&](const char* what, const graph::SnapTable& t) {
        for (std::size_t i = 0; i < t.size(); ++i) {
            std::fprintf(f, "%s %zu", what, i);
            for (const auto& s : t.of(i)) std::fprintf(f, " %u %.17g %.17g", s.edge, s.offset_m, s.access_m);
            std::fprintf(f, "\n");
        }
    };
    snaps("bsnap", r.building_snaps);
    snaps("fsnap", r.facility_snaps);
    for (const auto& k : r.kinds) {
        for (std::size_t b = 0; b < k.nearest.size(); ++b) {
            std::fprintf(f, "kind %d b %zu %u %.17g %u %.17g %u %u", static_cast<int>(k.kind), b, k.nearest[b],
                         k.distance_m[b], k.euclid_nearest[b], k.euclid_distance_m[b], k.euclid_count[b],
                         k.no_facility[b]);
            const std::size_t n_slots = k.count.size() / k.nearest.size();
            for (std::size_t s = 0; s < n_slots; ++s) std::fprintf(f, " %u", k.count[b * n_slots + s]);
            std::fprintf(f, "\n");
        }
    }
    const auto totals = [&](const coverage::Totals& t) {
        std::fprintf(f, " %.17g %.17g %.17g %.17g", t.buildings, t.households, t.residents, t.street_m);
    };
    for (const auto& fc : r.facilities) {
        std::fprintf(f, "facility %u %d %.17g", fc.facility, fc.snapped ? 1 : 0, fc.access_m);
        for (const auto& t : fc.within) totals(t);
        std::fprintf(f, "\n");
    }
    for (const auto& a : r.areas) {
        std::fprintf(f, "area %d %u %d %d %zu %.17g %.17g", static_cast<int>(a.level), a.area, static_cast<int>(a.kind),
                     static_cast<int>(a.method), a.profile, a.threshold_min, a.radius_m);
        totals(a.all);
        totals(a.covered);
        totals(a.doubled);
        std::fprintf(f, "\n");
    }
    const auto rings = [&](const char* what, const core::MultiPolygon& mp) {
        std::fprintf(f, "%s", what);
        for (const auto& poly : mp) {
            for (const auto& p : poly.outer()) std::fprintf(f, " %.17g %.17g", p.x(), p.y());
            for (const auto& in : poly.inners()) {
                std::fprintf(f, " |");
                for (const auto& p : in) std::fprintf(f, " %.17g %.17g", p.x(), p.y());
            }
            std::fprintf(f, " ;");
        }
        std::fprintf(f, "\n");
    };
    for (const auto& c : r.circles) {
        std::fprintf(f, "circle %u %d %zu %.17g", c.facility, static_cast<int>(c.kind), c.profile, c.threshold_min);
        rings("", c.area);
    }
    for (const auto& b : r.blocks) rings("block", core::MultiPolygon{b});
    for (const auto& g : r.gaps) rings("gap", g.area);
    std::fclose(f);
}

/// One compute_coverage call with polygons off, timed as a whole ("<prefix>coverage") and split by
/// its progress messages: snap (buildings and facilities, with the edge index), search (multi-source
/// + per-facility searches), stats (the rest: euclidean comparison, street metres, per-area table).
coverage::Result timed_coverage(const core::Scene& scene, const graph::WalkGraph& g,
                                const coverage::Options& options, const std::string& prefix,
                                std::map<std::string, std::vector<double>>& times,
                                std::map<std::string, double>& first_progress) {
    const auto t0 = Clock::now();
    first_progress.clear();
    const core::ProgressFn progress = [&](std::string_view, std::string_view what) {
        first_progress.try_emplace(std::string(what), seconds_since(t0));
    };
    coverage::Result res = coverage::compute_coverage(scene, g, options, {}, {}, progress);
    const double total = seconds_since(t0);
    times[prefix + "coverage"].push_back(total);
    const auto at = [&](const char* what, double fallback) {
        const auto it = first_progress.find(what);
        return it == first_progress.end() ? fallback : it->second;
    };
    const double t_search = at("multi-source search", 0.0);
    const double t_stats = at("euclidean comparison", total);
    times[prefix + "cov_snap"].push_back(t_search - at("snapping buildings and facilities", 0.0));
    times[prefix + "cov_search"].push_back(t_stats - t_search);
    times[prefix + "cov_stats"].push_back(total - t_stats);
    return res;
}

}  // namespace

int main(int argc, char** argv) try {
    const Args args = parse(argc, argv);
    GDALAllRegister();
    std::map<std::string, std::vector<double>> times;

    // load and graph: timed on every repetition too, the last one is kept
    Input in;
    graph::WalkGraph g;
    for (int r = 0; r < args.reps; ++r) {
        auto t0 = Clock::now();
        in = load(args);
        times["load"].push_back(seconds_since(t0));
        t0 = Clock::now();
        g = build_graph(in);
        times["graph"].push_back(seconds_since(t0));
    }
    if (!args.export_edges.empty()) export_edges(g, in.scene.crs.epsg, args.export_edges);
    if (!args.points_out.empty()) {
        std::FILE* f = std::fopen(args.points_out.c_str(), "w");
        if (f == nullptr) throw std::runtime_error("write '" + args.points_out + "'");
        std::fprintf(f, "bid,x,y\n");
        for (std::size_t b = 0; b < in.scene.buildings.size(); ++b) {
            const auto& bld = in.scene.buildings[b];
            const core::Point& p = bld.entrance ? *bld.entrance : bld.anchor;
            std::fprintf(f, "%lld,%.17g,%.17g\n", in.bid[b], p.x(), p.y());
        }
        std::fclose(f);
    }

    std::vector<core::Point> access;
    for (const auto& b : in.scene.buildings) access.push_back(b.entrance ? *b.entrance : b.anchor);
    const coverage::Options no_poly = coverage_options(args, false);
    const coverage::Options with_poly = coverage_options(args, true);
    coverage::Result res;
    std::map<std::string, double> first_progress;  // stage -> seconds after the call started (last rep)
    for (int r = 0; r < args.reps; ++r) {
        auto t0 = Clock::now();
        const graph::SnapTable snaps = graph::snap_points(g, access, no_poly.snap, args.threads);
        times["snap"].push_back(seconds_since(t0));

        res = timed_coverage(in.scene, g, no_poly, "", times, first_progress);
        if (args.polygons) {
            t0 = Clock::now();
            const double cpu0 = cpu_seconds();
            std::map<std::string, double> poly_progress;
            const core::ProgressFn pprog = [&](std::string_view, std::string_view what) {
                poly_progress.try_emplace(std::string(what), seconds_since(t0));
            };
            coverage::Result full = coverage::compute_coverage(in.scene, g, with_poly, {}, {}, pprog);
            const double all = seconds_since(t0);
            times["coverage_with_polygons"].push_back(all);
            // CPU seconds of the whole compute_coverage run with polygons (all threads)
            times["poly_run_cpu"].push_back(cpu_seconds() - cpu0);
            const auto pat = [&](const char* what) {
                const auto it = poly_progress.find(what);
                return it == poly_progress.end() ? all : it->second;
            };
            times["poly_blocks"].push_back(pat("service circles") - pat("tracing blocks"));
            // dissolved and per-facility circles share one thread pool (one stage)
            times["poly_circles"].push_back(pat("gaps") - pat("service circles"));
            // of which: the dissolved circles as unions of the facility circles (when built so)
            times["poly_dissolve"].push_back(poly_progress.count("dissolving circles") != 0
                                                 ? pat("gaps") - pat("dissolving circles")
                                                 : 0.0);
            times["poly_gaps"].push_back(all - pat("gaps"));
            if (r + 1 == args.reps) res = std::move(full);
        }
    }
    // Marginal cost per start: the same compute_coverage call with many more stations.
    std::size_t many_n = 0;
    if (!args.many_stations.empty()) {
        core::Scene many = in.scene;
        many.facilities = load_stations(args.many_stations);
        many_n = many.facilities.size();
        std::map<std::string, double> many_progress;
        for (int r = 0; r < args.reps; ++r) {
            const coverage::Result many_res = timed_coverage(many, g, no_poly, "many_", times, many_progress);
            if (r + 1 == args.reps && !args.dump.empty()) dump_result(many_res, args.dump + ".many");
        }
    }
    if (!args.dump.empty()) dump_result(res, args.dump);
    const double budget = coverage::budget_m(args.minutes, args.speed_kmh);
    std::size_t covered = 0;
    double pop_cov = 0.0, pop_all = 0.0;
    const auto kslot = res.kind_slot(core::FacilityKind::service_centre);
    if (!args.out.empty()) {
        std::FILE* f = std::fopen(args.out.c_str(), "w");
        if (f == nullptr) throw std::runtime_error("write '" + args.out + "'");
        std::fprintf(f, "bid,dist_m,covered\n");
        for (std::size_t b = 0; b < in.scene.buildings.size(); ++b) {
            const bool cov = kslot && res.covered(*kslot, b, 0, 0);
            const double d = kslot ? res.kinds[*kslot].distance_m[b] : std::numeric_limits<double>::infinity();
            std::fprintf(f, "%lld,%.6f,%d\n", in.bid[b], std::isfinite(d) ? d : -1.0, cov ? 1 : 0);
        }
        std::fclose(f);
    }
    for (std::size_t b = 0; b < in.scene.buildings.size(); ++b) {
        const bool cov = kslot && res.covered(*kslot, b, 0, 0);
        covered += cov ? 1 : 0;
        pop_all += in.scene.buildings[b].population;
        pop_cov += cov ? in.scene.buildings[b].population : 0.0;
    }
    const double cov_med = median(times["coverage"]);
    const double poly_med = args.polygons ? median(times["coverage_with_polygons"]) - cov_med : 0.0;
    std::printf("{\"peer\":\"gridplan\",\"threads\":%d,\"reps\":%d,\"budget_m\":%.3f,"
                "\"nodes\":%zu,\"edges\":%zu,\"buildings\":%zu,\"facilities\":%zu,"
                "\"load\":%.4f,\"graph\":%.4f,\"snap\":%.4f,\"coverage\":%.4f,\"polygons\":%.4f,",
                args.threads, args.reps, budget, g.node_count(), g.edge_count(), in.scene.buildings.size(),
                in.scene.facilities.size(), median(times["load"]), median(times["graph"]), median(times["snap"]),
                cov_med, poly_med);
    std::printf("\"cov_snap\":%.4f,\"search\":%.4f,\"stats\":%.4f,", median(times["cov_snap"]),
                median(times["cov_search"]), median(times["cov_stats"]));
    if (many_n > 0) {
        std::printf("\"many_n\":%zu,\"many_coverage\":%.4f,\"many_cov_snap\":%.4f,\"many_search\":%.4f,"
                    "\"many_stats\":%.4f,",
                    many_n, median(times["many_coverage"]), median(times["many_cov_snap"]),
                    median(times["many_cov_search"]), median(times["many_cov_stats"]));
    }
    if (args.polygons) {
        std::printf("\"poly_blocks\":%.4f,\"poly_circles\":%.4f,\"poly_dissolve\":%.4f,"
                    "\"poly_gaps\":%.4f,\"poly_run_cpu_s\":%.2f,",
                    median(times["poly_blocks"]), median(times["poly_circles"]),
                    median(times["poly_dissolve"]), median(times["poly_gaps"]),
                    median(times["poly_run_cpu"]));
    }
    std::printf("\"covered\":%zu,\"pct_pop\":%.3f,\"circles\":%zu,\"selfcheck_ok\":%s,"
                "\"covered_outside\":%zu,\"uncovered_inside\":%zu,\"unreached_inside\":%zu,\"peak_rss_kb\":%ld,"
                "\"process_cpu_s\":%.2f,",
                covered, pop_all > 0 ? 100.0 * pop_cov / pop_all : 0.0, res.circles.size(),
                res.check.ok() ? "true" : "false", res.check.covered_outside, res.check.uncovered_inside,
                res.check.unreached_inside, peak_rss_kb(), cpu_seconds());
    std::printf("\"runs\":{");
    bool first = true;
    for (const auto& [k, v] : times) {
        std::printf("%s\"%s\":[", first ? "" : ",", k.c_str());
        for (std::size_t i = 0; i < v.size(); ++i) std::printf("%s%.4f", i ? "," : "", v[i]);
        std::printf("]");
        first = false;
    }
    std::printf("},\"progress_s\":{");
    first = true;
    for (const auto& [k, v] : first_progress) {
        std::printf("%s\"%s\":%.4f", first ? "" : ",", k.c_str(), v);
        first = false;
    }
    std::printf("}}\n");
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench_coverage: %s\n", e.what());
    return 1;
}
