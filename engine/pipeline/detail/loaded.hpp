#pragma once
/// \file
/// The steps the commands share (engine/pipeline/commands.cpp), for the workspace session
/// (pipeline/session.cpp), which keeps a loaded city and writes a redraw's outputs on save.

#include <string>
#include <vector>

#include "core/ledger.hpp"
#include "core/scene.hpp"
#include "coverage/coverage.hpp"
#include "graph/walk_graph.hpp"
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

/// What `gridplan site` answered, with the shares before and after.
struct Siting {
    SitingOutcome outcome;
    double before_share = 0.0;
    double after_share = 0.0;
    std::size_t other_types = 0;  ///< layer candidates left out by siting.candidate_types
    siting::Thinning thinning;    ///< generated candidates bounded by max_generated_candidates
    double min_spacing_m = 0.0;   ///< siting.min_spacing_m (for the shortfall line)
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

/// The siting stage ("siting" section) on the scene's facilities and coverage `cov`; the
/// candidate issues go to `loaded`'s ledger.
[[nodiscard]] Siting run_siting(Loaded& loaded,
                                const graph::WalkGraph& graph,
                                const coverage::Result& cov,
                                const CommandOptions& options);

/// What `gridplan redraw` writes and prints for a finished redraw of `loaded` (its ledger
/// gets the redraw's rows). `extra_files` go into the output set with the layers.
[[nodiscard]] CommandResult finish_redraw(Loaded& loaded,
                                          const partition::RedrawResult& redrawn,
                                          const CommandOptions& options,
                                          std::vector<output::ExtraFile> extra_files = {});

}  // namespace gridplan::pipeline::detail
