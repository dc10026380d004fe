#pragma once
/// \file
/// Step 3 of read_scene: every raw feature is validated, repaired or skipped (one ledger row per
/// problem, docs/ledger.md), its pseudo-datum (GCJ-02, BD-09) undone, reprojected to the working
/// CRS and added to the scene as a street, community, building, road, barrier, grid, facility,
/// candidate site or exclusion zone; entrances attach to their buildings.

#include <vector>

#include "core/scene.hpp"
#include "geom/crs.hpp"
#include "io/config.hpp"
#include "io/detail/raw_layer.hpp"

namespace gridplan::io::detail {

/// Converts every layer, in order, into `scene` (its features, ledger rows and layer reports);
/// scene.crs is the working CRS already.
/// Per-feature problems are ledger rows; throws core::Error only for configuration problems
/// and in strict mode (the ledger's).
void build_features(std::vector<RawLayer>& layers,
                    const InputConfig& config,
                    const geom::Crs& working,
                    core::Scene& scene);

}  // namespace gridplan::io::detail
