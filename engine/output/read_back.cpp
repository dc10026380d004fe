#include "output/read_back.hpp"

#include <memory>
#include <string>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "output/schema.hpp"

namespace gridplan::output {
namespace {

struct DatasetCloser {
    void operator()(GDALDataset* dataset) const noexcept { GDALClose(dataset); }
};
using Dataset = std::unique_ptr<GDALDataset, DatasetCloser>;

core::Ring ring_of(const OGRLinearRing& ring) {
    core::Ring out;
    for (int i = 0; i < ring.getNumPoints(); ++i) {
        out.emplace_back(ring.getX(i), ring.getY(i));
    }
    return out;
}

core::Polygon polygon_of(const OGRPolygon& polygon) {
    core::Polygon out;
    if (const OGRLinearRing* exterior = polygon.getExteriorRing()) {
        out.outer() = ring_of(*exterior);
    }
    for (int i = 0; i < polygon.getNumInteriorRings(); ++i) {
        out.inners().push_back(ring_of(*polygon.getInteriorRing(i)));
    }
    return out;
}

core::LineString line_of(const OGRLineString& line) {
    core::LineString out;
    for (int i = 0; i < line.getNumPoints(); ++i) {
        out.emplace_back(line.getX(i), line.getY(i));
    }
    return out;
}

/// The writers' geometry types back: Point, MultiLineString, MultiPolygon (single parts too).
Geometry geometry_of(const OGRGeometry* g) {
    if (g == nullptr || g->IsEmpty()) {
        return std::monostate{};
    }
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbPoint: {
            const auto* p = g->toPoint();
            return core::Point{p->getX(), p->getY()};
        }
        case wkbLineString:
            return core::MultiLineString{line_of(*g->toLineString())};
        case wkbMultiLineString: {
            core::MultiLineString out;
            for (const OGRLineString* line : *g->toMultiLineString()) {
                out.push_back(line_of(*line));
            }
            return out;
        }
        case wkbPolygon:
            return core::MultiPolygon{polygon_of(*g->toPolygon())};
        case wkbMultiPolygon: {
            core::MultiPolygon out;
            for (const OGRPolygon* polygon : *g->toMultiPolygon()) {
                out.push_back(polygon_of(*polygon));
            }
            return out;
        }
        default:
            return std::monostate{};
    }
}

Value value_of(const OGRFeature& feature, const FieldDef& field) {
    const int i = feature.GetFieldIndex(field.name.c_str());
    if (i < 0 || !feature.IsFieldSetAndNotNull(i)) {
        return std::monostate{};
    }
    switch (field.type) {
        case FieldType::integer:
            return std::int64_t{feature.GetFieldAsInteger64(i)};
        case FieldType::real:
            return feature.GetFieldAsDouble(i);
        case FieldType::string:
            return std::string{feature.GetFieldAsString(i)};
    }
    return std::monostate{};
}

Layer layer_of(OGRLayer& source, std::string_view name) {
    Layer layer = make_layer(name);
    source.ResetReading();
    for (const auto& feature : source) {
        std::vector<Value> row;
        row.reserve(layer.fields.size());
        for (const FieldDef& field : layer.fields) {
            row.push_back(value_of(*feature, field));
        }
        layer.add(layer.geometry_type == GeometryType::none
                      ? Geometry{}
                      : geometry_of(feature->GetGeometryRef()),
                  std::move(row));
    }
    return layer;
}

core::WorkingCrs crs_of(const OGRSpatialReference& srs) {
    core::WorkingCrs crs;
    OGRSpatialReference copy(srs);
    if (copy.AutoIdentifyEPSG() == OGRERR_NONE || copy.GetAuthorityCode(nullptr) != nullptr) {
        const char* code = copy.GetAuthorityCode(nullptr);
        crs.epsg = code != nullptr ? std::atoi(code) : 0;
    }
    crs.name = copy.GetName() != nullptr ? copy.GetName() : "";
    char* wkt = nullptr;
    const char* const options[] = {"FORMAT=WKT2_2019", nullptr};
    if (copy.exportToWkt(&wkt, options) == OGRERR_NONE && wkt != nullptr) {
        crs.wkt = wkt;
    }
    CPLFree(wkt);
    crs.how = "read back";
    return crs;
}

}  // namespace

ReadBack read_gpkg_layers(const std::filesystem::path& gpkg) {
    GDALAllRegister();
    const char* const drivers[] = {"GPKG", nullptr};
    const Dataset dataset(GDALDataset::Open(
        gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
    if (!dataset) {
        throw core::Error{core::Errc::io,
                          "reading '" + gpkg.string() + "': not a GeoPackage that can be opened"};
    }
    ReadBack out;
    for (const std::string_view name : kLayerNames) {
        OGRLayer* source = dataset->GetLayerByName(std::string{name}.c_str());
        if (source == nullptr) {
            continue;
        }
        if (out.crs.wkt.empty() && source->GetSpatialRef() != nullptr) {
            out.crs = crs_of(*source->GetSpatialRef());
        }
        out.layers.push_back(layer_of(*source, name));
    }
    if (out.layers.empty()) {
        throw core::Error{core::Errc::io,
                          "reading '" + gpkg.string() + "': it holds no gridplan output layer"};
    }
    if (out.crs.wkt.empty()) {
        throw core::Error{core::Errc::crs,
                          "reading '" + gpkg.string() + "': its layers have no coordinate system"};
    }
    return out;
}

}  // namespace gridplan::output
