// Step 3 of read_scene: per-feature validation, repair, reprojection and conversion into the
// scene's features (ledger rows for every problem, docs/ledger.md).
#include "io/detail/features.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <boost/geometry/index/rtree.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geom/gcj02.hpp"
#include "geom/repair.hpp"
#include "io/classify.hpp"
#include "io/read.hpp"
#include "io/text.hpp"

namespace gridplan::io::detail {
namespace {

using core::Action;
using core::Errc;
using core::Error;
using core::is_valid_utf8;
using core::repair_utf8;
using core::trim;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The ledger rows of one feature, and whether any of them skips or repairs it.
struct FeatureRows {
    std::vector<core::LedgerEntry> rows;
    bool skipped = false;
    bool repaired = false;

    void add(const std::string& layer,
             const std::string& id,
             const std::string& reason,
             Action action,
             std::string detail) {
        rows.push_back({.layer = layer,
                        .source_id = id,
                        .reason = reason,
                        .action = action,
                        .detail = std::move(detail),
                        .x = kNaN,
                        .y = kNaN});
        skipped = skipped || action == Action::skipped;
        repaired = repaired || action == Action::repaired;
    }
};

/// Closes rings, drops collapsed parts; empty result when nothing polygonal is left.
core::MultiPolygon build_polygons(const RawFeature& f,
                                  FeatureRows& rows,
                                  const std::string& layer,
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
        rows.add(
            layer,
            id,
            "unclosed_ring",
            Action::repaired,
            std::to_string(unclosed) + " ring(s) not closed: closed by repeating the first point");
    }
    if (mp.empty()) {
        rows.add(layer,
                 id,
                 "collapsed",
                 Action::skipped,
                 "no ring with at least 4 points (3 distinct + closing)");
        return mp;
    }
    if (dropped_parts + dropped_holes > 0) {
        rows.add(layer,
                 id,
                 "collapsed_part",
                 Action::repaired,
                 "dropped " + std::to_string(dropped_parts) + " part(s) and " +
                     std::to_string(dropped_holes) + " hole(s) with fewer than 4 points");
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

/// The scene being built, with what the layers share.
struct Context {
    const InputConfig& config;
    const geom::Crs& working;
    core::Scene& scene;
    std::map<Role, std::set<std::string>> ids;  ///< ids already used, per role
    std::optional<BuildingLookup> buildings = {};
};

/// Attaches the entrance `id` at `at` to its building: the one named by the `building` field, else
/// the nearest footprint within `entrance_max_distance_m` (ties: smaller id). One entrance per
/// building is used (the first in source order); the rest are ledger rows.
void attach_entrance(Context& ctx,
                     const std::string& id,
                     const std::string& building_ref,
                     const core::Point& at,
                     FeatureRows& rows,
                     const std::string& layer) {
    auto& buildings = ctx.scene.buildings;
    if (!ctx.buildings) {
        ctx.buildings.emplace(buildings);
    }
    std::optional<std::size_t> target;
    if (!building_ref.empty()) {
        if (auto it = ctx.buildings->by_id.find(building_ref); it != ctx.buildings->by_id.end()) {
            target = it->second;
        } else {
            rows.add(layer,
                     id,
                     "entrance_without_building",
                     Action::skipped,
                     "building '" + building_ref + "' is not among the buildings read");
            return;
        }
    } else {
        const double r = ctx.config.validation.entrance_max_distance_m;
        const core::Box window{{at.x() - r, at.y() - r}, {at.x() + r, at.y() + r}};
        double best_m = r;
        for (auto it = ctx.buildings->boxes.qbegin(bgi::intersects(window));
             it != ctx.buildings->boxes.qend();
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
            rows.add(layer,
                     id,
                     "entrance_without_building",
                     Action::skipped,
                     std::string{"no building footprint within "} + buf +
                         " m (validation.entrance_max_distance_m) and no building field");
            return;
        }
    }
    core::Building& b = buildings[*target];
    if (b.entrance) {
        rows.add(layer,
                 id,
                 "extra_entrance",
                 Action::skipped,
                 "building '" + b.id + "' already has an entrance: the first one is used");
        return;
    }
    b.entrance = at;
}

std::optional<double> number_value(const RawFeature& f,
                                   const std::string& role,
                                   FeatureRows& rows,
                                   const std::string& layer,
                                   const std::string& id,
                                   double min_ok,
                                   double max_ok,
                                   bool min_inclusive) {
    auto it = f.values.find(role);
    if (it == f.values.end() || trim(it->second).empty()) {
        return std::nullopt;
    }
    const auto v = parse_number(it->second);
    if (!v) {
        rows.add(layer,
                 id,
                 "not_a_number",
                 Action::repaired,
                 role + " '" + it->second + "' is not a number: set to null");
        return std::nullopt;
    }
    const bool low = min_inclusive ? *v < min_ok : *v <= min_ok;
    if (low || *v > max_ok) {
        rows.add(layer,
                 id,
                 "absurd_value",
                 Action::repaired,
                 role + " " + it->second + " is outside " + (min_inclusive ? "[" : "(") +
                     core::fixed(min_ok, 0) + ", " + core::fixed(max_ok, 0) + "]: set to null");
        return std::nullopt;
    }
    return v;
}

std::string text_value(const RawFeature& f, const std::string& role) {
    auto it = f.values.find(role);
    return it == f.values.end() ? std::string{} : trim(it->second);
}

// ---------------------------------------------------------------------------------------------
// One layer: what its features share, and the layer-level warnings

/// What every feature of one layer shares while it is converted.
struct LayerWork {
    LayerWork(RawLayer& raw_layer, const geom::Crs& working)
        : raw(raw_layer),
          role(raw_layer.role),
          shape(shape_of(raw_layer.role)),
          layer_id(role_name(raw_layer.role)),
          report(raw_layer.report),
          datum(raw_layer.source->input_datum),
          transformer(*raw_layer.crs, working),
          geographic(raw_layer.crs->is_geographic()) {}

    RawLayer& raw;
    Role role;
    Shape shape;
    std::string layer_id;  ///< the ledger's layer column: the role's name
    core::LayerReport report;
    std::string datum;  ///< input_datum: gcj02 and bd09 are undone before reprojecting
    geom::Transformer transformer;
    bool geographic;
};

/// A layer-level row (a warning: not counted in conservation).
void add_layer_row(core::Ledger& ledger,
                   const std::string& layer_id,
                   const std::string& reason,
                   std::string detail) {
    ledger.add({.layer = layer_id,
                .source_id = "",
                .reason = reason,
                .action = Action::warned,
                .detail = std::move(detail)});
}

/// Guessed encoding, GDAL's layer messages, what a clipped OSM extract lost, dropped Z/M,
/// pseudo-datum and ballpark datum shifts.
void add_layer_warnings(LayerWork& work, const geom::Crs& working, core::Ledger& ledger) {
    const RawLayer& raw = work.raw;
    const std::string& layer_id = work.layer_id;
    if (raw.guessed_encoding) {
        add_layer_row(ledger,
                      layer_id,
                      "guessed_encoding",
                      "'" + raw.report.source +
                          "' has no .cpg and its text is not UTF-8: read as CP936 (GBK); set "
                          "\"encoding\" to silence or correct this");
    }
    std::set<std::string> seen_messages;
    for (const auto& fault : raw.read_faults) {  // --allow-partial: one row per read error
        seen_messages.insert(fault.message);
        std::string place = "after " + std::to_string(fault.after_features) + " feature(s)";
        if (!fault.last_fid.empty()) {
            place += ", the last one FID " + fault.last_fid;
        }
        add_layer_row(ledger,
                      layer_id,
                      "read_error",
                      "'" + raw.report.source +
                          "' is corrupt or cut short: GDAL: " + fault.message + " (" + place +
                          "); features after this place may be missing from the layer");
    }
    for (const auto& m : raw.layer_messages) {
        if (seen_messages.insert(m).second) {
            add_layer_row(ledger, layer_id, "gdal_warning", "GDAL: " + m);
        }
    }
    if (raw.osm_dropped_relations + raw.osm_dropped_ways > 0) {
        add_layer_row(
            ledger,
            layer_id,
            "osm_incomplete",
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
        add_layer_row(
            ledger,
            layer_id,
            "z_dropped",
            std::to_string(z_count) + " feature(s) with Z/M coordinates: Z/M dropped (2D work)");
    }
    if (work.datum == "gcj02" || work.datum == "bd09") {
        work.report.datum_shift = work.datum;
        add_layer_row(ledger,
                      layer_id,
                      "pseudo_datum_undone",
                      work.datum + " coordinates converted to WGS84 by the iterative inverse");
    }
    if (work.transformer.is_ballpark()) {
        std::string detail(1, '\'');  // appends: GCC 12 -O3 warns on "'" + string (PR105651)
        detail += raw.crs->label();
        detail += "' → '";
        detail += working.label();
        detail += "': WGS84 and CGCS2000 treated as identical (sub-metre difference)";
        add_layer_row(ledger, layer_id, "datum_ballpark", detail);
    }
}

// ---------------------------------------------------------------------------------------------
// One feature: id, GDAL's messages, and the ledger rows at the end

/// One feature being converted: its id, its ledger rows and where they point.
struct FeatureWork {
    RawFeature& f;
    std::string id;
    FeatureRows rows;
    std::optional<core::Point> location;

    void add(const LayerWork& work, const std::string& reason, Action action, std::string detail) {
        rows.add(work.layer_id, id, reason, action, std::move(detail));
    }
};

/// The feature's id (A1, A2): its own, else synthesised "<role>[source]:<index>"; an id already
/// used in the role is re-keyed "<id>#2", "#3", …
std::string unique_feature_id(const RawFeature& f,
                              const LayerWork& work,
                              std::set<std::string>& used_ids,
                              FeatureRows& rows) {
    const std::string& role = work.layer_id;
    std::string id = f.id;
    if (!is_valid_utf8(id)) {
        id = repair_utf8(id);
    }
    if (id.empty()) {
        id = role +
             (work.raw.source_number > 0 ? "[" + std::to_string(work.raw.source_number) + "]"
                                         : std::string{}) +
             ":" + std::to_string(f.index);
        rows.add(work.layer_id,
                 id,
                 "null_id",
                 Action::repaired,
                 "feature has no id: synthesised '" + id + "'");
    }
    if (used_ids.count(id) != 0) {
        std::string rekeyed;
        for (int k = 2;; ++k) {
            rekeyed = id + "#" + std::to_string(k);
            if (used_ids.count(rekeyed) == 0) {
                break;
            }
        }
        rows.add(work.layer_id,
                 rekeyed,
                 "duplicate_id",
                 Action::repaired,
                 "id '" + id + "' already used: re-keyed to '" + rekeyed + "'");
        id = rekeyed;
    }
    used_ids.insert(id);
    return id;
}

/// GDAL's messages about the feature and the fields whose text was not valid UTF-8.
void add_reading_rows(FeatureWork& feature, LayerWork& work) {
    for (const auto& m : feature.f.gdal_messages) {
        if (m.find("Non closed ring") != std::string::npos) {
            continue;  // covered by our own unclosed_ring row
        }
        feature.rows.rows.push_back({.layer = work.layer_id,
                                     .source_id = feature.id,
                                     .reason = "gdal_warning",
                                     .action = Action::warned,
                                     .detail = "GDAL: " + m});
    }
    for (const auto& field_role : feature.f.invalid_utf8) {
        feature.add(work,
                    "invalid_utf8",
                    Action::repaired,
                    "field '" + work.report.fields_used[field_role] +
                        "' is not valid UTF-8: bad bytes replaced by U+FFFD");
    }
}

/// Moves the feature's rows to the ledger (located where the feature is, when known) and counts
/// the feature as skipped, repaired or used.
void finish_feature(FeatureWork& feature, core::Ledger& ledger, core::LayerCounts& counts) {
    for (auto& r : feature.rows.rows) {
        if (feature.location) {
            r.x = feature.location->x();
            r.y = feature.location->y();
        }
        ledger.add(std::move(r));
    }
    if (feature.rows.skipped) {
        ++counts.skipped;
    } else if (feature.rows.repaired) {
        ++counts.repaired;
    } else {
        ++counts.used;
    }
}

// ---------------------------------------------------------------------------------------------
// Checks before reprojection

/// Geometry presence and type (G1, G2, G9, G10): false when the feature is skipped. Drops parts
/// of another type than the layer's.
bool check_geometry_type(FeatureWork& feature, const LayerWork& work) {
    RawFeature& f = feature.f;
    const Shape shape = work.shape;
    if (f.null_geometry) {
        feature.add(work, "null_geometry", Action::skipped, "feature has no geometry");
        return false;
    }
    if (f.empty_geometry) {
        feature.add(
            work,
            "empty_geometry",
            Action::skipped,
            "geometry " + f.geometry_type + " is empty (NaN coordinates are read as empty)");
        return false;
    }
    const bool has_wanted = (shape == Shape::polygon && !f.polygons.empty()) ||
                            (shape == Shape::line && !f.lines.empty()) ||
                            (shape == Shape::point && (!f.points.empty() || !f.polygons.empty()));
    if (!has_wanted) {
        feature.add(work,
                    "wrong_geometry_type",
                    Action::skipped,
                    f.geometry_type + " in a layer of " +
                        (shape == Shape::polygon ? "polygons"
                         : shape == Shape::line  ? "lines"
                                                 : "points"));
        return false;
    }
    const std::size_t other_parts = shape == Shape::polygon ? f.lines.size() + f.points.size()
                                    : shape == Shape::line  ? f.polygons.size() + f.points.size()
                                                            : f.lines.size();
    if (other_parts > 0) {
        feature.add(work,
                    "mixed_geometry",
                    Action::repaired,
                    f.geometry_type + ": " + std::to_string(other_parts) +
                        " part(s) of another type dropped");
        if (shape == Shape::polygon) {
            f.lines.clear();
            f.points.clear();
        } else if (shape == Shape::line) {
            f.polygons.clear();
            f.points.clear();
        } else {
            f.lines.clear();
        }
    }
    if (f.curve) {
        feature.add(work,
                    "curve_linearised",
                    Action::repaired,
                    f.geometry_type + " linearised to straight segments");
    }
    return true;
}

/// Coordinates (G3): false when one is not finite or out of range.
bool check_coordinates(FeatureWork& feature, const LayerWork& work) {
    const bool geographic = work.geographic;
    bool non_finite = false;
    bool out_of_range = false;
    for_each_point(feature.f, [&](core::Point& p) {
        if (!finite(p)) {
            non_finite = true;
        } else if (geographic ? (std::abs(p.x()) > 180.0 || std::abs(p.y()) > 90.0)
                              : (std::abs(p.x()) > 1e8 || std::abs(p.y()) > 1e8)) {
            out_of_range = true;
        }
    });
    if (non_finite) {
        feature.add(work, "non_finite_coordinate", Action::skipped, "NaN or infinite coordinate");
        return false;
    }
    if (out_of_range) {
        feature.add(
            work,
            "coordinate_out_of_range",
            Action::skipped,
            geographic ? "longitude beyond ±180 or latitude beyond ±90" : "coordinate beyond ±1e8");
        return false;
    }
    return true;
}

/// Validity as given (G6), for polygon layers: checked in source coordinates too, because
/// reprojection can hide a self-intersection that is really in the data. The issue's location
/// is returned in working coordinates.
std::optional<geom::ValidityIssue> source_validity(const FeatureWork& feature,
                                                   const LayerWork& work) {
    std::optional<geom::ValidityIssue> source_issue;
    if (work.shape != Shape::polygon) {
        return source_issue;
    }
    try {
        FeatureRows scratch;
        const core::MultiPolygon source_mp =
            build_polygons(feature.f, scratch, work.layer_id, feature.id);
        if (!source_mp.empty()) {
            source_issue = geom::polygon_validity(source_mp);
        }
    } catch (const Error& e) {
        if (e.code() != Errc::internal) {
            throw;
        }
    }
    if (source_issue && source_issue->location) {
        const std::string& datum = work.datum;
        core::Point p = *source_issue->location;
        p = datum == "gcj02"  ? geom::gcj02_to_wgs84(p)
            : datum == "bd09" ? geom::bd09_to_wgs84(p)
                              : p;
        source_issue->location = work.transformer.transform(p);
    }
    return source_issue;
}

/// Pseudo-datum (C5) and reprojection of every point: false when PROJ fails on one.
bool reproject(FeatureWork& feature, const LayerWork& work, const geom::Crs& working) {
    std::vector<core::Point> flat;
    for_each_point(feature.f, [&](core::Point& p) { flat.push_back(p); });
    if (work.datum == "gcj02") {
        for (auto& p : flat) {
            p = geom::gcj02_to_wgs84(p);
        }
    } else if (work.datum == "bd09") {
        for (auto& p : flat) {
            p = geom::bd09_to_wgs84(p);
        }
    }
    if (!work.transformer.transform(flat)) {
        feature.add(work,
                    "transform_failed",
                    Action::skipped,
                    "PROJ could not transform a coordinate to '" + working.label() + "'");
        return false;
    }
    std::size_t k = 0;
    for_each_point(feature.f, [&](core::Point& p) { p = flat[k++]; });
    return true;
}

// ---------------------------------------------------------------------------------------------
// Into the scene, by shape

/// Estimated households or population above the `validation` limits (a footprint of square
/// kilometres from one stray vertex, absurd floors): the same limits as read values, so the
/// estimate is set to 0 with an `absurd_value` row that names the estimate and its inputs.
void check_estimate(FeatureWork& feature,
                    const LayerWork& work,
                    const ValidationOptions& v,
                    core::Building& b) {
    const bool households = b.households_estimated && b.households > v.max_households;
    const bool population = b.population_estimated && b.population > v.max_population;
    if (!households && !population) {
        return;
    }
    feature.add(work,
                "absurd_value",
                Action::repaired,
                "estimated " + core::fixed(b.households, 0) + " households, " +
                    core::fixed(b.population, 0) + " residents from " + "a footprint of " +
                    core::fixed(b.area_m2, 0) + " m2: above validation.max_households " +
                    core::fixed(v.max_households, 0) + " or max_population " +
                    core::fixed(v.max_population, 0) +
                    "; set to 0 (check the footprint and floors)");
    if (households) {
        b.households = 0;
    }
    b.population = b.population_estimated ? 0 : b.population;
}

/// A building from its repaired footprint: the attributes read, absurd values nulled, households
/// and population from the source or estimated.
core::Building make_building(FeatureWork& feature,
                             const LayerWork& work,
                             const Context& ctx,
                             core::MultiPolygon mp,
                             const core::Point& anchor,
                             double area_m2) {
    const RawFeature& f = feature.f;
    const std::string& id = feature.id;
    FeatureRows& rows = feature.rows;
    const std::string& layer_id = work.layer_id;
    core::Building b;
    b.id = id;
    b.name = text_value(f, "name");
    b.type = text_value(f, "type");
    b.address = text_value(f, "address");
    b.footprint = std::move(mp);
    b.anchor = anchor;
    b.area_m2 = area_m2;
    const auto& v = ctx.config.validation;
    b.floors = number_value(f, "floors", rows, layer_id, id, 0.0, v.max_floors, false);
    const auto hh = number_value(f, "households", rows, layer_id, id, 0.0, v.max_households, true);
    const auto pop = number_value(f, "population", rows, layer_id, id, 0.0, v.max_population, true);
    b.grid_code = text_value(f, "grid_code");
    b.locked = parse_flag(text_value(f, "locked")).value_or(false);
    estimate_households(b, hh, pop, ctx.config.households);
    check_estimate(feature, work, v, b);
    return b;
}

/// Polygon layers: rings closed, invalid polygons repaired (MakeValid), slivers skipped; then a
/// street, exclusion zone, community, grid or building.
void add_area_feature(FeatureWork& feature,
                      const LayerWork& work,
                      Context& ctx,
                      const std::optional<geom::ValidityIssue>& source_issue) {
    const RawFeature& f = feature.f;
    const std::string& id = feature.id;
    auto& scene = ctx.scene;
    core::MultiPolygon mp = build_polygons(f, feature.rows, work.layer_id, id);
    if (mp.empty()) {
        return;
    }
    auto issue = geom::polygon_validity(mp);
    if (!issue && source_issue) {
        issue = source_issue;
    }
    if (issue) {
        const double before = std::abs(core::bg::area(mp));
        core::MultiPolygon fixed = geom::make_valid_polygons(mp);
        feature.location = issue->location;
        if (fixed.empty()) {
            feature.add(work,
                        "invalid_geometry",
                        Action::skipped,
                        issue->reason + ": MakeValid (structure) left no polygon");
            return;
        }
        const double after = geom::area(fixed);
        feature.add(work,
                    "invalid_geometry",
                    Action::repaired,
                    issue->reason + ": repaired by MakeValid (structure); area " +
                        core::fixed(before, 1) + " -> " + core::fixed(after, 1) + " m2");
        mp = std::move(fixed);
    }
    const double area_m2 = geom::area(mp);
    const auto anchor = geom::point_on_surface(mp);
    feature.location = anchor ? anchor : feature.location;
    const double sliver_area_m2 = ctx.config.validation.sliver_area_m2;
    if (area_m2 < sliver_area_m2 || !anchor) {
        feature.add(work,
                    "sliver",
                    Action::skipped,
                    "area " + core::fixed(area_m2, 3) + " m2 is below " +
                        core::fixed(sliver_area_m2, 3) + " m2");
        return;
    }
    switch (work.role) {
        case Role::streets:
            scene.streets.push_back({.id = id,
                                     .name = text_value(f, "name"),
                                     .code = text_value(f, "code"),
                                     .area = std::move(mp)});
            break;
        case Role::exclusions:
            scene.exclusions.push_back(
                {.id = id, .name = text_value(f, "name"), .area = std::move(mp)});
            break;
        case Role::landuse:
            scene.land_areas.push_back({.id = id,
                                        .name = text_value(f, "name"),
                                        .type = text_value(f, "type"),
                                        .area = std::move(mp)});
            break;
        case Role::communities:
            scene.communities.push_back({.id = id,
                                         .name = text_value(f, "name"),
                                         .code = text_value(f, "code"),
                                         .area = std::move(mp),
                                         .street = std::nullopt});
            break;
        case Role::grids:
            scene.grids.push_back({.id = id,
                                   .name = text_value(f, "name"),
                                   .code = text_value(f, "grid_code"),
                                   .area = std::move(mp)});
            break;
        default:
            scene.buildings.push_back(
                make_building(feature, work, ctx, std::move(mp), *anchor, area_m2));
            break;
    }
}

/// A road part: class, layer, bridge and tunnel flags, and whether it is walkable (OSM tags or
/// the configured road classes).
core::Road make_road(FeatureWork& feature,
                     const LayerWork& work,
                     const Context& ctx,
                     const std::string& part_id,
                     const core::LineString& line,
                     bool first_part) {
    const RawFeature& f = feature.f;
    core::Road r;
    r.id = part_id;
    r.name = text_value(f, "name");
    r.road_class = text_value(f, "class");
    r.line = line;
    const std::string layer_text = text_value(f, "layer");
    if (!layer_text.empty()) {
        if (auto lv = parse_number(layer_text); lv && std::abs(*lv) <= 20.0) {
            r.layer = static_cast<int>(std::lround(*lv));
        } else if (first_part) {
            feature.add(work,
                        "not_a_number",
                        Action::repaired,
                        "layer '" + layer_text + "' is not a small integer: set to 0");
        }
    }
    r.bridge = parse_flag(text_value(f, "bridge")).value_or(!text_value(f, "bridge").empty());
    r.tunnel = parse_flag(text_value(f, "tunnel")).value_or(!text_value(f, "tunnel").empty());
    const RoadTags tags{
        r.road_class, text_value(f, "foot"), text_value(f, "access"), text_value(f, "sidewalk")};
    r.walkable =
        work.raw.is_osm ? osm_walkable(tags) : mapped_walkable(tags, ctx.config.road_classes);
    return r;
}

/// Line layers: repeated points dropped, parts with fewer than 2 points dropped; barriers in a
/// tunnel skipped; then one road or barrier per part ("<id>#k" when there are several).
void add_line_feature(FeatureWork& feature, const LayerWork& work, Context& ctx) {
    const RawFeature& f = feature.f;
    const std::string& id = feature.id;
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
        feature.add(work, "collapsed", Action::skipped, "line with fewer than 2 distinct points");
        return;
    }
    // A railway or river in a tunnel (culvert) separates nothing on the surface.
    if (work.role == Role::barriers) {
        const std::string tunnel = text_value(f, "tunnel");
        if (parse_flag(tunnel).value_or(!tunnel.empty())) {
            feature.add(work,
                        "barrier_in_tunnel",
                        Action::skipped,
                        "tunnel=" + tunnel + ": not a barrier on the surface");
            return;
        }
    }
    feature.location = parts.front().front();
    if (parts.size() < f.lines.size()) {
        feature.add(work,
                    "collapsed_part",
                    Action::repaired,
                    "dropped " + std::to_string(f.lines.size() - parts.size()) +
                        " part(s) with fewer than 2 distinct points");
    }
    for (std::size_t k = 0; k < parts.size(); ++k) {
        const std::string part_id = parts.size() == 1 ? id : id + "#" + std::to_string(k + 1);
        if (work.role == Role::roads) {
            ctx.scene.roads.push_back(make_road(feature, work, ctx, part_id, parts[k], k == 0));
        } else {
            std::string kind = text_value(f, "kind");
            if (kind.empty() || kind == "yes") {
                auto it = work.report.fields_used.find("kind");
                kind = it != work.report.fields_used.end() ? it->second : "barrier";
            }
            ctx.scene.barriers.push_back({.id = part_id, .kind = kind, .line = parts[k]});
        }
    }
}

/// Where a point feature is: its first point, or a point on the surface of its polygon
/// (repaired first when invalid); nullopt when the feature is skipped.
std::optional<core::Point> point_location(FeatureWork& feature, const LayerWork& work) {
    const RawFeature& f = feature.f;
    if (!f.points.empty()) {
        if (f.points.size() > 1) {
            feature.add(work,
                        "multi_point",
                        Action::repaired,
                        std::to_string(f.points.size()) + " points: the first one is used");
        }
        return f.points.front();
    }
    core::MultiPolygon mp = build_polygons(f, feature.rows, work.layer_id, feature.id);
    if (mp.empty()) {
        return std::nullopt;
    }
    if (geom::polygon_validity(mp)) {
        mp = geom::make_valid_polygons(mp);
    }
    const auto pos = geom::point_on_surface(mp);
    if (!pos) {
        feature.add(work, "collapsed", Action::skipped, "facility polygon has no area");
        return std::nullopt;
    }
    return *pos;
}

/// Point layers: an entrance (attached to its building), an event point, a candidate site or a
/// facility.
void add_point_feature(FeatureWork& feature, const LayerWork& work, Context& ctx) {
    const RawFeature& f = feature.f;
    const std::string& id = feature.id;
    const auto where = point_location(feature, work);
    if (!where) {
        return;
    }
    feature.location = where;
    if (work.role == Role::entrances) {
        attach_entrance(ctx, id, text_value(f, "building"), *where, feature.rows, work.layer_id);
        return;
    }
    if (work.role == Role::events) {
        ctx.scene.events.push_back({id, text_value(f, "name"), *where});
        return;
    }
    if (work.role == Role::candidates) {
        core::CandidateSite site;
        site.id = id;
        site.name = text_value(f, "name");
        site.type = text_value(f, "type");
        site.address = text_value(f, "address");
        site.location = *where;
        site.capacity =
            number_value(f, "capacity", feature.rows, work.layer_id, id, 0.0, 1e9, true);
        site.cost = number_value(f, "cost", feature.rows, work.layer_id, id, 0.0, 1e15, true);
        ctx.scene.candidates.push_back(std::move(site));
        return;
    }
    core::Facility fac;
    fac.id = id;
    fac.name = text_value(f, "name");
    fac.type = text_value(f, "type");
    fac.address = text_value(f, "address");
    fac.kind = work.raw.source->kind ? *work.raw.source->kind
                                     : facility_kind(fac.type, fac.name, ctx.config.facility_types);
    fac.location = *where;
    fac.capacity = number_value(f, "capacity", feature.rows, work.layer_id, id, 0.0, 1e9, true);
    ctx.scene.facilities.push_back(std::move(fac));
}

// ---------------------------------------------------------------------------------------------
// The drivers

/// One feature through every step; its ledger rows are left in `feature.rows`.
void convert_feature(FeatureWork& feature, const LayerWork& work, Context& ctx) {
    if (!check_geometry_type(feature, work) || !check_coordinates(feature, work)) {
        return;
    }
    const auto source_issue = source_validity(feature, work);
    if (!reproject(feature, work, ctx.working)) {
        return;
    }
    try {
        switch (work.shape) {
            case Shape::polygon:
                add_area_feature(feature, work, ctx, source_issue);
                break;
            case Shape::line:
                add_line_feature(feature, work, ctx);
                break;
            case Shape::point:
                add_point_feature(feature, work, ctx);
                break;
        }
    } catch (const Error& e) {
        if (e.code() != Errc::internal) {
            throw;
        }
        feature.add(
            work, "geometry_error", Action::skipped, std::string{"GEOS failed: "} + e.what());
    }
}

void process_layer(RawLayer& raw, Context& ctx) {
    auto& ledger = ctx.scene.ledger;
    LayerWork work{raw, ctx.working};
    work.report.counts.n_in = raw.features.size();
    add_layer_warnings(work, ctx.working, ledger);
    auto& used_ids = ctx.ids[raw.role];
    for (auto& f : raw.features) {
        FeatureWork feature{.f = f, .id = {}, .rows = {}, .location = std::nullopt};
        feature.id = unique_feature_id(f, work, used_ids, feature.rows);
        add_reading_rows(feature, work);
        convert_feature(feature, work, ctx);
        finish_feature(feature, ledger, work.report.counts);
    }
    if (raw.features.empty()) {
        add_layer_row(
            ledger,
            work.layer_id,
            "empty_layer",
            "no features" + (raw.report.filter.empty() ? "" : " match " + raw.report.filter));
    }
    core::require_invariant(work.report.counts.conserved(),
                            "n_in == used + repaired + skipped per layer");
    ctx.scene.layers.push_back(std::move(work.report));
}

}  // namespace

void build_features(std::vector<RawLayer>& layers,
                    const InputConfig& config,
                    const geom::Crs& working,
                    core::Scene& scene) {
    std::set<std::string> source_crs;
    for (const auto& raw : layers) {
        source_crs.insert(raw.crs->label());
    }
    Context ctx{config, working, scene, {}};
    for (auto& raw : layers) {
        if (source_crs.size() > 1) {
            scene.ledger.add(
                {.layer = role_name(raw.role),
                 .source_id = "",
                 .reason = "reprojected",
                 .action = Action::warned,
                 .detail = "layers come in different CRSs: this one ('" + raw.crs->label() +
                           "') reprojected to EPSG:" + std::to_string(scene.crs.epsg)});
        }
        process_layer(raw, ctx);
    }
}

}  // namespace gridplan::io::detail
