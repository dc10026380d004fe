#pragma once
/// \file
/// The nearest facility of one kind from any position on the walking network, by the one
/// coverage rule (coverage.hpp): one bounded multi-source search from every facility of the kind,
/// then, for a point's snaps, min over snaps of (access leg + D(e, x)). Buildings
/// (compute_coverage) and arbitrary points (`gridplan locate`) are answered by the same field.

#include <cstdint>
#include <span>
#include <vector>

#include "coverage/search.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"

namespace gridplan::coverage {

/// Node labels of one multi-source search: for every node, the walking metres to the nearest
/// source and which source it is (ties: lower source id), within a bound. Immutable once built;
/// at() is thread-safe.
class NearestField {
public:
    /// `sources[i]` is the id of the point whose snaps are `source_snaps.of(sources[i])` (e.g.
    /// scene facility indices of one kind). Sources without snaps add nothing.
    NearestField(const graph::WalkGraph& graph,
                 const graph::SnapTable& source_snaps,
                 std::span<const std::uint32_t> sources,
                 double bound_m);

    /// Nearest source and walking metres (access leg included) of a point with these snaps;
    /// distance_m is kUnreached (source graph::kNone) when no source is within the bound.
    [[nodiscard]] PointDistance at(std::span<const graph::Snap> snaps) const;
    /// True when some source lies in the network component of `edge`.
    [[nodiscard]] bool serves_component_of(std::uint32_t edge) const;

    [[nodiscard]] double bound_m() const noexcept { return bound_m_; }
    /// The seeds of the search, sorted by edge.
    [[nodiscard]] const std::vector<Seed>& seeds() const noexcept { return seeds_; }
    /// Node labels (kUnreached beyond the bound).
    [[nodiscard]] const std::vector<double>& node_distance() const noexcept { return distance_; }

private:
    const graph::WalkGraph* graph_;
    double bound_m_;
    std::vector<Seed> seeds_;
    std::vector<double> distance_;
    std::vector<std::uint32_t> source_;
    std::vector<char> component_served_;
};

}  // namespace gridplan::coverage
