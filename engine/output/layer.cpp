#include "output/layer.hpp"

#include "core/error.hpp"

namespace gridplan::output {

void Layer::add(Geometry geometry, std::vector<Value> values) {
    core::require_invariant(values.size() == fields.size(), "output row width != field count");
    geometries.push_back(std::move(geometry));
    rows.push_back(std::move(values));
}

}  // namespace gridplan::output
