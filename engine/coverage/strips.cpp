// The strips along the streets a circle reaches (docs/coverage.md, "Service circles"): reached and
// unreached pieces of an edge, strip width samples, end-node squares.

#include "coverage/detail/strips.hpp"

#include <algorithm>

namespace gridplan::coverage::detail {

using core::Point;

bool fully_reached(const graph::WalkGraph& g,
                   std::uint32_t e,
                   const View::At& at,
                   double budget,
                   std::vector<std::pair<double, double>>& iv) {
    if (!at.touched) {
        return false;
    }
    iv.clear();
    const double length = g.edge_length_m[e];
    reach_intervals(length, at.du, at.dv, at.seeds, budget, iv);
    merge_intervals(iv);
    return iv.size() == 1 && iv.front().first <= kTiny && iv.front().second >= length - kTiny;
}

void unreached_pieces(const graph::WalkGraph& g,
                      std::uint32_t e,
                      const View::At& at,
                      double budget,
                      double epsilon,
                      std::vector<core::LineString>& out,
                      std::vector<std::pair<double, double>>& iv) {
    const double length = g.edge_length_m[e];
    iv.clear();
    if (at.touched) {
        reach_intervals(length, at.du, at.dv, at.seeds, budget + epsilon, iv);
        merge_intervals(iv);
    }
    double from = 0.0;
    for (const auto& [a, b] : iv) {
        if (a - from > kTiny) {
            out.push_back(graph::sub_line(g, e, from, a));
        }
        from = std::max(from, b);
    }
    if (length - from > kTiny) {
        out.push_back(graph::sub_line(g, e, from, length));
    }
}

std::vector<double> vertex_offsets(const core::LineString& line) {
    std::vector<double> out{0.0};
    for (std::size_t k = 0; k + 1 < line.size(); ++k) {
        out.push_back(out.back() + bg::distance(line[k], line[k + 1]));
    }
    return out;
}

bool disk_covered(std::span<const NodeCover> covers, double r) {
    std::vector<double> angles;
    for (const auto& c : covers) {
        if (c.rho >= r) {
            angles.push_back(c.angle);
        }
    }
    if (angles.size() < 3) {
        return false;
    }
    std::sort(angles.begin(), angles.end());
    constexpr double kPi = 3.14159265358979323846;
    constexpr double kMaxGap = kPi - 1e-3;
    for (std::size_t i = 0; i + 1 < angles.size(); ++i) {
        if (angles[i + 1] - angles[i] > kMaxGap) {
            return false;
        }
    }
    return angles.front() + 2 * kPi - angles.back() <= kMaxGap;
}

StripSamples strip_samples(
    const graph::WalkGraph& g, std::uint32_t e, const View::At& at, double budget, double a) {
    const double length = g.edge_length_m[e];
    const auto walk_m = [&](double x) {
        return distance_on_edge(length, x, at.du, 0, at.dv, 0, at.seeds).distance_m;
    };
    StripSamples out;
    auto& xs = out.xs;
    xs = {0.0, length};
    std::vector<double> up;
    std::vector<double> down;
    if (at.du != kUnreached) {
        up.push_back(at.du);
    }
    if (at.dv != kUnreached) {
        down.push_back(at.dv + length);
    }
    for (const auto& s : at.seeds) {
        xs.push_back(s.offset_m);
        up.push_back(s.access_m - s.offset_m);
        down.push_back(s.access_m + s.offset_m);
    }
    for (const double c1 : up) {
        for (const double c2 : down) {
            xs.push_back((c2 - c1) / 2);
        }
    }
    for (auto& x : xs) {
        x = std::clamp(x, 0.0, length);
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    // D is linear between consecutive xs; add the points where it meets budget - a and budget.
    std::vector<double> more;
    for (std::size_t i = 0; i + 1 < xs.size(); ++i) {
        const double d0 = walk_m(xs[i]);
        const double d1 = walk_m(xs[i + 1]);
        for (const double level : {budget - a, budget}) {
            if ((d0 - level) * (d1 - level) < 0) {
                more.push_back(xs[i] + (level - d0) / (d1 - d0) * (xs[i + 1] - xs[i]));
            }
        }
    }
    out.offsets = vertex_offsets(g.edge_geometry[e]);
    const auto& offsets = out.offsets;
    xs.insert(xs.end(), more.begin(), more.end());
    xs.insert(xs.end(), offsets.begin() + 1, offsets.end() - 1);
    for (auto& x : xs) {
        x = std::clamp(x, 0.0, length);
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(
                 xs.begin(), xs.end(), [](double p, double q) { return std::abs(p - q) <= 1e-9; }),
             xs.end());
    out.w.resize(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        out.w[i] = std::max(0.0, std::min(a, budget - walk_m(xs[i])));
    }
    return out;
}

void end_node_covers(const graph::WalkGraph& g,
                     std::uint32_t e,
                     const StripSamples& samples,
                     std::vector<NodeCover>& node_covers) {
    const auto& xs = samples.xs;
    const auto& w = samples.w;
    const double length = g.edge_length_m[e];
    const auto& line = g.edge_geometry[e];
    const std::size_t nv = line.size();
    const auto cover =
        [&](std::uint32_t node, const Point& p0, const Point& p1, double rho, bool from_start) {
            const auto& np = g.nodes[node];
            if (!(rho > kTiny) || np.x() != p0.x() || np.y() != p0.y() ||
                std::hypot(p1.x() - p0.x(), p1.y() - p0.y()) < rho + 1e-6) {
                return;
            }
            const double reach = rho + 1e-6;
            bool far_enough = false;
            for (std::size_t q = 0; q < xs.size(); ++q) {
                const std::size_t m = from_start ? q : xs.size() - 1 - q;
                if (w[m] < rho) {
                    return;
                }
                if ((from_start ? xs[m] : length - xs[m]) >= reach) {
                    far_enough = true;
                    break;
                }
            }
            if (far_enough) {
                node_covers.push_back({node, std::atan2(p1.y() - p0.y(), p1.x() - p0.x()), rho});
            }
        };
    if (nv >= 2 && g.edge_from[e] != g.edge_to[e]) {
        cover(g.edge_from[e], line[0], line[1], w.front(), true);
        cover(g.edge_to[e], line[nv - 1], line[nv - 2], w.back(), false);
    }
}

}  // namespace gridplan::coverage::detail
