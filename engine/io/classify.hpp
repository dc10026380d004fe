#pragma once
/// \file
/// Classification rules of the readers: road walkability (OSM highway tags and mapped classes),
/// building use (non-residential, dedicated institution) and facility kinds.

#include <map>
#include <optional>
#include <string>

#include "core/scene.hpp"

namespace gridplan::io {

/// The tags that decide whether a road can be walked.
struct RoadTags {
    std::string road_class;  ///< OSM highway value or the source's class
    std::string foot;
    std::string access;
    std::string sidewalk;
};

/// OSM rules (docs/config.md): walkable highway values, trunk only with sidewalk/foot, never
/// motorway/construction/proposed, foot=no, access=private|no unless foot=yes|designated|permissive.
[[nodiscard]] bool osm_walkable(const RoadTags& tags);
/// Non-OSM rules: walkable unless `road_classes` maps the class to false (or foot/access forbid).
[[nodiscard]] bool mapped_walkable(const RoadTags& tags, const std::map<std::string, bool>& road_classes);

/// True for types that hold no dwellings (school, hospital, commercial, industrial, 学校, 商业 …).
[[nodiscard]] bool is_non_residential_type(const std::string& type);
/// True for institutions that form their own grid (school, hospital, university, park, 学校 …).
[[nodiscard]] bool is_dedicated_type(const std::string& type);

/// yes/true/1/是/T … → true; no/false/0/否 … → false; anything else → nullopt.
[[nodiscard]] std::optional<bool> parse_flag(const std::string& text);

/// The kind of a facility from its raw type (exact match after trimming), else from its name
/// (contains a non-ASCII key of the table, e.g. "…社区党群服务中心"), else other.
[[nodiscard]] core::FacilityKind facility_kind(const std::string& type, const std::string& name,
                                               const std::map<std::string, core::FacilityKind>& table);

}  // namespace gridplan::io
