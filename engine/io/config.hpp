#pragma once
/// \file
/// The run configuration: which file feeds which role, how to read it, and the household and
/// validation parameters. Format and every key: docs/config.md.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/scene.hpp"

namespace gridplan::io {

/// One input layer. Paths in the config are relative to the config file's directory.
struct LayerSource {
    std::filesystem::path path;  ///< local regular file only (see check_input_path)
    /// layer name inside the source ("" = the only/first layer, or the OSM default)
    std::string layer;
    /// attribute/OSM-tag filter: key -> allowed values; "*" = any non-null. Our own evaluator,
    /// never SQL.
    std::map<std::string, std::vector<std::string>> where;
    /// role field -> source field; unset roles are auto-detected
    std::map<std::string, std::string> fields;
    std::optional<std::string> encoding;     ///< Shapefile attribute encoding, e.g. "CP936"
    std::optional<int> assume_epsg;          ///< CRS when the source has none (missing .prj)
    std::string input_datum = "auto";        ///< auto|wgs84|cgcs2000|gcj02|bd09
    std::optional<core::FacilityKind> kind;  ///< facilities: a fixed kind for the whole layer
};

/// Household and population estimation (docs/config.md gives the source of each default).
struct HouseholdOptions {
    double floor_area_per_household_m2 = 90.0;  ///< gross floor area of one dwelling
    double persons_per_household = 2.62;        ///< 7th national census (2020) mean household size
    /// residential share of floor area (residential/unknown types)
    double residential_share = 1.0;
    double default_floors = 1.0;  ///< storeys when unknown: a lower bound
};

/// Thresholds for absurd values and slivers.
struct ValidationOptions {
    double sliver_area_m2 = 0.5;      ///< polygons smaller than this after repair are skipped
    double max_floors = 200.0;        ///< floors above (or <= 0) are absurd
    double max_households = 5000.0;   ///< households per building above (or < 0) are absurd
    double max_population = 20000.0;  ///< population per building above (or < 0) is absurd
    /// community overlaps/gaps smaller than this are not reported
    double overlap_min_area_m2 = 1.0;
    /// an entrance without a building reference attaches to the nearest building within this
    double entrance_max_distance_m = 10.0;
};

/// The whole input side of a run.
struct InputConfig {
    std::optional<LayerSource> streets, communities, buildings, roads, barriers;
    std::optional<LayerSource> grids;     ///< today's grid polygons (redraw input)
    std::vector<LayerSource> facilities;  ///< one or more layers
    /// Building entrance points (optional): where a building's walking access starts.
    std::optional<LayerSource> entrances;
    std::vector<LayerSource> candidates;  ///< siting host sites (points): zero or more layers
    /// siting exclusion zones (polygons): zero or more layers
    std::vector<LayerSource> exclusions;
    /// landuse and institution areas (polygons): zero or more layers
    std::vector<LayerSource> landuse;
    /// raw type value -> kind; starts with the built-in table (default_facility_types()).
    std::map<std::string, core::FacilityKind> facility_types;
    /// raw road class -> walkable; starts with the built-in table (default_road_classes()).
    std::map<std::string, bool> road_classes;
    std::optional<int> working_epsg;  ///< override of the automatic choice
    HouseholdOptions households;
    ValidationOptions validation;
    bool strict = false;

    InputConfig();
};

/// The built-in facility type table (党群服务中心, 暖心驿站, 户外劳动者服务站点, …).
[[nodiscard]] std::map<std::string, core::FacilityKind> default_facility_types();
/// The built-in non-OSM road class table (motorway, 高速公路, 快速路 … → not walkable).
[[nodiscard]] std::map<std::string, bool> default_road_classes();

/// Parses "service_centre" | "warm_station" | "other".
[[nodiscard]] std::optional<core::FacilityKind> parse_facility_kind(const std::string& text);

/// Loads a JSON run configuration (sections "inputs", "crs", "households", "validation",
/// "facility_types", "road_classes", "strict"). Unknown keys, wrong types, numbers out of their
/// range and unknown encodings are Errc::usage naming the key; a missing or unreadable file, or
/// one that is not a regular file of at most 4 MiB, is Errc::io (io/json_keys.hpp).
[[nodiscard]] InputConfig load_input_config(const std::filesystem::path& config_file);

/// The top-level keys of the input side of a configuration (the pipeline adds its stage
/// sections to these when it checks a whole run configuration).
inline constexpr const char* kInputTopLevelKeys[] = {
    "inputs", "crs", "households", "validation", "facility_types", "road_classes", "strict"};

/// Parses a configuration from JSON text; relative paths are resolved against `base_dir`.
[[nodiscard]] InputConfig parse_input_config(const std::string& json_text,
                                             const std::filesystem::path& base_dir,
                                             const std::string& what = "configuration");
/// The same from a parsed document (io::parse_config_json): its input sections only.
/// True for an input path that is not a file path relative to the configuration: a URL, a
/// GDAL /vsi… path or inline GeoJSON (the input policy refuses them when read).
[[nodiscard]] bool is_special_input_path(std::string_view path) noexcept;

[[nodiscard]] InputConfig parse_input_sections(const nlohmann::json& root,
                                               const std::filesystem::path& base_dir,
                                               const std::string& what);

/// The untrusted-input policy: only local regular files. Refuses URLs ("://"), GDAL virtual
/// paths ("/vsi…"), inline JSON ("{" or "[" first), driver prefixes ("GPKG:…") and anything
/// that is not an existing regular file, with Errc::io.
void check_input_path(const std::filesystem::path& path);

}  // namespace gridplan::io
