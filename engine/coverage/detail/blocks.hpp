#pragma once
/// \file
/// Blocks (docs/coverage.md, "Service circles", step 2): the bounded faces of the walking network
/// a circle may fill, traced once per run (blocks.cpp). Private to the coverage module.

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include <boost/geometry/index/rtree.hpp>

#include "core/geometry.hpp"
#include "coverage/detail/faces.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"

namespace gridplan::coverage::detail {

/// A block: a bounded face of the walking network.
struct Block {
    std::uint32_t face = 0;  ///< index into Faces
    core::Polygon polygon;
    core::Box box{};
    std::vector<std::uint32_t> edges;      ///< ascending, unique (incl. dangles inside)
    std::vector<std::uint32_t> buildings;  ///< access point inside, ascending
};

/// Access points of the buildings, by building index.
using PointTree = boost::geometry::index::rtree<std::pair<core::Point, std::uint32_t>,
                                                boost::geometry::index::quadratic<16>>;
/// Boxes of the blocks, by block index.
using BlockTree = boost::geometry::index::rtree<std::pair<core::Box, std::uint32_t>,
                                                boost::geometry::index::quadratic<16>>;

/// Traces the faces of the (planar part of the) network and keeps the blocks that can be filled:
/// a simple ring, area <= max_area, no other street inside, every street of it in `reachable`
/// (a face with a street no circle fully reaches is never filled, so it is not traced).
[[nodiscard]] std::vector<Block> trace_blocks(const graph::WalkGraph& g,
                                              const graph::EdgeIndex& index,
                                              const PointTree& bld_tree,
                                              double max_area,
                                              int threads,
                                              const Faces& faces,
                                              std::span<const char> reachable);

}  // namespace gridplan::coverage::detail
