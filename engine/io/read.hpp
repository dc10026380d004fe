#pragma once
/// \file
/// read_scene: every configured layer → one validated, metric core::Scene with a ledger.
/// Steps (docs/ledger.md lists every reason code):
///  1. open each file through GDAL (GeoJSON, ESRI Shapefile, GPKG, OSM only; local files only),
///     pick the layer, detect the attribute encoding, apply the `where` filter, read attributes;
///  2. check each layer's CRS (refuse Beijing 1954 / Xian 1980, missing CRS, swapped axes, data
///     outside the CRS's area of use) and choose the working CRS;
///  3. undo GCJ-02/BD-09, reproject, validate and repair every feature (ledger rows);
///  4. sort by id, assign buildings → communities → streets, estimate households.

#include "core/progress.hpp"
#include "core/scene.hpp"
#include "io/config.hpp"

namespace gridplan::io {

/// The input guards (docs/config.md "Input guards"): past one, reading stops with
/// Errc::invalid_input naming the file, the layer and (per feature) the feature.
struct InputLimits {
    std::size_t features_per_layer = 10'000'000;   ///< features kept from one layer
    std::size_t vertices_per_feature = 1'000'000;  ///< vertices of one feature
    std::size_t vertices_total = 200'000'000;      ///< vertices of every layer together
};

struct ReadOptions {
    bool strict = false;  ///< or config.strict: first data problem → Errc::invalid_input
    /// Shapefile encoding for inputs without one (--encoding)
    std::optional<std::string> encoding_override;
    /// A read error of GDAL while features are read (a corrupt or cut-short file) is Errc::io
    /// (Fault::partial_read) naming file, layer and place; true: read on, one `read_error`
    /// ledger row per error (--allow-partial).
    bool allow_partial = false;
    core::ProgressFn progress;
    core::StageFn stages;  ///< stage events: read, validate, hierarchy
    InputLimits limits;
};

/// Reads, validates and reprojects every configured layer. Throws core::Error: io (cannot open,
/// wrong layer, policy), crs (missing/refused/unusable CRS, swapped axes), usage (bad config
/// values), invalid_input (strict mode). Per-feature problems go to scene.ledger.
[[nodiscard]] core::Scene read_scene(const InputConfig& config, const ReadOptions& options = {});

/// Points read for `gridplan locate`: in the working CRS, sorted by id, with the layer's report
/// and ledger rows (n_in == used + repaired + skipped, like every layer).
struct PointsRead {
    std::vector<core::EventPoint> points;
    core::LayerReport report;
    core::Ledger ledger;
};

/// Reads one point layer (any input format, or a CSV with longitude and latitude columns, WGS 84
/// unless `assume_epsg`; GCJ-02/BD-09 undone like any input) into `working`, the scene's CRS.
/// Throws core::Error as read_scene does.
[[nodiscard]] PointsRead read_points(const LayerSource& source,
                                     const core::WorkingCrs& working,
                                     const InputConfig& config,
                                     const ReadOptions& options = {});

/// Assigns each building to the community with the largest overlap (point-on-surface fallback)
/// and each community to the street with the largest overlap; records buildings outside every
/// community, communities outside every street, community overlaps and gaps (layer "hierarchy").
/// Also sets the institution site of each dedicated or non-residential building (the `landuse`
/// area of a dedicated type, e.g. amenity=school, with the largest overlap); a building with a
/// site is dedicated.
void assign_hierarchy(core::Scene& scene, const ValidationOptions& options);

/// The community part of assign_hierarchy: communities → streets, buildings → communities,
/// community overlaps and gaps. For communities set after reading (derived ones, in the
/// pipeline); buildings' `community` is reassigned.
void assign_communities(core::Scene& scene, const ValidationOptions& options);

/// Sets households/population of a building (area_m2, floors and type already set) from the
/// source values when given, else the estimate area × floors × residential share ÷ floor area
/// per household (0 for non-residential types) and households × persons per household, marked
/// estimated. Also sets `dedicated` for institutions.
void estimate_households(core::Building& building,
                         std::optional<double> source_households,
                         std::optional<double> source_population,
                         const HouseholdOptions& options);

}  // namespace gridplan::io
