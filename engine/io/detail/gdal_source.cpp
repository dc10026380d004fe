// Step 1 of read_scene: GDAL access (open, pick the layer, encoding, `where` filter, attributes
// and geometry in source coordinates); one pass per OSM file for all the inputs that share it.
#include "io/detail/gdal_source.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geom/crs.hpp"
#include "io/gdal_errors.hpp"
#include "io/text.hpp"

namespace gridplan::io::detail {
namespace {

using core::ascii_lower;
using core::Errc;
using core::Error;
using core::is_valid_utf8;
using core::repair_utf8;
using core::trim;

// ---------------------------------------------------------------------------------------------
// GDAL set-up and opening

std::string make_private_tmpdir() {
    std::string templ = (std::filesystem::temp_directory_path() / "gridplan-gdal-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
        return std::filesystem::temp_directory_path().string();
    }
    return templ;  // mkdtemp creates it with mode 0700
}

}  // namespace

void init_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        OSRSetPROJEnableNetwork(FALSE);
        static const std::string tmpdir = make_private_tmpdir();
        CPLSetConfigOption("CPL_TMPDIR", tmpdir.c_str());  // OSM driver temp database
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

namespace {

struct DatasetCloser {
    void operator()(GDALDataset* ds) const noexcept { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

DatasetPtr open_dataset(const std::filesystem::path& path,
                        const std::vector<std::string>& open_options,
                        GdalErrorScope& errors) {
    check_input_path(path);
    static const char* const allowed[] = {
        "GeoJSON", "ESRI Shapefile", "GPKG", "OSM", "CSV", nullptr};
    CPLStringList oo;
    for (const auto& o : open_options) {
        oo.AddString(o.c_str());
    }
    auto* ds = static_cast<GDALDataset*>(
        GDALOpenEx(path.c_str(),
                   GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                   allowed,
                   oo.List(),
                   nullptr));
    if (ds == nullptr) {
        const std::string why = errors.last_failure();
        throw Error{
            Errc::io,
            "opening input '" + path.string() + "': " +
                (why.empty() ? "not a GeoJSON, Shapefile, GeoPackage, OSM or CSV file" : why)};
    }
    DatasetPtr owned{ds};
    const char* driver = ds->GetDriver() != nullptr ? ds->GetDriver()->GetDescription() : "";
    const std::set<std::string> ok{"GeoJSON", "ESRI Shapefile", "GPKG", "OSM", "CSV"};
    if (ok.count(driver) == 0) {
        throw Error{Errc::io,
                    "opening input '" + path.string() + "': driver '" + driver +
                        "' is not allowed (GeoJSON, ESRI Shapefile, GPKG, OSM, CSV only)"};
    }
    // GDAL opens a .shp without its .dbf as geometry only: every attribute (ids, households,
    // names) would silently be missing (catalogue F5). GDAL itself refuses a missing .shx.
    if (std::string_view(driver) == "ESRI Shapefile" && std::filesystem::is_regular_file(path)) {
        auto sibling = [&](const char* ext) {
            return std::filesystem::path(path).replace_extension(ext);
        };
        if (!std::filesystem::exists(sibling(".dbf")) &&
            !std::filesystem::exists(sibling(".DBF"))) {
            throw Error{Errc::io,
                        "opening input '" + path.string() + "': its attribute file '" +
                            sibling(".dbf").filename().string() +
                            "' is missing (a Shapefile is .shp, .shx and .dbf side by side; copy "
                            "all three)"};
        }
    }
    return owned;
}

OGRLayer* select_layer(GDALDataset& ds,
                       const std::string& name,
                       const std::filesystem::path& path) {
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
            throw Error{Errc::io,
                        "reading '" + path.string() + "': the file has " + std::to_string(n) +
                            " layers; name one with \"layer\" (available: " + available() + ")"};
        }
        return ds.GetLayer(0);
    }
    OGRLayer* layer = ds.GetLayerByName(name.c_str());
    if (layer == nullptr) {
        throw Error{Errc::io,
                    "reading '" + path.string() + "': no layer '" + name +
                        "' (available: " + available() + ")"};
    }
    return layer;
}

// ---------------------------------------------------------------------------------------------
// Fields, geometry and the `where` filter of one feature

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
    std::map<std::string, int> direct;                         // role -> field index
    std::map<std::string, std::vector<std::string>> osm_tags;  // role -> tag keys to try
    int other_tags = -1;
    int osm_id = -1;
    int osm_way_id = -1;
    bool osm_address = false;  // compose the `address` role from addr:* tags (osm_address)
    int address_field = -1;    // OSM `address` field (GDAL's osmconf, points), the last resort
};

FieldPlan plan_fields(const RawLayer& raw, OGRFeatureDefn* defn, const std::string& what) {
    FieldPlan plan;
    if (!raw.is_osm) {
        for (const auto& [key, values] : raw.source->where) {
            if (find_field(defn, key) < 0) {
                throw Error{Errc::usage,
                            "reading " + what + ": 'where' key '" + key +
                                "' is not a field of the layer (fields: " + field_list(defn) + ")"};
            }
        }
    }
    if (raw.is_osm) {
        plan.other_tags = find_field(defn, "other_tags");
        plan.osm_id = find_field(defn, "osm_id");
        plan.osm_way_id = find_field(defn, "osm_way_id");
    }
    for (const auto& field_role : field_roles(raw.role)) {
        if (auto it = raw.source->fields.find(field_role); it != raw.source->fields.end()) {
            const int idx = find_field(defn, it->second);
            if (idx >= 0) {
                plan.direct[field_role] = idx;
            } else if (raw.is_osm) {
                plan.osm_tags[field_role] = {it->second};
            } else {
                throw Error{Errc::usage,
                            "reading " + what + ": field '" + it->second + "' (for '" + field_role +
                                "') is not in the layer (fields: " + field_list(defn) + ")"};
            }
            continue;
        }
        if (raw.is_osm && field_role == "id") {
            continue;  // osm_id / osm_way_id, handled specially
        }
        if (raw.is_osm && field_role == "address") {
            plan.osm_address = true;  // several addr:* tags, composed in ingest
            plan.address_field = find_field(defn, "address");
            continue;
        }
        bool found = false;
        for (const auto& cand : field_candidates(field_role, raw.role, raw.is_osm)) {
            const int idx = find_field(defn, cand);
            if (idx >= 0 && idx != plan.other_tags) {
                plan.direct[field_role] = idx;
                found = true;
                break;
            }
        }
        if (!found && raw.is_osm) {
            plan.osm_tags[field_role] = field_candidates(field_role, raw.role, raw.is_osm);
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

bool where_matches(const Where& where,
                   OGRFeature& f,
                   OGRFeatureDefn* defn,
                   const std::map<std::string, std::string>* tags) {
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
bool ingest(RawLayer& layer,
            const FieldPlan& plan,
            const Where& where,
            OGRFeature& f,
            OGRFeatureDefn* defn) {
    std::map<std::string, std::string> tags;
    const bool need_tags =
        plan.other_tags >= 0 && (!plan.osm_tags.empty() || !where.empty() || plan.osm_address);
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
    if (plan.osm_address) {
        if (auto field = field_text(f, plan.address_field)) {
            tags.emplace("address", *field);
        }
        if (std::string address = osm_address(tags); !address.empty()) {
            record("address", std::move(address), "addr:*");
        }
    }
    if (layer.is_osm && layer.source->fields.count("id") == 0) {
        if (auto id = field_text(f, plan.osm_id)) {
            // osm_id is a node id in `points`, a way id in `lines`, a relation id elsewhere.
            raw.id = (layer.report.layer == "points"  ? "n"
                      : layer.report.layer == "lines" ? "w"
                                                      : "r") +
                     *id;
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

// ---------------------------------------------------------------------------------------------
// One layer: which one, its encoding, its CRS

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

geom::Crs crs_of_layer(OGRLayer* layer, const LayerSource& source, const std::string& what) {
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    if (srs == nullptr) {
        if (source.assume_epsg) {
            return geom::Crs::from_epsg(*source.assume_epsg);
        }
        throw Error{Errc::crs,
                    "reading " + what +
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

/// True for a file GDAL's CSV driver reads (by its extension: GDAL would read any text file).
bool is_csv(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return ext == ".csv";
}

/// A CSV's point columns: longitude and latitude (or x and y) by name, or a WKT column; the
/// names are case-insensitive. Every other column is kept as an attribute.
const char* const kCsvLonNames = "lon,lng,long,longitude,x,经度,lon_wgs84,lng_gcj02,lon_gcj02";
const std::string kCsvOpenOptions[] = {
    std::string{"X_POSSIBLE_NAMES="} + kCsvLonNames,
    "Y_POSSIBLE_NAMES=lat,latitude,y,纬度,lat_wgs84,lat_gcj02",
    "GEOM_POSSIBLE_NAMES=wkt,geom,geometry,the_geom",
    "KEEP_GEOM_COLUMNS=NO",
    "AUTODETECT_TYPE=NO",
};

/// A CSV without coordinate columns would give features without geometry, one ledger row each:
/// refuse it at once, naming the column names tried.
void require_csv_coordinates(OGRLayer& layer, const std::string& what) {
    if (wkbFlatten(layer.GetGeomType()) == wkbNone) {
        throw Error{Errc::io,
                    "reading " + what +
                        ": no coordinate columns (a longitude column named one of " + kCsvLonNames +
                        " and a latitude column named lat, latitude, y or 纬度; or a WKT column)"};
    }
}

/// The layer an input names and its `where` filter; an OSM input without a layer reads the
/// role's default layer, and its default filter unless it gives its own.
struct LayerChoice {
    std::string name;
    Where where;
};

LayerChoice choose_layer(Role role, const LayerSource& source, bool is_osm) {
    LayerChoice choice{source.layer, source.where};
    if (is_osm) {
        const auto d = osm_default(role);
        if (choice.name.empty()) {
            choice.name = d.layer;
        }
        if (choice.where.empty() && source.layer.empty()) {
            choice.where = d.where;
        }
    }
    return choice;
}

/// A layer of a file being read, with the input it serves.
RawLayer start_layer(const InputToRead& input, const std::string& driver) {
    RawLayer raw;
    raw.role = input.role;
    raw.source = input.source;
    raw.source_number = input.source_number;
    raw.report.role = role_name(input.role);
    raw.report.source = input.source->path.string();
    raw.report.driver = driver;
    raw.is_osm = driver == "OSM";
    return raw;
}

std::string layer_what(const RawLayer& raw) {
    return "layer '" + raw.report.layer + "' of '" + raw.report.source + "'";
}

/// Attribute encoding of a Shapefile without a configured one (F7): its .cpg, else UTF-8 when
/// every string is valid UTF-8, else --encoding, else its LDID, else CP936 (guessed). Reopens
/// `ds` with the encoding chosen and returns the layer in it.
OGRLayer* open_with_shapefile_encoding(RawLayer& raw,
                                       DatasetPtr& ds,
                                       OGRLayer* layer,
                                       const std::string& layer_name,
                                       const ReadOptions& options,
                                       GdalErrorScope& errors) {
    const LayerSource& source = *raw.source;
    const char* cpg = layer->GetMetadataItem("ENCODING_FROM_CPG", "SHAPEFILE");
    const char* ldid = layer->GetMetadataItem("ENCODING_FROM_LDID", "SHAPEFILE");
    if (cpg != nullptr) {
        raw.report.encoding = cpg;
        return layer;
    }
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
    return select_layer(*ds, layer_name, source.path);
}

// ---------------------------------------------------------------------------------------------
// Reading the features

/// The read errors of one pass over a file's features, each with its place: GDAL's failures
/// (CE_Failure) while it delivers features mean a corrupt or cut-short file, whatever it
/// delivers after them.
class FaultLog {
public:
    explicit FaultLog(GdalErrorScope& errors) : errors_(errors) {
        (void)errors_.take_failures();  // failures while opening were checked there
    }
    /// After each GetNextFeature: `f` is what it delivered (nullptr at the end).
    void after(const OGRFeature* f) {
        if (f != nullptr) {
            ++delivered_;
            last_fid_ = f->GetFID() == OGRNullFID ? "" : std::to_string(f->GetFID());
        }
        for (auto& message : errors_.take_failures()) {
            faults_.push_back({std::move(message),
                               delivered_ - (f != nullptr ? 1 : 0),
                               f != nullptr ? previous_fid_ : last_fid_});
        }
        previous_fid_ = last_fid_;
    }
    [[nodiscard]] std::vector<ReadFault> faults() const { return faults_; }

private:
    GdalErrorScope& errors_;
    std::size_t delivered_ = 0;
    std::string last_fid_, previous_fid_;
    std::vector<ReadFault> faults_;
};

/// The one loop over an OSM file: GDAL's OSM driver delivers the features of all its layers
/// interleaved (GDALDataset::GetNextFeature), each with the layer it belongs to.
template <typename OnFeature>
void for_each_osm_feature(GDALDataset& ds, FaultLog& log, OnFeature on_feature) {
    ds.ResetReading();
    while (true) {
        OGRLayer* from = nullptr;
        std::unique_ptr<OGRFeature> f{ds.GetNextFeature(&from, nullptr, nullptr, nullptr)};
        log.after(f.get());
        if (!f) {
            break;
        }
        on_feature(from, *f);
    }
}

template <typename OnFeature>
void for_each_feature(OGRLayer& layer, FaultLog& log, OnFeature on_feature) {
    layer.ResetReading();
    while (true) {
        std::unique_ptr<OGRFeature> f{layer.GetNextFeature()};
        log.after(f.get());
        if (!f) {
            break;
        }
        on_feature(*f);
    }
}

/// The input guards (ReadOptions::limits), counted over every layer of a run.
class InputGuard {
public:
    explicit InputGuard(const InputLimits& limits) : limits_(limits) {}

    /// After a feature was added to `raw`.
    void check(const RawLayer& raw) {
        const std::string what =
            "reading layer '" + raw.report.layer + "' of '" + raw.report.source + "': ";
        if (raw.features.size() > limits_.features_per_layer) {
            refuse(what + "more than " + std::to_string(limits_.features_per_layer) +
                   " features (an input guard: filter the layer with \"where\" or split the "
                   "area)");
        }
        const RawFeature& f = raw.features.back();
        std::size_t n = f.points.size();
        for (const auto& poly : f.polygons) {
            for (const auto& ring : poly) {
                n += ring.size();
            }
        }
        for (const auto& line : f.lines) {
            n += line.size();
        }
        if (n > limits_.vertices_per_feature) {
            refuse(what + "feature '" + (f.id.empty() ? "#" + std::to_string(f.index) : f.id) +
                   "' has " + std::to_string(n) + " vertices, more than the " +
                   std::to_string(limits_.vertices_per_feature) +
                   " a feature may have (an input guard: simplify or split it)");
        }
        total_ += n;
        if (total_ > limits_.vertices_total) {
            refuse(what + "the inputs hold more than " + std::to_string(limits_.vertices_total) +
                   " vertices in all (an input guard: filter the layers or split the area)");
        }
    }

private:
    [[noreturn]] static void refuse(const std::string& message) {
        throw core::Error{core::Errc::invalid_input, message};
    }
    InputLimits limits_;
    std::size_t total_ = 0;
};

/// A GeoPackage layer that is an SQL view or a virtual table runs SQL of the file's author on
/// every read (a recursive view grew to 4.7 GB): refused, only tables are read.
void refuse_gpkg_view(GDALDataset& ds,
                      const std::string& layer,
                      const std::filesystem::path& path) {
    std::string quoted;
    for (const char c : layer) {
        quoted += c == '\'' ? std::string{"''"} : std::string(1, c);
    }
    const std::string sql = "SELECT type, sql FROM sqlite_master WHERE name = '" + quoted + "'";
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result == nullptr) {
        return;
    }
    std::string type;
    std::string text;
    if (std::unique_ptr<OGRFeature> row{result->GetNextFeature()}) {
        type = row->IsFieldSetAndNotNull(0) != 0 ? row->GetFieldAsString(0) : "";
        text = row->IsFieldSetAndNotNull(1) != 0 ? row->GetFieldAsString(1) : "";
    }
    ds.ReleaseResultSet(result);
    const bool is_virtual = ascii_lower(text.substr(0, 20)).rfind("create virtual table", 0) == 0;
    if (type == "view" || is_virtual) {
        throw core::Error{core::Errc::io,
                          "reading layer '" + layer + "' of '" + path.string() + "': it is " +
                              (is_virtual ? "a virtual table" : "an SQL view") +
                              ", not a table (gridplan reads GeoPackage tables only: a view runs "
                              "the file's SQL, possibly without end; save it as a table, e.g. "
                              "with ogr2ogr)"};
    }
}

/// Read errors stop the run (Errc::io naming file, layer and place) unless the user allowed a
/// partial read; then they travel with the layer to the ledger (one read_error row each).
void keep_or_refuse(RawLayer& raw, std::vector<ReadFault> faults, const ReadOptions& options) {
    if (faults.empty()) {
        return;
    }
    if (!options.allow_partial) {
        const ReadFault& first = faults.front();
        std::string place = "after " + std::to_string(first.after_features) + " feature(s)";
        if (!first.last_fid.empty()) {
            place += ", the last one FID " + first.last_fid;
        }
        throw core::Error{core::Errc::io,
                          "reading layer '" + raw.report.layer + "' of '" + raw.report.source +
                              "': the file is corrupt or cut short: GDAL: " + first.message + " (" +
                              place + "; " + std::to_string(faults.size()) +
                              " read error(s)); what follows in the file may be missing",
                          core::Fault::partial_read};
    }
    raw.read_faults = std::move(faults);
}

void report_read(const RawLayer& raw, const ReadOptions& options) {
    core::report(options.progress,
                 "read",
                 std::string{role_name(raw.role)} + ": " + std::to_string(raw.features.size()) +
                     " features from " + raw.source->path.filename().string());
}

/// Reads one configured layer into source coordinates.
RawLayer read_raw_layer(const InputToRead& input, const ReadOptions& options, InputGuard& guard) {
    const LayerSource& source = *input.source;
    GdalErrorScope errors;
    std::vector<std::string> open_options;
    if (source.encoding) {
        open_options.push_back("ENCODING=" + *source.encoding);
    }
    if (is_csv(source.path)) {
        open_options.insert(
            open_options.end(), std::begin(kCsvOpenOptions), std::end(kCsvOpenOptions));
    }
    DatasetPtr ds = open_dataset(source.path, open_options, errors);
    const std::string driver = ds->GetDriver()->GetDescription();
    RawLayer raw = start_layer(input, driver);
    const LayerChoice choice = choose_layer(input.role, source, raw.is_osm);
    raw.report.filter = where_text(choice.where);
    OGRLayer* layer = select_layer(*ds, choice.name, source.path);
    raw.report.layer = layer->GetName();
    const std::string what = layer_what(raw);
    if (driver == "GPKG") {
        refuse_gpkg_view(*ds, raw.report.layer, source.path);
    }

    if (driver == "ESRI Shapefile" && !source.encoding) {
        layer = open_with_shapefile_encoding(raw, ds, layer, choice.name, options, errors);
    } else if (source.encoding) {
        raw.report.encoding = *source.encoding;
    }

    if (driver == "CSV") {
        require_csv_coordinates(*layer, what);
    }
    // A CSV of longitudes and latitudes declares no CRS: WGS 84 unless the input says otherwise.
    raw.crs = raw.is_osm || (driver == "CSV" && !source.assume_epsg)
                  ? geom::Crs::from_epsg(4326)
                  : crs_of_layer(layer, source, what);
    raw.report.crs = raw.crs->label();
    if (!raw.is_osm && layer->GetSpatialRef() == nullptr) {
        raw.report.crs +=
            driver == "CSV" && !source.assume_epsg ? " (assumed: lon/lat columns)" : " (assumed)";
    }
    for (auto& m : errors.drain()) {
        raw.layer_messages.push_back(std::move(m));
    }

    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const FieldPlan plan = plan_fields(raw, defn, what);
    FaultLog log{errors};
    auto read_feature = [&](OGRFeature& f) {
        if (ingest(raw, plan, choice.where, f, defn)) {
            raw.features.back().gdal_messages = errors.drain();
            guard.check(raw);
        }
    };
    if (raw.is_osm) {  // an OSM file under another name than .osm/.pbf
        for_each_osm_feature(*ds, log, [&](OGRLayer* from, OGRFeature& f) {
            if (from == layer) {
                read_feature(f);
            }
        });
    } else {
        for_each_feature(*layer, log, read_feature);
    }
    for (auto& m : errors.drain()) {
        raw.layer_messages.push_back(std::move(m));
    }
    keep_or_refuse(raw, log.faults(), options);
    report_read(raw, options);
    return raw;
}

/// One input of an OSM file being read in one pass, with its layer and filter.
struct OsmMember {
    RawLayer raw;
    OGRLayer* layer = nullptr;
    OGRFeatureDefn* defn = nullptr;
    FieldPlan plan;
    Where where;
};

/// Reads every input that uses the same OSM file in ONE pass over the file: re-reading a
/// city-sized .osm.pbf per role would multiply the cost.
std::vector<RawLayer> read_osm_group(const std::vector<InputToRead>& inputs,
                                     const ReadOptions& options,
                                     InputGuard& guard) {
    const LayerSource& first = *inputs.front().source;
    // GDAL's OSM driver says what a clipped extract made it drop only in debug messages.
    const ThreadConfigOption osm_debug("CPL_DEBUG", "OSM");
    GdalErrorScope errors;
    DatasetPtr ds = open_dataset(first.path, {}, errors);
    const std::string driver = ds->GetDriver()->GetDescription();
    std::vector<OsmMember> members(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        auto& m = members[i];
        m.raw = start_layer(inputs[i], driver);
        m.raw.is_osm = true;
        const LayerChoice choice = choose_layer(inputs[i].role, *inputs[i].source, true);
        m.where = choice.where;
        m.raw.report.filter = where_text(m.where);
        m.layer = select_layer(*ds, choice.name, inputs[i].source->path);
        m.raw.report.layer = m.layer->GetName();
        m.raw.crs = geom::Crs::from_epsg(4326);
        m.raw.report.crs = m.raw.crs->label();
        m.defn = m.layer->GetLayerDefn();
        m.plan = plan_fields(m.raw, m.defn, layer_what(m.raw));
    }
    for (auto& message : errors.drain()) {
        for (auto& m : members) {
            m.raw.layer_messages.push_back(message);
        }
    }
    FaultLog log{errors};
    for_each_osm_feature(*ds, log, [&](OGRLayer* from, OGRFeature& f) {
        for (auto& m : members) {
            if (m.layer == from && ingest(m.raw, m.plan, m.where, f, m.defn)) {
                m.raw.features.back().gdal_messages = errors.drain();
                guard.check(m.raw);
            }
        }
        for (auto& message : errors.drain()) {  // messages of features no member kept
            for (auto& m : members) {
                if (m.layer == from) {
                    m.raw.layer_messages.push_back(message);
                }
            }
        }
    });
    for (auto& message : errors.drain()) {
        for (auto& m : members) {
            m.raw.layer_messages.push_back(message);
        }
    }
    // Dropped relations make areas (multipolygons) and routes; dropped ways make lines or
    // closed-way areas. Each member reading such a layer hears about it.
    const auto dropped = errors.osm_dropped();
    for (auto& m : members) {
        const std::string layer = m.raw.report.layer;
        if (layer == "multipolygons" || layer == "multilinestrings" || layer == "other_relations") {
            m.raw.osm_dropped_relations = dropped.relations;
        }
        if (layer == "lines" || layer == "multipolygons") {
            m.raw.osm_dropped_ways = dropped.ways;
        }
    }
    for (auto& m : members) {  // a corrupt file: every layer read from it may miss features
        keep_or_refuse(m.raw, log.faults(), options);
    }
    std::vector<RawLayer> out;
    out.reserve(members.size());
    for (auto& m : members) {
        report_read(m.raw, options);
        out.push_back(std::move(m.raw));
    }
    return out;
}

bool looks_like_osm(const std::filesystem::path& path) {
    const std::string name = ascii_lower(path.filename().string());
    auto ends_with = [&](const std::string& suffix) {
        return name.size() >= suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return ends_with(".osm") || ends_with(".pbf");
}

}  // namespace

std::vector<RawLayer> read_raw_layers(const std::vector<InputToRead>& inputs,
                                      const ReadOptions& options) {
    std::vector<std::optional<RawLayer>> slots(inputs.size());
    InputGuard guard{options.limits};
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (slots[i]) {
            continue;
        }
        const auto& in = inputs[i];
        if (looks_like_osm(in.source->path)) {
            check_input_path(in.source->path);
            std::vector<InputToRead> group;
            std::vector<std::size_t> where_in_slots;
            for (std::size_t j = i; j < inputs.size(); ++j) {
                if (!slots[j] && inputs[j].source->path == in.source->path) {
                    group.push_back(inputs[j]);
                    where_in_slots.push_back(j);
                }
            }
            auto group_layers = read_osm_group(group, options, guard);
            for (std::size_t k = 0; k < group_layers.size(); ++k) {
                slots[where_in_slots[k]] = std::move(group_layers[k]);
            }
        } else {
            slots[i] = read_raw_layer(in, options, guard);
        }
    }
    std::vector<RawLayer> layers;
    layers.reserve(slots.size());
    for (auto& slot : slots) {
        layers.push_back(std::move(*slot));
    }
    return layers;
}

}  // namespace gridplan::io::detail
