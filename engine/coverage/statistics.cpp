/// \file
/// Coverage statistics (docs/coverage.md, "Statistics"), steps 6 to 8 of compute_coverage: street
/// metres reached per edge (network and euclidean), per-facility totals and the per-area table.

#include "coverage/detail/statistics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "core/parallel.hpp"
#include "coverage/search.hpp"
#include "geom/area_locator.hpp"

namespace gridplan::coverage::detail {
namespace {

namespace bg = boost::geometry;
using core::Point;
using graph::kNone;

using geom::AreaLocator;

/// Measure of the parts of [0, L] covered by >= 1 and >= 2 of the given per-source interval sets.
std::pair<double, double> overlap_measure(std::vector<std::pair<double, int>>& events) {
    std::sort(events.begin(), events.end());
    double once = 0.0;
    double twice = 0.0;
    int depth = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        depth += events[i].second;
        if (i + 1 < events.size()) {
            const double len = events[i + 1].first - events[i].first;
            if (depth >= 1) {
                once += len;
            }
            if (depth >= 2) {
                twice += len;
            }
        }
    }
    return {once, twice};
}

/// Interval of segment ab (param in metres from a) within `radius` of c.
std::optional<std::pair<double, double>> segment_in_circle(const Point& a,
                                                           const Point& b,
                                                           const Point& c,
                                                           double radius) {
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    const double len = std::hypot(dx, dy);
    if (len <= 0.0) {
        return std::nullopt;
    }
    const double ux = dx / len;
    const double uy = dy / len;
    const double fx = a.x() - c.x();
    const double fy = a.y() - c.y();
    const double bq = fx * ux + fy * uy;
    const double cq = fx * fx + fy * fy - radius * radius;
    const double disc = bq * bq - cq;
    if (disc < 0.0) {
        return std::nullopt;
    }
    const double s = std::sqrt(disc);
    const double t0 = std::max(0.0, -bq - s);
    const double t1 = std::min(len, -bq + s);
    if (t1 <= t0) {
        return std::nullopt;
    }
    return std::pair{t0, t1};
}

/// Network street metres of kind k: per edge touched by the kind's facilities' searches, the
/// union (once) and the overlap (twice) of their reached intervals, per slot.
void network_street_metres(const graph::WalkGraph& graph,
                           const Result& result,
                           std::size_t k,
                           std::span<const Reach> reach,
                           std::span<const double> budgets,
                           StreetMetres& out) {
    const std::size_t n_slots = budgets.size();
    const std::size_t n_e = graph.edge_count();
    const auto& kc = result.kinds[k];
    out.once[k].assign(n_e * n_slots, 0.0);
    out.twice[k].assign(n_e * n_slots, 0.0);
    // Gather per-facility touched edges, grouped by edge.
    struct Touch {
        std::uint32_t edge;
        std::uint32_t facility;
        double du;
        double dv;
    };
    std::vector<Touch> touches;
    for (const auto f : kc.facilities) {
        for (const auto& er : reach[f].edges) {
            touches.push_back({er.edge, f, er.du, er.dv});
        }
    }
    std::sort(touches.begin(), touches.end(), [](const Touch& a, const Touch& b) {
        return a.edge != b.edge ? a.edge < b.edge : a.facility < b.facility;
    });
    std::vector<std::size_t> group_start;
    for (std::size_t i = 0; i < touches.size(); ++i) {
        if (i == 0 || touches[i].edge != touches[i - 1].edge) {
            group_start.push_back(i);
        }
    }
    group_start.push_back(touches.size());
    core::parallel_chunks(group_start.size() - 1,
                          result.options.threads,
                          512,
                          [&](std::size_t begin, std::size_t end, unsigned) {
                              std::vector<std::pair<double, double>> iv;
                              std::vector<std::pair<double, int>> events;
                              for (std::size_t gi = begin; gi < end; ++gi) {
                                  const std::uint32_t e = touches[group_start[gi]].edge;
                                  const double length = graph.edge_length_m[e];
                                  for (std::size_t s = 0; s < n_slots; ++s) {
                                      events.clear();
                                      for (std::size_t i = group_start[gi]; i < group_start[gi + 1];
                                           ++i) {
                                          const auto& t = touches[i];
                                          iv.clear();
                                          reach_intervals(length,
                                                          t.du,
                                                          t.dv,
                                                          seeds_on_edge(reach[t.facility].seeds, e),
                                                          budgets[s],
                                                          iv);
                                          merge_intervals(iv);
                                          for (const auto& [a, b] : iv) {
                                              if (b > a) {
                                                  events.emplace_back(a, 1);
                                                  events.emplace_back(b, -1);
                                              }
                                          }
                                      }
                                      const auto [once, twice] = overlap_measure(events);
                                      out.once[k][e * n_slots + s] = once;
                                      out.twice[k][e * n_slots + s] = twice;
                                  }
                              }
                          });
}

/// A piece [a, b] (metres from the edge's start) of an edge.
struct EdgeInterval {
    std::uint32_t edge;
    double a;
    double b;
};

/// Euclidean street metres of kind k: parts of edges within the radius of each facility, per
/// facility in parallel (merged intervals per edge, in edge order), then gathered per edge in
/// facility order. overlap_measure sorts its events, so the sums do not depend on that order.
void euclidean_street_metres(const graph::WalkGraph& graph,
                             const graph::EdgeIndex& index,
                             const Result& result,
                             std::size_t k,
                             std::span<const Point> facility_points,
                             StreetMetres& out) {
    const std::size_t n_e = graph.edge_count();
    const double radius = result.options.euclid_radius_m;
    const int threads = result.options.threads;
    const auto& kc = result.kinds[k];
    out.euclid_once[k].assign(n_e, 0.0);
    out.euclid_twice[k].assign(n_e, 0.0);
    std::vector<std::vector<EdgeInterval>> fac_iv(kc.facilities.size());
    core::parallel_items(kc.facilities.size(), threads, [&](std::size_t i, unsigned) {
        const Point& c = facility_points[kc.facilities[i]];
        const core::Box box{{c.x() - radius, c.y() - radius}, {c.x() + radius, c.y() + radius}};
        std::vector<std::pair<double, double>> iv;
        for (const auto e : index.edges_in(box)) {
            const auto& line = graph.edge_geometry[e];
            iv.clear();
            double acc = 0.0;
            for (std::size_t j = 0; j + 1 < line.size(); ++j) {
                const double len = bg::distance(line[j], line[j + 1]);
                if (const auto in = segment_in_circle(line[j], line[j + 1], c, radius)) {
                    iv.emplace_back(acc + in->first, acc + in->second);
                }
                acc += len;
            }
            merge_intervals(iv);
            for (const auto& [a, b] : iv) {
                fac_iv[i].push_back({e, a, b});
            }
        }
    });
    std::vector<std::uint32_t> iv_first(n_e + 1, 0);
    for (const auto& list : fac_iv) {
        for (const auto& x : list) {
            ++iv_first[x.edge + 1];
        }
    }
    for (std::size_t e = 0; e < n_e; ++e) {
        iv_first[e + 1] += iv_first[e];
    }
    std::vector<std::pair<double, double>> iv_all(iv_first[n_e]);
    {
        std::vector<std::uint32_t> fill(iv_first.begin(), iv_first.end() - 1);
        for (const auto& list : fac_iv) {
            for (const auto& x : list) {
                iv_all[fill[x.edge]++] = {x.a, x.b};
            }
        }
    }
    core::parallel_chunks(n_e, threads, 4096, [&](std::size_t begin, std::size_t end, unsigned) {
        std::vector<std::pair<double, int>> events;
        for (std::size_t e = begin; e < end; ++e) {
            if (iv_first[e] == iv_first[e + 1]) {
                continue;
            }
            events.clear();
            for (std::uint32_t i = iv_first[e]; i < iv_first[e + 1]; ++i) {
                events.emplace_back(iv_all[i].first, 1);
                events.emplace_back(iv_all[i].second, -1);
            }
            const auto [once, twice] = overlap_measure(events);
            out.euclid_once[k][e] = once;
            out.euclid_twice[k][e] = twice;
        }
    });
}

/// Up to four rows of the area table a building or edge counts in: total, street, community,
/// grid (kNone where it has none).
using AreaRowSet = std::array<std::size_t, 4>;

/// The rows of the area table: 0 = total, then the streets, communities and grids.
struct AreaRows {
    std::size_t street = 1;  ///< first street row
    std::size_t community = 0;
    std::size_t grid = 0;
    std::size_t count = 0;

    AreaRows(std::size_t n_streets, std::size_t n_communities, std::size_t n_grids)
        : community(street + n_streets), grid(community + n_communities), count(grid + n_grids) {}

    [[nodiscard]] std::pair<AreaLevel, core::Index> level(std::size_t row) const {
        if (row == 0) {
            return {AreaLevel::total, 0};
        }
        if (row < community) {
            return {AreaLevel::street, static_cast<core::Index>(row - street)};
        }
        if (row < grid) {
            return {AreaLevel::community, static_cast<core::Index>(row - community)};
        }
        return {AreaLevel::grid, static_cast<core::Index>(row - grid)};
    }
};

/// The areas located by polygon: streets, communities, grids.
struct AreaLocators {
    AreaLocator street;
    AreaLocator community;
    AreaLocator grid;
};

/// A building's rows: its community (and that community's street), else the street around its
/// anchor; its grid from grid_of_building.
AreaRowSet building_rows(const core::Scene& scene,
                         std::size_t b,
                         std::span<const std::optional<core::Index>> grid_of_building,
                         const AreaRows& rows,
                         const AreaLocators& locate) {
    AreaRowSet out{0, kNone, kNone, kNone};
    const auto& bl = scene.buildings[b];
    std::optional<core::Index> street;
    if (bl.community && *bl.community < scene.communities.size()) {
        out[2] = rows.community + *bl.community;
        street = scene.communities[*bl.community].street;
    }
    if (!street) {
        street = locate.street.locate(bl.anchor);
    }
    if (street && *street < scene.streets.size()) {
        out[1] = rows.street + *street;
    }
    if (b < grid_of_building.size() && grid_of_building[b]) {
        out[3] = rows.grid + *grid_of_building[b];
    }
    return out;
}

/// Every edge's rows, located at its midpoint.
std::vector<AreaRowSet> edge_rows(const core::Scene& scene,
                                  const graph::WalkGraph& graph,
                                  const AreaRows& rows,
                                  const AreaLocators& locate,
                                  int threads) {
    const std::size_t n_e = graph.edge_count();
    std::vector<AreaRowSet> out(n_e);
    core::parallel_chunks(n_e, threads, 4096, [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t e = begin; e < end; ++e) {
            AreaRowSet set{0, kNone, kNone, kNone};
            if (locate.community.empty() && locate.street.empty() && locate.grid.empty()) {
                out[e] = set;
                continue;
            }
            const Point mid = graph::point_along(
                graph, static_cast<std::uint32_t>(e), graph.edge_length_m[e] / 2);
            const auto c = locate.community.locate(mid);
            std::optional<core::Index> street;
            if (c) {
                set[2] = rows.community + *c;
                street = scene.communities[*c].street;
            }
            if (!street) {
                street = locate.street.locate(mid);
            }
            if (street) {
                set[1] = rows.street + *street;
            }
            if (const auto g = locate.grid.locate(mid)) {
                set[3] = rows.grid + *g;
            }
            out[e] = set;
        }
    });
    return out;
}

/// The labelled, zeroed table: [row][kind][slot, then euclidean].
std::vector<AreaStats> empty_area_table(const Result& result,
                                        const AreaRows& rows,
                                        std::span<const double> budgets) {
    const auto& options = result.options;
    const std::size_t n_k = result.kinds.size();
    const std::size_t n_slots = budgets.size();
    const std::size_t n_t = options.thresholds_min.size();
    const std::size_t per_row = n_k * (n_slots + 1);
    std::vector<AreaStats> table(rows.count * per_row);
    for (std::size_t row = 0; row < rows.count; ++row) {
        const auto [level, area] = rows.level(row);
        for (std::size_t k = 0; k < n_k; ++k) {
            for (std::size_t s = 0; s <= n_slots; ++s) {
                auto& st = table[row * per_row + k * (n_slots + 1) + s];
                st.level = level;
                st.area = area;
                st.kind = result.kinds[k].kind;
                if (s < n_slots) {
                    st.method = Method::network;
                    st.profile = s / n_t;
                    st.threshold_min = options.thresholds_min[s % n_t];
                    st.radius_m = budgets[s];
                } else {
                    st.method = Method::euclidean;
                    st.radius_m = options.euclid_radius_m;
                }
            }
        }
    }
    return table;
}

/// Adds every building (in building order) to the rows it counts in.
void add_buildings(const core::Scene& scene,
                   const Result& result,
                   std::span<const AreaRowSet> b_rows,
                   std::span<const double> budgets,
                   std::vector<AreaStats>& table) {
    const std::size_t n_k = result.kinds.size();
    const std::size_t n_slots = budgets.size();
    const std::size_t per_row = n_k * (n_slots + 1);
    const double radius = result.options.euclid_radius_m;
    for (std::size_t b = 0; b < scene.buildings.size(); ++b) {
        const auto& bl = scene.buildings[b];
        for (const auto row : b_rows[b]) {
            if (row == kNone) {
                continue;
            }
            for (std::size_t k = 0; k < n_k; ++k) {
                const auto& kc = result.kinds[k];
                for (std::size_t s = 0; s <= n_slots; ++s) {
                    auto& st = table[row * per_row + k * (n_slots + 1) + s];
                    const std::uint16_t count =
                        s < n_slots ? kc.count[b * n_slots + s] : kc.euclid_count[b];
                    const bool covered = s < n_slots ? kc.distance_m[b] <= budgets[s]
                                                     : kc.euclid_distance_m[b] <= radius;
                    st.all.buildings += 1.0;
                    st.all.households += bl.households;
                    st.all.residents += bl.population;
                    if (covered) {
                        st.covered.buildings += 1.0;
                        st.covered.households += bl.households;
                        st.covered.residents += bl.population;
                    }
                    if (count >= 2) {
                        st.doubled.buildings += 1.0;
                        st.doubled.households += bl.households;
                        st.doubled.residents += bl.population;
                    }
                }
            }
        }
    }
}

/// Adds every edge's street metres (in edge order) to the rows it counts in.
void add_streets(const graph::WalkGraph& graph,
                 const Result& result,
                 std::span<const AreaRowSet> e_rows,
                 std::size_t n_slots,
                 const StreetMetres& metres,
                 std::vector<AreaStats>& table) {
    const std::size_t n_k = result.kinds.size();
    const std::size_t per_row = n_k * (n_slots + 1);
    for (std::size_t e = 0; e < graph.edge_count(); ++e) {
        const double length = graph.edge_length_m[e];
        for (const auto row : e_rows[e]) {
            if (row == kNone) {
                continue;
            }
            for (std::size_t k = 0; k < n_k; ++k) {
                for (std::size_t s = 0; s <= n_slots; ++s) {
                    auto& st = table[row * per_row + k * (n_slots + 1) + s];
                    st.all.street_m += length;
                    if (s < n_slots) {
                        st.covered.street_m += metres.once[k][e * n_slots + s];
                        st.doubled.street_m += metres.twice[k][e * n_slots + s];
                    } else {
                        st.covered.street_m += metres.euclid_once[k][e];
                        st.doubled.street_m += metres.euclid_twice[k][e];
                    }
                }
            }
        }
    }
}

}  // namespace

StreetMetres street_metres(const graph::WalkGraph& graph,
                           const graph::EdgeIndex& index,
                           const Result& result,
                           std::span<const Reach> reach,
                           std::span<const double> budgets,
                           std::span<const core::Point> facility_points) {
    const std::size_t n_k = result.kinds.size();
    StreetMetres out;
    out.once.resize(n_k);
    out.twice.resize(n_k);
    out.euclid_once.resize(n_k);
    out.euclid_twice.resize(n_k);
    for (std::size_t k = 0; k < n_k; ++k) {
        network_street_metres(graph, result, k, reach, budgets, out);
        euclidean_street_metres(graph, index, result, k, facility_points, out);
    }
    return out;
}

void add_facility_totals(const core::Scene& scene,
                         const graph::WalkGraph& graph,
                         std::span<const Reach> reach,
                         std::span<const double> budgets,
                         Result& result) {
    const std::size_t n_slots = budgets.size();
    for (core::Index f = 0; f < scene.facilities.size(); ++f) {
        FacilityCoverage fc;
        fc.facility = f;
        fc.kind = scene.facilities[f].kind;
        fc.snapped = result.facility_snaps.snapped(f);
        fc.access_m = fc.snapped ? result.facility_snaps.of(f).front().access_m : 0.0;
        fc.within.assign(n_slots, Totals{});
        for (const auto& [b, d] : reach[f].buildings) {
            for (std::size_t s = 0; s < n_slots; ++s) {
                if (d <= budgets[s]) {
                    fc.within[s].buildings += 1.0;
                    fc.within[s].households += scene.buildings[b].households;
                    fc.within[s].residents += scene.buildings[b].population;
                }
            }
        }
        std::vector<std::pair<double, double>> iv;
        for (const auto& er : reach[f].edges) {
            for (std::size_t s = 0; s < n_slots; ++s) {
                iv.clear();
                reach_intervals(graph.edge_length_m[er.edge],
                                er.du,
                                er.dv,
                                seeds_on_edge(reach[f].seeds, er.edge),
                                budgets[s],
                                iv);
                fc.within[s].street_m += merge_intervals(iv);
            }
        }
        result.facilities.push_back(std::move(fc));
    }
}

void add_area_table(const core::Scene& scene,
                    const graph::WalkGraph& graph,
                    std::span<const std::optional<core::Index>> grid_of_building,
                    std::span<const core::MultiPolygon> grid_areas,
                    std::span<const double> budgets,
                    const StreetMetres& metres,
                    Result& result) {
    std::size_t n_g = grid_areas.size();
    for (const auto& g : grid_of_building) {
        if (g) {
            n_g = std::max<std::size_t>(n_g, *g + 1);
        }
    }
    const AreaRows rows(scene.streets.size(), scene.communities.size(), n_g);
    std::vector<core::MultiPolygon> street_areas;
    std::vector<core::MultiPolygon> comm_areas;
    for (const auto& s : scene.streets) {
        street_areas.push_back(s.area);
    }
    for (const auto& c : scene.communities) {
        comm_areas.push_back(c.area);
    }
    const AreaLocators locate{
        AreaLocator(street_areas), AreaLocator(comm_areas), AreaLocator(grid_areas)};
    const auto e_rows = edge_rows(scene, graph, rows, locate, result.options.threads);
    std::vector<AreaRowSet> b_rows(scene.buildings.size());
    for (std::size_t b = 0; b < scene.buildings.size(); ++b) {
        b_rows[b] = building_rows(scene, b, grid_of_building, rows, locate);
    }
    std::vector<AreaStats> table = empty_area_table(result, rows, budgets);
    add_buildings(scene, result, b_rows, budgets, table);
    add_streets(graph, result, e_rows, budgets.size(), metres, table);
    result.areas = std::move(table);
}

}  // namespace gridplan::coverage::detail
