#include "output/schema.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"

namespace gridplan::output {
namespace {

constexpr FieldType kInt = FieldType::integer;
constexpr FieldType kReal = FieldType::real;
constexpr FieldType kStr = FieldType::string;

Layer make(std::string name,
           std::string title_zh,
           std::string group,
           GeometryType geometry,
           std::vector<FieldDef> fields) {
    Layer layer;
    layer.name = std::move(name);
    layer.title_zh = std::move(title_zh);
    layer.group = std::move(group);
    layer.geometry_type = geometry;
    layer.fields = std::move(fields);
    return layer;
}

Layer streets() {
    return make("streets",
                "街道",
                "Admin",
                GeometryType::polygon,
                {
                    {"id", kStr, "source id", "源数据编号"},
                    {"code", kStr, "street code (9 digits)", "街道代码"},
                    {"name", kStr, "street name", "街道名称"},
                    {"area_m2", kReal, "area (m²)", "面积（平方米）"},
                    {"n_comm", kInt, "communities", "社区数"},
                    {"n_grids", kInt, "grids", "网格数"},
                    {"buildings", kInt, "buildings", "建筑数"},
                    {"households", kInt, "households", "户数"},
                    {"population", kInt, "population", "人口"},
                });
}

Layer communities() {
    return make("communities",
                "社区",
                "Admin",
                GeometryType::polygon,
                {
                    {"id", kStr, "source id", "源数据编号"},
                    {"code", kStr, "community code (12 digits)", "社区代码"},
                    {"name", kStr, "community name", "社区名称"},
                    {"st_code", kStr, "street code", "街道代码"},
                    {"st_name", kStr, "street name", "街道名称"},
                    {"area_m2", kReal, "area (m²)", "面积（平方米）"},
                    {"derived",
                     kInt,
                     "provisional, derived by gridplan (1 = yes)",
                     "临时社区（派生）"},
                    {"n_grids", kInt, "grids", "网格数"},
                    {"buildings", kInt, "buildings", "建筑数"},
                    {"households", kInt, "households", "户数"},
                    {"population", kInt, "population", "人口"},
                });
}

/// The nearest facility of a kind, by walking time: `sc_id`, `sc_name`, `sc_min` (buildings,
/// located points).
void add_nearest_fields(const FacilityKindInfo& kind, std::vector<FieldDef>& fields) {
    const std::string p{kind.prefix};
    const std::string zh{kind.name_zh};
    const std::string en{kind.name_en};
    fields.push_back({p + "_id", kStr, "nearest " + en + " id", "最近" + zh + "编号"});
    fields.push_back({p + "_name", kStr, "nearest " + en + " name", "最近" + zh + "名称"});
    fields.push_back(
        {p + "_min", kReal, "walking minutes to nearest " + en, "到最近" + zh + "步行分钟"});
}

Layer buildings() {
    std::vector<FieldDef> fields{
        {"id", kStr, "building id", "建筑编号"},
        {"name", kStr, "building name", "建筑名称"},
        {"type", kStr, "building type", "建筑类型"},
        {"comm_code", kStr, "community code", "社区代码"},
        {"comm_name", kStr, "community name", "社区名称"},
        {"st_code", kStr, "street code", "街道代码"},
        {"st_name", kStr, "street name", "街道名称"},
        {"grid_code", kStr, "grid code", "网格编码"},
        {"group_code", kStr, "building group code", "楼栋党小组编码"},
        {"households", kInt, "households", "户数"},
        {"population", kInt, "population", "人口"},
        {"hh_est", kInt, "households estimated (1 = yes)", "户数为估算值"},
        {"pop_est", kInt, "population estimated (1 = yes)", "人口为估算值"},
        {"floors", kReal, "floors", "层数"},
        {"area_m2", kReal, "footprint area (m²)", "占地面积（平方米）"},
        {"dedicated", kInt, "dedicated unit (1 = own grid)", "专属网格单位"},
        {"outside", kInt, "outside every community, in no grid (1 = yes)", "不在任何社区内"},
    };
    for (const auto& kind : kFacilityKinds) {
        add_nearest_fields(kind, fields);
        const std::string p{kind.prefix};
        const std::string zh{kind.name_zh};
        const std::string en{kind.name_en};
        fields.push_back({p + "_n15", kInt, en + "s within 15 min", "15分钟内" + zh + "数"});
        for (const int minutes : kCoverageThresholdsMin) {
            const std::string m = std::to_string(minutes);
            fields.push_back({p + "_c" + m,
                              kInt,
                              "covered by " + en + " within " + m + " min",
                              m + "分钟覆盖（" + zh + "）"});
        }
    }
    return make("buildings", "建筑", "Coverage", GeometryType::polygon, std::move(fields));
}

Layer grids() {
    return make(
        "grids",
        "网格",
        "Grids",
        GeometryType::polygon,
        {
            {"code", kStr, "grid code (15 digits)", "网格编码"},
            {"comm_code", kStr, "community code", "社区代码"},
            {"comm_name", kStr, "community name", "社区名称"},
            {"st_code", kStr, "street code", "街道代码"},
            {"st_name", kStr, "street name", "街道名称"},
            {"households", kInt, "households", "户数"},
            {"population", kInt, "population", "人口"},
            {"buildings", kInt, "buildings", "建筑数"},
            {"area_m2", kReal, "area (m²)", "面积（平方米）"},
            {"polsby_pp", kReal, "compactness (Polsby-Popper)", "紧凑度（Polsby-Popper）"},
            {"blk_split", kInt, "road blocks split", "被拆分街区数"},
            {"in_band", kInt, "households within band (1 = yes)", "户数在规定区间内"},
            {"target", kReal, "target households", "目标户数"},
            {"deviation", kReal, "deviation from target (%)", "与目标户数偏差（%）"},
            {"hh_est", kInt, "contains estimated households (1 = yes)", "含估算户数"},
            {"dedicated", kInt, "dedicated grid (1 = yes)", "专属网格"},
            {"status",
             kStr,
             "band status (in_band, below, above, dedicated, infeasible)",
             "户数区间状态"},
            {"derived", kInt, "community is provisional, derived (1 = yes)", "临时社区（派生）"},
            {"leader", kInt, "grid leader", "网格长"},
            {"instructor", kInt, "grid instructor", "网格指导员"},
            {"worker", kInt, "full-time grid worker", "专职网格员"},
            {"n_part", kInt, "part-time workers and volunteers (N)", "兼职网格员及志愿者（N）"},
        });
}

Layer building_groups() {
    return make("building_groups",
                "楼栋党小组",
                "Grids",
                GeometryType::polygon,
                {
                    {"code", kStr, "building group code (17 digits)", "楼栋党小组编码"},
                    {"seq", kInt, "sequence in the grid", "组内序号"},
                    {"grid_code", kStr, "grid code", "网格编码"},
                    {"comm_code", kStr, "community code", "社区代码"},
                    {"comm_name", kStr, "community name", "社区名称"},
                    {"st_code", kStr, "street code", "街道代码"},
                    {"st_name", kStr, "street name", "街道名称"},
                    {"households", kInt, "households", "户数"},
                    {"population", kInt, "population", "人口"},
                    {"buildings", kInt, "buildings", "建筑数"},
                    {"area_m2", kReal, "area (m²)", "面积（平方米）"},
                    {"in_band", kInt, "within the group band (1 = yes)", "规模在规定区间内"},
                    {"standalone",
                     kInt,
                     "own group: one unit above the band, or a dedicated grid (1 = yes)",
                     "单独成组"},
                    {"bldg_head", kStr, "building head (to fill in)", "楼栋长"},
                });
}

Layer grid_boundaries() {
    return make(
        "grid_boundaries",
        "网格边界",
        "Grids",
        GeometryType::line,
        {
            {"left_grid", kStr, "grid code on the left", "左侧网格编码"},
            {"right_grid", kStr, "grid code on the right (empty: outer edge)", "右侧网格编码"},
            {"follows_rd", kInt, "follows a road (1 = yes)", "沿道路"},
            {"length_m", kReal, "length (m)", "长度（米）"},
        });
}

Layer facilities() {
    return make(
        "facilities",
        "服务设施",
        "Coverage",
        GeometryType::point,
        {
            {"id", kStr, "facility id", "设施编号"},
            {"name", kStr, "facility name", "设施名称"},
            {"kind", kStr, "facility kind", "设施类别"},
            {"type", kStr, "source type", "原始类型"},
            {"comm_code", kStr, "community code (where it stands)", "所在社区代码"},
            {"comm_name", kStr, "community name", "所在社区名称"},
            {"grid_code", kStr, "grid code (where it stands)", "所在网格编码"},
            {"capacity", kReal, "capacity", "服务容量"},
            {"snapped", kInt, "reached from the walking network (1 = yes)", "已接入步行路网"},
            {"snap_m", kReal, "distance to the walking network (m)", "接入路网距离（米）"},
        });
}

Layer service_circles() {
    return make("service_circles",
                "服务圈",
                "Coverage",
                GeometryType::polygon,
                {
                    {"fac_id", kStr, "facility id (all = dissolved)", "设施编号（all 为合并）"},
                    {"fac_name", kStr, "facility name", "设施名称"},
                    {"kind", kStr, "facility kind", "设施类别"},
                    {"minutes", kInt, "walking minutes", "步行分钟"},
                    {"profile", kStr, "walking profile", "步行人群"},
                    {"speed_kmh", kReal, "walking speed (km/h)", "步行速度（公里/小时）"},
                    {"area_m2", kReal, "area (m²)", "面积（平方米）"},
                });
}

Layer coverage_gaps() {
    return make("coverage_gaps",
                "覆盖缺口",
                "Coverage",
                GeometryType::polygon,
                {
                    {"rank", kInt, "rank (1 = most residents)", "排序"},
                    {"kind", kStr, "facility kind", "设施类别"},
                    {"minutes", kInt, "walking minutes", "步行分钟"},
                    {"population", kInt, "residents not covered", "未覆盖人口"},
                    {"households", kInt, "households not covered", "未覆盖户数"},
                    {"buildings", kInt, "buildings not covered", "未覆盖建筑数"},
                    {"area_m2", kReal, "area (m²)", "面积（平方米）"},
                });
}

Layer coverage_stats() {
    return make(
        "coverage_stats",
        "覆盖统计",
        "Coverage",
        GeometryType::none,
        {
            {"level", kStr, "level (grid, community, street, all)", "统计层级"},
            {"code", kStr, "area code", "区域编码"},
            {"name", kStr, "area name", "区域名称"},
            {"derived", kInt, "provisional, derived community (1 = yes)", "临时社区（派生）"},
            {"kind", kStr, "facility kind", "设施类别"},
            {"minutes", kInt, "walking minutes", "步行分钟"},
            {"profile", kStr, "walking profile", "步行人群"},
            {"buildings", kInt, "buildings", "建筑数"},
            {"bldg_cov", kInt, "buildings covered", "覆盖建筑数"},
            {"bldg_pct", kReal, "buildings covered (%)", "建筑覆盖率（%）"},
            {"households", kInt, "households", "户数"},
            {"hh_cov", kInt, "households covered", "覆盖户数"},
            {"hh_pct", kReal, "households covered (%)", "户数覆盖率（%）"},
            {"population", kInt, "residents", "人口"},
            {"pop_cov", kInt, "residents covered", "覆盖人口"},
            {"pop_pct", kReal, "residents covered (%)", "人口覆盖率（%）"},
            {"street_km", kReal, "walkable street length (km)", "步行道路长度（公里）"},
            {"st_km_cov", kReal, "street length within reach (km)", "覆盖道路长度（公里）"},
            {"st_km_pct", kReal, "street length within reach (%)", "道路覆盖率（%）"},
            {"double_pct", kReal, "residents covered twice or more (%)", "交叉覆盖人口比例（%）"},
            {"euclid_pct",
             kReal,
             "residents covered by straight-line distance (%)",
             "直线距离覆盖率（%）"},
            {"scenario", kStr, "today, or after_siting (with the proposed sites open)", "情景"},
        });
}

Layer proposed_sites() {
    return make("proposed_sites",
                "建议选址",
                "Siting",
                GeometryType::point,
                {
                    {"rank", kInt, "rank (order of selection)", "选址顺序"},
                    {"cand_id", kStr, "candidate id", "候选点编号"},
                    {"name", kStr, "candidate name", "候选点名称"},
                    {"type", kStr, "candidate type", "候选点类型"},
                    {"address", kStr, "address", "地址"},
                    {"road", kStr, "nearest named road (A / B: intersection)", "所在道路"},
                    {"comm_code", kStr, "community code", "社区代码"},
                    {"comm_name", kStr, "community name", "社区名称"},
                    {"grid_code", kStr, "grid code", "网格编码"},
                    {"lon", kReal, "longitude (WGS84)", "经度（WGS84）"},
                    {"lat", kReal, "latitude (WGS84)", "纬度（WGS84）"},
                    {"kind", kStr, "facility kind", "设施类别"},
                    {"gain", kReal, "newly covered, in `weight` units (marginal gain)", "新增覆盖量"},
                    {"cum_cov", kReal, "covered, in `weight` units (cumulative)", "累计覆盖量"},
                    {"cum_pct", kReal, "share of the weight covered (cumulative %)", "累计覆盖率（%）"},
                    {"incumbent", kReal, "objective of the chosen set", "方案目标值"},
                    {"bound", kReal, "proven upper bound of the objective", "目标值上界"},
                    {"gap_pct", kReal, "optimality gap (%)", "最优性差距（%）"},
                    {"weight", kStr, "unit of gain and cum_cov (residents, households, buildings, street_m)",
                     "覆盖量单位"},
                });
}

Layer redraw_diff() {
    return make("redraw_diff",
                "网格调整",
                "Grids",
                GeometryType::polygon,
                {
                    {"bldg_id", kStr, "building id", "建筑编号"},
                    {"bldg_name", kStr, "building name", "建筑名称"},
                    {"from_grid", kStr, "grid code before", "原网格编码"},
                    {"to_grid", kStr, "grid code after", "新网格编码"},
                    {"households", kInt, "households", "户数"},
                    {"population", kInt, "population", "人口"},
                });
}

Layer redraw_grids() {
    return make("redraw_grids",
                "网格调整对照",
                "Grids",
                GeometryType::none,
                {
                    {"code", kStr, "grid code", "网格编码"},
                    {"comm_code", kStr, "community code", "社区代码"},
                    {"comm_name", kStr, "community name", "社区名称"},
                    {"status", kStr, "status (kept, changed, new, retired)", "调整状态"},
                    {"hh_before", kInt, "households before", "调整前户数"},
                    {"hh_after", kInt, "households after", "调整后户数"},
                    {"bld_before", kInt, "buildings before", "调整前建筑数"},
                    {"bld_after", kInt, "buildings after", "调整后建筑数"},
                    {"moved_in", kInt, "buildings moved in", "调入建筑数"},
                    {"moved_out", kInt, "buildings moved out", "调出建筑数"},
                    {"band_bef", kInt, "in band before", "调整前户数达标"},
                    {"band_aft", kInt, "in band after", "调整后户数达标"},
                });
}

Layer ledger() {
    return make("ledger",
                "数据问题台账",
                "Data issues",
                GeometryType::point,
                {
                    {"layer", kStr, "layer", "图层"},
                    {"source_id", kStr, "source feature id", "源要素编号"},
                    {"reason", kStr, "reason code", "原因代码"},
                    {"action", kStr, "action (repaired, skipped, warned)", "处理方式"},
                    {"detail", kStr, "detail", "详情"},
                });
}

/// `gridplan locate`: one row per point located.
Layer located() {
    std::vector<FieldDef> fields{
        {"id", kStr, "point id", "点位编号"},
        {"name", kStr, "point name", "点位名称"},
        {"status",
         kStr,
         "where it fell (grid, community, street, outside)",
         "落点状态"},
        {"grid_code", kStr, "grid code", "网格编码"},
        {"group_code", kStr, "building group code (drawn grids)", "楼栋党小组编码（新划网格）"},
        {"comm_code", kStr, "community code", "社区代码"},
        {"comm_name", kStr, "community name", "社区名称"},
        {"st_code", kStr, "street code", "街道代码"},
        {"st_name", kStr, "street name", "街道名称"},
        {"bldg_id", kStr, "building the point stands on", "所在建筑编号"},
        {"leader", kInt, "grid leader", "网格长"},
        {"instructor", kInt, "grid instructor", "网格指导员"},
        {"worker", kInt, "full-time grid worker", "专职网格员"},
        {"n_part", kInt, "part-time workers and volunteers (N)", "兼职网格员及志愿者（N）"},
        {"snap_m", kReal, "walk to the nearest street (m)", "到最近可步行道路距离（米）"},
    };
    for (const auto& kind : kFacilityKinds) {
        add_nearest_fields(kind, fields);
    }
    fields.push_back({"lon", kReal, "longitude (WGS84)", "经度（WGS84）"});
    fields.push_back({"lat", kReal, "latitude (WGS84)", "纬度（WGS84）"});
    return make("located", "事件定位", "Grids", GeometryType::point, std::move(fields));
}

std::vector<Layer> build_all() {
    std::vector<Layer> all{ledger(),
                           located(),
                           proposed_sites(),
                           facilities(),
                           coverage_gaps(),
                           service_circles(),
                           buildings(),
                           redraw_diff(),
                           grid_boundaries(),
                           building_groups(),
                           grids(),
                           communities(),
                           streets(),
                           coverage_stats(),
                           redraw_grids()};
    for (std::size_t i = 0; i < all.size(); ++i) {
        core::require_invariant(all[i].name == kLayerNames[i], "schema order != kLayerNames");
    }
    return all;
}

}  // namespace

std::span<const Layer> schemas() {
    static const std::vector<Layer> all = build_all();
    return all;
}

const Layer& schema(std::string_view layer) {
    for (const Layer& candidate : schemas()) {
        if (candidate.name == layer) {
            return candidate;
        }
    }
    throw core::Error{core::Errc::internal,
                      "looking up output schema '" + std::string{layer} + "': no such layer"};
}

Layer make_layer(std::string_view layer) {
    return schema(layer);
}

std::size_t field_index(const Layer& layer, std::string_view field) {
    const auto it = std::find_if(layer.fields.begin(),
                                 layer.fields.end(),
                                 [&](const FieldDef& def) { return def.name == field; });
    if (it == layer.fields.end()) {
        throw core::Error{core::Errc::internal,
                          "looking up field '" + std::string{field} + "' of output layer '" +
                              layer.name + "': no such field"};
    }
    return static_cast<std::size_t>(it - layer.fields.begin());
}

std::vector<Value> blank_row(const Layer& layer) {
    return std::vector<Value>(layer.fields.size());
}

void set_value(const Layer& layer, std::vector<Value>& row, std::string_view field, Value value) {
    core::require_invariant(row.size() == layer.fields.size(), "output row width != field count");
    row[field_index(layer, field)] = std::move(value);
}

std::string field_alias(const FieldDef& field) {
    if (field.alias_zh.empty()) {
        return field.alias_en;
    }
    if (field.alias_en.empty()) {
        return field.alias_zh;
    }
    return field.alias_zh + " " + field.alias_en;
}

}  // namespace gridplan::output
