#include "io/read.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <unistd.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geom/crs.hpp"
#include "geom/gcj02.hpp"
#include "geom/repair.hpp"
#include "io/classify.hpp"
#include "io/text.hpp"

namespace gridplan::io {
namespace {

using core::Action;
using core::ascii_lower;
using core::is_valid_utf8;
using core::repair_utf8;
using core::trim;
using core::Errc;
using core::Error;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// GDAL set-up and error capture

std::string make_private_tmpdir() {
    std::string templ = (std::filesystem::temp_directory_path() / "gridplan-gdal-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
        return std::filesystem::temp_directory_path().string();
    }
    return templ;  // mkdtemp creates it with mode 0700
}

void init_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        OSRSetPROJEnableNetwork(FALSE);
        static const std::string tmpdir = make_private_tmpdir();
        CPLSetConfigOption("CPL_TMPDIR", tmpdir.c_str());      // OSM driver temp database
        // The OSM driver deletes its files when a dataset closes; the directory goes at exit.
        if (tmpdir != std::filesystem::temp_directory_path().string()) {
            std::atexit([] {
                std::error_code ignored;
                std::filesystem::remove_all(tmpdir, ignored);
            });
        }
        CPLSetConfigOption("OSM_MAX_TMPFILE_SIZE", "256");      // MB kept in RAM before spilling
        CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "200");  // MB per GeoJSON object (F9)
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
        CPLSetConfigOption("GDAL_HTTP_CONNECTTIMEOUT", "1");
        CPLSetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "NO");
    });
    geom::init_proj_context();
}

/// RAII: while alive, GDAL messages are collected instead of printed.
class GdalErrorScope {
public:
    GdalErrorScope() { CPLPushErrorHandlerEx(&GdalErrorScope::handler, this); }
    ~GdalErrorScope() { CPLPopErrorHandler(); }
    GdalErrorScope(const GdalErrorScope&) = delete;
    GdalErrorScope& operator=(const GdalErrorScope&) = delete;
    GdalErrorScope(GdalErrorScope&&) = delete;
    GdalErrorScope& operator=(GdalErrorScope&&) = delete;

    /// Messages since the last drain (warnings and errors).
    std::vector<std::string> drain() { return std::exchange(messages_, {}); }
    [[nodiscard]] std::string last_failure() const { return last_failure_; }

    /// What GDAL's OSM driver dropped for want of data outside a clipped extract. It says so only
    /// in debug messages (CPL_DEBUG=OSM, set by OsmDebugScope); counted here (catalogue F10).
    struct OsmDropped {
        std::size_t relations = 0;  ///< relations with member ways missing from the file
        std::size_t ways = 0;       ///< ways with fewer than 2 of their nodes in the file
    };
    [[nodiscard]] OsmDropped osm_dropped() const { return osm_dropped_; }

private:
    static void CPL_STDCALL handler(CPLErr level, CPLErrorNum /*num*/, const char* msg) {
        auto* self = static_cast<GdalErrorScope*>(CPLGetErrorHandlerUserData());
        const std::string text = msg != nullptr ? msg : "";
        if (level == CE_Debug) {
            if (text.find("has missing ways. Ignoring it") != std::string::npos) {
                ++self->osm_dropped_.relations;
            } else if (text.find("nodes that could be found. Discarding it") != std::string::npos) {
                ++self->osm_dropped_.ways;
            }
            return;
        }
        if (level >= CE_Failure) {
            self->last_failure_ = text;
        }
        if (level >= CE_Warning) {
            self->messages_.push_back(text);
        }
    }

    std::vector<std::string> messages_;
    std::string last_failure_;
    OsmDropped osm_dropped_;
};

struct DatasetCloser {
    void operator()(GDALDataset* ds) const noexcept { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

DatasetPtr open_dataset(const std::filesystem::path& path, const std::vector<std::string>& open_options,
                        GdalErrorScope& errors) {
    check_input_path(path);
    static const char* const allowed[] = {"GeoJSON", "ESRI Shapefile", "GPKG", "OSM", nullptr};
    CPLStringList oo;
    for (const auto& o : open_options) {
        oo.AddString(o.c_str());
    }
    auto* ds = static_cast<GDALDataset*>(GDALOpenEx(path.c_str(),
                                                    GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                                                    allowed, oo.List(), nullptr));
    if (ds == nullptr) {
        const std::string why = errors.last_failure();
        throw Error{Errc::io, "opening input '" + path.string() + "': " +
                                  (why.empty() ? "not a GeoJSON, Shapefile, GeoPackage or OSM file" : why)};
    }
    DatasetPtr owned{ds};
    const char* driver = ds->GetDriver() != nullptr ? ds->GetDriver()->GetDescription() : "";
    const std::set<std::string> ok{"GeoJSON", "ESRI Shapefile", "GPKG", "OSM"};
    if (ok.count(driver) == 0) {
        throw Error{Errc::io, "opening input '" + path.string() + "': driver '" + driver +
                                  "' is not allowed (GeoJSON, ESRI Shapefile, GPKG, OSM only)"};
    }
    // GDAL opens a .shp without its .dbf as geometry only: every attribute (ids, households,
    // names) would silently be missing (catalogue F5). GDAL itself refuses a missing .shx.
    if (std::string_view(driver) == "ESRI Shapefile" && std::filesystem::is_regular_file(path)) {
        auto sibling = [&](const char* ext) { return std::filesystem::path(path).replace_extension(ext); };
        if (!std::filesystem::exists(sibling(".dbf")) && !std::filesystem::exists(sibling(".DBF"))) {
            throw Error{Errc::io, "opening input '" + path.string() + "': its attribute file '" +
                                      sibling(".dbf").filename().string() +
                                      "' is missing (a Shapefile is .shp, .shx and .dbf side by side; copy all three)"};
        }
    }
    return owned;
}

// ---------------------------------------------------------------------------------------------
// Roles, field candidates, OSM defaults

enum class Shape { polygon, line, point };

struct RoleInfo {
    const char* name;
    Shape shape;
    std::vector<std::string> attributes;  // field roles read for this role
};

const RoleInfo& role_info(const std::string& role) {
    static const std::map<std::string, RoleInfo> roles{
        {"streets", {"streets", Shape::polygon, {"id", "name", "code"}}},
        {"communities", {"communities", Shape::polygon, {"id", "name", "code"}}},
        {"buildings",
         {"buildings", Shape::polygon,
          {"id", "name", "type", "households", "population", "floors", "grid_code", "locked"}}},
        {"roads",
         {"roads", Shape::line, {"id", "name", "class", "layer", "bridge", "tunnel", "foot", "access", "sidewalk"}}},
        {"barriers", {"barriers", Shape::line, {"id", "name", "kind", "tunnel"}}},
        {"grids", {"grids", Shape::polygon, {"id", "name", "grid_code"}}},
        {"facilities", {"facilities", Shape::point, {"id", "name", "type", "capacity"}}},
        {"entrances", {"entrances", Shape::point, {"id", "building"}}},
        {"candidates", {"candidates", Shape::point, {"id", "name", "type", "capacity", "cost"}}},
        {"exclusions", {"exclusions", Shape::polygon, {"id", "name"}}},
    };
    return roles.at(role);
}

const std::vector<std::string>& candidates_for(const std::string& field_role, const std::string& role,
                                               bool is_osm = false) {
    // OSM layers have a `type` field that is the relation type ("multipolygon"): use the tags.
    static const std::vector<std::string> osm_building_type{"building"};
    static const std::vector<std::string> osm_facility_type{"amenity", "social_facility", "office", "shop",
                                                            "tourism"};
    static const std::vector<std::string> osm_class{"highway"};
    static const std::vector<std::string> osm_kind{"railway", "waterway", "barrier"};
    if (is_osm) {
        if (field_role == "type" && role == "buildings") {
            return osm_building_type;
        }
        if (field_role == "type" && (role == "facilities" || role == "candidates")) {
            return osm_facility_type;
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
        {"type", {"type", "类型", "building", "amenity", "social_facility", "main_type", "sub_type", "用途"}},
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
        {"building", {"building_id", "bldg_id", "building_ref", "建筑编号", "楼栋编号", "所属建筑"}},
        {"cost", {"cost", "费用", "成本"}},
    };
    static const std::vector<std::string> grid_code_of_grids{"grid_code", "code", "网格编码", "网格代码", "编码"};
    if (field_role == "grid_code" && role == "grids") {
        return grid_code_of_grids;
    }
    static const std::vector<std::string> facility_type{"type", "类型", "amenity", "social_facility", "sub_type",
                                                        "main_type", "用途"};
    if (field_role == "type" && (role == "facilities" || role == "candidates")) {
        return facility_type;
    }
    return table.at(field_role);
}

struct OsmDefault {
    std::string layer;
    std::map<std::string, std::vector<std::string>> where;
};

OsmDefault osm_default(const std::string& role) {
    if (role == "streets") {
        return {"multipolygons", {{"boundary", {"administrative"}}, {"admin_level", {"8"}}}};
    }
    if (role == "communities") {
        return {"multipolygons", {{"boundary", {"administrative"}}, {"admin_level", {"9", "10"}}}};
    }
    if (role == "buildings") {
        return {"multipolygons", {{"building", {"*"}}}};
    }
    if (role == "roads") {
        return {"lines", {{"highway", {"*"}}}};
    }
    if (role == "barriers") {
        return {"lines", {{"railway", {"rail", "light_rail", "narrow_gauge"}}}};
    }
    if (role == "entrances") {
        return {"points", {{"entrance", {"*"}}}};
    }
    if (role == "exclusions") {
        return {"multipolygons", {}};  // give a `where`, e.g. {"natural": ["water"]}
    }
    return {"points", {}};
}

std::string where_text(const std::map<std::string, std::vector<std::string>>& where) {
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

// ---------------------------------------------------------------------------------------------
// Raw features (source coordinates) and layers

struct RawFeature {
    std::int64_t index = 0;
    std::string id;  // "" when null
    std::map<std::string, std::string> values;  // field role -> raw text (present values only)
    std::vector<std::string> invalid_utf8;      // field roles whose text was repaired
    bool null_geometry = false;
    bool empty_geometry = false;
    bool curve = false;
    bool z_or_m = false;
    std::string geometry_type;
    std::vector<std::vector<std::vector<core::Point>>> polygons;  // polygon -> rings -> points
    std::vector<std::vector<core::Point>> lines;
    std::vector<core::Point> points;
    std::vector<std::string> gdal_messages;
};

struct RawLayer {
    std::string role;
    const LayerSource* source = nullptr;
    std::size_t source_number = 0;  // index among the role's sources (facilities)
    bool is_osm = false;
    std::size_t osm_dropped_relations = 0;  // relations GDAL dropped (missing member ways)
    std::size_t osm_dropped_ways = 0;       // ways GDAL dropped (fewer than 2 nodes present)
    core::LayerReport report;
    std::optional<geom::Crs> crs;
    std::vector<RawFeature> features;
    std::vector<std::string> layer_messages;
    bool guessed_encoding = false;
    std::optional<geom::GeoBox> geo_box;
};

int find_field(OGRFeatureDefn* defn, const std::string& name) {
    const int n = defn->GetFieldCount();
    for (int i = 0; i < n; ++i) {
        if (name == defn->GetFieldDefn(i)->GetNameRef()) {
            return i;
        }
    }
    const std::string lower = ascii_lower(name);
    for (int i = 0; i < n; ++i) {
        if (lower == ascii_lower(defn->GetFieldDefn(i)->GetNameRef())) {
            return i;
        }
    }
    return -1;
}

std::string field_list(OGRFeatureDefn* defn) {
    std::string out;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        out += (i == 0 ? "" : ", ") + std::string{defn->GetFieldDefn(i)->GetNameRef()};
    }
    return out;
}

/// How each field role is read from one layer.
struct FieldPlan {
    std::map<std::string, int> direct;                             // role -> field index
    std::map<std::string, std::vector<std::string>> osm_tags;      // role -> tag keys to try
    int other_tags = -1;
    int osm_id = -1;
    int osm_way_id = -1;
};

FieldPlan plan_fields(const RawLayer& raw, OGRFeatureDefn* defn, const std::string& what) {
    FieldPlan plan;
    if (!raw.is_osm) {
        for (const auto& [key, values] : raw.source->where) {
            if (find_field(defn, key) < 0) {
                throw Error{Errc::usage, "reading " + what + ": 'where' key '" + key +
                                             "' is not a field of the layer (fields: " + field_list(defn) + ")"};
            }
        }
    }
    const auto& info = role_info(raw.role);
    if (raw.is_osm) {
        plan.other_tags = find_field(defn, "other_tags");
        plan.osm_id = find_field(defn, "osm_id");
        plan.osm_way_id = find_field(defn, "osm_way_id");
    }
    for (const auto& field_role : info.attributes) {
        if (auto it = raw.source->fields.find(field_role); it != raw.source->fields.end()) {
            const int idx = find_field(defn, it->second);
            if (idx >= 0) {
                plan.direct[field_role] = idx;
            } else if (raw.is_osm) {
                plan.osm_tags[field_role] = {it->second};
            } else {
                throw Error{Errc::usage, "reading " + what + ": field '" + it->second + "' (for '" + field_role +
                                             "') is not in the layer (fields: " + field_list(defn) + ")"};
            }
            continue;
        }
        if (raw.is_osm && field_role == "id") {
            continue;  // osm_id / osm_way_id, handled specially
        }
        bool found = false;
        for (const auto& cand : candidates_for(field_role, raw.role, raw.is_osm)) {
            const int idx = find_field(defn, cand);
            if (idx >= 0 && idx != plan.other_tags) {
                plan.direct[field_role] = idx;
                found = true;
                break;
            }
        }
        if (!found && raw.is_osm) {
            plan.osm_tags[field_role] = candidates_for(field_role, raw.role, raw.is_osm);
        }
    }
    return plan;
}

std::optional<std::string> field_text(OGRFeature& f, int idx) {
    if (idx < 0 || !f.IsFieldSetAndNotNull(idx)) {
        return std::nullopt;
    }
    return std::string{f.GetFieldAsString(idx)};
}

// Geometry extraction (source coordinates, no validation yet).
void extract_geometry(const OGRGeometry* g, RawFeature& out) {
    if (g == nullptr || g->IsEmpty()) {
        return;
    }
    const auto type = wkbFlatten(g->getGeometryType());
    auto read_curve = [](const OGRSimpleCurve* c) {
        std::vector<core::Point> pts;
        pts.reserve(static_cast<std::size_t>(c->getNumPoints()));
        for (int i = 0; i < c->getNumPoints(); ++i) {
            pts.emplace_back(c->getX(i), c->getY(i));
        }
        return pts;
    };
    switch (type) {
        case wkbPoint: {
            const auto* p = g->toPoint();
            out.points.emplace_back(p->getX(), p->getY());
            break;
        }
        case wkbLineString:
            out.lines.push_back(read_curve(g->toLineString()));
            break;
        case wkbPolygon: {
            const auto* poly = g->toPolygon();
            std::vector<std::vector<core::Point>> rings;
            if (poly->getExteriorRing() != nullptr) {
                rings.push_back(read_curve(poly->getExteriorRing()));
                for (int i = 0; i < poly->getNumInteriorRings(); ++i) {
                    rings.push_back(read_curve(poly->getInteriorRing(i)));
                }
            }
            out.polygons.push_back(std::move(rings));
            break;
        }
        case wkbMultiPoint:
        case wkbMultiLineString:
        case wkbMultiPolygon:
        case wkbGeometryCollection: {
            const auto* coll = g->toGeometryCollection();
            for (int i = 0; i < coll->getNumGeometries(); ++i) {
                extract_geometry(coll->getGeometryRef(i), out);
            }
            break;
        }
        default:
            break;  // unknown parts (e.g. TIN, polyhedral surface) are not read: wrong type
    }
}

void read_geometry(OGRFeature& f, RawFeature& raw) {
    const OGRGeometry* g = f.GetGeometryRef();
    if (g == nullptr) {
        raw.null_geometry = true;
        return;
    }
    raw.geometry_type = OGRGeometryTypeToName(g->getGeometryType());
    raw.z_or_m = g->Is3D() != 0 || g->IsMeasured() != 0;
    if (g->IsEmpty()) {
        raw.empty_geometry = true;
        return;
    }
    if (g->hasCurveGeometry(TRUE) != 0) {
        raw.curve = true;
        std::unique_ptr<OGRGeometry> linear{g->getLinearGeometry()};
        extract_geometry(linear.get(), raw);
    } else {
        extract_geometry(g, raw);
    }
    if (raw.polygons.empty() && raw.lines.empty() && raw.points.empty()) {
        raw.empty_geometry = true;
    }
}

bool where_matches(const std::map<std::string, std::vector<std::string>>& where, OGRFeature& f,
                   OGRFeatureDefn* defn, const std::map<std::string, std::string>* tags) {
    for (const auto& [key, allowed] : where) {
        std::optional<std::string> value;
        const int idx = find_field(defn, key);
        if (idx >= 0 && std::string{defn->GetFieldDefn(idx)->GetNameRef()} != "other_tags") {
            value = field_text(f, idx);
        } else if (tags != nullptr) {
            if (auto it = tags->find(key); it != tags->end()) {
                value = it->second;
            }
        }
        if (!value) {
            return false;
        }
        bool ok = false;
        for (const auto& a : allowed) {
            // "*" is any value except OSM's explicit negation: building=no is not a building.
            if ((a == "*" && *value != "no") || a == *value) {
                ok = true;
                break;
            }
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

/// Reads one feature into `raw` (attributes + geometry); false when the where filter rejects it.
bool ingest(RawLayer& layer, const FieldPlan& plan, const std::map<std::string, std::vector<std::string>>& where,
            OGRFeature& f, OGRFeatureDefn* defn) {
    std::map<std::string, std::string> tags;
    const bool need_tags = plan.other_tags >= 0 && (!plan.osm_tags.empty() || !where.empty());
    if (need_tags) {
        if (auto t = field_text(f, plan.other_tags)) {
            tags = parse_hstore(*t);
        }
    }
    if (!where_matches(where, f, defn, need_tags ? &tags : nullptr)) {
        return false;
    }
    RawFeature raw;
    raw.index = static_cast<std::int64_t>(layer.features.size());
    auto record = [&](const std::string& role, std::string text, const std::string& source_field) {
        if (!is_valid_utf8(text)) {
            text = repair_utf8(text);
            raw.invalid_utf8.push_back(role);
        }
        if (layer.report.fields_used.count(role) == 0) {
            layer.report.fields_used[role] = source_field;
        }
        raw.values[role] = std::move(text);
    };
    for (const auto& [role, idx] : plan.direct) {
        if (auto t = field_text(f, idx)) {
            record(role, *t, defn->GetFieldDefn(idx)->GetNameRef());
        }
    }
    for (const auto& [role, keys] : plan.osm_tags) {
        for (const auto& key : keys) {
            if (auto it = tags.find(key); it != tags.end()) {
                record(role, it->second, key);
                break;
            }
        }
    }
    if (layer.is_osm && layer.source->fields.count("id") == 0) {
        if (auto id = field_text(f, plan.osm_id)) {
            // osm_id is a node id in `points`, a way id in `lines`, a relation id elsewhere.
            raw.id = (layer.report.layer == "points" ? "n" : layer.report.layer == "lines" ? "w" : "r") + *id;
            layer.report.fields_used.emplace("id", "osm_id");
        } else if (auto way = field_text(f, plan.osm_way_id)) {
            raw.id = "w" + *way;
            layer.report.fields_used.emplace("id", "osm_way_id");
        }
    } else if (auto it = raw.values.find("id"); it != raw.values.end()) {
        raw.id = trim(it->second);
    }
    read_geometry(f, raw);
    layer.features.push_back(std::move(raw));
    return true;
}

// Shapefile encoding: true when every string field of every feature is valid UTF-8.
bool all_strings_utf8(OGRLayer* layer) {
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    std::vector<int> string_fields;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        if (defn->GetFieldDefn(i)->GetType() == OFTString) {
            string_fields.push_back(i);
        }
    }
    layer->ResetReading();
    bool ok = true;
    while (ok) {
        std::unique_ptr<OGRFeature> f{layer->GetNextFeature()};
        if (!f) {
            break;
        }
        for (const int i : string_fields) {
            if (f->IsFieldSetAndNotNull(i) && !is_valid_utf8(f->GetFieldAsString(i))) {
                ok = false;
                break;
            }
        }
    }
    layer->ResetReading();
    return ok;
}

OGRLayer* select_layer(GDALDataset& ds, const std::string& name, const std::filesystem::path& path) {
    const int n = ds.GetLayerCount();
    auto available = [&] {
        std::string out;
        for (int i = 0; i < n; ++i) {
            out += (i == 0 ? "" : ", ") + std::string{ds.GetLayer(i)->GetName()};
        }
        return out;
    };
    if (n == 0) {
        throw Error{Errc::io, "reading '" + path.string() + "': the file has no layers"};
    }
    if (name.empty()) {
        if (n > 1) {
            throw Error{Errc::io, "reading '" + path.string() + "': the file has " + std::to_string(n) +
                                      " layers; name one with \"layer\" (available: " + available() + ")"};
        }
        return ds.GetLayer(0);
    }
    OGRLayer* layer = ds.GetLayerByName(name.c_str());
    if (layer == nullptr) {
        throw Error{Errc::io, "reading '" + path.string() + "': no layer '" + name + "' (available: " +
                                  available() + ")"};
    }
    return layer;
}

geom::Crs crs_of_layer(OGRLayer* layer, const LayerSource& source, const std::string& what) {
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    if (srs == nullptr) {
        if (source.assume_epsg) {
            return geom::Crs::from_epsg(*source.assume_epsg);
        }
        throw Error{Errc::crs, "reading " + what +
                                   ": the file declares no coordinate reference system (missing .prj?) "
                                   "(set \"assume_epsg\" for this input, e.g. 4490 or 4326)"};
    }
    const char* auth = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    if (auth != nullptr && code != nullptr && std::string{auth} == "EPSG") {
        return geom::Crs::from_epsg(std::atoi(code));
    }
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    if (srs->exportToWkt(&wkt, options) != OGRERR_NONE || wkt == nullptr) {
        CPLFree(wkt);
        throw Error{Errc::crs, "reading " + what + ": cannot export the layer's CRS"};
    }
    std::string text{wkt};
    CPLFree(wkt);
    return geom::Crs::from_wkt(text, what);
}

/// Reads one configured layer into source coordinates.
RawLayer read_raw_layer(const std::string& role, const LayerSource& source, std::size_t source_number,
                        const ReadOptions& options) {
    RawLayer raw;
    raw.role = role;
    raw.source = &source;
    raw.source_number = source_number;
    raw.report.role = role;
    raw.report.source = source.path.string();
    GdalErrorScope errors;
    std::vector<std::string> open_options;
    if (source.encoding) {
        open_options.push_back("ENCODING=" + *source.encoding);
    }
    DatasetPtr ds = open_dataset(source.path, open_options, errors);
    std::string driver = ds->GetDriver()->GetDescription();
    raw.report.driver = driver;
    raw.is_osm = driver == "OSM";
    std::string layer_name = source.layer;
    auto where = source.where;
    if (raw.is_osm) {
        const auto d = osm_default(role);
        if (layer_name.empty()) {
            layer_name = d.layer;
        }
        if (where.empty() && source.layer.empty()) {
            where = d.where;
        }
    }
    raw.report.filter = where_text(where);
    OGRLayer* layer = select_layer(*ds, layer_name, source.path);
    raw.report.layer = layer->GetName();
    const std::string what = "layer '" + raw.report.layer + "' of '" + source.path.string() + "'";

    // Attribute encoding of Shapefiles (F7).
    if (driver == "ESRI Shapefile" && !source.encoding) {
        const char* cpg = layer->GetMetadataItem("ENCODING_FROM_CPG", "SHAPEFILE");
        const char* ldid = layer->GetMetadataItem("ENCODING_FROM_LDID", "SHAPEFILE");
        if (cpg != nullptr) {
            raw.report.encoding = cpg;
        } else {
            std::string chosen;
            DatasetPtr probe = open_dataset(source.path, {"ENCODING="}, errors);
            OGRLayer* probe_layer = select_layer(*probe, layer_name, source.path);
            if (all_strings_utf8(probe_layer)) {
                chosen = "";  // already UTF-8 (or ASCII): read the bytes as they are
                raw.report.encoding = "UTF-8";
            } else if (options.encoding_override) {
                chosen = *options.encoding_override;
                raw.report.encoding = chosen;
            } else if (ldid != nullptr && std::string{ldid} != "ISO-8859-1" && std::string{ldid} != "") {
                raw.report.encoding = ldid;
                chosen = ldid;
            } else {
                chosen = "CP936";
                raw.report.encoding = "CP936 (guessed)";
                raw.guessed_encoding = true;
            }
            probe.reset();
            ds = open_dataset(source.path, {"ENCODING=" + chosen}, errors);
            layer = select_layer(*ds, layer_name, source.path);
        }
    } else if (source.encoding) {
        raw.report.encoding = *source.encoding;
    }

    raw.crs = raw.is_osm ? geom::Crs::from_epsg(4326) : crs_of_layer(layer, source, what);
    raw.report.crs = raw.crs->label();
    if (!raw.is_osm && layer->GetSpatialRef() == nullptr) {
        raw.report.crs += " (assumed)";
    }
    for (auto& m : errors.drain()) {
        raw.layer_messages.push_back(std::move(m));
    }

    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const FieldPlan plan = plan_fields(raw, defn, what);
    if (raw.is_osm) {
        // The OSM driver delivers features of all layers interleaved: read through the dataset.
        ds->ResetReading();
        while (true) {
            OGRLayer* from = nullptr;
            std::unique_ptr<OGRFeature> f{ds->GetNextFeature(&from, nullptr, nullptr, nullptr)};
            if (!f) {
                break;
            }
            if (from != layer) {
                continue;
            }
            if (ingest(raw, plan, where, *f, defn)) {
                raw.features.back().gdal_messages = errors.drain();
            }
        }
    } else {
        layer->ResetReading();
        while (true) {
            std::unique_ptr<OGRFeature> f{layer->GetNextFeature()};
            if (!f) {
                break;
            }
            if (ingest(raw, plan, where, *f, defn)) {
                raw.features.back().gdal_messages = errors.drain();
            }
        }
    }
    for (auto& m : errors.drain()) {
        raw.layer_messages.push_back(std::move(m));
    }
    core::report(options.progress, "read", role + ": " + std::to_string(raw.features.size()) + " features from " +
                                               source.path.filename().string());
    return raw;
}

/// One configured input that reads an OSM file.
struct OsmMember {
    std::string role;
    const LayerSource* source = nullptr;
    std::size_t source_number = 0;
};

/// Reads every input that uses the same OSM file in ONE pass over the file: GDAL's OSM driver
/// delivers the features of all its layers interleaved (GDALDataset::GetNextFeature), and
/// re-reading a city-sized .osm.pbf per role would multiply the cost.
/// RAII: while alive, GDAL's OSM driver sends its debug messages (this thread only), so that
/// GdalErrorScope can count what a clipped extract made it drop.
class OsmDebugScope {
public:
    OsmDebugScope() : old_(value(CPLGetThreadLocalConfigOption("CPL_DEBUG", nullptr))) {
        CPLSetThreadLocalConfigOption("CPL_DEBUG", "OSM");
    }
    ~OsmDebugScope() { CPLSetThreadLocalConfigOption("CPL_DEBUG", old_ ? old_->c_str() : nullptr); }
    OsmDebugScope(const OsmDebugScope&) = delete;
    OsmDebugScope& operator=(const OsmDebugScope&) = delete;
    OsmDebugScope(OsmDebugScope&&) = delete;
    OsmDebugScope& operator=(OsmDebugScope&&) = delete;

private:
    static std::optional<std::string> value(const char* v) {
        return v != nullptr ? std::optional<std::string>(v) : std::nullopt;
    }
    std::optional<std::string> old_;
};

std::vector<RawLayer> read_osm_group(const std::vector<OsmMember>& members, const ReadOptions& options) {
    const LayerSource& first = *members.front().source;
    const OsmDebugScope osm_debug;
    GdalErrorScope errors;
    DatasetPtr ds = open_dataset(first.path, {}, errors);
    const std::string driver = ds->GetDriver()->GetDescription();
    struct Active {
        RawLayer raw;
        OGRLayer* layer = nullptr;
        OGRFeatureDefn* defn = nullptr;
        FieldPlan plan;
        std::map<std::string, std::vector<std::string>> where;
    };
    std::vector<Active> active(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
        auto& a = active[i];
        const auto& m = members[i];
        a.raw.role = m.role;
        a.raw.source = m.source;
        a.raw.source_number = m.source_number;
        a.raw.report.role = m.role;
        a.raw.report.source = m.source->path.string();
        a.raw.report.driver = driver;
        a.raw.is_osm = true;
        const auto d = osm_default(m.role);
        const std::string layer_name = m.source->layer.empty() ? d.layer : m.source->layer;
        a.where = m.source->where;
        if (a.where.empty() && m.source->layer.empty()) {
            a.where = d.where;
        }
        a.raw.report.filter = where_text(a.where);
        a.layer = select_layer(*ds, layer_name, m.source->path);
        a.raw.report.layer = a.layer->GetName();
        a.raw.crs = geom::Crs::from_epsg(4326);
        a.raw.report.crs = a.raw.crs->label();
        a.defn = a.layer->GetLayerDefn();
        a.plan = plan_fields(a.raw, a.defn, "layer '" + a.raw.report.layer + "' of '" + a.raw.report.source + "'");
    }
    for (auto& m : errors.drain()) {
        for (auto& a : active) {
            a.raw.layer_messages.push_back(m);
        }
    }
    ds->ResetReading();
    while (true) {
        OGRLayer* from = nullptr;
        std::unique_ptr<OGRFeature> f{ds->GetNextFeature(&from, nullptr, nullptr, nullptr)};
        if (!f) {
            break;
        }
        for (auto& a : active) {
            if (a.layer == from && ingest(a.raw, a.plan, a.where, *f, a.defn)) {
                a.raw.features.back().gdal_messages = errors.drain();
            }
        }
        for (auto& m : errors.drain()) {  // messages of features no member kept
            for (auto& a : active) {
                if (a.layer == from) {
                    a.raw.layer_messages.push_back(m);
                }
            }
        }
    }
    for (auto& m : errors.drain()) {
        for (auto& a : active) {
            a.raw.layer_messages.push_back(m);
        }
    }
    // Dropped relations make areas (multipolygons) and routes; dropped ways make lines or
    // closed-way areas. Each member reading such a layer hears about it.
    const auto dropped = errors.osm_dropped();
    for (auto& a : active) {
        const std::string layer = a.raw.report.layer;
        if (layer == "multipolygons" || layer == "multilinestrings" || layer == "other_relations") {
            a.raw.osm_dropped_relations = dropped.relations;
        }
        if (layer == "lines" || layer == "multipolygons") {
            a.raw.osm_dropped_ways = dropped.ways;
        }
    }
    std::vector<RawLayer> out;
    out.reserve(active.size());
    for (auto& a : active) {
        core::report(options.progress, "read", a.raw.role + ": " + std::to_string(a.raw.features.size()) +
                                                   " features from " + a.raw.source->path.filename().string());
        out.push_back(std::move(a.raw));
    }
    return out;
}

bool looks_like_osm(const std::filesystem::path& path) {
    const std::string name = ascii_lower(path.filename().string());
    auto ends_with = [&](const std::string& suffix) {
        return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return ends_with(".osm") || ends_with(".pbf");
}

// ---------------------------------------------------------------------------------------------
// CRS checks

bool finite(const core::Point& p) { return std::isfinite(p.x()) && std::isfinite(p.y()); }

std::optional<core::Point> first_point(const RawFeature& f) {
    for (const auto& poly : f.polygons) {
        for (const auto& ring : poly) {
            for (const auto& p : ring) {
                if (finite(p)) {
                    return p;
                }
            }
        }
    }
    for (const auto& line : f.lines) {
        for (const auto& p : line) {
            if (finite(p)) {
                return p;
            }
        }
    }
    for (const auto& p : f.points) {
        if (finite(p)) {
            return p;
        }
    }
    return std::nullopt;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

template <typename Fn>
void for_each_point(RawFeature& f, Fn fn) {
    for (auto& poly : f.polygons) {
        for (auto& ring : poly) {
            for (auto& p : ring) {
                fn(p);
            }
        }
    }
    for (auto& line : f.lines) {
        for (auto& p : line) {
            fn(p);
        }
    }
    for (auto& p : f.points) {
        fn(p);
    }
}

/// Refuses Beijing 1954 / Xian 1980 (C4), swapped axes (C2), data outside the CRS's area of use
/// (C3); computes the layer's geographic box.
void check_layer_crs(RawLayer& raw) {
    const auto& crs = *raw.crs;
    const std::string what = "layer '" + raw.report.layer + "' of '" + raw.report.source + "'";
    if ((crs.datum_family() == geom::DatumFamily::beijing1954 ||
         crs.datum_family() == geom::DatumFamily::xian1980) &&
        !crs.has_towgs84()) {
        throw Error{Errc::crs, "reading " + what + ": CRS '" + crs.label() + "' is on the " +
                                   to_string(crs.datum_family()) +
                                   " datum, whose transformation to CGCS2000/WGS84 is only a ballpark "
                                   "(errors of tens of metres) (supply the data in CGCS2000 or WGS84 "
                                   "coordinates, or a .prj with explicit 7-parameter TOWGS84 values)"};
    }
    const std::string datum = raw.source->input_datum;
    if ((datum == "gcj02" || datum == "bd09") && !crs.is_geographic()) {
        throw Error{Errc::usage, "reading " + what + ": input_datum '" + datum +
                                     "' needs longitude/latitude coordinates, but the CRS is '" + crs.label() + "'"};
    }
    std::vector<core::Point> sample;
    sample.reserve(raw.features.size());
    for (const auto& f : raw.features) {
        if (auto p = first_point(f)) {
            sample.push_back(*p);
        }
    }
    if (sample.empty()) {
        return;
    }
    std::vector<double> xs;
    std::vector<double> ys;
    for (const auto& p : sample) {
        xs.push_back(p.x());
        ys.push_back(p.y());
    }
    const double mx = median(xs);
    const double my = median(ys);
    if (crs.is_geographic()) {
        const bool lat_out = std::abs(my) > 90.0 && std::abs(mx) <= 90.0;
        const bool china_swapped = !geom::in_china_box(mx, my) && geom::in_china_box(my, mx);
        if (lat_out || china_swapped) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "coordinates look like (latitude, longitude): median x=%.5f y=%.5f",
                          mx, my);
            throw Error{Errc::crs, "reading " + what + ": " + buf +
                                       " (axis order? GeoJSON, Shapefile and GeoPackage store longitude first; "
                                       "fix the file, gridplan never swaps silently)"};
        }
    }
    // Geographic box from a sample that does not include out-of-range points (those are skipped
    // per feature later).
    std::vector<core::Point> in_range;
    for (const auto& p : sample) {
        if (!crs.is_geographic() || (std::abs(p.x()) <= 180.0 && std::abs(p.y()) <= 90.0)) {
            in_range.push_back(p);
        }
    }
    std::optional<geom::GeoBox> box;
    try {
        box = geom::geographic_bounds(crs, in_range);
    } catch (const Error&) {
        box.reset();
    }
    std::string suggestion;
    if (crs.is_projected()) {
        if (auto z = geom::zone_prefixed_epsg(mx)) {
            suggestion = " (the eastings carry a Gauss-Kruger zone number: try \"assume_epsg\": " +
                         std::to_string(*z) + " or fix the .prj)";
        }
    } else if (crs.is_geographic()) {
        suggestion = " (for longitude/latitude data outside China use EPSG:4326)";
    }
    if (!box) {
        throw Error{Errc::crs, "reading " + what + ": the coordinates cannot be transformed from '" + crs.label() +
                                   "' (wrong CRS?)" + suggestion};
    }
    if (crs.area_of_use() && !crs.area_of_use()->contains(*box, 1.0)) {
        char buf[200];
        std::snprintf(buf, sizeof buf, "data (%.3f..%.3fE, %.3f..%.3fN) lie outside the area of use of '%s'",
                      box->west, box->east, box->south, box->north, crs.label().c_str());
        throw Error{Errc::crs, "reading " + what + ": " + buf + suggestion};
    }
    raw.geo_box = box;
}

// ---------------------------------------------------------------------------------------------
// Per-feature validation and conversion

struct FeatureRows {
    std::vector<core::LedgerEntry> rows;
    bool skipped = false;
    bool repaired = false;

    void add(const std::string& layer, const std::string& id, const std::string& reason, Action action,
             std::string detail) {
        rows.push_back({.layer = layer, .source_id = id, .reason = reason, .action = action,
                        .detail = std::move(detail), .x = kNaN, .y = kNaN});
        skipped = skipped || action == Action::skipped;
        repaired = repaired || action == Action::repaired;
    }
};

/// Closes rings, drops collapsed parts; empty result when nothing polygonal is left.
core::MultiPolygon build_polygons(const RawFeature& f, FeatureRows& rows, const std::string& layer,
                                  const std::string& id) {
    core::MultiPolygon mp;
    std::size_t unclosed = 0;
    std::size_t dropped_parts = 0;
    std::size_t dropped_holes = 0;
    for (const auto& rings : f.polygons) {
        core::Polygon poly;
        bool outer_ok = false;
        for (std::size_t r = 0; r < rings.size(); ++r) {
            std::vector<core::Point> pts = rings[r];
            if (!pts.empty() && !core::bg::equals(pts.front(), pts.back())) {
                ++unclosed;
                pts.push_back(pts.front());
            }
            if (pts.size() < 4) {
                if (r == 0) {
                    break;
                }
                ++dropped_holes;
                continue;
            }
            if (r == 0) {
                poly.outer().assign(pts.begin(), pts.end());
                outer_ok = true;
            } else {
                poly.inners().emplace_back(pts.begin(), pts.end());
            }
        }
        if (!outer_ok) {
            ++dropped_parts;
            continue;
        }
        mp.push_back(std::move(poly));
    }
    if (unclosed > 0) {
        rows.add(layer, id, "unclosed_ring", Action::repaired,
                 std::to_string(unclosed) + " ring(s) not closed: closed by repeating the first point");
    }
    if (mp.empty()) {
        rows.add(layer, id, "collapsed", Action::skipped, "no ring with at least 4 points (3 distinct + closing)");
        return mp;
    }
    if (dropped_parts + dropped_holes > 0) {
        rows.add(layer, id, "collapsed_part", Action::repaired,
                 "dropped " + std::to_string(dropped_parts) + " part(s) and " + std::to_string(dropped_holes) +
                     " hole(s) with fewer than 4 points");
    }
    core::bg::correct(mp);
    return mp;
}

/// The buildings read so far, for attaching entrances (built when the first entrance arrives).
namespace bgi = boost::geometry::index;

struct BuildingLookup {
    using Value = std::pair<core::Box, std::size_t>;
    std::map<std::string, std::size_t> by_id;
    bgi::rtree<Value, bgi::rstar<16>> boxes;

    explicit BuildingLookup(const std::vector<core::Building>& buildings) {
        std::vector<Value> values;
        for (std::size_t i = 0; i < buildings.size(); ++i) {
            by_id.emplace(buildings[i].id, i);
            values.emplace_back(core::bg::return_envelope<core::Box>(buildings[i].footprint), i);
        }
        boxes = decltype(boxes)(values.begin(), values.end());
    }
};

struct Context {
    const InputConfig& config;
    const geom::Crs& working;
    core::Scene& scene;
    std::map<std::string, std::set<std::string>> ids;  // role -> ids already used
    std::optional<BuildingLookup> buildings = {};
};

/// Attaches the entrance `id` at `at` to its building: the one named by the `building` field, else
/// the nearest footprint within `entrance_max_distance_m` (ties: smaller id). One entrance per
/// building is used (the first in source order); the rest are ledger rows.
void attach_entrance(Context& ctx, const std::string& id, const std::string& building_ref, const core::Point& at,
                     FeatureRows& rows, const std::string& layer) {
    auto& buildings = ctx.scene.buildings;
    if (!ctx.buildings) {
        ctx.buildings.emplace(buildings);
    }
    std::optional<std::size_t> target;
    if (!building_ref.empty()) {
        if (auto it = ctx.buildings->by_id.find(building_ref); it != ctx.buildings->by_id.end()) {
            target = it->second;
        } else {
            rows.add(layer, id, "entrance_without_building", Action::skipped,
                     "building '" + building_ref + "' is not among the buildings read");
            return;
        }
    } else {
        const double r = ctx.config.validation.entrance_max_distance_m;
        const core::Box window{{at.x() - r, at.y() - r}, {at.x() + r, at.y() + r}};
        double best_m = r;
        for (auto it = ctx.buildings->boxes.qbegin(bgi::intersects(window)); it != ctx.buildings->boxes.qend();
             ++it) {
            const std::size_t i = it->second;
            const double d = core::bg::distance(at, buildings[i].footprint);
            if (d > r) {
                continue;
            }
            if (!target || d < best_m || (d == best_m && buildings[i].id < buildings[*target].id)) {
                best_m = d;
                target = i;
            }
        }
        if (!target) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%g", r);
            rows.add(layer, id, "entrance_without_building", Action::skipped,
                     std::string{"no building footprint within "} + buf +
                         " m (validation.entrance_max_distance_m) and no building field");
            return;
        }
    }
    core::Building& b = buildings[*target];
    if (b.entrance) {
        rows.add(layer, id, "extra_entrance", Action::skipped,
                 "building '" + b.id + "' already has an entrance: the first one is used");
        return;
    }
    b.entrance = at;
}

std::optional<double> number_value(const RawFeature& f, const std::string& role, FeatureRows& rows,
                                   const std::string& layer, const std::string& id, double min_ok, double max_ok,
                                   bool min_inclusive) {
    auto it = f.values.find(role);
    if (it == f.values.end() || trim(it->second).empty()) {
        return std::nullopt;
    }
    const auto v = parse_number(it->second);
    if (!v) {
        rows.add(layer, id, "not_a_number", Action::repaired,
                 role + " '" + it->second + "' is not a number: set to null");
        return std::nullopt;
    }
    const bool low = min_inclusive ? *v < min_ok : *v <= min_ok;
    if (low || *v > max_ok) {
        rows.add(layer, id, "absurd_value", Action::repaired,
                 role + " " + it->second + " is outside " + (min_inclusive ? "[" : "(") + core::fixed(min_ok, 0) + ", " +
                     core::fixed(max_ok, 0) + "]: set to null");
        return std::nullopt;
    }
    return v;
}

std::string text_value(const RawFeature& f, const std::string& role) {
    auto it = f.values.find(role);
    return it == f.values.end() ? std::string{} : trim(it->second);
}

void process_layer(RawLayer& raw, Context& ctx) {
    auto& scene = ctx.scene;
    const std::string& role = raw.role;
    const auto& info = role_info(role);
    const std::string layer_id = role;
    auto& ledger = scene.ledger;
    core::LayerReport report = raw.report;
    report.counts.n_in = raw.features.size();

    // Layer-level rows (warnings: not counted in conservation).
    auto layer_row = [&](const std::string& reason, std::string detail) {
        ledger.add({.layer = layer_id, .source_id = "", .reason = reason, .action = Action::warned,
                    .detail = std::move(detail)});
    };
    if (raw.guessed_encoding) {
        layer_row("guessed_encoding", "'" + raw.report.source +
                                          "' has no .cpg and its text is not UTF-8: read as CP936 (GBK); set "
                                          "\"encoding\" to silence or correct this");
    }
    std::set<std::string> seen_messages;
    for (const auto& m : raw.layer_messages) {
        if (seen_messages.insert(m).second) {
            layer_row("gdal_warning", "GDAL: " + m);
        }
    }
    if (raw.osm_dropped_relations + raw.osm_dropped_ways > 0) {
        layer_row("osm_incomplete",
                  "clipped OSM extract: GDAL dropped " + std::to_string(raw.osm_dropped_relations) +
                      " relation(s) whose member ways are not in the file and " +
                      std::to_string(raw.osm_dropped_ways) +
                      " way(s) with fewer than 2 of their nodes in the file (features crossing the "
                      "extract's edge; ways cut by the edge are shortened to the nodes inside): areas "
                      "and streets near the edge may be missing or incomplete (the walking network's "
                      "components are in gridplan inspect)");
    }
    std::size_t z_count = 0;
    for (const auto& f : raw.features) {
        z_count += f.z_or_m ? 1 : 0;
    }
    if (z_count > 0) {
        layer_row("z_dropped", std::to_string(z_count) + " feature(s) with Z/M coordinates: Z/M dropped (2D work)");
    }
    const std::string datum = raw.source->input_datum;
    if (datum == "gcj02" || datum == "bd09") {
        report.datum_shift = datum;
        layer_row("pseudo_datum_undone", datum + " coordinates converted to WGS84 by the iterative inverse");
    }

    const geom::Transformer transformer{*raw.crs, ctx.working};
    if (transformer.is_ballpark()) {
        layer_row("datum_ballpark", "'" + raw.crs->label() + "' → '" + ctx.working.label() +
                                        "': WGS84 and CGCS2000 treated as identical (sub-metre difference)");
    }
    const bool geographic = raw.crs->is_geographic();
    auto& used_ids = ctx.ids[role];

    std::vector<std::size_t> order(raw.features.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    for (auto& f : raw.features) {
        FeatureRows rows;
        // --- id (A1, A2)
        std::string id = f.id;
        if (!is_valid_utf8(id)) {
            id = repair_utf8(id);
        }
        if (id.empty()) {
            id = role + (raw.source_number > 0 ? "[" + std::to_string(raw.source_number) + "]" : std::string{}) +
                 ":" + std::to_string(f.index);
            rows.add(layer_id, id, "null_id", Action::repaired, "feature has no id: synthesised '" + id + "'");
        }
        if (used_ids.count(id) != 0) {
            std::string rekeyed;
            for (int k = 2;; ++k) {
                rekeyed = id + "#" + std::to_string(k);
                if (used_ids.count(rekeyed) == 0) {
                    break;
                }
            }
            rows.add(layer_id, rekeyed, "duplicate_id", Action::repaired,
                     "id '" + id + "' already used: re-keyed to '" + rekeyed + "'");
            id = rekeyed;
        }
        used_ids.insert(id);
        for (const auto& m : f.gdal_messages) {
            if (m.find("Non closed ring") != std::string::npos) {
                continue;  // covered by our own unclosed_ring row
            }
            rows.rows.push_back({.layer = layer_id, .source_id = id, .reason = "gdal_warning",
                                 .action = Action::warned, .detail = "GDAL: " + m});
        }
        for (const auto& field_role : f.invalid_utf8) {
            rows.add(layer_id, id, "invalid_utf8", Action::repaired,
                     "field '" + report.fields_used[field_role] + "' is not valid UTF-8: bad bytes replaced by U+FFFD");
        }
        std::optional<core::Point> location;
        auto finish = [&]() {
            for (auto& r : rows.rows) {
                if (location) {
                    r.x = location->x();
                    r.y = location->y();
                }
                ledger.add(std::move(r));
            }
            if (rows.skipped) {
                ++report.counts.skipped;
            } else if (rows.repaired) {
                ++report.counts.repaired;
            } else {
                ++report.counts.used;
            }
        };
        // --- geometry presence and type (G1, G2, G9, G10)
        if (f.null_geometry) {
            rows.add(layer_id, id, "null_geometry", Action::skipped, "feature has no geometry");
            finish();
            continue;
        }
        if (f.empty_geometry) {
            rows.add(layer_id, id, "empty_geometry", Action::skipped,
                     "geometry " + f.geometry_type + " is empty (NaN coordinates are read as empty)");
            finish();
            continue;
        }
        const bool has_wanted = (info.shape == Shape::polygon && !f.polygons.empty()) ||
                                (info.shape == Shape::line && !f.lines.empty()) ||
                                (info.shape == Shape::point && (!f.points.empty() || !f.polygons.empty()));
        if (!has_wanted) {
            rows.add(layer_id, id, "wrong_geometry_type", Action::skipped,
                     f.geometry_type + " in a layer of " +
                         (info.shape == Shape::polygon ? "polygons" : info.shape == Shape::line ? "lines" : "points"));
            finish();
            continue;
        }
        const std::size_t other_parts =
            info.shape == Shape::polygon ? f.lines.size() + f.points.size()
            : info.shape == Shape::line  ? f.polygons.size() + f.points.size()
                                         : f.lines.size();
        if (other_parts > 0) {
            rows.add(layer_id, id, "mixed_geometry", Action::repaired,
                     f.geometry_type + ": " + std::to_string(other_parts) + " part(s) of another type dropped");
            if (info.shape == Shape::polygon) {
                f.lines.clear();
                f.points.clear();
            } else if (info.shape == Shape::line) {
                f.polygons.clear();
                f.points.clear();
            } else {
                f.lines.clear();
            }
        }
        if (f.curve) {
            rows.add(layer_id, id, "curve_linearised", Action::repaired,
                     f.geometry_type + " linearised to straight segments");
        }
        // --- coordinates (G3)
        bool non_finite = false;
        bool out_of_range = false;
        for_each_point(f, [&](core::Point& p) {
            if (!finite(p)) {
                non_finite = true;
            } else if (geographic ? (std::abs(p.x()) > 180.0 || std::abs(p.y()) > 90.0)
                                  : (std::abs(p.x()) > 1e8 || std::abs(p.y()) > 1e8)) {
                out_of_range = true;
            }
        });
        if (non_finite) {
            rows.add(layer_id, id, "non_finite_coordinate", Action::skipped, "NaN or infinite coordinate");
            finish();
            continue;
        }
        if (out_of_range) {
            rows.add(layer_id, id, "coordinate_out_of_range", Action::skipped,
                     geographic ? "longitude beyond ±180 or latitude beyond ±90" : "coordinate beyond ±1e8");
            finish();
            continue;
        }
        // --- validity as given (G6): checked in source coordinates too, because reprojection can
        // hide a self-intersection that is really in the data
        std::optional<geom::ValidityIssue> source_issue;
        if (info.shape == Shape::polygon) {
            try {
                FeatureRows scratch;
                const core::MultiPolygon source_mp = build_polygons(f, scratch, layer_id, id);
                if (!source_mp.empty()) {
                    source_issue = geom::polygon_validity(source_mp);
                }
            } catch (const Error& e) {
                if (e.code() != Errc::internal) {
                    throw;
                }
            }
            if (source_issue && source_issue->location) {
                core::Point p = *source_issue->location;
                p = datum == "gcj02" ? geom::gcj02_to_wgs84(p) : datum == "bd09" ? geom::bd09_to_wgs84(p) : p;
                source_issue->location = transformer.transform(p);
            }
        }
        // --- pseudo-datum (C5) and reprojection
        std::vector<core::Point> flat;
        for_each_point(f, [&](core::Point& p) { flat.push_back(p); });
        if (datum == "gcj02") {
            for (auto& p : flat) {
                p = geom::gcj02_to_wgs84(p);
            }
        } else if (datum == "bd09") {
            for (auto& p : flat) {
                p = geom::bd09_to_wgs84(p);
            }
        }
        if (!transformer.transform(flat)) {
            rows.add(layer_id, id, "transform_failed", Action::skipped,
                     "PROJ could not transform a coordinate to '" + ctx.working.label() + "'");
            finish();
            continue;
        }
        {
            std::size_t k = 0;
            for_each_point(f, [&](core::Point& p) { p = flat[k++]; });
        }
        try {
            if (info.shape == Shape::polygon) {
                core::MultiPolygon mp = build_polygons(f, rows, layer_id, id);
                if (mp.empty()) {
                    finish();
                    continue;
                }
                auto issue = geom::polygon_validity(mp);
                if (!issue && source_issue) {
                    issue = source_issue;
                }
                if (issue) {
                    const double before = std::abs(core::bg::area(mp));
                    core::MultiPolygon fixed = geom::make_valid_polygons(mp);
                    location = issue->location;
                    if (fixed.empty()) {
                        rows.add(layer_id, id, "invalid_geometry", Action::skipped,
                                 issue->reason + ": MakeValid (structure) left no polygon");
                        finish();
                        continue;
                    }
                    const double after = geom::area(fixed);
                    rows.add(layer_id, id, "invalid_geometry", Action::repaired,
                             issue->reason + ": repaired by MakeValid (structure); area " + core::fixed(before, 1) + " -> " +
                                 core::fixed(after, 1) + " m2");
                    mp = std::move(fixed);
                }
                const double area_m2 = geom::area(mp);
                const auto anchor = geom::point_on_surface(mp);
                location = anchor ? anchor : location;
                if (area_m2 < ctx.config.validation.sliver_area_m2 || !anchor) {
                    rows.add(layer_id, id, "sliver", Action::skipped,
                             "area " + core::fixed(area_m2, 3) + " m2 is below " + core::fixed(ctx.config.validation.sliver_area_m2, 3) +
                                 " m2");
                    finish();
                    continue;
                }
                if (role == "streets") {
                    scene.streets.push_back({.id = id, .name = text_value(f, "name"),
                                             .code = text_value(f, "code"), .area = std::move(mp)});
                } else if (role == "exclusions") {
                    scene.exclusions.push_back({.id = id, .name = text_value(f, "name"), .area = std::move(mp)});
                } else if (role == "communities") {
                    scene.communities.push_back({.id = id, .name = text_value(f, "name"),
                                                 .code = text_value(f, "code"), .area = std::move(mp),
                                                 .street = std::nullopt});
                } else if (role == "grids") {
                    scene.grids.push_back({.id = id, .name = text_value(f, "name"),
                                           .code = text_value(f, "grid_code"), .area = std::move(mp)});
                } else {
                    core::Building b;
                    b.id = id;
                    b.name = text_value(f, "name");
                    b.type = text_value(f, "type");
                    b.footprint = std::move(mp);
                    b.anchor = *anchor;
                    b.area_m2 = area_m2;
                    const auto& v = ctx.config.validation;
                    b.floors = number_value(f, "floors", rows, layer_id, id, 0.0, v.max_floors, false);
                    const auto hh = number_value(f, "households", rows, layer_id, id, 0.0, v.max_households, true);
                    const auto pop = number_value(f, "population", rows, layer_id, id, 0.0, v.max_population, true);
                    b.grid_code = text_value(f, "grid_code");
                    b.locked = parse_flag(text_value(f, "locked")).value_or(false);
                    estimate_households(b, hh, pop, ctx.config.households);
                    scene.buildings.push_back(std::move(b));
                }
            } else if (info.shape == Shape::line) {
                std::vector<core::LineString> parts;
                for (const auto& line : f.lines) {
                    core::LineString ls;
                    for (const auto& p : line) {
                        if (ls.empty() || !core::bg::equals(ls.back(), p)) {
                            ls.push_back(p);
                        }
                    }
                    if (ls.size() >= 2) {
                        parts.push_back(std::move(ls));
                    }
                }
                if (parts.empty()) {
                    rows.add(layer_id, id, "collapsed", Action::skipped, "line with fewer than 2 distinct points");
                    finish();
                    continue;
                }
                // A railway or river in a tunnel (culvert) separates nothing on the surface.
                if (role == "barriers") {
                    const std::string tunnel = text_value(f, "tunnel");
                    if (parse_flag(tunnel).value_or(!tunnel.empty())) {
                        rows.add(layer_id, id, "barrier_in_tunnel", Action::skipped,
                                 "tunnel=" + tunnel + ": not a barrier on the surface");
                        finish();
                        continue;
                    }
                }
                location = parts.front().front();
                if (parts.size() < f.lines.size()) {
                    rows.add(layer_id, id, "collapsed_part", Action::repaired,
                             "dropped " + std::to_string(f.lines.size() - parts.size()) +
                                 " part(s) with fewer than 2 distinct points");
                }
                for (std::size_t k = 0; k < parts.size(); ++k) {
                    const std::string part_id = parts.size() == 1 ? id : id + "#" + std::to_string(k + 1);
                    if (role == "roads") {
                        core::Road r;
                        r.id = part_id;
                        r.name = text_value(f, "name");
                        r.road_class = text_value(f, "class");
                        r.line = parts[k];
                        const std::string layer_text = text_value(f, "layer");
                        if (!layer_text.empty()) {
                            if (auto lv = parse_number(layer_text); lv && std::abs(*lv) <= 20.0) {
                                r.layer = static_cast<int>(std::lround(*lv));
                            } else if (k == 0) {
                                rows.add(layer_id, id, "not_a_number", Action::repaired,
                                         "layer '" + layer_text + "' is not a small integer: set to 0");
                            }
                        }
                        r.bridge = parse_flag(text_value(f, "bridge")).value_or(!text_value(f, "bridge").empty());
                        r.tunnel = parse_flag(text_value(f, "tunnel")).value_or(!text_value(f, "tunnel").empty());
                        const RoadTags tags{r.road_class, text_value(f, "foot"), text_value(f, "access"),
                                            text_value(f, "sidewalk")};
                        r.walkable = raw.is_osm ? osm_walkable(tags) : mapped_walkable(tags, ctx.config.road_classes);
                        scene.roads.push_back(std::move(r));
                    } else {
                        std::string kind = text_value(f, "kind");
                        if (kind.empty() || kind == "yes") {
                            auto it = report.fields_used.find("kind");
                            kind = it != report.fields_used.end() ? it->second : "barrier";
                        }
                        scene.barriers.push_back({.id = part_id, .kind = kind, .line = parts[k]});
                    }
                }
            } else {
                core::Point where;
                if (!f.points.empty()) {
                    where = f.points.front();
                    if (f.points.size() > 1) {
                        rows.add(layer_id, id, "multi_point", Action::repaired,
                                 std::to_string(f.points.size()) + " points: the first one is used");
                    }
                } else {
                    core::MultiPolygon mp = build_polygons(f, rows, layer_id, id);
                    if (mp.empty()) {
                        finish();
                        continue;
                    }
                    if (geom::polygon_validity(mp)) {
                        mp = geom::make_valid_polygons(mp);
                    }
                    const auto pos = geom::point_on_surface(mp);
                    if (!pos) {
                        rows.add(layer_id, id, "collapsed", Action::skipped, "facility polygon has no area");
                        finish();
                        continue;
                    }
                    where = *pos;
                }
                location = where;
                if (role == "entrances") {
                    attach_entrance(ctx, id, text_value(f, "building"), where, rows, layer_id);
                    finish();
                    continue;
                }
                if (role == "candidates") {
                    core::CandidateSite site;
                    site.id = id;
                    site.name = text_value(f, "name");
                    site.type = text_value(f, "type");
                    site.location = where;
                    site.capacity = number_value(f, "capacity", rows, layer_id, id, 0.0, 1e9, true);
                    site.cost = number_value(f, "cost", rows, layer_id, id, 0.0, 1e15, true);
                    scene.candidates.push_back(std::move(site));
                    finish();
                    continue;
                }
                core::Facility fac;
                fac.id = id;
                fac.name = text_value(f, "name");
                fac.type = text_value(f, "type");
                fac.kind = raw.source->kind ? *raw.source->kind
                                            : facility_kind(fac.type, fac.name, ctx.config.facility_types);
                fac.location = where;
                fac.capacity = number_value(f, "capacity", rows, layer_id, id, 0.0, 1e9, true);
                scene.facilities.push_back(std::move(fac));
            }
        } catch (const Error& e) {
            if (e.code() != Errc::internal) {
                throw;
            }
            rows.add(layer_id, id, "geometry_error", Action::skipped, std::string{"GEOS failed: "} + e.what());
        }
        finish();
    }
    if (raw.features.empty()) {
        layer_row("empty_layer", "no features" + (raw.report.filter.empty() ? "" : " match " + raw.report.filter));
    }
    core::require_invariant(report.counts.conserved(), "n_in == used + repaired + skipped per layer");
    scene.layers.push_back(std::move(report));
}

template <typename T>
void sort_by_id(std::vector<T>& v) {
    std::stable_sort(v.begin(), v.end(), [](const T& a, const T& b) { return a.id < b.id; });
}

}  // namespace

core::Scene read_scene(const InputConfig& config, const ReadOptions& options) {
    init_gdal();
    core::Scene scene;
    scene.ledger.set_strict(options.strict || config.strict);

    // 1. Read every layer in source coordinates (inputs sharing one OSM file in one pass).
    std::vector<OsmMember> all_inputs;
    auto add = [&](const char* role, const std::optional<LayerSource>& source) {
        if (source) {
            all_inputs.push_back({role, &*source, 0});
        }
    };
    add("streets", config.streets);
    add("communities", config.communities);
    add("buildings", config.buildings);
    add("roads", config.roads);
    add("barriers", config.barriers);
    add("entrances", config.entrances);  // after buildings: entrances attach to them
    add("grids", config.grids);
    for (std::size_t i = 0; i < config.facilities.size(); ++i) {
        all_inputs.push_back({"facilities", &config.facilities[i], i});
    }
    for (std::size_t i = 0; i < config.candidates.size(); ++i) {
        all_inputs.push_back({"candidates", &config.candidates[i], i});
    }
    for (std::size_t i = 0; i < config.exclusions.size(); ++i) {
        all_inputs.push_back({"exclusions", &config.exclusions[i], i});
    }
    std::vector<std::optional<RawLayer>> slots(all_inputs.size());
    for (std::size_t i = 0; i < all_inputs.size(); ++i) {
        if (slots[i]) {
            continue;
        }
        const auto& in = all_inputs[i];
        if (looks_like_osm(in.source->path)) {
            check_input_path(in.source->path);
            std::vector<OsmMember> group;
            std::vector<std::size_t> where_in_slots;
            for (std::size_t j = i; j < all_inputs.size(); ++j) {
                if (!slots[j] && all_inputs[j].source->path == in.source->path) {
                    group.push_back(all_inputs[j]);
                    where_in_slots.push_back(j);
                }
            }
            auto group_layers = read_osm_group(group, options);
            for (std::size_t k = 0; k < group_layers.size(); ++k) {
                slots[where_in_slots[k]] = std::move(group_layers[k]);
            }
        } else {
            slots[i] = read_raw_layer(in.role, *in.source, in.source_number, options);
        }
    }
    std::vector<RawLayer> layers;
    layers.reserve(slots.size());
    for (auto& slot : slots) {
        layers.push_back(std::move(*slot));
    }
    if (layers.empty()) {
        throw Error{Errc::usage, "reading the inputs: no input layer is configured"};
    }

    // 2. CRS checks and the working CRS.
    std::optional<geom::GeoBox> all;
    std::set<std::string> source_crs;
    for (auto& raw : layers) {
        check_layer_crs(raw);
        source_crs.insert(raw.crs->label());
        if (raw.geo_box) {
            if (!all) {
                all = raw.geo_box;
            } else {
                all->west = std::min(all->west, raw.geo_box->west);
                all->east = std::max(all->east, raw.geo_box->east);
                all->south = std::min(all->south, raw.geo_box->south);
                all->north = std::max(all->north, raw.geo_box->north);
            }
        }
    }
    if (!all) {
        throw Error{Errc::invalid_input, "reading the inputs: no feature has a usable coordinate"};
    }
    const int auto_epsg = geom::auto_working_epsg(all->centre_lon(), all->centre_lat());
    const int epsg = config.working_epsg.value_or(auto_epsg);
    const geom::Crs working = geom::Crs::from_epsg(epsg);
    if (!working.is_projected() || std::abs(working.linear_unit_m() - 1.0) > 1e-9) {
        throw Error{Errc::crs, "using working CRS 'EPSG:" + std::to_string(epsg) +
                                   "': not a projected CRS in metres (try EPSG:" + std::to_string(auto_epsg) + ")"};
    }
    // The automatic zone is right by construction (its EPSG area of use may stop short of the
    // coast, e.g. CM 123E south of 28N); a configured CRS must cover the data.
    if (config.working_epsg && working.area_of_use() && !working.area_of_use()->contains(*all, 0.5)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "the data (%.3f..%.3fE, %.3f..%.3fN) lie outside its area of use", all->west,
                      all->east, all->south, all->north);
        throw Error{Errc::crs, "using working CRS 'EPSG:" + std::to_string(epsg) + "': " + buf +
                                   " (suggested: EPSG:" + std::to_string(auto_epsg) + ")"};
    }
    scene.crs.epsg = epsg;
    scene.crs.name = working.name();
    scene.crs.wkt = working.wkt2();
    scene.crs.how = config.working_epsg ? "configured (crs.working_epsg)"
                                        : geom::explain_working_epsg(all->centre_lon(), all->centre_lat());
    core::report(options.progress, "crs", "working CRS EPSG:" + std::to_string(epsg) + " " + working.name());

    // 3. Validate, repair and reproject.
    Context ctx{config, working, scene, {}};
    for (auto& raw : layers) {
        if (source_crs.size() > 1) {
            scene.ledger.add({.layer = raw.role, .source_id = "", .reason = "reprojected", .action = Action::warned,
                              .detail = "layers come in different CRSs: this one ('" + raw.crs->label() +
                                        "') reprojected to EPSG:" + std::to_string(epsg)});
        }
        process_layer(raw, ctx);
    }

    // 4. Order, hierarchy, totals.
    sort_by_id(scene.streets);
    sort_by_id(scene.communities);
    sort_by_id(scene.buildings);
    sort_by_id(scene.roads);
    sort_by_id(scene.barriers);
    sort_by_id(scene.grids);
    sort_by_id(scene.facilities);
    sort_by_id(scene.candidates);
    sort_by_id(scene.exclusions);
    assign_hierarchy(scene, config.validation);
    for (auto& report : scene.layers) {
        if (report.role == "buildings") {
            for (const auto& b : scene.buildings) {
                report.households += b.households;
                report.population += b.population;
                report.households_estimated += b.households_estimated ? 1 : 0;
            }
        }
    }
    return scene;
}

}  // namespace gridplan::io
