#include "io/classify.hpp"

#include <array>
#include <set>

#include "core/text.hpp"

namespace gridplan::io {
namespace {

using core::ascii_lower;
using core::trim;

bool foot_allowed(const std::string& foot) {
    return foot == "yes" || foot == "designated" || foot == "permissive";
}

bool contains_any(const std::string& lower, const std::set<std::string>& words) {
    for (const auto& w : words) {
        if (lower.find(w) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

bool osm_walkable(const RoadTags& tags) {
    static const std::set<std::string> walkable{
        "footway",   "path",           "pedestrian",   "steps",        "living_street",
        "residential", "service",      "unclassified", "tertiary",     "tertiary_link",
        "secondary", "secondary_link", "primary",      "primary_link", "track",
        "corridor",  "cycleway",       "road"};
    const std::string cls = ascii_lower(trim(tags.road_class));
    const std::string foot = ascii_lower(trim(tags.foot));
    const std::string access = ascii_lower(trim(tags.access));
    const std::string sidewalk = ascii_lower(trim(tags.sidewalk));
    if (foot == "no") {
        return false;
    }
    if ((access == "private" || access == "no") && !foot_allowed(foot)) {
        return false;
    }
    if (walkable.count(cls) != 0) {
        return true;
    }
    if (cls == "trunk" || cls == "trunk_link") {
        const bool has_sidewalk = !sidewalk.empty() && sidewalk != "no" && sidewalk != "none" && sidewalk != "separate";
        return has_sidewalk || foot_allowed(foot);
    }
    // motorway(_link), construction, proposed and every unknown value: only with explicit foot access.
    if (cls == "motorway" || cls == "motorway_link" || cls == "construction" || cls == "proposed") {
        return false;
    }
    return foot_allowed(foot);
}

bool mapped_walkable(const RoadTags& tags, const std::map<std::string, bool>& road_classes) {
    const std::string foot = ascii_lower(trim(tags.foot));
    const std::string access = ascii_lower(trim(tags.access));
    if (foot == "no") {
        return false;
    }
    if ((access == "private" || access == "no") && !foot_allowed(foot)) {
        return false;
    }
    const std::string cls = trim(tags.road_class);
    auto it = road_classes.find(cls);
    if (it == road_classes.end()) {
        it = road_classes.find(ascii_lower(cls));
    }
    if (it != road_classes.end()) {
        return it->second || foot_allowed(foot);
    }
    return true;
}

bool is_non_residential_type(const std::string& type) {
    static const std::set<std::string> exact{
        "school",     "hospital",   "commercial", "industrial", "office",      "retail",
        "warehouse",  "church",     "temple",     "mosque",     "university",  "college",
        "kindergarten", "public",   "civic",      "government", "train_station", "transportation",
        "garage",     "garages",    "parking",    "hangar",     "shed",        "roof",
        "factory",    "manufacture", "supermarket", "hotel",    "service",     "sports_centre",
        "stadium",    "sports_hall", "barn",      "farm_auxiliary", "greenhouse", "kiosk",
        "toilets",    "transformer_tower", "water_tower", "bridge", "ruins",   "construction",
        "chapel",     "cathedral",  "shrine",     "museum",     "fire_station", "police",
        "clinic",     "enterprise", "park",       "carport",    "bunker",      "storage_tank",
        "silo",       "gatehouse",  "grandstand", "pavilion",   "digester",    "presbytery"};
    static const std::set<std::string> cjk{"学校", "医院", "商业", "工业", "办公", "厂", "仓库",
                                           "大学", "幼儿园", "小学", "中学", "企业", "公园",
                                           "商场", "酒店", "宾馆", "车库", "停车", "寺", "教堂",
                                           "政府", "机关", "体育", "卫生院", "诊所"};
    const std::string lower = ascii_lower(trim(type));
    if (lower.empty()) {
        return false;
    }
    return exact.count(lower) != 0 || contains_any(lower, cjk);
}

bool is_dedicated_type(const std::string& type) {
    static const std::set<std::string> exact{"school",     "hospital", "university", "college",
                                             "kindergarten", "enterprise", "park", "clinic"};
    static const std::set<std::string> cjk{"学校", "医院", "大学", "学院", "幼儿园", "小学",
                                           "中学", "企业", "公园", "卫生院"};
    const std::string lower = ascii_lower(trim(type));
    if (lower.empty()) {
        return false;
    }
    return exact.count(lower) != 0 || contains_any(lower, cjk);
}

std::optional<bool> parse_flag(const std::string& text) {
    const std::string t = ascii_lower(trim(text));
    static const std::set<std::string> yes{"yes", "true", "1", "y", "t", "是", "viaduct", "aqueduct",
                                           "boardwalk", "covered", "building_passage", "culvert",
                                           "cantilever", "movable", "avalanche_protector"};
    static const std::set<std::string> no{"no", "false", "0", "n", "f", "否", ""};
    if (yes.count(t) != 0) {
        return true;
    }
    if (no.count(t) != 0) {
        return false;
    }
    return std::nullopt;
}

core::FacilityKind facility_kind(const std::string& type, const std::string& name,
                                 const std::map<std::string, core::FacilityKind>& table) {
    const std::string t = trim(type);
    if (auto it = table.find(t); it != table.end()) {
        return it->second;
    }
    if (auto it = table.find(ascii_lower(t)); it != table.end()) {
        return it->second;
    }
    // Chinese source data often carry the kind only in the name ("北太平庄街道党群服务中心").
    const core::FacilityKind by_name[] = {core::FacilityKind::service_centre, core::FacilityKind::warm_station};
    for (const auto wanted : by_name) {
        for (const auto& [key, kind] : table) {
            const bool non_ascii = !key.empty() && static_cast<unsigned char>(key.front()) >= 0x80;
            if (kind == wanted && non_ascii && (name.find(key) != std::string::npos ||
                                                 t.find(key) != std::string::npos)) {
                return kind;
            }
        }
    }
    return core::FacilityKind::other;
}

}  // namespace gridplan::io
