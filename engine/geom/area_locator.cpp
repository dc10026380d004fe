#include "geom/area_locator.hpp"

#include <vector>

#include <boost/iterator/function_output_iterator.hpp>

namespace gridplan::geom {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

AreaLocator::AreaLocator(std::span<const core::MultiPolygon> areas) : areas_(areas) {
    std::vector<Entry> boxes;
    for (core::Index i = 0; i < areas.size(); ++i) {
        if (!areas[i].empty()) {
            boxes.emplace_back(bg::return_envelope<core::Box>(areas[i]), i);
        }
    }
    tree_ = Tree(boxes.begin(), boxes.end());
}

std::optional<core::Index> AreaLocator::locate(const core::Point& p) const {
    return locate(p, {});
}

std::optional<core::Index> AreaLocator::locate(
    const core::Point& p, const std::function<bool(core::Index)>& accept) const {
    std::optional<core::Index> best;
    if (tree_.empty()) {
        return best;
    }
    tree_.query(
        bgi::intersects(p), boost::make_function_output_iterator([&](const Entry& e) {
            const core::Index i = e.second;
            if ((!best || i < *best) && (!accept || accept(i)) && bg::covered_by(p, areas_[i])) {
                best = i;
            }
        }));
    return best;
}

}  // namespace gridplan::geom
