#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "geom/repair.hpp"
#include "io/classify.hpp"
#include "io/read.hpp"

namespace gridplan::io {
namespace {

namespace bgi = boost::geometry::index;
using BoxEntry = std::pair<core::Box, core::Index>;
using BoxTree = bgi::rtree<BoxEntry, bgi::quadratic<16>>;

BoxTree build_tree(const std::vector<core::MultiPolygon>& areas) {
    std::vector<BoxEntry> entries;
    entries.reserve(areas.size());
    for (core::Index i = 0; i < areas.size(); ++i) {
        if (!areas[i].empty()) {
            entries.emplace_back(core::bg::return_envelope<core::Box>(areas[i]), i);
        }
    }
    return BoxTree{entries.begin(), entries.end()};
}

std::vector<core::Index> candidates(const BoxTree& tree, const core::Box& box) {
    std::vector<BoxEntry> hits;
    tree.query(bgi::intersects(box), std::back_inserter(hits));
    std::vector<core::Index> out;
    out.reserve(hits.size());
    for (const auto& h : hits) {
        out.push_back(h.second);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string format_m2(double a) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(1);
    s << a << " m2";
    return s.str();
}

// Index of the holder with the largest overlap; point-on-surface fallback; nullopt if none.
std::optional<core::Index> best_holder(const core::MultiPolygon& item, const core::Point& anchor,
                                       const std::vector<geom::PreparedArea>& prepared,
                                       const BoxTree& tree) {
    const auto box = core::bg::return_envelope<core::Box>(item);
    const auto cands = candidates(tree, box);
    if (cands.empty()) {
        return std::nullopt;
    }
    if (cands.size() == 1 && prepared[cands.front()].contains(item)) {
        return cands.front();
    }
    std::optional<core::Index> best;
    double best_area = 0.0;
    for (const auto c : cands) {
        const double a = prepared[c].intersection_area(item);
        if (a > best_area) {  // ties keep the lower index (deterministic)
            best_area = a;
            best = c;
        }
    }
    if (best) {
        return best;
    }
    for (const auto c : cands) {
        if (prepared[c].covers(anchor)) {
            return c;
        }
    }
    return std::nullopt;
}

// T1: overlapping building footprints (one warned row per pair; households are not changed,
// each building keeps its own).
void report_building_overlaps(core::Scene& scene, const ValidationOptions& options) {
    std::vector<core::MultiPolygon> areas;
    areas.reserve(scene.buildings.size());
    for (const auto& b : scene.buildings) {
        areas.push_back(b.footprint);
    }
    const BoxTree tree = build_tree(areas);
    for (core::Index i = 0; i < scene.buildings.size(); ++i) {
        const auto box = core::bg::return_envelope<core::Box>(areas[i]);
        for (const auto j : candidates(tree, box)) {
            if (j <= i) {
                continue;
            }
            core::Box common;
            const auto other = core::bg::return_envelope<core::Box>(areas[j]);
            if (!core::bg::intersection(box, other, common) || core::bg::area(common) <= 0.0) {
                continue;  // boxes only touch: neighbours sharing a wall
            }
            // Footprints are small and valid after repair: Boost.Geometry's overlay is much cheaper
            // than a GEOS round trip here; fall back to GEOS if it refuses the input.
            core::MultiPolygon overlap;
            try {
                core::bg::intersection(areas[i], areas[j], overlap);
            } catch (const std::exception&) {
                overlap = geom::intersection(areas[i], areas[j]);
            }
            const double a = std::abs(core::bg::area(overlap));
            if (a >= options.overlap_min_area_m2 && a > 0.0) {
                const auto at = geom::point_on_surface(overlap).value_or(scene.buildings[i].anchor);
                scene.ledger.add({.layer = "hierarchy",
                                  .source_id = scene.buildings[i].id + "|" + scene.buildings[j].id,
                                  .reason = "building_overlap", .action = core::Action::warned,
                                  .detail = "buildings '" + scene.buildings[i].id + "' and '" + scene.buildings[j].id +
                                            "' overlap by " + format_m2(a),
                                  .x = at.x(), .y = at.y()});
            }
        }
    }
}

}  // namespace

namespace {

// Communities → streets (largest overlap).
void communities_to_streets(core::Scene& scene) {
    auto& ledger = scene.ledger;
    if (!scene.streets.empty()) {
        std::vector<core::MultiPolygon> areas;
        std::vector<geom::PreparedArea> prepared;
        areas.reserve(scene.streets.size());
        prepared.reserve(scene.streets.size());
        for (const auto& s : scene.streets) {
            areas.push_back(s.area);
            prepared.emplace_back(s.area);
        }
        const BoxTree tree = build_tree(areas);
        for (auto& c : scene.communities) {
            const auto anchor = geom::point_on_surface(c.area).value_or(core::Point{0, 0});
            c.street = best_holder(c.area, anchor, prepared, tree);
            if (!c.street) {
                ledger.add({.layer = "hierarchy", .source_id = c.id, .reason = "community_outside_streets",
                            .action = core::Action::warned,
                            .detail = "community '" + c.name + "' overlaps no street polygon",
                            .x = anchor.x(), .y = anchor.y()});
            }
        }
    }
}

// Buildings → communities (largest overlap), community overlaps and gaps.
void buildings_to_communities(core::Scene& scene, const ValidationOptions& options) {
    auto& ledger = scene.ledger;
    if (!scene.communities.empty()) {
        std::vector<core::MultiPolygon> areas;
        std::vector<geom::PreparedArea> prepared;
        areas.reserve(scene.communities.size());
        prepared.reserve(scene.communities.size());
        for (const auto& c : scene.communities) {
            areas.push_back(c.area);
            prepared.emplace_back(c.area);
        }
        const BoxTree tree = build_tree(areas);
        for (auto& b : scene.buildings) {
            b.community = best_holder(b.footprint, b.anchor, prepared, tree);
            if (!b.community) {
                ledger.add({.layer = "hierarchy", .source_id = b.id, .reason = "building_outside_communities",
                            .action = core::Action::warned,
                            .detail = "building overlaps no community polygon (community left empty)",
                            .x = b.anchor.x(), .y = b.anchor.y()});
            }
        }
        // Overlaps between community polygons.
        for (core::Index i = 0; i < scene.communities.size(); ++i) {
            const auto box = core::bg::return_envelope<core::Box>(scene.communities[i].area);
            for (const auto j : candidates(tree, box)) {
                if (j <= i) {
                    continue;
                }
                const auto overlap = geom::intersection(scene.communities[i].area, scene.communities[j].area);
                const double a = geom::area(overlap);
                if (a >= options.overlap_min_area_m2 && a > 0.0) {
                    const auto at = geom::point_on_surface(overlap).value_or(core::Point{0, 0});
                    ledger.add({.layer = "hierarchy",
                                .source_id = scene.communities[i].id + "|" + scene.communities[j].id,
                                .reason = "community_overlap", .action = core::Action::warned,
                                .detail = "communities '" + scene.communities[i].id + "' and '" +
                                          scene.communities[j].id + "' overlap by " + format_m2(a),
                                .x = at.x(), .y = at.y()});
                }
            }
        }
        // Gaps: holes in the union of the communities of each street (or of all communities).
        std::map<std::optional<core::Index>, std::vector<const core::MultiPolygon*>> groups;
        for (const auto& c : scene.communities) {
            groups[scene.streets.empty() ? std::nullopt : c.street].push_back(&c.area);
        }
        for (const auto& [street, parts] : groups) {
            if (!scene.streets.empty() && !street) {
                continue;  // communities outside every street have their own row
            }
            const auto merged = geom::union_all(parts);
            const std::string owner = street ? scene.streets[*street].id : std::string{};
            for (const auto& poly : merged) {
                for (const auto& hole : poly.inners()) {
                    core::Polygon gap;
                    gap.outer().assign(hole.begin(), hole.end());
                    core::bg::correct(gap);
                    const double a = std::abs(core::bg::area(gap));
                    if (a < options.overlap_min_area_m2 || a <= 0.0) {
                        continue;
                    }
                    const auto at = geom::point_on_surface(core::MultiPolygon{gap}).value_or(core::Point{0, 0});
                    ledger.add({.layer = "hierarchy", .source_id = owner, .reason = "community_gap",
                                .action = core::Action::warned,
                                .detail = "gap of " + format_m2(a) + " inside the communities" +
                                          (street ? " of street '" + owner + "'" : std::string{}),
                                .x = at.x(), .y = at.y()});
                }
            }
        }
    }
}

// Dedicated and non-residential buildings → the institution site (a landuse area of a
// dedicated type) with the largest overlap; docs/partition.md "Dedicated grids".
void buildings_to_sites(core::Scene& scene) {
    std::vector<core::Index> site_of;  // index into land_areas
    std::vector<core::MultiPolygon> areas;
    std::vector<geom::PreparedArea> prepared;
    for (core::Index i = 0; i < scene.land_areas.size(); ++i) {
        if (is_dedicated_type(scene.land_areas[i].type)) {
            site_of.push_back(i);
            areas.push_back(scene.land_areas[i].area);
            prepared.emplace_back(scene.land_areas[i].area);
        }
    }
    if (site_of.empty()) {
        return;
    }
    const BoxTree tree = build_tree(areas);
    for (auto& b : scene.buildings) {
        // the institution's own buildings, and non-residential ones on its grounds (a sports
        // hall, a canteen), which then belong to its dedicated grid too
        if (b.dedicated || is_non_residential_type(b.type)) {
            if (const auto holder = best_holder(b.footprint, b.anchor, prepared, tree)) {
                b.site = site_of[*holder];
                b.dedicated = true;
            }
        }
    }
}

}  // namespace

void assign_communities(core::Scene& scene, const ValidationOptions& options) {
    communities_to_streets(scene);
    buildings_to_communities(scene, options);
}

void assign_hierarchy(core::Scene& scene, const ValidationOptions& options) {
    report_building_overlaps(scene, options);
    assign_communities(scene, options);
    buildings_to_sites(scene);
}

void estimate_households(core::Building& b, std::optional<double> source_households,
                         std::optional<double> source_population, const HouseholdOptions& options) {
    b.dedicated = is_dedicated_type(b.type);
    if (source_households) {
        b.households = *source_households;
        b.households_estimated = false;
    } else if (source_population && options.persons_per_household > 0.0) {
        b.households = *source_population / options.persons_per_household;
        b.households_estimated = true;
    } else {
        const bool residential = !is_non_residential_type(b.type);
        const double floors = b.floors.value_or(options.default_floors);
        b.households = residential ? b.area_m2 * floors * options.residential_share /
                                         options.floor_area_per_household_m2
                                   : 0.0;
        b.households_estimated = true;
    }
    if (source_population) {
        b.population = *source_population;
        b.population_estimated = false;
    } else {
        b.population = b.households * options.persons_per_household;
        b.population_estimated = true;
    }
}

}  // namespace gridplan::io
