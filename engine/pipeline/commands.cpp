#include "pipeline/commands.hpp"

#include "io/read.hpp"
#include "pipeline/config.hpp"
#include "pipeline/report.hpp"

namespace gridplan::pipeline {
namespace {

/// Reads the configuration and the scene, applying the command-line overrides.
struct Loaded {
    RunConfig config;
    core::Scene scene;
};

Loaded load(const CommandOptions& options) {
    Loaded loaded;
    loaded.config = load_run_config(options.config);
    io::ReadOptions read;
    read.strict = options.strict || loaded.config.inputs.strict;
    read.encoding_override = options.encoding;
    read.progress = options.progress;
    loaded.scene = io::read_scene(loaded.config.inputs, read);
    return loaded;
}

}  // namespace

CommandResult inspect(const CommandOptions& options) {
    const Loaded loaded = load(options);
    CommandResult result;
    result.report = "gridplan inspect " + options.config.string() + "\n" + scene_report(loaded.scene);
    return result;
}

}  // namespace gridplan::pipeline
