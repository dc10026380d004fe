// Service-circle polygons (docs/coverage.md, "Service circles"): the blocks a circle fills, one
// circle (strips + filled blocks, then fix-ups), per-facility circles, the dissolved circle of a
// kind as the union of its facility circles, and build_polygons, the driver of step 9. The strips
// are in strips.cpp, the fix-ups and self-check in fixups.cpp, gaps in gaps.cpp.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <span>
#include <utility>

#include <boost/geometry/index/rtree.hpp>

#include "core/disjoint_sets.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "coverage/detail/blocks.hpp"
#include "coverage/detail/faces.hpp"
#include "coverage/detail/fixups.hpp"
#include "coverage/detail/gaps.hpp"
#include "coverage/detail/polygons.hpp"
#include "coverage/detail/reach.hpp"
#include "coverage/detail/strips.hpp"
#include "geom/area_union.hpp"
#include "geom/boxes.hpp"
#include "geom/prepared.hpp"

namespace gridplan::coverage::detail {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using core::Point;
using graph::kNone;

/// Blocks fillable in a circle: every street of the block fully reached and every building in it
/// covered. Candidates are blocks whose box meets `box`.
std::vector<std::uint32_t> fillable_blocks(
    const Shared& sh, const View& view, double budget, const Coverage& cov, const core::Box& box) {
    std::vector<std::uint32_t> out;
    if (!sh.po.fill_blocks) {
        return out;
    }
    std::vector<std::pair<core::Box, std::uint32_t>> found;
    sh.block_tree.query(bgi::intersects(box), std::back_inserter(found));
    std::vector<std::pair<double, double>> iv;
    for (const auto& [bx, i] : found) {
        const auto& block = sh.blocks[i];
        bool ok = true;
        for (const auto e : block.edges) {
            if (!fully_reached(sh.g, e, view.at(sh.g, e), budget, iv)) {
                ok = false;
                break;
            }
        }
        for (std::size_t j = 0; ok && j < block.buildings.size(); ++j) {
            ok = cov.covered(block.buildings[j]);
        }
        if (ok) {
            out.push_back(i);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// Distance between segments ab and cd (0 when they meet).
double segment_distance(const Point& a, const Point& b, const Point& c, const Point& d) {
    const auto orient = [](const Point& p, const Point& q, const Point& r) {
        return (q.x() - p.x()) * (r.y() - p.y()) - (q.y() - p.y()) * (r.x() - p.x());
    };
    const double o1 = orient(a, b, c);
    const double o2 = orient(a, b, d);
    const double o3 = orient(c, d, a);
    const double o4 = orient(c, d, b);
    if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
        return 0.0;
    }
    const auto point_segment = [](const Point& p, const Point& s0, const Point& s1) {
        const double dx = s1.x() - s0.x();
        const double dy = s1.y() - s0.y();
        const double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? ((p.x() - s0.x()) * dx + (p.y() - s0.y()) * dy) / len2 : 0.0;
        t = std::clamp(t, 0.0, 1.0);
        return std::hypot(p.x() - (s0.x() + t * dx), p.y() - (s0.y() + t * dy));
    };
    return std::min({point_segment(a, c, d),
                     point_segment(b, c, d),
                     point_segment(c, a, b),
                     point_segment(d, a, b)});
}

/// The union of a circle's filled blocks (formed combinatorially) and its boundary segments, to
/// tell which strip pieces lie wholly inside it.
struct FilledRegion {
    core::MultiPolygon area;
    /// Edges with a filled block on at least one side, ascending: their points lie in the closure
    /// of the region.
    std::vector<std::uint32_t> touching_edges;
    using SegEntry = std::pair<core::Box, std::pair<Point, Point>>;
    bgi::rtree<SegEntry, bgi::quadratic<16>> boundary;

    /// True when every point within w of `core_line` (a line, or a point given as two equal
    /// points) is in the region: the core touches the closed region (a caller guarantee: it lies
    /// on a touching edge or node) and is at least w from the region's boundary, so the
    /// connected w-neighbourhood cannot leave the region.
    [[nodiscard]] bool contains_around(const core::LineString& core_line, double w) const {
        if (area.empty() || core_line.size() < 2) {
            return false;
        }
        auto box = bg::return_envelope<core::Box>(core_line);
        box.min_corner() = {box.min_corner().x() - w, box.min_corner().y() - w};
        box.max_corner() = {box.max_corner().x() + w, box.max_corner().y() + w};
        for (auto it = boundary.qbegin(bgi::intersects(box)); it != boundary.qend(); ++it) {
            const auto& [c, d] = it->second;
            for (std::size_t k = 0; k + 1 < core_line.size(); ++k) {
                if (segment_distance(core_line[k], core_line[k + 1], c, d) < w + 1e-9) {
                    return false;
                }
            }
        }
        return true;
    }
};

/// The filled region of a circle from its filled blocks.
FilledRegion filled_region(const Shared& sh, std::span<const std::uint32_t> filled_blocks) {
    FilledRegion out;
    if (filled_blocks.empty()) {
        return out;
    }
    const auto& faces = sh.faces;
    std::vector<char> included(faces.face_count(), 0);
    for (const auto i : filled_blocks) {
        included[sh.blocks[i].face] = 1;
    }
    out.area = face_union(sh.g, faces, included);
    std::vector<FilledRegion::SegEntry> segs;
    for (const auto i : filled_blocks) {
        const auto f = sh.blocks[i].face;
        for (std::uint32_t k = faces.first[f]; k < faces.first[f + 1]; ++k) {
            const std::uint32_t a = faces.arcs[k];
            const std::uint32_t e = sh.g.arc_edge[a];
            out.touching_edges.push_back(e);
            const std::uint32_t t = faces.twin[a];
            if (t != kNone && included[faces.arc_face[t]] == 0) {
                const auto& line = sh.g.edge_geometry[e];
                for (std::size_t j = 0; j + 1 < line.size(); ++j) {
                    core::Box b =
                        bg::return_envelope<core::Box>(core::LineString{line[j], line[j + 1]});
                    segs.emplace_back(b, std::make_pair(line[j], line[j + 1]));
                }
            }
        }
    }
    std::sort(out.touching_edges.begin(), out.touching_edges.end());
    out.touching_edges.erase(std::unique(out.touching_edges.begin(), out.touching_edges.end()),
                             out.touching_edges.end());
    out.boundary = decltype(out.boundary)(segs.begin(), segs.end());
    return out;
}

/// A circle at one budget from a view: strips along the reached parts of `edges` (ascending),
/// disks at junctions, filled blocks; then legs, notches, slits and the self-check.
void circle(const Shared& sh,
            const View& view,
            std::span<const std::uint32_t> edges,
            double budget,
            const Coverage& cov,
            ServiceCircle& out) {
    const auto& po = sh.po;
    const auto& g = sh.g;
    geom::AreaPieces pieces;
    pieces.width_m = po.ribbon_width_m;
    std::vector<std::pair<std::uint32_t, double>> node_disks;
    std::vector<NodeCover> node_covers;
    core::Box box{{0, 0}, {0, 0}};
    std::vector<std::uint32_t> reached;
    std::vector<std::pair<double, double>> iv;
    for (const auto e : edges) {
        const auto at = view.at(g, e);
        iv.clear();
        reach_intervals(g.edge_length_m[e], at.du, at.dv, at.seeds, budget, iv);
        if (iv.empty()) {
            continue;
        }
        const auto eb = bg::return_envelope<core::Box>(g.edge_geometry[e]);
        if (reached.empty()) {
            box = eb;
        } else {
            bg::expand(box, eb);
        }
        reached.push_back(e);
    }
    // Filled blocks first: their union is formed combinatorially (faces.hpp), and strip pieces
    // lying wholly inside it are left out of the polygon union (same union, far fewer pieces).
    FilledRegion region;
    if (!reached.empty()) {
        out.filled_blocks = fillable_blocks(sh, view, budget, cov, box);
        region = filled_region(sh, out.filled_blocks);
    }
    std::vector<std::uint32_t> touching_nodes;
    for (const auto e : region.touching_edges) {
        touching_nodes.push_back(g.edge_from[e]);
        touching_nodes.push_back(g.edge_to[e]);
    }
    std::sort(touching_nodes.begin(), touching_nodes.end());
    touching_nodes.erase(std::unique(touching_nodes.begin(), touching_nodes.end()),
                         touching_nodes.end());
    for (const auto e : reached) {
        const bool touching =
            std::binary_search(region.touching_edges.begin(), region.touching_edges.end(), e);
        const auto inside = [&](const core::LineString& core_line, double w) {
            return touching && region.contains_around(core_line, w);
        };
        edge_strips(g,
                    e,
                    view.at(g, e),
                    budget,
                    po.ribbon_width_m,
                    pieces,
                    node_disks,
                    node_covers,
                    inside);
    }
    std::sort(node_covers.begin(), node_covers.end(), [](const NodeCover& x, const NodeCover& y) {
        if (x.node != y.node) {
            return x.node < y.node;
        }
        return x.angle != y.angle ? x.angle < y.angle : x.rho < y.rho;
    });
    std::sort(node_disks.begin(), node_disks.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : x.second > y.second;
    });
    for (std::size_t i = 0; i < node_disks.size(); ++i) {
        if (i == 0 || node_disks[i].first != node_disks[i - 1].first) {
            const auto& p = g.nodes[node_disks[i].first];
            const bool touching = std::binary_search(
                touching_nodes.begin(), touching_nodes.end(), node_disks[i].first);
            // A disk inside the squares of its streets' strips adds nothing to the union.
            const auto covers = std::equal_range(
                node_covers.begin(),
                node_covers.end(),
                NodeCover{node_disks[i].first, 0.0, 0.0},
                [](const NodeCover& x, const NodeCover& y) { return x.node < y.node; });
            const std::span<const NodeCover> at_node(covers.first, covers.second);
            if (!(touching &&
                  region.contains_around(core::LineString{p, p}, node_disks[i].second)) &&
                !disk_covered(at_node, node_disks[i].second)) {
                pieces.disk_centres.push_back(p);
                pieces.disk_radii.push_back(node_disks[i].second);
            }
        }
    }
    // The strips first, then the filled region in one overlay: inside the cascade the large
    // region would be re-noded at every level.
    auto area = geom::union_pair(region.area, geom::union_pieces(pieces, po.quadrant_segments));
    finish_circle(sh, view, budget, cov, std::move(area), out);
}

/// One facility's circle at one budget.
void facility_circle(const Shared& sh, const Reach& reach, double budget, ServiceCircle& out) {
    const View view{&reach, nullptr, reach.seeds};
    Coverage cov;
    for (const auto& [b, d] : reach.buildings) {
        if (d <= budget) {
            cov.covered_list.push_back(b);
        }
    }
    cov.covered = [&cov](std::uint32_t b) {
        return std::binary_search(cov.covered_list.begin(), cov.covered_list.end(), b);
    };
    std::vector<std::uint32_t> edges;
    edges.reserve(reach.edges.size());
    for (const auto& er : reach.edges) {
        edges.push_back(er.edge);
    }
    circle(sh, view, edges, budget, cov, out);
}

/// What a dissolved circle is built from besides its facility circles.
struct DissolveTask {
    View view;  ///< the kind's multi-source labels
    double budget = 0.0;
    const KindCoverage* kc = nullptr;
};

/// Dissolved circles as the unions of their facility circles (`members[d]`, each already built
/// with its fix-ups and self-check at the same budget), plus the blocks that only several
/// facilities' streets together enclose; then the fix-ups and the self-check of the union.
/// The strip width of the dissolved circle, min(a, B - min_f D_f), is the widest facility strip,
/// so this is the same area as a direct build, without a second union of all strip pieces.
/// Facility circles whose boxes meet, transitively, form one part; parts are disjoint and run in
/// parallel (largest first); `out[d]` gets the parts in order.
template <class TaskOf>
void dissolve(const Shared& sh,
              const std::vector<std::vector<const ServiceCircle*>>& members,
              const TaskOf& task_of,
              int threads,
              std::span<ServiceCircle> out) {
    struct Part {
        std::size_t task = 0;
        std::vector<const ServiceCircle*> circles;
        core::Box box{};
        std::size_t vertices = 0;
        std::vector<std::uint32_t> covered;  ///< ascending: covered buildings whose nearest
                                             ///< facility is one of this part's
    };
    std::vector<Part> parts;
    std::vector<std::size_t> first_part(members.size() + 1, 0);
    for (std::size_t d = 0; d < members.size(); ++d) {
        first_part[d] = parts.size();
        std::vector<const ServiceCircle*> nonempty;
        std::vector<core::Box> boxes;
        for (const auto* c : members[d]) {
            if (!c->area.empty()) {
                nonempty.push_back(c);
                boxes.push_back(bg::return_envelope<core::Box>(c->area));
            }
        }
        const std::size_t base = parts.size();
        std::map<std::uint32_t, std::size_t> part_of;  // facility -> part
        for (const auto& group : geom::meeting_groups(boxes)) {
            Part part;
            part.task = d;
            part.box = boxes[group.front()];
            for (const auto m : group) {
                part.circles.push_back(nonempty[m]);
                bg::expand(part.box, boxes[m]);
                for (const auto& poly : nonempty[m]->area) {
                    part.vertices += poly.outer().size();
                }
                part_of[nonempty[m]->facility] = parts.size();
            }
            parts.push_back(std::move(part));
        }
        const auto task = task_of(d);
        const auto& kc = *task.kc;
        for (std::uint32_t b = 0; b < kc.distance_m.size(); ++b) {
            if (kc.distance_m[b] <= task.budget) {
                const auto it = part_of.find(kc.nearest[b]);
                // A covered building always lies in its nearest facility's circle; should that
                // circle be empty, the first part takes it (its legs and self-check see it).
                if (it != part_of.end()) {
                    parts[it->second].covered.push_back(b);
                } else if (parts.size() > base) {
                    parts[base].covered.push_back(b);
                } else {
                    out[d].check.covered_outside += 1;
                    out[d].check.buildings_checked += 1;
                }
            }
        }
    }
    first_part[members.size()] = parts.size();
    std::vector<std::size_t> by_size(parts.size());
    std::iota(by_size.begin(), by_size.end(), std::size_t{0});
    std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t x, std::size_t y) {
        return parts[x].vertices > parts[y].vertices;
    });
    std::vector<ServiceCircle> built(parts.size());
    core::parallel_items(parts.size(), threads, [&](std::size_t item, unsigned) {
        const auto& part = parts[by_size[item]];
        auto& res = built[by_size[item]];
        const auto task = task_of(part.task);
        const auto& kc = *task.kc;
        const double budget = task.budget;
        std::vector<core::MultiPolygon> areas;
        std::vector<std::uint32_t> filled;
        for (const auto* c : part.circles) {
            areas.push_back(c->area);
            filled.insert(filled.end(), c->filled_blocks.begin(), c->filled_blocks.end());
        }
        std::sort(filled.begin(), filled.end());
        filled.erase(std::unique(filled.begin(), filled.end()), filled.end());
        auto area = areas.size() == 1 ? std::move(areas.front()) : geom::union_areas(areas);
        Coverage cov;
        cov.covered_list = part.covered;
        cov.covered = [&kc, budget](std::uint32_t b) { return kc.distance_m[b] <= budget; };
        // Blocks enclosed only by several facilities' streets together.
        std::vector<std::uint32_t> joint;
        for (const auto i : fillable_blocks(sh, task.view, budget, cov, part.box)) {
            if (!std::binary_search(filled.begin(), filled.end(), i)) {
                joint.push_back(i);
            }
        }
        if (!joint.empty()) {
            std::vector<char> included(sh.faces.face_count(), 0);
            for (const auto i : joint) {
                included[sh.blocks[i].face] = 1;
            }
            area = geom::union_pair(area, face_union(sh.g, sh.faces, included));
            filled.insert(filled.end(), joint.begin(), joint.end());
            std::sort(filled.begin(), filled.end());
        }
        finish_circle(sh, task.view, budget, cov, std::move(area), res);
        res.filled_blocks = std::move(filled);
    });
    for (std::size_t d = 0; d < members.size(); ++d) {
        auto& c = out[d];
        const std::span<ServiceCircle> mine(built.data() + first_part[d],
                                            first_part[d + 1] - first_part[d]);
        // Parts of disjoint boxes are disjoint; fix-ups may grow a part (legs), so parts whose
        // final boxes meet are united (their self-checks stay valid for the union: each keeps
        // its covered buildings inside and the uncovered ones and unreached streets outside).
        std::vector<std::size_t> nonempty;
        std::vector<core::Box> boxes;
        for (std::size_t m = 0; m < mine.size(); ++m) {
            if (!mine[m].area.empty()) {
                nonempty.push_back(m);
                boxes.push_back(bg::return_envelope<core::Box>(mine[m].area));
            }
        }
        for (const auto& group : geom::meeting_groups(boxes)) {
            if (group.size() == 1) {
                for (auto& poly : mine[nonempty[group.front()]].area) {
                    c.area.push_back(std::move(poly));
                }
                continue;
            }
            std::vector<core::MultiPolygon> areas;
            areas.reserve(group.size());
            for (const auto m : group) {
                areas.push_back(std::move(mine[nonempty[m]].area));
            }
            for (auto& poly : geom::union_areas(areas)) {
                c.area.push_back(std::move(poly));
            }
        }
        for (auto& p : mine) {
            c.filled_blocks.insert(
                c.filled_blocks.end(), p.filled_blocks.begin(), p.filled_blocks.end());
            c.notches += p.notches;
            c.carves += p.carves;
            c.legs += p.legs;
            c.check.add(p.check);
        }
        std::sort(c.filled_blocks.begin(), c.filled_blocks.end());
        c.filled_blocks.erase(std::unique(c.filled_blocks.begin(), c.filled_blocks.end()),
                              c.filled_blocks.end());
    }
}

/// The multi-source searches of the kinds: the view of result.kinds[k]'s dissolved circle.
struct KindSearches {
    std::span<const NearestField> fields;
    [[nodiscard]] View view(std::size_t k) const {
        return View{nullptr, &fields[k].node_distance(), fields[k].seeds()};
    }
};

/// The access points of all buildings in an R-tree.
PointTree access_point_tree(const Result& result) {
    using PEntry = std::pair<Point, std::uint32_t>;
    std::vector<PEntry> pts;
    for (std::uint32_t b = 0; b < result.access_points.size(); ++b) {
        pts.emplace_back(result.access_points[b], b);
    }
    return PointTree(pts.begin(), pts.end());
}

/// Streets some circle may fully reach: fully reached by a kind's multi-source labels within the
/// largest polygon budget (a facility's distances are never shorter).
std::vector<char> reachable_streets(const graph::WalkGraph& graph,
                                    const Result& result,
                                    const KindSearches& kinds) {
    const auto& options = result.options;
    double max_budget = 0.0;
    for (const auto p : options.polygons.profiles) {
        for (const double minutes : options.thresholds_min) {
            max_budget = std::max(max_budget, budget_m(minutes, options.profiles[p].speed_kmh));
        }
    }
    std::vector<char> reachable(graph.edge_count(), 0);
    core::parallel_chunks(
        graph.edge_count(),
        options.threads,
        4096,
        [&](std::size_t begin, std::size_t end, unsigned) {
            std::vector<std::pair<double, double>> iv;
            for (std::size_t e = begin; e < end; ++e) {
                for (std::size_t k = 0; k < result.kinds.size() && reachable[e] == 0; ++k) {
                    const View view = kinds.view(k);
                    const auto edge = static_cast<std::uint32_t>(e);
                    reachable[e] =
                        fully_reached(graph, edge, view.at(graph, edge), max_budget, iv) ? 1 : 0;
                }
            }
        });
    return reachable;
}

/// The blocks that can be filled (none unless fill_blocks), with the faces they come from and an
/// R-tree of their boxes.
struct BlockSet {
    Faces faces;
    std::vector<Block> blocks;
    BlockTree tree;
};

BlockSet fillable_block_set(const graph::WalkGraph& graph,
                            const graph::EdgeIndex& index,
                            const PointTree& bld_tree,
                            const Result& result,
                            const KindSearches& kinds) {
    const auto& options = result.options;
    BlockSet set;
    if (options.polygons.fill_blocks) {
        const auto reachable = reachable_streets(graph, result, kinds);
        set.faces = trace_faces(graph);
        set.blocks = trace_blocks(graph,
                                  index,
                                  bld_tree,
                                  options.polygons.max_fill_area_m2,
                                  options.threads,
                                  set.faces,
                                  reachable);
    }
    using BEntry = std::pair<core::Box, std::uint32_t>;
    std::vector<BEntry> block_boxes;
    for (std::uint32_t i = 0; i < set.blocks.size(); ++i) {
        block_boxes.emplace_back(set.blocks[i].box, i);
    }
    set.tree = BlockTree(block_boxes.begin(), block_boxes.end());
    return set;
}

/// The circles to build: the dissolved ones per kind × profile × threshold, then (when asked)
/// per facility (kind order, facility, profile, threshold); `all` starts with `dissolved`.
struct CircleTasks {
    std::vector<CircleTask> dissolved;
    std::vector<CircleTask> all;
};

CircleTasks circle_tasks(const Result& result) {
    const auto& po = result.options.polygons;
    const std::size_t n_t = result.options.thresholds_min.size();
    CircleTasks tasks;
    for (std::size_t k = 0; k < result.kinds.size(); ++k) {
        for (const auto p : po.profiles) {
            for (std::size_t t = 0; t < n_t; ++t) {
                tasks.dissolved.push_back({k, kNone, p, t});
            }
        }
    }
    tasks.all = tasks.dissolved;
    for (std::size_t k = 0; po.per_facility && k < result.kinds.size(); ++k) {
        for (const auto f : result.kinds[k].facilities) {
            for (const auto p : po.profiles) {
                for (std::size_t t = 0; t < n_t; ++t) {
                    tasks.all.push_back({k, f, p, t});
                }
            }
        }
    }
    return tasks;
}

double task_budget(const Options& options, const CircleTask& task) {
    return budget_m(options.thresholds_min[task.threshold],
                    options.profiles[task.profile].speed_kmh);
}

/// A dissolved circle built like a facility circle from the kind's multi-source labels: the strip
/// width min(a, B - min_f D_f(x)) is the widest of the facilities' strips at x, so this is the
/// union of the facility circles without overlaying them.
void direct_dissolved_circle(
    const Shared& sh, const View& view, const KindCoverage& kc, double budget, ServiceCircle& c) {
    Coverage cov;
    for (std::uint32_t b = 0; b < sh.scene.buildings.size(); ++b) {
        if (kc.distance_m[b] <= budget) {
            cov.covered_list.push_back(b);
        }
    }
    cov.covered = [&kc, budget](std::uint32_t b) { return kc.distance_m[b] <= budget; };
    std::vector<std::uint32_t> edges;
    for (std::uint32_t e = 0; e < sh.g.edge_count(); ++e) {
        if (view.at(sh.g, e).touched) {
            edges.push_back(e);
        }
    }
    circle(sh, view, edges, budget, cov, c);
}

/// Labels circle c with its task.
void label_circle(const Result& result, const CircleTask& task, ServiceCircle& c) {
    c.kind = result.kinds[task.kind].kind;
    c.facility = task.facility;
    c.profile = task.profile;
    c.threshold_min = result.options.thresholds_min[task.threshold];
}

/// Item i of the circle pool (see build_circles): circle i of tasks.all, or a gap's growth.
void build_circle_item(const Shared& sh,
                       const CircleTasks& tasks,
                       std::span<const Reach> reach,
                       const KindSearches& kinds,
                       GapWork& gaps,
                       std::size_t i,
                       std::vector<ServiceCircle>& circles) {
    const auto& result = sh.result;
    if (i >= tasks.all.size()) {
        grow_gap(sh.scene, result, tasks.dissolved, gaps, gaps.by_size[i - tasks.all.size()]);
        return;
    }
    const auto& task = tasks.all[i];
    const double budget = task_budget(result.options, task);
    auto& c = circles[i];
    label_circle(result, task, c);
    if (task.facility != kNone) {
        facility_circle(sh, reach[task.facility], budget, c);
        return;
    }
    direct_dissolved_circle(sh, kinds.view(task.kind), result.kinds[task.kind], budget, c);
}

/// The circle pool: every circle of `tasks.all` (but the dissolved ones when they are built by
/// dissolving the facility circles) and, after them, the growth of every gap (largest first, so
/// it runs while the dissolved circles, the largest single items, are being built). Items are
/// handed out one at a time, each written to its own slot. Progress ("service circles: 120 of
/// 900") goes out from the calling thread, at most once per percent.
std::vector<ServiceCircle> build_circles(const Shared& sh,
                                         const CircleTasks& tasks,
                                         std::span<const Reach> reach,
                                         const KindSearches& kinds,
                                         bool dissolve_facilities,
                                         GapWork& gaps,
                                         const core::ProgressFn& progress) {
    const auto& result = sh.result;
    const std::size_t first_item = dissolve_facilities ? tasks.dissolved.size() : 0;
    std::vector<ServiceCircle> circles(tasks.all.size());
    const std::size_t n_items = tasks.all.size() - first_item + gaps.by_size.size();
    std::atomic<std::size_t> done{0};
    std::size_t reported_percent = 0;
    const auto say = [&](std::size_t now) {
        reported_percent = now * 100 / n_items;
        core::report(progress,
                     "coverage",
                     "service circles: " + std::to_string(now) + " of " + std::to_string(n_items));
    };
    core::parallel_items(n_items, result.options.threads, [&](std::size_t item, unsigned worker) {
        build_circle_item(sh, tasks, reach, kinds, gaps, item + first_item, circles);
        const std::size_t now = ++done;
        if (worker == 0 && progress && now * 100 / n_items > reported_percent) {
            say(now);
        }
    });
    if (progress && n_items > 0 && reported_percent < 100) {
        say(n_items);
    }
    return circles;
}

/// The dissolved circles (circles[0 .. tasks.dissolved.size())) as unions of their facility
/// circles (the rest of `circles`), see dissolve().
void dissolve_circles(const Shared& sh,
                      const CircleTasks& tasks,
                      const KindSearches& kinds,
                      std::vector<ServiceCircle>& circles) {
    const auto& result = sh.result;
    const auto& dtasks = tasks.dissolved;
    std::vector<std::vector<const ServiceCircle*>> members(dtasks.size());
    for (std::size_t i = dtasks.size(); i < tasks.all.size(); ++i) {
        for (std::size_t d = 0; d < dtasks.size(); ++d) {
            if (dtasks[d].kind == tasks.all[i].kind && dtasks[d].profile == tasks.all[i].profile &&
                dtasks[d].threshold == tasks.all[i].threshold) {
                members[d].push_back(&circles[i]);
            }
        }
    }
    for (std::size_t d = 0; d < dtasks.size(); ++d) {
        label_circle(result, dtasks[d], circles[d]);
    }
    dissolve(
        sh,
        members,
        [&](std::size_t d) {
            const auto& task = dtasks[d];
            return DissolveTask{
                kinds.view(task.kind), task_budget(result.options, task), &result.kinds[task.kind]};
        },
        result.options.threads,
        std::span<ServiceCircle>(circles.data(), dtasks.size()));
}

/// The blocks filled in at least one circle go to result.blocks (in block order); the circles'
/// filled_blocks are renumbered into that list.
void keep_filled_blocks(const std::vector<Block>& blocks,
                        std::span<ServiceCircle> per_facility,
                        std::span<ServiceCircle> dissolved,
                        Result& result) {
    std::vector<std::uint32_t> used;
    for (const auto list : {per_facility, dissolved}) {
        for (const auto& c : list) {
            used.insert(used.end(), c.filled_blocks.begin(), c.filled_blocks.end());
        }
    }
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    for (const auto i : used) {
        result.blocks.push_back(blocks[i].polygon);
    }
    const auto renumber = [&](ServiceCircle& c) {
        for (auto& i : c.filled_blocks) {
            i = static_cast<std::uint32_t>(std::lower_bound(used.begin(), used.end(), i) -
                                           used.begin());
        }
    };
    for (auto& c : per_facility) {
        renumber(c);
    }
    for (auto& c : dissolved) {
        renumber(c);
    }
}

}  // namespace

void build_polygons(const core::Scene& scene,
                    const graph::WalkGraph& graph,
                    const graph::EdgeIndex& index,
                    std::span<const Reach> reach,
                    std::span<const NearestField> kind_fields,
                    Result& result,
                    const core::ProgressFn& progress) {
    const auto& options = result.options;
    const KindSearches kinds{kind_fields};

    core::report(progress, "coverage", "tracing blocks");
    const PointTree bld_tree = access_point_tree(result);
    const BlockSet blocks = fillable_block_set(graph, index, bld_tree, result, kinds);
    const Shared sh{scene,
                    graph,
                    index,
                    result,
                    options.polygons,
                    blocks.faces,
                    blocks.blocks,
                    blocks.tree,
                    bld_tree};
    const CircleTasks tasks = circle_tasks(result);
    // Gaps need only the coverage: their clusters first, grown in the circle pool.
    GapWork gaps = cluster_gaps(scene, result, tasks.dissolved);

    core::report(progress, "coverage", "service circles");
    // With per-facility circles, the dissolved circle of a kind is their union (plus the blocks
    // only their streets together enclose), built after them; otherwise it is built directly from
    // the kind's multi-source labels.
    const bool dissolve_facilities = options.polygons.per_facility;
    std::vector<ServiceCircle> circles =
        build_circles(sh, tasks, reach, kinds, dissolve_facilities, gaps, progress);
    share_grown_gaps(scene, result, tasks.dissolved, gaps);
    if (dissolve_facilities) {
        core::report(progress, "coverage", "dissolving circles");
        dissolve_circles(sh, tasks, kinds, circles);
    }
    const auto n_dissolved = static_cast<std::ptrdiff_t>(tasks.dissolved.size());
    std::vector<ServiceCircle> dissolved(std::make_move_iterator(circles.begin()),
                                         std::make_move_iterator(circles.begin() + n_dissolved));
    std::vector<ServiceCircle> per_facility(std::make_move_iterator(circles.begin() + n_dissolved),
                                            std::make_move_iterator(circles.end()));
    circles.clear();
    keep_filled_blocks(blocks.blocks, per_facility, dissolved, result);

    core::report(progress, "coverage", "gaps");
    std::vector<Gap> gap_list = cut_gaps(result, dissolved, gaps);

    if (options.polygons.per_facility) {
        for (auto& c : per_facility) {
            result.check.add(c.check);
            result.circles.push_back(std::move(c));
        }
    }
    for (auto& c : dissolved) {
        result.check.add(c.check);
        result.circles.push_back(std::move(c));
    }
    for (auto& gap : gap_list) {
        result.gaps.push_back(std::move(gap));
    }
}

}  // namespace gridplan::coverage::detail
