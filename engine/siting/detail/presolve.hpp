#pragma once
/// \file
/// Siting presolve (presolve.cpp): the instance reduced to demand groups x kept candidates.
/// Private to the siting module.

#include <cstdint>
#include <vector>

#include "siting/detail/reduced.hpp"
#include "siting/siting.hpp"

namespace gridplan::siting::detail {

using Lists = std::vector<std::vector<std::uint32_t>>;

/// Stations each demand unit needs in reach (2 for double coverage).
[[nodiscard]] std::uint32_t required_of(const Options& options);

/// Sorted, de-duplicated cover list of every candidate.
[[nodiscard]] Lists normalised_cover(const Instance& in);

/// The reduced model and the weights presolve set aside.
struct Prepared {
    Reduced model;
    PresolveStats stats;
    double total = 0, already = 0, uncoverable = 0, coverable = 0;
};

/// Forbids candidates too close to an existing station, merges demand units into groups and
/// builds the reduced model (`cover` from normalised_cover).
[[nodiscard]] Prepared presolve(const Instance& in, const Options& options, const Lists& cover);

}  // namespace gridplan::siting::detail
