#include "coverage/coverage.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include "core/error.hpp"
#include "coverage/detail.hpp"
#include "coverage/search.hpp"
#include "core/parallel.hpp"

namespace gridplan::coverage {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using core::Point;
using graph::kNone;

void validate(const Options& o) {
    if (o.profiles.empty()) {
        throw core::Error{core::Errc::usage, "computing coverage: no speed profile given"};
    }
    for (const auto& p : o.profiles) {
        if (!(p.speed_kmh > 0.0) || !std::isfinite(p.speed_kmh)) {
            throw core::Error{core::Errc::usage, "computing coverage with profile '" + p.name +
                                                     "': speed must be a positive number of km/h"};
        }
    }
    if (o.thresholds_min.empty()) {
        throw core::Error{core::Errc::usage, "computing coverage: no threshold given"};
    }
    for (const double t : o.thresholds_min) {
        if (!(t > 0.0) || !std::isfinite(t)) {
            throw core::Error{core::Errc::usage,
                              "computing coverage: thresholds must be positive minutes"};
        }
    }
    if (!(o.snap.max_snap_m >= 0.0) || !(o.euclid_radius_m >= 0.0)) {
        throw core::Error{core::Errc::usage,
                          "computing coverage: snap distance and radius must be >= 0"};
    }
    for (const auto p : o.polygons.profiles) {
        if (p >= o.profiles.size()) {
            throw core::Error{core::Errc::usage,
                              "computing coverage: polygon profile index out of range"};
        }
    }
}

/// Finds the first area (lowest index) whose polygon covers a point.
class AreaLocator {
public:
    explicit AreaLocator(std::span<const core::MultiPolygon> areas) : areas_(areas) {
        std::vector<Entry> boxes;
        for (std::uint32_t i = 0; i < areas.size(); ++i) {
            if (!areas[i].empty()) {
                boxes.emplace_back(bg::return_envelope<core::Box>(areas[i]), i);
            }
        }
        tree_ = Tree(boxes.begin(), boxes.end());
    }
    [[nodiscard]] std::optional<core::Index> locate(const Point& p) const {
        std::optional<core::Index> best;
        if (tree_.empty()) {
            return best;
        }
        tree_.query(bgi::intersects(p), boost::make_function_output_iterator([&](const Entry& e) {
                        const std::uint32_t i = e.second;
                        if ((!best || i < *best) && bg::covered_by(p, areas_[i])) {
                            best = i;
                        }
                    }));
        return best;
    }
    [[nodiscard]] bool empty() const noexcept { return tree_.empty(); }

private:
    using Entry = std::pair<core::Box, std::uint32_t>;
    using Tree = bgi::rtree<Entry, bgi::quadratic<16>>;
    std::span<const core::MultiPolygon> areas_;
    Tree tree_;
};

/// Measure of the parts of [0, L] covered by >= 1 and >= 2 of the given per-source interval sets.
std::pair<double, double> overlap_measure(std::vector<std::pair<double, int>>& events) {
    std::sort(events.begin(), events.end());
    double once = 0.0;
    double twice = 0.0;
    int depth = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        depth += events[i].second;
        if (i + 1 < events.size()) {
            const double len = events[i + 1].first - events[i].first;
            if (depth >= 1) {
                once += len;
            }
            if (depth >= 2) {
                twice += len;
            }
        }
    }
    return {once, twice};
}

/// Interval of segment ab (param in metres from a) within `radius` of c.
std::optional<std::pair<double, double>> segment_in_circle(const Point& a, const Point& b,
                                                           const Point& c, double radius) {
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    const double len = std::hypot(dx, dy);
    if (len <= 0.0) {
        return std::nullopt;
    }
    const double ux = dx / len;
    const double uy = dy / len;
    const double fx = a.x() - c.x();
    const double fy = a.y() - c.y();
    const double bq = fx * ux + fy * uy;
    const double cq = fx * fx + fy * fy - radius * radius;
    const double disc = bq * bq - cq;
    if (disc < 0.0) {
        return std::nullopt;
    }
    const double s = std::sqrt(disc);
    const double t0 = std::max(0.0, -bq - s);
    const double t1 = std::min(len, -bq + s);
    if (t1 <= t0) {
        return std::nullopt;
    }
    return std::pair{t0, t1};
}

}  // namespace

const char* to_string(Uncovered reason) noexcept {
    switch (reason) {
        case Uncovered::none: return "covered";
        case Uncovered::unsnappable: return "unsnappable";
        case Uncovered::no_facility: return "no_facility";
        case Uncovered::beyond_threshold: return "beyond_threshold";
    }
    return "?";
}

const char* to_string(AreaLevel level) noexcept {
    switch (level) {
        case AreaLevel::total: return "total";
        case AreaLevel::street: return "street";
        case AreaLevel::community: return "community";
        case AreaLevel::grid: return "grid";
    }
    return "?";
}

const char* to_string(Method method) noexcept {
    return method == Method::network ? "network" : "euclidean";
}

void SelfCheck::add(const SelfCheck& o) {
    covered_outside += o.covered_outside;
    uncovered_inside += o.uncovered_inside;
    unreached_inside += o.unreached_inside;
    invalid += o.invalid;
    buildings_checked += o.buildings_checked;
    pieces_checked += o.pieces_checked;
}

bool Result::covered(std::size_t k, std::size_t b, std::size_t p, std::size_t t) const {
    return kinds[k].distance_m[b] <=
           budget_m(options.thresholds_min[t], options.profiles[p].speed_kmh);
}

double Result::minutes(std::size_t k, std::size_t b, std::size_t p) const {
    const double d = kinds[k].distance_m[b];
    if (d == kUnreached) {
        return kUnreached;
    }
    return d / budget_m(1.0, options.profiles[p].speed_kmh);
}

Uncovered Result::reason(std::size_t k, std::size_t b, std::size_t p, std::size_t t) const {
    if (covered(k, b, p, t)) {
        return Uncovered::none;
    }
    if (!building_snaps.snapped(b)) {
        return Uncovered::unsnappable;
    }
    if (kinds[k].no_facility[b] != 0) {
        return Uncovered::no_facility;
    }
    return Uncovered::beyond_threshold;
}

std::optional<std::size_t> Result::kind_slot(core::FacilityKind kind) const {
    for (std::size_t k = 0; k < kinds.size(); ++k) {
        if (kinds[k].kind == kind) {
            return k;
        }
    }
    return std::nullopt;
}

namespace detail {

EdgeBuildings::EdgeBuildings(const graph::WalkGraph& graph, const graph::SnapTable& snaps)
    : first(graph.edge_count() + 1, 0) {
    for (const auto& s : snaps.snaps) {
        ++first[s.edge + 1];
    }
    for (std::size_t e = 0; e < graph.edge_count(); ++e) {
        first[e + 1] += first[e];
    }
    building.resize(snaps.snaps.size());
    snap.resize(snaps.snaps.size());
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (std::uint32_t b = 0; b < snaps.size(); ++b) {
        for (std::uint32_t i = snaps.first[b]; i < snaps.first[b + 1]; ++i) {
            const std::uint32_t at = fill[snaps.snaps[i].edge]++;
            building[at] = b;
            snap[at] = i;
        }
    }
}

Reacher::Reacher(const graph::WalkGraph& graph, const EdgeBuildings& on_edge,
                 const graph::SnapTable& building_snaps)
    : graph_(&graph),
      on_edge_(&on_edge),
      snaps_(&building_snaps),
      space_(graph.node_count()),
      edge_stamp_(graph.edge_count(), 0),
      building_stamp_(building_snaps.size(), 0),
      building_best_(building_snaps.size(), kUnreached) {}

void Reacher::run(std::vector<Seed> seeds, double bound_m, bool keep_edges, Reach& out) {
    const auto& g = *graph_;
    ++now_;
    sort_seeds(seeds);
    out.seeds = std::move(seeds);
    out.buildings.clear();
    out.edges.clear();
    space_.run(g, out.seeds, bound_m);
    touched_edges_.clear();
    touched_buildings_.clear();
    const auto touch = [&](std::uint32_t e) {
        if (edge_stamp_[e] != now_) {
            edge_stamp_[e] = now_;
            touched_edges_.push_back(e);
        }
    };
    for (const auto& s : out.seeds) {
        touch(s.edge);
    }
    for (const std::uint32_t n : space_.settled()) {
        for (std::uint32_t a = g.first_out[n]; a < g.first_out[n + 1]; ++a) {
            touch(g.arc_edge[a]);
        }
    }
    std::sort(touched_edges_.begin(), touched_edges_.end());
    for (const std::uint32_t e : touched_edges_) {
        const std::uint32_t u = g.edge_from[e];
        const std::uint32_t v = g.edge_to[e];
        const double du = space_.distance(u);
        const double dv = space_.distance(v);
        const auto edge_seeds = seeds_on_edge(out.seeds, e);
        if (keep_edges) {
            out.edges.push_back({e, du, dv});
        }
        for (std::uint32_t i = on_edge_->first[e]; i < on_edge_->first[e + 1]; ++i) {
            const auto& snap = snaps_->snaps[on_edge_->snap[i]];
            const auto pd = distance_on_edge(g.edge_length_m[e], snap.offset_m, du, 0, dv, 0,
                                             edge_seeds);
            const double d = snap.access_m + pd.distance_m;
            if (d > bound_m) {
                continue;
            }
            const std::uint32_t b = on_edge_->building[i];
            if (building_stamp_[b] != now_) {
                building_stamp_[b] = now_;
                building_best_[b] = d;
                touched_buildings_.push_back(b);
            } else if (d < building_best_[b]) {
                building_best_[b] = d;
            }
        }
    }
    std::sort(touched_buildings_.begin(), touched_buildings_.end());
    out.buildings.reserve(touched_buildings_.size());
    for (const std::uint32_t b : touched_buildings_) {
        out.buildings.emplace_back(b, building_best_[b]);
    }
}

void add_seeds(std::span<const graph::Snap> snaps, std::uint32_t source, std::vector<Seed>& out) {
    for (const auto& s : snaps) {
        out.push_back({s.edge, s.offset_m, s.access_m, source});
    }
}

}  // namespace detail

Result compute_coverage(const core::Scene& scene, const graph::WalkGraph& graph,
                        const Options& options,
                        std::span<const std::optional<core::Index>> grid_of_building,
                        std::span<const core::MultiPolygon> grid_areas,
                        const core::ProgressFn& progress) {
    validate(options);
    Result result;
    result.options = options;
    const std::size_t n_b = scene.buildings.size();
    const std::size_t n_f = scene.facilities.size();
    const std::size_t n_p = options.profiles.size();
    const std::size_t n_t = options.thresholds_min.size();
    const std::size_t n_slots = n_p * n_t;
    std::vector<double> budgets(n_slots);
    double bound = 0.0;
    for (std::size_t p = 0; p < n_p; ++p) {
        for (std::size_t t = 0; t < n_t; ++t) {
            budgets[result.slot(p, t)] =
                budget_m(options.thresholds_min[t], options.profiles[p].speed_kmh);
            bound = std::max(bound, budgets[result.slot(p, t)]);
        }
    }

    // 1. Snap buildings (entrance, else anchor) and facilities.
    core::report(progress, "coverage", "snapping buildings and facilities");
    result.access_points.reserve(n_b);
    for (const auto& b : scene.buildings) {
        result.access_points.push_back(b.entrance ? *b.entrance : b.anchor);
    }
    std::vector<Point> facility_points;
    facility_points.reserve(n_f);
    for (const auto& f : scene.facilities) {
        facility_points.push_back(f.location);
    }
    const graph::EdgeIndex index(graph);
    result.building_snaps = graph::snap_points(index, result.access_points, options.snap,
                                               options.threads);
    result.facility_snaps = graph::snap_points(index, facility_points, options.snap,
                                               options.threads);
    const auto unsnappable_row = [&](const char* layer, const std::string& id, const Point& p) {
        core::LedgerEntry row{layer, id, "unsnappable", core::Action::warned,
                              "no walkable street within " + std::to_string(options.snap.max_snap_m) +
                                  " m; kept and reported uncovered"};
        row.x = p.x();
        row.y = p.y();
        result.ledger.add(std::move(row));
    };
    for (std::size_t b = 0; b < n_b; ++b) {
        if (!result.building_snaps.snapped(b)) {
            unsnappable_row("buildings", scene.buildings[b].id, result.access_points[b]);
        }
    }
    for (std::size_t f = 0; f < n_f; ++f) {
        if (!result.facility_snaps.snapped(f)) {
            unsnappable_row("facilities", scene.facilities[f].id, facility_points[f]);
        }
    }
    const detail::EdgeBuildings on_edge(graph, result.building_snaps);

    // 2. Kinds present, in enum order.
    for (const auto kind : {core::FacilityKind::service_centre, core::FacilityKind::warm_station,
                            core::FacilityKind::other}) {
        KindCoverage kc;
        kc.kind = kind;
        for (core::Index f = 0; f < n_f; ++f) {
            if (scene.facilities[f].kind == kind) {
                kc.facilities.push_back(f);
            }
        }
        if (!kc.facilities.empty()) {
            result.kinds.push_back(std::move(kc));
        }
    }
    const std::size_t n_k = result.kinds.size();

    // 3. Multi-source search per kind: nearest facility and distance of every building.
    core::report(progress, "coverage", "multi-source search");
    std::vector<std::vector<Seed>> kind_seeds(n_k);
    std::vector<std::vector<double>> kind_node_distance(n_k);
    {
        SearchSpace space(graph.node_count());
        for (std::size_t k = 0; k < n_k; ++k) {
            auto& kc = result.kinds[k];
            auto& seeds = kind_seeds[k];
            for (const auto f : kc.facilities) {
                detail::add_seeds(result.facility_snaps.of(f), f, seeds);
            }
            sort_seeds(seeds);
            space.run(graph, seeds, bound);
            auto& nd = kind_node_distance[k];
            nd.assign(graph.node_count(), kUnreached);
            std::vector<std::uint32_t> ns(graph.node_count(), kNone);
            for (const auto n : space.settled()) {
                nd[n] = space.distance(n);
                ns[n] = space.source(n);
            }
            kc.nearest.assign(n_b, kNone);
            kc.distance_m.assign(n_b, kUnreached);
            core::parallel_chunks(n_b, options.threads, 4096,
                                   [&](std::size_t begin, std::size_t end, unsigned) {
                for (std::size_t b = begin; b < end; ++b) {
                    for (const auto& s : result.building_snaps.of(b)) {
                        const auto pd = distance_on_edge(
                            graph.edge_length_m[s.edge], s.offset_m, nd[graph.edge_from[s.edge]],
                            ns[graph.edge_from[s.edge]], nd[graph.edge_to[s.edge]],
                            ns[graph.edge_to[s.edge]], seeds_on_edge(seeds, s.edge));
                        const double d = s.access_m + pd.distance_m;
                        if (d <= bound && (d < kc.distance_m[b] ||
                                           (d == kc.distance_m[b] && pd.source < kc.nearest[b]))) {
                            kc.distance_m[b] = d;
                            kc.nearest[b] = pd.source;
                        }
                    }
                }
            });
            // Components holding a facility of this kind.
            std::vector<char> has(graph.components.size(), 0);
            for (const auto& s : seeds) {
                has[graph.component_of_edge(s.edge)] = 1;
            }
            kc.no_facility.assign(n_b, 0);
            for (std::size_t b = 0; b < n_b; ++b) {
                bool any = false;
                for (const auto& s : result.building_snaps.of(b)) {
                    any = any || has[graph.component_of_edge(s.edge)] != 0;
                }
                kc.no_facility[b] = (result.building_snaps.snapped(b) && !any) ? 1 : 0;
            }
        }
    }

    // 4. One bounded search per facility (parallel): counts within thresholds, per-facility stats.
    core::report(progress, "coverage", "per-facility searches");
    std::vector<detail::Reach> reach(n_f);
    {
        std::vector<std::uint32_t> todo;
        for (const auto& kc : result.kinds) {
            todo.insert(todo.end(), kc.facilities.begin(), kc.facilities.end());
        }
        std::sort(todo.begin(), todo.end());
        const unsigned workers = core::worker_count(options.threads);
        std::vector<std::unique_ptr<detail::Reacher>> reachers(workers);
        core::parallel_chunks(todo.size(), options.threads, 1,
                               [&](std::size_t begin, std::size_t end, unsigned w) {
            if (!reachers[w]) {
                reachers[w] =
                    std::make_unique<detail::Reacher>(graph, on_edge, result.building_snaps);
            }
            for (std::size_t i = begin; i < end; ++i) {
                const std::uint32_t f = todo[i];
                std::vector<Seed> seeds;
                detail::add_seeds(result.facility_snaps.of(f), f, seeds);
                reachers[w]->run(std::move(seeds), bound, true, reach[f]);
            }
        });
    }
    for (auto& kc : result.kinds) {
        kc.count.assign(n_b * n_slots, 0);
        for (const auto f : kc.facilities) {
            for (const auto& [b, d] : reach[f].buildings) {
                for (std::size_t s = 0; s < n_slots; ++s) {
                    if (d <= budgets[s]) {
                        ++kc.count[b * n_slots + s];
                    }
                }
            }
        }
    }

    // 5. Euclidean comparison: straight-line nearest and count within the radius.
    core::report(progress, "coverage", "euclidean comparison");
    const double radius = options.euclid_radius_m;
    for (auto& kc : result.kinds) {
        using Entry = std::pair<Point, std::uint32_t>;
        std::vector<Entry> pts;
        for (const auto f : kc.facilities) {
            pts.emplace_back(facility_points[f], f);
        }
        const bgi::rtree<Entry, bgi::quadratic<16>> tree(pts.begin(), pts.end());
        kc.euclid_nearest.assign(n_b, kNone);
        kc.euclid_distance_m.assign(n_b, kUnreached);
        kc.euclid_count.assign(n_b, 0);
        core::parallel_chunks(n_b, options.threads, 4096,
                               [&](std::size_t begin, std::size_t end, unsigned) {
            std::vector<Entry> found;
            std::vector<double> found_d;
            std::vector<Entry> ring;
            for (std::size_t b = begin; b < end; ++b) {
                const Point& p = result.access_points[b];
                found.clear();
                found_d.clear();
                const core::Box box{{p.x() - radius, p.y() - radius},
                                    {p.x() + radius, p.y() + radius}};
                tree.query(bgi::intersects(box), std::back_inserter(found));
                std::uint16_t count = 0;
                double d_min = kUnreached;
                for (const auto& [q, f] : found) {
                    const double d = bg::distance(p, q);
                    found_d.push_back(d);
                    d_min = std::min(d_min, d);
                    if (d <= radius) {
                        ++count;
                    }
                }
                kc.euclid_count[b] = count;
                if (count > 0 && d_min <= radius * (1.0 - 1e-9)) {
                    // The nearest is within the radius, so it and every facility as near are in
                    // `found` (same tie rule as below: lowest index among those at d_min inside
                    // the box of half-side d_min; any doubt -> the general path).
                    std::uint32_t best = kNone;
                    bool clean = true;
                    for (std::size_t i = 0; i < found.size(); ++i) {
                        if (found_d[i] != d_min) {
                            continue;
                        }
                        const Point& q = found[i].first;
                        if (q.x() < p.x() - d_min || q.x() > p.x() + d_min || q.y() < p.y() - d_min ||
                            q.y() > p.y() + d_min) {
                            clean = false;
                            break;
                        }
                        best = std::min(best, found[i].second);
                    }
                    if (clean) {
                        kc.euclid_nearest[b] = best;
                        kc.euclid_distance_m[b] = d_min;
                        continue;
                    }
                }
                found.clear();
                tree.query(bgi::nearest(p, 1), std::back_inserter(found));
                if (!found.empty()) {
                    // Ties: lowest facility index among equally near ones.
                    const double d = bg::distance(p, found.front().first);
                    ring.clear();
                    tree.query(bgi::intersects(core::Box{{p.x() - d, p.y() - d},
                                                         {p.x() + d, p.y() + d}}),
                               std::back_inserter(ring));
                    std::uint32_t best = found.front().second;
                    for (const auto& [q, f] : ring) {
                        if (bg::distance(p, q) == d && f < best) {
                            best = f;
                        }
                    }
                    kc.euclid_nearest[b] = best;
                    kc.euclid_distance_m[b] = d;
                }
            }
        });
    }

    // 6. Street metres: per edge, reached within each slot (>= 1 and >= 2 facilities), network and
    //    euclidean, per kind. Stored per edge, summed in edge order (deterministic).
    core::report(progress, "coverage", "street metres");
    const std::size_t n_e = graph.edge_count();
    // [k][e * n_slots + s]
    std::vector<std::vector<double>> edge_once(n_k), edge_twice(n_k);
    std::vector<std::vector<double>> euclid_once(n_k), euclid_twice(n_k);
    for (std::size_t k = 0; k < n_k; ++k) {
        const auto& kc = result.kinds[k];
        edge_once[k].assign(n_e * n_slots, 0.0);
        edge_twice[k].assign(n_e * n_slots, 0.0);
        // Gather per-facility touched edges, grouped by edge.
        struct Touch {
            std::uint32_t edge;
            std::uint32_t facility;
            double du;
            double dv;
        };
        std::vector<Touch> touches;
        for (const auto f : kc.facilities) {
            for (const auto& er : reach[f].edges) {
                touches.push_back({er.edge, f, er.du, er.dv});
            }
        }
        std::sort(touches.begin(), touches.end(), [](const Touch& a, const Touch& b) {
            return a.edge != b.edge ? a.edge < b.edge : a.facility < b.facility;
        });
        std::vector<std::size_t> group_start;
        for (std::size_t i = 0; i < touches.size(); ++i) {
            if (i == 0 || touches[i].edge != touches[i - 1].edge) {
                group_start.push_back(i);
            }
        }
        group_start.push_back(touches.size());
        core::parallel_chunks(group_start.size() - 1, options.threads, 512,
                               [&](std::size_t begin, std::size_t end, unsigned) {
            std::vector<std::pair<double, double>> iv;
            std::vector<std::pair<double, int>> events;
            for (std::size_t gi = begin; gi < end; ++gi) {
                const std::uint32_t e = touches[group_start[gi]].edge;
                const double length = graph.edge_length_m[e];
                for (std::size_t s = 0; s < n_slots; ++s) {
                    events.clear();
                    for (std::size_t i = group_start[gi]; i < group_start[gi + 1]; ++i) {
                        const auto& t = touches[i];
                        iv.clear();
                        reach_intervals(length, t.du, t.dv,
                                        seeds_on_edge(reach[t.facility].seeds, e), budgets[s], iv);
                        merge_intervals(iv);
                        for (const auto& [a, b] : iv) {
                            if (b > a) {
                                events.emplace_back(a, 1);
                                events.emplace_back(b, -1);
                            }
                        }
                    }
                    const auto [once, twice] = overlap_measure(events);
                    edge_once[k][e * n_slots + s] = once;
                    edge_twice[k][e * n_slots + s] = twice;
                }
            }
        });
        // Euclidean: parts of edges within the radius of each facility, per facility in
        // parallel (merged intervals per edge, in edge order), then gathered per edge in facility
        // order. overlap_measure sorts its events, so the sums do not depend on that order.
        euclid_once[k].assign(n_e, 0.0);
        euclid_twice[k].assign(n_e, 0.0);
        struct EdgeInterval {
            std::uint32_t edge;
            double a;
            double b;
        };
        std::vector<std::vector<EdgeInterval>> fac_iv(kc.facilities.size());
        core::parallel_items(kc.facilities.size(), options.threads, [&](std::size_t i, unsigned) {
            const Point& c = facility_points[kc.facilities[i]];
            const core::Box box{{c.x() - radius, c.y() - radius}, {c.x() + radius, c.y() + radius}};
            std::vector<std::pair<double, double>> iv;
            for (const auto e : index.edges_in(box)) {
                const auto& line = graph.edge_geometry[e];
                iv.clear();
                double acc = 0.0;
                for (std::size_t j = 0; j + 1 < line.size(); ++j) {
                    const double len = bg::distance(line[j], line[j + 1]);
                    if (const auto in = segment_in_circle(line[j], line[j + 1], c, radius)) {
                        iv.emplace_back(acc + in->first, acc + in->second);
                    }
                    acc += len;
                }
                merge_intervals(iv);
                for (const auto& [a, b] : iv) {
                    fac_iv[i].push_back({e, a, b});
                }
            }
        });
        std::vector<std::uint32_t> iv_first(n_e + 1, 0);
        for (const auto& list : fac_iv) {
            for (const auto& x : list) {
                ++iv_first[x.edge + 1];
            }
        }
        for (std::size_t e = 0; e < n_e; ++e) {
            iv_first[e + 1] += iv_first[e];
        }
        std::vector<std::pair<double, double>> iv_all(iv_first[n_e]);
        {
            std::vector<std::uint32_t> fill(iv_first.begin(), iv_first.end() - 1);
            for (const auto& list : fac_iv) {
                for (const auto& x : list) {
                    iv_all[fill[x.edge]++] = {x.a, x.b};
                }
            }
        }
        core::parallel_chunks(n_e, options.threads, 4096,
                               [&](std::size_t begin, std::size_t end, unsigned) {
            std::vector<std::pair<double, int>> events;
            for (std::size_t e = begin; e < end; ++e) {
                if (iv_first[e] == iv_first[e + 1]) {
                    continue;
                }
                events.clear();
                for (std::uint32_t i = iv_first[e]; i < iv_first[e + 1]; ++i) {
                    events.emplace_back(iv_all[i].first, 1);
                    events.emplace_back(iv_all[i].second, -1);
                }
                const auto [once, twice] = overlap_measure(events);
                euclid_once[k][e] = once;
                euclid_twice[k][e] = twice;
            }
        });
    }

    // 7. Per-facility totals.
    for (core::Index f = 0; f < n_f; ++f) {
        FacilityCoverage fc;
        fc.facility = f;
        fc.kind = scene.facilities[f].kind;
        fc.snapped = result.facility_snaps.snapped(f);
        fc.access_m = fc.snapped ? result.facility_snaps.of(f).front().access_m : 0.0;
        fc.within.assign(n_slots, Totals{});
        for (const auto& [b, d] : reach[f].buildings) {
            for (std::size_t s = 0; s < n_slots; ++s) {
                if (d <= budgets[s]) {
                    fc.within[s].buildings += 1.0;
                    fc.within[s].households += scene.buildings[b].households;
                    fc.within[s].residents += scene.buildings[b].population;
                }
            }
        }
        std::vector<std::pair<double, double>> iv;
        for (const auto& er : reach[f].edges) {
            for (std::size_t s = 0; s < n_slots; ++s) {
                iv.clear();
                reach_intervals(graph.edge_length_m[er.edge], er.du, er.dv,
                                seeds_on_edge(reach[f].seeds, er.edge), budgets[s], iv);
                fc.within[s].street_m += merge_intervals(iv);
            }
        }
        result.facilities.push_back(std::move(fc));
    }

    // 8. Per-area table.
    core::report(progress, "coverage", "per-area statistics");
    const std::size_t n_st = scene.streets.size();
    const std::size_t n_c = scene.communities.size();
    std::size_t n_g = grid_areas.size();
    for (const auto& g : grid_of_building) {
        if (g) {
            n_g = std::max<std::size_t>(n_g, *g + 1);
        }
    }
    const std::size_t row_street = 1;
    const std::size_t row_comm = row_street + n_st;
    const std::size_t row_grid = row_comm + n_c;
    const std::size_t n_rows = row_grid + n_g;
    std::vector<core::MultiPolygon> street_areas;
    std::vector<core::MultiPolygon> comm_areas;
    for (const auto& s : scene.streets) {
        street_areas.push_back(s.area);
    }
    for (const auto& c : scene.communities) {
        comm_areas.push_back(c.area);
    }
    const AreaLocator street_loc(street_areas);
    const AreaLocator comm_loc(comm_areas);
    const AreaLocator grid_loc(grid_areas);
    // Area rows of each building and edge (up to 4: total, street, community, grid).
    const auto building_rows = [&](std::size_t b) {
        std::array<std::size_t, 4> rows{0, kNone, kNone, kNone};
        const auto& bl = scene.buildings[b];
        std::optional<core::Index> street;
        if (bl.community && *bl.community < n_c) {
            rows[2] = row_comm + *bl.community;
            street = scene.communities[*bl.community].street;
        }
        if (!street) {
            street = street_loc.locate(bl.anchor);
        }
        if (street && *street < n_st) {
            rows[1] = row_street + *street;
        }
        if (b < grid_of_building.size() && grid_of_building[b]) {
            rows[3] = row_grid + *grid_of_building[b];
        }
        return rows;
    };
    std::vector<std::array<std::size_t, 4>> edge_rows(n_e);
    core::parallel_chunks(n_e, options.threads, 4096,
                           [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t e = begin; e < end; ++e) {
            std::array<std::size_t, 4> rows{0, kNone, kNone, kNone};
            if (comm_loc.empty() && street_loc.empty() && grid_loc.empty()) {
                edge_rows[e] = rows;
                continue;
            }
            const Point mid = graph::point_along(graph, static_cast<std::uint32_t>(e),
                                                 graph.edge_length_m[e] / 2);
            const auto c = comm_loc.locate(mid);
            std::optional<core::Index> street;
            if (c) {
                rows[2] = row_comm + *c;
                street = scene.communities[*c].street;
            }
            if (!street) {
                street = street_loc.locate(mid);
            }
            if (street) {
                rows[1] = row_street + *street;
            }
            if (const auto g = grid_loc.locate(mid)) {
                rows[3] = row_grid + *g;
            }
            edge_rows[e] = rows;
        }
    });
    const auto row_level = [&](std::size_t row) -> std::pair<AreaLevel, core::Index> {
        if (row == 0) {
            return {AreaLevel::total, 0};
        }
        if (row < row_comm) {
            return {AreaLevel::street, static_cast<core::Index>(row - row_street)};
        }
        if (row < row_grid) {
            return {AreaLevel::community, static_cast<core::Index>(row - row_comm)};
        }
        return {AreaLevel::grid, static_cast<core::Index>(row - row_grid)};
    };
    std::vector<std::array<std::size_t, 4>> b_rows(n_b);
    for (std::size_t b = 0; b < n_b; ++b) {
        b_rows[b] = building_rows(b);
    }
    // stats[row][k][slot or n_slots for euclid]
    const std::size_t per_row = n_k * (n_slots + 1);
    std::vector<AreaStats> table(n_rows * per_row);
    for (std::size_t row = 0; row < n_rows; ++row) {
        const auto [level, area] = row_level(row);
        for (std::size_t k = 0; k < n_k; ++k) {
            for (std::size_t s = 0; s <= n_slots; ++s) {
                auto& st = table[row * per_row + k * (n_slots + 1) + s];
                st.level = level;
                st.area = area;
                st.kind = result.kinds[k].kind;
                if (s < n_slots) {
                    st.method = Method::network;
                    st.profile = s / n_t;
                    st.threshold_min = options.thresholds_min[s % n_t];
                    st.radius_m = budgets[s];
                } else {
                    st.method = Method::euclidean;
                    st.radius_m = radius;
                }
            }
        }
    }
    for (std::size_t b = 0; b < n_b; ++b) {
        const auto& bl = scene.buildings[b];
        for (const auto row : b_rows[b]) {
            if (row == kNone) {
                continue;
            }
            for (std::size_t k = 0; k < n_k; ++k) {
                const auto& kc = result.kinds[k];
                for (std::size_t s = 0; s <= n_slots; ++s) {
                    auto& st = table[row * per_row + k * (n_slots + 1) + s];
                    const std::uint16_t count =
                        s < n_slots ? kc.count[b * n_slots + s] : kc.euclid_count[b];
                    const bool covered =
                        s < n_slots ? kc.distance_m[b] <= budgets[s] : kc.euclid_distance_m[b] <= radius;
                    st.all.buildings += 1.0;
                    st.all.households += bl.households;
                    st.all.residents += bl.population;
                    if (covered) {
                        st.covered.buildings += 1.0;
                        st.covered.households += bl.households;
                        st.covered.residents += bl.population;
                    }
                    if (count >= 2) {
                        st.doubled.buildings += 1.0;
                        st.doubled.households += bl.households;
                        st.doubled.residents += bl.population;
                    }
                }
            }
        }
    }
    for (std::size_t e = 0; e < n_e; ++e) {
        const double length = graph.edge_length_m[e];
        for (const auto row : edge_rows[e]) {
            if (row == kNone) {
                continue;
            }
            for (std::size_t k = 0; k < n_k; ++k) {
                for (std::size_t s = 0; s <= n_slots; ++s) {
                    auto& st = table[row * per_row + k * (n_slots + 1) + s];
                    st.all.street_m += length;
                    if (s < n_slots) {
                        st.covered.street_m += edge_once[k][e * n_slots + s];
                        st.doubled.street_m += edge_twice[k][e * n_slots + s];
                    } else {
                        st.covered.street_m += euclid_once[k][e];
                        st.doubled.street_m += euclid_twice[k][e];
                    }
                }
            }
        }
    }
    result.areas = std::move(table);

    // 9. Polygons, blocks, gaps, self-check.
    if (options.polygons.enabled) {
        detail::build_polygons(scene, graph, index, reach, kind_seeds, kind_node_distance, result,
                               progress);
        // A failed polygon self-check is a ledger row, so it shows up in every output.
        for (const auto& c : result.circles) {
            if (c.check.ok()) {
                continue;
            }
            const std::string who = c.facility == kNone ? std::string("dissolved")
                                                        : scene.facilities[c.facility].id;
            result.ledger.add(core::LedgerEntry{
                "service_circles", who + ":" + std::string(core::to_string(c.kind)) + ":" +
                                       options.profiles[c.profile].name + ":" +
                                       std::to_string(static_cast<int>(c.threshold_min)) + "min",
                "circle_self_check", core::Action::warned,
                std::to_string(c.check.covered_outside) + " covered buildings outside, " +
                    std::to_string(c.check.uncovered_inside) + " uncovered inside, " +
                    std::to_string(c.check.unreached_inside) + " unreached street pieces inside, " +
                    std::to_string(c.check.invalid) + " invalid"});
        }
    }
    return result;
}

CoverSets cover_sets(const graph::WalkGraph& graph, const graph::SnapTable& building_snaps,
                     const graph::SnapTable& candidate_snaps, double threshold_min,
                     double speed_kmh, int threads) {
    if (!(threshold_min > 0.0) || !(speed_kmh > 0.0)) {
        throw core::Error{core::Errc::usage,
                          "computing cover sets: threshold and speed must be positive"};
    }
    const double bound = budget_m(threshold_min, speed_kmh);
    const double per_min = budget_m(1.0, speed_kmh);
    const detail::EdgeBuildings on_edge(graph, building_snaps);
    const std::size_t n = candidate_snaps.size();
    std::vector<detail::Reach> reach(n);
    const unsigned workers = core::worker_count(threads);
    std::vector<std::unique_ptr<detail::Reacher>> reachers(workers);
    core::parallel_chunks(n, threads, 8, [&](std::size_t begin, std::size_t end, unsigned w) {
        if (!reachers[w]) {
            reachers[w] = std::make_unique<detail::Reacher>(graph, on_edge, building_snaps);
        }
        for (std::size_t j = begin; j < end; ++j) {
            std::vector<Seed> seeds;
            detail::add_seeds(candidate_snaps.of(j), static_cast<std::uint32_t>(j), seeds);
            reachers[w]->run(std::move(seeds), bound, false, reach[j]);
            reach[j].seeds.clear();
            reach[j].seeds.shrink_to_fit();
        }
    });
    CoverSets out;
    out.first.reserve(n + 1);
    for (const auto& r : reach) {
        for (const auto& [b, d] : r.buildings) {
            out.demand.push_back(b);
            out.minutes.push_back(static_cast<float>(d / per_min));
        }
        out.first.push_back(static_cast<std::uint32_t>(out.demand.size()));
    }
    return out;
}

CoverSets cover_sets(const graph::EdgeIndex& index, const graph::SnapTable& building_snaps,
                     std::span<const core::Point> candidates, const graph::SnapOptions& snap,
                     double threshold_min, double speed_kmh, int threads) {
    const auto snaps = graph::snap_points(index, candidates, snap, threads);
    return cover_sets(index.graph(), building_snaps, snaps, threshold_min, speed_kmh, threads);
}

}  // namespace gridplan::coverage
