#pragma once
/// \file
/// The input roles (streets, buildings, roads, …): each one's geometry shape, the attribute
/// ("field role") names read for it, the source field names tried for each attribute, and what a
/// role reads from an OSM file by default (step 1 of read_scene).

#include <map>
#include <string>
#include <vector>

namespace gridplan::io::detail {

/// What a configured input is for.
enum class Role {
    streets,
    communities,
    buildings,
    roads,
    barriers,
    grids,
    facilities,
    entrances,
    candidates,
    exclusions,
    landuse,
    events  ///< points to locate (`gridplan locate`), not part of a run's scene
};

/// The role's name as in the configuration, the ledger and the layer reports ("buildings").
[[nodiscard]] const char* role_name(Role role);

/// The geometry a role's features must have.
enum class Shape { polygon, line, point };
[[nodiscard]] Shape shape_of(Role role);

/// The field roles read for `role` ("id", "name", "households", …), in reading order.
[[nodiscard]] const std::vector<std::string>& field_roles(Role role);

/// Source field names tried, in order, for `field_role` of `role` when the configuration names
/// none. OSM layers use tags for some (their `type` field is the relation type).
[[nodiscard]] const std::vector<std::string>& field_candidates(const std::string& field_role,
                                                               Role role,
                                                               bool is_osm = false);

/// An attribute or OSM tag filter: key -> allowed values ("*" = any value except "no").
using Where = std::map<std::string, std::vector<std::string>>;

/// What a role reads from an OSM file when the configuration names no layer.
struct OsmDefault {
    std::string layer;
    Where where;
};
[[nodiscard]] OsmDefault osm_default(Role role);

/// "k1=a|b AND k2=c" (the layer report's filter column).
[[nodiscard]] std::string where_text(const Where& where);

}  // namespace gridplan::io::detail
