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

/// Rings of a grid union smaller than this are numerical debris of the union of cells that
/// meet at slightly different vertices (collinear slivers), not parts of the grid.
constexpr double kSliverRingM2 = 1e-4;

/// Removes sliver holes and sliver parts (< 1 cm²) from a grid's union, so writers get clean
/// polygons; the tiling check still measures gaps/overlaps after the removal.
void drop_sliver_rings(core::MultiPolygon& area) {
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

/// The pieces each grid's polygon is the union of, and the grids present in each block.
struct GridPieces {
    std::vector<std::vector<core::MultiPolygon>> pieces;    ///< per grid
    std::vector<std::vector<std::uint32_t>> grids_in_face;  ///< per block, sorted, unique
};

/// Empty blocks join the grid they share the longest boundary with (repeatedly, so chains of
/// empty blocks are absorbed); an isolated empty block joins the grid of the nearest unit.
std::vector<std::int64_t> empty_block_grids(const CommunityUnits& cu,
                                            const std::vector<std::uint32_t>& grid_of_unit) {
    const auto n_units = cu.unit_count();
    std::vector<std::int64_t> empty_grid(cu.empty_faces.size(), -1);
    for (bool changed = true; changed;) {
        changed = false;
        std::vector<std::map<std::uint32_t, double>> score(cu.empty_faces.size());
        for (const auto& t : cu.touches) {
            if (empty_grid[t.empty] >= 0) {
                continue;
            }
            if (t.other < n_units) {
                score[t.empty][grid_of_unit[t.other]] += t.length;
            } else if (empty_grid[t.other - n_units] >= 0) {
                score[t.empty][static_cast<std::uint32_t>(empty_grid[t.other - n_units])] +=
                    t.length;
            }
        }
        for (std::size_t e = 0; e < cu.empty_faces.size(); ++e) {
            if (empty_grid[e] >= 0 || score[e].empty()) {
                continue;
            }
            std::uint32_t best = 0;
            double best_len = -1.0;
            for (const auto& [gi, len] : score[e]) {
                if (len > best_len + 1e-9) {
                    best_len = len;
                    best = gi;
                }
            }
            empty_grid[e] = best;
            changed = true;
        }
    }
    for (std::size_t e = 0; e < cu.empty_faces.size(); ++e) {
        if (empty_grid[e] >= 0) {
            continue;
        }
        // Isolated empty block: nearest unit's grid.
        core::Point c(0.0, 0.0);
        bg::centroid(cu.blocks.faces[cu.empty_faces[e]], c);
        double best = 1e300;
        for (std::uint32_t u = 0; u < n_units; ++u) {
            const double d = bg::comparable_distance(c, cu.units[u].anchor);
            if (d < best) {
                best = d;
                empty_grid[e] = grid_of_unit[u];
            }
        }
    }
    return empty_grid;
}

/// Step 8: whole blocks where a grid owns the block, else the union of its cells there; empty
/// blocks go to their grid. Counts the blocks split in the report.
GridPieces grid_pieces(const CommunityUnits& cu,
                       const GridAssignment& assignment,
                       CommunityReport& rep) {
    const auto& grid_of_unit = assignment.grid_of_unit;
    GridPieces gp;
    gp.pieces.resize(assignment.kinds.size());
    gp.grids_in_face.resize(cu.face_count());
    for (std::uint32_t f = 0; f < cu.face_count(); ++f) {
        auto& grids = gp.grids_in_face[f];
        for (const auto u : cu.units_of_face[f]) {
            grids.push_back(grid_of_unit[u]);
        }
        std::sort(grids.begin(), grids.end());
        grids.erase(std::unique(grids.begin(), grids.end()), grids.end());
        if (grids.size() == 1) {
            gp.pieces[grids[0]].push_back(core::MultiPolygon{cu.blocks.faces[f]});
        } else {
            for (const auto gi : grids) {
                std::vector<const core::MultiPolygon*> cells;
                for (const auto u : cu.units_of_face[f]) {
                    if (grid_of_unit[u] == gi) {
                        cells.push_back(&cu.units[u].cell);
                    }
                }
                gp.pieces[gi].push_back(geom::coverage_union(cells));
            }
            ++rep.blocks_split;
        }
    }
    const auto empty_grid = empty_block_grids(cu, grid_of_unit);
    for (std::size_t e = 0; e < cu.empty_faces.size(); ++e) {
        if (empty_grid[e] >= 0) {
            gp.pieces[static_cast<std::size_t>(empty_grid[e])].push_back(cu.empty_polygons[e]);
        }
    }
    return gp;
}

/// Names, codes of street and community, polygon, area and Polsby-Popper of every grid;
/// returns the grid centroids (for reading order).
std::vector<core::Point> grid_shapes(const core::Scene& scene,
                                     core::Index community_index,
                                     const GridAssignment& assignment,
                                     GridPieces& gp,
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
        std::vector<const core::MultiPolygon*> refs;
        for (const auto& piece : gp.pieces[gi]) {
            refs.push_back(&piece);
        }
        grid.area = geom::union_polygons(refs);
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
/// records each building's grid.
void number_grids(const core::Scene& scene,
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
    if (rep.disconnected > 0) {
        warn(out.ledger,
             rep.id,
             "grid_disconnected",
             std::to_string(rep.disconnected) + " grids are not connected (fixed units apart)");
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
    GridPieces gp = grid_pieces(cu, assignment, out.report);
    const auto centroids = grid_shapes(scene, community_index, assignment, gp, out);
    grid_statistics(cu, assignment, gp, band, options, out);
    number_grids(scene, cu, assignment, centroids, options, out);
    band_ledger_rows(band, out);
    check_tiling(scene.communities[community_index], options, out);
}

}  // namespace gridplan::partition::detail
