#pragma once
/// \file
/// Redraw mode (网格调整): start from today's grids (grid polygons or a building→grid code
/// field), apply the planner's locks and edits, rebalance every community with the fewest
/// household moves (same contiguity and road-following rules as `partition_scene`), keep the
/// grid codes, and report what changed. docs/redraw.md.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/ledger.hpp"
#include "core/progress.hpp"
#include "core/scene.hpp"
#include "partition/partition.hpp"

namespace gridplan::partition {

/// A grid's code after a redraw: inherited from today's plan or new.
struct KeptCode {
    std::string code;
    std::uint32_t sequence = 0;  ///< 3-digit sequence (0 for a kept code that is not 15 digits)
    bool kept = false;           ///< true: today's code; false: a new code
};

/// The number of grids a redraw gives a community of `households` that has `k_today` grids:
/// today's k clamped to ceil(H/max)..floor(H/min) when that range is not empty; a target H/k in
/// the outer tenth of the band moves to the nearest k (fewer first) whose target lies in the
/// inner band, if any. At least 1.
[[nodiscard]] std::uint32_t redraw_k(double households, std::uint32_t k_today, const Band& band);

/// The sequence of `code` when it is `community_code12` followed by 3 digits.
[[nodiscard]] std::optional<std::uint32_t> code_sequence(const std::string& code,
                                                         const std::string& community_code12);

/// Codes for the grids of one community. `overlap[g]` maps today's codes to the households
/// grid g shares with them; grids take codes greedily by largest shared households (ties: code,
/// then grid), each code at most once. The other grids get community_code12 + sequences after
/// the highest sequence in `existing_codes` (today's and retired codes), in `reading_order`.
[[nodiscard]] std::vector<KeptCode> keep_grid_codes(
    const std::vector<std::map<std::string, double>>& overlap,
    const std::vector<std::uint32_t>& reading_order,
    const std::string& community_code12,
    const std::set<std::string>& existing_codes);

/// A planner's edit, applied before the rebalance.
enum class EditKind {
    move,    ///< move buildings to grid `grid`, then rebalance the rest (population completion)
    split,   ///< split grid `grid` into `parts` grids (the community's other grids stay)
    merge,   ///< merge `grids` into the first of them (the others are retired)
    lock,    ///< from this edit on, `grids` are kept as they are (later edits touching them are
             ///< refused)
    unlock,  ///< undoes a lock (of an earlier edit or of `locked_grids`) from this edit on
};

[[nodiscard]] const char* to_string(EditKind kind) noexcept;

struct Edit {
    EditKind kind = EditKind::move;
    std::vector<std::string> buildings;  ///< move: building ids
    std::string grid;                    ///< move: target grid; split: the grid to split
    std::vector<std::string> grids;      ///< merge: two or more grid codes; lock, unlock: codes
    std::uint32_t parts = 2;             ///< split: number of grids
};

/// Options of redraw_scene.
struct RedrawOptions {
    Options partition;             ///< band, population cap, overrides, seed, threads…
    double churn_weight = 4.0;     ///< weight of the share of households moved (see docs/redraw.md)
    double balance_weight = 0.25;  ///< weight of the mean squared deviation from the target
    std::vector<std::string> locked_grids;      ///< grid codes kept exactly as they are
    std::vector<std::string> locked_buildings;  ///< building ids that keep their grid
    std::vector<std::string> locked_roads;      ///< road names whose grid boundaries stay
    double road_lock_distance_m = 30.0;  ///< buildings this close to a locked road keep their grid
    std::vector<std::string> retired_codes;  ///< codes retired earlier: never reused
    std::vector<Edit> edits;
    /// false: replay, no rebalance. The plan is today's grids with the edits applied and
    /// nothing else moved (a split still draws its grid's parts): every grid is kept as
    /// drawn, edited grids out of the band are allowed (the report and `in_band` show them),
    /// a grid that would not be one connected piece is still refused. A scenario saved by
    /// the workspace replays this way, byte for byte.
    bool rebalance = true;
};

/// A building whose grid changed.
struct BuildingMove {
    core::Index building = 0;
    std::string from;  ///< "" = in no grid before
    std::string to;
    double households = 0.0;
    double population = 0.0;
};

/// One grid code before/after.
struct GridChange {
    std::string code;
    core::Index community = 0;
    std::string status;  ///< "kept" (same buildings), "changed", "new", "retired"
    double households_before = 0.0;
    double households_after = 0.0;
    std::uint32_t buildings_before = 0;
    std::uint32_t buildings_after = 0;
    std::uint32_t moved_in = 0;   ///< buildings that joined
    std::uint32_t moved_out = 0;  ///< buildings that left
    bool in_band_before = false;
    bool in_band_after = false;
};

/// What changed in one community.
struct CommunityDiff {
    core::Index community = 0;
    std::string id;
    std::string name;
    std::uint32_t grids_before = 0;  ///< regular grids (codes with balanced buildings)
    std::uint32_t grids_after = 0;
    std::uint32_t in_band_before = 0;
    std::uint32_t in_band_after = 0;
    std::uint32_t buildings_moved = 0;
    double households_moved = 0.0;
    double households = 0.0;
    std::vector<std::string> new_codes;
    std::vector<std::string> retired_codes;
    std::string summary;  ///< one line for the report
};

/// The redraw of a scene.
struct RedrawResult {
    Result plan;                           ///< the new grids (codes kept where possible)
    std::vector<std::string> code_before;  ///< per building: today's grid code ("" = none)
    std::vector<BuildingMove> moves;       ///< by building index
    std::vector<GridChange> grids;         ///< by community, then code
    std::vector<CommunityDiff> communities;
    core::Ledger ledger;  ///< today's plan (layer "redraw"), then the partition's rows
};

/// Today's grid code of every building: the grid polygon holding its anchor (largest
/// footprint overlap when the anchor is in none), or its own `grid_code` field when it has one.
/// Grid polygons without a code, buildings in no grid and buildings whose grid belongs to
/// another community (by the majority of the grid's buildings; their code is then cleared)
/// are ledger rows (layer "redraw").
[[nodiscard]] std::vector<std::string> existing_grid_codes(const core::Scene& scene,
                                                           core::Ledger& ledger);

/// Redraws the scene. Throws core::Error{invalid_input} when an edit or lock is refused
/// (message names the grid codes and the fault), Errc::usage for malformed edits.
[[nodiscard]] RedrawResult redraw_scene(const core::Scene& scene,
                                        const RedrawOptions& options,
                                        const core::ProgressFn& progress = {});

}  // namespace gridplan::partition
