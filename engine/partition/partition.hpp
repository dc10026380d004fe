#pragma once
/// \file
/// Scene-level grid partitioning (网格划分): every community (社区) is split on its own into
/// connected grids of min–max households that follow road blocks (路块), plus one dedicated grid
/// (专属网格) per institution and per building too large for any grid. Grids tile their
/// community exactly and carry 15-digit codes (community code + 3-digit sequence, numbered
/// west→east then north→south). See docs/partition.md.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/geometry.hpp"
#include "core/ledger.hpp"
#include "core/progress.hpp"
#include "core/scene.hpp"
#include "partition/graph.hpp"

namespace gridplan::partition {

/// Per-community settings that replace the global ones (keyed by community id or code).
struct CommunityOverride {
    std::optional<Band> band;        ///< e.g. rural 250–350
    std::optional<std::uint32_t> k;  ///< planner-fixed number of regular grids
    bool operator==(const CommunityOverride&) const = default;
};

/// Options of partition_scene.
struct Options {
    Band band;                                           ///< default 300–500 households
    std::optional<double> max_population = 2500.0;       ///< per-grid residents cap (none: no cap)
    std::map<std::string, CommunityOverride> overrides;  ///< by community id or 12-digit code
    KPolicy k_policy = KPolicy::closest_to_band_middle;
    std::uint64_t seed = 1;
    int threads = 0;             ///< 0 = hardware concurrency; output is identical for any value
    OptimiserOptions optimiser;  ///< seed and max_population are taken from the fields above
    /// Roads of rank <= this split blocks (0 arterial, 1 secondary, 2 tertiary/支路,
    /// 3 residential/unclassified, 4 service/footway/path…). Default 3: compound paths do not.
    int block_road_max_rank = 3;
    /// Dedicated buildings of the same type whose footprints are at most this far apart (and
    /// whose cells touch) are one institution site, one dedicated grid, when no site polygon
    /// (input role `landuse`) holds them.
    double institution_gap_m = 5.0;
    /// Provisional communities when the input has no community polygon (docs/partition.md
    /// "Provisional communities"): "" (stop with an error), "arterial_blocks" or "landuse".
    std::string communities_from;
    /// arterial_blocks: roads of rank <= this bound the blocks (0 motorway/trunk/primary,
    /// 1 secondary; default 1).
    int arterial_max_rank = 1;
    /// arterial_blocks: blocks with fewer households are merged with a neighbour until each
    /// provisional community has at least this many (民政部 guidance: 1,000–3,000 households).
    double derived_min_households = 1500.0;
    /// Cut cost of an edge between two buildings of one block (roads cost 1–4 by rank).
    double in_block_cut_cost = 20.0;
    bool check_tiling = true;                  ///< measure gaps/overlaps per community (GEOS union)
    double households_per_part_timer = 100.0;  ///< suggested N of 1+1+1+N = ceil(h / this)
    /// Building groups (楼栋/楼院党小组, docs/partition.md "Building groups"): the household band
    /// of a group inside its grid (default 60-150).
    Band group_band{60.0, 150.0};
    /// When > 0, groups of about this many buildings instead (band n/2 .. 3n/2 buildings,
    /// rounded outward; the household band is then not used).
    std::uint32_t group_buildings = 0;
    /// Draw building groups at all (off: Result::groups stays empty).
    bool building_groups = true;
    // ---- redraw mode (docs/redraw.md; set by redraw_scene)
    /// Keep today's grid codes (Building::grid_code): each grid takes the existing code it
    /// shares the most households with; the other grids get sequences after the highest
    /// existing (or retired) sequence of their community, in reading order.
    bool keep_codes = false;
    /// Grid codes kept exactly as they are (whole-grid locks, merged grids): the buildings
    /// carrying one of these codes form that grid, outside balancing.
    std::set<std::string> closed_grids;
    /// Codes retired by earlier redraws: never given to a new grid.
    std::set<std::string> retired_codes;
    bool operator==(const Options&) const = default;
};

/// What kind of grid.
enum class GridKind {
    regular,    ///< balanced grid (综合网格)
    dedicated,  ///< institution's own grid (专属网格): Building::dedicated
    oversized,  ///< one building above the band's max (no 单元 data to split it)
};

[[nodiscard]] const char* to_string(GridKind kind) noexcept;

/// One grid with its attributes.
struct Grid {
    std::string code;            ///< 15 digits: community code (12) + sequence (3)
    std::uint32_t sequence = 0;  ///< 1.. in reading order (west→east, north→south)
    GridKind kind = GridKind::regular;
    core::Index community = 0;
    std::optional<core::Index> street;
    std::string community_code;  ///< 12 digits (derived when the community has none)
    std::string community_name;
    std::string street_code;
    std::string street_name;
    std::vector<core::Index> buildings;  ///< sorted building indices
    core::MultiPolygon area;             ///< union of its blocks / Voronoi cells
    double households = 0.0;
    double population = 0.0;
    double area_m2 = 0.0;
    double polsby_popper = 0.0;  ///< 4πA/P²
    int blocks_split = 0;        ///< blocks this grid shares with other grids
    bool in_band = false;
    double deviation = 0.0;  ///< (h - T) / T, T = community target (regular grids)
    bool estimated = false;  ///< some households are estimated, not counted
    // 1+1+1+N staffing: left empty for planners, plus a suggestion for N.
    std::string grid_leader;        ///< 网格长
    std::string instructor;         ///< 网格指导员
    std::string full_time_worker;   ///< 专职网格员
    int part_timers_suggested = 0;  ///< N 兼职网格员/志愿者 = ceil(households / 100)
};

/// A building group (楼栋/楼院党小组) inside a grid: contiguous units of the grid's buildings.
struct BuildingGroup {
    std::string code;            ///< 17 digits: grid code (15) + sequence (2)
    std::uint32_t sequence = 0;  ///< 1.. in reading order inside the grid
    std::uint32_t grid = 0;      ///< index into Result::grids
    core::Index community = 0;
    std::optional<core::Index> street;
    std::string grid_code;
    std::string community_code;
    std::string community_name;
    std::string street_code;
    std::string street_name;
    std::vector<core::Index> buildings;  ///< sorted building indices
    core::MultiPolygon area;             ///< its units' cells (and the grid's free space they border)
    double households = 0.0;
    double population = 0.0;
    bool in_band = false;     ///< households (or buildings) within the group band
    /// Outside balancing: one unit above the group maximum, or the whole of a dedicated or
    /// oversized grid (no band applies).
    bool standalone = false;
    std::string building_head;  ///< 楼栋长: left empty for planners
};

/// Per-community report.
struct CommunityReport {
    core::Index community = 0;
    std::string id;
    std::string name;
    std::string code;           ///< 12 digits used in grid codes
    bool code_derived = false;  ///< true: the community had no valid code; derived from its id
    std::optional<core::Index> street;
    Band band;
    std::uint32_t k = 0;      ///< regular grids
    std::string k_reason;     ///< "policy closest_to_band_middle in 8..13" / "override" …
    std::uint32_t grids = 0;  ///< all grids including dedicated/oversized
    std::uint32_t dedicated_grids = 0;
    std::uint32_t buildings = 0;
    std::uint32_t blocks = 0;
    std::uint32_t blocks_split = 0;
    double households = 0.0;    ///< in regular grids
    double target = 0.0;        ///< H / k
    std::uint32_t in_band = 0;  ///< regular grids in band
    double band_share = 0.0;
    double worst_deviation = 0.0;
    double mean_deviation = 0.0;
    double lower_bound = 0.0;        ///< certified lower bound on worst deviation
    double lower_bound_gap = 0.0;    ///< worst_deviation - lower_bound
    std::uint32_t disconnected = 0;  ///< grids drawn in more than one polygon part
    std::uint32_t locked_apart = 0;  ///< grids whose locked (fixed) units lie apart in the graph
    bool infeasible = false;         ///< band proven impossible (certificate)
    std::uint32_t min_out_of_band = 0;
    std::string certificate;  ///< reasons of the bounds
    double area_m2 = 0.0;
    double grids_area_m2 = 0.0;
    double overlap_m2 = 0.0;
    double gap_m2 = 0.0;
};

/// Per-street report (aggregate of its communities).
struct StreetReport {
    std::optional<core::Index> street;  ///< nullopt: communities without a street
    std::string name;
    std::string code;
    std::uint32_t communities = 0;
    std::uint32_t grids = 0;
    std::uint32_t regular_grids = 0;
    std::uint32_t in_band = 0;
    double band_share = 0.0;
    double worst_deviation = 0.0;
    double mean_deviation = 0.0;
    double worst_lower_bound_gap = 0.0;
    std::uint32_t disconnected = 0;
    std::uint32_t infeasible_communities = 0;
};

/// The partition of a scene.
struct Result {
    std::vector<Grid> grids;  ///< by community index, then sequence
    std::vector<std::optional<std::uint32_t>> grid_of_building;  ///< index into grids
    std::vector<CommunityReport> communities;
    std::vector<StreetReport> streets;
    core::Ledger ledger;
    /// Building groups, by grid (in grid order), then sequence; empty when
    /// Options::building_groups is off.
    std::vector<BuildingGroup> groups;
    std::vector<std::optional<std::uint32_t>> group_of_building;  ///< index into groups
};

/// Partitions every community of the scene. Communities run in parallel; the result is
/// byte-identical for any thread count.
[[nodiscard]] Result partition_scene(const core::Scene& scene,
                                     const Options& options,
                                     const core::ProgressFn& progress = {});

// ------------------------------------------------------------------ building blocks (tested)

/// Road class rank: 0 arterial (motorway/trunk/primary/快速路/主干路), 1 secondary/次干路,
/// 2 tertiary/支路, 3 residential/unclassified/living_street, 4 anything else.
[[nodiscard]] int road_rank(std::string_view road_class);

/// Cut cost of an edge across a road of this rank: 1, 1.5, 2, 2.5, 4 (arterial cheapest).
[[nodiscard]] double road_cut_cost(int rank);

/// The community's 12-digit code, or a derived one ('9' + 11 digits of FNV-1a-64(id) mod 1e11)
/// when it has none; `derived` says which.
[[nodiscard]] std::string community_code12(const core::Community& community, bool& derived);

/// Reading order of points (grid centroids): rows of height `row_height_m` from the north,
/// west→east within a row. Returns indices in numbering order.
[[nodiscard]] std::vector<std::uint32_t> reading_order(const std::vector<core::Point>& centroids,
                                                       double north_y,
                                                       double row_height_m);

}  // namespace gridplan::partition
