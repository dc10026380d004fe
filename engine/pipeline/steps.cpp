#include "pipeline/steps.hpp"

#include <algorithm>
#include <utility>

namespace gridplan::pipeline {

MessageSteps::MessageSteps(const core::StageFn& stages,
                           std::string stage,
                           std::span<const StepMarker> steps)
    : stages_(stages), stage_(std::move(stage)), steps_(steps) {}

core::ProgressFn MessageSteps::wrap(core::ProgressFn next) {
    if (!stages_) {
        return next;
    }
    return [this, next = std::move(next)](std::string_view stage, std::string_view message) {
        on_message(stage, message);
        core::report(next, stage, message);
    };
}

void MessageSteps::on_message(std::string_view stage, std::string_view message) {
    if (stage != stage_) {
        return;
    }
    const auto marker = std::find_if(
        steps_.begin(), steps_.end(), [&](const StepMarker& m) { return m.message == message; });
    if (marker == steps_.end()) {
        return;
    }
    current_.reset();  // ends the previous step
    current_.emplace(stages_, stage_ + "_" + std::string{marker->step});
}

}  // namespace gridplan::pipeline
