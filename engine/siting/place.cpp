/// \file
/// Where a proposed site is (docs/siting.md, "Finding a site"): road names, community and grid,
/// longitude/latitude.

#include "siting/place.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <tuple>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/text.hpp"
#include "geom/crs.hpp"

namespace gridplan::siting {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using Segment = bg::model::segment<core::Point>;

/// Two roads closer than this are taken to meet (noding tolerance of the inputs).
constexpr double kMeetTolM = 1.0;

/// A named road near the site: its least distance and its pieces within the corner distance.
struct NearName {
    std::string name;
    double distance_m = 0.0;
    std::vector<std::uint32_t> close_roads;
};

core::Box around(const core::Point& p, double r) {
    return {core::Point(p.x() - r, p.y() - r), core::Point(p.x() + r, p.y() + r)};
}

/// The segments of `line` within `max_m` of `p`.
std::vector<Segment> segments_near(const core::LineString& line,
                                   const core::Point& p,
                                   double max_m) {
    std::vector<Segment> out;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        Segment s(line[i], line[i + 1]);
        if (bg::distance(p, s) <= max_m)
            out.push_back(s);
    }
    return out;
}

/// True when two segments meet (cross, touch, or end within kMeetTolM of each other) at a point
/// within `max_m` of `p`.
bool segments_meet_near(const Segment& a, const Segment& b, const core::Point& p, double max_m) {
    std::vector<core::Point> crossing;
    bg::intersection(a, b, crossing);
    for (const core::Point& x : crossing) {
        if (bg::distance(p, x) <= max_m)
            return true;
    }
    for (const core::Point& e : {a.first, a.second}) {
        if (bg::distance(e, b) <= kMeetTolM && bg::distance(p, e) <= max_m)
            return true;
    }
    for (const core::Point& e : {b.first, b.second}) {
        if (bg::distance(e, a) <= kMeetTolM && bg::distance(p, e) <= max_m)
            return true;
    }
    return false;
}

/// True when roads `a` and `b` (on the same grade) meet within `max_m` of `p`.
bool roads_meet_near(const core::Road& a, const core::Road& b, const core::Point& p, double max_m) {
    if (a.layer != b.layer)
        return false;
    const std::vector<Segment> near_b = segments_near(b.line, p, max_m);
    for (const Segment& sa : segments_near(a.line, p, max_m)) {
        for (const Segment& sb : near_b) {
            if (segments_meet_near(sa, sb, p, max_m))
                return true;
        }
    }
    return false;
}

}  // namespace

struct RoadNamer::Index {
    bgi::rtree<std::pair<core::Box, std::uint32_t>, bgi::quadratic<16>> tree;
};

RoadNamer::RoadNamer(std::span<const core::Road> roads, const PlaceOptions& options)
    : roads_(roads), options_(options), index_(std::make_unique<Index>()) {
    std::vector<std::pair<core::Box, std::uint32_t>> entries;
    for (std::size_t i = 0; i < roads.size(); ++i) {
        const core::Road& r = roads[i];
        if (!r.walkable || core::trim(r.name).empty() || r.line.size() < 2)
            continue;
        entries.emplace_back(bg::return_envelope<core::Box>(r.line), static_cast<std::uint32_t>(i));
    }
    index_->tree = decltype(index_->tree)(entries.begin(), entries.end());
}

RoadNamer::~RoadNamer() = default;

std::string RoadNamer::name_at(const core::Point& p) const {
    std::vector<std::pair<core::Box, std::uint32_t>> hits;
    index_->tree.query(bgi::intersects(around(p, options_.road_max_m)), std::back_inserter(hits));
    std::map<std::string, NearName> by_name;
    for (const auto& [box, i] : hits) {
        const double d = bg::distance(p, roads_[i].line);
        if (d > options_.road_max_m)
            continue;
        const std::string name = core::trim(roads_[i].name);
        auto [it, fresh] = by_name.try_emplace(name, NearName{name, d, {}});
        it->second.distance_m = std::min(it->second.distance_m, d);
        if (d <= options_.corner_m)
            it->second.close_roads.push_back(i);
    }
    if (by_name.empty())
        return {};
    std::vector<NearName> near;
    for (auto& [name, n] : by_name)
        near.push_back(std::move(n));
    std::sort(near.begin(), near.end(), [](const NearName& a, const NearName& b) {
        return std::tie(a.distance_m, a.name) < std::tie(b.distance_m, b.name);
    });
    const NearName& first = near.front();
    for (std::size_t k = 1; k < near.size() && near[k].distance_m <= options_.corner_m; ++k) {
        for (const std::uint32_t a : first.close_roads) {
            for (const std::uint32_t b : near[k].close_roads) {
                if (roads_meet_near(roads_[a], roads_[b], p, options_.corner_m)) {
                    return first.name + " / " + near[k].name;
                }
            }
        }
    }
    return first.name;
}

std::optional<std::size_t> area_at(std::span<const core::MultiPolygon> areas,
                                   const core::Point& p,
                                   double max_m) {
    std::optional<std::size_t> nearest;
    double best = max_m;
    for (std::size_t i = 0; i < areas.size(); ++i) {
        if (bg::distance(p, bg::return_envelope<core::Box>(areas[i])) > best)
            continue;  // neither holds p nor is near enough
        if (bg::covered_by(p, areas[i]))
            return i;
        const double d = bg::distance(p, areas[i]);
        if (d <= best && (!nearest || d < best)) {
            nearest = i;
            best = d;
        }
    }
    return nearest;
}

std::vector<std::optional<core::Point>> lon_lat(const std::string& working_wkt,
                                                std::span<const core::Point> points) {
    std::vector<std::optional<core::Point>> out(points.size());
    if (points.empty() || working_wkt.empty())
        return out;
    const geom::Crs working = geom::Crs::from_wkt(working_wkt, "the working CRS");
    const geom::Transformer to_wgs84(working, geom::Crs::from_epsg(4326));
    auto round6 = [](double v) { return std::round(v * 1e6) / 1e6; };
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (const auto q = to_wgs84.transform(points[i])) {
            out[i] = core::Point(round6(q->x()), round6(q->y()));
        }
    }
    return out;
}

}  // namespace gridplan::siting
