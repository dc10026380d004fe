#pragma once
/// \file
/// Candidate sites and the glue from a Scene to a siting Instance: candidates from a layer or
/// generated (street intersections, ground floors of public/commercial buildings) minus exclusion
/// zones, and cover sets under the coverage module's walking-time rule, with the existing
/// facilities of the kind counted as already covering.

#include <span>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/scene.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"
#include "siting/siting.hpp"

namespace gridplan::siting {

/// One candidate site.
struct Candidate {
    std::string id;         ///< layer id, "node:<n>" (intersection) or "building:<id>"
    std::string type;       ///< layer type, "intersection", or the building's type
    core::Point position;   ///< working CRS, metres
    double capacity = 0;    ///< most weight it may serve; 0 = unlimited
    double cost = 0;        ///< reported only
};

/// Where candidates come from.
struct CandidateOptions {
    /// Candidates from a layer (io's `candidates` role), kept in the given order.
    std::vector<Candidate> given;
    /// Add generated candidates; default: only when `given` is empty.
    enum class Generate { when_no_layer, always, never } generate = Generate::when_no_layer;
    bool intersections = true;     ///< walking-graph nodes where >= 3 edges meet
    bool host_buildings = true;    ///< anchors of buildings whose type matches host_types
    /// Building types that can host a station (ground floor of a public or commercial building):
    /// a building qualifies when its lower-cased type contains one of these.
    std::vector<std::string> host_types{
        "commercial", "retail", "shop", "office", "public", "civic", "government", "community",
        "bank", "fuel", "petrol", "supermarket", "convenience", "kiosk",
        "商业", "商铺", "商店", "公共", "办公", "社区", "银行", "加油站", "便利店", "党群", "服务中心"};
    /// Areas where no station may go (water, private compounds…): candidates inside are dropped.
    std::vector<core::MultiPolygon> exclusion;
};

/// Candidates: the given ones, then (if generated) intersections by node index, then host
/// buildings by scene index; every candidate inside an exclusion polygon is dropped.
[[nodiscard]] std::vector<Candidate> generate_candidates(const core::Scene& scene,
                                                         const graph::WalkGraph& graph,
                                                         const CandidateOptions& options);

/// How demand and coverage are measured when building an Instance.
struct InstanceOptions {
    core::FacilityKind kind = core::FacilityKind::warm_station;  ///< existing stations of this kind
    double threshold_min = 15;  ///< walking minutes
    double speed_kmh = 4;       ///< walking speed
    enum class Weight { residents, households, buildings } weight = Weight::residents;
    graph::SnapOptions snap;    ///< snapping candidates and facilities (buildings are given snapped)
    int threads = 0;            ///< cover-set searches in parallel; results identical for any value
};

/// Builds the siting Instance over the scene's buildings (demand units, scene order): one bounded
/// search per candidate (coverage::cover_sets) and per existing facility of the kind (counted in
/// existing_count). `building_snaps` are the buildings' snaps (entrance, else anchor).
[[nodiscard]] Instance build_instance(const core::Scene& scene, const graph::EdgeIndex& index,
                                      const graph::SnapTable& building_snaps,
                                      std::span<const Candidate> candidates,
                                      const InstanceOptions& options);

}  // namespace gridplan::siting
