#pragma once
/// \file
/// 15-minute service circles (15分钟便民服务圈): exact walking coverage of facilities over the
/// walking network, one rule everywhere (docs/coverage.md):
///
///     walking time = (building access leg + network distance + facility access leg) / speed
///
/// with exact partial edges (graph::Snap positions, coverage::distance_on_edge). Coverage tables,
/// street metres, service-circle polygons, gaps and siting cover sets all derive from this rule.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/ledger.hpp"
#include "core/progress.hpp"
#include "core/scene.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"

namespace gridplan::coverage {

/// A walking speed profile ("adult" 4 km/h, "elderly" 3 km/h…).
struct SpeedProfile {
    std::string name;
    double speed_kmh = 4.0;
};

/// Service-circle polygon settings (docs/coverage.md, "Service circles").
struct PolygonOptions {
    bool enabled = true;
    bool per_facility = true;           ///< one circle per facility and threshold, besides dissolved
    std::vector<std::size_t> profiles{0};  ///< indices into Options::profiles that get polygons
    double ribbon_width_m = 50.0;       ///< a_max: widest strip either side of a reached street
    bool fill_blocks = true;            ///< fill blocks whose streets and buildings are all covered
    double max_fill_area_m2 = 100000.0; ///< blocks larger than this are never filled
    double notch_radius_m = 2.0;        ///< hole cut around an uncovered access point inside a strip
    double carve_width_m = 0.25;        ///< half width of the slit cut along an unreached street
    double unreached_epsilon_m = 1.0;   ///< street this far beyond the frontier counts as unreached
    double leg_width_m = 1.0;           ///< half width of an access-leg corridor
    int quadrant_segments = 4;          ///< arc resolution of round joins and caps
    /// Parts smaller than this are left out unless they hold the access point of a covered
    /// building or a reached street piece (docs/coverage.md, "Specks").
    double min_part_area_m2 = 50.0;
};

/// Gap (uncovered populated area) settings.
struct GapOptions {
    double link_m = 100.0;   ///< uncovered buildings closer than this form one gap
    double buffer_m = 15.0;  ///< footprints are grown by this before the union
    /// Footprints are simplified within this before growing (keeps every footprint inside: it is
    /// below buffer_m, and below the arc error of the growth at 4 segments per quarter circle).
    double simplify_m = 0.5;
    /// Gap parts smaller than this are left out unless they hold the access point of one of the
    /// gap's buildings (docs/coverage.md, "Specks").
    double min_part_area_m2 = 50.0;
};

/// Coverage settings. Defaults: 4 km/h (1 km in 15 min, ACFTU 双15 and GB 50180), thresholds
/// 5/10/15 min, an elderly profile at 3 km/h, 1 km straight-line comparison radius.
struct Options {
    std::vector<SpeedProfile> profiles{{"adult", 4.0}, {"elderly", 3.0}};
    std::vector<double> thresholds_min{5.0, 10.0, 15.0};
    double euclid_radius_m = 1000.0;
    graph::SnapOptions snap;
    PolygonOptions polygons;
    GapOptions gaps;
    int threads = 0;  ///< 0 = hardware concurrency; results are identical for any value
};

/// Metres walkable within `minutes` at `speed_kmh`.
[[nodiscard]] inline double budget_m(double minutes, double speed_kmh) {
    return minutes * speed_kmh * 1000.0 / 60.0;
}

/// Why a building is not covered (for one kind, profile and threshold).
enum class Uncovered : std::uint8_t {
    none,              ///< covered
    unsnappable,       ///< no walkable edge within the maximum snap distance
    no_facility,       ///< its network component has no facility of this kind
    beyond_threshold,  ///< reachable, but farther than the threshold
};
[[nodiscard]] const char* to_string(Uncovered reason) noexcept;

/// Per-building coverage by the facilities of one kind (struct of arrays, indexed by building).
struct KindCoverage {
    core::FacilityKind kind = core::FacilityKind::other;
    std::vector<core::Index> facilities;   ///< scene indices of this kind's facilities
    std::vector<std::uint32_t> nearest;    ///< nearest facility (scene index) or graph::kNone
    std::vector<double> distance_m;        ///< walking metres incl. both access legs; inf = beyond
    std::vector<std::uint16_t> count;      ///< [b * P * T + p * T + t] facilities within threshold
    std::vector<std::uint8_t> no_facility; ///< 1: the building's component has no such facility
    std::vector<std::uint32_t> euclid_nearest;  ///< straight-line nearest or kNone
    std::vector<double> euclid_distance_m;
    std::vector<std::uint16_t> euclid_count;    ///< facilities within the euclidean radius
};

/// Sums over a set of buildings and street edges.
struct Totals {
    double buildings = 0.0;
    double households = 0.0;
    double residents = 0.0;
    double street_m = 0.0;
};

/// What one facility reaches, per [profile * T + threshold].
struct FacilityCoverage {
    core::Index facility = 0;
    core::FacilityKind kind = core::FacilityKind::other;
    bool snapped = false;
    double access_m = 0.0;        ///< access leg of its best snap (0 when unsnapped)
    std::vector<Totals> within;   ///< buildings/households/residents/street metres reached
};

enum class AreaLevel { total, street, community, grid };
[[nodiscard]] const char* to_string(AreaLevel level) noexcept;
enum class Method { network, euclidean };
[[nodiscard]] const char* to_string(Method method) noexcept;

/// One row of the per-area table: one area × kind × (profile, threshold) or × euclidean radius.
struct AreaStats {
    AreaLevel level = AreaLevel::total;
    core::Index area = 0;  ///< index into scene streets / communities / grids (0 for total)
    core::FacilityKind kind = core::FacilityKind::other;
    Method method = Method::network;
    std::size_t profile = 0;     ///< network rows: index into Options::profiles
    double threshold_min = 0.0;  ///< network rows: minutes; euclidean rows: 0
    double radius_m = 0.0;       ///< walking metres (network) or straight-line radius (euclidean)
    Totals all;       ///< every building / street metre in the area
    Totals covered;   ///< reached by at least one facility
    Totals doubled;   ///< reached by at least two facilities (交叉覆盖)
};

/// Polygon self-check: each count must be 0 (tests assert it).
struct SelfCheck {
    std::size_t covered_outside = 0;    ///< covered buildings whose access point is outside
    std::size_t uncovered_inside = 0;   ///< uncovered buildings whose access point is inside
    std::size_t unreached_inside = 0;   ///< unreached street pieces that enter the polygon
    std::size_t invalid = 0;            ///< invalid polygons
    std::size_t buildings_checked = 0;
    std::size_t pieces_checked = 0;
    [[nodiscard]] bool ok() const noexcept {
        return covered_outside == 0 && uncovered_inside == 0 && unreached_inside == 0 &&
               invalid == 0;
    }
    void add(const SelfCheck& other);
};

/// One service-circle polygon: per facility, or dissolved per kind (facility == graph::kNone).
struct ServiceCircle {
    core::FacilityKind kind = core::FacilityKind::other;
    std::uint32_t facility = graph::kNone;  ///< scene facility index, or kNone when dissolved
    std::size_t profile = 0;
    double threshold_min = 0.0;
    core::MultiPolygon area;
    std::vector<std::uint32_t> filled_blocks;  ///< indices into Result::blocks
    /// Fix-ups made on this polygon itself. A dissolved circle built from its facility circles
    /// inherits their notches, slits and legs and counts only those it needed on top of them.
    std::size_t notches = 0;  ///< uncovered access points cut out of the strips
    std::size_t carves = 0;   ///< unreached street pieces slit out
    std::size_t legs = 0;     ///< access-leg corridors added for far covered buildings
    SelfCheck check;
};

/// A populated area outside every circle of a kind, profile and threshold.
struct Gap {
    core::FacilityKind kind = core::FacilityKind::other;
    std::size_t profile = 0;
    double threshold_min = 0.0;
    core::MultiPolygon area;
    std::vector<core::Index> buildings;  ///< ascending
    double households = 0.0;
    double residents = 0.0;
};

/// Everything compute_coverage() produces.
struct Result {
    Options options;                        ///< the settings used (printed in outputs)
    std::vector<core::Point> access_points; ///< per building: entrance, else anchor
    graph::SnapTable building_snaps;
    graph::SnapTable facility_snaps;
    std::vector<KindCoverage> kinds;        ///< kinds that have at least one facility, enum order
    std::vector<FacilityCoverage> facilities;  ///< scene facility order
    std::vector<AreaStats> areas;
    std::vector<core::Polygon> blocks;      ///< blocks filled in at least one circle
    std::vector<ServiceCircle> circles;     ///< per facility (if asked) then dissolved
    std::vector<Gap> gaps;                  ///< per kind/profile/threshold, most residents first
    SelfCheck check;                        ///< sum over all circles
    core::Ledger ledger;                    ///< unsnappable buildings and facilities

    [[nodiscard]] std::size_t slot(std::size_t profile, std::size_t threshold) const {
        return profile * options.thresholds_min.size() + threshold;
    }
    /// Facilities of kinds[k] within threshold t at profile p of building b.
    [[nodiscard]] std::uint16_t count(std::size_t k, std::size_t b, std::size_t p,
                                      std::size_t t) const {
        return kinds[k].count[b * options.profiles.size() * options.thresholds_min.size() +
                              slot(p, t)];
    }
    [[nodiscard]] bool covered(std::size_t k, std::size_t b, std::size_t p, std::size_t t) const;
    /// Walking minutes to the nearest facility of kinds[k] (inf when beyond the search bound).
    [[nodiscard]] double minutes(std::size_t k, std::size_t b, std::size_t p) const;
    [[nodiscard]] Uncovered reason(std::size_t k, std::size_t b, std::size_t p,
                                   std::size_t t) const;
    /// Index into kinds of `kind`, if present.
    [[nodiscard]] std::optional<std::size_t> kind_slot(core::FacilityKind kind) const;
};

/// Computes coverage of every building by every facility kind present in the scene.
/// `grid_of_building` (optional) assigns buildings to grids for per-grid rows; `grid_areas`
/// (optional, same grid numbering) lets street metres be counted per grid too.
/// Throws core::Error{usage} on bad options (no profile, non-positive speed or threshold).
[[nodiscard]] Result compute_coverage(const core::Scene& scene, const graph::WalkGraph& graph,
                                      const Options& options,
                                      std::span<const std::optional<core::Index>> grid_of_building = {},
                                      std::span<const core::MultiPolygon> grid_areas = {},
                                      const core::ProgressFn& progress = {});

/// Cover sets for siting, CSR by candidate: candidate j reaches demand[first[j] .. first[j+1])
/// (building indices, ascending) in minutes[...] minutes.
struct CoverSets {
    std::vector<std::uint32_t> first{0};
    std::vector<std::uint32_t> demand;
    std::vector<float> minutes;
    [[nodiscard]] std::size_t size() const noexcept { return first.size() - 1; }
};

/// One bounded search per candidate (in parallel, deterministic): which buildings lie within
/// `threshold_min` at `speed_kmh` under the coverage rule. Unsnapped candidates cover nothing.
[[nodiscard]] CoverSets cover_sets(const graph::WalkGraph& graph,
                                   const graph::SnapTable& building_snaps,
                                   const graph::SnapTable& candidate_snaps, double threshold_min,
                                   double speed_kmh, int threads = 0);

/// Same, snapping candidate points first (with `snap`).
[[nodiscard]] CoverSets cover_sets(const graph::EdgeIndex& index,
                                   const graph::SnapTable& building_snaps,
                                   std::span<const core::Point> candidates,
                                   const graph::SnapOptions& snap, double threshold_min,
                                   double speed_kmh, int threads = 0);

}  // namespace gridplan::coverage
