#pragma once
/// \file
/// The whole run configuration: the input side (io::InputConfig) plus the stage sections
/// ("partition", "redraw", "coverage", "siting", "output"), each parsed once into its stage's
/// options. One JSON file; docs/config.md.

#include <filesystem>
#include <string>

#include "coverage/coverage.hpp"
#include "io/config.hpp"
#include "output/write.hpp"
#include "partition/partition.hpp"
#include "partition/redraw.hpp"
#include "pipeline/stages.hpp"

namespace gridplan::pipeline {

/// The run configuration as read from the file, before command-line overrides (threads, output
/// directory, --force, --formats: the commands apply those).
struct RunConfig {
    std::filesystem::path file;  ///< the configuration file
    io::InputConfig inputs;
    partition::Options partition;     ///< the "partition" section
    partition::RedrawOptions redraw;  ///< the "redraw" section (its `partition` is the one above)
    coverage::Options coverage;       ///< the "coverage" section
    SitingSettings siting;            ///< the "siting" section
    output::OutputOptions output;     ///< the "output" section (formats, basename, title)
};

/// Reads the file (Errc::io when it cannot be opened) and parses it (parse_run_config).
[[nodiscard]] RunConfig load_run_config(const std::filesystem::path& file);

/// Parses a run configuration: the input sections go to io::parse_input_config (relative paths
/// against `file`'s directory), then each stage section to its parser. Unknown keys, wrong types
/// and bad values are Errc::usage naming the key, whichever command runs.
[[nodiscard]] RunConfig parse_run_config(const std::string& json_text,
                                         const std::filesystem::path& file);

}  // namespace gridplan::pipeline
