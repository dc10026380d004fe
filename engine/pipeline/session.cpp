#include "pipeline/session.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "coverage/coverage.hpp"
#include "geom/crs.hpp"
#include "graph/walk_graph.hpp"
#include "io/config.hpp"
#include "io/json_keys.hpp"
#include "output/report_page.hpp"
#include "partition/workspace.hpp"
#include "pipeline/detail/loaded.hpp"
#include "pipeline/layers.hpp"
#include "pipeline/stages.hpp"
#include "siting/siting.hpp"

namespace gridplan::pipeline {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kRequest = "request";

/// The request body as a JSON object (the configuration's parser: depth, duplicate keys, NUL).
json parse_request(std::string_view body) {
    json j = io::parse_config_json(std::string{body}, kRequest);
    if (!j.is_object()) {
        throw core::Error{core::Errc::usage,
                          std::string{"reading "} + kRequest + ": the body must be a JSON object"};
    }
    return j;
}

/// Each building's grid code in a plan ("" = in no grid).
std::vector<std::string> codes_of(const partition::Result& plan) {
    std::vector<std::string> codes(plan.grid_of_building.size());
    for (std::size_t b = 0; b < codes.size(); ++b) {
        if (const auto g = plan.grid_of_building[b]) {
            codes[b] = plan.grids[*g].code;
        }
    }
    return codes;
}

/// The grids locked now: the configuration's, then the lock and unlock edits in order.
std::vector<std::string> locked_grids(const partition::RedrawOptions& scenario) {
    std::set<std::string> locked(scenario.locked_grids.begin(), scenario.locked_grids.end());
    for (const partition::Edit& e : scenario.edits) {
        for (const std::string& code : e.grids) {
            if (e.kind == partition::EditKind::lock) {
                locked.insert(code);
            } else if (e.kind == partition::EditKind::unlock) {
                locked.erase(code);
            }
        }
    }
    return {locked.begin(), locked.end()};
}

/// An input path of the configuration, relative to the save folder (absolute when it cannot be
/// written relative); URLs, /vsi… paths and inline GeoJSON stay as they are.
std::string rebased(const std::string& path, const fs::path& config_dir, const fs::path& dir) {
    const fs::path p{path};
    if (path.empty() || io::is_special_input_path(path) || p.is_absolute()) {
        return path;
    }
    const fs::path target = fs::weakly_canonical(config_dir / p);
    const fs::path relative = target.lexically_relative(fs::weakly_canonical(fs::absolute(dir)));
    return relative.empty() ? target.string() : relative.string();
}

void rebase_inputs(json& inputs, const fs::path& config_dir, const fs::path& dir) {
    auto rebase_source = [&](json& source) {
        if (source.is_object() && source.contains("path") && source["path"].is_string()) {
            source["path"] = rebased(source["path"].get<std::string>(), config_dir, dir);
        }
    };
    for (auto& [role, value] : inputs.items()) {
        if (value.is_array()) {
            std::for_each(value.begin(), value.end(), rebase_source);
        } else {
            rebase_source(value);
        }
    }
}

/// A finite number of the request within [lo, hi], else Errc::usage naming it.
double request_number(const json& j, const char* key, double lo, double hi) {
    if (!j.contains(key) || !j[key].is_number() || !(j[key].get<double>() >= lo) ||
        !(j[key].get<double>() <= hi)) {
        throw core::Error{core::Errc::usage,
                          std::string{"reading "} + kRequest + ": '" + key +
                              "' must be a number from " + core::fixed(lo, 0) + " to " +
                              core::fixed(hi, 0)};
    }
    return j[key].get<double>();
}

std::string request_text(const json& j, const char* key) {
    if (!j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty()) {
        throw core::Error{core::Errc::usage,
                          std::string{"reading "} + kRequest + ": '" + key + "' must be a text"};
    }
    return j[key].get<std::string>();
}

core::FacilityKind request_kind(const json& j) {
    const std::string kind = request_text(j, "kind");
    for (const auto k : {core::FacilityKind::service_centre, core::FacilityKind::warm_station}) {
        if (kind == core::to_string(k)) {
            return k;
        }
    }
    throw core::Error{core::Errc::usage,
                      std::string{"reading "} + kRequest +
                          ": 'kind' must be service_centre or warm_station (got \"" + kind + "\")"};
}

/// Rows of a layer whose `field` (text) is not in `keep`, removed.
void keep_rows(output::Layer& layer, const char* field, const std::set<std::string>& keep) {
    const auto at =
        static_cast<std::size_t>(std::find_if(layer.fields.begin(),
                                              layer.fields.end(),
                                              [&](const auto& f) { return f.name == field; }) -
                                 layer.fields.begin());
    output::Layer out{.name = layer.name,
                      .title_zh = layer.title_zh,
                      .group = layer.group,
                      .geometry_type = layer.geometry_type,
                      .fields = layer.fields};
    for (std::size_t i = 0; i < layer.rows.size(); ++i) {
        const auto* v =
            at < layer.fields.size() ? std::get_if<std::string>(&layer.rows[i][at]) : nullptr;
        if (v != nullptr && keep.count(*v) != 0) {
            out.add(std::move(layer.geometries[i]), std::move(layer.rows[i]));
        }
    }
    layer = std::move(out);
}

}  // namespace

struct Session::Impl {
    CommandOptions options;
    detail::Loaded loaded;  ///< as read, households rounded; the ledger before the redraw
    partition::Workspace workspace;
    /// The walking network, built on the first station change.
    std::optional<graph::WalkGraph> graph;
    std::uint64_t stations_changed = 0;  ///< station changes so far (new ids: new-1, new-2…)
    /// The moves of the last rebalance preview, accepted as one change by rebalance "accept".
    std::vector<partition::Edit> pending;
    std::uint64_t pending_revision = 0;  ///< the revision the preview was computed on

    explicit Impl(const CommandOptions& o, detail::Loaded l)
        : options(o), loaded(std::move(l)), workspace(loaded.scene, workspace_options(loaded)) {}

    static partition::RedrawOptions workspace_options(const detail::Loaded& l) {
        partition::RedrawOptions o = l.config.redraw;
        o.rebalance = false;
        return o;
    }

    [[nodiscard]] RunResults results() const {
        return {.scene = &workspace.scene(),
                .partition = &workspace.plan().plan,
                .households_per_part_timer = loaded.config.partition.households_per_part_timer};
    }

    [[nodiscard]] json layers_json(std::span<const output::Layer> layers) const {
        output::ReportPage page;
        page.max_vertices = std::numeric_limits<std::size_t>::max();
        page.command = "serve";
        page.config = options.config.string();
        page.band = output::ReportBand{loaded.config.partition.band.min_households,
                                       loaded.config.partition.band.max_households};
        page.inputs = output::report_inputs(loaded.scene);
        return json::parse(output::report_data_json(loaded.scene.crs,
                                                    layers,
                                                    page,
                                                    loaded.config.output.project_title,
                                                    loaded.config.output.attribution,
                                                    options.lang));
    }

    [[nodiscard]] json status() const {
        return {{"revision", workspace.revision()},
                {"can_undo", workspace.can_undo()},
                {"can_redo", workspace.can_redo()},
                {"locked", locked_grids(workspace.scenario())}};
    }

    /// The reply to a change: the outcome, and what the map must redraw.
    [[nodiscard]] std::string reply(const partition::ChangeOutcome& outcome,
                                    const std::vector<std::string>& before) const {
        json out = status();
        out["accepted"] = outcome.accepted;
        out["refusal"] = outcome.refusal;
        std::set<std::string> touched;
        json removed = json::array();
        for (const partition::GridFigures& f : outcome.touched) {
            touched.insert(f.code);
            if (f.buildings == 0) {
                removed.push_back(f.code);
            }
        }
        output::Layer changed = grids_layer(results());
        keep_rows(changed, "code", touched);
        out["grids"] = layers_json({&changed, 1})["layers"][0]["features"];
        out["removed"] = std::move(removed);
        json moved = json::array();
        const std::vector<std::string> after = codes_of(workspace.plan().plan);
        for (std::size_t b = 0; b < after.size() && b < before.size(); ++b) {
            if (after[b] != before[b]) {
                moved.push_back(json::array({b, after[b]}));
            }
        }
        out["buildings"] = std::move(moved);
        return out.dump();
    }

    /// The facility at `id`, or Errc::usage naming it.
    [[nodiscard]] std::size_t facility_index(const std::string& id) const {
        const auto& f = loaded.scene.facilities;
        const auto it = std::find_if(f.begin(), f.end(), [&](const auto& x) { return x.id == id; });
        if (it == f.end()) {
            throw core::Error{core::Errc::usage,
                              std::string{"reading "} + kRequest + ": no station '" + id + "'"};
        }
        return static_cast<std::size_t>(it - f.begin());
    }

    /// The request's lon/lat in the working CRS, refused when far from every building.
    [[nodiscard]] core::Point place(const json& j) const {
        const double lon = request_number(j, "lon", -180.0, 180.0);
        const double lat = request_number(j, "lat", -90.0, 90.0);
        const geom::Transformer to_working(
            geom::Crs::from_epsg(4326), geom::Crs::from_wkt(loaded.scene.crs.wkt, "working CRS"));
        const auto p = to_working.transform(core::Point(lon, lat));
        core::Box box;
        core::bg::assign_inverse(box);
        for (const auto& b : loaded.scene.buildings) {
            core::bg::expand(box, b.anchor);
        }
        core::bg::buffer(box, box, 2000.0);
        if (!p || !core::bg::covered_by(*p, box)) {
            throw core::Error{core::Errc::usage,
                              std::string{"reading "} + kRequest +
                                  ": the place is more than 2 km from every building of the city"};
        }
        return *p;
    }

    /// Applies one station change to the city's facilities.
    void change_station(const json& j) {
        io::check_known_keys(j, {"op", "kind", "id", "lon", "lat", "name"}, "", kRequest);
        const std::string op = request_text(j, "op");
        auto& facilities = loaded.scene.facilities;
        if (op == "add") {
            core::Facility f;
            f.kind = request_kind(j);
            f.id = "new-" + std::to_string(stations_changed + 1);
            f.name = j.contains("name") ? request_text(j, "name") : f.id;
            f.location = place(j);
            facilities.push_back(std::move(f));
        } else if (op == "move") {
            const std::size_t i = facility_index(request_text(j, "id"));
            facilities[i].location = place(j);
        } else if (op == "remove") {
            facilities.erase(facilities.begin() +
                             static_cast<std::ptrdiff_t>(facility_index(request_text(j, "id"))));
        } else {
            throw core::Error{core::Errc::usage,
                              std::string{"reading "} + kRequest +
                                  ": a station 'op' is add, move or remove (got \"" + op + "\")"};
        }
        ++stations_changed;
    }

    /// Coverage of the facilities now, figures only (service circles are the run's: issue 16).
    [[nodiscard]] coverage::Result coverage_now() {
        if (!graph) {
            graph = graph::build_walk_graph(loaded.scene.roads, graph::GraphOptions{}).graph;
        }
        coverage::Options o = loaded.config.coverage;
        o.threads = options.threads;
        o.polygons.enabled = false;
        const partition::Result& plan = workspace.plan().plan;
        std::vector<core::MultiPolygon> areas;
        for (const auto& g : plan.grids) {
            areas.push_back(g.area);
        }
        return coverage::compute_coverage(loaded.scene, *graph, o, plan.grid_of_building, areas);
    }

    /// The coverage reply: stations, each building's 15-minute flags, the areas' figures.
    [[nodiscard]] std::string coverage_reply() {
        const coverage::Result cov = coverage_now();
        RunResults r = results();
        r.scene = &loaded.scene;
        r.coverage = &cov;
        std::vector<output::Layer> layers = make_layers(r, core::Ledger{}, options.lang);
        std::erase_if(layers, [](const output::Layer& l) {
            return l.name != "facilities" && l.name != "coverage_stats" && l.name != "buildings";
        });
        for (output::Layer& l : layers) {
            if (l.name == "coverage_stats") {
                keep_rows(l, "level", {"community", "street", "all"});
            }
        }
        json data = layers_json(layers);
        json out = {{"stations_changed", stations_changed}};
        for (json& l : data["layers"]) {
            const std::string name = l["name"].get<std::string>();
            if (name == "buildings") {
                json flags = json::array();
                for (const json& f : l["features"]) {
                    const json& p = f["properties"];
                    flags.push_back(
                        json::array({p.value("sc_c15", json()), p.value("ws_c15", json())}));
                }
                out["buildings"] = std::move(flags);  // [sc_c15, ws_c15] per building, in order
            } else {
                out[name] = std::move(l);
            }
        }
        return out.dump();
    }

    /// The siting solver on the stations now (`p` new stations of the configured kind): the
    /// proposed sites as a layer and the proof (incumbent, bound, gap).
    [[nodiscard]] std::string suggest(std::uint32_t p) {
        const coverage::Result cov = coverage_now();
        detail::Loaded copy = loaded;
        copy.config.siting.solver.p = p;
        const detail::Siting s = detail::run_siting(copy, *graph, cov, options);
        RunResults r = results();
        r.scene = &copy.scene;
        r.coverage = &cov;
        r.siting = &s.outcome;
        std::vector<output::Layer> layers = make_layers(r, core::Ledger{}, options.lang);
        std::erase_if(layers, [](const output::Layer& l) { return l.name != "proposed_sites"; });
        json data = layers_json(layers);
        const siting::Result& res = s.outcome.result;
        return json{{"kind", core::to_string(s.outcome.kind)},
                    {"asked", p},
                    {"status", res.status},
                    {"incumbent", res.incumbent},
                    {"bound", res.bound},
                    {"gap", res.gap},
                    {"before_share", s.before_share},
                    {"after_share", s.after_share},
                    {"proposed_sites", layers.empty() ? json() : data["layers"][0]}}
            .dump();
    }

    /// The redraw optimiser on one community with the current locks (every other community's
    /// grids locked): the moves it proposes as move edits, kept until accepted or replaced.
    [[nodiscard]] std::string rebalance_preview(const std::string& community) {
        const partition::Result& plan = workspace.plan().plan;
        partition::RedrawOptions o = workspace.scenario();
        o.rebalance = true;  // the whole redraw, as `gridplan redraw` with these locks and edits
        // Communities are solved one by one: the others' answers are left out below.
        const bool found = std::any_of(plan.grids.begin(), plan.grids.end(), [&](const auto& g) {
            return g.community_code == community;
        });
        if (!found) {
            throw core::Error{core::Errc::usage,
                              std::string{"reading "} + kRequest + ": no community '" + community +
                                  "' with grids"};
        }
        partition::RedrawResult rd;
        try {
            rd = partition::redraw_scene(workspace.scene(), o);
        } catch (const core::Error& e) {
            if (e.code() != core::Errc::invalid_input) {
                throw;
            }
            pending.clear();  // the optimiser refuses these edits and locks: say why
            return json{{"community", community},
                        {"refusal", e.what()},
                        {"moves", 0},
                        {"buildings", json::array()},
                        {"households", 0},
                        {"grids", json::array()}}
                .dump();
        }
        const std::vector<std::string> now = codes();
        const std::vector<std::string> then = codes_of(rd.plan);
        std::map<std::string, std::vector<std::string>> to_grid;
        std::set<std::string> existing;
        for (const auto& g : plan.grids) {
            existing.insert(g.code);
        }
        json moved = json::array();
        double households = 0.0;
        const auto& buildings = workspace.scene().buildings;
        for (std::size_t b = 0; b < now.size(); ++b) {
            const auto c = buildings[b].community;
            const bool inside = c && plan_community_code(*c) == community;
            if (inside && now[b] != then[b] && !then[b].empty()) {
                to_grid[then[b]].push_back(workspace.scene().buildings[b].id);
                moved.push_back(json::array({b, now[b], then[b]}));
                households += workspace.scene().buildings[b].households;
            }
        }
        pending.clear();
        std::string refusal;
        for (auto& [code, ids] : to_grid) {
            if (existing.count(code) == 0) {
                refusal = "the optimiser would draw a new grid " + code +
                          ": add it with a split first (the workspace moves buildings between "
                          "existing grids only)";
            }
            partition::Edit e;
            e.kind = partition::EditKind::move;
            e.grid = code;
            e.buildings = std::move(ids);
            pending.push_back(std::move(e));
        }
        if (!refusal.empty()) {
            pending.clear();
        }
        pending_revision = workspace.revision();
        json figures = json::array();
        for (const auto& g : rd.plan.grids) {
            if (g.community_code == community) {
                figures.push_back(
                    {{"code", g.code}, {"households", g.households}, {"in_band", g.in_band}});
            }
        }
        return json{{"community", community},
                    {"refusal", refusal},
                    {"moves", pending.size()},
                    {"buildings", std::move(moved)},
                    {"households", households},
                    {"grids", std::move(figures)}}
            .dump();
    }

    /// The 12-digit code the plan gives community `c` ("" when it has no grid).
    [[nodiscard]] std::string plan_community_code(core::Index c) const {
        for (const auto& g : workspace.plan().plan.grids) {
            if (g.community == c) {
                return g.community_code;
            }
        }
        return {};
    }

    [[nodiscard]] std::string rebalance_accept() {
        if (pending.empty() || pending_revision != workspace.revision()) {
            partition::ChangeOutcome none{
                .accepted = false,
                .refusal = "no rebalance preview for the plan as it is now: preview again",
                .revision = workspace.revision()};
            return reply(none, codes());
        }
        const std::vector<std::string> before = codes();
        std::vector<partition::Edit> edits = std::move(pending);
        pending.clear();
        return reply(workspace.apply(std::move(edits)), before);
    }

    [[nodiscard]] std::vector<std::string> codes() const { return codes_of(workspace.plan().plan); }

    /// scenario.json: the run configuration as given, its input paths relative to the save
    /// folder, its "redraw" section the session's plan.
    [[nodiscard]] std::string scenario_text(const fs::path& dir) const {
        const fs::path& file = loaded.config.file;
        json doc = io::parse_config_json(
            io::read_config_file(file, "configuration '" + file.string() + "'"),
            "configuration '" + file.string() + "'");
        if (doc.contains("inputs") && doc["inputs"].is_object()) {
            rebase_inputs(doc["inputs"], fs::absolute(file).parent_path(), dir);
        }
        doc["redraw"] = redraw_section_json(workspace.scenario());
        return doc.dump(2) + "\n";
    }
};

Session::Session(const CommandOptions& options) {
    core::require_invariant(options.output_dir.has_value(), "a workspace session has a save dir");
    detail::Loaded loaded = detail::load(options);
    round_households(loaded.scene);  // the grids are balanced on the numbers people see
    impl_ = std::make_unique<Impl>(options, std::move(loaded));
}

Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

std::string Session::state() const {
    const RunResults results = impl_->results();
    std::vector<output::Layer> layers =
        make_layers(results, impl_->workspace.plan().ledger, impl_->options.lang);
    // Boundaries between grids and the ledger are not redrawn while editing: left out.
    std::erase_if(layers, [](const output::Layer& l) {
        return l.name == "grid_boundaries" || l.name == "ledger";
    });
    json out = {{"format", "gridplan-workspace/1"},
                {"data", impl_->layers_json(layers)},
                {"workspace", impl_->status()}};
    out["workspace"]["save_dir"] = impl_->options.output_dir->string();
    return out.dump();
}

std::string Session::change(std::string_view request) {
    const json j = parse_request(request);
    partition::Edit edit = parse_edit(j, kRequest, "edit");
    const std::vector<std::string> before = impl_->codes();
    return impl_->reply(impl_->workspace.apply(std::move(edit)), before);
}

std::string Session::undo() {
    const std::vector<std::string> before = impl_->codes();
    return impl_->reply(impl_->workspace.undo(), before);
}

std::string Session::redo() {
    const std::vector<std::string> before = impl_->codes();
    return impl_->reply(impl_->workspace.redo(), before);
}

std::string Session::save(std::string_view request) {
    const json j = parse_request(request);
    io::check_known_keys(j, {"force"}, "", kRequest);
    bool force = false;
    if (j.contains("force")) {
        if (!j["force"].is_boolean()) {
            throw core::Error{
                core::Errc::usage,
                std::string{"reading "} + kRequest + ": 'force' must be true or false"};
        }
        force = j["force"].get<bool>();
    }
    const fs::path dir = *impl_->options.output_dir;
    CommandOptions options = impl_->options;
    options.config = dir / "scenario.json";
    options.force = force;
    detail::Loaded loaded = impl_->loaded;  // the ledger as before the redraw, like the CLI's
    const CommandResult written =
        detail::finish_redraw(loaded,
                              impl_->workspace.plan(),
                              options,
                              {{.name = "scenario.json", .text = impl_->scenario_text(dir)}});
    return json{{"saved", true},
                {"dir", dir.string()},
                {"scenario", options.config.string()},
                {"files", written.written.size()},
                {"report", written.report}}
        .dump();
}

std::string Session::station(std::string_view request) {
    const json j = parse_request(request);
    if (!j.empty()) {
        impl_->change_station(j);
    }
    return impl_->coverage_reply();
}

std::string Session::suggest(std::string_view request) {
    const json j = parse_request(request);
    io::check_known_keys(j, {"p"}, "", kRequest);
    const auto p = static_cast<std::uint32_t>(request_number(j, "p", 1, 100));
    if (static_cast<double>(p) != j["p"].get<double>()) {
        throw core::Error{core::Errc::usage,
                          std::string{"reading "} + kRequest + ": 'p' must be a whole number"};
    }
    return impl_->suggest(p);
}

std::string Session::rebalance(std::string_view request) {
    const json j = parse_request(request);
    io::check_known_keys(j, {"community", "accept"}, "", kRequest);
    if (j.contains("accept")) {
        return impl_->rebalance_accept();
    }
    return impl_->rebalance_preview(request_text(j, "community"));
}

const fs::path& Session::save_dir() const noexcept {
    return *impl_->options.output_dir;
}

std::string Session::summary() const {
    const core::Scene& scene = impl_->workspace.scene();
    return std::to_string(scene.buildings.size()) + " buildings, " +
           std::to_string(scene.communities.size()) + " communities, " +
           std::to_string(impl_->workspace.plan().plan.grids.size()) + " grids";
}

}  // namespace gridplan::pipeline
