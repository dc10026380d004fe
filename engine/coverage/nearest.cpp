// NearestField: one bounded multi-source search, then the coverage rule at any snapped point.
#include "coverage/nearest.hpp"

#include "coverage/detail/reach.hpp"

namespace gridplan::coverage {

NearestField::NearestField(const graph::WalkGraph& graph,
                           const graph::SnapTable& source_snaps,
                           std::span<const std::uint32_t> sources,
                           double bound_m)
    : graph_(&graph),
      bound_m_(bound_m),
      distance_(graph.node_count(), kUnreached),
      source_(graph.node_count(), graph::kNone),
      component_served_(graph.components.size(), 0) {
    for (const auto s : sources) {
        detail::add_seeds(source_snaps.of(s), s, seeds_);
    }
    sort_seeds(seeds_);
    for (const auto& seed : seeds_) {
        component_served_[graph.component_of_edge(seed.edge)] = 1;
    }
    SearchSpace space(graph.node_count());
    space.run(graph, seeds_, bound_m);
    for (const auto n : space.settled()) {
        distance_[n] = space.distance(n);
        source_[n] = space.source(n);
    }
}

PointDistance NearestField::at(std::span<const graph::Snap> snaps) const {
    const graph::WalkGraph& g = *graph_;
    PointDistance best;
    for (const auto& s : snaps) {
        const std::uint32_t u = g.edge_from[s.edge];
        const std::uint32_t v = g.edge_to[s.edge];
        const PointDistance pd = distance_on_edge(g.edge_length_m[s.edge],
                                                  s.offset_m,
                                                  distance_[u],
                                                  source_[u],
                                                  distance_[v],
                                                  source_[v],
                                                  seeds_on_edge(seeds_, s.edge));
        const double d = s.access_m + pd.distance_m;
        if (d <= bound_m_ &&
            (d < best.distance_m || (d == best.distance_m && pd.source < best.source))) {
            best = {d, pd.source};
        }
    }
    return best;
}

bool NearestField::serves_component_of(std::uint32_t edge) const {
    return component_served_[graph_->component_of_edge(edge)] != 0;
}

}  // namespace gridplan::coverage
