#pragma once
/// \file
/// The PROJ adapter: coordinate reference systems and transformations, always in traditional GIS
/// axis order (x = longitude / easting, y = latitude / northing), with PROJ network access off.
/// Objects are bound to the PROJ context of the thread that created them: use them on that thread.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace gridplan::geom {

/// A geographic bounding box in degrees (west, south, east, north).
struct GeoBox {
    double west = 0.0;
    double south = 0.0;
    double east = 0.0;
    double north = 0.0;

    [[nodiscard]] double centre_lon() const noexcept { return (west + east) / 2.0; }
    [[nodiscard]] double centre_lat() const noexcept { return (south + north) / 2.0; }
    [[nodiscard]] bool contains(const GeoBox& other, double margin_deg = 0.0) const noexcept {
        return other.west >= west - margin_deg && other.east <= east + margin_deg &&
               other.south >= south - margin_deg && other.north <= north + margin_deg;
    }
};

/// Which geodetic datum family a CRS is on, as far as gridplan cares.
enum class DatumFamily {
    wgs84,         ///< WGS 84 (any realisation / the ensemble)
    cgcs2000,      ///< China Geodetic Coordinate System 2000
    beijing1954,   ///< Beijing 1954 (and New Beijing): refused without TOWGS84
    xian1980,      ///< Xian 1980: refused without TOWGS84
    other,
};

[[nodiscard]] const char* to_string(DatumFamily family) noexcept;

struct PjDeleter {
    void operator()(void* pj) const noexcept;
};

/// A coordinate reference system (owned PROJ object).
class Crs {
public:
    /// The CRS with this EPSG code; throws Error{crs} when PROJ does not know it.
    [[nodiscard]] static Crs from_epsg(int code);
    /// A CRS from WKT read from a file (never from user-typed text: no URLs, no PROJ strings).
    [[nodiscard]] static Crs from_wkt(const std::string& wkt, const std::string& what);

    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    /// The EPSG code when PROJ identifies the CRS as one (exactly), else nullopt.
    [[nodiscard]] std::optional<int> epsg() const noexcept { return epsg_; }
    [[nodiscard]] bool is_geographic() const noexcept { return geographic_; }
    [[nodiscard]] bool is_projected() const noexcept { return projected_; }
    /// True for a bound CRS carrying an explicit transformation to WGS84 (TOWGS84).
    [[nodiscard]] bool has_towgs84() const noexcept { return towgs84_; }
    [[nodiscard]] const std::string& datum_name() const noexcept { return datum_name_; }
    [[nodiscard]] DatumFamily datum_family() const noexcept { return datum_family_; }
    /// The area of use (degrees) when PROJ knows it.
    [[nodiscard]] const std::optional<GeoBox>& area_of_use() const noexcept { return area_; }
    /// Size of the linear unit in metres (projected CRSs), else 0.
    [[nodiscard]] double linear_unit_m() const noexcept { return unit_m_; }
    /// WKT2:2019.
    [[nodiscard]] std::string wkt2() const;
    /// "EPSG:4547" when known, else the name.
    [[nodiscard]] std::string label() const;
    /// The geographic CRS this CRS is based on (for a geographic CRS: itself).
    [[nodiscard]] Crs geographic_base() const;

    [[nodiscard]] void* pj() const noexcept { return pj_.get(); }

private:
    explicit Crs(void* pj);
    std::shared_ptr<void> pj_;
    std::string name_;
    std::optional<int> epsg_;
    bool geographic_ = false;
    bool projected_ = false;
    bool towgs84_ = false;
    std::string datum_name_;
    DatumFamily datum_family_ = DatumFamily::other;
    std::optional<GeoBox> area_;
    double unit_m_ = 0.0;
};

/// A coordinate operation between two CRSs, in traditional GIS axis order.
/// Ballpark operations (an unknown-accuracy "no-op" between different datums) are refused,
/// except between WGS84 and CGCS2000 (sub-metre datum difference, acceptable for planning).
class Transformer {
public:
    /// Throws Error{crs} when no non-ballpark operation exists (e.g. Beijing 1954 → CGCS2000).
    Transformer(const Crs& source, const Crs& target);

    /// Transforms points in place. Returns false if any point failed (then its coordinates are
    /// set to infinity).
    bool transform(std::vector<core::Point>& points) const;
    [[nodiscard]] std::optional<core::Point> transform(core::Point p) const;
    /// PROJ's description of the operation chosen.
    [[nodiscard]] const std::string& description() const noexcept { return description_; }
    [[nodiscard]] bool is_ballpark() const noexcept { return ballpark_; }

private:
    std::shared_ptr<void> op_;
    std::string description_;
    bool ballpark_ = false;
};

/// Process-wide PROJ settings for this thread's context: network off. Called automatically.
void init_proj_context();

/// The metric working CRS gridplan picks for data centred at (lon, lat) degrees:
/// inside China (73.5–135.1E, 18–54N) the CGCS2000 3-degree Gauss-Krüger CM zone
/// EPSG = 4534 + (CM − 75)/3 with CM = 3·round(lon/3); elsewhere WGS84 UTM (326zz / 327zz).
[[nodiscard]] int auto_working_epsg(double lon_deg, double lat_deg) noexcept;
/// Explanation of auto_working_epsg's choice, e.g. "auto: CGCS2000 3-degree GK CM 114E for centre 114.30E 30.60N".
[[nodiscard]] std::string explain_working_epsg(double lon_deg, double lat_deg);
/// True when (lon, lat) is in the China box used for the working-CRS rule.
[[nodiscard]] bool in_china_box(double lon_deg, double lat_deg) noexcept;

/// Geographic bounding box of `points` given in `crs` (transformed via the CRS's geographic base
/// when projected). nullopt when no point transforms.
[[nodiscard]] std::optional<GeoBox> geographic_bounds(const Crs& crs,
                                                      const std::vector<core::Point>& points);

/// For a projected easting that carries a Gauss-Krüger zone prefix (25–45 million: 3-degree,
/// 13–23 million: 6-degree) the CGCS2000 zone-prefixed EPSG code, else nullopt.
[[nodiscard]] std::optional<int> zone_prefixed_epsg(double easting) noexcept;

}  // namespace gridplan::geom
