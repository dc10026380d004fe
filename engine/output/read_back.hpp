#pragma once
/// \file
/// A run's GeoPackage read back into output layers, for `gridplan report OUTDIR`, which rebuilds
/// the report page from a run's outputs (after grids were edited in QGIS, to change the
/// language, or with a newer gridplan).

#include <filesystem>
#include <vector>

#include "core/scene.hpp"
#include "output/layer.hpp"

namespace gridplan::output {

/// What a run's GeoPackage holds.
struct ReadBack {
    core::WorkingCrs crs;       ///< the CRS the layers are stored in
    std::vector<Layer> layers;  ///< every output layer present, in the schema's order
};

/// Reads every known output layer of `gpkg` (docs/layers.md) in the schema's field order; a
/// field the file lacks is NULL, a layer it lacks is left out. Throws core::Error{io} naming the
/// file when it cannot be opened or holds no output layer, Errc::crs when its layers have no CRS.
[[nodiscard]] ReadBack read_gpkg_layers(const std::filesystem::path& gpkg);

}  // namespace gridplan::output
