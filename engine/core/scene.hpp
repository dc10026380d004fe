#pragma once
/// \file
/// The one validated, metric Scene every stage reads: streets (街道), communities (社区),
/// buildings, walkable roads, barriers and facilities, all in the working CRS (metres).
/// Vectors are sorted by source id, so indices are stable for the same input.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geometry.hpp"
#include "core/ledger.hpp"

namespace gridplan::core {

/// Dense index into one of the Scene's vectors.
using Index = std::uint32_t;

/// The metric working CRS every layer was reprojected to.
struct WorkingCrs {
    int epsg = 0;           ///< EPSG code, e.g. 4547 (CGCS2000 / 3-degree GK CM 114E)
    std::string name;       ///< PROJ's name for it
    std::string wkt;        ///< WKT2:2019, for writers and QGIS projects
    std::string how;        ///< how it was chosen: "auto: CGCS2000 3-degree GK by centre 114.3E"…
};

/// A subdistrict (街道) polygon.
struct Street {
    std::string id;
    std::string name;
    std::string code;  ///< 9-digit statistical code, or a derived '9…' code (see assign_codes)
    MultiPolygon area;
    bool code_derived = false;  ///< true: the input had no 9-digit code; `code` was derived
};

/// A community (社区 / 村) polygon.
struct Community {
    std::string id;
    std::string name;
    std::string code;  ///< 12-digit statistical code, or a derived '9…' code (see assign_codes)
    MultiPolygon area;
    std::optional<Index> street;  ///< the street holding it (largest overlap), if any
    /// true: provisional, derived by gridplan (partition.communities_from), not read from the input
    bool derived = false;
    bool code_derived = false;    ///< true: the input had no 12-digit code; `code` was derived
};

/// A building footprint with its households and residents.
struct Building {
    std::string id;
    std::string name;
    std::string type;            ///< raw type value ("residential", "school", "学校"…)
    std::string address;         ///< postal address from the input (OSM addr:* composed), or empty
    MultiPolygon footprint;
    Point anchor{0.0, 0.0};      ///< a point on the footprint (GEOS PointOnSurface)
    std::optional<Point> entrance;  ///< entrance point when the source gives one
    double area_m2 = 0.0;
    std::optional<double> floors;   ///< storeys, when known
    double households = 0.0;
    double population = 0.0;
    bool households_estimated = false;  ///< true: households derived from floor area
    bool population_estimated = false;  ///< true: population derived from households
    bool dedicated = false;      ///< institution (school, hospital…) that forms its own grid (专属网格)
    std::optional<Index> community;  ///< the community holding it (largest overlap)
    /// the institution site (Scene::land_areas) holding it, if any (then it is dedicated)
    std::optional<Index> site;
    std::string grid_code;       ///< today's grid code, when the input carries one (redraw)
    bool locked = false;         ///< planner lock: keep today's grid
};

/// A grid (网格) polygon of today's plan (input role `grids`, read for `gridplan redraw`).
struct ExistingGrid {
    std::string id;
    std::string name;
    std::string code;  ///< the grid's code (usually 15 digits: community code + sequence)
    MultiPolygon area;
};

/// A road centre line (one walkable piece, or a barrier-only road).
struct Road {
    std::string id;
    std::string name;
    std::string road_class;  ///< OSM highway value or the source's class ("primary", "主干路"…)
    LineString line;
    int layer = 0;           ///< grade level; lines on different layers do not meet
    bool bridge = false;
    bool tunnel = false;
    bool walkable = true;    ///< false: kept for blocks/barriers but not for walking
};

/// A line that grids must not cross unless a crossing exists (river, railway, wall).
struct Barrier {
    std::string id;
    std::string kind;  ///< "river", "railway", "wall"…
    LineString line;
};

/// Canonical facility kinds; anything else keeps kind == other with its raw type.
enum class FacilityKind { service_centre, warm_station, other };

[[nodiscard]] const char* to_string(FacilityKind kind) noexcept;

/// A service facility: 党群服务中心 (service_centre) or 暖心驿站 (warm_station).
struct Facility {
    std::string id;
    std::string name;
    FacilityKind kind = FacilityKind::other;
    std::string type;  ///< raw type value from the source
    std::string address;  ///< postal address from the input (OSM addr:* composed), or empty
    Point location{0.0, 0.0};
    std::optional<double> capacity;
};

/// A host site where a new station could go (io role `candidates`): a ground-floor shop, bank
/// branch, petrol station, community centre… Snapped to the walking network like a facility.
struct CandidateSite {
    std::string id;
    std::string name;
    std::string type;                ///< raw type value from the source ("bank", "fuel", "商铺"…)
    std::string address;  ///< postal address from the input (OSM addr:* composed), or empty
    Point location{0.0, 0.0};
    std::optional<double> capacity;  ///< most weight (residents…) one station there may serve
    std::optional<double> cost;      ///< cost of using the site (reported only)
};

/// A landuse or institution area (io role `landuse`): residential landuse (OSM
/// landuse=residential, 居住用地…) from which provisional communities can be derived, or an
/// institution's site (OSM amenity=school|hospital|…) whose dedicated buildings form one grid.
struct LandArea {
    std::string id;
    std::string name;
    std::string type;  ///< raw type value ("residential", "school", "学校"…)
    MultiPolygon area;
};

/// A point to locate (`gridplan locate`: a reported event, an address): which street,
/// community, grid and building it falls in and how far the nearest stations are.
struct EventPoint {
    std::string id;
    std::string name;
    Point location{0.0, 0.0};
};

/// An area where no new station may go (io role `exclusions`: water, private compounds…).
struct ExclusionZone {
    std::string id;
    std::string name;
    MultiPolygon area;
};

/// What one input layer produced: shown by `gridplan inspect` and checked by tests.
struct LayerReport {
    std::string role;  ///< "streets", "communities", "buildings", "roads", "facilities",
                       ///< "barriers", "candidates", "exclusions", "landuse"
    std::string source;  ///< file path as given
    std::string layer;   ///< layer name inside the source
    std::string driver;  ///< GDAL driver short name
    std::string crs;     ///< source CRS (authority:code or name), or what the config assumed
    std::string encoding;  ///< attribute encoding used (Shapefile), else empty
    std::string datum_shift;  ///< "gcj02" / "bd09" when a pseudo-datum was undone, else empty
    LayerCounts counts;
    double households = 0.0;  ///< buildings only
    double population = 0.0;  ///< buildings only
    std::size_t households_estimated = 0;  ///< buildings whose households are estimated
    /// role field -> source field (or OSM tag) actually used, e.g. {"households": "HH"}
    std::map<std::string, std::string> fields_used;
    std::string filter;  ///< the `where` filter applied, as text ("" = none)
};

/// The validated scene.
struct Scene {
    WorkingCrs crs;
    std::vector<Street> streets;
    std::vector<Community> communities;
    std::vector<Building> buildings;
    std::vector<Road> roads;
    std::vector<Barrier> barriers;
    std::vector<Facility> facilities;
    std::vector<ExistingGrid> grids;  ///< today's grid polygons (redraw input), if configured
    std::vector<CandidateSite> candidates;   ///< siting host sites (optional input)
    std::vector<ExclusionZone> exclusions;   ///< siting exclusion zones (optional input)
    std::vector<LandArea> land_areas;        ///< landuse and institution sites (optional input)
    std::vector<EventPoint> events;          ///< points to locate (io::read_points only)
    std::vector<LayerReport> layers;
    Ledger ledger;
};

// ------------------------------------------------------------------ codes (the one home)

inline constexpr std::size_t kStreetCodeDigits = 9;      ///< 街道 statistical code
inline constexpr std::size_t kCommunityCodeDigits = 12;  ///< 社区 statistical code

/// True when `code` is exactly `digits` decimal digits.
[[nodiscard]] bool is_statistical_code(std::string_view code, std::size_t digits) noexcept;

/// A stable stand-in code of `digits` digits for an area without one: '9' followed by
/// `digits - 1` digits of FNV-1a-64(`key`) modulo 10^(digits-1). No statistical code starts
/// with 9 (province codes are 11–82), so a derived code never equals a real one.
[[nodiscard]] std::string derived_code(std::string_view key, std::size_t digits);

/// Gives every street and community without a valid statistical code a derived one (keyed by
/// its id, else its name) and sets `code_derived`; valid codes are kept. Idempotent.
void assign_codes(Scene& scene);

}  // namespace gridplan::core
