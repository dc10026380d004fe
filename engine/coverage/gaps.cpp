/// \file
/// Gap polygons (docs/coverage.md, "Gaps"): clusters of uncovered populated buildings, their
/// grown footprints, and the difference with the dissolved circle.

#include "coverage/detail/gaps.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include <boost/geometry/index/rtree.hpp>

#include "core/disjoint_sets.hpp"
#include "core/parallel.hpp"
#include "coverage/detail/fixups.hpp"
#include "geom/area_union.hpp"
#include "geom/prepared.hpp"

namespace gridplan::coverage::detail {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

/// Single-linkage clusters within `link` of the buildings `open` (grid of link-sized cells),
/// each ascending, ordered by their lowest member.
std::vector<std::vector<std::uint32_t>> link_clusters(const Result& result,
                                                      const std::vector<std::uint32_t>& open,
                                                      double link) {
    std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::uint32_t>> cells;
    for (std::uint32_t j = 0; j < open.size(); ++j) {
        const auto& p = result.access_points[open[j]];
        cells[{static_cast<std::int64_t>(std::floor(p.x() / link)),
               static_cast<std::int64_t>(std::floor(p.y() / link))}]
            .push_back(j);
    }
    core::DisjointSets sets(open.size());
    for (const auto& [cell, members] : cells) {
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                const auto it = cells.find({cell.first + dx, cell.second + dy});
                if (it == cells.end()) {
                    continue;
                }
                for (const auto a : members) {
                    for (const auto b : it->second) {
                        if (a < b && bg::distance(result.access_points[open[a]],
                                                  result.access_points[open[b]]) <= link) {
                            sets.join_under_smaller(a, b);
                        }
                    }
                }
            }
        }
    }
    std::map<std::uint32_t, std::vector<std::uint32_t>> by_root;
    for (std::uint32_t j = 0; j < open.size(); ++j) {
        by_root[sets.find(j)].push_back(open[j]);
    }
    std::vector<std::vector<std::uint32_t>> clusters;
    for (auto& [root, members] : by_root) {
        clusters.push_back(std::move(members));
    }
    return clusters;
}

/// Leaves out the parts of `gap` smaller than `min_area_m2` that hold the access point of none of
/// its buildings (slivers of the grown footprints along the circle's edge). A city-wide gap has
/// thousands of parts and buildings: each small part tests only the access points in its
/// envelope (an R-tree built on the first small part).
void drop_gap_specks(const Result& result, double min_area_m2, Gap& gap) {
    using Tree = bgi::rtree<core::Point, bgi::quadratic<16>>;
    std::optional<Tree> tree;
    std::vector<core::Point> near;
    const auto speck = [&](const core::Polygon& part) {
        if (!(bg::area(part) < min_area_m2)) {
            return false;
        }
        if (!tree) {
            std::vector<core::Point> points;
            points.reserve(gap.buildings.size());
            for (const auto b : gap.buildings) {
                points.push_back(result.access_points[b]);
            }
            tree.emplace(points.begin(), points.end());
        }
        near.clear();
        tree->query(bgi::intersects(bg::return_envelope<core::Box>(part)),
                    std::back_inserter(near));
        return is_speck(part, min_area_m2, near, {});
    };
    gap.area.erase(std::remove_if(gap.area.begin(), gap.area.end(), speck), gap.area.end());
}

/// Job `job`'s kind, profile, threshold, buildings and totals (everything but the area).
void label_gap(const core::Scene& scene,
               const Result& result,
               std::span<const CircleTask> dissolved_tasks,
               GapWork& work,
               std::size_t job) {
    const auto& task = dissolved_tasks[work.jobs[job].task];
    auto& gap = work.gaps[job];
    gap.kind = result.kinds[task.kind].kind;
    gap.profile = task.profile;
    gap.threshold_min = result.options.thresholds_min[task.threshold];
    gap.buildings = work.clusters[work.jobs[job].task][work.jobs[job].cluster];
    for (const auto b : gap.buildings) {
        gap.households += scene.buildings[b].households;
        gap.residents += scene.buildings[b].population;
    }
}

/// Lexicographic order of building lists (clusters as map keys).
struct SpanLess {
    bool operator()(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) const {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    }
};

}  // namespace

GapWork cluster_gaps(const core::Scene& scene,
                     const Result& result,
                     std::span<const CircleTask> dissolved_tasks) {
    const auto& options = result.options;
    GapWork work;
    work.clusters.resize(dissolved_tasks.size());
    core::parallel_items(dissolved_tasks.size(), options.threads, [&](std::size_t i, unsigned) {
        const auto& task = dissolved_tasks[i];
        const auto& kc = result.kinds[task.kind];
        const double budget = budget_m(options.thresholds_min[task.threshold],
                                       options.profiles[task.profile].speed_kmh);
        std::vector<std::uint32_t> open;
        for (std::uint32_t b = 0; b < scene.buildings.size(); ++b) {
            const auto& bl = scene.buildings[b];
            if (!(kc.distance_m[b] <= budget) && (bl.population > 0 || bl.households > 0)) {
                open.push_back(b);
            }
        }
        work.clusters[i] = link_clusters(result, open, std::max(1e-3, options.gaps.link_m));
    });
    std::map<std::span<const std::uint32_t>, std::size_t, SpanLess> first_with;
    for (std::size_t i = 0; i < dissolved_tasks.size(); ++i) {
        for (std::size_t c = 0; c < work.clusters[i].size(); ++c) {
            const auto [it, inserted] =
                first_with.try_emplace(work.clusters[i][c], work.jobs.size());
            if (inserted) {
                work.by_size.push_back(work.jobs.size());
            }
            work.same_as.push_back(it->second);
            work.jobs.push_back({i, c});
        }
    }
    // Largest clusters first (better balance); results stay in job order.
    std::stable_sort(work.by_size.begin(), work.by_size.end(), [&](std::size_t x, std::size_t y) {
        return work.clusters[work.jobs[x].task][work.jobs[x].cluster].size() >
               work.clusters[work.jobs[y].task][work.jobs[y].cluster].size();
    });
    work.gaps.resize(work.jobs.size());
    return work;
}

void share_grown_gaps(const core::Scene& scene,
                      const Result& result,
                      std::span<const CircleTask> dissolved_tasks,
                      GapWork& work) {
    for (std::size_t j = 0; j < work.jobs.size(); ++j) {
        if (work.same_as[j] != j) {
            label_gap(scene, result, dissolved_tasks, work, j);
            work.gaps[j].area = work.gaps[work.same_as[j]].area;
        }
    }
}

void grow_gap(const core::Scene& scene,
              const Result& result,
              std::span<const CircleTask> dissolved_tasks,
              GapWork& work,
              std::size_t job) {
    const auto& options = result.options;
    label_gap(scene, result, dissolved_tasks, work, job);
    auto& gap = work.gaps[job];
    std::vector<core::MultiPolygon> shapes;
    for (const auto b : gap.buildings) {
        const auto& bl = scene.buildings[b];
        core::MultiPolygon shape = bl.footprint;
        if (shape.empty()) {
            core::Polygon dot;
            const auto& p = result.access_points[b];
            dot.outer() = {{p.x() - 0.5, p.y() - 0.5},
                           {p.x() - 0.5, p.y() + 0.5},
                           {p.x() + 0.5, p.y() + 0.5},
                           {p.x() + 0.5, p.y() - 0.5},
                           {p.x() - 0.5, p.y() - 0.5}};
            shape.push_back(dot);
        }
        shapes.push_back(std::move(shape));
    }
    gap.area = geom::grown_union(
        shapes, options.gaps.simplify_m, options.gaps.buffer_m, options.polygons.quadrant_segments);
}

// The dissolved circle is cut into tiles once, so a cluster's difference only sees the tiles
// near it.
std::vector<Gap> cut_gaps(const Result& result,
                          std::span<const ServiceCircle> dissolved,
                          GapWork& work) {
    const int threads = result.options.threads;
    std::vector<std::unique_ptr<geom::TiledSubtractor>> subtractors(dissolved.size());
    core::parallel_items(dissolved.size(), threads, [&](std::size_t i, unsigned) {
        subtractors[i] = std::make_unique<geom::TiledSubtractor>(dissolved[i].area);
    });
    // Largest clusters first (better balance); results stay in job order.
    std::vector<std::size_t> by_size(work.jobs.size());
    std::iota(by_size.begin(), by_size.end(), std::size_t{0});
    std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t x, std::size_t y) {
        return work.gaps[x].buildings.size() > work.gaps[y].buildings.size();
    });
    core::parallel_items(work.jobs.size(), threads, [&](std::size_t item, unsigned) {
        const auto j = by_size[item];
        work.gaps[j].area = subtractors[work.jobs[j].task]->apply(work.gaps[j].area);
        drop_gap_specks(result, result.options.gaps.min_part_area_m2, work.gaps[j]);
    });
    std::vector<std::vector<Gap>> gaps(dissolved.size());
    for (std::size_t j = 0; j < work.jobs.size(); ++j) {
        gaps[work.jobs[j].task].push_back(std::move(work.gaps[j]));
    }
    std::vector<Gap> out;
    for (auto& list : gaps) {
        std::stable_sort(list.begin(), list.end(), [](const Gap& x, const Gap& y) {
            if (x.residents != y.residents) {
                return x.residents > y.residents;
            }
            if (x.households != y.households) {
                return x.households > y.households;
            }
            return x.buildings.front() < y.buildings.front();
        });
        for (auto& gap : list) {
            out.push_back(std::move(gap));
        }
    }
    return out;
}

}  // namespace gridplan::coverage::detail
