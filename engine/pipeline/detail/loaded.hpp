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

/// The walking network of a run.
struct Network {
    graph::WalkGraph graph;
};

/// Reads the configuration `options.config` and its inputs.
[[nodiscard]] Loaded load(const CommandOptions& options);

/// Communities for a partition: the input's, or provisional ones when the configuration asks
/// for them (partition.communities_from); without either, Errc::invalid_input naming the
/// command (`doing`). Returns the report line on derived ones ("" for the input's).
[[nodiscard]] std::string ensure_communities(Loaded& loaded, const std::string& doing);
/// The walking network of the scene's roads (stage walk_graph); Errc::invalid_input when empty.
[[nodiscard]] Network build_network(Loaded& loaded,
                                    const CommandOptions& options,
                                    const std::string& doing);
/// Partitions the scene with the "partition" section (stage partition); appends its ledger rows.
[[nodiscard]] partition::Result run_partition(Loaded& loaded, const CommandOptions& options);
/// The output section with the command line applied (`all_formats`: every format of the
/// section; else the GeoPackage and CSV tables only; --formats overrides both).
[[nodiscard]] output::OutputOptions output_options(const Loaded& loaded,
                                                   const CommandOptions& options,
                                                   bool all_formats);
/// "wrote N files under DIR" and the writers' notes.
[[nodiscard]] std::string written_report(const output::Written& written,
                                         const std::filesystem::path& dir,
                                         const Say& say);
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
