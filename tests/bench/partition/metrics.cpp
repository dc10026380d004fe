#include "metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numbers>
#include <numeric>
#include <utility>

namespace gridplan::bench {
namespace {

struct Vertex {
    double x, y;
    std::int32_t label;  ///< what the edge starting at this vertex borders
};

/// Clips the convex polygon `poly` to {p : n.p <= c}; the new edge is labelled `label`.
std::vector<Vertex> clip(const std::vector<Vertex>& poly, double nx, double ny, double c,
                         std::int32_t label) {
    std::vector<Vertex> out;
    out.reserve(poly.size() + 1);
    const std::size_t n = poly.size();
    for (std::size_t i = 0; i < n; ++i) {
        const Vertex& a = poly[i];
        const Vertex& b = poly[(i + 1) % n];
        const double sa = nx * a.x + ny * a.y - c;
        const double sb = nx * b.x + ny * b.y - c;
        const bool ina = sa <= 0;
        const bool inb = sb <= 0;
        if (ina) {
            out.push_back(a);
            if (!inb) {
                const double t = sa / (sa - sb);
                out.push_back({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y), label});
            }
        } else if (inb) {
            const double t = sa / (sa - sb);
            out.push_back({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y), a.label});
        }
    }
    return out;
}

double band_violation(double load, const BandSpec& band) {
    return std::max(0.0, load - band.max_households) + std::max(0.0, band.min_households - load);
}

/// Local search on an assignment of items to bins: single moves and pair swaps that lower the
/// total band violation. Returns true when every bin ends in band (a feasibility proof).
bool improve_to_band(const std::vector<std::int32_t>& w, std::vector<std::uint32_t>& bin_of,
                     std::vector<double>& load, const BandSpec& band) {
    const std::size_t n = w.size();
    const std::size_t k = load.size();
    auto total = [&] {
        double t = 0;
        for (double x : load) t += band_violation(x, band);
        return t;
    };
    double current = total();
    for (int round = 0; round < 200 && current > 0; ++round) {
        bool improved = false;
        for (std::size_t i = 0; i < n && current > 0; ++i) {
            const std::uint32_t a = bin_of[i];
            for (std::size_t b = 0; b < k; ++b) {
                if (b == a) continue;
                const double before = band_violation(load[a], band) + band_violation(load[b], band);
                const double after = band_violation(load[a] - w[i], band) +
                                     band_violation(load[b] + w[i], band);
                if (after < before - 1e-9) {
                    load[a] -= w[i];
                    load[b] += w[i];
                    bin_of[i] = static_cast<std::uint32_t>(b);
                    current += after - before;
                    improved = true;
                    break;
                }
            }
        }
        if (improved) continue;
        for (std::size_t i = 0; i < n && !improved; ++i) {
            for (std::size_t j = i + 1; j < n && !improved; ++j) {
                const std::uint32_t a = bin_of[i];
                const std::uint32_t b = bin_of[j];
                if (a == b || w[i] == w[j]) continue;
                const double d = w[j] - w[i];
                const double before = band_violation(load[a], band) + band_violation(load[b], band);
                const double after =
                    band_violation(load[a] + d, band) + band_violation(load[b] - d, band);
                if (after < before - 1e-9) {
                    load[a] += d;
                    load[b] -= d;
                    std::swap(bin_of[i], bin_of[j]);
                    current += after - before;
                    improved = true;
                }
            }
        }
        if (!improved) break;
    }
    return current <= 1e-9;
}

/// Relaxation: the `big` largest items are indivisible, the rest (`fluid` households) divisible.
/// Can the items be split into k bins of which at most `free_bins` are out of band?
/// Returns 1 = yes, 0 = proven no, -1 = search limit hit.
int relaxed_feasible(const std::vector<std::int32_t>& big, double fluid, std::uint32_t k,
                     std::uint32_t free_bins, const BandSpec& band) {
    const double lo = band.min_households;
    const double hi = band.max_households;
    const std::uint32_t c = k - free_bins;  // constrained bins
    double total = fluid;
    for (auto x : big) total += x;
    if (free_bins == 0 && total > k * hi + 1e-9) return 0;
    if (c == 0) return 1;
    std::vector<double> suffix(big.size() + 1, 0.0);
    for (std::size_t i = big.size(); i-- > 0;) suffix[i] = suffix[i + 1] + big[i];
    std::vector<double> load(c, 0.0);
    std::uint64_t nodes = 0;
    const std::uint64_t limit = 4'000'000;
    bool hit_limit = false;
    std::function<bool(std::size_t)> dfs = [&](std::size_t i) -> bool {
        if (++nodes > limit) {
            hit_limit = true;
            return false;
        }
        double deficit = 0;
        for (double x : load) deficit += std::max(0.0, lo - x);
        if (deficit > fluid + suffix[i] + 1e-9) return false;
        if (i == big.size()) return deficit <= fluid + 1e-9;
        const double w = big[i];
        for (std::uint32_t b = 0; b < c; ++b) {
            bool seen = false;  // bins with equal load are interchangeable
            for (std::uint32_t b2 = 0; b2 < b; ++b2) {
                if (load[b2] == load[b]) {
                    seen = true;
                    break;
                }
            }
            if (seen || load[b] + w > hi + 1e-9) continue;
            load[b] += w;
            const bool ok = dfs(i + 1);
            load[b] -= w;
            if (ok) return true;
            if (hit_limit) return false;
        }
        // the item goes to an out-of-band bin
        return free_bins > 0 && dfs(i + 1);
    };
    const bool ok = dfs(0);
    if (ok) return 1;
    return hit_limit ? -1 : 0;
}

}  // namespace

VoronoiCells voronoi_cells(const Community& cm) {
    const std::size_t n = cm.size();
    VoronoiCells cells;
    cells.area_m2.assign(n, 0.0);
    cells.edges.assign(n, {});
    const double ox = cm.bbox_m[0];
    const double oy = cm.bbox_m[1];
    const double w = cm.bbox_m[2] - ox;
    const double h = cm.bbox_m[3] - oy;
    for (std::size_t v = 0; v < n; ++v) {
        std::vector<Vertex> poly{{0, 0, -1}, {w, 0, -1}, {w, h, -1}, {0, h, -1}};
        const double px = cm.x_m[v] - ox;
        const double py = cm.y_m[v] - oy;
        for (auto a = cm.xadj[v]; a < cm.xadj[v + 1]; ++a) {
            const auto u = static_cast<std::size_t>(cm.adjncy[static_cast<std::size_t>(a)]);
            const double qx = cm.x_m[u] - ox;
            const double qy = cm.y_m[u] - oy;
            const double nx = qx - px;
            const double ny = qy - py;
            const double c = 0.5 * ((qx * qx + qy * qy) - (px * px + py * py));
            poly = clip(poly, nx, ny, c, static_cast<std::int32_t>(u));
            if (poly.empty()) break;
        }
        double area2 = 0;
        for (std::size_t i = 0; i < poly.size(); ++i) {
            const Vertex& a = poly[i];
            const Vertex& b = poly[(i + 1) % poly.size()];
            area2 += a.x * b.y - b.x * a.y;
            const double len = std::hypot(b.x - a.x, b.y - a.y);
            if (len > 0) cells.edges[v].push_back({len, a.label});
        }
        cells.area_m2[v] = 0.5 * std::abs(area2);
    }
    return cells;
}

std::uint32_t harness_k(std::int64_t total_households, const BandSpec& band) {
    const double H = static_cast<double>(total_households);
    const auto lo = static_cast<std::int64_t>(std::ceil(H / band.max_households));
    const auto hi = static_cast<std::int64_t>(std::floor(H / band.min_households));
    // Python's round() rounds halves to even; std::nearbyint does the same in the default mode.
    auto k = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(
               std::nearbyint(H / (0.5 * (band.min_households + band.max_households)))));
    if (lo <= hi) {
        k = std::min(std::max(k, lo), hi);
    } else {
        k = lo;
    }
    return static_cast<std::uint32_t>(std::max<std::int64_t>(k, 1));
}

CommunityScore score_community(const Community& cm, const VoronoiCells& cells,
                               const std::vector<std::int32_t>& part, std::uint32_t k_requested,
                               const BandSpec& band) {
    const std::size_t n = cm.size();
    CommunityScore s;
    s.community_id = cm.id;
    s.k_requested = k_requested;
    // dense grid index per label, in label order
    std::map<std::int32_t, std::uint32_t> dense;
    for (auto p : part) dense.emplace(p, 0);
    std::uint32_t next = 0;
    for (auto& [label, idx] : dense) idx = next++;
    s.grids = next;
    std::vector<std::uint32_t> g(n);
    for (std::size_t v = 0; v < n; ++v) g[v] = dense.at(part[v]);

    const double target = static_cast<double>(cm.total_households) / k_requested;
    s.grid_households.assign(s.grids, 0.0);
    for (std::size_t v = 0; v < n; ++v) s.grid_households[g[v]] += cm.households[v];
    for (double hh : s.grid_households) {
        s.deviations.push_back(std::abs(hh - target) / target);
        if (hh < band.min_households) {
            ++s.below_band;
        } else if (hh > band.max_households) {
            ++s.above_band;
        } else {
            ++s.in_band;
        }
    }
    // connected pieces per grid
    std::vector<std::uint32_t> pieces(s.grids, 0);
    std::vector<char> seen(n, 0);
    std::vector<std::size_t> stack;
    for (std::size_t v0 = 0; v0 < n; ++v0) {
        if (seen[v0]) continue;
        ++pieces[g[v0]];
        seen[v0] = 1;
        stack.push_back(v0);
        while (!stack.empty()) {
            const std::size_t v = stack.back();
            stack.pop_back();
            for (auto a = cm.xadj[v]; a < cm.xadj[v + 1]; ++a) {
                const auto u = static_cast<std::size_t>(cm.adjncy[static_cast<std::size_t>(a)]);
                if (!seen[u] && g[u] == g[v]) {
                    seen[u] = 1;
                    stack.push_back(u);
                }
            }
        }
    }
    for (auto p : pieces) s.disconnected += p > 1 ? 1 : 0;
    // blocks split
    std::vector<std::pair<std::int64_t, std::uint32_t>> block_grid(n);
    for (std::size_t v = 0; v < n; ++v) block_grid[v] = {cm.block[v], g[v]};
    std::sort(block_grid.begin(), block_grid.end());
    block_grid.erase(std::unique(block_grid.begin(), block_grid.end()), block_grid.end());
    for (std::size_t i = 1; i < block_grid.size(); ++i) {
        const bool first_extra = block_grid[i].first == block_grid[i - 1].first &&
                                 (i < 2 || block_grid[i - 2].first != block_grid[i].first);
        s.blocks_split += first_extra ? 1 : 0;
    }
    // weighted cut
    for (std::size_t v = 0; v < n; ++v) {
        for (auto a = cm.xadj[v]; a < cm.xadj[v + 1]; ++a) {
            const auto u = static_cast<std::size_t>(cm.adjncy[static_cast<std::size_t>(a)]);
            if (u > v && g[u] != g[v]) s.cut_cost += cm.adjcost[static_cast<std::size_t>(a)];
        }
    }
    // Polsby-Popper of the union of the grid's Voronoi cells
    std::vector<double> area(s.grids, 0.0), perimeter(s.grids, 0.0);
    for (std::size_t v = 0; v < n; ++v) {
        area[g[v]] += cells.area_m2[v];
        for (const auto& e : cells.edges[v]) {
            if (e.neighbour < 0 || g[static_cast<std::size_t>(e.neighbour)] != g[v]) {
                perimeter[g[v]] += e.length_m;
            }
        }
    }
    for (std::uint32_t i = 0; i < s.grids; ++i) {
        const double p = perimeter[i];
        s.polsby_popper.push_back(p > 0 ? 4.0 * std::numbers::pi * area[i] / (p * p) : 0.0);
    }
    return s;
}

Certificate certify_band(const std::vector<std::int32_t>& households, std::uint32_t k,
                         const BandSpec& band) {
    Certificate cert;
    if (k == 0) return cert;
    std::vector<std::int32_t> w = households;
    std::sort(w.begin(), w.end(), std::greater<>());
    // 1. constructive proof of feasibility: LPT, then local search
    std::vector<double> load(k, 0.0);
    std::vector<std::uint32_t> bin_of(w.size(), 0);
    for (std::size_t i = 0; i < w.size(); ++i) {
        const auto b = static_cast<std::uint32_t>(
            std::min_element(load.begin(), load.end()) - load.begin());
        load[b] += w[i];
        bin_of[i] = b;
    }
    if (improve_to_band(w, bin_of, load, band)) {
        cert.status = Certificate::Status::feasible;
        return cert;
    }
    // 2. lower bound on the out-of-band bins by the big-items-exact / rest-divisible relaxation
    const std::size_t nbig = std::min<std::size_t>(w.size(), 18);
    const std::vector<std::int32_t> big(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(nbig));
    double fluid = 0;
    for (std::size_t i = nbig; i < w.size(); ++i) fluid += w[i];
    std::uint32_t m = 0;
    for (; m < k; ++m) {
        const int r = relaxed_feasible(big, fluid, k, m, band);
        if (r != 0) break;  // feasible or undecided: m violations cannot be excluded
    }
    cert.min_out_of_band = m;
    cert.status = m > 0 ? Certificate::Status::infeasible : Certificate::Status::unknown;
    return cert;
}

std::optional<std::uint32_t> exact_min_out_of_band(const Community& cm, std::uint32_t k,
                                                   const BandSpec& band, std::size_t max_units) {
    const std::size_t n = cm.size();
    if (n > max_units || k == 0 || k > n) return std::nullopt;
    std::vector<std::uint32_t> label(n, 0);
    std::vector<double> load(k, 0.0);
    std::uint32_t best = k + 1;
    std::vector<std::size_t> stack;
    std::vector<char> seen(n, 0);
    auto all_connected = [&] {
        for (std::uint32_t p = 0; p < k; ++p) {
            std::fill(seen.begin(), seen.end(), 0);
            std::size_t start = n, size = 0, reached = 0;
            for (std::size_t v = 0; v < n; ++v) {
                if (label[v] == p) {
                    ++size;
                    if (start == n) start = v;
                }
            }
            stack.assign(1, start);
            seen[start] = 1;
            while (!stack.empty()) {
                const std::size_t v = stack.back();
                stack.pop_back();
                ++reached;
                for (auto a = cm.xadj[v]; a < cm.xadj[v + 1]; ++a) {
                    const auto u = static_cast<std::size_t>(cm.adjncy[static_cast<std::size_t>(a)]);
                    if (!seen[u] && label[u] == p) {
                        seen[u] = 1;
                        stack.push_back(u);
                    }
                }
            }
            if (reached != size) return false;
        }
        return true;
    };
    // restricted growth strings: unit i joins an existing grid or opens the next one
    std::function<void(std::size_t, std::uint32_t)> rec = [&](std::size_t i, std::uint32_t used) {
        if (best == 0) return;
        if (n - i < k - used) return;  // not enough units left to open the remaining grids
        if (i == n) {
            std::uint32_t out = 0;
            for (double x : load) {
                out += (x < band.min_households || x > band.max_households) ? 1 : 0;
            }
            if (out < best && all_connected()) best = out;
            return;
        }
        for (std::uint32_t p = 0; p < std::min(used + 1, k); ++p) {
            label[i] = p;
            load[p] += cm.households[i];
            rec(i + 1, std::max(used, p + 1));
            load[p] -= cm.households[i];
        }
    };
    rec(0, 0);
    return best;
}

Summary summarize(const std::string& method, const std::vector<CommunityScore>& scores,
                  const std::vector<Certificate>& certificates, double wall_s) {
    Summary s;
    s.method = method;
    s.wall_s = wall_s;
    double dev_sum = 0;
    double pp_sum = 0;
    for (std::size_t c = 0; c < scores.size(); ++c) {
        const auto& r = scores[c];
        s.grids += r.grids;
        s.k_requested += r.k_requested;
        s.in_band += r.in_band;
        s.below += r.below_band;
        s.above += r.above_band;
        s.disconnected += r.disconnected;
        s.blocks_split += r.blocks_split;
        s.cut_cost += r.cut_cost;
        for (double d : r.deviations) {
            dev_sum += d;
            if (d > s.max_deviation) {
                s.max_deviation = d;
                s.worst_community = r.community_id;
            }
        }
        for (double p : r.polsby_popper) pp_sum += p;
        const std::uint64_t out = r.below_band + r.above_band;
        s.out_of_band += out;
        s.out_of_band_certified += std::min<std::uint64_t>(out, certificates[c].min_out_of_band);
    }
    if (s.grids > 0) {
        s.mean_deviation = dev_sum / static_cast<double>(s.grids);
        s.mean_pp = pp_sum / static_cast<double>(s.grids);
    }
    return s;
}

}  // namespace gridplan::bench
