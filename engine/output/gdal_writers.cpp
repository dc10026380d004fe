// GDAL side of the output writers: GeoPackage (with layer_styles), Shapefile, GeoJSON.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <geos_c.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "io/gdal_errors.hpp"
#include "output/styles.hpp"
#include "output/write.hpp"
#include "output/writers_detail.hpp"

namespace gridplan::output::detail {
namespace {

using io::GdalErrorScope;
using io::ThreadConfigOption;

void ensure_registered() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

GDALDriver& driver(const char* name) {
    ensure_registered();
    GDALDriver* found = GetGDALDriverManager()->GetDriverByName(name);
    if (found == nullptr) {
        throw core::Error{core::Errc::io,
                          std::string{"writing outputs: GDAL driver '"} + name + "' not available"};
    }
    return *found;
}

OGRSpatialReference make_srs(const core::WorkingCrs& crs) {
    OGRSpatialReference srs;
    OGRErr err = OGRERR_FAILURE;
    if (crs.epsg > 0) {
        err = srs.importFromEPSG(crs.epsg);
    } else if (!crs.wkt.empty()) {
        err = srs.importFromWkt(crs.wkt.c_str());
    }
    if (err != OGRERR_NONE) {
        throw core::Error{core::Errc::crs,
                          "writing outputs in working CRS '" + crs.name +
                              "': cannot build its spatial reference (EPSG " +
                              std::to_string(crs.epsg) + ")"};
    }
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

OGRwkbGeometryType ogr_type(GeometryType type) {
    switch (type) {
        case GeometryType::none:
            return wkbNone;
        case GeometryType::point:
            return wkbPoint;
        case GeometryType::line:
            return wkbMultiLineString;
        case GeometryType::polygon:
            return wkbMultiPolygon;
    }
    return wkbUnknown;
}

OGRLinearRing to_ring(const core::Ring& ring) {
    OGRLinearRing out;
    out.setNumPoints(static_cast<int>(ring.size()), FALSE);
    for (std::size_t i = 0; i < ring.size(); ++i) {
        out.setPoint(static_cast<int>(i), ring[i].x(), ring[i].y());
    }
    return out;
}

/// The OGR geometry of `geometry`, or nullptr for a NULL or empty geometry.
std::unique_ptr<OGRGeometry> to_ogr(const Geometry& geometry) {
    return std::visit(
        [](const auto& g) -> std::unique_ptr<OGRGeometry> {
            using T = std::decay_t<decltype(g)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return nullptr;
            } else if constexpr (std::is_same_v<T, core::Point>) {
                return std::make_unique<OGRPoint>(g.x(), g.y());
            } else if constexpr (std::is_same_v<T, core::MultiLineString>) {
                if (g.empty()) {
                    return nullptr;
                }
                auto out = std::make_unique<OGRMultiLineString>();
                for (const auto& line : g) {
                    OGRLineString part;
                    part.setNumPoints(static_cast<int>(line.size()), FALSE);
                    for (std::size_t i = 0; i < line.size(); ++i) {
                        part.setPoint(static_cast<int>(i), line[i].x(), line[i].y());
                    }
                    out->addGeometry(&part);
                }
                return out;
            } else {
                if (g.empty()) {
                    return nullptr;
                }
                auto out = std::make_unique<OGRMultiPolygon>();
                for (const auto& polygon : g) {
                    OGRPolygon part;
                    OGRLinearRing outer = to_ring(polygon.outer());
                    part.addRing(&outer);
                    for (const auto& inner : polygon.inners()) {
                        OGRLinearRing hole = to_ring(inner);
                        part.addRing(&hole);
                    }
                    out->addGeometry(&part);
                }
                return out;
            }
        },
        geometry);
}

OGRFieldType ogr_field_type(FieldType type) {
    switch (type) {
        case FieldType::integer:
            return OFTInteger64;
        case FieldType::real:
            return OFTReal;
        case FieldType::string:
            return OFTString;
    }
    return OFTString;
}

/// Width and decimals of a DBF field (0: the driver's default).
struct DbfFormat {
    int width = 0;
    int precision = 0;
};

void add_fields(OGRLayer& layer,
                const Layer& source,
                GdalErrorScope& errors,
                const std::vector<DbfFormat>* formats) {
    for (std::size_t i = 0; i < source.fields.size(); ++i) {
        const FieldDef& def = source.fields[i];
        OGRFieldDefn field(def.name.c_str(), ogr_field_type(def.type));
        if (formats != nullptr && (*formats)[i].width > 0) {
            field.SetWidth((*formats)[i].width);
            field.SetPrecision((*formats)[i].precision);
        }
        errors.check(layer.CreateField(&field, TRUE) == OGRERR_NONE,
                     "creating field '" + def.name + "' of layer '" + source.name + "' in");
    }
}

/// GDAL's default DBF format of a real field, N(24,15): values up to 8 integer digits fit.
constexpr int kDbfRealWidth = 24;
constexpr int kDbfRealDecimals = 15;

/// Characters of `value` written with `decimals` decimals ("%.*f").
int fixed_length(double value, int decimals) {
    return std::snprintf(nullptr, 0, "%.*f", decimals, value);
}

/// The DBF formats of a layer's fields: strings as wide as the longest value (after the
/// 254-byte cut); reals N(24,15) unless a value would not fit in 24 characters (a city-wide
/// area in m² has 9 or more integer digits; the driver would cut its last decimals and warn
/// that it was "not successfully written"), then with as many decimals as fit (a value too
/// large for N(24,0) widens the field); integers the driver's default.
std::vector<DbfFormat> dbf_formats(const Layer& layer) {
    std::vector<DbfFormat> out(layer.fields.size());
    std::vector<int> longest(layer.fields.size(), 0);  // reals: longest "%.15f"
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        if (layer.fields[i].type == FieldType::string) {
            out[i].width = 1;
        }
    }
    for (const auto& row : layer.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (const auto* text = std::get_if<std::string>(&row[i])) {
                const auto bytes =
                    static_cast<int>(core::cut_utf8(*text, kDbfMaxStringBytes).size());
                out[i].width = std::max(out[i].width, bytes);
            } else if (layer.fields[i].type == FieldType::real && row[i].index() != 0) {
                const double v = std::holds_alternative<double>(row[i])
                                     ? std::get<double>(row[i])
                                     : static_cast<double>(std::get<std::int64_t>(row[i]));
                longest[i] = std::max(longest[i], fixed_length(v, kDbfRealDecimals));
            }
        }
    }
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        if (longest[i] > kDbfRealWidth) {
            const int over = longest[i] - kDbfRealWidth;
            out[i].precision = std::max(0, kDbfRealDecimals - over);
            // Without decimals there is no point either: "%.0f" is one character shorter.
            out[i].width =
                std::min(255, std::max(kDbfRealWidth, longest[i] - kDbfRealDecimals - 1));
        }
    }
    return out;
}

/// Sets the attribute values of one row (strings already cut by the caller if needed).
void set_values(OGRFeature& feature,
                const std::vector<Value>& row,
                const std::vector<std::string>* cut_strings) {
    for (std::size_t i = 0; i < row.size(); ++i) {
        const int index = static_cast<int>(i);
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::monostate>) {
                    feature.SetFieldNull(index);
                } else if constexpr (std::is_same_v<T, std::int64_t>) {
                    if (feature.GetFieldDefnRef(index)->GetType() == OFTReal) {
                        feature.SetField(index, static_cast<double>(v));
                    } else {
                        feature.SetField(index, static_cast<GIntBig>(v));
                    }
                } else if constexpr (std::is_same_v<T, double>) {
                    feature.SetField(index, v);
                } else {
                    const std::string& text = cut_strings != nullptr ? (*cut_strings)[i] : v;
                    feature.SetField(index, text.c_str());
                }
            },
            row[i]);
    }
}

/// Rounds every coordinate to `decimals` places (what the GeoJSON file will hold), so validity
/// can be checked on the geometry as it will be read back.
void round_coordinates(OGRGeometry& geometry, double scale) {
    const auto round = [scale](double v) { return std::round(v * scale) / scale; };
    if (auto* point = dynamic_cast<OGRPoint*>(&geometry)) {
        point->setX(round(point->getX()));
        point->setY(round(point->getY()));
    } else if (auto* curve = dynamic_cast<OGRSimpleCurve*>(&geometry)) {
        for (int i = 0; i < curve->getNumPoints(); ++i) {
            curve->setPoint(i, round(curve->getX(i)), round(curve->getY(i)));
        }
    } else if (auto* polygon = dynamic_cast<OGRCurvePolygon*>(&geometry)) {
        for (int i = 0; i < polygon->getNumInteriorRings() + 1; ++i) {
            OGRCurve* ring =
                i == 0 ? polygon->getExteriorRingCurve() : polygon->getInteriorRingCurve(i - 1);
            if (ring != nullptr) {
                round_coordinates(*ring, scale);
            }
        }
    } else if (auto* collection = dynamic_cast<OGRGeometryCollection*>(&geometry)) {
        for (int i = 0; i < collection->getNumGeometries(); ++i) {
            round_coordinates(*collection->getGeometryRef(i), scale);
        }
    }
}

/// The polygonal part of `geometry` as a MultiPolygon (nullptr when there is none).
std::unique_ptr<OGRGeometry> polygonal_part(const OGRGeometry& geometry) {
    auto out = std::make_unique<OGRMultiPolygon>();
    const auto add = [&](const OGRGeometry& part) {
        if (wkbFlatten(part.getGeometryType()) == wkbPolygon && !part.IsEmpty()) {
            out->addGeometry(&part);
        }
    };
    if (const auto* collection = dynamic_cast<const OGRGeometryCollection*>(&geometry)) {
        for (int i = 0; i < collection->getNumGeometries(); ++i) {
            add(*collection->getGeometryRef(i));
        }
    } else {
        add(geometry);
    }
    if (out->IsEmpty()) {
        return nullptr;
    }
    return out;
}

/// Twice the signed area of a ring (shoelace): > 0 counter-clockwise.
double signed_area2(const OGRSimpleCurve& ring) {
    // Relative to the first vertex: lon/lat products near 7 * 43 lose the sign of tiny rings.
    if (ring.getNumPoints() == 0) {
        return 0.0;
    }
    const double x0 = ring.getX(0);
    const double y0 = ring.getY(0);
    double sum = 0.0;
    for (int i = 0; i + 1 < ring.getNumPoints(); ++i) {
        sum += (ring.getX(i) - x0) * (ring.getY(i + 1) - y0) -
               (ring.getX(i + 1) - x0) * (ring.getY(i) - y0);
    }
    return sum;
}

/// RFC 7946 §3.1.6 winding: exterior rings counter-clockwise, holes clockwise (decided by the
/// shoelace area, which is exact for any valid ring).
void wind_rfc7946(OGRGeometry& geometry) {
    if (auto* polygon = dynamic_cast<OGRPolygon*>(&geometry)) {
        for (int i = 0; i < polygon->getNumInteriorRings() + 1; ++i) {
            OGRLinearRing* ring =
                i == 0 ? polygon->getExteriorRing() : polygon->getInteriorRing(i - 1);
            if (ring != nullptr && (signed_area2(*ring) < 0.0) == (i == 0)) {
                ring->reverseWindingOrder();
            }
        }
    } else if (auto* collection = dynamic_cast<OGRGeometryCollection*>(&geometry)) {
        for (int i = 0; i < collection->getNumGeometries(); ++i) {
            wind_rfc7946(*collection->getGeometryRef(i));
        }
    }
}

/// How the GeoJSON writer reprojects: working CRS -> WGS 84, rounded to 7 decimals, repaired
/// when the rounding made a polygon invalid (slivers narrower than ~1 cm collapse).
struct GeoJsonTransform {
    OGRCoordinateTransformation* transform = nullptr;
    double scale = 1e7;
    std::size_t repaired = 0;
    std::size_t emptied = 0;
    std::size_t still_invalid = 0;
};

bool quietly_valid(const OGRGeometry& geometry) {
    // GEOS explains every invalid geometry as a GDAL warning: counted by the caller instead.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    const bool valid = geometry.IsValid() != FALSE;
    CPLPopErrorHandler();
    return valid;
}

/// A rounded polygon that is valid as written: MakeValid adds intersection vertices that are
/// not on the 7-decimal grid, so repair and rounding alternate until the result holds still.
/// The result is a MultiPolygon, nullptr when nothing polygonal is left or when it stays invalid
/// (`*still_invalid` then says which).
std::unique_ptr<OGRGeometry> made_valid_rounded(const OGRGeometry& invalid,
                                                double scale,
                                                bool* still_invalid) {
    *still_invalid = false;
    std::unique_ptr<OGRGeometry> geometry(invalid.clone());
    constexpr int kMaxRounds = 4;
    for (int round = 0; round < kMaxRounds && geometry != nullptr; ++round) {
        const char* const options[] = {"METHOD=STRUCTURE", nullptr};
        CPLPushErrorHandler(CPLQuietErrorHandler);
        const std::unique_ptr<OGRGeometry> fixed(geometry->MakeValid(options));
        CPLPopErrorHandler();
        geometry = fixed ? polygonal_part(*fixed) : nullptr;
        if (geometry != nullptr) {
            round_coordinates(*geometry, scale);
            if (quietly_valid(*geometry)) {
                return geometry;
            }
        }
    }
    *still_invalid = geometry != nullptr;
    return geometry;
}

/// This thread's GEOS context (for snap rounding, which GDAL 3.6 does not offer).
GEOSContextHandle_t geos_handle() {
    struct Handle {
        GEOSContextHandle_t h = GEOS_init_r();
        Handle() = default;
        Handle(const Handle&) = delete;
        Handle& operator=(const Handle&) = delete;
        Handle(Handle&&) = delete;
        Handle& operator=(Handle&&) = delete;
        ~Handle() { GEOS_finish_r(h); }
    };
    thread_local const Handle handle;
    return handle.h;
}

/// `geometry` snap-rounded to the grid of 1/scale (GEOS precision reduction: every vertex and
/// every crossing on the grid, the result valid by construction; a sliver narrower than a grid
/// cell collapses to a line and is dropped). Costs one noding of the geometry, not the union of
/// every ring that MakeValid makes. nullptr when GEOS fails or leaves nothing polygonal.
std::unique_ptr<OGRGeometry> snap_rounded(const OGRGeometry& geometry, double scale) {
    GEOSContextHandle_t h = geos_handle();
    GEOSGeometry* in = geometry.exportToGEOS(h);
    if (in == nullptr) {
        return nullptr;
    }
    GEOSGeometry* out = GEOSGeom_setPrecision_r(h, in, 1.0 / scale, GEOS_PREC_VALID_OUTPUT);
    GEOSGeom_destroy_r(h, in);
    if (out == nullptr) {
        return nullptr;
    }
    const std::unique_ptr<OGRGeometry> reduced(OGRGeometryFactory::createFromGEOS(h, out));
    GEOSGeom_destroy_r(h, out);
    return reduced ? polygonal_part(*reduced) : nullptr;
}

/// A rounded polygon that is valid as written: snap-rounded when rounding made it invalid (its
/// vertices are on the grid already, so the result is the rounding with crossings noded and
/// collapsed slivers removed), else, should GEOS refuse, repaired with MakeValid.
std::unique_ptr<OGRGeometry> valid_after_rounding(std::unique_ptr<OGRGeometry> geometry,
                                                  GeoJsonTransform& geojson) {
    if (quietly_valid(*geometry)) {
        return geometry;
    }
    if (auto reduced = snap_rounded(*geometry, geojson.scale)) {
        round_coordinates(*reduced, geojson.scale);
        if (quietly_valid(*reduced)) {
            ++geojson.repaired;
            return reduced;
        }
    }
    bool still_invalid = false;
    auto fixed = made_valid_rounded(*geometry, geojson.scale, &still_invalid);
    ++(still_invalid      ? geojson.still_invalid
       : fixed != nullptr ? geojson.repaired
                          : geojson.emptied);
    return fixed;
}

/// Writes rows [begin, end) of `source` into `layer` with FIDs r + 1 (GPKG/GeoJSON) or
/// automatic FIDs; row r's geometry is geometry_of(r) (nullptr: NULL geometry).
template <class GeometryOf>
void write_rows(OGRLayer& layer,
                const Layer& source,
                GdalErrorScope& errors,
                bool set_fid,
                std::map<std::size_t, std::size_t>* cut_counts,
                std::size_t begin,
                std::size_t end,
                const GeometryOf& geometry_of) {
    for (std::size_t r = begin; r < end; ++r) {
        OGRFeature feature(layer.GetLayerDefn());
        if (set_fid) {
            feature.SetFID(static_cast<GIntBig>(r) + 1);
        }
        std::vector<std::string> cut;
        if (cut_counts != nullptr) {
            cut.resize(source.fields.size());
            for (std::size_t i = 0; i < source.fields.size(); ++i) {
                if (const auto* text = std::get_if<std::string>(&source.rows[r][i])) {
                    cut[i] = std::string{core::cut_utf8(*text, kDbfMaxStringBytes)};
                    if (cut[i].size() != text->size()) {
                        ++(*cut_counts)[i];
                    }
                }
            }
        }
        set_values(feature, source.rows[r], cut_counts != nullptr ? &cut : nullptr);
        if (std::unique_ptr<OGRGeometry> geometry = geometry_of(r)) {
            feature.SetGeometryDirectly(geometry.release());
        }
        errors.check(
            layer.CreateFeature(&feature) == OGRERR_NONE,
            "writing feature " + std::to_string(r + 1) + " of layer '" + source.name + "' to");
    }
}

/// Writes every row of `source` with its geometry as it is (GeoPackage, Shapefile).
void write_features(OGRLayer& layer,
                    const Layer& source,
                    GdalErrorScope& errors,
                    bool set_fid,
                    std::map<std::size_t, std::size_t>* cut_counts) {
    write_rows(
        layer, source, errors, set_fid, cut_counts, 0, source.rows.size(), [&](std::size_t r) {
            return to_ogr(source.geometries[r]);
        });
}

/// Row r's geometry reprojected to WGS 84 and rounded (nullptr for a NULL geometry).
std::unique_ptr<OGRGeometry> geojson_rounded(const Layer& source,
                                             std::size_t r,
                                             const GeoJsonTransform& geojson,
                                             GdalErrorScope& errors) {
    auto geometry = to_ogr(source.geometries[r]);
    if (geometry) {
        errors.check(geometry->transform(geojson.transform) == OGRERR_NONE,
                     "reprojecting feature " + std::to_string(r + 1) + " of layer '" + source.name +
                         "' to WGS 84 for");
        round_coordinates(*geometry, geojson.scale);
    }
    return geometry;
}

/// A rounded geometry made ready for GeoJSON: repaired when the rounding made a polygon invalid,
/// wound as RFC 7946 asks (nullptr when it collapsed). GEOS only: safe on any thread.
std::unique_ptr<OGRGeometry> geojson_finished(std::unique_ptr<OGRGeometry> geometry,
                                              GeometryType type,
                                              GeoJsonTransform& geojson) {
    if (geometry && type == GeometryType::polygon) {
        geometry = valid_after_rounding(std::move(geometry), geojson);
    }
    if (geometry) {
        wind_rfc7946(*geometry);
    }
    return geometry;
}

/// Points of a feature's geometry (its cost to reproject, check and write).
std::size_t vertex_count(const Geometry& geometry) {
    return std::visit(
        [](const auto& g) -> std::size_t {
            using T = std::decay_t<decltype(g)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return 0;
            } else if constexpr (std::is_same_v<T, core::Point>) {
                return 1;
            } else {
                return core::bg::num_points(g);
            }
        },
        geometry);
}

/// Features whose geometries are prepared together: about this many points (bounds the memory
/// of the prepared OGR geometries).
constexpr std::size_t kBatchPoints = std::size_t{1} << 21;

/// One GeoJSON geometry being prepared, and what repairing it counted.
struct PreparedGeometry {
    std::unique_ptr<OGRGeometry> geometry;
    GeoJsonTransform counts;
};

/// The GeoJSON features of `source`, in batches of about kBatchPoints points: reprojected and
/// rounded on this thread (PROJ), checked, repaired and wound on `threads` workers (GEOS; the
/// largest first), written in row order. Each geometry depends only on its row, so the file is
/// the same for any thread count.
void write_geojson_features(OGRLayer& layer,
                            const Layer& source,
                            GdalErrorScope& errors,
                            int threads,
                            GeoJsonTransform& geojson) {
    const std::size_t n = source.rows.size();
    for (std::size_t begin = 0; begin < n;) {
        std::size_t end = begin;
        for (std::size_t points = 0; end < n && (end == begin || points < kBatchPoints); ++end) {
            points += vertex_count(source.geometries[end]);
        }
        std::vector<PreparedGeometry> prepared(end - begin);
        std::vector<std::size_t> order(end - begin);
        for (std::size_t r = begin; r < end; ++r) {
            prepared[r - begin].geometry = geojson_rounded(source, r, geojson, errors);
            order[r - begin] = r - begin;
        }
        std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
            return vertex_count(source.geometries[begin + x]) >
                   vertex_count(source.geometries[begin + y]);
        });
        core::parallel_items(order.size(), threads, [&](std::size_t item, unsigned) {
            auto& slot = prepared[order[item]];
            slot.geometry =
                geojson_finished(std::move(slot.geometry), source.geometry_type, slot.counts);
        });
        write_rows(layer, source, errors, true, nullptr, begin, end, [&](std::size_t r) {
            auto& slot = prepared[r - begin];
            geojson.repaired += slot.counts.repaired;
            geojson.emptied += slot.counts.emptied;
            geojson.still_invalid += slot.counts.still_invalid;
            return std::move(slot.geometry);
        });
        begin = end;
    }
}

void write_layer_styles(GDALDataset& ds, std::span<const Layer> layers, GdalErrorScope& errors) {
    // Same table QGIS creates (qgsogrprovidermetadata.cpp saveStyle), through OGR so it is
    // registered in gpkg_contents as an attributes table.
    CPLStringList lco;
    lco.SetNameValue("FID", "id");
    OGRLayer* styles = ds.CreateLayer("layer_styles", nullptr, wkbNone, lco.List());
    errors.check(styles != nullptr, "creating table 'layer_styles' in");
    struct Column {
        const char* name;
        OGRFieldType type;
        int width;
    };
    const Column columns[] = {
        {"f_table_catalog", OFTString, 256},
        {"f_table_schema", OFTString, 256},
        {"f_table_name", OFTString, 256},
        {"f_geometry_column", OFTString, 256},
        {"styleName", OFTString, 30},
        {"styleQML", OFTString, 0},
        {"styleSLD", OFTString, 0},
        {"useAsDefault", OFTInteger, 0},
        {"description", OFTString, 0},
        {"owner", OFTString, 30},
        {"ui", OFTString, 30},
        {"update_time", OFTDateTime, 0},
    };
    for (const Column& column : columns) {
        OGRFieldDefn field(column.name, column.type);
        field.SetWidth(column.width);
        if (column.type == OFTInteger) {
            field.SetSubType(OFSTBoolean);
        }
        if (column.type == OFTDateTime) {
            field.SetDefault("CURRENT_TIMESTAMP");
        }
        errors.check(styles->CreateField(&field) == OGRERR_NONE,
                     std::string{"creating field 'layer_styles."} + column.name + "' in");
    }
    errors.check(ds.StartTransaction() == OGRERR_NONE, "starting a transaction in");
    GIntBig fid = 0;
    for (const Layer& layer : layers) {
        OGRFeature feature(styles->GetLayerDefn());
        feature.SetFID(++fid);
        const std::string qml = layer_qml(layer);
        const std::string sld{embedded_style(layer.name + ".sld").value_or("")};
        const std::string description = "gridplan default style: " + layer.title_zh;
        feature.SetField("f_table_catalog", "");
        feature.SetField("f_table_schema", "");
        feature.SetField("f_table_name", layer.name.c_str());
        feature.SetField("f_geometry_column",
                         layer.geometry_type == GeometryType::none ? "" : "geom");
        feature.SetField("styleName", layer.name.c_str());
        feature.SetField("styleQML", qml.c_str());
        feature.SetField("styleSLD", sld.c_str());
        feature.SetField("useAsDefault", 1);
        feature.SetField("description", description.c_str());
        feature.SetField("owner", "");
        feature.SetField("ui", "");
        feature.SetField("update_time", 2000, 1, 1, 0, 0, 0.0F, 100);
        errors.check(styles->CreateFeature(&feature) == OGRERR_NONE,
                     "writing the default style of '" + layer.name + "' to");
    }
    errors.check(ds.CommitTransaction() == OGRERR_NONE, "committing layer_styles to");
}

/// The working CRS -> WGS 84 lon/lat transformation, built once per thread and CRS: PROJ's
/// operation search reads proj.db and costs a large fraction of a second each time.
OGRCoordinateTransformation& to_wgs84(const core::WorkingCrs& crs) {
    struct Cached {
        std::string key;
        std::unique_ptr<OGRCoordinateTransformation> transform;
    };
    // Thread-locals die in reverse order of construction, and ~Cached releases the SRSs, which
    // needs GDAL's own per-thread PROJ context: make that context first, so that it outlives the
    // cache (else GDAL makes a new one at thread exit and leaks it; found by the sanitizer run of
    // `gridplan serve`, whose request threads write GeoJSON on save).
    thread_local const bool gdal_context_first = [] {
        OGRSpatialReference touch;
        return touch.importFromEPSG(4326) == OGRERR_NONE;
    }();
    (void)gdal_context_first;
    thread_local Cached cached;
    const std::string key = std::to_string(crs.epsg) + '\n' + crs.wkt;
    if (cached.transform == nullptr || cached.key != key) {
        const OGRSpatialReference source = make_srs(crs);
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        cached.transform.reset(OGRCreateCoordinateTransformation(&source, &wgs84));
        cached.key = key;
        if (cached.transform == nullptr) {
            throw core::Error{
                core::Errc::crs,
                "writing GeoJSON: cannot transform working CRS '" + crs.name + "' to WGS 84"};
        }
    }
    return *cached.transform;
}

}  // namespace

void to_lonlat(const core::WorkingCrs& crs,
               std::vector<core::Point>& points,
               std::string_view what) {
    std::vector<double> xs(points.size());
    std::vector<double> ys(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        xs[i] = points[i].x();
        ys[i] = points[i].y();
    }
    if (!points.empty() && to_wgs84(crs).Transform(points.size(), xs.data(), ys.data()) == FALSE) {
        throw core::Error{core::Errc::crs,
                          "reprojecting " + std::string{what} + " to WGS 84 failed"};
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        points[i] = core::Point{xs[i], ys[i]};
    }
}

std::string crs_wkt2(const core::WorkingCrs& crs) {
    ensure_registered();
    const OGRSpatialReference srs = make_srs(crs);
    char* wkt = nullptr;
    const char* const options[] = {"FORMAT=WKT2_2019", "MULTILINE=NO", nullptr};
    if (srs.exportToWkt(&wkt, options) != OGRERR_NONE || wkt == nullptr) {
        CPLFree(wkt);
        if (!crs.wkt.empty()) {
            return crs.wkt;
        }
        throw core::Error{core::Errc::crs, "exporting working CRS '" + crs.name + "' as WKT2"};
    }
    std::string out{wkt};
    CPLFree(wkt);
    return out;
}

void write_gpkg(const std::filesystem::path& file,
                const core::WorkingCrs& crs,
                std::span<const Layer> layers,
                std::vector<std::string>& warnings) {
    GDALDriver& gpkg = driver("GPKG");
    OGRSpatialReference srs = make_srs(crs);
    // Pins gpkg_contents.last_change and every other timestamp GDAL writes.
    const ThreadConfigOption date("OGR_CURRENT_DATE", kPinnedTimestamp);
    // The file is written in a temporary directory and renamed when complete, so per-commit
    // fsyncs buy nothing (and cost seconds on slow disks).
    const ThreadConfigOption sync("OGR_SQLITE_SYNCHRONOUS", "OFF");
    // SQLite's page cache (MB, an upper bound): with the default 2 MB, a layer of a million
    // features writes and rereads its table and R-tree pages many times (1 M located points:
    // 20 s with the default, 14 s with 512 MB).
    const ThreadConfigOption cache("OGR_SQLITE_CACHE", "512");
    GdalErrorScope errors(warnings, file.string());
    GDALDatasetUniquePtr ds(gpkg.Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    errors.check(ds != nullptr, "creating GeoPackage");
    std::map<std::string, int> title_uses;
    for (const Layer& layer : layers) {
        ++title_uses[layer.title_zh];
    }
    for (const Layer& layer : layers) {
        CPLStringList lco;
        lco.SetNameValue("FID", "fid");
        lco.SetNameValue("GEOMETRY_NAME", "geom");
        if (!layer.title_zh.empty() && title_uses[layer.title_zh] == 1) {
            lco.SetNameValue("IDENTIFIER", layer.title_zh.c_str());
        }
        const bool spatial = layer.geometry_type != GeometryType::none;
        OGRLayer* out = ds->CreateLayer(layer.name.c_str(),
                                        spatial ? &srs : nullptr,
                                        ogr_type(layer.geometry_type),
                                        lco.List());
        errors.check(out != nullptr, "creating layer '" + layer.name + "' in");
        add_fields(*out, layer, errors, nullptr);
        errors.check(ds->StartTransaction() == OGRERR_NONE, "starting a transaction in");
        write_features(*out, layer, errors, true, nullptr);
        errors.check(ds->CommitTransaction() == OGRERR_NONE,
                     "committing layer '" + layer.name + "' to");
    }
    write_layer_styles(*ds, layers, errors);
    ds.reset();
    errors.check(true, "closing GeoPackage");
}

void write_shapefiles(const std::filesystem::path& dir,
                      const core::WorkingCrs& crs,
                      std::span<const Layer> layers,
                      std::vector<std::string>& warnings) {
    GDALDriver& shp = driver("ESRI Shapefile");
    OGRSpatialReference srs = make_srs(crs);
    std::filesystem::create_directories(dir);
    for (const Layer& layer : layers) {
        const bool spatial = layer.geometry_type != GeometryType::none;
        const std::filesystem::path file = dir / (layer.name + (spatial ? ".shp" : ".dbf"));
        GdalErrorScope errors(warnings, file.string());
        const std::vector<DbfFormat> formats = dbf_formats(layer);
        GDALDatasetUniquePtr ds(shp.Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        errors.check(ds != nullptr, "creating Shapefile");
        CPLStringList lco;
        lco.SetNameValue("ENCODING", "UTF-8");
        lco.SetNameValue("DBF_DATE_LAST_UPDATE", "2000-01-01");
        lco.SetNameValue("2GB_LIMIT", "YES");
        lco.SetNameValue("SPATIAL_INDEX", "NO");
        OGRLayer* out = ds->CreateLayer(layer.name.c_str(),
                                        spatial ? &srs : nullptr,
                                        ogr_type(layer.geometry_type),
                                        lco.List());
        errors.check(out != nullptr, "creating layer '" + layer.name + "' in");
        add_fields(*out, layer, errors, &formats);
        std::map<std::size_t, std::size_t> cut_counts;
        write_features(*out, layer, errors, false, &cut_counts);
        ds.reset();
        errors.check(true, "closing Shapefile");
        for (const auto& [field, count] : cut_counts) {
            warnings.push_back("writing '" + file.string() + "': " + std::to_string(count) +
                               " value(s) of field '" + layer.fields[field].name +
                               "' cut to 254 bytes on a character boundary (the full text is in "
                               "the GeoPackage and GeoJSON)");
        }
        write_text_file(dir / (layer.name + ".qml"), layer_qml(layer));
    }
}

void write_geojson(const std::filesystem::path& dir,
                   const core::WorkingCrs& crs,
                   std::span<const Layer> layers,
                   std::vector<std::string>& warnings,
                   int threads) {
    GDALDriver& geojson = driver("GeoJSON");
    OGRCoordinateTransformation& to_lonlat = to_wgs84(crs);
    std::filesystem::create_directories(dir);
    for (const Layer& layer : layers) {
        const std::filesystem::path file = dir / (layer.name + ".geojson");
        GdalErrorScope errors(warnings, file.string());
        GDALDatasetUniquePtr ds(geojson.Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        errors.check(ds != nullptr, "creating GeoJSON");
        CPLStringList lco;
        // RFC 7946 is done here rather than with GDAL's RFC7946=YES: the features are already
        // reprojected, rounded, repaired and wound (GDAL 3.6's own rewinding misjudges some
        // rings with collinear runs), and a layer without SRS gets no `crs` member.
        lco.SetNameValue("COORDINATE_PRECISION", "7");
        lco.SetNameValue("WRITE_NAME", "NO");
        OGRLayer* out =
            ds->CreateLayer(layer.name.c_str(), nullptr, ogr_type(layer.geometry_type), lco.List());
        errors.check(out != nullptr, "creating layer '" + layer.name + "' in");
        add_fields(*out, layer, errors, nullptr);
        GeoJsonTransform transform{.transform = &to_lonlat};
        write_geojson_features(*out, layer, errors, threads, transform);
        ds.reset();
        errors.check(true, "closing GeoJSON");
        if (transform.still_invalid > 0) {
            warnings.push_back("writing '" + file.string() +
                               "': " + std::to_string(transform.still_invalid) +
                               " polygon(s) stay invalid after rounding to 7 decimals (the "
                               "GeoPackage holds the exact geometry)");
        }
        if (transform.repaired + transform.emptied > 0) {
            warnings.push_back("writing '" + file.string() +
                               "': " + std::to_string(transform.repaired + transform.emptied) +
                               " polygon(s) became invalid when rounded to 7 decimals (about 1 "
                               "cm) and were repaired (" +
                               std::to_string(transform.emptied) + " collapsed to NULL)");
        }
        write_text_file(dir / (layer.name + ".qml"), layer_qml(layer));
    }
}

}  // namespace gridplan::output::detail
