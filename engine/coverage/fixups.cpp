// Fix-ups and self-check of a service circle (docs/coverage.md, "Service circles"): access-leg
// corridors for covered buildings left outside, notches around uncovered access points, slits
// along unreached streets, and the check that nothing is left.

#include "coverage/detail/fixups.hpp"

#include <algorithm>
#include <cmath>

#include <boost/geometry/index/rtree.hpp>

#include "geom/area_union.hpp"
#include "geom/prepared.hpp"

namespace gridplan::coverage::detail {
namespace {

namespace bgi = boost::geometry::index;
using core::Point;

/// Narrowest slit cut along an unreached street (a covered access point lying on an unreached
/// street, e.g. above a tunnel, leaves that street uncut; the self-check then reports it).
constexpr double kMinSlit = 1e-4;

/// Step 2 of finish_circle, notches: a hole around every uncovered access point inside the area,
/// at most half the distance to a covered access point nearby (else counted uncovered inside).
void cut_notches(const Shared& sh,
                 const Coverage& cov,
                 const Near& around,
                 const geom::PreparedArea& prepared,
                 geom::AreaPieces& holes,
                 SelfCheck& near_check,
                 ServiceCircle& out) {
    const auto& po = sh.po;
    for (const auto& [p, b] : around.buildings) {
        if (cov.covered(b)) {
            continue;
        }
        ++near_check.buildings_checked;
        if (!prepared.covers(p)) {
            continue;
        }
        double r = po.notch_radius_m;
        std::vector<std::pair<Point, std::uint32_t>> near;
        const double q = 2 * po.notch_radius_m;
        sh.bld_tree.query(
            bgi::intersects(core::Box{{p.x() - q, p.y() - q}, {p.x() + q, p.y() + q}}),
            std::back_inserter(near));
        for (const auto& [p2, b2] : near) {
            if (b2 != b && cov.covered(b2)) {
                r = std::min(r, 0.5 * bg::distance(p, p2));
            }
        }
        if (r > 1e-3) {
            holes.disk_centres.push_back(p);
            holes.disk_radii.push_back(r);
            ++out.notches;
        } else {
            ++near_check.uncovered_inside;
        }
    }
}

/// Step 2 of finish_circle, slits along the unreached street pieces inside the area. A slit never
/// reaches a covered access point: its half width is at most half the distance from the piece to
/// the nearest covered access point (a building next to a tunnel or a passage that the walk does
/// not reach); else the piece counts as unreached inside.
void cut_slits(const Shared& sh,
               const View& view,
               double budget,
               const Coverage& cov,
               const Near& around,
               const geom::PreparedArea& prepared,
               geom::AreaPieces& holes,
               SelfCheck& near_check,
               ServiceCircle& out) {
    const auto& po = sh.po;
    std::vector<std::pair<double, double>> iv;
    std::vector<std::pair<Point, std::uint32_t>> found;
    holes.width_m = po.carve_width_m;
    std::vector<core::LineString> pieces;
    for (const auto e : around.edges) {
        pieces.clear();
        unreached_pieces(sh.g, e, view.at(sh.g, e), budget, po.unreached_epsilon_m, pieces, iv);
        for (auto& line : pieces) {
            ++near_check.pieces_checked;
            if (!prepared.intersects(line)) {
                continue;
            }
            double width = po.carve_width_m;
            auto near_box = bg::return_envelope<core::Box>(line);
            near_box.min_corner() = {near_box.min_corner().x() - 2 * width,
                                     near_box.min_corner().y() - 2 * width};
            near_box.max_corner() = {near_box.max_corner().x() + 2 * width,
                                     near_box.max_corner().y() + 2 * width};
            found.clear();
            sh.bld_tree.query(bgi::intersects(near_box), std::back_inserter(found));
            for (const auto& [p, b] : found) {
                if (cov.covered(b)) {
                    width = std::min(width, 0.5 * bg::distance(p, line));
                }
            }
            if (width > kMinSlit) {
                holes.round_lines.push_back(std::move(line));
                holes.round_line_widths.push_back(width);
                ++out.carves;
            } else {
                ++near_check.unreached_inside;
            }
        }
    }
}

/// The reached pieces (within `budget`, longer than kTiny) of the streets meeting `box`.
std::vector<core::LineString> reached_pieces(const Shared& sh,
                                             const View& view,
                                             double budget,
                                             const core::Box& box) {
    std::vector<core::LineString> out;
    std::vector<std::pair<double, double>> iv;
    for (const auto e : sh.index.edges_in(box)) {
        const auto at = view.at(sh.g, e);
        if (!at.touched) {
            continue;
        }
        iv.clear();
        reach_intervals(sh.g.edge_length_m[e], at.du, at.dv, at.seeds, budget, iv);
        merge_intervals(iv);
        for (const auto& [a, b] : iv) {
            if (b - a > kTiny) {
                out.push_back(graph::sub_line(sh.g, e, a, b));
            }
        }
    }
    return out;
}

/// Step 3 of finish_circle, specks: parts smaller than `min_part_area_m2` that hold neither the
/// access point of a covered building nor a reached street piece are left out. Returns how many.
std::size_t drop_specks(const Shared& sh,
                        const View& view,
                        double budget,
                        const Coverage& cov,
                        core::MultiPolygon& area) {
    const auto before = area.size();
    area.erase(
        std::remove_if(
            area.begin(),
            area.end(),
            [&](const core::Polygon& part) {
                if (bg::area(part) >= sh.po.min_part_area_m2) {
                    return false;
                }
                const auto box = bg::return_envelope<core::Box>(part);
                std::vector<std::pair<Point, std::uint32_t>> found;
                sh.bld_tree.query(bgi::intersects(box), std::back_inserter(found));
                std::vector<Point> covered;
                for (const auto& [p, b] : found) {
                    if (cov.covered(b)) {
                        covered.push_back(p);
                    }
                }
                return is_speck(
                    part, sh.po.min_part_area_m2, covered, reached_pieces(sh, view, budget, box));
            }),
        area.end());
    return before - area.size();
}

}  // namespace

bool is_speck(const core::Polygon& part,
              double min_area_m2,
              std::span<const Point> points,
              std::span<const core::LineString> lines) {
    if (!(bg::area(part) < min_area_m2)) {
        return false;
    }
    const auto holds = [&part](const Point& p) { return bg::covered_by(p, part); };
    static const bg::de9im::mask kInteriors("T********");
    const auto crosses = [&part](const core::LineString& line) {
        return bg::relate(line, part, kInteriors);
    };
    return std::none_of(points.begin(), points.end(), holds) &&
           std::none_of(lines.begin(), lines.end(), crosses);
}

std::optional<Point> best_snap_point(const Shared& sh, const View& view, std::uint32_t b) {
    double best = kUnreached;
    std::optional<Point> out;
    for (const auto& s : sh.result.building_snaps.of(b)) {
        const auto at = view.at(sh.g, s.edge);
        const double d =
            s.access_m +
            distance_on_edge(sh.g.edge_length_m[s.edge], s.offset_m, at.du, 0, at.dv, 0, at.seeds)
                .distance_m;
        if (d < best) {
            best = d;
            out = graph::point_along(sh.g, s.edge, s.offset_m);
        }
    }
    return out;
}

Near near_area(const Shared& sh, const core::MultiPolygon& area) {
    Near out;
    for (const auto& poly : area) {
        const auto box = bg::return_envelope<core::Box>(poly);
        const auto edges = sh.index.edges_in(box);
        out.edges.insert(out.edges.end(), edges.begin(), edges.end());
        sh.bld_tree.query(bgi::intersects(box), std::back_inserter(out.buildings));
    }
    std::sort(out.edges.begin(), out.edges.end());
    out.edges.erase(std::unique(out.edges.begin(), out.edges.end()), out.edges.end());
    std::sort(out.buildings.begin(), out.buildings.end(), [](const auto& x, const auto& y) {
        return x.second < y.second;
    });
    out.buildings.erase(
        std::unique(out.buildings.begin(),
                    out.buildings.end(),
                    [](const auto& x, const auto& y) { return x.second == y.second; }),
        out.buildings.end());
    return out;
}

void finish_circle(const Shared& sh,
                   const View& view,
                   double budget,
                   const Coverage& cov,
                   core::MultiPolygon area,
                   ServiceCircle& out) {
    const auto& po = sh.po;
    const int qs = po.quadrant_segments;
    const auto& access = sh.result.access_points;
    std::vector<std::pair<double, double>> iv;
    // One prepared area (and one list of nearby buildings and streets) per version of the area:
    // rebuilt only when legs or holes changed it.
    auto prepared = std::make_unique<geom::PreparedArea>(area);
    std::optional<Near> around;
    // What steps 1 and 2 saw on the area as it is when they tested it. While the area is
    // unchanged afterwards, those tests are the self-check's own (same area, same points, same
    // pieces) and are not repeated.
    std::optional<std::size_t> seen_covered_outside;
    std::optional<SelfCheck> seen_near;
    // 1. Legs.
    {
        geom::AreaPieces legs;
        legs.width_m = po.leg_width_m;
        std::size_t outside = 0;
        for (const auto b : cov.covered_list) {
            if (!prepared->covers(access[b])) {
                ++outside;
                if (const auto q = best_snap_point(sh, view, b)) {
                    legs.round_lines.push_back(core::LineString{*q, access[b]});
                    ++out.legs;
                }
            }
        }
        if (!legs.empty()) {
            area = geom::union_with(area, legs, qs);
            prepared = std::make_unique<geom::PreparedArea>(area);
        } else {
            seen_covered_outside = outside;
        }
    }
    // 2. Notches and slits.
    if (!area.empty()) {
        around = near_area(sh, area);
        SelfCheck near_check;
        geom::AreaPieces holes;
        cut_notches(sh, cov, *around, *prepared, holes, near_check, out);
        cut_slits(sh, view, budget, cov, *around, *prepared, holes, near_check, out);
        if (!holes.empty()) {
            area = geom::subtract(area, holes, qs);
            prepared = std::make_unique<geom::PreparedArea>(area);
            around.reset();
            seen_covered_outside.reset();
        } else {
            seen_near = near_check;
        }
    }
    // 3. Specks (after the cuts, which may have made them).
    if (drop_specks(sh, view, budget, cov, area) > 0) {
        prepared = std::make_unique<geom::PreparedArea>(area);
        around.reset();
        seen_covered_outside.reset();
        seen_near.reset();
    }
    // 4. Self-check (on the final area; tests already made on it in steps 1-3 are reused).
    SelfCheck check;
    check.invalid = geom::is_valid_area(area) ? 0 : 1;
    if (seen_covered_outside) {
        check.buildings_checked += cov.covered_list.size();
        check.covered_outside = *seen_covered_outside;
    } else {
        for (const auto b : cov.covered_list) {
            ++check.buildings_checked;
            if (!prepared->covers(access[b])) {
                ++check.covered_outside;
            }
        }
    }
    if (seen_near) {
        check.buildings_checked += seen_near->buildings_checked;
        check.uncovered_inside = seen_near->uncovered_inside;
        check.pieces_checked = seen_near->pieces_checked;
        check.unreached_inside = seen_near->unreached_inside;
    } else if (!area.empty()) {
        if (!around) {
            around = near_area(sh, area);
        }
        for (const auto& [p, b] : around->buildings) {
            if (!cov.covered(b)) {
                ++check.buildings_checked;
                if (prepared->covers(p)) {
                    ++check.uncovered_inside;
                }
            }
        }
        std::vector<core::LineString> pieces;
        for (const auto e : around->edges) {
            pieces.clear();
            unreached_pieces(sh.g, e, view.at(sh.g, e), budget, po.unreached_epsilon_m, pieces, iv);
            for (const auto& line : pieces) {
                ++check.pieces_checked;
                if (prepared->intersects(line)) {
                    ++check.unreached_inside;
                }
            }
        }
    }
    out.area = std::move(area);
    out.check = check;
}

}  // namespace gridplan::coverage::detail
