#pragma once
/// \file
/// Provisional communities (临时社区) for inputs without community polygons (OpenStreetMap in
/// China usually has buildings and roads only): blocks of the arterial road network merged to a
/// community's size, or residential landuse polygons. docs/partition.md "Provisional
/// communities".

#include <string>
#include <vector>

#include "core/ledger.hpp"
#include "core/scene.hpp"
#include "partition/partition.hpp"

namespace gridplan::partition {

/// What derive_communities made.
struct DerivedCommunities {
    std::vector<core::Community> communities;  ///< `derived` = true, codes empty (9… derived later)
    std::string how;                           ///< one line for the report: the source and the rule
    core::Ledger ledger;  ///< one `community_derived` row per community (layer "communities")
};

/// True for residential landuse types: residential, 居住, 住宅, 小区 (after trimming, any case).
[[nodiscard]] bool is_residential_landuse(const std::string& type);

/// Derives communities by `options.communities_from`:
/// - "arterial_blocks": the faces of the roads of rank <= `arterial_max_rank` and all barriers,
///   inside each street polygon (or, without streets, the buildings' envelope grown by 50 m);
///   a face with fewer than `derived_min_households` households (by building anchor) is merged
///   with its adjacent face of fewest households until none is below the minimum; groups
///   without buildings are dropped.
/// - "landuse": the union of the residential `land_areas`, one community per polygon that holds
///   a building anchor.
/// Communities are numbered in reading order (north→south rows, west→east). Throws
/// Errc::invalid_input when the source is empty (no buildings; no residential landuse).
[[nodiscard]] DerivedCommunities derive_communities(const core::Scene& scene,
                                                    const Options& options);

}  // namespace gridplan::partition
