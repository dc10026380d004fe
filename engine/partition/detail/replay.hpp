#pragma once
/// \file
/// Replays for the workspace (issue 19, docs/workspace.md): one scene redrawn again and again
/// under one session's options with other edits. Only the communities whose inputs changed are
/// solved again (steps 6-9 of docs/partition.md); steps 1-5 of every community are computed once.
/// Every result, and every refusal, is exactly what redraw_scene / partition_scene give.

#include <memory>
#include <vector>

#include "core/scene.hpp"
#include "partition/partition.hpp"
#include "partition/redraw.hpp"

namespace gridplan::partition::detail {

/// partition_scene for calls on one scene whose buildings' grid codes and locks, closed grids and
/// override k (what a redraw's edits change) differ between calls. A community is solved again
/// only when its key changed: its buildings' codes, locks and closed codes, and its band and k.
/// Options that differ in anything else, or another number of buildings, start afresh.
class PartitionCache {
public:
    PartitionCache();
    ~PartitionCache();
    PartitionCache(const PartitionCache&);  ///< a deep copy (a copied Workspace owns its cache)
    PartitionCache& operator=(const PartitionCache&);
    PartitionCache(PartitionCache&&) noexcept;
    PartitionCache& operator=(PartitionCache&&) noexcept;

    /// The same Result as partition_scene(scene, options), or the same exception.
    [[nodiscard]] Result partition(const core::Scene& scene, const Options& options);
    /// The communities the last call solved (steps 6-9), ascending.
    [[nodiscard]] const std::vector<core::Index>& last_solved() const noexcept;

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// redraw_scene for one scene and one session's options (locks, band, retired codes…), with
/// any list of edits. Computes today's plan and the session's locks once, keeps a working copy
/// of the scene, and partitions through a PartitionCache.
class Replayer {
public:
    /// Throws what redraw_scene(scene, base) throws before its edits (bad weights, unknown
    /// locked grid, building or road). `base.edits` are ignored.
    Replayer(const core::Scene& scene, RedrawOptions base);
    ~Replayer();
    Replayer(const Replayer&);  ///< a deep copy (a copied Workspace owns its cache)
    Replayer& operator=(const Replayer&);
    Replayer(Replayer&&) noexcept;
    Replayer& operator=(Replayer&&) noexcept;

    /// The same result as redraw_scene(scene, base with `edits`), or the same exception;
    /// `scene` must be the scene of the constructor.
    [[nodiscard]] RedrawResult replay(const core::Scene& scene, const std::vector<Edit>& edits);
    /// The communities the last replay solved again.
    [[nodiscard]] const std::vector<core::Index>& last_solved() const noexcept;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace gridplan::partition::detail
