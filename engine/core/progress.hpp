#pragma once
/// \file
/// Progress reporting: the engine never prints; stages call this callback when one is given.
/// The pipeline also marks where each stage of a command starts and ends (StageFn), with
/// counts where it knows them and the stage's wall time, CPU time and peak memory at its end;
/// the CLI turns those events into a progress line and `--timings` (docs/cli.md).

#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <string_view>

#include "core/interrupt.hpp"

namespace gridplan::core {

/// Called with a stage name and a message. Must be cheap and thread-safe to call from the
/// calling thread (stages call it only from the thread that called them).
using ProgressFn = std::function<void(std::string_view stage, std::string_view message)>;

/// Also a point where an interrupt (Ctrl-C) stops the command: throws Errc::interrupted.
inline void report(const ProgressFn& progress, std::string_view stage, std::string_view message) {
    throw_if_interrupted();
    if (progress) {
        progress(stage, message);
    }
}

/// The process's clocks and memory at one moment.
struct Resources {
    double wall_s = 0.0;   ///< monotonic clock
    double cpu_s = 0.0;    ///< CPU time of the whole process (all threads)
    double peak_mb = 0.0;  ///< peak resident set size of the process so far (MiB)
};

/// Reads the clocks (clock_gettime) and the peak resident set size (getrusage).
[[nodiscard]] Resources resources_now();

/// What one stage cost: differences of two Resources, and the peak RSS at its end.
struct StageTiming {
    std::string stage;  ///< no spaces: "read", "partition", "walk_graph", "write_gpkg"…
    double wall_s = 0.0;
    double cpu_s = 0.0;
    double peak_mb = 0.0;
};

/// One event of a command's stage: it starts, it has done `done` of `total` items, it ends.
struct StageEvent {
    enum class Kind { start, step, end };
    Kind kind = Kind::start;
    std::string_view stage;
    std::size_t done = 0;
    std::size_t total = 0;  ///< 0: the stage gives no count
    StageTiming timing;     ///< Kind::end only
};

/// Receives stage events on the thread that runs the command.
using StageFn = std::function<void(const StageEvent&)>;

/// Marks one stage: `start` on construction, `step` on step(), `end` with its timing on
/// destruction, unless the stage is left by an exception (a failed stage has no timing).
/// Construction and step() are points where an interrupt stops the command (Errc::interrupted).
class StageScope {
public:
    StageScope(const StageFn& fn, std::string stage, std::size_t total = 0);
    ~StageScope();
    StageScope(const StageScope&) = delete;
    StageScope& operator=(const StageScope&) = delete;
    StageScope(StageScope&&) = delete;
    StageScope& operator=(StageScope&&) = delete;

    /// `done` of the `total` given at construction are finished.
    void step(std::size_t done) const;

private:
    const StageFn& fn_;
    std::string stage_;
    std::size_t total_;
    Resources start_;
    int exceptions_ = std::uncaught_exceptions();
};

}  // namespace gridplan::core
