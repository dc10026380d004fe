#include "pipeline/config.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace gridplan::pipeline {

namespace {
constexpr const char* kStageSections[] = {"partition", "coverage", "siting", "output", "redraw"};
}

RunConfig load_run_config(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw core::Error{core::Errc::io, "reading configuration '" + file.string() +
                                              "': cannot open the file"};
    }
    std::ostringstream text;
    text << in.rdbuf();

    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw core::Error{core::Errc::usage,
                          "reading configuration '" + file.string() + "': not valid JSON: " + e.what()};
    }
    if (!doc.is_object()) {
        throw core::Error{core::Errc::usage, "reading configuration '" + file.string() +
                                                 "': the top level must be a JSON object"};
    }

    RunConfig config;
    config.file = file;
    std::string* targets[] = {&config.partition_json, &config.coverage_json, &config.siting_json,
                              &config.output_json, &config.redraw_json};
    for (std::size_t i = 0; i < std::size(kStageSections); ++i) {
        const char* key = kStageSections[i];
        if (auto it = doc.find(key); it != doc.end()) {
            if (!it->is_object()) {
                throw core::Error{core::Errc::usage, "reading configuration '" + file.string() +
                                                         "': \"" + key + "\" must be an object"};
            }
            *targets[i] = it->dump();
            doc.erase(it);
        }
    }
    const auto base_dir = std::filesystem::absolute(file).parent_path();
    config.inputs = io::parse_input_config(doc.dump(), base_dir, file.string());
    return config;
}

}  // namespace gridplan::pipeline
