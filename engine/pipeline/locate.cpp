// `gridplan locate` (docs/locate.md): for every point of a layer (reported events, addresses),
// the street, community, grid and building it falls in, the grid's staff slots, and the walking
// minutes to the nearest station of each kind by the one coverage rule.
#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "coverage/nearest.hpp"
#include "geom/area_locator.hpp"
#include "graph/snap.hpp"
#include "io/read.hpp"
#include "output/schema.hpp"
#include "output/write.hpp"
#include "pipeline/commands.hpp"
#include "pipeline/detail/loaded.hpp"
#include "pipeline/layers.hpp"
#include "pipeline/report.hpp"
#include "siting/place.hpp"

namespace gridplan::pipeline {
namespace {

using detail::Loaded;
using output::Value;

/// The grids points are routed to: today's (inputs.grids) when configured, else the grids
/// `gridplan run` draws from the same configuration (the partition is deterministic).
struct RoutingGrids {
    std::vector<core::MultiPolygon> areas;
    std::vector<std::string> codes;
    std::vector<std::optional<Staffing>> staff;  ///< drawn grids only
    /// Grid of each building (drawn grids only): a point on a building goes to its grid.
    std::vector<std::optional<core::Index>> grid_of_building;
    /// Building groups of the drawn grids (empty for today's grids): areas, codes, and the
    /// group of each building.
    std::vector<core::MultiPolygon> group_areas;
    std::vector<std::string> group_codes;
    std::vector<core::Index> group_grid;  ///< grid of each group
    std::vector<std::optional<std::uint32_t>> group_of_building;
    bool today = false;
};

RoutingGrids todays_grids(const core::Scene& scene) {
    RoutingGrids g;
    g.today = true;
    for (const auto& grid : scene.grids) {
        g.areas.push_back(grid.area);
        g.codes.push_back(grid.code);
        g.staff.emplace_back();
    }
    return g;
}

RoutingGrids drawn_grids(Loaded& loaded, const CommandOptions& options) {
    const partition::Result part = detail::run_partition(loaded, options);
    RoutingGrids g;
    for (const auto& grid : part.grids) {
        g.areas.push_back(grid.area);
        g.codes.push_back(grid.code);
        g.staff.push_back(grid_staffing(grid.kind,
                                        std::llround(grid.households),
                                        loaded.config.partition.households_per_part_timer));
    }
    g.grid_of_building = part.grid_of_building;
    for (const auto& group : part.groups) {
        g.group_areas.push_back(group.area);
        g.group_codes.push_back(group.code);
        g.group_grid.push_back(group.grid);
    }
    g.group_of_building = part.group_of_building;
    return g;
}

/// Nearest station of each kind of output::kFacilityKinds by the coverage rule, in minutes at the
/// first walking profile (as the buildings layer's `sc_min`).
struct Stations {
    std::vector<std::optional<coverage::NearestField>> fields;  ///< per kFacilityKinds entry
    double metres_per_minute = 0.0;
    double max_minutes = 0.0;
};

Stations station_fields(const core::Scene& scene,
                        const graph::WalkGraph& graph,
                        const graph::EdgeIndex& index,
                        const coverage::Options& copts) {
    std::vector<core::Point> where;
    for (const auto& f : scene.facilities) {
        where.push_back(f.location);
    }
    const graph::SnapTable snaps = graph::snap_points(index, where, copts.snap, copts.threads);
    Stations s;
    // The bound of the coverage searches (every profile and threshold), so that a point on a
    // building's access point gets the building's minutes exactly.
    double bound_m = 0.0;
    for (const auto& profile : copts.profiles) {
        for (const double t : copts.thresholds_min) {
            bound_m = std::max(bound_m, coverage::budget_m(t, profile.speed_kmh));
        }
    }
    s.metres_per_minute = coverage::budget_m(1.0, copts.profiles.front().speed_kmh);
    s.max_minutes = bound_m / s.metres_per_minute;
    for (const auto& kind : output::kFacilityKinds) {
        std::vector<std::uint32_t> of_kind;
        for (std::uint32_t f = 0; f < scene.facilities.size(); ++f) {
            if (core::to_string(scene.facilities[f].kind) == kind.kind) {
                of_kind.push_back(f);
            }
        }
        auto& field = s.fields.emplace_back();
        if (!of_kind.empty()) {
            field.emplace(graph, snaps, of_kind, bound_m);
        }
    }
    return s;
}

/// Where one point fell.
struct Place {
    std::optional<core::Index> building, community, street, grid;
    std::optional<std::uint32_t> group;  ///< building group (drawn grids only)
    std::optional<double> snap_m;
    std::vector<coverage::PointDistance> nearest;  ///< per kFacilityKinds entry
};

/// The `status` values, in the order status_index() numbers them.
constexpr const char* kStatus[] = {"grid", "community", "street", "outside"};

/// Where the point fell, as an index into kStatus.
[[nodiscard]] std::size_t status_index(const Place& p) {
    if (p.grid) {
        return 0;
    }
    if (p.community) {
        return 1;
    }
    return p.street ? 2 : 3;
}

/// The areas a point can fall in, indexed once for every point.
struct Locators {
    std::vector<core::MultiPolygon> footprints, communities, streets;
    geom::AreaLocator building, community, street, grid, group;

    Locators(const core::Scene& scene, const RoutingGrids& grids)
        : footprints(areas(scene.buildings, &core::Building::footprint)),
          communities(areas(scene.communities, &core::Community::area)),
          streets(areas(scene.streets, &core::Street::area)),
          building(footprints),
          community(communities),
          street(streets),
          grid(grids.areas),
          group(grids.group_areas) {}

    template <class T>
    static std::vector<core::MultiPolygon> areas(const std::vector<T>& items,
                                                 core::MultiPolygon T::*member) {
        std::vector<core::MultiPolygon> out;
        out.reserve(items.size());
        for (const auto& item : items) {
            out.push_back(item.*member);
        }
        return out;
    }
};

/// The areas of point `p`: a point on a building takes the building's community and (drawn)
/// grid, as the buildings layer says; elsewhere the polygons decide (lowest index on a shared
/// edge). The street is the community's, else the street polygon's.
Place place_of(const core::Point& p,
               const core::Scene& scene,
               const RoutingGrids& grids,
               const Locators& at) {
    Place out;
    out.building = at.building.locate(p);
    if (out.building) {
        out.community = scene.buildings[*out.building].community;
        if (!grids.grid_of_building.empty()) {
            out.grid = grids.grid_of_building[*out.building];
        }
        if (!grids.group_of_building.empty()) {
            out.group = grids.group_of_building[*out.building];
        }
    }
    if (!out.community) {
        out.community = at.community.locate(p);
    }
    if (!out.grid) {
        out.grid = at.grid.locate(p);
    }
    if (!out.group && out.grid && !grids.group_codes.empty()) {
        // groups tile their grid; on an edge shared with another grid, the grid's own group
        const core::Index grid = *out.grid;
        out.group = at.group.locate(p, [&](core::Index g) { return grids.group_grid[g] == grid; });
    }
    out.street = out.community ? scene.communities[*out.community].street : std::nullopt;
    if (!out.street) {
        out.street = at.street.locate(p);
    }
    return out;
}

/// The locations of the points, in their order.
std::vector<core::Point> locations(const std::vector<core::EventPoint>& points) {
    std::vector<core::Point> where;
    where.reserve(points.size());
    for (const auto& p : points) {
        where.push_back(p.location);
    }
    return where;
}

std::vector<Place> place_points(const std::vector<core::Point>& where,
                                const core::Scene& scene,
                                const RoutingGrids& grids,
                                const graph::EdgeIndex& index,
                                const Stations& stations,
                                const coverage::Options& copts) {
    const graph::SnapTable snaps = graph::snap_points(index, where, copts.snap, copts.threads);
    const Locators at(scene, grids);
    std::vector<Place> places(where.size());
    core::parallel_chunks(
        where.size(), copts.threads, 4096, [&](std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t i = begin; i < end; ++i) {
                Place& place = places[i];
                place = place_of(where[i], scene, grids, at);
                if (snaps.snapped(i)) {
                    place.snap_m = snaps.of(i).front().access_m;
                }
                for (const auto& field : stations.fields) {
                    place.nearest.push_back(field ? field->at(snaps.of(i))
                                                  : coverage::PointDistance{});
                }
            }
        });
    return places;
}

Value text(const std::string& s) {
    return s.empty() ? Value{} : Value{s};
}

output::Layer located_layer(const std::vector<core::EventPoint>& points,
                            const std::vector<core::Point>& where,
                            const std::vector<Place>& places,
                            const core::Scene& scene,
                            const RoutingGrids& grids,
                            const Stations& stations) {
    output::Layer layer = output::make_layer("located");
    const auto lonlat = siting::lon_lat(scene.crs.wkt, where);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const Place& pl = places[i];
        auto row = output::blank_row(layer);
        const auto set = [&](std::string_view field, Value v) {
            output::set_value(layer, row, field, std::move(v));
        };
        set("id", text(points[i].id));
        set("name", text(points[i].name));
        set("status", std::string{kStatus[status_index(pl)]});
        if (pl.grid) {
            set("grid_code", text(grids.codes[*pl.grid]));
            if (pl.group) {
                set("group_code", text(grids.group_codes[*pl.group]));
            }
            if (const auto& staff = grids.staff[*pl.grid]) {
                set("leader", staff->leader);
                set("instructor", staff->instructor);
                set("worker", staff->worker);
                set("n_part", staff->part_time);
            }
        }
        if (pl.community) {
            set("comm_code", text(scene.communities[*pl.community].code));
            set("comm_name", text(scene.communities[*pl.community].name));
        }
        if (pl.street) {
            set("st_code", text(scene.streets[*pl.street].code));
            set("st_name", text(scene.streets[*pl.street].name));
        }
        if (pl.building) {
            set("bldg_id", text(scene.buildings[*pl.building].id));
        }
        if (pl.snap_m) {
            set("snap_m", *pl.snap_m);
        }
        for (std::size_t k = 0; k < stations.fields.size(); ++k) {
            const auto& nearest = pl.nearest[k];
            if (nearest.source == graph::kNone) {
                continue;
            }
            const std::string p{output::kFacilityKinds[k].prefix};
            const core::Facility& f = scene.facilities[nearest.source];
            set(p + "_id", text(f.id));
            set(p + "_name", text(f.name));
            set(p + "_min", nearest.distance_m / stations.metres_per_minute);
        }
        if (lonlat[i]) {
            set("lon", lonlat[i]->x());
            set("lat", lonlat[i]->y());
        }
        layer.add(points[i].location, std::move(row));
    }
    return layer;
}

std::string share(std::size_t part, std::size_t whole) {
    return whole > 0
               ? format_fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) +
                     "%"
               : "-";
}

std::string locate_report(const io::PointsRead& read,
                          const std::vector<Place>& places,
                          const RoutingGrids& grids,
                          const Stations& stations,
                          const coverage::Options& copts,
                          const Say& say) {
    std::size_t by_status[std::size(kStatus)] = {};
    std::size_t on_building = 0;
    std::size_t unsnapped = 0;
    std::vector<std::size_t> reached(stations.fields.size(), 0);
    for (const auto& p : places) {
        ++by_status[status_index(p)];
        on_building += p.building ? 1 : 0;
        unsnapped += p.snap_m ? 0 : 1;
        for (std::size_t k = 0; k < reached.size(); ++k) {
            reached[k] += p.nearest[k].source != graph::kNone ? 1 : 0;
        }
    }
    const std::size_t n = places.size();
    const auto line = [&](const char* en, const char* zh, std::size_t count) {
        return std::string{"  "} + say(en, zh) + format_count(static_cast<double>(count)) + " (" +
               share(count, n) + ")\n";
    };
    std::ostringstream out;
    out << say("\nlocated ", "\n定位 ") << format_count(static_cast<double>(n))
        << say(" points from ", " 个点位，来自 ") << read.report.source << " (" << read.report.layer
        << ", " << read.report.crs << ")\n"
        << say("  grids: ", "  网格：")
        << (grids.today ? say("today's grids from inputs.grids (", "现行网格，来自 inputs.grids（")
                        : say("the grids gridplan run draws from this configuration (",
                              "本配置下 gridplan run 划分的网格（"))
        << grids.codes.size() << say(" grids)\n", " 个）\n");
    out << line("in a grid: ", "落在网格内：", by_status[0])
        << line("in a community, in no grid: ", "在社区内但不在任何网格内：", by_status[1])
        << line("in a street, in no community: ", "在街道内但不在任何社区内：", by_status[2])
        << line("outside every street: ", "在所有街道之外：", by_status[3])
        << line("on a building: ", "落在建筑上：", on_building)
        << line(("no walkable street within " + format_count(copts.snap.max_snap_m) + " m: ")
                    .c_str(),
                ("最近可步行道路超过 " + format_count(copts.snap.max_snap_m) + " 米：").c_str(),
                unsnapped);
    for (std::size_t k = 0; k < reached.size(); ++k) {
        const auto& kind = output::kFacilityKinds[k];
        if (!stations.fields[k]) {
            out << "  " << (say.zh() ? kind.name_zh : kind.kind)
                << say(": none in the inputs\n", "：输入中没有\n");
            continue;
        }
        out << "  " << (say.zh() ? kind.name_zh : kind.kind) << say(" within ", " 步行 ")
            << format_count(stations.max_minutes) << say(" min: ", " 分钟内：")
            << format_count(static_cast<double>(reached[k])) << " (" << share(reached[k], n)
            << ")\n";
    }
    return out.str();
}

}  // namespace

CommandResult locate(const CommandOptions& options, const LocateInput& input) {
    Loaded loaded = detail::load(options);
    const std::string derived = loaded.scene.grids.empty()
                                    ? detail::ensure_communities(loaded, "locating points with")
                                    : std::string{};
    round_households(loaded.scene);
    const RoutingGrids grids =
        loaded.scene.grids.empty() ? drawn_grids(loaded, options) : todays_grids(loaded.scene);
    const detail::Network net = detail::build_network(loaded, options, "locating points with");
    io::ReadOptions read;
    read.strict = options.strict || loaded.config.inputs.strict;
    read.encoding_override = options.encoding;
    read.allow_partial = options.allow_partial;
    read.stages = options.stages;
    io::PointsRead points =
        io::read_points(input.points, loaded.scene.crs, loaded.config.inputs, read);
    detail::append_ledger(loaded, "read_points", points.ledger);

    std::optional<core::StageScope> stage{
        std::in_place, options.stages, "locate", points.points.size()};
    coverage::Options copts = loaded.config.coverage;
    copts.threads = options.threads;
    const graph::EdgeIndex index(net.graph);
    const Stations stations = station_fields(loaded.scene, net.graph, index, copts);
    const std::vector<core::Point> where = locations(points.points);
    const std::vector<Place> places =
        place_points(where, loaded.scene, grids, index, stations, copts);
    stage.emplace(options.stages, "layers");
    std::vector<output::Layer> layers;
    layers.push_back(located_layer(points.points, where, places, loaded.scene, grids, stations));
    layers.push_back(output::ledger_layer(loaded.ledger));
    stage.reset();

    const Say say(options.lang);
    const std::string summary = "gridplan locate " + options.config.string() + " " +
                                input.points.path.string() + "\n" +
                                scene_report(loaded.scene, options.lang) + derived +
                                locate_report(points, places, grids, stations, copts, say) +
                                ledger_report(loaded.ledger, loaded.ledger_stages, options.lang);
    output::OutputOptions oopts = detail::output_options(loaded, options, false);
    oopts.basename = "located";
    oopts.inputs.push_back(input.points.path);
    const auto written = output::write_layers(loaded.scene.crs, layers, oopts);
    return {summary + detail::written_report(written, oopts.dir, say), written.files};
}

}  // namespace gridplan::pipeline
