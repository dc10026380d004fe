#include "pipeline/layers.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/rounding.hpp"
#include "geom/area_locator.hpp"
#include "geom/boundaries.hpp"
#include "output/schema.hpp"
#include "output/write.hpp"
#include "siting/place.hpp"

namespace gridplan::pipeline {
namespace {

using output::blank_row;
using output::Layer;
using output::make_layer;
using output::set_value;
using output::Value;

Value text(const std::string& s) {
    return s.empty() ? Value{} : Value{s};
}
Value real(double v) {
    return std::isfinite(v) ? Value{v} : Value{};
}
Value integer(std::int64_t v) {
    return Value{v};
}
Value flag(bool v) {
    return Value{static_cast<std::int64_t>(v ? 1 : 0)};
}
/// Households and residents are whole numbers in every output (round_households made them so).
std::int64_t whole(double v) {
    return std::isfinite(v) ? std::llround(v) : 0;
}
Value count(double v) {
    return integer(whole(v));
}
double percent(double part, double whole) {
    return whole > 0.0 ? 100.0 * part / whole : 0.0;
}

struct AdminTotals {
    std::size_t buildings = 0;
    std::int64_t households = 0;
    std::int64_t population = 0;
    std::size_t grids = 0;
    std::size_t communities = 0;
};

const std::string& street_code_of(const core::Scene& scene, std::optional<core::Index> street) {
    static const std::string empty;
    return street ? scene.streets[*street].code : empty;
}
const std::string& street_name_of(const core::Scene& scene, std::optional<core::Index> street) {
    static const std::string empty;
    return street ? scene.streets[*street].name : empty;
}

void add_admin_layers(const RunResults& r, std::vector<Layer>& layers) {
    const core::Scene& scene = *r.scene;
    std::vector<AdminTotals> per_street(scene.streets.size());
    std::vector<AdminTotals> per_community(scene.communities.size());
    for (const auto& b : scene.buildings) {
        if (!b.community) {
            continue;
        }
        auto& c = per_community[*b.community];
        ++c.buildings;
        c.households += whole(b.households);
        c.population += whole(b.population);
        if (const auto street = scene.communities[*b.community].street) {
            auto& s = per_street[*street];
            ++s.buildings;
            s.households += whole(b.households);
            s.population += whole(b.population);
        }
    }
    for (const auto& c : scene.communities) {
        if (c.street) {
            ++per_street[*c.street].communities;
        }
    }
    if (r.partition != nullptr) {
        for (const auto& g : r.partition->grids) {
            ++per_community[g.community].grids;
            if (g.street) {
                ++per_street[*g.street].grids;
            }
        }
    }

    Layer streets = make_layer("streets");
    for (std::size_t i = 0; i < scene.streets.size(); ++i) {
        const auto& s = scene.streets[i];
        auto row = blank_row(streets);
        set_value(streets, row, "id", text(s.id));
        set_value(streets, row, "code", text(s.code));
        set_value(streets, row, "name", text(s.name));
        set_value(streets, row, "area_m2", real(core::bg::area(s.area)));
        set_value(
            streets, row, "n_comm", integer(static_cast<std::int64_t>(per_street[i].communities)));
        if (r.partition != nullptr) {
            set_value(
                streets, row, "n_grids", integer(static_cast<std::int64_t>(per_street[i].grids)));
        }
        set_value(
            streets, row, "buildings", integer(static_cast<std::int64_t>(per_street[i].buildings)));
        set_value(streets, row, "households", integer(per_street[i].households));
        set_value(streets, row, "population", integer(per_street[i].population));
        streets.add(s.area, std::move(row));
    }
    layers.push_back(std::move(streets));

    Layer communities = make_layer("communities");
    for (std::size_t i = 0; i < scene.communities.size(); ++i) {
        const auto& c = scene.communities[i];
        auto row = blank_row(communities);
        set_value(communities, row, "id", text(c.id));
        set_value(communities, row, "code", text(c.code));
        set_value(communities, row, "name", text(c.name));
        set_value(communities, row, "st_code", text(street_code_of(scene, c.street)));
        set_value(communities, row, "st_name", text(street_name_of(scene, c.street)));
        set_value(communities, row, "area_m2", real(core::bg::area(c.area)));
        set_value(communities, row, "derived", flag(c.derived));
        if (r.partition != nullptr) {
            set_value(communities,
                      row,
                      "n_grids",
                      integer(static_cast<std::int64_t>(per_community[i].grids)));
        }
        set_value(communities,
                  row,
                  "buildings",
                  integer(static_cast<std::int64_t>(per_community[i].buildings)));
        set_value(communities, row, "households", integer(per_community[i].households));
        set_value(communities, row, "population", integer(per_community[i].population));
        communities.add(c.area, std::move(row));
    }
    layers.push_back(std::move(communities));
}

/// Index of `minutes` in the configured thresholds, if configured.
std::optional<std::size_t> threshold_slot(const coverage::Options& o, double minutes) {
    for (std::size_t t = 0; t < o.thresholds_min.size(); ++t) {
        if (std::abs(o.thresholds_min[t] - minutes) < 1e-9) {
            return t;
        }
    }
    return std::nullopt;
}

void add_buildings(const RunResults& r, std::vector<Layer>& layers) {
    const core::Scene& scene = *r.scene;
    Layer buildings = make_layer("buildings");
    const coverage::Result* cov = r.coverage;
    for (std::size_t b = 0; b < scene.buildings.size(); ++b) {
        const auto& bl = scene.buildings[b];
        auto row = blank_row(buildings);
        set_value(buildings, row, "id", text(bl.id));
        set_value(buildings, row, "name", text(bl.name));
        set_value(buildings, row, "type", text(bl.type));
        if (bl.community) {
            const auto& c = scene.communities[*bl.community];
            set_value(buildings, row, "comm_code", text(c.code));
            set_value(buildings, row, "comm_name", text(c.name));
            set_value(buildings, row, "st_code", text(street_code_of(scene, c.street)));
            set_value(buildings, row, "st_name", text(street_name_of(scene, c.street)));
        }
        if (r.partition != nullptr) {
            if (const auto g = r.partition->grid_of_building[b]) {
                set_value(buildings, row, "grid_code", text(r.partition->grids[*g].code));
            }
            if (b < r.partition->group_of_building.size()) {
                if (const auto grp = r.partition->group_of_building[b]) {
                    set_value(buildings, row, "group_code", text(r.partition->groups[*grp].code));
                }
            }
        } else if (!bl.grid_code.empty()) {
            set_value(buildings, row, "grid_code", text(bl.grid_code));
        }
        set_value(buildings, row, "households", count(bl.households));
        set_value(buildings, row, "population", count(bl.population));
        set_value(buildings, row, "hh_est", flag(bl.households_estimated));
        set_value(buildings, row, "pop_est", flag(bl.population_estimated));
        if (bl.floors) {
            set_value(buildings, row, "floors", real(*bl.floors));
        }
        set_value(buildings, row, "area_m2", real(bl.area_m2));
        set_value(buildings, row, "dedicated", flag(bl.dedicated));
        set_value(buildings, row, "outside", flag(!bl.community));
        if (cov != nullptr) {
            for (const auto& info : output::kFacilityKinds) {
                const std::string p{info.prefix};
                const auto kind = info.kind == "service_centre" ? core::FacilityKind::service_centre
                                                                : core::FacilityKind::warm_station;
                const auto k = cov->kind_slot(kind);
                const auto t15 = threshold_slot(cov->options, 15.0);
                if (!k) {
                    // No facility of this kind in the scene: nothing is covered by it.
                    set_value(buildings, row, p + "_n15", integer(0));
                    for (const int m : output::kCoverageThresholdsMin) {
                        set_value(buildings, row, p + "_c" + std::to_string(m), flag(false));
                    }
                    continue;
                }
                const auto& kc = cov->kinds[*k];
                if (kc.nearest[b] != graph::kNone) {
                    const auto& f = scene.facilities[kc.nearest[b]];
                    set_value(buildings, row, p + "_id", text(f.id));
                    set_value(buildings, row, p + "_name", text(f.name));
                    set_value(buildings, row, p + "_min", real(cov->minutes(*k, b, 0)));
                }
                if (t15) {
                    set_value(buildings,
                              row,
                              p + "_n15",
                              integer(static_cast<std::int64_t>(cov->count(*k, b, 0, *t15))));
                }
                for (const int m : output::kCoverageThresholdsMin) {
                    if (const auto t = threshold_slot(cov->options, m)) {
                        set_value(buildings,
                                  row,
                                  p + "_c" + std::to_string(m),
                                  flag(cov->covered(*k, b, 0, *t)));
                    }
                }
            }
        }
        buildings.add(bl.footprint, std::move(row));
    }
    layers.push_back(std::move(buildings));
}

/// The grids' `status` (docs/layers.md): the band class the QGIS style colours by.
const char* band_status(const partition::Grid& g, const partition::CommunityReport& community) {
    if (g.kind == partition::GridKind::dedicated) {
        return "dedicated";
    }
    if (g.in_band) {
        return "in_band";
    }
    if (g.kind == partition::GridKind::oversized) {
        return "above";  // one building above the band's maximum
    }
    if (community.infeasible) {
        return "infeasible";
    }
    return g.households < community.band.min_households ? "below" : "above";
}

}  // namespace

Layer grids_layer(const RunResults& r) {
    const auto& part = *r.partition;
    Layer grids = make_layer("grids");
    for (const auto& g : part.grids) {
        // The grid's totals are the sums of its buildings' whole numbers.
        std::int64_t households = 0;
        std::int64_t population = 0;
        for (const auto b : g.buildings) {
            households += whole(r.scene->buildings[b].households);
            population += whole(r.scene->buildings[b].population);
        }
        auto row = blank_row(grids);
        set_value(grids, row, "code", text(g.code));
        set_value(grids, row, "comm_code", text(g.community_code));
        set_value(grids, row, "comm_name", text(g.community_name));
        set_value(grids, row, "st_code", text(g.street_code));
        set_value(grids, row, "st_name", text(g.street_name));
        set_value(grids, row, "households", integer(households));
        set_value(grids, row, "population", integer(population));
        set_value(grids, row, "buildings", integer(static_cast<std::int64_t>(g.buildings.size())));
        set_value(grids, row, "area_m2", real(g.area_m2));
        set_value(grids, row, "polsby_pp", real(g.polsby_popper));
        set_value(grids, row, "blk_split", integer(g.blocks_split));
        set_value(grids, row, "in_band", flag(g.in_band));
        if (g.kind == partition::GridKind::regular) {
            const auto& report = part.communities[g.community];
            set_value(grids, row, "target", real(report.target));
            set_value(grids, row, "deviation", real(100.0 * g.deviation));
        }
        set_value(grids, row, "hh_est", flag(g.estimated));
        set_value(grids, row, "dedicated", flag(g.kind != partition::GridKind::regular));
        set_value(grids, row, "status", text(band_status(g, part.communities[g.community])));
        set_value(grids, row, "derived", flag(r.scene->communities[g.community].derived));
        const Staffing staff = grid_staffing(g.kind, households, r.households_per_part_timer);
        set_value(grids, row, "leader", integer(staff.leader));
        set_value(grids, row, "instructor", integer(staff.instructor));
        set_value(grids, row, "worker", integer(staff.worker));
        set_value(grids, row, "n_part", integer(staff.part_time));
        grids.add(g.area, std::move(row));
    }
    return grids;
}

Layer building_groups_layer(const RunResults& r) {
    const auto& part = *r.partition;
    Layer groups = make_layer("building_groups");
    for (const auto& g : part.groups) {
        // Like the grids: totals are the sums of the buildings' whole numbers.
        std::int64_t households = 0;
        std::int64_t population = 0;
        for (const auto b : g.buildings) {
            households += whole(r.scene->buildings[b].households);
            population += whole(r.scene->buildings[b].population);
        }
        auto row = blank_row(groups);
        set_value(groups, row, "code", text(g.code));
        set_value(groups, row, "seq", integer(g.sequence));
        set_value(groups, row, "grid_code", text(g.grid_code));
        set_value(groups, row, "comm_code", text(g.community_code));
        set_value(groups, row, "comm_name", text(g.community_name));
        set_value(groups, row, "st_code", text(g.street_code));
        set_value(groups, row, "st_name", text(g.street_name));
        set_value(groups, row, "households", integer(households));
        set_value(groups, row, "population", integer(population));
        set_value(groups, row, "buildings", integer(static_cast<std::int64_t>(g.buildings.size())));
        set_value(groups, row, "area_m2", real(boost::geometry::area(g.area)));
        set_value(groups, row, "in_band", flag(g.in_band));
        set_value(groups, row, "standalone", flag(g.standalone));
        // 楼栋长: an empty text for planners to fill in (not NULL: nothing is unknown about it).
        set_value(groups, row, "bldg_head", Value{g.building_head});
        groups.add(g.area, std::move(row));
    }
    return groups;
}

namespace {

void add_grids(const RunResults& r, std::vector<Layer>& layers) {
    const auto& part = *r.partition;
    layers.push_back(grids_layer(r));
    layers.push_back(building_groups_layer(r));
    std::vector<core::MultiPolygon> areas;
    areas.reserve(part.grids.size());
    for (const auto& g : part.grids) {
        areas.push_back(g.area);
    }

    // Boundaries between grids of the same community (and each grid's outer edge).
    std::vector<core::Index> community_of(part.grids.size());
    for (std::size_t i = 0; i < part.grids.size(); ++i) {
        community_of[i] = part.grids[i].community;
    }
    std::vector<core::LineString> roads;
    for (const auto& road : r.scene->roads) {
        roads.push_back(road.line);
    }
    Layer boundaries = make_layer("grid_boundaries");
    for (const auto& piece : geom::grid_boundaries(areas, community_of, roads, {})) {
        auto row = blank_row(boundaries);
        set_value(boundaries, row, "left_grid", text(part.grids[piece.left].code));
        if (piece.right) {
            set_value(boundaries, row, "right_grid", text(part.grids[*piece.right].code));
        }
        set_value(boundaries, row, "follows_rd", flag(piece.follows_road));
        set_value(boundaries, row, "length_m", real(piece.length_m));
        boundaries.add(piece.lines, std::move(row));
    }
    layers.push_back(std::move(boundaries));
}

/// Code and name of a `coverage_stats` row: the total is "all" / "全部" (or "all"); a grid is
/// named after its community and sequence ("花园社区 3号网格", "花园社区 grid 3").
std::pair<std::string, std::string> area_code_name(const RunResults& r,
                                                   const coverage::AreaStats& a,
                                                   output::Language lang) {
    const bool zh = lang == output::Language::zh;
    switch (a.level) {
        case coverage::AreaLevel::total:
            return {"all", zh ? "全部" : "all"};
        case coverage::AreaLevel::street:
            return {r.scene->streets[a.area].code, r.scene->streets[a.area].name};
        case coverage::AreaLevel::community:
            return {r.scene->communities[a.area].code, r.scene->communities[a.area].name};
        case coverage::AreaLevel::grid:
            if (r.partition != nullptr && a.area < r.partition->grids.size()) {
                const auto& g = r.partition->grids[a.area];
                const std::string seq = std::to_string(g.sequence);
                return {g.code, g.community_name + (zh ? " " + seq + "号网格" : " grid " + seq)};
            }
            break;
    }
    return {};
}

const char* level_name(coverage::AreaLevel level) {
    switch (level) {
        case coverage::AreaLevel::total:
            return "all";
        case coverage::AreaLevel::street:
            return "street";
        case coverage::AreaLevel::community:
            return "community";
        case coverage::AreaLevel::grid:
            return "grid";
    }
    return "all";
}

/// One `coverage_stats` row per network-rule area of `cov` (only `only_kind` when given).
void add_stats_rows(const RunResults& r,
                    const coverage::Result& cov,
                    const std::string& scenario,
                    std::optional<core::FacilityKind> only_kind,
                    output::Language lang,
                    Layer& stats) {
    // Euclidean share per (level, area, kind) to put beside each network row.
    std::map<std::tuple<int, core::Index, int>, double> euclid;
    for (const auto& a : cov.areas) {
        if (a.method == coverage::Method::euclidean) {
            euclid[{static_cast<int>(a.level), a.area, static_cast<int>(a.kind)}] =
                percent(a.covered.residents, a.all.residents);
        }
    }
    for (const auto& a : cov.areas) {
        if (a.method != coverage::Method::network || (only_kind && a.kind != *only_kind)) {
            continue;
        }
        auto row = blank_row(stats);
        set_value(stats, row, "scenario", text(scenario));
        set_value(stats, row, "level", text(level_name(a.level)));
        const auto [code, name] = area_code_name(r, a, lang);
        set_value(stats, row, "code", text(code));
        set_value(stats, row, "name", text(name));
        bool derived = false;
        if (a.level == coverage::AreaLevel::community) {
            derived = r.scene->communities[a.area].derived;
        } else if (a.level == coverage::AreaLevel::grid && r.partition != nullptr &&
                   a.area < r.partition->grids.size()) {
            derived = r.scene->communities[r.partition->grids[a.area].community].derived;
        }
        set_value(stats, row, "derived", flag(derived));
        set_value(stats, row, "kind", text(core::to_string(a.kind)));
        set_value(stats, row, "minutes", integer(std::llround(a.threshold_min)));
        set_value(stats, row, "profile", text(cov.options.profiles[a.profile].name));
        set_value(stats, row, "buildings", integer(std::llround(a.all.buildings)));
        set_value(stats, row, "bldg_cov", integer(std::llround(a.covered.buildings)));
        set_value(stats, row, "bldg_pct", real(percent(a.covered.buildings, a.all.buildings)));
        set_value(stats, row, "households", count(a.all.households));
        set_value(stats, row, "hh_cov", count(a.covered.households));
        set_value(stats, row, "hh_pct", real(percent(a.covered.households, a.all.households)));
        set_value(stats, row, "population", count(a.all.residents));
        set_value(stats, row, "pop_cov", count(a.covered.residents));
        set_value(stats, row, "pop_pct", real(percent(a.covered.residents, a.all.residents)));
        set_value(stats, row, "street_km", real(a.all.street_m / 1000.0));
        set_value(stats, row, "st_km_cov", real(a.covered.street_m / 1000.0));
        set_value(stats, row, "st_km_pct", real(percent(a.covered.street_m, a.all.street_m)));
        set_value(stats, row, "double_pct", real(percent(a.doubled.residents, a.all.residents)));
        if (const auto it =
                euclid.find({static_cast<int>(a.level), a.area, static_cast<int>(a.kind)});
            it != euclid.end()) {
            set_value(stats, row, "euclid_pct", real(it->second));
        }
        stats.add(std::monostate{}, std::move(row));
    }
}

/// The facilities with the community and grid each stands in.
void add_facilities(const RunResults& r, std::vector<Layer>& layers) {
    const core::Scene& scene = *r.scene;
    const coverage::Result& cov = *r.coverage;
    std::vector<core::MultiPolygon> comm_areas;
    for (const auto& c : scene.communities) {
        comm_areas.push_back(c.area);
    }
    std::vector<core::MultiPolygon> grid_areas;
    if (r.partition != nullptr) {
        for (const auto& g : r.partition->grids) {
            grid_areas.push_back(g.area);
        }
    }
    const geom::AreaLocator in_community(comm_areas);
    const geom::AreaLocator in_grid(grid_areas);
    Layer facilities = make_layer("facilities");
    for (std::size_t i = 0; i < scene.facilities.size(); ++i) {
        const auto& f = scene.facilities[i];
        auto row = blank_row(facilities);
        set_value(facilities, row, "id", text(f.id));
        set_value(facilities, row, "name", text(f.name));
        set_value(facilities, row, "kind", text(core::to_string(f.kind)));
        set_value(facilities, row, "type", text(f.type));
        if (const auto c = in_community.locate(f.location)) {
            set_value(facilities, row, "comm_code", text(scene.communities[*c].code));
            set_value(facilities, row, "comm_name", text(scene.communities[*c].name));
        }
        if (const auto g = in_grid.locate(f.location)) {
            set_value(facilities, row, "grid_code", text(r.partition->grids[*g].code));
        }
        if (f.capacity) {
            set_value(facilities, row, "capacity", real(*f.capacity));
        }
        const bool snapped = cov.facility_snaps.snapped(i);
        set_value(facilities, row, "snapped", flag(snapped));
        if (snapped) {
            set_value(facilities, row, "snap_m", real(cov.facility_snaps.of(i).front().access_m));
        }
        facilities.add(f.location, std::move(row));
    }
    layers.push_back(std::move(facilities));
}

void add_coverage(const RunResults& r, output::Language lang, std::vector<Layer>& layers) {
    const core::Scene& scene = *r.scene;
    const coverage::Result& cov = *r.coverage;
    add_facilities(r, layers);

    Layer circles = make_layer("service_circles");
    for (const auto& c : cov.circles) {
        auto row = blank_row(circles);
        if (c.facility == graph::kNone) {
            set_value(circles, row, "fac_id", text("all"));
        } else {
            set_value(circles, row, "fac_id", text(scene.facilities[c.facility].id));
            set_value(circles, row, "fac_name", text(scene.facilities[c.facility].name));
        }
        set_value(circles, row, "kind", text(core::to_string(c.kind)));
        set_value(circles, row, "minutes", integer(std::llround(c.threshold_min)));
        set_value(circles, row, "profile", text(cov.options.profiles[c.profile].name));
        set_value(circles, row, "speed_kmh", real(cov.options.profiles[c.profile].speed_kmh));
        set_value(circles, row, "area_m2", real(core::bg::area(c.area)));
        circles.add(c.area, std::move(row));
    }
    layers.push_back(std::move(circles));

    Layer gaps = make_layer("coverage_gaps");
    std::map<std::tuple<int, std::size_t, double>, std::int64_t> rank_in_group;
    for (const auto& g : cov.gaps) {
        const auto key = std::make_tuple(static_cast<int>(g.kind), g.profile, g.threshold_min);
        const std::int64_t rank = ++rank_in_group[key];
        auto row = blank_row(gaps);
        set_value(gaps, row, "rank", integer(rank));
        set_value(gaps, row, "kind", text(core::to_string(g.kind)));
        set_value(gaps, row, "minutes", integer(std::llround(g.threshold_min)));
        set_value(gaps, row, "population", count(g.residents));
        set_value(gaps, row, "households", count(g.households));
        set_value(gaps, row, "buildings", integer(static_cast<std::int64_t>(g.buildings.size())));
        set_value(gaps, row, "area_m2", real(core::bg::area(g.area)));
        gaps.add(g.area, std::move(row));
    }
    layers.push_back(std::move(gaps));

    Layer stats = make_layer("coverage_stats");
    add_stats_rows(r, cov, "today", std::nullopt, lang, stats);
    if (r.coverage_after_siting != nullptr && r.siting != nullptr) {
        add_stats_rows(r, *r.coverage_after_siting, "after_siting", r.siting->kind, lang, stats);
    }
    layers.push_back(std::move(stats));
}

const char* weight_name(siting::InstanceOptions::Weight w) {
    using Weight = siting::InstanceOptions::Weight;
    switch (w) {
        case Weight::residents:
            return "residents";
        case Weight::households:
            return "households";
        case Weight::buildings:
            return "buildings";
        case Weight::street_m:
            return "street_m";
    }
    return "residents";
}

/// The code of scene community `c` as the grids carry it (derived when the input has none).
std::string community_code(const RunResults& r, core::Index c) {
    if (r.partition != nullptr) {
        for (const auto& report : r.partition->communities) {
            if (report.community == c && !report.code.empty()) {
                return report.code;
            }
        }
    }
    return r.scene->communities[c].code;
}

/// Where each proposed site is (siting/place.hpp): road, community, grid, lon/lat.
void set_site_place(const RunResults& r,
                    const std::vector<core::Point>& points,
                    Layer& sites,
                    std::vector<std::vector<Value>>& rows) {
    const core::Scene& scene = *r.scene;
    const siting::PlaceOptions opts;
    const siting::RoadNamer roads(scene.roads, opts);
    std::vector<core::MultiPolygon> community_areas;
    for (const auto& c : scene.communities) {
        community_areas.push_back(c.area);
    }
    std::vector<core::MultiPolygon> grid_areas;
    std::vector<std::string> grid_codes;
    if (r.partition != nullptr) {
        for (const auto& g : r.partition->grids) {
            grid_areas.push_back(g.area);
            grid_codes.push_back(g.code);
        }
    } else {
        for (const auto& g : scene.grids) {
            grid_areas.push_back(g.area);
            grid_codes.push_back(g.code);
        }
    }
    const auto lonlat = siting::lon_lat(scene.crs.wkt, points);
    for (std::size_t i = 0; i < points.size(); ++i) {
        auto& row = rows[i];
        set_value(sites, row, "road", text(roads.name_at(points[i])));
        if (const auto c = siting::area_at(community_areas, points[i], opts.area_max_m)) {
            set_value(
                sites, row, "comm_code", text(community_code(r, static_cast<core::Index>(*c))));
            set_value(sites, row, "comm_name", text(scene.communities[*c].name));
        }
        if (const auto g = siting::area_at(grid_areas, points[i], opts.area_max_m)) {
            set_value(sites, row, "grid_code", text(grid_codes[*g]));
        }
        if (lonlat[i]) {
            set_value(sites, row, "lon", real(lonlat[i]->x()));
            set_value(sites, row, "lat", real(lonlat[i]->y()));
        }
    }
}

void add_sites(const RunResults& r, std::vector<Layer>& layers) {
    const SitingOutcome& s = *r.siting;
    Layer sites = make_layer("proposed_sites");
    std::vector<std::vector<Value>> rows;
    std::vector<core::Point> points;
    std::int64_t rank = 0;
    for (const auto& site : s.result.sites) {
        const auto& c = s.candidates[site.candidate];
        auto row = blank_row(sites);
        set_value(sites, row, "rank", integer(++rank));
        set_value(sites, row, "cand_id", text(c.id));
        set_value(sites, row, "name", text(c.name));
        set_value(sites, row, "type", text(c.type));
        set_value(sites, row, "address", text(c.address));
        set_value(sites, row, "kind", text(core::to_string(s.kind)));
        set_value(sites, row, "gain", real(site.marginal_gain));
        set_value(sites, row, "cum_cov", real(s.result.already_covered_weight + site.cumulative));
        set_value(sites, row, "cum_pct", real(100.0 * site.cumulative_share));
        set_value(sites, row, "incumbent", real(s.result.incumbent));
        set_value(sites, row, "bound", real(s.result.bound));
        set_value(sites, row, "gap_pct", real(100.0 * s.result.gap));
        set_value(sites, row, "weight", text(weight_name(s.weight)));
        rows.push_back(std::move(row));
        points.push_back(c.position);
    }
    set_site_place(r, points, sites, rows);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        sites.add(points[i], std::move(rows[i]));
    }
    layers.push_back(std::move(sites));
}

void add_redraw(const RunResults& r, std::vector<Layer>& layers) {
    const auto& rd = *r.redraw;
    const core::Scene& scene = *r.scene;
    Layer diff = make_layer("redraw_diff");
    for (const auto& m : rd.moves) {
        const auto& b = scene.buildings[m.building];
        auto row = blank_row(diff);
        set_value(diff, row, "bldg_id", text(b.id));
        set_value(diff, row, "bldg_name", text(b.name));
        set_value(diff, row, "from_grid", text(m.from));
        set_value(diff, row, "to_grid", text(m.to));
        set_value(diff, row, "households", count(b.households));
        set_value(diff, row, "population", count(b.population));
        diff.add(b.footprint, std::move(row));
    }
    layers.push_back(std::move(diff));
    Layer table = make_layer("redraw_grids");
    for (const auto& g : rd.grids) {
        const auto& comm = scene.communities[g.community];
        auto row = blank_row(table);
        set_value(table, row, "code", text(g.code));
        const bool reported = g.community < rd.plan.communities.size();
        set_value(table,
                  row,
                  "comm_code",
                  text(reported ? rd.plan.communities[g.community].code : comm.code));
        set_value(table, row, "comm_name", text(comm.name));
        set_value(table, row, "status", text(g.status));
        set_value(table, row, "hh_before", count(g.households_before));
        set_value(table, row, "hh_after", count(g.households_after));
        set_value(table, row, "bld_before", integer(g.buildings_before));
        set_value(table, row, "bld_after", integer(g.buildings_after));
        set_value(table, row, "moved_in", integer(g.moved_in));
        set_value(table, row, "moved_out", integer(g.moved_out));
        set_value(table, row, "band_bef", flag(g.in_band_before));
        set_value(table, row, "band_aft", flag(g.in_band_after));
        table.add(std::monostate{}, std::move(row));
    }
    layers.push_back(std::move(table));
}

}  // namespace

Staffing grid_staffing(partition::GridKind kind,
                       std::int64_t households,
                       double households_per_part_timer) {
    const double per = std::max(1.0, households_per_part_timer);
    const auto n = static_cast<std::int64_t>(
        std::ceil(static_cast<double>(std::max<std::int64_t>(households, 0)) / per));
    if (kind == partition::GridKind::dedicated) {
        return {
            .leader = 1, .instructor = 1, .worker = 0, .part_time = std::max<std::int64_t>(n, 1)};
    }
    if (households <= 0) {
        return {};
    }
    return {.leader = 1, .instructor = 1, .worker = 1, .part_time = n};
}

void round_households(core::Scene& scene) {
    // Group the buildings by community (in building order); the last group: outside every one.
    std::vector<std::vector<std::size_t>> groups(scene.communities.size() + 1);
    for (std::size_t b = 0; b < scene.buildings.size(); ++b) {
        const auto c = scene.buildings[b].community;
        groups[c && *c < scene.communities.size() ? *c : scene.communities.size()].push_back(b);
    }
    std::int64_t households = 0;
    std::int64_t population = 0;
    for (const auto& members : groups) {
        std::vector<double> hh;
        std::vector<double> pop;
        for (const auto b : members) {
            hh.push_back(scene.buildings[b].households);
            pop.push_back(scene.buildings[b].population);
        }
        const auto hh_whole = core::largest_remainder(hh);
        const auto pop_whole = core::largest_remainder(pop);
        for (std::size_t i = 0; i < members.size(); ++i) {
            scene.buildings[members[i]].households = static_cast<double>(hh_whole[i]);
            scene.buildings[members[i]].population = static_cast<double>(pop_whole[i]);
            households += hh_whole[i];
            population += pop_whole[i];
        }
    }
    for (auto& report : scene.layers) {
        if (report.role == "buildings") {
            report.households = static_cast<double>(households);
            report.population = static_cast<double>(population);
        }
    }
}

std::vector<Layer> make_layers(const RunResults& results,
                               const core::Ledger& ledger,
                               output::Language lang) {
    std::vector<Layer> layers;
    add_admin_layers(results, layers);
    add_buildings(results, layers);
    if (results.partition != nullptr) {
        add_grids(results, layers);
    }
    if (results.coverage != nullptr) {
        add_coverage(results, lang, layers);
    }
    if (results.siting != nullptr) {
        add_sites(results, layers);
    }
    if (results.redraw != nullptr) {
        add_redraw(results, layers);
    }
    layers.push_back(output::ledger_layer(ledger));
    return layers;
}

}  // namespace gridplan::pipeline
