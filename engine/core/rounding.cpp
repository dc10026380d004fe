#include "core/rounding.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gridplan::core {

std::vector<std::int64_t> largest_remainder(std::span<const double> values) {
    std::vector<std::int64_t> out(values.size(), 0);
    std::vector<double> remainder(values.size(), 0.0);
    double total = 0.0;
    std::int64_t floors = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = std::isfinite(values[i]) ? std::max(values[i], 0.0) : 0.0;
        total += v;
        const double f = std::floor(v);
        out[i] = static_cast<std::int64_t>(f);
        remainder[i] = v - f;
        floors += out[i];
    }
    const std::int64_t missing = std::llround(total) - floors;
    if (missing <= 0) {
        return out;
    }
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    const auto n = std::min<std::size_t>(static_cast<std::size_t>(missing), order.size());
    std::partial_sort(order.begin(),
                      order.begin() + static_cast<std::ptrdiff_t>(n),
                      order.end(),
                      [&](std::size_t a, std::size_t b) {
                          return remainder[a] != remainder[b] ? remainder[a] > remainder[b] : a < b;
                      });
    for (std::size_t i = 0; i < n; ++i) {
        ++out[order[i]];
    }
    return out;
}

}  // namespace gridplan::core
