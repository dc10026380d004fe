#pragma once
/// \file
/// Step 1 of read_scene: GDAL access. Opens each configured file (GeoJSON, ESRI Shapefile, GPKG,
/// OSM only; local files only), picks the layer, detects a Shapefile's attribute encoding,
/// applies the `where` filter and reads attributes and geometry in source coordinates. Inputs
/// sharing one OSM file are read in one pass over it.

#include <cstddef>
#include <vector>

#include "io/config.hpp"
#include "io/detail/raw_layer.hpp"
#include "io/detail/roles.hpp"
#include "io/read.hpp"

namespace gridplan::io::detail {

/// GDAL and PROJ set-up, once per process (drivers, private temporary directory, no network).
void init_gdal();

/// One configured input.
struct InputToRead {
    Role role = Role::streets;
    const LayerSource* source = nullptr;
    std::size_t source_number = 0;  ///< index among the role's sources
};

/// Reads every input, in the given order; inputs that name the same .osm/.pbf file are read in
/// one pass over it. Throws core::Error (io, usage, crs) naming the file and layer.
[[nodiscard]] std::vector<RawLayer> read_raw_layers(const std::vector<InputToRead>& inputs,
                                                    const ReadOptions& options);

}  // namespace gridplan::io::detail
