#pragma once
/// \file
/// Gaps (docs/coverage.md, "Gaps"): populated buildings outside the dissolved circle of a kind,
/// profile and threshold, in three steps that interleave with the circles (build_polygons):
/// clusters of uncovered buildings (per dissolved circle), their grown footprints (items of the
/// circle pool, largest first), then the difference with the dissolved circle once it exists.
/// Private to the coverage module.

#include <cstdint>
#include <span>
#include <vector>

#include "coverage/coverage.hpp"
#include "coverage/detail/polygons.hpp"

namespace gridplan::coverage::detail {

/// The gaps under way: one job per cluster of uncovered buildings of a dissolved circle.
struct GapWork {
    struct Job {
        std::size_t task = 0;     ///< index into the dissolved circles' tasks
        std::size_t cluster = 0;  ///< index into clusters[task]
    };
    /// [task][cluster]: the uncovered populated buildings of each cluster, ascending.
    std::vector<std::vector<std::vector<std::uint32_t>>> clusters;
    std::vector<Job> jobs;  ///< in task, cluster order
    /// Per job: the first job with the same buildings (itself when none comes before). A grown
    /// union depends only on the buildings, and the uncovered sets of nested thresholds (and of
    /// the kinds) share many clusters: only the first of each is grown.
    std::vector<std::size_t> same_as;
    /// The jobs to grow (those with same_as[j] == j), largest cluster first (stable).
    std::vector<std::size_t> by_size;
    std::vector<Gap> gaps;  ///< per job: filled by grow_gap (or share_grown_gaps), cut by cut_gaps
};

/// Step 1 (parallel over the dissolved circles): single-linkage clusters of the populated
/// buildings each dissolved circle leaves uncovered, and the jobs to grow them.
[[nodiscard]] GapWork cluster_gaps(const core::Scene& scene,
                                   const Result& result,
                                   std::span<const CircleTask> dissolved_tasks);

/// Step 2 (one item of the circle pool): the grown union of job `job`'s building footprints.
void grow_gap(const core::Scene& scene,
              const Result& result,
              std::span<const CircleTask> dissolved_tasks,
              GapWork& work,
              std::size_t job);

/// After step 2: the jobs not grown themselves take the area of the first job with the same
/// buildings, and their own kind, profile, threshold and totals.
void share_grown_gaps(const core::Scene& scene,
                      const Result& result,
                      std::span<const CircleTask> dissolved_tasks,
                      GapWork& work);

/// Step 3: each gap minus its dissolved circle (`dissolved[task]`) without its specks (parts
/// under GapOptions::min_part_area_m2 holding no access point of the gap's buildings), then per
/// dissolved circle most residents first; returns them in dissolved-circle order.
[[nodiscard]] std::vector<Gap> cut_gaps(const Result& result,
                                        std::span<const ServiceCircle> dissolved,
                                        GapWork& work);

}  // namespace gridplan::coverage::detail
