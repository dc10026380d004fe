#pragma once
/// \file
/// The stage sections of the run configuration ("partition", "redraw", "coverage", "siting",
/// "output") parsed into each stage's Options, once, by load_run_config. Unknown keys are
/// Errc::usage naming the key (io::check_known_keys); `what` is the configuration file.
/// Every key and default: docs/config.md.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "coverage/coverage.hpp"
#include "output/write.hpp"
#include "partition/partition.hpp"
#include "partition/redraw.hpp"
#include "siting/candidates.hpp"
#include "siting/siting.hpp"

namespace gridplan::pipeline {

/// What `gridplan site` asks.
struct SitingSettings {
    siting::Options solver;
    siting::InstanceOptions instance;
    siting::CandidateOptions candidates;
};

[[nodiscard]] partition::Options parse_partition_options(const nlohmann::json& section,
                                                         const std::string& what);
/// One edit of "redraw.edits" ({"op": "move", "buildings": [...], "to": code}, split, merge,
/// lock, unlock); `section` names it in messages ("redraw.edits[3]").
[[nodiscard]] partition::Edit parse_edit(const nlohmann::json& edit,
                                         const std::string& what,
                                         const std::string& section);
/// The "redraw" section (locks, edits, churn weight); `partition` comes from the "partition"
/// section (band, seed, overrides).
[[nodiscard]] partition::RedrawOptions parse_redraw_options(const nlohmann::json& section,
                                                            const std::string& what,
                                                            const partition::Options& partition);
/// The "redraw" section that parse_redraw_options reads back to `options` (its `partition`
/// aside, which is the "partition" section's): the form of a saved workspace scenario.
[[nodiscard]] nlohmann::json redraw_section_json(const partition::RedrawOptions& options);

[[nodiscard]] coverage::Options parse_coverage_options(const nlohmann::json& section,
                                                       const std::string& what);
[[nodiscard]] SitingSettings parse_siting_settings(const nlohmann::json& section,
                                                   const std::string& what);
/// Output formats and base name; `dir` and `force` come from the command line.
[[nodiscard]] output::OutputOptions parse_output_options(const nlohmann::json& section,
                                                         const std::string& what);

}  // namespace gridplan::pipeline
