#include "core/progress.hpp"

#include <utility>

#include <sys/resource.h>
#include <time.h>

namespace gridplan::core {
namespace {

double seconds(clockid_t clock) {
    timespec t{};
    ::clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace

Resources resources_now() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return {.wall_s = seconds(CLOCK_MONOTONIC),
            .cpu_s = seconds(CLOCK_PROCESS_CPUTIME_ID),
            .peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0};  // Linux: KiB
}

StageScope::StageScope(const StageFn& fn, std::string stage, std::size_t total)
    : fn_(fn), stage_(std::move(stage)), total_(total), start_(resources_now()) {
    throw_if_interrupted();
    if (fn_) {
        fn_({.kind = StageEvent::Kind::start, .stage = stage_, .total = total_});
    }
}

void StageScope::step(std::size_t done) const {
    throw_if_interrupted();
    if (fn_) {
        fn_({.kind = StageEvent::Kind::step, .stage = stage_, .done = done, .total = total_});
    }
}

StageScope::~StageScope() {
    if (!fn_ || std::uncaught_exceptions() > exceptions_) {
        return;
    }
    const Resources end = resources_now();
    try {
        fn_({.kind = StageEvent::Kind::end,
             .stage = stage_,
             .done = total_,
             .total = total_,
             .timing = {
                 stage_, end.wall_s - start_.wall_s, end.cpu_s - start_.cpu_s, end.peak_mb}});
    } catch (
        ...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; progress is advisory
    }
}

}  // namespace gridplan::core
