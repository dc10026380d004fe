#include "pipeline/session.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/json_keys.hpp"
#include "output/report_page.hpp"
#include "partition/workspace.hpp"
#include "pipeline/detail/loaded.hpp"
#include "pipeline/layers.hpp"
#include "pipeline/stages.hpp"

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
    const bool special = path.find("://") != std::string::npos || path.rfind("/vsi", 0) == 0 ||
                         path.empty() || path.front() == '{' || path.front() == '[';
    if (special || p.is_absolute()) {
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

}  // namespace

struct Session::Impl {
    CommandOptions options;
    detail::Loaded loaded;  ///< as read, households rounded; the ledger before the redraw
    partition::Workspace workspace;

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
        output::Layer grids = grids_layer(results());
        output::Layer changed = grids;
        changed.geometries.clear();
        changed.rows.clear();
        const auto code_field =
            static_cast<std::size_t>(std::find_if(grids.fields.begin(),
                                                  grids.fields.end(),
                                                  [](const auto& f) { return f.name == "code"; }) -
                                     grids.fields.begin());
        for (std::size_t i = 0; i < grids.rows.size(); ++i) {
            const auto* code = std::get_if<std::string>(&grids.rows[i][code_field]);
            if (code != nullptr && touched.count(*code) != 0) {
                changed.add(grids.geometries[i], grids.rows[i]);
            }
        }
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
