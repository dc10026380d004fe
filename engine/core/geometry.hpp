#pragma once
/// \file
/// Geometry vocabulary (Boost.Geometry models) shared by every module.
/// All coordinates in a Scene are metres in the working CRS (x = easting, y = northing).
/// Polygons are Boost.Geometry's default: clockwise outer rings, closed.

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/multi_linestring.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/geometries/box.hpp>

namespace gridplan::core {

namespace bg = boost::geometry;

using Point = bg::model::d2::point_xy<double>;
using LineString = bg::model::linestring<Point>;
using MultiLineString = bg::model::multi_linestring<LineString>;
using Ring = bg::model::ring<Point>;
using Polygon = bg::model::polygon<Point>;
using MultiPolygon = bg::model::multi_polygon<Polygon>;
using Box = bg::model::box<Point>;

}  // namespace gridplan::core
