// Private parts of the scene-level partition (docs/partition.md, "Pipeline per community"):
// the value each step of `start_community` and `finish_community` hands to the next.
//   units.cpp      steps 1-5: road blocks, units, cells, adjacency, relay through empty blocks
//   partition.cpp  steps 6-7: balancing graph, existing plan and locks, k, optimiser
//   grids.cpp      steps 8-9: grid assembly, polygons, attributes, codes, ledger, tiling check
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/geometry/index/rtree.hpp>

#include "core/ledger.hpp"
#include "core/scene.hpp"
#include "geom/blocks.hpp"
#include "partition/graph.hpp"
#include "partition/partition.hpp"

namespace gridplan::partition::detail {

using BoxEntry = std::pair<core::Box, std::uint32_t>;
using BoxTree = boost::geometry::index::rtree<BoxEntry, boost::geometry::index::quadratic<16>>;

/// Road and barrier lines of the whole scene, indexed once for every community.
struct SceneIndex {
    BoxTree roads;     ///< roads that split blocks
    BoxTree barriers;  ///< all barriers
    std::vector<int> road_rank;
};

/// Buildings of one block with the same anchor (to 1 mm): one Voronoi site, one cell.
struct Unit {
    std::vector<core::Index> buildings;
    core::Point anchor{0.0, 0.0};
    std::int32_t face = -1;
    double households = 0.0;
    double population = 0.0;
    bool dedicated = false;
    bool estimated = false;
    core::MultiPolygon cell;
};

/// A shared boundary between an empty block and a unit cell or another empty block.
struct EmptyBlockTouch {
    std::uint32_t empty;  ///< index into CommunityUnits::empty_faces
    std::uint32_t other;  ///< unit index, or number of units + empty index
    double length;
};

/// Steps 1-5 of one community: its blocks, units with their cells, and the adjacency.
struct CommunityUnits {
    core::Box envelope;  ///< of the community polygon
    geom::BlockSet blocks;
    std::vector<Unit> units;
    std::vector<std::vector<std::uint32_t>> units_of_face;
    std::vector<std::uint32_t> empty_faces;          ///< blocks without units
    std::vector<core::MultiPolygon> empty_polygons;  ///< one per empty face
    std::vector<GraphEdge> unit_edges;               ///< unit adjacency (unit indices)
    std::vector<EmptyBlockTouch> touches;
    /// dedicated units: their institution site 0.. (one dedicated grid each), others -1
    std::vector<std::int32_t> site_of_unit;

    [[nodiscard]] std::uint32_t face_count() const {
        return static_cast<std::uint32_t>(blocks.faces.size());
    }
    [[nodiscard]] std::uint32_t unit_count() const {
        return static_cast<std::uint32_t>(units.size());
    }
};

/// What finish_community returns for one community; merged in community order.
struct CommunityOut {
    std::vector<Grid> grids;
    std::vector<std::pair<core::Index, std::uint32_t>> building_grid;  ///< (building, local grid)
    std::vector<BuildingGroup> groups;  ///< BuildingGroup::grid is the local grid index
    std::vector<std::pair<core::Index, std::uint32_t>> building_group;  ///< (building, local group)
    CommunityReport report;
    core::Ledger ledger;
};

/// Which grid every unit belongs to: regular grids 0..k-1, then closed (kept) grids and one
/// grid per standalone unit.
struct GridAssignment {
    std::vector<std::uint32_t> grid_of_unit;
    std::vector<GridKind> kinds;  ///< per grid
};

/// A piece of the community that goes whole to one grid (step 8): a block whose units all lie
/// in one grid, one polygon part of a unit's cell in a block shared by several grids, or a block
/// without buildings. The atoms tile the community.
struct Atom {
    core::MultiPolygon area;           ///< one polygon
    std::vector<std::uint32_t> units;  ///< units whose anchors it holds (empty: free space)
    std::int64_t grid = -1;            ///< grid it goes to
    std::uint32_t face = 0;            ///< its block
};

/// Step 8 (docs/partition.md, "whole grids"): every atom with the grid it goes to, chosen so that
/// each grid is one connected piece; the grids of the units (changed only where a detached group
/// of units had to join a neighbour), and the grids still in several parts with the reason.
struct WholeGrids {
    std::vector<Atom> atoms;
    std::vector<std::uint32_t> grid_of_unit;
    std::uint32_t units_moved = 0;  ///< units moved to a neighbouring grid
    double households_moved = 0.0;
    std::vector<std::uint32_t> apart;     ///< grids whose units stay apart (no free path)
    std::vector<std::uint32_t> isolated;  ///< grids given a free atom touching no grid
};

/// Step 8: the atoms of the community and the grid each goes to (whole_grids.cpp).
/// Parts that no free space joins move to a neighbour only when `move_within` is given and the
/// move keeps both grids in that band (redraw passes none: it keeps the planner's grids as
/// drawn and refuses an edit that leaves one apart); a part holding a locked building
/// (`scene`) never moves.
[[nodiscard]] WholeGrids whole_grids(const core::Scene& scene,
                                     const CommunityUnits& cu,
                                     const GridAssignment& assignment,
                                     const Band* move_within);

/// The part of a unit's cell that holds its anchor (the largest part when none covers it).
[[nodiscard]] std::size_t anchor_part(const Unit& unit);

/// Removes slit and spike tips, sliver holes and sliver parts (< 1 cm²) from a union of cells.
void drop_sliver_rings(core::MultiPolygon& area);

/// Building groups (groups.cpp, docs/partition.md "Building groups"): splits every grid of the
/// community (already numbered: `renumber` maps the grid indices of `assignment` and the atoms of
/// `wg` to those of out.grids) into contiguous groups of units by the optimiser, draws their
/// polygons from the atoms and cells, numbers them in reading order and fills out.groups.
void building_groups(const core::Scene& scene,
                     const CommunityUnits& cu,
                     const GridAssignment& assignment,
                     const WholeGrids& wg,
                     const std::vector<std::uint32_t>& renumber,
                     const Options& options,
                     CommunityOut& out);

/// Adds a ledger row of layer `grids`.
void warn(core::Ledger& ledger,
          std::string source_id,
          std::string reason,
          std::string detail,
          const core::Point* at = nullptr,
          core::Action action = core::Action::warned);

/// Steps 1-5: road blocks of the community, its units and their cells, unit adjacency with cut
/// costs, and adjacency relayed through clusters of empty blocks.
[[nodiscard]] CommunityUnits community_units(const core::Scene& scene,
                                             const core::Community& community,
                                             const std::vector<core::Index>& buildings,
                                             const SceneIndex& index,
                                             const Options& options,
                                             core::Ledger& ledger);

/// Step 8-9 inputs: `assignment` from the optimiser. Builds the grids of the community (polygons,
/// attributes, codes), their ledger rows and the tiling check into `out`.
void assemble_grids(const core::Scene& scene,
                    core::Index community_index,
                    const CommunityUnits& cu,
                    const GridAssignment& assignment,
                    const Band& band,
                    const Options& options,
                    CommunityOut& out);

/// Steps 1-5 of one community and its report's identity: what depends only on the scene's
/// geometry and the options' block, unit and cell settings, never on grid codes, locks, closed
/// grids or k (so a workspace computes it once per community, detail/replay.hpp).
struct CommunityStart {
    CommunityOut out;                     ///< report identity and blocks, ledger rows so far
    std::optional<CommunityUnits> units;  ///< none: a community without buildings
};

/// Steps 1-5 of community `ci` (its buildings `bldgs`).
[[nodiscard]] CommunityStart start_community(const core::Scene& scene,
                                             core::Index ci,
                                             const std::vector<core::Index>& bldgs,
                                             const SceneIndex& index,
                                             const Options& options);

/// Steps 6-9 of community `ci` from its start: balancing graph, existing plan and locks, k, the
/// optimiser, grid assembly. start_community then finish_community is one community of
/// partition_scene.
[[nodiscard]] CommunityOut finish_community(const core::Scene& scene,
                                            core::Index ci,
                                            const CommunityStart& start,
                                            const Options& options);

/// Roads that split blocks (rank <= block_road_max_rank) and all barriers, in R-trees.
[[nodiscard]] SceneIndex scene_index(const core::Scene& scene, const Options& options);

/// Buildings per community; a building without a community is skipped (ledger).
[[nodiscard]] std::vector<std::vector<core::Index>> buildings_by_community(const core::Scene& scene,
                                                                           core::Ledger& ledger);

/// Runs `solve` for the communities `which` on `threads` workers (0 = hardware concurrency);
/// when some fail, throws the error of the first in `which`, prefixed with its community, so the
/// error does not depend on the thread count.
void solve_in_parallel(const core::Scene& scene,
                       const std::vector<core::Index>& which,
                       int threads,
                       const std::function<void(core::Index)>& solve);

/// Merges the communities' outputs in community order into `result` (whose grid_of_building is
/// sized to the scene's buildings): grids, building -> grid, ledgers, community and street
/// reports. Moves the grids out of `outs`.
void merge_communities(const core::Scene& scene, std::vector<CommunityOut>& outs, Result& result);

}  // namespace gridplan::partition::detail
