#pragma once
/// \file
/// Step 2 of read_scene: each layer's CRS is checked against its data (Beijing 1954 / Xian 1980
/// refused, swapped axes, data outside the CRS's area of use) and one metric working CRS is
/// chosen for the whole scene.

#include <vector>

#include "core/progress.hpp"
#include "core/scene.hpp"
#include "geom/crs.hpp"
#include "io/config.hpp"
#include "io/detail/raw_layer.hpp"

namespace gridplan::io::detail {

/// Refuses Beijing 1954 / Xian 1980 without TOWGS84 (C4), GCJ-02/BD-09 in projected coordinates,
/// swapped axes (C2), data outside the CRS's area of use (C3); sets the layer's geographic box.
void check_layer_crs(RawLayer& raw);

/// Checks every layer (check_layer_crs) and returns the working CRS: crs.working_epsg, else the
/// automatic Gauss-Kruger zone of the data's centre. Fills scene.crs; reports progress.
[[nodiscard]] geom::Crs choose_working_crs(std::vector<RawLayer>& layers,
                                           const InputConfig& config,
                                           core::WorkingCrs& scene_crs,
                                           const core::ProgressFn& progress);

}  // namespace gridplan::io::detail
