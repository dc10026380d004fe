#include "io/config.hpp"

#include <cmath>
#include <iterator>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/json_keys.hpp"

namespace gridplan::io {
namespace {

using nlohmann::json;

[[noreturn]] void usage(const std::string& what, const std::string& message) {
    throw core::Error{core::Errc::usage, "reading " + what + ": " + message};
}

std::string get_string(const json& v, const std::string& where, const std::string& what) {
    if (!v.is_string()) {
        usage(what, "'" + where + "' must be a string");
    }
    return v.get<std::string>();
}

/// A number of the configuration within its documented range (io/json_keys.hpp).
double get_number(const json& v,
                  const std::string& where,
                  const std::string& what,
                  const NumberRange& range) {
    return checked_number(v, where, what, range);
}

/// An EPSG code: a whole number (the CRS itself is checked when the layer is read).
int get_epsg(const json& v, const std::string& where, const std::string& what) {
    return static_cast<int>(checked_integer(v, where, what, 1, 999999));
}

/// A source's "where" filter: key -> allowed values (a string, an integer or a list of them).
std::map<std::string, std::vector<std::string>> parse_where(const json& w,
                                                            const std::string& where,
                                                            const std::string& what) {
    std::map<std::string, std::vector<std::string>> out;
    if (!w.is_object()) {
        usage(what, "'" + where + ".where' must be an object");
    }
    for (const auto& [key, value] : w.items()) {
        std::vector<std::string> values;
        const std::string at = where + ".where." + key;
        if (value.is_string()) {
            values.push_back(value.get<std::string>());
        } else if (value.is_array()) {
            for (const auto& v : value) {
                if (v.is_string()) {
                    values.push_back(v.get<std::string>());
                } else if (v.is_number_integer()) {
                    values.push_back(std::to_string(v.get<long long>()));
                } else {
                    usage(what, "'" + at + "' values must be strings");
                }
            }
        } else if (value.is_number_integer()) {
            values.push_back(std::to_string(value.get<long long>()));
        } else {
            usage(what, "'" + at + "' must be a string or a list of strings");
        }
        if (values.empty()) {
            usage(what, "'" + at + "' is an empty list");
        }
        out[key] = std::move(values);
    }
    return out;
}

}  // namespace

bool is_special_input_path(std::string_view path) noexcept {
    return path.find("://") != std::string_view::npos || path.rfind("/vsi", 0) == 0 ||
           (!path.empty() && (path.front() == '{' || path.front() == '['));
}

namespace {

LayerSource parse_source(const json& j,
                         const std::string& where,
                         bool facility,
                         const std::filesystem::path& base_dir,
                         const std::string& what) {
    std::set<std::string> allowed{
        "path", "layer", "where", "fields", "encoding", "assume_epsg", "input_datum"};
    if (facility) {
        allowed.insert("kind");
    }
    check_known_keys(j, allowed, where, what);
    LayerSource s;
    if (!j.contains("path")) {
        usage(what, "'" + where + ".path' is required");
    }
    const std::string path = get_string(j.at("path"), where + ".path", what);
    if (path.empty()) {
        usage(what, "'" + where + ".path' is empty");
    }
    // Keep policy-violating strings as they are (check_input_path refuses them with Errc::io);
    // resolve ordinary relative paths against the config directory.
    const std::filesystem::path p{path};
    s.path =
        (is_special_input_path(path) || p.is_absolute()) ? p : (base_dir / p).lexically_normal();
    if (j.contains("layer")) {
        s.layer = get_string(j.at("layer"), where + ".layer", what);
    }
    if (j.contains("where")) {
        s.where = parse_where(j.at("where"), where, what);
    }
    if (j.contains("fields")) {
        const auto& f = j.at("fields");
        static const std::set<std::string> roles{
            "id",        "name",     "code",  "households", "population", "floors", "type",
            "grid_code", "locked",   "class", "layer",      "bridge",     "tunnel", "foot",
            "access",    "sidewalk", "kind",  "capacity",   "cost",       "address"};
        if (!f.is_object()) {
            usage(what, "'" + where + ".fields' must be an object");
        }
        for (const auto& [role, field] : f.items()) {
            if (roles.count(role) == 0) {
                usage(what,
                      "unknown field role '" + where + ".fields." + role +
                          "' (see docs/config.md for the roles)");
            }
            s.fields[role] = get_string(field, where + ".fields." + role, what);
        }
    }
    if (j.contains("encoding")) {
        s.encoding = get_string(j.at("encoding"), where + ".encoding", what);
        if (!is_known_encoding(*s.encoding)) {
            usage(what,
                  "'" + where + ".encoding' names an encoding iconv does not know (got '" +
                      *s.encoding + "'; e.g. CP936, GB18030, UTF-8)");
        }
    }
    if (j.contains("assume_epsg")) {
        s.assume_epsg = get_epsg(j.at("assume_epsg"), where + ".assume_epsg", what);
    }
    if (j.contains("input_datum")) {
        s.input_datum = get_string(j.at("input_datum"), where + ".input_datum", what);
        static const std::set<std::string> datums{"auto", "wgs84", "cgcs2000", "gcj02", "bd09"};
        if (datums.count(s.input_datum) == 0) {
            usage(what,
                  "'" + where +
                      ".input_datum' must be one of auto, wgs84, cgcs2000, gcj02, bd09 (got '" +
                      s.input_datum + "')");
        }
    }
    if (j.contains("kind")) {
        const std::string k = get_string(j.at("kind"), where + ".kind", what);
        s.kind = parse_facility_kind(k);
        if (!s.kind) {
            usage(what,
                  "'" + where + ".kind' must be service_centre, warm_station or other (got '" + k +
                      "')");
        }
    }
    return s;
}

/// "inputs": one layer source per role (facilities, candidates, exclusions and landuse: one or a
/// list).
void parse_inputs(const json& inputs,
                  const std::filesystem::path& base_dir,
                  const std::string& what,
                  InputConfig& config) {
    check_known_keys(inputs,
                     {"streets",
                      "communities",
                      "buildings",
                      "roads",
                      "barriers",
                      "facilities",
                      "entrances",
                      "grids",
                      "candidates",
                      "exclusions",
                      "landuse"},
                     "inputs",
                     what);
    auto one = [&](const char* role, std::optional<LayerSource>& out) {
        if (inputs.contains(role)) {
            out =
                parse_source(inputs.at(role), std::string{"inputs."} + role, false, base_dir, what);
        }
    };
    one("streets", config.streets);
    one("communities", config.communities);
    one("buildings", config.buildings);
    one("roads", config.roads);
    one("barriers", config.barriers);
    one("entrances", config.entrances);
    one("grids", config.grids);
    // roles that take one layer object or an array of them
    auto many = [&](const char* role, bool facility, std::vector<LayerSource>& out) {
        if (!inputs.contains(role)) {
            return;
        }
        const auto& f = inputs.at(role);
        const std::string at = std::string{"inputs."} + role;
        if (f.is_array()) {
            for (std::size_t i = 0; i < f.size(); ++i) {
                out.push_back(parse_source(
                    f[i], at + "[" + std::to_string(i) + "]", facility, base_dir, what));
            }
        } else {
            out.push_back(parse_source(f, at, facility, base_dir, what));
        }
    };
    many("facilities", true, config.facilities);
    many("candidates", false, config.candidates);
    many("exclusions", false, config.exclusions);
    many("landuse", false, config.landuse);
}

/// "households": the estimation parameters, each within its range (docs/config.md).
void parse_households(const json& h, const std::string& what, HouseholdOptions& o) {
    check_known_keys(h,
                     {"floor_area_per_household_m2",
                      "persons_per_household",
                      "residential_share",
                      "default_floors"},
                     "households",
                     what);
    auto num = [&](const char* key, double& out, const NumberRange& range) {
        if (h.contains(key)) {
            out = get_number(h.at(key), std::string{"households."} + key, what, range);
        }
    };
    num("floor_area_per_household_m2", o.floor_area_per_household_m2, {0, 10000, true});
    num("persons_per_household", o.persons_per_household, {0, 100, true});
    num("residential_share", o.residential_share, {0, 1});
    num("default_floors", o.default_floors, {0, 1000, true});
}

/// "validation": thresholds for absurd values and slivers, each within its range.
void parse_validation(const json& v, const std::string& what, ValidationOptions& o) {
    check_known_keys(v,
                     {"sliver_area_m2",
                      "max_floors",
                      "max_households",
                      "max_population",
                      "overlap_min_area_m2",
                      "entrance_max_distance_m"},
                     "validation",
                     what);
    auto num = [&](const char* key, double& out, const NumberRange& range) {
        if (v.contains(key)) {
            out = get_number(v.at(key), std::string{"validation."} + key, what, range);
        }
    };
    num("sliver_area_m2", o.sliver_area_m2, {0, 1e6});
    num("max_floors", o.max_floors, {0, 1000, true});
    num("max_households", o.max_households, {0, 1e7, true});
    num("max_population", o.max_population, {0, 1e8, true});
    num("overlap_min_area_m2", o.overlap_min_area_m2, {0, 1e8});
    num("entrance_max_distance_m", o.entrance_max_distance_m, {0, 10000, true});
}

/// "facility_types" and "road_classes": additions to the built-in tables.
void parse_type_tables(const json& root, const std::string& what, InputConfig& config) {
    if (root.contains("facility_types")) {
        const auto& ft = root.at("facility_types");
        if (!ft.is_object()) {
            usage(what, "'facility_types' must be an object");
        }
        for (const auto& [raw, kind_json] : ft.items()) {
            const std::string k = get_string(kind_json, "facility_types." + raw, what);
            const auto kind = parse_facility_kind(k);
            if (!kind) {
                usage(what,
                      "'facility_types." + raw +
                          "' must be service_centre, warm_station or other (got '" + k + "')");
            }
            config.facility_types[raw] = *kind;
        }
    }
    if (root.contains("road_classes")) {
        const auto& rc = root.at("road_classes");
        if (!rc.is_object()) {
            usage(what, "'road_classes' must be an object");
        }
        for (const auto& [raw, walkable] : rc.items()) {
            if (!walkable.is_boolean()) {
                usage(what, "'road_classes." + raw + "' must be true or false");
            }
            config.road_classes[raw] = walkable.get<bool>();
        }
    }
}

}  // namespace

InputConfig::InputConfig()
    : facility_types(default_facility_types()), road_classes(default_road_classes()) {}

std::map<std::string, core::FacilityKind> default_facility_types() {
    using core::FacilityKind;
    return {
        {"党群服务中心", FacilityKind::service_centre},
        {"党群服务站", FacilityKind::service_centre},
        {"社区党群服务中心", FacilityKind::service_centre},
        {"社区服务中心", FacilityKind::service_centre},
        {"service_centre", FacilityKind::service_centre},
        {"community_centre", FacilityKind::service_centre},
        {"暖心驿站", FacilityKind::warm_station},
        {"户外劳动者服务站点", FacilityKind::warm_station},
        {"户外劳动者驿站", FacilityKind::warm_station},
        {"户外劳动者服务站", FacilityKind::warm_station},
        {"爱心驿站", FacilityKind::warm_station},
        {"warm_station", FacilityKind::warm_station},
    };
}

std::map<std::string, bool> default_road_classes() {
    return {{"motorway", false},
            {"motorway_link", false},
            {"高速公路", false},
            {"快速路", false},
            {"construction", false},
            {"proposed", false},
            {"abandoned", false},
            {"raceway", false},
            {"bus_guideway", false}};
}

std::optional<core::FacilityKind> parse_facility_kind(const std::string& text) {
    if (text == "service_centre") {
        return core::FacilityKind::service_centre;
    }
    if (text == "warm_station") {
        return core::FacilityKind::warm_station;
    }
    if (text == "other") {
        return core::FacilityKind::other;
    }
    return std::nullopt;
}

InputConfig parse_input_config(const std::string& json_text,
                               const std::filesystem::path& base_dir,
                               const std::string& what) {
    return parse_input_sections(parse_config_json(json_text, what), base_dir, what);
}

InputConfig parse_input_sections(const nlohmann::json& root,
                                 const std::filesystem::path& base_dir,
                                 const std::string& what) {
    check_known_keys(
        root, {std::begin(kInputTopLevelKeys), std::end(kInputTopLevelKeys)}, "", what);
    InputConfig config;
    if (!root.contains("inputs")) {
        usage(what, "the 'inputs' section is required");
    }
    parse_inputs(root.at("inputs"), base_dir, what, config);
    if (root.contains("crs")) {
        const auto& c = root.at("crs");
        check_known_keys(c, {"working_epsg"}, "crs", what);
        if (c.contains("working_epsg")) {
            config.working_epsg = get_epsg(c.at("working_epsg"), "crs.working_epsg", what);
        }
    }
    if (root.contains("households")) {
        parse_households(root.at("households"), what, config.households);
    }
    if (root.contains("validation")) {
        parse_validation(root.at("validation"), what, config.validation);
    }
    parse_type_tables(root, what, config);
    if (root.contains("strict")) {
        if (!root.at("strict").is_boolean()) {
            usage(what, "'strict' must be true or false");
        }
        config.strict = root.at("strict").get<bool>();
    }
    return config;
}

InputConfig load_input_config(const std::filesystem::path& config_file) {
    const std::string what = "configuration '" + config_file.string() + "'";
    return parse_input_config(read_config_file(config_file, what), config_file.parent_path(), what);
}

void check_input_path(const std::filesystem::path& path) {
    const std::string s = path.string();
    const std::string what = "opening input '" + s + "': ";
    if (s.empty()) {
        throw core::Error{core::Errc::io, "opening input '': empty path"};
    }
    if (s.find("://") != std::string::npos) {
        throw core::Error{core::Errc::io,
                          what + "URLs are not read (only local files; download it first)"};
    }
    if (s.rfind("/vsi", 0) == 0) {
        throw core::Error{
            core::Errc::io,
            what + "GDAL virtual file systems (/vsi…) are not allowed (only local files)"};
    }
    if (s.front() == '{' || s.front() == '[') {
        throw core::Error{core::Errc::io, what + "inline JSON is not allowed (give a file path)"};
    }
    static const std::regex driver_prefix{R"(^[A-Za-z][A-Za-z0-9_ ]*:)"};
    if (std::regex_search(s, driver_prefix)) {
        throw core::Error{
            core::Errc::io,
            what + "driver prefixes (e.g. 'GPKG:') are not allowed (give a plain file path)"};
    }
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        throw core::Error{core::Errc::io, what + "no such file"};
    }
    if (!std::filesystem::is_regular_file(status)) {
        throw core::Error{core::Errc::io, what + "not a regular file"};
    }
}

}  // namespace gridplan::io
