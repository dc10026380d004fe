#pragma once
/// \file
/// GCJ-02 ("Mars coordinates": Amap, Tencent, Google China) and BD-09 (Baidu) pseudo-datums.
/// PROJ does not implement them (OSGeo/PROJ#982), so gridplan undoes them itself at read time.
/// The forward formulas are the public ones (Krasovsky ellipsoid constants); the inverses are
/// fixed-point iterations on the forward formula, accurate to < 1e-9 degree. Coordinates are
/// (longitude, latitude) in degrees. Outside the China box the forward shift is the identity.

#include "core/geometry.hpp"

namespace gridplan::geom {

/// True inside the box where the GCJ-02 shift applies (lon 72.004–137.8347, lat 0.8293–55.8271).
[[nodiscard]] bool in_gcj02_area(double lon_deg, double lat_deg) noexcept;

/// WGS84 → GCJ-02 (x = lon, y = lat, degrees).
[[nodiscard]] core::Point wgs84_to_gcj02(core::Point wgs) noexcept;
/// GCJ-02 → WGS84 by iterating the forward formula to < 1e-9 degree (well under 1 mm).
[[nodiscard]] core::Point gcj02_to_wgs84(core::Point gcj) noexcept;
/// GCJ-02 → BD-09.
[[nodiscard]] core::Point gcj02_to_bd09(core::Point gcj) noexcept;
/// BD-09 → GCJ-02 by iterating the forward formula to < 1e-9 degree.
[[nodiscard]] core::Point bd09_to_gcj02(core::Point bd) noexcept;
/// WGS84 → BD-09.
[[nodiscard]] core::Point wgs84_to_bd09(core::Point wgs) noexcept;
/// BD-09 → WGS84.
[[nodiscard]] core::Point bd09_to_wgs84(core::Point bd) noexcept;

}  // namespace gridplan::geom
