#include "pipeline/stages.hpp"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/json_keys.hpp"

namespace gridplan::pipeline {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& what, const std::string& message) {
    throw core::Error{core::Errc::usage, "reading configuration '" + what + "': " + message};
}

/// Checks the keys of a section (the message is io's, as for the input sections).
const json& parse_section(const json& j,
                          const std::string& what,
                          const std::string& section,
                          const std::set<std::string>& allowed) {
    io::check_known_keys(j, allowed, section, "configuration '" + what + "'");
    return j;
}

template <typename T>
void read(const json& j, const char* key, T& out, const std::string& what, const char* section) {
    if (auto it = j.find(key); it != j.end()) {
        try {
            out = it->get<T>();
        } catch (const json::exception&) {
            fail(what, "\"" + std::string{section} + "." + key + "\" has the wrong type");
        }
    }
}

/// A number within its documented range (io::checked_number), when the key is there.
void number(const json& j,
            const char* key,
            double& out,
            const std::string& what,
            const std::string& section,
            const io::NumberRange& range) {
    if (auto it = j.find(key); it != j.end()) {
        out = io::checked_number(*it, section + "." + key, "configuration '" + what + "'", range);
    }
}

/// A count within its documented range (io::checked_integer), when the key is there.
template <typename T>
void whole(const json& j,
           const char* key,
           T& out,
           const std::string& what,
           const std::string& section,
           std::int64_t min,
           std::int64_t max) {
    if (auto it = j.find(key); it != j.end()) {
        out = static_cast<T>(io::checked_integer(
            *it, section + "." + key, "configuration '" + what + "'", min, max));
    }
}

/// Households per grid or community: more than 0, at most ten million.
constexpr io::NumberRange kHouseholds{0, 1e7, true};
/// A distance in metres from 0 to 100 km.
constexpr io::NumberRange kMetres{0, 1e5};
/// A positive distance in metres, at most 100 km.
constexpr io::NumberRange kPositiveMetres{0, 1e5, true};
/// A walking speed: more than 0, at most 200 km/h.
constexpr io::NumberRange kSpeed{0, 200, true};
/// A walking time: more than 0, at most a day.
constexpr io::NumberRange kMinutes{0, 1440, true};

partition::Band read_band(const json& j,
                          partition::Band band,
                          const std::string& what,
                          const std::string& section) {
    number(j, "min_households", band.min_households, what, section, kHouseholds);
    number(j, "max_households", band.max_households, what, section, kHouseholds);
    if (!(band.min_households > 0.0) || band.max_households < band.min_households) {
        fail(what, std::string{"\""} + section + "\": need 0 < min_households <= max_households");
    }
    return band;
}

/// An output base name is one plain file name part: not empty, no path separator, no "..", no
/// control character (a NUL would cut the name short), at most 100 bytes.
void check_basename(const std::string& name, const std::string& what) {
    const auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; };
    std::string fault;
    if (name.empty()) {
        fault = "is empty";
    } else if (name.find_first_of("/\\") != std::string::npos) {
        fault = "holds a path separator";
    } else if (name.find("..") != std::string::npos) {
        fault = "holds '..'";
    } else if (std::any_of(name.begin(), name.end(), control)) {
        fault = "holds a control character";
    } else if (name.size() > 100) {
        fault = "is longer than 100 bytes";
    }
    if (!fault.empty()) {
        fail(what,
             "'output.basename' " + fault +
                 " (it is the start of each output file's name, e.g. \"gridplan\")");
    }
}

}  // namespace

partition::Options parse_partition_options(const json& section_json, const std::string& what) {
    const json& j = parse_section(section_json,
                                  what,
                                  "partition",
                                  {"min_households",
                                   "max_households",
                                   "max_population",
                                   "seed",
                                   "k_policy",
                                   "overrides",
                                   "block_road_max_rank",
                                   "households_per_part_timer",
                                   "institution_gap_m",
                                   "communities_from",
                                   "arterial_max_rank",
                                   "derived_min_households",
                                   "group_band",
                                   "group_buildings"});
    partition::Options o;
    o.band = read_band(j, o.band, what, "partition");
    if (auto it = j.find("max_population"); it != j.end()) {
        if (it->is_null()) {
            o.max_population.reset();
        } else {
            double cap = 0.0;
            number(j, "max_population", cap, what, "partition", {0, 1e8, true});
            o.max_population = cap;
        }
    }
    whole(j, "seed", o.seed, what, "partition", 0, (std::int64_t{1} << 53) - 1);
    whole(j, "block_road_max_rank", o.block_road_max_rank, what, "partition", 0, 4);
    number(j,
           "households_per_part_timer",
           o.households_per_part_timer,
           what,
           "partition",
           kHouseholds);
    number(j, "institution_gap_m", o.institution_gap_m, what, "partition", {0, 1000});
    read(j, "communities_from", o.communities_from, what, "partition");
    if (!o.communities_from.empty() && o.communities_from != "arterial_blocks" &&
        o.communities_from != "landuse") {
        fail(what,
             "\"partition.communities_from\" must be \"arterial_blocks\" or \"landuse\" (got \"" +
                 o.communities_from + "\")");
    }
    whole(j, "arterial_max_rank", o.arterial_max_rank, what, "partition", 0, 4);
    if (auto it = j.find("group_band"); it != j.end()) {
        const json& gb = parse_section(
            *it, what, "partition.group_band", {"min_households", "max_households"});
        o.group_band = read_band(gb, o.group_band, what, "partition.group_band");
    }
    whole(j, "group_buildings", o.group_buildings, what, "partition", 0, 10000);
    number(j, "derived_min_households", o.derived_min_households, what, "partition", kHouseholds);
    std::string policy;
    read(j, "k_policy", policy, what, "partition");
    if (!policy.empty()) {
        bool found = false;
        for (const auto p : {partition::KPolicy::closest_to_band_middle,
                             partition::KPolicy::fewest_grids,
                             partition::KPolicy::most_grids}) {
            if (policy == partition::to_string(p)) {
                o.k_policy = p;
                found = true;
            }
        }
        if (!found) {
            fail(what, "unknown partition.k_policy \"" + policy + "\"");
        }
    }
    if (auto it = j.find("overrides"); it != j.end()) {
        if (!it->is_object()) {
            fail(what, "\"partition.overrides\" must be an object keyed by community id or code");
        }
        for (const auto& [community, value] : it->items()) {
            const std::string section = "partition.overrides." + community;
            const json& ov =
                parse_section(value, what, section, {"min_households", "max_households", "k"});
            partition::CommunityOverride community_override;
            if (ov.contains("min_households") || ov.contains("max_households")) {
                community_override.band = read_band(ov, o.band, what, section);
            }
            if (ov.contains("k")) {
                std::uint32_t k = 0;
                whole(ov, "k", k, what, section, 1, 10000);
                community_override.k = k;
            }
            o.overrides[community] = community_override;
        }
    }
    return o;
}

partition::Edit parse_edit(const json& edit_json,
                           const std::string& what,
                           const std::string& section) {
    const json& e = parse_section(
        edit_json, what, section, {"op", "buildings", "to", "grid", "parts", "grids"});
    partition::Edit edit;
    std::string op;
    read(e, "op", op, what, section.c_str());
    if (op == "move") {
        edit.kind = partition::EditKind::move;
        read(e, "buildings", edit.buildings, what, section.c_str());
        read(e, "to", edit.grid, what, section.c_str());
        if (edit.buildings.empty() || edit.grid.empty()) {
            fail(what, "\"" + section + "\": a move needs \"buildings\" and \"to\"");
        }
    } else if (op == "split") {
        edit.kind = partition::EditKind::split;
        read(e, "grid", edit.grid, what, section.c_str());
        whole(e, "parts", edit.parts, what, section, 2, 1000);
        if (edit.grid.empty() || edit.parts < 2) {
            fail(what, "\"" + section + "\": a split needs \"grid\" and \"parts\" >= 2");
        }
    } else if (op == "merge") {
        edit.kind = partition::EditKind::merge;
        read(e, "grids", edit.grids, what, section.c_str());
        if (edit.grids.size() < 2) {
            fail(what, "\"" + section + "\": a merge needs \"grids\" with at least 2 codes");
        }
    } else if (op == "lock" || op == "unlock") {
        edit.kind = op == "lock" ? partition::EditKind::lock : partition::EditKind::unlock;
        read(e, "grids", edit.grids, what, section.c_str());
        if (edit.grids.empty()) {
            fail(what, "\"" + section + "\": a " + op + " needs \"grids\"");
        }
    } else {
        fail(what,
             "\"" + section + ".op\" must be move, split, merge, lock or unlock (got \"" + op +
                 "\")");
    }
    return edit;
}

partition::RedrawOptions parse_redraw_options(const json& section_json,
                                              const std::string& what,
                                              const partition::Options& partition) {
    const json& j = parse_section(section_json,
                                  what,
                                  "redraw",
                                  {"churn_weight",
                                   "balance_weight",
                                   "locked_grids",
                                   "locked_buildings",
                                   "locked_roads",
                                   "road_lock_distance_m",
                                   "retired_codes",
                                   "edits",
                                   "rebalance"});
    partition::RedrawOptions o;
    o.partition = partition;
    number(j, "churn_weight", o.churn_weight, what, "redraw", {0, 1e6});
    number(j, "balance_weight", o.balance_weight, what, "redraw", {0, 1e6});
    read(j, "locked_grids", o.locked_grids, what, "redraw");
    read(j, "locked_buildings", o.locked_buildings, what, "redraw");
    read(j, "locked_roads", o.locked_roads, what, "redraw");
    number(j, "road_lock_distance_m", o.road_lock_distance_m, what, "redraw", kPositiveMetres);
    read(j, "retired_codes", o.retired_codes, what, "redraw");
    read(j, "rebalance", o.rebalance, what, "redraw");
    if (auto it = j.find("edits"); it != j.end()) {
        if (!it->is_array()) {
            fail(what, "\"redraw.edits\" must be an array of {op, ...}");
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            const std::string section = "redraw.edits[" + std::to_string(i) + "]";
            o.edits.push_back(parse_edit((*it)[i], what, section));
        }
    }
    return o;
}

namespace {

json edit_json(const partition::Edit& e) {
    switch (e.kind) {
        case partition::EditKind::move:
            return {{"op", "move"}, {"buildings", e.buildings}, {"to", e.grid}};
        case partition::EditKind::split:
            return {{"op", "split"}, {"grid", e.grid}, {"parts", e.parts}};
        case partition::EditKind::merge:
            return {{"op", "merge"}, {"grids", e.grids}};
        case partition::EditKind::lock:
            return {{"op", "lock"}, {"grids", e.grids}};
        case partition::EditKind::unlock:
            return {{"op", "unlock"}, {"grids", e.grids}};
    }
    return {};
}

}  // namespace

json redraw_section_json(const partition::RedrawOptions& o) {
    json edits = json::array();
    for (const partition::Edit& e : o.edits) {
        edits.push_back(edit_json(e));
    }
    return {{"churn_weight", o.churn_weight},
            {"balance_weight", o.balance_weight},
            {"locked_grids", o.locked_grids},
            {"locked_buildings", o.locked_buildings},
            {"locked_roads", o.locked_roads},
            {"road_lock_distance_m", o.road_lock_distance_m},
            {"retired_codes", o.retired_codes},
            {"rebalance", o.rebalance},
            {"edits", std::move(edits)}};
}

coverage::Options parse_coverage_options(const json& section_json, const std::string& what) {
    const json& j = parse_section(section_json,
                                  what,
                                  "coverage",
                                  {"profiles",
                                   "thresholds_min",
                                   "euclid_radius_m",
                                   "max_snap_m",
                                   "polygons",
                                   "per_facility_circles",
                                   "fill_blocks",
                                   "gap_link_m"});
    coverage::Options o;
    if (auto it = j.find("profiles"); it != j.end()) {
        if (!it->is_array() || it->empty()) {
            fail(what, "\"coverage.profiles\" must be a non-empty array of {name, speed_kmh}");
        }
        o.profiles.clear();
        for (const auto& p : *it) {
            const json& pj = parse_section(p, what, "coverage.profiles[]", {"name", "speed_kmh"});
            coverage::SpeedProfile profile;
            read(pj, "name", profile.name, what, "coverage.profiles[]");
            number(pj, "speed_kmh", profile.speed_kmh, what, "coverage.profiles[]", kSpeed);
            if (profile.name.empty()) {
                fail(what, "\"coverage.profiles[].name\" is required");
            }
            o.profiles.push_back(profile);
        }
    }
    if (auto it = j.find("thresholds_min"); it != j.end()) {
        if (!it->is_array() || it->empty()) {
            fail(what, "\"coverage.thresholds_min\" must not be empty");
        }
        o.thresholds_min.assign(it->size(), 0.0);
        for (std::size_t i = 0; i < it->size(); ++i) {
            o.thresholds_min[i] =
                io::checked_number((*it)[i],
                                   "coverage.thresholds_min[" + std::to_string(i) + "]",
                                   "configuration '" + what + "'",
                                   kMinutes);
        }
    }
    number(j, "euclid_radius_m", o.euclid_radius_m, what, "coverage", kPositiveMetres);
    number(j, "max_snap_m", o.snap.max_snap_m, what, "coverage", kPositiveMetres);
    read(j, "polygons", o.polygons.enabled, what, "coverage");
    read(j, "per_facility_circles", o.polygons.per_facility, what, "coverage");
    read(j, "fill_blocks", o.polygons.fill_blocks, what, "coverage");
    number(j, "gap_link_m", o.gaps.link_m, what, "coverage", kMetres);
    return o;
}

SitingSettings parse_siting_settings(const json& section_json, const std::string& what) {
    const json& j = parse_section(section_json,
                                  what,
                                  "siting",
                                  {"kind",
                                   "problem",
                                   "p",
                                   "target_share",
                                   "required_cover",
                                   "min_spacing_m",
                                   "max_spacing_m",
                                   "capacitated",
                                   "max_nodes",
                                   "time_limit_s",
                                   "gap_tolerance",
                                   "threshold_min",
                                   "speed_kmh",
                                   "weight",
                                   "generate_candidates",
                                   "intersections",
                                   "host_buildings",
                                   "candidate_types",
                                   "max_generated_candidates"});
    SitingSettings s;
    std::string kind = "warm_station";
    read(j, "kind", kind, what, "siting");
    if (kind == "warm_station") {
        s.instance.kind = core::FacilityKind::warm_station;
    } else if (kind == "service_centre") {
        s.instance.kind = core::FacilityKind::service_centre;
    } else {
        fail(what, "\"siting.kind\" must be warm_station or service_centre");
    }
    std::string problem = "max_coverage";
    read(j, "problem", problem, what, "siting");
    if (problem == "max_coverage") {
        s.solver.problem = siting::Problem::max_coverage;
    } else if (problem == "min_stations_for_target") {
        s.solver.problem = siting::Problem::min_stations_for_target;
    } else if (problem == "double_coverage") {
        s.solver.problem = siting::Problem::double_coverage;
    } else {
        fail(what,
             "\"siting.problem\" must be max_coverage, min_stations_for_target or double_coverage");
    }
    whole(j, "p", s.solver.p, what, "siting", 0, 100000);
    number(j, "target_share", s.solver.target_share, what, "siting", {0, 1, true});
    whole(j, "required_cover", s.solver.required_cover, what, "siting", 1, 100);
    number(j, "min_spacing_m", s.solver.min_spacing_m, what, "siting", kMetres);
    number(j, "max_spacing_m", s.solver.max_spacing_m, what, "siting", kMetres);
    read(j, "capacitated", s.solver.capacitated, what, "siting");
    whole(j, "max_nodes", s.solver.max_nodes, what, "siting", 0, 1000000000);
    // 0 = no safety stop; at most a week
    number(j, "time_limit_s", s.solver.time_limit_s, what, "siting", {0, 604800});
    number(j, "gap_tolerance", s.solver.gap_tolerance, what, "siting", {0, 1});
    number(j, "threshold_min", s.instance.threshold_min, what, "siting", kMinutes);
    number(j, "speed_kmh", s.instance.speed_kmh, what, "siting", kSpeed);
    std::string weight = "residents";
    read(j, "weight", weight, what, "siting");
    if (weight == "residents") {
        s.instance.weight = siting::InstanceOptions::Weight::residents;
    } else if (weight == "households") {
        s.instance.weight = siting::InstanceOptions::Weight::households;
    } else if (weight == "buildings") {
        s.instance.weight = siting::InstanceOptions::Weight::buildings;
    } else if (weight == "street_m") {
        s.instance.weight = siting::InstanceOptions::Weight::street_m;
    } else {
        fail(what, "\"siting.weight\" must be residents, households, buildings or street_m");
    }
    std::string generate = "when_no_layer";
    read(j, "generate_candidates", generate, what, "siting");
    using Generate = siting::CandidateOptions::Generate;
    if (generate == "when_no_layer") {
        s.candidates.generate = Generate::when_no_layer;
    } else if (generate == "always") {
        s.candidates.generate = Generate::always;
    } else if (generate == "never") {
        s.candidates.generate = Generate::never;
    } else {
        fail(what, "\"siting.generate_candidates\" must be when_no_layer, always or never");
    }
    read(j, "intersections", s.candidates.intersections, what, "siting");
    read(j, "host_buildings", s.candidates.host_buildings, what, "siting");
    read(j, "candidate_types", s.candidates.types, what, "siting");
    whole(j, "max_generated_candidates", s.candidates.max_generated, what, "siting", 0, 10000000);
    return s;
}

output::OutputOptions parse_output_options(const json& section_json, const std::string& what) {
    const json& j = parse_section(
        section_json, what, "output", {"basename", "formats", "project_title", "attribution"});
    output::OutputOptions o;
    read(j, "basename", o.basename, what, "output");
    check_basename(o.basename, what);
    read(j, "project_title", o.project_title, what, "output");
    read(j, "attribution", o.attribution, what, "output");
    if (j.contains("formats")) {
        std::vector<std::string> formats;
        read(j, "formats", formats, what, "output");
        o.gpkg = o.shapefile = o.geojson = o.qgis_project = false;
        for (const auto& f : formats) {
            if (f == "gpkg") {
                o.gpkg = true;
            } else if (f == "shp") {
                o.shapefile = true;
            } else if (f == "geojson") {
                o.geojson = true;
            } else if (f == "qgis") {
                o.qgis_project = true;
            } else {
                fail(what, "unknown output format \"" + f + "\" (gpkg, shp, geojson, qgis)");
            }
        }
    }
    return o;
}

}  // namespace gridplan::pipeline
