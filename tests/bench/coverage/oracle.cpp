// Coverage oracle for the coverage benchmark: brute-force per-building Dijkstra on a graph where every
// edge is physically split at the station positions (graph surgery), with the building inserted as a
// virtual node on its own snapped edge(s). Deliberately independent of the gridplan engine: no engine
// header is included, snapping is a plain uniform-grid nearest-segment search and distances are double.
//
// Rule checked (coverage.md §4): building i is covered iff
//     min over its snaps (a_i + net(p_i, q_s) + [station access] a_s) <= budget
// where p_i/q_s are exact positions along edges and a = straight access leg.
//
// Usage:
//   coverage_oracle --edges edges.gpkg --stations stations.gpkg --points bld_points.csv
//                   --budget 1000 [--k 3] [--station-k 3] [--max-snap 300] [--slack 60]
//                   [--station-access 0|1] --out oracle.csv
// edges.gpkg: layer with fields source, target and a LineString (the shared noded graph, §5.1).
// stations.gpkg: point layer with an integer field sid. bld_points.csv: "bid,x,y" header + rows.
// Output CSV: bid,dist_m,covered (dist_m = -1 when nothing within budget or unsnappable).

#include <gdal.h>
#include <ogr_api.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <queue>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Xy {
    double x = 0.0;
    double y = 0.0;
};

struct Edge {
    long long source = 0;
    long long target = 0;
    std::vector<Xy> pts;
    std::vector<double> cum;  // cumulative length at each vertex
    double length() const { return cum.back(); }
};

struct Snap {
    int edge = -1;
    double offset_m = 0.0;  // along the edge from its first vertex
    double access_m = 0.0;  // straight leg from the point to the edge
};

struct Args {
    std::string edges, stations, points, out;
    double budget_m = 1000.0;
    int k = 3;
    int station_k = 3;
    double max_snap_m = 300.0;
    double slack_m = 60.0;  // extra snap candidates at most this much farther than the nearest
    bool station_access = true;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string key = argv[i];
        std::string val = argv[i + 1];
        if (key == "--edges") a.edges = val;
        else if (key == "--stations") a.stations = val;
        else if (key == "--points") a.points = val;
        else if (key == "--out") a.out = val;
        else if (key == "--budget") a.budget_m = std::stod(val);
        else if (key == "--k") a.k = std::stoi(val);
        else if (key == "--slack") a.slack_m = std::stod(val);
        else if (key == "--station-k") a.station_k = std::stoi(val);
        else if (key == "--max-snap") a.max_snap_m = std::stod(val);
        else if (key == "--station-access") a.station_access = val != "0";
        else throw std::runtime_error("unknown argument " + key);
    }
    if (a.edges.empty() || a.stations.empty() || a.points.empty() || a.out.empty())
        throw std::runtime_error("need --edges --stations --points --out");
    return a;
}

OGRLayerH first_layer(GDALDatasetH ds, const std::string& path) {
    if (ds == nullptr) throw std::runtime_error("cannot open " + path);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    if (layer == nullptr) throw std::runtime_error("no layer in " + path);
    return layer;
}

std::vector<Edge> read_edges(const std::string& path) {
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    OGRLayerH layer = first_layer(ds, path);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int fs = OGR_FD_GetFieldIndex(defn, "source");
    int ft = OGR_FD_GetFieldIndex(defn, "target");
    if (fs < 0 || ft < 0) throw std::runtime_error("edges need source/target fields: " + path);
    std::vector<Edge> edges;
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        Edge e;
        e.source = OGR_F_GetFieldAsInteger64(f, fs);
        e.target = OGR_F_GetFieldAsInteger64(f, ft);
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g != nullptr && OGR_G_GetGeometryCount(g) > 0) g = OGR_G_GetGeometryRef(g, 0);  // MultiLineString
        int n = g ? OGR_G_GetPointCount(g) : 0;
        for (int i = 0; i < n; ++i) e.pts.push_back({OGR_G_GetX(g, i), OGR_G_GetY(g, i)});
        OGR_F_Destroy(f);
        if (e.pts.size() < 2) continue;
        e.cum.assign(e.pts.size(), 0.0);
        for (std::size_t i = 1; i < e.pts.size(); ++i)
            e.cum[i] = e.cum[i - 1] + std::hypot(e.pts[i].x - e.pts[i - 1].x, e.pts[i].y - e.pts[i - 1].y);
        edges.push_back(std::move(e));
    }
    GDALClose(ds);
    return edges;
}

std::vector<std::pair<long long, Xy>> read_stations(const std::string& path) {
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    OGRLayerH layer = first_layer(ds, path);
    int fsid = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "sid");
    std::vector<std::pair<long long, Xy>> out;
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        long long sid = fsid >= 0 ? OGR_F_GetFieldAsInteger64(f, fsid) : OGR_F_GetFID(f);
        out.push_back({sid, {OGR_G_GetX(g, 0), OGR_G_GetY(g, 0)}});
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return out;
}

std::vector<std::pair<long long, Xy>> read_points_csv(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::string line;
    std::getline(in, line);  // header
    std::vector<std::pair<long long, Xy>> out;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::stringstream ss(line);
        std::string a, b, c;
        std::getline(ss, a, ',');
        std::getline(ss, b, ',');
        std::getline(ss, c, ',');
        out.push_back({std::stoll(a), {std::stod(b), std::stod(c)}});
    }
    return out;
}

/// Uniform grid of segment bounding boxes; k-nearest edges by exact point-segment distance.
class SegmentGrid {
public:
    SegmentGrid(const std::vector<Edge>& edges, double cell_m, double slack_m)
        : edges_(edges), cell_(cell_m), slack_m_(slack_m) {
        minx_ = miny_ = std::numeric_limits<double>::max();
        double maxx = -minx_, maxy = -miny_;
        for (const Edge& e : edges)
            for (const Xy& p : e.pts) {
                minx_ = std::min(minx_, p.x); miny_ = std::min(miny_, p.y);
                maxx = std::max(maxx, p.x); maxy = std::max(maxy, p.y);
            }
        nx_ = static_cast<int>((maxx - minx_) / cell_) + 1;
        ny_ = static_cast<int>((maxy - miny_) / cell_) + 1;
        cells_.resize(static_cast<std::size_t>(nx_) * ny_);
        for (int ei = 0; ei < static_cast<int>(edges.size()); ++ei) {
            const Edge& e = edges[ei];
            for (int si = 0; si + 1 < static_cast<int>(e.pts.size()); ++si) {
                const Xy& a = e.pts[si];
                const Xy& b = e.pts[si + 1];
                int x0 = cx(std::min(a.x, b.x)), x1 = cx(std::max(a.x, b.x));
                int y0 = cy(std::min(a.y, b.y)), y1 = cy(std::max(a.y, b.y));
                for (int x = x0; x <= x1; ++x)
                    for (int y = y0; y <= y1; ++y) cells_[idx(x, y)].push_back({ei, si});
            }
        }
    }

    /// Up to k distinct edges nearest to p (ties broken by edge index), each with its best projection.
    std::vector<Snap> nearest(Xy p, int k, double max_m) const {
        std::map<int, Snap> best;  // edge -> best snap on it
        int px = static_cast<int>(std::floor((p.x - minx_) / cell_));
        int py = static_cast<int>(std::floor((p.y - miny_) / cell_));
        for (int ring = 0;; ++ring) {
            for (int x = px - ring; x <= px + ring; ++x)
                for (int y = py - ring; y <= py + ring; ++y) {
                    if (std::max(std::abs(x - px), std::abs(y - py)) != ring) continue;
                    if (x < 0 || y < 0 || x >= nx_ || y >= ny_) continue;
                    for (auto [ei, si] : cells_[idx(x, y)]) {
                        Snap s = project(ei, si, p);
                        auto it = best.find(ei);
                        if (it == best.end() || s.access_m < it->second.access_m ||
                            (s.access_m == it->second.access_m && s.offset_m < it->second.offset_m))
                            best[ei] = s;
                    }
                }
            // Everything within ring*cell of p has been seen once the ring is complete.
            double safe = ring * cell_;
            std::vector<Snap> chosen = distinct_positions(best, k, max_m);
            // complete once every edge that could still be chosen (within k positions, or within the
            // slack of the nearest) lies inside the searched square
            bool complete = !chosen.empty() &&
                            (static_cast<int>(chosen.size()) == k ? chosen.back().access_m <= safe
                                                                   : chosen.front().access_m + slack_m_ <= safe);
            bool out_of_grid = px - ring < 0 && py - ring < 0 && px + ring >= nx_ && py + ring >= ny_;
            if (complete || safe > max_m || out_of_grid) return chosen;
        }
    }

private:
    /// Nearest first (ties by edge index); a snap at an edge end is its node, and one node counts
    /// once however many edges end there.
    std::vector<Snap> distinct_positions(const std::map<int, Snap>& best, int k, double max_m) const {
        std::vector<Snap> all;
        for (auto& [ei, s] : best)
            if (s.access_m <= max_m) all.push_back(s);
        std::sort(all.begin(), all.end(), [](const Snap& a, const Snap& b) {
            return a.access_m != b.access_m ? a.access_m < b.access_m : a.edge < b.edge;
        });
        std::vector<Snap> out;
        std::vector<long long> nodes_used;
        for (const Snap& s : all) {
            if (!out.empty() && s.access_m > out.front().access_m + slack_m_) break;  // reaching too far
            const Edge& e = edges_[s.edge];
            bool at_end = s.offset_m <= 1e-9 || s.offset_m >= e.length() - 1e-9;
            if (at_end) {
                long long node = s.offset_m <= 1e-9 ? e.source : e.target;
                if (std::find(nodes_used.begin(), nodes_used.end(), node) != nodes_used.end()) continue;
                nodes_used.push_back(node);
            }
            out.push_back(s);
            if (static_cast<int>(out.size()) == k) break;
        }
        return out;
    }

private:
    Snap project(int ei, int si, Xy p) const {
        const Edge& e = edges_[ei];
        const Xy& a = e.pts[si];
        const Xy& b = e.pts[si + 1];
        double dx = b.x - a.x, dy = b.y - a.y;
        double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
        t = std::clamp(t, 0.0, 1.0);
        double qx = a.x + t * dx, qy = a.y + t * dy;
        // Clamped: cum[si] + t * |ab| can exceed the edge length by a rounding error at t = 1.
        return {ei, std::min(e.cum[si] + t * std::sqrt(len2), e.length()), std::hypot(p.x - qx, p.y - qy)};
    }
    int cx(double x) const { return std::clamp(static_cast<int>((x - minx_) / cell_), 0, nx_ - 1); }
    int cy(double y) const { return std::clamp(static_cast<int>((y - miny_) / cell_), 0, ny_ - 1); }
    std::size_t idx(int x, int y) const { return static_cast<std::size_t>(x) * ny_ + y; }

    const std::vector<Edge>& edges_;
    double cell_;
    double slack_m_;
    double minx_, miny_;
    int nx_ = 1, ny_ = 1;
    std::vector<std::vector<std::pair<int, int>>> cells_;
};

/// Adjacency-list graph after surgery: every edge split at the station positions on it.
struct Graph {
    std::vector<std::vector<std::pair<int, double>>> adj;
    std::vector<char> is_station;
    int add_node() {
        adj.emplace_back();
        is_station.push_back(0);
        return static_cast<int>(adj.size()) - 1;
    }
    void link(int a, int b, double w) {
        adj[a].push_back({b, w});
        adj[b].push_back({a, w});
    }
};

}  // namespace

int main(int argc, char** argv) try {
    Args args = parse(argc, argv);
    GDALAllRegister();
    auto t0 = std::chrono::steady_clock::now();
    std::vector<Edge> edges = read_edges(args.edges);
    auto stations = read_stations(args.stations);
    auto points = read_points_csv(args.points);
    SegmentGrid grid(edges, 100.0, args.slack_m);

    // Graph nodes for the network's own nodes.
    Graph g;
    std::unordered_map<long long, int> node_of;
    auto node = [&](long long id) {
        auto [it, fresh] = node_of.try_emplace(id, 0);
        if (fresh) it->second = g.add_node();
        return it->second;
    };
    // Cut points per edge: (offset, graph node), source end first, target end last, stations between.
    std::vector<std::vector<std::pair<double, int>>> station_cuts(edges.size());
    int snapped_stations = 0;
    for (auto& [sid, p] : stations) {
        std::vector<Snap> snaps = grid.nearest(p, args.station_k, args.max_snap_m);
        if (snaps.empty()) continue;
        ++snapped_stations;
        int st = g.add_node();
        g.is_station[st] = 1;
        for (const Snap& s : snaps) {
            int cut = g.add_node();
            station_cuts[s.edge].push_back({s.offset_m, cut});
            g.link(st, cut, args.station_access ? s.access_m : 0.0);
        }
    }
    std::vector<std::vector<std::pair<double, int>>> cuts(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
        auto& c = cuts[i];
        std::sort(station_cuts[i].begin(), station_cuts[i].end());
        c.push_back({0.0, node(edges[i].source)});
        c.insert(c.end(), station_cuts[i].begin(), station_cuts[i].end());
        c.push_back({edges[i].length(), node(edges[i].target)});
        // Never a negative piece: a station cut a rounding error past the edge end would make a
        // negative cycle, and the Dijkstra below would then relax it forever (the std::bad_alloc
        // of the M instance in sessions 1 and 2: the heap grew by one entry per lap).
        for (std::size_t j = 0; j + 1 < c.size(); ++j)
            g.link(c[j].second, c[j + 1].second, std::max(0.0, c[j + 1].first - c[j].first));
    }
    auto t1 = std::chrono::steady_clock::now();

    // Per-building Dijkstra from a virtual node; stops at the first station settled.
    int n = static_cast<int>(g.adj.size());
    std::vector<double> dist(n + 1, 0.0);
    std::vector<unsigned> stamp(n + 1, 0);
    unsigned cur = 0;
    using Item = std::pair<double, int>;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
    std::FILE* out = std::fopen(args.out.c_str(), "w");
    if (out == nullptr) throw std::runtime_error("cannot write " + args.out);
    std::fprintf(out, "bid,dist_m,covered\n");
    long long covered = 0, unsnapped = 0;
    for (auto& [bid, p] : points) {
        std::vector<Snap> snaps = grid.nearest(p, args.k, args.max_snap_m);
        if (snaps.empty()) {
            ++unsnapped;
            std::fprintf(out, "%lld,-1,0\n", bid);
            continue;
        }
        ++cur;
        heap = {};
        auto relax = [&](int v, double d) {
            if (d > args.budget_m) return;
            if (stamp[v] != cur || d < dist[v]) {
                stamp[v] = cur;
                dist[v] = d;
                heap.push({d, v});
            }
        };
        for (const Snap& s : snaps) {
            const auto& c = cuts[s.edge];
            // the piece [c[j], c[j+1]] that holds the building's offset
            std::size_t j = 0;
            while (j + 2 < c.size() && c[j + 1].first < s.offset_m) ++j;
            relax(c[j].second, s.access_m + (s.offset_m - c[j].first));
            relax(c[j + 1].second, s.access_m + (c[j + 1].first - s.offset_m));
        }
        double found = -1.0;
        while (!heap.empty()) {
            auto [d, v] = heap.top();
            heap.pop();
            if (d > dist[v]) continue;
            if (g.is_station[v]) {
                found = d;
                break;
            }
            for (auto [w, len] : g.adj[v]) relax(w, d + len);
        }
        bool cov = found >= 0.0;
        covered += cov ? 1 : 0;
        std::fprintf(out, "%lld,%.6f,%d\n", bid, found, cov ? 1 : 0);
    }
    std::fclose(out);
    auto t2 = std::chrono::steady_clock::now();
    std::printf("oracle: %zu edges, %d/%zu stations snapped, %zu buildings, %lld covered (%.2f%%), %lld unsnapped; "
                "build %.2f s, per-building search %.2f s\n",
                edges.size(), snapped_stations, stations.size(), points.size(), covered,
                100.0 * static_cast<double>(covered) / static_cast<double>(points.size()), unsnapped,
                std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "coverage_oracle: %s\n", e.what());
    return 1;
}
