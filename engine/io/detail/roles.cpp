// The input roles: shape, attributes, field name candidates and OSM defaults (read_scene step 1).
#include "io/detail/roles.hpp"

namespace gridplan::io::detail {

const char* role_name(Role role) {
    switch (role) {
        case Role::streets:
            return "streets";
        case Role::communities:
            return "communities";
        case Role::buildings:
            return "buildings";
        case Role::roads:
            return "roads";
        case Role::barriers:
            return "barriers";
        case Role::grids:
            return "grids";
        case Role::facilities:
            return "facilities";
        case Role::entrances:
            return "entrances";
        case Role::candidates:
            return "candidates";
        case Role::exclusions:
            return "exclusions";
        case Role::landuse:
            return "landuse";
        case Role::events:
            return "events";
    }
    return "";
}

Shape shape_of(Role role) {
    switch (role) {
        case Role::streets:
        case Role::communities:
        case Role::buildings:
        case Role::grids:
        case Role::exclusions:
        case Role::landuse:
            return Shape::polygon;
        case Role::roads:
        case Role::barriers:
            return Shape::line;
        case Role::facilities:
        case Role::entrances:
        case Role::candidates:
        case Role::events:
            return Shape::point;
    }
    return Shape::point;
}

const std::vector<std::string>& field_roles(Role role) {
    static const std::vector<std::string> area{"id", "name", "code"};
    static const std::vector<std::string> buildings{"id",
                                                    "name",
                                                    "type",
                                                    "households",
                                                    "population",
                                                    "floors",
                                                    "grid_code",
                                                    "locked",
                                                    "address"};
    static const std::vector<std::string> roads{
        "id", "name", "class", "layer", "bridge", "tunnel", "foot", "access", "sidewalk"};
    static const std::vector<std::string> barriers{"id", "name", "kind", "tunnel"};
    static const std::vector<std::string> grids{"id", "name", "grid_code"};
    static const std::vector<std::string> facilities{"id", "name", "type", "capacity", "address"};
    static const std::vector<std::string> entrances{"id", "building"};
    static const std::vector<std::string> candidates{
        "id", "name", "type", "capacity", "cost", "address"};
    static const std::vector<std::string> exclusions{"id", "name"};
    static const std::vector<std::string> landuse{"id", "name", "type"};
    static const std::vector<std::string> events{"id", "name"};
    switch (role) {
        case Role::streets:
        case Role::communities:
            return area;
        case Role::buildings:
            return buildings;
        case Role::roads:
            return roads;
        case Role::barriers:
            return barriers;
        case Role::grids:
            return grids;
        case Role::facilities:
            return facilities;
        case Role::entrances:
            return entrances;
        case Role::candidates:
            return candidates;
        case Role::exclusions:
            return exclusions;
        case Role::landuse:
            return landuse;
        case Role::events:
            return events;
    }
    return exclusions;
}

const std::vector<std::string>& field_candidates(const std::string& field_role,
                                                 Role role,
                                                 bool is_osm) {
    const bool sites = role == Role::facilities || role == Role::candidates;
    // OSM layers have a `type` field that is the relation type ("multipolygon"): use the tags.
    static const std::vector<std::string> osm_building_type{"building"};
    static const std::vector<std::string> osm_facility_type{
        "amenity", "social_facility", "office", "shop", "tourism"};
    static const std::vector<std::string> osm_class{"highway"};
    static const std::vector<std::string> osm_kind{"railway", "waterway", "barrier"};
    static const std::vector<std::string> osm_landuse_type{"landuse", "amenity"};
    if (is_osm) {
        if (field_role == "type" && role == Role::buildings) {
            return osm_building_type;
        }
        if (field_role == "type" && sites) {
            return osm_facility_type;
        }
        if (field_role == "type" && role == Role::landuse) {
            return osm_landuse_type;
        }
        if (field_role == "class") {
            return osm_class;
        }
        if (field_role == "kind") {
            return osm_kind;
        }
    }
    static const std::map<std::string, std::vector<std::string>> table{
        {"id", {"id", "osm_id", "osm_way_id", "fid", "objectid", "编号", "编码"}},
        {"name", {"name", "名称", "name:zh", "vname", "tname", "mc"}},
        {"code", {"code", "代码", "编码", "区划代码", "cptvid"}},
        {"households", {"households", "户数", "hh", "hhs"}},
        {"population", {"population", "人口", "pop", "人口数"}},
        {"floors", {"floors", "层数", "building:levels", "levels", "floor", "storeys"}},
        {"type",
         {"type",
          "类型",
          "building",
          "amenity",
          "social_facility",
          "main_type",
          "sub_type",
          "用途"}},
        {"grid_code", {"grid_code", "网格编码", "网格代码"}},
        {"locked", {"locked", "锁定"}},
        {"class", {"class", "highway", "等级", "道路等级", "fclass", "type"}},
        {"layer", {"layer"}},
        {"bridge", {"bridge", "桥梁"}},
        {"tunnel", {"tunnel", "隧道"}},
        {"foot", {"foot"}},
        {"access", {"access"}},
        {"sidewalk", {"sidewalk"}},
        {"kind", {"kind", "railway", "waterway", "barrier", "type"}},
        {"capacity", {"capacity", "容量"}},
        {"building",
         {"building_id", "bldg_id", "building_ref", "建筑编号", "楼栋编号", "所属建筑"}},
        {"cost", {"cost", "费用", "成本"}},
        {"address", {"address", "addr", "地址", "详细地址", "门牌地址"}},
    };
    static const std::vector<std::string> grid_code_of_grids{
        "grid_code", "code", "网格编码", "网格代码", "编码"};
    if (field_role == "grid_code" && role == Role::grids) {
        return grid_code_of_grids;
    }
    static const std::vector<std::string> facility_type{
        "type", "类型", "amenity", "social_facility", "sub_type", "main_type", "用途"};
    if (field_role == "type" && sites) {
        return facility_type;
    }
    return table.at(field_role);
}

OsmDefault osm_default(Role role) {
    switch (role) {
        case Role::streets:
            return {"multipolygons", {{"boundary", {"administrative"}}, {"admin_level", {"8"}}}};
        case Role::communities:
            return {"multipolygons",
                    {{"boundary", {"administrative"}}, {"admin_level", {"9", "10"}}}};
        case Role::buildings:
            return {"multipolygons", {{"building", {"*"}}}};
        case Role::roads:
            return {"lines", {{"highway", {"*"}}}};
        case Role::barriers:
            return {"lines", {{"railway", {"rail", "light_rail", "narrow_gauge"}}}};
        case Role::entrances:
            return {"points", {{"entrance", {"*"}}}};
        case Role::exclusions:
            return {"multipolygons", {}};  // give a `where`, e.g. {"natural": ["water"]}
        case Role::landuse:
            return {"multipolygons", {{"landuse", {"residential"}}}};
        case Role::grids:
        case Role::facilities:
        case Role::candidates:
        case Role::events:
            break;
    }
    return {"points", {}};
}

std::string where_text(const Where& where) {
    std::string out;
    for (const auto& [k, vs] : where) {
        std::string alts;
        for (const auto& v : vs) {
            alts += (alts.empty() ? "" : "|") + v;
        }
        out += (out.empty() ? "" : " AND ") + k + "=" + alts;
    }
    return out;
}

}  // namespace gridplan::io::detail
