// Steps 8-9 of the pipeline per community (docs/partition.md): empty blocks join grids, grid
// polygons (whole blocks or unions of cells), attributes, codes in reading order (or kept codes
// in redraw), ledger rows for out-of-band grids, and the tiling check.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "core/text.hpp"
#include "geom/blocks.hpp"
#include "geom/voronoi.hpp"
#include "partition/detail/community.hpp"
#include "partition/redraw.hpp"

namespace gridplan::partition::detail {

namespace bg = boost::geometry;

namespace {

/// Grid polygons are unions on this precision grid (1 µm): cells clipped to a block and the
/// block beside them agree only to the last bits of their coordinates, and a floating-point
/// union leaves zero-width slits (up to 137 m long on the sample) where they disagree.
constexpr double kSnapGridM = 1e-6;

/// Rings of a grid union smaller than this are numerical debris of the union of cells that
/// meet at slightly different vertices (collinear slivers), not parts of the grid.
constexpr double kSliverRingM2 = 1e-4;

/// A ring vertex where the ring turns back on itself and the two arms lie closer than this is
/// the tip of a zero-width slit or spike (what is left where snap-rounding put the two sides of a
/// floating-point slit on neighbouring grid points).
constexpr double kSlitWidthM = 1e-4;

double segment_distance(const core::Point& p, const core::Point& a, const core::Point& b) {
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    const double len2 = dx * dx + dy * dy;
    const double t =
        len2 > 0 ? std::clamp(((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / len2, 0.0, 1.0)
                 : 0.0;
    return std::hypot(p.x() - a.x() - t * dx, p.y() - a.y() - t * dy);
}

/// Removes the tips of zero-width slits and spikes from a closed ring, repeatedly (a slit of
/// several vertices folds up one tip at a time).
void remove_slits(core::Ring& ring) {
    if (ring.size() < 4) {
        return;
    }
    std::vector<core::Point> pts(ring.begin(), ring.end() - 1);
    for (bool changed = true; changed && pts.size() >= 3;) {
        changed = false;
        for (std::size_t i = 0; i < pts.size() && pts.size() >= 3; ++i) {
            const auto& a = pts[(i + pts.size() - 1) % pts.size()];
            const auto& b = pts[i];
            const auto& c = pts[(i + 1) % pts.size()];
            const double dot =
                (b.x() - a.x()) * (c.x() - b.x()) + (b.y() - a.y()) * (c.y() - b.y());
            const double width = std::min(segment_distance(c, a, b), segment_distance(a, b, c));
            const bool repeated = bg::distance(a, b) < kSlitWidthM;
            if (repeated || (dot < 0 && width < kSlitWidthM)) {
                pts.erase(pts.begin() + static_cast<std::ptrdiff_t>(i));
                changed = true;
                break;
            }
        }
    }
    ring.assign(pts.begin(), pts.end());
    if (!pts.empty()) {
        ring.push_back(pts.front());
    }
}

}  // namespace

/// Removes slit and spike tips, sliver holes and sliver parts (< 1 cm²) from a grid's union, so writers get clean
/// polygons; the tiling check still measures gaps/overlaps after the removal.
void drop_sliver_rings(core::MultiPolygon& area) {
    for (auto& polygon : area) {
        remove_slits(polygon.outer());
        for (auto& inner : polygon.inners()) {
            remove_slits(inner);
        }
    }
    auto tiny = [](const core::Ring& ring) { return std::abs(bg::area(ring)) < kSliverRingM2; };
    for (auto& polygon : area) {
        auto& inners = polygon.inners();
        inners.erase(std::remove_if(inners.begin(), inners.end(), tiny), inners.end());
    }
    area.erase(
        std::remove_if(
            area.begin(), area.end(), [&](const core::Polygon& p) { return tiny(p.outer()); }),
        area.end());
}

namespace {

/// The pieces each grid's polygon is the union of, and the grids present in each block.
struct GridPieces {
    std::vector<std::vector<const core::MultiPolygon*>> pieces;  ///< per grid (atoms)
    std::vector<std::vector<std::uint32_t>> grids_in_face;       ///< per block, sorted, unique
};

/// Step 8: each grid is the union of its atoms (whole_grids.cpp: blocks it owns, its cells in
/// shared blocks, the free space it was given). Counts the blocks split in the report.
GridPieces grid_pieces(const CommunityUnits& cu,
                       const GridAssignment& assignment,
                       const WholeGrids& wg,
                       CommunityReport& rep) {
    GridPieces gp;
    gp.pieces.resize(assignment.kinds.size());
    gp.grids_in_face.resize(cu.face_count());
    for (std::uint32_t f = 0; f < cu.face_count(); ++f) {
        auto& grids = gp.grids_in_face[f];
        for (const auto u : cu.units_of_face[f]) {
            grids.push_back(assignment.grid_of_unit[u]);
        }
        std::sort(grids.begin(), grids.end());
        grids.erase(std::unique(grids.begin(), grids.end()), grids.end());
        rep.blocks_split += grids.size() > 1 ? 1U : 0U;
    }
    for (const auto& atom : wg.atoms) {
        if (atom.grid >= 0) {
            gp.pieces[static_cast<std::size_t>(atom.grid)].push_back(&atom.area);
        }
    }
    return gp;
}

/// Names, codes of street and community, polygon, area and Polsby-Popper of every grid;
/// returns the grid centroids (for reading order).
std::vector<core::Point> grid_shapes(const core::Scene& scene,
                                     core::Index community_index,
                                     const GridAssignment& assignment,
                                     const GridPieces& gp,
                                     CommunityOut& out) {
    const core::Community& comm = scene.communities[community_index];
    const auto n_grids = static_cast<std::uint32_t>(assignment.kinds.size());
    out.grids.resize(n_grids);
    std::vector<core::Point> centroids(n_grids, core::Point(0.0, 0.0));
    for (std::uint32_t gi = 0; gi < n_grids; ++gi) {
        Grid& grid = out.grids[gi];
        grid.kind = assignment.kinds[gi];
        grid.community = community_index;
        grid.street = comm.street;
        grid.community_code = out.report.code;
        grid.community_name = comm.name;
        if (comm.street && *comm.street < scene.streets.size()) {
            grid.street_code = scene.streets[*comm.street].code;
            grid.street_name = scene.streets[*comm.street].name;
        }
        grid.area = geom::union_polygons_snapped(gp.pieces[gi], kSnapGridM);
        drop_sliver_rings(grid.area);
        grid.area_m2 = bg::area(grid.area);
        const auto perim = static_cast<double>(bg::perimeter(grid.area));
        grid.polsby_popper = perim > 0 ? 4.0 * M_PI * grid.area_m2 / (perim * perim) : 0.0;
        if (!grid.area.empty()) {
            bg::centroid(grid.area, centroids[gi]);
        }
    }
    return centroids;
}

/// Buildings, households, population, blocks split, band and deviation of every grid, and the
/// community's band statistics.
void grid_statistics(const CommunityUnits& cu,
                     const GridAssignment& assignment,
                     const GridPieces& gp,
                     const Band& band,
                     const Options& opt,
                     CommunityOut& out) {
    CommunityReport& rep = out.report;
    for (std::uint32_t u = 0; u < cu.unit_count(); ++u) {
        Grid& grid = out.grids[assignment.grid_of_unit[u]];
        for (const auto b : cu.units[u].buildings) {
            grid.buildings.push_back(b);
        }
        grid.households += cu.units[u].households;
        grid.population += cu.units[u].population;
        grid.estimated = grid.estimated || cu.units[u].estimated;
    }
    for (std::uint32_t f = 0; f < cu.face_count(); ++f) {
        if (gp.grids_in_face[f].size() > 1) {
            for (const auto gi : gp.grids_in_face[f]) {
                ++out.grids[gi].blocks_split;
            }
        }
    }
    double sum_dev = 0.0;
    for (auto& grid : out.grids) {
        std::sort(grid.buildings.begin(), grid.buildings.end());
        grid.in_band = band.contains(grid.households);
        grid.deviation = rep.target > 0 ? (grid.households - rep.target) / rep.target : 0.0;
        grid.part_timers_suggested = static_cast<int>(
            std::ceil(grid.households / std::max(1.0, opt.households_per_part_timer) - 1e-9));
        if (grid.kind == GridKind::regular) {
            rep.in_band += grid.in_band ? 1U : 0U;
            rep.worst_deviation = std::max(rep.worst_deviation, std::abs(grid.deviation));
            sum_dev += std::abs(grid.deviation);
        } else {
            ++rep.dedicated_grids;
        }
    }
    rep.grids = static_cast<std::uint32_t>(out.grids.size());
    rep.band_share = rep.k > 0 ? static_cast<double>(rep.in_band) / rep.k : 0.0;
    rep.mean_deviation = rep.k > 0 ? sum_dev / rep.k : 0.0;
    rep.lower_bound_gap = std::max(0.0, rep.worst_deviation - rep.lower_bound);
}

/// Redraw: each grid inherits the existing code it shares the most households with
/// (keep_grid_codes, docs/redraw.md).
std::vector<KeptCode> kept_codes(const core::Scene& scene,
                                 const CommunityUnits& cu,
                                 const GridAssignment& assignment,
                                 const std::vector<std::uint32_t>& order,
                                 const Options& opt,
                                 const std::string& community_code) {
    std::vector<std::map<std::string, double>> overlap(assignment.kinds.size());
    std::set<std::string> existing;
    for (std::uint32_t u = 0; u < cu.unit_count(); ++u) {
        for (const auto b : cu.units[u].buildings) {
            const auto& bd = scene.buildings[b];
            if (!bd.grid_code.empty()) {
                overlap[assignment.grid_of_unit[u]][bd.grid_code] += bd.households + 1e-6;
                existing.insert(bd.grid_code);
            }
        }
    }
    for (const auto& r : opt.retired_codes) {
        if (r.rfind(community_code, 0) == 0) {
            existing.insert(r);
        }
    }
    return keep_grid_codes(overlap, order, community_code, existing);
}

/// Codes: the grids sorted into reading order (or by kept sequence in redraw) and numbered;
/// records each building's grid. Returns each grid's new index.
std::vector<std::uint32_t> number_grids(const core::Scene& scene,
                  const CommunityUnits& cu,
                  const GridAssignment& assignment,
                  const std::vector<core::Point>& centroids,
                  const Options& opt,
                  CommunityOut& out) {
    const CommunityReport& rep = out.report;
    const auto n_grids = static_cast<std::uint32_t>(assignment.kinds.size());
    const double row_h = std::sqrt(rep.area_m2 / std::max(1U, n_grids));
    const auto order = reading_order(centroids, cu.envelope.max_corner().y(), row_h);
    std::vector<std::uint32_t> renumber(n_grids);
    for (std::uint32_t i = 0; i < order.size(); ++i) {
        renumber[order[i]] = i;
    }
    std::vector<KeptCode> kept;
    if (opt.keep_codes) {
        kept = kept_codes(scene, cu, assignment, order, opt, rep.code);
        std::vector<std::uint32_t> by(n_grids);
        std::iota(by.begin(), by.end(), 0U);
        std::stable_sort(by.begin(), by.end(), [&](std::uint32_t x, std::uint32_t y) {
            return std::tie(kept[x].sequence, kept[x].code) <
                   std::tie(kept[y].sequence, kept[y].code);
        });
        for (std::uint32_t i = 0; i < n_grids; ++i) {
            renumber[by[i]] = i;
        }
    }
    std::vector<Grid> sorted(n_grids);
    for (std::uint32_t gi = 0; gi < n_grids; ++gi) {
        Grid& grid = out.grids[gi];
        if (opt.keep_codes) {
            grid.sequence = kept[gi].sequence;
            grid.code = kept[gi].code;
        } else {
            grid.sequence = renumber[gi] + 1;
            char seq[8];
            std::snprintf(seq, sizeof(seq), "%03u", grid.sequence % 1000U);
            grid.code = rep.code + seq;
        }
        sorted[renumber[gi]] = std::move(grid);
    }
    if (n_grids > 999) {
        warn(out.ledger,
             rep.id,
             "grid_sequence_overflow",
             std::to_string(n_grids) + " grids exceed the 3-digit sequence; codes repeat");
    }
    out.grids = std::move(sorted);
    for (std::uint32_t u = 0; u < cu.unit_count(); ++u) {
        for (const auto b : cu.units[u].buildings) {
            out.building_grid.emplace_back(b, renumber[assignment.grid_of_unit[u]]);
        }
    }
    return renumber;
}

/// Ledger rows for out-of-band grids, infeasible communities and disconnected grids.
void band_ledger_rows(const Band& band, CommunityOut& out) {
    const CommunityReport& rep = out.report;
    if (rep.infeasible) {
        warn(out.ledger,
             rep.id,
             "band_infeasible",
             "the band " + core::fixed(band.min_households, 0) + "-" +
                 core::fixed(band.max_households, 0) +
                 " cannot be met with k=" + std::to_string(rep.k) + ": " + rep.certificate);
    }
    for (const auto& grid : out.grids) {
        if (grid.kind == GridKind::regular && !grid.in_band) {
            warn(out.ledger,
                 grid.code,
                 "grid_out_of_band",
                 core::fixed(grid.households, 0) + " households outside " +
                     core::fixed(band.min_households, 0) + "-" +
                     core::fixed(band.max_households, 0) +
                     (rep.infeasible ? " (certified: band infeasible)" : " (not certified)"));
        }
    }
    if (rep.locked_apart > 0) {
        warn(out.ledger,
             rep.id,
             "grid_disconnected",
             std::to_string(rep.locked_apart) + " grids are not connected (fixed units apart)");
    }
}

/// Step 8's ledger rows, before numbering (grid indices are still those of `wg`): units moved to
/// a neighbouring grid. Counts the grids drawn in several parts into the report
/// (`disconnected`) and returns, per grid, why it is in several parts ("" when it is whole).
std::vector<std::string> whole_grid_ledger_rows(const core::Community& comm,
                                                const WholeGrids& wg,
                                                CommunityOut& out) {
    CommunityReport& rep = out.report;
    if (wg.units_moved > 0) {
        warn(out.ledger,
             rep.id,
             "grid_units_moved",
             std::to_string(wg.units_moved) + " building group(s) with " +
                 core::fixed(wg.households_moved, 0) +
                 " households moved to a neighbouring grid: no free space joins them to the "
                 "rest of their grid");
    }
    std::vector<std::string> multipart(out.grids.size());
    for (std::uint32_t gi = 0; gi < out.grids.size(); ++gi) {
        const auto parts = out.grids[gi].area.size();
        if (parts <= 1) {
            continue;
        }
        ++rep.disconnected;
        const bool isolated = std::binary_search(wg.isolated.begin(), wg.isolated.end(), gi);
        multipart[gi] =
            "a grid of " + core::fixed(out.grids[gi].households, 0) + " households is drawn in " +
            std::to_string(parts) + " parts: " +
            (isolated ? "the community polygon is in " + std::to_string(comm.area.size()) +
                            " separate parts and a part without buildings joined it"
                      : std::string{"its buildings are apart and no free space joins them"});
    }
    return multipart;
}

/// One `grid_multipart` row per grid drawn in several parts, named by its code, in code order
/// (`renumber`: number_grids' new index of each grid).
void multipart_ledger_rows(const std::vector<std::string>& multipart,
                           const std::vector<std::uint32_t>& renumber,
                           CommunityOut& out) {
    std::vector<const std::string*> by_code(out.grids.size(), nullptr);
    for (std::size_t gi = 0; gi < multipart.size(); ++gi) {
        if (!multipart[gi].empty()) by_code[renumber[gi]] = &multipart[gi];
    }
    for (std::size_t g = 0; g < by_code.size(); ++g) {
        if (by_code[g] != nullptr) warn(out.ledger, out.grids[g].code, "grid_multipart", *by_code[g]);
    }
}

/// Tiling check: Σ grid areas − area of their union = overlaps; community − union = gaps.
void check_tiling(const core::Community& comm, const Options& opt, CommunityOut& out) {
    CommunityReport& rep = out.report;
    std::vector<const core::MultiPolygon*> grid_areas;
    for (const auto& grid : out.grids) {
        rep.grids_area_m2 += grid.area_m2;
        grid_areas.push_back(&grid.area);
    }
    if (opt.check_tiling) {
        const auto cov = geom::check_coverage(grid_areas, comm.area);
        rep.overlap_m2 = cov.overlap_m2;
        rep.gap_m2 = cov.gap_m2;
        const double tol = 1e-6 * rep.area_m2 + 0.01;
        if (cov.overlap_m2 > tol || cov.gap_m2 > tol) {
            warn(out.ledger,
                 comm.id,
                 "grid_tiling",
                 "grids do not tile the community: gaps " + core::fixed(cov.gap_m2, 2) +
                     " m2, overlaps " + core::fixed(cov.overlap_m2, 2) + " m2");
        }
    } else {
        rep.gap_m2 = std::max(0.0, rep.area_m2 - rep.grids_area_m2);
    }
}

}  // namespace

void assemble_grids(const core::Scene& scene,
                    core::Index community_index,
                    const CommunityUnits& cu,
                    const GridAssignment& assignment,
                    const Band& band,
                    const Options& options,
                    CommunityOut& out) {
    const WholeGrids wg =
        whole_grids(scene, cu, assignment, options.keep_codes ? nullptr : &band);
    const GridAssignment whole{wg.grid_of_unit, assignment.kinds};
    const GridPieces gp = grid_pieces(cu, whole, wg, out.report);
    const auto centroids = grid_shapes(scene, community_index, whole, gp, out);
    grid_statistics(cu, whole, gp, band, options, out);
    const auto multipart = whole_grid_ledger_rows(scene.communities[community_index], wg, out);
    const auto renumber = number_grids(scene, cu, whole, centroids, options, out);
    multipart_ledger_rows(multipart, renumber, out);
    band_ledger_rows(band, out);
    check_tiling(scene.communities[community_index], options, out);
    if (options.building_groups) {
        building_groups(scene, cu, whole, wg, renumber, options, out);
    }
}

}  // namespace gridplan::partition::detail
