// The run configuration: the input sections (io) and the stage sections, each parsed once.
#include "pipeline/config.hpp"

#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/json_keys.hpp"

namespace gridplan::pipeline {

namespace {
constexpr const char* kStageSections[] = {"partition", "coverage", "siting", "output", "redraw"};
}

RunConfig parse_run_config(const std::string& json_text, const std::filesystem::path& file) {
    const std::string what = "configuration '" + file.string() + "'";
    nlohmann::json doc = io::parse_config_json(json_text, what);
    if (!doc.is_object()) {
        throw core::Error{core::Errc::usage,
                          "reading " + what + ": the top level must be a JSON object"};
    }

    // Every top-level key, input side and stage sections alike, before the two are split.
    std::set<std::string> allowed{std::begin(io::kInputTopLevelKeys),
                                  std::end(io::kInputTopLevelKeys)};
    allowed.insert(std::begin(kStageSections), std::end(kStageSections));
    io::check_known_keys(doc, allowed, "", what);

    // The stage sections come out of the document; what is left is the input side.
    nlohmann::json stages = nlohmann::json::object();
    for (const char* key : kStageSections) {
        if (auto it = doc.find(key); it != doc.end()) {
            if (!it->is_object()) {
                throw core::Error{core::Errc::usage,
                                  "reading configuration '" + file.string() + "': \"" + key +
                                      "\" must be an object"};
            }
            stages[key] = std::move(*it);
            doc.erase(it);
        }
    }
    RunConfig config;
    config.file = file;
    const auto base_dir = std::filesystem::absolute(file).parent_path();
    config.inputs = io::parse_input_sections(doc, base_dir, what);

    auto section = [&](const char* key) -> const nlohmann::json& {
        static const nlohmann::json empty = nlohmann::json::object();
        auto it = stages.find(key);
        return it != stages.end() ? *it : empty;
    };
    const std::string name = file.string();
    config.partition = parse_partition_options(section("partition"), name);
    config.redraw = parse_redraw_options(section("redraw"), name, config.partition);
    config.coverage = parse_coverage_options(section("coverage"), name);
    config.siting = parse_siting_settings(section("siting"), name);
    config.output = parse_output_options(section("output"), name);
    return config;
}

RunConfig load_run_config(const std::filesystem::path& file) {
    return parse_run_config(io::read_config_file(file, "configuration '" + file.string() + "'"),
                            file);
}

}  // namespace gridplan::pipeline
