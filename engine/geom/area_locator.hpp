#pragma once
/// \file
/// Which polygon of a set holds a point: an R-tree of envelopes, then covered_by. The one home
/// for "the community / grid / street a point stands in" (coverage statistics, output layers).

#include <functional>
#include <optional>
#include <span>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/geometry.hpp"
#include "core/scene.hpp"

namespace gridplan::geom {

/// Finds the first area (lowest index) whose polygon covers a point (boundary included).
/// The areas are referenced, not copied: they must outlive the locator.
class AreaLocator {
public:
    explicit AreaLocator(std::span<const core::MultiPolygon> areas);
    /// The lowest index of an area covering `p`, or nullopt.
    [[nodiscard]] std::optional<core::Index> locate(const core::Point& p) const;
    /// The lowest index of an area covering `p` that `accept` takes, or nullopt.
    [[nodiscard]] std::optional<core::Index> locate(
        const core::Point& p, const std::function<bool(core::Index)>& accept) const;
    [[nodiscard]] bool empty() const noexcept { return tree_.empty(); }

private:
    using Entry = std::pair<core::Box, core::Index>;
    using Tree = boost::geometry::index::rtree<Entry, boost::geometry::index::quadratic<16>>;
    std::span<const core::MultiPolygon> areas_;
    Tree tree_;
};

}  // namespace gridplan::geom
