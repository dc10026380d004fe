#pragma once
/// \file
/// Timed steps inside a stage the pipeline does not own: the stage's progress messages mark
/// where its steps start (coverage says "multi-source search", then "per-facility searches"…),
/// and each known message ends the previous step and starts the next as a stage event
/// `<stage>_<step>` (e.g. coverage_search). Unknown messages are passed on and change nothing,
/// so a reworded message only loses a timing line, never a result.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/progress.hpp"

namespace gridplan::pipeline {

/// A progress message that starts a step, and the step's name (no spaces).
struct StepMarker {
    std::string_view message;
    std::string_view step;
};

/// coverage::compute_coverage's messages (engine/coverage), in the order it sends them.
inline constexpr StepMarker kCoverageSteps[] = {
    {"snapping buildings and facilities", "snap"},
    {"multi-source search", "search"},
    {"per-facility searches", "facility_search"},
    {"euclidean comparison", "euclid"},
    {"street metres", "street_m"},
    {"per-area statistics", "statistics"},
    {"tracing blocks", "blocks"},
    {"service circles", "circles"},
    {"dissolving circles", "dissolve"},
    {"gaps", "gaps"},
};

class MessageSteps {
public:
    /// `stages` must outlive this object (it is the command's callback).
    MessageSteps(const core::StageFn& stages, std::string stage, std::span<const StepMarker> steps);
    ~MessageSteps() = default;  // the last step ends with its StageScope
    MessageSteps(const MessageSteps&) = delete;
    MessageSteps& operator=(const MessageSteps&) = delete;
    MessageSteps(MessageSteps&&) = delete;
    MessageSteps& operator=(MessageSteps&&) = delete;

    /// A callback that marks the steps, then forwards every message to `next`.
    [[nodiscard]] core::ProgressFn wrap(core::ProgressFn next);

private:
    void on_message(std::string_view stage, std::string_view message);

    const core::StageFn& stages_;
    std::string stage_;
    std::span<const StepMarker> steps_;
    std::optional<core::StageScope> current_;
};

}  // namespace gridplan::pipeline
