#pragma once
/// \file
/// What the CLI shows on stderr while a command runs: a progress line per stage when stderr is
/// a terminal (redrawn in place, with counts, elapsed time and an ETA where the engine gives a
/// count), and the `--timings` lines after the run. The engine only reports events
/// (core::ProgressFn, core::StageFn); this is the one place that prints them.

#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/progress.hpp"

namespace gridplan::cli {

class Terminal {
public:
    /// `show_progress`: draw progress lines (the CLI passes isatty(2) && !--quiet); the line is
    /// then also redrawn twice a second, so the elapsed time moves during a long stage.
    Terminal(std::FILE* out, bool show_progress);
    ~Terminal();
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;
    Terminal(Terminal&&) = delete;
    Terminal& operator=(Terminal&&) = delete;

    /// Callbacks for pipeline::CommandOptions (empty when neither progress nor timings are
    /// wanted, so the engine skips the work of reporting).
    [[nodiscard]] core::ProgressFn progress_fn();
    [[nodiscard]] core::StageFn stage_fn(bool keep_timings);

    /// Ends the progress line (before the report or an error message is printed).
    void finish_line();
    /// One line per finished stage: `timing STAGE WALL_S CPU_S PEAK_MB`.
    void print_timings() const;

private:
    void on_message(std::string_view stage, std::string_view message);
    void on_stage(const core::StageEvent& event);
    void draw(bool force);
    void tick(const std::stop_token& stop);

    std::FILE* out_;
    bool show_;
    std::size_t columns_;
    bool keep_timings_ = false;
    std::mutex mutex_;
    double run_start_s_;
    double stage_start_s_ = 0.0;
    double last_draw_s_ = -1.0;
    std::string stage_;
    std::string message_;
    std::size_t done_ = 0;
    std::size_t total_ = 0;
    bool line_open_ = false;
    bool finished_ = false;  ///< finish_line() was called: no more redraws
    std::vector<core::StageTiming> timings_;
    std::condition_variable_any wake_;
    std::jthread ticker_;  ///< last member: started after, stopped before the others
};

/// "12.3s", "4:05" (minutes:seconds from 60 s on).
[[nodiscard]] std::string format_duration(double seconds);

/// The progress line text (without \r): "[  12.3s] coverage 3/10 30% ETA 4.0s · message".
[[nodiscard]] std::string progress_line(double elapsed_s,
                                        std::string_view stage,
                                        std::size_t done,
                                        std::size_t total,
                                        double stage_s,
                                        std::string_view message);

/// `timing STAGE WALL_S CPU_S PEAK_MB` (three decimals for times, one for megabytes).
[[nodiscard]] std::string timing_line(const core::StageTiming& timing);

}  // namespace gridplan::cli
