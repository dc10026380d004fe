#pragma once
/// \file
/// Why a best-p answer has fewer than p sites (shortfall.cpp). Private to the siting module.

#include "siting/detail/reduced.hpp"
#include "siting/siting.hpp"

namespace gridplan::siting::detail {

/// Sets result.asked, result.shortfall and result.spacing_blocked from the proposed sites
/// (result.sites, Instance candidate indices) on the presolved model `r`.
void explain_shortfall(const Reduced& r,
                       const Instance& instance,
                       const Options& options,
                       Result& result);

}  // namespace gridplan::siting::detail
