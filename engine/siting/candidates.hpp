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
    std::string name;       ///< layer name, or the building's name (may be empty)
    std::string type;       ///< layer type, "intersection", or the building's type
    std::string address;    ///< address from the input (layer or building), or empty
    core::Point position;   ///< working CRS, metres
    double capacity = 0;    ///< most weight it may serve; 0 = unlimited
    double cost = 0;        ///< reported only
    bool from_layer = false;  ///< true: from the candidates layer (else generated)
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
    /// The host-site types this run may use (a party service centre wants other hosts than a warm
    /// station): a candidate, given or generated, qualifies when its type matches one of these
    /// (type_matches). Empty: every type qualifies.
    std::vector<std::string> types;
    /// At most this many generated candidates go on to the cover-set searches (thin_generated):
    /// one bounded search each, so a city's every intersection would cost minutes and gigabytes.
    std::size_t max_generated = 20000;
};

/// True when the lower-cased `type` contains one of the lower-cased `wanted` (ASCII case only;
/// Chinese types match as written). An empty `wanted` entry never matches.
[[nodiscard]] bool type_matches(const std::string& type, std::span<const std::string> wanted);

/// The scene's candidate layer (io role `candidates`) as siting candidates, in scene order
/// (capacity and cost 0 when the layer has none).
[[nodiscard]] std::vector<Candidate> layer_candidates(const core::Scene& scene);

/// The scene's exclusion zones (io role `exclusions`).
[[nodiscard]] std::vector<core::MultiPolygon> exclusion_areas(const core::Scene& scene);

/// Ledger rows (layer "candidates", action warned) for the scene's layer candidates that cannot be
/// used: inside an exclusion zone (`excluded`) or farther than the snap distance from every
/// walkable street (`unsnappable`, they would cover nothing).
[[nodiscard]] core::Ledger candidate_issues(const core::Scene& scene, const graph::EdgeIndex& index,
                                            const std::vector<core::MultiPolygon>& exclusion,
                                            const graph::SnapOptions& snap);

/// Candidates: the given ones, then (if generated) intersections by node index, then host
/// buildings by scene index; every candidate inside an exclusion polygon, or whose type does not
/// match a non-empty `options.types`, is dropped.
[[nodiscard]] std::vector<Candidate> generate_candidates(const core::Scene& scene,
                                                         const graph::WalkGraph& graph,
                                                         const CandidateOptions& options);

/// What thin_generated did.
struct Thinning {
    std::size_t generated = 0;  ///< generated candidates before
    std::size_t kept = 0;       ///< generated candidates after
    double cell_m = 0;          ///< side of the square cells (0: nothing thinned)
};

/// Bounds the generated candidates (from_layer false) to `max_generated`: the smallest cell side
/// of 25 m doubled as often as needed keeps at most that many, one per cell — a host building
/// before an intersection, else the first in order. Layer candidates are never dropped; the
/// order of those kept is unchanged, so the result is the same on every machine.
Thinning thin_generated(std::vector<Candidate>& candidates, std::size_t max_generated);

/// How demand and coverage are measured when building an Instance.
struct InstanceOptions {
    core::FacilityKind kind = core::FacilityKind::warm_station;  ///< existing stations of this kind
    double threshold_min = 15;  ///< walking minutes
    double speed_kmh = 4;       ///< walking speed
    /// Demand: buildings weighted by residents, households or 1 each; or `street_m`: pieces of
    /// the walking network weighted by their length in metres (outdoor workers: the street
    /// length within reach, the coverage report's street-metre statistic).
    enum class Weight { residents, households, buildings, street_m } weight = Weight::residents;
    graph::SnapOptions snap;    ///< snapping candidates and facilities (buildings are given snapped)
    int threads = 0;            ///< cover-set searches in parallel; results identical for any value
};

/// Builds the siting Instance over the scene's buildings (demand units, scene order): one bounded
/// search per candidate (coverage::cover_sets) and per existing facility of the kind (counted in
/// existing_count). `building_snaps` are the buildings' snaps (entrance, else anchor).
/// With Weight::street_m the demand units are street pieces instead (build_street_instance).
[[nodiscard]] Instance build_instance(const core::Scene& scene, const graph::EdgeIndex& index,
                                      const graph::SnapTable& building_snaps,
                                      std::span<const Candidate> candidates,
                                      const InstanceOptions& options);

/// A piece of one walking-graph edge: a street demand unit, [from_m, to_m] along the edge.
struct StreetPiece {
    std::uint32_t edge = 0;
    double from_m = 0;
    double to_m = 0;
};

/// A street-length siting instance: weight[i] = pieces[i] length in metres.
struct StreetInstance {
    Instance instance;
    std::vector<StreetPiece> pieces;
};

/// Street length within reach as demand (outdoor workers). The same rule as coverage's street
/// metres: a position x on edge e is reached by a station when its walking distance
/// D(e, x) (coverage/search.hpp) is within the budget; a station reaches a union of intervals
/// per edge. Every edge is cut at every interval end of every candidate and existing station, so
/// that each piece is reached entirely or not at all by each station; a piece is a demand unit
/// weighted by its length, covered by the stations whose intervals hold it. Edges no station
/// reaches are one piece each (uncoverable). Covered weight is therefore exactly the street
/// metres the coverage statistic reports for the same stations.
[[nodiscard]] StreetInstance build_street_instance(const core::Scene& scene,
                                                   const graph::EdgeIndex& index,
                                                   std::span<const Candidate> candidates,
                                                   const InstanceOptions& options);

}  // namespace gridplan::siting
