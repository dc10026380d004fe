#include "pipeline/commands.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <span>
#include <sstream>
#include <system_error>

#include <cpl_conv.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "coverage/coverage.hpp"
#include "graph/snap.hpp"
#include "graph/walk_graph.hpp"
#include "io/read.hpp"
#include "output/write.hpp"
#include "partition/derive.hpp"
#include "partition/partition.hpp"
#include "pipeline/config.hpp"
#include "pipeline/detail/loaded.hpp"
#include "pipeline/layers.hpp"
#include "pipeline/report.hpp"
#include "pipeline/stages.hpp"
#include "pipeline/steps.hpp"
#include "siting/candidates.hpp"
#include "siting/place.hpp"
#include "siting/siting.hpp"

namespace gridplan::pipeline {
namespace detail {

void append_ledger(Loaded& loaded, const char* stage, const core::Ledger& rows) {
    loaded.ledger.append(rows);
    loaded.ledger_stages.push_back({stage, rows.entries().size()});
}

Loaded load(const CommandOptions& options) {
    Loaded loaded;
    loaded.config = load_run_config(options.config);
    io::ReadOptions read;
    read.strict = options.strict || loaded.config.inputs.strict;
    read.encoding_override = options.encoding;
    read.allow_partial = options.allow_partial;
    read.progress = options.progress;
    read.stages = options.stages;
    loaded.scene = io::read_scene(loaded.config.inputs, read);
    loaded.ledger = loaded.scene.ledger;
    loaded.ledger_stages.push_back({"read", loaded.ledger.entries().size()});
    return loaded;
}

}  // namespace detail

namespace {

using detail::append_ledger;
using detail::build_network;
using detail::ensure_communities;
using detail::finish;
using detail::load;
using detail::Loaded;
using detail::Network;
using detail::output_options;
using detail::run_partition;
using detail::written_report;

std::string what(const Loaded& loaded) {
    return loaded.config.file.string();
}

}  // namespace

namespace detail {

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

}  // namespace detail

namespace {

/// Every input file of the run (outputs must never resolve to one of them).
std::vector<std::filesystem::path> input_files(const io::InputConfig& inputs) {
    std::vector<std::filesystem::path> files;
    for (const auto* source : {&inputs.streets,
                               &inputs.communities,
                               &inputs.buildings,
                               &inputs.roads,
                               &inputs.barriers,
                               &inputs.grids}) {
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

}  // namespace

namespace detail {

/// `all_formats`: `run` writes every format of the output section; the single-stage commands
/// write the GeoPackage (and CSV tables) only.
output::OutputOptions output_options(const Loaded& loaded,
                                     const CommandOptions& options,
                                     bool all_formats) {
    output::OutputOptions o = loaded.config.output;
    o.dir = *options.output_dir;
    o.force = options.force;
    o.inputs = input_files(loaded.config.inputs);
    o.lang = options.lang;
    o.stages = options.stages;
    o.threads = options.threads;
    if (!all_formats) {
        o.shapefile = o.geojson = o.qgis_project = o.report = false;
        o.gpkg = o.csv = true;
    }
    if (options.formats) {
        o.gpkg = o.shapefile = o.geojson = o.qgis_project = o.report = false;
        for (const auto& f : *options.formats) {
            o.report = o.report || f == "report";
            o.gpkg = o.gpkg || f == "gpkg";
            o.shapefile = o.shapefile || f == "shp";
            o.geojson = o.geojson || f == "geojson";
            o.qgis_project = o.qgis_project || f == "qgis";
        }
    }
    return o;
}

std::string written_report(const output::Written& written,
                           const std::filesystem::path& dir,
                           const Say& say) {
    std::ostringstream out;
    if (say.zh()) {
        out << "\n已写出 " << written.files.size() << " 个文件，位于 " << dir.string() << "\n";
    } else {
        out << "\nwrote " << written.files.size() << " files under " << dir.string() << "\n";
    }
    for (const auto& w : written.warnings) {
        out << say("  note: ", "  注意：") << w << "\n";
    }
    return out.str();
}

}  // namespace detail

namespace {

std::string pct(double part, double whole) {
    return whole > 0.0 ? format_fixed(100.0 * part / whole, 1) + "%" : "-";
}

/// Buildings outside every community (in no grid): count and households for the report.
std::string outside_report(const core::Scene& scene, const Say& say) {
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
    out << say("buildings outside every community (in no grid; outside = 1 in the buildings "
               "layer): ",
               "不在任何社区内的建筑（不属于任何网格；建筑图层 outside = 1）：")
        << format_count(static_cast<double>(n)) << say(" of ", " / ")
        << format_count(static_cast<double>(scene.buildings.size())) << say(" buildings, ", " 栋，")
        << format_count(households) << say(" households (", " 户（") << pct(households, all)
        << say(")\n", "）\n");
    return out.str();
}

// ---------------------------------------------------------------------------------- partition

std::string partition_report(const core::Scene& scene,
                             const partition::Result& part,
                             const Say& say) {
    std::ostringstream out;
    std::vector<std::vector<std::string>> rows;
    std::size_t regular = 0;
    std::size_t in_band = 0;
    std::size_t disconnected = 0;
    double worst = 0.0;
    // Households in regular grids: the sums of the buildings' whole numbers (round_households).
    std::vector<double> regular_households(scene.communities.size(), 0.0);
    for (const auto& g : part.grids) {
        if (g.kind == partition::GridKind::regular && g.community < regular_households.size()) {
            for (const auto b : g.buildings) {
                regular_households[g.community] += scene.buildings[b].households;
            }
        }
    }
    for (const auto& c : part.communities) {
        const double households = c.community < regular_households.size()
                                      ? regular_households[c.community]
                                      : c.households;
        rows.push_back({c.name.empty() ? c.id : c.name,
                        c.code + (c.code_derived ? "*" : ""),
                        format_count(households),
                        std::to_string(c.k),
                        std::to_string(c.grids),
                        std::to_string(c.in_band) + "/" + std::to_string(c.k),
                        format_fixed(100.0 * c.worst_deviation, 1) + "%",
                        format_fixed(100.0 * c.mean_deviation, 1) + "%",
                        format_fixed(100.0 * c.lower_bound, 1) + "%",
                        format_fixed(100.0 * c.lower_bound_gap, 1) + "%",
                        std::to_string(c.disconnected),
                        c.infeasible ? say("infeasible", "不可行") : ""});
        regular += c.k;
        in_band += c.in_band;
        disconnected += c.disconnected;
        worst = std::max(worst, c.worst_deviation);
    }
    out << say("\ngrids per community (band and deviation from the community's target H/k):\n",
               "\n各社区网格（户数区间，及与社区目标户数 H/k 的偏差）：\n");
    out << format_table({say("community", "社区"),
                         say("code", "代码"),
                         say("households", "户数"),
                         "k",
                         say("grids", "网格"),
                         say("in band", "达标"),
                         say("worst dev", "最大偏差"),
                         say("mean dev", "平均偏差"),
                         say("bound", "下界"),
                         say("gap", "差距"),
                         say("disconn.", "不连通"),
                         say("note", "备注")},
                        rows);
    std::vector<std::vector<std::string>> street_rows;
    for (const auto& s : part.streets) {
        street_rows.push_back({s.street ? (s.name.empty() ? scene.streets[*s.street].id : s.name)
                                        : say("(no street)", "（无街道）"),
                               s.code,
                               std::to_string(s.communities),
                               std::to_string(s.grids),
                               format_fixed(100.0 * s.band_share, 1) + "%",
                               format_fixed(100.0 * s.worst_deviation, 1) + "%",
                               format_fixed(100.0 * s.mean_deviation, 1) + "%",
                               std::to_string(s.disconnected)});
    }
    out << say("\nper street:\n", "\n各街道：\n")
        << format_table({say("street", "街道"),
                         say("code", "代码"),
                         say("communities", "社区"),
                         say("grids", "网格"),
                         say("in band", "达标"),
                         say("worst dev", "最大偏差"),
                         say("mean dev", "平均偏差"),
                         say("disconn.", "不连通")},
                        street_rows);
    const std::string share = pct(static_cast<double>(in_band), static_cast<double>(regular));
    const std::size_t other = part.grids.size() - regular;
    if (say.zh()) {
        out << "\n合计：" << part.grids.size() << " 个网格（" << regular << " 个综合网格，" << other
            << " 个专属或超大网格）；" << regular << " 个综合网格中 " << in_band << " 个户数达标（"
            << share << "）；最大偏差 " << format_fixed(100.0 * worst, 1) << "%；不连通网格 "
            << disconnected << "\n";
    } else {
        out << "\ntotal: " << part.grids.size() << " grids (" << regular << " regular, " << other
            << " dedicated or oversized); " << in_band << " of " << regular
            << " regular grids in band (" << share << "); worst deviation "
            << format_fixed(100.0 * worst, 1) << "%; disconnected grids " << disconnected << "\n";
    }
    if (!part.groups.empty()) {
        std::size_t balanced = 0;
        std::size_t groups_in_band = 0;
        for (const auto& g : part.groups) {
            balanced += g.standalone ? 0U : 1U;
            groups_in_band += g.in_band ? 1U : 0U;
        }
        const std::string group_share =
            pct(static_cast<double>(groups_in_band), static_cast<double>(balanced));
        const std::size_t own = part.groups.size() - balanced;
        if (say.zh()) {
            out << "楼栋党小组：" << part.groups.size() << " 个（" << balanced << " 个均衡分组中 "
                << groups_in_band << " 个规模达标（" << group_share << "）；" << own
                << " 个单独成组）\n";
        } else {
            out << "building groups: " << part.groups.size() << " (" << groups_in_band << " of "
                << balanced << " balanced groups in the group band (" << group_share << "); "
                << own << " own groups)\n";
        }
    }
    if (std::any_of(part.communities.begin(),
                    part.communities.end(),
                    [](const partition::CommunityReport& c) { return c.code_derived; })) {
        out << say(
            "(* community has no 12-digit code; a stable code was derived, see the ledger)\n",
            "（* 社区无12位代码，已派生稳定代码，见台账）\n");
    }
    return out.str();
}

// ---------------------------------------------------------------------------------- coverage

}  // namespace

namespace detail {

/// The walking network of the scene's roads; `doing` names the command for the error when it is
/// empty (coverage of nothing would print 0 % everywhere and look like an answer).
Network build_network(Loaded& loaded, const CommandOptions& options, const std::string& doing) {
    Network n;
    const core::StageScope stage(options.stages, "walk_graph");
    auto built = graph::build_walk_graph(loaded.scene.roads, graph::GraphOptions{});
    append_ledger(loaded, "walk_graph", built.ledger);
    n.graph = std::move(built.graph);
    if (n.graph.node_count() == 0) {
        throw core::Error{
            core::Errc::invalid_input,
            doing + " '" + what(loaded) + "': the walking network is empty (" +
                std::to_string(loaded.scene.roads.size()) +
                " road features read; configure inputs.roads with walkable streets: walking "
                "times are measured along them)"};
    }
    return n;
}

}  // namespace detail

namespace {

coverage::Options coverage_options(const Loaded& loaded, const CommandOptions& options) {
    coverage::Options o = loaded.config.coverage;
    o.threads = options.threads;
    return o;
}

/// Coverage of the scene's facilities as the stage "coverage".
coverage::Result run_coverage(const Loaded& loaded,
                              const graph::WalkGraph& graph,
                              const coverage::Options& copts,
                              std::span<const std::optional<core::Index>> grid_of_building,
                              std::span<const core::MultiPolygon> grid_areas,
                              const CommandOptions& options) {
    const core::StageScope stage(options.stages, "coverage");
    MessageSteps steps(options.stages, "coverage", kCoverageSteps);  // coverage_snap, _search…
    return coverage::compute_coverage(
        loaded.scene, graph, copts, grid_of_building, grid_areas, steps.wrap(options.progress));
}

std::string network_lines(const graph::WalkGraph& graph,
                          const coverage::Result& cov,
                          const Say& say) {
    std::ostringstream out;
    std::size_t largest = 0;
    for (const auto& c : graph.components) {
        largest = std::max<std::size_t>(largest, c.nodes);
    }
    const std::string nodes = format_count(static_cast<double>(graph.node_count()));
    const std::string edges = format_count(static_cast<double>(graph.edge_count()));
    const std::string km = format_fixed(graph.total_length_m() / 1000.0, 1);
    const std::string big = format_count(static_cast<double>(largest));
    if (say.zh()) {
        out << "\n步行路网：" << nodes << " 个节点，" << edges << " 条边，" << km << " 公里，"
            << graph.components.size() << " 个连通分量（最大 " << big << " 个节点）\n";
        out << "规则：分钟数 =（建筑接入段 + 路网距离 + 设施接入段）/ 步速；";
    } else {
        out << "\nwalking network: " << nodes << " nodes, " << edges << " edges, " << km << " km, "
            << graph.components.size() << " components (largest " << big << " nodes)\n";
        out << "rule: minutes = (building access leg + network distance + facility access leg) / "
               "speed;";
    }
    for (const auto& p : cov.options.profiles) {
        out << " " << say.profile(p.name) << " " << format_fixed(p.speed_kmh, 1)
            << say(" km/h", " 公里/小时");
    }
    out << "\n";
    return out.str();
}

std::string coverage_report(const core::Scene& scene,
                            const graph::WalkGraph& graph,
                            const coverage::Result& cov,
                            const Say& say) {
    std::ostringstream out;
    out << network_lines(graph, cov, say);

    std::map<std::tuple<int, int>, double> euclid;
    for (const auto& a : cov.areas) {
        if (a.level == coverage::AreaLevel::total && a.method == coverage::Method::euclidean) {
            euclid[{static_cast<int>(a.kind), 0}] =
                a.all.residents > 0 ? 100.0 * a.covered.residents / a.all.residents : 0.0;
        }
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : cov.areas) {
        if (a.level != coverage::AreaLevel::total || a.method != coverage::Method::network) {
            continue;
        }
        const auto e = euclid.find({static_cast<int>(a.kind), 0});
        rows.push_back({say.kind(a.kind),
                        say.profile(cov.options.profiles[a.profile].name),
                        format_fixed(a.threshold_min, 0) + say(" min", " 分钟"),
                        pct(a.covered.buildings, a.all.buildings),
                        pct(a.covered.households, a.all.households),
                        pct(a.covered.residents, a.all.residents),
                        pct(a.covered.street_m, a.all.street_m),
                        pct(a.doubled.residents, a.all.residents),
                        e == euclid.end() ? "-" : format_fixed(e->second, 1) + "%"});
    }
    const std::string radius = format_fixed(cov.options.euclid_radius_m, 0);
    out << (say.zh() ? "\n全域覆盖（对照：直线 " + radius + " 米内的人口）：\n"
                     : "\ncoverage of the whole area (residents within a straight-line " + radius +
                           " m for comparison):\n");
    out << format_table({say("kind", "设施类别"),
                         say("profile", "人群"),
                         say("within", "时限"),
                         say("buildings", "建筑"),
                         say("households", "户数"),
                         say("residents", "人口"),
                         say("street-km", "道路公里"),
                         say("double", "交叉覆盖"),
                         say("straight-line", "直线")},
                        rows);

    // Per street, adult profile, largest threshold.
    const std::size_t t_max = cov.options.thresholds_min.size() - 1;
    std::vector<std::vector<std::string>> street_rows;
    for (const auto& a : cov.areas) {
        if (a.level == coverage::AreaLevel::street && a.method == coverage::Method::network &&
            a.profile == 0 &&
            std::abs(a.threshold_min - cov.options.thresholds_min[t_max]) < 1e-9) {
            const auto& s = scene.streets[a.area];
            street_rows.push_back({s.name.empty() ? s.id : s.name,
                                   say.kind(a.kind),
                                   pct(a.covered.residents, a.all.residents),
                                   pct(a.doubled.residents, a.all.residents)});
        }
    }
    if (!street_rows.empty()) {
        out << say("\nper street (", "\n各街道（") << say.profile(cov.options.profiles[0].name)
            << say(", ", "，") << format_fixed(cov.options.thresholds_min[t_max], 0)
            << say(" min):\n", " 分钟）：\n")
            << format_table({say("street", "街道"),
                             say("kind", "设施类别"),
                             say("residents", "人口"),
                             say("double", "交叉覆盖")},
                            street_rows);
    }
    const auto& check = cov.check;
    if (say.zh()) {
        out << "\n服务圈：" << cov.circles.size() << " 个多边形，" << cov.gaps.size()
            << " 个缺口；自检：圈外已覆盖建筑 " << check.covered_outside << "，圈内未覆盖建筑 "
            << check.uncovered_inside << "，圈内未到达道路段 " << check.unreached_inside
            << "，无效 " << check.invalid << "（" << (check.ok() ? "通过" : "失败") << "）\n";
    } else {
        out << "\nservice circles: " << cov.circles.size() << " polygons, " << cov.gaps.size()
            << " gaps; self-check: " << check.covered_outside << " covered buildings outside, "
            << check.uncovered_inside << " uncovered inside, " << check.unreached_inside
            << " unreached street pieces inside, " << check.invalid << " invalid ("
            << (check.ok() ? "ok" : "FAILED") << ")\n";
    }
    std::size_t unsnapped = 0;
    for (std::size_t b = 0; b < cov.building_snaps.size(); ++b) {
        unsnapped += cov.building_snaps.snapped(b) ? 0 : 1;
    }
    out << say("buildings beyond the snap distance (reported uncovered, see ledger): ",
               "超出接入距离的建筑（按未覆盖计，见台账）：")
        << unsnapped << "\n";
    (void)scene;
    return out.str();
}

// ---------------------------------------------------------------------------------- siting

}  // namespace

namespace detail {

Siting run_siting(Loaded& loaded,
                  const graph::WalkGraph& graph,
                  const coverage::Result& cov,
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
    s.thinning = siting::thin_generated(s.outcome.candidates, settings.candidates.max_generated);
    if (!settings.candidates.types.empty()) {
        s.other_types = static_cast<std::size_t>(
            std::count_if(settings.candidates.given.begin(),
                          settings.candidates.given.end(),
                          [&](const siting::Candidate& c) {
                              return !siting::type_matches(c.type, settings.candidates.types);
                          }));
    }
    const graph::EdgeIndex index(graph);
    append_ledger(loaded,
                  "siting",
                  siting::candidate_issues(
                      loaded.scene, index, settings.candidates.exclusion, settings.instance.snap));
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

}  // namespace detail

namespace {

using detail::run_siting;
using detail::Siting;

/// Coverage as it would be with the proposed sites open: the scene's facilities plus one facility
/// of the sited kind per proposed site, measured with the same rule (no polygons). Empty when
/// nothing was proposed.
std::optional<coverage::Result> coverage_after_siting(
    const Loaded& loaded,
    const graph::WalkGraph& graph,
    const coverage::Result& today,
    const Siting& s,
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
        with_sites.facilities.push_back({.id = "proposed:" + c.id,
                                         .name = c.name,
                                         .kind = s.outcome.kind,
                                         .type = c.type,
                                         .location = c.position,
                                         .capacity = std::nullopt});
    }
    coverage::Options opts = today.options;
    opts.polygons.enabled = false;
    return coverage::compute_coverage(
        with_sites, graph, opts, grid_of_building, grid_areas, options.progress);
}

/// Why fewer sites than p were proposed (siting::Shortfall), one line in the report's language;
/// "" when p were proposed or the question was a target share.
std::string shortfall_line(const Siting& s, const Say& say) {
    const auto& r = s.outcome.result;
    if (r.shortfall == siting::Shortfall::none) {
        return "";
    }
    const bool zh = say.zh();
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

/// The first lines of the siting report: the instance and the candidates.
std::string siting_header(const Siting& s, const Say& say) {
    const auto& r = s.outcome.result;
    std::ostringstream out;
    using Weight = siting::InstanceOptions::Weight;
    const Weight w = s.outcome.weight;
    const char* unit = w == Weight::residents    ? say("residents", "人口")
                       : w == Weight::households ? say("households", "户数")
                       : w == Weight::buildings  ? say("buildings", "建筑")
                                                 : say("street metres", "道路米数");
    std::size_t from_layer = 0;
    for (const auto& c : s.outcome.candidates) {
        from_layer += c.from_layer ? 1 : 0;
    }
    const std::string kind = say.kind(s.outcome.kind);
    if (say.zh()) {
        out << "\n选址 " << kind << "（权重：" << unit << "）：" << s.outcome.candidates.size()
            << " 个候选点（" << from_layer << " 个来自候选点图层，预处理后保留 "
            << r.presolve.candidates_kept << " 个";
        if (s.other_types > 0) {
            out << "；siting.candidate_types 排除了图层中 " << s.other_types << " 个其他类型候选点";
        }
        if (s.thinning.kept < s.thinning.generated) {
            out << "；自动生成的 " << s.thinning.generated << " 个候选点按每 "
                << core::fixed(s.thinning.cell_m, 0) << " 米方格一个抽稀为 " << s.thinning.kept
                << " 个（siting.max_generated_candidates）";
        }
        out << "）\n";
    } else {
        out << "\nsiting " << kind << " (weight: " << unit << "): " << s.outcome.candidates.size()
            << " candidates (" << from_layer << " from the candidates layer, "
            << r.presolve.candidates_kept << " kept after presolve";
        if (s.other_types > 0) {
            out << "; " << s.other_types
                << " layer candidates of other types left out by siting.candidate_types";
        }
        if (s.thinning.kept < s.thinning.generated) {
            out << "; " << s.thinning.generated << " generated candidates thinned to "
                << s.thinning.kept << ", one per " << core::fixed(s.thinning.cell_m, 0)
                << " m square (siting.max_generated_candidates)";
        }
        out << ")\n";
    }
    return out.str();
}

std::string siting_report(const Siting& s, const core::Scene& scene, const Say& say) {
    const auto& r = s.outcome.result;
    std::ostringstream out;
    out << siting_header(s, say);
    out << say("status ", "状态 ") << r.status << say("; incumbent ", "；当前解 ")
        << format_fixed(r.incumbent, 1) << say(", bound ", "，上界 ") << format_fixed(r.bound, 1)
        << say(", gap ", "，差距 ") << format_fixed(100.0 * r.gap, 3)
        << say("% (greedy ", "%（贪心 ") << format_fixed(r.greedy_value, 1)
        << say(", LP bound ", "，LP 上界 ") << format_fixed(r.lp_bound, 1) << say(")\n", "）\n");
    // No solve time here: this text is also in report.html, whose bytes must not depend on the
    // machine's load (the time is the `siting` line of --timings).
    const std::string before = format_fixed(100.0 * s.before_share, 1);
    const std::string after = format_fixed(100.0 * s.after_share, 1);
    const std::string unreachable =
        format_fixed(100.0 * r.uncoverable_weight / std::max(r.total_weight, 1e-9), 1);
    out << (say.zh() ? "覆盖率 " + before + "% → " + after + "%（" + unreachable +
                           "% 的权重任何候选点都无法到达）\n"
                     : "coverage " + before + "% before → " + after + "% after (" + unreachable +
                           "% of the weight no candidate can reach)\n");
    out << shortfall_line(s, say);
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
    out << format_table({say("rank", "顺序"),
                         say("candidate", "候选点"),
                         say("type", "类型"),
                         say("road", "道路"),
                         say("gain", "新增覆盖"),
                         say("cumulative", "累计")},
                        rows);
    return out.str();
}

}  // namespace

namespace detail {

/// Partitions the scene with the configuration's "partition" section; appends its ledger rows.
partition::Result run_partition(Loaded& loaded, const CommandOptions& options) {
    partition::Options popts = loaded.config.partition;
    popts.threads = options.threads;
    const core::StageScope stage(options.stages, "partition");
    partition::Result part = partition::partition_scene(loaded.scene, popts, options.progress);
    append_ledger(loaded, "partition", part.ledger);
    return part;
}

/// The common tail of every writing command: results → layers → files, and the report.
CommandResult finish(const char* command,
                     const Loaded& loaded,
                     const CommandOptions& options,
                     const RunResults& results,
                     bool all_formats,
                     const std::string& stage_report,
                     std::vector<output::ExtraFile> extra_files) {
    std::optional<core::StageScope> stage{std::in_place, options.stages, "layers"};
    RunResults with_config = results;
    with_config.households_per_part_timer = loaded.config.partition.households_per_part_timer;
    const auto layers = make_layers(with_config, loaded.ledger, options.lang);
    stage.reset();
    const std::string summary = std::string{"gridplan "} + command + " " + options.config.string() +
                                "\n" + scene_report(loaded.scene, options.lang) + stage_report +
                                ledger_report(loaded.ledger, loaded.ledger_stages, options.lang);
    auto oopts = output_options(loaded, options, all_formats);
    oopts.extra_files = std::move(extra_files);
    oopts.page = {.command = command,
                  .config = options.config.string(),
                  .summary = summary,
                  .band = std::nullopt,
                  .inputs = output::report_inputs(loaded.scene)};
    if (results.partition != nullptr) {
        const partition::Band& band = loaded.config.partition.band;
        oopts.page.band = output::ReportBand{band.min_households, band.max_households};
    }
    const auto written = output::write_layers(loaded.scene.crs, layers, oopts);
    CommandResult result;
    result.report = summary + written_report(written, oopts.dir, Say(options.lang));
    result.written = written.files;
    return result;
}

}  // namespace detail

void remove_temporary_folders() noexcept {
    core::remove_scratch_for_exit();
    const char* gdal_tmp = CPLGetConfigOption("CPL_TMPDIR", nullptr);
    if (gdal_tmp != nullptr) {
        const std::filesystem::path folder{gdal_tmp};
        if (folder.filename().string().rfind("gridplan-gdal-", 0) == 0) {
            std::error_code ignored;
            std::filesystem::remove_all(folder, ignored);
        }
    }
}

CommandResult inspect(const CommandOptions& options) {
    Loaded loaded = load(options);
    round_households(loaded.scene);
    CommandResult result;
    result.report = "gridplan inspect " + options.config.string() + "\n" +
                    scene_report(loaded.scene, options.lang) +
                    ledger_report(loaded.ledger, loaded.ledger_stages, options.lang);
    return result;
}

CommandResult partition(const CommandOptions& options) {
    Loaded loaded = load(options);
    if (loaded.scene.buildings.empty()) {
        // An empty grid table would look like success; grids are made of buildings.
        throw core::Error{
            core::Errc::invalid_input,
            "partitioning '" + what(loaded) +
                "': no buildings were read (configure inputs.buildings; grids are drawn from "
                "building footprints and their households)"};
    }
    const std::string derived = ensure_communities(loaded, "partitioning");
    round_households(loaded.scene);  // the grids are balanced on the numbers people see
    const partition::Result part = run_partition(loaded, options);
    return finish("partition",
                  loaded,
                  options,
                  {.scene = &loaded.scene, .partition = &part},
                  false,
                  derived + partition_report(loaded.scene, part, Say(options.lang)) +
                      outside_report(loaded.scene, Say(options.lang)));
}

CommandResult coverage(const CommandOptions& options) {
    Loaded loaded = load(options);
    round_households(loaded.scene);
    const Network net = build_network(loaded, options, "computing coverage for");
    const coverage::Result cov =
        run_coverage(loaded, net.graph, coverage_options(loaded, options), {}, {}, options);
    append_ledger(loaded, "coverage", cov.ledger);
    return finish("coverage",
                  loaded,
                  options,
                  {.scene = &loaded.scene, .coverage = &cov},
                  false,
                  coverage_report(loaded.scene, net.graph, cov, Say(options.lang)));
}

CommandResult site(const CommandOptions& options) {
    Loaded loaded = load(options);
    round_households(loaded.scene);
    const Network net = build_network(loaded, options, "siting stations for");
    coverage::Options copts = coverage_options(loaded, options);
    copts.polygons.enabled = false;  // only snaps and coverage are needed to site
    const coverage::Result cov = run_coverage(loaded, net.graph, copts, {}, {}, options);
    append_ledger(loaded, "coverage", cov.ledger);
    const Siting s = run_siting(loaded, net.graph, cov, options);
    const auto after = coverage_after_siting(loaded, net.graph, cov, s, {}, {}, options);
    return finish("site",
                  loaded,
                  options,
                  {.scene = &loaded.scene,
                   .coverage = &cov,
                   .siting = &s.outcome,
                   .coverage_after_siting = after ? &*after : nullptr},
                  false,
                  siting_report(s, loaded.scene, Say(options.lang)));
}

std::string redraw_report(const partition::RedrawResult& rd, const Say& say) {
    std::ostringstream out;
    double moved_h = 0.0;
    double total_h = 0.0;
    std::size_t before = 0;
    std::size_t after = 0;
    std::size_t in_before = 0;
    std::size_t in_after = 0;
    std::size_t added = 0;
    std::size_t retired = 0;
    out << say("\nredraw per community (regular grids before -> after):\n",
               "\n各社区网格调整（综合网格 调整前 -> 调整后）：\n");
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
    if (say.zh()) {
        out << "调整合计：移动 " << rd.moves.size() << " 栋建筑，" << format_count(moved_h)
            << " 户（占网格内户数的 " << pct(moved_h, total_h) << "）；网格 " << before << " -> "
            << after << "（新增 " << added << "，撤销 " << retired << "）；达标 " << in_before
            << "/" << before << " -> " << in_after << "/" << after << "\n";
    } else {
        out << "redraw total: " << rd.moves.size() << " buildings moved, " << format_count(moved_h)
            << " households (" << pct(moved_h, total_h) << " of the households in grids); grids "
            << before << " -> " << after << " (" << added << " new, " << retired
            << " retired); in band " << in_before << "/" << before << " -> " << in_after << "/"
            << after << "\n";
    }
    return out.str();
}

namespace detail {

CommandResult finish_redraw(Loaded& loaded,
                            const partition::RedrawResult& redrawn,
                            const CommandOptions& options,
                            std::vector<output::ExtraFile> extra_files) {
    append_ledger(loaded, "redraw", redrawn.ledger);
    return finish("redraw",
                  loaded,
                  options,
                  {.scene = &loaded.scene, .partition = &redrawn.plan, .redraw = &redrawn},
                  true,
                  partition_report(loaded.scene, redrawn.plan, Say(options.lang)) +
                      redraw_report(redrawn, Say(options.lang)),
                  std::move(extra_files));
}

}  // namespace detail

CommandResult redraw(const CommandOptions& options) {
    Loaded loaded = load(options);
    partition::RedrawOptions ropts = loaded.config.redraw;
    ropts.partition.threads = options.threads;
    round_households(loaded.scene);  // the grids are balanced on the numbers people see
    std::optional<core::StageScope> stage{std::in_place, options.stages, "redraw"};
    const partition::RedrawResult rd =
        partition::redraw_scene(loaded.scene, ropts, options.progress);
    stage.reset();
    return detail::finish_redraw(loaded, rd, options);
}

CommandResult run(const CommandOptions& options) {
    Loaded loaded = load(options);
    const std::string derived = ensure_communities(loaded, "running");
    round_households(loaded.scene);  // the grids are balanced on the numbers people see
    const partition::Result part = run_partition(loaded, options);
    const Network net = build_network(loaded, options, "running");
    std::vector<core::MultiPolygon> grid_areas;
    grid_areas.reserve(part.grids.size());
    for (const auto& g : part.grids) {
        grid_areas.push_back(g.area);
    }
    const coverage::Result cov = run_coverage(loaded,
                                              net.graph,
                                              coverage_options(loaded, options),
                                              part.grid_of_building,
                                              grid_areas,
                                              options);
    append_ledger(loaded, "coverage", cov.ledger);
    const Siting s = run_siting(loaded, net.graph, cov, options);
    const auto after = coverage_after_siting(
        loaded, net.graph, cov, s, part.grid_of_building, grid_areas, options);
    return finish("run",
                  loaded,
                  options,
                  {.scene = &loaded.scene,
                   .partition = &part,
                   .coverage = &cov,
                   .siting = &s.outcome,
                   .coverage_after_siting = after ? &*after : nullptr},
                  true,
                  derived + partition_report(loaded.scene, part, Say(options.lang)) +
                      outside_report(loaded.scene, Say(options.lang)) +
                      coverage_report(loaded.scene, net.graph, cov, Say(options.lang)) +
                      siting_report(s, loaded.scene, Say(options.lang)));
}

}  // namespace gridplan::pipeline
