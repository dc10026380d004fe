// Step 8 of the pipeline per community (docs/partition.md, "whole grids"): the community is cut
// into atoms (blocks of one grid, cell parts in shared blocks, blocks without buildings), and
// every atom goes to one grid so that each grid is one connected piece.
//
// The optimiser's graph joins units that geometry does not: across a cluster of empty blocks
// (step 5 relays adjacency through squares and road islands) and past a standalone unit (step 6
// pass-through edges). A grid whose units are joined only that way needs the empty space
// between them; so grids first claim the cheapest chain of free atoms that joins their parts,
// and only then does the remaining free space go to the grid it shares the longest boundary
// with (regress_15_multipart_grids).

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <utility>

#include "geom/voronoi.hpp"
#include "partition/detail/community.hpp"

namespace gridplan::partition::detail {

namespace bg = boost::geometry;

/// The part of a cell that holds its unit's anchor (the largest part when none covers it).
std::size_t anchor_part(const Unit& unit) {
    std::size_t best = 0;
    double best_area = -1.0;
    for (std::size_t i = 0; i < unit.cell.size(); ++i) {
        if (bg::covered_by(unit.anchor, unit.cell[i])) {
            return i;
        }
        const double a = bg::area(unit.cell[i]);
        if (a > best_area) {
            best_area = a;
            best = i;
        }
    }
    return best;
}

namespace {

using Neighbours = std::vector<std::vector<std::pair<std::uint32_t, double>>>;

/// Atoms of the community in block order: a block whose units are all in one grid is one atom
/// of that grid; in a block shared by grids every polygon part of every cell is an atom (the
/// part holding the anchor belongs to the unit's grid, the others are free); an empty block is
/// a free atom.
std::vector<Atom> make_atoms(const CommunityUnits& cu, const std::vector<std::uint32_t>& grid_of) {
    std::vector<Atom> atoms;
    for (std::uint32_t f = 0; f < cu.face_count(); ++f) {
        const auto& us = cu.units_of_face[f];
        const bool one_grid = std::all_of(
            us.begin(), us.end(), [&](std::uint32_t u) { return grid_of[u] == grid_of[us[0]]; });
        if (us.empty() || one_grid) {
            Atom a;
            a.area.push_back(cu.blocks.faces[f]);
            a.units = us;
            a.grid = us.empty() ? -1 : static_cast<std::int64_t>(grid_of[us[0]]);
            a.face = f;
            atoms.push_back(std::move(a));
            continue;
        }
        for (const auto u : us) {
            const Unit& unit = cu.units[u];
            const std::size_t own = anchor_part(unit);
            for (std::size_t i = 0; i < unit.cell.size(); ++i) {
                Atom a;
                a.area.push_back(unit.cell[i]);
                if (i == own) {
                    a.units.push_back(u);
                    a.grid = grid_of[u];
                }
                a.face = f;
                atoms.push_back(std::move(a));
            }
        }
    }
    return atoms;
}

/// Atoms that share a boundary of positive length, with its length.
Neighbours atom_neighbours(const std::vector<Atom>& atoms) {
    std::vector<const core::MultiPolygon*> parts;
    parts.reserve(atoms.size());
    for (const auto& a : atoms) {
        parts.push_back(&a.area);
    }
    Neighbours nb(atoms.size());
    for (const auto& s : geom::shared_boundaries(parts)) {
        nb[s.a].emplace_back(s.b, s.length_m);
        nb[s.b].emplace_back(s.a, s.length_m);
    }
    return nb;
}

/// The state of the assignment: atom owners and, per atom, the component of its grid it is in.
struct Claim {
    const CommunityUnits& cu;
    std::vector<Atom>& atoms;
    const Neighbours& nb;
    std::vector<double> area;  ///< per atom, the cost of claiming it

    /// Components of grid g's atoms (by adjacency among them), the one with most households
    /// first (ties: lowest atom index).
    [[nodiscard]] std::vector<std::vector<std::uint32_t>> components(std::int64_t g) const {
        std::vector<std::vector<std::uint32_t>> comps;
        std::vector<char> seen(atoms.size(), 0);
        for (std::uint32_t a = 0; a < atoms.size(); ++a) {
            if (atoms[a].grid != g || seen[a] != 0) {
                continue;
            }
            comps.emplace_back();
            std::vector<std::uint32_t> stack{a};
            seen[a] = 1;
            while (!stack.empty()) {
                const auto x = stack.back();
                stack.pop_back();
                comps.back().push_back(x);
                for (const auto& [y, len] : nb[x]) {
                    if (atoms[y].grid == g && seen[y] == 0) {
                        seen[y] = 1;
                        stack.push_back(y);
                    }
                }
            }
        }
        std::stable_sort(comps.begin(), comps.end(), [&](const auto& x, const auto& y) {
            return households(x) > households(y);
        });
        return comps;
    }

    [[nodiscard]] double households(const std::vector<std::uint32_t>& comp) const {
        double h = 0.0;
        for (const auto a : comp) {
            for (const auto u : atoms[a].units) {
                h += cu.units[u].households + 1e-9;
            }
        }
        return h;
    }

    /// The cheapest chain of free atoms (by area) from `region` to an atom of grid g outside
    /// it; the chain's atoms (free ones) and the atom reached, or nothing.
    [[nodiscard]] std::optional<std::vector<std::uint32_t>> free_path(
        std::int64_t g, const std::vector<char>& region) const {
        using Item = std::pair<double, std::uint32_t>;
        std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
        std::vector<double> dist(atoms.size(), std::numeric_limits<double>::infinity());
        std::vector<std::int64_t> from(atoms.size(), -1);
        for (std::uint32_t a = 0; a < atoms.size(); ++a) {
            if (region[a] != 0) {
                dist[a] = 0.0;
                queue.emplace(0.0, a);
            }
        }
        while (!queue.empty()) {
            const auto [d, x] = queue.top();
            queue.pop();
            if (d > dist[x]) {
                continue;
            }
            if (atoms[x].grid == g && region[x] == 0) {
                std::vector<std::uint32_t> path;
                for (auto y = static_cast<std::int64_t>(x); y >= 0 && region[y] == 0; y = from[y]) {
                    path.push_back(static_cast<std::uint32_t>(y));
                }
                return path;
            }
            for (const auto& [y, len] : nb[x]) {
                const bool target = atoms[y].grid == g && region[y] == 0;
                if (atoms[y].grid >= 0 && !target) {
                    continue;
                }
                const double dy = d + (target ? 0.0 : area[y]);
                if (dy < dist[y]) {
                    dist[y] = dy;
                    from[y] = x;
                    queue.emplace(dy, y);
                }
            }
        }
        return std::nullopt;
    }

    /// Joins the parts of grid g through free atoms, cheapest chain first; returns the parts
    /// that no chain of free atoms reaches.
    std::vector<std::vector<std::uint32_t>> connect(std::int64_t g) {
        auto comps = components(g);
        if (comps.size() <= 1) {
            return {};
        }
        std::vector<char> region(atoms.size(), 0);
        for (const auto a : comps[0]) {
            region[a] = 1;
        }
        while (auto path = free_path(g, region)) {
            for (const auto a : *path) {
                atoms[a].grid = g;
                region[a] = 1;
            }
            // Everything of g now touching the region joins it (the part the chain reached).
            std::vector<std::uint32_t> stack(path->begin(), path->end());
            while (!stack.empty()) {
                const auto x = stack.back();
                stack.pop_back();
                for (const auto& [y, len] : nb[x]) {
                    if (atoms[y].grid == g && region[y] == 0) {
                        region[y] = 1;
                        stack.push_back(y);
                    }
                }
            }
        }
        std::vector<std::vector<std::uint32_t>> apart;
        for (auto& c : comps) {
            if (region[c[0]] == 0) {
                apart.push_back(std::move(c));
            }
        }
        return apart;
    }
};

/// Households per grid under the current unit grids.
std::vector<double> grid_households(const Claim& claim, const WholeGrids& wg, std::size_t n_grids) {
    std::vector<double> h(n_grids, 0.0);
    for (std::uint32_t u = 0; u < claim.cu.unit_count(); ++u) {
        h[wg.grid_of_unit[u]] += claim.cu.units[u].households;
    }
    return h;
}

/// A part of a grid that no free space joins to the rest (its units were joined to it only
/// past a standalone unit, or through space another grid needed) moves to the regular grid it
/// shares the longest boundary with among those the move leaves in the band (and the donor in
/// the band if it was), unless it holds a locked building.
bool move_part(const core::Scene& scene,
               const std::vector<std::uint32_t>& part,
               const GridAssignment& assignment,
               const Band& band,
               Claim& claim,
               WholeGrids& wg) {
    std::map<std::int64_t, double> shared;
    const std::int64_t g = claim.atoms[part[0]].grid;
    double part_h = 0.0;
    for (const auto a : part) {
        for (const auto u : claim.atoms[a].units) {
            part_h += claim.cu.units[u].households;
            for (const auto b : claim.cu.units[u].buildings) {
                if (scene.buildings[b].locked) {
                    return false;
                }
            }
        }
        for (const auto& [y, len] : claim.nb[a]) {
            const auto h = claim.atoms[y].grid;
            if (h >= 0 && h != g &&
                assignment.kinds[static_cast<std::size_t>(h)] == GridKind::regular) {
                shared[h] += len;
            }
        }
    }
    const auto hh = grid_households(claim, wg, assignment.kinds.size());
    const auto gi = static_cast<std::size_t>(g);
    if (band.contains(hh[gi]) && !band.contains(hh[gi] - part_h)) {
        return false;
    }
    std::int64_t best = -1;
    double best_len = -1.0;
    for (const auto& [h, len] : shared) {
        if (band.contains(hh[static_cast<std::size_t>(h)] + part_h) && len > best_len) {
            best = h;
            best_len = len;
        }
    }
    if (best < 0) {
        return false;
    }
    for (const auto a : part) {
        claim.atoms[a].grid = best;
        for (const auto u : claim.atoms[a].units) {
            wg.grid_of_unit[u] = static_cast<std::uint32_t>(best);
            ++wg.units_moved;
            wg.households_moved += claim.cu.units[u].households;
        }
    }
    return true;
}

/// Free atoms touching grids join the grid they share the longest boundary with, in rounds
/// (so chains of empty blocks are absorbed); each joins a grid it touches, so grids stay whole.
void grow_into_free_space(Claim& claim) {
    auto& atoms = claim.atoms;
    for (bool changed = true; changed;) {
        changed = false;
        std::vector<std::int64_t> pick(atoms.size(), -1);
        for (std::uint32_t a = 0; a < atoms.size(); ++a) {
            if (atoms[a].grid >= 0) {
                continue;
            }
            std::map<std::int64_t, double> score;
            for (const auto& [y, len] : claim.nb[a]) {
                if (atoms[y].grid >= 0) {
                    score[atoms[y].grid] += len;
                }
            }
            double best = -1.0;
            for (const auto& [g, len] : score) {
                if (len > best + 1e-9) {
                    best = len;
                    pick[a] = g;
                }
            }
        }
        for (std::uint32_t a = 0; a < atoms.size(); ++a) {
            if (pick[a] >= 0) {
                atoms[a].grid = pick[a];
                changed = true;
            }
        }
    }
}

/// Free atoms that touch no grid lie in a part of the community polygon without buildings:
/// they join the grid of the nearest unit, which is then drawn in several parts.
void place_isolated(Claim& claim, const std::vector<std::uint32_t>& grid_of, WholeGrids& wg) {
    for (auto& atom : claim.atoms) {
        if (atom.grid >= 0) {
            continue;
        }
        core::Point c(0.0, 0.0);
        bg::centroid(atom.area, c);
        double best = std::numeric_limits<double>::infinity();
        for (std::uint32_t u = 0; u < claim.cu.unit_count(); ++u) {
            const double d = bg::comparable_distance(c, claim.cu.units[u].anchor);
            if (d < best) {
                best = d;
                atom.grid = grid_of[u];
            }
        }
        if (atom.grid >= 0) {
            wg.isolated.push_back(static_cast<std::uint32_t>(atom.grid));
        }
    }
    std::sort(wg.isolated.begin(), wg.isolated.end());
    wg.isolated.erase(std::unique(wg.isolated.begin(), wg.isolated.end()), wg.isolated.end());
}

}  // namespace

WholeGrids whole_grids(const core::Scene& scene,
                       const CommunityUnits& cu,
                       const GridAssignment& assignment,
                       const Band* move_within) {
    WholeGrids wg;
    wg.grid_of_unit = assignment.grid_of_unit;
    wg.atoms = make_atoms(cu, assignment.grid_of_unit);
    const Neighbours nb = atom_neighbours(wg.atoms);
    Claim claim{cu, wg.atoms, nb, {}};
    for (const auto& a : wg.atoms) {
        claim.area.push_back(bg::area(a.area) + 1e-6);
    }
    std::vector<std::vector<std::uint32_t>> apart;
    for (std::uint32_t g = 0; g < assignment.kinds.size(); ++g) {
        for (auto& part : claim.connect(g)) {
            apart.push_back(std::move(part));
        }
    }
    for (const auto& part : apart) {
        const auto g = static_cast<std::uint32_t>(wg.atoms[part[0]].grid);
        if (move_within == nullptr ||
            !move_part(scene, part, assignment, *move_within, claim, wg)) {
            wg.apart.push_back(g);
        }
    }
    grow_into_free_space(claim);
    place_isolated(claim, wg.grid_of_unit, wg);
    return wg;
}

}  // namespace gridplan::partition::detail
