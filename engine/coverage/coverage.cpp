/// \file
/// compute_coverage (docs/coverage.md): the driver and its steps 1 to 5 (snapping, kinds, the
/// multi-source search per kind, one search per facility, the euclidean comparison). Steps 6 to 8
/// (statistics) are in statistics.cpp, step 9 (polygons, gaps) in circles.cpp and gaps.cpp, the
/// bounded search and the cover sets in reach.cpp.

#include "coverage/coverage.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "coverage/detail/polygons.hpp"
#include "coverage/detail/reach.hpp"
#include "coverage/detail/statistics.hpp"
#include "coverage/nearest.hpp"
#include "coverage/search.hpp"

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
            throw core::Error{core::Errc::usage,
                              "computing coverage with profile '" + p.name +
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

/// The walking budget of every (profile, threshold) slot (Result::slot), and the largest of them:
/// the bound of every search.
struct Budgets {
    std::vector<double> of_slot;
    double bound = 0.0;
};

Budgets slot_budgets(const Result& result) {
    const auto& options = result.options;
    Budgets budgets;
    budgets.of_slot.resize(options.profiles.size() * options.thresholds_min.size());
    for (std::size_t p = 0; p < options.profiles.size(); ++p) {
        for (std::size_t t = 0; t < options.thresholds_min.size(); ++t) {
            budgets.of_slot[result.slot(p, t)] =
                budget_m(options.thresholds_min[t], options.profiles[p].speed_kmh);
            budgets.bound = std::max(budgets.bound, budgets.of_slot[result.slot(p, t)]);
        }
    }
    return budgets;
}

std::vector<Point> facility_locations(const core::Scene& scene) {
    std::vector<Point> points;
    points.reserve(scene.facilities.size());
    for (const auto& f : scene.facilities) {
        points.push_back(f.location);
    }
    return points;
}

/// Step 1: snaps the buildings (entrance, else anchor) and the facilities; a ledger row for each
/// one that does not snap.
void snap_buildings_and_facilities(const core::Scene& scene,
                                   const graph::EdgeIndex& index,
                                   std::span<const Point> facility_points,
                                   Result& result) {
    const auto& options = result.options;
    result.access_points.reserve(scene.buildings.size());
    for (const auto& b : scene.buildings) {
        result.access_points.push_back(b.entrance ? *b.entrance : b.anchor);
    }
    result.building_snaps =
        graph::snap_points(index, result.access_points, options.snap, options.threads);
    result.facility_snaps =
        graph::snap_points(index, facility_points, options.snap, options.threads);
    const auto unsnappable_row = [&](const char* layer, const std::string& id, const Point& p) {
        core::LedgerEntry row{layer,
                              id,
                              "unsnappable",
                              core::Action::warned,
                              "no walkable street within " +
                                  std::to_string(options.snap.max_snap_m) +
                                  " m; kept and reported uncovered"};
        row.x = p.x();
        row.y = p.y();
        result.ledger.add(std::move(row));
    };
    for (std::size_t b = 0; b < scene.buildings.size(); ++b) {
        if (!result.building_snaps.snapped(b)) {
            unsnappable_row("buildings", scene.buildings[b].id, result.access_points[b]);
        }
    }
    for (std::size_t f = 0; f < scene.facilities.size(); ++f) {
        if (!result.facility_snaps.snapped(f)) {
            unsnappable_row("facilities", scene.facilities[f].id, facility_points[f]);
        }
    }
}

/// Step 2: the kinds present, in enum order, with their facilities.
std::vector<KindCoverage> kinds_present(const core::Scene& scene) {
    std::vector<KindCoverage> kinds;
    for (const auto kind : {core::FacilityKind::service_centre,
                            core::FacilityKind::warm_station,
                            core::FacilityKind::other}) {
        KindCoverage kc;
        kc.kind = kind;
        for (core::Index f = 0; f < scene.facilities.size(); ++f) {
            if (scene.facilities[f].kind == kind) {
                kc.facilities.push_back(f);
            }
        }
        if (!kc.facilities.empty()) {
            kinds.push_back(std::move(kc));
        }
    }
    return kinds;
}

/// Nearest facility of the kind and its distance for every building (ties: lowest facility),
/// and the snapped buildings none of whose snaps lies in a component holding such a facility.
void nearest_of_buildings(const NearestField& field, const Result& result, KindCoverage& kc) {
    const std::size_t n_b = result.access_points.size();
    kc.nearest.assign(n_b, kNone);
    kc.distance_m.assign(n_b, kUnreached);
    kc.no_facility.assign(n_b, 0);
    core::parallel_chunks(
        n_b, result.options.threads, 4096, [&](std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t b = begin; b < end; ++b) {
                const auto snaps = result.building_snaps.of(b);
                const PointDistance pd = field.at(snaps);
                kc.distance_m[b] = pd.distance_m;
                kc.nearest[b] = pd.source;
                const bool served = std::any_of(snaps.begin(), snaps.end(), [&](const auto& s) {
                    return field.serves_component_of(s.edge);
                });
                kc.no_facility[b] = (!snaps.empty() && !served) ? 1 : 0;
            }
        });
}

/// Step 3: one multi-source search per kind: nearest facility and distance of every building,
/// and the buildings whose component has no facility of the kind.
std::vector<NearestField> search_each_kind(const graph::WalkGraph& graph,
                                           double bound,
                                           Result& result) {
    std::vector<NearestField> fields;
    fields.reserve(result.kinds.size());
    for (auto& kc : result.kinds) {
        fields.emplace_back(graph, result.facility_snaps, kc.facilities, bound);
        nearest_of_buildings(fields.back(), result, kc);
    }
    return fields;
}

/// Step 4: one bounded search per facility of a present kind (parallel, one slot per facility).
std::vector<detail::Reach> search_each_facility(const graph::WalkGraph& graph,
                                                double bound,
                                                const Result& result) {
    const detail::EdgeBuildings on_edge(graph, result.building_snaps);
    std::vector<detail::Reach> reach(result.facility_snaps.size());
    std::vector<std::uint32_t> todo;
    for (const auto& kc : result.kinds) {
        todo.insert(todo.end(), kc.facilities.begin(), kc.facilities.end());
    }
    std::sort(todo.begin(), todo.end());
    const int threads = result.options.threads;
    const unsigned workers = core::worker_count(threads);
    std::vector<std::unique_ptr<detail::Reacher>> reachers(workers);
    core::parallel_chunks(
        todo.size(), threads, 1, [&](std::size_t begin, std::size_t end, unsigned w) {
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
    return reach;
}

/// Step 4, counts: how many facilities of each kind reach each building within each slot.
void count_facilities_within(std::span<const detail::Reach> reach,
                             std::span<const double> budgets,
                             Result& result) {
    const std::size_t n_b = result.access_points.size();
    const std::size_t n_slots = budgets.size();
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
}

using FacilityEntry = std::pair<Point, std::uint32_t>;
using FacilityTree = bgi::rtree<FacilityEntry, bgi::quadratic<16>>;

/// Scratch vectors of one worker of the euclidean comparison.
struct EuclidScratch {
    std::vector<FacilityEntry> found;
    std::vector<double> found_d;
    std::vector<FacilityEntry> ring;
};

/// Straight-line nearest facility (ties: lowest index), its distance and the count within the
/// radius, for building b.
void euclid_of_building(const FacilityTree& tree,
                        std::size_t b,
                        double radius,
                        const Result& result,
                        EuclidScratch& scratch,
                        KindCoverage& kc) {
    auto& found = scratch.found;
    auto& found_d = scratch.found_d;
    auto& ring = scratch.ring;
    const Point& p = result.access_points[b];
    found.clear();
    found_d.clear();
    const core::Box box{{p.x() - radius, p.y() - radius}, {p.x() + radius, p.y() + radius}};
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
            return;
        }
    }
    found.clear();
    tree.query(bgi::nearest(p, 1), std::back_inserter(found));
    if (!found.empty()) {
        // Ties: lowest facility index among equally near ones.
        const double d = bg::distance(p, found.front().first);
        ring.clear();
        tree.query(bgi::intersects(core::Box{{p.x() - d, p.y() - d}, {p.x() + d, p.y() + d}}),
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

/// Step 5: the euclidean comparison: straight-line nearest and count within the radius.
void euclidean_comparison(std::span<const Point> facility_points, Result& result) {
    const std::size_t n_b = result.access_points.size();
    const double radius = result.options.euclid_radius_m;
    for (auto& kc : result.kinds) {
        std::vector<FacilityEntry> pts;
        for (const auto f : kc.facilities) {
            pts.emplace_back(facility_points[f], f);
        }
        const FacilityTree tree(pts.begin(), pts.end());
        kc.euclid_nearest.assign(n_b, kNone);
        kc.euclid_distance_m.assign(n_b, kUnreached);
        kc.euclid_count.assign(n_b, 0);
        core::parallel_chunks(
            n_b, result.options.threads, 4096, [&](std::size_t begin, std::size_t end, unsigned) {
                EuclidScratch scratch;
                for (std::size_t b = begin; b < end; ++b) {
                    euclid_of_building(tree, b, radius, result, scratch, kc);
                }
            });
    }
}

/// A failed polygon self-check is a ledger row, so it shows up in every output.
void add_self_check_rows(const core::Scene& scene, Result& result) {
    const auto& options = result.options;
    for (const auto& c : result.circles) {
        if (c.check.ok()) {
            continue;
        }
        const std::string who =
            c.facility == kNone ? std::string("dissolved") : scene.facilities[c.facility].id;
        result.ledger.add(core::LedgerEntry{
            "service_circles",
            who + ":" + std::string(core::to_string(c.kind)) + ":" +
                options.profiles[c.profile].name + ":" +
                std::to_string(static_cast<int>(c.threshold_min)) + "min",
            "circle_self_check",
            core::Action::warned,
            std::to_string(c.check.covered_outside) + " covered buildings outside, " +
                std::to_string(c.check.uncovered_inside) + " uncovered inside, " +
                std::to_string(c.check.unreached_inside) + " unreached street pieces inside, " +
                std::to_string(c.check.invalid) + " invalid"});
    }
}

}  // namespace

const char* to_string(Uncovered reason) noexcept {
    switch (reason) {
        case Uncovered::none:
            return "covered";
        case Uncovered::unsnappable:
            return "unsnappable";
        case Uncovered::no_facility:
            return "no_facility";
        case Uncovered::beyond_threshold:
            return "beyond_threshold";
    }
    return "?";
}

const char* to_string(AreaLevel level) noexcept {
    switch (level) {
        case AreaLevel::total:
            return "total";
        case AreaLevel::street:
            return "street";
        case AreaLevel::community:
            return "community";
        case AreaLevel::grid:
            return "grid";
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

Result compute_coverage(const core::Scene& scene,
                        const graph::WalkGraph& graph,
                        const Options& options,
                        std::span<const std::optional<core::Index>> grid_of_building,
                        std::span<const core::MultiPolygon> grid_areas,
                        const core::ProgressFn& progress) {
    validate(options);
    Result result;
    result.options = options;
    const Budgets budgets = slot_budgets(result);

    core::report(progress, "coverage", "snapping buildings and facilities");
    const std::vector<Point> facility_points = facility_locations(scene);
    const graph::EdgeIndex index(graph);
    snap_buildings_and_facilities(scene, index, facility_points, result);
    result.kinds = kinds_present(scene);

    core::report(progress, "coverage", "multi-source search");
    const std::vector<NearestField> kinds = search_each_kind(graph, budgets.bound, result);

    core::report(progress, "coverage", "per-facility searches");
    const std::vector<detail::Reach> reach = search_each_facility(graph, budgets.bound, result);
    count_facilities_within(reach, budgets.of_slot, result);

    core::report(progress, "coverage", "euclidean comparison");
    euclidean_comparison(facility_points, result);

    core::report(progress, "coverage", "street metres");
    const detail::StreetMetres metres =
        detail::street_metres(graph, index, result, reach, budgets.of_slot, facility_points);
    detail::add_facility_totals(scene, graph, reach, budgets.of_slot, result);

    core::report(progress, "coverage", "per-area statistics");
    detail::add_area_table(
        scene, graph, grid_of_building, grid_areas, budgets.of_slot, metres, result);

    if (options.polygons.enabled) {
        detail::build_polygons(scene, graph, index, reach, kinds, result, progress);
        add_self_check_rows(scene, result);
    }
    return result;
}

}  // namespace gridplan::coverage
