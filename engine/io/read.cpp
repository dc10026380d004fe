// read_scene: every configured layer -> one validated, metric core::Scene with a ledger. The
// steps of read.hpp, each in its own file of detail/: GDAL access (gdal_source), CRS checks
// and the working CRS (crs_checks), per-feature validation and conversion (features).
#include "io/read.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "io/detail/crs_checks.hpp"
#include "io/detail/features.hpp"
#include "io/detail/gdal_source.hpp"

namespace gridplan::io {
namespace {

using detail::InputToRead;
using detail::Role;

/// Every configured input in reading order (entrances after buildings: they attach to them).
std::vector<InputToRead> configured_inputs(const InputConfig& config) {
    std::vector<InputToRead> inputs;
    auto add = [&](Role role, const std::optional<LayerSource>& source) {
        if (source) {
            inputs.push_back({role, &*source, 0});
        }
    };
    auto add_all = [&](Role role, const std::vector<LayerSource>& sources) {
        for (std::size_t i = 0; i < sources.size(); ++i) {
            inputs.push_back({role, &sources[i], i});
        }
    };
    add(Role::streets, config.streets);
    add(Role::communities, config.communities);
    add(Role::buildings, config.buildings);
    add(Role::roads, config.roads);
    add(Role::barriers, config.barriers);
    add(Role::entrances, config.entrances);
    add(Role::grids, config.grids);
    add_all(Role::facilities, config.facilities);
    add_all(Role::candidates, config.candidates);
    add_all(Role::exclusions, config.exclusions);
    add_all(Role::landuse, config.landuse);
    return inputs;
}

template <typename T>
void sort_by_id(std::vector<T>& v) {
    std::stable_sort(v.begin(), v.end(), [](const T& a, const T& b) { return a.id < b.id; });
}

void sort_features(core::Scene& scene) {
    sort_by_id(scene.streets);
    sort_by_id(scene.communities);
    sort_by_id(scene.buildings);
    sort_by_id(scene.roads);
    sort_by_id(scene.barriers);
    sort_by_id(scene.grids);
    sort_by_id(scene.facilities);
    sort_by_id(scene.candidates);
    sort_by_id(scene.exclusions);
    sort_by_id(scene.land_areas);
}

/// The buildings layer's report gets the households and population of its buildings.
void add_household_totals(core::Scene& scene) {
    for (auto& report : scene.layers) {
        if (report.role == detail::role_name(Role::buildings)) {
            for (const auto& b : scene.buildings) {
                report.households += b.households;
                report.population += b.population;
                report.households_estimated += b.households_estimated ? 1 : 0;
            }
        }
    }
}

}  // namespace

core::Scene read_scene(const InputConfig& config, const ReadOptions& options) {
    detail::init_gdal();
    core::Scene scene;
    scene.ledger.set_strict(options.strict || config.strict);

    // 1. Read every layer in source coordinates (inputs sharing one OSM file in one pass).
    std::optional<core::StageScope> stage{std::in_place, options.stages, "read"};
    std::vector<detail::RawLayer> layers =
        detail::read_raw_layers(configured_inputs(config), options);
    if (layers.empty()) {
        throw core::Error{core::Errc::usage, "reading the inputs: no input layer is configured"};
    }
    // 2. CRS checks and the working CRS.
    const geom::Crs working =
        detail::choose_working_crs(layers, config, scene.crs, options.progress);
    // 3. Validate, repair and reproject.
    stage.emplace(options.stages, "validate");
    detail::build_features(layers, config, working, scene);
    // 4. Order, hierarchy, totals.
    stage.emplace(options.stages, "hierarchy");
    sort_features(scene);
    assign_hierarchy(scene, config.validation);
    core::assign_codes(scene);  // derived '9…' codes where the input has none
    add_household_totals(scene);
    return scene;
}

PointsRead read_points(const LayerSource& source,
                       const core::WorkingCrs& working,
                       const InputConfig& config,
                       const ReadOptions& options) {
    detail::init_gdal();
    core::Scene scene;
    scene.crs = working;
    scene.ledger.set_strict(options.strict || config.strict);
    std::vector<detail::RawLayer> layers = [&] {
        const core::StageScope stage{options.stages, "read_points"};
        return detail::read_raw_layers({{Role::events, &source, 0}}, options);
    }();
    detail::check_layer_crs(layers.front());
    detail::build_features(layers, config, geom::Crs::from_epsg(working.epsg), scene);
    sort_by_id(scene.events);
    return {std::move(scene.events), std::move(scene.layers.front()), std::move(scene.ledger)};
}

}  // namespace gridplan::io
