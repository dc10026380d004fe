#include "pipeline/commands.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <span>
#include <sstream>

#include "core/error.hpp"
#include "coverage/coverage.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"
#include "io/read.hpp"
#include "output/write.hpp"
#include "partition/derive.hpp"
#include "partition/partition.hpp"
#include "pipeline/config.hpp"
#include "pipeline/layers.hpp"
#include "pipeline/report.hpp"
#include "pipeline/stages.hpp"
#include "pipeline/steps.hpp"
#include "siting/candidates.hpp"
#include "siting/place.hpp"
#include "siting/siting.hpp"

namespace gridplan::pipeline {
namespace {

/// The configuration and the scene, with the command-line overrides applied.
struct Loaded {
    RunConfig config;
    core::Scene scene;
    core::Ledger ledger;  ///< scene rows, then each stage's rows in pipeline order
};

Loaded load(const CommandOptions& options) {
    Loaded loaded;
    loaded.config = load_run_config(options.config);
    io::ReadOptions read;
    read.strict = options.strict || loaded.config.inputs.strict;
    read.encoding_override = options.encoding;
    read.progress = options.progress;
    read.stages = options.stages;
    loaded.scene = io::read_scene(loaded.config.inputs, read);
    loaded.ledger = loaded.scene.ledger;
    return loaded;
}

std::string what(const Loaded& loaded) { return loaded.config.file.string(); }

/// Communities for a partition: the input's, or provisional ones when the configuration asks
/// for them (partition.communities_from); without either, an error, since no grid can be drawn
/// (docs/partition.md "Provisional communities"). Returns the report line on derived ones.
std::string ensure_communities(Loaded& loaded, const std::string& doing) {
    core::Scene& scene = loaded.scene;
    if (!scene.communities.empty()) {
        return {};
    }
    const partition::Options& popts = loaded.config.partition;
    if (popts.communities_from.empty()) {
        const std::string why = loaded.config.inputs.communities
                                    ? "inputs.communities gave no community polygon"
                                    : "inputs.communities is not configured";
        throw core::Error{
            core::Errc::invalid_input,
            doing + " '" + what(loaded) + "': no community (社区) polygons (" + why +
                "); every grid lies inside a community: configure inputs.communities, or set "
                "partition.communities_from to \"arterial_blocks\" or \"landuse\" to derive "
                "provisional communities"};
    }
    partition::DerivedCommunities derived = partition::derive_communities(scene, popts);
    scene.communities = std::move(derived.communities);
    const std::size_t before = scene.ledger.entries().size();
    io::assign_communities(scene, loaded.config.inputs.validation);
    loaded.ledger.append(derived.ledger);
    for (std::size_t i = before; i < scene.ledger.entries().size(); ++i) {
        core::LedgerEntry e = scene.ledger.entries()[i];
        loaded.ledger.add(std::move(e));
    }
    return "\nprovisional communities: " + std::to_string(scene.communities.size()) +
           " derived from " + derived.how + " (partition.communities_from = \"" +
           popts.communities_from +
           "\"); flagged derived = 1 with 9… codes: replace them with the official 社区 "
           "boundaries\n";
}

/// Every input file of the run (outputs must never resolve to one of them).
std::vector<std::filesystem::path> input_files(const io::InputConfig& inputs) {
    std::vector<std::filesystem::path> files;
    for (const auto* source : {&inputs.streets, &inputs.communities, &inputs.buildings,
                               &inputs.roads, &inputs.barriers, &inputs.grids}) {
        if (*source) {
            files.push_back((*source)->path);
        }
    }
    for (const auto* many :
         {&inputs.facilities, &inputs.candidates, &inputs.exclusions, &inputs.landuse}) {
        for (const auto& f : *many) {
            files.push_back(f.path);
        }
    }
    return files;
}

/// `all_formats`: `run` writes every format of the output section; the single-stage commands
/// write the GeoPackage (and CSV tables) only.
output::OutputOptions output_options(const Loaded& loaded, const CommandOptions& options,
                                     bool all_formats) {
    output::OutputOptions o = loaded.config.output;
    o.dir = *options.output_dir;
    o.force = options.force;
    o.inputs = input_files(loaded.config.inputs);
    o.lang = options.lang;
    o.stages = options.stages;
    o.threads = options.threads;
    if (!all_formats) {
        o.shapefile = o.geojson = o.qgis_project = false;
        o.gpkg = o.csv = true;
    }
    if (options.formats) {
        o.gpkg = o.shapefile = o.geojson = o.qgis_project = false;
        for (const auto& f : *options.formats) {
            o.gpkg = o.gpkg || f == "gpkg";
            o.shapefile = o.shapefile || f == "shp";
            o.geojson = o.geojson || f == "geojson";
            o.qgis_project = o.qgis_project || f == "qgis";
        }
    }
    return o;
}

std::string written_report(const output::Written& written, const std::filesystem::path& dir) {
    std::ostringstream out;
    out << "\nwrote " << written.files.size() << " files under " << dir.string() << "\n";
    for (const auto& w : written.warnings) {
        out << "  note: " << w << "\n";
    }
    return out.str();
}

std::string pct(double part, double whole) {
    return whole > 0.0 ? format_fixed(100.0 * part / whole, 1) + "%" : "-";
}

/// Buildings outside every community (in no grid): count and households for the report.
std::string outside_report(const core::Scene& scene) {
    std::size_t n = 0;
    double households = 0.0;
    for (const auto& b : scene.buildings) {
        if (!b.community) {
            ++n;
            households += b.households;
        }
    }
    double all = 0.0;
    for (const auto& b : scene.buildings) {
        all += b.households;
    }
    std::ostringstream out;
    out << "buildings outside every community (in no grid; outside = 1 in the buildings layer): "
        << n << " of " << scene.buildings.size() << " buildings, " << format_count(households)
        << " households (" << pct(households, all) << ")\n";
    return out.str();
}

// ---------------------------------------------------------------------------------- partition

std::string partition_report(const core::Scene& scene, const partition::Result& part) {
    std::ostringstream out;
    std::vector<std::vector<std::string>> rows;
    std::size_t regular = 0;
    std::size_t in_band = 0;
    std::size_t disconnected = 0;
    double worst = 0.0;
    for (const auto& c : part.communities) {
        rows.push_back({c.name.empty() ? c.id : c.name, c.code + (c.code_derived ? "*" : ""),
                        format_count(c.households), std::to_string(c.k),
                        std::to_string(c.grids), std::to_string(c.in_band) + "/" + std::to_string(c.k),
                        format_fixed(100.0 * c.worst_deviation, 1) + "%",
                        format_fixed(100.0 * c.mean_deviation, 1) + "%",
                        format_fixed(100.0 * c.lower_bound, 1) + "%",
                        format_fixed(100.0 * c.lower_bound_gap, 1) + "%",
                        std::to_string(c.disconnected), c.infeasible ? "infeasible" : ""});
        regular += c.k;
        in_band += c.in_band;
        disconnected += c.disconnected;
        worst = std::max(worst, c.worst_deviation);
    }
    out << "\ngrids per community (band and deviation from the community's target H/k):\n";
    out << format_table({"community", "code", "households", "k", "grids", "in band", "worst dev",
                         "mean dev", "bound", "gap", "disconn.", "note"},
                        rows);
    std::vector<std::vector<std::string>> street_rows;
    for (const auto& s : part.streets) {
        street_rows.push_back({s.street ? (s.name.empty() ? scene.streets[*s.street].id : s.name)
                                        : "(no street)",
                               s.code, std::to_string(s.communities), std::to_string(s.grids),
                               format_fixed(100.0 * s.band_share, 1) + "%",
                               format_fixed(100.0 * s.worst_deviation, 1) + "%",
                               format_fixed(100.0 * s.mean_deviation, 1) + "%",
                               std::to_string(s.disconnected)});
    }
    out << "\nper street:\n"
        << format_table({"street", "code", "communities", "grids", "in band", "worst dev",
                         "mean dev", "disconn."},
                        street_rows);
    out << "\ntotal: " << part.grids.size() << " grids (" << regular << " regular, "
        << part.grids.size() - regular << " dedicated or oversized); " << in_band << " of "
        << regular << " regular grids in band (" << pct(static_cast<double>(in_band),
                                                        static_cast<double>(regular))
        << "); worst deviation " << format_fixed(100.0 * worst, 1) << "%; disconnected grids "
        << disconnected << "\n";
    if (std::any_of(part.communities.begin(), part.communities.end(),
                    [](const partition::CommunityReport& c) { return c.code_derived; })) {
        out << "(* community has no 12-digit code; a stable code was derived, see the ledger)\n";
    }
    return out.str();
}

// ---------------------------------------------------------------------------------- coverage

struct Network {
    graph::WalkGraph graph;
};

/// The walking network of the scene's roads; `doing` names the command for the error when it is
/// empty (coverage of nothing would print 0 % everywhere and look like an answer).
Network build_network(Loaded& loaded, const CommandOptions& options, const std::string& doing) {
    Network n;
    const core::StageScope stage(options.stages, "walk_graph");
    auto built = graph::build_walk_graph(loaded.scene.roads, graph::GraphOptions{});
    loaded.ledger.append(built.ledger);
    n.graph = std::move(built.graph);
    if (n.graph.node_count() == 0) {
        throw core::Error{core::Errc::invalid_input,
                          doing + " '" + what(loaded) + "': the walking network is empty (" +
                              std::to_string(loaded.scene.roads.size()) +
                              " road features read; configure inputs.roads with walkable streets: walking "
                              "times are measured along them)"};
    }
    return n;
}

coverage::Options coverage_options(const Loaded& loaded, const CommandOptions& options) {
    coverage::Options o = loaded.config.coverage;
    o.threads = options.threads;
    return o;
}

/// Coverage of the scene's facilities as the stage "coverage".
coverage::Result run_coverage(const Loaded& loaded, const graph::WalkGraph& graph,
                              const coverage::Options& copts,
                              std::span<const std::optional<core::Index>> grid_of_building,
                              std::span<const core::MultiPolygon> grid_areas,
                              const CommandOptions& options) {
    const core::StageScope stage(options.stages, "coverage");
    MessageSteps steps(options.stages, "coverage", kCoverageSteps);  // coverage_snap, _search…
    return coverage::compute_coverage(loaded.scene, graph, copts, grid_of_building, grid_areas,
                                      steps.wrap(options.progress));
}

std::string coverage_report(const core::Scene& scene, const graph::WalkGraph& graph,
                            const coverage::Result& cov) {
    std::ostringstream out;
    std::size_t largest = 0;
    for (const auto& c : graph.components) {
        largest = std::max<std::size_t>(largest, c.nodes);
    }
    out << "\nwalking network: " << format_count(static_cast<double>(graph.node_count()))
        << " nodes, " << format_count(static_cast<double>(graph.edge_count())) << " edges, "
        << format_fixed(graph.total_length_m() / 1000.0, 1) << " km, " << graph.components.size()
        << " components (largest " << format_count(static_cast<double>(largest)) << " nodes)\n";
    out << "rule: minutes = (building access leg + network distance + facility access leg) / speed;";
    for (const auto& p : cov.options.profiles) {
        out << " " << p.name << " " << format_fixed(p.speed_kmh, 1) << " km/h";
    }
    out << "\n";

    std::map<std::tuple<int, int>, double> euclid;
    for (const auto& a : cov.areas) {
        if (a.level == coverage::AreaLevel::total && a.method == coverage::Method::euclidean) {
            euclid[{static_cast<int>(a.kind), 0}] = a.all.residents > 0
                                                        ? 100.0 * a.covered.residents / a.all.residents
                                                        : 0.0;
        }
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : cov.areas) {
        if (a.level != coverage::AreaLevel::total || a.method != coverage::Method::network) {
            continue;
        }
        const auto e = euclid.find({static_cast<int>(a.kind), 0});
        rows.push_back({core::to_string(a.kind), cov.options.profiles[a.profile].name,
                        format_fixed(a.threshold_min, 0) + " min",
                        pct(a.covered.buildings, a.all.buildings),
                        pct(a.covered.households, a.all.households),
                        pct(a.covered.residents, a.all.residents),
                        pct(a.covered.street_m, a.all.street_m),
                        pct(a.doubled.residents, a.all.residents),
                        e == euclid.end() ? "-" : format_fixed(e->second, 1) + "%"});
    }
    out << "\ncoverage of the whole area (residents within a straight-line "
        << format_fixed(cov.options.euclid_radius_m, 0) << " m for comparison):\n";
    out << format_table({"kind", "profile", "within", "buildings", "households", "residents",
                         "street-km", "double", "straight-line"},
                        rows);

    // Per street, adult profile, largest threshold.
    const std::size_t t_max = cov.options.thresholds_min.size() - 1;
    std::vector<std::vector<std::string>> street_rows;
    for (const auto& a : cov.areas) {
        if (a.level == coverage::AreaLevel::street && a.method == coverage::Method::network &&
            a.profile == 0 && std::abs(a.threshold_min - cov.options.thresholds_min[t_max]) < 1e-9) {
            const auto& s = scene.streets[a.area];
            street_rows.push_back({s.name.empty() ? s.id : s.name, core::to_string(a.kind),
                                   pct(a.covered.residents, a.all.residents),
                                   pct(a.doubled.residents, a.all.residents)});
        }
    }
    if (!street_rows.empty()) {
        out << "\nper street (" << cov.options.profiles[0].name << ", "
            << format_fixed(cov.options.thresholds_min[t_max], 0) << " min):\n"
            << format_table({"street", "kind", "residents", "double"}, street_rows);
    }
    out << "\nservice circles: " << cov.circles.size() << " polygons, " << cov.gaps.size()
        << " gaps; self-check: " << cov.check.covered_outside << " covered buildings outside, "
        << cov.check.uncovered_inside << " uncovered inside, " << cov.check.unreached_inside
        << " unreached street pieces inside, " << cov.check.invalid << " invalid ("
        << (cov.check.ok() ? "ok" : "FAILED") << ")\n";
    std::size_t unsnapped = 0;
    for (std::size_t b = 0; b < cov.building_snaps.size(); ++b) {
        unsnapped += cov.building_snaps.snapped(b) ? 0 : 1;
    }
    out << "buildings beyond the snap distance (reported uncovered, see ledger): " << unsnapped
        << "\n";
    (void)scene;
    return out.str();
}

// ---------------------------------------------------------------------------------- siting

struct Siting {
    SitingOutcome outcome;
    double before_share = 0.0;
    double after_share = 0.0;
    std::size_t other_types = 0;  ///< layer candidates left out by siting.candidate_types
    double min_spacing_m = 0.0;   ///< siting.min_spacing_m (for the shortfall line)
};

Siting run_siting(Loaded& loaded, const graph::WalkGraph& graph, const coverage::Result& cov,
                  const CommandOptions& options) {
    SitingSettings settings = loaded.config.siting;
    settings.instance.threads = options.threads;
    settings.instance.snap = cov.options.snap;
    settings.candidates.given = siting::layer_candidates(loaded.scene);
    settings.candidates.exclusion = siting::exclusion_areas(loaded.scene);
    const core::StageScope stage(options.stages, "siting");
    Siting s;
    s.outcome.kind = settings.instance.kind;
    s.outcome.weight = settings.instance.weight;
    s.min_spacing_m = settings.solver.min_spacing_m;
    s.outcome.candidates = siting::generate_candidates(loaded.scene, graph, settings.candidates);
    if (!settings.candidates.types.empty()) {
        s.other_types = static_cast<std::size_t>(
            std::count_if(settings.candidates.given.begin(), settings.candidates.given.end(),
                          [&](const siting::Candidate& c) { return !siting::type_matches(c.type, settings.candidates.types); }));
    }
    const graph::EdgeIndex index(graph);
    loaded.ledger.append(siting::candidate_issues(loaded.scene, index, settings.candidates.exclusion,
                                                  settings.instance.snap));
    const siting::Instance instance = siting::build_instance(
        loaded.scene, index, cov.building_snaps, s.outcome.candidates, settings.instance);
    s.outcome.result = siting::solve(instance, settings.solver);
    const auto& r = s.outcome.result;
    if (r.total_weight > 0.0) {
        s.before_share = r.already_covered_weight / r.total_weight;
        s.after_share = r.covered_weight / r.total_weight;
    }
    return s;
}

/// Coverage as it would be with the proposed sites open: the scene's facilities plus one facility
/// of the sited kind per proposed site, measured with the same rule (no polygons). Empty when
/// nothing was proposed.
std::optional<coverage::Result> coverage_after_siting(const Loaded& loaded, const graph::WalkGraph& graph,
                                                      const coverage::Result& today, const Siting& s,
                                                      std::span<const std::optional<core::Index>> grid_of_building,
                                                      std::span<const core::MultiPolygon> grid_areas,
                                                      const CommandOptions& options) {
    if (s.outcome.result.sites.empty()) {
        return std::nullopt;
    }
    const core::StageScope stage(options.stages, "coverage_after");
    core::Scene with_sites = loaded.scene;
    for (const auto& site : s.outcome.result.sites) {
        const auto& c = s.outcome.candidates[site.candidate];
        with_sites.facilities.push_back({.id = "proposed:" + c.id, .name = c.name, .kind = s.outcome.kind,
                                         .type = c.type, .location = c.position, .capacity = std::nullopt});
    }
    coverage::Options opts = today.options;
    opts.polygons.enabled = false;
    return coverage::compute_coverage(with_sites, graph, opts, grid_of_building, grid_areas, options.progress);
}

/// Why fewer sites than p were proposed (siting::Shortfall), one line in the report's language;
/// "" when p were proposed or the question was a target share.
std::string shortfall_line(const Siting& s, output::Language lang) {
    const auto& r = s.outcome.result;
    if (r.shortfall == siting::Shortfall::none) {
        return "";
    }
    const bool zh = lang == output::Language::zh;
    const double total = std::max(r.total_weight, 1e-9);
    const std::string asked = std::to_string(r.asked);
    const std::string proposed = std::to_string(r.sites.size());
    const std::string covered = format_fixed(100.0 * r.covered_weight / total, 1) + "%";
    const std::string unreachable = format_fixed(100.0 * r.uncoverable_weight / total, 1) + "%";
    const std::string already = format_fixed(100.0 * r.already_covered_weight / total, 1) + "%";
    std::string line = zh ? "要求选址 " + asked + " 处，建议 " + proposed + " 处："
                          : "p = " + asked + " asked, " + proposed + " proposed: ";
    switch (r.shortfall) {
        case siting::Shortfall::none:
            break;
        case siting::Shortfall::no_candidates:
            line += zh ? "没有可用的候选点（候选点图层中无所需类型，也未生成候选点）"
                       : "there is no candidate to choose from (none of the wanted types in the "
                         "candidates layer, none generated)";
            break;
        case siting::Shortfall::nothing_to_cover:
            line += zh ? "已无可新增覆盖的需求：现有站点已覆盖 " + already + "，其余 " +
                             unreachable + " 不在任何候选点的步行范围内"
                       : "nothing is left to cover: existing stations cover " + already +
                             " of the weight and the other " + unreachable +
                             " is beyond every candidate's reach";
            break;
        case siting::Shortfall::all_covered:
            line += zh ? "其他候选点均不能再增加覆盖（建成后覆盖 " + covered + "；" + unreachable +
                             " 不在任何候选点的步行范围内）"
                       : "no other candidate adds coverage (with them " + covered +
                             " of the weight is covered; " + unreachable +
                             " is beyond every candidate's reach)";
            break;
        case siting::Shortfall::spacing:
            line +=
                zh ? "其余 " + std::to_string(r.spacing_blocked) +
                         " 个可增加覆盖的候选点违反间距规则（与建议站点的距离小于 "
                         "siting.min_spacing_m = " +
                         format_fixed(s.min_spacing_m, 0) + " 米，或无法满足 max_spacing_m）"
                   : "the " + std::to_string(r.spacing_blocked) +
                         " candidates that would add coverage break a spacing rule (closer than "
                         "siting.min_spacing_m = " +
                         format_fixed(s.min_spacing_m, 0) +
                         " m to a proposed site, or max_spacing_m)";
            break;
        case siting::Shortfall::solver_stopped:
            line += zh ? "求解器在结束前停止（状态 " + r.status + "，最优性差距 " +
                             format_fixed(100.0 * r.gap, 3) +
                             "%），仍有可增加覆盖的候选点未用；可调大 siting.max_nodes"
                       : "the solver stopped (status " + r.status + ", gap " +
                             format_fixed(100.0 * r.gap, 3) +
                             "%) with candidates that would add coverage unused; raise "
                             "siting.max_nodes";
            break;
    }
    return line + "\n";
}

std::string siting_report(const Siting& s, const core::Scene& scene, output::Language lang) {
    const auto& r = s.outcome.result;
    std::ostringstream out;
    using Weight = siting::InstanceOptions::Weight;
    const Weight w = s.outcome.weight;
    const char* unit = w == Weight::residents    ? "residents"
                       : w == Weight::households ? "households"
                       : w == Weight::buildings  ? "buildings"
                                                 : "street metres";
    std::size_t from_layer = 0;
    for (const auto& c : s.outcome.candidates) {
        from_layer += c.from_layer ? 1 : 0;
    }
    out << "\nsiting " << core::to_string(s.outcome.kind) << " (weight: " << unit << "): "
        << s.outcome.candidates.size() << " candidates (" << from_layer << " from the candidates layer, "
        << r.presolve.candidates_kept << " kept after presolve";
    if (s.other_types > 0) {
        out << "; " << s.other_types << " layer candidates of other types left out by siting.candidate_types";
    }
    out << ")\n";
    out << "status " << r.status << "; incumbent " << format_fixed(r.incumbent, 1)
        << ", bound " << format_fixed(r.bound, 1) << ", gap " << format_fixed(100.0 * r.gap, 3)
        << "% (greedy " << format_fixed(r.greedy_value, 1) << ", LP bound "
        << format_fixed(r.lp_bound, 1) << "); " << format_fixed(r.timings.total_s, 2) << " s\n";
    out << "coverage " << format_fixed(100.0 * s.before_share, 1) << "% before → "
        << format_fixed(100.0 * s.after_share, 1) << "% after ("
        << format_fixed(100.0 * r.uncoverable_weight / std::max(r.total_weight, 1e-9), 1)
        << "% of the weight no candidate can reach)\n";
    out << shortfall_line(s, lang);
    std::vector<std::vector<std::string>> rows;
    std::size_t rank = 0;
    const siting::RoadNamer roads(scene.roads, {});
    for (const auto& site : r.sites) {
        const auto& c = s.outcome.candidates[site.candidate];
        rows.push_back({std::to_string(++rank),
                        c.id,
                        c.name.empty() ? c.type : c.name + " (" + c.type + ")",
                        roads.name_at(c.position),
                        format_fixed(site.marginal_gain, 1),
                        format_fixed(100.0 * site.cumulative_share, 1) + "%"});
    }
    out << format_table({"rank", "candidate", "type", "road", "gain", "cumulative"}, rows);
    return out.str();
}

/// Partitions the scene with the configuration's "partition" section; appends its ledger rows.
partition::Result run_partition(Loaded& loaded, const CommandOptions& options) {
    partition::Options popts = loaded.config.partition;
    popts.threads = options.threads;
    const core::StageScope stage(options.stages, "partition");
    partition::Result part = partition::partition_scene(loaded.scene, popts, options.progress);
    loaded.ledger.append(part.ledger);
    return part;
}

/// The common tail of every writing command: results → layers → files, and the report.
CommandResult finish(const char* command, const Loaded& loaded, const CommandOptions& options,
                     const RunResults& results, bool all_formats, const std::string& stage_report) {
    std::optional<core::StageScope> stage{std::in_place, options.stages, "layers"};
    const auto layers = make_layers(results, loaded.ledger);
    stage.reset();
    const auto oopts = output_options(loaded, options, all_formats);
    const auto written = output::write_layers(loaded.scene.crs, layers, oopts);
    CommandResult result;
    result.report = std::string{"gridplan "} + command + " " + options.config.string() + "\n" +
                    scene_report(loaded.scene) + stage_report + written_report(written, oopts.dir);
    result.written = written.files;
    return result;
}

}  // namespace

CommandResult inspect(const CommandOptions& options) {
    const Loaded loaded = load(options);
    CommandResult result;
    result.report = "gridplan inspect " + options.config.string() + "\n" + scene_report(loaded.scene);
    return result;
}

CommandResult partition(const CommandOptions& options) {
    Loaded loaded = load(options);
    if (loaded.scene.buildings.empty()) {
        // An empty grid table would look like success; grids are made of buildings.
        throw core::Error{core::Errc::invalid_input,
                          "partitioning '" + what(loaded) +
                              "': no buildings were read (configure inputs.buildings; grids are drawn from "
                              "building footprints and their households)"};
    }
    const std::string derived = ensure_communities(loaded, "partitioning");
    const partition::Result part = run_partition(loaded, options);
    return finish("partition",
                  loaded,
                  options,
                  {.scene = &loaded.scene, .partition = &part},
                  false,
                  derived + partition_report(loaded.scene, part) + outside_report(loaded.scene));
}

CommandResult coverage(const CommandOptions& options) {
    Loaded loaded = load(options);
    const Network net = build_network(loaded, options, "computing coverage for");
    const coverage::Result cov =
        run_coverage(loaded, net.graph, coverage_options(loaded, options), {}, {}, options);
    loaded.ledger.append(cov.ledger);
    return finish("coverage", loaded, options, {.scene = &loaded.scene, .coverage = &cov}, false,
                  coverage_report(loaded.scene, net.graph, cov));
}

CommandResult site(const CommandOptions& options) {
    Loaded loaded = load(options);
    const Network net = build_network(loaded, options, "siting stations for");
    coverage::Options copts = coverage_options(loaded, options);
    copts.polygons.enabled = false;  // only snaps and coverage are needed to site
    const coverage::Result cov = run_coverage(loaded, net.graph, copts, {}, {}, options);
    loaded.ledger.append(cov.ledger);
    const Siting s = run_siting(loaded, net.graph, cov, options);
    const auto after = coverage_after_siting(loaded, net.graph, cov, s, {}, {}, options);
    return finish("site", loaded, options,
                  {.scene = &loaded.scene,
                   .coverage = &cov,
                   .siting = &s.outcome,
                   .coverage_after_siting = after ? &*after : nullptr},
                  false, siting_report(s, loaded.scene, options.lang));
}

std::string redraw_report(const partition::RedrawResult& rd) {
    std::ostringstream out;
    double moved_h = 0.0;
    double total_h = 0.0;
    std::size_t before = 0;
    std::size_t after = 0;
    std::size_t in_before = 0;
    std::size_t in_after = 0;
    std::size_t added = 0;
    std::size_t retired = 0;
    out << "\nredraw per community (regular grids before -> after):\n";
    for (const auto& c : rd.communities) {
        out << "  " << c.summary << "\n";
        moved_h += c.households_moved;
        total_h += c.households;
        before += c.grids_before;
        after += c.grids_after;
        in_before += c.in_band_before;
        in_after += c.in_band_after;
        added += c.new_codes.size();
        retired += c.retired_codes.size();
    }
    out << "redraw total: " << rd.moves.size() << " buildings moved, "
        << format_count(moved_h) << " households (" << pct(moved_h, total_h)
        << " of the households in grids); grids " << before << " -> " << after << " (" << added
        << " new, " << retired << " retired); in band " << in_before << "/" << before << " -> "
        << in_after << "/" << after << "\n";
    return out.str();
}

CommandResult redraw(const CommandOptions& options) {
    Loaded loaded = load(options);
    partition::RedrawOptions ropts = loaded.config.redraw;
    ropts.partition.threads = options.threads;
    std::optional<core::StageScope> stage{std::in_place, options.stages, "redraw"};
    const partition::RedrawResult rd =
        partition::redraw_scene(loaded.scene, ropts, options.progress);
    stage.reset();
    loaded.ledger.append(rd.ledger);
    return finish("redraw", loaded, options,
                  {.scene = &loaded.scene, .partition = &rd.plan, .redraw = &rd}, true,
                  partition_report(loaded.scene, rd.plan) + redraw_report(rd));
}

CommandResult run(const CommandOptions& options) {
    Loaded loaded = load(options);
    const std::string derived = ensure_communities(loaded, "running");
    const partition::Result part = run_partition(loaded, options);

    const Network net = build_network(loaded, options, "running");
    std::vector<core::MultiPolygon> grid_areas;
    grid_areas.reserve(part.grids.size());
    for (const auto& g : part.grids) {
        grid_areas.push_back(g.area);
    }
    const coverage::Result cov =
        run_coverage(loaded, net.graph, coverage_options(loaded, options), part.grid_of_building,
                     grid_areas, options);
    loaded.ledger.append(cov.ledger);
    const Siting s = run_siting(loaded, net.graph, cov, options);
    const auto after =
        coverage_after_siting(loaded, net.graph, cov, s, part.grid_of_building, grid_areas, options);
    return finish("run",
                  loaded,
                  options,
                  {.scene = &loaded.scene,
                   .partition = &part,
                   .coverage = &cov,
                   .siting = &s.outcome,
                   .coverage_after_siting = after ? &*after : nullptr},
                  true,
                  derived + partition_report(loaded.scene, part) + outside_report(loaded.scene) +
                      coverage_report(loaded.scene, net.graph, cov) +
                      siting_report(s, loaded.scene, options.lang));
}

}  // namespace gridplan::pipeline
