#pragma once
/// \file
/// The stage sections of the run configuration ("partition", "coverage", "siting", "output")
/// parsed into each stage's Options. Unknown keys are Errc::usage naming the key.
/// Every key and default: docs/config.md.

#include <string>

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

[[nodiscard]] partition::Options parse_partition_options(const std::string& json,
                                                         const std::string& what);
/// The "redraw" section (locks, edits, churn weight); `partition` comes from the "partition"
/// section (band, seed, overrides).
[[nodiscard]] partition::RedrawOptions parse_redraw_options(const std::string& json,
                                                            const std::string& what,
                                                            const partition::Options& partition);
[[nodiscard]] coverage::Options parse_coverage_options(const std::string& json,
                                                       const std::string& what);
[[nodiscard]] SitingSettings parse_siting_settings(const std::string& json, const std::string& what);
/// Output formats and base name; `dir` and `force` come from the command line.
[[nodiscard]] output::OutputOptions parse_output_options(const std::string& json,
                                                         const std::string& what);

}  // namespace gridplan::pipeline
