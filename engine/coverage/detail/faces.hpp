#pragma once
/// \file
/// Faces of the walking network (planar half-edge walk) and the union of a set of faces formed
/// combinatorially: its boundary is the edges with an included face on exactly one side, so no
/// polygon overlay is needed (docs/coverage.md, "Service circles", step 2). Internal to coverage.

#include <cstdint>
#include <span>
#include <vector>

#include "core/geometry.hpp"
#include "graph/walk_graph.hpp"

namespace gridplan::coverage::detail {

/// The faces of the network as cycles of arcs. Arcs of loop edges (from == to) are not traced
/// (twin == kNone, face == kNone). Bounded faces are traced counter-clockwise; the unbounded face
/// of each component clockwise.
struct Faces {
    std::vector<std::uint32_t> tail;      ///< per arc: the node it leaves
    std::vector<std::uint32_t> twin;      ///< per arc: the same edge the other way, or kNone
    std::vector<std::uint32_t> next;      ///< per arc: the next arc of its face, or kNone
    std::vector<std::uint32_t> arc_face;  ///< per arc: its face, or kNone
    std::vector<std::uint32_t> first{0};  ///< CSR: face f has arcs[first[f] .. first[f+1])
    std::vector<std::uint32_t> arcs;      ///< arcs of each face in walking order
    [[nodiscard]] std::size_t face_count() const noexcept { return first.size() - 1; }
};

/// Traces every face of `g` (faces numbered by their lowest arc).
[[nodiscard]] Faces trace_faces(const graph::WalkGraph& g);

/// The union of the faces with `included[f] != 0`, as polygons whose rings are the network edges
/// between an included and a not-included face (bg orientation; holes assigned to the smallest
/// shell around them). Faces meeting at a single node give rings touching at that node, never a
/// self-touching ring. Only meaningful when every included face is a simple bounded face (a
/// block); the unbounded face must not be included.
[[nodiscard]] core::MultiPolygon face_union(const graph::WalkGraph& g,
                                            const Faces& faces,
                                            std::span<const char> included);

}  // namespace gridplan::coverage::detail
