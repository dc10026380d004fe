#pragma once
/// \file
/// The whole run configuration: the input side (io::InputConfig) plus the stage sections
/// ("partition", "coverage", "siting", "output"). One JSON file; docs/config.md.

#include <filesystem>
#include <string>

#include "io/config.hpp"

namespace gridplan::pipeline {

/// The run configuration as read from the file, before command-line overrides.
struct RunConfig {
    std::filesystem::path file;  ///< the configuration file
    io::InputConfig inputs;
    std::string partition_json = "{}";  ///< the "partition" section (parsed by the stage glue)
    std::string coverage_json = "{}";   ///< the "coverage" section
    std::string siting_json = "{}";     ///< the "siting" section
    std::string output_json = "{}";     ///< the "output" section
    std::string redraw_json = "{}";     ///< the "redraw" section (gridplan redraw)
};

/// Reads the file; the input sections go to io::parse_input_config (unknown keys are errors
/// there), the stage sections are kept for the stage glue, which rejects unknown keys too.
[[nodiscard]] RunConfig load_run_config(const std::filesystem::path& file);

}  // namespace gridplan::pipeline
