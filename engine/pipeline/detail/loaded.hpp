#pragma once
/// \file
/// The steps the commands share (engine/pipeline/commands.cpp), for the workspace session
/// (pipeline/session.cpp), which keeps a loaded city and writes a redraw's outputs on save.

#include <string>
#include <vector>

#include "core/ledger.hpp"
#include "core/scene.hpp"
#include "partition/redraw.hpp"
#include "pipeline/commands.hpp"
#include "pipeline/config.hpp"
#include "pipeline/layers.hpp"
#include "pipeline/report.hpp"

namespace gridplan::pipeline::detail {

/// The configuration and the scene, with the command-line overrides applied.
struct Loaded {
    RunConfig config;
    core::Scene scene;
    core::Ledger ledger;  ///< scene rows, then each stage's rows in pipeline order
    /// Rows of `ledger` per stage, in pipeline order ("read" first): the printed summary.
    std::vector<LedgerStage> ledger_stages;
};

/// Reads the configuration `options.config` and its inputs.
[[nodiscard]] Loaded load(const CommandOptions& options);

/// Appends a stage's ledger rows and counts them under `stage`.
void append_ledger(Loaded& loaded, const char* stage, const core::Ledger& rows);

/// Layers, the printed summary and the outputs of a command (`all_formats`: every format of
/// the output section; else the GeoPackage and CSV tables only).
[[nodiscard]] CommandResult finish(const char* command,
                                   const Loaded& loaded,
                                   const CommandOptions& options,
                                   const RunResults& results,
                                   bool all_formats,
                                   const std::string& stage_report,
                                   std::vector<output::ExtraFile> extra_files = {});

/// What `gridplan redraw` writes and prints for a finished redraw of `loaded` (its ledger
/// gets the redraw's rows). `extra_files` go into the output set with the layers.
[[nodiscard]] CommandResult finish_redraw(Loaded& loaded,
                                          const partition::RedrawResult& redrawn,
                                          const CommandOptions& options,
                                          std::vector<output::ExtraFile> extra_files = {});

}  // namespace gridplan::pipeline::detail
