#pragma once
/// \file
/// A planner's editing session over a grid plan (the engine side of the workspace, issue 19):
/// today's plan, the edits accepted so far, locks, undo and redo. Every change is replayed with
/// the redraw's rules and no rebalance (RedrawOptions::rebalance false, docs/redraw.md): nothing
/// moves but what the planner moved, and an edit the redraw refuses (a grid left in pieces, a
/// locked grid, grids of two communities) leaves the session as it was, with the reason.
/// `scenario()` is the redraw configuration that `gridplan redraw` replays to the same plan.
/// A change solves again only the communities it touches (detail/replay.hpp); the plan is
/// exactly the one a whole redraw_scene replay of the same edits gives.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/scene.hpp"
#include "partition/detail/replay.hpp"
#include "partition/redraw.hpp"

namespace gridplan::partition {

/// What the planner sees of one grid.
struct GridFigures {
    std::string code;
    core::Index community = 0;
    GridKind kind = GridKind::regular;
    double households = 0.0;
    double population = 0.0;
    std::uint32_t buildings = 0;
    bool in_band = false;
    bool operator==(const GridFigures&) const = default;
};

/// The answer to one change: accepted (and the grids whose figures changed, appeared or
/// disappeared; a grid that disappeared has 0 buildings), or refused with the reason.
struct ChangeOutcome {
    bool accepted = false;
    std::string refusal;               ///< the redraw's message when refused
    std::vector<GridFigures> touched;  ///< by code
    std::uint64_t revision = 0;        ///< the session's revision after the change
};

/// How a Workspace replays a change: only the communities whose inputs changed (the default), or
/// the whole scene through redraw_scene (the reference of the tests and the latency benchmark).
/// Both give the same plans and refusals.
enum class ReplayMode { per_community, whole_scene };

class Workspace {
public:
    /// Today's plan: the buildings' grid codes in `scene` (Building::grid_code, as the redraw
    /// reads them), the locks and edits of `options` as the first state. Throws core::Error when
    /// that first state is refused.
    Workspace(core::Scene scene,
              RedrawOptions options,
              ReplayMode mode = ReplayMode::per_community);

    /// Applies one more edit (move, split or merge).
    [[nodiscard]] ChangeOutcome apply(Edit edit);
    /// Applies several edits as one change (one undo step): all of them or none.
    [[nodiscard]] ChangeOutcome apply(std::vector<Edit> edits);
    /// Locks or unlocks a whole grid from now on (a lock or unlock edit: a locked grid refuses
    /// every later edit that touches it).
    [[nodiscard]] ChangeOutcome lock_grid(const std::string& code, bool locked);
    /// Steps back / forward through accepted changes; false when there is none.
    [[nodiscard]] ChangeOutcome undo();
    [[nodiscard]] ChangeOutcome redo();
    [[nodiscard]] bool can_undo() const noexcept { return !undo_.empty(); }
    [[nodiscard]] bool can_redo() const noexcept { return !redo_.empty(); }

    [[nodiscard]] const core::Scene& scene() const noexcept { return scene_; }
    /// The current plan (a redraw result: grids, per-building codes before/after, diff).
    [[nodiscard]] const RedrawResult& plan() const noexcept { return plan_; }
    [[nodiscard]] std::vector<GridFigures> figures() const;
    /// The redraw options that replay the current plan: today's codes are the scene's, the
    /// edits (locks among them, in order) the session's, rebalance off.
    [[nodiscard]] RedrawOptions scenario() const;
    [[nodiscard]] std::uint64_t revision() const noexcept { return revision_; }
    [[nodiscard]] ReplayMode mode() const noexcept { return mode_; }
    /// The communities the last replay solved again (per_community; whole_scene: every one).
    [[nodiscard]] std::vector<core::Index> last_replayed() const;

private:
    using Edits = std::vector<Edit>;
    [[nodiscard]] RedrawOptions options_of(const Edits& edits) const;
    [[nodiscard]] ChangeOutcome change_to(Edits next);
    [[nodiscard]] ChangeOutcome step(std::vector<Edits>& from, std::vector<Edits>& to);
    [[nodiscard]] RedrawResult replay(const Edits& edits);

    core::Scene scene_;
    RedrawOptions base_;  ///< locks, retired codes, band… of the session; no edits
    ReplayMode mode_ = ReplayMode::per_community;
    std::optional<detail::Replayer> replayer_;  ///< per_community
    Edits edits_;
    RedrawResult plan_;
    std::vector<Edits> undo_;
    std::vector<Edits> redo_;
    std::uint64_t revision_ = 0;
};

/// The figures of every grid of a plan, by code.
[[nodiscard]] std::vector<GridFigures> grid_figures(const Result& plan);

/// Grids whose figures differ between two lists sorted by code (new and vanished ones too; a
/// vanished grid is listed with its code and community and zero figures).
[[nodiscard]] std::vector<GridFigures> changed_grids(const std::vector<GridFigures>& before,
                                                     const std::vector<GridFigures>& after);

}  // namespace gridplan::partition
