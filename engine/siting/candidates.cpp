/// \file
/// Candidate generation and Scene -> Instance glue.

#include "siting/candidates.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "coverage/coverage.hpp"

namespace gridplan::siting {
namespace {

std::string lower(const std::string& s) {
    std::string out = s;
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool excluded(const core::Point& p, const std::vector<core::MultiPolygon>& exclusion) {
    for (const core::MultiPolygon& area : exclusion) {
        if (boost::geometry::covered_by(p, area)) return true;
    }
    return false;
}

}  // namespace

bool type_matches(const std::string& type, std::span<const std::string> wanted) {
    const std::string t = lower(type);
    return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
        return !w.empty() && t.find(lower(w)) != std::string::npos;
    });
}

std::vector<Candidate> layer_candidates(const core::Scene& scene) {
    std::vector<Candidate> out;
    out.reserve(scene.candidates.size());
    for (const core::CandidateSite& c : scene.candidates) {
        out.push_back(Candidate{.id = c.id,
                                .name = c.name,
                                .type = c.type,
                                .address = c.address,
                                .position = c.location,
                                .capacity = c.capacity.value_or(0.0),
                                .cost = c.cost.value_or(0.0),
                                .from_layer = true});
    }
    return out;
}

std::vector<core::MultiPolygon> exclusion_areas(const core::Scene& scene) {
    std::vector<core::MultiPolygon> out;
    out.reserve(scene.exclusions.size());
    for (const core::ExclusionZone& z : scene.exclusions) out.push_back(z.area);
    return out;
}

core::Ledger candidate_issues(const core::Scene& scene, const graph::EdgeIndex& index,
                              const std::vector<core::MultiPolygon>& exclusion, const graph::SnapOptions& snap) {
    core::Ledger ledger;
    std::vector<core::Point> points;
    for (const core::CandidateSite& c : scene.candidates) points.push_back(c.location);
    const graph::SnapTable snaps = graph::snap_points(index, points, snap, 1);
    for (std::size_t i = 0; i < scene.candidates.size(); ++i) {
        const core::CandidateSite& c = scene.candidates[i];
        if (excluded(c.location, exclusion)) {
            ledger.add({.layer = "candidates", .source_id = c.id, .reason = "excluded",
                        .action = core::Action::warned, .detail = "inside an exclusion zone: not a candidate",
                        .x = c.location.x(), .y = c.location.y()});
        } else if (!snaps.snapped(i)) {
            ledger.add({.layer = "candidates", .source_id = c.id, .reason = "unsnappable",
                        .action = core::Action::warned,
                        .detail = "no walkable street within " + std::to_string(static_cast<int>(snap.max_snap_m)) +
                                  " m: a station here would cover nothing",
                        .x = c.location.x(), .y = c.location.y()});
        }
    }
    return ledger;
}

std::vector<Candidate> generate_candidates(const core::Scene& scene, const graph::WalkGraph& graph,
                                           const CandidateOptions& options) {
    std::vector<Candidate> out;
    auto keep = [&](const Candidate& c) {
        return !excluded(c.position, options.exclusion) &&
               (options.types.empty() || type_matches(c.type, options.types));
    };
    for (const Candidate& c : options.given) {
        if (keep(c)) out.push_back(c);
    }
    const bool generate = options.generate == CandidateOptions::Generate::always ||
                          (options.generate == CandidateOptions::Generate::when_no_layer && options.given.empty());
    if (!generate) return out;
    if (options.intersections) {
        for (std::size_t n = 0; n < graph.node_count(); ++n) {
            if (graph.first_out[n + 1] - graph.first_out[n] < 3) continue;
            Candidate c{.id = "node:" + std::to_string(n), .type = "intersection", .position = graph.nodes[n]};
            if (keep(c)) out.push_back(std::move(c));
        }
    }
    if (options.host_buildings) {
        for (const core::Building& b : scene.buildings) {
            if (!type_matches(b.type, options.host_types)) continue;
            Candidate c{.id = "building:" + b.id,
                        .name = b.name,
                        .type = b.type,
                        .address = b.address,
                        .position = b.entrance.value_or(b.anchor)};
            if (keep(c)) out.push_back(std::move(c));
        }
    }
    return out;
}

namespace {

/// Per candidate: kept as one of the first host building, else first intersection, per cell.
std::vector<bool> one_per_cell(const std::vector<Candidate>& candidates, double cell_m) {
    std::vector<bool> keep(candidates.size(), false);
    std::unordered_map<std::uint64_t, std::size_t> chosen;  // cell -> candidate index
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const Candidate& c = candidates[i];
        if (c.from_layer) {
            keep[i] = true;
            continue;
        }
        const auto cx = static_cast<std::int64_t>(std::floor(c.position.x() / cell_m));
        const auto cy = static_cast<std::int64_t>(std::floor(c.position.y() / cell_m));
        const std::uint64_t key = (static_cast<std::uint64_t>(cx) << 32U) ^
                                  static_cast<std::uint32_t>(cy);
        const auto [it, fresh] = chosen.try_emplace(key, i);
        const bool building_over_node = !fresh && candidates[it->second].type == "intersection" &&
                                        c.type != "intersection";
        if (building_over_node) it->second = i;
    }
    for (const auto& [cell, i] : chosen) keep[i] = true;
    return keep;
}

}  // namespace

Thinning thin_generated(std::vector<Candidate>& candidates, std::size_t max_generated) {
    Thinning t;
    t.generated = static_cast<std::size_t>(
        std::count_if(candidates.begin(), candidates.end(), [](const Candidate& c) { return !c.from_layer; }));
    t.kept = t.generated;
    if (t.generated <= max_generated) return t;
    if (max_generated == 0) {
        std::erase_if(candidates, [](const Candidate& c) { return !c.from_layer; });
        t.kept = 0;
        return t;
    }
    std::vector<bool> keep;
    for (t.cell_m = 25.0;; t.cell_m *= 2.0) {  // ends: one cell holds them all at last
        keep = one_per_cell(candidates, t.cell_m);
        std::size_t kept = 0;
        for (std::size_t i = 0; i < candidates.size(); ++i) kept += keep[i] && !candidates[i].from_layer ? 1 : 0;
        t.kept = kept;
        if (kept <= max_generated) break;
    }
    std::vector<Candidate> out;
    out.reserve(candidates.size() - (t.generated - t.kept));
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (keep[i]) out.push_back(std::move(candidates[i]));
    }
    candidates = std::move(out);
    return t;
}

Instance build_instance(const core::Scene& scene, const graph::EdgeIndex& index,
                        const graph::SnapTable& building_snaps, std::span<const Candidate> candidates,
                        const InstanceOptions& options) {
    if (options.weight == InstanceOptions::Weight::street_m) {
        return build_street_instance(scene, index, candidates, options).instance;
    }
    if (building_snaps.size() != scene.buildings.size()) {
        throw core::Error{core::Errc::usage, "building siting instance 'buildings': " +
                                                 std::to_string(building_snaps.size()) + " snaps for " +
                                                 std::to_string(scene.buildings.size()) + " buildings"};
    }
    Instance in;
    in.weight.reserve(scene.buildings.size());
    for (const core::Building& b : scene.buildings) {
        switch (options.weight) {
            case InstanceOptions::Weight::residents: in.weight.push_back(b.population); break;
            case InstanceOptions::Weight::households: in.weight.push_back(b.households); break;
            case InstanceOptions::Weight::buildings: in.weight.push_back(1.0); break;
            case InstanceOptions::Weight::street_m: break;  // handled above
        }
    }
    std::vector<core::Point> points;
    points.reserve(candidates.size());
    for (const Candidate& c : candidates) {
        points.push_back(c.position);
        in.candidate_position.push_back(c.position);
        in.candidate_capacity.push_back(c.capacity);
        in.candidate_cost.push_back(c.cost);
    }
    coverage::CoverSets sets = coverage::cover_sets(index, building_snaps, points, options.snap,
                                                    options.threshold_min, options.speed_kmh, options.threads);
    in.cover_offsets = std::move(sets.first);
    in.cover_demand = std::move(sets.demand);

    std::vector<core::Point> existing;
    for (const core::Facility& f : scene.facilities) {
        if (f.kind == options.kind) existing.push_back(f.location);
    }
    in.existing_position = existing;
    in.existing_count.assign(scene.buildings.size(), 0);
    if (!existing.empty()) {
        const coverage::CoverSets fixed = coverage::cover_sets(index, building_snaps, existing, options.snap,
                                                               options.threshold_min, options.speed_kmh,
                                                               options.threads);
        for (const std::uint32_t b : fixed.demand) ++in.existing_count[b];
    }
    return in;
}

}  // namespace gridplan::siting
