// The run configuration: the input sections (io) and the stage sections, each parsed once.
#include "pipeline/config.hpp"

#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/json_keys.hpp"

namespace gridplan::pipeline {

namespace {
constexpr const char* kStageSections[] = {"partition", "coverage", "siting", "output", "redraw"};
}

RunConfig parse_run_config(const std::string& json_text, const std::filesystem::path& file) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::parse_error& e) {
        throw core::Error{
            core::Errc::usage,
            "reading configuration '" + file.string() + "': not valid JSON: " + e.what()};
    }
    if (!doc.is_object()) {
        throw core::Error{
            core::Errc::usage,
            "reading configuration '" + file.string() + "': the top level must be a JSON object"};
    }

    // Every top-level key, input side and stage sections alike, before the two are split.
    std::set<std::string> allowed{std::begin(io::kInputTopLevelKeys),
                                  std::end(io::kInputTopLevelKeys)};
    allowed.insert(std::begin(kStageSections), std::end(kStageSections));
    io::check_known_keys(doc, allowed, "", "configuration '" + file.string() + "'");

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
    config.inputs = io::parse_input_config(doc.dump(), base_dir, file.string());

    const std::string what = file.string();
    auto section = [&](const char* key) -> const nlohmann::json& {
        static const nlohmann::json empty = nlohmann::json::object();
        auto it = stages.find(key);
        return it != stages.end() ? *it : empty;
    };
    config.partition = parse_partition_options(section("partition"), what);
    config.redraw = parse_redraw_options(section("redraw"), what, config.partition);
    config.coverage = parse_coverage_options(section("coverage"), what);
    config.siting = parse_siting_settings(section("siting"), what);
    config.output = parse_output_options(section("output"), what);
    return config;
}

RunConfig load_run_config(const std::filesystem::path& file) {
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (!std::filesystem::exists(status)) {
        throw core::Error{core::Errc::io,
                          "reading configuration '" + file.string() + "': no such file"};
    }
    if (std::filesystem::is_directory(status)) {
        throw core::Error{core::Errc::io,
                          "reading configuration '" + file.string() + "': it is a directory"};
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw core::Error{core::Errc::io,
                          "reading configuration '" + file.string() + "': cannot open the file"};
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_run_config(text.str(), file);
}

}  // namespace gridplan::pipeline
